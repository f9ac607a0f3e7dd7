// libFuzzer harness: the UDPTL (T.38) framing of native/src/t38/udptl.h on arbitrary datagrams.
// Invariants: ParseUdptl is deterministic; on OK the primary and every entry lie inside the datagram,
// in order, no more entries than declared or kMaxSecondary, the primary starts right after the sequence
// number and its length determinant; the receive state machine (UdptlRx) fed the input split into
// datagrams delivers only IFPs inside the datagram or its scratch buffer, never more than
// kMaxIfp bytes, in non-decreasing sequence order within one datagram, and its counters add up; a
// datagram the writer (UdptlTx) builds from any IFP parses back to that IFP and sequence number.
#include <cstdint>
#include <cstring>

#include "../src/t38/udptl.h"
#include "check.h"

using namespace wn::t38;

static UdptlRx g_rx;
static UdptlTx g_tx;
static uint8_t g_out[kMaxDatagram];

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  UdptlPacket a, b;
  const int r = ParseUdptl(data, size, &a);
  CHECK(ParseUdptl(data, size, &b) == r);
  CHECK(r >= U_OK && r <= U_NO_EC);
  CHECK((r == U_TOO_SHORT) == (size < 4));
  if (r == U_OK) {
    CHECK(a.seq == b.seq && a.primary.off == b.primary.off && a.primary.len == b.primary.len && a.count == b.count);
    CHECK(a.primary.off == 3 || a.primary.off == 4);
    CHECK(a.primary.off + a.primary.len < size);  // the EC byte follows
    Touch(data + a.primary.off, a.primary.len);
    CHECK(a.count <= kMaxSecondary && a.count <= a.declared);
    uint32_t end = a.primary.off + a.primary.len + 1;
    for (uint32_t i = 0; i < a.count; i++) {
      CHECK(a.entry[i].off >= end);
      CHECK(a.entry[i].off + a.entry[i].len <= size);
      Touch(data + a.entry[i].off, a.entry[i].len);
      end = a.entry[i].off + a.entry[i].len;
    }
    if (a.fec && !a.ec_truncated) CHECK(a.fec_span >= 1 && a.fec_span < 0x80);
  }

  // The receive state machine over the input cut into datagrams: the first byte of each chunk is its length.
  g_rx.Reset();
  size_t pos = 0;
  while (pos < size) {
    const size_t n = data[pos++];
    const size_t take = n < size - pos ? n : size - pos;
    const uint8_t* d = data + pos;
    const double before = g_rx.delivered + g_rx.recovered;
    int calls = 0;
    g_rx.Rx(d, take, [&](const uint8_t* ifp, size_t len, uint16_t) {
      CHECK(len <= kMaxIfp);
      const bool in_datagram = ifp >= d && ifp + len <= d + take;
      const bool in_scratch = ifp == g_rx.scratch;
      CHECK(in_datagram || in_scratch);
      Touch(ifp, len);
      calls++;
    });
    CHECK(g_rx.delivered + g_rx.recovered - before == calls);
    pos += take;
  }

  // Writer round trip: the input's tail as an IFP, with redundancy or FEC from the previous ones.
  const size_t ifp_len = size > kMaxIfp ? kMaxIfp : size;
  g_tx.fec_span = size > 0 ? 1 + data[0] % 3 : 1;
  g_tx.ec_entries = size > 1 ? data[1] % 5 : 3;
  g_tx.max_datagram = 64 + (size > 2 ? data[2] : 0) * 4;
  const uint16_t seq = g_tx.seq;
  const size_t n = g_tx.Build(data, ifp_len, g_out, sizeof g_out);
  if (n > 0) {
    UdptlPacket p;
    CHECK(ParseUdptl(g_out, n, &p) == U_OK);
    CHECK(p.seq == seq && p.primary.len == ifp_len);
    CHECK(ifp_len == 0 || std::memcmp(g_out + p.primary.off, data, ifp_len) == 0);
    CHECK(!p.ec_truncated && p.count == p.declared);
    CHECK(n <= g_tx.max_datagram || p.count == 0);
  }
  return 0;
}
