/**
 * Codec decisions taken at offer/answer time (rtpengine's codec handlers, set up once per stream):
 * which codec each side sends and hears, with its own payload type numbers, and whether the two
 * sides need transcoding. Pure functions over SDP payload lists and the codec table.
 */
import { codecFormat, findCodec, type CodecDef } from '../codec/registry';
import type { Payload } from '../sdp/types';
import { isSupplementary } from '../sdp/codecs';

export interface LegCodec {
  codec: CodecDef;
  /** This side's payload type for the codec. */
  pt: number;
  /** This side's telephone-event payload type (RFC 4733) at the codec's clock, -1 if none. */
  dtmfPt: number;
  payload: Payload;
}

/** The first payload in `payloads` that whisperd can decode and encode, or null. */
export function pickCodec(payloads: readonly Payload[]): LegCodec | null {
  for (const p of payloads) {
    if (isSupplementary(p)) continue;
    // (K) codecFormat: the payload's own format (AMR octet-align / mode-set; null if whisperd cannot code it).
    const codec = codecFormat(findCodec(p.encoding, p.clockRate || undefined), p.fmtp);
    if (codec) return { codec, pt: p.pt, dtmfPt: dtmfPtOf(payloads, codec.clockRate), payload: p };
  }
  return null;
}

export function dtmfPtOf(payloads: readonly Payload[], clockRate: number): number {
  for (const p of payloads) if (p.encoding.toLowerCase() === 'telephone-event' && (p.clockRate === clockRate || p.clockRate === 0)) return p.pt;
  return -1;
}

/** The payload in `payloads` with the same codec as `c`, as a LegCodec with this side's numbers. */
export function sameCodecIn(payloads: readonly Payload[], c: LegCodec): LegCodec | null {
  for (const p of payloads) {
    if (p.encoding.toLowerCase() === c.codec.encoding.toLowerCase() && (p.clockRate === c.codec.clockRate || p.clockRate === 0)) {
      const codec = codecFormat(c.codec, p.fmtp); // (K) this side's format of the codec (AMR fmtp)
      if (codec) return { codec, pt: p.pt, dtmfPt: dtmfPtOf(payloads, c.codec.clockRate), payload: p };
    }
  }
  return null;
}

export interface AnswerDecision {
  offerer: LegCodec | null;
  answerer: LegCodec | null;
  /** Both sides known and on different codecs: the call must be transcoded. */
  transcode: boolean;
  /** Payload list to put in the answer sent to the offerer, or undefined to keep the answer's own. */
  answerPayloads: Payload[] | undefined;
}

/**
 * Given what the offerer offered and what the answerer answered, decide both sides' codecs. If the
 * answerer picked a codec the offerer never offered (a `transcode` codec we added, or a peer that
 * ignored the offer, like SIPp's built-in UAS answering PCMU to a PCMA offer), the offerer keeps its
 * own first codec and whisperd transcodes between the two.
 */
export function decideAnswer(offered: readonly Payload[], answered: readonly Payload[]): AnswerDecision {
  const answerer = pickCodec(answered);
  if (!answerer) return { offerer: pickCodec(offered), answerer: null, transcode: false, answerPayloads: undefined };
  const same = sameCodecIn(offered, answerer);
  if (same) return { offerer: same, answerer, transcode: false, answerPayloads: undefined };
  const offerer = pickCodec(offered);
  if (!offerer) return { offerer: null, answerer, transcode: false, answerPayloads: undefined };
  const payloads: Payload[] = [offerer.payload];
  if (answerer.dtmfPt >= 0 && offerer.dtmfPt >= 0) {
    const te = offered.find((p) => p.pt === offerer.dtmfPt);
    if (te) payloads.push(te);
  }
  return { offerer, answerer, transcode: true, answerPayloads: payloads };
}
