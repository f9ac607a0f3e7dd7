// DTLS-SRTP (RFC 5763 / RFC 5764) on OpenSSL, the way rtpengine's daemon/dtls.c does it: one self-signed
// certificate per process, an SSL_CTX per role holding it, one SSL per endpoint whose records travel
// through a datagram BIO of our own (the endpoint's media socket sends and receives them; this code
// never touches a socket), the peer certificate checked against the SDP's a=fingerprint, and on
// completion the negotiated SRTP protection profile and the RFC 5705 exporter "EXTRACTOR-dtls_srtp".
//
// Driven from Node's main thread (src/media/dtls/DtlsSession.ts), never per media packet. Anything a
// peer sends is bounded: a datagram is checked by record.h before OpenSSL sees it, at most kMaxOut
// datagrams / kMaxOutBytes bytes are queued per call, every SSL error ends in a state, none throws.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <openssl/ssl.h>

namespace wn {
namespace dtls {

constexpr size_t kMaxOut = 32;              // datagrams queued by one call (a flight is a handful)
constexpr size_t kMaxOutBytes = 64 * 1024;  // their bytes
constexpr size_t kMaxDigest = 64;           // sha-512

// The hash of an a=fingerprint (RFC 8122 names, case-insensitive): sha-1, sha-224, sha-256, sha-384, sha-512.
const EVP_MD* DigestByName(const char* name);
// Upper-case hex with colons ("AB:CD:..."), as written in SDP.
std::string HexColons(const uint8_t* d, size_t n);
// Parse "AB:cd:..." into bytes; false if malformed or longer than `cap`.
bool ParseHexColons(const std::string& s, uint8_t* out, size_t cap, size_t* n);

enum class KeyType { kEcP256 = 0, kRsa2048 = 1 };

// The process certificate: key, self-signed X.509 and one SSL_CTX per role. Sessions made from it keep
// their SSL_CTX (reference-counted by OpenSSL) when the certificate is replaced.
class Cert {
 public:
  // nullptr on failure, with `error` set.
  static Cert* Create(KeyType type, long lifetime_seconds, const std::string& common_name, std::string* error);
  ~Cert();
  bool Fingerprint(const EVP_MD* md, uint8_t* out, unsigned* n) const;
  X509* x509() const { return x509_; }
  SSL_CTX* ctx(bool active) const { return active ? client_ : server_; }

 private:
  Cert() = default;
  EVP_PKEY* pkey_ = nullptr;
  X509* x509_ = nullptr;
  SSL_CTX* client_ = nullptr;
  SSL_CTX* server_ = nullptr;
};

enum class State : int { kNew = 0, kHandshaking = 1, kConnected = 2, kFailed = 3, kClosed = 4 };

// One DTLS association (one endpoint's DTLS session).
class Conn {
 public:
  // nullptr on failure, with `error` set. `mtu`: largest datagram sent (256..16384).
  static Conn* Create(const Cert& cert, bool active, int mtu, std::string* error);
  ~Conn();

  // The expected peer certificate fingerprint (SDP a=fingerprint). Returns 0 when set and no peer
  // certificate was seen yet, 1 when set and the certificate seen already matches, 2 when it does not
  // match (the connection fails), -1 on a bad hash name or value.
  int SetRemoteFingerprint(const char* hash, const std::string& value);
  // The peer certificate's fingerprint, "" if none was seen.
  std::string PeerFingerprint(const EVP_MD* md) const;

  // Feed one received datagram (nullptr: none — starts the handshake of an active side) and run the
  // handshake or read the records. Outgoing datagrams are queued in out().
  void Feed(const uint8_t* data, size_t len);
  // Run OpenSSL's retransmission timer if it expired.
  void Timeout();
  // Milliseconds until the retransmission timer expires, -1 if none runs.
  long NextTimeoutMs();
  // Send close_notify (queued in out()) and close.
  void Shutdown();

  State state() const { return state_; }
  bool active() const { return active_; }
  const std::string& error() const { return error_; }
  // Datagrams to send, queued by the calls above; the caller sends them and calls ClearOut().
  const std::vector<std::vector<uint8_t>>& out() const { return out_; }
  void ClearOut() {
    out_.clear();
    out_bytes_ = 0;
  }
  size_t out_dropped() const { return out_dropped_; }
  // Connected and the peer certificate was verified: the selected profile ("SRTP_AES128_CM_SHA1_80"...)
  // and the exported keying material (2 * (key + salt) bytes, RFC 5764 §4.2 order). false otherwise.
  bool Srtp(std::string* profile, std::vector<uint8_t>* material) const;
  bool verified() const { return verified_; }

  // BIO callbacks (the datagram BIO), public for the BIO method table.
  int BioRead(char* buf, int len);
  int BioWrite(const char* buf, int len);
  long BioCtrl(int cmd, long num, void* ptr);
  // The certificate-verify callback.
  int VerifyPeer(X509* cert);

 private:
  Conn() = default;
  void Step();
  void Fail(const std::string& why);
  void TakeSslError(const char* what, int ret);

  SSL* ssl_ = nullptr;
  bool active_ = false;
  int mtu_ = 1200;
  State state_ = State::kNew;
  std::string error_;
  // The datagram being fed (read once by BioRead).
  const uint8_t* in_ = nullptr;
  size_t in_len_ = 0;
  std::vector<std::vector<uint8_t>> out_;
  size_t out_bytes_ = 0;
  size_t out_dropped_ = 0;
  // Expected fingerprint.
  const EVP_MD* md_ = nullptr;
  uint8_t digest_[kMaxDigest] = {};
  unsigned digest_len_ = 0;
  X509* peer_ = nullptr;
  bool verified_ = false;
  bool mismatch_ = false;
};

}  // namespace dtls
}  // namespace wn
