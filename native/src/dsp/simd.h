// Which variant of the bleed detector's vector kernels runs (decimator.cc, xcorr.cc, gcc.cc).
//
// Each kernel has a baseline body (SSE2, every x86-64 CPU; plain C++ elsewhere) and, on x86-64 with GCC, an
// AVX2 copy of the same body (4-lane vectors; AVX2 without FMA and -ffp-contract=off, so no fused
// multiply-adds): the same operations on the same lanes in the same order, so both give bit-identical
// results. The AVX2 copy runs when the CPU has AVX2, unless dspKernels('baseline') chose the baseline
// (test/unit/dsp/dspKernels.test.ts runs both and compares them). JS thread only, like the kernels.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define WN_DSP_AVX2 1
#define WN_TARGET_AVX2 __attribute__((target("avx2")))
#define WN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define WN_TARGET_AVX2
#define WN_ALWAYS_INLINE inline
#endif

namespace wn {

// GCC: -O3 for the kernels (vectorised conversions and element-wise loops); the rest of the addon is -O2.
#if defined(__GNUC__) && !defined(__clang__)
#define WN_O3 __attribute__((optimize("O3")))
#else
#define WN_O3
#endif

// 2- and 4-lane double vectors (GCC/Clang vector extensions: on a target without AVX a 4-lane operation is
// two 2-lane instructions on the same lanes) and unaligned loads through may_alias types.
typedef double v2d __attribute__((vector_size(16)));
typedef double v4d __attribute__((vector_size(32)));
typedef double v2du __attribute__((vector_size(16), aligned(8), may_alias));
typedef double v4du __attribute__((vector_size(32), aligned(8), may_alias));
#define Load2(p) (*reinterpret_cast<const v2du*>(p))
#define Load4(p) (*reinterpret_cast<const v4du*>(p))

// True when the AVX2 copies are to run (fft.cc: the CPU has AVX2 and dspKernels has not chosen 'baseline').
bool DspAvx2();

}  // namespace wn
