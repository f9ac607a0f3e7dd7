/**
 * CallMedia over the native media plane (issue 10): the call's mix runs on a media thread in the addon
 * (native/src/mix/call_mix.h, the C++ twin of CallMixer rule for rule), and every endpoint of the call is
 * attached to it (RtpEndpoint.attachNativeMix), so no packet of the call reaches Node.
 *
 *   configuration  participants are given indices 0..15 (stable per tag for the mixer's life); each
 *                  command runs on the mix's thread between two packets and returns when done;
 *   reading        output/input counters and jitter statistics are read with mixStats when a reader
 *                  asks (query, HTTP, scrape), never pushed;
 *   events         DTMF and the bleed taps (OBSERVED, MIXED records) are written by the media threads
 *                  into per-thread rings; ONE main-thread poller (every POLL_MS while any native mixer
 *                  exists) drains them all and dispatches by mix id — batches, never one callback per packet;
 *   prompts        decoded and resampled on the main thread (loadPrompt, pageTone), passed as PCM.
 *
 * A participant whose endpoint cannot attach makes setParticipant() return false (nothing changed):
 * MediaEngine then runs the call on the reference engine instead.
 */
import type { CodecDef } from '../codec/registry';
import { JitterStats } from '../jitter/JitterStats';
import { logger, rateLimited } from '../log';
import { mediaError } from '../media/mediaErrors';
import type { MixHandle } from '../../native/index';
import { nativeRelayApi } from '../media/nativeRelay';
import type { RtpEndpoint } from '../media/RtpEndpoint';
import { parseRtp, RtpVerdict, RtpView } from '../media/rtp';
import { loadNative, type WhisperdNative } from '../native/addon';
import { DEFAULT_TRANSCODE_OPTIONS, MAX_OUTPUT_FRAME_MS, silenceThreshold, type TranscodeOptions } from './CallMixer';
import { sameSpec, type EchoCancellerSpec } from './EchoCanceller';
import { TapFanout } from './tapFanout';
import {
  OutputMode,
  type CallMedia,
  type DtmfListener,
  type EchoStats,
  type MediaInput,
  type MediaOutput,
  type MixAudioSink,
  type ParticipantMedia,
  type TapConsumer,
} from './types';

const MAX_PARTICIPANTS = 16;
/** Event poll interval, ms (bleed pairing and DTMF tolerate far more; the rings hold seconds). */
const POLL_MS = 10;
/** Stats snapshots younger than this are reused (one read serves a burst of getter calls). */
const STATS_FRESH_MS = 1;

/** Event/capture record types (mixapi.md). */
export const enum MixRecord {
  SENT = 1,
  DTMF = 2,
  OBSERVED = 3,
  MIXED = 4,
}
const RECORD_HEADER = 24;

/** The addon functions a native mixer needs (all of mix_binding.cc's configuration and reading surface). */
export type NativeMixFns = Required<
  Pick<
    WhisperdNative,
    | 'mixCreate'
    | 'mixProbeCreate'
    | 'mixId'
    | 'mixSetParticipant'
    | 'mixRemoveParticipant'
    | 'mixSetGain'
    | 'mixReconfigure'
    | 'mixObserve'
    | 'mixPrewarm'
    | 'mixSetObserved'
    | 'mixSetTap'
    | 'mixAddPrompt'
    | 'mixStopPrompts'
    | 'mixHasPrompts'
    | 'mixSetHeld'
    | 'mixSetPromptGain'
    | 'mixStats'
    | 'mixClose'
    | 'mixProbeDrain'
  >
>;

const FN_NAMES: ReadonlyArray<keyof NativeMixFns> = [
  'mixCreate', 'mixProbeCreate', 'mixId', 'mixSetParticipant', 'mixRemoveParticipant', 'mixSetGain', 'mixReconfigure',
  'mixObserve', 'mixPrewarm', 'mixSetObserved', 'mixSetTap', 'mixAddPrompt', 'mixStopPrompts', 'mixHasPrompts',
  'mixSetHeld', 'mixSetPromptGain', 'mixStats', 'mixClose', 'mixProbeDrain',
];

let fnsCache: NativeMixFns | null | undefined;

/** The addon's mix functions, or null when the addon (or its mix part) is missing. */
export function nativeMixFns(): NativeMixFns | null {
  if (fnsCache !== undefined) return fnsCache;
  const n = loadNative();
  fnsCache = n !== null && FN_NAMES.every((k) => typeof n[k] === 'function') ? (n as unknown as NativeMixFns) : null;
  return fnsCache;
}

/** The SDP extras of two ParticipantMedia are the same (other codecs, CN, ptime). */
function sameExtras(a: ParticipantMedia, b: ParticipantMedia): boolean {
  const x = a.alsoSends ?? [];
  const y = b.alsoSends ?? [];
  return (a.cnPt ?? -1) === (b.cnPt ?? -1) && (a.ptime ?? 0) === (b.ptime ?? 0) && (a.dtmfOffered ?? true) === (b.dtmfOffered ?? true) && x.length === y.length && x.every((e, i) => e.pt === y[i]!.pt && e.codec === y[i]!.codec);
}

/** Codec ids of native/src/codec/codec.h, by registry name; a codec not listed cannot go native. */
const CODEC_IDS: Record<string, number> = { PCMU: 0, PCMA: 8, G729: 18, opus: 111, GSM: 3, G722: 9 };

export function nativeCodecId(codec: CodecDef): number {
  return codec.nativeId ?? CODEC_IDS[codec.name] ?? -1; // (K) nativeId: AMR payload formats (registry codecFormat)
}

/** Where a native mix's endpoints go: the media-thread attach (production) or a stand-in (probe tests). */
export interface NativeMixAttacher {
  attach(endpoint: RtpEndpoint, mix: MixHandle, idx: number, rtcpPeerIdx: number): boolean;
  detach(endpoint: RtpEndpoint): void;
}

const ENDPOINT_ATTACHER: NativeMixAttacher = {
  attach: (e, mix, idx, rtcpPeerIdx) => e.attachNativeMix(mix, idx, rtcpPeerIdx),
  // (Back on Node, a relay pair whose other end is detached too returns to the native relay.)
  detach: (e) => e.detachNativeMix(),
};

interface Slot {
  idx: number;
  media: ParticipantMedia;
  /** Peer index last given to mixSetParticipant. */
  peerIdx: number;
  generation: number;
  output: NativeOutput;
  input: NativeInput;
}

/** A stats snapshot of one participant (mixStats layout), refreshed on read. */
class StatsReader {
  readonly buf: Float64Array;
  private atMs = -1e9;
  ok = false;

  constructor(
    private readonly mixer: NativeCallMixer,
    private readonly idx: number,
    size: number,
  ) {
    this.buf = new Float64Array(size);
  }

  read(): Float64Array {
    const now = performance.now();
    if (now - this.atMs >= STATS_FRESH_MS) {
      this.atMs = now;
      this.ok = this.mixer.readStats(this.idx, this.buf);
    }
    return this.buf;
  }
}

class NativeOutput implements MediaOutput {
  private gain = 1;
  constructor(
    readonly tag: string,
    private readonly mixer: NativeCallMixer,
    private readonly idx: number,
    private readonly stats: StatsReader,
  ) {}
  get mode(): OutputMode {
    return this.stats.read()[5]! as OutputMode;
  }
  get promptGain(): number {
    return this.gain;
  }
  set promptGain(g: number) {
    this.gain = g;
    this.mixer.setPromptGain(this.idx, g);
  }
  get framesMixed(): number {
    return this.stats.read()[0]!;
  }
  get framesByTimer(): number {
    return this.stats.read()[1]!;
  }
  get framesSkipped(): number {
    return this.stats.read()[2]!;
  }
  get packetsForwarded(): number {
    return this.stats.read()[3]!;
  }
  get encodeErrors(): number {
    return this.stats.read()[4]!;
  }
}

const JITTER_KEYS = Object.keys(new JitterStats()) as Array<keyof JitterStats>;

class NativeInput implements MediaInput {
  /** One object per participant (the metrics keep per-object totals). */
  private readonly jitter = new JitterStats();
  constructor(
    readonly tag: string,
    private readonly stats: StatsReader,
  ) {}
  get decodeErrors(): number {
    return this.stats.read()[6]!;
  }
  get jitterStats(): JitterStats | null {
    const s = this.stats.read();
    if (!this.stats.ok || s[7] !== 1) return null;
    const j = this.jitter;
    for (let i = 0; i < JITTER_KEYS.length; i++) j[JITTER_KEYS[i]!] = s[8 + i]!;
    return j;
  }
}

// ---- the event poller (one for the process) ----

const live = new Map<number, NativeCallMixer>();
let pollTimer: NodeJS.Timeout | null = null;
let eventBuf: Uint8Array | null = null;
let eventView: DataView | null = null;
let event16: Int16Array | null = null;
/** Scratch for MIXED records' three arrays and DTMF datagrams (handed to sinks, never kept by them). */
const mixedPcm = new Int16Array(16000 * 0.12);
const mixedContrib = new Int16Array(16000 * 0.12);
const mixedRaw = new Int16Array(16000 * 0.12);
const dtmfBuf = Buffer.alloc(1500);
const dtmfView = new RtpView();

function ensureEventBuffer(): void {
  if (eventBuf !== null) return;
  const ab = new ArrayBuffer(256 * 1024);
  eventBuf = new Uint8Array(ab);
  eventView = new DataView(ab);
  event16 = new Int16Array(ab);
}

/** Drain every media thread's event ring and dispatch the records (main thread). */
export function pollNativeMixEvents(): void {
  const api = nativeRelayApi()?.mix;
  if (!api) return;
  ensureEventBuffer();
  const threads = nativeRelayApi()!.threadLoads().length;
  for (let t = 0; t < threads; t++) {
    // Bounded: a ring holds seconds of records; what arrives meanwhile waits for the next poll.
    for (let guard = 0; guard < 64; guard++) {
      const n = api.events(t, eventBuf!);
      if (n <= 0) break;
      dispatchRecords(eventBuf!, n);
    }
  }
}

/** Dispatch a block of records (mixapi format) to the mixers they belong to. */
export function dispatchRecords(buf: Uint8Array, len: number): void {
  const dv = buf === eventBuf ? eventView! : new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  while (off + RECORD_HEADER <= len) {
    const size = dv.getUint32(off, true);
    if (size < RECORD_HEADER || off + size > len) break;
    const mixer = live.get(dv.getUint32(off + 8, true));
    if (mixer !== undefined) {
      try {
        mixer.onRecord(buf, dv, off);
      } catch (err) {
        // A consumer bug (bleed, DTMF): counted and logged rate-limited; the other records go on.
        mediaError('mix-tick', err);
      }
    }
    off += size;
  }
}

function track(m: NativeCallMixer): void {
  live.set(m.id, m);
  if (pollTimer === null && !m.probe) pollTimer = setInterval(pollNativeMixEvents, POLL_MS);
}

function untrack(m: NativeCallMixer): void {
  if (live.get(m.id) === m) live.delete(m.id);
  let threaded = false;
  for (const x of live.values()) if (!x.probe) threaded = true;
  if (!threaded && pollTimer !== null) {
    clearInterval(pollTimer);
    pollTimer = null;
  }
}

/** Native mixers open now (all daemons of the process). */
export function nativeMixerCount(): number {
  let n = 0;
  for (const m of live.values()) if (!m.probe) n++;
  return n;
}

export class NativeCallMixer implements CallMedia {
  /** (M) Whether the native mix has the TRANSCODE output of the reference engine (MediaEngine falls back when not). */
  static get transcodes(): boolean {
    return typeof loadNative()?.mixSetTranscodeOptions === 'function';
  }

  readonly engine = 'native' as const;
  readonly callId: string;
  readonly mixRate: number;
  readonly id: number;
  /** A probe mix (tests): runs inline, its records are drained with drainProbe(). */
  readonly probe: boolean;
  dtmfListener: DtmfListener | null = null;
  /**
   * Set when an attached endpoint had to leave the mix on its own (RtpEndpoint.nativeMixLost): the
   * owner (MediaEngine) then recreates the call's mixer on the reference engine.
   */
  onLost: (() => void) | null = null;
  lost = false;

  private readonly fns: NativeMixFns;
  private handle: MixHandle | null;
  private readonly attacher: NativeMixAttacher;
  private readonly statsSize: number;
  private readonly slots = new Map<string, Slot>();
  /** Index of each tag ever seen (reserved for the mixer's life, so a peer's index never moves). */
  private readonly indexOf = new Map<string, number>();
  private readonly tagAt: string[] = new Array<string>(MAX_PARTICIPANTS).fill('');
  private readonly gains = new Map<string, Map<string, number>>();
  private nextGeneration = 0;
  /** Bleed taps: the sink, and per output index the tapped source's tag ('' none). */
  private sink: MixAudioSink | null = null;
  private readonly tapSrc: string[] = new Array<string>(MAX_PARTICIPANTS).fill('');
  /** The tap consumers (bleed, recording) whose union is installed. */
  private readonly tapFanout = new TapFanout();
  private observedTags: readonly string[] = [];
  private tapMap: ReadonlyMap<string, string> = new Map();
  /**
   * What the mix holds, so a sync re-sends only changes (each command is a round trip to the media
   * thread): gains by out*16+in (NaN unknown), observed flags (-1 unknown), tap sources (-2 unknown).
   */
  private readonly sentGain = new Float64Array(MAX_PARTICIPANTS * MAX_PARTICIPANTS).fill(NaN);
  private readonly sentObserved = new Int8Array(MAX_PARTICIPANTS).fill(-1);
  private readonly sentTap = new Int8Array(MAX_PARTICIPANTS).fill(-2);
  private closed = false;
  /** Echo cancellers by input tag (setEchoCanceller); the mix keeps them by index (native/src/mix/aec.h). */
  private readonly aecSpecs = new Map<string, EchoCancellerSpec>();
  private readonly aecStatsBuf = new Float64Array(6);

  /**
   * A mix on a media thread (`probe` false; throws if none runs) or an inline probe mix (tests).
   * `attacher`: how endpoints join it (default RtpEndpoint.attachNativeMix).
   */
  constructor(
    callId: string,
    mixRate: 8000 | 16000,
    opus: { complexity: number; bitrate: number },
    opts: {
      fns: NativeMixFns; probe?: boolean; seed?: number; attacher?: NativeMixAttacher; /** The call's media thread (-1: the least loaded). */ thread?: number;
      /** (M) Transcoding settings (silence detection, CN payload), as the reference engine's. */
      transcode?: TranscodeOptions;
    },
  ) {
    this.callId = callId;
    this.mixRate = mixRate;
    this.fns = opts.fns;
    this.probe = opts.probe === true;
    this.attacher = opts.attacher ?? ENDPOINT_ATTACHER;
    this.handle = this.probe
      ? this.fns.mixProbeCreate(mixRate, opus.complexity, opus.bitrate, opts.seed ?? 0)
      : this.fns.mixCreate(opts.thread ?? -1, mixRate, opus.complexity, opus.bitrate);
    this.id = this.fns.mixId(this.handle);
    if (!this.probe) {
      // The media thread's clock does not run this mix until the JS turn that made it ends: what that turn sets
      // up (participants, gains, a prompt: MediaEngine.sync, then SupervisionService.playPrompts) starts
      // together, as on the reference engine, instead of a listener being sent a silent frame before its prompt.
      this.fns.mixSetHeld(this.handle, true);
      setImmediate(() => {
        if (this.handle !== null) this.fns.mixSetHeld(this.handle, false);
      });
    }
    const t = opts.transcode ?? DEFAULT_TRANSCODE_OPTIONS;
    loadNative()?.mixSetTranscodeOptions?.(this.handle, silenceThreshold(t.silenceDetectPercent), t.cnPayload);
    const size = (loadNative() as { MIX_STATS_SIZE?: number } | null)?.MIX_STATS_SIZE;
    this.statsSize = typeof size === 'number' && size > 8 ? size : 8 + JITTER_KEYS.length;
    track(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The native handle (tests, RtpEndpoint attach). */
  get mixHandle(): MixHandle | null {
    return this.handle;
  }

  private h(): MixHandle {
    if (this.handle === null) throw new Error('native mixer closed');
    return this.handle;
  }

  /** The index of `tag`, reserving one; -1 when all 16 are taken by live participants. */
  private reserve(tag: string): number {
    const have = this.indexOf.get(tag);
    if (have !== undefined) return have;
    for (let i = 0; i < MAX_PARTICIPANTS; i++) {
      if (this.tagAt[i] === '') {
        this.tagAt[i] = tag;
        this.indexOf.set(tag, i);
        return i;
      }
    }
    // Reclaim an index of a tag that is gone and that no live participant names as its peer.
    const named = new Set<string>();
    for (const s of this.slots.values()) named.add(s.media.peerTag);
    for (let i = 0; i < MAX_PARTICIPANTS; i++) {
      const old = this.tagAt[i]!;
      if (!this.slots.has(old) && !named.has(old)) {
        this.indexOf.delete(old);
        this.tagAt[i] = tag;
        this.indexOf.set(tag, i);
        return i;
      }
    }
    return -1;
  }

  /** Participant idx was (re)created or removed in the mix: what it held for idx is unknown. */
  private forget(idx: number): void {
    for (let k = 0; k < MAX_PARTICIPANTS; k++) {
      this.sentGain[idx * MAX_PARTICIPANTS + k] = NaN;
      this.sentGain[k * MAX_PARTICIPANTS + idx] = NaN;
      if (this.sentTap[k] === idx) this.sentTap[k] = -2;
    }
    this.sentObserved[idx] = -1;
    this.sentTap[idx] = -2;
  }

  private sendGain(outIdx: number, inIdx: number, gain: number): void {
    const k = outIdx * MAX_PARTICIPANTS + inIdx;
    if (this.handle === null || this.sentGain[k] === gain) return;
    if (this.fns.mixSetGain(this.handle, outIdx, inIdx, gain) === 0) this.sentGain[k] = gain;
  }

  private peerIndex(peerTag: string): number {
    if (peerTag === '') return -1;
    return this.reserve(peerTag);
  }

  setParticipant(m: ParticipantMedia): boolean {
    if (this.closed) return false;
    const old = this.slots.get(m.tag);
    if (old && old.media.endpoint === m.endpoint && old.media.codec === m.codec && old.media.pt === m.pt && old.media.dtmfPt === m.dtmfPt) {
      old.media.peerTag = m.peerTag;
      // The SDP's other codecs, CN and ptime follow the latest signalling (CallMixer.setParticipant).
      if (!sameExtras(old.media, m) && this.handle !== null) {
        old.media.alsoSends = m.alsoSends;
        old.media.cnPt = m.cnPt;
        old.media.ptime = m.ptime;
        this.sendSpec(this.handle, old.idx, old.media, old.peerIdx);
      }
      return true;
    }
    const codecId = nativeCodecId(m.codec);
    if (codecId < 0) return false;
    const idx = this.reserve(m.tag);
    if (idx < 0) return false;
    const peerIdx = this.peerIndex(m.peerTag);
    // A replaced participant leaves first (its old endpoint back to Node), like CallMixer.setParticipant.
    if (old) this.removeParticipant(m.tag);
    const h = this.h();
    this.forget(idx);
    if (this.sendSpec(h, idx, m, peerIdx) !== 0) return false;
    // RTCP goes where the TS engine relays it: out of the forwarding peer's endpoint (parties' peers).
    const rtcpPeer = m.endpoint.forwardTo !== null ? peerIdx : -1;
    if (!this.attacher.attach(m.endpoint, h, idx, rtcpPeer)) {
      this.fns.mixRemoveParticipant(h, idx);
      return false;
    }
    m.endpoint.nativeMixLost = () => this.endpointLost();
    const stats = new StatsReader(this, idx, this.statsSize);
    this.slots.set(m.tag, {
      idx, media: { ...m }, peerIdx, generation: ++this.nextGeneration,
      output: new NativeOutput(m.tag, this, idx, stats), input: new NativeInput(m.tag, stats),
    });
    this.applyTaps();
    return true;
  }

  /** (M) play DTMF from `fromTag` into the native transcode outputs (CallMixer.injectDtmf). */
  injectDtmf(fromTag: string, code: number, volume: number, toneVolume: number, durationMs: number, pauseMs: number): boolean {
    const s = this.slots.get(fromTag);
    const fn = loadNative()?.mixInjectDtmf;
    if (!s || this.handle === null || typeof fn !== 'function') return false;
    return fn(this.handle, s.idx, code, volume & 63, toneVolume & 63, durationMs, pauseMs, 0) > 0;
  }

  canInjectDtmf(fromTag: string): boolean {
    const s = this.slots.get(fromTag);
    const fn = loadNative()?.mixInjectDtmf;
    if (!s || this.handle === null || typeof fn !== 'function') return false;
    return fn(this.handle, s.idx, 0, 0, 0, 0, 0, 1) > 0;
  }

  /** mixSetParticipant with the whole ParticipantMedia (the extras as optional arguments). */
  private sendSpec(h: MixHandle, idx: number, m: ParticipantMedia, peerIdx: number): number {
    const also = new Float64Array((m.alsoSends ?? []).flatMap((x) => [x.pt, nativeCodecId(x.codec), x.codec.clockRate]));
    const set = this.fns.mixSetParticipant as (...args: unknown[]) => number;
    return set(h, idx, nativeCodecId(m.codec), m.codec.clockRate, m.pt, m.dtmfPt, peerIdx, m.cnPt ?? -1, Math.min(m.ptime ?? 0, MAX_OUTPUT_FRAME_MS), also, m.dtmfOffered === false ? 0 : 1, m.codec.amrMode ?? -1);
  }

  private endpointLost(): void {
    if (this.closed || this.lost) return;
    this.lost = true;
    if (rateLimited('mix:native-lost')) logger.warn({ mod: 'mix', callId: this.callId }, 'native mix: an endpoint left the media thread; the call moves to the reference engine');
    this.onLost?.();
  }

  removeParticipant(tag: string): void {
    const s = this.slots.get(tag);
    if (!s) return;
    this.slots.delete(tag);
    if (s.media.endpoint.nativeMixLost !== null) s.media.endpoint.nativeMixLost = null;
    this.attacher.detach(s.media.endpoint);
    if (this.handle !== null) this.fns.mixRemoveParticipant(this.handle, s.idx);
    this.forget(s.idx);
    this.gains.delete(tag);
    for (const row of this.gains.values()) row.delete(tag);
  }

  setGain(outTag: string, inTag: string, gain: number): void {
    let row = this.gains.get(outTag);
    if (!row) this.gains.set(outTag, (row = new Map()));
    row.set(inTag, gain);
    const o = this.slots.get(outTag);
    const i = this.slots.get(inTag);
    if (o && i) this.sendGain(o.idx, i.idx, gain);
  }

  gain(outTag: string, inTag: string): number {
    return this.gains.get(outTag)?.get(inTag) ?? 0;
  }

  tags(): string[] {
    return [...this.slots.keys()];
  }

  generation(tag: string): number {
    return this.slots.get(tag)?.generation ?? -1;
  }

  output(tag: string): MediaOutput | undefined {
    return this.slots.get(tag)?.output;
  }

  input(tag: string): MediaInput | undefined {
    return this.slots.get(tag)?.input;
  }

  reconfigure(): void {
    if (this.handle === null) return;
    const h = this.handle;
    // Peers named before they joined: tell the mix now (same spec, only the peer changes).
    for (const s of this.slots.values()) {
      const peerIdx = this.peerIndex(s.media.peerTag);
      if (peerIdx !== s.peerIdx) {
        const m = s.media;
        if (this.sendSpec(h, s.idx, m, peerIdx) === 0) s.peerIdx = peerIdx;
      }
    }
    // Gains set before both ends existed.
    for (const [outTag, row] of this.gains) {
      const o = this.slots.get(outTag);
      if (!o) continue;
      for (const [inTag, g] of row) {
        const i = this.slots.get(inTag);
        if (i) this.sendGain(o.idx, i.idx, g);
      }
    }
    this.fns.mixReconfigure(h);
  }

  /**
   * The reference engine's rule (CallMixer.reconfigure canPass), from the matrix: exactly one audible
   * input, at gain 1, same codec and payload type. (Prompts are not considered: an output that would
   * forward the supervisor is reported even while a prompt keeps it mixing.)
   */
  passthroughSource(outTag: string): string | null {
    const me = this.slots.get(outTag);
    if (!me) return null;
    let audible = 0;
    let single: Slot | null = null;
    for (const [inTag, s] of this.slots) {
      if (inTag === outTag) continue;
      const g = this.gain(outTag, inTag);
      if (g !== 0) {
        audible++;
        if (g === 1) single = s;
      }
    }
    if (audible !== 1 || single === null) return null;
    if (single.media.codec !== me.media.codec || single.media.pt !== me.media.pt) return null;
    return single.media.tag;
  }

  observe(tag: string): void {
    const s = this.slots.get(tag);
    if (s && this.handle !== null) this.fns.mixObserve(this.handle, s.idx);
  }

  prewarm(tag: string): void {
    const s = this.slots.get(tag);
    if (s && this.handle !== null) this.fns.mixPrewarm(this.handle, s.idx);
  }

  setTaps(consumer: TapConsumer, sink: MixAudioSink | null, observed: readonly string[], taps: ReadonlyMap<string, string>): void {
    this.tapFanout.set(consumer, sink, observed, taps);
    this.installTaps();
  }

  /** Install the union of the tap consumers (tapFanout.ts). Signalling time. */
  private installTaps(): void {
    const f = this.tapFanout;
    const sink = f.sink;
    this.sink = sink;
    this.observedTags = sink ? [...f.observed] : [];
    this.tapMap = sink ? new Map(f.taps) : new Map();
    this.applyTaps();
  }

  private applyTaps(): void {
    if (this.handle === null) return;
    const h = this.handle;
    for (const s of this.slots.values()) {
      const obs = this.observedTags.includes(s.media.tag) ? 1 : 0;
      if (this.sentObserved[s.idx] !== obs && this.fns.mixSetObserved(h, s.idx, obs === 1) === 0) this.sentObserved[s.idx] = obs;
      const src = this.tapMap.get(s.media.tag);
      const srcSlot = src !== undefined ? this.slots.get(src) : undefined;
      // A tapped source not (yet) in the mix: the tap reports "not a source" (-1 would turn it off).
      const srcIdx = src === undefined ? -1 : srcSlot ? srcSlot.idx : this.reserve(src);
      this.tapSrc[s.idx] = src ?? '';
      if (this.sentTap[s.idx] !== srcIdx && this.fns.mixSetTap(h, s.idx, srcIdx) === 0) this.sentTap[s.idx] = srcIdx;
    }
  }

  setEchoCanceller(tag: string, spec: EchoCancellerSpec | null): boolean {
    const old = this.aecSpecs.get(tag);
    if (sameSpec(old, spec) || this.handle === null) return false;
    const fns = loadNative();
    if (typeof fns?.mixSetEchoCanceller !== 'function') throw new Error('the native addon has no echo canceller for its mix (rebuild with make native)');
    const idx = this.reserve(tag);
    const ref = spec === null ? -1 : this.reserve(spec.refTag);
    if (idx < 0 || (spec !== null && ref < 0)) throw new Error('no participant index left for the echo canceller');
    const rc = fns.mixSetEchoCanceller(this.handle, idx, ref, spec?.tailMs ?? 0, spec?.residual ?? false);
    if (rc !== 0) throw new Error(`mixSetEchoCanceller failed (${rc})`);
    if (spec === null) this.aecSpecs.delete(tag);
    else this.aecSpecs.set(tag, { ...spec });
    return true;
  }

  echoStats(tag: string): EchoStats | null {
    const s = this.slots.get(tag);
    const fns = loadNative();
    if (!s || this.handle === null || typeof fns?.mixEchoStats !== 'function') return null;
    const b = this.aecStatsBuf;
    if (fns.mixEchoStats(this.handle, s.idx, b) !== 1) return null;
    return { tailMs: b[0]!, residual: b[1] === 1, blocks: b[2]!, resyncs: b[3]!, underruns: b[4]!, bypassed: b[5]! };
  }

  private readonly streamBuf = new Float64Array(3);

  streamState(tag: string): { ssrc: number; seq: number; ts: number } | null {
    const s = this.slots.get(tag);
    const fns = loadNative();
    if (!s || this.handle === null || typeof fns?.mixStream !== 'function') return null;
    const b = this.streamBuf;
    if (fns.mixStream(this.handle, s.idx, b) !== 1) return null;
    return { ssrc: b[0]!, seq: b[1]!, ts: b[2]! };
  }

  setStreamState(tag: string, ssrc: number, seq: number, ts: number): boolean {
    const s = this.slots.get(tag);
    const fns = loadNative();
    if (!s || this.handle === null || typeof fns?.mixSetStream !== 'function') return false;
    return fns.mixSetStream(this.handle, s.idx, ssrc >>> 0, seq & 0xffff, ts >>> 0) === 1;
  }

  addPrompt(tag: string, pcm: Int16Array, repeat: number): boolean {
    const s = this.slots.get(tag);
    if (!s || this.handle === null) return false;
    return this.fns.mixAddPrompt(this.handle, s.idx, pcm, repeat) === 0;
  }

  stopPrompts(tag: string): number {
    const s = this.slots.get(tag);
    if (!s || this.handle === null) return 0;
    return Math.max(0, this.fns.mixStopPrompts(this.handle, s.idx));
  }

  hasPrompts(): boolean {
    return this.handle !== null && this.fns.mixHasPrompts(this.handle);
  }

  /** @internal NativeOutput.promptGain */
  setPromptGain(idx: number, gain: number): void {
    if (this.handle !== null) this.fns.mixSetPromptGain(this.handle, idx, gain);
  }

  /** @internal StatsReader: one mixStats read; false when the participant is gone. */
  readStats(idx: number, out: Float64Array): boolean {
    if (this.handle === null) return false;
    return this.fns.mixStats(this.handle, idx, out) === 0;
  }

  /** Probe mixes: drain the captured records into buf, dispatch the events, return the bytes (SENT records stay in buf). */
  drainProbe(buf: Uint8Array): number {
    if (this.handle === null) return 0;
    const n = this.fns.mixProbeDrain(this.handle, buf);
    if (n > 0) dispatchRecords(buf, n);
    return n;
  }

  /** One record of this mix (the poller). Main thread. */
  onRecord(buf: Uint8Array, dv: DataView, off: number): void {
    const type = dv.getUint16(off + 4, true);
    const idx = dv.getUint8(off + 6);
    const flags = dv.getUint8(off + 7);
    const n = dv.getUint32(off + 12, true);
    const nowMs = dv.getFloat64(off + 16, true);
    if (idx >= MAX_PARTICIPANTS) return;
    const tag = this.tagAt[idx]!;
    if (tag === '' || !this.slots.has(tag)) return;
    const p = off + RECORD_HEADER;
    switch (type) {
      case MixRecord.DTMF: {
        const l = this.dtmfListener;
        if (l === null || n > dtmfBuf.length || p + n > buf.length) return;
        for (let i = 0; i < n; i++) dtmfBuf[i] = buf[p + i]!;
        if (parseRtp(dtmfBuf, n, dtmfView) !== RtpVerdict.OK) return;
        l.onDtmf(tag, dtmfBuf, dtmfView, (flags & 1) !== 0);
        return;
      }
      case MixRecord.OBSERVED: {
        const sink = this.sink;
        if (sink === null || n > mixedPcm.length) return;
        if (buf === eventBuf) {
          sink.onObserved(tag, event16!, p >> 1, n, nowMs);
        } else {
          for (let i = 0; i < n; i++) mixedPcm[i] = dv.getInt16(p + 2 * i, true);
          sink.onObserved(tag, mixedPcm, 0, n, nowMs);
        }
        return;
      }
      case MixRecord.MIXED: {
        const sink = this.sink;
        const src = this.tapSrc[idx]!;
        if (sink === null || src === '' || n > mixedPcm.length) return;
        const both = (flags & 1) !== 0;
        for (let i = 0; i < n; i++) mixedPcm[i] = dv.getInt16(p + 2 * i, true);
        if (both) {
          for (let i = 0; i < n; i++) mixedContrib[i] = dv.getInt16(p + 2 * (n + i), true);
          for (let i = 0; i < n; i++) mixedRaw[i] = dv.getInt16(p + 2 * (2 * n + i), true);
        }
        sink.onMixed(tag, src, mixedPcm, n, both ? mixedContrib : null, both ? mixedRaw : null, nowMs);
        return;
      }
      default:
        return;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink = null;
    for (const tag of [...this.slots.keys()]) {
      const s = this.slots.get(tag)!;
      this.slots.delete(tag);
      s.media.endpoint.nativeMixLost = null;
      this.attacher.detach(s.media.endpoint);
    }
    const h = this.handle;
    this.handle = null;
    untrack(this);
    if (h !== null) this.fns.mixClose(h);
  }
}
