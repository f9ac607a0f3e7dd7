/**
 * RFC 3389 comfort noise (RTP PT 13, "CN"): payload byte 0 is the noise level in -dBov (0..127),
 * optionally followed by reflection coefficients describing its spectrum. Used by the jitter buffer
 * (src/jitter/Concealer.ts) to fill DTX gaps at the level the sender signalled.
 *
 * Level reference (RFC 3389 §3): 0 dBov is the level of a full-scale square wave, i.e. an RMS of
 * 32767 for 16-bit linear PCM, so level = -20·log10(rms / 32767).
 * The generator produces WHITE noise at the signalled level; spectral shaping from the reflection
 * coefficients is not implemented (the level is what matters for a mixer; coefficients are ignored).
 */

const FULL_SCALE_RMS = 32767;

/** Level byte of a CN payload, or -4 (CodecError.PAYLOAD) if it is empty. Bit 7 is reserved and ignored. */
export function parseCnLevel(payload: Uint8Array, off: number, len: number): number {
  if (len < 1 || off < 0 || off >= payload.length) return -4;
  return payload[off]! & 0x7f;
}

/** White-noise generator; one per stream (its PRNG state is per instance). Allocates nothing per call. */
export class ComfortNoiseGenerator {
  private seed: number;

  constructor(seed = 0x2545f491) {
    this.seed = seed | 0 || 1;
  }

  /** Write `n` samples of noise at `level` (-dBov, 0..127) to out[off ..]. Returns n. */
  generate(level: number, out: Int16Array, off: number, n: number): number {
    const rms = FULL_SCALE_RMS * Math.pow(10, -(level & 0x7f) / 20);
    const amp = rms * Math.sqrt(3); // uniform on [-a, a] has RMS a/√3
    let s = this.seed;
    for (let i = 0; i < n; i++) {
      // xorshift32
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const u = (s >>> 0) / 4294967296; // [0, 1)
      const v = Math.round((2 * u - 1) * amp);
      out[off + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    this.seed = s;
    return n;
  }
}
