/**
 * (issue 14) GET /readyz — readiness, distinct from /healthz (liveness): whether a load balancer or an
 * orchestrator should send this node NEW work. Unauthenticated like /healthz and reveals nothing secret:
 *   200 {"ready": true}
 *   503 {"ready": false, "reasons": [...]} with, in this order, any of
 *     "standby"              a cluster standby that has not taken over (it holds calls idle, relays nothing);
 *     "draining"             an orderly shutdown has begun (SIGTERM/SIGINT: Daemon.beginDrain);
 *     "load limit: <limit>"  a load limit refuses new calls: sessions, load, cpu or bandwidth (one per limit);
 *     "port pool exhausted"  fewer free RTP/RTCP port pairs than one two-party call needs (2).
 * A not-ready node still serves its existing calls: /healthz stays 200 while the process is alive.
 */
import type { HttpServer } from './HttpServer';

export interface ReadinessSources {
  isStandby: () => boolean;
  isDraining: () => boolean;
  /** Limits refusing new calls now (sessions, load, cpu, bandwidth). */
  limitsReached: () => readonly string[];
  /** Free RTP/RTCP port pairs (PortPool.free). */
  portsFree: () => number;
}

/** Port pairs the smallest new call takes: one per party of a one-m=-line offer. */
export const MIN_PAIRS_PER_CALL = 2;

export type Readiness = { ready: true } | { ready: false; reasons: string[] };

export function readiness(src: ReadinessSources): Readiness {
  const reasons: string[] = [];
  if (src.isStandby()) reasons.push('standby');
  if (src.isDraining()) reasons.push('draining');
  for (const limit of src.limitsReached()) reasons.push(`load limit: ${limit}`);
  if (src.portsFree() < MIN_PAIRS_PER_CALL) reasons.push('port pool exhausted');
  return reasons.length === 0 ? { ready: true } : { ready: false, reasons };
}

/** Register GET /readyz (no token, like /healthz). */
export function registerReadyz(http: HttpServer, src: ReadinessSources): void {
  http.route(
    'GET',
    '/readyz',
    ({ res }) => {
      const r = readiness(src);
      http.sendJson(res, r.ready ? 200 : 503, r);
      return undefined;
    },
    false,
  );
}
