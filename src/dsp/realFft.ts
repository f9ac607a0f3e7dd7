/**
 * Real-input FFT of a fixed power-of-two size, for the bleed detector's cross-correlations.
 *
 * Contract:
 * - `forward(x, re, im)`: x has `size` real samples; writes the non-negative-frequency half of the
 *   spectrum, bins 0..size/2 inclusive (so `re`/`im` need size/2 + 1 entries). Unnormalised:
 *   X[k] = sum_n x[n] e^{-2 pi i k n / size}.
 * - `inverse(re, im, x)`: the exact inverse of `forward` (scaled by 1/size), assuming a Hermitian
 *   spectrum; im[0] and im[size/2] are ignored.
 * - No allocation after construction; inputs are not modified (except by aliasing, which is not allowed).
 *
 * Method: the standard "two reals in one complex" packing — an N-point real transform is an N/2-point
 * complex radix-2 transform plus an O(N) split step. Written from the textbook identities.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  /** Work buffers for the N/2-point complex transform. */
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  /** Bit-reversal permutation of 0..half-1. */
  private readonly rev: Uint32Array;
  /** cos/sin of -2 pi j / half for j < half/2 (complex stage twiddles). */
  private readonly cc: Float64Array;
  private readonly cs: Float64Array;
  /** cos/sin of -2 pi k / size for k <= half (split-step twiddles). */
  private readonly sc: Float64Array;
  private readonly ss: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`RealFft size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    const half = size >> 1;
    this.half = half;
    this.zr = new Float64Array(half);
    this.zi = new Float64Array(half);
    this.rev = new Uint32Array(half);
    let bits = 0;
    while (1 << bits < half) bits++;
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.rev[i] = r;
    }
    const quarter = Math.max(1, half >> 1);
    this.cc = new Float64Array(quarter);
    this.cs = new Float64Array(quarter);
    for (let j = 0; j < quarter; j++) {
      this.cc[j] = Math.cos((-2 * Math.PI * j) / half);
      this.cs[j] = Math.sin((-2 * Math.PI * j) / half);
    }
    this.sc = new Float64Array(half + 1);
    this.ss = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.sc[k] = Math.cos((-2 * Math.PI * k) / size);
      this.ss[k] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  forward(x: Float64Array, re: Float64Array, im: Float64Array): void {
    const half = this.half;
    const zr = this.zr;
    const zi = this.zi;
    const rev = this.rev;
    // Pack even samples into the real part, odd into the imaginary part (bit-reversed order).
    for (let n = 0; n < half; n++) {
      const r = rev[n];
      zr[r] = x[2 * n];
      zi[r] = x[2 * n + 1];
    }
    this.butterflies();
    // Split: E[k] = (Z[k] + conj Z[M-k]) / 2, O[k] = (Z[k] - conj Z[M-k]) / 2i, X[k] = E[k] + w^k O[k].
    const sc = this.sc;
    const ss = this.ss;
    for (let k = 0; k <= half; k++) {
      const a = k === half ? 0 : k;
      const b = k === 0 ? 0 : half - k;
      const ar = zr[a];
      const ai = zi[a];
      const br = zr[b];
      const bi = -zi[b];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // (Z[k] - conj Z[M-k]) / 2i  ->  ((ai - bi) / 2, -(ar - br) / 2)
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      const wr = sc[k];
      const wi = ss[k];
      re[k] = er + (wr * or - wi * oi);
      im[k] = ei + (wr * oi + wi * or);
    }
  }

  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void {
    const half = this.half;
    const zr = this.zr;
    const zi = this.zi;
    const rev = this.rev;
    const sc = this.sc;
    const ss = this.ss;
    // Rebuild Z[k] = E[k] + i O[k] with E[k] = (X[k] + conj X[M-k]) / 2, O[k] = (X[k] - conj X[M-k]) w^-k / 2.
    // The complex inverse is done as conj(FFT(conj(Z))) / M, so store conj(Z) in bit-reversed order.
    for (let k = 0; k < half; k++) {
      const ar = re[k];
      const ai = k === 0 ? 0 : im[k];
      const br = re[half - k];
      const bi = half - k === half ? 0 : -im[half - k];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      // multiply by w^-k = conj(w^k)
      const wr = sc[k];
      const wi = -ss[k];
      const or = dr * wr - di * wi;
      const oi = dr * wi + di * wr;
      // Z = E + i O
      const r = rev[k];
      zr[r] = er - oi;
      zi[r] = -(ei + or);
    }
    this.butterflies();
    const scale = 1 / half;
    for (let n = 0; n < half; n++) {
      x[2 * n] = zr[n] * scale;
      x[2 * n + 1] = -zi[n] * scale;
    }
  }

  /** In-place iterative radix-2 decimation-in-time on (zr, zi), input already bit-reversed. */
  private butterflies(): void {
    const half = this.half;
    const zr = this.zr;
    const zi = this.zi;
    const cc = this.cc;
    const cs = this.cs;
    // First stage (len 2): twiddle 1, no multiplications.
    for (let p = 0; p < half; p += 2) {
      const q = p + 1;
      const tr = zr[q];
      const ti = zi[q];
      zr[q] = zr[p] - tr;
      zi[q] = zi[p] - ti;
      zr[p] += tr;
      zi[p] += ti;
    }
    for (let len = 4; len <= half; len <<= 1) {
      const h = len >> 1;
      const step = half / len;
      // Twiddle outer, blocks inner: each twiddle is loaded once per stage.
      for (let j = 0; j < h; j++) {
        const wr = cc[j * step];
        const wi = cs[j * step];
        for (let p = j; p < half; p += len) {
          const q = p + h;
          const xr = zr[q];
          const xi = zi[q];
          const tr = xr * wr - xi * wi;
          const ti = xr * wi + xi * wr;
          const pr = zr[p];
          const pi = zi[p];
          zr[q] = pr - tr;
          zi[q] = pi - ti;
          zr[p] = pr + tr;
          zi[p] = pi + ti;
        }
      }
    }
  }
}
