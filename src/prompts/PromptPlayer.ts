/**
 * Plays a decoded prompt (mono 16-bit PCM at the mix rate) into one participant's ear, frame by
 * frame, `repeatTimes` times back to back (ng `play media` `repeat-times`: total plays, ≥ 1).
 *
 * read() allocates nothing: it copies from the prompt into the caller's frame and zero-fills the
 * rest once the prompt is over (or stopped), so the mixer can always add a full frame.
 */
import { BadRequestError } from '../errors';

export class PromptPlayer {
  /** Length of the whole playback (one play × repeatTimes), ms, rounded. Reply key `duration`. */
  readonly durationMs: number;
  readonly sampleRate: number;
  readonly repeatTimes: number;
  private readonly pcm: Int16Array;
  /** Next sample of the current play, 0..pcm.length. */
  private pos = 0;
  /** Plays completed so far, 0..repeatTimes. */
  private plays = 0;
  private stopped = false;

  /** `pcm`: mono samples at `sampleRate` Hz. Throws BadRequestError on a bad rate or repeat count. */
  constructor(pcm: Int16Array, sampleRate: number, repeatTimes: number) {
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new BadRequestError('Invalid prompt sample rate');
    if (!Number.isInteger(repeatTimes) || repeatTimes < 1) throw new BadRequestError('Invalid repeat-times');
    this.pcm = pcm;
    this.sampleRate = sampleRate;
    this.repeatTimes = repeatTimes;
    this.durationMs = Math.round((pcm.length * repeatTimes * 1000) / sampleRate);
    if (pcm.length === 0) this.plays = repeatTimes;
  }

  /**
   * Write the next `samples` samples at out[outOffset ..]: prompt audio while it lasts, zeros after.
   * The count is clamped to the space in `out`. Returns how many samples of prompt audio were written
   * (the rest of the span is zero).
   */
  read(out: Int16Array, outOffset: number, samples: number): number {
    const room = out.length - outOffset;
    const n = outOffset < 0 ? 0 : samples > room ? room : samples;
    const pcm = this.pcm;
    const len = pcm.length;
    let w = 0;
    if (!this.stopped) {
      while (w < n && this.plays < this.repeatTimes) {
        const take = Math.min(n - w, len - this.pos);
        for (let i = 0; i < take; i++) out[outOffset + w + i] = pcm[this.pos + i]!;
        w += take;
        this.pos += take;
        if (this.pos === len) {
          this.pos = 0;
          this.plays++;
        }
      }
    }
    for (let i = w; i < n; i++) out[outOffset + i] = 0;
    return w;
  }

  /** True once every play has been read out, or after stop(). */
  get done(): boolean {
    return this.stopped || this.plays >= this.repeatTimes;
  }

  /** End playback now; later reads return 0 and write silence. */
  stop(): void {
    this.stopped = true;
  }

  /** Audio played so far across all repeats, ms (stays put after stop(); the unrounded total when done). */
  get positionMs(): number {
    return ((this.plays * this.pcm.length + this.pos) * 1000) / this.sampleRate;
  }
}
