// DTLS-SRTP bindings (dtls_binding.cc; the engine is dtls.h).
#pragma once
#include <napi.h>

namespace wn {
void InitDtls(Napi::Env env, Napi::Object exports);
}
