/**
 * What the SDP whisperd sends to a participant says beyond ports and codecs, decided per m= line at
 * offer/answer time the way rtpengine 10.5 decides it (daemon/call.c `__rtcp_mux_logic`,
 * `__media_init_from_flags` for ptime; daemon/sdp.c `print_rtcp`, `sdp_version_check`):
 *
 *  - rtcp-mux (RFC 5761). Each leg carries rtpengine's per-media RTCP_MUX bit (`rtcpMuxNeg`: the side
 *    talks rtcp-mux) and RTCP_MUX_OVERRIDE (`rtcpMuxOverride`: the answer must not simply follow the
 *    answerer). In an offer from A to B: A's bit is what A's SDP says; B's bit follows A's unless B
 *    already muxes (then mux is required: no fallback port is offered); ng rtcp-mux `offer`/`require`
 *    set it, `demux` clears it; `accept`/`reject` decide what the answer to A will say. In the answer
 *    from B, A's bit follows B's SDP unless overridden.
 *    a= lines: a=rtcp:<RTCP port> (+ a=rtcp-mux when offering mux), or a=rtcp:<RTP port> + a=rtcp-mux
 *    when mux is answered or required.
 *  - ptime. An SDP with a=ptime:X sets both legs' `ptimeOut` (the a=ptime written to that side) unless
 *    forced; ng `ptime` (offer only) forces the recipient's, `ptime-reverse` the offerer's.
 *  - o= session version (ng replace: SDP-version): per recipient, the version of the first SDP it was
 *    sent; + 1 whenever the text sent to it changes.
 * Everything is computed into a `SdpOutDecision` first and applied by `commitSdpOut` only once the
 * command cannot fail any more (a failed command changes nothing).
 */
import { randomBytes } from 'node:crypto';
import type { NgParams } from '../control/ng/params';
import { isRtpProtocol } from '../sdp/parse';
import type { MediaRewrite, RewritePlan } from '../sdp/rewrite';
import type { ParsedSdp } from '../sdp/types';
import type { MediaLeg } from './MediaLeg';
import type { Participant } from './Participant';

/** New per-leg values for one m= line: the sender's leg and the recipient's leg. */
export interface LegSdpState {
  mid: string | null;
  rtcpMuxNeg: boolean;
  rtcpMuxOverride: boolean;
  ptimeOut: number | null;
  ptimeForced: boolean;
}

export interface MediaDecision {
  /** The recipient writes a=rtcp-mux. */
  mux: boolean;
  /** a=rtcp carries the RTP port (mux answered or required: no separate RTCP port is offered). */
  muxOnly: boolean;
  ptime: number | null;
  /** a=mid written to the recipient (its leg's media ID), null: none. */
  mid: string | null;
  sender: LegSdpState | null;
  recipient: LegSdpState | null;
}

function stateOf(leg: MediaLeg | undefined): LegSdpState | null {
  if (!leg) return null;
  return { mid: leg.mid, rtcpMuxNeg: leg.rtcpMuxNeg, rtcpMuxOverride: leg.rtcpMuxOverride, ptimeOut: leg.ptimeOut, ptimeForced: leg.ptimeForced };
}

/**
 * Per m= line of `sdp` (sent by `from`, forwarded to `to`): the rtcp-mux and ptime decisions, as new leg
 * states (not applied).
 */
export function decideMedias(sdp: ParsedSdp, from: Participant, to: Participant, params: NgParams, op: 'offer' | 'answer'): MediaDecision[] {
  const mux = new Set(params.rtcpMux);
  return sdp.medias.map((m, i) => {
    const sender = stateOf(from.legs[i]);
    const recipient = stateOf(to.legs[i]);
    // Media IDs (RFC 5888; rtpengine call.c __update_media_id): an offer's a=mid becomes the sender's
    // (a re-offer without one keeps it) and, once, the recipient's; an answer changes none. The
    // recipient is sent its own.
    const sdpMid = midOf(sdp, i);
    if (op === 'offer' && sender && recipient) {
      if (sdpMid !== null) sender.mid = sdpMid;
      // ng flag generate-mid: a line without one gets its 1-based index (rtpengine other_media->index).
      if (recipient.mid === null) recipient.mid = sender.mid ?? (params.flags.has('generate-mid') ? String(i + 1) : null);
    }
    const mid = recipient ? recipient.mid : sdpMid;
    if (!sender || !recipient || m.port === 0) return { mux: false, muxOnly: false, ptime: recipient?.ptimeOut ?? null, mid, sender, recipient };
    let require = mux.has('require');
    if (isRtpProtocol(m.protocol)) {
      sender.rtcpMuxNeg = m.rtcpMux;
      if (op === 'answer') {
        if (!sender.rtcpMuxOverride) recipient.rtcpMuxNeg = sender.rtcpMuxNeg;
      } else {
        if (!recipient.rtcpMuxNeg) recipient.rtcpMuxNeg = sender.rtcpMuxNeg;
        else require = true; // mux already in use: keep it, offer no fallback port
        if (mux.has('offer') || require) recipient.rtcpMuxNeg = true;
        else if (mux.has('demux')) recipient.rtcpMuxNeg = false;
        recipient.rtcpMuxOverride = false;
        if (sender.rtcpMuxNeg) {
          if (!recipient.rtcpMuxNeg) {
            recipient.rtcpMuxOverride = true;
            if (mux.has('reject')) sender.rtcpMuxNeg = false;
          } else if (mux.has('accept')) {
            recipient.rtcpMuxOverride = true;
          } else if (mux.has('reject')) {
            recipient.rtcpMuxOverride = true;
            sender.rtcpMuxNeg = false;
          }
        } else {
          recipient.rtcpMuxOverride = true;
        }
      }
    }
    // ptime (ng ptime / ptime-reverse are offer-only keys)
    if (m.ptime !== null && m.ptime > 0) {
      if (!recipient.ptimeForced) recipient.ptimeOut = m.ptime;
      if (!sender.ptimeForced) sender.ptimeOut = m.ptime;
    }
    if (op === 'offer' && params.ptime !== undefined && params.ptime > 0) {
      recipient.ptimeOut = params.ptime;
      recipient.ptimeForced = true;
      sender.ptimeForced = true;
    }
    if (op === 'offer' && params.ptimeReverse !== undefined && params.ptimeReverse > 0) {
      sender.ptimeOut = params.ptimeReverse;
      recipient.ptimeForced = true;
      sender.ptimeForced = true;
    }
    const muxOnly = recipient.rtcpMuxNeg && (op === 'answer' || require);
    return { mux: recipient.rtcpMuxNeg, muxOnly, ptime: recipient.ptimeOut, mid, sender, recipient };
  });
}

function midOf(sdp: ParsedSdp, i: number): string | null {
  const mid = (sdp.session.media[i] as { mid?: unknown } | undefined)?.mid;
  return mid === undefined || mid === null || mid === '' ? null : String(mid);
}

/** The rewrite entry for m= line i of the recipient (port/rtcp from its leg's socket pair). */
export function mediaRewriteFor(leg: MediaLeg | undefined, d: MediaDecision | undefined): MediaRewrite {
  const ep = leg?.endpoint;
  if (!ep) return d ? { port: 0, rtcpPort: 0, mid: d.mid } : { port: 0, rtcpPort: 0 };
  const out: MediaRewrite = { port: ep.localPort, rtcpPort: d?.muxOnly ? ep.localPort : ep.localPort + 1 };
  if (d) {
    out.mid = d.mid;
    out.rtcpMux = d.mux;
    out.ptime = d.ptime;
  }
  return out;
}

/** Apply the decided leg states (commit phase). */
export function commitMedias(from: Participant, to: Participant, decisions: readonly MediaDecision[]): void {
  decisions.forEach((d, i) => {
    apply(from.legs[i], d.sender);
    apply(to.legs[i], d.recipient);
  });
}

function apply(leg: MediaLeg | undefined, s: LegSdpState | null): void {
  if (!leg || !s) return;
  leg.mid = s.mid;
  leg.rtcpMuxNeg = s.rtcpMuxNeg;
  leg.rtcpMuxOverride = s.rtcpMuxOverride;
  leg.ptimeOut = s.ptimeOut;
  leg.ptimeForced = s.ptimeForced;
}

/** This daemon's id for ng loop-protect (a=rtpengine:<id>, 12 hex digits as rtpengine's). */
export const INSTANCE_ID = randomBytes(6).toString('hex');

/**
 * ng loop-protect: an SDP that already passed through this daemon (every session part carries
 * a=rtpengine:<our id>) is answered unchanged and changes nothing (rtpengine sdp_is_duplicate).
 */
export function alreadyProcessed(params: NgParams, text: string): boolean {
  if (!params.flags.has('loop-protect')) return false;
  let sessions = 0;
  let marked = 0;
  let inSession = false;
  let seen = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.startsWith('v=')) {
      if (inSession && seen) marked++;
      sessions++;
      inSession = true;
      seen = false;
    } else if (line.startsWith('m=')) {
      if (inSession && seen) marked++;
      inSession = false;
    } else if (inSession && line === 'a=rtpengine:' + INSTANCE_ID) {
      seen = true;
    }
  }
  if (inSession && seen) marked++;
  return sessions > 0 && marked === sessions;
}

/** ng replace / flags that shape the rewritten SDP's session part and attributes. */
export function sessionOptions(params: NgParams, to: Participant): Partial<RewritePlan> {
  const out: Partial<RewritePlan> = {
    replaceOrigin: params.replace.has('origin'),
    replaceSessionConnection: params.replace.has('session-connection'),
    replaceZeroAddress: params.replace.has('zero-address'),
    originalSendrecv: params.flags.has('original-sendrecv'),
    stripExtmap: params.flags.has('strip-extmap'),
    noRtcpAttribute: params.flags.has('no-rtcp-attribute'),
    fullRtcpAttribute: params.flags.has('full-rtcp-attribute'),
  };
  if (params.flags.has('loop-protect')) out.loopProtect = INSTANCE_ID;
  if (params.replace.has('username') && to.sdpUsername !== null) out.username = to.sdpUsername;
  if (params.replace.has('session-name') && to.sdpSessionName !== null) out.sessionName = to.sdpSessionName;
  return out;
}

/** The o= username, version and s= of the first session of an SDP text (null when absent). */
export function firstOrigin(text: string): { username: string; version: string; sessionName: string | null } | null {
  let origin: { username: string; version: string } | null = null;
  let sessionName: string | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.startsWith('m=')) break;
    if (line.startsWith('o=') && origin === null) {
      const t = line.slice(2).split(' ');
      if (t.length >= 6) origin = { username: t[0]!, version: t[2]! };
    } else if (line.startsWith('s=') && sessionName === null) {
      sessionName = line.slice(2);
    }
  }
  return origin === null ? null : { ...origin, sessionName };
}

/** What the recipient's SDP state becomes once the command commits. */
export interface SdpSessionState {
  sdpVersion: string | null;
  sdpUsername: string | null;
  sdpSessionName: string | null;
  lastSdpOut: string | null;
}

const U64_MAX = 18446744073709551615n;

/**
 * Render the recipient's SDP with `render(version?)` and decide the o= version (ng replace: SDP-version,
 * rtpengine `sdp_version_check`): the recipient's version (the first SDP's, or a random one for 0 / 2^64-1)
 * is written; when the text differs from the last one sent with the flag, the version goes up by one.
 */
export function renderWithVersion(
  params: NgParams,
  to: Participant,
  sdp: ParsedSdp,
  render: (sdpVersion?: string) => string,
): { text: string; state: SdpSessionState } {
  const origin = firstOrigin(sdp.text);
  let version = to.sdpVersion;
  if (version === null && origin !== null) {
    let n: bigint;
    try {
      n = BigInt(/^\d+$/.test(origin.version) ? origin.version : '0');
    } catch {
      n = 0n;
    }
    if (n === 0n || n >= U64_MAX) n = BigInt(Math.floor(Math.random() * 0x7fffffff) + 1);
    version = n.toString();
  }
  const state: SdpSessionState = {
    sdpVersion: version,
    sdpUsername: to.sdpUsername ?? origin?.username ?? null,
    sdpSessionName: to.sdpSessionName ?? origin?.sessionName ?? null,
    lastSdpOut: to.lastSdpOut,
  };
  if (!params.replace.has('sdp-version') || version === null) return { text: render(), state };
  let text = render(version);
  if (to.lastSdpOut !== null && text !== to.lastSdpOut) {
    version = (BigInt(version) + 1n).toString();
    text = render(version);
    state.sdpVersion = version;
  }
  state.lastSdpOut = text;
  return { text, state };
}

export function commitSession(to: Participant, state: SdpSessionState): void {
  to.sdpVersion = state.sdpVersion;
  to.sdpUsername = state.sdpUsername;
  to.sdpSessionName = state.sdpSessionName;
  to.lastSdpOut = state.lastSdpOut;
}
