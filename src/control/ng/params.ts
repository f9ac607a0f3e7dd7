/**
 * Normalisation of an ng request dictionary into typed parameters.
 *
 * Key spellings: rtpengine accepts several spellings of one key (`call-id`, `call id`, `call-ID`,
 * `transport protocol` / `transport-protocol`, ... — call_interfaces.c `call_ng_main_flags`, notes §1).
 * We match keys case-insensitively with spaces and underscores read as hyphens, which covers all of
 * them. Keys we do not know are returned in `unknownKeys` (rtpengine ignores them with a log line).
 *
 * Values: numbers may be integers or decimal strings ("30"; Kamailio sends `key=value` flags as
 * strings, notes §3.3). A string is accepted where a list of strings is expected (one element), and an
 * integer where a string is expected. Anything else of the wrong type is a BadRequestError naming the
 * key, e.g. `Invalid value for key "call-id": expected a string`.
 *
 * `flags` entries are lower-cased with spaces read as hyphens ("trust address" -> "trust-address").
 * Entries that are list items in disguise are moved to their list (Kamailio and rtpengine accept both
 * forms, notes §3.3): `codec-strip-PCMA` etc. -> params.codec (codec name keeps its case),
 * `replace-origin` -> params.replace, `SDES-X` -> params.sdes, `rtcp-mux-X` -> params.rtcpMux,
 * `endpoint-learning-X` -> params.endpointLearning.
 */
import { BadRequestError } from '../../errors';
import type { NgDict, NgValue } from './bencode';

export interface NgCodecParams {
  strip: string[];
  offer: string[];
  transcode: string[];
  mask: string[];
  set: string[];
  accept: string[];
  consume: string[];
  except: string[];
}

export interface NgParams {
  callId?: string;
  fromTag?: string;
  toTag?: string;
  viaBranch?: string;
  sdp?: string;
  /** Normalised flags (lower-case, hyphens), without the entries moved to lists. */
  flags: Set<string>;
  /** `replace` items, normalised: 'origin', 'session-connection', 'sdp-version', ... */
  replace: Set<string>;
  ice?: string;
  dtls?: string;
  sdes: string[];
  /** (S) `OSRTP` list (and flags `OSRTP-X`): offer, accept (RFC 8643). */
  osrtp?: string[];
  /** (S) `DTLS-reverse` (passive / active). */
  dtlsReverse?: string;
  /** (S) `DTLS-fingerprint`: hash to print in a=fingerprint (sha-1, sha-256, ...). */
  dtlsFingerprint?: string;
  /** (S) `ICE-lite`: off / forward / backward / both (and rtpengine's aliases). */
  iceLite?: string;
  rtcpMux: string[];
  transportProtocol?: string;
  /** Logical interface names [from, to], as given. */
  direction: string[];
  receivedFrom?: { family: string; address: string };
  mediaAddress?: string;
  addressFamily?: string;
  codec: NgCodecParams;
  ptime?: number;
  /** `ptime-reverse` (also `reverse ptime`): a=ptime towards the offerer (offer only). */
  ptimeReverse?: number;
  /** (M) `media echo` / `media-echo`: echo media back to its sender (rtpengine MEO_*), or drop it. */
  mediaEcho?: 'blackhole' | 'forward' | 'backwards' | 'both';
  deleteDelay?: number;
  label?: string;
  setLabel?: string;
  toLabel?: string;
  recordCall?: string;
  metadata?: string;
  tos?: number;
  /** Lower-cased, e.g. "load limit". */
  supports: Set<string>;
  endpointLearning?: string;
  /** whisperd: 'whisper' | 'monitor' | 'barge' | ... (key `supervise` or `mode`), as given. */
  supervise?: string;
  agentTag?: string;
  supervisor?: string;
  agent?: string;
  /** whisperd: `aec` (supervise): the session's echo canceller, yes/no (also true/false, on/off, 1/0). */
  aec?: boolean;
  file?: string;
  /** `blob` as raw bytes. */
  blob?: Buffer;
  repeatTimes?: number;
  limit?: number;
  fromTags: string[];
  /** Media-control commands (block/play DTMF, block/silence media, play media): select by SDP media address. */
  address?: string;
  /** `code` / `digit` (play DTMF, DTMF-security=DTMF): an integer 0..15 or one character, as given. */
  digit?: number | string;
  /** `volume` (play DTMF), a signed integer (rtpengine reads positive values as negative dB). */
  volume?: number;
  /** `duration` / `pause` (play DTMF), ms. */
  duration?: number;
  pause?: number;
  /** `DTMF-security` (block DTMF), lower-cased: drop | silence | tone | zero | dtmf | random | off. */
  dtmfSecurity?: string;
  /**
   * (T) `T.38` (also `t38`, and flags `T38-X` / `T.38-X`): the T.38 gateway options, normalised
   * (lower-case, hyphens, dots dropped): decode, force, stop, no-ecm, no-v17, no-v27ter, no-v29, no-v34,
   * no-iaf, fec (src/call/t38.ts).
   */
  t38?: Set<string>;
}

export interface NormalisedParams {
  params: NgParams;
  unknownKeys: string[];
}

type Apply = (p: NgParams, v: NgValue, key: string, unknown: string[]) => void;

function bad(key: string, expected: string): never {
  throw new BadRequestError(`Invalid value for key "${key}": expected ${expected}`);
}

function str(v: NgValue, key: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return bad(key, 'a string');
}

/** Non-negative integer from an integer or a decimal string. */
function int(v: NgValue, key: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v)) return Number(v.trim());
  return bad(key, 'a non-negative integer');
}

/** Integer (possibly negative) from an integer or a decimal string. */
function signedInt(v: NgValue, key: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d{1,15}\s*$/.test(v)) return Number(v.trim());
  return bad(key, 'an integer');
}

function strList(v: NgValue, key: string): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return bad(key, 'a list of strings');
  const out: string[] = [];
  for (const item of v) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number') out.push(String(item));
    else bad(key, 'a list of strings');
  }
  return out;
}

/**
 * "trust address" -> "trust-address"; "SDP-version" -> "sdp-version" (rtpengine's str_hyphenate plus
 * lower-casing). Length-preserving, so an index into the result is an index into the input.
 */
export function hyphenate(s: string): string {
  return s.toLowerCase().replace(/ /g, '-');
}

/** Canonical spelling of a dictionary key: lower-case, spaces and underscores as hyphens. */
export function canonicalKey(k: string): string {
  return k.toLowerCase().replace(/[ _]/g, '-');
}

const CODEC_KEYS = ['strip', 'offer', 'transcode', 'mask', 'set', 'accept', 'consume', 'except'] as const;
type CodecKey = (typeof CODEC_KEYS)[number];

/** Flag prefixes (already hyphenated, lower-case) that name a codec list; longest first. */
const CODEC_FLAG_PREFIXES: ReadonlyArray<readonly [string, CodecKey]> = [
  ['codec-transcode-', 'transcode'],
  ['codec-consume-', 'consume'],
  ['codec-except-', 'except'],
  ['codec-accept-', 'accept'],
  ['codec-strip-', 'strip'],
  ['codec-offer-', 'offer'],
  ['codec-mask-', 'mask'],
  ['codec-set-', 'set'],
  ['transcode-', 'transcode'],
];

function applyFlags(p: NgParams, v: NgValue, key: string): void {
  for (const raw of strList(v, key)) {
    const trimmed = raw.trim();
    const norm = hyphenate(trimmed);
    if (norm === '') continue;
    if (routeFlag(p, trimmed, norm)) continue;
    p.flags.add(norm);
  }
}

/** Move a list-in-disguise flag to its list. `raw` keeps the case of the value part. */
function routeFlag(p: NgParams, raw: string, norm: string): boolean {
  for (const [prefix, list] of CODEC_FLAG_PREFIXES) {
    if (norm.startsWith(prefix) && norm.length > prefix.length) {
      p.codec[list].push(raw.slice(prefix.length));
      return true;
    }
  }
  const rest = (prefix: string): string | undefined =>
    norm.startsWith(prefix) && norm.length > prefix.length ? raw.slice(prefix.length) : undefined;
  let x: string | undefined;
  if ((x = rest('replace-')) !== undefined) p.replace.add(hyphenate(x));
  else if ((x = rest('sdes-')) !== undefined) p.sdes.push(x);
  else if ((x = rest('osrtp-')) !== undefined) (p.osrtp ??= []).push(x);
  else if ((x = rest('rtcp-mux-')) !== undefined) p.rtcpMux.push(hyphenate(x));
  else if ((x = rest('endpoint-learning-')) !== undefined) p.endpointLearning = hyphenate(x);
  else if ((x = rest('t38-') ?? rest('t.38-')) !== undefined) addT38(p, x);
  else return false;
  return true;
}

function applyCodec(p: NgParams, v: NgValue, key: string, unknown: string[]): void {
  if (typeof v !== 'object' || Array.isArray(v)) return bad(key, 'a dictionary');
  for (const sub of Object.keys(v)) {
    const k = canonicalKey(sub) as CodecKey;
    if ((CODEC_KEYS as readonly string[]).includes(k)) p.codec[k].push(...strList(v[sub] as NgValue, `${key}.${sub}`));
    else unknown.push(`${key}.${sub}`);
  }
}

function applyReceivedFrom(p: NgParams, v: NgValue, key: string): void {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') {
    return bad(key, 'a list [family, address]');
  }
  p.receivedFrom = { family: v[0], address: v[1] };
}

/** Canonical key -> how its value is applied. Built once. */
const APPLY = new Map<string, Apply>();
function def(keys: string[], apply: Apply): void {
  for (const k of keys) APPLY.set(k, apply);
}
def(['command'], () => undefined); // consumed by the server
def(['call-id'], (p, v, k) => (p.callId = str(v, k)));
def(['from-tag'], (p, v, k) => (p.fromTag = str(v, k)));
def(['to-tag'], (p, v, k) => (p.toTag = str(v, k)));
def(['via-branch'], (p, v, k) => (p.viaBranch = str(v, k)));
def(['sdp'], (p, v, k) => (p.sdp = str(v, k)));
def(['flags'], (p, v, k) => applyFlags(p, v, k));
def(['replace'], (p, v, k) => strList(v, k).forEach((r) => p.replace.add(hyphenate(r))));
def(['ice'], (p, v, k) => (p.ice = str(v, k)));
def(['dtls'], (p, v, k) => (p.dtls = str(v, k)));
// rtpengine 10.5 reads `SDES` and `OSRTP` only as lists (call_ng_flags_list): a plain string is ignored.
def(['sdes'], (p, v, k) => {
  if (Array.isArray(v)) p.sdes.push(...strList(v, k));
});
// (S) encryption keys (rtpengine call_interfaces.c call_ng_main_flags)
def(['osrtp'], (p, v, k) => {
  if (Array.isArray(v)) (p.osrtp ??= []).push(...strList(v, k));
});
def(['dtls-reverse'], (p, v, k) => (p.dtlsReverse = str(v, k)));
def(['dtls-fingerprint'], (p, v, k) => (p.dtlsFingerprint = str(v, k)));
def(['ice-lite'], (p, v, k) => (p.iceLite = str(v, k)));
// rtpengine `passthrough`/`passthru` key: on/yes/enable(d) or no/off/disable(d) (the flags `passthrough` / `no-passthrough` too)
def(['passthrough', 'passthru'], (p, v, k) => {
  const x = str(v, k).toLowerCase();
  if (x === 'on' || x === 'yes' || x === 'enable' || x === 'enabled') p.flags.add('passthrough');
  else if (x === 'no' || x === 'off' || x === 'disable' || x === 'disabled') p.flags.add('no-passthrough');
});
def(['rtcp-mux'], (p, v, k) => p.rtcpMux.push(...strList(v, k).map(hyphenate)));
def(['transport-protocol'], (p, v, k) => (p.transportProtocol = str(v, k)));
def(['direction'], (p, v, k) => p.direction.push(...strList(v, k)));
def(['received-from'], (p, v, k) => applyReceivedFrom(p, v, k));
def(['media-address'], (p, v, k) => (p.mediaAddress = str(v, k)));
def(['address-family'], (p, v, k) => (p.addressFamily = str(v, k)));
def(['codec'], applyCodec);
def(['ptime'], (p, v, k) => (p.ptime = int(v, k)));
def(['ptime-reverse', 'reverse-ptime'], (p, v, k) => (p.ptimeReverse = int(v, k)));
// (M) rtpengine call_interfaces.c: these spellings; anything else is ignored (rtpengine logs a warning).
const MEDIA_ECHO: Record<string, NgParams['mediaEcho']> = {
  blackhole: 'blackhole', sinkhole: 'blackhole', forward: 'forward', fwd: 'forward', fw: 'forward',
  backward: 'backwards', backwards: 'backwards', reverse: 'backwards', back: 'backwards', bkw: 'backwards', bk: 'backwards', both: 'both',
};
def(['media-echo'], (p, v, k) => {
  const m = MEDIA_ECHO[str(v, k).toLowerCase()];
  if (m) p.mediaEcho = m;
});
def(['delete-delay'], (p, v, k) => (p.deleteDelay = int(v, k)));
def(['label', 'from-label'], (p, v, k) => (p.label = str(v, k)));
def(['set-label'], (p, v, k) => (p.setLabel = str(v, k)));
def(['to-label'], (p, v, k) => (p.toLabel = str(v, k)));
def(['record-call'], (p, v, k) => (p.recordCall = str(v, k)));
def(['metadata'], (p, v, k) => (p.metadata = str(v, k)));
def(['tos'], (p, v, k) => (p.tos = int(v, k)));
def(['supports'], (p, v, k) => strList(v, k).forEach((s) => p.supports.add(s.toLowerCase())));
def(['endpoint-learning'], (p, v, k) => (p.endpointLearning = hyphenate(str(v, k))));
def(['from-tags'], (p, v, k) => p.fromTags.push(...strList(v, k)));
// whisperd's own keys
def(['supervise', 'mode'], (p, v, k) => (p.supervise = str(v, k)));
def(['agent-tag'], (p, v, k) => (p.agentTag = str(v, k)));
def(['supervisor'], (p, v, k) => (p.supervisor = str(v, k)));
def(['agent'], (p, v, k) => (p.agent = str(v, k)));
def(['aec'], (p, v, k) => {
  const x = str(v, k).toLowerCase();
  if (x === 'yes' || x === 'true' || x === 'on' || x === '1') p.aec = true;
  else if (x === 'no' || x === 'false' || x === 'off' || x === '0') p.aec = false;
  else bad(k, 'yes or no');
});
def(['file'], (p, v, k) => (p.file = str(v, k)));
def(['blob'], (p, v, k) => (p.blob = Buffer.from(str(v, k), 'latin1')));
def(['repeat-times'], (p, v, k) => (p.repeatTimes = int(v, k)));
def(['limit'], (p, v, k) => (p.limit = int(v, k)));
// media-control commands (src/control/ng/commands/mediaControl.ts)
def(['address'], (p, v, k) => (p.address = str(v, k)));
def(['code', 'digit'], (p, v, k) => (p.digit = typeof v === 'number' ? v : str(v, k)));
def(['volume'], (p, v, k) => (p.volume = signedInt(v, k)));
def(['duration'], (p, v, k) => (p.duration = int(v, k)));
def(['pause'], (p, v, k) => (p.pause = int(v, k)));
def(['dtmf-security'], (p, v, k) => (p.dtmfSecurity = str(v, k).toLowerCase()));
// (T) rtpengine call_interfaces.c ng_t38_option: `T.38: [decode, force, stop, no-ECM, no-V.17, FEC, ...]`.
function addT38(p: NgParams, option: string): void {
  (p.t38 ??= new Set()).add(hyphenate(option.trim()).replace(/\./g, ''));
}
def(['t.38', 't38'], (p, v, k) => strList(v, k).forEach((o) => addT38(p, o)));

/** Parameters of a request that carried no keys (commands issued internally: DTMF, HTTP). */
export function emptyParams(): NgParams {
  return {
    flags: new Set(),
    replace: new Set(),
    sdes: [],
    rtcpMux: [],
    direction: [],
    codec: { strip: [], offer: [], transcode: [], mask: [], set: [], accept: [], consume: [], except: [] },
    supports: new Set(),
    fromTags: [],
  };
}

/**
 * Normalise a decoded request dictionary. Throws BadRequestError naming the key when a known key has
 * a value of the wrong type. Unknown keys (as spelt by the peer) are returned in `unknownKeys`.
 */
export function normaliseParams(dict: NgDict): NormalisedParams {
  const params = emptyParams();
  const unknownKeys: string[] = [];
  for (const key of Object.keys(dict)) {
    const apply = APPLY.get(canonicalKey(key));
    if (apply === undefined) unknownKeys.push(key);
    else apply(params, dict[key] as NgValue, key, unknownKeys);
  }
  return { params, unknownKeys };
}

/**
 * True if the request lists "load limit" in `supports` (then a session-limit error is replied as
 * `result: "load limit"`). Reads the raw dictionary so it works even when normalisation failed.
 */
export function supportsLoadLimit(dict: NgDict): boolean {
  for (const key of Object.keys(dict)) {
    if (canonicalKey(key) !== 'supports') continue;
    const v = dict[key];
    if (typeof v === 'string') return v.toLowerCase() === 'load limit';
    if (Array.isArray(v)) return v.some((s) => typeof s === 'string' && s.toLowerCase() === 'load limit');
  }
  return false;
}
