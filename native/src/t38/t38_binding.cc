// T.38 fax gateway (rtpengine's `T.38` flag): spandsp's t38_gateway between one G.711 audio side (fax
// modem tones) and one T.38 side (IFP packets over UDPTL, framed by udptl.h), plus a fax-terminal probe
// for tests. Driven from TypeScript (src/media/t38Gateway.ts) on Node's thread: one call per received
// datagram / RTP payload, one call per 20 ms audio frame, outgoing UDPTL datagrams taken from a fixed
// queue. The caller provides every buffer; nothing is allocated after creation.
//
//   t38GatewayCreate(opts): handle     opts: { alaw, version, ecEntries, fecSpan, maxDatagram, noEcm,
//                                              noV17, noV27ter, noV29, noV34, noIaf, localTcf }
//   t38GatewayAudioIn(h, buf, off, len, alaw?): samples fed (G.711 payload bytes; law = the gateway's
//     unless given), or < 0
//   t38GatewayAudioOut(h, buf, off): 160 (a 20 ms G.711 frame written at buf[off..off+160)), or < 0
//   t38GatewayUdptlIn(h, buf, off, len): UdptlVerdict (0 ok, > 0 dropped as malformed), or < 0
//   t38GatewayUdptlOut(h, buf, off): length of the next queued UDPTL datagram copied to buf[off..], 0 if none
//   t38GatewayStats(h, out: Float64Array(12)): 0
//   t38GatewaySetLaw(h, alaw): 0
//
//   faxProbeCreate({ t38, caller, send, file, alaw, ecm, fecSpan, ecEntries }): handle — a spandsp fax terminal: audio
//     (fax_state, G.711) or T.38 (t38_terminal over UDPTL); `send` transmits the TIFF `file`, else
//     receives into it. Same In/Out functions as the gateway (faxProbeAudioIn/Out, faxProbeUdptlIn/Out),
//     faxProbeTick(h) advances a T.38 terminal by 20 ms, faxProbeResult(h, out Float64Array(4)):
//     [phase E completion code (-1 = not yet), pages transferred, bit rate, T.30 status, (out[4] if
//     present) 1 if ECM was used].
#include "t38_binding.h"

#include <cstring>
#include <string>

#include <spandsp/telephony.h>
#include <spandsp/logging.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include <spandsp/t38_core.h>
#include <spandsp/t30.h>
#include <spandsp/t30_api.h>
#include <spandsp/t38_gateway.h>
#include <spandsp/t38_terminal.h>
#include <spandsp/fax.h>

#include "../handle.h"
#include "udptl.h"

namespace wn {
namespace t38 {
namespace {

constexpr int kFrame = 160;      // 20 ms at 8 kHz
constexpr size_t kQueue = 32;    // outgoing datagrams waiting to be taken

// Outgoing UDPTL datagrams (a ring; a full ring drops the newest and counts it).
struct OutQueue {
  uint8_t data[kQueue][kMaxDatagram];
  uint16_t len[kQueue];
  uint32_t head = 0, tail = 0;
  double dropped = 0;
  uint8_t* Reserve() {
    if (tail - head >= kQueue) {
      dropped++;
      return nullptr;
    }
    return data[tail % kQueue];
  }
  void Commit(size_t n) { len[tail++ % kQueue] = static_cast<uint16_t>(n); }
  size_t Take(uint8_t* out, size_t cap) {
    if (head == tail) return 0;
    const size_t n = len[head % kQueue];
    if (n > cap) {
      head++;
      dropped++;
      return 0;
    }
    std::memcpy(out, data[head % kQueue], n);
    head++;
    return n;
  }
};

struct UdptlSide {
  UdptlRx rx;
  UdptlTx tx;
  OutQueue q;
  double ifp_out = 0, oversize = 0;

  // t38_tx_packet_handler_t body: frame `buf` `count` times (spandsp repeats indicators for safety).
  void Send(const uint8_t* buf, int len, int count) {
    if (len < 0 || static_cast<size_t>(len) > kMaxIfp) {
      oversize++;
      return;
    }
    if (count < 1) count = 1;
    if (count > 3) count = 3;
    uint8_t* first = q.Reserve();
    if (!first) return;
    const size_t n = tx.Build(buf, static_cast<size_t>(len), first, kMaxDatagram);
    if (n == 0) {
      oversize++;
      return;
    }
    q.Commit(n);
    ifp_out++;
    // Repeats are the same datagram (same sequence number): the receiver drops them as duplicates once
    // one arrived.
    for (int i = 1; i < count; i++) {
      uint8_t* again = q.Reserve();
      if (!again) break;
      std::memcpy(again, first, n);
      q.Commit(n);
    }
  }
};

inline void Expand(const uint8_t* in, int16_t* out, int n, bool alaw) {
  for (int i = 0; i < n; i++) out[i] = alaw ? alaw_to_linear(in[i]) : ulaw_to_linear(in[i]);
}
inline void Compress(const int16_t* in, uint8_t* out, int n, bool alaw) {
  for (int i = 0; i < n; i++) out[i] = alaw ? linear_to_alaw(in[i]) : linear_to_ulaw(in[i]);
}

// The audio-out call the gateway and the fax probe share: (state, buffer, offset) gets one frame of
// `tx(samples, kFrame)` (spandsp's t38_gateway_tx / fax_tx), padded with silence and companded at the
// offset. Returns kFrame, or ERR_ARG / ERR_SPACE.
template <typename Tx>
int32_t FrameOut(const Napi::CallbackInfo& info, bool alaw, Tx tx) {
  uint8_t* p;
  size_t cap;
  uint32_t off;
  if (!Uint8ArrayArg(info, 1, p, cap) || !IndexArg(info, 2, UINT32_MAX, off) || off > cap) return ERR_ARG;
  if (cap - off < static_cast<size_t>(kFrame)) return ERR_SPACE;
  int16_t smp[kFrame];
  int got = tx(smp);
  if (got < 0) got = 0;
  if (got < kFrame) std::memset(smp + got, 0, sizeof(int16_t) * (kFrame - got));
  Compress(smp, p + off, kFrame, alaw);
  return kFrame;
}

// The UDPTL calls the gateway and the fax probe share, after their state checks. In: (state, datagram),
// each IFP of a datagram not seen before goes to `core`. Out: (state, buffer, offset), the next queued
// datagram written at the offset, its length returned (0: none).
Napi::Value UdptlIn(const Napi::CallbackInfo& info, UdptlSide& u, t38_core_state_t* core) {
  uint8_t* p;
  uint32_t n;
  if (!Uint8SpanArg(info, 1, 65536, p, n)) return Int(info.Env(), ERR_ARG);
  return Int(info.Env(), u.rx.Rx(p, n, [core](const uint8_t* ifp, size_t len, uint16_t seq) {
    t38_core_rx_ifp_packet(core, ifp, static_cast<int>(len), seq);
  }));
}

Napi::Value UdptlOut(const Napi::CallbackInfo& info, UdptlSide& u) {
  uint8_t* p;
  size_t cap;
  uint32_t off;
  if (!Uint8ArrayArg(info, 1, p, cap) || !IndexArg(info, 2, UINT32_MAX, off) || off > cap) return Int(info.Env(), ERR_ARG);
  return Int(info.Env(), static_cast<int32_t>(u.q.Take(p + off, cap - off)));
}

void Quiet(logging_state_t* ls) {
  if (ls) span_log_set_level(ls, 0);
}

// ---- gateway ----

struct Gateway {
  t38_gateway_state_t* gw = nullptr;
  bool alaw = true;
  UdptlSide udptl;
  int16_t pcm[kMaxDatagram];
  double audio_in = 0, audio_out = 0, audio_left = 0;
  ~Gateway() {
    if (gw) t38_gateway_free(gw);
  }
};

int GatewayTx(t38_core_state_t*, void* user, const uint8_t* buf, int len, int count) {
  static_cast<Gateway*>(user)->udptl.Send(buf, len, count);
  return 0;
}

void FreeGateway(void* s) { delete static_cast<Gateway*>(s); }

bool OptInt(Napi::Object o, const char* key, int min, int max, int& out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsNumber()) return false;
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || static_cast<double>(static_cast<int>(d)) != d) return false;
  out = static_cast<int>(d);
  return true;
}
bool OptBool(Napi::Object o, const char* key, bool& out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsBoolean()) return false;
  out = v.As<Napi::Boolean>().Value();
  return true;
}

Napi::Value GatewayCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "t38GatewayCreate(opts)").ThrowAsJavaScriptException();
    return env.Null();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  int version = 0, ec = 3, span = 1, maxDatagram = 512;
  bool alaw = true, noEcm = false, noV17 = false, noV27 = false, noV29 = false, noV34 = false, noIaf = false,
       localTcf = false;
  const bool ok = OptInt(o, "version", 0, 3, version) && OptInt(o, "ecEntries", 0, 15, ec) &&
                  OptInt(o, "fecSpan", 1, 15, span) && OptInt(o, "maxDatagram", 16, 16383, maxDatagram) &&
                  OptBool(o, "alaw", alaw) && OptBool(o, "noEcm", noEcm) && OptBool(o, "noV17", noV17) &&
                  OptBool(o, "noV27ter", noV27) && OptBool(o, "noV29", noV29) && OptBool(o, "noV34", noV34) &&
                  OptBool(o, "noIaf", noIaf) && OptBool(o, "localTcf", localTcf);
  if (!ok) {
    Napi::RangeError::New(env, "t38GatewayCreate: bad option").ThrowAsJavaScriptException();
    return env.Null();
  }
  auto* g = new Gateway();
  g->alaw = alaw;
  g->udptl.tx.ec_entries = static_cast<uint32_t>(ec);
  g->udptl.tx.fec_span = static_cast<uint32_t>(span);
  g->udptl.tx.max_datagram = static_cast<uint32_t>(maxDatagram < static_cast<int>(kMaxDatagram) ? maxDatagram : kMaxDatagram);
  g->gw = t38_gateway_init(nullptr, GatewayTx, g);
  if (!g->gw) {
    delete g;
    Napi::Error::New(env, "spandsp t38_gateway_init failed").ThrowAsJavaScriptException();
    return env.Null();
  }
  t38_core_state_t* core = t38_gateway_get_t38_core_state(g->gw);
  t38_gateway_set_ecm_capability(g->gw, noEcm ? 0 : 1);
  t38_gateway_set_transmit_on_idle(g->gw, 1);
  t38_gateway_set_supported_modems(g->gw, (noV17 ? 0 : T30_SUPPORT_V17) | (noV27 ? 0 : T30_SUPPORT_V27TER) |
                                              (noV29 ? 0 : T30_SUPPORT_V29) | (noV34 ? 0 : T30_SUPPORT_V34HDX) |
                                              (noIaf ? 0 : T30_SUPPORT_IAF));
  t38_set_t38_version(core, version);
  t38_set_data_rate_management_method(core, localTcf ? 1 : 2);
  t38_set_fill_bit_removal(core, 0);
  // Our IFPs must leave room for the UDPTL header and redundancy inside the peer's datagram limit.
  t38_set_max_datagram_size(core, maxDatagram > 400 ? 400 : maxDatagram);
  Quiet(t38_gateway_get_logging_state(g->gw));
  Quiet(t38_core_get_logging_state(core));
  return MakeHandle(env, Kind::T38Gateway, g, FreeGateway);
}

Napi::Value GatewayAudioIn(const Napi::CallbackInfo& info) {
  auto* g = static_cast<Gateway*>(StateOf(info, 0, Kind::T38Gateway));
  if (!g) return Int(info.Env(), ERR_CLOSED);
  uint8_t* p;
  uint32_t n;
  if (!Uint8SpanArg(info, 1, kMaxDatagram, p, n)) return Int(info.Env(), ERR_ARG);
  // Optional 5th argument: this payload's law (a party may send either G.711 it offered).
  bool alaw = g->alaw;
  if (info.Length() > 4 && !info[4].IsUndefined()) {
    if (!info[4].IsBoolean()) return Int(info.Env(), ERR_ARG);
    alaw = info[4].As<Napi::Boolean>().Value();
  }
  Expand(p, g->pcm, static_cast<int>(n), alaw);
  const int left = t38_gateway_rx(g->gw, g->pcm, static_cast<int>(n));
  g->audio_in += n;
  if (left > 0) g->audio_left += left;
  return Int(info.Env(), static_cast<int32_t>(n));
}

Napi::Value GatewayAudioOut(const Napi::CallbackInfo& info) {
  auto* g = static_cast<Gateway*>(StateOf(info, 0, Kind::T38Gateway));
  if (!g) return Int(info.Env(), ERR_CLOSED);
  const int32_t r = FrameOut(info, g->alaw, [g](int16_t* smp) { return t38_gateway_tx(g->gw, smp, kFrame); });
  if (r > 0) g->audio_out += r;
  return Int(info.Env(), r);
}

Napi::Value GatewayUdptlIn(const Napi::CallbackInfo& info) {
  auto* g = static_cast<Gateway*>(StateOf(info, 0, Kind::T38Gateway));
  if (!g) return Int(info.Env(), ERR_CLOSED);
  return UdptlIn(info, g->udptl, t38_gateway_get_t38_core_state(g->gw));
}

Napi::Value GatewayUdptlOut(const Napi::CallbackInfo& info) {
  auto* g = static_cast<Gateway*>(StateOf(info, 0, Kind::T38Gateway));
  if (!g) return Int(info.Env(), ERR_CLOSED);
  return UdptlOut(info, g->udptl);
}

Napi::Value GatewaySetLaw(const Napi::CallbackInfo& info) {
  auto* g = static_cast<Gateway*>(StateOf(info, 0, Kind::T38Gateway));
  if (!g) return Int(info.Env(), ERR_CLOSED);
  if (info.Length() < 2 || !info[1].IsBoolean()) return Int(info.Env(), ERR_ARG);
  g->alaw = info[1].As<Napi::Boolean>().Value();
  return Int(info.Env(), 0);
}

// out: [udptl datagrams, malformed, duplicates, recovered, lost, ifp delivered, ifp sent, queue drops,
//       oversize, audio samples in, audio samples out, samples the gateway left unprocessed]
Napi::Value GatewayStats(const Napi::CallbackInfo& info) {
  auto* g = static_cast<Gateway*>(StateOf(info, 0, Kind::T38Gateway));
  if (!g) return Int(info.Env(), ERR_CLOSED);
  double* o;
  size_t n;
  if (!Float64ArrayArg(info, 1, o, n) || n < 12) return Int(info.Env(), ERR_ARG);
  const UdptlRx& r = g->udptl.rx;
  const double v[12] = {r.datagrams, r.bad,           r.duplicates,          r.recovered,    r.lost,        r.delivered,
                        g->udptl.ifp_out, g->udptl.q.dropped, g->udptl.oversize, g->audio_in, g->audio_out, g->audio_left};
  for (int i = 0; i < 12; i++) o[i] = v[i];
  return Int(info.Env(), 0);
}

// ---- fax terminal probe (tests) ----

struct Probe {
  bool t38 = false;
  bool alaw = true;
  fax_state_t* fax = nullptr;
  t38_terminal_state_t* term = nullptr;
  UdptlSide udptl;
  int completion = -1;
  int16_t pcm[kMaxDatagram];
  ~Probe() {
    if (fax) fax_free(fax);
    if (term) t38_terminal_free(term);
  }
  t30_state_t* T30() { return t38 ? t38_terminal_get_t30_state(term) : fax_get_t30_state(fax); }
};

int ProbeTx(t38_core_state_t*, void* user, const uint8_t* buf, int len, int count) {
  static_cast<Probe*>(user)->udptl.Send(buf, len, count);
  return 0;
}
void ProbePhaseE(t30_state_t*, void* user, int code) { static_cast<Probe*>(user)->completion = code; }
void FreeProbe(void* s) { delete static_cast<Probe*>(s); }

Napi::Value ProbeCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "faxProbeCreate(opts)").ThrowAsJavaScriptException();
    return env.Null();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  bool t38 = false, caller = true, send = true, alaw = true, ecm = false;
  int fecSpan = 1, ecEntries = 3;
  if (!OptBool(o, "t38", t38) || !OptBool(o, "caller", caller) || !OptBool(o, "send", send) ||
      !OptBool(o, "alaw", alaw) || !OptBool(o, "ecm", ecm) || !OptInt(o, "fecSpan", 1, 15, fecSpan) ||
      !OptInt(o, "ecEntries", 0, 15, ecEntries) || !o.Get("file").IsString()) {
    Napi::RangeError::New(env, "faxProbeCreate: bad option").ThrowAsJavaScriptException();
    return env.Null();
  }
  const std::string file = o.Get("file").As<Napi::String>().Utf8Value();
  auto* p = new Probe();
  p->t38 = t38;
  p->alaw = alaw;
  p->udptl.tx.fec_span = static_cast<uint32_t>(fecSpan);
  p->udptl.tx.ec_entries = static_cast<uint32_t>(ecEntries);
  if (t38) {
    p->term = t38_terminal_init(nullptr, caller ? 1 : 0, ProbeTx, p);
    if (p->term) {
      t38_set_t38_version(t38_terminal_get_t38_core_state(p->term), 0);
      t38_terminal_set_config(p->term, 0);
      t38_terminal_set_tep_mode(p->term, 0);
      Quiet(t38_terminal_get_logging_state(p->term));
    }
  } else {
    p->fax = fax_init(nullptr, caller ? 1 : 0);
    if (p->fax) {
      fax_set_transmit_on_idle(p->fax, 1);
      fax_set_tep_mode(p->fax, 0);
      Quiet(fax_get_logging_state(p->fax));
    }
  }
  if (!p->fax && !p->term) {
    delete p;
    Napi::Error::New(env, "spandsp fax init failed").ThrowAsJavaScriptException();
    return env.Null();
  }
  t30_state_t* t30 = p->T30();
  t30_set_supported_modems(t30, T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17);
  t30_set_tx_ident(t30, send ? "11111111" : "22222222");
  t30_set_ecm_capability(t30, ecm ? 1 : 0);
  if (ecm)
    t30_set_supported_compressions(t30, T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION);
  if (send) t30_set_tx_file(t30, file.c_str(), -1, -1);
  else t30_set_rx_file(t30, file.c_str(), -1);
  t30_set_phase_e_handler(t30, ProbePhaseE, p);
  Quiet(t30_get_logging_state(t30));
  return MakeHandle(env, Kind::FaxProbe, p, FreeProbe);
}

Napi::Value ProbeAudioIn(const Napi::CallbackInfo& info) {
  auto* p = static_cast<Probe*>(StateOf(info, 0, Kind::FaxProbe));
  if (!p || p->t38) return Int(info.Env(), ERR_CLOSED);
  uint8_t* b;
  uint32_t n;
  if (!Uint8SpanArg(info, 1, kMaxDatagram, b, n)) return Int(info.Env(), ERR_ARG);
  Expand(b, p->pcm, static_cast<int>(n), p->alaw);
  fax_rx(p->fax, p->pcm, static_cast<int>(n));
  return Int(info.Env(), static_cast<int32_t>(n));
}

Napi::Value ProbeAudioOut(const Napi::CallbackInfo& info) {
  auto* p = static_cast<Probe*>(StateOf(info, 0, Kind::FaxProbe));
  if (!p || p->t38) return Int(info.Env(), ERR_CLOSED);
  return Int(info.Env(), FrameOut(info, p->alaw, [p](int16_t* smp) { return fax_tx(p->fax, smp, kFrame); }));
}

Napi::Value ProbeUdptlIn(const Napi::CallbackInfo& info) {
  auto* p = static_cast<Probe*>(StateOf(info, 0, Kind::FaxProbe));
  if (!p || !p->t38) return Int(info.Env(), ERR_CLOSED);
  return UdptlIn(info, p->udptl, t38_terminal_get_t38_core_state(p->term));
}

Napi::Value ProbeUdptlOut(const Napi::CallbackInfo& info) {
  auto* p = static_cast<Probe*>(StateOf(info, 0, Kind::FaxProbe));
  if (!p || !p->t38) return Int(info.Env(), ERR_CLOSED);
  return UdptlOut(info, p->udptl);
}

Napi::Value ProbeTick(const Napi::CallbackInfo& info) {
  auto* p = static_cast<Probe*>(StateOf(info, 0, Kind::FaxProbe));
  if (!p || !p->t38) return Int(info.Env(), ERR_CLOSED);
  return Int(info.Env(), t38_terminal_send_timeout(p->term, kFrame));
}

Napi::Value ProbeResult(const Napi::CallbackInfo& info) {
  auto* p = static_cast<Probe*>(StateOf(info, 0, Kind::FaxProbe));
  if (!p) return Int(info.Env(), ERR_CLOSED);
  double* o;
  size_t n;
  if (!Float64ArrayArg(info, 1, o, n) || n < 4) return Int(info.Env(), ERR_ARG);
  t30_stats_t st;
  std::memset(&st, 0, sizeof st);
  t30_get_transfer_statistics(p->T30(), &st);
  o[0] = p->completion;
  o[1] = st.pages_tx > st.pages_rx ? st.pages_tx : st.pages_rx;
  o[2] = st.bit_rate;
  o[3] = st.current_status;
  if (n >= 5) o[4] = st.error_correcting_mode;
  return Int(info.Env(), 0);
}

}  // namespace
}  // namespace t38

void InitT38(Napi::Env env, Napi::Object exports) {
  using namespace t38;
  exports.Set("t38GatewayCreate", Napi::Function::New(env, GatewayCreate, "t38GatewayCreate"));
  exports.Set("t38GatewayAudioIn", Napi::Function::New(env, GatewayAudioIn, "t38GatewayAudioIn"));
  exports.Set("t38GatewayAudioOut", Napi::Function::New(env, GatewayAudioOut, "t38GatewayAudioOut"));
  exports.Set("t38GatewayUdptlIn", Napi::Function::New(env, GatewayUdptlIn, "t38GatewayUdptlIn"));
  exports.Set("t38GatewayUdptlOut", Napi::Function::New(env, GatewayUdptlOut, "t38GatewayUdptlOut"));
  exports.Set("t38GatewaySetLaw", Napi::Function::New(env, GatewaySetLaw, "t38GatewaySetLaw"));
  exports.Set("t38GatewayStats", Napi::Function::New(env, GatewayStats, "t38GatewayStats"));
  exports.Set("faxProbeCreate", Napi::Function::New(env, ProbeCreate, "faxProbeCreate"));
  exports.Set("faxProbeAudioIn", Napi::Function::New(env, ProbeAudioIn, "faxProbeAudioIn"));
  exports.Set("faxProbeAudioOut", Napi::Function::New(env, ProbeAudioOut, "faxProbeAudioOut"));
  exports.Set("faxProbeUdptlIn", Napi::Function::New(env, ProbeUdptlIn, "faxProbeUdptlIn"));
  exports.Set("faxProbeUdptlOut", Napi::Function::New(env, ProbeUdptlOut, "faxProbeUdptlOut"));
  exports.Set("faxProbeTick", Napi::Function::New(env, ProbeTick, "faxProbeTick"));
  exports.Set("faxProbeResult", Napi::Function::New(env, ProbeResult, "faxProbeResult"));
}

}  // namespace wn
