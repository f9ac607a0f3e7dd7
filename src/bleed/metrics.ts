/**
 * Bleed metrics. Label cardinality stays fixed (no per-call labels):
 *   whisperd_bleed_level_db            histogram of measured bleed levels (dB re whisper), one observation
 *                                      per detector evaluation that detected a leak path;
 *   whisperd_bleed_level_max_db        gauge: loudest current bleed over all monitored sessions (-120 none);
 *   whisperd_bleed_monitors            gauge: whisper/page sessions being monitored;
 *   whisperd_bleed_evaluations_total   counter: detector evaluations (supervisor talking);
 *   whisperd_bleed_failsafe_total{kind} counter: failsafes requested by the monitors (acoustic, digital).
 *   whisperd_aec_sessions              gauge: whisper/page sessions whose echo canceller runs;
 *   whisperd_aec_started_total         counter: echo cancellers started (or re-made with new settings);
 *   whisperd_aec_failures_total        counter: cancellers that could not be set (the whisper runs without).
 * whisperd_failsafe_total (all failsafes, unlabelled) is src/metrics/supervisionMetrics.ts'.
 * Per-session values are on SupervisionSession.bleed (HTTP API and ng `query`, src/control/http/api).
 * A metric already registered under one of these names (another subsystem) is left alone.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LEVEL_NONE_DB } from '../dsp/bleedDetector';
import type { BleedService } from './BleedService';

export const BLEED_LEVEL_BUCKETS = [-60, -50, -45, -40, -35, -30, -25, -20, -15, -10, -5, 0];

export function registerBleedMetrics(r: Registry, svc: BleedService): void {
  const free = (name: string) => r.getSingleMetric(name) === undefined;
  if (free('whisperd_bleed_level_db')) {
    const h = new Histogram({
      name: 'whisperd_bleed_level_db',
      help: 'Measured whisper bleed level relative to the whisper, dB (per detector evaluation with a detected leak path)',
      buckets: BLEED_LEVEL_BUCKETS,
      registers: [r],
    });
    svc.on('level', (db) => h.observe(db));
  }
  if (free('whisperd_bleed_level_max_db')) {
    new Gauge({
      name: 'whisperd_bleed_level_max_db',
      help: 'Loudest bleed currently detected over all monitored whisper/page sessions, dB re whisper (-120: none)',
      registers: [r],
      collect() {
        let max = LEVEL_NONE_DB;
        for (const m of svc.monitors()) if (m.measurement.detected && m.measurement.levelDb > max) max = m.measurement.levelDb;
        this.set(max);
      },
    });
  }
  if (free('whisperd_bleed_monitors')) {
    new Gauge({
      name: 'whisperd_bleed_monitors',
      help: 'Whisper/page sessions whose bleed is being measured',
      registers: [r],
      collect() {
        this.set(svc.monitorCount);
      },
    });
  }
  if (free('whisperd_bleed_evaluations_total')) {
    new Counter({
      name: 'whisperd_bleed_evaluations_total',
      help: 'Bleed detector evaluations (only while a supervisor talks)',
      registers: [r],
      collect() {
        this.reset();
        this.inc(svc.counters.evaluations);
      },
    });
  }
  if (free('whisperd_aec_sessions')) {
    new Gauge({
      name: 'whisperd_aec_sessions',
      help: 'Whisper/page sessions whose echo canceller (bleed.echoCanceller, session aec) runs on the agent -> customer path',
      registers: [r],
      collect() {
        this.set(svc.aecSessionCount);
      },
    });
  }
  if (free('whisperd_aec_started_total')) {
    new Counter({
      name: 'whisperd_aec_started_total',
      help: 'Echo cancellers started on an agent -> customer path (or re-made with new settings)',
      registers: [r],
      collect() {
        this.reset();
        this.inc(svc.counters.aecStarted);
      },
    });
  }
  if (free('whisperd_aec_failures_total')) {
    new Counter({
      name: 'whisperd_aec_failures_total',
      help: 'Echo cancellers that could not be set (no native addon): the whisper ran without',
      registers: [r],
      collect() {
        this.reset();
        this.inc(svc.counters.aecFailures);
      },
    });
  }
  if (free('whisperd_bleed_failsafe_total')) {
    new Counter({
      name: 'whisperd_bleed_failsafe_total',
      help: 'Whisper failsafes requested by the bleed monitors, by kind (acoustic, digital)',
      labelNames: ['kind'],
      registers: [r],
      collect() {
        this.reset();
        this.inc({ kind: 'acoustic' }, svc.counters.failsafeAcoustic);
        this.inc({ kind: 'digital' }, svc.counters.failsafeDigital);
      },
    });
  }
}
