#!/usr/bin/env node
'use strict';
// DTLS-SRTP handshake cost without sockets (issue #12: "DTLS handshakes per second per core stated"): N
// sequential handshakes between two in-process native/src/dtls connections (OpenSSL, whisperd's settings:
// DTLS 1.2, use_srtp, peer certificate required and checked against its sha-256 fingerprint, keys exported),
// datagrams handed from one to the other in memory. One thread, so the figure is complete handshakes (client +
// server work) per second of one core; a daemon doing only its own side does roughly twice as many.
// bench/dtls.js measures the same over real UDP sockets and DtlsSession timers.
//
//   node bench/dtls-handshakes.js [--n=2000] [--cipher=prime256v1|rsa2048]
const path = require('node:path');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const N = Number(args.n ?? 2000);
const RSA = args.cipher === 'rsa2048';
const m = require('node-gyp-build')(path.join(__dirname, '..', 'native'));
if (typeof m.dtlsConnCreate !== 'function') {
  console.error('the native addon has no DTLS (make native)');
  process.exit(1);
}
const certA = m.dtlsCertCreate(RSA ? 1 : 0, 86400, 'bench-client');
const certB = m.dtlsCertCreate(RSA ? 1 : 0, 86400, 'bench-server');
const fpA = m.dtlsCertFingerprint(certA, 'sha-256');
const fpB = m.dtlsCertFingerprint(certB, 'sha-256');

function handshake() {
  const a = m.dtlsConnCreate(certA, true, 1200);
  const b = m.dtlsConnCreate(certB, false, 1200);
  m.dtlsSetRemoteFingerprint(a, 'sha-256', fpB);
  m.dtlsSetRemoteFingerprint(b, 'sha-256', fpA);
  let toB = m.dtlsFeed(a, null, 0, 0);
  let toA = [];
  for (let i = 0; i < 10 && (toB.length > 0 || toA.length > 0); i++) {
    const nextA = [];
    const nextB = [];
    for (const d of toB) nextA.push(...m.dtlsFeed(b, d, 0, d.length));
    for (const d of toA) nextB.push(...m.dtlsFeed(a, d, 0, d.length));
    toA = nextA;
    toB = nextB;
  }
  const ka = m.dtlsSrtp(a);
  const kb = m.dtlsSrtp(b);
  if (ka === null || kb === null || !ka.material.equals(kb.material)) throw new Error('handshake did not complete');
  m.destroy(a);
  m.destroy(b);
}

for (let i = 0; i < Math.min(100, N); i++) handshake(); // warm-up
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
for (let i = 0; i < N; i++) handshake();
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(c0);
const cpuS = (cpu.user + cpu.system) / 1e6;
// What a ClientHello flood costs a passive session per admitted ClientHello (fresh server, one ClientHello in,
// its first flight out: ECDHE key + signature): the bound dtls.handshakesPerSecondPerSource puts on one source.
const clientHello = (() => {
  const a = m.dtlsConnCreate(certA, true, 1200);
  const out = m.dtlsFeed(a, null, 0, 0);
  m.destroy(a);
  return out[0];
})();
const H = Math.max(200, N);
const h0 = process.cpuUsage();
for (let i = 0; i < H; i++) {
  const b = m.dtlsConnCreate(certB, false, 1200);
  m.dtlsFeed(b, clientHello, 0, clientHello.length);
  m.destroy(b);
}
const hc = process.cpuUsage(h0);
const perHello = (hc.user + hc.system) / 1e3 / H;
console.log(
  `${N} DTLS-SRTP handshakes (${RSA ? 'RSA 2048' : 'ECDSA P-256'} certificates, both ends in one thread): ` +
    `${(N / wall).toFixed(0)}/s wall, ${(N / cpuS).toFixed(0)} per CPU-second (${((cpuS / N) * 1e3).toFixed(2)} ms CPU each, client + server)`,
);
console.log(`a passive session answering one ClientHello (its first flight): ${perHello.toFixed(3)} ms CPU`);
