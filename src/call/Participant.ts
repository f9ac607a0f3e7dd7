/**
 * One party of a call, identified by its SIP tag (rtpengine's monologue): the customer, the agent, or
 * a supervisor whisperd terminates itself. Owns its media legs. `peer` is the party it is in dialogue
 * with by offer/answer; supervisors have no SIP peer (the mix matrix decides what they hear).
 */
import type { MediaLeg } from './MediaLeg';

export type Role = 'party' | 'supervisor';

export class Participant {
  tag: string;
  label = '';
  viaBranch = '';
  role: Role = 'party';
  readonly createdMs = Date.now();
  legs: MediaLeg[] = [];
  peer: Participant | null = null;
  /** True once this participant's SDP has been seen (offer or answer). */
  hasSdp = false;
  private closed = false;

  constructor(tag: string) {
    this.tag = tag;
  }

  /** Close every leg's sockets. Idempotent. Returns the RTP ports to give back to the pool. */
  close(): number[] {
    if (this.closed) return [];
    this.closed = true;
    const ports: number[] = [];
    for (const leg of this.legs) {
      if (leg.endpoint) ports.push(leg.endpoint.localPort);
      leg.close();
    }
    return ports;
  }
}
