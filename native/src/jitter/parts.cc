// Private parts of the native jitter buffer; see parts.h. Each function names its TS twin.
#include "parts.h"

#include <cstring>
#include <new>

#include "cn_amp_table.h"

namespace wn {
namespace jitter {
namespace detail {

// ---- ComfortNoiseGenerator.generate --------------------------------------------------------------------

void ComfortNoiseGenerator::Generate(int level, int16_t* out, int n) {
  const double amp = kCnAmp[level & 0x7f];
  uint32_t s = seed_;
  for (int i = 0; i < n; i++) {
    s ^= s << 13;  // xorshift32 (the TS int32 operations give the same bits)
    s ^= s >> 17;
    s ^= s << 5;
    const double u = static_cast<double>(s) / 4294967296.0;
    const double v = JsRound((2 * u - 1) * amp);
    out[i] = static_cast<int16_t>(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
  seed_ = s;
}

// ---- PcmQueue -----------------------------------------------------------------------------------------

bool PcmQueue::Init(int capacity) {
  samples.reset(new (std::nothrow) int16_t[capacity]());
  rank.reset(new (std::nothrow) uint8_t[capacity]());
  arrival.reset(new (std::nothrow) double[capacity]());
  cap_ = capacity;
  return samples && rank && arrival;
}

// Returns the write offset; the room after it may be smaller than n only if the caller broke the
// capacity bound (3 frames + 2 max packets), so writers clamp to capacity() - offset.
int PcmQueue::Reserve(int n) {
  if (end + n > cap_) {
    const int a = avail();
    if (a > 0) {
      std::memmove(samples.get(), samples.get() + start, sizeof(int16_t) * a);
      std::memmove(rank.get(), rank.get() + start, a);
      std::memmove(arrival.get(), arrival.get() + start, sizeof(double) * a);
    }
    start = 0;
    end = a;
  }
  return end;
}

void PcmQueue::Commit(int n, uint8_t r, double arrivalMs) {
  if (n > cap_ - end) n = cap_ - end;
  if (n <= 0) return;
  std::memset(rank.get() + end, r, n);
  for (int i = end, e = end + n; i < e; i++) arrival[i] = arrivalMs;
  end += n;
}

void PcmQueue::Skip(int n) {
  start += n;
  if (start >= end) start = end = 0;
}

double PcmQueue::MeanSquare(int from, int n) const {
  double acc = 0;
  for (int i = from, e = from + n; i < e; i++) {
    const double v = samples[i];
    acc += v * v;
  }
  return n > 0 ? acc / n : 0;
}

bool PcmQueue::AllRank(int from, int n, uint8_t r) const {
  for (int i = from, e = from + n; i < e; i++)
    if (rank[i] != r) return false;
  return true;
}

uint8_t PcmQueue::Emit(int16_t* out, int n, double nowMs) {
  uint8_t r = 0;
  double sum = 0;
  double count = 0;
  for (int i = 0, j = start; i < n; i++, j++) {
    if (j >= cap_) {  // cannot happen (fill() guarantees a frame); a typed array reads undefined → 0
      out[i] = 0;
      continue;
    }
    out[i] = samples[j];
    if (rank[j] > r) r = rank[j];
    const double a = arrival[j];
    if (a >= 0) {
      sum += nowMs - a;
      count++;
    }
  }
  Skip(n);
  lastDelaySumMs = sum;
  lastDecodedCount = count;
  return r;
}

bool PcmQueue::DropFrame(int n, double quietMeanSquare, bool allowLoud, int xfade) {
  if (avail() < 2 * n) return false;
  const int a = start;
  if (!AllRank(a, 2 * n, RANK_NORMAL)) return false;
  if (MeanSquare(a, n) >= quietMeanSquare) {
    if (!allowLoud) return false;
    int16_t* s = samples.get();
    for (int i = 0; i < xfade; i++) {
      const double v = JsRound((static_cast<double>(s[a + i]) * (xfade - i) + static_cast<double>(s[a + n + i]) * i) / xfade);
      s[a + n + i] = static_cast<int16_t>(v);
    }
  }
  Skip(n);
  return true;
}

// ---- PacketStore --------------------------------------------------------------------------------------

bool PacketStore::Init(int maxPackets, int maxPayload) {
  int64_t cap = 1;
  while (cap < maxPackets) cap <<= 1;
  capacity = cap;
  maxPayloadBytes = maxPayload;
  slab.reset(new (std::nothrow) uint8_t[static_cast<size_t>(cap) * static_cast<size_t>(maxPayload)]());
  seq.reset(new (std::nothrow) int64_t[cap]);
  ts.reset(new (std::nothrow) double[cap]());
  arrival.reset(new (std::nothrow) double[cap]());
  len.reset(new (std::nothrow) int32_t[cap]());
  flags.reset(new (std::nothrow) uint8_t[cap]());
  state.reset(new (std::nothrow) uint8_t[cap]());
  if (!slab || !seq || !ts || !arrival || !len || !flags || !state) return false;
  for (int64_t i = 0; i < cap; i++) seq[i] = -1;
  return true;
}

bool PacketStore::Has(int64_t extSeq) const {
  const int64_t s = extSeq % capacity;
  return state[s] == SLOT_FULL && seq[s] == extSeq;
}

bool PacketStore::WasPlayed(int64_t extSeq) const {
  const int64_t s = extSeq % capacity;
  return state[s] == SLOT_PLAYED && seq[s] == extSeq;
}

int64_t PacketStore::Put(int64_t extSeq, double t, double arrivalMs, uint8_t f, const uint8_t* src, int length) {
  const int64_t slot = extSeq % capacity;
  if (length > maxPayloadBytes) length = maxPayloadBytes;  // the caller checked; never past the slot
  if (length > 0) std::memcpy(slab.get() + slot * maxPayloadBytes, src, length);
  seq[slot] = extSeq;
  ts[slot] = t;
  arrival[slot] = arrivalMs;
  len[slot] = length;
  flags[slot] = f;
  if (state[slot] != SLOT_FULL) count++;
  state[slot] = SLOT_FULL;
  return slot;
}

void PacketStore::MarkPlayed(int64_t slot) {
  if (state[slot] == SLOT_FULL) count--;
  state[slot] = SLOT_PLAYED;
}

void PacketStore::Drop(int64_t slot) {
  if (state[slot] == SLOT_FULL) count--;
  state[slot] = SLOT_EMPTY;
}

int PacketStore::Clear() {
  const int dropped = count;
  std::memset(state.get(), SLOT_EMPTY, capacity);
  for (int64_t i = 0; i < capacity; i++) seq[i] = -1;
  count = 0;
  return dropped;
}

int64_t PacketStore::FirstFrom(int64_t from, int64_t to, double staleTs, double durTs) {
  staleDropped = 0;
  if (count == 0) return -1;
  const int64_t end = to < from + capacity - 1 ? to : from + capacity - 1;
  for (int64_t q = from; q <= end; q++) {
    const int64_t slot = q % capacity;
    if (state[slot] != SLOT_FULL || seq[slot] != q) continue;
    if (ts[slot] + durTs <= staleTs) {
      Drop(slot);
      staleDropped++;
      continue;
    }
    return slot;
  }
  return -1;
}

double PacketStore::TsStepFromPrevious(int64_t extSeq, double extTs) const {
  const int64_t prev = (extSeq - 1) % capacity;
  if (prev < 0 || seq[prev] != extSeq - 1 || (flags[prev] & PKT_CN) != 0) return 0;
  return extTs - ts[prev];
}

// ---- DelayEstimator -----------------------------------------------------------------------------------

// Rebuild the histogram once the minimum offset has risen this far above its reference.
constexpr double REBUILD_SLACK_MS = 20;

bool DelayEstimator::Init() {
  arrivals_.reset(new (std::nothrow) double[capacity_]());
  offsets_.reset(new (std::nothrow) double[capacity_]());
  hist_.reset(new (std::nothrow) uint32_t[buckets_]());
  return arrivals_ && offsets_ && hist_;
}

double DelayEstimator::Update(double arrivalMs, double mediaMs) {
  const double off = arrivalMs - mediaMs;
  const double limit = arrivalMs - windowMs_;
  bool rescan = false;
  while (size_ > 0 && (arrivals_[head_] < limit || size_ == capacity_)) {
    const double old = offsets_[head_];
    hist_[BucketOf(old)]--;
    if (old <= min_) rescan = true;
    head_ = (head_ + 1) % capacity_;
    size_--;
  }
  const int tail = (head_ + size_) % capacity_;
  arrivals_[tail] = arrivalMs;
  offsets_[tail] = off;
  size_++;
  if (size_ == 1) {
    min_ = off;
    Rebuild();
    return 0;
  }
  if (rescan) min_ = ScanMin();
  else if (off < min_) min_ = off;
  if (min_ < histRef_ || min_ - histRef_ > REBUILD_SLACK_MS) Rebuild();
  else hist_[BucketOf(off)]++;
  return off - min_;
}

double DelayEstimator::QuantileMs() const {
  if (size_ == 0) return 0;
  const double need = std::ceil(quantile_ * size_);
  double cum = 0;
  const int n = buckets_;
  for (int b = 0; b < n; b++) {
    cum += hist_[b];
    if (cum >= need) {
      const double v = (b + 1) * bucketMs_ + histRef_ - min_;
      return v > 0 ? v : 0;
    }
  }
  return n * bucketMs_ + histRef_ - min_;
}

void DelayEstimator::Reset() {
  head_ = 0;
  size_ = 0;
  min_ = 0;
  histRef_ = 0;
  std::memset(hist_.get(), 0, sizeof(uint32_t) * buckets_);
}

int DelayEstimator::BucketOf(double off) const {
  const double b = std::floor((off - histRef_) / bucketMs_);
  const int top = buckets_ - 1;
  // NaN (impossible: every offset is finite) lands in bucket 0 like a typed-array index would not.
  return !(b >= 0) ? 0 : b > top ? top : static_cast<int>(b);
}

double DelayEstimator::ScanMin() const {
  double m = INFINITY;
  for (int i = 0, j = head_; i < size_; i++, j = (j + 1) % capacity_) {
    const double o = offsets_[j];
    if (o < m) m = o;
  }
  return m;
}

void DelayEstimator::Rebuild() {
  histRef_ = min_;
  std::memset(hist_.get(), 0, sizeof(uint32_t) * buckets_);
  for (int i = 0, j = head_; i < size_; i++, j = (j + 1) % capacity_) hist_[BucketOf(offsets_[j])]++;
}

// ---- TargetDelay --------------------------------------------------------------------------------------

constexpr double TARGET_STEP_MS = 10;
constexpr int WARMUP_PACKETS = 25;
constexpr double SHRINK_RATIO = 0.1;

void TargetDelay::Init(double minDelayMs, double maxDelayMs, double startDelayMs) {
  minDelayMs_ = minDelayMs;
  maxDelayMs_ = maxDelayMs;
  startDelayMs_ = startDelayMs;
  warmed_ = false;
  targetMs = desiredMs = Clamp(startDelayMs);
}

void TargetDelay::OnArrival(double quantileMs, int count) {
  if (!warmed_ && count >= WARMUP_PACKETS) warmed_ = true;
  double t = std::ceil(quantileMs / TARGET_STEP_MS) * TARGET_STEP_MS;
  if (!warmed_ && t < startDelayMs_) t = startDelayMs_;
  t = Clamp(t);
  desiredMs = t;
  if (t > targetMs) targetMs = t;
}

void TargetDelay::OnFrame(double frameMs) {
  const double shrunk = targetMs - SHRINK_RATIO * frameMs;
  targetMs = desiredMs > shrunk ? desiredMs : shrunk;
}

// ---- ArrivalTracker -----------------------------------------------------------------------------------

constexpr int64_t SEQ_BASE = 1 << 20;

void ArrivalTracker::Begin(int64_t seq, double t) {
  started = true;
  highestSeq = SEQ_BASE + seq;
  highestTs = t;
  highestRawTs_ = t;
  baseSeq_ = highestSeq;
  received_ = 0;
  havePrev_ = false;
}

void ArrivalTracker::Accept(int64_t extSeq, double extTs, double rawTs, double arrivalMs, double clockRate) {
  received_++;
  if (extSeq > highestSeq) {
    highestSeq = extSeq;
    highestTs = extTs;
    highestRawTs_ = rawTs;
  }
  if (extSeq < baseSeq_) baseSeq_ = extSeq;
  if (havePrev_) {
    const double d = ((arrivalMs - prevArrivalMs_) * clockRate) / 1000 - (extTs - prevTs_);
    jitterTs_ += (std::fabs(d) - jitterTs_) / 16;
  }
  prevArrivalMs_ = arrivalMs;
  prevTs_ = extTs;
  havePrev_ = true;
}

// ---- Concealer ----------------------------------------------------------------------------------------

void Concealer::Conceal(int n, bool forLoss) {
  if (forLoss && run_ >= maxRunSamples_) {
    Silence(n, false);
    return;
  }
  PcmQueue& pcm = *pcm_;
  const int w = pcm.Reserve(n);
  if (n > pcm.capacity() - w) n = pcm.capacity() - w;  // never (capacity bound); no write past the queue
  if (n < 0) return;
  // n == 0 still goes through (the TS counts a concealment event for it and the PLC sees the call).
  const int got = decoder_->conceal(pcm.samples.get() + w, static_cast<size_t>(n));
  if (got < n) {
    const int from = got > 0 ? got : 0;
    std::memset(pcm.samples.get() + w + from, 0, sizeof(int16_t) * (n - from));
  }
  pcm.Commit(n, RANK_CONCEALED, -1);
  if (!forLoss) return;
  Stats& st = *stats_;
  st.concealedSamples += n;
  if (pcm.MeanSquare(w, n) < 1) st.silentConcealedSamples += n;
  if (!active_) {
    st.concealmentEvents++;
    active_ = true;
  }
  run_ += n;
}

void Concealer::Silence(int n, bool dtx) {
  PcmQueue& pcm = *pcm_;
  const int w = pcm.Reserve(n);
  if (n > pcm.capacity() - w) n = pcm.capacity() - w;
  if (n < 0) return;
  if (dtx && cnLevel_ >= 0) noise_.Generate(cnLevel_, pcm.samples.get() + w, n);
  else std::memset(pcm.samples.get() + w, 0, sizeof(int16_t) * n);
  pcm.Commit(n, RANK_SILENCE, -1);
  stats_->silenceSamples += n;
}

}  // namespace detail
}  // namespace jitter
}  // namespace wn
