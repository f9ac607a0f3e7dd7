/**
 * A failed command changes nothing (issue 9 D7, D10), over real UDP ng:
 *  - an SDP with more m= lines than limits.maxMediaPerOffer is refused before a port is taken;
 *  - a reply that cannot be sent ("Reply too large") leaves no call, participant or port behind, and a
 *    re-offer refused that way keeps the call's remote endpoint (media still goes to the old address);
 *  - a re-offer that runs out of ports gives back the ports it took;
 *  - a non-RTP transport (`m=audio 4000 UDP 0 8 101`) with a codec flag passes its formats through, as
 *    rtpengine does (codec operations apply to RTP transports only).
 */
import t from 'tap';
import { decodeBencode, encodeBencode, type NgDict, type NgValue } from '../../src/control/ng/bencode';
import { phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { openPhones } from '../fixtures/phone';

/** Largest UDP payload over IPv4: the most a client can send, and the most a reply can be. */
const MAX_UDP = 65507;

function multiSdp(lines: number, opts: { port?: number; address?: string; padding?: number } = {}): string {
  const address = opts.address ?? '127.0.0.1';
  const out = ['v=0', `o=phone 1000 1 IN IP4 ${address}`, 's=-', `c=IN IP4 ${address}`, 't=0 0'];
  if (opts.padding !== undefined) out.push(`a=x-pad:${'p'.repeat(opts.padding)}`);
  for (let i = 0; i < lines; i++) out.push(`m=audio ${(opts.port ?? 4000) + 2 * i} RTP/AVP 0`, 'a=sendrecv');
  return `${out.join('\r\n')}\r\n`;
}

/**
 * An offer whose datagram is exactly MAX_UDP bytes: whisperd's rewrite adds a=rtcp lines and longer
 * ports to each m= line, so its reply cannot fit in one datagram.
 */
function fullSizeOffer(cookie: string, dict: Record<string, unknown>, lines: number, opts: { port?: number; address?: string } = {}): Buffer {
  let padding = 0;
  for (let pass = 0; pass < 4; pass++) {
    const body = encodeBencode({ ...dict, sdp: multiSdp(lines, { ...opts, padding }) } as NgDict);
    const size = cookie.length + 1 + body.length;
    if (size === MAX_UDP) return body;
    padding += MAX_UDP - size;
  }
  throw new Error('could not size the offer');
}

async function counts(td: TestDaemon): Promise<{ used: number; calls: number }> {
  return { used: td.daemon.pool.used, calls: td.daemon.registry.size };
}

function reason(body: Buffer): NgDict {
  return decodeBencode(body) as NgDict;
}

t.test('1000 m= lines: refused with a stable error before any port is taken', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const before = await counts(td);
  const r = await td.ng.request({ command: 'offer', 'call-id': 'many', 'from-tag': 'a', sdp: multiSdp(1000) });
  t.same(r, { result: 'error', 'error-reason': 'Too many media lines in SDP' });
  t.same(await counts(td), before, 'pool usage and registry unchanged');
  // The bound is the configured one: 16 lines pass, 17 do not.
  const ok = await td.ng.request({ command: 'offer', 'call-id': 'sixteen', 'from-tag': 'a', sdp: multiSdp(16) });
  t.equal(ok.result, 'ok');
  t.equal(td.daemon.pool.used, 32, '16 lines x 2 sides');
  const over = await td.ng.request({ command: 'answer', 'call-id': 'sixteen', 'from-tag': 'a', 'to-tag': 'b', sdp: multiSdp(17) });
  t.same(over, { result: 'error', 'error-reason': 'Too many media lines in SDP' }, 'answers are bounded too');
  t.equal(td.daemon.pool.used, 32);
});

t.test("a supervisor's offer is bounded the same way, and the call keeps its ports and parties", async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  t.equal((await td.ng.request({ command: 'offer', 'call-id': 's', 'from-tag': 'cust', sdp: phoneSdp(4000) })).result, 'ok');
  t.equal((await td.ng.request({ command: 'answer', 'call-id': 's', 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(4100) })).result, 'ok');
  const before = await counts(td);
  const r = await td.ng.request({ command: 'supervise', 'call-id': 's', 'from-tag': 'sup', supervise: 'listen', 'agent-tag': 'agent', sdp: multiSdp(1000, { port: 5000 }) });
  t.same(r, { result: 'error', 'error-reason': 'Too many media lines in SDP' });
  t.same(await counts(td), before, 'no port taken');
  const q = await td.ng.request({ command: 'query', 'call-id': 's' });
  t.same(Object.keys(q.tags as NgDict).sort(), ['agent', 'cust'], 'no supervisor participant left');
});

t.test('an offer whose reply is too large leaves no call, participant or port behind', async (t) => {
  const td = await startTestDaemon({ limits: { maxMediaPerOffer: 40 } });
  t.teardown(() => td.close());
  const before = await counts(td);
  const cookie = 'big_1';
  const body = fullSizeOffer(cookie, { command: 'offer', 'call-id': 'big', 'from-tag': 'a' }, 30);
  const reply = reason(await td.ng.rawRequest(cookie, body));
  t.same(reply, { result: 'error', 'error-reason': 'Reply too large' });
  t.same(await counts(td), before, 'pool free count and registry size back to before');
  const q = await td.ng.request({ command: 'query', 'call-id': 'big' });
  t.same(q, { result: 'error', 'error-reason': 'Unknown call-id' });
  // The same cookie again is a retransmission: the cached error, nothing runs.
  const again = reason(await td.ng.rawRequest(cookie, body));
  t.same(again, reply);
  t.same(await counts(td), before);
});

t.test('a re-offer refused because its reply is too large keeps the old remote endpoint', async (t) => {
  const td = await startTestDaemon({ limits: { maxMediaPerOffer: 40 } });
  t.teardown(() => td.close());
  const [alice, alice2, bob] = await openPhones(t, 3);
  const offer = await td.ng.request({ command: 'offer', 'call-id': 'c', 'from-tag': 'alice', sdp: phoneSdp(alice.port) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': 'c', 'from-tag': 'alice', 'to-tag': 'bob', sdp: phoneSdp(bob.port, { codecs: ['0'] }) });
  t.equal(offer.result, 'ok');
  t.equal(answer.result, 'ok');
  const portForBob = sdpMediaPort(offer.sdp as string);
  const before = await counts(td);
  const queryBefore = await td.ng.request({ command: 'query', 'call-id': 'c' });

  // Re-offer from alice: her first m= line moves to alice2's port, 30 lines in all, reply too large.
  const cookie = 'reoffer_1';
  const body = fullSizeOffer(cookie, { command: 'offer', 'call-id': 'c', 'from-tag': 'alice', 'to-tag': 'bob' }, 30, { port: alice2.port });
  t.same(reason(await td.ng.rawRequest(cookie, body)), { result: 'error', 'error-reason': 'Reply too large' });
  t.same(await counts(td), before, 'the legs the re-offer opened are closed again');
  const queryAfter = await td.ng.request({ command: 'query', 'call-id': 'c' });
  t.same((queryAfter.tags as NgDict)['alice'], (queryBefore.tags as NgDict)['alice'], "alice's streams (advertised endpoint, remote) unchanged");

  // Media from bob still goes to alice's old address, not to the refused one.
  bob.sendRtp(portForBob, 1, 0x2222, 0xff, 0);
  await alice.waitDatagrams(1);
  t.equal(alice.datagrams[0]!.readUInt32BE(8), 0x2222, "bob's packet reaches alice's old address");
  t.equal(alice2.datagrams.length, 0, 'nothing went to the address of the refused re-offer');
});

t.test('a re-offer that runs out of ports gives back what it took and keeps the call as it was', async (t) => {
  // Three RTP/RTCP pairs: alice + bob take two; a re-offer adding a line needs two more.
  const base = 10000 + 2 * Math.floor(Math.random() * 4900);
  const td = await startTestDaemon({ media: { portMin: base, portMax: base + 5 } });
  t.teardown(() => td.close());
  const offer = await td.ng.request({ command: 'offer', 'call-id': 'p', 'from-tag': 'alice', sdp: multiSdp(1, { port: 5000 }) });
  t.equal(offer.result, 'ok');
  const answer = await td.ng.request({ command: 'answer', 'call-id': 'p', 'from-tag': 'alice', 'to-tag': 'bob', sdp: multiSdp(1, { port: 6000 }) });
  t.equal(answer.result, 'ok');
  const before = await counts(td);
  t.equal(before.used, 2);
  const queryBefore = await td.ng.request({ command: 'query', 'call-id': 'p' });
  const re = await td.ng.request({ command: 'offer', 'call-id': 'p', 'from-tag': 'alice', 'to-tag': 'bob', sdp: multiSdp(2, { port: 7000 }) });
  t.same(re, { result: 'error', 'error-reason': 'Ran out of ports' });
  t.same(await counts(td), before, 'no port kept by the failed re-offer');
  const queryAfter = await td.ng.request({ command: 'query', 'call-id': 'p' });
  t.same(queryAfter.tags, queryBefore.tags, 'participants, legs and endpoints unchanged');
});

t.test('a failed re-offer does not revive a call pending deletion', async (t) => {
  const base = 10000 + 2 * Math.floor(Math.random() * 4900);
  const td = await startTestDaemon({ media: { portMin: base, portMax: base + 5 } });
  t.teardown(() => td.close());
  t.equal((await td.ng.request({ command: 'offer', 'call-id': 'd', 'from-tag': 'alice', sdp: multiSdp(1, { port: 5000 }) })).result, 'ok');
  t.equal((await td.ng.request({ command: 'answer', 'call-id': 'd', 'from-tag': 'alice', 'to-tag': 'bob', sdp: multiSdp(1, { port: 6000 }) })).result, 'ok');
  t.equal((await td.ng.request({ command: 'delete', 'call-id': 'd', 'from-tag': 'alice', 'delete delay': 1 })).result, 'ok');
  const re = await td.ng.request({ command: 'offer', 'call-id': 'd', 'from-tag': 'alice', 'to-tag': 'bob', sdp: multiSdp(2, { port: 7000 }) });
  t.same(re, { result: 'error', 'error-reason': 'Ran out of ports' });
  const call = td.daemon.registry.get('d')!;
  t.ok(call.deleteTimer, 'the delete is still pending after the failed re-offer');
  // The delete delay is 1 s; 20 s is only a bound so that a revived call fails here instead of hanging.
  const ended = await new Promise<boolean>((resolve) => {
    const bound = setTimeout(() => resolve(false), 20_000);
    td.daemon.registry.on('callClosed', (c) => {
      if (c !== call) return;
      clearTimeout(bound);
      resolve(true);
    });
  });
  t.ok(ended, 'the call ends when its delete delay expires');
  t.equal(td.daemon.registry.size, 0);
  t.equal(td.daemon.pool.used, 0);
});

t.test('m=audio with transport UDP and a codec flag: formats pass through untouched (as rtpengine)', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const sdp = 'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 UDP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  const cases: Array<[string, Record<string, NgValue>]> = [
    ['u1', { flags: ['codec-strip-PCMA'] }],
    ['u2', { codec: { strip: ['PCMA'], transcode: ['opus'] } }],
    ['u3', { codec: { mask: ['all'] } }],
  ];
  for (const [id, extra] of cases) {
    const r = await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'a', sdp, ...extra });
    t.equal(r.result, 'ok', `${id}: ok, not "Internal error"`);
    const port = sdpMediaPort(r.sdp as string);
    t.equal(
      r.sdp,
      `v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} UDP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n`,
      `${id}: exact SDP, formats untouched`,
    );
  }
  // A re-offer of an RTP call onto the UDP transport, with a codec flag, works the same way.
  const rtp = await td.ng.request({ command: 'offer', 'call-id': 'u4', 'from-tag': 'a', sdp: phoneSdp(4000) });
  t.equal(rtp.result, 'ok');
  const re = await td.ng.request({ command: 'offer', 'call-id': 'u4', 'from-tag': 'a', sdp, flags: ['codec-strip-PCMU'] });
  t.equal(re.result, 'ok');
  t.match(re.sdp as string, /^m=audio \d+ UDP 0 8 101\r$/m);
  const ans = await td.ng.request({ command: 'answer', 'call-id': 'u4', 'from-tag': 'a', 'to-tag': 'b', sdp, flags: ['codec-strip-PCMU'] });
  t.equal(ans.result, 'ok', 'the answer on a UDP transport is relayed as is');
  t.match(ans.sdp as string, /^m=audio \d+ UDP 0 8 101\r$/m);
});
