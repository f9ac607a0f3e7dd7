/**
 * Per-source handshake rate limit (issue #12: "no CPU amplification (rate-limit DTLS handshakes per
 * source)"). A ClientHello makes a DTLS server do an ECDHE key generation and a signature; a token bucket
 * per source address (not port: a flood from one host rotates ports) admits `perSecond` of them per
 * second with a burst of twice that, and refuses the rest before OpenSSL sees them. The table is bounded
 * (the oldest source is forgotten first), so spoofed sources cannot exhaust memory.
 */
export class HandshakeLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private perSecond: number,
    private readonly maxSources = 16384,
    private readonly now: () => number = () => performance.now(),
  ) {}

  setRate(perSecond: number): void {
    this.perSecond = perSecond;
  }

  get rate(): number {
    return this.perSecond;
  }

  /** May a ClientHello from `address` be processed now? Takes a token if so. */
  allow(address: string): boolean {
    const now = this.now();
    const burst = Math.max(1, 2 * this.perSecond);
    let b = this.buckets.get(address);
    if (b === undefined) {
      if (this.buckets.size >= this.maxSources) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      b = { tokens: burst, atMs: now };
      this.buckets.set(address, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.atMs) / 1000) * this.perSecond);
      b.atMs = now;
      // Most recently used last: the oldest entry is the least recently active source.
      this.buckets.delete(address);
      this.buckets.set(address, b);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }
}
