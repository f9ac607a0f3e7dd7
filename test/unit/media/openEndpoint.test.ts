/**
 * openEndpoint: binds an RTP/RTCP pair on the pool's next free pair, synchronously (literalLookup), skips
 * pairs another socket holds, and answers "Ran out of ports" with nothing leaked when none is bindable.
 */
import dgram from 'node:dgram';
import t from 'tap';
import { PortsExhaustedError } from '../../../src/errors';
import { literalLookup, openEndpoint, openEndpointNow } from '../../../src/media/openEndpoint';
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
