// Sample-rate conversion with the speexdsp resampler (windowed-sinc polyphase filter; quality 0..10):
// the N-API binding of the pure C++ kernel native/src/codec/resampler.{h,cc}, which the media threads
// use directly. Mono, 16-bit. No skip_zeros: every call returns a full share of output (the filter's
// group delay stays in the stream), so 20 ms in gives exactly 20 ms out for integer-related rates.
#include "resampler.h"
#include "codec/resampler.h"

namespace wn {

using codec::Resampler;

static void FreeResampler(void* s) { delete static_cast<Resampler*>(s); }

// resamplerCreate(inRate, outRate, quality): handle. Throws RangeError on bad rates/quality.
static Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t inRate, outRate, quality;
  if (!IndexArg(info, 0, 384000, inRate) || !IndexArg(info, 1, 384000, outRate) || !IndexArg(info, 2, 10, quality) ||
      inRate < 1000 || outRate < 1000) {
    Napi::RangeError::New(env, "resamplerCreate(inRate 1000..384000, outRate 1000..384000, quality 0..10)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  const char* error = "resampler creation failed";
  std::unique_ptr<Resampler> r =
      Resampler::Create(static_cast<int>(inRate), static_cast<int>(outRate), static_cast<int>(quality), &error);
  if (!r) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::Resampler, r.release(), FreeResampler);
}

// resamplerProcess(h, in: Int16Array, inOff, inLen, out: Int16Array, outOff): samples written.
// All input is consumed; ERR_SPACE if out (from outOff to its end) cannot take the result.
static Napi::Value Process(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* r = static_cast<Resampler*>(StateOf(info, 0, Kind::Resampler));
  if (r == nullptr) return Int(env, ERR_CLOSED);
  int16_t* in; uint32_t inLen; int16_t* out; size_t outSize; uint32_t outOff;
  if (!Int16SpanArg(info, 1, UINT32_MAX, in, inLen) || !Int16ArrayArg(info, 4, out, outSize) ||
      !IndexArg(info, 5, UINT32_MAX, outOff) || outOff > outSize)
    return Int(env, ERR_ARG);
  return Int(env, r->process(in, inLen, out + outOff, outSize - outOff));
}

// resamplerReset(h): 0. Clears the filter memory (stream discontinuity).
static Napi::Value Reset(const Napi::CallbackInfo& info) {
  auto* r = static_cast<Resampler*>(StateOf(info, 0, Kind::Resampler));
  if (r == nullptr) return Int(info.Env(), ERR_CLOSED);
  r->reset();
  return Int(info.Env(), 0);
}

// resamplerOutputLatency(h): the filter's group delay in output samples.
static Napi::Value OutputLatency(const Napi::CallbackInfo& info) {
  auto* r = static_cast<Resampler*>(StateOf(info, 0, Kind::Resampler));
  if (r == nullptr) return Int(info.Env(), ERR_CLOSED);
  return Int(info.Env(), r->outputLatency());
}

void InitResampler(Napi::Env env, Napi::Object exports) {
  exports.Set("resamplerCreate", Napi::Function::New(env, Create, "resamplerCreate"));
  exports.Set("resamplerProcess", Napi::Function::New(env, Process, "resamplerProcess"));
  exports.Set("resamplerReset", Napi::Function::New(env, Reset, "resamplerReset"));
  exports.Set("resamplerOutputLatency", Napi::Function::New(env, OutputLatency, "resamplerOutputLatency"));
}

}  // namespace wn
