/**
 * The security and ICE attributes of an SDP (issue #12), read and written as rtpengine 10.5 does
 * (mr10.5.3.5 daemon/sdp.c `parse_attribute_crypto`, `insert_crypto1`, `insert_dtls`, `insert_candidate`;
 * daemon/crypto.c the suite table; daemon/media_socket.c the transport protocols):
 *
 *  - a=crypto (RFC 4568 §9.1): `<tag> <suite> inline:<base64 key||salt>[|<lifetime>][|<mki>:<len>] [params]`.
 *    Lifetime is `2^n` (n 1..63) or decimal, at most the suite's 2^48; MKI value:length (length 1..128
 *    bytes, value written as a decimal up to 2^32). A line that does not parse is IGNORED (rtpengine logs
 *    "Failed to parse a=crypto attribute, ignoring" and drops it from the SDP it writes): never an error.
 *  - a=fingerprint (RFC 8122 §5): `<hash> <hex:hex:...>`, hashes sha-1, sha-224, sha-256, sha-384, sha-512.
 *  - a=setup (RFC 4145 §4): actpass, active, passive, holdconn.
 *  - ICE (RFC 8839): a=ice-ufrag, a=ice-pwd, a=ice-lite (session or media), a=ice-options, a=candidate.
 *  - transport protocols: RTP/AVP, RTP/AVPF, RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP(F), and OSRTP
 *    (RFC 8643: RTP/AVP(F) carrying a=crypto or a=fingerprint is opportunistically encrypted).
 */
import { randomBytes } from 'node:crypto';
import type { Fingerprint, IceCandidate, IceParams, SrtpKey, SrtpSuite } from '../media/secure';
import { parseCandidate } from '../media/ice/candidates';

/** One SRTP suite as rtpengine's crypto.c lists it (this order is the order rtpengine offers them in). */
export interface SuiteInfo {
  name: SrtpSuite;
  keyLen: number;
  saltLen: number;
}

export const SDES_SUITES: readonly SuiteInfo[] = [
  { name: 'AEAD_AES_256_GCM', keyLen: 32, saltLen: 12 },
  { name: 'AEAD_AES_128_GCM', keyLen: 16, saltLen: 12 },
  { name: 'AES_256_CM_HMAC_SHA1_80', keyLen: 32, saltLen: 14 },
  { name: 'AES_256_CM_HMAC_SHA1_32', keyLen: 32, saltLen: 14 },
  { name: 'AES_192_CM_HMAC_SHA1_80', keyLen: 24, saltLen: 14 },
  { name: 'AES_192_CM_HMAC_SHA1_32', keyLen: 24, saltLen: 14 },
  { name: 'AES_CM_128_HMAC_SHA1_80', keyLen: 16, saltLen: 14 },
  { name: 'AES_CM_128_HMAC_SHA1_32', keyLen: 16, saltLen: 14 },
  { name: 'F8_128_HMAC_SHA1_80', keyLen: 16, saltLen: 14 },
  { name: 'F8_128_HMAC_SHA1_32', keyLen: 16, saltLen: 14 },
  { name: 'NULL_HMAC_SHA1_80', keyLen: 16, saltLen: 14 },
  { name: 'NULL_HMAC_SHA1_32', keyLen: 16, saltLen: 14 },
];

/** Largest SDES key lifetime (every suite: 2^48 packets, crypto.c srtp_lifetime). */
const MAX_SDES_LIFETIME = 2 ** 48;

/** The suite of that name (exact, upper-case as written in SDP; rtpengine crypto_find_suite is case-insensitive). */
export function suiteInfo(name: string): SuiteInfo | undefined {
  const upper = name.toUpperCase();
  return SDES_SUITES.find((s) => s.name === upper);
}

/** One a=crypto line (or one we generate). */
export interface SdesCrypto {
  tag: number;
  suite: SrtpSuite;
  key: Buffer;
  salt: Buffer;
  /** Key lifetime in packets, null when the line gave none. */
  lifetime: number | null;
  /** MKI value and length in bytes, null when none. */
  mki: { value: number; length: number } | null;
  unencryptedSrtp: boolean;
  unencryptedSrtcp: boolean;
  unauthenticatedSrtp: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * Parse the value of an a=crypto line (after "crypto:"). null: the line is ignored, as rtpengine does
 * (bad tag, unknown suite, not `inline:`, short or bad base64, bad lifetime or MKI).
 */
export function parseCrypto(value: string): SdesCrypto | null {
  if (value.length > 1024) return null;
  const tokens = value.split(' ').filter((x) => x !== '');
  if (tokens.length < 3) return null;
  const [tagStr, suiteStr, keyParams] = tokens as [string, string, string];
  const tagMatch = /^(\d{1,9})/.exec(tagStr);
  if (!tagMatch) return null;
  const suite = suiteInfo(suiteStr);
  if (!suite) return null;
  const total = suite.keyLen + suite.saltLen;
  const encLen = Math.ceil((total * 4) / 3);
  if (keyParams.length < 7 + encLen || keyParams.slice(0, 7).toLowerCase() !== 'inline:') return null;
  const b64 = keyParams.slice(7, 7 + encLen);
  if (!BASE64.test(b64)) return null;
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== total) return null;
  let rest = keyParams.slice(7 + encLen);
  // skip the base64 padding
  if (encLen % 4 === 2 && rest.startsWith('==')) rest = rest.slice(2);
  else if (encLen % 4 === 3 && rest.startsWith('=')) rest = rest.slice(1);
  let lifetimeStr: string | null = null;
  let mkiStr: string | null = null;
  if (rest.length >= 2) {
    if (rest[0] !== '|') return null;
    rest = rest.slice(1);
    const bar = rest.indexOf('|');
    if (bar === -1) {
      if (rest.includes(':')) mkiStr = rest;
      else lifetimeStr = rest;
    } else {
      lifetimeStr = rest.slice(0, bar);
      mkiStr = rest.slice(bar + 1);
    }
  }
  let lifetime: number | null = null;
  if (lifetimeStr !== null) {
    if (lifetimeStr.length >= 3 && lifetimeStr.startsWith('2^')) {
      const n = Number(/^\d+/.exec(lifetimeStr.slice(2))?.[0] ?? NaN);
      if (!Number.isInteger(n) || n < 1 || n >= 64) return null;
      lifetime = 2 ** n;
    } else {
      const n = Number(/^\d+/.exec(lifetimeStr)?.[0] ?? NaN);
      if (!Number.isFinite(n)) return null;
      lifetime = n;
    }
    if (!(lifetime > 0) || lifetime > MAX_SDES_LIFETIME) return null;
  }
  let mki: SdesCrypto['mki'] = null;
  if (mkiStr !== null) {
    const m = /^(\d{1,10}):(\d{1,3})/.exec(mkiStr);
    if (!m) return null;
    const length = Number(m[2]);
    if (length > 128) return null;
    mki = length === 0 ? null : { value: Number(m[1]) % 2 ** 32, length };
  }
  const out: SdesCrypto = {
    tag: Number(tagMatch[1]),
    suite: suite.name,
    key: raw.subarray(0, suite.keyLen),
    salt: raw.subarray(suite.keyLen),
    lifetime,
    mki,
    unencryptedSrtp: false,
    unencryptedSrtcp: false,
    unauthenticatedSrtp: false,
  };
  for (const p of tokens.slice(3)) {
    if (p === 'UNENCRYPTED_SRTCP') out.unencryptedSrtcp = true;
    else if (p === 'UNENCRYPTED_SRTP') out.unencryptedSrtp = true;
    else if (p === 'UNAUTHENTICATED_SRTP') out.unauthenticatedSrtp = true;
  }
  return out;
}

/** Fresh random keying for `suite` (node:crypto randomBytes). */
export function generateCrypto(tag: number, suite: SuiteInfo): SdesCrypto {
  const material = randomBytes(suite.keyLen + suite.saltLen);
  return {
    tag,
    suite: suite.name,
    key: material.subarray(0, suite.keyLen),
    salt: material.subarray(suite.keyLen),
    lifetime: null,
    mki: null,
    unencryptedSrtp: false,
    unencryptedSrtcp: false,
    unauthenticatedSrtp: false,
  };
}

export function copyCrypto(c: SdesCrypto): SdesCrypto {
  return { ...c, key: Buffer.from(c.key), salt: Buffer.from(c.salt), mki: c.mki ? { ...c.mki } : null };
}

/** Options of the a=crypto lines whisperd writes (ng SDES-pad / pad-crypto, SDES-lifetime). */
export interface CryptoFormat {
  pad?: boolean;
  lifetime?: boolean;
}

/** The a=crypto line (without "a="), as rtpengine insert_crypto1 writes it. */
export function formatCrypto(c: SdesCrypto, f: CryptoFormat = {}): string {
  let b64 = Buffer.concat([c.key, c.salt]).toString('base64');
  if (!f.pad) b64 = b64.replace(/=+$/, '');
  let line = `crypto:${c.tag} ${c.suite} inline:${b64}`;
  if (f.lifetime) line += '|2^31';
  if (c.mki) line += `|${c.mki.value}:${c.mki.length}`;
  if (c.unencryptedSrtp) line += ' UNENCRYPTED_SRTP';
  if (c.unencryptedSrtcp) line += ' UNENCRYPTED_SRTCP';
  if (c.unauthenticatedSrtp) line += ' UNAUTHENTICATED_SRTP';
  return line;
}

/** The SRTP key of an a=crypto line, for RtpEndpoint.setSrtp. */
export function srtpKeyOf(c: SdesCrypto): SrtpKey {
  const key: SrtpKey = { suite: c.suite, masterKey: c.key, masterSalt: c.salt };
  if (c.mki) key.mki = { ...c.mki };
  if (c.lifetime !== null) key.lifetime = c.lifetime;
  if (c.unencryptedSrtp) key.unencryptedSrtp = true;
  if (c.unencryptedSrtcp) key.unencryptedSrtcp = true;
  if (c.unauthenticatedSrtp) key.unauthenticatedSrtp = true;
  return key;
}

/** Digest lengths of the fingerprint hashes (RFC 8122 §5 names). */
export const FINGERPRINT_HASHES: Readonly<Record<string, number>> = { 'sha-1': 20, 'sha-224': 28, 'sha-256': 32, 'sha-384': 48, 'sha-512': 64 };

/** a=fingerprint value; null when the hash is unknown or the digest has the wrong length (ignored, as rtpengine does). */
export function parseFingerprint(value: string): Fingerprint | null {
  const sp = value.indexOf(' ');
  if (sp === -1) return null;
  const hash = value.slice(0, sp).toLowerCase();
  const len = FINGERPRINT_HASHES[hash];
  if (len === undefined) return null;
  const hex = value.slice(sp + 1).trim();
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(hex) || (hex.length + 1) / 3 !== len) return null;
  return { hash, value: hex.toUpperCase() };
}

export type Setup = 'actpass' | 'active' | 'passive' | 'holdconn';

/** A transport protocol as rtpengine knows it (media_socket.c transport_protocols). */
export interface ProtocolInfo {
  /** As written in m=. */
  name: string;
  rtp: boolean;
  srtp: boolean;
  avpf: boolean;
  /** RTP/AVP(F) upgraded to SRTP by the keying it carries (RFC 8643). */
  osrtp: boolean;
}

const PROTOCOLS: readonly ProtocolInfo[] = [
  { name: 'RTP/AVP', rtp: true, srtp: false, avpf: false, osrtp: false },
  { name: 'RTP/SAVP', rtp: true, srtp: true, avpf: false, osrtp: false },
  { name: 'RTP/AVPF', rtp: true, srtp: false, avpf: true, osrtp: false },
  { name: 'RTP/SAVPF', rtp: true, srtp: true, avpf: true, osrtp: false },
  { name: 'UDP/TLS/RTP/SAVP', rtp: true, srtp: true, avpf: false, osrtp: false },
  { name: 'UDP/TLS/RTP/SAVPF', rtp: true, srtp: true, avpf: true, osrtp: false },
];

/** The protocol of an m= line (rtpengine's lookup), null for any other (udptl, TCP/BFCP, ...). */
export function protocolInfo(name: string): ProtocolInfo | null {
  return PROTOCOLS.find((p) => p.name === name) ?? null;
}

/** The OSRTP form of a plain RTP protocol (RTP/AVP -> opportunistic SRTP under the same name). */
export function osrtpOf(p: ProtocolInfo): ProtocolInfo | null {
  if (!p.rtp || p.srtp) return null;
  return { ...p, srtp: true, osrtp: true };
}

/** What one m= section (with session-level fallbacks) says about keying and ICE. */
export interface MediaSecurity {
  cryptos: SdesCrypto[];
  setup: Setup | null;
  fingerprint: Fingerprint | null;
  /** ICE parameters, null without a=ice-ufrag. */
  ice: IceParams | null;
  /** a=ice-options lists trickle. */
  trickle: boolean;
  /** a=end-of-candidates present in the section. */
  endOfCandidates: boolean;
}

interface Section {
  session: string[];
  medias: string[][];
}

/** The a= values of the session part(s) and of each m= section, in order. */
function sections(text: string): Section {
  const out: Section = { session: [], medias: [] };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (raw.startsWith('m=')) out.medias.push([]);
    else if (raw.startsWith('a=')) (out.medias.length > 0 ? out.medias[out.medias.length - 1]! : out.session).push(raw.slice(2));
    else if (raw.startsWith('v=') && out.medias.length > 0) out.medias.push([]); // another session: keep indexes
  }
  return out;
}

function attr(lines: readonly string[], name: string): string | null {
  for (const l of lines) {
    if (l === name) return '';
    if (l.startsWith(name + ':')) return l.slice(name.length + 1);
  }
  return null;
}

function parseSetup(v: string | null): Setup | null {
  const s = v?.trim().toLowerCase();
  return s === 'actpass' || s === 'active' || s === 'passive' || s === 'holdconn' ? s : null;
}

/** Most a=crypto / a=candidate lines read per m= section (more are ignored: bounded work per offer). */
const MAX_CRYPTO_LINES = 64;
const MAX_CANDIDATES = 64;

/** The keying and ICE attributes of every m= section of an SDP text (session-level fallbacks applied). */
export function readSecurity(text: string): MediaSecurity[] {
  const s = sections(text);
  const sessionSetup = parseSetup(attr(s.session, 'setup'));
  const sfp = attr(s.session, 'fingerprint');
  const sessionFp = sfp === null ? null : parseFingerprint(sfp);
  const sessionUfrag = attr(s.session, 'ice-ufrag');
  const sessionPwd = attr(s.session, 'ice-pwd');
  const sessionLite = attr(s.session, 'ice-lite') !== null;
  const sessionOptions = attr(s.session, 'ice-options');
  return s.medias.map((lines) => {
    const cryptos: SdesCrypto[] = [];
    const candidates: IceCandidate[] = [];
    let n = 0;
    let nc = 0;
    for (const l of lines) {
      if (l.startsWith('crypto:') && n++ < MAX_CRYPTO_LINES) {
        const c = parseCrypto(l.slice(7));
        if (c) cryptos.push(c);
      } else if (l.startsWith('candidate:') && nc++ < MAX_CANDIDATES) {
        const c = parseCandidate(l.slice(10));
        if (c) candidates.push(c);
      }
    }
    const fpv = attr(lines, 'fingerprint');
    const ufrag = attr(lines, 'ice-ufrag') ?? sessionUfrag;
    const pwd = attr(lines, 'ice-pwd') ?? sessionPwd;
    const options = attr(lines, 'ice-options') ?? sessionOptions;
    return {
      cryptos,
      setup: parseSetup(attr(lines, 'setup')) ?? sessionSetup,
      fingerprint: (fpv === null ? null : parseFingerprint(fpv)) ?? sessionFp,
      ice:
        ufrag !== null && ufrag !== ''
          ? { ufrag: ufrag.trim(), pwd: (pwd ?? '').trim(), lite: sessionLite || attr(lines, 'ice-lite') !== null, candidates }
          : null,
      trickle: options !== null && options.split(' ').includes('trickle'),
      endOfCandidates: attr(lines, 'end-of-candidates') !== null,
    };
  });
}
