/**
 * The supervisor's media leg, which whisperd terminates itself: sockets for the phone's offer, a codec
 * chosen from it (the agent's codec when offered, so the supervisor hears the call as the agent does;
 * otherwise the first one whisperd supports), telephone-event kept for DTMF mode control, and
 * whisperd's SDP answer for the proxy to return in its 200 OK. Prepared first (sockets, answer), applied
 * by commit() once the command can no longer fail (after its audit record), so a refused re-offer
 * leaves the leg as it was.
 */
import { advertisedOf, placeLegs, sdpFamily } from '../call/legPlacement';
import type { Call } from '../call/Call';
import { defaultLegOptions, type LegOptions } from '../call/legOptions';
import { applyLegSdp, dropLegs, ensureLegs, parseOrThrow, type SignallingContext } from '../call/offerAnswer';
import type { LegCodec } from '../call/negotiate';
import { pickCodec, sameCodecIn } from '../call/negotiate';
import { codecNameOf, type Participant } from '../call/Participant';
import { UnsupportedError } from '../errors';
import { createAnswerSdp } from '../sdp/answer';
import { applyLegSecurity, iceAddressesFor, prepareSupervisorSecurity, type PreparedSupervisorSecurity } from '../call/legSecurity';
import type { AnswerMedia } from '../sdp/answer';
import type { Payload } from '../sdp/types';

/** The supervisor's phone offers only codecs whisperd cannot decode or encode: nothing can be mixed for it. */
export class UnmixableCodecError extends UnsupportedError {
  constructor(readonly codec: string) {
    super(`Cannot mix codec ${codec}`);
  }
}

/** whisperd's answer to a supervisor phone's offer, prepared (sockets open) but not yet applied. */
export interface PreparedSupervisorAnswer {
  /** whisperd's SDP answer for the proxy to return. */
  sdp: string;
  /** Apply the offer to the participant (remote addresses, payloads, chosen codec). Cannot fail. */
  commit(): void;
  /**
   * Instead of commit(): close the legs this preparation added and give back their ports — only those
   * still open (a call closed meanwhile has already closed and released the others).
   */
  rollback(): void;
}

/**
 * Prepare the answer to the supervisor phone's offer for `p`: the codec is checked before anything is
 * opened (UnmixableCodecError naming the offered codec); sockets for new m= lines are opened (undone
 * by rollback()); nothing else of `p` changes until commit().
 */
export async function prepareSupervisorAnswer(
  ctx: SignallingContext,
  call: Call,
  p: Participant,
  sdpText: string,
  opts: LegOptions | undefined,
  prefer: LegCodec | null,
): Promise<PreparedSupervisorAnswer> {
  const sdp = parseOrThrow(sdpText);
  const audio = sdp.medias.find((m) => m.type === 'audio' && m.port !== 0);
  if (audio && !(prefer && sameCodecIn(audio.payloads, prefer)) && !pickCodec(audio.payloads)) throw new UnmixableCodecError(codecNameOf(audio.payloads));
  const before = p.legs.length;
  const rollback = (): void => dropLegs(ctx, p, before);
  // The supervisor phone's legs on the interface address of its own family (an IPv6 phone: IPv6).
  await ensureLegs(ctx, call, p, sdp.medias, undefined, placeLegs(ctx, p, undefined, sdpFamily(sdp, opts?.sourceAddress ?? null)));
  let chosenLeg: { index: number; codec: LegCodec } | null = null;
  // (S) encrypted offers: SDES, or WebRTC (ICE-lite + DTLS-SRTP) for a browser supervisor
  let security: PreparedSupervisorSecurity | null = null;
  let securityError: unknown = null;
  const medias: Array<AnswerMedia | null> = sdp.medias.map((m, i) => {
    const leg = p.legs[i]!;
    if (chosenLeg || m.type !== 'audio' || m.port === 0 || !leg.endpoint) return null;
    const chosen = (prefer && sameCodecIn(m.payloads, prefer)) ?? pickCodec(m.payloads);
    if (!chosen) return null;
    chosenLeg = { index: i, codec: chosen };
    const payloads: Payload[] = [chosen.payload];
    const te = m.payloads.find((x) => x.pt === chosen.dtmfPt);
    if (te) payloads.push(te);
    const answered: AnswerMedia = { port: leg.endpoint.localPort, rtcpPort: leg.endpoint.localPort + 1, payloads, direction: 'sendrecv' };
    try {
      security = prepareSupervisorSecurity(leg, sdp, i, iceAddressesFor(ctx, {}, p));
      answered.protocol = security.protocol;
      if (security.mediaLines.length > 0) answered.lines = security.mediaLines;
    } catch (err) {
      securityError = err;
    }
    return answered;
  });
  const picked = chosenLeg as { index: number; codec: LegCodec } | null;
  if (securityError !== null) {
    rollback();
    throw securityError;
  }
  if (!picked) {
    rollback();
    throw new UnsupportedError('No supported audio codec in the supervisor offer');
  }
  const prepared = security as PreparedSupervisorSecurity | null;
  const answer = createAnswerSdp({
    offer: sdp,
    address: advertisedOf(ctx, p),
    sessionId: Math.floor(p.createdMs / 1000),
    sessionVersion: Date.now() % 1_000_000_000,
    medias,
    ...(prepared && prepared.sessionLines.length > 0 ? { sessionLines: prepared.sessionLines } : {}),
  });
  return {
    sdp: answer,
    commit: () => {
      applyLegSdp(p, sdp, opts ?? defaultLegOptions(ctx.learning));
      p.legs[picked.index]!.codec = picked.codec;
      prepared?.commit();
      applyLegSecurity(p, ctx.log); // (S) keys, DTLS session, ICE agent on the supervisor's endpoint
    },
    rollback,
  };
}
