// Native relay fast path for pure-relay RTP endpoints (src/media/nativeRelay.ts, src/media/RtpEndpoint.ts).
//
// While a pair of endpoints is in native mode, the addon polls dup()s of their sockets' fds on Node's
// loop (uv_poll), reads batches with recvmmsg, applies exactly RtpEndpoint's rules (rtp.ts header
// checks, rtcp-mux, learning/strict/handover, stats, drop reasons) and forwards with sendmmsg out of
// the peer's socket. All per-endpoint state lives in a Float64Array shared with JS (layout: RelaySlot
// below and in src/media/nativeRelay.ts); the global counters are mediaCounters' own arrays.
#pragma once
#include <napi.h>

namespace wn {

void InitRelay(Napi::Env env, Napi::Object exports);

}  // namespace wn
