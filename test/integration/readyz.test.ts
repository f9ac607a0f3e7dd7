/**
 * (issue 14) GET /readyz on a real daemon: 200 {"ready":true}; 503 {"ready":false,"reasons":[...]} over a load
 * limit (and 200 again once it clears), at the session limit, as a standby (by config, and a real cluster standby
 * on a real redis-server until it takes over), while draining, with the port pool exhausted. Unauthenticated like /healthz, and /healthz stays 200 throughout.
 */
import t from 'tap';
import { phoneSdp, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { FakeSamplers } from '../fixtures/loadSamplers';
import { testRedis } from '../fixtures/redis';
import { freePortRange } from '../fixtures/e2e/harness';

async function readyz(td: TestDaemon, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/readyz`, { headers });
  return { status: res.status, body: await res.json() };
}

async function healthStatus(td: TestDaemon): Promise<number> {
  return (await fetch(`http://127.0.0.1:${td.httpPort}/healthz`)).status;
}

t.test('ready; over a load limit: 503 naming it; cleared: ready again', async (t) => {
  const td = await startTestDaemon({ limits: { maxCpu: 50, maxBandwidth: 500_000 } });
  t.teardown(() => td.close());
  t.same(await readyz(td), { status: 200, body: { ready: true } });

  const fake = new FakeSamplers();
  td.daemon.load.samplers = fake;
  td.daemon.load.sample();
  fake.step(1000, 80, 1000);
  td.daemon.load.sample();
  t.same(await readyz(td), { status: 503, body: { ready: false, reasons: ['load limit: cpu'] } });
  fake.step(1000, 80, 900_000);
  td.daemon.load.sample();
  t.same(await readyz(td), { status: 503, body: { ready: false, reasons: ['load limit: cpu', 'load limit: bandwidth'] } }, 'every limit reached is named');
  t.equal(await healthStatus(td), 200, '/healthz (liveness) stays 200');
  fake.step(1000, 10, 1000);
  td.daemon.load.sample();
  t.same(await readyz(td), { status: 200, body: { ready: true } }, 'cleared');
});

t.test('at the session limit: "load limit: sessions"; free again after the delete', async (t) => {
  const td = await startTestDaemon({ limits: { maxSessions: 1 } });
  t.teardown(() => td.close());
  t.equal((await td.ng.request({ command: 'offer', 'call-id': 'c1', 'from-tag': 'a', sdp: phoneSdp(4000) })).result, 'ok');
  t.same(await readyz(td), { status: 503, body: { ready: false, reasons: ['load limit: sessions'] } });
  t.equal((await td.ng.request({ command: 'delete', 'call-id': 'c1', 'from-tag': 'a' })).result, 'ok');
  t.same(await readyz(td), { status: 200, body: { ready: true } });
});

t.test('standby: 503 "standby" (config without a cluster; a cluster standby until it takes over)', async (t) => {
  const td = await startTestDaemon({ cluster: { standby: true } });
  t.teardown(() => td.close());
  t.same(await readyz(td), { status: 503, body: { ready: false, reasons: ['standby'] } });
  t.equal(await healthStatus(td), 200);

  // A real pair on a real Redis: the standby is not ready while the active node's heartbeat lives;
  // once it has taken over (here: an explicit takeover), it is ready.
  const redis = await testRedis(t);
  const cluster = { redis: redis.url, heartbeatMs: 100, heartbeatExpiryMs: 1000 };
  const active = await startTestDaemon({ cluster: { ...cluster, node: 'ready-a' } });
  t.teardown(() => active.close());
  const standby = await startTestDaemon({ cluster: { ...cluster, node: 'ready-b', standby: true } });
  t.teardown(() => standby.close());
  t.same(await readyz(active), { status: 200, body: { ready: true } }, 'the active node is ready');
  t.same(await readyz(standby), { status: 503, body: { ready: false, reasons: ['standby'] } }, 'the standby is not');
  // An orderly shutdown leaves the cluster (no automatic takeover): the standby stays a standby until told.
  await active.close();
  t.same(await readyz(standby), { status: 503, body: { ready: false, reasons: ['standby'] } }, 'still a standby after the active left in order');
  await standby.daemon.cluster!.takeOver('ready-a', 'test: explicit takeover');
  const last = await readyz(standby);
  t.same(last, { status: 200, body: { ready: true } }, 'taken over: ready');
});

t.test('draining: 503 "draining" once shutdown begins', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  t.equal((await readyz(td)).status, 200);
  td.daemon.beginDrain();
  t.same(await readyz(td), { status: 503, body: { ready: false, reasons: ['draining'] } });
  t.equal(await healthStatus(td), 200, 'still alive while draining');
});

t.test('port pool exhausted; no token needed, nothing else revealed', async (t) => {
  // Four ports nothing else holds (harness freePortRange: checked free, outside the ephemeral range where the
  // other test files' phones and clients bind; 42000-43999 was inside it, so a phone of a parallel test could
  // hold one of them and the offer ran out of ports).
  const base = await freePortRange(4);
  const td = await startTestDaemon({ media: { portMin: base, portMax: base + 3, sparePairs: 0 }, http: { token: 'sekrit-token' } });
  t.teardown(() => td.close());
  t.same(await readyz(td), { status: 200, body: { ready: true } }, 'two pairs free: one call fits; no token asked');
  t.equal((await td.ng.request({ command: 'offer', 'call-id': 'p1', 'from-tag': 'a', sdp: phoneSdp(4000) })).result, 'ok');
  t.equal(td.daemon.pool.free, 0);
  const r = await readyz(td);
  t.same(r, { status: 503, body: { ready: false, reasons: ['port pool exhausted'] } });
  t.notMatch(JSON.stringify(r.body), /sekrit|p1/, 'no token, no call ids');
  t.equal((await fetch(`http://127.0.0.1:${td.httpPort}/v1/calls`)).status, 401, 'the API itself still needs the token');
});
