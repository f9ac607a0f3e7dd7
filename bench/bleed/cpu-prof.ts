/**
 * Detector CPU profile helper (issue 13): the CPU rows of bleed-eval.bench.ts (tuning part, 8 kHz) run
 * `--passes` times so `node --cpu-prof` sees the detector alone. Prints process CPU per call-second.
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/bleed/cpu-prof.ts [--dense] [--rate=8000]
 */
import { BleedDetector } from '../../src/dsp/bleedDetector';
import { CallSim } from '../../test/fixtures/dsp/callSim';
import { CONTINUOUS, CUSTOMER_TURNS, DENSE, SPARSE_WORDS } from '../../test/fixtures/dsp/scenarios';
import { corpusPools } from './corpus';

const arg = (k: string): string | undefined => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const rate = Number(arg('rate') ?? 8000) as 8000 | 16000 | 48000;
const dense = process.argv.includes('--dense');
const passes = Number(arg('passes') ?? 10);
const seconds = 60;
const f = rate / 50;
const frames = seconds * 50;
const L16 = { name: 'L16', transcode: (i: Int16Array, o: Int16Array) => o.set(i) };
const sim = new CallSim({
  pools: corpusPools('tuning', rate, 11),
  seed: 11,
  leak: { levelDb: -40, delayMs: 120, rt60Ms: 200, drrDb: 5 },
  down: L16,
  up: L16,
  lossRate: 0,
  lossMode: 'plc',
  supervisor: { ...(dense ? DENSE : SPARSE_WORDS), levelDbfs: -24 },
  agent: { ...CONTINUOUS, levelDbfs: -24 },
  customer: CUSTOMER_TURNS,
});
const ref = new Int16Array(frames * f);
const obs = new Int16Array(frames * f);
const a = new Int16Array(f);
const b = new Int16Array(f);
for (let i = 0; i < frames; i++) {
  sim.step(a, b);
  ref.set(a, i * f);
  obs.set(b, i * f);
}
const det = new BleedDetector({ sampleRate: rate });
for (let i = 0; i < frames; i++) det.process(ref, i * f, obs, i * f, f);
let total = 0;
if (process.argv.includes("--mark")) console.log("MARK measuring");
for (let p = 0; p < passes; p++) {
  det.reset();
  const c0 = process.cpuUsage();
  for (let i = 0; i < frames; i++) det.process(ref, i * f, obs, i * f, f);
  const c1 = process.cpuUsage(c0);
  total += (c1.user + c1.system) / 1000;
}
console.log(`${rate} Hz ${dense ? 'dense' : 'sparse'}: ${(det.evaluations / seconds).toFixed(2)} evaluations/s, ${(total / passes / seconds).toFixed(3)} ms CPU per call-second (mean of ${passes} passes)`);
