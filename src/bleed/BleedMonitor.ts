/**
 * One whisper/page session's bleed measurement: how much of the supervisor's audio, as delivered to the
 * agent, comes back in what the agent sends (and so reaches the customer), plus the digital routing check.
 *
 *   reference  the supervisor's contribution (gain applied) in each frame mixed for the agent
 *              (MixOutput.tap on the agent's output, `contributions[k]` for the supervisor's source k),
 *              written into `refRing` at emission time;
 *   observed   the agent's decoded audio (MixInput.observer on the agent's direct path), written into
 *              `obsRing` at arrival time.
 * The two streams are paired by wall clock: observed position o goes with reference position o + offset,
 * where offset is the reference position "now" minus the observed position "now", re-estimated on every
 * observed frame and re-synchronised only when it drifts by more than RESYNC_MS (jitter does not move
 * the pairing, so the detector sees a stable delay; the drift must last RESYNC_FRAMES frames). Pairs are fed to BleedDetector as soon as both
 * rings hold them. When the agent's output is not mixed (no whisper frames), the reference is padded
 * with silence so the pairing keeps going.
 *
 * Digital check (DigitalLeakCheck): when the customer's output is mixed, every frame sent to the
 * customer is compared with the supervisor's raw audio read for that same frame (the customer output's
 * own cursor into the supervisor's ring): a copy at ~0 delay is a routing bug. A customer output that
 * forwards the supervisor's packets (passthrough from the supervisor) trips at once (checkRouting()).
 * A customer output forwarding the agent's packets cannot carry a digital copy (it is the agent's own
 * bytes); only the acoustic path can, which the detector covers.
 *
 * Zero allocation per frame (rings and scratch preallocated; trips call the host once).
 */
import { BleedDetector, LEVEL_NONE_DB, type BleedInputRate } from '../dsp/bleedDetector';
import { DigitalLeakCheck } from '../dsp/digitalLeakCheck';
import type { MixInput } from '../mix/MixInput';
import { OutputMode, type MixOutput } from '../mix/MixOutput';
import type { PcmRing } from '../mix/PcmRing';

/** Latest measurement of one session (also exposed as SupervisionSession.bleed; mutated in place). */
export interface BleedMeasurement {
  /** Bleed level relative to the whisper, dB; -120 when no leak path is detected. */
  levelDb: number;
  /** Delay of the detected path (whisper emitted -> leak received), ms; -1 when none. */
  delayMs: number;
  /** Confidence of the latest evaluation, 0..1. */
  confidence: number;
  /** Detector evaluations so far (only while the supervisor talks). */
  evaluations: number;
  /** A leak path is detected (any level). */
  detected: boolean;
  /** The digital (routing) check found the supervisor in the customer's audio. */
  digitalTripped: boolean;
}

export type BleedKind = 'acoustic' | 'digital';

export interface BleedMonitorHost {
  /** After each detector evaluation (measurement updated). Not per frame. */
  measured(m: BleedMonitor): void;
  /** The alarm or the digital check fired (called once per monitor). */
  trip(m: BleedMonitor, kind: BleedKind): void;
}

export interface BleedMonitorOptions {
  callId: string;
  supervisorTag: string;
  agentTag: string;
  customerTag: string;
  /** Mix rate of the call (8000 or 16000). */
  rate: BleedInputRate;
  thresholdDb: number;
  maxDelayMs: number;
  levelOffsetDb: number;
  host: BleedMonitorHost;
}

/** Ring length, ms (pairs wait here until both streams hold them). */
const RING_MS = 1000;
/** Re-pair the streams when the estimated offset moves by more than this, ms. */
const RESYNC_MS = 60;
/** ... for this many consecutive observed frames. */
const RESYNC_FRAMES = 10;
/** No whisper frame for this long: pad the reference with silence, ms (longer than an event-loop stall). */
const REF_STALL_MS = 200;
const MAX_FRAME = 16000 * 0.12;

export class BleedMonitor {
  readonly callId: string;
  readonly supervisorTag: string;
  readonly agentTag: string;
  readonly customerTag: string;
  readonly rate: BleedInputRate;
  readonly detector: BleedDetector;
  readonly digital: DigitalLeakCheck;
  readonly measurement: BleedMeasurement = { levelDb: LEVEL_NONE_DB, delayMs: -1, confidence: 0, evaluations: 0, detected: false, digitalTripped: false };
  private readonly host: BleedMonitorHost;

  /** Bound mixer objects (re-bound at signalling time by BleedService). */
  agentIn: MixInput | null = null;
  agentOut: MixOutput | null = null;
  customerOut: MixOutput | null = null;
  private refK = -1;
  private custK = -1;

  private readonly refRing: Int16Array;
  private readonly obsRing: Int16Array;
  private readonly mask: number;
  private refW = 0;
  private refTimeMs = -1;
  private lastTapMs = -1;
  private obsW = 0;
  /** Observed position paired and processed up to. */
  private done = 0;
  private offset = 0;
  private synced = false;
  private drift = 0;
  private readonly resync: number;
  private readonly scratch = new Int16Array(MAX_FRAME);

  /** Trip latched (failsafe requested). */
  tripped = false;
  trippedKind: BleedKind | null = null;
  /** Times the stream pairing was re-established (diagnostics). */
  resyncs = 0;
  /** performance.now() of the last 'bleed' event (BleedService rate-limits with it). */
  lastEventMs = -1e9;
  /** Observed samples paired with the reference and fed to the detector (diagnostics). */
  pairedSamples = 0;

  constructor(o: BleedMonitorOptions) {
    this.callId = o.callId;
    this.supervisorTag = o.supervisorTag;
    this.agentTag = o.agentTag;
    this.customerTag = o.customerTag;
    this.rate = o.rate;
    this.host = o.host;
    this.detector = new BleedDetector({ sampleRate: o.rate, thresholdDb: o.thresholdDb, maxDelayMs: o.maxDelayMs, levelOffsetDb: o.levelOffsetDb });
    this.digital = new DigitalLeakCheck({ sampleRate: o.rate });
    let size = 1;
    while (size < (o.rate * RING_MS) / 1000) size <<= 1;
    this.refRing = new Int16Array(size);
    this.obsRing = new Int16Array(size);
    this.mask = size - 1;
    this.resync = Math.round((o.rate * RESYNC_MS) / 1000);
  }

  /** (Re)bind to the mixer's current objects; resets the pairing when they changed. Signalling time. */
  bind(agentIn: MixInput | null, agentOut: MixOutput | null, customerOut: MixOutput | null): void {
    if (agentIn !== this.agentIn || agentOut !== this.agentOut) this.synced = false;
    this.agentIn = agentIn;
    this.agentOut = agentOut;
    this.customerOut = customerOut;
    this.refK = -1;
    this.custK = -1;
    this.checkRouting();
  }

  /** Structural digital check: the customer's output must never forward the supervisor's packets. */
  checkRouting(): void {
    const c = this.customerOut;
    if (c === null) return;
    const from = c.mode === OutputMode.PASSTHROUGH ? c.passthroughFrom : c.wantPassthrough;
    if (from !== null && from.tag === this.supervisorTag) this.tripDigital();
  }

  private sourceIndex(out: MixOutput, cached: number): number {
    const sources = out.sources;
    if (cached >= 0 && cached < sources.length && sources[cached]!.input.tag === this.supervisorTag) return cached;
    for (let k = 0; k < sources.length; k++) if (sources[k]!.input.tag === this.supervisorTag) return k;
    return -1;
  }

  /** A frame was mixed for the agent: append the supervisor's contribution to the reference. */
  onReference(out: MixOutput, samples: number, nowMs: number): void {
    const k = (this.refK = this.sourceIndex(out, this.refK));
    const ring = this.refRing;
    const mask = this.mask;
    let w = this.refW;
    if (k < 0) {
      for (let i = 0; i < samples; i++) ring[(w + i) & mask] = 0;
    } else {
      const c = out.contributions[k]!;
      for (let i = 0; i < samples; i++) {
        const v = Math.round(c[i]!);
        ring[(w + i) & mask] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    this.refW = w + samples;
    this.refTimeMs = nowMs;
    this.lastTapMs = nowMs;
    this.pump();
  }

  /** The agent's audio arrived and was decoded: append it to the observed stream. */
  onObserved(src: PcmRing, samples: number, nowMs: number): void {
    const buf = src.buf;
    const smask = buf.length - 1;
    const start = src.written - samples;
    const ring = this.obsRing;
    const mask = this.mask;
    const w = this.obsW;
    for (let i = 0; i < samples; i++) ring[(w + i) & mask] = buf[(start + i) & smask]!;
    this.obsW = w + samples;
    // No whisper frames (agent output not mixed, or its clock stalled): pad the reference with silence.
    if (this.lastTapMs < 0 || nowMs - this.lastTapMs > REF_STALL_MS) {
      const rw = this.refW;
      for (let i = 0; i < samples; i++) this.refRing[(rw + i) & mask] = 0;
      this.refW = rw + samples;
      this.refTimeMs = nowMs;
    }
    // Pairing: reference position "now" minus observed position "now".
    const est = this.refW + Math.round(((nowMs - this.refTimeMs) * this.rate) / 1000) - this.obsW;
    // Re-pair only when the drift persists (RESYNC_FRAMES observed frames): a burst after an event-loop
    // stall moves the estimate for a moment, not the real alignment.
    if (this.synced && Math.abs(est - this.offset) > this.resync) this.drift++;
    else this.drift = 0;
    if (!this.synced || this.drift >= RESYNC_FRAMES) {
      if (this.synced) this.resyncs++;
      this.drift = 0;
      this.offset = est;
      this.synced = true;
      if (this.done < this.obsW - samples) this.done = this.obsW - samples;
    }
    this.pump();
  }

  /** Feed every observed sample whose reference partner is available. */
  private pump(): void {
    if (!this.synced) return;
    const size = this.mask + 1;
    let p = this.done;
    // Never older than either ring holds.
    if (p < this.obsW - size) p = this.obsW - size;
    if (p + this.offset < this.refW - size) p = this.refW - size - this.offset;
    let end = this.refW - this.offset;
    if (end > this.obsW) end = this.obsW;
    if (end <= p) {
      this.done = p;
      return;
    }
    const evals = this.detector.evaluations;
    while (p < end) {
      const oi = p & this.mask;
      const ri = (p + this.offset) & this.mask;
      let n = end - p;
      if (n > size - oi) n = size - oi;
      if (n > size - ri) n = size - ri;
      this.detector.process(this.refRing, ri, this.obsRing, oi, n);
      p += n;
      this.pairedSamples += n;
    }
    this.done = p;
    const d = this.detector;
    if (d.evaluations !== evals) {
      const m = this.measurement;
      m.levelDb = d.levelDb;
      m.delayMs = d.delayMs;
      m.confidence = d.confidence;
      m.evaluations = d.evaluations;
      m.detected = d.detected;
      this.host.measured(this);
      if (d.alarm && !this.tripped) {
        this.tripped = true;
        this.trippedKind = 'acoustic';
        this.host.trip(this, 'acoustic');
      }
    }
  }

  /** A frame was mixed for the customer: compare it with the supervisor's raw audio of that frame. */
  onCustomerMixed(out: MixOutput, pcm: Int16Array, samples: number): void {
    const k = (this.custK = this.sourceIndex(out, this.custK));
    if (k < 0 || samples > this.scratch.length) return;
    const s = out.sources[k]!;
    if (s.cursor < 0 || (s.primary ? s.input.direct : s.input.buffered) === null) return;
    s.ring.read(s.cursor - samples, this.scratch, 0, samples);
    this.digital.process(this.scratch, 0, pcm, 0, samples);
    if (this.digital.tripped) this.tripDigital();
  }

  private tripDigital(): void {
    this.measurement.digitalTripped = true;
    if (this.tripped && this.trippedKind === 'digital') return;
    // A digital trip overrides a pending acoustic one (stronger action).
    this.tripped = true;
    this.trippedKind = 'digital';
    this.host.trip(this, 'digital');
  }

  /** Correlation and lag (ms) of the digital match, for the failsafe record. */
  get digitalMatch(): { correlation: number; lagMs: number } {
    return { correlation: this.digital.tripped ? this.digital.correlation : 1, lagMs: this.digital.matchLag < 0 ? 0 : (this.digital.matchLag * 1000) / this.rate };
  }
}
