/**
 * The addon functions behind src/dsp/realFft.ts and src/dsp/decimator.ts (native/src/dsp/: FFTW and a
 * decimating FIR). There is no TypeScript fallback: whisperd needs its native addon, so a missing or
 * stale addon fails here, loudly, when the bleed detector's modules are first imported (at start-up).
 */
import { loadNative, type WhisperdNative } from '../native/addon';

export type DspNative = Pick<WhisperdNative, 'fftCreate' | 'fftForward' | 'fftInverse' | 'decimatorCreate' | 'decimatorProcess' | 'decimatorReset' | 'ringXcorr' | 'gccCreate' | 'gccReset' | 'gccEvaluate'>;

let dsp: DspNative | undefined;

export function dspNative(): DspNative {
  if (dsp !== undefined) return dsp;
  const n = loadNative();
  if (n === null || typeof n.fftCreate !== 'function' || typeof n.decimatorProcess !== 'function' || typeof n.ringXcorr !== 'function' || typeof n.gccEvaluate !== 'function') {
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
 * for k < lags: the inner loops of LeakLevel.accumulate (src/dsp/leakLevel.ts) in one native call. One
 * 160-sample chunk: 17 lags 1.3 us (TypeScript loops 3.1 us), 81 lags 3.5 us (19.8 us), process CPU
 * (test/unit/dsp/dspNative.test.ts checks them against each other).
 * Limits: len <= 65536, lags <= 4096, |d0| < 2^24 (negative d0: lags after t); throws RangeError on bad arguments (a caller bug).
 */
export function ringXcorr(x: Float32Array, y: Float32Array, mask: number, start: number, len: number, d0: number, lags: number, w: number, num: Float64Array, den: Float64Array): void {
  if (dspNative().ringXcorr(x, y, mask, start, len, d0, lags, w, num, den) !== 0) throw new RangeError('ringXcorr: bad arguments');
}
