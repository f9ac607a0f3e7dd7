// UDPTL (ITU-T T.38 Annex, the UDP transport of T.38 IFP packets) framing: a pure parser and writer with
// every length checked, plus the per-direction state a T.38 endpoint keeps (receive sequencing with
// redundancy / FEC recovery, transmit history). No allocation, no I/O: the caller owns every buffer.
//
// Datagram layout (ASN.1 PER, aligned):
//   seq-number  2 bytes, big-endian
//   primary-ifp-packet: length determinant + IFP bytes
//   error-recovery: one byte, bit 7 = 0 secondary-ifp-packets (redundancy), 1 fec-info
//     redundancy: count (length determinant) + count x (length determinant + IFP of seq-1, seq-2, ...)
//     fec-info:   0x01 (length of the span field), span (1 byte), count (length determinant),
//                 count x (length determinant + XOR of the covered IFPs)
// Length determinant: 0xxxxxxx = 0..127 in one byte; 10xxxxxx xxxxxxxx = 0..16383 in two bytes;
// 11xxxxxx = a fragment (multiples of 16K): never needed for fax IFPs (T38FaxMaxDatagram is far below)
// and refused (rtpengine does not decode fragments either).
//
// FEC layout follows rtpengine 10.5 (daemon/t38.c t38_gateway_handler), the peer whisperd replaces: with
// `entries` FEC packets of span S over the previously sent IFPs H[0] (newest) .. H[S*entries-1], the
// entry written k-th (0-based) is the XOR of H[i] for every i with i % entries == entries-1-k.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace wn {
namespace t38 {

constexpr size_t kMaxSecondary = 16;   // secondary / FEC entries read from one datagram (more are ignored)
constexpr size_t kMaxIfp = 1024;       // largest IFP kept for recovery or sent (fax IFPs are < 300 bytes)
constexpr size_t kHistory = 64;        // IFPs remembered per direction (power of two)
constexpr size_t kMaxDatagram = 1500;  // largest datagram written

enum UdptlVerdict : int {
  U_OK = 0,
  U_TOO_SHORT = 1,    // fewer than 4 bytes (seq + length + 1 byte IFP or empty + EC byte)
  U_BAD_PRIMARY = 2,  // primary length determinant or IFP beyond the datagram
  U_FRAGMENTED = 3,   // a fragmented length determinant (refused)
  U_NO_EC = 4,        // the error-recovery byte is missing
};

struct Span {
  uint32_t off = 0;
  uint32_t len = 0;
};

struct UdptlPacket {
  uint16_t seq = 0;
  Span primary;
  bool fec = false;
  uint32_t fec_span = 0;        // FEC: span field (1..127), else 0
  uint32_t declared = 0;        // entry count the datagram declares
  uint32_t count = 0;           // entries actually read (<= kMaxSecondary, <= declared)
  bool ec_truncated = false;    // the EC part ended early or was malformed (the entries read are valid)
  Span entry[kMaxSecondary];    // redundancy: IFP of seq-1-i; FEC: k-th FEC packet
};

// Read a length determinant at p[pos]; false if it runs past n or is a fragment (then *frag is set).
inline bool ReadLength(const uint8_t* p, size_t n, size_t& pos, uint32_t& out, bool* frag) {
  if (pos >= n) return false;
  const uint8_t b = p[pos];
  if ((b & 0x80) == 0) {
    out = b;
    pos += 1;
    return true;
  }
  if ((b & 0x40) != 0) {
    if (frag) *frag = true;
    return false;
  }
  if (pos + 2 > n) return false;
  out = (static_cast<uint32_t>(b & 0x3f) << 8) | p[pos + 1];
  pos += 2;
  return true;
}

// A length determinant followed by that many bytes, all inside p[0..n).
inline bool ReadOpen(const uint8_t* p, size_t n, size_t& pos, Span& s, bool* frag) {
  uint32_t len;
  if (!ReadLength(p, n, pos, len, frag)) return false;
  if (len > n - pos) return false;
  s.off = static_cast<uint32_t>(pos);
  s.len = len;
  pos += len;
  return true;
}

inline int ParseUdptl(const uint8_t* d, size_t n, UdptlPacket* out) {
  *out = UdptlPacket();
  if (n < 4) return U_TOO_SHORT;
  out->seq = static_cast<uint16_t>((d[0] << 8) | d[1]);
  size_t pos = 2;
  bool frag = false;
  if (!ReadOpen(d, n, pos, out->primary, &frag)) return frag ? U_FRAGMENTED : U_BAD_PRIMARY;
  if (pos >= n) return U_NO_EC;
  const uint8_t ec = d[pos++];
  out->fec = (ec & 0x80) != 0;
  if (out->fec) {
    if (pos + 2 > n || d[pos] != 0x01 || d[pos + 1] == 0 || d[pos + 1] >= 0x80) {
      out->ec_truncated = true;
      return U_OK;
    }
    out->fec_span = d[pos + 1];
    pos += 2;
  }
  uint32_t declared;
  if (!ReadLength(d, n, pos, declared, nullptr)) {
    out->ec_truncated = pos < n;
    return U_OK;
  }
  out->declared = declared;
  for (uint32_t i = 0; i < declared && out->count < kMaxSecondary; i++) {
    Span s;
    if (!ReadOpen(d, n, pos, s, nullptr)) {
      out->ec_truncated = true;
      return U_OK;
    }
    out->entry[out->count++] = s;
  }
  return U_OK;
}

// Append a length determinant (len < 16384) + bytes at out[pos]; false if it would pass cap.
inline bool WriteOpen(uint8_t* out, size_t cap, size_t& pos, const uint8_t* b, size_t len) {
  if (len >= 0x4000) return false;
  const size_t hdr = len < 0x80 ? 1 : 2;
  if (pos + hdr + len > cap) return false;
  if (hdr == 1) {
    out[pos++] = static_cast<uint8_t>(len);
  } else {
    out[pos++] = static_cast<uint8_t>(0x80 | (len >> 8));
    out[pos++] = static_cast<uint8_t>(len & 0xff);
  }
  if (len) std::memcpy(out + pos, b, len);
  pos += len;
  return true;
}

inline size_t OpenSize(size_t len) { return (len < 0x80 ? 1 : 2) + len; }

// One remembered IFP.
struct Slot {
  bool used = false;
  uint16_t seq = 0;
  uint16_t len = 0;
  uint8_t data[kMaxIfp];
};

// Receive side: sequencing, duplicate / stale drop, recovery of lost IFPs from redundancy or FEC. Deliver
// is called with (ifp, len, seq) in sequence order; a loss that cannot be recovered leaves a gap in seq
// (T.38's own gap handling then applies).
struct UdptlRx {
  bool have = false;
  uint16_t expected = 0;
  Slot hist[kHistory];
  uint8_t scratch[kMaxIfp];
  // counters
  double datagrams = 0, bad = 0, duplicates = 0, recovered = 0, lost = 0, delivered = 0;

  void Reset() {
    have = false;
    for (auto& s : hist) s.used = false;
  }

  const Slot* Find(uint16_t seq) const {
    const Slot& s = hist[seq & (kHistory - 1)];
    return s.used && s.seq == seq ? &s : nullptr;
  }
  void Remember(uint16_t seq, const uint8_t* b, size_t len) {
    if (len > kMaxIfp) return;
    Slot& s = hist[seq & (kHistory - 1)];
    s.used = true;
    s.seq = seq;
    s.len = static_cast<uint16_t>(len);
    if (len) std::memcpy(s.data, b, len);
  }

  // FEC: rebuild IFP `want` from entry k (of count entries, span S) of datagram p; false if another
  // covered IFP is unknown.
  bool RecoverFec(const uint8_t* d, const UdptlPacket& p, uint16_t want, size_t& out_len) {
    const uint32_t e = p.count;
    if (e == 0 || p.fec_span == 0 || p.count != p.declared || p.ec_truncated) return false;
    const uint32_t i = static_cast<uint16_t>(p.seq - 1 - want);  // 0 = the IFP just before p
    const uint32_t k_rev = i % e, j = i / e;
    if (j >= p.fec_span) return false;
    const uint32_t k = e - 1 - k_rev;
    const Span& ent = p.entry[k];
    if (ent.len > kMaxIfp) return false;
    std::memcpy(scratch, d + ent.off, ent.len);
    size_t len = ent.len;
    for (uint32_t jj = 0; jj < p.fec_span; jj++) {
      if (jj == j) continue;
      const uint16_t other = static_cast<uint16_t>(p.seq - 1 - (k_rev + jj * e));
      const Slot* s = Find(other);
      if (!s) return false;
      if (s->len > len) {
        std::memset(scratch + len, 0, s->len - len);
        len = s->len;
      }
      for (size_t b = 0; b < s->len; b++) scratch[b] ^= s->data[b];
    }
    out_len = len;
    return true;
  }

  template <typename Deliver>
  int Rx(const uint8_t* d, size_t n, Deliver&& deliver) {
    UdptlPacket p;
    const int v = ParseUdptl(d, n, &p);
    if (v != U_OK) {
      bad++;
      return v;
    }
    datagrams++;
    if (!have) {
      have = true;
      expected = p.seq;
    }
    const int16_t diff = static_cast<int16_t>(p.seq - expected);
    if (diff < 0) {
      duplicates++;
      return U_OK;
    }
    if (diff > 100) {
      // Far ahead (a restarted sender): resynchronise without trying to fill the gap.
      lost += diff;
      expected = p.seq;
    }
    for (uint16_t m = expected; m != p.seq; m++) {
      const uint32_t back = static_cast<uint16_t>(p.seq - 1 - m);
      bool ok = false;
      if (!p.fec) {
        if (back < p.count && p.entry[back].len > 0) {
          const Span& s = p.entry[back];
          Remember(m, d + s.off, s.len);
          deliver(d + s.off, s.len, m);
          ok = true;
        }
      } else {
        size_t len = 0;
        if (RecoverFec(d, p, m, len)) {
          Remember(m, scratch, len);
          deliver(scratch, len, m);
          ok = true;
        }
      }
      if (ok) recovered++;
      else lost++;
    }
    Remember(p.seq, d + p.primary.off, p.primary.len);
    deliver(d + p.primary.off, p.primary.len, p.seq);
    delivered++;
    expected = static_cast<uint16_t>(p.seq + 1);
    return U_OK;
  }
};

// Transmit side: sequence numbers and the history redundancy / FEC are built from.
struct UdptlTx {
  uint16_t seq = 0;
  uint32_t ec_entries = 3;    // redundancy entries or FEC packets per datagram (0 = t38UDPNoEC)
  uint32_t fec_span = 1;      // > 1: FEC with this span
  uint32_t max_datagram = 512;
  Slot hist[kHistory];        // hist[(head - 1 - i) & mask] = the i-th previous IFP
  uint32_t head = 0, filled = 0;
  uint8_t fec[kMaxSecondary][kMaxIfp];
  size_t fec_len[kMaxSecondary];

  const Slot& Prev(uint32_t i) const { return hist[(head - 1 - i) & (kHistory - 1)]; }

  // Build the datagram for `ifp` into out[0..cap); returns its length, or 0 if the IFP does not fit.
  size_t Build(const uint8_t* ifp, size_t len, uint8_t* out, size_t cap) {
    if (len > kMaxIfp || cap < 3) return 0;
    size_t pos = 0;
    out[pos++] = static_cast<uint8_t>(seq >> 8);
    out[pos++] = static_cast<uint8_t>(seq & 0xff);
    if (!WriteOpen(out, cap, pos, ifp, len)) return 0;
    const size_t limit = max_datagram < cap ? (max_datagram > pos ? max_datagram : pos) : cap;
    if (fec_span > 1 && ec_entries > 0) {
      if (pos + 4 > cap) return 0;
      out[pos++] = 0x80;
      out[pos++] = 0x01;
      out[pos++] = static_cast<uint8_t>(fec_span);
      uint32_t packets = fec_span * ec_entries;
      if (packets > filled) packets = filled;
      uint32_t span = packets / ec_entries;
      if (span == 0) span = 1;
      uint32_t entries = ec_entries < filled ? ec_entries : filled;
      if (entries > kMaxSecondary) entries = kMaxSecondary;
      packets = entries * span;
      for (uint32_t e = 0; e < entries; e++) fec_len[e] = 0;
      for (uint32_t i = 0; i < packets; i++) {
        const Slot& s = Prev(i);
        const uint32_t e = i % entries;
        if (s.len > fec_len[e]) {
          std::memset(fec[e] + fec_len[e], 0, s.len - fec_len[e]);
          fec_len[e] = s.len;
        }
        for (size_t b = 0; b < s.len; b++) fec[e][b] ^= s.data[b];
      }
      // Written newest-entry-last (see the header comment); stop before max_datagram.
      const size_t count_at = pos++;
      uint32_t written = 0;
      for (uint32_t k = 0; k < entries; k++) {
        const uint32_t e = entries - 1 - k;
        if (pos + OpenSize(fec_len[e]) > limit) {
          // A partial FEC set cannot be decoded (the entry order depends on the count): send none.
          pos = count_at + 1;
          written = 0;
          break;
        }
        WriteOpen(out, cap, pos, fec[e], fec_len[e]);
        written++;
      }
      out[count_at] = static_cast<uint8_t>(written);
      // The wire span must describe what was XORed.
      out[count_at - 1] = static_cast<uint8_t>(span);
    } else {
      if (pos + 2 > cap) return 0;
      out[pos++] = 0x00;
      const size_t count_at = pos++;
      uint32_t written = 0;
      const uint32_t want = ec_entries < filled ? ec_entries : filled;
      for (uint32_t i = 0; i < want && i < 0x7f; i++) {
        const Slot& s = Prev(i);
        if (pos + OpenSize(s.len) > limit) break;
        WriteOpen(out, cap, pos, s.data, s.len);
        written++;
      }
      out[count_at] = static_cast<uint8_t>(written);
    }
    Slot& h = hist[head & (kHistory - 1)];
    h.used = true;
    h.seq = seq;
    h.len = static_cast<uint16_t>(len);
    if (len) std::memcpy(h.data, ifp, len);
    head++;
    if (filled < kHistory) filled++;
    seq++;
    return pos;
  }
};

}  // namespace t38
}  // namespace wn
