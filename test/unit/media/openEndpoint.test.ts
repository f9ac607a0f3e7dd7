/**
 * openEndpoint: binds an RTP/RTCP pair on the pool's next free pair, synchronously (literalLookup), skips
 * pairs another socket holds, and answers "Ran out of ports" with nothing leaked when none is bindable.
 * With spares (media.sparePairs), pairs bound ahead of demand are handed out first, in pool order, count
 * as free until then, and are closed with the pool.
 */
import dgram from 'node:dgram';
import t from 'tap';
import { PortsExhaustedError } from '../../../src/errors';
import { enableSpares, literalLookup, openEndpoint, openEndpointNow } from '../../../src/media/openEndpoint';
import { PortPool } from '../../../src/media/PortPool';
import { randomPortRange } from '../../fixtures/daemon';

function hold(port: number): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

t.test('the pair is bound when openEndpointNow returns (no tick later)', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 3);
  const ep = openEndpointNow(pool, '127.0.0.1');
  t.teardown(() => ep.close());
  t.equal(ep.localPort, pool.first);
  t.equal(ep.rtp.address().port, ep.localPort);
  t.equal(ep.rtcp.address().port, ep.localPort + 1);
  t.equal(pool.used, 1);
});

t.test('a pair another socket holds (RTP or RTCP port) is skipped and given back', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 5); // 3 pairs
  const first = pool.first;
  const held = [await hold(first), await hold(first + 2 + 1)]; // pair 0's RTP, pair 1's RTCP
  t.teardown(() => held.forEach((s) => s.close()));
  const ep = await openEndpoint(pool, '127.0.0.1');
  t.teardown(() => ep.close());
  t.equal(ep.localPort, first + 4, 'the third pair, the only free one');
  t.equal(pool.used, 1, 'the skipped pairs went back to the pool');
  // The RTP socket of the half-bound pair 1 was closed: its port can be bound again.
  const again = await hold(first + 2);
  again.close();
});

t.test('no bindable pair: "Ran out of ports", no port kept, no socket left bound', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 3); // 2 pairs
  const held = [await hold(pool.first + 1), await hold(pool.first + 2)];
  t.teardown(() => held.forEach((s) => s.close()));
  t.throws(() => openEndpointNow(pool, '127.0.0.1'), PortsExhaustedError);
  await t.rejects(openEndpoint(pool, '127.0.0.1'), PortsExhaustedError);
  t.equal(pool.used, 0);
  // The ports whisperd tried and did not hold are free again.
  const a = await hold(pool.first);
  const b = await hold(pool.first + 3);
  a.close();
  b.close();
});

t.test('an exhausted pool: "Ran out of ports"; a released pair is handed out again', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 1); // 1 pair
  const ep = openEndpointNow(pool, '127.0.0.1');
  t.throws(() => openEndpointNow(pool, '127.0.0.1'), PortsExhaustedError);
  ep.close();
  pool.release(ep.localPort);
  const again = openEndpointNow(pool, '127.0.0.1');
  t.equal(again.localPort, ep.localPort);
  again.close();
});

t.test('literalLookup answers an IPv4 literal at once and hands anything else to dns.lookup', async (t) => {
  let got: [unknown, string, number] | null = null;
  literalLookup('192.0.2.7', 4, (err, address, family) => {
    got = [err, address, family];
  });
  t.same(got, [null, '192.0.2.7', 4], 'synchronous, same answer as dns.lookup');
  const viaDns = await new Promise<[string, number]>((resolve, reject) =>
    literalLookup('localhost', 4, (err, address, family) => (err ? reject(err) : resolve([address, family]))),
  );
  t.same(viaDns, ['127.0.0.1', 4]);
});

t.test('a media address that is not an IPv4 literal binds nothing and leaks nothing', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 3);
  t.throws(() => openEndpointNow(pool, 'localhost'), PortsExhaustedError);
  t.equal(pool.used, 0);
  const a = await hold(pool.first);
  a.close();
});

/** Resolves after the pending setImmediate callbacks (the spares' refill) have run. */
const afterRefill = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** Can `port` be bound by someone else (i.e. whisperd holds no socket on it)? */
async function bindable(port: number): Promise<boolean> {
  try {
    (await hold(port)).close();
    return true;
  } catch {
    return false;
  }
}

t.test('spares: bound after the first open, handed out in pool order, counted as free', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 9); // 5 pairs
  enableSpares(pool, '127.0.0.1', 2);
  t.teardown(() => pool.close());
  const first = pool.first;
  t.equal(await bindable(first), true, 'no spare before the first open');
  const a = openEndpointNow(pool, '127.0.0.1');
  t.equal(a.localPort, first);
  await afterRefill();
  t.equal(pool.spares, 2);
  t.equal(pool.used, 1, 'spares are not counted as used');
  t.equal(pool.free, 4);
  t.equal(await bindable(first + 2), false, 'the spare pairs are bound');
  t.equal(await bindable(first + 5), false);
  const b = openEndpointNow(pool, '127.0.0.1');
  t.equal(b.localPort, first + 2, 'the oldest spare first: round-robin order as without spares');
  t.equal(b.rtp.address().port, first + 2);
  t.equal(pool.used, 2);
  a.close();
  b.close();
  pool.release(a.localPort);
  pool.release(b.localPort);
  await afterRefill();
  t.equal(pool.used, 0);
  t.equal(pool.spares, 2);
});

t.test('spares: the pool runs out only when spares are used up; a failed open keeps nothing', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 5); // 3 pairs
  enableSpares(pool, '127.0.0.1', 4);
  t.teardown(() => pool.close());
  const eps = [openEndpointNow(pool, '127.0.0.1')];
  await afterRefill();
  t.equal(pool.spares, 2, 'only two pairs left to reserve');
  t.equal(pool.free, 2);
  eps.push(openEndpointNow(pool, '127.0.0.1'), openEndpointNow(pool, '127.0.0.1'));
  t.same(eps.map((e) => e.localPort), [pool.first, pool.first + 2, pool.first + 4]);
  t.throws(() => openEndpointNow(pool, '127.0.0.1'), PortsExhaustedError, '"Ran out of ports" as without spares');
  t.equal(pool.used, 3);
  for (const e of eps) {
    e.close();
    pool.release(e.localPort);
  }
  t.equal(pool.used, 0, 'nothing leaked');
});

t.test('spares: pool.close() closes them and gives their ports back; no refill afterwards', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 9);
  enableSpares(pool, '127.0.0.1', 3);
  const a = openEndpointNow(pool, '127.0.0.1');
  await afterRefill();
  t.equal(pool.spares, 3);
  a.close();
  pool.release(a.localPort);
  pool.close();
  t.equal(pool.spares, 0);
  t.equal(pool.free, pool.size);
  await afterRefill();
  for (let i = 0; i < 4; i++) t.equal(await bindable(pool.first + 2 * i), true, `pair ${i} released`);
});

t.test('spares: a port held by another socket is skipped when reserving', async (t) => {
  const { portMin } = randomPortRange();
  const pool = new PortPool(portMin, portMin + 9);
  enableSpares(pool, '127.0.0.1', 2);
  t.teardown(() => pool.close());
  const held = await hold(pool.first + 3); // pair 1's RTCP
  t.teardown(() => held.close());
  const a = openEndpointNow(pool, '127.0.0.1');
  t.teardown(() => a.close());
  await afterRefill();
  t.equal(pool.spares, 2);
  const b = openEndpointNow(pool, '127.0.0.1');
  t.teardown(() => b.close());
  t.equal(b.localPort, pool.first + 4, 'pair 1 skipped');
  t.equal(await bindable(pool.first + 2), true, "pair 1's RTP socket was closed again");
});
