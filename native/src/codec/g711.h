// G.711 μ-law (PCMU) / A-law (PCMA) at 8000 Hz (or the clock rate an SDP names: PCMU/16000, one
// sample per byte at that rate, as rtpengine runs it) with ITU-T G.711 Appendix I style concealment.
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
  explicit G711Decoder(bool alaw, int rate = 8000) : table_(alaw ? kAlawToLinear : kUlawToLinear), rate_(rate) {}
  int sampleRate() const override { return rate_; }
  // 1 byte .. 120 ms per payload (960 bytes at 8000 Hz), one sample per byte.
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  int conceal(int16_t* out, size_t samples) override;
  void reset() override { plc_.reset(); }
  const G711Plc& plc() const { return plc_; }

 private:
  const int16_t* table_;
  int rate_;
  G711Plc plc_;
};

class G711Encoder final : public FrameEncoder {
 public:
  explicit G711Encoder(bool alaw, int rate = 8000) : table_(alaw ? kLinearToAlaw : kLinearToUlaw), rate_(rate) {}
  int sampleRate() const override { return rate_; }
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override {}

 private:
  const uint8_t* table_;
  int rate_;
};

}  // namespace codec
}  // namespace wn
