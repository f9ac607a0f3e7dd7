/**
 * Delay search by generalised cross-correlation with phase transform (GCC-PHAT), with the cross-spectrum
 * averaged over successive windows so that evidence for a weak but steady path accumulates.
 *
 * Segment convention (all at one sampling rate, e.g. the detector's 4 kHz):
 * - `x` (reference) holds `window + maxLag` samples, oldest first, zero-padded to `size`;
 * - `y` (observed) holds the last `window` samples, oldest first, zero-padded to `size`;
 * both segments end at the same instant. A path y(t) = g x(t - d) puts the peak at delay d (samples),
 * 0 <= d <= maxLag. Requires size >= window + maxLag, so lags in range never wrap.
 *
 * After `evaluate`, `delay` is the winning delay (samples), `peak` the signed value of the PHAT
 * correlation there, and `psr` the peak-to-noise ratio: |peak| over the RMS-equivalent (1.2533 x mean |.|)
 * of the correlation across the other lags (excluding a zone of `excludeBefore` samples before and
 * `excludeAfter` after the peak, so a reverberant tail does not count as noise). No allocation after
 * construction.
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
  /** Per-evaluation forgetting factor of the cross-spectrum average, 0 (none) .. <1. */
  smoothing: number;
  /** Lags excluded from the noise estimate around the peak, in samples (toward longer delays / shorter). */
  excludeAfter: number;
  excludeBefore: number;
}

export class GccPhat {
  delay = 0;
  peak = 0;
  psr = 0;

  private readonly fft: RealFft;
  private readonly o: GccPhatOptions;
  private readonly xr: Float64Array;
  private readonly xi: Float64Array;
  private readonly yr: Float64Array;
  private readonly yi: Float64Array;
  /** Averaged cross-spectrum X conj(Y). */
  private readonly sr: Float64Array;
  private readonly si: Float64Array;
  private readonly corr: Float64Array;
  /** |averaged cross-spectrum| per bin (scratch). */
  private readonly mag: Float64Array;

  constructor(opts: GccPhatOptions) {
    if (opts.size < opts.window + opts.maxLag) throw new RangeError('GccPhat: size < window + maxLag');
    this.o = { ...opts };
    this.fft = new RealFft(opts.size);
    const bins = opts.size / 2 + 1;
    this.xr = new Float64Array(bins);
    this.xi = new Float64Array(bins);
    this.yr = new Float64Array(bins);
    this.yi = new Float64Array(bins);
    this.sr = new Float64Array(bins);
    this.si = new Float64Array(bins);
    this.corr = new Float64Array(opts.size);
    this.mag = new Float64Array(bins);
  }

  /** Forget the averaged cross-spectrum. */
  reset(): void {
    this.sr.fill(0);
    this.si.fill(0);
    this.delay = 0;
    this.peak = 0;
    this.psr = 0;
  }

  /**
   * x and y are `size` long, laid out as in the module comment. `weight` scales this window's
   * cross-spectrum before it enters the average (the detector passes 1/sqrt(Ex Ey), so that windows
   * where the agent is quiet, and the leak is plain, count more than double-talk windows).
   */
  evaluate(x: Float64Array, y: Float64Array, weight: number, smoothing = this.o.smoothing): void {
    const o = this.o;
    const xr = this.xr, xi = this.xi, yr = this.yr, yi = this.yi, sr = this.sr, si = this.si;
    this.fft.forward(x, xr, xi);
    this.fft.forward(y, yr, yi);
    const a = smoothing;
    const b = (1 - a) * weight;
    const mag = this.mag;
    // Average the cross-spectrum in the band; find its mean magnitude for the PHAT floor.
    let magSum = 0;
    for (let k = o.binLo; k <= o.binHi; k++) {
      const cr = xr[k] * yr[k] + xi[k] * yi[k];
      const ci = xi[k] * yr[k] - xr[k] * yi[k];
      const nr = a * sr[k] + b * cr;
      const ni = a * si[k] + b * ci;
      sr[k] = nr;
      si[k] = ni;
      const m = Math.sqrt(nr * nr + ni * ni);
      mag[k] = m;
      magSum += m;
    }
    const eps = 1e-6 * (magSum / (o.binHi - o.binLo + 1)) + 1e-30;
    // PHAT weighting into the (reused) x spectrum buffers; out-of-band bins are zero.
    const bins = xr.length;
    for (let k = 0; k < bins; k++) {
      if (k < o.binLo || k > o.binHi) {
        xr[k] = 0;
        xi[k] = 0;
        continue;
      }
      const w = 1 / (mag[k] + eps);
      xr[k] = sr[k] * w;
      xi[k] = si[k] * w;
    }
    const corr = this.corr;
    this.fft.inverse(xr, xi, corr);
    // corr[m] = sum_n y[n] x[n + m]; delay d = maxLag - m.
    const L = o.maxLag;
    let best = 0;
    let bestAbs = -1;
    for (let m = 0; m <= L; m++) {
      const v = corr[m] < 0 ? -corr[m] : corr[m];
      if (v > bestAbs) {
        bestAbs = v;
        best = m;
      }
    }
    // Noise: mean |corr| outside the exclusion zone (longer delays = smaller m).
    const zLo = best - o.excludeAfter;
    const zHi = best + o.excludeBefore;
    let sum = 0;
    let cnt = 0;
    for (let m = 0; m <= L; m++) {
      if (m >= zLo && m <= zHi) continue;
      sum += corr[m] < 0 ? -corr[m] : corr[m];
      cnt++;
    }
    const noise = cnt > 0 ? (1.2533 * sum) / cnt : 0;
    this.delay = L - best;
    this.peak = corr[best];
    this.psr = noise > 0 ? bestAbs / noise : 0;
  }
}
