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
import { MixInput, type MixInputHost } from './MixInput';
import { MixOutput, MixSource, type PromptSource } from './MixOutput';
import { ReferenceTaps } from './referenceTaps';
import { OutputMode, type CallMedia, type DtmfListener, type MixAudioSink, type ParticipantMedia } from './types';

export type { DtmfListener, ParticipantMedia } from './types';

/** Mix frame length used by the output clocks, ms. */
export const FRAME_MS = 20;
/** How long after the expected next primary packet the output clock takes over, ms (above event-loop hiccups, so one late packet does not make the output emit a frame twice). */
const PRIMARY_GRACE_MS = 45;

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
  /** The bleed taps (setAudioTaps), applied to inputs/outputs as they are (re)created. */
  private readonly taps = new ReferenceTaps();

  /** Opus encoder settings (config codecs.opusComplexity / opusBitrate). */
  private readonly opus: { complexity: number; bitrate: number };

  constructor(
    callId: string,
    mixRate: number,
    opus: { complexity: number; bitrate: number } = { complexity: 5, bitrate: 24000 },
    /** The clock that ticks this mixer: joined now, left on close(). */
    private readonly clock: MixClock | null = null,
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
      encoder: m.codec.createEncoder(
        m.codec.name === 'opus' ? { sampleRate: decRate as 16000, complexity: this.opus.complexity, bitrate: this.opus.bitrate } : {},
      ),
    });
    this.outputs.set(m.tag, output);
    this.outputList = [...this.outputs.values()];
    this.generations.set(m.tag, ++this.nextGeneration);
    this.taps.apply(input, output);
    m.endpoint.engine = this;
    return true;
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

  setAudioTaps(sink: MixAudioSink | null, observed: readonly string[], taps: ReadonlyMap<string, string>): void {
    this.taps.configure(sink, observed, taps);
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
    this.reconfigure();
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
    for (const input of this.inputs.values()) input.passthrough = false;
    for (const [outTag, out] of this.outputs) {
      const me = this.media.get(outTag)!;
      let single: MixInput | null = null;
      let audible = 0;
      const sources: MixSource[] = [];
      for (const [inTag, input] of this.inputs) {
        if (inTag === outTag) continue;
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
      const canPass =
        audible === 1 &&
        single !== null &&
        inMedia !== null &&
        inMedia.codec === me.codec &&
        inMedia.pt === me.pt &&
        out.prompts.length === 0;
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
      if (canPass && out.mode !== OutputMode.MIX) {
        // Never mixed yet (or already passthrough): forward directly.
        out.wantPassthrough = null;
        out.mode = OutputMode.PASSTHROUGH;
        out.passthroughFrom = single;
      } else if (canPass) {
        // Mixing now: finish the ramps, then switch (MixOutput.emit does it).
        out.wantPassthrough = single;
      } else {
        out.wantPassthrough = null;
        if (out.mode !== OutputMode.MIX) {
          // Passthrough was "that input at gain 1, the rest at 0": ramps start from there, so the
          // forwarded talker continues at full level across the switch instead of fading in.
          for (const src of live) src.gain = out.mode === OutputMode.PASSTHROUGH && src.input === out.passthroughFrom ? 1 : 0;
          out.enterMix();
          // An audible primary talker clocks the output: give it a full frame (plus grace) before the
          // output's own clock may step in; an output with no primary starts its clock now.
          out.nextDeadlineMs = out.primary ? performance.now() + FRAME_MS + PRIMARY_GRACE_MS : 0;
        }
      }
      if (out.primary) this.primaryOf.set(out.primary.input, out);
    }
    for (const out of this.outputs.values()) {
      const from = out.mode === OutputMode.PASSTHROUGH ? out.passthroughFrom : out.wantPassthrough;
      if (!from) continue;
      from.passthrough = true;
      const list = this.passthroughTo.get(from);
      if (list) list.push(out);
      else this.passthroughTo.set(from, [out]);
    }
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
      out.emit(this.frameSamples, nowMs);
      out.framesByTimer++;
      out.nextDeadlineMs += FRAME_MS;
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
    for (const tag of [...this.media.keys()]) this.removeParticipant(tag);
  }
}
