/**
 * ICE signalling (RFC 8839) as rtpengine 10.5 writes it: whisperd's own a=ice-ufrag / a=ice-pwd and one
 * host candidate per interface address and component (the leg's own family first), the offerer's ICE
 * attributes replaced; scenarios of rtpengine's t/auto-daemon-tests.pl (mr10.5.3.5) verbatim, on a daemon
 * with rtpengine's two test interfaces (203.0.113.1 and 2001:db8:4321::1).
 */
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { ngSdp, sdpText } from '../fixtures/sdpScenario';
import { matchSecureSdp } from '../fixtures/secureScenario';

const INTERFACES = ['127.0.0.1!203.0.113.1', '::1!2001:db8:4321::1'];
const O = 'o=- 1545997027 1 IN IP4 198.51.100.1';
const ICE_OFFER = sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1', 'a=sendrecv', 'a=ice-ufrag:asbsdfds', 'a=ice-pwd:sfhwsrgyergws45ujhsrthsrhH',
  'a=candidate:sfthqw45hdfgdfsb 1 UDP 2130706431 198.51.100.3 2002 typ host', 'a=candidate:ujksdfghfdfgdfsb 1 UDP 2130706175 2001:db8:abcd::3 2002 typ host',
  'a=candidate:sfthqw45hdfgdfsb 2 UDP 2130706430 198.51.100.3 2003 typ host', 'a=candidate:ujksdfghfdfgdfsb 2 UDP 2130706174 2001:db8:abcd::3 2003 typ host');
const OUR_ICE = ['a=ice-ufrag:ICEUFRAG', 'a=ice-pwd:ICEPWD', 'a=candidate:ICEBASE 1 UDP 2130706431 203.0.113.1 PORT typ host', 'a=candidate:ICEBASE 1 UDP 2130706175 2001:db8:4321::1 PORT typ host',
  'a=candidate:ICEBASE 2 UDP 2130706430 203.0.113.1 PORT typ host', 'a=candidate:ICEBASE 2 UDP 2130706174 2001:db8:4321::1 PORT typ host'];

t.test('ICE SDP with ICE force: the offerer\'s ICE is replaced by whisperd\'s credentials and host candidates, both components, both interfaces', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const keys = { 'call-id': 'ice-force', 'from-tag': 'ft' };
  const got = matchSecureSdp(t, await ngSdp(t, td, 'offer', { ...keys, ICE: 'force' }, ICE_OFFER),
    sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', ...OUR_ICE));
  t.equal(got[4], got[8], 'one foundation per interface address (both components)');
  t.not(got[4], got[6], 'the IPv6 address has its own foundation');
  // an answer without ICE under ICE=optional: the answer carries whisperd's ICE (an agent runs towards the offerer)
  const O3 = 'o=- 1545997027 1 IN IP4 198.51.100.3';
  const answer = await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'tt', ICE: 'optional' }, sdpText('v=0', O3, 's=tester', 't=0 0', 'm=audio 2002 RTP/AVP 0', 'c=IN IP4 198.51.100.3', 'a=sendrecv'));
  matchSecureSdp(t, answer, sdpText('v=0', O3, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT', ...OUR_ICE));
  // query: the offerer's leg does ICE (whisperd controlled: it answered), the answerer's, without ICE, does not
  const q = await td.ng.request({ command: 'query', 'call-id': 'ice-force' });
  const tags = q.tags as Record<string, { medias: Array<{ flags: string[]; ICE?: { state: string; lite: number; controlling: number } }> }>;
  t.ok(tags.ft!.medias[0]!.flags.includes('ICE'), 'offerer leg: ICE');
  t.notOk(tags.ft!.medias[0]!.flags.includes('ICE controlling'), 'offerer leg: whisperd controlled');
  t.equal(tags.ft!.medias[0]!.ICE?.lite, 0, 'a full ICE agent runs towards the offerer (rtpengine default)');
  t.notOk(tags.tt!.medias[0]!.flags.includes('ICE'), 'answerer leg: no ICE (its answer had none)');
  t.equal(tags.tt!.medias[0]!.ICE, undefined, 'no agent towards the answerer');
});

t.test('trickle ICE test G: an IPv6 trickle offer (c=IN IP6 ::, port 9) gets IPv6 candidates first', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const O40 = 'o=- 1545997027 1 IN IP4 198.51.101.40';
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'trickle-g', 'from-tag': 'ft' }, sdpText('v=0', O40, 's=tester', 'c=IN IP6 ::', 't=0 0', 'm=audio 9 RTP/AVP 8', 'a=ice-ufrag:Ci7n',
    'a=ice-pwd:l9QndxLG6OycZRcQe9zcT95c', 'a=ice-options:trickle'));
  matchSecureSdp(t, reply, sdpText('v=0', O40, 's=tester', 'c=IN IP6 2001:db8:4321::1', 't=0 0', 'm=audio PORT RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:PORT',
    'a=ice-ufrag:ICEUFRAG', 'a=ice-pwd:ICEPWD', 'a=candidate:ICEBASE 1 UDP 2130706431 2001:db8:4321::1 PORT typ host', 'a=candidate:ICEBASE 1 UDP 2130706175 203.0.113.1 PORT typ host',
    'a=candidate:ICEBASE 2 UDP 2130706430 2001:db8:4321::1 PORT typ host', 'a=candidate:ICEBASE 2 UDP 2130706174 203.0.113.1 PORT typ host'));
});

t.test('plain SDP, ICE removed: ICE=remove writes no ICE attributes', async (t) => {
  const td = await startTestDaemon({ media: { interfaces: INTERFACES } });
  t.teardown(() => td.close());
  const reply = await ngSdp(t, td, 'offer', { 'call-id': 'ice-remove', 'from-tag': 'ft', ICE: 'remove' }, ICE_OFFER);
  matchSecureSdp(t, reply, sdpText('v=0', O, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT'));
});
