import t from 'tap';
import { Decimator } from '../../../src/dsp/decimator';

/** RMS gain (dB) of a tone at `hz` through the decimator, after the filter has settled. */
function toneGainDb(rate: number, hz: number): number {
  const d = new Decimator(rate, 4000);
  const x = new Int16Array(rate);
  for (let i = 0; i < x.length; i++) x[i] = Math.round(10000 * Math.sin((2 * Math.PI * hz * i) / rate));
  const out = new Float64Array(4000);
  const m = d.process(x, 0, x.length, out, 0);
  let e = 0;
  for (let i = 200; i < m; i++) e += out[i] * out[i];
  return 20 * Math.log10(Math.sqrt(e / (m - 200)) / (10000 / Math.SQRT2));
}

for (const rate of [8000, 16000, 48000]) {
  t.test(`${rate} Hz -> 4 kHz: speech band passes, what would alias is attenuated`, async (t) => {
    t.ok(Math.abs(toneGainDb(rate, 300)) < 0.5, '300 Hz within 0.5 dB');
    t.ok(toneGainDb(rate, 1000) > -2, '1 kHz within 2 dB');
    t.ok(toneGainDb(rate, 3000) < -18, '3 kHz (would alias to 1 kHz) at least 18 dB down');
    t.ok(toneGainDb(rate, 3500) < -30, '3.5 kHz (would alias to 500 Hz) at least 30 dB down');
  });
}

t.test('output count and values do not depend on the block size fed', async (t) => {
  const x = new Int16Array(4800);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 2001) - 1000;
  const a = new Decimator(48000, 4000);
  const outA = new Float64Array(400);
  const nA = a.process(x, 0, x.length, outA, 0);
  const b = new Decimator(48000, 4000);
  const outB = new Float64Array(400);
  let nB = 0;
  for (let off = 0, k = 0; off < x.length; k++) {
    const n = Math.min([7, 960, 13, 100][k % 4], x.length - off);
    nB += b.process(x, off, n, outB, nB);
    off += n;
  }
  t.equal(nA, 400);
  t.equal(nB, nA);
  t.same(Array.from(outB), Array.from(outA));
});

t.test('rejects non-integer factors', async (t) => {
  t.throws(() => new Decimator(44100, 4000), RangeError);
});
