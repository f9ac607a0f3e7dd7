/**
 * Session 7 diagnostics (tuning part only): per -20 dB run, which guard of the detector held the alarm back.
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/diag.ts [--seeds=N] [--conds=1,2] [--level=-20]
 *     [--det='{"opt":value}'] [--loss-dirs=both|up|down|none]
 * --loss-dirs: which directions of each run lose frames (default both, the bench's runs); the others keep the same
 * call, losses drawn but not applied (session 17: which direction's losses delay the alarm).
 */
import { BleedDetector } from '../../src/dsp/bleedDetector';
import { bleedLevelOffsetDb } from '../../src/dsp/codecLevelOffset';
import { CallSim, type CallSimOptions } from '../../test/fixtures/dsp/callSim';
import { benchCodecs } from './codecs';
import { CONDS, detectSeed, evalSim } from './conditions';

const args = process.argv.slice(2);
const arg = (n: string, d: string): string => args.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3) ?? d;
const SEEDS = Number(arg('seeds', '3'));
const conds = arg('conds', '1,2,3,4').split(',').map(Number);
const level = Number(arg('level', '-20'));
const part = arg('part', 'tuning') as 'tuning';
const lossDirs = arg('loss-dirs', 'both') as NonNullable<CallSimOptions['lossDirections']>;
if (!['both', 'up', 'down', 'none'].includes(lossDirs)) throw new Error(`--loss-dirs: both, up, down or none, not ${lossDirs}`);
if (part !== 'tuning') throw new Error('diag is for the tuning part only');
const SPEECH = (32768 * Math.pow(10, -45 / 20)) ** 2;
const codecs = benchCodecs().codecs;
for (const ci of conds)
  for (const codec of codecs)
    for (const loss of [0, 0.02, 0.05])
      for (let s = 1; s <= SEEDS; s++) {
        const cond = CONDS[ci];
        let cat = '';
        const seed = detectSeed(part, ci, loss, level, s);
        const { sim, supDbfs } = evalSim(part, cond, codec, loss, seed, level);
        const cs = new CallSim({ ...sim, lossDirections: lossDirs });
        const det = new BleedDetector({ sampleRate: codec.rate as 8000, thresholdDb: level - 5, levelOffsetDb: bleedLevelOffsetDb(codec.codec), ...(JSON.parse(arg('det', '{}')) as object) });
        const f = cs.frame;
        const ref = new Int16Array(f);
        const obs = new Int16Array(f);
        let sp = 0;
        let ev = 0;
        let maxPsr = 0;
        let psrOk = 0;
        let maxSig = 0;
        let lvlAtMaxSig = -99;
        let alarmAt = -1;
        let det1 = -1;
        let trueD = 0;
        let lagOk = 0;
        let maxLvlDet = -99;
        let sigOkEvals = 0;
        const d: any = det;
        for (let i = 0; i < 50 * 600 && sp / 50 < 12; i++) {
          trueD = cs.leakDelayMs;
          cs.step(ref, obs);
          let e = 0;
          for (let k = 0; k < f; k++) e += ref[k] * ref[k];
          if (e > SPEECH * f) sp++;
          det.process(ref, 0, obs, 0, f);
          if (det.evaluations !== ev) {
            ev = det.evaluations;
            if (det.psr > maxPsr) maxPsr = det.psr;
            if (det.psr >= 7) psrOk++;
            const lagMs = d.gcc.delay / 4;
            if (Math.abs(lagMs - trueD) < 10) lagOk++;
            let sig = 0;
            let lv: any = d.level;
            for (const l of d.levels) if (l.significance > sig) { sig = l.significance; lv = l; }
            if (sig > maxSig) {
              maxSig = sig;
              lvlAtMaxSig = 20 * Math.log10(lv.gain + 1e-9) + bleedLevelOffsetDb(codec.codec);
            }
            if (det.detected && det1 < 0) det1 = sp / 50;
            if (det.detected && det.levelDb > maxLvlDet) maxLvlDet = det.levelDb;
            if (sig >= 10) sigOkEvals++;
            if (det.alarm) {
              alarmAt = sp / 50;
              break;
            }
          }
        }
        cat = alarmAt >= 0 ? (alarmAt <= 2 ? 'ok2' : 'late') : det1 >= 0 ? 'LEVEL' : maxSig >= 10 ? 'TIE' : maxSig > 0 ? 'SIG' : 'CAND';
        console.log(
          `${cat.padEnd(5)} s${s} drift ${(sim.leak?.driftMs ?? 0).toFixed(1)}/${(sim.leak?.driftPeriodS ?? 0).toFixed(0)} maxLvlDet ${maxLvlDet.toFixed(1)} ` +
          `${cond.name.padEnd(20)} ${codec.name.padEnd(8)} ${loss} sup ${supDbfs.toFixed(1)} alarm ${alarmAt < 0 ? 'MISS' : alarmAt.toFixed(2)} det ${det1.toFixed(2)} evals ${ev} lagOk ${lagOk} psr>=7 ${psrOk} maxPsr ${maxPsr.toFixed(1)} maxSig ${maxSig.toFixed(1)} lvl@maxSig ${lvlAtMaxSig.toFixed(1)} D ${trueD.toFixed(0)}`,
        );
        sim.down.close?.();
        sim.up.close?.();
      }
