// SRTP / SRTCP (RFC 3711, RFC 6188, RFC 7714) on OpenSSL EVP, for one direction of one endpoint.
//
// A Context holds one master key's session keys (derived once, at signalling time, with the AES-CM PRF
// of RFC 3711 §4.3.3 / RFC 6188 §6), its prefetched and keyed OpenSSL cipher and MAC contexts, and a
// fixed table of per-SSRC stream states (ROC + highest index and a 128-packet replay window for SRTP,
// the SRTCP index and its window for SRTCP). Protect/Unprotect then only execute: no allocation, no
// locks, no logging. A Context is used by one thread at a time (the JS main thread, or the media
// thread that owns the endpoint); its counters are relaxed atomics so any thread may read them.
//
// Wire facts (rtpengine daemon/crypto.c and libsrtp agree): HMAC-SHA1 auth keys are 20 bytes; _80 tags
// are 10 bytes, _32 tags 4 bytes on SRTP and 10 bytes on SRTCP; AEAD tags 16 bytes, AEAD salts 12 bytes
// (zero-padded to 14 for the PRF). SRTP: header | payload (encrypted) | MKI | tag; AEAD: header |
// ciphertext | tag | MKI. SRTCP: header(8) | payload (encrypted) | E+index | MKI | tag; AEAD: header(8) |
// ciphertext | tag | E+index | MKI. The first SRTCP index sent is 1 (as libsrtp).
#pragma once
#include <openssl/sha.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace wn {
namespace srtp {

// Suite numbers (mirrored in src/media/srtp.ts SRTP_SUITES order).
enum Suite : int {
  AES_CM_128_HMAC_SHA1_80 = 0,
  AES_CM_128_HMAC_SHA1_32 = 1,
  AES_192_CM_HMAC_SHA1_80 = 2,
  AES_192_CM_HMAC_SHA1_32 = 3,
  AES_256_CM_HMAC_SHA1_80 = 4,
  AES_256_CM_HMAC_SHA1_32 = 5,
  AEAD_AES_128_GCM = 6,
  AEAD_AES_256_GCM = 7,
  NULL_HMAC_SHA1_80 = 8,
  NULL_HMAC_SHA1_32 = 9,
  F8_128_HMAC_SHA1_80 = 10,
  F8_128_HMAC_SHA1_32 = 11,
  SUITE_COUNT = 12,
};

enum CipherKind : uint8_t { CIPHER_NULL = 0, CIPHER_CTR = 1, CIPHER_GCM = 2, CIPHER_F8 = 3 };

struct SuiteInfo {
  const char* name;
  uint8_t keyLen;
  uint8_t saltLen;
  uint8_t srtpTag;
  uint8_t srtcpTag;
  CipherKind cipher;
};
extern const SuiteInfo kSuites[SUITE_COUNT];

// Results (< 0) of Protect / Unprotect (mirrored in src/media/srtp.ts SrtpError).
enum Result : int {
  R_SHORT = -10,     // too short / not RTP / not RTCP: dropped (counted as an auth failure)
  R_AUTH = -11,      // tag did not verify (or MKI unknown)
  R_REPLAY = -12,    // replayed or older than the window
  R_SPACE = -13,     // no room for the trailer (protect: caller's buffer)
  R_LIFETIME = -14,  // the master key's packet lifetime is used up
  R_INTERNAL = -15,  // OpenSSL refused (never expected)
};

struct Params {
  int suite = AES_CM_128_HMAC_SHA1_80;
  uint8_t key[32] = {};
  uint8_t salt[14] = {};
  uint32_t mki = 0;
  uint8_t mkiLen = 0;  // 0..128 bytes (the value in the last 4, zeros before; a longer MKI than the caller's room: R_SPACE)
  uint64_t lifetime = 0;  // packets per master key (0: 2^48 SRTP, 2^31 SRTCP)
  bool unencryptedSrtp = false;
  bool unencryptedSrtcp = false;
  bool unauthenticatedSrtp = false;
  // Tests only (RFC vectors give session keys): key/salt are session keys for RTP and RTCP alike,
  // authKey the session auth key.
  bool sessionKeys = false;
  uint8_t authKey[20] = {};
  // Tests only (RFC 3711 B.1 uses ROC 0xd462564a): the ROC a new stream starts at.
  uint32_t initialRoc = 0;
};

struct Counters {
  std::atomic<uint64_t> authFailures{0};
  std::atomic<uint64_t> replays{0};
  std::atomic<uint64_t> decrypted{0};
  std::atomic<uint64_t> encrypted{0};
};

// Bytes protect may add to a packet at most (E+index 4, MKI up to 128 (RFC 4568 §9.1), tag 16).
constexpr size_t kMaxOverhead = 4 + 128 + 16;

class Context {
 public:
  // nullptr (and *err set) when the parameters are impossible.
  static Context* Create(const Params& p, const char** err);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Protect in place: buf[0..len) is a plain RTP (rtcp=false) or RTCP packet, cap the buffer's size.
  // Returns the protected length, or a Result < 0 (packet not sent).
  int Protect(uint8_t* buf, size_t len, size_t cap, bool rtcp);
  // Unprotect in place. Returns the plain length, or a Result < 0 (dropped; counted).
  int Unprotect(uint8_t* buf, size_t len, bool rtcp);

  Counters counters;
  const SuiteInfo& suite() const { return *info_; }

  // (takeover) Per-SSRC state, off the packet path: up to `max` streams as {ssrc, 48-bit SRTP index (ROC << 16
  // | seq, the highest accepted/sent), SRTCP index} into out[4 * i ..]. Read from another thread while the
  // media thread works: each field is one aligned load (a value at most a packet old; callers add a margin).
  int ReadStreams(double* out, int max) const;
  // (takeover) Continue a stream another node ran: before the context is used by any thread. Its highest
  // index (and SRTCP index) become these; the replay windows start empty beyond them.
  void SeedStream(uint32_t ssrc, uint64_t index, uint32_t rtcpIndex);

 private:
  Context() = default;
  // Field order: what one packet touches first and together (a media thread serves thousands of
  // contexts, so each packet's context is cold in the cache: fewer lines, fewer misses).
  struct Keys {
    uint8_t salt[14] = {};
    bool hasMac = false;
    EVP_CIPHER_CTX* cipher = nullptr;  // AES-ECB (AES-CM keystream) / GCM keyed with the session key
    SHA_CTX macIn{};                   // HMAC-SHA1 with the session auth key: SHA1 state after key ^ ipad,
    SHA_CTX macOut{};                  // and after key ^ opad (precomputed; copied per packet)
    EVP_CIPHER_CTX* ecb = nullptr;     // F8: E(k_e XOR m) for IV'
    EVP_CIPHER_CTX* ecbKs = nullptr;   // F8: E(k_e) for the keystream
  };
  struct Stream {
    uint32_t ssrc = 0;
    bool used = false;
    uint32_t lru = 0;
    // SRTP: highest 48-bit index accepted (rx) or sent (tx), and the replay window (bit k: highest - k seen).
    uint64_t index = 0;
    uint64_t win[2] = {0, 0};
    // SRTCP: highest index accepted (rx) / last sent (tx).
    uint32_t rtcpIndex = 0;
    bool rtcpSeen = false;
    uint64_t rtcpWin[2] = {0, 0};
  };
  static constexpr int kStreams = 16;

  Stream* Find(uint32_t ssrc);
  Stream* Claim(uint32_t ssrc);
  int ProtectRtp(uint8_t* buf, size_t len, size_t cap);
  int ProtectRtcp(uint8_t* buf, size_t len, size_t cap);
  int UnprotectRtp(uint8_t* buf, size_t len);
  int UnprotectRtcp(uint8_t* buf, size_t len);
  bool Ctr(Keys& k, uint32_t ssrc, uint64_t index, uint8_t* p, size_t n);
  bool F8(Keys& k, const uint8_t* ivIn, uint8_t* p, size_t n);
  bool CryptRtp(Keys& k, uint8_t* buf, size_t h, size_t end, uint32_t ssrc, uint64_t idx);
  bool CryptRtcp(Keys& k, uint8_t* buf, size_t end, uint32_t ssrc, uint32_t eidx);
  bool Mac(Keys& k, const uint8_t* p, size_t n, const uint8_t* extra, size_t extraLen, uint8_t* out20);
  bool KeysInit(Keys& k, const uint8_t* sessKey, const uint8_t* sessSalt, const uint8_t* authKey);
  void KeysFree(Keys& k);

  // Hot scalars in one cache line (with the counters above them).
  const SuiteInfo* info_ = nullptr;
  uint32_t clock_ = 0;
  int last_ = -1;
  uint64_t usedRtp_ = 0, usedRtcp_ = 0, lifeRtp_ = 0, lifeRtcp_ = 0;
  uint32_t mki_ = 0;
  uint8_t mkiLen_ = 0;
  bool unencSrtp_ = false, unencSrtcp_ = false, unauthSrtp_ = false;
  Keys rtp_, rtcp_;
  Stream streams_[kStreams];
  Params p_;  // cold: as created (keys wiped)
};

// RFC 3711 §4.3.1 / §4.3.3 AES-CM PRF with kdr 0: `out` = `n` bytes for `label` from the master key
// (16/24/32 bytes) and 14-byte master salt (12-byte AEAD salts zero-padded at the end). False on error.
bool DeriveKey(const uint8_t* masterKey, size_t keyLen, const uint8_t* masterSalt14, uint8_t label, uint8_t* out, size_t n);

}  // namespace srtp
}  // namespace wn
