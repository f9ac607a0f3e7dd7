/**
 * Takeover of an SDES-SRTP leg (issue 14): a supervisor whose phone talks SDES whispers on daemon A; A is
 * closed, daemon B restores the call from the snapshot. The supervisor keeps the key A answered with (its
 * phone never hears of the takeover): B must encrypt with that very key (whisperd's own keys are random per
 * answer, so they come from the snapshot), and decrypt the supervisor's SRTP with the key it offered.
 */
import t from 'tap';
import { randomPortRange, startTestDaemon } from '../../fixtures/daemon';
import { closeAll, F_AGENT, F_CUSTOMER, F_SUPERVISOR, peak, SSRC, twoPartyCall, type SupervisedCall } from '../../fixtures/supervisedCall';
import { inbox, udpSocket } from '../../fixtures/udp';
import { levels } from '../../fixtures/media';
import { rtp } from '../../fixtures/rtpengine/scenario';
import { SrtpContext } from '../../../src/media/srtp';
import { LINEAR_TO_ULAW, ULAW_TO_LINEAR } from '../../../src/codec/g711';
import { snapshotCall, type CallSnapshot } from '../../../src/cluster/snapshot';
import { takeOver } from '../../../src/cluster/restore';

const KEY = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';

function ctx(b64: string): SrtpContext {
  const raw = Buffer.from(b64, 'base64');
  return SrtpContext.create({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: raw.subarray(0, 16), masterSalt: raw.subarray(16) });
}

t.test('SDES supervisor: after the takeover B encrypts with the key A answered and decrypts the supervisor', async (t) => {
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media });
  t.teardown(() => a.close());
  const { peers, to } = await twoPartyCall(a, 'sdes-1');
  const sup = await udpSocket(t);
  const reply = await a.ng.request({
    command: 'supervise', 'call-id': 'sdes-1', 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob',
    sdp: ['v=0', 'o=- 3000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${sup.address().port} RTP/SAVP 0 101`, 'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', `a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`, 'a=sendrecv', ''].join('\r\n'),
  });
  t.equal(reply.result, 'ok', String(reply['error-reason'] ?? ''));
  const answeredKey = /^a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/]{40})\r$/m.exec(String(reply.sdp))![1]!;
  const toSup = Number(/^m=audio (\d+)/m.exec(String(reply.sdp))![1]);
  const c: SupervisedCall = { callId: 'sdes-1', peers, to: { customer: to.customer!, agent: to.agent!, supervisor: toSup }, supervise: reply };
  t.teardown(() => closeAll(c));
  peers.customer.start(to.customer!, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: SSRC.customer, dtmfPt: 101 });
  peers.agent.start(to.agent!, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: SSRC.agent, dtmfPt: 101 });
  const tx = ctx(KEY);
  let seq = 100;
  let ts = 0;
  let phase = 0;
  const timer = setInterval(() => {
    const payload = Buffer.alloc(160);
    for (let i = 0; i < 160; i++) {
      payload[i] = LINEAR_TO_ULAW[Math.round(8000 * Math.sin(phase)) & 0xffff]!;
      phase += (2 * Math.PI * F_SUPERVISOR) / 8000;
    }
    const pkt = rtp(0, seq++ & 0xffff, ts, SSRC.supervisor, payload);
    ts += 160;
    const buf = Buffer.alloc(pkt.length + 32);
    pkt.copy(buf);
    const n = tx.protect(buf, pkt.length, false);
    sup.send(buf.subarray(0, n), toSup, '127.0.0.1');
  }, 20);
  t.teardown(() => clearInterval(timer));
  await peers.agent.waitPackets(50, 0);

  const snap = JSON.parse(JSON.stringify(snapshotCall(a.daemon.registry.get('sdes-1')!))) as CallSnapshot;
  const supLeg = snap.participants.find((p) => p.tag === 'sup')!.legs[0]!;
  t.equal(supLeg.sdesOut[0]?.key !== undefined, true, "whisperd's own key is in the snapshot");
  await a.close();
  const fromB = inbox(sup); // only what arrives from now on: B's packets
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const [r] = await takeOver({ registry: b.daemon.registry, signalling: b.daemon.commands.signalling, engine: b.daemon.engine, audit: b.daemon.audit, log: b.daemon.log, nodeId: 'B' }, [snap], { fromNode: 'A' });
  t.ok(r!.ok && r!.failedPorts.length === 0, `restored ${JSON.stringify(r)}`);

  // What B sends the supervisor decrypts with the key A answered (the phone still has only that one).
  const rx = ctx(answeredKey);
  const pcm: number[] = [];
  let bad = 0;
  while (pcm.length < 8000 * 1.5) {
    const m = await fromB();
    const buf = Buffer.from(m.msg);
    if (buf[0]! < 128 || buf[0]! > 191 || (buf[1]! & 0x7f) !== 0) continue;
    const n = rx.unprotect(buf, buf.length, false);
    if (n < 0) {
      bad++;
      if (bad > 100) break;
      continue;
    }
    for (let i = 12; i < n; i++) pcm.push(ULAW_TO_LINEAR[buf[i]!]!);
  }
  t.ok(bad < 5, `what B sends the supervisor authenticates with A's answered key (${bad} failed)`);
  const l = levels(Int16Array.from(pcm), 8000, [F_CUSTOMER, F_AGENT], 1000);
  t.ok(l[F_CUSTOMER]! > -30 && l[F_AGENT]! > -30, `the supervisor hears customer and agent through B (${JSON.stringify(l)})`);
  peers.agent.clear();
  peers.customer.clear();
  await peers.agent.waitPackets(60, 0);
  await peers.customer.waitPackets(60, 0);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -30, `the agent hears the SRTP supervisor through B (${peak(c, 'agent', F_SUPERVISOR).toFixed(1)} dB)`);
  t.ok(peak(c, 'customer', F_SUPERVISOR) < -45, `the customer does not (${peak(c, 'customer', F_SUPERVISOR).toFixed(1)} dB)`);
});

t.test('SDES streams past a sequence wrap: the rollover counter goes on after the takeover, both ways', async (t) => {
  const media = { ...randomPortRange() };
  const a = await startTestDaemon({ media });
  t.teardown(() => a.close());
  const { peers, to } = await twoPartyCall(a, 'sdes-roc');
  const sup = await udpSocket(t);
  const reply = await a.ng.request({
    command: 'supervise', 'call-id': 'sdes-roc', 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob',
    sdp: ['v=0', 'o=- 3000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${sup.address().port} RTP/SAVP 0 101`, 'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', `a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`, 'a=sendrecv', ''].join('\r\n'),
  });
  t.equal(reply.result, 'ok', String(reply['error-reason'] ?? ''));
  const answeredKey = /^a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/]{40})\r$/m.exec(String(reply.sdp))![1]!;
  const toSup = Number(/^m=audio (\d+)/m.exec(String(reply.sdp))![1]);
  const c: SupervisedCall = { callId: 'sdes-roc', peers, to: { customer: to.customer!, agent: to.agent!, supervisor: toSup }, supervise: reply };
  t.teardown(() => closeAll(c));
  // whisperd's stream to the supervisor is put just before a wrap, on A: it reaches ROC 1 there.
  const mixA = a.daemon.registry.get('sdes-roc')!.mixer!;
  const st = mixA.streamState!('sup')!;
  t.ok(mixA.setStreamState!('sup', st.ssrc, 65500, st.ts), 'stream to the supervisor set near its wrap');
  peers.customer.start(to.customer!, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: SSRC.customer, dtmfPt: 101 });
  peers.agent.start(to.agent!, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: SSRC.agent, dtmfPt: 101 });

  // The supervisor phone: one SRTP context each way for the whole call, as a real phone keeps. It sends
  // from sequence 65480: its stream wraps (ROC 1) while A still runs.
  const tx = ctx(KEY);
  const rx = ctx(answeredKey);
  let phaseB = false;
  const got = { a: { ok: 0, bad: 0 }, b: { ok: 0, bad: 0 } };
  const pcmB: number[] = [];
  sup.on('message', (msg: Buffer) => {
    const buf = Buffer.from(msg);
    if (buf[0]! < 128 || buf[0]! > 191 || (buf[1]! & 0x7f) !== 0) return;
    const n = rx.unprotect(buf, buf.length, false);
    const g = phaseB ? got.b : got.a;
    if (n < 0) {
      g.bad++;
      return;
    }
    g.ok++;
    if (phaseB) for (let i = 12; i < n; i++) pcmB.push(ULAW_TO_LINEAR[buf[i]!]!);
  });
  let seq = 65480;
  let ts = 0;
  let phase = 0;
  const timer = setInterval(() => {
    const payload = Buffer.alloc(160);
    for (let i = 0; i < 160; i++) {
      payload[i] = LINEAR_TO_ULAW[Math.round(8000 * Math.sin(phase)) & 0xffff]!;
      phase += (2 * Math.PI * F_SUPERVISOR) / 8000;
    }
    const pkt = rtp(0, seq++ & 0xffff, ts, SSRC.supervisor, payload);
    ts += 160;
    const buf = Buffer.alloc(pkt.length + 32);
    pkt.copy(buf);
    const n = tx.protect(buf, pkt.length, false);
    sup.send(buf.subarray(0, n), toSup, '127.0.0.1');
  }, 20);
  t.teardown(() => clearInterval(timer));
  const until = async (cond: () => boolean, what: string): Promise<void> => {
    const end = Date.now() + 15_000;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until(() => seq > 65536 + 20 && got.a.ok > 60, 'both streams past their wrap on A');
  peers.agent.clear();
  await peers.agent.waitPackets(25, 0);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -30, 'on A: the agent hears the supervisor after its wrap');

  const snap = JSON.parse(JSON.stringify(snapshotCall(a.daemon.registry.get('sdes-roc')!))) as CallSnapshot;
  const supLeg = snap.participants.find((p) => p.tag === 'sup')!.legs[0]!;
  t.ok((supLeg.srtp?.rx ?? []).some((x) => x.ssrc === SSRC.supervisor && Math.floor(x.index / 65536) === 1), `the supervisor's stream is at ROC 1 in the snapshot ${JSON.stringify(supLeg.srtp)}`);
  t.ok((supLeg.srtp?.tx ?? []).some((x) => x.ssrc === st.ssrc && Math.floor(x.index / 65536) >= 1), "whisperd's stream to it too");
  await a.close();
  phaseB = true;
  const b = await startTestDaemon({ media });
  t.teardown(() => b.close());
  const [r] = await takeOver({ registry: b.daemon.registry, signalling: b.daemon.commands.signalling, engine: b.daemon.engine, audit: b.daemon.audit, log: b.daemon.log, nodeId: 'B' }, [snap], { fromNode: 'A' });
  t.ok(r!.ok, 'restored');
  await until(() => got.b.ok + got.b.bad >= 75, 'packets from B at the supervisor');
  t.ok(got.b.bad <= 2, `the supervisor's phone (ROC 1) decrypts what B sends (${got.b.ok} ok, ${got.b.bad} failed)`);
  const l = levels(Int16Array.from(pcmB), 8000, [F_CUSTOMER, F_AGENT], 1000);
  t.ok(l[F_CUSTOMER]! > -30 && l[F_AGENT]! > -30, `the supervisor hears the call through B (${JSON.stringify(l)})`);
  peers.agent.clear();
  peers.customer.clear();
  await peers.agent.waitPackets(60, 0);
  await peers.customer.waitPackets(60, 0);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -30, `B decrypts the supervisor's ROC-1 stream: the agent hears it (${peak(c, 'agent', F_SUPERVISOR).toFixed(1)} dB)`);
  t.ok(peak(c, 'customer', F_SUPERVISOR) < -45, `the customer does not (${peak(c, 'customer', F_SUPERVISOR).toFixed(1)} dB)`);
});
