/**
 * The media side of a T.38 gateway (rtpengine's `T.38` flag, src/call/t38.ts decides when): one socket
 * facing a fax machine on G.711 audio (RTP) and one facing a T.38 endpoint (UDPTL datagrams on an
 * m=image line), joined by spandsp's t38_gateway in the addon (native/src/t38/). Runs on Node's loop:
 *
 *   audio endpoint -> onRtp: the G.711 payload of the negotiated payload type, or of static PT 0 / 8,
 *                     -> t38GatewayAudioIn (other payload types, e.g. telephone-event, are dropped and counted)
 *   image endpoint -> onRtp (raw datagram, the endpoint is in rawMedia mode) -> t38GatewayUdptlIn
 *                     (malformed datagrams dropped and counted in the gateway's stats)
 *   20 ms clock    -> t38GatewayAudioOut: one 160-sample G.711 frame in our own RTP stream to the audio side
 *   after each of the above: every queued UDPTL datagram goes out of the image endpoint.
 *
 * The clock (a 20 ms interval timer; each tick emits every frame that is due by wall-clock time) runs
 * from attach to close, catching up at most 5 frames after a stall (a fax modem needs a
 * steady stream: spandsp generates the carrier itself while the T.38 side is silent). Nothing is
 * allocated per packet: the RTP frame buffer and a ring of UDPTL output buffers are made at attach
 * (a ring so a datagram still queued in the socket is never overwritten).
 */
import { randomInt } from 'node:crypto';
import type { T38GatewayHandle, T38GatewayOptions } from '../../native/index';
import type { WhisperdNative } from '../native/addon';
import { DropReason, mediaCounters } from './counters';
import type { RtpEndpoint, RtpInputSink } from './RtpEndpoint';
import type { RtpView } from './rtp';

const FRAME_MS = 20;
const FRAME_SAMPLES = 160;
const RTP_HEADER = 12;
const OUT_RING = 16;
const MAX_CATCH_UP = 5;

/** The gateway's counters (t38GatewayStats order). */
export interface T38Stats {
  udptlIn: number;
  udptlMalformed: number;
  udptlDuplicates: number;
  ifpRecovered: number;
  ifpLost: number;
  ifpDelivered: number;
  ifpSent: number;
  queueDrops: number;
  oversize: number;
  audioSamplesIn: number;
  audioSamplesOut: number;
  audioBadPayloadType: number;
}

export class T38Media {
  private readonly native: WhisperdNative;
  private handle: T38GatewayHandle | null;
  private readonly frames: Buffer[] = [];
  private frameAt = 0;
  private readonly ring: Buffer[] = [];
  private ringAt = 0;
  private seq = randomInt(0, 0x10000);
  private ts = randomInt(0, 0x100000000);
  private readonly ssrc = randomInt(1, 0x100000000);
  private timer: NodeJS.Timeout | null = null;
  private nextMs = 0;
  private badPt = 0;
  private alaw: boolean;
  private readonly statsOut = new Float64Array(12);
  private readonly audioSink: RtpInputSink;
  private readonly udptlSink: RtpInputSink;

  /**
   * `audioPt`: the payload type of the audio side's G.711 codec (0 PCMU or 8 PCMA, or a dynamic one
   * with `alaw` saying which law). Throws if the addon lacks the gateway (the caller refuses the command).
   */
  constructor(
    native: WhisperdNative,
    readonly image: RtpEndpoint,
    readonly audio: RtpEndpoint,
    private audioPt: number,
    opts: T38GatewayOptions,
  ) {
    this.native = native;
    this.alaw = opts.alaw ?? true;
    this.handle = native.t38GatewayCreate!(opts);
    for (let i = 0; i < OUT_RING; i++) this.ring.push(Buffer.alloc(1500));
    for (let i = 0; i < 4; i++) {
      const f = Buffer.alloc(RTP_HEADER + FRAME_SAMPLES);
      f[0] = 0x80;
      f.writeUInt32BE(this.ssrc >>> 0, 8);
      this.frames.push(f);
    }
    this.audioSink = { onRtp: (_from, buf, view) => this.onAudio(buf, view) };
    this.udptlSink = { onRtp: (_from, buf) => this.onUdptl(buf) };
  }

  /** True when the addon has the gateway functions. */
  static available(native: WhisperdNative | null): native is WhisperdNative {
    return native !== null && typeof native.t38GatewayCreate === 'function' && typeof native.t38GatewayUdptlOut === 'function';
  }

  /** Take over both endpoints (they leave the relay) and start the audio clock. */
  attach(): void {
    this.image.rawMedia = true;
    this.image.forwardTo = null;
    this.image.engine = this.udptlSink;
    this.audio.rawMedia = false;
    this.audio.forwardTo = null;
    this.audio.engine = this.audioSink;
    if (this.timer === null) {
      this.nextMs = performance.now() + FRAME_MS;
      // setInterval never fires early and allocates nothing per tick; the catch-up in tick() keeps the
      // average at exactly one frame per 20 ms of wall-clock time.
      this.timer = setInterval(this.tickFn, FRAME_MS);
    }
  }

  /** The audio side's codec changed (a re-negotiation): 0 PCMU / 8 PCMA or `alaw` for a dynamic PT. */
  setAudioPt(pt: number, alaw: boolean): void {
    this.audioPt = pt;
    this.alaw = alaw;
    if (this.handle) this.native.t38GatewaySetLaw!(this.handle, alaw);
  }

  /** True once closed (the call ended, or the line stopped being translated). */
  get closed(): boolean {
    return this.handle === null;
  }

  /** Is `ep` one of this gateway's endpoints? */
  uses(ep: RtpEndpoint | null): boolean {
    return ep === this.image || ep === this.audio;
  }

  stats(): T38Stats {
    const s = this.statsOut;
    if (this.handle) this.native.t38GatewayStats!(this.handle, s);
    return {
      udptlIn: s[0]!, udptlMalformed: s[1]!, udptlDuplicates: s[2]!, ifpRecovered: s[3]!, ifpLost: s[4]!, ifpDelivered: s[5]!,
      ifpSent: s[6]!, queueDrops: s[7]!, oversize: s[8]!, audioSamplesIn: s[9]!, audioSamplesOut: s[10]!, audioBadPayloadType: this.badPt,
    };
  }

  /** Stop the clock, free the gateway, give the endpoints back (to be re-wired by the caller). Idempotent. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.handle) this.native.destroy(this.handle);
    this.handle = null;
    if (this.image.engine === this.udptlSink) this.image.engine = null;
    if (this.audio.engine === this.audioSink) this.audio.engine = null;
  }

  private onAudio(buf: Buffer, view: RtpView): void {
    const h = this.handle;
    if (h === null) return;
    const pt = view.payloadType;
    // The answered payload type in the gateway's law; the static G.711 ones in theirs (a phone may send
    // either law it offered, as rtpengine decodes every codec of the audio side).
    const alaw = pt === this.audioPt ? this.alaw : pt === 8 ? true : pt === 0 ? false : null;
    if (alaw === null) {
      this.badPt++;
      mediaCounters.rawDrops[DropReason.BAD_PAYLOAD_TYPE]++;
      return;
    }
    this.native.t38GatewayAudioIn!(h, buf, view.payloadOffset, view.payloadLength, alaw);
    this.flush(h);
  }

  private onUdptl(buf: Buffer): void {
    const h = this.handle;
    if (h === null) return;
    this.native.t38GatewayUdptlIn!(h, buf, 0, buf.length);
    this.flush(h);
  }

  private flush(h: T38GatewayHandle): void {
    for (;;) {
      const out = this.ring[this.ringAt]!;
      const len = this.native.t38GatewayUdptlOut!(h, out, 0);
      if (len <= 0) return;
      this.ringAt = (this.ringAt + 1) % OUT_RING;
      this.image.sendRtp(out, len);
    }
  }

  private readonly tickFn = (): void => this.tick();

  private tick(): void {
    const h = this.handle;
    if (h === null) return;
    const now = performance.now();
    let frames = 0;
    while (this.nextMs <= now && frames < MAX_CATCH_UP) {
      this.emitFrame(h);
      this.nextMs += FRAME_MS;
      frames++;
    }
    if (this.nextMs <= now) this.nextMs = now + FRAME_MS; // a long stall: resume from now
    this.flush(h);
  }

  private emitFrame(h: T38GatewayHandle): void {
    const f = this.frames[this.frameAt]!;
    this.frameAt = (this.frameAt + 1) & 3;
    if (this.native.t38GatewayAudioOut!(h, f, RTP_HEADER) !== FRAME_SAMPLES) return;
    f[1] = this.audioPt & 0x7f;
    f.writeUInt16BE(this.seq, 2);
    f.writeUInt32BE(this.ts >>> 0, 4);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME_SAMPLES) >>> 0;
    this.audio.sendRtp(f, f.length);
  }
}
