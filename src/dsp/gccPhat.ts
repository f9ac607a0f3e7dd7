/**
 * Delay search by generalised cross-correlation with phase transform (GCC-PHAT), made tolerant of a
 * drifting path delay: the cross-spectrum is averaged coherently over a short memory only, and what
 * accumulates over a longer memory is the correlation's envelope in the lag domain, widened (max-filtered)
 * between evaluations by as much as the delay may have moved since (issue 13: a phone's jitter buffer
 * stretching moves the path by a few ms over seconds; averaging phase across such a move cancels the
 * peak above ~250 Hz, an envelope that is allowed to move does not).
 *
 * Segment convention (all at one sampling rate, e.g. the detector's 4 kHz), read out of the caller's
 * two rings (Float32, a power of two long) ending at ring position `end`:
 * - `x` (reference) holds `window + maxLag` samples, oldest first, zero-padded to `size`;
 * - `y` (observed) holds the last `window` samples, oldest first, zero-padded to `size`;
 * both segments end at the same instant; the window's weight in the coherent average is 1/sqrt(Ex Ey + 1)
 * (windows where the agent is quiet count more). A path y(t) = g x(t - d) puts the peak at delay d (samples),
 * 0 <= d <= maxLag. Requires size >= window + maxLag, so lags in range never wrap.
 *
 * Per evaluation:
 * 1. S <- c S + (1 - c) w X conj(Y) in the band (c = `coherent`, short: a few windows at most; w the weight);
 * 2. PHAT-whitened S -> analytic correlation by two real inverse FFTs (S/|S| and its Hilbert pair -jS/|S|);
 *    or, with `observedHalfBins` (observed whitening, session 13; the bleed detector's default), steps 1-2 as
 *    S <- c S + (1 - c) X conj(Y) / (P(k) + floor), P(k) the observed power |Y|^2 around bin k in this window,
 *    and S itself (not S/|S|) to the inverse FFTs: each bin of each window counts by its reference-to-observed
 *    ratio, the matched filter whitened by the interference (bench/bleed/oracle.ts). PHAT counts every bin alike,
 *    and under double talk most bins hold the agent and little of the whisper: on the tuning part the search
 *    found the true delay in 16-33 % of evaluations (G.729 / G.711); the detector then alarmed on a -20 dB leak
 *    within 2 s in 142 of 270 runs with PHAT-beta, 171 with observed whitening
 *    (bench/bleed/eval-results-2026-12-07-session13.md);
 *    env[m] = |analytic correlation| (phase- and polarity-free, one lobe ~1/bandwidth wide);
 * 3. A <- a dilate_r(A) + (1 - a) env, where dilate_r is a running max over +-r lags (r = the drift the
 *    caller allows since the last evaluation) and a the caller's forgetting factor;
 * 4. `delay` = argmax A, `psr` = (A[peak] - mean) / std of A over the other lags (excluding a zone of
 *    `excludeBefore` lags before and `excludeAfter` after the peak, so a reverberant tail and the early
 *    reflections do not count as noise). A z-score, not the old peak/mean ratio: thresholds differ.
 * Where it runs: one native call per evaluation (native/src/dsp/gcc.cc: the ring copies, FFTW transforms,
 * the per-bin and per-lag loops), bit-identical to the TypeScript arithmetic kept as the test oracle
 * (test/fixtures/dsp/gccPhatTs.ts; test/unit/dsp/gccPhatNative.test.ts). Moving it cut the detector's CPU
 * on dense speech by 12-24 % (8 kHz: ~0.33 -> ~0.27 ms per call-second; bench/bleed/eval-results-2026-12-06-session8.md).
 * No allocation after construction.
 */
import type { GccHandle } from '../../native/index';
import { dspNative, type DspNative } from './nativeDsp';

const native: DspNative = dspNative();

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
  /**
   * Observed whitening (session 13) instead of PHAT-beta when > 0 (default 0): each window's cross-spectrum
   * enters the average divided by the observed power around its bin (|Y|^2 averaged over +-observedHalfBins
   * bins, plus observedFloor x the band's mean), and the average is not whitened again; `beta` and the window
   * weight are then unused. See the module comment.
   */
  observedHalfBins?: number;
  /** Observed whitening: the power floor as a fraction of the band's mean observed power (default 0.01). */
  observedFloor?: number;
}

export class GccPhat {
  delay = 0;
  psr = 0;

  private readonly h: GccHandle;
  private readonly out = new Float64Array(2);

  constructor(opts: GccPhatOptions) {
    // gccCreate checks the geometry (RangeError: size a power of two >= window + maxLag, bins within size/2, ...).
    this.h = native.gccCreate(opts.size, opts.window, opts.maxLag, opts.binLo, opts.binHi, opts.coherent ?? 0, opts.beta ?? 1, opts.minLag ?? 0, opts.excludeAfter, opts.excludeBefore, opts.observedHalfBins ?? 0, opts.observedFloor ?? 0.01);
  }

  /** Forget all averages. */
  reset(): void {
    native.gccReset(this.h);
    this.delay = 0;
    this.psr = 0;
  }

  /**
   * One evaluation over the rings (`mask + 1` samples each, >= window + maxLag) ending at ring position
   * `end`. `smoothing` is the envelope accumulator's forgetting factor for this evaluation; `spread` the
   * drift allowance in lags (the accumulator is max-filtered over +-spread before the new envelope enters).
   */
  evaluate(ringX: Float32Array, ringY: Float32Array, mask: number, end: number, smoothing: number, spread: number): void {
    if (native.gccEvaluate(this.h, ringX, ringY, mask, end, smoothing, spread, this.out) !== 0) {
      throw new RangeError('GccPhat.evaluate: rings shorter than window + maxLag or not a power of two');
    }
    this.delay = this.out[0]!;
    this.psr = this.out[1]!;
  }
}
