/**
 * RFC 4733 §2.3 telephone-event payload (DTMF named events), parsed in place and written into
 * caller buffers. RTP clock 8000 Hz for use next to G.711/G.729 (48000 next to Opus).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     event     |E|R| volume    |          duration             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * event: 0-9, 10 = '*', 11 = '#', 12-15 = 'A'-'D' (RFC 4733 §3.2); E: end of event; R: reserved
 * (sent 0, ignored); volume: power level in -dBm0, 0..63; duration: in RTP timestamp units since the
 * event began (the packet timestamp is the event's start; §2.5).
 */

export const TELEPHONE_EVENT_BYTES = 4;

/** A reusable view of one event block, filled by parseTelephoneEvent. */
export class TelephoneEventView {
  event = 0;
  end = false;
  /** -dBm0, 0..63 */
  volume = 0;
  /** RTP timestamp units */
  duration = 0;
}

/** Parse the first event block of payload[off .. off+len). Returns false if shorter than 4 bytes. */
export function parseTelephoneEvent(payload: Uint8Array, off: number, len: number, out: TelephoneEventView): boolean {
  if (len < TELEPHONE_EVENT_BYTES || off < 0 || off + len > payload.length) return false;
  const b1 = payload[off + 1]!;
  out.event = payload[off]!;
  out.end = (b1 & 0x80) !== 0;
  out.volume = b1 & 0x3f;
  out.duration = (payload[off + 2]! << 8) | payload[off + 3]!;
  return true;
}

/**
 * Write one event block at out[off]. volume is clamped to 0..63 and duration to 0..65535 (a longer
 * event is sent as segments, §2.5.1.3). Returns 4.
 */
export function writeTelephoneEvent(out: Uint8Array, off: number, event: number, end: boolean, volume: number, duration: number): number {
  const vol = volume < 0 ? 0 : volume > 63 ? 63 : volume | 0;
  const dur = duration < 0 ? 0 : duration > 0xffff ? 0xffff : duration | 0;
  out[off] = event & 0xff;
  out[off + 1] = (end ? 0x80 : 0) | vol;
  out[off + 2] = dur >>> 8;
  out[off + 3] = dur & 0xff;
  return TELEPHONE_EVENT_BYTES;
}

const DTMF_CHARS = '0123456789*#ABCD';

/** DTMF character ('0'-'9', '*', '#', 'A'-'D', case-insensitive) → event code, or -1. */
export function dtmfEventCode(ch: string): number {
  return DTMF_CHARS.indexOf(ch.toUpperCase());
}

/** Event code 0..15 → DTMF character, or '' for other events. */
export function dtmfChar(event: number): string {
  return event >= 0 && event < 16 ? DTMF_CHARS[event]! : '';
}
