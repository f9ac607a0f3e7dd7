/**
 * DTLS-SRTP on an ng call with the openssl command-line tool as the real DTLS peer (RFC 5763/5764): the
 * offerer offers UDP/TLS/RTP/SAVP with a=setup:actpass and its certificate's fingerprint, whisperd answers
 * `DTLS: passive` (a=setup:passive) and takes the ClientHello from wherever it comes — a NATed peer's source
 * port differs from the one in its SDP, and rtpengine does not filter DTLS by source either; the certificate
 * must match the offered fingerprint.
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { keyingMaterial, opensslIdentity, opensslPeer } from '../fixtures/dtls';
import { ngSdp, sdpText } from '../fixtures/sdpScenario';
import { rotateDtlsCertificate } from '../../src/media/dtls/certificate';
import { udpSocket } from '../fixtures/udp';

interface Media {
  protocol: string;
  flags: string[];
  DTLS?: { role: string; state: string };
  streams: Array<Record<string, unknown>>;
}

t.test('passive DTLS leg: openssl s_client handshakes from a port its SDP never named, keys export, query shows the session connected with the negotiated suite', async (t) => {
  const td = await startTestDaemon({ media: { advertisedAddress: '127.0.0.1' } });
  t.teardown(() => td.close());
  const id = await opensslIdentity(t);
  const b = await udpSocket(t);
  const keys = { 'call-id': 'dtls-openssl', 'from-tag': 'ft', ICE: 'remove' };
  await ngSdp(t, td, 'offer', { ...keys, 'transport-protocol': 'RTP/AVP' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 40999 UDP/TLS/RTP/SAVP 0', 'a=setup:actpass', `a=fingerprint:sha-256 ${id.fingerprint}`));
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', DTLS: 'passive' }, sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${b.address().port} RTP/AVP 0`));
  t.match(answer, /^a=setup:passive\r$/m, 'answered passive');
  const portA = Number(/^m=audio (\d+)/m.exec(answer)![1]);
  const client = opensslPeer(t, ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${portA}`, '-cert', id.cert, '-key', id.key,
    '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60']);
  await client.waitFor(/Keying material:/, 15000);
  t.equal(keyingMaterial(client.output())?.length, 60, 'openssl completed the DTLS-SRTP handshake and exported keys');
  let media: Media | undefined;
  for (let i = 0; i < 200; i++) {
    const q = await td.ng.request({ command: 'query', 'call-id': 'dtls-openssl' });
    media = (q.tags as unknown as Record<string, { medias: Media[] }>).ft!.medias[0];
    if (media?.DTLS?.state === 'connected') break;
    await new Promise((r) => setImmediate(r));
  }
  t.same(media?.DTLS, { role: 'passive', state: 'connected' }, 'whisperd\'s session connected, passive');
  t.equal(media?.streams[0]!['crypto suite'], 'AES_CM_128_HMAC_SHA1_80', 'SRTP keyed from the DTLS export');
  t.ok(media?.flags.includes('DTLS-SRTP') && media.flags.includes('DTLS role passive'), 'rtpengine flags');

  // a re-INVITE from the other side offers the DTLS side actpass again, after a certificate rotation: the
  // running session is kept (role, certificate and keys) until an answer decides otherwise
  const firstFp = /^a=fingerprint:sha-256 (\S+)\r$/m.exec(answer)![1];
  rotateDtlsCertificate(); // the process certificate rotates (half-life); live sessions keep theirs
  const reoffer = await ngSdp(t, td, 'offer', { 'call-id': 'dtls-openssl', 'from-tag': 'tt', 'to-tag': 'ft', ICE: 'remove' }, sdpText('v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${b.address().port} RTP/AVP 0`));
  t.match(reoffer, /^m=audio \d+ UDP\/TLS\/RTP\/SAVP 0\r$/m, 're-offer to the DTLS side on its protocol');
  t.match(reoffer, /^a=setup:actpass\r$/m, 'actpass, as rtpengine offers');
  t.equal(/^a=fingerprint:sha-256 (\S+)\r$/m.exec(reoffer)?.[1], firstFp, 'the same certificate');
  const q2 = await td.ng.request({ command: 'query', 'call-id': 'dtls-openssl' });
  const m2 = (q2.tags as unknown as Record<string, { medias: Media[] }>).ft!.medias[0];
  t.same(m2?.DTLS, { role: 'passive', state: 'connected' }, 'the session goes on, still passive and connected');
  t.equal(m2?.streams[0]!['crypto suite'], 'AES_CM_128_HMAC_SHA1_80', 'keys kept');
  // a new call gets the new certificate
  const other = await ngSdp(t, td, 'offer', { 'call-id': 'dtls-openssl-2', 'from-tag': 'x', ICE: 'remove', 'transport-protocol': 'RTP/SAVP', SDES: ['off'] },
    sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 41000 RTP/AVP 0'));
  t.not(/^a=fingerprint:sha-256 (\S+)\r$/m.exec(other)?.[1], firstFp, 'a new call presents the rotated certificate');
});
