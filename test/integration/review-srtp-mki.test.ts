/**
 * Review (issue #12: "MKI and key lifetime parsing"): an a=crypto MKI longer than 4 bytes is valid SDES
 * (RFC 4568 §9.1: MKI length 1..128; rtpengine sdp.c keeps up to 256 bytes, the value in the last four).
 * whisperd's SDP layer accepts it, so the SRTP plane must take it too: the offerer's SRTP with a 5-byte MKI
 * reaches the plain answerer decrypted, instead of the leg silently dropping all media.
 */
import t from 'tap';
import { SrtpContext } from '../../src/media/srtp';
import { startTestDaemon } from '../fixtures/daemon';
import { ngSdp, sdpText } from '../fixtures/sdpScenario';
import { inbox, udpSocket } from '../fixtures/udp';
import { rtp } from '../fixtures/rtpengine/scenario';

const KEY_A = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';

t.test('SDES offer with a 5-byte MKI (|1:5): the offerer\'s SRTP carrying that MKI is decrypted and reaches the plain answerer', async (t) => {
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const a = await udpSocket(t);
  const b = await udpSocket(t);
  const recvB = inbox(b);
  const keys = { ICE: 'remove', DTLS: 'off', 'call-id': 'review-mki5', 'from-tag': 'ft' };
  await ngSdp(t, td, 'offer', { ...keys, 'transport-protocol': 'RTP/AVP' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=tester', 't=0 0',
    `m=audio ${a.address().port} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}|2^31|1:5`));
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=tester', 't=0 0',
    `m=audio ${b.address().port} RTP/AVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv'));
  const portA = Number(/m=audio (\d+)/.exec(answer)![1]);
  // SRTP (RFC 3711 §3.1): header | encrypted payload | MKI | tag; the tag covers header + payload only.
  const raw = Buffer.from(KEY_A, 'base64');
  const ctx = SrtpContext.create({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: raw.subarray(0, 16), masterSalt: raw.subarray(16) });
  t.teardown(() => ctx.destroy());
  const plain = rtp(0, 10, 160, 0x1234, Buffer.alloc(160, 7));
  const buf = Buffer.alloc(plain.length + 64);
  plain.copy(buf);
  const n = ctx.protect(buf, plain.length, false);
  t.equal(n, plain.length + 10, 'protected');
  const srtp = Buffer.concat([buf.subarray(0, plain.length), Buffer.from([0, 0, 0, 0, 1]), buf.subarray(plain.length, n)]);
  a.send(srtp, portA, '127.0.0.1');
  const got = await recvB();
  t.same(got.msg, plain, 'B gets the packet decrypted');
});
