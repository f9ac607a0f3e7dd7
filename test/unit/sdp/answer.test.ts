import t from 'tap';
import { createAnswerSdp, parseSdp, type Payload } from '../../../src/sdp/index';
import { AUDIO_VIDEO_OFFER, HOLD_OFFER, PHONE_OFFER, WEBRTC_OFFER, sdp } from '../../fixtures/sdp/sdp';

const PCMU: Payload = { pt: 0, encoding: 'PCMU', clockRate: 8000, channels: 1, fmtp: null };
const PCMA: Payload = { pt: 8, encoding: 'PCMA', clockRate: 8000, channels: 1, fmtp: null };
const TE: Payload = { pt: 101, encoding: 'telephone-event', clockRate: 8000, channels: 1, fmtp: '0-15' };

t.test('answers audio, rejects video with the offer\'s first fmt', async (t) => {
  const offer = parseSdp(AUDIO_VIDEO_OFFER);
  t.equal(
    createAnswerSdp({
      offer,
      address: '127.0.0.1',
      sessionId: 42,
      medias: [{ port: 40000, rtcpPort: 40001, payloads: [PCMU, TE] }, null],
    }),
    sdp(
      'v=0',
      'o=whisperd 42 1 IN IP4 127.0.0.1',
      's=whisperd',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 40000 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=sendrecv',
      'a=rtcp:40001',
      'm=video 0 RTP/AVP 99',
    ),
  );
});

t.test('ptime copied from the offer; explicit session version', async (t) => {
  const offer = parseSdp(PHONE_OFFER);
  t.equal(
    createAnswerSdp({ offer, address: '127.0.0.1', sessionId: '9007199254740993', sessionVersion: 7, medias: [{ port: 40002, rtcpPort: 40003, payloads: [PCMA] }] }),
    sdp(
      'v=0',
      'o=whisperd 9007199254740993 7 IN IP4 127.0.0.1',
      's=whisperd',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 40002 RTP/AVP 8',
      'a=rtpmap:8 PCMA/8000',
      'a=sendrecv',
      'a=rtcp:40003',
      'a=ptime:20',
    ),
  );
});

t.test('direction is the complement of the offer\'s, unless overridden', async (t) => {
  const dirOf = (offerDir: string, override?: 'sendrecv' | 'inactive'): string => {
    const offer = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0', `a=${offerDir}`));
    const out = createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 1, medias: [{ port: 40000, rtcpPort: 40001, payloads: [PCMU], ...(override ? { direction: override } : {}) }] });
    return out.split('\r\n').at(-3)!;
  };
  t.equal(dirOf('sendonly'), 'a=recvonly');
  t.equal(dirOf('recvonly'), 'a=sendonly');
  t.equal(dirOf('inactive'), 'a=inactive');
  t.equal(dirOf('sendrecv'), 'a=sendrecv');
  t.equal(dirOf('sendonly', 'inactive'), 'a=inactive');
  const hold = createAnswerSdp({ offer: parseSdp(HOLD_OFFER), address: '127.0.0.1', sessionId: 1, medias: [{ port: 40000, rtcpPort: 40001, payloads: [PCMA] }] });
  t.ok(hold.includes('\r\na=recvonly\r\n'));
});

t.test('rtcp-mux offered: accepted (no a=rtcp) or refused (a=rtcp)', async (t) => {
  const offer = parseSdp(WEBRTC_OFFER);
  const opus: Payload = { pt: 111, encoding: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' };
  const body = ['v=0', 'o=whisperd 5 1 IN IP4 127.0.0.1', 's=whisperd', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
    'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1'];
  t.equal(
    createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 5, medias: [{ port: 40000, rtcpPort: 40000, payloads: [opus] }] }),
    sdp(...body, 'a=rtcp-mux', 'a=sendrecv'),
  );
  t.equal(
    createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 5, medias: [{ port: 40000, rtcpPort: 40001, payloads: [opus], rtcpMux: false }] }),
    sdp(...body, 'a=sendrecv', 'a=rtcp:40001'),
  );
});

t.test('the answer parses back to what was asked for', async (t) => {
  const offer = parseSdp(AUDIO_VIDEO_OFFER);
  const out = parseSdp(createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 42, medias: [{ port: 40000, rtcpPort: 40001, payloads: [PCMU, TE] }, null] }));
  t.same(out.medias.map((m) => [m.type, m.port, m.rtcpPort, m.connectionAddress, m.payloads]), [
    ['audio', 40000, 40001, '127.0.0.1', [PCMU, TE]],
    ['video', 0, 0, '127.0.0.1', [{ pt: 99, encoding: '', clockRate: 0, channels: 1, fmtp: null }]],
  ]);
});

t.test('caller bugs are RangeErrors', async (t) => {
  const offer = parseSdp(AUDIO_VIDEO_OFFER);
  t.throws(() => createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 1, medias: [null] }), RangeError);
  t.throws(() => createAnswerSdp({ offer, address: 'nope', sessionId: 1, medias: [null, null] }), RangeError);
  t.throws(() => createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 1, medias: [{ port: 0, rtcpPort: 1, payloads: [PCMU] }, null] }), RangeError);
  t.throws(() => createAnswerSdp({ offer, address: '127.0.0.1', sessionId: 1, medias: [{ port: 40000, rtcpPort: 40001, payloads: [] }, null] }), RangeError);
});
