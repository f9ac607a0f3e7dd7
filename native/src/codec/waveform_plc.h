// Waveform packet-loss concealment (ITU-T G.711 Appendix I style) for any 8 kHz multiple; see the class.
// Header-only (a template). Every floating-point expression mirrors src/codec/g711Plc.ts in the same
// order (doubles, JS rounding): with S = 1 the output is bit-exact with the TS reference.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace wn {
namespace codec {

namespace plc_detail {
// JavaScript's Math.round: the nearest integer, ties towards +infinity. (x - floor(x) is exact.)
inline double JsRound(double x) {
  double f = std::floor(x);
  return (x - f >= 0.5) ? f + 1.0 : f;
}
}  // namespace plc_detail

// ITU-T G.711 Appendix I style waveform concealment (the method of src/codec/g711Plc.ts) for PCM at
// S x 8 kHz: every length (10 ms frame, pitch range 66.7-200 Hz, correlation window, history, silence
// after 60 ms, recovery cross-fade) scales with S, so the behaviour in time and pitch is the same at
// 8 kHz (S = 1: G711Plc, bit-exact with the TS reference) and 16 kHz (S = 2: G.722). No allocation.
template <int S>
class WaveformPlc {
 public:
  static constexpr int kFrame10ms = 80 * S;
  static constexpr int kPitchMin = 40 * S;
  static constexpr int kPitchMax = 120 * S;
  static constexpr int kCorrLen = 160 * S;
  static constexpr int kHistoryLen = 3 * kPitchMax + 30 * S;  // 390 at 8 kHz
  static constexpr double kAttenuationPerSample = 0.2 / kFrame10ms;
  static constexpr int kSilenceAfter = 6 * kFrame10ms;
  static constexpr int kRecoveryIncrement = 32 * S;
  static constexpr int kRecoveryMax = kFrame10ms;

  void reset();
  bool concealing() const { return erased_ > 0; }
  // Decoded samples pcm[0..n): cross-faded in place after an erasure, then into the history.
  void goodFrame(int16_t* pcm, size_t n);
  // n samples of concealment into out. Returns n.
  int conceal(int16_t* out, size_t n);
  uint64_t concealedSamples() const { return concealed_; }

 private:
  int16_t synthAt(int pos) const;
  int16_t cycle(int periods, int pos) const;
  void startErasure();
  int findPitch() const;
  double ncc(int lag, int step) const;
  void pushHistory(const int16_t* pcm, size_t n);

  int16_t history_[kHistoryLen] = {};
  int16_t pitchBuf_[kHistoryLen] = {};
  int filled_ = 0;
  int erased_ = 0;  // samples concealed in the current erasure
  int pitch_ = kPitchMin;
  int joinLen_ = kPitchMin >> 2;
  int joinOffset_ = 0;
  uint64_t concealed_ = 0;
};

template <int S>
inline void WaveformPlc<S>::reset() {
  for (int i = 0; i < kHistoryLen; i++) history_[i] = 0;
  filled_ = 0;
  erased_ = 0;
}

template <int S>
inline void WaveformPlc<S>::goodFrame(int16_t* pcm, size_t n) {
  if (erased_ > 0) {
    int erased10ms = (erased_ + kFrame10ms - 1) / kFrame10ms;  // Math.ceil for positive ints
    long len = joinLen_ + static_cast<long>(kRecoveryIncrement) * (erased10ms - 1);
    if (len > kRecoveryMax) len = kRecoveryMax;
    if (len > static_cast<long>(n)) len = static_cast<long>(n);
    int pos0 = erased_;
    for (long i = 0; i < len; i++) {
      double w = static_cast<double>(i + 1) / static_cast<double>(len + 1);
      double synth = synthAt(pos0 + static_cast<int>(i));
      pcm[i] = static_cast<int16_t>(plc_detail::JsRound((1 - w) * synth + w * pcm[i]));
    }
    erased_ = 0;
  }
  pushHistory(pcm, n);
}

template <int S>
inline int WaveformPlc<S>::conceal(int16_t* out, size_t n) {
  if (erased_ == 0) startErasure();
  int start = erased_;
  for (size_t i = 0; i < n; i++) out[i] = synthAt(start + static_cast<int>(i));
  erased_ = start + static_cast<int>(n);
  concealed_ += n;
  pushHistory(out, n);
  return static_cast<int>(n);
}

template <int S>
inline int16_t WaveformPlc<S>::synthAt(int pos) const {
  if (pos >= kSilenceAfter || filled_ == 0) return 0;
  int periods = pos < kFrame10ms ? 1 : pos < 2 * kFrame10ms ? 2 : 3;
  double v = cycle(periods, pos);
  int intoSwitch = pos - (periods - 1) * kFrame10ms;
  if (periods > 1 && intoSwitch < joinLen_) {
    double w = static_cast<double>(intoSwitch + 1) / static_cast<double>(joinLen_ + 1);
    v = (1 - w) * cycle(periods - 1, pos) + w * v;
  }
  if (pos < joinLen_) {
    v += joinOffset_ * (1 - static_cast<double>(pos) / static_cast<double>(joinLen_));
  }
  if (pos >= kFrame10ms) v *= 1 - kAttenuationPerSample * (pos - kFrame10ms);
  double r = plc_detail::JsRound(v);
  return static_cast<int16_t>(r > 32767 ? 32767 : r < -32768 ? -32768 : r);
}

template <int S>
inline int16_t WaveformPlc<S>::cycle(int periods, int pos) const {
  int span = periods * pitch_;
  return pitchBuf_[kHistoryLen - span + (pos % span)];
}

template <int S>
inline void WaveformPlc<S>::startErasure() {
  for (int i = 0; i < kHistoryLen; i++) pitchBuf_[i] = history_[i];
  pitch_ = findPitch();
  joinLen_ = pitch_ >> 2;
  int last = kHistoryLen - 1;
  joinOffset_ = pitchBuf_[last] - pitchBuf_[last - pitch_];
}

template <int S>
inline int WaveformPlc<S>::findPitch() const {
  int best = kPitchMin;
  double bestScore = -INFINITY;
  for (int lag = kPitchMin; lag <= kPitchMax; lag += 2) {
    double score = ncc(lag, 2);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  int coarse = best;
  bestScore = -INFINITY;
  for (int lag = coarse - 1; lag <= coarse + 1; lag++) {
    if (lag < kPitchMin || lag > kPitchMax) continue;
    double score = ncc(lag, 1);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

template <int S>
inline double WaveformPlc<S>::ncc(int lag, int step) const {
  // Integer sums are exact (< 2^53) in both languages; the division and sqrt are IEEE-correct.
  double cross = 0;
  double energy = 1;
  for (int n = kHistoryLen - kCorrLen; n < kHistoryLen; n += step) {
    int past = pitchBuf_[n - lag];
    cross += static_cast<double>(pitchBuf_[n] * past);
    energy += static_cast<double>(past * past);
  }
  return cross / std::sqrt(energy);
}

template <int S>
inline void WaveformPlc<S>::pushHistory(const int16_t* pcm, size_t n) {
  if (n >= static_cast<size_t>(kHistoryLen)) {
    for (int i = 0; i < kHistoryLen; i++) history_[i] = pcm[n - kHistoryLen + i];
  } else {
    int k = static_cast<int>(n);
    for (int i = 0; i + k < kHistoryLen; i++) history_[i] = history_[i + k];
    for (int i = 0; i < k; i++) history_[kHistoryLen - k + i] = pcm[i];
  }
  long f = static_cast<long>(filled_) + static_cast<long>(n);
  filled_ = f > kHistoryLen ? kHistoryLen : static_cast<int>(f);
}

}  // namespace codec
}  // namespace wn
