/**
 * Issue 13, session 15: is the least-squares fit (the detector's false-alarm guard) strong enough at 2 s of
 * supervisor speech when the path is known? On the evaluation's -20 dB runs (bleed-eval.bench.ts's detect runs,
 * same seeds), an ideal fit that knows the bulk path delay — and with `tracked` its drift, frame by frame — and
 * keeps ALL history (no forgetting, no start on a 1.2 s buffer, no search, no votes):
 *
 *   the decimated streams as the detector has them (4 kHz, high-passed at 250 Hz), 40 ms chunks; two passes: an
 *   unweighted gain g, then z = |sum w_c sum y x_d| / sqrt(sum w_c sum x_d^2), w_c = 1 / (residual power of
 *   y - g x_d in chunk c + floor), over every chunk so far; maximised over +-25 ms around the bulk delay (the
 *   codecs' delay and the reflections lie in it). The shipped fits' significance (LeakLevel, native ringFit) with
 *   one difference: each lag's weights come from its own gain and residual here, from the best lag's in LeakLevel
 *   (ringFit takes one centre per call and cannot follow a delay that moves chunk by chunk).
 *
 * Null: the same statistic, same lags, of the same observed stream against the reference of the previous run (a
 * different call), three centres 75 ms apart: how large a chance fit gets over that many lags.
 * Reported per part: runs whose z reaches the detector's thresholds (12 after two updates, 18 for a young fit)
 * at `--at` seconds of supervisor speech (frames above -45 dBFS, as the bench counts them).
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/fit-bound.ts [--part=tuning|heldout] [--seeds=6] [--at=2,4]
 */
import { Decimator } from '../../src/dsp/decimator';
import { CallSim } from '../../test/fixtures/dsp/callSim';
import { SPEECH_FRAME_ENERGY } from '../../test/fixtures/dsp/runScenario';
import { benchCodecs } from './codecs';
import { CONDS, detectSeed, evalSim } from './conditions';
import type { CorpusPart } from './corpus';

const args = process.argv.slice(2);
const arg = (n: string, d: string): string => args.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3) ?? d;
const PART = arg('part', 'tuning') as CorpusPart;
const SEEDS = Number(arg('seeds', '6'));
const AT = arg('at', '2,4').split(',').map(Number);
const WORK = 4000;
const CHUNK = 160;
const FLOOR = 100;
/** Lags searched around the bulk delay (samples at 4 kHz: +-25 ms). */
const SPAN = 100;
/** Chunks before this sample are skipped (decimator and codec start-up). */
const FIRST = 2000;

/** z of the two-pass residual-weighted fit at lag (delay(c) + k) over chunks ending before `end`. */
function fitZ(x: Float64Array, y: Float64Array, delay: Float64Array, k: number, end: number): number {
  let g = 0;
  for (let pass = 0; pass < 2; pass++) {
    let num = 0;
    let den = 0;
    for (let c = FIRST; c + CHUNK <= end; c += CHUNK) {
      const d = Math.round(delay[c]) + k;
      if (c - d < 0) continue;
      let pr = 0;
      let sxy = 0;
      let sxx = 0;
      for (let t = c; t < c + CHUNK; t++) {
        const xv = x[t - d];
        const r = y[t] - g * xv;
        pr += r * r;
        sxy += y[t] * xv;
        sxx += xv * xv;
      }
      const w = pass === 0 ? 1 : 1 / (pr / CHUNK + FLOOR);
      num += w * sxy;
      den += w * sxx;
    }
    if (pass === 0) g = den > 0 ? num / den : 0;
    else return den > 0 ? Math.abs(num) / Math.sqrt(den) : 0;
  }
  return 0;
}
const maxZ = (x: Float64Array, y: Float64Array, delay: Float64Array, off: number, end: number): number => {
  let m = 0;
  for (let k = -SPAN; k <= SPAN; k++) m = Math.max(m, fitZ(x, y, delay, off + k, end));
  return m;
};

const codecs = benchCodecs().codecs;
type Acc = { z: number[]; nul: number[] };
const acc = new Map<string, Acc>();
const get = (k: string): Acc => acc.get(k) ?? (acc.set(k, { z: [], nul: [] }).get(k) as Acc);
let prevX: Float64Array | null = null;
const horizon = Math.max(...AT);
for (let ci = 0; ci < CONDS.length; ci++)
  for (const codec of codecs)
    for (const loss of [0, 0.02, 0.05])
      for (let s = 1; s <= SEEDS; s++) {
        const { sim } = evalSim(PART, CONDS[ci], codec, loss, detectSeed(PART, ci, loss, -20, s), -20);
        const cs = new CallSim(sim);
        const f = cs.frame;
        const ref = new Int16Array(f);
        const obs = new Int16Array(f);
        const decX = new Decimator(codec.rate, WORK, { highPassHz: 250 });
        const decY = new Decimator(codec.rate, WORK, { highPassHz: 250 });
        const bx = new Float64Array(1024);
        const by = new Float64Array(1024);
        const xs: number[] = [];
        const ys: number[] = [];
        const ds: number[] = [];
        const ends = new Map<number, number>();
        let speech = 0;
        for (let i = 0; i < 50 * 120 && speech < horizon * 50; i++) {
          const dMs = cs.leakDelayMs;
          cs.step(ref, obs);
          let e = 0;
          for (let k = 0; k < f; k++) e += ref[k] * ref[k];
          if (e > SPEECH_FRAME_ENERGY * f) speech++;
          const n = decX.process(ref, 0, f, bx, 0);
          decY.process(obs, 0, f, by, 0);
          for (let k = 0; k < n; k++) {
            xs.push(bx[k]);
            ys.push(by[k]);
            ds.push((dMs * WORK) / 1000);
          }
          for (const a of AT) if (speech >= a * 50 && !ends.has(a)) ends.set(a, xs.length);
        }
        sim.down.close?.();
        sim.up.close?.();
        const x = Float64Array.from(xs);
        const y = Float64Array.from(ys);
        const tracked = Float64Array.from(ds);
        const fixed = new Float64Array(ds.length).fill(ds[0] ?? 0);
        for (const a of AT) {
          const end = ends.get(a);
          if (end === undefined) continue;
          for (const [name, delay] of [['fixed', fixed], ['tracked', tracked]] as const) {
            const r = get(`${a} ${name}`);
            r.z.push(maxZ(x, y, delay, 0, end));
            if (prevX && prevX.length >= end) for (let j = 1; j <= 3; j++) r.nul.push(maxZ(prevX, y, delay, 300 * j, end));
          }
        }
        prevX = x;
      }

const q = (v: number[], p: number): string => {
  const b = [...v].sort((m, n) => m - n);
  return b.length ? b[Math.min(b.length - 1, Math.floor(p * b.length))].toFixed(1) : '-';
};
console.log(`# Ideal least-squares fit at the known path, -20 dB runs, ${PART} part (${SEEDS} seeds)\n`);
console.log('| supervisor speech | path delay | runs | z >= 12 | z >= 18 | z p5 / p25 / p50 | chance fit over the same lags: rms / max (n) |');
console.log('|---|---|---|---|---|---|---|');
for (const [k, r] of acc) {
  const [a, name] = k.split(' ');
  const rms = Math.sqrt(r.nul.reduce((s, z) => s + z * z, 0) / Math.max(1, r.nul.length));
  console.log(
    `| ${a} s | ${name === 'fixed' ? 'fixed (the bulk delay at the start)' : 'tracked (the drifting bulk delay, frame by frame)'} | ${r.z.length} | ${r.z.filter((z) => z >= 12).length} | ${r.z.filter((z) => z >= 18).length} | ${q(r.z, 0.05)} / ${q(r.z, 0.25)} / ${q(r.z, 0.5)} | ${rms.toFixed(2)} / ${Math.max(0, ...r.nul).toFixed(1)} (${r.nul.length}) |`,
  );
}
