import t, { type Test } from 'tap';
import { call, expectPkt, fill, rtp, type Call } from '../fixtures/rtpScenario';

/**
 * G.711 at a clock rate other than 8000 and telephone-event rescaling between clocks, packet by packet,
 * from rtpengine 10.5's scenario 'DTMF scaling' (t/auto-daemon-tests.pl at mr10.5.3.5, line 14834): the
 * offerer sends PCMU/16000 (320-byte frames) and telephone-event/16000, the answerer has PCMA/8000 and
 * telephone-event/8000 only. whisperd decodes the mu-law at 16 kHz, resamples it to PCMA/8000 and forwards
 * the events with their timestamps on the encoder's clock and their durations rescaled to 8000.
 */


// Scenario 'DTMF scaling': PCMU/16000 + telephone-event/16000 -> PCMA/8000 + telephone-event/8000.
async function dtmfScalingCall(t: Test): Promise<Call> {
  return call(
    t,
    {
      formats: '100 101',
      attrs: ['a=rtpmap:100 PCMU/16000', 'a=rtpmap:101 telephone-event/16000', 'a=fmtp:101 0-15'],
      params: { ICE: 'remove', codec: { transcode: ['PCMA', 'telephone-event/8000'] }, flags: ['always transcode'] },
    },
    { formats: '8 96', attrs: ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15'] },
  );
}

t.test('PCMU/16000 is decoded at 16 kHz and sent as PCMA/8000, 160 timestamp units a frame from the first packet\'s timestamp (scenario "DTMF scaling", audio)', async (t) => {
  const c = await dtmfScalingCall(t);
  const { a, b } = c;
  // mu-law 0x00 (-32124) resampled to 8 kHz is A-law 0x2a (rtpengine's bytes). The resampler holds the
  // first frame back ("resample buffer is stalling"), so one packet in gives nothing out yet.
  a.snd(c.toB, rtp(100, 1000, 3000, 0x1234, fill(0, 320)));
  a.snd(c.toB, rtp(100, 1001, 3000 + 320, 0x1234, fill(0, 320)));
  const ssrc = await expectPkt(t, b, 8, 1000, 3000, -1, fill(0x2a, 160), 'first PCMA frame, at the first input timestamp');
  a.snd(c.toB, rtp(100, 1002, 3000 + 320 * 2, 0x1234, fill(0, 320)));
  await expectPkt(t, b, 8, 1001, 3000 + 160, ssrc, fill(0x2a, 160), 'second frame 160 units on');
});

t.test('telephone-event/16000 is forwarded as telephone-event/8000: durations halved, timestamp on the PCMA clock, numbering shared with the audio (scenario "DTMF scaling", events)', async (t) => {
  const c = await dtmfScalingCall(t);
  const { a, b } = c;
  a.snd(c.toB, rtp(100, 1000, 3000, 0x1234, fill(0, 320)));
  a.snd(c.toB, rtp(100, 1001, 3000 + 320, 0x1234, fill(0, 320)));
  const ssrc = await expectPkt(t, b, 8, 1000, 3000, -1, fill(0x2a, 160), 'audio 1');
  a.snd(c.toB, rtp(100, 1002, 3000 + 320 * 2, 0x1234, fill(0, 320)));
  await expectPkt(t, b, 8, 1001, 3000 + 160, ssrc, fill(0x2a, 160), 'audio 2');
  const ev = (hex: string): Buffer => Buffer.from(hex, 'hex');
  a.snd(c.toB, rtp(101 | 0x80, 1003, 3000 + 320 * 3, 0x1234, ev('080f0140')));
  await expectPkt(t, b, 96, 1002, 3000 + 160 * 2, ssrc, ev('080f00a0'), 'event start: duration 320 -> 160, marked', true);
  a.snd(c.toB, rtp(101, 1004, 3000 + 320 * 3, 0x1234, ev('080f0280')));
  await expectPkt(t, b, 96, 1003, 3000 + 160 * 2, ssrc, ev('080f0140'), 'event goes on: 640 -> 320');
  for (let i = 0; i < 3; i++) {
    a.snd(c.toB, rtp(101, 1005 + i, 3000 + 320 * 3, 0x1234, ev('088f03c0')));
    await expectPkt(t, b, 96, 1004 + i, 3000 + 160 * 2, ssrc, ev('088f01e0'), `end packet ${i + 1}: 960 -> 480`);
  }
  // Back to audio: the event took the encoder's clock on by its duration.
  a.snd(c.toB, rtp(100, 1008, 3000 + 320 * 6, 0x1234, fill(0, 320)));
  await expectPkt(t, b, 8, 1007, 3000 + 160 * 5, ssrc, fill(0x2a, 160), 'audio after the event');
  t.equal(c.td.daemon.registry.get('c')?.mixer?.engine, process.env.WHISPERD_MEDIA_ENGINE ?? 'native', 'on the configured media engine');
});

t.test('the other way, PCMA/8000 + telephone-event/8000 -> PCMU/16000 + telephone-event/16000: 320 units a frame from the first timestamp, durations doubled (rtpengine codec_add_dtmf_packet, scenario "DTMF scaling" call)', async (t) => {
  const c = await dtmfScalingCall(t);
  const { a, b } = c;
  // A-law 0x2a (-32256) at 8 kHz, resampled to 16 kHz: mu-law 0x00 (-32124), its nearest code.
  b.snd(c.toA, rtp(8, 2000, 4000, 0x5678, fill(0x2a, 160)));
  b.snd(c.toA, rtp(8, 2001, 4000 + 160, 0x5678, fill(0x2a, 160)));
  const ssrc = await expectPkt(t, a, 100, 2000, 4000, -1, fill(0, 320), 'first PCMU/16000 frame at the first input timestamp');
  b.snd(c.toA, rtp(8, 2002, 4000 + 160 * 2, 0x5678, fill(0x2a, 160)));
  await expectPkt(t, a, 100, 2001, 4000 + 320, ssrc, fill(0, 320), 'second frame 320 units on');
  const ev = (hex: string): Buffer => Buffer.from(hex, 'hex');
  b.snd(c.toA, rtp(96 | 0x80, 2003, 4000 + 160 * 3, 0x5678, ev('050a00a0')));
  await expectPkt(t, a, 101, 2002, 4000 + 320 * 2, ssrc, ev('050a0140'), 'event start: duration 160 -> 320', true);
  b.snd(c.toA, rtp(96, 2004, 4000 + 160 * 3, 0x5678, ev('058a01e0')));
  await expectPkt(t, a, 101, 2003, 4000 + 320 * 2, ssrc, ev('058a03c0'), 'event end: 480 -> 960');
  b.snd(c.toA, rtp(8, 2005, 4000 + 160 * 6, 0x5678, fill(0x2a, 160)));
  await expectPkt(t, a, 100, 2004, 4000 + 320 * 2 + 960, ssrc, fill(0, 320), 'audio after the event, on from its end');
});
