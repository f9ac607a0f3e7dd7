// Thin N-API binding of the frame codec kernels (native/src/codec/, pure C++) so TypeScript tests and
// benchmarks can drive exactly the code the media threads run, and the TS reference engine runs the
// codecs that exist only as kernels (G.722, GSM, AMR, AMR-WB: src/codec/nativeKernel.ts). Handles as in handle.h; every frame function returns an int.
#include "codecs.h"
#include <cstring>
#include <string>
#include "codec/codec.h"

namespace wn {

using codec::CodecConfig;
using codec::CodecId;
using codec::FrameDecoder;
using codec::FrameEncoder;

static void FreeDecoder(void* s) { delete static_cast<FrameDecoder*>(s); }
static void FreeEncoder(void* s) { delete static_cast<FrameEncoder*>(s); }

// Codec name (SDP spelling: PCMU, PCMA, G729, opus, G722, GSM, AMR, AMR-WB) and rate → config; false on an unknown name or bad rate arg.
static bool ParseCodec(const Napi::CallbackInfo& info, CodecConfig& cfg) {
  if (info.Length() < 2 || !info[0].IsString()) return false;
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (name == "PCMU") cfg.id = CodecId::PCMU;
  else if (name == "PCMA") cfg.id = CodecId::PCMA;
  else if (name == "G729") cfg.id = CodecId::G729;
  else if (name == "opus") cfg.id = CodecId::Opus;
  else if (name == "G722") cfg.id = CodecId::G722;
  else if (name == "GSM") cfg.id = CodecId::GSM;
  else if (name == "AMR") cfg.id = CodecId::AMR;
  else if (name == "AMR-WB") cfg.id = CodecId::AMRWB;
  else return false;
  uint32_t rate;
  if (!IndexArg(info, 1, 384000, rate)) return false;
  cfg.sampleRate = static_cast<int>(rate);
  return true;
}

static bool OptInt(Napi::Object o, const char* key, int min, int max, int& out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || static_cast<double>(static_cast<int>(d)) != d) return false;
  out = static_cast<int>(d);
  return true;
}

static bool OptBool(Napi::Object o, const char* key, bool& out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsBoolean()) return false;
  out = v.As<Napi::Boolean>().Value();
  return true;
}

// codecDecoderCreate(codec, sampleRate, opts?): handle. Throws RangeError on a bad codec/rate.
static Napi::Value DecoderCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CodecConfig cfg;
  bool ok = ParseCodec(info, cfg);
  // opts (AMR / AMR-WB): { octetAlign }.
  if (ok && info.Length() > 2 && !info[2].IsUndefined())
    ok = info[2].IsObject() && OptBool(info[2].As<Napi::Object>(), "octetAlign", cfg.octetAlign);
  if (!ok) {
    Napi::RangeError::New(env, "codecDecoderCreate(codec: 'PCMU'|'PCMA'|'G729'|'opus'|'G722'|'GSM'|'AMR'|'AMR-WB', sampleRate, {octetAlign}?)").ThrowAsJavaScriptException();
    return env.Null();
  }
  const char* error = "codec creation failed";
  std::unique_ptr<FrameDecoder> d = codec::CreateDecoder(cfg, &error);
  if (!d) {
    Napi::RangeError::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::CodecDecoder, d.release(), FreeDecoder);
}

// codecEncoderCreate(codec, sampleRate, opts?): handle. opts: complexity, bitrate, inbandFec,
// packetLossPerc, dtx (Opus DTX / G.729 Annex B), application ('voip' | 'audio'); AMR / AMR-WB:
// octetAlign, mode (-1 = highest). Throws on bad values.
static Napi::Value EncoderCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CodecConfig cfg;
  bool ok = ParseCodec(info, cfg);
  if (ok && info.Length() > 2 && !info[2].IsUndefined()) {
    if (!info[2].IsObject()) {
      ok = false;
    } else {
      Napi::Object o = info[2].As<Napi::Object>();
      ok = OptInt(o, "complexity", 0, 10, cfg.complexity) && OptInt(o, "bitrate", 500, 512000, cfg.bitrate) &&
           OptBool(o, "inbandFec", cfg.inbandFec) && OptInt(o, "packetLossPerc", 0, 100, cfg.packetLossPerc) &&
           OptBool(o, "dtx", cfg.dtx) && OptBool(o, "octetAlign", cfg.octetAlign) && OptInt(o, "mode", -1, 8, cfg.amrMode);
      Napi::Value app = o.Get("application");
      if (ok && !app.IsUndefined()) {
        std::string a = app.IsString() ? app.As<Napi::String>().Utf8Value() : "";
        if (a == "audio") cfg.audioApplication = true;
        else if (a != "voip") ok = false;
      }
    }
  }
  if (!ok) {
    Napi::RangeError::New(env,
                          "codecEncoderCreate(codec: 'PCMU'|'PCMA'|'G729'|'opus'|'G722'|'GSM'|'AMR'|'AMR-WB', sampleRate, "
                          "{complexity 0..10, bitrate 500..512000, inbandFec, packetLossPerc 0..100, dtx, "
                          "application 'voip'|'audio', octetAlign, mode -1..8})")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  const char* error = "codec creation failed";
  std::unique_ptr<FrameEncoder> e = codec::CreateEncoder(cfg, &error);
  if (!e) {
    Napi::RangeError::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::CodecEncoder, e.release(), FreeEncoder);
}

// codecDecode(h, payload: Uint8Array, off, len, out: Int16Array, outOff): samples.
static Napi::Value Decode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* d = static_cast<FrameDecoder*>(StateOf(info, 0, Kind::CodecDecoder));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* in; uint32_t len; int16_t* out; size_t outLen; uint32_t outOff;
  if (!Uint8SpanArg(info, 1, UINT32_MAX, in, len) || !Int16ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  if (outOff > outLen) return Int(env, ERR_SPACE);
  return Int(env, d->decode(in, len, out + outOff, outLen - outOff));
}

// codecConceal(h, out: Int16Array, outOff, samples): samples.
static Napi::Value Conceal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* d = static_cast<FrameDecoder*>(StateOf(info, 0, Kind::CodecDecoder));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  int16_t* out; size_t outLen; uint32_t outOff, samples;
  if (!Int16ArrayArg(info, 1, out, outLen) || !IndexArg(info, 2, UINT32_MAX, outOff) ||
      !IndexArg(info, 3, codec::kMaxFrameSamples, samples))
    return Int(env, ERR_ARG);
  if (outOff > outLen || outLen - outOff < samples) return Int(env, ERR_SPACE);
  return Int(env, d->conceal(out + outOff, samples));
}

// codecRecover(h, next: Uint8Array, off, len, out: Int16Array, outOff, samples): samples.
static Napi::Value Recover(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* d = static_cast<FrameDecoder*>(StateOf(info, 0, Kind::CodecDecoder));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* in; uint32_t len; int16_t* out; size_t outLen; uint32_t outOff, samples;
  if (!Uint8SpanArg(info, 1, UINT32_MAX, in, len) || !Int16ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff) || !IndexArg(info, 6, codec::kMaxFrameSamples, samples))
    return Int(env, ERR_ARG);
  if (outOff > outLen || outLen - outOff < samples) return Int(env, ERR_SPACE);
  return Int(env, d->recover(in, len, out + outOff, samples));
}

// codecEncode(h, pcm: Int16Array, pcmOff, samples, out: Uint8Array, outOff): bytes (0 = DTX).
static Napi::Value Encode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* e = static_cast<FrameEncoder*>(StateOf(info, 0, Kind::CodecEncoder));
  if (e == nullptr) return Int(env, ERR_CLOSED);
  int16_t* pcm; uint32_t samples; uint8_t* out; size_t outLen; uint32_t outOff;
  if (!Int16SpanArg(info, 1, codec::kMaxFrameSamples, pcm, samples) || !Uint8ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  if (outOff > outLen) return Int(env, ERR_SPACE);
  return Int(env, e->encode(pcm, samples, out + outOff, outLen - outOff));
}

// codecReset(h): 0. Decoder or encoder.
static Napi::Value Reset(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (auto* d = static_cast<FrameDecoder*>(StateOf(info, 0, Kind::CodecDecoder))) {
    d->reset();
    return Int(env, 0);
  }
  if (auto* e = static_cast<FrameEncoder*>(StateOf(info, 0, Kind::CodecEncoder))) {
    e->reset();
    return Int(env, 0);
  }
  return Int(env, ERR_CLOSED);
}

void InitCodecs(Napi::Env env, Napi::Object exports) {
  exports.Set("codecDecoderCreate", Napi::Function::New(env, DecoderCreate, "codecDecoderCreate"));
  exports.Set("codecEncoderCreate", Napi::Function::New(env, EncoderCreate, "codecEncoderCreate"));
  exports.Set("codecDecode", Napi::Function::New(env, Decode, "codecDecode"));
  exports.Set("codecConceal", Napi::Function::New(env, Conceal, "codecConceal"));
  exports.Set("codecRecover", Napi::Function::New(env, Recover, "codecRecover"));
  exports.Set("codecEncode", Napi::Function::New(env, Encode, "codecEncode"));
  exports.Set("codecReset", Napi::Function::New(env, Reset, "codecReset"));
}

}  // namespace wn
