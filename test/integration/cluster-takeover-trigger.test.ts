/**
 * Issue 14, the takeover trigger (cluster core's part; restoring media is restore.ts's and its own test):
 * an active node X (simulated in Redis: heartbeat, membership, one call record) stops renewing its heartbeat.
 * Two standby daemons watch it; within the heartbeat expiry plus a few heartbeats exactly one of them takes X
 * over (SET NX lock): its handler gets X's records, the owner key names it, X's records are gone, it becomes
 * active (role metric), the takeover is counted; the other stays standby.
 */
import t from 'tap';
import { metricValue, testRedis } from '../fixtures/redis';
import { clusterDaemons, eventually as poll, type ClusterTiming } from '../fixtures/cluster';
import type { CallRecord } from '../../src/cluster/ClusterStore';

const TIMING: ClusterTiming = { heartbeatExpiryMs: 600, writeTimeoutMs: 200 };

const eventually = (what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> => poll(what, cond, timeoutMs, 50);

t.test('a standby takes over a node whose heartbeat expired; only one standby does', async (t) => {
  const redis = await testRedis(t);
  const [s1, s2] = await clusterDaemons(t, redis, ['S1', 'S2'], TIMING, ['S1', 'S2']);
  t.equal(s1.daemon.cluster?.isStandby(), true);
  t.equal(await metricValue(s1.httpPort, 'whisperd_cluster_role', '{role="standby"}'), 1, 'role metric: standby');

  const got: Array<{ by: string; from: string; records: CallRecord[]; at: number }> = [];
  for (const d of [s1, s2]) d.daemon.cluster!.onTakeover(async (from, records) => void got.push({ by: d.daemon.cluster!.nodeId, from, records, at: Date.now() }));

  // Node X: alive (heartbeat renewed by the test), one call.
  const rc = await redis.client();
  const rec: CallRecord = { v: 1, node: 'X', updatedMs: Date.now(), summary: { callId: 'cx', created: new Date().toISOString(), participants: 2, supervisors: [] }, snapshot: { v: 1, callId: 'cx' } };
  await rc.command(['HSET', 'whisperd:calls:X', 'cx', JSON.stringify(rec)]);
  await rc.command(['SET', 'whisperd:owner:cx', 'X']);
  await rc.command(['SADD', 'whisperd:nodes', 'X']);
  const beat = (): Promise<unknown> => rc.command(['SET', 'whisperd:node:X', JSON.stringify({ apiUrl: 'http://127.0.0.1:1', role: 'active', started: '' }), 'PX', '600']);
  await beat();
  const timer = setInterval(() => void beat(), 100);
  await eventually('both standbys see X', () => [s1, s2].every((d) => d.daemon.cluster!.peer('X')?.alive === true));
  await eventually('peers gauge', async () => (await metricValue(s1.httpPort, 'whisperd_cluster_peers')) >= 2);
  t.equal(got.length, 0, 'no takeover while X beats');

  // X dies.
  clearInterval(timer);
  const died = Date.now();
  await eventually('a takeover', () => got.length > 0);
  await new Promise((r) => setTimeout(r, 800)); // the other standby had its chance too
  t.equal(got.length, 1, 'exactly one standby took X over');
  const g = got[0]!;
  t.equal(g.from, 'X');
  t.same(
    g.records.map((r) => r.summary.callId),
    ['cx'],
    "the handler got X's records",
  );
  t.ok(g.at - died < 600 + 2000, `taken over ${g.at - died} ms after the last heartbeat (expiry 600 ms)`);
  const winner = g.by === 'S1' ? s1 : s2;
  const loser = g.by === 'S1' ? s2 : s1;
  t.equal(winner.daemon.cluster!.role, 'active', 'the winner is active');
  t.equal(loser.daemon.cluster!.role, 'standby', 'the other stays standby');
  t.equal(String(await rc.command(['GET', 'whisperd:owner:cx'])), g.by, 'owner key rewritten to the winner');
  t.ok(Buffer.isBuffer(await rc.command(['HGET', `whisperd:calls:${g.by}`, 'cx'])), "the record moved under the winner's calls");
  t.equal(await rc.command(['EXISTS', 'whisperd:calls:X']), 0, "X's records are gone");
  t.equal(await metricValue(winner.httpPort, 'whisperd_cluster_takeovers_total'), 1, 'takeover counted');
  t.equal(await metricValue(winner.httpPort, 'whisperd_cluster_role', '{role="active"}'), 1, 'role metric: active');
  t.equal(await metricValue(loser.httpPort, 'whisperd_cluster_takeovers_total'), 0);
  await rc.close();
});

t.test('explicit takeover through the API; an orderly-shut-down node is not taken over', async (t) => {
  const redis = await testRedis(t);
  const [a, s] = await clusterDaemons(t, redis, ['A', 'S'], TIMING, ['S']);
  let taken = 0;
  s.daemon.cluster!.onTakeover(async () => void taken++);
  await eventually('S sees A', () => s.daemon.cluster!.peer('A')?.alive === true);
  // Orderly shutdown of A: heartbeat and membership leave; S must not take it over.
  await a.close();
  await new Promise((r) => setTimeout(r, 1500));
  t.equal(taken, 0, 'no takeover of a node that shut down in order');
  t.equal(s.daemon.cluster!.role, 'standby');

  // A node Y that is alive: explicit takeover needs force.
  const rc = await redis.client();
  await rc.command(['SADD', 'whisperd:nodes', 'Y']);
  await rc.command(['SET', 'whisperd:node:Y', JSON.stringify({ apiUrl: 'http://127.0.0.1:1', role: 'active', started: '' }), 'PX', '60000']);
  const post = (body: unknown) =>
    fetch(`http://127.0.0.1:${s.httpPort}/v1/cluster/takeover`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  t.equal((await post({ node: 'Y' })).status, 409, 'alive: refused without force');
  const r = await post({ node: 'Y', force: true });
  t.equal(r.status, 200, 'forced');
  t.same(await r.json(), { node: 'S', from: 'Y', calls: 0, role: 'active' });
  t.equal(taken, 1);
  await rc.close();
});

t.test("an orderly shutdown between a standby's membership read and its heartbeat read is not taken over", async (t) => {
  // refreshPeers reads the members (SMEMBERS) and then their heartbeats (MGET), one round trip apart. A's
  // close() run exactly in between (here: held there on purpose; on a busy machine it happens by chance)
  // shows A as a member without a heartbeat, like a crash.
  const redis = await testRedis(t);
  const [a, s] = await clusterDaemons(t, redis, ['A', 'S'], TIMING, ['S']);
  let taken = 0;
  s.daemon.cluster!.onTakeover(async () => void taken++);
  await eventually('S sees A', () => s.daemon.cluster!.peer('A')?.alive === true);
  const rs = s.daemon.cluster!.redis;
  const command = rs.command.bind(rs);
  let closed: Promise<void> | undefined;
  rs.command = async (args) => {
    if (closed === undefined && String(args[0]) === 'MGET') {
      closed = a.close();
      await closed;
    }
    return command(args);
  };
  await eventually('A closed between the two reads', () => closed !== undefined);
  await closed;
  // That tick's watch() has run once a later tick no longer lists A (ticks do not overlap).
  await eventually('S no longer lists A', () => s.daemon.cluster!.peer('A') === undefined);
  t.equal(taken, 0, 'no takeover of a node that shut down in order between the reads');
  t.equal(s.daemon.cluster!.role, 'standby', 'S stays a standby');
});

t.test('two standbys racing for one dead node: the lock lets exactly one through', async (t) => {
  const redis = await testRedis(t);
  const [s1, s2] = await clusterDaemons(t, redis, ['R1', 'R2'], TIMING, ['R1', 'R2']);
  const rc = await redis.client();
  const rec: CallRecord = { v: 1, node: 'Z', updatedMs: Date.now(), summary: { callId: 'cz', created: new Date().toISOString(), participants: 2, supervisors: [] }, snapshot: {} };
  await rc.command(['HSET', 'whisperd:calls:Z', 'cz', JSON.stringify(rec)]);
  await rc.command(['SADD', 'whisperd:nodes', 'Z']);
  await eventually('connected', () => s1.daemon.cluster!.redisConnected && s2.daemon.cluster!.redisConnected);
  const [r1, r2] = await Promise.all([s1.daemon.cluster!.takeOver('Z', 'test race'), s2.daemon.cluster!.takeOver('Z', 'test race')]);
  t.equal([r1, r2].filter((r) => r.locked).length, 1, 'exactly one took the lock');
  t.equal(r1.calls + r2.calls, 1, 'the call was taken once');
  await rc.close();
});

t.test('a standby started after a node crashed takes its calls over at its first look; a dead member without calls is dropped', async (t) => {
  const redis = await testRedis(t);
  const rc = await redis.client();
  // Node Y crashed before any standby ran: still a member, no heartbeat key, one call record. Node Z crashed with no calls.
  const rec: CallRecord = { v: 1, node: 'Y', updatedMs: Date.now(), summary: { callId: 'cy', created: new Date().toISOString(), participants: 2, supervisors: [] }, snapshot: { v: 1, callId: 'cy' } };
  await rc.command(['HSET', 'whisperd:calls:Y', 'cy', JSON.stringify(rec)]);
  await rc.command(['SET', 'whisperd:owner:cy', 'Y']);
  await rc.command(['SADD', 'whisperd:nodes', 'Y', 'Z']);
  const [s] = await clusterDaemons(t, redis, ['S'], TIMING, ['S']);
  const got: string[] = [];
  s.daemon.cluster!.onTakeover(async (from, records) => void got.push(`${from}:${records.map((r) => r.summary.callId).join(',')}`));
  await eventually('the takeover of Y', () => got.length > 0);
  t.same(got, ['Y:cy'], "Y's call handed to the restore handler");
  // The role flips after the handler has run and the calls are re-owned (ClusterNode.takeOver).
  await eventually('S active', () => !s.daemon.cluster!.isStandby());
  t.equal(s.daemon.cluster!.isStandby(), false, 'the standby is active now');
  await eventually('the owner key rewritten', async () => String(await rc.command(['GET', 'whisperd:owner:cy'])) === 'S');
  t.equal(String(await rc.command(['GET', 'whisperd:owner:cy'])), 'S', 'the call is owned by S');
  await eventually('Z dropped from the members', async () => (await rc.command(['SISMEMBER', 'whisperd:nodes', 'Z'])) === 0);
  t.equal(await rc.command(['SISMEMBER', 'whisperd:nodes', 'Z']), 0, 'Z (no heartbeat, no calls) is no longer a member');
});
