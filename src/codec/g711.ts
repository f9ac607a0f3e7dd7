/**
 * G.711 (ITU-T G.711, 1988) μ-law (PCMU, RTP PT 0) and A-law (PCMA, PT 8) at 8000 Hz, in pure TS.
 * RTP payload: one byte per sample (RFC 3551 §4.5.14).
 *
 * Decoding uses 256-entry tables and encoding 65536-entry tables indexed by the 16-bit sample
 * (two's complement, `sample & 0xffff`); all are built once at module load from the G.711 segment
 * formulas below. Linear samples are 16-bit; μ-law uses the top 14 bits, A-law the top 13.
 *
 *  μ-law: magnitude m = (|x| >> 2) + 33 (bias), clipped to 8191; segment e = floor(log2 m) - 5 (0..7),
 *         mantissa = (m >> (e+1)) & 15; code = NOT(sign·0x80 | e<<4 | mantissa). Decode:
 *         |x| = (((mantissa << 3) + 132) << e) - 132.  0xFF/0x7F = ±0, 0x80 = +32124, 0x00 = -32124.
 *  A-law: m = |x| >> 3 (13-bit); segment 0 for m < 32 (mantissa = m >> 1), else e = floor(log2 m) - 4,
 *         mantissa = (m >> e) & 15; code = (sign·0x80 | e<<4 | mantissa) XOR 0x55, sign bit set = positive.
 *         Decode: seg 0 → (mantissa << 4) + 8, else ((mantissa << 4) + 264) << (e-1).
 *         0xD5 = +8, 0x55 = -8, 0xAA = +32256, 0x2A = -32256.
 * Negative inputs use the one's complement (~x = -x-1) before shifting, as the G.711 reference does,
 * so the quantiser is symmetric.
 */
import type { AudioDecoder, AudioEncoder } from './types';
import { CodecError } from './types';
import { G711Plc } from './g711Plc';

export const G711_SAMPLE_RATE = 8000;
/** Largest payload decoded in one call: 120 ms (the AudioDecoder contract; 960 bytes at 8000 Hz). */
const MAX_MS = 120;

function ulawDecodeFormula(code: number): number {
  const u = ~code & 0xff;
  const e = (u >> 4) & 7;
  const mag = (((u & 0x0f) << 3) + 132) << e;
  return u & 0x80 ? 132 - mag : mag - 132;
}

function ulawEncodeFormula(x: number): number {
  let sign = 0;
  let mag = x;
  if (x < 0) {
    sign = 0x80;
    mag = ~x;
  }
  let m = (mag >> 2) + 33;
  if (m > 8191) m = 8191;
  let e = 0;
  while (m >> (e + 6) !== 0) e++; // m in [32·2^e, 64·2^e)
  const mantissa = (m >> (e + 1)) & 0x0f;
  return ~(sign | (e << 4) | mantissa) & 0xff;
}

function alawDecodeFormula(code: number): number {
  const a = code ^ 0x55;
  const e = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const mag = e === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 264) << (e - 1);
  return a & 0x80 ? mag : -mag;
}

function alawEncodeFormula(x: number): number {
  let sign = 0x80;
  let mag = x;
  if (x < 0) {
    sign = 0;
    mag = ~x;
  }
  const m = mag >> 3; // 0..4095
  let code: number;
  if (m < 32) {
    code = m >> 1;
  } else {
    let e = 1;
    while (m >> (e + 5) !== 0) e++; // m in [16·2^e, 32·2^e)
    code = (e << 4) | ((m >> e) & 0x0f);
  }
  return (sign | code) ^ 0x55;
}

/** code → linear sample. */
export const ULAW_TO_LINEAR = new Int16Array(256);
export const ALAW_TO_LINEAR = new Int16Array(256);
/** (sample & 0xffff) → code. */
export const LINEAR_TO_ULAW = new Uint8Array(65536);
export const LINEAR_TO_ALAW = new Uint8Array(65536);

for (let c = 0; c < 256; c++) {
  ULAW_TO_LINEAR[c] = ulawDecodeFormula(c);
  ALAW_TO_LINEAR[c] = alawDecodeFormula(c);
}
for (let i = 0; i < 65536; i++) {
  const x = i < 32768 ? i : i - 65536;
  LINEAR_TO_ULAW[i] = ulawEncodeFormula(x);
  LINEAR_TO_ALAW[i] = alawEncodeFormula(x);
}

export type G711Law = 'ulaw' | 'alaw';

/** G.711 decoder with Appendix I concealment (see g711Plc.ts). */
export class G711Decoder implements AudioDecoder {
  /** The concealment state, exposed for metrics (`plc.concealedSamples`). */
  readonly plc = new G711Plc();
  private readonly table: Int16Array;
  private readonly maxSamples: number;

  /** `sampleRate`: the clock rate the SDP names (PCMU/16000: one sample per byte at 16 kHz); usually 8000. */
  constructor(law: G711Law, readonly sampleRate: number = G711_SAMPLE_RATE) {
    this.table = law === 'ulaw' ? ULAW_TO_LINEAR : ALAW_TO_LINEAR;
    this.maxSamples = Math.floor(sampleRate / 1000) * MAX_MS;
  }

  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number): number {
    if (length <= 0 || length > this.maxSamples || offset < 0 || offset + length > payload.length) return CodecError.PAYLOAD;
    if (outOffset < 0 || outOffset + length > out.length) return CodecError.SPACE;
    const t = this.table;
    for (let i = 0; i < length; i++) out[outOffset + i] = t[payload[offset + i]!]!;
    this.plc.goodFrame(out, outOffset, length);
    return length;
  }

  conceal(out: Int16Array, outOffset: number, samples: number): number {
    if (samples < 0 || outOffset < 0 || outOffset + samples > out.length) return CodecError.SPACE;
    return this.plc.conceal(out, outOffset, samples);
  }

  reset(): void {
    this.plc.reset();
  }

  close(): void {
    // Pure TS: nothing to release.
  }
}

export class G711Encoder implements AudioEncoder {
  private readonly table: Uint8Array;

  /** `sampleRate`: the clock rate the SDP names; usually 8000. */
  constructor(law: G711Law, readonly sampleRate: number = G711_SAMPLE_RATE) {
    this.table = law === 'ulaw' ? LINEAR_TO_ULAW : LINEAR_TO_ALAW;
  }

  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number {
    if (samples < 0 || pcmOffset < 0 || pcmOffset + samples > pcm.length) return CodecError.ARG;
    if (outOffset < 0 || outOffset + samples > out.length) return CodecError.SPACE;
    const t = this.table;
    for (let i = 0; i < samples; i++) out[outOffset + i] = t[pcm[pcmOffset + i]! & 0xffff]!;
    return samples;
  }

  close(): void {
    // Pure TS: nothing to release.
  }
}
