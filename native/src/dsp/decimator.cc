// Decimating FIR (+ optional biquad on the output) for src/dsp/decimator.ts: int16 in at the input rate,
// doubles out at input / factor. The taps come from TypeScript (one design, in decimator.ts).
//
// decimatorCreate(factor 1..64, taps: Float64Array (1..1024), hp: Float64Array(5) | null): handle.
//   hp = [b0, b1, b2, a1, a2]: a direct-form-I biquad run on every output sample (src/dsp/biquad.ts).
// decimatorProcess(h, input: Int16Array, offset, samples, out: Float64Array, outOffset): outputs written
//   (floor((phase + samples) / factor)), or ERR_ARG / ERR_SPACE (out too small: nothing consumed) / ERR_CLOSED.
// decimatorReset(h): 0. Clears the history, the decimation phase and the biquad state.
// State (history, phase) carries across calls, so any block size may be fed. Nothing is allocated per call.
// Method: each call converts the input (in pieces of up to kBlock samples) into a linear buffer behind the
// last ntaps - 1 samples of history, then computes only the outputs (every factor-th input) as dot products
// over that buffer. The dot product runs on eight partial sums (the sequential sum is add-latency bound), so
// it differs from the TypeScript loop in rounding only (~1e-16 relative). Each output's biquad waits on the
// previous output (a multiply and two subtractions): its state stays in registers through a call.
// (Session 10 tried both of the detector's streams in one call: no measurable gain, bench/dsp-kernels.bench.ts.)
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../handle.h"
#include "dsp_binding.h"
#include "simd.h"

namespace wn {

constexpr Kind kKindDecimator = Kind::Decimator;

namespace {

constexpr uint32_t kBlock = 2048;

// The biquad's direct-form-I state.
struct BiquadState {
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
};

struct Decimator {
  uint32_t factor;
  uint32_t ntaps;
  std::vector<double> taps;  // padded with zeros to a multiple of 8
  std::vector<double> buf;   // [ntaps - 1 samples of history | up to kBlock new samples | 8 spare]
  BiquadState q;
  uint32_t phase = 0;
  bool hp = false;
  double b0 = 0, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};

void FreeDecimator(void* s) { delete static_cast<Decimator*>(s); }

// sum h[k] x[k], k < n8 (a multiple of 8; h is zero beyond the real taps), in eight partial sums (lane =
// k & 7) combined as ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)). kAvx2: two 4-lane vectors (RunAvx2);
// else four 2-lane SSE2 vectors (RunBase). The same lanes in the same order: bit-identical (simd.h).
template <bool kAvx2>
WN_ALWAYS_INLINE double Dot(const double* h, const double* x, uint32_t n8) {
  if (kAvx2) {
    v4d a = {0, 0, 0, 0}, b = {0, 0, 0, 0};
    for (uint32_t k = 0; k < n8; k += 8) {
      a += Load4(h + k) * Load4(x + k);
      b += Load4(h + k + 4) * Load4(x + k + 4);
    }
    const v2d s = (v2d{a[0], a[1]} + v2d{a[2], a[3]}) + (v2d{b[0], b[1]} + v2d{b[2], b[3]});
    return s[0] + s[1];
  }
  v2d s0 = {0, 0}, s1 = {0, 0}, s2 = {0, 0}, s3 = {0, 0};
  for (uint32_t k = 0; k < n8; k += 8) {
    s0 += Load2(h + k) * Load2(x + k);
    s1 += Load2(h + k + 2) * Load2(x + k + 2);
    s2 += Load2(h + k + 4) * Load2(x + k + 4);
    s3 += Load2(h + k + 6) * Load2(x + k + 6);
  }
  const v2d s = (s0 + s1) + (s2 + s3);
  return s[0] + s[1];
}

// The biquad on one output sample (direct form I, the arithmetic of HighPass.step), on state held in locals
// by the caller (the loop keeps it in registers: stored per output, it would add store-to-load latency to the
// chain from one output to the next).
WN_ALWAYS_INLINE double Biquad(double b0, double b1, double b2, double a1, double a2, BiquadState& c, double y) {
  const double z = b0 * y + b1 * c.x1 + b2 * c.x2 - a1 * c.y1 - a2 * c.y2;
  c.x2 = c.x1;
  c.x1 = y;
  c.y2 = c.y1;
  c.y1 = z;
  return z;
}

// Filter `samples` inputs into o; returns the outputs written. Compiled twice (simd.h): RunAvx2 and
// RunBase; Run picks one.
template <bool kAvx2>
WN_ALWAYS_INLINE uint32_t RunBody(Decimator* d, const int16_t* in, uint32_t samples, double* o) {
  const uint32_t factor = d->factor, hist = d->ntaps - 1;
  const double* h = d->taps.data();
  const uint32_t n8 = static_cast<uint32_t>(d->taps.size());
  double* buf = d->buf.data();
  const double b0 = d->b0, b1 = d->b1, b2 = d->b2, a1 = d->a1, a2 = d->a2;
  BiquadState q = d->q;
  uint32_t phase = d->phase;
  uint32_t written = 0;
  while (samples > 0) {
    const uint32_t m = samples < kBlock ? samples : kBlock;
    double* cur = buf + hist;
    for (uint32_t i = 0; i < m; i++) cur[i] = in[i];
    // An output after new sample t (phase reaches factor); its window is buf[t .. t + ntaps), oldest first.
    if (d->hp) {
      for (uint32_t t = factor - 1 - phase; t < m; t += factor) o[written++] = Biquad(b0, b1, b2, a1, a2, q, Dot<kAvx2>(h, buf + t, n8));
    } else {
      for (uint32_t t = factor - 1 - phase; t < m; t += factor) o[written++] = Dot<kAvx2>(h, buf + t, n8);
    }
    phase = (phase + m) % factor;
    std::memmove(buf, buf + m, sizeof(double) * hist);
    in += m;
    samples -= m;
  }
  d->q = q;
  d->phase = phase;
  return written;
}

WN_O3 uint32_t RunBase(Decimator* d, const int16_t* in, uint32_t samples, double* o) { return RunBody<false>(d, in, samples, o); }

#ifdef WN_DSP_AVX2
WN_TARGET_AVX2 WN_O3 uint32_t RunAvx2(Decimator* d, const int16_t* in, uint32_t samples, double* o) {
  return RunBody<true>(d, in, samples, o);
}
#endif

uint32_t Run(Decimator* d, const int16_t* in, uint32_t samples, double* o) {
#ifdef WN_DSP_AVX2
  if (DspAvx2()) return RunAvx2(d, in, samples, o);
#endif
  return RunBase(d, in, samples, o);
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
  const size_t n8 = (ntaps + 7) & ~size_t{7};
  d->taps.assign(n8, 0.0);
  std::copy(taps, taps + ntaps, d->taps.begin());
  // The window of the last output of a block reads up to n8 - ntaps samples past the block's end: spare.
  d->buf.assign(ntaps - 1 + kBlock + 8, 0.0);
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
  const uint64_t produce = (static_cast<uint64_t>(d->phase) + samples) / d->factor;
  if (static_cast<uint64_t>(outOff) + produce > outLen) return Int(env, ERR_SPACE);
  const uint32_t written = Run(d, in, samples, out + outOff);
  return Int(env, static_cast<int32_t>(written));
}

Napi::Value Reset(const Napi::CallbackInfo& info) {
  Decimator* d = static_cast<Decimator*>(StateOf(info, 0, kKindDecimator));
  if (d == nullptr) return Int(info.Env(), ERR_CLOSED);
  std::fill(d->buf.begin(), d->buf.end(), 0.0);
  d->q = BiquadState{};
  d->phase = 0;
  return Int(info.Env(), 0);
}

}  // namespace

void InitDecimator(Napi::Env env, Napi::Object exports) {
  exports.Set("decimatorCreate", Napi::Function::New(env, Create, "decimatorCreate"));
  exports.Set("decimatorProcess", Napi::Function::New(env, Process, "decimatorProcess"));
  exports.Set("decimatorReset", Napi::Function::New(env, Reset, "decimatorReset"));
}

}  // namespace wn
