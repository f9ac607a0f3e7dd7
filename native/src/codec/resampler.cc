// speexdsp resampler kernel; see resampler.h. native/src/resampler.cc binds it for JS.
#include "resampler.h"
#include <new>
#include <speex/speex_resampler.h>

namespace wn {
namespace codec {

std::unique_ptr<Resampler> Resampler::Create(int inRate, int outRate, int quality, const char** error) {
  if (inRate < 1000 || inRate > 384000 || outRate < 1000 || outRate > 384000 || quality < 0 || quality > 10) {
    *error = "resampler: inRate 1000..384000, outRate 1000..384000, quality 0..10";
    return nullptr;
  }
  int err = 0;
  SpeexResamplerState* st = speex_resampler_init(1, static_cast<spx_uint32_t>(inRate), static_cast<spx_uint32_t>(outRate), quality, &err);
  if (st == nullptr || err != RESAMPLER_ERR_SUCCESS) {
    if (st != nullptr) speex_resampler_destroy(st);
    *error = speex_resampler_strerror(err);
    return nullptr;
  }
  Resampler* r = new (std::nothrow) Resampler(st);
  if (r == nullptr) {
    speex_resampler_destroy(st);
    *error = "out of memory";
  }
  return std::unique_ptr<Resampler>(r);
}

Resampler::~Resampler() { speex_resampler_destroy(st_); }

int Resampler::process(const int16_t* in, size_t n, int16_t* out, size_t cap) {
  if ((in == nullptr && n > 0) || n > 0x7fffffff) return kErrArg;
  spx_uint32_t consumed = static_cast<spx_uint32_t>(n);
  spx_uint32_t produced = out == nullptr ? 0 : static_cast<spx_uint32_t>(cap > 0x7fffffff ? 0x7fffffff : cap);
  int16_t dummy = 0;
  int err = speex_resampler_process_int(st_, 0, n > 0 ? in : &dummy, &consumed, out != nullptr ? out : &dummy, &produced);
  if (err != RESAMPLER_ERR_SUCCESS) return kErrArg;
  if (consumed < n) return kErrSpace;
  return static_cast<int>(produced);
}

void Resampler::reset() { speex_resampler_reset_mem(st_); }

int Resampler::outputLatency() const { return speex_resampler_get_output_latency(st_); }

}  // namespace codec
}  // namespace wn
