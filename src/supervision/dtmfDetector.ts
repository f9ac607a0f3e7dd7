/**
 * DTMF-driven supervision control: detect key presses from RFC 4733 telephone-event packets, and
 * validate the configured key → action map.
 *
 * Detection reports a digit ON START: at the first packet seen of a new event (any packet of it —
 * start, update or end — so a lost first packet does not lose the key). Why not on end: the three
 * end packets are the only ones that carry E, so losing them would lose the key, and waiting for the
 * release adds the key's whole duration to the reaction time. An event is identified by its RTP
 * timestamp (RFC 4733 §2.5.1: every packet of an event carries the event's start timestamp), so
 * repeated updates and the retransmitted end packets report nothing, while pressing the same key
 * twice gives two timestamps and two reports.
 *
 * Also handled: packets of an older event arriving late (timestamp behind the current event, within
 * LATE_WINDOW) are ignored; a long key press sent as segments (§2.5.1.3: a new segment starts at the
 * old timestamp + 0xFFFF, same event, no E bit before it) stays one press. Only the first event block
 * of a payload is read. Call reset() when the RTP stream changes (new SSRC).
 */
import { ConfigError } from '../errors';
import { dtmfEventCode, parseTelephoneEvent, TelephoneEventView } from '../codec/telephoneEvent';

/** Event code 0..15 → digit. Constant strings, so feed() returns them without allocating. */
const DIGITS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** Timestamp units an older event's packets may trail the current one and still count as late. */
export const LATE_WINDOW = 0x20000;
/** Timestamp step between the segments of a long event (RFC 4733 §2.5.1.3). */
const SEGMENT_STEP = 0xffff;

export class DtmfDetector {
  private readonly view = new TelephoneEventView();
  private hasEvent = false;
  /** RTP timestamp (start) of the current event, uint32. */
  private ts = 0;
  private event = -1;
  private ended = false;

  /**
   * Feed one telephone-event payload (payload[off .. off+len)) with its packet's RTP timestamp.
   * Returns the digit ('0'-'9', '*', '#', 'A'-'D') when this packet starts a new key press, else ''
   * (repeat, end retransmission, late packet, non-DTMF event such as flash, or a malformed payload).
   */
  feed(payload: Uint8Array, off: number, len: number, rtpTimestamp: number): string {
    const v = this.view;
    if (!parseTelephoneEvent(payload, off, len, v)) return '';
    const ts = rtpTimestamp >>> 0;
    if (this.hasEvent) {
      const diff = (ts - this.ts) | 0; // serial-number difference, signed 32-bit
      if (diff === 0) {
        if (v.end) this.ended = true;
        return '';
      }
      if (diff < 0 && diff > -LATE_WINDOW) return ''; // a straggler of an earlier event
      if (diff === SEGMENT_STEP && v.event === this.event && !this.ended) {
        this.ts = ts; // next segment of a long press
        this.ended = v.end;
        return '';
      }
    }
    this.hasEvent = true;
    this.ts = ts;
    this.event = v.event;
    this.ended = v.end;
    return v.event < 16 ? DIGITS[v.event]! : '';
  }

  /** Forget the current event (use on a new RTP stream / SSRC). */
  reset(): void {
    this.hasEvent = false;
    this.event = -1;
    this.ended = false;
  }
}

/** What a supervisor's key can do in a supervised call. */
export type DtmfAction = 'listen' | 'whisper' | 'barge' | 'mute-toggle' | 'leave';
export const DTMF_ACTIONS: readonly DtmfAction[] = ['listen', 'whisper', 'barge', 'mute-toggle', 'leave'];

/**
 * Validate a config key map (digit → action) into a Map keyed by the canonical digit ('a' → 'A').
 * Throws ConfigError naming the offending key: bad digit, bad action, or the same key twice.
 */
export function parseKeyMap(map: Record<string, string>): Map<string, DtmfAction> {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new ConfigError('DTMF key map must be a mapping of key to action');
  }
  const out = new Map<string, DtmfAction>();
  for (const [key, action] of Object.entries(map)) {
    const code = key.length === 1 ? dtmfEventCode(key) : -1;
    if (code < 0) throw new ConfigError(`Invalid DTMF key "${key}" in key map: must be one of 0-9, *, #, A-D`);
    const digit = DIGITS[code]!;
    if (typeof action !== 'string' || !(DTMF_ACTIONS as readonly string[]).includes(action)) {
      throw new ConfigError(`Invalid action for DTMF key "${key}": must be one of ${DTMF_ACTIONS.join(', ')}`);
    }
    if (out.has(digit)) throw new ConfigError(`Duplicate DTMF key "${key}" in key map`);
    out.set(digit, action as DtmfAction);
  }
  return out;
}
