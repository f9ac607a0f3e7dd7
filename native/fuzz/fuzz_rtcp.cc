// libFuzzer harness: the RTCP compound walker (native/src/rtp/rtcp.h) on arbitrary datagrams.
// Invariants: deterministic; the walk does not depend on how many descriptors the caller takes; on OK
// the sub-packets tile the datagram exactly (contiguous, lengths multiples of 4, padding inside its
// packet and only on the last), the per-type counts add up, every report block reads inside the input,
// and the datagram passes PlausibleRtcp (the walker is the stricter check); on a defect the walked
// prefix still lies inside the input.
#include <cstdint>

#include "../src/rtp/parse.h"
#include "../src/rtp/rtcp.h"
#include "check.h"

using namespace wn::rtp;

static bool SameSummary(const RtcpCompound& a, const RtcpCompound& b) {
  return a.packets == b.packets && a.sr == b.sr && a.rr == b.rr && a.sdes == b.sdes && a.bye == b.bye &&
         a.app == b.app && a.other == b.other && a.report_blocks == b.report_blocks &&
         a.first_is_report == b.first_is_report && a.sender_ssrc == b.sender_ssrc &&
         a.has_sender_info == b.has_sender_info && a.ntp_msw == b.ntp_msw && a.ntp_lsw == b.ntp_lsw &&
         a.rtp_timestamp == b.rtp_timestamp && a.sender_packets == b.sender_packets &&
         a.sender_octets == b.sender_octets;
}

static RtcpPacket g_pk[1 << 14];  // a 64 KiB datagram holds at most 16384 sub-packets

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;  // no UDP datagram is larger
  RtcpCompound c, d, e;
  RtcpPacket few[2];
  const int r = WalkRtcp(data, size, &c, g_pk, sizeof g_pk / sizeof g_pk[0]);
  CHECK(r >= RTCP_OK && r <= RTCP_BAD_BODY);
  CHECK(WalkRtcp(data, size, &d, few, 2) == r);
  CHECK(WalkRtcp(data, size, &e) == r);
  CHECK(SameSummary(c, d) && SameSummary(c, e));
  CHECK((r == RTCP_TOO_SHORT) == (size < 8));
  CHECK(c.packets <= size / 4);
  size_t off = 0;
  for (size_t i = 0; i < c.packets; i++) {
    const RtcpPacket& p = g_pk[i];
    CHECK(p.offset == off);
    CHECK(p.length >= 4 && p.length % 4 == 0 && p.offset + p.length <= size);
    CHECK(p.padding < p.length - 3 || p.padding == 0);
    CHECK(p.type >= 192 && p.type <= 223 && p.type == data[p.offset + 1]);
    CHECK(p.count == (data[p.offset] & 0x1f));
    if (i < 2) CHECK(few[i].offset == p.offset && few[i].length == p.length && few[i].ssrc == p.ssrc);
    Touch(data + p.offset, p.length);
    off += p.length;
  }
  if (r == RTCP_OK) {
    CHECK(off == size);
    CHECK(c.packets >= 1);
    CHECK(c.sr + c.rr + c.sdes + c.bye + c.app + c.other == c.packets);
    CHECK(PlausibleRtcp(data, size));
    CHECK(c.first_is_report == (g_pk[0].type == RTCP_SR || g_pk[0].type == RTCP_RR));
    CHECK(c.has_sender_info == (c.sr > 0));
    size_t blocks = 0;
    for (size_t i = 0; i < c.packets; i++) {
      const RtcpPacket& p = g_pk[i];
      if (i + 1 < c.packets) CHECK(p.padding == 0);
      ReportBlock rb;
      size_t n = 0;
      while (ReadReportBlock(data, p, n, &rb)) {
        CHECK(rb.cumulative_lost >= -0x800000 && rb.cumulative_lost <= 0x7fffff);
        n++;
      }
      if (p.type == RTCP_SR || p.type == RTCP_RR) CHECK(n == p.count);
      else CHECK(n == 0);
      blocks += n;
    }
    CHECK(blocks == c.report_blocks);
  } else {
    CHECK(off <= size);
  }
  return 0;
}
