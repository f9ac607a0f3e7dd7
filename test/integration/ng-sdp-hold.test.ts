/**
 * Legacy hold (c=0.0.0.0, RFC 2543 / RFC 3264 §8.4) as rtpengine 10.5 answers it: the offer forwarded to
 * the other side says a=sendonly (the holder does not receive), and the zero address itself stays in the
 * rewritten SDP unless `replace: ["zero-address"]` asks for whisperd's address. Each test is one scenario
 * of rtpengine's t/auto-daemon-tests.pl (mr10.5.3.5), input and expected reply verbatim.
 */
import t from 'tap';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';

const O = 'o=- 1545997027 1 IN IP4 198.51.101.40';

interface Scenario {
  name: string;
  replace?: string[];
  input: string;
  expected: string;
}

const scenarios: Scenario[] = [
  {
    name: 'null address test A',
    input: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 16478 RTP/AVP 8', 'c=IN IP4 0.0.0.0'),
    expected: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 8', 'c=IN IP4 0.0.0.0', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test B',
    input: sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 16478 RTP/AVP 8'),
    expected: sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test A trickle',
    input: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 9 RTP/AVP 8', 'c=IN IP4 0.0.0.0'),
    expected: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 8', 'c=IN IP4 0.0.0.0', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test B trickle',
    input: sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 9 RTP/AVP 8'),
    expected: sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test A w replace option',
    replace: ['zero address'],
    input: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 16478 RTP/AVP 8', 'c=IN IP4 0.0.0.0'),
    expected: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 8', 'c=IN IP4 203.0.113.1', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test B w replace option',
    replace: ['zero address'],
    input: sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 16478 RTP/AVP 8'),
    expected: sdpText('v=0', O, 's=tester', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test A trickle w replace option',
    replace: ['zero address'],
    input: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 9 RTP/AVP 8', 'c=IN IP4 0.0.0.0'),
    expected: sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 8', 'c=IN IP4 203.0.113.1', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
  {
    name: 'null address test B trickle w replace option',
    replace: ['zero address'],
    input: sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 9 RTP/AVP 8'),
    expected: sdpText('v=0', O, 's=tester', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendonly', 'a=rtcp:PORT'),
  },
];

t.test('legacy hold offers (c=0.0.0.0, no direction attribute) are forwarded as a=sendonly', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  for (const [i, s] of scenarios.entries()) {
    await t.test(s.name, async (t) => {
      const keys = { 'call-id': `hold-${i}`, 'from-tag': 'ft', ...(s.replace ? { replace: s.replace } : {}) };
      matchSdp(t, await ngSdp(t, td, 'offer', keys, s.input), s.expected);
    });
  }
});

t.test('trickle ICE 0.0.0.0:9 is not hold (rtpengine "trickle ICE test A no ICE")', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'trickle', 'from-tag': 'ft', ICE: 'remove' }, sdpText(
    'v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 9 RTP/AVP 8',
    'a=ice-ufrag:Ci7n', 'a=ice-pwd:l9QndxLG6OycZRcQe9zcT95c', 'a=ice-options:trickle',
  ));
  matchSdp(t, reply, sdpText('v=0', O, 's=tester', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});

t.test('a held recvonly offer is forwarded as a=inactive (the holder neither sends nor receives)', async (t) => {
  // rtpengine call.c: a zero address clears "receive" from the sender's direction.
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'recvonly', 'from-tag': 'ft' }, sdpText(
    'v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 16478 RTP/AVP 8', 'a=recvonly',
  ));
  matchSdp(t, reply, sdpText('v=0', O, 's=tester', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=inactive', 'a=rtcp:PORT'));
});
