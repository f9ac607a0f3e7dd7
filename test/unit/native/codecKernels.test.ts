/**
 * The frame codec kernels of the native media plane (native/src/codec/, driven through the thin
 * binding native/src/codecs.cc):
 * - G.711 encode/decode and the Appendix I concealment are BIT-EXACT with the TS reference
 *   (src/codec/g711.ts, g711Plc.ts) over seconds of real and speech-like signal with random losses;
 * - Opus (libopus) round trip keeps level and spectrum at 8/16/48 kHz; in-band FEC recovers a lost
 *   frame closer to the original than PLC does; DTX sends nothing in silence;
 * - bad inputs return negative codes (never a crash, never a throw), and the decoder stays usable.
 */
import t from 'tap';
import { loadNative } from '../../../src/native/addon';
import { G711Decoder, G711Encoder, ALAW_TO_LINEAR, LINEAR_TO_ALAW, LINEAR_TO_ULAW, ULAW_TO_LINEAR } from '../../../src/codec/g711';
import { bestDelay, correlation, logSpectralDistanceDb, rms, speech16k, speech8k } from '../../fixtures/codec/signal';
import { Rng } from '../../fixtures/dsp/rng';
import type { CodecDecoderHandle, CodecEncoderHandle, NativeCodecName, WhisperdNative } from '../../../native/index';

const loaded = loadNative();
if (loaded === null || typeof loaded.codecDecoderCreate !== 'function') {
  t.fail('the native addon with the codec kernels does not load (build it: make native)');
  process.exit(1);
}
type Required<T> = { [K in keyof T]-?: NonNullable<T[K]> };
const n = loaded as Required<WhisperdNative>;

const ARG = -1;
const SPACE = -2;
const CLOSED = -3;
const PAYLOAD = -4;

/** A speech-like harmonic signal (gliding f0 80..250 Hz, formant-ish harmonics, syllable envelope, pauses, noise). */
function speechLike(samples: number, rate: number, seed: number): Int16Array {
  const rng = new Rng(seed);
  const out = new Int16Array(samples);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const tSec = i / rate;
    const f0 = 165 + 85 * Math.sin(2 * Math.PI * 0.7 * tSec);
    phase += (2 * Math.PI * f0) / rate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += (Math.sin(h * phase) * (h === 3 || h === 4 ? 1.6 : 1)) / h;
    const env = Math.max(0, Math.sin(2 * Math.PI * 2.3 * tSec)) ** 0.6; // syllables with short pauses
    const x = 6000 * env * v + 150 * rng.gauss();
    out[i] = Math.max(-32768, Math.min(32767, Math.round(x)));
  }
  return out;
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

t.test('G.711: encode and decode tables equal the TS reference for every input', async (t) => {
  for (const law of ['PCMU', 'PCMA'] as const) {
    const enc = n.codecEncoderCreate(law, 8000);
    const dec = n.codecDecoderCreate(law, 8000);
    const all = new Int16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i < 32768 ? i : i - 65536;
    const codes = new Uint8Array(65536);
    for (let off = 0; off < 65536; off += 512) t.equal(n.codecEncode(enc, all, off, 512, codes, off), 512);
    const ref = law === 'PCMU' ? LINEAR_TO_ULAW : LINEAR_TO_ALAW;
    let encDiff = 0;
    for (let i = 0; i < 65536; i++) if (codes[i] !== ref[i & 0xffff]) encDiff++;
    t.equal(encDiff, 0, `${law}: all 65536 samples encode to the TS table's code`);
    const every = new Uint8Array(256);
    for (let c = 0; c < 256; c++) every[c] = c;
    const pcm = new Int16Array(256);
    t.equal(n.codecDecode(dec, every, 0, 256, pcm, 0), 256);
    t.same(Array.from(pcm), Array.from(law === 'PCMU' ? ULAW_TO_LINEAR : ALAW_TO_LINEAR), `${law}: all 256 codes decode as in TS`);
    n.destroy(enc);
    n.destroy(dec);
  }
});

/**
 * Drive the TS G711Decoder and the native kernel with the same calls: packets of varying length, and a
 * seeded loss process (isolated losses, bursts up to 100 ms so the 60 ms mute is crossed, concealment
 * requests of odd sizes, one SSRC-change reset). Returns the two outputs.
 */
function plcRun(law: 'ulaw' | 'alaw', signal: Int16Array, seed: number): { ts: Int16Array; nat: Int16Array; concealed: number } {
  const rng = new Rng(seed);
  const encoded = new Uint8Array(signal.length);
  new G711Encoder(law).encode(signal, 0, signal.length, encoded, 0);
  const tsDec = new G711Decoder(law);
  const natDec = n.codecDecoderCreate(law === 'ulaw' ? 'PCMU' : 'PCMA', 8000);
  const ts = new Int16Array(signal.length + 2000);
  const nat = new Int16Array(signal.length + 2000);
  const sizes = [160, 160, 160, 80, 240, 400, 1, 37, 960];
  let pos = 0;
  let burst = 0;
  let concealed = 0;
  let resetDone = false;
  while (pos < signal.length) {
    const len = Math.min(sizes[rng.int(0, sizes.length)]!, signal.length - pos);
    if (!resetDone && pos > signal.length / 2) {
      tsDec.reset();
      n.codecReset(natDec);
      resetDone = true;
    }
    if (burst === 0 && rng.next() < 0.12) burst = rng.next() < 0.7 ? 1 : rng.int(2, 11);
    if (burst > 0) {
      burst--;
      const m = rng.next() < 0.2 ? rng.int(1, 300) : len;
      const a = tsDec.conceal(ts, pos, m);
      const b = n.codecConceal(natDec, nat, pos, m);
      if (a !== m || b !== m) throw new Error(`conceal returned ${a} / ${b} for ${m}`);
      concealed += m;
      pos += m;
    } else {
      const a = tsDec.decode(encoded, pos, len, ts, pos);
      const b = n.codecDecode(natDec, encoded, pos, len, nat, pos);
      if (a !== len || b !== len) throw new Error(`decode returned ${a} / ${b} for ${len}`);
      pos += len;
    }
  }
  n.destroy(natDec);
  return { ts: ts.subarray(0, pos), nat: nat.subarray(0, pos), concealed };
}

t.test('G.711 Appendix I concealment is bit-exact with the TS reference under random loss', async (t) => {
  const signals: [string, Int16Array][] = [
    ['real speech (2.8 s) + speech-like (3 s)', concat(speech8k(), speechLike(24000, 8000, 5))],
    ['loud clipped speech-like (4 s)', speechLike(32000, 8000, 9).map((v) => Math.max(-32768, Math.min(32767, v * 4)))],
  ];
  for (const [name, signal] of signals) {
    for (const law of ['ulaw', 'alaw'] as const) {
      for (const seed of [1, 2, 3]) {
        const { ts, nat, concealed } = plcRun(law, signal, seed);
        let diff = 0;
        let first = -1;
        for (let i = 0; i < ts.length; i++) {
          if (ts[i] !== nat[i]) {
            diff++;
            if (first < 0) first = i;
          }
        }
        t.ok(concealed > 4000, `${name}, ${law}, seed ${seed}: ${concealed} samples concealed`);
        t.equal(diff, 0, `${name}, ${law}, seed ${seed}: ${ts.length} samples identical${first >= 0 ? ` (first difference at ${first}: TS ${ts[first]}, native ${nat[first]})` : ''}`);
        t.ok(rms(nat) > 1000, 'the output carries the signal');
      }
    }
  }
});

/** 48 kHz speech: the 16 kHz recording through the native speexdsp resampler. */
function speech48k(): Int16Array {
  const s16 = speech16k();
  const r = n.resamplerCreate(16000, 48000, 8);
  const out = new Int16Array(s16.length * 3 + 1000);
  let w = 0;
  for (let i = 0; i < s16.length; i += 320) w += n.resamplerProcess(r, s16, i, Math.min(320, s16.length - i), out, w);
  n.destroy(r);
  return out.subarray(0, w);
}

function to16k(x48: Int16Array): Int16Array {
  const r = n.resamplerCreate(48000, 16000, 8);
  const out = new Int16Array(Math.ceil(x48.length / 3) + 100);
  let w = 0;
  for (let i = 0; i < x48.length; i += 960) w += n.resamplerProcess(r, x48, i, Math.min(960, x48.length - i), out, w);
  n.destroy(r);
  return out.subarray(0, w);
}

function speechAt(rate: number): Int16Array {
  return rate === 8000 ? speech8k() : rate === 16000 ? speech16k() : speech48k();
}

interface OpusRun {
  packets: Uint8Array[];
  sizes: number[];
}

function opusEncodeAll(pcm: Int16Array, rate: number, opts: Parameters<Required<WhisperdNative>['codecEncoderCreate']>[2]): OpusRun {
  const enc = n.codecEncoderCreate('opus', rate, opts);
  const frame = rate / 50;
  const out = new Uint8Array(1500);
  const packets: Uint8Array[] = [];
  const sizes: number[] = [];
  for (let f = 0; (f + 1) * frame <= pcm.length; f++) {
    const b = n.codecEncode(enc, pcm, f * frame, frame, out, 0);
    if (b < 0) throw new Error(`encode returned ${b}`);
    sizes.push(b);
    packets.push(out.slice(0, b));
  }
  n.destroy(enc);
  return { packets, sizes };
}

/** Decode the packets; frames in `lost` are concealed (or recovered from the next packet's FEC when `fec`). */
function opusDecodeAll(run: OpusRun, rate: number, lost: Set<number>, fec: boolean): Int16Array {
  const dec = n.codecDecoderCreate('opus', rate);
  const frame = rate / 50;
  const out = new Int16Array(run.packets.length * frame);
  for (let f = 0; f < run.packets.length; f++) {
    let r: number;
    if (lost.has(f)) {
      const next = run.packets[f + 1];
      r = fec && next !== undefined && !lost.has(f + 1) ? n.codecRecover(dec, next, 0, next.length, out, f * frame, frame) : n.codecConceal(dec, out, f * frame, frame);
    } else {
      const p = run.packets[f]!;
      r = n.codecDecode(dec, p, 0, p.length, out, f * frame);
    }
    if (r !== frame) throw new Error(`frame ${f}: ${r}`);
  }
  n.destroy(dec);
  return out;
}

t.test('Opus (libopus): speech round trip keeps waveform, level and spectrum at 8, 16 and 48 kHz', async (t) => {
  for (const rate of [8000, 16000, 48000]) {
    const speech = speechAt(rate);
    const run = opusEncodeAll(speech, rate, { complexity: 5, bitrate: 24000 });
    const out = opusDecodeAll(run, rate, new Set(), false);
    const start = rate / 10;
    const len = out.length - rate / 5;
    const delay = bestDelay(speech, out, start, len - start, (rate / 1000) * 30);
    const c = correlation(speech, start, out, start + delay, len - start);
    t.ok(c >= 0.8, `${rate} Hz: correlation ${c.toFixed(3)} at delay ${delay} (${((delay * 1000) / rate).toFixed(1)} ms) >= 0.8`);
    const levelDb = 20 * Math.log10(rms(out, start + delay, len + delay) / rms(speech, start, len));
    t.ok(Math.abs(levelDb) <= 1.5, `${rate} Hz: level ${levelDb.toFixed(2)} dB from the input (within ±1.5)`);
    // The log-spectral distance covers 125 Hz .. 0.45·rate: at 48 kHz (where the 16 kHz recording has
    // nothing above 8 kHz) both signals are first brought to 16 kHz by the same resampler.
    const lsd =
      rate === 48000
        ? logSpectralDistanceDb(to16k(speech), to16k(out), start / 3, (len - start) / 3, Math.round(delay / 3))
        : logSpectralDistanceDb(speech, out, start, len - start, delay);
    t.ok(lsd <= 8, `${rate} Hz: log-spectral distance ${lsd.toFixed(1)} dB <= 8`);
    const avgBytes = run.sizes.reduce((a, b) => a + b, 0) / run.sizes.length;
    t.ok(avgBytes > 30 && avgBytes < 90, `${rate} Hz: ${avgBytes.toFixed(1)} bytes per 20 ms (24 kbit/s ≈ 60)`);
  }
});

t.test('Opus in-band FEC recovers a lost frame closer to the original than PLC', async (t) => {
  for (const rate of [8000, 16000, 48000]) {
    const once = speechAt(rate);
    const speech = concat(once, once); // 5.6 s
    const frame = rate / 50;
    const run = opusEncodeAll(speech, rate, { complexity: 5, bitrate: 24000, inbandFec: true, packetLossPerc: 20 });
    const clean = opusDecodeAll(run, rate, new Set(), false);
    const start = rate / 10;
    const delay = bestDelay(speech, clean, start, clean.length - rate / 5 - start, (rate / 1000) * 30);
    // Isolated losses (FEC carries one frame) on frames whose original is speech, not silence.
    const rng = new Rng(77);
    const lost = new Set<number>();
    for (let f = 5; f < run.packets.length - 3; f++) {
      if (lost.has(f - 1) || lost.has(f - 2)) continue;
      if (rms(speech, f * frame - delay, (f + 1) * frame - delay) < 300) continue;
      if (rng.next() < 0.5) lost.add(f);
    }
    t.ok(lost.size >= 15, `${rate} Hz: ${lost.size} speech frames lost`);
    const plc = opusDecodeAll(run, rate, lost, false);
    const fec = opusDecodeAll(run, rate, lost, true);
    // Error energy against the ORIGINAL (aligned by the codec delay) over each lost frame.
    let ePlc = 0;
    let eFec = 0;
    let sig = 0;
    let fecBetter = 0;
    for (const f of lost) {
      let a = 0;
      let b = 0;
      for (let i = f * frame; i < (f + 1) * frame; i++) {
        const ref = i - delay >= 0 ? speech[i - delay]! : 0;
        a += (plc[i]! - ref) ** 2;
        b += (fec[i]! - ref) ** 2;
        sig += ref * ref;
      }
      ePlc += a;
      eFec += b;
      if (b < a) fecBetter++;
    }
    const snrPlc = 10 * Math.log10(sig / ePlc);
    const snrFec = 10 * Math.log10(sig / eFec);
    t.ok(eFec < ePlc, `${rate} Hz: lost-frame SNR with FEC ${snrFec.toFixed(1)} dB > with PLC ${snrPlc.toFixed(1)} dB`);
    t.ok(snrFec - snrPlc >= 1.5, `${rate} Hz: FEC gains ${(snrFec - snrPlc).toFixed(1)} dB (>= 1.5)`);
    t.ok(fecBetter > lost.size / 2, `${rate} Hz: FEC is better on ${fecBetter}/${lost.size} lost frames`);
  }
  // Without FEC in the stream, recover() is exactly PLC (the same samples).
  const rate = 16000;
  const run = opusEncodeAll(speech16k(), rate, { complexity: 5, bitrate: 24000 });
  const lost = new Set([20, 40, 60, 80]);
  t.same(Array.from(opusDecodeAll(run, rate, lost, true)), Array.from(opusDecodeAll(run, rate, lost, false)), 'no LBRR in the stream: recover() equals conceal()');
});

t.test('Opus DTX sends nothing (0 bytes) in silence; without DTX every frame is sent', async (t) => {
  for (const rate of [8000, 16000, 48000]) {
    const frame = rate / 50;
    const pcm = concat(speechAt(rate).subarray(0, 2 * rate), new Int16Array(rate * 2)); // 2 s speech, 2 s silence
    const dtx = opusEncodeAll(pcm, rate, { dtx: true });
    const plain = opusEncodeAll(pcm, rate, { dtx: false });
    const silentFrames = dtx.sizes.slice(110); // from 200 ms into the silence
    const zeros = silentFrames.filter((s) => s === 0).length;
    t.ok(zeros >= silentFrames.length * 0.8, `${rate} Hz DTX: ${zeros}/${silentFrames.length} silent frames send nothing`);
    let voiced = 0;
    let voicedSent = 0;
    for (let f = 0; f < 100; f++) {
      if (rms(pcm, f * frame, (f + 1) * frame) < 300) continue; // the recording opens with a pause
      voiced++;
      if (dtx.sizes[f]! > 2) voicedSent++;
    }
    t.ok(voiced >= 20 && voicedSent === voiced, `${rate} Hz DTX: all ${voiced} speech frames of the first 2 s are sent (${voicedSent})`);
    t.ok(plain.sizes.every((s) => s > 0), `${rate} Hz without DTX: all ${plain.sizes.length} frames sent`);
    // The decoder fills the DTX gaps by concealment (comfort noise / silence), at the right length.
    const dec = n.codecDecoderCreate('opus', rate);
    const out = new Int16Array(frame);
    let ok = 0;
    for (let f = 0; f < dtx.packets.length; f++) {
      const p = dtx.packets[f]!;
      const r = p.length === 0 ? n.codecConceal(dec, out, 0, frame) : n.codecDecode(dec, p, 0, p.length, out, 0);
      if (r === frame) ok++;
    }
    t.equal(ok, dtx.packets.length, `${rate} Hz: every DTX frame decodes or conceals to ${frame} samples`);
    n.destroy(dec);
  }
});

t.test('Opus encoder settings: complexity and bitrate change the stream; bad settings throw at creation only', async (t) => {
  const speech = speech16k();
  const low = opusEncodeAll(speech, 16000, { complexity: 0, bitrate: 12000 });
  const high = opusEncodeAll(speech, 16000, { complexity: 10, bitrate: 40000 });
  const avg = (r: OpusRun): number => r.sizes.reduce((a, b) => a + b, 0) / r.sizes.length;
  t.ok(avg(high) > avg(low) * 2, `40 kbit/s: ${avg(high).toFixed(0)} B/frame vs 12 kbit/s: ${avg(low).toFixed(0)}`);
  for (const bad of [{ complexity: 11 }, { complexity: -1 }, { bitrate: 100 }, { packetLossPerc: 101 }, { application: 'music' }, { dtx: 'yes' }] as object[]) {
    t.throws(() => n.codecEncoderCreate('opus', 16000, bad as never), RangeError, `refused: ${JSON.stringify(bad)}`);
  }
  for (const [codec, rate] of [['opus', 44100], ['PCMU', 12345], ['PCMA', 96000], ['G729', 48000], ['G722', 8000], ['opus', -1]] as [NativeCodecName, number][]) {
    t.throws(() => n.codecDecoderCreate(codec, rate), RangeError, `decoder ${codec}@${rate} refused`);
    t.throws(() => n.codecEncoderCreate(codec, rate), RangeError, `encoder ${codec}@${rate} refused`);
  }
});

t.test('bad inputs give negative codes, never a crash, and the decoder stays usable', async (t) => {
  const rng = new Rng(4242);
  const out = new Int16Array(5760);
  const codecs: [NativeCodecName, number][] = [['PCMU', 8000], ['PCMA', 8000], ['G729', 8000], ['opus', 8000], ['opus', 16000], ['opus', 48000]];
  for (const [codec, rate] of codecs) {
    const dec = n.codecDecoderCreate(codec, rate);
    const enc = n.codecEncoderCreate(codec, rate);
    const frame = rate / 50;
    const pcm = speechLike(frame * 10, rate, 3);
    const good = new Uint8Array(1500);
    const goodLen = n.codecEncode(enc, pcm, 0, frame, good, 0);
    t.ok(goodLen > 0, `${codec}@${rate}: a 20 ms frame encodes (${goodLen} bytes)`);
    // Fuzz: random bytes and lengths, including the maximum and one byte over.
    const junk = new Uint8Array(4000);
    let negatives = 0;
    let positives = 0;
    for (let i = 0; i < 3000; i++) {
      const len = rng.int(0, i % 100 === 0 ? 4000 : 200);
      for (let k = 0; k < len; k++) junk[k] = rng.int(0, 256);
      const r = n.codecDecode(dec, junk, 0, len, out, 0);
      if (r < 0) {
        negatives++;
        if (r !== PAYLOAD && r !== SPACE) t.fail(`${codec}: decode of junk returned ${r}`);
      } else {
        positives++;
        if (r > out.length) t.fail(`${codec}: decode wrote ${r} samples`);
      }
      if (codec === 'opus' && i % 7 === 0) n.codecRecover(dec, junk, 0, len, out, 0, frame);
    }
    t.ok(negatives + positives === 3000, `${codec}@${rate}: 3000 random payloads: ${negatives} refused, ${positives} decoded`);
    t.equal(n.codecDecode(dec, good, 0, 0, out, 0), PAYLOAD, 'empty payload → PAYLOAD');
    t.equal(n.codecDecode(dec, good, 0, goodLen, out, out.length), SPACE, 'no room → SPACE');
    t.equal(n.codecDecode(dec, good, 0, goodLen, out, out.length + 5), SPACE, 'offset past the end → SPACE');
    t.equal(n.codecDecode(dec, good, 1490, 20, out, 0), ARG, 'payload window past the buffer → ARG');
    t.equal(n.codecDecode(dec, good, -1, goodLen, out, 0), ARG, 'negative offset → ARG');
    t.equal(n.codecDecode(dec, good as unknown as Uint8Array, 0, goodLen, new Float32Array(10) as unknown as Int16Array, 0), ARG, 'wrong array type → ARG');
    t.equal(n.codecDecode(dec, good, 0, goodLen, out, 0), frame, 'after all that junk, a good payload still decodes');
    t.equal(n.codecConceal(dec, out, 0, 7), codec === 'PCMU' || codec === 'PCMA' ? 7 : ARG, 'odd concealment length: G.711 any, others ARG');
    t.equal(n.codecConceal(dec, out, 5000, 960), SPACE, 'concealment past the end → SPACE');
    t.equal(n.codecEncode(enc, pcm, 0, frame + 1, good, 0), codec === 'PCMU' || codec === 'PCMA' ? frame + 1 : ARG, 'odd frame size');
    t.equal(n.codecEncode(enc, pcm, pcm.length - 10, frame, good, 0), ARG, 'pcm window past the buffer → ARG');
    t.equal(n.codecEncode(enc, pcm, 0, frame, good, 1500), SPACE, 'no room for the payload → SPACE');
    t.equal(n.codecDecode(enc as unknown as CodecDecoderHandle, good, 0, goodLen, out, 0), CLOSED, 'an encoder handle is not a decoder');
    t.equal(n.codecEncode(dec as unknown as CodecEncoderHandle, pcm, 0, frame, good, 0), CLOSED, 'a decoder handle is not an encoder');
    t.equal(n.codecDecode({} as CodecDecoderHandle, good, 0, goodLen, out, 0), CLOSED, 'not a handle → CLOSED');
    t.equal(n.destroy(dec), 0);
    t.equal(n.destroy(enc), 0);
    t.equal(n.codecDecode(dec, good, 0, goodLen, out, 0), CLOSED, 'destroyed decoder → CLOSED');
    t.equal(n.codecConceal(dec, out, 0, frame), CLOSED);
    t.equal(n.codecRecover(dec, good, 0, goodLen, out, 0, frame), CLOSED);
    t.equal(n.codecEncode(enc, pcm, 0, frame, good, 0), CLOSED, 'destroyed encoder → CLOSED');
    t.equal(n.codecReset(enc), CLOSED);
    t.equal(n.destroy(dec), 0, 'destroy is idempotent');
  }
  // Opus specifics: a packet longer than the output holds, and the concealment size rules.
  const dec = n.codecDecoderCreate('opus', 48000);
  const enc = n.codecEncoderCreate('opus', 48000);
  const pcm = speechLike(2880, 48000, 8);
  const pkt = new Uint8Array(1500);
  const len = n.codecEncode(enc, pcm, 0, 2880, pkt, 0);
  t.ok(len > 0, '60 ms frame encodes');
  t.equal(n.codecDecode(dec, pkt, 0, len, new Int16Array(960), 0), SPACE, '60 ms into a 20 ms buffer → SPACE');
  t.equal(n.codecDecode(dec, pkt, 0, len, out, 0), 2880, 'then it decodes into a big enough buffer');
  t.equal(n.codecConceal(dec, out, 0, 100), ARG, 'not a multiple of 2.5 ms → ARG');
  t.equal(n.codecConceal(dec, out, 0, 120), 120, '2.5 ms concealment');
  t.equal(n.codecRecover(dec, pkt, 0, 0, out, 0, 960), PAYLOAD, 'empty next payload → PAYLOAD');
  t.equal(n.codecRecover(dec, new Uint8Array([0xff, 0xff, 0xff]), 0, 3, out, 0, 960), PAYLOAD, 'corrupt next payload → PAYLOAD');
  const fresh = n.codecDecoderCreate('opus', 16000);
  const z = new Int16Array(320).fill(7);
  t.equal(n.codecConceal(fresh, z, 0, 320), 320);
  t.equal(rms(z), 0, 'before any packet, concealment is silence');
  for (const h of [dec, enc, fresh]) n.destroy(h);
  // G.729 through the shared interface: 20 ms = two frames, decodes to 160 samples.
  const g729e = n.codecEncoderCreate('G729', 8000);
  const g729d = n.codecDecoderCreate('G729', 8000);
  const s8 = speechLike(160, 8000, 2);
  t.equal(n.codecEncode(g729e, s8, 0, 160, pkt, 0), 20, 'G.729: 20 ms → 20 bytes');
  t.equal(n.codecDecode(g729d, pkt, 0, 20, out, 0), 160, 'G.729: 20 bytes → 160 samples');
  t.equal(n.codecDecode(g729d, pkt, 0, 15, out, 0), PAYLOAD, 'G.729: 15 bytes → PAYLOAD');
  t.equal(n.codecConceal(g729d, out, 0, 160), 160, 'G.729: 20 ms concealment');
  n.destroy(g729e);
  n.destroy(g729d);
});
