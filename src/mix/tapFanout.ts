/**
 * The mixers' audio taps as a union of consumers (bleed measurement, call recording): each consumer
 * sets its own observed inputs and tapped outputs (CallMedia.setTaps, signalling
 * time); the mixer installs the union and reports to this fan-out, which hands each frame to the
 * consumers that asked for it. With one consumer the mixer is given that consumer's sink directly (no
 * indirection, exactly the single-consumer behaviour).
 *
 * One tapped source per output (the native mix reports one): when two consumers tap the same output
 * with different sources, the first consumer (bleed) gets its source; the other gets the output's PCM
 * with contrib/raw null ("not a source"). The recording only reads the PCM.
 *
 * Per frame: a Set lookup per consumer, no allocation.
 */
import type { MixAudioSink, TapConsumer } from './types';

interface ConsumerTaps {
  sink: MixAudioSink;
  observed: Set<string>;
  taps: Map<string, string>;
}

const ORDER: readonly TapConsumer[] = ['bleed', 'recording'];

export class TapFanout implements MixAudioSink {
  private readonly consumers = new Map<TapConsumer, ConsumerTaps>();
  /** The active consumers in ORDER (rebuilt at signalling time; iterated per frame). */
  private active: ConsumerTaps[] = [];
  /** The union to install (valid after set()). */
  observed: string[] = [];
  taps = new Map<string, string>();

  /** Replace one consumer's taps (sink null: it stops). Signalling time. */
  set(consumer: TapConsumer, sink: MixAudioSink | null, observed: readonly string[], taps: ReadonlyMap<string, string>): void {
    if (sink === null) this.consumers.delete(consumer);
    else this.consumers.set(consumer, { sink, observed: new Set(observed), taps: new Map(taps) });
    this.active = ORDER.filter((c) => this.consumers.has(c)).map((c) => this.consumers.get(c)!);
    const obs = new Set<string>();
    const union = new Map<string, string>();
    for (const c of this.active) {
      for (const t of c.observed) obs.add(t);
      for (const [out, src] of c.taps) if (!union.has(out)) union.set(out, src);
    }
    this.observed = [...obs];
    this.taps = union;
  }

  /** The sink the mixer reports to: null (none), the only consumer's own sink, or this fan-out. */
  get sink(): MixAudioSink | null {
    if (this.active.length === 0) return null;
    if (this.active.length === 1) return this.active[0]!.sink;
    return this;
  }

  onObserved(inTag: string, pcm: Int16Array, off: number, n: number, nowMs: number): void {
    const a = this.active;
    for (let i = 0; i < a.length; i++) if (a[i]!.observed.has(inTag)) a[i]!.sink.onObserved(inTag, pcm, off, n, nowMs);
  }

  onMixed(outTag: string, srcTag: string, pcm: Int16Array, n: number, contrib: Int16Array | null, raw: Int16Array | null, nowMs: number): void {
    const a = this.active;
    for (let i = 0; i < a.length; i++) {
      const c = a[i]!;
      const want = c.taps.get(outTag);
      if (want === undefined) continue;
      if (want === srcTag) c.sink.onMixed(outTag, srcTag, pcm, n, contrib, raw, nowMs);
      else c.sink.onMixed(outTag, want, pcm, n, null, null, nowMs);
    }
  }
}
