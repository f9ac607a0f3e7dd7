/**
 * Types shared by the SDP modules (RFC 4566 session descriptions, RFC 3264 offer/answer).
 *
 * - `ParsedSdp`      what parseSdp returns: sdp-transform's object (`session`), a normalised per-m=
 *                    summary (`medias`) that the call layer reads, and the text itself (`text`, which
 *                    rewriteSdp edits line by line).
 * - `MediaSummary`   one m= section with every inherited value resolved (connection, direction, static PTs).
 * - `Payload`        one RTP payload type (RFC 3551 §6 static PTs are filled in when there is no a=rtpmap).
 */
import type { SessionDescription as TransformSession } from 'sdp-transform';

export type { TransformSession };

/** RFC 4566 §6 / RFC 3264 §5.1 direction attribute. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** One RTP payload type of an m= line. */
export interface Payload {
  /** RTP payload type, 0..127. */
  pt: number;
  /**
   * Encoding name as written in a=rtpmap (case kept, e.g. "PCMU", "opus", "telephone-event"), or the
   * RFC 3551 name for a static PT without a=rtpmap. Empty string when unknown (dynamic PT without a=rtpmap);
   * such payloads are passed through but get no a=rtpmap line on output.
   */
  encoding: string;
  /** RTP clock rate in Hz (0 when unknown). */
  clockRate: number;
  /** Audio channels (1 unless a=rtpmap says otherwise). */
  channels: number;
  /** a=fmtp parameter string (e.g. "0-16" or "minptime=10;useinbandfec=1"), null when absent. */
  fmtp: string | null;
}

/** Normalised view of one m= section. */
export interface MediaSummary {
  /** 0-based position of the m= line in the SDP. */
  index: number;
  /** Media type from m=: "audio", "video", "image", "application", ... */
  type: string;
  /** Transport port from m= (0 = rejected / disabled stream, RFC 3264 §6). */
  port: number;
  /**
   * RTCP port: the a=rtcp value (RFC 3605) if present; else, with a=rtcp-mux (RFC 5761), the RTP port;
   * else port + 1 (RFC 3550 §11). 0 when port is 0.
   */
  rtcpPort: number;
  /** a=rtcp-mux present (RFC 5761 §5.1.1). */
  rtcpMux: boolean;
  /** Transport protocol from m=, e.g. "RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF", "udptl". */
  protocol: string;
  /** Media-level c= address, else session-level; null only for port-0 media without any c=. */
  connectionAddress: string | null;
  /** IP version of connectionAddress (4 or 6), null when connectionAddress is null. */
  connectionIpVersion: 4 | 6 | null;
  /** Media-level direction attribute, else session-level, else "sendrecv" (RFC 3264 §5.1). */
  direction: Direction;
  /** The raw fmt list of the m= line (PT numbers as strings for RTP, anything for other protocols). */
  formats: string[];
  /** RTP payload types in m= order (empty for non-RTP protocols). Duplicated PTs appear once. */
  payloads: Payload[];
  /** a=ptime in ms (media-level, else session-level), null when absent or not a positive number. */
  ptime: number | null;
  /** The media (or the session) carries ICE attributes (ufrag/pwd/candidates, RFC 8839). */
  hasIce: boolean;
  /** a=ice-options lists "trickle" (RFC 8840) at media or session level. */
  trickleIce: boolean;
}

/** Result of parseSdp. `session` must be treated as read-only; the rewriters clone it. */
export interface ParsedSdp {
  /** sdp-transform's parse result. */
  session: TransformSession;
  /** One summary per m= line, same order as session.media. */
  medias: MediaSummary[];
  /** The SDP text as received: rewriteSdp edits it line by line, as rtpengine does. */
  text: string;
}
