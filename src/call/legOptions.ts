/**
 * How a participant's legs treat its phone's packets, decided at signalling time (the call layer's own
 * type: ng flags and HTTP bodies are translated into it at the edge, see offerAnswer.legOptionsFromNg).
 */
import type { Learning } from '../media/RtpEndpoint';

export interface LegOptions {
  /** Endpoint learning (latching) of the phone's source address. */
  learning: Learning;
  /** Drop packets from anyone but the (latched or signalled) remote. */
  strictSource: boolean;
  /** Follow a new source at once (re-latch). */
  mediaHandover: boolean;
  /** Send to this address instead of the SDP's c= (ng SIP-source-address + received-from); null = SDP. */
  sourceAddress: string | null;
}

/** The options of a leg nothing special was asked for: the configured learning, SDP addresses. */
export function defaultLegOptions(learning: Learning): LegOptions {
  return { learning, strictSource: false, mediaHandover: false, sourceAddress: null };
}
