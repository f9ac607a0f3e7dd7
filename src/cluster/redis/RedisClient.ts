/**
 * A deliberately small Redis client: one TCP connection, a pipelined FIFO of commands, the strict RESP2 parser
 * of resp.ts, connect and per-command timeouts, reconnect with capped exponential backoff, AUTH [user] password
 * and SELECT db taken from the redis:// URL.
 *
 * Why not @redis/client (the maintained client issue 14 asks for): the npm registry was unreachable from the
 * build machine for the whole session and no Redis client was in node_modules. Everything in whisperd talks to
 * Redis through the `RedisLike` interface below (command + close), so replacing this file by a thin adapter over
 * @redis/client (`client.sendCommand(args)`) is a one-file change.
 *
 * Behaviour:
 *  - `command` while disconnected fails at once with RedisUnavailableError (no offline queue: the cluster
 *    layer keeps its own coalescing queue and decides what to retry), so nothing piles up while Redis is down.
 *  - A command not answered within `commandTimeoutMs` fails with RedisTimeoutError and the connection is dropped
 *    (a reply stream that stopped cannot be trusted to line up with the queue any more), then re-established.
 *  - A protocol error drops the connection; every queued command fails.
 *  - `rediss://` is refused with a ConfigError (no TLS here; put Redis on a private network or a stunnel).
 */
import net from 'node:net';
import { ConfigError } from '../../errors';
import { encodeCommand, RespError, RespParser, type RespLimits, type RespReply } from './resp';

export type { RespReply } from './resp';
export { RespError } from './resp';

/** What whisperd needs from a Redis client. */
export interface RedisLike {
  /** Run one command (`['SET', key, value, 'PX', '2000']`); rejects with RespError on an error reply. */
  command(args: ReadonlyArray<string | Buffer>): Promise<RespReply>;
  /** True while connected and authenticated. */
  readonly connected: boolean;
  close(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(message = 'Redis is not connected') {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis command timed out after ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

export interface RedisUrl {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
}

/** Parse redis://[[user]:password@]host[:port][/db]. rediss:// is a ConfigError. */
export function parseRedisUrl(url: string, key = 'cluster.redis'): RedisUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`${key}: not a URL: ${url}`);
  }
  if (u.protocol === 'rediss:') throw new ConfigError(`${key}: rediss:// (TLS) is not supported; use redis:// on a private network or a TLS tunnel`);
  if (u.protocol !== 'redis:') throw new ConfigError(`${key}: expected redis://host:port[/db]`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw new ConfigError(`${key}: the path must be a database number, got /${path}`);
  const out: RedisUrl = { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port, db: path === '' ? 0 : Number(path) };
  if (u.username !== '') out.username = decodeURIComponent(u.username);
  if (u.password !== '') out.password = decodeURIComponent(u.password);
  return out;
}

export interface RedisClientOptions {
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Most commands in flight; more are refused (RedisUnavailableError), never queued without bound. */
  maxInFlight?: number;
  limits?: RespLimits;
  /** Told about connection state changes (for one log line per transition). */
  onState?: (connected: boolean, err?: Error) => void;
}

interface Pending {
  resolve: (v: RespReply) => void;
  reject: (e: Error) => void;
  deadline: number;
}

export class RedisClient implements RedisLike {
  private sock: net.Socket | null = null;
  private parser = new RespParser();
  private readonly queue: Pending[] = [];
  private ready = false;
  private closed = false;
  private backoff: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly timeoutTimer: NodeJS.Timeout;
  private readonly opts: Required<Omit<RedisClientOptions, 'limits' | 'onState'>> & Pick<RedisClientOptions, 'limits' | 'onState'>;
  /** Resolves at the first successful connection (or never; see waitConnected). */
  private connectedWaiters: Array<() => void> = [];

  constructor(
    private readonly url: RedisUrl,
    opts: RedisClientOptions = {},
  ) {
    this.opts = {
      connectTimeoutMs: opts.connectTimeoutMs ?? 1000,
      commandTimeoutMs: opts.commandTimeoutMs ?? 2000,
      minBackoffMs: opts.minBackoffMs ?? 100,
      maxBackoffMs: opts.maxBackoffMs ?? 2000,
      maxInFlight: opts.maxInFlight ?? 10_000,
      limits: opts.limits,
      onState: opts.onState,
    };
    this.backoff = this.opts.minBackoffMs;
    // One coarse timer checks deadlines (no timer per command).
    this.timeoutTimer = setInterval(() => this.checkTimeouts(), Math.max(10, Math.min(100, this.opts.commandTimeoutMs / 4)));
    this.timeoutTimer.unref();
    this.connect();
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Resolves when connected, or after timeoutMs with false. */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.connectedWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  command(args: ReadonlyArray<string | Buffer>): Promise<RespReply> {
    if (!this.ready || !this.sock) return Promise.reject(new RedisUnavailableError());
    return this.send(args);
  }

  private send(args: ReadonlyArray<string | Buffer>): Promise<RespReply> {
    if (this.queue.length >= this.opts.maxInFlight) return Promise.reject(new RedisUnavailableError('Redis command queue full'));
    return new Promise<RespReply>((resolve, reject) => {
      this.queue.push({ resolve, reject, deadline: Date.now() + this.opts.commandTimeoutMs });
      this.sock!.write(encodeCommand(args));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timeoutTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const s = this.sock;
    this.drop(new RedisUnavailableError('Redis client closed'));
    if (s) await new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
  }

  private connect(): void {
    if (this.closed) return;
    const sock = net.connect({ host: this.url.host, port: this.url.port, noDelay: true });
    this.sock = sock;
    this.parser = new RespParser(this.opts.limits);
    const connectTimer = setTimeout(() => sock.destroy(new Error(`connect timeout after ${this.opts.connectTimeoutMs} ms`)), this.opts.connectTimeoutMs);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('error', () => undefined); // 'close' follows
    sock.on('close', () => {
      clearTimeout(connectTimer);
      if (this.sock !== sock) return;
      const wasReady = this.ready;
      this.drop(new RedisUnavailableError('Redis connection lost'));
      if (wasReady) this.opts.onState?.(false);
      this.scheduleReconnect();
    });
    sock.once('connect', () => {
      clearTimeout(connectTimer);
      void this.handshake(sock);
    });
  }

  private async handshake(sock: net.Socket): Promise<void> {
    try {
      if (this.url.password !== undefined) {
        await this.send(this.url.username !== undefined ? ['AUTH', this.url.username, this.url.password] : ['AUTH', this.url.password]);
      }
      if (this.url.db !== 0) await this.send(['SELECT', String(this.url.db)]);
      if (this.sock !== sock) return;
      this.ready = true;
      this.backoff = this.opts.minBackoffMs;
      this.opts.onState?.(true);
      const w = this.connectedWaiters;
      this.connectedWaiters = [];
      for (const fn of w) fn();
    } catch (err) {
      // Wrong password, bad db: keep retrying with backoff (the operator sees the error in the log).
      this.opts.onState?.(false, err instanceof Error ? err : new Error(String(err)));
      sock.destroy();
    }
  }

  private onData(chunk: Buffer): void {
    let replies: RespReply[];
    try {
      replies = this.parser.feed(chunk);
    } catch (err) {
      this.sock?.destroy(err as Error);
      return;
    }
    for (const r of replies) {
      const p = this.queue.shift();
      if (!p) {
        this.sock?.destroy(new Error('unexpected reply'));
        return;
      }
      if (r instanceof RespError) p.reject(r);
      else p.resolve(r);
    }
  }

  private checkTimeouts(): void {
    const head = this.queue[0];
    if (head && Date.now() > head.deadline) this.sock?.destroy(new RedisTimeoutError(this.opts.commandTimeoutMs));
    // 'close' fails the queue; the first one gets the timeout error below.
    if (head && Date.now() > head.deadline) {
      this.queue.shift();
      head.reject(new RedisTimeoutError(this.opts.commandTimeoutMs));
    }
  }

  private drop(err: Error): void {
    this.ready = false;
    const s = this.sock;
    this.sock = null;
    s?.destroy();
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.opts.maxBackoffMs, this.backoff * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
