import t from 'tap';
import { Resampler } from '../../../src/codec/resampler';
import { loadNative } from '../../../src/native/addon';
import { spectrumDb, tone } from '../../fixtures/codec/signal';

const native = loadNative();
const RATES = [8000, 16000, 48000] as const;
const FFT = 8192;

/** Resample a 1.2 s tone in 20 ms frames; returns the output (and checks every frame is 20 ms). */
function run(r: Resampler, inRate: number, outRate: number, freq: number): { out: Int16Array; frameSizesOk: boolean } {
  const inFrame = inRate / 50;
  const outFrame = outRate / 50;
  const pcm = tone(inRate * 1.2, inRate, freq, -6);
  const out = new Int16Array(outRate * 1.2);
  let o = 0;
  let frameSizesOk = true;
  for (let off = 0; off + inFrame <= pcm.length; off += inFrame) {
    const n = r.process(pcm, off, inFrame, out, o);
    if (n !== outFrame) frameSizesOk = false;
    o += Math.max(n, 0);
  }
  return { out, frameSizesOk };
}

/** Level of `freq` (peak in ±4 bins) and the strongest component outside ±10 bins of it, in dBFS. */
function analyse(out: Int16Array, rate: number, freq: number): { level: number; spur: number } {
  const spec = spectrumDb(out, rate / 10, FFT);
  const bin = Math.round((freq * FFT) / rate);
  let level = -Infinity;
  let spur = -Infinity;
  for (let k = 2; k < spec.length; k++) {
    if (Math.abs(k - bin) <= 4) level = Math.max(level, spec[k]!);
    else if (Math.abs(k - bin) > 10) spur = Math.max(spur, spec[k]!);
  }
  return { level, spur };
}

const backends: [string, Parameters<typeof loadNative> extends [] ? ReturnType<typeof loadNative> : never][] = [
  ['speexdsp', native],
  ['ts fallback', null],
];

t.ok(native !== null, 'the native addon is built (make native)');

for (const [name, addon] of backends) {
  for (const inRate of RATES) {
    for (const outRate of RATES) {
      if (inRate === outRate) continue;
      t.test(`${name}: ${inRate} → ${outRate} Hz`, async (t) => {
        const low = Math.min(inRate, outRate) / 2; // the lower Nyquist frequency
        const r = new Resampler(inRate, outRate, undefined, addon);
        t.equal(r.backend, addon === null ? 'ts' : 'speexdsp');
        // Passband tones: level kept, images/aliases/distortion >= 60 dB below the tone.
        for (const f of [300, 1000, 0.4 * low, 0.8 * low]) {
          r.reset();
          const { out, frameSizesOk } = run(r, inRate, outRate, f);
          t.ok(frameSizesOk, `${f} Hz: every 20 ms frame gives 20 ms`);
          const { level, spur } = analyse(out, outRate, f);
          t.ok(Math.abs(level - -6) <= 1, `${f} Hz passes at ${level.toFixed(2)} dBFS (-6 in)`);
          t.ok(level - spur >= 60, `${f} Hz: strongest other component ${(level - spur).toFixed(1)} dB below`);
        }
        // Stop band (downsampling only): tones above the target Nyquist frequency must not alias in.
        if (outRate < inRate) {
          for (const f of [1.25 * low, 1.6 * low, 0.45 * inRate]) {
            r.reset();
            const { out } = run(r, inRate, outRate, f);
            const spec = spectrumDb(out, outRate / 10, FFT);
            let worst = -Infinity;
            for (let k = 2; k < spec.length; k++) worst = Math.max(worst, spec[k]!);
            t.ok(-6 - worst >= 60, `${f} Hz (above ${low} Hz): alias ${(-6 - worst).toFixed(1)} dB below a passband tone`);
          }
        }
        r.close();
        t.equal(r.process(new Int16Array(160), 0, 160, new Int16Array(960), 0), -3, 'process after close');
      });
    }
  }
}

t.test('equal rates are an identity copy', async (t) => {
  const r = new Resampler(16000, 16000);
  const pcm = tone(320, 16000, 1000, -3);
  const out = new Int16Array(400);
  t.equal(r.process(pcm, 0, 320, out, 10), 320);
  t.same(Array.from(out.subarray(10, 330)), Array.from(pcm));
  t.equal(r.backend, 'identity');
});
