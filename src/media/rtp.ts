/**
 * In-place RTP/RTCP header parsing (RFC 3550 §5.1), pion/rtp style: fill a caller-owned view, return a
 * verdict, allocate nothing, and check every length field against the datagram length before use.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |           synchronization source (SSRC) identifier            |
 *   |            contributing source (CSRC) identifiers (CC x 32)   |
 *   |  [extension: profile(16) length(16, in 32-bit words) data...] |
 *   |  payload ...  [padding ... | pad count (1 byte)]              |
 */

/** Why a datagram was not accepted as RTP. Numeric so the hot path can index counters with it. */
export const enum RtpVerdict {
  OK = 0,
  TOO_SHORT = 1,
  BAD_VERSION = 2,
  BAD_CSRC = 3,
  BAD_EXTENSION = 4,
  BAD_PADDING = 5,
  RTCP = 6,
}

/** A reusable view of one RTP header. One per socket or stream, filled by parseRtp, never reallocated. */
export class RtpView {
  marker = false;
  payloadType = 0;
  sequence = 0;
  timestamp = 0;
  ssrc = 0;
  csrcCount = 0;
  headerLength = 0;
  payloadOffset = 0;
  payloadLength = 0;
  paddingLength = 0;
}

export const RTP_HEADER_MIN = 12;

/**
 * Parse the RTP header of buf[0..len) into `out`. Returns RtpVerdict.OK or the reason for rejection.
 * RTCP packets multiplexed on the port (RFC 5761: PT 64-95 with the marker bit, i.e. byte 1 in 192..223)
 * return RtpVerdict.RTCP.
 */
export function parseRtp(buf: Uint8Array, len: number, out: RtpView): RtpVerdict {
  if (len < RTP_HEADER_MIN || len > buf.length) return RtpVerdict.TOO_SHORT;
  const b0 = buf[0]!;
  if (b0 >> 6 !== 2) return RtpVerdict.BAD_VERSION;
  const b1 = buf[1]!;
  if (b1 >= 192 && b1 <= 223) return RtpVerdict.RTCP;
  const cc = b0 & 0x0f;
  let off = RTP_HEADER_MIN + cc * 4;
  if (off > len) return RtpVerdict.BAD_CSRC;
  if (b0 & 0x10) {
    if (off + 4 > len) return RtpVerdict.BAD_EXTENSION;
    const words = (buf[off + 2]! << 8) | buf[off + 3]!;
    off += 4 + words * 4;
    if (off > len) return RtpVerdict.BAD_EXTENSION;
  }
  let pad = 0;
  if (b0 & 0x20) {
    pad = buf[len - 1]!;
    if (pad === 0 || off + pad > len) return RtpVerdict.BAD_PADDING;
  }
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequence = (buf[2]! << 8) | buf[3]!;
  out.timestamp = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
  out.ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
  out.csrcCount = cc;
  out.headerLength = off;
  out.payloadOffset = off;
  out.payloadLength = len - off - pad;
  out.paddingLength = pad;
  return RtpVerdict.OK;
}

/**
 * Minimal RTCP sanity check (RFC 3550 §6.4): version 2, a known packet type (192..223 on byte 1),
 * and the first packet's length field inside the datagram. Returns true if it looks like RTCP.
 */
export function isPlausibleRtcp(buf: Uint8Array, len: number): boolean {
  if (len < 8 || len > buf.length) return false;
  if (buf[0]! >> 6 !== 2) return false;
  const pt = buf[1]!;
  if (pt < 192 || pt > 223) return false;
  const words = (buf[2]! << 8) | buf[3]!;
  return (words + 1) * 4 <= len;
}

/** Write a 12-byte RTP header (no CSRC, no extension) at out[off]. Returns the header length. */
export function writeRtpHeader(
  out: Uint8Array,
  off: number,
  payloadType: number,
  marker: boolean,
  sequence: number,
  timestamp: number,
  ssrc: number,
): number {
  out[off] = 0x80;
  out[off + 1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  out[off + 2] = (sequence >>> 8) & 0xff;
  out[off + 3] = sequence & 0xff;
  out[off + 4] = (timestamp >>> 24) & 0xff;
  out[off + 5] = (timestamp >>> 16) & 0xff;
  out[off + 6] = (timestamp >>> 8) & 0xff;
  out[off + 7] = timestamp & 0xff;
  out[off + 8] = (ssrc >>> 24) & 0xff;
  out[off + 9] = (ssrc >>> 16) & 0xff;
  out[off + 10] = (ssrc >>> 8) & 0xff;
  out[off + 11] = ssrc & 0xff;
  return RTP_HEADER_MIN;
}

/** Serial-number arithmetic (RFC 1982) on 16-bit sequence numbers: signed distance a - b. */
export function seqDiff(a: number, b: number): number {
  return ((a - b + 0x8000) & 0xffff) - 0x8000;
}

/** Signed distance between two 32-bit RTP timestamps. */
export function tsDiff(a: number, b: number): number {
  return ((a - b) | 0);
}
