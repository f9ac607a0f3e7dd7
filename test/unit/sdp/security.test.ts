/**
 * a=crypto (RFC 4568 §9.1), a=fingerprint (RFC 8122 §5), a=candidate (RFC 8839 §5.1) as rtpengine 10.5
 * reads and writes them (daemon/sdp.c parse_attribute_crypto / insert_crypto1).
 */
import t from 'tap';
import { parseCandidate } from '../../../src/media/ice/candidates';
import { formatCrypto, parseCrypto, parseFingerprint, readSecurity } from '../../../src/sdp/security';

const KEY = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';

t.test('a=crypto inline key||salt: 16-byte key and 14-byte salt for AES_CM_128_HMAC_SHA1_80', async (t) => {
  const c = parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`)!;
  t.equal(c.tag, 1);
  t.equal(c.suite, 'AES_CM_128_HMAC_SHA1_80');
  t.equal(c.key.length, 16);
  t.equal(c.salt.length, 14);
  t.same(Buffer.concat([c.key, c.salt]), Buffer.from(KEY, 'base64'));
  t.equal(c.lifetime, null);
  t.equal(c.mki, null);
});

t.test('a=crypto lifetime 2^n and decimal, MKI value:length (RFC 4568 §6.1)', async (t) => {
  t.equal(parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20`)!.lifetime, 2 ** 20);
  t.equal(parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|1048576`)!.lifetime, 1048576);
  const m = parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|1:4`)!;
  t.same(m.mki, { value: 1, length: 4 });
  t.same(parseCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|1:32`)!.mki, { value: 1, length: 32 });
});

t.test('a=crypto session parameters UNENCRYPTED_SRTP / UNENCRYPTED_SRTCP / UNAUTHENTICATED_SRTP', async (t) => {
  const c = parseCrypto(`3 AES_CM_128_HMAC_SHA1_32 inline:${KEY} UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP`)!;
  t.equal(c.unencryptedSrtcp, true);
  t.equal(c.unauthenticatedSrtp, true);
  t.equal(c.unencryptedSrtp, false);
  t.equal(formatCrypto(c), `crypto:3 AES_CM_128_HMAC_SHA1_32 inline:${KEY} UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP`);
});

t.test('key-parameter junk is ignored (null), never thrown: rtpengine "Failed to parse a=crypto attribute, ignoring"', async (t) => {
  for (const bad of [
    '',
    'x AES_CM_128_HMAC_SHA1_80 inline:' + KEY,
    '1 AES_CM_999 inline:' + KEY,
    '1 AES_CM_128_HMAC_SHA1_80 uri:' + KEY,
    '1 AES_CM_128_HMAC_SHA1_80 inline:short',
    '1 AES_CM_128_HMAC_SHA1_80 inline:' + '!'.repeat(40),
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^64`,
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^0`,
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|0`,
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|1:200`,
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|junk`,
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}xx`,
    '1 AES_CM_128_HMAC_SHA1_80 inline:' + 'A'.repeat(5000),
  ]) {
    t.equal(parseCrypto(bad), null, JSON.stringify(bad.slice(0, 60)));
  }
});

t.test('AES-192 / AES-256 / GCM keys: base64 with padding written only with SDES-pad', async (t) => {
  const k256 = Buffer.alloc(46, 7).toString('base64'); // 64 chars incl. '=='
  const c = parseCrypto(`2 AES_256_CM_HMAC_SHA1_80 inline:${k256}`)!;
  t.equal(c.key.length, 32);
  t.equal(formatCrypto(c), `crypto:2 AES_256_CM_HMAC_SHA1_80 inline:${k256.replace(/=+$/, '')}`);
  t.equal(formatCrypto(c, { pad: true }), `crypto:2 AES_256_CM_HMAC_SHA1_80 inline:${k256}`);
  t.equal(formatCrypto(c, { lifetime: true }), `crypto:2 AES_256_CM_HMAC_SHA1_80 inline:${k256.replace(/=+$/, '')}|2^31`);
  const gcm = parseCrypto(`1 AEAD_AES_128_GCM inline:${Buffer.alloc(28, 1).toString('base64').replace(/=+$/, '')}`)!;
  t.equal(gcm.salt.length, 12);
});

t.test('a=fingerprint: known hashes with the right digest length, upper-cased; others ignored', async (t) => {
  const sha1 = Array.from({ length: 20 }, () => 'ab').join(':');
  t.same(parseFingerprint(`sha-1 ${sha1}`), { hash: 'sha-1', value: sha1.toUpperCase() });
  t.equal(parseFingerprint(`sha-256 ${sha1}`), null);
  t.equal(parseFingerprint(`md5 ${sha1}`), null);
  t.equal(parseFingerprint('sha-1'), null);
});

t.test('a=candidate: mandatory fields, raddr/rport, extensions; junk ignored', async (t) => {
  t.same(parseCandidate('1 1 udp 2122260223 203.0.113.5 54400 typ host generation 0'), {
    foundation: '1', component: 1, transport: 'udp', priority: 2122260223, address: '203.0.113.5', port: 54400, type: 'host', extensions: [['generation', '0']],
  });
  const s = parseCandidate('2 1 udp 1686052607 198.51.100.77 54400 typ srflx raddr 203.0.113.5 rport 54400')!;
  t.equal(s.relAddr, '203.0.113.5');
  t.equal(s.relPort, 54400);
  t.equal(parseCandidate('1 1 udp x 1.2.3.4 5 typ host'), null);
  t.equal(parseCandidate('1 1 udp 1 1.2.3.4 5 kind host'), null);
});

t.test('readSecurity: media-level values, session-level fallbacks for a=setup / a=fingerprint / ICE', async (t) => {
  const fp = Array.from({ length: 32 }, () => '0A').join(':');
  const text = ['v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'a=setup:actpass', `a=fingerprint:sha-256 ${fp}`, 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789012345678901', 'a=ice-lite', 't=0 0',
    'm=audio 1 RTP/SAVP 0', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`, 'a=crypto:2 BOGUS inline:x', 'a=candidate:1 1 UDP 2130706431 1.2.3.4 1 typ host',
    'm=audio 2 UDP/TLS/RTP/SAVPF 0', 'a=setup:passive', 'a=ice-options:trickle', 'a=end-of-candidates'].join('\r\n') + '\r\n';
  const [a, b] = readSecurity(text);
  t.equal(a!.cryptos.length, 1);
  t.equal(a!.setup, 'actpass');
  t.equal(a!.fingerprint!.hash, 'sha-256');
  t.equal(a!.ice!.ufrag, 'abcd');
  t.equal(a!.ice!.lite, true);
  t.equal(a!.ice!.candidates.length, 1);
  t.equal(b!.setup, 'passive');
  t.equal(b!.trickle, true);
  t.equal(b!.endOfCandidates, true);
});
