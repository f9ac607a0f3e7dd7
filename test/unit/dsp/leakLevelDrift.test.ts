/**
 * LeakLevel following a drifting path delay (issue 13, session 7): the observed signal is the reference
 * at -20 dB through a delay that grows by one sample every 1000 samples (at the detector's 4 kHz: 1 ms/s,
 * 12 ms over the run: a jitter buffer stretching), plus an uncorrelated talker 14 dB above the leak. With
 * maxShift (the detector's levelFollowMs) the fit slides its old sums along and keeps the level and a
 * high significance; with fixed lags (maxShift 0) the sums smear over the lags the path crossed and the
 * level reads far too low. Deterministic (seeded noise), no timing.
 */
import t from 'tap';
import { LeakLevel } from '../../../src/dsp/leakLevel';
import { Rng } from '../../fixtures/dsp/rng';

const SIZE = 1 << 16;
const MASK = SIZE - 1;
const RATE = 4000;

function run(maxShift: number, gainSmoothing = 0.9): { gainDb: number; significance: number; delay: number; trueDelay: number } {
  const rng = new Rng(7);
  const x = new Float32Array(SIZE);
  const y = new Float32Array(SIZE);
  const n = 12 * RATE;
  const delayAt = (i: number): number => 100 + Math.floor(i / 1000);
  // Reference: noise low-passed by a 3-tap sum (a correlation a few lags wide, like band-limited speech) in 40 ms bursts with 40 ms gaps (speech-like on/off);
  // observed: 0.1 x(t - d(t)) + a talker at 500 RMS (14 dB above the leak), always on.
  let p1 = 0;
  let p2 = 0;
  for (let i = 0; i < n; i++) {
    const g = rng.gauss();
    x[i] = Math.floor(i / 160) % 2 === 0 ? 1000 * (g + p1 + p2) : 0;
    p2 = p1;
    p1 = g;
  }
  for (let i = 0; i < n; i++) {
    const d = delayAt(i);
    y[i] = (i >= d ? 0.1 * x[i - d] : 0) + 500 * rng.gauss();
  }
  const lvl = new LeakLevel(16, 160, 100, 0.9, maxShift, 4, 'observed', gainSmoothing);
  // Start at the true delay with 1.2 s of history, then one update per 250 ms (whole 40 ms chunks).
  let end = 2 * RATE;
  lvl.start(x, y, MASK, end, 4800, delayAt(end));
  while (end + 1000 <= n) {
    end += 1000;
    lvl.update(x, y, MASK, end, 1000);
  }
  return { gainDb: 20 * Math.log10(lvl.gain), significance: lvl.significance, delay: lvl.delay, trueDelay: delayAt(end) };
}

t.test('a drifting delay (1 ms/s): the fit that follows it keeps the level; fixed lags lose it', async (t) => {
  const follow = run(2);
  t.ok(Math.abs(follow.gainDb + 20) <= 1.5, `following: level ${follow.gainDb.toFixed(1)} dB (truth -20)`);
  t.ok(follow.significance >= 10, `following: significance ${follow.significance.toFixed(1)}`);
  t.ok(Math.abs(follow.delay - follow.trueDelay) <= 1.5, `following: delay ${follow.delay.toFixed(1)} samples (truth ${follow.trueDelay})`);
  const fixed = run(0);
  t.ok(fixed.gainDb < follow.gainDb - 3, `fixed lags: level ${fixed.gainDb.toFixed(1)} dB, at least 3 dB below the following fit`);
});

t.test('a short level memory (gainSmoothing): the same lag and significance, bit for bit; the level still follows', async (t) => {
  // Session 12: the level comes from sums with their own, shorter memory; the lag and the significance keep
  // the long one, so what detects does not change.
  for (const maxShift of [0, 2]) {
    const long = run(maxShift);
    const short = run(maxShift, 0.5);
    t.equal(short.significance, long.significance, `maxShift ${maxShift}: significance ${short.significance.toFixed(2)} either way`);
    t.equal(short.delay, long.delay, `maxShift ${maxShift}: delay ${short.delay.toFixed(2)} samples either way`);
  }
  const short = run(2, 0.5);
  t.ok(Math.abs(short.gainDb + 20) <= 1.5, `following, memory 0.5: level ${short.gainDb.toFixed(1)} dB (truth -20)`);
});
