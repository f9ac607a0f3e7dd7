/**
 * What a delay tracker could give the echo canceller on a drifting path (issue 13; session 14): the AEC bench's
 * drift cell (-20 dB leak, 80 ms path, RT60 150 ms, the bulk delay drifting 4 ms peak to peak over 20 s as a phone's
 * jitter buffer stretching), speexdsp's MDF as whisperd runs it (500 ms tail, 20 ms blocks), fed
 *   plain         the reference as whisperd pairs it (what runs today);
 *   oracle-shift  the reference delayed by the TRUE drift (4-point Lagrange, as the simulator delays the leak):
 *                 the canceller then sees a fixed path — the bound for a perfect delay tracker;
 *   int-shift     the same, rounded to whole samples (a tracker that only moves the pairing).
 * ERLE as bench/aec.bench.ts measures it (single talk, 30 s, from 5 s on), without and with residual suppression.
 * Run: node_modules/.bin/ts-node-transpile-only bench/aec/drift-oracle.ts [G.711u|G.729|Opus16k]
 */
import { loadNative } from '../../src/native/addon';
import { CallSim, type LeakOptions } from '../../test/fixtures/dsp/callSim';
import { loadSpeechPools } from '../../test/fixtures/dsp/speech';
import { benchCodecs } from '../bleed/codecs';
const native = loadNative()!;
const bc = benchCodecs().codecs.find((c) => c.name === (process.argv[2] ?? 'G.711u'))!;
const rate = bc.rate, frame = rate / 50, SECONDS = 30, frames = SECONDS * 50, startFrame = 250;
const pools = loadSpeechPools(rate);
const SUP = { talkMs: [1500, 5000] as [number, number], pauseMs: [500, 2000] as [number, number], gainDb: [-3, 3] as [number, number] };
const leak: LeakOptions = { levelDb: -20, delayMs: 80, rt60Ms: 150, drrDb: 3, driftMs: 4 };
function run(l: LeakOptions | null, seed: number) {
  const sim = new CallSim({ pools, seed, leak: l, down: bc.make(), up: bc.make(), lossRate: 0, lossMode: 'plc', supervisor: SUP, agent: null, customer: null });
  const ref = new Int16Array(frames * frame), obs = new Int16Array(frames * frame), talking = new Uint8Array(frames);
  const r = new Int16Array(frame), b = new Int16Array(frame);
  for (let k = 0; k < frames; k++) {
    sim.step(r, b); ref.set(r, k * frame); obs.set(b, k * frame);
    let e = 0; for (let i = 0; i < frame; i++) e += r[i]! * r[i]!;
    talking[k] = k >= startFrame && Math.sqrt(e / frame) > 32768 * Math.pow(10, -45 / 20) ? 1 : 0;
  }
  return { ref, obs, talking };
}
const cancel = (ref: Int16Array, obs: Int16Array, residual: boolean) => {
  const h = native.echoCreate(frame, Math.round(rate * 0.5), rate, residual);
  const out = new Int16Array(obs.length);
  for (let off = 0; off + frame <= obs.length; off += frame) native.echoCancel(h, obs, off, ref, off, out, off);
  native.destroy(h); return out;
};
const power = (x: ArrayLike<number>, m: Uint8Array) => { let e = 0; for (let i = 0; i < x.length; i++) if (m[Math.floor(i / frame)]) e += x[i]! * x[i]!; return e; };
function shiftRef(ref: Int16Array, shift: (t: number) => number): Int16Array {
  const o = new Int16Array(ref.length);
  for (let t = 0; t < ref.length; t++) {
    const pos = t - shift(t); const n = Math.floor(pos); const x = pos - n;
    const g = (k: number) => (k >= 0 && k < ref.length ? ref[k]! : 0);
    // 4-point Lagrange at n-1..n+2
    const ym1 = g(n - 1), y0 = g(n), y1 = g(n + 1), y2 = g(n + 2);
    const v = -x * (x - 1) * (x - 2) / 6 * ym1 + (x + 1) * (x - 1) * (x - 2) / 2 * y0 - (x + 1) * x * (x - 2) / 2 * y1 + (x + 1) * x * (x - 1) / 6 * y2;
    o[t] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return o;
}
const silent = new Int16Array(frames * frame);
const ds = (4 * rate) / 1000, w = (2 * Math.PI) / (20 * rate);
for (const seed of [1, 2]) {
  const a = run(leak, seed), n0 = run(null, seed);
  const c0o = cancel(silent, a.obs, false), c0n = cancel(silent, n0.obs, false);
  const echo = c0o.map((v, i) => v - c0n[i]!);
  const pE = power(echo, a.talking);
  const row: string[] = [];
  for (const [name, refUsed] of [['plain', a.ref], ['oracle-shift', shiftRef(a.ref, (t) => (ds * (1 - Math.cos(w * t))) / 2)], ['int-shift', shiftRef(a.ref, (t) => Math.round((ds * (1 - Math.cos(w * t))) / 2))]] as const) {
    for (const res of [false, true]) {
      const out = cancel(refUsed, a.obs, res);
      const near = res ? cancel(silent, n0.obs, true) : c0n;
      row.push(`${name}${res ? '+res' : ''} ${(10 * Math.log10(pE / power(out.map((v, i) => v - near[i]!), a.talking))).toFixed(1)}`);
    }
  }
  console.log(`${bc.name} seed ${seed}: ${row.join(' | ')}`);
}
