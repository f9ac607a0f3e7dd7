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

// The PCM rate each kernel accepts, checked once for decoder and encoder: nullptr when cfg.sampleRate
// fits cfg.id (Opus checks its own rates; an unknown id is left to the callers' "unknown codec").
static const char* RateError(const CodecConfig& cfg) {
  switch (cfg.id) {
    case CodecId::PCMU:
    case CodecId::PCMA: return G711Rate(cfg.sampleRate) ? nullptr : kBadRateG711;
    case CodecId::G729:
    case CodecId::GSM:
    case CodecId::AMR:
    case CodecId::AMROctet: return cfg.sampleRate == 8000 ? nullptr : kBadRate8k;
    case CodecId::G722:
    case CodecId::AMRWB:
    case CodecId::AMRWBOctet: return cfg.sampleRate == 16000 ? nullptr : kBadRate16k;
    case CodecId::Opus: return nullptr;
  }
  return nullptr;
}

// AMR / AMR-WB: wideband by id, octet-aligned by the *Octet ids or the config.
static bool AmrWide(CodecId id) { return id == CodecId::AMRWB || id == CodecId::AMRWBOctet; }
static bool AmrOctet(const CodecConfig& cfg) {
  return cfg.octetAlign || cfg.id == CodecId::AMROctet || cfg.id == CodecId::AMRWBOctet;
}

std::unique_ptr<FrameDecoder> CreateDecoder(const CodecConfig& cfg, const char** error) {
  const char* ignored = nullptr;
  if (error == nullptr) error = &ignored;
  if (const char* bad = RateError(cfg)) { *error = bad; return nullptr; }
  switch (cfg.id) {
    case CodecId::PCMU:
    case CodecId::PCMA: {
      FrameDecoder* d = new (std::nothrow) G711Decoder(cfg.id == CodecId::PCMA, cfg.sampleRate);
      if (d == nullptr) *error = "out of memory";
      return std::unique_ptr<FrameDecoder>(d);
    }
    case CodecId::G729: return G729FrameDecoder::Create(error);
    case CodecId::Opus: return OpusFrameDecoder::Create(cfg.sampleRate, error);
    case CodecId::G722: return G722FrameDecoder::Create(error);
    case CodecId::GSM: return GsmFrameDecoder::Create(error);
    case CodecId::AMR:
    case CodecId::AMRWB:
    case CodecId::AMROctet:
    case CodecId::AMRWBOctet: return AmrFrameDecoder::Create(AmrWide(cfg.id), AmrOctet(cfg), error);
  }
  *error = "unknown codec";
  return nullptr;
}

std::unique_ptr<FrameEncoder> CreateEncoder(const CodecConfig& cfg, const char** error) {
  const char* ignored = nullptr;
  if (error == nullptr) error = &ignored;
  if (const char* bad = RateError(cfg)) { *error = bad; return nullptr; }
  switch (cfg.id) {
    case CodecId::PCMU:
    case CodecId::PCMA: {
      FrameEncoder* e = new (std::nothrow) G711Encoder(cfg.id == CodecId::PCMA, cfg.sampleRate);
      if (e == nullptr) *error = "out of memory";
      return std::unique_ptr<FrameEncoder>(e);
    }
    case CodecId::G729: return G729FrameEncoder::Create(cfg.dtx, error);
    case CodecId::Opus: return OpusFrameEncoder::Create(cfg, error);
    case CodecId::G722: return G722FrameEncoder::Create(error);
    case CodecId::GSM: return GsmFrameEncoder::Create(error);
    case CodecId::AMR:
    case CodecId::AMRWB:
    case CodecId::AMROctet:
    case CodecId::AMRWBOctet:
      return AmrFrameEncoder::Create(AmrWide(cfg.id), AmrOctet(cfg), cfg.amrMode, error);
  }
  *error = "unknown codec";
  return nullptr;
}

}  // namespace codec
}  // namespace wn
