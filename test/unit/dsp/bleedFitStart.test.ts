/**
 * No-leak false trips from a least-squares fit's first pass (issue 13, session 9). The 100 h no-leak
 * calibration on the evaluation corpus's tuning part (bench/bleed/fa-diag.ts) found 9 calls of 600 where the
 * failsafe would have torn a whisper down with no leak at all; in most of them the detection came the moment
 * a fit started: its chunk weights were 1 / the residual of a gain fitted on the same 1.2 s, so chunks where
 * the agent's voice happened to correlate with the whisper weighed more, and the significance of a chance
 * correlation grew past the threshold. The fit now starts with 1 / observed-power weights (LeakLevel.start,
 * BleedDetector fitStartWeights), and a fit that has just started detects only when it is still significant
 * after its first update with new audio, unless it is very significant at once (startDetectSignificance):
 * two voices can correlate by chance over a second or so, a leak keeps correlating.
 *
 * Replays five of those calls (tuning part, dense supervisor, agent talking continuously, 2 % loss; the
 * calibration's seeds and codecs) up to past the moment they tripped: no detection with the shipped rules;
 * the former rules still detect in them (so the calls still hold the chance correlation). And one call of session
 * 12's 50 h with a -50 dB leak where a fit alarmed on its first update (startDetectUpdates), and one where the
 * short level memory read the real -50 dB path at -21.9 dB (gainMinSignificance); and one of session 13's where
 * the gain's interpolation ran away (gainInterpolation).
 * And session 17's no-leak call (field loss model) where a just-started fit on a weak search peak would have
 * alarmed (startDetectPsr).
 * Needs espeak-ng and sox (bench/bleed/corpus.ts synthesizes the voices; a missing tool fails, no skip).
 * Deterministic for a given espeak-ng build.
 */
import t from 'tap';
import { BleedDetector, type BleedDetectorOptions } from '../../../src/dsp/bleedDetector';
import { bleedLevelOffsetDb } from '../../../src/dsp/codecLevelOffset';
import { benchCodecs } from '../../../bench/bleed/codecs';
import { faCallOfSeed, faSim } from '../../../bench/bleed/conditions';
import { CallSim } from '../../fixtures/dsp/callSim';

const codecs = benchCodecs().codecs;

/**
 * The calibration's call of `seed` (fa-diag.ts, bench/bleed/conditions.ts faCall), no leak (or a leak at `leakDb`,
 * as `fa-diag.ts --leak`), for `seconds`; first detection and first alarm (s) or null.
 */
function replay(seed: number, seconds: number, opts: Partial<BleedDetectorOptions>, leakDb: number | null = null, loss: 'former' | 'field' = 'former'): { firstDetectS: number | null; firstAlarmS: number | null; evaluations: number; codec: string } {
  const fc = faCallOfSeed('tuning', seed, codecs);
  const codec = fc.codec;
  const { sim } = faSim('tuning', fc, leakDb);
  // Calls of calibration runs made before session 17 replay that loss model (the sender skipped a lost frame).
  const cs = new CallSim({ ...sim, lostFramesEncoded: loss === 'field' });
  const det = new BleedDetector({ sampleRate: codec.rate, levelOffsetDb: bleedLevelOffsetDb(codec.codec), ...opts });
  const ref = new Int16Array(cs.frame);
  const obs = new Int16Array(cs.frame);
  let firstDetectS: number | null = null;
  let firstAlarmS: number | null = null;
  for (let i = 0; i < seconds * 50; i++) {
    cs.step(ref, obs);
    det.process(ref, 0, obs, 0, cs.frame);
    if (det.detected && firstDetectS === null) firstDetectS = i / 50;
    if (det.alarm && firstAlarmS === null) firstAlarmS = i / 50;
  }
  sim.down.close?.();
  sim.up.close?.();
  return { firstDetectS, firstAlarmS, evaluations: det.evaluations, codec: codec.name };
}

// [seed, seconds replayed, when the former rules detected (s of call time)]
const CALLS = [
  [17493, 5, 0.9],
  [8069, 25, 15.2],
  [13370, 75, 66.0],
  [10022, 205, 197.9],
  [6581, 255, 250.8],
] as const;
/**
 * The delay search of sessions 7-12: PHAT-beta over 512 ms windows on the observed stream as received (session 13
 * changed the whitening, session 14 the window, session 16 added the time whitening; each moves the fits to other lags).
 */
const SEARCH_BEFORE: Partial<BleedDetectorOptions> = { searchWhitening: 'phat', windowMs: 512, searchTimeWhitening: false };
/**
 * The rules before session 9: residual weights from the first pass, a new fit detects at once; with the
 * nomination and significance of then (session 12 changed those defaults) and the delay search of then, pinned here.
 */
const BEFORE: Partial<BleedDetectorOptions> = {
  ...SEARCH_BEFORE,
  fitStartWeights: 'residual',
  startDetectSignificance: 0,
  consistency: { need: 2, of: 4 },
  minConfidence: 0.5,
  minSignificance: 10,
  confidentNomination: { need: 0, minConfidence: 0.5 },
};

t.test('no leak: the calls the former rules tripped on are not detected', async (t) => {
  t.equal(codecs.length, 3, 'the bench codecs (G.711u, G.729, Opus16k) are all there');
  for (const [seed, seconds, was] of CALLS) {
    const now = replay(seed, seconds, {});
    t.ok(now.evaluations > 5, `seed ${seed} (${now.codec}): ${now.evaluations} evaluations`);
    t.equal(now.firstDetectS, null, `seed ${seed} (${now.codec}): no detection in ${seconds} s (the former rules detected at ${was} s)`);
    const before = replay(seed, seconds, BEFORE);
    t.ok(before.firstDetectS !== null && Math.abs(before.firstDetectS - was) < 1, `seed ${seed}: the former rules still detect, at ${before.firstDetectS} s (${was} s in the calibration)`);
  }
});

t.test('no leak: a young fit on a weak peak of the search does not detect (session 17, field loss model)', async (t) => {
  // Session 17's 100 h no-leak calibration with the field loss model, call 365 (seed 16315, Opus, sparse words,
  // agent 6 dB louder): a fit started at 307 ms on a search peak at PSR 2.3 was at significance 14.6 on the buffered
  // audio (a chance correlation of two voices), its level read -0.6 dB, and would have torn the whisper down; one update later
  // 12.3, four later 3.8. A young fit now detects only on a peak at PSR 4 or more (startDetectPsr).
  const now = replay(16315, 66, {}, null, 'field');
  t.ok(now.evaluations > 20, `seed 16315 (${now.codec}): ${now.evaluations} evaluations`);
  t.equal(now.firstDetectS, null, 'seed 16315: no detection in 66 s');
  const before = replay(16315, 66, { startDetectPsr: 0 }, null, 'field');
  t.ok(before.firstAlarmS !== null && Math.abs(before.firstAlarmS - 59.84) < 1, `without the PSR condition the chance fit alarms, at ${before.firstAlarmS} s (59.84 s in the run)`);
});

t.test('-50 dB leak: a fit significant only on its first update does not alarm (session 12)', async (t) => {
  // Session 12's 50 h with a -50 dB leak (fa-diag.ts --leak=-50), call 59: a fit started at significance 4.8
  // (on a chance correlation 110 ms away, not the leak's path), reached 13.3 on its first update, read
  // -13.4 dB and alarmed; one update later 10.2. A fit now needs two updates (startDetectUpdates) to detect
  // below startDetectSignificance.
  const now = replay(6829, 216, {}, -50);
  t.ok(now.evaluations > 200, `seed 6829 (${now.codec}): ${now.evaluations} evaluations`);
  t.equal(now.firstAlarmS, null, `seed 6829: no alarm in 216 s (detected at ${now.firstDetectS} s: the real -50 dB path may be found)`);
  // (with the delay search of then: session 13's search no longer starts that chance fit)
  const one = replay(6829, 216, { ...SEARCH_BEFORE, startDetectUpdates: 1 }, -50);
  t.ok(one.firstAlarmS !== null && Math.abs(one.firstAlarmS - 214.4) < 1, `with one update the chance fit alarms, at ${one.firstAlarmS} s (214.4 s in the run)`);
});

t.test('-50 dB leak: the short level memory is not read when it is not significant on its own (session 12)', async (t) => {
  // Session 12's first 50 h with a -50 dB leak and the level read from a short memory (gainSmoothing 0.5),
  // call 31 (G.729, dense, agent 6 dB louder): the fit on the real -50 dB path (significance 13.3) read
  // -21.9 dB at 183.2 s, its short sums' own significance 4.6 (a quarter second with little whisper in it).
  const now = replay(5961, 184, {}, -50);
  t.ok(now.firstDetectS !== null, `seed 5961 (${now.codec}): the real -50 dB path is detected (at ${now.firstDetectS} s)`);
  t.equal(now.firstAlarmS, null, 'seed 5961: no alarm in 184 s');
  // (with session 12's search and interpolation: session 13's peak-only interpolation also keeps this reading down)
  const ungated = replay(5961, 184, { ...SEARCH_BEFORE, gainInterpolation: 'always', gainMinSignificance: 0 }, -50);
  t.ok(ungated.firstAlarmS !== null && Math.abs(ungated.firstAlarmS - 183.2) < 1, `the short memory read without its own significance alarms, at ${ungated.firstAlarmS} s (183.2 s in the run)`);
});

t.test('-50 dB leak: the level is interpolated only around a peak of the gain profile (session 13)', async (t) => {
  // Session 13's 50 h with a -50 dB leak (observed-whitening search), call 30 (seed 5930, G.711u, dense, agent at
  // equal level): the fit on the real path (190 ms, significance 15.8) read -6.4 dB at 153.8 s: its best lag sat
  // at the edge of the span with a neighbour of higher gain, and the parabola's vertex ran away (gains -59.5 /
  // -53.9 / -50.5 dB). leakLevelGain.test.ts holds the rule itself.
  const now = replay(5930, 600, {}, -50);
  t.ok(now.firstDetectS !== null, `seed 5930 (${now.codec}): the real -50 dB path is detected (at ${now.firstDetectS} s)`);
  t.equal(now.firstAlarmS, null, 'seed 5930: no alarm in the whole 600 s call');
  // (with the search of that calibration: observed whitening over 512 ms windows, no time whitening)
  const always = replay(5930, 155, { windowMs: 512, searchTimeWhitening: false, gainInterpolation: 'always' }, -50);
  t.ok(always.firstAlarmS !== null && Math.abs(always.firstAlarmS - 153.8) < 1, `interpolated always, the fit alarms at ${always.firstAlarmS} s (153.8 s in the run)`);
});
