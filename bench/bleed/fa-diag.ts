/**
 * Session 7: margins of the false-alarm guards on the TUNING part's no-leak / -50 dB calls (the bench's
 * false-alarm calls, same seeds): per call the largest PSR, the largest least-squares significance and
 * the loudest level while detected, so thresholds can be set with a known margin.
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/fa-diag.ts [--hours=2] [--leak=none|-50] [--det='{...}'] [--first=K]
 * --first=K starts at the K-th ten-minute call (split a long run over processes: --hours=50 --first=300 runs calls 300..599).
 */
import { BleedDetector } from '../../src/dsp/bleedDetector';
import { bleedLevelOffsetDb } from '../../src/dsp/codecLevelOffset';
import { CallSim } from '../../test/fixtures/dsp/callSim';
import { benchCodecs } from './codecs';
import { faCall, faSim } from './conditions';

const args = process.argv.slice(2);
const arg = (n: string, d: string): string => args.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3) ?? d;
const HOURS = Number(arg('hours', '2'));
const leakArg = arg('leak', 'none');
const leakDb = leakArg === 'none' ? null : Number(leakArg);
const DET = JSON.parse(arg('det', '{}')) as object;
const codecs = benchCodecs().codecs;
const total = Math.round(HOURS * 3600);
let done = 0;
let calls = Number(arg('first', '0'));
const firstCall = calls;
const rows: number[][] = [];
while (done < total) {
  const secs = Math.min(600, total - done);
  const fc = faCall('tuning', calls, codecs);
  const { cond, codec, seed } = fc;
  const { sim } = faSim('tuning', fc, leakDb);
  const cs = new CallSim(sim);
  const det = new BleedDetector({ sampleRate: codec.rate as 8000, levelOffsetDb: bleedLevelOffsetDb(codec.codec), ...DET });
  const d = det as unknown as { levels: { significance: number }[] };
  const f = cs.frame;
  const ref = new Int16Array(f);
  const obs = new Int16Array(f);
  let ev = 0;
  let maxPsr = 0;
  let maxSig = 0;
  let maxLvl = -120;
  let dets = 0;
  for (let i = 0; i < secs * 50; i++) {
    cs.step(ref, obs);
    det.process(ref, 0, obs, 0, f);
    if (det.evaluations !== ev) {
      ev = det.evaluations;
      if (det.psr > maxPsr) maxPsr = det.psr;
      for (const l of d.levels) if (l.significance > maxSig) maxSig = l.significance;
      if (det.detected) {
        dets++;
        if (det.levelDb > maxLvl) maxLvl = det.levelDb;
      }
    }
  }
  rows.push([maxPsr, maxSig, maxLvl, dets]);
  console.log(`call ${calls} ${cond.name} ${codec.name} seed ${seed}: maxPsr ${maxPsr.toFixed(1)} maxSig ${maxSig.toFixed(1)} detected ${dets} maxLvl ${maxLvl.toFixed(1)}`);
  sim.down.close?.();
  sim.up.close?.();
  done += secs;
  calls++;
}
const top = (k: number): string => rows.map((r) => r[k]).sort((a, b) => b - a).slice(0, 5).map((x) => x.toFixed(1)).join(', ');
console.log(`SUMMARY leak ${leakArg} calls ${firstCall}..${calls - 1}: top maxPsr ${top(0)}; top maxSig ${top(1)}; detected evals ${rows.reduce((a, r) => a + r[3], 0)}; top maxLvl ${top(2)}`);
