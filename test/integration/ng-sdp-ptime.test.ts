/**
 * ng `ptime` / `ptime-reverse` on the SDP side, as rtpengine 10.5 (t/auto-daemon-tests.pl ptime scenarios,
 * mr10.5.3.5; call.c __media_init_from_flags): `ptime` sets the a=ptime written to the recipient of the
 * offer, `ptime-reverse` the one written back to the offerer in the answer; an SDP's own a=ptime is moved
 * to the end of its section (rtpengine writes it last). The decision is kept per leg (ptimeOut /
 * ptimeForced) for the media plane's repacketising (src/call/sdpOut.ts, /tmp/brief/S-to-M.md).
 */
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import type { NgValue } from '../../src/control/ng/bencode';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import type { TestDaemon } from '../fixtures/daemon';

async function daemon(t: Test): Promise<TestDaemon> {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  return td;
}

const sdpIn = (addr: string, port: number, ptime?: number): string =>
  sdpText('v=0', `o=- 1545997027 1 IN IP4 ${addr}`, 's=tester', 't=0 0', `m=audio ${port} RTP/AVP 0`, `c=IN IP4 ${addr}`, 'a=sendrecv', ...(ptime ? [`a=ptime:${ptime}`] : []));
const sdpOut = (ptime?: number): string =>
  sdpText('v=0', 'o=- 1545997027 1 IN IP4 203.0.113.1', 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', ...(ptime ? [`a=ptime:${ptime}`] : []));

interface Case {
  name: string;
  flags: Record<string, NgValue>;
  offerPtime?: number;
  toAnswerer?: number;
  answerPtime?: number;
  toOfferer?: number;
}

const cases: Case[] = [
  { name: 'default ptime in, ptime=30 out, default response', flags: { ptime: 30 }, toAnswerer: 30 },
  { name: 'ptime=50 in, change to 30, default response', flags: { ptime: 30 }, offerPtime: 50, toAnswerer: 30, toOfferer: 50 },
  { name: 'ptime=50 in, change to 30, reverse to 50, response 30', flags: { ptime: 30, 'ptime-reverse': 50 }, offerPtime: 50, toAnswerer: 30, answerPtime: 30, toOfferer: 50 },
  { name: 'ptime=50 in, change to 30, response 30', flags: { ptime: 30 }, offerPtime: 50, toAnswerer: 30, answerPtime: 30, toOfferer: 50 },
  { name: 'ptime=30 in, no change, reverse to 20, response 40', flags: { 'ptime-reverse': 20 }, offerPtime: 30, toAnswerer: 30, answerPtime: 40, toOfferer: 20 },
  { name: 'no ptime, no flags: none written either way', flags: {} },
];

for (const [i, c] of cases.entries()) {
  t.test(`a=ptime as rtpengine writes it: ${c.name}`, async (t) => {
    const td = await daemon(t);
    const keys = { 'call-id': `ptime-${i}`, 'from-tag': 'ft', ICE: 'remove', replace: ['origin'] };
    matchSdp(t, await ngSdp(t, td, 'offer', { ...keys, ...c.flags }, sdpIn('198.51.100.1', 3016, c.offerPtime)), sdpOut(c.toAnswerer), 'offer reply');
    matchSdp(t, await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpIn('198.51.100.3', 3018, c.answerPtime)), sdpOut(c.toOfferer), 'answer reply');
  });
}

t.test('the decided packetisation is kept per leg for the media plane (ptimeOut, ptimeForced)', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'legs', 'from-tag': 'ft' };
  await ngSdp(t, td, 'offer', { ...keys, ptime: 30, 'ptime-reverse': 50 }, sdpIn('198.51.100.1', 3016, 50));
  await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, sdpIn('198.51.100.3', 3018, 30));
  const call = td.daemon.registry.get('legs')!;
  const leg = (tag: string) => call.participant(tag)!.legs[0]!;
  t.same([leg('ft').ptimeOut, leg('ft').ptimeForced], [50, true], 'towards the offerer: 50 ms, forced (ptime-reverse)');
  t.same([leg('tt').ptimeOut, leg('tt').ptimeForced], [30, true], 'towards the answerer: 30 ms, forced (ptime)');
});

t.test('an a=ptime in the middle of a section is written last, after a=rtcp (rtpengine order)', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'order', 'from-tag': 'ft' }, sdpText(
    'v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 't=0 0', 'm=audio 3016 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=ptime:20', 'a=maxptime:40',
  ));
  matchSdp(t, reply, sdpText('v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=maxptime:40', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', 'a=ptime:20'));
});

/**
 * A peer's a=ptime is read as rtpengine reads it (sdp.c: str_to_i, an integer; 0 = none): a fractional
 * a=ptime:0.5 is no ptime at all. Before, 0.5 ms was taken as the packetisation whisperd sends the offerer
 * when ng `ptime` forces a repacketising call: a frame of round(0.5 * 8) = 4 samples... and a=ptime:0.01 a
 * frame of 0 samples, on which the transcoder's frame loop never ended (the daemon hung on the first packet).
 */
t.test('a fractional a=ptime from a peer is no ptime (rtpengine str_to_i): the offerer gets its default 20 ms, the daemon keeps running', async (t) => {
  const td = await daemon(t);
  const a = dgram.createSocket('udp4');
  const b = dgram.createSocket('udp4');
  t.teardown(() => {
    a.close();
    b.close();
  });
  await new Promise<void>((r) => a.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => b.bind(0, '127.0.0.1', r));
  const keys = { 'call-id': 'frac', 'from-tag': 'ft' };
  const offered = sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${a.address().port} RTP/AVP 0`, 'c=IN IP4 127.0.0.1', 'a=ptime:0.01');
  const toB = await ngSdp(t, td, 'offer', { ...keys, ptime: 30 }, offered);
  t.notMatch(toB, /a=ptime:0/, 'no a=ptime:0.01 written on');
  const answered = sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${b.address().port} RTP/AVP 0`, 'c=IN IP4 127.0.0.1');
  await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt' }, answered);
  t.equal(td.daemon.registry.get('frac')!.participant('ft')!.legs[0]!.ptime, null, "the offerer's leg has no ptime");
  // whisperd's port B sends to (for A) is the one in the offer's reply.
  const portToA = Number(/^m=audio (\d+)/m.exec(toB)![1]);
  const got = new Promise<Buffer>((r) => a.once('message', r));
  const pkt = Buffer.alloc(12 + 240, 0x55);
  pkt[0] = 0x80;
  pkt[1] = 0;
  pkt.writeUInt16BE(4000, 2);
  pkt.writeUInt32BE(5000, 4);
  pkt.writeUInt32BE(0x4567, 8);
  b.send(pkt, portToA, '127.0.0.1');
  const out = await got;
  t.equal(out.length - 12, 160, 'B -> A repacketised to 20 ms (PCMU default)');
});
