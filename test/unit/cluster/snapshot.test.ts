/**
 * Takeover in process (issue 14): a whispered call on daemon A is snapshotted (-> JSON -> back), A is
 * closed (its ports free, as after kill -9), daemon B with the same media port range restores the call
 * with takeOver() and the phones, which keep sending to the ports they have, are relayed and mixed
 * again: the agent hears customer + supervisor, the customer never hears the supervisor, and the streams
 * whisperd generates keep their SSRC with sequence numbers going forward.
 */
import t from 'tap';
import { phoneSdp, randomPortRange, sdpMediaPort, startTestDaemon, type TestDaemon } from '../../fixtures/daemon';
import { Phone } from '../../fixtures/phone';
import { closeAll, collect, F_AGENT, F_CUSTOMER, F_SUPERVISOR, heard, peak, peakLevel, startAll, supervisedCall, type Role, type SupervisedCall } from '../../fixtures/supervisedCall';
import { isCallSnapshot, snapshotCall, type CallSnapshot } from '../../../src/cluster/snapshot';
import { takeOver, type RestoreDeps } from '../../../src/cluster/restore';
import type { Daemon } from '../../../src/Daemon';

function depsOf(d: Daemon, nodeId: string): RestoreDeps {
  return { registry: d.registry, signalling: d.commands.signalling, engine: d.engine, audit: d.audit, log: d.log, nodeId, recording: d.recording, portWaitMs: 1000 };
}

/** The SSRC and last sequence number of what `role` received with PCMU. */
function lastStream(c: SupervisedCall, role: Role): { ssrc: number; seq: number } | null {
  const r = c.peers[role].received.filter((p) => p.pt === 0);
  const last = r[r.length - 1];
  return last ? { ssrc: last.ssrc, seq: last.seq } : null;
}

t.test('snapshot -> JSON -> takeover on a second daemon: relay and whisper go on', async (t) => {
  const range = randomPortRange();
  const media = { ...range };
  const a: TestDaemon = await startTestDaemon({ media });
  t.teardown(() => a.close());
  const c = await supervisedCall(a, 'takeover-1', 'whisper');
  t.teardown(() => closeAll(c));
  startAll(c);
  await collect(c, 30);
  await collect(c, 60);
  const beforeAgent = heard(c, 'agent');
  t.ok(beforeAgent[F_SUPERVISOR]! > -22, `before: the agent hears the supervisor (${beforeAgent[F_SUPERVISOR]!.toFixed(1)})`);

  const callA = a.daemon.registry.get('takeover-1')!;
  const snap = JSON.parse(JSON.stringify(snapshotCall(callA))) as CallSnapshot;
  t.ok(isCallSnapshot(snap), 'the snapshot survives JSON');
  t.equal(snap.signalling.length, 2, 'offer and answer recorded');
  t.equal(snap.sessions.length, 1, 'one supervision session');
  t.equal(snap.sessions[0]!.mode, 'whisper');
  t.ok(snap.streams.some((s) => s.tag === 'agent'), 'the agent stream (mixed) is anchored');
  const agentStreamA = lastStream(c, 'agent')!;

  await a.close(); // like kill -9: A's sockets are gone, the phones keep sending
  c.peers.agent.clear();
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const results = await takeOver(depsOf(b.daemon, 'B'), [snap], { fromNode: 'A' });
  t.equal(results.length, 1);
  t.ok(results[0]!.ok, `restored: ${JSON.stringify(results[0])}`);
  t.same(results[0]!.failedPorts, [], 'every recorded port was bound again');
  t.equal(results[0]!.sessions, 1, 'the whisper session is back');
  const callB = b.daemon.registry.get('takeover-1')!;
  t.ok(callB, 'B has the call');
  t.equal(callB.sessions.get('sup')?.mode, 'whisper', 'B whispers');
  for (const p of snap.participants) {
    const q = callB.participant(p.tag);
    t.same(q?.legs.map((l) => l.endpoint?.localPort ?? 0), p.legs.map((l) => l.port), `${p.tag}: the same ports`);
  }

  await c.peers.agent.waitPackets(5, 0);
  // The very first packets from B: the agent's stream goes on (same SSRC, sequence forward), never
  // a packet of the customer relayed raw while the call was being rebuilt.
  const agentStreamB = c.peers.agent.received.filter((p) => p.pt === 0)[0]!;
  t.equal(agentStreamB.ssrc, agentStreamA.ssrc, 'the agent stream keeps its SSRC');
  const fwd = (agentStreamB.seq - agentStreamA.seq) & 0xffff;
  t.ok(fwd > 0 && fwd < 3000, `the agent stream's sequence goes forward (+${fwd})`);
  t.ok(c.peers.agent.received.every((p) => p.ssrc === agentStreamA.ssrc), 'every packet the agent got from B is of that stream');

  await collect(c, 30);
  await collect(c, 125);
  const agent = heard(c, 'agent');
  const customer = heard(c, 'customer');
  t.ok(peak(c, 'agent', F_CUSTOMER) > -22, `after: the agent hears the customer (${agent[F_CUSTOMER]!.toFixed(1)})`);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -22, `after: the agent hears the supervisor (${agent[F_SUPERVISOR]!.toFixed(1)})`);
  t.ok(peak(c, 'customer', F_AGENT) > -22, `after: the customer hears the agent (${customer[F_AGENT]!.toFixed(1)})`);
  t.ok(customer[F_SUPERVISOR]! < -12 - 60, `after: the customer does not hear the supervisor (${customer[F_SUPERVISOR]!.toFixed(1)} dBFS, source -12)`);
  t.ok(peak(c, 'supervisor', F_CUSTOMER) > -22 && peak(c, 'supervisor', F_AGENT) > -22, 'after: the supervisor hears both');

  const rec = b.daemon.audit.query({ callId: 'takeover-1' }).find((r) => (r.event as string) === 'takeover');
  t.ok(rec, 'B audited the takeover');
  t.match(rec?.details, { fromNode: 'A', toNode: 'B' });
});

t.test('forked offer with one branch deleted, transcoded answer (PCMU <-> PCMA): restored and relaying both ways', async (t) => {
  const media = { ...randomPortRange() };
  const a: TestDaemon = await startTestDaemon({ media });
  t.teardown(() => a.close());
  const cust = await Phone.open();
  const agent = await Phone.open();
  const other = await Phone.open();
  t.teardown(() => {
    cust.close();
    agent.close();
    other.close();
  });
  const keys = { 'call-id': 'fork-1', 'from-tag': 'cust' };
  const o1 = await a.ng.request({ command: 'offer', ...keys, 'via-branch': 'b.0', sdp: phoneSdp(cust.port, { codecs: ['0'] }), codec: { transcode: ['PCMA'] } });
  const o2 = await a.ng.request({ command: 'offer', ...keys, 'via-branch': 'b.1', sdp: phoneSdp(cust.port, { codecs: ['0'] }), codec: { transcode: ['PCMA'] } });
  t.equal(o1.result, 'ok');
  t.equal(o2.result, 'ok');
  const deletedPort = sdpMediaPort(o2.sdp as string);
  t.equal((await a.ng.request({ command: 'delete', ...keys, 'via-branch': 'b.1', 'delete-delay': 0 })).result, 'ok');
  const ans = await a.ng.request({ command: 'answer', ...keys, 'to-tag': 'agent', 'via-branch': 'b.0', sdp: phoneSdp(agent.port, { codecs: ['8'] }) });
  t.equal(ans.result, 'ok', String(ans['error-reason'] ?? ''));
  const toCust = sdpMediaPort(ans.sdp as string);
  const toAgent = sdpMediaPort(o1.sdp as string);
  const snap = JSON.parse(JSON.stringify(snapshotCall(a.daemon.registry.get('fork-1')!))) as CallSnapshot;
  t.same(snap.signalling.map((e) => e.op), ['offer', 'offer', 'deleteBranch', 'answer']);
  await a.close();
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const [r] = await takeOver(depsOf(b.daemon, 'B'), [snap], { fromNode: 'A' });
  t.ok(r!.ok && r!.failedPorts.length === 0, JSON.stringify(r));
  const callB = b.daemon.registry.get('fork-1')!;
  t.same([...callB.participants.keys()].sort(), ['agent', 'cust'], 'the deleted branch is gone');
  t.notOk(b.daemon.pool.isUsed(deletedPort), "the deleted branch's port is free");
  cust.start(toCust, { codec: 'pcmu', pt: 0, freq: 617, dbfs: -12, ssrc: 1 });
  agent.start(toAgent, { codec: 'pcma', pt: 8, freq: 1019, dbfs: -12, ssrc: 2 });
  await agent.waitPackets(60, 8);
  await cust.waitPackets(60, 0);
  t.ok(peakLevel(agent.decode('pcma', 8).pcm, 8000, 617) > -22, 'the agent (PCMA) hears the customer through B');
  t.ok(peakLevel(cust.decode('pcmu', 0).pcm, 8000, 1019) > -22, 'the customer (PCMU) hears the agent through B');
});
