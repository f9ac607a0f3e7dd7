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
import { switchesState, type SwitchesState } from '../call/mediaSwitches';
import type { NgParams } from '../control/ng/params';
import type { SdesCrypto } from '../sdp/security';
import type { SrtpSuite } from '../media/secure';
import type { SrtpStreamState } from '../media/srtp';
import type { MediaLeg } from '../call/MediaLeg';

export const SNAPSHOT_VERSION = 1 as const;

/** An ng command as offer()/answer() received it, JSON-safe (Sets as arrays). */
export type SignalRecord =
  | {
      op: 'offer' | 'answer';
      /** NgParams with every Set turned into { $set: [...] } (see ngParamsToJson). */
      params: Record<string, unknown>;
      /** The RTP ports this command opened, in order (the replay opens the same ones). */
      ports: number[];
    }
  /** ng delete of one forked branch: the offerer's tag and the via-branch. */
  | { op: 'deleteBranch'; fromTag: string; viaBranch: string };

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
  /**
   * SDES legs: per SSRC the highest SRTP index (ROC << 16 | seq) and SRTCP index of the endpoint's contexts,
   * rx (decrypting what this participant sends) and tx (encrypting towards it), so the rollover counter
   * goes on after a takeover (a stream past 65536 packets, ≈ 21 min at 20 ms, would otherwise fail).
   */
  srtp?: { rx: SrtpStreamState[]; tx: SrtpStreamState[] };
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
  /** ng block/silence media, block DTMF / DTMF-security switches of the call and its parties (PCI pauses). */
  switches?: SwitchesState | null;
}

/** What snapshotCall cannot read from the call itself (services above it). */
export interface SnapshotExtras {
  /** The call is being recorded (RecordingService.recording(call) !== undefined). */
  recording?: boolean;
}

/**
 * The call's state now, JSON-safe. Signalling time (cheap: no I/O; one native read per mixer output for
 * the stream anchors, on the mix's thread) — never call it per packet.
 */
export function snapshotCall(call: Call, extras: SnapshotExtras = {}): CallSnapshot {
  const now = Date.now();
  const participants: ParticipantSnapshot[] = [];
  const sessions: SessionSnapshot[] = [];
  const streams: StreamAnchor[] = [];
  for (const p of call.participants.values()) {
    participants.push({
      tag: p.tag, label: p.label, role: p.role, peerTag: p.peer?.tag ?? null, viaBranch: p.viaBranch, branch: p.branch,
      legs: p.legs.map((l) => ({
        index: l.index, type: l.type, protocol: l.protocol, port: l.endpoint?.localPort ?? 0, address: l.endpoint?.localAddress ?? '',
        sdpRemote: l.sdpRemote ? { ...l.sdpRemote } : null, direction: l.direction, ptime: l.ptime, ptimeOut: l.ptimeOut,
        codec: l.codec ? { encoding: l.codec.codec.encoding, clockRate: l.codec.codec.clockRate, channels: l.codec.codec.channels, pt: l.codec.pt, dtmfPt: l.codec.dtmfPt } : null,
        sdesIn: l.security.sdesIn.map(cryptoToJson), sdesOut: l.security.sdesOut.map(cryptoToJson), dtls: l.security.dtls,
        ...srtpOf(l),
      })),
    });
    const mixer = call.mixer;
    const st = mixer && !mixer.isClosed ? mixer.streamState?.(p.tag) : null;
    const leg = p.mixableLeg();
    if (st && leg?.codec) {
      streams.push({ tag: p.tag, ssrc: st.ssrc, seq: st.seq, ts: st.ts, wallMs: now, clockRate: leg.codec.codec.clockRate, ptimeMs: leg.ptimeOut ?? leg.ptime ?? 20 });
    }
  }
  for (const s of call.sessions.values()) {
    const offer = call.participant(s.tag)?.supervisorOffer ?? null;
    sessions.push({
      tag: s.tag, agentTag: s.agentTag, customerTag: s.customerTag, mode: s.mode, muted: s.muted, committed: s.committed,
      supervisor: s.supervisor, agent: s.agent, createdMs: s.createdMs, failsafeTripped: s.failsafeTripped,
      ...(s.aec !== undefined ? { aec: s.aec } : {}),
      offer: offer ? { sdp: offer.sdp, ...(offer.leg ? { leg: { ...offer.leg } } : {}) } : null,
    });
  }
  const listenGains: Array<[string, string, number]> = [];
  for (const [listener, row] of call.listenGains) for (const [source, g] of row) listenGains.push([listener, source, g]);
  return {
    v: SNAPSHOT_VERSION, callId: call.callId, createdMs: call.createdMs, takenMs: now, answered: call.answered,
    signalling: call.signalLog.map((e): SignalRecord => (e.op === 'deleteBranch' ? { ...e } : { op: e.op, params: ngParamsToJson(e.params), ports: [...e.ports] })),
    participants, sessions, listenGains, promptGains: [...call.promptGains], streams,
    recording: extras.recording === true, promptsPlaying: call.mixer && !call.mixer.isClosed && call.mixer.hasPrompts() ? 1 : 0,
    switches: switchesState(call),
  };
}

function srtpOf(l: MediaLeg): { srtp?: { rx: SrtpStreamState[]; tx: SrtpStreamState[] } } {
  if (!l.security.sdes || l.security.dtls || !l.endpoint || l.endpoint.isClosed) return {};
  const st = l.endpoint.srtpStreams();
  return st && (st.rx.length > 0 || st.tx.length > 0) ? { srtp: st } : {};
}

const lastSrtpRefresh = new WeakMap<Call, number>();

/** How often a call's SRTP stream state (ROC) is refreshed in its snapshot when nothing else changes, ms. */
export const SRTP_REFRESH_MS = 60_000;

/**
 * Whether the cluster's periodic refresh should re-snapshot `call` now (it calls this every second or so):
 * a call with a mixer every time (stream anchors), an SDES call every SRTP_REFRESH_MS (its ROC: an estimate
 * from a snapshot is right while fewer than 32768 packets, ≈ 11 min at 20 ms, passed since).
 */
export function wantsRefresh(call: Call, hasMixer: boolean): boolean {
  if (hasMixer) return true;
  let sdes = false;
  for (const p of call.participants.values()) for (const l of p.legs) if (l.security.sdes && !l.security.dtls && l.endpoint) sdes = true;
  if (!sdes) return false;
  const now = Date.now();
  const last = lastSrtpRefresh.get(call);
  if (last === undefined) {
    lastSrtpRefresh.set(call, now);
    return false;
  }
  if (now - last < SRTP_REFRESH_MS) return false;
  lastSrtpRefresh.set(call, now);
  return true;
}

function cryptoToJson(c: SdesCrypto): CryptoSnapshot {
  return {
    tag: c.tag, suite: c.suite, key: c.key.toString('base64'), salt: c.salt.toString('base64'), lifetime: c.lifetime,
    mki: c.mki ? { ...c.mki } : null, unencryptedSrtp: c.unencryptedSrtp, unencryptedSrtcp: c.unencryptedSrtcp, unauthenticatedSrtp: c.unauthenticatedSrtp,
  };
}

export function cryptoFromJson(c: CryptoSnapshot): SdesCrypto {
  return {
    tag: c.tag, suite: c.suite as SrtpSuite, key: Buffer.from(c.key, 'base64'), salt: Buffer.from(c.salt, 'base64'), lifetime: c.lifetime,
    mki: c.mki ? { ...c.mki } : null, unencryptedSrtp: c.unencryptedSrtp, unencryptedSrtcp: c.unencryptedSrtcp, unauthenticatedSrtp: c.unauthenticatedSrtp,
  };
}

/** NgParams -> JSON: Sets become {$set: [...]}, Buffers {$b64: "..."}; everything else is plain data already. */
export function ngParamsToJson(params: NgParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (v instanceof Set) out[k] = { $set: [...(v as Set<unknown>)] };
    else if (Buffer.isBuffer(v)) out[k] = { $b64: v.toString('base64') };
    else out[k] = v;
  }
  return out;
}

export function ngParamsFromJson(json: Record<string, unknown>): NgParams {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && '$set' in v) out[k] = new Set((v as { $set: unknown[] }).$set);
    else if (v && typeof v === 'object' && !Array.isArray(v) && '$b64' in v) out[k] = Buffer.from(String((v as { $b64: string }).$b64), 'base64');
    else out[k] = v;
  }
  return out as unknown as NgParams;
}

/** A value read back from storage is a snapshot this code can restore (version and shape). */
export function isCallSnapshot(x: unknown): x is CallSnapshot {
  if (!x || typeof x !== 'object') return false;
  const s = x as Partial<CallSnapshot>;
  return s.v === SNAPSHOT_VERSION && typeof s.callId === 'string' && Array.isArray(s.signalling) && Array.isArray(s.participants) && Array.isArray(s.sessions);
}
