// The native twin of src/mix/EchoCanceller.ts, rule for rule: one input's echo canceller (speexdsp MDF,
// optionally its preprocessor's residual echo suppression), the whisper as the far end.
//   PushReference  the tapped supervisor's contribution (int16, as the OnMixed tap rounds it) in each
//                  frame mixed for the agent, appended to the reference ring at emission time;
//   Process        the agent's decoded audio (mix rate), cancelled in place in blocks of kAecFrameMs
//                  before it goes into the input's direct ring (so the customer and the bleed monitor's
//                  OnObserved get what is left after cancellation).
// Pairing: each near-end block takes the reference block at `cursor` (one block per block); at (re)sync
// the cursor is set one and a half blocks behind the newest reference; a lag outside [0, target + 3
// blocks] for kAecResyncBlocks blocks re-syncs; a reference not yet there is padded with silence. A
// packet that is not a whole number of blocks is not cancelled (counted).
// Create() allocates; PushReference/Process allocate nothing.
#pragma once
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace wn {
namespace mix {

constexpr int kAecFrameMs = 20;
constexpr int kAecRefRingMs = 1000;
constexpr int kAecResyncBlocks = 10;

class Aec {
 public:
  static std::unique_ptr<Aec> Create(int mixRate, int tailMs, bool residual) {
    std::unique_ptr<Aec> a(new (std::nothrow) Aec());
    if (!a) return nullptr;
    a->frame = mixRate * kAecFrameMs / 1000;
    a->tailMs = tailMs;
    a->residual = residual;
    int tail = static_cast<int>((static_cast<int64_t>(mixRate) * tailMs + 500) / 1000);
    if (tail < a->frame) tail = a->frame;
    a->st = speex_echo_state_init(a->frame, tail);
    if (a->st == nullptr) return nullptr;
    int r = mixRate;
    speex_echo_ctl(a->st, SPEEX_ECHO_SET_SAMPLING_RATE, &r);
    if (residual) {
      a->pre = speex_preprocess_state_init(a->frame, r);
      if (a->pre == nullptr) return nullptr;
      speex_preprocess_ctl(a->pre, SPEEX_PREPROCESS_SET_ECHO_STATE, a->st);
    }
    int size = 1;
    while (size < mixRate * kAecRefRingMs / 1000) size <<= 1;
    a->ring.assign(static_cast<size_t>(size), 0);
    a->mask = size - 1;
    a->target = a->frame + a->frame / 2;
    a->play.assign(static_cast<size_t>(a->frame), 0);
    a->out.assign(static_cast<size_t>(a->frame), 0);
    return a;
  }

  ~Aec() {
    if (pre != nullptr) speex_preprocess_state_destroy(pre);
    if (st != nullptr) speex_echo_state_destroy(st);
  }

  // One frame mixed for the agent: the reference's contribution (nullptr: not a source, silence).
  void PushReference(const int16_t* contrib, int n) {
    for (int i = 0; i < n; i++) ring[static_cast<size_t>((refW + i) & mask)] = contrib != nullptr ? contrib[i] : 0;
    refW += n;
  }

  // Cancel the echo in pcm[0..n) in place.
  void Process(int16_t* pcm, int n) {
    const int f = frame;
    if (n % f != 0) {
      bypassed++;
      return;
    }
    for (int b = 0; b < n; b += f) {
      int64_t lag = refW - cursor;
      if (!synced || drift >= kAecResyncBlocks) {
        if (synced) resyncs++;
        synced = true;
        drift = 0;
        cursor = refW - target;
        lag = target;
      }
      if (lag < 0 || lag > target + 3 * f) drift++;
      else drift = 0;
      if (lag < f) {
        for (int64_t p = refW; p < cursor + f; p++) ring[static_cast<size_t>(p & mask)] = 0;
        if (refW < cursor + f) refW = cursor + f;
        underruns++;
      }
      for (int i = 0; i < f; i++) play[static_cast<size_t>(i)] = ring[static_cast<size_t>((cursor + i) & mask)];
      cursor += f;
      speex_echo_cancellation(st, pcm + b, play.data(), out.data());
      if (pre != nullptr) speex_preprocess_run(pre, out.data());
      for (int i = 0; i < f; i++) pcm[b + i] = out[static_cast<size_t>(i)];
      blocks++;
    }
  }

  void Reset() {
    speex_echo_state_reset(st);
    synced = false;
    drift = 0;
  }

  int tailMs = 0;
  bool residual = false;
  double blocks = 0;
  double resyncs = 0;
  double underruns = 0;
  double bypassed = 0;

 private:
  Aec() = default;
  SpeexEchoState* st = nullptr;
  SpeexPreprocessState* pre = nullptr;
  int frame = 160;
  std::vector<int16_t> ring;
  int64_t mask = 0;
  int64_t target = 0;
  int64_t refW = 0;
  int64_t cursor = 0;
  bool synced = false;
  int drift = 0;
  std::vector<int16_t> play;
  std::vector<int16_t> out;
};

}  // namespace mix
}  // namespace wn
