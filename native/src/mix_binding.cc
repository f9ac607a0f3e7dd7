// N-API binding of the native mix (native/src/mix/call_mix.h): the mix* functions of native/index.d.ts.
// Two kinds of site (mix/site.h): a media-thread site (relay.cc CreateThreadSite; mixCreate) and the
// probe site (mixProbeCreate), which runs the mix inline on Node's thread with a host that captures what
// the mix sends and reports as records (the event record format of native/index.d.ts), drained by
// mixProbeDrain — the differential tests (test/unit/native/mixDiff.test.ts) drive it with packets and a
// virtual clock. Every configuration call and read runs through site->Run(): on the mix's own thread,
// between two packets, and the caller waits for it.
#include <cmath>
#include <cstring>
#include <vector>

#include "handle.h"
#include "mix/binding.h"
#include "mix/site.h"
#include "rtp/parse.h"

namespace wn {
namespace mix {

// Helper T defines the real one in relay.cc; this weak default keeps the addon linkable without it.
__attribute__((weak)) std::unique_ptr<MixSite> CreateThreadSite(int thread, uint32_t id, const char** error) {
  (void)thread;
  (void)id;
  *error = "media threads unavailable";
  return nullptr;
}

namespace {

constexpr int kStatsSize = 8 + jitter::kStatsCount;
uint32_t g_next_id = 1;

enum RecordType : uint16_t { REC_SENT = 1, REC_DTMF = 2, REC_OBSERVED = 3, REC_MIXED = 4 };

// The probe's host: captures sends and events as records (probe only: allocation is fine here).
class ProbeHost : public MixHost {
 public:
  uint32_t id = 0;
  double now = 0;
  bool dest[kMaxParticipants];
  double drops[16] = {0};
  std::vector<uint8_t> out;  // records not yet drained
  size_t head = 0;           // first undrained byte

  ProbeHost() {
    for (bool& d : dest) d = true;
  }

  uint8_t* Record(uint16_t type, int idx, uint8_t flags, uint32_t n, double nowMs, size_t payload) {
    const size_t size = (24 + payload + 7) & ~static_cast<size_t>(7);
    const size_t at = out.size();
    out.resize(at + size, 0);
    uint8_t* r = out.data() + at;
    const uint32_t s32 = static_cast<uint32_t>(size);
    std::memcpy(r, &s32, 4);
    std::memcpy(r + 4, &type, 2);
    r[6] = static_cast<uint8_t>(idx);
    r[7] = flags;
    std::memcpy(r + 8, &id, 4);
    std::memcpy(r + 12, &n, 4);
    std::memcpy(r + 16, &nowMs, 8);
    return r + 24;
  }

  void Send(int idx, const uint8_t* buf, size_t len) override {
    std::memcpy(Record(REC_SENT, idx, 0, static_cast<uint32_t>(len), now, len), buf, len);
  }
  bool HasDestination(int idx) const override { return idx >= 0 && idx < kMaxParticipants && dest[idx]; }
  double NowMs() const override { return now; }
  void CountDrop(int reason) override {
    if (reason >= 0 && reason < 16) drops[reason]++;
  }
  void OnTelephoneEvent(int idx, const uint8_t* pkt, size_t len, bool fromLatched) override {
    std::memcpy(Record(REC_DTMF, idx, fromLatched ? 1 : 0, static_cast<uint32_t>(len), now, len), pkt, len);
  }
  void OnObserved(int inIdx, const int16_t* pcm, int n, double nowMs) override {
    std::memcpy(Record(REC_OBSERVED, inIdx, 0, static_cast<uint32_t>(n), nowMs, n * 2u), pcm, n * 2u);
  }
  void OnMixed(int outIdx, const int16_t* pcm, int n, int srcIdx, const int16_t* contrib, const int16_t* raw, double nowMs) override {
    (void)srcIdx;
    const bool both = contrib != nullptr && raw != nullptr;
    uint8_t* p = Record(REC_MIXED, outIdx, both ? 1 : 0, static_cast<uint32_t>(n), nowMs, n * (both ? 6u : 2u));
    std::memcpy(p, pcm, n * 2u);
    if (both) {
      std::memcpy(p + n * 2u, contrib, n * 2u);
      std::memcpy(p + n * 4u, raw, n * 2u);
    }
  }
};

class ProbeSite : public MixSite {
 public:
  ProbeHost probe;
  void Run(void (*fn)(void*), void* arg) override { fn(arg); }
  MixHost* host() override { return &probe; }
  int thread() const override { return -1; }
  void Detach() override {}
};

void FreeMix(void* s) {
  MixRef* r = static_cast<MixRef*>(s);
  if (r->site) r->site->Detach();
  r->mix.reset();
  r->site.reset();
  delete r;
}

MixRef* RefOf(const Napi::CallbackInfo& info) {
  if (info.Length() < 1) return nullptr;
  return UnwrapMix(info[0]);
}

ProbeSite* ProbeOf(MixRef* r) {
  if (r == nullptr || r->site->thread() != -1) return nullptr;
  return static_cast<ProbeSite*>(r->site.get());
}

// The probe behind info[0] (and its MixRef in `r`); nullptr with `err` = ERR_CLOSED if info[0] is not a
// live mix, ERR_ARG if it is a mix on a media-thread site.
ProbeSite* ProbeArg(const Napi::CallbackInfo& info, MixRef*& r, int32_t& err) {
  r = RefOf(info);
  ProbeSite* p = ProbeOf(r);
  if (!p) err = r ? ERR_ARG : ERR_CLOSED;
  return p;
}

// Run f() where the mix lives and wait for it.
template <typename F>
void RunOn(MixRef* r, F& f) {
  r->site->Run([](void* a) { (*static_cast<F*>(a))(); }, &f);
}

bool NumArg(const Napi::CallbackInfo& info, size_t i, double& out) {
  if (info.Length() <= i || !info[i].IsNumber()) return false;
  out = info[i].As<Napi::Number>().DoubleValue();
  return std::isfinite(out);
}

bool IntArg(const Napi::CallbackInfo& info, size_t i, int lo, int hi, int& out) {
  double d;
  if (!NumArg(info, i, d) || d < lo || d > hi || static_cast<double>(static_cast<int>(d)) != d) return false;
  out = static_cast<int>(d);
  return true;
}

// A participant index argument: an integer in 0..kMaxParticipants-1.
bool ParticipantArg(const Napi::CallbackInfo& info, size_t i, int& out) {
  return IntArg(info, i, 0, kMaxParticipants - 1, out);
}

bool CodecArg(int id, codec::CodecId& out) {
  switch (id) {
    case 0: out = codec::CodecId::PCMU; return true;
    case 8: out = codec::CodecId::PCMA; return true;
    case 18: out = codec::CodecId::G729; return true;
    case 111: out = codec::CodecId::Opus; return true;
    case 3: out = codec::CodecId::GSM; return true;   // (K) codec kernels added in issue 11
    case 9: out = codec::CodecId::G722; return true;
    case 112: out = codec::CodecId::AMR; return true;         // RFC 4867 bandwidth-efficient
    case 113: out = codec::CodecId::AMRWB; return true;
    case 114: out = codec::CodecId::AMROctet; return true;    // octet-aligned
    case 115: out = codec::CodecId::AMRWBOctet; return true;
    default: return false;
  }
}

bool ConfigArgs(const Napi::CallbackInfo& info, size_t i, MixConfig& cfg) {
  return IntArg(info, i, 8000, 16000, cfg.mixRate) && (cfg.mixRate == 8000 || cfg.mixRate == 16000) &&
         IntArg(info, i + 1, 0, 10, cfg.opusComplexity) && IntArg(info, i + 2, 500, 512000, cfg.opusBitrate);
}

Napi::Value NewMix(Napi::Env env, std::unique_ptr<MixSite> site, const MixConfig& cfg, uint32_t id) {
  const char* err = "mix creation failed";
  std::unique_ptr<CallMix> mix = CallMix::Create(cfg, site->host(), &err);
  if (!mix) {
    site->Detach();
    Napi::Error::New(env, err).ThrowAsJavaScriptException();
    return env.Null();
  }
  MixRef* r = new MixRef();
  r->id = id;
  r->site = std::move(site);
  r->mix = std::move(mix);
  auto attach = [r]() { r->site->Attach(r->mix.get()); };
  RunOn(r, attach);
  return MakeHandle(env, Kind::Mix, r, FreeMix);
}

// mixCreate(thread, mixRate, opusComplexity, opusBitrate): MixHandle; throws Error(message).
Napi::Value MixCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int thread;
  MixConfig cfg;
  if (!IntArg(info, 0, -1, 1 << 20, thread) || !ConfigArgs(info, 1, cfg)) {
    Napi::RangeError::New(env, "mixCreate(thread >= -1, mixRate 8000|16000, opusComplexity 0..10, opusBitrate 500..512000)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  const uint32_t id = g_next_id++;
  const char* err = "media threads unavailable";
  std::unique_ptr<MixSite> site = CreateThreadSite(thread, id, &err);
  if (!site) {
    Napi::Error::New(env, err).ThrowAsJavaScriptException();
    return env.Null();
  }
  return NewMix(env, std::move(site), cfg, id);
}

// mixProbeCreate(mixRate, opusComplexity, opusBitrate, seed?): MixHandle (inline probe site).
Napi::Value MixProbeCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixConfig cfg;
  double seed = 0;
  if (!ConfigArgs(info, 0, cfg) || (info.Length() > 3 && !info[3].IsUndefined() && (!NumArg(info, 3, seed) || seed < 0 || seed > 4294967295.0))) {
    Napi::RangeError::New(env, "mixProbeCreate(mixRate 8000|16000, opusComplexity 0..10, opusBitrate 500..512000, seed?)")
        .ThrowAsJavaScriptException();
    return env.Null();
  }
  cfg.seed = static_cast<uint32_t>(seed);
  const uint32_t id = g_next_id++;
  std::unique_ptr<ProbeSite> site(new ProbeSite());
  site->probe.id = id;
  return NewMix(env, std::move(site), cfg, id);
}

Napi::Value MixId(const Napi::CallbackInfo& info) {
  MixRef* r = RefOf(info);
  return Int(info.Env(), r ? static_cast<int32_t>(r->id) : ERR_CLOSED);
}

Napi::Value MixThreadOf(const Napi::CallbackInfo& info) {
  MixRef* r = RefOf(info);
  return Int(info.Env(), r ? r->site->thread() : ERR_CLOSED);
}

// mixSetParticipant(m, idx, codecId, clockRate, pt, dtmfPt, peerIdx): 0 or negative.
Napi::Value MixSetParticipant(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx, codecId, clockRate, pt, dtmfPt, peer;
  ParticipantSpec spec;
  if (!ParticipantArg(info, 1, idx) || !IntArg(info, 2, 0, 127, codecId) || !CodecArg(codecId, spec.codec) ||
      !IntArg(info, 3, 1, 384000, clockRate) || !IntArg(info, 4, 0, 127, pt) || !IntArg(info, 5, -1, 127, dtmfPt) ||
      !IntArg(info, 6, -1, kMaxParticipants - 1, peer))
    return Int(env, ERR_ARG);
  spec.clockRate = clockRate;
  spec.pt = pt;
  spec.dtmfPt = dtmfPt;
  spec.peer = peer;
  // (M) optional: cnPt (-1..127), ptime (0..1000 ms), also (Float64Array of [pt, codecId, clockRate] triples).
  if (info.Length() > 7 && !info[7].IsUndefined() && !IntArg(info, 7, -1, 127, spec.cnPt)) return Int(env, ERR_ARG);
  if (info.Length() > 8 && !info[8].IsUndefined() && !IntArg(info, 8, 0, 1000, spec.ptime)) return Int(env, ERR_ARG);
  if (info.Length() > 10 && !info[10].IsUndefined()) {
    int offered;
    if (!IntArg(info, 10, 0, 1, offered)) return Int(env, ERR_ARG);
    spec.dtmfOffered = offered == 1;
  }
  if (info.Length() > 9 && !info[9].IsUndefined()) {
    double* also = nullptr;
    size_t n = 0;
    if (!Float64ArrayArg(info, 9, also, n) || n % 3 != 0 || n / 3 > static_cast<size_t>(ParticipantSpec::kMaxAlso)) return Int(env, ERR_ARG);
    for (size_t i = 0; i < n / 3; i++) {
      const double apt = also[3 * i], aid = also[3 * i + 1], arate = also[3 * i + 2];
      ParticipantSpec::Also& a = spec.also[spec.nalso];
      if (!(apt >= 0 && apt <= 127 && arate >= 1 && arate <= 384000) || !CodecArg(static_cast<int>(aid), a.codec)) return Int(env, ERR_ARG);
      a.pt = static_cast<int>(apt);
      a.clockRate = static_cast<int>(arate);
      spec.nalso++;
    }
  }
  // (K) optional: the AMR / AMR-WB encoder mode (-1 the highest, AMR 0..7, AMR-WB 0..8).
  if (info.Length() > 11 && !info[11].IsUndefined() && !IntArg(info, 11, -1, 8, spec.codecMode)) return Int(env, ERR_ARG);
  int rc = 0;
  auto f = [&]() { rc = r->mix->SetParticipant(idx, spec); };
  RunOn(r, f);
  return Int(env, rc);
}

// Calls of shape (m, idx): run `op` on the mix. -1 bad index.
template <typename Op>
Napi::Value IdxCall(const Napi::CallbackInfo& info, Op op) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx;
  if (!ParticipantArg(info, 1, idx)) return Int(env, ERR_ARG);
  int rc = 0;
  auto f = [&]() { rc = op(*r->mix, idx); };
  RunOn(r, f);
  return Int(env, rc);
}

// Read-outs of shape (m, idx, out: Float64Array(>= minLen)): `read(mix, idx, out)` fills out on the mix's
// thread and is the result; ERR_ARG, ERR_CLOSED.
template <typename Read>
Napi::Value IdxReadCall(const Napi::CallbackInfo& info, size_t minLen, Read read) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx;
  double* out;
  size_t len;
  if (!ParticipantArg(info, 1, idx) || !Float64ArrayArg(info, 2, out, len) || len < minLen) return Int(env, ERR_ARG);
  int rc = 0;
  auto f = [&]() { rc = read(*r->mix, idx, out); };
  RunOn(r, f);
  return Int(env, rc);
}

Napi::Value MixRemoveParticipant(const Napi::CallbackInfo& info) {
  return IdxCall(info, [](CallMix& m, int idx) { m.RemoveParticipant(idx); return 0; });
}
Napi::Value MixObserve(const Napi::CallbackInfo& info) {
  return IdxCall(info, [](CallMix& m, int idx) { m.Observe(idx); return 0; });
}
Napi::Value MixPrewarm(const Napi::CallbackInfo& info) {
  return IdxCall(info, [](CallMix& m, int idx) { m.Prewarm(idx); return 0; });
}
Napi::Value MixStopPrompts(const Napi::CallbackInfo& info) {
  return IdxCall(info, [](CallMix& m, int idx) { return m.StopPrompts(idx); });
}

Napi::Value MixSetGain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int out, in;
  double g;
  if (!ParticipantArg(info, 1, out) || !ParticipantArg(info, 2, in) || !NumArg(info, 3, g))
    return Int(env, ERR_ARG);
  auto f = [&]() { r->mix->SetGain(out, in, g); };
  RunOn(r, f);
  return Int(env, 0);
}

// (M) mixInjectDtmf(m, fromIdx, code 0..15, volume 0..63, toneVolume 0..63, durationMs, pauseMs, dryRun 0|1):
// how many transcode outputs took (would take) the event; negative on bad arguments.
Napi::Value MixInjectDtmf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx, code, volume, tone, dur, pause, dry;
  if (!ParticipantArg(info, 1, idx) || !IntArg(info, 2, 0, 15, code) || !IntArg(info, 3, 0, 63, volume) || !IntArg(info, 4, 0, 63, tone) ||
      !IntArg(info, 5, 0, 60000, dur) || !IntArg(info, 6, 0, 60000, pause) || !IntArg(info, 7, 0, 1, dry))
    return Int(env, ERR_ARG);
  int rc = 0;
  auto f = [&]() { rc = r->mix->InjectDtmf(idx, code, volume, tone, dur, pause, dry == 1); };
  RunOn(r, f);
  return Int(env, rc);
}

// (M) mixSetTranscodeOptions(m, silenceThreshold 0..32767, cnPayload Uint8Array 1..16 bytes): 0 or negative.
Napi::Value MixSetTranscodeOptions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int threshold;
  uint8_t* payload = nullptr;
  size_t len = 0;
  if (!IntArg(info, 1, 0, 32767, threshold) || !Uint8ArrayArg(info, 2, payload, len) || len < 1 || len > 16) return Int(env, ERR_ARG);
  auto f = [&]() { r->mix->SetTranscodeOptions(threshold, payload, len); };
  RunOn(r, f);
  return Int(env, 0);
}

Napi::Value MixReconfigure(const Napi::CallbackInfo& info) {
  MixRef* r = RefOf(info);
  if (!r) return Int(info.Env(), ERR_CLOSED);
  auto f = [&]() { r->mix->Reconfigure(); };
  RunOn(r, f);
  return Int(info.Env(), 0);
}

Napi::Value MixSetObserved(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx;
  if (!ParticipantArg(info, 1, idx) || info.Length() < 3 || !info[2].IsBoolean()) return Int(env, ERR_ARG);
  const bool on = info[2].As<Napi::Boolean>().Value();
  auto f = [&]() { r->mix->SetObserved(idx, on); };
  RunOn(r, f);
  return Int(env, 0);
}

Napi::Value MixSetTap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int out, src;
  if (!ParticipantArg(info, 1, out) || !IntArg(info, 2, -1, kMaxParticipants - 1, src)) return Int(env, ERR_ARG);
  auto f = [&]() { r->mix->SetTap(out, src); };
  RunOn(r, f);
  return Int(env, 0);
}

// mixSetEchoCanceller(m, idx, refIdx (-1 off), tailMs, residual: boolean): 0, -1 (refused), ERR_ARG, ERR_CLOSED.
// The canceller of idx's direct path (native/src/mix/aec.h; CallMedia.setEchoCanceller).
Napi::Value MixSetEchoCanceller(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx, ref, tail;
  if (!ParticipantArg(info, 1, idx) || !IntArg(info, 2, -1, kMaxParticipants - 1, ref) || !IntArg(info, 3, 0, 2000, tail) ||
      info.Length() < 5 || !info[4].IsBoolean())
    return Int(env, ERR_ARG);
  const bool residual = info[4].As<Napi::Boolean>().Value();
  int rc = 0;
  auto f = [&]() { rc = r->mix->SetEchoCanceller(idx, ref, tail, residual); };
  RunOn(r, f);
  return Int(env, rc);
}

// mixEchoStats(m, idx, out: Float64Array(6)): 1 (out = tailMs, residual, blocks, resyncs, underruns, bypassed), 0 none.
Napi::Value MixEchoStats(const Napi::CallbackInfo& info) {
  return IdxReadCall(info, 6, [](CallMix& m, int idx, double* out) { return m.ReadEchoStats(idx, out) ? 1 : 0; });
}

// (takeover) mixStream(m, idx, out: Float64Array(3)): {ssrc, next seq, next ts} of idx's own stream; 1, or 0 none.
Napi::Value MixStream(const Napi::CallbackInfo& info) {
  return IdxReadCall(info, 3, [](CallMix& m, int idx, double* out) { return m.ReadStream(idx, out) ? 1 : 0; });
}

// (takeover) mixSetStream(m, idx, ssrc, seq, ts): continue another node's stream; 1, or 0 no such output.
Napi::Value MixSetStream(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int idx;
  double ssrc, seq, ts;
  if (!ParticipantArg(info, 1, idx) || !NumArg(info, 2, ssrc) || !NumArg(info, 3, seq) || !NumArg(info, 4, ts)) return Int(env, ERR_ARG);
  if (!(ssrc >= 0 && ssrc <= 4294967295.0 && seq >= 0 && seq <= 65535 && ts >= 0 && ts <= 4294967295.0)) return Int(env, ERR_ARG);
  bool has = false;
  auto f = [&]() { has = r->mix->WriteStream(idx, static_cast<uint32_t>(ssrc), static_cast<int>(seq), static_cast<uint32_t>(ts)); };
  RunOn(r, f);
  return Int(env, has ? 1 : 0);
}

// mixAddPrompt(m, outIdx, pcm: Int16Array, repeat): 0 or -1 (no such output / bad repeat).
Napi::Value MixAddPrompt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int out, repeat;
  int16_t* pcm;
  size_t n;
  if (!ParticipantArg(info, 1, out) || !Int16ArrayArg(info, 2, pcm, n) || !IntArg(info, 3, 1, 1 << 24, repeat))
    return Int(env, ERR_ARG);
  int rc = 0;
  auto f = [&]() { rc = r->mix->AddPrompt(out, pcm, n, repeat); };
  RunOn(r, f);
  return Int(env, rc);
}

// mixSetHeld(m, held): hold (true) or release the mix's output clocks (CallMix::SetHeld). 0, or an error.
Napi::Value MixSetHeld(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  if (info.Length() < 2 || !info[1].IsBoolean()) return Int(env, ERR_ARG);
  const bool held = info[1].As<Napi::Boolean>().Value();
  auto f = [&]() { r->mix->SetHeld(held); };
  RunOn(r, f);
  return Int(env, 0);
}

Napi::Value MixHasPrompts(const Napi::CallbackInfo& info) {
  MixRef* r = RefOf(info);
  bool has = false;
  if (r) {
    auto f = [&]() { has = r->mix->HasPrompts(); };
    RunOn(r, f);
  }
  return Napi::Boolean::New(info.Env(), has);
}

Napi::Value MixSetPromptGain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r = RefOf(info);
  if (!r) return Int(env, ERR_CLOSED);
  int out;
  double g;
  if (!ParticipantArg(info, 1, out) || !NumArg(info, 2, g)) return Int(env, ERR_ARG);
  auto f = [&]() { r->mix->SetPromptGain(out, g); };
  RunOn(r, f);
  return Int(env, 0);
}

// mixStats(m, idx, out: Float64Array(MIX_STATS_SIZE)): 0, -1 no such participant.
Napi::Value MixStats(const Napi::CallbackInfo& info) {
  return IdxReadCall(info, static_cast<size_t>(kStatsSize), [](CallMix& m, int idx, double* out) {
    if (!m.HasOutput(idx)) return -1;
    OutputStats os;
    m.ReadOutputStats(idx, &os);
    std::memcpy(out, &os, sizeof(double) * kOutputStatsCount);
    out[6] = m.DecodeErrors(idx);
    jitter::Stats js;
    const bool has = m.ReadJitterStats(idx, &js);
    out[7] = has ? 1 : 0;
    if (!has) js = jitter::Stats();
    std::memcpy(out + 8, &js, sizeof(double) * jitter::kStatsCount);
    return 0;
  });
}

// mixClose(m): idempotent.
Napi::Value MixClose(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal()) return Int(info.Env(), ERR_ARG);
  Handle* h = info[0].As<Napi::External<Handle>>().Data();
  if (h == nullptr || h->kind != Kind::Mix) return Int(info.Env(), ERR_ARG);
  if (h->state != nullptr) {
    h->free_state(h->state);
    h->state = nullptr;
  }
  return Int(info.Env(), 0);
}

// ---- probe only ----

// mixProbeRtp(m, idx, pkt, len, arrivalMs, fromLatched): 0, ERR_PAYLOAD if not RTP, ERR_ARG.
Napi::Value MixProbeRtp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r;
  int32_t err;
  ProbeSite* p = ProbeArg(info, r, err);
  if (!p) return Int(env, err);
  int idx;
  uint8_t* pkt;
  size_t cap;
  uint32_t len;
  double at;
  if (!ParticipantArg(info, 1, idx) || !Uint8ArrayArg(info, 2, pkt, cap) || !IndexArg(info, 3, static_cast<uint32_t>(cap), len) ||
      !NumArg(info, 4, at) || info.Length() < 6 || !info[5].IsBoolean())
    return Int(env, ERR_ARG);
  rtp::RtpView view;
  if (rtp::ParseRtp(pkt, len, &view) != rtp::V_OK) return Int(env, ERR_PAYLOAD);
  p->probe.now = at;
  r->mix->OnRtp(idx, pkt, len, view, at, info[5].As<Napi::Boolean>().Value());
  return Int(env, 0);
}

Napi::Value MixProbeTick(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r;
  int32_t err;
  ProbeSite* p = ProbeArg(info, r, err);
  if (!p) return Int(env, err);
  double now;
  if (!NumArg(info, 1, now)) return Int(env, ERR_ARG);
  p->probe.now = now;
  r->mix->Tick(now);
  return Int(env, 0);
}

// mixProbeSetNow(m, nowMs): the probe's clock (what NowMs() answers, e.g. for mixReconfigure) until the next packet/tick.
Napi::Value MixProbeSetNow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r;
  int32_t err;
  ProbeSite* p = ProbeArg(info, r, err);
  if (!p) return Int(env, err);
  double now;
  if (!NumArg(info, 1, now)) return Int(env, ERR_ARG);
  p->probe.now = now;
  return Int(env, 0);
}

Napi::Value MixProbeSetDestination(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r;
  int32_t err;
  ProbeSite* p = ProbeArg(info, r, err);
  if (!p) return Int(env, err);
  int idx;
  if (!ParticipantArg(info, 1, idx) || info.Length() < 3 || !info[2].IsBoolean()) return Int(env, ERR_ARG);
  p->probe.dest[idx] = info[2].As<Napi::Boolean>().Value();
  return Int(env, 0);
}

// mixProbeDrain(m, buf): whole records that fit, bytes written; the rest stays for the next call.
Napi::Value MixProbeDrain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r;
  int32_t err;
  ProbeSite* p = ProbeArg(info, r, err);
  if (!p) return Int(env, err);
  uint8_t* buf;
  size_t cap;
  if (!Uint8ArrayArg(info, 1, buf, cap)) return Int(env, ERR_ARG);
  ProbeHost& h = p->probe;
  size_t w = 0;
  while (h.head < h.out.size()) {
    uint32_t size;
    std::memcpy(&size, h.out.data() + h.head, 4);
    if (w + size > cap) break;
    std::memcpy(buf + w, h.out.data() + h.head, size);
    w += size;
    h.head += size;
  }
  if (h.head == h.out.size()) {
    h.out.clear();
    h.head = 0;
  }
  return Int(env, static_cast<int32_t>(w));
}

// mixProbeDrops(m, out: Float64Array(16)): the probe's CountDrop counters by DropReason. 0.
Napi::Value MixProbeDrops(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MixRef* r;
  int32_t err;
  ProbeSite* p = ProbeArg(info, r, err);
  if (!p) return Int(env, err);
  double* out;
  size_t len;
  if (!Float64ArrayArg(info, 1, out, len)) return Int(env, ERR_ARG);
  for (size_t i = 0; i < len && i < 16; i++) out[i] = p->probe.drops[i];
  return Int(env, 0);
}

}  // namespace

MixRef* UnwrapMix(const Napi::Value& v) {
  if (!v.IsExternal()) return nullptr;
  Handle* h = v.As<Napi::External<Handle>>().Data();
  if (h == nullptr || h->kind != Kind::Mix || h->state == nullptr) return nullptr;
  MixRef* r = static_cast<MixRef*>(h->state);
  return r->mix ? r : nullptr;
}

void InitMix(Napi::Env env, Napi::Object exports) {
  exports.Set("mixCreate", Napi::Function::New(env, MixCreate, "mixCreate"));
  exports.Set("mixProbeCreate", Napi::Function::New(env, MixProbeCreate, "mixProbeCreate"));
  exports.Set("mixId", Napi::Function::New(env, MixId, "mixId"));
  exports.Set("mixThreadOf", Napi::Function::New(env, MixThreadOf, "mixThreadOf"));
  exports.Set("mixSetParticipant", Napi::Function::New(env, MixSetParticipant, "mixSetParticipant"));
  exports.Set("mixRemoveParticipant", Napi::Function::New(env, MixRemoveParticipant, "mixRemoveParticipant"));
  exports.Set("mixSetGain", Napi::Function::New(env, MixSetGain, "mixSetGain"));
  exports.Set("mixSetTranscodeOptions", Napi::Function::New(env, MixSetTranscodeOptions, "mixSetTranscodeOptions"));
  exports.Set("mixInjectDtmf", Napi::Function::New(env, MixInjectDtmf, "mixInjectDtmf"));
  exports.Set("mixReconfigure", Napi::Function::New(env, MixReconfigure, "mixReconfigure"));
  exports.Set("mixObserve", Napi::Function::New(env, MixObserve, "mixObserve"));
  exports.Set("mixPrewarm", Napi::Function::New(env, MixPrewarm, "mixPrewarm"));
  exports.Set("mixSetObserved", Napi::Function::New(env, MixSetObserved, "mixSetObserved"));
  exports.Set("mixSetTap", Napi::Function::New(env, MixSetTap, "mixSetTap"));
  exports.Set("mixSetEchoCanceller", Napi::Function::New(env, MixSetEchoCanceller, "mixSetEchoCanceller"));
  exports.Set("mixEchoStats", Napi::Function::New(env, MixEchoStats, "mixEchoStats"));
  exports.Set("mixAddPrompt", Napi::Function::New(env, MixAddPrompt, "mixAddPrompt"));
  exports.Set("mixStopPrompts", Napi::Function::New(env, MixStopPrompts, "mixStopPrompts"));
  exports.Set("mixHasPrompts", Napi::Function::New(env, MixHasPrompts, "mixHasPrompts"));
  exports.Set("mixSetHeld", Napi::Function::New(env, MixSetHeld, "mixSetHeld"));
  exports.Set("mixSetPromptGain", Napi::Function::New(env, MixSetPromptGain, "mixSetPromptGain"));
  exports.Set("mixStats", Napi::Function::New(env, MixStats, "mixStats"));
  exports.Set("mixStream", Napi::Function::New(env, MixStream, "mixStream"));
  exports.Set("mixSetStream", Napi::Function::New(env, MixSetStream, "mixSetStream"));
  exports.Set("mixClose", Napi::Function::New(env, MixClose, "mixClose"));
  exports.Set("mixProbeRtp", Napi::Function::New(env, MixProbeRtp, "mixProbeRtp"));
  exports.Set("mixProbeTick", Napi::Function::New(env, MixProbeTick, "mixProbeTick"));
  exports.Set("mixProbeSetNow", Napi::Function::New(env, MixProbeSetNow, "mixProbeSetNow"));
  exports.Set("mixProbeSetDestination", Napi::Function::New(env, MixProbeSetDestination, "mixProbeSetDestination"));
  exports.Set("mixProbeDrain", Napi::Function::New(env, MixProbeDrain, "mixProbeDrain"));
  exports.Set("mixProbeDrops", Napi::Function::New(env, MixProbeDrops, "mixProbeDrops"));
  exports.Set("MIX_STATS_SIZE", Napi::Number::New(env, kStatsSize));
}

}  // namespace mix
}  // namespace wn
