/**
 * The ng retransmission cache (rtpengine's cookie cache, facts from sipwise/rtpengine
 * daemon/cookie_cache.c as summarised in notes §1): Kamailio and OpenSIPS resend the identical
 * datagram with the same cookie up to 5 times (1 s apart), so a command must run once and every copy
 * must get the same reply bytes.
 *
 * Contract:
 *  - Keyed by the cookie string only (not by source address or body).
 *  - A reply is kept `ttlSeconds` after it was stored, then dropped (swept by `expire`, and lazily).
 *  - Memory is counted honestly against one budget, `maxBytes`: every cached entry costs its cookie,
 *    its reply and ENTRY_OVERHEAD bytes (map slot, entry object, string headers); every command in
 *    flight reserves IN_FLIGHT_RESERVE bytes (the largest reply it can end with, its waiters). Replies
 *    are stored as flat one-byte strings, so no reply keeps a larger pooled buffer alive.
 *  - Under pressure the oldest replies are evicted, but never one younger than `windowSeconds` (the
 *    retransmission window): when the budget is full of young replies, `begin` answers 'full' and the
 *    caller refuses the command (it must not run, since its retransmissions could not be recognised).
 *    So a retransmission inside the window always finds its reply, and a command never runs twice.
 *  - While a cookie is being processed ("in flight"), duplicates are recorded with their source
 *    address:port (up to MAX_WAITERS each) and `put` returns them so the reply reaches each of them.
 *  - `now()` returns milliseconds and is injectable for tests.
 */

export interface Waiter {
  address: string;
  port: number;
}

export interface CookieCacheOptions {
  /** Lifetime of a cached reply, seconds (config ng.cookieCacheSeconds). */
  ttlSeconds: number;
  /** Replies younger than this are never evicted, seconds (config ng.retransmitWindowSeconds); ≤ ttl. */
  windowSeconds?: number;
  /** Budget for cookies + replies + per-entry overhead + in-flight reservations (config ng.cookieCacheBytes). */
  maxBytes?: number;
  /** Bytes reserved per command in flight; default IN_FLIGHT_RESERVE. */
  reserveBytes?: number;
  /** Monotonic clock in milliseconds. Default performance.now (a wall-clock step moves no reply's age). */
  now?: () => number;
}

/** Most duplicate sources remembered per in-flight cookie (bounds reply amplification). */
export const MAX_WAITERS = 32;

/**
 * Bytes of heap an entry costs beyond its cookie and reply characters: the Map slot and its share of
 * the hash table (up to twice that while the table grows), the entry object, two string headers, the
 * stored time. Measured at ~190 B on Node 20 (test/unit/ng/CookieCache.test.ts checks that what the
 * cache holds stays below what it counts); rounded up.
 */
export const ENTRY_OVERHEAD = 256;

/** Largest UDP payload over IPv4, the largest reply a command can end with. */
const MAX_REPLY_BYTES = 65507;
const WAITER_BYTES = 96;
/** What one command in flight may need: its reply, its cookie, its entry, its waiters. */
export const IN_FLIGHT_RESERVE = MAX_REPLY_BYTES + 256 + ENTRY_OVERHEAD + MAX_WAITERS * WAITER_BYTES;

interface Entry {
  /** The reply datagram as a latin1 string (one byte per character, exactly the bytes sent). */
  reply: string;
  /** When it was stored, ms. */
  at: number;
}

/** What an entry counts against the budget (`reply` is one byte per character). */
function costOf(cookie: string, e: Entry): number {
  return cookie.length + e.reply.length + ENTRY_OVERHEAD;
}

export type BeginResult = 'new' | 'in-flight' | 'full';

export class CookieCache {
  /** Insertion order is storage order: the oldest entry is always first. */
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Waiter[]>();
  /** Bytes of the cached entries (costOf); in-flight reservations are `inFlight.size * reserve`. */
  private entryBytes = 0;
  private readonly ttlMs: number;
  private readonly windowMs: number;
  private readonly maxBytes: number;
  private readonly reserve: number;
  private readonly now: () => number;
  /** Replies evicted before their ttl (budget pressure); all were older than the window. */
  evicted = 0;

  constructor(opts: CookieCacheOptions) {
    if (!(opts.ttlSeconds > 0)) throw new RangeError('CookieCache: ttlSeconds must be > 0');
    this.ttlMs = opts.ttlSeconds * 1000;
    this.windowMs = Math.min(opts.windowSeconds ?? 10, opts.ttlSeconds) * 1000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.reserve = opts.reserveBytes ?? IN_FLIGHT_RESERVE;
    if (!(this.maxBytes >= this.reserve)) throw new RangeError('CookieCache: maxBytes below one in-flight reservation');
    this.now = opts.now ?? (() => performance.now());
  }

  /** The cached reply datagram for `cookie`, if any. */
  get(cookie: string): Buffer | undefined {
    const e = this.entries.get(cookie);
    if (e === undefined) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.expire();
      return undefined;
    }
    return Buffer.from(e.reply, 'latin1');
  }

  /** True while `cookie` has been begun and not yet put or abandoned. */
  isInFlight(cookie: string): boolean {
    return this.inFlight.has(cookie);
  }

  /**
   * Mark `cookie` as being processed: 'new' (run it), 'in-flight' (a duplicate: `join` it), or 'full'
   * (no room for its reply without evicting one inside the retransmission window: refuse it).
   */
  begin(cookie: string): BeginResult {
    if (this.inFlight.has(cookie)) return 'in-flight';
    if (!this.makeRoom(this.reserve)) return 'full';
    this.inFlight.set(cookie, []);
    return 'new';
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
    const waiters = this.endFlight(cookie);
    const previous = this.entries.get(cookie);
    if (previous !== undefined) {
      this.entries.delete(cookie);
      this.entryBytes -= costOf(cookie, previous);
    }
    // Flatten into a fresh one-byte string: it keeps no slab of Buffer's pool alive.
    const e: Entry = { reply: reply.toString('latin1'), at: this.now() };
    const cost = costOf(cookie, e);
    // The reservation released above always covers a reply that fits in UDP; a larger one (never
    // produced by NgServer) may only take room that is free or old.
    this.makeRoom(cost);
    this.entries.set(cookie, e);
    this.entryBytes += cost;
    return waiters;
  }

  /** End the in-flight state without caching (e.g. the server closed). Returns the waiters. */
  abandon(cookie: string): Waiter[] {
    return this.endFlight(cookie);
  }

  /** Drop replies older than the ttl; call periodically so idle memory is released too. */
  expire(): void {
    const limit = this.now() - this.ttlMs;
    for (const [cookie, e] of this.entries) {
      if (e.at > limit) break;
      this.entries.delete(cookie);
      this.entryBytes -= costOf(cookie, e);
    }
  }

  /** Cached replies. */
  get size(): number {
    return this.entries.size;
  }

  /** Cookies currently being processed. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Bytes counted against the budget (entries + in-flight reservations). */
  get bytes(): number {
    return this.entryBytes + this.inFlight.size * this.reserve;
  }

  get budget(): number {
    return this.maxBytes;
  }

  /** Drop everything (server close). */
  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
    this.entryBytes = 0;
  }

  private endFlight(cookie: string): Waiter[] {
    const waiters = this.inFlight.get(cookie);
    if (waiters === undefined) return [];
    this.inFlight.delete(cookie);
    return waiters;
  }

  /**
   * Free `bytes` of budget: expired replies first, then the oldest replies older than the window.
   * False (nothing more evicted) when only replies inside the window are left.
   */
  private makeRoom(bytes: number): boolean {
    if (this.bytes + bytes <= this.maxBytes) return true;
    this.expire();
    const young = this.now() - this.windowMs;
    for (const [cookie, e] of this.entries) {
      if (this.bytes + bytes <= this.maxBytes) break;
      if (e.at > young) break;
      this.entries.delete(cookie);
      this.entryBytes -= costOf(cookie, e);
      this.evicted++;
    }
    return this.bytes + bytes <= this.maxBytes;
  }
}
