/**
 * Detector CPU profile helper (issue 13): a CPU row of bleed-eval.bench.ts (tuning part; cpuAudio.ts) run
 * `--passes` times so `node --cpu-prof` sees the detector alone. Prints process CPU per call-second.
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof node_modules/.bin/ts-node-transpile-only bench/bleed/cpu-prof.ts [--dense] [--rate=8000] [--passes=10] [--mark]
 */
import { BleedDetector } from '../../src/dsp/bleedDetector';
import { cpuRowAudio } from './cpuAudio';

const arg = (k: string): string | undefined => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const rate = Number(arg('rate') ?? 8000) as 8000 | 16000 | 48000;
const dense = process.argv.includes('--dense');
const passes = Number(arg('passes') ?? 10);
const seconds = 60;
const { ref, obs, f, frames } = cpuRowAudio('tuning', rate, !dense, seconds);
const det = new BleedDetector({ sampleRate: rate });
for (let i = 0; i < frames; i++) det.process(ref, i * f, obs, i * f, f);
const per: number[] = [];
// --mark: a line where the measured passes begin (to cut a --trace-gc log there).
if (process.argv.includes('--mark')) console.log('MARK measuring');
for (let p = 0; p < passes; p++) {
  det.reset();
  const c0 = process.cpuUsage();
  for (let i = 0; i < frames; i++) det.process(ref, i * f, obs, i * f, f);
  const c1 = process.cpuUsage(c0);
  per.push((c1.user + c1.system) / 1000 / seconds);
}
const mean = per.reduce((a, b) => a + b, 0) / passes;
const sorted = [...per].sort((a, b) => a - b);
const median = sorted[Math.floor(passes / 2)]!;
console.log(`${rate} Hz ${dense ? 'dense' : 'sparse'}: ${(det.evaluations / seconds).toFixed(2)} evaluations/s, ${mean.toFixed(3)} ms CPU per call-second (mean of ${passes} passes; median ${median.toFixed(3)}, min ${sorted[0]!.toFixed(3)})`);
