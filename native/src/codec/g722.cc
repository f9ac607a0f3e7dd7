// spandsp G.722 kernels; see g722.h. spandsp rather than libavcodec: a small C API that encodes and
// decodes a caller's buffer in one call, state initialised in place (reset allocates nothing), a
// Debian package of a few hundred kB used by Asterisk/FreeSWITCH for the same codec; libavcodec
// would bring the whole FFmpeg (AVCodecContext/AVPacket/AVFrame per call, API churn across majors).
#include "g722.h"
#include <new>

extern "C" {
#include <spandsp/telephony.h>
#include <spandsp/g722.h>
}

namespace wn {
namespace codec {

namespace {
constexpr int kBitRate = 64000;          // RTP G.722 is the 64 kbit/s mode (RFC 3551 §4.5.2)
constexpr size_t kMaxBytes = 960;        // 120 ms
constexpr size_t kMaxSamples = 2 * kMaxBytes;
}  // namespace

std::unique_ptr<G722FrameDecoder> G722FrameDecoder::Create(const char** error) {
  g722_decode_state_t* st = g722_decode_init(nullptr, kBitRate, 0);
  if (st == nullptr) {
    *error = "g722_decode_init failed";
    return nullptr;
  }
  G722FrameDecoder* d = new (std::nothrow) G722FrameDecoder(st);
  if (d == nullptr) {
    g722_decode_free(st);
    *error = "out of memory";
  }
  return std::unique_ptr<G722FrameDecoder>(d);
}

G722FrameDecoder::~G722FrameDecoder() { g722_decode_free(st_); }

int G722FrameDecoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr || len == 0 || len > kMaxBytes) return kErrPayload;
  if (out == nullptr || cap < 2 * len) return kErrSpace;
  int n = g722_decode(st_, out, payload, static_cast<int>(len));
  if (n < 0) return kErrPayload;
  plc_.goodFrame(out, static_cast<size_t>(n));
  return n;
}

int G722FrameDecoder::conceal(int16_t* out, size_t samples) {
  if (!ConcealArgsOk(out, samples)) return kErrArg;
  return plc_.conceal(out, samples);
}

void G722FrameDecoder::reset() {
  g722_decode_init(st_, kBitRate, 0);  // in place: memset + init, no allocation
  plc_.reset();
}

std::unique_ptr<G722FrameEncoder> G722FrameEncoder::Create(const char** error) {
  g722_encode_state_t* st = g722_encode_init(nullptr, kBitRate, 0);
  if (st == nullptr) {
    *error = "g722_encode_init failed";
    return nullptr;
  }
  G722FrameEncoder* e = new (std::nothrow) G722FrameEncoder(st);
  if (e == nullptr) {
    g722_encode_free(st);
    *error = "out of memory";
  }
  return std::unique_ptr<G722FrameEncoder>(e);
}

G722FrameEncoder::~G722FrameEncoder() { g722_encode_free(st_); }

int G722FrameEncoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  if (pcm == nullptr || n == 0 || n % 2 != 0 || n > kMaxSamples) return kErrArg;
  if (out == nullptr || cap < n / 2) return kErrSpace;
  int bytes = g722_encode(st_, out, pcm, static_cast<int>(n));
  return bytes < 0 ? kErrArg : bytes;
}

void G722FrameEncoder::reset() { g722_encode_init(st_, kBitRate, 0); }

}  // namespace codec
}  // namespace wn
