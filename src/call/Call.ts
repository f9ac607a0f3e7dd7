/**
 * A call (rtpengine's call): its participants by tag, timestamps for query, and its lifecycle. The
 * registry owns calls; a call owns everything that exists for it — participants (and their sockets),
 * its mixer — so that closing it closes all of it: `close()` is idempotent and cascades
 * (mediasoup's Router.close() -> transport.routerClosed() -> producer.transportClosed()), then
 * publishes 'close' for the services that keep records (audit).
 */
import { TypedEmitter } from '../events/TypedEmitter';
import type { NgParams } from '../control/ng/params';
import type { CallMedia } from '../mix/types';
import type { DtmfDetector } from '../supervision/dtmfDetector';
import type { Participant } from './Participant';
import type { SupervisionSession } from './supervisionSession';

/** One committed offer/answer (Call.signalLog): its ng params (as given) and the RTP ports it opened, in order; or a branch deleted. */
export type SignalEntry =
  | { op: 'offer' | 'answer'; params: NgParams; ports: number[] }
  /** ng delete of one forked branch (offerAnswer.deleteBranch): the offerer's tag and the via-branch. */
  | { op: 'deleteBranch'; fromTag: string; viaBranch: string };

export type EndReason = 'deleted' | 'timeout' | 'offer-timeout' | 'final-timeout' | 'shutdown' | 'error';

export interface CallEvents {
  [event: string]: unknown[];
  /** After the call and everything it owns are closed. */
  close: [reason: EndReason];
}

/**
 * Something a service above the call attaches to it (the bleed hub of src/bleed): the call owns it and
 * closes it first in its close() cascade. The type is the call's, so the call does not import its users.
 */
export interface CallAttachment {
  /** The call closed: detach and drop everything kept for it. Idempotent. */
  callClosed(): void;
}

export class Call extends TypedEmitter<CallEvents> {
  readonly callId: string;
  /** Unix ms the call was created (a takeover keeps the lost node's). */
  createdMs = Date.now();
  lastSignalMs = Date.now();
  /** Participants by tag. The answerer of an initial offer is kept under '' until its tag is known. */
  readonly participants = new Map<string, Participant>();
  /** Set once an answer has been processed (offer-timeout no longer applies). */
  answered = false;
  /** Pending deferred deletion (delete delay). */
  deleteTimer: NodeJS.Timeout | null = null;
  /** Unix ms of the last media seen on any leg (maintained by the registry's sweep). */
  lastMediaMs = Date.now();
  /** The call's mixer, while it needs one (created and replaced by the MediaEngine; closed with the call). */
  mixer: CallMedia | null = null;
  /** Supervision sessions by the supervisor's tag (kept readable after close, for the stop records). */
  readonly sessions = new Map<string, SupervisionSession>();
  /** Per-listener gains: listenGains.get(listener).get(source) = linear multiplier (HTTP gains API). */
  readonly listenGains = new Map<string, Map<string, number>>();
  /** Per-listener gain of prompts, linear. */
  readonly promptGains = new Map<string, number>();
  /** Bleed monitoring of the call's whisper/page sessions (BleedService), while any. */
  bleed: CallAttachment | null = null;
  /** DTMF key detection state by participant tag (DtmfControl). */
  readonly dtmf = new Map<string, DtmfDetector>();
  /**
   * The media thread every endpoint and the mix of this call live on (chosen when its first socket pair
   * opens, pickMediaThread); -1: not chosen yet, or no media threads run.
   */
  mediaThread = -1;
  /**
   * The ng commands that built this call (offer/answer, in order, pushed at their commit) with the ports
   * each opened: replayed on a standby node to rebuild the call (src/cluster/snapshot.ts, restore.ts).
   */
  readonly signalLog: SignalEntry[] = [];
  private closedFlag = false;

  constructor(callId: string) {
    super();
    this.callId = callId;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  touch(): void {
    this.lastSignalMs = Date.now();
  }

  participant(tag: string): Participant | undefined {
    return this.participants.get(tag);
  }

  /** Re-key a participant (the answerer's tag becomes known at answer time). */
  retag(p: Participant, tag: string): void {
    if (this.participants.get(p.tag) === p) this.participants.delete(p.tag);
    p.tag = tag;
    this.participants.set(tag, p);
  }

  /** Remove one participant (a supervisor leaving) with the state kept for it. Returns its ports. */
  removeParticipant(p: Participant): number[] {
    if (this.participants.get(p.tag) === p) this.participants.delete(p.tag);
    for (const other of this.participants.values()) if (other.peer === p) other.peer = null;
    if (!this.participants.has(p.tag)) {
      this.dtmf.delete(p.tag);
      this.promptGains.delete(p.tag);
      this.listenGains.delete(p.tag);
      for (const row of this.listenGains.values()) row.delete(p.tag);
    }
    return p.close();
  }

  /**
   * Close the call and everything it owns: bleed monitors, the mixer (it leaves the mix clock), then
   * every participant (sockets). Idempotent. Returns all ports to release, then publishes 'close'.
   */
  close(reason: EndReason = 'deleted'): number[] {
    if (this.closedFlag) return [];
    this.closedFlag = true;
    if (this.deleteTimer) clearTimeout(this.deleteTimer);
    this.deleteTimer = null;
    const bleed = this.bleed;
    this.bleed = null;
    bleed?.callClosed();
    const mixer = this.mixer;
    this.mixer = null;
    mixer?.close();
    const ports: number[] = [];
    for (const p of this.participants.values()) ports.push(...p.close());
    this.dtmf.clear();
    this.emit('close', reason);
    return ports;
  }
}
