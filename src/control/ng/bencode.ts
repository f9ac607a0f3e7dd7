/**
 * Bencode (BEP 3) for the ng protocol, plus the JSON <-> NgValue conversions used when a proxy sends
 * the JSON form of the dictionary (rtpengine accepts both; JSON requests get JSON replies).
 *
 * String convention: every string of an NgValue holds one byte per char (latin1), so decoding and
 * re-encoding is byte-exact whatever the peer sent (SDP may carry UTF-8 or arbitrary bytes). Callers
 * that need bytes do `Buffer.from(s, 'latin1')`. The encoder also accepts strings with chars > 0xFF
 * (built by our own code): those are written as UTF-8.
 *
 * Hostile input: the decoder never recurses deeper than MAX_DEPTH and never creates more than
 * MAX_ELEMENTS values, so a nesting bomb or a huge list fails fast with NgProtocolError
 * ("Invalid NG data format") instead of exhausting the stack or memory. Dictionaries are created with
 * a null prototype so a key such as "__proto__" is plain data.
 */
import { NgProtocolError } from '../../errors';

export type NgValue = string | number | NgValue[] | NgDict;
export interface NgDict {
  [k: string]: NgValue;
}

/** Deepest nesting of lists/dicts accepted (the top-level dict is depth 1). */
export const MAX_DEPTH = 32;
/** Most values (strings, integers, lists, dicts) one message may contain. */
export const MAX_ELEMENTS = 100_000;

const INVALID = 'Invalid NG data format';

const CH_0 = 0x30;
const CH_9 = 0x39;
const CH_COLON = 0x3a;
const CH_MINUS = 0x2d;
const CH_d = 0x64;
const CH_e = 0x65;
const CH_i = 0x69;
const CH_l = 0x6c;

/** A one-shot cursor over the input; one instance per decode call. */
class Decoder {
  pos = 0;
  elements = 0;
  constructor(readonly buf: Buffer) {}

  fail(): never {
    throw new NgProtocolError(INVALID);
  }

  value(depth: number): NgValue {
    if (++this.elements > MAX_ELEMENTS) this.fail();
    const c = this.buf[this.pos];
    if (c === undefined) this.fail();
    if (c >= CH_0 && c <= CH_9) return this.string();
    if (c === CH_i) return this.integer();
    if (c === CH_l || c === CH_d) {
      if (depth >= MAX_DEPTH) this.fail();
      return c === CH_l ? this.list(depth + 1) : this.dict(depth + 1);
    }
    return this.fail();
  }

  /** `<len>:<bytes>`; len is decimal without leading zeros (a lone "0" is the empty string). */
  string(): string {
    const buf = this.buf;
    let p = this.pos;
    let len = 0;
    const start = p;
    for (;;) {
      const c = buf[p];
      if (c === undefined) this.fail();
      if (c === CH_COLON) break;
      if (c < CH_0 || c > CH_9) this.fail();
      len = len * 10 + (c - CH_0);
      if (len > buf.length) this.fail(); // also bounds the digit count
      p++;
    }
    const digits = p - start;
    if (digits === 0 || (digits > 1 && buf[start] === CH_0)) this.fail();
    p++; // ':'
    if (p + len > buf.length) this.fail();
    this.pos = p + len;
    return buf.toString('latin1', p, p + len);
  }

  /** `i<decimal>e`: no leading zeros, no "-0", must be a safe integer. */
  integer(): number {
    const buf = this.buf;
    let p = this.pos + 1;
    const neg = buf[p] === CH_MINUS;
    if (neg) p++;
    const start = p;
    let n = 0;
    for (;;) {
      const c = buf[p];
      if (c === undefined) this.fail();
      if (c === CH_e) break;
      if (c < CH_0 || c > CH_9) this.fail();
      n = n * 10 + (c - CH_0);
      if (n > Number.MAX_SAFE_INTEGER) this.fail();
      p++;
    }
    const digits = p - start;
    if (digits === 0 || (digits > 1 && buf[start] === CH_0) || (neg && n === 0)) this.fail();
    this.pos = p + 1;
    return neg ? -n : n;
  }

  list(depth: number): NgValue[] {
    this.pos++; // 'l'
    const out: NgValue[] = [];
    for (;;) {
      const c = this.buf[this.pos];
      if (c === undefined) this.fail();
      if (c === CH_e) break;
      out.push(this.value(depth));
    }
    this.pos++;
    return out;
  }

  dict(depth: number): NgDict {
    this.pos++; // 'd'
    const out = Object.create(null) as NgDict;
    for (;;) {
      const c = this.buf[this.pos];
      if (c === undefined) this.fail();
      if (c === CH_e) break;
      if (c < CH_0 || c > CH_9) this.fail(); // keys must be strings (keys need not be sorted: ng doc)
      if (++this.elements > MAX_ELEMENTS) this.fail();
      const key = this.string();
      out[key] = this.value(depth);
    }
    this.pos++;
    return out;
  }
}

/**
 * Decode exactly one bencoded value filling the whole buffer. Throws NgProtocolError
 * ("Invalid NG data format") on malformed input, trailing bytes, or when a limit is exceeded.
 */
export function decodeBencode(buf: Buffer): NgValue {
  const d = new Decoder(buf);
  const v = d.value(0);
  if (d.pos !== buf.length) d.fail();
  return v;
}

// ---------------------------------------------------------------------------------------------------
// Encoding

const NON_LATIN1 = /[^\x00-\xff]/;

/** A string's bytes as a latin1 string (identity for latin1 strings, UTF-8 bytes otherwise). */
function byteString(s: string): string {
  return NON_LATIN1.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** The bencoding of `v` as a latin1 byte string (built by concatenation: V8 joins the pieces once). */
function encodeValue(v: NgValue, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('bencode: value nested too deeply');
  if (typeof v === 'string') {
    const b = byteString(v);
    return b.length + ':' + b;
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError(`bencode: not an integer: ${v}`);
    return 'i' + v + 'e';
  }
  if (Array.isArray(v)) {
    let out = 'l';
    for (let i = 0; i < v.length; i++) out += encodeValue(v[i]!, depth + 1);
    return out + 'e';
  }
  if (typeof v === 'object' && v !== null) {
    // BEP 3: keys sorted as raw byte strings; latin1 byte strings compare the same way as code units,
    // so keys that are all latin1 (the usual case) sort as they are.
    const own = Object.keys(v);
    let latin1 = true;
    for (let i = 0; i < own.length; i++) if (NON_LATIN1.test(own[i]!)) latin1 = false;
    let out = 'd';
    if (latin1) {
      own.sort();
      for (let i = 0; i < own.length; i++) {
        const k = own[i]!;
        const item = v[k];
        if (item === undefined) continue; // optional fields left unset by the builder
        out += k.length + ':' + k + encodeValue(item, depth + 1);
      }
    } else {
      const keys = own.map((k) => [byteString(k), k] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [bk, k] of keys) {
        const item = v[k];
        if (item === undefined) continue;
        out += bk.length + ':' + bk + encodeValue(item, depth + 1);
      }
    }
    return out + 'e';
  }
  throw new TypeError(`bencode: cannot encode ${typeof v}`);
}

/**
 * Encode a value; dictionary keys are sorted, `undefined` dictionary values are skipped. Throws
 * TypeError for values outside NgValue (non-integer numbers, booleans, null): a programming error.
 */
export function encodeBencode(v: NgValue): Buffer {
  return Buffer.from(bencodeString(v), 'latin1');
}

/** encodeBencode's bytes as a latin1 byte string (one char per byte). Same errors. */
export function bencodeString(v: NgValue): string {
  return encodeValue(v, 0);
}

// ---------------------------------------------------------------------------------------------------
// JSON form

/**
 * Convert a parsed JSON value to an NgValue following the latin1 convention (JSON strings are
 * Unicode; they become their UTF-8 bytes). Integers stay numbers, other numbers and booleans become
 * strings, null dictionary members are dropped. Same depth/element limits as bencode; throws
 * NgProtocolError on anything else (e.g. null inside a list).
 */
export function jsonToNg(v: unknown): NgValue {
  const counter = { n: 0 };
  return fromJson(v, 0, counter);
}

function fromJson(v: unknown, depth: number, counter: { n: number }): NgValue {
  if (++counter.n > MAX_ELEMENTS) throw new NgProtocolError(INVALID);
  if (typeof v === 'string') return Buffer.from(v, 'utf8').toString('latin1');
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'object' || v === null || depth >= MAX_DEPTH) throw new NgProtocolError(INVALID);
  if (Array.isArray(v)) return v.map((item) => fromJson(item, depth + 1, counter));
  const out = Object.create(null) as NgDict;
  for (const [k, item] of Object.entries(v)) {
    if (item === null) continue;
    out[Buffer.from(k, 'utf8').toString('latin1')] = fromJson(item, depth + 1, counter);
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A byte string read as UTF-8; a string that is not valid UTF-8 (or already Unicode) is kept as is. */
function unicodeOf(s: string): string {
  if (NON_LATIN1.test(s) || !/[\x80-\xff]/.test(s)) return s;
  try {
    return strictUtf8.decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

/** Inverse of jsonToNg for replies: latin1 byte strings are read back as UTF-8. */
export function ngToJson(v: NgValue): unknown {
  if (typeof v === 'string') return unicodeOf(v);
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(ngToJson);
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    const item = v[k];
    if (item !== undefined) out[unicodeOf(k)] = ngToJson(item);
  }
  return out;
}

/** Parse the JSON form of an ng dictionary; the top level must be an object. */
export function decodeJsonDict(buf: Buffer): NgDict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new NgProtocolError(INVALID);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new NgProtocolError(INVALID);
  return jsonToNg(parsed) as NgDict;
}

/** Encode a reply dictionary in JSON form. */
export function encodeJsonDict(v: NgDict): Buffer {
  return Buffer.from(JSON.stringify(ngToJson(v)), 'utf8');
}
