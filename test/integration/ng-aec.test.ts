/**
 * ng `aec` on `supervise` (and on an `offer` carrying `supervise`): the session's echo canceller, yes/no
 * like HTTP `aec`. A new session takes it with its start record; a supervisor already in the call
 * switches it with its own 'aec' audit record; the reply carries `aec` when asked, `query` always shows it
 * under the supervisor's `supervision`. Exact replies. Runs on the engine of WHISPERD_MEDIA_ENGINE.
 */
import t from 'tap';
import { phoneSdp, startTestDaemon } from '../fixtures/daemon';
import { closeAll, twoPartyCall } from '../fixtures/supervisedCall';
import type { NgDict } from '../../src/control/ng/bencode';

const withoutSdp = (r: NgDict): NgDict => {
  const { sdp, ...rest } = r;
  return rest;
};

t.test('ng aec: new session, switch, no-op, query, bad value, reply without aec', async (t) => {
  const td = await startTestDaemon({ bleed: { echoCanceller: { enabled: false } } });
  t.teardown(() => td.close());
  const c = await twoPartyCall(td, 'ngaec');
  t.teardown(() => closeAll(c));
  const sup = (extra: NgDict): Promise<NgDict> =>
    td.ng.request({ command: 'supervise', 'call-id': 'ngaec', 'from-tag': 'sup', 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob', ...extra });

  const bad = await sup({ supervise: 'whisper', aec: 'maybe', sdp: phoneSdp(c.peers.supervisor.port, { codecs: ['0', '101'] }) });
  t.same(bad, { result: 'error', 'error-reason': 'Invalid value for key "aec": expected yes or no' }, 'a value that is not yes/no is refused');
  t.equal(td.daemon.registry.get('ngaec')!.participant('sup'), undefined, 'and nothing joined');

  // Kamailio's rtpengine_offer("... supervise=whisper aec=yes"): an offer with the keys as strings.
  const start = await td.ng.request({
    command: 'offer', 'call-id': 'ngaec', 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob', aec: 'yes',
    sdp: phoneSdp(c.peers.supervisor.port, { codecs: ['0', '101'] }),
  });
  t.type(start.sdp, 'string', 'an SDP answer for the supervisor');
  t.same(withoutSdp(start), { result: 'ok', mode: 'whisper', aec: { requested: 1, active: 1 } }, 'new session with aec=yes (config default off)');
  const starts = td.daemon.audit.query({ callId: 'ngaec', event: 'start' });
  t.same(starts.map((r) => [r.source, r.details]), [['ng', { aec: true }]], 'aec rides on the start record');
  t.same(td.daemon.audit.query({ callId: 'ngaec', event: 'aec' }), [], 'no separate aec record for a new session');

  const q = await td.ng.request({ command: 'query', 'call-id': 'ngaec' });
  const tags = q.tags as Record<string, NgDict>;
  t.same((tags.sup!.supervision as NgDict).aec, { requested: 1, active: 1 }, 'query shows it with the session');

  const off = await sup({ supervise: 'whisper', aec: 'no' });
  t.same(off, { result: 'ok', mode: 'whisper', aec: { requested: 0, active: 0 } }, 'existing session switched off');
  const again = await sup({ supervise: 'whisper', aec: 'false' });
  t.same(again, { result: 'ok', mode: 'whisper', aec: { requested: 0, active: 0 } }, 'false = no; unchanged');
  const on = await sup({ supervise: 'whisper', aec: 1 });
  t.same(on, { result: 'ok', mode: 'whisper', aec: { requested: 1, active: 1 } }, 'integer 1 = yes');
  const recs = td.daemon.audit.query({ callId: 'ngaec', event: 'aec' });
  t.same(recs.map((r) => [r.reason, r.source, r.details?.aec, r.newMode]), [['aec off', 'ng', false, 'whisper'], ['aec on', 'ng', true, 'whisper']], 'each switch audited once');

  const listen = await sup({ supervise: 'listen' });
  t.same(listen, { result: 'ok', mode: 'listen' }, 'no aec key asked: the reply is as before');
  const q2 = await td.ng.request({ command: 'query', 'call-id': 'ngaec' });
  t.same(((q2.tags as Record<string, NgDict>).sup!.supervision as NgDict).aec, { requested: 1, active: 0 }, 'listen: requested but not running');
});

t.test('ng aec absent: the config default, query shows no requested', async (t) => {
  const td = await startTestDaemon({ bleed: { echoCanceller: { enabled: true } } });
  t.teardown(() => td.close());
  const c = await twoPartyCall(td, 'ngaec2');
  t.teardown(() => closeAll(c));
  const start = await td.ng.request({
    command: 'supervise', 'call-id': 'ngaec2', 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent',
    sdp: phoneSdp(c.peers.supervisor.port, { codecs: ['0', '101'] }),
  });
  t.same(withoutSdp(start), { result: 'ok', mode: 'whisper' });
  t.same(td.daemon.audit.query({ callId: 'ngaec2', event: 'start' }).map((r) => r.details ?? null), [null], 'start record without aec');
  const q = await td.ng.request({ command: 'query', 'call-id': 'ngaec2' });
  t.same(((q.tags as Record<string, NgDict>).sup!.supervision as NgDict).aec, { active: 1 }, 'config default on: running, nothing requested');
});
