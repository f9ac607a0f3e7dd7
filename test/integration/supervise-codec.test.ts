import t from 'tap';
import type { SupervisionEvent } from '../../src/supervision/EventBus';
import { phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone, sdpWith } from '../fixtures/phone';

/**
 * Issue 9 §2, no silent whisper: on a call whose codec whisperd cannot decode/encode (G.723.1, PT 4:
 * no codec library for it is linked; issue 11 made G.723.1 and GSM mixable, see supervise-codecs.test.ts),
 * every supervise mode (each needs a mix) is refused over ng and HTTP with "Cannot mix codec G723",
 * audited as a denial ('denied' record and event); no supervisor participant, mixer or port is left,
 * and the agent keeps receiving the customer's packets untouched. The same for a supervisor phone that
 * offers only such a codec, and for a mode change after a re-INVITE moved the call to G.723.1.
 */

interface G723Call {
  customer: Phone;
  agent: Phone;
  toCustomer: number;
  toAgent: number;
}

async function call(td: TestDaemon, callId: string, codecs: string[]): Promise<G723Call> {
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
): Promise<{ td: TestDaemon; c: G723Call }> {
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

t.test('G.723.1 call: every supervise mode is refused, audited, and changes nothing', async (t) => {
  const { td, c } = await daemonWithCall(t, 'g723', ['4', '101']);
  const d = td.daemon;
  const events: SupervisionEvent[] = [];
  d.events.subscribe((e) => events.push(e));
  const freeBefore = d.pool.free;
  const g = d.registry.get('g723')!;

  for (const mode of ['whisper', 'barge', 'page', 'listen']) {
    const r = await supervise(td, 'g723', mode, ['0', '101']);
    t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec G723' }, `ng ${mode}: refused, naming the codec`);
  }
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/v1/calls/g723/supervisors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tag: 'sup2', sdp: phoneSdp(41000, { codecs: ['0', '101'] }), mode: 'whisper', agentTag: 'agent' }),
  });
  t.equal(res.status, 422, 'HTTP: 422');
  t.equal(((await res.json()) as { error: string }).error, 'Cannot mix codec G723', 'HTTP: same error text');

  const denied = d.audit.query({ callId: 'g723', event: 'denied' });
  t.same(denied.map((x) => [x.newMode, x.reason]), [
    ['whisper', 'Cannot mix codec G723'], ['barge', 'Cannot mix codec G723'], ['page', 'Cannot mix codec G723'],
    ['listen', 'Cannot mix codec G723'], ['whisper', 'Cannot mix codec G723'],
  ], 'each refusal audited as a denial');
  t.equal(d.audit.query({ callId: 'g723', event: 'start' }).length, 0, 'no start record');
  t.same(events.map((e) => [e.type, e.reason]), Array(5).fill(['denied', 'Cannot mix codec G723']), "each published as a 'denied' event");
  t.same([...g.participants.keys()].sort(), ['agent', 'cust'], 'no supervisor participant');
  t.equal(d.engine.mixerCount, 0, 'no mixer');
  t.equal(d.pool.free, freeBefore, 'no port held');

  // The agent's path is untouched: the customer's G.723.1 packets arrive byte for byte.
  const sent: Buffer[] = [];
  for (let i = 0; i < 20; i++) {
    const b = Buffer.alloc(12 + 160, 0x40 + i);
    b[0] = 0x80;
    b[1] = 4;
    b.writeUInt16BE(1000 + i, 2);
    b.writeUInt32BE(160 * i, 4);
    b.writeUInt32BE(0x723723, 8);
    sent.push(b);
    c.customer.send(c.toCustomer, b);
  }
  await c.agent.waitDatagrams(20);
  t.same(c.agent.datagrams.map((b) => b.toString('hex')), sent.map((b) => b.toString('hex')), 'the agent receives the customer packets unchanged');
});

t.test("a supervisor phone offering only G.723.1 is refused and audited", async (t) => {
  const { td } = await daemonWithCall(t, 'supg723', ['0', '101']);
  const d = td.daemon;
  const freeBefore = d.pool.free;
  const r = await supervise(td, 'supg723', 'whisper', ['4', '101']);
  t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec G723' }, 'refused, naming the codec');
  t.same(d.audit.query({ callId: 'supg723', event: 'denied' }).map((x) => x.reason), ['Cannot mix codec G723'], 'audited as a denial');
  t.same([...d.registry.get('supg723')!.participants.keys()].sort(), ['agent', 'cust'], 'no supervisor participant');
  t.equal(d.engine.mixerCount, 0, 'no mixer');
  t.equal(d.pool.free, freeBefore, 'no port held');
});

t.test('a mode change after a re-INVITE to G.723.1 is refused and audited', async (t) => {
  const { td, c } = await daemonWithCall(t, 'reg723', ['0', '101']);
  const d = td.daemon;
  const ok = await supervise(td, 'reg723', 'listen', ['0', '101']);
  t.equal(ok.result, 'ok', 'listen on the PCMU call');
  const o = await td.ng.request({ command: 'offer', 'call-id': 'reg723', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(c.customer.port, { codecs: ['4', '101'], id: 1001 }) });
  const a = await td.ng.request({ command: 'answer', 'call-id': 'reg723', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(c.agent.port, { codecs: ['4', '101'], id: 1002 }) });
  t.same([o.result, a.result], ['ok', 'ok'], 're-INVITE to G.723.1');
  const r = await supervise(td, 'reg723', 'whisper', null);
  t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec G723' }, 'mode change refused, naming the codec');
  t.equal(d.supervision.session(d.registry.get('reg723')!, 'sup')?.mode, 'listen', 'mode unchanged');
  t.same(d.audit.query({ callId: 'reg723', event: 'denied' }).map((x) => [x.oldMode, x.newMode, x.reason]), [['listen', 'whisper', 'Cannot mix codec G723']], 'audited as a denial');
});

t.test('an iLBC call is refused: Debian has no iLBC library (issue 11)', async (t) => {
  const td = await startTestDaemon();
  const customer = await Phone.open();
  const agent = await Phone.open();
  t.teardown(async () => {
    customer.close();
    agent.close();
    await td.close();
  });
  const ilbc = [{ pt: 97, rtpmap: 'iLBC/8000', fmtp: 'mode=30' }, { pt: 101, rtpmap: 'telephone-event/8000', fmtp: '0-15' }];
  const o = await td.ng.request({ command: 'offer', 'call-id': 'ilbc', 'from-tag': 'cust', sdp: sdpWith(customer.port, ilbc) });
  const a = await td.ng.request({ command: 'answer', 'call-id': 'ilbc', 'from-tag': 'cust', 'to-tag': 'agent', sdp: sdpWith(agent.port, ilbc) });
  t.same([o.result, a.result], ['ok', 'ok'], 'the call itself is relayed');
  const r = await supervise(td, 'ilbc', 'whisper', ['0', '101']);
  t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec iLBC' }, 'whisper refused, naming the codec');
  t.equal(td.daemon.engine.mixerCount, 0, 'no mixer');
});

t.test('an AMR call with CRC (fmtp crc=1) is refused: whisperd codes RFC 4867 without CRC, interleaving or robust sorting', async (t) => {
  const td = await startTestDaemon();
  const customer = await Phone.open();
  const agent = await Phone.open();
  t.teardown(async () => {
    customer.close();
    agent.close();
    await td.close();
  });
  const amr = [{ pt: 96, rtpmap: 'AMR/8000', fmtp: 'octet-align=1; crc=1' }, { pt: 101, rtpmap: 'telephone-event/8000', fmtp: '0-15' }];
  const o = await td.ng.request({ command: 'offer', 'call-id': 'amrcrc', 'from-tag': 'cust', sdp: sdpWith(customer.port, amr) });
  const a = await td.ng.request({ command: 'answer', 'call-id': 'amrcrc', 'from-tag': 'cust', 'to-tag': 'agent', sdp: sdpWith(agent.port, amr) });
  t.same([o.result, a.result], ['ok', 'ok'], 'the call itself is relayed');
  const r = await supervise(td, 'amrcrc', 'whisper', ['0', '101']);
  t.same(r, { result: 'error', 'error-reason': 'Cannot mix codec AMR' }, 'whisper refused, naming the codec');
  t.equal(td.daemon.engine.mixerCount, 0, 'no mixer');
});
