/**
 * The delay search's time whitening (session 15, BleedDetectorOptions.searchTimeWhitening): replays of four
 * -20 dB runs of the tuning part (bench/bleed/diag.ts, the bench's own seeds) that the detector tears down within
 * 2 s of supervisor speech only since the search reads the observed stream one power per 20 ms block. Each must
 * alarm within 2 s with the default, and not within 2 s with the search on the stream as received (the rule
 * before): the test goes red if the time whitening stops working, and the switch is shown to matter.
 * Needs espeak-ng and sox (bench/bleed/corpus.ts; fails, does not skip, without them).
 */
import t from 'tap';
import { bleedLevelOffsetDb } from '../../../src/dsp/codecLevelOffset';
import { benchCodecs } from '../../../bench/bleed/codecs';
import { CONDS, detectSeed, evalSim } from '../../../bench/bleed/conditions';
import { runScenario } from '../../fixtures/dsp/runScenario';

const codecs = benchCodecs().codecs;
/** [condition index, codec, loss, seed number]: diag.ts lines 'late' before, 'ok2' with the time whitening. */
const RUNS = [
  [1, 'G.711u', 0, 4],
  [2, 'G.711u', 0.05, 1],
  [4, 'G.711u', 0.02, 3],
  [1, 'G.729', 0, 6],
] as const;

t.test('-20 dB runs the time-whitened search tears down within 2 s, the former search does not', async (t) => {
  for (const [ci, name, loss, s] of RUNS) {
    const codec = codecs.find((c) => c.name === name);
    if (codec === undefined) throw new Error(`bench codec ${name} missing`);
    const run = (searchTimeWhitening: boolean): number | null => {
      const { sim } = evalSim('tuning', CONDS[ci], codec, loss, detectSeed('tuning', ci, loss, -20, s), -20);
      const r = runScenario(sim, { sampleRate: codec.rate as 8000, thresholdDb: -25, levelOffsetDb: bleedLevelOffsetDb(codec.codec), searchTimeWhitening }, 120, { stopAtAlarm: true, maxSpeechS: 4 });
      sim.down.close?.();
      sim.up.close?.();
      return r.firstAlarmSpeechS;
    };
    const label = `${CONDS[ci].name}, ${name}, ${loss * 100} % loss, seed ${s}`;
    const now = run(true);
    t.ok(now !== null && now <= 2, `${label}: alarm after ${now} s of supervisor speech (<= 2)`);
    const before = run(false);
    t.ok(before === null || before > 2, `${label}: without time whitening ${before === null ? 'no alarm within 4 s' : `alarm after ${before} s`} (> 2)`);
  }
});
