/**
 * The media engine of one call: a gain matrix from every input (a participant's audio) to every
 * output (what each participant hears), and the decision — taken here, at signalling time, in
 * reconfigure() — of how each output is produced:
 *
 *   passthrough  exactly one input at gain 1, same codec and payload type, no prompt: packets are
 *                forwarded (re-stamped for continuity once the output has ever been mixed);
 *   mix          decode, sum with gains (ramped over one frame), soft-limit, encode. The output's SIP
 *                peer, if audible, is its *primary* talker: decoded on arrival and emitted at once (no
 *                jitter buffer, no tick alignment). Other inputs (supervisors) come through jitter
 *                buffers. When the primary is silent (hold, DTX, loss) the output's own clock (tick())
 *                keeps producing frames, so a whisper is still heard.
 *
 * The packet path only follows what reconfigure() stored on the inputs and outputs.
 */
import type { CodecDef } from '../codec/registry';
import type { RtpView } from '../media/rtp';
import type { RtpEndpoint, RtpInputSink } from '../media/RtpEndpoint';
import { PromptPlayer } from '../prompts/PromptPlayer';
import type { MixClock } from './MixClock';
import { MixInput, type MixInputHost, type TranscodeDecoder } from './MixInput';
import { MixOutput, MixSource, type PromptSource, type TranscodePlan } from './MixOutput';
import { ComfortNoiseDecoder } from './ComfortNoiseDecoder';
import { RoundingG711Encoder } from './g711Table';
import { AlignedResampler } from './AlignedResampler';
import { TelephoneEventTones } from './TelephoneEventTones';
import { DtmfDetector } from './DtmfDetector';
import { ReferenceTaps } from './referenceTaps';
import { TapFanout } from './tapFanout';
import { EchoCanceller, sameSpec, type EchoCancellerSpec } from './EchoCanceller';
import { OutputMode, type CallMedia, type DtmfListener, type EchoStats, type MixAudioSink, type ParticipantMedia, type TapConsumer } from './types';

export type { DtmfListener, ParticipantMedia } from './types';

/** Media-plane settings of transcoding (rtpengine's daemon options `silence-detect`, `cn-payload`). */
export interface TranscodeOptions {
  /** Silence detection threshold in percent of full scale (rtpengine --silence-detect); 0 = off. */
  silenceDetectPercent: number;
  /** The CN payload a silent frame is replaced with (rtpengine --cn-payload, default [32]). */
  cnPayload: Uint8Array;
}

export const DEFAULT_TRANSCODE_OPTIONS: TranscodeOptions = { silenceDetectPercent: 0, cnPayload: Uint8Array.of(32) };

/** int16 threshold of rtpengine's silence detection: percent of UINT32_MAX, as an int, >> 16. */
export function silenceThreshold(percent: number): number {
  if (!(percent > 0)) return 0;
  return Math.trunc((percent / 100) * 4294967295) >> 16;
}

/** The codecs a participant sends/accepts: its primary and the others of its SDP. */
function codecsOf(m: ParticipantMedia): Array<{ pt: number; codec: CodecDef }> {
  const list = [{ pt: m.pt, codec: m.codec }];
  for (const x of m.alsoSends ?? []) if (x.pt !== m.pt) list.push({ pt: x.pt, codec: x.codec });
  return list;
}

function ptFor(m: ParticipantMedia, codec: CodecDef): number {
  for (const x of codecsOf(m)) if (x.codec === codec) return x.pt;
  return -1;
}

/**
 * True when what `src` sends cannot reach `dst` as it is: another codec, a codec of src's SDP that
 * dst lacks, a ptime to repacketise to, comfort noise dst does not take (or silence to turn into CN).
 */
export function needsTranscode(src: ParticipantMedia, dst: ParticipantMedia, opts: TranscodeOptions): boolean {
  if (src.codec !== dst.codec || src.pt !== dst.pt) return true;
  if ((dst.ptime ?? 0) > 0) return true;
  for (const x of codecsOf(src)) if (ptFor(dst, x.codec) < 0) return true;
  const srcCn = (src.cnPt ?? -1) >= 0;
  const dstCn = (dst.cnPt ?? -1) >= 0;
  if (srcCn && !dstCn) return true;
  if (!srcCn && dstCn && silenceThreshold(opts.silenceDetectPercent) > 0) return true;
  if (tonesFor(src, dst)) return true;
  if (detectFor(src, dst)) return true;
  return false;
}

/** In-band DTMF from `src` (no telephone-event) must become RFC 4733 events for `dst` (whisperd offered it telephone-event). */
function detectFor(src: ParticipantMedia, dst: ParticipantMedia): boolean {
  return src.dtmfPt < 0 && dst.dtmfPt >= 0 && dst.dtmfOffered !== false;
}

/** RFC 4733 events from `src` must become in-band tones for `dst` (it has no telephone-event). */
function tonesFor(src: ParticipantMedia, dst: ParticipantMedia): boolean {
  return src.dtmfPt >= 0 && src.dtmfOffered !== false && dst.dtmfPt < 0;
}

/** Mix frame length used by the output clocks, ms. */
export const FRAME_MS = 20;
/** How long after the expected next primary packet the output clock takes over, ms (above event-loop hiccups, so one late packet does not make the output emit a frame twice). */
const PRIMARY_GRACE_MS = 45;
/** (P) An output clock parked after its prompt (tick skips it until a deadline is set again). */
const PARKED_MS = 1e300;

/** (P) The output's primary talker sent audio within a frame + grace. */
function primaryTalking(out: MixOutput, nowMs: number): boolean {
  const p = out.primary;
  return p !== null && p.input.audioWithin(nowMs, FRAME_MS + PRIMARY_GRACE_MS);
}

export class CallMixer implements CallMedia, MixInputHost, RtpInputSink {
  readonly engine = 'reference' as const;
  readonly callId: string;
  readonly mixRate: number;
  private readonly inputs = new Map<string, MixInput>();
  private readonly outputs = new Map<string, MixOutput>();
  private readonly media = new Map<string, ParticipantMedia>();
  /** gains.get(outTag).get(inTag): the matrix. Missing = 0. */
  private readonly gains = new Map<string, Map<string, number>>();
  /** Per endpoint, the input its packets feed. */
  private readonly byEndpoint = new Map<RtpEndpoint, MixInput>();
  /** Per input, outputs it is forwarded to, and the output it is the primary talker of. */
  private readonly passthroughTo = new Map<MixInput, MixOutput[]>();
  private readonly primaryOf = new Map<MixInput, MixOutput>();
  private readonly frameSamples: number;
  /** The inputs and outputs as arrays, for the clock (no iterator allocation per tick). */
  private inputList: MixInput[] = [];
  private outputList: MixOutput[] = [];
  dtmfListener: DtmfListener | null = null;
  private closed = false;
  /** Per tag, bumped when its input/output are recreated (CallMedia.generation). */
  private readonly generations = new Map<string, number>();
  private nextGeneration = 0;
  /** The taps (setTaps: bleed, recording), applied to inputs/outputs as they are (re)created. */
  private readonly taps = new ReferenceTaps();
  /** The tap consumers (bleed, recording) whose union `taps` installs. */
  private readonly tapFanout = new TapFanout();
  /** Echo cancellers by input tag (setEchoCanceller), applied to inputs as they are (re)created. */
  private readonly aecSpecs = new Map<string, EchoCancellerSpec>();

  /** Opus encoder settings (config codecs.opusComplexity / opusBitrate). */
  private readonly opus: { complexity: number; bitrate: number };

  constructor(
    callId: string,
    mixRate: number,
    opus: { complexity: number; bitrate: number } = { complexity: 5, bitrate: 24000 },
    /** The clock that ticks this mixer: joined now, left on close(). */
    private readonly clock: MixClock | null = null,
    /** Transcoding settings (silence detection, CN payload). */
    readonly transcodeOptions: TranscodeOptions = DEFAULT_TRANSCODE_OPTIONS,
  ) {
    this.callId = callId;
    this.mixRate = mixRate;
    this.opus = opus;
    this.frameSamples = (mixRate * FRAME_MS) / 1000;
    clock?.add(this);
  }

  /** Add or update a participant (signalling time). Call reconfigure() afterwards. */
  setParticipant(m: ParticipantMedia): boolean {
    const old = this.media.get(m.tag);
    if (old && old.endpoint === m.endpoint && old.codec === m.codec && old.pt === m.pt && old.dtmfPt === m.dtmfPt) {
      old.peerTag = m.peerTag;
      old.alsoSends = m.alsoSends;
      old.cnPt = m.cnPt;
      old.ptime = m.ptime;
      old.dtmfOffered = m.dtmfOffered;
      return true;
    }
    this.removeParticipant(m.tag);
    this.media.set(m.tag, m);
    const decRate = this.decodeRate(m.codec);
    const input = new MixInput({
      tag: m.tag,
      endpoint: m.endpoint,
      host: this,
      mixRate: this.mixRate,
      audioPt: m.pt,
      dtmfPt: m.dtmfPt,
      codecRate: decRate,
      clockRate: m.codec.clockRate,
      newDecoder: () => m.codec.createDecoder(m.codec.name === 'opus' ? { sampleRate: decRate as 16000 } : {}),
    });
    this.inputs.set(m.tag, input);
    this.inputList = [...this.inputs.values()];
    this.byEndpoint.set(m.endpoint, input);
    const output = new MixOutput({
      tag: m.tag,
      endpoint: m.endpoint,
      mixRate: this.mixRate,
      pt: m.pt,
      codecRate: decRate,
      clockRate: m.codec.clockRate,
      // G.711 with FFmpeg's nearest-code tables, as rtpengine encodes (its prompts and transcoded audio).
      encoder:
        m.codec.name === 'PCMU' || m.codec.name === 'PCMA'
          ? new RoundingG711Encoder(m.codec.name === 'PCMU' ? 'ulaw' : 'alaw', decRate)
          : m.codec.createEncoder(m.codec.name === 'opus' ? { sampleRate: decRate as 16000, complexity: this.opus.complexity, bitrate: this.opus.bitrate } : {}),
    });
    this.outputs.set(m.tag, output);
    this.outputList = [...this.outputs.values()];
    this.generations.set(m.tag, ++this.nextGeneration);
    this.taps.apply(input, output);
    const spec = this.aecSpecs.get(m.tag);
    if (spec) input.aec = new EchoCanceller(this.mixRate, spec.tailMs, spec.residual);
    m.endpoint.engine = this;
    return true;
  }

  setEchoCanceller(tag: string, spec: EchoCancellerSpec | null): boolean {
    const old = this.aecSpecs.get(tag);
    if (sameSpec(old, spec)) return false;
    const input = this.inputs.get(tag);
    if (spec === null) {
      this.aecSpecs.delete(tag);
      if (input) {
        input.aec?.close();
        input.aec = null;
      }
      return true;
    }
    if (input && (!old || !input.aec || old.tailMs !== spec.tailMs || old.residual !== spec.residual)) {
      const aec = new EchoCanceller(this.mixRate, spec.tailMs, spec.residual);
      input.aec?.close();
      input.aec = aec;
    }
    this.aecSpecs.set(tag, { ...spec });
    return true;
  }

  echoStats(tag: string): EchoStats | null {
    const a = this.inputs.get(tag)?.aec;
    if (!a) return null;
    return { tailMs: a.tailMs, residual: a.residual, blocks: a.blocks, resyncs: a.resyncs, underruns: a.underruns, bypassed: a.bypassed };
  }

  removeParticipant(tag: string): void {
    const m = this.media.get(tag);
    if (!m) return;
    if (m.endpoint.engine === this) m.endpoint.engine = null;
    this.media.delete(tag);
    const input = this.inputs.get(tag)!;
    this.byEndpoint.delete(m.endpoint);
    input.close();
    this.inputs.delete(tag);
    this.inputList = [...this.inputs.values()];
    this.outputs.get(tag)!.close();
    this.outputs.delete(tag);
    this.outputList = [...this.outputs.values()];
    this.gains.delete(tag);
    for (const row of this.gains.values()) row.delete(tag);
    this.generations.delete(tag);
  }

  /** PCM rate a codec is decoded/encoded at in this call: its own PCM rate (G.722 16000 on an 8000 RTP clock), Opus at the mix rate. */
  private decodeRate(codec: CodecDef): number {
    return codec.name === 'opus' ? this.mixRate : codec.pcmRate;
  }

  setGain(outTag: string, inTag: string, gain: number): void {
    let row = this.gains.get(outTag);
    if (!row) {
      row = new Map();
      this.gains.set(outTag, row);
    }
    row.set(inTag, gain);
  }

  gain(outTag: string, inTag: string): number {
    return this.gains.get(outTag)?.get(inTag) ?? 0;
  }

  tags(): string[] {
    return [...this.media.keys()];
  }

  streamState(tag: string): { ssrc: number; seq: number; ts: number } | null {
    return this.output(tag)?.streamState() ?? null;
  }

  setStreamState(tag: string, ssrc: number, seq: number, ts: number): boolean {
    const o = this.output(tag);
    if (!o) return false;
    o.setStreamState(ssrc, seq, ts);
    return true;
  }

  output(tag: string): MixOutput | undefined {
    return this.outputs.get(tag);
  }

  input(tag: string): MixInput | undefined {
    return this.inputs.get(tag);
  }

  generation(tag: string): number {
    return this.generations.get(tag) ?? -1;
  }

  /**
   * Bleed measurement (src/bleed): decode `tag`'s audio on arrival (the direct path) even when its
   * outputs are passthrough, so `input.observer` sees every decoded frame. Signalling time only.
   */
  observe(tag: string): void {
    this.inputs.get(tag)?.enableDirect();
  }

  setTaps(consumer: TapConsumer, sink: MixAudioSink | null, observed: readonly string[], taps: ReadonlyMap<string, string>): void {
    this.tapFanout.set(consumer, sink, observed, taps);
    this.installTaps();
  }

  /** Install the union of the tap consumers (tapFanout.ts). Signalling time. */
  private installTaps(): void {
    const f = this.tapFanout;
    this.taps.configure(f.sink, f.observed, f.taps);
    for (const tag of this.media.keys()) this.taps.apply(this.inputs.get(tag)!, this.outputs.get(tag)!);
  }

  passthroughSource(outTag: string): string | null {
    const out = this.outputs.get(outTag);
    if (!out) return null;
    const from = out.mode === OutputMode.PASSTHROUGH ? out.passthroughFrom : out.wantPassthrough;
    return from?.tag ?? null;
  }

  /**
   * Keep `tag`'s jitter buffer running before anyone hears it (supervisors): when a mode change makes
   * it audible, the buffer is already in steady state and the one-frame gain ramp fades it in.
   */
  prewarm(tag: string): void {
    const input = this.inputs.get(tag);
    input?.enableBuffered();
  }

  /** Play a prompt (mono PCM at the mix rate, `repeat` times) into one participant's ear only. */
  addPrompt(tag: string, pcm: Int16Array, repeat: number): boolean {
    return this.addPromptSource(tag, new PromptPlayer(pcm, this.mixRate, repeat));
  }

  /** Mix any prompt source into one participant's ear only. */
  addPromptSource(tag: string, prompt: PromptSource): boolean {
    const out = this.outputs.get(tag);
    if (!out) return false;
    out.prompts.push(prompt);
    out.markNext();
    this.reconfigure();
    // (P) An output whose clock is not about to run (a primary's grace pending, or parked after a prompt) and
    // whose primary talker sends no audio starts its clock at once, as rtpengine's media player sends at once
    // (suite 'RTCP player w/ previous SR': its SR's DLSR < 0.1 s after a 50 ms pause); a talking primary
    // keeps clocking it.
    const now = performance.now();
    if (out.mode === OutputMode.MIX && out.nextDeadlineMs > now + FRAME_MS && !primaryTalking(out, now)) out.nextDeadlineMs = 0;
    return true;
  }

  /** True while any output plays a prompt (signalling time). */
  hasPrompts(): boolean {
    for (const out of this.outputs.values()) if (out.prompts.length > 0) return true;
    return false;
  }

  stopPrompts(tag: string): number {
    const out = this.outputs.get(tag);
    if (!out) return 0;
    const n = out.prompts.length;
    for (const p of out.prompts) p.stop();
    out.prompts = [];
    this.reconfigure();
    return n;
  }

  /**
   * Decide, for every output, passthrough or mix, its sources and primary talker, and for every input
   * which paths (passthrough, direct decode, jitter buffer) it needs. Signalling time only.
   */
  reconfigure(): void {
    this.passthroughTo.clear();
    this.primaryOf.clear();
    for (const input of this.inputs.values()) {
      input.passthrough = false;
      input.transcodeTo = [];
    }
    for (const [outTag, out] of this.outputs) {
      const me = this.media.get(outTag)!;
      let single: MixInput | null = null;
      let audible = 0;
      const sources: MixSource[] = [];
      for (const [inTag, input] of this.inputs) {
        // Its own input only by media-echo (a gain set for it).
        if (inTag === outTag && this.gain(outTag, inTag) === 0) continue;
        const g = this.gain(outTag, inTag);
        const primary = inTag === me.peerTag;
        const existing = out.sources.find((s) => s.input === input && s.primary === primary);
        const src = existing ?? new MixSource(input, primary);
        src.target = g;
        if (g !== 0) {
          audible++;
          if (g === 1) single = input;
        }
        sources.push(src);
      }
      const inMedia = single ? this.media.get(single.tag)! : null;
      // An input whose echo is cancelled is heard decoded (cancelled) and re-encoded, never forwarded.
      const direct = audible === 1 && single !== null && inMedia !== null && out.prompts.length === 0 && single.aec === null;
      const transcode = direct && needsTranscode(inMedia!, me, this.transcodeOptions);
      const canPass = direct && !transcode;
      const canTranscode = transcode && this.planTranscode(out, single!, inMedia!, me);
      // Sources that are audible, ramping, or already decoded are kept (a silent source is still read
      // so its jitter buffer keeps draining); inputs nobody has heard yet are not decoded at all.
      const live = sources.filter(
        (s) => s.target !== 0 || s.gain !== 0 || (s.primary ? s.input.direct !== null : s.input.buffered !== null),
      );
      for (const s of live) {
        if (s.primary) s.input.enableDirect();
        else s.input.enableBuffered();
      }
      out.setSources(live);
      if (canTranscode && out.mode !== OutputMode.MIX) {
        out.wantPassthrough = null;
        out.wantTranscode = false;
        out.enterTranscode(single!);
      } else if (canPass && out.mode !== OutputMode.MIX) {
        // Never mixed yet (or already passthrough): forward directly.
        out.wantPassthrough = null;
        out.mode = OutputMode.PASSTHROUGH;
        out.passthroughFrom = single;
      } else if (canPass || canTranscode) {
        // Mixing now: finish the ramps, then switch (MixOutput.emit does it).
        out.wantPassthrough = single;
        out.wantTranscode = canTranscode;
      } else {
        out.wantPassthrough = null;
        out.wantTranscode = false;
        if (out.mode !== OutputMode.MIX) {
          // Passthrough was "that input at gain 1, the rest at 0": ramps start from there, so the
          // forwarded talker continues at full level across the switch instead of fading in.
          const forwarding = out.mode === OutputMode.PASSTHROUGH || out.mode === OutputMode.TRANSCODE;
          for (const src of live) src.gain = forwarding && src.input === out.passthroughFrom ? 1 : 0;
          out.enterMix();
          // An audible primary talker clocks the output: give it a full frame (plus grace) before the
          // output's own clock may step in; an output with no primary starts its clock now.
          out.nextDeadlineMs = out.primary ? performance.now() + FRAME_MS + PRIMARY_GRACE_MS : 0;
        }
      }
      if (out.primary) this.primaryOf.set(out.primary.input, out);
      // This participant's own canceller takes its reference from what this output mixes.
      const own = this.inputs.get(outTag)!;
      const spec = this.aecSpecs.get(outTag);
      out.aec = own.aec;
      out.aecRef = own.aec !== null && spec ? (this.inputs.get(spec.refTag) ?? null) : null;
    }
    for (const out of this.outputs.values()) {
      if (out.mode === OutputMode.TRANSCODE || (out.wantPassthrough !== null && out.wantTranscode)) {
        const from = out.mode === OutputMode.TRANSCODE ? out.passthroughFrom : out.wantPassthrough;
        if (from) from.transcodeTo.push(out);
        continue;
      }
      const from = out.mode === OutputMode.PASSTHROUGH ? out.passthroughFrom : out.wantPassthrough;
      if (!from) continue;
      from.passthrough = true;
      const list = this.passthroughTo.get(from);
      if (list) list.push(out);
      else this.passthroughTo.set(from, [out]);
    }
  }

  /**
   * Build `out`'s transcode plan from `input` (signalling time): what it forwards as is, its frame
   * length, CN, the decoders the input needs and the resamplers to this output's rate. False when a
   * decoder cannot be made (the output mixes instead).
   */
  private planTranscode(out: MixOutput, input: MixInput, src: ParticipantMedia, dst: ParticipantMedia): boolean {
    const opts = this.transcodeOptions;
    const dstPtime = dst.ptime ?? 0;
    const srcCn = src.cnPt ?? -1;
    const dstCn = dst.cnPt ?? -1;
    const threshold = dstCn >= 0 && srcCn < 0 ? silenceThreshold(opts.silenceDetectPercent) : 0;
    const forwardPt = new Int16Array(128).fill(-1);
    const tones = tonesFor(src, dst);
    const detect = detectFor(src, dst);
    // Tones go into the audio stream, detection reads it: then nothing of it is forwarded (rtpengine transcodes it all).
    if (dstPtime === 0 && threshold === 0 && !tones && !detect) {
      for (const x of codecsOf(src)) {
        const p = ptFor(dst, x.codec);
        if (p >= 0) forwardPt[x.pt] = p;
      }
    }
    if (src.dtmfPt >= 0 && dst.dtmfPt >= 0) forwardPt[src.dtmfPt] = dst.dtmfPt;
    if (srcCn >= 0 && dstCn >= 0) forwardPt[srcCn] = dstCn;
    const plan: TranscodePlan = {
      frameMs: outputFrameMs(dstPtime, dst.codec.frameMs),
      forwardPt,
      cnPt: dstCn,
      silenceThreshold: threshold,
      cnPayload: opts.cnPayload,
      tsRatio: dst.codec.clockRate / src.codec.clockRate,
      eventScalePt: src.dtmfPt >= 0 && dst.dtmfPt >= 0 && dst.codec.clockRate !== src.codec.clockRate ? src.dtmfPt : -1,
      primaryForwarded: forwardPt[src.pt]! >= 0,
      detectPt: detect && out.codecRate === 8000 ? dst.dtmfPt : -1,
      injectPt: dst.dtmfPt,
    };
    // Decoders of everything the input may send (kept across reconfigures while the codecs stay).
    const decoders: TranscodeDecoder[] = [];
    try {
      for (const x of codecsOf(src)) {
        const have = input.tcDecoders.find((d) => d.pt === x.pt && d.clockRate === x.codec.clockRate && d.decoder.sampleRate === this.tcRate(x.codec));
        if (have) decoders.push(have);
        else {
          const rate = this.tcRate(x.codec);
          const decoder = x.codec.createDecoder(x.codec.name === 'opus' ? { sampleRate: rate as 16000 } : {});
          decoders.push({ pt: x.pt, decoder, rate: decoder.sampleRate, clockRate: x.codec.clockRate });
        }
      }
      if (srcCn >= 0) {
        const have = input.tcDecoders.find((d) => d.pt === srcCn);
        decoders.push(have ?? { pt: srcCn, decoder: new ComfortNoiseDecoder(), rate: 8000, clockRate: 8000 });
      }
      if (tones) {
        const rate = src.codec.clockRate;
        const have = input.tcDecoders.find((d) => d.pt === src.dtmfPt && d.tones !== undefined && d.rate === rate);
        // (decoder: a stand-in, never called; the tones object makes the samples)
        decoders.push(have ?? { pt: src.dtmfPt, decoder: new ComfortNoiseDecoder(), rate, clockRate: rate, tones: new TelephoneEventTones(rate) });
      }
    } catch {
      for (const d of decoders) if (!input.tcDecoders.includes(d)) d.decoder.close();
      return false;
    }
    input.cnPt = srcCn;
    input.enableTranscode(decoders);
    for (const d of decoders) {
      if (d.rate !== out.codecRate && !out.tcResamplers.has(d.rate)) out.tcResamplers.set(d.rate, new AlignedResampler(d.rate, out.codecRate));
    }
    if (out.tcEncoder === null && (dst.codec.name === 'PCMU' || dst.codec.name === 'PCMA')) {
      out.tcEncoder = new RoundingG711Encoder(dst.codec.name === 'PCMU' ? 'ulaw' : 'alaw', out.codecRate);
    }
    if (plan.detectPt >= 0) out.detector ??= new DtmfDetector();
    out.plan = plan;
    return true;
  }

  /** PCM rate of a codec on the transcode path: its own rate, Opus at the mix rate. */
  private tcRate(codec: CodecDef): number {
    return codec.name === 'opus' ? this.mixRate : codec.pcmRate;
  }

  /**
   * `play DTMF` from participant `fromTag`: queued on every output that transcodes its audio (RFC 4733
   * events where the listener has telephone-event, in-band tones otherwise). False when none does.
   */
  canInjectDtmf(fromTag: string): boolean {
    const input = this.inputs.get(fromTag);
    if (!input) return false;
    for (const out of this.outputs.values()) if (out.mode === OutputMode.TRANSCODE && out.passthroughFrom === input) return true;
    return false;
  }

  injectDtmf(fromTag: string, code: number, volume: number, toneVolume: number, durationMs: number, pauseMs: number): boolean {
    const input = this.inputs.get(fromTag);
    if (!input) return false;
    let any = false;
    for (const out of this.outputs.values()) {
      if (out.mode === OutputMode.TRANSCODE && out.passthroughFrom === input && out.injectDtmf(code, volume, toneVolume, durationMs, pauseMs)) any = true;
    }
    return any;
  }

  // ---- packet path (RtpInputSink / MixInputHost) ----

  onRtp(from: RtpEndpoint, buf: Buffer, view: RtpView, arrivalMs: number): void {
    const input = this.byEndpoint.get(from);
    if (input !== undefined) input.onRtp(buf, view, arrivalMs);
  }

  onPassthrough(input: MixInput, buf: Buffer, view: RtpView): void {
    const outs = this.passthroughTo.get(input);
    if (outs === undefined) return;
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      if (o.mode === OutputMode.PASSTHROUGH) o.forward(buf, view);
    }
  }

  onPrimaryAudio(input: MixInput, samples: number, nowMs: number): void {
    const out = this.primaryOf.get(input);
    if (out === undefined || out.mode !== OutputMode.MIX) return;
    out.emit(samples, nowMs);
    out.nextDeadlineMs = nowMs + (samples * 1000) / this.mixRate + PRIMARY_GRACE_MS;
  }

  onTelephoneEvent(input: MixInput, buf: Buffer, view: RtpView): void {
    if (this.dtmfListener !== null) this.dtmfListener.onDtmf(input.tag, buf, view, input.endpoint.fromLatchedSource);
    const outs = this.passthroughTo.get(input);
    if (outs !== undefined) for (let i = 0; i < outs.length; i++) if (outs[i]!.mode === OutputMode.PASSTHROUGH) outs[i]!.forward(buf, view);
    const primaryOut = this.primaryOf.get(input);
    if (primaryOut !== undefined && primaryOut.mode === OutputMode.MIX) primaryOut.forwardEvent(buf);
  }

  /** The output clocks: emit frames for mixed outputs whose primary talker is silent or absent. */
  tick(nowMs: number): void {
    // Jitter buffers nobody read for a frame (a supervisor nobody hears yet) are drained on this clock.
    const inputs = this.inputList;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const b = input.buffered;
      if (b !== null && nowMs - input.lastPullMs >= FRAME_MS) input.fillBuffered(b.ring.written + this.frameSamples, nowMs);
    }
    const outputs = this.outputList;
    for (let k = 0; k < outputs.length; k++) {
      const out = outputs[k]!;
      if (out.mode !== OutputMode.MIX || out.endpoint.remotePort === 0) continue;
      if (out.nextDeadlineMs === 0) out.nextDeadlineMs = nowMs;
      if (nowMs < out.nextDeadlineMs) continue;
      // At most one frame per tick: after an event-loop stall the timers run before the queued packets
      // are read, so a burst of catch-up frames would only pull empty jitter buffers. Owed frames are
      // caught up one per tick (5 ms), and more than 3 frames of lag are dropped rather than burst.
      if (out.primary) out.primary.input.concealDirect(this.frameSamples);
      const hadPrompts = out.prompts.length > 0;
      out.emit(this.frameSamples, nowMs);
      out.framesByTimer++;
      out.nextDeadlineMs += FRAME_MS;
      // (P) The last prompt of an output that hears nobody but a silent primary (if any) has ended: its clock
      // parks, as rtpengine's media player sends nothing after its file; the primary's audio
      // (onPrimaryAudio) or a new prompt (addPromptSource) starts it again.
      if (hadPrompts && out.prompts.length === 0 && out.sources.length <= (out.primary ? 1 : 0) && !primaryTalking(out, nowMs)) {
        out.nextDeadlineMs = PARKED_MS;
      }
      if (nowMs - out.nextDeadlineMs > 3 * FRAME_MS) {
        out.framesSkipped += Math.floor((nowMs - out.nextDeadlineMs) / FRAME_MS);
        out.nextDeadlineMs = nowMs + FRAME_MS;
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock?.remove(this);
    this.taps.configure(null, [], new Map());
    this.aecSpecs.clear();
    for (const tag of [...this.media.keys()]) this.removeParticipant(tag);
  }
}

/**
 * An output's frame length (signalling time): the peer's a=ptime (or the ng `ptime`) as an integer number
 * of ms within [1, MAX_OUTPUT_FRAME_MS], else the codec's own. rtpengine takes any ptime (its encoder
 * then buffers up to the whole ptime); whisperd's frame buffers hold 120 ms, so a longer ptime (a=ptime:200,
 * 5000) is capped there: the party gets 120 ms packets (it got nothing before). Native twin: call_mix.cc
 * planTranscode, same rule.
 */
export function outputFrameMs(ptime: number, codecFrameMs: number): number {
  const p = Math.floor(ptime);
  if (!(p >= 1)) return codecFrameMs;
  return Math.min(p, MAX_OUTPUT_FRAME_MS);
}

/** The longest output frame (MixOutput / MixInput MAX_FRAME_MS, native kMaxFrameMs). */
export const MAX_OUTPUT_FRAME_MS = 120;
