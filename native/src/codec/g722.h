// G.722 (ITU-T G.722, 64 kbit/s mode) through spandsp's g722_encode/g722_decode: 16 kHz PCM, one byte
// per two samples. RTP (RFC 3551 §4.5.2): the payload is the codeword stream (any length; 20 ms =
// 160 bytes = 320 samples) and the RTP clock is 8000 Hz although the audio is sampled at 16 kHz, so
// callers stamp 1 timestamp unit per 2 samples (tsPerSample = clockRate / sampleRate = 0.5).
// Concealment: G.722 has no PLC of its own; lost frames are filled by the G.711 Appendix I waveform
// PLC scaled to 16 kHz (WaveformPlc<2>: pitch 66.7-200 Hz, fading to silence after 60 ms, as at 8 kHz).
#pragma once
#include "codec.h"
#include "waveform_plc.h"

struct g722_decode_state_s;
struct g722_encode_state_s;

namespace wn {
namespace codec {

class G722FrameDecoder final : public FrameDecoder {
 public:
  static std::unique_ptr<G722FrameDecoder> Create(const char** error);
  ~G722FrameDecoder() override;
  int sampleRate() const override { return 16000; }
  // 1..960 bytes (120 ms); writes 2 samples per byte.
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  // Any count up to kMaxFrameSamples.
  int conceal(int16_t* out, size_t samples) override;
  // Re-initialises the state in place (no allocation).
  void reset() override;

 private:
  explicit G722FrameDecoder(g722_decode_state_s* st) : st_(st) {}
  g722_decode_state_s* st_;
  WaveformPlc<2> plc_;
};

class G722FrameEncoder final : public FrameEncoder {
 public:
  static std::unique_ptr<G722FrameEncoder> Create(const char** error);
  ~G722FrameEncoder() override;
  int sampleRate() const override { return 16000; }
  // n: even, 2..1920 (120 ms); writes n/2 bytes.
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override;

 private:
  explicit G722FrameEncoder(g722_encode_state_s* st) : st_(st) {}
  g722_encode_state_s* st_;
};

}  // namespace codec
}  // namespace wn
