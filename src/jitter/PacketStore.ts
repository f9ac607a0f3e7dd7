/**
 * Preallocated packet storage of the jitter buffer: a payload slab of `capacity × maxPayloadBytes`
 * bytes plus typed arrays of per-slot metadata. A packet lives in slot `extSeq % capacity`, where extSeq
 * is the extended (unwrapped, never negative) RTP sequence number, so lookup by sequence is O(1) and
 * nothing is allocated per packet. A slot remembers the sequence it last held and whether that packet
 * was played, which lets the caller tell a duplicate of a played packet from a late one.
 */

/** Slot states. */
export const SLOT_EMPTY = 0;
export const SLOT_FULL = 1;
export const SLOT_PLAYED = 2;

/** Per-packet flags. */
export const PKT_MARKER = 1;
export const PKT_CN = 2;

export class PacketStore {
  readonly capacity: number;
  readonly maxPayloadBytes: number;
  /** Payload bytes; slot i occupies slab[i·maxPayloadBytes ..). */
  readonly slab: Uint8Array;
  /** Extended sequence number held (or last held) by each slot; -1 if never used. */
  readonly seq: Float64Array;
  /** Extended RTP timestamp, clock units. */
  readonly ts: Float64Array;
  /** Arrival time, ms. */
  readonly arrival: Float64Array;
  /** Payload length, bytes. */
  readonly len: Int32Array;
  readonly flags: Uint8Array;
  readonly state: Uint8Array;
  /** Slots in state FULL. */
  count = 0;

  constructor(maxPackets: number, maxPayloadBytes: number) {
    let cap = 1;
    while (cap < maxPackets) cap <<= 1;
    this.capacity = cap;
    this.maxPayloadBytes = maxPayloadBytes;
    this.slab = new Uint8Array(cap * maxPayloadBytes);
    this.seq = new Float64Array(cap).fill(-1);
    this.ts = new Float64Array(cap);
    this.arrival = new Float64Array(cap);
    this.len = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.state = new Uint8Array(cap);
  }

  slotOf(extSeq: number): number {
    return extSeq % this.capacity;
  }

  /** Byte offset of a slot's payload in `slab`. */
  payloadOffset(slot: number): number {
    return slot * this.maxPayloadBytes;
  }

  /** True if `extSeq` is buffered (not yet played). */
  has(extSeq: number): boolean {
    const s = extSeq % this.capacity;
    return this.state[s] === SLOT_FULL && this.seq[s] === extSeq;
  }

  /** True if `extSeq` was played and its slot has not been reused since. */
  wasPlayed(extSeq: number): boolean {
    const s = extSeq % this.capacity;
    return this.state[s] === SLOT_PLAYED && this.seq[s] === extSeq;
  }

  /**
   * Copy a payload into the slot of `extSeq`. The caller has checked that the slot is not holding
   * another unplayed packet and that length ≤ maxPayloadBytes. Returns the slot.
   */
  put(extSeq: number, ts: number, arrivalMs: number, flags: number, src: Uint8Array, offset: number, length: number): number {
    const slot = extSeq % this.capacity;
    const base = slot * this.maxPayloadBytes;
    const slab = this.slab;
    for (let i = 0; i < length; i++) slab[base + i] = src[offset + i]!;
    this.seq[slot] = extSeq;
    this.ts[slot] = ts;
    this.arrival[slot] = arrivalMs;
    this.len[slot] = length;
    this.flags[slot] = flags;
    if (this.state[slot] !== SLOT_FULL) this.count++;
    this.state[slot] = SLOT_FULL;
    return slot;
  }

  /** Mark a buffered slot as played (kept for duplicate detection). */
  markPlayed(slot: number): void {
    if (this.state[slot] === SLOT_FULL) this.count--;
    this.state[slot] = SLOT_PLAYED;
  }

  /** Free a buffered slot without playing it (discard). */
  drop(slot: number): void {
    if (this.state[slot] === SLOT_FULL) this.count--;
    this.state[slot] = SLOT_EMPTY;
  }

  /** Discard everything. Returns how many unplayed packets were dropped. */
  clear(): number {
    const dropped = this.count;
    this.state.fill(SLOT_EMPTY);
    this.seq.fill(-1);
    this.count = 0;
    return dropped;
  }

  /** Packets dropped as stale by the last firstFrom() call. */
  staleDropped = 0;

  /**
   * Slot of the first buffered packet with extended sequence in [from, to], or -1. Packets on the way
   * whose audio ends at or before `staleTs` (timestamp + `durTs` ≤ staleTs) are dropped and counted in
   * staleDropped; pass -Infinity to keep everything.
   */
  firstFrom(from: number, to: number, staleTs: number, durTs: number): number {
    this.staleDropped = 0;
    if (this.count === 0) return -1;
    const end = Math.min(to, from + this.capacity - 1);
    for (let q = from; q <= end; q++) {
      const slot = q % this.capacity;
      if (this.state[slot] !== SLOT_FULL || this.seq[slot] !== q) continue;
      if (this.ts[slot]! + durTs <= staleTs) {
        this.drop(slot);
        this.staleDropped++;
        continue;
      }
      return slot;
    }
    return -1;
  }

  /** Timestamp step from packet extSeq-1 (buffered or played, not CN) to a packet at extTs; 0 if unknown. */
  tsStepFromPrevious(extSeq: number, extTs: number): number {
    const prev = (extSeq - 1) % this.capacity;
    if (this.seq[prev] !== extSeq - 1 || (this.flags[prev]! & PKT_CN) !== 0) return 0;
    return extTs - this.ts[prev]!;
  }
}
