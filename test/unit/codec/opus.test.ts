import t from 'tap';
import { OpusDecoder, OpusEncoder, opusBackend, type OpusBackendName, type OpusRate } from '../../../src/codec/opus';
import { bestDelay, correlation, goertzelDb, logSpectralDistanceDb, rms, speech16k, speech8k, tone } from '../../fixtures/codec/signal';

const BACKENDS: OpusBackendName[] = ['native', 'opusscript'];

/** Encode pcm at encRate in 20 ms frames, decode at decRate; returns decoded PCM and packet sizes. */
function roundTrip(backend: OpusBackendName, pcm: Int16Array, encRate: OpusRate, decRate: OpusRate, complexity = 5): { out: Int16Array; sizes: number[] } {
  const enc = new OpusEncoder({ sampleRate: encRate, backend, complexity, bitrate: 32000 });
  const dec = new OpusDecoder({ sampleRate: decRate, backend });
  const inFrame = encRate / 50;
  const outFrame = decRate / 50;
  const frames = Math.floor(pcm.length / inFrame);
  const out = new Int16Array(frames * outFrame);
  const packet = new Uint8Array(1500);
  const sizes: number[] = [];
  for (let f = 0; f < frames; f++) {
    const n = enc.encode(pcm, f * inFrame, inFrame, packet, 0);
    sizes.push(n);
    if (dec.decode(packet, 0, n, out, f * outFrame) !== outFrame) throw new Error('decode size');
  }
  enc.close();
  dec.close();
  return { out, sizes };
}

t.test('the process-wide backend is native here, and the env forces opusscript', async (t) => {
  t.equal(opusBackend(), 'native');
  process.env.WHISPERD_OPUS_BACKEND = 'opusscript';
  t.equal(opusBackend(), 'opusscript');
  t.equal(new OpusDecoder().backend, 'opusscript', 'new instances follow the env');
  delete process.env.WHISPERD_OPUS_BACKEND;
});

for (const backend of BACKENDS) {
  t.test(`${backend}: 1 kHz tone at 48 kHz decodes at 48, 16 and 8 kHz with its level`, async (t) => {
    const pcm = tone(48000, 48000, 1000, -10);
    for (const decRate of [48000, 16000, 8000] as const) {
      const { out } = roundTrip(backend, pcm, 48000, decRate);
      const start = decRate / 5; // skip 200 ms
      const n = decRate / 2;
      const level = goertzelDb(out, decRate, 1000, start, n);
      t.ok(Math.abs(level - -10) <= 3, `decoded at ${decRate} Hz: 1 kHz at ${level.toFixed(1)} dBFS`);
      const other = Math.max(goertzelDb(out, decRate, 1500, start, n), goertzelDb(out, decRate, 3000, start, n), goertzelDb(out, decRate, 500, start, n));
      t.ok(level - other >= 20, `${(level - other).toFixed(0)} dB above 500/1500/3000 Hz`);
    }
  });

  t.test(`${backend}: speech round trip at 16 kHz and at 8 kHz`, async (t) => {
    for (const [rate, speech] of [[16000, speech16k()], [8000, speech8k()]] as const) {
      const { out } = roundTrip(backend, speech, rate, rate);
      const n = out.length - rate / 5;
      const delay = bestDelay(speech, out, rate / 10, n - rate / 10, rate / 100 * 3);
      const c = correlation(speech, rate / 10, out, rate / 10 + delay, n - rate / 10);
      t.ok(c >= 0.8, `${rate} Hz: correlation ${c.toFixed(3)} at delay ${delay} >= 0.8`);
      const lsd = logSpectralDistanceDb(speech, out, rate / 10, n - rate / 10, delay);
      t.ok(lsd <= 8, `${rate} Hz: log-spectral distance ${lsd.toFixed(1)} dB <= 8`);
    }
  });

  t.test(`${backend}: complexity is applied (bitstream changes, both decode)`, async (t) => {
    const speech = speech16k();
    const low = roundTrip(backend, speech, 16000, 16000, 0);
    const high = roundTrip(backend, speech, 16000, 16000, 10);
    let differ = 0;
    for (let i = 0; i < low.sizes.length; i++) if (low.sizes[i] !== high.sizes[i]) differ++;
    t.ok(differ > low.sizes.length / 10, `${differ}/${low.sizes.length} packet sizes differ between complexity 0 and 10`);
    t.throws(() => new OpusEncoder({ backend, complexity: 11 }), RangeError, 'complexity 11 is refused');
  });

  t.test(`${backend}: packet loss is concealed, not silenced; FEC decode is not offered`, async (t) => {
    const pcm = tone(9600, 48000, 440, -12);
    const enc = new OpusEncoder({ backend, inbandFec: true, packetLossPerc: 20 });
    const dec = new OpusDecoder({ backend, sampleRate: 16000 });
    const packet = new Uint8Array(1500);
    const out = new Int16Array(960);
    for (let f = 0; f < 9; f++) dec.decode(packet, 0, enc.encode(pcm, f * 960, 960, packet, 0), out, 0);
    t.equal(dec.conceal(out, 0, 320), 320, '20 ms concealed');
    const g = goertzelDb(out, 16000, 440, 0, 320);
    t.ok(g > -20, `concealment continues the 440 Hz tone (${g.toFixed(1)} dBFS; input -12)`);
    t.equal(dec.conceal(out, 0, 100), -1, 'a duration that is not a multiple of 2.5 ms is refused');
    t.equal(dec.conceal(out, 0, 80), 80, '5 ms concealment (shorter than the packets) works');
    const fresh = new OpusDecoder({ backend });
    const z = new Int16Array(960).fill(7);
    t.equal(fresh.conceal(z, 0, 960), 960);
    t.equal(rms(z), 0, 'before any packet, concealment is silence');
    fresh.close();
    enc.close();
    dec.close();
  });

  t.test(`${backend}: DTX sends nothing in silence; corrupt payloads return an error code`, async (t) => {
    const enc = new OpusEncoder({ backend, dtx: true });
    const silence = new Int16Array(960);
    const packet = new Uint8Array(1500);
    const sizes: number[] = [];
    for (let f = 0; f < 50; f++) sizes.push(enc.encode(silence, 0, 960, packet, 0));
    t.ok(sizes.filter((s) => s === 0).length >= 25, `most silent frames are DTX (sizes ${[...new Set(sizes)].join(',')})`);
    t.equal(enc.encode(silence, 0, 100, packet, 0), -1, 'an invalid frame size is refused');
    enc.close();
    t.equal(enc.encode(silence, 0, 960, packet, 0), -3, 'encode after close');
    const dec = new OpusDecoder({ backend });
    const out = new Int16Array(5760);
    const bad = new Uint8Array([0xff, 0xff, 0xff]); // code 3 with an impossible frame count
    t.ok(dec.decode(bad, 0, 3, out, 0) < 0, 'corrupt packet → negative code');
    t.equal(dec.decode(bad, 0, 0, out, 0), -4, 'empty payload → PAYLOAD');
    dec.close();
  });
}
