/**
 * The two variants of the bleed detector's vector kernels (native/src/dsp/simd.h): the AVX2 copies that run
 * where the CPU has AVX2, and the baseline (SSE2) they must equal bit for bit — the decimator (with and
 * without the high-pass), the lag loops (ringXcorr, ringFit), the delay search (GccPhat) and the whole
 * detector, evaluation by evaluation. The oracle tests (dspNative.test.ts, gccPhatNative.test.ts) run on
 * the default variant; this file carries their result to the other one. On a CPU without AVX2 both runs use
 * the baseline (said in a comment): there is then no second variant to differ.
 */
import fs from 'node:fs';
import t from 'tap';
import { BleedDetector } from '../../../src/dsp/bleedDetector';
import { Decimator } from '../../../src/dsp/decimator';
import { GccPhat } from '../../../src/dsp/gccPhat';
import { dspKernels, ringFit, ringXcorr } from '../../../src/dsp/nativeDsp';
import { Rng } from '../../fixtures/dsp/rng';

const cpuAvx2 = process.arch === 'x64' && /\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));

/** Run `fn` on each variant (baseline first, then the default) and return both results. */
function both<T>(fn: () => T): { baseline: T; auto: T } {
  dspKernels('baseline');
  let baseline: T;
  try {
    baseline = fn();
  } finally {
    dspKernels('auto');
  }
  return { baseline, auto: fn() };
}

/** Indices where two number arrays differ (Object.is: -0 and NaN count). */
function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = a.length === b.length ? 0 : Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

t.test('dspKernels: AVX2 by default where the CPU has it, the baseline on request, other modes refused', async (t) => {
  t.equal(dspKernels(), cpuAvx2 ? 'avx2' : 'baseline', `default (CPU ${cpuAvx2 ? 'has' : 'lacks'} AVX2)`);
  t.equal(dspKernels('baseline'), 'baseline');
  t.equal(dspKernels(), 'baseline', 'the choice holds');
  t.equal(dspKernels('auto'), cpuAvx2 ? 'avx2' : 'baseline');
  t.throws(() => dspKernels('fast' as 'auto'), RangeError);
  t.equal(dspKernels(), cpuAvx2 ? 'avx2' : 'baseline', 'a refused mode changes nothing');
  if (!cpuAvx2) t.comment('no AVX2 on this CPU: the comparisons below run the baseline twice');
});

for (const rate of [8000, 16000, 48000]) {
  t.test(`decimator, ${rate} Hz: both variants bit for bit (high-pass on and off, blocks of any size)`, async (t) => {
    const rng = new Rng(rate + 17);
    const len = rate * 2;
    const a = new Int16Array(len);
    for (let i = 0; i < len; i++) a[i] = Math.max(-32768, Math.min(32767, Math.round(rng.gauss() * 6000)));
    for (const highPassHz of [250, undefined]) {
      const r = both(() => {
        const d = new Decimator(rate, 4000, { highPassHz });
        const out: number[] = [];
        const s1 = new Float64Array(2048);
        const blk = new Rng(5);
        for (let off = 0; off < len; ) {
          const n = Math.min(1 + Math.floor(blk.next() * 3000), len - off);
          const got = d.process(a, off, n, s1, 0);
          for (let i = 0; i < got; i++) out.push(s1[i]!);
          off += n;
        }
        return out;
      });
      t.ok(r.auto.length > len / (rate / 4000) - 2, `${r.auto.length} outputs`);
      t.equal(differing(r.baseline, r.auto), 0, `high-pass ${String(highPassHz)}: every output identical`);
    }
  });
}

t.test('ringXcorr and ringFit: both variants bit for bit (lag counts with and without a 4-sample tail, across the ring wrap)', async (t) => {
  const rng = new Rng(99);
  const ring = 4096, mask = ring - 1;
  const x = new Float32Array(ring), y = new Float32Array(ring);
  for (let i = 0; i < ring; i++) {
    x[i] = rng.gauss() * 3000;
    y[i] = rng.gauss() * 3000;
  }
  for (const [len, lags] of [[160, 33], [157, 17], [1000, 81]] as const) {
    const r = both(() => {
      const num = new Float64Array(lags), den = new Float64Array(lags);
      for (let c = 0; c < 40; c++) ringXcorr(x, y, mask, ring - 300 + c * 97, len, 480 - c, lags, 0.5 + c / 80, num, den);
      return [...num, ...den];
    });
    t.equal(differing(r.baseline, r.auto), 0, `len ${len}, ${lags} lags`);
  }
  const fit = both(() => {
    const num = new Float64Array(33), den = new Float64Array(33);
    ringFit(x, y, mask, num, den, Float64Array.of(ring - 700, 1120, 160, 464, 33, 16, 0.1, 100, 1));
    ringFit(x, y, mask, num, den, Float64Array.of(ring - 700, 1120, 160, 464, 33, 16, 0, 100, 0));
    return [...num, ...den];
  });
  t.equal(differing(fit.baseline, fit.auto), 0, 'ringFit, weighted and unweighted, 7 chunks of 160, 33 lags');
});

t.test('GccPhat (detector geometry, PHAT-beta 0.75 and PHAT): both variants bit for bit, 40 evaluations', async (t) => {
  for (const beta of [0.75, 1]) {
    const r = both(() => {
      const rng = new Rng(7);
      const ring = 8192, mask = ring - 1;
      const rx = new Float32Array(ring), ry = new Float32Array(ring);
      const g = new GccPhat({ size: 4096, window: 2048, maxLag: 2000, binLo: 256, binHi: 1945, coherent: 0.8, beta, minLag: 80, excludeAfter: 400, excludeBefore: 10 });
      const out: number[] = [];
      let end = 0;
      for (let e = 0; e < 40; e++) {
        for (let i = 0; i < 500 + ((e * 37) % 400); i++, end++) {
          rx[end & mask] = rng.gauss() * 3000;
          ry[end & mask] = rng.gauss() * 3000 + 0.1 * rx[(end - 480) & mask]!;
        }
        g.evaluate(rx, ry, mask, end, 0.8, (e % 4) * 0.7);
        out.push(g.delay, g.psr);
      }
      return out;
    });
    t.equal(differing(r.baseline, r.auto), 0, `beta ${beta}: delays and PSRs identical`);
  }
});

for (const rate of [8000, 48000] as const) {
  t.test(`BleedDetector, ${rate} Hz, a -20 dB leak at 120 ms in noise: both variants give the same evaluations and the same detection`, async (t) => {
    const f = rate / 50;
    const frames = 50 * 12;
    const d = Math.round(0.12 * rate);
    const rng = new Rng(rate + 3);
    const ref = new Int16Array(frames * f + d), obs = new Int16Array(frames * f);
    // Supervisor: noise bursts (words) with pauses; agent: continuous noise; observed = agent + 0.1 x reference 120 ms earlier.
    for (let i = 0; i < ref.length; i++) ref[i] = Math.floor(i / (rate * 0.4)) % 3 === 2 ? 0 : Math.round(rng.gauss() * 3000);
    for (let i = 0; i < obs.length; i++) obs[i] = Math.max(-32768, Math.min(32767, Math.round(rng.gauss() * 2000 + 0.1 * ref[i]!)));
    const r = both(() => {
      const det = new BleedDetector({ sampleRate: rate });
      const trace: number[] = [];
      // The last evaluation that detected (the failsafe acts on the first alarm; in stationary noise the fit's
      // significance hovers around minSignificance, so not every evaluation detects).
      let detected = 0, levelDb = 0, delayMs = 0, ev = 0;
      for (let i = 0; i < frames; i++) {
        det.process(ref, d + i * f, obs, i * f, f);
        trace.push(det.evaluations, det.psr, det.levelSignificance, det.levelDb, det.delayMs, det.detected ? 1 : 0);
        if (det.evaluations === ev) continue;
        ev = det.evaluations;
        if (det.detected) {
          detected++;
          levelDb = det.levelDb;
          delayMs = det.delayMs;
        }
      }
      return { trace, detected, levelDb, delayMs, evaluations: det.evaluations };
    });
    t.ok(r.auto.evaluations > 20, `${r.auto.evaluations} evaluations`);
    t.ok(r.auto.detected > 5 && Math.abs(r.auto.levelDb + 20) < 2 && Math.abs(r.auto.delayMs - 120) < 1, `the leak is detected in ${r.auto.detected} evaluations (last ${r.auto.levelDb.toFixed(1)} dB at ${r.auto.delayMs.toFixed(1)} ms)`);
    t.equal(differing(r.baseline.trace, r.auto.trace), 0, 'every frame: evaluations, PSR, fit significance, level, delay, detection identical');
  });
}
