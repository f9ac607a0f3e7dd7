/**
 * Relative packet-arrival delay and its quantile over a sliding window (NetEq-style target delay input).
 *
 * For each packet the caller gives its arrival time and its media time (extended RTP timestamp in ms).
 * offset = arrival − media time. The fastest packet of the window has the smallest offset; a packet's
 * *relative delay* is its offset minus that minimum, i.e. how much later than the fastest path it came.
 * The estimator keeps the offsets of the last `windowMs` of arrivals in a ring and a histogram of them
 * in `bucketMs` buckets, and reports the `quantile` (default 0.95) of the relative delays.
 *
 * No allocation after construction: the ring and histogram are typed arrays. The histogram is indexed
 * relative to a reference offset `histRef`; it is rebuilt (O(window)) only when the window minimum moves
 * below the reference or more than `REBUILD_SLACK_MS` above it, which is rare in steady state.
 */
export interface DelayEstimatorOptions {
  /** Window length in ms of arrival time. Default 2000. */
  windowMs?: number;
  /** Ring capacity in packets (oldest evicted when full). Default 1024 (2 s of 2.5 ms packets would need 800). */
  capacity?: number;
  /** Histogram bucket width, ms. Default 2. */
  bucketMs?: number;
  /** Number of buckets; delays beyond the range fall into the top bucket. Default 256 (512 ms). */
  buckets?: number;
  /** Quantile of relative delay reported, 0..1. Default 0.95. */
  quantile?: number;
}

/** Rebuild the histogram once the minimum offset has risen this far above its reference. */
const REBUILD_SLACK_MS = 20;

export class DelayEstimator {
  readonly windowMs: number;
  readonly quantile: number;
  private readonly bucketMs: number;
  private readonly capacity: number;
  private readonly arrivals: Float64Array;
  private readonly offsets: Float64Array;
  private readonly hist: Uint32Array;
  private head = 0;
  private size = 0;
  private histRef = 0;
  private min = 0;

  constructor(opts: DelayEstimatorOptions = {}) {
    this.windowMs = opts.windowMs ?? 2000;
    this.quantile = opts.quantile ?? 0.95;
    this.bucketMs = opts.bucketMs ?? 2;
    this.capacity = opts.capacity ?? 1024;
    this.arrivals = new Float64Array(this.capacity);
    this.offsets = new Float64Array(this.capacity);
    this.hist = new Uint32Array(opts.buckets ?? 256);
  }

  /** Packets currently in the window. */
  get count(): number {
    return this.size;
  }

  /** Smallest (arrival − media time) in the window, ms: the fastest path. 0 when empty. */
  get minOffsetMs(): number {
    return this.min;
  }

  /**
   * Record one packet. `arrivalMs` must not decrease between calls (it is the receive clock).
   * Returns the packet's relative delay in ms (≥ 0) against the window minimum after insertion.
   */
  update(arrivalMs: number, mediaMs: number): number {
    const off = arrivalMs - mediaMs;
    const limit = arrivalMs - this.windowMs;
    let rescan = false;
    while (this.size > 0 && (this.arrivals[this.head]! < limit || this.size === this.capacity)) {
      const old = this.offsets[this.head]!;
      this.hist[this.bucketOf(old)]!--;
      if (old <= this.min) rescan = true;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
    const tail = (this.head + this.size) % this.capacity;
    this.arrivals[tail] = arrivalMs;
    this.offsets[tail] = off;
    this.size++;
    if (this.size === 1) {
      this.min = off;
      this.rebuild();
      return 0;
    }
    if (rescan) this.min = this.scanMin();
    else if (off < this.min) this.min = off;
    if (this.min < this.histRef || this.min - this.histRef > REBUILD_SLACK_MS) this.rebuild();
    else this.hist[this.bucketOf(off)]!++;
    return off - this.min;
  }

  /**
   * The `quantile` of relative delay in the window, ms (upper edge of the bucket holding it, so it is
   * never below the true value by more than rounding). 0 when empty.
   */
  quantileMs(): number {
    if (this.size === 0) return 0;
    const need = Math.ceil(this.quantile * this.size);
    let cum = 0;
    const n = this.hist.length;
    for (let b = 0; b < n; b++) {
      cum += this.hist[b]!;
      if (cum >= need) {
        const v = (b + 1) * this.bucketMs + this.histRef - this.min;
        return v > 0 ? v : 0;
      }
    }
    return n * this.bucketMs + this.histRef - this.min;
  }

  /** Forget every packet (new SSRC or timestamp base). */
  reset(): void {
    this.head = 0;
    this.size = 0;
    this.min = 0;
    this.histRef = 0;
    this.hist.fill(0);
  }

  private bucketOf(off: number): number {
    const b = Math.floor((off - this.histRef) / this.bucketMs);
    const top = this.hist.length - 1;
    return b < 0 ? 0 : b > top ? top : b;
  }

  private scanMin(): number {
    let m = Infinity;
    for (let i = 0, j = this.head; i < this.size; i++, j = (j + 1) % this.capacity) {
      const o = this.offsets[j]!;
      if (o < m) m = o;
    }
    return m;
  }

  private rebuild(): void {
    this.histRef = this.min;
    this.hist.fill(0);
    for (let i = 0, j = this.head; i < this.size; i++, j = (j + 1) % this.capacity) {
      this.hist[this.bucketOf(this.offsets[j]!)]!++;
    }
  }
}
