/**
 * Session 16's detector changes: the delay search's time whitening (BleedDetectorOptions.searchTimeWhitening and
 * searchRefFloor) and the young-fit rule it allowed (startDetectSignificance 13):
 * replays of runs of the tuning part (bench/bleed/diag.ts, the bench's own seeds).
 * - Four -20 dB runs the detector tears down within 2 s of supervisor speech only since the search reads the
 *   observed stream one power per 20 ms block: each must alarm within 2 s with the defaults, and not within 2 s
 *   with the search on the stream as received (the rule before).
 * - Three -30 dB runs it tears down within 10 s only since a quiet block's floor follows the whisper's level: each
 *   must alarm within 10 s with the defaults, and not within 10 s with the fixed floor alone (searchRefFloor 0).
 * - Two -20 dB runs torn down within 2 s only since a young fit detects at significance 13 (startDetectSignificance,
 *   18 before session 16): each must alarm within 2 s with the defaults, and not within 2 s at 18.
 * The test goes red if any of these stops working, and each switch is shown to matter.
 * Needs espeak-ng and sox (bench/bleed/corpus.ts; fails, does not skip, without them).
 */
import t from 'tap';
import type { BleedDetectorOptions } from '../../../src/dsp/bleedDetector';
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

/** [condition index, codec, loss, seed number] at -30 dB: diag.ts --level=-30 alarms within 10 s with the floor, none with searchRefFloor 0. */
const RUNS_30 = [
  [2, 'G.729', 0, 4],
  [2, 'G.711u', 0.02, 1],
  [2, 'G.729', 0, 6],
] as const;

/** [condition index, codec, loss, seed number] at -20 dB: diag.ts within 2 s with 13 (0.74, 1.3 s), after 2 s at 18 (2.48, 4.84 s). */
const RUNS_YOUNG = [
  [0, 'G.729', 0, 6],
  [2, 'G.711u', 0.02, 2],
] as const;

/** Seconds of supervisor speech to the first alarm (null: none within maxSpeechS) of one replayed run. */
function firstAlarm(ci: number, name: string, loss: number, s: number, levelDb: number, maxSpeechS: number, det: Partial<BleedDetectorOptions>): number | null {
  const codec = codecs.find((c) => c.name === name);
  if (codec === undefined) throw new Error(`bench codec ${name} missing`);
  const { sim } = evalSim('tuning', CONDS[ci], codec, loss, detectSeed('tuning', ci, loss, levelDb, s), levelDb);
  const r = runScenario(sim, { sampleRate: codec.rate as 8000, thresholdDb: levelDb - 5, levelOffsetDb: bleedLevelOffsetDb(codec.codec), ...det }, 120, { stopAtAlarm: true, maxSpeechS });
  sim.down.close?.();
  sim.up.close?.();
  return r.firstAlarmSpeechS;
}

t.test('-20 dB runs the time-whitened search tears down within 2 s, the former search does not', async (t) => {
  for (const [ci, name, loss, s] of RUNS) {
    const label = `${CONDS[ci].name}, ${name}, ${loss * 100} % loss, seed ${s}`;
    const now = firstAlarm(ci, name, loss, s, -20, 4, {});
    t.ok(now !== null && now <= 2, `${label}: alarm after ${now} s of supervisor speech (<= 2)`);
    const before = firstAlarm(ci, name, loss, s, -20, 4, { searchTimeWhitening: false });
    t.ok(before === null || before > 2, `${label}: without time whitening ${before === null ? 'no alarm within 4 s' : `alarm after ${before} s`} (> 2)`);
  }
});

t.test('-30 dB runs the floor from the whisper\'s level tears down within 10 s, the fixed floor alone does not', async (t) => {
  for (const [ci, name, loss, s] of RUNS_30) {
    const label = `-30 dB, ${CONDS[ci].name}, ${name}, ${loss * 100} % loss, seed ${s}`;
    const now = firstAlarm(ci, name, loss, s, -30, 12, {});
    t.ok(now !== null && now <= 10, `${label}: alarm after ${now} s of supervisor speech (<= 10)`);
    const fixed = firstAlarm(ci, name, loss, s, -30, 12, { searchRefFloor: 0 });
    t.ok(fixed === null || fixed > 10, `${label}: with searchRefFloor 0 ${fixed === null ? 'no alarm within 12 s' : `alarm after ${fixed} s`} (> 10)`);
  }
});

t.test('-20 dB runs a young fit at significance 13 tears down within 2 s, at 18 not', async (t) => {
  for (const [ci, name, loss, s] of RUNS_YOUNG) {
    const label = `${CONDS[ci].name}, ${name}, ${loss * 100} % loss, seed ${s}`;
    const now = firstAlarm(ci, name, loss, s, -20, 6, {});
    t.ok(now !== null && now <= 2, `${label}: alarm after ${now} s of supervisor speech (<= 2)`);
    const at18 = firstAlarm(ci, name, loss, s, -20, 6, { startDetectSignificance: 18 });
    t.ok(at18 === null || at18 > 2, `${label}: young fits at 18 ${at18 === null ? 'no alarm within 6 s' : `alarm after ${at18} s`} (> 2)`);
  }
});
