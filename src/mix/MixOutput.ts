/**
 * What one participant hears: its own continuous RTP stream (SSRC, sequence, timestamp) built either
 * by forwarding one input (passthrough) or by mixing several (decode → sum with gains → soft limit →
 * encode). The stream stays continuous across passthrough <-> mix switches: once an output has been
 * mixed, forwarded packets are re-stamped into its sequence/timestamp space.
 *
 * Where a frame is mixed: emit(). Gains ramp linearly over one frame when they change (no clicks).
 * A passthrough switch waits until every ramp has finished, so it happens at gain 1 / 0 exactly.
 */
import type { AudioEncoder } from '../codec/types';
import { Resampler } from '../codec/resampler';
import type { AlignedResampler } from './AlignedResampler';
import { mediaCounters, DropReason } from '../media/counters';
import type { RtpView } from '../media/rtp';
import { writeRtpHeader } from '../media/rtp';
import type { RtpEndpoint } from '../media/RtpEndpoint';
import { softLimit } from './limiter';
import type { MixInput } from './MixInput';
import type { EchoCanceller } from './EchoCanceller';
import type { PcmRing } from './PcmRing';
import type { DtmfDetector } from './DtmfDetector';
import { dtmfToneSample } from '../media/dtmfInject';
import { OutputMode, type MediaOutput } from './types';

const TX_RING = 8;
const MAX_FRAME_MS = 120;
/** Transcode FIFO capacity, ms of the output codec's PCM (a frame of up to 120 ms plus the largest packet). */
const FIFO_MS = 300;

/**
 * How a TRANSCODE output turns its one input into its own stream (decided at reconfigure, signalling
 * time). rtpengine's transcoding handler: packets of a codec the listener accepts are forwarded
 * re-stamped; the others are decoded in sequence order and re-encoded in frames of `frameMs`.
 */
export interface TranscodePlan {
  /** Output frame length, ms (the ptime this participant is sent). */
  frameMs: number;
  /**
   * Input PTs forwarded as they are (re-stamped): indexed by the input PT (0..127), the PT this output
   * uses for it, -1 = decoded. An array so the packet path indexes it instead of a Map lookup.
   */
  forwardPt: Int16Array;
  /** RFC 3389 PT of this output (silence becomes CN when silenceThreshold > 0), -1 none. */
  cnPt: number;
  /** Silence detection: a frame whose samples all lie within ±threshold is sent as CN; 0 = off. */
  silenceThreshold: number;
  /** The CN payload a silent frame is replaced with (rtpengine cn-payload, default 0x20 = -32 dBov). */
  cnPayload: Uint8Array;
  /** RTP clock units of the output per clock unit of the input (timestamp scaling). */
  tsRatio: number;
  /**
   * The input's telephone-event PT when its clock differs from the output's (tsRatio != 1), else -1: its
   * events go out on the encoder's clock with their durations rescaled (rtpengine codec_add_dtmf_packet).
   */
  eventScalePt?: number;
  /**
   * The input's own codec is forwarded as is: what is decoded (CN, another codec) is stamped with its
   * own timestamp. Otherwise every packet is decoded and the output timestamp runs on continuously
   * from the first (rtpengine's encoder clock), whatever the input's timestamps do.
   */
  primaryForwarded: boolean;
  /** In-band DTMF is detected and sent as RFC 4733 events with this PT (the listener's telephone-event), -1: off. */
  detectPt: number;
  /** `play DTMF` towards this listener: its telephone-event PT (events), -1: in-band tones. */
  injectPt: number;
}

/** `play DTMF` events queued for one transcode output (src/media/dtmfInject.ts semantics). */
const INJECT_RING = 64;

const EVENT_RING = 16;

/** A prompt mixed into one output (src/prompts/PromptPlayer implements it). */
export interface PromptSource {
  read(out: Int16Array, outOffset: number, samples: number): number;
  readonly done: boolean;
  stop(): void;
}

/** One input as heard by this output. */
export class MixSource {
  readonly input: MixInput;
  /** 'direct' when this input is the output's primary talker, else 'buffered'. */
  readonly primary: boolean;
  gain = 0;
  target = 0;
  /** Absolute read position in the input's ring. */
  cursor = -1;

  constructor(input: MixInput, primary: boolean) {
    this.input = input;
    this.primary = primary;
  }

  get ring(): PcmRing {
    return (this.primary ? this.input.direct!.ring : this.input.buffered!.ring);
  }
}

/** Observer of what an output mixed (bleed reference and digital check). */
export interface MixTap {
  /** Called after each mixed frame with the final PCM sent; per-source contributions are in output.contributions. */
  onMixed(output: MixOutput, pcm: Int16Array, samples: number): void;
}

/**
 * rtpengine's silence test (codec.c __silence_detect, int16 samples): every sample at most +threshold
 * and sample 1 at least -threshold — rtpengine compares s[1], not s[i], on the lower bound; kept as is.
 */
export function isSilent(pcm: Int16Array, off: number, n: number, threshold: number): boolean {
  if (n < 2) return false;
  if (pcm[off + 1]! < -threshold) return false;
  for (let i = 0; i < n; i++) if (pcm[off + i]! > threshold) return false;
  return true;
}

export class MixOutput implements MediaOutput {
  readonly tag: string;
  readonly endpoint: RtpEndpoint;
  readonly mixRate: number;
  readonly pt: number;
  readonly codecRate: number;
  /** RTP clock units per codec-rate sample (Opus: 48000 clock for 16000 PCM = 3). */
  readonly tsPerSample: number;
  readonly encoder: AudioEncoder;
  private readonly resampler: Resampler | null;

  mode: OutputMode = OutputMode.IDLE;
  sources: MixSource[] = [];
  primary: MixSource | null = null;
  /** Input to forward when every ramp is done and the matrix says "exactly one input at gain 1". */
  wantPassthrough: MixInput | null = null;
  passthroughFrom: MixInput | null = null;
  /** Prompts mixed into this output only. */
  prompts: PromptSource[] = [];
  promptGain = 1;
  tap: MixTap | null = null;
  /** Per-source contribution of the last frame (gain applied), indexed like `sources`. */
  contributions: Float32Array[] = [];
  /**
   * The echo canceller of this participant's own input (set by CallMixer.reconfigure): each mixed frame
   * hands it `aecRef`'s contribution (what this participant is played of the supervisor) as its reference.
   */
  aec: EchoCanceller | null = null;
  aecRef: MixInput | null = null;

  // Stream state.
  ssrc: number;
  private seq: number;
  private ts: number;
  /** Set once this output has sent a mixed frame: passthrough packets must be re-stamped from then on. */
  private restamp = false;
  private seqDelta = 0;
  private tsDelta = 0;
  private deltaValid = false;
  private lastPtSeq = 0;
  private lastPtTs = 0;
  private marker = true;

  /** The next mixed frame carries the marker bit (a prompt starts: rtpengine marks a media player's first packet). */
  markNext(): void {
    this.marker = true;
  }

  /** Timer-driven emission when the primary talker is silent. */
  nextDeadlineMs = 0;

  // TRANSCODE mode (one input, decoded in order and re-encoded, or forwarded re-stamped).
  plan: TranscodePlan | null = null;
  /** The transcode path's encoder when it differs from the mix's (G.711: rtpengine's rounding tables). */
  tcEncoder: AudioEncoder | null = null;
  /** Resamplers from an input decode rate to this output's codec rate (made at reconfigure). */
  readonly tcResamplers = new Map<number, AlignedResampler>();
  /** Scratch for resampled transcode input. */
  readonly tcScratch: Int16Array;
  /** Output seq = input seq + tcSeqDiff; output ts = input ts (scaled) + tcTsDelta. */
  private tcSeqDiff = 0;
  private tcTsDelta = 0;
  /** False until the first transcoded or forwarded packet fixed the deltas. */
  private tcStarted = false;
  /** PCM at the codec rate waiting for a whole output frame, and the timestamp of its first sample. */
  private readonly fifo: Int16Array;
  private fifoLen = 0;
  private fifoTs = 0;
  private fifoMarker = false;
  /** The FIFO's timestamp has been set once (it then runs on continuously, see primaryForwarded). */
  private fifoClock = false;
  /** Frames the transcode path sent (GET /v1/calls/:id `sent`). */
  framesTranscoded = 0;

  // Counters (GET /v1/calls/:id `sent`; /metrics whisperd_mixer_frames_total).
  framesMixed = 0;
  framesByTimer = 0;
  /** Frames the output clock skipped after an event-loop stall (more than 3 frames behind). */
  framesSkipped = 0;
  packetsForwarded = 0;
  /** Mixed frames the encoder refused (not sent). */
  encodeErrors = 0;

  private readonly acc: Float32Array;
  private readonly read: Int16Array;
  private readonly pcm: Int16Array;
  private readonly pcmCodec: Int16Array;
  private readonly tx: Buffer[] = [];
  private txIdx = 0;

  constructor(opts: { tag: string; endpoint: RtpEndpoint; mixRate: number; pt: number; codecRate: number; clockRate: number; encoder: AudioEncoder }) {
    this.tag = opts.tag;
    this.endpoint = opts.endpoint;
    this.mixRate = opts.mixRate;
    this.pt = opts.pt;
    this.codecRate = opts.codecRate;
    this.tsPerSample = opts.clockRate / opts.codecRate;
    this.encoder = opts.encoder;
    this.resampler = opts.codecRate === opts.mixRate ? null : new Resampler(opts.mixRate, opts.codecRate);
    const maxMix = Math.ceil((this.mixRate * MAX_FRAME_MS) / 1000);
    this.acc = new Float32Array(maxMix);
    this.read = new Int16Array(maxMix);
    this.pcm = new Int16Array(maxMix);
    this.pcmCodec = new Int16Array(Math.ceil((this.codecRate * MAX_FRAME_MS) / 1000) + 64);
    this.fifo = new Int16Array(Math.ceil((this.codecRate * FIFO_MS) / 1000));
    this.tcScratch = new Int16Array(Math.ceil((this.codecRate * MAX_FRAME_MS) / 1000) + 64);
    for (let i = 0; i < TX_RING; i++) this.tx.push(Buffer.alloc(1500));
    this.ssrc = (Math.random() * 0x100000000) >>> 0;
    this.seq = (Math.random() * 0x10000) & 0xffff;
    this.ts = (Math.random() * 0x100000000) >>> 0;
  }

  /** Replace the source list (signalling time). Existing sources keep their gain and cursor. */
  setSources(sources: MixSource[]): void {
    this.sources = sources;
    this.contributions = sources.map(() => new Float32Array(this.acc.length));
    this.primary = null;
    for (const s of sources) if (s.primary) this.primary = s;
  }

  /** True when every gain has reached its target. */
  private rampsDone(): boolean {
    for (const s of this.sources) if (s.gain !== s.target) return false;
    return true;
  }

  private nextTx(): Buffer {
    const b = this.tx[this.txIdx]!;
    this.txIdx = (this.txIdx + 1) % TX_RING;
    return b;
  }

  /** Passthrough path: send one input packet to this participant, re-stamped if needed. Hot path. */
  forward(buf: Buffer, view: RtpView): void {
    this.packetsForwarded++;
    if (!this.restamp) {
      this.endpoint.sendRtp(buf, buf.length);
      return;
    }
    if (!this.deltaValid) {
      // First packet after a mix -> passthrough switch: continue our own numbering.
      this.seqDelta = (this.seq - view.sequence) & 0xffff;
      this.tsDelta = (this.ts - view.timestamp) >>> 0;
      this.deltaValid = true;
    }
    const len = buf.length;
    if (len > 1500) {
      mediaCounters.rawDrops[DropReason.SEND_ERROR]++;
      return;
    }
    const out = this.nextTx();
    buf.copy(out, 0, 0, len);
    const seq = (view.sequence + this.seqDelta) & 0xffff;
    const ts = (view.timestamp + this.tsDelta) >>> 0;
    out[2] = seq >>> 8;
    out[3] = seq & 0xff;
    out.writeUInt32BE(ts, 4);
    out.writeUInt32BE(this.ssrc, 8);
    this.lastPtSeq = seq;
    this.lastPtTs = ts;
    this.endpoint.sendOwnRtp(out, len);
  }

  /** (takeover) This output's own stream: SSRC and the next sequence number / timestamp. */
  streamState(): { ssrc: number; seq: number; ts: number } {
    const pt = this.mode === OutputMode.PASSTHROUGH && this.deltaValid;
    return { ssrc: this.ssrc, seq: pt ? (this.lastPtSeq + 1) & 0xffff : this.seq, ts: pt ? this.lastPtTs : this.ts };
  }

  /** (takeover) Continue a stream another node generated: same SSRC, seq/ts from its anchor. Signalling time. */
  setStreamState(ssrc: number, seq: number, ts: number): void {
    this.ssrc = ssrc >>> 0;
    this.seq = seq & 0xffff;
    this.ts = ts >>> 0;
    this.deltaValid = false;
    this.tcStarted = false;
  }

  /** Relay an RFC 4733 event packet from the primary talker into this stream (mix mode). */
  forwardEvent(buf: Buffer): void {
    const len = buf.length;
    if (len > 1500) return;
    const out = this.nextTx();
    buf.copy(out, 0, 0, len);
    out[2] = this.seq >>> 8;
    out[3] = this.seq & 0xff;
    this.seq = (this.seq + 1) & 0xffff;
    out.writeUInt32BE(this.ts, 4);
    out.writeUInt32BE(this.ssrc, 8);
    this.endpoint.sendOwnRtp(out, len);
  }

  /** Leave passthrough for mixing: continue from the last forwarded packet's numbering. */
  enterMix(): void {
    if (this.mode === OutputMode.PASSTHROUGH && this.deltaValid) {
      this.seq = (this.lastPtSeq + 1) & 0xffff;
      this.ts = this.lastPtTs;
    }
    // From TRANSCODE, this.seq / this.ts already continue the transcoded stream.
    this.fifoLen = 0;
    this.mode = OutputMode.MIX;
    this.passthroughFrom = null;
  }

  private enterPassthrough(from: MixInput): void {
    if (this.wantTranscode) {
      this.enterTranscode(from);
      return;
    }
    this.mode = OutputMode.PASSTHROUGH;
    this.passthroughFrom = from;
    this.deltaValid = false;
  }

  /** With wantPassthrough: the switch goes to TRANSCODE, not PASSTHROUGH. */
  wantTranscode = false;

  /** Start (or continue) transcoding `from` (signalling time, or after the ramps of a mix). */
  enterTranscode(from: MixInput): void {
    if (this.mode !== OutputMode.TRANSCODE) {
      // A stream already sent (mixed, forwarded re-stamped) continues its numbering from the first
      // packet on; a fresh one takes the input's numbers as they are (rtpengine).
      this.tcStarted = false;
      this.fifoLen = 0;
      this.fifoClock = false;
    }
    this.mode = OutputMode.TRANSCODE;
    this.passthroughFrom = from;
  }

  /** `inTs`: the first packet's own timestamp (the scaling's origin, unscaled). */
  private tcStart(inSeq: number, inTs: number): void {
    if (this.tcStarted) return;
    this.tcStarted = true;
    this.tcFirstTs = inTs;
    this.evInValid = false;
    if (this.restamp || this.deltaValid) {
      this.tcSeqDiff = (this.seq - inSeq) & 0xffff;
      this.tcTsDelta = (this.ts - inTs) >>> 0;
    } else {
      this.tcSeqDiff = 0;
      this.tcTsDelta = 0;
    }
  }

  /** The input timestamp the scaling starts from (the first packet's). */
  private tcFirstTs = 0;
  /**
   * An input timestamp on the output's clock, as rtpengine scales: the first packet's timestamp plus the
   * scaled distance from it (not the absolute value scaled: PCMU/16000 from ts 3000 goes on at 3000 on 8000).
   */
  private scaleTs(ts: number): number {
    const r = this.plan!.tsRatio;
    if (r === 1) return ts;
    return (this.tcFirstTs + Math.round(((ts - this.tcFirstTs) | 0) * r)) >>> 0;
  }

  /** Event rescaling (plan.eventScalePt): the input timestamp of the event going on, and its last output duration. */
  private evInTs = 0;
  private evInValid = false;
  private evLastDuration = 0;

  /**
   * rtpengine codec_add_dtmf_packet: an event of a clock other than the output's goes out at the encoder's
   * position (the next audio frame's timestamp) when it started, its duration rescaled (rounded); the
   * audio after it goes on from the event's end (the event replaced those samples). Returns the timestamp.
   */
  private scaleEvent(out: Buffer, len: number, view: RtpView): number {
    if (!this.evInValid || view.timestamp !== this.evInTs) {
      this.evInValid = true;
      this.evInTs = view.timestamp;
      this.evLastDuration = 0;
    }
    const start = (this.fifoTs - this.evLastDuration) >>> 0;
    const off = view.payloadOffset;
    if (view.payloadLength >= 4 && off + 4 <= len) {
      let d = Math.round(out.readUInt16BE(off + 2) * this.plan!.tsRatio);
      if (d > 0xffff) d = 0xffff;
      out.writeUInt16BE(d, off + 2);
      this.fifoTs = (start + d) >>> 0;
      this.evLastDuration = d;
    }
    return start;
  }

  /** TRANSCODE: forward one input packet re-stamped into this stream, as payload type `pt`. Hot path. */
  transcodeForward(buf: Buffer, view: RtpView, pt: number): void {
    const len = buf.length;
    if (len > 1500) {
      mediaCounters.rawDrops[DropReason.SEND_ERROR]++;
      return;
    }
    this.tcStart(view.sequence, view.timestamp);
    const inTs = this.scaleTs(view.timestamp);
    const out = this.nextTx();
    buf.copy(out, 0, 0, len);
    const seq = (view.sequence + this.tcSeqDiff) & 0xffff;
    const plan = this.plan!;
    const ts =
      view.payloadType === plan.eventScalePt && this.fifoClock && !plan.primaryForwarded
        ? this.scaleEvent(out, len, view)
        : (inTs + this.tcTsDelta) >>> 0;
    out[1] = (out[1]! & 0x80) | (pt & 0x7f);
    out[2] = seq >>> 8;
    out[3] = seq & 0xff;
    out.writeUInt32BE(ts, 4);
    out.writeUInt32BE(this.ssrc, 8);
    this.seq = (seq + 1) & 0xffff;
    this.ts = ts;
    this.packetsForwarded++;
    this.endpoint.sendOwnRtp(out, len);
  }

  /**
   * TRANSCODE: the decoded audio of one input packet (pcm[off..off+n) at this output's codec rate),
   * taken in sequence order. `reset`: the input's numbering jumped (sequencer reset); `expected` is
   * the number the sequencer expected before it. Sends every whole frame the FIFO now holds. Hot path.
   */
  transcodePcm(pcm: Int16Array, off: number, n: number, view: RtpView, reset: boolean, expected: number, tsOffset = 0): void {
    const plan = this.plan!;
    this.tcStart(view.sequence, view.timestamp);
    const inTs = this.scaleTs((view.timestamp + tsOffset) >>> 0);
    if (reset) this.tcSeqDiff = (this.tcSeqDiff - ((view.sequence - expected) & 0xffff)) & 0xffff;
    if (this.fifoLen === 0) {
      if (plan.primaryForwarded || !this.fifoClock) this.fifoTs = (inTs + this.tcTsDelta) >>> 0;
      // rtpengine's transcoder marks only a DTMF event's start, never audio (the input's marker is not carried).
      this.fifoMarker = false;
    }
    this.fifoClock = true;
    const room = this.fifo.length - this.fifoLen;
    const take = n < room ? n : room;
    const fifo = this.fifo;
    const base = this.fifoLen;
    if (this.detector !== null) {
      this.detectBase = (this.fifoTs + base) >>> 0;
      this.detector.process(pcm, off, take, this);
    }
    for (let i = 0; i < take; i++) fifo[base + i] = pcm[off + i]!; // (no subarray view: nothing allocated per packet)
    this.fifoLen += take;
    const frame = Math.round((plan.frameMs * this.codecRate) / 1000);
    if (frame < 1) return; // (planTranscode bounds frameMs; never loop on an empty frame)
    let sent = 0;
    let pos = 0;
    while (this.fifoLen - pos >= frame) {
      const seq = (view.sequence + this.tcSeqDiff + sent) & 0xffff;
      sent += this.sendTranscoded(this.fifo, pos, frame, seq, this.fifoTs);
      this.fifoTs = (this.fifoTs + Math.round(frame * this.tsPerSample)) >>> 0;
      pos += frame;
    }
    if (pos > 0) {
      this.fifo.copyWithin(0, pos, this.fifoLen);
      this.fifoLen -= pos;
    }
    // rtpengine: each further packet out of one packet in moves the numbering on; none moves it back.
    this.tcSeqDiff = (this.tcSeqDiff + (sent === 0 ? -1 : sent - 1)) & 0xffff;
  }

  // ---- in-band DTMF -> RFC 4733 (plan.detectPt) ----
  /** The detector (8 kHz outputs with detectPt), made at reconfigure. */
  detector: DtmfDetector | null = null;
  /** Timestamp of the first sample of the chunk being fed to the detector. */
  private detectBase = 0;
  /** Detected state changes not yet applied: code (-1 = end), level, timestamp. */
  private readonly evCode = new Int32Array(EVENT_RING);
  private readonly evLevel = new Int32Array(EVENT_RING);
  private readonly evTs = new Float64Array(EVENT_RING);
  private evHead = 0;
  private evCount = 0;
  /** The event being sent (-1 none), its volume and start timestamp. */
  private curCode = -1;
  private curLevel = 0;
  private curStart = 0;

  /** DtmfDetectSink: a state change `at` samples into the chunk. */
  onDtmfDetect(code: number, level: number, at: number): void {
    if (this.evCount === EVENT_RING) return;
    const k = (this.evHead + this.evCount) % EVENT_RING;
    this.evCode[k] = code;
    this.evLevel[k] = level;
    this.evTs[k] = (this.detectBase + at) >>> 0;
    this.evCount++;
  }

  /**
   * rtpengine dtmf_event_payload: apply the state changes due by this frame's timestamp and, while an
   * event is on, write its RFC 4733 payload into out[12..16). Returns 0 (audio), 1 (start), 2 (in
   * progress), 3 (end); `evPacketTs` is the event's start.
   */
  private evPacketTs = 0;
  private dtmfFrame(out: Uint8Array, ts: number, samples: number): number {
    const prevCode = this.curCode;
    const prevLevel = this.curLevel;
    const prevStart = this.curStart;
    while (this.evCount > 0) {
      const k = this.evHead;
      if (((this.evTs[k]! - ts) | 0) > 0) break; // a future change
      this.curCode = this.evCode[k]!;
      this.curLevel = this.evLevel[k]!;
      this.curStart = ts;
      this.evHead = (this.evHead + 1) % EVENT_RING;
      this.evCount--;
    }
    let ret = 2;
    let code = this.curCode;
    let level = this.curLevel;
    let start = this.curStart;
    if (code < 0) {
      if (prevCode < 0) return 0;
      ret = 3;
      code = prevCode;
      level = prevLevel;
      start = prevStart;
    } else if (prevCode < 0) {
      ret = 1;
    }
    const duration = ((ts - start) >>> 0) + Math.round(samples * this.tsPerSample);
    out[12] = code;
    out[13] = (ret === 3 ? 0x80 : 0) | (level & 0x3f);
    out[14] = (duration >>> 8) & 0xff;
    out[15] = duration & 0xff;
    this.evPacketTs = start;
    return ret;
  }

  // ---- play DTMF into this transcoded stream (the relay's DtmfInjector rules, on the output's frames) ----
  private readonly injCode = new Int32Array(INJECT_RING);
  private readonly injVolume = new Int32Array(INJECT_RING);
  private readonly injTone = new Int32Array(INJECT_RING);
  private readonly injDur = new Int32Array(INJECT_RING);
  private readonly injPause = new Int32Array(INJECT_RING);
  private injHead = 0;
  private injCount = 0;
  private injActive = false;
  private injFirst = false;
  private injStart = 0;
  private injLastEnd = 0;
  private injHasLastEnd = false;
  private injCur = 0;

  /** Queue a `play DTMF` event (command time). False when full or not transcoding. */
  injectDtmf(code: number, volume: number, toneVolume: number, durationMs: number, pauseMs: number): boolean {
    if (this.mode !== OutputMode.TRANSCODE || this.plan === null || this.injCount === INJECT_RING) return false;
    const k = (this.injHead + this.injCount) % INJECT_RING;
    const rate = this.plan.injectPt >= 0 ? this.tsPerSample * this.codecRate : this.codecRate;
    this.injCode[k] = code;
    this.injVolume[k] = volume;
    this.injTone[k] = toneVolume;
    this.injDur[k] = Math.floor((durationMs * rate) / 1000);
    this.injPause[k] = Math.floor((pauseMs * rate) / 1000);
    this.injCount++;
    return true;
  }

  private injBegin(ts: number): void {
    this.injActive = true;
    this.injCur = this.injHead;
    this.injHead = (this.injHead + 1) % INJECT_RING;
    this.injCount--;
    this.injStart = ts;
    this.injFirst = true;
  }

  /** RFC 4733: this frame as an injected event packet in out[12..16); 0 audio, 1 event, 3 end. */
  private injectEventFrame(out: Uint8Array, ts: number, samples: number): number {
    if (!this.injActive && this.injCount > 0) {
      const earliest = (this.injLastEnd + this.injPause[this.injHead]!) >>> 0;
      if (!this.injHasLastEnd || ((ts - earliest) | 0) >= 0) this.injBegin(ts);
    }
    if (!this.injActive) return 0;
    const rel = (ts - this.injStart) | 0;
    if (rel < 0) return 0;
    const k = this.injCur;
    const end = rel >= this.injDur[k]!;
    const frame = Math.round(samples * this.tsPerSample);
    const dur = Math.min(rel + frame, 0xffff);
    out[12] = this.injCode[k]!;
    out[13] = (end ? 0x80 : 0) | (this.injVolume[k]! & 0x3f);
    out[14] = (dur >>> 8) & 0xff;
    out[15] = dur & 0xff;
    this.evPacketTs = this.injStart;
    if (!end) return 1;
    this.injActive = false;
    this.injLastEnd = (this.injStart + this.injDur[k]!) >>> 0;
    this.injHasLastEnd = true;
    return 3;
  }

  /** In-band: the tone, then the pause as silence, over this frame's PCM (sample by sample). */
  private injectTones(pcm: Int16Array, off: number, samples: number, ts: number): void {
    if (!this.injActive && this.injCount === 0) return;
    for (let i = 0; i < samples; i++) {
      const sts = (ts + i) >>> 0;
      if (!this.injActive) {
        if (this.injCount === 0) return;
        this.injBegin(sts);
      }
      const rel = (sts - this.injStart) | 0;
      if (rel < 0) continue;
      const k = this.injCur;
      if (rel < this.injDur[k]!) pcm[off + i] = dtmfToneSample(this.injCode[k]!, this.injTone[k]!, this.codecRate, rel);
      else if (rel < this.injDur[k]! + this.injPause[k]!) pcm[off + i] = 0;
      else {
        this.injActive = false;
        i--; // this sample: the next event, or audio
      }
    }
  }

  /** Returns how many packets went out for the frame (3 for an event's end). */
  private sendTranscoded(pcm: Int16Array, off: number, samples: number, seq: number, ts: number): number {
    const plan = this.plan!;
    const out = this.nextTx();
    let pt = this.pt;
    let bytes: number;
    let ev = 0;
    let evPt = plan.detectPt;
    if (plan.injectPt >= 0 && (this.injActive || this.injCount > 0)) {
      ev = this.injectEventFrame(out, ts, samples) === 0 ? 0 : this.injActive ? 2 : 3;
      if (ev === 2 && this.injFirst) ev = 1;
      this.injFirst = false;
      evPt = plan.injectPt;
    } else if (plan.injectPt < 0 && (this.injActive || this.injCount > 0)) {
      this.injectTones(pcm, off, samples, (ts / this.tsPerSample) >>> 0);
    }
    if (ev === 0 && plan.detectPt >= 0) ev = this.dtmfFrame(out, ts, samples);
    if (ev !== 0) {
      writeRtpHeader(out, 0, evPt, ev === 1, seq, this.evPacketTs, this.ssrc);
      this.framesTranscoded++;
      this.seq = (seq + 1) & 0xffff;
      this.ts = (ts + Math.round(samples * this.tsPerSample)) >>> 0;
      this.fifoMarker = false;
      this.endpoint.sendOwnRtp(out, 16);
      if (ev !== 3) return 1;
      for (let r = 1; r <= 2; r++) {
        out[2] = ((seq + r) >>> 8) & 0xff;
        out[3] = (seq + r) & 0xff;
        this.endpoint.sendOwnRtp(out, 16);
      }
      this.seq = (seq + 3) & 0xffff;
      return 3;
    }
    if (plan.silenceThreshold > 0 && plan.cnPt >= 0 && isSilent(pcm, off, samples, plan.silenceThreshold)) {
      bytes = plan.cnPayload.length;
      out.set(plan.cnPayload, 12);
      pt = plan.cnPt;
    } else {
      bytes = (this.tcEncoder ?? this.encoder).encode(pcm, off, samples, out, 12);
    }
    if (bytes < 0) {
      this.encodeErrors++;
      return 1;
    }
    this.framesTranscoded++;
    this.seq = (seq + 1) & 0xffff;
    this.ts = (ts + Math.round(samples * this.tsPerSample)) >>> 0;
    if (bytes === 0) return 1;
    writeRtpHeader(out, 0, pt, this.fifoMarker, seq, ts, this.ssrc);
    this.fifoMarker = false;
    this.endpoint.sendOwnRtp(out, 12 + bytes);
    return 1;
  }

  /**
   * Mix and send one frame of `samples` mix-rate samples. Where a frame is mixed. Hot path.
   * The primary source's ring already holds the frame (written by the input just before).
   */
  emit(samples: number, nowMs: number): void {
    const acc = this.acc;
    const read = this.read;
    for (let i = 0; i < samples; i++) acc[i] = 0;
    const sources = this.sources;
    for (let k = 0; k < sources.length; k++) {
      const s = sources[k]!;
      const ring = s.ring;
      if (s.primary) {
        s.cursor = ring.written - samples;
      } else {
        if (s.cursor < 0) s.cursor = ring.written;
        s.input.fillBuffered(s.cursor + samples, nowMs);
      }
      ring.read(s.cursor, read, 0, samples);
      s.cursor += samples;
      const g0 = s.gain;
      // A source about to be heard whose jitter buffer has produced only silence so far: postpone the
      // ramp until its audio starts (bufferedFirstAudioPos), so it fades in.
      const first = s.input.bufferedFirstAudioPos;
      const g1 = g0 === 0 && !s.primary && (first < 0 || first >= s.cursor) ? 0 : s.target;
      const contrib = this.contributions[k]!;
      if (g0 === 0 && g1 === 0) {
        for (let i = 0; i < samples; i++) contrib[i] = 0;
        continue;
      }
      if (g0 === g1) {
        for (let i = 0; i < samples; i++) {
          const v = read[i]! * g0;
          acc[i] += v;
          contrib[i] = v;
        }
      } else {
        const step = (g1 - g0) / samples;
        let g = g0;
        for (let i = 0; i < samples; i++) {
          g += step;
          const v = read[i]! * g;
          acc[i] += v;
          contrib[i] = v;
        }
        s.gain = g1;
      }
    }
    const aec = this.aec;
    if (aec !== null) {
      let ref: Float32Array | null = null;
      for (let k = 0; k < sources.length; k++) if (sources[k]!.input === this.aecRef) ref = this.contributions[k]!;
      aec.pushReference(ref, samples);
    }
    const prompts = this.prompts;
    if (prompts.length > 0) {
      const g = this.promptGain;
      let live = 0;
      for (let p = 0; p < prompts.length; p++) {
        const player = prompts[p]!;
        player.read(read, 0, samples);
        for (let i = 0; i < samples; i++) acc[i] += read[i]! * g;
        if (!player.done) prompts[live++] = player;
      }
      prompts.length = live;
    }
    softLimit(acc, this.pcm, 0, samples);
    if (this.tap) this.tap.onMixed(this, this.pcm, samples);
    this.encodeAndSend(samples);
    if (this.wantPassthrough !== null && this.prompts.length === 0 && this.rampsDone()) {
      this.enterPassthrough(this.wantPassthrough);
    }
  }

  private encodeAndSend(samples: number): void {
    let pcm = this.pcm;
    let n = samples;
    if (this.resampler !== null) {
      n = this.resampler.process(this.pcm, 0, samples, this.pcmCodec, 0);
      pcm = this.pcmCodec;
    }
    const out = this.nextTx();
    const bytes = this.encoder.encode(pcm, 0, n, out, 12);
    const frameTs = Math.round(n * this.tsPerSample);
    if (bytes < 0) {
      this.encodeErrors++;
      this.ts = (this.ts + frameTs) >>> 0;
      return;
    }
    this.framesMixed++;
    this.restamp = true;
    if (bytes > 0) {
      writeRtpHeader(out, 0, this.pt, this.marker, this.seq, this.ts, this.ssrc);
      this.marker = false;
      this.seq = (this.seq + 1) & 0xffff;
      this.endpoint.sendOwnRtp(out, 12 + bytes);
    }
    this.ts = (this.ts + frameTs) >>> 0;
  }

  close(): void {
    this.encoder.close();
    this.tcResamplers.forEach((r) => r.close());
    this.tcResamplers.clear();
    this.resampler?.close();
    for (const p of this.prompts) p.stop();
    this.prompts = [];
  }
}
