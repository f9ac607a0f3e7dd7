/**
 * G.711 at the clock rate an SDP names (rtpengine suite scenario 'DTMF scaling': PCMU/16000, 320-byte
 * frames): one sample per byte at that rate, in the codec table (src/codec/registry.ts) and the native
 * kernels (native/src/codec/factory.cc). A 20 ms tone through encode + decode keeps its frequency and level.
 */
import t, { type Test } from 'tap';
import { codecFormat, findCodec } from '../../../src/codec/registry';
import { loadNative } from '../../../src/native/addon';

const RATE = 16000;
const FRAME = 320; // 20 ms at 16 kHz

/** 20 ms of a 3 kHz tone at amplitude 10000 (above 8 kHz sampling's 4 kHz Nyquist: only a 16 kHz stream carries it). */
function tone(): Int16Array {
  const x = new Int16Array(FRAME);
  for (let i = 0; i < FRAME; i++) x[i] = Math.round(10000 * Math.sin((2 * Math.PI * 3000 * i) / RATE));
  return x;
}

/** Magnitude (amplitude units) of frequency f in x at `rate` (single-bin DFT over whole periods). */
function amplitudeAt(x: Int16Array, f: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * f * i) / rate);
    im -= x[i]! * Math.sin((2 * Math.PI * f * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

function checkTone(t: Test, out: Int16Array, what: string): void {
  t.ok(Math.abs(amplitudeAt(out, 3000, RATE) - 10000) < 150, `${what}: 3 kHz at its level (${amplitudeAt(out, 3000, RATE).toFixed(0)})`);
  t.ok(amplitudeAt(out, 1500, RATE) < 100, `${what}: nothing at 1.5 kHz (the tone read at half the rate)`);
}

t.test('PCMU/16000 and PCMA/16000 are codecs of their own, on a 16 kHz clock and PCM rate, dynamic PT', async (t) => {
  for (const name of ['PCMU', 'PCMA']) {
    const wide = findCodec(name, RATE);
    const narrow = findCodec(name, 8000);
    t.ok(wide, `${name}/16000 known`);
    t.not(wide, narrow, `${name}/16000 is not ${name}/8000`);
    t.same({ clockRate: wide!.clockRate, pcmRate: wide!.pcmRate, staticPt: wide!.staticPt, encoding: wide!.encoding }, { clockRate: RATE, pcmRate: RATE, staticPt: null, encoding: name });
    t.equal(findCodec(name.toLowerCase(), RATE), wide, 'one entry per rate (compared by identity)');
    t.equal(codecFormat(wide, null), wide, 'its own format');
  }
  t.equal(findCodec('PCMU', 7999), null, 'a rate below 8000 is not G.711');
  t.equal(findCodec('PCMU', 16001), null, 'a rate without whole samples in 20 ms is refused');
});

t.test('the TypeScript G.711 at 16 kHz: 320 bytes a 20 ms frame, a 3 kHz tone keeps frequency and level', async (t) => {
  for (const name of ['PCMU', 'PCMA']) {
    const def = findCodec(name, RATE)!;
    const enc = def.createEncoder();
    const dec = def.createDecoder();
    t.equal(enc.sampleRate, RATE);
    t.equal(dec.sampleRate, RATE);
    const bytes = new Uint8Array(FRAME);
    t.equal(enc.encode(tone(), 0, FRAME, bytes, 0), FRAME, `${name}: one byte per sample`);
    const out = new Int16Array(FRAME * 6);
    t.equal(dec.decode(bytes, 0, FRAME, out, 0), FRAME, `${name}: one sample per byte`);
    checkTone(t, out.subarray(0, FRAME), name);
  }
});

t.test('the native G.711 kernels at 16 kHz (native media plane): same frame size, frequency and level', async (t) => {
  const n = loadNative();
  if (n === null || typeof n.codecDecoderCreate !== 'function') {
    t.fail('the native addon with the codec kernels does not load (build it: make native)');
    return;
  }
  for (const name of ['PCMU', 'PCMA'] as const) {
    const enc = n.codecEncoderCreate!(name, RATE);
    const dec = n.codecDecoderCreate!(name, RATE);
    const bytes = new Uint8Array(FRAME);
    t.equal(n.codecEncode!(enc, tone(), 0, FRAME, bytes, 0), FRAME, `${name}: one byte per sample`);
    const out = new Int16Array(FRAME * 6);
    t.equal(n.codecDecode!(dec, bytes, 0, FRAME, out, 0), FRAME, `${name}: one sample per byte`);
    checkTone(t, out.subarray(0, FRAME), `native ${name}`);
    n.destroy(enc);
    n.destroy(dec);
  }
  t.throws(() => n.codecDecoderCreate!('PCMU', 7000), 'a rate G.711 does not run at is refused');
});
