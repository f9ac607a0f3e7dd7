// DTLS record-layer plausibility (RFC 6347 §4.1), checked before a datagram reaches OpenSSL so that
// garbage and truncated records are counted (OpenSSL drops them silently), and the ClientHello test
// the per-source handshake rate limit keys on. Header-only, no allocation, every length checked.
//
// A datagram is one or more records: type(1) version(2) epoch(2) sequence(6) length(2) fragment.
#pragma once
#include <cstddef>
#include <cstdint>

namespace wn {
namespace dtls {

constexpr size_t kRecordHeader = 13;
// RFC 6347 §4.1: a record's length never exceeds 2^14 + 2048 (ciphertext expansion).
constexpr size_t kMaxRecordLength = 16384 + 2048;

enum class RecordVerdict : int {
  kOk = 0,
  kShort = 1,      // shorter than one record header
  kType = 2,       // content type not a DTLS one (change_cipher_spec 20 .. tls12_cid 25)
  kVersion = 3,    // not DTLS 1.0 (0xfeff) or 1.2 (0xfefd)
  kTruncated = 4,  // a record's length runs past the datagram's end
  kLength = 5,     // a record longer than the protocol allows
};

inline RecordVerdict CheckDatagram(const uint8_t* p, size_t len) {
  if (len < kRecordHeader) return RecordVerdict::kShort;
  size_t off = 0;
  while (off < len) {
    if (len - off < kRecordHeader) return RecordVerdict::kTruncated;
    const uint8_t type = p[off];
    if (type < 20 || type > 25) return RecordVerdict::kType;
    if (p[off + 1] != 0xfe || (p[off + 2] != 0xff && p[off + 2] != 0xfd)) return RecordVerdict::kVersion;
    const size_t rlen = (static_cast<size_t>(p[off + 11]) << 8) | p[off + 12];
    if (rlen > kMaxRecordLength) return RecordVerdict::kLength;
    if (rlen > len - off - kRecordHeader) return RecordVerdict::kTruncated;
    off += kRecordHeader + rlen;
  }
  return RecordVerdict::kOk;
}

// The datagram's first record is an epoch-0 handshake record carrying a ClientHello (msg_type 1): what
// starts a handshake (and its server-side cost). Only the first record is looked at.
inline bool IsClientHello(const uint8_t* p, size_t len) {
  return len > kRecordHeader && p[0] == 22 && p[3] == 0 && p[4] == 0 && p[kRecordHeader] == 1;
}

}  // namespace dtls
}  // namespace wn
