import t, { type Test } from 'tap';
import pino from 'pino';
import { SessionLimitError, UnknownCommandError } from '../../src/errors';
import { NgServer, type NgHandler, type NgRequest, type NgServerOptions } from '../../src/control/ng/NgServer';
import type { NgDict } from '../../src/control/ng/bencode';
import { UdpClient } from '../fixtures/ng/udpClient';
import { loadCapture } from '../fixtures/ng/datagrams';

const silent = pino({ level: 'silent' });

/** Default handler: ping -> pong, echo -> ok with the call-id, anything else -> Unrecognized command. */
const basic: NgHandler = (req): NgDict => {
  if (req.command === 'ping') return { result: 'pong' };
  if (req.command === 'echo') return { result: 'ok', 'call-id': req.params.callId ?? '' };
  throw new UnknownCommandError();
};

async function setup(
  t: Test,
  handler: NgHandler = basic,
  extra: Partial<NgServerOptions> = {},
): Promise<{ server: NgServer; client: UdpClient }> {
  const server = new NgServer({
    host: '127.0.0.1',
    port: 0,
    cookieCacheSeconds: 60,
    maxDatagramBytes: 65535,
    handler,
    logger: silent,
    ...extra,
  });
  await server.start();
  t.teardown(() => server.close());
  const client = await UdpClient.open();
  t.teardown(() => client.close());
  return { server, client };
}

/** Wait (without any timing assertion) until `cond` holds; tap's timeout catches a hang. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

const text = (b: Buffer): string => b.toString('latin1');

t.test('ping -> pong, from the bound port, exact bytes', async (t) => {
  const { server, client } = await setup(t);
  t.not(server.port, 0);
  await client.send('5323_1 d7:command4:pinge', server.port);
  await client.waitFor(1);
  const r = client.received[0]!;
  t.equal(text(r.msg), '5323_1 d6:result4:ponge');
  t.equal(r.address, '127.0.0.1');
  t.equal(r.port, server.port, 'reply comes from the port the request hit');
  t.match(server.stats, { received: 1, replies: 1, retransmits: 0, noCookie: 0, badData: 0, oversize: 0 });
});

t.test('JSON in -> JSON out', async (t) => {
  const { server, client } = await setup(t);
  await client.send('jc1 {"command":"ping"}', server.port);
  await client.send(Buffer.from('jc2 {"command":"echo","call-id":"é"}', 'utf8'), server.port);
  await client.waitFor(2);
  const replies = client.received.map((r) => r.msg.toString('utf8')).sort();
  t.strictSame(replies, ['jc1 {"result":"pong"}', 'jc2 {"result":"ok","call-id":"é"}']);
});

t.test('datagrams without a cookie are dropped silently and counted', async (t) => {
  const { server, client } = await setup(t);
  await client.send('d7:command4:pinge', server.port); // no space
  await client.send(' d7:command4:pinge', server.port); // empty cookie
  await client.send('ok1 d7:command4:pinge', server.port);
  await until(() => server.stats.received === 3);
  await client.waitFor(1);
  t.equal(client.received.length, 1);
  t.equal(text(client.received[0]!.msg), 'ok1 d6:result4:ponge');
  t.equal(server.stats.noCookie, 2);
  t.equal(server.stats.replies, 1);
});

t.test('retransmissions while the handler runs: one execution, identical replies to every copy', async (t) => {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const handler: NgHandler = async (req) => {
    calls++;
    await gate;
    return { result: 'ok', 'call-id': req.params.callId ?? '', n: calls };
  };
  const { server, client } = await setup(t, handler);
  const other = await UdpClient.open();
  t.teardown(() => other.close());
  const req = 'k_1_0 d7:command5:offer7:call-id2:c1e';
  for (let i = 0; i < 3; i++) await client.send(req, server.port);
  for (let i = 0; i < 2; i++) await other.send(req, server.port);
  await until(() => server.stats.received === 5);
  t.equal(calls, 1, 'handler started once');
  t.equal(client.received.length + other.received.length, 0, 'no reply before the handler finished');
  release();
  await client.waitFor(3);
  await other.waitFor(2);
  const all = [...client.received, ...other.received].map((r) => text(r.msg));
  t.strictSame(all, Array(5).fill('k_1_0 d7:call-id2:c11:ni1e6:result2:oke'));
  t.equal(calls, 1, 'handler ran once');
  t.equal(server.stats.retransmits, 4);
  // A later retransmission (even with a different body) is answered from the cache.
  await client.send('k_1_0 d7:command4:pinge', server.port);
  await client.waitFor(4);
  t.equal(text(client.received[3]!.msg), 'k_1_0 d7:call-id2:c11:ni1e6:result2:oke');
  t.equal(calls, 1);
  t.equal(server.stats.retransmits, 5);
  t.equal(server.stats.replies, 6);
});

t.test('error replies are cached too', async (t) => {
  let calls = 0;
  const { server, client } = await setup(t, (req) => {
    calls++;
    return basic(req);
  });
  await client.send('e1 d7:command5:bogone', server.port);
  await client.waitFor(1);
  await client.send('e1 d7:command4:pinge', server.port);
  await client.waitFor(2);
  const expected = 'e1 d12:error-reason20:Unrecognized command6:result5:errore';
  t.strictSame(client.received.map((r) => text(r.msg)), [expected, expected]);
  t.equal(calls, 1);
});

t.test('handler errors become ng error replies', async (t) => {
  const handler: NgHandler = async (req) => {
    if (req.command === 'internal') throw new Error('secret detail');
    if (req.command === 'limit') throw new SessionLimitError();
    if (req.command === 'sync') throw new UnknownCommandError();
    return { result: 'ok' };
  };
  const { server, client } = await setup(t, (req) => (req.command === 'sync' ? basic(req) : handler(req)));
  const cases: Array<[string, string]> = [
    ['a d7:command8:internale', 'a d12:error-reason14:Internal error6:result5:errore'],
    ['b d7:command5:limite', 'b d12:error-reason30:Parallel session limit reached6:result5:errore'],
    ['c d7:command5:limit8:supportsl10:load limitee', 'c d7:message30:Parallel session limit reached6:result10:load limite'],
    ['d d7:command4:synce', 'd d12:error-reason20:Unrecognized command6:result5:errore'],
  ];
  for (const [req, rep] of cases) {
    const n = client.received.length;
    await client.send(req, server.port);
    await client.waitFor(n + 1);
    t.equal(text(client.received[n]!.msg), rep, req);
  }
});

t.test('malformed requests: exact error replies, handler never called', async (t) => {
  let calls = 0;
  const { server, client } = await setup(t, () => {
    calls++;
    return { result: 'ok' };
  });
  const cases: Array<[string, string]> = [
    ['m1 x', 'm1 d12:error-reason22:Invalid NG data format6:result5:errore'],
    ['m2 d7:command4:ping', 'm2 d12:error-reason22:Invalid NG data format6:result5:errore'],
    ['m3 ' + 'l'.repeat(5000) + 'e'.repeat(5000), 'm3 d12:error-reason22:Invalid NG data format6:result5:errore'],
    ['m4 {"command":', 'm4 {"result":"error","error-reason":"Invalid NG data format"}'],
    ['m5 d4:call2:ide', 'm5 d12:error-reason36:Dictionary contains no key "command"6:result5:errore'],
    ['m6 d7:commandi1ee', 'm6 d12:error-reason36:Dictionary contains no key "command"6:result5:errore'],
    [
      'm7 d7:command5:offer7:call-idl1:xee',
      'm7 d12:error-reason50:Invalid value for key "call-id": expected a string6:result5:errore',
    ],
  ];
  for (const [req, rep] of cases) {
    const n = client.received.length;
    await client.send(req, server.port);
    await client.waitFor(n + 1);
    t.equal(text(client.received[n]!.msg), rep, req.slice(0, 40));
  }
  t.equal(calls, 0);
  t.equal(server.stats.badData, 4);
});

t.test('oversize datagrams are dropped and counted', async (t) => {
  const { server, client } = await setup(t, basic, { maxDatagramBytes: 1024 });
  await client.send('big d7:command4:ping3:pad2000:' + 'x'.repeat(2000) + 'e', server.port);
  await client.send('small d7:command4:pinge', server.port);
  await client.waitFor(1);
  await until(() => server.stats.received === 2);
  t.equal(client.received.length, 1);
  t.equal(text(client.received[0]!.msg), 'small d6:result4:ponge');
  t.equal(server.stats.oversize, 1);
});

t.test('a reply the encoder cannot encode becomes "Internal error"', async (t) => {
  const { server, client } = await setup(t, () => ({ result: 'ok', x: 1.5 }));
  await client.send('f1 d7:command4:pinge', server.port);
  await client.waitFor(1);
  t.equal(text(client.received[0]!.msg), 'f1 d12:error-reason14:Internal error6:result5:errore');
});

t.test('a reply too large for UDP becomes an error reply', async (t) => {
  const { server, client } = await setup(t, () => ({ result: 'ok', big: 'x'.repeat(70_000) }));
  await client.send('g1 d7:command4:pinge', server.port);
  await client.waitFor(1);
  t.equal(text(client.received[0]!.msg), 'g1 d12:error-reason15:Reply too large6:result5:errore');
});

t.test('onCommand reports executed commands only', async (t) => {
  const seen: Array<[string, string]> = [];
  const { server, client } = await setup(t, basic, {
    onCommand: (c, r, s) => {
      t.ok(s >= 0 && Number.isFinite(s), 'seconds is a finite non-negative number');
      seen.push([c, r]);
    },
  });
  await client.send('o1 d7:command4:pinge', server.port);
  await client.send('o2 d7:command10:Block DTMFe', server.port);
  await client.waitFor(2);
  await client.send('o1 d7:command4:pinge', server.port); // retransmission: not reported
  await client.waitFor(3);
  t.strictSame(seen.sort(), [
    ['block dtmf', 'error'],
    ['ping', 'pong'],
  ]);
});

t.test('the request seen by the handler', async (t) => {
  const reqs: NgRequest[] = [];
  const { server, client } = await setup(t, (req) => {
    reqs.push(req);
    return { result: 'ok' };
  });
  await client.send('r1 d7:command10:Play Media4:file6:/a.wav3:fooi1ee', server.port);
  await client.waitFor(1);
  const r = reqs[0]!;
  t.equal(r.cookie, 'r1');
  t.equal(r.command, 'play media');
  t.equal(r.dict['command'], 'Play Media');
  t.equal(r.params.file, '/a.wav');
  t.strictSame(r.unknownKeys, ['foo']);
  t.equal(r.json, false);
  t.strictSame(r.source, { address: '127.0.0.1', port: client.socket.address().port });
});

t.test('captured Kamailio 5.6 requests replayed through the server', async (t) => {
  const reqs: NgRequest[] = [];
  const replies: Record<string, NgDict> = {};
  const { server, client } = await setup(t, (req) => {
    reqs.push(req);
    return replies[req.command] ?? { result: 'ok' };
  });
  const cap = loadCapture('kamailio-5.6-offer-answer-delete').filter((d) => d.dir === 'req');
  replies['delete'] = { result: 'ok', warning: "Call-ID not found or tags didn't match" };
  for (const [i, d] of cap.entries()) {
    await client.send(d.bytes, server.port);
    await client.waitFor(i + 1);
  }
  t.strictSame(
    reqs.map((r) => [r.cookie, r.command, r.params.callId, r.params.fromTag, r.params.toTag]),
    [
      ['0_23069_0', 'offer', '1-23075@127.0.0.1', '23075SIPpTag091', undefined],
      ['0_23069_1', 'answer', '1-23075@127.0.0.1', '23075SIPpTag091', '16701SIPpTag018'],
      ['0_23069_2', 'delete', '1-23075@127.0.0.1', '23075SIPpTag091', undefined],
    ],
  );
  t.ok(reqs.every((r) => r.params.supports.has('load limit') && r.unknownKeys.length === 0));
  t.strictSame([...reqs[0]!.params.replace], ['origin', 'session-connection']);
  t.equal(text(client.received[2]!.msg), "0_23069_2 d6:result2:ok7:warning38:Call-ID not found or tags didn't matche");

  // Kamailio's retransmission of the supervise offer (same cookie) runs the handler once.
  const sup = loadCapture('kamailio-5.6-offer-with-supervise-keys').find((d) => d.frame === 1)!;
  await client.send(sup.bytes, server.port);
  await client.send(sup.bytes, server.port);
  await client.waitFor(5);
  t.equal(reqs.length, 4);
  t.match(reqs[3]!.params, { supervise: 'whisper', agentTag: 'agenttag', supervisor: 'alice', agent: 'bob', callId: 'TARGETCALL' });
  t.equal(text(client.received[3]!.msg), text(client.received[4]!.msg));
});

t.test('start rejects an address in use; close is idempotent', async (t) => {
  const { server } = await setup(t);
  const dup = new NgServer({ host: '127.0.0.1', port: server.port, cookieCacheSeconds: 60, maxDatagramBytes: 65535, handler: basic, logger: silent });
  await t.rejects(dup.start(), { code: 'EADDRINUSE' });
  await dup.close();
  await server.close();
  await server.close();
});
