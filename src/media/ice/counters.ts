/**
 * Process-wide ICE counters: plain numbers bumped by the agents and read by /metrics at scrape time
 * (whisperd_ice_checks_total{direction,result}, whisperd_ice_agents{state}).
 */
import type { IceState } from '../secure';

/** Binding requests received, by what became of them. */
export const iceInbound = {
  /** Answered with a success response. */
  success: 0,
  /** 400: no USERNAME or no MESSAGE-INTEGRITY. */
  bad_request: 0,
  /** 401: USERNAME not ours, or MESSAGE-INTEGRITY did not verify. */
  unauthorized: 0,
  /** 420: an unknown comprehension-required attribute. */
  unknown_attribute: 0,
  /** 487: role conflict we won (RFC 8445 §7.3.1.1). */
  role_conflict: 0,
  /** Not well-formed STUN, bad FINGERPRINT, not a Binding: dropped silently. */
  malformed: 0,
  /** Dropped without checking the HMAC: too many failed checks from that source (or all sources) this second. */
  rate_limited: 0,
  /** A response that matched no outstanding transaction of ours, or did not verify: dropped. */
  stray_response: 0,
};

/** Binding requests whisperd sent (connectivity and consent checks), by outcome. */
export const iceOutbound = {
  /** Sent (first transmission). */
  sent: 0,
  /** Retransmissions (RFC 5389 §7.2.1). */
  retransmitted: 0,
  /** A verified success response came back. */
  succeeded: 0,
  /** An error response came back (487 role conflict included). */
  error: 0,
  /** No response after the last retransmission. */
  timeout: 0,
};

/** Live agents (registered by IceAgent, removed on close), for the per-state gauge. */
export const liveAgents = new Set<{ readonly state: IceState }>();

export function agentStateCounts(): Record<IceState, number> {
  const c: Record<IceState, number> = { new: 0, checking: 0, connected: 0, completed: 0, failed: 0, closed: 0 };
  for (const a of liveAgents) c[a.state]++;
  return c;
}
