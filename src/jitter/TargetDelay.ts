/**
 * The target playout delay policy: quantile of relative arrival delay (from DelayEstimator) rounded up
 * to TARGET_STEP_MS and clamped to [minDelayMs, maxDelayMs]; startDelayMs is a floor until
 * WARMUP_PACKETS arrivals have been seen. Increases apply at once (on arrival); decreases are spread
 * out at ≤ SHRINK_RATIO × elapsed audio (100 ms per second), applied once per output frame.
 */

/** Target delay granularity, ms. */
const TARGET_STEP_MS = 10;
/** Arrivals needed before the measured target may go below startDelayMs. */
const WARMUP_PACKETS = 25;
/** Most the target may fall per ms of audio played (100 ms per second). */
const SHRINK_RATIO = 0.1;

export class TargetDelay {
  /** Current target, ms. */
  targetMs: number;
  /** What the arrivals ask for, ms; targetMs moves towards it. */
  desiredMs: number;
  private warmed = false;

  constructor(
    private readonly minDelayMs: number,
    private readonly maxDelayMs: number,
    private readonly startDelayMs: number,
  ) {
    this.targetMs = this.desiredMs = this.clamp(startDelayMs);
  }

  /** After each arrival: `quantileMs` of relative delay over `count` packets in the window. */
  onArrival(quantileMs: number, count: number): void {
    if (!this.warmed && count >= WARMUP_PACKETS) this.warmed = true;
    let t = Math.ceil(quantileMs / TARGET_STEP_MS) * TARGET_STEP_MS;
    if (!this.warmed && t < this.startDelayMs) t = this.startDelayMs;
    t = this.clamp(t);
    this.desiredMs = t;
    if (t > this.targetMs) this.targetMs = t;
  }

  /** Once per output frame of `frameMs`: let the target fall towards the desired value. */
  onFrame(frameMs: number): void {
    const shrunk = this.targetMs - SHRINK_RATIO * frameMs;
    this.targetMs = this.desiredMs > shrunk ? this.desiredMs : shrunk;
  }

  private clamp(ms: number): number {
    return ms < this.minDelayMs ? this.minDelayMs : ms > this.maxDelayMs ? this.maxDelayMs : ms;
  }
}
