// libFuzzer harness: the frame decoders a media thread runs on peer payloads (native/src/codec/:
// G.711 with the Appendix I concealment, G.729 through bcg729, Opus through libopus, G.722 and GSM
// through spandsp, AMR / AMR-WB through opencore-amr in both RFC 4867 packings), driven by a
// random sequence of decode / conceal / recover (FEC) / comfort-noise / reset calls.
// Input: byte 0 picks the decoder; then operations [op][len][payload bytes...] until the input ends.
// Invariants (codec.h contract): a result is a sample count within what was asked / the capacity, or
// kErrPayload / kErrSpace / kErrArg where the contract allows it; nothing is written past the
// capacity (checked with a guard zone, which also catches writes by the uninstrumented libraries);
// G.711 decodes one sample per byte; a decoder that refused a payload still decodes a good one.
#include <cstdint>
#include <cstring>

#include "../src/codec/codec.h"
#include "../src/codec/g729.h"
#include "check.h"

using namespace wn::codec;

namespace {

constexpr size_t kGuard = 64;
constexpr int16_t kCanary = 0x5a5a;
int16_t g_out[kMaxFrameSamples + kGuard];

void Arm(size_t cap) {
  for (size_t i = cap; i < cap + kGuard && i < sizeof g_out / sizeof g_out[0]; i++) g_out[i] = kCanary;
}
void Guarded(size_t cap) {
  for (size_t i = cap; i < cap + kGuard && i < sizeof g_out / sizeof g_out[0]; i++) CHECK(g_out[i] == kCanary);
}

struct Pick {
  CodecId id;
  int rate;
  bool octetAlign;
};
constexpr Pick kPicks[] = {{CodecId::PCMU, 8000, false},  {CodecId::PCMA, 8000, false},  {CodecId::G729, 8000, false},
                           {CodecId::Opus, 8000, false},  {CodecId::Opus, 16000, false}, {CodecId::Opus, 48000, false},
                           {CodecId::G722, 16000, false}, {CodecId::GSM, 8000, false},   {CodecId::AMR, 8000, false},
                           {CodecId::AMR, 8000, true},    {CodecId::AMRWB, 16000, false}, {CodecId::AMRWB, 16000, true},
                           {CodecId::AMROctet, 8000, true}, {CodecId::AMRWBOctet, 16000, true}};

// A good payload of each codec, to check the decoder is still usable after bad media.
bool DecodesGood(FrameDecoder* d, CodecId id, bool octetAlign) {
  static const uint8_t opus_silence[] = {0xf8, 0xff, 0xfe};  // CELT FB 20 ms, a valid frame
  uint8_t g711[160];
  std::memset(g711, 0xd5, sizeof g711);
  uint8_t g729[10] = {0};
  uint8_t gsm[33] = {0xd0};
  // RFC 4867: CMR 15, one ToC with FT 15 (NO_DATA), Q 1; no speech bits.
  static const uint8_t amr_be[] = {0xf7, 0xc0};
  static const uint8_t amr_oa[] = {0xf0, 0x7c};
  Arm(kMaxFrameSamples);
  int r;
  if (id == CodecId::GSM) r = d->decode(gsm, sizeof gsm, g_out, kMaxFrameSamples);
  else if (id == CodecId::AMR || id == CodecId::AMRWB || id == CodecId::AMROctet || id == CodecId::AMRWBOctet) r = d->decode(octetAlign ? amr_oa : amr_be, 2, g_out, kMaxFrameSamples);
  else if (id == CodecId::Opus) r = d->decode(opus_silence, sizeof opus_silence, g_out, kMaxFrameSamples);
  else if (id == CodecId::G729) r = d->decode(g729, sizeof g729, g_out, kMaxFrameSamples);
  else r = d->decode(g711, sizeof g711, g_out, kMaxFrameSamples);
  Guarded(kMaxFrameSamples);
  return r > 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Pick pick = kPicks[data[0] % (sizeof kPicks / sizeof kPicks[0])];
  CodecConfig cfg;
  cfg.id = pick.id;
  cfg.sampleRate = pick.rate;
  cfg.octetAlign = pick.octetAlign;
  const char* err = nullptr;
  std::unique_ptr<FrameDecoder> dec = CreateDecoder(cfg, &err);
  CHECK(dec != nullptr);
  CHECK(dec->sampleRate() == pick.rate);
  const size_t rate = static_cast<size_t>(pick.rate);
  const size_t caps[] = {kMaxFrameSamples, rate / 50, rate / 100, 1, 0, rate * 3 / 50};
  // Concealment sizes: valid ones (10/20/60 ms, 2.5 ms) and invalid ones.
  const size_t sizes[] = {rate / 50, rate / 100, rate * 3 / 50, rate / 400, 0, 1, 79, 81, kMaxFrameSamples, rate / 50 + 1};
  size_t pos = 1;
  for (int ops = 0; pos < size && ops < 32; ops++) {
    const uint8_t op = data[pos++];
    size_t len = pos < size ? data[pos++] : 0;
    if (pick.id == CodecId::Opus && (op & 0x80) && pos < size) len = len * 8 + data[pos++];  // up to 2 KB
    if (len > size - pos) len = size - pos;
    const uint8_t* payload = data + pos;
    pos += len;
    switch (op % 5) {
      case 0: {  // decode
        const size_t cap = caps[(op >> 3) % (sizeof caps / sizeof caps[0])];
        Arm(cap);
        const int r = dec->decode(payload, len, g_out, cap);
        Guarded(cap);
        CHECK(r == kErrPayload || r == kErrSpace || (r >= 0 && static_cast<size_t>(r) <= cap));
        if (pick.id == CodecId::PCMU || pick.id == CodecId::PCMA) {
          if (len >= 1 && len <= cap && len <= kMaxFrameSamples) CHECK(r == static_cast<int>(len));
        }
        if (pick.id == CodecId::G729 && r >= 0) CHECK(r % 80 == 0 && r > 0);
        if (pick.id == CodecId::G722 && len >= 1 && 2 * len <= cap && len <= 960) CHECK(r == static_cast<int>(2 * len));
        if (pick.id == CodecId::GSM && r >= 0) CHECK(r % 160 == 0 && r > 0);
        if ((pick.id == CodecId::AMR || pick.id == CodecId::AMRWB || pick.id == CodecId::AMROctet || pick.id == CodecId::AMRWBOctet) && r >= 0) CHECK(r > 0 && r % (pick.rate / 50) == 0);
        if (r == kErrPayload) CHECK(DecodesGood(dec.get(), pick.id, pick.octetAlign));
        break;
      }
      case 1: {  // conceal
        const size_t n = sizes[(op >> 3) % (sizeof sizes / sizeof sizes[0])];
        Arm(n);
        const int r = dec->conceal(g_out, n);
        Guarded(n);
        CHECK(r == kErrArg || r == static_cast<int>(n));
        break;
      }
      case 2: {  // recover from the next payload's FEC (else conceal)
        const size_t n = sizes[(op >> 3) % (sizeof sizes / sizeof sizes[0])];
        Arm(n);
        const int r = dec->recover(payload, len, g_out, n);
        Guarded(n);
        CHECK(r == kErrArg || r == kErrPayload || r == static_cast<int>(n));
        break;
      }
      case 3:  // RFC 3389 comfort noise (G.729 Annex B CNG); other decoders: reset
        if (pick.id == CodecId::G729) {
          const size_t n = sizes[(op >> 3) % (sizeof sizes / sizeof sizes[0])];
          Arm(n);
          const int r = static_cast<G729FrameDecoder*>(dec.get())->decodeCn(payload, len, g_out, n);
          Guarded(n);
          CHECK(r == kErrArg || r == kErrPayload || r == static_cast<int>(n));
        } else {
          dec->reset();
        }
        break;
      default:
        dec->reset();
        break;
    }
  }
  return 0;
}
