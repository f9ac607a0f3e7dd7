// RTCP sender reports for a stream whisperd originates towards one party (a mix output with whisperd's
// own SSRC), as rtpengine 10.5 sends them (daemon/rtcp.c rtcp_sender_report, media_player.c
// send_timer_rtcp). The native twin of src/media/rtcpReport.ts; same rules:
//  - the first report right after the stream's first packet, then after a packet once 5 s + a random
//    0..2 s have passed since the previous one;
//  - SR (sender SSRC = the stream's, NTP wallclock, RTP timestamp of the last packet sent, packets and
//    octets sent, whole datagrams) + one report block about the party's stream (none if nothing was
//    received) + SDES with one CNAME chunk (the daemon's 12-character instance id).
// The receive statistics live in the endpoint's state slots (written by the thread that reads the
// socket, read by JS when the endpoint leaves native; RtcpReceiveStats in rtcpReport.ts mirrors them).
// Pure: no N-API, no allocation.
#ifndef WHISPERD_NATIVE_RTP_RTCP_REPORT_H_
#define WHISPERD_NATIVE_RTP_RTCP_REPORT_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "parse.h"  // Be32

namespace wn {
namespace rtp {

// Offsets of the receive statistics in an endpoint's state (relay.cc enum Slot RX_SSRC..SR_AT_MS).
struct RxSlots {
  int ssrc, received, base, maxExt, jitter16, transit, srMiddle, srAtMs;
};

// One RTP packet received from the party (RFC 3550 A.1 sequence, A.8 jitter at `clockRate`).
inline void RxRtp(double* s, const RxSlots& k, uint32_t ssrc, uint16_t seq, uint32_t ts, double nowMs, double clockRate) {
  const double transit = nowMs * clockRate / 1000.0 - static_cast<double>(ts);
  if (s[k.received] == 0 || s[k.ssrc] != static_cast<double>(ssrc)) {
    s[k.ssrc] = ssrc;
    s[k.received] = 1;
    s[k.base] = seq;
    s[k.maxExt] = seq;
    s[k.jitter16] = 0;
    s[k.transit] = transit;
    return;
  }
  const uint32_t maxExt = static_cast<uint32_t>(s[k.maxExt]);
  const uint32_t cycles = maxExt & 0xffff0000u;
  const uint16_t maxSeq = static_cast<uint16_t>(maxExt & 0xffff);
  const uint16_t d = static_cast<uint16_t>(seq - maxSeq);
  if (d != 0 && d < 0x8000) s[k.maxExt] = seq < maxSeq ? cycles + 0x10000u + seq : cycles + seq;
  s[k.received] += 1;
  const double dt = std::fabs(transit - s[k.transit]);
  s[k.jitter16] += dt - (s[k.jitter16] + 8) / 16;
  s[k.transit] = transit;
}

inline void Put32R(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// A compound RTCP datagram from the party (already checked plausible): its first SR's NTP middle bits.
inline void RxRtcp(double* s, const RxSlots& k, const uint8_t* b, size_t len, double nowMs) {
  size_t off = 0;
  while (off + 4 <= len) {
    const size_t size = ((static_cast<size_t>(b[off + 2]) << 8) | b[off + 3]) * 4 + 4;
    if (b[off + 1] == 200 && size >= 28 && off + size <= len) {
      const uint32_t msw = Be32(b + off + 8), lsw = Be32(b + off + 12);
      s[k.srMiddle] = ((msw & 0xffffu) << 16) | (lsw >> 16);
      s[k.srAtMs] = nowMs > 0 ? nowMs : 1e-9;
      return;
    }
    off += size;
  }
}

constexpr size_t kSrBytes = 28, kBlockBytes = 24, kSdesBytes = 24;
constexpr size_t kReportBytes = kSrBytes + kBlockBytes + kSdesBytes;

// The send side of one party's endpoint (touched by one thread).
struct TxReport {
  int64_t ssrc = -1;
  uint32_t packets = 0;
  uint32_t octets = 0;
  uint32_t lastTs = 0;
  double nextMs = 0;
  uint32_t rnd = 0x9e3779b9u;
  uint8_t buf[kReportBytes];

  // One own-SSRC RTP datagram sent: counted. True if a report is due now (then Build it, with the same
  // nowMs; the caller reads the wall clock only then).
  bool Sent(const uint8_t* pkt, size_t len, double nowMs) {
    if (len < 12) return false;
    const uint32_t ss = Be32(pkt + 8);
    if (static_cast<int64_t>(ss) != ssrc) {
      ssrc = ss;
      packets = 0;
      octets = 0;
      nextMs = 0;
      rnd ^= ss | 1u;
    }
    packets++;
    octets += static_cast<uint32_t>(len);
    lastTs = Be32(pkt + 4);
    if (nowMs < nextMs) return false;
    rnd ^= rnd << 13;
    rnd ^= rnd >> 17;
    rnd ^= rnd << 5;
    nextMs = nowMs + 5000 + (rnd % 2000);
    return true;
  }

  // The report (in buf); returns its length. `wallUs`: microseconds since the Unix epoch; `cname`: 12 characters.
  size_t Build(const double* s, const RxSlots& k, double nowMs, uint64_t wallUs, const char* cname) {
    const bool block = s[k.received] > 0;
    const size_t srLen = kSrBytes + (block ? kBlockBytes : 0);
    uint8_t* b = buf;
    b[0] = static_cast<uint8_t>(0x80 | (block ? 1 : 0));
    b[1] = 200;
    b[2] = 0;
    b[3] = static_cast<uint8_t>(srLen / 4 - 1);
    Put32R(b + 4, static_cast<uint32_t>(ssrc));
    const uint64_t sec = wallUs / 1000000u, usec = wallUs % 1000000u;
    Put32R(b + 8, static_cast<uint32_t>(sec + 2208988800u));
    Put32R(b + 12, static_cast<uint32_t>((4294967295ull * usec) / 1000000ull));
    Put32R(b + 16, lastTs);
    Put32R(b + 20, packets);
    Put32R(b + 24, octets);
    if (block) {
      const double received = s[k.received];
      const double expected = s[k.maxExt] - s[k.base] + 1;
      const double lostD = expected - received > 0 ? expected - received : 0;
      const uint32_t lost = lostD > 0x7fffff ? 0x7fffffu : static_cast<uint32_t>(lostD);
      const double frac = std::floor(lostD * 256 / (received + lostD));
      Put32R(b + 28, static_cast<uint32_t>(s[k.ssrc]));
      b[32] = static_cast<uint8_t>(frac > 255 ? 255 : frac);
      b[33] = static_cast<uint8_t>(lost >> 16);
      b[34] = static_cast<uint8_t>(lost >> 8);
      b[35] = static_cast<uint8_t>(lost);
      Put32R(b + 36, static_cast<uint32_t>(s[k.maxExt]));
      Put32R(b + 40, static_cast<uint32_t>(s[k.jitter16] > 0 ? s[k.jitter16] : 0) >> 4);
      const bool sr = s[k.srAtMs] > 0;
      Put32R(b + 44, sr ? static_cast<uint32_t>(s[k.srMiddle]) : 0);
      const double dlsr = sr ? std::floor((nowMs - s[k.srAtMs]) * 65536 / 1000) : 0;
      Put32R(b + 48, dlsr > 0 ? static_cast<uint32_t>(dlsr) : 0);
    }
    uint8_t* d = b + srLen;
    d[0] = 0x81;
    d[1] = 202;
    d[2] = 0;
    d[3] = static_cast<uint8_t>(kSdesBytes / 4 - 1);
    Put32R(d + 4, static_cast<uint32_t>(ssrc));
    d[8] = 1;  // CNAME
    d[9] = 12;
    std::memcpy(d + 10, cname, 12);
    d[22] = 0;
    d[23] = 0;
    return srLen + kSdesBytes;
  }
};

}  // namespace rtp
}  // namespace wn

#endif  // WHISPERD_NATIVE_RTP_RTCP_REPORT_H_
