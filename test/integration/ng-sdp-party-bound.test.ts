/**
 * Offers whose to-tag nobody has are new branches with ports of their own (rtpengine 're-invite re-tag
 * w/ via-branch': "new port"; src/call/offerAnswer.ts dialoguePeer), kept until the call ends. A call's
 * signalling may create at most MAX_PARTIES_PER_CALL parties: offers with ever new tags (a re-INVITE's
 * To tag is written by the peer) must not take the port pool from every other call.
 */
import t from 'tap';
import { MAX_PARTIES_PER_CALL, TOO_MANY_PARTIES } from '../../src/call/offerAnswer';
import { startTestDaemon } from '../fixtures/daemon';

const sdp = (port: number): string => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, ''].join('\r\n');

t.test('re-offers with ever new to-tags stop at the party bound with a stable error; nothing is allocated for the refused one; other calls still get ports', async (t) => {
  // Room for the bound's socket pairs, the pool's spares and one more call: no more.
  const td = await startTestDaemon({ media: { portMin: 30000, portMax: 30000 + 2 * (MAX_PARTIES_PER_CALL + 6) - 1 } });
  t.teardown(() => td.close());
  const pool = (td.daemon as unknown as { pool: { used: number } }).pool;
  const ng = (x: Record<string, unknown>) => td.ng.request(x as never);
  t.equal((await ng({ command: 'offer', 'call-id': 'many', 'from-tag': 'A', sdp: sdp(4000) })).result, 'ok');
  t.equal((await ng({ command: 'answer', 'call-id': 'many', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(5000) })).result, 'ok');
  const results: string[] = [];
  for (let i = 0; i < MAX_PARTIES_PER_CALL + 5; i++) {
    const r = await ng({ command: 'offer', 'call-id': 'many', 'from-tag': 'A', 'to-tag': `x${i}`, sdp: sdp(4000) });
    results.push(r.result === 'ok' ? 'ok' : String(r['error-reason']));
  }
  const created = MAX_PARTIES_PER_CALL - 2;
  t.same(results, [...Array<string>(created).fill('ok'), ...Array<string>(7).fill(TOO_MANY_PARTIES)], `${created} new parties, then refused`);
  t.equal(td.daemon.registry.get('many')!.participants.size, MAX_PARTIES_PER_CALL, 'the call holds the bound');
  t.equal(pool.used, MAX_PARTIES_PER_CALL, 'one socket pair per party, none for the refused offers');
  t.equal((await ng({ command: 'offer', 'call-id': 'other', 'from-tag': 'C', sdp: sdp(6000) })).result, 'ok', 'another call still gets ports');
});
