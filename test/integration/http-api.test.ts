/**
 * The JSON API, /openapi.json, the ng query extender and the supervision metrics, against an
 * in-process daemon over real UDP (ng, RTP) and real HTTP (fetch, node:http for SSE).
 */
import http from 'node:http';
import t from 'tap';
import { registerEventRoutes } from '../../src/control/http/api/events';
import { HttpServer } from '../../src/control/http/HttpServer';
import { openApiDocument, openApiPath } from '../../src/control/http/openapi';
import { wavBytes } from '../../src/prompts/wav';
import { phoneSdp, sdpMediaPort, sleep, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

interface ApiReply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

async function api(td: TestDaemon, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`http://127.0.0.1:${td.httpPort}${path}`, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

interface TwoParty {
  customer: Phone;
  agent: Phone;
  toCustomer: number;
  toAgent: number;
  close(): void;
}

/** A real customer -> agent call set up over ng (offer from 'cust', answer from 'agent'). */
async function twoPartyCall(td: TestDaemon, callId: string): Promise<TwoParty> {
  const customer = await Phone.open();
  const agent = await Phone.open();
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(customer.port, { codecs: ['0', '101'] }) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs: ['0', '101'] }) });
  if (offer.result !== 'ok' || answer.result !== 'ok') {
    customer.close();
    agent.close();
    throw new Error(`call setup failed: ${JSON.stringify({ offer, answer })}`);
  }
  return {
    customer,
    agent,
    toCustomer: sdpMediaPort(answer.sdp as string),
    toAgent: sdpMediaPort(offer.sdp as string),
    close() {
      customer.close();
      agent.close();
    },
  };
}

/** Poll `cond` every 20 ms until it holds; throws naming `what` after timeoutMs. */
async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function supervisorBody(port: number, mode: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tag: 'sup', sdp: phoneSdp(port, { codecs: ['0', '8', '101'] }), mode, agentTag: 'agent', supervisor: 'alice', agent: 'bob', ...extra };
}

t.test('calls: list and detail of a real offer/answer call', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await twoPartyCall(td, 'call-1');
  t.teardown(async () => {
    c.close();
    await td.close();
  });
  c.customer.startTone(c.toCustomer, 617, 0);
  c.agent.startTone(c.toAgent, 1019, 0);
  // each phone hearing the other = whisperd received and counted both streams
  await Promise.all([c.customer.waitPackets(10, 0), c.agent.waitPackets(10, 0)]);

  const list = await api(td, 'GET', '/v1/calls');
  t.equal(list.status, 200);
  t.equal(list.body.calls.length, 1);
  t.match(list.body.calls[0], { callId: 'call-1', participants: 2, supervisors: [] });
  t.ok(!Number.isNaN(Date.parse(list.body.calls[0].created)), 'created is an ISO time');

  const one = await api(td, 'GET', '/v1/calls/call-1');
  t.equal(one.status, 200);
  t.equal(one.body.callId, 'call-1');
  t.equal(one.body.answered, true);
  t.equal(one.body.mixer, null, 'a same-codec two-party call stays on the relay path');
  t.same(one.body.supervision, []);
  const byTag = Object.fromEntries(one.body.participants.map((p: { tag: string }) => [p.tag, p]));
  t.same(Object.keys(byTag).sort(), ['agent', 'cust']);
  for (const tag of ['cust', 'agent']) {
    const p = byTag[tag];
    t.equal(p.role, 'party', `${tag}: no supervisors, role party`);
    t.match(p.codec, { encoding: 'PCMU', clockRate: 8000, payloadType: 0 });
    t.equal(p.output, 'passthrough');
    t.equal(p.jitter, null);
    t.ok(p.media.received.rtp.packets > 0, `${tag}: packets received counted (${p.media.received.rtp.packets})`);
    t.ok(p.media.received.rtp.bytes >= p.media.received.rtp.packets * 172, `${tag}: bytes counted`);
    t.equal(p.media.received.rtp.errors, 0);
  }
  t.equal(byTag.cust.peerTag, 'agent');

  const missing = await api(td, 'GET', '/v1/calls/nope');
  t.equal(missing.status, 404);
  t.same(missing.body, { error: 'Unknown call-id' });
  t.equal((await api(td, 'GET', '/v1/calls?limit=x')).status, 400);
  t.equal((await api(td, 'GET', '/v1/calls?limit=0')).body.calls.length, 0);
  t.equal((await api(td, 'GET', '/v1/nothing')).status, 404);
  t.equal((await api(td, 'PUT', '/v1/calls')).status, 405);
});

t.test('supervisors over HTTP: create with SDP, visible in ng query and GET, mode change, page rules, delete, audit', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await twoPartyCall(td, 'call-2');
  const sup = await Phone.open();
  t.teardown(async () => {
    c.close();
    sup.close();
    await td.close();
  });

  const created = await api(td, 'POST', '/v1/calls/call-2/supervisors', supervisorBody(sup.port, 'whisper'));
  t.equal(created.status, 201, created.text);
  t.equal(created.body.mode, 'whisper');
  t.equal(created.body.tag, 'sup');
  t.match(created.body.sdp, /^m=audio \d+ RTP\/AVP 0/m, 'an SDP answer for the supervisor phone');
  const toSup = sdpMediaPort(created.body.sdp);

  c.customer.startTone(c.toCustomer, 617, 0);
  c.agent.startTone(c.toAgent, 1019, 0);
  sup.startTone(toSup, 1433, 0, -12, 0x5);
  // the mix runs (the agent and the supervisor hear it) and the supervisor's jitter buffer plays out
  await Promise.all([c.agent.waitPackets(30, 0), sup.waitPackets(30, 0)]);
  const ngJitter = async (): Promise<Record<string, number>> => {
    const r = await td.ng.request({ command: 'query', 'call-id': 'call-2' });
    return ((r.tags as Record<string, Record<string, unknown>>).sup!.jitter ?? {}) as Record<string, number>;
  };
  await until(async () => ((await ngJitter()).jitterBufferEmittedCount ?? 0) > 0, 'supervisor audio out of its jitter buffer');
  // 10 packets lost on the way (sequence numbers and timestamps advance), then the first of them arrives 300 ms late
  const j0 = await ngJitter();
  sup.skip(10);
  await sup.until(() => sup.sent > 0, 'the supervisor phone streaming');
  const sentBefore = sup.sent;
  await sup.until(() => sup.sent >= sentBefore + 15, 'the supervisor phone to send 15 more packets after the gap');
  sup.sendLostLate();
  let jLast = j0;
  await until(async () => {
    const j = (jLast = await ngJitter());
    return j.concealmentEvents! > j0.concealmentEvents! && j.packetsDiscarded! > j0.packetsDiscarded! && j.jitterBufferEmittedCount! >= j0.jitterBufferEmittedCount! + 20 * 160;
  }, 'the jitter buffer to conceal the gap, discard the late packet and play on').catch((err: Error) => t.fail(`${err.message}: ${JSON.stringify({ before: j0, now: jLast })}`));

  // ng query carries role, supervision and the supervisor's jitter buffer.
  const q = await td.ng.request({ command: 'query', 'call-id': 'call-2' });
  t.equal(q.result, 'ok');
  const tags = q.tags as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  t.equal(tags.sup!.role, 'supervisor');
  t.equal(tags.agent!.role, 'agent');
  t.equal(tags.cust!.role, 'customer');
  t.match(tags.sup!.supervision, { mode: 'whisper', 'agent-tag': 'agent', 'customer-tag': 'cust', supervisor: 'alice', agent: 'bob', muted: 0, committed: 1 });
  t.same(tags.agent!.supervision, { 'supervised-by': ['sup'] });
  const ngBleed = tags.sup!.supervision.bleed;
  if (ngBleed !== undefined) t.match(ngBleed['level-db'], /^-?\d+\.\d$/, 'ng bleed level is a decimal string (bencode has no floats)');
  const j1 = tags.sup!.jitter as Record<string, number>;
  t.ok(j1, 'the supervisor is decoded through a jitter buffer');
  t.ok(j1.packetsReceived! >= j0.packetsReceived! + 15, `jitter packetsReceived ${j0.packetsReceived} -> ${j1.packetsReceived}`);
  t.ok(j1.concealmentEvents! > j0.concealmentEvents!, `the lost packets were concealed: concealmentEvents ${j0.concealmentEvents} -> ${j1.concealmentEvents}`);
  t.ok(j1.concealedSamples! - j0.concealedSamples! >= 160, `concealedSamples ${j0.concealedSamples} -> ${j1.concealedSamples} (>= one 20 ms frame)`);
  t.ok(j1.packetsDiscarded! > j0.packetsDiscarded!, `the late packet was discarded: packetsDiscarded ${j0.packetsDiscarded} -> ${j1.packetsDiscarded}`);
  t.ok(j1.jitterBufferEmittedCount! > j0.jitterBufferEmittedCount!, 'samples played out since');
  t.ok(j1.jitterBufferDelayMs! > 0 && j1.jitterBufferTargetDelayMs! > 0, `played-out audio was delayed (${j1.jitterBufferDelayMs} ms) towards a target (${j1.jitterBufferTargetDelayMs} ms)`);

  // GET /v1/calls/:callId: roles, mixer output modes, jitter counters, sessions.
  const one = await api(td, 'GET', '/v1/calls/call-2');
  const byTag = Object.fromEntries(one.body.participants.map((p: { tag: string }) => [p.tag, p]));
  t.equal(byTag.sup.role, 'supervisor');
  t.equal(byTag.agent.role, 'agent');
  t.equal(byTag.cust.role, 'customer');
  t.equal(byTag.agent.output, 'mix', 'the agent hears a mix');
  t.equal(byTag.cust.output, 'passthrough', 'the customer hears the agent only');
  t.ok(one.body.mixer.mixRate === 8000);
  t.ok(byTag.agent.media.sent.framesMixed > 0, 'frames mixed for the agent');
  // the same buffer as ng's query, read later: every counter at least what ng showed
  for (const k of ['concealedSamples', 'concealmentEvents', 'insertedSamplesForDeceleration', 'removedSamplesForAcceleration', 'jitterBufferEmittedCount', 'packetsDiscarded']) {
    t.ok(byTag.sup.jitter[k] >= j1[k]!, `jitter.${k} ${byTag.sup.jitter[k]} >= ng's ${j1[k]}`);
  }
  t.ok(byTag.sup.jitter.jitterBufferDelay > 0 && byTag.sup.jitter.jitterBufferTargetDelay > 0, 'jitter-buffer delay and target delay accumulated');
  t.ok(byTag.sup.jitter.jitterBufferEmittedCount > 0, 'supervisor audio left the jitter buffer');
  t.match(one.body.supervision, [{ tag: 'sup', mode: 'whisper', agentTag: 'agent', customerTag: 'cust', supervisor: 'alice', agent: 'bob', muted: false, committed: true }]);
  const bleed = one.body.supervision[0].bleed;
  if (bleed !== undefined) {
    // Present once the bleed monitor has measured: only known fields, typed.
    for (const [k, v] of Object.entries(bleed)) {
      t.ok(['levelDb', 'delayMs', 'confidence', 'evaluations', 'digitalTripped', 'detected'].includes(k), `bleed.${k} is a known field`);
      if (['digitalTripped', 'detected'].includes(k)) t.equal(v, false, `bleed.${k}: no leak in this call`);
      else t.ok(Number.isFinite(v), `bleed.${k} is a finite number (${String(v)})`);
    }
  }
  const list = await api(td, 'GET', '/v1/calls');
  t.match(list.body.calls[0].supervisors, [{ tag: 'sup', mode: 'whisper', agentTag: 'agent', supervisor: 'alice' }]);

  // Mode change, then the page restrictions.
  const barge = await api(td, 'PATCH', '/v1/calls/call-2/supervisors/sup', { mode: 'barge' });
  t.equal(barge.status, 200, barge.text);
  t.same(barge.body, { tag: 'sup', mode: 'barge', aec: { requested: null, active: false } });
  t.equal(((await td.ng.request({ command: 'query', 'call-id': 'call-2' })).tags as any).sup.supervision.mode, 'barge'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const toPage = await api(td, 'PATCH', '/v1/calls/call-2/supervisors/sup', { mode: 'page' });
  t.equal(toPage.status, 409);
  t.same(toPage.body, { error: 'Operation not allowed on a whisper page' });
  const mute = await api(td, 'POST', '/v1/calls/call-2/supervisors/sup/mute', { muted: true });
  t.equal(mute.status, 409, 'mute on a call without a page');
  t.same(mute.body, { error: 'No whisper page on this call' });
  const unknownSup = await api(td, 'PATCH', '/v1/calls/call-2/supervisors/zzz', { mode: 'listen' });
  t.equal(unknownSup.status, 404);

  // Gains and prompts into one ear.
  const gain = await api(td, 'PUT', '/v1/calls/call-2/participants/agent/gains', { source: 'sup', gainDb: -6 });
  t.equal(gain.status, 200, gain.text);
  t.same(gain.body, { tag: 'agent', source: 'sup', gainDb: -6 });
  t.equal((await api(td, 'PUT', '/v1/calls/call-2/participants/agent/gains', { source: 'prompts', gainDb: 3 })).status, 200);
  const gainBadSource = await api(td, 'PUT', '/v1/calls/call-2/participants/agent/gains', { source: 'ghost', gainDb: 0 });
  t.equal(gainBadSource.status, 404);
  t.same(gainBadSource.body, { error: 'Unknown tag' });
  const wav = wavBytes(new Int16Array(8000).fill(1000), 8000).toString('base64');
  const prompt = await api(td, 'POST', '/v1/calls/call-2/participants/agent/prompts', { blobBase64: wav, repeatTimes: 2 });
  t.equal(prompt.status, 201, prompt.text);
  t.equal(prompt.body.durationMs, 2000);
  const stop = await api(td, 'DELETE', '/v1/calls/call-2/participants/agent/prompts');
  t.equal(stop.status, 200);
  t.same(stop.body, { stopped: 1 });
  const badWav = await api(td, 'POST', '/v1/calls/call-2/participants/agent/prompts', { blobBase64: Buffer.from('not a wav').toString('base64') });
  t.equal(badWav.status, 400);
  t.match(badWav.body.error, /^Unsupported audio file/);

  // Delete, and the audit trail of it all.
  const del = await api(td, 'DELETE', '/v1/calls/call-2/supervisors/sup');
  t.equal(del.status, 204);
  t.equal(del.text, '');
  const again = await api(td, 'DELETE', '/v1/calls/call-2/supervisors/sup');
  t.equal(again.status, 404);
  t.same(again.body, { error: "Call-ID not found or tags didn't match" });
  t.same((await api(td, 'GET', '/v1/calls/call-2')).body.supervision, []);
  t.equal(((await td.ng.request({ command: 'query', 'call-id': 'call-2' })).tags as any).agent.role, 'party', 'no supervisors: party again'); // eslint-disable-line @typescript-eslint/no-explicit-any

  const audit = await api(td, 'GET', '/v1/audit?callId=call-2');
  t.equal(audit.status, 200);
  t.same(
    audit.body.records.filter((r: { event: string }) => r.event !== 'prompt').map((r: { event: string; source: string; newMode: string | null }) => [r.event, r.source, r.newMode]),
    [
      ['start', 'http', 'whisper'],
      ['mode', 'http', 'barge'],
      ['stop', 'http', null],
    ],
  );
  t.same((await api(td, 'GET', '/v1/audit?event=mode')).body.records.map((r: { oldMode: string }) => r.oldMode), ['whisper']);
  t.equal((await api(td, 'GET', '/v1/audit?limit=1')).body.records[0].event, 'stop', 'limit keeps the newest');
  t.equal((await api(td, 'GET', '/v1/audit?callId=other')).body.records.length, 0);
  t.equal((await api(td, 'GET', `/v1/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.records.length, 0);
  const badLimit = await api(td, 'GET', '/v1/audit?limit=abc');
  t.equal(badLimit.status, 400);
  t.same(badLimit.body, { error: 'limit must be a non-negative integer' });
  t.equal((await api(td, 'GET', '/v1/audit?event=bogus')).status, 400);
  t.equal((await api(td, 'GET', '/v1/audit?since=yesterday')).status, 400);
});

t.test('whisper page over HTTP: mute by the agent tag, conference refusal', async (t) => {
  const td = await startTestDaemon({ supervision: { pageTone: false } });
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await twoPartyCall(td, 'call-3');
  const sup = await Phone.open();
  const sup2 = await Phone.open();
  t.teardown(async () => {
    c.close();
    sup.close();
    sup2.close();
    await td.close();
  });
  const page = await api(td, 'POST', '/v1/calls/call-3/supervisors', supervisorBody(sup.port, 'page'));
  t.equal(page.status, 201, page.text);
  const m1 = await api(td, 'POST', '/v1/calls/call-3/supervisors/agent/mute', { muted: 'toggle' });
  t.equal(m1.status, 200, m1.text);
  t.same(m1.body, { tag: 'sup', agentTag: 'agent', muted: true });
  const m2 = await api(td, 'POST', '/v1/calls/call-3/supervisors/sup/mute', { muted: false });
  t.same(m2.body, { tag: 'sup', agentTag: 'agent', muted: false });
  const m3 = await api(td, 'POST', '/v1/calls/call-3/supervisors/sup/mute', { muted: 'yes' });
  t.equal(m3.status, 400);
  t.match(m3.body.error, /^muted: /);
  const prompt = await api(td, 'POST', '/v1/calls/call-3/participants/sup/prompts', { blobBase64: wavBytes(new Int16Array(800), 8000).toString('base64') });
  t.equal(prompt.status, 409);
  t.same(prompt.body, { error: 'Operation not allowed on a whisper page' });
  const second = await api(td, 'POST', '/v1/calls/call-3/supervisors', supervisorBody(sup2.port, 'page', { tag: 'sup2' }));
  t.equal(second.status, 409);
  t.same(second.body, { error: 'Target is in a conference' });
  const pageGone = await api(td, 'POST', '/v1/calls/none/supervisors', supervisorBody(sup2.port, 'page', { tag: 'sup2' }));
  t.equal(pageGone.status, 404);
  t.same(pageGone.body, { error: 'No active call for target' });
});

t.test('errors: statuses, ng texts, body validation naming the field, policy denial', async (t) => {
  const td = await startTestDaemon({
    policy: {
      enabled: true,
      users: { alice: ['supervisors'], bob: ['agents'] },
      initiate: [{ who: 'group:supervisors', modes: ['listen'], on: ['group:agents'] }],
      accept: [{ who: 'group:agents', modes: ['listen'], from: ['group:supervisors'] }],
    },
  });
  const c = await twoPartyCall(td, 'call-4');
  const sup = await Phone.open();
  t.teardown(async () => {
    c.close();
    sup.close();
    await td.close();
  });
  const post = (body: unknown, callId = 'call-4') => api(td, 'POST', `/v1/calls/${callId}/supervisors`, body);
  const cases: Array<[string, unknown, number, string | RegExp]> = [
    ['unknown call', supervisorBody(sup.port, 'listen'), 404, 'Unknown call-id'],
    ['bad mode', supervisorBody(sup.port, 'shout'), 400, 'mode: expected listen, whisper, barge or page'],
    ['missing sdp', { ...supervisorBody(sup.port, 'listen'), sdp: undefined }, 400, /^sdp: /],
    ['missing tag', { ...supervisorBody(sup.port, 'listen'), tag: undefined }, 400, /^tag: /],
    ['empty agentTag', { ...supervisorBody(sup.port, 'listen'), agentTag: '' }, 400, /^agentTag: /],
    ['unknown field', { ...supervisorBody(sup.port, 'listen'), color: 'red' }, 400, 'color: unknown field'],
    ['not an object', [1, 2], 400, /^body: /],
    ['unknown agent', supervisorBody(sup.port, 'listen', { agentTag: 'ghost' }), 404, 'Unknown agent-tag'],
    ['tag clash', supervisorBody(sup.port, 'listen', { tag: 'cust' }), 409, 'from-tag is already a party of this call'],
    ['policy', supervisorBody(sup.port, 'whisper'), 403, 'Not permitted'],
    ['bad SDP', supervisorBody(sup.port, 'listen', { sdp: 'garbage' }), 400, /.+/],
  ];
  for (const [name, body, status, text] of cases) {
    const r = await post(body, name === 'unknown call' ? 'nope' : 'call-4');
    t.equal(r.status, status, `${name}: ${r.text}`);
    if (typeof text === 'string') t.same(r.body, { error: text }, name);
    else t.match(r.body.error, text, name);
  }
  const noBody = await api(td, 'POST', '/v1/calls/call-4/supervisors');
  t.equal(noBody.status, 400);
  t.same(noBody.body, { error: 'body: a JSON object is required' });
  const badJson = await api(td, 'POST', '/v1/calls/call-4/supervisors', '{"tag":');
  t.equal(badJson.status, 400);
  t.same(badJson.body, { error: 'Request body is not valid JSON' });

  // A permitted start, then a denied mode change.
  t.equal((await post(supervisorBody(sup.port, 'listen'))).status, 201);
  const denied = await api(td, 'PATCH', '/v1/calls/call-4/supervisors/sup', { mode: 'whisper' });
  t.equal(denied.status, 403);
  t.same(denied.body, { error: 'Not permitted' });
  t.equal((await api(td, 'GET', '/v1/audit?event=denied')).body.records.length, 2, 'both denials audited');
  t.same((await api(td, 'PATCH', '/v1/calls/call-4/supervisors/sup', {})).body, { error: 'body: expected mode and/or aec' });

  const gainRange = await api(td, 'PUT', '/v1/calls/call-4/participants/agent/gains', { source: 'cust', gainDb: 20 });
  t.equal(gainRange.status, 400);
  t.same(gainRange.body, { error: 'gainDb: expected a number of dB from -60 to 12' });
  const gainType = await api(td, 'PUT', '/v1/calls/call-4/participants/agent/gains', { source: 'cust', gainDb: '3' });
  t.match(gainType.body, { error: /^gainDb: / });
  const gainTag = await api(td, 'PUT', '/v1/calls/call-4/participants/ghost/gains', { source: 'cust', gainDb: 0 });
  t.equal(gainTag.status, 404);
  t.same(gainTag.body, { error: 'Unknown tag' });
  const neither = await api(td, 'POST', '/v1/calls/call-4/participants/agent/prompts', {});
  t.equal(neither.status, 400);
  t.same(neither.body, { error: 'file: exactly one of file or blobBase64 is required' });
  const both = await api(td, 'POST', '/v1/calls/call-4/participants/agent/prompts', { file: '/x.wav', blobBase64: 'AAAA' });
  t.equal(both.status, 400);
  const repeat = await api(td, 'POST', '/v1/calls/call-4/participants/agent/prompts', { file: '/x.wav', repeatTimes: 0 });
  t.match(repeat.body, { error: /^repeatTimes: / });
  const promptCall = await api(td, 'DELETE', '/v1/calls/nope/participants/agent/prompts');
  t.equal(promptCall.status, 404);
  t.same(promptCall.body, { error: 'Unknown call-id' });
  const delCall = await api(td, 'DELETE', '/v1/calls/nope/supervisors/sup');
  t.same(delCall.body, { error: 'Unknown call-id' });
});

t.test('auth: with http.token every route but /healthz needs the bearer token', async (t) => {
  const td = await startTestDaemon({ http: { token: 'secret' } });
  t.teardown(() => td.close());
  for (const path of ['/v1/calls', '/v1/audit', '/openapi.json', '/metrics']) {
    const none = await api(td, 'GET', path);
    t.equal(none.status, 401, `${path} without a token`);
    t.same(none.body, { error: 'Unauthorized' });
    t.equal((await api(td, 'GET', path, undefined, { authorization: 'Bearer wrong' })).status, 401, `${path} with a wrong token`);
    t.equal((await api(td, 'GET', path, undefined, { authorization: 'Bearer secret' })).status, 200, `${path} with the token`);
  }
  t.equal((await api(td, 'POST', '/v1/calls/x/supervisors', {})).status, 401, 'auth is checked before the body');
  t.equal((await api(td, 'GET', '/healthz')).status, 200);
});

/** Minimal SSE reader over node:http: collects parsed events until closed. */
function openEventStream(td: TestDaemon, path = '/v1/events'): Promise<{ events: Array<{ event: string; id: string; data: any }>; comments: string[]; close(): void; waitFor(n: number): Promise<void> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: td.httpPort, path }, (res) => {
      if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
        reject(new Error(`SSE status ${res.statusCode}`));
        return;
      }
      const events: Array<{ event: string; id: string; data: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      const comments: string[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const c = line.indexOf(':');
              fields[line.slice(0, c)] = line.slice(c + 1).trimStart();
            }
          }
          if (fields.event) events.push({ event: fields.event, id: fields.id!, data: JSON.parse(fields.data!) });
        }
      });
      resolve({
        events,
        comments,
        close: () => req.destroy(),
        async waitFor(n: number) {
          const deadline = Date.now() + 5000;
          while (events.length < n) {
            if (Date.now() > deadline) throw new Error(`SSE: got ${events.length} of ${n} events`);
            await sleep(20);
          }
        },
      });
    });
    req.on('error', reject);
  });
}

t.test('events: SSE stream delivers started and mode, filters by call, unsubscribes on close', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await twoPartyCall(td, 'call-5');
  const sup = await Phone.open();
  t.teardown(async () => {
    c.close();
    sup.close();
    await td.close();
  });
  const stream = await openEventStream(td);
  const other = await openEventStream(td, '/v1/events?callId=some-other-call');
  await until(() => td.daemon.events.subscribers >= 2, 'two SSE subscribers');
  t.equal(td.daemon.events.subscribers, 2);
  t.ok(stream.comments.length >= 1, 'an opening comment is sent at once');
  t.equal((await api(td, 'POST', '/v1/calls/call-5/supervisors', supervisorBody(sup.port, 'listen'))).status, 201);
  t.equal((await api(td, 'PATCH', '/v1/calls/call-5/supervisors/sup', { mode: 'whisper' })).status, 200);
  await stream.waitFor(2);
  t.match(stream.events[0], { event: 'started', data: { type: 'started', callId: 'call-5', supervisorTag: 'sup', agentTag: 'agent', mode: 'listen', supervisor: 'alice' } });
  t.match(stream.events[1], { event: 'mode', data: { type: 'mode', callId: 'call-5', supervisorTag: 'sup', oldMode: 'listen', mode: 'whisper' } });
  t.equal(stream.events[0]!.id, String(stream.events[0]!.data.id), 'id: matches the event id');
  t.ok(Number(stream.events[1]!.id) > Number(stream.events[0]!.id));
  t.equal(other.events.length, 0, 'a stream filtered on another call gets nothing');
  stream.close();
  other.close();
  const deadline = Date.now() + 2000;
  while (td.daemon.events.subscribers > 0 && Date.now() < deadline) await sleep(20);
  t.equal(td.daemon.events.subscribers, 0, 'closed streams are unsubscribed');
});

t.test('events: keep-alive comments', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  // The keep-alive interval is 15 s in the daemon; check the route's behaviour with a short one.
  const server = new HttpServer('127.0.0.1', 0, '', td.daemon.log);
  registerEventRoutes(server, { ...apiDepsOf(td), sseKeepAliveMs: 50 });
  await server.start();
  t.teardown(() => server.close());
  const stream = await openEventStream({ ...td, httpPort: server.boundPortNumber });
  await until(() => stream.comments.filter((x) => x === 'keep-alive').length >= 2, 'two keep-alive comments').catch(() => undefined);
  t.ok(stream.comments.filter((x) => x === 'keep-alive').length >= 2, `keep-alives: ${JSON.stringify(stream.comments)}`);
  stream.close();
});

function apiDepsOf(td: TestDaemon) {
  const d = td.daemon;
  return { registry: d.registry, supervision: d.supervision, engine: d.engine, audit: d.audit, events: d.events, promptFiles: d.commands.promptFiles };
}

t.test('/openapi.json describes every registered route', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const r = await api(td, 'GET', '/openapi.json');
  t.equal(r.status, 200);
  t.equal(r.body.openapi, '3.1.0');
  t.same(r.body, JSON.parse(JSON.stringify(openApiDocument)));
  const routes = td.daemon.http.routeTable();
  t.equal(routes.filter((x) => x.path.startsWith('/v1/')).length, 13, 'the /v1 routes are registered');
  for (const route of routes) {
    const op = r.body.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
    t.ok(op, `${route.method} ${route.path} is in the document`);
    if (op && route.path.includes(':')) {
      const names = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name).sort();
      t.same(names, [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]).sort(), `${route.method} ${route.path} path parameters`);
    }
  }
  // And nothing documented that is not served.
  const served = new Set(routes.map((x) => `${x.method.toLowerCase()} ${openApiPath(x.path)}`));
  for (const [path, ops] of Object.entries(r.body.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) t.ok(served.has(`${method} ${path}`), `documented ${method} ${path} is served`);
  }
  const create = r.body.paths['/v1/calls/{callId}/supervisors'].post.requestBody.content['application/json'].schema;
  t.same(create.required.sort(), ['agentTag', 'mode', 'sdp', 'tag']);
  t.same(create.properties.mode.enum, ['listen', 'whisper', 'barge', 'page']);
});

function sample(text: string, series: string): number | undefined {
  const esc = series.replace(/[{}"=.]/g, (c) => `\\${c}`);
  const m = new RegExp(`^${esc} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

t.test('/metrics: supervision, mixer, jitter and opus series after activity', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await twoPartyCall(td, 'call-6');
  const sup = await Phone.open();
  t.teardown(async () => {
    c.close();
    sup.close();
    await td.close();
  });
  const created = await api(td, 'POST', '/v1/calls/call-6/supervisors', supervisorBody(sup.port, 'whisper'));
  t.equal(created.status, 201);
  c.customer.startTone(c.toCustomer, 617, 0);
  c.agent.startTone(c.toAgent, 1019, 0);
  sup.startTone(sdpMediaPort(created.body.sdp), 1433, 0, -12, 0x5);
  await Promise.all([c.agent.waitPackets(30, 0), sup.waitPackets(30, 0)]);
  await api(td, 'PATCH', '/v1/calls/call-6/supervisors/sup', { mode: 'barge' });
  const metrics = async (): Promise<string> => (await api(td, 'GET', '/metrics')).text;
  const m0 = await metrics();

  // The customer (the agent's primary talker) goes silent: the agent's mix now comes from its output's own clock.
  c.customer.stop();
  c.agent.clear();
  await c.agent.waitPackets(25, 0);
  // The event loop stalls for 100 ms: the mix clock runs late.
  const stallUntil = performance.now() + 100;
  while (performance.now() < stallUntil) {
    /* busy: nothing else runs */
  }
  // The supervisor loses 10 packets, then the first of them arrives 300 ms late.
  sup.skip(10);
  const sentBefore = sup.sent;
  await sup.until(() => sup.sent >= sentBefore + 15, 'the supervisor phone to send 15 packets after the gap');
  sup.sendLostLate();
  await until(async () => {
    const m = await metrics();
    return sample(m, 'whisperd_jitter_packets_discarded_total')! > sample(m0, 'whisperd_jitter_packets_discarded_total')! && sample(m, 'whisperd_jitter_packets_lost_total')! >= sample(m0, 'whisperd_jitter_packets_lost_total')! + 9;
  }, 'the jitter metrics to count the loss and the late packet').catch(() => undefined);

  const m1 = await metrics();
  t.equal(sample(m1, 'whisperd_supervision_sessions{mode="barge"}'), 1);
  t.equal(sample(m1, 'whisperd_supervision_sessions{mode="whisper"}'), 0);
  t.equal(sample(m1, 'whisperd_supervision_events_total{type="started"}'), 1);
  t.equal(sample(m1, 'whisperd_supervision_events_total{type="mode"}'), 1);
  t.equal(sample(m1, 'whisperd_audit_records_total{event="start"}'), 1);
  t.equal(sample(m1, 'whisperd_audit_records_total{event="mode"}'), 1);
  t.equal(sample(m1, 'whisperd_failsafe_total'), 0);
  t.equal(sample(m1, 'whisperd_mixers'), 1);
  const mixed1 = sample(m1, 'whisperd_mixer_frames_total{kind="mixed"}')!;
  t.ok(mixed1 > 0, `frames mixed ${mixed1}`);
  const delta = (series: string): number => sample(m1, series)! - sample(m0, series)!;
  t.ok(delta('whisperd_mixer_frames_total{kind="timer"}') >= 20, `with the customer silent the agent's frames come from the output clock: timer frames +${delta('whisperd_mixer_frames_total{kind="timer"}')} (agent received 25)`);
  if (td.daemon.engine.mixer(td.daemon.registry.get('call-6')!)!.engine === 'reference') {
    t.ok(delta('whisperd_mixer_late_ticks_total') >= 1, `a 100 ms event-loop stall counts late mix-clock ticks: +${delta('whisperd_mixer_late_ticks_total')}`);
  } else {
    // The native mix ticks on its media thread: the stall of Node's loop makes no mix-clock tick late.
    t.equal(delta('whisperd_mixer_late_ticks_total'), 0, 'native engine: no mix-clock tick on the stalled event loop');
  }
  const received1 = sample(m1, 'whisperd_jitter_packets_received_total')!;
  t.ok(delta('whisperd_jitter_packets_received_total') >= 15, `jitter packets received +${delta('whisperd_jitter_packets_received_total')}`);
  t.ok(delta('whisperd_jitter_emitted_samples_total') > 0, 'the supervisor\'s jitter buffer played out');
  t.ok(delta('whisperd_jitter_packets_lost_total') >= 9, `10 packets lost, 1 of them arrived late (RFC 3550 counts it received): whisperd_jitter_packets_lost_total +${delta('whisperd_jitter_packets_lost_total')}`);
  t.ok(delta('whisperd_jitter_concealment_events_total') >= 1, `the loss was concealed: concealment events +${delta('whisperd_jitter_concealment_events_total')}`);
  t.ok(delta('whisperd_jitter_concealed_samples_total') >= 160, `concealed samples +${delta('whisperd_jitter_concealed_samples_total')} (>= one 20 ms frame)`);
  t.ok(delta('whisperd_jitter_packets_discarded_total') >= 1, `the packet 300 ms late was discarded: +${delta('whisperd_jitter_packets_discarded_total')}`);
  t.ok(delta('whisperd_jitter_delay_seconds_total') > 0 && delta('whisperd_jitter_target_delay_seconds_total') > 0, 'played-out samples accumulate jitter-buffer delay and target delay');
  for (const s of ['inserted_samples_for_deceleration_total', 'removed_samples_for_acceleration_total']) {
    // time-stretching depends on timing; the counters only ever grow
    t.ok(delta(`whisperd_jitter_${s}`) >= 0, `whisperd_jitter_${s} did not go back`);
  }
  t.match(m1, /^whisperd_opus_backend\{backend="(native|opusscript)"\} 1$/m);

  // Counters stay monotonic when the call (and its mixer) goes away.
  await td.ng.request({ command: 'delete', 'call-id': 'call-6', 'from-tag': 'cust' });
  const m2 = await metrics();
  t.equal(sample(m2, 'whisperd_mixers'), 0);
  t.equal(sample(m2, 'whisperd_supervision_sessions{mode="barge"}'), 0);
  t.equal(sample(m2, 'whisperd_supervision_events_total{type="stopped"}'), 1);
  t.ok(sample(m2, 'whisperd_mixer_frames_total{kind="mixed"}')! >= mixed1, 'frames counter did not go back');
  t.ok(sample(m2, 'whisperd_jitter_packets_received_total')! >= received1, 'jitter counter did not go back');
});
