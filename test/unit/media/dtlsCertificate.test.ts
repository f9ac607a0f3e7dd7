/**
 * The process DTLS certificate (src/media/dtls/certificate.ts, native/src/dtls/): as rtpengine's
 * daemon/dtls.c cert_init — EC prime256v1 self-signed, random 64-bit serial, valid from a day back to the
 * configured lifetime ahead, replaced at half-life — and its a=fingerprint (RFC 8122: upper-case hex with
 * colons) in every hash rtpengine offers, checked against the openssl command-line tool as the oracle.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DtlsCertificate, dtlsCertificate, dtlsNative, DTLS_DEFAULTS, FINGERPRINT_HASHES, rotateDtlsCertificate, rotateIfDue, startDtls } from '../../../src/media/dtls/certificate';
import { run } from '../../fixtures/dtls';

async function opensslText(cert: DtlsCertificate, args: string[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-cert-'));
  try {
    const file = path.join(dir, 'c.pem');
    fs.writeFileSync(file, cert.pem);
    return await run('openssl', ['x509', '-in', file, '-noout', ...args]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

t.test('fingerprint in each of sha-1 … sha-512 equals openssl x509 -fingerprint (upper-case hex, colons)', async (t) => {
  const cert = dtlsCertificate();
  for (const hash of FINGERPRINT_HASHES) {
    const out = await opensslText(cert, ['-fingerprint', `-${hash.replace('-', '')}`]);
    const expected = out.trim().replace(/^.*Fingerprint=/, '');
    t.same(cert.fingerprint(hash), { hash, value: expected }, hash);
    t.match(cert.fingerprint(hash).value, /^[0-9A-F]{2}(:[0-9A-F]{2})+$/);
  }
  t.same(cert.fingerprint('SHA-256'), cert.fingerprint('sha-256'), 'hash name is case-insensitive');
});

t.test('an unknown fingerprint hash is refused with a RangeError', async (t) => {
  t.throws(() => dtlsCertificate().fingerprint('md5'), RangeError);
});

t.test('the certificate is self-signed with an EC prime256v1 key (rtpengine default dtls-cert-cipher)', async (t) => {
  const text = await opensslText(dtlsCertificate(), ['-text']);
  t.match(text, /ASN1 OID: prime256v1/);
  t.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  const subject = (await opensslText(dtlsCertificate(), ['-subject'])).trim().replace(/^subject=/, '');
  const issuer = (await opensslText(dtlsCertificate(), ['-issuer'])).trim().replace(/^issuer=/, '');
  t.equal(subject, issuer, 'issuer = subject');
});

t.test('each certificate has its own random serial and key', async (t) => {
  const a = dtlsCertificate();
  const b = rotateDtlsCertificate();
  t.not(a.fingerprint().value, b.fingerprint().value);
  t.not(await opensslText(a, ['-serial']), await opensslText(b, ['-serial']));
  t.equal(dtlsCertificate(), b, 'the rotated certificate is the current one');
});

t.test('validity runs from a day back to the configured lifetime ahead (rtpengine CERT_EXPIRY_TIME)', async (t) => {
  const stop = startDtls({ ...DTLS_DEFAULTS, certificateLifetime: 7 * 86400 });
  t.teardown(stop);
  const [notBefore, notAfter] = dtlsCertificate().validity;
  const now = Date.now() / 1000;
  t.ok(Math.abs(notBefore - (now - 86400)) < 10, `notBefore ${notBefore} ≈ now - 1 day`);
  t.ok(Math.abs(notAfter - (now + 7 * 86400)) < 10, `notAfter ${notAfter} ≈ now + 7 days`);
  const stop2 = startDtls({ ...DTLS_DEFAULTS });
  t.teardown(stop2);
  t.ok(Math.abs(dtlsCertificate().validity[1] - (now + 30 * 86400)) < 10, 'a changed lifetime makes a new certificate');
});

t.test('a certificate is due for replacement at half its lifetime', async (t) => {
  const c = dtlsCertificate();
  t.notOk(c.dueForRotation(c.createdMs + (c.lifetime * 1000) / 2 - 1000));
  t.ok(c.dueForRotation(c.createdMs + (c.lifetime * 1000) / 2));
});

t.test('the rotation check replaces the certificate once half its lifetime has passed, not before', async (t) => {
  const c = dtlsCertificate();
  const half = c.createdMs + (c.lifetime * 1000) / 2;
  t.notOk(rotateIfDue(half - 1000), 'not yet');
  t.equal(dtlsCertificate(), c);
  t.ok(rotateIfDue(half + 1000), 'replaced');
  t.not(dtlsCertificate(), c);
  t.not(dtlsCertificate().fingerprint().value, c.fingerprint().value, 'a new key');
  const fresh = dtlsCertificate();
  t.notOk(rotateIfDue(fresh.createdMs + (fresh.lifetime * 1000) / 2 - 1000), 'the new one is not due before its own half-life');
});

t.test('dtls.cipher rsa2048 makes an RSA 2048 certificate', async (t) => {
  const stop = startDtls({ ...DTLS_DEFAULTS, cipher: 'rsa2048' });
  t.teardown(() => {
    stop();
    startDtls({ ...DTLS_DEFAULTS })();
  });
  const text = await opensslText(dtlsCertificate(), ['-text']);
  t.match(text, /Public-Key: \(2048 bit\)/);
  t.match(text, /rsaEncryption/);
});

t.test('the native calls refuse a bad handle or argument without throwing', async (t) => {
  const n = dtlsNative();
  const h = n.dtlsCertCreate(0, 3600, 'x');
  n.destroy(h);
  t.equal(n.dtlsCertFingerprint(h, 'sha-256'), null, 'destroyed certificate');
  t.throws(() => n.dtlsCertCreate(0, 10, 'x'), RangeError, 'lifetime under a minute');
  t.throws(() => n.dtlsConnCreate(h, true, 1200), RangeError, 'destroyed certificate');
});
