/**
 * whisperd's SRTP (native/src/srtp/, OpenSSL) against libsrtp2 (Debian libsrtp2-dev, installed by
 * scripts/system-deps.sh test): for every suite libsrtp2 has, the same plaintext stream protected by both
 * must be byte-identical (RTP across a sequence wrap, so the ROC is covered, and SRTCP), and each side
 * must unprotect what the other protected. The oracle is test/fixtures/srtp-oracle.c, compiled here. A
 * missing libsrtp2 FAILS this test (it is a declared test dependency), it does not skip.
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
