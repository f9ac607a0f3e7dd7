/**
 * whisperd's ICE parameters (src/media/ice/candidates.ts) as rtpengine 10.5 writes them: ufrag 8 and pwd 26
 * characters of [0-9a-zA-Z], a 16-character foundation per local address, host priorities 2130706431 /
 * 2130706175 for the interface's first / second address and one less for component 2 (auto-daemon-tests.pl
 * 'stray ICE reset after hold', ICEUFRAG/ICEPWD/ICEBASE in AutoTest.pm); the a=candidate value codec.
 */
import t from 'tap';
import { candidatePriority, formatCandidate, hostPriority, localIceParams, parseCandidate, randomIceString } from '../../../src/media/ice/candidates';

const fakeEndpoint = { localAddress: '203.0.113.1', localPort: 30000, rtcp: { address: () => ({ port: 30001 }) } };

t.test('ufrag/pwd: 8 and 26 characters of [0-9a-zA-Z], fresh each time', async (t) => {
  const a = localIceParams(fakeEndpoint);
  const b = localIceParams(fakeEndpoint);
  t.match(a.ufrag, /^[0-9a-zA-Z]{8}$/);
  t.match(a.pwd, /^[0-9a-zA-Z]{26}$/);
  t.not(a.ufrag, b.ufrag);
  t.not(a.pwd, b.pwd);
  t.equal(a.lite, false);
  t.equal(localIceParams(fakeEndpoint, { lite: true }).lite, true);
  t.match(randomIceString(100), /^[0-9a-zA-Z]{100}$/);
});

t.test('host candidates: rtpengine priorities per address index and component, one foundation per address', async (t) => {
  const p = localIceParams(fakeEndpoint, { addresses: ['203.0.113.1', '2001:db8:4321::1'], rtcp: true });
  t.same(
    p.candidates.map((c) => [c.component, c.priority, c.address, c.port, c.type, c.transport]),
    [
      [1, 2130706431, '203.0.113.1', 30000, 'host', 'UDP'],
      [1, 2130706175, '2001:db8:4321::1', 30000, 'host', 'UDP'],
      [2, 2130706430, '203.0.113.1', 30001, 'host', 'UDP'],
      [2, 2130706174, '2001:db8:4321::1', 30001, 'host', 'UDP'],
    ],
  );
  t.match(p.candidates[0]!.foundation, /^[0-9a-zA-Z]{16}$/);
  t.equal(p.candidates[0]!.foundation, p.candidates[2]!.foundation, 'same address, same foundation');
  t.not(p.candidates[0]!.foundation, p.candidates[1]!.foundation);
  t.equal(localIceParams(fakeEndpoint).candidates[0]!.foundation, p.candidates[0]!.foundation, 'stable across agents');
  t.equal(localIceParams(fakeEndpoint).candidates.length, 1, 'rtcp-mux: component 1 only');
  t.equal(hostPriority(0, 1), 2130706431);
  t.equal(candidatePriority(110, 65535, 1), 1862270975, 'peer-reflexive priority (RFC 8445 §5.1.2.1)');
});

t.test('a=candidate values: rtpengine format out, browser lines (mDNS, tcp, extensions) in', async (t) => {
  const c = localIceParams(fakeEndpoint).candidates[0]!;
  t.equal(formatCandidate(c), `${c.foundation} 1 UDP 2130706431 203.0.113.1 30000 typ host`);
  t.same(parseCandidate(`candidate:${formatCandidate(c)}`), c);
  const chrome = parseCandidate('candidate:2437072876 1 udp 2122260223 5b3c1f0e-95d9-4c0f-9d41-0f4b8c1c7a01.local 54321 typ host generation 0 ufrag abcd network-id 1');
  t.same(chrome, {
    foundation: '2437072876',
    component: 1,
    transport: 'udp',
    priority: 2122260223,
    address: '5b3c1f0e-95d9-4c0f-9d41-0f4b8c1c7a01.local',
    port: 54321,
    type: 'host',
    extensions: [['generation', '0'], ['ufrag', 'abcd'], ['network-id', '1']],
  });
  const srflx = parseCandidate('1 1 UDP 1694498815 198.51.100.7 4000 typ srflx raddr 10.0.0.2 rport 5000');
  t.equal(srflx?.relAddr, '10.0.0.2');
  t.equal(srflx?.relPort, 5000);
  t.equal(formatCandidate(srflx!), '1 1 UDP 1694498815 198.51.100.7 4000 typ srflx raddr 10.0.0.2 rport 5000');
  for (const bad of ['', 'candidate:', '1 1 UDP', '1 1 UDP 99999999999 1.2.3.4 5 typ host', '1 1 UDP 1 1.2.3.4 70000 typ host', '1 0 UDP 1 1.2.3.4 5 typ host', '1 1 UDP 1 1.2.3.4 5 type host', '1 1 UDP 1 1.2.3.4 5 typ weird'])
    t.equal(parseCandidate(bad), null, bad);
});

t.test("ICE=force-relay: relay candidates, type preference 0, raddr/rport = the same address (suite 'gh 850')", async (t) => {
  const p = localIceParams(fakeEndpoint, { addresses: ['203.0.113.1', '2001:db8:4321::1'], rtcp: true, type: 'relay' });
  t.same(
    p.candidates.map((c) => formatCandidate(c).replace(/^\S+ /, 'ICEBASE ')),
    [
      'ICEBASE 1 UDP 16777215 203.0.113.1 30000 typ relay raddr 203.0.113.1 rport 30000',
      'ICEBASE 1 UDP 16776959 2001:db8:4321::1 30000 typ relay raddr 2001:db8:4321::1 rport 30000',
      'ICEBASE 2 UDP 16777214 203.0.113.1 30001 typ relay raddr 203.0.113.1 rport 30001',
      'ICEBASE 2 UDP 16776958 2001:db8:4321::1 30001 typ relay raddr 2001:db8:4321::1 rport 30001',
    ],
  );
});
