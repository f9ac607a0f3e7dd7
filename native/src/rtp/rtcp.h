// RTCP compound-packet walker (RFC 3550 §6.1, §6.4, appendix A.2). Pure: no N-API, no libuv, no
// allocation; reads b[0..len) only, and visits each sub-packet by its length field exactly once, so it
// runs at most len/4 iterations whatever the bytes say.
//
// Accepted: a datagram that is a whole number of sub-packets, each with version 2, a packet type in
// 192..223 (the RTCP range RFC 5761 reserves for rtcp-mux), a length field inside the datagram, padding
// (P bit) only on the last sub-packet with a count in 1..(body length), and a body large enough for what
// its header announces:
//   SR  (200): SSRC + 20-byte sender info + RC x 24-byte report blocks
//   RR  (201): SSRC + RC x 24-byte report blocks
//   SDES(202): SC chunks, each an SSRC and items (type, length, text) ended by a null item and padded
//              to a 32-bit boundary, all inside the packet
//   BYE (203): SC x SSRC, then optionally a reason (length byte + text) inside the packet
//   APP (204): SSRC + 4-byte name
//   any other type (RTPFB 205, PSFB 206, XR 207, ...): no body rule (reported as `other`)
// Every accepted datagram also passes PlausibleRtcp (parse.h): the walker is the stricter check. The
// first sub-packet need not be SR/RR (reduced-size RTCP, RFC 5506): `first_is_report` tells.
#ifndef WHISPERD_NATIVE_RTP_RTCP_H_
#define WHISPERD_NATIVE_RTP_RTCP_H_

#include <cstddef>
#include <cstdint>

#include "parse.h"

namespace wn {
namespace rtp {

enum RtcpVerdict : int {
  RTCP_OK = 0,
  RTCP_TOO_SHORT = 1,    // datagram shorter than one 8-byte packet
  RTCP_BAD_VERSION = 2,  // a sub-packet's version is not 2
  RTCP_BAD_TYPE = 3,     // a sub-packet's type is outside 192..223
  RTCP_BAD_LENGTH = 4,   // a length field beyond the datagram, or trailing bytes that are no header
  RTCP_BAD_PADDING = 5,  // padding on a sub-packet that is not the last, or a count of 0 / over the body
  RTCP_BAD_BODY = 6,     // the body is too short for its report blocks / chunks / SSRC list / reason
};

enum RtcpType : uint8_t { RTCP_SR = 200, RTCP_RR = 201, RTCP_SDES = 202, RTCP_BYE = 203, RTCP_APP = 204 };

constexpr size_t RTCP_HEADER = 4;
constexpr size_t RTCP_REPORT_BLOCK = 24;
constexpr size_t RTCP_SENDER_INFO = 20;

// One sub-packet. offset/length locate it in the datagram (length includes header and padding).
struct RtcpPacket {
  uint8_t type;
  uint8_t count;    // RC / SC / FMT / subtype (5 bits)
  size_t offset;
  size_t length;
  size_t padding;
  uint32_t ssrc;    // sender SSRC (SR/RR/APP/other with a body), first chunk/listed SSRC (SDES/BYE), else 0
};

struct RtcpCompound {
  size_t packets;  // sub-packets walked (all of them when RTCP_OK)
  size_t sr, rr, sdes, bye, app, other;
  size_t report_blocks;   // over all SR and RR
  bool first_is_report;   // the first sub-packet is an SR or RR (RFC 3550 A.2; RFC 5506 allows otherwise)
  uint32_t sender_ssrc;   // the first sub-packet's ssrc
  // The first SR's sender info (has_sender_info false if there is no SR).
  bool has_sender_info;
  uint32_t ntp_msw, ntp_lsw, rtp_timestamp, sender_packets, sender_octets;
};

// One report block (RFC 3550 §6.4.1).
struct ReportBlock {
  uint32_t ssrc;
  uint8_t fraction_lost;
  int32_t cumulative_lost;  // 24-bit signed
  uint32_t highest_sequence;
  uint32_t jitter;
  uint32_t lsr;
  uint32_t dlsr;
};

// Check an SDES body: `sc` chunks in b[0..body). Chunks are 32-bit aligned from the start of the packet;
// the body starts 4 bytes in and every packet of a compound starts aligned, so aligning from b works.
inline bool SdesBodyOk(const uint8_t* b, size_t body, size_t sc, uint32_t* first_ssrc) {
  size_t off = 0;
  for (size_t c = 0; c < sc; c++) {
    if (off + 4 > body) return false;
    if (c == 0) *first_ssrc = Be32(b + off);
    off += 4;
    for (;;) {
      if (off >= body) return false;  // no null item before the end
      const uint8_t item = b[off];
      if (item == 0) {
        off += 1;
        off = (off + 3) & ~static_cast<size_t>(3);  // to the next 32-bit boundary
        if (off > body) return false;
        break;
      }
      if (off + 2 > body) return false;
      const size_t n = b[off + 1];
      off += 2 + n;
      if (off > body) return false;
    }
  }
  return true;
}

// Walk b[0..len) as a compound RTCP packet. Returns RTCP_OK or the first defect found; `out` is filled
// with what was walked so far either way. Up to max_packets sub-packet descriptors go to packets[]
// (may be null with max_packets 0); the walk itself is not limited by max_packets.
inline int WalkRtcp(const uint8_t* b, size_t len, RtcpCompound* out, RtcpPacket* packets = nullptr,
                    size_t max_packets = 0) {
  *out = RtcpCompound{};
  if (len < 8) return RTCP_TOO_SHORT;
  size_t off = 0;
  while (off < len) {
    const size_t rest = len - off;
    if (rest < RTCP_HEADER) return RTCP_BAD_LENGTH;
    const uint8_t* p = b + off;
    if ((p[0] >> 6) != 2) return RTCP_BAD_VERSION;
    const uint8_t type = p[1];
    if (type < 192 || type > 223) return RTCP_BAD_TYPE;
    const size_t plen = (static_cast<size_t>(Be16(p + 2)) + 1) * 4;
    if (plen > rest) return RTCP_BAD_LENGTH;
    const bool last = plen == rest;
    size_t pad = 0;
    if (p[0] & 0x20) {
      if (!last) return RTCP_BAD_PADDING;
      pad = p[plen - 1];
      if (pad == 0 || pad > plen - RTCP_HEADER) return RTCP_BAD_PADDING;
    }
    const size_t count = p[0] & 0x1f;
    const uint8_t* body = p + RTCP_HEADER;
    const size_t blen = plen - RTCP_HEADER - pad;
    uint32_t ssrc = 0;
    switch (type) {
      case RTCP_SR:
        if (blen < 4 + RTCP_SENDER_INFO + count * RTCP_REPORT_BLOCK) return RTCP_BAD_BODY;
        ssrc = Be32(body);
        if (!out->has_sender_info) {
          out->has_sender_info = true;
          out->ntp_msw = Be32(body + 4);
          out->ntp_lsw = Be32(body + 8);
          out->rtp_timestamp = Be32(body + 12);
          out->sender_packets = Be32(body + 16);
          out->sender_octets = Be32(body + 20);
        }
        out->sr++;
        out->report_blocks += count;
        break;
      case RTCP_RR:
        if (blen < 4 + count * RTCP_REPORT_BLOCK) return RTCP_BAD_BODY;
        ssrc = Be32(body);
        out->rr++;
        out->report_blocks += count;
        break;
      case RTCP_SDES:
        if (!SdesBodyOk(body, blen, count, &ssrc)) return RTCP_BAD_BODY;
        out->sdes++;
        break;
      case RTCP_BYE:
        if (blen < count * 4) return RTCP_BAD_BODY;
        if (count > 0) ssrc = Be32(body);
        if (blen > count * 4 && count * 4 + 1 + body[count * 4] > blen) return RTCP_BAD_BODY;
        out->bye++;
        break;
      case RTCP_APP:
        if (blen < 8) return RTCP_BAD_BODY;
        ssrc = Be32(body);
        out->app++;
        break;
      default:
        if (blen >= 4) ssrc = Be32(body);
        out->other++;
        break;
    }
    if (out->packets == 0) {
      out->first_is_report = type == RTCP_SR || type == RTCP_RR;
      out->sender_ssrc = ssrc;
    }
    if (out->packets < max_packets) {
      RtcpPacket& d = packets[out->packets];
      d.type = type;
      d.count = static_cast<uint8_t>(count);
      d.offset = off;
      d.length = plen;
      d.padding = pad;
      d.ssrc = ssrc;
    }
    out->packets++;
    off += plen;
  }
  return RTCP_OK;
}

// Report block i of an SR or RR sub-packet `pkt` that WalkRtcp accepted. False if i >= its count or pkt
// is neither SR nor RR.
inline bool ReadReportBlock(const uint8_t* b, const RtcpPacket& pkt, size_t i, ReportBlock* out) {
  size_t first;
  if (pkt.type == RTCP_SR) first = RTCP_HEADER + 4 + RTCP_SENDER_INFO;
  else if (pkt.type == RTCP_RR) first = RTCP_HEADER + 4;
  else return false;
  if (i >= pkt.count) return false;
  const uint8_t* r = b + pkt.offset + first + i * RTCP_REPORT_BLOCK;
  out->ssrc = Be32(r);
  out->fraction_lost = r[4];
  const uint32_t lost = (static_cast<uint32_t>(r[5]) << 16) | (static_cast<uint32_t>(r[6]) << 8) | r[7];
  out->cumulative_lost = (lost & 0x800000) ? static_cast<int32_t>(lost) - 0x1000000 : static_cast<int32_t>(lost);
  out->highest_sequence = Be32(r + 8);
  out->jitter = Be32(r + 12);
  out->lsr = Be32(r + 16);
  out->dlsr = Be32(r + 20);
  return true;
}

}  // namespace rtp
}  // namespace wn

#endif  // WHISPERD_NATIVE_RTP_RTCP_H_
