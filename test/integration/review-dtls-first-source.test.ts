/**
 * Review (issue #12, "Bad input: DTLS garbage ... never another call disturbed"): a passive DTLS leg without
 * ICE takes the first ClientHello's source (57d8c24). A datagram that is NOT a ClientHello — garbage in the
 * DTLS first-byte range (RFC 7983: 20..63), which DtlsSession drops as malformed — must not bind the leg to
 * its sender: the real peer's handshake that follows still completes. The offerer says a=setup:active, so
 * whisperd's side of that leg is passive from its first session on.
 */
import t from 'tap';
import { dtlsCertificate, dtlsNative } from '../../src/media/dtls/certificate';
import { dtlsCounters } from '../../src/media/dtls/counters';
import { startTestDaemon } from '../fixtures/daemon';
import { keyingMaterial, opensslIdentity, opensslPeer } from '../fixtures/dtls';
import { ngSdp, sdpText } from '../fixtures/sdpScenario';
import { udpSocket } from '../fixtures/udp';

t.test('passive DTLS leg: one spoofed garbage datagram in the DTLS range does not bind the leg, the peer\'s handshake still completes', async (t) => {
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const id = await opensslIdentity(t);
  const b = await udpSocket(t);
  const attacker = await udpSocket(t);
  const keys = { 'call-id': 'review-dtls-garbage', 'from-tag': 'ft', ICE: 'remove' };
  await ngSdp(t, td, 'offer', { ...keys, 'transport-protocol': 'RTP/AVP' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 40999 UDP/TLS/RTP/SAVP 0', 'a=setup:active', `a=fingerprint:sha-256 ${id.fingerprint}`));
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${b.address().port} RTP/AVP 0`));
  t.match(answer, /^a=setup:passive\r$/m, 'answered passive');
  const portA = Number(/^m=audio (\d+)/m.exec(answer)![1]);
  // A handshake record header with a length beyond the datagram: not a ClientHello, dropped as malformed.
  const before = dtlsCounters.dropped.malformed;
  attacker.send(Buffer.from([0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x00, 1, 2, 3]), portA, '127.0.0.1');
  for (let i = 0; i < 2000 && dtlsCounters.dropped.malformed === before; i++) await new Promise((r) => setTimeout(r, 5));
  t.equal(dtlsCounters.dropped.malformed, before + 1, 'the garbage reached the leg\'s session and was dropped as malformed');
  const client = opensslPeer(t, ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${portA}`, '-cert', id.cert, '-key', id.key,
    '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60']);
  await client.waitFor(/Keying material:/, 15000);
  t.equal(keyingMaterial(client.output())?.length, 60, 'openssl (the real peer) completed the DTLS-SRTP handshake');
});

t.test('passive DTLS leg: a stranger that handshakes first with a certificate not matching a=fingerprint does not lock out the real peer', async (t) => {
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const id = await opensslIdentity(t);
  const stranger = await opensslIdentity(t);
  const b = await udpSocket(t);
  const keys = { 'call-id': 'review-dtls-stranger', 'from-tag': 'ft', ICE: 'remove' };
  await ngSdp(t, td, 'offer', { ...keys, 'transport-protocol': 'RTP/AVP' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 40999 UDP/TLS/RTP/SAVP 0', 'a=setup:active', `a=fingerprint:sha-256 ${id.fingerprint}`));
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${b.address().port} RTP/AVP 0`));
  t.match(answer, /^a=setup:passive\r$/m, 'answered passive');
  const portA = Number(/^m=audio (\d+)/m.exec(answer)![1]);
  const failedBefore = dtlsCounters.handshakes.failed;
  const bad = opensslPeer(t, ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${portA}`, '-cert', stranger.cert, '-key', stranger.key,
    '-use_srtp', 'SRTP_AES128_CM_SHA1_80']);
  await bad.exited;
  t.equal(dtlsCounters.handshakes.failed, failedBefore + 1, 'the stranger\'s handshake failed (certificate does not match a=fingerprint)');
  // Right after a stranger's failure the session takes no new ClientHello for a second (each costs an ECDHE and
  // a signature: spoofed sources must not make one session handshake without end).
  const n = dtlsNative();
  const c = n.dtlsConnCreate(dtlsCertificate().handle, true, 1200);
  const out = n.dtlsFeed(c, null, 0, 0);
  n.destroy(c);
  if (typeof out === 'number') throw new Error('no ClientHello');
  const refusedBefore = dtlsCounters.handshakes.refused;
  const flooder = await udpSocket(t);
  flooder.send(out[0]!, portA, '127.0.0.1');
  for (let i = 0; i < 2000 && dtlsCounters.handshakes.refused === refusedBefore; i++) await new Promise((r) => setTimeout(r, 5));
  t.equal(dtlsCounters.handshakes.refused, refusedBefore + 1, 'a second stranger\'s ClientHello at once is refused and counted');
  const client = opensslPeer(t, ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${portA}`, '-cert', id.cert, '-key', id.key,
    '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60']);
  await client.waitFor(/Keying material:/, 15000);
  t.equal(keyingMaterial(client.output())?.length, 60, 'the real peer still completes the DTLS-SRTP handshake');
});
