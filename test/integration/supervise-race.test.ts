import t from 'tap';
import { metricSample, phoneSdp, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { tempAuditPath } from '../fixtures/supervision/auditFs';

/**
 * D3: a `delete` racing a `supervise` or a mode change (both wait on the audit fdatasync) must not
 * leak: after 200 races over real ng, no mixer (engine and whisperd_mixers), no session, no call and
 * every port back in the pool. The two commands are sent back to back without waiting for the first
 * reply, so the delete lands while the supervise is inside one of its awaits.
 */

const PEER = 40000; // nobody listens there; no media is needed for the control-plane race

async function twoParty(td: TestDaemon, callId: string): Promise<void> {
  const o = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(PEER, { codecs: ['0', '101'] }) });
  const a = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(PEER + 2, { codecs: ['0', '101'] }) });
  if (o.result !== 'ok' || a.result !== 'ok') throw new Error(`call setup failed: ${JSON.stringify([o, a])}`);
}

/** The delete, sent at once or a little later, so it lands in different awaits of the other command. */
async function deleteAfter(td: TestDaemon, callId: string, ms: number) {
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  return td.ng.request({ command: 'delete', 'call-id': callId, 'from-tag': 'cust' });
}

function supervise(td: TestDaemon, callId: string, mode: string, withSdp: boolean) {
  return td.ng.request({
    command: 'supervise', 'call-id': callId, 'from-tag': 'sup', supervise: mode, 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob',
    ...(withSdp ? { sdp: phoneSdp(PEER + 4, { codecs: ['0', '101'], id: 3000 }) } : {}),
  });
}

async function mixersMetric(td: TestDaemon): Promise<number> {
  const v = await metricSample(td, 'whisperd_mixers');
  if (v === undefined) throw new Error('whisperd_mixers missing from /metrics');
  return v;
}

t.test('200 races of delete vs supervise / mode change leave no mixer, session or port behind', async (t) => {
  const td = await startTestDaemon({ audit: { file: tempAuditPath(t) } });
  t.teardown(() => td.close());
  const d = td.daemon;
  const freeAtStart = d.pool.free;
  const outcomes = new Map<string, number>();
  const count = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  for (let i = 0; i < 200; i++) {
    const callId = `race-${i}`;
    await twoParty(td, callId);
    if (i % 2 === 0) {
      // delete vs a new supervisor (start record fsync)
      const [s, del] = await Promise.all([supervise(td, callId, 'whisper', true), deleteAfter(td, callId, (i >> 1) % 3)]);
      count(`start:${String(s.result === 'ok' ? 'ok' : s['error-reason'])}`);
      if (del.result !== 'ok') t.fail(`delete failed: ${JSON.stringify(del)}`);
    } else {
      // delete vs a mode change (mode record fsync), every other one with a re-offer of the supervisor's phone
      const s0 = await supervise(td, callId, 'listen', true);
      if (s0.result !== 'ok') t.fail(`supervise failed: ${JSON.stringify(s0)}`);
      const [s, del] = await Promise.all([supervise(td, callId, 'barge', i % 4 === 3), deleteAfter(td, callId, (i >> 1) % 3)]);
      count(`mode:${String(s.result === 'ok' ? 'ok' : s['error-reason'])}`);
      if (del.result !== 'ok') t.fail(`delete failed: ${JSON.stringify(del)}`);
    }
  }
  t.comment(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  for (const k of outcomes.keys()) t.match(k, /^(start|mode):(ok|Unknown call-id)$/, `only ok or "Unknown call-id" (${k})`);
  t.ok((outcomes.get('start:Unknown call-id') ?? 0) + (outcomes.get('mode:Unknown call-id') ?? 0) > 0, 'some deletes landed inside the other command');
  t.equal(d.registry.size, 0, 'no call left');
  t.equal(d.engine.mixerCount, 0, 'engine.mixerCount back to 0');
  t.equal(await mixersMetric(td), 0, 'whisperd_mixers back to 0');
  t.equal(d.supervision.allSessions().length, 0, 'no supervision session left');
  t.equal(d.pool.free, freeAtStart, 'every port back in the pool');
});
