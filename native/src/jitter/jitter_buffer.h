// Adaptive jitter buffer of the native media plane: the C++ twin of src/jitter/JitterBuffer.ts (the
// reference implementation), rule for rule, so both engines play the same packet trace the same way
// (bit-exact output for G.711, whose decoder and concealment are bit-exact between the two engines).
// Pure C++: no N-API, no libuv, no allocation after construction, no locks, no logging, never throws.
// One instance belongs to one thread at a time (a media thread, or the test binding on Node's thread).
// Times are ms on one monotonic clock supplied by the caller (performance.now() origin); nothing here
// reads a clock. See the TS file for the playout model (NetEq-like: p95 target over 2 s clamped to
// [minDelayMs, maxDelayMs], loss vs hold, talkspurt placement, time-stretch limited to 100 ms/s).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "../codec/codec.h"
#include "../rtp/parse.h"

namespace wn {
namespace jitter {

// FrameKind (src/jitter/types.ts).
enum class FrameKind : int { NORMAL = 0, CONCEALED = 1, SILENCE = 2 };

// JitterBufferOptions (src/jitter/types.ts), same defaults.
struct Options {
  int clockRate = 8000;
  int frameMs = 20;
  int maxPackets = 64;
  int maxPayloadBytes = 1500;
  double minDelayMs = 20;
  double maxDelayMs = 200;
  double startDelayMs = 40;
  int cnPayloadType = 13;
  double maxConcealMs = 100;
  double silenceRms = 100;
};

// JitterStats (src/jitter/JitterStats.ts): same fields, same order, same meaning. `double` so a
// Float64Array copy of the struct is the wire format to JS (kStatsCount values, this order).
struct Stats {
  double packetsReceived = 0;
  double packetsDiscarded = 0;
  double packetsLost = 0;
  double packetsDuplicated = 0;
  double totalSamplesReceived = 0;
  double concealedSamples = 0;
  double silentConcealedSamples = 0;
  double concealmentEvents = 0;
  double insertedSamplesForDeceleration = 0;
  double removedSamplesForAcceleration = 0;
  double silenceSamples = 0;
  double jitterBufferDelay = 0;
  double jitterBufferTargetDelay = 0;
  double jitterBufferEmittedCount = 0;
  double jitter = 0;
  double currentDelayMs = 0;
  double targetDelayMs = 0;
  double flushes = 0;
  double ssrcChanges = 0;
  double resyncs = 0;
  double decodeErrors = 0;
};
constexpr int kStatsCount = sizeof(Stats) / sizeof(double);

class JitterBuffer {
 public:
  // `decoder` is borrowed (owned by the caller, outlives the buffer); its sampleRate() is the output
  // rate. Returns nullptr (and *error, a static string) on bad options. Allocates here only.
  static std::unique_ptr<JitterBuffer> Create(const Options& opts, codec::FrameDecoder* decoder, const char** error);
  ~JitterBuffer();

  // One parsed RTP packet (audio or CN of this stream); the payload is copied. arrivalMs must not decrease.
  void Put(const uint8_t* pkt, size_t len, const rtp::RtpView& view, double arrivalMs);
  // Write exactly frameSamples() samples (decoder rate) into out for playout at nowMs.
  FrameKind Get(int16_t* out, double nowMs);
  // Drop every buffered packet and playout state (keeps statistics and the learned target).
  void Reset();

  int frameSamples() const;
  int sampleRate() const;
  double targetDelayMs() const;
  const Stats& stats() const;

 private:
  JitterBuffer();
  struct Impl;
  Impl* impl_;
};

}  // namespace jitter
}  // namespace wn
