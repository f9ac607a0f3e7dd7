/** Issue 14: the cluster metrics exist on every daemon (0 / role active without a cluster), for dashboards and alerts. */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { metricValue } from '../fixtures/redis';

t.test('cluster metrics without a cluster', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  t.equal(td.daemon.cluster, undefined, 'no cluster object without cluster.redis');
  const zero = ['whisperd_cluster_replication_degraded', 'whisperd_cluster_takeovers_total', 'whisperd_cluster_redis_errors_total', 'whisperd_cluster_peers', 'whisperd_cluster_redis_write_seconds_count', 'whisperd_cluster_redis_writes_total', 'whisperd_cluster_write_queue_depth'];
  for (const name of zero) t.equal(await metricValue(td.httpPort, name), 0, name);
  t.equal(await metricValue(td.httpPort, 'whisperd_cluster_role', '{role="active"}'), 1);
  t.equal(await metricValue(td.httpPort, 'whisperd_cluster_role', '{role="standby"}'), 0);
  // The cluster routes answer on every daemon (one API shape whatever the configuration).
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/v1/cluster`);
  t.equal(res.status, 200);
  t.match(await res.json(), { clustered: false, role: 'active', peers: [] }, 'GET /v1/cluster: not clustered');
  const to = await fetch(`http://127.0.0.1:${td.httpPort}/v1/cluster/takeover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ node: 'x' }) });
  t.equal(to.status, 409, 'a takeover without a cluster is refused');
  t.match(await to.json(), { error: 'Not clustered (cluster.redis is empty)' });
});
