/**
 * The native DSP kernels (native/src/dsp/: FFTW real FFT, decimating FIR + high-pass) against the former
 * TypeScript implementations (test/fixtures/dsp/realFftTs.ts, decimatorTs.ts) on random input, deterministic
 * seeds. Tolerances are rounding-level: the FFTs differ by summation order only, the decimator by its
 * four partial sums.
 */
import t from 'tap';
import { RealFft } from '../../../src/dsp/realFft';
import { Decimator } from '../../../src/dsp/decimator';
import { HighPass } from '../../../src/dsp/biquad';
import { ringFit, ringXcorr } from '../../../src/dsp/nativeDsp';
import { RealFftTs } from '../../fixtures/dsp/realFftTs';
import { DecimatorTs } from '../../fixtures/dsp/decimatorTs';
import { ringXcorrTs } from '../../fixtures/dsp/ringXcorrTs';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

for (const n of [4, 8, 256, 4096, 8192]) {
  t.test(`FFTW forward / inverse match the TypeScript FFT, n=${n}`, async (t) => {
    const rnd = lcg(n + 3);
    const a = new RealFft(n);
    const b = new RealFftTs(n);
    const bins = n / 2 + 1;
    let worstF = 0;
    let worstI = 0;
    let worstRound = 0;
    for (let trial = 0; trial < 5; trial++) {
      // int16-scale input, as the detector feeds (decimated speech), with some zero padding
      const x = new Float64Array(n);
      const used = trial === 0 ? n : Math.max(1, Math.floor(n * (0.3 + 0.15 * trial)));
      for (let i = 0; i < used; i++) x[i] = 20000 * rnd();
      const xCopy = x.slice();
      const ra = new Float64Array(bins), ia = new Float64Array(bins);
      const rb = new Float64Array(bins), ib = new Float64Array(bins);
      a.forward(x, ra, ia);
      b.forward(x, rb, ib);
      t.same(x, xCopy, 'forward leaves x unchanged');
      let scale = 0;
      for (let k = 0; k < bins; k++) scale = Math.max(scale, Math.abs(rb[k]!), Math.abs(ib[k]!));
      for (let k = 0; k < bins; k++) worstF = Math.max(worstF, Math.abs(ra[k]! - rb[k]!) / scale, Math.abs(ia[k]! - ib[k]!) / scale);
      // a random (non-Hermitian-consistent) spectrum with garbage in im[0], im[n/2]: both must ignore them
      for (let k = 0; k < bins; k++) {
        ra[k] = 1e5 * rnd();
        ia[k] = 1e5 * rnd();
      }
      const raCopy = ra.slice(), iaCopy = ia.slice();
      const ya = new Float64Array(n), yb = new Float64Array(n);
      a.inverse(ra, ia, ya);
      b.inverse(ra, ia, yb);
      t.same(ra, raCopy, 'inverse leaves re unchanged');
      t.same(ia, iaCopy, 'inverse leaves im unchanged');
      let iscale = 0;
      for (let i = 0; i < n; i++) iscale = Math.max(iscale, Math.abs(yb[i]!));
      for (let i = 0; i < n; i++) worstI = Math.max(worstI, Math.abs(ya[i]! - yb[i]!) / iscale);
      // round trip through the native pair
      const rr = new Float64Array(bins), ir = new Float64Array(bins), z = new Float64Array(n);
      a.forward(xCopy, rr, ir);
      a.inverse(rr, ir, z);
      for (let i = 0; i < n; i++) worstRound = Math.max(worstRound, Math.abs(z[i]! - xCopy[i]!));
    }
    t.ok(worstF < 1e-13, `forward: max |native - TS| / max|X| = ${worstF.toExponential(2)}`);
    t.ok(worstI < 1e-13, `inverse: max |native - TS| / max|x| = ${worstI.toExponential(2)}`);
    t.ok(worstRound < 1e-9, `inverse(forward(x)) - x: max abs ${worstRound.toExponential(2)} (int16 scale)`);
  });
}

t.test('FFT on unaligned views (Float64Array at an odd element offset) gives the same result', async (t) => {
  const n = 1024;
  const bins = n / 2 + 1;
  const rnd = lcg(77);
  const fft = new RealFft(n);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rnd();
  const re = new Float64Array(bins), im = new Float64Array(bins);
  fft.forward(x, re, im);
  const big = new Float64Array(3 * n + 8);
  const xv = big.subarray(1, 1 + n);
  xv.set(x);
  const rv = big.subarray(n + 3, n + 3 + bins);
  const iv = big.subarray(2 * n + 5, 2 * n + 5 + bins);
  fft.forward(xv, rv, iv);
  t.same(Array.from(rv), Array.from(re));
  t.same(Array.from(iv), Array.from(im));
  const y = new Float64Array(n);
  fft.inverse(re, im, y);
  const yv = big.subarray(1, 1 + n);
  fft.inverse(re, im, yv);
  t.same(Array.from(yv), Array.from(y));
});

t.test('FFT: wrong buffer sizes are refused, not overrun', async (t) => {
  const fft = new RealFft(64);
  t.throws(() => fft.forward(new Float64Array(63), new Float64Array(33), new Float64Array(33)), RangeError);
  t.throws(() => fft.forward(new Float64Array(64), new Float64Array(32), new Float64Array(33)), RangeError);
  t.throws(() => fft.inverse(new Float64Array(33), new Float64Array(33), new Float64Array(63)), RangeError);
  t.throws(() => new RealFft(1 << 21), RangeError);
});

for (const rate of [8000, 16000, 48000]) {
  t.test(`native decimator matches the TypeScript one, ${rate} Hz -> 4 kHz, random blocks`, async (t) => {
    const rnd = lcg(rate);
    const len = rate * 3;
    const x = new Int16Array(len);
    for (let i = 0; i < len; i++) x[i] = Math.round(32767 * rnd());
    const a = new Decimator(rate, 4000);
    const b = new DecimatorTs(rate, 4000);
    const ah = new Decimator(rate, 4000, { highPassHz: 250 });
    const hp = new HighPass(250, 4000);
    t.equal(a.delayOutputSamples, b.delayOutputSamples);
    const outA = new Float64Array(len), outB = new Float64Array(len), outH = new Float64Array(len);
    let nA = 0, nB = 0, nH = 0;
    let maxErr = 0, maxHpErr = 0;
    let pendingOk = true;
    let resetDone = false;
    for (let off = 0; off < len; ) {
      const n = Math.min(1 + Math.floor(((rnd() + 1) / 2) * (nB % 7 === 0 ? 6000 : 1000)), len - off);
      const before = nB;
      nA += a.process(x, off, n, outA, nA);
      nB += b.process(x, off, n, outB, nB);
      nH += ah.process(x, off, n, outH, nH);
      off += n;
      if (a.pending !== b.pending) pendingOk = false;
      for (let i = before; i < nB; i++) {
        maxErr = Math.max(maxErr, Math.abs(outA[i]! - outB[i]!));
        maxHpErr = Math.max(maxHpErr, Math.abs(outH[i]! - hp.step(outB[i]!)));
      }
      if (!resetDone && off >= len / 2) {
        // a reset in the middle: all start over
        resetDone = true;
        a.reset();
        b.reset();
        ah.reset();
        hp.reset();
      }
    }
    t.ok(pendingOk, 'pending agrees after every block');
    t.equal(nA, nB, 'same number of outputs');
    t.equal(nH, nB);
    t.ok(nB >= len / (rate / 4000) - 1, `${nB} outputs`);
    t.ok(maxErr < 1e-9, `max |native - TS| = ${maxErr.toExponential(2)} (int16 units)`);
    t.ok(maxHpErr < 1e-9, `with highPassHz: max |native - TS decimator + HighPass.step| = ${maxHpErr.toExponential(2)}`);
  });
}

t.test('decimator: a span outside the input or no room for the output throws and consumes nothing', async (t) => {
  const d = new Decimator(48000, 4000);
  const x = new Int16Array(960);
  t.throws(() => d.process(x, 10, 960, new Float64Array(80), 0), RangeError);
  t.throws(() => d.process(x, 0, 960, new Float64Array(79), 0), RangeError);
  t.equal(d.pending, 0);
  t.equal(d.process(x, 0, 960, new Float64Array(80), 0), 80);
  t.throws(() => new Decimator(8000, 4000, { highPassHz: 2500 }), RangeError);
});

t.test('ringXcorr matches the TypeScript lag loops, across the ring wrap', async (t) => {
  const rnd = lcg(4242);
  const ring = 8192;
  const mask = ring - 1;
  const x = new Float32Array(ring), y = new Float32Array(ring);
  for (let i = 0; i < ring; i++) {
    x[i] = 3000 * rnd();
    y[i] = 3000 * rnd();
  }
  let worst = 0;
  for (const [start, len, d0, lags] of [
    [20000, 160, 300, 17],
    [8192 * 3 - 50, 160, 0, 81], // y wraps
    [8192 * 5 + 100, 1, 2000, 81], // x wraps (start - d0 - lags < ring boundary)
    [123, 1440, 7, 1],
    [77777, 3, 5, 4096],
    [8192 * 2 + 10, 160, -40, 81], // negative d0 (a delay shorter than the lag half-width)
  ] as const) {
    const w = 0.5 + ((rnd() + 1) / 2) * 1e-3;
    const numA = new Float64Array(lags).fill(1), denA = new Float64Array(lags).fill(2);
    const numB = numA.slice(), denB = denA.slice();
    ringXcorr(x, y, mask, start, len, d0, lags, w, numA, denA);
    ringXcorrTs(x, y, mask, start, len, d0, lags, w, numB, denB);
    for (let k = 0; k < lags; k++) {
      worst = Math.max(worst, Math.abs(numA[k]! - numB[k]!) / (Math.abs(denB[k]!) + 1), Math.abs(denA[k]! - denB[k]!) / (denB[k]! + 1));
    }
  }
  t.ok(worst < 1e-12, `max relative difference ${worst.toExponential(2)}`);
  const num = new Float64Array(4), den = new Float64Array(4);
  t.throws(() => ringXcorr(x, y, 1000, 0, 10, 0, 4, 1, num, den), RangeError, 'ring size not a power of two');
  t.throws(() => ringXcorr(x, y, mask, 0, 10, 0, 5, 1, num, den), RangeError, 'num shorter than lags');
  t.throws(() => ringXcorr(x, y, 16383, 0, 10, 0, 4, 1, num, den), RangeError, 'ring larger than x');
});

/** LeakLevel.accumulate as it was before ringFit: the weight loop in TypeScript, ringXcorr per chunk. */
function accumulateTs(xr: Float32Array, yr: Float32Array, mask: number, start: number, span: number, chunk: number, d0: number, lags: number, best: number, gHat: number, powerFloor: number, weighted: boolean, num: Float64Array, den: Float64Array): void {
  const bestLag = d0 + best;
  for (let c = start; c < start + span; c += chunk) {
    let syy = 0;
    let sxy = 0;
    let sxx = 0;
    for (let t = c; t < c + chunk; t++) {
      const yv = yr[t & mask]!;
      const xv = xr[(t - bestLag) & mask]!;
      syy += yv * yv;
      sxy += yv * xv;
      sxx += xv * xv;
    }
    let w = 1;
    if (weighted) {
      const res = syy - 2 * gHat * sxy + gHat * gHat * sxx;
      w = 1 / ((res > 0 ? res : 0) / chunk + powerFloor);
    }
    ringXcorr(xr, yr, mask, c, chunk, d0, lags, w, num, den);
  }
}

t.test('ringFit = the former TypeScript accumulate (weights + ringXcorr per chunk), bit for bit', async (t) => {
  const rnd = lcg(777);
  const ring = 8192;
  const mask = ring - 1;
  const x = new Float32Array(ring), y = new Float32Array(ring);
  for (let i = 0; i < ring; i++) {
    x[i] = Math.round(8000 * rnd());
    y[i] = Math.round(8000 * rnd()) + 0.2 * x[(i - 480) & mask]!;
  }
  const cases = [
    { start: 9000, span: 1120, chunk: 160, d0: 464, lags: 33, best: 16, gHat: 0, weighted: true, what: 'observed-power weights (gHat 0)' },
    { start: 8100, span: 960, chunk: 160, d0: 470, lags: 17, best: 3, gHat: 0.17, weighted: true, what: 'residual weights, across the ring wrap' },
    { start: -500, span: 1000, chunk: 160, d0: 470, lags: 17, best: 9, gHat: -0.4, weighted: true, what: 'negative positions, a last chunk past the span' },
    { start: 12345, span: 4800, chunk: 160, d0: 460, lags: 81, best: 40, gHat: 0.05, weighted: false, what: 'unweighted, 81 lags' },
    { start: 100, span: 0, chunk: 160, d0: 460, lags: 17, best: 0, gHat: 0, weighted: true, what: 'empty span' },
  ];
  for (const c of cases) {
    const a = { num: new Float64Array(c.lags).fill(1.5), den: new Float64Array(c.lags).fill(2.5) };
    const b = { num: new Float64Array(c.lags).fill(1.5), den: new Float64Array(c.lags).fill(2.5) };
    ringFit(x, y, mask, a.num, a.den, Float64Array.of(c.start, c.span, c.chunk, c.d0, c.lags, c.best, c.gHat, 100, c.weighted ? 1 : 0));
    accumulateTs(x, y, mask, c.start, c.span, c.chunk, c.d0, c.lags, c.best, c.gHat, 100, c.weighted, b.num, b.den);
    let diff = 0;
    for (let k = 0; k < c.lags; k++) if (!Object.is(a.num[k], b.num[k]) || !Object.is(a.den[k], b.den[k])) diff++;
    t.equal(diff, 0, c.what);
  }
  const num = new Float64Array(17), den = new Float64Array(17);
  t.throws(() => ringFit(x, y, mask, num, den, Float64Array.of(0, 160, 160, 0, 17, 17, 0, 100, 1)), RangeError, 'best outside the lags');
  t.throws(() => ringFit(x, y, mask, num, den, Float64Array.of(0, 160, 0, 0, 17, 0, 0, 100, 1)), RangeError, 'chunk 0');
  t.throws(() => ringFit(x, y, mask, num, den, Float64Array.of(0, 160, 160, 0, 18, 0, 0, 100, 1)), RangeError, 'more lags than num');
  t.throws(() => ringFit(x, y, mask, num, den, Float64Array.of(0.5, 160, 160, 0, 17, 0, 0, 100, 1)), RangeError, 'a fractional start');
  t.throws(() => ringFit(x, y, mask, num, den, Float64Array.of(0, 160, 160, 0, 17, 0, Number.NaN, 100, 1)), RangeError, 'NaN gain');
  t.throws(() => ringFit(x, y, 6000, num, den, Float64Array.of(0, 160, 160, 0, 17, 0, 0, 100, 1)), RangeError, 'ring not a power of two');
  t.throws(() => ringFit(x, y, mask, num, den, Float64Array.of(0, 160, 160, 0, 17, 0, 0, 100)), RangeError, 'too few arguments');
});
