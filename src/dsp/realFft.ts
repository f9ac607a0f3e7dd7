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
 * Method: FFTW 3 in double precision (native/src/dsp/fft.cc, the addon links -lfftw3): r2c / c2r plans
 * made once per size per process (FFTW_ESTIMATE) at construction, on the JS thread; a call executes one
 * and (de)interleaves the spectrum into re/im. ~6.5 us per 4096-point transform here (process CPU, hot
 * cache; bench/dsp-kernels.bench.ts), against ~33 us for the former TypeScript radix-2^2 code (kept as
 * the test oracle in test/fixtures/dsp/realFftTs.ts).
 */
import type { FftHandle } from '../../native/index';
import { dspNative, type DspNative } from './nativeDsp';

const native: DspNative = dspNative();

export class RealFft {
  readonly size: number;
  private readonly h: FftHandle;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0 || size > 1 << 20) {
      throw new RangeError(`RealFft size must be a power of two in 4 .. 2^20, got ${size}`);
    }
    this.size = size;
    this.h = native.fftCreate(size);
  }

  forward(x: Float64Array, re: Float64Array, im: Float64Array): void {
    if (native.fftForward(this.h, x, re, im) !== 0) throw new RangeError(`RealFft.forward: x needs ${this.size}, re/im ${this.size / 2 + 1} Float64 entries`);
  }

  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void {
    if (native.fftInverse(this.h, re, im, x) !== 0) throw new RangeError(`RealFft.inverse: re/im need ${this.size / 2 + 1}, x ${this.size} Float64 entries`);
  }
}
