// AMR / AMR-WB kernels; see amr.h.
#include "amr.h"
#include <algorithm>
#include <cstring>
#include <new>

extern "C" {
#include <opencore-amrnb/interf_dec.h>
#include <opencore-amrnb/interf_enc.h>
#include <opencore-amrwb/dec_if.h>
#include <vo-amrwbenc/enc_if.h>
}

namespace wn {
namespace codec {

// Speech bits per frame type (RFC 4867 §3.6 / TS 26.101 and TS 26.201 tables); -1 = reserved,
// 0 = no speech bits (NO_DATA, SPEECH_LOST).
struct AmrFlavor {
  bool wb;
  int rate;
  int frameSamples;
  int maxMode;
  int sidType;
  int bits[16];
};

static const AmrFlavor kNb = {false, 8000, 160, 7, 8, {95, 103, 118, 134, 148, 159, 204, 244, 39, -1, -1, -1, -1, -1, -1, 0}};
static const AmrFlavor kWb = {true, 16000, 320, 8, 9, {132, 177, 253, 285, 317, 365, 397, 461, 477, 40, -1, -1, -1, -1, 0, 0}};

namespace {

constexpr int kMaxFrames = 6;       // 120 ms
constexpr int kStorageBytes = 64;   // ToC + 477 bits (60 bytes) for the largest frame
constexpr int kNoData = 15;

inline int Bytes(int bits) { return (bits + 7) / 8; }

// Read `n` (<= 8) bits MSB-first at bit position pos.
inline int ReadBits(const uint8_t* p, size_t pos, int n) {
  int v = 0;
  for (int i = 0; i < n; i++, pos++) v = (v << 1) | ((p[pos >> 3] >> (7 - (pos & 7))) & 1);
  return v;
}

inline void WriteBit(uint8_t* p, size_t pos, int bit) {
  if (bit) p[pos >> 3] |= static_cast<uint8_t>(0x80 >> (pos & 7));
}

struct Toc {
  int ft;
  int q;
};

}  // namespace

// ---- decoder ----

std::unique_ptr<AmrFrameDecoder> AmrFrameDecoder::Create(bool wideband, bool octetAlign, const char** error) {
  void* st = wideband ? D_IF_init() : Decoder_Interface_init();
  if (st == nullptr) {
    *error = wideband ? "D_IF_init failed" : "Decoder_Interface_init failed";
    return nullptr;
  }
  AmrFrameDecoder* d = new (std::nothrow) AmrFrameDecoder(wideband ? &kWb : &kNb, st, octetAlign);
  if (d == nullptr) {
    if (wideband) D_IF_exit(st);
    else Decoder_Interface_exit(st);
    *error = "out of memory";
  }
  return std::unique_ptr<AmrFrameDecoder>(d);
}

AmrFrameDecoder::~AmrFrameDecoder() {
  if (st_ == nullptr) return;
  if (f_->wb) D_IF_exit(st_);
  else Decoder_Interface_exit(st_);
}

int AmrFrameDecoder::sampleRate() const { return f_->rate; }

void AmrFrameDecoder::decodeOne(const uint8_t* storage, int16_t* out) {
  if (f_->wb) D_IF_decode(st_, storage, out, 0);
  else Decoder_Interface_Decode(st_, storage, out, 0);
}

int AmrFrameDecoder::decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) {
  if (payload == nullptr || len < 1 || len > 1500) return kErrPayload;
  // Parse the whole payload first (ToCs, lengths): a malformed one leaves the state untouched.
  Toc toc[kMaxFrames];
  int frames = 0;
  size_t pos = 4;  // bit position after the CMR (bandwidth-efficient)
  if (octet_) pos = 8;
  for (;;) {
    if (frames == kMaxFrames) return kErrPayload;
    const size_t tocBits = octet_ ? 8 : 6;
    if (pos + tocBits > len * 8) return kErrPayload;
    const int f = ReadBits(payload, pos, 1);
    toc[frames].ft = ReadBits(payload, pos + 1, 4);
    toc[frames].q = ReadBits(payload, pos + 5, 1);
    if (f_->bits[toc[frames].ft] < 0) return kErrPayload;
    pos += tocBits;
    frames++;
    if (!f) break;
  }
  size_t total = pos;
  for (int i = 0; i < frames; i++) {
    const int b = f_->bits[toc[i].ft];
    total += octet_ ? static_cast<size_t>(Bytes(b)) * 8 : static_cast<size_t>(b);
  }
  if ((total + 7) / 8 != len) return kErrPayload;
  const size_t need = static_cast<size_t>(frames) * static_cast<size_t>(f_->frameSamples);
  if (out == nullptr || cap < need) return kErrSpace;
  carryLen_ = carryAt_ = 0;
  uint8_t storage[kStorageBytes];
  for (int i = 0; i < frames; i++) {
    const int b = f_->bits[toc[i].ft];
    std::memset(storage, 0, sizeof storage);
    // A damaged frame (Q = 0) is decoded as lost, as TS 26.101 wants for a bad frame.
    const int ft = toc[i].q ? toc[i].ft : kNoData;
    storage[0] = static_cast<uint8_t>((ft << 3) | (toc[i].q << 2));
    for (int k = 0; k < b; k++) WriteBit(storage + 1, static_cast<size_t>(k), ReadBits(payload, pos + static_cast<size_t>(k), 1));
    pos += octet_ ? static_cast<size_t>(Bytes(b)) * 8 : static_cast<size_t>(b);
    decodeOne(storage, out + static_cast<size_t>(i) * static_cast<size_t>(f_->frameSamples));
  }
  return static_cast<int>(need);
}

int AmrFrameDecoder::conceal(int16_t* out, size_t samples) {
  if (!ConcealArgsOk(out, samples)) return kErrArg;
  size_t w = 0;
  while (w < samples) {
    if (carryAt_ == carryLen_) {
      uint8_t storage[kStorageBytes] = {static_cast<uint8_t>((kNoData << 3) | (1 << 2))};
      decodeOne(storage, carry_);
      carryAt_ = 0;
      carryLen_ = f_->frameSamples;
    }
    const size_t take = std::min(samples - w, static_cast<size_t>(carryLen_ - carryAt_));
    std::memcpy(out + w, carry_ + carryAt_, take * sizeof(int16_t));
    carryAt_ += static_cast<int>(take);
    w += take;
  }
  return static_cast<int>(samples);
}

void AmrFrameDecoder::reset() {
  carryLen_ = carryAt_ = 0;
  void* st = f_->wb ? D_IF_init() : Decoder_Interface_init();
  if (st == nullptr) return;  // keep the old state rather than none
  if (f_->wb) D_IF_exit(st_);
  else Decoder_Interface_exit(st_);
  st_ = st;
}

// ---- encoder ----

std::unique_ptr<AmrFrameEncoder> AmrFrameEncoder::Create(bool wideband, bool octetAlign, int mode, const char** error) {
  const AmrFlavor* f = wideband ? &kWb : &kNb;
  if (mode < -1 || mode > f->maxMode) {
    *error = wideband ? "AMR-WB mode must be 0..8" : "AMR mode must be 0..7";
    return nullptr;
  }
  void* st = wideband ? E_IF_init() : Encoder_Interface_init(0);
  if (st == nullptr) {
    *error = wideband ? "E_IF_init failed" : "Encoder_Interface_init failed";
    return nullptr;
  }
  AmrFrameEncoder* e = new (std::nothrow) AmrFrameEncoder(f, st, octetAlign, mode < 0 ? f->maxMode : mode);
  if (e == nullptr) {
    if (wideband) E_IF_exit(st);
    else Encoder_Interface_exit(st);
    *error = "out of memory";
  }
  return std::unique_ptr<AmrFrameEncoder>(e);
}

AmrFrameEncoder::~AmrFrameEncoder() {
  if (st_ == nullptr) return;
  if (f_->wb) E_IF_exit(st_);
  else Encoder_Interface_exit(st_);
}

int AmrFrameEncoder::sampleRate() const { return f_->rate; }

int AmrFrameEncoder::encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) {
  const size_t fs = static_cast<size_t>(f_->frameSamples);
  if (pcm == nullptr || n == 0 || n % fs != 0 || n / fs > static_cast<size_t>(kMaxFrames)) return kErrArg;
  const int frames = static_cast<int>(n / fs);
  // Worst case: every frame at the largest mode.
  const int maxBits = f_->bits[f_->maxMode];
  const size_t worst = octet_ ? 1 + static_cast<size_t>(frames) * (1 + Bytes(maxBits))
                              : static_cast<size_t>(Bytes(4 + frames * (6 + maxBits)));
  if (out == nullptr || cap < worst) return kErrSpace;
  uint8_t storage[kMaxFrames][kStorageBytes];
  int ft[kMaxFrames];
  for (int i = 0; i < frames; i++) {
    // A copy: opencore-amrnb's Encoder_Interface_Encode modifies the samples it is given (pre-processing
    // in place) although its parameter is const, and the caller's PCM must stay as it was.
    std::memcpy(frame_, pcm + static_cast<size_t>(i) * fs, fs * sizeof(int16_t));
    int r = f_->wb ? E_IF_encode(st_, mode_, frame_, storage[i], 0)
                   : Encoder_Interface_Encode(st_, static_cast<enum Mode>(mode_), frame_, storage[i], 0);
    if (r < 1) return kErrArg;
    ft[i] = (storage[i][0] >> 3) & 0x0f;
    if (f_->bits[ft[i]] < 0) return kErrArg;
  }
  std::memset(out, 0, worst);
  size_t pos = 0;
  auto put = [&](int v, int bits) {
    for (int k = bits - 1; k >= 0; k--) WriteBit(out, pos++, (v >> k) & 1);
  };
  put(15, 4);  // CMR: no mode request
  if (octet_) put(0, 4);
  for (int i = 0; i < frames; i++) {
    put(i + 1 < frames ? 1 : 0, 1);
    put(ft[i], 4);
    put(1, 1);  // Q
    if (octet_) put(0, 2);
  }
  for (int i = 0; i < frames; i++) {
    const int b = f_->bits[ft[i]];
    for (int k = 0; k < b; k++) WriteBit(out, pos++, ReadBits(storage[i] + 1, static_cast<size_t>(k), 1));
    if (octet_) pos = (pos + 7) & ~static_cast<size_t>(7);
  }
  return static_cast<int>((pos + 7) / 8);
}

void AmrFrameEncoder::reset() {
  void* st = f_->wb ? E_IF_init() : Encoder_Interface_init(0);
  if (st == nullptr) return;
  if (f_->wb) E_IF_exit(st_);
  else Encoder_Interface_exit(st_);
  st_ = st;
}

}  // namespace codec
}  // namespace wn
