// N-API surface of DTLS-SRTP (dtls.h), driven by src/media/dtls/ on Node's main thread (handshakes only,
// never per media packet; allocation here is fine). Nothing throws except construction:
//
//   dtlsCertCreate(keyType 0 = EC P-256 | 1 = RSA 2048, lifetimeSeconds, commonName): cert handle (throws)
//   dtlsCertFingerprint(cert, hash 'sha-1'|'sha-224'|'sha-256'|'sha-384'|'sha-512'): "AB:CD:…" | null
//   dtlsCertPem(cert): the certificate in PEM (public part only) | null
//   dtlsCertValidity(cert): [notBefore, notAfter] in Unix seconds | null
//   dtlsConnCreate(cert, active, mtu): conn handle (throws)
//   dtlsFeed(conn, buf | null, offset, len): Buffer[] to send (null buf: start / pump), or < 0
//     (ERR_CLOSED: destroyed handle; ERR_PAYLOAD: the datagram failed the record check and was not fed)
//   dtlsTimeout(conn): Buffer[] (retransmissions), or < 0
//   dtlsNextTimeout(conn): ms until the retransmission timer expires, -1 none, or < -1 (ERR_*)
//   dtlsState(conn): 0 new, 1 handshaking, 2 connected, 3 failed, 4 closed, or < 0
//   dtlsError(conn): why it failed/closed ("" if it did not)
//   dtlsSetRemoteFingerprint(conn, hash, value): 0 set, 1 verified the certificate already seen, 2 mismatch
//     (the connection failed), ERR_ARG bad hash/value
//   dtlsPeerFingerprint(conn, hash): the peer certificate's fingerprint | null
//   dtlsSrtp(conn): { profile, material } once connected and verified, else null
//   dtlsShutdown(conn): Buffer[] (close_notify), or < 0
//   dtlsCheck(buf, offset, len): record verdict (record.h RecordVerdict, 0 ok) | 16 if the first record is a
//     ClientHello; < 0 on bad arguments
#include "dtls_binding.h"

#include <ctime>
#include <string>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "../handle.h"
#include "dtls.h"
#include "record.h"

namespace wn {
namespace {

using dtls::Cert;
using dtls::Conn;

void FreeCert(void* p) { delete static_cast<Cert*>(p); }
void FreeConn(void* p) { delete static_cast<Conn*>(p); }

Napi::Value TakeOut(Napi::Env env, Conn* c) {
  const auto& out = c->out();
  Napi::Array arr = Napi::Array::New(env, out.size());
  for (size_t i = 0; i < out.size(); i++) arr.Set(static_cast<uint32_t>(i), Napi::Buffer<uint8_t>::Copy(env, out[i].data(), out[i].size()));
  c->ClearOut();
  return arr;
}


Napi::Value CertCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t type = 0, lifetime = 0;
  if (!IndexArg(info, 0, 1, type) || !IndexArg(info, 1, 10u * 365 * 86400, lifetime) || lifetime < 60 || info.Length() < 3 ||
      !info[2].IsString()) {
    Napi::RangeError::New(env, "dtlsCertCreate(keyType 0|1, lifetimeSeconds 60.., commonName)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string error;
  Cert* c = Cert::Create(type == 1 ? dtls::KeyType::kRsa2048 : dtls::KeyType::kEcP256, lifetime, info[2].As<Napi::String>().Utf8Value(), &error);
  if (c == nullptr) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return MakeHandle(env, Kind::DtlsCert, c, FreeCert);
}

Napi::Value CertFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Cert*>(StateOf(info, 0, Kind::DtlsCert));
  if (c == nullptr || info.Length() < 2 || !info[1].IsString()) return env.Null();
  const EVP_MD* md = dtls::DigestByName(info[1].As<Napi::String>().Utf8Value().c_str());
  uint8_t d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if (!c->Fingerprint(md, d, &n)) return env.Null();
  return Napi::String::New(env, dtls::HexColons(d, n));
}

Napi::Value CertPem(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Cert*>(StateOf(info, 0, Kind::DtlsCert));
  if (c == nullptr) return env.Null();
  BIO* b = BIO_new(BIO_s_mem());
  if (b == nullptr) return env.Null();
  Napi::Value ret = env.Null();
  if (PEM_write_bio_X509(b, c->x509()) == 1) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    if (n > 0) ret = Napi::String::New(env, data, static_cast<size_t>(n));
  }
  BIO_free(b);
  ERR_clear_error();
  return ret;
}

double UnixOf(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return -1;
  return static_cast<double>(timegm(&tm));
}

Napi::Value CertValidity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Cert*>(StateOf(info, 0, Kind::DtlsCert));
  if (c == nullptr) return env.Null();
  Napi::Array arr = Napi::Array::New(env, 2);
  arr.Set(0u, Napi::Number::New(env, UnixOf(X509_get0_notBefore(c->x509()))));
  arr.Set(1u, Napi::Number::New(env, UnixOf(X509_get0_notAfter(c->x509()))));
  return arr;
}

Napi::Value ConnCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* cert = static_cast<Cert*>(StateOf(info, 0, Kind::DtlsCert));
  uint32_t mtu = 0;
  if (cert == nullptr || info.Length() < 3 || !info[1].IsBoolean() || !IndexArg(info, 2, 16384, mtu)) {
    Napi::RangeError::New(env, "dtlsConnCreate(cert, active: boolean, mtu)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string error;
  Conn* c = Conn::Create(*cert, info[1].As<Napi::Boolean>().Value(), static_cast<int>(mtu), &error);
  if (c == nullptr) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return MakeHandle(env, Kind::DtlsConn, c, FreeConn);
}

Napi::Value Feed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr) return Int(env, ERR_CLOSED);
  if (info.Length() < 2 || info[1].IsNull() || info[1].IsUndefined()) {
    c->Feed(nullptr, 0);
    return TakeOut(env, c);
  }
  uint8_t* data;
  uint32_t len;
  if (!Uint8SpanArg(info, 1, 65535, data, len)) return Int(env, ERR_ARG);
  if (dtls::CheckDatagram(data, len) != dtls::RecordVerdict::kOk) return Int(env, ERR_PAYLOAD);
  c->Feed(data, len);
  return TakeOut(env, c);
}

Napi::Value Timeout(const Napi::CallbackInfo& info) {
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr) return Int(info.Env(), ERR_CLOSED);
  c->Timeout();
  return TakeOut(info.Env(), c);
}

Napi::Value NextTimeout(const Napi::CallbackInfo& info) {
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr) return Int(info.Env(), ERR_CLOSED);
  return Napi::Number::New(info.Env(), static_cast<double>(c->NextTimeoutMs()));
}

Napi::Value State(const Napi::CallbackInfo& info) {
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr) return Int(info.Env(), ERR_CLOSED);
  return Int(info.Env(), static_cast<int32_t>(c->state()));
}

Napi::Value Error(const Napi::CallbackInfo& info) {
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  return Napi::String::New(info.Env(), c == nullptr ? "closed" : c->error());
}

Napi::Value SetRemoteFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr) return Int(env, ERR_CLOSED);
  if (info.Length() < 3 || !info[1].IsString() || !info[2].IsString()) return Int(env, ERR_ARG);
  const std::string value = info[2].As<Napi::String>().Utf8Value();
  if (value.size() > 3 * dtls::kMaxDigest) return Int(env, ERR_ARG);
  const int r = c->SetRemoteFingerprint(info[1].As<Napi::String>().Utf8Value().c_str(), value);
  return Int(env, r < 0 ? ERR_ARG : r);
}

Napi::Value PeerFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr || info.Length() < 2 || !info[1].IsString()) return env.Null();
  const std::string fp = c->PeerFingerprint(dtls::DigestByName(info[1].As<Napi::String>().Utf8Value().c_str()));
  if (fp.empty()) return env.Null();
  return Napi::String::New(env, fp);
}

Napi::Value Srtp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  std::string profile;
  std::vector<uint8_t> material;
  if (c == nullptr || !c->Srtp(&profile, &material)) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("profile", Napi::String::New(env, profile));
  o.Set("material", Napi::Buffer<uint8_t>::Copy(env, material.data(), material.size()));
  return o;
}

Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  auto* c = static_cast<Conn*>(StateOf(info, 0, Kind::DtlsConn));
  if (c == nullptr) return Int(info.Env(), ERR_CLOSED);
  c->Shutdown();
  return TakeOut(info.Env(), c);
}

Napi::Value Check(const Napi::CallbackInfo& info) {
  uint8_t* data;
  uint32_t len;
  if (!Uint8SpanArg(info, 0, 65535, data, len)) return Int(info.Env(), ERR_ARG);
  int v = static_cast<int>(dtls::CheckDatagram(data, len));
  if (dtls::IsClientHello(data, len)) v |= 16;
  return Int(info.Env(), v);
}

}  // namespace

void InitDtls(Napi::Env env, Napi::Object exports) {
  exports.Set("dtlsCertCreate", Napi::Function::New(env, CertCreate, "dtlsCertCreate"));
  exports.Set("dtlsCertFingerprint", Napi::Function::New(env, CertFingerprint, "dtlsCertFingerprint"));
  exports.Set("dtlsCertPem", Napi::Function::New(env, CertPem, "dtlsCertPem"));
  exports.Set("dtlsCertValidity", Napi::Function::New(env, CertValidity, "dtlsCertValidity"));
  exports.Set("dtlsConnCreate", Napi::Function::New(env, ConnCreate, "dtlsConnCreate"));
  exports.Set("dtlsFeed", Napi::Function::New(env, Feed, "dtlsFeed"));
  exports.Set("dtlsTimeout", Napi::Function::New(env, Timeout, "dtlsTimeout"));
  exports.Set("dtlsNextTimeout", Napi::Function::New(env, NextTimeout, "dtlsNextTimeout"));
  exports.Set("dtlsState", Napi::Function::New(env, State, "dtlsState"));
  exports.Set("dtlsError", Napi::Function::New(env, Error, "dtlsError"));
  exports.Set("dtlsSetRemoteFingerprint", Napi::Function::New(env, SetRemoteFingerprint, "dtlsSetRemoteFingerprint"));
  exports.Set("dtlsPeerFingerprint", Napi::Function::New(env, PeerFingerprint, "dtlsPeerFingerprint"));
  exports.Set("dtlsSrtp", Napi::Function::New(env, Srtp, "dtlsSrtp"));
  exports.Set("dtlsShutdown", Napi::Function::New(env, Shutdown, "dtlsShutdown"));
  exports.Set("dtlsCheck", Napi::Function::New(env, Check, "dtlsCheck"));
}

}  // namespace wn
