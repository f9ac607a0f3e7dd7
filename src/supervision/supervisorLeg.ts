/**
 * The supervisor's media leg, which whisperd terminates itself: sockets for the phone's offer, a codec
 * chosen from it (the agent's codec when offered, so the supervisor hears the call as the agent does;
 * otherwise the first one whisperd supports), telephone-event kept for DTMF mode control, and
 * whisperd's SDP answer for the proxy to return in its 200 OK.
 */
import { defaultLegOptions, type LegOptions } from '../call/legOptions';
import { applyLegSdp, ensureLegs, parseOrThrow, type SignallingContext } from '../call/offerAnswer';
import type { LegCodec } from '../call/negotiate';
import { pickCodec, sameCodecIn } from '../call/negotiate';
import { codecNameOf, type Participant } from '../call/Participant';
import { UnsupportedError } from '../errors';
import { createAnswerSdp } from '../sdp/answer';
import type { AnswerMedia } from '../sdp/answer';
import type { Payload } from '../sdp/types';

/** The supervisor's phone offers only codecs whisperd cannot decode or encode: nothing can be mixed for it. */
export class UnmixableCodecError extends UnsupportedError {
  constructor(readonly codec: string) {
    super(`Cannot mix codec ${codec}`);
  }
}

/**
 * Apply the supervisor phone's offer to `p` and return whisperd's answer SDP. The codec is checked
 * before any socket is opened or anything of `p` changes (UnmixableCodecError naming the offered codec).
 */
export async function answerSupervisorOffer(
  ctx: SignallingContext,
  p: Participant,
  sdpText: string,
  opts: LegOptions | undefined,
  prefer: LegCodec | null,
): Promise<string> {
  const sdp = parseOrThrow(sdpText);
  const audio = sdp.medias.find((m) => m.type === 'audio' && m.port !== 0);
  if (audio && !(prefer && sameCodecIn(audio.payloads, prefer)) && !pickCodec(audio.payloads)) throw new UnmixableCodecError(codecNameOf(audio.payloads));
  await ensureLegs(ctx, p, sdp.medias);
  applyLegSdp(p, sdp, opts ?? defaultLegOptions(ctx.learning));
  let audioDone = false;
  const medias: Array<AnswerMedia | null> = sdp.medias.map((m, i) => {
    const leg = p.legs[i]!;
    if (audioDone || m.type !== 'audio' || m.port === 0 || !leg.endpoint) return null;
    const chosen = (prefer && sameCodecIn(m.payloads, prefer)) ?? pickCodec(m.payloads);
    if (!chosen) return null;
    leg.codec = chosen;
    audioDone = true;
    const payloads: Payload[] = [chosen.payload];
    const te = m.payloads.find((x) => x.pt === chosen.dtmfPt);
    if (te) payloads.push(te);
    return { port: leg.endpoint.localPort, rtcpPort: leg.endpoint.localPort + 1, payloads, direction: 'sendrecv' };
  });
  if (!audioDone) throw new UnsupportedError('No supported audio codec in the supervisor offer');
  return createAnswerSdp({
    offer: sdp,
    address: ctx.advertisedAddress,
    sessionId: Math.floor(p.createdMs / 1000),
    sessionVersion: Date.now() % 1_000_000_000,
    medias,
  });
}
