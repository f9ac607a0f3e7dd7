/**
 * `block DTMF` / `unblock DTMF` (rtpengine 10.5 docs, "block DTMF and unblock DTMF Messages";
 * call_interfaces.c call_block_dtmf_ng): a participant's RFC 4733 telephone-event packets stop reaching
 * its peer (contact centres: card numbers never reach the agent or a recording) while its audio goes on;
 * per participant (from-tag, label) or for the whole call (call-id only); unblocking the whole call keeps a
 * participant's own block unless flag `all`. Dropped packets are counted. Real UDP, exact packets: after
 * each blocked packet an audio packet is sent, and the peer's NEXT packet must be that audio packet.
 */
import t, { type Test } from 'tap';
import { metricSample, rawSupervisedCall, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { legCall } from '../fixtures/rtpengine/legCall';
import { Leg, rtp, scenarioSdp } from '../fixtures/rtpengine/scenario';

const EVENT = Buffer.from('010a00a0', 'hex'); // '1', volume 10, duration 160

interface Call {
  td: TestDaemon;
  callId: string;
  A: Leg;
  B: Leg;
  toA: number;
  toB: number;
  seq: { A: number; B: number };
}

async function call(t: Test, callId: string, offerExtra: Record<string, string> = {}): Promise<Call> {
  const c = await legCall(t, callId, [0, 101], ['101 telephone-event/8000'], { offer: offerExtra });
  return { ...c, callId, seq: { A: 100, B: 500 } };
}

/** `from` sends a telephone-event packet, then an audio packet; returns the payload type of what its peer gets next (101 = the event came through). */
async function dtmfThenAudio(c: Call, from: 'A' | 'B'): Promise<number[]> {
  const [leg, to, peer] = from === 'A' ? [c.A, c.toA, c.B] : [c.B, c.toB, c.A];
  const s = c.seq[from];
  c.seq[from] += 2;
  leg.snd(to, rtp(101, s, s * 160, 0x1234, EVENT));
  leg.snd(to, rtp(0, s + 1, (s + 1) * 160, 0x1234, Buffer.alloc(160, 0x55)));
  const got: number[] = [(await peer.rcv()).pt];
  if (got[0] === 101) got.push((await peer.rcv()).pt);
  return got;
}

const PASSES = [101, 0];
const BLOCKED = [0];

async function blockedCount(c: Call): Promise<number> {
  return (await metricSample(c.td, 'whisperd_packets_dropped_total', 'reason="dtmf_blocked"')) ?? 0;
}

t.test('block DTMF by from-tag: that participant\'s events are dropped and counted, its audio and the peer\'s events pass; unblock DTMF lets them through again', async (t) => {
  const c = await call(t, 'bd1');
  t.same(await dtmfThenAudio(c, 'A'), PASSES, 'before: A\'s event reaches B');
  const before = await blockedCount(c);
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), BLOCKED, 'A\'s event is dropped, its audio passes');
  t.same(await dtmfThenAudio(c, 'A'), BLOCKED, 'and again');
  const ep = c.td.daemon.registry.get('bd1')!.participant('A')!.legs[0]!.endpoint!;
  t.equal(ep.isNative, true, 'the block runs on the media plane: the pair is still relayed natively');
  t.same(ep.mediaPolicyStats, { dtmfBlocked: 2, mediaBlocked: 0, mediaSilenced: 0 }, 'the endpoint counts what it dropped');
  t.equal((await blockedCount(c)) - before, 2, 'two telephone-event packets counted as dtmf_blocked (process-wide counter)');
  t.same(await dtmfThenAudio(c, 'B'), PASSES, 'B\'s events still reach A (the block is directional)');
  t.same(await c.td.ng.request({ command: 'unblock DTMF', 'call-id': 'bd1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), PASSES, 'after unblock DTMF: A\'s event reaches B again');
});

t.test('block DTMF for the whole call (call-id only); unblocking the call keeps a participant\'s own block unless flag all', async (t) => {
  const c = await call(t, 'bd2');
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd2', 'from-tag': 'A' }), { result: 'ok' });
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd2' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), BLOCKED, 'A blocked');
  t.same(await dtmfThenAudio(c, 'B'), BLOCKED, 'B blocked by the call-wide block');
  t.same(await c.td.ng.request({ command: 'unblock DTMF', 'call-id': 'bd2' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'B'), PASSES, 'B passes again');
  t.same(await dtmfThenAudio(c, 'A'), BLOCKED, 'A keeps its own block');
  t.same(await c.td.ng.request({ command: 'unblock DTMF', 'call-id': 'bd2', flags: ['all'] }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), PASSES, 'flag all: A\'s own block is lifted too');
});

t.test('block DTMF by address: the participant whose SDP announced that media address (rtpengine: the first one found)', async (t) => {
  const c = await call(t, 'bd7');
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd7', address: '127.0.0.1' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), BLOCKED, 'A (the offerer, first in the call) is blocked');
  t.same(await dtmfThenAudio(c, 'B'), PASSES, 'B is not: the block is directional, not call-wide');
});

t.test('block DTMF by label; DTMF-security drop blocks, off unblocks', async (t) => {
  const c = await call(t, 'bd3', { label: 'customer' });
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd3', label: 'customer', 'DTMF-security': 'drop' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), BLOCKED, 'the labelled participant is blocked');
  t.same(await dtmfThenAudio(c, 'B'), PASSES, 'the other is not');
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd3', label: 'customer', 'DTMF-security': 'off' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), PASSES, 'DTMF-security off: not blocked');
});

t.test('DTMF-security zero / DTMF: the participant\'s key presses reach the peer as 0 / as the given digit (rtpengine codec.c: the event code replaced, the rest kept)', async (t) => {
  const c = await call(t, 'bd6');
  const eventAtB = async (): Promise<string> => {
    const s = c.seq.A;
    c.seq.A += 1;
    c.A.snd(c.toA, rtp(101, s, s * 160, 0x1234, Buffer.from('058a0320', 'hex'))); // '5', end, volume 10, duration 800
    return (await c.B.rcv()).payload;
  };
  t.equal(await eventAtB(), '058a0320', 'before: as sent');
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd6', 'from-tag': 'A', 'DTMF-security': 'zero' }), { result: 'ok' });
  t.equal(await eventAtB(), '008a0320', 'zero: the event is 0, end bit, volume and duration kept');
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd6', 'from-tag': 'A', 'DTMF-security': 'DTMF', digit: '#' }), { result: 'ok' });
  t.equal(await eventAtB(), '0b8a0320', 'DTMF with digit #: the event is 11');
  t.equal(c.td.daemon.registry.get('bd6')!.participant('A')!.legs[0]!.endpoint!.isNative, true, 'on the media plane');
  t.same(await c.td.ng.request({ command: 'unblock DTMF', 'call-id': 'bd6', 'from-tag': 'A' }), { result: 'ok' });
  t.equal(await eventAtB(), '058a0320', 'unblock DTMF: as sent again');
});

t.test('block DTMF errors are rtpengine\'s and change nothing', async (t) => {
  const c = await call(t, 'bd4');
  const before = await blockedCount(c);
  const err = (reason: string) => ({ result: 'error', 'error-reason': reason });
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'nope', 'from-tag': 'A' }), err('Unknown call-ID'));
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd4', 'from-tag': 'Z' }), err('From-tag given, but no such tag exists'));
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd4', label: 'nobody' }), err('No monologue matching the given label'));
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd4', address: 'not-an-ip' }), err('Failed to parse network address'));
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd4', address: '192.0.2.77' }), err('Failed to match address to any tag'));
  t.same(
    await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd4', 'from-tag': 'A', 'DTMF-security': 'tone' }),
    err("DTMF-security mode 'tone' is not supported (drop, zero, DTMF, off)"),
  );
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd4' }), { result: 'ok' }, 'the call exists');
  t.same(await c.td.ng.request({ command: 'unblock DTMF', 'call-id': 'bd4' }), { result: 'ok' });
  t.same(await dtmfThenAudio(c, 'A'), PASSES, 'no refused command left a block behind');
  t.equal(await blockedCount(c), before, 'nothing counted');
});

t.test('block DTMF on a supervised (mixed) call: the customer\'s key presses stop reaching the agent', async (t) => {
  const td = await startTestDaemon();
  const c = await rawSupervisedCall(td, 'bd5', 'whisper');
  t.teardown(async () => {
    c.close();
    await td.close();
  });
  c.customer.start(c.toCustomer, { codec: 'pcma', ssrc: 0xc });
  c.agent.start(c.toAgent, { codec: 'pcma', ssrc: 0xa });
  c.supervisor.start(c.toSupervisor, { codec: 'pcma', ssrc: 0x5 });
  await c.agent.waitPackets(10, 8);
  await c.customer.sendDtmf('5', 6);
  await c.agent.until(() => c.agent.count(101) > 0, 'the key press reaches the agent before the block');
  t.same(await td.ng.request({ command: 'block DTMF', 'call-id': 'bd5', 'from-tag': 'cust' }), { result: 'ok' });
  const seen = c.agent.count(101);
  const audio = c.agent.count(8);
  await c.customer.sendDtmf('7', 6);
  await c.agent.waitPackets(audio + 25, 8);
  t.equal(c.agent.count(101), seen, 'no telephone-event packet after the block');
  const ep = td.daemon.registry.get('bd5')!.participant('cust')!.legs[0]!.endpoint!;
  t.equal(ep.isNativeMix, (process.env.WHISPERD_MEDIA_ENGINE ?? 'native') === 'native', 'on the native engine the customer stays on its media thread');
  t.ok(c.agent.count(8) >= audio + 25, 'the agent still hears the call');
});

t.test('block DTMF follows a re-offer that renumbers telephone-event (101 -> 96): the party\'s new event number is blocked too', async (t) => {
  const c = await call(t, 'bd9');
  t.same(await c.td.ng.request({ command: 'block DTMF', 'call-id': 'bd9', 'from-tag': 'A' }), { result: 'ok' });
  const te = ['96 telephone-event/8000'];
  const o = await c.td.ng.request({ command: 'offer', 'call-id': 'bd9', 'from-tag': 'A', 'to-tag': 'B', sdp: scenarioSdp(c.A.port, [0, 96], te) });
  const a = await c.td.ng.request({ command: 'answer', 'call-id': 'bd9', 'from-tag': 'A', 'to-tag': 'B', sdp: scenarioSdp(c.B.port, [0, 96], te) });
  t.same([o.result, a.result], ['ok', 'ok'], 're-offer and answer');
  const s = c.seq.A;
  c.A.snd(c.toA, rtp(96, s, s * 160, 0x1234, EVENT));
  c.A.snd(c.toA, rtp(0, s + 1, (s + 1) * 160, 0x1234, Buffer.alloc(160, 0x55)));
  t.equal((await c.B.rcv()).pt, 0, 'A\'s event as PT 96 is dropped, its audio passes');
});
