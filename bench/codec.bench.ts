/**
 * Codec micro-benchmark: µs per 20 ms mono frame for every encode / decode / conceal / resample path,
 * plus heap growth per frame (should be ~0 for our code; the Opus bindings allocate a result Buffer).
 *
 * Run:   npx tsc -p /work/main && node --expose-gc dist/bench/codec.bench.js [iterations=2000]
 * Speed targets live here, never in tests. Numbers are per single thread on the machine you run on.
 */
import { G711Decoder, G711Encoder } from '../src/codec/g711';
import { G729Decoder, G729Encoder } from '../src/codec/g729';
import { loadNative } from '../src/native/addon';
import { OpusDecoder, OpusEncoder, type OpusBackendName, type OpusRate } from '../src/codec/opus';
import { Resampler } from '../src/codec/resampler';
import { speechLike, timeCalls } from './lib/frameBench';

const ITER = Number(process.argv[2] ?? 2000);
const rows: { name: string; us: number; bytesPerOp: number }[] = [];

function bench(name: string, fn: (i: number) => void): void {
  const { ns, bytesPerOp } = timeCalls(fn, ITER, 1, 200);
  rows.push({ name, us: ns / 1000, bytesPerOp });
}

const FRAMES = 50;
const pcm8 = speechLike(160 * FRAMES, 8000);
const pcm16 = speechLike(320 * FRAMES, 16000);
const pcm48 = speechLike(960 * FRAMES, 48000);
const out = new Int16Array(5760);
const payload = new Uint8Array(1500);

// G.711
for (const law of ['ulaw', 'alaw'] as const) {
  const enc = new G711Encoder(law);
  const dec = new G711Decoder(law);
  const pkts = new Uint8Array(160 * FRAMES);
  for (let f = 0; f < FRAMES; f++) enc.encode(pcm8, f * 160, 160, pkts, f * 160);
  bench(`G.711 ${law} encode`, (i) => enc.encode(pcm8, (i % FRAMES) * 160, 160, payload, 0));
  bench(`G.711 ${law} decode`, (i) => dec.decode(pkts, (i % FRAMES) * 160, 160, out, 0));
  bench(`G.711 ${law} PLC conceal (loss every 3rd)`, (i) => {
    if (i % 3 === 0) dec.conceal(out, 0, 160);
    else dec.decode(pkts, (i % FRAMES) * 160, 160, out, 0);
  });
}

// G.729
const native = loadNative();
if (native !== null) {
  for (const vad of [false, true]) {
    const enc = new G729Encoder(native, { vad });
    bench(`G.729 encode${vad ? ' (VAD)' : ''}`, (i) => enc.encode(pcm8, (i % FRAMES) * 160, 160, payload, 0));
  }
  const enc = new G729Encoder(native);
  const pkts = new Uint8Array(20 * FRAMES);
  for (let f = 0; f < FRAMES; f++) enc.encode(pcm8, f * 160, 160, pkts, f * 20);
  const dec = new G729Decoder(native);
  bench('G.729 decode', (i) => dec.decode(pkts, (i % FRAMES) * 20, 20, out, 0));
  bench('G.729 conceal', () => dec.conceal(out, 0, 160));
} else {
  console.log('native addon missing: G.729 skipped, resampler uses the TS fallback');
}

// Opus
const opusPcm: Record<number, Int16Array> = { 8000: pcm8, 16000: pcm16, 48000: pcm48 };
for (const backend of ['native', 'opusscript'] as OpusBackendName[]) {
  for (const rate of [8000, 16000, 48000] as OpusRate[]) {
    const frame = rate / 50;
    const src = opusPcm[rate]!;
    for (const complexity of [0, 5, 10]) {
      const enc = new OpusEncoder({ backend, sampleRate: rate, complexity, bitrate: 24000 });
      bench(`Opus ${backend} ${rate / 1000}k encode c${complexity}`, (i) => enc.encode(src, (i % FRAMES) * frame, frame, payload, 0));
      enc.close();
    }
    const enc = new OpusEncoder({ backend, sampleRate: rate, bitrate: 24000 });
    const pkts: Uint8Array[] = [];
    for (let f = 0; f < FRAMES; f++) {
      const n = enc.encode(src, f * frame, frame, payload, 0);
      pkts.push(payload.slice(0, n));
    }
    const dec = new OpusDecoder({ backend, sampleRate: rate });
    bench(`Opus ${backend} ${rate / 1000}k decode`, (i) => {
      const p = pkts[i % FRAMES]!;
      dec.decode(p, 0, p.length, out, 0);
    });
    bench(`Opus ${backend} ${rate / 1000}k conceal`, () => dec.conceal(out, 0, frame));
    enc.close();
    dec.close();
  }
}

// Resampling
const pcmByRate: Record<number, Int16Array> = { 8000: pcm8, 16000: pcm16, 48000: pcm48 };
for (const useNative of [true, false]) {
  if (useNative && native === null) continue;
  for (const [a, b] of [[8000, 48000], [48000, 8000], [8000, 16000], [16000, 8000], [16000, 48000], [48000, 16000]] as const) {
    const r = new Resampler(a, b, undefined, useNative ? native : null);
    const frame = a / 50;
    const src = pcmByRate[a]!;
    bench(`resample ${r.backend} ${a / 1000}k→${b / 1000}k`, (i) => r.process(src, (i % FRAMES) * frame, frame, out, 0));
    r.close();
  }
}

const w = Math.max(...rows.map((r) => r.name.length));
console.log(`${'path (per 20 ms frame)'.padEnd(w)}  ${'µs'.padStart(8)}  ${'heap B/op'.padStart(9)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(w)}  ${r.us.toFixed(2).padStart(8)}  ${(Number.isNaN(r.bytesPerOp) ? '-' : r.bytesPerOp.toFixed(0)).padStart(9)}`);
}
