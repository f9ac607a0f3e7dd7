/**
 * Per-leg security decisions at offer/answer (issue #12): the transport protocol each side is written,
 * SDES keys (RFC 4568), DTLS role and fingerprints (RFC 5763), ICE flags — decided the way rtpengine 10.5
 * decides them (mr10.5.3.5 daemon/call.c `__update_media_protocol`, `__media_init_from_flags`,
 * `__sdes_accept`, `__dtls_logic`, `__generate_crypto`, `__sdes_flags`, `__ice_offer`; daemon/sdp.c
 * `insert_crypto`, `insert_dtls`, `print_sdp_media_section` for the lines written).
 *
 * Each MediaLeg carries a `LegSecurityState` (rtpengine's call_media flags and SDES queues for that side):
 *   proto      the protocol this side talks (its own SDP's, or what whisperd wrote to it), OSRTP included;
 *   sdesIn     the a=crypto lines this side sent (its keys: rx, what whisperd decrypts from it);
 *   sdesOut    the a=crypto lines whisperd wrote to it (whisperd's keys: tx, what whisperd encrypts to it);
 *   dtls/sdes  the keying in use; setupActive/setupPassive whisperd's DTLS role(s) towards it;
 *   fingerprint its certificate fingerprint (from its SDP); fpHash the hash whisperd prints.
 * `decideSecurity` computes new states for the sender's and the recipient's leg of every m= line (copies,
 * nothing applied) plus the lines for the recipient's SDP; `commitSecurity` stores them; and
 * `applyLegSecurity` installs keys on the endpoints (RtpEndpoint.setSrtp) once the command cannot fail.
 */
import type { NgParams } from '../control/ng/params';
import type { Fingerprint, SrtpPair } from '../media/secure';
import type { RtpEndpoint } from '../media/RtpEndpoint';
import {
  copyCrypto,
  formatCrypto,
  generateCrypto,
  osrtpOf,
  protocolInfo,
  readSecurity,
  SDES_SUITES,
  srtpKeyOf,
  suiteInfo,
  type MediaSecurity,
  type ProtocolInfo,
  type SdesCrypto,
} from '../sdp/security';
import type { ParsedSdp } from '../sdp/types';
import type { MediaLeg } from './MediaLeg';
import type { Participant } from './Participant';

/** rtpengine's per-media security flags and SDES queues for one side of one m= line. */
export interface LegSecurityState {
  proto: ProtocolInfo | null;
  sdesIn: SdesCrypto[];
  sdesOut: SdesCrypto[];
  sdes: boolean;
  dtls: boolean;
  /** whisperd may be DTLS server (passive) / client (active) towards this side. */
  setupPassive: boolean;
  setupActive: boolean;
  fingerprint: Fingerprint | null;
  fpHash: string | null;
  ice: boolean;
  iceLiteSelf: boolean;
  iceLitePeer: boolean;
  controlling: boolean;
  trickle: boolean;
  passthru: boolean;
  initialized: boolean;
  /** The fingerprint changed in this command (DTLS restarts at commit). */
  fingerprintChanged: boolean;
}

export function newSecurityState(): LegSecurityState {
  return {
    proto: null,
    sdesIn: [],
    sdesOut: [],
    sdes: false,
    dtls: false,
    setupPassive: false,
    setupActive: false,
    fingerprint: null,
    fpHash: null,
    ice: false,
    iceLiteSelf: false,
    iceLitePeer: false,
    controlling: false,
    trickle: false,
    passthru: false,
    initialized: false,
    fingerprintChanged: false,
  };
}

function cloneState(s: LegSecurityState): LegSecurityState {
  return {
    ...s,
    proto: s.proto ? { ...s.proto } : null,
    sdesIn: s.sdesIn.map(copyCrypto),
    sdesOut: s.sdesOut.map(copyCrypto),
    fingerprint: s.fingerprint ? { ...s.fingerprint } : null,
    fingerprintChanged: false,
  };
}

/** The ng flags and keys that steer encryption (rtpengine sdp_ng_flags), read once per command. */
export interface SecurityFlags {
  op: 'offer' | 'answer';
  sdesOff: boolean;
  sdesNo: Set<string>;
  sdesPad: boolean;
  sdesLifetime: boolean;
  sdesStatic: boolean;
  unencryptedSrtp: boolean;
  unencryptedSrtcp: boolean;
  unauthenticatedSrtp: boolean;
  encryptedSrtp: boolean;
  encryptedSrtcp: boolean;
  authenticatedSrtp: boolean;
  osrtpOffer: boolean;
  osrtpAccept: boolean;
  dtlsOff: boolean;
  dtlsPassive: boolean;
  dtlsReversePassive: boolean;
  dtlsFingerprint: string | null;
  /** ng transport-protocol (null: none; 'accept' is protocolAccept). */
  transportProtocol: ProtocolInfo | null;
  protocolAccept: boolean;
  ice: 'default' | 'remove' | 'force' | 'force-relay' | 'optional';
  iceLite: 'default' | 'off' | 'forward' | 'backward' | 'both';
  trickleIce: boolean;
}

const hyph = (s: string): string => s.trim().toLowerCase().replace(/[\s_]+/g, '-');

export function securityFlags(params: NgParams, op: 'offer' | 'answer'): SecurityFlags {
  const f: SecurityFlags = {
    op,
    sdesOff: false,
    sdesNo: new Set(),
    sdesPad: params.flags.has('pad-crypto'),
    sdesLifetime: false,
    sdesStatic: false,
    unencryptedSrtp: false,
    unencryptedSrtcp: false,
    unauthenticatedSrtp: false,
    encryptedSrtp: false,
    encryptedSrtcp: false,
    authenticatedSrtp: false,
    osrtpOffer: false,
    osrtpAccept: false,
    dtlsOff: false,
    dtlsPassive: false,
    dtlsReversePassive: false,
    dtlsFingerprint: params.dtlsFingerprint ?? null,
    transportProtocol: null,
    protocolAccept: false,
    ice: 'default',
    iceLite: 'default',
    trickleIce: params.flags.has('trickle-ice'),
  };
  for (const raw of params.sdes) {
    const o = raw.trim();
    const h = hyph(o);
    if (h.startsWith('no-') && h.length > 3) {
      f.sdesNo.add(o.slice(3).toUpperCase());
      continue;
    }
    switch (h) {
      case 'no':
      case 'off':
      case 'disabled':
      case 'disable':
        f.sdesOff = true;
        break;
      case 'unencrypted-srtp':
        f.unencryptedSrtp = true;
        break;
      case 'unencrypted-srtcp':
        f.unencryptedSrtcp = true;
        break;
      case 'unauthenticated-srtp':
        f.unauthenticatedSrtp = true;
        break;
      case 'encrypted-srtp':
        f.encryptedSrtp = true;
        break;
      case 'encrypted-srtcp':
        f.encryptedSrtcp = true;
        break;
      case 'authenticated-srtp':
        f.authenticatedSrtp = true;
        break;
      case 'lifetime':
        f.sdesLifetime = true;
        break;
      case 'pad':
        f.sdesPad = true;
        break;
      case 'static':
        f.sdesStatic = true;
        break;
      default:
        break; // rtpengine: "Unknown 'SDES' flag encountered", ignored
    }
  }
  for (const o of params.osrtp ?? []) {
    const h = hyph(o);
    if (h === 'accept' || h === 'accept-rfc' || h === 'accept-legacy') f.osrtpAccept = true;
    else if (h === 'offer' || h === 'offer-rfc' || h === 'offer-legacy') f.osrtpOffer = true;
  }
  switch (hyph(params.dtls ?? '')) {
    case 'passive':
      f.dtlsPassive = true;
      break;
    case 'no':
    case 'off':
    case 'disabled':
    case 'disable':
      f.dtlsOff = true;
      break;
    default:
      break;
  }
  if (hyph(params.dtlsReverse ?? '') === 'passive') f.dtlsReversePassive = true;
  if (params.transportProtocol !== undefined) {
    if (params.transportProtocol === 'accept') f.protocolAccept = true;
    else f.transportProtocol = protocolInfo(params.transportProtocol);
  }
  switch (hyph(params.ice ?? '')) {
    case 'remove':
      f.ice = 'remove';
      break;
    case 'force':
      f.ice = 'force';
      break;
    case 'optional':
      f.ice = 'optional';
      break;
    case 'force-relay':
      f.ice = 'force-relay';
      break;
    default:
      break;
  }
  switch (hyph(params.iceLite ?? '')) {
    case 'off':
    case 'none':
    case 'no':
      f.iceLite = 'off';
      break;
    case 'forward':
    case 'offer':
    case 'fwd':
    case 'fw':
      f.iceLite = 'forward';
      break;
    case 'backward':
    case 'backwards':
    case 'reverse':
    case 'answer':
    case 'back':
    case 'bkw':
    case 'bk':
      f.iceLite = 'backward';
      break;
    case 'both':
      f.iceLite = 'both';
      break;
    default:
      break;
  }
  return f;
}

/** What one m= line's security decision writes into the recipient's SDP and stores per leg. */
export interface SecurityDecision {
  /** m= protocol to write (null: keep the line's). */
  protocol: string | null;
  /** a= lines after a=rtcp / a=rtcp-mux: crypto, setup, fingerprint (rtpengine insert_crypto, insert_dtls). */
  keying: string[];
  sender: LegSecurityState | null;
  recipient: LegSecurityState | null;
}

export interface SecurityPlan {
  flags: SecurityFlags;
  medias: SecurityDecision[];
}

/** The certificate fingerprint of the process for `hash` (helper D's dtlsCertificate), null when DTLS is unavailable. */
export type FingerprintSource = (hash: string) => Fingerprint | null;

let fingerprintSource: FingerprintSource | null = null;

/** Wire the process certificate (set once at start by the DTLS module). */
export function setFingerprintSource(f: FingerprintSource | null): void {
  fingerprintSource = f;
}

function sameProto(a: ProtocolInfo | null, b: ProtocolInfo | null): boolean {
  if (a === null || b === null) return a === b;
  return a.name === b.name && a.osrtp === b.osrtp;
}

/** The protocol of an m= line as rtpengine reads it: RTP/AVP(F) with keying is OSRTP (RFC 8643). */
function sdpProtocol(protocol: string, sec: MediaSecurity): ProtocolInfo | null {
  const p = protocolInfo(protocol);
  if (p && p.rtp && !p.srtp && (sec.fingerprint !== null || sec.cryptos.length > 0)) return osrtpOf(p);
  return p;
}

function sdesFlags(c: SdesCrypto, f: SecurityFlags): void {
  if (f.unencryptedSrtp && f.op === 'offer') c.unencryptedSrtp = true;
  else if (f.encryptedSrtp) c.unencryptedSrtp = false;
  if (f.unencryptedSrtcp && f.op === 'offer') c.unencryptedSrtcp = true;
  else if (f.encryptedSrtcp) c.unencryptedSrtcp = false;
  if (f.unauthenticatedSrtp && f.op === 'offer') c.unauthenticatedSrtp = true;
  else if (f.authenticatedSrtp) c.unauthenticatedSrtp = false;
}

/** rtpengine __sdes_accept: prune what whisperd offered this side to the suite (and tag) it answered. */
function sdesAccept(s: LegSecurityState, f: SecurityFlags): void {
  if (s.sdesIn.length === 0) return;
  if (f.sdesNo.size > 0) s.sdesIn = s.sdesIn.filter((c) => !f.sdesNo.has(c.suite));
  const first = s.sdesIn[0];
  if (!first) return;
  s.sdesOut = s.sdesOut.filter((c) => c.suite === first.suite && c.tag === first.tag);
}

/** rtpengine __dtls_logic: the sender's a=setup / a=fingerprint. */
function dtlsLogic(s: LegSecurityState, sec: MediaSecurity, f: SecurityFlags): void {
  const wasPassiveOnly = s.setupPassive && !s.setupActive;
  // a=setup is the sender's role: actpass/active lets whisperd be passive, actpass/passive active.
  s.setupPassive = sec.setup === 'actpass' || sec.setup === 'active';
  s.setupActive = sec.setup === 'actpass' || sec.setup === 'passive';
  if (f.op === 'offer' && s.setupActive && s.setupPassive && wasPassiveOnly) s.setupActive = false;
  if (f.dtlsReversePassive && s.setupPassive) s.setupActive = false;
  const fp = sec.fingerprint;
  const changed = (fp?.hash ?? null) !== (s.fingerprint?.hash ?? null) || (fp?.value ?? null) !== (s.fingerprint?.value ?? null);
  if (changed) {
    if (s.fingerprint !== null) s.fingerprintChanged = true;
    s.fingerprint = fp ? { ...fp } : null;
  }
  s.dtls = (s.setupPassive || s.setupActive) && s.fingerprint !== null;
}

/** rtpengine __generate_crypto: what whisperd writes to the recipient `r` (`s`: the sender, may be null). */
function generateCryptoFor(r: LegSecurityState, s: LegSecurityState | null, f: SecurityFlags): void {
  const isOffer = f.op === 'offer';
  if (!r.proto || !r.proto.srtp || r.passthru) {
    r.sdesOut = [];
    r.dtls = r.sdes = r.setupPassive = r.setupActive = false;
    if (r.passthru && s) s.dtls = s.sdes = s.setupPassive = s.setupActive = false;
    return;
  }
  if (isOffer) {
    r.setupPassive = true;
    r.setupActive = true;
  } else {
    if (f.dtlsPassive && r.setupPassive) r.setupActive = false;
    if (r.setupActive) r.setupPassive = false;
  }
  let skipSdes = false;
  if (isOffer) {
    if (!r.dtls && !r.sdes) {
      if (!f.dtlsOff) r.dtls = true;
      if (!f.sdesOff) r.sdes = true;
      else skipSdes = true;
    }
  } else {
    if (r.dtls && r.sdes && f.dtlsOff) {
      r.dtls = false;
      r.fingerprint = null;
    }
    if (r.dtls) {
      r.sdes = false;
      skipSdes = true;
    }
  }
  if (!skipSdes) {
    if (isOffer) offerSdes(r, s, f);
    else answerSdes(r, s, f);
  }
  if (isOffer && r.dtls && r.fpHash === null && f.dtlsFingerprint) r.fpHash = f.dtlsFingerprint.toLowerCase();
}

function offerSdes(r: LegSecurityState, s: LegSecurityState | null, f: SecurityFlags): void {
  const orig = r.sdesOut;
  const out: SdesCrypto[] = [];
  let nextTag = 1;
  const seen = new Set<string>();
  for (const offered of s?.sdesIn ?? []) {
    const c = copyCrypto(offered);
    if (c.tag >= nextTag) nextTag = c.tag + 1;
    seen.add(c.suite);
    sdesFlags(c, f);
    out.push(c);
  }
  for (const c of orig) {
    if (seen.has(c.suite)) continue;
    if (c.tag < nextTag) c.tag = nextTag;
    if (c.tag >= nextTag) nextTag = c.tag + 1;
    out.push(c);
    seen.add(c.suite);
  }
  for (const suite of SDES_SUITES) {
    if (seen.has(suite.name)) continue;
    if (f.sdesNo.has(suite.name)) continue;
    const c = generateCrypto(nextTag++, suite);
    sdesFlags(c, f);
    out.push(c);
  }
  r.sdesOut = out;
}

function answerSdes(r: LegSecurityState, s: LegSecurityState | null, f: SecurityFlags): void {
  let cps = r.sdesOut[0] ?? null;
  let cpsIn = r.sdesIn[0] ?? null;
  const offered = s?.sdesIn[0] ?? null;
  let matched = false;
  if (f.sdesStatic && cps) {
    matched = r.sdesIn.some((c) => c.suite === cps!.suite && c.tag === cps!.tag);
  }
  if (!matched && offered) {
    const same = r.sdesIn.find((c) => c.suite === offered.suite);
    if (same) cpsIn = same;
  }
  if (cpsIn && (!cps || cps.suite !== cpsIn.suite)) {
    const suite = suiteInfo(cpsIn.suite)!;
    if (offered && offered.suite === cpsIn.suite) {
      // SRTP<>SRTP passthrough: the answerer's key is handed on
      cps = { ...copyCrypto(offered), tag: cpsIn.tag, unencryptedSrtp: cpsIn.unencryptedSrtp, unencryptedSrtcp: cpsIn.unencryptedSrtcp, unauthenticatedSrtp: cpsIn.unauthenticatedSrtp };
      // rtpengine crypto_params_copy copies the session parameters of the offered line too
      cps.unencryptedSrtp = offered.unencryptedSrtp;
      cps.unencryptedSrtcp = offered.unencryptedSrtcp;
      cps.unauthenticatedSrtp = offered.unauthenticatedSrtp;
    } else {
      cps = generateCrypto(cpsIn.tag, suite);
      cps.unencryptedSrtp = cpsIn.unencryptedSrtp;
      cps.unencryptedSrtcp = cpsIn.unencryptedSrtcp;
      cps.unauthenticatedSrtp = cpsIn.unauthenticatedSrtp;
    }
    r.sdesOut = [cps];
    const keep = cpsIn;
    r.sdesIn = [keep];
    sdesFlags(cps, f);
    sdesFlags(keep, f);
  }
}

/**
 * Per m= line of `sdp` (sent by `from`, forwarded to `to`): the protocols, SDES and DTLS decisions as new
 * leg states (copies; nothing applied) and the keying lines of the recipient's SDP.
 */
export function decideSecurity(sdp: ParsedSdp, from: Participant, to: Participant, params: NgParams, op: 'offer' | 'answer'): SecurityPlan {
  const f = securityFlags(params, op);
  const secs = readSecurity(sdp.text);
  const medias = sdp.medias.map((m, i): SecurityDecision => {
    const sec = secs[i] ?? { cryptos: [], setup: null, fingerprint: null, ice: null, trickle: false, endOfCandidates: false };
    const sLeg = from.legs[i];
    const rLeg = to.legs[i];
    const s = sLeg ? cloneState(sLeg.security) : newSecurityState();
    const r = rLeg ? cloneState(rLeg.security) : null;
    // __update_media_protocol
    const spProto = sdpProtocol(m.protocol, sec);
    if (!sameProto(s.proto, spProto)) {
      s.proto = spProto;
      if (r) {
        if (op === 'answer') {
          if (s.proto && s.proto.rtp && !s.proto.srtp && r.proto?.osrtp) {
            if (!f.osrtpAccept) r.proto = null;
          } else if (f.protocolAccept) {
            r.proto = null;
          }
        } else {
          r.proto = null;
        }
      }
    }
    if (r && !r.proto) r.proto = s.proto ? { ...s.proto } : null;
    if (r && f.transportProtocol && s.proto?.rtp) r.proto = { ...f.transportProtocol };
    if (r && r.proto && r.proto.rtp && !r.proto.srtp && !r.proto.osrtp && f.osrtpOffer && op === 'offer') r.proto = osrtpOf(r.proto);

    if (m.port !== 0) {
      s.ice = sec.ice !== null;
      s.trickle = sec.trickle || (m.trickleIce && sec.ice !== null);
      s.iceLitePeer = sec.ice?.lite ?? false;
      s.sdesIn = sec.cryptos.map(copyCrypto);
      if (s.sdesIn.length > 0) {
        s.sdes = true;
        sdesAccept(s, f);
      }
      dtlsLogic(s, sec, f);
      if (r) generateCryptoFor(r, s, f);
    }
    s.initialized = true;
    const keying = r && m.port !== 0 && rLeg?.endpoint ? keyingLines(r, f) : [];
    const rtp = r?.proto?.rtp ?? false;
    return { protocol: rtp && r ? r.proto!.name : null, keying, sender: sLeg ? s : null, recipient: r };
  });
  return { flags: f, medias };
}

/** a=crypto lines, then a=setup and a=fingerprint, as rtpengine writes them (recipient's fpHash is updated). */
function keyingLines(r: LegSecurityState, f: SecurityFlags): string[] {
  const out: string[] = [];
  if (r.passthru) return out;
  if (r.sdes) for (const c of r.sdesOut) out.push(formatCrypto(c, { pad: f.sdesPad, lifetime: f.sdesLifetime }));
  if (r.dtls && fingerprintSource) {
    const want = r.fpHash ?? r.fingerprint?.hash ?? null;
    const fp = (want !== null ? fingerprintSource(want) : null) ?? fingerprintSource('sha-256');
    if (fp) {
      r.fpHash = fp.hash;
      const setup = r.setupActive && r.setupPassive ? 'actpass' : r.setupPassive ? 'passive' : r.setupActive ? 'active' : 'holdconn';
      out.push('setup:' + setup, `fingerprint:${fp.hash} ${fp.value}`);
    }
  }
  return out;
}

/** Store the decided states (commit phase). */
export function commitSecurity(from: Participant, to: Participant, plan: SecurityPlan): void {
  plan.medias.forEach((d, i) => {
    const fl = from.legs[i];
    const tl = to.legs[i];
    if (fl && d.sender) fl.security = d.sender;
    if (tl && d.recipient) tl.security = d.recipient;
  });
}

/** The SRTP keys an SDES leg uses (rx: the party's key, tx: whisperd's), null when the leg is plain or not SDES. */
export function sdesPair(s: LegSecurityState): SrtpPair | null {
  if (!s.proto?.srtp || s.dtls || !s.sdes) return null;
  const rx = s.sdesIn[0];
  const tx = s.sdesOut[0];
  if (!rx || !tx) return null;
  return { rx: srtpKeyOf(rx), tx: srtpKeyOf(tx) };
}

/** The endpoint API of helper C (setSrtp), present once the SRTP plane is in. */
interface SrtpCapable {
  setSrtp?(pair: SrtpPair | null): void;
}

/**
 * Install each leg's keys on its endpoint (commit phase; cannot fail). A leg whose keys did not change is
 * left alone (its SRTP contexts, ROC and replay state continue).
 */
export function applyLegSecurity(p: Participant): void {
  for (const leg of p.legs) applyOne(leg);
}

function keyId(pair: SrtpPair | null): string {
  if (!pair) return '';
  const k = (x: SrtpPair['rx']): string => (x ? `${x.suite}/${x.masterKey.toString('hex')}/${x.masterSalt.toString('hex')}/${x.mki?.value ?? ''}:${x.mki?.length ?? 0}/${x.unencryptedSrtp ? 1 : 0}${x.unencryptedSrtcp ? 1 : 0}${x.unauthenticatedSrtp ? 1 : 0}` : '-');
  return `${k(pair.rx)}|${k(pair.tx)}`;
}

/** The keys installed on each endpoint (by identity), so unchanged keys are not re-installed. */
const installed = new WeakMap<RtpEndpoint, string>();

function applyOne(leg: MediaLeg): void {
  const ep = leg.endpoint as (RtpEndpoint & SrtpCapable) | null;
  if (!ep || ep.isClosed) return;
  const pair = sdesPair(leg.security);
  const id = keyId(pair);
  if (id === (installed.get(ep) ?? '')) return;
  if (typeof ep.setSrtp !== 'function') return;
  ep.setSrtp(pair);
  installed.set(ep, id);
}
