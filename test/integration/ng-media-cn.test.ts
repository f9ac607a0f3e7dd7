import t from 'tap';
import { call, expectPkt, fill, rtp } from '../fixtures/rtpScenario';

/**
 * Comfort noise (RFC 3389) across a transcoding call as rtpengine 10.5 does it, packet by packet, from the scenarios of
 * its daemon test suite (t/auto-daemon-tests.pl at mr10.5.3.5, named in each test): exact packets in,
 * the exact packet out (payload type, sequence number, timestamp, payload; the SSRC of a transcoded
 * stream is whisperd's own but stays the same across the stream).
 */

/** The comfort noise rtpengine makes of CN payload 12 23 23 34 56 (first and second packet of a stream), as PCMA. */
const CN_PCMA_1 = Buffer.from('fb7058e443e641fc4471c0634477585049665ad842664167d06f6760607c10711264106560166c636c7660d11574157c167d147d16694a1366671c6066157c7e6762d515d211f01c724911766d6e1415646e1176177e165c1d421514166911631c601d676a156311141079686e666014596e74507d6d746779607760566f56646e77636215456c1145676a7c606c6a72125f6d6d6a5d115b617b6a636715d010', 'hex');
const CN_PCMA_2 = Buffer.from('57656c6e6f11631764157b116c137d1f111615696d6515631614651e406b6a117d1a686d16126e1362631f15611f161d6f187b101d7b146e156b117c6b6d7211677a1460731d7d12511ac616176e106516106e6817137d1516451f6b4312427b7714e4115d656e465810785111f56d6dd8166fcf14636968646c6b177a611175797a7f155d127c7d796053605815fe6345da7ee568e069f06ee4584d7e4569f7', 'hex');
const CN_PAYLOAD = Buffer.from([0x12, 0x23, 0x23, 0x34, 0x56]);

t.test('CN from a side with CN decoded into noise for a side without, PCMA <-> PCMU around it (scenario "add CN and 2nd codec, accept second PT")', async (t) => {
  const c = await call(t, { formats: '8', params: { codec: { transcode: ['PCMU', 'CN'] } } }, { formats: '0 13' });
  const { a, b } = c;
  a.snd(c.toB, rtp(8, 1000, 3000, 0x1234, fill(0x2a, 160)));
  await expectPkt(t, b, 0, 1000, 3000, -1, fill(0, 160), 'A->B: PCMA 0x2a -> PCMU 0x00');
  b.snd(c.toA, rtp(0, 2000, 4000, 0x3456, fill(0, 160)));
  const ssrc = await expectPkt(t, a, 8, 2000, 4000, -1, fill(0x2a, 160), 'B->A: PCMU 0x00 -> PCMA 0x2a');
  b.snd(c.toA, rtp(13, 2001, 4160, 0x3456, CN_PAYLOAD));
  await expectPkt(t, a, 8, 2001, 4160, ssrc, CN_PCMA_1, 'CN -> 20 ms of comfort noise in PCMA');
  b.snd(c.toA, rtp(0, 2002, 4320, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 8, 2002, 4320, ssrc, fill(0x2a, 160), 'audio again');
  b.snd(c.toA, rtp(13, 2003, 4480, 0x3456, CN_PAYLOAD));
  await expectPkt(t, a, 8, 2003, 4480, ssrc, CN_PCMA_2, 'the noise generator runs on across CN packets');
  b.snd(c.toA, rtp(0, 2004, 4640, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 8, 2004, 4640, ssrc, fill(0x2a, 160), 'audio again');
});

const CN_PCMU_1 = Buffer.from('ce5669cc61ca63d26657e24765596a745d4a68e9604a634bf4434b4848523957374c394c483b4347445748f53e593e523b533d533b415b384a4b35484a3e52504b46fd3ef13ad635545d3a5845423d3e4c423a583c503b6e36603e3d3b413a473548354b3e3d473a3d394f40424a473d6b425a7553455a4b4f4859487843774c425947463e67443a674b3f5148443e54376c45453f6e3a68494e3f474b3ef339', 'hex');

t.test('silence towards a side with CN becomes a CN packet (media.silenceDetect = rtpengine --silence-detect=1), CN towards a side without becomes noise (scenario "add CN")', async (t) => {
  const c = await call(t, { formats: '0', params: { codec: { transcode: ['CN'] } } }, { formats: '0 13' }, { media: { silenceDetect: 1 } });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1000, 3000, -1, fill(0, 160), 'A->B audio');
  b.snd(c.toA, rtp(0, 2000, 4000, 0x3456, fill(0, 160)));
  const ssrc = await expectPkt(t, a, 0, 2000, 4000, -1, fill(0, 160), 'B->A audio');
  b.snd(c.toA, rtp(13, 2001, 4160, 0x3456, CN_PAYLOAD));
  await expectPkt(t, a, 0, 2001, 4160, ssrc, CN_PCMU_1, 'B->A: CN decoded into PCMU noise');
  b.snd(c.toA, rtp(0, 2002, 4320, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 0, 2002, 4320, ssrc, fill(0, 160), 'B->A audio again');
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 160)));
  const ssrcB = await expectPkt(t, b, 0, 1001, 3160, -1, fill(0, 160), 'A->B audio');
  a.snd(c.toB, rtp(0, 1002, 3320, 0x1234, fill(0xff, 160)));
  await expectPkt(t, b, 13, 1002, 3320, ssrcB, Buffer.from([0x20]), 'A->B: a silent frame becomes CN (-32 dBov)');
});

t.test('without silence detection (the default) silence is sent as audio', async (t) => {
  const c = await call(t, { formats: '0', params: { codec: { transcode: ['CN'] } } }, { formats: '0 13' });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1002, 3320, 0x1234, fill(0xff, 160)));
  await expectPkt(t, b, 0, 1002, 3320, 0x1234, fill(0xff, 160), 'A->B silence relayed as it is');
});


const CN_PCMU_2 = Buffer.from('7a4d4442423a463c4c3e4e3a443853343a3b3e41454d3e473b3d4d33623f3e3a532f40453b3742384647343e49343b3643314e39364e3d423e3f3a523f45543a4b4e3d4855365337772fe33b3c42394d3b3942403c38533e3b67343f6037604e593dcc3a6e4c426469394f763adb4545e93b43de3d4741404c443f3c4e493a5a4f4e513e6e3752534f487248693ed04767e850cc40c841d642cc6a5f506641d9', 'hex');

t.test('CN towards a side without CN whose codec is forwarded as is: decoded at once, not held for the forwarded packets\' sequence numbers (scenario "add CN, accept second PT")', async (t) => {
  const c = await call(t, { formats: '8 0', params: { codec: { transcode: ['CN'] } } }, { formats: '0 13' });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1000, 3000, -1, fill(0, 160), 'A->B audio');
  b.snd(c.toA, rtp(0, 2000, 4000, 0x3456, fill(0, 160)));
  const ssrc = await expectPkt(t, a, 0, 2000, 4000, -1, fill(0, 160), 'B->A audio forwarded');
  b.snd(c.toA, rtp(13, 2001, 4160, 0x3456, CN_PAYLOAD));
  await expectPkt(t, a, 0, 2001, 4160, ssrc, CN_PCMU_1, 'CN -> noise');
  b.snd(c.toA, rtp(0, 2002, 4320, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 0, 2002, 4320, ssrc, fill(0, 160), 'audio forwarded');
  b.snd(c.toA, rtp(13, 2003, 4480, 0x3456, CN_PAYLOAD));
  await expectPkt(t, a, 0, 2003, 4480, ssrc, CN_PCMU_2, 'the next CN at once, at its own timestamp');
  b.snd(c.toA, rtp(0, 2004, 4640, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 0, 2004, 4640, ssrc, fill(0, 160), 'audio forwarded');
});
