// libFuzzer harness: DTLS from a peer (native/src/dtls/) on arbitrary datagrams.
// The input is a sequence of datagrams, each [len_hi, len_lo, bytes...]; the first input byte picks the
// session's role (active: its ClientHello is produced first) and whether the expected fingerprint is set.
// Invariants: CheckDatagram is deterministic, its kOk means the records tile the datagram exactly and
// IsClientHello implies a first record of type 22; a Conn fed the datagrams (record check first, as the
// binding does) never crashes, stays in a known state, queues at most kMaxOut datagrams of at most the
// MTU each, reports keys only when connected and verified, and its timer calls are safe in every state.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "../src/dtls/dtls.cc"
#include "../src/dtls/record.h"
#include "check.h"

using namespace wn::dtls;

static Cert* g_cert = nullptr;
static std::string g_fp;

static void CheckRecords(const uint8_t* p, size_t n) {
  const RecordVerdict v = CheckDatagram(p, n);
  CHECK(CheckDatagram(p, n) == v);
  CHECK(static_cast<int>(v) >= 0 && static_cast<int>(v) <= 5);
  if (v == RecordVerdict::kOk) {
    size_t off = 0;
    while (off < n) {
      CHECK(n - off >= kRecordHeader);
      const size_t rlen = (static_cast<size_t>(p[off + 11]) << 8) | p[off + 12];
      CHECK(rlen <= kMaxRecordLength);
      off += kRecordHeader + rlen;
    }
    CHECK(off == n);
  }
  if (IsClientHello(p, n)) CHECK(n > kRecordHeader && p[0] == 22);
}

static void CheckOut(Conn* c, int mtu) {
  CHECK(c->out().size() <= kMaxOut);
  for (const auto& d : c->out()) CHECK(!d.empty() && d.size() <= static_cast<size_t>(mtu));
  c->ClearOut();
  const int s = static_cast<int>(c->state());
  CHECK(s >= 0 && s <= 4);
  std::string profile;
  std::vector<uint8_t> material;
  if (c->Srtp(&profile, &material)) {
    CHECK(c->state() == State::kConnected && c->verified());
    CHECK(material.size() == 60 || material.size() == 56 || material.size() == 88);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 65536) return 0;
  if (g_cert == nullptr) {
    std::string err;
    g_cert = Cert::Create(KeyType::kEcP256, 86400, "fuzz", &err);
    CHECK(g_cert != nullptr);
    uint8_t d[64];
    unsigned n = 0;
    CHECK(g_cert->Fingerprint(EVP_sha256(), d, &n));
    g_fp = HexColons(d, n);
  }
  const bool active = data[0] & 1;
  const int mtu = (data[0] & 2) ? 256 : 1200;
  std::string err;
  Conn* c = Conn::Create(*g_cert, active, mtu, &err);
  CHECK(c != nullptr);
  if (data[0] & 4) CHECK(c->SetRemoteFingerprint("sha-256", g_fp) == 0);
  if (active) {
    c->Feed(nullptr, 0);
    CheckOut(c, mtu);
  }
  size_t off = 1;
  while (off + 2 <= size) {
    const size_t len = (static_cast<size_t>(data[off]) << 8) | data[off + 1];
    off += 2;
    const size_t n = len < size - off ? len : size - off;
    const uint8_t* p = data + off;
    off += n;
    CheckRecords(p, n);
    // A heap copy of exactly n bytes, so ASan sees any read past the datagram.
    std::vector<uint8_t> copy(p, p + n);
    if (CheckDatagram(copy.data(), n) == RecordVerdict::kOk) c->Feed(copy.data(), n);
    CheckOut(c, mtu);
    CHECK(c->NextTimeoutMs() >= -1);
    c->Timeout();
    CheckOut(c, mtu);
  }
  c->Shutdown();
  CheckOut(c, mtu);
  delete c;
  return 0;
}
