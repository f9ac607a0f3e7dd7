/**
 * Codec decisions taken at offer/answer time (rtpengine's codec handlers, set up once per stream):
 * which codec each side sends and hears, with its own payload type numbers, and whether the two
 * sides need transcoding. Pure functions over SDP payload lists and the codec table.
 */
import { codecFormat, findCodec } from '../codec/registry';
import type { Payload } from '../sdp/types';
import { isSupplementary } from '../sdp/codecs';
import { answerStore, codecTable, CodecStore, updateHandlers, type CodecTable, type HandlerSet, type SidePtime } from '../sdp/codecStore';
import { isRtpProtocol } from '../sdp/parse';
import type { MediaSummary, ParsedSdp } from '../sdp/types';
import type { NgParams } from '../control/ng/params';
import type { MediaLeg } from './MediaLeg';
import type { Participant } from './Participant';

import type { LegCodec } from './MediaLeg';
export type { LegCodec, LegNegotiation } from './MediaLeg';

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

// ---------------------------------------------------------------------------------------------------
// rtpengine's codec negotiation (src/sdp/codecStore.ts) applied to a call's legs at offer and answer.


/** The ng codec operations of one command, as rtpengine reads them ("--" in a codec spec means "="). */
export interface CodecFlags {
  strip: string[];
  offer: string[];
  transcode: string[];
  mask: string[];
  accept: string[];
  consume: string[];
  except: string[];
  singleCodec: boolean;
  reuse: boolean;
}

const unescape = (list: readonly string[]): string[] => list.map((s) => s.split('--').join('='));

export function codecFlagsOf(params: NgParams, command: 'offer' | 'answer'): CodecFlags {
  const c = params.codec;
  const offerOnly = command === 'offer';
  const accept = offerOnly ? unescape(c.accept) : [];
  // ng flag `always transcode` is codec-accept=all (rtpengine call_interfaces.c).
  if (offerOnly && params.flags.has('always-transcode')) accept.push('all');
  return {
    strip: unescape(c.strip),
    offer: unescape(c.offer),
    except: unescape(c.except),
    // transcode, mask, accept, consume (and set) apply to offers only (rtpengine ignores them in answers).
    transcode: offerOnly ? unescape(c.transcode) : [],
    mask: offerOnly ? unescape(c.mask) : [],
    accept,
    consume: offerOnly ? unescape(c.consume) : [],
    singleCodec: params.flags.has('single-codec'),
    reuse: params.flags.has('reuse-codecs') || params.flags.has('no-codec-renegotiation'),
  };
}

/**
 * The codecs negotiation knows: rtpengine 10.5's set, plus whisperd's own (AMR, AMR-WB, iLBC) when available.
 * Built once, on first use: findCodec answers from the process-wide codec table, itself fixed once built.
 */
let negotiationCodecs: CodecTable | null = null;
function negotiationTable(): CodecTable {
  return (negotiationCodecs ??= codecTable((name) => findCodec(name) !== null));
}

/** RTP m= lines with a port take part in codec negotiation (audio and video alike, as in rtpengine); others pass through as sent. */
function negotiable(m: MediaSummary): boolean {
  return m.port !== 0 && isRtpProtocol(m.protocol);
}

/** Codecs are known for audio lines only (rtpengine's codec_def has a media type): a video line's codecs are all passed through. */
const NO_CODECS: CodecTable = () => null;
const tableFor = (m: MediaSummary, audio: CodecTable): CodecTable => (m.type === 'audio' ? audio : NO_CODECS);

export interface NegotiationPlan {
  /** Per m= line, the payload list to write into the SDP sent on (undefined: the m= line's own). */
  payloads: Array<Payload[] | undefined>;
  /** Apply the decisions to the legs (called at commit: nothing here can fail). */
  commit(): void;
}

/**
 * Both sides' packetisation as rtpengine keeps it (media->ptime, PTIME_OVERRIDE), the same rule as
 * src/call/sdpOut.ts applies to leg.ptimeOut / ptimeForced: an SDP's a=ptime sets both unless forced; ng
 * ptime (offer) forces the recipient's, ptime-reverse the sender's. A forced ptime that differs from the
 * other side's makes whisperd transcode (repacketise), as in rtpengine.
 */
function sidePtimes(sender: MediaLeg | undefined, recipient: MediaLeg | undefined, m: MediaSummary, params: NgParams, op: 'offer' | 'answer'): { sender: SidePtime; recipient: SidePtime } {
  const s: SidePtime = { ptime: sender?.ptimeOut ?? 0, override: sender?.ptimeForced ?? false };
  const r: SidePtime = { ptime: recipient?.ptimeOut ?? 0, override: recipient?.ptimeForced ?? false };
  if (m.ptime !== null && m.ptime > 0) {
    if (!r.override) r.ptime = m.ptime;
    if (!s.override) s.ptime = m.ptime;
  }
  if (op === 'offer' && params.ptime !== undefined && params.ptime > 0) {
    r.ptime = params.ptime;
    r.override = s.override = true;
  }
  if (op === 'offer' && params.ptimeReverse !== undefined && params.ptimeReverse > 0) {
    s.ptime = params.ptimeReverse;
    r.override = s.override = true;
  }
  return { sender: s, recipient: r };
}

function storeFor(leg: MediaLeg | undefined, table: CodecTable): CodecStore {
  return leg?.negotiation ? leg.negotiation.store.clone() : new CodecStore(table);
}

/**
 * Offer from `a` to `b` (rtpengine codecs_offer_answer, offer branch): the offerer's store takes its SDP
 * with strip/offer/accept/consume/mask applied; the recipient's store is what it is offered: the SDP after
 * strip/consume/mask, offer and transcode, telephone-event per clock rate, and — when something is
 * transcoded — without codecs whisperd does not know.
 */
export function negotiateOffer(a: Participant, b: Participant, sdp: ParsedSdp, params: NgParams, warn: (msg: string) => void): NegotiationPlan {
  const audioTable = negotiationTable();
  const f = codecFlagsOf(params, 'offer');
  const payloads: Array<Payload[] | undefined> = [];
  const commits: Array<() => void> = [];
  sdp.medias.forEach((m, i) => {
    if (!negotiable(m)) return;
    const table = tableFor(m, audioTable);
    const src = CodecStore.fromPayloads(m.payloads, table);
    const aStore = storeFor(a.legs[i], table);
    if (f.reuse && aStore.prefs.length > 0) aStore.populateReuse(src, false);
    else aStore.populate(src, false);
    aStore.strip(f.strip, f.except);
    aStore.offer(f.offer, src);
    if (!aStore.stripFull) aStore.offer(f.transcode, src);
    aStore.checkEmpty(src);
    aStore.accept(f.accept, null);
    aStore.accept(f.consume, src);
    aStore.track(f.mask);

    const bStore = storeFor(b.legs[i], table);
    if (f.reuse && bStore.prefs.length > 0) bStore.populateReuse(src, false);
    else bStore.populate(src, false);
    bStore.strip(f.strip, f.except);
    bStore.strip(f.consume, f.except);
    bStore.strip(f.mask, f.except);
    bStore.offer(f.offer, src);
    bStore.transcode(f.transcode, src, warn);
    bStore.checkEmpty(src);
    bStore.trackerUpdate();
    const pt = sidePtimes(a.legs[i], b.legs[i], m, params, 'offer');
    const bToA = { receiver: pt.recipient, sink: pt.sender };
    updateHandlers(bStore, aStore, true, bToA);
    bStore.trackerUpdate();
    const bHandlers = updateHandlers(bStore, aStore, true, bToA);
    const list = bStore.payloads();
    // Only telephone-event/CN offered and then removed: rtpengine writes an m= line without formats (invalid
    // SDP, RFC 4566 §5.14); whisperd forwards the line's own formats instead.
    payloads[i] = list.length > 0 ? list : undefined;
    commits.push(() => {
      const la = a.legs[i];
      const lb = b.legs[i];
      if (!la || !lb) return;
      la.negotiation = { store: aStore, handlers: la.negotiation?.handlers ?? { handlers: new Map(), transcoding: false } };
      lb.negotiation = { store: bStore, handlers: bHandlers };
      lb.sentPayloads = (list.length > 0 ? list : m.payloads).map((p) => ({ ...p }));
    });
  });
  return { payloads, commit: () => commits.forEach((c) => c()) };
}

/**
 * Answer from `b` to the offerer `a` (rtpengine codecs_offer_answer, answer branch): the answerer's store
 * keeps only what it was offered (a stray answer codec is dropped), then the offerer's list is rebuilt
 * from it — codecs passed through as answered, transcoded ones as the offerer's own codec, with the
 * offerer's telephone-event/CN they use — so the offerer is never answered a codec it did not offer.
 */
export function negotiateAnswer(a: Participant, b: Participant, sdp: ParsedSdp, params: NgParams): NegotiationPlan {
  const audioTable = negotiationTable();
  const f = codecFlagsOf(params, 'answer');
  const payloads: Array<Payload[] | undefined> = [];
  const commits: Array<() => void> = [];
  sdp.medias.forEach((m, i) => {
    const la = a.legs[i];
    const lb = b.legs[i];
    // A rejected line (port 0) is negotiated too: rtpengine then takes the answer's codecs as they are.
    if (!isRtpProtocol(m.protocol) || !la || !lb) return;
    const table = tableFor(m, audioTable);
    const src = CodecStore.fromPayloads(m.payloads, table);
    const bStore = storeFor(lb, table);
    const aOld = la.negotiation ? la.negotiation.store.clone() : CodecStore.fromPayloads(la.payloads, table);
    const answerOnly = m.port !== 0 && bStore.prefs.length > 0;
    if (f.reuse && bStore.prefs.length > 0) bStore.populateReuse(src, answerOnly);
    else bStore.populate(src, answerOnly);
    bStore.strip(f.strip, f.except);
    bStore.offer(f.offer, src);
    bStore.checkEmpty(src);
    const pt = sidePtimes(lb, la, m, params, 'answer');
    const bToA = { receiver: pt.sender, sink: pt.recipient };
    const aToB = { receiver: pt.recipient, sink: pt.sender };
    let bHandlers = updateHandlers(bStore, aOld, false, bToA);
    const aStore = answerStore(aOld, bStore, bHandlers, f.singleCodec);
    updateHandlers(aStore, bStore, true, aToB);
    aStore.trackerUpdate();
    bStore.trackerUpdate();
    const aHandlers = updateHandlers(aStore, bStore, true, aToB);
    bHandlers = updateHandlers(bStore, aStore, false, bToA);
    const list = aStore.payloads();
    payloads[i] = list.length > 0 ? list : undefined;
    const codecs = legCodecs(aStore, bStore, bHandlers);
    commits.push(() => {
      la.negotiation = { store: aStore, handlers: aHandlers };
      lb.negotiation = { store: bStore, handlers: bHandlers };
      if (list.length > 0) la.sentPayloads = list.map((p) => ({ ...p }));
      la.codec = codecs.offerer;
      lb.codec = codecs.answerer;
    });
  });
  return { payloads, commit: () => commits.forEach((c) => c()) };
}

/**
 * The codec each side sends and hears, for the media engine: the answerer's first codec whisperd can run,
 * and what whisperd turns it into for the offerer (the same payload when passed through).
 */
function legCodecs(aStore: CodecStore, bStore: CodecStore, bHandlers: HandlerSet): { offerer: LegCodec | null; answerer: LegCodec | null } {
  const bPayloads = bStore.payloads();
  const aPayloads = aStore.payloads();
  const answerer = pickCodec(bPayloads);
  if (!answerer) return { offerer: pickCodec(aPayloads), answerer: null };
  const h = bHandlers.handlers.get(answerer.pt);
  const destPt = h ? h.dest.pt : answerer.pt;
  const dest = aPayloads.find((p) => p.pt === destPt);
  const offerer = (dest && pickCodec([dest, ...aPayloads.filter((p) => p !== dest)])) ?? pickCodec(aPayloads);
  return { offerer, answerer };
}
