// Where a CallMix lives, and how the N-API layer reaches it.
//
//   native/src/mix_binding.cc  the mix* N-API functions (create, configure, prompts, stats, close) for
//                              both kinds of site; owns MixRef. Every configuration call and every read
//                              runs through site->Run(), so it executes on the thread that owns the mix,
//                              between two packets, and the caller waits for it (a command that fails
//                              changes nothing; the control plane always reads what it wrote).
//   native/src/relay.cc        the media-thread site (CreateThreadSite): its MixHost sends out of the
//                              call's endpoint sockets and writes events into the thread's event ring;
//                              the thread's 5 ms timer calls Tick() on every mix it hosts; an endpoint
//                              attached to a mix (relayAttachMix) feeds its RTP to CallMix::OnRtp.
//   probe site                 (mix_binding.cc, mixProbeCreate) runs everything inline on the caller's
//                              thread with a capturing host: the differential tests drive a CallMix with
//                              packets and a virtual clock, and read back what it sent and reported.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>

#include "call_mix.h"

namespace wn {
namespace mix {

class MixSite {
 public:
  virtual ~MixSite() = default;
  // Run fn(arg) where the mix lives and wait until it has run. Inline for a probe site.
  virtual void Run(void (*fn)(void*), void* arg) = 0;
  // The host the CallMix is created with (lives as long as the site).
  virtual MixHost* host() = 0;
  // (added by M) mix_binding.cc calls this once, through Run(), right after the CallMix is created with
  // host(): from then on the site ticks it (Tick every 5 ms) until Detach(). Default: nothing (probe).
  virtual void Attach(CallMix* mix) { (void)mix; }
  // Media thread index, -1 for a probe site.
  virtual int thread() const = 0;
  // Stop hosting: after it returns, the site's thread no longer touches the mix (ticks, packets, events);
  // the caller then destroys the mix and the site. Idempotent.
  virtual void Detach() = 0;
};

// A native mix handle's state (the N-API handle wraps one; see handle.h Kind::Mix).
struct MixRef {
  uint32_t id = 0;                  // unique per process; event records carry it
  std::unique_ptr<MixSite> site;
  std::unique_ptr<CallMix> mix;     // null once closed
};

// mix_binding.cc: the MixRef of a mix handle argument, or null (wrong kind, closed). Main thread.
MixRef* UnwrapMix(const Napi::Value& v);

// relay.cc: a site on media thread `thread` (-1: the least loaded), for mix `id`; null if no media
// threads run (*error says why). Main thread.
std::unique_ptr<MixSite> CreateThreadSite(int thread, uint32_t id, const char** error);

}  // namespace mix
}  // namespace wn
