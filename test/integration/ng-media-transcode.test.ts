import t from 'tap';
import { call, expectPkt, fill, rtp } from '../fixtures/rtpScenario';

/**
 * Transcoding and repacketising as rtpengine 10.5 does it, packet by packet, from the scenarios of
 * its daemon test suite (t/auto-daemon-tests.pl at mr10.5.3.5, named in each test): exact packets in,
 * the exact packet out (payload type, sequence number, timestamp, payload; the SSRC of a transcoded
 * stream is whisperd's own but stays the same across the stream).
 */

t.test('a codec the listener lacks is transcoded, its own codec forwarded, numbering kept across a seq reset (scenario "one codec with one for transcoding")', async (t) => {
  const c = await call(t, { formats: '0', params: { codec: { transcode: ['PCMA'] } } }, { formats: '0 8' });
  const { a, b } = c;
  // A -> B: PCMU, which B accepts: relayed as is (SSRC kept).
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1000, 3000, 0x1234, fill(0, 160), 'A->B PCMU relayed');
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1001, 3160, 0x1234, fill(0, 160), 'A->B next');
  // B -> A: B's PCMU forwarded (whisperd's SSRC), duplicates and gaps as they come.
  b.snd(c.toA, rtp(0, 2000, 4000, 0x5678, fill(0, 160)));
  const ssrc = await expectPkt(t, a, 0, 2000, 4000, -1, fill(0, 160), 'B->A PCMU');
  b.snd(c.toA, rtp(0, 2000, 4000, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2000, 4000, ssrc, fill(0, 160), 'duplicate forwarded');
  b.snd(c.toA, rtp(0, 2001, 4160, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2001, 4160, ssrc, fill(0, 160), 'next');
  b.snd(c.toA, rtp(0, 2010, 5600, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2010, 5600, ssrc, fill(0, 160), 'after a gap');
  // B's PCMA, which A never offered: transcoded to PCMU (0x00 A-law -> 0x29 mu-law), same numbers.
  b.snd(c.toA, rtp(8, 2011, 4000 + 160 * 11, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2011, 4000 + 160 * 11, ssrc, fill(0x29, 160), 'PCMA transcoded to PCMU');
  // #664 seq reset: the output numbering goes on.
  b.snd(c.toA, rtp(8, 62011, 4000 + 160 * 12, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2012, 4000 + 160 * 12, ssrc, fill(0x29, 160), 'seq reset: numbering continues');
  b.snd(c.toA, rtp(8, 62012, 4000 + 160 * 13, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2013, 4000 + 160 * 13, ssrc, fill(0x29, 160), 'next after reset');
  b.snd(c.toA, rtp(0, 62013, 4000 + 160 * 14, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, 2014, 4000 + 160 * 14, ssrc, fill(0, 160), 'PCMU again: forwarded in the same numbering');  // The call runs on the configured engine (native by default; make test re-runs this file on 'reference').
  t.equal(c.td.daemon.registry.get('c')?.mixer?.engine, process.env.WHISPERD_MEDIA_ENGINE ?? 'native', `on the configured media engine (${JSON.stringify(c.td.daemon.engine.counters)})`);
});

t.test('PCMA <-> PCMU is transcoded with rtpengine\'s G.711 tables, numbers after the input (scenario "add CN and 2nd codec, accept second PT", audio part)', async (t) => {
  const c = await call(t, { formats: '8', params: { codec: { transcode: ['PCMU'] } } }, { formats: '0' });
  const { a, b } = c;
  a.snd(c.toB, rtp(8, 1000, 3000, 0x1234, fill(0x2a, 160)));
  await expectPkt(t, b, 0, 1000, 3000, -1, fill(0, 160), 'A->B: PCMA 0x2a -> PCMU 0x00');
  b.snd(c.toA, rtp(0, 2000, 4000, 0x3456, fill(0, 160)));
  const ssrc = await expectPkt(t, a, 8, 2000, 4000, -1, fill(0x2a, 160), 'B->A: PCMU 0x00 -> PCMA 0x2a');
  b.snd(c.toA, rtp(0, 2001, 4160, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 8, 2001, 4160, ssrc, fill(0x2a, 160), 'numbers follow the input');
  // mu-law 0x7d decodes to -16, halfway between A-law 0x55 (-8) and 0x54 (-24): the G.711 reference
  // encoder truncates to 0x55, rtpengine (FFmpeg's pcm_alaw table) gives 0x54.
  b.snd(c.toA, rtp(0, 2002, 4320, 0x3456, fill(0x7d, 160)));
  await expectPkt(t, a, 8, 2002, 4320, ssrc, fill(0x54, 160), 'rounding as rtpengine: -16 -> A-law 0x54');
});

t.test('ptime=30 towards B: 20 ms packets regrouped into 30 ms, 60 ms into 20 ms back to A, out of order input put in order (scenario "default ptime in, ptime=30 out, default response")', async (t) => {
  const c = await call(t, { formats: '0', params: { ptime: 30 } }, { formats: '0' });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 160)));
  const ssrc = await expectPkt(t, b, 0, 1000, 3000, -1, fill(0, 240), 'two 20 ms packets -> one 30 ms');
  a.snd(c.toB, rtp(0, 1002, 3320, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1001, 3240, ssrc, fill(0, 240), 'the rest + the third');
  a.snd(c.toB, rtp(0, 1003, 3480, 0x1234, fill(0, 160)));
  a.snd(c.toB, rtp(0, 1004, 3640, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1002, 3480, ssrc, fill(0, 240), 'fifth packet completes the third frame');
  // A 60 ms packet with a jump in sequence and timestamp: two 30 ms frames, numbering continues.
  a.snd(c.toB, rtp(0, 8000, 500000, 0x1234, fill(0, 480)));
  await expectPkt(t, b, 0, 1003, 3720, ssrc, fill(0, 240), 'after a reset 1');
  await expectPkt(t, b, 0, 1004, 3960, ssrc, fill(0, 240), 'after a reset 2');
  // B -> A at A's default 20 ms.
  b.snd(c.toA, rtp(0, 4000, 5000, 0x4567, fill(0x88, 480)));
  const ssrcA = await expectPkt(t, a, 0, 4000, 5000, -1, fill(0x88, 160), '60 ms -> 3 x 20 ms (1)');
  await expectPkt(t, a, 0, 4001, 5160, ssrcA, fill(0x88, 160), '(2)');
  await expectPkt(t, a, 0, 4002, 5320, ssrcA, fill(0x88, 160), '(3)');
  b.snd(c.toA, rtp(0, 4001, 5480, 0x4567, fill(0x88, 480)));
  await expectPkt(t, a, 0, 4003, 5480, ssrcA, fill(0x88, 160), 'second 60 ms (1)');
  await expectPkt(t, a, 0, 4004, 5640, ssrcA, fill(0x88, 160), '(2)');
  await expectPkt(t, a, 0, 4005, 5800, ssrcA, fill(0x88, 160), '(3)');
  b.snd(c.toA, rtp(0, 4002, 5960, 0x4567, fill(0x88, 80)));
  b.snd(c.toA, rtp(0, 4003, 6040, 0x4567, fill(0x88, 80)));
  await expectPkt(t, a, 0, 4006, 5960, ssrcA, fill(0x88, 160), 'two 10 ms -> 20 ms');
  b.snd(c.toA, rtp(0, 4005, 6200, 0x4567, fill(0x88, 80)));
  await new Promise((r) => setTimeout(r, 10));
  t.equal(a.queue.length, 0, 'a packet ahead of a gap is held');
  b.snd(c.toA, rtp(0, 4004, 6120, 0x4567, fill(0x88, 80)));
  await expectPkt(t, a, 0, 4007, 6120, ssrcA, fill(0x88, 160), 'the late one fills the gap: both, in order');
});

t.test('ptime=30 with a=ptime:50 from A: 50 ms -> 30 ms towards B (10 ms carried over), 30 ms -> 50 ms back to A (scenario "ptime=50 in, change to 30, default response")', async (t) => {
  const c = await call(t, { formats: '0', attrs: ['a=ptime:50'], params: { ptime: 30 } }, { formats: '0' });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 400)));
  const ssrc = await expectPkt(t, b, 0, 1000, 3000, -1, fill(0, 240), '50 ms -> 30 ms');
  a.snd(c.toB, rtp(0, 1001, 3400, 0x1234, fill(0, 400)));
  await expectPkt(t, b, 0, 1001, 3240, ssrc, fill(0, 240), '(2)');
  await expectPkt(t, b, 0, 1002, 3480, ssrc, fill(0, 240), '(3)');
  a.snd(c.toB, rtp(0, 1002, 3800, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, 1003, 3720, ssrc, fill(0, 240), '10 ms left + 20 ms');
  b.snd(c.toA, rtp(0, 4000, 5000, 0x4567, fill(0x88, 240)));
  b.snd(c.toA, rtp(0, 4001, 5240, 0x4567, fill(0x88, 240)));
  const ssrcA = await expectPkt(t, a, 0, 4000, 5000, -1, fill(0x88, 400), '30+30 -> 50 ms');
  b.snd(c.toA, rtp(0, 4002, 5480, 0x4567, fill(0x88, 240)));
  b.snd(c.toA, rtp(0, 4003, 5720, 0x4567, fill(0x88, 240)));
  await expectPkt(t, a, 0, 4001, 5400, ssrcA, fill(0x88, 400), '(2)');
  b.snd(c.toA, rtp(0, 4004, 5960, 0x4567, fill(0x88, 240)));
  await expectPkt(t, a, 0, 4002, 5800, ssrcA, fill(0x88, 400), '(3)');
});

t.test('no ptime flag: mismatched a=ptime on the two sides is relayed as is (scenario "mismatched ptime but no change requested")', async (t) => {
  const c = await call(t, { formats: '0', attrs: ['a=ptime:20'] }, { formats: '0', attrs: ['a=ptime:30'] });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 240)));
  await expectPkt(t, b, 0, 1001, 3160, 0x1234, fill(0, 240), 'A->B 30 ms relayed');
  b.snd(c.toA, rtp(0, 4001, 5160, 0x4567, fill(0x88, 240)));
  await expectPkt(t, a, 0, 4001, 5160, 0x4567, fill(0x88, 240), 'B->A 30 ms relayed');
  t.equal(c.td.daemon.engine.mixerCount, 0, 'no mixer');
});

t.test('media-echo forward: the receiver of the offer gets its own media back (new SSRC), the sender\'s is dropped (scenario "echo=fwd")', async (t) => {
  const c = await call(t, { formats: '0', params: { 'media-echo': 'fw' } }, { formats: '0' });
  const { a, b } = c;
  b.snd(c.toA, rtp(0, 2000, 4000, 0x3456, fill(0, 160)));
  await expectPkt(t, b, 0, 2000, 4000, -1, fill(0, 160), 'B hears itself');
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0x55, 160)));
  b.snd(c.toA, rtp(0, 2001, 4160, 0x3456, fill(0, 160)));
  await expectPkt(t, b, 0, 2001, 4160, -1, fill(0, 160), 'and only itself (A\'s packet went nowhere)');
});

t.test('media-echo backwards: the sender of the offer gets its own media back (scenario "echo=bkw")', async (t) => {
  const c = await call(t, { formats: '0', params: { 'media-echo': 'bk' } }, { formats: '0' });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 2000, 4000, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 0, 2000, 4000, -1, fill(0, 160), 'A hears itself');
  b.snd(c.toA, rtp(0, 1000, 3000, 0x1234, fill(0x55, 160)));
  a.snd(c.toB, rtp(0, 2001, 4160, 0x3456, fill(0, 160)));
  await expectPkt(t, a, 0, 2001, 4160, -1, fill(0, 160), 'and only itself');
});

t.test('hostile input to a transcoding call (random payload types, lengths, sequence numbers, timestamps, CN payloads) is dropped or transcoded, never crashes or floods, and the call goes on', async (t) => {
  const c = await call(t, { formats: '0 13', params: { ptime: 30 } }, { formats: '8' }, { media: { silenceDetect: 1 } });
  const { a, b } = c;
  let rnd = 12345;
  const next = (): number => (rnd = (rnd * 1103515245 + 12345) >>> 0) / 4294967296;
  const pts = [0, 8, 13, 101, 96, 127];
  for (let i = 0; i < 2000; i++) {
    const len = Math.floor(next() * 1400);
    const payload = Buffer.alloc(len);
    for (let k = 0; k < len; k++) payload[k] = Math.floor(next() * 256);
    a.snd(c.toB, rtp(pts[Math.floor(next() * pts.length)]!, Math.floor(next() * 65536), Math.floor(next() * 4294967296), 0x1234, payload));
    if (i % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  // Then a clean stream: 20 ms PCMU in, 30 ms PCMA out towards B after the junk.
  await new Promise((r) => setTimeout(r, 200));
  b.queue.length = 0;
  for (let k = 0; k < 6; k++) a.snd(c.toB, rtp(0, 30000 + k, 900000 + 160 * k, 0x1234, fill(0, 160)));
  const p = await b.rcv();
  t.equal(p.pt, 8, 'the call still transcodes (PCMA towards B)');
  const pkt = await b.rcv();
  t.equal(pkt.payload.length, 240, 'in 30 ms frames');
  t.equal(c.td.daemon.registry.get('c')?.closed, false, 'the call is alive');
});

/** rtpengine's in-band tone for event 8 at volume 16, samples 0-159, 160-319, 320-479, as PCMU. */
const TONE8 = [
  Buffer.from('ffb0acbc4c393f63ee554af6baafbc452c2d4bbaafbb6e4853f35f3f3a52baacb35e2f2d3ec8b8c0e86bd7cc6639303fbfacaed2372f3ce1c6d277ddbfbbdc382c35d1aeadc24337406ee7584eddb8b1c33d2b2f5eb5afbe594451fb5b3f3d6bb6acb84a2d2d47bfb6c1fa63dad157373249baabb0fe332f40d2c2d17edabfbe73352d3ac4acaecd3d3643f6df5c55d2b7b4ce372b32dfb1afc34d41507e5940', 'hex'),
  Buffer.from('40e0b3adbd3f2c2f54bbb5c46b5dded94e373558b5abb4522f2f47cabfd0fed8c1c357322e40bcabb0e0393546e3db615dccb7b7e8332b37cbaeb0cb463f507e584146cfb1aec6392b317db7b5c85d58e5e14a3738f2b1abba442e304fc3bed17dd8c3c94b302f4cb6abb36135354bd8d66868c8b7ba5d302c3cbfadb1d8403e52fb58444cc8b0b0d6342b35d5b3b5cd5454ecef47373cd3afacc03c2d3363be', 'hex'),
  Buffer.from('bdd377d9c5d044303265b2abb84c323550cfd2707ac6b8be4c2e2d45b9acb4fd3c3d55f25a4756c1b0b471302b3ac7b0b6d74d50f678453841c7aeaecc372c36e5bbbdd76ddbc9dd3f3036dcaeabbd412f375dcbcf7befc4b9c6422d2e55b4acb858393d59ea5c4a66bdb0b8502e2c40bdafb8e8484e7d6b433a4abfadafe4322c3acfb8bddc66deccf53c303bcaadacc63b2e397cc6cdfae7c3bbce3c2d31f2', 'hex'),
];

t.test('RFC 4733 events towards a side without telephone-event become rtpengine\'s in-band tones; the output clock runs on across a gap and a timestamp reset (scenario "PCM to RFC DTMF transcoding", B to A)', async (t) => {
  const c = await call(t, { formats: '0', params: { codec: { transcode: ['telephone-event'] } } }, { formats: '0 96', attrs: ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15'] });
  const { a, b } = c;
  b.snd(c.toA, rtp(0, 2000, 4000, 0x5678, fill(0, 160)));
  const first = await a.rcv();
  const seq = first.seq;
  const ssrc = first.ssrc;
  t.same([first.pt, first.ts, first.payload.toString('hex')], [0, 4000, fill(0, 160).toString('hex')], 'audio');
  b.snd(c.toA, rtp(0, 2001, 4160, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, seq + 1, 4160, ssrc, fill(0, 160), 'audio');
  b.snd(c.toA, rtp(96, 2002, 4320, 0x5678, Buffer.from([0x08, 0x10, 0x00, 0xa0])));
  await expectPkt(t, a, 0, seq + 2, 4320, ssrc, TONE8[0]!, 'event 8 start -> 20 ms of tone');
  b.snd(c.toA, rtp(96, 2003, 4320, 0x5678, Buffer.from([0x08, 0x10, 0x01, 0x40])));
  await expectPkt(t, a, 0, seq + 3, 4480, ssrc, TONE8[1]!, 'the next 20 ms, phase continuing');
  b.snd(c.toA, rtp(96, 2004, 4320, 0x5678, Buffer.from([0x08, 0x90, 0x01, 0xe0])));
  await expectPkt(t, a, 0, seq + 4, 4640, ssrc, TONE8[2]!, 'end packet: the last 20 ms');
  b.snd(c.toA, rtp(0, 2006, 4000 + 160 * 25, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, seq + 6, 4000 + 160 * 5, ssrc, fill(0, 160), 'after a gap far ahead: taken at once, the output timestamp runs on');
  b.snd(c.toA, rtp(96, 2005, 4320, 0x5678, Buffer.from([0x08, 0x10, 0x01, 0xe0])));
  b.snd(c.toA, rtp(0, 2007, 4000 + 160 * 26, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, seq + 7, 4000 + 160 * 6, ssrc, fill(0, 160), 'the late event repeat is dropped');
  b.snd(c.toA, rtp(0, 2008, 2000, 0x5678, fill(0, 160)));
  await expectPkt(t, a, 0, seq + 8, 4000 + 160 * 7, ssrc, fill(0, 160), 'timestamp reset: the output clock runs on');
  b.snd(c.toA, rtp(96, 2009, 2160, 0x5678, Buffer.from([0x08, 0x10, 0x00, 0xa0])));
  await expectPkt(t, a, 0, seq + 9, 4000 + 160 * 8, ssrc, TONE8[0]!, 'a new event: its tone from sample 0');
});

t.test('in-band DTMF towards a side with telephone-event becomes RFC 4733 events: start (marker) while the tone lasts, the end three times, audio again after (scenario "PCM to RFC DTMF transcoding", A to B)', async (t) => {
  const c = await call(t, { formats: '0', params: { codec: { transcode: ['telephone-event'] } } }, { formats: '0 96', attrs: ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15'] });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  const first = await b.rcv();
  const seq = first.seq;
  const ssrc = first.ssrc;
  t.same([first.pt, first.ts], [0, 3000], 'audio');
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, seq + 1, 3160, ssrc, fill(0, 160), 'audio');
  a.snd(c.toB, rtp(0, 1002, 3320, 0x1234, TONE8[0]!));
  await expectPkt(t, b, 0, seq + 2, 3320, ssrc, TONE8[0]!, 'tone, not detected yet');
  a.snd(c.toB, rtp(0, 1003, 3480, 0x1234, TONE8[1]!));
  await expectPkt(t, b, 0, seq + 3, 3480, ssrc, TONE8[1]!, 'tone, detection kicking in mid-frame');
  a.snd(c.toB, rtp(0, 1004, 3640, 0x1234, TONE8[2]!));
  const ev = await b.rcv();
  t.same([ev.pt, ev.marker, ev.seq, ev.ts, ev.ssrc], [96, true, seq + 4, 3640, ssrc], 'event start: marker, the event\'s timestamp');
  t.ok(['080f00a0', '081000a0'].includes(ev.payload.toString('hex')), `event 8, volume 15 or 16, duration 160 (${ev.payload.toString('hex')})`);
  a.snd(c.toB, rtp(0, 1005, 3800, 0x1234, fill(0, 160)));
  const ev2 = await b.rcv();
  t.same([ev2.pt, ev2.marker, ev2.seq, ev2.ts], [96, false, seq + 5, 3640], 'the event goes on over the first audio frame');
  t.same(ev2.payload.subarray(2).toString('hex'), '0140', 'duration 320');
  a.snd(c.toB, rtp(0, 1006, 3960, 0x1234, fill(0, 160)));
  for (let k = 0; k < 3; k++) {
    const end = await b.rcv();
    t.same([end.pt, end.seq, end.ts, end.payload[0], end.payload[1]! & 0x80, end.payload.readUInt16BE(2)], [96, seq + 6 + k, 3640, 8, 0x80, 480], `end packet ${k + 1} of 3`);
  }
  a.snd(c.toB, rtp(0, 1007, 4120, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 0, seq + 9, 4120, ssrc, fill(0, 160), 'audio again, numbered after the three end packets');
});

t.test('a marked RFC 4733 start towards a side without telephone-event becomes an unmarked tone frame (scenario "reverse DTMF transcoding - active", A to B)', async (t) => {
  const c = await call(t, { formats: '0 101', attrs: ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15'], params: { flags: ['always transcode'] } }, { formats: '0', attrs: ['a=rtpmap:0 PCMU/8000'] });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  const first = await b.rcv();
  a.snd(c.toB, rtp(101 | 0x80, 1001, 3160, 0x1234, Buffer.from([0x08, 0x10, 0x00, 0xa0])));
  await expectPkt(t, b, 0, first.seq + 1, 3160, first.ssrc, TONE8[0]!, 'the tone, no marker');
});

const TONE_C5 = [
  Buffer.from('d5b9be970570ea013e3182a5b2630f69c10f3d06b3a48a033514750e36ccb8a59d363668490d0c81a5bf163f374fcf0713b4a5b40a3b0bebe912c9b3b8923c3a07879c6193b2b3122539768b855a85b38e35243085b1875784b7eb3c240db4b29b70988c113b3841bfb2eb15969f0d3a3083bab17b1bfaf2343903b0a58804035f673732ddb8ba9d350e7115370a80a4bf15330945150b18b6a4b4083f0de566', 'hex'),
  Buffer.from('00cdbcba9c3d391a9dd11d98bebd103a3f7380e06482bf8b3524319f8b94df8eb3963c24028bb794f48fb5103a3b76b2b6e0d6808709253381b9b474649be6313a0db1ba8f1c11956f323f5eb8bb920d1af019323783a4bc6d3707d4043107b1a4b40c3304c5050bd8bea59e303d1de01d0684bbbf16383373926f1588bbb5352537918646dab7bf923c25038d8cf4efb7b610253b7fb689f695b5820b243384', 'hex'),
  Buffer.from('bd8e5aec8cee33240cb6be806bf5856a3f394abebe90057f95063e3180a5bd640f6bcc0c3d00b0a4b50034164e0e3657b9a59936366a430d0f86a5be153f3677f50712b4a5b40b3b0aeeeb13d8b0b89f3c3a01879f6691b2b31125397a8b845b9ab0890a24339bb1875485b7973d240cb4b29a73998c14383b7cbcbd9415979e023a3381bab0731afef9353902b1a48a0503447a373240b8a5990a0e726b3435', 'hex'),
  Buffer.from('81a4be6c33084368081ab7a4b70e3f0cfb6500d1bdba9832390492db1d9ebebc173a3f6580ed6783bfb50a24309d8b97d08fb3933c240c88b796c98cb5173a3a64b3b6ed5680860f253287b9b74d6698e3363a0cb1ba8e1d10ea63333f70b9bb9f0d05f11f333681a4bf673406d5053106b6a4b70d3307c51a0a5fbea59a303d1fe012069abbbf6b39327b9d621489bbb40b253697865ed1b4bf9e3c240d828c', 'hex'),
  Buffer.from('f0e2b7b1143a3b61b688f3ebb58d09243285bd895ce28c9530240eb7b98368c3856e3f387abeb992057a95073e3086a5bd7c0f15cb0d3d03b1a4b4013411400f3648b9a58537361445020f84a5be6d3c367df1041cb5a5b7093b35edea1357b0b89b3d3a00849e6697b2b2153a38608b875898b0880824329eb186549ab79032240eb5b284739f8c68383b61bcbd96149499033b3287bab3481af2e50a390cb1', 'hex'),
  Buffer.from('a4b51a024c7f37327cb9a59a0a097e6e343587a5be67330b486e0805b7a4b60f3f0efe79005abda58532390792cd1d9dbebc693b3e6080ef6680bfb5082430908b91d58cb39f3d240e89b791c28cb5683b3a6db3b1ee5c81810c253d85b9b7586099ef373a0eb6ba891213eb67333e67b9ba980205f71d333687a4be7c3401541a3101b6a4b6033306da180a75bfa584313d19e0100199bbbe62393d669d6017', 'hex'),
];

t.test('play DTMF into a transcoded call towards a side without telephone-event: rtpengine\'s tone in the transcoded codec, then the pause as silence, then audio (scenario "transcoding, no RFC payload type present")', async (t) => {
  const c = await call(t, { formats: '0', params: { flags: ['inject DTMF'], codec: { transcode: ['PCMA'] } } }, { formats: '8', params: { flags: ['inject DTMF'] } });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  const ssrc = await expectPkt(t, b, 8, 1000, 3000, -1, fill(0x2a, 160), 'transcoded');
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 8, 1001, 3160, ssrc, fill(0x2a, 160), 'transcoded');
  const r = await c.td.ng.request({ command: 'play DTMF', 'call-id': 'c', 'from-tag': 'A', code: 'C', volume: 5, duration: 120 });
  t.equal(r.result, 'ok', 'play DTMF accepted');
  for (let k = 0; k < 6; k++) {
    a.snd(c.toB, rtp(0, 1002 + k, 3320 + 160 * k, 0x1234, fill(0, 160)));
    await expectPkt(t, b, 8, 1002 + k, 3320 + 160 * k, ssrc, TONE_C5[k]!, `tone frame ${k + 1}`);
  }
  for (let k = 0; k < 5; k++) {
    a.snd(c.toB, rtp(0, 1008 + k, 4280 + 160 * k, 0x1234, fill(0, 160)));
    await expectPkt(t, b, 8, 1008 + k, 4280 + 160 * k, ssrc, fill(0xd5, 160), `pause frame ${k + 1}`);
  }
  a.snd(c.toB, rtp(0, 1013, 5080, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 8, 1013, 5080, ssrc, fill(0x2a, 160), 'audio again');
});

t.test('play DTMF into a transcoded call towards a side with telephone-event: RFC 4733 events replace the frames, the end three times, audio numbered after them (scenario "transcoding, RFC payload type present on both sides")', async (t) => {
  const te = ['a=rtpmap:96 telephone-event/8000'];
  const c = await call(t, { formats: '0 96', attrs: te, params: { flags: ['inject DTMF'], codec: { transcode: ['PCMA'] } } }, { formats: '8 96', attrs: te, params: { flags: ['inject DTMF'] } });
  const { a, b } = c;
  a.snd(c.toB, rtp(0, 1000, 3000, 0x1234, fill(0, 160)));
  const ssrc = await expectPkt(t, b, 8, 1000, 3000, -1, fill(0x2a, 160), 'transcoded');
  a.snd(c.toB, rtp(0, 1001, 3160, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 8, 1001, 3160, ssrc, fill(0x2a, 160), 'transcoded');
  const r = await c.td.ng.request({ command: 'play DTMF', 'call-id': 'c', 'from-tag': 'A', code: '0', volume: 10, duration: 100 });
  t.equal(r.result, 'ok', 'play DTMF accepted');
  for (let k = 0; k < 5; k++) {
    a.snd(c.toB, rtp(0, 1002 + k, 3320 + 160 * k, 0x1234, fill(0, 160)));
    const p = await b.rcv();
    t.same([p.pt, p.marker, p.seq, p.ts, p.ssrc, p.payload.toString('hex')], [96, k === 0, 1002 + k, 3320, ssrc, Buffer.from([0, 10, 0, 0]).toString('hex').slice(0, 4) + (160 * (k + 1)).toString(16).padStart(4, '0')], `event frame ${k + 1}`);
  }
  a.snd(c.toB, rtp(0, 1007, 4120, 0x1234, fill(0, 160)));
  for (let k = 0; k < 3; k++) {
    const p = await b.rcv();
    t.same([p.pt, p.seq, p.ts, p.payload.toString('hex')], [96, 1007 + k, 3320, '008a03c0'], `end ${k + 1} of 3`);
  }
  a.snd(c.toB, rtp(0, 1008, 4280, 0x1234, fill(0, 160)));
  await expectPkt(t, b, 8, 1010, 4280, ssrc, fill(0x2a, 160), 'audio, numbered after the end packets');
});

t.test('ptime=30 with a=ptime:200 or 5000 from A: A\'s packets are capped at 120 ms (whisperd\'s longest frame; was: A received nothing), on both engines (scenario "ptime=50 in, change to 30, default response" with a ptime beyond the limit)', async (t) => {
  for (const [engine, ptime] of [['native', 200], ['reference', 200], ['native', 5000], ['reference', 5000]] as const) {
    const c = await call(t, { formats: '0', attrs: [`a=ptime:${ptime}`], params: { ptime: 30 } }, { formats: '0' }, { media: { engine } });
    const { a, b } = c;
    for (let i = 0; i < 4; i++) b.snd(c.toA, rtp(0, 4000 + i, 5000 + 240 * i, 0x4567, fill(0x88, 240)));
    await expectPkt(t, a, 0, 4000, 5000, -1, fill(0x88, 960), `${engine}, a=ptime:${ptime}: 4 x 30 ms -> one 120 ms packet`);
  }
});
