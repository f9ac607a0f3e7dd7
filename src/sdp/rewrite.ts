/**
 * rewriteSdp(sdp: ParsedSdp, plan: RewritePlan): string
 *
 * Rewrites one party's SDP so that its media flows through whisperd, the way rtpengine 10.5 rewrites an
 * offer or answer: the received text is edited line by line, not re-serialised, so every line whisperd
 * does not own stays where the sender put it (facts from rtpengine mr10.5.3.5 daemon/sdp.c `sdp_replace`,
 * `process_session_attributes`, `process_media_attributes`, `print_sdp_media_section`):
 *
 * Session part (each v= starts one; several sessions in one body are each rewritten):
 *  - o=: username := plan.username, version := plan.sdpVersion (else + 1 with plan.bumpVersion), address
 *    := plan.address with plan.replaceOrigin; s= := plan.sessionName when given;
 *  - c= := plan.address when plan.replaceSessionConnection or when an m= line of that session has no c=
 *    of its own (so relies on it). A zero address (legacy hold) is written as the zero address of the
 *    advertised family (0.0.0.0 / ::) when the first m= line keeps it (see `keepsZeroAddress`);
 *  - a=sendrecv/sendonly/recvonly/inactive and a=group:BUNDLE removed (each m= line gets its own ports);
 *    ICE attributes removed with plan.removeIce; a=fingerprint/a=setup removed when plan.transportProtocol
 *    is a plain (non-SAVP) one.
 * Media part (one per m= line):
 *  - m= port := plan port (an m= line received with port 0 keeps it; plan port 0 rejects the line);
 *    RTP protocol := plan.transportProtocol; RTP format list := the plan's (else the line's) payload types;
 *    other protocols (udptl, TCP/BFCP, `*`) keep their format list as written;
 *  - media c= := plan address (zero address kept as above);
 *  - removed where they are: a=rtcp, a=rtcp-mux, a=mid, direction attributes, and for RTP lines a=rtpmap,
 *    a=fmtp, a=rtcp-fb:<pt> (re-written below), a=ptime when one is written below, ICE with removeIce,
 *    a=extmap with plan.stripExtmap, SDES/DTLS keying with a plain transportProtocol;
 *  - appended, in rtpengine's order: a=mid; then for a live line (port != 0): a=rtpmap (static PTs too) /
 *    a=fmtp / a=rtcp-fb per payload, the direction, a=rtcp:<port> (+ " IN IP4 <address>" with
 *    plan.fullRtcpAttribute, none with plan.noRtcpAttribute) and a=rtcp-mux when muxing, a=ptime.
 * Lines keep their content; output lines end in CRLF.
 *
 * Throws RangeError when the plan does not fit the SDP (media count, ports, address, empty payload list):
 * that is a caller bug, never a peer's fault, so it is not a control-plane error.
 */
import { isIP } from 'node:net';
import { isZeroAddress } from './direction';
import { isRtpProtocol } from './parse';
import { incrementVersion } from './serialize';
import type { Direction, MediaSummary, ParsedSdp, Payload } from './types';

export interface MediaRewrite {
  /** whisperd's RTP port for this m= line; 0 rejects it. */
  port: number;
  /** The port written in a=rtcp (the RTCP port; the RTP port when only rtcp-mux is answered). Ignored when port is 0. */
  rtcpPort: number;
  /** Exact payload list to advertise, in order. Default: the m= line's own payloads. */
  payloads?: Payload[];
  /** Direction to write. Default: `outputDirection(summary, plan)`. */
  direction?: Direction;
  /** Write a=rtcp-mux (RFC 5761) after a=rtcp. Default: the m= line has it. */
  rtcpMux?: boolean;
  /** a=ptime to write at the end of the section (the line's own a=ptime lines are removed); null: none. Default: the line's own. */
  ptime?: number | null;
  /** Address for this line's c= (default plan.address). */
  address?: string;
  /** a=mid to write (null: none). Default: the line's own a=mid. */
  mid?: string | null;
  /** (S) m= protocol to write for an RTP line (decided per leg, src/call/legSecurity.ts); default plan.transportProtocol / the line's. */
  protocol?: string;
  /** (S) a= values written after a=rtcp / a=rtcp-mux: a=crypto, a=setup, a=fingerprint (with plan.security). */
  keying?: string[];
  /** (S) a= values written after a=ptime: a=ice-ufrag, a=ice-pwd, a=ice-options, a=candidate (with plan.security). */
  ice?: string[];
  /** (S) write a=end-of-candidates last (also on a rejected line). */
  endOfCandidates?: boolean;
  /** (S) ICE passthrough on this line: the sender's ICE and keying attributes are kept as written. */
  passthru?: boolean;
}

/**
 * (S) rtpengine's handling of keying and ICE attributes (sdp.c process_session_attributes /
 * process_media_attributes): every received a=crypto / a=fingerprint / a=setup is removed (whisperd writes
 * its own per line: MediaRewrite.keying), a=end-of-candidates too; ICE attributes are removed unless ng ICE
 * is `optional` or `force-relay` (which removes only relay candidates).
 */
export interface SecurityRewrite {
  ice: 'default' | 'remove' | 'force' | 'force-relay' | 'optional';
  /** a= values appended after the session part (a=ice-lite). */
  sessionLines: string[];
  /** The first m= line is in ICE passthrough: the session part's attributes stay as written (rtpengine sdp_replace). */
  sessionPassthru?: boolean;
}

export interface RewritePlan {
  /** whisperd's advertised media address (IPv4, or IPv6). */
  address: string;
  /** One entry per m= line of the SDP, same order. */
  medias: MediaRewrite[];
  /** ng replace: origin — o= address := address. */
  replaceOrigin: boolean;
  /** ng replace: session-connection — always rewrite a session-level c=. */
  replaceSessionConnection: boolean;
  /** ng ICE=remove, for a plan without `security` (which decides the ICE attributes itself). */
  removeIce?: boolean;
  /** ng transport-protocol, e.g. "RTP/AVP". Applied to RTP m= lines only. */
  transportProtocol?: string;
  /** Increment the o= session version (ignored when sdpVersion is given). */
  bumpVersion?: boolean;
  /** o= session version to write (ng replace: SDP-version, decided by the caller). */
  sdpVersion?: string;
  /** o= username to write (ng replace: username). */
  username?: string;
  /** s= value to write (ng replace: session-name). */
  sessionName?: string;
  /** ng replace: zero-address — also rewrite c=0.0.0.0 (default: keep it, as rtpengine does). */
  replaceZeroAddress?: boolean;
  /** ng flag original-sendrecv: keep the direction attributes as written, add none. */
  originalSendrecv?: boolean;
  /** ng flag strip-extmap. */
  stripExtmap?: boolean;
  /** ng flag no-rtcp-attribute: no a=rtcp line. */
  noRtcpAttribute?: boolean;
  /** ng flag full-rtcp-attribute: a=rtcp:<port> IN IP4 <address>. */
  fullRtcpAttribute?: boolean;
  /** ng flag loop-protect: this instance's id, written as a=rtpengine:<id> after each session part. */
  loopProtect?: string;
  /** (S) keying / ICE attributes as rtpengine handles them (replaces removeIce and the plain-transport stripping). */
  security?: SecurityRewrite;
}

/** (S) Whether a received ICE attribute (name, value) is removed under `sec` (rtpengine ICE option). */
function stripsIce(sec: SecurityRewrite, name: string, value: string, passthru = false): boolean {
  if (name === 'end-of-candidates') return true;
  if (!ICE_NAMES.has(name)) return false;
  if (sec.ice === 'force-relay') return name === 'candidate' && / typ relay( |$)/i.test(value);
  return !passthru && sec.ice !== 'optional';
}

/**
 * The zero address (0.0.0.0 / ::) of legacy hold stays in the rewritten SDP (rtpengine's ZERO_ADDR): unless
 * the caller asked to replace it, or the m= line uses ICE (there it is only the "no default candidate"
 * placeholder, RFC 8839 §4.1.1), or it is trickle ICE's 0.0.0.0:9 (RFC 8840 §4.1.3).
 */
export function keepsZeroAddress(m: MediaSummary, replaceZeroAddress = false): boolean {
  return isZeroAddress(m.connectionAddress) && !replaceZeroAddress && !m.hasIce && !isTrickleAddress(m);
}

function isTrickleAddress(m: MediaSummary): boolean {
  return m.trickleIce && m.port === 9;
}

/**
 * The direction rtpengine writes for an m= line it forwards: the sender's own direction, except that a
 * zero address (legacy hold, RFC 3264 §8.4 / RFC 2543) means the sender does not receive: sendrecv becomes
 * sendonly and recvonly becomes inactive (rtpengine call.c: MEDIA_CLEAR(media, RECV)). Trickle ICE's
 * 0.0.0.0:9 is not hold.
 */
export function outputDirection(m: MediaSummary): Direction {
  if (!isZeroAddress(m.connectionAddress) || isTrickleAddress(m)) return m.direction;
  if (m.direction === 'sendrecv') return 'sendonly';
  if (m.direction === 'recvonly') return 'inactive';
  return m.direction;
}

interface Line {
  /** Line type letter ("v", "o", "m", "a", ...). */
  t: string;
  /** Everything after "x=". */
  v: string;
}

interface MediaBlock {
  m: Line;
  lines: Line[];
}

interface SessionBlock {
  lines: Line[];
  medias: MediaBlock[];
}

/** Lines as sdp-transform reads them (a line that is not `x=...` is ignored), grouped by v= and m=. */
function blocks(text: string): SessionBlock[] {
  const sessions: SessionBlock[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (raw.length < 2 || raw[1] !== '=' || raw[0]! < 'a' || raw[0]! > 'z') continue;
    const line: Line = { t: raw[0]!, v: raw.slice(2) };
    if (line.t === 'v' || sessions.length === 0) sessions.push({ lines: [], medias: [] });
    const s = sessions[sessions.length - 1]!;
    if (line.t === 'm') s.medias.push({ m: line, lines: [] });
    else if (s.medias.length > 0) s.medias[s.medias.length - 1]!.lines.push(line);
    else s.lines.push(line);
  }
  return sessions;
}

const DIRECTION_NAMES = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
const ICE_NAMES = new Set(['ice-ufrag', 'ice-pwd', 'ice-lite', 'ice-options', 'ice-pacing', 'ice-mismatch', 'candidate', 'end-of-candidates', 'remote-candidates']);

/** a= name (before ':'), case kept (rtpengine matches names case-sensitively). */
function attrName(v: string): string {
  const colon = v.indexOf(':');
  return colon === -1 ? v : v.slice(0, colon);
}

function attrValue(v: string): string {
  const colon = v.indexOf(':');
  return colon === -1 ? '' : v.slice(colon + 1);
}

export function rewriteSdp(sdp: ParsedSdp, plan: RewritePlan): string {
  const ipVer = isIP(plan.address);
  if (ipVer === 0) throw new RangeError(`rewriteSdp: address ${plan.address} is not an IP literal`);
  if (plan.medias.length !== sdp.medias.length) {
    throw new RangeError(`rewriteSdp: plan has ${plan.medias.length} medias, SDP has ${sdp.medias.length}`);
  }
  const sessions = blocks(sdp.text);
  const mediaCount = sessions.reduce((n, s) => n + s.medias.length, 0);
  if (mediaCount !== sdp.medias.length) throw new RangeError(`rewriteSdp: ${mediaCount} m= lines in the text, ${sdp.medias.length} parsed`);
  const plainTransport = plan.transportProtocol !== undefined && !plan.transportProtocol.toUpperCase().includes('SAVP');
  const out: string[] = [];
  let index = 0;

  // (S) ICE=force-relay (rtpengine ICE_FORCE_RELAY): o=, c= and m= lines stay as written; only relay candidates are whisperd's
  const relay = plan.security?.ice === 'force-relay';
  for (const session of sessions) {
    const first = index < sdp.medias.length ? index : -1;
    const sessConn = plan.replaceSessionConnection || session.medias.some((mb) => !mb.lines.some((l) => l.t === 'c'));
    for (const line of session.lines) {
      switch (line.t) {
        case 'o':
          out.push('o=' + rewriteOrigin(line.v, relay ? { ...plan, replaceOrigin: false } : plan, ipVer));
          continue;
        case 's':
          out.push('s=' + (plan.sessionName ?? line.v));
          continue;
        case 'c':
          if (sessConn && first >= 0 && !relay) {
            const m = sdp.medias[first]!;
            out.push('c=' + connection(plan.medias[first]!.address ?? plan.address, keepsZeroAddress(m, plan.replaceZeroAddress)));
          } else {
            out.push('c=' + line.v);
          }
          continue;
        case 'a': {
          const name = attrName(line.v);
          if (plan.security?.sessionPassthru) {
            out.push('a=' + line.v);
            continue;
          }
          if (DIRECTION_NAMES.has(name) && !plan.originalSendrecv) continue;
          if (name === 'group' && attrValue(line.v).split(' ')[0]!.toUpperCase() === 'BUNDLE') continue;
          if (plan.security) {
            if (name === 'fingerprint' || name === 'setup') continue;
            if (stripsIce(plan.security, name, line.v)) continue;
          } else {
            if (plan.removeIce && ICE_NAMES.has(name)) continue;
            if (plainTransport && (name === 'fingerprint' || name === 'setup')) continue;
          }
          if (plan.stripExtmap && name === 'extmap') continue;
          out.push('a=' + line.v);
          continue;
        }
        default:
          out.push(`${line.t}=${line.v}`);
      }
    }
    if (plan.loopProtect !== undefined) out.push('a=rtpengine:' + plan.loopProtect);
    if (plan.security) for (const v of plan.security.sessionLines) out.push('a=' + v);

    const sessionC = session.lines.find((l) => l.t === 'c');
    for (const block of session.medias) {
      const i = index++;
      const summary = sdp.medias[i]!;
      const mp = plan.medias[i]!;
      checkPort(mp.port, 0, `media ${i} port`);
      if (summary.type === 'message') passThrough(out, block, sessionC);
      else rewriteMedia(out, block, summary, mp, plan, plainTransport, i);
    }
  }
  return out.join('\r\n') + '\r\n';
}

function rewriteOrigin(v: string, plan: RewritePlan, ipVer: number): string {
  const tokens = v.split(' ');
  if (tokens.length < 6) return v;
  if (plan.username !== undefined) tokens[0] = plan.username;
  if (plan.sdpVersion !== undefined) tokens[2] = plan.sdpVersion;
  else if (plan.bumpVersion === true) tokens[2] = incrementVersion(tokens[2]!);
  if (plan.replaceOrigin) {
    tokens[4] = `IP${ipVer}`;
    tokens[5] = plan.address;
  }
  return tokens.join(' ');
}

/** `IN IP4 203.0.113.1`, or the zero address of that family when the legacy-hold zero address is kept. */
function connection(address: string, keepZero: boolean): string {
  const ver = isIP(address);
  if (ver === 0) throw new RangeError(`rewriteSdp: address ${address} is not an IP literal`);
  return `IN IP${ver} ${keepZero ? (ver === 6 ? '::' : '0.0.0.0') : address}`;
}

/**
 * m=message (MSRP, RFC 4975, over TCP) is not relayed: the section is left as written, with the session's
 * original c= copied in when it has none of its own (the session c= now carries whisperd's address).
 * rtpengine sdp.c `synth_session_connection` puts it before the first a=/b=/k= line.
 */
function passThrough(out: string[], block: MediaBlock, sessionC: Line | undefined): void {
  out.push('m=' + block.m.v);
  let needC = sessionC !== undefined && !block.lines.some((l) => l.t === 'c');
  for (const line of block.lines) {
    if (needC && (line.t === 'a' || line.t === 'b' || line.t === 'k')) {
      out.push('c=' + sessionC!.v);
      needC = false;
    }
    out.push(`${line.t}=${line.v}`);
  }
  if (needC) out.push('c=' + sessionC!.v);
}

function rewriteMedia(
  out: string[],
  block: MediaBlock,
  summary: MediaSummary,
  mp: MediaRewrite,
  plan: RewritePlan,
  plainTransport: boolean,
  i: number,
): void {
  const relay = plan.security?.ice === 'force-relay';
  const rtp = isRtpProtocol(summary.protocol);
  const address = mp.address ?? plan.address;
  let payloads: readonly Payload[] = summary.payloads;
  if (mp.payloads !== undefined) {
    if (mp.payloads.length === 0 && mp.port !== 0) throw new RangeError(`rewriteSdp: media ${i} has an empty payload list`);
    payloads = mp.payloads;
  }
  const ownsCodecLines = rtp && payloads.length > 0;
  const active = summary.port !== 0 && mp.port !== 0;

  // m=<type> <port> <proto> <fmt ...>
  const tokens = block.m.v.split(' ');
  const port = summary.port === 0 ? tokens[1]! : String(mp.port);
  const protocol = rtp && mp.protocol !== undefined ? mp.protocol : rtp && plan.transportProtocol !== undefined ? plan.transportProtocol : tokens[2]!;
  const formats = ownsCodecLines ? payloads.map((p) => p.pt).join(' ') : tokens.slice(3).join(' ');
  if (relay) out.push('m=' + block.m.v);
  else out.push(`m=${tokens[0]} ${port} ${protocol}${tokens.length > 3 || ownsCodecLines ? ' ' + formats : ''}`);

  const ptime = mp.ptime !== undefined ? mp.ptime : summary.ptime;
  const rtcpFb = new Map<string, string[]>();
  let mid: string | null = null;
  for (const line of block.lines) {
    if (line.t === 'c') {
      if (relay) out.push('c=' + line.v);
      else out.push('c=' + connection(address, keepsZeroAddress(summary, plan.replaceZeroAddress)));
      continue;
    }
    if (line.t !== 'a') {
      out.push(`${line.t}=${line.v}`);
      continue;
    }
    const name = attrName(line.v);
    if ((name === 'rtcp' || name === 'rtcp-mux') && !relay) continue;
    if (name === 'mid') {
      mid = attrValue(line.v);
      continue;
    }
    if (DIRECTION_NAMES.has(name) && !plan.originalSendrecv) continue;
    if (ownsCodecLines && (name === 'rtpmap' || name === 'fmtp')) continue;
    if (ownsCodecLines && name === 'rtcp-fb') {
      const value = attrValue(line.v);
      const sp = value.indexOf(' ');
      const pt = sp === -1 ? value : value.slice(0, sp);
      if (pt !== '*') {
        if (sp !== -1) rtcpFb.set(pt, [...(rtcpFb.get(pt) ?? []), value.slice(sp + 1)]);
        continue;
      }
    }
    if (name === 'ptime' && ptime !== null && ptime !== undefined) continue;
    if (plan.security) {
      if (!mp.passthru && (name === 'crypto' || name === 'fingerprint' || name === 'setup')) continue;
      if (stripsIce(plan.security, name, attrValue(line.v), mp.passthru)) continue;
    } else {
      if (plan.removeIce && ICE_NAMES.has(name)) continue;
      if (plainTransport && (name === 'crypto' || name === 'fingerprint' || name === 'setup')) continue;
    }
    if (plan.stripExtmap && name === 'extmap') continue;
    out.push('a=' + line.v);
  }

  if (mp.mid !== undefined) mid = mp.mid;
  if (mid !== null) out.push('a=mid:' + mid);
  if (!active) {
    if (mp.endOfCandidates) out.push('a=end-of-candidates');
    return;
  }
  if (ownsCodecLines) {
    for (const p of payloads) {
      if (p.encoding === '') continue;
      out.push(`a=rtpmap:${p.pt} ${p.encoding}/${p.clockRate}${p.channels !== 1 ? '/' + p.channels : ''}`);
      if (p.fmtp !== null && p.fmtp !== '') out.push(`a=fmtp:${p.pt} ${p.fmtp}`);
      for (const fb of rtcpFb.get(String(p.pt)) ?? []) out.push(`a=rtcp-fb:${p.pt} ${fb}`);
    }
  }
  if (!plan.originalSendrecv) out.push('a=' + (mp.direction ?? outputDirection(summary)));
  const muxOnly = (mp.rtcpMux ?? summary.rtcpMux) && mp.rtcpPort === mp.port;
  if (rtp && (!relay || muxOnly)) {
    if (!plan.noRtcpAttribute) {
      checkPort(mp.rtcpPort, 1, `media ${i} rtcpPort`);
      out.push(`a=rtcp:${mp.rtcpPort}${plan.fullRtcpAttribute ? ' ' + connection(address, false) : ''}`);
    }
    if (mp.rtcpMux ?? summary.rtcpMux) out.push('a=rtcp-mux');
  }
  for (const v of mp.keying ?? []) out.push('a=' + v);
  if (rtp && ptime !== null && ptime !== undefined) out.push(`a=ptime:${ptime}`);
  for (const v of mp.ice ?? []) out.push('a=' + v);
  if (mp.endOfCandidates) out.push('a=end-of-candidates');
}

function checkPort(p: number, min: number, what: string): void {
  if (!Number.isInteger(p) || p < min || p > 65535) throw new RangeError(`rewriteSdp: ${what} ${p} out of range`);
}
