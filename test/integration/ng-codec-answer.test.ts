/**
 * The answer to the offerer carries only codecs it offered (rtpengine 10.5 codec_store_answer): the
 * answerer's stray codecs are dropped, codecs passed through keep the answerer's spelling, and a codec
 * whisperd transcodes from is answered as the offerer's own codec. Each test replays one scenario of
 * rtpengine's t/auto-daemon-tests.pl (mr10.5.3.5), input and expected replies verbatim.
 */
import t from 'tap';
import { runScenario } from '../fixtures/codecScenario';
import type { TestDaemon } from '../fixtures/daemon';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';

let td: TestDaemon;
t.before(async () => {
  td = await startScenarioDaemon();
});
t.teardown(() => td.close());

// rtpengine scenario 'GH 1499'
t.test('a telephone-event the offerer never offered is not answered to it', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 172.17.0.2',
        'm=audio 4024 RTP/AVP 0 9 8',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 203.0.113.1',
        'm=audio PORT RTP/AVP 0 9 8',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 172.17.0.2',
        'm=audio 4026 RTP/AVP 8 101',
        'a=rtpmap:101 telephone-event/8000',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 203.0.113.1',
        'm=audio PORT RTP/AVP 8',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'GH 1499 corollary'
t.test('a codec the offerer never offered is not answered to it', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 172.17.0.2',
        'm=audio 4024 RTP/AVP 0 8',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 203.0.113.1',
        'm=audio PORT RTP/AVP 0 8',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 172.17.0.2',
        'm=audio 4026 RTP/AVP 8 9',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 203.0.113.1',
        'm=audio PORT RTP/AVP 8',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'GH 1499 control'
t.test('a rejected line is answered with the offerer\'s codec the answer\'s codec becomes', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 172.17.0.2',
        'm=audio 4024 RTP/AVP 0 8',
        'm=audio 4026 RTP/AVP 8 9',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 203.0.113.1',
        'm=audio PORT RTP/AVP 0 8',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
        'm=audio PORT RTP/AVP 8 9',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:9 G722/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 172.17.0.2',
        'm=audio 4026 RTP/AVP 8 9',
        'm=audio 0 RTP/AVP 0',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 172.17.0.2',
        's=tester',
        't=0 0',
        'c=IN IP4 203.0.113.1',
        'm=audio PORT RTP/AVP 8',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
        'm=audio 0 RTP/AVP 8',
      ),
    },
  ]);
});

// rtpengine scenario 'one codec with one for transcoding'
t.test('an added codec the answerer picked is answered as the offerer\'s codec', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['PCMA'] }, 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.100.1',
        's=tester',
        't=0 0',
        'm=audio 2010 RTP/AVP 0',
        'c=IN IP4 198.51.100.1',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0 8',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.100.3',
        's=tester',
        't=0 0',
        'm=audio 2012 RTP/AVP 0 8',
        'c=IN IP4 198.51.100.3',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'one codec with one for transcoding, lower case 2'
t.test('the answerer\'s codec spelling is kept when passed through', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['pcma'] }, 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.100.1',
        's=tester',
        't=0 0',
        'm=audio 2216 RTP/AVP 0',
        'c=IN IP4 198.51.100.1',
        'a=rtpmap:0 pcmu/8000',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0 8',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 pcmu/8000',
        'a=rtpmap:8 pcma/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.100.3',
        's=tester',
        't=0 0',
        'm=audio 2218 RTP/AVP 0 8',
        'c=IN IP4 198.51.100.3',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'multi codec offer/answer w single-codec'
t.test('single-codec: the offerer is answered one codec', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', flags: [], 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 192.168.1.1',
        't=0 0',
        'm=audio 8000 RTP/AVP 0 8',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 0 8',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', flags: ['single codec'], 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 192.168.1.1',
        't=0 0',
        'm=audio 8000 RTP/AVP 0 8',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 0',
        'a=rtpmap:0 PCMU/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// Not a suite scenario: rtpengine 10.5.3.5 (Debian bookworm) answers these exactly so. Codec operations and
// the answer rule apply to video lines too (whisperd knows no video codec, so they only pass through).
t.test('video lines: strip applies and the offerer is answered only video codecs it offered', async (t) => {
  const A = ['v=0', 'o=- 1545997027 1 IN IP4 198.51.100.1', 's=tester', 't=0 0'];
  const B = ['v=0', 'o=- 1545997027 1 IN IP4 198.51.100.3', 's=tester', 't=0 0'];
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { 'from-tag': 'alice', codec: { strip: ['H264'] } },
      sdp: sdpText(...A, 'm=audio 2000 RTP/AVP 0 8', 'c=IN IP4 198.51.100.1', 'a=sendrecv', 'm=video 2002 RTP/AVP 96 97', 'c=IN IP4 198.51.100.1', 'a=rtpmap:96 H264/90000', 'a=rtpmap:97 VP8/90000', 'a=sendrecv'),
      expected: sdpText(
        ...A,
        'm=audio PORT RTP/AVP 0 8',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
        'm=video PORT RTP/AVP 97',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:97 VP8/90000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(...B, 'm=audio 3000 RTP/AVP 8', 'c=IN IP4 198.51.100.3', 'a=sendrecv', 'm=video 3002 RTP/AVP 97 98', 'c=IN IP4 198.51.100.3', 'a=rtpmap:97 VP8/90000', 'a=rtpmap:98 H265/90000', 'a=sendrecv'),
      expected: sdpText(
        ...B,
        'm=audio PORT RTP/AVP 8',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
        'm=video PORT RTP/AVP 97',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:97 VP8/90000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine 10.5.3.5 answers the offerer with its first codec it knows (speex here) when the answerer
// picked an added one; whisperd has no speex codec, so the offerer's leg gets no codec to mix rather
// than one it was not answered with (PCMU).
t.test('an offerer answered a codec whisperd cannot run gets no mixable codec', async (t) => {
  const callId = 'codec-answer-speex';
  const A = ['v=0', 'o=- 1545997027 1 IN IP4 198.51.100.1', 's=tester', 't=0 0'];
  const B = ['v=0', 'o=- 1545997027 1 IN IP4 198.51.100.3', 's=tester', 't=0 0'];
  await ngSdp(t, td, 'offer', { 'call-id': callId, 'from-tag': 'alice', codec: { transcode: ['PCMA'] } }, sdpText(...A, 'm=audio 2000 RTP/AVP 97 0', 'c=IN IP4 198.51.100.1', 'a=rtpmap:97 speex/16000', 'a=sendrecv'));
  const reply = await ngSdp(t, td, 'answer', { 'call-id': callId, 'from-tag': 'alice', 'to-tag': 'bob' }, sdpText(...B, 'm=audio 3000 RTP/AVP 8', 'c=IN IP4 198.51.100.3', 'a=sendrecv'));
  matchSdp(t, reply, sdpText(...B, 'm=audio PORT RTP/AVP 97', 'c=IN IP4 203.0.113.1', 'a=rtpmap:97 speex/16000', 'a=sendrecv', 'a=rtcp:PORT'), 'answered speex, as rtpengine');
  const call = td.daemon.registry.get(callId)!;
  t.equal(call.participant('alice')!.legs[0]!.codec, null, 'alice: no codec whisperd can run');
  t.equal(call.participant('bob')!.legs[0]!.codec?.codec.name, 'PCMA', 'bob: PCMA');
});
