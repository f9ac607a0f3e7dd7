// Pure packet parsers for whisperd's native media plane: everything that reads bytes a peer sent.
// No N-API, no libuv, no allocation, no I/O: each function reads b[0..len) only and fills a caller-owned
// view, so the relay, the media threads and the libFuzzer harnesses (native/fuzz/) share one copy.
// Semantics mirror the TypeScript reference parsers rule for rule (src/media/rtp.ts parseRtp /
// isPlausibleRtcp, src/codec/telephoneEvent.ts parseTelephoneEvent); test/unit/native/rtpParse.test.ts
// runs the same packets through both.
#ifndef WHISPERD_NATIVE_RTP_PARSE_H_
#define WHISPERD_NATIVE_RTP_PARSE_H_

#include <cstddef>
#include <cstdint>

namespace wn {
namespace rtp {

// RtpVerdict (src/media/rtp.ts); V_TOO_SHORT..V_BAD_PADDING minus one are the DropReason indices
// too_short..bad_padding (src/media/counters.ts).
enum Verdict : int { V_OK = 0, V_TOO_SHORT, V_BAD_VERSION, V_BAD_CSRC, V_BAD_EXTENSION, V_BAD_PADDING, V_RTCP };

constexpr size_t RTP_HEADER_MIN = 12;

// One RTP header (RtpView in src/media/rtp.ts). Filled only when ParseRtp returns V_OK.
struct RtpView {
  bool marker;
  uint8_t payload_type;
  uint16_t sequence;
  uint32_t timestamp;
  uint32_t ssrc;
  uint8_t csrc_count;
  size_t header_length;   // = payload_offset
  size_t payload_offset;
  size_t payload_length;  // payload_offset + payload_length + padding_length == len
  size_t padding_length;
};

inline uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t Be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) | (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

// RFC 3550 §5.1 header of b[0..len). Returns V_OK (and fills *out) or the reason for rejection; RTCP
// multiplexed on the port (RFC 5761: byte 1 in 192..223) returns V_RTCP. `out` is untouched unless V_OK.
inline int ParseRtp(const uint8_t* b, size_t len, RtpView* out) {
  if (len < RTP_HEADER_MIN) return V_TOO_SHORT;
  const uint8_t b0 = b[0];
  if ((b0 >> 6) != 2) return V_BAD_VERSION;
  const uint8_t b1 = b[1];
  if (b1 >= 192 && b1 <= 223) return V_RTCP;
  const size_t cc = b0 & 0x0f;
  size_t off = RTP_HEADER_MIN + cc * 4;
  if (off > len) return V_BAD_CSRC;
  if (b0 & 0x10) {
    if (off + 4 > len) return V_BAD_EXTENSION;
    const size_t words = Be16(b + off + 2);
    off += 4 + words * 4;
    if (off > len) return V_BAD_EXTENSION;
  }
  size_t pad = 0;
  if (b0 & 0x20) {
    pad = b[len - 1];
    if (pad == 0 || off + pad > len) return V_BAD_PADDING;
  }
  out->marker = (b1 & 0x80) != 0;
  out->payload_type = b1 & 0x7f;
  out->sequence = Be16(b + 2);
  out->timestamp = Be32(b + 4);
  out->ssrc = Be32(b + 8);
  out->csrc_count = static_cast<uint8_t>(cc);
  out->header_length = off;
  out->payload_offset = off;
  out->payload_length = len - off - pad;
  out->padding_length = pad;
  return V_OK;
}

// Minimal RTCP sanity check (RFC 3550 §6.4; isPlausibleRtcp): version 2, byte 1 in 192..223, and the
// first packet's length field inside the datagram.
inline bool PlausibleRtcp(const uint8_t* b, size_t len) {
  if (len < 8) return false;
  if ((b[0] >> 6) != 2) return false;
  if (b[1] < 192 || b[1] > 223) return false;
  const size_t words = Be16(b + 2);
  return (words + 1) * 4 <= len;
}

}  // namespace rtp
}  // namespace wn

#endif  // WHISPERD_NATIVE_RTP_PARSE_H_
