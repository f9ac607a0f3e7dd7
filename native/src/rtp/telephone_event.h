// RFC 4733 §2.3 telephone-event payload (DTMF named events), parsed in place. Pure: no N-API, no
// libuv, no allocation. Mirrors src/codec/telephoneEvent.ts (parseTelephoneEvent, dtmfChar) rule for
// rule; test/unit/native/rtpParse.test.ts checks both against the same payloads.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   |     event     |E|R| volume    |          duration             |
//
// event: 0-9, 10 = '*', 11 = '#', 12-15 = 'A'-'D' (§3.2); E: end of event; R: reserved (ignored);
// volume: -dBm0, 0..63; duration: RTP timestamp units since the event began (§2.5).
#ifndef WHISPERD_NATIVE_RTP_TELEPHONE_EVENT_H_
#define WHISPERD_NATIVE_RTP_TELEPHONE_EVENT_H_

#include <cstddef>
#include <cstdint>

namespace wn {
namespace rtp {

constexpr size_t TELEPHONE_EVENT_BYTES = 4;

struct TelephoneEvent {
  uint8_t event;
  bool end;
  uint8_t volume;     // -dBm0, 0..63
  uint16_t duration;  // RTP timestamp units
};

// The first event block of p[0..len). False (out untouched) if shorter than 4 bytes. Further blocks
// (several events in one packet, §2.5.1.5) are not read, as in the TS parser.
inline bool ParseTelephoneEvent(const uint8_t* p, size_t len, TelephoneEvent* out) {
  if (len < TELEPHONE_EVENT_BYTES) return false;
  const uint8_t b1 = p[1];
  out->event = p[0];
  out->end = (b1 & 0x80) != 0;
  out->volume = b1 & 0x3f;
  out->duration = static_cast<uint16_t>((p[2] << 8) | p[3]);
  return true;
}

// Event code 0..15 -> DTMF character ('0'-'9', '*', '#', 'A'-'D'), or 0 for any other event.
inline char DtmfChar(int event) { return event >= 0 && event < 16 ? "0123456789*#ABCD"[event] : 0; }

}  // namespace rtp
}  // namespace wn

#endif  // WHISPERD_NATIVE_RTP_TELEPHONE_EVENT_H_
