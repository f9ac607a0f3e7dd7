// N-API binding of the bleed detector's DSP kernels (native/src/dsp/): the real FFT (FFTW) behind
// src/dsp/realFft.ts and the decimating FIR behind src/dsp/decimator.ts.
#pragma once
#include <napi.h>

namespace wn {

void InitDsp(Napi::Env env, Napi::Object exports);

}  // namespace wn
