'use strict';
// Control-plane load: offer -> answer -> delete cycles over ng with K cycles in flight.
// Run as its own process (pinned by the caller):  node ctlbench.js <ngPort> <K> <seconds> <tag> [warmupSeconds]
// Prints one JSON object: cycles/s and per-command latency quantiles (ms).
// Warm-up (cycles run but not counted): warmupSeconds if given, else min(1 s, seconds / 5). A Node
// daemon's JIT needs about 5 s of K=1 load (~5 000 cycles) to reach its steady rate (measured on
// whisperd: 682 -> 939 -> 1 086 cycles/s over three 2 s windows); rtpengine needs none.
const { NgClient, sdpFor, parseSdpMedia, offerDict, answerDict, deleteDict } = require('./ng');

function quantiles(arr) {
  if (arr.length === 0) return { n: 0 };
  const a = Float64Array.from(arr).sort();
  const q = (p) => a[Math.min(a.length - 1, Math.max(0, Math.ceil(p * a.length) - 1))];
  let sum = 0;
  for (const v of a) sum += v;
  return { n: a.length, mean_ms: sum / a.length, p50_ms: q(0.5), p99_ms: q(0.99), p999_ms: q(0.999), max_ms: a[a.length - 1] };
}

async function main() {
  const [port, k, seconds, tag] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), process.argv[5] || 'cp'];
  const ng = new NgClient('127.0.0.1', port, { timeoutMs: 5000 });
  await ng.open();
  const lat = { offer: [], answer: [], delete: [] };
  const errors = {};
  let cycles = 0;
  let seq = 0;
  const warmupMs = process.argv[6] !== undefined ? Number(process.argv[6]) * 1000 : Math.min(1000, seconds * 200);
  const tStart = Date.now();
  const tMeas = tStart + warmupMs;
  const tEnd = tMeas + seconds * 1000;
  let measStartNs = null;
  let measEndNs = null;
  const timed = async (name, dict, record) => {
    const t = process.hrtime.bigint();
    const r = await ng.request(dict);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.result !== 'ok') {
      const key = `${name}: ${r.result} ${r['error-reason'] ?? ''}`.trim();
      errors[key] = (errors[key] ?? 0) + 1;
      throw new Error(key);
    }
    if (record) lat[name].push(ms);
    return r;
  };
  const worker = async (w) => {
    while (Date.now() < tEnd) {
      const i = seq++;
      const record = Date.now() >= tMeas;
      if (record && measStartNs === null) measStartNs = process.hrtime.bigint();
      const callId = `${tag}-${w}-${i}`;
      const port = 40000 + (i % 5000) * 2; // SDP only; no media is sent in this test
      try {
        const off = await timed('offer', offerDict(callId, `f${i}`, sdpFor(port, i)), record);
        parseSdpMedia(off.sdp);
        await timed('answer', answerDict(callId, `f${i}`, `t${i}`, sdpFor(port + 1, i)), record);
        await timed('delete', deleteDict(callId, `f${i}`), record);
        if (record && Date.now() <= tEnd) cycles++;
      } catch (e) {
        if (!/^(offer|answer|delete):/.test(e.message)) {
          errors[e.message] = (errors[e.message] ?? 0) + 1;
        }
        await ng.request(deleteDict(callId, `f${i}`)).catch(() => {});
      }
    }
    if (measEndNs === null) measEndNs = process.hrtime.bigint();
  };
  await Promise.all(Array.from({ length: k }, (_, w) => worker(w)));
  ng.close();
  const secs = measStartNs !== null && measEndNs !== null ? Number(measEndNs - measStartNs) / 1e9 : seconds;
  const out = {
    k, seconds: secs, warmup_s: warmupMs / 1000, cycles, cycles_per_s: cycles / secs,
    commands_per_s: (lat.offer.length + lat.answer.length + lat.delete.length) / secs,
    offer: quantiles(lat.offer), answer: quantiles(lat.answer), delete: quantiles(lat.delete),
    all: quantiles([...lat.offer, ...lat.answer, ...lat.delete]),
    errors,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
