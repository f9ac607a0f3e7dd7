// libFuzzer harness: the RFC 4733 telephone-event parser (native/src/rtp/telephone_event.h), on the
// input as a bare payload and as the payload of an RTP packet (as a media thread reads it).
// Invariants: accepted exactly when 4 bytes are there; fields equal to the bytes; deterministic;
// DtmfChar maps 0..15 onto the 16 DTMF characters and everything else to 0.
#include <cstdint>
#include <cstring>

#include "../src/rtp/parse.h"
#include "../src/rtp/telephone_event.h"
#include "check.h"

using namespace wn::rtp;

static void CheckEvent(const uint8_t* p, size_t len) {
  TelephoneEvent e, f;
  std::memset(&e, 0xa5, sizeof e);
  const bool ok = ParseTelephoneEvent(p, len, &e);
  CHECK(ok == (len >= TELEPHONE_EVENT_BYTES));
  CHECK(ParseTelephoneEvent(p, len, &f) == ok);
  if (!ok) return;
  CHECK(e.event == p[0] && e.end == ((p[1] & 0x80) != 0) && e.volume == (p[1] & 0x3f) && e.volume <= 63);
  CHECK(e.duration == ((p[2] << 8) | p[3]));
  CHECK(e.event == f.event && e.end == f.end && e.volume == f.volume && e.duration == f.duration);
  const char c = DtmfChar(e.event);
  if (e.event < 16) CHECK(c != 0 && std::strchr("0123456789*#ABCD", c) != nullptr);
  else CHECK(c == 0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckEvent(data, size);
  RtpView v;
  if (ParseRtp(data, size, &v) == V_OK) CheckEvent(data + v.payload_offset, v.payload_length);
  return 0;
}
