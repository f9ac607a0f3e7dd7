/**
 * A call (rtpengine's call): its participants by tag, timestamps for query, and its lifecycle.
 * Participants are created by offer/answer (and by supervise); the registry owns calls.
 */
import type { Participant } from './Participant';

export type EndReason = 'deleted' | 'timeout' | 'offer-timeout' | 'final-timeout' | 'shutdown' | 'error';

export class Call {
  readonly callId: string;
  readonly createdMs = Date.now();
  lastSignalMs = Date.now();
  /** Participants by tag. The answerer of an initial offer is kept under '' until its tag is known. */
  readonly participants = new Map<string, Participant>();
  /** Set once an answer has been processed (offer-timeout no longer applies). */
  answered = false;
  /** Pending deferred deletion (delete delay). */
  deleteTimer: NodeJS.Timeout | null = null;
  /** Unix ms of the last media seen on any leg (maintained by the registry's sweep). */
  lastMediaMs = Date.now();
  private closedFlag = false;

  constructor(callId: string) {
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

  /** Remove one participant (a supervisor leaving). Returns its ports. */
  removeParticipant(p: Participant): number[] {
    if (this.participants.get(p.tag) === p) this.participants.delete(p.tag);
    for (const other of this.participants.values()) if (other.peer === p) other.peer = null;
    return p.close();
  }

  /** Close every participant. Idempotent. Returns all ports to release. */
  close(): number[] {
    if (this.closedFlag) return [];
    this.closedFlag = true;
    if (this.deleteTimer) clearTimeout(this.deleteTimer);
    this.deleteTimer = null;
    const ports: number[] = [];
    for (const p of this.participants.values()) ports.push(...p.close());
    return ports;
  }
}
