/**
 * STUN (RFC 5389) as ICE (RFC 8445) uses it: parse a datagram in place, every length checked, and build
 * Binding requests / responses with MESSAGE-INTEGRITY (HMAC-SHA1, short-term credentials: key = ice-pwd)
 * and FINGERPRINT (CRC-32 XOR 0x5354554e).
 *
 * Parsing never throws: `StunView.parse` fills the view with offsets into the caller's buffer (no copy,
 * no string) and returns a `StunError` (0 = well formed). Checking the credentials is separate and ordered
 * cheapest first by the caller (src/media/ice/IceAgent.ts): FINGERPRINT (one CRC), USERNAME (a byte compare
 * against a prebuilt Buffer), and only then the HMAC.
 *
 * HMAC and CRC come from node:crypto / node:zlib (no hand-written crypto).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { crc32 } from 'node:zlib';
import { ipv6ToWords, wordsToIpv6 } from '../nativeRelay';

export const STUN_MAGIC = 0x2112a442;
export const STUN_HEADER_BYTES = 20;
/** The FINGERPRINT XOR value (RFC 5389 §15.5: "STUN" in ASCII). */
const FINGERPRINT_XOR = 0x5354554e;
/** Largest STUN message this codec parses or writes (a UDP datagram on a media socket; RFC 5389 §7.1 path MTU). */
export const STUN_MAX_BYTES = 1500;

/** Message classes (RFC 5389 §6: the C1/C0 bits). */
export const enum StunClass {
  REQUEST = 0,
  INDICATION = 1,
  SUCCESS = 2,
  ERROR = 3,
}

export const STUN_BINDING = 0x001;

/** Attribute types used here (RFC 5389 §18.2, RFC 8445 §16.1). */
export const enum StunAttr {
  MAPPED_ADDRESS = 0x0001,
  USERNAME = 0x0006,
  MESSAGE_INTEGRITY = 0x0008,
  ERROR_CODE = 0x0009,
  UNKNOWN_ATTRIBUTES = 0x000a,
  REALM = 0x0014,
  NONCE = 0x0015,
  XOR_MAPPED_ADDRESS = 0x0020,
  PRIORITY = 0x0024,
  USE_CANDIDATE = 0x0025,
  SOFTWARE = 0x8022,
  ALTERNATE_SERVER = 0x8023,
  FINGERPRINT = 0x8028,
  ICE_CONTROLLED = 0x8029,
  ICE_CONTROLLING = 0x802a,
}

/** Why a datagram is not a well-formed STUN message (0: it is). */
export const enum StunError {
  OK = 0,
  /** Shorter than the 20-byte header. */
  TOO_SHORT = 1,
  /** The two top bits are not 0, or no magic cookie (RFC 5389 §6): not STUN (or classic RFC 3489 STUN). */
  NOT_STUN = 2,
  /** The header length is not a multiple of 4 or runs past the datagram. */
  BAD_LENGTH = 3,
  /** An attribute header or value (with its padding) runs past the message. */
  BAD_ATTRIBUTE = 4,
  /** A known attribute with the wrong size (PRIORITY not 4 bytes, MESSAGE-INTEGRITY not 20, ...). */
  BAD_VALUE = 5,
  /** An attribute after FINGERPRINT (RFC 5389 §15.5: it must be the last one). */
  BAD_ORDER = 6,
}

/** ICE role attribute seen in a message. */
export const enum StunRole {
  NONE = 0,
  CONTROLLING = 1,
  CONTROLLED = 2,
}

/**
 * One parsed STUN message: offsets into the buffer given to `parse` (valid while that buffer is), fixed
 * fields as numbers. Reusable: `parse` resets everything.
 */
export class StunView {
  /** Bytes of the whole message (header + attributes); the datagram may be longer (ignored tail). */
  length = 0;
  method = 0;
  cls: StunClass = StunClass.REQUEST;
  usernameOff = -1;
  usernameLen = 0;
  /** Offset of the MESSAGE-INTEGRITY attribute's header (-1: none). */
  integrityOff = -1;
  /** Offset of the FINGERPRINT attribute's header (-1: none). */
  fingerprintOff = -1;
  /** PRIORITY (-1: none). */
  priority = -1;
  useCandidate = false;
  role: StunRole = StunRole.NONE;
  /** The ICE-CONTROLLING / ICE-CONTROLLED tie-breaker as two unsigned 32-bit halves. */
  tieHi = 0;
  tieLo = 0;
  /** XOR-MAPPED-ADDRESS value offset and length (-1: none). */
  xorAddrOff = -1;
  xorAddrLen = 0;
  /** ERROR-CODE: 300..699 (0: none) and the reason phrase's offset/length. */
  errorCode = 0;
  errorReasonOff = -1;
  errorReasonLen = 0;
  /** Comprehension-required attributes this codec does not know (RFC 5389 §7.3.1: 420), up to 8 kept. */
  unknownCount = 0;
  readonly unknown = new Uint16Array(8);

  private reset(): void {
    this.length = 0;
    this.method = 0;
    this.cls = StunClass.REQUEST;
    this.usernameOff = -1;
    this.usernameLen = 0;
    this.integrityOff = -1;
    this.fingerprintOff = -1;
    this.priority = -1;
    this.useCandidate = false;
    this.role = StunRole.NONE;
    this.tieHi = 0;
    this.tieLo = 0;
    this.xorAddrOff = -1;
    this.xorAddrLen = 0;
    this.errorCode = 0;
    this.errorReasonOff = -1;
    this.errorReasonLen = 0;
    this.unknownCount = 0;
  }

  /**
   * Parse `buf[0..len)` (len defaults to buf.length). Returns StunError.OK for a well-formed message; then
   * the fields above describe it. Never throws, never reads outside [0, len).
   */
  parse(buf: Uint8Array, len: number = buf.length): StunError {
    this.reset();
    if (len > buf.length) len = buf.length;
    if (len < STUN_HEADER_BYTES) return StunError.TOO_SHORT;
    const type = (buf[0]! << 8) | buf[1]!;
    if ((type & 0xc000) !== 0) return StunError.NOT_STUN;
    if (((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0 !== STUN_MAGIC) return StunError.NOT_STUN;
    const bodyLen = (buf[2]! << 8) | buf[3]!;
    if ((bodyLen & 3) !== 0 || STUN_HEADER_BYTES + bodyLen > len) return StunError.BAD_LENGTH;
    const end = STUN_HEADER_BYTES + bodyLen;
    this.length = end;
    // Method: bits M11..M0 interleaved with C1 (bit 8) and C0 (bit 4).
    this.method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
    this.cls = (((type >> 7) & 2) | ((type >> 4) & 1)) as StunClass;
    let off = STUN_HEADER_BYTES;
    let afterIntegrity = false;
    while (off < end) {
      if (this.fingerprintOff >= 0) return StunError.BAD_ORDER;
      if (off + 4 > end) return StunError.BAD_ATTRIBUTE;
      const at = (buf[off]! << 8) | buf[off + 1]!;
      const alen = (buf[off + 2]! << 8) | buf[off + 3]!;
      const v = off + 4;
      const padded = (alen + 3) & ~3;
      if (v + padded > end) return StunError.BAD_ATTRIBUTE;
      if (at === StunAttr.FINGERPRINT) {
        if (alen !== 4) return StunError.BAD_VALUE;
        this.fingerprintOff = off;
      } else if (afterIntegrity) {
        // RFC 5389 §15.4: everything after MESSAGE-INTEGRITY but FINGERPRINT is ignored.
      } else {
        switch (at) {
          case StunAttr.USERNAME:
            if (alen > 513) return StunError.BAD_VALUE;
            this.usernameOff = v;
            this.usernameLen = alen;
            break;
          case StunAttr.MESSAGE_INTEGRITY:
            if (alen !== 20) return StunError.BAD_VALUE;
            this.integrityOff = off;
            afterIntegrity = true;
            break;
          case StunAttr.PRIORITY:
            if (alen !== 4) return StunError.BAD_VALUE;
            this.priority = ((buf[v]! << 24) | (buf[v + 1]! << 16) | (buf[v + 2]! << 8) | buf[v + 3]!) >>> 0;
            break;
          case StunAttr.USE_CANDIDATE:
            if (alen !== 0) return StunError.BAD_VALUE;
            this.useCandidate = true;
            break;
          case StunAttr.ICE_CONTROLLING:
          case StunAttr.ICE_CONTROLLED:
            if (alen !== 8) return StunError.BAD_VALUE;
            this.role = at === StunAttr.ICE_CONTROLLING ? StunRole.CONTROLLING : StunRole.CONTROLLED;
            this.tieHi = ((buf[v]! << 24) | (buf[v + 1]! << 16) | (buf[v + 2]! << 8) | buf[v + 3]!) >>> 0;
            this.tieLo = ((buf[v + 4]! << 24) | (buf[v + 5]! << 16) | (buf[v + 6]! << 8) | buf[v + 7]!) >>> 0;
            break;
          case StunAttr.XOR_MAPPED_ADDRESS:
            if (alen !== 8 && alen !== 20) return StunError.BAD_VALUE;
            this.xorAddrOff = v;
            this.xorAddrLen = alen;
            break;
          case StunAttr.ERROR_CODE: {
            if (alen < 4 || alen > 4 + 763) return StunError.BAD_VALUE;
            const code = (buf[v + 2]! & 7) * 100 + buf[v + 3]!;
            if (code < 300 || code > 699 || buf[v + 3]! > 99) return StunError.BAD_VALUE;
            this.errorCode = code;
            this.errorReasonOff = v + 4;
            this.errorReasonLen = alen - 4;
            break;
          }
          case StunAttr.MAPPED_ADDRESS:
          case StunAttr.UNKNOWN_ATTRIBUTES:
          case StunAttr.REALM:
          case StunAttr.NONCE:
            break;
          default:
            if (at < 0x8000 && this.unknownCount < this.unknown.length) this.unknown[this.unknownCount++] = at;
        }
      }
      off = v + padded;
    }
    return StunError.OK;
  }

  /** True if USERNAME is exactly `name` (no allocation). */
  usernameIs(buf: Uint8Array, name: Uint8Array): boolean {
    if (this.usernameOff < 0 || this.usernameLen !== name.length) return false;
    const o = this.usernameOff;
    for (let i = 0; i < name.length; i++) if (buf[o + i] !== name[i]) return false;
    return true;
  }

  /** True if USERNAME starts with `prefix` (e.g. "ourUfrag:"), no allocation. */
  usernameStartsWith(buf: Uint8Array, prefix: Uint8Array): boolean {
    if (this.usernameOff < 0 || this.usernameLen < prefix.length) return false;
    const o = this.usernameOff;
    for (let i = 0; i < prefix.length; i++) if (buf[o + i] !== prefix[i]) return false;
    return true;
  }

  /** The 12-byte transaction ID as a hex string (a key for the transaction table; allocates). */
  transactionKey(buf: Uint8Array): string {
    return Buffer.from(buf.buffer, buf.byteOffset + 8, 12).toString('hex');
  }

  /** XOR-MAPPED-ADDRESS decoded, or null (none, or an unknown family / wrong size for its family). */
  xorMappedAddress(buf: Uint8Array): { address: string; port: number } | null {
    if (this.xorAddrOff < 0) return null;
    return decodeXorAddress(buf, this.xorAddrOff, this.xorAddrLen, buf);
  }
}

/** Read a big-endian u32 (unsigned). */
function u32(buf: Uint8Array, o: number): number {
  return ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
}

/**
 * An XOR-MAPPED-ADDRESS value at buf[off..off+len) (RFC 5389 §15.2), XORed with the magic cookie and, for
 * IPv6, the transaction ID in `msg` (bytes 8..20 of the message).
 */
export function decodeXorAddress(buf: Uint8Array, off: number, len: number, msg: Uint8Array): { address: string; port: number } | null {
  if (len < 8 || off < 0 || off + len > buf.length) return null;
  const family = buf[off + 1];
  const port = (((buf[off + 2]! << 8) | buf[off + 3]!) ^ (STUN_MAGIC >>> 16)) & 0xffff;
  if (family === 1 && len === 8) {
    const a = (u32(buf, off + 4) ^ STUN_MAGIC) >>> 0;
    return { address: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`, port };
  }
  if (family === 2 && len === 20) {
    if (msg.length < STUN_HEADER_BYTES) return null;
    const w = new Float64Array(4);
    w[0] = (u32(buf, off + 4) ^ STUN_MAGIC) >>> 0;
    for (let i = 1; i < 4; i++) w[i] = (u32(buf, off + 4 + 4 * i) ^ u32(msg, 4 + 4 * i)) >>> 0;
    return { address: wordsToIpv6(w, 0), port };
  }
  return null;
}

/**
 * HMAC-SHA1 MESSAGE-INTEGRITY check (RFC 5389 §15.4) of the message `view` describes, with `key` (ICE:
 * the password of the agent the request was sent to). The hash covers the message up to the attribute,
 * with the header length as if MESSAGE-INTEGRITY were the last attribute.
 */
export function verifyIntegrity(buf: Uint8Array, view: StunView, key: Uint8Array): boolean {
  const mi = view.integrityOff;
  if (mi < 0) return false;
  const h = createHmac('sha1', key);
  h.update(headerWithLength(buf, mi + 24 - STUN_HEADER_BYTES));
  h.update(buf.subarray(4, mi));
  const digest = h.digest();
  return timingSafeEqual(digest, buf.subarray(mi + 4, mi + 24));
}

/** FINGERPRINT check (RFC 5389 §15.5); false if the message has none. */
export function verifyFingerprint(buf: Uint8Array, view: StunView): boolean {
  const fp = view.fingerprintOff;
  if (fp < 0) return false;
  return fingerprintOf(buf, fp) === u32(buf, fp + 4);
}

function fingerprintOf(buf: Uint8Array, fpOff: number): number {
  let c = crc32(headerWithLength(buf, fpOff + 8 - STUN_HEADER_BYTES));
  c = crc32(buf.subarray(4, fpOff), c);
  return (c ^ FINGERPRINT_XOR) >>> 0;
}

/** Scratch for headerWithLength: the CRC / HMAC consume it at once (never kept). */
const HEADER_SCRATCH = Buffer.alloc(4);

/** Bytes 0..4 of the header with another length (integrity / fingerprint cover), in a shared scratch buffer. */
function headerWithLength(buf: Uint8Array, bodyLen: number): Buffer {
  const h = HEADER_SCRATCH;
  h[0] = buf[0]!;
  h[1] = buf[1]!;
  h[2] = (bodyLen >> 8) & 0xff;
  h[3] = bodyLen & 0xff;
  return h;
}

/** RFC 5389 §15.4 long-term key: MD5(username ":" realm ":" password) (password already SASLprep'd). */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

/** Standard reason phrases (RFC 5389 §15.6, RFC 8445 §16.1). */
export const STUN_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  420: 'Unknown Attribute',
  487: 'Role Conflict',
  500: 'Server Error',
};

/**
 * Builds one STUN message. Signalling-rate use (a check, a response): each message is its own Buffer,
 * so one that is still queued for sending is never overwritten.
 */
export class StunWriter {
  private readonly buf = Buffer.alloc(STUN_MAX_BYTES);
  private len = 0;

  /** Start a message: `method` (12 bits), class, 12-byte transaction ID. */
  start(method: number, cls: StunClass, transactionId: Uint8Array): this {
    if (transactionId.length !== 12) throw new RangeError('STUN transaction ID must be 12 bytes');
    const m = method & 0xfff;
    const type = (m & 0x000f) | ((m & 0x0070) << 1) | ((m & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
    this.buf.writeUInt16BE(type, 0);
    this.buf.writeUInt16BE(0, 2);
    this.buf.writeUInt32BE(STUN_MAGIC, 4);
    this.buf.set(transactionId, 8);
    this.len = STUN_HEADER_BYTES;
    return this;
  }

  private attr(type: number, valueLen: number): number {
    const padded = (valueLen + 3) & ~3;
    if (this.len + 4 + padded > this.buf.length) throw new RangeError('STUN message too long');
    this.buf.writeUInt16BE(type, this.len);
    this.buf.writeUInt16BE(valueLen, this.len + 2);
    const v = this.len + 4;
    this.buf.fill(0, v, v + padded);
    this.len = v + padded;
    this.buf.writeUInt16BE(this.len - STUN_HEADER_BYTES, 2);
    return v;
  }

  bytes(type: number, value: Uint8Array): this {
    const v = this.attr(type, value.length);
    this.buf.set(value, v);
    return this;
  }

  text(type: number, value: string): this {
    return this.bytes(type, Buffer.from(value, 'utf8'));
  }

  u32(type: number, value: number): this {
    const v = this.attr(type, 4);
    this.buf.writeUInt32BE(value >>> 0, v);
    return this;
  }

  flag(type: number): this {
    this.attr(type, 0);
    return this;
  }

  /** A 64-bit value given as two unsigned 32-bit halves (ICE-CONTROLLING / ICE-CONTROLLED tie-breaker). */
  u64(type: number, hi: number, lo: number): this {
    const v = this.attr(type, 8);
    this.buf.writeUInt32BE(hi >>> 0, v);
    this.buf.writeUInt32BE(lo >>> 0, v + 4);
    return this;
  }

  /** XOR-MAPPED-ADDRESS of an IPv4 or IPv6 literal. */
  xorAddress(type: number, address: string, port: number): this {
    if (isIPv4(address)) {
      const v = this.attr(type, 8);
      const p = address.split('.');
      const a = ((+p[0]! << 24) | (+p[1]! << 16) | (+p[2]! << 8) | +p[3]!) >>> 0;
      this.buf[v] = 0;
      this.buf[v + 1] = 1;
      this.buf.writeUInt16BE((port ^ (STUN_MAGIC >>> 16)) & 0xffff, v + 2);
      this.buf.writeUInt32BE((a ^ STUN_MAGIC) >>> 0, v + 4);
      return this;
    }
    const w = new Float64Array(4);
    if (!ipv6ToWords(address, w, 0)) throw new TypeError(`not an IP address: ${address}`);
    const v = this.attr(type, 20);
    this.buf[v] = 0;
    this.buf[v + 1] = 2;
    this.buf.writeUInt16BE((port ^ (STUN_MAGIC >>> 16)) & 0xffff, v + 2);
    this.buf.writeUInt32BE((w[0]! ^ STUN_MAGIC) >>> 0, v + 4);
    for (let i = 1; i < 4; i++) this.buf.writeUInt32BE((w[i]! ^ this.buf.readUInt32BE(4 + 4 * i)) >>> 0, v + 4 + 4 * i);
    return this;
  }

  errorCode(code: number, reason: string = STUN_REASONS[code] ?? ''): this {
    const r = Buffer.from(reason, 'utf8');
    const v = this.attr(StunAttr.ERROR_CODE, 4 + r.length);
    this.buf[v + 2] = Math.floor(code / 100) & 7;
    this.buf[v + 3] = code % 100;
    this.buf.set(r, v + 4);
    return this;
  }

  /** MESSAGE-INTEGRITY over everything written so far, keyed by `key` (RFC 5389 §15.4). */
  integrity(key: Uint8Array): this {
    const v = this.attr(StunAttr.MESSAGE_INTEGRITY, 20);
    const h = createHmac('sha1', key);
    h.update(this.buf.subarray(0, v - 4));
    h.digest().copy(this.buf, v);
    return this;
  }

  /** FINGERPRINT (must be last). */
  fingerprint(): this {
    const v = this.attr(StunAttr.FINGERPRINT, 4);
    this.buf.writeUInt32BE(fingerprintOf(this.buf, v - 4), v);
    return this;
  }

  /** The message as its own Buffer. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}
