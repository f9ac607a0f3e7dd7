// Opus (RFC 6716; RTP RFC 7587) through libopus directly: mono, PCM at the call's rate (8000, 12000,
// 16000, 24000 or 48000 Hz; RTP timestamps stay at 48 kHz, as src/codec/opus.ts). Decoder with PLC
// and in-band FEC recovery (opus_decode(decode_fec = 1) on the next packet); encoder with
// complexity, bitrate, FEC and DTX (a DTX frame of <= 2 bytes is returned as 0 = nothing to send).
#pragma once
#include "codec.h"

struct OpusDecoder;
struct OpusEncoder;

namespace wn {
namespace codec {

bool OpusRateValid(int rate);

class OpusFrameDecoder final : public FrameDecoder {
 public:
  // Returns nullptr (and *error) on a bad rate or when libopus refuses.
  static std::unique_ptr<OpusFrameDecoder> Create(int rate, const char** error);
  ~OpusFrameDecoder() override;
  int sampleRate() const override { return rate_; }
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  // samples: a multiple of 2.5 ms, at most 120 ms. Silence before the first packet.
  int conceal(int16_t* out, size_t samples) override;
  int recover(const uint8_t* next, size_t len, int16_t* out, size_t samples) override;
  bool hasFec() const override { return true; }
  void reset() override;

 private:
  OpusFrameDecoder(::OpusDecoder* dec, int rate) : dec_(dec), rate_(rate) {}
  int concealSize(size_t samples) const;
  ::OpusDecoder* dec_;
  int rate_;
  bool started_ = false;  // a packet was decoded since creation / reset
};

class OpusFrameEncoder final : public FrameEncoder {
 public:
  static std::unique_ptr<OpusFrameEncoder> Create(const CodecConfig& cfg, const char** error);
  ~OpusFrameEncoder() override;
  int sampleRate() const override { return rate_; }
  // n: 2.5, 5, 10, 20, 40 or 60 ms at the rate. cap bounds the packet size (libopus fits the
  // bitrate into it); cap < 3 is kErrSpace.
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override;

 private:
  OpusFrameEncoder(::OpusEncoder* enc, int rate, bool dtx) : enc_(enc), rate_(rate), dtx_(dtx) {}
  ::OpusEncoder* enc_;
  int rate_;
  bool dtx_;
};

}  // namespace codec
}  // namespace wn
