/**
 * Issue 14, the cluster-wide API: two daemons (A and B, both active) sharing one Redis. B's GET /v1/calls lists
 * A's call with owner A; a supervisor joins A's call through B's API (proxied to A): the agent hears the
 * supervisor, the customer does not; the audit (A's, and the cluster trail read through B) shows the join
 * with node A; B's /v1/cluster sees A; an explicit takeover of a live node is refused without force.
 */
import t from 'tap';
import { daemonHttp, phoneSdp, sdpMediaPort } from '../fixtures/daemon';
import { closeAll, collect, F_AGENT, F_CUSTOMER, F_SUPERVISOR, heard, peak, startAll, twoPartyCall, type SupervisedCall } from '../fixtures/supervisedCall';
import { testRedis } from '../fixtures/redis';
import { clusterDaemons, eventually } from '../fixtures/cluster';

const CALL = 'cluster-2n-1';

t.test('B lists and supervises a call owned by A', async (t) => {
  const redis = await testRedis(t);
  const [a, b] = await clusterDaemons(t, redis, ['A', 'B'], { heartbeatExpiryMs: 1000, writeTimeoutMs: 500 });

  const { peers, to } = await twoPartyCall(a, CALL);
  t.teardown(() => closeAll({ peers }));

  // B sees A alive and A's call, owned by A.
  await eventually('B sees A', async () => {
    const r = await daemonHttp(b, 'GET', '/v1/cluster');
    return (r.body.peers as Array<{ node: string; alive: boolean }>).some((p) => p.node === 'A' && p.alive);
  });
  const list = await daemonHttp(b, 'GET', '/v1/calls');
  t.equal(list.status, 200);
  const calls = list.body.calls as Array<{ callId: string; owner: string; participants: number }>;
  const mine = calls.find((c) => c.callId === CALL);
  t.ok(mine, "B's GET /v1/calls lists A's call");
  t.equal(mine?.owner, 'A', 'with owner A');
  t.equal(mine?.participants, 2);
  const listA = await daemonHttp(a, 'GET', '/v1/calls');
  t.equal((listA.body.calls as Array<{ owner: string }>)[0]?.owner, 'A', "A's own listing names itself as owner");

  // The detail of A's call through B (forwarded).
  const detail = await daemonHttp(b, 'GET', `/v1/calls/${CALL}`);
  t.equal(detail.status, 200, 'GET /v1/calls/:id through B is forwarded to A');
  t.equal((detail.body.participants as unknown[]).length, 2);

  // A supervisor joins through B.
  const join = await daemonHttp(b, 'POST', `/v1/calls/${CALL}/supervisors`, {
    tag: 'sup',
    sdp: phoneSdp(peers.supervisor.port, { codecs: ['0', '101'], id: 3000 }),
    mode: 'whisper',
    agentTag: 'agent',
    supervisor: 'alice',
    agent: 'bob',
  });
  t.equal(join.status, 201, `join through B: ${JSON.stringify(join.body)}`);
  t.equal(join.body.mode, 'whisper');
  t.notOk(b.daemon.registry.get(CALL), 'B holds no copy of the call');
  t.ok(a.daemon.supervision.session(a.daemon.registry.get(CALL)!, 'sup'), 'the session lives on A');

  const c: SupervisedCall = { callId: CALL, peers, to: { customer: to.customer!, agent: to.agent!, supervisor: sdpMediaPort(join.body.sdp as string) }, supervise: {} };
  startAll(c);
  await collect(c, 30);
  await collect(c, 125);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -22, `agent hears the supervisor (${peak(c, 'agent', F_SUPERVISOR).toFixed(1)} dBFS)`);
  t.ok(peak(c, 'agent', F_CUSTOMER) > -22, `agent hears the customer (${peak(c, 'agent', F_CUSTOMER).toFixed(1)} dBFS)`);
  const customer = heard(c, 'customer');
  t.ok(customer[F_SUPERVISOR]! < -50, `customer does not hear the supervisor (${customer[F_SUPERVISOR]!.toFixed(1)})`);
  t.ok(customer[F_AGENT]! > -22, `customer hears the agent (${customer[F_AGENT]!.toFixed(1)})`);

  // Mode change and mute through B, too.
  const mode = await daemonHttp(b, 'PATCH', `/v1/calls/${CALL}/supervisors/sup`, { mode: 'listen' });
  t.equal(mode.status, 200);
  t.equal(a.daemon.supervision.session(a.daemon.registry.get(CALL)!, 'sup')?.mode, 'listen', 'mode changed on A through B');

  // Audit: A's log has the join with node A; B serves the cluster trail from Redis, in order.
  const auditA = a.daemon.audit.query({ callId: CALL });
  const start = auditA.find((r) => r.event === 'start');
  t.ok(start, 'A audited the join');
  t.equal(start?.node, 'A', 'the record carries node A');
  t.equal(start?.source, 'http');
  await eventually('cluster audit trail', async () => {
    const r = await daemonHttp(b, 'GET', `/v1/audit?callId=${CALL}`);
    return (r.body.records as unknown[]).length >= 2;
  });
  const trail = (await daemonHttp(b, 'GET', `/v1/audit?callId=${CALL}`)).body.records as Array<{ event: string; node: string; seq: number }>;
  t.same(
    trail.map((r) => [r.event, r.node]),
    [
      ['start', 'A'],
      ['mode', 'A'],
    ],
    'B reads the cluster trail of the call in order',
  );

  // Redis has the call under A with the supervisor in its summary.
  const rc = await redis.client();
  const rec = JSON.parse(((await rc.command(['HGET', 'whisperd:calls:A', CALL])) as Buffer).toString()) as { summary: { supervisors: Array<{ tag: string; mode: string }> } };
  t.same(rec.summary.supervisors.map((s) => [s.tag, s.mode]), [['sup', 'listen']], 'the Redis record follows the supervision changes');
  await rc.close();

  // Explicit takeover of a live node is refused without force; an unknown node is 404.
  t.equal((await daemonHttp(b, 'POST', '/v1/cluster/takeover', { node: 'A' })).status, 409);
  t.equal((await daemonHttp(b, 'POST', '/v1/cluster/takeover', { node: 'nope' })).status, 404);

  // Leaving through B: forwarded DELETE.
  const del = await daemonHttp(b, 'DELETE', `/v1/calls/${CALL}/supervisors/sup`);
  t.equal(del.status, 204, 'supervisor removed through B');
  t.notOk(a.daemon.supervision.session(a.daemon.registry.get(CALL)!, 'sup'), 'gone on A');
  void F_AGENT;
});
