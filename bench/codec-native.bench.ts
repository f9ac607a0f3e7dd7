/**
 * Codec kernels of the native media plane vs the TS engine's codecs: ns per 20 ms mono frame.
 *   G.711 (μ-law, A-law) encode / decode / Appendix I concealment: native kernel vs src/codec/g711.ts
 *   Opus encode (complexity 0/5/10, 24 kbit/s) / decode / PLC / FEC recovery at 8, 16, 48 kHz:
 *     native kernel (libopus directly) vs src/codec/opus.ts on @discordjs/opus
 *
 * Run:   npx tsc -p /work/main && node --expose-gc dist/bench/codec-native.bench.js [iterations=2000] [rounds=5]
 * Each figure is the best of `rounds` runs of `iterations` calls (robust against other load).
 *
 * The native figures are measured from JS, so each includes one N-API call (argument checks, typed
 * array access); the row "N-API call overhead" (codecReset on a G.711 encoder, which does nothing)
 * gives that share, and "kernel ≈" subtracts it. On a media thread the kernel is called from C++ and
 * pays none of it. Speed targets live here, never in tests.
 */
import { G711Decoder, G711Encoder } from '../src/codec/g711';
import { OpusDecoder, OpusEncoder, type OpusRate } from '../src/codec/opus';
import { loadNative } from '../src/native/addon';
import type { WhisperdNative } from '../native/index';
import { speechLike, timeCalls } from './lib/frameBench';

const ITER = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 5);
const loaded = loadNative();
if (loaded === null || typeof loaded.codecDecoderCreate !== 'function') {
  console.error('native addon with the codec kernels missing: run `make native`');
  process.exit(1);
}
const n = loaded as { [K in keyof WhisperdNative]-?: NonNullable<WhisperdNative[K]> };

interface Row {
  name: string;
  ns: number;
  bytesPerOp: number;
}
const rows: Row[] = [];

/** Best of ROUNDS runs of ITER calls (the minimum is the least disturbed by other load on the machine). */
function bench(name: string, fn: (i: number) => void): number {
  const { ns, bytesPerOp } = timeCalls(fn, ITER, ROUNDS, 500);
  rows.push({ name, ns, bytesPerOp });
  return ns;
}

const FRAMES = 50;
const out = new Int16Array(5760);
const payload = new Uint8Array(1500);

// Baseline: the cost of one N-API call into the addon with the frame functions' argument shape.
const nop = n.codecEncoderCreate('PCMU', 8000);
const overhead = bench('N-API call overhead (codecReset, no work)', () => n.codecReset(nop));

// ---- G.711 ----
const pcm8 = speechLike(160 * FRAMES, 8000);
for (const law of ['ulaw', 'alaw'] as const) {
  const name = law === 'ulaw' ? 'PCMU' : 'PCMA';
  const tsEnc = new G711Encoder(law);
  const tsDec = new G711Decoder(law);
  const natEnc = n.codecEncoderCreate(name, 8000);
  const natDec = n.codecDecoderCreate(name, 8000);
  const pkts = new Uint8Array(160 * FRAMES);
  tsEnc.encode(pcm8, 0, pcm8.length, pkts, 0);
  bench(`G.711 ${law} encode  TS`, (i) => tsEnc.encode(pcm8, (i % FRAMES) * 160, 160, payload, 0));
  bench(`G.711 ${law} encode  native`, (i) => n.codecEncode(natEnc, pcm8, (i % FRAMES) * 160, 160, payload, 0));
  bench(`G.711 ${law} decode  TS`, (i) => tsDec.decode(pkts, (i % FRAMES) * 160, 160, out, 0));
  bench(`G.711 ${law} decode  native`, (i) => n.codecDecode(natDec, pkts, (i % FRAMES) * 160, 160, out, 0));
  bench(`G.711 ${law} decode+PLC, every 3rd lost  TS`, (i) => {
    if (i % 3 === 0) tsDec.conceal(out, 0, 160);
    else tsDec.decode(pkts, (i % FRAMES) * 160, 160, out, 0);
  });
  bench(`G.711 ${law} decode+PLC, every 3rd lost  native`, (i) => {
    if (i % 3 === 0) n.codecConceal(natDec, out, 0, 160);
    else n.codecDecode(natDec, pkts, (i % FRAMES) * 160, 160, out, 0);
  });
  n.destroy(natEnc);
  n.destroy(natDec);
}

// ---- Opus ----
const pcmByRate: Record<number, Int16Array> = {
  8000: pcm8,
  16000: speechLike(320 * FRAMES, 16000),
  48000: speechLike(960 * FRAMES, 48000),
};
for (const rate of [8000, 16000, 48000] as OpusRate[]) {
  const frame = rate / 50;
  const src = pcmByRate[rate]!;
  const k = `${rate / 1000}k`;
  for (const complexity of [0, 5, 10]) {
    const ts = new OpusEncoder({ backend: 'native', sampleRate: rate, complexity, bitrate: 24000 });
    const nat = n.codecEncoderCreate('opus', rate, { complexity, bitrate: 24000 });
    bench(`Opus ${k} encode c${complexity}  @discordjs/opus`, (i) => ts.encode(src, (i % FRAMES) * frame, frame, payload, 0));
    bench(`Opus ${k} encode c${complexity}  native libopus`, (i) => n.codecEncode(nat, src, (i % FRAMES) * frame, frame, payload, 0));
    ts.close();
    n.destroy(nat);
  }
  // One packet stream (with FEC, so recovery has LBRR to decode) for every decoder.
  const enc = n.codecEncoderCreate('opus', rate, { bitrate: 24000, inbandFec: true, packetLossPerc: 10 });
  const pkts: Uint8Array[] = [];
  for (let f = 0; f < FRAMES; f++) pkts.push(payload.slice(0, n.codecEncode(enc, src, f * frame, frame, payload, 0)));
  n.destroy(enc);
  const tsDec = new OpusDecoder({ backend: 'native', sampleRate: rate });
  const natDec = n.codecDecoderCreate('opus', rate);
  bench(`Opus ${k} decode  @discordjs/opus`, (i) => {
    const p = pkts[i % FRAMES]!;
    tsDec.decode(p, 0, p.length, out, 0);
  });
  bench(`Opus ${k} decode  native libopus`, (i) => {
    const p = pkts[i % FRAMES]!;
    n.codecDecode(natDec, p, 0, p.length, out, 0);
  });
  bench(`Opus ${k} PLC  @discordjs/opus`, () => tsDec.conceal(out, 0, frame));
  bench(`Opus ${k} PLC  native libopus`, () => n.codecConceal(natDec, out, 0, frame));
  bench(`Opus ${k} FEC recover  native libopus (no TS equivalent)`, (i) => {
    const p = pkts[(i + 1) % FRAMES]!;
    n.codecRecover(natDec, p, 0, p.length, out, 0, frame);
  });
  tsDec.close();
  n.destroy(natDec);
}
n.destroy(nop);

const w = Math.max(...rows.map((r) => r.name.length));
console.log(`codec kernels, best of ${ROUNDS} × ${ITER} calls, one thread (${process.version})`);
console.log(`${'path (per 20 ms frame)'.padEnd(w)}  ${'ns'.padStart(9)}  ${'kernel ≈ ns'.padStart(11)}  ${'heap B/op'.padStart(9)}`);
for (const r of rows) {
  const native = r.name.includes('native');
  const kernel = native ? Math.max(0, r.ns - overhead).toFixed(0) : '';
  console.log(
    `${r.name.padEnd(w)}  ${r.ns.toFixed(0).padStart(9)}  ${kernel.padStart(11)}  ${(Number.isNaN(r.bytesPerOp) ? '-' : r.bytesPerOp.toFixed(0)).padStart(9)}`,
  );
}
