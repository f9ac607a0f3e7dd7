/**
 * All calls by Call-ID, the session limit, deferred deletion (delete delay) and the timeout sweep:
 * a call with no media for `timeouts.media` s, an offer unanswered for `timeouts.offer` s, or a call
 * older than `timeouts.final` s (when set) is deleted, logged with its reason and counted.
 * The sweep reads per-endpoint packet counters once a second; the packet path does no timekeeping.
 */
import { SessionLimitError } from '../errors';
import { TypedEmitter } from '../events/TypedEmitter';
import type { Logger } from '../log';
import type { PortPool } from '../media/PortPool';
import { Call, type EndReason } from './Call';

export interface RegistryOptions {
  maxSessions: number;
  mediaTimeoutS: number;
  offerTimeoutS: number;
  finalTimeoutS: number;
  /** (issue 14) Load limits (src/limits/): asked only when a NEW call would be created; the limit refusing it, or null. */
  admit?: () => string | null;
  /** (issue 14) Told each refused new call's limit ('sessions' or what `admit` returned). */
  onRefused?: (limit: string) => void;
}

export interface RegistryEvents {
  [event: string]: unknown[];
  /** A call was closed (it and everything it owned are gone; its ports are back in the pool). */
  callClosed: [call: Call, reason: EndReason];
}

export class CallRegistry extends TypedEmitter<RegistryEvents> {
  private readonly calls = new Map<string, Call>();
  private readonly sweepTimer: NodeJS.Timeout;
  /** Calls ended, by reason (read by /metrics and `statistics`). */
  readonly ended: Record<EndReason, number> = {
    deleted: 0,
    timeout: 0,
    'offer-timeout': 0,
    'final-timeout': 0,
    shutdown: 0,
    error: 0,
  };
  totalCreated = 0;

  constructor(
    private readonly opts: RegistryOptions,
    private readonly pool: PortPool,
    private readonly log: Logger,
  ) {
    super();
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), 1000);
    this.sweepTimer.unref();
  }

  get size(): number {
    return this.calls.size;
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  list(limit: number): string[] {
    const out: string[] = [];
    for (const id of this.calls.keys()) {
      if (out.length >= limit) break;
      out.push(id);
    }
    return out;
  }

  all(): IterableIterator<Call> {
    return this.calls.values();
  }

  protected override listenerError(err: unknown, event: string): void {
    this.log.error({ err, event }, 'call registry listener failed');
  }

  /** limits.maxSessions is reached: a new call would be refused ('sessions'). */
  get atSessionLimit(): boolean {
    return this.opts.maxSessions > 0 && this.calls.size >= this.opts.maxSessions;
  }

  /**
   * Existing call, or a new one if the session limit and the load limits allow. `restore` (a takeover
   * replaying another node's calls, src/cluster/restore.ts) skips the limits: rtpengine restores foreign
   * calls whatever its limits say, and the calls are already up.
   */
  getOrCreate(callId: string, opts?: { restore?: boolean }): Call {
    const existing = this.calls.get(callId);
    if (existing) {
      if (existing.deleteTimer) {
        // A new offer on a call pending deletion (re-INVITE racing a BYE) revives it, as rtpengine does.
        clearTimeout(existing.deleteTimer);
        existing.deleteTimer = null;
      }
      return existing;
    }
    const limit = opts?.restore === true ? null : this.atSessionLimit ? 'sessions' : (this.opts.admit?.() ?? null);
    if (limit !== null) {
      this.opts.onRefused?.(limit);
      throw new SessionLimitError();
    }
    const call = new Call(callId);
    this.calls.set(callId, call);
    this.totalCreated++;
    return call;
  }

  /** Delete now (delayMs = 0) or after the delete delay; ports stay reserved until then. */
  scheduleDelete(call: Call, delayMs: number, reason: EndReason): void {
    if (delayMs <= 0) {
      this.destroy(call, reason);
      return;
    }
    if (call.deleteTimer) clearTimeout(call.deleteTimer);
    call.deleteTimer = setTimeout(() => this.destroy(call, reason), delayMs);
    call.deleteTimer.unref();
  }

  /** Close a call (which closes all it owns), release its ports, count and log the reason, publish 'callClosed'. Idempotent. */
  destroy(call: Call, reason: EndReason): void {
    if (call.closed) return;
    if (this.calls.get(call.callId) === call) this.calls.delete(call.callId);
    const ports = call.close(reason);
    for (const port of ports) this.pool.release(port);
    this.ended[reason]++;
    this.log.info({ callId: call.callId, reason, durationS: Math.round((Date.now() - call.createdMs) / 1000) }, 'call deleted');
    this.emit('callClosed', call, reason);
  }

  /** Release one participant's ports now (a supervisor leaving). */
  releasePorts(ports: number[]): void {
    for (const port of ports) this.pool.release(port);
  }

  /** One pass of the timeout rules. Public for tests. */
  sweep(nowMs: number): void {
    const { mediaTimeoutS, offerTimeoutS, finalTimeoutS } = this.opts;
    for (const call of [...this.calls.values()]) {
      let active = false;
      for (const p of call.participants.values()) {
        for (const leg of p.legs) if (leg.endpoint?.sweepActivity(nowMs)) active = true;
      }
      if (active) call.lastMediaMs = nowMs;
      if (call.deleteTimer) continue;
      if (finalTimeoutS > 0 && nowMs - call.createdMs >= finalTimeoutS * 1000) {
        this.destroy(call, 'final-timeout');
      } else if (!call.answered && offerTimeoutS > 0 && nowMs - call.createdMs >= offerTimeoutS * 1000) {
        this.destroy(call, 'offer-timeout');
      } else if (call.answered && mediaTimeoutS > 0 && nowMs - call.lastMediaMs >= mediaTimeoutS * 1000) {
        this.destroy(call, 'timeout');
      }
    }
  }

  /** Shutdown: close every call. */
  close(): void {
    clearInterval(this.sweepTimer);
    for (const call of [...this.calls.values()]) this.destroy(call, 'shutdown');
  }
}
