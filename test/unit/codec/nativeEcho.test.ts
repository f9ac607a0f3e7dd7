import t from 'tap';
import { loadNative } from '../../../src/native/addon';
import { rms } from '../../fixtures/codec/signal';

t.test('speexdsp echo canceller removes a delayed, attenuated echo of the reference', async (t) => {
  const native = loadNative();
  if (native === null) {
    t.fail('the native addon must be built (make native)');
    return;
  }
  const frame = 160; // 20 ms at 8 kHz
  const h = native.echoCreate(frame, 1600, 8000, false); // 200 ms tail
  const n = 8000 * 4;
  const play = new Int16Array(n);
  let seed = 3;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    play[i] = ((seed >>> 16) % 8000) - 4000;
  }
  // Echo path: 5 ms delay, -6 dB, plus a weaker 12 ms reflection.
  const rec = new Int16Array(n);
  for (let i = 0; i < n; i++) rec[i] = Math.round(0.5 * (play[i - 40] ?? 0) + 0.2 * (play[i - 96] ?? 0));
  const out = new Int16Array(n);
  for (let off = 0; off + frame <= n; off += frame) {
    if (native.echoCancel(h, rec, off, play, off, out, off) !== frame) throw new Error('echoCancel failed');
  }
  const erle = 20 * Math.log10(rms(rec, n - 8000, n) / Math.max(1, rms(out, n - 8000, n)));
  t.ok(erle >= 20, `echo return loss enhancement after 3 s: ${erle.toFixed(1)} dB >= 20 dB`);
  t.equal(native.echoCancel(h, rec, n - 100, play, 0, out, 0), -1, 'a frame past the end of rec is refused');
  t.equal(native.echoReset(h), 0);
  t.equal(native.destroy(h), 0);
  t.equal(native.echoCancel(h, rec, 0, play, 0, out, 0), -3, 'destroyed handle');
  t.equal(native.destroy(h), 0, 'destroy is idempotent');
});
