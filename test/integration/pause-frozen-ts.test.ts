/**
 * Issue 9 "stream pause", end to end: in a supervised call the customer pauses 0.5 s and resumes
 * WITHOUT advancing its RTP timestamps (PBX hold/resume). The supervisor hears the customer through a
 * jitter buffer; before the fix the resumed audio was discarded as stale for 1.3 s. Now it is heard
 * again within its target delay + 2 frames: counted in the supervisor's packets, not in wall-clock time.
 * Real UDP, in-process daemon, PCMA.
 */
import t from 'tap';
import { ALAW_TO_LINEAR, LINEAR_TO_ALAW } from '../../src/codec/g711';
import { writeRtpHeader } from '../../src/media/rtp';
import { rawSupervisedCall, sleep, startTestDaemon } from '../fixtures/daemon';

/** One 20 ms PCMA packet of a 1 kHz tone at about -12 dBFS, or A-law silence. */
function packet(seq: number, ts: number, ssrc: number, tone: boolean, phase: number): Buffer {
  const b = Buffer.alloc(172);
  writeRtpHeader(b, 0, 8, false, seq & 0xffff, ts >>> 0, ssrc);
  for (let i = 0; i < 160; i++) {
    const x = tone ? Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (phase + i)) / 8000)) : 0;
    b[12 + i] = LINEAR_TO_ALAW[x & 0xffff]!;
  }
  return b;
}

function rms(pkt: Buffer): number {
  let s = 0;
  for (let i = 12; i < pkt.length; i++) s += ALAW_TO_LINEAR[pkt[i]!]! ** 2;
  return Math.sqrt(s / (pkt.length - 12));
}

t.test('customer pauses 500 ms and resumes with frozen timestamps: the supervisor hears it again at once', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { customer, agent, supervisor, toCustomer, toAgent, toSupervisor: toSup, close } = await rawSupervisedCall(td, 'p', 'listen');
  t.teardown(close);
  // The supervisor's phone sends too (latching: whisperd then knows where to send its mix).

  let cSeq = 1000;
  let cTs = 50_000;
  let phase = 0;
  let customerTalking = true;
  let aSeq = 0;
  const tick = setInterval(() => {
    agent.send(toAgent, packet(aSeq, aSeq * 160, 0xa9e7, false, 0));
    supervisor.send(toSup, packet(aSeq, aSeq * 160, 0x5555, false, 0));
    aSeq++;
    if (!customerTalking) return;
    customer.send(toCustomer, packet(cSeq++, cTs, 0xc05, true, phase));
    cTs += 160; // timestamps advance only while packets are sent: frozen across the pause
    phase += 160;
  }, 20);
  t.teardown(() => clearInterval(tick));

  const loud = (from: number, to: number): number => supervisor.datagrams.slice(from, to).filter((p) => rms(p) > 1000).length;
  await supervisor.waitDatagrams(60);
  t.ok(loud(20, 60) >= 30, `before the pause the supervisor hears the customer (${loud(20, 60)} of 40 packets loud)`);

  customerTalking = false;
  await sleep(500); // the pause itself is the scenario: 500 ms without packets
  const atResume = supervisor.datagrams.length;
  t.ok(loud(atResume - 5, atResume) === 0, 'during the pause the supervisor hears silence');
  customerTalking = true;
  await supervisor.waitDatagrams(atResume + 30);
  clearInterval(tick);
  // Bound: the jitter buffer's target delay (at most 200 ms = 10 frames, higher on a loaded machine
  // than on an idle one) + 2 frames + a little scheduling slack; before the fix: about 65 frames.
  const firstLoud = supervisor.datagrams.slice(atResume).findIndex((p) => rms(p) > 1000);
  t.ok(firstLoud >= 0 && firstLoud <= 16, `the customer is heard again ${firstLoud} supervisor packets after resuming (<= 16; about 65 before the fix)`);
  t.ok(loud(atResume + 20, atResume + 30) >= 9, 'and stays heard');
});
