/**
 * `block media` / `unblock media` and `silence media` / `unsilence media` (rtpengine 10.5 docs: "blocks
 * media packets instead of DTMF packets. DTMF packets can still pass through"; silence: "media packets
 * are not simply blocked, but rather have their payload replaced with silence audio ... only supported
 * for certain trivial audio codecs (i.e. G.711)"). Directional per participant, or the whole call.
 * Real UDP, exact packets.
 */
import t, { type Test } from 'tap';
import { metricSample, type TestDaemon } from '../fixtures/daemon';
import { legCall } from '../fixtures/rtpengine/legCall';
import { Leg, rtp, type Rcv } from '../fixtures/rtpengine/scenario';

const EVENT = Buffer.from('010a00a0', 'hex');
const SPEECH = Buffer.alloc(160, 0x55);
const RTPMAPS = ['101 telephone-event/8000'];

interface Call {
  td: TestDaemon;
  A: Leg;
  B: Leg;
  toA: number;
  toB: number;
  seq: number;
}

async function call(t: Test, callId: string): Promise<Call> {
  return { ...(await legCall(t, callId, [0, 8, 101], RTPMAPS)), seq: 100 };
}

/** A sends a PCMU packet, a PCMA packet and an event; returns what B gets up to and including the event. */
async function aSends(c: Call): Promise<Rcv[]> {
  const s = c.seq;
  c.seq += 3;
  c.A.snd(c.toA, rtp(0, s, s * 160, 0x1234, SPEECH));
  c.A.snd(c.toA, rtp(8, s + 1, (s + 1) * 160, 0x1234, SPEECH));
  c.A.snd(c.toA, rtp(101, s + 2, (s + 2) * 160, 0x1234, EVENT));
  const got: Rcv[] = [];
  for (;;) {
    const r = await c.B.rcv();
    got.push(r);
    if (r.pt === 101) return got;
  }
}

const kinds = (r: Rcv[]): string[] => r.map((x) => `${x.pt}:${x.payload.slice(0, 4)}`);
const AS_SENT = ['0:5555', '8:5555', '101:010a'];

t.test('block media by from-tag: the participant\'s audio is dropped and counted, its DTMF passes; unblock media restores it', async (t) => {
  const c = await call(t, 'bm1');
  t.same(kinds(await aSends(c)), AS_SENT, 'before');
  const before = (await metricSample(c.td, 'whisperd_packets_dropped_total', 'reason="media_blocked"')) ?? 0;
  t.same(await c.td.ng.request({ command: 'block media', 'call-id': 'bm1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), ['101:010a'], 'audio dropped, the event passes');
  t.equal(c.td.daemon.registry.get('bm1')!.participant('A')!.legs[0]!.endpoint!.isNative, true, 'on the media plane (native relay)');
  t.equal(((await metricSample(c.td, 'whisperd_packets_dropped_total', 'reason="media_blocked"')) ?? 0) - before, 2, 'two packets counted as media_blocked');
  c.B.snd(c.toB, rtp(0, 7, 7 * 160, 0x9999, SPEECH));
  t.same((await c.A.rcv()).payload.slice(0, 4), '5555', 'the other direction is untouched');
  t.same(await c.td.ng.request({ command: 'unblock media', 'call-id': 'bm1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), AS_SENT, 'after unblock media');
});

t.test('block media for the whole call; unblock media with flag all also lifts participants\' own blocks', async (t) => {
  const c = await call(t, 'bm2');
  t.same(await c.td.ng.request({ command: 'block media', 'call-id': 'bm2', 'from-tag': 'A' }), { result: 'ok' });
  t.same(await c.td.ng.request({ command: 'block media', 'call-id': 'bm2' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), ['101:010a'], 'blocked');
  t.same(await c.td.ng.request({ command: 'unblock media', 'call-id': 'bm2' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), ['101:010a'], 'A\'s own block stays');
  t.same(await c.td.ng.request({ command: 'unblock media', 'call-id': 'bm2', flags: ['all'] }), { result: 'ok' });
  t.same(kinds(await aSends(c)), AS_SENT, 'flag all lifts it');
});

t.test('silence media: the participant\'s G.711 audio arrives as silence (PCMU 0xff, PCMA 0xd5), same headers, DTMF untouched; unsilence media restores it', async (t) => {
  const c = await call(t, 'sm1');
  t.same(await c.td.ng.request({ command: 'silence media', 'call-id': 'sm1', 'from-tag': 'A' }), { result: 'ok' });
  const got = await aSends(c);
  t.same(
    got.map((x) => ({ pt: x.pt, seq: x.seq, payload: x.payload })),
    [
      { pt: 0, seq: 100, payload: 'ff'.repeat(160) },
      { pt: 8, seq: 101, payload: 'd5'.repeat(160) },
      { pt: 101, seq: 102, payload: '010a00a0' },
    ],
    'silence of each law, the event as sent',
  );
  const ep = c.td.daemon.registry.get('sm1')!.participant('A')!.legs[0]!.endpoint!;
  t.equal(ep.isNative, true, 'on the media plane (native relay)');
  t.equal(ep.mediaPolicyStats.mediaSilenced, 2, 'two packets silenced');
  t.same(await c.td.ng.request({ command: 'unsilence media', 'call-id': 'sm1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), AS_SENT, 'after unsilence media');
});

t.test('the switches on the JS relay path (media.nativeRelay off): block media, silence media, as on the media plane', async (t) => {
  const c: Call = { ...(await legCall(t, 'js1', [0, 8, 101], RTPMAPS, { config: { media: { nativeRelay: false } } })), seq: 100 };
  const td = c.td;
  t.equal(td.daemon.registry.get('js1')!.participant('A')!.legs[0]!.endpoint!.isNative, false, 'relayed in JS');
  t.same(await td.ng.request({ command: 'block media', 'call-id': 'js1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), ['101:010a'], 'block media: audio dropped, the event passes');
  t.same(await td.ng.request({ command: 'unblock media', 'call-id': 'js1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(await td.ng.request({ command: 'silence media', 'call-id': 'js1', 'from-tag': 'A' }), { result: 'ok' });
  t.same(kinds(await aSends(c)), ['0:ffff', '8:d5d5', '101:010a'], 'silence media: G.711 silence, the event as sent');
  t.same(td.daemon.registry.get('js1')!.participant('A')!.legs[0]!.endpoint!.mediaPolicyStats, { dtmfBlocked: 0, mediaBlocked: 2, mediaSilenced: 2 }, 'counted');
});
