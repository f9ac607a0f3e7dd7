/**
 * Decoded-PCM carry-over queue of the jitter buffer. Packets may hold more audio than one output frame
 * (40 ms ptime, or 20 ms packets with 10 ms output frames), so decoded samples wait here until
 * emitted. Every sample carries a rank (what produced it) and the arrival time of its packet (-1 for
 * synthesised samples), so the buffer can classify each emitted frame and account the W3C delay sums
 * per sample. Preallocated; compaction is an in-place copyWithin.
 */

/** Sample ranks, ordered so that a frame's kind is the maximum rank of its samples. */
export const RANK_SILENCE = 0;
export const RANK_NORMAL = 1;
export const RANK_CONCEALED = 2;

export class PcmQueue {
  readonly samples: Int16Array;
  readonly rank: Uint8Array;
  readonly arrival: Float64Array;
  /** Index of the first queued sample. */
  start = 0;
  /** One past the last queued sample. */
  end = 0;

  constructor(capacity: number) {
    this.samples = new Int16Array(capacity);
    this.rank = new Uint8Array(capacity);
    this.arrival = new Float64Array(capacity);
  }

  get avail(): number {
    return this.end - this.start;
  }

  /** Make room for `n` more samples at `end` (compacting if needed); returns the write offset. */
  reserve(n: number): number {
    if (this.end + n > this.samples.length) {
      const a = this.avail;
      if (a > 0) {
        this.samples.copyWithin(0, this.start, this.end);
        this.rank.copyWithin(0, this.start, this.end);
        this.arrival.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = a;
    }
    return this.end;
  }

  /** Account `n` samples written at the offset `reserve` returned. */
  commit(n: number, rank: number, arrivalMs: number): void {
    this.rank.fill(rank, this.end, this.end + n);
    this.arrival.fill(arrivalMs, this.end, this.end + n);
    this.end += n;
  }

  /** Drop `n` samples from the front. */
  skip(n: number): void {
    this.start += n;
    if (this.start >= this.end) this.start = this.end = 0;
  }

  clear(): void {
    this.start = this.end = 0;
  }

  /** Mean square of samples [from, from+n) (absolute indices). */
  meanSquare(from: number, n: number): number {
    const s = this.samples;
    let acc = 0;
    for (let i = from, e = from + n; i < e; i++) {
      const v = s[i]!;
      acc += v * v;
    }
    return n > 0 ? acc / n : 0;
  }

  /** True if every sample of [from, from+n) has rank `r`. */
  allRank(from: number, n: number, r: number): boolean {
    const k = this.rank;
    for (let i = from, e = from + n; i < e; i++) if (k[i] !== r) return false;
    return true;
  }

  /** Σ (now − arrival) ms and count of decoded samples in the last emit(). */
  lastDelaySumMs = 0;
  lastDecodedCount = 0;

  /**
   * Move the first n samples to out[off ..]; returns their highest rank and leaves the W3C delay sum
   * of the decoded ones in lastDelaySumMs / lastDecodedCount.
   */
  emit(out: Int16Array, off: number, n: number, nowMs: number): number {
    const s = this.samples;
    const rank = this.rank;
    const arrival = this.arrival;
    let r = 0;
    let sum = 0;
    let count = 0;
    for (let i = 0, j = this.start; i < n; i++, j++) {
      out[off + i] = s[j]!;
      if (rank[j]! > r) r = rank[j]!;
      const a = arrival[j]!;
      if (a >= 0) {
        sum += nowMs - a;
        count++;
      }
    }
    this.skip(n);
    this.lastDelaySumMs = sum;
    this.lastDecodedCount = count;
    return r;
  }

  /**
   * Time-compression by one frame: if the first 2·n queued samples are all decoded audio, drop the
   * first n, provided they are quiet (mean square < quietMeanSquare) or `allowLoud`. A loud frame is
   * joined by a linear crossfade of `xfade` samples from the dropped frame's start into the next
   * frame, so the waveform stays continuous. Returns true if a frame was dropped.
   */
  dropFrame(n: number, quietMeanSquare: number, allowLoud: boolean, xfade: number): boolean {
    if (this.avail < 2 * n) return false;
    const a = this.start;
    if (!this.allRank(a, 2 * n, RANK_NORMAL)) return false;
    if (this.meanSquare(a, n) >= quietMeanSquare) {
      if (!allowLoud) return false;
      const s = this.samples;
      for (let i = 0; i < xfade; i++) s[a + n + i] = Math.round((s[a + i]! * (xfade - i) + s[a + n + i]! * i) / xfade);
    }
    this.skip(n);
    return true;
  }
}
