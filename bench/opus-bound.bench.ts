/**
 * libopus compute bound of one Opus whisper call (issue 10: "Opus whisper calls per core ≥ 80 % of the
 * libopus compute bound measured in the same run"). bench/ratios.js runs it pinned to the daemon's core.
 *
 * One whisper call (customer, agent, supervisor, all Opus, 16 kHz mix) costs per 20 ms frame:
 *   3 decodes (customer, agent, supervisor: every leg feeds a mix) and
 *   2 encodes (the agent's mix = customer + supervisor, the supervisor's mix = customer + agent; the
 *   customer's output is the agent's packets forwarded unchanged, src/mix/CallMixer.ts passthrough).
 * Bound = 1 s of one core / (50 frames × (3 decode + 2 encode)) calls per core, using the libopus kernel
 * cost (ns per N-API call minus the N-API overhead of a call that does nothing, as codec-native.bench.ts
 * does: on a media thread the kernel is called from C++). Everything else a call needs (RTP, jitter
 * buffers, mixing, bleed detector, packet I/O) is left out, so the bound is optimistic by construction.
 *
 * Run:   npx tsc -p /work/main && node dist/bench/opus-bound.bench.js [--json] [--iterations=N] [--rounds=N]
 *        [--complexity=5] [--rate=16000] [--bitrate=24000] [--decodes=3] [--encodes=2]
 */
import { loadNative } from '../src/native/addon';
import type { WhisperdNative } from '../native/index';
import { speechLike, timeCalls } from './lib/frameBench';

const arg = (k: string, d: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${k}=`));
  return a === undefined ? d : Number(a.slice(k.length + 3));
};
const JSON_OUT = process.argv.includes('--json');
const ITER = arg('iterations', 2000);
const ROUNDS = arg('rounds', 5);
const COMPLEXITY = arg('complexity', 5);
const RATE = arg('rate', 16000) as 8000 | 16000 | 48000;
const BITRATE = arg('bitrate', 24000);
const DECODES = arg('decodes', 3);
const ENCODES = arg('encodes', 2);

const loaded = loadNative();
if (loaded === null || typeof loaded.codecDecoderCreate !== 'function') {
  console.error('opus-bound: native addon with the codec kernels missing: run `make native`');
  process.exit(1);
}
const n = loaded as { [K in keyof WhisperdNative]-?: NonNullable<WhisperdNative[K]> };

const FRAMES = 50;
const frame = RATE / 50;
const pcm = speechLike(frame * FRAMES, RATE);
const payload = new Uint8Array(1500);
const out = new Int16Array(5760);

const nop = n.codecEncoderCreate('PCMU', 8000);
const overhead = timeCalls(() => n.codecReset(nop), ITER, ROUNDS, 500).ns;

const enc = n.codecEncoderCreate('opus', RATE, { complexity: COMPLEXITY, bitrate: BITRATE });
const encNs = timeCalls((i) => n.codecEncode(enc, pcm, (i % FRAMES) * frame, frame, payload, 0), ITER, ROUNDS, 500).ns;

const pktEnc = n.codecEncoderCreate('opus', RATE, { complexity: COMPLEXITY, bitrate: BITRATE });
const pkts: Uint8Array[] = [];
for (let f = 0; f < FRAMES; f++) pkts.push(payload.slice(0, n.codecEncode(pktEnc, pcm, f * frame, frame, payload, 0)));
const dec = n.codecDecoderCreate('opus', RATE);
const decNs = timeCalls((i) => {
  const p = pkts[i % FRAMES]!;
  n.codecDecode(dec, p, 0, p.length, out, 0);
}, ITER, ROUNDS, 500).ns;
for (const h of [nop, enc, pktEnc, dec]) n.destroy(h);

const encKernel = Math.max(0, encNs - overhead);
const decKernel = Math.max(0, decNs - overhead);
const perCallNsPerS = 50 * (DECODES * decKernel + ENCODES * encKernel);
const result = {
  what: `libopus ${RATE / 1000} kHz, complexity ${COMPLEXITY}, ${BITRATE} bit/s, 20 ms frames; one call = ${DECODES} decodes + ${ENCODES} encodes per frame`,
  rate: RATE, complexity: COMPLEXITY, bitrate: BITRATE, decodes: DECODES, encodes: ENCODES,
  iterations: ITER, rounds: ROUNDS, node: process.version,
  napi_overhead_ns: overhead, encode_ns: encNs, decode_ns: decNs, encode_kernel_ns: encKernel, decode_kernel_ns: decKernel,
  call_cpu_pct: perCallNsPerS / 1e7,
  calls_per_core: 1e9 / perCallNsPerS,
  calls_per_core_with_napi: 1e9 / (50 * (DECODES * decNs + ENCODES * encNs)),
};
if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  console.log(result.what);
  console.log(`decode ${decNs.toFixed(0)} ns (kernel ≈ ${decKernel.toFixed(0)}), encode ${encNs.toFixed(0)} ns (kernel ≈ ${encKernel.toFixed(0)}), N-API call ${overhead.toFixed(0)} ns`);
  console.log(`one call: ${result.call_cpu_pct.toFixed(3)} % of a core → compute bound ${result.calls_per_core.toFixed(1)} calls per core (${result.calls_per_core_with_napi.toFixed(1)} counting the N-API overhead)`);
}
