/**
 * Receive-side bookkeeping of one RTP source (RFC 3550 §6.4.1, Appendix A.1/A.8): sequence and timestamp
 * unwrapping, expected-vs-received loss estimate, and interarrival jitter. Plain number fields only.
 *
 * Extended sequence numbers start at SEQ_BASE + first sequence so they never go negative when earlier
 * packets arrive after the first one; extended timestamps are doubles, unwrapped against the timestamp
 * of the highest sequence seen (tsDiff is a signed 32-bit distance).
 */
import { seqDiff, tsDiff } from '../media/rtp';

const SEQ_BASE = 1 << 20;

export class ArrivalTracker {
  /** True once begin() was called for the current source. */
  started = false;
  /** Highest extended sequence number seen. */
  highestSeq = 0;
  /** Extended timestamp of the highest-sequence packet, clock units. */
  highestTs = 0;
  private highestRawTs = 0;
  private baseSeq = 0;
  private received = 0;
  private prevArrivalMs = 0;
  private prevTs = 0;
  private havePrev = false;
  /** RFC 3550 J, clock units. Kept across source changes (it describes the network path). */
  private jitterTs = 0;

  /** Start a new source whose first packet carries `seq` / `ts`. */
  begin(seq: number, ts: number): void {
    this.started = true;
    this.highestSeq = SEQ_BASE + seq;
    this.highestTs = ts;
    this.highestRawTs = ts;
    this.baseSeq = this.highestSeq;
    this.received = 0;
    this.havePrev = false;
  }

  extendSeq(seq: number): number {
    return this.highestSeq + seqDiff(seq, this.highestSeq % 65536);
  }

  extendTs(ts: number): number {
    return this.highestTs + tsDiff(ts, this.highestRawTs);
  }

  /** Account one received, non-duplicate packet (late ones included, as RFC 3550 counts them). */
  accept(extSeq: number, extTs: number, rawTs: number, arrivalMs: number, clockRate: number): void {
    this.received++;
    if (extSeq > this.highestSeq) {
      this.highestSeq = extSeq;
      this.highestTs = extTs;
      this.highestRawTs = rawTs;
    }
    if (extSeq < this.baseSeq) this.baseSeq = extSeq;
    if (this.havePrev) {
      const d = ((arrivalMs - this.prevArrivalMs) * clockRate) / 1000 - (extTs - this.prevTs);
      this.jitterTs += (Math.abs(d) - this.jitterTs) / 16;
    }
    this.prevArrivalMs = arrivalMs;
    this.prevTs = extTs;
    this.havePrev = true;
  }

  /** Expected minus received for the current source, never negative. */
  get lost(): number {
    const l = this.highestSeq - this.baseSeq + 1 - this.received;
    return l > 0 ? l : 0;
  }

  jitterSeconds(clockRate: number): number {
    return this.jitterTs / clockRate;
  }

  reset(): void {
    this.started = false;
    this.received = 0;
    this.havePrev = false;
  }
}
