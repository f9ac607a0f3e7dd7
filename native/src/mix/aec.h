// The native twin of src/mix/EchoCanceller.ts, rule for rule: one input's echo canceller (speexdsp MDF,
// optionally its preprocessor's residual echo suppression), the whisper as the far end.
//   PushReference  the tapped supervisor's contribution (int16, as the OnMixed tap rounds it) in each
//                  frame mixed for the agent, appended to the reference ring at emission time;
//   Process        the agent's decoded audio (mix rate), cancelled in place in blocks of kAecFrameMs
//                  before it goes into the input's direct ring (so the customer and the bleed monitor's
//                  OnObserved get what is left after cancellation).
// Pairing (sample clock, not arrival order): each near-end block takes the reference block at `cursor`,
// which advances one block per near-end block. Until the first reference frame has been pushed the audio
// passes unchanged (nothing to pair it with: a pairing set against an empty ring would bind the near end
// to whenever the reference happens to start); then the cursor is set `target` (two blocks) behind the
// newest reference. The agent's packets and the frames mixed for the agent run on different clocks and
// may swap order by a block (the native mix emits on its own thread): two blocks of margin keep such a
// swap from reaching past the newest reference. A block whose reference has not (all) arrived is paired
// with silence for the missing part (counted in `underruns`) and the pairing is kept: the late reference
// lands at its own index and the adapted echo path stays aligned. (Padding the ring and moving its write
// index instead shifted the reference of every later frame for good; the filter then had to re-adapt.)
// A lag (judged as each reference frame arrives) outside [one block, target + 3 blocks] for
// kAecResyncBlocks frames in a row re-syncs: sustained drift, a run of lost agent packets, or a sync
// taken in the middle of a catch-up burst (a stalled mix emitting several frames at once: the near end
// then sits on the newest reference and every block would be paired with silence). Judged per near-end
// block instead, a burst of 10 queued agent packets after a stall re-synced in the middle of the burst
// and left the pairing off by the burst. A packet that is not a whole number of blocks is not cancelled (counted).
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
// Residual echo suppression (speexdsp's preprocessor fed the canceller's echo estimate): the deepest it
// may lower a block while the agent is talking (SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE; in the agent's
// pauses it keeps speexdsp's -40 dB). speexdsp's default, -15 dB, lowered the agent's own voice by 3.4 dB
// under a whisper with no leak at all; at -1 dB by 0.8 dB, and the echo removed in single talk on G.711 is
// within 0.4 dB of it (G.729 ~3 dB less, Opus ~1 dB; bench/aec.bench.ts, bench/results/2026-12-07-session14-aec/).
constexpr int kAecSuppressActiveDb = -1;

// speexdsp's preprocessor as the canceller's residual echo suppressor (nullptr if it cannot be made).
inline SpeexPreprocessState* CreateResidualSuppressor(int frame, int rate, SpeexEchoState* st, int activeDb) {
  SpeexPreprocessState* pre = speex_preprocess_state_init(frame, rate);
  if (pre == nullptr) return nullptr;
  speex_preprocess_ctl(pre, SPEEX_PREPROCESS_SET_ECHO_STATE, st);
  speex_preprocess_ctl(pre, SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE, &activeDb);
  return pre;
}

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
      a->pre = CreateResidualSuppressor(a->frame, r, a->st, kAecSuppressActiveDb);
      if (a->pre == nullptr) return nullptr;
    }
    int size = 1;
    while (size < mixRate * kAecRefRingMs / 1000) size <<= 1;
    a->ring.assign(static_cast<size_t>(size), 0);
    a->mask = size - 1;
    a->target = 2 * a->frame;
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
    // Drift is judged here, once per reference frame, not per near-end block: a burst of queued agent
    // packets after a stall (or of frames the mix catches up with) moves the lag for a moment only.
    if (synced) {
      const int64_t lag = refW - cursor;
      if (lag < frame || lag > target + 3 * frame) drift++;
      else drift = 0;
    }
  }

  // Cancel the echo in pcm[0..n) in place.
  void Process(int16_t* pcm, int n) {
    const int f = frame;
    if (n % f != 0) {
      bypassed++;
      return;
    }
    if (refW == 0) return;  // no reference yet: nothing to pair with (the start, or no output for it)
    for (int b = 0; b < n; b += f) {
      int64_t lag = refW - cursor;
      if (!synced || drift >= kAecResyncBlocks) {
        if (synced) resyncs++;
        synced = true;
        drift = 0;
        cursor = refW - target;
        lag = target;
      }
      const int64_t c = cursor;
      if (lag >= f) {
        for (int i = 0; i < f; i++) play[static_cast<size_t>(i)] = ring[static_cast<size_t>((c + i) & mask)];
      } else {
        // The reference of (part of) this block has not arrived: silence for that part, the pairing kept.
        for (int i = 0; i < f; i++) play[static_cast<size_t>(i)] = c + i < refW ? ring[static_cast<size_t>((c + i) & mask)] : 0;
        underruns++;
      }
      cursor = c + f;
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
