import t from 'tap';
import { ComfortNoiseGenerator, parseCnLevel } from '../../../src/codec/comfortNoise';
import { rms, spectrumDb } from '../../fixtures/codec/signal';

/** -dBov of pcm (RFC 3389 §3: 0 dBov = full-scale square wave, RMS 32767). */
const dbov = (pcm: Int16Array): number => -20 * Math.log10(rms(pcm) / 32767);

t.test('generated noise has the signalled level (RFC 3389 dBov) and a flat spectrum', async (t) => {
  const gen = new ComfortNoiseGenerator();
  const out = new Int16Array(8192);
  for (const level of [30, 50, 70]) {
    gen.generate(level, out, 0, out.length);
    const measured = dbov(out);
    t.ok(Math.abs(measured - level) <= 0.5, `level ${level} → measured ${measured.toFixed(2)}`);
  }
  gen.generate(40, out, 0, out.length);
  const spec = spectrumDb(out, 0, 8192);
  const band = (a: number, b: number): number => {
    let s = 0;
    for (let k = a; k < b; k++) s += 10 ** (spec[k]! / 10);
    return 10 * Math.log10(s / (b - a));
  };
  t.ok(Math.abs(band(100, 1000) - band(3000, 3900)) < 1.5, 'low and high bands within 1.5 dB (white)');
});

t.test('CN payload level byte', async (t) => {
  t.equal(parseCnLevel(Uint8Array.of(0, 45), 1, 1), 45);
  t.equal(parseCnLevel(new Uint8Array([0x80 | 45]), 0, 1), 45, 'reserved bit ignored');
  t.equal(parseCnLevel(Uint8Array.of(60), 0, 0), -4, 'empty payload');
});
