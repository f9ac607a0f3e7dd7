/**
 * Several named interfaces (config media.interfaces, rtpengine `interface = internal/...;external/...!...`)
 * bridged per call with the ng keys `direction` ([from-side, to-side]) and `media address`, as rtpengine
 * 10.5 does (README "direction", "media address"; daemon/call.c __init_interface, daemon/sdp.c
 * replace_network_address): an SBC between a private network and a carrier.
 *
 * Interfaces here: internal = 127.0.0.2, external = 127.0.0.3 advertised as 198.51.100.5 (a NAT'd
 * public address) and ::1 advertised as 2001:db8::5. Packets go to the bound addresses.
 */
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { inbox, udpSocket, type Received } from '../fixtures/udp';

const INTERFACES = ['internal/127.0.0.2', 'external/127.0.0.3!198.51.100.5', 'external/::1!2001:db8::5'];

async function daemon(t: Test, media: Record<string, unknown> = {}): Promise<TestDaemon> {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES, ...media } });
  t.teardown(() => td.close());
  return td;
}

function sdp(address: string, port: number, id = 1): string {
  const ip = address.includes(':') ? 'IP6' : 'IP4';
  return `v=0\r\no=- ${id} 1 IN ${ip} ${address}\r\ns=-\r\nc=IN ${ip} ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8\r\n`;
}

const connection = (s: unknown): string => /^c=(.*)\r$/m.exec(String(s))?.[1] ?? '';
const mediaPort = (s: unknown): number => Number(/^m=audio (\d+)/m.exec(String(s))?.[1] ?? -1);

/** The local address of participant `tag`'s first stream, from `query`. */
async function localAddress(td: TestDaemon, callId: string, tag: string): Promise<string> {
  const q = await td.ng.request({ command: 'query', 'call-id': callId });
  const tags = q.tags as Record<string, { medias: Array<{ streams: Array<Record<string, unknown>> }> }>;
  return String(tags[tag]!.medias[0]!.streams[0]!['local address']);
}

t.test("direction [internal, external]: the offerer faces 'internal', the recipient gets 'external's advertised address", async (t) => {
  const td = await daemon(t);
  const o = await td.ng.request({ command: 'offer', 'call-id': 'sbc', 'from-tag': 'a', direction: ['internal', 'external'], sdp: sdp('127.0.0.1', 4000) });
  t.equal(o.result, 'ok');
  t.equal(connection(o.sdp), 'IN IP4 198.51.100.5', "the carrier side is told external's advertised address");
  t.equal(await localAddress(td, 'sbc', 'a'), '127.0.0.2', "the offerer's socket is on internal");
  const a = await td.ng.request({ command: 'answer', 'call-id': 'sbc', 'from-tag': 'a', 'to-tag': 'b', sdp: sdp('127.0.0.1', 4100, 2) });
  t.equal(a.result, 'ok');
  t.equal(connection(a.sdp), 'IN IP4 127.0.0.2', "the answer to the offerer carries internal's address (remembered, no direction in the answer)");
  t.equal(await localAddress(td, 'sbc', 'b'), '127.0.0.3', "the answerer's socket is on external");
});

t.test('the reverse direction [external, internal] swaps the sides', async (t) => {
  const td = await daemon(t);
  const o = await td.ng.request({ command: 'offer', 'call-id': 'rev', 'from-tag': 'a', direction: ['external', 'internal'], sdp: sdp('127.0.0.1', 4000) });
  t.equal(connection(o.sdp), 'IN IP4 127.0.0.2');
  t.equal(await localAddress(td, 'rev', 'a'), '127.0.0.3');
});

t.test("without direction: the first interface ('internal') for both sides", async (t) => {
  const td = await daemon(t);
  const o = await td.ng.request({ command: 'offer', 'call-id': 'plain', 'from-tag': 'a', sdp: sdp('127.0.0.1', 4000) });
  t.equal(connection(o.sdp), 'IN IP4 127.0.0.2');
  t.equal(await localAddress(td, 'plain', 'a'), '127.0.0.2');
});

t.test('direction and address family together: the IPv6 address of the named interface', async (t) => {
  const td = await daemon(t);
  const o = await td.ng.request({
    command: 'offer', 'call-id': 'd6', 'from-tag': 'a', direction: ['internal', 'external'], 'address family': 'IP6', sdp: sdp('127.0.0.1', 4000),
  });
  t.equal(connection(o.sdp), 'IN IP6 2001:db8::5');
});

t.test('an unknown interface name falls back to the default interface; the offer still succeeds', async (t) => {
  const td = await daemon(t);
  const o = await td.ng.request({ command: 'offer', 'call-id': 'unk', 'from-tag': 'a', direction: ['nowhere', 'elsewhere'], sdp: sdp('127.0.0.1', 4000) });
  t.equal(o.result, 'ok');
  t.equal(connection(o.sdp), 'IN IP4 127.0.0.2');
});

t.test("a re-offer keeps the participants' interfaces (and ports) without repeating direction", async (t) => {
  const td = await daemon(t);
  const o1 = await td.ng.request({ command: 'offer', 'call-id': 're', 'from-tag': 'a', direction: ['internal', 'external'], sdp: sdp('127.0.0.1', 4000) });
  await td.ng.request({ command: 'answer', 'call-id': 're', 'from-tag': 'a', 'to-tag': 'b', sdp: sdp('127.0.0.1', 4100, 2) });
  const o2 = await td.ng.request({ command: 'offer', 'call-id': 're', 'from-tag': 'a', 'to-tag': 'b', sdp: sdp('127.0.0.1', 4000) });
  t.equal(connection(o2.sdp), 'IN IP4 198.51.100.5');
  t.equal(mediaPort(o2.sdp), mediaPort(o1.sdp));
});

t.test("'media address' replaces the address written into the SDP, any family, zero address included", async (t) => {
  const td = await daemon(t);
  const o = await td.ng.request({ command: 'offer', 'call-id': 'ma', 'from-tag': 'a', 'media address': '192.0.2.77', sdp: sdp('127.0.0.1', 4000) });
  t.equal(connection(o.sdp), 'IN IP4 192.0.2.77');
  const six = await td.ng.request({ command: 'offer', 'call-id': 'ma6', 'from-tag': 'a', 'media-address': '2001:db8::77', sdp: sdp('127.0.0.1', 4000) });
  t.equal(connection(six.sdp), 'IN IP6 2001:db8::77');
  const hold = await td.ng.request({ command: 'offer', 'call-id': 'mah', 'from-tag': 'a', 'media-address': '192.0.2.77', sdp: sdp('0.0.0.0', 4000) });
  t.equal(connection(hold.sdp), 'IN IP4 192.0.2.77', 'rtpengine writes the media address over a zero address too');
});

t.test('packets are relayed between the two interfaces, each party talking to the address it was given', async (t) => {
  const td = await daemon(t);
  const open = async (): Promise<{ s: dgram.Socket; port: number; next: () => Promise<Received> }> => {
    const s = await udpSocket(t);
    return { s, port: s.address().port, next: inbox(s) };
  };
  const alice = await open();
  const bob = await open();
  const o = await td.ng.request({ command: 'offer', 'call-id': 'pk', 'from-tag': 'a', direction: ['internal', 'external'], sdp: sdp('127.0.0.1', alice.port) });
  const a = await td.ng.request({ command: 'answer', 'call-id': 'pk', 'from-tag': 'a', 'to-tag': 'b', sdp: sdp('127.0.0.1', bob.port, 2) });
  const toBob = mediaPort(o.sdp);
  const toAlice = mediaPort(a.sdp);
  const pkt = (ssrc: number): Buffer => {
    const b = Buffer.alloc(172, 0xd5);
    b[0] = 0x80;
    b[1] = 8;
    b.writeUInt16BE(1, 2);
    b.writeUInt32BE(ssrc, 8);
    return b;
  };
  alice.s.send(pkt(0xa), toAlice, '127.0.0.2');
  const atBob = await bob.next();
  t.same([atBob.address, atBob.port, atBob.msg.readUInt32BE(8)], ['127.0.0.3', toBob, 0xa], 'bob hears alice from external');
  bob.s.send(pkt(0xb), toBob, '127.0.0.3');
  const atAlice = await alice.next();
  t.same([atAlice.address, atAlice.port, atAlice.msg.readUInt32BE(8)], ['127.0.0.2', toAlice, 0xb], 'alice hears bob from internal');
});
