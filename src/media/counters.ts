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
  INTERNAL = 9,
  CALL_CLOSED = 10,
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
  'call_closed',
] as const;

export class MediaCounters {
  rtpPacketsIn = 0;
  rtpBytesIn = 0;
  rtpPacketsOut = 0;
  rtpBytesOut = 0;
  rtcpPacketsIn = 0;
  rtcpBytesIn = 0;
  rtcpPacketsOut = 0;
  rtcpBytesOut = 0;
  readonly drops = new Float64Array(DROP_REASON_NAMES.length);
}

/** The one instance the daemon's sockets count into. */
export const mediaCounters = new MediaCounters();
