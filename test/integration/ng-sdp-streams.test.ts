/**
 * Streams beyond one plain audio line, as rtpengine 10.5 handles them (t/auto-daemon-tests.pl, mr10.5.3.5):
 * rejected streams, re-INVITEs from a new tag, m=application / m=message / m=image / m=video lines,
 * loop protection. Exact reply SDPs; relayed lines are checked with real UDP packets.
 */
import t, { type Test } from 'tap';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { udpPeer } from '../fixtures/udp';
import type { TestDaemon } from '../fixtures/daemon';

const O = 'o=- 1545997027 1 IN IP4 198.51.100.1';

async function daemon(t: Test): Promise<TestDaemon> {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  return td;
}

t.test('a stream the answerer rejects (port 0) goes back to the offerer with port 0 (rtpengine GH 1499 control)', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'rejected', 'from-tag': 'ft' };
  await ngSdp(t, td, 'offer', keys, sdpText('v=0', O, 's=tester', 't=0 0', 'c=IN IP4 198.51.100.1', 'm=audio 4024 RTP/AVP 8', 'm=audio 4026 RTP/AVP 8'));
  const reply = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', O, 's=tester', 't=0 0', 'c=IN IP4 198.51.100.3', 'm=audio 4028 RTP/AVP 8', 'm=audio 0 RTP/AVP 8'));
  matchSdp(t, reply, sdpText('v=0', O, 's=tester', 't=0 0', 'c=IN IP4 203.0.113.1', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT', 'm=audio 0 RTP/AVP 8'));
});

t.test('an offered port-0 stream keeps port 0, its c= and a=mid (rtpengine "a=mid on zero streams")', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'mid0', 'from-tag': 'ft' }, sdpText(
    'v=0', 'o=- 1545997027 1 IN IP4 198.51.100.1', 's=tester', 't=0 0',
    'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.14', 'a=sendrecv', 'a=mid:0',
    'm=audio 0 RTP/AVP 0', 'c=IN IP4 198.51.100.14', 'a=sendrecv', 'a=mid:1',
  ));
  matchSdp(t, reply, sdpText(
    'v=0', 'o=- 1545997027 1 IN IP4 198.51.100.1', 's=tester', 't=0 0',
    'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=mid:0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT',
    'm=audio 0 RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=mid:1',
  ));
});

t.test('a re-INVITE towards a to-tag nobody has gets new ports; back to the old to-tag, the old ports (rtpengine "re-invite re-tag w/ via-branch")', async (t) => {
  const td = await daemon(t);
  const body = (port: number): string => sdpText('v=0', O, 's=tester', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'c=IN IP4 198.51.100.14', 'a=sendrecv');
  const port = (sdp: string): number => Number(/^m=audio (\d+)/m.exec(sdp)![1]);
  await ngSdp(t, td, 'offer', { 'call-id': 'retag', 'from-tag': 'ft2' }, body(2100));
  const toFt2 = port(await ngSdp(t, td, 'answer', { 'call-id': 'retag', 'from-tag': 'ft2', 'to-tag': 'tt' }, body(2200)));
  const toFt3 = port(await ngSdp(t, td, 'offer', { 'call-id': 'retag', 'from-tag': 'tt', 'to-tag': 'ft3' }, body(2200)));
  t.not(toFt3, toFt2, 'new port for the new tag');
  const again = port(await ngSdp(t, td, 'offer', { 'call-id': 'retag', 'from-tag': 'tt', 'to-tag': 'ft2' }, body(2200)));
  t.equal(again, toFt2, 'the old port for the old tag');
});

for (const trailing of [' ', '']) {
  t.test(`m=application 0 *${trailing === ' ' ? ' (trailing space)' : ''} does not fail the offer and is passed as written (rtpengine GH #1461)`, async (t) => {
    const td = await daemon(t);
    const reply = await ngSdp(t, td, 'offer', { 'call-id': `app${trailing.length}`, 'from-tag': 'ft' }, sdpText(
      'v=0', O, 's=tester', 'c=IN IP4 198.51.100.1', 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1',
      'm=application 0 RTP/AVP 124', `m=application 0 *${trailing}`,
    ));
    matchSdp(t, reply, sdpText(
      'v=0', O, 's=tester', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1',
      'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', 'm=application 0 RTP/AVP 124', `m=application 0 *${trailing}`,
    ));
  });
}

t.test('m=message (MSRP over TCP) is passed through untouched, with the session c= it relied on (rtpengine gh 959 session c=)', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'msrp', 'from-tag': 'ft', ICE: 'remove' }, sdpText(
    'v=0', 'o=- 1822058533 1822058533 IN IP4 1.2.3.4', 's=Asterisk', 'c=IN IP4 1.2.3.4', 't=0 0',
    'm=audio 27998 RTP/AVP 96', 'a=rtpmap:96 opus/48000/2', 'm=message 28000 TCP/MSRP *', 'a=setup:active',
  ));
  matchSdp(t, reply, sdpText(
    'v=0', 'o=- 1822058533 1822058533 IN IP4 1.2.3.4', 's=Asterisk', 'c=IN IP4 203.0.113.1', 't=0 0',
    'm=audio PORT RTP/AVP 96', 'a=rtpmap:96 opus/48000/2', 'a=sendrecv', 'a=rtcp:PORT',
    'm=message 28000 TCP/MSRP *', 'c=IN IP4 1.2.3.4', 'a=setup:active',
  ));
});

t.test('m=image (T.38 udptl) gets ports and a=sendrecv, its attributes kept (rtpengine gh 686)', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 't38', 'from-tag': 'ft', ICE: 'remove' }, sdpText(
    'v=0', O, 's=tester', 't=0 0', 'c=IN IP4 198.51.100.1', 'm=audio 0 RTP/AVP 8 101', 'm=image 2000 udptl t38',
    'c=IN IP4 198.51.100.1', 'a=T38FaxVersion:0', 'a=T38FaxRateManagement:transferredTCF',
  ));
  matchSdp(t, reply, sdpText(
    'v=0', O, 's=tester', 't=0 0', 'c=IN IP4 203.0.113.1', 'm=audio 0 RTP/AVP 8 101', 'm=image PORT udptl t38',
    'c=IN IP4 203.0.113.1', 'a=T38FaxVersion:0', 'a=T38FaxRateManagement:transferredTCF', 'a=sendrecv',
  ));
});

/** Offer/answer between two local peers with `media` lines (their ports filled in); whisperd's ports per line. */
async function relayedCall(t: Test, td: TestDaemon, callId: string, alice: number[], bob: number[], media: (ports: number[]) => string[]): Promise<{ toAlice: number[]; toBob: number[] }> {
  const sdp = (ports: number[]): string => sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', ...media(ports));
  const ports = (text: string): number[] => [...text.matchAll(/^m=\w+ (\d+)/gm)].map((m) => Number(m[1]));
  const o = await ngSdp(t, td, 'offer', { 'call-id': callId, 'from-tag': 'alice' }, sdp(alice));
  const a = await ngSdp(t, td, 'answer', { 'call-id': callId, 'from-tag': 'alice', 'to-tag': 'bob' }, sdp(bob));
  return { toBob: ports(o), toAlice: ports(a) };
}

t.test('T.38 (m=image udptl) is relayed both ways over real UDP', async (t) => {
  const td = await daemon(t);
  const alice = await udpPeer(t);
  const bob = await udpPeer(t);
  const c = await relayedCall(t, td, 't38-relay', [alice.port], [bob.port], ([p]) => [`m=image ${p} udptl t38`, 'a=T38FaxVersion:0']);
  const udptl = Buffer.from([0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x01, 0x00]); // rtpengine gh 766's UDPTL packet
  alice.sock.send(udptl, c.toAlice[0]!, '127.0.0.1');
  t.same(await bob.next(), udptl, 'alice -> bob');
  bob.sock.send(Buffer.from('t38 back'), c.toBob[0]!, '127.0.0.1');
  t.same(await alice.next(), Buffer.from('t38 back'), 'bob -> alice');
});

t.test('a video line is relayed beside the audio line (socket pair, packets forwarded untouched)', async (t) => {
  const td = await daemon(t);
  const [aa, av, ba, bv] = [await udpPeer(t), await udpPeer(t), await udpPeer(t), await udpPeer(t)];
  const c = await relayedCall(t, td, 'video', [aa.port, av.port], [ba.port, bv.port], ([a, v]) => [
    `m=audio ${a} RTP/AVP 0`, `m=video ${v} RTP/AVP 96`, 'a=rtpmap:96 H264/90000',
  ]);
  t.equal(c.toBob.length, 2);
  t.not(c.toBob[1], 0, 'the video line has a port');
  const rtp = (pt: number, ssrc: number): Buffer => {
    const b = Buffer.alloc(12 + 20);
    b[0] = 0x80;
    b[1] = pt;
    b.writeUInt16BE(1, 2);
    b.writeUInt32BE(ssrc, 8);
    return b;
  };
  av.sock.send(rtp(96, 0x7a), c.toAlice[1]!, '127.0.0.1');
  t.same(await bv.next(), rtp(96, 0x7a), "alice's video reaches bob's video port");
  bv.sock.send(rtp(96, 0x7b), c.toBob[1]!, '127.0.0.1');
  t.same(await av.next(), rtp(96, 0x7b), "bob's video reaches alice's video port");
});

t.test('loop-protect marks the SDP with a=rtpengine:<id> and answers an SDP that already carries it unchanged (rtpengine gh 766)', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'loop', 'from-tag': 'ft', flags: ['loop-protect'] };
  const input = sdpText('v=0', O, 's=tester', 'c=IN IP4 198.51.100.5', 't=0 0', 'm=audio 7300 RTP/AVP 0', 'a=sendrecv');
  const first = await ngSdp(t, td, 'offer', keys, input);
  t.match(first, /\r\na=rtpengine:[0-9a-f]{12}\r\n/, 'the id is 12 hex digits (rtpengine LOOPER)');
  matchSdp(t, first.replace(/\r\na=rtpengine:[0-9a-f]{12}\r\n/, '\r\na=rtpengine:ID\r\n'), sdpText(
    'v=0', O, 's=tester', 'c=IN IP4 203.0.113.1', 't=0 0', 'a=rtpengine:ID', 'm=audio PORT RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT',
  ));
  const looped = await ngSdp(t, td, 'offer', { ...keys, 'call-id': 'loop2' }, first);
  t.equal(looped, first, 'an SDP that went through this daemon comes back as it is');
  t.equal(td.daemon.registry.get('loop2'), undefined, 'and makes no call');
});

t.test('a forked offer (same from-tag, another via-branch) gets its own other side; the answer goes to its branch (rtpengine gh #793 b1)', async (t) => {
  const td = await daemon(t);
  const offerSdp = sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv', 'a=rtcp-mux');
  const out = (...rtcp: string[]): string => sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ...rtcp);
  const keys = { 'call-id': 'fork', 'from-tag': 'ft', ICE: 'remove' };
  const [b1] = matchSdp(t, await ngSdp(t, td, 'offer', { ...keys, 'via-branch': 'x123', 'rtcp-mux': ['demux'] }, offerSdp), out('a=rtcp:PORT'));
  const [b2] = matchSdp(t, await ngSdp(t, td, 'offer', { ...keys, 'via-branch': 'x456', 'rtcp-mux': ['offer'] }, offerSdp), out('a=rtcp:PORT', 'a=rtcp-mux'));
  t.not(b1, b2, 'each branch has its own ports');
  const answer = sdpText('v=0', 'o=- 1545997027 1 IN IP4 198.51.100.3', 's=tester', 't=0 0', 'm=audio 2002 RTP/AVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv');
  matchSdp(t, await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', 'via-branch': 'x123' }, answer),
    sdpText('v=0', 'o=- 1545997027 1 IN IP4 198.51.100.3', 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', 'a=rtcp-mux'),
    'the x123 branch (demuxed) answers: rtcp-mux answered to the offerer');
});

t.test('two offerers waiting for their answers each keep their sockets; deleting the call gives every port back', async (t) => {
  const td = await daemon(t);
  const body = (port: number): string => sdpText('v=0', O, 's=tester', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'c=IN IP4 198.51.100.14');
  const p1 = await ngSdp(t, td, 'offer', { 'call-id': 'two', 'from-tag': 'ft1' }, body(2000));
  const p2 = await ngSdp(t, td, 'offer', { 'call-id': 'two', 'from-tag': 'ft2' }, body(2100));
  t.not(/^m=audio (\d+)/m.exec(p1)![1], /^m=audio (\d+)/m.exec(p2)![1]);
  const del = await td.ng.request({ command: 'delete', 'call-id': 'two' });
  t.equal(del.result, 'ok');
  t.equal(td.daemon.pool.used, 0, 'no socket pair left behind');
});

t.test('the answer to the offerer carries the offer\'s a=mid even when the answerer sent none (rtpengine "strip-all w consume and offer")', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'mid-echo', 'from-tag': 'ft' };
  const offered = await ngSdp(t, td, 'offer', keys, sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 3000 RTP/AVP 0 8', 'c=IN IP4 198.51.100.1', 'a=mid:1', 'a=sendrecv'));
  matchSdp(t, offered, sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0 8', 'c=IN IP4 203.0.113.1', 'a=mid:1', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT'), 'offer: the mid goes on');
  const answered = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 4002 RTP/AVP 8', 'c=IN IP4 198.51.100.3', 'a=sendrecv'));
  matchSdp(t, answered, sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 8', 'c=IN IP4 203.0.113.1', 'a=mid:1', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT'), 'answer: the offerer\'s mid comes back');
});
