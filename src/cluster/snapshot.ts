/**
 * A call's signalling state as a JSON-safe, versioned value (issue 14, takeover): what a standby node
 * needs to rebuild the call exactly as signalling built it on the active node — without sending anything
 * to the peers (they keep the SDP they have). Written by the cluster layer (src/cluster/ClusterStore) on
 * every change, never on the packet path; read back by src/cluster/restore.ts.
 *
 * Design: a call is rebuilt by REPLAYING the ng commands that built it (offer / answer, in order, as
 * received) through the same offer/answer code, with the port pool told to hand out the very ports the
 * snapshot names (PortPool.claim) and the SDES keys whisperd generated put back afterwards. That rebuilds
 * every derived object (codec stores and handlers, transcoding decisions, rtcp-mux / ptime / o= state,
 * relay wiring, media engine) the way the signalling did, instead of serialising each of them: a new field
 * in the call layer needs no snapshot code. The per-leg fields below (ports, addresses, codecs, keys) are
 * what the replay is checked against and what the keys are restored from.
 */
import type { Call } from '../call/Call';

export const SNAPSHOT_VERSION = 1 as const;

/** An ng command as offer()/answer() received it, JSON-safe (Sets as arrays). */
export interface SignalRecord {
  op: 'offer' | 'answer';
  /** NgParams with every Set turned into { $set: [...] } (see ngParamsToJson). */
  params: Record<string, unknown>;
}

/** One SDES a=crypto line (keys base64). */
export interface CryptoSnapshot {
  tag: number;
  suite: string;
  key: string;
  salt: string;
  lifetime: number | null;
  mki: { value: number; length: number } | null;
  unencryptedSrtp: boolean;
  unencryptedSrtcp: boolean;
  unauthenticatedSrtp: boolean;
}

export interface LegSnapshot {
  index: number;
  type: string;
  protocol: string;
  /** whisperd's RTP port facing this participant (RTCP = port + 1); 0: no socket (rejected line). */
  port: number;
  /** The address that socket is bound to. */
  address: string;
  /** Where this participant's SDP said to send ("learned/expected"). */
  sdpRemote: { address: string; port: number; rtcpPort: number } | null;
  direction: string;
  ptime: number | null;
  ptimeOut: number | null;
  /** Codec decided for this side: encoding/clock and this side's payload numbers. */
  codec: { encoding: string; clockRate: number; channels: number; pt: number; dtmfPt: number } | null;
  /** SDES keys: sdesIn = this side's (whisperd decrypts), sdesOut = whisperd's (whisperd encrypts). */
  sdesIn: CryptoSnapshot[];
  sdesOut: CryptoSnapshot[];
  /** DTLS-SRTP leg: its keys cannot be carried over (restore.ts: re-handshake). */
  dtls: boolean;
}

export interface ParticipantSnapshot {
  tag: string;
  label: string;
  role: 'party' | 'supervisor';
  peerTag: string | null;
  viaBranch: string;
  branch: string;
  legs: LegSnapshot[];
}

export interface SessionSnapshot {
  tag: string;
  agentTag: string;
  customerTag: string;
  mode: string;
  muted: boolean;
  committed: boolean;
  supervisor: string | undefined;
  agent: string | undefined;
  createdMs: number;
  failsafeTripped: boolean;
  aec?: boolean;
  /** The supervisor phone's last SDP offer and its leg options (replayed through prepareSupervisorAnswer). */
  offer: { sdp: string; leg?: Record<string, unknown> } | null;
}

/** A stream whisperd generates (mixer output towards one participant): where it continues on takeover. */
export interface StreamAnchor {
  tag: string;
  ssrc: number;
  seq: number;
  ts: number;
  /** Wall clock (Unix ms) at which (seq, ts) were read. */
  wallMs: number;
  clockRate: number;
  ptimeMs: number;
}

export interface CallSnapshot {
  v: typeof SNAPSHOT_VERSION;
  callId: string;
  createdMs: number;
  /** When this snapshot was taken (Unix ms). */
  takenMs: number;
  answered: boolean;
  /** The ng commands that built the call, in order (replayed by restore.ts). */
  signalling: SignalRecord[];
  participants: ParticipantSnapshot[];
  sessions: SessionSnapshot[];
  listenGains: Array<[listener: string, source: string, gain: number]>;
  promptGains: Array<[tag: string, gain: number]>;
  streams: StreamAnchor[];
  /** Recording was on: the standby starts a new file segment (the dead node's file ends at the kill). */
  recording: boolean;
  /** Prompts playing when the snapshot was taken (dropped at takeover, with an audit note). */
  promptsPlaying: number;
}

export function snapshotCall(call: Call): CallSnapshot {
  const participants: ParticipantSnapshot[] = [];
  for (const p of call.participants.values()) {
    participants.push({
      tag: p.tag, label: p.label, role: p.role, peerTag: p.peer?.tag ?? null, viaBranch: p.viaBranch, branch: p.branch,
      legs: p.legs.map((l) => ({
        index: l.index, type: l.type, protocol: l.protocol, port: l.endpoint?.localPort ?? 0, address: l.endpoint?.localAddress ?? '',
        sdpRemote: l.sdpRemote ? { ...l.sdpRemote } : null, direction: l.direction, ptime: l.ptime, ptimeOut: l.ptimeOut,
        codec: l.codec ? { encoding: l.codec.codec.encoding, clockRate: l.codec.codec.clockRate, channels: l.codec.codec.channels, pt: l.codec.pt, dtmfPt: l.codec.dtmfPt } : null,
        sdesIn: [], sdesOut: [], dtls: l.security.dtls,
      })),
    });
  }
  return {
    v: SNAPSHOT_VERSION, callId: call.callId, createdMs: call.createdMs, takenMs: Date.now(), answered: call.answered,
    signalling: [], participants, sessions: [], listenGains: [], promptGains: [], streams: [], recording: false, promptsPlaying: 0,
  };
}
