// Native relay fast path for pure-relay RTP endpoints (src/media/nativeRelay.ts, src/media/RtpEndpoint.ts).
//
// While a pair of endpoints is in native mode, the addon polls dup()s of their sockets' fds on Node's
// loop (uv_poll), reads batches with recvmmsg, applies exactly RtpEndpoint's rules (rtp.ts header
// checks, rtcp-mux, learning/strict/handover, stats, drop reasons) and forwards with sendmmsg out of
// the peer's socket. All per-endpoint state lives in a Float64Array shared with JS (layout: RelaySlot
// below and in src/media/nativeRelay.ts); the global counters are mediaCounters' own arrays.
//
// The media threads also host native call mixes (mix::CreateThreadSite, declared in mix/site.h): an
// endpoint attached to a mix (relayAttachMix) feeds its RTP to the mix on the mix's thread, which ticks
// the mix every 5 ms and reports events through a per-thread ring (mixEvents). See "MIXES ON MEDIA
// THREADS" in relay.cc.
#pragma once
#include <napi.h>

namespace wn {

void InitRelay(Napi::Env env, Napi::Object exports);

}  // namespace wn
