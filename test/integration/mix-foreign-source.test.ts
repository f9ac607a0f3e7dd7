/**
 * Issue 9, "foreign packets must not drive the mix clock": in a supervised (whisper) call the agent's
 * output is mixed and emitted when the customer's packet arrives. Valid RTP from a third party, sent
 * to the customer's whisperd port after the customer's source has latched, must be dropped and
 * counted (foreign_source) before it reaches the mixer: the agent receives about one frame per 20 ms,
 * not one more per foreign packet (before the fix: 4,344 frames in 40 s where 2,000 were due).
 * Over real UDP, in-process daemon.
 */
import t from 'tap';
import type { NgDict } from '../../src/control/ng/bencode';
import { droppedPackets as dropped, rawSupervisedCall, sleep, startTestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';


t.test('a third party flooding the customer\'s port does not add frames to the agent\'s mix', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { customer, agent, supervisor, toCustomer: toCustomerPort, toSupervisor: toSupervisorPort, close } = await rawSupervisedCall(td, 'f', 'whisper');
  t.teardown(close);
  const intruder = await Phone.open();
  t.teardown(() => intruder.close());

  // Frames the agent receives, with arrival times.
  const arrivals: number[] = [];
  agent.sock.on('message', () => arrivals.push(performance.now()));

  // Customer and supervisor stream 20 ms packets; the customer's source latches on its first packet.
  let seq = 0;
  const stream = setInterval(() => {
    seq++;
    customer.sendRtp(toCustomerPort, seq, 0xc0c0);
    supervisor.sendRtp(toSupervisorPort, seq, 0x5050);
  }, 20);
  t.teardown(() => clearInterval(stream));
  await agent.waitDatagrams(5);

  // A third party floods the customer's whisperd port with valid PCMA, 5 packets per 20 ms, 1.5 s.
  const foreignBefore = await dropped(td, 'foreign_source');
  const t0 = performance.now();
  let floodSeq = 0;
  const flood = setInterval(() => {
    for (let i = 0; i < 5; i++) intruder.sendRtp(toCustomerPort, ++floodSeq, 0xbad);
  }, 20);
  await sleep(1500);
  clearInterval(flood);
  const t1 = performance.now();
  clearInterval(stream);
  await sleep(100); // let frames already on their way arrive (the count below only covers [t0, t1 + 40 ms])

  const got = arrivals.filter((x) => x >= t0 && x <= t1 + 40).length;
  const due = Math.ceil((t1 - t0) / 20) + 2;
  t.ok(floodSeq >= 200, `foreign packets sent: ${floodSeq}`);
  t.ok(got <= due + 10, `agent frames in the flood window: ${got}, due about ${due} (not one more per foreign packet)`);
  t.ok(got >= due / 2, `the agent still hears the call: ${got} frames`);
  const foreign = (await dropped(td, 'foreign_source')) - foreignBefore;
  t.ok(foreign >= floodSeq * 0.9, `foreign packets dropped and counted as foreign_source: ${foreign} of ${floodSeq}`);
  // The customer's stream counts the customer's packets only (what keeps a call alive past its media timeout).
  const q = await td.ng.request({ command: 'query', 'call-id': 'f' });
  const stats = (((q.tags as Record<string, NgDict>).cust!.medias as NgDict[])[0]!.streams as NgDict[])[0]!.stats as NgDict;
  t.ok((stats.packets as number) <= seq, `the customer's stream counts ${stats.packets as number} packets; the customer sent ${seq}`);
  t.ok((stats.errors as number) >= foreign, 'the foreign ones are its errors');
});

t.test('a mixed participant\'s packets with a payload type it did not negotiate are dropped and counted', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { customer, agent, toCustomer: toCustomerPort, close } = await rawSupervisedCall(td, 'pt', 'whisper');
  t.teardown(close);
  customer.sendRtp(toCustomerPort, 1, 0xc0c0);
  await agent.waitDatagrams(1);
  const before = await dropped(td, 'bad_payload_type');
  for (let i = 0; i < 20; i++) customer.sendRtp(toCustomerPort, 2 + i, 0xc0c0, 0xd5, 96); // PT 96: not in the SDP
  const deadline = Date.now() + 5000;
  let n = 0;
  while ((n = (await dropped(td, 'bad_payload_type')) - before) < 20 && Date.now() < deadline) await sleep(20);
  t.equal(n, 20, 'every packet with payload type 96 counted as bad_payload_type');
});

t.test('duplicated packets from the customer do not add frames to the agent\'s mix', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { customer, agent, toCustomer: toCustomerPort, close } = await rawSupervisedCall(td, 'dup', 'whisper');
  t.teardown(close);
  const arrivals: number[] = [];
  agent.sock.on('message', () => arrivals.push(performance.now()));
  let seq = 0;
  let dup = false;
  const stream = setInterval(() => {
    seq++;
    customer.sendRtp(toCustomerPort, seq, 0xc0c0);
    if (dup) customer.sendRtp(toCustomerPort, seq, 0xc0c0); // the network duplicates every packet
    if (dup && seq % 2 === 0) customer.sendRtp(toCustomerPort, seq - 1, 0xc0c0); // and delivers an old one late
  }, 20);
  t.teardown(() => clearInterval(stream));
  await agent.waitDatagrams(5);
  const before = await dropped(td, 'late_or_duplicate');
  dup = true;
  const t0 = performance.now();
  await sleep(1500);
  const t1 = performance.now();
  clearInterval(stream);
  await sleep(100);
  const got = arrivals.filter((x) => x >= t0 && x <= t1 + 40).length;
  const due = Math.ceil((t1 - t0) / 20) + 2;
  t.ok(got <= due + 10, `agent frames: ${got}, due about ${due} (not one per duplicate)`);
  t.ok(got >= due / 2, `the agent still hears the call: ${got} frames`);
  const n = (await dropped(td, 'late_or_duplicate')) - before;
  t.ok(n >= (due - 2) * 1.2, `duplicates and late packets counted as late_or_duplicate: ${n}`);
});

t.test('a customer sending faster than real time does not make the mixer emit (and encode) faster than real time', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { customer, agent, toCustomer: toCustomerPort, close } = await rawSupervisedCall(td, 'fast', 'whisper');
  t.teardown(close);
  let seq = 0;
  customer.sendRtp(toCustomerPort, ++seq, 0xc0c0);
  await agent.waitDatagrams(1);
  const before = await dropped(td, 'over_rate');
  const arrivals: number[] = [];
  agent.sock.on('message', () => arrivals.push(performance.now()));
  // 10 packets (200 ms of audio) every 20 ms for 1 s: ten times real time, from the latched source.
  const t0 = performance.now();
  const flood = setInterval(() => {
    for (let i = 0; i < 10; i++) customer.sendRtp(toCustomerPort, ++seq, 0xc0c0);
  }, 20);
  await sleep(1000);
  clearInterval(flood);
  const t1 = performance.now();
  await sleep(100);
  const got = arrivals.filter((x) => x >= t0 && x <= t1 + 40).length;
  const due = Math.ceil((t1 - t0) / 20) + 2;
  const sent = seq - 1;
  t.ok(got <= due + 25 + 10, `agent frames: ${got} for ${sent} packets in ${(t1 - t0).toFixed(0)} ms; about ${due} due + 25 (the 500 ms burst allowance)`);
  t.ok(got >= due / 2, 'the agent still hears the customer');
  const n = (await dropped(td, 'over_rate')) - before;
  t.ok(n >= sent - got - 20, `packets beyond real time counted as over_rate: ${n}`);
});

t.test('a sender whose sequence numbers restart a little lower (same SSRC) is heard again after 3 packets', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { customer, agent, toCustomer: toCustomerPort, close } = await rawSupervisedCall(td, 'rs', 'whisper');
  t.teardown(close);
  // A payload the agent can recognise: 0x11 before the restart, 0x13 after it (both pass the mix unchanged).
  const fills: number[] = [];
  agent.sock.on('message', (m: Buffer) => fills.push(m[m.length - 1]!));
  for (let seq = 1000; seq < 1030; seq++) {
    customer.sendRtp(toCustomerPort, seq, 0xc0c0, 0x11);
    await sleep(20);
  }
  const mark = fills.length;
  for (let seq = 1010; seq < 1030; seq++) {
    customer.sendRtp(toCustomerPort, seq, 0xc0c0, 0x13);
    await sleep(20);
  }
  await agent.waitDatagrams(mark + 15);
  // The agent's mix is re-encoded; a constant 0x11 / 0x13 comes out as the same code.
  const after = fills.slice(mark);
  const firstNew = after.findIndex((b) => b === 0x13);
  t.ok(firstNew >= 0 && firstNew <= 5, `the restarted stream is mixed again after ${firstNew} frames (<= 5; 20 dropped as late before)`);
});
