/**
 * Process-wide media counters: plain numbers bumped on the packet path and read by /metrics at scrape
 * time. Drop reasons are a fixed set so they index a Float64Array, never a Map.
 */

export const enum DropReason {
  TOO_SHORT = 0,
  BAD_VERSION = 1,
  BAD_CSRC = 2,
  BAD_EXTENSION = 3,
  BAD_PADDING = 4,
  NOT_RTCP = 5,
  STRICT_SOURCE = 6,
  NO_DESTINATION = 7,
  SEND_ERROR = 8,
  /** A handler threw on the packet path (a bug): the packet is dropped, the error logged rate-limited. */
  INTERNAL = 9,
  /** From or to one of whisperd's own media sockets (a relay loop, D2): never latched, never forwarded. */
  OWN_ADDRESS = 10,
  /** A mixed input's packet not from its latched source: never reaches the mixer (nor drives its clock). */
  FOREIGN_SOURCE = 11,
  /** A mixed participant's packet with a payload type that is neither its codec, its telephone-event nor CN. */
  BAD_PAYLOAD_TYPE = 12,
  /**
   * A primary talker's packet that is not newer than the last one decoded on arrival (a duplicate, or
   * one overtaken by a later packet): it would emit one more mixed frame, out of order.
   */
  LATE_OR_DUPLICATE = 13,
  /**
   * A primary talker's packet beyond real time (more audio than wall-clock time allows, after a
   * 500 ms burst allowance): it would make the mixer decode, mix and encode faster than real time.
   */
  OVER_RATE = 14,
}

export const DROP_REASON_NAMES = [
  'too_short',
  'bad_version',
  'bad_csrc',
  'bad_extension',
  'bad_padding',
  'not_rtcp',
  'strict_source',
  'no_destination',
  'send_error',
  'internal_error',
  'own_address',
  'foreign_source',
  'bad_payload_type',
  'late_or_duplicate',
  'over_rate',
] as const;

/**
 * Scalar counters live in `values` (slot order below) so the native relay (src/media/nativeRelay.ts)
 * counts into the same memory as the JS path: readers see exact totals at any time, no merge step.
 */
export class MediaCounters {
  readonly values = new Float64Array(new ArrayBuffer(8 * 8));
  readonly drops = new Float64Array(new ArrayBuffer(8 * DROP_REASON_NAMES.length));
  get rtpPacketsIn(): number { return this.values[0]!; }
  set rtpPacketsIn(v: number) { this.values[0] = v; }
  get rtpBytesIn(): number { return this.values[1]!; }
  set rtpBytesIn(v: number) { this.values[1] = v; }
  get rtpPacketsOut(): number { return this.values[2]!; }
  set rtpPacketsOut(v: number) { this.values[2] = v; }
  get rtpBytesOut(): number { return this.values[3]!; }
  set rtpBytesOut(v: number) { this.values[3] = v; }
  get rtcpPacketsIn(): number { return this.values[4]!; }
  set rtcpPacketsIn(v: number) { this.values[4] = v; }
  get rtcpBytesIn(): number { return this.values[5]!; }
  set rtcpBytesIn(v: number) { this.values[5] = v; }
  get rtcpPacketsOut(): number { return this.values[6]!; }
  set rtcpPacketsOut(v: number) { this.values[6] = v; }
  get rtcpBytesOut(): number { return this.values[7]!; }
  set rtcpBytesOut(v: number) { this.values[7] = v; }
}

/** The one instance the daemon's sockets count into. */
export const mediaCounters = new MediaCounters();
