// mix_binding.cc: registers the mix* N-API functions (native/index.d.ts) on the addon's exports.
#pragma once
#include <napi.h>

namespace wn {
namespace mix {

void InitMix(Napi::Env env, Napi::Object exports);

}  // namespace mix
}  // namespace wn
