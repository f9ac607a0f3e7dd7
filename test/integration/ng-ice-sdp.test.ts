/**
 * ICE signalling (RFC 8839) as rtpengine 10.5 writes it: whisperd's own a=ice-ufrag / a=ice-pwd and one
 * host candidate per interface address and component (the leg's own family first), the offerer's ICE
 * attributes replaced; scenarios of rtpengine's t/auto-daemon-tests.pl (mr10.5.3.5) verbatim, on a daemon
 * with rtpengine's two test interfaces (203.0.113.1 and 2001:db8:4321::1).
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { ngSdp, sdpText } from '../fixtures/sdpScenario';
import { matchSecureSdp } from '../fixtures/secureScenario';

const INTERFACES = ['127.0.0.1!203.0.113.1', '::1!2001:db8:4321::1'];
const O = 'o=- 1545997027 1 IN IP4 198.51.100.1';
const ICE_OFFER = sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv', 'a=ice-ufrag:asbsdfds', 'a=ice-pwd:sfhwsrgyergws45ujhsrthsrhH',
  'a=candidate:sfthqw45hdfgdfsb 1 UDP 2130706431 198.51.100.3 2002 typ host', 'a=candidate:ujksdfghfdfgdfsb 1 UDP 2130706175 2001:db8:abcd::3 2002 typ host',
  'a=candidate:sfthqw45hdfgdfsb 2 UDP 2130706430 198.51.100.3 2003 typ host', 'a=candidate:ujksdfghfdfgdfsb 2 UDP 2130706174 2001:db8:abcd::3 2003 typ host');
const OUR_ICE = ['a=ice-ufrag:ICEUFRAG', 'a=ice-pwd:ICEPWD', 'a=candidate:ICEBASE 1 UDP 2130706431 203.0.113.1 PORT typ host', 'a=candidate:ICEBASE 1 UDP 2130706175 2001:db8:4321::1 PORT typ host',
  'a=candidate:ICEBASE 2 UDP 2130706430 203.0.113.1 PORT typ host', 'a=candidate:ICEBASE 2 UDP 2130706174 2001:db8:4321::1 PORT typ host'];

t.test('ICE SDP with ICE force: the offerer\'s ICE is replaced by whisperd\'s credentials and host candidates, both components, both interfaces', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const keys = { 'call-id': 'ice-force', 'from-tag': 'ft' };
  const got = matchSecureSdp(t, await ngSdp(t, td, 'offer', { ...keys, ICE: 'force' }, ICE_OFFER),
    sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', ...OUR_ICE));
  t.equal(got[4], got[8], 'one foundation per interface address (both components)');
  t.not(got[4], got[6], 'the IPv6 address has its own foundation');
  // an answer without ICE under ICE=optional: the answer carries whisperd's ICE (an agent runs towards the offerer)
  const O3 = 'o=- 1545997027 1 IN IP4 198.51.100.3';
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', ICE: 'optional' }, sdpText('v=0', O3, 's=tester', 't=0 0', 'm=audio 2002 RTP/AVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv'));
  matchSecureSdp(t, answer, sdpText('v=0', O3, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', ...OUR_ICE));
  // query: the offerer's leg does ICE (whisperd controlled: it answered), the answerer's, without ICE, does not
  const q = await td.ng.request({ command: 'query', 'call-id': 'ice-force' });
  const tags = q.tags as Record<string, { medias: Array<{ flags: string[]; ICE?: { state: string; lite: number; controlling: number } }> }>;
  t.ok(tags.ft!.medias[0]!.flags.includes('ICE'), 'offerer leg: ICE');
  t.notOk(tags.ft!.medias[0]!.flags.includes('ICE controlling'), 'offerer leg: whisperd controlled');
  t.equal(tags.ft!.medias[0]!.ICE?.lite, 0, 'a full ICE agent runs towards the offerer (rtpengine default)');
  t.notOk(tags.tt!.medias[0]!.flags.includes('ICE'), 'answerer leg: no ICE (its answer had none)');
  t.equal(tags.tt!.medias[0]!.ICE, undefined, 'no agent towards the answerer');
});

t.test('trickle ICE test G: an IPv6 trickle offer (c=IN IP6 ::, port 9) gets IPv6 candidates first', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const O40 = 'o=- 1545997027 1 IN IP4 198.51.101.40';
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'trickle-g', 'from-tag': 'ft' }, sdpText('v=0', O40, 's=tester', 'c=IN IP6 ::', 't=0 0', 'm=audio 9 RTP/AVP 8', 'a=ice-ufrag:Ci7n',
    'a=ice-pwd:l9QndxLG6OycZRcQe9zcT95c', 'a=ice-options:trickle'));
  matchSecureSdp(t, reply, sdpText('v=0', O40, 's=tester', 'c=IN IP6 2001:db8:4321::1', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT',
    'a=ice-ufrag:ICEUFRAG', 'a=ice-pwd:ICEPWD', 'a=candidate:ICEBASE 1 UDP 2130706431 2001:db8:4321::1 PORT typ host', 'a=candidate:ICEBASE 1 UDP 2130706175 203.0.113.1 PORT typ host',
    'a=candidate:ICEBASE 2 UDP 2130706430 2001:db8:4321::1 PORT typ host', 'a=candidate:ICEBASE 2 UDP 2130706174 203.0.113.1 PORT typ host'));
});

t.test('plain SDP, ICE removed: ICE=remove writes no ICE attributes', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'ice-remove', 'from-tag': 'ft', ICE: 'remove' }, ICE_OFFER);
  matchSecureSdp(t, reply, sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});

// rtpengine 'gh 850' (t/auto-daemon-tests.pl, mr10.5.3.5), offer verbatim: ICE=force-relay on a WebRTC offer
const GH850_IN = [
  'v=0',
  'o=- 9011363210357191088 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic: WMS qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY',
  'm=audio 14745 UDP/TLS/RTP/SAVPF 111 103 104 9 0 8 106 105 13 110 112 113 126',
  'c=IN IP4 192.168.1.1',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:661312077 1 udp 2122262783 2001:db8:2200:205:fd25:1ca1:96cd:8c2e 61773 typ host generation 0 network-id 2 network-cost 10',
  'a=candidate:2313719679 1 udp 2122194687 192.168.1.54 55343 typ host generation 0 network-id 1 network-cost 10',
  'a=candidate:521932948 1 udp 2122131711 2001:db8:5c0:3a15:b3ec:67e6:e268:b9e0 55344 typ host generation 0 network-id 3 network-cost 50',
  'a=candidate:2982564287 1 udp 1686055167 2001:db8:0:8::f:111b 11344 typ srflx raddr 2001:db8:2200:205:fd25:1ca1:96cd:8c2e rport 61773 generation 0 network-id 2 network-cost 10',
  'a=candidate:2147022507 1 udp 1685987071 192.168.1.1 14745 typ srflx raddr 192.168.1.54 rport 55343 generation 0 network-id 1 network-cost 10',
  'a=candidate:1776889533 1 tcp 1518283007 2001:db8:2200:205:fd25:1ca1:96cd:8c2e 9 typ host tcptype active generation 0 network-id 2 network-cost 10',
  'a=candidate:3345707919 1 tcp 1518214911 192.168.1.54 9 typ host tcptype active generation 0 network-id 1 network-cost 10',
  'a=candidate:1369435236 1 tcp 1518151935 2001:db8:5c0:3a15:b3ec:67e6:e268:b9e0 9 typ host tcptype active generation 0 network-id 3 network-cost 50',
  'a=ice-ufrag:Ci7n',
  'a=ice-pwd:l9QndxLG6OycZRcQe9zcT95c',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 32:62:C7:5E:79:69:2A:15:DC:EA:1D:13:18:4C:C9:92:44:71:8A:B7:38:73:88:F9:99:A3:7A:05:D1:EE:98:B8',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'a=sendrecv',
  'a=msid:qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY 7d669de6-65e9-4fbe-829e-e89dc4baf81c',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=rtcp-fb:111 testing',
  'a=rtcp-fb:111 foobar',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:103 ISAC/16000',
  'a=rtpmap:104 ISAC/32000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:106 CN/32000',
  'a=rtpmap:105 CN/16000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:112 telephone-event/32000',
  'a=rtpmap:113 telephone-event/16000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:2628106563 cname:wMyHbPOf/cCq2tup',
  'a=ssrc:2628106563 msid:qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY 7d669de6-65e9-4fbe-829e-e89dc4baf81c',
  'a=ssrc:2628106563 mslabel:qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY',
  'a=ssrc:2628106563 label:7d669de6-65e9-4fbe-829e-e89dc4baf81c',
];
const GH850_OUT = [
  'v=0',
  'o=- 9011363210357191088 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic: WMS qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY',
  'm=audio 14745 UDP/TLS/RTP/SAVPF 111 103 104 9 0 8 106 105 13 110 112 113 126',
  'c=IN IP4 192.168.1.1',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:661312077 1 udp 2122262783 2001:db8:2200:205:fd25:1ca1:96cd:8c2e 61773 typ host generation 0 network-id 2 network-cost 10',
  'a=candidate:2313719679 1 udp 2122194687 192.168.1.54 55343 typ host generation 0 network-id 1 network-cost 10',
  'a=candidate:521932948 1 udp 2122131711 2001:db8:5c0:3a15:b3ec:67e6:e268:b9e0 55344 typ host generation 0 network-id 3 network-cost 50',
  'a=candidate:2982564287 1 udp 1686055167 2001:db8:0:8::f:111b 11344 typ srflx raddr 2001:db8:2200:205:fd25:1ca1:96cd:8c2e rport 61773 generation 0 network-id 2 network-cost 10',
  'a=candidate:2147022507 1 udp 1685987071 192.168.1.1 14745 typ srflx raddr 192.168.1.54 rport 55343 generation 0 network-id 1 network-cost 10',
  'a=candidate:1776889533 1 tcp 1518283007 2001:db8:2200:205:fd25:1ca1:96cd:8c2e 9 typ host tcptype active generation 0 network-id 2 network-cost 10',
  'a=candidate:3345707919 1 tcp 1518214911 192.168.1.54 9 typ host tcptype active generation 0 network-id 1 network-cost 10',
  'a=candidate:1369435236 1 tcp 1518151935 2001:db8:5c0:3a15:b3ec:67e6:e268:b9e0 9 typ host tcptype active generation 0 network-id 3 network-cost 50',
  'a=ice-ufrag:Ci7n',
  'a=ice-pwd:l9QndxLG6OycZRcQe9zcT95c',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 32:62:C7:5E:79:69:2A:15:DC:EA:1D:13:18:4C:C9:92:44:71:8A:B7:38:73:88:F9:99:A3:7A:05:D1:EE:98:B8',
  'a=setup:actpass',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'a=msid:qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY 7d669de6-65e9-4fbe-829e-e89dc4baf81c',
  'a=rtcp-mux',
  'a=ssrc:2628106563 cname:wMyHbPOf/cCq2tup',
  'a=ssrc:2628106563 msid:qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY 7d669de6-65e9-4fbe-829e-e89dc4baf81c',
  'a=ssrc:2628106563 mslabel:qDSKVQw0XQOFzGhek25Kn3RLxyHTM2ooxMUY',
  'a=ssrc:2628106563 label:7d669de6-65e9-4fbe-829e-e89dc4baf81c',
  'a=mid:0',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtcp-fb:111 transport-cc',
  'a=rtcp-fb:111 testing',
  'a=rtcp-fb:111 foobar',
  'a=rtpmap:103 ISAC/16000',
  'a=rtpmap:104 ISAC/32000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:106 CN/32000',
  'a=rtpmap:105 CN/16000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:112 telephone-event/32000',
  'a=rtpmap:113 telephone-event/16000',
  'a=rtpmap:126 telephone-event/8000',
  'a=sendrecv',
  'a=candidate:ICEBASE 1 UDP 16777215 203.0.113.1 PORT typ relay raddr 203.0.113.1 rport PORT',
  'a=candidate:ICEBASE 1 UDP 16776959 2001:db8:4321::1 PORT typ relay raddr 2001:db8:4321::1 rport PORT',
  'a=candidate:ICEBASE 2 UDP 16777214 203.0.113.1 PORT typ relay raddr 203.0.113.1 rport PORT',
  'a=candidate:ICEBASE 2 UDP 16776958 2001:db8:4321::1 PORT typ relay raddr 2001:db8:4321::1 rport PORT',
];

t.test('gh 850: ICE=force-relay leaves o=, c=, m= and the session attributes as written, drops relay candidates, appends whisperd\'s relay candidates (type preference 0)', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'gh850', 'from-tag': 'ft', ICE: 'force-relay', flags: ['SDES-off'], 'transport-protocol': 'UDP/TLS/RTP/SAVPF',
    'rtcp-mux': ['accept', 'offer'], 'via-branch': 'z9hG4bK9463.af303705.113' }, sdpText(...GH850_IN));
  const got = matchSecureSdp(t, reply, sdpText(...GH850_OUT));
  t.equal(got[0], got[6], 'one foundation per address');
  t.equal(got[1], got[2], 'rport = port');
});

t.test('hostile ICE attributes (2000 candidates, junk candidate lines, a 4000-character ufrag) never fail the offer; whisperd answers with its own ICE', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const lines = ['v=0', O, 's=tester', 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv', `a=ice-ufrag:${'u'.repeat(4000)}`, 'a=ice-pwd:x'];
  for (let i = 0; i < 2000; i++) lines.push(i % 3 === 0 ? `a=candidate:${i} 1 UDP ${2130706431 - i} 198.51.100.${i % 250} ${2000 + i} typ host` : `a=candidate:junk ${'z'.repeat(i % 7)} typ`);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'ice-junk', 'from-tag': 'ft', ICE: 'force' }, sdpText(...lines).slice(0, 65000));
  t.match(reply, /^a=ice-ufrag:[0-9a-zA-Z]{8}\r$/m, 'whisperd\'s own ufrag');
  t.equal((reply.match(/^a=candidate:/gm) ?? []).length, 4, 'only whisperd\'s 4 candidates');
  t.notMatch(reply, /junk|uuuu/, 'nothing of the offerer\'s ICE forwarded');
  const q = await td.ng.request({ command: 'query', 'call-id': 'ice-junk' });
  t.equal(q.result, 'ok', 'the call is there');
});

t.test('flag reset on a re-offer restarts ICE: new credentials towards the recipient; without it they stay (rtpengine "ICE re-invite")', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const keys = { 'call-id': 'ice-reset', 'from-tag': 'ft', ICE: 'force' };
  const offer = sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 16478 RTP/AVP 8', 'c=IN IP4 198.51.100.1');
  const ufrag = (sdp: string): string | undefined => /^a=ice-ufrag:(\S+)\r$/m.exec(sdp)?.[1];
  const u1 = ufrag(await ngSdp(t, td, 'offer', keys, offer));
  const u2 = ufrag(await ngSdp(t, td, 'offer', keys, offer));
  t.equal(u2, u1, 'a plain re-offer keeps the credentials');
  const u3 = ufrag(await ngSdp(t, td, 'offer', { ...keys, flags: ['reset'] }, offer));
  t.ok(u3 !== undefined && u3 !== u1, 'reset: new credentials');
});
