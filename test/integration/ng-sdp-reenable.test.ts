/**
 * RFC 3264 §8.2: an m= line rejected earlier (port 0) may be re-enabled by a later offer reusing its slot.
 * rtpengine 10.5 gives every m= line with a port a socket pair whenever it appears with one (call.c
 * __get_endpoint_map at each offer/answer). Here the slot's legs got no sockets when they were port 0 and
 * kept none, so the re-enabled stream was answered port 0 (rejected) and never relayed.
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { Leg, rtp } from '../fixtures/rtpengine/scenario';

const sdp = (audioPort: number, videoPort: number): string =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${audioPort} RTP/AVP 0`, `m=video ${videoPort} RTP/AVP 96`, 'a=rtpmap:96 H264/90000', ''].join('\r\n');
const ports = (s: unknown): number[] => [...String(s).matchAll(/^m=\w+ (\d+)/gm)].map((m) => Number(m[1]));

t.test('a video line rejected (port 0) in the first offer and enabled by a re-offer gets ports and is relayed both ways; delete gives every port back', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const pool = (td.daemon as unknown as { pool: { used: number } }).pool;
  const [A, B, Av, Bv] = await Promise.all([Leg.open(), Leg.open(), Leg.open(), Leg.open()]);
  t.teardown(() => [A, B, Av, Bv].forEach((l) => l.close()));
  const keys = { 'call-id': 'reenable' };
  const o1 = await td.ng.request({ command: 'offer', ...keys, 'from-tag': 'A', sdp: sdp(A.port, 0) });
  const a1 = await td.ng.request({ command: 'answer', ...keys, 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(B.port, 0) });
  t.same([ports(o1.sdp)[1], ports(a1.sdp)[1]], [0, 0], 'first offer/answer: video rejected');
  const o2 = await td.ng.request({ command: 'offer', ...keys, 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(A.port, Av.port) });
  const a2 = await td.ng.request({ command: 'answer', ...keys, 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(B.port, Bv.port) });
  t.same([o2.result, a2.result], ['ok', 'ok'], 're-offer with video');
  // The offer's reply (to B) carries the port B sends to; the answer's reply (to A) the one A sends to.
  const fromB = ports(o2.sdp)[1]!;
  const fromA = ports(a2.sdp)[1]!;
  t.ok(fromA > 0 && fromB > 0, `video answered with ports both ways (${fromA}, ${fromB})`);
  Av.snd(fromA, rtp(96, 1, 90000, 0xabc, Buffer.alloc(40, 7)));
  t.equal((await Bv.rcv(2000)).pt, 96, 'A -> B video relayed');
  Bv.snd(fromB, rtp(96, 1, 90000, 0xdef, Buffer.alloc(40, 8)));
  t.equal((await Av.rcv(2000)).pt, 96, 'B -> A video relayed');
  await td.ng.request({ command: 'delete', ...keys, 'from-tag': 'A', 'delete delay': 0 });
  t.equal(pool.used, 0, 'every port given back');
});
