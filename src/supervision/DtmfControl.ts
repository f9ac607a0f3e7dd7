/**
 * DTMF control of supervision: RFC 4733 events on a supervisor's leg switch its mode (keys from
 * config `supervision.supervisorKeys`, default 4 listen / 5 whisper / 6 barge, as Asterisk ChanSpy),
 * and on an agent's leg during a whisper page toggle the page mute (`supervision.agentKeys`,
 * default #). Keys count only from the leg's latched source. One detector per (call, tag) reports each
 * key once despite RFC 4733's repeats; actions run off the packet path (setImmediate) because they
 * audit and re-plan the mix.
 */
import type { Call } from '../call/Call';
import type { Logger } from '../log';
import type { RtpView } from '../media/rtp';
import { DtmfDetector, parseKeyMap, type DtmfAction } from '../prompts/dtmfControl';

export type DtmfActionHandler = (call: Call, tag: string, action: DtmfAction) => Promise<void>;

export class DtmfControl {
  private readonly supervisorKeys: Map<string, DtmfAction>;
  private readonly agentKeys: Map<string, DtmfAction>;
  private readonly detectors = new WeakMap<Call, Map<string, DtmfDetector>>();
  handler: DtmfActionHandler | null = null;
  /** Whether `tag` in `call` is a supervisor (set by the service). */
  isSupervisor: (call: Call, tag: string) => boolean = () => false;

  constructor(supervisorKeys: Record<string, string>, agentKeys: Record<string, string>, private readonly log: Logger) {
    this.supervisorKeys = parseKeyMap(supervisorKeys);
    this.agentKeys = parseKeyMap(agentKeys);
  }

  /**
   * Called from the mixer for every telephone-event packet (rare; not the audio path). Only packets
   * from the leg's latched source (address and port of the participant's phone) are read: anyone else
   * who can reach the port (a packet before the phone latched, a spoofer after) steers nothing.
   */
  onPacket(call: Call, tag: string, buf: Buffer, view: RtpView, fromLatched: boolean): void {
    if (!fromLatched) return; // (the endpoint counts packets from a foreign source as dropped)
    let byTag = this.detectors.get(call);
    if (!byTag) this.detectors.set(call, (byTag = new Map()));
    let det = byTag.get(tag);
    if (!det) byTag.set(tag, (det = new DtmfDetector()));
    const digit = det.feed(buf, view.payloadOffset, view.payloadLength, view.timestamp);
    if (digit === '') return;
    const keys = this.isSupervisor(call, tag) ? this.supervisorKeys : this.agentKeys;
    const action = keys.get(digit);
    if (!action || !this.handler) return;
    const handler = this.handler;
    setImmediate(() => {
      handler(call, tag, action).catch((err: unknown) => this.log.warn({ callId: call.callId, tag, action, err }, 'dtmf action failed'));
    });
  }
}
