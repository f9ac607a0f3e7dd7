/**
 * Takeover port binding (issue 14): a recorded port still held by another process is retried for a
 * bounded time — released within it, the leg gets its port; held beyond it, the leg is opened on another
 * port and reported (result.failedPorts, counter), the rest of the call is restored and relays; nothing
 * throws. Also: snapshots that are not v1 are refused per call, and a call that already exists here is
 * not restored twice. PortPool.claim reserves exactly one pair.
 */
import dgram from 'node:dgram';
import t from 'tap';
import { randomPortRange, phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../../fixtures/daemon';
import { Phone } from '../../fixtures/phone';
import { goertzelDb } from '../../fixtures/media';
import { snapshotCall, type CallSnapshot } from '../../../src/cluster/snapshot';
import { takeOver, takeoverCounters, type RestoreDeps } from '../../../src/cluster/restore';
import { PortPool } from '../../../src/media/PortPool';
import type { Daemon } from '../../../src/Daemon';

function depsOf(d: Daemon, portWaitMs: number): RestoreDeps {
  return { registry: d.registry, signalling: d.commands.signalling, engine: d.engine, audit: d.audit, log: d.log, nodeId: 'B', portWaitMs };
}

async function hold(port: number): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(port, '127.0.0.1', r));
  return s;
}

/** A two-party PCMU call on `td`; returns its snapshot (JSON round trip) and the phones. */
async function call(t: { teardown(fn: () => void): void }, td: TestDaemon, callId: string): Promise<{ snap: CallSnapshot; cust: Phone; agent: Phone; toCust: number; toAgent: number }> {
  const cust = await Phone.open();
  const agent = await Phone.open();
  t.teardown(() => {
    cust.close();
    agent.close();
  });
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(cust.port, { codecs: ['0'] }) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs: ['0'] }) });
  const snap = JSON.parse(JSON.stringify(snapshotCall(td.daemon.registry.get(callId)!))) as CallSnapshot;
  return { snap, cust, agent, toCust: sdpMediaPort(answer.sdp as string), toAgent: sdpMediaPort(offer.sdp as string) };
}

t.test('PortPool.claim reserves one specific pair', (t) => {
  const pool = new PortPool(20000, 20009);
  t.ok(pool.claim(20004));
  t.notOk(pool.claim(20004), 'not twice');
  t.notOk(pool.claim(20005), 'odd: not a pair start');
  t.notOk(pool.claim(20010), 'outside the range');
  t.equal(pool.used, 1);
  t.ok(pool.isUsed(20004));
  const taken = new Set<number>();
  for (let i = 0; i < 4; i++) taken.add(pool.take());
  t.notOk(taken.has(20004), 'take() skips the claimed pair');
  t.equal(pool.take(), -1, 'range exhausted');
  pool.release(20004);
  t.equal(pool.take(), 20004);
  t.end();
});

t.test('a port released within the wait is bound; one held beyond it is reported, the call goes on', async (t) => {
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media });
  const c = await call(t, a, 'ports-1');
  await a.close();
  const custPort = c.snap.participants.find((p) => p.tag === 'cust')!.legs[0]!.port;
  const agentPort = c.snap.participants.find((p) => p.tag === 'agent')!.legs[0]!.port;
  t.equal(custPort, c.toCust);
  // The customer's port: held for 150 ms (a dying node's socket), the agent's: held throughout.
  const shortHold = await hold(custPort);
  const longHold = await hold(agentPort);
  t.teardown(() => longHold.close());
  setTimeout(() => shortHold.close(), 150);
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const failuresBefore = takeoverCounters.portFailures;
  const [r] = await takeOver(depsOf(b.daemon, 1000), [c.snap], { fromNode: 'A' });
  t.ok(r!.ok, `restored: ${JSON.stringify(r)}`);
  t.same(r!.failedPorts, [agentPort], 'the port held beyond the wait is reported');
  t.equal(takeoverCounters.portFailures, failuresBefore + 1, 'and counted');
  const callB = b.daemon.registry.get('ports-1')!;
  t.equal(callB.participant('cust')!.legs[0]!.endpoint!.localPort, custPort, 'the port released in time was bound');
  t.not(callB.participant('agent')!.legs[0]!.endpoint!.localPort, agentPort, "the agent's leg runs on another port");

  // The customer's leg relays: the agent phone, which still sends to its old port, is lost; the customer
  // still sends to its own port and B forwards it to the agent.
  c.cust.start(custPort, { codec: 'pcmu', pt: 0, freq: 617, dbfs: -12, ssrc: 1 });
  await c.agent.waitPackets(50, 0);
  const { pcm } = c.agent.decode('pcmu', 0);
  t.ok(goertzelDb(pcm, 8000, 617, 0, pcm.length) > -22, 'the agent hears the customer through B');
});

t.test('bad snapshots and calls already here are refused per call, never thrown', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await call(t, td, 'here-1');
  const res = await takeOver(depsOf(td.daemon, 100), [{ v: 2, callId: 'x' }, null, c.snap], { fromNode: 'A' });
  t.same(res.map((r) => r.ok), [false, false, false]);
  t.match(res[2]!.error, /exists/);
  t.equal(td.daemon.registry.get('here-1')!.participants.size, 2, 'the existing call is untouched');
});

t.test('a standby at its session limit still takes the calls over (limits are for new calls)', async (t) => {
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media });
  const c = await call(t, a, 'limit-1');
  await a.close();
  const b = await startTestDaemon({ media, limits: { maxSessions: 1 } });
  t.teardown(() => b.close());
  const other = await b.ng.request({ command: 'offer', 'call-id': 'already-here', 'from-tag': 'x', sdp: phoneSdp(c.cust.port + 2, { codecs: ['0'] }) });
  t.equal(other.result, 'ok');
  const refused = await b.ng.request({ command: 'offer', 'call-id': 'new-call', 'from-tag': 'y', sdp: phoneSdp(c.cust.port + 4, { codecs: ['0'] }) });
  t.not(refused.result, 'ok', 'a new call is refused at the limit');
  const [r] = await takeOver(depsOf(b.daemon, 500), [c.snap], { fromNode: 'A' });
  t.ok(r!.ok, `the lost node's call is restored anyway: ${JSON.stringify(r)}`);
  t.equal(b.daemon.registry.size, 2);
});

t.test('ng media switches (a PCI pause: block media from the customer) stay on across the takeover', async (t) => {
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media });
  const c = await call(t, a, 'pci-1');
  t.same(await a.ng.request({ command: 'block media', 'call-id': 'pci-1', 'from-tag': 'cust' }), { result: 'ok' });
  const snap = JSON.parse(JSON.stringify(snapshotCall(a.daemon.registry.get('pci-1')!))) as CallSnapshot;
  t.ok(snap.switches, 'the switches are in the snapshot');
  await a.close();
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const [r] = await takeOver(depsOf(b.daemon, 500), [snap], { fromNode: 'A' });
  t.ok(r!.ok);
  c.cust.start(c.toCust, { codec: 'pcmu', pt: 0, freq: 617, dbfs: -12, ssrc: 1 });
  c.agent.start(c.toAgent, { codec: 'pcmu', pt: 0, freq: 1019, dbfs: -12, ssrc: 2 });
  await c.cust.waitPackets(50, 0);
  t.ok(goertzelDb(c.cust.decode('pcmu', 0).pcm, 8000, 1019, 0, 8000) > -22, 'the customer hears the agent through B');
  t.equal(c.agent.count(0), 0, "the customer's media stays blocked towards the agent");
  t.same(await b.ng.request({ command: 'unblock media', 'call-id': 'pci-1', 'from-tag': 'cust' }), { result: 'ok' });
  await c.agent.waitPackets(25, 0);
  t.pass('unblocked on B: the agent hears the customer again');
});
