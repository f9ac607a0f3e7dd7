// libFuzzer harness: the native jitter buffer (native/src/jitter/, the C++ twin of
// src/jitter/JitterBuffer.ts) fed an arbitrary sequence of RTP packets (a peer controls every header
// field and payload byte) and get() calls at arbitrary times, with the real decoders behind it.
// Input: byte 0 picks the configuration (codec/rates, frame length, packet slots, payload limit);
// then operations until the input ends, each [op][args...]:
//   op % 4 == 0/1  put a packet built from the current stream state moved by the argument bytes
//                  (sequence step, timestamp step, SSRC/PT/marker flips, payload length + bytes);
//   op % 4 == 2    get() after advancing the clock by arg/4 ms (0..63.75; a big step every 16th op);
//   op % 4 == 3    raw datagram: [len][bytes] parsed with rtp::ParseRtp and put if it is RTP, or Reset().
// One monotonic clock serves arrivals and playout, as on a media thread.
// Invariants: Get() writes frameSamples() samples and nothing past them (guard zone), returns a
// FrameKind; every cumulative counter of jitter::Stats is non-decreasing; packetsReceived grows by
// exactly one per Put(); packetsReceived >= packetsDiscarded + packetsDuplicated; the target delay
// stays within [minDelayMs, maxDelayMs] and the gauges are finite.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "../src/codec/codec.h"
#include "../src/jitter/jitter_buffer.h"
#include "../src/rtp/parse.h"
#include "check.h"

using namespace wn;

namespace {

constexpr size_t kGuard = 64;
constexpr int16_t kCanary = 0x5a5a;
int16_t g_out[960 + kGuard];  // 20 ms at 48 kHz + guard
uint8_t g_pkt[12 + 2048];

struct Pick {
  codec::CodecId id;
  int clockRate;
  int sampleRate;
};
constexpr Pick kPicks[] = {{codec::CodecId::PCMU, 8000, 8000},  {codec::CodecId::PCMA, 8000, 8000},
                           {codec::CodecId::PCMU, 16000, 8000}, {codec::CodecId::Opus, 48000, 48000},
                           {codec::CodecId::Opus, 48000, 8000}, {codec::CodecId::Opus, 48000, 16000}};

// Cumulative fields of jitter::Stats (indices in header order): never decrease.
constexpr int kMonotonic[] = {0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 18, 19, 20};

const double* Fields(const jitter::Stats& s) { return reinterpret_cast<const double*>(&s); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t c = data[0];
  const Pick pick = kPicks[c % (sizeof kPicks / sizeof kPicks[0])];
  codec::CodecConfig cfg;
  cfg.id = pick.id;
  cfg.sampleRate = pick.sampleRate;
  const char* err = nullptr;
  std::unique_ptr<codec::FrameDecoder> dec = codec::CreateDecoder(cfg, &err);
  CHECK(dec != nullptr);
  jitter::Options o;
  o.clockRate = pick.clockRate;
  o.frameMs = (c & 0x08) ? 10 : 20;
  static const int kSlots[] = {64, 4, 1, 16};
  o.maxPackets = kSlots[(c >> 4) & 3];
  o.maxPayloadBytes = (c & 0x40) ? 100 : 1500;
  if (c & 0x80) {
    o.minDelayMs = 0;
    o.maxDelayMs = 60;
    o.startDelayMs = 0;
    o.maxConcealMs = 0;
  }
  std::unique_ptr<jitter::JitterBuffer> jb = jitter::JitterBuffer::Create(o, dec.get(), &err);
  CHECK(jb != nullptr);
  const size_t F = static_cast<size_t>(jb->frameSamples());
  CHECK(F >= 1 && F + kGuard <= sizeof g_out / sizeof g_out[0]);

  jitter::Stats prev = jb->stats();
  double now = 1000;
  uint16_t seq = 1000;
  uint32_t ts = 123456, ssrc = 0x11223344;
  uint8_t pt = static_cast<uint8_t>(pick.id);
  size_t pos = 1;
  auto byte = [&]() -> uint8_t { return pos < size ? data[pos++] : 0; };
  for (int ops = 0; pos < size && ops < 512; ops++) {
    const uint8_t op = data[pos++];
    const double received0 = jb->stats().packetsReceived;
    bool put = false;
    switch (op % 4) {
      case 0:
      case 1: {
        const uint8_t a = byte(), b = byte(), l = byte();
        seq = static_cast<uint16_t>(seq + static_cast<int8_t>(a));                 // -128..127 (0: duplicate)
        const uint32_t step = static_cast<uint32_t>(pick.clockRate / 50);
        ts += (b & 0x80) ? static_cast<uint32_t>(static_cast<int8_t>(b << 1)) * step / 4 : step;  // jumps both ways
        if ((op & 0x1c) == 0x1c) ts += 0x40000000u;                                 // timestamp base jump
        if ((op & 0xe0) == 0xe0) ssrc ^= static_cast<uint32_t>(b) << 8;             // SSRC change
        const uint8_t p = (op & 0x20) ? 13 : pt;                                    // CN or audio
        size_t len = (op & 0x04) ? static_cast<size_t>(l) * 8 : l;                  // up to 2040 bytes
        if (len > size - pos) len = size - pos;
        g_pkt[0] = 0x80;
        g_pkt[1] = static_cast<uint8_t>(((op & 0x40) ? 0x80 : 0) | p);
        g_pkt[2] = seq >> 8;
        g_pkt[3] = seq & 0xff;
        g_pkt[4] = ts >> 24;
        g_pkt[5] = (ts >> 16) & 0xff;
        g_pkt[6] = (ts >> 8) & 0xff;
        g_pkt[7] = ts & 0xff;
        g_pkt[8] = ssrc >> 24;
        g_pkt[9] = (ssrc >> 16) & 0xff;
        g_pkt[10] = (ssrc >> 8) & 0xff;
        g_pkt[11] = ssrc & 0xff;
        std::memcpy(g_pkt + 12, data + pos, len);
        pos += len;
        now += (a & 0x0f) * 0.75;
        std::unique_ptr<uint8_t[]> d(new uint8_t[12 + len]);  // exact size: ASan sees any read past it
        std::memcpy(d.get(), g_pkt, 12 + len);
        rtp::RtpView v;
        CHECK(rtp::ParseRtp(d.get(), 12 + len, &v) == rtp::V_OK);
        jb->Put(d.get(), 12 + len, v, now);
        put = true;
        break;
      }
      case 2: {
        const uint8_t a = byte();
        now += a / 4.0 + ((ops & 15) == 15 ? 3000 : 0);
        for (size_t i = 0; i < F + kGuard; i++) g_out[i] = kCanary;
        const int k = static_cast<int>(jb->Get(g_out, now));
        CHECK(k >= 0 && k <= 2);
        for (size_t i = F; i < F + kGuard; i++) CHECK(g_out[i] == kCanary);
        break;
      }
      default: {
        size_t len = byte();
        if (len > size - pos) len = size - pos;
        if (len == 0) {
          jb->Reset();
          break;
        }
        std::unique_ptr<uint8_t[]> d(new uint8_t[len]);  // exact size: ASan sees any read past len
        std::memcpy(d.get(), data + pos, len);
        pos += len;
        rtp::RtpView v;
        if (rtp::ParseRtp(d.get(), len, &v) == rtp::V_OK) {
          jb->Put(d.get(), len, v, now);
          put = true;
        }
        break;
      }
    }
    const jitter::Stats& st = jb->stats();
    const double* s = Fields(st);
    const double* p = Fields(prev);
    for (int i : kMonotonic) CHECK(s[i] >= p[i]);
    CHECK(st.packetsReceived == received0 + (put ? 1 : 0));
    CHECK(st.packetsReceived >= st.packetsDiscarded + st.packetsDuplicated);
    CHECK(jb->targetDelayMs() >= o.minDelayMs && jb->targetDelayMs() <= o.maxDelayMs);
    CHECK(std::isfinite(st.currentDelayMs) && std::isfinite(st.jitter) && st.packetsLost >= 0);
    prev = st;
  }
  return 0;
}
