/**
 * DTLS-SRTP signalling (RFC 5763 / RFC 4145 a=setup, RFC 8122 a=fingerprint) as rtpengine 10.5 writes it:
 * scenarios of rtpengine's t/auto-daemon-tests.pl (mr10.5.3.5), input and expected reply verbatim;
 * FINGERPRINT256 is the process certificate's sha-256 fingerprint (helper D's dtlsCertificate).
 */
import t from 'tap';
import { ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { matchSecureSdp } from '../fixtures/secureScenario';

const O = 'o=Z 58440449 0 IN IP4 192.168.1.1';
const PLAIN_OFFER = sdpText('v=0', O, 's=Z', 'c=IN IP4 192.168.1.1', 't=0 0', 'm=audio 8000 RTP/AVP 0 101 8', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=sendrecv');
const DTLS_OFFERED = sdpText('v=0', O, 's=Z', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/SAVP 0 101 8', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT', 'a=setup:actpass', 'a=fingerprint:sha-256 FINGERPRINT256');

t.test('fingerprint selection: an RTP/SAVP offer with SDES off carries a=setup:actpass and the sha-256 fingerprint; the DTLS answer is answered plain; a re-offer keeps DTLS', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { 'call-id': 'fp-sel', 'from-tag': 'ft' };
  const offered = matchSecureSdp(t, await ngSdp(t, td, 'offer', { ...keys, ICE: 'remove', flags: [], 'transport-protocol': 'RTP/SAVP', SDES: ['off'] }, PLAIN_OFFER), DTLS_OFFERED);
  t.equal(offered.length, 3);
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', flags: [] }, sdpText('v=0', O, 's=Z', 'c=IN IP4 192.168.1.1', 't=0 0', 'm=audio 9000 RTP/SAVP 0', 'a=setup:actpass',
    'a=fingerprint:SHA-1 f1:d2:d2:f9:24:e9:86:ac:86:fd:f7:b3:6c:94:bc:df:32:be:ec:15'));
  matchSecureSdp(t, answer, sdpText('v=0', O, 's=Z', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
  const again = matchSecureSdp(t, await ngSdp(t, td, 'offer', { ...keys, flags: [] }, PLAIN_OFFER), DTLS_OFFERED);
  t.equal(again[2], offered[2], 'same certificate fingerprint');
});

t.test('DTLS-fingerprint: sha-1 asked for is printed with sha-1 (rtpengine fp_hash_func)', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { 'call-id': 'fp-sha1', 'from-tag': 'ft', ICE: 'remove', 'transport-protocol': 'RTP/SAVP', SDES: ['off'], 'DTLS-fingerprint': 'sha-1' };
  matchSecureSdp(t, await ngSdp(t, td, 'offer', keys, PLAIN_OFFER), DTLS_OFFERED.replace('a=fingerprint:sha-256 FINGERPRINT256', 'a=fingerprint:sha-1 FINGERPRINT'));
});

const FP = 'DA:89:F7:04:38:D9:04:E1:9E:25:1A:43:87:8D:F5:BD:6E:4C:BB:88:12:A6:D5:FA:B1:4A:34:BC:32:C0:05:FE';
const O4 = 'o=test 2350 1824 IN IP4 198.51.100.4';

for (const [name, reverse, setup] of [['DTLS-reverse not set', undefined, 'active'], ['DTLS-reverse set', 'passive', 'passive']] as const) {
  t.test(`${name}: the DTLS offerer is answered a=setup:${setup} (rtpengine __dtls_logic / __generate_crypto)`, async (t) => {
    const td = await startScenarioDaemon();
    t.teardown(() => td.close());
    const keys = { 'call-id': 'dtls-' + setup, 'from-tag': 'ft' };
    const offer = await ngSdp(t, td, 'offer', { ...keys, ICE: 'remove', 'transport-protocol': 'RTP/AVP', ...(reverse ? { 'DTLS-reverse': reverse } : {}) },
      sdpText('v=0', O4, 's=test', 'c=IN IP4 198.51.100.4', 't=0 0', 'm=audio 2000 UDP/TLS/RTP/SAVPF 0', 'a=setup:actpass', `a=fingerprint:SHA-256 ${FP}`));
    matchSecureSdp(t, offer, sdpText('v=0', O4, 's=test', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
    const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', ICE: 'remove' }, sdpText('v=0', O4, 's=test', 'c=IN IP4 198.51.100.4', 't=0 0', 'm=audio 2000 RTP/AVP 0'));
    matchSecureSdp(t, answer, sdpText('v=0', O4, 's=test', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT UDP/TLS/RTP/SAVPF 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT',
      `a=setup:${setup}`, 'a=fingerprint:sha-256 FINGERPRINT256'));
    // query: rtpengine's media flags, and the DTLS session whisperd runs towards the offerer in that role
    const q = await td.ng.request({ command: 'query', 'call-id': 'dtls-' + setup });
    const media = (q.tags as Record<string, { medias: Array<{ protocol: string; flags: string[]; DTLS?: { role: string; state: string } }> }>).ft!.medias[0]!;
    t.equal(media.protocol, 'UDP/TLS/RTP/SAVPF');
    t.ok(media.flags.includes('DTLS-SRTP') && media.flags.includes(`DTLS role ${setup}`), `flags ${media.flags.join(', ')}`);
    t.notOk(media.flags.includes('SDES'), 'DTLS wins over SDES');
    t.equal(media.DTLS?.role, setup, 'a DTLS session runs in the answered role');
  });
}
