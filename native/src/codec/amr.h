// AMR (3GPP TS 26.071, 8 kHz) and AMR-WB (TS 26.171, 16 kHz) in the RTP payload format of RFC 4867,
// both modes: bandwidth-efficient (the default) and octet-aligned (fmtp `octet-align=1`); no CRC,
// no interleaving, no robust sorting (those fmtp options are not offered by desk phones and are
// refused at negotiation). One RTP payload carries 1..6 frames of 20 ms (a ToC entry each); the CMR
// of received payloads is read and ignored (the encoder keeps the mode decided at signalling time).
// Libraries: opencore-amrnb (decode + encode), opencore-amrwb (decode), vo-amrwbenc (encode), all in
// Debian; they take one frame in "storage format" (ToC byte + octet-packed speech bits), which these
// kernels convert to and from the RTP packing. Concealment: the decoders' own (a NO_DATA frame).
#pragma once
#include "codec.h"

namespace wn {
namespace codec {

struct AmrFlavor;  // NB or WB tables (amr.cc)

class AmrFrameDecoder final : public FrameDecoder {
 public:
  static std::unique_ptr<AmrFrameDecoder> Create(bool wideband, bool octetAlign, const char** error);
  ~AmrFrameDecoder() override;
  int sampleRate() const override;
  // A whole RFC 4867 payload (1..6 frames); a malformed one (length, reserved FT) is kErrPayload
  // before the decoder state is touched. NO_DATA / SPEECH_LOST frames are concealed in place.
  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override;
  // Any count up to kMaxFrameSamples: whole frames of decoder concealment, a partial one carried over.
  int conceal(int16_t* out, size_t samples) override;
  // opencore has no reset: a fresh decoder is made before the old one is freed (as G.729;
  // signalling-time cost, an SSRC change).
  void reset() override;

 private:
  AmrFrameDecoder(const AmrFlavor* f, void* st, bool octetAlign) : f_(f), st_(st), octet_(octetAlign) {}
  void decodeOne(const uint8_t* storage, int16_t* out);
  const AmrFlavor* f_;
  void* st_;
  bool octet_;
  int16_t carry_[320] = {};  // concealment samples produced but not yet handed out
  int carryAt_ = 0;
  int carryLen_ = 0;
};

class AmrFrameEncoder final : public FrameEncoder {
 public:
  // mode: AMR 0..7 (4.75..12.2 kbit/s), AMR-WB 0..8 (6.6..23.85 kbit/s); -1 = the highest.
  static std::unique_ptr<AmrFrameEncoder> Create(bool wideband, bool octetAlign, int mode, const char** error);
  ~AmrFrameEncoder() override;
  int sampleRate() const override;
  // n: a multiple of 20 ms (160 / 320 samples), at most 6 frames. One payload with one ToC per frame.
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override;
  void reset() override;

 private:
  AmrFrameEncoder(const AmrFlavor* f, void* st, bool octetAlign, int mode) : f_(f), st_(st), octet_(octetAlign), mode_(mode) {}
  const AmrFlavor* f_;
  void* st_;
  bool octet_;
  int mode_;
  int16_t frame_[320] = {};  // opencore-amrnb's encoder writes into its input: it gets this copy
};

}  // namespace codec
}  // namespace wn
