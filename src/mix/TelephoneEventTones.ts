/**
 * RFC 4733 telephone-events turned into in-band DTMF tones for a listener without telephone-event, the
 * way rtpengine 10.5 does it (lib/codeclib.c dtmf_decoder_input, lib/dtmflib.c): each event packet
 * yields the tone samples from the previous packet's duration up to its own (none for a repeated end
 * packet); a new event code or event timestamp starts over from sample 0. The samples are rtpengine's
 * (src/media/dtmfInject.ts dtmfToneSample). Nothing is allocated per packet.
 */
import { dtmfToneSample } from '../media/dtmfInject';

export class TelephoneEventTones {
  private event = -1;
  private startTs = 0;
  private duration = 0;
  /** Offset (samples from the event's start) of the samples the last decode() wrote. */
  frameOffset = 0;

  constructor(readonly rate: number) {}

  /**
   * Tone samples for one event packet (payload[off..off+len), RTP timestamp rtpTs) into out[outOff..].
   * Returns the sample count (0: nothing new), or -4 for a short payload.
   */
  decode(payload: Uint8Array, off: number, len: number, rtpTs: number, out: Int16Array, outOff: number): number {
    if (len < 4) return -4;
    const code = payload[off]!;
    const volume = payload[off + 1]! & 0x3f;
    const duration = (payload[off + 2]! << 8) | payload[off + 3]!;
    if (code !== this.event || rtpTs !== this.startTs) {
      this.event = code;
      this.startTs = rtpTs;
      this.duration = 0;
    }
    const from = this.duration;
    const n = duration - from;
    if (n <= 0) return 0;
    if (n > this.rate || outOff + n > out.length || code > 15) return -4;
    for (let i = 0; i < n; i++) out[outOff + i] = dtmfToneSample(code, volume, this.rate, from + i);
    this.duration = duration;
    this.frameOffset = from;
    return n;
  }

  reset(): void {
    this.event = -1;
    this.duration = 0;
  }
}
