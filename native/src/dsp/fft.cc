// Real FFT of a power-of-two size with FFTW 3 (double precision), for src/dsp/realFft.ts.
//
// fftCreate(n): handle. The r2c / c2r plans are made once per size per process (FFTW_ESTIMATE: a few ms;
// FFTW_MEASURE would stall the JS thread for ~0.6 s per size for ~2 us less per transform) and shared by
// every handle of that size. FFTW's planner is not thread-safe: plans are only made here, on the JS thread;
// fftw_execute_* on them is thread-safe.
// fftForward(h, x, re, im): 0. x: n reals; re/im: >= n/2+1 each (bins 0..n/2). Unnormalised.
// fftInverse(h, re, im, x): 0. The inverse of fftForward scaled by 1/n; im[0] and im[n/2] are ignored;
//   re/im are not modified (FFTW's c2r destroys its input, so it runs on a scaled copy).
// Nothing is allocated per call. The TypeScript API takes separate real/imaginary arrays; FFTW's guru
// "split" r2c/c2r interface does too, but its plans are slower here (4096 points: r2c 8.5 us, c2r 7.3 us)
// than the interleaved ones plus a (de)interleaving pass (5.7 us, 5.2 us), whose codelets are all SIMD.
// So the spectrum goes through the handle's aligned interleaved buffer. FFTW requires the arrays of a
// new-array execute to have the plan's alignment: the caller's real array is used directly when it has
// it (V8's backing stores are 16-byte aligned), else through the handle's aligned real buffer.
#include <fftw3.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>

#include "../handle.h"
#include "dsp_binding.h"
#include "simd.h"

namespace wn {

// Handle kinds of this file (handle.h lists the others; StateOf tells kinds apart by the number alone).
constexpr Kind kKindFft = Kind::Fft;

namespace {

struct Plans {
  fftw_plan r2c;
  fftw_plan c2r;
};

struct Fft {
  uint32_t n;
  Plans plans;      // shared per size, never freed (a handful of sizes per process)
  double* x;        // n reals (aligned scratch)
  fftw_complex* c;  // n/2 + 1: the spectrum, interleaved
};

std::map<uint32_t, Plans>& PlanCache() {
  static std::map<uint32_t, Plans> cache;
  return cache;
}

bool PlansFor(uint32_t n, Plans& out) {
  auto& cache = PlanCache();
  auto it = cache.find(n);
  if (it != cache.end()) {
    out = it->second;
    return true;
  }
  double* x = fftw_alloc_real(n);
  fftw_complex* c = fftw_alloc_complex(n / 2 + 1);
  Plans p{fftw_plan_dft_r2c_1d(static_cast<int>(n), x, c, FFTW_ESTIMATE),
          fftw_plan_dft_c2r_1d(static_cast<int>(n), c, x, FFTW_ESTIMATE)};
  fftw_free(x);
  fftw_free(c);
  if (p.r2c == nullptr || p.c2r == nullptr) {
    if (p.r2c != nullptr) fftw_destroy_plan(p.r2c);
    if (p.c2r != nullptr) fftw_destroy_plan(p.c2r);
    return false;
  }
  cache.emplace(n, p);
  out = p;
  return true;
}

void FreeFft(void* s) {
  Fft* f = static_cast<Fft*>(s);
  fftw_free(f->x);
  fftw_free(f->c);
  delete f;
}

inline bool Aligned(const double* p) { return fftw_alignment_of(const_cast<double*>(p)) == 0; }

// The data of a Float64Array argument with at least `need` elements, else nullptr.
double* F64(const Napi::CallbackInfo& info, size_t i, size_t need) {
  double* d;
  size_t len;
  if (!Float64ArrayArg(info, i, d, len) || len < need) return nullptr;
  return d;
}

// fftCreate(n): handle; RangeError unless n is a power of two in 4 .. 2^20.
Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t n;
  if (!IndexArg(info, 0, 1u << 20, n) || n < 4 || (n & (n - 1)) != 0) {
    Napi::RangeError::New(env, "fftCreate(n): n must be a power of two, 4 .. 2^20").ThrowAsJavaScriptException();
    return env.Null();
  }
  Plans p;
  if (!PlansFor(n, p)) {
    Napi::Error::New(env, "fftCreate: FFTW could not make a plan").ThrowAsJavaScriptException();
    return env.Null();
  }
  Fft* f = new Fft{n, p, fftw_alloc_real(n), fftw_alloc_complex(n / 2 + 1)};
  return MakeHandle(env, kKindFft, f, FreeFft);
}

// fftForward(h, x, re, im): 0, or ERR_CLOSED / ERR_ARG.
Napi::Value Forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Fft* f = static_cast<Fft*>(StateOf(info, 0, kKindFft));
  if (f == nullptr) return Int(env, ERR_CLOSED);
  const uint32_t n = f->n, bins = n / 2 + 1;
  double* x = F64(info, 1, n);
  double* re = F64(info, 2, bins);
  double* im = F64(info, 3, bins);
  if (x == nullptr || re == nullptr || im == nullptr) return Int(env, ERR_ARG);
  // r2c does not modify its input (FFTW_DESTROY_INPUT is the default only for c2r).
  if (Aligned(x)) {
    fftw_execute_dft_r2c(f->plans.r2c, x, f->c);
  } else {
    std::memcpy(f->x, x, sizeof(double) * n);
    fftw_execute_dft_r2c(f->plans.r2c, f->x, f->c);
  }
  const fftw_complex* c = f->c;
  for (uint32_t k = 0; k < bins; k++) {
    re[k] = c[k][0];
    im[k] = c[k][1];
  }
  return Int(env, 0);
}

// fftInverse(h, re, im, x): 0, or ERR_CLOSED / ERR_ARG.
Napi::Value Inverse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Fft* f = static_cast<Fft*>(StateOf(info, 0, kKindFft));
  if (f == nullptr) return Int(env, ERR_CLOSED);
  const uint32_t n = f->n, half = n / 2;
  double* re = F64(info, 1, half + 1);
  double* im = F64(info, 2, half + 1);
  double* x = F64(info, 3, n);
  if (x == nullptr || re == nullptr || im == nullptr) return Int(env, ERR_ARG);
  // Scaled interleaved copy (c2r destroys its input); the DC and Nyquist imaginary parts are dropped.
  const double s = 1.0 / n;
  fftw_complex* c = f->c;
  for (uint32_t k = 0; k <= half; k++) {
    c[k][0] = re[k] * s;
    c[k][1] = im[k] * s;
  }
  c[0][1] = 0;
  c[half][1] = 0;
  if (Aligned(x)) {
    fftw_execute_dft_c2r(f->plans.c2r, c, x);
  } else {
    fftw_execute_dft_c2r(f->plans.c2r, c, f->x);
    std::memcpy(x, f->x, sizeof(double) * n);
  }
  return Int(env, 0);
}

}  // namespace

// The shared plans of size n for gcc.cc (made on the JS thread, cached per size). False if FFTW failed.
bool FftPlans(uint32_t n, fftw_plan& r2c, fftw_plan& c2r) {
  Plans p;
  if (!PlansFor(n, p)) return false;
  r2c = p.r2c;
  c2r = p.c2r;
  return true;
}

namespace {

// Whether the CPU (and the OS) support AVX2; asked once, on first use (not from a static initialiser: the
// CPU-feature data must be initialised first, __builtin_cpu_init).
bool CpuAvx2() {
#ifdef WN_DSP_AVX2
  static const bool yes = (__builtin_cpu_init(), __builtin_cpu_supports("avx2") != 0);
  return yes;
#else
  return false;
#endif
}

// -1: not yet decided (the default: CpuAvx2()); 0: baseline; 1: AVX2.
int useAvx2 = -1;

// dspKernels(mode?: 'auto' | 'baseline'): 'avx2' | 'baseline' — choose (if given) and report the variant of
// the vector kernels (simd.h). 'auto' = AVX2 where the CPU has it. Anything else: ERR_ARG.
Napi::Value Kernels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    if (!info[0].IsString()) return Int(env, ERR_ARG);
    const std::string mode = info[0].As<Napi::String>().Utf8Value();
    if (mode == "auto")
      useAvx2 = CpuAvx2() ? 1 : 0;
    else if (mode == "baseline")
      useAvx2 = 0;
    else
      return Int(env, ERR_ARG);
  }
  return Napi::String::New(env, DspAvx2() ? "avx2" : "baseline");
}

}  // namespace

bool DspAvx2() {
  if (useAvx2 < 0) useAvx2 = CpuAvx2() ? 1 : 0;
  return useAvx2 == 1;
}

void InitDecimator(Napi::Env env, Napi::Object exports);  // decimator.cc
void InitXcorr(Napi::Env env, Napi::Object exports);      // xcorr.cc
void InitGcc(Napi::Env env, Napi::Object exports);        // gcc.cc

void InitDsp(Napi::Env env, Napi::Object exports) {
  exports.Set("dspKernels", Napi::Function::New(env, Kernels, "dspKernels"));
  exports.Set("fftCreate", Napi::Function::New(env, Create, "fftCreate"));
  exports.Set("fftForward", Napi::Function::New(env, Forward, "fftForward"));
  exports.Set("fftInverse", Napi::Function::New(env, Inverse, "fftInverse"));
  InitDecimator(env, exports);
  InitXcorr(env, exports);
  InitGcc(env, exports);
}

}  // namespace wn
