/**
 * rewriteSdp(sdp: ParsedSdp, plan: RewritePlan): string
 *
 * Rewrites one party's SDP so that its media flows through whisperd, the way rtpengine 10.5 rewrites an
 * offer or answer (facts from rtpengine mr10.5.3.5 daemon/sdp.c `sdp_replace`, `print_sdp_media_section`):
 *  - m= port := plan port (0 rejects the m= line: the line is kept, RFC 3264 §6, its a=rtcp dropped);
 *  - media-level c= (when present) := plan.address; session-level c= := plan.address when
 *    plan.replaceSessionConnection or when some m= line has no c= of its own (so relies on it);
 *    a zero address (0.0.0.0 / ::, legacy hold) is kept unless plan.replaceZeroAddress or the media uses
 *    ICE (there it is only the "no default candidate" placeholder, RFC 8839 §4.1.1);
 *  - o= address := plan.address when plan.replaceOrigin; o= version + 1 when plan.bumpVersion;
 *  - RTP m= lines get a=rtpmap for every PT (static ones too) and a=fmtp, rebuilt from the summary or from
 *    plan payloads (the exact list to advertise, in order);
 *  - a direction attribute on every non-rejected m= line (the plan's, else the effective one, so a bare
 *    offer gets a=sendrecv); session-level direction attributes are removed (rtpengine strips them);
 *  - a=rtcp:<rtcpPort> (RFC 3605) on RTP m= lines unless rtcp-mux (RFC 5761) is kept/selected (then none);
 *  - a=group:BUNDLE is removed (each m= line gets its own ports);
 *  - plan.removeIce strips a=ice-*, a=candidate, a=end-of-candidates, a=remote-candidates everywhere;
 *  - plan.transportProtocol replaces the protocol of RTP m= lines; a plain (non-SAVP) protocol also drops
 *    a=crypto, a=fingerprint and a=setup;
 *  - everything else (a=maxptime, a=ptime, a=fmtp, unknown attributes, b=, i=) is kept.
 * Output: CRLF lines with a trailing CRLF (see serialize.ts for attribute order).
 *
 * Throws RangeError when the plan does not fit the SDP (media count, ports, address, empty payload list):
 * that is a caller bug, never a peer's fault, so it is not a control-plane error.
 */
import { isIP } from 'node:net';
import { isZeroAddress } from './direction';
import { setPayloads, stripIce, stripSrtpKeying } from './mediaAttributes';
import { isRtpProtocol } from './parse';
import { incrementVersion, writeOwnedSdp } from './serialize';
import type { Direction, ParsedSdp, Payload } from './types';

export interface MediaRewrite {
  /** whisperd's RTP port for this m= line; 0 rejects it. */
  port: number;
  /** whisperd's RTCP port (written as a=rtcp unless rtcp-mux). Ignored when port is 0. */
  rtcpPort: number;
  /** Exact payload list to advertise, in order. Default: the m= line's own payloads. */
  payloads?: Payload[];
  /** Direction to write. Default: the media's effective direction. */
  direction?: Direction;
  /** Force a=rtcp-mux on (true) or off (false). Default: keep what the SDP says. */
  rtcpMux?: boolean;
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
  /** ng ICE=remove. */
  removeIce: boolean;
  /** ng transport-protocol, e.g. "RTP/AVP". Applied to RTP m= lines only. */
  transportProtocol?: string;
  /** Increment the o= session version (RFC 3264 §8: a changed SDP must have a higher version). */
  bumpVersion?: boolean;
  /** ng replace: zero-address — also rewrite c=0.0.0.0 (default: keep it, as rtpengine does). */
  replaceZeroAddress?: boolean;
}

export function rewriteSdp(sdp: ParsedSdp, plan: RewritePlan): string {
  const ipVer = isIP(plan.address);
  if (ipVer === 0) throw new RangeError(`rewriteSdp: address ${plan.address} is not an IP literal`);
  if (plan.medias.length !== sdp.medias.length) {
    throw new RangeError(`rewriteSdp: plan has ${plan.medias.length} medias, SDP has ${sdp.medias.length}`);
  }
  const session = structuredClone(sdp.session);
  // A zero address means hold, except with ICE, where it only says "no default candidate" (RFC 8839 §4.1.1).
  const connectionFor = (current: string, ice: boolean): { version: number; ip: string } =>
    isZeroAddress(current) && !ice && plan.replaceZeroAddress !== true
      ? { version: isIP(current), ip: current }
      : { version: ipVer, ip: plan.address };

  if (plan.replaceOrigin && session.origin !== undefined) {
    session.origin.address = plan.address;
    session.origin.ipVer = ipVer;
  }
  if (plan.bumpVersion === true && session.origin !== undefined) {
    (session.origin as { sessionVersion: number | string }).sessionVersion = incrementVersion(session.origin.sessionVersion);
  }
  if (session.connection !== undefined && (plan.replaceSessionConnection || session.media.some((m) => m.connection === undefined))) {
    session.connection = connectionFor(session.connection.ip, sdp.medias.some((m) => m.hasIce));
  }
  delete session.direction;
  // Every m= line gets its own port pair, so a BUNDLE group (RFC 9143) would be a lie; rtpengine strips it too.
  if (session.groups !== undefined) {
    session.groups = session.groups.filter((g) => g.type.toUpperCase() !== 'BUNDLE');
    if (session.groups.length === 0) delete session.groups;
  }
  if (plan.removeIce) stripIce(session);

  session.media.forEach((m, i) => {
    const mp = plan.medias[i]!;
    const summary = sdp.medias[i]!;
    checkPort(mp.port, 0, `media ${i} port`);
    if (m.connection !== undefined) m.connection = connectionFor(m.connection.ip, summary.hasIce);
    if (plan.removeIce) stripIce(m);
    if (mp.port === 0) {
      m.port = 0;
      delete m.rtcp;
      return;
    }
    m.port = mp.port;
    const rtp = isRtpProtocol(m.protocol);
    if (rtp && plan.transportProtocol !== undefined) {
      m.protocol = plan.transportProtocol;
      if (!plan.transportProtocol.toUpperCase().includes('SAVP')) stripSrtpKeying(m);
    }
    if (mp.payloads !== undefined) {
      if (mp.payloads.length === 0) throw new RangeError(`rewriteSdp: media ${i} has an empty payload list`);
      setPayloads(m, mp.payloads);
    } else if (rtp) {
      setPayloads(m, summary.payloads);
    }
    m.direction = mp.direction ?? summary.direction;
    if (!rtp) {
      delete m.rtcp; // a=rtcp (RFC 3605) only means something for RTP
      return;
    }
    const mux = mp.rtcpMux ?? summary.rtcpMux;
    if (mux) {
      m.rtcpMux = 'rtcp-mux';
      delete m.rtcp;
    } else {
      checkPort(mp.rtcpPort, 1, `media ${i} rtcpPort`);
      delete m.rtcpMux;
      m.rtcp = { port: mp.rtcpPort };
    }
  });
  return writeOwnedSdp(session); // `session` is this call's own copy
}

function checkPort(p: number, min: number, what: string): void {
  if (!Number.isInteger(p) || p < min || p > 65535) throw new RangeError(`rewriteSdp: ${what} ${p} out of range`);
}
