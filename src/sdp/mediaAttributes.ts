/**
 * Edits of sdp-transform media objects shared by rewrite.ts and answer.ts. All functions mutate the object
 * they are given (callers work on a clone).
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

/** a= names (before ':') that belong to ICE (RFC 8839 §5) and that sdp-transform may leave as "invalid". */
const ICE_ATTRIBUTE_NAMES = ['ice-ufrag', 'ice-pwd', 'ice-lite', 'ice-options', 'ice-pacing', 'ice-mismatch', 'candidate', 'end-of-candidates', 'remote-candidates'];

interface IceCarrier {
  iceUfrag?: string;
  icePwd?: string;
  iceOptions?: string;
  icelite?: string;
  candidates?: unknown[];
  endOfCandidates?: string;
  remoteCandidates?: string;
  invalid?: { value: string }[];
}

/** Remove every ICE attribute (a=ice-*, a=candidate, a=end-of-candidates, a=remote-candidates). */
export function stripIce(x: IceCarrier): void {
  delete x.iceUfrag;
  delete x.icePwd;
  delete x.iceOptions;
  delete x.icelite;
  delete x.candidates;
  delete x.endOfCandidates;
  delete x.remoteCandidates;
  if (x.invalid !== undefined) {
    x.invalid = x.invalid.filter((a) => !ICE_ATTRIBUTE_NAMES.includes(attributeName(a.value)));
  }
}

/** Remove SRTP keying (RFC 4568 a=crypto, RFC 5763 a=fingerprint/a=setup) — for plain RTP/AVP(F) output. */
export function stripSrtpKeying(x: { crypto?: unknown; fingerprint?: unknown; setup?: unknown }): void {
  delete x.crypto;
  delete x.fingerprint;
  delete x.setup;
}

function attributeName(value: string): string {
  const colon = value.indexOf(':');
  return (colon === -1 ? value : value.slice(0, colon)).trim().toLowerCase();
}
