import t from 'tap';
import { BadRequestError } from '../../../src/errors';
import { dtmfTone, DTMF_HIGH_HZ, DTMF_LOW_HZ, generateTone, PAGE_TONE, pageTone } from '../../../src/prompts/tones';
import { goertzelDb, rms } from '../../fixtures/codec/signal';

/** Largest step between neighbouring samples, as a fraction of full scale. */
function maxStep(x: Int16Array, start: number, end: number): number {
  let m = 0;
  for (let i = start + 1; i < end; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m / 32767;
}

t.test('generateTone: frequency, level within 1 dB, duration', async (t) => {
  for (const rate of [8000, 16000, 48000]) {
    const x = generateTone({ sampleRate: rate, frequencies: [1000], durationMs: 200, levelDbfs: -12 });
    t.equal(x.length, rate / 5, `${rate} Hz: 200 ms`);
    const mid = rate / 50; // skip the fades
    const n = x.length - 2 * mid;
    t.ok(Math.abs(goertzelDb(x, rate, 1000, mid, n) - -12) < 1, `${rate} Hz: 1 kHz at -12 dBFS ±1 dB`);
    t.ok(goertzelDb(x, rate, 1500, mid, n) < -60, `${rate} Hz: nothing at 1.5 kHz`);
    t.ok(Math.abs(20 * Math.log10((rms(x, mid, mid + n) * Math.SQRT2) / 32767) - -12) < 0.2, 'RMS is 3 dB below the peak level');
  }
  const two = generateTone({ sampleRate: 8000, frequencies: [440, 1900], durationMs: 500, levelDbfs: -20 });
  t.ok(Math.abs(goertzelDb(two, 8000, 440, 200, 3600) - -20) < 1);
  t.ok(Math.abs(goertzelDb(two, 8000, 1900, 200, 3600) - -20) < 1);
});

t.test('no click: raised-cosine fades start and end at zero', async (t) => {
  const x = generateTone({ sampleRate: 8000, frequencies: [880], durationMs: 100, levelDbfs: -6, fadeMs: 10 });
  t.equal(x[0], 0);
  t.equal(x[x.length - 1], 0);
  t.ok(Math.abs(x[1]!) < 100 && Math.abs(x[x.length - 2]!) < 100, 'second and penultimate samples near zero');
  // The envelope grows smoothly: the first 2 ms stay well below the steady-state peak.
  let early = 0;
  for (let i = 0; i < 16; i++) early = Math.max(early, Math.abs(x[i]!));
  t.ok(early < 0.15 * 16422, `first 2 ms peak ${early}`);
  // No sample-to-sample step larger than the sine's own slope (2π·880/8000 of the peak).
  t.ok(maxStep(x, 0, x.length) <= 0.5 * ((2 * Math.PI * 880) / 8000) + 0.001);
  // A 1 ms tone with a 5 ms default fade still starts and ends at zero (fade capped at half).
  const short = generateTone({ sampleRate: 48000, frequencies: [1000], durationMs: 1, levelDbfs: -6 });
  t.equal(short.length, 48);
  t.equal(short[0], 0);
  t.equal(short[47], 0);
});

t.test('invalid tone parameters are BadRequestError', async (t) => {
  const base = { sampleRate: 8000, frequencies: [1000], durationMs: 100, levelDbfs: -10 };
  t.throws(() => generateTone({ ...base, frequencies: [] }), new BadRequestError('Invalid tone: no frequencies'));
  t.throws(() => generateTone({ ...base, frequencies: [4000] }), new BadRequestError('Invalid tone: frequency 4000 Hz outside (0, 4000) Hz'));
  t.throws(() => generateTone({ ...base, levelDbfs: 3 }), BadRequestError);
  t.throws(() => generateTone({ ...base, durationMs: -1 }), BadRequestError);
  t.throws(() => generateTone({ ...base, sampleRate: 0 }), BadRequestError);
});

t.test('PAGE_TONE: beep, gap, beep at 880 Hz, -12 dBFS', async (t) => {
  t.same({ ...PAGE_TONE }, { frequencyHz: 880, beepMs: 100, gapMs: 50, beeps: 2, levelDbfs: -12, fadeMs: 10 });
  for (const rate of [8000, 16000, 48000]) {
    const x = pageTone(rate);
    const ms = (v: number): number => Math.round((v * rate) / 1000);
    t.equal(x.length, ms(250), `${rate} Hz: 250 ms`);
    t.equal(rms(x, ms(100), ms(150)), 0, 'silent gap');
    for (const start of [0, 150]) {
      const s = ms(start + 20);
      const n = ms(60);
      t.ok(Math.abs(goertzelDb(x, rate, 880, s, n) - -12) < 1, `beep at ${start} ms: 880 Hz at -12 dBFS`);
      t.equal(x[ms(start)], 0, 'beep starts at 0');
      t.equal(x[ms(start + 100) - 1], 0, 'beep ends at 0');
    }
  }
});

t.test('dtmfTone: Q.23 pairs for every key, +2 dB twist, nothing at the other frequencies', async (t) => {
  const keys = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];
  for (let k = 0; k < 16; k++) {
    const x = dtmfTone(keys[k]!, 8000, 100);
    t.equal(x.length, 800);
    const low = DTMF_LOW_HZ[k >> 2]!;
    const high = DTMF_HIGH_HZ[k & 3]!;
    const lowDb = goertzelDb(x, 8000, low, 80, 640);
    const highDb = goertzelDb(x, 8000, high, 80, 640);
    t.ok(Math.abs(lowDb - -10) < 1 && Math.abs(highDb - -8) < 1, `${keys[k]}: ${low} Hz ${lowDb.toFixed(1)} dB, ${high} Hz ${highDb.toFixed(1)} dB`);
    for (const f of [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ]) {
      if (f !== low && f !== high) t.ok(goertzelDb(x, 8000, f, 80, 640) < -40, `${keys[k]}: nothing at ${f} Hz`);
    }
    t.equal(x[0], 0);
    t.equal(x[799], 0);
  }
  t.ok(Math.abs(goertzelDb(dtmfTone('d', 16000, 80, -20), 16000, 1633, 160, 960) - -18) < 1, 'lower-case, level argument');
  t.throws(() => dtmfTone('E', 8000, 100), new BadRequestError('Invalid DTMF digit'));
  t.throws(() => dtmfTone('12', 8000, 100), new BadRequestError('Invalid DTMF digit'));
});
