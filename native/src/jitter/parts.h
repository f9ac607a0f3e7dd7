// Private parts of the native jitter buffer (jitter_buffer.cc), each the C++ twin of one file of
// src/jitter/ (and src/codec/comfortNoise.ts), rule for rule and with the same double arithmetic in the
// same evaluation order, so a packet trace plays bit-exactly the same in both engines.
// Every array is allocated in the constructor (Init) and never again; every index is bounds-checked
// where the TS relies on typed arrays silently ignoring out-of-range writes.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "../codec/codec.h"
#include "jitter_buffer.h"

namespace wn {
namespace jitter {
namespace detail {

// JavaScript Math.round: round half towards +Infinity (Math.round(-2.5) == -2, Math.round(2.5) == 3).
inline double JsRound(double x) {
  if (!std::isfinite(x)) return x;
  const double r = std::floor(x);
  return (x - r >= 0.5) ? r + 1 : r;
}

// seqDiff / tsDiff (src/media/rtp.ts) on the values the TS passes (integers well inside int53).
inline int64_t SeqDiff(int64_t a, int64_t b) { return ((a - b + 0x8000) & 0xffff) - 0x8000; }
inline double TsDiff(double a, double b) {
  // (a - b) | 0: ToInt32 of an integer-valued double (both operands are uint32 or extended values).
  const double d = a - b;
  const double m = std::fmod(std::trunc(d), 4294967296.0);
  const uint32_t u = static_cast<uint32_t>(static_cast<int64_t>(m < 0 ? m + 4294967296.0 : m));
  return static_cast<double>(static_cast<int32_t>(u));
}

// ---- comfortNoise.ts ----------------------------------------------------------------------------------

// parseCnLevel: level byte of a CN payload (bit 7 ignored), or -4 if empty.
inline int ParseCnLevel(const uint8_t* payload, int len) { return len < 1 ? -4 : (payload[0] & 0x7f); }

class ComfortNoiseGenerator {
 public:
  // The PRNG state lives as long as the buffer (the TS never reseeds it either).
  void Generate(int level, int16_t* out, int n);

 private:
  uint32_t seed_ = 0x2545f491u;
};

// ---- PcmQueue.ts --------------------------------------------------------------------------------------

constexpr uint8_t RANK_SILENCE = 0;
constexpr uint8_t RANK_NORMAL = 1;
constexpr uint8_t RANK_CONCEALED = 2;

class PcmQueue {
 public:
  bool Init(int capacity);
  int avail() const { return end - start; }
  int capacity() const { return cap_; }
  int Reserve(int n);
  void Commit(int n, uint8_t rank, double arrivalMs);
  void Skip(int n);
  void Clear() { start = end = 0; }
  double MeanSquare(int from, int n) const;
  bool AllRank(int from, int n, uint8_t r) const;
  uint8_t Emit(int16_t* out, int n, double nowMs);
  bool DropFrame(int n, double quietMeanSquare, bool allowLoud, int xfade);

  std::unique_ptr<int16_t[]> samples;
  std::unique_ptr<uint8_t[]> rank;
  std::unique_ptr<double[]> arrival;
  int start = 0;
  int end = 0;
  double lastDelaySumMs = 0;
  double lastDecodedCount = 0;

 private:
  int cap_ = 0;
};

// ---- PacketStore.ts -----------------------------------------------------------------------------------

constexpr uint8_t SLOT_EMPTY = 0;
constexpr uint8_t SLOT_FULL = 1;
constexpr uint8_t SLOT_PLAYED = 2;
constexpr uint8_t PKT_MARKER = 1;
constexpr uint8_t PKT_CN = 2;

class PacketStore {
 public:
  bool Init(int maxPackets, int maxPayloadBytes);
  int64_t SlotOf(int64_t extSeq) const { return extSeq % capacity; }
  const uint8_t* Payload(int64_t slot) const { return slab.get() + slot * maxPayloadBytes; }
  bool Has(int64_t extSeq) const;
  bool WasPlayed(int64_t extSeq) const;
  int64_t Put(int64_t extSeq, double ts, double arrivalMs, uint8_t flags, const uint8_t* src, int length);
  void MarkPlayed(int64_t slot);
  void Drop(int64_t slot);
  int Clear();
  int64_t FirstFrom(int64_t from, int64_t to, double staleTs, double durTs);
  double TsStepFromPrevious(int64_t extSeq, double extTs) const;

  int64_t capacity = 0;
  int maxPayloadBytes = 0;
  std::unique_ptr<uint8_t[]> slab;
  std::unique_ptr<int64_t[]> seq;
  std::unique_ptr<double[]> ts;
  std::unique_ptr<double[]> arrival;
  std::unique_ptr<int32_t[]> len;
  std::unique_ptr<uint8_t[]> flags;
  std::unique_ptr<uint8_t[]> state;
  int count = 0;
  int staleDropped = 0;
};

// ---- DelayEstimator.ts (defaults: window 2000 ms, 1024 packets, 2 ms × 256 buckets, p95) ---------------

class DelayEstimator {
 public:
  bool Init();
  int count() const { return size_; }
  double minOffsetMs() const { return min_; }
  double Update(double arrivalMs, double mediaMs);
  double QuantileMs() const;
  void Reset();

 private:
  int BucketOf(double off) const;
  double ScanMin() const;
  void Rebuild();

  double windowMs_ = 2000;
  double quantile_ = 0.95;
  double bucketMs_ = 2;
  int capacity_ = 1024;
  int buckets_ = 256;
  std::unique_ptr<double[]> arrivals_;
  std::unique_ptr<double[]> offsets_;
  std::unique_ptr<uint32_t[]> hist_;
  int head_ = 0;
  int size_ = 0;
  double histRef_ = 0;
  double min_ = 0;
};

// ---- TargetDelay.ts -----------------------------------------------------------------------------------

class TargetDelay {
 public:
  void Init(double minDelayMs, double maxDelayMs, double startDelayMs);
  void OnArrival(double quantileMs, int count);
  void OnFrame(double frameMs);

  double targetMs = 0;
  double desiredMs = 0;

 private:
  double Clamp(double ms) const { return ms < minDelayMs_ ? minDelayMs_ : ms > maxDelayMs_ ? maxDelayMs_ : ms; }
  double minDelayMs_ = 20;
  double maxDelayMs_ = 200;
  double startDelayMs_ = 40;
  bool warmed_ = false;
};

// ---- ArrivalTracker.ts --------------------------------------------------------------------------------

class ArrivalTracker {
 public:
  void Begin(int64_t seq, double ts);
  int64_t ExtendSeq(int64_t seq) const { return highestSeq + SeqDiff(seq, highestSeq % 65536); }
  double ExtendTs(double ts) const { return highestTs + TsDiff(ts, highestRawTs_); }
  void Accept(int64_t extSeq, double extTs, double rawTs, double arrivalMs, double clockRate);
  double Lost() const {
    const double l = static_cast<double>(highestSeq - baseSeq_ + 1) - received_;
    return l > 0 ? l : 0;
  }
  double JitterSeconds(double clockRate) const { return jitterTs_ / clockRate; }
  void Reset() {
    started = false;
    received_ = 0;
    havePrev_ = false;
  }

  bool started = false;
  int64_t highestSeq = 0;
  double highestTs = 0;

 private:
  double highestRawTs_ = 0;
  int64_t baseSeq_ = 0;
  double received_ = 0;
  double prevArrivalMs_ = 0;
  double prevTs_ = 0;
  bool havePrev_ = false;
  double jitterTs_ = 0;
};

// ---- Concealer.ts -------------------------------------------------------------------------------------

class Concealer {
 public:
  void Init(codec::FrameDecoder* decoder, PcmQueue* pcm, Stats* stats, int maxRunSamples) {
    decoder_ = decoder;
    pcm_ = pcm;
    stats_ = stats;
    maxRunSamples_ = maxRunSamples;
  }
  void Conceal(int n, bool forLoss);
  void Silence(int n, bool dtx);
  void SetComfortNoiseLevel(int level) { cnLevel_ = level; }
  void EndRun() {
    run_ = 0;
    active_ = false;
  }
  void Reset() {
    EndRun();
    cnLevel_ = -1;
  }

 private:
  codec::FrameDecoder* decoder_ = nullptr;
  PcmQueue* pcm_ = nullptr;
  Stats* stats_ = nullptr;
  int maxRunSamples_ = 0;
  int run_ = 0;
  bool active_ = false;
  int cnLevel_ = -1;
  ComfortNoiseGenerator noise_;
};

}  // namespace detail
}  // namespace jitter
}  // namespace wn
