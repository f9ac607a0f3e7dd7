/**
 * Bleed monitoring for all calls: one BleedMonitor per whisper/page session, (re)bound after every media
 * sync (MediaEngine 'synced' event: session start, mode change, failsafe, removal, re-INVITE), detached
 * when the session leaves whisper/page or ends. Per call, one CallBleed — owned by the Call
 * (`call.bleed`, closed with it) — is the mixer's audio sink (CallMedia.setTaps('bleed'): the agents'
 * direct audio, the agents' and customers' mixed frames with the supervisor's contribution and raw
 * audio), fans frames out to that call's monitors and is their host. Either engine feeds it: the
 * reference engine frame by frame from its packet path, the native one in batches from its event poller.
 *
 * On a trip the failsafe runs once, outside the packet path (setImmediate):
 *   acoustic -> SupervisionService.failsafe(..., config action: listen | remove)
 *   digital  -> always 'remove' (a routing bug: no mode of this supervisor can be trusted).
 * Measurements: SupervisionSession.bleed (live object), 'bleed' events at most once per second per
 * session while a leak is detected, /metrics (metrics.ts); ng query and HTTP read session.bleed.
 */
import type { Call } from '../call/Call';
import type { CallRegistry } from '../call/CallRegistry';
import type { Config } from '../config/schema';
import { bleedLevelOffsetDb } from '../dsp/codecLevelOffset';
import { TypedEmitter } from '../events/TypedEmitter';
import type { Logger } from '../log';
import type { MediaEngine } from '../call/MediaEngine';
import type { CallMedia, EchoCancellerSpec, MixAudioSink } from '../mix/types';
import type { EventBus } from '../supervision/EventBus';
import type { SupervisionService } from '../supervision/SupervisionService';
import { aecRunning, privateToAgent, type SupervisionSession } from '../supervision/types';
import { BleedMonitor, type BleedKind, type BleedMonitorHost } from './BleedMonitor';

export interface BleedServiceDeps {
  engine: MediaEngine;
  registry: CallRegistry;
  supervision: SupervisionService;
  events: EventBus;
  config: Config['bleed'];
  log: Logger;
}

/** The per-call fan-out: mixer audio -> monitors, and the monitors' host. Owned by its Call. */
export class CallBleed implements MixAudioSink, BleedMonitorHost {
  monitors: BleedMonitor[] = [];
  readonly sessions = new Map<BleedMonitor, SupervisionSession>();

  constructor(
    readonly call: Call,
    readonly mixer: CallMedia,
    private readonly service: BleedService,
  ) {}

  measured(m: BleedMonitor): void {
    this.service.measured(m);
  }

  trip(m: BleedMonitor, kind: BleedKind): void {
    this.service.trip(this, m, kind);
  }

  onObserved(inTag: string, pcm: Int16Array, off: number, n: number, nowMs: number): void {
    const ms = this.monitors;
    try {
      for (let i = 0; i < ms.length; i++) if (ms[i]!.agentTag === inTag) ms[i]!.onObserved(pcm, off, n, nowMs);
    } catch (err) {
      this.failed(err);
    }
  }

  onMixed(outTag: string, srcTag: string, pcm: Int16Array, n: number, contrib: Int16Array | null, raw: Int16Array | null, nowMs: number): void {
    const ms = this.monitors;
    try {
      for (let i = 0; i < ms.length; i++) {
        const m = ms[i]!;
        // (One tapped source per output: a monitor of another supervisor sees "not a source".)
        const mine = m.supervisorTag === srcTag;
        if (m.agentTag === outTag) m.onReference(mine ? contrib : null, n, nowMs);
        if (m.customerTag === outTag) m.onCustomerMixed(pcm, mine ? raw : null, n);
      }
    } catch (err) {
      this.failed(err);
    }
  }

  /** A measurement bug must never break the media path: count it, report the first one. */
  private failed(err: unknown): void {
    if (this.errors++ === 0) this.service.monitorFailed(this.call, err);
  }
  errors = 0;

  /**
   * Tap exactly what the monitors use: each agent's direct audio, and the agent's and the customer's
   * outputs with the (first) monitor's supervisor as the tapped source.
   */
  install(): void {
    const observed: string[] = [];
    const taps = new Map<string, string>();
    for (const m of this.monitors) {
      if (!observed.includes(m.agentTag)) observed.push(m.agentTag);
      if (!taps.has(m.agentTag)) taps.set(m.agentTag, m.supervisorTag);
      if (!taps.has(m.customerTag)) taps.set(m.customerTag, m.supervisorTag);
    }
    if (this.mixer.isClosed) return;
    this.mixer.setTaps('bleed', this.monitors.length > 0 ? this : null, observed, taps);
  }

  /** The call closed (or its mixer was replaced): detach from the mixer, drop the monitors. Idempotent. */
  callClosed(): void {
    this.monitors = [];
    this.sessions.clear();
    this.install();
  }
}

/** The call's bleed hub: `call.bleed` holds a CallBleed or null (only this module sets it; the call sees a CallAttachment). */
function hubOf(call: Call): CallBleed | null {
  return call.bleed as CallBleed | null;
}

export interface BleedServiceEvents {
  [event: string]: unknown[];
  /** The level (dB re whisper) of each evaluation that detected a leak (metrics histogram). Not per frame. */
  level: [levelDb: number];
}

export class BleedService extends TypedEmitter<BleedServiceEvents> {
  /** Counters for /metrics. */
  readonly counters = { monitorsStarted: 0, evaluations: 0, failsafeAcoustic: 0, failsafeDigital: 0, events: 0, aecStarted: 0, aecFailures: 0 };
  constructor(private readonly d: BleedServiceDeps) {
    super();
    d.engine.on('synced', (call, mixer) => this.sync(call, mixer));
  }

  /** Active monitors (for metrics and diagnostics). */
  *monitors(): IterableIterator<BleedMonitor> {
    for (const call of this.d.registry.all()) {
      const cb = hubOf(call);
      if (cb) yield* cb.monitors;
    }
  }

  get monitorCount(): number {
    let n = 0;
    for (const call of this.d.registry.all()) n += hubOf(call)?.monitors.length ?? 0;
    return n;
  }

  /** Monitor of one supervisor's session, if attached. */
  monitor(call: Call, supervisorTag: string): BleedMonitor | undefined {
    return hubOf(call)?.monitors.find((m) => m.supervisorTag === supervisorTag);
  }

  /** Config bleed.echoCanceller (defaults when a caller built the section without it). */
  private get aecConfig(): Config['bleed']['echoCanceller'] {
    return this.d.config.echoCanceller ?? { enabled: false, tailMs: 500, residualSuppression: false, convergenceMs: 3000 };
  }

  /** Whether `s` wants the echo canceller (its own `aec`, else config bleed.echoCanceller.enabled). */
  aecWanted(s: SupervisionSession): boolean {
    return s.aec ?? this.aecConfig.enabled;
  }

  /** Sessions of live calls whose echo canceller runs (metrics). */
  get aecSessionCount(): number {
    let n = 0;
    for (const call of this.d.registry.all()) {
      const mixer = call.mixer;
      if (!mixer || mixer.isClosed) continue;
      for (const s of call.sessions.values()) {
        if (this.aecWanted(s) && aecRunning(mixer, s) !== null) n++;
      }
    }
    return n;
  }

  /**
   * Echo cancellers (signalling time, every media sync): each agent of a whisper/page session that wants
   * one gets a canceller on its direct path with that supervisor's whisper as the reference (the first
   * such session of the agent); every other participant has none (a session that ended or left
   * whisper/page frees its canceller). The mixer reconfigures when anything changed: the customer's
   * output then mixes (decode, cancel, encode) instead of relaying the agent's packets, or relays again.
   */
  private syncEcho(call: Call, mixer: CallMedia): void {
    const ec = this.aecConfig;
    const want = new Map<string, EchoCancellerSpec>();
    for (const s of call.sessions.values()) {
      if (privateToAgent(s.mode) && this.aecWanted(s) && !want.has(s.agentTag)) {
        want.set(s.agentTag, { refTag: s.tag, tailMs: ec.tailMs, residual: ec.residualSuppression });
      }
    }
    let changed = false;
    for (const tag of mixer.tags()) {
      const spec = want.get(tag) ?? null;
      try {
        if (mixer.setEchoCanceller(tag, spec)) {
          changed = true;
          if (spec !== null) this.counters.aecStarted++;
        }
      } catch (err) {
        this.counters.aecFailures++;
        this.d.log.error({ callId: call.callId, tag, err: (err as Error).message }, 'echo canceller could not be set: the whisper runs without it');
      }
    }
    if (changed) mixer.reconfigure();
  }

  /** Attach/detach/re-bind the call's monitors to its sessions and mixer (signalling time). */
  sync(call: Call, mixer: CallMedia): void {
    if (call.closed) return;
    if (!mixer.isClosed) this.syncEcho(call, mixer);
    let cb = hubOf(call);
    if (cb && cb.mixer !== mixer) {
      // New mixer (mix rate changed): start over.
      cb.callClosed();
      call.bleed = cb = null;
    }
    const sessions = this.d.config.enabled ? [...call.sessions.values()].filter((s) => privateToAgent(s.mode)) : [];
    if (sessions.length === 0 && !cb) return;
    if (!cb) {
      cb = new CallBleed(call, mixer, this);
      call.bleed = cb;
    }
    const next: BleedMonitor[] = [];
    for (const s of sessions) {
      let m = cb.monitors.find((x) => x.supervisorTag === s.tag && x.agentTag === s.agentTag && x.customerTag === s.customerTag);
      if (!m) {
        const agent = call.participant(s.agentTag);
        const codec = agent?.mixableLeg()?.codec?.codec.name;
        m = new BleedMonitor({
          callId: call.callId,
          supervisorTag: s.tag,
          agentTag: s.agentTag,
          customerTag: s.customerTag,
          rate: mixer.mixRate as 8000 | 16000,
          thresholdDb: this.d.config.thresholdDb,
          maxDelayMs: this.d.config.maxDelayMs,
          levelOffsetDb: codec ? bleedLevelOffsetDb(codec) : 0,
          host: cb,
        });
        s.bleed = m.measurement;
        this.counters.monitorsStarted++;
      }
      cb.sessions.set(m, s);
      next.push(m);
    }
    for (const m of cb.monitors) if (!next.includes(m)) cb.sessions.delete(m);
    cb.monitors = next;
    for (const m of next) {
      mixer.observe(m.agentTag);
      m.bind(mixer.generation(m.agentTag));
      // The observed stream is post-canceller: hold acoustic trips while a new canceller converges.
      const s = cb.sessions.get(m)!;
      const aec = this.aecWanted(s) && aecRunning(mixer, s) !== null;
      if (aec && !m.aecOn) m.aecStarted(this.aecConfig.convergenceMs);
      else if (!aec && m.aecOn) m.aecStopped();
    }
    cb.install();
    for (const m of next) m.checkRouting(mixer.passthroughSource(m.customerTag));
    if (next.length === 0) {
      cb.callClosed();
      call.bleed = null;
    }
  }

  // ---- from the CallBleeds, the monitors' hosts (media path; no allocation except on events/trips) ----

  measured(m: BleedMonitor): void {
    this.counters.evaluations++;
    const r = m.measurement;
    if (!r.detected) return;
    this.emit('level', r.levelDb);
    const now = performance.now();
    if (now - m.lastEventMs < 1000) return;
    m.lastEventMs = now;
    this.counters.events++;
    this.d.events.publish({
      type: 'bleed', callId: m.callId, supervisorTag: m.supervisorTag, agentTag: m.agentTag,
      levelDb: round1(r.levelDb), delayMs: round1(r.delayMs), confidence: Math.round(r.confidence * 100) / 100, alarm: m.detector.alarm,
    });
  }

  /** The first failure of a call's monitors (later ones are only counted on the CallBleed). */
  monitorFailed(call: Call, err: unknown): void {
    this.d.log.error({ callId: call.callId, err: (err as Error).stack }, 'bleed monitor failed (media path unaffected)');
  }

  protected override listenerError(err: unknown, event: string): void {
    this.d.log.error({ err, event }, 'bleed listener failed');
  }

  trip(cb: CallBleed, m: BleedMonitor, kind: BleedKind): void {
    if (cb.call.bleed !== cb || !cb.monitors.includes(m)) return; // detached meanwhile
    const call = cb.call;
    const session = cb.sessions.get(m);
    // A muted page: the customer does not hear the agent, so a bleed cannot reach the customer.
    if (kind === 'acoustic' && session?.mode === 'page' && session.muted) {
      m.tripped = false;
      return;
    }
    setImmediate(() => void this.failsafe(call, m, kind));
  }

  private async failsafe(call: Call, m: BleedMonitor, kind: BleedKind): Promise<void> {
    const r = m.measurement;
    const measured =
      kind === 'digital'
        ? { levelDb: 0, delayMs: round1(m.digitalMatch.lagMs), confidence: round2(m.digitalMatch.correlation), kind }
        : { levelDb: round1(r.levelDb), delayMs: round1(r.delayMs), confidence: round2(r.confidence), kind };
    if (kind === 'digital') this.counters.failsafeDigital++;
    else this.counters.failsafeAcoustic++;
    try {
      await this.d.supervision.failsafe(call, m.supervisorTag, measured, kind === 'digital' ? 'remove' : this.d.config.action);
    } catch (err) {
      this.d.log.error({ callId: call.callId, supervisorTag: m.supervisorTag, err: (err as Error).message }, 'bleed failsafe failed');
    }
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
