import t from 'tap';
import { loadNative } from '../../../src/native/addon';
import { G729Decoder, G729Encoder } from '../../../src/codec/g729';
import { bestDelay, correlation, goertzelDb, logSpectralDistanceDb, rms, speech8k, spectrumDb, tone } from '../../fixtures/codec/signal';

const native = loadNative();
if (native === null) {
  t.fail('the native addon must be built for this test (make native)');
  process.exit(1);
}

/** Encode and decode `pcm` in 20 ms payloads; returns the decoded PCM and the payload sizes. */
function roundTrip(pcm: Int16Array, vad = false): { out: Int16Array; sizes: number[] } {
  const enc = new G729Encoder(native!, { vad });
  const dec = new G729Decoder(native!);
  const payload = new Uint8Array(1500);
  const out = new Int16Array(pcm.length);
  const sizes: number[] = [];
  for (let off = 0; off + 160 <= pcm.length; off += 160) {
    const bytes = enc.encode(pcm, off, 160, payload, 0);
    sizes.push(bytes);
    let n = bytes > 0 ? dec.decode(payload, 0, bytes, out, off) : 0;
    // A lone SID covers 10 ms; the untransmitted rest of the packet time is comfort noise.
    if (n >= 0 && n < 160) n += dec.conceal(out, off + n, 160 - n);
    if (n !== 160) throw new Error(`decode returned ${n}`);
  }
  enc.close();
  dec.close();
  return { out, sizes };
}

t.test('a 1 kHz tone comes back at 1 kHz, >= 20 dB above every other bin, level within 3 dB', async (t) => {
  const pcm = tone(8000, 8000, 1000, -10);
  const { out, sizes } = roundTrip(pcm);
  t.ok(sizes.every((s) => s === 20), 'two 10-byte frames per 20 ms payload');
  const start = 1600; // skip 200 ms of codec start-up
  const spec = spectrumDb(out, start, 4096); // bin = 8000/4096 ≈ 1.95 Hz
  const bin1k = Math.round(1000 / (8000 / 4096));
  let peak = -Infinity;
  let peakBin = 0;
  for (let k = 0; k < spec.length; k++) if (spec[k]! > peak) { peak = spec[k]!; peakBin = k; }
  t.ok(Math.abs(peakBin - bin1k) <= 3, `spectral peak at ${(peakBin * 8000 / 4096).toFixed(0)} Hz`);
  let other = -Infinity;
  for (let k = 10; k < spec.length; k++) if (Math.abs(k - bin1k) > 50) other = Math.max(other, spec[k]!); // outside ±100 Hz
  t.ok(peak - other >= 20, `1 kHz is ${(peak - other).toFixed(1)} dB above the strongest other component`);
  const levelIn = goertzelDb(pcm, 8000, 1000, start, 4096);
  const levelOut = goertzelDb(out, 8000, 1000, start, 4096);
  t.ok(Math.abs(levelOut - levelIn) <= 3, `1 kHz level ${levelOut.toFixed(1)} dBFS vs ${levelIn.toFixed(1)} dBFS in`);
});

t.test('real speech survives the round trip (aligned correlation and log-spectral distance floors)', async (t) => {
  const speech = speech8k();
  const n = Math.floor(speech.length / 160) * 160;
  const { out } = roundTrip(speech.subarray(0, n));
  const delay = bestDelay(speech, out, 800, n - 1600, 80);
  t.ok(delay >= 30 && delay <= 50, `codec delay ${delay} samples (≈ 5 ms look-ahead)`);
  const c = correlation(speech, 800, out, 800 + delay, n - 1600);
  // Measured: 0.65 and 8.4 dB. Unrelated audio (speech shifted by 100 ms) scores 0.00 and 16 dB,
  // noise 21 dB, so these floors fail a broken codec.
  t.ok(c >= 0.5, `waveform correlation ${c.toFixed(3)} >= 0.5`);
  const lsd = logSpectralDistanceDb(speech, out, 800, n - 1600, delay);
  t.ok(lsd <= 11, `log-spectral distance ${lsd.toFixed(1)} dB <= 11 dB`);
  const levelIn = rms(speech, 800, n - 800);
  const levelOut = rms(out, 800 + delay, n - 800 + delay);
  t.ok(Math.abs(20 * Math.log10(levelOut / levelIn)) <= 3, 'speech level within 3 dB');
});

t.test('erasure concealment continues the signal (non-silent, fading)', async (t) => {
  const pcm = tone(4000, 8000, 440, -12);
  const enc = new G729Encoder(native!);
  const dec = new G729Decoder(native!);
  const payload = new Uint8Array(1500);
  const out = new Int16Array(960);
  for (let off = 0; off + 160 <= 3200; off += 160) {
    dec.decode(payload, 0, enc.encode(pcm, off, 160, payload, 0), out, 0);
  }
  t.equal(dec.conceal(out, 0, 160), 160);
  const level = rms(out, 0, 160) / rms(pcm, 0, 160);
  t.ok(level > 0.3, `first concealed 20 ms keeps ${(100 * level).toFixed(0)} % of the level`);
  const g = goertzelDb(out, 8000, 440, 0, 160) - goertzelDb(pcm, 8000, 440, 0, 160);
  t.ok(g > -10, `concealment is still a 440 Hz tone (${g.toFixed(1)} dB re input)`);
  t.equal(dec.conceal(out, 0, 170), -1, 'a sample count that is not a multiple of 80 is refused');
  dec.close();
  enc.close();
});

t.test('Annex B: VAD sends SID frames in silence, and SID/CN decode to comfort noise', async (t) => {
  // 400 ms of speech-level tone, then 1 s of low noise (-55 dBFS).
  const pcm = new Int16Array(11200);
  pcm.set(tone(3200, 8000, 500, -12));
  let seed = 1;
  for (let i = 3200; i < pcm.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pcm[i] = ((seed >>> 16) % 121) - 60;
  }
  const { out, sizes } = roundTrip(pcm, true);
  t.ok(sizes.slice(0, 20).every((s) => s === 20), 'speech is sent as full frames');
  const tail = sizes.slice(25);
  t.ok(tail.some((s) => s === 2 || s === 12), `silence produces SID payloads (sizes ${[...new Set(tail)].join(',')})`);
  t.ok(tail.some((s) => s === 0), 'and DTX gaps (nothing to send)');
  const noise = rms(out, 4800, 11200) / rms(pcm, 4800, 11200);
  t.ok(noise > 0.5 && noise < 2, `comfort noise during DTX is within 6 dB of the input noise (ratio ${noise.toFixed(2)})`);

  const dec = new G729Decoder(native!);
  const buf = new Int16Array(960);
  const sid = new Uint8Array([0x55, 0xa0]);
  t.equal(dec.decode(sid, 0, 2, buf, 0), 80, 'a lone 2-byte SID decodes to 10 ms');
  t.equal(dec.conceal(buf, 0, 160), 160, 'untransmitted frames after a SID');
  t.ok(rms(buf, 0, 160) > 0, 'are comfort noise, not silence');
  const cn = new Uint8Array([60, 0x80, 0x80, 0x80, 0x80]); // RFC 3389: -60 dBov + 4 reflection coefficients
  t.equal(dec.decodeCn(cn, 0, cn.length, buf, 0, 160), 160, 'an RFC 3389 CN payload decodes to the requested 20 ms');
  t.ok(rms(buf, 0, 160) > 0, 'CN is not silence');
  dec.close();
});

t.test('payload lengths and closed handles', async (t) => {
  const dec = new G729Decoder(native!);
  const buf = new Int16Array(960);
  const p = new Uint8Array(200);
  t.equal(dec.decode(p, 0, 22, buf, 0), 240, '20 + 2 bytes = two speech frames and a SID');
  t.equal(dec.decode(p, 0, 7, buf, 0), -4, '7 bytes is not a G.729 payload');
  t.equal(dec.decode(p, 0, 130, buf, 0), -4, 'more than 120 ms is refused');
  t.equal(dec.decode(p, 0, 20, new Int16Array(100), 0), -2, 'output too small');
  t.equal(dec.decode(p, 190, 20, buf, 0), -1, 'payload range outside the buffer');
  dec.close();
  dec.close();
  t.equal(dec.decode(p, 0, 20, buf, 0), -3, 'decode after close');
  const enc = new G729Encoder(native!);
  t.equal(enc.encode(new Int16Array(160), 0, 100, p, 0), -1, 'encode needs a multiple of 80 samples');
  enc.close();
  t.equal(enc.encode(new Int16Array(160), 0, 160, p, 0), -3, 'encode after close');
});
