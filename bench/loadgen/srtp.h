/*
 * srtp.h: SRTP AES_CM_128_HMAC_SHA1_80 (RFC 3711) and AEAD_AES_128_GCM (RFC 7714) for the benchmark generator (rtpgen built with -DWITH_SRTP,
 * linked with -lcrypto), on OpenSSL EVP with one cipher context and one HMAC context per stream, created
 * once, so the generator's own cost per packet stays well under a microsecond or two.
 *
 *   srtp_init(ctx, "<base64 of 16-byte key + 14-byte salt>")   session keys by the AES-CM PRF (§4.3.1, kdr 0);
 *                                       a 28-byte inline value (16-byte key + 12-byte salt) is AEAD_AES_128_GCM
 *                                       (RFC 7714 §11: the same PRF, the salt zero-padded to 14 bytes)
 *   srtp_protect(ctx, pkt, len)     encrypts the payload after the 12-byte header and appends the 10-byte tag; new length
 *   srtp_unprotect(ctx, pkt, len)   checks the tag, decrypts in place; new length, or -1 (too short / tag mismatch)
 *
 * The IV takes the SSRC and sequence number from the packet's header (one context serves every SSRC of a party).
 * Rollover counter: the sender's counts its own wraps; the receiver's estimates the index (RFC 3711 Appendix A)
 * from the highest sequence number seen (one stream per receiving context). The generator is
 * checked by the daemons themselves: rtpengine drops SRTP whose tag does not verify, so a wrong implementation
 * here shows as 100 % loss, never as a figure.
 */
#ifndef WHISPERD_BENCH_SRTP_H
#define WHISPERD_BENCH_SRTP_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <string.h>

#define SRTP_TAG_LEN 10
#define SRTP_MAX_TAG 16 /* room a caller leaves after the packet */

typedef struct {
    int aead;        /* 1: AEAD_AES_128_GCM (16-byte tag, no HMAC) */
    EVP_CIPHER_CTX *aes;
    HMAC_CTX *hmac;
    uint8_t salt[14];
    uint32_t roc;    /* rollover counter (tx: of what we sent; rx: of the highest index seen) */
    uint16_t s_l;    /* highest sequence number sent / seen */
    int have_s_l;
} srtp_ctx_t;

static int srtp_b64_val(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* base64 (no padding needed) -> bytes; returns the byte count */
static int srtp_b64_decode(const char *s, uint8_t *out, int max) {
    int n = 0, bits = 0, acc = 0;
    for (; *s && *s != '='; s++) {
        int v = srtp_b64_val((unsigned char)*s);
        if (v < 0) return -1;
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n >= max) return -1;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return n;
}

/* AES-CM PRF (RFC 3711 §4.3.3): n bytes of keystream under the master key, IV = (salt XOR label at byte 7) * 2^16 */
static void srtp_kdf(const uint8_t *mkey, const uint8_t *msalt, uint8_t label, uint8_t *out, int n) {
    uint8_t iv[16] = {0}, zeros[32] = {0};
    memcpy(iv, msalt, 14);
    iv[7] ^= label;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, mkey, iv);
    EVP_EncryptUpdate(c, out, &len, zeros, n);
    EVP_CIPHER_CTX_free(c);
}

static int srtp_init(srtp_ctx_t *x, const char *inline_b64) {
    uint8_t master[30] = {0}, ke[16], ka[20];
    int n = srtp_b64_decode(inline_b64, master, sizeof master);
    if (n == 28) { /* AEAD_AES_128_GCM: master salt 12 bytes, zero-padded to 14 for the PRF */
        master[28] = master[29] = 0;
        srtp_kdf(master, master + 16, 0, ke, 16);
        srtp_kdf(master, master + 16, 2, x->salt, 12);
        x->aead = 1;
        x->aes = EVP_CIPHER_CTX_new();
        EVP_EncryptInit_ex(x->aes, EVP_aes_128_gcm(), NULL, NULL, NULL);
        EVP_CIPHER_CTX_ctrl(x->aes, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
        EVP_EncryptInit_ex(x->aes, NULL, NULL, ke, NULL);
        return 0;
    }
    if (n != 30) return -1;
    srtp_kdf(master, master + 16, 0, ke, 16);
    srtp_kdf(master, master + 16, 1, ka, 20);
    srtp_kdf(master, master + 16, 2, x->salt, 14);
    x->aes = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(x->aes, EVP_aes_128_ctr(), NULL, ke, NULL);
    x->hmac = HMAC_CTX_new();
    HMAC_Init_ex(x->hmac, ka, 20, EVP_sha1(), NULL);
    return 0;
}

/* AES-CM over the payload (§4.1.1): IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), ROC 0 */
static void srtp_ctr(srtp_ctx_t *x, uint8_t *pkt, int len, uint32_t roc) {
    uint8_t iv[16] = {0};
    memcpy(iv, x->salt, 14);
    iv[4] ^= pkt[8]; iv[5] ^= pkt[9]; iv[6] ^= pkt[10]; iv[7] ^= pkt[11];
    iv[8] ^= (uint8_t)(roc >> 24); iv[9] ^= (uint8_t)(roc >> 16); iv[10] ^= (uint8_t)(roc >> 8); iv[11] ^= (uint8_t)roc;
    iv[12] ^= pkt[2]; iv[13] ^= pkt[3];
    int out = 0;
    EVP_EncryptInit_ex(x->aes, NULL, NULL, NULL, iv);
    EVP_EncryptUpdate(x->aes, pkt + 12, &out, pkt + 12, len - 12);
}

static void srtp_tag(srtp_ctx_t *x, const uint8_t *pkt, int len, uint32_t r, uint8_t *tag20) {
    uint8_t roc[4] = {(uint8_t)(r >> 24), (uint8_t)(r >> 16), (uint8_t)(r >> 8), (uint8_t)r};
    unsigned tl = 0;
    HMAC_Init_ex(x->hmac, NULL, 0, NULL, NULL);
    HMAC_Update(x->hmac, pkt, (size_t)len);
    HMAC_Update(x->hmac, roc, 4);
    HMAC_Final(x->hmac, tag20, &tl);
}

/* RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; AAD = the 12-byte header; 16-byte tag after the payload */
static void srtp_gcm_iv(srtp_ctx_t *x, const uint8_t *pkt, uint32_t roc, uint8_t *iv) {
    memcpy(iv, x->salt, 12);
    iv[2] ^= pkt[8]; iv[3] ^= pkt[9]; iv[4] ^= pkt[10]; iv[5] ^= pkt[11];
    iv[6] ^= (uint8_t)(roc >> 24); iv[7] ^= (uint8_t)(roc >> 16); iv[8] ^= (uint8_t)(roc >> 8); iv[9] ^= (uint8_t)roc;
    iv[10] ^= pkt[2]; iv[11] ^= pkt[3];
}

static int srtp_gcm_protect(srtp_ctx_t *x, uint8_t *pkt, int len, uint32_t roc) {
    uint8_t iv[12];
    int out = 0;
    srtp_gcm_iv(x, pkt, roc, iv);
    EVP_EncryptInit_ex(x->aes, NULL, NULL, NULL, iv);
    EVP_EncryptUpdate(x->aes, NULL, &out, pkt, 12);
    EVP_EncryptUpdate(x->aes, pkt + 12, &out, pkt + 12, len - 12);
    EVP_EncryptFinal_ex(x->aes, pkt + len, &out);
    EVP_CIPHER_CTX_ctrl(x->aes, EVP_CTRL_GCM_GET_TAG, 16, pkt + len);
    return len + 16;
}

static int srtp_gcm_unprotect(srtp_ctx_t *x, uint8_t *pkt, int len, uint32_t roc) {
    uint8_t iv[12];
    int out = 0;
    if (len < 12 + 16) return -1;
    len -= 16;
    srtp_gcm_iv(x, pkt, roc, iv);
    EVP_DecryptInit_ex(x->aes, NULL, NULL, NULL, iv);
    EVP_DecryptUpdate(x->aes, NULL, &out, pkt, 12);
    EVP_DecryptUpdate(x->aes, pkt + 12, &out, pkt + 12, len - 12);
    EVP_CIPHER_CTX_ctrl(x->aes, EVP_CTRL_GCM_SET_TAG, 16, pkt + len);
    if (EVP_DecryptFinal_ex(x->aes, pkt + len, &out) <= 0) return -1;
    return len;
}

static int srtp_protect(srtp_ctx_t *x, uint8_t *pkt, int len) {
    uint8_t tag[20];
    uint16_t seq = (uint16_t)(pkt[2] << 8 | pkt[3]);
    if (x->have_s_l && seq < x->s_l && (uint16_t)(x->s_l - seq) > 0x8000) x->roc++; /* wrapped */
    if (!x->have_s_l || (int16_t)(seq - x->s_l) > 0) { x->s_l = seq; x->have_s_l = 1; }
    if (x->aead) return srtp_gcm_protect(x, pkt, len, x->roc);
    srtp_ctr(x, pkt, len, x->roc);
    srtp_tag(x, pkt, len, x->roc, tag);
    memcpy(pkt + len, tag, SRTP_TAG_LEN);
    return len + SRTP_TAG_LEN;
}

static int srtp_unprotect(srtp_ctx_t *x, uint8_t *pkt, int len) {
    uint8_t tag[20];
    if (len < 12 + SRTP_TAG_LEN) return -1;
    uint16_t seq = (uint16_t)(pkt[2] << 8 | pkt[3]);
    /* RFC 3711 Appendix A: the ROC guess v for this packet */
    uint32_t v = x->roc;
    if (x->have_s_l) {
        if (x->s_l < 32768) { if (seq > x->s_l + 32768u && x->roc > 0) v = x->roc - 1; }
        else if ((uint32_t)x->s_l - 32768u > seq) v = x->roc + 1;
    }
    if (x->aead) {
        len = srtp_gcm_unprotect(x, pkt, len, v);
        if (len < 0) return -1;
    } else {
        len -= SRTP_TAG_LEN;
        srtp_tag(x, pkt, len, v, tag);
        if (memcmp(tag, pkt + len, SRTP_TAG_LEN) != 0) return -1;
        srtp_ctr(x, pkt, len, v);
    }
    if (!x->have_s_l || v > x->roc || (v == x->roc && seq > x->s_l)) { x->roc = v; x->s_l = seq; x->have_s_l = 1; }
    return len;
}
#endif
