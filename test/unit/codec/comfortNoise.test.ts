import t from 'tap';
import { ComfortNoiseGenerator, cnLevelFromPcm, parseCnLevel, writeCnPayload } from '../../../src/codec/comfortNoise';
import { rms, spectrumDb } from '../../fixtures/codec/signal';

t.test('the level byte follows RFC 3389 dBov (0 = full-scale square wave)', async (t) => {
  const square = new Int16Array(160);
  for (let i = 0; i < 160; i++) square[i] = i % 2 ? 32767 : -32767;
  t.equal(cnLevelFromPcm(square, 0, 160), 0);
  t.equal(cnLevelFromPcm(new Int16Array(160), 0, 160), 127, 'silence');
  const sine = new Int16Array(160);
  for (let i = 0; i < 160; i++) sine[i] = Math.round(3277 * Math.sin((2 * Math.PI * i) / 16));
  t.equal(cnLevelFromPcm(sine, 0, 160), 23, 'a sine with peak 3277 is -23 dBov (RMS 2317)');
});

t.test('generated noise has the signalled level and a flat spectrum', async (t) => {
  const gen = new ComfortNoiseGenerator();
  const out = new Int16Array(8192);
  for (const level of [30, 50, 70]) {
    gen.generate(level, out, 0, out.length);
    const measured = cnLevelFromPcm(out, 0, out.length);
    t.ok(Math.abs(measured - level) <= 1, `level ${level} → measured ${measured}`);
  }
  gen.generate(40, out, 0, out.length);
  const spec = spectrumDb(out, 0, 8192);
  const band = (a: number, b: number): number => {
    let s = 0;
    for (let k = a; k < b; k++) s += 10 ** (spec[k]! / 10);
    return 10 * Math.log10(s / (b - a));
  };
  t.ok(Math.abs(band(100, 1000) - band(3000, 3900)) < 1.5, 'low and high bands within 1.5 dB (white)');
  t.ok(rms(out) > 0);
});

t.test('CN payloads parse and write', async (t) => {
  const p = new Uint8Array(3);
  t.equal(writeCnPayload(p, 1, 200), 1);
  t.equal(parseCnLevel(p, 1, 1), 127, 'level clamped to 127');
  t.equal(parseCnLevel(new Uint8Array([0x80 | 45]), 0, 1), 45, 'reserved bit ignored');
  t.equal(parseCnLevel(p, 0, 0), -4, 'empty payload');
});
