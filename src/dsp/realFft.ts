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

  /**
   * In-place iterative decimation-in-time on (zr, zi), input already bit-reversed: one plain radix-2
   * stage if the stage count is odd, then pairs of radix-2 stages merged into one pass (radix-2^2):
   * the second stage's odd twiddle is the first one times -i, so each pass does 4-point butterflies.
   */
  private butterflies(): void {
    const half = this.half;
    const zr = this.zr;
    const zi = this.zi;
    const cc = this.cc;
    const cs = this.cs;
    let stages = 0;
    while (1 << stages < half) stages++;
    let len = 2;
    if (stages & 1) {
      // len 2: twiddle 1
      for (let p = 0; p < half; p += 2) {
        const q = p + 1;
        const tr = zr[q];
        const ti = zi[q];
        zr[q] = zr[p] - tr;
        zi[q] = zi[p] - ti;
        zr[p] += tr;
        zi[p] += ti;
      }
      len = 4;
    }
    // Merged stages: first of length len (half-size h), then 2 len.
    for (; len <= half; len <<= 2) {
      const h = len >> 1;
      const quad = len << 1;
      const stepA = half / len;
      const stepB = half / quad;
      for (let j = 0; j < h; j++) {
        const ar = cc[j * stepA];
        const ai = cs[j * stepA];
        const br = cc[j * stepB];
        const bi = cs[j * stepB];
        for (let p0 = j; p0 < half; p0 += quad) {
          const p1 = p0 + h;
          const p2 = p1 + h;
          const p3 = p2 + h;
          // stage A on (p0, p1) and (p2, p3) with twiddle a
          const t1r = zr[p1] * ar - zi[p1] * ai;
          const t1i = zr[p1] * ai + zi[p1] * ar;
          const t3r = zr[p3] * ar - zi[p3] * ai;
          const t3i = zr[p3] * ai + zi[p3] * ar;
          const a0r = zr[p0] + t1r;
          const a0i = zi[p0] + t1i;
          const a1r = zr[p0] - t1r;
          const a1i = zi[p0] - t1i;
          const a2r = zr[p2] + t3r;
          const a2i = zi[p2] + t3i;
          const a3r = zr[p2] - t3r;
          const a3i = zi[p2] - t3i;
          // stage B: (p0, p2) with twiddle b, (p1, p3) with twiddle b * (-i)
          const u2r = a2r * br - a2i * bi;
          const u2i = a2r * bi + a2i * br;
          const v3r = a3r * br - a3i * bi;
          const v3i = a3r * bi + a3i * br;
          // (-i) * v3 = (v3i, -v3r)
          zr[p0] = a0r + u2r;
          zi[p0] = a0i + u2i;
          zr[p2] = a0r - u2r;
          zi[p2] = a0i - u2i;
          zr[p1] = a1r + v3i;
          zi[p1] = a1i - v3r;
          zr[p3] = a1r - v3i;
          zi[p3] = a1i + v3r;
        }
      }
    }
  }
}
