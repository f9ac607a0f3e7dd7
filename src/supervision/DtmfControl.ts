/**
 * DTMF control of supervision: RFC 4733 events on a supervisor's leg switch its mode (keys from
 * config `supervision.supervisorKeys`, default 4 listen / 5 whisper / 6 barge, as Asterisk ChanSpy),
 * and on an agent's leg during a whisper page toggle the page mute (`supervision.agentKeys`,
 * default #). Keys count only from the leg's latched source. One detector per participant, owned by
 * the Call (`call.dtmf`), reports each key once despite RFC 4733's repeats. A key is published as a
 * typed 'key' event off the packet path (setImmediate), because acting on it audits and re-plans the mix.
 */
import type { Call } from '../call/Call';
import { TypedEmitter } from '../events/TypedEmitter';
import type { Logger } from '../log';
import type { RtpView } from '../media/rtp';
import { DtmfDetector, parseKeyMap, type DtmfAction } from './dtmfDetector';

export interface DtmfEvents {
  [event: string]: unknown[];
  /** A configured key was pressed on `tag`'s leg (supervisor keys if `tag` supervises, else agent keys). */
  key: [call: Call, tag: string, action: DtmfAction];
}

export class DtmfControl extends TypedEmitter<DtmfEvents> {
  private readonly supervisorKeys: Map<string, DtmfAction>;
  private readonly agentKeys: Map<string, DtmfAction>;

  constructor(supervisorKeys: Record<string, string>, agentKeys: Record<string, string>, private readonly log: Logger) {
    super();
    this.supervisorKeys = parseKeyMap(supervisorKeys);
    this.agentKeys = parseKeyMap(agentKeys);
  }

  /**
   * Called from the mixer for every telephone-event packet (rare; not the audio path). Only packets
   * from the leg's latched source (address and port of the participant's phone) are read: anyone else
   * who can reach the port (a packet before the phone latched, a spoofer after) steers nothing.
   */
  onPacket(call: Call, tag: string, buf: Buffer, view: RtpView, fromLatched: boolean): void {
    if (!fromLatched || call.closed) return; // (the endpoint counts packets from a foreign source as dropped)
    let det = call.dtmf.get(tag);
    if (!det) call.dtmf.set(tag, (det = new DtmfDetector()));
    const digit = det.feed(buf, view.payloadOffset, view.payloadLength, view.timestamp);
    if (digit === '') return;
    const keys = call.sessions.has(tag) ? this.supervisorKeys : this.agentKeys;
    const action = keys.get(digit);
    if (!action) return;
    setImmediate(() => this.emit('key', call, tag, action));
  }

  protected override listenerError(err: unknown): void {
    this.log.warn({ err }, 'dtmf action failed');
  }
}
