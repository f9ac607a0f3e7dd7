/**
 * Puts two streams of PCM frames (each as the mixer reports it: a party's decoded audio as it arrives,
 * or an output's mixed frames) on one timeline and hands interleaved stereo to a writer.
 *
 * Time base: the frames' nowMs (performance.now() ms; the native engine reports its media threads'
 * times on that clock). Sample index of a frame ending at nowMs: (nowMs - t0) * rate / 1000. Each
 * channel keeps a write position: frames that follow each other are written back to back (jitter does
 * not cut the audio); a frame later than `gapSamples` behind its time (loss, DTX, a silent party) jumps
 * the position forward (silence in between); a frame that would land in audio already written starts at
 * the written edge. flush() (a timer, every ~100 ms) writes everything older than `holdSamples`;
 * positions not reached by a channel are silence (zeros), so a paused recording (push() ignored) and a
 * silent party both become silence of the real-time length.
 *
 * Per frame: copies into a ring, no allocation. Per flush: one Buffer.
 */
export class StereoAssembler {
  private readonly rings: [Int16Array, Int16Array];
  private readonly mask: number;
  /** Next sample position per channel (absolute index since t0). */
  private readonly pos = [0, 0];
  /** Everything before this index is written. */
  private flushed = 0;
  /** Frames dropped (too far ahead of the timeline, or channel out of range). */
  dropped = 0;
  /** While true, push() ignores frames (pause: silence is written). */
  paused = false;

  constructor(
    readonly rate: number,
    private readonly t0: number,
    private readonly holdSamples: number,
    private readonly gapSamples: number,
  ) {
    let cap = 1;
    while (cap < holdSamples * 4 + rate * 2) cap <<= 1;
    this.rings = [new Int16Array(cap), new Int16Array(cap)];
    this.mask = cap - 1;
  }

  private indexAt(nowMs: number): number {
    return Math.round(((nowMs - this.t0) * this.rate) / 1000);
  }

  push(ch: 0 | 1, pcm: Int16Array, off: number, n: number, nowMs: number): void {
    if (this.paused || n <= 0) return;
    const start = this.indexAt(nowMs) - n;
    let p = this.pos[ch]!;
    if (p < start - this.gapSamples) p = start;
    if (p < this.flushed) p = this.flushed;
    if (p + n - this.flushed > this.mask) {
      this.dropped++;
      return;
    }
    const ring = this.rings[ch];
    const mask = this.mask;
    for (let i = 0; i < n; i++) ring[(p + i) & mask] = pcm[off + i]!;
    this.pos[ch] = p + n;
  }

  /**
   * Interleaved stereo from the written edge up to nowMs - hold (or, `all`, up to the furthest position
   * reached and at least nowMs): null when there is nothing new. Those ring positions are cleared.
   */
  flush(nowMs: number, all = false): Buffer | null {
    let target = this.indexAt(nowMs) - (all ? 0 : this.holdSamples);
    if (all) target = Math.max(target, this.pos[0]!, this.pos[1]!);
    const n = target - this.flushed;
    if (n <= 0) return null;
    // Own ArrayBuffer (offset 0, aligned) viewed as int16: the host is little-endian (x86-64/arm64), as WAV.
    const out = Buffer.allocUnsafeSlow(n * 4);
    const v = new Int16Array(out.buffer, out.byteOffset, n * 2);
    const [l, r] = this.rings;
    const mask = this.mask;
    let o = 0;
    for (let i = this.flushed; i < target; i++) {
      const k = i & mask;
      v[o] = l[k]!;
      v[o + 1] = r[k]!;
      l[k] = 0;
      r[k] = 0;
      o += 2;
    }
    this.flushed = target;
    return out;
  }
}
