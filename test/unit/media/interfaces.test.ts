/**
 * Logical interfaces (config media.interfaces; rtpengine `interface = NAME/ADDRESS!ADVERTISED;...`):
 * the configuration accepted and refused with the key named, and the address a leg gets for an
 * interface name (ng `direction`) and a family (ng `address family` / the peer's SDP), as rtpengine
 * mr10.5.3.5 daemon/media_socket.c get_logical_interface and daemon/call.c __init_interface choose.
 */
import t from 'tap';
import { validateConfig } from '../../../src/config/load';
import { ConfigError } from '../../../src/errors';
import os from 'node:os';
import { Interfaces, systemAddresses } from '../../../src/media/interfaces';

function interfacesOf(list: unknown[]): Interfaces {
  return new Interfaces(validateConfig({ media: { interfaces: list } }).media.interfaces);
}

t.test("rtpengine's spelling NAME/ADDRESS!ADVERTISED is accepted, IPv4 and IPv6, and means the same as the object form", async (t) => {
  const c = validateConfig({ media: { interfaces: ['internal/10.0.0.5', 'external/203.0.113.5!198.51.100.5', '2001:db8::1', { name: 'pub', address: '::1', advertisedAddress: '2001:db8::9' }] } });
  t.same(c.media.interfaces, [
    { name: 'internal', address: '10.0.0.5', advertisedAddress: '' },
    { name: 'external', address: '203.0.113.5', advertisedAddress: '198.51.100.5' },
    { name: 'default', address: '2001:db8::1', advertisedAddress: '' },
    { name: 'pub', address: '::1', advertisedAddress: '2001:db8::9' },
  ]);
});

t.test('existing configurations stay valid: no interfaces means media.address / advertisedAddress', async (t) => {
  const c = validateConfig({ media: { address: '127.0.0.1', advertisedAddress: '192.0.2.1' } });
  t.same(c.media.interfaces, []);
  t.equal(c.media.address, '127.0.0.1');
});

t.test('a bad interface entry stops start-up with the key named', async (t) => {
  const refused = (media: Record<string, unknown>): string => {
    try {
      validateConfig({ media });
    } catch (err) {
      t.type(err, ConfigError);
      return (err as Error).message;
    }
    return 'accepted';
  };
  t.match(refused({ interfaces: ['pub/300.1.1.1'] }), /media\.interfaces\.0\.address: expected an IPv4 or IPv6 address/);
  t.match(refused({ interfaces: ['10.0.0.1', 'x/10.0.0.2!2001:db8::1'] }), /media\.interfaces\.1\.advertisedAddress: must be of the same address family as address/);
  t.match(refused({ interfaces: [{ name: 'a b', address: '10.0.0.1' }] }), /media\.interfaces\.0\.name: expected an interface name/);
  t.match(refused({ interfaces: [{ address: '10.0.0.1', port: 5 }] }), /unknown key "media\.interfaces\.0\.port"/);
  t.match(refused({ interfaces: ['a/b/c'] }), /media\.interfaces\.0: expected \[NAME\/\]ADDRESS\[!ADVERTISED\]/);
  t.match(refused({ address: '::1', advertisedAddress: '192.0.2.1' }), /media\.advertisedAddress: must be of the same address family as media\.address/);
  t.match(refused({ address: '10.0.0.9', interfaces: ['10.0.0.1'] }), /media\.address: not used when media\.interfaces is set/);
  t.match(refused({ advertisedAddress: '192.0.2.9', interfaces: ['10.0.0.1'] }), /media\.advertisedAddress: not used when media\.interfaces is set/);
});

t.test('unnamed: the first address of the family asked for, in config order; no family: the first address', async (t) => {
  const ifs = interfacesOf(['203.0.113.1', '2001:db8:4321::1']);
  t.equal(ifs.select(undefined, 6).address.advertised, '2001:db8:4321::1');
  t.equal(ifs.select(undefined, 4).address.advertised, '203.0.113.1');
  t.equal(ifs.select(undefined, undefined).address.advertised, '203.0.113.1');
  t.equal(ifs.select(undefined, 6).warning, undefined);
});

t.test('a family no interface has falls back to the first address, with a warning', async (t) => {
  const ifs = interfacesOf(['127.0.0.1']);
  const s = ifs.select(undefined, 6);
  t.equal(s.address.bind, '127.0.0.1');
  t.equal(s.warning, 'Requested address family (IP6) not supported');
});

t.test('a named interface (ng direction): its own address of the family, its first when it has none of it', async (t) => {
  const ifs = interfacesOf(['internal/10.0.0.5', 'external/203.0.113.5!198.51.100.5', 'external/2001:db8::5']);
  t.same(ifs.select('internal', 4).address, { name: 'internal', bind: '10.0.0.5', advertised: '10.0.0.5', family: 4 });
  t.same(ifs.select('external', 4).address, { name: 'external', bind: '203.0.113.5', advertised: '198.51.100.5', family: 4 });
  t.equal(ifs.select('external', 6).address.bind, '2001:db8::5');
  t.equal(ifs.select('external', undefined).address.bind, '203.0.113.5');
  const none = ifs.select('internal', 6);
  t.equal(none.address.bind, '10.0.0.5');
  t.match(none.warning, /has no IPv6 address/);
});

t.test("an unknown name: the default; legacy 'internal'/'external' select IPv4/IPv6 when not configured", async (t) => {
  const ifs = interfacesOf(['pub/203.0.113.1', 'pub/2001:db8:4321::1']);
  const unknown = ifs.select('nope', 4);
  t.equal(unknown.address.bind, '203.0.113.1');
  t.equal(unknown.warning, "Interface 'nope' not found, using default");
  t.same([ifs.select('internal', undefined).address.bind, ifs.select('internal', undefined).warning], ['203.0.113.1', undefined]);
  t.same([ifs.select('external', undefined).address.bind, ifs.select('external', undefined).warning], ['2001:db8:4321::1', undefined]);
});

t.test('IPv6 addresses are kept in canonical text (as Node reports a source), e.g. for the bind -> advertised lookup', async (t) => {
  const ifs = interfacesOf(['2001:DB8:0:0::0001!2001:db8:0::9']);
  t.same(ifs.addresses[0], { name: 'default', bind: '2001:db8::1', advertised: '2001:db8::9', family: 6 });
  t.equal(ifs.ofBind('2001:db8::1')?.advertised, '2001:db8::9');
});

t.test("a network interface of this host stands for its addresses (link-local IPv6 left out); 'any' for every non-loopback one", async (t) => {
  const nics = {
    lo: [
      { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
      { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 'IPv6', mac: '00:00:00:00:00:00', internal: true, cidr: '::1/128', scopeid: 0 },
    ],
    eth0: [
      { address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.2/24' },
      { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
      { address: '2001:db8::2', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: '2001:db8::2/64', scopeid: 0 },
    ],
  } as NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  t.same(systemAddresses('eth0', nics), ['192.0.2.2', '2001:db8::2']);
  t.same(systemAddresses('lo', nics), ['127.0.0.1', '::1']);
  t.same(systemAddresses('any', nics), ['192.0.2.2', '2001:db8::2'], 'any: no loopback');
  t.same(systemAddresses('eth9', nics), []);
  // The host's own loopback interface, as a config entry: one logical interface with both families.
  const ifs = interfacesOf(['ext/lo!198.51.100.9']);
  const ext = ifs.addresses.filter((a) => a.name === 'ext');
  t.ok(ext.some((a) => a.bind === '127.0.0.1' && a.advertised === '198.51.100.9'), 'IPv4 address of lo, advertised as given');
  t.ok(ext.some((a) => a.bind === '::1' && a.advertised === '::1'), 'IPv6 address of lo keeps its own address (the advertised one is IPv4)');
  t.equal(ifs.select('ext', 6).address.family, 6, 'direction ext + IPv6: an IPv6 address of lo');
});

t.test('an unknown network interface name is refused with the key named; too many addresses too', async (t) => {
  t.throws(() => validateConfig({ media: { interfaces: ['pub/nosuchif0'] } }), /media\.interfaces\.0\.address: expected an IPv4 or IPv6 address, a network interface of this host/);
  const entries = (n: number): string[] => Array.from({ length: n }, (_, i) => `n${i}/10.0.0.${i + 1}!192.0.2.${i + 1}`);
  t.equal(validateConfig({ media: { interfaces: entries(8) } }).media.interfaces.length, 8, '8 entries, 16 addresses: accepted');
  t.throws(() => validateConfig({ media: { interfaces: entries(9) } }), /media\.interfaces: Too big|media\.interfaces: .*8/, 'at most 8 entries');
  const specs = Array.from({ length: 9 }, (_, i) => ({ name: `n${i}`, address: `10.0.0.${i + 1}`, advertisedAddress: `192.0.2.${i + 1}` }));
  t.throws(() => new Interfaces(specs), /18 media addresses \(bound and advertised\), at most 16/, 'the own-socket table bounds the addresses');
});

t.test('BASE:SUFFIX names: direction BASE takes them round robin; the exact name still works', async (t) => {
  const ifs = interfacesOf(['priv/10.0.0.1', 'pub:1/192.0.2.1', 'pub:2/192.0.2.2', 'pub:2/2001:db8::2']);
  const picks = [1, 2, 3, 4].map(() => ifs.select('pub', 4).address.bind);
  t.same(picks, ['192.0.2.1', '192.0.2.2', '192.0.2.1', '192.0.2.2'], 'pub -> pub:1, pub:2, pub:1, ...');
  t.same([ifs.select('pub', 6).address.bind, ifs.select('pub', 6).address.bind], ['2001:db8::2', '2001:db8::2'], 'IPv6: only pub:2 has it');
  t.equal(ifs.select('pub:1', 4).address.bind, '192.0.2.1', 'pub:1 by its own name');
  t.equal(ifs.select('pub', 4).warning, undefined);
  const all = [1, 2, 3].map(() => ifs.select('round-robin-calls', 4).address.name);
  t.same(all, ['priv', 'pub:1', 'pub:2'], "legacy 'round-robin-calls': every interface in turn");
});

t.test('the default interface named BASE:SUFFIX: unnamed requests round-robin over BASE', async (t) => {
  const ifs = interfacesOf(['pub:a/192.0.2.1', 'pub:b/192.0.2.2', 'priv/10.0.0.1']);
  t.same([1, 2, 3].map(() => ifs.select(undefined, 4).address.bind), ['192.0.2.1', '192.0.2.2', '192.0.2.1']);
});
