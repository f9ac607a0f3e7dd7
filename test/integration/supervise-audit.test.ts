import t from 'tap';
import { wavBytes } from '../../src/prompts/wav';
import { tone } from '../fixtures/codec/signal';
import { daemonHttp as http, phoneSdp } from '../fixtures/daemon';
import { readJsonLines } from '../fixtures/supervision/auditFs';
import { attachSupervisor, auditedTwoPartyCall } from '../fixtures/supervisedCall';

/**
 * D4: an action that cannot be audited must not happen. The audit log is a real AuditLog on a real
 * file whose fdatasync starts failing (EIO): `supervise` (ng and HTTP), a mode change, a page mute and
 * a prompt are refused with "Audit log unavailable" (HTTP 503) and leave nothing behind: no supervisor
 * participant, no session, no mixer, every port back in the pool, the mode/mute/prompt state unchanged.
 */

function eio(): never {
  const e = new Error('EIO: i/o error, fdatasync') as NodeJS.ErrnoException;
  e.code = 'EIO';
  throw e;
}

t.test('supervise whose start record cannot be written is rolled back completely', async (t) => {
  const { file, td, spy, c } = await auditedTwoPartyCall(t, 'audit-fail');
  const d = td.daemon;
  const call = d.registry.get('audit-fail')!;
  const freeBefore = d.pool.free;
  t.equal(d.engine.mixerCount, 0, 'a two-party call has no mixer');

  spy.before = eio;
  const r = await attachSupervisor(td, 'audit-fail', 'whisper', c.peers.supervisor.port);
  t.same(r, { result: 'error', 'error-reason': 'Audit log unavailable' }, 'ng: specific error');
  t.same([...call.participants.keys()].sort(), ['agent', 'cust'], 'no supervisor participant left');
  t.equal(d.supervision.sessionsOf(call).length, 0, 'no session left');
  t.equal(d.engine.mixerCount, 0, 'the mixer made for it is gone');
  t.equal(d.pool.free, freeBefore, 'every port back in the pool');
  t.equal(d.supervision.counters.started, 0, 'not counted as started');
  const metrics = await (await fetch(`http://127.0.0.1:${td.httpPort}/metrics`)).text();
  t.match(metrics, /^whisperd_audit_failures_total 1$/m, 'the failed append is counted in /metrics');

  const h = await http(td, 'POST', '/v1/calls/audit-fail/supervisors', {
    tag: 'sup2', sdp: phoneSdp(c.peers.supervisor.port, { codecs: ['0', '101'] }), mode: 'listen', agentTag: 'agent',
  });
  t.equal(h.status, 503, 'HTTP 503');
  t.equal(h.body.error, 'Audit log unavailable', 'HTTP error text');
  t.same([...call.participants.keys()].sort(), ['agent', 'cust'], 'HTTP: no supervisor participant left');
  t.equal(d.engine.mixerCount, 0, 'HTTP: no mixer');
  t.equal(d.pool.free, freeBefore, 'HTTP: every port back in the pool');

  // The log works again: the supervise goes through and is the only start on file.
  spy.before = undefined;
  const ok = await attachSupervisor(td, 'audit-fail', 'whisper', c.peers.supervisor.port);
  t.equal(ok.result, 'ok', 'supervise works once the log does');
  const starts = readJsonLines(file).filter((x) => x.event === 'start');
  t.equal(starts.length, 1, 'exactly one start record on file');
});

t.test('mode change, page mute and prompt are refused and change nothing when the audit fails', async (t) => {
  const { td, spy, c } = await auditedTwoPartyCall(t, 'audit-mode');
  const d = td.daemon;
  const call = d.registry.get('audit-mode')!;
  const ok = await attachSupervisor(td, 'audit-mode', 'listen', c.peers.supervisor.port);
  t.equal(ok.result, 'ok', 'listen started');
  const session = d.supervision.session(call, 'sup')!;

  spy.before = eio;
  const r = await td.ng.request({ command: 'supervise', 'call-id': 'audit-mode', 'from-tag': 'sup', supervise: 'barge' });
  t.same(r, { result: 'error', 'error-reason': 'Audit log unavailable' }, 'ng mode change refused');
  t.equal(session.mode, 'listen', 'mode unchanged');
  const mixer = d.engine.mixer(call)!;
  t.equal(mixer.gain('cust', 'sup'), 0, 'the customer still does not hear the supervisor');
  const h = await http(td, 'PATCH', '/v1/calls/audit-mode/supervisors/sup', { mode: 'whisper' });
  t.equal(h.status, 503, 'HTTP mode change: 503');
  t.equal(h.body.error, 'Audit log unavailable', 'HTTP mode change: error text');
  t.equal(session.mode, 'listen', 'mode still unchanged');

  const blob = wavBytes(tone(8000, 800, 1801, -12), 8000).toString('latin1');
  const pm = await td.ng.request({ command: 'play media', 'call-id': 'audit-mode', 'from-tag': 'agent', blob });
  t.same(pm, { result: 'error', 'error-reason': 'Audit log unavailable' }, 'prompt refused');
  t.equal(mixer.hasPrompts(), false, 'no prompt playing');
  t.equal(d.supervision.counters.modeChanges, 0, 'no mode change counted');

  // Page mute: a page session (started while the log works), then a mute that cannot be audited.
  spy.before = undefined;
  const rm = await td.ng.request({ command: 'delete', 'call-id': 'audit-mode', 'from-tag': 'sup' });
  t.equal(rm.result, 'ok', 'supervisor removed');
  const page = await attachSupervisor(td, 'audit-mode', 'page', c.peers.supervisor.port, 'pager');
  t.equal(page.result, 'ok', 'page started');
  const pageSession = d.supervision.session(call, 'pager')!;
  spy.before = eio;
  const m = await http(td, 'POST', '/v1/calls/audit-mode/supervisors/pager/mute', { muted: true });
  t.equal(m.status, 503, 'mute: 503');
  t.equal(m.body.error, 'Audit log unavailable', 'mute: error text');
  t.equal(pageSession.muted, false, 'page not muted');
});

t.test('a prompt refused for want of audit leaves no mixer on a relay call', async (t) => {
  const { td, spy } = await auditedTwoPartyCall(t, 'audit-prompt');
  spy.before = eio;
  const blob = wavBytes(tone(8000, 800, 1801, -12), 8000).toString('latin1');
  const pm = await td.ng.request({ command: 'play media', 'call-id': 'audit-prompt', 'from-tag': 'agent', blob });
  t.same(pm, { result: 'error', 'error-reason': 'Audit log unavailable' }, 'prompt refused');
  t.equal(td.daemon.engine.mixerCount, 0, 'the call is back on the relay path');
});

t.test("a supervisor's re-offer with a mode change that cannot be audited changes nothing", async (t) => {
  const { td, spy, c } = await auditedTwoPartyCall(t, 'audit-reoffer');
  const d = td.daemon;
  const ok = await attachSupervisor(td, 'audit-reoffer', 'listen', c.peers.supervisor.port);
  t.equal(ok.result, 'ok', 'listen started');
  const call = d.registry.get('audit-reoffer')!;
  const p = call.participant('sup')!;
  const ep = p.legs[0]!.endpoint!;
  const before = { port: ep.remotePort, legs: p.legs.length, free: d.pool.free };
  // The phone moves to another port and adds a second audio line, with a mode change.
  const moved = phoneSdp(c.peers.supervisor.port + 100, { codecs: ['0', '101'], id: 3000 }) + 'm=audio 41600 RTP/AVP 0\r\na=sendrecv\r\n';
  spy.before = eio;
  const r = await td.ng.request({ command: 'supervise', 'call-id': 'audit-reoffer', 'from-tag': 'sup', supervise: 'whisper', sdp: moved });
  t.same(r, { result: 'error', 'error-reason': 'Audit log unavailable' }, 'refused');
  t.equal(d.supervision.session(call, 'sup')!.mode, 'listen', 'mode unchanged');
  t.equal(ep.remotePort, before.port, 'the leg still sends to the old port');
  t.equal(p.legs.length, before.legs, 'no leg added');
  t.equal(d.pool.free, before.free, 'no port held');
});

t.test('HTTP join with aec: one audited start carries it; when that record fails nothing joins, and an aec switch that cannot be audited changes nothing', async (t) => {
  const { file, td, spy, c } = await auditedTwoPartyCall(t, 'audit-aec');
  const d = td.daemon;
  const call = d.registry.get('audit-aec')!;
  const freeBefore = d.pool.free;
  const body = { tag: 'sup', sdp: phoneSdp(c.peers.supervisor.port, { codecs: ['0', '101'] }), mode: 'whisper', agentTag: 'agent', aec: true };

  spy.before = eio;
  const failed = await http(td, 'POST', '/v1/calls/audit-aec/supervisors', body);
  t.equal(failed.status, 503, 'refused with 503');
  t.same([...call.participants.keys()].sort(), ['agent', 'cust'], 'no supervisor joined without its record');
  t.equal(d.pool.free, freeBefore, 'every port back in the pool');

  spy.before = undefined;
  const ok = await http(td, 'POST', '/v1/calls/audit-aec/supervisors', body);
  t.equal(ok.status, 201, 'joined');
  t.match(ok.body, { mode: 'whisper', aec: { requested: true } });
  const recs = readJsonLines(file).filter((x) => x.callId === 'audit-aec');
  t.same(recs.map((x) => [x.event, (x.details as { aec?: boolean } | undefined)?.aec]), [['start', true]], 'one start record, with aec');

  spy.before = eio;
  const sw = await http(td, 'PATCH', '/v1/calls/audit-aec/supervisors/sup', { aec: false });
  t.equal(sw.status, 503, 'aec switch refused');
  t.equal(d.supervision.session(call, 'sup')!.aec, true, 'aec unchanged');
});
