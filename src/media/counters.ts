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
  /** A party's telephone-event packet while its DTMF is blocked (ng `block DTMF`; RtpEndpoint MediaPolicy). */
  DTMF_BLOCKED = 15,
  /** A party's media packet while its media is blocked (ng `block media`). */
  MEDIA_BLOCKED = 16,
  /** (issue 12) An SRTP/SRTCP packet whose auth tag (or MKI, or length) did not verify. */
  SRTP_AUTH = 17,
  /** (issue 12) An SRTP/SRTCP packet the replay window refused. */
  SRTP_REPLAY = 18,
  /** (issue 12) A STUN or DTLS datagram (RFC 7983) on an endpoint with no handler for it. */
  NON_RTP = 19,
  /** (issue 12) A packet to or from an encrypted endpoint whose keys are not there yet (setSrtp('pending')). */
  SRTP_NO_KEYS = 20,
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
  'dtmf_blocked',
  'media_blocked',
  'srtp_auth',
  'srtp_replay',
  'non_rtp',
  'srtp_no_keys',
] as const;

/** Slots of MediaCounters.raw (and of native/src/relay.cc `Counter`). */
export const enum CounterSlot {
  RTP_PACKETS_IN = 0,
  RTP_BYTES_IN = 1,
  RTP_PACKETS_OUT = 2,
  RTP_BYTES_OUT = 3,
  RTCP_PACKETS_IN = 4,
  RTCP_BYTES_IN = 5,
  RTCP_PACKETS_OUT = 6,
  RTCP_BYTES_OUT = 7,
  COUNT = 8,
}

/**
 * Scalar counters live in `raw` (slots: CounterSlot), drop reasons in `rawDrops`: the JS path and the
 * on-loop native relay (media.threads = 0) count straight into them. Media threads count into their
 * own slices of memory (one writer each, src/media/nativeRelay.ts) and `collect` (set while threads
 * run) folds what they counted since its last call into raw/rawDrops; every READER goes through
 * `values`, `drops` or the named getters, which collect first, so readers see exact totals at any
 * time. Hot-path WRITERS use raw/rawDrops, which never collect.
 */
export class MediaCounters {
  readonly raw = new Float64Array(new ArrayBuffer(8 * CounterSlot.COUNT));
  readonly rawDrops = new Float64Array(new ArrayBuffer(8 * DROP_REASON_NAMES.length));
  /** Folds the media threads' counts into raw/rawDrops (main thread only); null when no threads run. */
  collect: (() => void) | null = null;
  /** All scalar counters, media threads included (slot order as the getters below). */
  get values(): Float64Array {
    if (this.collect !== null) this.collect();
    return this.raw;
  }
  /** Drops by DropReason, media threads included (reader: collects first; packet-path writers use rawDrops). */
  get drops(): Float64Array {
    if (this.collect !== null) this.collect();
    return this.rawDrops;
  }
  get rtpPacketsIn(): number { return this.values[CounterSlot.RTP_PACKETS_IN]!; }
  get rtpBytesIn(): number { return this.values[CounterSlot.RTP_BYTES_IN]!; }
  get rtpPacketsOut(): number { return this.values[CounterSlot.RTP_PACKETS_OUT]!; }
  get rtpBytesOut(): number { return this.values[CounterSlot.RTP_BYTES_OUT]!; }
  get rtcpPacketsIn(): number { return this.values[CounterSlot.RTCP_PACKETS_IN]!; }
  get rtcpBytesIn(): number { return this.values[CounterSlot.RTCP_BYTES_IN]!; }
  get rtcpPacketsOut(): number { return this.values[CounterSlot.RTCP_PACKETS_OUT]!; }
  get rtcpBytesOut(): number { return this.values[CounterSlot.RTCP_BYTES_OUT]!; }
}

/** The one instance the daemon's sockets count into. */
export const mediaCounters = new MediaCounters();
