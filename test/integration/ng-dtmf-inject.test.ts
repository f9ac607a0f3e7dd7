/**
 * `play DTMF` as rtpengine 10.5 plays it (t/auto-daemon-tests.pl "DTMF injection" scenarios, replayed
 * packet by packet from test/fixtures/rtpengine/dtmfInjection.ts): the selected participant's outgoing
 * stream carries the event — RFC 4733 packets when the receiver has telephone-event (marker on the first,
 * event timestamp, growing duration, the end packet three times, later packets renumbered), an in-band
 * tone when it has not (rtpengine's exact G.711 bytes, then the pause as silence) — and queued events
 * follow one another after the pause.
 */
import t, { type Test } from 'tap';
import type { TestDaemon } from '../fixtures/daemon';
import { INBAND_BOTH_WAYS, INBAND_TWO_EVENTS, RFC_BOTH_WAYS, RFC_TWO_EVENTS, type Step } from '../fixtures/rtpengine/dtmfInjection';
import { legCall } from '../fixtures/rtpengine/legCall';
import { Leg, rtp, scenarioSdp } from '../fixtures/rtpengine/scenario';

const SSRC = { A: 0x1234, B: 0x6543 } as const;

interface Call {
  td: TestDaemon;
  callId: string;
  legs: { A: Leg; B: Leg };
  /** whisperd's port each phone sends to. */
  to: { A: number; B: number };
}

/** A two-party call with `inject DTMF` on both sides, each phone offering/answering `pts`. */
async function call(t: Test, callId: string, pts: number[], rtpmaps: string[]): Promise<Call> {
  const flags = ['inject DTMF'];
  const { td, A, B, toA, toB } = await legCall(t, callId, pts, rtpmaps, { offer: { flags }, answer: { flags } });
  return { td, callId, legs: { A, B }, to: { A: toA, B: toB } };
}

/** Replay a scenario: every `rcv` must be exactly the next packet that phone gets. */
async function replay(t: Test, c: Call, steps: Step[]): Promise<void> {
  const ssrcOut: Partial<Record<'A' | 'B', number>> = {};
  const mismatches: string[] = [];
  for (const [i, s] of steps.entries()) {
    if (s.op === 'play') {
      const req: Record<string, string | number> = { command: 'play DTMF', 'call-id': c.callId, 'from-tag': s.req.from };
      for (const k of ['code', 'volume', 'duration', 'pause'] as const) if (s.req[k] !== undefined) req[k] = s.req[k]!;
      t.same(await c.td.ng.request(req), { result: 'ok' }, `step ${i}: play DTMF ${JSON.stringify(s.req)}`);
    } else if (s.op === 'snd') {
      c.legs[s.leg].snd(c.to[s.leg], rtp(s.pt, s.seq, s.ts, SSRC[s.leg], Buffer.from(s.payload, 'hex')));
    } else {
      const got = await c.legs[s.leg].rcv();
      ssrcOut[s.leg] ??= got.ssrc;
      const want = { pt: s.pt, seq: s.seq, ts: s.ts, ssrc: ssrcOut[s.leg], payload: s.payload };
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`step ${i} (${s.leg}): got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  }
  t.same(mismatches, [], 'every packet as rtpengine sends it');
  t.equal(c.legs.A.pending + c.legs.B.pending, 0, 'and nothing else');
}

t.test('RFC 4733 events into a plain relayed call, both directions ("no transcoding, RFC payload type present")', async (t) => {
  const c = await call(t, 'dtmf-rfc', [0, 8, 96], ['96 telephone-event/8000']);
  await replay(t, c, RFC_BOTH_WAYS);
  const call_ = c.td.daemon.registry.get('dtmf-rfc')!;
  t.same(
    ['A', 'B'].map((tag) => call_.participant(tag)!.legs[0]!.endpoint!.isNative),
    [true, true],
    'once the events are played the pair is relayed natively again (the packets after the events were renumbered there)',
  );
});

t.test('two queued RFC 4733 events: the second starts after the first one\'s duration + pause ("multi- no transcoding, RFC payload type present")', async (t) => {
  const c = await call(t, 'dtmf-rfc2', [0, 8, 96], ['96 telephone-event/8000']);
  await replay(t, c, RFC_TWO_EVENTS);
});

t.test('in-band tones when the receiver has no telephone-event, with pause ("no transcoding, no RFC payload type present")', async (t) => {
  const c = await call(t, 'dtmf-inband', [0, 8], []);
  await replay(t, c, INBAND_BOTH_WAYS);
  const call_ = c.td.daemon.registry.get('dtmf-inband')!;
  t.same(['A', 'B'].map((tag) => call_.participant(tag)!.legs[0]!.endpoint!.isNative), [true, true], 'relayed natively again after the tones');
});

t.test('two queued in-band tones: tone, pause, tone, pause, audio ("multiple consecutive DTMF events")', async (t) => {
  const c = await call(t, 'dtmf-inband2', [0, 8], []);
  await replay(t, c, INBAND_TWO_EVENTS);
});

t.test('play DTMF errors are rtpengine\'s and change nothing', async (t) => {
  const c = await call(t, 'dtmf-err', [0, 8, 96], ['96 telephone-event/8000']);
  const err = (reason: string) => ({ result: 'error', 'error-reason': reason });
  const play = (extra: Record<string, string | number>) => c.td.ng.request({ command: 'play DTMF', 'call-id': 'dtmf-err', ...extra });
  t.same(await play({ 'from-tag': 'A', code: 'X' }), err("Out of range 'code' specified"));
  t.same(await play({ 'from-tag': 'A', code: 16 }), err("Out of range 'code' specified"));
  t.same(await play({ 'from-tag': 'Z', code: '1' }), err('From-tag given, but no such tag exists'));
  t.same(await play({ code: '1' }), err('No participant party specified'));
  t.same(await c.td.ng.request({ command: 'play DTMF', 'call-id': 'nope', 'from-tag': 'A', code: '1' }), err('Unknown call-ID'));
  // nothing was queued: audio passes untouched
  c.legs.A.snd(c.to.A, rtp(0, 1, 160, SSRC.A, Buffer.alloc(160, 0x55)));
  const got = await c.legs.B.rcv();
  t.same({ pt: got.pt, seq: got.seq, ts: got.ts }, { pt: 0, seq: 1, ts: 160 }, 'audio passes as it came');
});

t.test('after play DTMF, a re-INVITE from the peer at a new port keeps the party\'s renumbering: its packets go on from the shifted sequence (no jump back)', async (t) => {
  const c = await call(t, 'dtmf-renew', [0, 96], ['96 telephone-event/8000']);
  const { A, B } = c.legs;
  const audio = Buffer.alloc(160, 0x55);
  t.same(await c.td.ng.request({ command: 'play DTMF', 'call-id': 'dtmf-renew', 'from-tag': 'A', code: '1', duration: 100 }), { result: 'ok' });
  // A talks; its packets become the event (the end three times), then its audio again, renumbered.
  let seq = 1000;
  let offset = -1;
  let events = 0;
  for (let i = 0; i < 40 && offset < 0; i++, seq++) {
    A.snd(c.to.A, rtp(0, seq, seq * 160, SSRC.A, audio));
    const got = await B.rcv();
    if (got.pt === 96) {
      events++;
      if (Buffer.from(got.payload, 'hex')[1]! & 0x80) for (let k = 0; k < 2; k++) t.equal((await B.rcv()).pt, 96, 'the end again');
    } else if (events > 0) offset = (got.seq - seq) & 0xffff;
  }
  t.ok(events > 0 && offset > 0, `the event was played and A's stream renumbered after it (+${offset})`);
  // B re-INVITEs from a new port: A is given a new socket pair.
  const B2 = await Leg.open();
  t.teardown(() => B2.close());
  const re = await c.td.ng.request({ command: 'offer', 'call-id': 'dtmf-renew', 'from-tag': 'B', 'to-tag': 'A', sdp: scenarioSdp(B2.port, [0, 96], ['96 telephone-event/8000']) });
  const ra = await c.td.ng.request({ command: 'answer', 'call-id': 'dtmf-renew', 'from-tag': 'B', 'to-tag': 'A', sdp: scenarioSdp(A.port, [0, 96], ['96 telephone-event/8000']) });
  t.same([re.result, ra.result], ['ok', 'ok'], 're-INVITE');
  const toB = Number(/^m=audio (\d+)/m.exec(String(re.sdp))![1]);
  t.not(toB, c.to.A, 'A is given a new port');
  A.snd(toB, rtp(0, seq, seq * 160, SSRC.A, audio));
  const got = await B2.rcv();
  t.same([got.pt, got.seq], [0, (seq + offset) & 0xffff], 'A\'s next packet keeps the shifted sequence on the new pair');
});
