// jitterProbe*: see jitter_probe.h. Surface (mirrored in native/index.d.ts):
//   jitterProbeCreate(codecId, clockRate, sampleRate, opts?): handle (Kind::JitterProbe). codecId is
//     codec.h's CodecId (PCMU 0, PCMA 8, G729 18, Opus 111); sampleRate the decoder's output rate;
//     opts = jitter::Options fields (frameMs, maxPackets, maxPayloadBytes, minDelayMs, maxDelayMs,
//     startDelayMs, cnPayloadType, maxConcealMs, silenceRms). Throws RangeError on bad arguments.
//   jitterProbePut(h, pkt, len, arrivalMs): parse pkt[0..len) (rtp/parse.h) and Put it. 0 = fed, > 0 =
//     the RtpVerdict that kept it out (not fed, like the media thread drops it), ARG, CLOSED.
//   jitterProbeGet(h, out, nowMs): one frame into out[0..frameSamples). FrameKind (0 NORMAL, 1 CONCEALED,
//     2 SILENCE), SPACE if out is shorter than a frame, ARG, CLOSED.
//   jitterProbeStats(h, out): jitter::Stats (kStatsCount doubles, header order) into out. 0, SPACE, CLOSED.
//   jitterProbeReset(h): JitterBuffer::Reset. 0 or CLOSED.
#include "jitter_probe.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <new>

#include "codec/codec.h"
#include "handle.h"
#include "jitter/jitter_buffer.h"
#include "rtp/parse.h"

namespace wn {
namespace {

struct Probe {
  std::unique_ptr<codec::FrameDecoder> decoder;
  std::unique_ptr<jitter::JitterBuffer> jb;
};

void FreeProbe(void* s) { delete static_cast<Probe*>(s); }

// The live probe behind info[0], or nullptr (the caller returns ERR_CLOSED).
Probe* ProbeOf(const Napi::CallbackInfo& info) { return static_cast<Probe*>(StateOf(info, 0, Kind::JitterProbe)); }

// A finite number at info[index]; false if missing, not a number, or not finite (the caller returns ERR_ARG).
bool FiniteArg(const Napi::CallbackInfo& info, size_t index, double& out) {
  if (info.Length() <= index || !info[index].IsNumber()) return false;
  out = info[index].As<Napi::Number>().DoubleValue();
  return std::isfinite(out);
}

bool OptNum(Napi::Object o, const char* key, double min, double max, bool integer, double& out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsNumber()) return false;
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max)) return false;
  if (integer && std::floor(d) != d) return false;
  out = d;
  return true;
}

bool ParseOptions(const Napi::CallbackInfo& info, size_t index, jitter::Options& opts) {
  if (info.Length() <= index || info[index].IsUndefined()) return true;
  if (!info[index].IsObject()) return false;
  Napi::Object o = info[index].As<Napi::Object>();
  double frameMs = opts.frameMs, maxPackets = opts.maxPackets, maxPayload = opts.maxPayloadBytes,
         cnPt = opts.cnPayloadType;
  const bool ok = OptNum(o, "frameMs", 1, 1000, true, frameMs) && OptNum(o, "maxPackets", 1, 1 << 20, true, maxPackets) &&
                  OptNum(o, "maxPayloadBytes", 1, 1 << 20, true, maxPayload) &&
                  OptNum(o, "minDelayMs", 0, 1e6, false, opts.minDelayMs) &&
                  OptNum(o, "maxDelayMs", 0, 1e6, false, opts.maxDelayMs) &&
                  OptNum(o, "startDelayMs", 0, 1e6, false, opts.startDelayMs) &&
                  OptNum(o, "cnPayloadType", -1, 127, true, cnPt) &&
                  OptNum(o, "maxConcealMs", 0, 1e6, false, opts.maxConcealMs) &&
                  OptNum(o, "silenceRms", 0, 1e6, false, opts.silenceRms);
  opts.frameMs = static_cast<int>(frameMs);
  opts.maxPackets = static_cast<int>(maxPackets);
  opts.maxPayloadBytes = static_cast<int>(maxPayload);
  opts.cnPayloadType = static_cast<int>(cnPt);
  return ok;
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t id, clockRate, sampleRate;
  jitter::Options opts;
  if (!IndexArg(info, 0, 255, id) || !IndexArg(info, 1, 384000, clockRate) || !IndexArg(info, 2, 384000, sampleRate) ||
      (id != 0 && id != 8 && id != 18 && id != 111) || !ParseOptions(info, 3, opts)) {
    Napi::RangeError::New(env,
                          "jitterProbeCreate(codecId: 0|8|18|111, clockRate, sampleRate, {frameMs, maxPackets, "
                          "maxPayloadBytes, minDelayMs, maxDelayMs, startDelayMs, cnPayloadType, maxConcealMs, silenceRms})")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  codec::CodecConfig cfg;
  cfg.id = static_cast<codec::CodecId>(id);
  cfg.sampleRate = static_cast<int>(sampleRate);
  opts.clockRate = static_cast<int>(clockRate);
  const char* error = "codec creation failed";
  std::unique_ptr<Probe> p(new (std::nothrow) Probe());
  if (p) p->decoder = codec::CreateDecoder(cfg, &error);
  if (p && p->decoder) p->jb = jitter::JitterBuffer::Create(opts, p->decoder.get(), &error);
  if (!p || !p->jb) {
    Napi::RangeError::New(env, p ? error : "out of memory").ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::JitterProbe, p.release(), FreeProbe);
}

Napi::Value Put(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Probe* p = ProbeOf(info);
  if (p == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* buf;
  size_t buf_len;
  uint32_t len;
  double arrival;
  if (!Uint8ArrayArg(info, 1, buf, buf_len) || !IndexArg(info, 2, UINT32_MAX, len) || len > buf_len ||
      !FiniteArg(info, 3, arrival))
    return Int(env, ERR_ARG);
  rtp::RtpView v;
  const int r = rtp::ParseRtp(buf, len, &v);
  if (r != rtp::V_OK) return Int(env, r);
  p->jb->Put(buf, len, v, arrival);
  return Int(env, 0);
}

Napi::Value Get(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Probe* p = ProbeOf(info);
  if (p == nullptr) return Int(env, ERR_CLOSED);
  int16_t* out;
  size_t out_len;
  double now;
  if (!Int16ArrayArg(info, 1, out, out_len) || !FiniteArg(info, 2, now)) return Int(env, ERR_ARG);
  if (out_len < static_cast<size_t>(p->jb->frameSamples())) return Int(env, ERR_SPACE);
  return Int(env, static_cast<int>(p->jb->Get(out, now)));
}

Napi::Value StatsOf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Probe* p = ProbeOf(info);
  if (p == nullptr) return Int(env, ERR_CLOSED);
  double* out;
  size_t out_len;
  if (!Float64ArrayArg(info, 1, out, out_len)) return Int(env, ERR_ARG);
  if (out_len < static_cast<size_t>(jitter::kStatsCount)) return Int(env, ERR_SPACE);
  std::memcpy(out, &p->jb->stats(), sizeof(double) * jitter::kStatsCount);
  return Int(env, 0);
}

Napi::Value Reset(const Napi::CallbackInfo& info) {
  Probe* p = ProbeOf(info);
  if (p == nullptr) return Int(info.Env(), ERR_CLOSED);
  p->jb->Reset();
  return Int(info.Env(), 0);
}

}  // namespace

void InitJitterProbe(Napi::Env env, Napi::Object exports) {
  exports.Set("jitterProbeCreate", Napi::Function::New(env, Create, "jitterProbeCreate"));
  exports.Set("jitterProbePut", Napi::Function::New(env, Put, "jitterProbePut"));
  exports.Set("jitterProbeGet", Napi::Function::New(env, Get, "jitterProbeGet"));
  exports.Set("jitterProbeStats", Napi::Function::New(env, StatsOf, "jitterProbeStats"));
  exports.Set("jitterProbeReset", Napi::Function::New(env, Reset, "jitterProbeReset"));
}

}  // namespace wn
