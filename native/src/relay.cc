// Native relay fast path. See relay.h, src/media/nativeRelay.ts and native/README.md ("Native relay").
//
// Two ways to run an endpoint pair, chosen when the pair starts (relayStart):
//
// MEDIA THREADS (config media.threads > 0, the default): relayThreadsStart(n) starts n threads, each
// with its own epoll loop, its own receive/send batches and its own slice of the global counters. A
// pair lives on one thread (the least loaded one, ties broken round robin); the thread owns the dup fds
// of its endpoints from ADD until REMOVE. The packet path touches no V8/Node object and takes no lock:
// the main thread talks to a thread only through its command queue (ADD pair, SET slot, REMOVE
// endpoint, QUIT; for mixes ATTACH/DETACH endpoint, MIX_DETACH, RUN a mix call), a vector swapped under the thread's mutex and announced on an eventfd (plus an
// atomic flag, so a wake-up with only packets takes no lock). The thread applies queued commands at
// the start of each wake-up and again between two sockets' drains whenever more are queued (a change
// JS made before a packet arrived applies to that packet, as on Node's loop; a packet read in the
// middle of a long drain of the same socket may still see the old state), and acknowledges them at
// once (same mutex + condition variable). ADD and REMOVE are synchronous for the caller: it waits at
// most for one socket's drain. When relayStop() returns, the thread has removed the fds from its epoll
// set and closed them, so JS may read the socket again and reuse the state. A REMOVE stops the PAIR
// (the peer leaves the epoll set too and is marked detached: JS always stops both, and its own stop
// then needs no round trip). An endpoint removed in a wake-up may be freed by the main thread as soon
// as it has the ack, so the remaining events of that wake-up are matched against the removed ones by
// address and never dereferenced. SET is asynchronous (see memory ordering below).
//
// ON NODE'S LOOP (media.threads = 0, the fallback and the earlier design): JS stops Node's reading on
// both sockets of both endpoints (`handle.recvStop()`), then relayStart() polls F_DUPFD_CLOEXEC copies
// of their fds with uv_poll on Node's loop. Using our own fd numbers means libuv never sees two watchers
// on one fd (libuv keeps one watcher slot per fd; a second uv__io_t on the same fd would overwrite the
// epoll mask), so Node may still send on its own fd while we poll ours, and closing Node's socket can
// never leave a stale watcher behind. relayStop() stops and closes our poll handles and dup fds
// synchronously (uv_poll_stop removes the fd from epoll before we close it); the native state is freed
// in the close callbacks.
//
// SHARED MEMORY AND ORDERING (threads). Every slot of an endpoint's state Float64Array has ONE writer
// while the endpoint is on a thread: the thread. JS never writes the array then; a change from JS
// (policy, SDP remote, latch reset) is a SET command carrying (slot, value, generation); the thread
// stores the value, then stores the generation into APPLIED with release order. JS keeps its own copy
// of what it set and reads it instead of the array while APPLIED is behind the last generation it
// sent (src/media/RtpEndpoint.ts), so JS always reads its own writes. The thread stores each slot
// with a relaxed atomic 8-byte store (__atomic_store on a naturally aligned double: a single mov on
// x86-64 and arm64, never torn), so a JS read at scrape/query time sees either the old or the new
// value of a slot, never a mix; V8 reads a Float64Array element with one 8-byte load. Counters are
// monotonic and only read for reporting, so reading one slightly stale is harmless. The global
// counters work the same way: each thread has its own 23 slots (8 values + 15 drop reasons) in one
// Float64Array that only that thread writes; the main thread folds the deltas into mediaCounters when
// it reads them (src/media/nativeRelay.ts). The own-socket table (OwnSockets.native) is written by JS
// only when addresses are declared at start-up and read by the threads. ADD/REMOVE/QUIT acks go
// through the mutex, which orders everything the thread wrote before the ack before what the main
// thread reads after it (relayStop's caller then imports the final state exactly).
#include "relay.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "handle.h"
#include "srtp/srtp_binding.h"
#include "mix/call_mix.h"
#include "mix/site.h"
#include "rtp/parse.h"
#include "rtp/rtcp_report.h"
#include "srtp/srtp.h"

namespace wn {
namespace {

// Per-endpoint state slots (Float64Array shared with JS; mirrored in src/media/nativeRelay.ts).
enum Slot : int {
  REMOTE_ADDR = 0,       // IPv4, host order; 0 = '' (unknown / on hold). IPv6 endpoints: REMOTE_ADDR6.
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
  APPLIED = 16,          // generation of the last SET applied (JS read-your-writes, see above)
  // IPv6 endpoints (an AF_INET6 socket): the remote address as 4 host-order 32-bit words, most
  // significant first; all zero = '' (unknown / on hold). Set by JS with one SET (relaySet's words).
  REMOTE_ADDR6 = 17,     // .. 20
  // Media-control switches (ng block DTMF / block media / silence media; RtpEndpoint MediaPolicy), set by
  // JS at command time, executed on the party's received RTP before the relay or the mix (PolicyPasses).
  POLICY = 21,           // bits: 1 drop telephone-event, 2 drop media, 4 G.711 silence, 8 replace the event code
  DTMF_PT = 22,          // the party's telephone-event payload types (-1: none)
  DTMF_PT2 = 23,
  ULAW_PT = 24,          // the party's PCMU / PCMA payload types (-1: none): what silence fills
  ALAW_PT = 25,
  DTMF_BLOCKED = 26,     // counters, written by the thread only
  MEDIA_BLOCKED = 27,
  MEDIA_SILENCED = 28,
  DTMF_REPLACE = 29,     // with bit 8: the event code written into the party's telephone-event packets
  SEQ_OFFSET = 30,       // added to the sequence number of every relayed RTP packet of the party (0..65535):
                         // what ng play DTMF's extra end packets (src/media/dtmfInject.ts) left behind
  // (P) Receive statistics of the party's stream for RTCP report blocks (rtp/rtcp_report.h), written by
  // the thread that reads the sockets; JS imports/exports them when the endpoint leaves/enters native.
  RX_SSRC = 31,
  RX_RECEIVED = 32,
  RX_BASE_SEQ = 33,
  RX_MAX_EXT = 34,       // extended highest sequence number
  RX_JITTER16 = 35,      // interarrival jitter x 16, in 8 kHz timestamp units (RFC 3550 A.8)
  RX_TRANSIT = 36,
  SR_MIDDLE = 37,        // middle 32 bits of the NTP time of the party's last SR
  SR_AT_MS = 38,         // when it arrived (NowMs); 0 = none
  SLOT_COUNT = 39,
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
  D_BAD_PAYLOAD_TYPE, D_LATE_OR_DUPLICATE, D_OVER_RATE, D_DTMF_BLOCKED, D_MEDIA_BLOCKED,
  D_SRTP_AUTH, D_SRTP_REPLAY, D_NON_RTP, D_SRTP_NO_KEYS, DROP_COUNT,
};
// A media thread's slice of the counters array: COUNTER_COUNT values, then DROP_COUNT drops.
constexpr int THREAD_COUNTER_SLOTS = COUNTER_COUNT + DROP_COUNT;

// whisperd's own sockets (OwnSockets.native, src/media/ownSockets.ts): [portMin, portMax, count, addr…].
enum OwnSlot : int { OWN_PORT_MIN = 0, OWN_PORT_MAX = 1, OWN_COUNT = 2, OWN_ADDR0 = 3, OWN_MAX_ADDRESSES = 16 };
constexpr size_t OWN_SIZE = OWN_ADDR0 + OWN_MAX_ADDRESSES;
// Its IPv6 addresses (OwnSockets.native6): [count, 4 words per address].
enum OwnSlot6 : int { OWN6_COUNT = 0, OWN6_ADDR0 = 1 };
constexpr size_t OWN6_SIZE = OWN6_ADDR0 + 4 * OWN_MAX_ADDRESSES;

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
constexpr Kind KIND_RELAY = Kind::Relay;
constexpr int MAX_THREADS = 256;

// Single-writer stores (see "SHARED MEMORY AND ORDERING"): the writer reads its own slot plainly and
// publishes with one relaxed 8-byte store.
inline void St(double& x, double v) { __atomic_store(&x, &v, __ATOMIC_RELAXED); }
inline void Inc(double& x, double d = 1) { St(x, x + d); }

// One receive/send context: the on-loop relay's (global) or a media thread's own.
// (issue 12) see PutNonRtp.
constexpr size_t NONRTP_RING_BYTES = size_t{256} << 10;
constexpr size_t NONRTP_HDR = 36 + 4;
// One endpoint may hold at most this much of a ring at a time (1/16: ~110 STUN checks or a few DTLS
// flights per 10 ms drain period), so a flood at one endpoint cannot crowd out the STUN (consent) and DTLS
// of the other endpoints on the same media thread.
constexpr size_t NONRTP_SHARE_BYTES = NONRTP_RING_BYTES / 16;
struct NonRtpRing {
  uint8_t* buf = nullptr;
  size_t cap = NONRTP_RING_BYTES;
  std::atomic<uint64_t> head{0};
  std::atomic<uint64_t> tail{0};
};
struct Ctx {
  double* counters = nullptr;  // COUNTER_COUNT slots
  double* drops = nullptr;     // DROP_COUNT slots
  NonRtpRing* nonrtp = nullptr;  // (issue 12) STUN/DTLS for the endpoints' handlers (relayNonRtp)
  uint8_t* buf = nullptr;
  mmsghdr rx[BATCH];
  iovec rx_iov[BATCH];
  sockaddr_in6 rx_addr[BATCH];  // large enough for either family (an IPv4 socket writes a sockaddr_in)
  mmsghdr tx[BATCH];
  iovec tx_iov[BATCH];
};

bool InitCtx(Ctx* c) {
  if (c->buf != nullptr) return true;
  c->buf = static_cast<uint8_t*>(std::malloc(SLOT_STRIDE * BATCH));
  if (c->buf == nullptr) return false;
  if (c->nonrtp == nullptr) {
    c->nonrtp = new NonRtpRing();
    c->nonrtp->buf = static_cast<uint8_t*>(std::malloc(c->nonrtp->cap));  // untouched pages cost nothing
  }
  for (int i = 0; i < BATCH; i++) {
    c->rx_iov[i].iov_base = c->buf + static_cast<size_t>(i) * SLOT_STRIDE;
    c->rx_iov[i].iov_len = SLOT_BYTES;
    std::memset(&c->rx[i], 0, sizeof c->rx[i]);
    c->rx[i].msg_hdr.msg_name = &c->rx_addr[i];
    c->rx[i].msg_hdr.msg_iov = &c->rx_iov[i];
    c->rx[i].msg_hdr.msg_iovlen = 1;
  }
  return true;
}

Ctx g_loop;  // the on-loop relay's context (counters = mediaCounters' own arrays)
double g_clock_offset_ms = 0;  // uv_hrtime ms minus performance.now()
int g_live = 0;  // native endpoints not yet freed (tests check for leaks); main thread only

struct Ep;
struct MediaThread;
class ThreadSite;
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
  const double* own6 = nullptr;  // IPv6 own addresses (OwnSlot6); may be null
  bool v6 = false;           // AF_INET6 sockets: remote in REMOTE_ADDR6, sources are sockaddr_in6
  napi_env env = nullptr;
  napi_ref state_ref = nullptr;
  napi_ref own_ref = nullptr;
  napi_ref own6_ref = nullptr;
  Ep* peer = nullptr;        // on a thread: read/written by that thread only (after ADD)
  MediaThread* thread = nullptr;  // null: on Node's loop (or not started)
  bool in_epoll = false;     // thread only
  bool detached = false;     // taken off its thread with its peer's REMOVE (written before that ack)
  int add_err = 0;           // ADD's result, written by the thread before the ack
  int open_handles = 0;      // uv_poll handles initialised (> 0: on Node's loop), until closed
  bool stopped = false;
  // Attached to a mix (relayAttachMix): `site`/`mix_idx` are the thread's view (written only by the
  // ATTACH/DETACH/REMOVE/MIX_DETACH commands, read on the packet path); `attached`/`attached_idx` the
  // main thread's (written after the ack).
  ThreadSite* site = nullptr;
  int mix_idx = -1;
  ThreadSite* attached = nullptr;
  int attached_idx = -1;
  // (P) RTCP sender reports about what a mix on this endpoint's thread sends with its own SSRC.
  rtp::TxReport rtcp_tx;
  // (issue 12) SRTP and the RFC 7983 demux, set by relaySetSrtp (on a thread: by its OP_SRTP command,
  // so only the thread that reads the sockets touches them). The contexts belong to JS SrtpContexts,
  // which free them only after this endpoint stopped using them (relaySetSrtp acked, or relayStop).
  srtp::Context* srtp_rx = nullptr;  // unprotects what the party sends (RTP and RTCP)
  srtp::Context* srtp_tx = nullptr;  // protects all sent to the party (relayed, mixed, RTCP reports)
  bool srtp_pending = false;         // encrypted without keys yet: everything in and out is dropped
  uint32_t nonrtp_id = 0;            // != 0: STUN/DTLS go to the ring for JS endpoint #id's handler
  // (issue 12) This endpoint's share of its receive context's non-RTP ring (PutNonRtp; written only by
  // the context that drains its sockets): bytes it queued since the ring's consumer last caught up with
  // all of them (ring position nonrtp_end), in ring nonrtp_ring.
  const void* nonrtp_ring = nullptr;
  uint64_t nonrtp_end = 0;
  size_t nonrtp_used = 0;
};

// (P) The receive-statistics slots and the daemon's RTCP CNAME (12 hex characters, set at load).
constexpr rtp::RxSlots kRxSlots{RX_SSRC, RX_RECEIVED, RX_BASE_SEQ, RX_MAX_EXT, RX_JITTER16, RX_TRANSIT, SR_MIDDLE, SR_AT_MS};
char g_rtcp_cname[13] = "000000000000";

inline double NowMs() { return static_cast<double>(uv_hrtime()) / 1e6 - g_clock_offset_ms; }

// A mix hosted on a media thread (mix::CreateThreadSite; see "MIXES ON MEDIA THREADS" below). Thread
// side: touched only by the site's thread (commands, packets, ticks). Main side: only by the main
// thread. `mix` is set by the main thread at the first attach, before the command that lists the site
// for ticking, and never changes after.
class ThreadSite final : public mix::MixSite, public mix::MixHost {
 public:
  ThreadSite(MediaThread* t, uint32_t id) : t_(t), id_(id) {
    for (int& p : rtcp_peer) p = -1;
  }
  ~ThreadSite() override;
  // MixSite
  void Run(void (*fn)(void*), void* arg) override;
  mix::MixHost* host() override { return this; }
  // Through Run(), on the thread: the thread ticks `m` from now on until Detach().
  void Attach(mix::CallMix* m) override;
  int thread() const override;
  void Detach() override;
  // MixHost (the site's thread)
  void Send(int idx, const uint8_t* buf, size_t len) override;
  void SendOwn(int idx, const uint8_t* buf, size_t len) override;  // (P) + RTCP sender reports
  bool HasDestination(int idx) const override;
  void CountDrop(int reason) override;
  void OnTelephoneEvent(int idx, const uint8_t* pkt, size_t len, bool fromLatched) override;
  void OnObserved(int inIdx, const int16_t* pcm, int n, double nowMs) override;
  void OnMixed(int outIdx, const int16_t* pcm, int n, int srcIdx, const int16_t* contrib, const int16_t* raw, double nowMs) override;
  double NowMs() const override;

  // Where an attached endpoint's RTCP goes: the endpoint of its RTCP peer participant, if attached.
  Ep* RtcpPeerOf(int idx) const {
    const int p = rtcp_peer[idx];
    return p >= 0 ? eps[p] : nullptr;
  }

  MediaThread* const t_;
  const uint32_t id_;
  mix::CallMix* mix = nullptr;
  // thread side
  double arrival = 0;                        // arrival time of the packet OnRtp is handling
  bool listed = false;                       // in the thread's tick list
  Ep* eps[mix::kMaxParticipants] = {};       // attached endpoint of each participant
  int rtcp_peer[mix::kMaxParticipants];      // participant whose endpoint relays idx's RTCP, -1 none
  // main side
  Ep* main_eps[mix::kMaxParticipants] = {};
  bool detached = false;
};

// A packet's source or an endpoint's remote, either family: IPv4 in w[3] (w[0..2] = 0), IPv6 as 4
// host-order words. All zero: none ('').
struct Addr {
  uint32_t w[4];
};

// The source of a received datagram (the endpoint's socket family decides the layout).
inline void SourceOf(const sockaddr_in6& sa, Addr& a, uint32_t& port) {
  if (sa.sin6_family == AF_INET6) {
    for (int i = 0; i < 4; i++) {
      uint32_t v;
      std::memcpy(&v, sa.sin6_addr.s6_addr + 4 * i, 4);
      a.w[i] = ntohl(v);
    }
    port = ntohs(sa.sin6_port);
  } else {
    sockaddr_in s4;
    std::memcpy(&s4, &sa, sizeof s4);
    a.w[0] = a.w[1] = a.w[2] = 0;
    a.w[3] = ntohl(s4.sin_addr.s_addr);
    port = ntohs(s4.sin_port);
  }
}

// The remote address of endpoint state s (v6: REMOTE_ADDR6, else REMOTE_ADDR).
inline void RemoteOf(const double* s, bool v6, Addr& a) {
  if (v6) {
    for (int i = 0; i < 4; i++) a.w[i] = static_cast<uint32_t>(s[REMOTE_ADDR6 + i]);
  } else {
    a.w[0] = a.w[1] = a.w[2] = 0;
    a.w[3] = static_cast<uint32_t>(s[REMOTE_ADDR]);
  }
}

inline bool IsNone(const Addr& a) { return (a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0; }

// Is `a` the remote of state s? The remote '' (all zero) equals no address.
inline bool IsRemote(const double* s, bool v6, const Addr& a) {
  if (IsNone(a)) return false;
  if (!v6) return static_cast<double>(a.w[3]) == s[REMOTE_ADDR];
  for (int i = 0; i < 4; i++)
    if (static_cast<double>(a.w[i]) != s[REMOTE_ADDR6 + i]) return false;
  return true;
}

inline void StoreRemote(double* s, bool v6, const Addr& a) {
  if (v6) {
    for (int i = 0; i < 4; i++) St(s[REMOTE_ADDR6 + i], a.w[i]);
  } else {
    St(s[REMOTE_ADDR], a.w[3]);
  }
}

// The destination sockaddr for addr:port in the endpoint's family; its length.
inline socklen_t DestOf(bool v6, const Addr& a, double port, sockaddr_in6& dst) {
  std::memset(&dst, 0, sizeof dst);
  if (v6) {
    dst.sin6_family = AF_INET6;
    for (int i = 0; i < 4; i++) {
      const uint32_t v = htonl(a.w[i]);
      std::memcpy(dst.sin6_addr.s6_addr + 4 * i, &v, 4);
    }
    dst.sin6_port = htons(static_cast<uint16_t>(port));
    return sizeof(sockaddr_in6);
  }
  sockaddr_in d4;
  std::memset(&d4, 0, sizeof d4);
  d4.sin_family = AF_INET;
  d4.sin_addr.s_addr = htonl(a.w[3]);
  d4.sin_port = htons(static_cast<uint16_t>(port));
  std::memcpy(&dst, &d4, sizeof d4);
  return sizeof(sockaddr_in);
}

// OwnSockets.has: is addr:port one of whisperd's own media sockets? A range compare, then at most
// OWN_MAX_ADDRESSES compares (the IPv4 table `own`, the IPv6 table `own6`).
inline bool IsOwn(const Ep* e, const Addr& a, double port) {
  const double* o = e->own;
  if (o == nullptr || port < o[OWN_PORT_MIN] || port > o[OWN_PORT_MAX]) return false;
  if (!e->v6) {
    const int n = static_cast<int>(o[OWN_COUNT]);
    for (int i = 0; i < n && i < OWN_MAX_ADDRESSES; i++)
      if (static_cast<double>(a.w[3]) == o[OWN_ADDR0 + i]) return true;
    return false;
  }
  const double* o6 = e->own6;
  if (o6 == nullptr) return false;
  const int n = static_cast<int>(o6[OWN6_COUNT]);
  for (int i = 0; i < n && i < OWN_MAX_ADDRESSES; i++) {
    const double* w = o6 + OWN6_ADDR0 + 4 * i;
    if (static_cast<double>(a.w[0]) == w[0] && static_cast<double>(a.w[1]) == w[1] && static_cast<double>(a.w[2]) == w[2] &&
        static_cast<double>(a.w[3]) == w[3])
      return true;
  }
  return false;
}

inline void Latch(double* s, bool v6, const Addr& addr, uint32_t port, bool rtcp) {
  if (rtcp) {
    St(s[REMOTE_RTCP_PORT], port);
    St(s[RTCP_LATCHED], 1);
    if (s[RTP_LATCHED] == 0) StoreRemote(s, v6, addr);
  } else {
    StoreRemote(s, v6, addr);
    St(s[REMOTE_PORT], port);
    St(s[RTP_LATCHED], 1);
    // RTCP beside RTP only if that port exists (RtpEndpoint.latch): from 65535 it stays unknown.
    if (s[RTCP_LATCHED] == 0) St(s[REMOTE_RTCP_PORT], port < 65535 ? static_cast<double>(port) + 1 : 0);
  }
}

// RtpEndpoint.policyPasses, rule for rule: the media-control switches on one received RTP packet of
// the party (state s). False: dropped and counted. Silence is written into the packet in place.
enum PolicyBit : int { P_BLOCK_DTMF = 1, P_BLOCK_MEDIA = 2, P_SILENCE_MEDIA = 4, P_REPLACE_DTMF = 8 };
inline bool PolicyPasses(double* s, double* drops, uint8_t* b, const RtpView& rv) {
  const int pol = static_cast<int>(s[POLICY]);
  const double pt = rv.payload_type;
  if (pt == s[DTMF_PT] || pt == s[DTMF_PT2]) {
    if ((pol & P_REPLACE_DTMF) != 0 && rv.payload_length >= 4) b[rv.payload_offset] = static_cast<uint8_t>(s[DTMF_REPLACE]);
    if ((pol & P_BLOCK_DTMF) == 0) return true;
    Inc(s[DTMF_BLOCKED]);
    Inc(drops[D_DTMF_BLOCKED]);
    return false;
  }
  if ((pol & P_BLOCK_MEDIA) != 0) {
    Inc(s[MEDIA_BLOCKED]);
    Inc(drops[D_MEDIA_BLOCKED]);
    return false;
  }
  if ((pol & P_SILENCE_MEDIA) != 0) {
    const int fill = pt == s[ULAW_PT] ? 0xff : pt == s[ALAW_PT] ? 0xd5 : -1;
    if (fill >= 0) {
      std::memset(b + rv.payload_offset, fill, rv.payload_length);
      Inc(s[MEDIA_SILENCED]);
    }
  }
  return true;
}

// RtpEndpoint.checkSource, rule for rule.
inline bool CheckSource(Ctx* c, double* s, bool v6, const Addr& addr, uint32_t port, bool rtcp) {
  const bool latched = (rtcp ? s[RTCP_LATCHED] : s[RTP_LATCHED]) != 0;
  const double expected_port = rtcp ? s[REMOTE_RTCP_PORT] : s[REMOTE_PORT];
  // remote address 0 stands for '' in JS, which no source address equals.
  const bool same = static_cast<double>(port) == expected_port && IsRemote(s, v6, addr);
  if (latched) {
    if (same) return true;
    if (s[MEDIA_HANDOVER] != 0) {
      Latch(s, v6, addr, port, rtcp);
      return true;
    }
    if (s[STRICT_SOURCE] != 0) {
      Inc(s[rtcp ? RTCP_ERRORS : RTP_ERRORS]);
      Inc(c->drops[D_STRICT_SOURCE]);
      return false;
    }
    return true;
  }
  switch (static_cast<int>(s[LEARNING])) {
    case L_OFF:
      if (s[STRICT_SOURCE] != 0 && !same) {
        Inc(s[rtcp ? RTCP_ERRORS : RTP_ERRORS]);
        Inc(c->drops[D_STRICT_SOURCE]);
        return false;
      }
      return true;
    case L_IMMEDIATE:
      Latch(s, v6, addr, port, rtcp);
      return true;
    case L_DELAYED:
      if (same || s[REMOTE_PORT] == 0 || NowMs() - s[LEARNING_START] >= DELAYED_LEARNING_MS) Latch(s, v6, addr, port, rtcp);
      return true;
  }
  return true;
}

// Send tx[0..n) out of fd; a datagram the kernel refuses is counted like a dgram 'error' event on the
// sending endpoint (RtpEndpoint.onSocketError: rtpStats.errors + send_error) and skipped.
void Flush(Ctx* c, Ep* sender, int fd, int n) {
  int done = 0;
  while (done < n) {
    const int r = sendmmsg(fd, c->tx + done, static_cast<unsigned>(n - done), MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR) continue;
      Inc(sender->s[RTP_ERRORS]);
      Inc(c->drops[D_SEND_ERROR]);
      done++;
      continue;
    }
    done += r;
  }
}

// (issue 12) Protect buf[0..len) in place (cap bytes of room) with an endpoint's tx context; len becomes the
// protected length. False: dropped (counted as internal; never expected).
inline bool ProtectOut(srtp::Context* tx, double* drops, uint8_t* buf, size_t& len, size_t cap, bool rtcp) {
  const int r = tx->Protect(buf, len, cap, rtcp);
  if (r < 0) {
    Inc(drops[D_INTERNAL]);
    return false;
  }
  len = static_cast<size_t>(r);
  return true;
}

// (issue 12) STUN and DTLS datagrams for the endpoints' JS handlers (RtpEndpoint.nonRtp): one ring per
// receive context (a media thread's, or the on-loop relay's), single producer (whoever drains the
// sockets), single consumer (relayNonRtp on the main thread). Record: u32 size (multiple of 8), u32
// endpoint id, u16 source port, u8 rtcp socket, u8 family (4 | 6), 4 x u32 source address words (Addr),
// u32 datagram length, u32 0, then the datagram, padded. A datagram that does not fit is dropped (non_rtp),
// and so is one past its endpoint's share (NONRTP_SHARE_BYTES of records the consumer has not taken yet;
// counted by the caller on that endpoint's errors and as non_rtp).

inline void NonRtpCopyIn(NonRtpRing& r, uint64_t at, const void* src, size_t n) {
  const size_t off = static_cast<size_t>(at % r.cap);
  const size_t first = n < r.cap - off ? n : r.cap - off;
  std::memcpy(r.buf + off, src, first);
  if (first < n) std::memcpy(r.buf, static_cast<const uint8_t*>(src) + first, n - first);
}

inline void NonRtpCopyOut(const NonRtpRing& r, uint64_t at, void* dst, size_t n) {
  const size_t off = static_cast<size_t>(at % r.cap);
  const size_t first = n < r.cap - off ? n : r.cap - off;
  std::memcpy(dst, r.buf + off, first);
  if (first < n) std::memcpy(static_cast<uint8_t*>(dst) + first, r.buf, n - first);
}

bool PutNonRtp(Ctx* c, Ep* e, const Addr& addr, uint32_t port, bool rtcp, const uint8_t* b, size_t len) {
  NonRtpRing* r = c->nonrtp;
  if (r == nullptr || r->buf == nullptr) return false;
  const size_t size = (NONRTP_HDR + len + 7) & ~static_cast<size_t>(7);
  const uint64_t h = r->head.load(std::memory_order_relaxed);
  const uint64_t tl = r->tail.load(std::memory_order_acquire);
  // The consumer took everything this endpoint queued (or the endpoint moved to another context): its
  // share is free again.
  if (e->nonrtp_ring != r || tl >= e->nonrtp_end) {
    e->nonrtp_ring = r;
    e->nonrtp_used = 0;
  }
  if (e->nonrtp_used + size > NONRTP_SHARE_BYTES) return false;
  if (size > r->cap - (h - tl)) return false;
  uint8_t hdr[NONRTP_HDR];
  std::memset(hdr, 0, sizeof hdr);
  const uint32_t sz = static_cast<uint32_t>(size);
  const uint16_t p16 = static_cast<uint16_t>(port);
  const uint32_t l32 = static_cast<uint32_t>(len);
  std::memcpy(hdr, &sz, 4);
  std::memcpy(hdr + 4, &e->nonrtp_id, 4);
  std::memcpy(hdr + 8, &p16, 2);
  hdr[10] = rtcp ? 1 : 0;
  hdr[11] = e->v6 ? 6 : 4;
  std::memcpy(hdr + 12, addr.w, 16);
  std::memcpy(hdr + 28, &l32, 4);
  NonRtpCopyIn(*r, h, hdr, NONRTP_HDR);
  NonRtpCopyIn(*r, h + NONRTP_HDR, b, len);
  r->head.store(h + size, std::memory_order_release);
  e->nonrtp_used += size;
  e->nonrtp_end = h + size;
  return true;
}

// Read and relay what is queued on one socket of `e`.
void Drain(Ctx* c, Ep* e, bool rtcp_socket) {
  double* s = e->s;
  double* cnt = c->counters;
  double* drops = c->drops;
  const int fd = rtcp_socket ? e->rtcp_fd : e->rtp_fd;
  for (int round = 0; round < MAX_ROUNDS; round++) {
    for (int i = 0; i < BATCH; i++) {
      c->rx[i].msg_hdr.msg_namelen = sizeof(sockaddr_in6);
      c->rx[i].msg_hdr.msg_flags = 0;
    }
    const int n = recvmmsg(fd, c->rx, BATCH, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // A pending socket error (what Node reports as an 'error' event): count, keep going.
      Inc(s[RTP_ERRORS]);
      Inc(drops[D_SEND_ERROR]);
      continue;
    }
    // Destination: fixed for the batch (only the peer's own packets or JS change the peer's state).
    // An endpoint attached to a mix relays only its RTCP, to its RTCP peer participant's endpoint (as
    // RtpEndpoint.handleRtcp does with forwardTo while an engine takes the RTP); its RTP feeds the mix.
    ThreadSite* site = e->site;
    Ep* peer = site != nullptr ? site->RtcpPeerOf(e->mix_idx) : e->peer;
    // One clock read per batch: the arrival time of every packet it holds (mix input, RTCP statistics).
    const double arrival = NowMs();
    double dport = 0;
    int out_fd = -1;
    sockaddr_in6 dst;
    socklen_t dst_len = 0;
    Addr dst_addr{};
    if (peer != nullptr) {
      dport = rtcp_socket ? peer->s[REMOTE_RTCP_PORT] : peer->s[REMOTE_PORT];
      out_fd = rtcp_socket ? peer->rtcp_fd : peer->rtp_fd;
      RemoteOf(peer->s, peer->v6, dst_addr);
    }
    const bool can_send = peer != nullptr && dport != 0;
    const bool bad_port = !(dport >= 0 && dport <= 65535);
    if (can_send && !bad_port) dst_len = DestOf(peer->v6, dst_addr, dport, dst);
    // Never send to one of our own sockets (D2): what comes back would be forwarded again.
    const bool dst_own = can_send && IsOwn(peer, dst_addr, dport);
    int k = 0;
    for (int i = 0; i < n; i++) {
      uint8_t* b = c->buf + static_cast<size_t>(i) * SLOT_STRIDE;
      size_t len = c->rx[i].msg_len;
      Addr addr;
      uint32_t port;
      SourceOf(c->rx_addr[i], addr, port);
      if (IsOwn(e, addr, port)) {  // from one of our own sockets: a loop, never latched or forwarded
        Inc(s[rtcp_socket ? RTCP_ERRORS : RTP_ERRORS]);
        Inc(drops[D_OWN_ADDRESS]);
        continue;
      }
      // RFC 7983 demux (issue 12): STUN (0..3) and DTLS (20..63) are never RTP; with no handler (JS
      // RtpEndpoint.nonRtp) they are dropped and counted as non_rtp, on either socket.
      if (len >= 1 && (b[0] <= 3 || (b[0] >= 20 && b[0] <= 63))) {
        if (e->nonrtp_id != 0 && PutNonRtp(c, e, addr, port, rtcp_socket, b, len)) continue;
        Inc(s[rtcp_socket ? RTCP_ERRORS : RTP_ERRORS]);
        Inc(drops[D_NON_RTP]);
        continue;
      }
      // SRTP (issue 12): nothing unauthenticated gets further (no latching, no stats, no relay, no mix).
      if (e->srtp_pending) {
        Inc(s[rtcp_socket ? RTCP_ERRORS : RTP_ERRORS]);
        Inc(drops[D_SRTP_NO_KEYS]);
        continue;
      }
      if (e->srtp_rx != nullptr) {
        const bool as_rtcp = rtcp_socket || (len >= 2 && b[1] >= 192 && b[1] <= 223);
        const int r = e->srtp_rx->Unprotect(b, len, as_rtcp);
        if (r < 0) {
          Inc(s[as_rtcp ? RTCP_ERRORS : RTP_ERRORS]);
          Inc(drops[r == srtp::R_REPLAY ? D_SRTP_REPLAY : D_SRTP_AUTH]);
          continue;
        }
        len = static_cast<size_t>(r);
      }
      bool is_rtcp = rtcp_socket;
      RtpView rv;
      rv.ssrc = 0;
      if (!rtcp_socket) {
        const int v = ParseRtp(b, len, &rv);
        if (v == V_RTCP) {
          is_rtcp = true;  // rtcp-mux: relayed like RTCP, out of the peer's RTP socket
        } else if (v != V_OK) {
          Inc(s[RTP_ERRORS]);
          Inc(drops[v - 1]);
          continue;
        }
      }
      if (is_rtcp) {
        if (!PlausibleRtcp(b, len)) {
          Inc(s[RTCP_ERRORS]);
          Inc(drops[D_NOT_RTCP]);
          continue;
        }
        if (!CheckSource(c, s, e->v6, addr, port, rtcp_socket)) continue;
        Inc(s[RTCP_PACKETS]);
        Inc(s[RTCP_BYTES], len);
        Inc(cnt[RTCP_PACKETS_IN]);
        Inc(cnt[RTCP_BYTES_IN], len);
        rtp::RxRtcp(s, kRxSlots, b, len, arrival);  // (P) the party's SR: LSR/DLSR of our reports
        if (!can_send) {
          Inc(drops[D_NO_DESTINATION]);
          continue;
        }
        if (dst_own) {
          Inc(drops[D_OWN_ADDRESS]);
          continue;
        }
        Inc(cnt[RTCP_PACKETS_OUT]);
        Inc(cnt[RTCP_BYTES_OUT], len);
      } else {
        if (!CheckSource(c, s, e->v6, addr, port, false)) continue;
        // RtpEndpoint.rtpIn with an engine: once the source is known (fromLatchedSource), a mix input
        // takes audio only from it; anyone else's packets are foreign_source and not the party's.
        const bool from_latched = site != nullptr && (s[RTP_LATCHED] != 0 || (s[LEARNING] == L_OFF && s[REMOTE_PORT] != 0));
        if (from_latched && (static_cast<double>(port) != s[REMOTE_PORT] || !IsRemote(s, e->v6, addr))) {
          Inc(s[RTP_ERRORS]);
          Inc(drops[D_FOREIGN_SOURCE]);
          continue;
        }
        // The party's packet, mixed or relayed: counted, its receive statistics, the media-control switches.
        Inc(s[RTP_PACKETS]);
        Inc(s[RTP_BYTES], len);
        Inc(cnt[RTP_PACKETS_IN]);
        Inc(cnt[RTP_BYTES_IN], len);
        St(s[LAST_SSRC], rv.ssrc);
        rtp::RxRtp(s, kRxSlots, rv.ssrc, rv.sequence, rv.timestamp, arrival, 8000);  // (P)
        if (s[POLICY] != 0 && !PolicyPasses(s, drops, const_cast<uint8_t*>(b), rv)) continue;
        if (site != nullptr) {
          site->arrival = arrival;
          site->mix->OnRtp(e->mix_idx, b, len, rv, arrival, from_latched);
          continue;
        }
        if (s[SEQ_OFFSET] != 0) {
          const uint16_t seq = static_cast<uint16_t>(rv.sequence + static_cast<uint32_t>(s[SEQ_OFFSET]));
          uint8_t* w = const_cast<uint8_t*>(b);
          w[2] = static_cast<uint8_t>(seq >> 8);
          w[3] = static_cast<uint8_t>(seq & 0xff);
        }
        if (!can_send) {
          Inc(drops[D_NO_DESTINATION]);
          continue;
        }
        if (dst_own) {
          Inc(drops[D_OWN_ADDRESS]);
          continue;
        }
        Inc(cnt[RTP_PACKETS_OUT]);
        Inc(cnt[RTP_BYTES_OUT], len);
      }
      if (bad_port) {  // a port JS could not send to either (not produced by latching or SDP: defensive)
        Inc(peer->s[RTP_ERRORS]);
        Inc(drops[D_SEND_ERROR]);
        continue;
      }
      if (peer->srtp_pending) {
        Inc(drops[D_SRTP_NO_KEYS]);
        continue;
      }
      // The slot has SLOT_STRIDE bytes: room for any trailer.
      if (peer->srtp_tx != nullptr && !ProtectOut(peer->srtp_tx, drops, b, len, SLOT_STRIDE, is_rtcp)) continue;
      c->tx_iov[k].iov_base = b;
      c->tx_iov[k].iov_len = len;
      msghdr& h = c->tx[k].msg_hdr;
      h.msg_name = &dst;
      h.msg_namelen = dst_len;
      h.msg_iov = &c->tx_iov[k];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
      k++;
    }
    if (k > 0) Flush(c, peer, out_fd, k);
    if (n < BATCH) return;
  }
}

// A socket error (POLLERR/EPOLLERR): clear it, count it (like Node's 'error' event on the socket).
void CountSocketError(Ctx* c, Ep* e, bool rtcp) {
  int err = 0;
  socklen_t el = sizeof err;
  getsockopt(rtcp ? e->rtcp_fd : e->rtp_fd, SOL_SOCKET, SO_ERROR, &err, &el);
  Inc(e->s[RTP_ERRORS]);
  Inc(c->drops[D_SEND_ERROR]);
}

// ---------------------------------------------------------------------------------------------------
// Media threads

enum Op : int { OP_ADD = 0, OP_REMOVE, OP_SET, OP_QUIT, OP_ATTACH, OP_DETACH, OP_MIX_DETACH, OP_RUN, OP_SRTP };

struct Cmd {
  Op op;
  Ep* a;
  Ep* b;
  int slot;       // SET: slot; ATTACH: participant index
  double value;   // SET: value; ATTACH: RTCP peer participant (-1 none)
  double w[4];    // SET of REMOTE_ADDR6: the IPv6 remote's 4 words
  double gen;
  uint64_t seq;
  ThreadSite* site;           // ATTACH, MIX_DETACH
  void (*fn)(void*);          // RUN
  void* arg;
  srtp::Context* rx;          // SRTP (issue 12)
  srtp::Context* tx;
  bool pending;
  uint32_t nonrtp_id;
};

// A media thread's event ring (MixHost::OnTelephoneEvent/OnObserved/OnMixed records, format in
// native/index.d.ts mixEvents): single producer (the thread), single consumer (the main thread,
// mixEvents). `head`/`tail` count bytes ever written/read; every record is a multiple of 8 bytes and
// the capacity too, so a record header never wraps. A record that does not fit is dropped whole and
// counted (mixEventsDropped).
constexpr size_t RING_BYTES = size_t{4} << 20;  // default capacity (relayThreadsStart's ringBytes)
constexpr size_t RING_MIN_BYTES = 4096;
struct Ring {
  uint8_t* buf = nullptr;
  size_t cap = RING_BYTES;  // a multiple of 8
  std::atomic<uint64_t> head{0};
  std::atomic<uint64_t> tail{0};
  std::atomic<uint64_t> dropped{0};
};

// Datagrams a hosted mix sent during one wake-up, flushed with sendmmsg (consecutive ones out of the
// same socket in one call) at the end of the wake-up, and before any command that closes a socket.
constexpr int MIX_OUT_BATCH = 64;
constexpr size_t MIX_OUT_BYTES = 1536;
struct MixOut {
  uint8_t big[SLOT_BYTES + srtp::kMaxOverhead];  // (issue 12) a datagram too large for a slot, protected here
  mmsghdr tx[MIX_OUT_BATCH];
  iovec iov[MIX_OUT_BATCH];
  sockaddr_in6 addr[MIX_OUT_BATCH];  // either family (DestOf)
  Ep* from[MIX_OUT_BATCH];
  int fds[MIX_OUT_BATCH];
  uint8_t* buf = nullptr;  // MIX_OUT_BATCH * MIX_OUT_BYTES
  int n = 0;
};

struct MediaThread {
  int index = 0;
  int epfd = -1;
  int evfd = -1;
  std::thread th;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Cmd> q;      // under mu
  std::atomic<bool> has_cmds{false};  // q is not empty (set under mu; read without it)
  uint64_t next_seq = 0;   // under mu
  uint64_t done_seq = 0;   // under mu: highest command applied
  bool alive = false;      // under mu: the thread runs and drains its queue
  Ctx ctx;
  int endpoints = 0;       // main thread only: load for placement
  int mixes_main = 0;      // main thread only: sites on this thread (placement; relayThreadsStop)
  int tfd = -1;            // the 5 ms mix clock (timerfd), armed while the thread hosts a mix
  std::vector<ThreadSite*> mixes;  // thread only: the tick list
  MixOut out;              // thread only
  Ring ring;
  // Scheduling (config media.scheduling/priority), applied by the thread to itself before its loop;
  // under mu until `started`, then read-only.
  bool started = false;
  int tid = 0;
  int sched_err = 0;       // errno of the refused call (EPERM, EINVAL), 0 = applied or nothing asked
  int sched_step = 0;      // 1 = the policy (pthread_setschedparam), 2 = the nice value (setpriority)
};

// Media-thread scheduling asked by relayThreadsStart: policy code (SchedPolicy) and priority (static
// priority for fifo/rr, nice value otherwise; g_sched_has_prio false = leave it).
enum SchedPolicy : int { SP_DEFAULT = 0, SP_OTHER = 1, SP_FIFO = 2, SP_RR = 3, SP_BATCH = 4, SP_IDLE = 5 };
int g_sched_policy = SP_DEFAULT;
bool g_sched_has_prio = false;
int g_sched_prio = 0;

std::vector<MediaThread*> g_threads;  // main thread only; running threads
char g_timer_tag;                     // epoll data of a thread's timerfd (the eventfd's is null)
uint64_t g_events_dropped_gone = 0;   // main thread: event records dropped by threads since stopped
int g_rr = 0;                         // round-robin start for ties
napi_ref g_thread_counters_ref = nullptr;
bool g_cleanup_hook = false;

void Unpoll(MediaThread* t, Ep* e) {
  if (!e->in_epoll || t == nullptr) return;
  epoll_ctl(t->epfd, EPOLL_CTL_DEL, e->rtp_fd, nullptr);
  epoll_ctl(t->epfd, EPOLL_CTL_DEL, e->rtcp_fd, nullptr);
  e->in_epoll = false;
}

// REMOVE: the pair stops as one. JS always stops both endpoints of a pair together (RtpEndpoint
// leaveNative), and on Node's loop nothing runs between the two stops; here the peer's packets would
// otherwise be read in between and dropped for want of a destination. So the peer stops being polled
// now too (its fds stay open and its packets stay queued in the kernel for Node, until its own REMOVE).
void ApplyRemove(MediaThread* t, Ep* e) {
  if (e->site != nullptr) {  // attached to a mix: its participant has no endpoint any more
    ThreadSite* site = e->site;
    if (site->eps[e->mix_idx] == e) site->eps[e->mix_idx] = nullptr;
    site->rtcp_peer[e->mix_idx] = -1;
    e->site = nullptr;
    e->mix_idx = -1;
  }
  if (e->peer != nullptr) {
    Ep* peer = e->peer;
    if (peer->peer == e) peer->peer = nullptr;
    Unpoll(t, peer);
    peer->detached = true;
    e->peer = nullptr;
  }
  Unpoll(t, e);
  if (e->rtp_fd >= 0) close(e->rtp_fd);
  if (e->rtcp_fd >= 0) close(e->rtcp_fd);
  e->rtp_fd = e->rtcp_fd = -1;
}

int EpollAdd(MediaThread* t, Poll* p, int fd) {
  epoll_event ev;
  std::memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.ptr = p;
  return epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
}

void ApplyAdd(MediaThread* t, Ep* a, Ep* b) {
  int r = 0;
  int added = 0;
  Poll* polls[4] = {&a->rtp, &a->rtcp, &b->rtp, &b->rtcp};
  const int fds[4] = {a->rtp_fd, a->rtcp_fd, b->rtp_fd, b->rtcp_fd};
  for (; added < 4 && r == 0; added++) r = EpollAdd(t, polls[added], fds[added]);
  if (r != 0) {
    for (int i = 0; i < added - 1; i++) epoll_ctl(t->epfd, EPOLL_CTL_DEL, fds[i], nullptr);
    a->add_err = b->add_err = r;
    return;
  }
  a->in_epoll = b->in_epoll = true;
  a->peer = b;
  b->peer = a;
  a->add_err = b->add_err = 0;
}

// ---- mixes on media threads -------------------------------------------------------------------------

// Send what the thread's mixes queued in this wake-up. Consecutive datagrams out of one socket go in
// one sendmmsg; a datagram the kernel refuses is counted on its endpoint like Flush() does.
void FlushMixOut(MediaThread* t) {
  MixOut& o = t->out;
  int i = 0;
  while (i < o.n) {
    int j = i + 1;
    while (j < o.n && o.fds[j] == o.fds[i]) j++;
    while (i < j) {
      const int r = sendmmsg(o.fds[i], o.tx + i, static_cast<unsigned>(j - i), MSG_DONTWAIT);
      if (r <= 0) {  // (0 cannot happen for a non-empty batch: counted like an error, never a busy loop)
        if (r < 0 && errno == EINTR) continue;
        Inc(o.from[i]->s[RTP_ERRORS]);
        Inc(t->ctx.drops[D_SEND_ERROR]);
        i++;
        continue;
      }
      i += r;
    }
  }
  o.n = 0;
}

void ArmTimer(MediaThread* t, bool on) {
  itimerspec ts;
  std::memset(&ts, 0, sizeof ts);
  if (on) {
    ts.it_interval.tv_nsec = 5 * 1000 * 1000;  // MixClock: every 5 ms
    ts.it_value.tv_nsec = 5 * 1000 * 1000;
  }
  timerfd_settime(t->tfd, 0, &ts, nullptr);
}

// ATTACH: endpoint e feeds participant idx of the site's mix and sends its output; the site joins the
// tick list if it is not in it yet.
void ApplyAttach(MediaThread* t, Ep* e, ThreadSite* site, int idx, int rtcp_peer) {
  int r = EpollAdd(t, &e->rtp, e->rtp_fd);
  if (r == 0) {
    r = EpollAdd(t, &e->rtcp, e->rtcp_fd);
    if (r != 0) epoll_ctl(t->epfd, EPOLL_CTL_DEL, e->rtp_fd, nullptr);
  }
  if (r != 0) {
    e->add_err = r;
    return;
  }
  if (!site->listed) {  // a binding that did not call MixSite::Attach: the first endpoint lists it
    t->mixes.push_back(site);
    site->listed = true;
    if (t->mixes.size() == 1) ArmTimer(t, true);
  }
  e->in_epoll = true;
  e->site = site;
  e->mix_idx = idx;
  site->eps[idx] = e;
  site->rtcp_peer[idx] = rtcp_peer;
  e->add_err = 0;
}

// MIX_DETACH (MixSite::Detach): the thread stops ticking the mix and reading its endpoints (their fds
// stay open: each is still an opened endpoint, freed by its own relayStop).
void ApplyMixDetach(MediaThread* t, ThreadSite* site, std::vector<Ep*>& removed) {
  if (site->listed) {
    for (size_t i = 0; i < t->mixes.size(); i++)
      if (t->mixes[i] == site) {
        t->mixes.erase(t->mixes.begin() + static_cast<long>(i));
        break;
      }
    site->listed = false;
    if (t->mixes.empty()) ArmTimer(t, false);
  }
  for (int i = 0; i < mix::kMaxParticipants; i++) {
    Ep* e = site->eps[i];
    if (e == nullptr) continue;
    Unpoll(t, e);
    e->site = nullptr;
    e->mix_idx = -1;
    site->eps[i] = nullptr;
    site->rtcp_peer[i] = -1;
    removed.push_back(e);
  }
}

// Apply the queued commands and acknowledge them at once. Every endpoint a REMOVE took off this thread
// (the removed one and its detached peer) is recorded in `removed`: the main thread may free it as
// soon as it has the ack, so an event of the current wake-up that refers to it is recognised by its
// address and never dereferenced. Returns true on QUIT.
// (issue 12) An OP_SRTP command's security state on its endpoint (by the media thread, or by relaySetSrtp).
void SetSecurity(const Cmd& c) {
  c.a->srtp_rx = c.rx;
  c.a->srtp_tx = c.tx;
  c.a->srtp_pending = c.pending;
  c.a->nonrtp_id = c.nonrtp_id;
}

bool ApplyCommands(MediaThread* t, std::vector<Cmd>& work, std::vector<Ep*>& removed) {
  {
    std::lock_guard<std::mutex> lk(t->mu);
    t->has_cmds.store(false, std::memory_order_relaxed);
    work.swap(t->q);
  }
  bool quit = false;
  uint64_t last = 0;
  for (const Cmd& c : work) {
    switch (c.op) {
      case OP_ADD: ApplyAdd(t, c.a, c.b); break;
      case OP_REMOVE:
        FlushMixOut(t);  // queued datagrams may name a socket about to close
        if (c.a->peer != nullptr) removed.push_back(c.a->peer);
        ApplyRemove(t, c.a);
        removed.push_back(c.a);
        break;
      case OP_ATTACH: ApplyAttach(t, c.a, c.site, c.slot, static_cast<int>(c.value)); break;
      case OP_DETACH: {
        // The endpoint leaves the mix and the epoll set; its fds stay open until its relayStop.
        FlushMixOut(t);
        Ep* e = c.a;
        Unpoll(t, e);
        if (e->site != nullptr) {
          if (e->site->eps[e->mix_idx] == e) e->site->eps[e->mix_idx] = nullptr;
          e->site->rtcp_peer[e->mix_idx] = -1;
        }
        e->site = nullptr;
        e->mix_idx = -1;
        removed.push_back(e);
        break;
      }
      case OP_MIX_DETACH:
        FlushMixOut(t);
        ApplyMixDetach(t, c.site, removed);
        break;
      case OP_RUN: c.fn(c.arg); break;
      case OP_SRTP: SetSecurity(c); break;
      case OP_SET: {
        if (c.slot == REMOTE_ADDR6) {
          for (int i = 0; i < 4; i++) St(c.a->s[REMOTE_ADDR6 + i], c.w[i]);
        } else {
          St(c.a->s[c.slot], c.value);
        }
        const double g = c.gen;
        __atomic_store(&c.a->s[APPLIED], &g, __ATOMIC_RELEASE);
        break;
      }
      case OP_QUIT: quit = true; break;
    }
    last = c.seq;
  }
  work.clear();
  if (last != 0) {
    std::lock_guard<std::mutex> lk(t->mu);
    if (last > t->done_seq) t->done_seq = last;
    t->cv.notify_all();
  }
  return quit;
}

inline bool WasRemoved(const std::vector<Ep*>& removed, const void* poll) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(poll);
  for (const Ep* r : removed) {
    const uintptr_t b = reinterpret_cast<uintptr_t>(r);
    if (a >= b && a < b + sizeof(Ep)) return true;
  }
  return false;
}

// Start of a media thread: apply the configured scheduling to itself (Linux: per thread), record the
// outcome; a refusal is reported (relayThreadSched), never fatal.
void ApplySched(MediaThread* t) {
  const int tid = static_cast<int>(syscall(SYS_gettid));
  int err = 0, step = 0;
  const int sp = g_sched_policy;
  if (sp != SP_DEFAULT) {
    const int pol = sp == SP_FIFO ? SCHED_FIFO : sp == SP_RR ? SCHED_RR : sp == SP_BATCH ? SCHED_BATCH : sp == SP_IDLE ? SCHED_IDLE : SCHED_OTHER;
    sched_param p;
    std::memset(&p, 0, sizeof p);
    if (pol == SCHED_FIFO || pol == SCHED_RR) p.sched_priority = g_sched_has_prio ? g_sched_prio : 1;
    const int r = pthread_setschedparam(pthread_self(), pol, &p);
    if (r != 0) err = r, step = 1;
  }
  if (err == 0 && g_sched_has_prio && sp != SP_FIFO && sp != SP_RR && sp != SP_IDLE) {
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), g_sched_prio) != 0) err = errno, step = 2;
  }
  std::lock_guard<std::mutex> lk(t->mu);
  t->tid = tid;
  t->sched_err = err;
  t->sched_step = step;
  t->started = true;
  t->cv.notify_all();
}

void Run(MediaThread* t) {
  ApplySched(t);
  epoll_event evs[64];
  std::vector<Cmd> work;
  work.reserve(64);
  std::vector<Ep*> removed;
  removed.reserve(64);
  bool quit = false;
  while (!quit) {
    const int n = epoll_wait(t->epfd, evs, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // EBADF/EINVAL: cannot happen while the thread owns epfd
    }
    // Commands first, and again between events whenever more are queued: a command posted before a
    // packet arrived (e.g. the SDP remote an answer set, then the peer's first packet) is applied
    // before that packet is handled, as on Node's loop, and the main thread waiting for an ack waits
    // for at most one socket's drain. The flag spares the lock when there is nothing to apply.
    // The eventfd is consumed BEFORE the flag is read: a command posted after that read writes the
    // eventfd again, so the next epoll_wait returns; one posted before it is seen by the flag. (The
    // other order could consume the wake-up of a command the flag missed, and sleep on it.)
    bool tick = false;
    for (int i = 0; i < n; i++) {
      if (evs[i].data.ptr == &g_timer_tag) {
        uint64_t v;
        if (read(t->tfd, &v, sizeof v) > 0) tick = true;  // EAGAIN: disarmed meanwhile
        continue;
      }
      if (evs[i].data.ptr != nullptr) continue;
      uint64_t v;
      if (read(t->evfd, &v, sizeof v) < 0) {
        // EAGAIN: already consumed; nothing else can fail on an eventfd
      }
    }
    removed.clear();
    if (t->has_cmds.load(std::memory_order_acquire)) quit |= ApplyCommands(t, work, removed);
    for (int i = 0; i < n; i++) {
      if (evs[i].data.ptr == nullptr || evs[i].data.ptr == &g_timer_tag) continue;
      if (t->has_cmds.load(std::memory_order_acquire)) quit |= ApplyCommands(t, work, removed);
      // Taken off this thread by a command above (possibly freed already): skip without touching it.
      if (!removed.empty() && WasRemoved(removed, evs[i].data.ptr)) continue;
      Poll* p = static_cast<Poll*>(evs[i].data.ptr);
      Ep* e = p->ep;
      if (!e->in_epoll) continue;
      if (evs[i].events & EPOLLERR) CountSocketError(&t->ctx, e, p->rtcp);
      if (evs[i].events & EPOLLIN) Drain(&t->ctx, e, p->rtcp);
    }
    // The mix clocks (MixClock): after the packets of this wake-up, so a primary talker's packet that
    // arrived with the tick is mixed on arrival first.
    if (tick) {
      if (t->has_cmds.load(std::memory_order_acquire)) quit |= ApplyCommands(t, work, removed);
      const double now = NowMs();
      for (ThreadSite* site : t->mixes) site->mix->Tick(now);
    }
    FlushMixOut(t);
  }
  FlushMixOut(t);
  // Whatever ended the loop, nobody may wait for this thread any more.
  std::lock_guard<std::mutex> lk(t->mu);
  t->alive = false;
  t->cv.notify_all();
}

// Queue a command; returns its sequence number, or 0 if the thread no longer runs.
uint64_t Post(MediaThread* t, Cmd c) {
  std::lock_guard<std::mutex> lk(t->mu);
  if (!t->alive) return 0;
  c.seq = ++t->next_seq;
  t->q.push_back(c);
  t->has_cmds.store(true, std::memory_order_release);
  const uint64_t one = 1;
  if (write(t->evfd, &one, sizeof one) < 0) {
    // EAGAIN only when the counter would overflow: the thread is already due to wake.
  }
  return c.seq;
}

void WaitFor(MediaThread* t, uint64_t seq) {
  std::unique_lock<std::mutex> lk(t->mu);
  t->cv.wait(lk, [&] { return t->done_seq >= seq || !t->alive; });
}

// Post a command and wait for it: true if the thread executed it, false if the thread no longer
// runs (then nothing else touches what the command named, and the caller undoes its side itself).
bool Execute(MediaThread* t, const Cmd& c) {
  const uint64_t seq = Post(t, c);
  if (seq == 0) return false;
  WaitFor(t, seq);
  std::lock_guard<std::mutex> lk(t->mu);
  return t->done_seq >= seq;
}

void FreeThreadResources(MediaThread* t) {
  if (t->epfd >= 0) close(t->epfd);
  if (t->evfd >= 0) close(t->evfd);
  if (t->tfd >= 0) close(t->tfd);
  t->epfd = t->evfd = t->tfd = -1;
  std::free(t->ctx.buf);
  t->ctx.buf = nullptr;
  std::free(t->out.buf);
  t->out.buf = nullptr;
  g_events_dropped_gone += t->ring.dropped.load(std::memory_order_relaxed);
  t->ring.dropped.store(0, std::memory_order_relaxed);
  std::free(t->ring.buf);
  t->ring.buf = nullptr;
  if (t->ctx.nonrtp != nullptr) {
    std::free(t->ctx.nonrtp->buf);
    delete t->ctx.nonrtp;
    t->ctx.nonrtp = nullptr;
  }
}

void StopThread(MediaThread* t) {
  Cmd c{};
  c.op = OP_QUIT;
  Post(t, c);  // 0 if it already stopped: joined all the same
  if (t->th.joinable()) t->th.join();
  // The MediaThread itself is kept (an endpoint or a mix site still pointing at it sees alive = false).
  FreeThreadResources(t);
}

// ---- ThreadSite: the MixSite/MixHost of a mix on a media thread -----------------------------------

int ThreadSite::thread() const { return t_->index; }

// The media threads' clock (performance.now() ms), for the mix's signalling-time decisions.
double ThreadSite::NowMs() const { return wn::NowMs(); }

ThreadSite::~ThreadSite() { Detach(); }

bool ThreadAlive(MediaThread* t) {
  std::lock_guard<std::mutex> lk(t->mu);
  return t->alive;
}

// The site's thread (or the caller, if the thread is gone).
void ListSite(MediaThread* t, ThreadSite* site) {
  if (site->listed) return;
  t->mixes.push_back(site);  // signalling time: may allocate
  site->listed = true;
  if (t->mixes.size() == 1 && t->tfd >= 0) ArmTimer(t, true);
}

void ThreadSite::Attach(mix::CallMix* m) {
  mix = m;
  ListSite(t_, this);
}

void ThreadSite::Run(void (*fn)(void*), void* arg) {
  Cmd c{};
  c.op = OP_RUN;
  c.fn = fn;
  c.arg = arg;
  if (!detached && Execute(t_, c)) return;
  // The thread is gone (or never got it): nothing else touches the mix, run it here.
  fn(arg);
}

void ThreadSite::Detach() {
  if (detached) return;
  detached = true;
  Cmd c{};
  c.op = OP_MIX_DETACH;
  c.site = this;
  if (!Execute(t_, c)) {  // the thread is gone: undo its side here
    std::vector<Ep*> removed;
    if (listed) {
      for (size_t i = 0; i < t_->mixes.size(); i++)
        if (t_->mixes[i] == this) t_->mixes.erase(t_->mixes.begin() + static_cast<long>(i));
      listed = false;
    }
    for (int i = 0; i < mix::kMaxParticipants; i++) {
      if (eps[i] != nullptr) {
        eps[i]->site = nullptr;
        eps[i]->mix_idx = -1;
        eps[i]->in_epoll = false;
      }
      eps[i] = nullptr;
      rtcp_peer[i] = -1;
    }
  }
  for (int i = 0; i < mix::kMaxParticipants; i++) {
    Ep* e = main_eps[i];
    if (e == nullptr) continue;
    t_->endpoints--;
    e->thread = nullptr;
    e->attached = nullptr;
    e->attached_idx = -1;
    main_eps[i] = nullptr;
  }
  t_->mixes_main--;
}

// (P) A packet of a stream the mix originates (its own SSRC): sent as Send does, then, when due, the RTCP
// sender report about it (rtp/rtcp_report.h) to the party's RTCP destination (its RTP port under
// rtcp-mux); none without one. Built in the endpoint's own buffer.
void ThreadSite::SendOwn(int idx, const uint8_t* buf, size_t len) {
  Send(idx, buf, len);
  Ep* e = idx >= 0 && idx < mix::kMaxParticipants ? eps[idx] : nullptr;
  if (e == nullptr || e->s[REMOTE_PORT] == 0) return;
  const double nowMs = wn::NowMs();
  if (!e->rtcp_tx.Sent(buf, len, nowMs)) return;
  const double* s = e->s;
  const double port = s[REMOTE_RTCP_PORT];
  if (!(port > 0 && port <= 65535)) return;
  Addr addr;
  RemoteOf(s, e->v6, addr);
  if (IsOwn(e, addr, port)) return;
  // A report is due and has a destination: only now the wall clock is read and the report built.
  timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  const uint64_t wallUs = static_cast<uint64_t>(wall.tv_sec) * 1000000u + static_cast<uint64_t>(wall.tv_nsec / 1000);
  const size_t n = e->rtcp_tx.Build(s, kRxSlots, nowMs, wallUs, g_rtcp_cname);
  sockaddr_in6 dst;
  const socklen_t dst_len = DestOf(e->v6, addr, port, dst);
  const int fd = port == s[REMOTE_PORT] ? e->rtp_fd : e->rtcp_fd;
  const uint8_t* out = e->rtcp_tx.buf;
  size_t out_len = n;
  uint8_t sec[rtp::kReportBytes + srtp::kMaxOverhead];
  if (e->srtp_pending) {
    Inc(t_->ctx.drops[D_SRTP_NO_KEYS]);
    return;
  }
  if (e->srtp_tx != nullptr) {  // (issue 12) SRTCP
    std::memcpy(sec, e->rtcp_tx.buf, n);
    if (!ProtectOut(e->srtp_tx, t_->ctx.drops, sec, out_len, sizeof sec, true)) return;
    out = sec;
  }
  if (sendto(fd, out, out_len, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&dst), dst_len) < 0) {
    Inc(t_->ctx.drops[D_SEND_ERROR]);
    return;
  }
  Inc(t_->ctx.counters[RTCP_PACKETS_OUT]);
  Inc(t_->ctx.counters[RTCP_BYTES_OUT], static_cast<double>(out_len));
}

void ThreadSite::Send(int idx, const uint8_t* buf, size_t len) {
  double* drops = t_->ctx.drops;
  Ep* e = idx >= 0 && idx < mix::kMaxParticipants ? eps[idx] : nullptr;
  if (e == nullptr || e->s[REMOTE_PORT] == 0) {  // RtpEndpoint.sendRtp
    Inc(drops[D_NO_DESTINATION]);
    return;
  }
  const double* s = e->s;
  Addr addr;
  RemoteOf(s, e->v6, addr);
  const double port = s[REMOTE_PORT];
  if (IsOwn(e, addr, port)) {
    Inc(drops[D_OWN_ADDRESS]);
    return;
  }
  if (!(port > 0 && port <= 65535)) {
    Inc(e->s[RTP_ERRORS]);
    Inc(drops[D_SEND_ERROR]);
    return;
  }
  if (e->srtp_pending) {  // (issue 12) keys not there yet
    Inc(drops[D_SRTP_NO_KEYS]);
    return;
  }
  srtp::Context* const tx = e->srtp_tx;
  double* cnt = t_->ctx.counters;
  MixOut& o = t_->out;
  sockaddr_in6 dst;
  const socklen_t dst_len = DestOf(e->v6, addr, port, dst);
  const size_t room = len + (tx != nullptr ? srtp::kMaxOverhead : 0);
  if (room > MIX_OUT_BYTES || o.buf == nullptr) {  // larger than any mix output: send it alone
    const uint8_t* out = buf;
    if (tx != nullptr) {
      if (len > SLOT_BYTES) {
        Inc(drops[D_INTERNAL]);
        return;
      }
      std::memcpy(o.big, buf, len);
      if (!ProtectOut(tx, drops, o.big, len, sizeof o.big, false)) return;
      out = o.big;
    }
    Inc(cnt[RTP_PACKETS_OUT]);
    Inc(cnt[RTP_BYTES_OUT], static_cast<double>(len));
    if (sendto(e->rtp_fd, out, len, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&dst), dst_len) < 0) {
      Inc(e->s[RTP_ERRORS]);
      Inc(drops[D_SEND_ERROR]);
    }
    return;
  }
  if (o.n == MIX_OUT_BATCH) FlushMixOut(t_);
  uint8_t* slot = o.buf + static_cast<size_t>(o.n) * MIX_OUT_BYTES;
  std::memcpy(slot, buf, len);
  if (tx != nullptr && !ProtectOut(tx, drops, slot, len, MIX_OUT_BYTES, false)) return;  // (issue 12) in its batch slot
  Inc(cnt[RTP_PACKETS_OUT]);
  Inc(cnt[RTP_BYTES_OUT], static_cast<double>(len));
  const int k = o.n++;
  o.addr[k] = dst;
  o.iov[k].iov_base = slot;
  o.iov[k].iov_len = len;
  msghdr& h = o.tx[k].msg_hdr;
  h.msg_name = &o.addr[k];
  h.msg_namelen = dst_len;
  h.msg_iov = &o.iov[k];
  h.msg_iovlen = 1;
  h.msg_control = nullptr;
  h.msg_controllen = 0;
  h.msg_flags = 0;
  o.from[k] = e;
  o.fds[k] = e->rtp_fd;
}

bool ThreadSite::HasDestination(int idx) const {
  const Ep* e = idx >= 0 && idx < mix::kMaxParticipants ? eps[idx] : nullptr;
  return e != nullptr && e->s[REMOTE_PORT] != 0;
}

void ThreadSite::CountDrop(int reason) {
  if (reason >= 0 && reason < DROP_COUNT) Inc(t_->ctx.drops[reason]);
}

// One event record into the thread's ring: a 24-byte header, then up to three payload parts; the
// record is padded to a multiple of 8. Dropped whole (and counted) if the ring has no room.
struct Part {
  const void* p;
  size_t n;
};

inline void RingCopyIn(Ring& r, uint64_t at, const void* src, size_t n) {
  const size_t off = static_cast<size_t>(at % r.cap);
  const size_t first = n < r.cap - off ? n : r.cap - off;
  std::memcpy(r.buf + off, src, first);
  if (first < n) std::memcpy(r.buf, static_cast<const uint8_t*>(src) + first, n - first);
}

void PutRecord(MediaThread* t, uint16_t type, int idx, uint8_t flags, uint32_t mix_id, uint32_t n, double now, Part a, Part b = {nullptr, 0},
               Part c = {nullptr, 0}) {
  Ring& r = t->ring;
  if (r.buf == nullptr) return;
  const size_t body = 24 + a.n + b.n + c.n;
  const size_t size = (body + 7) & ~static_cast<size_t>(7);
  const uint64_t h = r.head.load(std::memory_order_relaxed);
  const uint64_t tl = r.tail.load(std::memory_order_acquire);
  if (size > r.cap - (h - tl)) {
    r.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  uint8_t hdr[24];
  const uint32_t sz = static_cast<uint32_t>(size);
  std::memcpy(hdr, &sz, 4);
  std::memcpy(hdr + 4, &type, 2);
  hdr[6] = static_cast<uint8_t>(idx);
  hdr[7] = flags;
  std::memcpy(hdr + 8, &mix_id, 4);
  std::memcpy(hdr + 12, &n, 4);
  std::memcpy(hdr + 16, &now, 8);
  uint64_t at = h;
  RingCopyIn(r, at, hdr, 24);
  at += 24;
  const Part parts[3] = {a, b, c};
  for (const Part& p : parts) {
    if (p.n == 0) continue;
    RingCopyIn(r, at, p.p, p.n);
    at += p.n;
  }
  r.head.store(h + size, std::memory_order_release);
}

enum RecordType : uint16_t { REC_SENT = 1, REC_DTMF = 2, REC_OBSERVED = 3, REC_MIXED = 4 };

void ThreadSite::OnTelephoneEvent(int idx, const uint8_t* pkt, size_t len, bool fromLatched) {
  PutRecord(t_, REC_DTMF, idx, fromLatched ? 1 : 0, id_, static_cast<uint32_t>(len), arrival, Part{pkt, len});
}

void ThreadSite::OnObserved(int inIdx, const int16_t* pcm, int n, double nowMs) {
  if (n <= 0) return;
  PutRecord(t_, REC_OBSERVED, inIdx, 0, id_, static_cast<uint32_t>(n), nowMs, Part{pcm, static_cast<size_t>(n) * 2});
}

void ThreadSite::OnMixed(int outIdx, const int16_t* pcm, int n, int srcIdx, const int16_t* contrib, const int16_t* raw, double nowMs) {
  if (n <= 0) return;
  const size_t bytes = static_cast<size_t>(n) * 2;
  if (contrib != nullptr && raw != nullptr)
    PutRecord(t_, REC_MIXED, outIdx, 1, id_, static_cast<uint32_t>(n), nowMs, Part{pcm, bytes}, Part{contrib, bytes}, Part{raw, bytes});
  else
    PutRecord(t_, REC_MIXED, outIdx, 0, id_, static_cast<uint32_t>(n), nowMs, Part{pcm, bytes});
}

void StopAllThreads() {
  for (MediaThread* t : g_threads) StopThread(t);
  g_threads.clear();
}

void CleanupHook(void*) {
  // Environment teardown: join the threads before the counters array they write goes away.
  StopAllThreads();
}

// ---------------------------------------------------------------------------------------------------
// Endpoint lifecycle

void OnReadable(uv_poll_t* h, int status, int events) {
  Poll* p = static_cast<Poll*>(h->data);
  Ep* e = p->ep;
  if (e->stopped) return;
  if (status < 0) {
    // libuv stops a poll handle on POLLERR: clear the socket error, count it, poll again.
    CountSocketError(&g_loop, e, p->rtcp);
    uv_poll_start(&p->h, UV_READABLE, OnReadable);
    return;
  }
  Drain(&g_loop, e, p->rtcp);
}

void OnClosed(uv_handle_t* h) {
  Poll* p = static_cast<Poll*>(h->data);
  Ep* e = p->ep;
  if (--e->open_handles == 0) {
    delete e;
    g_live--;
  }
}

void ReleaseRefs(Ep* e) {
  if (e->state_ref != nullptr) {
    napi_delete_reference(e->env, e->state_ref);
    e->state_ref = nullptr;
  }
  if (e->own_ref != nullptr) {
    napi_delete_reference(e->env, e->own_ref);
    e->own_ref = nullptr;
  }
  if (e->own6_ref != nullptr) {
    napi_delete_reference(e->env, e->own6_ref);
    e->own6_ref = nullptr;
  }
  e->s = nullptr;
  e->own = nullptr;
  e->own6 = nullptr;
}

// Stop relaying, unlink, close the dup fds and release the state array. Idempotent. On a media thread
// this waits until the thread has removed the fds from its epoll set and closed them; the Ep is freed
// at once. On Node's loop the Ep is freed when both poll handles have closed.
void StopEp(void* state) {
  Ep* e = static_cast<Ep*>(state);
  if (e->stopped) return;
  e->stopped = true;
  if (e->thread != nullptr) {
    MediaThread* t = e->thread;
    // A pair stops as one (ApplyRemove): the second endpoint was already detached by the first one's
    // acknowledged REMOVE, so the thread no longer refers to it and no round trip is needed.
    if (!e->detached) {
      Cmd c{};
      c.op = OP_REMOVE;
      c.a = e;
      if (!Execute(t, c)) {
        // The thread is gone (environment teardown): nothing polls the fds any more.
        e->peer = nullptr;
        e->in_epoll = false;
      }
    }
    if (e->rtp_fd >= 0 || e->rtcp_fd >= 0) ApplyRemove(nullptr, e);
    if (e->attached != nullptr) {
      e->attached->main_eps[e->attached_idx] = nullptr;
      e->attached = nullptr;
    }
    t->endpoints--;
    ReleaseRefs(e);
    delete e;
    g_live--;
    return;
  }
  if (e->peer != nullptr) {
    if (e->peer->peer == e) e->peer->peer = nullptr;
    e->peer = nullptr;
  }
  if (e->open_handles == 0) {  // never started on Node's loop: no poll handles
    ApplyRemove(nullptr, e);
    ReleaseRefs(e);
    delete e;
    g_live--;
    return;
  }
  Poll* polls[2] = {&e->rtp, &e->rtcp};
  const int handles = e->open_handles;  // 1 if only the RTP handle could be initialised
  for (int i = 0; i < handles; i++) {
    uv_poll_stop(&polls[i]->h);  // removes the fd from epoll at once
    uv_close(reinterpret_cast<uv_handle_t*>(&polls[i]->h), OnClosed);
  }
  if (e->rtp_fd >= 0) close(e->rtp_fd);
  if (e->rtcp_fd >= 0) close(e->rtcp_fd);
  e->rtp_fd = e->rtcp_fd = -1;
  ReleaseRefs(e);
}

Napi::Value Throw(Napi::Env env, const char* msg) {
  Napi::Error::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool Float64Arg(const Napi::CallbackInfo& info, size_t index, size_t min_len, double*& data, napi_value& value) {
  size_t len;
  if (!Float64ArrayArg(info, index, data, len) || len < min_len) return false;
  value = info[index];
  return true;
}

// A dup of a UDP socket of family `want` (AF_INET or AF_INET6), or -1.
int DupUdp(int fd, int want) {
  int type = 0, domain = 0;
  socklen_t l = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) != 0 || type != SOCK_DGRAM) return -1;
  l = sizeof domain;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &l) != 0 || domain != want) return -1;
  return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

// The family of a socket (AF_INET / AF_INET6), -1 if unknown.
int FamilyOf(int fd) {
  int domain = 0;
  socklen_t l = sizeof domain;
  return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &l) == 0 ? domain : -1;
}

// relayInit(counters: Float64Array(8), drops: Float64Array(15), perfNowMs): 0
Napi::Value RelayInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double* counters;
  double* drops;
  napi_value cv, dv;
  if (!Float64Arg(info, 0, COUNTER_COUNT, counters, cv) || !Float64Arg(info, 1, DROP_COUNT, drops, dv) ||
      info.Length() < 3 || !info[2].IsNumber())
    return Int(env, ERR_ARG);
  if (!InitCtx(&g_loop)) return Throw(env, "relayInit: out of memory");
  // Keep the arrays alive for the life of the process (they are mediaCounters' own storage).
  napi_ref r;
  napi_create_reference(env, cv, 1, &r);
  napi_create_reference(env, dv, 1, &r);
  g_loop.counters = counters;
  g_loop.drops = drops;
  g_clock_offset_ms = static_cast<double>(uv_hrtime()) / 1e6 - info[2].As<Napi::Number>().DoubleValue();
  return Int(env, 0);
}

// relayThreadsStart(n, counters: Float64Array(n * 23), ringBytes?, policy?, priority?): start n media threads; thread i
// counts into counters[23i .. 23i+23) (8 values, then 15 drop reasons); each has an event ring of
// ringBytes (default 4 MiB; a multiple of 8, >= 4096, <= 1 GiB). policy: SchedPolicy code (0 = leave
// the inherited scheduling), priority: fifo/rr static priority 1..99 (default 1), else a nice value
// -20..19 (undefined: leave it); each thread applies them to itself before returning here; a refusal
// is only reported (relayThreadSched). 0, ERR_ARG (bad arguments or threads already running), or -errno.
Napi::Value RelayThreadsStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t n;
  if (!IndexArg(info, 0, MAX_THREADS, n) || n == 0 || !g_threads.empty() || g_loop.counters == nullptr) return Int(env, ERR_ARG);
  double* counters;
  napi_value cv;
  if (!Float64Arg(info, 1, static_cast<size_t>(n) * THREAD_COUNTER_SLOTS, counters, cv)) return Int(env, ERR_ARG);
  size_t ring_bytes = RING_BYTES;
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    uint32_t rb;
    if (!IndexArg(info, 2, 1u << 30, rb) || rb < RING_MIN_BYTES || rb % 8 != 0) return Int(env, ERR_ARG);
    ring_bytes = rb;
  }
  int policy = SP_DEFAULT;
  bool has_prio = false;
  int prio = 0;
  if (info.Length() > 3 && !info[3].IsUndefined()) {
    uint32_t v;
    if (!IndexArg(info, 3, SP_IDLE, v)) return Int(env, ERR_ARG);
    policy = static_cast<int>(v);
  }
  if (info.Length() > 4 && !info[4].IsUndefined()) {
    if (!info[4].IsNumber()) return Int(env, ERR_ARG);
    const double d = info[4].As<Napi::Number>().DoubleValue();
    const bool rt = policy == SP_FIFO || policy == SP_RR;
    if (!(d == static_cast<int>(d)) || (rt ? (d < 1 || d > 99) : (d < -20 || d > 19))) return Int(env, ERR_ARG);
    has_prio = true;
    prio = static_cast<int>(d);
  }
  g_sched_policy = policy;
  g_sched_has_prio = has_prio;
  g_sched_prio = prio;
  if (g_thread_counters_ref != nullptr) napi_delete_reference(env, g_thread_counters_ref);
  napi_create_reference(env, cv, 1, &g_thread_counters_ref);
  if (!g_cleanup_hook) {
    napi_add_env_cleanup_hook(env, CleanupHook, nullptr);
    g_cleanup_hook = true;
  }
  for (uint32_t i = 0; i < n; i++) {
    MediaThread* t = new MediaThread();
    t->index = static_cast<int>(i);
    t->epfd = epoll_create1(EPOLL_CLOEXEC);
    t->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    int err = 0;
    if (t->epfd < 0 || t->evfd < 0 || t->tfd < 0) err = -errno;
    if (err == 0 && !InitCtx(&t->ctx)) err = -ENOMEM;
    if (err == 0) {
      // The ring and the mix output batch: untouched pages cost nothing until a mix uses them.
      t->ring.cap = ring_bytes;
      t->ring.buf = static_cast<uint8_t*>(std::malloc(ring_bytes));
      t->out.buf = static_cast<uint8_t*>(std::malloc(MIX_OUT_BATCH * MIX_OUT_BYTES));
      if (t->ring.buf == nullptr || t->out.buf == nullptr) err = -ENOMEM;
    }
    if (err == 0) {
      epoll_event ev;
      std::memset(&ev, 0, sizeof ev);
      ev.events = EPOLLIN;
      ev.data.ptr = nullptr;
      if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->evfd, &ev) != 0) err = -errno;
      ev.data.ptr = &g_timer_tag;
      if (err == 0 && epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->tfd, &ev) != 0) err = -errno;
    }
    if (err != 0) {
      FreeThreadResources(t);
      delete t;
      StopAllThreads();
      return Int(env, err);
    }
    t->ctx.counters = counters + static_cast<size_t>(i) * THREAD_COUNTER_SLOTS;
    t->ctx.drops = t->ctx.counters + COUNTER_COUNT;
    t->alive = true;
    t->th = std::thread(Run, t);
    g_threads.push_back(t);
  }
  // Each thread has applied its scheduling (or recorded the refusal) before this returns.
  for (MediaThread* t : g_threads) {
    std::unique_lock<std::mutex> lk(t->mu);
    t->cv.wait(lk, [t] { return t->started; });
  }
  return Int(env, 0);
}

// relayThreadSched(): per running media thread {tid, policy (SCHED_* as the kernel reports it for the
// thread), rtPriority, nice, error (errno of a refused setting, 0 none), step ('policy'|'nice'|'')}.
Napi::Value RelayThreadSched(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array a = Napi::Array::New(env, g_threads.size());
  for (size_t i = 0; i < g_threads.size(); i++) {
    MediaThread* t = g_threads[i];
    int tid, err, step;
    {
      std::unique_lock<std::mutex> lk(t->mu);
      t->cv.wait(lk, [t] { return t->started; });
      tid = t->tid, err = t->sched_err, step = t->sched_step;
    }
    Napi::Object o = Napi::Object::New(env);
    sched_param p;
    std::memset(&p, 0, sizeof p);
    const int pol = sched_getscheduler(tid);
    if (sched_getparam(tid, &p) != 0) p.sched_priority = -1;
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    o.Set("tid", Napi::Number::New(env, tid));
    o.Set("policy", Napi::Number::New(env, pol & ~SCHED_RESET_ON_FORK));
    o.Set("rtPriority", Napi::Number::New(env, p.sched_priority));
    o.Set("nice", Napi::Number::New(env, nice));
    o.Set("error", Napi::Number::New(env, err));
    o.Set("step", Napi::String::New(env, step == 1 ? "policy" : step == 2 ? "nice" : ""));
    a.Set(static_cast<uint32_t>(i), o);
  }
  return a;
}

// relayThreadsStop(): join the media threads. 0; ERR_ARG if an endpoint is still on one (nothing
// stopped); ERR_CLOSED if none run.
Napi::Value RelayThreadsStop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_threads.empty()) return Int(env, ERR_CLOSED);
  for (MediaThread* t : g_threads)
    if (t->endpoints != 0 || t->mixes_main != 0) return Int(env, ERR_ARG);
  StopAllThreads();
  return Int(env, 0);
}

// relayThreadLoads(): endpoints on each running media thread ([] when none run).
Napi::Value RelayThreadLoads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array a = Napi::Array::New(env, g_threads.size());
  for (size_t i = 0; i < g_threads.size(); i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, g_threads[i]->endpoints));
  return a;
}

// relayOpen(rtpFd, rtcpFd, state: Float64Array(21), own?: Float64Array(19), own6?: Float64Array(65)):
// handle. Throws unless both fds are UDP sockets of one family (udp4, or udp6: remote in REMOTE_ADDR6,
// own IPv6 addresses in own6). Nothing polls them until relayStart.
Napi::Value RelayOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_loop.counters == nullptr) return Throw(env, "relayOpen: relayInit was not called");
  uint32_t rtp_fd, rtcp_fd;
  double* s;
  napi_value sv;
  if (!IndexArg(info, 0, INT32_MAX, rtp_fd) || !IndexArg(info, 1, INT32_MAX, rtcp_fd) || !Float64Arg(info, 2, SLOT_COUNT, s, sv))
    return Throw(env, "relayOpen: bad arguments");
  double* own = nullptr;
  napi_value ov = nullptr;
  if (info.Length() > 3 && !info[3].IsUndefined() && !Float64Arg(info, 3, OWN_SIZE, own, ov))
    return Throw(env, "relayOpen: bad own-sockets table");
  double* own6 = nullptr;
  napi_value o6v = nullptr;
  if (info.Length() > 4 && !info[4].IsUndefined() && !Float64Arg(info, 4, OWN6_SIZE, own6, o6v))
    return Throw(env, "relayOpen: bad IPv6 own-sockets table");
  const int family = FamilyOf(static_cast<int>(rtp_fd));
  if (family != AF_INET && family != AF_INET6) return Throw(env, "relayOpen: RTP fd is not a udp4/udp6 socket");
  const int d1 = DupUdp(static_cast<int>(rtp_fd), family);
  if (d1 < 0) return Throw(env, "relayOpen: RTP fd is not a udp4/udp6 socket");
  const int d2 = DupUdp(static_cast<int>(rtcp_fd), family);
  if (d2 < 0) {
    close(d1);
    return Throw(env, "relayOpen: RTCP fd is not a UDP socket of the RTP fd's family");
  }
  Ep* e = new Ep();
  e->v6 = family == AF_INET6;
  e->rtp_fd = d1;
  e->rtcp_fd = d2;
  e->rtp.ep = e->rtcp.ep = e;
  e->rtcp.rtcp = true;
  e->env = env;
  g_live++;
  napi_create_reference(env, sv, 1, &e->state_ref);
  e->s = s;
  if (own != nullptr) {
    napi_create_reference(env, ov, 1, &e->own_ref);
    e->own = own;
  }
  if (own6 != nullptr) {
    napi_create_reference(env, o6v, 1, &e->own6_ref);
    e->own6 = own6;
  }
  return MakeHandle(env, KIND_RELAY, e, StopEp);
}

int StartOnLoop(napi_env env, Ep* a, Ep* b) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) return ERR_ARG;
  Ep* eps[2] = {a, b};
  for (Ep* e : eps) {
    if (uv_poll_init(loop, &e->rtp.h, e->rtp_fd) != 0) return ERR_ARG;
    e->rtp.h.data = &e->rtp;
    e->open_handles = 1;
    if (uv_poll_init(loop, &e->rtcp.h, e->rtcp_fd) != 0) return ERR_ARG;  // StopEp closes the RTP handle
    e->rtcp.h.data = &e->rtcp;
    e->open_handles = 2;
  }
  a->peer = b;
  b->peer = a;
  Poll* polls[4] = {&a->rtp, &a->rtcp, &b->rtp, &b->rtcp};
  for (Poll* p : polls) {
    const int r = uv_poll_start(&p->h, UV_READABLE, OnReadable);
    if (r != 0) {
      for (Poll* q : polls) uv_poll_stop(&q->h);
      a->peer = b->peer = nullptr;
      return r;
    }
  }
  return 0;
}

// The least loaded media thread (endpoints, plus one per hosted mix); ties go round robin so an idle
// daemon spreads calls too. Main thread; g_threads not empty.
MediaThread* LeastLoaded() {
  const int n = static_cast<int>(g_threads.size());
  MediaThread* best = nullptr;
  for (int k = 0; k < n; k++) {
    MediaThread* t = g_threads[(g_rr + k) % n];
    if (best == nullptr || t->endpoints + t->mixes_main < best->endpoints + best->mixes_main) best = t;
  }
  g_rr = (best->index + 1) % n;
  return best;
}

// relayStart(a, b, thread?): link the pair and start relaying both, on media thread `thread` (a call
// and all its legs live on one thread), or the least loaded one (absent or -1), if threads run; else
// on Node's loop (then `thread` is ignored). 0, or a NativeError / -errno (then nothing polls them).
Napi::Value RelayStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Ep* a = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  Ep* b = static_cast<Ep*>(StateOf(info, 1, KIND_RELAY));
  if (a == nullptr || b == nullptr || a->stopped || b->stopped) return Int(env, ERR_CLOSED);
  if (a == b || a->peer != nullptr || b->peer != nullptr || a->thread != nullptr || b->thread != nullptr || a->open_handles != 0 || b->open_handles != 0)
    return Int(env, ERR_ARG);
  int want = -1;
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    if (!info[2].IsNumber()) return Int(env, ERR_ARG);
    const double w = info[2].As<Napi::Number>().DoubleValue();
    if (!(w >= -1 && w < MAX_THREADS) || w != static_cast<int>(w)) return Int(env, ERR_ARG);
    want = static_cast<int>(w);
  }
  if (g_threads.empty()) return Int(env, StartOnLoop(env, a, b));
  if (want >= static_cast<int>(g_threads.size())) return Int(env, ERR_ARG);
  MediaThread* best = want >= 0 ? g_threads[static_cast<size_t>(want)] : LeastLoaded();
  Cmd c{};
  c.op = OP_ADD;
  c.a = a;
  c.b = b;
  const uint64_t seq = Post(best, c);
  if (seq == 0) return Int(env, ERR_CLOSED);
  WaitFor(best, seq);
  if (a->add_err != 0) return Int(env, a->add_err);
  a->thread = b->thread = best;
  best->endpoints += 2;
  return Int(env, 0);
}

// relaySet(h, slot, value, gen, words?): JS changes one slot of a native endpoint's state; when
// applied, state[APPLIED] = gen. Synchronous on Node's loop, queued to the endpoint's media thread
// otherwise. slot REMOTE_ADDR6 (an IPv6 endpoint's remote) takes its 4 words from `words`
// (Float64Array(4)) and sets all four in one command, so no packet sees half an address.
Napi::Value RelaySet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Ep* e = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  if (e == nullptr || e->stopped) return Int(env, ERR_CLOSED);
  uint32_t slot;
  // Settable: 0..15, REMOTE_ADDR6 (its 4 words), and the media-control switches POLICY..ALAW_PT, DTMF_REPLACE, SEQ_OFFSET.
  if (!IndexArg(info, 1, SEQ_OFFSET, slot) || slot == APPLIED || (slot > REMOTE_ADDR6 && slot < POLICY) ||
      (slot > ALAW_PT && slot < DTMF_REPLACE) || info.Length() < 4 || !info[2].IsNumber() || !info[3].IsNumber())
    return Int(env, ERR_ARG);
  const double v = info[2].As<Napi::Number>().DoubleValue();
  const double gen = info[3].As<Napi::Number>().DoubleValue();
  double w[4] = {0, 0, 0, 0};
  if (slot == REMOTE_ADDR6) {
    double* words;
    size_t n;
    if (!e->v6 || !Float64ArrayArg(info, 4, words, n) || n < 4) return Int(env, ERR_ARG);
    for (int i = 0; i < 4; i++) {
      if (!(words[i] >= 0 && words[i] <= 4294967295.0) || words[i] != static_cast<double>(static_cast<uint32_t>(words[i]))) return Int(env, ERR_ARG);
      w[i] = words[i];
    }
  }
  if (e->thread == nullptr) {
    if (slot == REMOTE_ADDR6) {
      for (int i = 0; i < 4; i++) e->s[REMOTE_ADDR6 + i] = w[i];
    } else {
      e->s[slot] = v;
    }
    e->s[APPLIED] = gen;
    return Int(env, 0);
  }
  Cmd c{};
  c.op = OP_SET;
  c.a = e;
  c.slot = static_cast<int>(slot);
  c.value = v;
  for (int i = 0; i < 4; i++) c.w[i] = w[i];
  c.gen = gen;
  return Int(env, Post(e->thread, c) != 0 ? 0 : ERR_CLOSED);
}

// relaySetSrtp(h, rx, tx, pending, nonRtpId): (issue 12) the endpoint's SRTP contexts (SrtpHandle or
// null), pending keys (drop everything in and out), and the id under which its STUN/DTLS datagrams are
// queued for relayNonRtp (0: none; dropped and counted). On a media thread the change is a command and
// this returns once the thread applied it: from then on the thread no longer uses the contexts it had,
// so JS may free them. The contexts must stay alive until replaced here or the endpoint stopped.
Napi::Value RelaySetSrtp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Ep* e = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  if (e == nullptr || e->stopped) return Int(env, ERR_CLOSED);
  srtp::Context* rx = nullptr;
  srtp::Context* tx = nullptr;
  if (info.Length() < 5) return Int(env, ERR_ARG);
  if (!info[1].IsNull() && !info[1].IsUndefined() && (rx = SrtpContextOf(info, 1)) == nullptr) return Int(env, ERR_ARG);
  if (!info[2].IsNull() && !info[2].IsUndefined() && (tx = SrtpContextOf(info, 2)) == nullptr) return Int(env, ERR_ARG);
  const bool pending = info[3].ToBoolean().Value();
  uint32_t id;
  if (!IndexArg(info, 4, UINT32_MAX, id)) return Int(env, ERR_ARG);
  Cmd c{};
  c.op = OP_SRTP;
  c.a = e;
  c.rx = rx;
  c.tx = tx;
  c.pending = pending;
  c.nonrtp_id = id;
  // Not on a thread (on Node's loop, not started, or the thread is gone): set here.
  if (e->thread == nullptr || e->detached || !Execute(e->thread, c)) SetSecurity(c);
  return Int(env, 0);
}

// Move whole records from one ring into out[n..cap); returns the new n (stops at a record that does not fit).
size_t DrainNonRtp(NonRtpRing* r, uint8_t* out, size_t n, size_t cap) {
  if (r == nullptr || r->buf == nullptr) return n;
  uint64_t tl = r->tail.load(std::memory_order_relaxed);
  const uint64_t h = r->head.load(std::memory_order_acquire);
  while (tl < h) {
    uint32_t size;
    NonRtpCopyOut(*r, tl, &size, 4);
    if (n + size > cap) break;
    NonRtpCopyOut(*r, tl, out + n, size);
    n += size;
    tl += size;
  }
  r->tail.store(tl, std::memory_order_release);
  return n;
}

// relayNonRtp(buf: Uint8Array): (issue 12) the queued STUN/DTLS records of every receive context (the
// on-loop relay's and each media thread's) moved into buf (format above PutNonRtp); bytes written.
Napi::Value RelayNonRtp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint8_t* out;
  size_t cap;
  if (!Uint8ArrayArg(info, 0, out, cap)) return Int(env, ERR_ARG);
  size_t n = DrainNonRtp(g_loop.nonrtp, out, 0, cap);
  for (MediaThread* t : g_threads) n = DrainNonRtp(t->ctx.nonrtp, out, n, cap);
  return Int(env, static_cast<int32_t>(n));
}

// relayThreadOf(h): index of the media thread relaying for h, -1 if on Node's loop or not started.
Napi::Value RelayThreadOf(const Napi::CallbackInfo& info) {
  Ep* e = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  if (e == nullptr || e->thread == nullptr) return Int(info.Env(), -1);
  return Int(info.Env(), e->thread->index);
}

// relayStop(h): stop relaying now, close the dup fds, unlink. 0 (ERR_CLOSED if already stopped).
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

// ---------------------------------------------------------------------------------------------------
// MIXES ON MEDIA THREADS. A mix (mixCreate, mix_binding.cc) lives on one media thread: its site
// (ThreadSite) runs every configuration call and read as a RUN command there (the caller waits for the
// ack), the thread's 5 ms timerfd (armed while it hosts a mix) calls Tick() on each mix it hosts, and
// an endpoint attached to the mix (relayAttachMix) moves to that thread: its packets go through the
// same checks, latching and counters as a relayed endpoint's (Drain), then its RTP goes to
// CallMix::OnRtp and its RTCP to the endpoint of its RTCP peer participant. What the mix sends goes
// out of the destination participant's endpoint socket (sendmmsg, batched per wake-up); what it
// reports (DTMF, bleed taps) goes into the thread's event ring, drained by mixEvents().

// relayAttachMix(h, m, idx, rtcpPeerIdx = -1): endpoint h (opened, not relaying, not attached) feeds
// input idx of mix m and sends its output idx, on the mix's media thread. Its RTCP is relayed out of
// participant rtcpPeerIdx's endpoint (the TS engine relays RTCP to the offer/answer peer) while that
// one is attached too. 0, ERR_CLOSED (h or m closed), ERR_ARG (bad index, h busy, idx taken, m a probe
// mix), or -errno (then nothing changed).
Napi::Value RelayAttachMix(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Ep* e = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  if (e == nullptr || e->stopped) return Int(env, ERR_CLOSED);
  if (info.Length() < 2) return Int(env, ERR_ARG);
  mix::MixRef* ref = mix::UnwrapMix(info[1]);
  if (ref == nullptr || ref->mix == nullptr || ref->site == nullptr) return Int(env, ERR_CLOSED);
  uint32_t idx;
  if (!IndexArg(info, 2, mix::kMaxParticipants - 1, idx)) return Int(env, ERR_ARG);
  int rtcp_peer = -1;
  if (info.Length() > 3 && !info[3].IsUndefined()) {
    if (!info[3].IsNumber()) return Int(env, ERR_ARG);
    const double p = info[3].As<Napi::Number>().DoubleValue();
    if (!(p >= -1 && p < mix::kMaxParticipants) || p != static_cast<int>(p)) return Int(env, ERR_ARG);
    rtcp_peer = static_cast<int>(p) == static_cast<int>(idx) ? -1 : static_cast<int>(p);
  }
  const int th = ref->site->thread();
  if (th < 0 || static_cast<size_t>(th) >= g_threads.size()) return Int(env, ERR_ARG);  // a probe site
  ThreadSite* site = static_cast<ThreadSite*>(ref->site.get());
  if (site->detached) return Int(env, ERR_CLOSED);
  if (site->t_ != g_threads[static_cast<size_t>(th)]) return Int(env, ERR_CLOSED);  // threads restarted since
  if (e->peer != nullptr || e->thread != nullptr || e->open_handles != 0 || e->attached != nullptr) return Int(env, ERR_ARG);
  if (site->main_eps[idx] != nullptr) return Int(env, ERR_ARG);
  if (site->mix == nullptr) site->mix = ref->mix.get();
  if (site->mix != ref->mix.get()) return Int(env, ERR_ARG);
  Cmd c{};
  c.op = OP_ATTACH;
  c.a = e;
  c.site = site;
  c.slot = static_cast<int>(idx);
  c.value = rtcp_peer;
  if (!Execute(site->t_, c)) return Int(env, ERR_CLOSED);
  if (e->add_err != 0) return Int(env, e->add_err);
  e->thread = site->t_;
  e->attached = site;
  e->attached_idx = static_cast<int>(idx);
  site->main_eps[idx] = e;
  site->t_->endpoints++;
  return Int(env, 0);
}

// relayDetachMix(h): h leaves its mix: when this returns its media thread no longer reads its sockets
// (the dup fds stay open until relayStop(h)). 0 (also when not attached), ERR_CLOSED, ERR_ARG if h
// relays as a pair.
Napi::Value RelayDetachMix(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Ep* e = static_cast<Ep*>(StateOf(info, 0, KIND_RELAY));
  if (e == nullptr || e->stopped) return Int(env, ERR_CLOSED);
  if (e->attached == nullptr) return Int(env, e->peer != nullptr || e->open_handles != 0 ? ERR_ARG : 0);
  ThreadSite* site = e->attached;
  MediaThread* t = site->t_;
  Cmd c{};
  c.op = OP_DETACH;
  c.a = e;
  if (!Execute(t, c)) {  // the thread is gone: nothing polls the fds; undo its side here
    if (e->site != nullptr && e->site->eps[e->mix_idx] == e) e->site->eps[e->mix_idx] = nullptr;
    e->site = nullptr;
    e->mix_idx = -1;
    e->in_epoll = false;
  }
  site->main_eps[e->attached_idx] = nullptr;
  e->attached = nullptr;
  e->attached_idx = -1;
  e->thread = nullptr;
  t->endpoints--;
  return Int(env, 0);
}

// mixEvents(thread, buf: Uint8Array): move whole records from media thread `thread`'s event ring into
// buf. Bytes written (0 = none), ERR_SPACE if the next record does not fit in buf at all, ERR_ARG.
Napi::Value MixEvents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t th;
  uint8_t* out;
  size_t cap;
  if (!IndexArg(info, 0, MAX_THREADS, th) || !Uint8ArrayArg(info, 1, out, cap)) return Int(env, ERR_ARG);
  if (th >= g_threads.size()) return Int(env, ERR_ARG);
  Ring& r = g_threads[th]->ring;
  if (r.buf == nullptr) return Int(env, 0);
  uint64_t tl = r.tail.load(std::memory_order_relaxed);
  const uint64_t h = r.head.load(std::memory_order_acquire);
  size_t n = 0;
  while (tl < h) {
    uint32_t size;
    std::memcpy(&size, r.buf + static_cast<size_t>(tl % r.cap), 4);
    if (n + size > cap) {
      if (n == 0) return Int(env, ERR_SPACE);
      break;
    }
    const size_t off = static_cast<size_t>(tl % r.cap);
    const size_t first = size < r.cap - off ? size : r.cap - off;
    std::memcpy(out + n, r.buf + off, first);
    if (first < size) std::memcpy(out + n + first, r.buf, size - first);
    n += size;
    tl += size;
  }
  r.tail.store(tl, std::memory_order_release);
  return Int(env, static_cast<int32_t>(n));
}

// mixEventsDropped(): event records dropped because a thread's ring was full, since the process started.
Napi::Value MixEventsDropped(const Napi::CallbackInfo& info) {
  uint64_t n = g_events_dropped_gone;
  for (MediaThread* t : g_threads) n += t->ring.dropped.load(std::memory_order_relaxed);
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

}  // namespace

namespace mix {

std::unique_ptr<MixSite> CreateThreadSite(int thread, uint32_t id, const char** error) {
  if (g_threads.empty()) {
    if (error != nullptr) *error = "no media thread runs (media.threads = 0, or no endpoint started them yet)";
    return nullptr;
  }
  if (thread < -1 || thread >= static_cast<int>(g_threads.size())) {
    if (error != nullptr) *error = "no such media thread";
    return nullptr;
  }
  MediaThread* t = thread >= 0 ? g_threads[static_cast<size_t>(thread)] : LeastLoaded();
  if (!ThreadAlive(t)) {
    if (error != nullptr) *error = "the media thread has stopped";
    return nullptr;
  }
  t->mixes_main++;
  return std::unique_ptr<MixSite>(new ThreadSite(t, id));
}

}  // namespace mix

void InitRelay(Napi::Env env, Napi::Object exports) {
  {  // (P) The daemon's RTCP CNAME: 12 random hex characters (rtpengine's instance id), shared with JS.
    std::random_device rd;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 12; i++) g_rtcp_cname[i] = hex[rd() & 15];
    g_rtcp_cname[12] = 0;
  }
  exports.Set("rtcpCname", Napi::String::New(env, g_rtcp_cname, 12));
  exports.Set("relayInit", Napi::Function::New(env, RelayInit, "relayInit"));
  exports.Set("relayOpen", Napi::Function::New(env, RelayOpen, "relayOpen"));
  exports.Set("relayStart", Napi::Function::New(env, RelayStart, "relayStart"));
  exports.Set("relaySet", Napi::Function::New(env, RelaySet, "relaySet"));
  exports.Set("relaySetSrtp", Napi::Function::New(env, RelaySetSrtp, "relaySetSrtp"));
  exports.Set("relayNonRtp", Napi::Function::New(env, RelayNonRtp, "relayNonRtp"));
  exports.Set("relayStop", Napi::Function::New(env, RelayStop, "relayStop"));
  exports.Set("relayLive", Napi::Function::New(env, RelayLive, "relayLive"));
  exports.Set("relayThreadsStart", Napi::Function::New(env, RelayThreadsStart, "relayThreadsStart"));
  exports.Set("relayThreadsStop", Napi::Function::New(env, RelayThreadsStop, "relayThreadsStop"));
  exports.Set("relayThreadLoads", Napi::Function::New(env, RelayThreadLoads, "relayThreadLoads"));
  exports.Set("relayThreadSched", Napi::Function::New(env, RelayThreadSched, "relayThreadSched"));
  exports.Set("relayThreadOf", Napi::Function::New(env, RelayThreadOf, "relayThreadOf"));
  exports.Set("relayAttachMix", Napi::Function::New(env, RelayAttachMix, "relayAttachMix"));
  exports.Set("relayDetachMix", Napi::Function::New(env, RelayDetachMix, "relayDetachMix"));
  exports.Set("mixEvents", Napi::Function::New(env, MixEvents, "mixEvents"));
  exports.Set("mixEventsDropped", Napi::Function::New(env, MixEventsDropped, "mixEventsDropped"));
}

}  // namespace wn
