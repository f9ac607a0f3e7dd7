/**
 * The reference engine's bleed taps (CallMedia.setTaps for CallMixer): installed as the observer
 * of the observed inputs' direct path and as the tap of the tapped outputs, it hands the MixAudioSink
 * plain arrays — the same records the native engine reports (OBSERVED; MIXED with the tapped source's
 * contribution, rounded and clamped to int16, and its raw audio read for that frame).
 *
 * Zero allocation per frame: the per-output tap entries and scratch arrays are made at signalling time.
 */
import type { DirectAudioObserver, MixInput } from './MixInput';
import type { MixOutput, MixTap } from './MixOutput';
import type { MixAudioSink } from './types';

/** Longest frame a mixer emits (120 ms at 16 kHz). */
const MAX_FRAME = 16000 * 0.12;

interface TapEntry {
  src: string;
  /** Cached index of `src` in the output's sources (-1: look it up). */
  k: number;
}

export class ReferenceTaps implements DirectAudioObserver, MixTap {
  private sink: MixAudioSink | null = null;
  private observed = new Set<string>();
  private taps = new Map<string, TapEntry>();
  /** The output each entry belongs to, resolved when the output is (re)created. */
  private readonly byOutput = new Map<MixOutput, TapEntry>();
  private readonly contrib = new Int16Array(MAX_FRAME);
  private readonly raw = new Int16Array(MAX_FRAME);

  /** Replace the configuration (signalling time); apply() then installs it on each input/output. */
  configure(sink: MixAudioSink | null, observed: readonly string[], taps: ReadonlyMap<string, string>): void {
    this.sink = sink;
    this.observed = new Set(sink ? observed : []);
    this.taps = new Map();
    if (sink) for (const [out, src] of taps) this.taps.set(out, { src, k: -1 });
    this.byOutput.clear();
  }

  /** Install (or remove) this adapter on one participant's input and output. */
  apply(input: MixInput, output: MixOutput): void {
    if (this.observed.has(input.tag)) input.observer = this;
    else if (input.observer === this) input.observer = null;
    const e = this.taps.get(output.tag);
    if (e) {
      this.byOutput.set(output, e);
      output.tap = this;
    } else {
      this.byOutput.delete(output);
      if (output.tap === this) output.tap = null;
    }
  }

  onDirectAudio(input: MixInput, pcm: Int16Array, off: number, samples: number): void {
    if (this.sink !== null) this.sink.onObserved(input.tag, pcm, off, samples, performance.now());
  }

  onMixed(output: MixOutput, pcm: Int16Array, samples: number): void {
    const sink = this.sink;
    const e = this.byOutput.get(output);
    if (sink === null || e === undefined) return;
    const now = performance.now();
    const sources = output.sources;
    let k = e.k;
    if (k < 0 || k >= sources.length || sources[k]!.input.tag !== e.src) {
      k = -1;
      for (let i = 0; i < sources.length; i++) {
        if (sources[i]!.input.tag === e.src) {
          k = i;
          break;
        }
      }
      e.k = k;
    }
    if (k < 0 || samples > MAX_FRAME) {
      sink.onMixed(output.tag, e.src, pcm, samples, null, null, now);
      return;
    }
    const s = sources[k]!;
    const c = output.contributions[k]!;
    const contrib = this.contrib;
    for (let i = 0; i < samples; i++) {
      const v = Math.round(c[i]!);
      contrib[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    let raw: Int16Array | null = null;
    if (s.cursor >= 0 && (s.primary ? s.input.direct : s.input.buffered) !== null) {
      s.ring.read(s.cursor - samples, this.raw, 0, samples);
      raw = this.raw;
    }
    sink.onMixed(output.tag, e.src, pcm, samples, contrib, raw, now);
  }
}
