// spandsp GSM 06.10 kernels; see gsm.h. spandsp (also the G.722 library) rather than libgsm: the same
// ETSI reference algorithm (spandsp's is derived from Degener/Bormann's libgsm), with the RTP packing
// built in and a state that is re-initialised in place, so reset() (an SSRC change, on the media
// thread) allocates nothing — libgsm's state is opaque and only gsm_create() can make a fresh one.
#include "gsm.h"
#include <new>

extern "C" {
#include <spandsp/telephony.h>
#include <spandsp/gsm0610.h>
}

namespace wn {
namespace codec {

namespace {
constexpr size_t kFrameSamples = 160;
constexpr size_t kFrameBytes = 33;
constexpr size_t kMaxFrames = 6;  // 120 ms
}  // namespace

std::unique_ptr<GsmFrameDecoder> GsmFrameDecoder::Create(const char** error) {
  gsm0610_state_t* st = gsm0610_init(nullptr, GSM0610_PACKING_VOIP);
  if (st == nullptr) {
    *error = "gsm0610_init failed";
    return nullptr;
  }
  GsmFrameDecoder* d = new (std::nothrow) GsmFrameDecoder(st);
  if (d == nullptr) {
    gsm0610_free(st);
    *error = "out of memory";
  }
  return std::unique_ptr<GsmFrameDecoder>(d);
}

GsmFrameDecoder::~GsmFrameDecoder() { gsm0610_free(st_); }

int GsmFrameDecoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr || len == 0 || len % kFrameBytes != 0 || len / kFrameBytes > kMaxFrames) return kErrPayload;
  const size_t frames = len / kFrameBytes;
  for (size_t f = 0; f < frames; f++)
    if ((payload[f * kFrameBytes] >> 4) != 0xD) return kErrPayload;  // checked before the state is touched
  if (out == nullptr || cap < frames * kFrameSamples) return kErrSpace;
  int n = gsm0610_decode(st_, out, payload, static_cast<int>(len));
  if (n != static_cast<int>(frames * kFrameSamples)) return kErrPayload;
  plc_.goodFrame(out, static_cast<size_t>(n));
  return n;
}

int GsmFrameDecoder::conceal(int16_t* out, size_t samples) {
  if (!ConcealArgsOk(out, samples)) return kErrArg;
  return plc_.conceal(out, samples);
}

void GsmFrameDecoder::reset() {
  gsm0610_init(st_, GSM0610_PACKING_VOIP);
  plc_.reset();
}

std::unique_ptr<GsmFrameEncoder> GsmFrameEncoder::Create(const char** error) {
  gsm0610_state_t* st = gsm0610_init(nullptr, GSM0610_PACKING_VOIP);
  if (st == nullptr) {
    *error = "gsm0610_init failed";
    return nullptr;
  }
  GsmFrameEncoder* e = new (std::nothrow) GsmFrameEncoder(st);
  if (e == nullptr) {
    gsm0610_free(st);
    *error = "out of memory";
  }
  return std::unique_ptr<GsmFrameEncoder>(e);
}

GsmFrameEncoder::~GsmFrameEncoder() { gsm0610_free(st_); }

int GsmFrameEncoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  if (pcm == nullptr || n == 0 || n % kFrameSamples != 0 || n / kFrameSamples > kMaxFrames) return kErrArg;
  if (out == nullptr || cap < (n / kFrameSamples) * kFrameBytes) return kErrSpace;
  int bytes = gsm0610_encode(st_, out, pcm, static_cast<int>(n));
  return bytes == static_cast<int>((n / kFrameSamples) * kFrameBytes) ? bytes : kErrArg;
}

void GsmFrameEncoder::reset() { gsm0610_init(st_, GSM0610_PACKING_VOIP); }

}  // namespace codec
}  // namespace wn
