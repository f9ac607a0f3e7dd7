/**
 * parseSdp(text: unknown): ParsedSdp
 *
 * Parses an SDP body (RFC 4566) with sdp-transform and builds a normalised summary per m= line.
 * Contract: returns or throws SdpParseError ("Failed to parse SDP"; the reason is in `cause`) — never any
 * other exception, whatever the input. Rejected as unusable:
 *  - not a string, empty, or larger than MAX_SDP_BYTES (64 KiB, the largest UDP ng datagram);
 *  - first line not "v=0";
 *  - no m= line;
 *  - an m= line sdp-transform cannot read (no type, non-numeric port, port > 65535, no protocol);
 *  - an RTP m= line with a non-zero port and no formats, or a format that is not a PT 0..127;
 *  - a c= line whose address is not an IP literal of the announced version (hostnames are refused, as
 *    rtpengine does), or an m= line with a non-zero port and no c= at media or session level (RFC 4566 §5.7);
 *  - a=rtcp with a port outside 1..65535, or an implied RTCP port (RTP port + 1) above 65535;
 *  - an a=rtpmap for an offered PT with an empty encoding, a bad clock rate or a bad channel count.
 * Lines sdp-transform does not understand are ignored (unknown a= lines are kept for output).
 */
import { isIP } from 'node:net';
import * as transform from 'sdp-transform';
import { SdpParseError } from '../errors';
import { isZeroAddress } from './direction';
import { staticPayload } from './staticPayloads';
import { DIRECTIONS, type Direction, type MediaSummary, type ParsedSdp, type Payload, type TransformSession } from './types';

/** Largest SDP accepted, in bytes of UTF-8. */
export const MAX_SDP_BYTES = 65536;

const MAX_CLOCK_RATE = 10_000_000;
const MAX_CHANNELS = 255;

type TransformMedia = TransformSession['media'][number];

/** Parse and validate an SDP body. Throws SdpParseError for anything unusable (see the file header). */
export function parseSdp(text: unknown): ParsedSdp {
  if (typeof text !== 'string') throw new SdpParseError('SDP is not a string');
  if (text.length > MAX_SDP_BYTES || Buffer.byteLength(text, 'utf8') > MAX_SDP_BYTES) {
    throw new SdpParseError(`SDP larger than ${MAX_SDP_BYTES} bytes`);
  }
  if (!text.trimStart().startsWith('v=')) throw new SdpParseError('SDP does not start with v=');

  let session: TransformSession;
  try {
    session = transform.parse(text);
  } catch (err) {
    throw new SdpParseError(`sdp-transform failed: ${String(err)}`);
  }
  try {
    return { session, medias: summarise(session, rawMediaLines(text)), text };
  } catch (err) {
    if (err instanceof SdpParseError) throw err;
    throw new SdpParseError(`unexpected SDP structure: ${String(err)}`);
  }
}

/**
 * The value of every m= line (after "m="), as sdp-transform splits lines. sdp-transform cannot read an
 * m= line whose protocol is not [\w/]* (e.g. `m=application 0 *`, a rejected BFCP or data channel line,
 * rtpengine GH #1461): such a line is read from here.
 */
function rawMediaLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) if (line.startsWith('m=')) out.push(line.slice(2));
  return out;
}

function summarise(session: TransformSession, raw: string[]): MediaSummary[] {
  if (session.version !== 0) throw new SdpParseError('v= is not 0');
  if (!Array.isArray(session.media) || session.media.length === 0) throw new SdpParseError('no m= line');
  if (raw.length !== session.media.length) throw new SdpParseError('unreadable m= line');
  const sessionConn = checkConnection(session.connection, 'session');
  const sessionDirection = directionOf(session.direction);
  const sessionIce = hasIceAttributes(session);
  const sessionTrickle = hasTrickle(session);
  return session.media.map((m, index) =>
    summariseMedia(fillFromRaw(m, raw[index]!), index, session, sessionConn, sessionDirection, sessionIce, sessionTrickle),
  );
}

/** An m= line sdp-transform could not split (protocol outside [\w/]): type, port, protocol, formats from the text. */
function fillFromRaw(m: TransformMedia, raw: string): TransformMedia {
  if (typeof m.protocol === 'string' && m.protocol !== '') return m;
  const tokens = raw.split(' ');
  if (tokens.length < 3) return m;
  const [type, port, protocol] = tokens as [string, string, string];
  if (!/^\d{1,5}$/.test(port)) return m;
  return { ...m, type, port: Number(port), protocol, payloads: tokens.slice(3).join(' ').trim() };
}

function hasTrickle(x: { iceOptions?: string }): boolean {
  return typeof x.iceOptions === 'string' && x.iceOptions.split(' ').includes('trickle');
}

function summariseMedia(
  m: TransformMedia,
  index: number,
  session: TransformSession,
  sessionConn: { ip: string; version: 4 | 6 } | null,
  sessionDirection: Direction | null,
  sessionIce: boolean,
  sessionTrickle: boolean,
): MediaSummary {
  const where = `m= line ${index}`;
  if (typeof m.type !== 'string' || m.type === '') throw new SdpParseError(`${where}: unreadable`);
  const port = m.port as unknown;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SdpParseError(`${where}: bad port`);
  }
  if (typeof m.protocol !== 'string' || m.protocol === '') throw new SdpParseError(`${where}: no protocol`);
  const formats = String(m.payloads ?? '')
    .split(' ')
    .filter((f) => f !== '');
  const rtp = isRtpProtocol(m.protocol);
  if (rtp && port !== 0 && formats.length === 0) throw new SdpParseError(`${where}: no formats`);

  const conn = checkConnection(m.connection, where) ?? sessionConn;
  if (conn === null && port !== 0) throw new SdpParseError(`${where}: no connection address`);

  // rtpengine sdp.c: a=rtcp naming the RTP port itself is rtcp-mux too (not trickle ICE's 0.0.0.0:9).
  const rtcpOnRtpPort =
    m.rtcp !== undefined && port !== 0 && (m.rtcp.port as unknown) === port && !(port === 9 && isZeroAddress(conn?.ip ?? null));
  const rtcpMux = m.rtcpMux !== undefined || rtcpOnRtpPort;
  let rtcpPort = 0;
  if (m.rtcp !== undefined) {
    const p = m.rtcp.port as unknown;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
      throw new SdpParseError(`${where}: bad a=rtcp port`);
    }
    rtcpPort = port === 0 ? 0 : p;
  } else if (port !== 0) {
    rtcpPort = rtcpMux ? port : port + 1;
    if (rtcpPort > 65535) throw new SdpParseError(`${where}: implied RTCP port out of range`);
  }

  return {
    index,
    type: m.type,
    port,
    rtcpPort,
    rtcpMux,
    protocol: m.protocol,
    connectionAddress: conn?.ip ?? null,
    connectionIpVersion: conn?.version ?? null,
    direction: directionOf(m.direction) ?? sessionDirection ?? 'sendrecv',
    formats,
    payloads: rtp ? payloadsOf(m, formats, where) : [],
    ptime: ptimeOf(m.ptime) ?? ptimeOf((session as { ptime?: unknown }).ptime),
    hasIce: sessionIce || hasIceAttributes(m),
    trickleIce: sessionTrickle || hasTrickle(m),
  };
}

/** RTP-based transport protocols (RFC 3551 RTP/AVP, RFC 3711 RTP/SAVP, RFC 4585 AVPF, RFC 5764 UDP/TLS/RTP/...). */
export function isRtpProtocol(protocol: string): boolean {
  return protocol.toUpperCase().includes('RTP/');
}

function checkConnection(c: { version: number; ip: string } | undefined, where: string): { ip: string; version: 4 | 6 } | null {
  if (c === undefined) return null;
  const ip = c.ip as unknown;
  if (typeof ip !== 'string' || (c.version !== 4 && c.version !== 6) || isIP(ip) !== c.version) {
    throw new SdpParseError(`${where}: bad c= address`);
  }
  return { ip, version: c.version };
}

function directionOf(d: unknown): Direction | null {
  return DIRECTIONS.find((x) => x === d) ?? null;
}

/**
 * a=ptime as rtpengine reads it (sdp.c: str_to_i, the integer part): 20.5 is 20, 0.5 is 0 = none. A
 * fractional packetisation must never reach the media plane (a frame of 0 samples cannot be cut).
 */
function ptimeOf(v: unknown): number | null {
  const n = positiveNumber(v);
  return n === null || n < 1 ? null : Math.trunc(n);
}

function positiveNumber(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 3) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Positive integer from an sdp-transform field (number, or a digit string it did not convert). */
function positiveInt(v: unknown, max: number): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= max ? n : null;
}

function payloadsOf(m: TransformMedia, formats: string[], where: string): Payload[] {
  const rtpmaps = new Map<number, { codec: string; rate?: number | string; encoding?: number | string }>();
  for (const r of m.rtp ?? []) {
    const pt = r.payload as unknown;
    if (typeof pt === 'number' && !rtpmaps.has(pt)) rtpmaps.set(pt, r);
  }
  const fmtps = new Map<number, string>();
  for (const f of m.fmtp ?? []) {
    const pt = f.payload as unknown;
    if (typeof pt === 'number' && !fmtps.has(pt)) fmtps.set(pt, String(f.config ?? ''));
  }

  const out: Payload[] = [];
  const seen = new Set<number>();
  for (const f of formats) {
    const pt = isDigits(f) ? Number(f) : NaN;
    if (!(pt >= 0 && pt <= 127)) throw new SdpParseError(`${where}: bad payload type "${f.slice(0, 16)}"`);
    if (seen.has(pt)) continue;
    seen.add(pt);
    const fmtp = fmtps.get(pt) ?? null;
    const map = rtpmaps.get(pt);
    if (map !== undefined) {
      const encoding = typeof map.codec === 'string' ? map.codec : '';
      const clockRate = positiveInt(map.rate, MAX_CLOCK_RATE);
      const channels = map.encoding === undefined ? 1 : positiveInt(map.encoding, MAX_CHANNELS);
      if (encoding === '' || clockRate === null || channels === null) {
        throw new SdpParseError(`${where}: bad a=rtpmap for PT ${pt}`);
      }
      out.push({ pt, encoding, clockRate, channels, fmtp });
    } else {
      const s = staticPayload(pt);
      out.push(
        s !== undefined
          ? { pt, encoding: s.encoding, clockRate: s.clockRate, channels: s.channels, fmtp }
          : { pt, encoding: '', clockRate: 0, channels: 1, fmtp },
      );
    }
  }
  return out;
}

/** ICE attributes (RFC 8839 §5) present at this level: ufrag, pwd, candidates or ice-lite. */
function hasIceAttributes(x: { iceUfrag?: string; icePwd?: string; candidates?: unknown[]; icelite?: string }): boolean {
  return x.iceUfrag !== undefined || x.icePwd !== undefined || (x.candidates?.length ?? 0) > 0 || x.icelite !== undefined;
}
