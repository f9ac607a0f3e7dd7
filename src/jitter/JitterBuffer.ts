/**
 * Adaptive jitter buffer with concealment, one per decoded inbound stream (the relay path has none).
 * The network side calls put() per RTP packet; the mixer calls get() once per output frame (10 or 20 ms)
 * with its own clock. Both take times in ms from the same monotonic clock; nothing here reads a clock.
 *
 * Playout model (NetEq-like, see /work/shared/notes/dsp-and-performance-anchors.md §1):
 *  - Packets are kept by extended sequence number (PacketStore) and played in sequence order; `playTs`
 *    is the RTP timestamp (extended, clock units) just after the last audio appended to the PCM queue.
 *  - currentDelay = now − (fastest arrival offset of the last 2 s) − media time of the playout point:
 *    how long after its fastest-path arrival the sample now leaving is played. The target delay is the
 *    95th percentile of relative arrival delay (DelayEstimator), rounded up to 10 ms, clamped to
 *    [minDelayMs, maxDelayMs]; it rises at once and falls by at most 100 ms per second of audio.
 *  - A missing packet is *lost* when the playout is already at/over target (conceal and advance);
 *    otherwise, or when nothing is buffered, the buffer *holds*: it conceals without advancing, which
 *    grows the delay until the late packet comes (up to maxDelayMs). Held time is credited against a
 *    gap that turns out to be a loss, so a lost packet costs one frame of concealment, not two.
 *  - Talkspurt starts (first packet, marker bit after loss, DTX gap with contiguous sequence numbers,
 *    CN packets) re-place playout at the target (from a quarter frame under it: the buffer is pulled on
 *    another stream's clock, so a packet landing just after a pull must not wait a whole extra frame):
 *    silence is emitted until then. So does a
 *    timeline that fell behind playout (every buffered packet is older than the playout point: a
 *    pause resumed without advancing the timestamps), with the arrival-delay estimate restarted.
 *  - Time-stretching, rate-limited to 100 ms per second of audio: over target by ≥ ¾ frame → drop
 *    one decoded frame, only low-energy ones unless over by ≥ 2 frames (then crossfade 5 ms); under
 *    target → insert one concealment frame at a packet boundary, preferably after quiet audio.
 * Hot path: no allocation, closures, Maps or logging; bad media is dropped and counted.
 */
import { parseCnLevel } from '../codec/comfortNoise';
import type { AudioDecoder } from '../codec/types';
import type { RtpView } from '../media/rtp';
import { ArrivalTracker } from './ArrivalTracker';
import { Concealer } from './Concealer';
import { DelayEstimator } from './DelayEstimator';
import { JitterStats } from './JitterStats';
import { PKT_CN, PKT_MARKER, PacketStore } from './PacketStore';
import { PcmQueue, RANK_CONCEALED, RANK_NORMAL } from './PcmQueue';
import { TargetDelay } from './TargetDelay';
import { FrameKind, type JitterBufferOptions } from './types';

/** Most time-stretch (either way) per unit of audio: 100 ms per second (NetEq's rate limit). */
const STRETCH_RATIO = 0.1;
/** |relative delay| beyond this on the same SSRC means the timestamp base jumped. */
const RESYNC_MS = 1000;
/** Longest packet the decoder may return, ms (the AudioDecoder contract). */
const MAX_PACKET_MS = 120;

export class JitterBuffer {
  readonly stats = new JitterStats();
  readonly clockRate: number;
  /** Decoder output rate; get() writes frameSamples samples at this rate. */
  readonly sampleRate: number;
  readonly frameMs: number;
  readonly frameSamples: number;

  private readonly decoder: AudioDecoder;
  private readonly store: PacketStore;
  private readonly pcm: PcmQueue;
  private readonly est = new DelayEstimator();
  private readonly arr = new ArrivalTracker();
  private readonly target: TargetDelay;
  private readonly synth: Concealer;
  private readonly tsPerSample: number;
  private readonly msPerTs: number;
  private readonly frameTs: number;
  private readonly maxDecodeSamples: number;
  private readonly maxDelayMs: number;
  private readonly cnPt: number;
  private readonly maxConcealSamples: number;
  private readonly quietMeanSquare: number;
  private readonly xfadeSamples: number;

  private hasSsrc = false;
  private ssrc = 0;
  private nextSeq = 0;
  private playTs = 0;
  /** Next packet must be placed at the target delay (start, talkspurt, resync). */
  private waiting = true;
  /** A packet has been played since the last reset. */
  private primed = false;
  /** Last played packet was comfort noise: an empty buffer is DTX, not loss. */
  private inDtx = false;
  /** Last decoded packet was below silenceRms. */
  private lastQuiet = false;
  /** Clock units of audio emitted while holding, creditable against a later gap. */
  private holdCredit = 0;
  /** Learned packet duration, clock units. */
  private pktTs: number;
  /** Samples of time-stretch currently allowed (token bucket, capped at one frame). */
  private stretchCredit = 0;
  private suspectOffset = NaN;
  private lostBase = 0;

  constructor(opts: JitterBufferOptions) {
    this.decoder = opts.decoder;
    this.clockRate = opts.clockRate;
    this.sampleRate = opts.decoder.sampleRate;
    this.frameMs = opts.frameMs ?? 20;
    this.frameSamples = Math.round((this.sampleRate * this.frameMs) / 1000);
    this.tsPerSample = this.clockRate / this.sampleRate;
    this.msPerTs = 1000 / this.clockRate;
    this.frameTs = this.frameSamples * this.tsPerSample;
    this.pktTs = this.frameTs;
    this.maxDecodeSamples = Math.ceil((this.sampleRate * MAX_PACKET_MS) / 1000);
    this.maxDelayMs = opts.maxDelayMs ?? 200;
    this.target = new TargetDelay(opts.minDelayMs ?? 20, this.maxDelayMs, opts.startDelayMs ?? 40);
    this.cnPt = opts.cnPayloadType ?? 13;
    this.maxConcealSamples = Math.round((this.sampleRate * (opts.maxConcealMs ?? 100)) / 1000);
    const rms = opts.silenceRms ?? 100;
    this.quietMeanSquare = rms * rms;
    this.xfadeSamples = this.frameSamples >> 2;
    this.store = new PacketStore(opts.maxPackets ?? 64, opts.maxPayloadBytes ?? 1500);
    this.pcm = new PcmQueue(3 * this.frameSamples + 2 * this.maxDecodeSamples);
    this.synth = new Concealer(this.decoder, this.pcm, this.stats, this.maxConcealSamples);
  }

  /** Current target delay, ms. */
  get targetDelayMs(): number {
    return this.target.targetMs;
  }

  /**
   * Accept one parsed RTP packet; the payload is copied, `buf` may be reused after the call.
   * `arrivalMs` must not decrease between calls.
   */
  put(buf: Uint8Array, view: RtpView, arrivalMs: number): void {
    const st = this.stats;
    st.packetsReceived++;
    const len = view.payloadLength;
    if (len > this.store.maxPayloadBytes || view.payloadOffset + len > buf.length) {
      st.packetsDiscarded++;
      return;
    }
    if (!this.hasSsrc || view.ssrc !== this.ssrc) {
      if (this.hasSsrc) {
        st.ssrcChanges++;
        this.resetStream();
      }
      this.hasSsrc = true;
      this.ssrc = view.ssrc;
    }
    const arr = this.arr;
    if (!arr.started) {
      arr.begin(view.sequence, view.timestamp);
      this.nextSeq = arr.highestSeq;
    }
    let extSeq = arr.extendSeq(view.sequence);
    let extTs = arr.extendTs(view.timestamp);
    const offset = arrivalMs - extTs * this.msPerTs;
    if (this.est.count > 0) {
      const rel = offset - this.est.minOffsetMs;
      if (rel > RESYNC_MS || rel < -RESYNC_MS) {
        // Timestamp base jumped (or a wildly late packet). Resync once a second packet confirms it.
        if (!(Math.abs(offset - this.suspectOffset) < 100)) {
          this.suspectOffset = offset;
          st.packetsDiscarded++;
          return;
        }
        st.resyncs++;
        this.resetStream();
        arr.begin(view.sequence, view.timestamp);
        this.nextSeq = extSeq = arr.highestSeq;
        extTs = arr.extendTs(view.timestamp);
      }
    }
    this.suspectOffset = NaN;
    const store = this.store;
    if (store.has(extSeq) || store.wasPlayed(extSeq)) {
      st.packetsDuplicated++;
      return;
    }
    arr.accept(extSeq, extTs, view.timestamp, arrivalMs, this.clockRate);
    st.packetsLost = this.lostBase + arr.lost;
    st.jitter = arr.jitterSeconds(this.clockRate);
    if (extSeq < this.nextSeq) {
      if (this.primed || this.nextSeq - extSeq >= store.capacity) {
        st.packetsDiscarded++;
        return;
      }
      this.nextSeq = extSeq; // before the start: an earlier packet overtaken by a later one
    } else if (extSeq - this.nextSeq >= store.capacity) {
      st.packetsDiscarded += store.clear();
      st.flushes++;
      this.nextSeq = extSeq;
      this.waiting = true;
    }
    const flags = (view.marker ? PKT_MARKER : 0) | (view.payloadType === this.cnPt ? PKT_CN : 0);
    store.put(extSeq, extTs, arrivalMs, flags, buf, view.payloadOffset, len);
    const step = store.tsStepFromPrevious(extSeq, extTs);
    if (step > 0 && step * this.msPerTs <= MAX_PACKET_MS) this.pktTs = step;
    this.est.update(arrivalMs, extTs * this.msPerTs);
    this.target.onArrival(this.est.quantileMs(), this.est.count);
  }

  /**
   * Write exactly one frame (frameSamples samples at sampleRate) into out[outOffset ..] for playout at
   * `nowMs`, and say what it contains. Never throws, never allocates.
   */
  get(out: Int16Array, outOffset: number, nowMs: number): FrameKind {
    const F = this.frameSamples;
    const d = this.delayMs(nowMs);
    this.target.onFrame(this.frameMs);
    this.stats.currentDelayMs = d;
    this.stats.targetDelayMs = this.target.targetMs;
    const credit = this.stretchCredit + F * STRETCH_RATIO;
    this.stretchCredit = credit > F ? F : credit;
    if (!this.maybeDecelerate(d)) {
      this.fill(nowMs);
      this.maybeAccelerate(d);
    }
    return this.emit(out, outOffset, nowMs);
  }

  /** Drop every buffered packet and playout state (keeps statistics and the learned target). */
  reset(): void {
    this.resetStream();
    this.hasSsrc = false;
  }

  // ---- playout -------------------------------------------------------------------------------------

  private fill(now: number): void {
    const F = this.frameSamples;
    for (let guard = 0; this.pcm.avail < F; guard++) {
      if (guard > 64) {
        this.silence(F - this.pcm.avail, false);
        return;
      }
      this.step(now, F - this.pcm.avail);
    }
  }

  /** One playout decision: append audio for up to `needed` samples, or make other progress. */
  private step(now: number, needed: number): void {
    const slot = this.findNext();
    if (slot < 0) {
      this.underrun(now, needed);
      return;
    }
    const store = this.store;
    if (this.waiting) {
      this.startAt(now, slot, needed);
      return;
    }
    const pSeq = store.seq[slot]!;
    const pTs = store.ts[slot]!;
    const gap = pTs - this.playTs;
    if (pSeq === this.nextSeq) {
      if (gap < this.frameTs / 2) this.decodeSlot(slot);
      else {
        this.waiting = true; // contiguous sequence, timestamp jump: the sender paused (DTX), not loss
        this.startAt(now, slot, needed);
      }
      return;
    }
    // Packets nextSeq .. pSeq-1 are missing.
    if ((store.flags[slot]! & PKT_MARKER) !== 0 || gap > this.maxConcealSamples * this.tsPerSample) {
      this.nextSeq = pSeq;
      this.waiting = true;
      this.startAt(now, slot, needed);
      return;
    }
    if (gap <= 0) {
      this.nextSeq = pSeq;
      return;
    }
    if (this.holdCredit > 0) {
      const c = this.holdCredit < gap ? this.holdCredit : gap;
      this.playTs += c;
      this.holdCredit -= c;
      if (c >= gap) this.nextSeq = pSeq;
      return;
    }
    if (this.delayMs(now) < this.target.targetMs) {
      this.missing(needed, false); // not yet late beyond target: wait for it
      return;
    }
    const gapSamples = Math.round(gap / this.tsPerSample);
    this.conceal(needed < gapSamples ? needed : gapSamples, true);
    if (this.playTs >= pTs - this.tsPerSample / 2) {
      this.playTs = pTs;
      this.nextSeq = pSeq;
    }
  }

  private underrun(now: number, needed: number): void {
    if (!this.primed || this.inDtx) {
      this.silence(needed, this.inDtx);
      return;
    }
    this.missing(needed, this.delayMs(now) >= this.maxDelayMs);
  }

  /** Place the packet in `slot` at the target delay: silence until it is due, then decode it. */
  private startAt(now: number, slot: number, needed: number): void {
    const pTs = this.store.ts[slot]!;
    if (!this.isDue(now, pTs)) {
      this.silence(needed, false);
      return;
    }
    this.playTs = pTs;
    this.decodeSlot(slot);
  }

  private isDue(now: number, pTs: number): boolean {
    // On target from a quarter frame under it (as maybeDecelerate reads it): pulled on another stream's
    // clock, a packet arriving just after a pull would otherwise wait a whole extra frame.
    return now - this.est.minOffsetMs - pTs * this.msPerTs - this.prerollMs() >= this.target.targetMs - this.frameMs * 0.25;
  }

  private decodeSlot(slot: number): void {
    const store = this.store;
    const pTs = store.ts[slot]!;
    store.markPlayed(slot);
    this.nextSeq = store.seq[slot]! + 1;
    this.primed = true;
    this.waiting = false;
    this.holdCredit = 0;
    if ((store.flags[slot]! & PKT_CN) !== 0) {
      this.inDtx = true;
      this.lastQuiet = true;
      this.playTs = pTs;
      // An empty CN payload carries no level: the last one stays (as before comfortNoise.ts was used).
      const level = parseCnLevel(store.slab, store.payloadOffset(slot), store.len[slot]!);
      if (level >= 0) this.synth.setComfortNoiseLevel(level);
      return;
    }
    this.inDtx = false;
    const pcm = this.pcm;
    const w = pcm.reserve(this.maxDecodeSamples);
    const n = this.decoder.decode(store.slab, store.payloadOffset(slot), store.len[slot]!, pcm.samples, w);
    this.playTs = pTs;
    if (n < 0) {
      this.stats.decodeErrors++;
      this.conceal(Math.round(this.pktTs / this.tsPerSample), true);
      return;
    }
    if (n === 0) return;
    pcm.commit(n, RANK_NORMAL, store.arrival[slot]!);
    this.stats.totalSamplesReceived += n;
    this.playTs = pTs + n * this.tsPerSample;
    this.synth.endRun();
    this.lastQuiet = pcm.meanSquare(w, n) < this.quietMeanSquare;
  }

  /** Missing audio: PLC after speech, silence after quiet audio (presumed DTX). */
  private missing(n: number, advance: boolean): void {
    if (this.lastQuiet) this.silence(n, advance);
    else this.conceal(n, advance);
    if (!advance) this.holdCredit += n * this.tsPerSample;
  }

  private conceal(n: number, advance: boolean): void {
    this.synth.conceal(n, true);
    if (advance) this.playTs += n * this.tsPerSample;
  }

  private silence(n: number, advance: boolean): void {
    this.synth.silence(n, this.inDtx);
    if (advance) this.playTs += n * this.tsPerSample;
  }

  // ---- time-stretching -------------------------------------------------------------------------------

  /** Too shallow: insert one frame before the next packet. Returns true if it produced the frame. */
  private maybeDecelerate(d: number): boolean {
    const F = this.frameSamples;
    if (!this.primed || this.waiting || this.inDtx || this.pcm.avail !== 0 || this.stretchCredit < F) return false;
    if (d >= this.target.targetMs - this.frameMs / 4) return false;
    if (!this.lastQuiet && d >= this.target.targetMs - this.frameMs) return false;
    if (!this.store.has(this.nextSeq)) return false; // an underrun will hold anyway
    if (this.lastQuiet) this.silence(F, false);
    else this.synth.conceal(F, false);
    this.stats.insertedSamplesForDeceleration += F;
    this.stretchCredit -= F;
    return true;
  }

  /** Too deep: drop one decoded frame, a quiet one unless far over target. */
  private maybeAccelerate(d: number): void {
    const F = this.frameSamples;
    if (!this.primed || this.waiting || this.inDtx || this.stretchCredit < F) return;
    const over = d - this.target.targetMs;
    // Drop only when the delay stays on target (>= target - frame/4) after it: over by 3/4 frame.
    if (over < this.frameMs * 0.75) return;
    const pcm = this.pcm;
    const store = this.store;
    for (let guard = 0; pcm.avail < 2 * F && guard < 8; guard++) {
      const slot = store.slotOf(this.nextSeq);
      if (!store.has(this.nextSeq) || (store.flags[slot]! & PKT_CN) !== 0) break;
      const gap = store.ts[slot]! - this.playTs;
      if (gap >= this.frameTs / 2 || gap <= -this.frameTs / 2) break;
      this.decodeSlot(slot);
    }
    if (!pcm.dropFrame(F, this.quietMeanSquare, over >= 2 * this.frameMs, this.xfadeSamples)) return;
    this.stats.removedSamplesForAcceleration += F;
    this.stretchCredit -= F;
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private emit(out: Int16Array, off: number, now: number): FrameKind {
    const pcm = this.pcm;
    const r = pcm.emit(out, off, this.frameSamples, now);
    const st = this.stats;
    st.jitterBufferDelay += pcm.lastDelaySumMs / 1000;
    st.jitterBufferTargetDelay += (this.target.targetMs * pcm.lastDecodedCount) / 1000;
    st.jitterBufferEmittedCount += pcm.lastDecodedCount;
    return r === RANK_NORMAL ? FrameKind.NORMAL : r === RANK_CONCEALED ? FrameKind.CONCEALED : FrameKind.SILENCE;
  }

  /**
   * First buffered packet at or after nextSeq; drops ones whose audio is already behind playout —
   * unless even the newest packet is behind it: then the sender's timeline, not a packet, is late
   * (a pause resumed without advancing the timestamps, or a step in the path delay after playout ran
   * on through an underrun), and playout is re-anchored on the first buffered packet instead.
   */
  private findNext(): number {
    const store = this.store;
    if (!this.primed || this.waiting) return store.firstFrom(this.nextSeq, this.arr.highestSeq, -Infinity, this.pktTs);
    if (this.arr.highestTs + this.pktTs <= this.playTs && store.has(this.arr.highestSeq)) return this.reanchor();
    const slot = store.firstFrom(this.nextSeq, this.arr.highestSeq, this.playTs, this.pktTs);
    this.stats.packetsDiscarded += store.staleDropped;
    return slot;
  }

  /**
   * Every buffered packet lies behind the playout point: restart playout on the first of them as on a
   * talkspurt start (placed at the target delay, nothing discarded) and measure arrival delay afresh
   * on the new timeline, so the old one's offsets neither hold the audio back nor trigger time-stretch.
   */
  private reanchor(): number {
    const store = this.store;
    const slot = store.firstFrom(this.nextSeq, this.arr.highestSeq, -Infinity, this.pktTs);
    if (slot < 0) return -1;
    this.stats.resyncs++;
    this.nextSeq = store.seq[slot]!;
    this.est.reset();
    this.est.update(store.arrival[slot]!, store.ts[slot]! * this.msPerTs);
    this.waiting = true;
    this.inDtx = false;
    this.holdCredit = 0;
    return slot;
  }

  /** Playout delay of the next sample to leave, relative to the fastest recent arrival, ms. */
  private delayMs(now: number): number {
    if (!this.primed || this.waiting) return this.target.targetMs;
    const playoutTs = this.playTs - this.pcm.avail * this.tsPerSample;
    return now - this.est.minOffsetMs - playoutTs * this.msPerTs - this.prerollMs();
  }

  /** Extra wait when packets are shorter than a frame: the frame's last packet must be in too. */
  private prerollMs(): number {
    const p = this.frameMs - this.pktTs * this.msPerTs;
    return p > 0 ? p : 0;
  }

  private resetStream(): void {
    this.stats.packetsDiscarded += this.store.clear();
    this.lostBase += this.arr.lost;
    this.arr.reset();
    this.est.reset();
    this.pcm.clear();
    this.decoder.reset();
    this.waiting = true;
    this.primed = false;
    this.inDtx = false;
    this.lastQuiet = false;
    this.holdCredit = 0;
    this.synth.reset();
    this.pktTs = this.frameTs;
    this.suspectOffset = NaN;
  }
}
