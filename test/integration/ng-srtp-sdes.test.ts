/**
 * SDES-SRTP offer/answer (RFC 4568) as rtpengine 10.5 writes it: each test is one scenario of rtpengine's
 * t/auto-daemon-tests.pl (mr10.5.3.5), input and expected reply verbatim (CRYPTO128 etc.: AutoTest.pm's
 * placeholders for keys whisperd generates).
 */
import t from 'tap';
import { ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { matchSecureSdp } from '../fixtures/secureScenario';

const KEYS = { ICE: 'remove', replace: ['origin'], DTLS: 'off' };
const OA = 'o=- 1545997027 1 IN IP4 198.51.100.1';
const OR = 'o=- 1545997027 1 IN IP4 203.0.113.1';
const OFFER_ALL_AFTER_1 = [
  'a=crypto:2 AEAD_AES_256_GCM inline:CRYPTO256S',
  'a=crypto:3 AEAD_AES_128_GCM inline:CRYPTO128S',
  'a=crypto:4 AES_256_CM_HMAC_SHA1_80 inline:CRYPTO256',
  'a=crypto:5 AES_256_CM_HMAC_SHA1_32 inline:CRYPTO256',
  'a=crypto:6 AES_192_CM_HMAC_SHA1_80 inline:CRYPTO192',
  'a=crypto:7 AES_192_CM_HMAC_SHA1_32 inline:CRYPTO192',
  'a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:CRYPTO128',
  'a=crypto:9 F8_128_HMAC_SHA1_80 inline:CRYPTO128',
  'a=crypto:10 F8_128_HMAC_SHA1_32 inline:CRYPTO128',
  'a=crypto:11 NULL_HMAC_SHA1_80 inline:CRYPTO128',
  'a=crypto:12 NULL_HMAC_SHA1_32 inline:CRYPTO128',
];
const KEY_A = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';
const KEY_B = 'Kl3GFJ5Gqz5x07xYkoyHODkVkSpiplZnXsQIw+Q7';

function offerSdp(proto: string, port: number): string {
  return sdpText('v=0', OA, 's=tester', 't=0 0', `m=audio ${port} ${proto} 0`, 'c=IN IP4 198.51.100.1', 'a=sendrecv', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`);
}
function forwardedOffer(proto: string): string {
  return sdpText('v=0', OR, 's=tester', 't=0 0', `m=audio PORT ${proto} 0`, 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT',
    `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`, ...OFFER_ALL_AFTER_1);
}

t.test('reg SRTP offer, accept, diff suite: all suites offered in crypto.c order after the offerer\'s, answer re-keyed with the offered suite', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { ...KEYS, 'call-id': 'srtp-diff', 'from-tag': 'ft' };
  const offer = await ngSdp(t, td, 'offer', keys, offerSdp('RTP/SAVP', 3328));
  const got = matchSecureSdp(t, offer, forwardedOffer('RTP/SAVP'));
  t.equal(got.length, 13, 'ports and generated keys matched');
  t.not(got[8], KEY_A, 'tag 8 key is whisperd\'s own');
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', OA, 's=tester', 't=0 0', 'm=audio 3330 RTP/SAVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv', `a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:${KEY_B}`));
  const a = matchSecureSdp(t, answer, sdpText('v=0', OR, 's=tester', 't=0 0', 'm=audio PORT RTP/SAVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:CRYPTO128'));
  t.not(a[2], KEY_A, 'the offerer is answered a fresh key');
  t.not(a[2], KEY_B, 'not the answerer\'s (other suite)');
});

t.test('OSRTP offer, accept, same suite: RTP/AVP with a=crypto is offered on as OSRTP and the answerer\'s key is passed through', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { ...KEYS, 'call-id': 'osrtp-same', 'from-tag': 'ft' };
  matchSecureSdp(t, await ngSdp(t, td, 'offer', keys, offerSdp('RTP/AVP', 3316)), forwardedOffer('RTP/AVP'));
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', OA, 's=tester', 't=0 0', 'm=audio 3318 RTP/AVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_B}`));
  matchSecureSdp(t, answer, sdpText('v=0', OR, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_B}`));
});

t.test('OSRTP offer, reject: a plain answer turns the offerer\'s leg plain (no a=crypto answered)', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { ...KEYS, 'call-id': 'osrtp-reject', 'from-tag': 'ft' };
  matchSecureSdp(t, await ngSdp(t, td, 'offer', keys, offerSdp('RTP/AVP', 3324)), forwardedOffer('RTP/AVP'));
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', OA, 's=tester', 't=0 0', 'm=audio 3326 RTP/AVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv'));
  matchSecureSdp(t, answer, sdpText('v=0', OR, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});
