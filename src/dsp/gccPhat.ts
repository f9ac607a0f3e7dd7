/**
 * Delay search by generalised cross-correlation with phase transform (GCC-PHAT), made tolerant of a
 * drifting path delay: the cross-spectrum is averaged coherently over a short memory only, and what
 * accumulates over a longer memory is the correlation's envelope in the lag domain, widened (max-filtered)
 * between evaluations by as much as the delay may have moved since (issue 13: a phone's jitter buffer
 * stretching moves the path by a few ms over seconds; averaging phase across such a move cancels the
 * peak above ~250 Hz, an envelope that is allowed to move does not).
 *
 * Segment convention (all at one sampling rate, e.g. the detector's 4 kHz):
 * - `x` (reference) holds `window + maxLag` samples, oldest first, zero-padded to `size`;
 * - `y` (observed) holds the last `window` samples, oldest first, zero-padded to `size`;
 * both segments end at the same instant. A path y(t) = g x(t - d) puts the peak at delay d (samples),
 * 0 <= d <= maxLag. Requires size >= window + maxLag, so lags in range never wrap.
 *
 * Per evaluation:
 * 1. S <- c S + (1 - c) w X conj(Y) in the band (c = `coherent`, short: a few windows at most);
 * 2. PHAT-whitened S -> analytic correlation by two real inverse FFTs (S/|S| and its Hilbert pair -jS/|S|);
 *    env[m] = |analytic correlation| (phase- and polarity-free, one lobe ~1/bandwidth wide);
 * 3. A <- a dilate_r(A) + (1 - a) env, where dilate_r is a running max over +-r lags (r = the drift the
 *    caller allows since the last evaluation) and a the caller's forgetting factor;
 * 4. `delay` = argmax A, `psr` = (A[peak] - mean) / std of A over the other lags (excluding a zone of
 *    `excludeBefore` lags before and `excludeAfter` after the peak, so a reverberant tail and the early
 *    reflections do not count as noise). A z-score, not the old peak/mean ratio: thresholds differ.
 * No allocation after construction.
 */
import { RealFft } from './realFft';

export interface GccPhatOptions {
  /** FFT size (power of two) >= window + maxLag. */
  size: number;
  window: number;
  maxLag: number;
  /** Bins lo..hi (inclusive) take part; others are zeroed (codec band edges carry no usable phase). */
  binLo: number;
  binHi: number;
  /** Forgetting factor of the coherent cross-spectrum average, 0 (per window) .. <1 (default 0). */
  coherent?: number;
  /** Lags excluded from the noise estimate around the peak, in samples (toward longer delays / shorter). */
  excludeAfter: number;
  excludeBefore: number;
  /**
   * Whitening exponent: each bin of the averaged cross-spectrum is divided by |S|^beta (default 1 = PHAT;
   * smaller keeps some of the bins' strength: PHAT-beta, better when most bins hold little of the leak).
   */
  beta?: number;
  /** Shortest delay searched, samples (default 0): lags below it take no part in the peak or the noise. */
  minLag?: number;
}

export class GccPhat {
  delay = 0;
  psr = 0;

  private readonly fft: RealFft;
  private readonly o: Required<GccPhatOptions>;
  private readonly xr: Float64Array;
  private readonly xi: Float64Array;
  private readonly yr: Float64Array;
  private readonly yi: Float64Array;
  /** Coherently averaged cross-spectrum X conj(Y). */
  private readonly sr: Float64Array;
  private readonly si: Float64Array;
  private readonly corr: Float64Array;
  private readonly corrH: Float64Array;
  /** Envelope accumulator over lags 0..maxLag (index m: delay maxLag - m) and its dilation scratch. */
  private readonly acc: Float64Array;
  private readonly dil: Float64Array;

  constructor(opts: GccPhatOptions) {
    if (opts.size < opts.window + opts.maxLag) throw new RangeError('GccPhat: size < window + maxLag');
    this.o = { coherent: 0, minLag: 0, beta: 1, ...opts };
    this.fft = new RealFft(opts.size);
    const bins = opts.size / 2 + 1;
    this.xr = new Float64Array(bins);
    this.xi = new Float64Array(bins);
    this.yr = new Float64Array(bins);
    this.yi = new Float64Array(bins);
    this.sr = new Float64Array(bins);
    this.si = new Float64Array(bins);
    this.corr = new Float64Array(opts.size);
    this.corrH = new Float64Array(opts.size);
    this.acc = new Float64Array(opts.maxLag + 1);
    this.dil = new Float64Array(opts.maxLag + 1);
  }

  /** Forget all averages. */
  reset(): void {
    this.sr.fill(0);
    this.si.fill(0);
    this.acc.fill(0);
    this.delay = 0;
    this.psr = 0;
  }

  /**
   * x and y are `size` long, laid out as in the module comment. `weight` scales this window's
   * cross-spectrum in the coherent average (the detector passes 1/sqrt(Ex Ey)); `smoothing` is the
   * envelope accumulator's forgetting factor for this evaluation; `spread` the drift allowance in lags
   * (the accumulator is max-filtered over +-spread before the new envelope enters).
   */
  evaluate(x: Float64Array, y: Float64Array, weight: number, smoothing: number, spread: number): void {
    const o = this.o;
    const xr = this.xr, xi = this.xi, yr = this.yr, yi = this.yi, sr = this.sr, si = this.si;
    this.fft.forward(x, xr, xi);
    this.fft.forward(y, yr, yi);
    const c = o.coherent;
    const b = (1 - c) * weight;
    const beta = o.beta;
    // Coherent average in the band, then PHAT: x spectrum buffers <- S/|S|, y buffers <- -j S/|S|.
    const bins = xr.length;
    for (let k = 0; k < bins; k++) {
      if (k < o.binLo || k > o.binHi) {
        xr[k] = 0;
        xi[k] = 0;
        yr[k] = 0;
        yi[k] = 0;
        continue;
      }
      const cr = xr[k] * yr[k] + xi[k] * yi[k];
      const ci = xi[k] * yr[k] - xr[k] * yi[k];
      const nr = c * sr[k] + b * cr;
      const ni = c * si[k] + b * ci;
      sr[k] = nr;
      si[k] = ni;
      const m2 = nr * nr + ni * ni;
      let w = 0;
      if (m2 > 0) {
        const m = Math.sqrt(m2);
        if (beta === 1) w = 1 / m;
        else if (beta === 0.75) {
          // |S|^-0.75 with square roots only (Math.pow per bin cost ~0.15 ms per call-second)
          const r = Math.sqrt(m);
          w = 1 / (r * Math.sqrt(r));
        } else w = Math.pow(m, -beta);
      }
      xr[k] = nr * w;
      xi[k] = ni * w;
      yr[k] = ni * w;
      yi[k] = -nr * w;
    }
    const corr = this.corr;
    const corrH = this.corrH;
    this.fft.inverse(xr, xi, corr);
    this.fft.inverse(yr, yi, corrH);
    // corr[m] = sum_n y[n] x[n + m]; delay d = maxLag - m.
    const L = o.maxLag;
    const acc = this.acc;
    const dil = this.dil;
    const r = spread > 0 ? Math.floor(spread) : 0;
    if (r > 0) {
      // Running max over +-r (r is small; a direct scan is cheaper than a deque here).
      for (let m = 0; m <= L; m++) {
        const lo = m - r < 0 ? 0 : m - r;
        const hi = m + r > L ? L : m + r;
        let v = acc[lo];
        for (let j = lo + 1; j <= hi; j++) if (acc[j] > v) v = acc[j];
        dil[m] = v;
      }
    } else {
      for (let m = 0; m <= L; m++) dil[m] = acc[m];
    }
    const a = smoothing;
    const na = 1 - a;
    let best = 0;
    let bestV = -1;
    // Searched lags: delays minLag..maxLag (m = maxLag - delay).
    const mHi = L - o.minLag;
    for (let m = 0; m <= L; m++) {
      const cv = corr[m];
      const hv = corrH[m];
      const v = a * dil[m] + na * Math.sqrt(cv * cv + hv * hv);
      acc[m] = v;
      if (m <= mHi && v > bestV) {
        bestV = v;
        best = m;
      }
    }
    // Noise: mean and spread of the accumulator outside the exclusion zone (longer delays = smaller m).
    const zLo = best - o.excludeAfter;
    const zHi = best + o.excludeBefore;
    let s1 = 0;
    let s2 = 0;
    let cnt = 0;
    for (let m = 0; m <= mHi; m++) {
      if (m >= zLo && m <= zHi) continue;
      const v = acc[m];
      s1 += v;
      s2 += v * v;
      cnt++;
    }
    let psr = 0;
    if (cnt > 1) {
      const mean = s1 / cnt;
      const varv = s2 / cnt - mean * mean;
      psr = varv > 0 ? (bestV - mean) / Math.sqrt(varv) : 0;
    }
    this.delay = L - best;
    this.psr = psr;
  }
}
