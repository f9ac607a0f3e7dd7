/**
 * TS binding of the native relay fast path (native/src/relay.cc), used only by RtpEndpoint.
 *
 * On by default (config `media.nativeRelay`). When both endpoints of a relay pair are pure relay (forwarding
 * to each other, no engine), RtpEndpoint stops Node's reading on their four sockets and the addon
 * receives (recvmmsg) and forwards (sendmmsg) for them on Node's own loop, applying RtpEndpoint's
 * rules. Per-endpoint state is a Float64Array shared with the addon (slots below): JS writes policy and
 * SDP remotes into it, the addon writes latching, stats and the last SSRC; no sync calls are needed.
 * Global counters are mediaCounters' own arrays (the addon counts into them).
 *
 * If the addon (or its relay functions) is missing, or a socket's handle/fd cannot be reached, every
 * endpoint simply stays on the JS path.
 */
import type dgram from 'node:dgram';
import { isIPv4 } from 'node:net';
import { loadNative } from '../native/addon';
import { logger } from '../log';
import type { RelayHandle, WhisperdNative } from '../../native/index';
import { mediaCounters } from './counters';

export type { RelayHandle } from '../../native/index';

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
  COUNT = 16,
}

export interface NativeRelayApi {
  /** `own`: OwnSockets.native (whisperd's own sockets: refused as source and destination). */
  open(rtpFd: number, rtcpFd: number, state: Float64Array, own?: Float64Array): RelayHandle;
  start(a: RelayHandle, b: RelayHandle): number;
  stop(h: RelayHandle): number;
  /** Native endpoints not yet freed. */
  live(): number;
}

let api: NativeRelayApi | null | undefined;

/** The relay part of the addon, initialised once; null if unavailable (logged once). */
export function nativeRelayApi(): NativeRelayApi | null {
  if (api !== undefined) return api;
  const n: WhisperdNative | null = loadNative();
  if (n && n.relayInit && n.relayOpen && n.relayStart && n.relayStop && n.relayLive) {
    n.relayInit(mediaCounters.values, mediaCounters.drops, performance.now());
    const { relayOpen, relayStart, relayStop, relayLive } = n;
    api = { open: relayOpen, start: relayStart, stop: relayStop, live: relayLive };
  } else {
    api = null;
    logger.warn({ mod: 'media' }, 'native relay unavailable (addon missing or built without relay.cc): relaying in JS');
  }
  return api;
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
