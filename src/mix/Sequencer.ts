/**
 * Puts one input's packets back in sequence-number order before they are decoded for a transcoded
 * output (rtpengine's packet sequencer in front of its transcoding handlers, mr10.5 codec.c):
 *
 *  - the first packet sets the expected sequence number;
 *  - a packet 0..99 ahead of the expected number is held; 1..99 behind, or one already held, is a
 *    duplicate (dropped);
 *  - anything further away is a sequence reset: what is held is discarded, the expected number
 *    becomes the packet's, and insert() says so (the output keeps its own numbering across it);
 *  - next() hands out the expected packet; with a gap it waits — until 10 packets are held, or the
 *    caller forces it because the audio after the gap is 60 ms or more past the last one decoded — and
 *    then skips to the lowest held number (the missing ones are lost).
 *
 * Fixed capacity (16 packets of up to 1500 bytes), allocated at construction; insert/next allocate nothing.
 */
export const SEQ_DUPE_THRESHOLD = 100;
/** Held packets before a gap is given up on without waiting for the timestamp rule. */
export const SEQ_WAIT_PACKETS = 10;
const CAPACITY = 16;
const MAX_PACKET = 1500;

export const enum SeqInsert {
  DUPLICATE = -1,
  OK = 0,
  RESET = 1,
}

export class Sequencer {
  /** Next sequence number expected, -1 before the first packet. */
  expected = -1;
  /** Packets held. */
  count = 0;
  readonly bufs: Buffer[] = [];
  readonly lens = new Int32Array(CAPACITY);
  private readonly seqs = new Int32Array(CAPACITY).fill(-1);

  constructor() {
    for (let i = 0; i < CAPACITY; i++) this.bufs.push(Buffer.alloc(MAX_PACKET));
  }

  /** Hold a copy of packet buf[0..len) with sequence number `seq`. */
  insert(buf: Buffer, len: number, seq: number): SeqInsert {
    let ret = SeqInsert.OK;
    if (this.expected < 0) {
      this.expected = seq;
    } else {
      const diff = (seq - this.expected) & 0xffff; // 0..65535 ahead
      if (diff >= SEQ_DUPE_THRESHOLD) {
        if (diff > 0xffff - SEQ_DUPE_THRESHOLD) return SeqInsert.DUPLICATE;
        this.clear();
        this.expected = seq;
        ret = SeqInsert.RESET;
      }
    }
    if (len > MAX_PACKET) return SeqInsert.DUPLICATE;
    let free = -1;
    for (let i = 0; i < CAPACITY; i++) {
      if (this.seqs[i] === seq) return SeqInsert.DUPLICATE;
      if (free < 0 && this.seqs[i]! < 0) free = i;
    }
    if (free < 0) {
      // Full (only when the caller never drains): the oldest held packet makes room.
      free = this.lowest();
      this.seqs[free] = -1;
      this.count--;
    }
    buf.copy(this.bufs[free]!, 0, 0, len);
    this.lens[free] = len;
    this.seqs[free] = seq;
    this.count++;
    return ret;
  }

  /**
   * The slot of the next packet to decode, or -1 to wait. `force`: take the lowest held packet even
   * across a gap. The caller reads bufs[slot] / lens[slot] and then calls release(slot).
   */
  next(force: boolean): number {
    if (this.count === 0) return -1;
    for (let i = 0; i < CAPACITY; i++) if (this.seqs[i] === this.expected) return this.take(i);
    if (!force && this.count < SEQ_WAIT_PACKETS) return -1;
    return this.take(this.lowest());
  }

  /** Sequence number of a slot handed out by next() (valid until release). */
  seqOf(slot: number): number {
    return this.taken[slot]!;
  }

  release(slot: number): void {
    this.taken[slot] = -1;
  }

  private readonly taken = new Int32Array(CAPACITY).fill(-1);

  private take(i: number): number {
    const seq = this.seqs[i]!;
    this.seqs[i] = -1;
    this.taken[i] = seq;
    this.count--;
    this.expected = (seq + 1) & 0xffff;
    return i;
  }

  /** The held slot whose number comes first from `expected` on (wrap-aware). */
  private lowest(): number {
    let best = -1;
    let bestDist = 0x10000;
    for (let i = 0; i < CAPACITY; i++) {
      const s = this.seqs[i]!;
      if (s < 0) continue;
      const d = (s - this.expected) & 0xffff;
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    return best;
  }

  clear(): void {
    this.seqs.fill(-1);
    this.count = 0;
  }
}
