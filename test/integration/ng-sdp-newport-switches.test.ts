/**
 * A re-INVITE from a new port gives the recipient a new socket pair (rtpengine call.c __get_endpoint_map;
 * src/call/offerAnswer.ts renewLegs). What the media-control commands switched on for that party stays in
 * force on the new pair, as it does in rtpengine (the block / silence state belongs to the monologue, not
 * to a socket): a `block media` before the re-INVITE still drops the party's audio after it.
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { Leg, rtp, scenarioSdp } from '../fixtures/rtpengine/scenario';

const EVENT = Buffer.from('010a00a0', 'hex');
const SPEECH = Buffer.alloc(160, 0x55);
const rtpmaps = ['101 telephone-event/8000'];
const port = (sdp: unknown): number => Number(/^m=audio (\d+)/m.exec(String(sdp))![1]);

t.test('block media on A survives a re-INVITE from B at a new port (A is given a new socket pair): A\'s audio is still dropped, its DTMF passes', async (t) => {
  const td = await startTestDaemon();
  const A = await Leg.open();
  const B = await Leg.open();
  const B2 = await Leg.open();
  t.teardown(async () => {
    A.close();
    B.close();
    B2.close();
    await td.close();
  });
  const keys = { 'call-id': 'nps' };
  const o = await td.ng.request({ command: 'offer', ...keys, 'from-tag': 'A', sdp: scenarioSdp(A.port, [0, 101], rtpmaps) });
  const a = await td.ng.request({ command: 'answer', ...keys, 'from-tag': 'A', 'to-tag': 'B', sdp: scenarioSdp(B.port, [0, 101], rtpmaps) });
  t.same([o.result, a.result], ['ok', 'ok'], 'call set up');
  t.same(await td.ng.request({ command: 'block media', ...keys, 'from-tag': 'A' }), { result: 'ok' }, 'block media A');
  const oldPort = port(o.sdp);
  // B re-INVITEs from a new port: A (the recipient) is sent a new port.
  const re = await td.ng.request({ command: 'offer', ...keys, 'from-tag': 'B', 'to-tag': 'A', sdp: scenarioSdp(B2.port, [0, 101], rtpmaps) });
  const ra = await td.ng.request({ command: 'answer', ...keys, 'from-tag': 'B', 'to-tag': 'A', sdp: scenarioSdp(A.port, [0, 101], rtpmaps) });
  t.same([re.result, ra.result], ['ok', 'ok'], 're-INVITE');
  const toB = port(re.sdp);
  t.not(toB, oldPort, 'A is given a new port');
  A.snd(toB, rtp(0, 100, 16000, 0x1234, SPEECH));
  A.snd(toB, rtp(101, 101, 16160, 0x1234, EVENT));
  const first = await B2.rcv();
  t.same([first.pt, first.payload.slice(0, 4)], [101, '010a'], 'the first packet B gets is the event: the audio was dropped');
  t.equal(td.daemon.registry.get('nps')!.participant('A')!.legs[0]!.endpoint!.mediaPolicyStats.mediaBlocked, 1, 'counted as media_blocked on the new pair');
});
