/**
 * The security state one side of one m= line carries (rtpengine's call_media flags and SDES queues for that
 * side; decided and applied in src/call/legSecurity.ts). Its own module so that MediaLeg, which holds one,
 * does not import the decision code that imports MediaLeg.
 */
import type { Fingerprint, IceParams } from '../media/secure';
import { copyCrypto, type ProtocolInfo, type SdesCrypto } from '../sdp/security';

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
  /** whisperd's ICE credentials and candidates towards this side (null: no ICE). */
  iceLocal: IceParams | null;
  /** This side's ICE parameters from its SDP. */
  iceRemote: IceParams | null;
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
    iceLocal: null,
    iceRemote: null,
  };
}

export function cloneState(s: LegSecurityState): LegSecurityState {
  return {
    ...s,
    proto: s.proto ? { ...s.proto } : null,
    sdesIn: s.sdesIn.map(copyCrypto),
    sdesOut: s.sdesOut.map(copyCrypto),
    fingerprint: s.fingerprint ? { ...s.fingerprint } : null,
    fingerprintChanged: false,
  };
}
