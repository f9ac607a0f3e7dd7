/**
 * The RTP port pool: even RTP ports with the odd RTCP port beside them (RFC 3550 §11), handed out
 * round-robin from [min, max] so a just-released port is not reused at once. A port is never handed
 * out twice: it is "used" from take() until release(), and a delayed release keeps it reserved (the
 * `delete delay` of a call). Counts are plain numbers for /metrics.
 *
 * Spares: a pair taken ahead of demand (openEndpoint binds a few socket pairs off the reply path) is
 * reserved like any other, but counts as free until it is claimed: `used`/`free` (metrics, ng
 * statistics) only count pairs handed to calls. close() runs the registered closers (the spares'
 * sockets).
 */
export class PortPool {
  /** First even RTP port of the range. */
  readonly first: number;
  /** Number of RTP/RTCP pairs in the range. */
  readonly size: number;
  private readonly inUse: Uint8Array;
  private next = 0;
  private usedCount = 0;
  private spareCount = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closers: Array<() => void> = [];
  private closedFlag = false;

  constructor(min: number, max: number) {
    this.first = min % 2 === 0 ? min : min + 1;
    // Each pair needs port and port+1 inside [min, max].
    this.size = max >= this.first + 1 ? Math.floor((max - this.first + 1) / 2) : 0;
    this.inUse = new Uint8Array(this.size);
  }

  /** Pairs handed to calls (spares not counted). */
  get used(): number {
    return this.usedCount - this.spareCount;
  }

  /** Pairs that can still be handed out (spares included). */
  get free(): number {
    return this.size - this.used;
  }

  /** Spares reserved and not yet claimed. */
  get spares(): number {
    return this.spareCount;
  }

  /** True once close() ran. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** take() for a spare: reserved now, counted as used only once claimSpare() hands it to a call. */
  takeSpare(): number {
    const port = this.take();
    if (port >= 0) this.spareCount++;
    return port;
  }

  /** A spare (from takeSpare) is handed to a call: from now on it counts as used. */
  claimSpare(): void {
    if (this.spareCount > 0) this.spareCount--;
  }

  /** Give a spare that was never handed out back (its socket could not be bound, or shutdown). */
  releaseSpare(rtpPort: number): void {
    if (this.spareCount > 0) this.spareCount--;
    this.release(rtpPort, 0);
  }

  /** Run `fn` at close() (once). */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  /** Reserve the next free pair and return its (even) RTP port, or -1 when the range is exhausted. */
  take(): number {
    for (let i = 0; i < this.size; i++) {
      const idx = (this.next + i) % this.size;
      if (this.inUse[idx] === 0) {
        this.inUse[idx] = 1;
        this.usedCount++;
        this.next = (idx + 1) % this.size;
        return this.first + idx * 2;
      }
    }
    return -1;
  }

  /**
   * Reserve the pair of a specific (even) RTP port — a takeover binds the very ports the lost node had.
   * false: not a pair of this range, or already in use here (a spare holding it is given up by the caller).
   */
  claim(rtpPort: number): boolean {
    const idx = (rtpPort - this.first) / 2;
    if (!Number.isInteger(idx) || idx < 0 || idx >= this.size || this.inUse[idx] !== 0) return false;
    this.inUse[idx] = 1;
    this.usedCount++;
    return true;
  }

  /** True while the pair of `rtpPort` is reserved here (used, spare or in a delayed release). */
  isUsed(rtpPort: number): boolean {
    const idx = (rtpPort - this.first) / 2;
    return Number.isInteger(idx) && idx >= 0 && idx < this.size && this.inUse[idx] !== 0;
  }

  /** Give a pair back, now or after `delayMs`. Releasing a port that is not in use is a no-op. */
  release(rtpPort: number, delayMs = 0): void {
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.release(rtpPort, 0);
      }, delayMs);
      timer.unref();
      this.timers.add(timer);
      return;
    }
    const idx = (rtpPort - this.first) / 2;
    if (!Number.isInteger(idx) || idx < 0 || idx >= this.size || this.inUse[idx] === 0) return;
    this.inUse[idx] = 0;
    this.usedCount--;
  }

  /** Cancel pending delayed releases and run the closers (shutdown). */
  close(): void {
    this.closedFlag = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const fn of this.closers.splice(0)) {
      try {
        fn();
      } catch {
        // a closer only closes sockets; one failing must not stop the others
      }
    }
  }
}
