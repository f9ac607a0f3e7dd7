/**
 * The native GCC-PHAT-beta delay search (native/src/dsp/gcc.cc behind src/dsp/gccPhat.ts) against the former
 * TypeScript arithmetic (test/fixtures/dsp/gccPhatTs.ts): the same delay and the same PSR to the last bit,
 * evaluation after evaluation (the accumulators carry over), for the detector's geometry and others, on a
 * delayed copy of noise in noise (deterministic seeds). Bit-identical because gcc.cc does the same operations
 * in the same order (-ffp-contract=off) on the same FFTW plans; any reordering shows here. The exception is a
 * beta other than 1 and 0.75 (not the default): it needs pow(), and V8's Math.pow and glibc's pow differ in the
 * last bit, so that case is held to the same delay and a PSR within 1e-12 (relative). Observed whitening (session 13)
 * is held bit for bit too.
 */
import t from 'tap';
import { GccPhat, type GccPhatOptions } from '../../../src/dsp/gccPhat';
import { GccPhatTs } from '../../fixtures/dsp/gccPhatTs';
import { Rng } from '../../fixtures/dsp/rng';

interface Case {
  name: string;
  opts: GccPhatOptions;
  ring: number;
  delay: number;
  leak: number;
  /** Bit-identical (beta 1 or 0.75), else same delay and PSR within 1e-12 relative (pow). */
  exact: boolean;
}

// The detector's geometry at 4 kHz before session 13: window 512 ms, delays up to 500 ms, band 250..1900 Hz,
// PHAT-beta 0.75 (since: observed whitening over +-4 bins; since session 14 window 384 ms).
const detector: GccPhatOptions = { size: 4096, window: 2048, maxLag: 2000, binLo: 256, binHi: 1945, coherent: 0.8, beta: 0.75, minLag: 80, excludeAfter: 400, excludeBefore: 10 };
const cases: Case[] = [
  { name: 'detector geometry, PHAT-beta 0.75', opts: detector, ring: 8192, delay: 480, leak: 0.1, exact: true },
  { name: 'PHAT (beta 1), no coherent memory, no search floor', opts: { ...detector, beta: 1, coherent: 0, minLag: 0 }, ring: 8192, delay: 37, leak: 0.3, exact: true },
  { name: 'session 13: observed whitening over +-4 bins, window 512 ms', opts: { ...detector, observedHalfBins: 4, observedFloor: 0.01 }, ring: 8192, delay: 480, leak: 0.1, exact: true },
  { name: 'the detector since session 14: observed whitening, window 384 ms', opts: { ...detector, window: 1536, observedHalfBins: 4, observedFloor: 0.01 }, ring: 8192, delay: 300, leak: 0.1, exact: true },
  { name: 'observed whitening, +-300 bins reaching past the band, no floor', opts: { ...detector, observedHalfBins: 300, observedFloor: 0, coherent: 0.5 }, ring: 8192, delay: 90, leak: 0.3, exact: true },
  { name: 'PHAT-beta 0.8 (Math.pow path), small size', opts: { size: 512, window: 256, maxLag: 200, binLo: 10, binHi: 250, coherent: 0.5, beta: 0.8, excludeAfter: 20, excludeBefore: 3 }, ring: 1024, delay: 150, leak: 0, exact: false },
];

for (const c of cases) {
  t.test(`native GCC = TypeScript GCC${c.exact ? ', bit for bit' : ' (pow: to 1e-12)'}: ${c.name}`, async (t) => {
    const rng = new Rng(c.delay * 7 + 1);
    const rx = new Float32Array(c.ring);
    const ry = new Float32Array(c.ring);
    const mask = c.ring - 1;
    const a = new GccPhat(c.opts);
    const b = new GccPhatTs(c.opts);
    let end = 0;
    let mismatches = 0;
    let found = 0;
    const evals = 40;
    for (let e = 0; e < evals; e++) {
      // Advance both rings by a hop of new audio: reference noise, observed = other noise + leak of the reference.
      const hop = 300 + Math.floor(rng.next() * 700);
      for (let i = 0; i < hop; i++, end++) {
        const v = rng.gauss() * 3000;
        rx[end & mask] = v;
        ry[end & mask] = rng.gauss() * 3000 + c.leak * rx[(end - c.delay) & mask]!;
      }
      // A quiet stretch now and then (all-zero bins: the m2 = 0 branch), a reset once.
      if (e === 17) for (let i = 0; i < c.ring; i++) ry[i] = 0;
      if (e === 25) {
        a.reset();
        b.reset();
      }
      const smoothing = e % 3 === 0 ? 0.8 : 0.8 ** (0.25 + 0.75 * rng.next());
      const spread = e % 4 === 0 ? 0 : rng.next() * 3;
      a.evaluate(rx, ry, mask, end, smoothing, spread);
      b.evaluateRings(rx, ry, mask, end, smoothing, spread);
      const same = c.exact ? Object.is(a.psr, b.psr) : Math.abs(a.psr - b.psr) <= 1e-12 * Math.max(1, Math.abs(b.psr));
      if (a.delay !== b.delay || !same) {
        mismatches++;
        if (mismatches <= 3) t.fail(`evaluation ${e}: native delay ${a.delay} psr ${a.psr}, TypeScript delay ${b.delay} psr ${b.psr}`);
      }
      if (c.leak > 0 && e > 5 && e < 17 && a.delay === c.delay) found++;
    }
    t.equal(mismatches, 0, `all ${evals} evaluations ${c.exact ? 'identical' : 'agree'}`);
    if (c.leak > 0) t.ok(found >= 8, `the search finds the leak at ${c.delay} (${found} of 11 evaluations)`);
  });
}

t.test('bad rings are refused, not read out of bounds', async (t) => {
  const a = new GccPhat(detector);
  t.throws(() => a.evaluate(new Float32Array(2048), new Float32Array(2048), 2047, 5000, 0.8, 0), RangeError, 'ring shorter than window + maxLag');
  t.throws(() => a.evaluate(new Float32Array(8192), new Float32Array(8192), 8190, 5000, 0.8, 0), RangeError, 'mask + 1 not a power of two');
  t.throws(() => a.evaluate(new Float32Array(8192), new Float32Array(4096), 8191, 5000, 0.8, 0), RangeError, 'observed ring shorter than the mask');
  t.throws(() => new GccPhat({ ...detector, size: 2048 }), RangeError, 'size < window + maxLag');
  t.throws(() => new GccPhat({ ...detector, observedHalfBins: 4, observedFloor: -1 }), RangeError, 'negative observed floor');
});
