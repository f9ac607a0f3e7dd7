// Adaptive jitter buffer of the native media plane: src/jitter/JitterBuffer.ts ported rule for rule (see
// jitter_buffer.h and the TS file for the playout model). Same double arithmetic in the same order, JS
// Math.round semantics (detail::JsRound), so the output and every statistic match the TS buffer for the
// same packet trace and the same put/get times. Allocation happens in Create only.
#include "jitter_buffer.h"

#include <cmath>
#include <new>

#include "parts.h"

namespace wn {
namespace jitter {

using detail::JsRound;
using detail::PKT_CN;
using detail::PKT_MARKER;
using detail::RANK_CONCEALED;
using detail::RANK_NORMAL;

namespace {
// Most time-stretch (either way) per unit of audio: 100 ms per second (NetEq's rate limit).
constexpr double STRETCH_RATIO = 0.1;
// |relative delay| beyond this on the same SSRC means the timestamp base jumped.
constexpr double RESYNC_MS = 1000;
// Longest packet the decoder may return, ms (the AudioDecoder contract).
constexpr double MAX_PACKET_MS = 120;
}  // namespace

struct JitterBuffer::Impl {
  Stats stats;
  double clockRate = 8000;
  int sampleRate = 8000;
  double frameMs = 20;
  int frameSamples = 160;

  codec::FrameDecoder* decoder = nullptr;
  detail::PacketStore store;
  detail::PcmQueue pcm;
  detail::DelayEstimator est;
  detail::ArrivalTracker arr;
  detail::TargetDelay target;
  detail::Concealer synth;
  double tsPerSample = 1;
  double msPerTs = 0.125;
  double frameTs = 160;
  int maxDecodeSamples = 960;
  double maxDelayMs = 200;
  int cnPt = 13;
  int maxConcealSamples = 800;
  double quietMeanSquare = 10000;
  int xfadeSamples = 40;

  bool hasSsrc = false;
  uint32_t ssrc = 0;
  int64_t nextSeq = 0;
  double playTs = 0;
  bool waiting = true;
  bool primed = false;
  bool inDtx = false;
  bool lastQuiet = false;
  double holdCredit = 0;
  double pktTs = 160;
  double stretchCredit = 0;
  double suspectOffset = NAN;
  double lostBase = 0;

  bool Init(const Options& o, codec::FrameDecoder* dec, const char** error);
  void Put(const uint8_t* pkt, size_t len, const rtp::RtpView& view, double arrivalMs);
  FrameKind Get(int16_t* out, double now);
  void Fill(double now);
  void Step(double now, int needed);
  void Underrun(double now, int needed);
  void StartAt(double now, int64_t slot, int needed);
  bool IsDue(double now, double pTs) const {
    // On target from a quarter frame under it (src/jitter/JitterBuffer.ts isDue).
    return now - est.minOffsetMs() - pTs * msPerTs - PrerollMs() >= target.targetMs - frameMs * 0.25;
  }
  void DecodeSlot(int64_t slot);
  void Missing(int n, bool advance);
  void Conceal(int n, bool advance) {
    synth.Conceal(n, true);
    if (advance) playTs += n * tsPerSample;
  }
  void Silence(int n, bool advance) {
    synth.Silence(n, inDtx);
    if (advance) playTs += n * tsPerSample;
  }
  bool MaybeDecelerate(double d);
  void MaybeAccelerate(double d);
  FrameKind Emit(int16_t* out, double now);
  int64_t FindNext();
  int64_t Reanchor();
  double DelayMs(double now) const {
    if (!primed || waiting) return target.targetMs;
    const double playoutTs = playTs - pcm.avail() * tsPerSample;
    return now - est.minOffsetMs() - playoutTs * msPerTs - PrerollMs();
  }
  double PrerollMs() const {
    const double p = frameMs - pktTs * msPerTs;
    return p > 0 ? p : 0;
  }
  void ResetStream();
};

static bool Finite(double v) { return std::isfinite(v); }

bool JitterBuffer::Impl::Init(const Options& o, codec::FrameDecoder* dec, const char** error) {
  if (dec == nullptr) return *error = "jitter: no decoder", false;
  const int rate = dec->sampleRate();
  if (rate < 8000 || rate > 48000) return *error = "jitter: decoder sample rate outside 8000..48000", false;
  if (o.clockRate < 8000 || o.clockRate > 48000) return *error = "jitter: clockRate outside 8000..48000", false;
  if (o.frameMs != 10 && o.frameMs != 20) return *error = "jitter: frameMs must be 10 or 20", false;
  if (o.maxPackets < 1 || o.maxPackets > 4096) return *error = "jitter: maxPackets outside 1..4096", false;
  if (o.maxPayloadBytes < 1 || o.maxPayloadBytes > 65536) return *error = "jitter: maxPayloadBytes outside 1..65536", false;
  if (!Finite(o.minDelayMs) || !Finite(o.maxDelayMs) || !Finite(o.startDelayMs) || o.minDelayMs < 0 ||
      o.maxDelayMs < o.minDelayMs || o.maxDelayMs > 10000 || o.startDelayMs < 0)
    return *error = "jitter: delays must be finite with 0 <= minDelayMs <= maxDelayMs <= 10000", false;
  if (!Finite(o.maxConcealMs) || o.maxConcealMs < 0 || o.maxConcealMs > 10000)
    return *error = "jitter: maxConcealMs outside 0..10000", false;
  if (!Finite(o.silenceRms) || o.silenceRms < 0) return *error = "jitter: silenceRms must be finite and >= 0", false;
  if (o.cnPayloadType < -1 || o.cnPayloadType > 127) return *error = "jitter: cnPayloadType outside -1..127", false;

  decoder = dec;
  clockRate = o.clockRate;
  sampleRate = rate;
  frameMs = o.frameMs;
  frameSamples = static_cast<int>(JsRound((static_cast<double>(sampleRate) * frameMs) / 1000));
  tsPerSample = clockRate / sampleRate;
  msPerTs = 1000 / clockRate;
  frameTs = frameSamples * tsPerSample;
  pktTs = frameTs;
  maxDecodeSamples = static_cast<int>(std::ceil((static_cast<double>(sampleRate) * MAX_PACKET_MS) / 1000));
  maxDelayMs = o.maxDelayMs;
  target.Init(o.minDelayMs, maxDelayMs, o.startDelayMs);
  cnPt = o.cnPayloadType;
  maxConcealSamples = static_cast<int>(JsRound((static_cast<double>(sampleRate) * o.maxConcealMs) / 1000));
  quietMeanSquare = o.silenceRms * o.silenceRms;
  xfadeSamples = frameSamples >> 2;
  if (!store.Init(o.maxPackets, o.maxPayloadBytes) || !pcm.Init(3 * frameSamples + 2 * maxDecodeSamples) || !est.Init())
    return *error = "jitter: out of memory", false;
  synth.Init(decoder, &pcm, &stats, maxConcealSamples);
  return true;
}

void JitterBuffer::Impl::Put(const uint8_t* pkt, size_t bufLen, const rtp::RtpView& view, double arrivalMs) {
  Stats& st = stats;
  st.packetsReceived++;
  const size_t len = view.payload_length;
  if (pkt == nullptr || len > static_cast<size_t>(store.maxPayloadBytes) || view.payload_offset > bufLen ||
      len > bufLen - view.payload_offset) {
    st.packetsDiscarded++;
    return;
  }
  if (!hasSsrc || view.ssrc != ssrc) {
    if (hasSsrc) {
      st.ssrcChanges++;
      ResetStream();
    }
    hasSsrc = true;
    ssrc = view.ssrc;
  }
  if (!arr.started) {
    arr.Begin(view.sequence, view.timestamp);
    nextSeq = arr.highestSeq;
  }
  int64_t extSeq = arr.ExtendSeq(view.sequence);
  double extTs = arr.ExtendTs(view.timestamp);
  const double offset = arrivalMs - extTs * msPerTs;
  if (est.count() > 0) {
    const double rel = offset - est.minOffsetMs();
    if (rel > RESYNC_MS || rel < -RESYNC_MS) {
      // Timestamp base jumped (or a wildly late packet). Resync once a second packet confirms it.
      if (!(std::fabs(offset - suspectOffset) < 100)) {
        suspectOffset = offset;
        st.packetsDiscarded++;
        return;
      }
      st.resyncs++;
      ResetStream();
      arr.Begin(view.sequence, view.timestamp);
      nextSeq = extSeq = arr.highestSeq;
      extTs = arr.ExtendTs(view.timestamp);
    }
  }
  suspectOffset = NAN;
  if (store.Has(extSeq) || store.WasPlayed(extSeq)) {
    st.packetsDuplicated++;
    return;
  }
  arr.Accept(extSeq, extTs, view.timestamp, arrivalMs, clockRate);
  st.packetsLost = lostBase + arr.Lost();
  st.jitter = arr.JitterSeconds(clockRate);
  if (extSeq < nextSeq) {
    if (primed || nextSeq - extSeq >= store.capacity) {
      st.packetsDiscarded++;
      return;
    }
    nextSeq = extSeq;  // before the start: an earlier packet overtaken by a later one
  } else if (extSeq - nextSeq >= store.capacity) {
    st.packetsDiscarded += store.Clear();
    st.flushes++;
    nextSeq = extSeq;
    waiting = true;
  }
  const uint8_t flags = (view.marker ? PKT_MARKER : 0) | (view.payload_type == cnPt ? PKT_CN : 0);
  store.Put(extSeq, extTs, arrivalMs, flags, pkt + view.payload_offset, static_cast<int>(len));
  const double step = store.TsStepFromPrevious(extSeq, extTs);
  if (step > 0 && step * msPerTs <= MAX_PACKET_MS) pktTs = step;
  est.Update(arrivalMs, extTs * msPerTs);
  target.OnArrival(est.QuantileMs(), est.count());
}

FrameKind JitterBuffer::Impl::Get(int16_t* out, double now) {
  const int F = frameSamples;
  const double d = DelayMs(now);
  target.OnFrame(frameMs);
  stats.currentDelayMs = d;
  stats.targetDelayMs = target.targetMs;
  const double credit = stretchCredit + F * STRETCH_RATIO;
  stretchCredit = credit > F ? F : credit;
  if (!MaybeDecelerate(d)) {
    Fill(now);
    MaybeAccelerate(d);
  }
  return Emit(out, now);
}

// ---- playout ------------------------------------------------------------------------------------------

void JitterBuffer::Impl::Fill(double now) {
  const int F = frameSamples;
  for (int guard = 0; pcm.avail() < F; guard++) {
    if (guard > 64) {
      Silence(F - pcm.avail(), false);
      return;
    }
    Step(now, F - pcm.avail());
  }
}

void JitterBuffer::Impl::Step(double now, int needed) {
  const int64_t slot = FindNext();
  if (slot < 0) {
    Underrun(now, needed);
    return;
  }
  if (waiting) {
    StartAt(now, slot, needed);
    return;
  }
  const int64_t pSeq = store.seq[slot];
  const double pTs = store.ts[slot];
  const double gap = pTs - playTs;
  if (pSeq == nextSeq) {
    if (gap < frameTs / 2) DecodeSlot(slot);
    else {
      waiting = true;  // contiguous sequence, timestamp jump: the sender paused (DTX), not loss
      StartAt(now, slot, needed);
    }
    return;
  }
  // Packets nextSeq .. pSeq-1 are missing.
  if ((store.flags[slot] & PKT_MARKER) != 0 || gap > maxConcealSamples * tsPerSample) {
    nextSeq = pSeq;
    waiting = true;
    StartAt(now, slot, needed);
    return;
  }
  if (gap <= 0) {
    nextSeq = pSeq;
    return;
  }
  if (holdCredit > 0) {
    const double c = holdCredit < gap ? holdCredit : gap;
    playTs += c;
    holdCredit -= c;
    if (c >= gap) nextSeq = pSeq;
    return;
  }
  if (DelayMs(now) < target.targetMs) {
    Missing(needed, false);  // not yet late beyond target: wait for it
    return;
  }
  const double gapSamples = JsRound(gap / tsPerSample);
  Conceal(needed < gapSamples ? needed : static_cast<int>(gapSamples), true);
  if (playTs >= pTs - tsPerSample / 2) {
    playTs = pTs;
    nextSeq = pSeq;
  }
}

void JitterBuffer::Impl::Underrun(double now, int needed) {
  if (!primed || inDtx) {
    Silence(needed, inDtx);
    return;
  }
  Missing(needed, DelayMs(now) >= maxDelayMs);
}

void JitterBuffer::Impl::StartAt(double now, int64_t slot, int needed) {
  const double pTs = store.ts[slot];
  if (!IsDue(now, pTs)) {
    Silence(needed, false);
    return;
  }
  playTs = pTs;
  DecodeSlot(slot);
}

void JitterBuffer::Impl::DecodeSlot(int64_t slot) {
  const double pTs = store.ts[slot];
  store.MarkPlayed(slot);
  nextSeq = store.seq[slot] + 1;
  primed = true;
  waiting = false;
  holdCredit = 0;
  if ((store.flags[slot] & PKT_CN) != 0) {
    inDtx = true;
    lastQuiet = true;
    playTs = pTs;
    // An empty CN payload carries no level: the last one stays.
    const int level = detail::ParseCnLevel(store.Payload(slot), store.len[slot]);
    if (level >= 0) synth.SetComfortNoiseLevel(level);
    return;
  }
  inDtx = false;
  const int w = pcm.Reserve(maxDecodeSamples);
  const int room = pcm.capacity() - w;
  const int plen = store.len[slot];
  const int n = room > 0 ? decoder->decode(store.Payload(slot), static_cast<size_t>(plen), pcm.samples.get() + w,
                                           static_cast<size_t>(room))
                         : codec::kErrSpace;
  playTs = pTs;
  if (n < 0 || n > room) {
    stats.decodeErrors++;
    Conceal(static_cast<int>(JsRound(pktTs / tsPerSample)), true);
    return;
  }
  if (n == 0) return;
  pcm.Commit(n, RANK_NORMAL, store.arrival[slot]);
  stats.totalSamplesReceived += n;
  playTs = pTs + n * tsPerSample;
  synth.EndRun();
  lastQuiet = pcm.MeanSquare(w, n) < quietMeanSquare;
}

void JitterBuffer::Impl::Missing(int n, bool advance) {
  if (lastQuiet) Silence(n, advance);
  else Conceal(n, advance);
  if (!advance) holdCredit += n * tsPerSample;
}

// ---- time-stretching ----------------------------------------------------------------------------------

bool JitterBuffer::Impl::MaybeDecelerate(double d) {
  const int F = frameSamples;
  if (!primed || waiting || inDtx || pcm.avail() != 0 || stretchCredit < F) return false;
  if (d >= target.targetMs - frameMs / 4) return false;
  if (!lastQuiet && d >= target.targetMs - frameMs) return false;
  if (!store.Has(nextSeq)) return false;  // an underrun will hold anyway
  if (lastQuiet) Silence(F, false);
  else synth.Conceal(F, false);
  stats.insertedSamplesForDeceleration += F;
  stretchCredit -= F;
  return true;
}

void JitterBuffer::Impl::MaybeAccelerate(double d) {
  const int F = frameSamples;
  if (!primed || waiting || inDtx || stretchCredit < F) return;
  const double over = d - target.targetMs;
  if (over < frameMs * 0.75) return;  // stays >= target - frame/4 after the drop (TS maybeAccelerate)
  for (int guard = 0; pcm.avail() < 2 * F && guard < 8; guard++) {
    const int64_t slot = store.SlotOf(nextSeq);
    if (!store.Has(nextSeq) || (store.flags[slot] & PKT_CN) != 0) break;
    const double gap = store.ts[slot] - playTs;
    if (gap >= frameTs / 2 || gap <= -frameTs / 2) break;
    DecodeSlot(slot);
  }
  if (!pcm.DropFrame(F, quietMeanSquare, over >= 2 * frameMs, xfadeSamples)) return;
  stats.removedSamplesForAcceleration += F;
  stretchCredit -= F;
}

// ---- helpers ------------------------------------------------------------------------------------------

FrameKind JitterBuffer::Impl::Emit(int16_t* out, double now) {
  const uint8_t r = pcm.Emit(out, frameSamples, now);
  Stats& st = stats;
  st.jitterBufferDelay += pcm.lastDelaySumMs / 1000;
  st.jitterBufferTargetDelay += (target.targetMs * pcm.lastDecodedCount) / 1000;
  st.jitterBufferEmittedCount += pcm.lastDecodedCount;
  return r == RANK_NORMAL ? FrameKind::NORMAL : r == RANK_CONCEALED ? FrameKind::CONCEALED : FrameKind::SILENCE;
}

int64_t JitterBuffer::Impl::FindNext() {
  if (!primed || waiting) return store.FirstFrom(nextSeq, arr.highestSeq, -INFINITY, pktTs);
  if (arr.highestTs + pktTs <= playTs && store.Has(arr.highestSeq)) return Reanchor();
  const int64_t slot = store.FirstFrom(nextSeq, arr.highestSeq, playTs, pktTs);
  stats.packetsDiscarded += store.staleDropped;
  return slot;
}

int64_t JitterBuffer::Impl::Reanchor() {
  const int64_t slot = store.FirstFrom(nextSeq, arr.highestSeq, -INFINITY, pktTs);
  if (slot < 0) return -1;
  stats.resyncs++;
  nextSeq = store.seq[slot];
  est.Reset();
  est.Update(store.arrival[slot], store.ts[slot] * msPerTs);
  waiting = true;
  inDtx = false;
  holdCredit = 0;
  return slot;
}

void JitterBuffer::Impl::ResetStream() {
  stats.packetsDiscarded += store.Clear();
  lostBase += arr.Lost();
  arr.Reset();
  est.Reset();
  pcm.Clear();
  decoder->reset();
  waiting = true;
  primed = false;
  inDtx = false;
  lastQuiet = false;
  holdCredit = 0;
  synth.Reset();
  pktTs = frameTs;
  suspectOffset = NAN;
}

// ---- public -------------------------------------------------------------------------------------------

JitterBuffer::JitterBuffer() : impl_(nullptr) {}

JitterBuffer::~JitterBuffer() { delete impl_; }

std::unique_ptr<JitterBuffer> JitterBuffer::Create(const Options& opts, codec::FrameDecoder* decoder, const char** error) {
  const char* dummy = nullptr;
  if (error == nullptr) error = &dummy;
  std::unique_ptr<JitterBuffer> jb(new (std::nothrow) JitterBuffer());
  if (!jb) return *error = "jitter: out of memory", nullptr;
  jb->impl_ = new (std::nothrow) Impl();
  if (jb->impl_ == nullptr) return *error = "jitter: out of memory", nullptr;
  if (!jb->impl_->Init(opts, decoder, error)) return nullptr;
  return jb;
}

void JitterBuffer::Put(const uint8_t* pkt, size_t len, const rtp::RtpView& view, double arrivalMs) {
  impl_->Put(pkt, len, view, arrivalMs);
}

FrameKind JitterBuffer::Get(int16_t* out, double nowMs) { return impl_->Get(out, nowMs); }

void JitterBuffer::Reset() {
  impl_->ResetStream();
  impl_->hasSsrc = false;
}

int JitterBuffer::frameSamples() const { return impl_->frameSamples; }
int JitterBuffer::sampleRate() const { return impl_->sampleRate; }
double JitterBuffer::targetDelayMs() const { return impl_->target.targetMs; }
const Stats& JitterBuffer::stats() const { return impl_->stats; }

}  // namespace jitter
}  // namespace wn
