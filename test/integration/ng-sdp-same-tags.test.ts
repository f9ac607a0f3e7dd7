/**
 * An offer whose to-tag is its own from-tag (a re-INVITE whose To tag equals its From tag: the tags are the
 * peer's to write) must not replace the offering party with a new one of the same tag: the replaced party's
 * sockets were no longer in the call, so neither the call's delete nor anything else gave their ports back.
 * whisperd treats such a to-tag as none: the offer goes to the party's current peer.
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';

const sdp = (port: number): string => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, ''].join('\r\n');
const mport = (s: unknown): number => Number(/^m=audio (\d+)/m.exec(String(s))![1]);

t.test('an offer with to-tag = from-tag re-offers to the current peer; the call keeps its two parties and delete gives every port back', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const pool = (td.daemon as unknown as { pool: { used: number } }).pool;
  const keys = { 'call-id': 'same' };
  const o1 = await td.ng.request({ command: 'offer', ...keys, 'from-tag': 'x', sdp: sdp(4000) });
  t.equal((await td.ng.request({ command: 'answer', ...keys, 'from-tag': 'x', 'to-tag': 'y', sdp: sdp(5000) })).result, 'ok');
  const o2 = await td.ng.request({ command: 'offer', ...keys, 'from-tag': 'x', 'to-tag': 'x', sdp: sdp(4000) });
  t.equal(o2.result, 'ok', 'offer accepted');
  t.equal(mport(o2.sdp), mport(o1.sdp), "sent to y on y's port, as a re-offer without to-tag");
  const call = td.daemon.registry.get('same')!;
  t.same([...call.participants.keys()].sort(), ['x', 'y'], 'still the two parties');
  t.equal(call.participant('x')!.peer, call.participant('y')!, 'x still talks to y');
  await td.ng.request({ command: 'delete', ...keys, 'from-tag': 'x', 'delete delay': 0 });
  t.equal(pool.used, 0, 'every port given back');
});

t.test('a first offer with to-tag = from-tag makes one party and a pending other side; delete gives every port back', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const pool = (td.daemon as unknown as { pool: { used: number } }).pool;
  const o = await td.ng.request({ command: 'offer', 'call-id': 'same2', 'from-tag': 'q', 'to-tag': 'q', sdp: sdp(4000) });
  t.equal(o.result, 'ok');
  t.equal(td.daemon.registry.get('same2')!.participants.size, 2, 'the offerer and its pending other side');
  await td.ng.request({ command: 'delete', 'call-id': 'same2', 'from-tag': 'q', 'delete delay': 0 });
  t.equal(pool.used, 0, 'every port given back');
});
