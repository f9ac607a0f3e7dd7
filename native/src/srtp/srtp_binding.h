// N-API binding of the SRTP contexts (srtp.h): srtpCreate / srtpProtect / srtpUnprotect / srtpStats.
#pragma once
#include <napi.h>

namespace wn {
namespace srtp {
class Context;
}

void InitSrtp(Napi::Env env, Napi::Object exports);
// The live context behind info[index] if it is an SRTP handle, else nullptr (relay.cc takes it for ADD/SET).
srtp::Context* SrtpContextOf(const Napi::CallbackInfo& info, size_t index);

}  // namespace wn
