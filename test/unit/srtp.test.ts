/**
 * SRTP / SRTCP transform (native/src/srtp/ on OpenSSL, src/media/srtp.ts): RFC test vectors, round trips
 * of every suite, ROC across a sequence wrap with reordering (RFC 3711 §3.3.1 / Appendix A), the replay
 * window, auth failures, MKI, session parameters, lifetime, and truncated packets (dropped, counted,
 * never thrown).
 */
import t from 'tap';
import type { SrtpKey, SrtpSuite } from '../../src/media/secure';
import { SRTP_MAX_OVERHEAD, SRTP_SUITES, SrtpContext, srtpDeriveKey, SrtpError } from '../../src/media/srtp';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SUITES = Object.keys(SRTP_SUITES) as SrtpSuite[];

function keyOf(suite: SrtpSuite, fill = 0x11): SrtpKey {
  const i = SRTP_SUITES[suite];
  return { suite, masterKey: Buffer.alloc(i.keyLength, fill), masterSalt: Buffer.alloc(i.saltLength, fill ^ 0x5a) };
}

function rtp(seq: number, ssrc = 0xcafebabe, payload = 160): Buffer {
  const b = Buffer.alloc(12 + payload + SRTP_MAX_OVERHEAD);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE((seq * 160) >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  for (let i = 0; i < payload; i++) b[12 + i] = (seq + i) & 0xff;
  return b;
}

/** An RTCP sender report (28 bytes) with room for the SRTCP trailer. */
function rtcpSr(ssrc = 0xcafebabe): Buffer {
  const b = Buffer.alloc(28 + SRTP_MAX_OVERHEAD);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc, 4);
  for (let i = 8; i < 28; i++) b[i] = i;
  return b;
}

t.test('RFC 3711 B.3: AES-CM PRF key derivation (cipher key, salt, auth key)', async (t) => {
  const k = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const s = hex('0EC675AD498AFEEBB6960B3AABE6');
  t.equal(srtpDeriveKey(k, s, 0, 16).toString('hex'), 'c61e7a93744f39ee10734afe3ff7a087');
  t.equal(srtpDeriveKey(k, s, 2, 14).toString('hex'), '30cbbc08863d8c85d49db34a9ae1');
  t.equal(srtpDeriveKey(k, s, 1, 20).toString('hex'), 'cebe321f6ff7716b6fd4ab49af256a156d38baa4');
});

t.test('RFC 6188 §7.2 / §7.4: AES-256 and AES-192 PRF key derivation', async (t) => {
  const k256 = hex('f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6');
  const s256 = hex('3b04803de51ee7c96423ab5b78d2');
  t.equal(srtpDeriveKey(k256, s256, 0, 32).toString('hex'), '5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4');
  t.equal(srtpDeriveKey(k256, s256, 2, 14).toString('hex'), 'fa31791685ca444a9e07c6c64e93');
  t.equal(srtpDeriveKey(k256, s256, 1, 20).toString('hex'), 'fd9c32d39ed5fbb5a9dc96b30818454d1313dc05');
  const k192 = hex('73edc66c4fa15776fb57f9505c17136550ffda71f3e8e5f1');
  const s192 = hex('c8522f3acd4ce86d5add78edbb11');
  t.equal(srtpDeriveKey(k192, s192, 0, 24).toString('hex'), '31874736a8f1143870c26e4857d8a5b2c4a354407faadabb');
  t.equal(srtpDeriveKey(k192, s192, 2, 14).toString('hex'), '2372b82d639b6d8503a47adc0a6c');
  t.equal(srtpDeriveKey(k192, s192, 1, 20).toString('hex'), '355b10973cd95b9eacf4061c7e1a7151e7cfbfcb');
});

t.test('RFC 3711 B.2: AES-CM keystream (session key, salt, SSRC 0, index 0)', async (t) => {
  const c = SrtpContext.create(
    { suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: hex('2B7E151628AED2A6ABF7158809CF4F3C'), masterSalt: hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD') },
    { sessionKeys: true, authKey: Buffer.alloc(20) },
  );
  const b = Buffer.alloc(12 + 48 + SRTP_MAX_OVERHEAD);
  b[0] = 0x80; // seq 0, SSRC 0: a zero payload encrypts to the keystream
  t.equal(c.protect(b, 60, false), 70);
  t.equal(b.subarray(12, 60).toString('hex'), 'e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0');
  c.destroy();
});

t.test('RFC 3711 B.1: AES-f8 (F8_128 suites) encrypts the RFC packet with ROC 0xd462564a', async (t) => {
  const c = SrtpContext.create(
    { suite: 'F8_128_HMAC_SHA1_80', masterKey: hex('234829008467be186c3de14aae72d62c'), masterSalt: hex('32f2870d55555555555555555555') },
    { sessionKeys: true, authKey: Buffer.alloc(20), initialRoc: 0xd462564a },
  );
  const plain = hex('806e5cba50681de55c62159970736575646f72616e646f6d6e65737320697320746865206e6578742062657374207468696e67');
  const b = Buffer.alloc(plain.length + SRTP_MAX_OVERHEAD);
  plain.copy(b);
  t.equal(c.protect(b, plain.length, false), plain.length + 10);
  t.equal(
    b.subarray(0, plain.length).toString('hex'),
    '806e5cba50681de55c621599019ce7a26e7854014a6366aa95d4eefd1ad4172a14f9faf455b7f1d4b62bd08f562c0eef7c4802',
  );
  c.destroy();
});

t.test('AES_CM_128_HMAC_SHA1_80 and AES_256_CM_HMAC_SHA1_80 packets from master keys (KDF + AES-CM + HMAC, libsrtp srtp_driver / RFC 6188)', async (t) => {
  const plain = hex('800f1234decafbadcafebabeabababababababababababababababab');
  const cases: [SrtpKey, string][] = [
    [
      { suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: hex('e1f97a0d3e018be0d64fa32c06de4139'), masterSalt: hex('0ec675ad498afeebb6960b3aabe6') },
      '800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb',
    ],
    [
      {
        suite: 'AES_256_CM_HMAC_SHA1_80',
        masterKey: hex('f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6'),
        masterSalt: hex('3b04803de51ee7c96423ab5b78d2'),
      },
      '800f1234decafbadcafebabef1d9de17ff251ff1aa007774b0b4b40da08d9d9a5b3a55d8873b',
    ],
  ];
  for (const [key, want] of cases) {
    const tx = SrtpContext.create(key);
    const rx = SrtpContext.create(key);
    const b = Buffer.alloc(64);
    plain.copy(b);
    const n = tx.protect(b, plain.length, false);
    t.equal(b.subarray(0, n).toString('hex'), want, `${key.suite} protect`);
    t.equal(rx.unprotect(b, n, false), plain.length, `${key.suite} unprotect`);
    t.same(b.subarray(0, plain.length), plain);
    tx.destroy();
    rx.destroy();
  }
});

const GCM_KEY = hex('000102030405060708090a0b0c0d0e0f');
const GCM_SALT = hex('517569642070726f2071756f');
const gcm = (): SrtpContext => SrtpContext.create({ suite: 'AEAD_AES_128_GCM', masterKey: GCM_KEY, masterSalt: GCM_SALT }, { sessionKeys: true });

t.test('RFC 7714 §16.1: AEAD_AES_128_GCM SRTP encryption and decryption, tag check', async (t) => {
  const plain = hex('8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573');
  const want = '8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce';
  const b = Buffer.alloc(128);
  plain.copy(b);
  const n = gcm().protect(b, plain.length, false);
  t.equal(b.subarray(0, n).toString('hex'), want);
  const rx = gcm();
  const bad = Buffer.from(b);
  bad[20]! ^= 1;
  t.equal(rx.unprotect(bad, n, false), SrtpError.AUTH, 'a flipped ciphertext bit fails the tag');
  t.equal(rx.unprotect(b, n, false), plain.length);
  t.same(b.subarray(0, plain.length), plain);
  t.equal(rx.stats.authFailures, 1);
  t.equal(rx.stats.decrypted, 1);
});

t.test('RFC 7714 §17: AEAD_AES_128_GCM SRTCP (SRTCP index 0x5d4, E flag; tag before E+index)', async (t) => {
  const plain = hex('81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
  const want =
    '81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4';
  const tx = gcm();
  const b = Buffer.alloc(128);
  // The SRTCP index counts from 1 (as libsrtp): send 0x5d3 reports first.
  for (let i = 1; i < 0x5d4; i++) {
    plain.copy(b);
    tx.protect(b, plain.length, true);
  }
  plain.copy(b);
  const n = tx.protect(b, plain.length, true);
  t.equal(b.subarray(0, n).toString('hex'), want);
  const rx = gcm();
  t.equal(rx.unprotect(b, n, true), plain.length);
  t.same(b.subarray(0, plain.length), plain);
});

t.test('every suite round-trips SRTP and SRTCP, and adds its tag length', async (t) => {
  for (const suite of SUITES) {
    const info = SRTP_SUITES[suite];
    const tx = SrtpContext.create(keyOf(suite));
    const rx = SrtpContext.create(keyOf(suite));
    for (let seq = 1000; seq < 1010; seq++) {
      const b = rtp(seq);
      const ref = Buffer.from(b.subarray(0, 172));
      const n = tx.protect(b, 172, false);
      t.equal(n, 172 + info.srtpTagLength, `${suite} SRTP length`);
      if (suite.startsWith('NULL')) t.same(b.subarray(0, 172), ref, `${suite} leaves the payload plain`);
      else t.notSame(b.subarray(12, 172), ref.subarray(12), `${suite} encrypts the payload`);
      t.equal(rx.unprotect(b, n, false), 172, `${suite} unprotect`);
      t.same(b.subarray(0, 172), ref, `${suite} plain again`);
    }
    const r = rtcpSr();
    const ref = Buffer.from(r.subarray(0, 28));
    const n = tx.protect(r, 28, true);
    t.equal(n, 28 + 4 + info.srtcpTagLength, `${suite} SRTCP length`);
    t.equal(rx.unprotect(r, n, true), 28, `${suite} SRTCP unprotect`);
    t.same(r.subarray(0, 28), ref);
    t.equal(rx.stats.decrypted, 11);
    t.equal(tx.stats.encrypted, 11);
    tx.destroy();
    rx.destroy();
  }
});

t.test('ROC: a stream across the sequence wrap, reordered around it, decrypts every packet once (RFC 3711 §3.3.1)', async (t) => {
  for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_256_GCM'] as SrtpSuite[]) {
    const tx = SrtpContext.create(keyOf(suite));
    const rx = SrtpContext.create(keyOf(suite));
    const sent = new Map<number, { b: Buffer; n: number; ref: Buffer }>();
    for (let i = 65500; i < 65600; i++) {
      const b = rtp(i);
      const ref = Buffer.from(b.subarray(0, 172));
      sent.set(i, { b, n: tx.protect(b, 172, false), ref });
    }
    // Arrival order: in order up to 65530, then 65540..65545 (after the wrap) before 65531..65539, then the rest.
    const order: number[] = [];
    for (let i = 65500; i <= 65530; i++) order.push(i);
    for (let i = 65540; i <= 65545; i++) order.push(i);
    for (let i = 65531; i <= 65539; i++) order.push(i);
    for (let i = 65546; i < 65600; i++) order.push(i);
    let ok = 0;
    for (const i of order) {
      const p = sent.get(i)!;
      if (rx.unprotect(p.b, p.n, false) === 172 && p.b.subarray(0, 172).equals(p.ref)) ok++;
    }
    t.equal(ok, 100, `${suite}: all 100 packets decrypt (ROC 0 and 1)`);
    t.equal(rx.stats.authFailures, 0);
    tx.destroy();
    rx.destroy();
  }
});

t.test('replay window: a repeated packet and one older than 128 are dropped and counted as replays', async (t) => {
  const tx = SrtpContext.create(keyOf('AES_CM_128_HMAC_SHA1_80'));
  const rx = SrtpContext.create(keyOf('AES_CM_128_HMAC_SHA1_80'));
  const pkts: { b: Buffer; n: number }[] = [];
  for (let i = 0; i < 300; i++) {
    const b = rtp(i);
    pkts.push({ b, n: tx.protect(b, 172, false) });
  }
  const first = Buffer.from(pkts[0]!.b);
  for (let i = 1; i < 300; i++) rx.unprotect(pkts[i]!.b, pkts[i]!.n, false);
  const again = Buffer.from(first);
  const p299 = rtp(299);
  const n299 = SrtpContext.create(keyOf('AES_CM_128_HMAC_SHA1_80')); // a second sender with the same key: same bytes
  for (let i = 0; i < 299; i++) n299.protect(rtp(i), 172, false);
  const len = n299.protect(p299, 172, false);
  t.equal(rx.unprotect(p299, len, false), SrtpError.REPLAY, 'seq 299 again: replay');
  t.equal(rx.unprotect(again, pkts[0]!.n, false), SrtpError.REPLAY, 'seq 0 (299 behind): older than the window');
  t.equal(rx.stats.replays, 2);
  t.equal(rx.stats.decrypted, 299);
  // SRTCP replay
  const r = rtcpSr();
  const rn = tx.protect(r, 28, true);
  const copy = Buffer.from(r);
  t.equal(rx.unprotect(r, rn, true), 28);
  t.equal(rx.unprotect(copy, rn, true), SrtpError.REPLAY, 'SRTCP index again: replay');
  t.equal(rx.stats.replays, 3);
});

t.test('a bad tag, a wrong key and a wrong MKI are auth failures; the packet after still decrypts', async (t) => {
  for (const suite of SUITES) {
    const key = { ...keyOf(suite), mki: { value: 7, length: 2 } };
    const tx = SrtpContext.create(key);
    const rx = SrtpContext.create(key);
    const other = SrtpContext.create({ ...keyOf(suite, 0x22), mki: { value: 7, length: 2 } });
    const wrongMki = SrtpContext.create({ ...key, mki: { value: 8, length: 2 } });
    const b = rtp(1);
    const n = tx.protect(b, 172, false);
    const info = SRTP_SUITES[suite];
    t.equal(n, 172 + 2 + info.srtpTagLength, `${suite}: MKI adds 2 bytes`);
    const bad = Buffer.from(b);
    bad[n - 1]! ^= 0x80;
    t.equal(rx.unprotect(bad, n, false), SrtpError.AUTH, `${suite}: flipped tag`);
    t.equal(other.unprotect(Buffer.from(b), n, false), SrtpError.AUTH, `${suite}: other key`);
    t.equal(wrongMki.unprotect(Buffer.from(b), n, false), SrtpError.AUTH, `${suite}: other MKI`);
    t.equal(rx.unprotect(b, n, false), 172, `${suite}: the good packet decrypts`);
    t.equal(rx.stats.authFailures, 1);
    for (const c of [tx, rx, other, wrongMki]) c.destroy();
  }
});

t.test('truncated packets of every length 0..N are dropped and counted, never thrown', async (t) => {
  for (const suite of SUITES) {
    const tx = SrtpContext.create(keyOf(suite));
    const rx = SrtpContext.create(keyOf(suite));
    const b = rtp(5);
    const n = tx.protect(b, 172, false);
    const r = rtcpSr();
    const rn = tx.protect(r, 28, true);
    let drops = 0;
    for (let len = 0; len < n; len++) if (rx.unprotect(Buffer.from(b.subarray(0, len)), len, false) < 0) drops++;
    for (let len = 0; len < rn; len++) if (rx.unprotect(Buffer.from(r.subarray(0, len)), len, true) < 0) drops++;
    t.equal(drops, n + rn, `${suite}: all truncations dropped`);
    t.equal(rx.stats.authFailures, n + rn, `${suite}: counted`);
    t.equal(rx.unprotect(b, n, false), 172, `${suite}: the whole packet still decrypts`);
    tx.destroy();
    rx.destroy();
  }
});

t.test('protect without room for the trailer refuses (SPACE), and non-RTP input is refused', async (t) => {
  const tx = SrtpContext.create(keyOf('AES_CM_128_HMAC_SHA1_80'));
  const b = rtp(1, 1, 20).subarray(0, 32);
  t.equal(tx.protect(b, 32, false), SrtpError.SPACE);
  const junk = Buffer.alloc(64);
  t.equal(tx.protect(junk, 40, false), SrtpError.SHORT, 'version 0 is not RTP');
});

t.test('session parameters: UNENCRYPTED_SRTP leaves the payload plain, UNENCRYPTED_SRTCP clears the E flag, UNAUTHENTICATED_SRTP drops the SRTP tag', async (t) => {
  const base = keyOf('AES_CM_128_HMAC_SHA1_80');
  const k = { ...base, unencryptedSrtp: true, unencryptedSrtcp: true, unauthenticatedSrtp: true };
  const tx = SrtpContext.create(k);
  const rx = SrtpContext.create(k);
  const b = rtp(9);
  const ref = Buffer.from(b.subarray(0, 172));
  t.equal(tx.protect(b, 172, false), 172, 'no tag');
  t.same(b.subarray(0, 172), ref, 'payload plain');
  t.equal(rx.unprotect(b, 172, false), 172);
  const r = rtcpSr();
  const rref = Buffer.from(r.subarray(0, 28));
  const rn = tx.protect(r, 28, true);
  t.equal(rn, 28 + 4 + 10, 'SRTCP still authenticated');
  t.same(r.subarray(0, 28), rref, 'SRTCP payload plain');
  t.equal(r[28]! & 0x80, 0, 'E flag clear');
  t.equal(rx.unprotect(r, rn, true), 28);
});

t.test('key lifetime: once used up, protect and unprotect refuse (LIFETIME)', async (t) => {
  const k = { ...keyOf('AES_CM_128_HMAC_SHA1_80'), lifetime: 3 };
  const tx = SrtpContext.create(k);
  const results: number[] = [];
  for (let i = 0; i < 4; i++) results.push(tx.protect(rtp(i), 172, false));
  t.same(results.map((r) => r > 0), [true, true, true, false]);
  t.equal(results[3], SrtpError.LIFETIME);
});

t.test('create refuses keys of the wrong length with a clear error', async (t) => {
  t.throws(() => SrtpContext.create({ suite: 'AES_256_CM_HMAC_SHA1_80', masterKey: Buffer.alloc(16), masterSalt: Buffer.alloc(14) }), /32-byte key/);
  t.throws(() => SrtpContext.create({ suite: 'AEAD_AES_128_GCM', masterKey: Buffer.alloc(16), masterSalt: Buffer.alloc(14) }), /12-byte salt/);
  t.throws(() => SrtpContext.create({ suite: 'NOPE' as SrtpSuite, masterKey: Buffer.alloc(16), masterSalt: Buffer.alloc(14) }), /unknown SRTP suite/);
});

t.test('a destroyed context returns CLOSED', async (t) => {
  const c = SrtpContext.create(keyOf('AES_CM_128_HMAC_SHA1_80'));
  c.destroy();
  c.destroy();
  t.equal(c.protect(rtp(1), 172, false), -3);
});
