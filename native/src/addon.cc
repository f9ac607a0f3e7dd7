// whisperd_native: module entry. See native/README.md and native/index.d.ts for the contract.
#include "codecs.h"
#include "echo.h"
#include "g729.h"
#include "handle.h"
#include "jitter_probe.h"
#include "mix/binding.h"
#include "parse_probe.h"
#include "relay.h"
#include "resampler.h"
#include "t38/t38_binding.h"
#include "dtls/dtls_binding.h"
#include "dsp/dsp_binding.h"
#include "srtp/srtp_binding.h"

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("destroy", Napi::Function::New(env, wn::Destroy, "destroy"));
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  wn::InitG729(env, exports);
  wn::InitResampler(env, exports);
  wn::InitEcho(env, exports);
  wn::InitRelay(env, exports);
  wn::InitCodecs(env, exports);
  wn::InitParseProbe(env, exports);
  wn::InitJitterProbe(env, exports);
  wn::mix::InitMix(env, exports);
  wn::InitT38(env, exports);
  wn::InitDtls(env, exports);
  wn::InitSrtp(env, exports);
  wn::InitDsp(env, exports);
  return exports;
}

NODE_API_MODULE(whisperd_native, InitAddon)
