/**
 * RTCP sender reports for a stream whisperd originates towards one party (a mix output with whisperd's own
 * SSRC: a prompt, a whisper mix, a transcoded stream), as rtpengine 10.5 sends them (daemon/rtcp.c
 * rtcp_sender_report, media_player.c send_timer_rtcp):
 *  - the first right after the stream's first packet went out, then after each packet once 5 s + a random
 *    0..2 s have passed since the previous report;
 *  - one compound datagram: SR (sender SSRC = the stream's, NTP wallclock, the RTP timestamp of the last
 *    packet sent, packets and octets sent counting the whole RTP datagram) with one report block about the
 *    stream received from that party (its SSRC, fraction / cumulative lost, extended highest sequence,
 *    interarrival jitter, LSR = the middle 32 bits of the NTP time of the party's last SR and DLSR = the
 *    time since it arrived in 1/65536 s), then SDES with one CNAME chunk: the daemon's 12-hex-char instance id.
 * No report block when nothing was received from the party. Built into one preallocated buffer; the
 * receive statistics are plain numbers updated per received packet (RFC 3550 A.1 / A.8).
 */
import crypto from 'node:crypto';
import { RelaySlot } from './nativeRelay';
import { loadNative } from '../native/addon';

/** rtpengine's instance id: 12 characters, one per daemon process (the addon's, so both engines agree). */
function cname(): string {
  const n = loadNative() as { rtcpCname?: unknown } | null;
  const c = n?.rtcpCname;
  return typeof c === 'string' && /^[0-9a-f]{12}$/.test(c) ? c : crypto.randomBytes(6).toString('hex');
}
export const RTCP_CNAME = cname();

const NTP_EPOCH_OFFSET = 2208988800;
const SR_BYTES = 28;
const BLOCK_BYTES = 24;
const SDES_BYTES = 24;

/**
 * Receive-side statistics of the stream a party sends (RFC 3550 A.1, A.8; jitter in 8 kHz timestamp units),
 * plus its last SR. The native relay keeps the same numbers in the endpoint's state slots RX_SSRC..SR_AT_MS
 * (native/src/rtp/rtcp_report.h): exportTo/importFrom hand them over when the endpoint enters/leaves native.
 */
export class RtcpReceiveStats {
  ssrc = 0;
  received = 0;
  private baseSeq = 0;
  maxExt = 0;
  /** Interarrival jitter in timestamp units, scaled by 16 (RFC 3550 A.8). */
  jitter16 = 0;
  private lastTransit = 0;
  clockRate = 8000;
  /** Middle 32 bits of the NTP time of the party's last SR, and when it arrived (performance.now() ms; 0 none). */
  srMiddle = 0;
  srAtMs = 0;

  /** One RTP packet received from the party. Hot path. */
  rtp(ssrc: number, seq: number, ts: number, nowMs: number): void {
    const transit = (nowMs * this.clockRate) / 1000 - ts;
    if (this.received === 0 || ssrc !== this.ssrc) {
      this.ssrc = ssrc;
      this.received = 1;
      this.baseSeq = seq;
      this.maxExt = seq;
      this.jitter16 = 0;
      this.lastTransit = transit;
      return;
    }
    const cycles = this.maxExt - (this.maxExt & 0xffff);
    const maxSeq = this.maxExt & 0xffff;
    const d = (seq - maxSeq) & 0xffff;
    if (d !== 0 && d < 0x8000) this.maxExt = seq < maxSeq ? cycles + 0x10000 + seq : cycles + seq;
    this.received++;
    let dt = transit - this.lastTransit;
    if (dt < 0) dt = -dt;
    this.jitter16 += dt - (this.jitter16 + 8) / 16;
    this.lastTransit = transit;
  }

  /** One SR from the party: the NTP timestamp's middle 32 bits. */
  senderReport(ntpMsw: number, ntpLsw: number, nowMs: number): void {
    this.srMiddle = (((ntpMsw & 0xffff) << 16) | (ntpLsw >>> 16)) >>> 0;
    this.srAtMs = nowMs > 0 ? nowMs : 1e-9;
  }

  /** Into the native relay's state (the endpoint enters native). */
  exportTo(s: Float64Array): void {
    s[RelaySlot.RX_SSRC] = this.ssrc;
    s[RelaySlot.RX_RECEIVED] = this.received;
    s[RelaySlot.RX_BASE_SEQ] = this.baseSeq;
    s[RelaySlot.RX_MAX_EXT] = this.maxExt;
    s[RelaySlot.RX_JITTER16] = this.jitter16;
    s[RelaySlot.RX_TRANSIT] = this.lastTransit;
    s[RelaySlot.SR_MIDDLE] = this.srMiddle;
    s[RelaySlot.SR_AT_MS] = this.srAtMs;
  }

  /** From the native relay's state (the endpoint leaves native). */
  importFrom(s: Float64Array): void {
    this.ssrc = s[RelaySlot.RX_SSRC]!;
    this.received = s[RelaySlot.RX_RECEIVED]!;
    this.baseSeq = s[RelaySlot.RX_BASE_SEQ]!;
    this.maxExt = s[RelaySlot.RX_MAX_EXT]!;
    this.jitter16 = s[RelaySlot.RX_JITTER16]!;
    this.lastTransit = s[RelaySlot.RX_TRANSIT]!;
    this.srMiddle = s[RelaySlot.SR_MIDDLE]!;
    this.srAtMs = s[RelaySlot.SR_AT_MS]!;
  }

  /** Packets lost: expected (from the sequence numbers) minus received, never below 0. */
  get lost(): number {
    const expected = this.maxExt - this.baseSeq + 1;
    const l = expected - this.received;
    return l > 0 ? l : 0;
  }
}

/** Finds the SR's sender info in a compound RTCP datagram (already checked plausible); false if none. */
export function readSenderReport(msg: Uint8Array, len: number, stats: RtcpReceiveStats, nowMs: number): boolean {
  let off = 0;
  while (off + 4 <= len) {
    const words = (msg[off + 2]! << 8) | msg[off + 3]!;
    const size = (words + 1) * 4;
    if (msg[off + 1] === 200 && size >= SR_BYTES && off + size <= len) {
      const msw = ((msg[off + 8]! << 24) | (msg[off + 9]! << 16) | (msg[off + 10]! << 8) | msg[off + 11]!) >>> 0;
      const lsw = ((msg[off + 12]! << 24) | (msg[off + 13]! << 16) | (msg[off + 14]! << 8) | msg[off + 15]!) >>> 0;
      stats.senderReport(msw, lsw, nowMs);
      return true;
    }
    off += size;
  }
  return false;
}

/** The send side of one party's endpoint: what whisperd sent it with its own SSRC, and when to report. */
export class RtcpSenderReporter {
  private ssrc = -1;
  packets = 0;
  octets = 0;
  lastTs = 0;
  /** performance.now() ms at which the next report is due (0: with the next packet). */
  private nextMs = 0;
  private readonly buf = Buffer.alloc(SR_BYTES + BLOCK_BYTES + SDES_BYTES);

  constructor() {
    const b = this.buf;
    b[SR_BYTES + BLOCK_BYTES] = 0x81;
    b[SR_BYTES + BLOCK_BYTES + 1] = 202;
    b[SR_BYTES + BLOCK_BYTES + 3] = SDES_BYTES / 4 - 1;
    b[SR_BYTES + BLOCK_BYTES + 8] = 1; // CNAME
    b[SR_BYTES + BLOCK_BYTES + 9] = 12;
    b.write(RTCP_CNAME, SR_BYTES + BLOCK_BYTES + 10, 12, 'latin1');
  }

  /**
   * One own-SSRC RTP datagram sent to the party (its header in pkt). Returns the length of a report to
   * send now (in `report`), or 0. Hot path: no allocation.
   */
  sent(pkt: Uint8Array, len: number, rx: RtcpReceiveStats, nowMs: number): number {
    const ssrc = ((pkt[8]! << 24) | (pkt[9]! << 16) | (pkt[10]! << 8) | pkt[11]!) >>> 0;
    if (ssrc !== this.ssrc) {
      // A new stream (rtpengine: a new ssrc_ctx, its report due at once).
      this.ssrc = ssrc;
      this.packets = 0;
      this.octets = 0;
      this.nextMs = 0;
    }
    this.packets++;
    this.octets += len;
    this.lastTs = ((pkt[4]! << 24) | (pkt[5]! << 16) | (pkt[6]! << 8) | pkt[7]!) >>> 0;
    if (nowMs < this.nextMs) return 0;
    this.nextMs = nowMs + 5000 + Math.random() * 2000;
    return this.build(rx, nowMs);
  }

  get report(): Buffer {
    return this.buf;
  }

  private build(rx: RtcpReceiveStats, nowMs: number): number {
    const b = this.buf;
    const block = rx.received > 0 ? 1 : 0;
    const srLen = SR_BYTES + block * BLOCK_BYTES;
    b[0] = 0x80 | block;
    b[1] = 200;
    b[2] = 0;
    b[3] = srLen / 4 - 1;
    b.writeUInt32BE(this.ssrc, 4);
    const wall = Date.now();
    const sec = Math.floor(wall / 1000);
    b.writeUInt32BE((sec + NTP_EPOCH_OFFSET) >>> 0, 8);
    b.writeUInt32BE(Math.floor(((wall - sec * 1000) / 1000) * 4294967295) >>> 0, 12);
    b.writeUInt32BE(this.lastTs, 16);
    b.writeUInt32BE(this.packets >>> 0, 20);
    b.writeUInt32BE(this.octets >>> 0, 24);
    if (block) {
      const lost = rx.lost;
      const fraction = Math.min(255, Math.floor((lost * 256) / (rx.received + lost)));
      b.writeUInt32BE(rx.ssrc >>> 0, 28);
      b[32] = fraction;
      const cum = Math.min(lost, 0x7fffff);
      b[33] = (cum >>> 16) & 0xff;
      b[34] = (cum >>> 8) & 0xff;
      b[35] = cum & 0xff;
      b.writeUInt32BE(rx.maxExt >>> 0, 36);
      b.writeUInt32BE(Math.floor(rx.jitter16) >>> 4 >>> 0, 40);
      b.writeUInt32BE(rx.srAtMs > 0 ? rx.srMiddle : 0, 44);
      b.writeUInt32BE(rx.srAtMs > 0 ? Math.max(0, Math.floor(((nowMs - rx.srAtMs) * 65536) / 1000)) >>> 0 : 0, 48);
    }
    // SDES after the SR: move it up when there is no report block.
    if (!block) b.copy(b, SR_BYTES, SR_BYTES + BLOCK_BYTES, SR_BYTES + BLOCK_BYTES + SDES_BYTES);
    const sdes = srLen;
    b.writeUInt32BE(this.ssrc, sdes + 4);
    const total = srLen + SDES_BYTES;
    if (!block) {
      // Restore the SDES template at its usual place for the next report with a block.
      b.copy(b, SR_BYTES + BLOCK_BYTES, SR_BYTES, SR_BYTES + SDES_BYTES);
    }
    return total;
  }
}
