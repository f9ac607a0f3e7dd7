/**
 * One clock for all mixed outputs: a 5 ms interval that gives every call mixer its tick(). Outputs
 * keep their own 20 ms deadlines (drift-corrected), so the interval's jitter shows up as at most
 * one interval of lateness, not as drift.
 */
import { mediaError } from '../media/mediaErrors';

const INTERVAL_MS = 5;

/** What the clock ticks (a call mixer). Owned here so the clock does not depend on its clients. */
export interface MixClockClient {
  tick(nowMs: number): void;
}

export class MixClock {
  private readonly mixers = new Set<MixClockClient>();
  /** Snapshot of `mixers` iterated by tick() (rebuilt on add/remove, so ticks allocate nothing). */
  private list: MixClockClient[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Ticks that ran later than 2 intervals (mixer deadline pressure), for /metrics. */
  lateTicks = 0;
  private lastTickMs = 0;

  add(m: MixClockClient): void {
    this.mixers.add(m);
    this.list = [...this.mixers];
    if (this.timer === null) {
      this.lastTickMs = performance.now();
      this.timer = setInterval(() => this.tick(), INTERVAL_MS);
    }
  }

  remove(m: MixClockClient): void {
    this.mixers.delete(m);
    this.list = [...this.mixers];
    if (this.mixers.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get size(): number {
    return this.mixers.size;
  }

  private tick(): void {
    const now = performance.now();
    if (now - this.lastTickMs > 2 * INTERVAL_MS) this.lateTicks++;
    this.lastTickMs = now;
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!.tick(now);
      } catch (err) {
        // A bug: counted (internal_error) and logged rate-limited; the clock keeps running.
        mediaError('mix-tick', err);
      }
    }
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.mixers.clear();
    this.list = [];
  }
}
