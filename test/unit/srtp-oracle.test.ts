/**
 * whisperd's SRTP (native/src/srtp/, OpenSSL) against libsrtp2 (Debian libsrtp2-dev, installed by
 * scripts/system-deps.sh test): for every suite libsrtp2 has, the same plaintext stream protected by both
 * must be byte-identical (RTP across a sequence wrap, so the ROC is covered, and SRTCP), and each side
 * must unprotect what the other protected. The oracle is test/fixtures/srtp-oracle.c, compiled here. A
 * missing libsrtp2 FAILS this test (it is a declared test dependency), it does not skip.
 *
 * AES-192: libsrtp2 2.5.0 (Debian bookworm's) derives AES-192 session keys with the AES-256
 * KDF (libsrtp issue #763, fixed by cisco/libsrtp#765 in August 2025), so no byte of its AES-192 output
 * matches RFC 6188. The test first asks the oracle to protect the reference packet the libsrtp maintainers
 * added with that fix (RFC 6188 §7.4 master key and salt, test/srtp_driver.c srtp_validate_aes_192): a
 * fixed libsrtp2 is compared stream for stream like every other suite; a libsrtp2 with the bug is not an
 * oracle for AES-192, and whisperd must then produce and accept that reference packet exactly.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { SrtpKey, SrtpSuite } from '../../src/media/secure';
import { SRTP_MAX_OVERHEAD, SRTP_SUITES, SrtpContext } from '../../src/media/srtp';

const ORACLE_SUITES: SrtpSuite[] = [
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
  'AES_192_CM_HMAC_SHA1_80',
  'AES_192_CM_HMAC_SHA1_32',
  'AES_256_CM_HMAC_SHA1_80',
  'AES_256_CM_HMAC_SHA1_32',
  'AEAD_AES_128_GCM',
  'AEAD_AES_256_GCM',
  'NULL_HMAC_SHA1_80',
  'NULL_HMAC_SHA1_32',
];

function buildOracle(): { bin: string } | { error: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srtp-oracle-'));
  const bin = path.join(dir, 'srtp-oracle');
  const src = path.join(__dirname, '..', 'fixtures', 'srtp-oracle.c');
  const r = spawnSync('cc', ['-O1', '-o', bin, src, '-lsrtp2'], { encoding: 'utf8' });
  if (r.status !== 0) return { error: `cannot build the libsrtp2 oracle (libsrtp2-dev missing? scripts/system-deps.sh test installs it): ${(r.stderr || String(r.error)).slice(0, 400)}` };
  return { bin };
}

function oracle(bin: string, suite: SrtpSuite, key: SrtpKey, mode: 'protect' | 'unprotect', pkts: { rtcp: boolean; b: Buffer }[]): string[] {
  const keyHex = Buffer.concat([key.masterKey, key.masterSalt]).toString('hex');
  const input = pkts.map((p) => `${p.rtcp ? 'rtcp' : 'rtp'} ${p.b.toString('hex')}\n`).join('');
  const r = spawnSync(bin, [suite, keyHex, mode], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oracle ${suite} ${mode}: exit ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

function plainStream(): { rtcp: boolean; b: Buffer }[] {
  const out: { rtcp: boolean; b: Buffer }[] = [];
  for (let i = 0; i < 60; i++) {
    const seq = (65510 + i) & 0xffff;
    const b = Buffer.alloc(12 + 160);
    b[0] = 0x80;
    b[1] = 8;
    b.writeUInt16BE(seq, 2);
    b.writeUInt32BE((i * 160) >>> 0, 4);
    b.writeUInt32BE(0x1234abcd, 8);
    for (let j = 0; j < 160; j++) b[12 + j] = (i * 7 + j) & 0xff;
    out.push({ rtcp: false, b });
    if (i % 20 === 5) {
      const r = Buffer.alloc(28);
      r[0] = 0x80;
      r[1] = 200;
      r.writeUInt16BE(6, 2);
      r.writeUInt32BE(0x1234abcd, 4);
      for (let j = 8; j < 28; j++) r[j] = (i + j) & 0xff;
      out.push({ rtcp: true, b: r });
    }
  }
  return out;
}

const built = buildOracle();

/** cisco/libsrtp test/srtp_driver.c srtp_validate_aes_192 (RFC 6188 §7.4 key, AES_192_CM_HMAC_SHA1_80). */
const AES192_REF = {
  key: {
    suite: 'AES_192_CM_HMAC_SHA1_80' as SrtpSuite,
    masterKey: Buffer.from('73edc66c4fa15776fb57f9505c17136550ffda71f3e8e5f1', 'hex'),
    masterSalt: Buffer.from('c8522f3acd4ce86d5add78edbb11', 'hex'),
  },
  plain: '800f0000decafbad00000000' + 'ab'.repeat(16),
  protected: '800f0000decafbad00000000d98865552f2762c3ef37f837acfdb7122d6bc4dc84c76f74aea5',
};

/** Whether this libsrtp2 derives AES-192 keys per RFC 6188 (false: libsrtp issue #763). */
function oracleAes192Correct(bin: string): boolean {
  const [out] = oracle(bin, 'AES_192_CM_HMAC_SHA1_80', AES192_REF.key, 'protect', [{ rtcp: false, b: Buffer.from(AES192_REF.plain, 'hex') }]);
  return out === AES192_REF.protected;
}

t.test('libsrtp2 oracle builds (libsrtp2-dev is a test dependency)', async (t) => {
  if ('error' in built) t.fail(built.error);
  else t.pass('built');
});

for (const suite of ORACLE_SUITES) {
  t.test(`${suite}: whisperd and libsrtp2 protect to the same bytes and unprotect each other's packets`, async (t) => {
    if ('error' in built) {
      t.fail(built.error);
      return;
    }
    if (suite.startsWith('AES_192') && !oracleAes192Correct(built.bin)) {
      t.comment('this libsrtp2 has the AES-192 KDF bug (libsrtp #763): whisperd checked against the RFC 6188 §7.4 reference packet instead');
      const tx = SrtpContext.create({ ...AES192_REF.key, suite });
      const plain = Buffer.from(AES192_REF.plain, 'hex');
      const b = Buffer.alloc(plain.length + SRTP_MAX_OVERHEAD);
      plain.copy(b);
      const n = tx.protect(b, plain.length, false);
      const tagLen = SRTP_SUITES[suite].srtpTagLength;
      // _32 differs only in the tag length: the same encryption, the first 4 bytes of the same HMAC
      const want = AES192_REF.protected.slice(0, 2 * (plain.length + tagLen));
      t.equal(b.subarray(0, n).toString('hex'), want, 'whisperd protects the reference packet to the reference bytes');
      const rx = SrtpContext.create({ ...AES192_REF.key, suite });
      const c = Buffer.from(want, 'hex');
      const m = rx.unprotect(c, c.length, false);
      t.equal(m < 0 ? `err ${m}` : c.subarray(0, m).toString('hex'), AES192_REF.plain, 'whisperd unprotects the reference packet');
      tx.destroy();
      rx.destroy();
      return;
    }
    const info = SRTP_SUITES[suite];
    const key: SrtpKey = {
      suite,
      masterKey: Buffer.from(Array.from({ length: info.keyLength }, (_, i) => (i * 13 + 1) & 0xff)),
      masterSalt: Buffer.from(Array.from({ length: info.saltLength }, (_, i) => (i * 29 + 7) & 0xff)),
    };
    const plain = plainStream();
    // whisperd protects
    const tx = SrtpContext.create(key);
    const ours = plain.map((p) => {
      const b = Buffer.alloc(p.b.length + SRTP_MAX_OVERHEAD);
      p.b.copy(b);
      const n = tx.protect(b, p.b.length, p.rtcp);
      return { rtcp: p.rtcp, b: b.subarray(0, n) };
    });
    const theirs = oracle(built.bin, suite, key, 'protect', plain);
    t.same(
      ours.map((p) => p.b.toString('hex')),
      theirs,
      'protected bytes identical (RTP across the wrap, SRTCP)',
    );
    // libsrtp2 unprotects ours
    const back = oracle(built.bin, suite, key, 'unprotect', ours);
    t.same(back, plain.map((p) => p.b.toString('hex')), 'libsrtp2 unprotects whisperd');
    // whisperd unprotects libsrtp2's
    const rx = SrtpContext.create(key);
    const mine = theirs.map((h, i) => {
      const b = Buffer.from(h, 'hex');
      const n = rx.unprotect(b, b.length, plain[i]!.rtcp);
      return n < 0 ? `err ${n}` : b.subarray(0, n).toString('hex');
    });
    t.same(mine, plain.map((p) => p.b.toString('hex')), 'whisperd unprotects libsrtp2');
    tx.destroy();
    rx.destroy();
  });
}
