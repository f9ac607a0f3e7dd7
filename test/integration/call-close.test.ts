import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { waitFor } from '../fixtures/phone';
import { closeAll, collect, daemonWithSupervisedCall, startAll, supervisedCall } from '../fixtures/supervisedCall';

/**
 * One owner per call: closing a Call closes everything it owns, once. A whisper call with media
 * flowing has a mixer (on the mix clock), a bleed monitor and DTMF state; destroying it leaves no
 * mixer, no monitor, no open socket and no port, publishes 'close' once, and a second close is a no-op.
 */
t.test('closing a supervised call closes its mixer, bleed monitor, DTMF state and sockets', async (t) => {
  const td = await startTestDaemon();
  const d = td.daemon;
  const freeAtStart = d.pool.free;
  const c = await supervisedCall(td, 'cc', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c);
  await collect(c, 10);
  await c.peers.supervisor.sendDtmf('4', 4); // listen: gives the supervisor's leg DTMF state
  const call = d.registry.get('cc')!;
  await waitFor(() => call.sessions.get('sup')?.mode === 'listen', "the supervisor's key handled");
  await c.peers.supervisor.sendDtmf('5', 4);
  await waitFor(() => call.sessions.get('sup')?.mode === 'whisper' && d.bleed.monitor(call, 'sup') !== undefined, 'back to whisper, monitored');

  const mixer = call.mixer!;
  t.ok(mixer, 'the call has a mixer');
  t.equal(d.engine.mixerCount, 1, 'on the clock');
  t.ok(call.bleed && d.bleed.monitorCount === 1, 'a bleed monitor');
  t.ok(call.dtmf.size >= 1, 'DTMF state');
  const endpoints = [...call.participants.values()].flatMap((p) => p.legs.map((l) => l.endpoint!));
  t.equal(endpoints.length, 3, 'three endpoints');
  const closes: string[] = [];
  call.on('close', (reason) => closes.push(reason));

  d.registry.destroy(call, 'deleted');
  t.same(closes, ['deleted'], "'close' published once, with the reason");
  t.equal(call.mixer, null, 'no mixer on the call');
  t.ok(mixer.isClosed, 'the mixer is closed');
  t.equal(d.engine.mixerCount, 0, 'and off the clock');
  t.equal(call.bleed, null, 'no bleed monitoring');
  t.equal(d.bleed.monitorCount, 0, 'no monitor anywhere');
  t.equal(call.dtmf.size, 0, 'no DTMF state');
  t.ok(endpoints.every((e) => e.isClosed), 'every socket closed');
  t.equal(d.pool.free, freeAtStart, 'every port back in the pool');
  t.same(call.close('deleted'), [], 'a second close returns nothing');
  t.same(closes, ['deleted'], 'and publishes nothing');
});

t.test("a supervisor leaving takes its DTMF state and gains with it; the call goes on", async (t) => {
  const { td, c } = await daemonWithSupervisedCall(t, 'cl', 'listen');
  const d = td.daemon;
  startAll(c);
  await collect(c, 10);
  const call = d.registry.get('cl')!;
  await c.peers.supervisor.sendDtmf('5', 4);
  await waitFor(() => call.sessions.get('sup')?.mode === 'whisper', "the supervisor's key handled");
  d.supervision.setListenGain(call, 'agent', 'sup', -6);
  d.supervision.setListenGain(call, 'sup', 'prompts', -6);
  t.ok(call.dtmf.has('sup') && call.listenGains.get('agent')?.has('sup') && call.promptGains.has('sup'), 'state kept for the supervisor');
  const r = await td.ng.request({ command: 'delete', 'call-id': 'cl', 'from-tag': 'sup' });
  t.equal(r.result, 'ok', 'supervisor deleted');
  t.equal(call.closed, false, 'the call goes on');
  t.equal(call.sessions.has('sup'), false, 'no session');
  t.equal(call.dtmf.has('sup'), false, 'no DTMF state');
  t.equal(call.listenGains.get('agent')?.has('sup') ?? false, false, 'no gain from it');
  t.equal(call.promptGains.has('sup'), false, 'no prompt gain for it');
});
