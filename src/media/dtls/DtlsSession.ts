/**
 * One endpoint's DTLS-SRTP session (RFC 5763 / RFC 5764), the TypeScript driver of native/src/dtls/:
 *
 *   - DTLS datagrams come in through `receive` (the leg's NonRtpHandler.onDtls routes them here) and go
 *     out of the endpoint's own socket (`endpoint.sendRaw`), so DTLS rides the media port (RFC 7983).
 *   - `connect(address, port)`: active (DTLS client, a=setup:active) sends its ClientHello there; passive
 *     (server) accepts the handshake from there. A passive session not told where yet accepts the first
 *     ClientHello's source and keeps to it. Datagrams from any other source are dropped and counted.
 *   - OpenSSL's retransmission timer runs on a Node timer (DTLSv1_get_timeout / handle_timeout); a
 *     handshake not complete `dtls.handshakeTimeout` seconds after it started fails ('timeout').
 *   - The peer certificate must match `remoteFingerprint` (the SDP's a=fingerprint, any of sha-1 … sha-512).
 *     null: the handshake may run, but the keys are handed over only once `setRemoteFingerprint` is given
 *     a matching one (rtpengine's delayed verification).
 *   - On success `onConnected(pair)` once, with the SRTP keys of the negotiated profile, split per role
 *     (RFC 5764 §4.2): rx decrypts what the peer sends, tx encrypts what we send. The caller installs them
 *     (`endpoint.setSrtp(pair)`). On failure `onFailed(reason)` once.
 *   - ClientHellos are rate-limited per source address (`dtls.handshakesPerSecondPerSource`); garbage and
 *     truncated records never reach OpenSSL. Nothing a peer sends throws out of `receive`.
 *   - A changed remote fingerprint means a new session (the caller closes this one and makes another).
 *     `close()` (idempotent) sends close_notify when connected and frees the native state.
 */
import type { DtlsConnHandle } from '../../../native/index';
import { FINGERPRINT_HASHES } from '../../sdp/security';
import type { RtpEndpoint } from '../RtpEndpoint';
import type { DtlsRole, DtlsState, Fingerprint, SrtpKey, SrtpPair, SrtpSuite } from '../secure';
import { dtlsCertificate, dtlsNative, dtlsSettings, handshakeLimiter, type DtlsCertificate } from './certificate';
import { dtlsCounters } from './counters';

export interface DtlsSessionOptions {
  role: DtlsRole;
  remoteFingerprint: Fingerprint | null;
  onConnected(pair: SrtpPair): void;
  onFailed(reason: string): void;
  /** Run on the endpoint's RTCP socket (a non-muxed RTCP component's own DTLS, RFC 5764 §4.1); default RTP. */
  rtcp?: boolean;
}

/** DTLS-SRTP protection profile (RFC 5764 §4.1.2, RFC 7714 §14.2) -> SRTP suite and key/salt lengths. */
export const DTLS_SRTP_PROFILES: Readonly<Record<string, { suite: SrtpSuite; key: number; salt: number }>> = {
  SRTP_AES128_CM_SHA1_80: { suite: 'AES_CM_128_HMAC_SHA1_80', key: 16, salt: 14 },
  SRTP_AES128_CM_SHA1_32: { suite: 'AES_CM_128_HMAC_SHA1_32', key: 16, salt: 14 },
  SRTP_AEAD_AES_128_GCM: { suite: 'AEAD_AES_128_GCM', key: 16, salt: 12 },
  SRTP_AEAD_AES_256_GCM: { suite: 'AEAD_AES_256_GCM', key: 32, salt: 12 },
};

/**
 * Split EXTRACTOR-dtls_srtp output (client key | server key | client salt | server salt, RFC 5764 §4.2)
 * into this side's keys: the DTLS client (active) sends with the client's keys.
 */
export function srtpPairFromExport(profile: string, material: Buffer, role: DtlsRole): SrtpPair | null {
  const p = DTLS_SRTP_PROFILES[profile];
  if (p === undefined || material.length !== 2 * (p.key + p.salt)) return null;
  const client: SrtpKey = {
    suite: p.suite,
    masterKey: Buffer.from(material.subarray(0, p.key)),
    masterSalt: Buffer.from(material.subarray(2 * p.key, 2 * p.key + p.salt)),
  };
  const server: SrtpKey = {
    suite: p.suite,
    masterKey: Buffer.from(material.subarray(p.key, 2 * p.key)),
    masterSalt: Buffer.from(material.subarray(2 * p.key + p.salt, 2 * (p.key + p.salt))),
  };
  return role === 'active' ? { rx: server, tx: client } : { rx: client, tx: server };
}

/**
 * Is `fp` an a=fingerprint whisperd can check (hash sha-1 … sha-512, value of that hash's length in
 * hex pairs separated by colons)? For validating SDP before committing a session.
 */
export function isCheckableFingerprint(fp: Fingerprint): boolean {
  const n = FINGERPRINT_HASHES[fp.hash.toLowerCase()];
  return n !== undefined && (fp.value.length + 1) / 3 === n && /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(fp.value);
}

/** Per-session counters (query). */
export interface DtlsSessionStats {
  received: number;
  sent: number;
  malformed: number;
  foreign: number;
  refused: number;
  retransmissions: number;
}

const enum NativeState {
  NEW = 0,
  HANDSHAKING = 1,
  CONNECTED = 2,
  FAILED = 3,
  CLOSED = 4,
}

export class DtlsSession {
  readonly role: DtlsRole;
  /** The certificate this session presents (its a=fingerprint is what our SDP must carry). */
  readonly certificate: DtlsCertificate;
  readonly stats: DtlsSessionStats = { received: 0, sent: 0, malformed: 0, foreign: 0, refused: 0, retransmissions: 0 };
  private readonly n = dtlsNative();
  private readonly opts: DtlsSessionOptions;
  private conn: DtlsConnHandle | null;
  private remoteFp: Fingerprint | null;
  private peer: { address: string; port: number } | null = null;
  /** The peer came from connect() (else from the first ClientHello, passive). */
  private namedPeer = false;
  private st: DtlsState = 'new';
  private retransmitTimer: NodeJS.Timeout | null = null;
  private deadline: NodeJS.Timeout | null = null;
  private srtpProfile: string | null = null;
  private failure = '';
  /** After a stranger's failed handshake (unnamed passive peer): no new ClientHello before this (performance.now ms). */
  private strangerHoldUntil = 0;

  constructor(
    private readonly endpoint: RtpEndpoint,
    opts: DtlsSessionOptions,
  ) {
    this.role = opts.role;
    this.opts = opts;
    this.certificate = dtlsCertificate();
    this.conn = this.n.dtlsConnCreate(this.certificate.handle, opts.role === 'active', dtlsSettings().mtu);
    this.remoteFp = null;
    const fp = opts.remoteFingerprint;
    if (fp !== null && this.n.dtlsSetRemoteFingerprint(this.conn, fp.hash.toLowerCase(), fp.value) < 0) {
      this.n.destroy(this.conn);
      this.conn = null;
      this.st = 'closed';
      throw new RangeError(`bad DTLS fingerprint: ${fp.hash} ${fp.value.slice(0, 200)}`);
    }
    this.remoteFp = fp;
  }

  get state(): DtlsState {
    return this.st;
  }

  /** This session's a=fingerprint with `hash` (the certificate it presents). */
  fingerprint(hash = 'sha-256'): Fingerprint {
    return this.certificate.fingerprint(hash);
  }

  /** The negotiated DTLS-SRTP profile ('SRTP_AES128_CM_SHA1_80' …) once connected, else null. */
  get profile(): string | null {
    return this.srtpProfile;
  }

  /** The SRTP suite of the negotiated profile once connected, else null. */
  get suite(): SrtpSuite | null {
    return this.srtpProfile === null ? null : (DTLS_SRTP_PROFILES[this.srtpProfile]?.suite ?? null);
  }

  /** Why it failed or closed ('' otherwise). */
  get reason(): string {
    return this.failure;
  }

  /** The peer certificate's fingerprint with `hash`, once it sent one. */
  peerFingerprint(hash = 'sha-256'): Fingerprint | null {
    if (this.conn === null) return null;
    const value = this.n.dtlsPeerFingerprint(this.conn, hash.toLowerCase());
    return value === null ? null : { hash: hash.toLowerCase(), value };
  }

  /** Give (or confirm) the peer's a=fingerprint; with a certificate already seen, it is checked now. */
  setRemoteFingerprint(fp: Fingerprint): void {
    if (this.conn === null) return;
    this.applyFingerprint(fp);
    this.afterStep();
  }

  /** Active: start the handshake toward address:port. Passive: accept it from there. */
  connect(address: string, port: number): void {
    if (this.conn === null || this.st === 'failed' || this.st === 'closed') return;
    const moved = this.peer !== null && (this.peer.address !== address || this.peer.port !== port);
    this.peer = { address, port };
    this.namedPeer = true;
    if (this.role === 'active') {
      if (this.st === 'new') {
        this.st = 'connecting';
        this.startDeadline();
        this.send(this.n.dtlsFeed(this.conn, null, 0, 0));
        this.afterStep();
      }
      return;
    }
    // Passive: a handshake half-done with another source is abandoned for the one named now.
    if (moved && this.st === 'connecting') this.restart();
  }

  /** A DTLS datagram that arrived on the endpoint (RFC 7983: first byte 20..63). Never throws. */
  receive(msg: Buffer, address: string, port: number): void {
    if (this.conn === null || this.st === 'failed' || this.st === 'closed') {
      dtlsCounters.dropped.closed++;
      return;
    }
    const check = this.n.dtlsCheck(msg, 0, msg.length);
    if (check < 0 || (check & 15) !== 0) {
      this.stats.malformed++;
      dtlsCounters.dropped.malformed++;
      return;
    }
    const hello = (check & 16) !== 0;
    if (this.peer === null) {
      if (this.role !== 'passive' || !hello) {
        this.stats.foreign++;
        dtlsCounters.dropped.foreign++;
        return;
      }
      if (this.strangerHoldUntil !== 0 && performance.now() < this.strangerHoldUntil) {
        // At most one stranger handshake per second per session (each costs an ECDHE + a signature).
        this.refuse();
        return;
      }
    } else if (this.peer.address !== address || this.peer.port !== port) {
      this.stats.foreign++;
      dtlsCounters.dropped.foreign++;
      return;
    }
    if (hello && this.st !== 'connected' && !handshakeLimiter.allow(address)) {
      this.refuse();
      return;
    }
    if (this.peer === null) this.peer = { address, port };
    if (this.st === 'new') {
      this.st = 'connecting';
      this.startDeadline();
    }
    this.stats.received++;
    const out = this.n.dtlsFeed(this.conn, msg, 0, msg.length);
    if (this.stats.sent === 0 && this.role === 'passive' && this.n.dtlsState(this.conn) === NativeState.FAILED) {
      // A passive session that has answered nothing yet has nothing to lose: a datagram OpenSSL could not
      // take as a ClientHello (well-formed records, garbage inside) is noise, not a failed handshake.
      this.stats.malformed++;
      dtlsCounters.dropped.malformed++;
      const peerWasNamed = this.namedPeer;
      this.restart();
      if (!peerWasNamed) this.peer = null;
      return;
    }
    this.send(out);
    this.afterStep();
  }

  /** Idempotent: close_notify when connected, timers stopped, native state freed. */
  close(): void {
    if (this.st === 'closed' && this.conn === null) return;
    this.clearTimers();
    if (this.conn !== null) {
      if (this.st === 'connected') this.send(this.n.dtlsShutdown(this.conn));
      this.n.destroy(this.conn);
      this.conn = null;
    }
    if (this.st !== 'failed') this.st = 'closed';
  }

  // --- internals ---------------------------------------------------------------------------------

  /** A ClientHello refused by a rate limit: counted on the session, as a dropped datagram and as a refused handshake. */
  private refuse(): void {
    this.stats.refused++;
    dtlsCounters.dropped.refused++;
    dtlsCounters.handshakes.refused++;
  }

  private applyFingerprint(fp: Fingerprint): void {
    const r = this.n.dtlsSetRemoteFingerprint(this.conn!, fp.hash.toLowerCase(), fp.value);
    if (r < 0) {
      this.fail('failed', `bad remote fingerprint (${fp.hash})`);
      return;
    }
    this.remoteFp = fp;
  }

  private restart(): void {
    if (this.conn !== null) this.n.destroy(this.conn);
    this.clearTimers();
    this.conn = this.n.dtlsConnCreate(this.certificate.handle, this.role === 'active', dtlsSettings().mtu);
    this.st = 'new';
    if (this.remoteFp !== null) this.applyFingerprint(this.remoteFp);
  }

  private send(out: Buffer[] | number): void {
    if (typeof out === 'number' || this.peer === null) return;
    for (const d of out) {
      this.stats.sent++;
      this.sendTo(d, this.peer.address, this.peer.port);
    }
  }

  private sendTo(d: Buffer, address: string, port: number): void {
    try {
      this.endpoint.sendRaw(d, address, port, this.opts.rtcp === true);
    } catch {
      // A closed socket: the handshake fails by its timeout, never by an exception out of a timer.
    }
  }

  /** After every native step: state, keys, timers. */
  private afterStep(): void {
    if (this.conn === null) return;
    const s = this.n.dtlsState(this.conn);
    if (s === NativeState.FAILED) {
      this.fail('failed', this.n.dtlsError(this.conn) || 'DTLS failed');
      return;
    }
    if (s === NativeState.CLOSED) {
      this.clearTimers();
      this.failure = this.n.dtlsError(this.conn);
      if (this.st !== 'connected') {
        this.fail('failed', this.failure || 'DTLS closed by the peer during the handshake');
        return;
      }
      this.st = 'closed';
      return;
    }
    if (s === NativeState.CONNECTED && this.st !== 'connected') {
      const keys = this.n.dtlsSrtp(this.conn);
      if (keys !== null) {
        const pair = srtpPairFromExport(keys.profile, keys.material, this.role);
        if (pair === null) {
          this.fail('failed', `unknown DTLS-SRTP profile ${keys.profile}`);
          return;
        }
        this.srtpProfile = keys.profile;
        this.st = 'connected';
        if (this.deadline !== null) clearTimeout(this.deadline);
        this.deadline = null;
        dtlsCounters.handshakes.ok++;
        this.opts.onConnected(pair);
      }
      else if (this.remoteFp !== null) {
        // Connected and verified (a fingerprint given before the certificate came is checked during the
        // handshake) but no keys: the peer did not negotiate use_srtp (RFC 5764 §4.1.1) — DTLS without SRTP.
        this.fail('failed', 'no DTLS-SRTP protection profile negotiated (the peer sent no use_srtp we support)');
        return;
      }
      // No keys yet otherwise: connected, the fingerprint is still to come (setRemoteFingerprint); the
      // handshake deadline keeps running.
    }
    this.scheduleRetransmit();
  }

  private scheduleRetransmit(): void {
    if (this.retransmitTimer !== null) clearTimeout(this.retransmitTimer);
    this.retransmitTimer = null;
    if (this.conn === null) return;
    const ms = this.n.dtlsNextTimeout(this.conn);
    if (ms < 0) return;
    this.retransmitTimer = setTimeout(this.onRetransmit, Math.max(1, ms));
    this.retransmitTimer.unref();
  }

  private readonly onRetransmit = (): void => {
    this.retransmitTimer = null;
    if (this.conn === null) return;
    const out = this.n.dtlsTimeout(this.conn);
    if (typeof out !== 'number') this.stats.retransmissions += out.length;
    this.send(out);
    this.afterStep();
  };

  private startDeadline(): void {
    if (this.deadline !== null) return;
    this.deadline = setTimeout(() => {
      this.deadline = null;
      if (this.st !== 'connected') this.fail('timeout', `DTLS handshake not complete after ${dtlsSettings().handshakeTimeout} s`);
    }, dtlsSettings().handshakeTimeout * 1000);
    this.deadline.unref();
  }

  private clearTimers(): void {
    if (this.retransmitTimer !== null) clearTimeout(this.retransmitTimer);
    if (this.deadline !== null) clearTimeout(this.deadline);
    this.retransmitTimer = null;
    this.deadline = null;
  }

  private fail(kind: 'failed' | 'timeout', reason: string): void {
    if (this.st === 'failed') return;
    this.clearTimers();
    const wasConnected = this.st === 'connected';
    this.st = 'failed';
    this.failure = reason;
    if (kind === 'timeout') dtlsCounters.handshakes.timeout++;
    else if (!wasConnected) dtlsCounters.handshakes.failed++;
    if (!wasConnected && this.role === 'passive' && !this.namedPeer) {
      // A passive session that took the first ClientHello's source (nobody named the peer): a stranger that
      // handshook first (wrong certificate, or gone silent) must not lock the real peer out. Counted above;
      // the session starts over and takes the next ClientHello's source (review R).
      // At most one such restart per second, so spoofed sources cannot make it handshake without end.
      this.restart();
      this.peer = null;
      this.failure = reason;
      this.strangerHoldUntil = performance.now() + 1000;
      return;
    }
    if (this.conn !== null) {
      // The fatal alert OpenSSL queued (if any) was sent by the step that failed; nothing more goes out.
      this.n.destroy(this.conn);
      this.conn = null;
    }
    this.opts.onFailed(reason);
  }
}
