/**
 * One whisper/page session's bleed measurement: how much of the supervisor's audio, as delivered to the
 * agent, comes back in what the agent sends (and so reaches the customer), plus the digital routing check.
 * Its inputs are plain arrays, fed by the call's mixer through CallBleed (src/mix/types.ts MixAudioSink),
 * whichever engine runs it:
 *
 *   reference  the supervisor's contribution (gain applied, int16) in each frame mixed for the agent
 *              (onReference, at emission time), written into `refRing`;
 *   observed   the agent's decoded audio (onObserved, at arrival time), written into `obsRing`.
 * The two streams are paired by wall clock: observed position o goes with reference position o + offset,
 * where offset is the reference position "now" minus the observed position "now", re-estimated on every
 * observed frame and re-synchronised only when it drifts by more than RESYNC_MS (jitter does not move
 * the pairing, so the detector sees a stable delay; the drift must last RESYNC_FRAMES frames). Pairs are fed to BleedDetector as soon as both
 * rings hold them. When the agent's output is not mixed (no whisper frames), the reference is padded
 * with silence so the pairing keeps going.
 *
 * Digital check (DigitalLeakCheck): when the customer's output is mixed, every frame sent to the
 * customer is compared with the supervisor's raw audio read for that same frame (onCustomerMixed): a
 * copy at ~0 delay is a routing bug. A customer output that forwards the supervisor's packets
 * (passthrough from the supervisor) trips at once (checkRouting()). A customer output forwarding the
 * agent's packets cannot carry a digital copy (it is the agent's own bytes); only the acoustic path
 * can, which the detector covers.
 *
 * Zero allocation per frame (rings and scratch preallocated; trips call the host once).
 */
import { BleedDetector, LEVEL_NONE_DB, type BleedInputRate } from '../dsp/bleedDetector';
import { DigitalLeakCheck } from '../dsp/digitalLeakCheck';

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
/** The detector's evaluation hop, ms (its default, passed explicitly: the echo canceller's convergence hold counts evaluations). */
const HOP_MS = 250;

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

  /** The agent's participant generation in the mixer the streams come from (CallMedia.generation). */
  private agentGen = -2;

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

  /** Trip latched (failsafe requested). */
  tripped = false;
  trippedKind: BleedKind | null = null;
  /** Times the stream pairing was re-established (diagnostics). */
  resyncs = 0;
  /** performance.now() of the last 'bleed' event (BleedService rate-limits with it). */
  lastEventMs = -1e9;
  /** Observed samples paired with the reference and fed to the detector (diagnostics). */
  pairedSamples = 0;
  /**
   * Echo canceller of this session running (BleedService): the observed stream is what is left after it.
   * While it converges (the first `holdUntil` detector evaluations, i.e. seconds of supervisor speech) an
   * acoustic alarm is held, not tripped; an alarm after that trips as always. Turning the canceller off
   * ends the hold at once.
   */
  aecOn = false;
  private holdUntil = 0;
  /** Acoustic alarms held while the canceller converged (diagnostics). */
  heldAlarms = 0;

  /** The canceller started (signalling time): hold acoustic trips for `ms` of supervisor speech (evaluations of HOP_MS). */
  aecStarted(ms: number): void {
    this.aecOn = true;
    this.holdUntil = this.detector.evaluations + Math.ceil(ms / HOP_MS);
  }

  /** The canceller stopped (signalling time): no hold. */
  aecStopped(): void {
    this.aecOn = false;
    this.holdUntil = 0;
  }

  constructor(o: BleedMonitorOptions) {
    this.callId = o.callId;
    this.supervisorTag = o.supervisorTag;
    this.agentTag = o.agentTag;
    this.customerTag = o.customerTag;
    this.rate = o.rate;
    this.host = o.host;
    this.detector = new BleedDetector({ sampleRate: o.rate, thresholdDb: o.thresholdDb, maxDelayMs: o.maxDelayMs, levelOffsetDb: o.levelOffsetDb, hopMs: HOP_MS });
    this.digital = new DigitalLeakCheck({ sampleRate: o.rate });
    let size = 1;
    while (size < (o.rate * RING_MS) / 1000) size <<= 1;
    this.refRing = new Int16Array(size);
    this.obsRing = new Int16Array(size);
    this.mask = size - 1;
    this.resync = Math.round((o.rate * RESYNC_MS) / 1000);
  }

  /**
   * (Re)bind at signalling time to the agent's current input/output, identified by their generation
   * (CallMedia.generation; -1 none): when they were recreated, the stream pairing starts over.
   */
  bind(agentGeneration: number): void {
    if (agentGeneration !== this.agentGen) this.synced = false;
    this.agentGen = agentGeneration;
  }

  /**
   * Structural digital check: the customer's output must never forward the supervisor's packets.
   * `passthroughFrom`: the input the customer's output forwards or is about to (CallMedia.passthroughSource).
   */
  checkRouting(passthroughFrom: string | null): void {
    if (passthroughFrom !== null && passthroughFrom === this.supervisorTag) this.tripDigital();
  }

  /**
   * A frame of n samples was mixed for the agent at nowMs: append the supervisor's contribution
   * (contrib[0..n), gain applied) to the reference; null = the supervisor is not a source (silence).
   */
  onReference(contrib: Int16Array | null, n: number, nowMs: number): void {
    const ring = this.refRing;
    const mask = this.mask;
    const w = this.refW;
    if (contrib === null) {
      for (let i = 0; i < n; i++) ring[(w + i) & mask] = 0;
    } else {
      for (let i = 0; i < n; i++) ring[(w + i) & mask] = contrib[i]!;
    }
    this.refW = w + n;
    this.refTimeMs = nowMs;
    this.lastTapMs = nowMs;
    this.pump();
  }

  /** The agent's audio arrived at nowMs and was decoded (pcm[off..off+n), mix rate): append it to the observed stream. */
  onObserved(pcm: Int16Array, off: number, samples: number, nowMs: number): void {
    const ring = this.obsRing;
    const mask = this.mask;
    const w = this.obsW;
    for (let i = 0; i < samples; i++) ring[(w + i) & mask] = pcm[off + i]!;
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
      if (d.alarm && !this.tripped && d.evaluations <= this.holdUntil) this.heldAlarms++;
      else if (d.alarm && !this.tripped) {
        this.tripped = true;
        this.trippedKind = 'acoustic';
        this.host.trip(this, 'acoustic');
      }
    }
  }

  /**
   * A frame was mixed for the customer (pcm[0..n)): compare it with the supervisor's raw audio read for
   * that frame (raw[0..n)); null = the supervisor is not a source of the customer's output.
   */
  onCustomerMixed(pcm: Int16Array, raw: Int16Array | null, n: number): void {
    if (raw === null) return;
    this.digital.process(raw, 0, pcm, 0, n);
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
