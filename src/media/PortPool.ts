/**
 * The RTP port pool: even RTP ports with the odd RTCP port beside them (RFC 3550 §11), handed out
 * round-robin from [min, max] so a just-released port is not reused at once. A port is never handed
 * out twice: it is "used" from take() until release(), and a delayed release keeps it reserved (the
 * `delete delay` of a call). Counts are plain numbers for /metrics.
 */
export class PortPool {
  /** First even RTP port of the range. */
  readonly first: number;
  /** Number of RTP/RTCP pairs in the range. */
  readonly size: number;
  private readonly inUse: Uint8Array;
  private next = 0;
  private usedCount = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(min: number, max: number) {
    this.first = min % 2 === 0 ? min : min + 1;
    // Each pair needs port and port+1 inside [min, max].
    this.size = max >= this.first + 1 ? Math.floor((max - this.first + 1) / 2) : 0;
    this.inUse = new Uint8Array(this.size);
  }

  get used(): number {
    return this.usedCount;
  }

  get free(): number {
    return this.size - this.usedCount;
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

  /** Cancel pending delayed releases (shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
