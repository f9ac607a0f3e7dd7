/**
 * Codec set for the bleed bench, built on src/codec (registry): G.711 mu-law and G.729 at 8 kHz, Opus
 * at 16 kHz (24 kb/s, complexity 5, VoIP). G.729 is skipped when the native addon is missing.
 * Also measures each codec pair's round-trip delay (encode + decode, both directions of the call add it).
 */
import { findCodec } from '../../src/codec/registry';
import type { AudioDecoder, AudioEncoder, CodecName } from '../../src/codec/types';
import type { FrameCodec } from '../../test/fixtures/dsp/callSim';
import { pairCodec } from '../../test/fixtures/dsp/codecs';

export interface BenchCodec {
  name: string;
  /** Registry name, for src/dsp/codecLevelOffset. */
  codec: CodecName;
  rate: 8000 | 16000;
  make(): FrameCodec;
  /** The encoder and the decoder make() pairs, one at a time (codec-loss.ts: one encoder, two decoders). */
  encoder(): AudioEncoder;
  decoder(): AudioDecoder;
}

function benchCodec(name: string, codec: CodecName, rate: 8000 | 16000, encoder: () => AudioEncoder, decoder: () => AudioDecoder): BenchCodec {
  return { name, codec, rate, encoder, decoder, make: () => pairCodec(name, encoder(), decoder()) };
}

export function benchCodecs(): { codecs: BenchCodec[]; missing: string[] } {
  const codecs: BenchCodec[] = [];
  const missing: string[] = [];
  const pcmu = findCodec('PCMU');
  if (pcmu) codecs.push(benchCodec('G.711u', 'PCMU', 8000, () => pcmu.createEncoder(), () => pcmu.createDecoder()));
  else missing.push('G.711u');
  const g729 = findCodec('G729');
  if (g729) codecs.push(benchCodec('G.729', 'G729', 8000, () => g729.createEncoder(), () => g729.createDecoder()));
  else missing.push('G.729 (native addon not built)');
  const opus = findCodec('opus');
  if (opus) {
    codecs.push(
      benchCodec(
        'Opus16k',
        'opus',
        16000,
        () => opus.createEncoder({ sampleRate: 16000, bitrate: 24000, complexity: 5 }),
        () => opus.createDecoder({ sampleRate: 16000 }),
      ),
    );
  } else missing.push('Opus');
  return { codecs, missing };
}

/** Delay (ms) of one encode+decode pass, by cross-correlating output with input on `speech`. */
export function codecDelayMs(codec: FrameCodec, speech: Int16Array, rate: number): number {
  const f = rate / 50;
  const frames = Math.min(150, Math.floor(speech.length / f));
  const out = new Int16Array(frames * f);
  const fo = new Int16Array(f);
  for (let i = 0; i < frames; i++) {
    codec.transcode(speech.subarray(i * f, (i + 1) * f), fo);
    out.set(fo, i * f);
  }
  const maxLag = Math.round(rate * 0.04);
  let best = 0;
  let bestV = -Infinity;
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = lag; i < out.length; i++) s += out[i] * speech[i - lag];
    if (s > bestV) {
      bestV = s;
      best = lag;
    }
  }
  return (best * 1000) / rate;
}
