/**
 * The contract between the parts of an encrypted leg (issue #12), types only:
 *
 *   - SRTP (RFC 3711 / RFC 7714) runs in the native media plane on OpenSSL (native/src/srtp/, bound in
 *     src/media/srtp.ts); an RtpEndpoint decrypts what it receives and encrypts what it sends once it has
 *     keys (`RtpEndpoint.setSrtp`), on the native media threads and on the JS path alike.
 *   - Keys come from SDES (`a=crypto`, decided at offer/answer in src/call/legSecurity.ts) or from a DTLS
 *     handshake (src/media/dtls/), which exports them when it completes.
 *   - STUN (ICE, src/media/ice/) and DTLS arrive on the same socket as (S)RTP and are told apart by the first
 *     byte (RFC 7983); the endpoint hands them to the leg's `NonRtpHandler` and sends their replies with
 *     `RtpEndpoint.sendRaw`.
 */

/** The SRTP crypto suites (RFC 4568 / RFC 6188 / RFC 7714 names, as in a=crypto and rtpengine's crypto.c). */
export type SrtpSuite =
  | 'AEAD_AES_256_GCM'
  | 'AEAD_AES_128_GCM'
  | 'AES_256_CM_HMAC_SHA1_80'
  | 'AES_256_CM_HMAC_SHA1_32'
  | 'AES_192_CM_HMAC_SHA1_80'
  | 'AES_192_CM_HMAC_SHA1_32'
  | 'AES_CM_128_HMAC_SHA1_80'
  | 'AES_CM_128_HMAC_SHA1_32'
  | 'F8_128_HMAC_SHA1_80'
  | 'F8_128_HMAC_SHA1_32'
  | 'NULL_HMAC_SHA1_80'
  | 'NULL_HMAC_SHA1_32';

/** One direction's SRTP keying (one a=crypto line's key, or one side of a DTLS-SRTP export). */
export interface SrtpKey {
  suite: SrtpSuite;
  /** Master key (16, 24 or 32 bytes by suite). */
  masterKey: Buffer;
  /** Master salt (14 bytes; 12 for the AEAD suites). */
  masterSalt: Buffer;
  /** MKI carried in every packet (RFC 3711 §3.1): its value and length in bytes (0: no MKI). */
  mki?: { value: number; length: number };
  /** Packets this master key may protect (a=crypto lifetime), default 2^48 (RTP) / 2^31 (RTCP). */
  lifetime?: number;
  /** RFC 4568 session parameters. */
  unencryptedSrtp?: boolean;
  unencryptedSrtcp?: boolean;
  unauthenticatedSrtp?: boolean;
}

/**
 * SRTP on one endpoint: `rx` decrypts what the party sends to this endpoint (its RTP and RTCP), `tx` encrypts
 * everything whisperd sends out of this endpoint to the party (relayed, mixed, prompts, DTMF, RTCP reports).
 * null on a side: plain on that side.
 */
export interface SrtpPair {
  rx: SrtpKey | null;
  tx: SrtpKey | null;
}

/** Per-endpoint SRTP counters (query, metrics). */
export interface SrtpStats {
  /** Packets dropped because their authentication tag did not verify (or the packet was too short). */
  authFailures: number;
  /** Packets dropped by the replay window. */
  replays: number;
  /** Packets decrypted / encrypted. */
  decrypted: number;
  encrypted: number;
}

/** RFC 7983 first-byte classes of a datagram on a media socket. */
export const enum PacketClass {
  STUN = 1, // 0..3
  DTLS = 2, // 20..63
  RTP = 3, // 128..191 (RTP or RTCP)
  OTHER = 0,
}

export function classify(firstByte: number): PacketClass {
  if (firstByte <= 3) return PacketClass.STUN;
  if (firstByte >= 20 && firstByte <= 63) return PacketClass.DTLS;
  if (firstByte >= 128 && firstByte <= 191) return PacketClass.RTP;
  return PacketClass.OTHER;
}

/**
 * Receives the STUN and DTLS datagrams that arrive on an endpoint's RTP socket (and its RTCP socket when not
 * muxed; `rtcp` tells which), from either path (JS or a media thread). Called on Node's main thread, never per
 * RTP packet. While an endpoint has no handler, STUN/DTLS datagrams are dropped and counted.
 */
export interface NonRtpHandler {
  onStun(msg: Buffer, address: string, port: number, rtcp: boolean): void;
  onDtls(msg: Buffer, address: string, port: number, rtcp: boolean): void;
}

/** DTLS roles (RFC 4145 a=setup as decided for this side of a leg): active = DTLS client. */
export type DtlsRole = 'active' | 'passive';

/** A certificate fingerprint (RFC 8122 a=fingerprint): hash name as in SDP ('sha-256'…), value upper-case hex with colons. */
export interface Fingerprint {
  hash: string;
  value: string;
}

/** DTLS states shown in query (rtpengine shows the DTLS role and whether it is connected). */
export type DtlsState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

/** ICE states shown in query. */
export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'failed' | 'closed';

/** An ICE candidate as in a=candidate (RFC 8839). */
export interface IceCandidate {
  foundation: string;
  component: number;
  transport: string;
  priority: number;
  address: string;
  port: number;
  type: 'host' | 'srflx' | 'prflx' | 'relay';
  relAddr?: string;
  relPort?: number;
  /** Extension attributes after the mandatory ones (name → value), kept in order. */
  extensions?: [string, string][];
}

/** The ICE parameters of one side of a leg (RFC 8839 a=ice-ufrag / ice-pwd / ice-lite / candidates). */
export interface IceParams {
  ufrag: string;
  pwd: string;
  lite: boolean;
  candidates: IceCandidate[];
}
