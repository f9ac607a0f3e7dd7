import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { headerGaps, ssrcSegments } from '../fixtures/clicks';
import { closeAll, collect, eventuallyHears, fmt, F_CUSTOMER, F_SUPERVISOR, heard, startAll, supervisedCall } from '../fixtures/supervisedCall';

/**
 * Every output has its own clock: with the customer on hold (it stops sending entirely), the agent
 * still hears the supervisor's whisper, as one continuous stream.
 */
t.test('whisper goes on while the customer sends nothing', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await supervisedCall(td, 'hold', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c);
  await collect(c, 25);
  let agent = await eventuallyHears(c, 'agent', [F_CUSTOMER, F_SUPERVISOR]);
  t.ok(agent[F_CUSTOMER]! > -22 && agent[F_SUPERVISOR]! > -22, `before hold the agent hears customer and supervisor (${fmt(agent)})`);

  c.peers.customer.stop();
  await collect(c, 25, ['agent', 'supervisor']);
  await collect(c, 75, ['agent', 'supervisor']);
  const pkts = c.peers.agent.received.filter((p) => p.pt === 0);
  const q = heard(c, 'agent', 1000);
  // The agent's stream still carries the supervisor's G.711-quantised tone, whose quantisation spurs set
  // a floor around -85..-100 dBFS at other frequencies; 58 dB below the customer's -12 dBFS is clear absence.
  t.ok(q[F_CUSTOMER]! < -70, `on hold: nothing of the customer (${q[F_CUSTOMER]!.toFixed(1)} dBFS)`);
  agent = await eventuallyHears(c, 'agent', [F_SUPERVISOR]);
  t.ok(agent[F_SUPERVISOR]! > -22, `on hold: the agent still hears the whisper (${fmt(agent)})`);
  const segs = ssrcSegments(pkts);
  t.equal(segs.length, 1, 'one SSRC towards the agent while the customer is silent');
  t.same(headerGaps(segs[0]!.packets), [], 'sequence +1 and timestamp +160 on every packet');
  const out = td.daemon.engine.mixer(td.daemon.registry.get('hold')!)!.output('agent')!;
  t.ok(out.framesByTimer >= 75, `the agent output runs on its own clock (${out.framesByTimer} frames by timer)`);
});
