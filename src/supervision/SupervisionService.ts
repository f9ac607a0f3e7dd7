/**
 * Supervision: supervisors joining agents' calls in listen, whisper, barge or page mode, driven by ng
 * (`supervise`, or `offer` with a `supervise` key), the HTTP API and DTMF (each translates into a
 * SuperviseRequest at its edge). Every operation is checked against the policy and against what the
 * mixer can deliver (codecs), audited (durably, before the command is answered) and published on the
 * event bus. The state lives on the Call (sessions, gains); the media engine derives the matrix from it
 * (matrix.callMatrix) and decides the media path.
 *
 * Rules: an action that cannot be audited does not happen (rolled back, "Audit log unavailable");
 * after every await the call (and session) is checked again — a command racing a delete fails with
 * "Unknown call-id" and undoes what it did; leaving is never refused.
 *
 * Error texts are part of the contract: "Unknown call-id", "Unknown agent-tag", "Not permitted",
 * "Target is in a conference", "No active call for target", "Operation not allowed on a whisper page",
 * "Cannot mix codec <name>", "No audio to mix", "Audit log unavailable".
 */
import type { Call } from '../call/Call';
import type { CallRegistry } from '../call/CallRegistry';
import { requireAlive, type SignallingContext } from '../call/offerAnswer';
import { Participant } from '../call/Participant';
import {
  AuditUnavailableError,
  BadRequestError,
  CallNotFoundError,
  ConflictError,
  InvalidStateError,
  MissingKeyError,
  NotPermittedError,
  TagNotFoundError,
  UnsupportedError,
} from '../errors';
import type { Logger } from '../log';
import { MediaEngine } from '../call/MediaEngine';
import type { CallMedia } from '../mix/types';
import { loadPrompt } from '../prompts/wav';
import { PromptPlayer } from '../prompts/PromptPlayer';
import { pageTone } from '../prompts/tones';
import type { AuditInput, AuditLog, AuditSource } from './AuditLog';
import type { EventBus } from './EventBus';
import type { Policy } from './policy';
import { aecRunning, isSupervisionMode, type SuperviseRequest, type SuperviseResult, type SupervisionMode, type SupervisionSession } from './types';
import type { DtmfControl } from './DtmfControl';
import { prepareSupervisorAnswer, UnmixableCodecError, type PreparedSupervisorAnswer } from './supervisorLeg';
import type { RtpView } from '../media/rtp';

export type { SupervisionSession, SuperviseRequest, SuperviseResult } from './types';

export interface SupervisionDeps {
  registry: CallRegistry;
  signalling: SignallingContext;
  engine: MediaEngine;
  policy: Policy;
  audit: AuditLog;
  events: EventBus;
  log: Logger;
  pageToneEnabled: boolean;
  dtmf: DtmfControl;
}

export class SupervisionService {
  /** The stop records written when a call ended under its supervisors (a delete waits for them). */
  private readonly endRecords = new WeakMap<Call, Promise<void>>();
  /** Counters for /metrics. */
  readonly counters = { denied: 0, failsafe: 0, modeChanges: 0, started: 0, stopped: 0, auditFailures: 0 };
  /**
   * The coaching recording of a supervisor's session (src/recording, set by the daemon): its file name
   * rides on the session's 'start' record (`starting`: the file the session is about to get) and 'stop'
   * records as details.coaching. undefined: not recorded.
   */
  coachingFile: ((call: Call, supervisorTag: string, starting: boolean) => string | undefined) | null = null;

  private coachingDetails(call: Call, tag: string, starting: boolean, details?: Record<string, unknown>): { details?: Record<string, unknown> } {
    const coaching = this.coachingFile?.(call, tag, starting);
    const d = coaching !== undefined ? { ...details, coaching } : details;
    return d !== undefined ? { details: d } : {};
  }

  constructor(private readonly d: SupervisionDeps) {
    d.engine.on('mixerCreated', (call, mixer) => this.attachMixer(call, mixer));
    d.dtmf.on('key', (call, tag, action) => {
      this.onDtmfAction(call, tag, action).catch((err: unknown) => this.d.log.warn({ callId: call.callId, tag, action, err }, 'dtmf action failed'));
    });
    d.registry.on('callClosed', (call, reason) => {
      // The call (and the supervisors' participants and mixer) closed itself; what is left here is the
      // record: its sessions stay readable on the dead Call.
      if (call.sessions.size > 0) {
        const records: Array<Promise<void>> = [];
        for (const session of call.sessions.values()) {
          // The call ended under the supervisor (delete, BYE, timeout): audited like any other stop. A
          // delete is answered once these are durable (stopRecords); a write failure is logged and counted.
          records.push(
            this.auditStanding({
              event: 'stop', callId: call.callId, supervisorTag: session.tag, agentTag: session.agentTag,
              supervisor: session.supervisor, agent: session.agent, oldMode: session.mode, newMode: null,
              reason: `call ended (${reason})`, source: 'ng', ...this.coachingDetails(call, session.tag, false),
            }),
          );
          if (session.committed) this.publishStop(session, `call ended (${reason})`);
        }
        this.endRecords.set(call, Promise.all(records).then(() => undefined));
      }
    });
  }

  /**
   * Settles once the stop records of the supervisors a closed call had are durable (or have failed,
   * which is logged and counted): a delete is answered only after them. Resolves at once otherwise.
   */
  stopRecords(call: Call): Promise<void> {
    return this.endRecords.get(call) ?? Promise.resolve();
  }

  sessionsOf(call: Call): SupervisionSession[] {
    return [...call.sessions.values()];
  }

  session(call: Call, tag: string): SupervisionSession | undefined {
    return call.sessions.get(tag);
  }

  /** Sessions of every live call. */
  allSessions(): SupervisionSession[] {
    const out: SupervisionSession[] = [];
    for (const call of this.d.registry.all()) out.push(...call.sessions.values());
    return out;
  }

  private attachMixer(call: Call, mixer: CallMedia): void {
    mixer.dtmfListener = { onDtmf: (tag: string, buf: Buffer, view: RtpView, fromLatched: boolean) => this.d.dtmf.onPacket(call, tag, buf, view, fromLatched) };
    for (const [tag, g] of call.promptGains) {
      const o = mixer.output(tag);
      if (o) o.promptGain = g;
    }
  }

  private requireCall(callId: string | undefined, mode?: string): Call {
    if (!callId) throw new MissingKeyError('No call-id in message');
    const call = this.d.registry.get(callId);
    if (!call || call.deleteTimer) throw new CallNotFoundError(mode === 'page' ? 'No active call for target' : 'Unknown call-id');
    return call;
  }

  private talkingParties(call: Call): number {
    let n = 0;
    for (const p of call.participants.values()) if (p.role === 'party' && p.hasSdp) n++;
    for (const s of this.sessionsOf(call)) if (s.mode === 'barge' || s.mode === 'page') n++;
    return n;
  }

  /**
   * Append an audit record durably, or fail with AuditUnavailableError ("Audit log unavailable"): the
   * caller must then leave (or put back) everything as it was before the command.
   */
  private async audit(rec: AuditInput): Promise<void> {
    try {
      await this.d.audit.append(rec);
    } catch (err) {
      this.counters.auditFailures++;
      this.d.log.error({ err, callId: rec.callId, event: rec.event }, 'audit append failed: action refused');
      throw new AuditUnavailableError({ cause: err });
    }
  }

  /** audit() for what stands whether or not it is recorded (a stop, a failsafe): a failure is logged and counted there, never thrown. */
  private auditStanding(rec: AuditInput): Promise<void> {
    return this.audit(rec).catch(() => undefined);
  }

  /** Refuse, audited as a denial ('denied' record and event) with `reason`; throws `error`. */
  private async deny(
    call: Call,
    req: { supervisorTag?: string; agentTag?: string; supervisor?: string; agent?: string },
    mode: string,
    oldMode: string | null,
    reason: string,
    source: AuditSource,
    error: Error = new NotPermittedError(),
  ): Promise<never> {
    await this.audit({
      event: 'denied', callId: call.callId, supervisorTag: req.supervisorTag, agentTag: req.agentTag,
      supervisor: req.supervisor, agent: req.agent, oldMode, newMode: mode, reason, source,
    });
    this.counters.denied++;
    this.d.events.publish({ type: 'denied', callId: call.callId, supervisorTag: req.supervisorTag, mode, reason });
    throw error;
  }

  /** Start supervising, or change an existing supervisor's mode. */
  async supervise(req: SuperviseRequest): Promise<SuperviseResult> {
    const mode = req.mode?.toLowerCase();
    if (!mode || !isSupervisionMode(mode)) throw new BadRequestError('Invalid supervise mode: expected listen, whisper, barge or page');
    const call = this.requireCall(req.callId, mode);
    if (!req.supervisorTag) throw new MissingKeyError('No from-tag in message');
    const existing = this.session(call, req.supervisorTag);
    if (existing) return this.changeMode(call, existing, mode, req);
    const clash = call.participant(req.supervisorTag);
    if (clash) throw new ConflictError('from-tag is already a party of this call');
    if (!req.agentTag) throw new MissingKeyError('No agent-tag in message');
    const agent = call.participant(req.agentTag);
    if (!agent || agent.role !== 'party') throw new TagNotFoundError('Unknown agent-tag');
    const customer = agent.peer;
    if (!customer || !agent.hasSdp || !customer.hasSdp) throw new CallNotFoundError(mode === 'page' ? 'No active call for target' : 'Unknown agent-tag');
    if (!req.sdp) throw new MissingKeyError('No SDP body in message');
    if (mode === 'page' && this.talkingParties(call) > 2) throw new ConflictError('Target is in a conference');
    const decision = this.d.policy.check(mode, req.supervisor, req.agent);
    if (!decision.permitted) await this.deny(call, req, mode, null, decision.reason, req.source);
    // Every mode needs a mix (the supervisor hears customer + agent; whisper/barge/page add the
    // supervisor): a call whose codec whisperd cannot decode/encode is refused, never a silent whisper.
    await this.requireMixable(call, req, mode, null, agent, customer);

    // The participant joins the call only once its sockets exist: a call closed meanwhile (delete, BYE,
    // timeout) cannot have closed it, so its ports are given back here and nothing is left behind.
    const p = new Participant(req.supervisorTag);
    p.role = 'supervisor';
    const session: SupervisionSession = {
      tag: p.tag, agentTag: agent.tag, customerTag: customer.tag, mode, committed: false, muted: false,
      callId: call.callId, supervisor: req.supervisor, agent: req.agent, createdMs: Date.now(), failsafeTripped: false,
      ...(req.aec !== undefined ? { aec: req.aec } : {}),
    };
    let sdp: string;
    try {
      // A new participant: on failure all its sockets are closed below.
      const prepared = await prepareSupervisorAnswer(this.d.signalling, call, p, req.sdp, req.leg, agentLegCodec(agent));
      prepared.commit();
      p.supervisorOffer = { sdp: req.sdp, leg: req.leg }; // (takeover replay)
      sdp = prepared.sdp;
      requireAlive(call);
      if (call.participant(p.tag)) throw new ConflictError('from-tag is already a party of this call');
    } catch (err) {
      this.d.registry.releasePorts(p.close());
      if (err instanceof UnmixableCodecError) await this.deny(call, req, mode, null, err.message, req.source, err);
      throw err;
    }
    call.participants.set(p.tag, p);
    call.sessions.set(p.tag, session);
    const hadMixer = this.d.engine.mixer(call) !== undefined;
    // The supervisor's mic stays closed (uncommitted) while the media path is built, then opens.
    this.d.engine.sync(call);
    try {
      await this.audit({
        event: 'start', callId: call.callId, supervisorTag: p.tag, agentTag: agent.tag, supervisor: req.supervisor,
        agent: req.agent, oldMode: null, newMode: mode, source: req.source, ...this.coachingDetails(call, p.tag, true, req.aec !== undefined ? { aec: req.aec } : undefined),
      });
    } catch (err) {
      // Not audited = not done: the supervisor, its ports, its session and a mixer made for it go.
      this.undoStart(call, p, session, hadMixer);
      throw err;
    }
    if (call.closed) {
      // Deleted while the start record was being written: the call's close took the participant, its
      // ports and the mixer; the start record is followed by the call-end stop record.
      this.undoStart(call, p, session, hadMixer);
      throw new CallNotFoundError();
    }
    session.committed = true;
    this.d.engine.sync(call);
    if (mode === 'page' && this.d.pageToneEnabled) this.playTone(call, [p.tag, agent.tag]);
    this.counters.started++;
    call.touch();
    this.d.events.publish({ type: 'started', callId: call.callId, supervisorTag: p.tag, agentTag: agent.tag, mode, supervisor: req.supervisor, agent: req.agent });
    return { sdp, mode, session };
  }

  /**
   * Refuse (audited denial, "Cannot mix codec X") when the audio of a party the mode needs cannot be
   * decoded/encoded by whisperd, or a party has no audio leg a mixer could use ("No audio to mix").
   */
  private async requireMixable(
    call: Call,
    req: { supervisorTag?: string; agentTag?: string; supervisor?: string; agent?: string; source: AuditSource },
    mode: SupervisionMode,
    oldMode: SupervisionMode | null,
    ...parties: Array<Participant | undefined>
  ): Promise<void> {
    for (const p of parties) {
      if (!p) continue;
      const codec = p.unmixableCodec();
      if (codec !== null) {
        const err = new UnmixableCodecError(codec);
        await this.deny(call, req, mode, oldMode, err.message, req.source, err);
      }
      if (!p.mixableLeg()) {
        const err = new UnsupportedError('No audio to mix');
        await this.deny(call, req, mode, oldMode, err.message, req.source, err);
      }
    }
  }

  /** Take back a supervisor whose start could not be completed (nothing was published for it). */
  private undoStart(call: Call, p: Participant, session: SupervisionSession, hadMixer: boolean): void {
    if (call.sessions.get(p.tag) === session) call.sessions.delete(p.tag);
    this.d.registry.releasePorts(call.removeParticipant(p)); // (drops its gains and DTMF state too)
    this.d.engine.sync(call); // (on a closed call: releases the mixer)
    if (!hadMixer) this.d.engine.releaseIfIdle(call);
  }

  /** After an await: the call and this very session must still exist. */
  private requireSession(call: Call, s: SupervisionSession): void {
    requireAlive(call);
    if (this.session(call, s.tag) !== s) throw new TagNotFoundError("Call-ID not found or tags didn't match");
  }

  private async changeMode(call: Call, s: SupervisionSession, mode: SupervisionMode, req: SuperviseRequest): Promise<SuperviseResult> {
    if (s.mode === 'page' || mode === 'page') throw new InvalidStateError('Operation not allowed on a whisper page');
    const who = { ...req, agentTag: s.agentTag }; // (denials name the session's agent)
    const decision = this.d.policy.check(mode, req.supervisor ?? s.supervisor, req.agent ?? s.agent);
    if (!decision.permitted) await this.deny(call, who, mode, s.mode, decision.reason, req.source);
    // The call's codecs may have changed since the start (re-INVITE): the new mode must be deliverable.
    await this.requireMixable(call, who, mode, s.mode, call.participant(s.agentTag), call.participant(s.customerTag), call.participant(s.tag));
    const old = s.mode;
    // A re-offer of the supervisor's phone is prepared (sockets for new lines) but applied only once
    // the mode record is durable: a refused command leaves the leg as it was.
    let prepared: PreparedSupervisorAnswer | undefined;
    try {
      if (req.sdp) {
        const p = call.participant(s.tag)!;
        prepared = await prepareSupervisorAnswer(this.d.signalling, call, p, req.sdp, req.leg, agentLegCodec(call.participant(s.agentTag)));
        this.requireSession(call, s);
      }
      await this.audit({
        event: 'mode', callId: call.callId, supervisorTag: s.tag, agentTag: s.agentTag, supervisor: s.supervisor,
        agent: s.agent, oldMode: old, newMode: mode, source: req.source,
      });
      this.requireSession(call, s);
    } catch (err) {
      prepared?.rollback();
      if (err instanceof UnmixableCodecError) await this.deny(call, who, mode, s.mode, err.message, req.source, err);
      throw err;
    }
    prepared?.commit();
    if (prepared && req.sdp) call.participant(s.tag)!.supervisorOffer = { sdp: req.sdp, leg: req.leg }; // (takeover replay)
    const sdp = prepared?.sdp;
    s.mode = mode;
    s.failsafeTripped = false;
    this.counters.modeChanges++;
    this.d.engine.sync(call);
    call.touch();
    this.d.events.publish({ type: 'mode', callId: call.callId, supervisorTag: s.tag, oldMode: old, mode });
    return sdp === undefined ? { mode, session: s } : { sdp, mode, session: s };
  }

  /** Remove one supervisor; the customer-agent call goes on. */
  async remove(call: Call, tag: string, reason: string, source: AuditSource): Promise<void> {
    const s = this.session(call, tag);
    const p = call.participant(tag);
    if (!s || !p) throw new TagNotFoundError("Call-ID not found or tags didn't match");
    call.sessions.delete(tag);
    this.d.registry.releasePorts(call.removeParticipant(p));
    this.d.engine.sync(call);
    // Leaving is never refused (a supervisor who cannot be audited must not stay on the call): the
    // removal stands, a failed stop record is logged and counted (audit() does both).
    await this.auditStanding({
      event: 'stop', callId: call.callId, supervisorTag: tag, agentTag: s.agentTag, supervisor: s.supervisor,
      agent: s.agent, oldMode: s.mode, newMode: null, reason, source, ...this.coachingDetails(call, tag, false),
    });
    this.publishStop(s, reason);
  }

  private publishStop(s: SupervisionSession, reason: string): void {
    this.counters.stopped++;
    this.d.events.publish({ type: 'stopped', callId: s.callId, supervisorTag: s.tag, agentTag: s.agentTag, mode: s.mode, reason });
  }

  /**
   * Switch a session's echo canceller (HTTP / ng `aec` for a supervisor already in the call; a new session
   * takes it with its start record): audited first (an 'aec' record, reason 'aec on'/'aec off',
   * details.aec) — not audited, not done — then applied by a media sync. Nothing happens when the session
   * already says so.
   */
  async setAec(call: Call, s: SupervisionSession, on: boolean, source: AuditSource): Promise<void> {
    if (s.aec === on) return;
    await this.audit({
      event: 'aec', callId: call.callId, supervisorTag: s.tag, agentTag: s.agentTag, supervisor: s.supervisor, agent: s.agent,
      oldMode: s.mode, newMode: s.mode, reason: on ? 'aec on' : 'aec off', source, details: { aec: on, previous: s.aec ?? null },
    });
    this.requireSession(call, s);
    s.aec = on;
    this.d.engine.sync(call);
  }

  /** Whisper page mute: the agent speaks only to the initiator (the customer hears silence). */
  async setMute(call: Call, tag: string | undefined, muted: boolean | 'toggle', source: AuditSource): Promise<SupervisionSession> {
    const s = this.sessionsOf(call).find((x) => x.mode === 'page' && (tag === undefined || x.tag === tag || x.agentTag === tag));
    if (!s) throw new InvalidStateError('No whisper page on this call');
    const next = muted === 'toggle' ? !s.muted : muted;
    await this.audit({
      event: 'mute', callId: call.callId, supervisorTag: s.tag, agentTag: s.agentTag, supervisor: s.supervisor,
      agent: s.agent, oldMode: s.mode, newMode: s.mode, reason: next ? 'muted' : 'unmuted', source,
    });
    this.requireSession(call, s);
    s.muted = next;
    this.d.engine.sync(call);
    this.d.events.publish({ type: 'mute', callId: call.callId, supervisorTag: s.tag, agentTag: s.agentTag, muted: next });
    return s;
  }

  /** Failsafe: close the whisper (S -> A to 0) and revert to listen, or remove the supervisor. */
  async failsafe(call: Call, tag: string, measured: { levelDb: number; delayMs: number; confidence: number; kind: 'acoustic' | 'digital' }, action: 'listen' | 'remove'): Promise<void> {
    const s = this.session(call, tag);
    if (!s || s.failsafeTripped) return;
    s.failsafeTripped = true;
    const old = s.mode;
    // Close the mic first, synchronously: the audit write must not delay the protection.
    s.committed = false;
    this.d.engine.sync(call);
    this.counters.failsafe++;
    this.d.log.warn({ callId: call.callId, supervisorTag: tag, ...measured }, 'bleed failsafe: whisper torn down');
    await this.auditStanding({
      event: 'failsafe', callId: call.callId, supervisorTag: tag, agentTag: s.agentTag, supervisor: s.supervisor, agent: s.agent,
      oldMode: old, newMode: action === 'remove' ? null : 'listen', reason: `${measured.kind} bleed ${measured.levelDb.toFixed(1)} dB at ${measured.delayMs.toFixed(0)} ms`,
      source: 'failsafe', details: { ...measured },
    }); // the protection stands whether or not it could be recorded (logged, counted)
    this.d.events.publish({ type: 'failsafe', callId: call.callId, supervisorTag: tag, ...measured, action });
    if (this.session(call, tag) !== s) return; // ended meanwhile (call deleted, supervisor left)
    if (action === 'remove') {
      await this.remove(call, tag, 'bleed failsafe', 'failsafe');
      return;
    }
    s.mode = 'listen';
    s.committed = true;
    this.d.engine.sync(call);
    this.d.events.publish({ type: 'mode', callId: call.callId, supervisorTag: tag, oldMode: old, mode: 'listen' });
  }

  /** Per-listener gain of one source it hears (customer, supervisor, or 'prompts'), in dB. */
  setListenGain(call: Call, listenerTag: string, sourceTag: string, gainDb: number): void {
    if (!call.participant(listenerTag)) throw new TagNotFoundError('Unknown tag');
    const linear = Math.pow(10, gainDb / 20);
    if (sourceTag === 'prompts') {
      call.promptGains.set(listenerTag, linear);
      const out = this.d.engine.mixer(call)?.output(listenerTag);
      if (out) out.promptGain = linear;
      return;
    }
    if (!call.participant(sourceTag)) throw new TagNotFoundError('Unknown tag');
    let row = call.listenGains.get(listenerTag);
    if (!row) call.listenGains.set(listenerTag, (row = new Map()));
    row.set(sourceTag, linear);
    this.d.engine.sync(call);
  }

  /** Play a prompt into one participant's ear only. Returns its duration in ms. */
  async playPrompt(call: Call, tag: string, media: { file?: string; blob?: Buffer; auditDetails?: Record<string, unknown> }, repeatTimes: number, source: AuditSource): Promise<number> {
    return this.playPrompts(call, [tag], media, repeatTimes, source);
  }

  /**
   * Play one prompt into several participants' ears (ng `play media` with flag `all`), all or none: every
   * participant is checked, the prompt decoded and audited before anything changes, and the prompts are
   * added together once nothing can fail any more (a failed command changes nothing). Returns the duration.
   */
  async playPrompts(call: Call, tags: readonly string[], media: { file?: string; blob?: Buffer; auditDetails?: Record<string, unknown> }, repeatTimes: number, source: AuditSource): Promise<number> {
    const check = (): void => {
      for (const tag of tags) {
        const p = call.participant(tag);
        if (!p) throw new TagNotFoundError('Unknown tag');
        if (this.session(call, tag)?.mode === 'page') throw new InvalidStateError('Operation not allowed on a whisper page');
        if (!p.mixableLeg()) throw new InvalidStateError('Participant has no audio to play into');
      }
    };
    check();
    // Everything that awaits (decoding, the audit record) happens before a mixer is made: a new mixer's
    // output would send the listener frames of silence meanwhile, and the listener's first packet must be
    // the prompt's first (rtpengine's player sends nothing before the file). The mix rate is the one
    // MediaEngine.sync picks (16 kHz when any mixable leg is wideband).
    const expectRate = this.d.engine.mixer(call)?.mixRate ?? MediaEngine.mixRateOf(call);
    let pcm = await loadPrompt(media, expectRate);
    requireAlive(call);
    const player = new PromptPlayer(pcm, expectRate, Math.max(1, repeatTimes));
    for (const tag of tags) {
      await this.audit({ event: 'prompt', callId: call.callId, supervisorTag: this.session(call, tag)?.tag, agentTag: tag, reason: media.file ?? 'blob', source, details: { ...media.auditDetails, durationMs: player.durationMs } });
    }
    requireAlive(call);
    check(); // an offer/answer may have changed a participant during the awaits
    const hadMixer = this.d.engine.mixer(call) !== undefined;
    this.d.engine.sync(call, true);
    let mixer = this.d.engine.mixer(call);
    try {
      const ready = (): boolean => mixer !== undefined && tags.every((tag) => mixer!.output(tag) !== undefined);
      if (!ready()) throw new InvalidStateError('Participant has no audio to play into');
      if (mixer!.mixRate !== expectRate) {
        pcm = await loadPrompt(media, mixer!.mixRate);
        requireAlive(call);
        check();
        mixer = this.d.engine.mixer(call);
        if (!ready()) throw new InvalidStateError('Participant has no audio to play into');
      }
      const m = mixer!;
      for (let i = 0; i < tags.length; i++) {
        if (m.addPrompt(tags[i]!, pcm, player.repeatTimes)) continue;
        // Only the mixer itself can refuse here (the outputs were checked): take back this command's prompts.
        for (let j = 0; j < i; j++) m.stopPrompts(tags[j]!);
        throw new InvalidStateError('Participant has no audio to play into');
      }
      for (const tag of tags) this.d.events.publish({ type: 'prompt', callId: call.callId, tag, durationMs: player.durationMs });
      // When the last prompt has played, a call that needs no mixer otherwise (no supervisor, no
      // transcoding) goes back to the relay path: as rtpengine's player, nothing is sent once the file
      // ended, and the peer's packets are forwarded as they come again.
      setTimeout(() => this.releaseAfterPrompts(call), player.durationMs + PROMPT_RELEASE_MARGIN_MS).unref();
      return player.durationMs;
    } catch (err) {
      // A refused prompt leaves no mixer behind that the call did not have before.
      if (!hadMixer) this.d.engine.releaseIfIdle(call);
      throw err;
    }
  }

  /** A prompt's time is up: if no prompt plays any more, release a mixer nothing else needs. */
  private releaseAfterPrompts(call: Call): void {
    const mixer = this.d.engine.mixer(call);
    if (call.closed || !mixer) return;
    if (mixer.hasPrompts()) {
      // Still playing (started late, or another prompt): look again shortly.
      setTimeout(() => this.releaseAfterPrompts(call), PROMPT_RELEASE_MARGIN_MS).unref();
      return;
    }
    this.d.engine.releaseIfIdle(call);
  }

  stopPrompt(call: Call, tag: string): number {
    if (!call.participant(tag)) throw new TagNotFoundError('Unknown tag');
    const mixer = this.d.engine.mixer(call);
    const n = mixer?.stopPrompts(tag) ?? 0;
    if (mixer && !mixer.hasPrompts()) this.d.engine.releaseIfIdle(call);
    return n;
  }

  private playTone(call: Call, tags: string[]): void {
    const mixer = this.d.engine.mixer(call);
    if (!mixer) return;
    const tone = pageTone(mixer.mixRate);
    for (const tag of tags) mixer.addPrompt(tag, tone, 1);
  }

  /** DTMF action from a supervisor (mode switch / leave) or an agent (page mute). */
  async onDtmfAction(call: Call, tag: string, action: string): Promise<void> {
    const s = this.session(call, tag);
    if (s) {
      if (action === 'leave') return this.remove(call, tag, 'dtmf leave', 'dtmf');
      if (isSupervisionMode(action) && action !== s.mode) {
        await this.supervise({ callId: call.callId, supervisorTag: tag, mode: action, source: 'dtmf' }).catch((err) =>
          this.d.log.info({ callId: call.callId, tag, action, err: (err as Error).message }, 'dtmf mode change refused'),
        );
      }
      return;
    }
    if (action === 'mute-toggle' && this.sessionsOf(call).some((x) => x.mode === 'page' && x.agentTag === tag)) {
      await this.setMute(call, tag, 'toggle', 'dtmf');
    }
  }
}

/**
 * How long after a prompt's end its mixer is checked for release: soon, since the mix output sends the
 * listener frames (silence) for as long as the mixer lives. A prompt started again before the release
 * (rtpengine's 'restart media playback') continues the listener's stream (SSRC, sequence); after it, the
 * new mixer starts a new stream (rtpengine keeps one per participant).
 */
const PROMPT_RELEASE_MARGIN_MS = 60;

/** The agent's negotiated codec: the supervisor's leg prefers it. */
export function agentLegCodec(agent: Participant | undefined) {
  return agent?.mixableLeg()?.codec ?? null;
}

/** What the APIs (HTTP, ng) report of a session's canceller: requested (null: the config default) and running. */
export function aecState(call: Call, s: SupervisionSession): { requested: boolean | null; active: boolean } {
  return { requested: s.aec ?? null, active: aecRunning(call.mixer, s) !== null };
}
