// N-API binding of srtp::Context (src/media/srtp.ts SrtpContext). Synchronous: the JS path protects and
// unprotects in place on Node's main thread; the media threads use the same Context objects directly
// (relay.cc), while the JS SrtpContext that created one keeps it alive.
#include "srtp_binding.h"

#include <cstring>

#include "../handle.h"
#include "srtp.h"

namespace wn {

static void FreeSrtp(void* s) { delete static_cast<srtp::Context*>(s); }

srtp::Context* SrtpContextOf(const Napi::CallbackInfo& info, size_t index) {
  return static_cast<srtp::Context*>(StateOf(info, index, Kind::Srtp));
}

static bool BytesProp(Napi::Object o, const char* name, uint8_t* out, size_t want) {
  Napi::Value v = o.Get(name);
  if (!v.IsTypedArray()) return false;
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_uint8_array) return false;
  Napi::Uint8Array a = v.As<Napi::Uint8Array>();
  if (a.ElementLength() != want) return false;
  memcpy(out, a.Data(), want);
  return true;
}

static bool BoolProp(Napi::Object o, const char* name) {
  Napi::Value v = o.Get(name);
  return v.IsBoolean() && v.As<Napi::Boolean>().Value();
}

// srtpCreate({suite, key, salt, mki?, mkiLength?, lifetime?, unencryptedSrtp?, unencryptedSrtcp?,
// unauthenticatedSrtp?, sessionKeys?, authKey?}): handle. Throws RangeError on impossible parameters.
static Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "srtpCreate(options)").ThrowAsJavaScriptException();
    return env.Null();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  srtp::Params p;
  Napi::Value sv = o.Get("suite");
  if (!sv.IsNumber()) {
    Napi::RangeError::New(env, "srtpCreate: suite must be a number").ThrowAsJavaScriptException();
    return env.Null();
  }
  double sd = sv.As<Napi::Number>().DoubleValue();
  if (!(sd >= 0 && sd < srtp::SUITE_COUNT) || sd != static_cast<int>(sd)) {
    Napi::RangeError::New(env, "srtpCreate: unknown suite").ThrowAsJavaScriptException();
    return env.Null();
  }
  p.suite = static_cast<int>(sd);
  const srtp::SuiteInfo& s = srtp::kSuites[p.suite];
  if (!BytesProp(o, "key", p.key, s.keyLen) || !BytesProp(o, "salt", p.salt, s.saltLen)) {
    Napi::RangeError::New(env, std::string("srtpCreate: ") + s.name + " needs a " + std::to_string(s.keyLen) + "-byte key and a " +
                                   std::to_string(s.saltLen) + "-byte salt")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  Napi::Value ml = o.Get("mkiLength");
  if (ml.IsNumber()) {
    double v = ml.As<Napi::Number>().DoubleValue();
    if (!(v >= 0 && v <= 128) || v != static_cast<int>(v)) {
      Napi::RangeError::New(env, "srtpCreate: mkiLength 0..128").ThrowAsJavaScriptException();
      return env.Null();
    }
    p.mkiLen = static_cast<uint8_t>(v);
    Napi::Value mv = o.Get("mki");
    double m = mv.IsNumber() ? mv.As<Napi::Number>().DoubleValue() : 0;
    if (!(m >= 0 && m <= 4294967295.0)) m = 0;
    p.mki = static_cast<uint32_t>(m);
    if (p.mkiLen < 4) p.mki &= (1u << (8 * p.mkiLen)) - 1;
  }
  Napi::Value lt = o.Get("lifetime");
  if (lt.IsNumber()) {
    double v = lt.As<Napi::Number>().DoubleValue();
    if (v >= 1 && v <= 281474976710656.0) p.lifetime = static_cast<uint64_t>(v);
  }
  p.unencryptedSrtp = BoolProp(o, "unencryptedSrtp");
  p.unencryptedSrtcp = BoolProp(o, "unencryptedSrtcp");
  p.unauthenticatedSrtp = BoolProp(o, "unauthenticatedSrtp");
  p.sessionKeys = BoolProp(o, "sessionKeys");
  if (p.sessionKeys) BytesProp(o, "authKey", p.authKey, 20);
  Napi::Value roc = o.Get("initialRoc");
  if (p.sessionKeys && roc.IsNumber()) {
    double v = roc.As<Napi::Number>().DoubleValue();
    if (v >= 0 && v <= 4294967295.0) p.initialRoc = static_cast<uint32_t>(v);
  }
  const char* err = nullptr;
  srtp::Context* c = srtp::Context::Create(p, &err);
  memset(p.key, 0, sizeof p.key);
  if (c == nullptr) {
    Napi::RangeError::New(env, std::string("srtpCreate: ") + (err ? err : "failed")).ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::Srtp, c, FreeSrtp);
}

// srtpProtect / srtpUnprotect(h, buf, len, rtcp): one argument check for both; the buffer's size is the room
// available. Returns the context's result, ERR_CLOSED or ERR_ARG.
template <bool kProtect>
static Napi::Value ProtectOrUnprotect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  srtp::Context* c = SrtpContextOf(info, 0);
  if (c == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* data;
  size_t cap;
  uint32_t len;
  if (!Uint8ArrayArg(info, 1, data, cap) || !IndexArg(info, 2, UINT32_MAX, len) || len > cap) return Int(env, ERR_ARG);
  bool rtcp = info.Length() > 3 && info[3].ToBoolean().Value();
  return Int(env, kProtect ? c->Protect(data, len, cap, rtcp) : c->Unprotect(data, len, rtcp));
}

// Read-outs of shape (h, out: Float64Array(>= minLen)): `read(context, out, out's length)` is the result;
// ERR_CLOSED, ERR_ARG.
template <typename Read>
static Napi::Value ReadOutCall(const Napi::CallbackInfo& info, size_t minLen, Read read) {
  Napi::Env env = info.Env();
  srtp::Context* c = SrtpContextOf(info, 0);
  if (c == nullptr) return Int(env, ERR_CLOSED);
  double* out;
  size_t n;
  if (!Float64ArrayArg(info, 1, out, n) || n < minLen) return Int(env, ERR_ARG);
  return Int(env, read(*c, out, n));
}

// srtpStats(h, out: Float64Array(4)): [authFailures, replays, decrypted, encrypted]; 0 or < 0.
static Napi::Value Stats(const Napi::CallbackInfo& info) {
  return ReadOutCall(info, 4, [](srtp::Context& c, double* out, size_t) {
    out[0] = static_cast<double>(c.counters.authFailures.load(std::memory_order_relaxed));
    out[1] = static_cast<double>(c.counters.replays.load(std::memory_order_relaxed));
    out[2] = static_cast<double>(c.counters.decrypted.load(std::memory_order_relaxed));
    out[3] = static_cast<double>(c.counters.encrypted.load(std::memory_order_relaxed));
    return 0;
  });
}

// (takeover) srtpStreams(h, out: Float64Array(4 * k)): {ssrc, index, rtcpIndex, 0} per stream; the count, or < 0.
static Napi::Value Streams(const Napi::CallbackInfo& info) {
  return ReadOutCall(info, 0, [](srtp::Context& c, double* out, size_t n) { return c.ReadStreams(out, static_cast<int>(n / 4)); });
}

// (takeover) srtpSeed(h, ssrc, index (48 bit), rtcpIndex): before the context is handed to a media thread. 0, or < 0.
static Napi::Value Seed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  srtp::Context* c = SrtpContextOf(info, 0);
  if (c == nullptr) return Int(env, ERR_CLOSED);
  if (info.Length() < 4 || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsNumber()) return Int(env, ERR_ARG);
  const double ssrc = info[1].As<Napi::Number>().DoubleValue();
  const double index = info[2].As<Napi::Number>().DoubleValue();
  const double rtcp = info[3].As<Napi::Number>().DoubleValue();
  if (!(ssrc >= 0 && ssrc <= 4294967295.0 && index >= 0 && index < 281474976710656.0 && rtcp >= 0 && rtcp <= 2147483647.0)) return Int(env, ERR_ARG);
  c->SeedStream(static_cast<uint32_t>(ssrc), static_cast<uint64_t>(index), static_cast<uint32_t>(rtcp));
  return Int(env, 0);
}

// srtpDeriveKey(masterKey, masterSalt (14 bytes, or 12 zero-padded), label, length): Uint8Array. Tests.
static Napi::Value DeriveKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint8_t *key, *salt;
  size_t kl, sl;
  uint32_t label, n;
  if (!Uint8ArrayArg(info, 0, key, kl) || !Uint8ArrayArg(info, 1, salt, sl) || !IndexArg(info, 2, 5, label) ||
      !IndexArg(info, 3, 256, n) || (sl != 14 && sl != 12)) {
    Napi::RangeError::New(env, "srtpDeriveKey(key, salt, label 0..5, length)").ThrowAsJavaScriptException();
    return env.Null();
  }
  uint8_t s14[14] = {};
  memcpy(s14, salt, sl);
  Napi::Uint8Array out = Napi::Uint8Array::New(env, n);
  if (!srtp::DeriveKey(key, kl, s14, static_cast<uint8_t>(label), out.Data(), n)) {
    Napi::RangeError::New(env, "srtpDeriveKey: key must be 16, 24 or 32 bytes").ThrowAsJavaScriptException();
    return env.Null();
  }
  return out;
}

void InitSrtp(Napi::Env env, Napi::Object exports) {
  exports.Set("srtpCreate", Napi::Function::New(env, Create, "srtpCreate"));
  exports.Set("srtpProtect", Napi::Function::New(env, ProtectOrUnprotect<true>, "srtpProtect"));
  exports.Set("srtpUnprotect", Napi::Function::New(env, ProtectOrUnprotect<false>, "srtpUnprotect"));
  exports.Set("srtpStats", Napi::Function::New(env, Stats, "srtpStats"));
  exports.Set("srtpStreams", Napi::Function::New(env, Streams, "srtpStreams"));
  exports.Set("srtpSeed", Napi::Function::New(env, Seed, "srtpSeed"));
  exports.Set("srtpDeriveKey", Napi::Function::New(env, DeriveKey, "srtpDeriveKey"));
}

}  // namespace wn
