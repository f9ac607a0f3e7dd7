/**
 * The transcode path's sample-rate converter, started as rtpengine's (libswresample) starts: the first
 * output sample is the first input sample's instant (the filter's group delay is not in the stream) and
 * the filter's history before it is the input mirrored about its first sample (a steady signal stays
 * steady from the first sample: no ramp up from silence). So the first packet gives the group delay
 * fewer samples than later ones: 20 ms of PCMU/16000 in gives less than 20 ms of PCMA/8000, and the first
 * frame goes out with the second packet (suite scenario 'DTMF scaling': "resample buffer is stalling").
 * Later calls pass straight through the wrapped resampler. Allocates only at construction.
 */
import { Resampler } from '../codec/resampler';

/** Largest call handled (120 ms at 48 kHz), as the resamplers. */
const MAX_INPUT = 5760;

export class AlignedResampler {
  readonly inner: Resampler;
  /** Input samples of mirrored history fed before the first input. */
  private readonly preroll: number;
  /** Output samples still to drop (the preroll's and the group delay). */
  private skip: number;
  private started = false;
  private readonly pre: Int16Array;
  private readonly discard: Int16Array;

  constructor(inRate: number, outRate: number) {
    this.inner = new Resampler(inRate, outRate);
    const latency = this.inner.outputLatency();
    this.preroll = Math.round((latency * inRate) / outRate);
    this.skip = 2 * latency;
    this.pre = new Int16Array(this.preroll);
    this.discard = new Int16Array(Math.ceil(((this.preroll + 1) * outRate) / inRate) + 64 + MAX_INPUT);
  }

  /** As Resampler.process; the first call writes the group delay fewer samples (maybe none). Hot path. */
  process(input: Int16Array, inOff: number, inLen: number, out: Int16Array, outOff: number): number {
    if (!this.started && inLen > 0) {
      this.started = true;
      // Mirror about the first sample: x[P], x[P-1], ... x[1] (x[0] repeated where the input is short).
      const p = this.preroll;
      for (let i = 0; i < p; i++) {
        const k = p - i;
        this.pre[i] = input[inOff + (k < inLen ? k : 0)]!;
      }
      if (p > 0) {
        const m = this.inner.process(this.pre, 0, p, this.discard, 0);
        if (m > 0) this.skip -= m;
      }
    }
    if (this.skip <= 0) return this.inner.process(input, inOff, inLen, out, outOff);
    const n = this.inner.process(input, inOff, inLen, out, outOff);
    if (n <= 0) return n;
    const drop = n < this.skip ? n : this.skip;
    this.skip -= drop;
    out.copyWithin(outOff, outOff + drop, outOff + n);
    return n - drop;
  }

  close(): void {
    this.inner.close();
  }
}
