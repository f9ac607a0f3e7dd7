// libFuzzer harness: the native call mix (native/src/mix/call_mix.cc, the C++ twin of src/mix/CallMixer.ts)
// of a whisper call — customer and agent (each other's peers) and a supervisor, with the real decoders,
// encoders, resamplers and jitter buffers behind it — fed arbitrary RTP from every participant (a peer
// controls every header field and payload byte), output-clock ticks at arbitrary times, and signalling
// changes in between (gains + reconfigure, prompts, destination on/off, a participant replaced or removed).
// Input: byte 0 picks the configuration (mix rate 8/16 kHz, the customer/agent codec, the supervisor's);
// then operations until the input ends, each [op][args...]:
//   op % 8 == 0..3  a packet from participant (op >> 3) % 3 built from its stream state moved by the
//                   argument bytes (sequence/timestamp steps, SSRC flip, marker, PT: audio/CN/DTMF/other,
//                   payload length (up to 2040) + bytes, padded with a pattern past the input's end),
//                   arriving 0..15 * 0.75 ms later;
//   op % 8 == 4     Tick() after advancing the clock by arg/4 ms (a 3 s jump every 16th op);
//   op % 8 == 5     a raw datagram [len][bytes] from a participant, fed if it parses as RTP;
//   op % 8 == 6     a gain (out, in, value) then Reconfigure(), or a prompt added / stopped;
//   op % 8 == 7     destination toggled, a participant re-set (other codec or peer) or removed and re-added.
// Invariants: every datagram the mix sends is RTP that parses (the mix's own are 12-byte headers +
// payload <= 1500 bytes) and is read whole (ASan); observed/mixed tap frames hold 1..1920 samples;
// output counters never decrease (except when the output is recreated); nothing throws or aborts.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "../src/codec/codec.h"
#include "../src/mix/call_mix.h"
#include "../src/rtp/parse.h"
#include "check.h"

using namespace wn;

namespace {

class Host : public mix::MixHost {
 public:
  bool dest[3] = {true, true, true};
  double now = 0;
  unsigned sink = 0;
  void Send(int idx, const uint8_t* buf, size_t len) override {
    CHECK(idx >= 0 && idx < 3);
    CHECK(len >= 12 && len <= 2100);
    sink += Touch(buf, len);
    rtp::RtpView v;
    CHECK(rtp::ParseRtp(buf, len, &v) == rtp::V_OK);
  }
  bool HasDestination(int idx) const override { return idx >= 0 && idx < 3 && dest[idx]; }
  void CountDrop(int reason) override { CHECK(reason >= 0 && reason < 16); }
  void OnTelephoneEvent(int idx, const uint8_t* pkt, size_t len, bool) override {
    CHECK(idx >= 0 && idx < 3);
    sink += Touch(pkt, len);
  }
  void OnObserved(int idx, const int16_t* pcm, int n, double) override {
    CHECK(idx >= 0 && idx < 3 && n >= 1 && n <= 1920 + 64);
    sink += Touch(reinterpret_cast<const unsigned char*>(pcm), n * 2u);
  }
  void OnMixed(int idx, const int16_t* pcm, int n, int src, const int16_t* contrib, const int16_t* raw, double) override {
    CHECK(idx >= 0 && idx < 3 && n >= 1 && n <= 1920 && src >= 0 && src < 3);
    CHECK((contrib == nullptr) == (raw == nullptr));
    sink += Touch(reinterpret_cast<const unsigned char*>(pcm), n * 2u);
    if (contrib) sink += Touch(reinterpret_cast<const unsigned char*>(contrib), n * 2u) + Touch(reinterpret_cast<const unsigned char*>(raw), n * 2u);
  }
  double NowMs() const override { return now; }
};

struct Codec {
  codec::CodecId id;
  int clock;
  int pt;
};
constexpr Codec kCodecs[] = {{codec::CodecId::PCMU, 8000, 0}, {codec::CodecId::PCMA, 8000, 8}, {codec::CodecId::Opus, 48000, 111}, {codec::CodecId::G729, 8000, 18}};

struct Stream {
  uint16_t seq;
  uint32_t ts;
  uint32_t ssrc;
};

uint8_t g_pkt[12 + 2048];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t c = data[0];
  Host host;
  host.now = 1000;
  mix::MixConfig cfg;
  cfg.mixRate = (c & 1) ? 16000 : 8000;
  cfg.seed = 1;
  const char* err = nullptr;
  std::unique_ptr<mix::CallMix> m = mix::CallMix::Create(cfg, &host, &err);
  CHECK(m != nullptr);
  Codec pc[3];
  pc[0] = pc[1] = kCodecs[(c >> 1) & 3];
  pc[2] = kCodecs[(c >> 3) & 3];
  const int peers[3] = {1, 0, -1};
  for (int i = 0; i < 3; i++) CHECK(m->SetParticipant(i, {pc[i].id, pc[i].clock, pc[i].pt, 101, peers[i]}) == 0);
  m->SetGain(1, 0, 1);
  m->SetGain(0, 1, 1);
  m->SetGain(2, 0, 1);
  m->SetGain(2, 1, 1);
  if (c & 0x20) m->SetGain(1, 2, 1);
  m->Prewarm(2);
  m->Observe(0);
  m->SetObserved(0, true);
  m->SetTap(1, 2);
  m->Reconfigure();
  std::vector<int16_t> beep(1600);
  for (size_t i = 0; i < beep.size(); i++) beep[i] = static_cast<int16_t>(8000 * std::sin(i * 0.3));

  Stream st[3] = {{100, 1000, 0x1111}, {200, 2000, 0x2222}, {300, 3000, 0x3333}};
  mix::OutputStats prev[3];
  for (int i = 0; i < 3; i++) m->ReadOutputStats(i, &prev[i]);
  size_t pos = 1;
  auto byte = [&]() -> uint8_t { return pos < size ? data[pos++] : 0; };
  for (int ops = 0; pos < size && ops < 1024; ops++) {
    const uint8_t op = data[pos++];
    const int who = (op >> 3) % 3;
    bool recreated = false;
    switch (op % 8) {
      case 0:
      case 1:
      case 2:
      case 3: {
        const uint8_t a = byte(), b = byte(), l = byte();
        Stream& s = st[who];
        s.seq = static_cast<uint16_t>(s.seq + static_cast<int8_t>(a));
        const uint32_t step = static_cast<uint32_t>(pc[who].clock / 50);
        s.ts += (b & 0x80) ? static_cast<uint32_t>(static_cast<int8_t>(b << 1)) * step / 4 : step;
        if ((b & 0x60) == 0x60) s.ssrc ^= static_cast<uint32_t>(a) << 8;
        static const int kKinds[4] = {-1, 13, 101, 96};
        const int k = kKinds[(b >> 2) & 3];
        const int pt = (op & 0x40) == 0 || k < 0 ? pc[who].pt : k;
        const size_t len = (op & 0x80) ? static_cast<size_t>(l) * 8 : l;  // up to 2040 bytes
        // Payload: the next input bytes, then a pattern (so small inputs still make large packets).
        const size_t take = len < size - pos ? len : size - pos;
        for (size_t i = take; i < len; i++) g_pkt[12 + i] = static_cast<uint8_t>(0x55 ^ i ^ a);
        g_pkt[0] = 0x80;
        g_pkt[1] = static_cast<uint8_t>(((b & 1) ? 0x80 : 0) | pt);
        g_pkt[2] = s.seq >> 8;
        g_pkt[3] = s.seq & 0xff;
        for (int i = 0; i < 4; i++) g_pkt[4 + i] = static_cast<uint8_t>(s.ts >> (24 - 8 * i));
        for (int i = 0; i < 4; i++) g_pkt[8 + i] = static_cast<uint8_t>(s.ssrc >> (24 - 8 * i));
        std::memcpy(g_pkt + 12, data + pos, take);
        pos += take;
        host.now += (a & 0x0f) * 0.75;
        std::unique_ptr<uint8_t[]> d(new uint8_t[12 + len]);  // exact size: ASan sees any read past it
        std::memcpy(d.get(), g_pkt, 12 + len);
        rtp::RtpView v;
        CHECK(rtp::ParseRtp(d.get(), 12 + len, &v) == rtp::V_OK);
        m->OnRtp(who, d.get(), 12 + len, v, host.now, (a & 0x10) == 0);
        break;
      }
      case 4: {
        const uint8_t a = byte();
        host.now += a / 4.0 + ((ops & 15) == 15 ? 3000 : 0);
        m->Tick(host.now);
        break;
      }
      case 5: {
        size_t len = byte();
        if (len > size - pos) len = size - pos;
        std::unique_ptr<uint8_t[]> d(new uint8_t[len + 1]);
        std::memcpy(d.get(), data + pos, len);
        pos += len;
        rtp::RtpView v;
        if (rtp::ParseRtp(d.get(), len, &v) == rtp::V_OK) m->OnRtp(who, d.get(), len, v, host.now, true);
        break;
      }
      case 6: {
        const uint8_t a = byte(), b = byte();
        if ((a & 3) == 3) {
          if (b & 1) m->AddPrompt(who, beep.data(), (b >> 1) * 12, 1 + (b >> 6));
          else m->StopPrompts(who);
          if (b & 0x80) m->SetPromptGain(who, (b & 0x7f) / 32.0);
        } else {
          const int in = (who + 1 + (a & 1)) % 3;
          static const double kGains[8] = {0, 1, 0.5, 0.25, 2, 1, 0, 8};
          m->SetGain(who, in, kGains[(b >> 5) & 7]);
          m->Reconfigure();
        }
        break;
      }
      default: {
        const uint8_t a = byte();
        if ((a & 3) == 0) {
          host.dest[who] = !host.dest[who];
        } else if ((a & 3) == 1) {
          const Codec nc = kCodecs[(a >> 2) & 3];
          const int peer = (a & 0x40) ? -1 : peers[who];
          if (nc.id != pc[who].id || peer != peers[who]) recreated = nc.id != pc[who].id;
          CHECK(m->SetParticipant(who, {nc.id, nc.clock, nc.pt, 101, peer}) == 0);
          pc[who] = nc;
          m->Reconfigure();
        } else if ((a & 3) == 2) {
          m->RemoveParticipant(who);
          m->Reconfigure();
          CHECK(!m->HasOutput(who));
          CHECK(m->SetParticipant(who, {pc[who].id, pc[who].clock, pc[who].pt, 101, peers[who]}) == 0);
          m->SetGain(who, (who + 1) % 3, 1);
          m->Reconfigure();
          recreated = true;
        } else {
          m->Observe(who);
          m->Prewarm(who);
          m->SetTap(who, (who + 2) % 3);
        }
        break;
      }
    }
    for (int i = 0; i < 3; i++) {
      mix::OutputStats s;
      m->ReadOutputStats(i, &s);
      if (!(recreated && i == who)) {
        CHECK(s.framesMixed >= prev[i].framesMixed && s.framesByTimer >= prev[i].framesByTimer &&
              s.packetsForwarded >= prev[i].packetsForwarded && s.framesSkipped >= prev[i].framesSkipped);
      }
      CHECK(s.mode >= 0 && s.mode <= 3);  // 0 idle, 1 passthrough, 2 mix, 3 transcode (call_mix.h OutputStats)
      prev[i] = s;
    }
  }
  CHECK(host.sink != 0xffffffffu);
  return 0;
}
