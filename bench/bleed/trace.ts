/**
 * Session 9: per-evaluation trace of one tuning-part call as fa-diag.ts runs it (the call of that seed,
 * conditions.ts faCallOfSeed; no leak, or a leak at LEAK dB as `fa-diag.ts --leak=LEAK`): the search's lag and
 * PSR, and every fit's centre (ms), significance, updates and level (dB) after each evaluation between T0 and T1
 * seconds of call time.
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/trace.ts <seed> <T0> <T1> ['{detector options}'] [LEAK]
 */
import { BleedDetector } from '../../src/dsp/bleedDetector';
import { bleedLevelOffsetDb } from '../../src/dsp/codecLevelOffset';
import { CallSim } from '../../test/fixtures/dsp/callSim';
import { benchCodecs } from './codecs';
import { faCallOfSeed, faSim } from './conditions';
const codecs = benchCodecs().codecs;
const seed = Number(process.argv[2]); const T0 = Number(process.argv[3]); const T1 = Number(process.argv[4]);
const DET = JSON.parse(process.argv[5] ?? '{}');
const fc = faCallOfSeed('tuning', seed, codecs); const codec = fc.codec;
const { sim } = faSim('tuning', fc, process.argv[6] === undefined ? null : Number(process.argv[6]));
const cs = new CallSim(sim);
const det = new BleedDetector({ sampleRate: codec.rate, levelOffsetDb: bleedLevelOffsetDb(codec.codec), ...DET });
const d = det as any; const ref = new Int16Array(cs.frame), obs = new Int16Array(cs.frame);
let ev = 0;
for (let i = 0; i < T1 * 50; i++) {
  cs.step(ref, obs); det.process(ref, 0, obs, 0, cs.frame);
  if (det.evaluations !== ev) { ev = det.evaluations;
    if (i / 50 >= T0) console.log(`t=${(i/50).toFixed(2)} lag=${(d.gcc.delay/4).toFixed(1)} psr=${det.psr.toFixed(1)} fits=${d.levels.map((l: any) => l.center < 0 ? '-' : `${(l.center/4).toFixed(1)}:${l.significance.toFixed(1)}/u${l.updates}/g${l.gainSignificance.toFixed(1)}:${(20*Math.log10(l.gain+1e-9)).toFixed(1)}`).join(' ')} det=${det.detected}`);
  }
}
