/**
 * Differential test of the native jitter buffer (native/src/jitter/, driven through jitterProbe*)
 * against the TypeScript reference src/jitter/JitterBuffer.ts: the same packet trace, put() at the same
 * arrival times and get() at the same playout times, must give
 *  - G.711 µ-law and A-law: BIT-EXACT output PCM, the same FrameKind for every frame and every one of
 *    the 21 JitterStats fields equal (===) after every get() (both engines decode G.711 with the same
 *    Appendix I PLC, test/unit/native/codecKernels.test.ts);
 *  - Opus (TS: @discordjs/opus through src/codec/opus.ts; native: the system libopus, another build and
 *    another concealment call): the same frame kinds and the same packet-level statistics, and an output
 *    SNR of at least OPUS_SNR_DB against the TS output (the decoders may differ in the last bits).
 * Traces are generated from real speech with a seeded PRNG: clean, reordered, lossy (5 % + bursts, plus
 * corrupt payloads), duplicates, DTX with RFC 3389 CN packets, SSRC change, timestamp jump, sender clock
 * drift ±1 %, jittery arrival (0–80 ms), 10 ms packets into 10 ms frames, sequence/timestamp wrap. Each
 * trace also checks that it exercised the rule it is named after (a counter moved), so a trace that
 * stops covering its path fails instead of passing vacuously.
 */
import t from 'tap';
import { loadNative } from '../../../src/native/addon';
import { G711Decoder, LINEAR_TO_ALAW, LINEAR_TO_ULAW } from '../../../src/codec/g711';
import { OpusDecoder } from '../../../src/codec/opus';
import type { AudioDecoder } from '../../../src/codec/types';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { JitterStats } from '../../../src/jitter/JitterStats';
import { FrameKind, type JitterBufferOptions } from '../../../src/jitter/types';
import { parseRtp, RtpVerdict, RtpView, writeRtpHeader } from '../../../src/media/rtp';
import { prng } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';
import type { JitterProbeHandle, JitterProbeOptions, WhisperdNative } from '../../../native/index';

const loaded = loadNative();
if (loaded === null || typeof loaded.jitterProbeCreate !== 'function') {
  t.fail('the native addon with the jitter probe does not load (build it: make native)');
  process.exit(1);
}
type Required<T> = { [K in keyof T]-?: NonNullable<T[K]> };
const n = loaded as Required<WhisperdNative>;

/** jitter::Stats order (native/src/jitter/jitter_buffer.h) = JitterStats field order. */
const STAT_FIELDS = [
  'packetsReceived',
  'packetsDiscarded',
  'packetsLost',
  'packetsDuplicated',
  'totalSamplesReceived',
  'concealedSamples',
  'silentConcealedSamples',
  'concealmentEvents',
  'insertedSamplesForDeceleration',
  'removedSamplesForAcceleration',
  'silenceSamples',
  'jitterBufferDelay',
  'jitterBufferTargetDelay',
  'jitterBufferEmittedCount',
  'jitter',
  'currentDelayMs',
  'targetDelayMs',
  'flushes',
  'ssrcChanges',
  'resyncs',
  'decodeErrors',
] as const satisfies ReadonlyArray<keyof JitterStats>;
type StatName = (typeof STAT_FIELDS)[number];

/** Opus outputs must agree to at least this SNR (dB, whole trace, TS output as the reference). */
const OPUS_SNR_DB = 30;

t.test('the native Stats layout is JitterStats field for field', async (t) => {
  t.same(Object.keys(new JitterStats()), [...STAT_FIELDS], 'same names, same order');
  const h = n.jitterProbeCreate(0, 8000, 8000);
  t.equal(n.jitterProbeStats(h, new Float64Array(STAT_FIELDS.length)), 0);
  t.equal(n.jitterProbeStats(h, new Float64Array(STAT_FIELDS.length - 1)), -2, 'SPACE for a short stats array');
  t.equal(n.jitterProbeGet(h, new Int16Array(159), 0), -2, 'SPACE for a short frame');
  t.equal(n.jitterProbePut(h, new Uint8Array(8), 8, 0), RtpVerdict.TOO_SHORT, 'a non-RTP datagram is not fed');
  t.throws(() => n.jitterProbeCreate(0, 8000, 8000, { frameMs: 15 }), RangeError, 'frameMs must be 10 or 20');
  t.throws(() => n.jitterProbeCreate(7, 8000, 8000), RangeError, 'unknown codec id');
  n.destroy(h);
  t.equal(n.jitterProbeGet(h, new Int16Array(160), 0), -3, 'CLOSED after destroy');
});

// ---- trace generation ----------------------------------------------------------------------------------

interface Pkt {
  d: Uint8Array;
  arrivalMs: number;
}

interface TraceSpec {
  name: string;
  seed: number;
  /** Audio length, seconds. */
  seconds: number;
  ptimeMs?: number;
  frameMs?: number;
  seq0?: number;
  ts0?: number;
  /** Random loss probability per packet. */
  loss?: number;
  /** A burst of 3..8 lost packets with this probability per packet. */
  burst?: number;
  /** A payload the decoder rejects (1000 bytes, or empty) instead of the audio, probability per packet. */
  corrupt?: number;
  /** Probability that a packet swaps places with the next one; displaced by up to 3 packets otherwise. */
  reorder?: number;
  dup?: number;
  /** Extra network delay of source packet k, ms. */
  jitterMs?: (rnd: () => number, k: number) => number;
  /** Sender clock error: +0.01 = the sender's 20 ms last 19.8 ms of wall time. */
  drift?: number;
  /** Silent frames are not sent: a CN packet (PT 13) starts each silence and repeats every 10 frames. */
  dtx?: boolean;
  /** Packet index where the SSRC (and sequence/timestamp base) changes. */
  ssrcChangeAt?: number;
  /** Packet index where the timestamp jumps by 5,000,000 on the same SSRC. */
  tsJumpAt?: number;
  /** A counter that must move (the rule this trace is about). */
  expect: (s: Record<StatName, number>, kinds: FrameKind[]) => string | null;
}

type Law = 'ulaw' | 'alaw';

function encodeG711(pcm: Int16Array, law: Law): Uint8Array {
  const table = law === 'ulaw' ? LINEAR_TO_ULAW : LINEAR_TO_ALAW;
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i]! & 0xffff]!;
  return out;
}

function frameRms(pcm: Int16Array, from: number, len: number): number {
  let s = 0;
  for (let i = from; i < from + len; i++) s += pcm[i]! * pcm[i]!;
  return Math.sqrt(s / len);
}

function datagram(pt: number, marker: boolean, seq: number, ts: number, ssrc: number, payload: Uint8Array): Uint8Array {
  const d = new Uint8Array(12 + payload.length);
  writeRtpHeader(d, 0, pt, marker, seq & 0xffff, ts >>> 0, ssrc >>> 0);
  d.set(payload, 12);
  return d;
}

/**
 * The packets of one trace, sorted by arrival. `payloadOf(k)` gives the encoded audio of source frame k
 * (ptime each) and `pcm` the source at 8 kHz (for the DTX decision and CN level); `tsPerPacket` the
 * RTP timestamp step.
 */
function makeTrace(
  spec: TraceSpec,
  pcm: Int16Array,
  payloadOf: (k: number) => Uint8Array,
  tsPerPacket: number,
  pt: number,
): Pkt[] {
  const rnd = prng(spec.seed);
  const ptime = spec.ptimeMs ?? 20;
  const n8 = (8000 * ptime) / 1000;
  const count = Math.floor((spec.seconds * 1000) / ptime);
  let ssrc = (0x10000000 + Math.floor(rnd() * 0x6fffffff)) >>> 0;
  let seq = spec.seq0 ?? Math.floor(rnd() * 65536);
  let ts = spec.ts0 ?? Math.floor(rnd() * 4294967296);
  const sent: Array<Pkt & { idx: number }> = [];
  let silentRun = 0;
  let burstLeft = 0;
  let marker = true;
  for (let k = 0; k < count; k++) {
    if (k === spec.ssrcChangeAt) {
      ssrc = (ssrc ^ 0x5a5a5a5a) >>> 0;
      seq = Math.floor(rnd() * 65536);
      ts = Math.floor(rnd() * 4294967296);
      marker = true;
    }
    if (k === spec.tsJumpAt) ts += 5_000_000;
    const sendMs = (k * ptime) / (1 + (spec.drift ?? 0));
    const net = 10 + (spec.jitterMs ? spec.jitterMs(rnd, k) : 0);
    let d: Uint8Array | null = null;
    if (spec.dtx && frameRms(pcm, k * n8, n8) < 300) {
      if (silentRun % 10 === 0) {
        const level = Math.max(0, Math.min(127, Math.round(-20 * Math.log10(Math.max(1, frameRms(pcm, k * n8, n8)) / 32767))));
        // Every third CN packet of a trace is empty (no level byte): the last level stays.
        const payload = sent.length % 3 === 2 ? new Uint8Array(0) : Uint8Array.of(level);
        d = datagram(13, false, seq, ts, ssrc, payload);
      }
      silentRun++;
      if (d === null) {
        ts = (ts + tsPerPacket) >>> 0;
        continue; // DTX: nothing sent, the sequence number is not used
      }
    } else {
      if (silentRun > 0) marker = true;
      silentRun = 0;
      let payload = payloadOf(k);
      if (spec.corrupt !== undefined && rnd() < spec.corrupt) payload = rnd() < 0.5 ? new Uint8Array(1000) : new Uint8Array(0);
      d = datagram(pt, marker, seq, ts, ssrc, payload);
      marker = false;
    }
    seq = (seq + 1) & 0xffff;
    ts = (ts + tsPerPacket) >>> 0;
    if (burstLeft > 0) {
      burstLeft--;
      continue;
    }
    if (spec.burst !== undefined && rnd() < spec.burst) {
      burstLeft = 2 + Math.floor(rnd() * 6);
      continue;
    }
    if (spec.loss !== undefined && rnd() < spec.loss) continue;
    sent.push({ d, arrivalMs: sendMs + net, idx: sent.length });
    if (spec.dup !== undefined && rnd() < spec.dup) sent.push({ d, arrivalMs: sendMs + net + rnd() * 60, idx: sent.length });
  }
  if (spec.reorder !== undefined) {
    for (let i = 0; i + 1 < sent.length; i++) {
      if (rnd() >= spec.reorder) continue;
      const j = Math.min(sent.length - 1, i + 1 + Math.floor(rnd() * 3));
      const a = sent[i]!.arrivalMs;
      sent[i]!.arrivalMs = sent[j]!.arrivalMs;
      sent[j]!.arrivalMs = a;
    }
  }
  sent.sort((a, b) => a.arrivalMs - b.arrivalMs || a.idx - b.idx);
  return sent;
}

// ---- running both engines ------------------------------------------------------------------------------

interface Outcome {
  /** First divergence, or null. */
  diff: string | null;
  frames: number;
  tsOut: Int16Array;
  nativeOut: Int16Array;
  kinds: FrameKind[];
  stats: Record<StatName, number>;
}

function statsOf(jb: JitterBuffer): Record<StatName, number> {
  const r = {} as Record<StatName, number>;
  for (const f of STAT_FIELDS) r[f] = jb.stats[f];
  return r;
}

/**
 * put()/get() the trace through both buffers; get() every frameMs (plus up to 1.5 ms of scheduling
 * noise, seeded) until 1 s after the last arrival. `exact`: compare PCM sample for sample and every stat;
 * otherwise compare the kinds and `compared` stats only.
 */
function run(
  pkts: Pkt[],
  decoder: AudioDecoder,
  clockRate: number,
  codecId: number,
  opts: JitterProbeOptions,
  seed: number,
  compared: readonly StatName[],
  exact: boolean,
): Outcome {
  const tsJb = new JitterBuffer({ clockRate, decoder, ...opts } as JitterBufferOptions);
  const h: JitterProbeHandle = n.jitterProbeCreate(codecId, clockRate, decoder.sampleRate, opts);
  const F = tsJb.frameSamples;
  const frameMs = tsJb.frameMs;
  const last = pkts.length > 0 ? pkts[pkts.length - 1]!.arrivalMs : 0;
  const frames = Math.ceil((last + 1000) / frameMs);
  const tsOut = new Int16Array(frames * F);
  const nativeOut = new Int16Array(frames * F);
  const frame = new Int16Array(F);
  const ns = new Float64Array(STAT_FIELDS.length);
  const view = new RtpView();
  const rnd = prng(seed ^ 0x9e3779b9);
  const kinds: FrameKind[] = [];
  let diff: string | null = null;
  let next = 0;
  try {
    for (let j = 0; j < frames && diff === null; j++) {
      const now = 0.37 + j * frameMs + rnd() * 1.5;
      while (next < pkts.length && pkts[next]!.arrivalMs <= now) {
        const { d, arrivalMs } = pkts[next++]!;
        if (parseRtp(d, d.length, view) !== RtpVerdict.OK) throw new Error('bad test packet');
        tsJb.put(d, view, arrivalMs);
        const r = n.jitterProbePut(h, d, d.length, arrivalMs);
        if (r !== 0) diff = `packet ${next - 1}: jitterProbePut returned ${r}`;
      }
      const kt = tsJb.get(tsOut, j * F, now);
      const kn = n.jitterProbeGet(h, frame, now);
      nativeOut.set(frame, j * F);
      kinds.push(kt);
      if (kt !== kn) diff ??= `frame ${j} (t=${now.toFixed(2)}): kind TS ${FrameKind[kt]} native ${kn}`;
      if (exact && diff === null) {
        for (let i = 0; i < F; i++) {
          if (tsOut[j * F + i] !== frame[i]) {
            diff = `frame ${j} (t=${now.toFixed(2)}) sample ${i}: TS ${tsOut[j * F + i]} native ${frame[i]}`;
            break;
          }
        }
      }
      n.jitterProbeStats(h, ns);
      for (const f of compared) {
        const k = STAT_FIELDS.indexOf(f);
        if (diff === null && ns[k] !== tsJb.stats[f]) diff = `frame ${j} (t=${now.toFixed(2)}): ${f} TS ${tsJb.stats[f]} native ${ns[k]}`;
      }
    }
  } finally {
    n.destroy(h);
  }
  return { diff, frames, tsOut, nativeOut, kinds, stats: statsOf(tsJb) };
}

const count = (kinds: FrameKind[], k: FrameKind) => kinds.filter((x) => x === k).length;
const moved = (s: Record<StatName, number>, f: StatName, min = 1) => (s[f] >= min ? null : `${f} = ${s[f]} < ${min}`);

const TRACES: TraceSpec[] = [
  { name: 'clean', seed: 1, seconds: 8, expect: (s) => (s.totalSamplesReceived >= 8 * 8000 - 160 ? null : `only ${s.totalSamplesReceived} samples decoded`) },
  { name: 'reordered', seed: 2, seconds: 10, reorder: 0.1, jitterMs: (r) => r() * 10, expect: (s) => moved(s, 'packetsDiscarded') ?? moved(s, 'concealmentEvents') },
  { name: 'lossy 5 % + bursts + corrupt payloads', seed: 3, seconds: 12, loss: 0.05, burst: 0.01, corrupt: 0.01, jitterMs: (r) => r() * 20, expect: (s) => moved(s, 'packetsLost', 20) ?? moved(s, 'concealmentEvents', 10) ?? moved(s, 'decodeErrors') },
  { name: 'duplicates', seed: 4, seconds: 10, dup: 0.08, jitterMs: (r) => r() * 15, expect: (s) => moved(s, 'packetsDuplicated', 10) },
  { name: 'DTX with CN packets', seed: 5, seconds: 20, dtx: true, jitterMs: (r) => r() * 20, expect: (s, k) => moved(s, 'silenceSamples', 8000) ?? (count(k, FrameKind.SILENCE) > 20 ? null : 'few SILENCE frames') },
  { name: 'SSRC change', seed: 6, seconds: 10, ssrcChangeAt: 240, jitterMs: (r) => r() * 10, expect: (s) => (s.ssrcChanges === 1 ? null : `ssrcChanges ${s.ssrcChanges}`) },
  { name: 'timestamp jump', seed: 7, seconds: 10, tsJumpAt: 260, jitterMs: (r) => r() * 10, expect: (s) => moved(s, 'resyncs') },
  { name: 'sender clock +1 %', seed: 8, seconds: 20, drift: 0.01, jitterMs: (r) => r() * 5, expect: (s) => moved(s, 'removedSamplesForAcceleration', 160) },
  // A slow sender: the buffer holds (conceals without advancing) to let its delay grow.
  { name: 'sender clock -1 %', seed: 9, seconds: 20, drift: -0.01, jitterMs: (r) => r() * 5, expect: (s) => moved(s, 'concealedSamples', 800) },
  // The path delay steps up from 10-15 ms to 50-90 ms at 4 s: the target rises over the playout delay
  // while packets are still on time, so frames are inserted (deceleration), and taken out again later.
  {
    name: 'path delay step',
    seed: 14,
    seconds: 12,
    jitterMs: (r, k) => (k >= 200 ? 40 + r() * 40 : r() * 5),
    expect: (s) => moved(s, 'insertedSamplesForDeceleration', 160) ?? moved(s, 'removedSamplesForAcceleration', 160),
  },
  {
    name: 'jittery arrival 0-80 ms',
    seed: 10,
    seconds: 15,
    jitterMs: (r) => r() * 80,
    expect: (s) => moved(s, 'jitterBufferTargetDelay') ?? (s.jitter > 0.005 ? null : `jitter ${s.jitter}`),
  },
  {
    name: 'jitter spikes, loss and DTX over a seq/ts wrap',
    seed: 11,
    seconds: 15,
    seq0: 65000,
    ts0: 4294967296 - 30000,
    loss: 0.03,
    dtx: true,
    jitterMs: (r) => (r() < 0.03 ? 150 + r() * 200 : r() * 30),
    expect: (s) => moved(s, 'concealmentEvents'),
  },
  { name: '10 ms packets into 10 ms frames', seed: 12, seconds: 8, ptimeMs: 10, frameMs: 10, loss: 0.03, jitterMs: (r) => r() * 40, expect: (s) => moved(s, 'concealmentEvents') },
  { name: '40 ms packets into 20 ms frames', seed: 13, seconds: 8, ptimeMs: 40, loss: 0.03, jitterMs: (r) => r() * 40, expect: (s) => moved(s, 'concealmentEvents') },
];

const speech = speech8k();

for (const law of ['ulaw', 'alaw'] as const) {
  t.test(`G.711 ${law}: native output and stats are bit-exact with the TS reference`, async (t) => {
    for (const spec of TRACES) {
      const ptime = spec.ptimeMs ?? 20;
      const n8 = (8000 * ptime) / 1000;
      // A different stretch of the 26 s of speech per trace.
      const from = (spec.seed * 8191) % (speech.length - spec.seconds * 8000 - 1);
      const pcm = speech.subarray(from, from + spec.seconds * 8000 + n8);
      const coded = encodeG711(pcm, law);
      const pkts = makeTrace(spec, pcm, (k) => coded.subarray(k * n8, (k + 1) * n8), n8, law === 'ulaw' ? 0 : 8);
      const opts: JitterProbeOptions = spec.frameMs !== undefined ? { frameMs: spec.frameMs } : {};
      const o = run(pkts, new G711Decoder(law), 8000, law === 'ulaw' ? 0 : 8, opts, spec.seed, STAT_FIELDS, true);
      t.equal(o.diff, null, `${spec.name}: ${o.frames} frames, ${pkts.length} packets identical (PCM, kinds, all stats)`);
      t.equal(spec.expect(o.stats, o.kinds), null, `${spec.name}: the trace exercises its rule`);
      t.comment(`${spec.name}: ${JSON.stringify(o.stats)}`);
    }
  });
}

t.test('Opus (48 kHz RTP clock, 8 kHz decode): same kinds and packet stats, output SNR bound', async (t) => {
  // Encode the speech once with the native libopus encoder; both decoders get the same payloads.
  const enc = n.codecEncoderCreate('opus', 8000, { complexity: 5, bitrate: 24000 });
  const speechOpus: Uint8Array[] = [];
  const buf = new Uint8Array(1500);
  for (let k = 0; (k + 1) * 160 <= speech.length; k++) {
    const len = n.codecEncode(enc, speech, k * 160, 160, buf, 0);
    if (len <= 0) throw new Error(`opus encode ${len}`);
    speechOpus.push(buf.slice(0, len));
  }
  n.destroy(enc);
  // Stats decided by packet timing only; the PCM-dependent ones (silentConcealedSamples, and the
  // quiet/loud choices behind the stretch counters) are covered by the kinds and the SNR bound.
  const compared: StatName[] = ['packetsReceived', 'packetsDiscarded', 'packetsLost', 'packetsDuplicated', 'totalSamplesReceived', 'flushes', 'ssrcChanges', 'resyncs', 'decodeErrors', 'jitter'];
  for (const spec of TRACES.filter((s) => (s.ptimeMs ?? 20) === 20).map((s) => ({ ...s, corrupt: undefined }))) {
    const from = ((spec.seed * 8191) % (speech.length - spec.seconds * 8000 - 1)) / 160;
    const first = Math.floor(from);
    const pcm = speech.subarray(first * 160, first * 160 + spec.seconds * 8000 + 160);
    const pkts = makeTrace(spec, pcm, (k) => speechOpus[first + k]!, 960, 111);
    const o = run(pkts, new OpusDecoder({ sampleRate: 8000 }), 48000, 111, {}, spec.seed, compared, false);
    t.equal(o.diff, null, `${spec.name}: ${o.frames} frames, same kinds and packet stats`);
    let sig = 0;
    let err = 0;
    for (let i = 0; i < o.tsOut.length; i++) {
      sig += o.tsOut[i]! * o.tsOut[i]!;
      const e = o.tsOut[i]! - o.nativeOut[i]!;
      err += e * e;
    }
    const snr = err === 0 ? Infinity : 10 * Math.log10(sig / err);
    t.ok(snr >= OPUS_SNR_DB, `${spec.name}: native vs TS output SNR ${snr.toFixed(1)} dB >= ${OPUS_SNR_DB} dB`);
  }
});

// ---- random call sequences -------------------------------------------------------------------------------

/**
 * Seeded random put()/get()/reset() sequences with non-default options (tiny stores that overflow, short
 * and zero delays, no concealment limit, odd payload sizes, wild sequence/timestamp steps, SSRC flips,
 * CN, markers): both engines must stay bit-exact, call for call.
 */
t.test('G.711: random call sequences with non-default options stay bit-exact', async (t) => {
  const speechU = encodeG711(speech, 'ulaw');
  const covered = new Set<StatName>();
  for (let c = 0; c < 60; c++) {
    const rnd = prng(1000 + c);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const law: Law = rnd() < 0.5 ? 'ulaw' : 'alaw';
    const minDelayMs = pick([0, 10, 20, 35.5]);
    const opts: JitterProbeOptions = {
      frameMs: pick([10, 20]),
      maxPackets: pick([1, 4, 8, 64]),
      maxPayloadBytes: pick([100, 200, 1500]),
      minDelayMs,
      maxDelayMs: minDelayMs + pick([0, 25, 60, 200]),
      startDelayMs: pick([0, 40, 77.7]),
      cnPayloadType: pick([13, 13, 19]),
      maxConcealMs: pick([0, 30, 100, 1000]),
      silenceRms: pick([0, 100, 2000]),
    };
    const clockRate = pick([8000, 8000, 16000]);
    const tsJb = new JitterBuffer({ clockRate, decoder: new G711Decoder(law), ...opts } as JitterBufferOptions);
    const h = n.jitterProbeCreate(law === 'ulaw' ? 0 : 8, clockRate, 8000, opts);
    const F = tsJb.frameSamples;
    const a = new Int16Array(F);
    const b = new Int16Array(F);
    const ns = new Float64Array(STAT_FIELDS.length);
    const view = new RtpView();
    let now = rnd() * 1000;
    let seq = Math.floor(rnd() * 65536);
    let ts = Math.floor(rnd() * 4294967296);
    let ssrc = 0x1234;
    let src = Math.floor(rnd() * 100000);
    let diff: string | null = null;
    for (let op = 0; op < 800 && diff === null; op++) {
      const r = rnd();
      let what: string;
      if (r < 0.5) {
        const s = rnd();
        seq = (seq + (s < 0.8 ? 1 : s < 0.9 ? 2 + Math.floor(rnd() * 4) : s < 0.95 ? -Math.floor(rnd() * 4) : Math.floor(rnd() * 65536))) & 0xffff;
        const u = rnd();
        const step = (clockRate / 1000) * pick([10, 20, 20, 20, 30, 40]);
        ts = (ts + (u < 0.85 ? step : u < 0.95 ? step * Math.floor(rnd() * 50) : Math.floor(rnd() * 4294967296))) >>> 0;
        if (rnd() < 0.01) ssrc ^= 0x10000;
        const cn = rnd() < 0.05;
        const len = cn ? pick([0, 1, 1, 11]) : pick([160, 160, 160, 80, 240, 320, 0, 1, 161, 999]);
        const payload = new Uint8Array(len);
        if (cn && len > 0) payload[0] = Math.floor(rnd() * 256);
        else for (let i = 0; i < len; i++) payload[i] = speechU[(src + i) % speechU.length]!;
        src += len;
        const d = datagram(cn ? opts.cnPayloadType! : law === 'ulaw' ? 0 : 8, rnd() < 0.05, seq, ts, ssrc, payload);
        now += rnd() < 0.9 ? rnd() * 25 : rnd() * 3000;
        parseRtp(d, d.length, view);
        tsJb.put(d, view, now);
        const p = n.jitterProbePut(h, d, d.length, now);
        what = `put #${op} seq ${seq} ts ${ts} len ${len}${cn ? ' CN' : ''}`;
        if (p !== 0) diff = `${what}: jitterProbePut ${p}`;
      } else if (r < 0.995) {
        now += rnd() < 0.95 ? rnd() * 2 * opts.frameMs! : rnd() * 5000;
        const kt = tsJb.get(a, 0, now);
        const kn = n.jitterProbeGet(h, b, now);
        what = `get #${op} at ${now.toFixed(3)}`;
        if (kt !== kn) diff = `${what}: kind TS ${kt} native ${kn}`;
        for (let i = 0; i < F && diff === null; i++) if (a[i] !== b[i]) diff = `${what}: sample ${i} TS ${a[i]} native ${b[i]}`;
      } else {
        tsJb.reset();
        n.jitterProbeReset(h);
        what = `reset #${op}`;
      }
      n.jitterProbeStats(h, ns);
      STAT_FIELDS.forEach((f, k) => {
        if (diff === null && ns[k] !== tsJb.stats[f]) diff = `${what}: ${f} TS ${tsJb.stats[f]} native ${ns[k]}`;
      });
    }
    n.destroy(h);
    for (const f of STAT_FIELDS) if (tsJb.stats[f] !== 0) covered.add(f);
    if (diff !== null) {
      t.equal(diff, null, `case ${c} (${law}, clock ${clockRate}, ${JSON.stringify(opts)})`);
      return;
    }
  }
  t.pass('60 random sequences of 800 calls: identical PCM, kinds and stats after every call');
  // Every counter moved in at least one case, so every rule behind one was compared.
  t.same(STAT_FIELDS.filter((f) => !covered.has(f)), [], 'every stat field was non-zero in some case');
});
