import t from 'tap';
import { G711Plc } from '../../../src/codec/g711Plc';
import { G711Decoder, G711Encoder } from '../../../src/codec/g711';
import { correlation, rms, speech8k } from '../../fixtures/codec/signal';

/** A voiced-speech-like periodic signal: f0 = 125 Hz (pitch 64 samples) with decaying harmonics. */
function voiced(n: number, f0 = 125): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin((2 * Math.PI * f0 * h * i) / 8000 + h * 0.7) / h;
    out[i] = Math.round(6000 * v);
  }
  return out;
}

/** Feed sig[0..lossAt) in 20 ms frames, conceal `lossSamples`, return the concealment. */
function concealAfter(sig: Int16Array, lossAt: number, lossSamples: number): Int16Array {
  const plc = new G711Plc();
  const frame = new Int16Array(160);
  for (let off = 0; off < lossAt; off += 160) {
    frame.set(sig.subarray(off, off + 160));
    plc.goodFrame(frame, 0, 160);
  }
  const out = new Int16Array(lossSamples);
  for (let off = 0; off < lossSamples; off += 160) t.equal(plc.conceal(out, off, 160), 160);
  return out;
}

t.test('a pitched signal is continued during the first 10 ms of a loss', async (t) => {
  for (const f0 of [80, 125, 190]) {
    const sig = voiced(4000, f0);
    const lossAt = 1600;
    const out = concealAfter(sig, lossAt, 160);
    const c = correlation(out, 0, sig, lossAt, 80);
    t.ok(c >= 0.9, `f0 ${f0} Hz: correlation with the true continuation ${c.toFixed(3)} >= 0.9`);
    const level = rms(out, 0, 80) / rms(sig, lossAt, lossAt + 80);
    t.ok(level > 0.9 && level < 1.1, `first 10 ms keeps the level (ratio ${level.toFixed(2)})`);
  }
});

t.test('the start of a loss joins the last real sample without a step', async (t) => {
  const sig = voiced(4000, 110);
  for (const lossAt of [1600, 1760, 1920]) {
    const out = concealAfter(sig, lossAt, 160);
    let maxStep = 0;
    for (let i = lossAt - 160; i < lossAt; i++) maxStep = Math.max(maxStep, Math.abs(sig[i]! - sig[i - 1]!));
    const join = Math.abs(out[0]! - sig[lossAt - 1]!);
    const trueStep = Math.abs(sig[lossAt]! - sig[lossAt - 1]!);
    t.ok(join <= trueStep + 0.05 * maxStep, `loss at ${lossAt}: join step ${join} ≈ the true signal's step ${trueStep}`);
  }
});

t.test('concealment fades 20 % per 10 ms from the 2nd 10 ms and is silent after 60 ms', async (t) => {
  const sig = voiced(4000);
  const out = concealAfter(sig, 1600, 800); // 100 ms of loss
  // Level of each 10 ms block relative to the true signal in the same block.
  const level = [0, 1, 2, 3, 4, 5].map((k) => rms(out, k * 80, k * 80 + 80) / rms(sig, 1600 + k * 80, 1600 + k * 80 + 80));
  for (let k = 1; k < 6; k++) t.ok(level[k]! < level[k - 1]!, `level of 10 ms block ${k + 1} (${level[k]!.toFixed(2)}) < block ${k} (${level[k - 1]!.toFixed(2)})`);
  // Gain falls linearly from 1 (at 10 ms) to 0 (at 60 ms): block k ≥ 2 spans gains a → b = a - 0.2,
  // whose RMS is sqrt((a² + ab + b²) / 3).
  t.ok(Math.abs(level[0]! - 1) < 0.05, `block 1 is not attenuated (${level[0]!.toFixed(2)})`);
  for (let k = 2; k <= 6; k++) {
    const a = 1 - 0.2 * (k - 2);
    const b = a - 0.2;
    const expected = Math.sqrt((a * a + a * b + b * b) / 3);
    t.ok(Math.abs(level[k - 1]! - expected) < 0.05, `block ${k} level ${level[k - 1]!.toFixed(3)} ≈ ${expected.toFixed(3)}`);
  }
  let nonZero = 0;
  for (let i = 480; i < 800; i++) if (out[i] !== 0) nonZero++;
  t.equal(nonZero, 0, 'all samples after 60 ms are zero');
});

t.test('recovery cross-fades into the first good frame', async (t) => {
  const sig = voiced(4000, 140);
  const plc = new G711Plc();
  const frame = new Int16Array(160);
  const out = new Int16Array(4000);
  for (let off = 0; off + 160 <= 4000; off += 160) {
    if (off === 1600 || off === 1760) {
      plc.conceal(out, off, 160); // 40 ms lost
      continue;
    }
    frame.set(sig.subarray(off, off + 160));
    plc.goodFrame(frame, 0, 160);
    out.set(frame, off);
  }
  let maxStepTrue = 0;
  for (let i = 1; i < 4000; i++) maxStepTrue = Math.max(maxStepTrue, Math.abs(sig[i]! - sig[i - 1]!));
  let maxStepOut = 0;
  for (let i = 1590; i < 2010; i++) maxStepOut = Math.max(maxStepOut, Math.abs(out[i]! - out[i - 1]!));
  t.ok(maxStepOut <= maxStepTrue * 1.05, `no click at either boundary: largest step ${maxStepOut} vs ${maxStepTrue} in the real signal`);
  t.ok(correlation(out, 1920 + 80, sig, 1920 + 80, 80) > 0.999, 'after the cross-fade the good frame is untouched');
  t.ok(!plc.concealing, 'erasure state ends with the good frame');
});

t.test('on real speech, concealment beats silence substitution', async (t) => {
  const speech = speech8k();
  const enc = new G711Encoder('ulaw');
  const dec = new G711Decoder('ulaw');
  const payload = new Uint8Array(160);
  const out = new Int16Array(speech.length);
  let errPlc = 0;
  let errZero = 0;
  let lost = 0;
  for (let off = 0, f = 0; off + 160 <= speech.length; off += 160, f++) {
    enc.encode(speech, off, 160, payload, 0);
    if (f % 7 === 3 && rms(speech, off, off + 160) > 500) {
      dec.conceal(out, off, 160);
      lost++;
      for (let i = off; i < off + 80; i++) {
        errPlc += (out[i]! - speech[i]!) ** 2;
        errZero += speech[i]! ** 2;
      }
    } else {
      dec.decode(payload, 0, 160, out, off);
    }
  }
  t.ok(lost >= 5, `${lost} voiced frames lost`);
  const gainDb = 10 * Math.log10(errZero / errPlc);
  t.ok(gainDb > 1, `first 10 ms of each loss: error ${gainDb.toFixed(1)} dB below silence substitution`);
  t.ok(dec.plc.concealedSamples === lost * 160, 'concealed samples are counted');
});

t.test('a fresh stream conceals with silence', async (t) => {
  const plc = new G711Plc();
  const out = new Int16Array(160).fill(123);
  plc.conceal(out, 0, 160);
  t.equal(rms(out), 0);
});
