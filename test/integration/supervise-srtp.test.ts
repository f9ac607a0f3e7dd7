/**
 * A supervisor whose own phone talks SDES-SRTP (RFC 4568): whisperd answers its RTP/SAVP offer with the
 * offered suite and tag and a fresh key of its own, decrypts what the supervisor sends (the whisper reaches
 * the agent, never the customer) and encrypts what it sends to the supervisor (the supervisor decrypts the
 * call's audio with the answered key).
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { closeAll, F_AGENT, F_CUSTOMER, F_SUPERVISOR, peak, SSRC, twoPartyCall, type SupervisedCall } from '../fixtures/supervisedCall';
import { inbox, udpSocket } from '../fixtures/udp';
import { levels } from '../fixtures/media';
import { rtp } from '../fixtures/rtpengine/scenario';
import { SrtpContext } from '../../src/media/srtp';
import { LINEAR_TO_ULAW, ULAW_TO_LINEAR } from '../../src/codec/g711';

const KEY = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';

function ctx(b64: string): SrtpContext {
  const raw = Buffer.from(b64, 'base64');
  return SrtpContext.create({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: raw.subarray(0, 16), masterSalt: raw.subarray(16) });
}

t.test('supervisor on SDES-SRTP: answered RTP/SAVP with a=crypto (offered tag and suite, own key); its SRTP whisper reaches the agent only; it hears the call through SRTP', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const { peers, to } = await twoPartyCall(td, 'sup-srtp');
  const sup = await udpSocket(t);
  const received = inbox(sup);
  const supPort = sup.address().port;
  const reply = await td.ng.request({
    command: 'supervise', 'call-id': 'sup-srtp', 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob',
    sdp: ['v=0', 'o=- 3000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${supPort} RTP/SAVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15', `a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`, 'a=sendrecv', ''].join('\r\n'),
  });
  t.equal(reply.result, 'ok', String(reply['error-reason'] ?? ''));
  const sdp = String(reply.sdp);
  t.match(sdp, /^m=audio \d+ RTP\/SAVP 0 101\r$/m, 'answered on RTP/SAVP');
  const m = /^a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/]{40})\r$/m.exec(sdp);
  t.ok(m, 'one a=crypto with the offered tag and suite');
  t.not(m?.[1], KEY, 'whisperd\'s own key');
  const toSup = Number(/^m=audio (\d+)/m.exec(sdp)![1]);

  const c: SupervisedCall = { callId: 'sup-srtp', peers, to: { customer: to.customer!, agent: to.agent!, supervisor: toSup }, supervise: reply };
  t.teardown(() => closeAll(c));
  peers.customer.start(to.customer!, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: SSRC.customer, dtmfPt: 101 });
  peers.agent.start(to.agent!, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: SSRC.agent, dtmfPt: 101 });

  // the supervisor's SRTP phone: a 1433 Hz tone, PCMU, 20 ms packets
  const tx = ctx(KEY);
  let seq = 100;
  let ts = 0;
  let phase = 0;
  const amp = 8000;
  const timer = setInterval(() => {
    const payload = Buffer.alloc(160);
    for (let i = 0; i < 160; i++) {
      payload[i] = LINEAR_TO_ULAW[Math.round(amp * Math.sin(phase)) & 0xffff]!;
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

  // what whisperd sends the supervisor decrypts with the answered key
  const rx = ctx(m![1]!);
  const pcm: number[] = [];
  let bad = 0;
  while (pcm.length < 8000 * 1.5) {
    const r = await received();
    const buf = Buffer.from(r.msg);
    if (buf[0]! < 128 || buf[0]! > 191 || (buf[1]! & 0x7f) !== 0) continue;
    const n = rx.unprotect(buf, buf.length, false);
    if (n < 0) {
      bad++;
      continue;
    }
    for (let i = 12; i < n; i++) pcm.push(ULAW_TO_LINEAR[buf[i]!]!);
  }
  t.equal(bad, 0, 'every packet to the supervisor authenticates with the answered key');
  const heardBySup = levels(Int16Array.from(pcm), 8000, [F_CUSTOMER, F_AGENT], 1000);
  t.ok(heardBySup[F_CUSTOMER]! > -30 && heardBySup[F_AGENT]! > -30, `supervisor hears customer and agent (${JSON.stringify(heardBySup)})`);

  // whisper: the agent hears the supervisor, the customer does not
  peers.agent.clear();
  peers.customer.clear();
  await peers.agent.waitPackets(60, 0);
  await peers.customer.waitPackets(60, 0);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -30, `agent hears the SRTP supervisor (${peak(c, 'agent', F_SUPERVISOR).toFixed(1)} dB)`);
  t.ok(peak(c, 'customer', F_SUPERVISOR) < -45, `customer does not (${peak(c, 'customer', F_SUPERVISOR).toFixed(1)} dB)`);
});
