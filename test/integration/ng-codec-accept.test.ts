/**
 * `codec-accept`, `codec-consume` and `always transcode` (rtpengine 10.5 codec_store_accept): an accepted codec
 * is the one whisperd transcodes into for the offerer, so the answer to the offerer names it whatever the
 * answerer picked; `consume` also removes it from the offer forwarded to the answerer; `mask` keeps a codec
 * for the offerer but not in the forwarded offer. Each test replays one scenario of rtpengine's
 * t/auto-daemon-tests.pl (mr10.5.3.5), input and expected replies verbatim.
 */
import t from 'tap';
import { runScenario } from '../fixtures/codecScenario';
import type { TestDaemon } from '../fixtures/daemon';
import { sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';

let td: TestDaemon;
t.before(async () => {
  td = await startScenarioDaemon();
});
t.teardown(() => td.close());

// rtpengine scenario 'codec-accept'
t.test('codec-accept: the offerer is answered the accepted codec', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { codec: { accept: ['PCMU'] }, 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
        's=tester',
        't=0 0',
        'm=audio 3000 RTP/AVP 0 8',
        'c=IN IP4 198.51.100.1',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
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
      keys: { 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
        's=tester',
        't=0 0',
        'm=audio 3000 RTP/AVP 8',
        'c=IN IP4 198.51.100.1',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
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

// rtpengine scenario 'codec-consume'
t.test('codec-consume: the consumed codec is not forwarded and is answered to the offerer', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { codec: { consume: ['PCMU'] }, 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
        's=tester',
        't=0 0',
        'm=audio 3000 RTP/AVP 0 8',
        'c=IN IP4 198.51.100.1',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8',
        'c=IN IP4 203.0.113.1',
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
        'o=- 1545997027 1 IN IP4 198.51.101.40',
        's=tester',
        't=0 0',
        'm=audio 3000 RTP/AVP 8',
        'c=IN IP4 198.51.100.1',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.40',
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

// rtpengine scenario 'add CN'
t.test('transcode CN adds comfort noise to the forwarded offer', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['CN'] }, 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 3000 RTP/AVP 0',
        'c=IN IP4 198.51.101.1',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0 13',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:13 CN/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 4000 RTP/AVP 0 13',
        'c=IN IP4 198.51.101.3',
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

// rtpengine scenario 'accept CN'
t.test('accept CN answers the offerer comfort noise the answerer lacks', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', flags: ['always transcode'], 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 6002 RTP/AVP 0 13',
        'c=IN IP4 198.51.101.1',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0 13',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:13 CN/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 7002 RTP/AVP 0',
        'c=IN IP4 198.51.101.3',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 0 13',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:13 CN/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'consume CN'
t.test('consume CN removes comfort noise from the forwarded offer and answers it', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { consume: ['CN'], offer: ['PCMA', 'PCMU', 'telephone-event'], strip: ['all'] }, 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 6006 RTP/AVP 8 0 13 101',
        'c=IN IP4 198.51.101.1',
        'a=sendrecv',
        'a=rtpmap:101 telephone-event/8000',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8 0 101',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 7006 RTP/AVP 8 101',
        'c=IN IP4 198.51.101.3',
        'a=sendrecv',
        'a=rtpmap:101 telephone-event/8000',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8 13 101',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:13 CN/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['CN'] }, 'from-tag': 'bob', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 7006 RTP/AVP 8 0 101',
        'c=IN IP4 198.51.101.3',
        'a=sendrecv',
        'a=rtpmap:101 telephone-event/8000',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8 0 13 101',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:13 CN/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'add some other codec, accept second PT'
t.test('an added codec accepted as second payload type', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['G722'] }, 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 3002 RTP/AVP 8 0',
        'c=IN IP4 198.51.100.1',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8 0 9',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:9 G722/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 4002 RTP/AVP 0 9',
        'c=IN IP4 198.51.101.3',
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
  ]);
});

// rtpengine scenario 'add CN, accept second PT'
t.test('CN added and second payload type accepted', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['CN'] }, 'from-tag': 'alice', replace: ['origin'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 3002 RTP/AVP 8 0',
        'c=IN IP4 198.51.100.1',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8 0 13',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:13 CN/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', replace: ['origin'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.101.1',
        's=tester',
        't=0 0',
        'm=audio 4002 RTP/AVP 0 13',
        'c=IN IP4 198.51.101.3',
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

// rtpengine scenario 'gh 963'
t.test('mask: the masked codec is kept for the offerer, not forwarded', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { mask: ['full'], transcode: ['PCMA', 'telephone-event'] }, 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1822058533 1822058533 IN IP4 1.2.3.4',
        's=Asterisk',
        'c=IN IP4 1.2.3.4',
        't=0 0',
        'm=audio 27998 RTP/AVP 96 120',
        'a=rtpmap:96 opus/48000/2',
        'a=fmtp:96 useinbandfec=1;maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=12000;cbr=1',
        'a=rtpmap:120 telephone-event/48000',
        'a=fmtp:120 0-16',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1822058533 1822058533 IN IP4 1.2.3.4',
        's=Asterisk',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 8 97',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:97 telephone-event/8000',
        'a=fmtp:97 0-15',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 3793596600 3793596601 IN IP4 172.17.0.2',
        's=pjmedia',
        't=0 0',
        'm=audio 40935 RTP/AVP 8 97',
        'c=IN IP4 172.17.0.2',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:97 telephone-event/8000',
        'a=fmtp:97 0-15',
      ),
      expected: sdpText(
        'v=0',
        'o=- 3793596600 3793596601 IN IP4 172.17.0.2',
        's=pjmedia',
        't=0 0',
        'm=audio PORT RTP/AVP 96 120',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:96 opus/48000/2',
        'a=fmtp:96 useinbandfec=1;maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=12000;cbr=1',
        'a=rtpmap:120 telephone-event/48000',
        'a=fmtp:120 0-16',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'gh 963 w mask all'
t.test('mask all with transcode', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { mask: ['all'], transcode: ['PCMA', 'telephone-event'] }, 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=- 1822058533 1822058533 IN IP4 1.2.3.4',
        's=Asterisk',
        'c=IN IP4 1.2.3.4',
        't=0 0',
        'm=audio 27998 RTP/AVP 96 120',
        'a=rtpmap:96 opus/48000/2',
        'a=fmtp:96 useinbandfec=1;maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=12000;cbr=1',
        'a=rtpmap:120 telephone-event/48000',
        'a=fmtp:120 0-16',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1822058533 1822058533 IN IP4 1.2.3.4',
        's=Asterisk',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 8 96',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=fmtp:96 0-15',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 3793596600 3793596601 IN IP4 172.17.0.2',
        's=pjmedia',
        't=0 0',
        'm=audio 40935 RTP/AVP 8 96',
        'c=IN IP4 172.17.0.2',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=fmtp:96 0-15',
      ),
      expected: sdpText(
        'v=0',
        'o=- 3793596600 3793596601 IN IP4 172.17.0.2',
        's=pjmedia',
        't=0 0',
        'm=audio PORT RTP/AVP 96 120',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:96 opus/48000/2',
        'a=fmtp:96 useinbandfec=1;maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=12000;cbr=1',
        'a=rtpmap:120 telephone-event/48000',
        'a=fmtp:120 0-16',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'gh 664 codec masking a/t'
t.test('masked codec with telephone-event answered as the offerer\'s codec', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', flags: ['codec-mask-opus', 'codec-mask-G722', 'codec-strip-G7221', 'always-transcode'], 'from-tag': 'alice', replace: ['origin', 'session-connection'] },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.100.1',
        's=tester',
        't=0 0',
        'm=audio 2000 RTP/AVP 120 8 0 101',
        'c=IN IP4 198.51.100.1',
        'a=rtpmap:120 opus/48000/2',
        'a=fmtp:120 useinbandfec=1; usedtx=1; maxaveragebitrate=64000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        't=0 0',
        'm=audio PORT RTP/AVP 8 0 101',
        'c=IN IP4 203.0.113.1',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
    {
      command: 'answer',
      keys: { ICE: 'remove', 'from-tag': 'alice', replace: ['origin', 'session-connection'], 'to-tag': 'bob' },
      sdp: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 198.51.100.3',
        's=tester',
        'c=IN IP4 198.51.100.3',
        't=0 0',
        'm=audio 2002 RTP/AVP 8 101',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=- 1545997027 1 IN IP4 203.0.113.1',
        's=tester',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 120',
        'a=rtpmap:120 opus/48000/2',
        'a=fmtp:120 useinbandfec=1; usedtx=1; maxaveragebitrate=64000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});

// rtpengine scenario 'multi codec offer/answer w single-codec and tp-event'
t.test('single-codec with telephone-event', async (t) => {
  await runScenario(t, td, [
    {
      command: 'offer',
      keys: { ICE: 'remove', codec: { transcode: ['opus'] }, flags: [], 'from-tag': 'alice' },
      sdp: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 192.168.1.1',
        't=0 0',
        'm=audio 8000 RTP/AVP 0 8 101',
        'a=rtpmap:101 telephone-event/8000',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 0 8 96 97 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:96 opus/48000/2',
        'a=rtpmap:97 telephone-event/48000',
        'a=fmtp:97 0-15',
        'a=rtpmap:101 telephone-event/8000',
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
        'm=audio 8000 RTP/AVP 0 8 96 101 98',
        'a=rtpmap:96 opus/48000/2',
        'a=rtpmap:101 telephone-event/8000',
        'a=rtpmap:98 telephone-event/48000',
        'a=sendrecv',
      ),
      expected: sdpText(
        'v=0',
        'o=Z 58440449 0 IN IP4 192.168.1.1',
        's=Z',
        'c=IN IP4 203.0.113.1',
        't=0 0',
        'm=audio PORT RTP/AVP 0 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=sendrecv',
        'a=rtcp:PORT',
      ),
    },
  ]);
});
