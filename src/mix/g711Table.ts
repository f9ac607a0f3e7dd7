/**
 * G.711 encoding as rtpengine 10.5 does it when it transcodes (FFmpeg's pcm_mulaw / pcm_alaw encoders):
 * a 16384-entry table indexed by (sample + 32768) >> 2 that picks, for each 14-bit value, the code
 * whose decoded value is nearest (boundaries at the rounded midpoints (v1 + v2 + 4) >> 3 of adjacent
 * codes' decoded values). This rounds where the G.711 reference encoder truncates, so the two differ
 * by one code step on some samples; the transcode path uses this one so its packets match rtpengine's
 * byte for byte. The tables are the ones `play DTMF` encodes its tones with (src/media/dtmfInject.ts
 * NEAREST_ULAW / NEAREST_ALAW, built once at load); encode() allocates nothing.
 */
import type { AudioEncoder } from '../codec/types';
import { CodecError } from '../codec/types';
import { NEAREST_ALAW, NEAREST_ULAW } from '../media/dtmfInject';

export class RoundingG711Encoder implements AudioEncoder {
  private readonly table: Uint8Array;

  /** `sampleRate`: the clock rate the SDP names (G.711 runs at any, one sample per byte; usually 8000). */
  constructor(law: 'ulaw' | 'alaw', readonly sampleRate = 8000) {
    this.table = law === 'ulaw' ? NEAREST_ULAW : NEAREST_ALAW;
  }

  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number {
    if (samples < 0 || pcmOffset < 0 || pcmOffset + samples > pcm.length) return CodecError.ARG;
    if (outOffset < 0 || outOffset + samples > out.length) return CodecError.SPACE;
    const t = this.table;
    for (let i = 0; i < samples; i++) out[outOffset + i] = t[(pcm[pcmOffset + i]! + 32768) >> 2]!;
    return samples;
  }

  close(): void {
    // Pure TS: nothing to release.
  }
}
