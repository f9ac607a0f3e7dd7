/**
 * Takeover of an SDES-SRTP leg (issue 14): a supervisor whose phone talks SDES whispers on daemon A; A is
 * closed, daemon B restores the call from the snapshot. The supervisor keeps the key A answered with (its
 * phone never hears of the takeover): B must encrypt with that very key (whisperd's own keys are random per
 * answer, so they come from the snapshot), and decrypt the supervisor's SRTP with the key it offered.
 */
import t, { type Test } from 'tap';
import { randomPortRange, startTestDaemon, type TestDaemon } from '../../fixtures/daemon';
import { F_AGENT, F_CUSTOMER, F_SUPERVISOR, peak, SSRC } from '../../fixtures/supervisedCall';
import { levels } from '../../fixtures/media';
import { eventually } from '../../fixtures/cluster';
import { type SdesSupervision, agentOnlyHearsSupervisor, pushPcmu, SDES_KEY, sdesContext, sdesSupervision, sendSrtpTone, startCustomerAndAgent, unprotectPcmu } from '../../fixtures/sdesSupervisor';
import { snapshotCall, type CallSnapshot } from '../../../src/cluster/snapshot';
import { takeOver } from '../../../src/cluster/restore';

/** Daemon A (closed at teardown) with an SDES supervisor whispering on call `callId`; the media range B reuses. */
async function onA(t: Test, callId: string): Promise<{ media: { portMin: number; portMax: number }; a: TestDaemon; s: SdesSupervision }> {
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media });
  t.teardown(() => a.close());
  return { media, a, s: await sdesSupervision(t, a, callId) };
}

/** Daemon B on the same media range (closed at teardown), restoring `snap` taken from A. */
async function takeOverOnB(t: Test, media: { portMin: number; portMax: number }, snap: CallSnapshot) {
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const [r] = await takeOver({ registry: b.daemon.registry, signalling: b.daemon.commands.signalling, engine: b.daemon.engine, audit: b.daemon.audit, log: b.daemon.log, nodeId: 'B' }, [snap], { fromNode: 'A' });
  return r!;
}

/**
 * The supervisor's phone receiving: one SRTP context (A's answered key) for the whole call, as a real phone
 * keeps, so its rollover counter follows whisperd's stream across the takeover. Counts what authenticates
 * before (`a`) and after (`b`) `phaseB` is set; keeps the PCMU payloads of phase B.
 */
function supervisorPhone(s: SdesSupervision): { phaseB: boolean; a: { ok: number; bad: number }; b: { ok: number; bad: number }; pcmB: number[] } {
  const rx = sdesContext(s.answeredKey!);
  const phone = { phaseB: false, a: { ok: 0, bad: 0 }, b: { ok: 0, bad: 0 }, pcmB: [] as number[] };
  s.sup.on('message', (msg: Buffer) => {
    const buf = Buffer.from(msg);
    const n = unprotectPcmu(rx, buf);
    if (n === undefined) return;
    const g = phone.phaseB ? phone.b : phone.a;
    if (n < 0) {
      g.bad++;
      return;
    }
    g.ok++;
    if (phone.phaseB) pushPcmu(phone.pcmB, buf, n);
  });
  return phone;
}

t.test('SDES supervisor: after the takeover B encrypts with the key A answered and decrypts the supervisor', async (t) => {
  const { media, a, s } = await onA(t, 'sdes-1');
  const { c } = s;
  startCustomerAndAgent(c);
  // The phone decrypts A's packets and then B's with one context: whisperd's stream starts at a random
  // sequence number and may wrap on A (ROC 1); a fresh context on B's packets would assume ROC 0.
  const phone = supervisorPhone(s);
  sendSrtpTone(t, s, sdesContext(SDES_KEY), 100);
  await c.peers.agent.waitPackets(50, 0);

  const snap = JSON.parse(JSON.stringify(snapshotCall(a.daemon.registry.get('sdes-1')!))) as CallSnapshot;
  const supLeg = snap.participants.find((p) => p.tag === 'sup')!.legs[0]!;
  t.equal(supLeg.sdesOut[0]?.key !== undefined, true, "whisperd's own key is in the snapshot");
  t.ok(phone.a.ok > 0 && phone.a.bad === 0, `the phone decrypts what A sends (${phone.a.ok} ok, ${phone.a.bad} failed)`);
  await a.close();
  phone.phaseB = true;
  const r = await takeOverOnB(t, media, snap);
  t.ok(r.ok && r.failedPorts.length === 0, `restored ${JSON.stringify(r)}`);

  // What B sends the supervisor decrypts with the key A answered (the phone still has only that one).
  await eventually('packets from B at the supervisor', () => phone.b.ok + phone.b.bad >= 75, 15_000, 20);
  t.ok(phone.b.bad < 5, `what B sends the supervisor authenticates with A's answered key (${phone.b.ok} ok, ${phone.b.bad} failed)`);
  const l = levels(Int16Array.from(phone.pcmB), 8000, [F_CUSTOMER, F_AGENT], 1000);
  t.ok(l[F_CUSTOMER]! > -30 && l[F_AGENT]! > -30, `the supervisor hears customer and agent through B (${JSON.stringify(l)})`);
  await agentOnlyHearsSupervisor(t, c, 'the agent hears the SRTP supervisor through B', 'the customer does not');
});

t.test('SDES streams past a sequence wrap: the rollover counter goes on after the takeover, both ways', async (t) => {
  const { media, a, s } = await onA(t, 'sdes-roc');
  const { c } = s;
  // whisperd's stream to the supervisor is put just before a wrap, on A: it reaches ROC 1 there.
  const mixA = a.daemon.registry.get('sdes-roc')!.mixer!;
  const st = mixA.streamState!('sup')!;
  t.ok(mixA.setStreamState!('sup', st.ssrc, 65500, st.ts), 'stream to the supervisor set near its wrap');
  startCustomerAndAgent(c);

  // The supervisor phone: one SRTP context each way for the whole call. It sends from sequence 65480: its
  // stream wraps (ROC 1) while A still runs.
  const phone = supervisorPhone(s);
  const tone = sendSrtpTone(t, s, sdesContext(SDES_KEY), 65480);
  const until = (cond: () => boolean, what: string): Promise<void> => eventually(what, cond, 15_000, 20);
  await until(() => tone.seq() > 65536 + 20 && phone.a.ok > 60, 'both streams past their wrap on A');
  c.peers.agent.clear();
  await c.peers.agent.waitPackets(25, 0);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -30, 'on A: the agent hears the supervisor after its wrap');

  const snap = JSON.parse(JSON.stringify(snapshotCall(a.daemon.registry.get('sdes-roc')!))) as CallSnapshot;
  const supLeg = snap.participants.find((p) => p.tag === 'sup')!.legs[0]!;
  t.ok((supLeg.srtp?.rx ?? []).some((x) => x.ssrc === SSRC.supervisor && Math.floor(x.index / 65536) === 1), `the supervisor's stream is at ROC 1 in the snapshot ${JSON.stringify(supLeg.srtp)}`);
  t.ok((supLeg.srtp?.tx ?? []).some((x) => x.ssrc === st.ssrc && Math.floor(x.index / 65536) >= 1), "whisperd's stream to it too");
  await a.close();
  phone.phaseB = true;
  const r = await takeOverOnB(t, media, snap);
  t.ok(r.ok, 'restored');
  await until(() => phone.b.ok + phone.b.bad >= 75, 'packets from B at the supervisor');
  t.ok(phone.b.bad <= 2, `the supervisor's phone (ROC 1) decrypts what B sends (${phone.b.ok} ok, ${phone.b.bad} failed)`);
  const l = levels(Int16Array.from(phone.pcmB), 8000, [F_CUSTOMER, F_AGENT], 1000);
  t.ok(l[F_CUSTOMER]! > -30 && l[F_AGENT]! > -30, `the supervisor hears the call through B (${JSON.stringify(l)})`);
  await agentOnlyHearsSupervisor(t, c, "B decrypts the supervisor's ROC-1 stream: the agent hears it", 'the customer does not');
});
