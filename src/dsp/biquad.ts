/**
 * Second-order IIR section (direct form I), designed as a Butterworth-style high-pass (Q = 1/sqrt 2)
 * from the usual bilinear-transform ("audio EQ cookbook") formulas. Used by the bleed detector to drop
 * the band below ~250 Hz on both streams: codecs and headsets remove it from the leak, so keeping it in
 * the reference would only bias the level low. Per-sample `step`, no allocation.
 */
export class HighPass {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  /** cutoffHz < sampleRate / 2. */
  constructor(cutoffHz: number, sampleRate: number) {
    const c = highPassCoefficients(cutoffHz, sampleRate);
    this.b0 = c[0]!;
    this.b1 = c[1]!;
    this.b2 = c[2]!;
    this.a1 = c[3]!;
    this.a2 = c[4]!;
  }

  step(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }

  reset(): void {
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }
}

/**
 * [b0, b1, b2, a1, a2] (a0 = 1) of the HighPass above; also run natively on the decimator's output
 * (Decimator's `highPassHz` option, same arithmetic as `step`).
 */
export function highPassCoefficients(cutoffHz: number, sampleRate: number): Float64Array {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cw = Math.cos(w0);
  const a0 = 1 + alpha;
  return Float64Array.of((1 + cw) / 2 / a0, -(1 + cw) / a0, (1 + cw) / 2 / a0, (-2 * cw) / a0, (1 - alpha) / a0);
}
