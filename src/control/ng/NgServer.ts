/**
 * The ng control protocol over UDP (rtpengine's listen-ng; wire format in notes §1).
 *
 *   request  = <cookie> SP <dictionary>      dictionary: bencode ('d...e') or JSON ('{...}')
 *   reply    = <cookie> SP <dictionary>      same encoding as the request; always has `result`
 *
 * Contract:
 *  - One socket bound to exactly host:port; replies leave from that socket, so they come from the
 *    address:port the request hit (Kamailio and OpenSIPS use connected UDP sockets).
 *  - No cookie (no space, or a leading space): dropped silently, `stats.noCookie`.
 *  - A cookie longer than MAX_COOKIE_BYTES (Kamailio's and OpenSIPS's are ~20): dropped, `stats.longCookie`.
 *  - Datagrams longer than `maxDatagramBytes`: dropped, `stats.oversize`.
 *  - Retransmissions (same cookie) never run the handler again: a cached reply is re-sent; a
 *    duplicate arriving while the original is still running gets the reply when it is ready. Every
 *    processed message is cached, error replies included (rtpengine does the same).
 *  - The cache has a byte budget and never evicts a reply inside the retransmission window
 *    (CookieCache): when it is full of young replies a new command is refused, not run, with
 *    "Load limit exceeded" (`result: load limit` if the request supports it; proxies fail over on
 *    both), `stats.cacheFull`; the refusal is not cached (the command never ran).
 *  - Undecodable dictionary: "Invalid NG data format" (`stats.badData`); no `command` key:
 *    `Dictionary contains no key "command"`; a bad key value: the BadRequestError from params.ts;
 *    a handler error: `toNgError(err, supports "load limit")`.
 *  - Nothing a peer sends can throw out of the socket's 'message' handler.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { NgProtocolError, WhisperError, toNgError } from '../../errors';
import { rateLimited, type Logger } from '../../log';
import { CookieCache, type Waiter } from './CookieCache';
import { bencodeString, decodeBencode, decodeJsonDict, encodeBencode, encodeJsonDict, type NgDict } from './bencode';
import { literalLookup } from '../../media/openEndpoint';
import { normaliseParams, supportsLoadLimit, type NgParams } from './params';

/** Longest cookie accepted, bytes. Proxies send short ones ("<id>_<random>_<seq>", ~20 bytes). */
export const MAX_COOKIE_BYTES = 64;
/** Error text of a command refused because the reply cache is full of replies inside the window. */
export const CACHE_FULL_REASON = 'Load limit exceeded';

export interface NgRequest {
  cookie: string;
  /** Lower-case command, e.g. "offer", "play media", "block dtmf". */
  command: string;
  /** The decoded dictionary as sent (strings are latin1 byte strings). */
  dict: NgDict;
  params: NgParams;
  /** Keys the normaliser did not recognise, as spelt by the peer. */
  unknownKeys: string[];
  source: { address: string; port: number };
  /** True if the request (and so the reply) uses the JSON form. */
  json: boolean;
  /**
   * Encode `reply` now and throw ReplyTooLargeError ("Reply too large") if it cannot be sent. A
   * command that changes state calls this before it commits, so a reply that cannot be delivered
   * leaves nothing behind; the encoded datagram is reused when the same reply is returned.
   */
  checkReply?: (reply: NgDict) => void;
}

/** A reply that does not fit in one UDP datagram (or cannot be encoded): the command is refused. */
export class ReplyTooLargeError extends WhisperError {
  constructor() {
    super('ERR_UNSUPPORTED', 'Reply too large');
  }
}

export type NgHandler = (req: NgRequest) => Promise<NgDict> | NgDict;

export interface NgServerOptions {
  host: string;
  /** 0 = any free port (tests); read the bound one from `port`. */
  port: number;
  cookieCacheSeconds: number;
  /** Reply cache budget, bytes (config ng.cookieCacheBytes). Default 64 MiB. */
  cookieCacheBytes?: number;
  /** Replies younger than this are never evicted, seconds (config ng.retransmitWindowSeconds). Default 10. */
  retransmitWindowSeconds?: number;
  maxDatagramBytes: number;
  handler: NgHandler;
  logger: Logger;
  /** Called once per executed command (not for retransmissions): command, reply `result`, seconds. */
  onCommand?: (command: string, result: string, seconds: number) => void;
  /** Clock for the cookie cache, milliseconds (tests). */
  now?: () => number;
}

export interface NgServerStats {
  received: number;
  noCookie: number;
  badData: number;
  retransmits: number;
  replies: number;
  oversize: number;
  /** Datagrams dropped for a cookie longer than MAX_COOKIE_BYTES. */
  longCookie: number;
  /** Commands refused because the reply cache was full of replies inside the retransmission window. */
  cacheFull: number;
}

/** Largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP); IPv6 allows 65527. */
const MAX_UDP_PAYLOAD = 65507;
const SP = 0x20;
const CH_d = 0x64;
const CH_BRACE = 0x7b;

export class NgServer {
  readonly stats: NgServerStats = {
    received: 0,
    noCookie: 0,
    badData: 0,
    retransmits: 0,
    replies: 0,
    oversize: 0,
    longCookie: 0,
    cacheFull: 0,
  };
  private readonly opts: NgServerOptions;
  private readonly log: Logger;
  private readonly cache: CookieCache;
  private socket: dgram.Socket | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private boundPort = 0;

  constructor(opts: NgServerOptions) {
    this.opts = opts;
    this.log = opts.logger.child({ mod: 'ng' });
    this.cache = new CookieCache({
      ttlSeconds: opts.cookieCacheSeconds,
      ...(opts.cookieCacheBytes !== undefined ? { maxBytes: opts.cookieCacheBytes } : {}),
      ...(opts.retransmitWindowSeconds !== undefined ? { windowSeconds: opts.retransmitWindowSeconds } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
  }

  /** Reply cache figures (for tests and diagnostics): entries, bytes counted, budget, evictions. */
  get cacheStats(): { size: number; inFlight: number; bytes: number; budget: number; evicted: number } {
    const c = this.cache;
    return { size: c.size, inFlight: c.inFlightCount, bytes: c.bytes, budget: c.budget, evicted: c.evicted };
  }

  /** The bound UDP port (valid after start()). */
  get port(): number {
    return this.boundPort;
  }

  /** Bind the socket. Rejects if the address cannot be bound (e.g. in use). */
  start(): Promise<void> {
    if (this.socket !== undefined) return Promise.reject(new Error('NgServer already started'));
    const host = this.opts.host.replace(/^\[(.*)\]$/, '$1');
    // literalLookup: a reply to an IPv4 peer leaves in the same tick instead of after a dns.lookup tick.
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', lookup: literalLookup });
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        this.socket = undefined;
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind({ address: host, port: this.opts.port, exclusive: true }, () => {
        socket.off('error', onError);
        socket.on('error', this.onSocketError);
        socket.on('message', this.onMessage);
        this.boundPort = socket.address().port;
        this.sweepTimer = setInterval(this.onSweep, 1000);
        this.sweepTimer.unref();
        this.log.info({ host, port: this.boundPort }, 'ng listening');
        resolve();
      });
    });
  }

  /** Close the socket. Replies of handlers still running are discarded. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.cache.clear();
    if (socket === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private readonly onSweep = (): void => {
    this.cache.expire();
  };

  private readonly onSocketError = (err: Error): void => {
    if (rateLimited('ng:socket-error')) this.log.warn({ err }, 'ng socket error');
  };

  private readonly onSendDone = (err: Error | null): void => {
    if (err && rateLimited('ng:send-error')) this.log.warn({ err }, 'ng reply send failed');
  };

  /** The boundary: nothing a peer sends may throw past this point. */
  private readonly onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    try {
      this.receive(msg, rinfo);
    } catch (err) {
      if (rateLimited('ng:receive')) this.log.error({ err }, 'ng datagram handling failed');
    }
  };

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.stats.received++;
    if (msg.length > this.opts.maxDatagramBytes) {
      this.stats.oversize++;
      return;
    }
    const sp = msg.indexOf(SP);
    if (sp <= 0) {
      this.stats.noCookie++;
      if (rateLimited('ng:no-cookie')) this.log.warn({ from: rinfo.address }, 'Received invalid data on NG port (no cookie)');
      return;
    }
    if (sp > MAX_COOKIE_BYTES) {
      this.stats.longCookie++;
      if (rateLimited('ng:long-cookie')) this.log.warn({ from: rinfo.address, bytes: sp }, 'ng datagram dropped: cookie too long');
      return;
    }
    const cookie = msg.toString('latin1', 0, sp);
    const cached = this.cache.get(cookie);
    if (cached !== undefined) {
      this.stats.retransmits++;
      this.send(cached, rinfo.port, rinfo.address);
      return;
    }
    const begun = this.cache.begin(cookie);
    if (begun === 'in-flight') {
      this.stats.retransmits++;
      this.cache.join(cookie, rinfo);
      return;
    }
    if (begun === 'full') {
      this.stats.cacheFull++;
      if (rateLimited('ng:cache-full')) this.log.warn({ from: rinfo.address }, 'ng reply cache full of replies inside the retransmission window: command refused');
      this.refuse(cookie, msg.subarray(sp + 1), rinfo);
      return;
    }
    this.process(cookie, msg.subarray(sp + 1), rinfo);
  }

  /** Answer a command that is not run (cache full); the answer is not cached. */
  private refuse(cookie: string, body: Buffer, rinfo: dgram.RemoteInfo): void {
    const json = body[0] === CH_BRACE;
    let loadLimit = false;
    try {
      loadLimit = supportsLoadLimit(json ? decodeJsonDict(body) : (decodeBencode(body) as NgDict));
    } catch {
      // Undecodable: the plain error reply.
    }
    const d: NgDict = loadLimit ? { result: 'load limit', message: CACHE_FULL_REASON } : { result: 'error', 'error-reason': CACHE_FULL_REASON };
    const datagram = this.tryEncode(cookie, json, d);
    if (typeof datagram !== 'string') this.send(datagram, rinfo.port, rinfo.address);
  }

  /** Decode, normalise and dispatch one new (non-retransmitted) request. */
  private process(cookie: string, body: Buffer, rinfo: dgram.RemoteInfo): void {
    const json = body[0] === CH_BRACE;
    let dict: NgDict;
    try {
      if (body[0] === CH_d) dict = decodeBencode(body) as NgDict;
      else if (json) dict = decodeJsonDict(body);
      else throw new NgProtocolError('Invalid NG data format');
    } catch (err) {
      this.stats.badData++;
      if (rateLimited('ng:bad-data')) this.log.warn({ from: rinfo.address, err: String(err) }, 'invalid ng data');
      this.finish(cookie, json, toNgError(err, false), rinfo, '', 0n);
      return;
    }
    const loadLimit = supportsLoadLimit(dict);
    const started = process.hrtime.bigint();
    const command = dict['command'];
    if (typeof command !== 'string') {
      this.finish(cookie, json, toNgError(new NgProtocolError('Dictionary contains no key "command"'), loadLimit), rinfo, '', started);
      return;
    }
    const lcCommand = command.toLowerCase();
    let prepared: { reply: NgDict; datagram: Buffer } | undefined;
    const checkReply = (r: NgDict): void => {
      const datagram = this.tryEncode(cookie, json, r);
      if (datagram === 'too-large') throw new ReplyTooLargeError();
      if (datagram === 'unencodable') throw new Error('ng reply not encodable'); // a bug: "Internal error"
      prepared = { reply: r, datagram };
    };
    let reply: Promise<NgDict> | NgDict;
    try {
      const { params, unknownKeys } = normaliseParams(dict);
      const debug = this.log.isLevelEnabled('debug');
      if (debug && unknownKeys.length > 0) this.log.debug({ cookie, unknownKeys }, 'Unknown dictionary keys ignored');
      const req: NgRequest = {
        cookie,
        command: lcCommand,
        dict,
        params,
        unknownKeys,
        source: { address: rinfo.address, port: rinfo.port },
        json,
        checkReply,
      };
      if (debug) this.log.debug({ cookie, command: lcCommand, from: rinfo.address }, 'ng request');
      reply = this.opts.handler(req);
    } catch (err) {
      this.failed(cookie, json, err, loadLimit, rinfo, lcCommand, started);
      return;
    }
    if (isThenable(reply)) {
      reply.then(
        (r) => this.finish(cookie, json, r, rinfo, lcCommand, started, prepared?.reply === r ? prepared.datagram : undefined),
        (err: unknown) => this.failed(cookie, json, err, loadLimit, rinfo, lcCommand, started),
      );
    } else {
      this.finish(cookie, json, reply, rinfo, lcCommand, started, prepared?.reply === reply ? prepared.datagram : undefined);
    }
  }

  private failed(cookie: string, json: boolean, err: unknown, loadLimit: boolean, rinfo: Waiter, command: string, started: bigint): void {
    if (!(err instanceof WhisperError) && rateLimited('ng:internal')) {
      this.log.error({ err, command }, 'ng handler failed with an internal error');
    }
    this.finish(cookie, json, toNgError(err, loadLimit), rinfo, command, started);
  }

  /** Encode, cache and send the reply to the requester and every duplicate that waited for it. */
  private finish(
    cookie: string,
    json: boolean,
    reply: NgDict,
    rinfo: Waiter,
    command: string,
    started: bigint,
    encoded?: Buffer,
  ): void {
    try {
      if (this.closed) {
        this.cache.abandon(cookie);
        return;
      }
      if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
        if (rateLimited('ng:bad-reply')) this.log.error({ command }, 'ng handler returned no dictionary');
        reply = toNgError(undefined, false);
      }
      const datagram = encoded ?? this.encodeReply(cookie, json, reply);
      const waiters = this.cache.put(cookie, datagram);
      this.send(datagram, rinfo.port, rinfo.address);
      for (const w of waiters) this.send(datagram, w.port, w.address);
      if (command !== '' && this.opts.onCommand !== undefined) {
        const result = typeof reply['result'] === 'string' ? reply['result'] : 'unknown';
        this.opts.onCommand(command, result, Number(process.hrtime.bigint() - started) / 1e9);
      }
    } catch (err) {
      this.cache.abandon(cookie);
      if (rateLimited('ng:finish')) this.log.error({ err, command }, 'ng reply failed');
    }
  }

  /** `cookie SP dict`, or why it cannot be sent: not encodable, or too large for one UDP datagram. */
  private tryEncode(cookie: string, json: boolean, reply: NgDict): Buffer | 'unencodable' | 'too-large' {
    // The cookie is a latin1 byte string (one byte per char), as is the bencoded body.
    let body: Buffer | string;
    try {
      body = json ? encodeJsonDict(reply) : bencodeString(reply);
    } catch (err) {
      if (rateLimited('ng:encode')) this.log.error({ err }, 'ng reply not encodable');
      return 'unencodable';
    }
    const bytes = cookie.length + 1 + body.length;
    if (bytes > MAX_UDP_PAYLOAD) {
      if (rateLimited('ng:reply-too-large')) this.log.warn({ bytes }, 'ng reply too large for UDP');
      return 'too-large';
    }
    return typeof body === 'string' ? Buffer.from(cookie + ' ' + body, 'latin1') : Buffer.concat([Buffer.from(cookie + ' ', 'latin1'), body]);
  }

  /**
   * `cookie SP dict`; a reply that cannot be encoded becomes "Internal error", one that does not fit
   * in UDP "Reply too large" (commands that change state check their reply with `checkReply` before
   * they commit, so for them this never undoes anything).
   */
  private encodeReply(cookie: string, json: boolean, reply: NgDict): Buffer {
    const d = this.tryEncode(cookie, json, reply);
    if (typeof d !== 'string') return d;
    const reason = d === 'too-large' ? 'Reply too large' : 'Internal error';
    return Buffer.concat([Buffer.from(cookie + ' ', 'latin1'), this.encodeError(json, reason)]);
  }

  private encodeError(json: boolean, reason: string): Buffer {
    const d: NgDict = { result: 'error', 'error-reason': reason };
    return json ? encodeJsonDict(d) : encodeBencode(d);
  }

  private send(datagram: Buffer, port: number, address: string): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.stats.replies++;
    socket.send(datagram, port, address, this.onSendDone);
  }
}

function isThenable(v: unknown): v is Promise<NgDict> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
