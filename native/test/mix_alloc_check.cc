// Checks the house rule "no allocation per packet / per frame" on the native mix (native/src/mix/call_mix.cc):
// malloc/calloc/realloc/memalign (and so operator new) are interposed and counted inside CallMix::OnRtp
// and CallMix::Tick only, while a whisper call runs through every path: passthrough (forwarded and
// re-stamped), primary decoded on arrival (duplicates, late packets, a sender restart, a burst over the
// real-time budget), jitter-buffered supervisor (loss, reorder, CN/DTX, SSRC change), the output clock
// taking over on hold, one-frame ramps, mix -> passthrough switch at the end of the ramps, prompts that
// finish and are dropped from the output, RFC 4733 relay, bleed taps, 8 kHz and 16 kHz mixes with G.711
// and Opus. Configuration calls (SetGain, Reconfigure, AddPrompt) run between packets, not counted.
// Driven by test/unit/native/mixAlloc.test.ts. Output: one line per case "<name> packets=<n> ticks=<n>
// allocations=<k> sent=<n> forwarded=<n> mixed=<n> timer=<n> drops=<n> events=<n>", and "probe
// allocations=<k>" proving the counter sees an allocation. Exit 0 = no case allocated.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "../src/codec/codec.h"
#include "../src/mix/call_mix.h"
#include "../src/rtp/parse.h"

#include "alloc_count.h"

using namespace wn;

namespace {

class CountingHost : public mix::MixHost {
 public:
  long sent = 0, drops = 0, events = 0;
  bool dest = true;
  void Send(int, const uint8_t*, size_t) override { sent++; }
  bool HasDestination(int idx) const override { return idx != 2 || dest; }
  void CountDrop(int) override { drops++; }
  void OnTelephoneEvent(int, const uint8_t*, size_t, bool) override { events++; }
  void OnObserved(int, const int16_t*, int, double) override { events++; }
  void OnMixed(int, const int16_t*, int, int, const int16_t*, const int16_t*, double) override { events++; }
};

uint32_t g_rng = 12345;
double Rnd() {
  g_rng = g_rng * 1664525u + 1013904223u;
  return (g_rng >> 8) / 16777216.0;
}

struct Stream {
  int idx;
  codec::CodecId codec;
  int pt;
  int tsStep;
  uint32_t ssrc;
  uint16_t seq;
  uint32_t ts;
  std::unique_ptr<codec::FrameEncoder> enc;
};

// One 20 ms packet of stream s (audio, CN or DTMF) into buf; returns its length.
size_t Packet(Stream& s, int k, int kind, uint8_t* buf) {
  buf[0] = 0x80;
  const int pt = kind == 1 ? 13 : kind == 2 ? 101 : s.pt;
  buf[1] = static_cast<uint8_t>(pt);
  buf[2] = static_cast<uint8_t>(s.seq >> 8);
  buf[3] = static_cast<uint8_t>(s.seq);
  for (int i = 0; i < 4; i++) buf[4 + i] = static_cast<uint8_t>(s.ts >> (24 - 8 * i));
  for (int i = 0; i < 4; i++) buf[8 + i] = static_cast<uint8_t>(s.ssrc >> (24 - 8 * i));
  if (kind == 1) {
    buf[12] = 50;
    return 13;
  }
  if (kind == 2) {
    buf[12] = 5;
    buf[13] = 10;
    buf[14] = 0;
    buf[15] = 160;
    return 16;
  }
  int16_t pcm[320];
  const int rate = s.enc->sampleRate();
  const int n = rate / 50;
  for (int i = 0; i < n; i++) pcm[i] = static_cast<int16_t>(6000 * std::sin((k * n + i) * 2 * M_PI * (300 + 100 * s.idx) / rate));
  const int bytes = s.enc->encode(pcm, n, buf + 12, 1400);
  return 12 + static_cast<size_t>(bytes > 0 ? bytes : 0);
}

struct Case {
  const char* name;
  int mixRate;
  codec::CodecId codec;  // customer and agent; the supervisor is PCMU
  // (K) RTP clock, payload type, timestamp step per 20 ms and PCM rate of the customer/agent codec
  // (G.722: clock 8000, 16 kHz audio; AMR-WB: 16000).
  int clockRate = 8000;
  int pt = 0;
  int tsStep = 160;
  int sampleRate = 8000;
  // (M) transcode outputs: the customer gets 30 ms frames, has CN (silence detection on) and
  // telephone-event, the agent has neither (DTMF -> tones towards it, in-band detection towards the
  // customer); the customer's output stays TRANSCODE, the agent's switches between TRANSCODE and MIX.
  bool transcode = false;
};

bool RunCase(const Case& c) {
  CountingHost host;
  mix::MixConfig cfg;
  cfg.mixRate = c.mixRate;
  cfg.seed = 7;
  if (c.transcode) cfg.silenceThreshold = 655;
  const char* err = nullptr;
  std::unique_ptr<mix::CallMix> m = mix::CallMix::Create(cfg, &host, &err);
  if (!m) {
    std::printf("%s create failed: %s\n", c.name, err);
    return false;
  }
  mix::ParticipantSpec cs{c.codec, c.clockRate, c.pt, 101, 1};
  mix::ParticipantSpec as{c.codec, c.clockRate, c.pt, 101, 0};
  mix::ParticipantSpec ss{codec::CodecId::PCMU, 8000, 0, 101, -1};
  if (c.transcode) {
    cs.cnPt = 13;
    cs.ptime = 30;
    as.dtmfPt = -1;
  }
  m->SetParticipant(0, cs);
  m->SetParticipant(1, as);
  m->SetParticipant(2, ss);
  m->SetGain(1, 0, 1);
  m->SetGain(0, 1, 1);
  m->SetGain(2, 0, 1);
  m->SetGain(2, 1, 1);
  m->Prewarm(2);
  m->Observe(0);
  m->SetObserved(0, true);
  m->SetTap(1, 2);
  m->Reconfigure();

  Stream st[3];
  for (int i = 0; i < 3; i++) {
    codec::CodecConfig ec;
    ec.id = i == 2 ? codec::CodecId::PCMU : c.codec;
    ec.sampleRate = i == 2 ? 8000 : c.sampleRate;
    st[i].idx = i;
    st[i].codec = ec.id;
    st[i].pt = i == 2 ? 0 : c.pt;
    st[i].tsStep = i == 2 ? 160 : c.tsStep;
    st[i].ssrc = 0x1000 + i;
    st[i].seq = static_cast<uint16_t>(1000 * i);
    st[i].ts = 5000u * i;
    st[i].enc = codec::CreateEncoder(ec, &err);
  }
  std::vector<int16_t> beep(2400);
  for (size_t i = 0; i < beep.size(); i++) beep[i] = static_cast<int16_t>(5000 * std::sin(i * 0.7));

  uint8_t pkt[3][1500];
  size_t len[3];
  uint8_t held[1500];
  size_t heldLen = 0;
  long packets = 0, ticks = 0;
  long allocs = 0;
  const int kFrames = 500;  // 10 s
  for (int k = 0; k < kFrames; k++) {
    const double t0 = 1000 + k * 20.0;
    // Signalling-time changes (not counted).
    if (k == 50) { m->SetGain(1, 2, 1); m->Reconfigure(); }
    if (k == 100) { m->SetGain(1, 2, 0.5); m->Reconfigure(); }
    if (k == 150) { m->AddPrompt(1, beep.data(), beep.size(), 2); }
    if (k == 250) { m->SetGain(1, 2, 0); m->Reconfigure(); }  // -> passthrough after the ramp
    if (k == 300) { m->SetGain(1, 2, 1); m->Reconfigure(); }
    if (k == 330) host.dest = false;
    if (k == 350) host.dest = true;
    if (k == 400) st[2].ssrc ^= 0x5a5a;
    for (int i = 0; i < 3; i++) {
      int kind = 0;
      if (i == 0 && k >= 60 && k < 65) kind = 2;                 // DTMF from the customer
      if (i == 2 && k >= 200 && k < 230) kind = (k - 200) % 10 == 0 ? 1 : -1;  // supervisor DTX
      const bool hold = i == 0 && k >= 120 && k < 140;           // customer on hold
      if (kind == -1 || hold) {
        st[i].ts += st[i].tsStep;
        continue;
      }
      len[i] = Packet(st[i], k, kind, pkt[i]);
      st[i].seq++;
      st[i].ts += st[i].tsStep;
      if (i == 2 && Rnd() < 0.05) continue;  // loss
      rtp::RtpView v;
      if (rtp::ParseRtp(pkt[i], len[i], &v) != rtp::V_OK) continue;
      const double at = t0 + 3 + 2 * i + (i == 2 ? Rnd() * 30 : 0);
      g_counting = true;
      m->OnRtp(i, pkt[i], len[i], v, at, true);
      if (i == 0 && k % 37 == 0) m->OnRtp(i, pkt[i], len[i], v, at + 1, true);  // duplicate
      g_counting = false;
      packets++;
      if (i == 2 && k % 23 == 0) {  // reorder: keep it, deliver after the next one
        std::memcpy(held, pkt[i], len[i]);
        heldLen = len[i];
      } else if (i == 2 && heldLen > 0) {
        rtp::RtpView hv;
        if (rtp::ParseRtp(held, heldLen, &hv) == rtp::V_OK) {
          g_counting = true;
          m->OnRtp(i, held, heldLen, hv, at + 0.5, true);
          g_counting = false;
        }
        heldLen = 0;
      }
    }
    if (k == 450) {  // a burst of 40 customer packets at once: over the real-time budget
      for (int b = 0; b < 40; b++) {
        len[0] = Packet(st[0], k, 0, pkt[0]);
        st[0].seq++;
        st[0].ts += st[0].tsStep;
        rtp::RtpView v;
        rtp::ParseRtp(pkt[0], len[0], &v);
        g_counting = true;
        m->OnRtp(0, pkt[0], len[0], v, t0 + 4, true);
        g_counting = false;
      }
    }
    for (int s = 0; s < 4; s++) {
      if (k >= 270 && k < 275) continue;  // a stall
      g_counting = true;
      m->Tick(t0 + 5 * s);
      g_counting = false;
      ticks++;
    }
  }
  allocs = g_allocations;
  g_allocations = 0;
  mix::OutputStats a;
  m->ReadOutputStats(1, &a);
  std::printf("%s packets=%ld ticks=%ld allocations=%ld sent=%ld forwarded=%.0f mixed=%.0f timer=%.0f drops=%ld events=%ld\n", c.name,
              packets, ticks, allocs, host.sent, a.packetsForwarded, a.framesMixed, a.framesByTimer, host.drops, host.events);
  return allocs == 0;
}

}  // namespace

int main() {
  const Case cases[] = {
      {"PCMU-8000", 8000, codec::CodecId::PCMU},
      {"PCMU-16000", 16000, codec::CodecId::PCMU},
      {"opus-16000", 16000, codec::CodecId::Opus, 48000, 111, 960, 16000},
      // (K) issue 11 kernels through the whole mix: G.722 (16 kHz audio on an 8000 RTP clock), GSM,
      // AMR-WB octet-aligned.
      {"G722-16000", 16000, codec::CodecId::G722, 8000, 9, 160, 16000},
      {"GSM-8000", 8000, codec::CodecId::GSM, 8000, 3, 160, 8000},
      {"AMRWB-octet-16000", 16000, codec::CodecId::AMRWBOctet, 16000, 98, 320, 16000},
      {"PCMU-8000-transcode", 8000, codec::CodecId::PCMU, 8000, 0, 160, 8000, true},
  };
  bool ok = true;
  for (const Case& c : cases) ok = RunCase(c) && ok;
  g_allocations = 0;
  g_counting = true;
  void* p = std::malloc(64);
  g_counting = false;
  std::free(p);
  std::printf("probe allocations=%ld\n", static_cast<long>(g_allocations));
  return ok ? 0 : 1;
}
