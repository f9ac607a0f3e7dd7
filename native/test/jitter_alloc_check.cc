// Checks the house rule "no allocation after Create" on the native jitter buffer (native/src/jitter/):
// malloc/calloc/realloc/memalign (and so operator new) are interposed and counted while a packet trace
// with every playout path (start, loss, reorder, duplicates, late/stale packets, DTX with CN, SSRC
// change, timestamp jump, store overflow, time-stretch both ways, Reset) is put and played, after
// Create. Driven by test/unit/native/jitterAlloc.test.ts, which compiles this file with the jitter
// buffer and the codec kernels and runs it.
// Output: one line per case "<name> puts=<n> gets=<n> allocations=<k> received=<n> concealed=<n>
// silence=<n> resyncs=<n> ssrc=<n> flushes=<n> stretch=<n>", and "probe allocations=<k>" proving the
// counter sees an allocation. Exit 0 = every case allocated nothing.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include "../src/codec/codec.h"
#include "../src/jitter/jitter_buffer.h"
#include "../src/rtp/parse.h"

#include "alloc_count.h"

using namespace wn;

namespace {

constexpr int kPackets = 3000;
uint8_t g_payloads[kPackets][400];
int g_len[kPackets];
uint8_t g_pkt[12 + 400];
int16_t g_out[960];

struct Sent {
  double arrival;
  uint16_t seq;
  uint32_t ts;
  uint32_t ssrc;
  uint8_t pt;
  bool marker;
  int payload;  // index into g_payloads, -1 = CN
};
Sent g_sent[2 * kPackets];

uint32_t g_seed = 12345;
double Rnd() {
  g_seed = g_seed * 1103515245u + 12345u;
  return ((g_seed >> 8) & 0xffffff) / 16777216.0;
}

// Speech-like payloads: PCMU from a gliding harmonic signal with pauses; Opus encoded from the same.
bool MakePayloads(codec::CodecId id, int rate) {
  codec::CodecConfig cfg;
  cfg.id = id;
  cfg.sampleRate = rate;
  const char* err = nullptr;
  std::unique_ptr<codec::FrameEncoder> enc = codec::CreateEncoder(cfg, &err);
  if (!enc) return false;
  const int n = rate / 50;
  static int16_t pcm[960];
  double phase = 0;
  for (int k = 0; k < kPackets; k++) {
    const bool silent = (k / 40) % 4 == 3;
    for (int i = 0; i < n; i++) {
      const double f0 = 140 + 60 * std::sin((k * n + i) / static_cast<double>(rate));
      phase += 2 * M_PI * f0 / rate;
      double v = 0;
      for (int h = 1; h <= 8; h++) v += std::sin(h * phase) / h;
      pcm[i] = silent ? 0 : static_cast<int16_t>(5000 * v);
    }
    g_len[k] = enc->encode(pcm, n, g_payloads[k], sizeof g_payloads[k]);
    if (g_len[k] <= 0) return false;
  }
  return true;
}

// The trace: 20 ms packets, 0-60 ms jitter, 4 % loss, 3 % reorder, 3 % duplicates, DTX (CN, gaps),
// an SSRC change at 1/3, a timestamp jump at 2/3, sender clock +1 % in the middle third, a burst
// that overflows the store near the end.
int MakeTrace(int tsStep, uint8_t pt) {
  int m = 0;
  uint16_t seq = 65000;
  uint32_t ts = 4294967000u, ssrc = 0xabcdef;
  bool marker = true;
  for (int k = 0; k < kPackets; k++) {
    if (k == kPackets / 3) {
      ssrc ^= 0x1111;
      seq = 7;
      ts = 99;
      marker = true;
    }
    if (k == 2 * kPackets / 3) ts += 5000000;
    const double drift = (k > kPackets / 3 && k < 2 * kPackets / 3) ? 0.99 : 1.0;
    double send = k * 20 * drift;
    double net = 10 + Rnd() * 60;
    if (k > kPackets - 200 && k < kPackets - 100) net = 10 + (kPackets - 100 - k) * 25;  // a 2.5 s freeze then a burst
    const bool silent = (k / 40) % 4 == 3;
    if (silent && (k % 40) != 0 && (k % 40) != 20) {
      ts += tsStep;
      marker = true;
      continue;
    }
    Sent s{send + net, seq, ts, ssrc, silent ? static_cast<uint8_t>(13) : pt, marker && !silent, silent ? -1 : k};
    seq++;
    ts += tsStep;
    if (!silent) marker = false;
    if (Rnd() < 0.04) continue;
    g_sent[m++] = s;
    if (Rnd() < 0.03) {
      g_sent[m] = s;
      g_sent[m++].arrival += Rnd() * 80;
    }
    if (m >= 2 && Rnd() < 0.03) {
      const double a = g_sent[m - 1].arrival;
      g_sent[m - 1].arrival = g_sent[m - 2].arrival;
      g_sent[m - 2].arrival = a;
    }
  }
  // Insertion sort by arrival (stable; nearly sorted already).
  for (int i = 1; i < m; i++) {
    Sent s = g_sent[i];
    int j = i - 1;
    while (j >= 0 && g_sent[j].arrival > s.arrival) {
      g_sent[j + 1] = g_sent[j];
      j--;
    }
    g_sent[j + 1] = s;
  }
  return m;
}

bool RunCase(const char* name, codec::CodecId id, int rate, int clockRate, uint8_t pt) {
  if (!MakePayloads(id, rate)) {
    std::printf("%s payloads failed\n", name);
    return false;
  }
  const int m = MakeTrace(clockRate / 50, pt);
  codec::CodecConfig cfg;
  cfg.id = id;
  cfg.sampleRate = rate;
  const char* err = nullptr;
  std::unique_ptr<codec::FrameDecoder> dec = codec::CreateDecoder(cfg, &err);
  jitter::Options o;
  o.clockRate = clockRate;
  o.maxPackets = 32;
  std::unique_ptr<jitter::JitterBuffer> jb = dec ? jitter::JitterBuffer::Create(o, dec.get(), &err) : nullptr;
  if (!jb) {
    std::printf("%s create failed: %s\n", name, err ? err : "?");
    return false;
  }
  g_allocations = 0;
  g_counting = true;
  int next = 0, gets = 0;
  const double end = g_sent[m - 1].arrival + 2000;
  for (double now = 0.3; now < end; now += 20) {
    while (next < m && g_sent[next].arrival <= now) {
      const Sent& s = g_sent[next++];
      const uint8_t* payload = s.payload >= 0 ? g_payloads[s.payload] : nullptr;
      const int len = s.payload >= 0 ? g_len[s.payload] : 1;
      g_pkt[0] = 0x80;
      g_pkt[1] = static_cast<uint8_t>((s.marker ? 0x80 : 0) | s.pt);
      g_pkt[2] = s.seq >> 8;
      g_pkt[3] = s.seq & 0xff;
      for (int b = 0; b < 4; b++) g_pkt[4 + b] = static_cast<uint8_t>(s.ts >> (24 - 8 * b));
      for (int b = 0; b < 4; b++) g_pkt[8 + b] = static_cast<uint8_t>(s.ssrc >> (24 - 8 * b));
      if (payload) std::memcpy(g_pkt + 12, payload, len);
      else g_pkt[12] = 50;  // CN level -50 dBov
      rtp::RtpView v;
      if (rtp::ParseRtp(g_pkt, 12 + len, &v) == rtp::V_OK) jb->Put(g_pkt, 12 + len, v, s.arrival);
    }
    jb->Get(g_out, now);
    gets++;
    if (gets == 2000) jb->Reset();
  }
  g_counting = false;
  const jitter::Stats& st = jb->stats();
  std::printf("%s puts=%d gets=%d allocations=%ld received=%.0f concealed=%.0f silence=%.0f resyncs=%.0f ssrc=%.0f flushes=%.0f stretch=%.0f\n",
              name, next, gets, static_cast<long>(g_allocations), st.packetsReceived, st.concealedSamples, st.silenceSamples,
              st.resyncs, st.ssrcChanges, st.flushes,
              st.insertedSamplesForDeceleration + st.removedSamplesForAcceleration);
  return g_allocations == 0;
}

}  // namespace

int main() {
  bool ok = true;
  ok = RunCase("PCMU", codec::CodecId::PCMU, 8000, 8000, 0) && ok;
  ok = RunCase("opus-48000", codec::CodecId::Opus, 48000, 48000, 111) && ok;
  ok = RunCase("opus-16000", codec::CodecId::Opus, 16000, 48000, 111) && ok;
  g_allocations = 0;
  g_counting = true;
  void* p = std::malloc(16);
  g_counting = false;
  std::free(p);
  std::printf("probe allocations=%ld\n", static_cast<long>(g_allocations));
  return ok ? 0 : 1;
}
