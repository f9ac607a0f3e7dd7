/**
 * The addon functions behind src/dsp/realFft.ts and src/dsp/decimator.ts (native/src/dsp/: FFTW and a
 * decimating FIR). There is no TypeScript fallback: whisperd needs its native addon, so a missing or
 * stale addon fails here, loudly, when the bleed detector's modules are first imported (at start-up).
 */
import { loadNative, type WhisperdNative } from '../native/addon';

export type DspNative = Pick<WhisperdNative, 'dspKernels' | 'fftCreate' | 'fftForward' | 'fftInverse' | 'decimatorCreate' | 'decimatorProcess' | 'decimatorReset' | 'ringXcorr' | 'ringFit' | 'gccCreate' | 'gccReset' | 'gccEvaluate'>;

let dsp: DspNative | undefined;

export function dspNative(): DspNative {
  if (dsp !== undefined) return dsp;
  const n = loadNative();
  if (n === null || typeof n.fftCreate !== 'function' || typeof n.decimatorProcess !== 'function' || typeof n.ringFit !== 'function' || typeof n.gccEvaluate !== 'function' || typeof n.dspKernels !== 'function') {
    throw new Error(
      'whisperd_native addon is missing or lacks the DSP kernels (fftCreate, decimatorProcess): the bleed detector needs it; ' +
        'install libfftw3-dev (scripts/system-deps.sh run) and rebuild with `make native`',
    );
  }
  dsp = n;
  return n;
}

/**
 * Lagged cross-products over two ring buffers (mask + 1 samples, a power of two), t in [start, start + len):
 *   num[k] += w * sum_t y[t & mask] * x[(t - d0 - k) & mask],  den[k] += w * sum_t x[(t - d0 - k) & mask]^2,
 * for k < lags: the inner loops of LeakLevel's fit for one chunk (LeakLevel calls ringFit, which runs them per
 * chunk; this one is the kernel the tests hold against the TypeScript loops, test/unit/dsp/dspNative.test.ts).
 * One 160-sample chunk: 17 lags 1.4 us (TypeScript loops 3.2 us), 81 lags 2.7 us (21.8 us), process CPU
 * (bench/dsp-kernels.bench.ts).
 * Limits: len <= 65536, lags <= 4096, |d0| < 2^24 (negative d0: lags after t); throws RangeError on bad arguments (a caller bug).
 */
export function ringXcorr(x: Float32Array, y: Float32Array, mask: number, start: number, len: number, d0: number, lags: number, w: number, num: Float64Array, den: Float64Array): void {
  if (dspNative().ringXcorr(x, y, mask, start, len, d0, lags, w, num, den) !== 0) throw new RangeError('ringXcorr: bad arguments');
}

/**
 * Which variant of the vector kernels (decimator, lag loops, delay search) runs: 'avx2' where the CPU has it,
 * else 'baseline' (SSE2). Both are the same operations in the same order (native/src/dsp/simd.h: bit-identical
 * results); `mode` 'baseline' forces the baseline, 'auto' restores the default (tests compare the two).
 */
export function dspKernels(mode?: 'auto' | 'baseline'): 'avx2' | 'baseline' {
  const r = dspNative().dspKernels(mode);
  if (r !== 'avx2' && r !== 'baseline') throw new RangeError(`dspKernels: bad mode ${String(mode)}`);
  return r;
}

/**
 * LeakLevel's accumulate (src/dsp/leakLevel.ts) in one native call: p = [start, span, chunk, d0, lags, best,
 * gHat, powerFloor, weighted]. For each chunk of [start, start + span): its weight (1, or when weighted
 * 1 / (max(0, syy - 2 gHat sxy + gHat^2 sxx) / chunk + powerFloor) from the sums at lag d0 + best), then
 * ringXcorr's lag loops with that weight. Same arithmetic as the former TypeScript loop around ringXcorr
 * (test/unit/dsp/dspNative.test.ts: bit for bit). Throws RangeError on bad arguments (a caller bug).
 */
export function ringFit(x: Float32Array, y: Float32Array, mask: number, num: Float64Array, den: Float64Array, p: Float64Array): void {
  if (dspNative().ringFit(x, y, mask, num, den, p) !== 0) throw new RangeError('ringFit: bad arguments');
}
