// Decimating FIR (+ optional biquad on the output) for src/dsp/decimator.ts: int16 in at the input rate,
// doubles out at input / factor. The taps come from TypeScript (one design, in decimator.ts).
//
// decimatorCreate(factor 1..64, taps: Float64Array (1..1024), hp: Float64Array(5) | null): handle.
//   hp = [b0, b1, b2, a1, a2]: a direct-form-I biquad run on every output sample (src/dsp/biquad.ts).
// decimatorProcess(h, input: Int16Array, offset, samples, out: Float64Array, outOffset): outputs written
//   (floor((phase + samples) / factor)), or ERR_ARG / ERR_SPACE (out too small: nothing consumed) / ERR_CLOSED.
// decimatorReset(h): 0. Clears the history, the decimation phase and the biquad state.
// State (history, phase) carries across calls, so any block size may be fed. Nothing is allocated per call.
// The dot product runs on four partial sums (the sequential sum is add-latency bound); it differs from the
// TypeScript loop in rounding only (~1e-16 relative).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "../handle.h"
#include "dsp_binding.h"

namespace wn {

constexpr Kind kKindDecimator = static_cast<Kind>(41);

namespace {

struct Decimator {
  uint32_t factor;
  uint32_t ntaps;
  std::vector<double> taps;
  std::vector<double> line;  // 2 * ntaps: written at pos and pos + ntaps, so a contiguous window exists
  uint32_t pos = 0;
  uint32_t phase = 0;
  bool hp = false;
  double b0 = 0, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
};

void FreeDecimator(void* s) { delete static_cast<Decimator*>(s); }

inline double Dot(const double* h, const double* x, uint32_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  uint32_t k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += h[k] * x[k];
    s1 += h[k + 1] * x[k + 1];
    s2 += h[k + 2] * x[k + 2];
    s3 += h[k + 3] * x[k + 3];
  }
  for (; k < n; k++) s0 += h[k] * x[k];
  return (s0 + s1) + (s2 + s3);
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t factor;
  double* taps;
  size_t ntaps;
  if (!IndexArg(info, 0, 64, factor) || factor < 1 || !Float64ArrayArg(info, 1, taps, ntaps) || ntaps < 1 ||
      ntaps > 1024) {
    Napi::RangeError::New(env, "decimatorCreate(factor 1..64, taps: Float64Array(1..1024), hp: Float64Array(5) | null)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  double* hp = nullptr;
  size_t hpLen = 0;
  if (info.Length() > 2 && !info[2].IsNull() && !info[2].IsUndefined()) {
    if (!Float64ArrayArg(info, 2, hp, hpLen) || hpLen != 5) {
      Napi::RangeError::New(env, "decimatorCreate: hp must be a Float64Array [b0, b1, b2, a1, a2] or null")
          .ThrowAsJavaScriptException();
      return env.Null();
    }
  }
  Decimator* d = new Decimator();
  d->factor = factor;
  d->ntaps = static_cast<uint32_t>(ntaps);
  d->taps.assign(taps, taps + ntaps);
  d->line.assign(2 * ntaps, 0.0);
  if (hp != nullptr) {
    d->hp = true;
    d->b0 = hp[0];
    d->b1 = hp[1];
    d->b2 = hp[2];
    d->a1 = hp[3];
    d->a2 = hp[4];
  }
  return MakeHandle(env, kKindDecimator, d, FreeDecimator);
}

Napi::Value Process(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Decimator* d = static_cast<Decimator*>(StateOf(info, 0, kKindDecimator));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  int16_t* in;
  uint32_t samples;
  double* out;
  size_t outLen;
  uint32_t outOff;
  if (!Int16SpanArg(info, 1, UINT32_MAX, in, samples) || !Float64ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  const uint32_t factor = d->factor, ntaps = d->ntaps;
  const uint64_t produce = (static_cast<uint64_t>(d->phase) + samples) / factor;
  if (static_cast<uint64_t>(outOff) + produce > outLen) return Int(env, ERR_SPACE);
  double* o = out + outOff;
  const double* h = d->taps.data();
  double* line = d->line.data();
  uint32_t pos = d->pos, phase = d->phase;
  uint32_t written = 0;
  for (uint32_t i = 0; i < samples; i++) {
    const double v = in[i];
    line[pos] = v;
    line[pos + ntaps] = v;
    if (++pos == ntaps) pos = 0;
    if (++phase == factor) {
      phase = 0;
      // line[pos .. pos + ntaps) holds the last ntaps samples, oldest first.
      double y = Dot(h, line + pos, ntaps);
      if (d->hp) {
        const double z = d->b0 * y + d->b1 * d->x1 + d->b2 * d->x2 - d->a1 * d->y1 - d->a2 * d->y2;
        d->x2 = d->x1;
        d->x1 = y;
        d->y2 = d->y1;
        d->y1 = z;
        y = z;
      }
      o[written++] = y;
    }
  }
  d->pos = pos;
  d->phase = phase;
  return Int(env, static_cast<int32_t>(written));
}

Napi::Value Reset(const Napi::CallbackInfo& info) {
  Decimator* d = static_cast<Decimator*>(StateOf(info, 0, kKindDecimator));
  if (d == nullptr) return Int(info.Env(), ERR_CLOSED);
  std::fill(d->line.begin(), d->line.end(), 0.0);
  d->pos = d->phase = 0;
  d->x1 = d->x2 = d->y1 = d->y2 = 0;
  return Int(info.Env(), 0);
}

}  // namespace

void InitDecimator(Napi::Env env, Napi::Object exports) {
  exports.Set("decimatorCreate", Napi::Function::New(env, Create, "decimatorCreate"));
  exports.Set("decimatorProcess", Napi::Function::New(env, Process, "decimatorProcess"));
  exports.Set("decimatorReset", Napi::Function::New(env, Reset, "decimatorReset"));
}

}  // namespace wn
