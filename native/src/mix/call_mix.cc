// CallMix: the C++ twin of src/mix/CallMixer.ts + MixInput.ts + MixOutput.ts + PcmRing.ts + limiter.ts
// (+ PromptPlayer.ts read semantics), rule for rule. Comments name the TS member each part mirrors.
// Arithmetic mirrors JS exactly where it decides bits: the mix accumulator is float (Float32Array),
// products and gain ramps are double (JS numbers), the limiter works in double and truncates (| 0).
// Everything is allocated in the configuration methods; OnRtp() and Tick() allocate and free nothing.
#include "call_mix.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <new>
#include <vector>

#include "../codec/resampler.h"
#include "aec.h"
#include "transcode.h"

namespace wn {
namespace mix {

namespace {

// MixInput.ts constants.
constexpr int kMaxFrameMs = 120;
constexpr int kRingMs = 1000;
constexpr int kSeqRestart = 100;
constexpr int kLateRunRestart = 3;
constexpr double kBurstMs = 500;
// MixOutput.ts
constexpr int kTxRing = 8;
constexpr size_t kTxBytes = 1500;
// DropReason (src/media/counters.ts)
constexpr int kDropSendError = 8;
constexpr int kDropBadPayloadType = 12;
constexpr int kDropLateOrDuplicate = 13;
constexpr int kDropOverRate = 14;
// src/codec/resampler.ts DEFAULT_RESAMPLER_QUALITY
constexpr int kResamplerQuality = 6;
constexpr int kCnPayloadType = 13;

enum Mode : int { IDLE = 0, PASSTHROUGH = 1, MIX = 2, TRANSCODE = 3 };
// MixOutput.ts FIFO_MS: transcode FIFO capacity, ms of the output codec's PCM.
constexpr int kFifoMs = 300;
// MixInput.ts SEQ_FORCE_MS: the sequencer gives up on a gap once the audio after it is this far ahead.
constexpr double kSeqForceMs = 60;

int SeqDiff(int a, int b) { return ((a - b + 0x8000) & 0xffff) - 0x8000; }

void Put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// PcmRing.ts: samples addressed by absolute position; reads outside what is held yield zeros.
struct Ring {
  std::vector<int16_t> buf;
  int64_t mask = 0;
  int64_t written = 0;

  explicit Ring(int64_t minSamples) {
    int64_t size = 1;
    while (size < minSamples) size <<= 1;
    buf.assign(static_cast<size_t>(size), 0);
    mask = size - 1;
  }
  void write(const int16_t* src, int n) {
    int16_t* b = buf.data();
    for (int i = 0; i < n; i++) b[(written + i) & mask] = src[i];
    written += n;
  }
  void writeZeros(int n) {
    int16_t* b = buf.data();
    for (int i = 0; i < n; i++) b[(written + i) & mask] = 0;
    written += n;
  }
  void read(int64_t pos, int16_t* dst, int n) const {
    const int16_t* b = buf.data();
    const int64_t oldest = written - static_cast<int64_t>(buf.size());
    for (int i = 0; i < n; i++) {
      const int64_t p = pos + i;
      dst[i] = p >= oldest && p < written ? b[p & mask] : 0;
    }
  }
};

// MixInput.DecodeChain (+ the buffered path's jitter buffer).
struct Chain {
  std::unique_ptr<codec::FrameDecoder> decoder;
  std::unique_ptr<codec::Resampler> resampler;
  Ring ring;
  std::unique_ptr<jitter::JitterBuffer> jb;
  int frameCodecSamples = 0;
  explicit Chain(int64_t ringSamples) : ring(ringSamples) {}
};

// PromptPlayer.ts (read/done/stop), on a copy of the PCM.
struct Prompt {
  std::vector<int16_t> pcm;
  size_t pos = 0;
  int plays = 0;
  int repeat = 1;
  bool stopped = false;
  bool done() const { return stopped || plays >= repeat; }
  // PromptPlayer.read: prompt audio while it lasts, zeros after. `out` holds n.
  void read(int16_t* out, int n) {
    int w = 0;
    const size_t len = pcm.size();
    if (!stopped) {
      while (w < n && plays < repeat) {
        size_t take = static_cast<size_t>(n - w);
        if (len - pos < take) take = len - pos;
        if (take > 0) std::memcpy(out + w, pcm.data() + pos, take * sizeof(int16_t));
        w += static_cast<int>(take);
        pos += take;
        if (pos == len) {
          pos = 0;
          plays++;
        }
      }
    }
    for (int i = w; i < n; i++) out[i] = 0;
  }
};

struct Input;
struct Output;

// MixInput.ts TranscodeDecoder: a decoder for one payload type of an input's transcode path.
struct TcDecoder {
  int pt = 0;
  int rate = 8000;
  int clockRate = 8000;
  std::unique_ptr<codec::FrameDecoder> decoder;
  std::unique_ptr<TelephoneEventTones> tones;  // telephone-event turned into tones (decoder unused)
};

// MixOutput.ts TranscodePlan.
struct TranscodePlan {
  int frameMs = 20;
  int fwdIn[ParticipantSpec::kMaxAlso + 3];
  int fwdOut[ParticipantSpec::kMaxAlso + 3];
  int nfwd = 0;
  int cnPt = -1;
  int silenceThreshold = 0;
  double tsRatio = 1;
  // MixOutput TranscodePlan.eventScalePt: the input's telephone-event PT when the clocks differ, else -1.
  int eventScalePt = -1;
  bool primaryForwarded = false;
  int detectPt = -1;
  int injectPt = -1;
  int forwardPt(int pt) const {
    for (int i = 0; i < nfwd; i++)
      if (fwdIn[i] == pt) return fwdOut[i];
    return -1;
  }
};

// MixSource (MixOutput.ts).
struct Source {
  Input* input = nullptr;
  bool primary = false;
  double gain = 0;
  double target = 0;
  int64_t cursor = -1;
};

struct Input {
  int idx;
  ParticipantSpec spec;
  int mixRate;
  int codecRate;
  int clockRate;
  std::unique_ptr<Chain> direct;
  std::unique_ptr<Chain> buffered;
  int64_t bufferedFirstAudioPos = -1;
  double lastPullMs = 0;
  bool passthrough = false;
  bool observed = false;
  double decodeErrors = 0;
  int64_t directSsrc = -1;
  int directSeq = 0;
  int lateRun = 0;
  int lateSeq = 0;
  double budgetMs = kBurstMs;
  double budgetAtMs = -1;
  double lastPacketMs = 20;
  std::vector<int16_t> scratch;
  std::vector<int16_t> scratchMix;
  std::vector<int16_t> obs;  // contiguous copy of the last direct write for OnObserved
  std::unique_ptr<Aec> aec;  // MixInput.aec: echo canceller of the direct path (SetEchoCanceller)
  // (M) transcode path (MixInput transcodeTo / tcDecoders / tcSeq / tcLastTs / cnPt)
  Output* transcodeTo[kMaxParticipants];
  int ntranscodeTo = 0;
  std::vector<TcDecoder> tcDecoders;
  std::unique_ptr<Sequencer> tcSeq;
  int64_t tcLastTs = -1;
  std::vector<int16_t> tcScratch;
  int cnPt = -1;
};

struct Output {
  int idx;
  int pt;
  int codecRate;
  int mixRate;
  double tsPerSample;
  std::unique_ptr<codec::FrameEncoder> encoder;
  std::unique_ptr<codec::Resampler> resampler;

  int mode = IDLE;
  Source sources[kMaxParticipants];
  int nsources = 0;
  Source* primary = nullptr;
  Input* wantPassthrough = nullptr;
  Input* passthroughFrom = nullptr;
  std::vector<Prompt*> prompts;                    // playing, in order (capacity reserved at config time)
  std::vector<std::unique_ptr<Prompt>> promptStore;  // owns them; finished ones freed at config time
  double promptGain = 1;
  int tapSrc = -1;

  uint32_t ssrc = 0;
  int seq = 0;
  uint32_t ts = 0;
  bool restamp = false;
  int seqDelta = 0;
  uint32_t tsDelta = 0;
  bool deltaValid = false;
  int lastPtSeq = 0;
  uint32_t lastPtTs = 0;
  bool marker = true;
  double nextDeadlineMs = 0;
  OutputStats stats;
  // (M) TRANSCODE mode (MixOutput plan / tc* / fifo*)
  TranscodePlan plan;
  bool hasPlan = false;
  bool wantTranscode = false;
  std::unique_ptr<codec::FrameEncoder> tcEncoder;
  struct TcResampler {
    int rate = 0;
    std::unique_ptr<AlignedResampler> rs;  // (X) started as rtpengine's (transcode.h)
  };
  TcResampler tcRs[ParticipantSpec::kMaxAlso + 2];
  int ntcRs = 0;
  std::vector<int16_t> tcScratch;
  int tcSeqDiff = 0;
  uint32_t tcTsDelta = 0;
  uint32_t tcFirstTs = 0;  // (X) MixOutput.tcFirstTs / evInTs / evInValid / evLastDuration
  uint32_t evInTs = 0;
  bool evInValid = false;
  uint32_t evLastDuration = 0;
  bool tcStarted = false;
  std::vector<int16_t> fifo;
  int fifoLen = 0;
  uint32_t fifoTs = 0;
  bool fifoMarker = false;
  bool fifoClock = false;
  // (M) in-band DTMF -> RFC 4733 (MixOutput detector / ev* / cur*)
  std::unique_ptr<DtmfDetector> detector;
  uint32_t detectBase = 0;
  static constexpr int kEventRing = 16;
  int evCode[kEventRing];
  int evLevel[kEventRing];
  uint32_t evTs[kEventRing];
  int evHead = 0;
  int evCount = 0;
  int curCode = -1;
  int curLevel = 0;
  uint32_t curStart = 0;
  uint32_t evPacketTs = 0;
  // (M) play DTMF into this transcoded stream (MixOutput inj*)
  static constexpr int kInjectRing = 64;
  int injCode[kInjectRing];
  int injVolume[kInjectRing];
  int injTone[kInjectRing];
  int injDur[kInjectRing];
  int injPause[kInjectRing];
  int injHead = 0;
  int injCount = 0;
  bool injActive = false;
  bool injFirst = false;
  uint32_t injStart = 0;
  uint32_t injLastEnd = 0;
  bool injHasLastEnd = false;
  int injCur = 0;
  // DtmfDetector sink (MixOutput.onDtmfDetect)
  void onDtmfDetect(int code, int level, int at) {
    if (evCount == kEventRing) return;
    const int k = (evHead + evCount) % kEventRing;
    evCode[k] = code;
    evLevel[k] = level;
    evTs[k] = detectBase + static_cast<uint32_t>(at);
    evCount++;
  }
  AlignedResampler* tcResamplerFor(int rate) {
    for (int i = 0; i < ntcRs; i++)
      if (tcRs[i].rate == rate) return tcRs[i].rs.get();
    return nullptr;
  }

  int maxMix = 0;
  std::vector<float> acc;
  std::vector<int16_t> readBuf;
  std::vector<int16_t> pcm;
  std::vector<int16_t> pcmCodec;
  std::vector<int16_t> tapContrib;
  std::vector<int16_t> tapRaw;
  // MixOutput.aec / aecRef: this participant's own input's canceller and its reference source index.
  Aec* aec = nullptr;
  int aecRef = -1;
  std::vector<int16_t> aecContrib;
  uint8_t tx[kTxRing][kTxBytes];
  int txIdx = 0;

  uint8_t* nextTx() {
    uint8_t* b = tx[txIdx];
    txIdx = (txIdx + 1) % kTxRing;
    return b;
  }
  bool rampsDone() const {
    for (int k = 0; k < nsources; k++)
      if (sources[k].gain != sources[k].target) return false;
    return true;
  }
};

}  // namespace

struct CallMix::Impl {
  MixConfig cfg;
  MixHost* host = nullptr;
  int frameSamples = 160;
  uint64_t rng = 0;
  double lastNowMs = 0;

  std::unique_ptr<Input> inputs[kMaxParticipants];
  std::unique_ptr<Output> outputs[kMaxParticipants];
  // Participant indices in insertion order (the TS Maps' iteration order: sums and sends follow it).
  int order[kMaxParticipants];
  int norder = 0;
  double gains[kMaxParticipants][kMaxParticipants];  // [out][in], missing = 0
  // reconfigure() products: per input, the outputs it is forwarded to and the output it is primary of.
  int passTo[kMaxParticipants][kMaxParticipants];
  int npassTo[kMaxParticipants];
  int primaryOf[kMaxParticipants];
  // Bleed-tap configuration by participant index (like the reference taps, configured by tag): kept
  // across a participant's removal and applied to its input/output whenever they are (re)created.
  bool observedCfg[kMaxParticipants];
  int tapCfg[kMaxParticipants];
  // CallMixer.aecSpecs: echo canceller configuration by input index (ref -1: none), kept like the taps.
  int aecRefCfg[kMaxParticipants];
  int aecTailCfg[kMaxParticipants];
  bool aecResidualCfg[kMaxParticipants];

  uint32_t Rand() {  // splitmix64
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<uint32_t>((z ^ (z >> 31)) >> 16);
  }

  double Now() const {
    const double n = host->NowMs();
    return n >= 0 ? n : lastNowMs;
  }

  // (K) codec::PcmRate: Opus at the mix rate, G.722 at 16000 on its 8000 RTP clock, else the clock rate.
  int decodeRate(const ParticipantSpec& s) const { return codec::PcmRate(s.codec, s.clockRate, cfg.mixRate); }

  std::unique_ptr<codec::FrameDecoder> newDecoder(const Input& in, const char** err) const {
    codec::CodecConfig c;
    c.id = in.spec.codec;
    c.sampleRate = in.codecRate;
    return codec::CreateDecoder(c, err);
  }

  // MixInput.chain()
  std::unique_ptr<Chain> chain(const Input& in) {
    const char* err = nullptr;
    std::unique_ptr<Chain> c(new (std::nothrow) Chain(static_cast<int64_t>(in.mixRate) * kRingMs / 1000));
    if (!c) return nullptr;
    c->decoder = newDecoder(in, &err);
    if (!c->decoder) return nullptr;
    if (in.codecRate != in.mixRate) {
      c->resampler = codec::Resampler::Create(in.codecRate, in.mixRate, kResamplerQuality, &err);
      if (!c->resampler) return nullptr;
    }
    return c;
  }

  void enableDirect(Input& in) {
    if (!in.direct) in.direct = chain(in);
  }

  void enableBuffered(Input& in) {
    if (in.buffered) return;
    std::unique_ptr<Chain> c = chain(in);
    if (!c) return;
    jitter::Options o;
    o.clockRate = in.clockRate;
    o.frameMs = 20;
    const char* err = nullptr;
    c->jb = jitter::JitterBuffer::Create(o, c->decoder.get(), &err);
    if (!c->jb) return;
    c->frameCodecSamples = c->jb->frameSamples();
    in.buffered = std::move(c);
  }

  // MixInput.toMix: n codec-rate samples into c's ring (resampled). Returns mix-rate samples.
  int toMix(Input& in, Chain& c, int16_t* pcm, int n, Aec* aec = nullptr) {
    if (!c.resampler) {
      if (aec != nullptr) aec->Process(pcm, n);
      c.ring.write(pcm, n);
      return n;
    }
    int m = c.resampler->process(pcm, static_cast<size_t>(n), in.scratchMix.data(), in.scratchMix.size());
    if (m < 0) m = 0;
    if (aec != nullptr) aec->Process(in.scratchMix.data(), m);
    c.ring.write(in.scratchMix.data(), m);
    return m;
  }

  // MixInput.concealDirect
  void concealDirect(Input& in, int mixSamples) {
    Chain* d = in.direct.get();
    if (!d) return;
    const int codecSamples = static_cast<int>(std::floor(static_cast<double>(mixSamples) * in.codecRate / in.mixRate + 0.5));
    int n = codecSamples <= static_cast<int>(in.scratch.size()) ? d->decoder->conceal(in.scratch.data(), static_cast<size_t>(codecSamples)) : -1;
    if (n <= 0) {
      d->ring.writeZeros(mixSamples);
      return;
    }
    toMix(in, *d, in.scratch.data(), n);
  }

  // MixInput.fillBuffered
  void fillBuffered(Input& in, int64_t until, double nowMs) {
    Chain* b = in.buffered.get();
    if (!b) return;
    in.lastPullMs = nowMs;
    int guard = 16;
    while (b->ring.written < until && guard-- > 0) {
      const jitter::FrameKind kind = b->jb->Get(in.scratch.data(), nowMs);
      if (in.bufferedFirstAudioPos < 0 && kind != jitter::FrameKind::SILENCE) in.bufferedFirstAudioPos = b->ring.written;
      toMix(in, *b, in.scratch.data(), b->frameCodecSamples);
    }
  }

  // ---- MixOutput ----

  // (P) Every packet of this output's own stream (its SSRC) goes through SendOwn (RTCP sender reports);
  // forward() sends a packet it does not re-stamp with host->Send.
  void send(Output& o, const uint8_t* buf, size_t len) { host->SendOwn(o.idx, buf, len); }

  // MixOutput.forward
  void forward(Output& o, const uint8_t* pkt, size_t len, const rtp::RtpView& view) {
    o.stats.packetsForwarded++;
    if (!o.restamp) {
      host->Send(o.idx, pkt, len);
      return;
    }
    if (!o.deltaValid) {
      o.seqDelta = (o.seq - view.sequence) & 0xffff;
      o.tsDelta = o.ts - view.timestamp;
      o.deltaValid = true;
    }
    if (len > kTxBytes) {
      host->CountDrop(kDropSendError);
      return;
    }
    uint8_t* out = o.nextTx();
    std::memcpy(out, pkt, len);
    const int seq = (view.sequence + o.seqDelta) & 0xffff;
    const uint32_t ts = view.timestamp + o.tsDelta;
    out[2] = static_cast<uint8_t>(seq >> 8);
    out[3] = static_cast<uint8_t>(seq & 0xff);
    Put32(out + 4, ts);
    Put32(out + 8, o.ssrc);
    o.lastPtSeq = seq;
    o.lastPtTs = ts;
    send(o, out, len);
  }

  // MixOutput.forwardEvent
  void forwardEvent(Output& o, const uint8_t* pkt, size_t len) {
    if (len > kTxBytes) return;
    uint8_t* out = o.nextTx();
    std::memcpy(out, pkt, len);
    out[2] = static_cast<uint8_t>(o.seq >> 8);
    out[3] = static_cast<uint8_t>(o.seq & 0xff);
    o.seq = (o.seq + 1) & 0xffff;
    Put32(out + 4, o.ts);
    Put32(out + 8, o.ssrc);
    send(o, out, len);
  }

  // MixOutput.enterMix
  static void enterMix(Output& o) {
    if (o.mode == PASSTHROUGH && o.deltaValid) {
      o.seq = (o.lastPtSeq + 1) & 0xffff;
      o.ts = o.lastPtTs;
    }
    // From TRANSCODE, o.seq / o.ts already continue the transcoded stream.
    o.fifoLen = 0;
    o.mode = MIX;
    o.passthroughFrom = nullptr;
  }

  static void enterPassthrough(Output& o, Input* from) {
    if (o.wantTranscode) {
      enterTranscode(o, from);
      return;
    }
    o.mode = PASSTHROUGH;
    o.passthroughFrom = from;
    o.deltaValid = false;
  }

  // ---- TRANSCODE (MixOutput.enterTranscode / tcStart / transcodeForward / transcodePcm / sendTranscoded) ----

  static void enterTranscode(Output& o, Input* from) {
    if (o.mode != TRANSCODE) {
      o.tcStarted = false;
      o.fifoLen = 0;
      o.fifoClock = false;
    }
    o.mode = TRANSCODE;
    o.passthroughFrom = from;
  }

  // inTs: the first packet's own timestamp (the scaling's origin).
  static void tcStart(Output& o, int inSeq, uint32_t inTs) {
    if (o.tcStarted) return;
    o.tcStarted = true;
    o.tcFirstTs = inTs;
    o.evInValid = false;
    if (o.restamp || o.deltaValid) {
      o.tcSeqDiff = (o.seq - inSeq) & 0xffff;
      o.tcTsDelta = o.ts - inTs;
    } else {
      o.tcSeqDiff = 0;
      o.tcTsDelta = 0;
    }
  }

  // MixOutput.scaleTs (rtpengine): the first timestamp plus the scaled distance from it.
  static uint32_t scaleTs(const Output& o, uint32_t ts) {
    const double r = o.plan.tsRatio;
    if (r == 1) return ts;
    const double d = static_cast<double>(static_cast<int32_t>(ts - o.tcFirstTs)) * r;
    return o.tcFirstTs + static_cast<uint32_t>(static_cast<int64_t>(std::floor(d + 0.5)));
  }

  // MixOutput.scaleEvent (rtpengine codec_add_dtmf_packet): the event at the encoder's position when it
  // started, its duration rescaled (rounded); the audio goes on after it. Returns the timestamp.
  static uint32_t scaleEvent(Output& o, uint8_t* out, size_t len, const rtp::RtpView& view) {
    if (!o.evInValid || view.timestamp != o.evInTs) {
      o.evInValid = true;
      o.evInTs = view.timestamp;
      o.evLastDuration = 0;
    }
    const uint32_t start = o.fifoTs - o.evLastDuration;
    const size_t off = view.payload_offset;
    if (view.payload_length >= 4 && off + 4 <= len) {
      int64_t d = static_cast<int64_t>(std::floor(((out[off + 2] << 8) | out[off + 3]) * o.plan.tsRatio + 0.5));
      if (d > 0xffff) d = 0xffff;
      out[off + 2] = static_cast<uint8_t>(d >> 8);
      out[off + 3] = static_cast<uint8_t>(d & 0xff);
      o.fifoTs = start + static_cast<uint32_t>(d);
      o.evLastDuration = static_cast<uint32_t>(d);
    }
    return start;
  }

  void transcodeForward(Output& o, const uint8_t* pkt, size_t len, const rtp::RtpView& view, int pt) {
    if (len > kTxBytes) {
      host->CountDrop(kDropSendError);
      return;
    }
    tcStart(o, view.sequence, view.timestamp);
    const uint32_t inTs = scaleTs(o, view.timestamp);
    uint8_t* out = o.nextTx();
    std::memcpy(out, pkt, len);
    const int seq = (view.sequence + o.tcSeqDiff) & 0xffff;
    const uint32_t ts = view.payload_type == o.plan.eventScalePt && o.fifoClock && !o.plan.primaryForwarded
                            ? scaleEvent(o, out, len, view)
                            : inTs + o.tcTsDelta;
    out[1] = static_cast<uint8_t>((out[1] & 0x80) | (pt & 0x7f));
    out[2] = static_cast<uint8_t>(seq >> 8);
    out[3] = static_cast<uint8_t>(seq & 0xff);
    Put32(out + 4, ts);
    Put32(out + 8, o.ssrc);
    o.seq = (seq + 1) & 0xffff;
    o.ts = ts;
    o.stats.packetsForwarded++;
    send(o, out, len);
  }

  void transcodePcm(Output& o, const int16_t* pcm, int n, const rtp::RtpView& view, bool reset, int expected, uint32_t tsOffset) {
    tcStart(o, view.sequence, view.timestamp);
    const uint32_t inTs = scaleTs(o, view.timestamp + tsOffset);
    if (reset) o.tcSeqDiff = (o.tcSeqDiff - ((view.sequence - expected) & 0xffff)) & 0xffff;
    if (o.fifoLen == 0) {
      if (o.plan.primaryForwarded || !o.fifoClock) o.fifoTs = inTs + o.tcTsDelta;
      o.fifoMarker = false;  // MixOutput.transcodePcm: the transcoder marks only DTMF starts
    }
    o.fifoClock = true;
    const int room = static_cast<int>(o.fifo.size()) - o.fifoLen;
    const int take = n < room ? n : room;
    if (o.detector) {
      o.detectBase = o.fifoTs + static_cast<uint32_t>(o.fifoLen);
      o.detector->process(pcm, take, o);
    }
    if (take > 0) std::memcpy(o.fifo.data() + o.fifoLen, pcm, static_cast<size_t>(take) * sizeof(int16_t));
    o.fifoLen += take;
    const int frame = static_cast<int>(std::floor(o.plan.frameMs * static_cast<double>(o.codecRate) / 1000 + 0.5));
    if (frame <= 0) return;
    int sent = 0;
    int pos = 0;
    while (o.fifoLen - pos >= frame) {
      const int seq = (view.sequence + o.tcSeqDiff + sent) & 0xffff;
      sent += sendTranscoded(o, o.fifo.data() + pos, frame, seq, o.fifoTs);
      o.fifoTs += static_cast<uint32_t>(std::floor(frame * o.tsPerSample + 0.5));
      pos += frame;
    }
    if (pos > 0) {
      std::memmove(o.fifo.data(), o.fifo.data() + pos, static_cast<size_t>(o.fifoLen - pos) * sizeof(int16_t));
      o.fifoLen -= pos;
    }
    o.tcSeqDiff = (o.tcSeqDiff + (sent == 0 ? -1 : sent - 1)) & 0xffff;
  }

  // MixOutput.dtmfFrame (rtpengine dtmf_event_payload): 0 audio, 1 start, 2 in progress, 3 end.
  static int dtmfFrame(Output& o, uint8_t* out, uint32_t ts, int samples) {
    const int prevCode = o.curCode;
    const int prevLevel = o.curLevel;
    const uint32_t prevStart = o.curStart;
    while (o.evCount > 0) {
      const int k = o.evHead;
      if (static_cast<int32_t>(o.evTs[k] - ts) > 0) break;
      o.curCode = o.evCode[k];
      o.curLevel = o.evLevel[k];
      o.curStart = ts;
      o.evHead = (o.evHead + 1) % Output::kEventRing;
      o.evCount--;
    }
    int ret = 2;
    int code = o.curCode;
    int level = o.curLevel;
    uint32_t start = o.curStart;
    if (code < 0) {
      if (prevCode < 0) return 0;
      ret = 3;
      code = prevCode;
      level = prevLevel;
      start = prevStart;
    } else if (prevCode < 0) {
      ret = 1;
    }
    const uint32_t duration = (ts - start) + static_cast<uint32_t>(std::floor(samples * o.tsPerSample + 0.5));
    out[12] = static_cast<uint8_t>(code);
    out[13] = static_cast<uint8_t>((ret == 3 ? 0x80 : 0) | (level & 0x3f));
    out[14] = static_cast<uint8_t>((duration >> 8) & 0xff);
    out[15] = static_cast<uint8_t>(duration & 0xff);
    o.evPacketTs = start;
    return ret;
  }

  // MixOutput.injectDtmf
  static bool injectDtmf(Output& o, int code, int volume, int toneVolume, int durationMs, int pauseMs) {
    if (o.mode != TRANSCODE || !o.hasPlan || o.injCount == Output::kInjectRing) return false;
    const int k = (o.injHead + o.injCount) % Output::kInjectRing;
    const double rate = o.plan.injectPt >= 0 ? o.tsPerSample * o.codecRate : o.codecRate;
    o.injCode[k] = code;
    o.injVolume[k] = volume;
    o.injTone[k] = toneVolume;
    o.injDur[k] = static_cast<int>(std::floor((durationMs * rate) / 1000));
    o.injPause[k] = static_cast<int>(std::floor((pauseMs * rate) / 1000));
    o.injCount++;
    return true;
  }

  static void injBegin(Output& o, uint32_t ts) {
    o.injActive = true;
    o.injCur = o.injHead;
    o.injHead = (o.injHead + 1) % Output::kInjectRing;
    o.injCount--;
    o.injStart = ts;
    o.injFirst = true;
  }

  // MixOutput.injectEventFrame: 0 audio, 1 event, 3 end.
  static int injectEventFrame(Output& o, uint8_t* out, uint32_t ts, int samples) {
    if (!o.injActive && o.injCount > 0) {
      const uint32_t earliest = o.injLastEnd + static_cast<uint32_t>(o.injPause[o.injHead]);
      if (!o.injHasLastEnd || static_cast<int32_t>(ts - earliest) >= 0) injBegin(o, ts);
    }
    if (!o.injActive) return 0;
    const int32_t rel = static_cast<int32_t>(ts - o.injStart);
    if (rel < 0) return 0;
    const int k = o.injCur;
    const bool end = rel >= o.injDur[k];
    const int frame = static_cast<int>(std::floor(samples * o.tsPerSample + 0.5));
    const int dur = rel + frame < 0xffff ? rel + frame : 0xffff;
    out[12] = static_cast<uint8_t>(o.injCode[k]);
    out[13] = static_cast<uint8_t>((end ? 0x80 : 0) | (o.injVolume[k] & 0x3f));
    out[14] = static_cast<uint8_t>((dur >> 8) & 0xff);
    out[15] = static_cast<uint8_t>(dur & 0xff);
    o.evPacketTs = o.injStart;
    if (!end) return 1;
    o.injActive = false;
    o.injLastEnd = o.injStart + static_cast<uint32_t>(o.injDur[k]);
    o.injHasLastEnd = true;
    return 3;
  }

  // MixOutput.injectTones
  static void injectTones(Output& o, int16_t* pcm, int samples, uint32_t ts) {
    if (!o.injActive && o.injCount == 0) return;
    for (int i = 0; i < samples; i++) {
      const uint32_t sts = ts + static_cast<uint32_t>(i);
      if (!o.injActive) {
        if (o.injCount == 0) return;
        injBegin(o, sts);
      }
      const int32_t rel = static_cast<int32_t>(sts - o.injStart);
      if (rel < 0) continue;
      const int k = o.injCur;
      if (rel < o.injDur[k]) pcm[i] = tones::Sample(o.injCode[k], o.injTone[k], o.codecRate, rel);
      else if (rel < o.injDur[k] + o.injPause[k]) pcm[i] = 0;
      else {
        o.injActive = false;
        i--;
      }
    }
  }

  // Returns how many packets went out for the frame (3 for an event's end).
  int sendTranscoded(Output& o, int16_t* pcm, int samples, int seq, uint32_t ts) {
    uint8_t* out = o.nextTx();
    int pt = o.pt;
    int bytes;
    int ev = 0;
    int evPt = o.plan.detectPt;
    if (o.plan.injectPt >= 0 && (o.injActive || o.injCount > 0)) {
      ev = injectEventFrame(o, out, ts, samples) == 0 ? 0 : o.injActive ? 2 : 3;
      if (ev == 2 && o.injFirst) ev = 1;
      o.injFirst = false;
      evPt = o.plan.injectPt;
    } else if (o.plan.injectPt < 0 && (o.injActive || o.injCount > 0)) {
      injectTones(o, pcm, samples, static_cast<uint32_t>(static_cast<uint64_t>(std::floor(ts / o.tsPerSample))));
    }
    if (ev == 0 && o.plan.detectPt >= 0) ev = dtmfFrame(o, out, ts, samples);
    if (ev != 0) {
      out[0] = 0x80;
      out[1] = static_cast<uint8_t>((ev == 1 ? 0x80 : 0) | (evPt & 0x7f));
      out[2] = static_cast<uint8_t>((seq >> 8) & 0xff);
      out[3] = static_cast<uint8_t>(seq & 0xff);
      Put32(out + 4, o.evPacketTs);
      Put32(out + 8, o.ssrc);
      o.seq = (seq + 1) & 0xffff;
      o.ts = ts + static_cast<uint32_t>(std::floor(samples * o.tsPerSample + 0.5));
      o.fifoMarker = false;
      send(o, out, 16);
      if (ev != 3) return 1;
      for (int r = 1; r <= 2; r++) {
        out[2] = static_cast<uint8_t>(((seq + r) >> 8) & 0xff);
        out[3] = static_cast<uint8_t>((seq + r) & 0xff);
        send(o, out, 16);
      }
      o.seq = (seq + 3) & 0xffff;
      return 3;
    }
    if (o.plan.silenceThreshold > 0 && o.plan.cnPt >= 0 && IsSilent(pcm, samples, o.plan.silenceThreshold)) {
      bytes = cfg.cnPayloadLen;
      std::memcpy(out + 12, cfg.cnPayload, static_cast<size_t>(bytes));
      pt = o.plan.cnPt;
    } else {
      codec::FrameEncoder* enc = o.tcEncoder ? o.tcEncoder.get() : o.encoder.get();
      bytes = enc->encode(pcm, static_cast<size_t>(samples), out + 12, kTxBytes - 12);
    }
    if (bytes < 0) {
      o.stats.encodeErrors++;
      return 1;
    }
    o.seq = (seq + 1) & 0xffff;
    o.ts = ts + static_cast<uint32_t>(std::floor(samples * o.tsPerSample + 0.5));
    if (bytes == 0) return 1;
    out[0] = 0x80;
    out[1] = static_cast<uint8_t>((o.fifoMarker ? 0x80 : 0) | (pt & 0x7f));
    out[2] = static_cast<uint8_t>(seq >> 8);
    out[3] = static_cast<uint8_t>(seq & 0xff);
    Put32(out + 4, ts);
    Put32(out + 8, o.ssrc);
    o.fifoMarker = false;
    send(o, out, 12 + static_cast<size_t>(bytes));
    return 1;
  }

  // MixInput.tcDecoderOf
  static TcDecoder* tcDecoderOf(Input& in, int pt) {
    for (TcDecoder& d : in.tcDecoders)
      if (d.pt == pt) return &d;
    return nullptr;
  }

  // MixInput.onTranscode
  void onTranscode(Input& in, const uint8_t* pkt, size_t len, const rtp::RtpView& view) {
    const int pt = view.payload_type;
    bool decode = false;
    for (int i = 0; i < in.ntranscodeTo; i++) {
      Output& o = *in.transcodeTo[i];
      if (o.mode != TRANSCODE) continue;
      const int fwd = o.plan.forwardPt(pt);
      if (fwd >= 0) transcodeForward(o, pkt, len, view, fwd);
      else decode = true;
    }
    if (!decode) return;
    TcDecoder* d = tcDecoderOf(in, pt);
    Sequencer* seq = in.tcSeq.get();
    if (d == nullptr || seq == nullptr) {
      host->CountDrop(kDropBadPayloadType);
      return;
    }
    if ((pt == in.cnPt || pt == in.spec.dtmfPt) && primaryForwarded(in)) {
      // MixInput.onTranscode: CN shares its primary codec's sequencer and bypasses it when the primary is forwarded.
      decodeSequenced(in, pkt, len, false, 0);
      return;
    }
    const int expected = seq->expected;
    const int ins = seq->insert(pkt, len, view.sequence);
    if (ins == SEQ_DUPLICATE) {
      host->CountDrop(kDropLateOrDuplicate);
      return;
    }
    bool reset = ins == SEQ_RESET;
    const uint32_t insertedTs = view.timestamp;
    for (int guard = 0; guard < 16; guard++) {
      int slot = seq->next(false);
      if (slot < 0) {
        if (in.tcLastTs < 0) break;
        const uint32_t ahead = insertedTs - static_cast<uint32_t>(in.tcLastTs);
        if (ahead == 0 || ahead >= 0x80000000u || (static_cast<double>(ahead) * 1000) / d->clockRate < kSeqForceMs) break;
        slot = seq->next(true);
        if (slot < 0) break;
      }
      decodeSequenced(in, seq->bufs[slot], seq->lens[slot], reset, expected);
      reset = false;
    }
  }

  // MixInput.primaryForwarded
  static bool primaryForwarded(const Input& in) {
    bool any = false;
    for (int i = 0; i < in.ntranscodeTo; i++) {
      const Output& o = *in.transcodeTo[i];
      if (o.mode != TRANSCODE) continue;
      if (o.plan.forwardPt(in.spec.pt) < 0) return false;
      any = true;
    }
    return any;
  }

  // MixInput.decodeSequenced
  void decodeSequenced(Input& in, const uint8_t* pkt, size_t len, bool reset, int expected) {
    rtp::RtpView v;
    if (rtp::ParseRtp(pkt, len, &v) != rtp::V_OK) return;
    TcDecoder* d = tcDecoderOf(in, v.payload_type);
    if (d == nullptr) return;
    in.tcLastTs = v.timestamp;
    int16_t* scratch = in.tcScratch.data();
    uint32_t tsOffset = 0;
    int n;
    if (d->tones) {
      n = d->tones->decode(pkt + v.payload_offset, v.payload_length, v.timestamp, scratch, in.tcScratch.size());
      if (n == 0) return;  // a repeated (end) packet: nothing new
      tsOffset = static_cast<uint32_t>(d->tones->frameOffset);
    } else {
      n = d->decoder->decode(pkt + v.payload_offset, v.payload_length, scratch, in.tcScratch.size());
    }
    if (n <= 0) {
      in.decodeErrors++;
      return;
    }
    for (int i = 0; i < in.ntranscodeTo; i++) {
      Output& o = *in.transcodeTo[i];
      if (o.mode != TRANSCODE || o.plan.forwardPt(v.payload_type) >= 0) continue;
      AlignedResampler* rs = o.tcResamplerFor(d->rate);
      if (rs == nullptr) {
        transcodePcm(o, scratch, n, v, reset, expected, tsOffset);
      } else {
        const int m = rs->process(scratch, static_cast<size_t>(n), o.tcScratch.data(), o.tcScratch.size());
        if (m > 0) transcodePcm(o, o.tcScratch.data(), m, v, reset, expected, tsOffset);
      }
    }
  }

  static Ring* ringOf(const Source& s) {
    Chain* c = s.primary ? s.input->direct.get() : s.input->buffered.get();
    return c ? &c->ring : nullptr;
  }

  // MixOutput.emit: mix and send one frame of `samples` mix-rate samples.
  void emit(Output& o, int samples, double nowMs) {
    if (samples > o.maxMix) samples = o.maxMix;
    if (samples <= 0) return;
    float* acc = o.acc.data();
    int16_t* read = o.readBuf.data();
    for (int i = 0; i < samples; i++) acc[i] = 0;
    bool tapped = false;
    bool aecFound = false;
    for (int k = 0; k < o.nsources; k++) {
      Source& s = o.sources[k];
      Input& in = *s.input;
      Ring* ring = ringOf(s);
      if (s.primary) {
        if (ring) s.cursor = ring->written - samples;
      } else {
        if (s.cursor < 0 && ring) s.cursor = ring->written;
        fillBuffered(in, s.cursor + samples, nowMs);
      }
      if (ring) ring->read(s.cursor, read, samples);
      else for (int i = 0; i < samples; i++) read[i] = 0;
      s.cursor += samples;
      const double g0 = s.gain;
      const int64_t first = in.bufferedFirstAudioPos;
      const double g1 = g0 == 0 && !s.primary && (first < 0 || first >= s.cursor) ? 0 : s.target;
      const bool tap = in.idx == o.tapSrc;
      const bool aref = o.aec != nullptr && in.idx == o.aecRef;
      int16_t* contrib = o.tapContrib.data();
      int16_t* acon = o.aecContrib.data();
      if (aref) aecFound = true;
      if (tap) {
        tapped = true;
        std::memcpy(o.tapRaw.data(), read, static_cast<size_t>(samples) * sizeof(int16_t));
      }
      if (g0 == 0 && g1 == 0) {
        if (tap) for (int i = 0; i < samples; i++) contrib[i] = 0;
        if (aref) for (int i = 0; i < samples; i++) acon[i] = 0;
        continue;
      }
      if (g0 == g1) {
        for (int i = 0; i < samples; i++) {
          const double v = read[i] * g0;
          acc[i] = static_cast<float>(static_cast<double>(acc[i]) + v);
          if (tap) contrib[i] = ToInt16(static_cast<float>(v));
          if (aref) acon[i] = ToInt16(static_cast<float>(v));
        }
      } else {
        const double step = (g1 - g0) / samples;
        double g = g0;
        for (int i = 0; i < samples; i++) {
          g += step;
          const double v = read[i] * g;
          acc[i] = static_cast<float>(static_cast<double>(acc[i]) + v);
          if (tap) contrib[i] = ToInt16(static_cast<float>(v));
          if (aref) acon[i] = ToInt16(static_cast<float>(v));
        }
        s.gain = g1;
      }
    }
    if (o.aec != nullptr) o.aec->PushReference(aecFound ? o.aecContrib.data() : nullptr, samples);
    if (!o.prompts.empty()) {
      const double g = o.promptGain;
      size_t live = 0;
      for (size_t p = 0; p < o.prompts.size(); p++) {
        Prompt* player = o.prompts[p];
        player->read(read, samples);
        for (int i = 0; i < samples; i++) acc[i] = static_cast<float>(static_cast<double>(acc[i]) + read[i] * g);
        if (!player->done()) o.prompts[live++] = player;
      }
      o.prompts.resize(live);  // shrinking keeps the capacity: no allocation, no free
    }
    SoftLimit(acc, o.pcm.data(), samples);
    if (o.tapSrc >= 0)
      host->OnMixed(o.idx, o.pcm.data(), samples, o.tapSrc, tapped ? o.tapContrib.data() : nullptr,
                    tapped ? o.tapRaw.data() : nullptr, nowMs);
    encodeAndSend(o, samples);
    if (o.wantPassthrough != nullptr && o.prompts.empty() && o.rampsDone()) enterPassthrough(o, o.wantPassthrough);
  }

  // Math.round of a float contribution, clamped to int16 (the OnMixed tap).
  static int16_t ToInt16(float f) {
    const double r = std::floor(static_cast<double>(f) + 0.5);
    return static_cast<int16_t>(r > 32767 ? 32767 : r < -32768 ? -32768 : r);
  }

  // limiter.ts softLimit
  static void SoftLimit(const float* acc, int16_t* out, int n) {
    constexpr double kKnee = 29491;  // limiter.ts KNEE (0.9 of full scale)
    constexpr double kHeadroom = 32767 - kKnee;
    for (int i = 0; i < n; i++) {
      const double x = acc[i];
      const double a = x < 0 ? -x : x;
      double y;
      if (a <= kKnee) {
        y = a;
      } else {
        const double over = a - kKnee;
        y = kKnee + (kHeadroom * over) / (over + kHeadroom);
      }
      const double v = x < 0 ? -y : y;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : static_cast<int16_t>(static_cast<int32_t>(v));
    }
  }

  // MixOutput.encodeAndSend
  void encodeAndSend(Output& o, int samples) {
    const int16_t* pcm = o.pcm.data();
    int n = samples;
    if (o.resampler) {
      n = o.resampler->process(o.pcm.data(), static_cast<size_t>(samples), o.pcmCodec.data(), o.pcmCodec.size());
      pcm = o.pcmCodec.data();
    }
    uint8_t* out = o.nextTx();
    const int bytes = n < 0 ? n : o.encoder->encode(pcm, static_cast<size_t>(n), out + 12, kTxBytes - 12);
    const uint32_t frameTs = n < 0 ? 0 : static_cast<uint32_t>(std::floor(n * o.tsPerSample + 0.5));
    if (bytes < 0) {
      o.stats.encodeErrors++;
      o.ts += frameTs;
      return;
    }
    o.stats.framesMixed++;
    o.restamp = true;
    if (bytes > 0) {
      out[0] = 0x80;
      out[1] = static_cast<uint8_t>((o.marker ? 0x80 : 0) | (o.pt & 0x7f));
      out[2] = static_cast<uint8_t>(o.seq >> 8);
      out[3] = static_cast<uint8_t>(o.seq & 0xff);
      Put32(out + 4, o.ts);
      Put32(out + 8, o.ssrc);
      o.marker = false;
      o.seq = (o.seq + 1) & 0xffff;
      send(o, out, 12 + static_cast<size_t>(bytes));
    }
    o.ts += frameTs;
  }

  // ---- CallMixer host callbacks ----

  void onPassthrough(Input& in, const uint8_t* pkt, size_t len, const rtp::RtpView& view) {
    const int n = npassTo[in.idx];
    for (int i = 0; i < n; i++) {
      Output* o = outputs[passTo[in.idx][i]].get();
      if (o && o->mode == PASSTHROUGH) forward(*o, pkt, len, view);
    }
  }

  void onPrimaryAudio(Input& in, int samples, double nowMs) {
    const int oi = primaryOf[in.idx];
    if (oi < 0) return;
    Output* o = outputs[oi].get();
    if (!o || o->mode != MIX) return;
    emit(*o, samples, nowMs);
    o->nextDeadlineMs = nowMs + (samples * 1000.0) / cfg.mixRate + kPrimaryGraceMs;
  }

  // MixInput.onRtp
  void onRtp(Input& in, const uint8_t* pkt, size_t len, const rtp::RtpView& view, double arrivalMs, bool fromLatched) {
    if (in.ntranscodeTo > 0) onTranscode(in, pkt, len, view);
    const int pt = view.payload_type;
    if (pt != in.spec.pt) {
      if (pt == in.spec.dtmfPt) {
        // CallMixer.onTelephoneEvent: relayed where the reference engine relays it, then reported.
        const int n = npassTo[in.idx];
        for (int i = 0; i < n; i++) {
          Output* o = outputs[passTo[in.idx][i]].get();
          if (o && o->mode == PASSTHROUGH) forward(*o, pkt, len, view);
        }
        const int oi = primaryOf[in.idx];
        if (oi >= 0 && outputs[oi] && outputs[oi]->mode == MIX) forwardEvent(*outputs[oi], pkt, len);
        host->OnTelephoneEvent(in.idx, pkt, len, fromLatched);
        return;
      }
      if (pt == kCnPayloadType) {
        if (in.buffered) in.buffered->jb->Put(pkt, len, view, arrivalMs);
        if (in.passthrough) onPassthrough(in, pkt, len, view);
        return;
      }
      host->CountDrop(kDropBadPayloadType);
      return;
    }
    if (in.passthrough) onPassthrough(in, pkt, len, view);
    if (in.buffered) in.buffered->jb->Put(pkt, len, view, arrivalMs);
    Chain* d = in.direct.get();
    if (!d) return;
    if (static_cast<int64_t>(view.ssrc) == in.directSsrc) {
      const int ahead = SeqDiff(view.sequence, in.directSeq);
      if (ahead <= 0 && ahead > -kSeqRestart) {
        in.lateRun = in.lateRun > 0 && view.sequence == ((in.lateSeq + 1) & 0xffff) ? in.lateRun + 1 : 1;
        in.lateSeq = view.sequence;
        if (in.lateRun < kLateRunRestart) {
          host->CountDrop(kDropLateOrDuplicate);
          return;
        }
      }
    }
    in.lateRun = 0;
    double budget = in.budgetAtMs < 0 ? kBurstMs : in.budgetMs + (arrivalMs - in.budgetAtMs);
    if (budget > kBurstMs) budget = kBurstMs;
    in.budgetAtMs = arrivalMs;
    if (budget < in.lastPacketMs) {
      in.budgetMs = budget;
      host->CountDrop(kDropOverRate);
      return;
    }
    in.directSsrc = view.ssrc;
    in.directSeq = view.sequence;
    const int n = d->decoder->decode(pkt + view.payload_offset, view.payload_length, in.scratch.data(), in.scratch.size());
    if (n <= 0) {
      in.budgetMs = budget;
      in.decodeErrors++;
      return;
    }
    in.lastPacketMs = (n * 1000.0) / in.codecRate;
    in.budgetMs = budget - in.lastPacketMs;
    const int m = toMix(in, *d, in.scratch.data(), n, in.aec.get());
    if (in.observed && m > 0) {
      const int k = m <= static_cast<int>(in.obs.size()) ? m : static_cast<int>(in.obs.size());
      d->ring.read(d->ring.written - k, in.obs.data(), k);
      host->OnObserved(in.idx, in.obs.data(), k, arrivalMs);
    }
    onPrimaryAudio(in, m, arrivalMs);
  }

  // (P) An output's clock parked (CallMixer.PARKED_MS).
  static constexpr double kParkedMs = 1e300;
  // (P) The output's primary talker sent audio within a frame + grace (MixInput.audioWithin).
  static bool primaryTalking(const Output& o, double nowMs) {
    const Input* in = o.primary != nullptr ? o.primary->input : nullptr;
    return in != nullptr && in->budgetAtMs >= 0 && nowMs - in->budgetAtMs <= kFrameMs + kPrimaryGraceMs;
  }

  void tick(double nowMs) {
    for (int k = 0; k < norder; k++) {
      Input* in = inputs[order[k]].get();
      if (in == nullptr) continue;
      Chain* b = in->buffered.get();
      if (b != nullptr && nowMs - in->lastPullMs >= kFrameMs) fillBuffered(*in, b->ring.written + frameSamples, nowMs);
    }
    for (int k = 0; k < norder; k++) {
      Output* o = outputs[order[k]].get();
      if (o == nullptr || o->mode != MIX || !host->HasDestination(o->idx)) continue;
      if (o->nextDeadlineMs == 0) o->nextDeadlineMs = nowMs;
      if (nowMs < o->nextDeadlineMs) continue;
      if (o->primary) concealDirect(*o->primary->input, frameSamples);
      const bool hadPrompts = !o->prompts.empty();
      emit(*o, frameSamples, nowMs);
      o->stats.framesByTimer++;
      o->nextDeadlineMs += kFrameMs;
      // (P) CallMixer.tick: the last prompt of an output that hears nobody but a silent primary (if any) has
      // ended: its clock parks, as rtpengine's media player sends nothing after its file; the primary's
      // audio (onPrimaryAudio) or a new prompt (AddPrompt) starts it again.
      if (hadPrompts && o->prompts.empty() && o->mode == MIX && o->nsources <= (o->primary ? 1 : 0) && !primaryTalking(*o, nowMs))
        o->nextDeadlineMs = kParkedMs;
      if (nowMs - o->nextDeadlineMs > 3 * kFrameMs) {
        o->stats.framesSkipped += std::floor((nowMs - o->nextDeadlineMs) / kFrameMs);
        o->nextDeadlineMs = nowMs + kFrameMs;
      }
    }
  }

  // ---- CallMixer.needsTranscode / planTranscode (codecsOf, ptFor) ----

  static bool sameCodec(codec::CodecId a, int ra, codec::CodecId b, int rb) { return a == b && ra == rb; }

  // Codecs of a participant: its primary, then the others of its SDP (alsoSends, PT != primary).
  static int codecsOf(const ParticipantSpec& m, ParticipantSpec::Also* out) {
    int n = 0;
    out[n].codec = m.codec;
    out[n].clockRate = m.clockRate;
    out[n++].pt = m.pt;
    for (int i = 0; i < m.nalso; i++)
      if (m.also[i].pt != m.pt) out[n++] = m.also[i];
    return n;
  }

  static int ptFor(const ParticipantSpec& m, codec::CodecId id, int clockRate) {
    ParticipantSpec::Also list[ParticipantSpec::kMaxAlso + 1];
    const int n = codecsOf(m, list);
    for (int i = 0; i < n; i++)
      if (sameCodec(list[i].codec, list[i].clockRate, id, clockRate)) return list[i].pt;
    return -1;
  }

  bool needsTranscode(const ParticipantSpec& src, const ParticipantSpec& dst) const {
    if (!sameCodec(src.codec, src.clockRate, dst.codec, dst.clockRate) || src.pt != dst.pt) return true;
    if (dst.ptime > 0) return true;
    ParticipantSpec::Also list[ParticipantSpec::kMaxAlso + 1];
    const int n = codecsOf(src, list);
    for (int i = 0; i < n; i++)
      if (ptFor(dst, list[i].codec, list[i].clockRate) < 0) return true;
    const bool srcCn = src.cnPt >= 0;
    const bool dstCn = dst.cnPt >= 0;
    if (srcCn && !dstCn) return true;
    if (!srcCn && dstCn && cfg.silenceThreshold > 0) return true;
    if (tonesFor(src, dst)) return true;
    if (detectFor(src, dst)) return true;
    return false;
  }

  // CallMixer detectFor: in-band DTMF from src must become RFC 4733 events for dst.
  static bool detectFor(const ParticipantSpec& src, const ParticipantSpec& dst) { return src.dtmfPt < 0 && dst.dtmfPt >= 0 && dst.dtmfOffered; }

  // CallMixer tonesFor: RFC 4733 events from src must become in-band tones for dst.
  static bool tonesFor(const ParticipantSpec& src, const ParticipantSpec& dst) { return src.dtmfPt >= 0 && src.dtmfOffered && dst.dtmfPt < 0; }

  // PCM rate of a codec on the transcode path (CallMixer.tcRate).
  int tcRate(codec::CodecId id, int clockRate) const { return codec::PcmRate(id, clockRate, cfg.mixRate); }

  bool planTranscode(Output& out, Input& input, const ParticipantSpec& src, const ParticipantSpec& dst) {
    const int dstPtime = dst.ptime;
    const int srcCn = src.cnPt;
    const int dstCn = dst.cnPt;
    const int threshold = dstCn >= 0 && srcCn < 0 ? cfg.silenceThreshold : 0;
    TranscodePlan plan;
    ParticipantSpec::Also list[ParticipantSpec::kMaxAlso + 1];
    const int n = codecsOf(src, list);
    const bool tones = tonesFor(src, dst);
    const bool detect = detectFor(src, dst);
    if (dstPtime == 0 && threshold == 0 && !tones && !detect) {
      for (int i = 0; i < n; i++) {
        const int p = ptFor(dst, list[i].codec, list[i].clockRate);
        if (p >= 0) {
          plan.fwdIn[plan.nfwd] = list[i].pt;
          plan.fwdOut[plan.nfwd++] = p;
        }
      }
    }
    if (src.dtmfPt >= 0 && dst.dtmfPt >= 0) {
      plan.fwdIn[plan.nfwd] = src.dtmfPt;
      plan.fwdOut[plan.nfwd++] = dst.dtmfPt;
    }
    if (srcCn >= 0 && dstCn >= 0) {
      plan.fwdIn[plan.nfwd] = srcCn;
      plan.fwdOut[plan.nfwd++] = dstCn;
    }
    // CallMixer outputFrameMs: a ptime beyond the frame buffers (kMaxFrameMs) is capped there.
    plan.frameMs = dstPtime > 0 ? std::min(dstPtime, kMaxFrameMs) : 20;
    plan.cnPt = dstCn;
    plan.silenceThreshold = threshold;
    plan.tsRatio = static_cast<double>(dst.clockRate) / src.clockRate;
    plan.eventScalePt = src.dtmfPt >= 0 && dst.dtmfPt >= 0 && dst.clockRate != src.clockRate ? src.dtmfPt : -1;
    plan.primaryForwarded = plan.forwardPt(src.pt) >= 0;
    plan.detectPt = detect && out.codecRate == 8000 ? dst.dtmfPt : -1;
    plan.injectPt = dst.dtmfPt;
    // Decoders of everything the input may send (kept while the codecs stay): built first, so a
    // codec that cannot be made changes nothing.
    std::vector<TcDecoder> decoders;
    decoders.reserve(static_cast<size_t>(n + 1));
    std::vector<TcDecoder>& old = input.tcDecoders;
    auto reuse = [&](int pt, int clockRate, int rate) -> bool {
      for (TcDecoder& d : old)
        if (d.decoder && d.pt == pt && d.clockRate == clockRate && d.rate == rate) {
          decoders.push_back(std::move(d));
          return true;
        }
      return false;
    };
    std::vector<TcDecoder> made;
    for (int i = 0; i < n; i++) {
      const int rate = tcRate(list[i].codec, list[i].clockRate);
      bool have = false;
      for (const TcDecoder& d : old)
        if (d.decoder && d.pt == list[i].pt && d.clockRate == list[i].clockRate && d.rate == rate) have = true;
      if (have) continue;
      codec::CodecConfig c;
      c.id = list[i].codec;
      c.sampleRate = rate;
      const char* err = nullptr;
      TcDecoder d;
      d.pt = list[i].pt;
      d.clockRate = list[i].clockRate;
      d.decoder = codec::CreateDecoder(c, &err);
      if (!d.decoder) return false;
      d.rate = d.decoder->sampleRate();
      made.push_back(std::move(d));
    }
    // Commit (no failure below).
    for (int i = 0; i < n; i++) {
      const int rate = tcRate(list[i].codec, list[i].clockRate);
      if (reuse(list[i].pt, list[i].clockRate, rate)) continue;
      for (TcDecoder& d : made)
        if (d.decoder && d.pt == list[i].pt) {
          decoders.push_back(std::move(d));
          break;
        }
    }
    if (srcCn >= 0 && !reuse(srcCn, 8000, 8000)) {
      TcDecoder d;
      d.pt = srcCn;
      d.rate = 8000;
      d.clockRate = 8000;
      d.decoder.reset(new (std::nothrow) ComfortNoiseDecoder());
      if (d.decoder) decoders.push_back(std::move(d));
    }
    if (tones) {
      const int rate = src.clockRate;
      bool have = false;
      for (TcDecoder& d : old)
        if (d.tones && d.pt == src.dtmfPt && d.rate == rate) {
          decoders.push_back(std::move(d));
          have = true;
          break;
        }
      if (!have) {
        TcDecoder d;
        d.pt = src.dtmfPt;
        d.rate = rate;
        d.clockRate = rate;
        d.tones.reset(new (std::nothrow) TelephoneEventTones(rate));
        if (d.tones) decoders.push_back(std::move(d));
      }
    }
    input.cnPt = srcCn;
    // MixInput.enableTranscode
    if (!input.tcSeq) input.tcSeq.reset(new (std::nothrow) Sequencer());
    if (input.tcScratch.empty()) {
      int max = input.codecRate;
      for (const TcDecoder& d : decoders)
        if (d.rate > max) max = d.rate;
      input.tcScratch.assign(static_cast<size_t>((static_cast<int64_t>(max) * kMaxFrameMs + 999) / 1000), 0);
    }
    input.tcDecoders = std::move(decoders);
    for (const TcDecoder& d : input.tcDecoders) {
      if (d.rate == out.codecRate || out.tcResamplerFor(d.rate) != nullptr || out.ntcRs >= ParticipantSpec::kMaxAlso + 2) continue;
      const char* err = nullptr;
      std::unique_ptr<AlignedResampler> rs = AlignedResampler::Create(d.rate, out.codecRate, kResamplerQuality, &err);
      if (!rs) continue;
      out.tcRs[out.ntcRs].rate = d.rate;
      out.tcRs[out.ntcRs++].rs = std::move(rs);
    }
    if (!out.tcEncoder && (dst.codec == codec::CodecId::PCMU || dst.codec == codec::CodecId::PCMA))
      out.tcEncoder.reset(new (std::nothrow) RoundingG711Encoder(dst.codec == codec::CodecId::PCMU, out.codecRate));
    if (out.fifo.empty()) out.fifo.assign(static_cast<size_t>((static_cast<int64_t>(out.codecRate) * kFifoMs + 999) / 1000), 0);
    if (out.tcScratch.empty()) out.tcScratch.assign(static_cast<size_t>((static_cast<int64_t>(out.codecRate) * kMaxFrameMs + 999) / 1000 + 64), 0);
    if (plan.detectPt >= 0 && !out.detector) out.detector.reset(new (std::nothrow) DtmfDetector());
    if (plan.detectPt >= 0 && !out.detector) plan.detectPt = -1;
    out.plan = plan;
    out.hasPlan = true;
    return input.tcSeq != nullptr;
  }

  // CallMixer.reconfigure
  void reconfigure() {
    const double now = Now();
    for (int i = 0; i < kMaxParticipants; i++) {
      npassTo[i] = 0;
      primaryOf[i] = -1;
    }
    for (int k = 0; k < norder; k++)
      if (inputs[order[k]]) {
        inputs[order[k]]->passthrough = false;
        inputs[order[k]]->ntranscodeTo = 0;
      }
    for (int ko = 0; ko < norder; ko++) {
      const int outIdx = order[ko];
      Output* out = outputs[outIdx].get();
      if (!out) continue;
      const ParticipantSpec& me = inputs[outIdx]->spec;
      Input* single = nullptr;
      int audible = 0;
      Source srcs[kMaxParticipants];
      int nsrc = 0;
      for (int ki = 0; ki < norder; ki++) {
        const int inIdx = order[ki];
        // Its own input only by media-echo (a gain set for it).
        if (inIdx == outIdx && gains[outIdx][inIdx] == 0) continue;
        Input* input = inputs[inIdx].get();
        if (!input) continue;
        const double g = gains[outIdx][inIdx];
        const bool primary = inIdx == me.peer;
        Source src;
        bool found = false;
        for (int s = 0; s < out->nsources; s++) {
          if (out->sources[s].input == input && out->sources[s].primary == primary) {
            src = out->sources[s];
            found = true;
            break;
          }
        }
        if (!found) {
          src.input = input;
          src.primary = primary;
        }
        src.target = g;
        if (g != 0) {
          audible++;
          if (g == 1) single = input;
        }
        srcs[nsrc++] = src;
      }
      // An input whose echo is cancelled is heard decoded (cancelled) and re-encoded, never forwarded.
      const bool direct = audible == 1 && single != nullptr && out->prompts.empty() && !single->aec;
      const bool transcode = direct && needsTranscode(single->spec, me);
      const bool canPass = direct && !transcode;
      const bool canTranscode = transcode && planTranscode(*out, *single, single->spec, me);
      Source live[kMaxParticipants];
      int nlive = 0;
      for (int s = 0; s < nsrc; s++) {
        const Source& x = srcs[s];
        if (x.target != 0 || x.gain != 0 || (x.primary ? x.input->direct != nullptr : x.input->buffered != nullptr)) live[nlive++] = x;
      }
      for (int s = 0; s < nlive; s++) {
        if (live[s].primary) enableDirect(*live[s].input);
        else enableBuffered(*live[s].input);
      }
      // setSources
      out->nsources = nlive;
      out->primary = nullptr;
      for (int s = 0; s < nlive; s++) {
        out->sources[s] = live[s];
        if (live[s].primary) out->primary = &out->sources[s];
      }
      if (canTranscode && out->mode != MIX) {
        out->wantPassthrough = nullptr;
        out->wantTranscode = false;
        enterTranscode(*out, single);
      } else if (canPass && out->mode != MIX) {
        out->wantPassthrough = nullptr;
        out->mode = PASSTHROUGH;
        out->passthroughFrom = single;
      } else if (canPass || canTranscode) {
        out->wantPassthrough = single;
        out->wantTranscode = canTranscode;
      } else {
        out->wantPassthrough = nullptr;
        out->wantTranscode = false;
        if (out->mode != MIX) {
          const bool forwarding = out->mode == PASSTHROUGH || out->mode == TRANSCODE;
          for (int s = 0; s < out->nsources; s++) {
            Source& src = out->sources[s];
            src.gain = forwarding && src.input == out->passthroughFrom ? 1 : 0;
          }
          enterMix(*out);
          out->nextDeadlineMs = out->primary ? now + kFrameMs + kPrimaryGraceMs : 0;
        }
      }
      if (out->primary) primaryOf[out->primary->input->idx] = outIdx;
      // This participant's own canceller takes its reference from what this output mixes.
      Input* own = inputs[outIdx].get();
      out->aec = own != nullptr ? own->aec.get() : nullptr;
      out->aecRef = out->aec != nullptr ? aecRefCfg[outIdx] : -1;
    }
    for (int ko = 0; ko < norder; ko++) {
      Output* out = outputs[order[ko]].get();
      if (!out) continue;
      if (out->mode == TRANSCODE || (out->wantPassthrough != nullptr && out->wantTranscode)) {
        Input* tf = out->mode == TRANSCODE ? out->passthroughFrom : out->wantPassthrough;
        if (tf && tf->ntranscodeTo < kMaxParticipants) tf->transcodeTo[tf->ntranscodeTo++] = out;
        continue;
      }
      Input* from = out->mode == PASSTHROUGH ? out->passthroughFrom : out->wantPassthrough;
      if (!from) continue;
      from->passthrough = true;
      passTo[from->idx][npassTo[from->idx]++] = out->idx;
    }
  }

  // Drop every reference to participant idx (input and output) held by the others.
  void scrub(int idx) {
    Input* in = inputs[idx].get();
    for (int k = 0; k < kMaxParticipants; k++) {
      Output* o = outputs[k].get();
      if (o) {
        int w = 0;
        for (int s = 0; s < o->nsources; s++)
          if (o->sources[s].input != in) o->sources[w++] = o->sources[s];
        o->nsources = w;
        o->primary = nullptr;
        for (int s = 0; s < w; s++)
          if (o->sources[s].primary) o->primary = &o->sources[s];
        if (o->wantPassthrough == in) o->wantPassthrough = nullptr;
        if (o->passthroughFrom == in) o->passthroughFrom = nullptr;
        // o->tapSrc stays: as with the reference taps (configured by tag), a tapped source that is gone
        // is reported with null contribution/raw, and tapped again when it comes back.
      }
      int w = 0;
      for (int i = 0; i < npassTo[k]; i++)
        if (passTo[k][i] != idx) passTo[k][w++] = passTo[k][i];
      npassTo[k] = w;
      if (primaryOf[k] == idx) primaryOf[k] = -1;
    }
    npassTo[idx] = 0;
    primaryOf[idx] = -1;
  }

  void removeParticipant(int idx) {
    if (idx < 0 || idx >= kMaxParticipants || !inputs[idx]) return;
    scrub(idx);
    inputs[idx].reset();
    outputs[idx].reset();
    for (int k = 0; k < kMaxParticipants; k++) {
      gains[idx][k] = 0;
      gains[k][idx] = 0;
    }
    int w = 0;
    for (int k = 0; k < norder; k++)
      if (order[k] != idx) order[w++] = order[k];
    norder = w;
  }

  int setParticipant(int idx, const ParticipantSpec& spec) {
    if (idx < 0 || idx >= kMaxParticipants) return codec::kErrArg;
    if (spec.pt < 0 || spec.pt > 127 || spec.dtmfPt < -1 || spec.dtmfPt > 127 || spec.peer < -1 || spec.peer >= kMaxParticipants ||
        spec.clockRate <= 0 || spec.clockRate > 384000 || spec.cnPt < -1 || spec.cnPt > 127 || spec.ptime < 0 || spec.ptime > 1000 ||
        spec.nalso < 0 || spec.nalso > ParticipantSpec::kMaxAlso)
      return codec::kErrArg;
    Input* old = inputs[idx].get();
    if (old && old->spec.codec == spec.codec && old->spec.clockRate == spec.clockRate && old->spec.pt == spec.pt &&
        old->spec.dtmfPt == spec.dtmfPt && old->spec.codecMode == spec.codecMode) {
      old->spec.peer = spec.peer;
      // CallMixer.setParticipant: the SDP's other codecs, CN and ptime follow the latest signalling.
      for (int i = 0; i < spec.nalso && i < ParticipantSpec::kMaxAlso; i++) old->spec.also[i] = spec.also[i];
      old->spec.nalso = spec.nalso;
      old->spec.cnPt = spec.cnPt;
      old->spec.ptime = spec.ptime;
      old->spec.dtmfOffered = spec.dtmfOffered;
      return 0;
    }
    const int decRate = decodeRate(spec);
    const char* err = nullptr;
    // Build everything first: a refused codec changes nothing.
    codec::CodecConfig ec;
    ec.id = spec.codec;
    ec.sampleRate = decRate;
    ec.complexity = cfg.opusComplexity;
    ec.bitrate = cfg.opusBitrate;
    ec.amrMode = spec.codecMode;  // (K) AMR / AMR-WB mode-set
    std::unique_ptr<codec::FrameEncoder> enc = codec::CreateEncoder(ec, &err);
    if (!enc) return codec::kErrArg;
    // CallMixer.setParticipant: G.711 with FFmpeg's nearest-code tables, as rtpengine encodes (its
    // prompts and transcoded audio), on the mix path too.
    if (spec.codec == codec::CodecId::PCMU || spec.codec == codec::CodecId::PCMA) enc.reset(new (std::nothrow) RoundingG711Encoder(spec.codec == codec::CodecId::PCMU, decRate));
    if (!enc) return codec::kErrArg;
    {
      codec::CodecConfig dc;
      dc.id = spec.codec;
      dc.sampleRate = decRate;
      if (!codec::CreateDecoder(dc, &err)) return codec::kErrArg;
    }
    std::unique_ptr<codec::Resampler> outRs;
    if (decRate != cfg.mixRate) {
      outRs = codec::Resampler::Create(cfg.mixRate, decRate, kResamplerQuality, &err);
      if (!outRs) return codec::kErrArg;
    }
    std::unique_ptr<Input> in(new (std::nothrow) Input());
    std::unique_ptr<Output> out(new (std::nothrow) Output());
    if (!in || !out) return codec::kErrArg;
    in->idx = idx;
    in->spec = spec;
    in->mixRate = cfg.mixRate;
    in->codecRate = decRate;
    in->clockRate = spec.clockRate;
    in->scratch.assign(static_cast<size_t>((static_cast<int64_t>(decRate) * kMaxFrameMs + 999) / 1000), 0);
    in->scratchMix.assign(static_cast<size_t>((static_cast<int64_t>(cfg.mixRate) * kMaxFrameMs + 999) / 1000 + 64), 0);
    in->obs.assign(in->scratchMix.size(), 0);

    out->idx = idx;
    out->pt = spec.pt;
    out->codecRate = decRate;
    out->mixRate = cfg.mixRate;
    out->tsPerSample = static_cast<double>(spec.clockRate) / decRate;
    out->encoder = std::move(enc);
    out->resampler = std::move(outRs);
    out->maxMix = (cfg.mixRate * kMaxFrameMs + 999) / 1000;
    out->acc.assign(static_cast<size_t>(out->maxMix), 0.0f);
    out->readBuf.assign(static_cast<size_t>(out->maxMix), 0);
    out->pcm.assign(static_cast<size_t>(out->maxMix), 0);
    out->pcmCodec.assign(static_cast<size_t>((static_cast<int64_t>(decRate) * kMaxFrameMs + 999) / 1000 + 64), 0);
    out->tapContrib.assign(static_cast<size_t>(out->maxMix), 0);
    out->tapRaw.assign(static_cast<size_t>(out->maxMix), 0);
    out->aecContrib.assign(static_cast<size_t>(out->maxMix), 0);
    if (aecRefCfg[idx] >= 0) {
      in->aec = Aec::Create(cfg.mixRate, aecTailCfg[idx], aecResidualCfg[idx]);
      if (!in->aec) return codec::kErrArg;
    }
    out->prompts.reserve(4);
    in->observed = observedCfg[idx];
    out->tapSrc = tapCfg[idx];
    out->ssrc = Rand();
    out->seq = static_cast<int>(Rand() & 0xffff);
    out->ts = Rand();

    removeParticipant(idx);
    inputs[idx] = std::move(in);
    outputs[idx] = std::move(out);
    order[norder++] = idx;
    return 0;
  }

  // Free the prompts that finished playing (signalling time only).
  static void collectPrompts(Output& o) {
    std::vector<std::unique_ptr<Prompt>>& st = o.promptStore;
    size_t w = 0;
    for (size_t i = 0; i < st.size(); i++) {
      bool playing = false;
      for (Prompt* p : o.prompts)
        if (p == st[i].get()) playing = true;
      if (playing) st[w++] = std::move(st[i]);
    }
    st.resize(w);
  }
};

CallMix::CallMix() : impl_(nullptr) {}

CallMix::~CallMix() { delete impl_; }

std::unique_ptr<CallMix> CallMix::Create(const MixConfig& cfg, MixHost* host, const char** error) {
  const char* ignored = nullptr;
  if (error == nullptr) error = &ignored;
  if (host == nullptr) {
    *error = "no host";
    return nullptr;
  }
  if (cfg.mixRate != 8000 && cfg.mixRate != 16000) {
    *error = "mix rate must be 8000 or 16000";
    return nullptr;
  }
  if (cfg.opusComplexity < 0 || cfg.opusComplexity > 10) {
    *error = "opus complexity must be 0..10";
    return nullptr;
  }
  if (cfg.opusBitrate < 500 || cfg.opusBitrate > 512000) {
    *error = "opus bitrate must be 500..512000";
    return nullptr;
  }
  std::unique_ptr<CallMix> m(new (std::nothrow) CallMix());
  if (!m) {
    *error = "out of memory";
    return nullptr;
  }
  m->impl_ = new (std::nothrow) Impl();
  if (m->impl_ == nullptr) {
    *error = "out of memory";
    return nullptr;
  }
  Impl& d = *m->impl_;
  d.cfg = cfg;
  d.host = host;
  d.frameSamples = static_cast<int>(cfg.mixRate * kFrameMs / 1000);
  uint64_t seed = cfg.seed;
  if (seed == 0)
    seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           (reinterpret_cast<uintptr_t>(m->impl_) << 16) ^
           static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  d.rng = seed;
  for (int i = 0; i < kMaxParticipants; i++) {
    d.npassTo[i] = 0;
    d.primaryOf[i] = -1;
    d.observedCfg[i] = false;
    d.tapCfg[i] = -1;
    d.aecRefCfg[i] = -1;
    d.aecTailCfg[i] = 0;
    d.aecResidualCfg[i] = false;
    for (int j = 0; j < kMaxParticipants; j++) d.gains[i][j] = 0;
  }
  return m;
}

int CallMix::SetParticipant(int idx, const ParticipantSpec& spec) { return impl_->setParticipant(idx, spec); }

void CallMix::RemoveParticipant(int idx) { impl_->removeParticipant(idx); }

void CallMix::SetGain(int outIdx, int inIdx, double gain) {
  if (outIdx < 0 || outIdx >= kMaxParticipants || inIdx < 0 || inIdx >= kMaxParticipants || !std::isfinite(gain)) return;
  impl_->gains[outIdx][inIdx] = gain;
}

void CallMix::Reconfigure() { impl_->reconfigure(); }

int CallMix::InjectDtmf(int fromIdx, int code, int volume, int toneVolume, int durationMs, int pauseMs, bool dryRun) {
  if (fromIdx < 0 || fromIdx >= kMaxParticipants || !impl_->inputs[fromIdx] || code < 0 || code > 15) return 0;
  Input* in = impl_->inputs[fromIdx].get();
  int n = 0;
  for (int k = 0; k < impl_->norder; k++) {
    Output* o = impl_->outputs[impl_->order[k]].get();
    if (!o || o->mode != TRANSCODE || o->passthroughFrom != in) continue;
    if (dryRun) n++;
    else if (Impl::injectDtmf(*o, code, volume, toneVolume, durationMs, pauseMs)) n++;
  }
  return n;
}

void CallMix::SetTranscodeOptions(int silenceThreshold, const uint8_t* cnPayload, size_t len) {
  impl_->cfg.silenceThreshold = silenceThreshold > 0 ? silenceThreshold : 0;
  if (cnPayload != nullptr && len >= 1 && len <= sizeof(impl_->cfg.cnPayload)) {
    std::memcpy(impl_->cfg.cnPayload, cnPayload, len);
    impl_->cfg.cnPayloadLen = static_cast<int>(len);
  }
}

void CallMix::Observe(int idx) {
  if (idx < 0 || idx >= kMaxParticipants || !impl_->inputs[idx]) return;
  impl_->enableDirect(*impl_->inputs[idx]);
}

void CallMix::Prewarm(int idx) {
  if (idx < 0 || idx >= kMaxParticipants || !impl_->inputs[idx]) return;
  impl_->enableBuffered(*impl_->inputs[idx]);
}

void CallMix::SetObserved(int idx, bool on) {
  if (idx < 0 || idx >= kMaxParticipants) return;
  impl_->observedCfg[idx] = on;
  if (impl_->inputs[idx]) impl_->inputs[idx]->observed = on;
}

int CallMix::SetEchoCanceller(int idx, int refIdx, int tailMs, bool residual) {
  if (idx < 0 || idx >= kMaxParticipants || refIdx >= kMaxParticipants || (refIdx >= 0 && (tailMs < kAecFrameMs || tailMs > 2000))) return -1;
  Impl& d = *impl_;
  Input* in = d.inputs[idx].get();
  Output* out = d.outputs[idx].get();
  if (refIdx < 0) {
    d.aecRefCfg[idx] = -1;
    if (out) {
      out->aec = nullptr;
      out->aecRef = -1;
    }
    if (in) in->aec.reset();
    return 0;
  }
  if (in && (!in->aec || in->aec->tailMs != tailMs || in->aec->residual != residual)) {
    std::unique_ptr<Aec> a = Aec::Create(d.cfg.mixRate, tailMs, residual);
    if (!a) return -1;
    if (out) out->aec = nullptr;  // (set again by the next Reconfigure)
    in->aec = std::move(a);
  }
  d.aecRefCfg[idx] = refIdx;
  d.aecTailCfg[idx] = tailMs;
  d.aecResidualCfg[idx] = residual;
  if (out && out->aec != nullptr) out->aecRef = refIdx;
  return 0;
}

bool CallMix::ReadEchoStats(int idx, double* out6) const {
  if (idx < 0 || idx >= kMaxParticipants || !impl_->inputs[idx] || !impl_->inputs[idx]->aec) return false;
  const Aec& a = *impl_->inputs[idx]->aec;
  out6[0] = a.tailMs;
  out6[1] = a.residual ? 1 : 0;
  out6[2] = a.blocks;
  out6[3] = a.resyncs;
  out6[4] = a.underruns;
  out6[5] = a.bypassed;
  return true;
}

void CallMix::SetTap(int outIdx, int srcIdx) {
  if (outIdx < 0 || outIdx >= kMaxParticipants) return;
  const int src = srcIdx >= 0 && srcIdx < kMaxParticipants ? srcIdx : -1;
  impl_->tapCfg[outIdx] = src;
  if (impl_->outputs[outIdx]) impl_->outputs[outIdx]->tapSrc = src;
}

int CallMix::AddPrompt(int outIdx, const int16_t* pcm, size_t n, int repeat) {
  if (outIdx < 0 || outIdx >= kMaxParticipants || !impl_->outputs[outIdx] || repeat < 1 || (pcm == nullptr && n > 0)) return -1;
  Output& o = *impl_->outputs[outIdx];
  Impl::collectPrompts(o);
  std::unique_ptr<Prompt> p(new (std::nothrow) Prompt());
  if (!p) return -1;
  p->pcm.assign(pcm, pcm + n);
  p->repeat = repeat;
  if (n == 0) p->plays = repeat;
  o.prompts.reserve(o.prompts.size() + 1);
  o.prompts.push_back(p.get());
  o.promptStore.push_back(std::move(p));
  o.marker = true;  // MixOutput.markNext: rtpengine marks a media player's first packet (a restart too)
  impl_->reconfigure();
  // (P) CallMixer.addPromptSource: an output whose clock is not about to run (a primary's grace pending, or
  // parked after a prompt) and whose primary talker sends no audio starts its clock at once, as rtpengine's
  // media player sends at once; a talking primary keeps clocking it.
  const double now = impl_->Now();
  if (o.mode == MIX && o.nextDeadlineMs > now + kFrameMs && !Impl::primaryTalking(o, now)) o.nextDeadlineMs = 0;
  return 0;
}

int CallMix::StopPrompts(int outIdx) {
  if (outIdx < 0 || outIdx >= kMaxParticipants || !impl_->outputs[outIdx]) return 0;
  Output& o = *impl_->outputs[outIdx];
  const int n = static_cast<int>(o.prompts.size());
  for (Prompt* p : o.prompts) p->stopped = true;
  o.prompts.clear();
  Impl::collectPrompts(o);
  impl_->reconfigure();
  return n;
}

bool CallMix::HasPrompts() const {
  for (int i = 0; i < kMaxParticipants; i++)
    if (impl_->outputs[i] && !impl_->outputs[i]->prompts.empty()) return true;
  return false;
}

void CallMix::SetPromptGain(int outIdx, double gain) {
  if (outIdx < 0 || outIdx >= kMaxParticipants || !impl_->outputs[outIdx] || !std::isfinite(gain)) return;
  impl_->outputs[outIdx]->promptGain = gain;
}

void CallMix::OnRtp(int idx, const uint8_t* pkt, size_t len, const rtp::RtpView& view, double arrivalMs, bool fromLatched) {
  if (arrivalMs > impl_->lastNowMs) impl_->lastNowMs = arrivalMs;
  if (idx < 0 || idx >= kMaxParticipants) return;
  Input* in = impl_->inputs[idx].get();
  if (in == nullptr) return;
  impl_->onRtp(*in, pkt, len, view, arrivalMs, fromLatched);
}

void CallMix::Tick(double nowMs) {
  if (nowMs > impl_->lastNowMs) impl_->lastNowMs = nowMs;
  if (held_) return;
  impl_->tick(nowMs);
}

void CallMix::SetHeld(bool held) { held_ = held; }

bool CallMix::HasOutput(int idx) const { return idx >= 0 && idx < kMaxParticipants && impl_->outputs[idx] != nullptr; }

void CallMix::ReadOutputStats(int idx, OutputStats* out) const {
  if (!HasOutput(idx)) {
    *out = OutputStats();
    return;
  }
  *out = impl_->outputs[idx]->stats;
  out->mode = impl_->outputs[idx]->mode;
}

bool CallMix::ReadStream(int idx, double* out3) const {
  if (!HasOutput(idx)) return false;
  const Output& o = *impl_->outputs[idx];
  const bool pt = o.mode == PASSTHROUGH && o.deltaValid;
  out3[0] = o.ssrc;
  out3[1] = pt ? ((o.lastPtSeq + 1) & 0xffff) : o.seq;
  out3[2] = pt ? o.lastPtTs : o.ts;
  return true;
}

bool CallMix::WriteStream(int idx, uint32_t ssrc, int seq, uint32_t ts) {
  if (!HasOutput(idx)) return false;
  Output& o = *impl_->outputs[idx];
  o.ssrc = ssrc;
  o.seq = seq & 0xffff;
  o.ts = ts;
  o.deltaValid = false;
  o.tcStarted = false;
  return true;
}

bool CallMix::ReadJitterStats(int idx, jitter::Stats* out) const {
  if (idx < 0 || idx >= kMaxParticipants || !impl_->inputs[idx] || !impl_->inputs[idx]->buffered) return false;
  *out = impl_->inputs[idx]->buffered->jb->stats();
  return true;
}

double CallMix::DecodeErrors(int idx) const {
  if (idx < 0 || idx >= kMaxParticipants || !impl_->inputs[idx]) return 0;
  return impl_->inputs[idx]->decodeErrors;
}

int CallMix::mixRate() const { return impl_->cfg.mixRate; }

}  // namespace mix
}  // namespace wn
