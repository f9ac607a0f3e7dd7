// Lagged cross-products over a pair of ring buffers (the bleed detector's least-squares level fit,
// src/dsp/leakLevel.ts accumulate): for k < lags, over t in [start, start + len):
//   num[k] += w * sum_t y[t & mask] * x[(t - d0 - k) & mask],   den[k] += w * sum_t x[(t - d0 - k) & mask]^2.
// ringXcorr(x: Float32Array, y: Float32Array, mask, start, len, d0, lags, w, num: Float64Array,
//           den: Float64Array): 0, or ERR_ARG (x, y shorter than mask + 1 or mask + 1 not a power of two,
//           len > 65536, lags > 4096, |d0| > 2^24 - 1, num/den shorter than lags).
// `start` and `d0` may be any integers, negative too (ring positions are taken modulo mask + 1, as
// `& mask` does in two's complement). The spans are unwrapped into linear double buffers once, then
// each lag is a dot product on vector partial sums: sums differ from the sequential TypeScript loop in
// rounding only. Allocation: the scratch grows to the largest span seen, then never again.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../handle.h"
#include "dsp_binding.h"
#include "simd.h"

namespace wn {

namespace {

// sum a[i] b[i] and sum b[i]^2 in four partial sums each (lane = i & 3) combined as (l0 + l2) + (l1 + l3),
// then the tail (n % 4) in order. kAvx2: one 4-lane vector each (LagsAvx2); else two 2-lane SSE2 vectors
// each (LagsBase). The same lanes in the same order: bit-identical (simd.h).
template <bool kAvx2>
WN_ALWAYS_INLINE void Dot2(const double* a, const double* b, uint32_t n, double& ab, double& bb) {
  uint32_t i = 0;
  double sa, se;
  if (kAvx2) {
    v4d s = {0, 0, 0, 0}, e = {0, 0, 0, 0};
    for (; i + 4 <= n; i += 4) {
      const v4d b4 = Load4(b + i);
      s += Load4(a + i) * b4;
      e += b4 * b4;
    }
    const v2d s2 = v2d{s[0], s[1]} + v2d{s[2], s[3]}, e2 = v2d{e[0], e[1]} + v2d{e[2], e[3]};
    sa = s2[0] + s2[1];
    se = e2[0] + e2[1];
  } else {
    v2d s0 = {0, 0}, s1 = {0, 0}, e0 = {0, 0}, e1 = {0, 0};
    for (; i + 4 <= n; i += 4) {
      const v2d b0 = Load2(b + i), b1 = Load2(b + i + 2);
      s0 += Load2(a + i) * b0;
      s1 += Load2(a + i + 2) * b1;
      e0 += b0 * b0;
      e1 += b1 * b1;
    }
    const v2d s2 = s0 + s1, e2 = e0 + e1;
    sa = s2[0] + s2[1];
    se = e2[0] + e2[1];
  }
  for (; i < n; i++) {
    sa += a[i] * b[i];
    se += b[i] * b[i];
  }
  ab = sa;
  bb = se;
}

// Lag k reads x[t - d0 - k]: lx offset (lags - 1 - k). Compiled twice (simd.h); Lags picks one.
template <bool kAvx2>
WN_ALWAYS_INLINE void LagsBody(const double* ly, const double* lx, uint32_t len, uint32_t lags, double w, double* num, double* den) {
  for (uint32_t k = 0; k < lags; k++) {
    double ab, bb;
    Dot2<kAvx2>(ly, lx + (lags - 1 - k), len, ab, bb);
    num[k] += ab * w;
    den[k] += bb * w;
  }
}

void LagsBase(const double* ly, const double* lx, uint32_t len, uint32_t lags, double w, double* num, double* den) {
  LagsBody<false>(ly, lx, len, lags, w, num, den);
}

#ifdef WN_DSP_AVX2
WN_TARGET_AVX2 void LagsAvx2(const double* ly, const double* lx, uint32_t len, uint32_t lags, double w, double* num, double* den) {
  LagsBody<true>(ly, lx, len, lags, w, num, den);
}
#endif

void Lags(const double* ly, const double* lx, uint32_t len, uint32_t lags, double w, double* num, double* den) {
#ifdef WN_DSP_AVX2
  if (DspAvx2()) return LagsAvx2(ly, lx, len, lags, w, num, den);
#endif
  LagsBase(ly, lx, len, lags, w, num, den);
}

std::vector<double> scratchX, scratchY;

// The residual-power weight of a chunk (LeakLevel.accumulate's `weighted`).
struct Weight {
  double gHat;
  double powerFloor;
};

// One chunk: y over [start, start + len) and x over [start - d0 - (lags - 1), start + len - d0) unwrapped from
// the rings (positions modulo mask + 1), then num[k] += w ab_k, den[k] += w bb_k for every lag. With `wt`, w
// is first computed from the sums at lag `best` (index into the lags), in time order:
//   syy = sum y^2, sxy = sum y x, sxx = sum x^2;  w = 1 / (max(0, syy - 2 gHat sxy + gHat^2 sxx) / len + powerFloor).
void Chunk(const float* x, const float* y, uint32_t mask, int64_t start, uint32_t len, int64_t d0, uint32_t lags, double w, double* num,
           double* den, int32_t best, const Weight* wt) {
  const uint32_t xSpan = len + lags - 1;
  if (scratchY.size() < len) scratchY.resize(len);
  if (scratchX.size() < xSpan) scratchX.resize(xSpan);
  double* ly = scratchY.data();
  double* lx = scratchX.data();
  uint32_t p = static_cast<uint32_t>(static_cast<uint64_t>(start) & mask);
  for (uint32_t i = 0; i < len; i++, p = (p + 1) & mask) ly[i] = y[p];
  p = static_cast<uint32_t>(static_cast<uint64_t>(start - d0 - static_cast<int64_t>(lags - 1)) & mask);
  for (uint32_t i = 0; i < xSpan; i++, p = (p + 1) & mask) lx[i] = x[p];
  if (wt != nullptr) {
    const double* xb = lx + (lags - 1 - static_cast<uint32_t>(best));  // x[t - d0 - best]
    double syy = 0, sxy = 0, sxx = 0;
    for (uint32_t i = 0; i < len; i++) {
      const double yv = ly[i], xv = xb[i];
      syy += yv * yv;
      sxy += yv * xv;
      sxx += xv * xv;
    }
    const double res = syy - 2 * wt->gHat * sxy + wt->gHat * wt->gHat * sxx;
    w = 1 / ((res > 0 ? res : 0) / len + wt->powerFloor);
  }
  Lags(ly, lx, len, lags, w, num, den);
}

Napi::Value RingXcorr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float *x, *y;
  size_t xLen, yLen, numLen, denLen;
  double dMask, dStart, dLen, dD0, dLags, w;
  double *num, *den;
  if (!Float32ArrayArg(info, 0, x, xLen) || !Float32ArrayArg(info, 1, y, yLen) || !FiniteArg(info, 2, dMask) || !FiniteArg(info, 3, dStart) ||
      !FiniteArg(info, 4, dLen) || !FiniteArg(info, 5, dD0) || !FiniteArg(info, 6, dLags) || !FiniteArg(info, 7, w) ||
      !Float64ArrayArg(info, 8, num, numLen) || !Float64ArrayArg(info, 9, den, denLen))
    return Int(env, ERR_ARG);
  if (dMask < 0 || dMask > 16777215 || dLen < 0 || dLen > 65536 || dLags < 0 || dLags > 4096 ||
      std::fabs(dD0) > 16777215 || std::fabs(dStart) > 9007199254740991.0)
    return Int(env, ERR_ARG);
  const uint32_t mask = static_cast<uint32_t>(dMask), len = static_cast<uint32_t>(dLen);
  const uint32_t lags = static_cast<uint32_t>(dLags);
  const uint64_t ring = static_cast<uint64_t>(mask) + 1;
  if ((ring & mask) != 0 || xLen < ring || yLen < ring || numLen < lags || denLen < lags) return Int(env, ERR_ARG);
  if (len == 0 || lags == 0) return Int(env, 0);
  Chunk(x, y, mask, static_cast<int64_t>(dStart), len, static_cast<int64_t>(dD0), lags, w, num, den, -1, nullptr);
  return Int(env, 0);
}

// ringFit(x, y, mask, num, den, p: Float64Array [start, span, chunk, d0, lags, best, gHat, powerFloor, weighted]):
// LeakLevel.accumulate (src/dsp/leakLevel.ts) in one call: for each `chunk`-sample piece c of [start, start +
// span) (the last may reach past start + span, as the TypeScript loop did), its weight w — 1, or when
// `weighted` 1 / (max(0, syy - 2 gHat sxy + gHat^2 sxx) / chunk + powerFloor) with the sums over the piece
// at lag d0 + best, summed in time order like the TypeScript loop (bit-identical) — then ringXcorr's lag
// loops for the piece with that weight. 0, or ERR_ARG (same limits as ringXcorr; chunk 1..65536, span
// <= 2^24, best < lags).
Napi::Value RingFit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float *x, *y;
  size_t xLen, yLen, numLen, denLen, pLen;
  double dMask;
  double *num, *den, *p;
  if (!Float32ArrayArg(info, 0, x, xLen) || !Float32ArrayArg(info, 1, y, yLen) || !FiniteArg(info, 2, dMask) ||
      !Float64ArrayArg(info, 3, num, numLen) || !Float64ArrayArg(info, 4, den, denLen) || !Float64ArrayArg(info, 5, p, pLen) || pLen < 9)
    return Int(env, ERR_ARG);
  const double dStart = p[0], dSpan = p[1], dChunk = p[2], dD0 = p[3], dLags = p[4], dBest = p[5], gHat = p[6], floor = p[7];
  const bool weighted = p[8] != 0;
  auto whole = [](double v) { return v == std::floor(v); };  // false for NaN and infinities too
  if (!(dMask >= 0 && dMask <= 16777215) || !whole(dMask) || !(std::fabs(dStart) <= 9007199254740991.0) || !whole(dStart) ||
      !(dSpan >= 0 && dSpan <= 16777216) || !whole(dSpan) || !(dChunk >= 1 && dChunk <= 65536) || !whole(dChunk) ||
      !(std::fabs(dD0) <= 16777215) || !whole(dD0) || !(dLags >= 1 && dLags <= 4096) || !whole(dLags) || !(dBest >= 0 && dBest < dLags) ||
      !whole(dBest) || !std::isfinite(gHat) || !std::isfinite(floor))
    return Int(env, ERR_ARG);
  const uint32_t mask = static_cast<uint32_t>(dMask), chunk = static_cast<uint32_t>(dChunk), lags = static_cast<uint32_t>(dLags);
  const uint64_t ring = static_cast<uint64_t>(mask) + 1;
  if ((ring & mask) != 0 || xLen < ring || yLen < ring || numLen < lags || denLen < lags) return Int(env, ERR_ARG);
  const int64_t start = static_cast<int64_t>(dStart), end = start + static_cast<int64_t>(dSpan), d0 = static_cast<int64_t>(dD0);
  const Weight wt{gHat, floor};
  for (int64_t c = start; c < end; c += chunk)
    Chunk(x, y, mask, c, chunk, d0, lags, 1, num, den, weighted ? static_cast<int32_t>(dBest) : -1, weighted ? &wt : nullptr);
  return Int(env, 0);
}

}  // namespace

void InitXcorr(Napi::Env env, Napi::Object exports) {
  exports.Set("ringXcorr", Napi::Function::New(env, RingXcorr, "ringXcorr"));
  exports.Set("ringFit", Napi::Function::New(env, RingFit, "ringFit"));
}

}  // namespace wn
