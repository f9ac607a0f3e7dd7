/**
 * ng flags that shape the rewritten SDP's attributes, as rtpengine 10.5 (daemon/sdp.c): strip-extmap,
 * full-rtcp-attribute, no-rtcp-attribute, original-sendrecv. "strip extmap" is the scenario of
 * t/auto-daemon-tests.pl (mr10.5.3.5) verbatim.
 */
import t, { type Test } from 'tap';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import type { TestDaemon } from '../fixtures/daemon';

async function daemon(t: Test): Promise<TestDaemon> {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  return td;
}

const HEAD = ['v=0', 'o=- 1545997027 1 IN IP4 198.51.100.1', 's=tester', 't=0 0'];

t.test('strip-extmap removes a=extmap (rtpengine "strip extmap")', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'extmap', 'from-tag': 'ft', flags: ['strip extmap'] },
    sdpText(...HEAD, 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=extmap:0 foobar', 'a=sendrecv'));
  matchSdp(t, reply, sdpText(...HEAD, 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});

t.test('without strip-extmap, a=extmap stays where it was', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'extmap-kept', 'from-tag': 'ft' },
    sdpText(...HEAD, 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=extmap:0 foobar', 'a=sendrecv'));
  matchSdp(t, reply, sdpText(...HEAD, 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=extmap:0 foobar', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});

t.test('full-rtcp-attribute writes the address in a=rtcp (the media-address when given)', async (t) => {
  const td = await daemon(t);
  const input = sdpText(...HEAD, 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv');
  matchSdp(t, await ngSdp(t, td, 'offer', { 'call-id': 'full', 'from-tag': 'ft', flags: ['full-rtcp-attribute'] }, input),
    sdpText(...HEAD, 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT IN IP4 203.0.113.1'));
  matchSdp(t, await ngSdp(t, td, 'offer', { 'call-id': 'full-ma', 'from-tag': 'ft', flags: ['full-rtcp-attribute'], 'media-address': '3.4.5.6' }, input),
    sdpText(...HEAD, 'm=audio PORT RTP/AVP 0', 'c=IN IP4 3.4.5.6', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT IN IP4 3.4.5.6'));
});

t.test('no-rtcp-attribute writes no a=rtcp', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'nortcp', 'from-tag': 'ft', flags: ['no-rtcp-attribute'] },
    sdpText(...HEAD, 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv'));
  matchSdp(t, reply, sdpText(...HEAD, 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv'));
});

t.test('original-sendrecv keeps the direction attribute where it was and adds none', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'orig', 'from-tag': 'ft', flags: ['original-sendrecv'] },
    sdpText(...HEAD, 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendonly', 'a=foo'));
  matchSdp(t, reply, sdpText(...HEAD, 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=sendonly', 'a=foo', 'a=rtpmap:0 PCMU/8000', 'a=rtcp:PORT'));
});

t.test('generate-mid adds a=mid:<index> to lines that have none', async (t) => {
  const td = await daemon(t);
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'genmid', 'from-tag': 'ft', flags: ['generate mid'] },
    sdpText(...HEAD, 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'm=audio 2002 RTP/AVP 8', 'c=IN IP4 198.51.100.1', 'a=mid:x'));
  matchSdp(t, reply, sdpText(...HEAD,
    'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=mid:1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT',
    'm=audio PORT RTP/AVP 8', 'c=IN IP4 203.0.113.1', 'a=mid:x', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});
