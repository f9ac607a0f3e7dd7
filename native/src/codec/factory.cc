// The one place that maps a CodecId to its kernel (codec.h). A new codec adds a case here.
#include "codec.h"
#include <new>
#include "amr.h"
#include "g711.h"
#include "g722.h"
#include "g729.h"
#include "gsm.h"
#include "opus.h"

namespace wn {
namespace codec {

static const char* kBadRate8k = "this codec runs at 8000 Hz only";
static const char* kBadRate16k = "this codec runs at 16000 Hz only";
static const char* kBadRateG711 = "G.711 runs at 8000..48000 Hz (a multiple of 50)";

// G.711 at the clock rate its SDP names (PCMU/16000: one sample per byte at 16 kHz, rtpengine's
// codec_def has no fixed rate for it); src/codec/registry.ts G711_RATES is the same rule.
static bool G711Rate(int rate) { return rate >= 8000 && rate <= 48000 && rate % 50 == 0; }

int PcmRate(CodecId id, int clockRate, int mixRate) {
  switch (id) {
    case CodecId::Opus: return mixRate;
    case CodecId::G722:
    case CodecId::AMRWB:
    case CodecId::AMRWBOctet: return 16000;
    default: return clockRate;
  }
}

std::unique_ptr<FrameDecoder> CreateDecoder(const CodecConfig& cfg, const char** error) {
  const char* ignored = nullptr;
  if (error == nullptr) error = &ignored;
  switch (cfg.id) {
    case CodecId::PCMU:
    case CodecId::PCMA: {
      if (!G711Rate(cfg.sampleRate)) { *error = kBadRateG711; return nullptr; }
      FrameDecoder* d = new (std::nothrow) G711Decoder(cfg.id == CodecId::PCMA, cfg.sampleRate);
      if (d == nullptr) *error = "out of memory";
      return std::unique_ptr<FrameDecoder>(d);
    }
    case CodecId::G729:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return G729FrameDecoder::Create(error);
    case CodecId::Opus:
      return OpusFrameDecoder::Create(cfg.sampleRate, error);
    case CodecId::G722:
      if (cfg.sampleRate != 16000) { *error = kBadRate16k; return nullptr; }
      return G722FrameDecoder::Create(error);
    case CodecId::GSM:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return GsmFrameDecoder::Create(error);
    case CodecId::AMR:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return AmrFrameDecoder::Create(false, cfg.octetAlign, error);
    case CodecId::AMRWB:
      if (cfg.sampleRate != 16000) { *error = kBadRate16k; return nullptr; }
      return AmrFrameDecoder::Create(true, cfg.octetAlign, error);
    case CodecId::AMROctet:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return AmrFrameDecoder::Create(false, true, error);
    case CodecId::AMRWBOctet:
      if (cfg.sampleRate != 16000) { *error = kBadRate16k; return nullptr; }
      return AmrFrameDecoder::Create(true, true, error);
  }
  *error = "unknown codec";
  return nullptr;
}

std::unique_ptr<FrameEncoder> CreateEncoder(const CodecConfig& cfg, const char** error) {
  const char* ignored = nullptr;
  if (error == nullptr) error = &ignored;
  switch (cfg.id) {
    case CodecId::PCMU:
    case CodecId::PCMA: {
      if (!G711Rate(cfg.sampleRate)) { *error = kBadRateG711; return nullptr; }
      FrameEncoder* e = new (std::nothrow) G711Encoder(cfg.id == CodecId::PCMA, cfg.sampleRate);
      if (e == nullptr) *error = "out of memory";
      return std::unique_ptr<FrameEncoder>(e);
    }
    case CodecId::G729:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return G729FrameEncoder::Create(cfg.dtx, error);
    case CodecId::Opus:
      return OpusFrameEncoder::Create(cfg, error);
    case CodecId::G722:
      if (cfg.sampleRate != 16000) { *error = kBadRate16k; return nullptr; }
      return G722FrameEncoder::Create(error);
    case CodecId::GSM:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return GsmFrameEncoder::Create(error);
    case CodecId::AMR:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return AmrFrameEncoder::Create(false, cfg.octetAlign, cfg.amrMode, error);
    case CodecId::AMRWB:
      if (cfg.sampleRate != 16000) { *error = kBadRate16k; return nullptr; }
      return AmrFrameEncoder::Create(true, cfg.octetAlign, cfg.amrMode, error);
    case CodecId::AMROctet:
      if (cfg.sampleRate != 8000) { *error = kBadRate8k; return nullptr; }
      return AmrFrameEncoder::Create(false, true, cfg.amrMode, error);
    case CodecId::AMRWBOctet:
      if (cfg.sampleRate != 16000) { *error = kBadRate16k; return nullptr; }
      return AmrFrameEncoder::Create(true, true, cfg.amrMode, error);
  }
  *error = "unknown codec";
  return nullptr;
}

}  // namespace codec
}  // namespace wn
