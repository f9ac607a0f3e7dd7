/**
 * One local RTP/RTCP socket pair facing one party for one m= line (rtpengine's packet_stream/stream_fd).
 * This is where every media packet enters whisperd:
 *
 *   socket 'message' -> onRtp(): drop if from one of whisperd's own sockets (own_address) -> parse
 *       header in place -> source check / latching -> count
 *       -> engine.onRtp() (a mixing/processing engine owns this input; once latched, only the latched
 *          source's packets reach it: foreign_source)  or  forward out of the peer endpoint's socket to
 *          the peer's address (relay path: packet untouched, no copy; never to one of our own sockets)
 *
 * Everything the packet path needs (destination, latching policy, engine or relay peer) is decided at
 * signalling time by the call layer; the handlers below only execute it. No allocation of our own, no
 * closures, no logging per packet: drops are counted by reason, and a handler that throws (a bug) is
 * counted as internal_error and logged at most every 15 s (mediaErrors.ts).
 *
 * Native mode (config media.nativeRelay, on by default; src/media/nativeRelay.ts): while two endpoints forward
 * to each other with no engine, Node stops reading their sockets and the addon relays for both with
 * exactly the rules below. Latching state, policy and stats then live in a Float64Array shared with the
 * addon; the public accessors read and write it, so callers see the same surface in both modes. Any
 * change that breaks the pure pair (engine attached, forwardTo changed, close, an address the addon
 * cannot represent) hands both endpoints back to JS before it takes effect.
 *
 * Native mix mode (attachNativeMix, issue 10): the endpoint feeds one participant of a native call mix
 * and lives on the mix's media thread (native/src/relay.cc "MIXES ON MEDIA THREADS"): same rules as
 * above up to the engine, then the mix; the state lives in the same shared Float64Array as in native
 * relay mode, and the public surface reads it the same way.
 */
import dgram from 'node:dgram';
import { CounterSlot, DropReason, mediaCounters } from './counters';
import { logger, rateLimited } from '../log';
import { isIPv6 } from 'node:net';
import { ipv4ToU32, ipv6ToWords, nativeRelayApi, RelaySlot, u32ToIpv4, udpHandle, wordsToIpv6, type MixHandle, type RelayHandle } from './nativeRelay';
import { mediaError } from './mediaErrors';
import { canonicalIp } from './interfaces';
import type { OwnSockets } from './ownSockets';
import { isPlausibleRtcp, parseRtp, RtpVerdict, RtpView } from './rtp';
import type { DtmfInjector } from './dtmfInject';
import { readSenderReport, RtcpReceiveStats, RtcpSenderReporter } from './rtcpReport';
import { classify, PacketClass, type NonRtpHandler, type SrtpPair, type SrtpStats } from './secure';
import { SRTP_MAX_OVERHEAD, SrtpContext, SrtpError, type SrtpStreamState } from './srtp';

/** (takeover) SRTP stream state to continue on new contexts (RtpEndpoint.setSrtp). */
export interface SrtpSeeds {
  rx: SrtpStreamState[];
  tx: SrtpStreamState[];
}

/** Room of an encrypted endpoint's send buffer: larger datagrams are protected in a buffer of their own. */
const SRTP_TX_BUF = 2048;

/**
 * (issue 12) Endpoints with a non-RTP handler, by id: the media threads queue STUN/DTLS for them in a
 * ring (relay.cc PutNonRtp) that a 10 ms timer drains on the main thread while any is registered.
 */
const nonRtpLive = new Map<number, RtpEndpoint>();
let nonRtpTimer: NodeJS.Timeout | null = null;
let nextEndpointId = 1;
const NONRTP_POLL_MS = 10;
const NONRTP_HDR = 40;
let nonRtpBuf: Buffer | null = null;
const nonRtpWords = new Float64Array(4);

function pollNonRtp(): void {
  const drain = nativeRelayApi()?.nonRtp;
  if (!drain) return;
  const buf = (nonRtpBuf ??= Buffer.allocUnsafe(1 << 20));
  for (let round = 0; round < 8; round++) {
    const n = drain(buf);
    if (n <= 0) return;
    let off = 0;
    while (off + NONRTP_HDR <= n) {
      const size = buf.readUInt32LE(off);
      if (size < NONRTP_HDR || off + size > n) break;
      const ep = nonRtpLive.get(buf.readUInt32LE(off + 4));
      const len = buf.readUInt32LE(off + 28);
      if (ep !== undefined && NONRTP_HDR + len <= size) {
        for (let i = 0; i < 4; i++) nonRtpWords[i] = buf.readUInt32LE(off + 12 + 4 * i);
        const address = buf[off + 11] === 6 ? wordsToIpv6(nonRtpWords, 0) : u32ToIpv4(nonRtpWords[3]!);
        ep.deliverNonRtp(Buffer.from(buf.subarray(off + NONRTP_HDR, off + NONRTP_HDR + len)), address, buf.readUInt16LE(off + 8), buf[off + 10] === 1);
      }
      off += size;
    }
    if (n < buf.length >> 1) return;
  }
}

/** o += s, field by field (an rx context only decrypts, a tx context only encrypts: the other counts are 0). */
function addSrtpStats(o: SrtpStats, s: SrtpStats): void {
  o.authFailures += s.authFailures;
  o.replays += s.replays;
  o.decrypted += s.decrypted;
  o.encrypted += s.encrypted;
}

function trackNonRtp(e: RtpEndpoint, on: boolean): void {
  if (on) nonRtpLive.set(e.endpointId, e);
  else nonRtpLive.delete(e.endpointId);
  if (nonRtpLive.size > 0 && nonRtpTimer === null && nativeRelayApi()?.nonRtp) {
    nonRtpTimer = setInterval(pollNonRtp, NONRTP_POLL_MS);
    nonRtpTimer.unref();
  } else if (nonRtpLive.size === 0 && nonRtpTimer !== null) {
    pollNonRtp();
    clearInterval(nonRtpTimer);
    nonRtpTimer = null;
  }
}

/** How an endpoint learns its peer's real source (rtpengine's endpoint-learning / symmetric RTP). */
export const enum Learning {
  /** asymmetric: always send to the SDP address, never learn. */
  OFF = 0,
  /** Latch on the first packet. */
  IMMEDIATE = 1,
  /** Latch at once on a packet from the SDP address, or on any source once 3 s have passed. */
  DELAYED = 2,
}

const DELAYED_LEARNING_MS = 3000;

/** A consumer of decoded-path input (the media engine), set at signalling time. */
export interface RtpInputSink {
  onRtp(from: RtpEndpoint, buf: Buffer, view: RtpView, arrivalMs: number): void;
}

/**
 * Media-control switches of one endpoint (ng block DTMF / block media / silence media, decided at command
 * time by src/control/ng/commands/mediaControl.ts): they act on the packets this endpoint RECEIVES (its
 * party's media), before the relay or the mix.
 */
export const enum MediaPolicy {
  /** Drop the party's RFC 4733 telephone-event packets (counted: dtmfBlocked, drop reason dtmf_blocked). */
  BLOCK_DTMF = 1,
  /** Drop the party's media packets (everything but telephone-event; counted: mediaBlocked, media_blocked). */
  BLOCK_MEDIA = 2,
  /** Replace the party's G.711 audio with silence (PCMU 0xff, PCMA 0xd5 bytes; counted: mediaSilenced). */
  SILENCE_MEDIA = 4,
  /** Write `dtmfReplace` as the event code of the party's telephone-event packets (DTMF-security zero / DTMF). */
  REPLACE_DTMF = 8,
}

export interface MediaPolicySettings {
  policy: number;
  /** The party's telephone-event payload types (-1: none). */
  dtmfPts: [number, number];
  /** The party's PCMU / PCMA payload types (-1: none): what SILENCE_MEDIA can silence. */
  ulawPt: number;
  alawPt: number;
  /** With REPLACE_DTMF: the event code 0..15 (else ignored). */
  dtmfReplace?: number;
}

export interface MediaPolicyStats {
  dtmfBlocked: number;
  mediaBlocked: number;
  mediaSilenced: number;
}

export interface EndpointStats {
  packets: number;
  bytes: number;
  errors: number;
}

export class RtpEndpoint {
  readonly localAddress: string;
  readonly localPort: number;
  readonly rtp: dgram.Socket;
  readonly rtcp: dgram.Socket;

  /** The address/port the SDP announced (kept for `advertised endpoint` in query). */
  sdpAddress = '';
  sdpPort = 0;

  // JS-mode storage of the public accessors below (stale while `nat` is set: `nat` is authoritative).
  private _remoteAddress = '';
  private _remotePort = 0;
  private _remoteRtcpPort = 0;
  private _rtpLatched = false;
  private _rtcpLatched = false;
  private _learning: Learning = Learning.IMMEDIATE;
  private _strictSource = false;
  private _mediaHandover = false;
  private learningStartMs = 0;
  private _forwardTo: RtpEndpoint | null = null;
  private _engine: RtpInputSink | null = null;
  private readonly _rtpStats: EndpointStats = { packets: 0, bytes: 0, errors: 0 };
  private readonly _rtcpStats: EndpointStats = { packets: 0, bytes: 0, errors: 0 };
  private _lastSsrc = -1;
  // Media-control switches (MediaPolicy) and their counters (JS mode; native mode: RelaySlot.POLICY..).
  private _policy = 0;
  private _dtmfPt = -1;
  private _dtmfPt2 = -1;
  private _ulawPt = -1;
  private _alawPt = -1;
  private _dtmfReplace = 0;
  private readonly _policyStats: MediaPolicyStats = { dtmfBlocked: 0, mediaBlocked: 0, mediaSilenced: 0 };
  /** `play DTMF` injection into this party's outgoing stream (relay path), while it has work or renumbers. */
  private _inject: DtmfInjector | null = null;
  // (issue 12) SRTP: rx decrypts what the party sends, tx encrypts all we send to it (setSrtp).
  private srtpRx: SrtpContext | null = null;
  private srtpTx: SrtpContext | null = null;
  /**
   * A second context with the tx key for what JS itself sends while a media thread owns srtpTx (prompts,
   * a reference-engine output, RTCP): one context is used by one thread only. Its streams are JS's own
   * SSRCs, never the ones the thread protects, so no keystream is used twice.
   */
  private srtpTxJs: SrtpContext | null = null;
  /** Keys not installed yet on a side that must be encrypted: everything in and out is dropped (counted). */
  private srtpPending = false;
  /** tx: the protected copy of what is sent (a datagram is copied, then protected, then sent). */
  private srtpBuf: Buffer | null = null;
  /** Counts of contexts already replaced (re-keying keeps the endpoint's totals). */
  private readonly srtpBase: SrtpStats = { authFailures: 0, replays: 0, decrypted: 0, encrypted: 0 };
  private readonly _srtpStats: SrtpStats = { authFailures: 0, replays: 0, decrypted: 0, encrypted: 0 };
  private _nonRtp: NonRtpHandler | null = null;
  /** Process-unique id (the native STUN/DTLS ring names endpoints by it). */
  readonly endpointId = nextEndpointId++;

  /** Unix ms of the last packet received, updated by the timeout sweep (not per packet). */
  lastPacketMs = 0;
  private lastSweepPackets = 0;

  private readonly view = new RtpView();
  /** (P) RTCP: the party's stream as received (report blocks) and whisperd's own stream to it (SR). */
  readonly rtcpRx = new RtcpReceiveStats();
  private readonly rtcpTx = new RtcpSenderReporter();
  private closed = false;
  /** whisperd's own media sockets: never a source we accept, never a destination we send to (D2). */
  private readonly own: OwnSockets | null;

  // Native mode: shared state, addon handle, the endpoint it is paired with.
  private _nativeRelay = false;
  private nat: Float64Array | null = null;
  private natHandle: RelayHandle | null = null;
  private natPeer: RtpEndpoint | null = null;
  /** Generation of the last natSet (the addon reports the last one applied in RelaySlot.APPLIED). */
  private natSent = 0;
  /** Socket errors Node reported while native (the addon is the only writer of the state array). */
  private natJsErrors = 0;
  private addrCacheNum = -1;
  private addrCacheStr = '';
  /** IPv6 sockets (the local address is IPv6): the native remote is RelaySlot.REMOTE_ADDR6's 4 words. */
  private readonly v6: boolean;
  private readonly addrCache6 = new Float64Array(4);
  private readonly words6 = new Float64Array(4);
  /** Native mix mode: the mix this endpoint is attached to (natPeer is then null). */
  private natMix: MixHandle | null = null;
  /**
   * Called when an attached endpoint had to leave its native mix on its own (its remote became an
   * address the media thread cannot represent): the owner (src/mix/NativeCallMixer.ts) falls back.
   */
  nativeMixLost: (() => void) | null = null;
  /**
   * Media thread this endpoint's call lives on (-1: none chosen, the least loaded): a native relay pair
   * starts there (a call and all its legs live on one thread), if that thread runs. Signalling time.
   */
  mediaThreadHint = -1;

  constructor(
    localAddress: string,
    localPort: number,
    rtp: dgram.Socket,
    rtcp: dgram.Socket,
    opts: { nativeRelay?: boolean; own?: OwnSockets | null } = {},
  ) {
    this.localAddress = localAddress;
    this.localPort = localPort;
    this.v6 = localAddress.includes(':');
    this.rtp = rtp;
    this.rtcp = rtcp;
    this._nativeRelay = opts.nativeRelay === true;
    this.own = opts.own ?? null;
    this.onRtp = this.onRtp.bind(this);
    this.onRtcp = this.onRtcp.bind(this);
    this.onSocketError = this.onSocketError.bind(this);
    rtp.on('message', this.onRtp);
    rtcp.on('message', this.onRtcp);
    rtp.on('error', this.onSocketError);
    rtcp.on('error', this.onSocketError);
  }

  // --- public state (same surface as plain fields; native mode reads/writes the shared state) ---

  /** Where this party's media goes: from SDP, then latched from real packets. '' = unknown/on hold. */
  get remoteAddress(): string {
    const s = this.nat;
    if (s === null || this.natPending()) return this._remoteAddress;
    if (this.v6) {
      const c = this.addrCache6;
      const a = RelaySlot.REMOTE_ADDR6;
      if (this.addrCacheNum < 0 || s[a] !== c[0] || s[a + 1] !== c[1] || s[a + 2] !== c[2] || s[a + 3] !== c[3]) {
        for (let i = 0; i < 4; i++) c[i] = s[a + i]!;
        this.addrCacheNum = 1;
        this.addrCacheStr = RtpEndpoint.remote6(s);
      }
      return this.addrCacheStr;
    }
    const v = s[RelaySlot.REMOTE_ADDR]!;
    if (v !== this.addrCacheNum) {
      this.addrCacheNum = v;
      this.addrCacheStr = u32ToIpv4(v);
    }
    return this.addrCacheStr;
  }
  set remoteAddress(v: string) {
    if (this.nat !== null) {
      const n = this.v6 ? (this.wordsOf(v) ? 0 : -1) : ipv4ToU32(v);
      if (n >= 0) {
        if (this.v6) this.natSet(RelaySlot.REMOTE_ADDR6, 0, this.words6);
        else this.natSet(RelaySlot.REMOTE_ADDR, n);
      } else if (this.natMix !== null) {
        this.detachNativeMix();
        this._remoteAddress = v;
        this.nativeMixLost?.();
        return;
      } else this.leaveNative();
    }
    this._remoteAddress = v;
  }
  get remotePort(): number {
    return this.nat === null || this.natPending() ? this._remotePort : this.nat[RelaySlot.REMOTE_PORT]!;
  }
  set remotePort(v: number) {
    if (this.nat !== null) this.natSet(RelaySlot.REMOTE_PORT, v);
    this._remotePort = v;
  }
  get remoteRtcpPort(): number {
    return this.nat === null || this.natPending() ? this._remoteRtcpPort : this.nat[RelaySlot.REMOTE_RTCP_PORT]!;
  }
  set remoteRtcpPort(v: number) {
    if (this.nat !== null) this.natSet(RelaySlot.REMOTE_RTCP_PORT, v);
    this._remoteRtcpPort = v;
  }
  /**
   * True once this party's source is known: the latched one, or with endpoint learning off the SDP's
   * address (authoritative). An engine then only ever gets that source's packets (anyone else's are
   * dropped as foreign_source), so while it handles a packet this says the packet came from the
   * latched source; false = no source known yet, and the packet must not steer anything (e.g. DTMF
   * control of supervision).
   */
  get fromLatchedSource(): boolean {
    return this.rtpLatched || (this._learning === Learning.OFF && this.remotePort !== 0);
  }
  /** Set when the source has been latched from real packets. */
  get rtpLatched(): boolean {
    return this.nat === null || this.natPending() ? this._rtpLatched : this.nat[RelaySlot.RTP_LATCHED] !== 0;
  }
  set rtpLatched(v: boolean) {
    if (this.nat !== null) this.natSet(RelaySlot.RTP_LATCHED, v ? 1 : 0);
    this._rtpLatched = v;
  }
  get rtcpLatched(): boolean {
    return this.nat === null || this.natPending() ? this._rtcpLatched : this.nat[RelaySlot.RTCP_LATCHED] !== 0;
  }
  set rtcpLatched(v: boolean) {
    if (this.nat !== null) this.natSet(RelaySlot.RTCP_LATCHED, v ? 1 : 0);
    this._rtcpLatched = v;
  }

  // Policy, set at signalling time.
  get learning(): Learning {
    return this._learning;
  }
  set learning(v: Learning) {
    if (this.nat !== null) this.natSet(RelaySlot.LEARNING, v);
    this._learning = v;
  }
  get strictSource(): boolean {
    return this._strictSource;
  }
  set strictSource(v: boolean) {
    if (this.nat !== null) this.natSet(RelaySlot.STRICT_SOURCE, v ? 1 : 0);
    this._strictSource = v;
  }
  get mediaHandover(): boolean {
    return this._mediaHandover;
  }
  set mediaHandover(v: boolean) {
    if (this.nat !== null) this.natSet(RelaySlot.MEDIA_HANDOVER, v ? 1 : 0);
    this._mediaHandover = v;
  }

  /** Relay path: forward received packets out of this peer endpoint's sockets. */
  get forwardTo(): RtpEndpoint | null {
    return this._forwardTo;
  }
  set forwardTo(v: RtpEndpoint | null) {
    this._forwardTo = v;
    this.reconsider();
  }
  /** Processing path: if set, RTP goes to the engine instead of being forwarded. */
  get engine(): RtpInputSink | null {
    return this._engine;
  }
  set engine(v: RtpInputSink | null) {
    this._engine = v;
    this.reconsider();
  }

  get rtpStats(): EndpointStats {
    const s = this.nat;
    if (s !== null) {
      this._rtpStats.packets = s[RelaySlot.RTP_PACKETS]!;
      this._rtpStats.bytes = s[RelaySlot.RTP_BYTES]!;
      this._rtpStats.errors = s[RelaySlot.RTP_ERRORS]! + this.natJsErrors;
    }
    return this._rtpStats;
  }
  get rtcpStats(): EndpointStats {
    const s = this.nat;
    if (s !== null) {
      this._rtcpStats.packets = s[RelaySlot.RTCP_PACKETS]!;
      this._rtcpStats.bytes = s[RelaySlot.RTCP_BYTES]!;
      this._rtcpStats.errors = s[RelaySlot.RTCP_ERRORS]!;
    }
    return this._rtcpStats;
  }
  /** Media-control switches now in force (MediaPolicy bits). */
  get mediaPolicy(): number {
    return this._policy;
  }
  /** The switches as last set (signalling time: a socket pair replacing this one takes them over). */
  get mediaPolicySettings(): MediaPolicySettings {
    return { policy: this._policy, dtmfPts: [this._dtmfPt, this._dtmfPt2], ulawPt: this._ulawPt, alawPt: this._alawPt, dtmfReplace: this._dtmfReplace };
  }
  /** Packets dropped or silenced by the media-control switches, since the endpoint opened. */
  get mediaPolicyStats(): MediaPolicyStats {
    const s = this.nat;
    if (s !== null) {
      this._policyStats.dtmfBlocked = s[RelaySlot.DTMF_BLOCKED]!;
      this._policyStats.mediaBlocked = s[RelaySlot.MEDIA_BLOCKED]!;
      this._policyStats.mediaSilenced = s[RelaySlot.MEDIA_SILENCED]!;
    }
    return this._policyStats;
  }
  /** Set the media-control switches (command time); in native mode the media thread applies them in order. */
  setMediaPolicy(p: MediaPolicySettings): void {
    if (this.nat !== null) {
      // The switch goes last: the payload types it reads are in place when it turns on.
      this.natSet(RelaySlot.DTMF_PT, p.dtmfPts[0]);
      this.natSet(RelaySlot.DTMF_PT2, p.dtmfPts[1]);
      this.natSet(RelaySlot.ULAW_PT, p.ulawPt);
      this.natSet(RelaySlot.ALAW_PT, p.alawPt);
      this.natSet(RelaySlot.DTMF_REPLACE, p.dtmfReplace ?? 0);
      this.natSet(RelaySlot.POLICY, p.policy);
    }
    this._policy = p.policy;
    this._dtmfPt = p.dtmfPts[0];
    this._dtmfPt2 = p.dtmfPts[1];
    this._ulawPt = p.ulawPt;
    this._alawPt = p.alawPt;
    this._dtmfReplace = p.dtmfReplace ?? 0;
  }
  /** The DTMF injector of this party's outgoing stream (play DTMF), or null. */
  get dtmfInjector(): DtmfInjector | null {
    return this._inject;
  }
  /**
   * Set (or re-set, after queueing an event) the injector. While it has events the endpoint is handled
   * on the JS path; once they are played it goes back to the native relay, which keeps renumbering the
   * party's packets by what the events added (RelaySlot.SEQ_OFFSET).
   */
  set dtmfInjector(v: DtmfInjector | null) {
    this._inject = v;
    this.leaveNativeForJsPath();
  }

  /** The DTMF injector runs on the JS path only: leave the native mix (its owner falls back) or re-decide the relay pair. */
  private leaveNativeForJsPath(): void {
    if (this.natMix !== null && this._inject !== null && this._inject.busy) {
      this.detachNativeMix();
      this.nativeMixLost?.();
      return;
    }
    this.reconsider();
  }

  /**
   * (issue 12) Install SRTP keys (signalling time): `rx` decrypts what the party sends to this endpoint
   * (RTP and RTCP), `tx` encrypts everything sent out of it to the party (relayed, mixed, generated
   * RTCP, DTMF, prompts); a null side is plain, `null` = plain both ways. 'pending': the leg is
   * encrypted but its keys are not known yet: every packet in and out is dropped (counted as
   * srtp_no_keys) until keys are set. The contexts are built before anything changes: bad keys throw
   * and leave the endpoint as it was. Re-keying starts new contexts (ROC and replay state restart).
   */
  setSrtp(pair: SrtpPair | null | 'pending', seeds?: SrtpSeeds): void {
    const keys = pair === null || pair === 'pending' ? null : pair;
    const rx = keys?.rx ? SrtpContext.create(keys.rx) : null;
    let tx: SrtpContext | null = null;
    let txJs: SrtpContext | null = null;
    try {
      tx = keys?.tx ? SrtpContext.create(keys.tx) : null;
      txJs = keys?.tx ? SrtpContext.create(keys.tx) : null;
    } catch (err) {
      rx?.destroy();
      tx?.destroy();
      throw err;
    }
    // (takeover) streams another node ran go on where it left them (ROC, SRTCP index): before any thread uses the contexts.
    if (seeds) {
      rx?.seed(seeds.rx);
      tx?.seed(seeds.tx);
      txJs?.seed(seeds.tx);
    }
    const old = [this.srtpRx, this.srtpTx, this.srtpTxJs];
    this.srtpRx = rx;
    this.srtpTx = tx;
    this.srtpTxJs = txJs;
    this.srtpPending = pair === 'pending';
    if (tx !== null && this.srtpBuf === null) this.srtpBuf = Buffer.allocUnsafe(SRTP_TX_BUF);
    // Native: the media thread switches to the new contexts (acknowledged) before the old ones are freed.
    this.pushSecurity();
    this.leaveNativeForSecurity();
    for (const c of old) if (c !== null) this.retireSrtp(c);
  }

  /**
   * (takeover) The SRTP stream state of this endpoint's contexts (off the packet path; null without SDES/DTLS
   * keys): per SSRC the highest index (ROC) and SRTCP index, rx (decrypting) and tx (encrypting; the larger of
   * the media thread's and JS's context).
   */
  srtpStreams(): SrtpSeeds | null {
    if (this.srtpRx === null && this.srtpTx === null) return null;
    const tx = new Map<number, SrtpStreamState>();
    for (const c of [this.srtpTx, this.srtpTxJs]) {
      for (const st of c?.streams() ?? []) {
        const o = tx.get(st.ssrc);
        tx.set(st.ssrc, o ? { ssrc: st.ssrc, index: Math.max(o.index, st.index), rtcpIndex: Math.max(o.rtcpIndex, st.rtcpIndex) } : st);
      }
    }
    return { rx: this.srtpRx?.streams() ?? [], tx: [...tx.values()] };
  }

  /** True while SRTP keys are installed on either side, or pending. */
  get srtpActive(): boolean {
    return this.srtpRx !== null || this.srtpTx !== null || this.srtpPending;
  }

  /** SRTP counters of this endpoint since it opened (all its contexts). */
  get srtpStats(): SrtpStats {
    const o = Object.assign(this._srtpStats, this.srtpBase);
    if (this.srtpRx !== null) addSrtpStats(o, this.srtpRx.stats);
    if (this.srtpTx !== null) addSrtpStats(o, this.srtpTx.stats);
    if (this.srtpTxJs !== null) addSrtpStats(o, this.srtpTxJs.stats);
    return o;
  }

  /** Fold a replaced context's counts into the endpoint's totals and free it. */
  private retireSrtp(c: SrtpContext): void {
    addSrtpStats(this.srtpBase, c.stats);
    c.destroy();
  }

  /**
   * (issue 12) Where STUN and DTLS datagrams arriving on this endpoint's sockets go (RFC 7983 first-byte
   * demux; Node's main thread). null: they are dropped and counted (non_rtp).
   */
  get nonRtp(): NonRtpHandler | null {
    return this._nonRtp;
  }
  set nonRtp(h: NonRtpHandler | null) {
    this._nonRtp = h;
    trackNonRtp(this, h !== null && !this.closed);
    this.pushSecurity();
    this.leaveNativeForSecurity();
  }

  /** A STUN/DTLS datagram a media thread queued for this endpoint (main thread, from pollNonRtp). */
  deliverNonRtp(msg: Buffer, address: string, port: number, rtcp: boolean): void {
    const h = this._nonRtp;
    if (h === null || this.closed || msg.length === 0) return;
    try {
      if (classify(msg[0]!) === PacketClass.STUN) h.onStun(msg, address, port, rtcp);
      else h.onDtls(msg, address, port, rtcp);
    } catch (err) {
      mediaError(rtcp ? 'rtcp' : 'rtp', err);
    }
  }

  /** The native side of the security state: the SRTP contexts, pending, the non-RTP handler's id. */
  private pushSecurity(h: RelayHandle | null = this.natHandle): void {
    const set = nativeRelayApi()?.setSrtp;
    if (h === null || !set) return;
    set(h, this.srtpRx?.handle ?? null, this.srtpTx?.handle ?? null, this.srtpPending, this._nonRtp !== null ? this.endpointId : 0);
  }

  /**
   * Send a datagram as it is (a STUN or DTLS message: never SRTP-protected) out of the RTP socket, or the
   * RTCP socket with rtcp=true, to address:port. Not to one of whisperd's own sockets (counted own_address).
   */
  sendRaw(buf: Buffer, address: string, port: number, rtcp = false): void {
    if (this.closed || !(port >= 1 && port <= 65535) || address === '') {
      mediaCounters.rawDrops[DropReason.NO_DESTINATION]++;
      return;
    }
    if (this.own !== null && this.own.has(address, port)) {
      mediaCounters.rawDrops[DropReason.OWN_ADDRESS]++;
      return;
    }
    (rtcp ? this.rtcp : this.rtp).send(buf, 0, buf.length, port, address);
  }

  /** Without native SRTP in the addon, SRTP, a non-RTP handler or pending keys keep the endpoint on the JS path. */
  private leaveNativeForSecurity(): void {
    if (this.natMix !== null && !RtpEndpoint.nativeSecurityOk(this)) {
      this.detachNativeMix();
      this.nativeMixLost?.();
      return;
    }
    this.reconsider();
  }

  /** The endpoint's security state allows the native paths. */
  private static nativeSecurityOk(e: RtpEndpoint): boolean {
    if (nativeRelayApi()?.setSrtp) return true; // the media threads do SRTP and the demux (relay.cc)
    return e.srtpRx === null && e.srtpTx === null && !e.srtpPending && e._nonRtp === null;
  }

  /**
   * tx: the datagram to send for buf[0..len) — protected into the send buffer with the tx key — and its
   * length, in srtpOut / returned; 0 = drop (counted). Plain endpoints send buf itself. `own`: JS's own
   * stream (sendOwnRtp), protected with srtpTxJs.
   */
  private srtpOut: Uint8Array = Buffer.alloc(0);
  private protectOut(buf: Uint8Array, len: number, rtcp: boolean, own = false): number {
    if (this.srtpPending) {
      mediaCounters.rawDrops[DropReason.SRTP_NO_KEYS]++;
      return 0;
    }
    // While a media thread owns srtpTx, JS protects with its own context (see srtpTxJs). JS's own stream
    // (sendOwnRtp and its SRTCP reports) always does, wherever the endpoint runs: one context per SSRC keeps
    // its SRTP/SRTCP indices from being used twice under the key when the endpoint moves (review R).
    const tx = this.srtpTxJs !== null && (own || (this.natHandle !== null && this.mediaThread >= 0)) ? this.srtpTxJs : this.srtpTx;
    if (tx === null) {
      this.srtpOut = buf;
      return len;
    }
    let out = this.srtpBuf!;
    if (len + SRTP_MAX_OVERHEAD > out.length) out = Buffer.allocUnsafe(len + SRTP_MAX_OVERHEAD); // rare: jumbo datagram
    out.set(len === buf.length ? buf : buf.subarray(0, len), 0);
    const n = tx.protect(out, len, rtcp);
    if (n < 0) {
      mediaCounters.rawDrops[DropReason.INTERNAL]++;
      return 0;
    }
    this.srtpOut = out;
    return n;
  }

  /**
   * rx: unprotect msg[0..len) in place with the rx key. The plain length, or -1 = dropped (counted).
   * Plain endpoints: len. Pending keys: dropped.
   */
  private unprotectIn(msg: Buffer, len: number, rtcp: boolean): number {
    if (this.srtpPending) {
      (rtcp ? this._rtcpStats : this._rtpStats).errors++;
      mediaCounters.rawDrops[DropReason.SRTP_NO_KEYS]++;
      return -1;
    }
    const rx = this.srtpRx;
    if (rx === null) return len;
    const n = rx.unprotect(msg, len, rtcp);
    if (n >= 0) return n;
    (rtcp ? this._rtcpStats : this._rtpStats).errors++;
    mediaCounters.rawDrops[n === SrtpError.REPLAY ? DropReason.SRTP_REPLAY : DropReason.SRTP_AUTH]++;
    return -1;
  }

  /** RFC 7983: a STUN or DTLS datagram goes to the handler (or is dropped and counted). True if it was one. */
  private demux(msg: Buffer, rinfo: dgram.RemoteInfo, rtcp: boolean): boolean {
    if (msg.length === 0) return false;
    const cls = classify(msg[0]!);
    if (cls !== PacketClass.STUN && cls !== PacketClass.DTLS) return false;
    const h = this._nonRtp;
    if (h === null) {
      (rtcp ? this._rtcpStats : this._rtpStats).errors++;
      mediaCounters.rawDrops[DropReason.NON_RTP]++;
      return true;
    }
    if (cls === PacketClass.STUN) h.onStun(msg, rinfo.address, rinfo.port, rtcp);
    else h.onDtls(msg, rinfo.address, rinfo.port, rtcp);
    return true;
  }

  /** SSRC last seen (for query); -1 before the first RTP packet. */
  get lastSsrc(): number {
    return this.nat === null ? this._lastSsrc : this.nat[RelaySlot.LAST_SSRC]!;
  }

  /**
   * Relay every datagram as it is, RTP or not (S, issue 11: m=image udptl (T.38), m=application BFCP, ...
   * lines are relayed like audio with no codec handling, as rtpengine does). JS path only: while set, the
   * endpoint does not use the native relay; clearing it restores the configured choice.
   */
  get rawMedia(): boolean {
    return this._rawMedia;
  }
  set rawMedia(v: boolean) {
    if (v === this._rawMedia) return;
    this._rawMedia = v;
    if (v) {
      this._nativeWanted = this._nativeRelay;
      this.nativeRelay = false;
    } else {
      this.nativeRelay = this._nativeWanted;
    }
  }
  private _rawMedia = false;
  private _nativeWanted = false;

  /** May use the native relay fast path (config media.nativeRelay, default true). */
  get nativeRelay(): boolean {
    return this._nativeRelay;
  }
  set nativeRelay(v: boolean) {
    this._nativeRelay = v;
    this.reconsider();
  }
  /** True while the addon relays for this endpoint (or, attached to a native mix, handles its media). */
  get isNative(): boolean {
    return this.nat !== null;
  }
  /** True while attached to a native mix (attachNativeMix). */
  get isNativeMix(): boolean {
    return this.natMix !== null;
  }

  /** Set the destination announced in SDP (offer/answer). Keeps a latched source unless told otherwise. */
  setSdpRemote(address: string, rtpPort: number, rtcpPort: number): void {
    // Ports outside 1..65535 (e.g. an RTCP port derived as RTP + 1 from m= port 65535) are unknown.
    if (!(rtpPort >= 1 && rtpPort <= 65535)) rtpPort = 0;
    if (!(rtcpPort >= 1 && rtcpPort <= 65535)) rtcpPort = 0;
    // IPv6 as Node reports a packet's source (RFC 5952), so latching and own-socket checks compare text.
    if (address.includes(':')) address = canonicalIp(address);
    const changed = address !== this.sdpAddress || rtpPort !== this.sdpPort;
    this.sdpAddress = address;
    this.sdpPort = rtpPort;
    if (!this.rtpLatched || changed) {
      // (I) A party of a family this socket cannot reach (an IPv6 peer on IPv4 sockets: no IPv6 interface)
      // has no destination: what is relayed to it is dropped and counted as no_destination, on both
      // paths, instead of sends to an IPv6 literal from a udp4 socket that are lost uncounted.
      const hold = address === '0.0.0.0' || address === '::' || rtpPort === 0 || (!this.v6 && address.includes(':'));
      this.remoteAddress = hold ? '' : address;
      this.remotePort = hold ? 0 : rtpPort;
      this.remoteRtcpPort = hold ? 0 : rtcpPort;
      if (changed) {
        this.rtpLatched = false;
        this.rtcpLatched = false;
        const now = performance.now();
        if (this.nat !== null) this.natSet(RelaySlot.LEARNING_START, now);
        this.learningStartMs = now;
      }
    }
    this.reconsider();
  }

  /** Read by the timeout sweep: returns true if packets arrived since the previous sweep. */
  sweepActivity(nowMs: number): boolean {
    const p = this.rtpStats.packets + this.rtcpStats.packets;
    if (p !== this.lastSweepPackets) {
      this.lastSweepPackets = p;
      this.lastPacketMs = nowMs;
      return true;
    }
    return false;
  }

  /** RTP ingress (JS mode only: Node does not read the socket in native mode). Never throws. */
  private onRtp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    try {
      this.rtpIn(msg, rinfo);
    } catch (err) {
      mediaError('rtp', err);
    }
  }

  /** Hot path. */
  private rtpIn(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.own !== null && this.own.has(rinfo.address, rinfo.port)) {
      this._rtpStats.errors++;
      mediaCounters.rawDrops[DropReason.OWN_ADDRESS]++;
      return;
    }
    let len = msg.length;
    const view = this.view;
    if (!this._rawMedia) {
      if (this.demux(msg, rinfo, false)) return;
      if (this.srtpRx !== null || this.srtpPending) {
        // SRTCP under rtcp-mux (RFC 5761 §4: PT 192..223) is unprotected by handleRtcp.
        const b1 = len >= 2 ? msg[1]! : 0;
        if (b1 >= 192 && b1 <= 223) {
          this.handleRtcp(msg, rinfo, true);
          return;
        }
        len = this.unprotectIn(msg, len, false);
        if (len < 0) return;
        msg = msg.subarray(0, len); // JS path: the engine and the injector read msg.length
      }
    }
    const verdict = this._rawMedia ? RtpVerdict.OK : parseRtp(msg, len, view);
    if (verdict !== RtpVerdict.OK) {
      if (verdict === RtpVerdict.RTCP) {
        // rtcp-mux: RTCP arriving on the RTP port is relayed like RTCP.
        this.handleRtcp(msg, rinfo, true);
        return;
      }
      this._rtpStats.errors++;
      mediaCounters.rawDrops[verdict - 1]++;
      return;
    }
    if (!this.checkSource(rinfo, false)) return;
    const engine = this._engine;
    if (engine !== null && this.fromLatchedSource) {
      if (rinfo.port !== this._remotePort || rinfo.address !== this._remoteAddress) {
        // A mixer's input takes audio only from the latched source: anyone else's packets (accepted by
        // the relay rules when not strict-source) would add frames and drive the mix clock. Not counted
        // as the party's packets either (they would also keep the call alive past its media timeout).
        this._rtpStats.errors++;
        mediaCounters.rawDrops[DropReason.FOREIGN_SOURCE]++;
        return;
      }
    }
    this._rtpStats.packets++;
    this._rtpStats.bytes += len;
    mediaCounters.raw[CounterSlot.RTP_PACKETS_IN]++;
    mediaCounters.raw[CounterSlot.RTP_BYTES_IN] += len;
    this._lastSsrc = view.ssrc;
    const nowMs = performance.now();
    this.rtcpRx.rtp(view.ssrc, view.sequence, view.timestamp, nowMs);
    if (this._policy !== 0 && !this.policyPasses(msg, view)) return;
    if (engine !== null) {
      engine.onRtp(this, msg, view, nowMs);
      return;
    }
    const peer = this._forwardTo;
    if (peer === null || peer.remotePort === 0) {
      mediaCounters.rawDrops[DropReason.NO_DESTINATION]++;
      return;
    }
    const inject = this._inject;
    if (inject !== null) {
      inject.process(msg, view, peer);
      // Its events played: back to the native relay (outside this handler; once per idle transition).
      if (!inject.busy && !this.injectIdlePending && this._nativeRelay) {
        this.injectIdlePending = true;
        setImmediate(this.injectIdle);
      }
      return;
    }
    peer.sendRtp(msg, len);
  }

  private injectIdlePending = false;
  private readonly injectIdle = (): void => {
    this.injectIdlePending = false;
    if (!this.closed) this.reconsider();
  };

  /** The media-control switches on one received RTP packet: false = dropped (counted). May silence in place. */
  private policyPasses(msg: Buffer, view: RtpView): boolean {
    const pt = view.payloadType;
    const pol = this._policy;
    if (pt === this._dtmfPt || pt === this._dtmfPt2) {
      if ((pol & MediaPolicy.REPLACE_DTMF) !== 0 && view.payloadLength >= 4) msg[view.payloadOffset] = this._dtmfReplace;
      if ((pol & MediaPolicy.BLOCK_DTMF) === 0) return true;
      this._policyStats.dtmfBlocked++;
      mediaCounters.rawDrops[DropReason.DTMF_BLOCKED]++;
      return false;
    }
    if ((pol & MediaPolicy.BLOCK_MEDIA) !== 0) {
      this._policyStats.mediaBlocked++;
      mediaCounters.rawDrops[DropReason.MEDIA_BLOCKED]++;
      return false;
    }
    if ((pol & MediaPolicy.SILENCE_MEDIA) !== 0) {
      const fill = pt === this._ulawPt ? 0xff : pt === this._alawPt ? 0xd5 : -1;
      if (fill >= 0) {
        msg.fill(fill, view.payloadOffset, view.payloadOffset + view.payloadLength);
        this._policyStats.mediaSilenced++;
      }
    }
    return true;
  }

  /**
   * Send an RTP datagram to this endpoint's party, out of this endpoint's socket. Allowed in native
   * mode too: the addon polls its own dup of the fd, so Node's send path (and its POLLOUT) is untouched.
   */
  sendRtp(buf: Uint8Array, len: number): void {
    this.sendRtpAs(buf, len, false);
  }

  /** sendRtp; `own`: JS's own stream (sendOwnRtp), protected with srtpTxJs (protectOut). */
  private sendRtpAs(buf: Uint8Array, len: number, own: boolean): void {
    if (this.remotePort === 0 || this.closed) {
      mediaCounters.rawDrops[DropReason.NO_DESTINATION]++;
      return;
    }
    if (this.own !== null && this.own.has(this.remoteAddress, this.remotePort)) {
      mediaCounters.rawDrops[DropReason.OWN_ADDRESS]++;
      return;
    }
    if (this.srtpTx !== null || this.srtpPending) {
      len = this.protectOut(buf, len, false, own);
      if (len === 0) return;
      buf = this.srtpOut;
    }
    this.rtp.send(buf, 0, len, this.remotePort, this.remoteAddress);
    mediaCounters.raw[CounterSlot.RTP_PACKETS_OUT]++;
    mediaCounters.raw[CounterSlot.RTP_BYTES_OUT] += len;
  }

  /**
   * (P) Send one RTP datagram of a stream whisperd originates (its own SSRC: a mix output) and, when due,
   * the RTCP sender report about it (src/media/rtcpReport.ts) to the party's RTCP destination (its
   * RTP port under rtcp-mux); none without one. Hot path: the report is built in a preallocated buffer.
   */
  sendOwnRtp(buf: Uint8Array, len: number): void {
    this.sendRtpAs(buf, len, true);
    if (this.remotePort === 0 || this.closed) return;
    const n = this.rtcpTx.sent(buf, len, this.rtcpRx, performance.now());
    if (n === 0) return;
    const port = this.remoteRtcpPort;
    if (port === 0) return;
    if (this.own !== null && this.own.has(this.remoteAddress, port)) return;
    let out: Uint8Array = this.rtcpTx.report;
    let outLen = n;
    if (this.srtpTx !== null || this.srtpPending) {
      outLen = this.protectOut(out, n, true, true);
      if (outLen === 0) return;
      out = this.srtpOut;
    }
    (port === this.remotePort ? this.rtp : this.rtcp).send(out, 0, outLen, port, this.remoteAddress);
    mediaCounters.raw[CounterSlot.RTCP_PACKETS_OUT]++;
    mediaCounters.raw[CounterSlot.RTCP_BYTES_OUT] += outLen;
  }

  private onRtcp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.own !== null && this.own.has(rinfo.address, rinfo.port)) {
      this._rtcpStats.errors++;
      mediaCounters.rawDrops[DropReason.OWN_ADDRESS]++;
      return;
    }
    try {
      if (!this._rawMedia && this.demux(msg, rinfo, true)) return;
      this.handleRtcp(msg, rinfo, false);
    } catch (err) {
      mediaError('rtcp', err);
    }
  }

  private handleRtcp(msg: Buffer, rinfo: dgram.RemoteInfo, muxed: boolean): void {
    let len = msg.length;
    if (this.srtpRx !== null || this.srtpPending) {
      len = this.unprotectIn(msg, len, true);
      if (len < 0) return;
    }
    if (!isPlausibleRtcp(msg, len)) {
      this._rtcpStats.errors++;
      mediaCounters.rawDrops[DropReason.NOT_RTCP]++;
      return;
    }
    if (!this.checkSource(rinfo, !muxed)) return;
    this._rtcpStats.packets++;
    this._rtcpStats.bytes += len;
    mediaCounters.raw[CounterSlot.RTCP_PACKETS_IN]++;
    mediaCounters.raw[CounterSlot.RTCP_BYTES_IN] += len;
    readSenderReport(msg, len, this.rtcpRx, performance.now());
    const peer = this._forwardTo;
    if (peer === null || peer.closed) {
      mediaCounters.rawDrops[DropReason.NO_DESTINATION]++;
      return;
    }
    const port = muxed ? peer.remotePort : peer.remoteRtcpPort;
    if (port === 0) {
      mediaCounters.rawDrops[DropReason.NO_DESTINATION]++;
      return;
    }
    if (peer.own !== null && peer.own.has(peer.remoteAddress, port)) {
      mediaCounters.rawDrops[DropReason.OWN_ADDRESS]++;
      return;
    }
    let out: Uint8Array = msg;
    if (peer.srtpTx !== null || peer.srtpPending) {
      len = peer.protectOut(msg, len, true);
      if (len === 0) return;
      out = peer.srtpOut;
    }
    (muxed ? peer.rtp : peer.rtcp).send(out, 0, len, port, peer.remoteAddress);
    mediaCounters.raw[CounterSlot.RTCP_PACKETS_OUT]++;
    mediaCounters.raw[CounterSlot.RTCP_BYTES_OUT] += len;
  }

  /**
   * Endpoint learning and the strict-source check. Returns false if the packet must be dropped.
   * rtcp=true checks/latches the RTCP component (its own source port). JS mode only (native/src/relay.cc
   * CheckSource is the same rule set).
   */
  private checkSource(rinfo: dgram.RemoteInfo, rtcp: boolean): boolean {
    const latched = rtcp ? this._rtcpLatched : this._rtpLatched;
    const expectedPort = rtcp ? this._remoteRtcpPort : this._remotePort;
    const same = rinfo.port === expectedPort && rinfo.address === this._remoteAddress;
    if (latched) {
      if (same) return true;
      if (this._mediaHandover) {
        this.latch(rinfo, rtcp);
        return true;
      }
      if (this._strictSource) {
        (rtcp ? this._rtcpStats : this._rtpStats).errors++;
        mediaCounters.rawDrops[DropReason.STRICT_SOURCE]++;
        return false;
      }
      return true;
    }
    switch (this._learning) {
      case Learning.OFF:
        if (this._strictSource && !same) {
          (rtcp ? this._rtcpStats : this._rtpStats).errors++;
          mediaCounters.rawDrops[DropReason.STRICT_SOURCE]++;
          return false;
        }
        return true;
      case Learning.IMMEDIATE:
        this.latch(rinfo, rtcp);
        return true;
      case Learning.DELAYED:
        if (same || this._remotePort === 0 || performance.now() - this.learningStartMs >= DELAYED_LEARNING_MS) {
          this.latch(rinfo, rtcp);
        }
        return true;
    }
    return true;
  }

  private latch(rinfo: dgram.RemoteInfo, rtcp: boolean): void {
    if (rtcp) {
      this._remoteRtcpPort = rinfo.port;
      this._rtcpLatched = true;
      if (!this._rtpLatched) this._remoteAddress = rinfo.address;
    } else {
      this._remoteAddress = rinfo.address;
      this._remotePort = rinfo.port;
      this._rtpLatched = true;
      // RTCP beside RTP (RFC 3550 §11) only if that port exists: from RTP port 65535 it stays unknown
      // until the party's RTCP itself arrives.
      if (!this._rtcpLatched) this._remoteRtcpPort = rinfo.port < 65535 ? rinfo.port + 1 : 0;
    }
  }

  private onSocketError(): void {
    // ICMP errors (port unreachable) surface as socket errors on some platforms: count, keep going.
    if (this.nat !== null) this.natJsErrors++;
    else this._rtpStats.errors++;
    mediaCounters.rawDrops[DropReason.SEND_ERROR]++;
  }

  // --- native mode switching ---

  /** Not while `play DTMF` events are to be played (the injector runs on the JS path). */
  private static eligible(e: RtpEndpoint): boolean {
    return e._nativeRelay && !e.closed && e._engine === null && e.natMix === null && e.representable(e.remoteAddress) && (e._inject === null || !e._inject.busy) && RtpEndpoint.nativeSecurityOk(e);
  }

  private static pairEligible(a: RtpEndpoint, b: RtpEndpoint): boolean {
    return a !== b && a._forwardTo === b && b._forwardTo === a && RtpEndpoint.eligible(a) && RtpEndpoint.eligible(b);
  }

  /** Enter or leave native mode after a change of wiring, engine, policy switch or SDP remote. */
  private reconsider(): void {
    if (this.natMix !== null) return; // attached to a native mix: stays there until detachNativeMix()
    if (this.nat !== null && !RtpEndpoint.pairEligible(this, this.natPeer!)) this.leaveNative();
    const peer = this._forwardTo;
    if (this.nat === null && peer !== null && peer.nat === null && RtpEndpoint.pairEligible(this, peer)) RtpEndpoint.enterNative(this, peer);
  }

  /** The media thread can hold `address` as this endpoint's remote ('' included): same family as the socket. */
  private representable(address: string): boolean {
    return this.v6 ? address === '' || isIPv6(address) : ipv4ToU32(address) >= 0;
  }

  /** IPv6: `address` ('' = none) as 4 words into this.words6; false if it is not IPv6. Signalling time. */
  private wordsOf(address: string): boolean {
    if (address === '') {
      this.words6.fill(0);
      return true;
    }
    return ipv6ToWords(address, this.words6, 0);
  }

  /** The IPv6 remote of a native state array ('' when all zero). */
  private static remote6(s: Float64Array): string {
    const a = RelaySlot.REMOTE_ADDR6;
    return s[a] === 0 && s[a + 1] === 0 && s[a + 2] === 0 && s[a + 3] === 0 ? '' : wordsToIpv6(s, a);
  }

  /** The remote address a native state array holds, in this endpoint's family. */
  private natRemote(s: Float64Array): string {
    return this.v6 ? RtpEndpoint.remote6(s) : u32ToIpv4(s[RelaySlot.REMOTE_ADDR]!);
  }

  private exportState(): Float64Array {
    const s = new Float64Array(new ArrayBuffer(8 * RelaySlot.COUNT));
    if (this.v6) {
      this.wordsOf(this._remoteAddress);
      s.set(this.words6, RelaySlot.REMOTE_ADDR6);
    } else s[RelaySlot.REMOTE_ADDR] = ipv4ToU32(this._remoteAddress);
    s[RelaySlot.REMOTE_PORT] = this._remotePort;
    s[RelaySlot.REMOTE_RTCP_PORT] = this._remoteRtcpPort;
    s[RelaySlot.RTP_LATCHED] = this._rtpLatched ? 1 : 0;
    s[RelaySlot.RTCP_LATCHED] = this._rtcpLatched ? 1 : 0;
    s[RelaySlot.LEARNING] = this._learning;
    s[RelaySlot.STRICT_SOURCE] = this._strictSource ? 1 : 0;
    s[RelaySlot.MEDIA_HANDOVER] = this._mediaHandover ? 1 : 0;
    s[RelaySlot.LEARNING_START] = this.learningStartMs;
    s[RelaySlot.LAST_SSRC] = this._lastSsrc;
    s[RelaySlot.RTP_PACKETS] = this._rtpStats.packets;
    s[RelaySlot.RTP_BYTES] = this._rtpStats.bytes;
    s[RelaySlot.RTP_ERRORS] = this._rtpStats.errors;
    s[RelaySlot.RTCP_PACKETS] = this._rtcpStats.packets;
    s[RelaySlot.RTCP_BYTES] = this._rtcpStats.bytes;
    s[RelaySlot.RTCP_ERRORS] = this._rtcpStats.errors;
    s[RelaySlot.APPLIED] = 0;
    s[RelaySlot.POLICY] = this._policy;
    s[RelaySlot.DTMF_PT] = this._dtmfPt;
    s[RelaySlot.DTMF_PT2] = this._dtmfPt2;
    s[RelaySlot.ULAW_PT] = this._ulawPt;
    s[RelaySlot.ALAW_PT] = this._alawPt;
    s[RelaySlot.DTMF_BLOCKED] = this._policyStats.dtmfBlocked;
    s[RelaySlot.MEDIA_BLOCKED] = this._policyStats.mediaBlocked;
    s[RelaySlot.MEDIA_SILENCED] = this._policyStats.mediaSilenced;
    s[RelaySlot.DTMF_REPLACE] = this._dtmfReplace;
    s[RelaySlot.SEQ_OFFSET] = this._inject?.seqOffset ?? 0;
    this.rtcpRx.exportTo(s); // (P)
    return s;
  }

  private importState(s: Float64Array): void {
    this.rtcpRx.importFrom(s); // (P)
    this._remoteAddress = this.natRemote(s);
    this._remotePort = s[RelaySlot.REMOTE_PORT]!;
    this._remoteRtcpPort = s[RelaySlot.REMOTE_RTCP_PORT]!;
    this._rtpLatched = s[RelaySlot.RTP_LATCHED] !== 0;
    this._rtcpLatched = s[RelaySlot.RTCP_LATCHED] !== 0;
    this._learning = s[RelaySlot.LEARNING]! as Learning;
    this._strictSource = s[RelaySlot.STRICT_SOURCE] !== 0;
    this._mediaHandover = s[RelaySlot.MEDIA_HANDOVER] !== 0;
    this.learningStartMs = s[RelaySlot.LEARNING_START]!;
    this._lastSsrc = s[RelaySlot.LAST_SSRC]!;
    this._rtpStats.packets = s[RelaySlot.RTP_PACKETS]!;
    this._rtpStats.bytes = s[RelaySlot.RTP_BYTES]!;
    this._rtpStats.errors = s[RelaySlot.RTP_ERRORS]! + this.natJsErrors;
    this._rtcpStats.packets = s[RelaySlot.RTCP_PACKETS]!;
    this._rtcpStats.bytes = s[RelaySlot.RTCP_BYTES]!;
    this._rtcpStats.errors = s[RelaySlot.RTCP_ERRORS]!;
    // (the switches themselves are JS's own: setMediaPolicy keeps its fields current)
    this._policyStats.dtmfBlocked = s[RelaySlot.DTMF_BLOCKED]!;
    this._policyStats.mediaBlocked = s[RelaySlot.MEDIA_BLOCKED]!;
    this._policyStats.mediaSilenced = s[RelaySlot.MEDIA_SILENCED]!;
    this.natJsErrors = 0;
  }

  /**
   * A JS change to native state while the addon relays: the addon (a media thread, possibly) is the
   * only writer of the state array, so the change goes to it as a command; until it reports the
   * change applied (RelaySlot.APPLIED), the getters read this endpoint's own copy, which is refreshed
   * from the array before the first pending change (so it holds what the addon latched, plus the
   * changes JS made since). The caller then stores the new value in its own field.
   */
  private natSet(slot: RelaySlot, value: number, words?: Float64Array): void {
    const s = this.nat!;
    if (!this.natPending()) {
      this._remoteAddress = this.natRemote(s);
      this._remotePort = s[RelaySlot.REMOTE_PORT]!;
      this._remoteRtcpPort = s[RelaySlot.REMOTE_RTCP_PORT]!;
      this._rtpLatched = s[RelaySlot.RTP_LATCHED] !== 0;
      this._rtcpLatched = s[RelaySlot.RTCP_LATCHED] !== 0;
    }
    nativeRelayApi()!.set(this.natHandle!, slot, value, ++this.natSent, words);
  }

  /** A natSet the addon has not applied yet. */
  private natPending(): boolean {
    return this.nat![RelaySlot.APPLIED]! < this.natSent;
  }

  /** Index of the media thread relaying for this endpoint; -1 when not native or relayed on Node's loop. */
  get mediaThread(): number {
    return this.natHandle === null ? -1 : nativeRelayApi()!.threadOf(this.natHandle);
  }

  private static enterNative(a: RtpEndpoint, b: RtpEndpoint): void {
    const api = nativeRelayApi();
    if (api === null) return;
    const handles = [udpHandle(a.rtp), udpHandle(a.rtcp), udpHandle(b.rtp), udpHandle(b.rtcp)];
    if (handles.some((h) => h === null)) return;
    const [ar, ac, br, bc] = handles as [NonNullable<(typeof handles)[0]>, NonNullable<(typeof handles)[0]>, NonNullable<(typeof handles)[0]>, NonNullable<(typeof handles)[0]>];
    const sa = a.exportState();
    const sb = b.exportState();
    let ha: RelayHandle | null = null;
    let hb: RelayHandle | null = null;
    try {
      ha = api.open(ar.fd, ac.fd, sa, a.own?.native, a.own?.native6);
      hb = api.open(br.fd, bc.fd, sb, b.own?.native, b.own?.native6);
      a.pushSecurity(ha);
      b.pushSecurity(hb);
    } catch (err) {
      if (ha !== null) api.stop(ha);
      if (rateLimited('media:native-open')) logger.warn({ mod: 'media', err: (err as Error).message }, 'native relay: cannot take over an endpoint pair; relaying it in JS');
      return;
    }
    // Node stops reading first; the addon reads from here on (start returns once a media thread has
    // the fds; stop returns once it has let them go), so no datagram is read twice.
    for (const h of handles) h!.recvStop();
    const r = api.start(ha, hb, a.mediaThreadHint >= 0 ? a.mediaThreadHint : b.mediaThreadHint);
    if (r !== 0) {
      api.stop(ha);
      api.stop(hb);
      for (const h of handles) h!.recvStart();
      if (rateLimited('media:native-start')) logger.warn({ mod: 'media', code: r }, 'native relay: cannot start polling; relaying in JS');
      return;
    }
    a.nat = sa;
    a.natHandle = ha;
    a.natPeer = b;
    a.natSent = 0;
    a.natJsErrors = 0;
    b.nat = sb;
    b.natHandle = hb;
    b.natPeer = a;
    b.natSent = 0;
    b.natJsErrors = 0;
  }

  /**
   * Attach to a native call mix (src/mix/NativeCallMixer.ts): from now on this endpoint's media is
   * handled on the mix's media thread (rules as above; its RTP feeds input `idx`, output `idx` is sent
   * out of its socket; its RTCP is relayed out of participant `rtcpPeerIdx`'s endpoint, -1 none: the TS
   * engine's forwardTo). If it relays natively as a pair, the pair is handed back to JS first (the peer
   * stays in JS until it is attached too). Returns false, changing nothing else, if it cannot: closed,
   * native relay off for its pool, a remote the media thread cannot hold (not of the socket's family), an addon without native mixes, or the
   * addon refused; the caller then runs the whole call on the TS engine.
   */
  attachNativeMix(mix: MixHandle, idx: number, rtcpPeerIdx = -1): boolean {
    if (this.closed || !this._nativeRelay || this._engine !== null || (this._inject !== null && this._inject.busy) || !RtpEndpoint.nativeSecurityOk(this)) return false;
    const api = nativeRelayApi();
    const mixApi = api?.mix ?? null;
    if (api === null || mixApi === null) return false;
    this.detachNativeMix(); // (re)attaching moves it
    const remote = this.nat === null || this.natPending() ? this._remoteAddress : this.remoteAddress;
    if (!this.representable(remote)) return false;
    const rh = udpHandle(this.rtp);
    const ch = udpHandle(this.rtcp);
    if (rh === null || ch === null) return false;
    if (this.nat !== null) this.leaveNative();
    const s = this.exportState();
    let h: RelayHandle;
    try {
      h = api.open(rh.fd, ch.fd, s, this.own?.native, this.own?.native6);
      this.pushSecurity(h);
    } catch (err) {
      if (rateLimited('media:native-mix-open')) logger.warn({ mod: 'media', err: (err as Error).message }, 'native mix: cannot take over an endpoint');
      return false;
    }
    // Node stops reading first; the media thread reads from here on (attach returns once it has the fds).
    rh.recvStop();
    ch.recvStop();
    const r = mixApi.attach(h, mix, idx, rtcpPeerIdx);
    if (r !== 0) {
      api.stop(h);
      rh.recvStart();
      ch.recvStart();
      if (rateLimited('media:native-mix-attach')) logger.warn({ mod: 'media', code: r }, 'native mix: cannot attach an endpoint');
      return false;
    }
    this.nat = s;
    this.natHandle = h;
    this.natPeer = null;
    this.natSent = 0;
    this.natJsErrors = 0;
    this.natMix = mix;
    return true;
  }

  /** Leave the native mix (synchronous: when it returns, Node reads the sockets again). No-op when not attached. */
  detachNativeMix(): void {
    if (this.natMix === null) return;
    nativeRelayApi()!.mix!.detach(this.natHandle!);
    this.detachNative();
    this.reconsider(); // a pure relay pair again (both detached): back to the native relay
  }

  /** Hand this endpoint and its native peer back to JS (Node reads again; kernel queues are kept). */
  private leaveNative(): void {
    const peer = this.natPeer;
    this.detachNative();
    if (peer !== null && peer.nat !== null) peer.detachNative();
  }

  private detachNative(): void {
    const s = this.nat;
    if (s === null) return;
    nativeRelayApi()!.stop(this.natHandle!);
    this.importState(s);
    this.nat = null;
    this.natHandle = null;
    this.natPeer = null;
    this.natMix = null;
    this.addrCacheNum = -1;
    if (!this.closed) {
      udpHandle(this.rtp)?.recvStart();
      udpHandle(this.rtcp)?.recvStart();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Close both sockets (native polling is stopped first). Idempotent. The caller returns the port to the pool. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.nat !== null) this.leaveNative();
    this._engine = null;
    this._forwardTo = null;
    this._nonRtp = null;
    trackNonRtp(this, false);
    for (const c of [this.srtpRx, this.srtpTx, this.srtpTxJs]) if (c !== null) this.retireSrtp(c);
    this.srtpRx = null;
    this.srtpTx = null;
    this.srtpTxJs = null;
    this.rtp.close();
    this.rtcp.close();
  }
}
