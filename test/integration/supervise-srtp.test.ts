/**
 * A supervisor whose own phone talks SDES-SRTP (RFC 4568): whisperd answers its RTP/SAVP offer with the
 * offered suite and tag and a fresh key of its own, decrypts what the supervisor sends (the whisper reaches
 * the agent, never the customer) and encrypts what it sends to the supervisor (the supervisor decrypts the
 * call's audio with the answered key).
 */
import t from 'tap';
import type dgram from 'node:dgram';
import { startTestDaemon } from '../fixtures/daemon';
import { F_AGENT, F_CUSTOMER } from '../fixtures/supervisedCall';
import { inbox, type Received } from '../fixtures/udp';
import { levels } from '../fixtures/media';
import { agentOnlyHearsSupervisor, decryptPcmu, SDES_KEY, sdesContext, sdesSupervision, sendSrtpTone, startCustomerAndAgent } from '../fixtures/sdesSupervisor';

t.test('supervisor on SDES-SRTP: answered RTP/SAVP with a=crypto (offered tag and suite, own key); its SRTP whisper reaches the agent only; it hears the call through SRTP', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  let received: () => Promise<Received> = () => Promise.reject(new Error('no inbox'));
  const s = await sdesSupervision(t, td, 'sup-srtp', (sock: dgram.Socket) => void (received = inbox(sock)));
  t.match(s.sdp, /^m=audio \d+ RTP\/SAVP 0 101\r$/m, 'answered on RTP/SAVP');
  t.ok(s.answeredKey, 'one a=crypto with the offered tag and suite');
  t.not(s.answeredKey, SDES_KEY, 'whisperd\'s own key');

  startCustomerAndAgent(s.c);
  // the supervisor's SRTP phone: a 1433 Hz tone, PCMU, 20 ms packets
  sendSrtpTone(t, s, sdesContext(SDES_KEY), 100);

  // what whisperd sends the supervisor decrypts with the answered key
  const { pcm, bad } = await decryptPcmu(received, sdesContext(s.answeredKey!), 8000 * 1.5);
  t.equal(bad, 0, 'every packet to the supervisor authenticates with the answered key');
  const heardBySup = levels(Int16Array.from(pcm), 8000, [F_CUSTOMER, F_AGENT], 1000);
  t.ok(heardBySup[F_CUSTOMER]! > -30 && heardBySup[F_AGENT]! > -30, `supervisor hears customer and agent (${JSON.stringify(heardBySup)})`);

  // whisper: the agent hears the supervisor, the customer does not
  await agentOnlyHearsSupervisor(t, s.c, 'agent hears the SRTP supervisor', 'customer does not');
});
