// SRTP / SRTCP on OpenSSL EVP (see srtp.h for the contract and the wire layout).
//
// HMAC-SHA1 uses OpenSSL's SHA1 block functions (SHA1_Init/Update/Final, deprecated in 3.0 but exported and
// SHA-NI accelerated) on inner/outer states precomputed at signalling time: per packet two struct copies and
// the hashing, nothing else. OpenSSL 3.0's EVP_MAC re-init duplicates the digest contexts (a malloc and a
// free each, twice per packet) and scatters every context's state over the heap.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "srtp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <mutex>

namespace wn {
namespace srtp {

//                          name                       key salt tag rtcpTag cipher
const SuiteInfo kSuites[SUITE_COUNT] = {
    {"AES_CM_128_HMAC_SHA1_80", 16, 14, 10, 10, CIPHER_CTR},
    {"AES_CM_128_HMAC_SHA1_32", 16, 14, 4, 10, CIPHER_CTR},
    {"AES_192_CM_HMAC_SHA1_80", 24, 14, 10, 10, CIPHER_CTR},
    {"AES_192_CM_HMAC_SHA1_32", 24, 14, 4, 10, CIPHER_CTR},
    {"AES_256_CM_HMAC_SHA1_80", 32, 14, 10, 10, CIPHER_CTR},
    {"AES_256_CM_HMAC_SHA1_32", 32, 14, 4, 10, CIPHER_CTR},
    {"AEAD_AES_128_GCM", 16, 12, 16, 16, CIPHER_GCM},
    {"AEAD_AES_256_GCM", 32, 12, 16, 16, CIPHER_GCM},
    {"NULL_HMAC_SHA1_80", 16, 14, 10, 10, CIPHER_NULL},
    {"NULL_HMAC_SHA1_32", 16, 14, 4, 10, CIPHER_NULL},
    {"F8_128_HMAC_SHA1_80", 16, 14, 10, 10, CIPHER_F8},
    {"F8_128_HMAC_SHA1_32", 16, 14, 4, 10, CIPHER_F8},
};

// Algorithms fetched once per process (OpenSSL 3: a fetch per init is the expensive part).
namespace {
struct Algos {
  EVP_CIPHER* ctr[3] = {};  // AES-128/192/256-CTR
  EVP_CIPHER* gcm[3] = {};  // AES-128/-/256-GCM
  EVP_CIPHER* ecb[3] = {};
};
Algos g_algos;
std::once_flag g_once;

void FetchAlgos() {
  static const char* ctr[3] = {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
  static const char* gcm[3] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};
  static const char* ecb[3] = {"AES-128-ECB", "AES-192-ECB", "AES-256-ECB"};
  for (int i = 0; i < 3; i++) {
    g_algos.ctr[i] = EVP_CIPHER_fetch(nullptr, ctr[i], nullptr);
    g_algos.gcm[i] = EVP_CIPHER_fetch(nullptr, gcm[i], nullptr);
    g_algos.ecb[i] = EVP_CIPHER_fetch(nullptr, ecb[i], nullptr);
  }
}

const Algos& A() {
  std::call_once(g_once, FetchAlgos);
  return g_algos;
}

int KeyIdx(size_t keyLen) { return keyLen == 16 ? 0 : keyLen == 24 ? 1 : keyLen == 32 ? 2 : -1; }

inline uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t Be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) | (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void Put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
// RFC 7714 §8.1 / §9.1: the AEAD IV is the 12-byte salt XOR (00 00 || SSRC || 48-bit index), the index being
// ROC || SEQ for SRTP and 0 || SRTCP index for SRTCP.
inline void GcmIv(uint8_t* iv, const uint8_t* salt, uint32_t ssrc, uint64_t index) {
  memcpy(iv, salt, 12);
  for (int i = 0; i < 4; i++) iv[2 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; i++) iv[6 + i] ^= static_cast<uint8_t>(index >> (40 - 8 * i));
}
// RFC 7714 AEAD in place with a key already set: IV, AAD = buf[0..aad) then `extra` (the SRTCP E+index, or
// none), buf[aad..n) en/decrypted; the 16-byte tag written to (encrypt) or checked against (decrypt) `tag`.
// R_AUTH on a bad tag, R_INTERNAL on an OpenSSL failure, else 0.
int Gcm(EVP_CIPHER_CTX* c, const uint8_t* iv, bool encrypt, uint8_t* buf, size_t aad, const uint8_t* extra, size_t extraLen,
        size_t n, uint8_t* tag) {
  int outl = 0;
  if (EVP_CipherInit_ex2(c, nullptr, nullptr, iv, encrypt ? 1 : 0, nullptr) != 1 ||
      EVP_CipherUpdate(c, nullptr, &outl, buf, static_cast<int>(aad)) != 1 ||
      (extraLen != 0 && EVP_CipherUpdate(c, nullptr, &outl, extra, static_cast<int>(extraLen)) != 1))
    return R_INTERNAL;
  if (n > aad && EVP_CipherUpdate(c, buf + aad, &outl, buf + aad, static_cast<int>(n - aad)) != 1) return R_INTERNAL;
  if (encrypt) {
    if (EVP_CipherFinal_ex(c, buf + n, &outl) != 1 || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) != 1) return R_INTERNAL;
    return 0;
  }
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1) return R_INTERNAL;
  return EVP_CipherFinal_ex(c, buf + n, &outl) == 1 ? 0 : R_AUTH;
}
void PutMki(uint8_t* p, uint32_t v, int n) {
  for (int i = n - 1; i >= 0; i--) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}
uint32_t GetMki(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

// The RTP header length (fixed + CSRC + extension), or 0 if `len` cannot hold it / not RTP v2.
size_t RtpHeaderLen(const uint8_t* p, size_t len) {
  if (len < 12 || (p[0] >> 6) != 2) return 0;
  size_t h = 12 + 4u * (p[0] & 0x0f);
  if (h > len) return 0;
  if (p[0] & 0x10) {
    if (h + 4 > len) return 0;
    h += 4 + 4u * Be16(p + h + 2);
    if (h > len) return 0;
  }
  return h;
}

// RFC 3711 §3.3.1 / Appendix A index estimate from the highest index `hi` (48 bits) and a sequence
// number; while the highest index is below 2^15 the ROC is taken as 0 (libsrtp does the same, so a
// stream that starts with a high sequence number is not guessed into ROC -1).
uint64_t EstimateIndex(uint64_t hi, uint16_t seq) {
  if (hi <= 32768) return seq;
  uint32_t roc = static_cast<uint32_t>(hi >> 16);
  uint16_t sl = static_cast<uint16_t>(hi);
  uint32_t v = roc;
  if (sl < 32768) {
    if (seq > sl && seq - sl > 32768) v = roc - 1;
  } else {
    if (sl - 32768 > seq) v = roc + 1;
  }
  return (static_cast<uint64_t>(v) << 16) | seq;
}

// Replay check of `idx` against highest `hi` and a 128-bit window (bit k = hi - k seen). `fresh`: no
// packet seen yet. True if acceptable.
bool WindowOk(uint64_t hi, const uint64_t* win, uint64_t idx, bool fresh) {
  if (fresh || idx > hi) return true;
  uint64_t d = hi - idx;
  if (d >= 128) return false;
  return ((win[d >> 6] >> (d & 63)) & 1) == 0;
}

void WindowAdd(uint64_t& hi, uint64_t* win, uint64_t idx, bool fresh) {
  if (fresh) {
    hi = idx;
    win[0] = 1;
    win[1] = 0;
    return;
  }
  if (idx > hi) {
    uint64_t s = idx - hi;
    if (s >= 128) {
      win[0] = 0;
      win[1] = 0;
    } else if (s >= 64) {
      win[1] = win[0] << (s - 64);
      win[0] = 0;
    } else {
      win[1] = (win[1] << s) | (win[0] >> (64 - s));
      win[0] <<= s;
    }
    win[0] |= 1;
    hi = idx;
    return;
  }
  uint64_t d = hi - idx;
  if (d < 128) win[d >> 6] |= 1ull << (d & 63);
}

}  // namespace

bool DeriveKey(const uint8_t* masterKey, size_t keyLen, const uint8_t* masterSalt14, uint8_t label, uint8_t* out, size_t n) {
  int ki = KeyIdx(keyLen);
  if (ki < 0) return false;
  uint8_t iv[16] = {};
  memcpy(iv, masterSalt14, 14);
  iv[7] ^= label;  // key_id = label || r (r = 0 with kdr 0), right-aligned with the 112-bit salt
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (c == nullptr) return false;
  bool ok = EVP_EncryptInit_ex2(c, A().ctr[ki], masterKey, iv, nullptr) == 1;
  memset(out, 0, n);
  int outl = 0;
  ok = ok && EVP_EncryptUpdate(c, out, &outl, out, static_cast<int>(n)) == 1;
  EVP_CIPHER_CTX_free(c);
  return ok;
}

bool Context::KeysInit(Keys& k, const uint8_t* sessKey, const uint8_t* sessSalt, const uint8_t* authKey) {
  const Algos& a = A();
  int ki = KeyIdx(info_->keyLen);
  memcpy(k.salt, sessSalt, info_->saltLen);
  switch (info_->cipher) {
    case CIPHER_NULL:
      break;
    case CIPHER_CTR:
      // AES-CM as AES-ECB over counter blocks built here: an ECB context keyed once needs no per-packet
      // re-init (EVP_EncryptInit_ex2 with a new IV costs ~110 ns on OpenSSL 3.0, more than the AES itself).
      k.cipher = EVP_CIPHER_CTX_new();
      if (k.cipher == nullptr || EVP_EncryptInit_ex2(k.cipher, a.ecb[ki], sessKey, nullptr, nullptr) != 1) return false;
      EVP_CIPHER_CTX_set_padding(k.cipher, 0);
      break;
    case CIPHER_GCM:
      k.cipher = EVP_CIPHER_CTX_new();
      if (k.cipher == nullptr || EVP_CipherInit_ex2(k.cipher, a.gcm[ki], sessKey, nullptr, 1, nullptr) != 1) return false;
      break;
    case CIPHER_F8: {
      // IV' = E(k_e XOR m, IV), m = k_s || 0x55.. (RFC 3711 §4.1.2.1)
      uint8_t masked[32];
      for (size_t i = 0; i < info_->keyLen; i++) masked[i] = sessKey[i] ^ (i < 14 ? sessSalt[i] : 0x55);
      k.ecb = EVP_CIPHER_CTX_new();
      k.ecbKs = EVP_CIPHER_CTX_new();
      if (k.ecb == nullptr || k.ecbKs == nullptr) return false;
      if (EVP_EncryptInit_ex2(k.ecb, a.ecb[ki], masked, nullptr, nullptr) != 1) return false;
      if (EVP_EncryptInit_ex2(k.ecbKs, a.ecb[ki], sessKey, nullptr, nullptr) != 1) return false;
      EVP_CIPHER_CTX_set_padding(k.ecb, 0);
      EVP_CIPHER_CTX_set_padding(k.ecbKs, 0);
      OPENSSL_cleanse(masked, sizeof masked);
      break;
    }
  }
  if (info_->cipher != CIPHER_GCM) {  // HMAC-SHA1 (RFC 2104) with a 20-byte key: the padded key's states
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = static_cast<uint8_t>((i < 20 ? authKey[i] : 0) ^ 0x36);
    if (SHA1_Init(&k.macIn) != 1 || SHA1_Update(&k.macIn, pad, 64) != 1) return false;
    for (int i = 0; i < 64; i++) pad[i] = static_cast<uint8_t>((i < 20 ? authKey[i] : 0) ^ 0x5c);
    if (SHA1_Init(&k.macOut) != 1 || SHA1_Update(&k.macOut, pad, 64) != 1) return false;
    OPENSSL_cleanse(pad, sizeof pad);
    k.hasMac = true;
  }
  return true;
}

void Context::KeysFree(Keys& k) {
  EVP_CIPHER_CTX_free(k.cipher);
  EVP_CIPHER_CTX_free(k.ecb);
  EVP_CIPHER_CTX_free(k.ecbKs);
  OPENSSL_cleanse(&k, sizeof k);
  k = Keys();
}

Context* Context::Create(const Params& p, const char** err) {
  if (p.suite < 0 || p.suite >= SUITE_COUNT) {
    *err = "unknown SRTP suite";
    return nullptr;
  }
  if (p.mkiLen > 128) {  // RFC 4568 §9.1: 1..128 bytes; the value fills the last 4 (rtpengine sdp.c), zeros before
    *err = "MKI longer than 128 bytes";
    return nullptr;
  }
  const Algos& a = A();
  if (a.ctr[0] == nullptr || a.gcm[0] == nullptr || a.ecb[0] == nullptr) {
    *err = "OpenSSL lacks AES/HMAC";
    return nullptr;
  }
  Context* c = new Context();
  c->info_ = &kSuites[p.suite];
  c->p_ = p;
  c->mki_ = p.mki;
  c->mkiLen_ = p.mkiLen;
  c->unencSrtp_ = p.unencryptedSrtp;
  c->unencSrtcp_ = p.unencryptedSrtcp;
  c->unauthSrtp_ = p.unauthenticatedSrtp;
  c->lifeRtp_ = p.lifetime != 0 ? p.lifetime : (1ull << 48);
  c->lifeRtcp_ = p.lifetime != 0 && p.lifetime < (1ull << 31) ? p.lifetime : (1ull << 31);
  const SuiteInfo& s = *c->info_;
  bool ok;
  if (p.sessionKeys) {
    ok = c->KeysInit(c->rtp_, p.key, p.salt, p.authKey) && c->KeysInit(c->rtcp_, p.key, p.salt, p.authKey);
  } else {
    uint8_t salt14[14] = {};
    memcpy(salt14, p.salt, s.saltLen);
    uint8_t ke[32], ks[14], ka[20];
    ok = true;
    for (int rtcp = 0; rtcp < 2 && ok; rtcp++) {
      uint8_t base = rtcp ? 3 : 0;
      ok = DeriveKey(p.key, s.keyLen, salt14, base, ke, s.keyLen) && DeriveKey(p.key, s.keyLen, salt14, base + 2, ks, s.saltLen) &&
           DeriveKey(p.key, s.keyLen, salt14, base + 1, ka, 20) && c->KeysInit(rtcp ? c->rtcp_ : c->rtp_, ke, ks, ka);
    }
    OPENSSL_cleanse(ke, sizeof ke);
    OPENSSL_cleanse(ks, sizeof ks);
    OPENSSL_cleanse(ka, sizeof ka);
  }
  OPENSSL_cleanse(c->p_.key, sizeof c->p_.key);
  OPENSSL_cleanse(c->p_.authKey, sizeof c->p_.authKey);
  if (!ok) {
    delete c;
    *err = "OpenSSL could not key the SRTP context";
    return nullptr;
  }
  return c;
}

Context::~Context() {
  KeysFree(rtp_);
  KeysFree(rtcp_);
}

Context::Stream* Context::Find(uint32_t ssrc) {
  if (last_ >= 0 && streams_[last_].used && streams_[last_].ssrc == ssrc) return &streams_[last_];
  for (int i = 0; i < kStreams; i++) {
    if (streams_[i].used && streams_[i].ssrc == ssrc) {
      last_ = i;
      return &streams_[i];
    }
  }
  return nullptr;
}

// A slot for a new SSRC: a free one, else the least recently used (only after a packet authenticated).
Context::Stream* Context::Claim(uint32_t ssrc) {
  int pick = 0;
  for (int i = 0; i < kStreams; i++) {
    if (!streams_[i].used) {
      pick = i;
      break;
    }
    if (streams_[i].lru < streams_[pick].lru) pick = i;
  }
  streams_[pick] = Stream();
  streams_[pick].used = true;
  streams_[pick].ssrc = ssrc;
  if (p_.initialRoc != 0) {  // tests: the stream starts at index ROC * 2^16 (not fresh)
    streams_[pick].index = static_cast<uint64_t>(p_.initialRoc) << 16;
    streams_[pick].win[0] = 1;
  }
  last_ = pick;
  return &streams_[pick];
}

int Context::ReadStreams(double* out, int max) const {
  int n = 0;
  for (int i = 0; i < kStreams && n < max; i++) {
    const Stream& st = streams_[i];
    if (!st.used) continue;
    out[4 * n] = st.ssrc;
    out[4 * n + 1] = static_cast<double>(st.index);
    out[4 * n + 2] = st.rtcpIndex;
    out[4 * n + 3] = 0;
    n++;
  }
  return n;
}

void Context::SeedStream(uint32_t ssrc, uint64_t index, uint32_t rtcpIndex) {
  Stream* st = Find(ssrc);
  if (st == nullptr) st = Claim(ssrc);
  st->index = index & 0xffffffffffffULL;
  st->win[0] = 1;  // the highest index counts as seen (not fresh: the ROC is estimated from it)
  st->win[1] = 0;
  st->rtcpIndex = rtcpIndex;
  st->rtcpSeen = rtcpIndex != 0;
  st->rtcpWin[0] = rtcpIndex != 0 ? 1 : 0;
  st->rtcpWin[1] = 0;
}

bool Context::Ctr(Keys& k, uint32_t ssrc, uint64_t index, uint8_t* p, size_t n) {
  if (n == 0) return true;
  uint8_t iv[16];
  memcpy(iv, k.salt, 14);
  iv[14] = 0;
  iv[15] = 0;
  iv[4] ^= static_cast<uint8_t>(ssrc >> 24);
  iv[5] ^= static_cast<uint8_t>(ssrc >> 16);
  iv[6] ^= static_cast<uint8_t>(ssrc >> 8);
  iv[7] ^= static_cast<uint8_t>(ssrc);
  for (int i = 0; i < 6; i++) iv[13 - i] ^= static_cast<uint8_t>(index >> (8 * i));
  // Keystream block j = E(k_e, IV + j): j lives in the last 16 bits (a datagram has < 2^12 blocks).
  constexpr size_t kChunk = 32;  // blocks per ECB call
  uint8_t ctr[kChunk * 16], ks[kChunk * 16];
  uint32_t j = 0;
  while (n > 0) {
    const size_t blocks = n >= kChunk * 16 ? kChunk : (n + 15) / 16;
    for (size_t b = 0; b < blocks; b++, j++) {
      std::memcpy(ctr + b * 16, iv, 14);
      ctr[b * 16 + 14] = static_cast<uint8_t>(j >> 8);
      ctr[b * 16 + 15] = static_cast<uint8_t>(j);
    }
    int outl = 0;
    if (EVP_EncryptUpdate(k.cipher, ks, &outl, ctr, static_cast<int>(blocks * 16)) != 1) return false;
    const size_t m = n < blocks * 16 ? n : blocks * 16;
    for (size_t i = 0; i < m; i++) p[i] ^= ks[i];
    p += m;
    n -= m;
  }
  return true;
}

// AES-f8 (RFC 3711 §4.1.2): S(j) = E(k_e, IV' XOR j XOR S(j-1)), IV' = E(k_e XOR m, IV).
bool Context::F8(Keys& k, const uint8_t* ivIn, uint8_t* p, size_t n) {
  uint8_t ivp[16], s[16] = {}, x[16];
  int outl = 0;
  if (EVP_EncryptUpdate(k.ecb, ivp, &outl, ivIn, 16) != 1) return false;
  for (uint32_t j = 0; n > 0; j++) {
    for (int i = 0; i < 16; i++) x[i] = ivp[i] ^ s[i];
    x[12] ^= static_cast<uint8_t>(j >> 24);
    x[13] ^= static_cast<uint8_t>(j >> 16);
    x[14] ^= static_cast<uint8_t>(j >> 8);
    x[15] ^= static_cast<uint8_t>(j);
    if (EVP_EncryptUpdate(k.ecbKs, s, &outl, x, 16) != 1) return false;
    size_t m = n < 16 ? n : 16;
    for (size_t i = 0; i < m; i++) p[i] ^= s[i];
    p += m;
    n -= m;
  }
  return true;
}

// The non-AEAD payload cipher of an SRTP packet (header `h` bytes, payload to `end`): AES-CM with the SSRC and
// index, or f8 with IV = 0 || M|PT|SEQ|TS|SSRC || ROC; nothing for the NULL cipher. Its own inverse.
bool Context::CryptRtp(Keys& k, uint8_t* buf, size_t h, size_t end, uint32_t ssrc, uint64_t idx) {
  if (info_->cipher == CIPHER_CTR) return Ctr(k, ssrc, idx, buf + h, end - h);
  if (info_->cipher != CIPHER_F8) return true;
  uint8_t iv[16];
  iv[0] = 0;
  memcpy(iv + 1, buf + 1, 11);  // M|PT, SEQ, TS, SSRC
  Put32(iv + 12, static_cast<uint32_t>(idx >> 16));
  return F8(k, iv, buf + h, end - h);
}

// The same for SRTCP (payload from byte 8 to `end`): f8's IV = 0 || E+index || V|P|RC|PT|length|SSRC.
bool Context::CryptRtcp(Keys& k, uint8_t* buf, size_t end, uint32_t ssrc, uint32_t eidx) {
  if (info_->cipher == CIPHER_CTR) return Ctr(k, ssrc, eidx & 0x7fffffff, buf + 8, end - 8);
  if (info_->cipher != CIPHER_F8) return true;
  uint8_t iv[16] = {};
  Put32(iv + 4, eidx);
  memcpy(iv + 8, buf, 8);
  return F8(k, iv, buf + 8, end - 8);
}

bool Context::Mac(Keys& k, const uint8_t* p, size_t n, const uint8_t* extra, size_t extraLen, uint8_t* out20) {
  if (!k.hasMac) return false;
  SHA_CTX c = k.macIn;
  uint8_t inner[SHA_DIGEST_LENGTH];
  if (SHA1_Update(&c, p, n) != 1 || (extraLen != 0 && SHA1_Update(&c, extra, extraLen) != 1) || SHA1_Final(inner, &c) != 1) return false;
  c = k.macOut;
  return SHA1_Update(&c, inner, sizeof inner) == 1 && SHA1_Final(out20, &c) == 1;
}

int Context::Protect(uint8_t* buf, size_t len, size_t cap, bool rtcp) {
  int r = rtcp ? ProtectRtcp(buf, len, cap) : ProtectRtp(buf, len, cap);
  if (r > 0) counters.encrypted.store(counters.encrypted.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return r;
}

int Context::Unprotect(uint8_t* buf, size_t len, bool rtcp) {
  int r = rtcp ? UnprotectRtcp(buf, len) : UnprotectRtp(buf, len);
  std::atomic<uint64_t>* c = r >= 0 ? &counters.decrypted : r == R_REPLAY ? &counters.replays : &counters.authFailures;
  c->store(c->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return r;
}

int Context::ProtectRtp(uint8_t* buf, size_t len, size_t cap) {
  size_t h = RtpHeaderLen(buf, len);
  if (h == 0 || len > 65535) return R_SHORT;
  const SuiteInfo& s = *info_;
  const bool gcm = s.cipher == CIPHER_GCM;
  const size_t tag = gcm ? 16 : (unauthSrtp_ ? 0 : s.srtpTag);
  const size_t mki = mkiLen_;
  if (len + tag + mki > cap) return R_SPACE;
  if (usedRtp_ >= lifeRtp_) return R_LIFETIME;
  uint32_t ssrc = Be32(buf + 8);
  uint16_t seq = Be16(buf + 2);
  Stream* st = Find(ssrc);
  if (st == nullptr) st = Claim(ssrc);
  bool fresh = !st->win[0] && !st->win[1] && st->index == 0;
  uint64_t idx = EstimateIndex(st->index, seq);
  WindowAdd(st->index, st->win, idx, fresh);
  st->lru = ++clock_;
  usedRtp_++;
  uint32_t roc = static_cast<uint32_t>(idx >> 16);
  Keys& k = rtp_;
  if (gcm) {
    uint8_t iv[12];
    GcmIv(iv, k.salt, ssrc, (static_cast<uint64_t>(roc) << 16) | seq);
    if (Gcm(k.cipher, iv, true, buf, unencSrtp_ ? len : h, nullptr, 0, len, buf + len) != 0) return R_INTERNAL;
    if (mki) PutMki(buf + len + 16, mki_, static_cast<int>(mki));
    return static_cast<int>(len + 16 + mki);
  }
  if (!unencSrtp_ && !CryptRtp(k, buf, h, len, ssrc, idx)) return R_INTERNAL;
  if (mki) PutMki(buf + len, mki_, static_cast<int>(mki));
  if (tag) {
    uint8_t rocb[4], mac[20];
    Put32(rocb, roc);
    if (!Mac(k, buf, len, rocb, 4, mac)) return R_INTERNAL;
    memcpy(buf + len + mki, mac, tag);
  }
  return static_cast<int>(len + mki + tag);
}

int Context::UnprotectRtp(uint8_t* buf, size_t len) {
  const SuiteInfo& s = *info_;
  const bool gcm = s.cipher == CIPHER_GCM;
  const size_t tag = gcm ? 16 : (unauthSrtp_ ? 0 : s.srtpTag);
  const size_t mki = mkiLen_;
  if (len < 12 + tag + mki || len > 65535) return R_SHORT;
  // AEAD: header | ct | tag | MKI; else header | payload | MKI | tag.
  size_t body = len - tag - mki;
  size_t h = RtpHeaderLen(buf, body);
  if (h == 0) return R_SHORT;
  if (mki && GetMki(gcm ? buf + body + tag : buf + body, static_cast<int>(mki)) != mki_) return R_AUTH;
  if (usedRtp_ >= lifeRtp_) return R_LIFETIME;
  uint32_t ssrc = Be32(buf + 8);
  uint16_t seq = Be16(buf + 2);
  Stream* st = Find(ssrc);
  bool fresh = st == nullptr || (!st->win[0] && !st->win[1] && st->index == 0);
  uint64_t idx = EstimateIndex(st ? st->index : 0, seq);
  if (st && !WindowOk(st->index, st->win, idx, fresh)) return R_REPLAY;
  uint32_t roc = static_cast<uint32_t>(idx >> 16);
  Keys& k = rtp_;
  if (gcm) {
    uint8_t iv[12];
    GcmIv(iv, k.salt, ssrc, (static_cast<uint64_t>(roc) << 16) | seq);
    // Decrypt into place; on a bad tag the packet is dropped, so its clobbered bytes do not matter.
    int r = Gcm(k.cipher, iv, false, buf, unencSrtp_ ? body : h, nullptr, 0, body, buf + body);
    if (r != 0) return r;
  } else {
    if (tag) {
      uint8_t rocb[4], mac[20];
      Put32(rocb, roc);
      if (!Mac(k, buf, body, rocb, 4, mac)) return R_INTERNAL;
      if (CRYPTO_memcmp(mac, buf + body + mki, tag) != 0) return R_AUTH;
    }
    if (!unencSrtp_ && !CryptRtp(k, buf, h, body, ssrc, idx)) return R_INTERNAL;
  }
  if (st == nullptr) st = Claim(ssrc);
  WindowAdd(st->index, st->win, idx, fresh);
  st->lru = ++clock_;
  usedRtp_++;
  return static_cast<int>(body);
}

int Context::ProtectRtcp(uint8_t* buf, size_t len, size_t cap) {
  if (len < 8 || (buf[0] >> 6) != 2 || len > 65535) return R_SHORT;
  const SuiteInfo& s = *info_;
  const bool gcm = s.cipher == CIPHER_GCM;
  const size_t tag = s.srtcpTag;
  const size_t mki = mkiLen_;
  if (len + 4 + tag + mki > cap) return R_SPACE;
  if (usedRtcp_ >= lifeRtcp_) return R_LIFETIME;
  uint32_t ssrc = Be32(buf + 4);
  Stream* st = Find(ssrc);
  if (st == nullptr) st = Claim(ssrc);
  if (st->rtcpIndex >= 0x7fffffff) return R_LIFETIME;
  uint32_t index = ++st->rtcpIndex;
  st->lru = ++clock_;
  usedRtcp_++;
  const bool enc = !unencSrtcp_ && s.cipher != CIPHER_NULL;
  uint32_t eidx = index | (enc ? 0x80000000u : 0);
  Keys& k = rtcp_;
  if (gcm) {
    uint8_t iv[12];
    GcmIv(iv, k.salt, ssrc, index);
    uint8_t eb[4];
    Put32(eb, eidx);
    if (Gcm(k.cipher, iv, true, buf, enc ? 8 : len, eb, 4, len, buf + len) != 0) return R_INTERNAL;
    memcpy(buf + len + 16, eb, 4);
    if (mki) PutMki(buf + len + 20, mki_, static_cast<int>(mki));
    return static_cast<int>(len + 20 + mki);
  }
  if (enc && !CryptRtcp(k, buf, len, ssrc, eidx)) return R_INTERNAL;
  Put32(buf + len, eidx);
  if (mki) PutMki(buf + len + 4, mki_, static_cast<int>(mki));
  uint8_t mac[20];
  if (!Mac(k, buf, len + 4, nullptr, 0, mac)) return R_INTERNAL;
  memcpy(buf + len + 4 + mki, mac, tag);
  return static_cast<int>(len + 4 + mki + tag);
}

int Context::UnprotectRtcp(uint8_t* buf, size_t len) {
  const SuiteInfo& s = *info_;
  const bool gcm = s.cipher == CIPHER_GCM;
  const size_t tag = s.srtcpTag;
  const size_t mki = mkiLen_;
  if (len < 8 + 4 + tag + mki || len > 65535 || (buf[0] >> 6) != 2) return R_SHORT;
  // AEAD: header | ct | tag | E+index | MKI; else header | payload | E+index | MKI | tag.
  size_t eAt = gcm ? len - mki - 4 : len - tag - mki - 4;
  size_t body = gcm ? eAt - tag : eAt;
  if (mki && GetMki(buf + eAt + 4, static_cast<int>(mki)) != mki_) return R_AUTH;
  if (usedRtcp_ >= lifeRtcp_) return R_LIFETIME;
  uint32_t eidx = Be32(buf + eAt);
  uint32_t index = eidx & 0x7fffffff;
  bool enc = (eidx & 0x80000000u) != 0;
  uint32_t ssrc = Be32(buf + 4);
  Stream* st = Find(ssrc);
  bool fresh = st == nullptr || !st->rtcpSeen;
  if (st && !WindowOk(st->rtcpIndex, st->rtcpWin, index, fresh)) return R_REPLAY;
  Keys& k = rtcp_;
  if (gcm) {
    uint8_t iv[12];
    GcmIv(iv, k.salt, ssrc, index);
    int r = Gcm(k.cipher, iv, false, buf, enc ? 8 : body, buf + eAt, 4, body, buf + body);
    if (r != 0) return r;
  } else {
    uint8_t mac[20];
    if (!Mac(k, buf, eAt + 4, nullptr, 0, mac)) return R_INTERNAL;
    if (CRYPTO_memcmp(mac, buf + eAt + 4 + mki, tag) != 0) return R_AUTH;
    if (enc && !CryptRtcp(k, buf, body, ssrc, eidx)) return R_INTERNAL;
  }
  if (st == nullptr) st = Claim(ssrc);
  uint64_t hi = st->rtcpIndex;
  WindowAdd(hi, st->rtcpWin, index, fresh);
  st->rtcpIndex = static_cast<uint32_t>(hi);
  st->rtcpSeen = true;
  st->lru = ++clock_;
  usedRtcp_++;
  return static_cast<int>(body);
}

}  // namespace srtp
}  // namespace wn
