/**
 * Edits of sdp-transform media objects for answer.ts (rewrite.ts edits the SDP text line by line). They
 * mutate the object they are given (callers work on a clone).
 */
import type { Payload, TransformSession } from './types';

export type TransformMedia = TransformSession['media'][number];

/**
 * Make `payloads` the exact format list of an RTP m= line, in order: m= fmt list, one a=rtpmap per payload
 * with a known encoding (static PTs included, as rtpengine writes them; "/channels" only when not 1),
 * a=fmtp where fmtp is not null. a=rtcp-fb lines (RFC 4585) for PTs no longer listed are dropped ("*" kept).
 */
export function setPayloads(m: TransformMedia, payloads: readonly Payload[]): void {
  m.payloads = payloads.map((p) => p.pt).join(' ');
  m.rtp = payloads
    .filter((p) => p.encoding !== '')
    .map((p) => ({
      payload: p.pt,
      codec: p.encoding,
      rate: p.clockRate,
      ...(p.channels !== 1 ? { encoding: p.channels } : {}),
    }));
  m.fmtp = payloads.filter((p) => p.fmtp !== null).map((p) => ({ payload: p.pt, config: p.fmtp! }));
  const listed = new Set(payloads.map((p) => String(p.pt)));
  const keep = (fb: { payload: number | string }): boolean => fb.payload === '*' || listed.has(String(fb.payload));
  if (m.rtcpFb !== undefined) m.rtcpFb = m.rtcpFb.filter(keep);
  if (m.rtcpFbTrrInt !== undefined) m.rtcpFbTrrInt = m.rtcpFbTrrInt.filter(keep);
}
