import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { waitFor } from '../fixtures/phone';
import { closeAll, collect, eventuallyHears, F_AGENT, fmt, F_SUPERVISOR, heard, setTones, startAll, supervisedCall } from '../fixtures/supervisedCall';

/**
 * DTMF mode keys: the supervisor's phone sends RFC 4733 events the way a phone does (start packet
 * with marker, updates every 20 ms, the end packet three times, in its running stream) for '5' then
 * '6' (config default: 4 listen, 5 whisper, 6 barge). Each key press switches the mode once, is
 * audited with source 'dtmf', and is heard.
 */
t.test("supervisor keys '5' then '6': listen -> whisper -> barge", async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await supervisedCall(td, 'dt', 'listen');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c);
  await collect(c, 25);
  const call = td.daemon.registry.get('dt')!;
  const mode = () => td.daemon.supervision.session(call, 'sup')!.mode;

  await c.peers.supervisor.sendDtmf('5', 6);
  await waitFor(() => mode() === 'whisper', "mode whisper after '5'");
  t.pass("'5' -> whisper");
  // The agent falls silent while the customer's side is measured: the customer's stream is then digital
  // silence plus whatever leaks, so concealment of a late agent packet on a loaded machine cannot put
  // energy at the supervisor's frequency (it did, up to -59 dBFS, with the agent's tone on this path).
  setTones(c, { agent: 0 });
  await collect(c, 25);
  await collect(c, 60);
  let cust = heard(c, 'customer', 1000);
  t.ok(cust[F_SUPERVISOR]! < -90, `whisper: the customer does not hear the supervisor (${cust[F_SUPERVISOR]!.toFixed(1)} dBFS)`);
  setTones(c, { agent: F_AGENT });
  let agent = await eventuallyHears(c, 'agent', [F_SUPERVISOR]);
  t.ok(agent[F_SUPERVISOR]! > -22, `whisper: the agent hears the supervisor (${fmt(agent)})`);

  await c.peers.supervisor.sendDtmf('6', 6);
  await waitFor(() => mode() === 'barge', "mode barge after '6'");
  t.pass("'6' -> barge");
  await collect(c, 25);
  cust = await eventuallyHears(c, 'customer', [F_SUPERVISOR]);
  t.ok(cust[F_SUPERVISOR]! > -22, `barge: the customer hears the supervisor (${fmt(cust)})`);
  agent = await eventuallyHears(c, 'agent', [F_SUPERVISOR]);
  t.ok(agent[F_SUPERVISOR]! > -22, `barge: the agent hears the supervisor (${fmt(agent)})`);

  // The same key again is no change; nothing else is audited.
  await c.peers.supervisor.sendDtmf('6', 3);
  await collect(c, 10);
  const modes = td.daemon.audit.query({ callId: 'dt', event: 'mode' });
  t.same(
    modes.map((r) => [r.source, r.oldMode, r.newMode]),
    [
      ['dtmf', 'listen', 'whisper'],
      ['dtmf', 'whisper', 'barge'],
    ],
    'one audit record per key press, source dtmf (repeats and the triple end packet count once)',
  );
  t.equal(mode(), 'barge');
});
