/**
 * DTMF injection on the relay path (ng `play DTMF`, src/control/ng/commands/mediaControl.ts): the
 * events a command queued for one participant replace that participant's outgoing audio packets, the
 * way rtpengine 10.5 does it (daemon/dtmf.c dtmf_inject, dtmf_event_payload; lib/dtmflib.c), decided at
 * command time, executed per packet here without allocation:
 *
 *  - RFC 4733 (the receiver has telephone-event): from the first packet after the command, each audio
 *    packet becomes an event packet — the receiver's telephone-event PT, marker on the first, timestamp
 *    = the event's start, duration = (this packet's timestamp - start) + one frame; the packet at or past
 *    start + duration is the end packet, sent three times (sequence +0, +1, +2), and every later packet
 *    of the stream is renumbered +2 per event. A queued event starts once the stream reaches the end of
 *    the previous event + its own pause.
 *  - in-band (no telephone-event; G.711 only on the relay path): the tone (rtpengine's dtmflib: two
 *    sines, amplitude 32767 / (2 * 1.122018^volume), truncated) replaces the audio samples from the
 *    first sample after the command, then the pause as silence, then the next queued event at once;
 *    samples outside replaced as they came. Encoded to the nearest G.711 level (the table of ffmpeg's
 *    pcm encoder rtpengine uses, built below), so the bytes are rtpengine's.
 */
import { ALAW_TO_LINEAR, ULAW_TO_LINEAR } from '../codec/g711';
import type { RtpView } from './rtp';

/** Where the packets go (the receiving participant's endpoint). */
export interface RtpSink {
  sendRtp(buf: Uint8Array, len: number): void;
}

/** One queued `play DTMF` event. */
export interface DtmfInjectEvent {
  /** RFC 4733 event code, 0..15. */
  code: number;
  /** The telephone-event volume field (-dBm0, 0..63). */
  volume: number;
  /** The in-band tone's attenuation index (rtpengine passes the 6-bit field of the same value). */
  toneVolume: number;
  durationMs: number;
  pauseMs: number;
}

/** DTMF frequencies (Hz): [low, high] per event code 0..15 (0-9, *, #, A-D). */
const DTMF_FREQS: ReadonlyArray<readonly [number, number]> = [
  [941, 1336], [697, 1209], [697, 1336], [697, 1477], [770, 1209], [770, 1336], [770, 1477], [852, 1209],
  [852, 1336], [852, 1477], [941, 1209], [941, 1477], [697, 1633], [770, 1633], [852, 1633], [941, 1633],
];

/** 1.122018^v, v = 0..63, exactly as rtpengine's vol_table (lib/dtmflib.c) holds it (last bits included). */
export const TONE_VOLUME_TABLE = Float64Array.from([
  1.0, 1.122018, 1.2589243923239999, 1.4125358288265897,
  1.5848906255883524, 1.778275809941392, 1.9952574677188206, 2.238714793414936,
  2.5118782950778393, 2.818372660886647, 3.1622648562227136, 3.5481180894492965,
  3.9810523624877208, 4.466812409653747, 5.011843926254878, 5.623379098448646,
  6.309532569283152, 7.079409114321943, 7.9432244556332785, 8.91244081726074,
  9.99991902090126, 11.22008913999359, 12.589141976677327, 14.12524390238754,
  15.848777912869062, 17.78261409624152, 19.952413103036715, 22.38696664504305,
  25.118579541137912, 28.183498379588475, 31.6223924848691, 35.480893571087854,
  39.810201242844855, 44.667762378094295, 50.1180334079446, 56.23333560831519,
  63.094814752570585, 70.79351785904974, 79.43160132117526, 89.12368645118244,
  99.9983804245828, 112.19998280722955, 125.89040030940208, 141.25129517435468,
  158.4864957089391, 177.82470094235242, 199.52251530193638, 223.86785357404804,
  251.18376133144622, 281.8327015215866, 316.22136409584755, 354.8060625000947,
  398.0987886342312, 446.6740066258028, 501.17627556627, 562.3288023583151,
  630.943038164472, 707.9294457952245, 794.3095809122663, 891.2296473560191,
  999.9757064671057, 1121.9907422188091, 1258.8938086028636, 1412.501513340968,
]);

function freqIter(hz: number, rate: number): number {
  let r = hz;
  r *= 2 * Math.PI;
  r /= rate;
  return r;
}

/** Sample `offset` (from the event's start) of DTMF event `code` at `volume`, as rtpengine's dtmf_samples_int16_t. */
export function dtmfToneSample(code: number, volume: number, rate: number, offset: number): number {
  const f = DTMF_FREQS[code & 15]!;
  const vol = TONE_VOLUME_TABLE[volume & 63]! * 2.0;
  const prim = Math.sin(freqIter(f[0], rate) * offset) / vol;
  const sec = Math.sin(freqIter(f[1], rate) * offset) / vol;
  return Math.trunc(prim * 32767.0 + sec * 32767.0);
}

/**
 * Nearest-level G.711 encoding tables ((sample + 32768) >> 2 -> code), built as ffmpeg's pcm encoder
 * builds them (pcm_tablegen.h build_xlaw_table): a sample goes to the level halfway-split between two
 * neighbouring decoded values. They differ from the G.711 decision thresholds just above a segment edge.
 */
function nearestLevelTable(decode: Int16Array, mask: number): Uint8Array {
  const t = new Uint8Array(16384);
  let j = 1;
  t[8192] = mask;
  for (let i = 0; i < 127; i++) {
    const v1 = decode[i ^ mask]!;
    const v2 = decode[(i + 1) ^ mask]!;
    const v = (v1 + v2 + 4) >> 3;
    for (; j < v; j++) {
      t[8192 - j] = i ^ (mask ^ 0x80);
      t[8192 + j] = i ^ mask;
    }
  }
  for (; j < 8192; j++) {
    t[8192 - j] = 127 ^ (mask ^ 0x80);
    t[8192 + j] = 127 ^ mask;
  }
  t[0] = t[1]!;
  return t;
}
export const NEAREST_ULAW = nearestLevelTable(ULAW_TO_LINEAR, 0xff);
export const NEAREST_ALAW = nearestLevelTable(ALAW_TO_LINEAR, 0xd5);

/** Most events one participant may have queued (a command beyond it is refused). */
export const MAX_QUEUED_DTMF = 64;

const enum Law {
  NONE = 0,
  ULAW = 1,
  ALAW = 2,
}

/** Signed distance a - b of two RTP timestamps (mod 2^32). */
function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class DtmfInjector {
  /** Events queued by commands, oldest first (command time only appends; the packet path shifts). */
  private readonly queue: DtmfInjectEvent[] = [];
  private active = false;
  private code = 0;
  private volume = 0;
  private toneVolume = 0;
  private start = 0;
  private durSamples = 0;
  private pauseSamples = 0;
  private first = false;
  /** RFC mode: timestamp where the last event ended (start + duration); hasLastEnd false before the first. */
  private lastEnd = 0;
  private hasLastEnd = false;
  /** Added to every later packet's sequence number (2 per RFC event: the two extra end packets). */
  seqOffset = 0;
  private lastTs = 0;
  private hasLastTs = false;
  private readonly extra = [Buffer.alloc(1500), Buffer.alloc(1500)];

  /**
   * @param rfcPt   the receiver's telephone-event payload type, or -1 for in-band tones
   * @param ulawPt  the sender's PCMU payload type (-1 none): in-band tones go into these packets
   * @param alawPt  the sender's PCMA payload type (-1 none)
   */
  constructor(
    readonly clockRate: number,
    readonly rfcPt: number,
    readonly ulawPt: number,
    readonly alawPt: number,
  ) {}

  /** True while an event is playing or queued (the endpoint then stays on this path). */
  get busy(): boolean {
    return this.active || this.queue.length > 0;
  }

  /** Room for one more event. */
  get canEnqueue(): boolean {
    return this.queue.length < MAX_QUEUED_DTMF;
  }

  /** Queue an event (command time). False when the queue is full. */
  enqueue(ev: DtmfInjectEvent): boolean {
    if (this.queue.length >= MAX_QUEUED_DTMF) return false;
    this.queue.push(ev);
    return true;
  }

  private begin(ts: number): void {
    const ev = this.queue.shift()!;
    this.active = true;
    this.code = ev.code;
    this.volume = ev.volume;
    this.toneVolume = ev.toneVolume;
    this.start = ts;
    this.durSamples = Math.floor((ev.durationMs * this.clockRate) / 1000);
    this.pauseSamples = Math.floor((ev.pauseMs * this.clockRate) / 1000);
    this.first = true;
  }

  /**
   * Handle one RTP packet of the sender, in place (msg is the received datagram), and send what comes
   * of it out of `out`. Hot path: no allocation.
   */
  process(msg: Buffer, view: RtpView, out: RtpSink): void {
    const ts = view.timestamp;
    let frame = this.hasLastTs ? (ts - this.lastTs) >>> 0 : 0;
    if (frame === 0 || frame > this.clockRate) frame = this.clockRate / 50;
    this.lastTs = ts;
    this.hasLastTs = true;
    if (this.rfcPt >= 0) {
      if (this.rfc(msg, view, ts, frame, out)) return;
    } else {
      this.inband(msg, view, ts);
    }
    if (this.seqOffset !== 0) {
      const seq = (view.sequence + this.seqOffset) & 0xffff;
      msg[2] = seq >> 8;
      msg[3] = seq & 0xff;
    }
    out.sendRtp(msg, msg.length);
  }

  /** Returns true when it sent the packet itself (as an event). */
  private rfc(msg: Buffer, view: RtpView, ts: number, frame: number, out: RtpSink): boolean {
    if (view.payloadType === this.rfcPt) return false; // the sender's own events pass (renumbered)
    if (!this.active && this.queue.length > 0) {
      const ev = this.queue[0]!;
      const earliest = this.lastEnd + Math.floor((ev.pauseMs * this.clockRate) / 1000);
      if (!this.hasLastEnd || tsDiff(ts, earliest >>> 0) >= 0) this.begin(ts);
    }
    if (!this.active) return false;
    const rel = tsDiff(ts, this.start);
    if (rel < 0) return false; // older than the event: pass
    const hl = view.headerLength;
    // No room for the 4-byte event in this datagram or in the spare buffers (a packet with a huge header
    // extension): it passes as audio, the event goes on with the next packet.
    if (hl + 4 > msg.length || hl + 4 > this.extra[0]!.length) return false;
    const end = rel >= this.durSamples;
    const seq = (view.sequence + this.seqOffset) & 0xffff;
    msg[0] = msg[0]! & ~0x20; // no padding: the payload is rewritten
    msg[1] = (this.first ? 0x80 : 0) | this.rfcPt;
    msg[2] = seq >> 8;
    msg[3] = seq & 0xff;
    msg.writeUInt32BE(this.start >>> 0, 4);
    const dur = Math.min(rel + frame, 0xffff);
    msg[hl] = this.code;
    msg[hl + 1] = (end ? 0x80 : 0) | (this.volume & 0x3f);
    msg[hl + 2] = dur >> 8;
    msg[hl + 3] = dur & 0xff;
    const len = hl + 4;
    out.sendRtp(msg, len);
    this.first = false;
    if (!end) return true;
    // The end packet twice more (RFC 4733 §2.5.1.4), each in its own buffer (a send may be queued).
    for (let k = 0; k < 2; k++) {
      const b = this.extra[k]!;
      msg.copy(b, 0, 0, len);
      const s = (seq + 1 + k) & 0xffff;
      b[2] = s >> 8;
      b[3] = s & 0xff;
      out.sendRtp(b, len);
    }
    this.seqOffset = (this.seqOffset + 2) & 0xffff;
    this.active = false;
    this.lastEnd = (this.start + this.durSamples) >>> 0;
    this.hasLastEnd = true;
    return true;
  }

  private inband(msg: Buffer, view: RtpView, ts: number): void {
    const pt = view.payloadType;
    const law = pt === this.ulawPt ? Law.ULAW : pt === this.alawPt ? Law.ALAW : Law.NONE;
    if (law === Law.NONE) return;
    if (!this.active && this.queue.length === 0) return;
    const table = law === Law.ULAW ? NEAREST_ULAW : NEAREST_ALAW;
    const silence = law === Law.ULAW ? 0xff : 0xd5;
    const off = view.payloadOffset;
    const n = view.payloadLength;
    for (let i = 0; i < n; i++) {
      const sts = (ts + i) >>> 0;
      if (!this.active) {
        if (this.queue.length === 0) return;
        this.begin(sts);
      }
      const rel = tsDiff(sts, this.start);
      if (rel < 0) continue;
      if (rel < this.durSamples) {
        const x = dtmfToneSample(this.code, this.toneVolume, this.clockRate, rel);
        msg[off + i] = table[(x + 32768) >> 2]!;
      } else if (rel < this.durSamples + this.pauseSamples) {
        msg[off + i] = silence;
      } else {
        this.active = false;
        i--; // this sample: the next event, or passed as it came
      }
    }
  }
}
