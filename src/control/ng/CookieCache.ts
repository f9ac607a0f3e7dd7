/**
 * The ng retransmission cache (rtpengine's cookie cache, facts from sipwise/rtpengine
 * daemon/cookie_cache.c as summarised in notes §1): Kamailio and OpenSIPS resend the identical
 * datagram with the same cookie up to 5 times (1 s apart), so a command must run once and every copy
 * must get the same reply bytes.
 *
 * Contract:
 *  - Keyed by the cookie string only (not by source address or body).
 *  - A reply is kept at least `ttlSeconds` and at most about twice that: two generations (`current`,
 *    `old`) are swapped every ttl; a lookup searches both.
 *  - While a cookie is being processed ("in flight"), duplicates are recorded with their source
 *    address:port (up to MAX_WAITERS each) and `put` returns them so the reply reaches each of them.
 *  - Bounded: when the current generation exceeds `maxEntries` entries or `maxBytes` bytes of
 *    cookies + replies it is swapped early (under a flood, replies may live shorter than ttl).
 *  - `now()` returns milliseconds and is injectable for tests.
 */

export interface Waiter {
  address: string;
  port: number;
}

export interface CookieCacheOptions {
  /** Minimum lifetime of a cached reply, seconds (config ng.cookieCacheSeconds). */
  ttlSeconds: number;
  /** Entries per generation before an early swap. Default 100 000. */
  maxEntries?: number;
  /** Bytes (cookie + reply) per generation before an early swap. Default 64 MiB. */
  maxBytes?: number;
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
}

/** Most duplicate sources remembered per in-flight cookie (bounds reply amplification). */
export const MAX_WAITERS = 32;

export class CookieCache {
  private current = new Map<string, Buffer>();
  private old = new Map<string, Buffer>();
  private currentBytes = 0;
  private readonly inFlight = new Map<string, Waiter[]>();
  private rotatedAt: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(opts: CookieCacheOptions) {
    if (!(opts.ttlSeconds > 0)) throw new RangeError('CookieCache: ttlSeconds must be > 0');
    this.ttlMs = opts.ttlSeconds * 1000;
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.now = opts.now ?? Date.now;
    this.rotatedAt = this.now();
  }

  /** The cached reply datagram for `cookie`, if any. */
  get(cookie: string): Buffer | undefined {
    this.expire();
    return this.current.get(cookie) ?? this.old.get(cookie);
  }

  /** True while `cookie` has been begun and not yet put or abandoned. */
  isInFlight(cookie: string): boolean {
    return this.inFlight.has(cookie);
  }

  /** Mark `cookie` as being processed. Returns false if it already is (then use `join`). */
  begin(cookie: string): boolean {
    if (this.inFlight.has(cookie)) return false;
    this.inFlight.set(cookie, []);
    return true;
  }

  /**
   * Record a duplicate of an in-flight cookie so `put` returns its source. Returns false if the
   * cookie is not in flight or its waiter list is full (the duplicate is then simply dropped).
   */
  join(cookie: string, source: Waiter): boolean {
    const waiters = this.inFlight.get(cookie);
    if (waiters === undefined || waiters.length >= MAX_WAITERS) return false;
    waiters.push({ address: source.address, port: source.port });
    return true;
  }

  /** Store the reply for `cookie`, end its in-flight state, and return the duplicates to answer. */
  put(cookie: string, reply: Buffer): Waiter[] {
    const waiters = this.inFlight.get(cookie) ?? [];
    this.inFlight.delete(cookie);
    this.expire();
    const size = cookie.length + reply.length;
    if (this.current.size >= this.maxEntries || this.currentBytes + size > this.maxBytes) this.rotate();
    const previous = this.current.get(cookie);
    if (previous !== undefined) this.currentBytes -= cookie.length + previous.length;
    this.current.set(cookie, reply);
    this.currentBytes += size;
    return waiters;
  }

  /** End the in-flight state without caching (e.g. the server closed). Returns the waiters. */
  abandon(cookie: string): Waiter[] {
    const waiters = this.inFlight.get(cookie) ?? [];
    this.inFlight.delete(cookie);
    return waiters;
  }

  /** Swap generations if a ttl has passed; call periodically so idle memory is released too. */
  expire(): void {
    const elapsed = this.now() - this.rotatedAt;
    if (elapsed >= 2 * this.ttlMs) {
      this.current = new Map();
      this.old = new Map();
      this.currentBytes = 0;
      this.rotatedAt = this.now();
    } else if (elapsed >= this.ttlMs) {
      this.rotate();
    }
  }

  /** Cached replies (both generations; a cookie present in both counts twice). */
  get size(): number {
    return this.current.size + this.old.size;
  }

  /** Cookies currently being processed. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Drop everything (server close). */
  clear(): void {
    this.current = new Map();
    this.old = new Map();
    this.currentBytes = 0;
    this.inFlight.clear();
  }

  private rotate(): void {
    this.old = this.current;
    this.current = new Map();
    this.currentBytes = 0;
    this.rotatedAt = this.now();
  }
}
