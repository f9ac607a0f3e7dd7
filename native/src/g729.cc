// G.729 Annex A + B N-API binding (ITU-T G.729A/B; RTP payload format RFC 3551 §4.5.6) over the pure
// C++ kernel native/src/codec/g729.{h,cc} (bcg729), the same code the media threads run.
//
// RTP payload layout: zero or more 10-byte speech frames (80 samples = 10 ms each at 8 kHz),
// optionally followed by ONE 2-byte Annex B SID frame, which must be the last frame of the payload.
// Each exported function handles a whole RTP payload (looping over 10 ms frames inside), so JS makes
// one native call per packet. Return values: samples/bytes written, or a negative wn::Err.
#include "g729.h"
#include "codec/g729.h"

namespace wn {

using codec::G729FrameDecoder;
using codec::G729FrameEncoder;

static constexpr uint32_t kFrameSamples = 80;  // 10 ms at 8000 Hz
static constexpr uint32_t kMaxFrames = 12;     // 120 ms, the AudioDecoder contract's maximum

static void FreeEncoder(void* s) { delete static_cast<G729FrameEncoder*>(s); }
static void FreeDecoder(void* s) { delete static_cast<G729FrameDecoder*>(s); }

// g729EncoderCreate(vad: boolean): handle. vad = Annex B VAD/DTX (SID frames and silence).
static Napi::Value EncoderCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool vad = info.Length() > 0 && info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value();
  const char* error = "initBcg729EncoderChannel failed";
  std::unique_ptr<G729FrameEncoder> e = G729FrameEncoder::Create(vad, &error);
  if (!e) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::G729Encoder, e.release(), FreeEncoder);
}

// g729DecoderCreate(): handle.
static Napi::Value DecoderCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* error = "initBcg729DecoderChannel failed";
  std::unique_ptr<G729FrameDecoder> d = G729FrameDecoder::Create(&error);
  if (!d) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::G729Decoder, d.release(), FreeDecoder);
}

// g729Encode(h, pcm: Int16Array, pcmOff, samples, out: Uint8Array, outOff): bytes written.
// samples must be a multiple of 80 (at most 960). With VAD on, a 10 ms frame yields 10 bytes
// (speech), 2 bytes (SID) or 0 bytes (untransmitted). A SID followed by speech in the same payload
// is dropped (SID must be last); of two SIDs only the later is kept. 0 = nothing to send (DTX).
static Napi::Value Encode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* e = static_cast<G729FrameEncoder*>(StateOf(info, 0, Kind::G729Encoder));
  if (e == nullptr) return Int(env, ERR_CLOSED);
  int16_t* pcm; uint32_t samples; uint8_t* out; size_t outLen; uint32_t outOff;
  if (!Int16SpanArg(info, 1, kMaxFrames * kFrameSamples, pcm, samples) || !Uint8ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff) || samples % kFrameSamples != 0)
    return Int(env, ERR_ARG);
  if (outOff > outLen) return Int(env, ERR_SPACE);
  return Int(env, e->encode(pcm, samples, out + outOff, outLen - outOff));
}

// g729Decode(h, payload: Uint8Array, off, len, out: Int16Array, outOff): samples written.
// len = 10·n (+2 for a trailing SID), 1 <= n·10+sid <= 120 ms. Other lengths: ERR_PAYLOAD.
static Napi::Value Decode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* d = static_cast<G729FrameDecoder*>(StateOf(info, 0, Kind::G729Decoder));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* in; uint32_t len; int16_t* out; size_t outLen; uint32_t outOff;
  if (!Uint8SpanArg(info, 1, UINT32_MAX, in, len) || !Int16ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  if (outOff > outLen) {
    // The payload check comes first (as the kernel does): an impossible length is bad media.
    int r = d->decode(in, len, nullptr, 0);
    return Int(env, r == ERR_PAYLOAD ? ERR_PAYLOAD : ERR_SPACE);
  }
  return Int(env, d->decode(in, len, out + outOff, outLen - outOff));
}

// g729Conceal(h, out: Int16Array, outOff, samples): samples written (multiple of 80, <= 960).
// Runs bcg729's frame-erasure concealment; after a SID or RFC 3389 CN frame it continues comfort
// noise instead (Annex B "untransmitted frame").
static Napi::Value Conceal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* d = static_cast<G729FrameDecoder*>(StateOf(info, 0, Kind::G729Decoder));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  int16_t* out; size_t outLen; uint32_t outOff, samples;
  if (!Int16ArrayArg(info, 1, out, outLen) || !IndexArg(info, 2, UINT32_MAX, outOff) ||
      !IndexArg(info, 3, kMaxFrames * kFrameSamples, samples) || samples % kFrameSamples != 0)
    return Int(env, ERR_ARG);
  if (outOff > outLen || outLen - outOff < samples) return Int(env, ERR_SPACE);
  return Int(env, d->conceal(out + outOff, samples));
}

// g729DecodeCn(h, payload, off, len, out, outOff, samples): samples written.
// RFC 3389 comfort-noise payload (noise level byte + reflection coefficients, PT 13) decoded by
// bcg729's Annex B CNG for the first 10 ms, continued as untransmitted frames up to `samples`.
static Napi::Value DecodeCn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* d = static_cast<G729FrameDecoder*>(StateOf(info, 0, Kind::G729Decoder));
  if (d == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* in; uint32_t len; int16_t* out; size_t outLen; uint32_t outOff, samples;
  if (!Uint8SpanArg(info, 1, 255, in, len) || !Int16ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff) || !IndexArg(info, 6, kMaxFrames * kFrameSamples, samples) ||
      samples % kFrameSamples != 0 || samples == 0)
    return Int(env, ERR_ARG);
  if (len < 1) return Int(env, ERR_PAYLOAD);
  if (outOff > outLen || outLen - outOff < samples) return Int(env, ERR_SPACE);
  return Int(env, d->decodeCn(in, len, out + outOff, samples));
}

void InitG729(Napi::Env env, Napi::Object exports) {
  exports.Set("g729EncoderCreate", Napi::Function::New(env, EncoderCreate, "g729EncoderCreate"));
  exports.Set("g729DecoderCreate", Napi::Function::New(env, DecoderCreate, "g729DecoderCreate"));
  exports.Set("g729Encode", Napi::Function::New(env, Encode, "g729Encode"));
  exports.Set("g729Decode", Napi::Function::New(env, Decode, "g729Decode"));
  exports.Set("g729Conceal", Napi::Function::New(env, Conceal, "g729Conceal"));
  exports.Set("g729DecodeCn", Napi::Function::New(env, DecodeCn, "g729DecodeCn"));
}

}  // namespace wn
