/**
 * OwnSockets (D2): which address:port pairs are whisperd's own media sockets. The pool's whole port
 * range at the media address, the advertised address, and — when bound to 0.0.0.0 — every IPv4
 * address of the host; the native table mirrors it.
 */
import os from 'node:os';
import t from 'tap';
import { OwnSockets, OwnSlot, OwnSlot6 } from '../../../src/media/ownSockets';

t.test('a specific media address and an advertised one', async (t) => {
  const own = new OwnSockets(30000, 30099, ['10.1.2.3']);
  own.add('203.0.113.7');
  own.add('');
  t.ok(own.has('10.1.2.3', 30000), 'first RTP port');
  t.ok(own.has('10.1.2.3', 30099), 'last RTCP port');
  t.ok(own.has('203.0.113.7', 30050), 'advertised address');
  t.notOk(own.has('10.1.2.3', 29999), 'below the range');
  t.notOk(own.has('10.1.2.3', 30100), 'above the range');
  t.notOk(own.has('10.1.2.4', 30000), 'another host');
  t.same([...own.native.subarray(0, OwnSlot.ADDR0 + 2)], [30000, 30099, 2, 10 * 2 ** 24 + 1 * 2 ** 16 + 2 * 2 ** 8 + 3, 203 * 2 ** 24 + 0 * 2 ** 16 + 113 * 2 ** 8 + 7], 'native table');
});

t.test('bound to 0.0.0.0: every IPv4 address of the host', async (t) => {
  const own = new OwnSockets(30000, 30099, ['0.0.0.0']);
  const mine = Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).filter((i) => i.family === 'IPv4').map((i) => i.address));
  t.ok(mine.includes('127.0.0.1'));
  for (const a of mine) t.ok(own.has(a, 30010), `${a} is ours`);
  t.notOk(own.has('0.0.0.0', 30010), 'the wildcard itself is no source');
  const other = ['198.51.100.77', '203.0.113.77', '192.0.2.77'].find((a) => !mine.includes(a))!;
  t.notOk(own.has(other, 30010), `${other} (not an address of this host) is not ours`);
});

t.test('IPv6 addresses: compared in canonical text, mirrored as 4 words each in the IPv6 native table', async (t) => {
  const own = new OwnSockets(30000, 30099, ['127.0.0.1']);
  own.add('2001:DB8:4321:0:0:0:0:1');
  own.add('::1');
  t.ok(own.has('2001:db8:4321::1', 30000), 'the canonical form Node reports for a source');
  t.ok(own.has('::1', 30099));
  t.notOk(own.has('2001:db8:4321::2', 30000), 'another IPv6 host');
  t.notOk(own.has('2001:db8:4321::1', 30100), 'above the range');
  t.equal(own.native[OwnSlot.COUNT], 1, 'the IPv4 table keeps only IPv4 addresses');
  t.same([...own.native6.subarray(0, OwnSlot6.ADDR0 + 8)], [2, 0x20010db8, 0x43210000, 0, 1, 0, 0, 0, 1], 'IPv6 table: count, then 4 host-order words per address');
});

t.test('bound to ::, every IPv6 address of the host', async (t) => {
  const own = new OwnSockets(30000, 30099, ['::']);
  const mine = Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).filter((i) => i.family === 'IPv6').map((i) => i.address));
  t.ok(mine.includes('::1'));
  for (const a of mine) t.ok(own.has(a, 30010), `${a} is ours`);
  t.notOk(own.has('::', 30010), 'the wildcard itself is no source');
});
