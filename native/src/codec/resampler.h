// Mono int16 sample-rate conversion for the media plane (speexdsp resampler, windowed-sinc polyphase,
// quality 0..10), pure C++. No skip_zeros: 20 ms in gives 20 ms out for integer-related rates (the
// filter's group delay stays in the stream). One instance per stream and thread; no allocation per call.
#pragma once
#include "codec.h"

struct SpeexResamplerState_;

namespace wn {
namespace codec {

class Resampler {
 public:
  // inRate/outRate 1000..384000, quality 0..10. nullptr and *error on bad arguments.
  static std::unique_ptr<Resampler> Create(int inRate, int outRate, int quality, const char** error);
  ~Resampler();
  // Resample in[0..n) into out[0..cap): all input is consumed. Samples written, kErrSpace if out
  // cannot take it all (the input is then partly consumed: reset() before reuse), kErrArg.
  int process(const int16_t* in, size_t n, int16_t* out, size_t cap);
  void reset();
  // Group delay in output samples.
  int outputLatency() const;

 private:
  explicit Resampler(SpeexResamplerState_* st) : st_(st) {}
  SpeexResamplerState_* st_;
};

}  // namespace codec
}  // namespace wn
