/**
 * IPv6 and the ng key `address family`, as rtpengine 10.5 answers them (its daemon test suite,
 * t/auto-daemon-tests.pl at mr10.5.3.5, runs with `-i 203.0.113.1 -i 2001:db8:4321::1`: one interface with
 * an IPv4 and an IPv6 address). Here the interface binds 127.0.0.1 and ::1 and advertises the suite's
 * addresses, so the SDP replies are the suite's exact text; packets go to the bound addresses.
 *
 *  - the SDP sent on carries the address of the family the receiving side was given: `address family`,
 *    else the family of the offerer's own SDP (c=IN IP6 in, c=IN IP6 out);
 *  - a zero address (legacy hold) is written as the zero address of that family (0.0.0.0 <-> ::);
 *  - RTP and RTCP are relayed between an IPv4 and an IPv6 party, both ways, over real sockets;
 *  - whisperd's own IPv6 sockets are never a source or a destination (own_address);
 *  - IPv6 legs stay on the native media plane (relay and mix): a whisper with IPv6 phones runs on the
 *    native engine with no fallback, and on the reference engine alike.
 */
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { droppedPackets, phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';
import { closeAll, collect, F_AGENT, F_CUSTOMER, F_SUPERVISOR, peak, startAll, type SupervisedCall } from '../fixtures/supervisedCall';
import { inbox, type Received } from '../fixtures/udp';

const V4 = '203.0.113.1';
const V6 = '2001:db8:4321::1';
const INTERFACES = [`127.0.0.1!${V4}`, `::1!${V6}`];

async function daemon(t: Test, media: Record<string, unknown> = {}): Promise<TestDaemon> {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES, ...media } });
  t.teardown(() => td.close());
  return td;
}

/** Expected SDP text with PORT standing for any port (as in rtpengine's suite). */
function expectSdp(t: Test, got: unknown, expected: string, what: string): void {
  const lines = expected.trim().split('\n');
  const re = new RegExp(`^${lines.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/PORT/g, '\\d+')).join('\\r\\n')}\\r\\n$`);
  t.match(String(got), re, what);
  if (!re.test(String(got))) t.comment(String(got));
}

async function offer(td: TestDaemon, callId: string, flags: Record<string, string>, sdp: string): Promise<string> {
  const r = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: `${sdp.trim().split('\n').join('\r\n')}\r\n`, ...flags });
  if (r.result !== 'ok') throw new Error(JSON.stringify(r));
  return r.sdp as string;
}

// --- exact SDP replies (rtpengine t/auto-daemon-tests.pl, the named scenarios) ---------------------------

t.test("'address family' IP6 on an IPv4 offer: the media c= carries the IPv6 address (scenario 'control E')", async (t) => {
  const td = await daemon(t);
  const sdp = await offer(td, 'cE', { 'address-family': 'IP6' }, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
t=0 0
m=audio 16478 RTP/AVP 8
c=IN IP4 198.51.110.1`);
  expectSdp(t, sdp, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
t=0 0
m=audio PORT RTP/AVP 8
c=IN IP6 ${V6}
a=rtpmap:8 PCMA/8000
a=sendrecv
a=rtcp:PORT`, 'control E');
});

t.test("'address family' IP6 rewrites a session-level c= (scenario 'control F')", async (t) => {
  const td = await daemon(t);
  const sdp = await offer(td, 'cF', { 'address-family': 'IP6' }, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP4 198.51.110.1
t=0 0
m=audio 16478 RTP/AVP 8`);
  expectSdp(t, sdp, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP6 ${V6}
t=0 0
m=audio PORT RTP/AVP 8
a=rtpmap:8 PCMA/8000
a=sendrecv
a=rtcp:PORT`, 'control F');
});

t.test("'address family' IP4 on an IPv6 offer: the IPv4 address (scenarios 'control G', 'control H')", async (t) => {
  const td = await daemon(t);
  const g = await offer(td, 'cG', { 'address-family': 'IP4' }, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
t=0 0
m=audio 16478 RTP/AVP 8
c=IN IP6 2001:db8:8765::1`);
  expectSdp(t, g, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
t=0 0
m=audio PORT RTP/AVP 8
c=IN IP4 ${V4}
a=rtpmap:8 PCMA/8000
a=sendrecv
a=rtcp:PORT`, 'control G');
  const h = await offer(td, 'cH', { 'address-family': 'IP4' }, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP6 2001:db8:8765::1
t=0 0
m=audio 16478 RTP/AVP 8`);
  expectSdp(t, h, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP4 ${V4}
t=0 0
m=audio PORT RTP/AVP 8
a=rtpmap:8 PCMA/8000
a=sendrecv
a=rtcp:PORT`, 'control H');
});

t.test('without address family, an IPv6 offer is answered in IPv6 and an IPv4 one in IPv4', async (t) => {
  const td = await daemon(t);
  const six = await offer(td, 'auto6', {}, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP6 2001:db8:8765::1
t=0 0
m=audio 16478 RTP/AVP 8`);
  expectSdp(t, six, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP6 ${V6}
t=0 0
m=audio PORT RTP/AVP 8
a=rtpmap:8 PCMA/8000
a=sendrecv
a=rtcp:PORT`, 'IPv6 in, IPv6 out');
  const four = await offer(td, 'auto4', {}, `
v=0
o=- 1545997027 1 IN IP4 198.51.101.40
s=tester
c=IN IP4 198.51.110.1
t=0 0
m=audio 16478 RTP/AVP 8`);
  t.match(four, /\r\nc=IN IP4 203\.0\.113\.1\r\n/, 'IPv4 in, IPv4 out');
});

t.test("a zero address is written in the family of the address sent (scenarios 'null address test C'-'H')", async (t) => {
  const td = await daemon(t);
  const cases: Array<{ name: string; flags: Record<string, string>; inC: string; outC: string; session: boolean }> = [
    { name: 'null address test C', flags: {}, inC: 'IN IP6 ::', outC: 'IN IP6 ::', session: false },
    { name: 'null address test D', flags: {}, inC: 'IN IP6 ::', outC: 'IN IP6 ::', session: true },
    { name: 'null address test E', flags: { 'address-family': 'IP6' }, inC: 'IN IP4 0.0.0.0', outC: 'IN IP6 ::', session: false },
    { name: 'null address test F', flags: { 'address-family': 'IP6' }, inC: 'IN IP4 0.0.0.0', outC: 'IN IP6 ::', session: true },
    { name: 'null address test G', flags: { 'address-family': 'IP4' }, inC: 'IN IP6 ::', outC: 'IN IP4 0.0.0.0', session: false },
    { name: 'null address test H', flags: { 'address-family': 'IP4' }, inC: 'IN IP6 ::', outC: 'IN IP4 0.0.0.0', session: true },
  ];
  for (const c of cases) {
    const head = 'v=0\no=- 1545997027 1 IN IP4 198.51.101.40\ns=tester';
    const input = c.session ? `${head}\nc=${c.inC}\nt=0 0\nm=audio 16478 RTP/AVP 8` : `${head}\nt=0 0\nm=audio 16478 RTP/AVP 8\nc=${c.inC}`;
    const sdp = await offer(td, c.name, c.flags, input);
    const expected = c.session
      ? `${head}\nc=${c.outC}\nt=0 0\nm=audio PORT RTP/AVP 8\na=rtpmap:8 PCMA/8000\na=sendonly\na=rtcp:PORT`
      : `${head}\nt=0 0\nm=audio PORT RTP/AVP 8\nc=${c.outC}\na=rtpmap:8 PCMA/8000\na=sendonly\na=rtcp:PORT`;
    expectSdp(t, sdp, expected, c.name);
  }
});

t.test('a family no interface has: the offer succeeds on the IPv4 address (rtpengine: "Requested address family not supported")', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const sdp = await offer(td, 'no6', { 'address-family': 'IP6' }, 'v=0\no=- 1 1 IN IP4 198.51.101.40\ns=-\nc=IN IP4 198.51.110.1\nt=0 0\nm=audio 16478 RTP/AVP 8');
  t.match(sdp, /\r\nc=IN IP4 127\.0\.0\.1\r\n/);
  const six = await offer(td, 'no6b', {}, 'v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 2001:db8:8765::1\nt=0 0\nm=audio 16478 RTP/AVP 8');
  t.match(six, /\r\nc=IN IP4 127\.0\.0\.1\r\n/, 'an IPv6 offer to an IPv4-only daemon');
});

t.test("the answer goes back to the offerer in the offerer's family", async (t) => {
  const td = await daemon(t);
  await offer(td, 'back', { 'address-family': 'IP6' }, `
v=0
o=- 1 1 IN IP4 198.51.101.40
s=tester
c=IN IP4 198.51.110.1
t=0 0
m=audio 16478 RTP/AVP 8`);
  const r = await td.ng.request({
    command: 'answer', 'call-id': 'back', 'from-tag': 'a', 'to-tag': 'b',
    sdp: 'v=0\r\no=- 2 1 IN IP6 2001:db8:8765::2\r\ns=tester\r\nc=IN IP6 2001:db8:8765::2\r\nt=0 0\r\nm=audio 20000 RTP/AVP 8\r\n',
  });
  t.equal(r.result, 'ok');
  t.match(r.sdp as string, /\r\nc=IN IP4 203\.0\.113\.1\r\n/);
  t.notMatch(r.sdp as string, /c=IN IP6/);
});

t.test('query reports IPv6 streams as family IP6', async (t) => {
  const td = await daemon(t);
  await offer(td, 'q6', {}, 'v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 ::1\nt=0 0\nm=audio 16478 RTP/AVP 8');
  const q = await td.ng.request({ command: 'query', 'call-id': 'q6' });
  const tags = q.tags as Record<string, { medias: Array<{ streams: Array<Record<string, unknown>> }> }>;
  const rtp = tags.a!.medias[0]!.streams[0]!;
  t.equal(rtp['local address'], '::1', 'the offerer faces a socket on the IPv6 address');
  t.equal(rtp.family, 'IP6');
  t.same(rtp['advertised endpoint'], { family: 'IP6', address: '::1', port: 16478 });
});

// --- packets --------------------------------------------------------------------------------------------

/** A phone: an RTP socket at an even port and its RTCP socket beside it (RFC 3550 §11). */
interface Peer {
  sock: dgram.Socket;
  rtcp: dgram.Socket;
  port: number;
  next(): Promise<Received>;
  nextRtcp(): Promise<Received>;
}

function bindTo(sock: dgram.Socket, port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    sock.once('error', () => resolve(false));
    sock.bind(port, address, () => resolve(true));
  });
}

async function peer(t: Test, type: 'udp4' | 'udp6'): Promise<Peer> {
  const address = type === 'udp4' ? '127.0.0.1' : '::1';
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 5000);
    const sock = dgram.createSocket(type);
    const rtcp = dgram.createSocket(type);
    if ((await bindTo(sock, port, address)) && (await bindTo(rtcp, port + 1, address))) {
      t.teardown(() => {
        sock.close();
        rtcp.close();
      });
      return { sock, rtcp, port, next: inbox(sock), nextRtcp: inbox(rtcp) };
    }
    sock.close();
    rtcp.close();
  }
  throw new Error('no free port pair');
}

function rtp(seq: number, ssrc: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xd5);
  b[0] = 0x80;
  b[1] = 8;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 160, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

/** A minimal RTCP receiver report (RFC 3550 §6.4.2, no report blocks). */
function rtcpRr(ssrc: number): Buffer {
  const b = Buffer.alloc(8);
  b[0] = 0x80;
  b[1] = 201;
  b.writeUInt16BE(1, 2);
  b.writeUInt32BE(ssrc, 4);
  return b;
}

/** alice (IPv4) offers with `address family` IP6; bob (IPv6) answers. Ports each side sends to. */
async function v4ToV6Call(td: TestDaemon, callId: string, alice: Peer, bob: Peer): Promise<{ toAlice: number; toBob: number }> {
  const o = await td.ng.request({
    command: 'offer', 'call-id': callId, 'from-tag': 'alice', 'address-family': 'IP6',
    sdp: `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${alice.port} RTP/AVP 8\r\n`,
  });
  const a = await td.ng.request({
    command: 'answer', 'call-id': callId, 'from-tag': 'alice', 'to-tag': 'bob',
    sdp: `v=0\r\no=- 2 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio ${bob.port} RTP/AVP 8\r\n`,
  });
  if (o.result !== 'ok' || a.result !== 'ok') throw new Error(JSON.stringify([o, a]));
  const port = (sdp: unknown): number => Number(/^m=audio (\d+)/m.exec(String(sdp))![1]);
  return { toBob: port(o.sdp), toAlice: port(a.sdp) };
}

const RELAY_MODES = [
  { name: 'native relay on a media thread', media: { nativeRelay: true, threads: 1 }, native: true },
  { name: "native relay on Node's loop", media: { nativeRelay: true, threads: 0 }, native: true },
  { name: 'JS relay', media: { nativeRelay: false }, native: false },
];

for (const mode of RELAY_MODES) {
  const nativeRelay = mode.native;
  t.test(`RTP and RTCP relayed between an IPv4 and an IPv6 party, both ways (${mode.name})`, async (t) => {
    const td = await daemon(t, mode.media);
    const alice = await peer(t, 'udp4');
    const bob = await peer(t, 'udp6');
    const callId = `v4v6-${mode.name}`;
    const c = await v4ToV6Call(td, callId, alice, bob);
    const call = td.daemon.registry.get(callId)!;
    if (nativeRelay) t.equal(call.participant('alice')!.legs[0]!.endpoint!.mediaThread, mode.media.threads === 0 ? -1 : 0, mode.name);
    const endpoints = [...call.participants.values()].map((p) => p.legs[0]!.endpoint!);
    t.same(endpoints.map((e) => e.localAddress).sort(), ['127.0.0.1', '::1'], 'one IPv4 and one IPv6 socket pair');
    t.same(endpoints.map((e) => e.isNative), [nativeRelay, nativeRelay], nativeRelay ? 'both relayed by the native media plane, the IPv6 leg too' : 'both relayed in JS');

    alice.sock.send(rtp(1, 0xa), c.toAlice, '127.0.0.1');
    const atBob = await bob.next();
    t.equal(atBob.address, '::1', 'bob receives from whisperd over IPv6');
    t.equal(atBob.msg.readUInt32BE(8), 0xa, "alice's packet, untouched");
    t.equal(atBob.port, c.toBob, "from the port whisperd gave bob");

    bob.sock.send(rtp(1, 0xb), c.toBob, '::1');
    const atAlice = await alice.next();
    t.equal(atAlice.address, '127.0.0.1', 'alice receives from whisperd over IPv4');
    t.equal(atAlice.msg.readUInt32BE(8), 0xb, "bob's packet, untouched");
    t.equal(atAlice.port, c.toAlice);

    // RTCP: the ports beside RTP, both ways.
    alice.rtcp.send(rtcpRr(0xa), c.toAlice + 1, '127.0.0.1');
    const rb = await bob.nextRtcp();
    t.equal(rb.msg.readUInt32BE(4), 0xa, "alice's RTCP reaches bob's RTCP port");
    t.same([rb.address, rb.port], ['::1', c.toBob + 1], "out of whisperd's IPv6 RTCP socket for bob");
    bob.rtcp.send(rtcpRr(0xb), c.toBob + 1, '::1');
    const ra = await alice.nextRtcp();
    t.equal(ra.msg.readUInt32BE(4), 0xb, "bob's RTCP reaches alice's RTCP port");
    t.same([ra.address, ra.port], ['127.0.0.1', c.toAlice + 1]);
  });
}

t.test("a packet from one of whisperd's own IPv6 sockets is dropped as own_address, never forwarded", async (t) => {
  const td = await daemon(t);
  const alice = await peer(t, 'udp4');
  const bob = await peer(t, 'udp6');
  const c = await v4ToV6Call(td, 'own6', alice, bob);
  // A second call whose IPv6 party "is" whisperd's own socket of the first call (a signalling loop).
  const o = await td.ng.request({
    command: 'offer', 'call-id': 'own6-loop', 'from-tag': 'x', 'address-family': 'IP6',
    sdp: `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${alice.port} RTP/AVP 8\r\n`,
  });
  const a = await td.ng.request({
    command: 'answer', 'call-id': 'own6-loop', 'from-tag': 'x', 'to-tag': 'y',
    sdp: `v=0\r\no=- 2 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio ${c.toBob} RTP/AVP 8\r\n`,
  });
  t.equal(o.result, 'ok');
  t.equal(a.result, 'ok');
  const loopToX = Number(/^m=audio (\d+)/m.exec(String(a.sdp))![1]);
  const loop = td.daemon.registry.get('own6-loop')!;
  t.ok([...loop.participants.values()].every((p) => p.legs[0]!.endpoint!.isNative), 'the looping pair is on the native media plane (its own-socket table has the IPv6 addresses)');
  const before = await droppedPackets(td, 'own_address');
  alice.sock.send(rtp(7, 0x77), loopToX, '127.0.0.1');
  // The destination is whisperd's own [::1]:toBob: not sent.
  for (let i = 0; i < 100 && (await droppedPackets(td, 'own_address')) === before; i++) await new Promise((r) => setTimeout(r, 20));
  t.ok((await droppedPackets(td, 'own_address')) > before, 'counted as own_address');
  // Nothing reached bob through the first call's socket (a marker packet from alice arrives first).
  alice.sock.send(rtp(2, 0xa), c.toAlice, '127.0.0.1');
  const first = await bob.next();
  t.equal(first.msg.readUInt32BE(8), 0xa, 'the first packet bob sees is the marker, not the looped one');
});

// --- whisper with IPv6 phones ---------------------------------------------------------------------------

function phone6Sdp(port: number, id: number): string {
  return ['v=0', `o=phone ${id} 1 IN IP6 ::1`, 's=-', 'c=IN IP6 ::1', 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}

for (const engine of ['native', 'reference'] as const) {
  t.test(`whisper with an IPv6 agent and an IPv6 supervisor, an IPv4 customer (${engine} engine)`, async (t) => {
    const td = await daemon(t, { engine, threads: 1 });
    const customer = await Phone.open();
    const agent = await Phone.open(0, '::1');
    const supervisor = await Phone.open(0, '::1');
    const c: SupervisedCall = { callId: `w6-${engine}`, peers: { customer, agent, supervisor }, to: { customer: 0, agent: 0, supervisor: 0 }, supervise: {} };
    t.teardown(() => closeAll(c));
    const o = await td.ng.request({ command: 'offer', 'call-id': c.callId, 'from-tag': 'cust', 'address family': 'IP6', sdp: phoneSdp(customer.port, { codecs: ['0', '101'] }) });
    const a = await td.ng.request({ command: 'answer', 'call-id': c.callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phone6Sdp(agent.port, 2000) });
    const s = await td.ng.request({ command: 'supervise', 'call-id': c.callId, 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent', sdp: phone6Sdp(supervisor.port, 3000) });
    t.same([o.result, a.result, s.result], ['ok', 'ok', 'ok']);
    t.match(String(s.sdp), /\r\nc=IN IP6 2001:db8:4321::1\r\n/, "the supervisor phone is answered with the interface's IPv6 address");
    c.to = { customer: sdpMediaPort(String(a.sdp)), agent: sdpMediaPort(String(o.sdp)), supervisor: sdpMediaPort(String(s.sdp)) };
    const call = td.daemon.registry.get(c.callId)!;
    t.equal(td.daemon.engine.mixer(call)!.engine, engine, `the mix runs on the ${engine} engine`);
    t.equal(td.daemon.engine.counters.fallbacks, 0, 'no fallback: the IPv6 legs can go to a media thread');
    if (engine === 'native') for (const p of call.participants.values()) t.ok(p.mixableLeg()!.endpoint!.isNativeMix, `${p.tag}: attached to the native mix`);
    startAll(c);
    await collect(c, 40);
    t.ok(peak(c, 'agent', F_SUPERVISOR) > -25, 'the agent (IPv6) hears the supervisor (IPv6)');
    t.ok(peak(c, 'agent', F_CUSTOMER) > -25, 'the agent hears the customer (IPv4)');
    t.ok(peak(c, 'customer', F_AGENT) > -25, 'the customer hears the agent');
    t.ok(peak(c, 'customer', F_SUPERVISOR) < -45, 'the customer does not hear the supervisor');
  });
}

t.test('an IPv6 party on an IPv4-only daemon: what is relayed towards it cannot be sent and is counted as no_destination (was: lost uncounted)', async (t) => {
  const td = await startTestDaemon();
  const b = dgram.createSocket('udp4');
  await new Promise<void>((r) => b.bind(0, '127.0.0.1', r));
  t.teardown(async () => {
    b.close();
    await td.close();
  });
  const toB = sdpMediaPort(await offer(td, 'no6c', {}, 'v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 2001:db8:8765::1\nt=0 0\nm=audio 16478 RTP/AVP 8'));
  const ans = await td.ng.request({ command: 'answer', 'call-id': 'no6c', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(b.address().port) });
  t.equal(ans.result, 'ok');
  const before = await droppedPackets(td, 'no_destination');
  const pkt = Buffer.alloc(12 + 160, 0xd5);
  pkt.writeUInt16BE(0x8008, 0);
  pkt.writeUInt32BE(0x4242, 8);
  let counted = 0;
  for (let i = 0; i < 100 && counted === 0; i++) {
    pkt.writeUInt16BE(i, 2);
    b.send(pkt, toB, '127.0.0.1');
    await new Promise<void>((r) => setTimeout(r, 20)); // a phone's packet interval
    counted = (await droppedPackets(td, 'no_destination')) - before;
  }
  t.ok(counted >= 1, `B's packets towards the IPv6 party are counted (${counted})`);
});
