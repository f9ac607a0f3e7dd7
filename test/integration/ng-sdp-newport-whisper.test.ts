/**
 * A re-INVITE from a new port during a whisper (rtpengine 10.5: the recipient gets a new socket pair,
 * call.c __get_endpoint_map): the mixer moves to the new sockets and the whisper goes on — the agent
 * hears the customer (now from its new phone port) and the supervisor, the customer never the supervisor.
 */
import t from 'tap';
import { phoneSdp, sdpMediaPort, startTestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';
import { closeAll, eventuallyHears, F_CUSTOMER, F_SUPERVISOR, fmt, heard, SSRC, startAll, supervisedCall, collect } from '../fixtures/supervisedCall';

t.test('customer re-INVITE from a new port while whispering: new port for the agent, the mix follows', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await supervisedCall(td, 'newport', 'whisper');
  const moved = await Phone.open();
  const first = c.peers.customer;
  t.teardown(async () => {
    closeAll(c); // c.peers.customer is `moved` once the customer moved
    if (c.peers.customer !== first) first.close();
    else moved.close();
    await td.close();
  });
  startAll(c);
  await eventuallyHears(c, 'agent', [F_CUSTOMER, F_SUPERVISOR]);
  const used = td.daemon.pool.used;

  // The customer's phone moves: the old port falls silent before the re-INVITE (else endpoint learning
  // would latch onto its last packets again).
  c.peers.customer.stop();
  const re = await td.ng.request({ command: 'offer', 'call-id': 'newport', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(moved.port, { codecs: ['0', '101'] }) });
  t.equal(re.result, 'ok');
  const toAgent = sdpMediaPort(re.sdp as string);
  t.not(toAgent, c.to.agent, 'the agent is given a new port');
  const ans = await td.ng.request({ command: 'answer', 'call-id': 'newport', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(c.peers.agent.port, { codecs: ['0', '101'] }) });
  t.equal(ans.result, 'ok');
  t.equal(sdpMediaPort(ans.sdp as string), c.to.customer, 'the customer keeps its port (the agent did not move)');
  t.equal(td.daemon.pool.used, used, 'the agent\'s old port was given back');

  // The customer's phone now streams from its new port; the agent sends to its new port.
  c.peers.customer = moved;
  c.to.agent = toAgent;
  moved.start(c.to.customer, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: SSRC.customer, dtmfPt: 101 });
  c.peers.agent.start(toAgent, { codec: 'pcmu', pt: 0, ssrc: SSRC.agent, dtmfPt: 101 });
  const agent = await eventuallyHears(c, 'agent', [F_CUSTOMER, F_SUPERVISOR]);
  t.ok(agent[F_CUSTOMER]! > -22 && agent[F_SUPERVISOR]! > -22, `after the move the agent hears customer and supervisor (${fmt(agent)})`);
  await collect(c, 50, ['customer']);
  const cust = heard(c, 'customer', 800);
  t.ok(cust[F_SUPERVISOR]! < -60, `the customer does not hear the whisper (${cust[F_SUPERVISOR]!.toFixed(1)} dBFS)`);
});
