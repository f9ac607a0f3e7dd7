/**
 * RFC 3389 comfort noise decoded into audio, the way rtpengine 10.5 does it (its CN codec is FFmpeg's
 * "comfortnoise" decoder run with a frame of one ptime, 20 ms at 8 kHz), so a listener without CN
 * gets the same samples rtpengine would send — the spec's expected packets are bit-exact.
 *
 * The algorithm (facts of FFmpeg's cngdec, implemented here in float32 arithmetic step by step):
 *  - payload byte 0 = level in -dBov: target energy = trunc(1081109975 * 10^(-level/10) * 0.75);
 *    bytes 1..12 = reflection coefficients (b - 127) / 128 (missing ones 0);
 *  - first packet: energy and coefficients taken as they are; later packets: energy = e/2 + t/2
 *    (integers), coefficients = 0.6 * old + 0.4 * target;
 *  - reflection -> LPC coefficients (Levinson step-up), gain = sqrt(prod(1 - k^2) * energy / 1081109975);
 *  - excitation = gain * ((lfg() & 0xffff) - 0x8000) from a lagged Fibonacci generator (a[i] =
 *    a[i-24] + a[i-55] mod 2^32) seeded with FFmpeg's seed-0 table, then an order-12 all-pole
 *    synthesis filter evaluated four samples at a time in FFmpeg's operation order; samples truncated
 *    to int16.
 * Each decode() emits one 20 ms frame (160 samples); the state (PRNG, filter memory, smoothed energy)
 * runs on across packets as in rtpengine. Nothing is allocated per frame.
 */
import type { AudioDecoder } from '../codec/types';
import { CodecError } from '../codec/types';

const f = Math.fround;
const ORDER = 12;
const FRAME = 160;
const ENERGY_REF = 1081109975;

/** FFmpeg av_lfg_init(seed 0): state[8..63] (state[0..7] are 0). */
const LFG_SEED0 = [
  0x3b376b5e, 0xf56be763, 0xcba2a7fc, 0x9751b2c7, 0x5b1fe69a, 0x860b05af, 0x2b2650ca,
  0x92a97fb0, 0x7315e8eb, 0x8b6287a3, 0x2ddbd8b3, 0x1d098ca2, 0x6a65b478, 0xc9b22db4,
  0x9637fbcf, 0xd4427934, 0xb390e2b5, 0x92a84d32, 0x2110b086, 0x25a9182f, 0x239295f1,
  0xc6f846f7, 0x5c5b3a51, 0xe6a7ba34, 0xd6597325, 0xa537e3df, 0xcb80e534, 0xeaecf2dc,
  0x9bbb6bd1, 0x2ea8bd11, 0x8c06ce60, 0x6859af1d, 0xf159f64e, 0xc213bd06, 0x2a5d7785,
  0xe621dc54, 0xb8cb9a8e, 0xe6a491f8, 0x85d7df25, 0x917d9aee, 0xb156c513, 0x5bd929dd,
  0xf6a9dab1, 0xc3ec5f2a, 0x5215230d, 0xe2b677d7, 0x701e36e7, 0x5405e2c7, 0xddcb3ae2,
  0x95b866ea, 0x1eb13c9a, 0x346646c2, 0x8ba48526, 0xb325e9bf, 0x29f07d49, 0xc986cf38,
];

export class ComfortNoiseDecoder implements AudioDecoder {
  readonly sampleRate = 8000;
  private readonly lfg = new Uint32Array(64);
  private lfgIndex = 0;
  private readonly refl = new Float32Array(ORDER);
  private readonly targetRefl = new Float32Array(ORDER);
  private readonly lpc = new Float32Array(ORDER);
  private readonly lpcBuf = new Float32Array(ORDER);
  private energy = 0;
  private targetEnergy = 0;
  private inited = false;
  /** filter memory (ORDER) + one frame of output. */
  private readonly filterOut = new Float32Array(ORDER + FRAME);
  private readonly excitation = new Float32Array(FRAME);

  constructor() {
    this.reset();
  }

  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number): number {
    if (length < 1 || offset < 0 || offset + length > payload.length) return CodecError.PAYLOAD;
    if (outOffset < 0 || outOffset + FRAME > out.length) return CodecError.SPACE;
    const dbov = -payload[offset]!;
    this.targetEnergy = Math.trunc(ENERGY_REF * Math.pow(10, dbov / 10.0) * 0.75);
    this.targetRefl.fill(0);
    const nk = Math.min(length - 1, ORDER);
    for (let i = 0; i < nk; i++) this.targetRefl[i] = (payload[offset + 1 + i]! - 127) / 128.0;
    return this.generate(out, outOffset);
  }

  /** Noise goes on at the last level (the frame after a lost CN packet). */
  conceal(out: Int16Array, outOffset: number, samples: number): number {
    if (samples !== FRAME || outOffset < 0 || outOffset + FRAME > out.length) return CodecError.ARG;
    return this.generate(out, outOffset);
  }

  private generate(out: Int16Array, outOffset: number): number {
    const refl = this.refl;
    if (this.inited) {
      this.energy = Math.trunc(this.energy / 2) + Math.trunc(this.targetEnergy / 2);
      for (let i = 0; i < ORDER; i++) refl[i] = 0.6 * refl[i]! + 0.4 * this.targetRefl[i]!;
    } else {
      this.energy = this.targetEnergy;
      refl.set(this.targetRefl);
      this.inited = true;
    }
    this.makeLpc();
    let e = f(1.0);
    for (let i = 0; i < ORDER; i++) e = f(e * (1.0 - f(refl[i]! * refl[i]!)));
    const scaling = f(Math.sqrt(f(f(e * f(this.energy)) / f(ENERGY_REF))));
    const lfg = this.lfg;
    const exc = this.excitation;
    for (let i = 0; i < FRAME; i++) {
      const k = this.lfgIndex;
      const a = (lfg[(k - 24) & 63]! + lfg[(k - 55) & 63]!) >>> 0;
      lfg[k & 63] = a;
      this.lfgIndex = (k + 1) | 0;
      const r = (a & 0xffff) - 0x8000;
      exc[i] = f(scaling * r);
    }
    this.synthesize();
    const fo = this.filterOut;
    for (let i = 0; i < FRAME; i++) {
      const v = Math.trunc(fo[i + ORDER]!);
      out[outOffset + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    fo.copyWithin(0, FRAME, FRAME + ORDER);
    return FRAME;
  }

  /** Reflection -> LPC coefficients (FFmpeg make_lpc_coefs, ping-ponging between two buffers). */
  private makeLpc(): void {
    let cur = this.lpc;
    let next = this.lpcBuf;
    const refl = this.refl;
    for (let m = 0; m < ORDER; m++) {
      next[m] = refl[m]!;
      for (let i = 0; i < m; i++) next[i] = f(cur[i]! + f(refl[m]! * cur[m - i - 1]!));
      const t = next;
      next = cur;
      cur = t;
    }
    if (cur !== this.lpc) this.lpc.set(cur);
  }

  /** All-pole synthesis of the excitation into filterOut[ORDER..] (FFmpeg ff_celp_lp_synthesis_filterf, 4-sample blocks). */
  private synthesize(): void {
    const c = this.lpc;
    const o = this.filterOut;
    const x = this.excitation;
    const a = c[0]!;
    let b = c[1]!;
    let cc = c[2]!;
    b = f(b - f(c[0]! * c[0]!));
    cc = f(cc - f(c[1]! * c[0]!));
    cc = f(cc - f(c[0]! * b));
    let base = ORDER;
    let old0 = o[base - 4]!;
    let old1 = o[base - 3]!;
    let old2 = o[base - 2]!;
    let old3 = o[base - 1]!;
    for (let n = 0; n <= FRAME - 4; n += 4) {
      let out0 = x[n]!;
      let out1 = x[n + 1]!;
      let out2 = x[n + 2]!;
      let out3 = x[n + 3]!;
      out0 = f(out0 - f(c[2]! * old1));
      out1 = f(out1 - f(c[2]! * old2));
      out2 = f(out2 - f(c[2]! * old3));
      out0 = f(out0 - f(c[1]! * old2));
      out1 = f(out1 - f(c[1]! * old3));
      out0 = f(out0 - f(c[0]! * old3));
      let val = c[3]!;
      out0 = f(out0 - f(val * old0));
      out1 = f(out1 - f(val * old1));
      out2 = f(out2 - f(val * old2));
      out3 = f(out3 - f(val * old3));
      for (let i = 5; i < ORDER; i += 2) {
        old3 = o[base - i]!;
        val = c[i - 1]!;
        out0 = f(out0 - f(val * old3));
        out1 = f(out1 - f(val * old0));
        out2 = f(out2 - f(val * old1));
        out3 = f(out3 - f(val * old2));
        old2 = o[base - i - 1]!;
        val = c[i]!;
        out0 = f(out0 - f(val * old2));
        out1 = f(out1 - f(val * old3));
        out2 = f(out2 - f(val * old0));
        out3 = f(out3 - f(val * old1));
        const t = old0;
        old0 = old2;
        old2 = t;
        old1 = old3;
      }
      const t0 = out0;
      const t1 = out1;
      const t2 = out2;
      out3 = f(out3 - f(a * t2));
      out2 = f(out2 - f(a * t1));
      out1 = f(out1 - f(a * t0));
      out3 = f(out3 - f(b * t1));
      out2 = f(out2 - f(b * t0));
      out3 = f(out3 - f(cc * t0));
      o[base] = out0;
      o[base + 1] = out1;
      o[base + 2] = out2;
      o[base + 3] = out3;
      old0 = out0;
      old1 = out1;
      old2 = out2;
      old3 = out3;
      base += 4;
    }
  }

  reset(): void {
    this.lfg.fill(0);
    this.lfg.set(LFG_SEED0, 8);
    this.lfgIndex = 0;
    this.refl.fill(0);
    this.targetRefl.fill(0);
    this.lpc.fill(0);
    this.lpcBuf.fill(0);
    this.energy = 0;
    this.targetEnergy = 0;
    this.inited = false;
    this.filterOut.fill(0);
  }

  close(): void {
    // Pure TS: nothing to release.
  }
}

