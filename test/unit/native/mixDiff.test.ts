/**
 * Differential test of the native mix core (native/src/mix/call_mix.cc, driven through the inline probe
 * site: mixProbe*) against the TypeScript reference engine src/mix/CallMixer.ts (+ MixInput, MixOutput,
 * jitter buffer, prompts). Both engines get the same participants, the same packet traces at the same
 * arrival times, the same configuration changes and the same virtual clock (a tick every 5 ms; the TS
 * engine's performance.now() is the virtual clock too), and must send the same thing to every
 * participant:
 *  - G.711 with an 8 kHz mix: BIT-EXACT decoded audio of every packet sent, the same packet count, the
 *    same emission times, payload types and markers, and the same RTP header continuity (sequence and
 *    timestamp relative to the first packet of each SSRC; the mix draws its SSRC/seq/ts at random);
 *    telephone-event and CN packets byte for byte; the same output counters, drops, decode errors,
 *    jitter-buffer statistics (all 21) and bleed-tap records;
 *  - also bit-exact with a 16 kHz mix (both engines resample with the addon's speexdsp at quality 6);
 *  - with Opus (TS: @discordjs/opus; native: the system libopus, possibly another build): the same packets
 *    and headers (payload sizes excepted), and the decoded audio within SNR_OPUS_DB (bit-exact on the
 *    machine this was written on, where both libopus builds agree).
 * Each scenario also checks that it exercised what it is named after (a counter moved), so it cannot
 * pass vacuously.
 */
import t, { type Test } from 'tap';
import { loadNative } from '../../../src/native/addon';
import { findCodec } from '../../../src/codec/registry';
import { G711Decoder, LINEAR_TO_ALAW, LINEAR_TO_ULAW } from '../../../src/codec/g711';
import { OpusDecoder, OpusEncoder } from '../../../src/codec/opus';
import { CallMixer, silenceThreshold } from '../../../src/mix/CallMixer';
import { dtmfToneSample } from '../../../src/media/dtmfInject';
import { OutputMode, type MixAudioSink } from '../../../src/mix/types';
import { mediaCounters } from '../../../src/media/counters';
import { parseRtp, RtpVerdict, RtpView, writeRtpHeader } from '../../../src/media/rtp';
import type { RtpEndpoint } from '../../../src/media/RtpEndpoint';
import { JitterStats } from '../../../src/jitter/JitterStats';
import { prng } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';
import type { MixHandle, WhisperdNative } from '../../../native/index';

const loaded = loadNative();
if (loaded === null || typeof loaded.mixProbeCreate !== 'function') {
  t.fail('the native addon with the mix probe does not load (build it: make native)');
  process.exit(1);
}
type Req<T> = { [K in keyof T]-?: NonNullable<T[K]> };
const n = loaded as Req<WhisperdNative>;

const T0 = 1000;
const PT_DTMF = 101;
const SNR_OPUS_DB = 20;

// ---- virtual clock for the TS engine -----------------------------------------------------------------
let vnow = 0;
const realNow = performance.now.bind(performance);
performance.now = () => vnow;
t.teardown(() => {
  performance.now = realNow;
});

// ---- traces ----------------------------------------------------------------------------------------

interface Ev {
  at: number;
  from: number;
  d: Uint8Array;
}

type Law = 'ulaw' | 'alaw' | 'opus' | 'g729';

interface StreamSpec {
  from: number;
  law: Law;
  /** Source audio at 8 kHz. */
  pcm: Int16Array;
  pcmOff: number;
  seed: number;
  startMs: number;
  count: number;
  pt?: number;
  lossP?: number;
  /** Probability that a packet arrives after the next one. */
  swapP?: number;
  dupAt?: number[];
  /** Packet index ranges [from, to) not sent (hold / pause). */
  gaps?: Array<[number, number]>;
  /** Packet index ranges [from, to) in DTX: a CN packet at the start and every 10 packets. */
  dtx?: Array<[number, number]>;
  ssrcChangeAt?: number;
  /** Packet index ranges [from, to) replaced by one telephone-event (RFC 4733) of that length. */
  dtmf?: Array<[number, number]>;
  /** Packet index where the sender restarts its sequence 5 lower (three late-looking packets in a row). */
  restartAt?: number;
  /** Packet index range [from, to) that arrives all at once at `from`'s time (bunched burst). */
  burst?: [number, number];
  /** Extra network delay, ms (random 0..jitterMs). */
  jitterMs?: number;
  /** Sender clock error: +0.01 = the sender's 20 ms last 19.8 ms of wall time. */
  drift?: number;
  /** Packet index where the timestamp jumps by 5,000,000 on the same SSRC. */
  tsJumpAt?: number;
}

function datagram(pt: number, marker: boolean, seq: number, ts: number, ssrc: number, payload: Uint8Array): Uint8Array {
  const d = new Uint8Array(12 + payload.length);
  writeRtpHeader(d, 0, pt, marker, seq & 0xffff, ts >>> 0, ssrc >>> 0);
  d.set(payload, 12);
  return d;
}

function within(k: number, ranges: Array<[number, number]> | undefined): [number, number] | null {
  for (const r of ranges ?? []) if (k >= r[0] && k < r[1]) return r;
  return null;
}

function makeStream(s: StreamSpec): Ev[] {
  const rnd = prng(s.seed);
  const opus = s.law === 'opus';
  const enc = opus
    ? new OpusEncoder({ sampleRate: 16000, complexity: 5, bitrate: 24000 })
    : s.law === 'g729'
      ? findCodec('G729', 8000)!.createEncoder()
      : null;
  const pt = s.pt ?? (opus ? 111 : s.law === 'alaw' ? 8 : s.law === 'g729' ? 18 : 0);
  const table = s.law === 'alaw' ? LINEAR_TO_ALAW : LINEAR_TO_ULAW;
  const tsStep = opus ? 960 : 160;
  let ssrc = (0x10000000 + Math.floor(rnd() * 0x6fffffff)) >>> 0;
  let seq = Math.floor(rnd() * 65536);
  let ts = Math.floor(rnd() * 4294967296);
  let marker = true;
  const evs: Ev[] = [];
  const pcm16 = new Int16Array(320);
  const obuf = new Uint8Array(1500);
  for (let k = 0; k < s.count; k++) {
    if (k === s.ssrcChangeAt) {
      ssrc = (ssrc ^ 0x5a5a5a5a) >>> 0;
      seq = Math.floor(rnd() * 65536);
      ts = Math.floor(rnd() * 4294967296);
      marker = true;
    }
    if (k === s.restartAt) seq = (seq - 5) & 0xffff;
    if (k === s.tsJumpAt) ts = (ts + 5_000_000) >>> 0;
    let at = s.startMs + (k * 20) / (1 + (s.drift ?? 0)) + 5 + (s.jitterMs ? rnd() * s.jitterMs : 0);
    if (s.burst && k >= s.burst[0] && k < s.burst[1]) at = s.startMs + s.burst[0] * 20 + 5;
    const off = s.pcmOff + k * 160;
    let d: Uint8Array | null;
    const dtx = within(k, s.dtx);
    const ev = within(k, s.dtmf);
    if (within(k, s.gaps)) {
      d = null;
      marker = true;
    } else if (dtx) {
      d = (k - dtx[0]) % 10 === 0 ? datagram(13, false, seq, ts, ssrc, Uint8Array.of(60)) : null;
      marker = true;
    } else if (ev) {
      const dur = (k - ev[0] + 1) * 160;
      const end = k === ev[1] - 1 ? 0x80 : 0;
      const evTs = ts - (k - ev[0]) * tsStep;
      d = datagram(PT_DTMF, k === ev[0], seq, evTs, ssrc, Uint8Array.of(5, end | 10, dur >> 8, dur & 0xff));
    } else {
      let payload: Uint8Array;
      if (opus) {
        for (let i = 0; i < 320; i++) pcm16[i] = s.pcm[off + (i >> 1)] ?? 0;
        const bytes = enc!.encode(pcm16, 0, 320, obuf, 0);
        payload = obuf.slice(0, bytes);
      } else if (enc !== null) {
        const bytes = enc.encode(s.pcm.subarray(off, off + 160), 0, 160, obuf, 0);
        payload = obuf.slice(0, bytes);
      } else {
        payload = new Uint8Array(160);
        for (let i = 0; i < 160; i++) payload[i] = table[(s.pcm[off + i] ?? 0) & 0xffff]!;
      }
      d = datagram(pt, marker, seq, ts, ssrc, payload);
      marker = false;
    }
    if (d === null) {
      ts = (ts + tsStep) >>> 0;
      continue;
    }
    seq = (seq + 1) & 0xffff;
    ts = (ts + tsStep) >>> 0;
    if (s.lossP && rnd() < s.lossP) continue;
    if (s.swapP && evs.length > 0 && rnd() < s.swapP) at = evs[evs.length - 1]!.at + 0.5; // after the next one
    evs.push({ at, from: s.from, d });
    if (s.dupAt?.includes(k)) evs.push({ at: at + 1, from: s.from, d });
  }
  enc?.close();
  return evs;
}

// ---- the two engines ---------------------------------------------------------------------------------

interface Sent {
  at: number;
  d: Uint8Array;
}
interface Observed {
  idx: number;
  at: number;
  pcm: number[];
}
interface Mixed {
  idx: number;
  at: number;
  pcm: number[];
  contrib: number[] | null;
  raw: number[] | null;
}
interface Dtmf {
  idx: number;
  at: number;
  d: number[];
}
interface OutStats {
  framesMixed: number;
  framesByTimer: number;
  framesSkipped: number;
  packetsForwarded: number;
  encodeErrors: number;
  mode: number;
}

type PartCodec = 'PCMU' | 'PCMA' | 'G729' | 'opus';
interface Part {
  idx: number;
  codec: PartCodec;
  peer: number;
  /** (M) ParticipantMedia extras: the SDP's other codecs (PT = the codec's static/usual number), CN PT, ptime. */
  also?: PartCodec[];
  cnPt?: number;
  ptime?: number;
  /** telephone-event PT (default PT_DTMF; -1: none). */
  dtmfPt?: number;
}
/** (M) Silence detection of the diff mixes (percent; 0 off). */
let silenceDetect = 0;
const CODEC_ID = { PCMU: 0, PCMA: 8, G729: 18, opus: 111 } as const;
const CLOCK = { PCMU: 8000, PCMA: 8000, G729: 8000, opus: 48000 } as const;

interface Engine {
  /** The clock configuration calls see (TS: performance.now(), already the virtual clock). */
  setNow(at: number): void;
  join(p: Part): void;
  leave(idx: number): void;
  setGain(o: number, i: number, g: number): void;
  reconfigure(): void;
  prewarm(i: number): void;
  observe(i: number): void;
  taps(observed: number[], taps: Array<[number, number]>): void;
  addPrompt(o: number, pcm: Int16Array, repeat: number): void;
  stopPrompts(o: number): number;
  hasPrompts(): boolean;
  setPromptGain(o: number, g: number): void;
  setDest(i: number, has: boolean): void;
  rtp(from: number, d: Uint8Array, at: number): void;
  tick(at: number): void;
  sent: Sent[][];
  dtmf: Dtmf[];
  observed: Observed[];
  mixed: Mixed[];
  finish(): void;
  stats(idx: number): OutStats;
  decodeErrors(idx: number): number;
  jitter(idx: number): number[] | null;
  drops(): number[];
  close(): void;
}

const TAGS = ['c', 'a', 's', 'x'];
const DROPS = [8, 12, 13, 14];

class TsEngine implements Engine {
  sent: Sent[][] = [[], [], [], []];
  dtmf: Dtmf[] = [];
  observed: Observed[] = [];
  mixed: Mixed[] = [];
  readonly mixer: CallMixer;
  private readonly eps: Array<{ remotePort: number }> = [];
  private readonly drops0: number[];
  private readonly view = new RtpView();

  constructor(mixRate: number, parts: Part[]) {
    this.drops0 = DROPS.map((r) => mediaCounters.rawDrops[r]!);
    this.mixer = new CallMixer('diff', mixRate, { complexity: 5, bitrate: 24000 }, null, { silenceDetectPercent: silenceDetect, cnPayload: Uint8Array.of(32) });
    this.mixer.dtmfListener = {
      onDtmf: (tag, buf, _view, fromLatched) => {
        if (fromLatched) this.dtmf.push({ idx: TAGS.indexOf(tag), at: vnow, d: [...buf] });
      },
    };
    for (const p of parts) this.join(p);
  }
  setNow(): void {}
  join(p: Part): void {
    const sent = this.sent[p.idx]!;
    const ep = (this.eps[p.idx] ??= {
      engine: null,
      fromLatchedSource: true,
      remotePort: 4000,
      sendRtp(buf: Uint8Array, len: number): void {
        sent.push({ at: vnow, d: Uint8Array.from(buf.subarray(0, len)) });
      },
      // The mix's own-SSRC packets (RtpEndpoint.sendOwnRtp, 74cd1b7): captured as any other.
      sendOwnRtp(buf: Uint8Array, len: number): void {
        sent.push({ at: vnow, d: Uint8Array.from(buf.subarray(0, len)) });
      },
    } as { remotePort: number });
    this.mixer.setParticipant({
      tag: TAGS[p.idx]!,
      endpoint: ep as unknown as RtpEndpoint,
      codec: findCodec(p.codec, CLOCK[p.codec])!,
      pt: CODEC_ID[p.codec],
      dtmfPt: p.dtmfPt ?? PT_DTMF,
      peerTag: p.peer >= 0 ? TAGS[p.peer]! : '',
      alsoSends: (p.also ?? []).map((c) => ({ pt: CODEC_ID[c], codec: findCodec(c, CLOCK[c])! })),
      cnPt: p.cnPt ?? -1,
      ptime: p.ptime ?? 0,
    });
  }
  leave(idx: number): void {
    this.mixer.removeParticipant(TAGS[idx]!);
  }
  setGain(o: number, i: number, g: number): void {
    this.mixer.setGain(TAGS[o]!, TAGS[i]!, g);
  }
  reconfigure(): void {
    this.mixer.reconfigure();
  }
  prewarm(i: number): void {
    this.mixer.prewarm(TAGS[i]!);
  }
  observe(i: number): void {
    this.mixer.observe(TAGS[i]!);
  }
  taps(observed: number[], taps: Array<[number, number]>): void {
    const sink: MixAudioSink = {
      onObserved: (tag, pcm, off, k, at) => this.observed.push({ idx: TAGS.indexOf(tag), at, pcm: [...pcm.subarray(off, off + k)] }),
      onMixed: (tag, _src, pcm, k, contrib, raw, at) =>
        this.mixed.push({
          idx: TAGS.indexOf(tag),
          at,
          pcm: [...pcm.subarray(0, k)],
          contrib: contrib ? [...contrib.subarray(0, k)] : null,
          raw: raw ? [...raw.subarray(0, k)] : null,
        }),
    };
    this.mixer.setTaps(
      'bleed',
      sink,
      observed.map((i) => TAGS[i]!),
      new Map(taps.map(([o, s]) => [TAGS[o]!, TAGS[s]!])),
    );
  }
  addPrompt(o: number, pcm: Int16Array, repeat: number): void {
    this.mixer.addPrompt(TAGS[o]!, pcm, repeat);
  }
  stopPrompts(o: number): number {
    return this.mixer.stopPrompts(TAGS[o]!);
  }
  hasPrompts(): boolean {
    return this.mixer.hasPrompts();
  }
  setPromptGain(o: number, g: number): void {
    this.mixer.output(TAGS[o]!)!.promptGain = g;
  }
  setDest(i: number, has: boolean): void {
    this.eps[i]!.remotePort = has ? 4000 : 0;
  }
  rtp(from: number, d: Uint8Array, at: number): void {
    if (parseRtp(d, d.length, this.view) !== RtpVerdict.OK) throw new Error('bad trace packet');
    this.mixer.onRtp(this.eps[from] as unknown as RtpEndpoint, Buffer.from(d), this.view, at);
  }
  tick(at: number): void {
    this.mixer.tick(at);
  }
  finish(): void {}
  stats(idx: number): OutStats {
    const o = this.mixer.output(TAGS[idx]!)!;
    return {
      framesMixed: o.framesMixed,
      framesByTimer: o.framesByTimer,
      framesSkipped: o.framesSkipped,
      packetsForwarded: o.packetsForwarded,
      encodeErrors: o.encodeErrors,
      mode: o.mode as number,
    };
  }
  decodeErrors(idx: number): number {
    return this.mixer.input(TAGS[idx]!)!.decodeErrors;
  }
  jitter(idx: number): number[] | null {
    const b = this.mixer.input(TAGS[idx]!)!.buffered;
    if (!b) return null;
    const s = b.jb.stats as unknown as Record<string, number>;
    return Object.keys(new JitterStats()).map((k) => s[k]!);
  }
  drops(): number[] {
    return DROPS.map((r, i) => mediaCounters.rawDrops[r]! - this.drops0[i]!);
  }
  close(): void {
    this.mixer.close();
  }
}

class NativeEngine implements Engine {
  sent: Sent[][] = [[], [], [], []];
  dtmf: Dtmf[] = [];
  observed: Observed[] = [];
  mixed: Mixed[] = [];
  readonly m: MixHandle;

  constructor(mixRate: 8000 | 16000, parts: Part[]) {
    this.m = n.mixProbeCreate(mixRate, 5, 24000);
    n.mixSetTranscodeOptions!(this.m, silenceThreshold(silenceDetect), Uint8Array.of(32));
    for (const p of parts) this.join(p);
  }
  setNow(at: number): void {
    n.mixProbeSetNow(this.m, at);
  }
  join(p: Part): void {
    const also = new Float64Array((p.also ?? []).flatMap((c) => [CODEC_ID[c], CODEC_ID[c], CLOCK[c]]));
    const rc = n.mixSetParticipant(this.m, p.idx, CODEC_ID[p.codec], CLOCK[p.codec], CODEC_ID[p.codec], p.dtmfPt ?? PT_DTMF, p.peer, p.cnPt ?? -1, p.ptime ?? 0, also);
    if (rc !== 0) throw new Error(`mixSetParticipant ${rc}`);
  }
  leave(idx: number): void {
    n.mixRemoveParticipant(this.m, idx);
  }
  setGain(o: number, i: number, g: number): void {
    n.mixSetGain(this.m, o, i, g);
  }
  reconfigure(): void {
    n.mixReconfigure(this.m);
  }
  prewarm(i: number): void {
    n.mixPrewarm(this.m, i);
  }
  observe(i: number): void {
    n.mixObserve(this.m, i);
  }
  taps(observed: number[], taps: Array<[number, number]>): void {
    for (const i of observed) n.mixSetObserved(this.m, i, true);
    for (const [o, s] of taps) n.mixSetTap(this.m, o, s);
  }
  addPrompt(o: number, pcm: Int16Array, repeat: number): void {
    n.mixAddPrompt(this.m, o, pcm, repeat);
  }
  stopPrompts(o: number): number {
    return n.mixStopPrompts(this.m, o);
  }
  hasPrompts(): boolean {
    return n.mixHasPrompts(this.m);
  }
  setPromptGain(o: number, g: number): void {
    n.mixSetPromptGain(this.m, o, g);
  }
  setDest(i: number, has: boolean): void {
    n.mixProbeSetDestination(this.m, i, has);
  }
  rtp(from: number, d: Uint8Array, at: number): void {
    if (n.mixProbeRtp(this.m, from, d, d.length, at, true) !== 0) throw new Error('mixProbeRtp refused a trace packet');
  }
  tick(at: number): void {
    n.mixProbeTick(this.m, at);
  }
  finish(): void {
    const buf = new Uint8Array(1 << 20);
    const dv = new DataView(buf.buffer);
    for (;;) {
      const len = n.mixProbeDrain(this.m, buf);
      if (len <= 0) break;
      for (let off = 0; off < len; ) {
        const size = dv.getUint32(off, true);
        const type = dv.getUint16(off + 4, true);
        const idx = buf[off + 6]!;
        const flags = buf[off + 7]!;
        const cnt = dv.getUint32(off + 12, true);
        const at = dv.getFloat64(off + 16, true);
        const p = off + 24;
        const i16 = (k: number): number[] => [...new Int16Array(buf.buffer.slice(p + k * cnt * 2, p + (k + 1) * cnt * 2))];
        if (type === 1) this.sent[idx]!.push({ at, d: buf.slice(p, p + cnt) });
        else if (type === 2 && (flags & 1) !== 0) this.dtmf.push({ idx, at, d: [...buf.subarray(p, p + cnt)] });
        else if (type === 3) this.observed.push({ idx, at, pcm: i16(0) });
        else if (type === 4) this.mixed.push({ idx, at, pcm: i16(0), contrib: flags & 1 ? i16(1) : null, raw: flags & 1 ? i16(2) : null });
        off += size;
      }
    }
  }
  stats(idx: number): OutStats {
    const s = new Float64Array(n.MIX_STATS_SIZE);
    n.mixStats(this.m, idx, s);
    return { framesMixed: s[0]!, framesByTimer: s[1]!, framesSkipped: s[2]!, packetsForwarded: s[3]!, encodeErrors: s[4]!, mode: s[5]! };
  }
  decodeErrors(idx: number): number {
    const s = new Float64Array(n.MIX_STATS_SIZE);
    n.mixStats(this.m, idx, s);
    return s[6]!;
  }
  jitter(idx: number): number[] | null {
    const s = new Float64Array(n.MIX_STATS_SIZE);
    n.mixStats(this.m, idx, s);
    return s[7] === 1 ? [...s.subarray(8)] : null;
  }
  drops(): number[] {
    const d = new Float64Array(16);
    n.mixProbeDrops(this.m, d);
    return DROPS.map((r) => d[r]!);
  }
  close(): void {
    n.mixClose(this.m);
  }
}

// ---- the driver ---------------------------------------------------------------------------------------

interface Action {
  at: number;
  run: (e: Engine) => void;
}

interface Scenario {
  mixRate: 8000 | 16000;
  parts: Part[];
  setup: (e: Engine) => void;
  events: Ev[];
  actions: Action[];
  endMs: number;
  /** Tick-free windows [from, to) (an event-loop stall). */
  stalls?: Array<[number, number]>;
}

function drive(e: Engine, sc: Scenario): void {
  vnow = T0;
  e.setNow(T0);
  sc.setup(e);
  const evs = [...sc.events].sort((a, b) => a.at - b.at);
  const acts = [...sc.actions].sort((a, b) => a.at - b.at);
  let ei = 0;
  let ai = 0;
  for (let now = T0; now <= sc.endMs; now += 5) {
    while (ei < evs.length && evs[ei]!.at <= now) {
      const ev = evs[ei++]!;
      vnow = ev.at;
      e.rtp(ev.from, ev.d, ev.at);
    }
    vnow = now;
    if (!(sc.stalls ?? []).some(([a, b]) => now >= a && now < b)) e.tick(now);
    e.setNow(now);
    while (ai < acts.length && acts[ai]!.at <= now) acts[ai++]!.run(e);
  }
  e.finish();
}

function run(sc: Scenario): { ts: TsEngine; nat: NativeEngine } {
  const ts = new TsEngine(sc.mixRate, sc.parts);
  drive(ts, sc);
  const nat = new NativeEngine(sc.mixRate, sc.parts);
  drive(nat, sc);
  return { ts, nat };
}

interface Hdr {
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
}
function hdr(d: Uint8Array): Hdr {
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return { pt: d[1]! & 0x7f, marker: (d[1]! & 0x80) !== 0, seq: dv.getUint16(2), ts: dv.getUint32(4), ssrc: dv.getUint32(8) };
}

/** Per packet: SSRC class (order of first appearance), seq and ts relative to that SSRC's first packet. */
function relHeaders(list: Sent[], withLen: boolean): string[] {
  const first = new Map<number, { cls: number; seq: number; ts: number }>();
  return list.map((p) => {
    const h = hdr(p.d);
    let f = first.get(h.ssrc);
    if (!f) {
      f = { cls: first.size, seq: h.seq, ts: h.ts };
      first.set(h.ssrc, f);
    }
    return `t=${p.at} pt=${h.pt} m=${h.marker ? 1 : 0} ssrc#${f.cls} seq+${(h.seq - f.seq) & 0xffff} ts+${(h.ts - f.ts) >>> 0}${withLen ? ` len=${p.d.length}` : ''}`;
  });
}

function decodeAll(list: Sent[], codec: PartCodec): Int16Array {
  const dec =
    codec === 'opus'
      ? new OpusDecoder({ sampleRate: 16000 })
      : codec === 'G729'
        ? findCodec('G729', 8000)!.createDecoder()
        : new G711Decoder(codec === 'PCMA' ? 'alaw' : 'ulaw');
  const out: number[] = [];
  const buf = new Int16Array(5760);
  for (const p of list) {
    const h = hdr(p.d);
    if (h.pt === PT_DTMF || h.pt === 13) continue;
    const k = dec.decode(p.d, 12, p.d.length - 12, buf, 0);
    for (let i = 0; i < k; i++) out.push(buf[i]!);
  }
  dec.close();
  return Int16Array.from(out);
}

function snrDb(ref: Int16Array, x: Int16Array): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i]! * ref[i]!;
    const d = ref[i]! - (x[i] ?? 0);
    e += d * d;
  }
  return e === 0 ? Infinity : 10 * Math.log10(s / e);
}

/** First index where two lists differ (as strings), -1 if equal. */
function firstDiff(a: string[], b: string[]): number {
  const k = Math.max(a.length, b.length);
  for (let i = 0; i < k; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function compare(t: Test, parts: Part[], r: { ts: TsEngine; nat: NativeEngine }, exact: boolean, snrBound: number): void {
  for (const p of parts) {
    const a = r.ts.sent[p.idx]!;
    const b = r.nat.sent[p.idx]!;
    const who = `output ${TAGS[p.idx]}`;
    t.ok(a.length > 0, `${who}: the reference engine sent something`);
    t.equal(b.length, a.length, `${who}: same packet count`);
    // Opus payload sizes follow the encoder's bits: compared only where the audio must be bit-exact.
    const withLen = exact || p.codec !== 'opus';
    const ha = relHeaders(a, withLen);
    const hb = relHeaders(b, withLen);
    const i = firstDiff(ha, hb);
    t.equal(i, -1, `${who}: same times, PT, marker, SSRC changes, seq and ts steps${i >= 0 ? ` (first difference at #${i}: ts ${ha[i]} / native ${hb[i]})` : ''}`);
    // Non-audio payloads byte for byte.
    const ctl = (l: Sent[]): string[] => l.filter((x) => hdr(x.d).pt === PT_DTMF || hdr(x.d).pt === 13).map((x) => [...x.d.subarray(12)].join(','));
    t.same(ctl(b), ctl(a), `${who}: the same telephone-event and CN payloads`);
    const pa = decodeAll(a, p.codec);
    const pb = decodeAll(b, p.codec);
    if (exact) {
      let d = -1;
      for (let k = 0; k < Math.max(pa.length, pb.length); k++) if (pa[k] !== pb[k]) { d = k; break; }
      t.equal(d, -1, `${who}: bit-exact decoded audio (${pa.length} samples)${d >= 0 ? `, first difference at sample ${d}: ${pa[d]} / ${pb[d]}` : ''}`);
    } else {
      const snr = snrDb(pa, pb);
      t.ok(pa.length === pb.length && snr >= snrBound, `${who}: decoded audio SNR ${snr.toFixed(1)} dB >= ${snrBound} dB (${pa.length}/${pb.length} samples)`);
    }
    t.same(r.nat.stats(p.idx), r.ts.stats(p.idx), `${who}: same output counters`);
    t.equal(r.nat.decodeErrors(p.idx), r.ts.decodeErrors(p.idx), `input ${TAGS[p.idx]}: same decode errors`);
    const ja = r.ts.jitter(p.idx);
    const jb = r.nat.jitter(p.idx);
    t.equal(jb !== null, ja !== null, `input ${TAGS[p.idx]}: jitter buffer on the same inputs`);
    if (ja && jb && exact) t.same(jb, ja, `input ${TAGS[p.idx]}: the same 21 jitter-buffer statistics`);
  }
  t.same(r.nat.drops(), r.ts.drops(), 'same drops (send_error, bad_payload_type, late_or_duplicate, over_rate)');
  t.same(r.nat.dtmf, r.ts.dtmf, 'the same telephone-event reports');
}

// ---- scenarios ----------------------------------------------------------------------------------------

const speech = speech8k();
const C = 0;
const A = 1;
const S = 2;
const PCMU3: Part[] = [
  { idx: C, codec: 'PCMU', peer: A },
  { idx: A, codec: 'PCMU', peer: C },
  { idx: S, codec: 'PCMU', peer: -1 },
];

function tone(hz: number, ms: number, rate: number, amp = 8000): Int16Array {
  const out = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

t.test('two-party passthrough: every packet forwarded as is (DTMF, CN, duplicates, reordering)', async (t) => {
  const sc: Scenario = {
    mixRate: 8000,
    parts: PCMU3.slice(0, 2),
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'ulaw', pcm: speech, pcmOff: 0, seed: 1, startMs: T0, count: 150, swapP: 0.05, dupAt: [20, 21], dtmf: [[40, 46]], dtx: [[80, 100]], jitterMs: 10 }),
      ...makeStream({ from: A, law: 'ulaw', pcm: speech, pcmOff: 40000, seed: 2, startMs: T0 + 7, count: 150, dtmf: [[60, 64]] }),
    ],
    actions: [],
    endMs: T0 + 3200,
  };
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  t.equal(r.ts.stats(A).mode, OutputMode.PASSTHROUGH, 'passthrough throughout');
  t.ok(r.ts.dtmf.length >= 10, 'telephone-events were reported');
  // Not re-stamped: the forwarded packets are the input's own.
  t.same(r.nat.sent[A]![5]!.d, sc.events.filter((e) => e.from === C).sort((a, b) => a.at - b.at)[5]!.d, 'forwarded bytes are the sender’s');
  r.ts.close();
  r.nat.close();
});

function whisper(mixRate: 8000 | 16000, parts: Part[], opus: boolean): Scenario {
  const lawC: Law = opus ? 'opus' : 'ulaw';
  const lawS: Law = parts[S]!.codec === 'opus' ? 'opus' : 'ulaw';
  return {
    mixRate,
    parts,
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.setGain(S, C, 1);
      e.setGain(S, A, 1);
      e.prewarm(S);
      e.observe(C);
      e.taps([C], [[A, S]]);
      e.reconfigure();
    },
    events: [
      ...makeStream({
        from: C,
        law: lawC,
        pcm: speech,
        pcmOff: 0,
        seed: 11,
        startMs: T0,
        count: 260,
        dupAt: [30, 31, 140],
        swapP: 0.03,
        dtmf: [[70, 75]],
        gaps: [[125, 150]],
        restartAt: 180,
        burst: [200, 240],
        jitterMs: 3,
      }),
      ...makeStream({ from: A, law: lawC, pcm: speech, pcmOff: 80000, seed: 12, startMs: T0 + 9, count: 260, dtmf: [[100, 104]] }),
      ...makeStream({
        from: S,
        law: lawS,
        pcm: speech,
        pcmOff: 120000,
        seed: 13,
        startMs: T0 + 3,
        count: 260,
        lossP: 0.05,
        swapP: 0.05,
        dtx: [[60, 85], [160, 170]],
        ssrcChangeAt: 120,
        jitterMs: 40,
      }),
    ],
    actions: [
      { at: T0 + 1000, run: (e) => (e.setGain(A, S, 1), e.reconfigure()) },
      { at: T0 + 2000, run: (e) => (e.setGain(A, S, 0.5), e.reconfigure()) },
      { at: T0 + 3000, run: (e) => (e.setGain(A, S, 0), e.reconfigure()) },
      { at: T0 + 3500, run: (e) => (e.setGain(A, S, 1), e.reconfigure()) },
      { at: T0 + 4200, run: (e) => e.setDest(S, false) },
      { at: T0 + 4400, run: (e) => e.setDest(S, true) },
    ],
    endMs: T0 + 5300,
    stalls: [[T0 + 3700, T0 + 3800]],
  };
}

t.test('whisper (8 kHz G.711): customer primary, supervisor buffered, ramps, switches, loss/reorder/DTX/SSRC change, DTMF, taps — bit-exact', async (t) => {
  const sc = whisper(8000, PCMU3, false);
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  const a = r.ts.stats(A);
  t.ok(a.framesMixed > 100 && a.framesByTimer > 5 && a.packetsForwarded > 10, `agent output mixed, timer-driven and forwarded (${JSON.stringify(a)})`);
  t.ok(r.ts.stats(S).framesSkipped > 0, 'the stall made the supervisor output skip frames');
  const d = r.ts.drops();
  t.ok(d[2]! > 0 && d[3]! > 0, `late/duplicate and over-rate drops happened (${d})`);
  const js = r.ts.jitter(S)!;
  t.ok(js[2]! > 0 && js[18]! > 0, 'supervisor jitter buffer saw loss and an SSRC change');
  t.ok(r.ts.sent[A]!.some((p) => hdr(p.d).pt === PT_DTMF), 'the customer’s DTMF was relayed into the mixed agent stream');
  t.ok(r.ts.observed.length > 100 && r.ts.mixed.length > 100, 'bleed taps reported');
  t.equal(r.nat.observed.length, r.ts.observed.length, 'same OBSERVED record count');
  t.equal(firstDiff(r.nat.observed.map((o) => JSON.stringify(o)), r.ts.observed.map((o) => JSON.stringify(o))), -1, 'OBSERVED records equal');
  t.equal(r.nat.mixed.length, r.ts.mixed.length, 'same MIXED record count');
  t.equal(firstDiff(r.nat.mixed.map((o) => JSON.stringify(o)), r.ts.mixed.map((o) => JSON.stringify(o))), -1, 'MIXED records (pcm, contribution, raw) equal');
  r.ts.close();
  r.nat.close();
});

t.test('prompts into one ear: passthrough -> mix -> passthrough, prompt gain, stop', async (t) => {
  const beep = tone(1000, 300, 8000);
  const sc: Scenario = {
    mixRate: 8000,
    parts: PCMU3.slice(0, 2),
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'ulaw', pcm: speech, pcmOff: 0, seed: 21, startMs: T0, count: 160, jitterMs: 4 }),
      ...makeStream({ from: A, law: 'ulaw', pcm: speech, pcmOff: 60000, seed: 22, startMs: T0 + 2, count: 160 }),
    ],
    actions: [
      { at: T0 + 500, run: (e) => e.addPrompt(A, beep, 2) },
      { at: T0 + 1500, run: (e) => e.reconfigure() },
      { at: T0 + 2000, run: (e) => (e.setPromptGain(A, 0.5), e.addPrompt(A, beep, 3)) },
      { at: T0 + 2200, run: (e) => e.stopPrompts(A) },
    ],
    endMs: T0 + 3300,
  };
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  t.ok(r.ts.stats(A).framesMixed > 40, 'the agent output was mixed while prompts played');
  t.equal(r.ts.stats(A).mode, OutputMode.PASSTHROUGH, 'and went back to passthrough');
  t.equal(r.nat.hasPrompts(), r.ts.hasPrompts(), 'hasPrompts agrees');
  r.ts.close();
  r.nat.close();
});

t.test('whisper with a 16 kHz mix (speexdsp resampling both ways, the same library and quality 6 in both engines): bit-exact', async (t) => {
  const sc = whisper(16000, PCMU3, false);
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  t.ok(r.ts.stats(A).framesMixed > 100, 'mixed');
  r.ts.close();
  r.nat.close();
});

t.test('Opus customer and agent, G.711 supervisor, 16 kHz mix', async (t) => {
  const parts: Part[] = [
    { idx: C, codec: 'opus', peer: A },
    { idx: A, codec: 'opus', peer: C },
    { idx: S, codec: 'PCMU', peer: -1 },
  ];
  const sc = whisper(16000, parts, true);
  const r = run(sc);
  compare(t, sc.parts, r, false, SNR_OPUS_DB);
  t.ok(r.ts.stats(A).framesMixed > 100, 'mixed');
  r.ts.close();
  r.nat.close();
});

t.test('mixed codecs (PCMA customer, PCMU agent: no passthrough), a supervisor who joins, leaves and rejoins with another codec, a peer update', async (t) => {
  const parts: Part[] = [
    { idx: C, codec: 'PCMA', peer: A },
    { idx: A, codec: 'PCMU', peer: C },
  ];
  const sup: Part = { idx: S, codec: 'PCMU', peer: -1 };
  const supA: Part = { idx: S, codec: 'PCMA', peer: -1 };
  const hear = (e: Engine): void => {
    e.setGain(A, S, 1);
    e.setGain(S, C, 1);
    e.setGain(S, A, 1);
  };
  const sc: Scenario = {
    mixRate: 8000,
    parts,
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.observe(C);
      // The supervisor's taps (its voice in the agent's ear, the customer in its own) are configured
      // before it joins and outlive its leaving, as the reference engine's taps by tag.
      e.taps([C], [
        [A, S],
        [S, C],
      ]);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'alaw', pcm: speech, pcmOff: 0, seed: 31, startMs: T0, count: 200, swapP: 0.02, jitterMs: 5, gaps: [[90, 110]] }),
      ...makeStream({ from: A, law: 'ulaw', pcm: speech, pcmOff: 50000, seed: 32, startMs: T0 + 4, count: 200 }),
      ...makeStream({ from: S, law: 'ulaw', pcm: speech, pcmOff: 100000, seed: 33, startMs: T0 + 800, count: 80, lossP: 0.03, jitterMs: 30 }).filter((e) => e.at < T0 + 2500),
      ...makeStream({ from: S, law: 'alaw', pcm: speech, pcmOff: 130000, seed: 34, startMs: T0 + 3000, count: 50, jitterMs: 20 }),
    ],
    actions: [
      { at: T0 + 800, run: (e) => (e.join(sup), hear(e), e.reconfigure()) },
      { at: T0 + 1500, run: (e) => (e.join({ ...parts[0]!, peer: A }), e.join({ ...sup, peer: C }), e.reconfigure()) },
      { at: T0 + 2500, run: (e) => (e.leave(S), e.reconfigure()) },
      { at: T0 + 3000, run: (e) => (e.join(supA), hear(e), e.reconfigure()) },
    ],
    endMs: T0 + 4100,
  };
  const r = run(sc);
  compare(t, [...parts, supA], r, true, 0);
  // (M, issue 11; asserted MIX before) The customer hears only the agent: its output is transcoded
  // (rtpengine's transcoding handler: decoded in order, re-encoded, numbered after the agent's stream).
  t.ok(r.ts.stats(C).mode === 3 && r.ts.stats(C).packetsForwarded === 0, `the customer, who hears the agent alone, gets a transcoded output (codecs differ), never forwarded (${JSON.stringify(r.ts.stats(C))})`);
  t.ok(r.ts.sent[S]!.length > 100, 'the supervisor heard the call in both of its lives');
  t.ok(r.ts.mixed.some((x) => x.contrib === null) && r.ts.mixed.some((x) => x.contrib !== null), 'tap records with and without the supervisor');
  t.ok(r.ts.mixed.some((x) => x.idx === S), 'the supervisor output, tapped before it existed, reported');
  t.equal(r.nat.mixed.length, r.ts.mixed.length, 'same MIXED record count');
  t.equal(firstDiff(r.nat.mixed.map((o) => JSON.stringify(o)), r.ts.mixed.map((o) => JSON.stringify(o))), -1, 'MIXED records equal');
  t.equal(firstDiff(r.nat.observed.map((o) => JSON.stringify(o)), r.ts.observed.map((o) => JSON.stringify(o))), -1, 'OBSERVED records equal');
  r.ts.close();
  r.nat.close();
});

t.test('clock drift, timestamp jumps, a primary SSRC change, a G.729 supervisor (bcg729 in both engines): bit-exact', async (t) => {
  const parts: Part[] = [
    { idx: C, codec: 'PCMU', peer: A },
    { idx: A, codec: 'PCMU', peer: C },
    { idx: S, codec: 'G729', peer: -1 },
  ];
  const sc: Scenario = {
    mixRate: 8000,
    parts,
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(A, S, 1);
      e.setGain(C, A, 1);
      e.setGain(S, C, 1);
      e.setGain(S, A, 1);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'ulaw', pcm: speech, pcmOff: 0, seed: 41, startMs: T0, count: 250, drift: 0.01, ssrcChangeAt: 100, tsJumpAt: 150, jitterMs: 4 }),
      ...makeStream({ from: A, law: 'ulaw', pcm: speech, pcmOff: 70000, seed: 42, startMs: T0 + 6, count: 250, drift: -0.01 }),
      ...makeStream({ from: S, law: 'g729', pcm: speech, pcmOff: 140000, seed: 43, startMs: T0 + 2, count: 250, drift: -0.01, tsJumpAt: 80, lossP: 0.03, jitterMs: 25 }),
    ],
    actions: [],
    endMs: T0 + 5400,
  };
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  const js = r.ts.jitter(S)!;
  t.ok(js[19]! > 0, 'the supervisor jitter buffer resynchronised on the timestamp jump');
  t.ok(r.ts.stats(A).framesByTimer > 0 && r.ts.stats(S).framesByTimer > 100, 'output clocks ran');
  r.ts.close();
  r.nat.close();
});

t.test('Opus everywhere (the supervisor jitter-buffered at 48 kHz RTP clock into a 16 kHz mix)', async (t) => {
  const parts: Part[] = [
    { idx: C, codec: 'opus', peer: A },
    { idx: A, codec: 'opus', peer: C },
    { idx: S, codec: 'opus', peer: -1 },
  ];
  const sc = whisper(16000, parts, true);
  const r = run(sc);
  compare(t, sc.parts, r, false, SNR_OPUS_DB);
  t.ok(r.ts.stats(S).framesByTimer > 100 && r.ts.jitter(S)![18]! > 0, 'the supervisor output ran on its clock; its jitter buffer saw the SSRC change');
  r.ts.close();
  r.nat.close();
});

t.test('(M) transcoding: repacketising to 30 ms, CN decoded for the side without CN, silence turned into CN for the side with it, reordering, loss, duplicates, a sequence restart and a second codec: the engines agree packet for packet', async (t) => {
  silenceDetect = 1;
  t.teardown(() => {
    silenceDetect = 0;
  });
  const parts: Part[] = [
    { idx: C, codec: 'PCMA', peer: A, cnPt: 13, ptime: 30 },
    { idx: A, codec: 'PCMU', peer: C, also: ['PCMA'] },
  ];
  // The agent's audio with silent stretches (packets 40-70 and 150-170).
  const agent = speech.slice(70000, 70000 + 260 * 160);
  agent.fill(0, 40 * 160, 70 * 160);
  agent.fill(0, 150 * 160, 170 * 160);
  const sc: Scenario = {
    mixRate: 8000,
    parts,
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'alaw', pcm: speech, pcmOff: 0, seed: 51, startMs: T0, count: 250, swapP: 0.05, lossP: 0.02, dupAt: [20, 21], dtx: [[60, 95]], restartAt: 120, tsJumpAt: 200, jitterMs: 6 }),
      ...makeStream({ from: A, law: 'ulaw', pcm: agent, pcmOff: 0, seed: 52, startMs: T0 + 3, count: 200, swapP: 0.03, jitterMs: 3 }),
      ...makeStream({ from: A, law: 'alaw', pcm: agent, pcmOff: 200 * 160, seed: 53, startMs: T0 + 3 + 200 * 20, count: 50 }),
    ],
    actions: [],
    endMs: T0 + 5300,
  };
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  const toC = r.ts.sent[C]!.map((x) => ({ pt: x.d[1]! & 0x7f, len: x.d.length - 12 }));
  const toA = r.ts.sent[A]!.map((x) => ({ pt: x.d[1]! & 0x7f, len: x.d.length - 12 }));
  t.ok(toC.filter((p) => p.pt === 8).every((p) => p.len === 240) && toC.filter((p) => p.pt === 8).length > 100, 'the customer gets 30 ms PCMA');
  t.ok(toC.some((p) => p.pt === 13 && p.len === 1), 'silence reaches the customer as CN');
  // The agent accepts PCMA too (its SDP's second codec): the customer's audio reaches it as is; CN,
  // which it lacks, is decoded into PCMU noise.
  t.ok(toA.length > 150 && toA.every((p) => (p.pt === 8 || p.pt === 0) && p.len === 160) && toA.some((p) => p.pt === 0), `the agent gets the customer's PCMA forwarded and CN as 20 ms of PCMU, never CN (${JSON.stringify([...new Set(toA.map((p) => `${p.pt}/${p.len}`))])})`);
  t.same([r.ts.stats(C).mode, r.ts.stats(A).mode], [3, 3], 'both outputs transcode');
  r.ts.close();
  r.nat.close();
});

t.test('(M) RFC 4733 events turned into in-band tones for a side without telephone-event, with reordering, loss, a gap far ahead and a timestamp jump: the engines agree packet for packet', async (t) => {
  const parts: Part[] = [
    { idx: C, codec: 'PCMA', peer: A },
    { idx: A, codec: 'PCMU', peer: C, dtmfPt: -1 },
  ];
  const sc: Scenario = {
    mixRate: 8000,
    parts,
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'alaw', pcm: speech, pcmOff: 0, seed: 61, startMs: T0, count: 220, swapP: 0.04, lossP: 0.02, dtmf: [[20, 30], [60, 75], [120, 126]], gaps: [[90, 100]], tsJumpAt: 160, jitterMs: 5 }),
      ...makeStream({ from: A, law: 'ulaw', pcm: speech, pcmOff: 60000, seed: 62, startMs: T0 + 2, count: 220 }),
    ],
    actions: [],
    endMs: T0 + 4700,
  };
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  const toA = r.ts.sent[A]!.map((x) => x.d[1]! & 0x7f);
  t.ok(toA.length > 150 && toA.every((pt) => pt === 0), 'the agent gets PCMU only: the events as tones');
  t.equal(r.ts.stats(A).mode, 3, 'transcoded');
  r.ts.close();
  r.nat.close();
});

t.test('(M) in-band DTMF detected and sent as RFC 4733 events to a side with telephone-event (digits in speech, back to back, reordering, loss): the engines agree packet for packet', async (t) => {
  const parts: Part[] = [
    { idx: C, codec: 'PCMU', peer: A, dtmfPt: -1 },
    { idx: A, codec: 'PCMA', peer: C },
  ];
  // The customer's audio: speech with DTMF digits laid over it (rtpengine's tone samples).
  const pcm = speech.slice(20000, 20000 + 230 * 160);
  const digits: Array<[number, number, number]> = [[30, 40, 5], [40, 48, 9], [80, 95, 11], [150, 154, 1]];
  for (const [from, to, code] of digits) {
    for (let i = from * 160; i < to * 160; i++) pcm[i] = dtmfToneSample(code, 8, 8000, i - from * 160);
  }
  const sc: Scenario = {
    mixRate: 8000,
    parts,
    setup: (e) => {
      e.setGain(A, C, 1);
      e.setGain(C, A, 1);
      e.reconfigure();
    },
    events: [
      ...makeStream({ from: C, law: 'ulaw', pcm, pcmOff: 0, seed: 71, startMs: T0, count: 220, swapP: 0.03, lossP: 0.01, jitterMs: 4 }),
      ...makeStream({ from: A, law: 'alaw', pcm: speech, pcmOff: 90000, seed: 72, startMs: T0 + 2, count: 220 }),
    ],
    actions: [],
    endMs: T0 + 4700,
  };
  const r = run(sc);
  compare(t, sc.parts, r, true, 0);
  const events = r.ts.sent[A]!.filter((x) => (x.d[1]! & 0x7f) === PT_DTMF);
  const starts = events.filter((x) => (x.d[1]! & 0x80) !== 0).map((x) => x.d[12]);
  t.ok(starts.length >= 3 && starts.includes(5) && starts.includes(11), `digits detected and sent as events (${JSON.stringify(starts)})`);
  r.ts.close();
  r.nat.close();
});
