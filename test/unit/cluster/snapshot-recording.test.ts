/**
 * Takeover of a recorded call (issue 14): the lost node's file ends at the kill; the node taking over
 * starts a new file segment for the call (and says so in its takeover audit record).
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import t from 'tap';
import { phoneSdp, randomPortRange, sdpMediaPort, startTestDaemon } from '../../fixtures/daemon';
import { Phone } from '../../fixtures/phone';
import { snapshotCall, type CallSnapshot } from '../../../src/cluster/snapshot';
import { takeOver } from '../../../src/cluster/restore';

t.test('a recorded call goes on recording in a new segment on the node that takes it over', async (t) => {
  const dirA = mkdtempSync(path.join(os.tmpdir(), 'whisperd-takeover-recA-'));
  const dirB = mkdtempSync(path.join(os.tmpdir(), 'whisperd-takeover-recB-'));
  t.teardown(() => {
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media, recording: { dir: dirA } });
  t.teardown(() => a.close());
  const cust = await Phone.open();
  const agent = await Phone.open();
  t.teardown(() => {
    cust.close();
    agent.close();
  });
  const offer = await a.ng.request({ command: 'offer', 'call-id': 'rec-1', 'from-tag': 'cust', sdp: phoneSdp(cust.port, { codecs: ['0'] }), 'record call': 'yes' });
  const answer = await a.ng.request({ command: 'answer', 'call-id': 'rec-1', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs: ['0'] }) });
  t.equal(offer.result, 'ok');
  cust.start(sdpMediaPort(answer.sdp as string), { codec: 'pcmu', pt: 0, freq: 617, dbfs: -12, ssrc: 1 });
  agent.start(sdpMediaPort(offer.sdp as string), { codec: 'pcmu', pt: 0, freq: 1019, dbfs: -12, ssrc: 2 });
  await agent.waitPackets(25, 0);
  const callA = a.daemon.registry.get('rec-1')!;
  const snap = JSON.parse(JSON.stringify(snapshotCall(callA, { recording: a.daemon.recording.recording(callA) !== undefined }))) as CallSnapshot;
  t.equal(snap.recording, true, 'the snapshot says the call is recorded');
  await a.close();
  const b = await startTestDaemon({ media, recording: { dir: dirB } });
  t.teardown(() => b.close());
  const [r] = await takeOver(
    { registry: b.daemon.registry, signalling: b.daemon.commands.signalling, engine: b.daemon.engine, audit: b.daemon.audit, log: b.daemon.log, nodeId: 'B', recording: b.daemon.recording },
    [snap],
    { fromNode: 'A' },
  );
  t.ok(r!.ok);
  const callB = b.daemon.registry.get('rec-1')!;
  t.ok(b.daemon.recording.recording(callB), 'B records the call');
  await agent.waitPackets(50, 0);
  t.ok(readdirSync(dirB).some((n) => n.startsWith('rec-1')), `a new segment in B's directory: ${readdirSync(dirB).join(', ')}`);
  const rec = b.daemon.audit.query({ callId: 'rec-1' }).find((x) => x.event === 'takeover');
  t.match(rec?.details, { recording: 'new segment' });
});
