import t from 'tap';
import { RealFft } from '../../../src/dsp/realFft';

/** Direct O(n^2) DFT as the oracle. */
function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      sr += x[j] * Math.cos((-2 * Math.PI * k * j) / n);
      si += x[j] * Math.sin((-2 * Math.PI * k * j) / n);
    }
    re[k] = sr;
    im[k] = si;
  }
  return { re, im };
}

function pseudoRandom(n: number, seed: number): Float64Array {
  const x = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

for (const n of [4, 8, 64, 1024]) {
  t.test(`forward matches a direct DFT, n=${n}`, async (t) => {
    const fft = new RealFft(n);
    const x = pseudoRandom(n, n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const ref = naiveDft(x);
    let maxErr = 0;
    for (let k = 0; k <= n / 2; k++) {
      maxErr = Math.max(maxErr, Math.abs(re[k] - ref.re[k]), Math.abs(im[k] - ref.im[k]));
    }
    t.ok(maxErr < 1e-9 * n, `max error ${maxErr}`);
  });

  t.test(`inverse(forward(x)) == x, n=${n}`, async (t) => {
    const fft = new RealFft(n);
    const x = pseudoRandom(n, 7 * n + 1);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    const y = new Float64Array(n);
    fft.forward(x, re, im);
    fft.inverse(re, im, y);
    let maxErr = 0;
    for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(x[i] - y[i]));
    t.ok(maxErr < 1e-12 * n, `max error ${maxErr}`);
  });
}

t.test('circular cross-correlation via the spectrum finds a known shift', async (t) => {
  const n = 256;
  const fft = new RealFft(n);
  const a = pseudoRandom(n, 99);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[(i + 37) % n] = a[i];
  const ar = new Float64Array(n / 2 + 1), ai = new Float64Array(n / 2 + 1);
  const br = new Float64Array(n / 2 + 1), bi = new Float64Array(n / 2 + 1);
  fft.forward(a, ar, ai);
  fft.forward(b, br, bi);
  // B * conj(A) -> correlation peaking at the shift
  for (let k = 0; k <= n / 2; k++) {
    const r = br[k] * ar[k] + bi[k] * ai[k];
    const i = bi[k] * ar[k] - br[k] * ai[k];
    br[k] = r;
    bi[k] = i;
  }
  const c = new Float64Array(n);
  fft.inverse(br, bi, c);
  let best = 0;
  for (let i = 1; i < n; i++) if (c[i] > c[best]) best = i;
  t.equal(best, 37);
});

t.test('rejects sizes that are not powers of two', async (t) => {
  t.throws(() => new RealFft(100), RangeError);
  t.throws(() => new RealFft(2), RangeError);
});
