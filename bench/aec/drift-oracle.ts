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
import { CallSim, type LeakOptions, lagrange4, recordCall } from '../../test/fixtures/dsp/callSim';
import { maskedDiffPower, runCanceller, supervisorTalking } from '../../test/fixtures/dsp/echoMeasure';
import { loadSpeechPools } from '../../test/fixtures/dsp/speech';
import { benchCodecs } from '../bleed/codecs';

const native = loadNative()!;
const bc = benchCodecs().codecs.find((c) => c.name === (process.argv[2] ?? 'G.711u'))!;
const rate = bc.rate;
const frame = rate / 50;
const frames = 30 * 50;
const startFrame = 5 * 50;
const pools = loadSpeechPools(rate);
const SUPERVISOR = { talkMs: [1500, 5000] as [number, number], pauseMs: [500, 2000] as [number, number], gainDb: [-3, 3] as [number, number] };
const LEAK: LeakOptions = { levelDb: -20, delayMs: 80, rt60Ms: 150, drrDb: 3, driftMs: 4 };

const simFor = (leak: LeakOptions | null, seed: number): CallSim =>
  new CallSim({ pools, seed, leak, down: bc.make(), up: bc.make(), lossRate: 0, lossMode: 'plc', supervisor: SUPERVISOR, agent: null, customer: null });
const cancel = (ref: Int16Array, obs: Int16Array, residual: boolean): Int16Array => runCanceller(native, frame, Math.round(rate * 0.5), rate, ref, obs, residual);

/** ref delayed by shift(t) samples at each sample time t (4-point Lagrange, as the simulator delays the leak). */
function shiftRef(ref: Int16Array, shift: (t: number) => number): Int16Array {
  const o = new Int16Array(ref.length);
  const g = (k: number): number => (k >= 0 && k < ref.length ? ref[k]! : 0);
  for (let t = 0; t < ref.length; t++) {
    const pos = t - shift(t);
    const n = Math.floor(pos);
    const v = lagrange4(g(n - 1), g(n), g(n + 1), g(n + 2), pos - n);
    o[t] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return o;
}

const silent = new Int16Array(frames * frame);
for (const seed of [1, 2]) {
  const sim = simFor(LEAK, seed);
  const a = recordCall(sim, frames);
  const n0 = recordCall(simFor(null, seed), frames);
  const talking = supervisorTalking(a.ref, frame, startFrame);
  const c0n = cancel(silent, n0.obs, false);
  const pE = maskedDiffPower(cancel(silent, a.obs, false), c0n, talking, frame);
  // The true drift at each sample, from the simulator that made the call.
  const refs: [string, Int16Array][] = [
    ['plain', a.ref],
    ['oracle-shift', shiftRef(a.ref, (t) => sim.driftOffsetSamples(t))],
    ['int-shift', shiftRef(a.ref, (t) => Math.round(sim.driftOffsetSamples(t)))],
  ];
  const row: string[] = [];
  for (const [name, ref] of refs) {
    for (const res of [false, true]) {
      const out = cancel(ref, a.obs, res);
      const near = res ? cancel(silent, n0.obs, true) : c0n;
      row.push(`${name}${res ? '+res' : ''} ${(10 * Math.log10(pE / maskedDiffPower(out, near, talking, frame))).toFixed(1)}`);
    }
  }
  console.log(`${bc.name} seed ${seed}: ${row.join(' | ')}`);
}
