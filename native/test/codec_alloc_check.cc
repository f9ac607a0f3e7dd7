// Checks the house rule "no allocation per frame" on the frame codec kernels (native/src/codec/):
// malloc/calloc/realloc/memalign (and so operator new) are interposed and counted while frames are
// encoded, decoded, concealed, recovered and resampled, after construction. Driven by
// test/unit/native/codecAlloc.test.ts, which compiles this file with the kernels and runs it.
// Output: one line per case "<name> frames=<n> allocations=<k> bad=<errors> reset_allocations=<k>", and "probe allocations=<k>" proving the
// counter sees an allocation (so a 0 above is not vacuous). Exit 0 = every case allocated nothing.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "../src/codec/codec.h"
#include "../src/codec/resampler.h"

#include "alloc_count.h"

using namespace wn::codec;

static int16_t g_pcm[48000];
static uint8_t g_payload[kMaxPayloadBytes];
static int16_t g_out[kMaxFrameSamples];

static void SpeechLike(int rate) {
  uint32_t seed = 7;
  for (int i = 0; i < rate; i++) {
    seed = seed * 1103515245u + 12345u;
    double f0 = 120 + 30 * std::sin(i / static_cast<double>(rate));
    double v = 0;
    for (int h = 1; h <= 10; h++) v += std::sin(2 * M_PI * f0 * h * i / rate) / h;
    bool silent = (i / (rate / 5)) % 3 == 2;  // 200 ms pauses, so DTX/VAD paths run too
    g_pcm[i] = silent ? 0 : static_cast<int16_t>(4000 * v + static_cast<int>((seed >> 16) % 400) - 200);
  }
}

static bool RunCase(const char* name, CodecConfig cfg) {
  const char* err = nullptr;
  std::unique_ptr<FrameEncoder> enc = CreateEncoder(cfg, &err);
  std::unique_ptr<FrameDecoder> dec = CreateDecoder(cfg, &err);
  if (!enc || !dec) {
    std::printf("%s create failed: %s\n", name, err ? err : "?");
    return false;
  }
  SpeechLike(cfg.sampleRate);
  const size_t frame = static_cast<size_t>(cfg.sampleRate) / 50;
  const int frames = 50;
  int bad = 0;
  g_allocations = 0;
  g_counting = true;
  uint8_t next[kMaxPayloadBytes];
  int nextLen = enc->encode(g_pcm, frame, next, sizeof next);
  for (int f = 0; f < frames; f++) {
    int len = nextLen;
    for (int i = 0; i < len; i++) g_payload[i] = next[i];
    nextLen = enc->encode(g_pcm + ((f + 1) % frames) * frame, frame, next, sizeof next);
    int r;
    if (f % 5 == 4) r = nextLen > 0 ? dec->recover(next, static_cast<size_t>(nextLen), g_out, frame) : dec->conceal(g_out, frame);
    else if (len == 0) r = dec->conceal(g_out, frame);
    else r = dec->decode(g_payload, static_cast<size_t>(len), g_out, kMaxFrameSamples);
    if (r < 0) bad++;
    // Bad media on the same path: junk bytes, then too little room.
    for (int i = 0; i < 37; i++) g_payload[i] = static_cast<uint8_t>(f * 31 + i * 7);
    dec->decode(g_payload, 37, g_out, kMaxFrameSamples);
    dec->decode(g_payload, 0, g_out, kMaxFrameSamples);
    enc->encode(g_pcm, frame + 1, g_payload, sizeof g_payload);
  }
  g_counting = false;
  long frameAllocs = g_allocations;
  // reset() (SSRC change) separately: bcg729 has no reset, its channel is created anew (allocates).
  g_allocations = 0;
  g_counting = true;
  dec->reset();
  enc->reset();
  dec->conceal(g_out, frame);
  g_counting = false;
  std::printf("%s frames=%d allocations=%ld bad=%d reset_allocations=%ld\n", name, frames, frameAllocs, bad, g_allocations);
  // bcg729 and opencore-amr have no reset: their reset() makes a fresh state (allocates, SSRC change only).
  const bool resetAllocates = cfg.id == CodecId::G729 || cfg.id == CodecId::AMR || cfg.id == CodecId::AMRWB;
  return frameAllocs == 0 && bad == 0 && (resetAllocates || g_allocations == 0);
}

int main() {
  bool ok = true;
  CodecConfig c;
  c.id = CodecId::PCMU; c.sampleRate = 8000; ok &= RunCase("PCMU", c);
  c.id = CodecId::PCMA; ok &= RunCase("PCMA", c);
  c.id = CodecId::G729; ok &= RunCase("G729", c);
  c.dtx = true; ok &= RunCase("G729-annexb", c);
  for (int rate : {8000, 16000, 48000}) {
    c = CodecConfig();
    c.id = CodecId::Opus; c.sampleRate = rate; c.inbandFec = true; c.packetLossPerc = 20; c.dtx = true;
    char name[32];
    std::snprintf(name, sizeof name, "opus-%d-fec-dtx", rate);
    ok &= RunCase(name, c);
  }
  // Issue 11 kernels: G.722 and GSM (spandsp), AMR / AMR-WB (opencore, vo-amrwbenc) in both packings.
  c = CodecConfig();
  c.id = CodecId::G722; c.sampleRate = 16000; ok &= RunCase("G722", c);
  c.id = CodecId::GSM; c.sampleRate = 8000; ok &= RunCase("GSM", c);
  c.id = CodecId::AMR; c.sampleRate = 8000; ok &= RunCase("AMR", c);
  c.octetAlign = true; ok &= RunCase("AMR-octet-align", c);
  c.id = CodecId::AMRWB; c.sampleRate = 16000; c.octetAlign = false; ok &= RunCase("AMR-WB", c);
  c.octetAlign = true; ok &= RunCase("AMR-WB-octet-align", c);
  // Resampler: 20 ms 8 kHz -> 48 kHz and back.
  {
    const char* err = nullptr;
    std::unique_ptr<Resampler> up = Resampler::Create(8000, 48000, 5, &err);
    std::unique_ptr<Resampler> down = Resampler::Create(48000, 8000, 5, &err);
    static int16_t wide[960];
    SpeechLike(8000);
    g_allocations = 0;
    g_counting = true;
    int bad = 0;
    for (int f = 0; f < 50; f++) {
      if (up->process(g_pcm + f * 160, 160, wide, 960) != 960) bad++;
      if (down->process(wide, 960, g_out, 160) != 160) bad++;
    }
    g_counting = false;
    std::printf("resampler frames=50 allocations=%ld bad=%d\n", g_allocations, bad);
    ok &= g_allocations == 0 && bad == 0;
  }
  // Probe: the counter does see allocations.
  g_allocations = 0;
  g_counting = true;
  {
    std::vector<int>* v = new std::vector<int>(100);
    delete v;
  }
  g_counting = false;
  std::printf("probe allocations=%ld\n", g_allocations);
  return ok ? 0 : 1;
}
