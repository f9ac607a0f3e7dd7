/**
 * One local RTP/RTCP socket pair facing one party for one m= line (rtpengine's packet_stream/stream_fd).
 * This is where every media packet enters whisperd:
 *
 *   socket 'message' -> onRtp(): parse header in place -> source check / latching -> count
 *       -> engine.onRtp() (a mixing/processing engine owns this input)  or  forward out of the peer
 *          endpoint's socket to the peer's address (relay path: packet untouched, no copy)
 *
 * Everything the packet path needs (destination, latching policy, engine or relay peer) is decided at
 * signalling time by the call layer; the handlers below only execute it. No allocation of our own, no
 * closures, no logging per packet: drops are counted by reason.
 */
import dgram from 'node:dgram';
import { DropReason, mediaCounters } from './counters';
import { isPlausibleRtcp, parseRtp, RtpVerdict, RtpView } from './rtp';

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

  /** Where this party's media goes: from SDP, then latched from real packets. '' = unknown/on hold. */
  remoteAddress = '';
  remotePort = 0;
  remoteRtcpPort = 0;
  /** The address/port the SDP announced (kept for `advertised endpoint` in query). */
  sdpAddress = '';
  sdpPort = 0;
  /** Set when the source has been latched from real packets. */
  rtpLatched = false;
  rtcpLatched = false;

  // Policy, set at signalling time.
  learning: Learning = Learning.IMMEDIATE;
  strictSource = false;
  mediaHandover = false;
  private learningStartMs = 0;

  /** Relay path: forward received packets out of this peer endpoint's sockets. */
  forwardTo: RtpEndpoint | null = null;
  /** Processing path: if set, RTP goes to the engine instead of being forwarded. */
  engine: RtpInputSink | null = null;

  readonly rtpStats: EndpointStats = { packets: 0, bytes: 0, errors: 0 };
  readonly rtcpStats: EndpointStats = { packets: 0, bytes: 0, errors: 0 };
  /** RTP payload types seen last and SSRC last seen (for query). */
  lastSsrc = -1;
  /** Unix ms of the last packet received, updated by the timeout sweep (not per packet). */
  lastPacketMs = 0;
  private lastSweepPackets = 0;

  private readonly view = new RtpView();
  private closed = false;

  constructor(localAddress: string, localPort: number, rtp: dgram.Socket, rtcp: dgram.Socket) {
    this.localAddress = localAddress;
    this.localPort = localPort;
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.onRtp = this.onRtp.bind(this);
    this.onRtcp = this.onRtcp.bind(this);
    this.onSocketError = this.onSocketError.bind(this);
    rtp.on('message', this.onRtp);
    rtcp.on('message', this.onRtcp);
    rtp.on('error', this.onSocketError);
    rtcp.on('error', this.onSocketError);
  }

  /** Set the destination announced in SDP (offer/answer). Keeps a latched source unless told otherwise. */
  setSdpRemote(address: string, rtpPort: number, rtcpPort: number): void {
    const changed = address !== this.sdpAddress || rtpPort !== this.sdpPort;
    this.sdpAddress = address;
    this.sdpPort = rtpPort;
    if (!this.rtpLatched || changed) {
      const hold = address === '0.0.0.0' || rtpPort === 0;
      this.remoteAddress = hold ? '' : address;
      this.remotePort = hold ? 0 : rtpPort;
      this.remoteRtcpPort = hold ? 0 : rtcpPort;
      if (changed) {
        this.rtpLatched = false;
        this.rtcpLatched = false;
        this.learningStartMs = performance.now();
      }
    }
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

  /** RTP ingress. Hot path. */
  private onRtp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const len = msg.length;
    const view = this.view;
    const verdict = parseRtp(msg, len, view);
    if (verdict !== RtpVerdict.OK) {
      if (verdict === RtpVerdict.RTCP) {
        // rtcp-mux: RTCP arriving on the RTP port is relayed like RTCP.
        this.handleRtcp(msg, rinfo, true);
        return;
      }
      this.rtpStats.errors++;
      mediaCounters.drops[verdict - 1]++;
      return;
    }
    if (!this.checkSource(rinfo, false)) return;
    this.rtpStats.packets++;
    this.rtpStats.bytes += len;
    mediaCounters.rtpPacketsIn++;
    mediaCounters.rtpBytesIn += len;
    this.lastSsrc = view.ssrc;
    const engine = this.engine;
    if (engine !== null) {
      engine.onRtp(this, msg, view, performance.now());
      return;
    }
    const peer = this.forwardTo;
    if (peer === null || peer.remotePort === 0) {
      mediaCounters.drops[DropReason.NO_DESTINATION]++;
      return;
    }
    peer.sendRtp(msg, len);
  }

  /** Send an RTP datagram to this endpoint's party, out of this endpoint's socket. */
  sendRtp(buf: Uint8Array, len: number): void {
    if (this.remotePort === 0 || this.closed) {
      mediaCounters.drops[DropReason.NO_DESTINATION]++;
      return;
    }
    this.rtp.send(buf, 0, len, this.remotePort, this.remoteAddress);
    mediaCounters.rtpPacketsOut++;
    mediaCounters.rtpBytesOut += len;
  }

  private onRtcp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.handleRtcp(msg, rinfo, false);
  }

  private handleRtcp(msg: Buffer, rinfo: dgram.RemoteInfo, muxed: boolean): void {
    const len = msg.length;
    if (!isPlausibleRtcp(msg, len)) {
      this.rtcpStats.errors++;
      mediaCounters.drops[DropReason.NOT_RTCP]++;
      return;
    }
    if (!this.checkSource(rinfo, !muxed)) return;
    this.rtcpStats.packets++;
    this.rtcpStats.bytes += len;
    mediaCounters.rtcpPacketsIn++;
    mediaCounters.rtcpBytesIn += len;
    const peer = this.forwardTo;
    if (peer === null || peer.closed) {
      mediaCounters.drops[DropReason.NO_DESTINATION]++;
      return;
    }
    if (muxed) {
      if (peer.remotePort === 0) {
        mediaCounters.drops[DropReason.NO_DESTINATION]++;
        return;
      }
      peer.rtp.send(msg, 0, len, peer.remotePort, peer.remoteAddress);
    } else {
      if (peer.remoteRtcpPort === 0) {
        mediaCounters.drops[DropReason.NO_DESTINATION]++;
        return;
      }
      peer.rtcp.send(msg, 0, len, peer.remoteRtcpPort, peer.remoteAddress);
    }
    mediaCounters.rtcpPacketsOut++;
    mediaCounters.rtcpBytesOut += len;
  }

  /**
   * Endpoint learning and the strict-source check. Returns false if the packet must be dropped.
   * rtcp=true checks/latches the RTCP component (its own source port).
   */
  private checkSource(rinfo: dgram.RemoteInfo, rtcp: boolean): boolean {
    const latched = rtcp ? this.rtcpLatched : this.rtpLatched;
    const expectedPort = rtcp ? this.remoteRtcpPort : this.remotePort;
    const same = rinfo.port === expectedPort && rinfo.address === this.remoteAddress;
    if (latched) {
      if (same) return true;
      if (this.mediaHandover) {
        this.latch(rinfo, rtcp);
        return true;
      }
      if (this.strictSource) {
        (rtcp ? this.rtcpStats : this.rtpStats).errors++;
        mediaCounters.drops[DropReason.STRICT_SOURCE]++;
        return false;
      }
      return true;
    }
    switch (this.learning) {
      case Learning.OFF:
        if (this.strictSource && !same) {
          (rtcp ? this.rtcpStats : this.rtpStats).errors++;
          mediaCounters.drops[DropReason.STRICT_SOURCE]++;
          return false;
        }
        return true;
      case Learning.IMMEDIATE:
        this.latch(rinfo, rtcp);
        return true;
      case Learning.DELAYED:
        if (same || this.remotePort === 0 || performance.now() - this.learningStartMs >= DELAYED_LEARNING_MS) {
          this.latch(rinfo, rtcp);
        }
        return true;
    }
    return true;
  }

  private latch(rinfo: dgram.RemoteInfo, rtcp: boolean): void {
    if (rtcp) {
      this.remoteRtcpPort = rinfo.port;
      this.rtcpLatched = true;
      if (!this.rtpLatched) this.remoteAddress = rinfo.address;
    } else {
      this.remoteAddress = rinfo.address;
      this.remotePort = rinfo.port;
      this.rtpLatched = true;
      if (!this.rtcpLatched) this.remoteRtcpPort = rinfo.port + 1;
    }
  }

  private onSocketError(): void {
    // ICMP errors (port unreachable) surface as socket errors on some platforms: count, keep going.
    this.rtpStats.errors++;
    mediaCounters.drops[DropReason.SEND_ERROR]++;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Close both sockets. Idempotent. The caller returns the port to the pool. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine = null;
    this.forwardTo = null;
    this.rtp.close();
    this.rtcp.close();
  }
}
