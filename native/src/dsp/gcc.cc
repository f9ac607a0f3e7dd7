// The bleed detector's delay search in one native call per evaluation (src/dsp/gccPhat.ts documents the
// method; this is its arithmetic, operation for operation, so results are bit-identical to the TypeScript
// version kept as the test oracle in test/fixtures/dsp/gccPhatTs.ts — checked by
// test/unit/dsp/gccPhatNative.test.ts). Moving the ring-to-segment copies, the two forward and two inverse
// real FFTs (FFTW, the plans of fft.cc), the per-bin PHAT-beta loop and the per-lag envelope loops out of
// JavaScript cut the detector's CPU per evaluation (issue 13's 0.3 ms per call-second budget).
//
// gccCreate(size, window, maxLag, binLo, binHi, coherent, beta, minLag, excludeAfter, excludeBefore): handle.
//   RangeError unless size is a power of two in 4 .. 2^20, size >= window + maxLag, 0 <= binLo <= binHi <=
//   size/2, 0 <= coherent < 1, beta >= 0, minLag <= maxLag.
// gccReset(h): 0. Forgets the coherent average and the envelope accumulator.
// gccEvaluate(h, ringX, ringY, mask, end, smoothing, spread, out): 0, or ERR_CLOSED / ERR_ARG.
//   ringX (reference) and ringY (observed): Float32Array rings of mask + 1 samples (a power of two,
//   >= window + maxLag); `end` the ring position one past the newest sample (any integer < 2^53: positions
//   are taken modulo the ring). x = ringX over [end - window - maxLag, end), y = ringY over [end - window,
//   end), both zero-padded to `size`; the window's weight in the coherent average is 1 / sqrt(Ex Ey + 1).
//   out (Float64Array >= 2): out[0] = delay (samples), out[1] = psr.
// Nothing is allocated per call; FFTW plans are made on the JS thread at create time only.
#include <fftw3.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "../handle.h"
#include "dsp_binding.h"

namespace wn {

bool FftPlans(uint32_t n, fftw_plan& r2c, fftw_plan& c2r);  // fft.cc (shared per-size plan cache)

namespace {

struct Gcc {
  uint32_t size, window, maxLag, binLo, binHi, minLag, excludeAfter, excludeBefore;
  double coherent, beta;
  fftw_plan r2c, c2r;
  double* x;           // size (aligned): reference segment, zero tail
  double* y;           // size (aligned): observed segment, zero tail
  fftw_complex* cx;    // bins
  fftw_complex* cy;    // bins
  double* sr;          // bins: coherent average X conj(Y)
  double* si;
  double* corr;        // size (aligned)
  double* corrH;       // size (aligned)
  double* acc;         // maxLag + 1
  double* dil;         // maxLag + 1
};

void FreeGcc(void* s) {
  Gcc* g = static_cast<Gcc*>(s);
  fftw_free(g->x);
  fftw_free(g->y);
  fftw_free(g->cx);
  fftw_free(g->cy);
  fftw_free(g->sr);
  fftw_free(g->si);
  fftw_free(g->corr);
  fftw_free(g->corrH);
  fftw_free(g->acc);
  fftw_free(g->dil);
  delete g;
}

double* Zeros(size_t n) {
  double* p = fftw_alloc_real(n);
  std::memset(p, 0, sizeof(double) * n);
  return p;
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t size, window, maxLag, binLo, binHi, minLag, exclAfter, exclBefore;
  double coherent, beta;
  if (!IndexArg(info, 0, 1u << 20, size) || !IndexArg(info, 1, 1u << 20, window) || !IndexArg(info, 2, 1u << 20, maxLag) ||
      !IndexArg(info, 3, 1u << 20, binLo) || !IndexArg(info, 4, 1u << 20, binHi) || !FiniteArg(info, 5, coherent) ||
      !FiniteArg(info, 6, beta) || !IndexArg(info, 7, 1u << 20, minLag) || !IndexArg(info, 8, 1u << 20, exclAfter) ||
      !IndexArg(info, 9, 1u << 20, exclBefore) || size < 4 || (size & (size - 1)) != 0 ||
      static_cast<uint64_t>(window) + maxLag > size || binLo > binHi || binHi > size / 2 || coherent < 0 ||
      coherent >= 1 || beta < 0 || minLag > maxLag) {
    Napi::RangeError::New(env, "gccCreate: bad arguments (size a power of two >= window + maxLag, bins within size/2, 0 <= coherent < 1, beta >= 0, minLag <= maxLag)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  fftw_plan r2c, c2r;
  if (!FftPlans(size, r2c, c2r)) {
    Napi::Error::New(env, "gccCreate: FFTW could not make a plan").ThrowAsJavaScriptException();
    return env.Null();
  }
  const uint32_t bins = size / 2 + 1;
  Gcc* g = new Gcc{size, window, maxLag, binLo, binHi, minLag, exclAfter, exclBefore, coherent, beta, r2c, c2r,
                   Zeros(size), Zeros(size), fftw_alloc_complex(bins), fftw_alloc_complex(bins), Zeros(bins),
                   Zeros(bins), Zeros(size), Zeros(size), Zeros(maxLag + 1), Zeros(maxLag + 1)};
  return MakeHandle(env, Kind::Gcc, g, FreeGcc);
}

Napi::Value Reset(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Gcc* g = static_cast<Gcc*>(StateOf(info, 0, Kind::Gcc));
  if (g == nullptr) return Int(env, ERR_CLOSED);
  const uint32_t bins = g->size / 2 + 1;
  std::memset(g->sr, 0, sizeof(double) * bins);
  std::memset(g->si, 0, sizeof(double) * bins);
  std::memset(g->acc, 0, sizeof(double) * (g->maxLag + 1));
  return Int(env, 0);
}

Napi::Value Evaluate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Gcc* g = static_cast<Gcc*>(StateOf(info, 0, Kind::Gcc));
  if (g == nullptr) return Int(env, ERR_CLOSED);
  float *rx, *ry;
  size_t rxLen, ryLen, outLen;
  double dMask, dEnd, smoothing, spread;
  double* out;
  if (!Float32ArrayArg(info, 1, rx, rxLen) || !Float32ArrayArg(info, 2, ry, ryLen) || !FiniteArg(info, 3, dMask) || !FiniteArg(info, 4, dEnd) ||
      !FiniteArg(info, 5, smoothing) || !FiniteArg(info, 6, spread) || !Float64ArrayArg(info, 7, out, outLen) || outLen < 2 ||
      dMask < 0 || dMask > 16777215 || std::fabs(dEnd) > 9007199254740991.0)
    return Int(env, ERR_ARG);
  const uint32_t mask = static_cast<uint32_t>(dMask);
  const uint64_t ring = static_cast<uint64_t>(mask) + 1;
  const uint32_t W = g->window, L = g->maxLag;
  if ((ring & mask) != 0 || rxLen < ring || ryLen < ring || ring < static_cast<uint64_t>(W) + L) return Int(env, ERR_ARG);
  const int64_t end = static_cast<int64_t>(dEnd);

  // Segments (tails beyond W + L and W stay zero) and their energies, in the TypeScript order.
  double* x = g->x;
  double* y = g->y;
  double ex = 0, ey = 0;
  uint32_t p = static_cast<uint32_t>(static_cast<uint64_t>(end - W - L) & mask);
  for (uint32_t i = 0; i < W + L; i++, p = (p + 1) & mask) {
    const double v = rx[p];
    x[i] = v;
    ex += v * v;
  }
  p = static_cast<uint32_t>(static_cast<uint64_t>(end - W) & mask);
  for (uint32_t i = 0; i < W; i++, p = (p + 1) & mask) {
    const double v = ry[p];
    y[i] = v;
    ey += v * v;
  }
  const double weight = 1 / std::sqrt(ex * ey + 1);
  fftw_execute_dft_r2c(g->r2c, x, g->cx);
  fftw_execute_dft_r2c(g->r2c, y, g->cy);

  // Coherent average in the band, then PHAT-beta: cx <- S/|S|^beta, cy <- -j S/|S|^beta (scaled by 1/size
  // as fftInverse does), zero outside the band and at the DC / Nyquist imaginary parts.
  const uint32_t bins = g->size / 2 + 1;
  const double c = g->coherent;
  const double b = (1 - c) * weight;
  const double beta = g->beta;
  const double s = 1.0 / g->size;
  fftw_complex* X = g->cx;
  fftw_complex* Y = g->cy;
  double* sr = g->sr;
  double* si = g->si;
  for (uint32_t k = 0; k < bins; k++) {
    if (k < g->binLo || k > g->binHi) {
      X[k][0] = 0;
      X[k][1] = 0;
      Y[k][0] = 0;
      Y[k][1] = 0;
      continue;
    }
    const double xr = X[k][0], xi = X[k][1], yr = Y[k][0], yi = Y[k][1];
    const double cr = xr * yr + xi * yi;
    const double ci = xi * yr - xr * yi;
    const double nr = c * sr[k] + b * cr;
    const double ni = c * si[k] + b * ci;
    sr[k] = nr;
    si[k] = ni;
    const double m2 = nr * nr + ni * ni;
    double w = 0;
    if (m2 > 0) {
      const double m = std::sqrt(m2);
      if (beta == 1) {
        w = 1 / m;
      } else if (beta == 0.75) {
        const double r = std::sqrt(m);
        w = 1 / (r * std::sqrt(r));
      } else {
        w = std::pow(m, -beta);
      }
    }
    X[k][0] = (nr * w) * s;
    X[k][1] = (ni * w) * s;
    Y[k][0] = (ni * w) * s;
    Y[k][1] = (-nr * w) * s;
  }
  X[0][1] = 0;
  X[bins - 1][1] = 0;
  Y[0][1] = 0;
  Y[bins - 1][1] = 0;
  double* corr = g->corr;
  double* corrH = g->corrH;
  fftw_execute_dft_c2r(g->c2r, X, corr);
  fftw_execute_dft_c2r(g->c2r, Y, corrH);

  // corr[m] = sum_n y[n] x[n + m]; delay d = maxLag - m. Dilate the accumulator by +-r, blend in the envelope.
  double* acc = g->acc;
  double* dil = g->dil;
  const int64_t r = spread > 0 ? static_cast<int64_t>(std::floor(spread)) : 0;
  if (r > 0) {
    for (int64_t m = 0; m <= L; m++) {
      const int64_t lo = m - r < 0 ? 0 : m - r;
      const int64_t hi = m + r > L ? L : m + r;
      double v = acc[lo];
      for (int64_t j = lo + 1; j <= hi; j++)
        if (acc[j] > v) v = acc[j];
      dil[m] = v;
    }
  } else {
    for (uint32_t m = 0; m <= L; m++) dil[m] = acc[m];
  }
  const double a = smoothing;
  const double na = 1 - a;
  int64_t best = 0;
  double bestV = -1;
  const int64_t mHi = static_cast<int64_t>(L) - g->minLag;
  for (int64_t m = 0; m <= L; m++) {
    const double cv = corr[m];
    const double hv = corrH[m];
    const double v = a * dil[m] + na * std::sqrt(cv * cv + hv * hv);
    acc[m] = v;
    if (m <= mHi && v > bestV) {
      bestV = v;
      best = m;
    }
  }
  // Noise: mean and spread of the accumulator outside the exclusion zone.
  const int64_t zLo = best - g->excludeAfter;
  const int64_t zHi = best + g->excludeBefore;
  double s1 = 0, s2 = 0;
  int64_t cnt = 0;
  for (int64_t m = 0; m <= mHi; m++) {
    if (m >= zLo && m <= zHi) continue;
    const double v = acc[m];
    s1 += v;
    s2 += v * v;
    cnt++;
  }
  double psr = 0;
  if (cnt > 1) {
    const double mean = s1 / cnt;
    const double varv = s2 / cnt - mean * mean;
    psr = varv > 0 ? (bestV - mean) / std::sqrt(varv) : 0;
  }
  out[0] = static_cast<double>(L - best);
  out[1] = psr;
  return Int(env, 0);
}

}  // namespace

void InitGcc(Napi::Env env, Napi::Object exports) {
  exports.Set("gccCreate", Napi::Function::New(env, Create, "gccCreate"));
  exports.Set("gccReset", Napi::Function::New(env, Reset, "gccReset"));
  exports.Set("gccEvaluate", Napi::Function::New(env, Evaluate, "gccEvaluate"));
}

}  // namespace wn
