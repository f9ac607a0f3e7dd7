// libopus kernels; see opus.h.
#include "opus.h"
#include <new>
#include <opus/opus.h>

namespace wn {
namespace codec {

bool OpusRateValid(int rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

static int MapOpusError(int err) {
  switch (err) {
    case OPUS_BUFFER_TOO_SMALL: return kErrSpace;
    case OPUS_BAD_ARG: return kErrArg;
    default: return kErrPayload;  // OPUS_INVALID_PACKET, OPUS_INTERNAL_ERROR, OPUS_INVALID_STATE, ...
  }
}

// ---- decoder ----

std::unique_ptr<OpusFrameDecoder> OpusFrameDecoder::Create(int rate, const char** error) {
  if (!OpusRateValid(rate)) {
    *error = "Opus sample rate must be 8000, 12000, 16000, 24000 or 48000";
    return nullptr;
  }
  int err = OPUS_OK;
  ::OpusDecoder* dec = opus_decoder_create(rate, 1, &err);
  if (dec == nullptr || err != OPUS_OK) {
    if (dec != nullptr) opus_decoder_destroy(dec);
    *error = "opus_decoder_create failed";
    return nullptr;
  }
  OpusFrameDecoder* d = new (std::nothrow) OpusFrameDecoder(dec, rate);
  if (d == nullptr) {
    opus_decoder_destroy(dec);
    *error = "out of memory";
  }
  return std::unique_ptr<OpusFrameDecoder>(d);
}

OpusFrameDecoder::~OpusFrameDecoder() { opus_decoder_destroy(dec_); }

int OpusFrameDecoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr || len == 0 || len > kMaxPayloadBytes) return kErrPayload;
  if (out == nullptr) return kErrSpace;
  // The packet's duration is checked first: opus_decode would fail with BUFFER_TOO_SMALL only after
  // touching the state, and an invalid TOC / frame count is bad media.
  int n = opus_decoder_get_nb_samples(dec_, payload, static_cast<opus_int32>(len));
  if (n < 0) return kErrPayload;
  if (n == 0 || n > static_cast<int>(kMaxFrameSamples)) return kErrPayload;
  if (static_cast<size_t>(n) > cap) return kErrSpace;
  int r = opus_decode(dec_, payload, static_cast<opus_int32>(len), out, n, 0);
  if (r < 0) return MapOpusError(r);
  started_ = true;
  return r;
}

int OpusFrameDecoder::concealSize(size_t samples) const {
  size_t quantum = static_cast<size_t>(rate_) / 400;  // 2.5 ms
  size_t max = static_cast<size_t>(rate_) * 120 / 1000;
  if (samples == 0 || samples % quantum != 0 || samples > max) return kErrArg;
  return static_cast<int>(samples);
}

int OpusFrameDecoder::conceal(int16_t* out, size_t samples) {
  int n = concealSize(samples);
  if (n < 0) return n;
  if (out == nullptr) return kErrArg;
  if (!started_) {
    for (int i = 0; i < n; i++) out[i] = 0;
    return n;
  }
  int r = opus_decode(dec_, nullptr, 0, out, n, 0);
  return r < 0 ? MapOpusError(r) : r;
}

int OpusFrameDecoder::recover(const uint8_t* next, size_t len, int16_t* out, size_t samples) {
  int n = concealSize(samples);
  if (n < 0) return n;
  if (out == nullptr) return kErrArg;
  if (next == nullptr || len == 0 || len > kMaxPayloadBytes) return kErrPayload;
  if (opus_packet_get_nb_frames(next, static_cast<opus_int32>(len)) < 0) return kErrPayload;
  // With decode_fec = 1 libopus decodes the LBRR (FEC) copy of the previous frame carried in `next`
  // for the last frame_size samples and conceals the rest (all of it when `next` has no LBRR: a
  // CELT-only packet, or a SILK packet sent without FEC). The decoder state then continues into
  // `next`, which the caller decodes normally.
  int r = opus_decode(dec_, next, static_cast<opus_int32>(len), out, n, 1);
  if (r < 0) return MapOpusError(r);
  started_ = true;
  return r;
}

void OpusFrameDecoder::reset() {
  opus_decoder_ctl(dec_, OPUS_RESET_STATE);
  started_ = false;
}

// ---- encoder ----

std::unique_ptr<OpusFrameEncoder> OpusFrameEncoder::Create(const CodecConfig& cfg, const char** error) {
  if (!OpusRateValid(cfg.sampleRate)) {
    *error = "Opus sample rate must be 8000, 12000, 16000, 24000 or 48000";
    return nullptr;
  }
  int loss = cfg.packetLossPerc < 0 ? (cfg.inbandFec ? 10 : 0) : cfg.packetLossPerc;
  if (cfg.complexity < 0 || cfg.complexity > 10) { *error = "Opus complexity must be 0..10"; return nullptr; }
  if (cfg.bitrate < 500 || cfg.bitrate > 512000) { *error = "Opus bitrate must be 500..512000"; return nullptr; }
  if (loss > 100) { *error = "Opus packetLossPerc must be 0..100"; return nullptr; }
  int app = cfg.audioApplication ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_VOIP;
  int err = OPUS_OK;
  ::OpusEncoder* enc = opus_encoder_create(cfg.sampleRate, 1, app, &err);
  if (enc == nullptr || err != OPUS_OK) {
    if (enc != nullptr) opus_encoder_destroy(enc);
    *error = "opus_encoder_create failed";
    return nullptr;
  }
  if (opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(cfg.complexity)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_BITRATE(cfg.bitrate)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(cfg.inbandFec ? 1 : 0)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(loss)) != OPUS_OK ||
      opus_encoder_ctl(enc, OPUS_SET_DTX(cfg.dtx ? 1 : 0)) != OPUS_OK) {
    opus_encoder_destroy(enc);
    *error = "opus_encoder_ctl refused a setting";
    return nullptr;
  }
  OpusFrameEncoder* e = new (std::nothrow) OpusFrameEncoder(enc, cfg.sampleRate, cfg.dtx);
  if (e == nullptr) {
    opus_encoder_destroy(enc);
    *error = "out of memory";
  }
  return std::unique_ptr<OpusFrameEncoder>(e);
}

OpusFrameEncoder::~OpusFrameEncoder() { opus_encoder_destroy(enc_); }

int OpusFrameEncoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  if (pcm == nullptr) return kErrArg;
  // 2.5, 5, 10, 20, 40, 60 ms: n·400/rate ∈ {1, 2, 4, 8, 16, 24} and exact.
  size_t q = n * 400;
  if (q % static_cast<size_t>(rate_) != 0) return kErrArg;
  size_t quarters = q / static_cast<size_t>(rate_);
  if (quarters != 1 && quarters != 2 && quarters != 4 && quarters != 8 && quarters != 16 && quarters != 24) return kErrArg;
  if (out == nullptr || cap < 3) return kErrSpace;
  opus_int32 max = cap > 1276 ? 1276 : static_cast<opus_int32>(cap);
  opus_int32 r = opus_encode(enc_, pcm, static_cast<int>(n), out, max);
  if (r < 0) return MapOpusError(r);
  if (dtx_ && r <= 2) return 0;  // libopus: a packet of <= 2 bytes need not be transmitted
  return r;
}

void OpusFrameEncoder::reset() { opus_encoder_ctl(enc_, OPUS_RESET_STATE); }

}  // namespace codec
}  // namespace wn
