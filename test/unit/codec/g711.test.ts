import t from 'tap';
import {
  ALAW_TO_LINEAR,
  G711Decoder,
  G711Encoder,
  LINEAR_TO_ALAW,
  LINEAR_TO_ULAW,
  ULAW_TO_LINEAR,
} from '../../../src/codec/g711';
import { snrDb, speech8k, tone } from '../../fixtures/codec/signal';

function roundTrip(law: 'ulaw' | 'alaw', pcm: Int16Array): Int16Array {
  const enc = new G711Encoder(law);
  const dec = new G711Decoder(law);
  const payload = new Uint8Array(160);
  const out = new Int16Array(pcm.length);
  const frame = new Int16Array(960);
  for (let off = 0; off + 160 <= pcm.length; off += 160) {
    if (enc.encode(pcm, off, 160, payload, 0) !== 160) throw new Error('encode failed');
    if (dec.decode(payload, 0, 160, frame, 0) !== 160) throw new Error('decode failed');
    out.set(frame.subarray(0, 160), off);
  }
  return out;
}

t.test('decode tables hold the G.711 known values', async (t) => {
  t.equal(ULAW_TO_LINEAR[0xff], 0, 'μ-law 0xFF is +0');
  t.equal(ULAW_TO_LINEAR[0x7f], 0, 'μ-law 0x7F is -0');
  t.equal(ULAW_TO_LINEAR[0x80], 32124, 'μ-law 0x80 is the positive maximum');
  t.equal(ULAW_TO_LINEAR[0x00], -32124, 'μ-law 0x00 is the negative maximum');
  t.equal(ULAW_TO_LINEAR[0xef], 132, 'μ-law first step of segment 1 (33 × 4)');
  t.equal(ALAW_TO_LINEAR[0xd5], 8, 'A-law 0xD5 is the smallest positive value');
  t.equal(ALAW_TO_LINEAR[0x55], -8, 'A-law 0x55 is the smallest negative value');
  t.equal(ALAW_TO_LINEAR[0xaa], 32256, 'A-law 0xAA is the positive maximum');
  t.equal(ALAW_TO_LINEAR[0x2a], -32256, 'A-law 0x2A is the negative maximum');
  t.equal(LINEAR_TO_ULAW[0], 0xff, 'μ-law encodes 0 as 0xFF');
  t.equal(LINEAR_TO_ALAW[0], 0xd5, 'A-law encodes 0 as 0xD5');
});

t.test('tables are odd-symmetric, monotonic, and every code round-trips', async (t) => {
  let symmetric = true;
  let roundTrips = true;
  for (let c = 0; c < 256; c++) {
    if (ULAW_TO_LINEAR[c] !== -ULAW_TO_LINEAR[c ^ 0x80]!) symmetric = false;
    if (ALAW_TO_LINEAR[c] !== -ALAW_TO_LINEAR[c ^ 0x80]!) symmetric = false;
    if (c !== 0x7f && LINEAR_TO_ULAW[ULAW_TO_LINEAR[c]! & 0xffff] !== c) roundTrips = false;
    if (LINEAR_TO_ALAW[ALAW_TO_LINEAR[c]! & 0xffff] !== c) roundTrips = false;
  }
  t.ok(symmetric, 'decode(c ^ 0x80) = -decode(c)');
  t.ok(roundTrips, 'encode(decode(c)) = c');
  // μ-law codes 0x80..0xFF run from the maximum down to 0.
  let monotonic = true;
  for (let c = 0x81; c <= 0xff; c++) if (ULAW_TO_LINEAR[c]! >= ULAW_TO_LINEAR[c - 1]!) monotonic = false;
  t.ok(monotonic, 'μ-law positive codes decrease strictly');
  // Quantisation: decode(encode(x)) is non-decreasing in x and within half a quantiser step of x
  // (μ-law step 8·2^seg, A-law step 16·2^max(0, seg-1), in 16-bit units; clipping excluded).
  for (const [name, enc, dec, clip, halfStep] of [
    ['μ-law', LINEAR_TO_ULAW, ULAW_TO_LINEAR, 32124, (c: number) => 4 << ((~c >> 4) & 7)],
    ['A-law', LINEAR_TO_ALAW, ALAW_TO_LINEAR, 32256, (c: number) => 8 << Math.max(0, (((c ^ 0x55) >> 4) & 7) - 1)],
  ] as const) {
    let prev = -Infinity;
    let ordered = true;
    let worst = 0;
    for (let x = -32768; x <= 32767; x++) {
      const code = enc[x & 0xffff]!;
      const y = dec[code]!;
      if (y < prev) ordered = false;
      prev = y;
      if (Math.abs(x) < clip) worst = Math.max(worst, Math.abs(y - x) / halfStep(code));
    }
    t.ok(ordered, `${name} quantiser is monotonic`);
    t.ok(worst <= 1, `${name} error <= half a step (worst ${worst.toFixed(3)} half-steps)`);
  }
});

t.test('1 kHz tone at -10 dBFS round-trips with SNR >= 35 dB', async (t) => {
  const pcm = tone(8000, 8000, 1000, -10);
  for (const law of ['ulaw', 'alaw'] as const) {
    const snr = snrDb(pcm, roundTrip(law, pcm), 0, pcm.length);
    t.ok(snr >= 35, `${law}: SNR ${snr.toFixed(1)} dB`);
  }
});

t.test('real speech round-trips with SNR >= 35 dB', async (t) => {
  const pcm = speech8k();
  const n = Math.floor(pcm.length / 160) * 160;
  for (const law of ['ulaw', 'alaw'] as const) {
    const snr = snrDb(pcm, roundTrip(law, pcm.subarray(0, n)), 0, n);
    t.ok(snr >= 35, `${law}: speech SNR ${snr.toFixed(1)} dB`);
  }
});

t.test('bad arguments return negative codes instead of throwing', async (t) => {
  const dec = new G711Decoder('ulaw');
  const enc = new G711Encoder('alaw');
  t.ok(dec.decode(new Uint8Array(10), 5, 10, new Int16Array(960), 0) < 0, 'payload range past the end');
  t.ok(dec.decode(new Uint8Array(160), 0, 160, new Int16Array(100), 0) < 0, 'output too small');
  t.ok(dec.decode(new Uint8Array(0), 0, 0, new Int16Array(960), 0) < 0, 'empty payload');
  t.ok(enc.encode(new Int16Array(160), 0, 160, new Uint8Array(100), 0) < 0, 'encode output too small');
});
