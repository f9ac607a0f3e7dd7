// The bleed detector's delay search in one native call per evaluation (src/dsp/gccPhat.ts documents the
// method; this is its arithmetic, operation for operation, so results are bit-identical to the TypeScript
// version kept as the test oracle in test/fixtures/dsp/gccPhatTs.ts — checked by
// test/unit/dsp/gccPhatNative.test.ts). Moving the ring-to-segment copies, the two forward and two inverse
// real FFTs (FFTW, the plans of fft.cc), the per-bin PHAT-beta loop and the per-lag envelope loops out of
// JavaScript cut the detector's CPU per evaluation (issue 13's 0.3 ms per call-second budget).
//
// gccCreate(size, window, maxLag, binLo, binHi, coherent, beta, minLag, excludeAfter, excludeBefore[, obsHalf,
//   obsFloor]): handle. RangeError unless size is a power of two in 4 .. 2^20, size >= window + maxLag, 0 <= binLo <=
//   binHi <= size/2, 0 <= coherent < 1, beta >= 0, minLag <= maxLag, obsFloor >= 0. obsHalf > 0: observed
//   whitening (see Whiten) instead of PHAT-beta (beta and the window weight are then unused).
// gccReset(h): 0. Forgets the coherent average and the envelope accumulator.
// gccEvaluate(h, ringX, ringY, mask, end, smoothing, spread, out): 0, or ERR_CLOSED / ERR_ARG.
//   ringX (reference) and ringY (observed): Float32Array rings of mask + 1 samples (a power of two,
//   >= window + maxLag); `end` the ring position one past the newest sample (any integer < 2^53: positions
//   are taken modulo the ring). x = ringX over [end - window - maxLag, end), y = ringY over [end - window,
//   end), both zero-padded to `size`; the window's weight in the coherent average is 1 / sqrt(Ex Ey + 1).
//   out (Float64Array >= 2): out[0] = delay (samples), out[1] = psr.
// Nothing is allocated per call; FFTW plans are made on the JS thread at create time only.
#include <fftw3.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstdint>
#include <cstring>

#include "../handle.h"
#include "dsp_binding.h"
#include "simd.h"

namespace wn {

bool FftPlans(uint32_t n, fftw_plan& r2c, fftw_plan& c2r);  // fft.cc (shared per-size plan cache)

namespace {

struct Gcc {
  uint32_t size, window, maxLag, binLo, binHi, minLag, excludeAfter, excludeBefore;
  double coherent, beta;
  uint32_t obsHalf;    // > 0: observed whitening over +-obsHalf bins
  double obsFloor;
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
  double* pre;         // bins + 1: prefix sums of |Y|^2 (observed whitening only; else null)
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
  fftw_free(g->pre);
  delete g;
}

double* Zeros(size_t n) {
  double* p = fftw_alloc_real(n);
  std::memset(p, 0, sizeof(double) * n);
  return p;
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t size, window, maxLag, binLo, binHi, minLag, exclAfter, exclBefore, obsHalf = 0;
  double coherent, beta, obsFloor = 0;
  const bool obsArgs = info.Length() > 10;
  if (!IndexArg(info, 0, 1u << 20, size) || !IndexArg(info, 1, 1u << 20, window) || !IndexArg(info, 2, 1u << 20, maxLag) ||
      !IndexArg(info, 3, 1u << 20, binLo) || !IndexArg(info, 4, 1u << 20, binHi) || !FiniteArg(info, 5, coherent) ||
      !FiniteArg(info, 6, beta) || !IndexArg(info, 7, 1u << 20, minLag) || !IndexArg(info, 8, 1u << 20, exclAfter) ||
      !IndexArg(info, 9, 1u << 20, exclBefore) || size < 4 || (size & (size - 1)) != 0 ||
      static_cast<uint64_t>(window) + maxLag > size || binLo > binHi || binHi > size / 2 || coherent < 0 ||
      coherent >= 1 || beta < 0 || minLag > maxLag ||
      (obsArgs && (!IndexArg(info, 10, 1u << 20, obsHalf) || !FiniteArg(info, 11, obsFloor) || obsFloor < 0))) {
    Napi::RangeError::New(env, "gccCreate: bad arguments (size a power of two >= window + maxLag, bins within size/2, 0 <= coherent < 1, beta >= 0, minLag <= maxLag, obsFloor >= 0)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  fftw_plan r2c, c2r;
  if (!FftPlans(size, r2c, c2r)) {
    Napi::Error::New(env, "gccCreate: FFTW could not make a plan").ThrowAsJavaScriptException();
    return env.Null();
  }
  const uint32_t bins = size / 2 + 1;
  Gcc* g = new Gcc{size, window, maxLag, binLo, binHi, minLag, exclAfter, exclBefore, coherent, beta, obsHalf, obsFloor,
                   r2c, c2r, Zeros(size), Zeros(size), fftw_alloc_complex(bins), fftw_alloc_complex(bins), Zeros(bins),
                   Zeros(bins), Zeros(size), Zeros(size), Zeros(maxLag + 1), Zeros(maxLag + 1), obsHalf > 0 ? Zeros(bins + 1) : nullptr};
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

// The per-evaluation loops (issue 13's CPU budget; session 10). Same operations on the same values as the
// TypeScript oracle, only laid out for the vector unit: element-wise loops (conversions, square roots,
// divisions, maxima) in SSE2 or plain loops the compiler vectorises (bit-identical: IEEE sqrt, division and
// max are exact per element), and the sums that are reductions (the segments' energies, the noise moments)
// in four interleaved partial sums, lane = index & 3, combined as (l0 + l1) + (l2 + l3) — the oracle sums
// the same way. A sequential sum of 4,000 terms waits on the adder's latency at every term.
struct Lanes {
  double l[4] = {0, 0, 0, 0};
  double Total() const { return (l[0] + l[1]) + (l[2] + l[3]); }
};

template <bool kSquare>
WN_ALWAYS_INLINE double Term(const double* a, int64_t i) {
  return kSquare ? a[i] * a[i] : a[i];
}

// a[i] (kSquare: a[i]^2) summed into lanes by absolute index i over [lo, hi), lo >= 0.
template <bool kSquare>
WN_O3 void Accumulate(const double* a, int64_t lo, int64_t hi, Lanes& q) {
  int64_t i = lo;
  for (; i < hi && (i & 3) != 0; i++) q.l[i & 3] += Term<kSquare>(a, i);
  double l0 = q.l[0], l1 = q.l[1], l2 = q.l[2], l3 = q.l[3];
  for (; i + 4 <= hi; i += 4) {
    l0 += Term<kSquare>(a, i);
    l1 += Term<kSquare>(a, i + 1);
    l2 += Term<kSquare>(a, i + 2);
    l3 += Term<kSquare>(a, i + 3);
  }
  q.l[0] = l0;
  q.l[1] = l1;
  q.l[2] = l2;
  q.l[3] = l3;
  for (; i < hi; i++) q.l[i & 3] += Term<kSquare>(a, i);
}

// seg[0 .. n) = ring[p ..] (modulo mask + 1) as doubles; returns their energy (lanes by segment index).
WN_O3 double Copy(const float* ring, uint32_t mask, uint32_t p, uint32_t n, double* seg) {
  const uint32_t first = mask + 1 - p < n ? mask + 1 - p : n;
  for (uint32_t i = 0; i < first; i++) seg[i] = ring[p + i];
  for (uint32_t i = first; i < n; i++) seg[i] = ring[i - first];
  Lanes q;
  Accumulate<true>(seg, 0, n, q);
  return q.Total();
}

#ifdef WN_DSP_AVX2
// Four bins at a time with AVX2 (simd.h DspAvx2): the same operations as the SSE2 loop below.
// The complex pairs deinterleave per 128-bit half, so the re/im vectors hold bins (k, k+2, k+1, k+3); the
// running average sr/si is permuted into that order on load and back on store (0xD8 swaps lanes 1 and 2).
WN_TARGET_AVX2 uint32_t WhitenAvx2(fftw_complex* X, fftw_complex* Y, double* sr, double* si, uint32_t k, uint32_t hi, double c,
                                   double b, double s) {
  const __m256d vc = _mm256_set1_pd(c), vb = _mm256_set1_pd(b), vs = _mm256_set1_pd(s), one = _mm256_set1_pd(1.0);
  const __m256d zero = _mm256_setzero_pd(), sign = _mm256_set1_pd(-0.0);
  for (; k + 4 <= hi; k += 4) {
    const __m256d x01 = _mm256_loadu_pd(X[k]), x23 = _mm256_loadu_pd(X[k + 2]);
    const __m256d y01 = _mm256_loadu_pd(Y[k]), y23 = _mm256_loadu_pd(Y[k + 2]);
    const __m256d xr = _mm256_unpacklo_pd(x01, x23), xi = _mm256_unpackhi_pd(x01, x23);
    const __m256d yr = _mm256_unpacklo_pd(y01, y23), yi = _mm256_unpackhi_pd(y01, y23);
    const __m256d cr = _mm256_add_pd(_mm256_mul_pd(xr, yr), _mm256_mul_pd(xi, yi));
    const __m256d ci = _mm256_sub_pd(_mm256_mul_pd(xi, yr), _mm256_mul_pd(xr, yi));
    const __m256d nr = _mm256_add_pd(_mm256_mul_pd(vc, _mm256_permute4x64_pd(_mm256_loadu_pd(sr + k), 0xD8)), _mm256_mul_pd(vb, cr));
    const __m256d ni = _mm256_add_pd(_mm256_mul_pd(vc, _mm256_permute4x64_pd(_mm256_loadu_pd(si + k), 0xD8)), _mm256_mul_pd(vb, ci));
    _mm256_storeu_pd(sr + k, _mm256_permute4x64_pd(nr, 0xD8));
    _mm256_storeu_pd(si + k, _mm256_permute4x64_pd(ni, 0xD8));
    const __m256d m2 = _mm256_add_pd(_mm256_mul_pd(nr, nr), _mm256_mul_pd(ni, ni));
    const __m256d r = _mm256_sqrt_pd(_mm256_sqrt_pd(m2));
    const __m256d w = _mm256_and_pd(_mm256_cmp_pd(m2, zero, _CMP_GT_OQ), _mm256_div_pd(one, _mm256_mul_pd(r, _mm256_sqrt_pd(r))));
    const __m256d re = _mm256_mul_pd(_mm256_mul_pd(nr, w), vs);
    const __m256d im = _mm256_mul_pd(_mm256_mul_pd(ni, w), vs);
    const __m256d nre = _mm256_xor_pd(re, sign);
    _mm256_storeu_pd(X[k], _mm256_unpacklo_pd(re, im));
    _mm256_storeu_pd(X[k + 2], _mm256_unpackhi_pd(re, im));
    _mm256_storeu_pd(Y[k], _mm256_unpacklo_pd(im, nre));
    _mm256_storeu_pd(Y[k + 2], _mm256_unpackhi_pd(im, nre));
  }
  return k;
}

// acc[m] = a dil[m] + na sqrt(corr[m]^2 + corrH[m]^2) for m in [0, n), four at a time, then the rest.
WN_TARGET_AVX2 void EnvelopeAvx2(double* acc, const double* dil, const double* corr, const double* corrH, int64_t n, double a,
                                 double na) {
  const __m256d va = _mm256_set1_pd(a), vna = _mm256_set1_pd(na);
  int64_t m = 0;
  for (; m + 4 <= n; m += 4) {
    const __m256d cv = _mm256_loadu_pd(corr + m), hv = _mm256_loadu_pd(corrH + m);
    const __m256d e = _mm256_sqrt_pd(_mm256_add_pd(_mm256_mul_pd(cv, cv), _mm256_mul_pd(hv, hv)));
    _mm256_storeu_pd(acc + m, _mm256_add_pd(_mm256_mul_pd(va, _mm256_loadu_pd(dil + m)), _mm256_mul_pd(vna, e)));
  }
  for (; m < n; m++) acc[m] = a * dil[m] + na * std::sqrt(corr[m] * corr[m] + corrH[m] * corrH[m]);
}
#endif

// PHAT-beta's weight 1/|S|^beta from m2 = |S|^2 (0 where S = 0); beta 0.75 with square roots only.
WN_ALWAYS_INLINE double PhatWeight(double m2, double beta) {
  if (!(m2 > 0)) return 0;
  const double m = std::sqrt(m2);
  if (beta == 1) return 1 / m;
  if (beta == 0.75) {
    const double r = std::sqrt(m);
    return 1 / (r * std::sqrt(r));
  }
  return std::pow(m, -beta);
}

// Coherent average in the band, then the whitening: cx <- S w, cy <- -j S w (scaled by 1/size as fftInverse
// does), zero outside the band and at the DC / Nyquist imaginary parts.
// PHAT-beta: S <- c S + (1 - c) weight X conj(Y), w = 1/|S|^beta.
// Observed whitening (obsHalf > 0, session 13): S <- c S + (1 - c) X conj(Y) / (P(k) + floor + 1e-9), P(k) the
// observed power |Y|^2 averaged over bins k - obsHalf .. k + obsHalf (clamped to the spectrum), floor = obsFloor x
// the band's mean observed power, and w = 1: each bin of each window counts by its reference-to-observed ratio — a
// matched filter whitened by what the observed stream already holds (the agent's voice, noise) — where PHAT counts
// every bin alike, including the many that hold little of the whisper. Its sums in index order, as the oracle's.
WN_O3 void Whiten(Gcc* g, double weight) {
  const uint32_t bins = g->size / 2 + 1;
  const double c = g->coherent;
  const uint32_t h = g->obsHalf;
  const bool obs = h > 0;
  const double b = obs ? 1 - c : (1 - c) * weight;
  const double beta = g->beta;
  const double s = 1.0 / g->size;
  fftw_complex* X = g->cx;
  fftw_complex* Y = g->cy;
  double* sr = g->sr;
  double* si = g->si;
  const uint32_t lo = g->binLo < bins ? g->binLo : bins;
  const uint32_t hi = g->binHi + 1 < bins ? g->binHi + 1 : bins;  // one past the band
  double* pre = g->pre;
  double pFloor = 0;
  if (obs) {
    pre[0] = 0;
    double tot = 0;
    for (uint32_t k = 0; k < bins; k++) {
      const double p = Y[k][0] * Y[k][0] + Y[k][1] * Y[k][1];
      pre[k + 1] = pre[k] + p;
      if (k >= lo && k < hi) tot += p;
    }
    pFloor = g->obsFloor * tot / static_cast<double>(g->binHi - g->binLo + 1);
  }
  for (uint32_t k = 0; k < lo; k++) X[k][0] = X[k][1] = Y[k][0] = Y[k][1] = 0;
  for (uint32_t k = hi; k < bins; k++) X[k][0] = X[k][1] = Y[k][0] = Y[k][1] = 0;
  uint32_t k = lo;
  if (!obs && beta == 0.75) {
#ifdef WN_DSP_AVX2
    if (DspAvx2()) k = WhitenAvx2(X, Y, sr, si, k, hi, c, b, s);
#endif
#if defined(__SSE2__)
    // Two bins at a time: w = 1 / (r sqrt(r)), r = sqrt(sqrt(m2)); w = 0 where m2 <= 0 (as the scalar branch).
    const __m128d vc = _mm_set1_pd(c), vb = _mm_set1_pd(b), vs = _mm_set1_pd(s), one = _mm_set1_pd(1.0);
    const __m128d zero = _mm_setzero_pd(), sign = _mm_set1_pd(-0.0);
    for (; k + 2 <= hi; k += 2) {
      const __m128d x0 = _mm_loadu_pd(X[k]), x1 = _mm_loadu_pd(X[k + 1]);
      const __m128d y0 = _mm_loadu_pd(Y[k]), y1 = _mm_loadu_pd(Y[k + 1]);
      const __m128d xr = _mm_unpacklo_pd(x0, x1), xi = _mm_unpackhi_pd(x0, x1);
      const __m128d yr = _mm_unpacklo_pd(y0, y1), yi = _mm_unpackhi_pd(y0, y1);
      const __m128d cr = _mm_add_pd(_mm_mul_pd(xr, yr), _mm_mul_pd(xi, yi));
      const __m128d ci = _mm_sub_pd(_mm_mul_pd(xi, yr), _mm_mul_pd(xr, yi));
      const __m128d nr = _mm_add_pd(_mm_mul_pd(vc, _mm_loadu_pd(sr + k)), _mm_mul_pd(vb, cr));
      const __m128d ni = _mm_add_pd(_mm_mul_pd(vc, _mm_loadu_pd(si + k)), _mm_mul_pd(vb, ci));
      _mm_storeu_pd(sr + k, nr);
      _mm_storeu_pd(si + k, ni);
      const __m128d m2 = _mm_add_pd(_mm_mul_pd(nr, nr), _mm_mul_pd(ni, ni));
      const __m128d r = _mm_sqrt_pd(_mm_sqrt_pd(m2));
      const __m128d w = _mm_and_pd(_mm_cmpgt_pd(m2, zero), _mm_div_pd(one, _mm_mul_pd(r, _mm_sqrt_pd(r))));
      const __m128d re = _mm_mul_pd(_mm_mul_pd(nr, w), vs);
      const __m128d im = _mm_mul_pd(_mm_mul_pd(ni, w), vs);
      const __m128d nre = _mm_xor_pd(re, sign);  // (-nr w) s = -((nr w) s): rounding is sign-symmetric
      _mm_storeu_pd(X[k], _mm_unpacklo_pd(re, im));
      _mm_storeu_pd(X[k + 1], _mm_unpackhi_pd(re, im));
      _mm_storeu_pd(Y[k], _mm_unpacklo_pd(im, nre));
      _mm_storeu_pd(Y[k + 1], _mm_unpackhi_pd(im, nre));
    }
#endif
  }
  for (; k < hi; k++) {
    double bb = b;
    if (obs) {
      const uint32_t a = k >= h ? k - h : 0;
      const uint32_t e = k + h < bins - 1 ? k + h : bins - 1;
      bb = b / ((pre[e + 1] - pre[a]) / static_cast<double>(e - a + 1) + pFloor + 1e-9);
    }
    const double xr = X[k][0], xi = X[k][1], yr = Y[k][0], yi = Y[k][1];
    const double cr = xr * yr + xi * yi;
    const double ci = xi * yr - xr * yi;
    const double nr = c * sr[k] + bb * cr;
    const double ni = c * si[k] + bb * ci;
    sr[k] = nr;
    si[k] = ni;
    const double w = obs ? 1 : PhatWeight(nr * nr + ni * ni, beta);  // observed whitening: S itself
    X[k][0] = (nr * w) * s;
    X[k][1] = (ni * w) * s;
    Y[k][0] = (ni * w) * s;
    Y[k][1] = (-nr * w) * s;
  }
  X[0][1] = 0;
  X[bins - 1][1] = 0;
  Y[0][1] = 0;
  Y[bins - 1][1] = 0;
}

// corr[m] = sum_n y[n] x[n + m]; delay d = maxLag - m. Dilate the accumulator by +-r, blend in the envelope,
// find the peak among the searched lags and its z-score against the lags outside the exclusion zone.
// Returns the peak's m; psr by reference.
WN_O3 int64_t Lags(Gcc* g, double smoothing, double spread, double& psr) {
  const int64_t L = g->maxLag;
  const double* corr = g->corr;
  const double* corrH = g->corrH;
  double* acc = g->acc;
  double* dil = g->dil;
  const int64_t r = spread > 0 ? static_cast<int64_t>(std::floor(spread)) : 0;
  for (int64_t m = 0; m <= L; m++) dil[m] = acc[m];
  // Max over [m - r, m + r] within 0..L, one offset at a time (max is exact: any order gives the same value).
  for (int64_t j = 1; j <= r && j <= L; j++) {
    for (int64_t m = 0; m + j <= L; m++) dil[m] = dil[m] > acc[m + j] ? dil[m] : acc[m + j];
    for (int64_t m = j; m <= L; m++) dil[m] = dil[m] > acc[m - j] ? dil[m] : acc[m - j];
  }
  const double a = smoothing;
  const double na = 1 - a;
#ifdef WN_DSP_AVX2
  if (DspAvx2())
    EnvelopeAvx2(acc, dil, corr, corrH, L + 1, a, na);
  else
#endif
    for (int64_t m = 0; m <= L; m++) acc[m] = a * dil[m] + na * std::sqrt(corr[m] * corr[m] + corrH[m] * corrH[m]);
  int64_t best = 0;
  double bestV = -1;
  const int64_t mHi = L - g->minLag;
  for (int64_t m = 0; m <= mHi; m++) {
    if (acc[m] > bestV) {
      bestV = acc[m];
      best = m;
    }
  }
  // Noise: mean and spread of the accumulator outside the exclusion zone [best - excludeAfter, best + excludeBefore].
  const int64_t zLo = best - g->excludeAfter;
  const int64_t zHi = best + g->excludeBefore;
  const int64_t aEnd = zLo < 0 ? 0 : (zLo > mHi + 1 ? mHi + 1 : zLo);  // [0, aEnd) before the zone
  const int64_t bStart = zHi + 1 > aEnd ? zHi + 1 : aEnd;              // [bStart, mHi] after it
  Lanes q1, q2;
  Accumulate<false>(acc, 0, aEnd, q1);
  Accumulate<true>(acc, 0, aEnd, q2);
  if (bStart <= mHi) {
    Accumulate<false>(acc, bStart, mHi + 1, q1);
    Accumulate<true>(acc, bStart, mHi + 1, q2);
  }
  const int64_t cnt = aEnd + (bStart <= mHi ? mHi + 1 - bStart : 0);
  psr = 0;
  if (cnt > 1) {
    const double mean = q1.Total() / static_cast<double>(cnt);
    const double varv = q2.Total() / static_cast<double>(cnt) - mean * mean;
    psr = varv > 0 ? (bestV - mean) / std::sqrt(varv) : 0;
  }
  return best;
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

  const double weight = 1 / std::sqrt(Copy(rx, mask, static_cast<uint32_t>(static_cast<uint64_t>(end - W - L) & mask), W + L, g->x) *
                                          Copy(ry, mask, static_cast<uint32_t>(static_cast<uint64_t>(end - W) & mask), W, g->y) +
                                      1);
  fftw_execute_dft_r2c(g->r2c, g->x, g->cx);
  fftw_execute_dft_r2c(g->r2c, g->y, g->cy);
  Whiten(g, weight);
  fftw_execute_dft_c2r(g->c2r, g->cx, g->corr);
  fftw_execute_dft_c2r(g->c2r, g->cy, g->corrH);
  double psr = 0;
  const int64_t best = Lags(g, smoothing, spread, psr);
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
