// N-API binding of the bleed detector's DSP kernels (native/src/dsp/): the real FFT (FFTW) behind
// src/dsp/realFft.ts, the decimating FIR behind src/dsp/decimator.ts and the lagged cross-products
// (ringXcorr) behind src/dsp/leakLevel.ts (via src/dsp/nativeDsp.ts).
#pragma once
#include <napi.h>

namespace wn {

void InitDsp(Napi::Env env, Napi::Object exports);

}  // namespace wn
