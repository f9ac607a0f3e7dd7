/**
 * Review (issue #12, lifecycle): everything a secure leg holds — SRTP contexts (native handles), the DTLS
 * session (native connection + retransmit/deadline timers), the ICE agent (its timer) — is released when the
 * call is deleted, and the ones a re-INVITE replaces are released at once. Counted on the real objects.
 */
import t from 'tap';
import { SrtpContext } from '../../src/media/srtp';
import { DtlsSession } from '../../src/media/dtls/DtlsSession';
import { liveAgents } from '../../src/media/ice/counters';
import { startTestDaemon } from '../fixtures/daemon';
import { opensslIdentity } from '../fixtures/dtls';
import { ngSdp, sdpText } from '../fixtures/sdpScenario';
import { udpSocket } from '../fixtures/udp';

const KEY_A = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';
const KEY_A2 = 'Kl3GFJ5Gqz5x07xYkoyHODkVkSpiplZnXsQIw+Q7';

t.test('an SDES call re-keyed by a re-INVITE, a DTLS+ICE call and a DTLS client leg: after delete no SRTP context, DTLS session or ICE agent is left', async (t) => {
  const contexts: SrtpContext[] = [];
  const realCreate = SrtpContext.create.bind(SrtpContext);
  SrtpContext.create = ((...args: Parameters<typeof SrtpContext.create>) => {
    const c = realCreate(...args);
    contexts.push(c);
    return c;
  }) as typeof SrtpContext.create;
  const sessions = new Set<DtlsSession>();
  const proto = DtlsSession.prototype as unknown as { close(): void; connect(a: string, p: number): void; receive(m: Buffer, a: string, p: number): void };
  const realClose = proto.close;
  proto.close = function (this: DtlsSession) {
    sessions.delete(this);
    realClose.call(this);
  };
  const track = <K extends 'connect' | 'receive'>(name: K): void => {
    const real = proto[name] as (...a: unknown[]) => void;
    (proto as Record<string, unknown>)[name] = function (this: DtlsSession, ...a: unknown[]) {
      if (this.state !== 'closed') sessions.add(this);
      return real.apply(this, a);
    };
  };
  track('connect');
  track('receive');
  t.teardown(() => {
    SrtpContext.create = realCreate;
    proto.close = realClose;
  });
  const agentsBefore = liveAgents.size;
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const a = await udpSocket(t);
  const b = await udpSocket(t);
  const id = await opensslIdentity(t);
  // SDES call, then a re-INVITE with a new key (the old rx context must go at once).
  const keys = { ICE: 'remove', DTLS: 'off', 'call-id': 'review-life-sdes', 'from-tag': 'ft' };
  const offerA = (key: string, v: number): string => sdpText('v=0', `o=- 1 ${v} IN IP4 127.0.0.1`, 's=tester', 't=0 0', `m=audio ${a.address().port} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key}`);
  const answerB = (v: number): string => sdpText('v=0', `o=- 2 ${v} IN IP4 127.0.0.1`, 's=tester', 't=0 0', `m=audio ${b.address().port} RTP/AVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv');
  await ngSdp(t, td, 'offer', { ...keys, 'transport-protocol': 'RTP/AVP' }, offerA(KEY_A, 1));
  await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, answerB(1));
  const firstKeys = contexts.length;
  t.ok(firstKeys >= 2, `SRTP contexts made for the SDES leg (${firstKeys})`);
  await ngSdp(t, td, 'offer', { ...keys, 'transport-protocol': 'RTP/AVP' }, offerA(KEY_A2, 2));
  await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, answerB(2));
  t.ok(contexts.slice(0, firstKeys).some((c) => c.isDestroyed), 'the re-INVITE\'s new key replaced (and freed) an old context');
  // DTLS + ICE call (whisperd full ICE towards an offerer with ICE, passive DTLS).
  const dk = { 'call-id': 'review-life-dtls', 'from-tag': 'ft' };
  await ngSdp(t, td, 'offer', { ...dk, 'transport-protocol': 'RTP/AVP', ICE: 'remove' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${a.address().port} UDP/TLS/RTP/SAVPF 0`, 'a=setup:actpass', `a=fingerprint:sha-256 ${id.fingerprint}`, 'a=rtcp-mux',
    'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwxyz', `a=candidate:1 1 UDP 2130706431 127.0.0.1 ${a.address().port} typ host`));
  await ngSdp(t, td, 'answer', { ...dk, 'to-tag': 'tt' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${b.address().port} RTP/AVP 0`));
  t.ok(liveAgents.size > agentsBefore, 'an ICE agent runs for the WebRTC-style leg');
  // DTLS without ICE, the offerer passive: whisperd is the client and starts its handshake (retransmit timer).
  const ak = { 'call-id': 'review-life-active', 'from-tag': 'ft', ICE: 'remove' };
  await ngSdp(t, td, 'offer', { ...ak, 'transport-protocol': 'RTP/AVP' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${a.address().port} UDP/TLS/RTP/SAVP 0`, 'a=setup:passive', `a=fingerprint:sha-256 ${id.fingerprint}`));
  await ngSdp(t, td, 'answer', { ...ak, 'to-tag': 'tt' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${b.address().port} RTP/AVP 0`));
  t.ok([...sessions].some((s) => s.role === 'active' && s.state === 'connecting'), 'whisperd\'s DTLS client is handshaking');
  for (const callId of ['review-life-sdes', 'review-life-dtls', 'review-life-active']) {
    const r = await td.ng.request({ command: 'delete', 'call-id': callId, 'from-tag': 'ft' });
    t.equal(r.result, 'ok', `delete ${callId}`);
  }
  for (let i = 0; i < 200 && (liveAgents.size > agentsBefore || contexts.some((c) => !c.isDestroyed)); i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(liveAgents.size, agentsBefore, 'no ICE agent (nor its timer) left');
  t.same(contexts.filter((c) => !c.isDestroyed).length, 0, `all ${contexts.length} SRTP contexts freed`);
  t.equal(sessions.size, 0, 'no DTLS session left open (its retransmit and deadline timers stopped)');
});
