/**
 * One participant's audio as a mixer input. Its packets arrive here (the endpoint's `engine`), and the
 * input serves them to up to three paths decided at signalling time:
 *
 *  - passthrough: forwarded to outputs that carry exactly this input (relay, or rewritten for stream
 *    continuity) — see MixOutput.forward();
 *  - direct: decoded on arrival into `direct.ring` with no jitter buffer; the output this input is the
 *    primary talker of is emitted right away (the primary talker does not pay for the mix);
 *  - buffered: put into a jitter buffer; outputs pull decoded frames into `buffered.ring` on their own
 *    clock (secondary talkers, e.g. the supervisor).
 *
 * All buffers are allocated here at setup; onRtp() and the pulls allocate nothing.
 */
import type { AudioDecoder } from '../codec/types';
import { Resampler } from '../codec/resampler';
import { JitterBuffer } from '../jitter/JitterBuffer';
import type { JitterStats } from '../jitter/JitterStats';
import { FrameKind } from '../jitter/types';
import { DropReason, mediaCounters } from '../media/counters';
import { parseRtp, RtpVerdict, RtpView, seqDiff } from '../media/rtp';
import type { RtpEndpoint } from '../media/RtpEndpoint';
import { PcmRing } from './PcmRing';
import type { AlignedResampler } from './AlignedResampler';
import { Sequencer, SeqInsert } from './Sequencer';
import type { EchoCanceller } from './EchoCanceller';
import type { TelephoneEventTones } from './TelephoneEventTones';
import { OutputMode, type MediaInput } from './types';

/** What an input uses of a TRANSCODE output (MixOutput is one): it forwards or hands decoded PCM to it. */
export interface TranscodeSink {
  readonly mode: OutputMode;
  readonly plan: { readonly forwardPt: Int16Array } | null;
  readonly tcResamplers: ReadonlyMap<number, AlignedResampler>;
  readonly tcScratch: Int16Array;
  transcodeForward(buf: Buffer, view: RtpView, pt: number): void;
  transcodePcm(pcm: Int16Array, off: number, n: number, view: RtpView, reset: boolean, expected: number, tsOffset?: number): void;
}

/** A decoder for one payload type of an input's transcode path, at its own rate. */
export interface TranscodeDecoder {
  pt: number;
  decoder: AudioDecoder;
  rate: number;
  /** RTP clock of that payload type (60 ms gap rule of the sequencer). */
  clockRate: number;
  /** telephone-event turned into tones (then `decoder` is not used). */
  tones?: TelephoneEventTones;
}

/** The sequencer gives up waiting for a missing packet once the audio after it is this far ahead. */
const SEQ_FORCE_MS = 60;

/** A decoder plus what converts its output to the call's mix rate. */
export interface DecodeChain {
  decoder: AudioDecoder;
  resampler: Resampler | null;
  ring: PcmRing;
}

/** Observer of the decoded direct audio (bleed detector, digital check). */
export interface DirectAudioObserver {
  /** The frame just decoded (mix rate) is pcm[off..off+samples); it is also the newest audio in `direct.ring`. */
  onDirectAudio(input: MixInput, pcm: Int16Array, off: number, samples: number): void;
}

/** Receives events from an input: primary audio arrived, DTMF. Implemented by CallMixer. */
export interface MixInputHost {
  onPrimaryAudio(input: MixInput, samples: number, nowMs: number): void;
  onPassthrough(input: MixInput, buf: Buffer, view: RtpView): void;
  onTelephoneEvent(input: MixInput, buf: Buffer, view: RtpView): void;
}

const MAX_FRAME_MS = 120;
const RING_MS = 1000;
/** A sequence number this far behind the last decoded one is a sender restart, not a late packet. */
const SEQ_RESTART = 100;
/** This many consecutive sequence numbers, all behind the last decoded one, are a restart too. */
const LATE_RUN_RESTART = 3;
/**
 * Audio a primary talker may send ahead of wall-clock time, ms: packets bunched by the network, or
 * read in one go after an event-loop stall of up to this long, all still play.
 */
const BURST_MS = 500;

export class MixInput implements MediaInput {
  readonly tag: string;
  readonly endpoint: RtpEndpoint;
  readonly mixRate: number;
  /** RTP payload type of this participant's audio codec and of its telephone-event, -1 if none. */
  readonly audioPt: number;
  readonly dtmfPt: number;
  readonly codecRate: number;
  readonly clockRate: number;

  direct: DecodeChain | null = null;
  buffered: (DecodeChain & { jb: JitterBuffer; frameCodecSamples: number }) | null = null;
  /**
   * Absolute position in the buffered ring of the first audio (not silence) since the buffered path
   * started, -1 while it has produced only silence. Outputs postpone a 0 -> g gain ramp until then,
   * so a talker who starts being heard fades in instead of starting mid-waveform (a click).
   */
  bufferedFirstAudioPos = -1;
  /** performance.now() of the last jitter-buffer pull (the mix clock drains unread buffers). */
  lastPullMs = 0;
  /** Forward received packets to passthrough outputs (decided by CallMixer.reconfigure). */
  passthrough = false;
  /** Outputs in TRANSCODE mode fed by this input (decided by CallMixer.reconfigure). */
  transcodeTo: TranscodeSink[] = [];
  /** Transcode path: decoders per payload type (made at reconfigure), sequencer, scratch. */
  tcDecoders: TranscodeDecoder[] = [];
  private tcSeq: Sequencer | null = null;
  private tcLastTs = -1;
  private tcScratch: Int16Array | null = null;
  /** Decoded audio observers (bleed measurement). */
  observer: DirectAudioObserver | null = null;
  /**
   * Echo canceller of the direct path (a whisper/page session's `aec`, set by CallMixer at signalling
   * time): the audio is cancelled on arrival, before the ring and the observer see it.
   */
  aec: EchoCanceller | null = null;

  /** Payloads the direct path's decoder rejected (GET /v1/calls/:id `decodeErrors`). */
  decodeErrors = 0;
  /** SSRC and sequence number of the last packet decoded on arrival; directSsrc -1 before the first. */
  private directSsrc = -1;
  private directSeq = 0;
  /** Consecutive packets dropped as late, each one after the other: a sender restart once there are 3. */
  private lateRun = 0;
  private lateSeq = 0;
  /**
   * Real-time budget of the direct path, ms of audio (token bucket: refilled by arrival time, at most
   * BURST_MS; each decoded packet takes its duration). Each packet decoded on arrival emits a mixed
   * frame, so this bounds the mixer's decode/mix/encode work to real time whatever the talker sends.
   */
  private budgetMs = BURST_MS;
  private budgetAtMs = -1;

  /** (P) Direct-path audio arrived within the last `ms` before `nowMs`. */
  audioWithin(nowMs: number, ms: number): boolean {
    return this.budgetAtMs >= 0 && nowMs - this.budgetAtMs <= ms;
  }
  /** Duration of the last decoded packet, ms (the next one is charged this before it is decoded). */
  private lastPacketMs = 20;

  private readonly host: MixInputHost;
  /** Makes this input's decoder (codec and output rate decided at signalling time). */
  private readonly newDecoder: () => AudioDecoder;
  private readonly scratch: Int16Array;
  private readonly scratchMix: Int16Array;

  constructor(opts: {
    tag: string;
    endpoint: RtpEndpoint;
    host: MixInputHost;
    mixRate: number;
    audioPt: number;
    dtmfPt: number;
    codecRate: number;
    clockRate: number;
    newDecoder: () => AudioDecoder;
  }) {
    this.tag = opts.tag;
    this.newDecoder = opts.newDecoder;
    this.endpoint = opts.endpoint;
    this.host = opts.host;
    this.mixRate = opts.mixRate;
    this.audioPt = opts.audioPt;
    this.dtmfPt = opts.dtmfPt;
    this.codecRate = opts.codecRate;
    this.clockRate = opts.clockRate;
    this.scratch = new Int16Array(Math.ceil((this.codecRate * MAX_FRAME_MS) / 1000));
    this.scratchMix = new Int16Array(Math.ceil((this.mixRate * MAX_FRAME_MS) / 1000) + 64);
  }

  private chain(): DecodeChain {
    return {
      decoder: this.newDecoder(),
      resampler: this.codecRate === this.mixRate ? null : new Resampler(this.codecRate, this.mixRate),
      ring: new PcmRing((this.mixRate * RING_MS) / 1000),
    };
  }

  /** Counters of the jitter buffer of the buffered path, null without one. */
  get jitterStats(): JitterStats | null {
    return this.buffered?.jb.stats ?? null;
  }

  /** Enable decoding on arrival (this input is a primary talker or is observed). Idempotent. */
  enableDirect(): void {
    if (!this.direct) this.direct = this.chain();
  }

  /** Enable the jitter-buffered path (this input is a secondary talker of some output). Idempotent. */
  enableBuffered(): void {
    if (this.buffered) return;
    const c = this.chain();
    const jb = new JitterBuffer({ clockRate: this.clockRate, decoder: c.decoder, frameMs: 20 });
    this.buffered = { ...c, jb, frameCodecSamples: jb.frameSamples };
  }

  /** Enable the transcode path with these decoders (signalling time). Idempotent per payload type. */
  enableTranscode(decoders: TranscodeDecoder[]): void {
    for (const d of this.tcDecoders) if (!decoders.includes(d)) d.decoder.close();
    this.tcDecoders = decoders;
    this.tcSeq ??= new Sequencer();
    if (!this.tcScratch) {
      let max = this.codecRate;
      for (const d of decoders) if (d.rate > max) max = d.rate;
      this.tcScratch = new Int16Array(Math.ceil((max * MAX_FRAME_MS) / 1000));
    }
  }

  private tcDecoderOf(pt: number): TranscodeDecoder | null {
    const list = this.tcDecoders;
    for (let i = 0; i < list.length; i++) if (list[i]!.pt === pt) return list[i]!;
    return null;
  }

  /**
   * TRANSCODE outputs: forward what each accepts as is, put the rest in sequence and decode it. Hot
   * path. Returns nothing; the outputs send.
   */
  private onTranscode(buf: Buffer, view: RtpView): void {
    const outs = this.transcodeTo;
    const pt = view.payloadType;
    let decode = false;
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      if (o.mode !== OutputMode.TRANSCODE) continue;
      const fwd = o.plan!.forwardPt[pt]!;
      if (fwd >= 0) o.transcodeForward(buf, view, fwd);
      else decode = true;
    }
    if (!decode) return;
    const d = this.tcDecoderOf(pt);
    const seq = this.tcSeq;
    if (d === null || seq === null) {
      mediaCounters.rawDrops[DropReason.BAD_PAYLOAD_TYPE]++;
      return;
    }
    if ((pt === this.cnPt || pt === this.dtmfPt) && this.primaryForwarded()) {
      // rtpengine: a supplemental codec (CN) shares its primary codec's sequencer, and bypasses it
      // when the primary is forwarded as is (that sequence is never put in order here).
      this.decodeSequenced(buf, buf.length, false, 0);
      return;
    }
    const expected = seq.expected;
    const ins = seq.insert(buf, buf.length, view.sequence);
    if (ins === SeqInsert.DUPLICATE) {
      mediaCounters.rawDrops[DropReason.LATE_OR_DUPLICATE]++;
      return;
    }
    let reset = ins === SeqInsert.RESET;
    const insertedTs = view.timestamp;
    for (let guard = 0; guard < 16; guard++) {
      let slot = seq.next(false);
      if (slot < 0) {
        // A gap: wait, unless the packet just in is 60 ms or more past the last one decoded.
        if (this.tcLastTs < 0) break;
        const ahead = (insertedTs - this.tcLastTs) >>> 0;
        if (ahead === 0 || ahead >= 0x80000000 || (ahead * 1000) / d.clockRate < SEQ_FORCE_MS) break;
        slot = seq.next(true);
        if (slot < 0) break;
      }
      this.decodeSequenced(seq.bufs[slot]!, seq.lens[slot]!, reset, expected);
      seq.release(slot);
      reset = false;
    }
  }

  /** Every transcode output forwards this input's primary codec as is. */
  private primaryForwarded(): boolean {
    const outs = this.transcodeTo;
    let any = false;
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      if (o.mode !== OutputMode.TRANSCODE) continue;
      if (o.plan!.forwardPt[this.audioPt]! < 0) return false;
      any = true;
    }
    return any;
  }

  private decodeSequenced(pkt: Buffer, len: number, reset: boolean, expected: number): void {
    const v = this.tcView;
    if (parseRtp(pkt, len, v) !== RtpVerdict.OK) return;
    const d = this.tcDecoderOf(v.payloadType);
    if (d === null) return;
    this.tcLastTs = v.timestamp;
    const scratch = this.tcScratch!;
    let tsOffset = 0;
    let n: number;
    if (d.tones) {
      n = d.tones.decode(pkt, v.payloadOffset, v.payloadLength, v.timestamp, scratch, 0);
      if (n === 0) return; // a repeated (end) packet: nothing new
      tsOffset = d.tones.frameOffset;
    } else {
      n = d.decoder.decode(pkt, v.payloadOffset, v.payloadLength, scratch, 0);
    }
    if (n <= 0) {
      this.decodeErrors++;
      return;
    }
    const outs = this.transcodeTo;
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      if (o.mode !== OutputMode.TRANSCODE || o.plan!.forwardPt[v.payloadType]! >= 0) continue;
      const rs = o.tcResamplers.get(d.rate);
      if (rs === undefined) {
        o.transcodePcm(scratch, 0, n, v, reset, expected, tsOffset);
      } else {
        const m = rs.process(scratch, 0, n, o.tcScratch, 0);
        if (m > 0) o.transcodePcm(o.tcScratch, 0, m, v, reset, expected, tsOffset);
      }
    }
  }

  /** CN payload type of this participant, -1 none (set by the mixer). */
  cnPt = -1;
  private readonly tcView = new RtpView();

  /** Packet entry (RtpInputSink via CallMixer). Hot path. */
  onRtp(buf: Buffer, view: RtpView, arrivalMs: number): void {
    if (this.transcodeTo.length > 0) this.onTranscode(buf, view);
    const pt = view.payloadType;
    if (pt !== this.audioPt) {
      if (pt === this.dtmfPt) {
        this.host.onTelephoneEvent(this, buf, view);
        return;
      }
      if (pt === 13) {
        // RFC 3389 comfort noise: the jitter buffer treats it as DTX; relayed where passthrough.
        if (this.buffered) this.buffered.jb.put(buf, view, arrivalMs);
        if (this.passthrough) this.host.onPassthrough(this, buf, view);
        return;
      }
      mediaCounters.rawDrops[DropReason.BAD_PAYLOAD_TYPE]++;
      return;
    }
    if (this.passthrough) this.host.onPassthrough(this, buf, view);
    if (this.buffered) this.buffered.jb.put(buf, view, arrivalMs);
    const d = this.direct;
    if (d) {
      // Decoded on arrival, each packet emits one mixed frame: a duplicate or a packet overtaken by a
      // later one would emit an extra frame, out of order (no jitter buffer here to reorder it).
      if (view.ssrc === this.directSsrc) {
        const ahead = seqDiff(view.sequence, this.directSeq);
        if (ahead <= 0 && ahead > -SEQ_RESTART) {
          // Late packets one after the other (seq, seq+1, seq+2) are a sender that restarted its
          // sequence a little lower, not reordering: the third one is taken and the stream goes on.
          this.lateRun = this.lateRun > 0 && view.sequence === ((this.lateSeq + 1) & 0xffff) ? this.lateRun + 1 : 1;
          this.lateSeq = view.sequence;
          if (this.lateRun < LATE_RUN_RESTART) {
            mediaCounters.rawDrops[DropReason.LATE_OR_DUPLICATE]++;
            return;
          }
        }
      }
      this.lateRun = 0;
      let budget = this.budgetAtMs < 0 ? BURST_MS : this.budgetMs + (arrivalMs - this.budgetAtMs);
      if (budget > BURST_MS) budget = BURST_MS;
      this.budgetAtMs = arrivalMs;
      if (budget < this.lastPacketMs) {
        this.budgetMs = budget;
        mediaCounters.rawDrops[DropReason.OVER_RATE]++;
        return;
      }
      this.directSsrc = view.ssrc;
      this.directSeq = view.sequence;
      const n = d.decoder.decode(buf, view.payloadOffset, view.payloadLength, this.scratch, 0);
      if (n <= 0) {
        this.budgetMs = budget;
        this.decodeErrors++;
        return;
      }
      this.lastPacketMs = (n * 1000) / this.codecRate;
      this.budgetMs = budget - this.lastPacketMs;
      const m = this.toMix(d, this.scratch, n, this.aec);
      if (this.observer) this.observer.onDirectAudio(this, d.resampler === null ? this.scratch : this.scratchMix, 0, m);
      this.host.onPrimaryAudio(this, m, arrivalMs);
    }
  }

  /** Write n codec-rate samples (resampled if needed) into chain c's ring. Returns mix-rate samples. */
  private toMix(c: DecodeChain, pcm: Int16Array, n: number, aec: EchoCanceller | null = null): number {
    if (c.resampler === null) {
      if (aec !== null) aec.process(pcm, 0, n);
      c.ring.write(pcm, 0, n);
      return n;
    }
    const m = c.resampler.process(pcm, 0, n, this.scratchMix, 0);
    if (aec !== null) aec.process(this.scratchMix, 0, m);
    c.ring.write(this.scratchMix, 0, m);
    return m;
  }

  /** The primary talker fell silent: write n mix-rate samples of concealment into the direct ring. */
  concealDirect(mixSamples: number): void {
    const d = this.direct;
    if (!d) return;
    const codecSamples = Math.round((mixSamples * this.codecRate) / this.mixRate);
    const n = d.decoder.conceal(this.scratch, 0, codecSamples);
    if (n <= 0) {
      d.ring.writeZeros(mixSamples);
      return;
    }
    this.toMix(d, this.scratch, n);
  }

  /** Pull jitter-buffer frames until the buffered ring holds audio up to absolute position `until`. */
  fillBuffered(until: number, nowMs: number): void {
    const b = this.buffered;
    if (!b) return;
    this.lastPullMs = nowMs;
    let guard = 16;
    while (b.ring.written < until && guard-- > 0) {
      const kind = b.jb.get(this.scratch, 0, nowMs);
      if (this.bufferedFirstAudioPos < 0 && kind !== FrameKind.SILENCE) this.bufferedFirstAudioPos = b.ring.written;
      this.toMix(b, this.scratch, b.frameCodecSamples);
    }
  }

  close(): void {
    this.aec?.close();
    this.aec = null;
    for (const d of this.tcDecoders) d.decoder.close();
    this.tcDecoders = [];
    for (const c of [this.direct, this.buffered]) {
      if (!c) continue;
      c.decoder.close();
      c.resampler?.close();
    }
    this.direct = null;
    this.buffered = null;
  }
}
