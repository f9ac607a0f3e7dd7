/**
 * One m= line of one participant (rtpengine's call_media): the local socket pair facing that
 * participant, plus what its SDP said. A rejected or non-audio line has no endpoint (port 0).
 */
import type { RtpEndpoint } from '../media/RtpEndpoint';
import type { CodecDef } from '../codec/registry';
import type { CodecStore, HandlerSet } from '../sdp/codecStore';
import type { Payload } from '../sdp/types';
import { newSecurityState, type LegSecurityState } from './legSecurityState';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface LegPayload {
  pt: number;
  encoding: string;
  clockRate: number;
  channels: number;
  fmtp: string | null;
}

/** The codec one side of a leg sends and hears, with that side's payload numbers (decided in negotiate.ts). */
export interface LegCodec {
  codec: CodecDef;
  /** This side's payload type for the codec. */
  pt: number;
  /** This side's telephone-event payload type (RFC 4733) at the codec's clock, -1 if none. */
  dtmfPt: number;
  payload: Payload;
}

/** Per leg: rtpengine's codec store of this side and the handlers of what this side sends to its peer. */
export interface LegNegotiation {
  store: CodecStore;
  /** What whisperd does with each payload type this side sends (towards the other side). */
  handlers: HandlerSet;
}

export class MediaLeg {
  readonly index: number;
  type: string;
  protocol: string;
  /** Socket pair facing this participant; null when the m= line is rejected. */
  endpoint: RtpEndpoint | null;
  /** What this participant's last SDP offered/answered for this line. */
  payloads: LegPayload[] = [];
  direction: Direction = 'sendrecv';
  ptime: number | null = null;
  rtcpMux = false;
  /** Codec this participant sends and hears on this line (decided at answer), null if unknown. */
  codec: LegCodec | null = null;
  /** Payloads offered to the other side for this line (after codec ops), kept for the answer. */
  advertised: LegPayload[] | null = null;
  /**
   * (N) The payload list of whisperd's last SDP to this participant on this line (the offer's list for the
   * answerer, the answer's for the offerer), null when whisperd did not decide one.
   */
  sentPayloads: LegPayload[] | null = null;
  /** (N) rtpengine's codec store of this side and its handlers towards the other side (src/call/negotiate.ts). */
  negotiation: LegNegotiation | null = null;
  /** This side's media ID (RFC 5888 a=mid), written in the SDP sent to it (src/call/sdpOut.ts). */
  mid: string | null = null;
  /** rtpengine's RTCP_MUX bit for this side (src/call/sdpOut.ts): rtcp-mux is talked towards it. */
  rtcpMuxNeg = false;
  /** rtpengine's RTCP_MUX_OVERRIDE: the answer does not simply follow the answerer's rtcp-mux choice. */
  rtcpMuxOverride = false;
  /**
   * The a=ptime whisperd wrote in the SDP it sent to this participant (null: none). With ptimeForced
   * (ng `ptime` / `ptime-reverse`), whisperd must send to this participant at this packetisation.
   */
  ptimeOut: number | null = null;
  /** ptimeOut was forced by ng `ptime` / `ptime-reverse` (rtpengine PTIME_OVERRIDE). */
  ptimeForced = false;
  /**
   * The other party's advertised endpoint for this line ("address port") that this leg's socket pair was
   * given for (rtpengine's endpoint_map): when the other party announces a different one, this leg gets
   * a new socket pair (unless ng flag port-latching, or ICE). null: none yet.
   */
  peerEndpoint: string | null = null;
  /** What this participant's own SDP last said for this line: where to send (kept for a renewed socket pair). */
  sdpRemote: { address: string; port: number; rtcpPort: number } | null = null;
  /** (S) Transport protocol, SDES keys, DTLS and ICE state of this side (src/call/legSecurity.ts). */
  security: LegSecurityState = newSecurityState();
  /** (S) DTLS session / ICE agent of this leg, closed with it (src/call/legSecurity.ts). */
  secureRuntime: { close(): void } | null = null;

  constructor(index: number, type: string, protocol: string, endpoint: RtpEndpoint | null) {
    this.index = index;
    this.type = type;
    this.protocol = protocol;
    this.endpoint = endpoint;
  }

  close(): void {
    this.secureRuntime?.close();
    this.secureRuntime = null;
    this.endpoint?.close();
  }
}
