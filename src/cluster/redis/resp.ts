/**
 * RESP2 (the Redis wire protocol, https://redis.io/docs/latest/develop/reference/protocol-spec/) encoder and an
 * incremental, strict reply parser.
 *
 *   +simple\r\n   -error\r\n   :int64\r\n   $len\r\n<len bytes>\r\n ($-1 = nil)   *count\r\n<count replies> (*-1 = nil)
 *
 * The parser is fed arbitrary chunks of the TCP stream (a reply may be split anywhere, several may share a chunk)
 * and yields complete replies. It is strict: every length is a decimal integer in range, every line ends in CRLF,
 * a bulk string's payload is followed by CRLF, a line (simple string, error, integer, length) is at most
 * MAX_LINE bytes, bulk strings at most `maxBulk` bytes (the server's own limit is 512 MB; ours is far lower:
 * call snapshots are small), arrays at most `maxArray` elements and `maxDepth` deep. Anything else is a
 * RespProtocolError: the stream cannot be resynchronised, so the caller drops the connection.
 * Memory: what is buffered is bounded by the largest reply allowed (a bulk's bytes are only collected once its
 * declared length has been checked; array slots are created as elements arrive, not preallocated from the count).
 */

export type RespReply = string | number | Buffer | null | RespError | RespReply[];

/** An error reply from the server (`-ERR ...`): a value, not a protocol failure. */
export class RespError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespError';
  }
}

/** The byte stream is not RESP2 (or breaks a limit): the connection must be dropped. */
export class RespProtocolError extends Error {
  constructor(message: string) {
    super(`RESP protocol error: ${message}`);
    this.name = 'RespProtocolError';
  }
}

export interface RespLimits {
  /** Largest bulk string accepted, bytes. */
  maxBulk: number;
  /** Most elements in one array. */
  maxArray: number;
  /** Deepest array nesting. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: RespLimits = { maxBulk: 64 * 1024 * 1024, maxArray: 1_000_000, maxDepth: 8 };

/** Longest line (type byte + text + CRLF) accepted for simple strings, errors, integers and lengths. */
export const MAX_LINE = 64 * 1024;

/** Encode one command as a RESP array of bulk strings. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n', 'latin1');
const INT_RE = /^-?(0|[1-9][0-9]{0,18})$/;

interface Frame {
  items: RespReply[];
  remaining: number;
}

export class RespParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Open arrays, outermost first. */
  private readonly stack: Frame[] = [];
  /** Length of the bulk string whose payload we wait for (-2 = none). */
  private bulkLen = -2;
  private failed: RespProtocolError | null = null;

  constructor(private readonly limits: RespLimits = DEFAULT_LIMITS) {}

  /** Feed bytes; returns the replies completed by them (possibly none). Throws RespProtocolError (and keeps throwing). */
  feed(chunk: Buffer): RespReply[] {
    if (this.failed) throw this.failed;
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    const out: RespReply[] = [];
    try {
      for (;;) {
        const v = this.next();
        if (v === NEED_MORE) break;
        out.push(v);
      }
    } catch (err) {
      this.failed = err instanceof RespProtocolError ? err : new RespProtocolError(String(err));
      this.buf = Buffer.alloc(0);
      throw this.failed;
    }
    if (this.pos >= this.buf.length) {
      this.buf = Buffer.alloc(0);
      this.pos = 0;
    }
    return out;
  }

  /** Bytes buffered but not yet part of a complete value. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  /** Next complete top-level reply, or NEED_MORE. */
  private next(): RespReply | typeof NEED_MORE {
    for (;;) {
      let value: RespReply | typeof NEED_MORE | typeof OPENED;
      if (this.bulkLen >= 0) value = this.bulkPayload();
      else value = this.element();
      if (value === NEED_MORE) return NEED_MORE;
      if (value === OPENED) continue;
      // Attach to the innermost open array, closing every array it completes.
      let v: RespReply = value;
      for (;;) {
        const top = this.stack[this.stack.length - 1];
        if (!top) return v;
        top.items.push(v);
        top.remaining--;
        if (top.remaining > 0) break;
        this.stack.pop();
        v = top.items;
      }
    }
  }

  private bulkPayload(): Buffer | typeof NEED_MORE {
    const n = this.bulkLen;
    if (this.buf.length - this.pos < n + 2) return NEED_MORE;
    if (this.buf[this.pos + n] !== 0x0d || this.buf[this.pos + n + 1] !== 0x0a) throw new RespProtocolError('bulk string not terminated by CRLF');
    const v = Buffer.from(this.buf.subarray(this.pos, this.pos + n)); // copy: the stream buffer is reused
    this.pos += n + 2;
    this.bulkLen = -2;
    return v;
  }

  /** Parse one element header; OPENED when it opened an array or a bulk string whose content follows. */
  private element(): RespReply | typeof NEED_MORE | typeof OPENED {
    const line = this.line();
    if (line === null) return NEED_MORE;
    const type = line.charCodeAt(0);
    const text = line.slice(1);
    switch (type) {
      case 0x2b: // +
        return text;
      case 0x2d: // -
        return new RespError(text);
      case 0x3a: {
        // :
        if (!INT_RE.test(text)) throw new RespProtocolError(`bad integer ${JSON.stringify(text.slice(0, 32))}`);
        const n = Number(text);
        if (!Number.isSafeInteger(n)) throw new RespProtocolError('integer out of range');
        return n;
      }
      case 0x24: {
        // $
        const n = this.length(text);
        if (n === -1) return null;
        if (n > this.limits.maxBulk) throw new RespProtocolError(`bulk string of ${n} bytes over the limit of ${this.limits.maxBulk}`);
        this.bulkLen = n;
        return OPENED;
      }
      case 0x2a: {
        // *
        const n = this.length(text);
        if (n === -1) return null;
        if (n > this.limits.maxArray) throw new RespProtocolError(`array of ${n} elements over the limit of ${this.limits.maxArray}`);
        if (n === 0) return [];
        if (this.stack.length >= this.limits.maxDepth) throw new RespProtocolError(`arrays nested deeper than ${this.limits.maxDepth}`);
        this.stack.push({ items: [], remaining: n });
        return OPENED;
      }
      default:
        throw new RespProtocolError(`unknown type byte 0x${type.toString(16).padStart(2, '0')}`);
    }
  }

  private length(text: string): number {
    if (text === '-1') return -1;
    if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) throw new RespProtocolError(`bad length ${JSON.stringify(text.slice(0, 32))}`);
    return Number(text);
  }

  /** One CRLF-terminated line (without CRLF), or null if incomplete. */
  private line(): string | null {
    const start = this.pos;
    const end = this.buf.indexOf(0x0d, start);
    if (end < 0) {
      if (this.buf.length - start > MAX_LINE) throw new RespProtocolError(`line longer than ${MAX_LINE} bytes`);
      return null;
    }
    if (end - start + 2 > MAX_LINE) throw new RespProtocolError(`line longer than ${MAX_LINE} bytes`);
    if (end + 1 >= this.buf.length) return null; // CR seen, LF not yet
    if (this.buf[end + 1] !== 0x0a) throw new RespProtocolError('CR not followed by LF');
    if (end === start) throw new RespProtocolError('empty line');
    this.pos = end + 2;
    return this.buf.toString('utf8', start, end);
  }
}

const NEED_MORE = Symbol('need more');
const OPENED = Symbol('opened');
