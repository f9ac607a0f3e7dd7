#!/usr/bin/env node
'use strict';
// SRTP transform cost per packet (issue #12): protect and unprotect of a 172-byte RTP packet (12-byte header +
// 160 bytes of G.711) and of a 28-byte RTCP SR, per suite, with whisperd's native SRTP (native/src/srtp/,
// OpenSSL EVP, contexts made once) called through the addon the way the JS path does (src/media/srtp.ts). One
// process, one core; the media threads call the same C++ without the JS->native call (~0.05-0.1 us less).
//
//   node bench/srtp-micro.js [--packets=N] [--rounds=R]     (after make native and npx tsc -p tsconfig.build.json)
//
// Per suite: N packets protected (sequence numbers counting up, so every one is a new index), then the same N
// unprotected by a receiver context; best of R rounds, in microseconds per packet.
const path = require('node:path');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const N = Number(args.packets ?? 50000);
const ROUNDS = Number(args.rounds ?? 5);
const m = require('node-gyp-build')(path.join(__dirname, '..', 'native'));
if (typeof m.srtpCreate !== 'function') {
  console.error('the native addon has no SRTP (make native)');
  process.exit(1);
}
// The suites with their native ids and key/salt lengths: src/media/srtp.ts SRTP_SUITES (from the tsc build).
let SRTP_SUITES;
try {
  ({ SRTP_SUITES } = require(path.join(__dirname, '..', 'dist', 'src', 'media', 'srtp.js')));
} catch {
  console.error('dist/src/media/srtp.js missing: npx tsc -p tsconfig.build.json');
  process.exit(1);
}
const STRIDE = 256;

function ctx(id, kl, sl) {
  return m.srtpCreate({ suite: id, key: Buffer.alloc(kl, 0x11), salt: Buffer.alloc(sl, 0x22) });
}

function run(id, kl, sl, rtcp) {
  const len = rtcp ? 28 : 172;
  const tx = ctx(id, kl, sl);
  const rx = ctx(id, kl, sl);
  const wire = Buffer.alloc(N * STRIDE);
  const lens = new Int32Array(N);
  const plain = Buffer.alloc(len, 0x5a);
  plain[0] = 0x80;
  plain[1] = rtcp ? 200 : 0;
  if (rtcp) plain.writeUInt16BE(6, 2);
  plain.writeUInt32BE(0xcafebabe, rtcp ? 4 : 8);
  for (let i = 0; i < N; i++) {
    if (!rtcp) plain.writeUInt16BE(i & 0xffff, 2);
    plain.copy(wire, i * STRIDE);
  }
  const views = [];
  for (let i = 0; i < N; i++) views.push(wire.subarray(i * STRIDE, (i + 1) * STRIDE));
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) lens[i] = m.srtpProtect(tx, views[i], len, rtcp);
  const protectNs = Number(process.hrtime.bigint() - t0) / N;
  t0 = process.hrtime.bigint();
  let bad = 0;
  for (let i = 0; i < N; i++) if (m.srtpUnprotect(rx, views[i], lens[i], rtcp) !== len) bad++;
  const unprotectNs = Number(process.hrtime.bigint() - t0) / N;
  m.destroy(tx);
  m.destroy(rx);
  if (bad > 0) throw new Error(`${bad} packets did not unprotect`);
  return [protectNs / 1000, unprotectNs / 1000];
}

console.log(`node ${process.version}, ${require('node:os').cpus()[0].model}; ${N} packets x best of ${ROUNDS}; us per packet`);
console.log(`${'suite'.padEnd(26)} ${'RTP protect'.padStart(12)} ${'RTP unprot'.padStart(12)} ${'RTCP protect'.padStart(13)} ${'RTCP unprot'.padStart(12)}`);
for (const [name, { id, keyLength: kl, saltLength: sl }] of Object.entries(SRTP_SUITES)) {
  const best = [Infinity, Infinity, Infinity, Infinity];
  for (let r = 0; r < ROUNDS; r++) {
    const [p, u] = run(id, kl, sl, false);
    const [pc, uc] = run(id, kl, sl, true);
    best[0] = Math.min(best[0], p);
    best[1] = Math.min(best[1], u);
    best[2] = Math.min(best[2], pc);
    best[3] = Math.min(best[3], uc);
  }
  console.log(`${name.padEnd(26)} ${best[0].toFixed(3).padStart(12)} ${best[1].toFixed(3).padStart(12)} ${best[2].toFixed(3).padStart(13)} ${best[3].toFixed(3).padStart(12)}`);
}
