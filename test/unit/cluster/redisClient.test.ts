/**
 * RedisClient against a real redis-server (AUTH and SELECT from the URL, pipelining, reconnect) and against
 * fake servers (a server that never answers: command timeout; one that sends garbage: the connection is
 * dropped and the command fails; a reply larger than the limit: refused, not buffered).
 */
import net from 'node:net';
import t from 'tap';
import { ConfigError } from '../../../src/errors';
import { parseRedisUrl, RedisClient, RedisTimeoutError, RedisUnavailableError, RespError } from '../../../src/cluster/redis/RedisClient';
import { freePort } from '../../fixtures/e2e/harness';
import { TestRedis } from '../../fixtures/redis';

t.test('parseRedisUrl', async (t) => {
  t.same(parseRedisUrl('redis://127.0.0.1:6380/3'), { host: '127.0.0.1', port: 6380, db: 3 });
  t.same(parseRedisUrl('redis://u%40x:p%3Aw@h'), { host: 'h', port: 6379, db: 0, username: 'u@x', password: 'p:w' });
  t.same(parseRedisUrl('redis://:secret@[::1]:7000'), { host: '::1', port: 7000, db: 0, password: 'secret' });
  t.throws(() => parseRedisUrl('rediss://h:6379'), ConfigError, 'TLS refused with a config error');
  t.throws(() => parseRedisUrl('redis://h/abc'), ConfigError);
  t.throws(() => parseRedisUrl('http://h'), ConfigError);
});

t.test('AUTH, SELECT, pipelining, reconnect on a real redis-server', async (t) => {
  const port = await freePort();
  const r = new TestRedis(port, ['--requirepass', 'sekret'], `redis://:sekret@127.0.0.1:${port}`);
  t.teardown(() => r.kill());
  await r.start();
  const c = new RedisClient(parseRedisUrl(`redis://:sekret@127.0.0.1:${port}/3`), { minBackoffMs: 20, maxBackoffMs: 100 });
  t.teardown(() => c.close());
  t.ok(await c.waitConnected(5000), 'connected with the password');
  t.equal(await c.command(['SET', 'k', 'v3']), 'OK');
  const db0 = new RedisClient(parseRedisUrl(`redis://:sekret@127.0.0.1:${port}/0`));
  t.teardown(() => db0.close());
  await db0.waitConnected(5000);
  t.equal(await db0.command(['GET', 'k']), null, 'the key went to db 3, not db 0');
  // 1000 pipelined commands answered in order.
  const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => c.command(['INCR', 'n']).then((v) => ({ i, v }))));
  t.ok(replies.every(({ i, v }) => v === i + 1), 'pipelined replies in order');
  await t.rejects(c.command(['NOSUCHCOMMAND']), RespError, 'an error reply rejects with RespError');
  t.same(await c.command(['GET', 'k']), Buffer.from('v3'), 'still in sync after an error reply');

  const bad = new RedisClient(parseRedisUrl(`redis://:wrong@127.0.0.1:${port}`), { minBackoffMs: 20 });
  t.teardown(() => bad.close());
  t.equal(await bad.waitConnected(500), false, 'wrong password: not connected');
  await t.rejects(bad.command(['PING']), RedisUnavailableError, 'commands fail at once while not connected');

  await r.kill();
  await t.rejects(c.command(['PING']), RedisUnavailableError, 'down: fails at once');
  await r.start();
  t.ok(await c.waitConnected(5000), 'reconnected');
  t.equal(await c.command(['PING']), 'PONG');
});

async function fakeServer(t: { teardown(fn: () => void): void }, onData: (s: net.Socket, d: Buffer) => void): Promise<number> {
  const socks: net.Socket[] = [];
  const srv = net.createServer((s) => {
    socks.push(s);
    s.on('data', (d) => onData(s, d));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    for (const s of socks) s.destroy();
    srv.close();
  });
  return (srv.address() as net.AddressInfo).port;
}

t.test('a server that never answers: command timeout, connection dropped', async (t) => {
  const port = await fakeServer(t, () => undefined);
  const c = new RedisClient({ host: '127.0.0.1', port, db: 0 }, { commandTimeoutMs: 200, minBackoffMs: 50 });
  t.teardown(() => c.close());
  t.ok(await c.waitConnected(2000));
  const t0 = Date.now();
  await t.rejects(c.command(['PING']), RedisTimeoutError);
  t.ok(Date.now() - t0 < 3000, 'bounded');
});

t.test('garbage and oversize replies drop the connection', async (t) => {
  let mode: 'garbage' | 'huge' = 'garbage';
  const port = await fakeServer(t, (s) => s.write(mode === 'garbage' ? '?what\r\n' : `$${200 * 1024 * 1024}\r\nxxxx`));
  const c = new RedisClient({ host: '127.0.0.1', port, db: 0 }, { minBackoffMs: 20 });
  t.teardown(() => c.close());
  t.ok(await c.waitConnected(2000));
  await t.rejects(c.command(['PING']), RedisUnavailableError, 'garbage: the command fails with the connection');
  mode = 'huge';
  t.ok(await c.waitConnected(2000), 'reconnected');
  await t.rejects(c.command(['GET', 'x']), RedisUnavailableError, 'a 200 MB bulk is refused (limit 64 MB), not buffered');
});
