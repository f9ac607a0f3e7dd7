// G.711 μ-law (PCMU) / A-law (PCMA) at 8000 Hz with ITU-T G.711 Appendix I style concealment.
// A port of the TypeScript reference (src/codec/g711.ts, src/codec/g711Plc.ts): same tables, same
// algorithm, same double-precision arithmetic and JS rounding (Math.round = round half up), so the
// output is bit-exact with the TS engine for the same calls (test/unit/native/codecKernels.test.ts).
#pragma once
#include "codec.h"

namespace wn {
namespace codec {

// code → linear sample; (sample & 0xffff) → code. Built once at load time, read-only afterwards.
extern const int16_t* const kUlawToLinear;
extern const int16_t* const kAlawToLinear;
extern const uint8_t* const kLinearToUlaw;
extern const uint8_t* const kLinearToAlaw;

// Appendix I concealment for 8 kHz PCM (see g711Plc.ts for the method). No allocation.
class G711Plc {
 public:
  static constexpr int kFrame10ms = 80;
  static constexpr int kPitchMin = 40;
  static constexpr int kPitchMax = 120;
  static constexpr int kCorrLen = 160;
  static constexpr int kHistoryLen = 3 * kPitchMax + 30;  // 390

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

class G711Decoder final : public FrameDecoder {
 public:
  explicit G711Decoder(bool alaw) : table_(alaw ? kAlawToLinear : kUlawToLinear) {}
  int sampleRate() const override { return 8000; }
  // 1..960 bytes (120 ms) per payload, one sample per byte.
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  int conceal(int16_t* out, size_t samples) override;
  void reset() override { plc_.reset(); }
  const G711Plc& plc() const { return plc_; }

 private:
  const int16_t* table_;
  G711Plc plc_;
};

class G711Encoder final : public FrameEncoder {
 public:
  explicit G711Encoder(bool alaw) : table_(alaw ? kLinearToAlaw : kLinearToUlaw) {}
  int sampleRate() const override { return 8000; }
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override {}

 private:
  const uint8_t* table_;
};

}  // namespace codec
}  // namespace wn
