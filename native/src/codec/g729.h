// G.729 Annex A + B through bcg729 (RFC 3551 §4.5.6 payloads: 10-byte 10 ms speech frames,
// optionally followed by ONE 2-byte SID frame). One call per RTP payload; 8000 Hz.
#pragma once
#include "codec.h"

// bcg729's context types (typedefs of these structs in <bcg729/decoder.h>, <bcg729/encoder.h>).
struct bcg729DecoderChannelContextStruct_struct;
struct bcg729EncoderChannelContextStruct_struct;

namespace wn {
namespace codec {

class G729FrameDecoder final : public FrameDecoder {
 public:
  static std::unique_ptr<G729FrameDecoder> Create(const char** error);
  ~G729FrameDecoder() override;
  int sampleRate() const override { return 8000; }
  // 10·n bytes (+ 2 for a trailing SID), at most 120 ms; other lengths kErrPayload.
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  // Frame-erasure concealment, or comfort noise after a SID. samples: a multiple of 80, <= 960.
  int conceal(int16_t* out, size_t samples) override;
  // RFC 3389 comfort-noise payload (PT 13) through Annex B CNG for the first 10 ms, continued up
  // to `samples` (multiple of 80, 80..960).
  int decodeCn(const uint8_t* payload, size_t len, int16_t* out, size_t samples);
  void reset() override;

 private:
  explicit G729FrameDecoder(bcg729DecoderChannelContextStruct_struct* st) : st_(st) {}
  bcg729DecoderChannelContextStruct_struct* st_;
};

class G729FrameEncoder final : public FrameEncoder {
 public:
  static std::unique_ptr<G729FrameEncoder> Create(bool vad, const char** error);
  ~G729FrameEncoder() override;
  int sampleRate() const override { return 8000; }
  // n: multiple of 80, <= 960; cap >= n/8. Returns bytes (speech frames then at most one SID; 0 = DTX).
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override;

 private:
  G729FrameEncoder(bcg729EncoderChannelContextStruct_struct* st, bool vad) : st_(st), vad_(vad) {}
  bcg729EncoderChannelContextStruct_struct* st_;
  bool vad_;
};

}  // namespace codec
}  // namespace wn
