import t from 'tap';
import { phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { wavBytes } from '../../src/prompts/wav';
import { waitFor } from '../fixtures/phone';
import {
  attachSupervisor,
  closeAll,
  collect,
  eventuallyHears,
  fmt,
  F_AGENT,
  heard,
  peak,
  SSRC,
  twoPartyCall,
  type SupervisedCall,
} from '../fixtures/supervisedCall';

/**
 * Whisper page: the connect tone (PAGE_TONE, 880 Hz) reaches the initiator and the agent only; the
 * agent's mute (RFC 4733 '#' from the agent's phone, and the HTTP API) silences the agent towards the
 * customer while the initiator still hears the agent; the page restrictions and their error texts.
 */
const F_PAGE = 880;

async function pageCall(td: TestDaemon, callId: string): Promise<SupervisedCall> {
  const { peers, to } = await twoPartyCall(td, callId);
  // Everyone streams digital silence from before the page connects, so the connect tone is captured.
  peers.customer.start(to.customer!, { codec: 'pcmu', pt: 0, freq: 0, ssrc: SSRC.customer });
  peers.agent.start(to.agent!, { codec: 'pcmu', pt: 0, freq: 0, ssrc: SSRC.agent, dtmfPt: 101 });
  await peers.agent.waitPackets(10, 0);
  const sup = await attachSupervisor(td, callId, 'page', peers.supervisor.port);
  if (sup.result !== 'ok') {
    closeAll({ peers });
    throw new Error(`page failed: ${JSON.stringify(sup)}`);
  }
  const c: SupervisedCall = { callId, peers, to: { customer: to.customer!, agent: to.agent!, supervisor: sdpMediaPort(sup.sdp as string) }, supervise: sup };
  peers.supervisor.start(c.to.supervisor, { codec: 'pcmu', pt: 0, freq: 0, ssrc: SSRC.supervisor });
  return c;
}

async function api(td: TestDaemon, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const init: RequestInit = { method, headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`http://127.0.0.1:${td.httpPort}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

t.test('page: connect tone to initiator and agent only; agent mute by DTMF # and by HTTP', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await pageCall(td, 'pg');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  // The tone is 250 ms long and starts at once: look at everything received since the page connected.
  await c.peers.agent.waitPackets(60, 0);
  await c.peers.supervisor.waitPackets(40, 0);
  await c.peers.customer.waitPackets(60, 0);
  const atAgent = peak(c, 'agent', F_PAGE, 200);
  const atSup = peak(c, 'supervisor', F_PAGE, 200);
  const atCust = heard(c, 'customer', 100000, [F_PAGE]);
  t.ok(atAgent > -22, `agent hears the connect tone (${atAgent.toFixed(1)} dBFS)`);
  t.ok(atSup > -22, `initiator hears the connect tone (${atSup.toFixed(1)} dBFS)`);
  t.ok(atCust[F_PAGE]! < -102, `customer does not hear the connect tone (${atCust[F_PAGE]!.toFixed(1)} dBFS)`);

  // The agent talks; customer and initiator hear it.
  c.peers.agent.setTone(F_AGENT, -12);
  await collect(c, 25);
  let l = await eventuallyHears(c, 'customer', [F_AGENT]);
  t.ok(l[F_AGENT]! > -22, `unmuted: customer hears the agent (${fmt(l)})`);

  const call = td.daemon.registry.get('pg')!;
  const muted = () => td.daemon.supervision.session(call, 'sup')!.muted;

  // Mute by the agent's '#' key (RFC 4733 from the agent's phone).
  await c.peers.agent.sendDtmf('#');
  await waitFor(() => muted(), 'mute by DTMF');
  t.pass('agent # mutes the page');
  await collect(c, 25);
  await collect(c, 60);
  l = heard(c, 'customer', 1000);
  t.ok(l[F_AGENT]! < -102, `muted: customer hears silence from the agent (${l[F_AGENT]!.toFixed(1)} dBFS)`);
  l = await eventuallyHears(c, 'supervisor', [F_AGENT]);
  t.ok(l[F_AGENT]! > -22, `muted: the initiator still hears the agent (${fmt(l)})`);

  await c.peers.agent.sendDtmf('#');
  await waitFor(() => !muted(), 'unmute by DTMF');
  await collect(c, 25);
  l = await eventuallyHears(c, 'customer', [F_AGENT]);
  t.ok(l[F_AGENT]! > -22, `unmuted again by #: customer hears the agent (${fmt(l)})`);
  const mutes = td.daemon.audit.query({ callId: 'pg', event: 'mute' });
  t.same(mutes.map((r) => [r.source, r.reason]), [['dtmf', 'muted'], ['dtmf', 'unmuted']], 'both DTMF mute toggles audited with source dtmf');

  // Mute over the HTTP API (the agent's tag is accepted too).
  let r = await api(td, 'POST', '/v1/calls/pg/supervisors/sup/mute', { muted: true });
  t.equal(r.status, 200, `HTTP mute: ${JSON.stringify(r.body)}`);
  t.equal(r.body?.muted, true);
  await collect(c, 25);
  await collect(c, 60);
  l = heard(c, 'customer', 1000);
  t.ok(l[F_AGENT]! < -102, `HTTP muted: customer hears silence from the agent (${l[F_AGENT]!.toFixed(1)} dBFS)`);
  l = await eventuallyHears(c, 'supervisor', [F_AGENT]);
  t.ok(l[F_AGENT]! > -22, `HTTP muted: the initiator still hears the agent (${fmt(l)})`);
  r = await api(td, 'POST', '/v1/calls/pg/supervisors/agent/mute', { muted: false });
  t.equal(r.status, 200, `HTTP unmute by the agent's tag: ${JSON.stringify(r.body)}`);
  await collect(c, 25);
  l = await eventuallyHears(c, 'customer', [F_AGENT]);
  t.ok(l[F_AGENT]! > -22, `HTTP unmuted: customer hears the agent (${fmt(l)})`);
});

t.test('page restrictions use the documented error texts', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const e = (reason: string) => ({ result: 'error', 'error-reason': reason });
  const offer = async (id: string, port: number) => {
    await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'cust', sdp: phoneSdp(port) });
    await td.ng.request({ command: 'answer', 'call-id': id, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(port + 2) });
  };
  await offer('p1', 4000);
  const page = await td.ng.request({ command: 'supervise', 'call-id': 'p1', 'from-tag': 'sup', supervise: 'page', 'agent-tag': 'agent', sdp: phoneSdp(4010) });
  t.equal(page.result, 'ok', 'page connected');
  for (const mode of ['listen', 'whisper', 'barge']) {
    t.same(await td.ng.request({ command: 'supervise', 'call-id': 'p1', 'from-tag': 'sup', mode }), e('Operation not allowed on a whisper page'), `no mode change to ${mode} on a page`);
  }
  const blob = wavBytes(new Int16Array(800), 8000).toString('latin1'); // bencode byte string
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'p1', 'from-tag': 'sup', blob }), e('Operation not allowed on a whisper page'), 'no prompt into the page participant');
  t.same(td.daemon.audit.query({ callId: 'p1' }).map((x) => x.event), ['start'], 'refused operations leave no audit record');

  t.same(await td.ng.request({ command: 'supervise', 'call-id': 'nope', 'from-tag': 's', supervise: 'page', 'agent-tag': 'agent', sdp: phoneSdp(4020) }), e('No active call for target'), 'page to an unknown call');

  await offer('p2', 4030);
  const barge = await td.ng.request({ command: 'supervise', 'call-id': 'p2', 'from-tag': 'b', supervise: 'barge', 'agent-tag': 'agent', sdp: phoneSdp(4040) });
  t.equal(barge.result, 'ok', 'a supervisor barges in (3 talking parties)');
  t.same(await td.ng.request({ command: 'supervise', 'call-id': 'p2', 'from-tag': 's', supervise: 'page', 'agent-tag': 'agent', sdp: phoneSdp(4050) }), e('Target is in a conference'), 'page to a conference');
  const listen = await td.ng.request({ command: 'supervise', 'call-id': 'p2', 'from-tag': 'b', mode: 'listen' });
  t.equal(listen.result, 'ok');
  const page2 = await td.ng.request({ command: 'supervise', 'call-id': 'p2', 'from-tag': 's', supervise: 'page', 'agent-tag': 'agent', sdp: phoneSdp(4050) });
  t.equal(page2.result, 'ok', 'once the barger only listens, the page is allowed');
});
