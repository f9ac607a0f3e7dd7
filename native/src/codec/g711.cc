// G.711 tables and Appendix I concealment; see g711.h. Every formula and every floating-point
// expression mirrors src/codec/g711.ts / g711Plc.ts in the same order (doubles, JS rounding), which
// is what makes the output bit-exact with the TS reference. Do not "simplify" the arithmetic.
#include "g711.h"
#include <cmath>

namespace wn {
namespace codec {

namespace {

int UlawDecodeFormula(int code) {
  int u = ~code & 0xff;
  int e = (u >> 4) & 7;
  int mag = (((u & 0x0f) << 3) + 132) << e;
  return (u & 0x80) ? 132 - mag : mag - 132;
}

int UlawEncodeFormula(int x) {
  int sign = 0;
  int mag = x;
  if (x < 0) {
    sign = 0x80;
    mag = ~x;
  }
  int m = (mag >> 2) + 33;
  if (m > 8191) m = 8191;
  int e = 0;
  while ((m >> (e + 6)) != 0) e++;
  int mantissa = (m >> (e + 1)) & 0x0f;
  return ~(sign | (e << 4) | mantissa) & 0xff;
}

int AlawDecodeFormula(int code) {
  int a = code ^ 0x55;
  int e = (a >> 4) & 7;
  int mantissa = a & 0x0f;
  int mag = e == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 264) << (e - 1);
  return (a & 0x80) ? mag : -mag;
}

int AlawEncodeFormula(int x) {
  int sign = 0x80;
  int mag = x;
  if (x < 0) {
    sign = 0;
    mag = ~x;
  }
  int m = mag >> 3;
  int code;
  if (m < 32) {
    code = m >> 1;
  } else {
    int e = 1;
    while ((m >> (e + 5)) != 0) e++;
    code = (e << 4) | ((m >> e) & 0x0f);
  }
  return (sign | code) ^ 0x55;
}

struct Tables {
  int16_t ulawToLinear[256];
  int16_t alawToLinear[256];
  uint8_t linearToUlaw[65536];
  uint8_t linearToAlaw[65536];
  Tables() {
    for (int c = 0; c < 256; c++) {
      ulawToLinear[c] = static_cast<int16_t>(UlawDecodeFormula(c));
      alawToLinear[c] = static_cast<int16_t>(AlawDecodeFormula(c));
    }
    for (int i = 0; i < 65536; i++) {
      int x = i < 32768 ? i : i - 65536;
      linearToUlaw[i] = static_cast<uint8_t>(UlawEncodeFormula(x));
      linearToAlaw[i] = static_cast<uint8_t>(AlawEncodeFormula(x));
    }
  }
};

const Tables kTables;  // built at load time (static initialisation), immutable afterwards

// JavaScript's Math.round: the nearest integer, ties towards +infinity. (x - floor(x) is exact.)
inline double JsRound(double x) {
  double f = std::floor(x);
  return (x - f >= 0.5) ? f + 1.0 : f;
}

constexpr int kMaxSamples = 960;  // 120 ms, the AudioDecoder contract
constexpr double kAttenuationPerSample = 0.2 / G711Plc::kFrame10ms;
constexpr int kSilenceAfter = 6 * G711Plc::kFrame10ms;
constexpr int kRecoveryIncrement = 32;
constexpr int kRecoveryMax = G711Plc::kFrame10ms;

}  // namespace

const int16_t* const kUlawToLinear = kTables.ulawToLinear;
const int16_t* const kAlawToLinear = kTables.alawToLinear;
const uint8_t* const kLinearToUlaw = kTables.linearToUlaw;
const uint8_t* const kLinearToAlaw = kTables.linearToAlaw;

// ---- G711Plc (g711Plc.ts) ----

void G711Plc::reset() {
  for (int i = 0; i < kHistoryLen; i++) history_[i] = 0;
  filled_ = 0;
  erased_ = 0;
}

void G711Plc::goodFrame(int16_t* pcm, size_t n) {
  if (erased_ > 0) {
    int erased10ms = (erased_ + kFrame10ms - 1) / kFrame10ms;  // Math.ceil for positive ints
    long len = joinLen_ + static_cast<long>(kRecoveryIncrement) * (erased10ms - 1);
    if (len > kRecoveryMax) len = kRecoveryMax;
    if (len > static_cast<long>(n)) len = static_cast<long>(n);
    int pos0 = erased_;
    for (long i = 0; i < len; i++) {
      double w = static_cast<double>(i + 1) / static_cast<double>(len + 1);
      double synth = synthAt(pos0 + static_cast<int>(i));
      pcm[i] = static_cast<int16_t>(JsRound((1 - w) * synth + w * pcm[i]));
    }
    erased_ = 0;
  }
  pushHistory(pcm, n);
}

int G711Plc::conceal(int16_t* out, size_t n) {
  if (erased_ == 0) startErasure();
  int start = erased_;
  for (size_t i = 0; i < n; i++) out[i] = synthAt(start + static_cast<int>(i));
  erased_ = start + static_cast<int>(n);
  concealed_ += n;
  pushHistory(out, n);
  return static_cast<int>(n);
}

int16_t G711Plc::synthAt(int pos) const {
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
  double r = JsRound(v);
  return static_cast<int16_t>(r > 32767 ? 32767 : r < -32768 ? -32768 : r);
}

int16_t G711Plc::cycle(int periods, int pos) const {
  int span = periods * pitch_;
  return pitchBuf_[kHistoryLen - span + (pos % span)];
}

void G711Plc::startErasure() {
  for (int i = 0; i < kHistoryLen; i++) pitchBuf_[i] = history_[i];
  pitch_ = findPitch();
  joinLen_ = pitch_ >> 2;
  int last = kHistoryLen - 1;
  joinOffset_ = pitchBuf_[last] - pitchBuf_[last - pitch_];
}

int G711Plc::findPitch() const {
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

double G711Plc::ncc(int lag, int step) const {
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

void G711Plc::pushHistory(const int16_t* pcm, size_t n) {
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

// ---- G711Decoder / G711Encoder (g711.ts) ----

int G711Decoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr || len == 0 || len > static_cast<size_t>(kMaxSamples)) return kErrPayload;
  if (out == nullptr || cap < len) return kErrSpace;
  const int16_t* t = table_;
  for (size_t i = 0; i < len; i++) out[i] = t[payload[i]];
  plc_.goodFrame(out, len);
  return static_cast<int>(len);
}

int G711Decoder::conceal(int16_t* out, size_t samples) {
  if (samples > kMaxFrameSamples) return kErrArg;
  if (out == nullptr && samples > 0) return kErrArg;
  return plc_.conceal(out, samples);
}

int G711Encoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  if ((pcm == nullptr && n > 0) || n > kMaxFrameSamples) return kErrArg;
  if (cap < n || (out == nullptr && n > 0)) return kErrSpace;
  const uint8_t* t = table_;
  for (size_t i = 0; i < n; i++) out[i] = t[static_cast<uint16_t>(pcm[i])];
  return static_cast<int>(n);
}

}  // namespace codec
}  // namespace wn
