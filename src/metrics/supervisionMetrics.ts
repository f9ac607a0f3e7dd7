/**
 * Prometheus series of supervision and the mixers, all read at scrape time from plain counters kept
 * elsewhere (the packet path and the mix clock never touch prom-client):
 *
 *   whisperd_supervision_sessions{mode}       gauge, live sessions by mode
 *   whisperd_supervision_events_total{type}   EventBus events published, by type
 *   whisperd_audit_records_total{event}       audit records made durable since start, by event
 *   whisperd_failsafe_total                   bleed failsafe teardowns
 *   whisperd_mixers                           gauge, calls with a mixer
 *   whisperd_mixer_engine{engine}             gauge, calls with a mixer by engine (native, reference)
 *   whisperd_mixer_fallbacks_total            mixers media.engine=native wanted that run on the reference engine
 *   whisperd_mix_events_dropped_total         native mix event records lost to a full media-thread ring
 *   whisperd_mixer_frames_total{kind}         frames mixed (kind=mixed), of which emitted by the output clock (kind=timer)
 *   whisperd_mixer_late_ticks_total           mix clock ticks that ran > 2 intervals late
 *   whisperd_jitter_*_total                   jitter-buffer counters (W3C webrtc-stats) summed over inputs
 *   whisperd_opus_backend{backend}            info gauge (1) naming the Opus implementation in use
 *
 * Mixer and jitter counters live on objects that go away with their call. To keep the exported
 * counters monotonic, the last values seen of an object that has disappeared are carried into a
 * retired total (increments between the last scrape and its release are not counted).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CallRegistry } from '../call/CallRegistry';
import { opusBackend } from '../codec/opus';
import { nativeRelayApi } from '../media/nativeRelay';
import type { JitterStats } from '../jitter/JitterStats';
import type { MediaEngine } from '../call/MediaEngine';
import type { MediaOutput } from '../mix/types';
import type { AuditLog } from '../supervision/AuditLog';
import type { EventBus } from '../supervision/EventBus';
import type { SupervisionService } from '../supervision/SupervisionService';
import { SUPERVISION_MODES } from '../supervision/types';

export interface SupervisionMetricsSources {
  registry: CallRegistry;
  engine: MediaEngine;
  supervision: SupervisionService;
  events: EventBus;
  audit: AuditLog;
}

/** Sums fixed-width counter vectors over a changing set of objects, keeping departed ones' last values. */
export class RetainedSum<K extends object> {
  private seen = new Map<K, number[]>();
  private readonly retired: number[];

  constructor(private readonly width: number) {
    this.retired = new Array<number>(width).fill(0);
  }

  total(live: Map<K, number[]>): number[] {
    for (const [k, v] of this.seen) if (!live.has(k)) for (let i = 0; i < this.width; i++) this.retired[i]! += v[i]!;
    this.seen = live;
    const out = [...this.retired];
    for (const v of live.values()) for (let i = 0; i < this.width; i++) out[i]! += v[i]!;
    return out;
  }
}

const JITTER_SERIES: Array<[keyof JitterStats, string, string]> = [
  ['concealedSamples', 'concealed_samples_total', 'Samples synthesised for lost or late packets (concealedSamples)'],
  ['concealmentEvents', 'concealment_events_total', 'Times concealment started (concealmentEvents)'],
  ['insertedSamplesForDeceleration', 'inserted_samples_for_deceleration_total', 'Samples inserted to grow the delay (insertedSamplesForDeceleration)'],
  ['removedSamplesForAcceleration', 'removed_samples_for_acceleration_total', 'Samples dropped to shrink the delay (removedSamplesForAcceleration)'],
  ['jitterBufferDelay', 'delay_seconds_total', 'Sum over emitted samples of their buffering delay, seconds (jitterBufferDelay)'],
  ['jitterBufferTargetDelay', 'target_delay_seconds_total', 'Sum over emitted samples of the target delay, seconds (jitterBufferTargetDelay)'],
  ['jitterBufferEmittedCount', 'emitted_samples_total', 'Decoded samples that left the buffers (jitterBufferEmittedCount)'],
  ['packetsDiscarded', 'packets_discarded_total', 'Packets discarded as too late or too early (packetsDiscarded)'],
  ['packetsReceived', 'packets_received_total', 'Packets put into jitter buffers (packetsReceived)'],
  ['packetsLost', 'packets_lost_total', 'Packets estimated lost (packetsLost)'],
  ['packetsDuplicated', 'packets_duplicated_total', 'Packets whose sequence number was already buffered or played'],
  ['totalSamplesReceived', 'received_samples_total', 'Samples decoded from packets (totalSamplesReceived)'],
  ['silentConcealedSamples', 'silent_concealed_samples_total', 'Of the concealed samples, those that came out silent (silentConcealedSamples)'],
  ['silenceSamples', 'silence_samples_total', 'Samples of silence or comfort noise emitted (start-up, DTX, long gaps)'],
  ['flushes', 'flushes_total', 'Buffer overflows that discarded every buffered packet'],
  ['ssrcChanges', 'ssrc_changes_total', 'SSRC changes (each resets playout)'],
  ['resyncs', 'resyncs_total', 'Timeline discontinuities that re-anchored playout (timestamp jumps, pauses resumed with frozen timestamps)'],
  ['decodeErrors', 'decode_errors_total', 'Payloads the decoder rejected (treated as lost)'],
];

export function registerSupervisionMetrics(r: Registry, src: SupervisionMetricsSources): void {
  const liveMixers = () => {
    const out = [];
    for (const call of src.registry.all()) {
      const m = src.engine.mixer(call);
      if (m && !m.isClosed) out.push(m);
    }
    return out;
  };
  const frames = new RetainedSum<MediaOutput>(4);
  const frameTotals = (): number[] => {
    const live = new Map<MediaOutput, number[]>();
    for (const m of liveMixers()) for (const tag of m.tags()) {
      const o = m.output(tag);
      if (o) live.set(o, [o.framesMixed, o.framesByTimer, o.encodeErrors, o.framesSkipped]);
    }
    return frames.total(live);
  };
  const jitter = new RetainedSum<JitterStats>(JITTER_SERIES.length);
  const jitterTotals = (): number[] => {
    const live = new Map<JitterStats, number[]>();
    for (const m of liveMixers()) for (const tag of m.tags()) {
      const st = m.input(tag)?.jitterStats;
      if (st) live.set(st, JITTER_SERIES.map(([k]) => st[k]));
    }
    return jitter.total(live);
  };

  new Gauge({
    name: 'whisperd_supervision_sessions',
    help: 'Supervision sessions, by mode',
    labelNames: ['mode'],
    registers: [r],
    collect() {
      const n = new Map<string, number>(SUPERVISION_MODES.map((m) => [m, 0]));
      for (const s of src.supervision.allSessions()) n.set(s.mode, (n.get(s.mode) ?? 0) + 1);
      for (const [mode, v] of n) this.set({ mode }, v);
    },
  });
  new Counter({
    name: 'whisperd_supervision_events_total',
    help: 'Supervision events published (started, stopped, mode, mute, prompt, denied, bleed, failsafe)',
    labelNames: ['type'],
    registers: [r],
    collect() {
      this.reset();
      for (const [type, v] of src.events.counts) this.inc({ type }, v);
    },
  });
  new Counter({
    name: 'whisperd_audit_records_total',
    help: 'Audit records written durably since start, by event',
    labelNames: ['event'],
    registers: [r],
    collect() {
      this.reset();
      for (const [event, v] of Object.entries(src.audit.counts)) this.inc({ event }, v);
    },
  });
  new Counter({
    name: 'whisperd_audit_failures_total',
    help: 'Audit appends that could not be made durable (the action was refused, or for a leave/teardown, stood unrecorded)',
    registers: [r],
    collect() {
      this.reset();
      this.inc(src.supervision.counters.auditFailures);
    },
  });
  new Counter({
    name: 'whisperd_failsafe_total',
    help: 'Bleed failsafe teardowns',
    registers: [r],
    collect() {
      this.reset();
      this.inc(src.supervision.counters.failsafe);
    },
  });
  new Gauge({
    name: 'whisperd_mixers',
    help: 'Calls whose media goes through a mixer',
    registers: [r],
    collect() {
      this.set(src.engine.mixerCount);
    },
  });
  new Gauge({
    name: 'whisperd_mixer_engine',
    help: 'Calls whose media goes through a mixer, by engine (native: on a media thread; reference: the TypeScript engine)',
    labelNames: ['engine'],
    registers: [r],
    collect() {
      const native = src.engine.nativeMixerCount;
      this.set({ engine: 'native' }, native);
      this.set({ engine: 'reference' }, src.engine.mixerCount - native);
    },
  });
  new Counter({
    name: 'whisperd_mixer_fallbacks_total',
    help: 'Mixers that media.engine=native wanted on a media thread but that run on the reference engine (no mix functions, no media threads, an endpoint or codec that cannot attach)',
    registers: [r],
    collect() {
      this.reset();
      this.inc(src.engine.counters.fallbacks);
    },
  });
  new Counter({
    name: 'whisperd_mix_events_dropped_total',
    help: 'Native mix event records (DTMF, bleed audio) dropped because a media thread\'s event ring was full (the main thread drained it too late)',
    registers: [r],
    collect() {
      this.reset();
      this.inc(nativeRelayApi()?.mix?.eventsDropped() ?? 0);
    },
  });
  new Counter({
    name: 'whisperd_mixer_frames_total',
    help: 'Frames mixed (kind=mixed); of them, frames emitted by the output clock while the primary talker was silent (kind=timer); mixed frames the encoder refused, not sent (kind=encode_error); frames the output clock skipped after an event-loop stall (kind=skipped)',
    labelNames: ['kind'],
    registers: [r],
    collect() {
      const [mixed, timer, encodeErrors, skipped] = frameTotals();
      this.reset();
      this.inc({ kind: 'mixed' }, mixed!);
      this.inc({ kind: 'timer' }, timer!);
      this.inc({ kind: 'encode_error' }, encodeErrors!);
      this.inc({ kind: 'skipped' }, skipped!);
    },
  });
  new Counter({
    name: 'whisperd_mixer_late_ticks_total',
    help: 'Mix clock ticks that ran more than two intervals late',
    registers: [r],
    collect() {
      this.reset();
      this.inc(src.engine.clock.lateTicks);
    },
  });
  JITTER_SERIES.forEach(([, suffix, help], i) => {
    new Counter({
      name: `whisperd_jitter_${suffix}`,
      help: `Jitter buffers: ${help}`,
      registers: [r],
      collect() {
        this.reset();
        this.inc(jitterTotals()[i]!);
      },
    });
  });
  new Gauge({
    name: 'whisperd_opus_backend',
    help: 'Opus implementation in use (native @discordjs/opus or opusscript WebAssembly); value 1',
    labelNames: ['backend'],
    registers: [r],
    collect() {
      this.reset();
      this.set({ backend: opusBackend() }, 1);
    },
  });
}
