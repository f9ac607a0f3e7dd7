'use strict';
// Paced control-plane load for the isolation benchmark (run.js --extras): offer -> answer -> delete
// cycles STARTED at a fixed rate (open loop, unlike ctlbench.js's K-in-flight closed loop), so the
// daemon sees the same command rate whatever its reply latency, up to --max-in-flight cycles at once.
//   node cpload.js <ngPort> <cycles/s> <tag> [maxInFlight=256]
// Runs until SIGTERM/SIGINT, then prints one JSON object on stdout: cycles started/completed, achieved
// cycles/s, cycles it could not start on time (in-flight cap reached), errors, command latency quantiles.
// Writes "ready" on stderr once the first second of load has run (the caller starts measuring then).
const { NgClient, sdpFor, parseSdpMedia, offerDict, answerDict, deleteDict } = require('./ng');

function quantiles(arr) {
  if (arr.length === 0) return { n: 0 };
  const a = Float64Array.from(arr).sort();
  const q = (p) => a[Math.min(a.length - 1, Math.max(0, Math.ceil(p * a.length) - 1))];
  return { n: a.length, p50_ms: q(0.5), p99_ms: q(0.99), p999_ms: q(0.999), max_ms: a[a.length - 1] };
}

async function main() {
  const [port, rate, tag, maxIn] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] || 'cpl', Number(process.argv[5] ?? 256)];
  if (!(port > 0) || !(rate > 0)) throw new Error('usage: cpload.js <ngPort> <cycles/s> <tag> [maxInFlight]');
  const ng = new NgClient('127.0.0.1', port, { timeoutMs: 5000 });
  await ng.open();
  const lat = [];
  const errors = {};
  let started = 0, completed = 0, inFlight = 0, maxSeen = 0, capped = 0, stopping = false;
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
  const cycle = async (i) => {
    const callId = `${tag}-${i}`;
    const sdpPort = 40000 + (i % 5000) * 2; // SDP only; no media is sent
    inFlight++;
    maxSeen = Math.max(maxSeen, inFlight);
    try {
      for (const [name, dict] of [
        ['offer', offerDict(callId, `f${i}`, sdpFor(sdpPort, i))],
        ['answer', answerDict(callId, `f${i}`, `t${i}`, sdpFor(sdpPort + 1, i))],
        ['delete', deleteDict(callId, `f${i}`)],
      ]) {
        const t = process.hrtime.bigint();
        const r = await ng.request(dict);
        lat.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (r.result !== 'ok') throw new Error(`${name}: ${r.result} ${r['error-reason'] ?? ''}`.trim());
        if (name === 'offer') parseSdpMedia(r.sdp);
      }
      completed++;
    } catch (e) {
      errors[e.message] = (errors[e.message] ?? 0) + 1;
      await ng.request(deleteDict(callId, `f${i}`)).catch(() => {});
    } finally {
      inFlight--;
    }
  };
  let ready = false;
  const timer = setInterval(() => {
    if (stopping) return;
    const due = Math.floor(rate * elapsed()) - started - capped;
    for (let k = 0; k < due; k++) {
      if (inFlight >= maxIn) { capped++; continue; }
      void cycle(started++);
    }
    if (!ready && elapsed() >= 1) { ready = true; process.stderr.write('ready\n'); }
  }, 1);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    const secs = elapsed();
    for (let i = 0; i < 500 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    ng.close();
    process.stdout.write(JSON.stringify({
      target_cycles_per_s: rate, seconds: secs, started, completed, capped, max_in_flight: maxSeen, unfinished: inFlight,
      cycles_per_s: completed / secs, started_per_s: started / secs, errors, command: quantiles(lat),
    }) + '\n');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
