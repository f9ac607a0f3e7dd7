// Native relay fast path. See relay.h, src/media/nativeRelay.ts and native/README.md ("Native relay").
//
// Mechanism (Node 20 / libuv 1.46, Linux): JS stops Node's reading on both sockets of both endpoints
// (`handle.recvStop()`), then relayStart() polls F_DUPFD_CLOEXEC copies of their fds with uv_poll on
// Node's loop. Using our own fd numbers means libuv never sees two watchers on one fd (libuv keeps one
// watcher slot per fd; a second uv__io_t on the same fd would overwrite the epoll mask), so Node may
// still send on its own fd while we poll ours, and closing Node's socket can never leave a stale
// watcher behind. relayStop() stops and closes our poll handles and dup fds synchronously (uv_poll_stop
// removes the fd from epoll before we close it); the native state is freed in the close callbacks.
#include "relay.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "handle.h"
#include "rtp/parse.h"

namespace wn {
namespace {

// Per-endpoint state slots (Float64Array shared with JS; mirrored in src/media/nativeRelay.ts).
enum Slot : int {
  REMOTE_ADDR = 0,       // IPv4, host order; 0 = '' (unknown / on hold)
  REMOTE_PORT = 1,
  REMOTE_RTCP_PORT = 2,
  RTP_LATCHED = 3,
  RTCP_LATCHED = 4,
  LEARNING = 5,          // Learning.OFF/IMMEDIATE/DELAYED
  STRICT_SOURCE = 6,
  MEDIA_HANDOVER = 7,
  LEARNING_START = 8,    // performance.now() ms
  LAST_SSRC = 9,
  RTP_PACKETS = 10,
  RTP_BYTES = 11,
  RTP_ERRORS = 12,
  RTCP_PACKETS = 13,
  RTCP_BYTES = 14,
  RTCP_ERRORS = 15,
  SLOT_COUNT = 16,
};

// Global counters (mediaCounters.values; src/media/counters.ts).
enum Counter : int {
  RTP_PACKETS_IN = 0, RTP_BYTES_IN, RTP_PACKETS_OUT, RTP_BYTES_OUT,
  RTCP_PACKETS_IN, RTCP_BYTES_IN, RTCP_PACKETS_OUT, RTCP_BYTES_OUT, COUNTER_COUNT,
};

// DropReason (src/media/counters.ts).
enum Drop : int {
  D_TOO_SHORT = 0, D_BAD_VERSION, D_BAD_CSRC, D_BAD_EXTENSION, D_BAD_PADDING, D_NOT_RTCP,
  D_STRICT_SOURCE, D_NO_DESTINATION, D_SEND_ERROR, D_INTERNAL, D_OWN_ADDRESS, D_FOREIGN_SOURCE,
  D_BAD_PAYLOAD_TYPE, D_LATE_OR_DUPLICATE, D_OVER_RATE, DROP_COUNT,
};

// whisperd's own sockets (OwnSockets.native, src/media/ownSockets.ts): [portMin, portMax, count, addr…].
enum OwnSlot : int { OWN_PORT_MIN = 0, OWN_PORT_MAX = 1, OWN_COUNT = 2, OWN_ADDR0 = 3, OWN_MAX_ADDRESSES = 16 };
constexpr size_t OWN_SIZE = OWN_ADDR0 + OWN_MAX_ADDRESSES;

// Packet parsing (RtpVerdict, ParseRtp, PlausibleRtcp): the pure parsers in rtp/parse.h.
using rtp::ParseRtp;
using rtp::PlausibleRtcp;
using rtp::RtpView;
using rtp::V_OK;
using rtp::V_RTCP;

enum Learning : int { L_OFF = 0, L_IMMEDIATE = 1, L_DELAYED = 2 };

constexpr double DELAYED_LEARNING_MS = 3000;
constexpr int BATCH = 64;
constexpr int MAX_ROUNDS = 8;          // batches per readable event before yielding to the loop
constexpr size_t SLOT_BYTES = 65536;   // what libuv/Node reads per datagram: same acceptance as JS
constexpr size_t SLOT_STRIDE = SLOT_BYTES + 64;  // avoid every slot header aliasing one cache set
constexpr Kind KIND_RELAY = static_cast<Kind>(5);

double* g_counters = nullptr;
double* g_drops = nullptr;
double g_clock_offset_ms = 0;  // uv_hrtime ms minus performance.now()
uint8_t* g_buf = nullptr;
mmsghdr g_rx[BATCH];
iovec g_rx_iov[BATCH];
sockaddr_in g_rx_addr[BATCH];
mmsghdr g_tx[BATCH];
iovec g_tx_iov[BATCH];
int g_live = 0;  // native endpoints not yet freed (tests check for leaks)

struct Ep;
struct Poll {
  uv_poll_t h;
  Ep* ep;
  bool rtcp;
};

struct Ep {
  Poll rtp;
  Poll rtcp;
  int rtp_fd = -1;
  int rtcp_fd = -1;
  double* s = nullptr;
  const double* own = nullptr;  // may be null: no own-socket check
  napi_env env = nullptr;
  napi_ref state_ref = nullptr;
  napi_ref own_ref = nullptr;
  Ep* peer = nullptr;
  int open_handles = 0;
  bool stopped = false;
};

inline double NowMs() { return static_cast<double>(uv_hrtime()) / 1e6 - g_clock_offset_ms; }

// OwnSockets.has: is addr:port one of whisperd's own media sockets? A range compare, then at most
// OWN_MAX_ADDRESSES compares.
inline bool IsOwn(const double* o, uint32_t addr, double port) {
  if (o == nullptr || port < o[OWN_PORT_MIN] || port > o[OWN_PORT_MAX]) return false;
  const int n = static_cast<int>(o[OWN_COUNT]);
  for (int i = 0; i < n && i < OWN_MAX_ADDRESSES; i++)
    if (static_cast<double>(addr) == o[OWN_ADDR0 + i]) return true;
  return false;
}

inline void Latch(double* s, uint32_t addr, uint32_t port, bool rtcp) {
  if (rtcp) {
    s[REMOTE_RTCP_PORT] = port;
    s[RTCP_LATCHED] = 1;
    if (s[RTP_LATCHED] == 0) s[REMOTE_ADDR] = addr;
  } else {
    s[REMOTE_ADDR] = addr;
    s[REMOTE_PORT] = port;
    s[RTP_LATCHED] = 1;
    // RTCP beside RTP only if that port exists (RtpEndpoint.latch): from 65535 it stays unknown.
    if (s[RTCP_LATCHED] == 0) s[REMOTE_RTCP_PORT] = port < 65535 ? static_cast<double>(port) + 1 : 0;
  }
}

// RtpEndpoint.checkSource, rule for rule.
inline bool CheckSource(double* s, uint32_t addr, uint32_t port, bool rtcp) {
  const bool latched = (rtcp ? s[RTCP_LATCHED] : s[RTP_LATCHED]) != 0;
  const double expected_port = rtcp ? s[REMOTE_RTCP_PORT] : s[REMOTE_PORT];
  // remote address 0 stands for '' in JS, which no source address equals.
  const bool same = static_cast<double>(port) == expected_port && addr != 0 && static_cast<double>(addr) == s[REMOTE_ADDR];
  if (latched) {
    if (same) return true;
    if (s[MEDIA_HANDOVER] != 0) {
      Latch(s, addr, port, rtcp);
      return true;
    }
    if (s[STRICT_SOURCE] != 0) {
      s[rtcp ? RTCP_ERRORS : RTP_ERRORS]++;
      g_drops[D_STRICT_SOURCE]++;
      return false;
    }
    return true;
  }
  switch (static_cast<int>(s[LEARNING])) {
    case L_OFF:
      if (s[STRICT_SOURCE] != 0 && !same) {
        s[rtcp ? RTCP_ERRORS : RTP_ERRORS]++;
        g_drops[D_STRICT_SOURCE]++;
        return false;
      }
      return true;
    case L_IMMEDIATE:
      Latch(s, addr, port, rtcp);
      return true;
    case L_DELAYED:
      if (same || s[REMOTE_PORT] == 0 || NowMs() - s[LEARNING_START] >= DELAYED_LEARNING_MS) Latch(s, addr, port, rtcp);
      return true;
  }
  return true;
}

// Send tx[0..n) out of fd; a datagram the kernel refuses is counted like a dgram 'error' event on the
// sending endpoint (RtpEndpoint.onSocketError: rtpStats.errors + send_error) and skipped.
void Flush(Ep* sender, int fd, int n) {
  int done = 0;
  while (done < n) {
    const int r = sendmmsg(fd, g_tx + done, static_cast<unsigned>(n - done), MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR) continue;
      sender->s[RTP_ERRORS]++;
      g_drops[D_SEND_ERROR]++;
      done++;
      continue;
    }
    done += r;
  }
}

// Read and relay what is queued on one socket of `e`.
void Drain(Ep* e, bool rtcp_socket) {
  double* s = e->s;
  double* c = g_counters;
  const int fd = rtcp_socket ? e->rtcp_fd : e->rtp_fd;
  for (int round = 0; round < MAX_ROUNDS; round++) {
    for (int i = 0; i < BATCH; i++) {
      g_rx[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
      g_rx[i].msg_hdr.msg_flags = 0;
    }
    const int n = recvmmsg(fd, g_rx, BATCH, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // A pending socket error (what Node reports as an 'error' event): count, keep going.
      s[RTP_ERRORS]++;
      g_drops[D_SEND_ERROR]++;
      continue;
    }
    // Destination: fixed for the batch (only the peer's own packets or JS change the peer's state).
    Ep* peer = e->peer;
    double dport = 0;
    int out_fd = -1;
    sockaddr_in dst;
    std::memset(&dst, 0, sizeof dst);
    if (peer != nullptr) {
      dport = rtcp_socket ? peer->s[REMOTE_RTCP_PORT] : peer->s[REMOTE_PORT];
      out_fd = rtcp_socket ? peer->rtcp_fd : peer->rtp_fd;
      dst.sin_family = AF_INET;
      dst.sin_addr.s_addr = htonl(static_cast<uint32_t>(peer->s[REMOTE_ADDR]));
      dst.sin_port = htons(static_cast<uint16_t>(dport));
    }
    const bool can_send = peer != nullptr && dport != 0;
    const bool bad_port = !(dport >= 0 && dport <= 65535);
    // Never send to one of our own sockets (D2): what comes back would be forwarded again.
    const bool dst_own = can_send && IsOwn(peer->own, ntohl(dst.sin_addr.s_addr), dport);
    int k = 0;
    for (int i = 0; i < n; i++) {
      const uint8_t* b = g_buf + static_cast<size_t>(i) * SLOT_STRIDE;
      const size_t len = g_rx[i].msg_len;
      const uint32_t addr = ntohl(g_rx_addr[i].sin_addr.s_addr);
      const uint32_t port = ntohs(g_rx_addr[i].sin_port);
      if (IsOwn(e->own, addr, port)) {  // from one of our own sockets: a loop, never latched or forwarded
        s[rtcp_socket ? RTCP_ERRORS : RTP_ERRORS]++;
        g_drops[D_OWN_ADDRESS]++;
        continue;
      }
      bool is_rtcp = rtcp_socket;
      RtpView rv;
      rv.ssrc = 0;
      if (!rtcp_socket) {
        const int v = ParseRtp(b, len, &rv);
        if (v == V_RTCP) {
          is_rtcp = true;  // rtcp-mux: relayed like RTCP, out of the peer's RTP socket
        } else if (v != V_OK) {
          s[RTP_ERRORS]++;
          g_drops[v - 1]++;
          continue;
        }
      }
      if (is_rtcp) {
        if (!PlausibleRtcp(b, len)) {
          s[RTCP_ERRORS]++;
          g_drops[D_NOT_RTCP]++;
          continue;
        }
        if (!CheckSource(s, addr, port, rtcp_socket)) continue;
        s[RTCP_PACKETS]++;
        s[RTCP_BYTES] += len;
        c[RTCP_PACKETS_IN]++;
        c[RTCP_BYTES_IN] += len;
        if (!can_send) {
          g_drops[D_NO_DESTINATION]++;
          continue;
        }
        if (dst_own) {
          g_drops[D_OWN_ADDRESS]++;
          continue;
        }
        c[RTCP_PACKETS_OUT]++;
        c[RTCP_BYTES_OUT] += len;
      } else {
        if (!CheckSource(s, addr, port, false)) continue;
        s[RTP_PACKETS]++;
        s[RTP_BYTES] += len;
        c[RTP_PACKETS_IN]++;
        c[RTP_BYTES_IN] += len;
        s[LAST_SSRC] = rv.ssrc;
        if (!can_send) {
          g_drops[D_NO_DESTINATION]++;
          continue;
        }
        if (dst_own) {
          g_drops[D_OWN_ADDRESS]++;
          continue;
        }
        c[RTP_PACKETS_OUT]++;
        c[RTP_BYTES_OUT] += len;
      }
      if (bad_port) {  // a port JS could not send to either (not produced by latching or SDP: defensive)
        peer->s[RTP_ERRORS]++;
        g_drops[D_SEND_ERROR]++;
        continue;
      }
      g_tx_iov[k].iov_base = const_cast<uint8_t*>(b);
      g_tx_iov[k].iov_len = len;
      msghdr& h = g_tx[k].msg_hdr;
      h.msg_name = &dst;
      h.msg_namelen = sizeof dst;
      h.msg_iov = &g_tx_iov[k];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
      k++;
    }
    if (k > 0) Flush(peer, out_fd, k);
    if (n < BATCH) return;
  }
}

void OnReadable(uv_poll_t* h, int status, int events) {
  Poll* p = static_cast<Poll*>(h->data);
  Ep* e = p->ep;
  if (e->stopped) return;
  if (status < 0) {
    // libuv stops a poll handle on POLLERR: clear the socket error, count it, poll again.
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(p->rtcp ? e->rtcp_fd : e->rtp_fd, SOL_SOCKET, SO_ERROR, &err, &el);
    e->s[RTP_ERRORS]++;
    g_drops[D_SEND_ERROR]++;
    uv_poll_start(&p->h, UV_READABLE, OnReadable);
    return;
  }
  Drain(e, p->rtcp);
}

void OnClosed(uv_handle_t* h) {
  Poll* p = static_cast<Poll*>(h->data);
  Ep* e = p->ep;
  if (--e->open_handles == 0) {
    delete e;
    g_live--;
  }
}

// Stop polling, unlink, close the dup fds and release the state array. Idempotent. The Ep itself is
// freed when both poll handles have closed.
void StopEp(void* state) {
  Ep* e = static_cast<Ep*>(state);
  if (e->stopped) return;
  e->stopped = true;
  if (e->peer != nullptr) {
    if (e->peer->peer == e) e->peer->peer = nullptr;
    e->peer = nullptr;
  }
  Poll* polls[2] = {&e->rtp, &e->rtcp};
  for (Poll* p : polls) {
    uv_poll_stop(&p->h);  // removes the fd from epoll at once
    uv_close(reinterpret_cast<uv_handle_t*>(&p->h), OnClosed);
  }
  if (e->rtp_fd >= 0) close(e->rtp_fd);
  if (e->rtcp_fd >= 0) close(e->rtcp_fd);
  e->rtp_fd = e->rtcp_fd = -1;
  if (e->state_ref != nullptr) {
    napi_delete_reference(e->env, e->state_ref);
    e->state_ref = nullptr;
  }
  if (e->own_ref != nullptr) {
    napi_delete_reference(e->env, e->own_ref);
    e->own_ref = nullptr;
  }
  e->s = nullptr;
  e->own = nullptr;
}

Napi::Value Throw(Napi::Env env, const char* msg) {
  Napi::Error::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool Float64Arg(const Napi::CallbackInfo& info, size_t index, size_t min_len, double*& data, napi_value& value) {
  if (info.Length() <= index || !info[index].IsTypedArray()) return false;
  Napi::TypedArray ta = info[index].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_float64_array || ta.ElementLength() < min_len) return false;
  data = info[index].As<Napi::Float64Array>().Data();
  value = info[index];
  return true;
}

int DupUdp4(int fd) {
  int type = 0, domain = 0;
  socklen_t l = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) != 0 || type != SOCK_DGRAM) return -1;
  l = sizeof domain;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &l) != 0 || domain != AF_INET) return -1;
  return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

// relayInit(counters: Float64Array(8), drops: Float64Array(11), perfNowMs): 0
Napi::Value RelayInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double* counters;
  double* drops;
  napi_value cv, dv;
  if (!Float64Arg(info, 0, COUNTER_COUNT, counters, cv) || !Float64Arg(info, 1, DROP_COUNT, drops, dv) ||
      info.Length() < 3 || !info[2].IsNumber())
    return Int(env, ERR_ARG);
  if (g_buf == nullptr) {
    g_buf = static_cast<uint8_t*>(std::malloc(SLOT_STRIDE * BATCH));
    if (g_buf == nullptr) return Throw(env, "relayInit: out of memory");
    for (int i = 0; i < BATCH; i++) {
      g_rx_iov[i].iov_base = g_buf + static_cast<size_t>(i) * SLOT_STRIDE;
      g_rx_iov[i].iov_len = SLOT_BYTES;
      std::memset(&g_rx[i], 0, sizeof g_rx[i]);
      g_rx[i].msg_hdr.msg_name = &g_rx_addr[i];
      g_rx[i].msg_hdr.msg_iov = &g_rx_iov[i];
      g_rx[i].msg_hdr.msg_iovlen = 1;
    }
  }
  // Keep the arrays alive for the life of the process (they are mediaCounters' own storage).
  napi_ref r;
  napi_create_reference(env, cv, 1, &r);
  napi_create_reference(env, dv, 1, &r);
  g_counters = counters;
  g_drops = drops;
  g_clock_offset_ms = static_cast<double>(uv_hrtime()) / 1e6 - info[2].As<Napi::Number>().DoubleValue();
  return Int(env, 0);
}

// relayOpen(rtpFd, rtcpFd, state: Float64Array(16), own?: Float64Array(19)): handle. Throws if the fds
// are not udp4 sockets.
Napi::Value RelayOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_counters == nullptr) return Throw(env, "relayOpen: relayInit was not called");
  uint32_t rtp_fd, rtcp_fd;
  double* s;
  napi_value sv;
  if (!IndexArg(info, 0, INT32_MAX, rtp_fd) || !IndexArg(info, 1, INT32_MAX, rtcp_fd) || !Float64Arg(info, 2, SLOT_COUNT, s, sv))
    return Throw(env, "relayOpen: bad arguments");
  double* own = nullptr;
  napi_value ov = nullptr;
  if (info.Length() > 3 && !info[3].IsUndefined() && !Float64Arg(info, 3, OWN_SIZE, own, ov))
    return Throw(env, "relayOpen: bad own-sockets table");
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) return Throw(env, "relayOpen: no event loop");
  const int d1 = DupUdp4(static_cast<int>(rtp_fd));
  if (d1 < 0) return Throw(env, "relayOpen: RTP fd is not a udp4 socket");
  const int d2 = DupUdp4(static_cast<int>(rtcp_fd));
  if (d2 < 0) {
    close(d1);
    return Throw(env, "relayOpen: RTCP fd is not a udp4 socket");
  }
  Ep* e = new Ep();
  e->rtp_fd = d1;
  e->rtcp_fd = d2;
  e->rtp.ep = e->rtcp.ep = e;
  e->rtcp.rtcp = true;
  e->env = env;
  if (uv_poll_init(loop, &e->rtp.h, d1) != 0) {
    close(d1);
    close(d2);
    delete e;
    return Throw(env, "relayOpen: uv_poll_init failed");
  }
  e->rtp.h.data = &e->rtp;
  e->open_handles = 1;
  g_live++;
  if (uv_poll_init(loop, &e->rtcp.h, d2) != 0) {
    // Close what exists; StopEp would also close an uninitialised handle.
    e->stopped = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&e->rtp.h), OnClosed);
    close(d1);
    close(d2);
    return Throw(env, "relayOpen: uv_poll_init failed");
  }
  e->rtcp.h.data = &e->rtcp;
  e->open_handles = 2;
  napi_create_reference(env, sv, 1, &e->state_ref);
  e->s = s;
  if (own != nullptr) {
    napi_create_reference(env, ov, 1, &e->own_ref);
    e->own = own;
  }
  return MakeHandle(env, KIND_RELAY, e, StopEp);
}

// relayStart(a, b): link the pair and start polling both. 0, or a NativeError / -errno.
Napi::Value RelayStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Ep* a = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  Ep* b = static_cast<Ep*>(StateOf(info, 1, KIND_RELAY));
  if (a == nullptr || b == nullptr || a->stopped || b->stopped) return Int(env, ERR_CLOSED);
  if (a == b || a->peer != nullptr || b->peer != nullptr) return Int(env, ERR_ARG);
  a->peer = b;
  b->peer = a;
  Poll* polls[4] = {&a->rtp, &a->rtcp, &b->rtp, &b->rtcp};
  for (Poll* p : polls) {
    const int r = uv_poll_start(&p->h, UV_READABLE, OnReadable);
    if (r != 0) {
      for (Poll* q : polls) uv_poll_stop(&q->h);
      a->peer = b->peer = nullptr;
      return Int(env, r);
    }
  }
  return Int(env, 0);
}

// relayStop(h): stop polling now, close the dup fds, unlink. 0 (ERR_CLOSED if already stopped).
Napi::Value RelayStop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsExternal()) return Int(env, ERR_ARG);
  Handle* h = info[0].As<Napi::External<Handle>>().Data();
  if (h == nullptr || h->kind != KIND_RELAY) return Int(env, ERR_ARG);
  if (h->state == nullptr) return Int(env, ERR_CLOSED);
  StopEp(h->state);
  h->state = nullptr;
  return Int(env, 0);
}

// relayLive(): native endpoints whose memory is not yet freed (leak checks in tests).
Napi::Value RelayLive(const Napi::CallbackInfo& info) { return Int(info.Env(), g_live); }

}  // namespace

void InitRelay(Napi::Env env, Napi::Object exports) {
  exports.Set("relayInit", Napi::Function::New(env, RelayInit, "relayInit"));
  exports.Set("relayOpen", Napi::Function::New(env, RelayOpen, "relayOpen"));
  exports.Set("relayStart", Napi::Function::New(env, RelayStart, "relayStart"));
  exports.Set("relayStop", Napi::Function::New(env, RelayStop, "relayStop"));
  exports.Set("relayLive", Napi::Function::New(env, RelayLive, "relayLive"));
}

}  // namespace wn
