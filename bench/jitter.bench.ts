/**
 * Jitter-buffer micro-benchmark: ns per put() and per get() and heap growth over N frames of a G.711
 * stream with ±20 ms uniform jitter (so packets arrive reordered), 1 % loss and the real G.711
 * Appendix I PLC, in virtual time. Shows that the steady state allocates nothing per frame: heap
 * growth ≈ 0 and no scavenges during the timed loop.
 *
 * Run:   npx tsc -p /work/main && node --expose-gc dist/bench/jitter.bench.js [frames=1000000]
 * Speed targets live here, never in tests. Numbers are per single thread on the machine you run on.
 * Timing uses performance.now() around each put batch and each get (its own cost, measured and
 * printed as "timer overhead", is included in both figures).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { G711Decoder } from '../src/codec/g711';
import { JitterBuffer } from '../src/jitter/JitterBuffer';
import { parseRtp, RtpVerdict, RtpView, writeRtpHeader } from '../src/media/rtp';

const FRAMES = Number(process.argv[2] ?? 1_000_000);
const WARMUP = 20_000;
const PENDING = 8; // in-flight packets (covers 40 ms of jitter at 20 ms ptime)
const PTIME = 20;

const jb = new JitterBuffer({ clockRate: 8000, decoder: new G711Decoder('ulaw') });
const view = new RtpView();
const out = new Int16Array(160);
const pkts: Uint8Array[] = [];
for (let i = 0; i < PENDING; i++) pkts.push(new Uint8Array(12 + 160));
const due = new Float64Array(PENDING).fill(Infinity);

let rng = 0x12345678;
function rand(): number {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) / 4294967296;
}

let putNs = 0;
let puts = 0;
let getNs = 0;
let gets = 0;
let seq = 0;

/** Send packet k (unless lost) and play one frame at now = k·20 + 7 ms. */
function frame(k: number, timed: boolean): void {
  const sendMs = k * PTIME;
  if (rand() >= 0.01) {
    const slot = k % PENDING;
    const p = pkts[slot]!;
    writeRtpHeader(p, 0, 0, false, seq & 0xffff, (k * 160) >>> 0, 0xcafe);
    for (let i = 12; i < p.length; i++) p[i] = (k + i) & 0x7f; // arbitrary μ-law bytes
    due[slot] = sendMs + 10 + rand() * 40 - 20;
  }
  seq++;
  const now = sendMs + 7;
  const t0 = timed ? performance.now() : 0;
  let n = 0;
  for (;;) {
    let best = -1;
    for (let i = 0; i < PENDING; i++) if (due[i]! <= now && (best < 0 || due[i]! < due[best]!)) best = i;
    if (best < 0) break;
    const p = pkts[best]!;
    if (parseRtp(p, p.length, view) === RtpVerdict.OK) jb.put(p, view, due[best]!);
    due[best] = Infinity;
    n++;
  }
  if (!timed) {
    jb.get(out, 0, now);
    return;
  }
  const t1 = performance.now();
  jb.get(out, 0, now);
  const t2 = performance.now();
  putNs += (t1 - t0) * 1e6;
  puts += n;
  getNs += (t2 - t1) * 1e6;
  gets++;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn('run with node --expose-gc for the heap figures');

let k = 0;
for (; k < WARMUP; k++) frame(k, false);
let timerNs = 0;
for (let i = 0; i < 1e5; i++) {
  const a = performance.now();
  timerNs += (performance.now() - a) * 1e6;
}
timerNs /= 1e5;

let scavenges = 0;
let majorGcs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as { detail?: { kind?: number } }).detail?.kind ?? 0;
    if (kind === 1) scavenges++;
    else majorGcs++;
  }
});
obs.observe({ entryTypes: ['gc'] });

gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const wall0 = performance.now();
for (const end = k + FRAMES; k < end; k++) frame(k, true);
const wallMs = performance.now() - wall0;
const heapAfterNoGc = process.memoryUsage().heapUsed;
gc?.();
const heapAfter = process.memoryUsage().heapUsed;

setImmediate(() => {
  obs.disconnect();
  const st = jb.stats;
  console.log(`jitter buffer, G.711 μ-law 20 ms, ±20 ms jitter, 1 % loss, ${FRAMES} frames (${((FRAMES * PTIME) / 3.6e6).toFixed(1)} h of audio)`);
  console.log(`  put:  ${(putNs / puts).toFixed(0)} ns/packet  (${puts} packets, incl. parseRtp and the arrival-order scan)`);
  console.log(`  get:  ${(getNs / gets).toFixed(0)} ns/frame   (decode or PLC + stats)`);
  console.log(`  timer overhead: ${timerNs.toFixed(0)} ns per performance.now() pair; wall ${(wallMs / 1000).toFixed(2)} s`);
  console.log(`  heap: ${((heapAfter - heapBefore) / 1024).toFixed(1)} KiB after GC, ${((heapAfterNoGc - heapBefore) / 1024).toFixed(1)} KiB before GC (${((heapAfterNoGc - heapBefore) / FRAMES).toFixed(3)} B/frame)`);
  console.log(`  GCs during the timed loop: ${scavenges} scavenges, ${majorGcs} other`);
  console.log(
    `  stats: concealed ${((100 * st.concealedSamples) / (FRAMES * 160)).toFixed(2)} %, discarded ${st.packetsDiscarded}, lost ${st.packetsLost}, target ${st.targetDelayMs} ms, flushes ${st.flushes}`,
  );
});
