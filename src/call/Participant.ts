/**
 * One party of a call, identified by its SIP tag (rtpengine's monologue): the customer, the agent, or
 * a supervisor whisperd terminates itself. Owns its media legs. `peer` is the party it is in dialogue
 * with by offer/answer; supervisors have no SIP peer (the mix matrix decides what they hear).
 */
import { isSupplementary } from '../sdp/codecs';
import type { LegOptions } from './legOptions';
import type { LegPayload, MediaLeg } from './MediaLeg';

/** The name of the media codec of a payload list (its first non-supplementary payload), for errors. */
export function codecNameOf(payloads: readonly LegPayload[]): string {
  const p = payloads.find((x) => !isSupplementary(x));
  if (!p) return 'unknown';
  return p.encoding !== '' ? p.encoding : `PT ${p.pt}`;
}

export type Role = 'party' | 'supervisor';

export class Participant {
  tag: string;
  label = '';
  viaBranch = '';
  role: Role = 'party';
  readonly createdMs = Date.now();
  legs: MediaLeg[] = [];
  peer: Participant | null = null;
  /** The via-branch of the offer this (not yet answered) participant is the other side of ('' none). */
  branch = '';
  /** True once this participant's SDP has been seen (offer or answer). */
  hasSdp = false;
  /** o= session version of the SDPs sent to this participant (ng replace: SDP-version; src/call/sdpOut.ts). */
  sdpVersion: string | null = null;
  /** o= username / s= of the first SDP sent to it (ng replace: username / session-name). */
  sdpUsername: string | null = null;
  sdpSessionName: string | null = null;
  /** The last SDP sent to it with replace: SDP-version (a changed text bumps the version). */
  lastSdpOut: string | null = null;
  /** A supervisor: its phone's last SDP offer and leg options (a standby replays them, src/cluster/restore.ts). */
  supervisorOffer: { sdp: string; leg: LegOptions | undefined } | null = null;
  private closed = false;

  constructor(tag: string) {
    this.tag = tag;
  }

  /** The first audio leg with a socket and a decided codec: the one a mixer decodes and encodes. */
  mixableLeg(): MediaLeg | null {
    for (const leg of this.legs) if (leg.type === 'audio' && leg.endpoint && leg.codec) return leg;
    return null;
  }

  /** The first audio leg with a socket (codec decided or not). */
  liveAudioLeg(): MediaLeg | null {
    return this.legs.find((l) => l.type === 'audio' && l.endpoint !== null) ?? null;
  }

  /**
   * Why whisperd cannot decode or encode this participant's audio: the name of the codec of its first
   * live audio leg when no codec of the registry was decided for it (e.g. "G722"); null when its
   * audio can be mixed, or when it has no live audio leg at all.
   */
  unmixableCodec(): string | null {
    const leg = this.liveAudioLeg();
    if (!leg || leg.codec) return null;
    return codecNameOf(leg.payloads);
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
