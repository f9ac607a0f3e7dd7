// The pieces of the TRANSCODE output of the native call mix, each the C++ twin of a reference-engine
// file (same rules, same arithmetic, bit-exact):
//   Sequencer            src/mix/Sequencer.ts       rtpengine's packet sequencer (order before decoding)
//   ComfortNoiseDecoder  src/mix/ComfortNoiseDecoder.ts  RFC 3389 CN -> noise, FFmpeg cngdec's algorithm
//   RoundingG711Encoder  src/mix/g711Table.ts       G.711 with FFmpeg's nearest-code tables
//   IsSilent             MixOutput.ts isSilent      rtpengine's silence test
// Everything is allocated at construction (signalling time); the per-packet methods allocate nothing.
// Float arithmetic is single precision step by step; the addon builds with -ffp-contract=off (no FMA).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#include "../codec/codec.h"
#include "../codec/g711.h"
#include "../codec/resampler.h"
#include "../rtp/telephone_event.h"
#include <memory>
#include <vector>

namespace wn {
namespace mix {

// ---- Sequencer ----
constexpr int kSeqDupeThreshold = 100;
constexpr int kSeqWaitPackets = 10;
constexpr int kSeqCapacity = 16;
constexpr size_t kSeqMaxPacket = 1500;

enum SeqInsert : int { SEQ_DUPLICATE = -1, SEQ_OK = 0, SEQ_RESET = 1 };

struct Sequencer {
  int expected = -1;
  int count = 0;
  uint8_t bufs[kSeqCapacity][kSeqMaxPacket];
  size_t lens[kSeqCapacity];
  int seqs[kSeqCapacity];

  Sequencer() {
    for (int i = 0; i < kSeqCapacity; i++) {
      seqs[i] = -1;
      lens[i] = 0;
    }
  }

  int insert(const uint8_t* pkt, size_t len, int seq) {
    int ret = SEQ_OK;
    if (expected < 0) {
      expected = seq;
    } else {
      const int diff = (seq - expected) & 0xffff;
      if (diff >= kSeqDupeThreshold) {
        if (diff > 0xffff - kSeqDupeThreshold) return SEQ_DUPLICATE;
        clear();
        expected = seq;
        ret = SEQ_RESET;
      }
    }
    if (len > kSeqMaxPacket) return SEQ_DUPLICATE;
    int freeSlot = -1;
    for (int i = 0; i < kSeqCapacity; i++) {
      if (seqs[i] == seq) return SEQ_DUPLICATE;
      if (freeSlot < 0 && seqs[i] < 0) freeSlot = i;
    }
    if (freeSlot < 0) {
      freeSlot = lowest();
      seqs[freeSlot] = -1;
      count--;
    }
    std::memcpy(bufs[freeSlot], pkt, len);
    lens[freeSlot] = len;
    seqs[freeSlot] = seq;
    count++;
    return ret;
  }

  // The slot of the next packet to decode, or -1 to wait.
  int next(bool force) {
    if (count == 0) return -1;
    for (int i = 0; i < kSeqCapacity; i++)
      if (seqs[i] == expected) return take(i);
    if (!force && count < kSeqWaitPackets) return -1;
    return take(lowest());
  }

  void clear() {
    for (int i = 0; i < kSeqCapacity; i++) seqs[i] = -1;
    count = 0;
  }

 private:
  int take(int i) {
    const int seq = seqs[i];
    seqs[i] = -1;
    count--;
    expected = (seq + 1) & 0xffff;
    return i;
  }
  int lowest() const {
    int best = -1;
    int bestDist = 0x10000;
    for (int i = 0; i < kSeqCapacity; i++) {
      if (seqs[i] < 0) continue;
      const int d = (seqs[i] - expected) & 0xffff;
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    return best;
  }
};

// ---- Comfort noise decoder ----
namespace cng {
constexpr int kOrder = 12;
constexpr int kFrame = 160;
constexpr double kEnergyRef = 1081109975;
// FFmpeg av_lfg_init(seed 0): state[8..63] (state[0..7] are 0).
constexpr uint32_t kLfgSeed0[56] = {
    0x3b376b5e, 0xf56be763, 0xcba2a7fc, 0x9751b2c7, 0x5b1fe69a, 0x860b05af, 0x2b2650ca,
    0x92a97fb0, 0x7315e8eb, 0x8b6287a3, 0x2ddbd8b3, 0x1d098ca2, 0x6a65b478, 0xc9b22db4,
    0x9637fbcf, 0xd4427934, 0xb390e2b5, 0x92a84d32, 0x2110b086, 0x25a9182f, 0x239295f1,
    0xc6f846f7, 0x5c5b3a51, 0xe6a7ba34, 0xd6597325, 0xa537e3df, 0xcb80e534, 0xeaecf2dc,
    0x9bbb6bd1, 0x2ea8bd11, 0x8c06ce60, 0x6859af1d, 0xf159f64e, 0xc213bd06, 0x2a5d7785,
    0xe621dc54, 0xb8cb9a8e, 0xe6a491f8, 0x85d7df25, 0x917d9aee, 0xb156c513, 0x5bd929dd,
    0xf6a9dab1, 0xc3ec5f2a, 0x5215230d, 0xe2b677d7, 0x701e36e7, 0x5405e2c7, 0xddcb3ae2,
    0x95b866ea, 0x1eb13c9a, 0x346646c2, 0x8ba48526, 0xb325e9bf, 0x29f07d49, 0xc986cf38,
};
}  // namespace cng

class ComfortNoiseDecoder : public codec::FrameDecoder {
 public:
  ComfortNoiseDecoder() { reset(); }
  int sampleRate() const override { return 8000; }

  int decode(const uint8_t* payload, size_t len, int16_t* out, size_t cap) override {
    if (len < 1 || payload == nullptr) return codec::kErrPayload;
    if (cap < static_cast<size_t>(cng::kFrame)) return codec::kErrSpace;
    const int dbov = -static_cast<int>(payload[0]);
    targetEnergy_ = static_cast<int64_t>(std::trunc(cng::kEnergyRef * std::pow(10.0, dbov / 10.0) * 0.75));
    for (int i = 0; i < cng::kOrder; i++) targetRefl_[i] = 0;
    const int nk = static_cast<int>(len) - 1 < cng::kOrder ? static_cast<int>(len) - 1 : cng::kOrder;
    for (int i = 0; i < nk; i++) targetRefl_[i] = static_cast<float>((payload[1 + i] - 127) / 128.0);
    return generate(out);
  }

  int conceal(int16_t* out, size_t samples) override {
    if (samples != static_cast<size_t>(cng::kFrame)) return codec::kErrArg;
    return generate(out);
  }

  void reset() override {
    for (int i = 0; i < 64; i++) lfg_[i] = i < 8 ? 0 : cng::kLfgSeed0[i - 8];
    lfgIndex_ = 0;
    for (int i = 0; i < cng::kOrder; i++) refl_[i] = targetRefl_[i] = lpc_[i] = lpcBuf_[i] = 0;
    energy_ = targetEnergy_ = 0;
    inited_ = false;
    for (int i = 0; i < cng::kOrder + cng::kFrame; i++) filterOut_[i] = 0;
  }

 private:
  int generate(int16_t* out) {
    if (inited_) {
      energy_ = energy_ / 2 + targetEnergy_ / 2;
      for (int i = 0; i < cng::kOrder; i++) refl_[i] = static_cast<float>(0.6 * refl_[i] + 0.4 * targetRefl_[i]);
    } else {
      energy_ = targetEnergy_;
      for (int i = 0; i < cng::kOrder; i++) refl_[i] = targetRefl_[i];
      inited_ = true;
    }
    makeLpc();
    float e = 1.0f;
    for (int i = 0; i < cng::kOrder; i++) {
      const float rr = refl_[i] * refl_[i];
      e = static_cast<float>(static_cast<double>(e) * (1.0 - static_cast<double>(rr)));
    }
    const float ef = e * static_cast<float>(energy_);
    const float q = ef / static_cast<float>(cng::kEnergyRef);
    const float scaling = static_cast<float>(std::sqrt(static_cast<double>(q)));
    for (int i = 0; i < cng::kFrame; i++) {
      const uint32_t k = lfgIndex_;
      const uint32_t a = lfg_[(k - 24) & 63] + lfg_[(k - 55) & 63];
      lfg_[k & 63] = a;
      lfgIndex_ = k + 1;
      const int r = static_cast<int>(a & 0xffff) - 0x8000;
      excitation_[i] = scaling * static_cast<float>(r);
    }
    synthesize();
    for (int i = 0; i < cng::kFrame; i++) {
      const double v = std::trunc(static_cast<double>(filterOut_[i + cng::kOrder]));
      out[i] = static_cast<int16_t>(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    std::memmove(filterOut_, filterOut_ + cng::kFrame, sizeof(float) * cng::kOrder);
    return cng::kFrame;
  }

  void makeLpc() {
    float* cur = lpc_;
    float* next = lpcBuf_;
    for (int m = 0; m < cng::kOrder; m++) {
      next[m] = refl_[m];
      for (int i = 0; i < m; i++) {
        const float p = refl_[m] * cur[m - i - 1];
        next[i] = cur[i] + p;
      }
      float* t = next;
      next = cur;
      cur = t;
    }
    if (cur != lpc_) std::memcpy(lpc_, cur, sizeof(float) * cng::kOrder);
  }

  void synthesize() {
    const float* c = lpc_;
    float* o = filterOut_;
    const float* x = excitation_;
    const float a = c[0];
    float b = c[1];
    float cc = c[2];
    b = b - c[0] * c[0];
    cc = cc - c[1] * c[0];
    cc = cc - c[0] * b;
    int base = cng::kOrder;
    float old0 = o[base - 4], old1 = o[base - 3], old2 = o[base - 2], old3 = o[base - 1];
    for (int n = 0; n <= cng::kFrame - 4; n += 4) {
      float out0 = x[n], out1 = x[n + 1], out2 = x[n + 2], out3 = x[n + 3];
      out0 = out0 - c[2] * old1;
      out1 = out1 - c[2] * old2;
      out2 = out2 - c[2] * old3;
      out0 = out0 - c[1] * old2;
      out1 = out1 - c[1] * old3;
      out0 = out0 - c[0] * old3;
      float val = c[3];
      out0 = out0 - val * old0;
      out1 = out1 - val * old1;
      out2 = out2 - val * old2;
      out3 = out3 - val * old3;
      for (int i = 5; i < cng::kOrder; i += 2) {
        old3 = o[base - i];
        val = c[i - 1];
        out0 = out0 - val * old3;
        out1 = out1 - val * old0;
        out2 = out2 - val * old1;
        out3 = out3 - val * old2;
        old2 = o[base - i - 1];
        val = c[i];
        out0 = out0 - val * old2;
        out1 = out1 - val * old3;
        out2 = out2 - val * old0;
        out3 = out3 - val * old1;
        const float t = old0;
        old0 = old2;
        old2 = t;
        old1 = old3;
      }
      const float t0 = out0, t1 = out1, t2 = out2;
      out3 = out3 - a * t2;
      out2 = out2 - a * t1;
      out1 = out1 - a * t0;
      out3 = out3 - b * t1;
      out2 = out2 - b * t0;
      out3 = out3 - cc * t0;
      o[base] = out0;
      o[base + 1] = out1;
      o[base + 2] = out2;
      o[base + 3] = out3;
      old0 = out0;
      old1 = out1;
      old2 = out2;
      old3 = out3;
      base += 4;
    }
  }

  uint32_t lfg_[64];
  uint32_t lfgIndex_ = 0;
  float refl_[cng::kOrder];
  float targetRefl_[cng::kOrder];
  float lpc_[cng::kOrder];
  float lpcBuf_[cng::kOrder];
  int64_t energy_ = 0;
  int64_t targetEnergy_ = 0;
  bool inited_ = false;
  float filterOut_[cng::kOrder + cng::kFrame];
  float excitation_[cng::kFrame];
};

// ---- G.711 with FFmpeg's nearest-code tables ----
// Built from the decode tables of codec/g711.h (the same values as FFmpeg's alaw2linear / ulaw2linear).
namespace g711r {
struct Table {
  uint8_t v[16384];
  Table(const int16_t* toLinear, int mask) {
    int j = 1;
    v[8192] = static_cast<uint8_t>(mask);
    for (int i = 0; i < 127; i++) {
      const int v1 = toLinear[i ^ mask];
      const int v2 = toLinear[(i + 1) ^ mask];
      const int mid = (v1 + v2 + 4) >> 3;
      for (; j < mid; j++) {
        v[8192 - j] = static_cast<uint8_t>(i ^ (mask ^ 0x80));
        v[8192 + j] = static_cast<uint8_t>(i ^ mask);
      }
    }
    for (; j < 8192; j++) {
      v[8192 - j] = static_cast<uint8_t>(127 ^ (mask ^ 0x80));
      v[8192 + j] = static_cast<uint8_t>(127 ^ mask);
    }
    v[0] = v[1];
  }
};
inline const Table& UlawTable() {
  static const Table t(codec::kUlawToLinear, 0xff);
  return t;
}
inline const Table& AlawTable() {
  static const Table t(codec::kAlawToLinear, 0xd5);
  return t;
}
}  // namespace g711r

class RoundingG711Encoder : public codec::FrameEncoder {
 public:
  // rate: the clock rate the SDP names (G.711 runs at any, one sample per byte; 8000 usually).
  explicit RoundingG711Encoder(bool ulaw, int rate = 8000) : table_(ulaw ? g711r::UlawTable() : g711r::AlawTable()), rate_(rate) {}
  int sampleRate() const override { return rate_; }
  int encode(const int16_t* pcm, size_t n, uint8_t* out, size_t cap) override {
    if (n > cap) return codec::kErrSpace;
    for (size_t i = 0; i < n; i++) out[i] = table_.v[(pcm[i] + 32768) >> 2];
    return static_cast<int>(n);
  }
  void reset() override {}

 private:
  const g711r::Table& table_;
  int rate_;
};

// src/mix/AlignedResampler.ts: the transcode path's resampler started as rtpengine's (libswresample):
// the first output sample is the first input sample's instant (no group delay in the stream) and the
// history before it is the input mirrored about its first sample (no ramp up from silence). The first
// call writes the group delay fewer samples. Buffers made at construction; process() allocates nothing.
class AlignedResampler {
 public:
  static std::unique_ptr<AlignedResampler> Create(int inRate, int outRate, int quality, const char** error) {
    std::unique_ptr<codec::Resampler> rs = codec::Resampler::Create(inRate, outRate, quality, error);
    if (!rs) return nullptr;
    std::unique_ptr<AlignedResampler> a(new (std::nothrow) AlignedResampler());
    if (!a) return nullptr;
    const int latency = rs->outputLatency();
    a->preroll_ = static_cast<int>(std::floor(static_cast<double>(latency) * inRate / outRate + 0.5));
    a->skip_ = 2 * latency;
    a->pre_.assign(static_cast<size_t>(a->preroll_), 0);
    a->discard_.assign(static_cast<size_t>(static_cast<int64_t>(a->preroll_ + 1) * outRate / inRate + 64), 0);
    a->rs_ = std::move(rs);
    return a;
  }
  // As codec::Resampler::process.
  int process(const int16_t* in, size_t n, int16_t* out, size_t cap) {
    if (!started_ && n > 0) {
      started_ = true;
      const int p = preroll_;
      for (int i = 0; i < p; i++) {
        const size_t k = static_cast<size_t>(p - i);
        pre_[static_cast<size_t>(i)] = in[k < n ? k : 0];
      }
      if (p > 0) {
        const int m = rs_->process(pre_.data(), static_cast<size_t>(p), discard_.data(), discard_.size());
        if (m > 0) skip_ -= m;
      }
    }
    const int m = rs_->process(in, n, out, cap);
    if (skip_ <= 0 || m <= 0) return m;
    const int drop = m < skip_ ? m : skip_;
    skip_ -= drop;
    std::memmove(out, out + drop, static_cast<size_t>(m - drop) * sizeof(int16_t));
    return m - drop;
  }

 private:
  AlignedResampler() = default;
  std::unique_ptr<codec::Resampler> rs_;
  int preroll_ = 0;
  int skip_ = 0;
  bool started_ = false;
  std::vector<int16_t> pre_;
  std::vector<int16_t> discard_;
};

// ---- RFC 4733 events -> in-band tones (TelephoneEventTones.ts; the samples: dtmfInject.ts dtmfToneSample) ----
namespace tones {
constexpr int kFreqs[16][2] = {
    {941, 1336}, {697, 1209}, {697, 1336}, {697, 1477}, {770, 1209}, {770, 1336}, {770, 1477}, {852, 1209},
    {852, 1336}, {852, 1477}, {941, 1209}, {941, 1477}, {697, 1633}, {770, 1633}, {852, 1633}, {941, 1633},
};
// 1.122018^v, v = 0..63, the same table as the reference engine's (src/media/dtmfInject.ts TONE_VOLUME_TABLE).
constexpr double kVolume[64] = {
    1.0, 1.122018, 1.2589243923239999, 1.4125358288265897,
    1.5848906255883524, 1.778275809941392, 1.9952574677188206, 2.238714793414936,
    2.5118782950778393, 2.818372660886647, 3.1622648562227136, 3.5481180894492965,
    3.9810523624877208, 4.466812409653747, 5.011843926254878, 5.623379098448646,
    6.309532569283152, 7.079409114321943, 7.9432244556332785, 8.91244081726074,
    9.99991902090126, 11.22008913999359, 12.589141976677327, 14.12524390238754,
    15.848777912869062, 17.78261409624152, 19.952413103036715, 22.38696664504305,
    25.118579541137912, 28.183498379588475, 31.6223924848691, 35.480893571087854,
    39.810201242844855, 44.667762378094295, 50.1180334079446, 56.23333560831519,
    63.094814752570585, 70.79351785904974, 79.43160132117526, 89.12368645118244,
    99.9983804245828, 112.19998280722955, 125.89040030940208, 141.25129517435468,
    158.4864957089391, 177.82470094235242, 199.52251530193638, 223.86785357404804,
    251.18376133144622, 281.8327015215866, 316.22136409584755, 354.8060625000947,
    398.0987886342312, 446.6740066258028, 501.17627556627, 562.3288023583151,
    630.943038164472, 707.9294457952245, 794.3095809122663, 891.2296473560191,
    999.9757064671057, 1121.9907422188091, 1258.8938086028636, 1412.501513340968,
};
inline double FreqIter(int hz, int rate) {
  double r = hz;
  r *= 2 * M_PI;
  r /= rate;
  return r;
}
inline int16_t Sample(int code, int volume, int rate, long offset) {
  const int* f = kFreqs[code & 15];
  const double vol = kVolume[volume & 63] * 2.0;
  const double prim = std::sin(FreqIter(f[0], rate) * offset) / vol;
  const double sec = std::sin(FreqIter(f[1], rate) * offset) / vol;
  return static_cast<int16_t>(std::trunc(prim * 32767.0 + sec * 32767.0));
}
}  // namespace tones

class TelephoneEventTones {
 public:
  explicit TelephoneEventTones(int rate) : rate_(rate) {}
  int rate() const { return rate_; }
  int frameOffset = 0;
  // Tone samples for one event packet; 0: nothing new; codec::kErrPayload for a short/bad payload.
  int decode(const uint8_t* p, size_t len, uint32_t rtpTs, int16_t* out, size_t cap) {
    rtp::TelephoneEvent ev;
    if (!rtp::ParseTelephoneEvent(p, len, &ev)) return codec::kErrPayload;
    const int code = ev.event;
    const int volume = ev.volume;
    const int duration = ev.duration;
    if (code != event_ || rtpTs != startTs_) {
      event_ = code;
      startTs_ = rtpTs;
      duration_ = 0;
    }
    const int from = duration_;
    const int n = duration - from;
    if (n <= 0) return 0;
    if (n > rate_ || static_cast<size_t>(n) > cap || code > 15) return codec::kErrPayload;
    for (int i = 0; i < n; i++) out[i] = tones::Sample(code, volume, rate_, from + i);
    duration_ = duration;
    frameOffset = from;
    return n;
  }

 private:
  int rate_;
  int event_ = -1;
  uint32_t startTs_ = 0;
  int duration_ = 0;
};

// ---- in-band DTMF detection (DtmfDetector.ts, operation for operation) ----
class DtmfDetector {
 public:
  static constexpr int kBlock = 102;
  DtmfDetector() {
    static const int kRows[4] = {697, 770, 852, 941};
    static const int kCols[4] = {1209, 1336, 1477, 1633};
    for (int i = 0; i < 8; i++) {
      const int f = i < 4 ? kRows[i] : kCols[i - 4];
      coef_[i] = 2.0 * std::cos((2.0 * M_PI * f) / 8000.0);
    }
    reset();
  }
  // Feed n samples at 8 kHz; Sink::onDtmfDetect(code (-1: end), level, at) for each state change.
  template <typename Sink>
  void process(const int16_t* pcm, int n, Sink& sink) {
    static const int kCodes[4][4] = {{1, 2, 3, 12}, {4, 5, 6, 13}, {7, 8, 9, 14}, {10, 0, 11, 15}};
    for (int i = 0; i < n; i++) {
      const double x = pcm[i];
      total_ += x * x;
      for (int k = 0; k < 8; k++) {
        const double s = x + coef_[k] * s1_[k] - s2_[k];
        s2_[k] = s1_[k];
        s1_[k] = s;
      }
      if (++count_ < kBlock) continue;
      for (int k = 0; k < 8; k++) {
        energy_[k] = s1_[k] * s1_[k] + s2_[k] * s2_[k] - coef_[k] * s1_[k] * s2_[k];
        s1_[k] = 0;
        s2_[k] = 0;
      }
      const int hit = classify();
      total_ = 0;
      count_ = 0;
      if (hit != inDigit_ && lastHit_ != inDigit_) {
        const int now = hit >= 0 && hit == lastHit_ ? hit : -1;
        if (now != inDigit_) {
          inDigit_ = now;
          sink.onDtmfDetect(now < 0 ? -1 : kCodes[now >> 2][now & 3], level_, i + 1);
        }
      }
      lastHit_ = hit;
    }
  }
  void reset() {
    for (int k = 0; k < 8; k++) s1_[k] = s2_[k] = energy_[k] = 0;
    total_ = 0;
    count_ = 0;
    lastHit_ = -1;
    inDigit_ = -1;
    level_ = 0;
  }

 private:
  int classify() {
    const double* e = energy_;
    int r = 0;
    for (int k = 1; k < 4; k++)
      if (e[k] > e[r]) r = k;
    int c = 4;
    for (int k = 5; k < 8; k++)
      if (e[k] > e[c]) c = k;
    const double re = e[r];
    const double ce = e[c];
    if (re < 8.0e7 || ce < 8.0e7) return -1;
    if (!(ce < re * 2.511886 && ce * 6.309573 > re)) return -1;
    for (int k = 0; k < 4; k++)
      if (k != r && e[k] * 6.309573 > re) return -1;
    for (int k = 4; k < 8; k++)
      if (k != c && e[k] * 6.309573 > ce) return -1;
    if (!(re + ce > 42.0 * total_)) return -1;
    const double rms = std::sqrt((2.0 * (re + ce)) / (kBlock * kBlock));
    const double dbm0 = 20.0 * std::log10(rms / 16055.0);
    double level = std::floor(-dbm0 + 0.5);  // Math.round
    if (level < 0) level = 0;
    if (level > 63) level = 63;
    level_ = static_cast<int>(level);
    return r * 4 + (c - 4);
  }
  double coef_[8];
  double s1_[8];
  double s2_[8];
  double energy_[8];
  double total_ = 0;
  int count_ = 0;
  int lastHit_ = -1;
  int inDigit_ = -1;
  int level_ = 0;
};

// rtpengine's silence test (int16): every sample <= threshold and sample 1 >= -threshold.
inline bool IsSilent(const int16_t* pcm, int n, int threshold) {
  if (n < 2) return false;
  if (pcm[1] < -threshold) return false;
  for (int i = 0; i < n; i++)
    if (pcm[i] > threshold) return false;
  return true;
}

}  // namespace mix
}  // namespace wn
