// G.711 μ-law (PCMU) / A-law (PCMA) at 8000 Hz with ITU-T G.711 Appendix I style concealment.
// A port of the TypeScript reference (src/codec/g711.ts, src/codec/g711Plc.ts): same tables, same
// algorithm, same double-precision arithmetic and JS rounding (Math.round = round half up), so the
// output is bit-exact with the TS engine for the same calls (test/unit/native/codecKernels.test.ts).
#pragma once
#include "codec.h"
#include "waveform_plc.h"

namespace wn {
namespace codec {

// code → linear sample; (sample & 0xffff) → code. Built once at load time, read-only afterwards.
extern const int16_t* const kUlawToLinear;
extern const int16_t* const kAlawToLinear;
extern const uint8_t* const kLinearToUlaw;
extern const uint8_t* const kLinearToAlaw;

// Appendix I concealment for 8 kHz PCM (waveform_plc.h; see g711Plc.ts for the method). No allocation.
using G711Plc = WaveformPlc<1>;

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
