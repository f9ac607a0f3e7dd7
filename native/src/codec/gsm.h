// GSM 06.10 full rate through spandsp's gsm0610 (RFC 3551 §4.5.8 packing, GSM0610_PACKING_VOIP):
// 8 kHz, 20 ms = 160 samples = 33 bytes (first nibble 0xD), one or more frames per RTP payload.
// Concealment: GSM 06.10 has no PLC of its own; lost frames are filled by the G.711 Appendix I
// waveform PLC (G711Plc) on the decoded PCM, exactly as for G.711.
#pragma once
#include "codec.h"
#include "g711.h"

struct gsm0610_state_s;

namespace wn {
namespace codec {

class GsmFrameDecoder final : public FrameDecoder {
 public:
  static std::unique_ptr<GsmFrameDecoder> Create(const char** error);
  ~GsmFrameDecoder() override;
  int sampleRate() const override { return 8000; }
  // 33·n bytes, n = 1..6 (120 ms), each frame starting with the 0xD magic nibble; else kErrPayload.
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  int conceal(int16_t* out, size_t samples) override;
  void reset() override;  // in place, no allocation

 private:
  explicit GsmFrameDecoder(gsm0610_state_s* st) : st_(st) {}
  gsm0610_state_s* st_;
  G711Plc plc_;
};

class GsmFrameEncoder final : public FrameEncoder {
 public:
  static std::unique_ptr<GsmFrameEncoder> Create(const char** error);
  ~GsmFrameEncoder() override;
  int sampleRate() const override { return 8000; }
  // n: a multiple of 160, <= 960; writes 33 bytes per 160 samples.
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override;

 private:
  explicit GsmFrameEncoder(gsm0610_state_s* st) : st_(st) {}
  gsm0610_state_s* st_;
};

}  // namespace codec
}  // namespace wn
