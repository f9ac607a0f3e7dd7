/**
 * ng `rtcp-mux` flags (offer / demux / accept / require / reject) and the a=rtcp lines, as rtpengine 10.5
 * writes them (daemon/call.c __rtcp_mux_logic, daemon/sdp.c print_rtcp): an offer carries a=rtcp:<RTCP
 * port> and, when rtcp-mux (RFC 5761) is offered, a=rtcp-mux after it; an answer accepting rtcp-mux (or an
 * offer requiring it) carries a=rtcp:<RTP port> and a=rtcp-mux. Scenario shapes from t/auto-daemon-tests.pl
 * ("stray ICE reset after hold" without its ICE part, "gh #793 b1"), plain RTP.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import type { NgValue } from '../../src/control/ng/bencode';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { udpSocket } from '../fixtures/udp';
import type { TestDaemon } from '../fixtures/daemon';

const O = 'o=- 1545997027 1 IN IP4 198.51.100.1';
const offerSdp = (mux: boolean, port = 2000): string =>
  sdpText('v=0', O, 's=tester', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'c=IN IP4 198.51.100.1', 'a=sendrecv', ...(mux ? ['a=rtcp-mux'] : []));
const answerSdp = (mux: boolean, port = 2002): string =>
  sdpText('v=0', O, 's=tester', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'c=IN IP4 198.51.100.3', 'a=sendrecv', ...(mux ? ['a=rtcp-mux'] : []));
const reply = (...rtcp: string[]): string =>
  sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ...rtcp);

async function daemon(t: Test): Promise<TestDaemon> {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  return td;
}

/** Offer (with `flags` rtcp-mux list) and answer; the ports of each reply as [m= port, a=rtcp port]. */
async function exchange(
  t: Test, td: TestDaemon, callId: string, mux: string[], offerMux: boolean, answerMux: boolean,
  expectOffer: string[], expectAnswer: string[],
): Promise<{ offer: number[]; answer: number[] }> {
  const keys: Record<string, NgValue> = { 'call-id': callId, 'from-tag': 'ft', ...(mux.length ? { 'rtcp-mux': mux } : {}) };
  const offer = matchSdp(t, await ngSdp(t, td, 'offer', keys, offerSdp(offerMux)), reply(...expectOffer), 'offer reply');
  const answer = matchSdp(t, await ngSdp(t, td, 'answer', { 'call-id': callId, 'from-tag': 'ft', 'to-tag': 'tt' }, answerSdp(answerMux)), reply(...expectAnswer), 'answer reply');
  return { offer, answer };
}

t.test('no flag: rtcp-mux offered is passed on with a fallback RTCP port, and answered with the RTP port', async (t) => {
  const td = await daemon(t);
  const p = await exchange(t, td, 'pass', [], true, true, ['a=rtcp:PORT', 'a=rtcp-mux'], ['a=rtcp:PORT', 'a=rtcp-mux']);
  t.equal(p.offer[1], p.offer[0]! + 1, 'offer: a=rtcp is the port beside RTP (fallback if the answerer does not mux)');
  t.equal(p.answer[1], p.answer[0], 'answer: a=rtcp is the RTP port itself');
});

t.test('no flag, no rtcp-mux offered: none offered, none answered even if the answerer has it', async (t) => {
  const td = await daemon(t);
  await exchange(t, td, 'none', [], false, true, ['a=rtcp:PORT'], ['a=rtcp:PORT']);
});

t.test('demux: a=rtcp-mux removed towards the answerer (separate RTCP port); the offerer still gets rtcp-mux answered', async (t) => {
  // rtpengine "stray ICE reset after hold" (rtcp-mux demux), "gh #793 b1" (first offer)
  const td = await daemon(t);
  const p = await exchange(t, td, 'demux', ['demux'], true, false, ['a=rtcp:PORT'], ['a=rtcp:PORT', 'a=rtcp-mux']);
  t.equal(p.offer[1], p.offer[0]! + 1);
  t.equal(p.answer[1], p.answer[0]);
});

t.test('offer: rtcp-mux offered to the answerer though the offerer did not; the offerer is answered without it', async (t) => {
  const td = await daemon(t);
  const p = await exchange(t, td, 'offer', ['offer'], false, true, ['a=rtcp:PORT', 'a=rtcp-mux'], ['a=rtcp:PORT']);
  t.equal(p.answer[1], p.answer[0]! + 1, 'answer to the offerer: its separate RTCP port');
});

t.test('require: rtcp-mux offered with no fallback port (a=rtcp is the RTP port)', async (t) => {
  const td = await daemon(t);
  const p = await exchange(t, td, 'require', ['require'], false, true, ['a=rtcp:PORT', 'a=rtcp-mux'], ['a=rtcp:PORT']);
  t.equal(p.offer[1], p.offer[0]);
});

t.test('reject: the offerer is answered without rtcp-mux even when the answerer muxes', async (t) => {
  const td = await daemon(t);
  await exchange(t, td, 'reject', ['reject'], true, true, ['a=rtcp:PORT', 'a=rtcp-mux'], ['a=rtcp:PORT']);
});

t.test('accept: the offerer is answered with rtcp-mux even when the answerer does not mux', async (t) => {
  const td = await daemon(t);
  await exchange(t, td, 'accept', ['accept'], true, false, ['a=rtcp:PORT', 'a=rtcp-mux'], ['a=rtcp:PORT', 'a=rtcp-mux']);
});

t.test('demux relays: RTCP from the answerer\'s RTCP port reaches the muxing offerer on its RTP port', async (t) => {
  const td = await daemon(t);
  const sock = (): Promise<dgram.Socket> => udpSocket(t);
  const alice = await sock();
  const bobRtp = await sock();
  const bobRtcp = await sock();
  const ap = alice.address().port;
  const bp = bobRtp.address().port;
  const local = (port: number, mux: boolean, extra: string[] = []): string =>
    sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, ...(mux ? ['a=rtcp-mux'] : []), ...extra);
  const o = await ngSdp(t, td, 'offer', { 'call-id': 'demux-relay', 'from-tag': 'alice', 'rtcp-mux': ['demux'] }, local(ap, true));
  await ngSdp(t, td, 'answer', { 'call-id': 'demux-relay', 'from-tag': 'alice', 'to-tag': 'bob' }, local(bp, false, [`a=rtcp:${bobRtcp.address().port}`]));
  const toBobRtcp = Number(/^a=rtcp:(\d+)/m.exec(o)![1]);
  const rr = Buffer.from([0x80, 201, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0b]); // RTCP RR, SSRC 0xb
  const got = once(alice, 'message');
  bobRtcp.send(rr, toBobRtcp, '127.0.0.1');
  const [msg] = (await got) as [Buffer];
  t.same(msg, rr, 'the RTCP packet arrives at the offerer\'s RTP port (rtcp-mux)');
});
