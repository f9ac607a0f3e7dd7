// libFuzzer harness: ParseRtp and PlausibleRtcp (native/src/rtp/parse.h) on arbitrary datagrams.
// Invariants: a verdict in range; deterministic; on OK the view describes the datagram exactly
// (header + payload + padding == length, every range inside the input, fields equal to the bytes);
// V_RTCP exactly for byte 1 in 192..223; PlausibleRtcp true only for what its rule admits.
#include <cstdint>
#include <cstring>

#include "../src/rtp/parse.h"
#include "check.h"

using namespace wn::rtp;

static bool SameView(const RtpView& a, const RtpView& b) {
  return a.marker == b.marker && a.payload_type == b.payload_type && a.sequence == b.sequence &&
         a.timestamp == b.timestamp && a.ssrc == b.ssrc && a.csrc_count == b.csrc_count &&
         a.header_length == b.header_length && a.payload_offset == b.payload_offset &&
         a.payload_length == b.payload_length && a.padding_length == b.padding_length;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RtpView v, w;
  std::memset(&v, 0xa5, sizeof v);
  std::memset(&w, 0x5a, sizeof w);
  const int r = ParseRtp(data, size, &v);
  CHECK(r >= V_OK && r <= V_RTCP);
  CHECK(ParseRtp(data, size, &w) == r);
  if (r == V_TOO_SHORT) CHECK(size < RTP_HEADER_MIN);
  if (size >= RTP_HEADER_MIN) {
    CHECK(r != V_TOO_SHORT);
    const bool v2 = (data[0] >> 6) == 2;
    CHECK((r == V_BAD_VERSION) == !v2);
    if (v2) CHECK((r == V_RTCP) == (data[1] >= 192 && data[1] <= 223));
  }
  if (r == V_OK) {
    CHECK(SameView(v, w));
    CHECK(v.marker == ((data[1] & 0x80) != 0));
    CHECK(v.payload_type == (data[1] & 0x7f));
    CHECK(v.sequence == ((data[2] << 8) | data[3]));
    CHECK(v.ssrc == Be32(data + 8));
    CHECK(v.csrc_count == (data[0] & 0x0f));
    CHECK(v.payload_offset == v.header_length);
    CHECK(v.header_length >= RTP_HEADER_MIN + 4u * v.csrc_count);
    CHECK(v.header_length <= size);
    CHECK(v.payload_length <= size && v.padding_length <= size);
    CHECK(v.payload_offset + v.payload_length + v.padding_length == size);
    if (data[0] & 0x20) {
      CHECK(v.padding_length == data[size - 1] && v.padding_length >= 1);
    } else {
      CHECK(v.padding_length == 0);
    }
    if (!(data[0] & 0x10)) CHECK(v.header_length == RTP_HEADER_MIN + 4u * v.csrc_count);
    Touch(data + v.payload_offset, v.payload_length);
  }
  const bool plausible = PlausibleRtcp(data, size);
  CHECK(PlausibleRtcp(data, size) == plausible);
  if (plausible) {
    CHECK(size >= 8 && (data[0] >> 6) == 2 && data[1] >= 192 && data[1] <= 223);
    CHECK((static_cast<size_t>(Be16(data + 2)) + 1) * 4 <= size);
  }
  return 0;
}
