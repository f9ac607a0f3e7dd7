/**
 * Leak level by weighted least squares around a detected delay, for the bleed detector.
 *
 * Given ring buffers of the reference x and the observed y (same rate, same write position `end`),
 * and a centre delay d (samples), keeps for every lag d-K .. d+K the sums
 *   num_k = sum_chunks w_c sum_t y(t) x(t - d - k),   den_k = sum_chunks w_c sum_t x(t - d - k)^2
 * over chunks of `chunk` samples, with one weight per chunk w_c = 1 / (residual power + floor), the
 * residual being y minus the leak predicted at the current best lag (a fit's first pass, in start(), weights
 * by 1 / observed power instead: see start). Chunks where the agent talks
 * (large residual, no extra leak) thus count less than chunks where the leak stands alone, and the weights
 * do not depend on the sign of the double-talk term, so the estimate stays unbiased.
 * The best lag maximises |num_k| / sqrt(den_k) (normalised correlation; codecs such as G.729 and Opus
 * shift the waveform by a few samples relative to where the whitened GCC peak sits); the gain is
 * interpolated parabolically around it. Sums decay by `smoothing` per update.
 * Drift (session 7): with `maxShift` > 0 an update first sums the new chunks on their own, then moves the
 * decayed old sums (and the centre: the fitted window follows the path) by the lag shift
 * (|shift| <= maxShift) whose z-profile best matches the new chunks' one, so evidence gathered while the
 * path delay was a little shorter or longer (a jitter buffer stretching) adds up at the lag where the path
 * is now instead of smearing over several lags (which cancelled the fit within a few seconds of a 2-5 ms
 * drift). Shifts are considered only when the old sums are already
 * significant (>= shiftMinScore), so noise does not walk them around.
 * Level memory (session 12): with `gainSmoothing` != `smoothing` a second set of sums, decayed by
 * gainSmoothing and shifted with the first, gives the gain (the level); the first set keeps giving the best lag
 * and the significance. A short gain memory follows a drifting path's level; the significance still needs the
 * long one.
 * No allocation after construction.
 */
import { ringFit } from './nativeDsp';

export class LeakLevel {
  /** Centre delay (samples); -1 = not tracking. */
  center = -1;
  private readonly num: Float64Array;
  private readonly den: Float64Array;
  private best = 0;
  private gainValue = 0;
  private delayValue = 0;
  private scoreValue = 0;
  /** The level's sums' own significance at the best lag (with a separate level memory). */
  private gainScoreValue = 0;
  /** The newest chunks' sums (drift alignment). */
  private readonly fnum: Float64Array;
  private readonly fden: Float64Array;
  /** Lag shifts applied so far (diagnostics). */
  shifts = 0;
  /** Updates (new audio) since the fit started: 0 = it holds only the buffered history it started on. */
  updates = 0;
  private readonly sep: boolean;
  private readonly gnum: Float64Array;
  private readonly gden: Float64Array;
  /** ringFit's arguments (a typed array: no allocation per call). */
  private readonly fitArgs = new Float64Array(9);

  constructor(
    private readonly halfWidth: number,
    private readonly chunk: number,
    private readonly powerFloor: number,
    private readonly smoothing: number,
    private readonly maxShift = 0,
    private readonly shiftMinScore = 4,
    private readonly startWeights: 'observed' | 'residual' = 'observed',
    private readonly gainSmoothing = smoothing,
    private readonly gainMinSignificance = 0,
    /** 'peak' (session 13): interpolate the gain only where the gain profile peaks at the best lag; 'always' before. */
    private readonly gainInterpolation: 'peak' | 'always' = 'peak',
  ) {
    this.sep = gainSmoothing !== smoothing;
    this.gnum = new Float64Array(this.sep ? 2 * halfWidth + 1 : 0);
    this.gden = new Float64Array(this.sep ? 2 * halfWidth + 1 : 0);
    this.num = new Float64Array(2 * halfWidth + 1);
    this.den = new Float64Array(2 * halfWidth + 1);
    this.fnum = new Float64Array(2 * halfWidth + 1);
    this.fden = new Float64Array(2 * halfWidth + 1);
  }

  reset(): void {
    this.shifts = 0;
    this.updates = 0;
    this.center = -1;
    this.num.fill(0);
    this.den.fill(0);
    this.best = 0;
    this.gainValue = 0;
    this.delayValue = 0;
    this.scoreValue = 0;
    this.gainScoreValue = 0;
  }

  /**
   * Start tracking `delay` over the newest `span` samples. `startWeights` 'observed' (the default, session 9):
   * one pass, each chunk weighted by 1 / its observed power. 'residual' (before): an unweighted pass, then a
   * pass weighted by 1 / the residual of that pass's gain — a gain fitted on the same 1.2 s, so a chunk where
   * the agent's voice happened to correlate with the whisper got a smaller residual, a larger weight and a
   * larger significance: the feedback behind most no-leak false trips of the 100 h calibration
   * (bench/bleed/eval-results-2026-12-06-session9.md). Updates keep the residual weights, with the gain of
   * the sums so far.
   */
  start(xr: Float32Array, yr: Float32Array, mask: number, end: number, span: number, delay: number): void {
    this.center = delay;
    this.updates = 0;
    this.best = this.halfWidth;
    let g0 = 0;
    if (this.startWeights === 'residual') {
      this.num.fill(0);
      this.den.fill(0);
      this.accumulate(xr, yr, mask, end, span, false);
      this.pickBest();
      g0 = this.bestSignedGain();
    }
    this.num.fill(0);
    this.den.fill(0);
    this.accumulate(xr, yr, mask, end, span, true, g0);
    if (this.sep) {
      this.gnum.set(this.num);
      this.gden.set(this.den);
    }
    this.pickBest();
  }

  /** Decay the sums and add the newest `span` samples (a multiple of `chunk`). */
  update(xr: Float32Array, yr: Float32Array, mask: number, end: number, span: number): void {
    const a = this.smoothing;
    const num = this.num;
    const den = this.den;
    this.updates++;
    if (this.maxShift <= 0 || this.scoreValue < this.shiftMinScore) {
      for (let k = 0; k < num.length; k++) {
        num[k] *= a;
        den[k] *= a;
      }
      // (the level's sums take the same new chunks: what accumulate added; num and den stay bit for bit as
      // without them)
      if (this.sep) {
        this.fnum.set(num);
        this.fden.set(den);
      }
      this.accumulate(xr, yr, mask, end, span, true, this.bestSignedGain(), num, den);
      if (this.sep) {
        for (let k = 0; k < num.length; k++) {
          this.fnum[k] = num[k] - this.fnum[k];
          this.fden[k] = den[k] - this.fden[k];
        }
        this.addToGainSums(0);
      }
      this.pickBest();
      return;
    }
    const fnum = this.fnum;
    const fden = this.fden;
    fnum.fill(0);
    fden.fill(0);
    this.accumulate(xr, yr, mask, end, span, true, this.bestSignedGain(), fnum, fden);
    // Slide of the old z-profile that best matches the new one (0 unless another shift is clearly better).
    const n = num.length;
    let bestShift = 0;
    let bestM = this.match(0);
    const margin = 0.1 * (bestM > 0 ? bestM : -bestM);
    for (let s = 1; s <= this.maxShift; s++) {
      const mp = this.match(s);
      if (mp > bestM + margin) {
        bestM = mp;
        bestShift = s;
      }
      const mn = this.match(-s);
      if (mn > bestM + margin) {
        bestM = mn;
        bestShift = -s;
      }
    }
    if (bestShift !== 0) {
      // The window moves with the path: old sums keep their indices (now `bestShift` lags later), the
      // new chunks' sums keep their absolute lags (index k of the new window = index k + bestShift of
      // the old one).
      this.shifts++;
      this.center += bestShift;
      for (let k = 0; k < n; k++) {
        const j = k + bestShift;
        const inRange = j >= 0 && j < n;
        num[k] = a * num[k] + (inRange ? fnum[j] : 0);
        den[k] = a * den[k] + (inRange ? fden[j] : 0);
      }
    } else {
      for (let k = 0; k < n; k++) {
        num[k] = a * num[k] + fnum[k];
        den[k] = a * den[k] + fden[k];
      }
    }
    if (this.sep) this.addToGainSums(bestShift);
    this.pickBest();
  }

  /** The level's sums: decay by gainSmoothing and add the new chunks' sums (fnum, fden), slid as the main sums by `shift`. */
  private addToGainSums(shift: number): void {
    const g = this.gainSmoothing;
    const n = this.gnum.length;
    for (let k = 0; k < n; k++) {
      const j = k + shift;
      const inRange = j >= 0 && j < n;
      this.gnum[k] = g * this.gnum[k] + (inRange ? this.fnum[j] : 0);
      this.gden[k] = g * this.gden[k] + (inRange ? this.fden[j] : 0);
    }
  }

  /** Sum over lags of the old z-profile slid by `s` times the new one (signed: polarity must agree). */
  private match(s: number): number {
    const num = this.num;
    const den = this.den;
    const fnum = this.fnum;
    const fden = this.fden;
    const n = num.length;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const j = k - s;
      if (j < 0 || j >= n || den[j] <= 0 || fden[k] <= 0) continue;
      m += (num[j] / Math.sqrt(den[j])) * (fnum[k] / Math.sqrt(fden[k]));
    }
    return m;
  }

  /** Significance of the gain as the level's sums read it (|num|/sqrt(den) at the best lag; = significance with one set of sums). */
  get gainSignificance(): number {
    return this.sep ? this.gainScoreValue : this.scoreValue;
  }

  /** True when `delay` (samples) lies within the lags this fit tracks (+-halfWidth around its centre). */
  spans(delay: number): boolean {
    return Math.abs(delay - this.center) <= this.halfWidth;
  }

  /** |gain| at the best lag, parabolically interpolated over its neighbours (linear units). */
  get gain(): number {
    return this.gainValue;
  }

  /** Delay of the best lag in samples (fractional, parabolic on the normalised correlation). */
  get delay(): number {
    return this.delayValue;
  }

  /**
   * Significance of the gain at the best lag: |num| / sqrt(den). With weights 1/residual power this is
   * the gain over its standard error for white residuals (speech residuals are coloured, so it runs
   * a few times higher than a true z-score; compare against a calibrated threshold).
   */
  get significance(): number {
    return this.scoreValue;
  }

  /** Best |num|/sqrt(den) over lags within +-halfWidth of `delay` (samples; 0 outside the tracked span). */
  scoreNear(delay: number, halfWidth: number): number {
    const num = this.num;
    const den = this.den;
    let lo = Math.ceil(delay - halfWidth - this.center + this.halfWidth);
    let hi = Math.floor(delay + halfWidth - this.center + this.halfWidth);
    if (lo < 0) lo = 0;
    if (hi > num.length - 1) hi = num.length - 1;
    let best = 0;
    for (let k = lo; k <= hi; k++) {
      const v = den[k] > 0 ? Math.abs(num[k]) / Math.sqrt(den[k]) : 0;
      if (v > best) best = v;
    }
    return best;
  }

  /**
   * Choose the lag with the highest normalised correlation |num|/sqrt(den) and refresh the interpolated
   * gain and delay. Written without helper calls that return doubles (those would box on the heap).
   */
  private pickBest(): void {
    const num = this.num;
    const den = this.den;
    const last = num.length - 1;
    let best = this.halfWidth;
    let bestS = -1;
    for (let k = 0; k <= last; k++) {
      const s = den[k] > 0 ? Math.abs(num[k]) / Math.sqrt(den[k]) : 0;
      if (s > bestS) {
        bestS = s;
        best = k;
      }
    }
    this.best = best;
    this.scoreValue = bestS > 0 ? bestS : 0;
    // The short memory's gain only when it is significant on its own (a quarter second with little whisper in
    // it gives a small den and a wild gain); else the long memory's.
    let gn = num;
    let gd = den;
    if (this.sep) {
      const sg = this.gden[best] > 0 ? Math.abs(this.gnum[best]) / Math.sqrt(this.gden[best]) : 0;
      this.gainScoreValue = sg;
      if (sg >= this.gainMinSignificance) {
        gn = this.gnum;
        gd = this.gden;
      }
    }
    const c = gd[best] > 0 ? Math.abs(gn[best] / gd[best]) : 0;
    let gain = c;
    let frac = 0;
    if (best > 0 && best < last) {
      const l = gd[best - 1] > 0 ? Math.abs(gn[best - 1] / gd[best - 1]) : 0;
      const r = gd[best + 1] > 0 ? Math.abs(gn[best + 1] / gd[best + 1]) : 0;
      const curv = l - 2 * c + r;
      // Only around a peak of the gain profile: the lag is chosen by significance, and where the gain at a
      // neighbour is higher (the short memory's sums at the edge of a slide, a small den) the parabola's vertex
      // lies outside the three lags and runs away (session 13's -50 dB calibration: a -50 dB path read at -6.4 dB).
      if (curv < 0 && ((c >= l && c >= r) || this.gainInterpolation === 'always')) {
        const v = c - (0.125 * (l - r) * (l - r)) / curv;
        if (v > c) gain = v;
      }
      const sl = den[best - 1] > 0 ? Math.abs(num[best - 1]) / Math.sqrt(den[best - 1]) : 0;
      const sr = den[best + 1] > 0 ? Math.abs(num[best + 1]) / Math.sqrt(den[best + 1]) : 0;
      const sc = sl - 2 * bestS + sr;
      if (sc < 0) frac = (0.5 * (sl - sr)) / sc;
    }
    this.gainValue = gain;
    this.delayValue = this.center + best - this.halfWidth + frac;
  }

  /** Signed gain at the current best lag (for the residual weights). */
  private bestSignedGain(): number {
    const k = this.best;
    return this.den[k] > 0 ? this.num[k] / this.den[k] : 0;
  }

  private accumulate(xr: Float32Array, yr: Float32Array, mask: number, end: number, span: number, weighted: boolean, gHat = 0, num = this.num, den = this.den): void {
    // For each chunk: its weight from the residual power at the best lag (1 / (residual / chunk + floor);
    // 1 unweighted), then num[k] += w sum y x_(d0+k), den[k] += w sum x_(d0+k)^2 for every lag: one native
    // call for all chunks (src/dsp/nativeDsp.ts ringFit).
    const K = this.halfWidth;
    const p = this.fitArgs;
    p[0] = end - span;
    p[1] = span;
    p[2] = this.chunk;
    p[3] = this.center - K;
    p[4] = 2 * K + 1;
    p[5] = this.best;
    p[6] = gHat;
    p[7] = this.powerFloor;
    p[8] = weighted ? 1 : 0;
    ringFit(xr, yr, mask, num, den, p);
  }
}
