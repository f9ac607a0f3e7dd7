/**
 * The process's DTLS certificate (RFC 5763 §5: self-signed, identified by its a=fingerprint) and the DTLS
 * settings (config `dtls.*`). As rtpengine (daemon/dtls.c): one certificate per process, an EC P-256 key
 * (or RSA 2048, `dtls.cipher`), a random 64-bit serial, valid from a day back to `dtls.certificateLifetime`
 * ahead, generated at start and replaced at half-life. A session keeps the certificate it was created
 * with (its fingerprint is what the SDP said); new sessions take the current one.
 *
 * `dtlsCertificate()` returns the current certificate, generating one with the current settings on first
 * use (a Daemon generates it at start: `startDtls`). Throws if the native addon has no DTLS (not built).
 */
import { configSchema, type Config } from '../../config/schema';
import type { Logger } from '../../log';
import { FINGERPRINT_HASHES as FINGERPRINT_DIGEST_LENGTHS } from '../../sdp/security';
import { loadNative, type WhisperdNative } from '../../native/addon';
import type { DtlsCertHandle } from '../../../native/index';
import type { Fingerprint } from '../secure';
import { HandshakeLimiter } from './rateLimit';

/** Config `dtls` (src/config/schema.ts, where each setting is described). */
export type DtlsSettings = Config['dtls'];

/** The schema's defaults (rtpengine's: 30-day EC P-256 certificate, MTU 1200; 30 s handshake, 50 ClientHellos/s per source). */
export const DTLS_DEFAULTS: Readonly<DtlsSettings> = configSchema.shape.dtls.parse(undefined);

/** The hash names of a=fingerprint whisperd computes and checks (RFC 8122 / rtpengine hash_funcs). */
export const FINGERPRINT_HASHES: readonly string[] = Object.keys(FINGERPRINT_DIGEST_LENGTHS);

let settings: DtlsSettings = { ...DTLS_DEFAULTS };

/** Process-wide ClientHello limiter (per source address). */
export const handshakeLimiter = new HandshakeLimiter(settings.handshakesPerSecondPerSource);

export function dtlsSettings(): Readonly<DtlsSettings> {
  return settings;
}

/** The native functions DTLS needs, or a thrown Error naming what is missing. */
export function dtlsNative(): Required<Pick<WhisperdNative, DtlsFn>> & WhisperdNative {
  const n = loadNative();
  if (n === null || typeof n.dtlsConnCreate !== 'function' || typeof n.dtlsCertCreate !== 'function')
    throw new Error('DTLS unavailable: the native addon is missing or was built without native/src/dtls (run `make native`)');
  return n as Required<Pick<WhisperdNative, DtlsFn>> & WhisperdNative;
}
type DtlsFn =
  | 'dtlsCertCreate'
  | 'dtlsCertFingerprint'
  | 'dtlsCertPem'
  | 'dtlsCertValidity'
  | 'dtlsConnCreate'
  | 'dtlsFeed'
  | 'dtlsTimeout'
  | 'dtlsNextTimeout'
  | 'dtlsState'
  | 'dtlsError'
  | 'dtlsSetRemoteFingerprint'
  | 'dtlsPeerFingerprint'
  | 'dtlsSrtp'
  | 'dtlsShutdown'
  | 'dtlsCheck';

export class DtlsCertificate {
  private readonly prints = new Map<string, Fingerprint>();
  /** When it was made (ms since the epoch) and the settings it was made with. */
  readonly createdMs = Date.now();

  constructor(
    /** The native certificate; sessions made from it keep it alive. */
    readonly handle: DtlsCertHandle,
    readonly cipher: DtlsSettings['cipher'],
    readonly lifetime: number,
  ) {}

  /** The a=fingerprint of this certificate with `hash` (sha-1 … sha-512, case-insensitive). Throws RangeError on another hash. */
  fingerprint(hash = 'sha-256'): Fingerprint {
    const name = hash.toLowerCase();
    let fp = this.prints.get(name);
    if (fp === undefined) {
      const value = FINGERPRINT_HASHES.includes(name) ? dtlsNative().dtlsCertFingerprint(this.handle, name) : null;
      if (value === null) throw new RangeError(`unsupported fingerprint hash: ${hash}`);
      fp = { hash: name, value };
      this.prints.set(name, fp);
    }
    return fp;
  }

  /** The certificate in PEM (public part; never the key). */
  get pem(): string {
    return dtlsNative().dtlsCertPem(this.handle) ?? '';
  }

  /** Validity, Unix seconds: [notBefore, notAfter]. */
  get validity(): [number, number] {
    return dtlsNative().dtlsCertValidity(this.handle) ?? [0, 0];
  }

  /** Half its lifetime has passed: time to replace it (rtpengine __dtls_timer). */
  dueForRotation(nowMs = Date.now()): boolean {
    return nowMs - this.createdMs >= (this.lifetime * 1000) / 2;
  }
}

let current: DtlsCertificate | null = null;

function generate(): DtlsCertificate {
  const n = dtlsNative();
  const handle = n.dtlsCertCreate(settings.cipher === 'rsa2048' ? 1 : 0, settings.certificateLifetime, 'whisperd');
  return new DtlsCertificate(handle, settings.cipher, settings.certificateLifetime);
}

/** The process certificate (generated on first use). */
export function dtlsCertificate(): DtlsCertificate {
  if (current === null) current = generate();
  return current;
}

/** Replace the process certificate now; sessions already made keep theirs. Returns the new one. */
export function rotateDtlsCertificate(): DtlsCertificate {
  current = generate();
  return current;
}

/** The rotation check (rtpengine __dtls_timer): replace the certificate if half its lifetime has passed. True if replaced. */
export function rotateIfDue(nowMs = Date.now()): boolean {
  if (current === null || !current.dueForRotation(nowMs)) return false;
  current = generate();
  return true;
}

let users = 0;
let rotationTimer: NodeJS.Timeout | null = null;

/**
 * A Daemon starts DTLS: apply its settings, generate the certificate (a new one if none exists or the key
 * type / lifetime changed), check every so often whether half its lifetime has passed and replace it then.
 * Returns the stop function (the rotation check ends when the last user stops). Throws if DTLS is unavailable.
 */
export function startDtls(given: Partial<DtlsSettings> | undefined, log?: Logger): () => void {
  const config: DtlsSettings = { ...DTLS_DEFAULTS, ...given };
  settings = config;
  handshakeLimiter.setRate(config.handshakesPerSecondPerSource);
  if (current === null || current.cipher !== config.cipher || current.lifetime !== config.certificateLifetime) current = generate();
  log?.info({ fingerprint: current.fingerprint('sha-256').value, cipher: config.cipher }, 'DTLS certificate ready');
  users++;
  if (rotationTimer === null) {
    // A check at 1/8 of the half-life (1 s .. 1 h): setTimeout cannot wait 15 days in one go (2^31 ms cap).
    const everyMs = Math.min(3_600_000, Math.max(1000, (config.certificateLifetime * 1000) / 16));
    rotationTimer = setInterval(() => {
      if (rotateIfDue()) log?.info({ fingerprint: dtlsCertificate().fingerprint('sha-256').value }, 'DTLS certificate replaced at half-life');
    }, everyMs);
    rotationTimer.unref();
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    users--;
    if (users <= 0 && rotationTimer !== null) {
      clearInterval(rotationTimer);
      rotationTimer = null;
      users = 0;
    }
  };
}
