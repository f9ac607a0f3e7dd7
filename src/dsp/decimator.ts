/**
 * Integer-factor decimator: 16-bit PCM at `inputRate` in, float samples at `inputRate / factor` out.
 *
 * Anti-alias filter: a Blackman-windowed sinc low-pass with its cutoff at 0.45 x the output rate
 * (1.8 kHz for a 4 kHz output), `6 * factor + 1` taps (`4 * factor + 1` above factor 4, to keep 48 kHz
 * input cheap), unity gain at DC. Output samples keep the
 * input's scale (int16 units, not normalised). State (filter history and decimation phase) carries
 * across calls, so any block size may be fed. No allocation after construction.
 */
export class Decimator {
  readonly inputRate: number;
  readonly outputRate: number;
  readonly factor: number;
  private readonly taps: Float64Array;
  /** Delay line written twice (at i and i + ntaps) so a contiguous window always exists. */
  private readonly line: Float64Array;
  private pos = 0;
  private phase = 0;

  constructor(inputRate: number, outputRate: number) {
    const factor = inputRate / outputRate;
    if (!Number.isInteger(factor) || factor < 1) {
      throw new RangeError(`Decimator: ${inputRate} Hz is not an integer multiple of ${outputRate} Hz`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.factor = factor;
    const ntaps = factor === 1 ? 1 : factor <= 4 ? 6 * factor + 1 : 4 * factor + 1;
    this.taps = designLowPass(ntaps, (0.45 * outputRate) / inputRate);
    this.line = new Float64Array(2 * ntaps);
  }

  /** Input samples consumed since the last output (the next output comes after factor - pending more). */
  get pending(): number {
    return this.phase;
  }

  /** The group delay of the filter in output samples (the output lags the input by this much). */
  get delayOutputSamples(): number {
    return (this.taps.length - 1) / 2 / this.factor;
  }

  /**
   * Filter and decimate input[offset .. offset+samples); write the produced samples to out[outOffset ..].
   * Returns how many were written (about samples / factor; exact over time).
   */
  process(input: Int16Array, offset: number, samples: number, out: Float64Array, outOffset: number): number {
    const taps = this.taps;
    const ntaps = taps.length;
    const line = this.line;
    const factor = this.factor;
    let pos = this.pos;
    let phase = this.phase;
    let written = 0;
    for (let i = 0; i < samples; i++) {
      const v = input[offset + i];
      line[pos] = v;
      line[pos + ntaps] = v;
      pos++;
      if (pos === ntaps) pos = 0;
      phase++;
      if (phase === factor) {
        phase = 0;
        // line[pos .. pos+ntaps) holds the last ntaps samples, oldest first.
        let acc = 0;
        for (let k = 0; k < ntaps; k++) acc += taps[k] * line[pos + k];
        out[outOffset + written] = acc;
        written++;
      }
    }
    this.pos = pos;
    this.phase = phase;
    return written;
  }

  reset(): void {
    this.line.fill(0);
    this.pos = 0;
    this.phase = 0;
  }
}

/** Windowed-sinc low-pass; `cutoff` is a fraction of the sampling rate (0 .. 0.5). Normalised to unity DC gain. */
function designLowPass(ntaps: number, cutoff: number): Float64Array {
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
