#!/usr/bin/env node
'use strict';
// DTLS-SRTP handshakes per second per core (issue #12 target: "DTLS handshakes per second per core stated").
//
//   npx tsc -p tsconfig.build.json && node bench/dtls.js [--seconds=5] [--concurrency=1,8,32] [--cipher=prime256v1|rsa2048]
//        [--cpu=1] [--out=FILE.json]
//
// whisperd's own DTLS (native/src/dtls/ on OpenSSL, src/media/dtls/DtlsSession.ts from dist/) on both ends: K pairs
// of real RtpEndpoints on 127.0.0.1 (two port pools, like two daemons), one passive (DTLS server, a=setup:passive)
// and one active (client) session per pair, each checking the other's certificate by its sha-256 fingerprint; a
// handshake counts when both sides have exported their SRTP keys (RFC 5764 §4.2); then both sessions close and the
// pair starts the next one. The whole process (both ends, Node's event loop, the UDP sockets) runs pinned to one CPU
// (taskset), so the figure is complete handshakes (client + server work) per second of one core; a daemon doing only
// its own side of each handshake does roughly twice as many. The per-source ClientHello limit
// (dtls.handshakesPerSecondPerSource) is lifted for the run: every client here sends from 127.0.0.1.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const DIST = path.join(REPO, 'dist', 'src');

function args() {
  const a = {};
  for (const s of process.argv.slice(2)) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(s);
    if (!m) throw new Error(`bad argument ${s}`);
    a[m[1]] = m[2] ?? true;
  }
  return {
    seconds: Number(a.seconds ?? 5),
    warmup: Number(a.warmup ?? 1),
    concurrency: String(a.concurrency ?? '1,8,32').split(',').map(Number),
    cipher: a.cipher ?? 'prime256v1',
    cpu: a.cpu === undefined ? '1' : String(a.cpu),
    out: a.out,
    child: !!a.child,
  };
}

async function measure(o) {
  const { startDtls, DTLS_DEFAULTS, dtlsCertificate } = require(path.join(DIST, 'media', 'dtls', 'certificate.js'));
  const { DtlsSession } = require(path.join(DIST, 'media', 'dtls', 'DtlsSession.js'));
  const { PortPool } = require(path.join(DIST, 'media', 'PortPool.js'));
  const { openEndpointNow } = require(path.join(DIST, 'media', 'openEndpoint.js'));
  startDtls({ ...DTLS_DEFAULTS, cipher: o.cipher, handshakesPerSecondPerSource: 1e9, handshakeTimeout: 10 });
  const fp = dtlsCertificate().fingerprint('sha-256');
  const pools = [new PortPool(47000, 47999), new PortPool(48000, 48999)];
  const results = [];
  for (const k of o.concurrency) {
    const pairs = Array.from({ length: k }, () => ({ server: openEndpointNow(pools[0], '127.0.0.1'), client: openEndpointNow(pools[1], '127.0.0.1') }));
    let done = 0;
    let failed = 0;
    let counting = false;
    let stop = false;
    const lat = [];
    const one = (p) => new Promise((resolve) => {
      let left = 2;
      const t0 = process.hrtime.bigint();
      const sessions = [];
      const finish = (ok) => {
        if (left < 0) return;
        if (!ok) { left = -1; failed++; for (const s of sessions) s.close(); return resolve(); }
        if (--left > 0) return;
        left = -1;
        if (counting) { done++; lat.push(Number(process.hrtime.bigint() - t0) / 1e6); }
        for (const s of sessions) s.close();
        resolve();
      };
      for (const [ep, role] of [[p.server, 'passive'], [p.client, 'active']]) {
        const s = new DtlsSession(ep, { role, remoteFingerprint: fp, onConnected: () => finish(true), onFailed: () => finish(false) });
        ep.nonRtp = { onStun: () => undefined, onDtls: (m, a, port) => s.receive(m, a, port) };
        sessions.push(s);
      }
      sessions[0].connect('127.0.0.1', p.client.localPort);
      sessions[1].connect('127.0.0.1', p.server.localPort);
    });
    const loops = pairs.map(async (p) => { while (!stop) await one(p); });
    await new Promise((r) => setTimeout(r, o.warmup * 1000));
    counting = true;
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    counting = false;
    const wall = Number(process.hrtime.bigint() - w0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    stop = true;
    await Promise.all(loops);
    for (const p of pairs) { p.server.close(); p.client.close(); }
    lat.sort((x, y) => x - y);
    const q = (f) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(f * lat.length))] : NaN);
    const r = { concurrency: k, handshakes: done, failed, wallS: wall, cpuS: cpu, perSecond: done / wall, perCpuSecond: done / cpu, cpuPct: (100 * cpu) / wall, p50Ms: q(0.5), p99Ms: q(0.99) };
    results.push(r);
    console.log(`K=${String(k).padStart(3)}: ${done} handshakes in ${wall.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s, process CPU ${r.cpuPct.toFixed(0)} % -> ${r.perCpuSecond.toFixed(0)} per CPU-second; latency p50 ${r.p50Ms.toFixed(1)} ms p99 ${r.p99Ms.toFixed(1)} ms; failed ${failed}`);
  }
  return results;
}

async function main() {
  const o = args();
  if (!fs.existsSync(path.join(DIST, 'media', 'dtls', 'DtlsSession.js'))) throw new Error('dist/ has no DTLS: npx tsc -p tsconfig.build.json');
  if (!o.child) {
    // one core: re-run this script pinned with taskset
    const r = spawnSync('taskset', ['-c', o.cpu, process.execPath, __filename, ...process.argv.slice(2), '--child'], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  const head = `whisperd DTLS handshakes, both ends in one process pinned to CPU ${o.cpu}, ${o.cipher} certificate, ${o.seconds} s per step; git ${spawnSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim()}; OpenSSL ${spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim()}`;
  console.log(head);
  const results = await measure(o);
  if (o.out) fs.writeFileSync(path.resolve(o.out), JSON.stringify({ head, options: o, results }, null, 1));
  process.exit(0);
}

main().catch((e) => { console.error(e.stack || e); process.exit(1); });
