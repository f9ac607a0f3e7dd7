/**
 * SDES-SRTP offer/answer (RFC 4568) as rtpengine 10.5 writes it: each test is one scenario of rtpengine's
 * t/auto-daemon-tests.pl (mr10.5.3.5), input and expected reply verbatim (CRYPTO128 etc.: AutoTest.pm's
 * placeholders for keys whisperd generates).
 */
import t from 'tap';
import { ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { matchSecureSdp } from '../fixtures/secureScenario';
import { droppedPackets, startTestDaemon } from '../fixtures/daemon';
import { inbox, udpSocket } from '../fixtures/udp';
import { rtp } from '../fixtures/rtpengine/scenario';
import { SrtpContext } from '../../src/media/srtp';
import type { SrtpSuite } from '../../src/media/secure';

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

/** Protect an RTP packet with `key` (base64 key||salt) for `suite` — the test's SRTP endpoint. */
function srtpCtx(suite: SrtpSuite, b64: string): SrtpContext {
  const raw = Buffer.from(b64, 'base64');
  const keyLen = suite.startsWith('AES_256') ? 32 : suite.startsWith('AES_192') ? 24 : 16;
  return SrtpContext.create({ suite, masterKey: raw.subarray(0, keyLen), masterSalt: raw.subarray(keyLen) });
}

function protect(ctx: SrtpContext, pkt: Buffer): Buffer {
  const buf = Buffer.alloc(pkt.length + 64);
  pkt.copy(buf);
  const n = ctx.protect(buf, pkt.length, false);
  if (n < 0) throw new Error(`protect ${n}`);
  return buf.subarray(0, n);
}

function unprotect(ctx: SrtpContext, pkt: Buffer): Buffer | null {
  const buf = Buffer.from(pkt);
  const n = ctx.unprotect(buf, buf.length, false);
  return n < 0 ? null : buf.subarray(0, n);
}

t.test('reg SRTP offer, accept, diff suite: SRTP is decrypted with the offerer\'s key and re-encrypted with the suite and key the answerer accepted, both ways; query shows SDES and the suites', async (t) => {
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const a = await udpSocket(t);
  const b = await udpSocket(t);
  const recvA = inbox(a);
  const recvB = inbox(b);
  const pa = a.address().port;
  const pb = b.address().port;
  const keys = { ...KEYS, 'call-id': 'srtp-media', 'from-tag': 'ft' };
  const offer = await ngSdp(t, td, 'offer', keys, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=tester', 't=0 0', `m=audio ${pa} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`));
  const tag8 = /a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:(\S+)/.exec(offer)![1]!;
  const portToB = Number(/m=audio (\d+)/.exec(offer)![1]);
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=tester', 't=0 0', `m=audio ${pb} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', `a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:${KEY_B}`));
  const keyToA = /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:(\S+)/.exec(answer)![1]!;
  const portToA = Number(/m=audio (\d+)/.exec(answer)![1]);
  const payload = Buffer.alloc(160, 0x55);

  const aTx = srtpCtx('AES_CM_128_HMAC_SHA1_80', KEY_A);
  const bRx = srtpCtx('AES_CM_128_HMAC_SHA1_32', tag8);
  a.send(protect(aTx, rtp(0, 1000, 3000, 0x1234, payload)), portToA, '127.0.0.1');
  const atB = await recvB();
  t.equal(atB.msg.length, 12 + 160 + 4, 'A->B: SRTP with the 32-bit tag of the accepted suite');
  t.same(unprotect(bRx, atB.msg), rtp(0, 1000, 3000, 0x1234, payload), 'A->B decrypts with whisperd\'s tag-8 key to A\'s packet');

  const bTx = srtpCtx('AES_CM_128_HMAC_SHA1_32', KEY_B);
  const aRx = srtpCtx('AES_CM_128_HMAC_SHA1_80', keyToA);
  b.send(protect(bTx, rtp(0, 2000, 4000, 0x3456, payload)), portToB, '127.0.0.1');
  const atA = await recvA();
  t.equal(atA.msg.length, 12 + 160 + 10, 'B->A: 80-bit tag');
  t.same(unprotect(aRx, atA.msg), rtp(0, 2000, 4000, 0x3456, payload), 'B->A decrypts with the key answered to A');

  const q = await td.ng.request({ command: 'query', 'call-id': 'srtp-media' });
  const tags = q.tags as Record<string, { medias: Array<{ flags: string[]; protocol: string; streams: Array<Record<string, unknown>> }> }>;
  t.ok(tags.ft!.medias[0]!.flags.includes('SDES'), 'offerer leg flagged SDES');
  t.equal(tags.ft!.medias[0]!.protocol, 'RTP/SAVP');
  t.equal(tags.ft!.medias[0]!.streams[0]!['crypto suite'], 'AES_CM_128_HMAC_SHA1_80');
  t.equal(tags.tt!.medias[0]!.streams[0]!['crypto suite'], 'AES_CM_128_HMAC_SHA1_32');
});

t.test('re-INVITE: a re-offer keeps the key of the suite the answerer accepted (rtpengine keeps cps_orig), the offerer\'s own keys pass on unchanged', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { ...KEYS, 'call-id': 'srtp-reinvite', 'from-tag': 'ft' };
  const first = await ngSdp(t, td, 'offer', keys, offerSdp('RTP/SAVP', 3328));
  const tag8 = /a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:(\S+)/.exec(first)![1];
  await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', OA, 's=tester', 't=0 0', 'm=audio 3330 RTP/SAVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv', `a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:${KEY_B}`));
  const again = await ngSdp(t, td, 'offer', keys, offerSdp('RTP/SAVP', 3328));
  t.match(again, new RegExp(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A.replace(/[+/]/g, '\\$&')}\r\n`), 'offerer\'s key passed on');
  t.equal(/a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:(\S+)/.exec(again)?.[1], tag8, 'accepted suite keeps its key and tag');
  t.equal(again.match(/^a=crypto:/gm)?.length, 12, 'every suite offered again');
});

t.test('hostile a=crypto lines (junk key parameters, unknown suites, 500 lines) are ignored: the offer succeeds, none is forwarded, whisperd offers its own suites', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const junk: string[] = [];
  for (let i = 0; i < 500; i++) junk.push(`a=crypto:${i} ${i % 2 ? 'AES_CM_128_HMAC_SHA1_80' : 'BOGUS_SUITE'} inline:${i % 3 ? '!!!!' : 'A'.repeat(39)}|2^${i}|${i}:${i}`);
  const sdp = sdpText('v=0', OA, 's=tester', 't=0 0', 'm=audio 3400 RTP/SAVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv', ...junk, 'a=crypto:x', 'a=crypto:', 'a=fingerprint:sha-256 zz', 'a=setup:sideways');
  const reply = await ngSdp(t, td, 'offer', { ...KEYS, 'call-id': 'srtp-junk', 'from-tag': 'ft' }, sdp);
  const cryptos = reply.match(/^a=crypto:.*$/gm) ?? [];
  t.equal(cryptos.length, 12, 'whisperd\'s 12 suites');
  t.match(cryptos[0]!, /^a=crypto:1 AEAD_AES_256_GCM inline:/, 'numbered from 1: nothing of the junk kept');
  // Whole junk tokens only: whisperd's own keys are random base64 and may hold a short string such as "zz".
  t.notMatch(reply, /BOGUS_SUITE|!!!!|A{39}|\|2\^|a=fingerprint:sha-256 zz|a=setup:sideways/, 'no junk forwarded');
});

t.test('flag passthrough: the offerer\'s keying goes through untouched and whisperd adds none (rtpengine PASSTHRU); the leg is not decrypted', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const reply = await ngSdp(t, td, 'offer', { ...KEYS, 'call-id': 'srtp-passthru', 'from-tag': 'ft', flags: ['passthrough'] }, offerSdp('RTP/SAVP', 3500));
  matchSecureSdp(t, reply, sdpText('v=0', OR, 's=tester', 't=0 0', 'm=audio PORT RTP/SAVP 0', 'c=IN IP4 203.0.113.1', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
  const q = await td.ng.request({ command: 'query', 'call-id': 'srtp-passthru' });
  const tags = q.tags as Record<string, { medias: Array<{ flags: string[]; streams: Array<Record<string, unknown>> }> }>;
  t.ok(tags.ft!.medias[0]!.flags.includes('passthrough'), 'query: passthrough');
  t.equal(tags.ft!.medias[0]!.streams[0]!['crypto suite'], undefined, 'no SRTP context on the leg');
});

t.test('an SDES leg whose keys are not complete yet (offer sent, no answer) drops what arrives (srtp_no_keys) instead of forwarding it; after the answer it is decrypted and forwarded', async (t) => {
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const a = await udpSocket(t);
  const b = await udpSocket(t);
  const recvA = inbox(a);
  const keys = { ...KEYS, 'call-id': 'srtp-early', 'from-tag': 'ft' };
  const offer = await ngSdp(t, td, 'offer', keys, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=tester', 't=0 0', `m=audio ${a.address().port} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`));
  const portToB = Number(/m=audio (\d+)/.exec(offer)![1]);
  const before = await droppedPackets(td, 'srtp_no_keys');
  const bTx = srtpCtx('AES_CM_128_HMAC_SHA1_32', KEY_B);
  b.send(protect(bTx, rtp(0, 10, 160, 0x3456, Buffer.alloc(160, 1))), portToB, '127.0.0.1');
  for (let i = 0; i < 100 && (await droppedPackets(td, 'srtp_no_keys')) === before; i++) await new Promise((r) => setImmediate(r));
  t.equal((await droppedPackets(td, 'srtp_no_keys')) - before, 1, 'the early packet is dropped as srtp_no_keys');
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=tester', 't=0 0', `m=audio ${b.address().port} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', `a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:${KEY_B}`));
  const aRx = srtpCtx('AES_CM_128_HMAC_SHA1_80', /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:(\S+)/.exec(answer)![1]!);
  b.send(protect(bTx, rtp(0, 11, 320, 0x3456, Buffer.alloc(160, 2))), portToB, '127.0.0.1');
  const got = await recvA();
  t.same(unprotect(aRx, got.msg), rtp(0, 11, 320, 0x3456, Buffer.alloc(160, 2)), 'the first packet A gets is the one sent after the answer, encrypted for A');
});
