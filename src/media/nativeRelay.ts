/**
 * TS binding of the native relay fast path (native/src/relay.cc), used only by RtpEndpoint.
 *
 * On by default (config `media.nativeRelay`). When both endpoints of a relay pair are pure relay (forwarding
 * to each other, no engine), RtpEndpoint stops Node's reading on their four sockets and the addon
 * receives (recvmmsg) and forwards (sendmmsg) for them, applying RtpEndpoint's rules:
 *
 *   - on a MEDIA THREAD (config `media.threads` > 0, default: the number of cores): each thread runs
 *     its own epoll loop; a pair lives on the least loaded one (relayThreadOf / threadLoads tell
 *     which). Nothing on the packet path touches Node: JS changes reach the thread as commands
 *     (relaySet), and the thread is the only writer of the endpoint's state array while it relays
 *     (see native/src/relay.cc "SHARED MEMORY AND ORDERING");
 *   - on Node's own loop (`media.threads` = 0, the earlier design).
 *
 * Native call mixes (api.mix): an endpoint attached to a native mix (RtpEndpoint.attachNativeMix) lives
 * on the mix's media thread, which feeds its RTP to the mix, relays its RTCP, sends the mix's output out
 * of its socket and ticks the mix every 5 ms; events (DTMF, bleed taps) come back through per-thread
 * rings drained with `mix.events`.
 *
 * Per-endpoint state is a Float64Array shared with the addon (slots below): the addon writes latching,
 * stats and the last SSRC; JS reads them at query/scrape time and changes policy/remotes through
 * `set` (RtpEndpoint reads its own copy until the addon reports the change applied). Global counters:
 * the on-loop relay counts into mediaCounters.raw/rawDrops; each media thread into its own 23 slots of
 * `threadCounters`, folded into mediaCounters by `collect` whenever a reader reads mediaCounters.
 *
 * If the addon (or its relay functions) is missing, or a socket's handle/fd cannot be reached, every
 * endpoint simply stays on the JS path.
 */
import type dgram from 'node:dgram';
import { isIPv4, isIPv6, SocketAddress } from 'node:net';
import os from 'node:os';
import { loadNative } from '../native/addon';
import { logger } from '../log';
import type { MixHandle, RelayHandle, WhisperdNative } from '../../native/index';
import { CounterSlot, DROP_REASON_NAMES, mediaCounters } from './counters';

export type { MixHandle, RelayHandle } from '../../native/index';
import type { SrtpHandle } from '../../native/index';

/** Layout of the shared per-endpoint state (native/src/relay.cc `Slot`). */
export const enum RelaySlot {
  REMOTE_ADDR = 0,
  REMOTE_PORT = 1,
  REMOTE_RTCP_PORT = 2,
  RTP_LATCHED = 3,
  RTCP_LATCHED = 4,
  LEARNING = 5,
  STRICT_SOURCE = 6,
  MEDIA_HANDOVER = 7,
  LEARNING_START = 8,
  LAST_SSRC = 9,
  RTP_PACKETS = 10,
  RTP_BYTES = 11,
  RTP_ERRORS = 12,
  RTCP_PACKETS = 13,
  RTCP_BYTES = 14,
  RTCP_ERRORS = 15,
  /** Generation of the last `set` the addon applied (written by the addon only). */
  APPLIED = 16,
  /** IPv6 endpoints: the remote address as 4 host-order words (17..20), all zero = ''; REMOTE_ADDR unused. */
  REMOTE_ADDR6 = 17,
  /** Media-control switches (RtpEndpoint MediaPolicy bits) and their payload types (-1 none); settable. */
  POLICY = 21,
  DTMF_PT = 22,
  DTMF_PT2 = 23,
  ULAW_PT = 24,
  ALAW_PT = 25,
  /** Packets the switches dropped / silenced (written by the addon only). */
  DTMF_BLOCKED = 26,
  MEDIA_BLOCKED = 27,
  MEDIA_SILENCED = 28,
  /** With MediaPolicy.REPLACE_DTMF: the event code written into the party's telephone-event packets; settable. */
  DTMF_REPLACE = 29,
  /** Added to the sequence number of every relayed RTP packet (what play DTMF's end packets added); settable. */
  SEQ_OFFSET = 30,
  /** (P) Receive statistics for RTCP report blocks (written by the addon; native/src/rtp/rtcp_report.h). */
  RX_SSRC = 31,
  RX_RECEIVED = 32,
  RX_BASE_SEQ = 33,
  RX_MAX_EXT = 34,
  RX_JITTER16 = 35,
  RX_TRANSIT = 36,
  SR_MIDDLE = 37,
  SR_AT_MS = 38,
  COUNT = 39,
}

export interface NativeRelayApi {
  /** `own`/`own6`: OwnSockets.native/native6 (whisperd's own sockets: refused as source and destination). */
  open(rtpFd: number, rtcpFd: number, state: Float64Array, own?: Float64Array, own6?: Float64Array): RelayHandle;
  /**
   * Start relaying the pair (on a media thread if `media.threads` > 0: `thread`, or the least loaded one
   * when absent or -1; a call and all its legs live on one thread). 0 or a negative code.
   */
  start(a: RelayHandle, b: RelayHandle, thread?: number): number;
  /**
   * Change one slot (< APPLIED) of a relaying endpoint; state[APPLIED] = gen once applied. REMOTE_ADDR6
   * (an IPv6 endpoint's remote): the 4 `words`, applied at once.
   */
  set(h: RelayHandle, slot: number, value: number, gen: number, words?: Float64Array): number;
  /** Stop relaying; when it returns nothing reads the endpoint's sockets any more. */
  stop(h: RelayHandle): number;
  /** Native endpoints not yet freed. */
  live(): number;
  /** The media thread relaying for h, or -1 (Node's loop, or not relaying). */
  threadOf(h: RelayHandle): number;
  /** Endpoints on each running media thread ([] when none run). */
  threadLoads(): number[];
  /**
   * (issue 12) SRTP on a native endpoint: its rx/tx contexts (null = plain), pending keys, and the id its
   * STUN/DTLS datagrams are queued under for `nonRtp` (0 = none: dropped). Synchronous: when it returns,
   * the media thread uses the new contexts only. null if the addon lacks it.
   */
  setSrtp: ((h: RelayHandle, rx: SrtpHandle | null, tx: SrtpHandle | null, pending: boolean, nonRtpId: number) => number) | null;
  /** (issue 12) Drain the queued STUN/DTLS records into buf: bytes written. null if the addon lacks it. */
  nonRtp: ((buf: Uint8Array) => number) | null;
  /**
   * Native call mixes (issue 10), null if the addon lacks them. The mix's media thread hosts the mix and
   * every endpoint attached to it (relay.cc "MIXES ON MEDIA THREADS").
   */
  mix: NativeMixHostApi | null;
}

export interface NativeMixHostApi {
  /** Start the media threads now if config media.threads wants them (before mixCreate); how many run. */
  ensureThreads(): number;
  /**
   * Endpoint h (opened, not relaying) feeds input idx of mix m and sends its output idx, on the mix's
   * media thread; its RTCP is relayed out of participant rtcpPeerIdx's endpoint (-1 none). 0 or a negative code.
   */
  attach(h: RelayHandle, m: MixHandle, idx: number, rtcpPeerIdx: number): number;
  /** h leaves its mix; when this returns nothing reads its sockets (relayStop(h) still frees it). */
  detach(h: RelayHandle): number;
  /** Drain media thread `thread`'s event records into buf (whole records): bytes, 0 = none. */
  events(thread: number, buf: Uint8Array): number;
  /** Event records dropped on a full ring, since the process started. */
  eventsDropped(): number;
}

let api: NativeRelayApi | null | undefined;
let native: WhisperdNative | null = null;

/** Config media.threads (default: the number of cores); applied when the next pair starts. */
let wantedThreads = os.availableParallelism();
let runningThreads = 0;
const THREAD_SLOTS = CounterSlot.COUNT + DROP_REASON_NAMES.length;
let threadCounters: Float64Array | null = null;
let threadSeen: Float64Array | null = null;

/** Fold what the media threads counted since the last call into mediaCounters (main thread). */
function collect(): void {
  const c = threadCounters;
  const seen = threadSeen;
  if (c === null || seen === null) return;
  const raw = mediaCounters.raw;
  const drops = mediaCounters.rawDrops;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    const d = v - seen[i]!;
    if (d === 0) continue;
    seen[i] = v;
    const k = i % THREAD_SLOTS;
    if (k < CounterSlot.COUNT) raw[k] += d;
    else drops[k - CounterSlot.COUNT] += d;
  }
}

/** Config media.threads: how many media threads the native relay runs (0 = relay on Node's loop). */
export function setMediaThreads(n: number): void {
  wantedThreads = n;
}

/** Event ring bytes per media thread (default 4 MiB), applied when threads next start (tests: a small ring). */
let ringBytes: number | undefined;
export function setMediaThreadRingBytes(n: number | undefined): void {
  ringBytes = n;
}

/** Config media.scheduling / media.priority, applied to each media thread when threads next start. */
export type MediaScheduling = 'default' | 'other' | 'fifo' | 'rr' | 'batch' | 'idle';
const SCHED_CODE: Record<MediaScheduling, number> = { default: 0, other: 1, fifo: 2, rr: 3, batch: 4, idle: 5 };
let schedPolicy: MediaScheduling = 'default';
let schedPriority: number | undefined;
export function setMediaThreadSched(policy: MediaScheduling, priority?: number): void {
  schedPolicy = policy;
  schedPriority = priority;
}

/** Scheduling of each running media thread as the kernel reports it ([] when none run or no addon). */
export function mediaThreadSched(): { tid: number; policy: number; rtPriority: number; nice: number; error: number; step: string }[] {
  return native?.relayThreadSched?.() ?? [];
}

/** Log (once per start) a scheduling the OS refused: the threads keep running as they are. */
function reportSched(n: WhisperdNative): void {
  if ((schedPolicy === 'default' && schedPriority === undefined) || !n.relayThreadSched) return;
  const refused = n.relayThreadSched().filter((s) => s.error !== 0);
  if (refused.length === 0) return;
  const e = refused[0]!;
  const reason = e.error === 1 ? 'EPERM: not permitted (needs CAP_SYS_NICE, or RLIMIT_RTPRIO / RLIMIT_NICE high enough)' : `errno ${e.error}`;
  logger.warn(
    { mod: 'media', scheduling: schedPolicy, priority: schedPriority, step: e.step, errno: e.error, threads: refused.length },
    `media threads: scheduling ${schedPolicy}${schedPriority === undefined ? '' : ` priority ${schedPriority}`} refused (${reason}); running with the inherited scheduling`,
  );
}

/** Start/stop media threads to match `media.threads` (before a pair starts). Busy threads are kept. */
function syncThreads(n: WhisperdNative): void {
  if (runningThreads === wantedThreads || !n.relayThreadsStart || !n.relayThreadsStop) return;
  if (runningThreads > 0 && !stopMediaThreads()) return;
  if (wantedThreads === 0) return;
  const counters = new Float64Array(new ArrayBuffer(8 * THREAD_SLOTS * wantedThreads));
  const r = n.relayThreadsStart(wantedThreads, counters, ringBytes, SCHED_CODE[schedPolicy], schedPriority);
  if (r !== 0) {
    logger.warn({ mod: 'media', code: r, threads: wantedThreads }, 'native relay: cannot start media threads; relaying on the event loop');
    wantedThreads = 0;
    return;
  }
  runningThreads = wantedThreads;
  reportSched(n);
  threadCounters = counters;
  threadSeen = new Float64Array(counters.length);
  mediaCounters.collect = collect;
}

/**
 * Join the media threads (Daemon.close). Their counts are folded into mediaCounters first. Returns
 * false, and keeps them, while an endpoint still relays on one (another daemon in this process).
 */
export function stopMediaThreads(): boolean {
  if (runningThreads === 0 || native === null || !native.relayThreadsStop) return true;
  collect();
  const r = native.relayThreadsStop();
  if (r !== 0 && r !== -3) return false;
  runningThreads = 0;
  threadCounters = null;
  threadSeen = null;
  mediaCounters.collect = null;
  return true;
}

/** The relay part of the addon, initialised once; null if unavailable (logged once). */
export function nativeRelayApi(): NativeRelayApi | null {
  if (api !== undefined) return api;
  const n: WhisperdNative | null = loadNative();
  if (n && n.relayInit && n.relayOpen && n.relayStart && n.relayStop && n.relayLive && n.relaySet && n.relayThreadOf && n.relayThreadLoads) {
    n.relayInit(mediaCounters.raw, mediaCounters.rawDrops, performance.now());
    native = n;
    const { relayOpen, relayStart, relayStop, relayLive, relaySet, relayThreadOf, relayThreadLoads } = n;
    const { relayAttachMix, relayDetachMix, mixEvents, mixEventsDropped } = n;
    api = {
      open: relayOpen,
      start(a, b, thread) {
        syncThreads(n);
        // A thread that does not run (any more): the least loaded one instead.
        return relayStart(a, b, thread !== undefined && thread >= 0 && thread < runningThreads ? thread : -1);
      },
      set: relaySet,
      stop: relayStop,
      live: relayLive,
      threadOf: relayThreadOf,
      threadLoads: relayThreadLoads,
      setSrtp: n.relaySetSrtp ?? null,
      nonRtp: n.relayNonRtp ?? null,
      mix:
        relayAttachMix && relayDetachMix && mixEvents && mixEventsDropped
          ? {
              ensureThreads() {
                syncThreads(n);
                return runningThreads;
              },
              attach: relayAttachMix,
              detach: relayDetachMix,
              events: mixEvents,
              eventsDropped: mixEventsDropped,
            }
          : null,
    };
  } else {
    api = null;
    logger.warn({ mod: 'media' }, 'native relay unavailable (addon missing or built without relay.cc): relaying in JS');
  }
  return api;
}

let nextPick = 0;

/**
 * The media thread for a new call (offer time): the least loaded running thread, ties broken round
 * robin (offers arrive before their pairs start, so a burst of offers spreads over the threads). Starts
 * the threads if `media.threads` asks for them; -1 when none run (Node's loop, or no addon). Every pair
 * and the mix of the call then go to that thread (RtpEndpoint.mediaThreadHint, NativeCallMixer).
 */
export function pickMediaThread(): number {
  const a = nativeRelayApi();
  if (a === null || native === null) return -1;
  syncThreads(native);
  if (runningThreads === 0) return -1;
  const loads = a.threadLoads();
  const n = Math.min(loads.length, runningThreads);
  if (n === 0) return -1;
  let best = -1;
  for (let k = 0; k < n; k++) {
    const i = (nextPick + k) % n;
    if (best < 0 || loads[i]! < loads[best]!) best = i;
  }
  nextPick = (best + 1) % n;
  return best;
}

/** Node's UDPWrap, the parts we use. */
export interface UdpHandle {
  readonly fd: number;
  recvStart(): number;
  recvStop(): number;
}

let stateSymbol: symbol | undefined;

/**
 * The libuv UDP handle of a bound dgram socket, or null. Reached through dgram's internal state symbol
 * (the `_handle` getter is deprecated, DEP0112, and warns).
 */
export function udpHandle(sock: dgram.Socket): UdpHandle | null {
  if (stateSymbol === undefined) stateSymbol = Object.getOwnPropertySymbols(sock).find((s) => s.description === 'state symbol');
  if (stateSymbol === undefined) return null;
  const state = (sock as unknown as Record<symbol, { handle?: unknown } | undefined>)[stateSymbol];
  const h = state?.handle as Partial<UdpHandle> | null | undefined;
  if (!h || typeof h.recvStart !== 'function' || typeof h.recvStop !== 'function' || typeof h.fd !== 'number' || h.fd < 0) return null;
  return h as UdpHandle;
}

/** '' -> 0; a canonical dotted-quad IPv4 address other than 0.0.0.0 -> its host-order value; else -1. */
export function ipv4ToU32(address: string): number {
  if (address === '') return 0;
  if (!isIPv4(address)) return -1;
  const p = address.split('.');
  const v = ((+p[0]! << 24) | (+p[1]! << 16) | (+p[2]! << 8) | +p[3]!) >>> 0;
  return v === 0 ? -1 : v;
}

export function u32ToIpv4(v: number): string {
  if (v === 0) return '';
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/**
 * An IPv6 literal as 4 host-order 32-bit words (network byte order, most significant first) into
 * out[at..at+4); false (out untouched) if it is not one. Signalling time only (allocates).
 */
export function ipv6ToWords(address: string, out: Float64Array, at: number): boolean {
  if (!isIPv6(address)) return false;
  let text = address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  const dot = text.lastIndexOf(':');
  const tail = text.slice(dot + 1);
  if (tail.includes('.')) {
    const p = tail.split('.').map(Number);
    text = `${text.slice(0, dot + 1)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? h : [...h, ...new Array<string>(8 - h.length - r.length).fill('0'), ...r];
  for (let i = 0; i < 4; i++) out[at + i] = ((parseInt(groups[2 * i]!, 16) << 16) | parseInt(groups[2 * i + 1]!, 16)) >>> 0;
  return true;
}

/** The canonical text (inet_ntop's, as Node reports a source) of 4 host-order words (ipv6ToWords' inverse). */
export function wordsToIpv6(s: Float64Array, at: number): string {
  const g: string[] = [];
  for (let i = 0; i < 4; i++) {
    const w = s[at + i]! >>> 0;
    g.push((w >>> 16).toString(16), (w & 0xffff).toString(16));
  }
  return new SocketAddress({ address: g.join(':'), family: 'ipv6' }).address;
}
