/**
 * Call recording (issue 15): per recorded call a stereo WAV of the customer (left) and the agent
 * (right) exactly as each party sent them — their decoded audio as it arrives, before any mixing, so a
 * whisper cannot be in it by construction — and per supervision session a coaching WAV (left: the
 * supervisor's audio; right: what the agent heard, i.e. the agent's mixed output, or the one input it
 * forwards as is), with a JSON metadata file per call.
 *
 *   files  recording.dir/<call-id>-<stamp>.wav, <call-id>-<stamp>.json,
 *          <call-id>-<stamp>-coaching-<supervisor tag>-<k>.wav   (call-id and tags made file-name safe)
 *
 * The audio comes from the call's mixer (a recorded call always has one: MediaEngine.recordingWanted)
 * through its taps (CallMedia.setTaps('recording'); the bleed monitor is the other consumer): the routes
 * (which tag feeds which file's channel) are decided at every media sync ('synced'), never per frame.
 * Frames are copied into StereoAssembler rings on Node's thread; a 100 ms timer turns them into
 * interleaved chunks that WavWriter writes asynchronously. A writer failure (disk full, write error, a
 * disk slower than real time) stops the call's recording with an event, an audit record and a metric;
 * the call is never touched.
 *
 * Controls (ng, rtpengine 11): record call (offer/answer flag/key), start/stop/pause recording,
 * metadata. Pause keeps the files open and writes silence for the paused time; start resumes.
 */
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Call } from '../call/Call';
import type { CallRegistry } from '../call/CallRegistry';
import type { MediaEngine } from '../call/MediaEngine';
import type { Config } from '../config/schema';
import type { Logger } from '../log';
import type { CallMedia, MixAudioSink } from '../mix/types';
import type { AuditLog, AuditSource } from '../supervision/AuditLog';
import type { EventBus, SupervisionEvent } from '../supervision/EventBus';
import { bleedSnapshot, type SupervisionSession } from '../supervision/types';
import { OggOpusStream } from './oggOpus';
import { StereoAssembler } from './StereoAssembler';
import { WavWriter, type WavFileInfo, type WriterFailure } from './WavWriter';

export interface RecordingDeps {
  engine: MediaEngine;
  registry: CallRegistry;
  events: EventBus;
  audit: AuditLog;
  config: Config['recording'];
  log: Logger;
}

export type RecordingState = 'recording' | 'paused';

/** Counters for /metrics (src/metrics/recordingMetrics.ts). */
export const recordingCounters = {
  started: 0,
  stopped: 0,
  files: 0,
  bytes: 0,
  failures: { 'disk-full': 0, 'write-error': 0, 'disk-slow': 0 } as Record<WriterFailure, number>,
  droppedFrames: 0,
};

const FLUSH_MS = 100;
/** Bytes the metadata file holds from the start (see CallRecording.reserveMeta). */
const META_RESERVE = 16384;
/** A channel whose next frame is this far behind its arrival time jumps forward (silence between), ms. */
const GAP_MS = 60;

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._@+-]/g, '_').slice(0, 120) || '_';
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('.', '');
}

interface Route {
  asm: StereoAssembler;
  ch: 0 | 1;
}

interface FileRec {
  kind: 'call' | 'coaching';
  writer: WavWriter;
  asm: StereoAssembler;
  supervisorTag?: string;
  info?: WavFileInfo;
}

interface SessionMeta {
  supervisorTag: string;
  supervisor: string | null;
  agent: string | null;
  agentTag: string;
  customerTag: string;
  startedAt: string;
  endedAt: string | null;
  modes: Array<{ at: string; mode: string; source?: string; reason?: string }>;
  bleed: { last: Record<string, unknown> | null; maxLevelDb: number | null; detected: boolean; failsafe: Array<Record<string, unknown>> };
  coaching: { file: string; sha256: string | null; bytes: number; durationMs: number; complete: boolean } | null;
}

type BleedVerdict = 'leak detected' | 'no leak detected' | 'no leak detected (partly measured)' | 'not measured';

/** A session's verdict: a leak was detected at some point; monitored without one; never monitored (no whisper/page). */
function verdictOf(m: SessionMeta): BleedVerdict {
  if (m.bleed.detected || m.bleed.failsafe.length > 0) return 'leak detected';
  return m.bleed.last !== null ? 'no leak detected' : 'not measured';
}

export class CallRecording implements MixAudioSink {
  state: RecordingState = 'recording';
  readonly base: string;
  readonly startedAt = new Date();
  readonly t0 = performance.now();
  private main: FileRec | null = null;
  readonly coaching = new Map<string, FileRec>();
  /** Coaching files opened per supervisor tag (names: ...-coaching-<tag>-<k>.wav). */
  private readonly coachingCount = new Map<string, number>();
  private observedRoutes = new Map<string, Route[]>();
  private mixedRoutes = new Map<string, Route[]>();
  private timer: NodeJS.Timeout | null = null;
  private mixer: CallMedia | null = null;
  private finishing: Promise<void> | null = null;
  readonly meta: Record<string, unknown>;
  private readonly pauses: Array<{ pausedAt: string; resumedAt: string | null; offsetMs: number; durationMs: number | null; source: string }> = [];
  private readonly log: Array<{ at: string; event: string; source?: string; detail?: unknown }> = [];
  readonly sessions = new Map<string, SessionMeta>();
  private channels: Array<{ at: string; left: string | null; right: string | null; basis: string }> = [];
  metadata = '';
  readonly tagMetadata = new Map<string, string>();
  failure: { reason: WriterFailure; message: string; at: string; file: string } | null = null;
  private pausedAtMs = 0;

  constructor(
    readonly call: Call,
    private readonly svc: RecordingService,
    source: string,
  ) {
    this.base = `${safeName(call.callId)}-${stamp(this.startedAt)}`;
    this.meta = { version: 1, callId: call.callId };
    this.event('start', source);
  }

  /** File extension of the audio files (recording.format). */
  get ext(): string {
    return this.svc.config.format === 'ogg-opus' ? '.opus' : '.wav';
  }

  get mixRate(): number {
    return this.mixer?.mixRate ?? 8000;
  }

  private event(event: string, source?: string, detail?: unknown): void {
    this.log.push({ at: new Date().toISOString(), event, ...(source ? { source } : {}), ...(detail !== undefined ? { detail } : {}) });
  }

  private open(kind: 'call' | 'coaching', name: string, supervisorTag?: string): FileRec {
    const cfg = this.svc.config;
    const rate = this.mixRate;
    // Each file's timeline starts when it opens (a coaching file does not begin with the call's past).
    const asm = new StereoAssembler(rate, performance.now(), Math.round((cfg.holdMs * rate) / 1000), Math.round((GAP_MS * rate) / 1000));
    asm.paused = this.state === 'paused';
    const ogg = cfg.format === 'ogg-opus' ? new OggOpusStream(rate, cfg.opusBitrate) : null;
    const writer = new WavWriter(join(cfg.dir, name), name, rate, 2, cfg.maxQueuedBytes, cfg.fileMode, (w, reason, message) => this.svc.writerFailed(this, w, reason, message), ogg);
    recordingCounters.files++;
    return { kind, writer, asm, ...(supervisorTag !== undefined ? { supervisorTag } : {}) };
  }

  /** The coaching file name a session of `tag` has (open) or gets next (the start audit record names it). */
  coachingName(tag: string, next: boolean): string {
    const k = (this.coachingCount.get(tag) ?? 0) + (next ? 1 : 0);
    return `${this.base}-coaching-${safeName(tag)}-${Math.max(1, k)}${this.ext}`;
  }

  /**
   * The coaching file to name in a supervisor's audit record: `starting`, the one its session is about to
   * get (none once this recording ended); else its latest (none if it never had one).
   */
  coachingLink(tag: string, starting: boolean): string | undefined {
    if (!this.svc.config.coaching) return undefined;
    if (starting) return this.done ? undefined : this.coachingName(tag, true);
    return (this.coachingCount.get(tag) ?? 0) > 0 ? this.coachingName(tag, false) : undefined;
  }

  /** Roles of the two parties: from a supervision session, else the config (offerer/answerer). */
  private parties(): { customer: string | null; agent: string | null; basis: string } {
    const call = this.call;
    for (const s of call.sessions.values()) if (s.committed) return { customer: s.customerTag, agent: s.agentTag, basis: 'supervision' };
    const parts = [...call.participants.values()].filter((p) => p.role !== 'supervisor' && p.mixableLeg() !== null);
    const offerer = parts[0]?.tag ?? null;
    const answerer = parts[1]?.tag ?? null;
    return this.svc.config.customerIs === 'offerer'
      ? { customer: offerer, agent: answerer, basis: 'offerer is the customer' }
      : { customer: answerer, agent: offerer, basis: 'answerer is the customer' };
  }

  /** Re-derive files and routes from the call's sessions and mixer (signalling time: every media sync). */
  bind(mixer: CallMedia): void {
    if (this.finishing) return;
    if (this.mixer !== mixer) {
      // A new mixer (first, or the mix rate changed): the files keep their rate; a different rate
      // closes them and opens new ones (recorded in the metadata).
      if (this.mixer && this.main && this.main.asm.rate !== mixer.mixRate) this.rotate();
      this.mixer = mixer;
    }
    if (!this.main) this.main = this.open('call', this.part === 0 ? `${this.base}${this.ext}` : `${this.base}-part${this.part + 1}${this.ext}`);
    const { customer, agent, basis } = this.parties();
    const lastCh = this.channels[this.channels.length - 1];
    if (!lastCh || lastCh.left !== customer || lastCh.right !== agent) this.channels.push({ at: new Date().toISOString(), left: customer, right: agent, basis });
    const obs = new Map<string, Route[]>();
    const mixed = new Map<string, Route[]>();
    const add = (m: Map<string, Route[]>, tag: string | null, r: Route): void => {
      if (tag === null) return;
      let a = m.get(tag);
      if (!a) m.set(tag, (a = []));
      a.push(r);
    };
    add(obs, customer, { asm: this.main.asm, ch: 0 });
    add(obs, agent, { asm: this.main.asm, ch: 1 });
    const taps = new Map<string, string>();
    // Coaching files: one per committed session, while it lasts.
    const live = new Set<string>();
    for (const s of this.call.sessions.values()) {
      if (!s.committed) continue;
      this.noteSession(s);
      if (!this.svc.config.coaching) continue;
      live.add(s.tag);
      let f = this.coaching.get(s.tag);
      if (!f) {
        const name = this.coachingName(s.tag, true);
        this.coachingCount.set(s.tag, (this.coachingCount.get(s.tag) ?? 0) + 1);
        f = this.open('coaching', name, s.tag);
        this.coaching.set(s.tag, f);
        this.sessions.get(s.tag)!.coaching = { file: name, sha256: null, bytes: 0, durationMs: 0, complete: false };
        this.svc.coachingAudit(this.call, s, 'coaching started', { file: name });
      }
      add(obs, s.tag, { asm: f.asm, ch: 0 });
      const through = mixer.passthroughSource(s.agentTag);
      if (through !== null) add(obs, through, { asm: f.asm, ch: 1 });
      else {
        add(mixed, s.agentTag, { asm: f.asm, ch: 1 });
        if (!taps.has(s.agentTag)) taps.set(s.agentTag, s.tag);
      }
    }
    for (const [tag, f] of [...this.coaching]) {
      if (live.has(tag)) continue;
      this.coaching.delete(tag);
      void this.closeCoaching(tag, f);
    }
    for (const [tag, s] of this.sessions) if (!this.call.sessions.has(tag) && s.endedAt === null) s.endedAt = new Date().toISOString();
    this.observedRoutes = obs;
    this.mixedRoutes = mixed;
    for (const tag of obs.keys()) mixer.observe(tag);
    mixer.setTaps('recording', this, [...obs.keys()], taps);
    this.timer ??= setInterval(() => this.flushAll(false), FLUSH_MS);
  }

  /** Call files opened before the current one (a new mix rate starts a new file: <base>-part2...). */
  private part = 0;

  private rotate(): void {
    this.part++;
    this.event('new file', undefined, { reason: 'mix rate changed' });
    const old = this.main;
    this.main = null;
    if (old) void this.closeFile(old).then((info) => this.closedFiles.push(info));
    for (const [tag, f] of [...this.coaching]) {
      this.coaching.delete(tag);
      void this.closeCoaching(tag, f);
    }
  }

  readonly closedFiles: WavFileInfo[] = [];

  private noteSession(s: SupervisionSession): void {
    let m = this.sessions.get(s.tag);
    if (!m || (m.endedAt !== null && this.call.sessions.get(s.tag) === s)) {
      m = {
        supervisorTag: s.tag, supervisor: s.supervisor ?? null, agent: s.agent ?? null, agentTag: s.agentTag, customerTag: s.customerTag,
        startedAt: new Date().toISOString(), endedAt: null, modes: [{ at: new Date().toISOString(), mode: s.mode }],
        bleed: { last: null, maxLevelDb: null, detected: false, failsafe: [] }, coaching: null,
      };
      this.sessions.set(s.tag, m);
    }
    this.noteBleed(s);
  }

  noteBleed(s: SupervisionSession): void {
    const m = this.sessions.get(s.tag);
    const b = bleedSnapshot(s);
    if (!m || !b) return;
    m.bleed.last = { ...b, at: new Date().toISOString() };
    if (b.levelDb !== undefined && (b.detected || b.digitalTripped) && (m.bleed.maxLevelDb === null || b.levelDb > m.bleed.maxLevelDb)) m.bleed.maxLevelDb = b.levelDb;
    if (b.detected || b.digitalTripped) m.bleed.detected = true;
  }

  onEvent(e: SupervisionEvent): void {
    const tag = typeof e.supervisorTag === 'string' ? e.supervisorTag : null;
    const m = tag ? this.sessions.get(tag) : undefined;
    const s = tag ? this.call.sessions.get(tag) : undefined;
    if (s) this.noteBleed(s);
    if (!m) return;
    const at = new Date().toISOString();
    if (e.type === 'mode' && typeof e.mode === 'string') m.modes.push({ at, mode: e.mode });
    else if (e.type === 'failsafe') m.bleed.failsafe.push({ at, ...Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'callId' && k !== 'type')) });
    else if (e.type === 'stopped') {
      m.endedAt ??= at;
      m.modes.push({ at, mode: 'stopped', ...(typeof e.reason === 'string' ? { reason: e.reason } : {}) });
    }
  }

  // ---- media (Node's thread, from the mixer's taps; no allocation) ----

  onObserved(inTag: string, pcm: Int16Array, off: number, n: number, nowMs: number): void {
    const rs = this.observedRoutes.get(inTag);
    if (rs === undefined) return;
    for (let i = 0; i < rs.length; i++) rs[i]!.asm.push(rs[i]!.ch, pcm, off, n, nowMs);
  }

  onMixed(outTag: string, _srcTag: string, pcm: Int16Array, n: number, _c: Int16Array | null, _r: Int16Array | null, nowMs: number): void {
    const rs = this.mixedRoutes.get(outTag);
    if (rs === undefined) return;
    for (let i = 0; i < rs.length; i++) rs[i]!.asm.push(rs[i]!.ch, pcm, 0, n, nowMs);
  }

  private files(): FileRec[] {
    return [...(this.main ? [this.main] : []), ...this.coaching.values()];
  }

  private flushAll(all: boolean): void {
    const now = performance.now();
    for (const f of this.files()) {
      const buf = f.asm.flush(now, all);
      if (buf) {
        f.writer.write(buf);
        recordingCounters.bytes += buf.length;
      }
    }
  }

  // ---- controls ----

  pause(source: string): boolean {
    if (this.state === 'paused') return false;
    this.flushAll(false);
    this.state = 'paused';
    for (const f of this.files()) f.asm.paused = true;
    this.pausedAtMs = performance.now();
    this.pauses.push({ pausedAt: new Date().toISOString(), resumedAt: null, offsetMs: Math.round(this.pausedAtMs - this.t0), durationMs: null, source });
    this.event('pause', source);
    return true;
  }

  resume(source: string): boolean {
    if (this.state !== 'paused') return false;
    this.state = 'recording';
    for (const f of this.files()) f.asm.paused = false;
    const p = this.pauses[this.pauses.length - 1];
    if (p) {
      p.resumedAt = new Date().toISOString();
      p.durationMs = Math.round(performance.now() - this.pausedAtMs);
    }
    this.event('resume', source);
    return true;
  }

  get done(): boolean {
    return this.finishing !== null;
  }

  private closeFile(f: FileRec): Promise<WavFileInfo> {
    const buf = f.asm.flush(performance.now(), true);
    if (buf) f.writer.write(buf);
    recordingCounters.droppedFrames += f.asm.dropped;
    return f.writer.close().then((info) => (f.info = info));
  }

  private async closeCoaching(tag: string, f: FileRec): Promise<void> {
    const info = await this.closeFile(f);
    const m = [...this.sessions.values()].find((x) => x.coaching?.file === info.name);
    if (m) m.coaching = { file: info.name, sha256: info.sha256, bytes: info.bytes, durationMs: info.durationMs, complete: info.complete };
    this.closedFiles.push(info);
    const s = this.call.sessions.get(tag);
    this.svc.coachingAudit(this.call, s ?? { tag, agentTag: m?.agentTag ?? '', supervisor: m?.supervisor ?? undefined, agent: m?.agent ?? undefined }, 'coaching stopped', {
      file: info.name, sha256: info.sha256, bytes: info.bytes, durationMs: info.durationMs, complete: info.complete,
    });
  }

  /** Stop: close every file, write the metadata. Idempotent; never rejects. */
  finish(reason: string, source?: string): Promise<void> {
    return (this.finishing ??= (async () => {
      if (this.state === 'paused') this.resume(source ?? 'stop');
      this.event('stop', source, reason);
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      const m = this.mixer;
      if (m && !m.isClosed) m.setTaps('recording', null, [], new Map());
      this.observedRoutes = new Map();
      this.mixedRoutes = new Map();
      const end = new Date().toISOString();
      for (const s of this.sessions.values()) {
        const live = this.call.sessions.get(s.supervisorTag);
        if (live) this.noteBleed(live);
        s.endedAt ??= end;
      }
      const jobs: Array<Promise<unknown>> = [];
      if (this.main) jobs.push(this.closeFile(this.main).then((info) => this.closedFiles.unshift(info)));
      for (const [tag, f] of [...this.coaching]) {
        this.coaching.delete(tag);
        jobs.push(this.closeCoaching(tag, f));
      }
      await Promise.all(jobs);
      await this.writeMeta(reason, end);
    })().catch((err: unknown) => this.svc.d.log.warn({ callId: this.call.callId, err }, 'recording finish failed')));
  }

  metaDoc(reason: string | null, endedAt: string | null): Record<string, unknown> {
    const call = this.call;
    const roleOf = (tag: string): string => {
      const p = call.participant(tag);
      if (p?.role === 'supervisor') return 'supervisor';
      for (const s of call.sessions.values()) {
        if (s.agentTag === tag) return 'agent';
        if (s.customerTag === tag) return 'customer';
      }
      const ch = this.channels[this.channels.length - 1];
      return ch?.left === tag ? 'customer' : ch?.right === tag ? 'agent' : 'party';
    };
    const participants = [...call.participants.values()].map((p) => {
      const s = [...call.sessions.values()];
      const identity = p.role === 'supervisor' ? call.sessions.get(p.tag)?.supervisor : s.find((x) => x.agentTag === p.tag)?.agent;
      const leg = p.mixableLeg();
      return {
        tag: p.tag,
        role: roleOf(p.tag),
        label: p.label || null,
        identity: identity ?? null,
        codec: leg?.codec?.codec.name ?? null,
        joinedAt: new Date(p.createdMs).toISOString(),
        ...(this.tagMetadata.has(p.tag) ? { metadata: this.tagMetadata.get(p.tag) } : {}),
      };
    });
    const rate = this.mixRate;
    return {
      ...this.meta,
      recording: this.base,
      state: reason === null ? this.state : this.failure ? 'failed' : 'closed',
      callCreatedAt: new Date(call.createdMs).toISOString(),
      startedAt: this.startedAt.toISOString(),
      endedAt,
      endReason: reason,
      format: {
        ...(this.svc.config.format === 'ogg-opus'
          ? { container: 'ogg', encoding: 'opus', bitrate: this.svc.config.opusBitrate }
          : { container: 'wav', encoding: 'pcm_s16le' }),
        sampleRate: rate, channels: 2, layout: { left: 'customer', right: 'agent' }, coaching: { left: 'supervisor', right: 'what the agent heard' } },
      source: 'each party as sent, decoded on arrival, before any mixing (the whisper is not in the call file)',
      channels: this.channels,
      participants,
      metadata: this.metadata || null,
      pauses: this.pauses,
      events: this.log,
      // The session's bleed verdict: a leak of the whisper into the agent's microphone would reach the call file.
      bleedVerdict: this.bleedVerdict(),
      supervision: [...this.sessions.values()].map((m) => ({ ...m, bleedVerdict: verdictOf(m) })),
      files: this.closedFiles.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, durationMs: f.durationMs, complete: f.complete })),
      failure: this.failure,
    };
  }

  /** Bytes of the metadata file written at start (the in-progress document padded with spaces), 0: none. */
  private reserved: Promise<number> | null = null;

  /**
   * Write the metadata file at start: the in-progress document (state 'recording'), padded with spaces
   * to META_RESERVE bytes, so that the final document can be written over it in place on a disk that
   * has filled up meanwhile (the blocks are the file's already).
   */
  reserveMeta(): void {
    const path = join(this.svc.config.dir, `${this.base}.json`);
    this.reserved = (async () => {
      let text = JSON.stringify(this.metaDoc(null, null), null, 2) + '\n';
      if (Buffer.byteLength(text) < META_RESERVE) text += ' '.repeat(META_RESERVE - Buffer.byteLength(text));
      try {
        await writeFile(path, text, { mode: this.svc.config.fileMode, flag: 'wx' });
        return Buffer.byteLength(text);
      } catch (err) {
        this.svc.d.log.warn({ callId: this.call.callId, err: err instanceof Error ? err.message : String(err) }, 'recording metadata not reserved');
        return 0;
      }
    })();
  }

  private bleedVerdict(): BleedVerdict {
    const v = [...this.sessions.values()].map(verdictOf);
    if (v.includes('leak detected')) return 'leak detected';
    if (v.includes('no leak detected')) return v.includes('not measured') ? 'no leak detected (partly measured)' : 'no leak detected';
    return 'not measured';
  }

  private async writeMeta(reason: string, end: string): Promise<void> {
    const dir = this.svc.config.dir;
    const name = `${this.base}.json`;
    const text = JSON.stringify(this.metaDoc(reason, end), null, 2) + '\n';
    const len = Buffer.byteLength(text);
    const reserved = this.reserved ? await this.reserved : 0;
    try {
      if (len <= reserved) {
        // In place: fits in the blocks reserved at start (works on a full disk), then cut to size.
        const fh = await open(join(dir, name), 'r+');
        try {
          await fh.write(text, 0, 'utf8');
          await fh.truncate(len);
          await fh.sync().catch(() => undefined);
        } finally {
          await fh.close();
        }
        return;
      }
      const tmp = join(dir, `.${name}.tmp`);
      await writeFile(tmp, text, { mode: this.svc.config.fileMode });
      await rename(tmp, join(dir, name));
    } catch (err) {
      this.svc.d.log.warn({ callId: this.call.callId, err: err instanceof Error ? err.message : String(err) }, 'recording metadata not written');
    }
  }
}

export class RecordingService {
  private readonly recs = new Map<Call, CallRecording>();
  /** Finished recordings of calls (coaching names for the call-end audit records, tests). */
  readonly last = new WeakMap<Call, CallRecording>();
  private readonly closing = new Set<Promise<void>>();
  readonly config: Config['recording'];

  constructor(readonly d: RecordingDeps) {
    this.config = d.config;
    d.engine.recordingWanted = (call) => this.recs.has(call);
    d.engine.on('synced', (call, mixer) => this.recs.get(call)?.bind(mixer));
    d.registry.on('callClosed', (call, reason) => {
      const r = this.recs.get(call);
      if (r) this.end(r, `call ended (${reason})`, 'ng');
    });
  }

  /** The supervision event stream (modes, bleed, failsafe) is followed only while something is recorded. */
  private unsubscribe: (() => void) | null = null;

  private follow(on: boolean): void {
    if (on && !this.unsubscribe) {
      this.unsubscribe = this.d.events.subscribe((e) => {
        if (e.type === 'recording') return;
        const call = this.d.registry.get(e.callId);
        const r = call ? this.recs.get(call) : undefined;
        if (r) r.onEvent(e);
      });
    } else if (!on && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  get enabled(): boolean {
    return this.config.dir !== '';
  }

  get active(): number {
    return this.recs.size;
  }

  recording(call: Call): CallRecording | undefined {
    return this.recs.get(call);
  }

  /** Start (or resume a paused) recording. Returns a warning when recording is off. Signalling time. */
  start(call: Call, source: AuditSource, via: string): string | undefined {
    if (!this.enabled) return 'Call recording is not enabled (recording.dir is empty)';
    if (call.closed) return undefined;
    const r = this.recs.get(call);
    if (r) {
      if (r.resume(via)) this.announce(call, r, 'resumed', source);
      return undefined;
    }
    const rec = new CallRecording(call, this, via);
    this.recs.set(call, rec);
    this.follow(true);
    this.last.set(call, rec);
    recordingCounters.started++;
    this.d.engine.sync(call, true);
    if (call.mixer) rec.bind(call.mixer);
    rec.reserveMeta();
    this.announce(call, rec, 'started', source);
    return undefined;
  }

  pause(call: Call, source: AuditSource, via: string): void {
    const r = this.recs.get(call);
    if (r?.pause(via)) this.announce(call, r, 'paused', source);
  }

  stop(call: Call, source: AuditSource, via: string): void {
    const r = this.recs.get(call);
    if (r) this.end(r, 'stopped', source, via);
  }

  /** Stop and delete the files (rtpengine `discard recording` flag / `record call` discard). */
  discard(call: Call, source: AuditSource, via: string): void {
    const r = this.recs.get(call);
    if (r) this.end(r, 'discarded', source, via);
  }

  setMetadata(call: Call, metadata: string, tag?: string): void {
    const r = this.recs.get(call) ?? this.last.get(call);
    if (!r) return;
    if (tag !== undefined && call.participant(tag)) r.tagMetadata.set(tag, metadata);
    else r.metadata = metadata;
  }

  private end(r: CallRecording, reason: string, source: AuditSource, via?: string): void {
    if (this.recs.get(r.call) === r) this.recs.delete(r.call);
    if (this.recs.size === 0) this.follow(false);
    recordingCounters.stopped++;
    const p = r.finish(reason, via ?? source).then(async () => {
      if (reason === 'discarded') {
        // rtpengine's discard: the files (audio and metadata) are deleted; the audit trail keeps their names.
        const names = [...r.closedFiles.map((f) => f.name), `${r.base}.json`];
        await Promise.all(names.map((n) => unlink(join(this.config.dir, n)).catch(() => undefined)));
        this.announce(r.call, r, 'discarded', source, undefined, { deleted: names });
        return;
      }
      this.announce(r.call, r, reason === 'stopped' ? 'stopped' : reason.startsWith('failed') ? 'failed' : 'ended', source, reason);
    });
    this.closing.add(p);
    void p.finally(() => this.closing.delete(p));
    // The call may release a mixer it kept only for the recording.
    if (!r.call.closed) this.d.engine.releaseIfIdle(r.call);
  }

  private announce(call: Call, r: CallRecording, what: string, source: AuditSource, reason?: string, details: Record<string, unknown> = {}): void {
    const d = { recording: r.base, file: `${r.base}${r.ext}`, metadata: `${r.base}.json`, ...details };
    this.d.events.publish({ type: 'recording', callId: call.callId, state: what, ...(reason ? { reason } : {}), ...d });
    this.auditRecord({ event: 'recording', callId: call.callId, reason: reason ? `${what}: ${reason}` : what, source, details: d });
  }

  coachingAudit(call: Call, s: { tag: string; agentTag: string; supervisor?: string | undefined; agent?: string | undefined }, what: string, details: Record<string, unknown>): void {
    const r = this.recs.get(call) ?? this.last.get(call);
    this.d.events.publish({ type: 'recording', callId: call.callId, state: what, supervisorTag: s.tag, ...details });
    this.auditRecord({
      event: 'recording', callId: call.callId, supervisorTag: s.tag, agentTag: s.agentTag || undefined, supervisor: s.supervisor, agent: s.agent,
      reason: what, source: 'ng', details: { recording: r?.base, ...details },
    });
  }

  private auditRecord(rec: Parameters<AuditLog['append']>[0]): void {
    this.d.audit.append(rec).catch((err: unknown) => this.d.log.warn({ callId: rec.callId, err: err instanceof Error ? err.message : String(err) }, 'recording audit record failed'));
  }

  /** A file's writer failed: the whole call's recording stops (event, audit record, metric); the call goes on. */
  writerFailed(r: CallRecording, w: WavWriter, reason: WriterFailure, message: string): void {
    recordingCounters.failures[reason]++;
    if (r.failure) return;
    r.failure = { reason, message, at: new Date().toISOString(), file: w.name };
    this.d.log.warn({ callId: r.call.callId, file: w.name, reason, message }, 'recording stopped: write failed');
    // Out of the writer's callback (which may run inside a write() from the flush timer).
    setImmediate(() => {
      if (this.recs.get(r.call) === r) this.end(r, `failed (${reason})`, 'ng');
    });
  }

  /** Shutdown: every recording finished (files closed, metadata written). */
  async close(): Promise<void> {
    for (const r of [...this.recs.values()]) this.end(r, 'shutdown', 'ng');
    while (this.closing.size > 0) await Promise.all([...this.closing]);
  }
}
