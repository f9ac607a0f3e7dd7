/**
 * Cluster metrics, registered whether or not the daemon is in a cluster (values 0, role active) so dashboards
 * and alert rules (examples/, deploy kit) always find them. Names are part of the interface: do not rename.
 *
 *   whisperd_cluster_replication_degraded   gauge 0/1: signalling changes are not (all) in Redis right now
 *   whisperd_cluster_role{role}             gauge: 1 for this node's role (active|standby), 0 for the other
 *   whisperd_cluster_takeovers_total        counter: nodes this node took over
 *   whisperd_cluster_redis_write_seconds    histogram: one call's replication write (all its commands)
 *   whisperd_cluster_redis_errors_total     counter: failed Redis commands/writes (down, timeout, error reply)
 *   whisperd_cluster_peers                  gauge: other nodes with a live heartbeat
 *   whisperd_cluster_redis_writes_total     counter: call writes done (put + delete)
 *   whisperd_cluster_write_queue_depth      gauge: calls with a change not yet written
 *   whisperd_cluster_redis_connected        gauge 0/1
 *   whisperd_cluster_takeover_calls_total{result}, _takeover_port_failures_total, _takeover_sessions_total: takeovers' restores
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the metrics read from the cluster node at scrape time. */
export interface ClusterStats {
  readonly degraded: boolean;
  readonly role: 'active' | 'standby';
  readonly takeovers: number;
  readonly redisErrors: number;
  readonly peerCount: number;
  readonly writes: number;
  readonly queueDepth: number;
  readonly redisConnected: boolean;
}

/** Calls restored by takeovers in this process (src/cluster/restore.ts takeoverCounters; cumulative). */
export interface TakeoverCounts {
  readonly calls: number;
  readonly failed: number;
  readonly portFailures: number;
  readonly sessions: number;
}

export class ClusterMetrics {
  readonly writeSeconds: Histogram;
  stats: ClusterStats | undefined;

  constructor(r: Registry, takeover: () => TakeoverCounts = () => ({ calls: 0, failed: 0, portFailures: 0, sessions: 0 })) {
    const self = this;
    new Counter({
      name: 'whisperd_cluster_takeover_calls_total',
      help: "Calls of a dead node restored here (ok) or that could not be (failed: not a valid snapshot, or the replay failed)",
      labelNames: ['result'],
      registers: [r],
      collect() {
        this.reset();
        const t = takeover();
        this.inc({ result: 'ok' }, t.calls);
        this.inc({ result: 'failed' }, t.failed);
      },
    });
    new Counter({
      name: 'whisperd_cluster_takeover_port_failures_total',
      help: "Legs of restored calls whose recorded port was still busy after the wait (moved to another port: that leg's media is lost)",
      registers: [r],
      collect() {
        this.reset();
        this.inc(takeover().portFailures);
      },
    });
    new Counter({
      name: 'whisperd_cluster_takeover_sessions_total',
      help: 'Supervision sessions (listen, whisper, barge, page) restored by takeovers',
      registers: [r],
      collect() {
        this.reset();
        this.inc(takeover().sessions);
      },
    });
    new Gauge({
      name: 'whisperd_cluster_replication_degraded',
      help: 'Replication to Redis is degraded (1): a change could not be written within cluster.writeTimeoutMs, or Redis is unreachable',
      registers: [r],
      collect() {
        this.set(self.stats?.degraded ? 1 : 0);
      },
    });
    new Gauge({
      name: 'whisperd_cluster_role',
      help: "This node's cluster role: 1 for the current role (active or standby)",
      labelNames: ['role'],
      registers: [r],
      collect() {
        const role = self.stats?.role ?? 'active';
        this.set({ role: 'active' }, role === 'active' ? 1 : 0);
        this.set({ role: 'standby' }, role === 'standby' ? 1 : 0);
      },
    });
    new Counter({
      name: 'whisperd_cluster_takeovers_total',
      help: 'Nodes this node took over (their calls restored and re-owned)',
      registers: [r],
      collect() {
        this.reset();
        this.inc(self.stats?.takeovers ?? 0);
      },
    });
    this.writeSeconds = new Histogram({
      name: 'whisperd_cluster_redis_write_seconds',
      help: "Time of one call's replication write to Redis",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [r],
    });
    new Counter({
      name: 'whisperd_cluster_redis_errors_total',
      help: 'Failed Redis writes and reads (unreachable, timeout, error reply)',
      registers: [r],
      collect() {
        this.reset();
        this.inc(self.stats?.redisErrors ?? 0);
      },
    });
    new Gauge({
      name: 'whisperd_cluster_peers',
      help: 'Other cluster nodes with a live heartbeat',
      registers: [r],
      collect() {
        this.set(self.stats?.peerCount ?? 0);
      },
    });
    new Counter({
      name: 'whisperd_cluster_redis_writes_total',
      help: 'Call replication writes done (snapshot written or removed)',
      registers: [r],
      collect() {
        this.reset();
        this.inc(self.stats?.writes ?? 0);
      },
    });
    new Gauge({
      name: 'whisperd_cluster_write_queue_depth',
      help: 'Calls with a signalling change not yet written to Redis',
      registers: [r],
      collect() {
        this.set(self.stats?.queueDepth ?? 0);
      },
    });
    new Gauge({
      name: 'whisperd_cluster_redis_connected',
      help: 'Connected to Redis (1) or not (0; always 0 without a cluster)',
      registers: [r],
      collect() {
        this.set(self.stats?.redisConnected ? 1 : 0);
      },
    });
  }
}
