// bcg729 kernels; see g729.h. The N-API functions in native/src/g729.cc call these.
#include "g729.h"
#include <new>

extern "C" {
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

namespace wn {
namespace codec {

namespace {
constexpr size_t kFrameSamples = 80;  // 10 ms at 8000 Hz
constexpr size_t kSpeechBytes = 10;
constexpr size_t kSidBytes = 2;
constexpr size_t kMaxFrames = 12;     // 120 ms
}  // namespace

std::unique_ptr<G729FrameDecoder> G729FrameDecoder::Create(const char** error) {
  bcg729DecoderChannelContextStruct* st = initBcg729DecoderChannel();
  if (st == nullptr) {
    *error = "initBcg729DecoderChannel failed";
    return nullptr;
  }
  G729FrameDecoder* d = new (std::nothrow) G729FrameDecoder(st);
  if (d == nullptr) {
    closeBcg729DecoderChannel(st);
    *error = "out of memory";
  }
  return std::unique_ptr<G729FrameDecoder>(d);
}

G729FrameDecoder::~G729FrameDecoder() {
  if (st_ != nullptr) closeBcg729DecoderChannel(st_);
}

int G729FrameDecoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr) return kErrPayload;
  size_t speech = len / kSpeechBytes;
  size_t rest = len % kSpeechBytes;
  if (len == 0 || (rest != 0 && rest != kSidBytes) || speech + (rest ? 1 : 0) > kMaxFrames) return kErrPayload;
  size_t frames = speech + (rest ? 1 : 0);
  if (out == nullptr || cap < frames * kFrameSamples) return kErrSpace;
  if (st_ == nullptr) return kErrClosed;
  for (size_t f = 0; f < speech; f++) {
    bcg729Decoder(st_, payload + f * kSpeechBytes, kSpeechBytes, 0, 0, 0, out + f * kFrameSamples);
  }
  if (rest == kSidBytes) {
    bcg729Decoder(st_, payload + speech * kSpeechBytes, kSidBytes, 0, 1, 0, out + speech * kFrameSamples);
  }
  return static_cast<int>(frames * kFrameSamples);
}

int G729FrameDecoder::conceal(int16_t* out, size_t samples) {
  if (out == nullptr || samples % kFrameSamples != 0 || samples > kMaxFrames * kFrameSamples) return kErrArg;
  if (st_ == nullptr) return kErrClosed;
  for (size_t s = 0; s < samples; s += kFrameSamples) bcg729Decoder(st_, nullptr, 0, 1, 0, 0, out + s);
  return static_cast<int>(samples);
}

int G729FrameDecoder::decodeCn(const uint8_t* payload, size_t len, int16_t* out, size_t samples) {
  if (out == nullptr || samples == 0 || samples % kFrameSamples != 0 || samples > kMaxFrames * kFrameSamples)
    return kErrArg;
  if (payload == nullptr || len < 1 || len > 255) return kErrPayload;
  if (st_ == nullptr) return kErrClosed;
  // Only the noise-level byte goes to bcg729: its RFC 3389 path (1.1.1) turns the reflection
  // coefficients into LSPs with a root search that can divide by zero on some coefficient sets
  // (LP2LSPConversion; SIGFPE kills the process; found by native/fuzz/fuzz_decode). A level-only payload
  // is valid RFC 3389 (model order 0): comfort noise at the sender's level with a flat spectrum.
  bcg729Decoder(st_, payload, 1, 0, 1, 1, out);
  for (size_t s = kFrameSamples; s < samples; s += kFrameSamples) bcg729Decoder(st_, nullptr, 0, 1, 0, 0, out + s);
  return static_cast<int>(samples);
}

void G729FrameDecoder::reset() {
  // bcg729 has no reset: start a fresh channel (signalling-time cost, like the TS reset()).
  bcg729DecoderChannelContextStruct* st = initBcg729DecoderChannel();
  if (st == nullptr) return;  // keep the old state rather than none
  if (st_ != nullptr) closeBcg729DecoderChannel(st_);
  st_ = st;
}

std::unique_ptr<G729FrameEncoder> G729FrameEncoder::Create(bool vad, const char** error) {
  bcg729EncoderChannelContextStruct* st = initBcg729EncoderChannel(vad ? 1 : 0);
  if (st == nullptr) {
    *error = "initBcg729EncoderChannel failed";
    return nullptr;
  }
  G729FrameEncoder* e = new (std::nothrow) G729FrameEncoder(st, vad);
  if (e == nullptr) {
    closeBcg729EncoderChannel(st);
    *error = "out of memory";
  }
  return std::unique_ptr<G729FrameEncoder>(e);
}

G729FrameEncoder::~G729FrameEncoder() {
  if (st_ != nullptr) closeBcg729EncoderChannel(st_);
}

int G729FrameEncoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  if (pcm == nullptr || n % kFrameSamples != 0 || n > kMaxFrames * kFrameSamples) return kErrArg;
  size_t frames = n / kFrameSamples;
  if (out == nullptr || cap < frames * kSpeechBytes) return kErrSpace;
  if (st_ == nullptr) return kErrClosed;
  size_t written = 0;
  bool lastIsSid = false;
  uint8_t frame[kSpeechBytes];
  for (size_t f = 0; f < frames; f++) {
    uint8_t frameLen = 0;
    bcg729Encoder(st_, pcm + f * kFrameSamples, frame, &frameLen);
    if (frameLen != kSpeechBytes && frameLen != kSidBytes) continue;  // untransmitted: keep a pending SID
    if (lastIsSid) written -= kSidBytes;  // a later frame (speech or SID) replaces a pending SID
    for (size_t i = 0; i < frameLen; i++) out[written + i] = frame[i];
    written += frameLen;
    lastIsSid = frameLen == kSidBytes;
  }
  return static_cast<int>(written);
}

void G729FrameEncoder::reset() {
  bcg729EncoderChannelContextStruct* st = initBcg729EncoderChannel(vad_ ? 1 : 0);
  if (st == nullptr) return;
  if (st_ != nullptr) closeBcg729EncoderChannel(st_);
  st_ = st;
}

}  // namespace codec
}  // namespace wn
