/**
 * Integer-factor decimator: 16-bit PCM at `inputRate` in, float samples at `inputRate / factor` out.
 *
 * Anti-alias filter: a Blackman-windowed sinc low-pass with its cutoff at 0.45 x the output rate
 * (1.8 kHz for a 4 kHz output), `6 * factor + 1` taps (`4 * factor + 1` above factor 4, to keep 48 kHz
 * input cheap), unity gain at DC. Output samples keep the
 * input's scale (int16 units, not normalised). State (filter history and decimation phase) carries
 * across calls, so any block size may be fed. No allocation after construction.
 *
 * Optional `highPassHz`: the HighPass biquad of src/dsp/biquad.ts run on every output sample in the same
 * call (same arithmetic as HighPass.step on the output), so a caller needs no per-sample JS filter.
 *
 * The filtering runs in the native addon (native/src/dsp/decimator.cc, one call per `process`): the
 * dot product uses eight partial sums, so outputs differ from the former TypeScript loop
 * (test/fixtures/dsp/decimatorTs.ts, the test oracle) by rounding only (~1e-16 relative).
 */
import type { DecimatorHandle } from '../../native/index';
import { highPassCoefficients } from './biquad';
import { dspNative, type DspNative } from './nativeDsp';

const native: DspNative = dspNative();

export interface DecimatorOptions {
  /** High-pass the output at this frequency (Hz, below outputRate / 2); default none. */
  highPassHz?: number;
}

export class Decimator {
  readonly inputRate: number;
  readonly outputRate: number;
  readonly factor: number;
  private readonly ntaps: number;
  private readonly h: DecimatorHandle;
  /** Decimation phase, mirrored from the native state (it is a function of the samples fed). */
  private phase = 0;

  constructor(inputRate: number, outputRate: number, opts: DecimatorOptions = {}) {
    const factor = inputRate / outputRate;
    if (!Number.isInteger(factor) || factor < 1 || factor > 64) {
      throw new RangeError(`Decimator: ${inputRate} Hz is not an integer multiple (1..64) of ${outputRate} Hz`);
    }
    const hp = opts.highPassHz;
    if (hp !== undefined && !(hp > 0 && hp < outputRate / 2)) throw new RangeError(`Decimator: highPassHz must be in (0, ${outputRate / 2})`);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.factor = factor;
    const ntaps = factor === 1 ? 1 : factor <= 4 ? 6 * factor + 1 : 4 * factor + 1;
    this.ntaps = ntaps;
    this.h = native.decimatorCreate(factor, designLowPass(ntaps, (0.45 * outputRate) / inputRate), hp === undefined ? null : highPassCoefficients(hp, outputRate));
  }

  /** Input samples consumed since the last output (the next output comes after factor - pending more). */
  get pending(): number {
    return this.phase;
  }

  /** The group delay of the filter in output samples (the output lags the input by this much). */
  get delayOutputSamples(): number {
    return (this.ntaps - 1) / 2 / this.factor;
  }

  /**
   * Filter and decimate input[offset .. offset+samples); write the produced samples to out[outOffset ..].
   * Returns how many were written (about samples / factor; exact over time). Throws RangeError (and
   * consumes nothing) if the span is outside `input` or `out` has no room for the outputs.
   */
  process(input: Int16Array, offset: number, samples: number, out: Float64Array, outOffset: number): number {
    const n = native.decimatorProcess(this.h, input, offset, samples, out, outOffset);
    if (n < 0) throw new RangeError(`Decimator.process: bad span or no room for the output (${n})`);
    this.phase = (this.phase + samples) % this.factor;
    return n;
  }

  reset(): void {
    native.decimatorReset(this.h);
    this.phase = 0;
  }
}

/** Windowed-sinc low-pass; `cutoff` is a fraction of the sampling rate (0 .. 0.5). Normalised to unity DC gain. */
export function designLowPass(ntaps: number, cutoff: number): Float64Array {
  const h = new Float64Array(ntaps);
  if (ntaps === 1) {
    h[0] = 1;
    return h;
  }
  const mid = (ntaps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < ntaps; i++) {
    const m = i - mid;
    const sinc = m === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (ntaps - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (ntaps - 1));
    h[i] = sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < ntaps; i++) h[i] /= sum;
  return h;
}
