import t from 'tap';
import { SdpParseError } from '../../../src/errors';
import { isOnHold, parseSdp, type MediaSummary } from '../../../src/sdp/index';
import { AUDIO_VIDEO_OFFER, HOLD_OFFER, PHONE_OFFER, SIPP_SDP, WEBRTC_OFFER, sdp } from '../../fixtures/sdp/sdp';

t.test('SIPp uac/uas body: session-level c=, explicit rtpmap', async (t) => {
  const p = parseSdp(SIPP_SDP);
  t.same(p.medias, [
    {
      index: 0,
      type: 'audio',
      port: 6000,
      rtcpPort: 6001,
      rtcpMux: false,
      protocol: 'RTP/AVP',
      connectionAddress: '198.51.100.10',
      connectionIpVersion: 4,
      direction: 'sendrecv',
      formats: ['0'],
      payloads: [{ pt: 0, encoding: 'PCMU', clockRate: 8000, channels: 1, fmtp: null }],
      ptime: null,
      hasIce: false,
      trickleIce: false,
    },
  ]);
  t.equal(p.session.origin.username, 'user1');
});

t.test('phone offer: static PTs filled in, fmtp, ptime, media-level c=', async (t) => {
  const [m] = parseSdp(PHONE_OFFER).medias as [MediaSummary];
  t.same(m.payloads, [
    { pt: 0, encoding: 'PCMU', clockRate: 8000, channels: 1, fmtp: null },
    { pt: 8, encoding: 'PCMA', clockRate: 8000, channels: 1, fmtp: null },
    { pt: 101, encoding: 'telephone-event', clockRate: 8000, channels: 1, fmtp: '0-15' },
  ]);
  t.equal(m.ptime, 20);
  t.equal(m.connectionAddress, '198.51.100.1');
  t.equal(m.rtcpPort, 2001);
});

t.test('every static PT the brief names gets its RFC 3551 meaning', async (t) => {
  const p = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0 8 18 13 9 3 4'));
  t.same(
    p.medias[0]!.payloads.map((x) => `${x.pt} ${x.encoding}/${x.clockRate}`),
    ['0 PCMU/8000', '8 PCMA/8000', '18 G729/8000', '13 CN/8000', '9 G722/8000', '3 GSM/8000', '4 G723/8000'],
  );
});

t.test('media-level c= wins over session-level; session-level is the fallback', async (t) => {
  const p = parseSdp(
    sdp('v=0', 'o=- 1 1 IN IP4 203.0.113.1', 's=-', 'c=IN IP4 203.0.113.1', 't=0 0',
      'm=audio 7000 RTP/AVP 0', 'c=IN IP4 198.51.100.9', 'm=audio 7002 RTP/AVP 8'),
  );
  t.same(p.medias.map((m) => m.connectionAddress), ['198.51.100.9', '203.0.113.1']);
});

t.test('IPv6 connection address', async (t) => {
  const p = parseSdp(sdp('v=0', 'c=IN IP6 2001:db8::5', 't=0 0', 'm=audio 7000 RTP/AVP 0'));
  t.equal(p.medias[0]!.connectionAddress, '2001:db8::5');
  t.equal(p.medias[0]!.connectionIpVersion, 6);
});

t.test('direction: media-level, else session-level, else sendrecv', async (t) => {
  const p = parseSdp(
    sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'a=recvonly', 'm=audio 7000 RTP/AVP 0', 'a=inactive', 'm=audio 7002 RTP/AVP 0'),
  );
  t.same(p.medias.map((m) => m.direction), ['inactive', 'recvonly']);
  t.equal(parseSdp(SIPP_SDP).medias[0]!.direction, 'sendrecv');
  t.equal(parseSdp(HOLD_OFFER).medias[0]!.direction, 'sendonly');
});

t.test('a=rtcp value, rtcp-mux, ICE', async (t) => {
  const p = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0', 'a=rtcp:7005'));
  t.equal(p.medias[0]!.rtcpPort, 7005);
  const w = parseSdp(WEBRTC_OFFER).medias[0]!;
  t.equal(w.rtcpMux, true);
  t.equal(w.rtcpPort, 9);
  t.equal(w.hasIce, true);
  t.equal(w.protocol, 'UDP/TLS/RTP/SAVPF');
  t.same(w.payloads[0], { pt: 111, encoding: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' });
  const mux = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0', 'a=rtcp-mux'));
  t.equal(mux.medias[0]!.rtcpPort, 7000);
});

t.test('LF-only line endings and leading blank line are accepted', async (t) => {
  const p = parseSdp('\nv=0\nc=IN IP4 203.0.113.1\nt=0 0\nm=audio 7000 RTP/AVP 8\n');
  t.equal(p.medias[0]!.payloads[0]!.encoding, 'PCMA');
});

t.test('dynamic PT without rtpmap is kept with an unknown encoding; duplicate PTs once', async (t) => {
  const p = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 96 0 0'));
  t.same(p.medias[0]!.payloads, [
    { pt: 96, encoding: '', clockRate: 0, channels: 1, fmtp: null },
    { pt: 0, encoding: 'PCMU', clockRate: 8000, channels: 1, fmtp: null },
  ]);
});

t.test('port-0 media needs no c=; non-RTP media have no payloads', async (t) => {
  const p = parseSdp(
    sdp('v=0', 't=0 0', 'm=audio 0 RTP/AVP 0', 'm=image 0 udptl t38'),
  );
  t.same(p.medias.map((m) => [m.port, m.rtcpPort, m.connectionAddress, m.payloads.length, m.formats]), [
    [0, 0, null, 1, ['0']],
    [0, 0, null, 0, ['t38']],
  ]);
});

t.test('isOnHold', async (t) => {
  t.equal(isOnHold(parseSdp(HOLD_OFFER).medias[0]!), true, 'a=sendonly');
  t.equal(isOnHold(parseSdp(SIPP_SDP).medias[0]!), false, 'sendrecv');
  const inactive = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0', 'a=inactive'));
  t.equal(isOnHold(inactive.medias[0]!), true, 'a=inactive');
  const recvonly = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0', 'a=recvonly'));
  t.equal(isOnHold(recvonly.medias[0]!), false, 'a=recvonly is the held side');
  const zero = parseSdp(sdp('v=0', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 7000 RTP/AVP 0'));
  t.equal(isOnHold(zero.medias[0]!), true, 'c=0.0.0.0');
  t.equal(isOnHold(parseSdp(WEBRTC_OFFER).medias[0]!), false, 'c=0.0.0.0 with ICE is a placeholder');
});

const BAD: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['number', 42],
  ['Buffer', Buffer.from(SIPP_SDP)],
  ['empty', ''],
  ['prose', 'hello world'],
  ['no v= line', sdp('o=- 1 1 IN IP4 203.0.113.1', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 0')],
  ['v=1', sdp('v=1', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 0')],
  ['no m= line', sdp('v=0', 'o=- 1 1 IN IP4 203.0.113.1', 's=-', 'c=IN IP4 203.0.113.1', 't=0 0')],
  ['audio without any c=', sdp('v=0', 't=0 0', 'm=audio 7000 RTP/AVP 0')],
  ['port above 65535', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 70000 RTP/AVP 0')],
  ['non-numeric port', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio abc RTP/AVP 0')],
  ['port count', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000/2 RTP/AVP 0')],
  ['implied RTCP port above 65535', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 65535 RTP/AVP 0')],
  ['a=rtcp:0', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 0', 'a=rtcp:0')],
  ['a=rtcp: empty', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 0', 'a=rtcp:')],
  ['a=rtcp port above 65535', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 0', 'a=rtcp:99999')],
  ['hostname in c=', sdp('v=0', 'c=IN IP4 media.example.com', 'm=audio 7000 RTP/AVP 0')],
  ['IPv6 address announced as IP4', sdp('v=0', 'c=IN IP4 2001:db8::1', 'm=audio 7000 RTP/AVP 0')],
  ['bad session c= even if unused', sdp('v=0', 'c=IN IP4 999.1.1.1', 'm=audio 7000 RTP/AVP 0', 'c=IN IP4 203.0.113.1')],
  ['PT 128', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 128')],
  ['non-numeric PT on RTP', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP PCMU')],
  ['RTP m= without formats', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP')],
  ['rtpmap without clock rate', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 96', 'a=rtpmap:96 opus')],
  ['rtpmap with 0 channels', sdp('v=0', 'c=IN IP4 203.0.113.1', 'm=audio 7000 RTP/AVP 96', 'a=rtpmap:96 opus/48000/0')],
  ['larger than 64 KiB', SIPP_SDP + 'a=x:'.padEnd(70000, 'y') + '\r\n'],
];

for (const [name, input] of BAD) {
  t.test(`malformed: ${name} → SdpParseError`, async (t) => {
    t.throws(() => parseSdp(input), { name: 'SdpParseError', message: 'Failed to parse SDP', code: 'ERR_SDP_PARSE' });
    try {
      parseSdp(input);
    } catch (err) {
      t.ok(err instanceof SdpParseError);
    }
  });
}

t.test('exactly 64 KiB is accepted', async (t) => {
  const pad = 65536 - Buffer.byteLength(SIPP_SDP) - 2;
  const text = SIPP_SDP + 'a=x:'.padEnd(pad, 'y') + '\r\n';
  t.equal(Buffer.byteLength(text), 65536);
  t.equal(parseSdp(text).medias.length, 1);
});

t.test('the parsed AUDIO_VIDEO_OFFER keeps both m= lines', async (t) => {
  const p = parseSdp(AUDIO_VIDEO_OFFER);
  t.same(p.medias.map((m) => [m.type, m.port, m.connectionAddress]), [
    ['audio', 49170, '203.0.113.20'],
    ['video', 51372, '203.0.113.20'],
  ]);
});
