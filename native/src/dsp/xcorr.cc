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

namespace wn {

namespace {

typedef double v2d __attribute__((vector_size(16)));

inline v2d Load2(const double* p) {
  v2d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// (sum a[i] b[i], sum b[i]^2) for i < n.
inline void Dot2(const double* a, const double* b, uint32_t n, double& ab, double& bb) {
  v2d s0 = {0, 0}, s1 = {0, 0}, e0 = {0, 0}, e1 = {0, 0};
  uint32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v2d b0 = Load2(b + i), b1 = Load2(b + i + 2);
    s0 += Load2(a + i) * b0;
    s1 += Load2(a + i + 2) * b1;
    e0 += b0 * b0;
    e1 += b1 * b1;
  }
  v2d s = s0 + s1, e = e0 + e1;
  double sa = s[0] + s[1], se = e[0] + e[1];
  for (; i < n; i++) {
    sa += a[i] * b[i];
    se += b[i] * b[i];
  }
  ab = sa;
  bb = se;
}

std::vector<double> scratchX, scratchY;

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
  // Ring position of t (t may be negative as a double; positions are modulo ring).
  auto pos = [&](double t) -> uint32_t {
    const int64_t v = static_cast<int64_t>(t);
    return static_cast<uint32_t>(static_cast<uint64_t>(v) & mask);
  };
  // y over [start, start + len); x over [start - d0 - (lags - 1), start + len - d0), oldest first.
  const uint32_t xSpan = len + lags - 1;
  if (scratchY.size() < len) scratchY.resize(len);
  if (scratchX.size() < xSpan) scratchX.resize(xSpan);
  double* ly = scratchY.data();
  double* lx = scratchX.data();
  uint32_t p = pos(dStart);
  for (uint32_t i = 0; i < len; i++, p = (p + 1) & mask) ly[i] = y[p];
  p = pos(dStart - dD0 - (dLags - 1));
  for (uint32_t i = 0; i < xSpan; i++, p = (p + 1) & mask) lx[i] = x[p];
  // Lag k reads x[t - d0 - k]: lx offset (lags - 1 - k).
  for (uint32_t k = 0; k < lags; k++) {
    double ab, bb;
    Dot2(ly, lx + (lags - 1 - k), len, ab, bb);
    num[k] += ab * w;
    den[k] += bb * w;
  }
  return Int(env, 0);
}

}  // namespace

void InitXcorr(Napi::Env env, Napi::Object exports) {
  exports.Set("ringXcorr", Napi::Function::New(env, RingXcorr, "ringXcorr"));
}

}  // namespace wn
