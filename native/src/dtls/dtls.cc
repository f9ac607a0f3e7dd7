// DTLS-SRTP on OpenSSL (see dtls.h). Facts from rtpengine daemon/dtls.c (mr10.5.3.5): EC prime256v1
// self-signed certificate with a random 64-bit serial, valid from a day back, rotated at half-life;
// SSL_CTX per role with the certificate, SSL_VERIFY_PEER | FAIL_IF_NO_PEER_CERT and the fingerprint check
// in the verify callback; use_srtp with every DTLS-capable profile; read-ahead; P-256 ECDHE; no MTU query,
// SSL_set_mtu / DTLS_set_link_mtu from the configuration; SRTP keys from the selected profile and
// SSL_export_keying_material("EXTRACTOR-dtls_srtp"), split client key | server key | client salt | server
// salt (RFC 5764 §4.2). Unlike rtpengine's memory BIO (which can glue a whole flight into one datagram
// larger than the MTU), the BIO here keeps each datagram OpenSSL writes as its own datagram.
#include "dtls.h"

#include <cstring>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/srtp.h>
#include <openssl/x509.h>

#include "record.h"

namespace wn {
namespace dtls {
namespace {

// Strongest first (rtpengine lists its crypto suites' dtls_name in table order: the same four).
constexpr char kSrtpProfiles[] = "SRTP_AEAD_AES_256_GCM:SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32";
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";

std::string SslErrorString() {
  const unsigned long e = ERR_peek_last_error();
  if (e == 0) return "";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// --- the datagram BIO: reads hand OpenSSL the one datagram being fed, writes queue one datagram each ---

int BioWriteCb(BIO* b, const char* buf, int len) {
  auto* c = static_cast<Conn*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  return c != nullptr ? c->BioWrite(buf, len) : -1;
}

int BioReadCb(BIO* b, char* buf, int len) {
  auto* c = static_cast<Conn*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  const int n = c != nullptr ? c->BioRead(buf, len) : -1;
  if (n < 0) BIO_set_retry_read(b);
  return n;
}

long BioCtrlCb(BIO* b, int cmd, long num, void* ptr) {
  auto* c = static_cast<Conn*>(BIO_get_data(b));
  return c != nullptr ? c->BioCtrl(cmd, num, ptr) : 0;
}

int BioCreateCb(BIO* b) {
  BIO_set_init(b, 1);
  return 1;
}

int BioDestroyCb(BIO* b) {
  BIO_set_data(b, nullptr);
  return 1;
}

BIO_METHOD* DatagramMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "whisperd dtls datagram");
    if (m == nullptr) return m;
    BIO_meth_set_write(m, BioWriteCb);
    BIO_meth_set_read(m, BioReadCb);
    BIO_meth_set_ctrl(m, BioCtrlCb);
    BIO_meth_set_create(m, BioCreateCb);
    BIO_meth_set_destroy(m, BioDestroyCb);
    return m;
  }();
  return method;
}

// SSL_CTX_set_cert_verify_callback: replaces chain building (self-signed certificates, RFC 5763 §5);
// the leaf is checked against the SDP's fingerprint.
int VerifyCb(X509_STORE_CTX* store, void*) {
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  Conn* c = ssl != nullptr ? static_cast<Conn*>(SSL_get_app_data(ssl)) : nullptr;
  if (c == nullptr) return 0;
  const int ok = c->VerifyPeer(X509_STORE_CTX_get0_cert(store));
  if (!ok) X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return ok;
}

SSL_CTX* MakeCtx(bool active, X509* x509, EVP_PKEY* pkey, std::string* error) {
  SSL_CTX* ctx = SSL_CTX_new(active ? DTLS_client_method() : DTLS_server_method());
  if (ctx == nullptr) {
    *error = "SSL_CTX_new: " + SslErrorString();
    return nullptr;
  }
  const char* step = nullptr;
  if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1) step = "min protocol version";
  else if (SSL_CTX_use_certificate(ctx, x509) != 1) step = "use certificate";
  else if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1) step = "use private key";
  else if (SSL_CTX_check_private_key(ctx) != 1) step = "check private key";
  else if (SSL_CTX_set_tlsext_use_srtp(ctx, kSrtpProfiles) != 0) step = "use_srtp";  // 0 = success
  else if (SSL_CTX_set1_groups_list(ctx, "P-256:X25519") != 1) step = "groups";
  if (step != nullptr) {
    *error = std::string("SSL_CTX ") + step + ": " + SslErrorString();
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx, VerifyCb, nullptr);
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  return ctx;
}

// SRTP master key / salt lengths of a DTLS-SRTP protection profile (RFC 5764 §4.1.2, RFC 7714 §14.2).
bool ProfileLengths(unsigned long id, size_t* key, size_t* salt) {
  switch (id) {
    case SRTP_AES128_CM_SHA1_80:
    case SRTP_AES128_CM_SHA1_32:
      *key = 16;
      *salt = 14;
      return true;
    case SRTP_AEAD_AES_128_GCM:
      *key = 16;
      *salt = 12;
      return true;
    case SRTP_AEAD_AES_256_GCM:
      *key = 32;
      *salt = 12;
      return true;
    default:
      return false;
  }
}

}  // namespace

const EVP_MD* DigestByName(const char* name) {
  if (name == nullptr) return nullptr;
  if (strcasecmp(name, "sha-1") == 0) return EVP_sha1();
  if (strcasecmp(name, "sha-224") == 0) return EVP_sha224();
  if (strcasecmp(name, "sha-256") == 0) return EVP_sha256();
  if (strcasecmp(name, "sha-384") == 0) return EVP_sha384();
  if (strcasecmp(name, "sha-512") == 0) return EVP_sha512();
  return nullptr;
}

std::string HexColons(const uint8_t* d, size_t n) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string s;
  s.reserve(n * 3);
  for (size_t i = 0; i < n; i++) {
    if (i > 0) s.push_back(':');
    s.push_back(kHex[d[i] >> 4]);
    s.push_back(kHex[d[i] & 15]);
  }
  return s;
}

static int HexDigit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

bool ParseHexColons(const std::string& s, uint8_t* out, size_t cap, size_t* n) {
  // "XX" then ":XX" repeated: length 3k - 1.
  if (s.size() < 2 || (s.size() + 1) % 3 != 0) return false;
  const size_t count = (s.size() + 1) / 3;
  if (count > cap) return false;
  for (size_t i = 0; i < count; i++) {
    const int hi = HexDigit(s[3 * i]), lo = HexDigit(s[3 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    if (i + 1 < count && s[3 * i + 2] != ':') return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  *n = count;
  return true;
}

// --- Cert ---------------------------------------------------------------------------------------------

Cert* Cert::Create(KeyType type, long lifetime_seconds, const std::string& common_name, std::string* error) {
  ERR_clear_error();
  Cert* c = new Cert();
  BIGNUM* serial = BN_new();
  X509_NAME* name = X509_NAME_new();
  const char* step = nullptr;
  c->pkey_ = type == KeyType::kRsa2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  c->x509_ = X509_new();
  const std::string cn = common_name.substr(0, 63);
  if (c->pkey_ == nullptr) step = "key generation";
  else if (c->x509_ == nullptr || serial == nullptr || name == nullptr) step = "allocation";
  else if (X509_set_version(c->x509_, X509_VERSION_3) != 1) step = "version";
  else if (BN_rand(serial, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) step = "serial";
  else if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(c->x509_)) == nullptr) step = "serial";
  else if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(cn.data()), static_cast<int>(cn.size()), -1, 0) != 1)
    step = "common name";
  else if (X509_set_subject_name(c->x509_, name) != 1 || X509_set_issuer_name(c->x509_, name) != 1) step = "names";
  else if (X509_gmtime_adj(X509_getm_notBefore(c->x509_), -60L * 60 * 24) == nullptr) step = "notBefore";
  else if (X509_gmtime_adj(X509_getm_notAfter(c->x509_), lifetime_seconds) == nullptr) step = "notAfter";
  else if (X509_set_pubkey(c->x509_, c->pkey_) != 1) step = "public key";
  else if (X509_sign(c->x509_, c->pkey_, EVP_sha256()) <= 0) step = "sign";
  BN_free(serial);
  X509_NAME_free(name);
  if (step == nullptr) {
    c->client_ = MakeCtx(true, c->x509_, c->pkey_, error);
    if (c->client_ != nullptr) c->server_ = MakeCtx(false, c->x509_, c->pkey_, error);
    if (c->server_ == nullptr) step = "";
  } else {
    *error = std::string("DTLS certificate ") + step + ": " + SslErrorString();
  }
  ERR_clear_error();
  if (step != nullptr) {
    delete c;
    return nullptr;
  }
  return c;
}

Cert::~Cert() {
  SSL_CTX_free(client_);
  SSL_CTX_free(server_);
  X509_free(x509_);
  EVP_PKEY_free(pkey_);
}

bool Cert::Fingerprint(const EVP_MD* md, uint8_t* out, unsigned* n) const {
  return md != nullptr && X509_digest(x509_, md, out, n) == 1;
}

// --- Conn ---------------------------------------------------------------------------------------------

Conn* Conn::Create(const Cert& cert, bool active, int mtu, std::string* error) {
  if (mtu < 256 || mtu > 16384) {
    *error = "mtu must be 256..16384";
    return nullptr;
  }
  BIO_METHOD* method = DatagramMethod();
  if (method == nullptr) {
    *error = "BIO method";
    return nullptr;
  }
  ERR_clear_error();
  Conn* c = new Conn();
  c->active_ = active;
  c->mtu_ = mtu;
  c->ssl_ = SSL_new(cert.ctx(active));
  BIO* bio = c->ssl_ != nullptr ? BIO_new(method) : nullptr;
  if (bio == nullptr) {
    *error = "SSL_new: " + SslErrorString();
    ERR_clear_error();
    delete c;
    return nullptr;
  }
  BIO_set_data(bio, c);
  SSL_set_bio(c->ssl_, bio, bio);  // one reference, used for reading and writing
  SSL_set_app_data(c->ssl_, c);
  SSL_set_mtu(c->ssl_, mtu);
  DTLS_set_link_mtu(c->ssl_, mtu);
  if (active) SSL_set_connect_state(c->ssl_);
  else SSL_set_accept_state(c->ssl_);
  ERR_clear_error();
  return c;
}

Conn::~Conn() {
  if (ssl_ != nullptr) {
    SSL_set_app_data(ssl_, nullptr);
    SSL_free(ssl_);
  }
  X509_free(peer_);
}

int Conn::BioRead(char* buf, int len) {
  if (in_ == nullptr || len <= 0) return -1;
  const size_t n = in_len_ < static_cast<size_t>(len) ? in_len_ : static_cast<size_t>(len);
  std::memcpy(buf, in_, n);
  in_ = nullptr;
  in_len_ = 0;
  return static_cast<int>(n);
}

int Conn::BioWrite(const char* buf, int len) {
  if (len <= 0) return 0;
  // Like a full socket buffer: the datagram is lost (DTLS retransmits), OpenSSL is told it went out.
  if (out_.size() >= kMaxOut || out_bytes_ + static_cast<size_t>(len) > kMaxOutBytes) {
    out_dropped_++;
    return len;
  }
  out_.emplace_back(reinterpret_cast<const uint8_t*>(buf), reinterpret_cast<const uint8_t*>(buf) + len);
  out_bytes_ += static_cast<size_t>(len);
  return len;
}

long Conn::BioCtrl(int cmd, long num, void*) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return static_cast<long>(in_ != nullptr ? in_len_ : 0);
    case BIO_CTRL_WPENDING:
      return 0;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return mtu_;
    case BIO_CTRL_DGRAM_SET_MTU:
      return num;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      return 0;  // dtls.mtu is the datagram (UDP payload) size
    default:
      return 0;
  }
}

int Conn::VerifyPeer(X509* cert) {
  if (cert == nullptr) return 0;
  X509_up_ref(cert);
  X509_free(peer_);
  peer_ = cert;
  if (md_ == nullptr) return 1;  // no a=fingerprint yet: checked when it is set (rtpengine: delayed verification)
  uint8_t d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if (X509_digest(cert, md_, d, &n) != 1 || n != digest_len_ || CRYPTO_memcmp(d, digest_, n) != 0) {
    mismatch_ = true;
    verified_ = false;
    return 0;
  }
  verified_ = true;
  return 1;
}

int Conn::SetRemoteFingerprint(const char* hash, const std::string& value) {
  const EVP_MD* md = DigestByName(hash);
  uint8_t d[kMaxDigest];
  size_t n = 0;
  if (md == nullptr || !ParseHexColons(value, d, sizeof d, &n) || n != static_cast<size_t>(EVP_MD_get_size(md))) return -1;
  md_ = md;
  std::memcpy(digest_, d, n);
  digest_len_ = static_cast<unsigned>(n);
  if (peer_ == nullptr) return 0;
  if (VerifyPeer(peer_) == 1) return 1;
  Fail("peer certificate fingerprint mismatch");
  return 2;
}

std::string Conn::PeerFingerprint(const EVP_MD* md) const {
  uint8_t d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if (peer_ == nullptr || md == nullptr || X509_digest(peer_, md, d, &n) != 1) return "";
  return HexColons(d, n);
}

void Conn::Fail(const std::string& why) {
  state_ = State::kFailed;
  error_ = why;
}

void Conn::TakeSslError(const char* what, int code) {
  std::string detail = SslErrorString();
  if (detail.empty()) detail = "SSL_get_error " + std::to_string(code);
  Fail(mismatch_ ? "peer certificate fingerprint mismatch" : std::string("DTLS ") + what + " failed: " + detail);
}

void Conn::Step() {
  if (state_ == State::kFailed || state_ == State::kClosed) return;
  ERR_clear_error();
  if (state_ != State::kConnected) {
    const int r = SSL_do_handshake(ssl_);
    if (r != 1) {
      const int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) state_ = State::kHandshaking;
      else TakeSslError("handshake", e);
      ERR_clear_error();
      return;
    }
    state_ = State::kConnected;
  }
  // Connected: read what came (a retransmitted final flight makes OpenSSL resend its own; application
  // data has no use here and is discarded; close_notify closes). Bounded: one datagram holds few records.
  uint8_t buf[2048];
  for (int i = 0; i < 16; i++) {
    const int r = SSL_read(ssl_, buf, sizeof buf);
    if (r > 0) continue;
    const int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) break;
    if (e == SSL_ERROR_ZERO_RETURN) {
      state_ = State::kClosed;
      error_ = "closed by the peer (close_notify)";
    } else {
      TakeSslError("read", e);
    }
    break;
  }
  ERR_clear_error();
}

void Conn::Feed(const uint8_t* data, size_t len) {
  if (state_ == State::kFailed || state_ == State::kClosed) return;
  if (data != nullptr) {
    if (CheckDatagram(data, len) != RecordVerdict::kOk) return;
    in_ = data;
    in_len_ = len;
  }
  Step();
  in_ = nullptr;  // never keep a pointer into the caller's buffer
  in_len_ = 0;
}

void Conn::Timeout() {
  if (state_ != State::kHandshaking && state_ != State::kConnected) return;
  ERR_clear_error();
  if (DTLSv1_handle_timeout(ssl_) < 0 && state_ == State::kHandshaking) Fail("DTLS handshake timed out (retransmissions exhausted)");
  ERR_clear_error();
}

long Conn::NextTimeoutMs() {
  if (state_ != State::kHandshaking && state_ != State::kConnected) return -1;
  struct timeval tv = {0, 0};
  if (DTLSv1_get_timeout(ssl_, &tv) != 1) return -1;
  return static_cast<long>(tv.tv_sec) * 1000 + (static_cast<long>(tv.tv_usec) + 999) / 1000;
}

void Conn::Shutdown() {
  if (state_ == State::kConnected) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  if (state_ != State::kFailed) state_ = State::kClosed;
}

bool Conn::Srtp(std::string* profile, std::vector<uint8_t>* material) const {
  if (state_ != State::kConnected || !verified_) return false;
  const SRTP_PROTECTION_PROFILE* p = SSL_get_selected_srtp_profile(ssl_);
  size_t key = 0, salt = 0;
  if (p == nullptr || !ProfileLengths(p->id, &key, &salt)) return false;
  material->assign(2 * (key + salt), 0);
  ERR_clear_error();
  const int ok = SSL_export_keying_material(ssl_, material->data(), material->size(), kExporterLabel, sizeof kExporterLabel - 1,
                                            nullptr, 0, 0);
  ERR_clear_error();
  if (ok != 1) return false;
  *profile = p->name;
  return true;
}

}  // namespace dtls
}  // namespace wn
