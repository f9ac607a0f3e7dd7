/**
 * Takeover (issue 14): rebuild the calls of a lost node from their snapshots (src/cluster/snapshot.ts) on
 * this node, on the very media addresses and ports the lost node had, and go on relaying and mixing —
 * including a running whisper — without sending anything to the peers (they keep the SDP they have).
 *
 * How a call is rebuilt:
 *  1. The ng offers/answers that built it are replayed, in order, through the same offer()/answer() code
 *     (src/call/offerAnswer.ts): every derived object (codec stores and handlers, transcoding, rtcp-mux,
 *     ptime, relay wiring, media engine) comes out as the signalling made it. Each command's sockets are
 *     opened on the ports it opened on the lost node (SignallingContext.replayOpen -> openEndpointAt). The
 *     replies are thrown away.
 *  2. A port still held by another process (the lost node's sockets not yet reaped) is retried every
 *     20 ms for `portWaitMs`; if it stays busy, that leg is opened on a free port instead (its peer's media
 *     is lost, the rest of the call goes on) and reported in the result (failedPorts), the log and
 *     `takeoverCounters.portFailures` — never a crash.
 *  3. SDES: whisperd's own keys (the a=crypto it sent, sdesOut) are random per offer; the snapshot's keys
 *     (both directions) are put back and re-applied, so the peers' keys still match. The SRTP rollover
 *     counter goes on: the snapshot holds per SSRC the highest SRTP index (ROC << 16 | seq) and SRTCP index
 *     of each SDES context, read off the packet path whenever the call is snapshotted (on every change, every
 *     second with a mixer, every SRTP_REFRESH_MS otherwise); the new contexts are seeded with them before
 *     use (an estimate from the seed is right while < 32768 packets passed since it was read).
 *  4. DTLS legs are rebuilt with a new DTLS session: keys cannot be carried over (rtpengine cannot
 *     either). Their media is dropped until the peer re-handshakes (a browser console reconnects: ICE
 *     restart / re-offer through the supervise API with the same tag, which keeps the session and mode).
 *  5. Supervision sessions are recreated from the supervisor phone's last offer (prepareSupervisorAnswer on
 *     the recorded ports), with mode, mute, failsafe state, identities, aec, committed; the mixer is made
 *     by engine.sync like at a supervise.
 *  6. Streams whisperd generates (mixer outputs) continue with the same SSRC; seq/ts continue from the
 *     snapshot's anchor plus the elapsed wall time, plus a forward safety jump (phones accept forward
 *     jumps; a backward one would be discarded as old).
 *  7. Recording: the lost node's file ends at the kill; a call that was recorded starts a new file
 *     segment here. Prompts playing at the kill are dropped (noted in the takeover audit record).
 *  8. A 'takeover' audit record per call carries fromNode and toNode.
 */
import type { Logger } from '../log';
import type { CallRegistry } from '../call/CallRegistry';
import type { Call } from '../call/Call';
import type { MediaEngine } from '../call/MediaEngine';
import { answer, deleteBranch, offer, type SignallingContext } from '../call/offerAnswer';
import { Participant } from '../call/Participant';
import { applyLegSecurity, continueSdesStreams } from '../call/legSecurity';
import { restoreSwitches, setMediaSwitch } from '../call/mediaSwitches';
import { openEndpoint, openEndpointAt, PortBusyError } from '../media/openEndpoint';
import type { RtpEndpoint } from '../media/RtpEndpoint';
import type { AuditInput } from '../supervision/AuditLog';
import { prepareSupervisorAnswer } from '../supervision/supervisorLeg';
import { agentLegCodec } from '../supervision/SupervisionService';
import { isSupervisionMode, type SupervisionSession } from '../supervision/types';
import type { LegOptions } from '../call/legOptions';
import { cryptoFromJson, isCallSnapshot, ngParamsFromJson, type CallSnapshot, type ParticipantSnapshot } from './snapshot';

export interface RestoreDeps {
  registry: CallRegistry;
  signalling: SignallingContext;
  engine: MediaEngine;
  /** Only append() is used (AuditLog). */
  audit: { append(rec: AuditInput): Promise<unknown> };
  log: Logger;
  /** This node's id (cluster.node). */
  nodeId: string;
  /** RecordingService: a recorded call starts a new file segment here. */
  recording?: { start(call: Call, source: 'ng', via: string): string | undefined };
  /** How long a port still held by another process is retried (default 3000 ms). */
  portWaitMs?: number;
  /** Forward safety jump of generated streams, in ms of media (default 200). */
  streamJumpMs?: number;
}

export interface TakeoverResult {
  callId: string;
  ok: boolean;
  /** Ports that could not be bound (their legs run on other ports: the peers' media there is lost). */
  failedPorts: number[];
  sessions: number;
  /** Wall ms this call's restore took. */
  ms: number;
  error?: string;
}

/** Counters for /metrics (cluster core exports them). */
export const takeoverCounters = { calls: 0, failed: 0, portFailures: 0, sessions: 0, srtpStreams: 0 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Restore every snapshot here; one call failing does not stop the others. Never throws. */
export async function takeOver(deps: RestoreDeps, snapshots: readonly unknown[], ctx: { fromNode: string }): Promise<TakeoverResult[]> {
  const out: TakeoverResult[] = [];
  for (const s of snapshots) {
    if (!isCallSnapshot(s)) {
      deps.log.error({ fromNode: ctx.fromNode }, 'takeover: not a v1 call snapshot, skipped');
      takeoverCounters.failed++;
      out.push({ callId: String((s as { callId?: unknown } | null)?.callId ?? ''), ok: false, failedPorts: [], sessions: 0, ms: 0, error: 'not a v1 call snapshot' });
      continue;
    }
    out.push(await restoreCall(deps, s, ctx.fromNode));
  }
  return out;
}

/** Restore one call (see the file comment). Never throws: a failure closes what was made and is reported. */
export async function restoreCall(deps: RestoreDeps, snap: CallSnapshot, fromNode: string): Promise<TakeoverResult> {
  const t0 = performance.now();
  const failedPorts: number[] = [];
  const result = (ok: boolean, sessions: number, error?: string): TakeoverResult => ({
    callId: snap.callId, ok, failedPorts, sessions, ms: performance.now() - t0, ...(error !== undefined ? { error } : {}),
  });
  if (deps.registry.get(snap.callId)) {
    takeoverCounters.failed++;
    return result(false, 0, 'call exists on this node');
  }
  const wait = deps.portWaitMs ?? 3000;
  const opener = (ports: number[]) => async (address: string): Promise<RtpEndpoint> => openRecorded(deps, ports, address, wait, failedPorts);
  let call: Call | undefined;
  try {
    // The call exists before the replay, with its media blocked: a packet arriving while the call is half
    // rebuilt (relay wired, supervisor and mixer not yet) must not be relayed raw to the agent (a foreign
    // SSRC in its stream). Unblocked once everything, stream continuity included, is in place.
    call = deps.registry.getOrCreate(snap.callId, { restore: true }); // (no session or load limit: rtpengine restores foreign calls regardless)
    setMediaSwitch(call, null, 'blockMedia', true, false);
    for (const entry of snap.signalling) {
      if (entry.op === 'deleteBranch') {
        const a = call.participant(entry.fromTag);
        if (a) deleteBranch(deps.signalling, call, a, entry.viaBranch);
        continue;
      }
      const ctx: SignallingContext = { ...deps.signalling, replayOpen: opener([...(entry.ports ?? [])]) };
      const params = ngParamsFromJson(entry.params);
      if (entry.op === 'offer') await offer(ctx, params);
      else await answer(ctx, params);
    }
    if (call.closed || deps.registry.get(snap.callId) !== call) throw new Error('the call closed during the replay');
    call.createdMs = snap.createdMs;
    restoreKeys(deps, call, snap.participants);
    const sessions = await restoreSessions(deps, call, snap, opener);
    for (const [listener, source, g] of snap.listenGains) {
      let row = call.listenGains.get(listener);
      if (!row) call.listenGains.set(listener, (row = new Map()));
      row.set(source, g);
    }
    for (const [tag, g] of snap.promptGains) call.promptGains.set(tag, g);
    deps.engine.sync(call);
    continueStreams(deps, call, snap);
    // Media flows again, under the switches the call had (a PCI pause stays on): one step, no gap.
    restoreSwitches(call, snap.switches ?? null);
    if (snap.recording && deps.recording) deps.recording.start(call, 'ng', 'takeover');
    call.touch();
    takeoverCounters.calls++;
    takeoverCounters.sessions += sessions;
    if (failedPorts.length > 0) deps.log.error({ callId: snap.callId, failedPorts }, 'takeover: ports still busy, those legs moved to other ports (their media is lost)');
    await auditTakeover(deps, snap, fromNode, failedPorts, sessions, performance.now() - t0);
    return result(true, sessions);
  } catch (err) {
    takeoverCounters.failed++;
    deps.log.error({ err, callId: snap.callId, fromNode }, 'takeover: call could not be restored');
    const c = call ?? deps.registry.get(snap.callId);
    if (c) deps.registry.destroy(c, 'error');
    return result(false, 0, String(err instanceof Error ? err.message : err));
  }
}

/** Open the next recorded port (retrying while another process holds it), or a free one. */
async function openRecorded(deps: RestoreDeps, ports: number[], address: string, waitMs: number, failed: number[]): Promise<RtpEndpoint> {
  const pool = deps.signalling.pool;
  const port = ports.shift();
  if (port === undefined || port === 0) return openEndpoint(pool, address);
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      return await openEndpointAt(pool, address, port);
    } catch (err) {
      if (!(err instanceof PortBusyError) || performance.now() >= deadline) {
        failed.push(port);
        takeoverCounters.portFailures++;
        deps.log.warn({ port, address, err: String(err) }, 'takeover: recorded port unavailable, leg opened on another port');
        return openEndpoint(pool, address);
      }
    }
    await sleep(20);
  }
}

/** Put back the SDES keys of the snapshot (whisperd's own ones are random per offer) and re-apply them. */
function restoreKeys(deps: RestoreDeps, call: Call, parts: readonly ParticipantSnapshot[]): void {
  for (const ps of parts) {
    const p = call.participant(ps.tag);
    if (!p) continue;
    let changed = false;
    for (const ls of ps.legs) {
      const leg = p.legs[ls.index];
      if (!leg || (ls.sdesIn.length === 0 && ls.sdesOut.length === 0)) continue;
      leg.security.sdesIn = ls.sdesIn.map(cryptoFromJson);
      leg.security.sdesOut = ls.sdesOut.map(cryptoFromJson);
      changed = true;
    }
    if (changed) applyLegSecurity(p, deps.log);
    // The rollover counters (and SRTCP indexes) go on where the lost node left them. What whisperd sends
    // gets a forward margin on its SRTCP index (never an index twice under one key).
    for (const ls of ps.legs) {
      const leg = p.legs[ls.index];
      if (!leg || !ls.srtp) continue;
      const tx = ls.srtp.tx.map((x) => ({ ...x, rtcpIndex: x.rtcpIndex > 0 ? x.rtcpIndex + SRTCP_MARGIN : 0 }));
      if (continueSdesStreams(leg, { rx: ls.srtp.rx, tx }, deps.log)) takeoverCounters.srtpStreams += ls.srtp.rx.length + tx.length;
    }
  }
}

/** Forward jump of whisperd's own SRTCP index at a takeover (RTCP goes every few seconds: far more than enough). */
const SRTCP_MARGIN = 1000;

async function restoreSessions(
  deps: RestoreDeps,
  call: Call,
  snap: CallSnapshot,
  opener: (ports: number[]) => (address: string) => Promise<RtpEndpoint>,
): Promise<number> {
  let n = 0;
  for (const ss of snap.sessions) {
    if (!ss.offer || !isSupervisionMode(ss.mode)) {
      deps.log.warn({ callId: snap.callId, tag: ss.tag }, 'takeover: supervision session without a recorded offer, not restored');
      continue;
    }
    const agent = call.participant(ss.agentTag);
    const ps = snap.participants.find((x) => x.tag === ss.tag);
    const ports = ps ? ps.legs.filter((l) => l.port !== 0).map((l) => l.port) : [];
    const p = new Participant(ss.tag);
    p.role = 'supervisor';
    if (ps) p.label = ps.label;
    const ctx: SignallingContext = { ...deps.signalling, replayOpen: opener(ports) };
    const leg = ss.offer.leg as LegOptions | undefined;
    try {
      const prepared = await prepareSupervisorAnswer(ctx, call, p, ss.offer.sdp, leg, agentLegCodec(agent));
      prepared.commit();
    } catch (err) {
      deps.registry.releasePorts(p.close());
      deps.log.error({ err, callId: snap.callId, tag: ss.tag }, 'takeover: supervisor leg could not be restored');
      continue;
    }
    p.supervisorOffer = { sdp: ss.offer.sdp, leg };
    call.participants.set(p.tag, p);
    const session: SupervisionSession = {
      tag: ss.tag, agentTag: ss.agentTag, customerTag: ss.customerTag, mode: ss.mode, committed: ss.committed, muted: ss.muted,
      callId: call.callId, supervisor: ss.supervisor, agent: ss.agent, createdMs: ss.createdMs, failsafeTripped: ss.failsafeTripped,
      ...(ss.aec !== undefined ? { aec: ss.aec } : {}),
    };
    call.sessions.set(p.tag, session);
    n++;
  }
  restoreKeys(deps, call, snap.participants.filter((x) => x.role === 'supervisor'));
  return n;
}

/**
 * The mixer's own streams go on where the lost node left them: same SSRC; seq and ts from the anchor plus
 * the wall time since it was read, plus a forward jump (streamJumpMs) so that no number the lost node may
 * have sent after the anchor is repeated.
 */
function continueStreams(deps: RestoreDeps, call: Call, snap: CallSnapshot): void {
  const mixer = call.mixer;
  if (!mixer || !mixer.setStreamState || snap.streams.length === 0) return;
  const jump = deps.streamJumpMs ?? 200;
  const now = Date.now();
  for (const a of snap.streams) {
    const ms = Math.max(0, now - a.wallMs) + jump;
    const ptime = a.ptimeMs > 0 ? a.ptimeMs : 20;
    const seq = (a.seq + Math.ceil(ms / ptime)) & 0xffff;
    const ts = (a.ts + Math.round((ms * a.clockRate) / 1000)) >>> 0;
    if (!mixer.setStreamState(a.tag, a.ssrc, seq, ts)) deps.log.warn({ callId: call.callId, tag: a.tag }, 'takeover: no mixer output to continue the stream on');
  }
}

async function auditTakeover(deps: RestoreDeps, snap: CallSnapshot, fromNode: string, failedPorts: number[], sessions: number, restoreMs: number): Promise<void> {
  const rec: AuditInput = {
    event: 'takeover', callId: snap.callId, reason: `node ${fromNode} lost`, source: 'cluster',
    details: {
      fromNode, toNode: deps.nodeId, sessions, snapshotAgeMs: Date.now() - snap.takenMs, restoreMs: Math.round(restoreMs * 10) / 10,
      ...(failedPorts.length > 0 ? { failedPorts } : {}),
      ...(snap.promptsPlaying > 0 ? { promptsDropped: snap.promptsPlaying } : {}),
      ...(snap.recording ? { recording: 'new segment' } : {}),
      dtlsLegs: snap.participants.reduce((n, p) => n + p.legs.filter((l) => l.dtls).length, 0),
    },
  };
  try {
    await deps.audit.append(rec);
  } catch (err) {
    deps.log.error({ err, callId: snap.callId }, 'takeover: audit record failed (the call is carried anyway)');
  }
}
