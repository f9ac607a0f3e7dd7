/**
 * SRTP / SRTCP contexts (RFC 3711, RFC 6188, RFC 7714) for the JS path, the media threads and tests.
 *
 * The transform is native (native/src/srtp/, OpenSSL EVP): an `SrtpContext` owns one native context =
 * one direction of one endpoint under one master key, with its session keys derived and its OpenSSL
 * contexts keyed once, at signalling time, and per-SSRC state (ROC, replay window, SRTCP index)
 * preallocated. `protect` / `unprotect` work in place, synchronously, without allocating; a result
 * < 0 is an `SrtpError` (the packet is dropped; the native context counts auth failures and replays).
 * The media threads use the same native object while the endpoint is native (src/media/nativeRelay.ts);
 * whoever created the SrtpContext keeps it alive until the media thread has let go, then `destroy()`s it.
 */
import { loadNative } from '../native/addon';
import type { SrtpHandle } from '../../native/index';
import type { SrtpKey, SrtpStats, SrtpSuite } from './secure';

export interface SrtpSuiteInfo {
  /** Index of the suite in the native table (native/src/srtp/srtp.h Suite). */
  id: number;
  keyLength: number;
  saltLength: number;
  /** Auth tag bytes on SRTP and on SRTCP (AEAD: the GCM tag). */
  srtpTagLength: number;
  srtcpTagLength: number;
  aead: boolean;
}

/** Every suite rtpengine offers (daemon/crypto.c), in native/src/srtp/srtp.h order. */
export const SRTP_SUITES: Readonly<Record<SrtpSuite, SrtpSuiteInfo>> = {
  AES_CM_128_HMAC_SHA1_80: { id: 0, keyLength: 16, saltLength: 14, srtpTagLength: 10, srtcpTagLength: 10, aead: false },
  AES_CM_128_HMAC_SHA1_32: { id: 1, keyLength: 16, saltLength: 14, srtpTagLength: 4, srtcpTagLength: 10, aead: false },
  AES_192_CM_HMAC_SHA1_80: { id: 2, keyLength: 24, saltLength: 14, srtpTagLength: 10, srtcpTagLength: 10, aead: false },
  AES_192_CM_HMAC_SHA1_32: { id: 3, keyLength: 24, saltLength: 14, srtpTagLength: 4, srtcpTagLength: 10, aead: false },
  AES_256_CM_HMAC_SHA1_80: { id: 4, keyLength: 32, saltLength: 14, srtpTagLength: 10, srtcpTagLength: 10, aead: false },
  AES_256_CM_HMAC_SHA1_32: { id: 5, keyLength: 32, saltLength: 14, srtpTagLength: 4, srtcpTagLength: 10, aead: false },
  AEAD_AES_128_GCM: { id: 6, keyLength: 16, saltLength: 12, srtpTagLength: 16, srtcpTagLength: 16, aead: true },
  AEAD_AES_256_GCM: { id: 7, keyLength: 32, saltLength: 12, srtpTagLength: 16, srtcpTagLength: 16, aead: true },
  NULL_HMAC_SHA1_80: { id: 8, keyLength: 16, saltLength: 14, srtpTagLength: 10, srtcpTagLength: 10, aead: false },
  NULL_HMAC_SHA1_32: { id: 9, keyLength: 16, saltLength: 14, srtpTagLength: 4, srtcpTagLength: 10, aead: false },
  F8_128_HMAC_SHA1_80: { id: 10, keyLength: 16, saltLength: 14, srtpTagLength: 10, srtcpTagLength: 10, aead: false },
  F8_128_HMAC_SHA1_32: { id: 11, keyLength: 16, saltLength: 14, srtpTagLength: 4, srtcpTagLength: 10, aead: false },
};

/** Bytes protect may append at most (SRTCP E+index 4, MKI up to 128, tag 16): a send buffer needs this much room. */
export const SRTP_MAX_OVERHEAD = 4 + 128 + 16;

/** Negative results of protect / unprotect (native/src/srtp/srtp.h Result; -1..-3 are NativeError). */
export const enum SrtpError {
  ARG = -1,
  CLOSED = -3,
  /** Too short for the header + trailer, or not RTP/RTCP version 2 (counted as an auth failure). */
  SHORT = -10,
  /** The tag did not verify (or an unknown MKI). */
  AUTH = -11,
  /** Replayed, or older than the 128-packet window. */
  REPLAY = -12,
  /** protect: no room in the buffer for the trailer. */
  SPACE = -13,
  /** The master key's lifetime (packets) is used up. */
  LIFETIME = -14,
  INTERNAL = -15,
}

/** (takeover) One SSRC's SRTP state: highest 48-bit index (ROC << 16 | seq) and SRTCP index. */
export interface SrtpStreamState {
  ssrc: number;
  index: number;
  rtcpIndex: number;
}

/** Test-only creation options (RFC vectors give session keys, not master keys). */
export interface SrtpTestOptions {
  sessionKeys?: boolean;
  authKey?: Buffer;
  initialRoc?: number;
}

type SrtpNative = {
  srtpCreate(o: object): SrtpHandle;
  srtpProtect(h: SrtpHandle, buf: Uint8Array, len: number, rtcp: boolean): number;
  srtpUnprotect(h: SrtpHandle, buf: Uint8Array, len: number, rtcp: boolean): number;
  srtpStats(h: SrtpHandle, out: Float64Array): number;
  srtpStreams?(h: SrtpHandle, out: Float64Array): number;
  srtpSeed?(h: SrtpHandle, ssrc: number, index: number, rtcpIndex: number): number;
  srtpDeriveKey(key: Uint8Array, salt: Uint8Array, label: number, n: number): Uint8Array;
  destroy(h: unknown): number;
};

let api: SrtpNative | null | undefined;

/** The addon's SRTP functions, or null when the addon (or its SRTP part) is unavailable. */
export function srtpNative(): SrtpNative | null {
  if (api === undefined) {
    const m = loadNative() as unknown as Partial<SrtpNative> | null;
    api = m !== null && typeof m.srtpCreate === 'function' ? (m as SrtpNative) : null;
  }
  return api;
}

/** RFC 3711 §4.3.3 AES-CM PRF (kdr 0) of the addon, for tests. */
export function srtpDeriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const n = srtpNative();
  if (n === null) throw new Error('SRTP unavailable: the native addon is not loaded');
  return Buffer.from(n.srtpDeriveKey(masterKey, masterSalt, label, length));
}

export class SrtpContext {
  /** The native context (the media threads take it by this handle). */
  readonly handle: SrtpHandle;
  readonly suite: SrtpSuite;
  private readonly n: SrtpNative;
  private readonly statsOut = new Float64Array(4);
  private readonly _stats: SrtpStats = { authFailures: 0, replays: 0, decrypted: 0, encrypted: 0 };
  private destroyed = false;

  private constructor(n: SrtpNative, handle: SrtpHandle, suite: SrtpSuite) {
    this.n = n;
    this.handle = handle;
    this.suite = suite;
  }

  /** A context for one direction under `key` (signalling time). Throws on bad keys or without the addon. */
  static create(key: SrtpKey, test?: SrtpTestOptions): SrtpContext {
    const n = srtpNative();
    if (n === null) throw new Error('SRTP unavailable: the native addon is not loaded');
    const info = SRTP_SUITES[key.suite];
    if (info === undefined) throw new RangeError(`unknown SRTP suite ${String(key.suite)}`);
    const h = n.srtpCreate({
      suite: info.id,
      key: key.masterKey,
      salt: key.masterSalt,
      mki: key.mki?.value ?? 0,
      mkiLength: key.mki?.length ?? 0,
      lifetime: key.lifetime,
      unencryptedSrtp: key.unencryptedSrtp === true,
      unencryptedSrtcp: key.unencryptedSrtcp === true,
      unauthenticatedSrtp: key.unauthenticatedSrtp === true,
      sessionKeys: test?.sessionKeys === true,
      authKey: test?.authKey,
      initialRoc: test?.initialRoc,
    });
    return new SrtpContext(n, h, key.suite);
  }

  /** Protect buf[0..len) in place (buf must have room for the trailer: SRTP_MAX_OVERHEAD). New length, or < 0. */
  protect(buf: Uint8Array, len: number, rtcp: boolean): number {
    return this.n.srtpProtect(this.handle, buf, len, rtcp);
  }

  /** Unprotect buf[0..len) in place. Plain length, or < 0 (SrtpError; counted). */
  unprotect(buf: Uint8Array, len: number, rtcp: boolean): number {
    return this.n.srtpUnprotect(this.handle, buf, len, rtcp);
  }

  /** Counters of this context (read at query / scrape time). */
  get stats(): SrtpStats {
    if (!this.destroyed && this.n.srtpStats(this.handle, this.statsOut) === 0) {
      const o = this.statsOut;
      this._stats.authFailures = o[0]!;
      this._stats.replays = o[1]!;
      this._stats.decrypted = o[2]!;
      this._stats.encrypted = o[3]!;
    }
    return this._stats;
  }

  /**
   * (takeover) Per-SSRC state, read off the packet path: the highest 48-bit SRTP index (ROC << 16 | seq)
   * and the SRTCP index of every stream this context has seen or sent.
   */
  streams(): SrtpStreamState[] {
    if (this.destroyed || typeof this.n.srtpStreams !== 'function') return [];
    const out = new Float64Array(4 * 16);
    const k = this.n.srtpStreams(this.handle, out);
    const list: SrtpStreamState[] = [];
    for (let i = 0; i < k; i++) list.push({ ssrc: out[4 * i]!, index: out[4 * i + 1]!, rtcpIndex: out[4 * i + 2]! });
    return list;
  }

  /** (takeover) Continue streams another node ran (before the context is in use): see srtpSeed. */
  seed(streams: readonly SrtpStreamState[]): void {
    if (this.destroyed || typeof this.n.srtpSeed !== 'function') return;
    for (const st of streams) this.n.srtpSeed(this.handle, st.ssrc >>> 0, Math.min(Math.max(0, Math.floor(st.index)), 2 ** 48 - 1), Math.min(Math.max(0, Math.floor(st.rtcpIndex)), 0x7fffffff));
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Free the native context (idempotent). Only once no media thread uses it (RtpEndpoint sees to that). */
  destroy(): void {
    if (this.destroyed) return;
    this.stats; // keep the last counts readable
    this.destroyed = true;
    this.n.destroy(this.handle);
  }
}
