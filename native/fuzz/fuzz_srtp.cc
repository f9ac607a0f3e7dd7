// libFuzzer harness: SRTP / SRTCP (native/src/srtp/) on arbitrary datagrams, every suite, fixed keys.
// Input: byte 0 = suite (mod SUITE_COUNT), byte 1 = flags (1 RTCP, 2 two-byte MKI, 4 UNENCRYPTED_SRTP,
// 8 UNENCRYPTED_SRTCP, 16 UNAUTHENTICATED_SRTP, 128 = the rest is a PLAIN packet), then the packet.
// Invariants:
//  - unprotect of arbitrary bytes never reads or writes outside the datagram (ASan: exact-size heap copy),
//    returns a known code, and a success is no longer than the input minus the trailer;
//  - when an arbitrary packet does unprotect (unauthenticated suites), protecting the result again with a
//    fresh context gives back exactly the input (RTP: index = sequence number for fresh contexts);
//  - a plain packet that protects unprotects (fresh receiver) to exactly the plain packet, and the
//    protected packet with any byte of its tag flipped does not (authenticated suites), nor any truncation;
//  - the counters add up: every unprotect is counted once as decrypted, replay or auth failure.
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "../src/srtp/srtp.h"
#include "check.h"

using namespace wn::srtp;

static Context* Make(int suite, uint8_t flags) {
  Params p;
  p.suite = suite;
  for (int i = 0; i < 32; i++) p.key[i] = static_cast<uint8_t>(0x30 + i);
  for (int i = 0; i < 14; i++) p.salt[i] = static_cast<uint8_t>(0xa0 + i);
  if (flags & 2) {
    p.mkiLen = 2;
    p.mki = 0x0102;
  }
  p.unencryptedSrtp = (flags & 4) != 0;
  p.unencryptedSrtcp = (flags & 8) != 0;
  p.unauthenticatedSrtp = (flags & 16) != 0;
  const char* err = nullptr;
  Context* c = Context::Create(p, &err);
  CHECK(c != nullptr);
  return c;
}

static bool Known(int r) { return r >= 0 || (r >= R_INTERNAL && r <= R_SHORT); }

static uint64_t Total(const Context& c) {
  return c.counters.authFailures.load() + c.counters.replays.load() + c.counters.decrypted.load();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2 || size > 4096) return 0;
  const int suite = data[0] % SUITE_COUNT;
  const uint8_t flags = data[1];
  const bool rtcp = (flags & 1) != 0;
  const uint8_t* pkt = data + 2;
  const size_t len = size - 2;
  const SuiteInfo& info = kSuites[suite];
  std::unique_ptr<Context> rx(Make(suite, flags));
  std::unique_ptr<Context> tx(Make(suite, flags));
  if ((flags & 128) == 0) {
    // Arbitrary bytes as a protected packet.
    std::unique_ptr<uint8_t[]> b(new uint8_t[len == 0 ? 1 : len]);
    std::memcpy(b.get(), pkt, len);
    const int r = rx->Unprotect(b.get(), len, rtcp);
    CHECK(Known(r));
    CHECK(Total(*rx) == 1);
    if (r >= 0) {
      CHECK(static_cast<size_t>(r) <= len);
      std::vector<uint8_t> again(static_cast<size_t>(r) + kMaxOverhead);
      std::memcpy(again.data(), b.get(), static_cast<size_t>(r));
      const int n = tx->Protect(again.data(), static_cast<size_t>(r), again.size(), rtcp);
      CHECK(n >= 0);
      if (!rtcp) {  // RTP: fresh contexts agree on the index, so the bytes come back exactly
        CHECK(static_cast<size_t>(n) == len);
        CHECK(std::memcmp(again.data(), pkt, len) == 0);
      }
    }
    return 0;
  }
  // A plain packet: protect, then unprotect with a fresh receiver.
  std::vector<uint8_t> b(len + kMaxOverhead);
  std::memcpy(b.data(), pkt, len);
  const int n = tx->Protect(b.data(), len, b.size(), rtcp);
  CHECK(Known(n));
  if (n < 0) {
    CHECK(n == R_SHORT);  // only a packet that is not RTP/RTCP v2 is refused
    return 0;
  }
  CHECK(static_cast<size_t>(n) >= len && static_cast<size_t>(n) <= len + kMaxOverhead);
  std::vector<uint8_t> wire(b.begin(), b.begin() + n);
  {
    std::unique_ptr<uint8_t[]> u(new uint8_t[n]);
    std::memcpy(u.get(), wire.data(), n);
    const int r = rx->Unprotect(u.get(), static_cast<size_t>(n), rtcp);
    CHECK(r == static_cast<int>(len));
    CHECK(std::memcmp(u.get(), pkt, len) == 0);
  }
  const bool authenticated = rtcp || info.cipher == CIPHER_GCM || (flags & 16) == 0;
  if (!authenticated) return 0;
  // Every truncation fails; so does a flipped tag byte (fresh receivers: no replay state involved).
  for (size_t cut = 0; cut < static_cast<size_t>(n); cut += 1 + cut / 8) {
    std::unique_ptr<Context> r2(Make(suite, flags));
    std::unique_ptr<uint8_t[]> u(new uint8_t[cut == 0 ? 1 : cut]);
    std::memcpy(u.get(), wire.data(), cut);
    CHECK(r2->Unprotect(u.get(), cut, rtcp) < 0);
  }
  {
    std::unique_ptr<Context> r3(Make(suite, flags));
    std::unique_ptr<uint8_t[]> u(new uint8_t[n]);
    std::memcpy(u.get(), wire.data(), n);
    u[n - 1] ^= 0x01;  // the last byte: tag (or MKI / E+index trailer, which must fail as well)
    CHECK(r3->Unprotect(u.get(), static_cast<size_t>(n), rtcp) < 0);
  }
  return 0;
}
