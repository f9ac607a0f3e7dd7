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
import type { DtlsRole, DtlsState, Fingerprint, IceCandidate, IceParams, NonRtpHandler, SrtpKey, SrtpPair, SrtpSuite } from '../media/secure';
import type { RtpEndpoint, SrtpSeeds } from '../media/RtpEndpoint';
import type { Logger } from '../log';
import { BadRequestError, UnsupportedError } from '../errors';
import { isIP } from 'node:net';
import type { Interfaces } from '../media/interfaces';
import { IceAgent, type IceTimers } from '../media/ice/IceAgent';
import { formatCandidate as formatIceCandidate, foundationFor, localIceParams } from '../media/ice/candidates';
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
import { isZeroAddress } from '../sdp/direction';
import type { ParsedSdp } from '../sdp/types';
import { cloneState, newSecurityState, type LegSecurityState } from './legSecurityState';
import type { MediaLeg } from './MediaLeg';
import type { Participant } from './Participant';

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
  /** ng flag reject-ICE: the offerer's ICE is not used. */
  iceReject: boolean;
  /** ng passthrough on / off (flags passthrough, no-passthrough). */
  passthroughOn: boolean;
  passthroughOff: boolean;
}

const hyph = (s: string): string => s.trim().toLowerCase().replace(/[\s_]+/g, '-');

/** ng ICE (remove, force, optional, force-relay; anything else: default). */
function iceOption(params: Pick<NgParams, 'ice'>): SecurityFlags['ice'] {
  const h = hyph(params.ice ?? '');
  return h === 'remove' || h === 'force' || h === 'optional' || h === 'force-relay' ? h : 'default';
}

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
    ice: iceOption(params),
    iceLite: 'default',
    trickleIce: params.flags.has('trickle-ice'),
    iceReject: params.flags.has('reject-ice'),
    passthroughOn: params.flags.has('passthrough'),
    passthroughOff: params.flags.has('no-passthrough'),
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
  /** The received section had a=end-of-candidates (rtpengine writes it again). */
  endOfCandidates: boolean;
  /** ICE passthrough: whisperd's candidates, prioritised below the sender's (rtpengine new_priority). */
  passthruCandidates: IceCandidate[] | null;
  sender: LegSecurityState | null;
  recipient: LegSecurityState | null;
}

export interface SecurityPlan {
  flags: SecurityFlags;
  medias: SecurityDecision[];
}

/** What a leg needs of a DTLS session (src/media/dtls/DtlsSession.ts). */
export interface DtlsSessionLike {
  readonly role: DtlsRole;
  readonly state: DtlsState;
  readonly suite: SrtpSuite | null;
  /** The a=fingerprint of the certificate this session presents. */
  fingerprint?(hash: string): Fingerprint;
  connect(address: string, port: number): void;
  receive(msg: Buffer, address: string, port: number): void;
  close(): void;
}

/** DTLS for the legs: the process certificate and sessions (wired by src/call/legDtls.ts at load). */
export interface DtlsBackend {
  /** The process certificate's fingerprint with `hash`; throws on an unknown hash. */
  fingerprint(hash: string): Fingerprint;
  session(
    ep: RtpEndpoint,
    opts: { role: DtlsRole; remoteFingerprint: Fingerprint | null; onConnected(pair: SrtpPair): void; onFailed(reason: string): void },
  ): DtlsSessionLike;
}

let dtlsBackend: DtlsBackend | null = null;

/** Wire DTLS in (src/call/legDtls.ts); without it no a=fingerprint is written and no DTLS session starts. */
export function setDtlsBackend(b: DtlsBackend | null): void {
  dtlsBackend = b;
}

/** The process certificate's fingerprint for `hash`, null when DTLS is unavailable or the hash unknown. */
function ourFingerprint(hash: string): Fingerprint | null {
  if (!dtlsBackend) return null;
  try {
    return dtlsBackend.fingerprint(hash);
  } catch {
    return null;
  }
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

/** rtpengine __update_media_protocol: the sender's protocol from its SDP (`sp`), the recipient's from it or the flags. */
function updateMediaProtocol(s: LegSecurityState, r: LegSecurityState | null, sp: ProtocolInfo | null, f: SecurityFlags): void {
  if (!sameProto(s.proto, sp)) {
    s.proto = sp;
    if (r && forgetsRecipientProto(sp, r.proto, f)) r.proto = null;
  }
  if (!r) return;
  if (!r.proto) r.proto = s.proto ? { ...s.proto } : null;
  if (f.transportProtocol && s.proto?.rtp) r.proto = { ...f.transportProtocol };
  if (r.proto && r.proto.rtp && !r.proto.srtp && !r.proto.osrtp && f.osrtpOffer && f.op === 'offer') r.proto = osrtpOf(r.proto);
}

/** The sender's protocol changed: whether the recipient's is decided again (an answer keeps an accepted OSRTP offer). */
function forgetsRecipientProto(sp: ProtocolInfo | null, rp: ProtocolInfo | null, f: SecurityFlags): boolean {
  if (f.op === 'offer') return true;
  if (sp?.rtp && !sp.srtp && rp?.osrtp) return !f.osrtpAccept;
  return f.protocolAccept;
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
      // SRTP<>SRTP passthrough: the answerer's key is handed on, with the offered line's session parameters
      // (rtpengine crypto_params_copy), under the answered tag
      cps = { ...copyCrypto(offered), tag: cpsIn.tag };
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

/** An m= section without keying or ICE attributes (readSecurity found no section of that index). */
const NO_SECURITY: Readonly<MediaSecurity> = Object.freeze({ cryptos: [], setup: null, fingerprint: null, ice: null, trickle: false, endOfCandidates: false });

/**
 * Per m= line of `sdp` (sent by `from`, forwarded to `to`): the protocols, SDES and DTLS decisions as new
 * leg states (copies; nothing applied) and the keying lines of the recipient's SDP.
 */
export function decideSecurity(
  sdp: ParsedSdp,
  from: Participant,
  to: Participant,
  params: NgParams,
  op: 'offer' | 'answer',
  iceAddresses: { from: readonly string[]; to: readonly string[] } = { from: [], to: [] },
): SecurityPlan {
  const f = securityFlags(params, op);
  const secs = readSecurity(sdp.text);
  const medias = sdp.medias.map((m, i): SecurityDecision => {
    const sec = secs[i] ?? NO_SECURITY;
    const sLeg = from.legs[i];
    const rLeg = to.legs[i];
    const s = sLeg ? cloneState(sLeg.security) : newSecurityState();
    const r = rLeg ? cloneState(rLeg.security) : null;
    if (op === 'offer' && params.flags.has('reset')) {
      // ng flag reset (rtpengine __media_init_from_flags): both sides start over, ICE restarts with new credentials
      s.initialized = false;
      s.iceLocal = null;
      if (r) {
        r.initialized = false;
        r.iceLocal = null;
      }
    }
    updateMediaProtocol(s, r, sdpProtocol(m.protocol, sec), f);

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
    // ICE (after the keying, as in rtpengine monologue_offer_answer)
    const restart = m.port !== 0 && sec.ice !== null && s.iceRemote !== null && s.iceRemote.ufrag !== sec.ice.ufrag;
    if (r) iceOffer(r, s, f, restart);
    if (m.port !== 0) s.iceRemote = sec.ice;
    if (m.port !== 0 && sLeg?.endpoint && s.ice && !s.passthru && (s.iceLocal === null || restart || !onSocket(s.iceLocal, sLeg.endpoint))) {
      s.iceLocal = localIceParams(sLeg.endpoint, { addresses: iceAddresses.from, rtcp: true, lite: s.iceLiteSelf });
    }
    if (!s.ice) s.iceLocal = null;
    if (r && m.port !== 0 && rLeg?.endpoint && r.ice && !r.passthru && (r.iceLocal === null || !onSocket(r.iceLocal, rLeg.endpoint))) {
      r.iceLocal = localIceParams(rLeg.endpoint, { addresses: iceAddresses.to, rtcp: true, lite: r.iceLiteSelf });
    }
    if (r && !r.ice) r.iceLocal = null;
    s.initialized = true;
    const keying = r && m.port !== 0 && rLeg?.endpoint ? keyingLines(r, f, rLeg) : [];
    const rtp = r?.proto?.rtp ?? false;
    const passthruCandidates = r && r.passthru && r.ice && m.port !== 0 && rLeg?.endpoint ? passthroughCandidates(sec.ice?.candidates ?? [], iceAddresses.to, rLeg.endpoint, f.ice === 'force-relay' ? 'relay' : 'host') : null;
    return { protocol: rtp && r ? r.proto!.name : null, keying, endOfCandidates: sec.endOfCandidates, passthruCandidates, sender: sLeg ? s : null, recipient: r };
  });
  return { flags: f, medias };
}

/** Whether the recipient's leg talks ICE after this offer (rtpengine __ice_offer's first steps), for socket reuse. */
export function recipientTalksIce(leg: MediaLeg | undefined, m: { hasIce: boolean }, params: NgParams): boolean {
  if (!leg) return false;
  const opt = iceOption(params);
  if (opt === 'remove') return false;
  if (opt !== 'default') return true;
  return leg.security.initialized ? leg.security.ice : m.hasIce;
}

/** The ICE candidates were made for this socket pair (a renewed pair gets new credentials, rtpengine's new ICE agent). */
function onSocket(local: IceParams, ep: RtpEndpoint): boolean {
  return local.candidates.length === 0 || local.candidates[0]!.port === ep.localPort;
}

/** rtpengine's candidate priority: type preference, (65535 - local preference), component — as uint32. */
function rtpePriority(typePref: number, localPref: number, component: number): number {
  return ((typePref << 24) | (((65535 - localPref) >>> 0) << 8) | (256 - component)) >>> 0;
}

/**
 * rtpengine sdp.c new_priority + insert_sfd_candidates for ICE passthrough: whisperd's host candidates
 * ranked just below the sender's lowest host candidate of component 1 (its arithmetic kept as is).
 */
function passthroughCandidates(theirs: readonly IceCandidate[], addresses: readonly string[], ep: RtpEndpoint, type: 'host' | 'relay'): IceCandidate[] {
  let tpref = type === 'relay' ? 0 : 126;
  let lpref = 0;
  let prio = rtpePriority(tpref, lpref, 1);
  for (const c of theirs) {
    if (c.priority <= prio && c.type === type && c.component === 1) {
      tpref = c.priority >>> 24;
      lpref = 65535 - ((c.priority >>> 8) & 0xffff);
      if (lpref) lpref--;
      else {
        if (tpref) tpref--;
        lpref = 65535;
      }
      prio = rtpePriority(tpref, lpref, 1);
    }
  }
  const out: IceCandidate[] = [];
  for (const component of [1, 2]) {
    addresses.forEach((address, k) => {
      out.push({
        foundation: foundationFor(address),
        component,
        transport: 'UDP',
        priority: rtpePriority(tpref, lpref + k, component),
        address,
        port: component === 1 ? ep.localPort : ep.localPort + 1,
        type,
        // rtpengine insert_raddr_rport: a relay candidate names the same address and port
        ...(type === 'relay' ? { relAddr: address, relPort: component === 1 ? ep.localPort : ep.localPort + 1 } : {}),
      });
    });
  }
  return out;
}

/** rtpengine __ice_offer (this = r, the recipient; other = s, the sender). */
function iceOffer(r: LegSecurityState, s: LegSecurityState, f: SecurityFlags, restart: boolean): void {
  if (!r.initialized) r.ice = s.ice; // pass the offering client's choice through
  if (f.ice === 'remove') r.ice = false;
  else if (f.ice !== 'default') r.ice = true;
  if (f.iceReject) s.ice = false;
  if (f.passthroughOn || f.passthroughOff) {
    // ng passthrough: whisperd leaves keying and ICE of both sides alone (on) or takes them back (off)
    r.passthru = s.passthru = f.passthroughOn;
    return;
  }
  if (f.ice !== 'force' && f.ice !== 'default') {
    if (r.ice && s.ice) {
      // ICE on both sides and not forced: media may not pass through whisperd (ICE passthrough)
      r.passthru = true;
      s.passthru = true;
      return;
    }
    if (f.op === 'answer' && !s.ice && r.iceLocal === null) {
      r.ice = false;
      return;
    }
  }
  if (f.op === 'offer') {
    switch (f.iceLite) {
      case 'off':
        r.iceLiteSelf = false;
        s.iceLiteSelf = false;
        break;
      case 'forward':
        r.iceLiteSelf = true;
        s.iceLiteSelf = false;
        break;
      case 'backward':
        r.iceLiteSelf = false;
        s.iceLiteSelf = true;
        break;
      case 'both':
        r.iceLiteSelf = true;
        s.iceLiteSelf = true;
        break;
      default:
        break;
    }
    if (f.trickleIce) r.trickle = true;
  }
  // roles (ICE_CONTROLLING is ours towards that side)
  if (r.iceLitePeer && !r.iceLiteSelf) r.controlling = true;
  else if (!r.initialized || restart) r.controlling = r.iceLiteSelf ? false : f.op === 'offer';
  if (s.iceLitePeer && !s.iceLiteSelf) s.controlling = true;
  else if (!s.initialized || restart) s.controlling = s.iceLiteSelf ? false : f.op !== 'offer';
}

/**
 * The ICE lines whisperd writes to `r` after a=ptime (rtpengine print_sdp_media_section): a=ice-ufrag,
 * a=ice-pwd, a=ice-options:trickle, then the candidates (component 2 only while RTCP has its own port).
 */
export function iceLines(r: LegSecurityState | null, muxOnly: boolean, passthru: IceCandidate[] | null = null): string[] {
  if (r && r.passthru && passthru) return passthru.filter((c) => c.component === 1 || !muxOnly).map((c) => 'candidate:' + formatIceCandidate(c));
  if (!r || !r.ice || r.passthru || !r.iceLocal) return [];
  const out = [`ice-ufrag:${r.iceLocal.ufrag}`, `ice-pwd:${r.iceLocal.pwd}`];
  if (r.trickle) out.push('ice-options:trickle');
  for (const c of r.iceLocal.candidates) if (c.component === 1 || !muxOnly) out.push('candidate:' + formatIceCandidate(c));
  return out;
}

/** a=ice-lite after the session part when whisperd is ICE-lite towards the recipient (first m= line's flags). */
export function iceLiteLine(plan: SecurityPlan): string[] {
  const r = plan.medias[0]?.recipient;
  return r && r.ice && r.iceLiteSelf ? ['ice-lite'] : [];
}

/**
 * The host candidate addresses whisperd announces towards `p`: ng `media address` when given (rtpengine
 * writes it in every candidate), else every address of the logical interface `p`'s legs are on, in
 * configuration order (rtpengine: one candidate per interface address).
 */
export function iceAddressesFor(ctx: { interfaces?: Interfaces; advertisedAddress: string }, params: Pick<NgParams, 'mediaAddress'>, p: Participant): string[] {
  const forced = params.mediaAddress?.trim();
  const bound = p.legs.find((l) => l.endpoint)?.endpoint?.localAddress;
  const ifs = ctx.interfaces;
  let list = [ctx.advertisedAddress];
  if (bound !== undefined && ifs !== undefined) {
    const mine = ifs.ofBind(bound);
    if (mine !== undefined) {
      // the leg's own address family first (rtpengine lists the stream's sockets, its own family first)
      const same = ifs.addresses.filter((a) => a.name === mine.name);
      list = [...same.filter((a) => a.family === mine.family), ...same.filter((a) => a.family !== mine.family)].map((a) => a.advertised);
    }
  }
  // ng media-address: rtpengine writes it in each candidate (one per interface address)
  if (forced !== undefined && isIP(forced) !== 0) return list.map(() => forced);
  return list;
}

/** a=crypto lines, then a=setup and a=fingerprint, as rtpengine writes them (recipient's fpHash is updated). */
function keyingLines(r: LegSecurityState, f: SecurityFlags, leg?: MediaLeg): string[] {
  const out: string[] = [];
  if (r.passthru) return out;
  if (r.sdes) for (const c of r.sdesOut) out.push(formatCrypto(c, { pad: f.sdesPad, lifetime: f.sdesLifetime }));
  if (r.dtls) {
    // rtpengine insert_dtls: the hash asked for (DTLS-fingerprint) or the peer's, else the first (sha-256).
    // A session that goes on keeps the certificate it was made with (the process one may have rotated since).
    const want = r.fpHash ?? r.fingerprint?.hash ?? null;
    const kept = keptSession(r, leg);
    const mine = (hash: string): Fingerprint | null => {
      if (kept?.fingerprint) {
        try {
          return kept.fingerprint(hash);
        } catch {
          return null;
        }
      }
      return ourFingerprint(hash);
    };
    const fp = (want !== null ? mine(want) : null) ?? mine('sha-256');
    if (fp) {
      r.fpHash = fp.hash;
      const setup = r.setupActive && r.setupPassive ? 'actpass' : r.setupPassive ? 'passive' : r.setupActive ? 'active' : 'holdconn';
      out.push('setup:' + setup, `fingerprint:${fp.hash} ${fp.value}`);
    }
  }
  return out;
}

/**
 * whisperd's DTLS role towards a side: active when it may be (rtpengine "if we can be active, we will"); while
 * the role is still open (a re-offer sent actpass, the answer not in yet) a running session keeps its role.
 */
function dtlsRole(s: LegSecurityState, running: DtlsSessionLike | null): DtlsRole {
  if (s.setupActive && s.setupPassive && running) return running.role;
  return s.setupActive ? 'active' : 'passive';
}

/** The leg's DTLS session when applying `r` will keep it (same role and peer fingerprint), else null. */
function keptSession(r: LegSecurityState, leg: MediaLeg | undefined): DtlsSessionLike | null {
  const rt = leg ? openRuntime(leg) : null;
  if (!rt?.dtls || !r.fingerprint || r.fingerprintChanged) return null;
  return rt.dtlsMadeFor(dtlsRole(r, rt.dtls), r.fingerprint) ? rt.dtls : null;
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
function sdesPair(s: LegSecurityState): SrtpPair | null {
  if (!s.proto?.srtp || s.dtls || !s.sdes) return null;
  const rx = s.sdesIn[0];
  const tx = s.sdesOut[0];
  if (!rx || !tx) return null;
  return { rx: srtpKeyOf(rx), tx: srtpKeyOf(tx) };
}

/**
 * The DTLS session and ICE agent of one leg, and the endpoint's NonRtpHandler dispatching STUN to the agent
 * and DTLS to the session (RFC 7983 demux happens in the endpoint). Closed with the leg (MediaLeg.close).
 */
export class LegRuntime implements NonRtpHandler {
  dtls: DtlsSessionLike | null = null;
  /** The remote fingerprint the session was made for (its role is the session's). */
  dtlsPeerFingerprint: Fingerprint | null = null;
  ice: IceAgent | null = null;
  iceLocalUfrag = '';
  iceRemoteUfrag = '';
  /** Where DTLS goes (the SDP's address, then ICE's selected pair). */
  peer: { address: string; port: number } | null = null;
  closed = false;

  constructor(readonly endpoint: RtpEndpoint) {}

  onStun(msg: Buffer, address: string, port: number, rtcp: boolean): void {
    this.ice?.receive(msg, address, port, rtcp);
  }

  onDtls(msg: Buffer, address: string, port: number, rtcp: boolean): void {
    if (rtcp) return; // DTLS runs on the RTP component (rtcp-mux, or RTCP keys derived from it)
    const d = this.dtls;
    if (!d) return;
    // A passive session not told its peer (no ICE) takes the first ClientHello's source itself
    // (DtlsSession.receive); naming the sender of any datagram here would let one spoofed non-ClientHello
    // bind the leg to it for good (test/integration/review-dtls-first-source.test.ts).
    d.receive(msg, address, port);
  }

  /** The running session was made for this role and remote fingerprint. */
  dtlsMadeFor(role: DtlsRole, fp: Fingerprint): boolean {
    const made = this.dtlsPeerFingerprint;
    return this.dtls !== null && this.dtls.role === role && made !== null && made.hash === fp.hash && made.value === fp.value;
  }

  closeDtls(): void {
    this.dtls?.close();
    this.dtls = null;
    this.dtlsPeerFingerprint = null;
  }

  closeIce(): void {
    this.ice?.close();
    this.ice = null;
    this.iceLocalUfrag = '';
    this.iceRemoteUfrag = '';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeDtls();
    this.closeIce();
    if (!this.endpoint.isClosed && this.endpoint.nonRtp === this) this.endpoint.nonRtp = null;
  }

  /** The selected ICE pair or the DTLS peer moved: media and DTLS go there. */
  selected(address: string, port: number, rtcpMux: boolean): void {
    const ep = this.endpoint;
    if (ep.isClosed) return;
    ep.remoteAddress = address;
    ep.remotePort = port;
    if (rtcpMux) ep.remoteRtcpPort = port;
    ep.rtpLatched = true; // the checks authenticated this source
    this.peer = { address, port };
    this.dtls?.connect(address, port);
  }

  /**
   * RFC 7675 §5.1: consent to send to the selected pair expired (the agent went 'failed' after it had
   * selected one): no more media to that party. The endpoint keeps no destination (what would be sent is
   * dropped and counted as no_destination on both paths) and stays latched, so the party's own packets do
   * not re-open it; only a new selection (an ICE restart, RFC 8445 §9) does (selected()).
   */
  consentLost(): void {
    const ep = this.endpoint;
    if (ep.isClosed || this.peer === null) return;
    ep.remotePort = 0;
    ep.remoteRtcpPort = 0;
    this.peer = null;
  }
}

function safeSetSrtp(ep: RtpEndpoint, pair: SrtpPair | null | 'pending', log: Logger | undefined): void {
  try {
    ep.setSrtp(pair);
  } catch (err) {
    // keys the SRTP plane cannot use (an unsupported suite): the leg stays closed for media
    log?.warn({ err: String(err) }, 'SRTP keys refused; encrypted leg drops media');
    try {
      ep.setSrtp('pending');
    } catch {
      // nothing more to do
    }
  }
}

/**
 * Install each leg's keys, DTLS session and ICE agent on its endpoint (commit phase; never throws). Keys
 * that did not change are left alone (SRTP contexts, ROC and replay state continue).
 */
export function applyLegSecurity(p: Participant, log?: Logger): void {
  for (const leg of p.legs) {
    try {
      applyOne(leg, p.hasSdp, log);
    } catch (err) {
      log?.error({ err: String(err) }, 'applying leg security failed');
    }
  }
}

/** The same SRTP key, field by field (the lifetime aside: a changed lifetime alone does not re-key). */
function sameKey(a: SrtpKey | null, b: SrtpKey | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.suite === b.suite &&
    a.masterKey.equals(b.masterKey) &&
    a.masterSalt.equals(b.masterSalt) &&
    a.mki?.value === b.mki?.value &&
    (a.mki?.length ?? 0) === (b.mki?.length ?? 0) &&
    !!a.unencryptedSrtp === !!b.unencryptedSrtp &&
    !!a.unencryptedSrtcp === !!b.unencryptedSrtcp &&
    !!a.unauthenticatedSrtp === !!b.unauthenticatedSrtp
  );
}

/** What an endpoint was given: keys, nothing (null), 'pending', or whatever its DTLS session installed ('dtls'). */
type Installed = SrtpPair | null | 'pending' | 'dtls';

function sameInstalled(a: Installed, b: Installed): boolean {
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return a === b;
  return sameKey(a.rx, b.rx) && sameKey(a.tx, b.tx);
}

/**
 * What an endpoint gets when no DTLS session keys it: plain legs null; an encrypted leg its SDES pair, or
 * 'pending' (everything dropped both ways) while its keys are incomplete (an SDES offer not answered yet,
 * DTLS not connected, no keying at all), so encrypted media is never forwarded as if it were plain.
 */
function keysFor(s: LegSecurityState): SrtpPair | null | 'pending' {
  if (!s.proto?.srtp || s.passthru) return null;
  if (s.dtls) return 'pending';
  return sdesPair(s) ?? 'pending';
}

/** What each endpoint was given (by identity), so unchanged keys are not re-installed. */
const installed = new WeakMap<RtpEndpoint, Installed>();

/**
 * (takeover, src/cluster/restore.ts) Re-install the leg's SDES keys on fresh contexts that continue the
 * streams another node ran (per SSRC the ROC and SRTCP index it had reached). Only SDES legs: a DTLS leg's
 * keys come from a handshake that cannot be carried over. False when the leg has no SDES keys in place.
 */
export function continueSdesStreams(leg: MediaLeg, seeds: SrtpSeeds, log?: Logger): boolean {
  const ep = leg.endpoint;
  if (!ep || ep.isClosed) return false;
  const pair = keysFor(leg.security);
  if (pair === null || pair === 'pending') return false;
  try {
    ep.setSrtp(pair, seeds);
  } catch (err) {
    log?.error({ err: String(err) }, 'takeover: SRTP stream state not restored');
    return false;
  }
  installed.set(ep, pair);
  return true;
}

function install(ep: RtpEndpoint, pair: SrtpPair | null | 'pending', log: Logger | undefined): void {
  if (sameInstalled(pair, installed.get(ep) ?? null)) return;
  safeSetSrtp(ep, pair, log);
  installed.set(ep, pair);
}

/** The leg's runtime unless it was closed. */
function openRuntime(leg: MediaLeg): LegRuntime | null {
  const rt = leg.secureRuntime;
  return rt instanceof LegRuntime && !rt.closed ? rt : null;
}

/** The leg's runtime for its current endpoint (a renewed socket pair gets a new one). */
function runtimeOf(leg: MediaLeg, ep: RtpEndpoint): LegRuntime {
  let rt = openRuntime(leg);
  if (!rt || rt.endpoint !== ep) {
    leg.secureRuntime?.close();
    rt = new LegRuntime(ep);
    leg.secureRuntime = rt;
  }
  return rt;
}

/**
 * ICE timers of the legs' agents (defaults: ICE_TIMER_DEFAULTS, RFC 7675's 30 s consent timeout). Tests
 * shorten them (e.g. the consent timeout) for the agents created after the call; not a config key.
 */
let legIceTimers: Partial<IceTimers> = {};
export function setLegIceTimers(timers: Partial<IceTimers>): void {
  legIceTimers = { ...timers };
}

function applyOne(leg: MediaLeg, hasSdp: boolean, log: Logger | undefined): void {
  const ep = leg.endpoint;
  if (!ep || ep.isClosed) return;
  const s = leg.security;
  const encrypted = s.proto?.srtp === true && !s.passthru;
  const wantDtls = encrypted && s.dtls && s.fingerprint !== null && hasSdp && leg.sdpRemote !== null;
  const wantIce = s.ice && !s.passthru && s.iceLocal !== null;
  let rt = leg.secureRuntime as LegRuntime | null;
  if (!wantDtls && !wantIce) {
    if (rt) {
      rt.close();
      leg.secureRuntime = null;
    }
    install(ep, keysFor(s), log);
    return;
  }
  rt = runtimeOf(leg, ep);
  if (ep.nonRtp !== rt) ep.nonRtp = rt;
  if (wantIce) applyIce(rt, ep, s, s.iceLocal!, leg.rtcpMuxNeg || leg.rtcpMux);
  else rt.closeIce();
  if (wantDtls) {
    const role = dtlsRole(s, rt.dtls);
    const fp = s.fingerprint!;
    if (rt.dtls && (!rt.dtlsMadeFor(role, fp) || s.fingerprintChanged)) rt.closeDtls();
    if (!rt.dtls && dtlsBackend) startDtls(dtlsBackend, rt, ep, leg, role, fp, wantIce, log);
  } else {
    rt.closeDtls();
    install(ep, keysFor(s), log);
  }
}

/** The leg's ICE agent for `local` (a new one for new credentials), told the side's current ICE parameters. */
function applyIce(rt: LegRuntime, ep: RtpEndpoint, s: LegSecurityState, local: IceParams, mux: boolean): void {
  if (rt.ice && rt.iceLocalUfrag !== local.ufrag) rt.closeIce();
  if (rt.ice) {
    if (s.iceRemote && (s.iceRemote.ufrag !== rt.iceRemoteUfrag || s.iceRemote.candidates.length > 0)) {
      rt.ice.setRemote(s.iceRemote);
      rt.iceRemoteUfrag = s.iceRemote.ufrag;
    }
    return;
  }
  rt.ice = new IceAgent(ep, {
    local,
    remote: s.iceRemote,
    controlling: s.controlling,
    lite: s.iceLiteSelf,
    timers: legIceTimers,
    onSelected: (address, port) => rt.selected(address, port, mux),
    onStateChange: (state) => {
      if (state === 'failed') rt.consentLost();
    },
    onSelectedRtcp: (_address, port) => {
      if (ep.isClosed) return;
      ep.remoteRtcpPort = port;
      ep.rtcpLatched = true;
    },
  });
  rt.iceLocalUfrag = local.ufrag;
  rt.iceRemoteUfrag = s.iceRemote?.ufrag ?? '';
}

/** A new DTLS session on the leg (media dropped until it keys the endpoint); an active one connects when it knows the peer. */
function startDtls(
  backend: DtlsBackend,
  rt: LegRuntime,
  ep: RtpEndpoint,
  leg: MediaLeg,
  role: DtlsRole,
  fp: Fingerprint,
  withIce: boolean,
  log: Logger | undefined,
): void {
  install(ep, 'pending', log);
  try {
    const dtls = backend.session(ep, {
      role,
      remoteFingerprint: fp,
      onConnected: (pair) => {
        if (rt.closed || ep.isClosed) return;
        safeSetSrtp(ep, pair, log);
        installed.set(ep, 'dtls');
      },
      onFailed: (reason) => log?.info({ reason }, 'DTLS handshake failed'),
    });
    rt.dtls = dtls;
    rt.dtlsPeerFingerprint = { ...fp };
    if (role !== 'active') return;
    // Active: without ICE the SDP's address is the peer, with ICE the selected pair (onSelected). Passive
    // takes the first ClientHello's source (rtpengine does not filter DTLS by source: a NATed peer's port
    // may differ from its SDP's); the fingerprint check keeps anyone else out.
    const remote = leg.sdpRemote;
    if (!withIce && remote && remote.port !== 0 && !isZeroAddress(remote.address)) {
      rt.peer = { address: remote.address, port: remote.port };
      dtls.connect(remote.address, remote.port);
    } else if (rt.peer) dtls.connect(rt.peer.address, rt.peer.port);
  } catch (err) {
    log?.warn({ err: String(err) }, 'DTLS session not started');
    rt.dtls = null;
  }
}

/** What whisperd answers a supervisor's own offer with on its audio line (plain, SDES, or WebRTC: ICE-lite + DTLS). */
export interface PreparedSupervisorSecurity {
  /** m= protocol of the answer (the offer's). */
  protocol: string;
  /** a= values after the session part (a=ice-lite, a=group:BUNDLE). */
  sessionLines: string[];
  /** a= values at the end of the answered m= section (a=crypto, or a=setup + a=fingerprint, then ICE). */
  mediaLines: string[];
  /** Store the state on the leg (the caller then runs applyLegSecurity on the participant). */
  commit(): void;
}

/** Error text when a DTLS (UDP/TLS) offer carries no usable a=fingerprint (exact, stable). */
export const NO_FINGERPRINT = 'DTLS offer without a=fingerprint';
/** Error text when an SRTP offer carries neither a usable a=crypto nor DTLS (exact, stable). */
export const NO_SRTP_KEYING = 'SRTP offer without usable a=crypto or a=fingerprint';

/**
 * The supervisor leg's security for m= line `index` of its offer (whisperd answers it itself): SDES
 * (the first offered suite, answered with a fresh key and the same tag), DTLS (whisperd passive, the
 * browser's client hello after ICE nomination; active when the offer says passive), ICE-lite towards a
 * full ICE peer (a browser), rtcp-mux as offered. Throws BadRequestError for an encrypted offer it cannot
 * key. Nothing changes until commit().
 */
export function prepareSupervisorSecurity(leg: MediaLeg, sdp: ParsedSdp, index: number, addresses: readonly string[]): PreparedSupervisorSecurity {
  const m = sdp.medias[index]!;
  const sec = readSecurity(sdp.text)[index] ?? NO_SECURITY;
  const st = newSecurityState();
  st.proto = sdpProtocol(m.protocol, sec);
  st.initialized = true;
  const sessionLines: string[] = [];
  const mediaLines: string[] = [];
  const mid = (sdp.session.media[index] as { mid?: unknown } | undefined)?.mid;
  const groups = (sdp.session as { groups?: Array<{ type: string; mids: string | number }> }).groups ?? [];
  if (mid !== undefined && mid !== null && String(mid) !== '') {
    mediaLines.push(`mid:${String(mid)}`);
    if (groups.some((g) => g.type === 'BUNDLE' && String(g.mids).split(' ').includes(String(mid)))) sessionLines.push(`group:BUNDLE ${String(mid)}`);
  }
  const udpTls = m.protocol.toUpperCase().startsWith('UDP/TLS/');
  if (st.proto?.srtp) {
    const dtlsOffered = sec.fingerprint !== null && sec.setup !== null && sec.setup !== 'holdconn';
    if (udpTls && sec.fingerprint === null) throw new BadRequestError(NO_FINGERPRINT);
    if (dtlsOffered) {
      st.dtls = true;
      st.fingerprint = { ...sec.fingerprint! };
      // passive unless the offerer insists on being passive itself
      st.setupActive = sec.setup === 'passive';
      st.setupPassive = !st.setupActive;
      const fp = ourFingerprint(sec.fingerprint!.hash) ?? ourFingerprint('sha-256');
      if (!fp) throw new UnsupportedError('DTLS is not available');
      st.fpHash = fp.hash;
      mediaLines.push(`setup:${st.setupActive ? 'active' : 'passive'}`, `fingerprint:${fp.hash} ${fp.value}`);
    } else {
      const offered = sec.cryptos[0];
      if (!offered) {
        if (st.proto.osrtp) st.proto = protocolInfo(m.protocol); // RFC 8643: unkeyed OSRTP falls back to plain
        else throw new BadRequestError(NO_SRTP_KEYING);
      } else {
        st.sdes = true;
        st.sdesIn = [copyCrypto(offered)];
        const ours = generateCrypto(offered.tag, suiteInfo(offered.suite)!);
        st.sdesOut = [ours];
        mediaLines.push(formatCrypto(ours));
      }
    }
  }
  if (sec.ice !== null && leg.endpoint) {
    st.ice = true;
    st.iceLiteSelf = true;
    st.controlling = false;
    st.iceRemote = sec.ice;
    st.iceLocal = localIceParams(leg.endpoint, { addresses, rtcp: !m.rtcpMux, lite: true });
    sessionLines.unshift('ice-lite');
    mediaLines.push(...iceLines(st, m.rtcpMux), 'end-of-candidates');
  }
  return {
    protocol: m.protocol,
    sessionLines,
    mediaLines,
    commit: () => {
      leg.security = st;
    },
  };
}

/** A leg's security as query shows it (null parts: not in use). */
export interface LegSecurityView {
  protocol: string | null;
  srtp: string | null;
  keying: 'SDES' | 'DTLS' | null;
  dtls: { role: DtlsRole; state: string } | null;
  ice: { state: string; lite: boolean; controlling: boolean } | null;
}

export function legSecurityState(leg: MediaLeg): LegSecurityView {
  const s = leg.security;
  const rt = leg.secureRuntime instanceof LegRuntime ? leg.secureRuntime : null;
  const keying = s.proto?.srtp ? (s.dtls ? 'DTLS' : s.sdes ? 'SDES' : null) : null;
  return {
    protocol: s.proto?.name ?? null,
    srtp: keying === 'SDES' ? (s.sdesOut[0]?.suite ?? null) : keying === 'DTLS' ? (rt?.dtls?.suite ?? null) : null,
    keying,
    dtls: rt?.dtls ? { role: rt.dtls.role, state: rt.dtls.state } : null,
    ice: rt?.ice ? { state: rt.ice.state, lite: s.iceLiteSelf, controlling: s.controlling } : null,
  };
}

