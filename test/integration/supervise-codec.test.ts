import t from 'tap';
import type { SupervisionEvent } from '../../src/supervision/EventBus';
import { phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

/**
 * Issue 9 §2, no silent whisper: on a call whose codec whisperd cannot decode/encode (G.722, PT 9),
 * every supervise mode (each needs a mix) is refused over ng and HTTP with "Cannot mix codec G722",
 * audited as a denial ('denied' record and event); no supervisor participant, mixer or port is left,
 * and the agent keeps receiving the customer's packets untouched. The same for a supervisor phone that
 * offers only such a codec, and for a mode change after a re-INVITE moved the call to G.722.
 */

interface G722Call {
  customer: Phone;
  agent: Phone;
  toCustomer: number;
  toAgent: number;
}

async function call(td: TestDaemon, callId: string, codecs: string[]): Promise<G722Call> {
  const customer = await Phone.open();
  const agent = await Phone.open();
  const o = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(customer.port, { codecs }) });
  const a = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs }) });
  if (o.result !== 'ok' || a.result !== 'ok') throw new Error(`setup failed ${JSON.stringify([o, a])}`);
  return { customer, agent, toCustomer: sdpMediaPort(a.sdp as string), toAgent: sdpMediaPort(o.sdp as string) };
}

/** A fresh daemon with call() on it; both closed at teardown. */
async function daemonWithCall(
  t: { teardown(fn: () => Promise<void>): void },
  callId: string,
  codecs: string[],
): Promise<{ td: TestDaemon; c: G722Call }> {
  const td = await startTestDaemon();
  const c = await call(td, callId, codecs);
  t.teardown(async () => {
    c.customer.close();
    c.agent.close();
    await td.close();
  });
  return { td, c };
}

function supervise(td: TestDaemon, callId: string, mode: string, supCodecs: string[] | null, tag = 'sup') {
  return td.ng.request({
    command: 'supervise', 'call-id': callId, 'from-tag': tag, supervise: mode, 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob',
    ...(supCodecs ? { sdp: phoneSdp(41000, { codecs: supCodecs, id: 3000 }) } : {}),
  });
}

t.test('G.722 call: every supervise mode is refused, audited, and changes nothing', async (t) => {
  const { td, c } = await daemonWithCall(t, 'g722', ['9', '101']);
  const d = td.daemon;
  const events: SupervisionEvent[] = [];
  d.events.subscribe((e) => events.push(e));
  const freeBefore = d.pool.free;
  const g = d.registry.get('g722')!;

  for (const mode of ['whisper', 'barge', 'page', 'listen']) {
    const r = await supervise(td, 'g722', mode, ['0', '101']);
    t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec G722' }, `ng ${mode}: refused, naming the codec`);
  }
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/v1/calls/g722/supervisors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tag: 'sup2', sdp: phoneSdp(41000, { codecs: ['0', '101'] }), mode: 'whisper', agentTag: 'agent' }),
  });
  t.equal(res.status, 422, 'HTTP: 422');
  t.equal(((await res.json()) as { error: string }).error, 'Cannot mix codec G722', 'HTTP: same error text');

  const denied = d.audit.query({ callId: 'g722', event: 'denied' });
  t.same(denied.map((x) => [x.newMode, x.reason]), [
    ['whisper', 'Cannot mix codec G722'], ['barge', 'Cannot mix codec G722'], ['page', 'Cannot mix codec G722'],
    ['listen', 'Cannot mix codec G722'], ['whisper', 'Cannot mix codec G722'],
  ], 'each refusal audited as a denial');
  t.equal(d.audit.query({ callId: 'g722', event: 'start' }).length, 0, 'no start record');
  t.same(events.map((e) => [e.type, e.reason]), Array(5).fill(['denied', 'Cannot mix codec G722']), "each published as a 'denied' event");
  t.same([...g.participants.keys()].sort(), ['agent', 'cust'], 'no supervisor participant');
  t.equal(d.engine.mixerCount, 0, 'no mixer');
  t.equal(d.pool.free, freeBefore, 'no port held');

  // The agent's path is untouched: the customer's G.722 packets arrive byte for byte.
  const sent: Buffer[] = [];
  for (let i = 0; i < 20; i++) {
    const b = Buffer.alloc(12 + 160, 0x40 + i);
    b[0] = 0x80;
    b[1] = 9;
    b.writeUInt16BE(1000 + i, 2);
    b.writeUInt32BE(160 * i, 4);
    b.writeUInt32BE(0x722722, 8);
    sent.push(b);
    c.customer.send(c.toCustomer, b);
  }
  await c.agent.waitDatagrams(20);
  t.same(c.agent.datagrams.map((b) => b.toString('hex')), sent.map((b) => b.toString('hex')), 'the agent receives the customer packets unchanged');
});

t.test("a supervisor phone offering only G.722 is refused and audited", async (t) => {
  const { td } = await daemonWithCall(t, 'supg722', ['0', '101']);
  const d = td.daemon;
  const freeBefore = d.pool.free;
  const r = await supervise(td, 'supg722', 'whisper', ['9', '101']);
  t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec G722' }, 'refused, naming the codec');
  t.same(d.audit.query({ callId: 'supg722', event: 'denied' }).map((x) => x.reason), ['Cannot mix codec G722'], 'audited as a denial');
  t.same([...d.registry.get('supg722')!.participants.keys()].sort(), ['agent', 'cust'], 'no supervisor participant');
  t.equal(d.engine.mixerCount, 0, 'no mixer');
  t.equal(d.pool.free, freeBefore, 'no port held');
});

t.test('a mode change after a re-INVITE to G.722 is refused and audited', async (t) => {
  const { td, c } = await daemonWithCall(t, 'reg722', ['0', '101']);
  const d = td.daemon;
  const ok = await supervise(td, 'reg722', 'listen', ['0', '101']);
  t.equal(ok.result, 'ok', 'listen on the PCMU call');
  const o = await td.ng.request({ command: 'offer', 'call-id': 'reg722', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(c.customer.port, { codecs: ['9', '101'], id: 1001 }) });
  const a = await td.ng.request({ command: 'answer', 'call-id': 'reg722', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(c.agent.port, { codecs: ['9', '101'], id: 1002 }) });
  t.same([o.result, a.result], ['ok', 'ok'], 're-INVITE to G.722');
  const r = await supervise(td, 'reg722', 'whisper', null);
  t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec G722' }, 'mode change refused, naming the codec');
  t.equal(d.supervision.session(d.registry.get('reg722')!, 'sup')?.mode, 'listen', 'mode unchanged');
  t.same(d.audit.query({ callId: 'reg722', event: 'denied' }).map((x) => [x.oldMode, x.newMode, x.reason]), [['listen', 'whisper', 'Cannot mix codec G722']], 'audited as a denial');
});
