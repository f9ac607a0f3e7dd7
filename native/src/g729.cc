// G.729 Annex A + B via bcg729 (ITU-T G.729A/B; RTP payload format RFC 3551 §4.5.6).
//
// RTP payload layout: zero or more 10-byte speech frames (80 samples = 10 ms each at 8 kHz),
// optionally followed by ONE 2-byte Annex B SID frame, which must be the last frame of the payload.
// Each exported function handles a whole RTP payload (looping over 10 ms frames inside), so JS makes
// one native call per packet. Return values: samples/bytes written, or a negative wn::Err.
#include "g729.h"

extern "C" {
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

namespace wn {

static constexpr uint32_t kFrameSamples = 80;  // 10 ms at 8000 Hz
static constexpr uint32_t kSpeechBytes = 10;   // 80 bits per speech frame
static constexpr uint32_t kSidBytes = 2;       // Annex B SID frame (15 bits + padding)
static constexpr uint32_t kMaxFrames = 12;     // 120 ms, the AudioDecoder contract's maximum

static void FreeEncoder(void* s) { closeBcg729EncoderChannel(static_cast<bcg729EncoderChannelContextStruct*>(s)); }
static void FreeDecoder(void* s) { closeBcg729DecoderChannel(static_cast<bcg729DecoderChannelContextStruct*>(s)); }

// g729EncoderCreate(vad: boolean): handle. vad = Annex B VAD/DTX (SID frames and silence).
static Napi::Value EncoderCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool vad = info.Length() > 0 && info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value();
  bcg729EncoderChannelContextStruct* st = initBcg729EncoderChannel(vad ? 1 : 0);
  if (st == nullptr) {
    Napi::Error::New(env, "initBcg729EncoderChannel failed").ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::G729Encoder, st, FreeEncoder);
}

// g729DecoderCreate(): handle.
static Napi::Value DecoderCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bcg729DecoderChannelContextStruct* st = initBcg729DecoderChannel();
  if (st == nullptr) {
    Napi::Error::New(env, "initBcg729DecoderChannel failed").ThrowAsJavaScriptException();
    return env.Null();
  }
  return MakeHandle(env, Kind::G729Decoder, st, FreeDecoder);
}

// g729Encode(h, pcm: Int16Array, pcmOff, samples, out: Uint8Array, outOff): bytes written.
// samples must be a multiple of 80 (at most 960). With VAD on, a 10 ms frame yields 10 bytes
// (speech), 2 bytes (SID) or 0 bytes (untransmitted). A SID followed by speech in the same payload
// is dropped (SID must be last); of two SIDs only the later is kept. 0 = nothing to send (DTX).
static Napi::Value Encode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* st = static_cast<bcg729EncoderChannelContextStruct*>(StateOf(info, 0, Kind::G729Encoder));
  if (st == nullptr) return Int(env, ERR_CLOSED);
  int16_t* pcm; size_t pcmLen; uint8_t* out; size_t outLen;
  uint32_t pcmOff, samples, outOff;
  if (!Int16ArrayArg(info, 1, pcm, pcmLen) || !IndexArg(info, 2, UINT32_MAX, pcmOff) ||
      !IndexArg(info, 3, kMaxFrames * kFrameSamples, samples) || !Uint8ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  if (samples % kFrameSamples != 0 || static_cast<size_t>(pcmOff) + samples > pcmLen) return Int(env, ERR_ARG);
  uint32_t frames = samples / kFrameSamples;
  if (outOff > outLen || outLen - outOff < static_cast<size_t>(frames) * kSpeechBytes) return Int(env, ERR_SPACE);

  uint8_t* dst = out + outOff;
  uint32_t written = 0;
  bool lastIsSid = false;
  uint8_t frame[kSpeechBytes];
  for (uint32_t f = 0; f < frames; f++) {
    uint8_t frameLen = 0;
    bcg729Encoder(st, pcm + pcmOff + f * kFrameSamples, frame, &frameLen);
    if (frameLen != kSpeechBytes && frameLen != kSidBytes) continue;  // untransmitted: keep a pending SID
    if (lastIsSid) written -= kSidBytes;  // a later frame (speech or SID) replaces a pending SID
    for (uint32_t i = 0; i < frameLen; i++) dst[written + i] = frame[i];
    written += frameLen;
    lastIsSid = frameLen == kSidBytes;
  }
  return Int(env, static_cast<int32_t>(written));
}

// g729Decode(h, payload: Uint8Array, off, len, out: Int16Array, outOff): samples written.
// len = 10·n (+2 for a trailing SID), 1 <= n·10+sid <= 120 ms. Other lengths: ERR_PAYLOAD.
static Napi::Value Decode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* st = static_cast<bcg729DecoderChannelContextStruct*>(StateOf(info, 0, Kind::G729Decoder));
  if (st == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* in; size_t inLen; int16_t* out; size_t outLen;
  uint32_t off, len, outOff;
  if (!Uint8ArrayArg(info, 1, in, inLen) || !IndexArg(info, 2, UINT32_MAX, off) ||
      !IndexArg(info, 3, UINT32_MAX, len) || !Int16ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff))
    return Int(env, ERR_ARG);
  if (static_cast<size_t>(off) + len > inLen) return Int(env, ERR_ARG);
  uint32_t speech = len / kSpeechBytes;
  uint32_t rest = len % kSpeechBytes;
  if (len == 0 || (rest != 0 && rest != kSidBytes) || speech + (rest ? 1 : 0) > kMaxFrames) return Int(env, ERR_PAYLOAD);
  uint32_t frames = speech + (rest ? 1 : 0);
  if (outOff > outLen || outLen - outOff < static_cast<size_t>(frames) * kFrameSamples) return Int(env, ERR_SPACE);
  const uint8_t* src = in + off;
  int16_t* dst = out + outOff;
  for (uint32_t f = 0; f < speech; f++) {
    bcg729Decoder(st, src + f * kSpeechBytes, kSpeechBytes, 0, 0, 0, dst + f * kFrameSamples);
  }
  if (rest == kSidBytes) {
    bcg729Decoder(st, src + speech * kSpeechBytes, kSidBytes, 0, 1, 0, dst + speech * kFrameSamples);
  }
  return Int(env, static_cast<int32_t>(frames * kFrameSamples));
}

// g729Conceal(h, out: Int16Array, outOff, samples): samples written (multiple of 80, <= 960).
// Runs bcg729's frame-erasure concealment; after a SID or RFC 3389 CN frame it continues comfort
// noise instead (Annex B "untransmitted frame").
static Napi::Value Conceal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* st = static_cast<bcg729DecoderChannelContextStruct*>(StateOf(info, 0, Kind::G729Decoder));
  if (st == nullptr) return Int(env, ERR_CLOSED);
  int16_t* out; size_t outLen; uint32_t outOff, samples;
  if (!Int16ArrayArg(info, 1, out, outLen) || !IndexArg(info, 2, UINT32_MAX, outOff) ||
      !IndexArg(info, 3, kMaxFrames * kFrameSamples, samples) || samples % kFrameSamples != 0)
    return Int(env, ERR_ARG);
  if (outOff > outLen || outLen - outOff < samples) return Int(env, ERR_SPACE);
  for (uint32_t s = 0; s < samples; s += kFrameSamples) {
    bcg729Decoder(st, nullptr, 0, 1, 0, 0, out + outOff + s);
  }
  return Int(env, static_cast<int32_t>(samples));
}

// g729DecodeCn(h, payload, off, len, out, outOff, samples): samples written.
// RFC 3389 comfort-noise payload (noise level byte + reflection coefficients, PT 13) decoded by
// bcg729's Annex B CNG for the first 10 ms, continued as untransmitted frames up to `samples`.
static Napi::Value DecodeCn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* st = static_cast<bcg729DecoderChannelContextStruct*>(StateOf(info, 0, Kind::G729Decoder));
  if (st == nullptr) return Int(env, ERR_CLOSED);
  uint8_t* in; size_t inLen; int16_t* out; size_t outLen;
  uint32_t off, len, outOff, samples;
  if (!Uint8ArrayArg(info, 1, in, inLen) || !IndexArg(info, 2, UINT32_MAX, off) ||
      !IndexArg(info, 3, 255, len) || !Int16ArrayArg(info, 4, out, outLen) ||
      !IndexArg(info, 5, UINT32_MAX, outOff) || !IndexArg(info, 6, kMaxFrames * kFrameSamples, samples) ||
      samples % kFrameSamples != 0 || samples == 0)
    return Int(env, ERR_ARG);
  if (static_cast<size_t>(off) + len > inLen) return Int(env, ERR_ARG);
  if (len < 1) return Int(env, ERR_PAYLOAD);
  if (outOff > outLen || outLen - outOff < samples) return Int(env, ERR_SPACE);
  // Only the noise-level byte goes to bcg729: its RFC 3389 path (1.1.1) turns the reflection
  // coefficients into LSPs with a root search that can divide by zero on some coefficient sets
  // (LP2LSPConversion; SIGFPE kills the process; found by native/fuzz/fuzz_decode). A level-only payload
  // is valid RFC 3389 (model order 0): comfort noise at the sender's level with a flat spectrum.
  bcg729Decoder(st, in + off, 1, 0, 1, 1, out + outOff);
  for (uint32_t s = kFrameSamples; s < samples; s += kFrameSamples) {
    bcg729Decoder(st, nullptr, 0, 1, 0, 0, out + outOff + s);
  }
  return Int(env, static_cast<int32_t>(samples));
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
