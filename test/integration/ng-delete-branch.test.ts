/**
 * ng delete of one branch of a forked offer (rtpengine call_delete_branch): from-tag + via-branch without a
 * to-tag ends only that branch's unanswered side; the call and the other branch go on, so the answer of the
 * other branch still works (rtpengine t/auto-daemon-tests.pl 'rtcp-mux branched delete-delay=0', the
 * same commands on plain RTP).
 */
import t from 'tap';
import { ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';

const OFFER = sdpText('v=0', 'o=root 1965229132 1965229132 IN IP4 172.31.30.143', 's=-', 'c=IN IP4 172.31.30.143', 't=0 0', 'm=audio 35972 RTP/AVP 8 0', 'a=sendrecv');

t.test('delete with via-branch and delete-delay 0 ends that branch only; the other branch answers', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { 'call-id': 'branched', 'from-tag': 'ft' };
  await ngSdp(t, td, 'offer', { ...keys, 'via-branch': 'foo.0' }, OFFER);
  await ngSdp(t, td, 'offer', { ...keys, 'via-branch': 'foo.1' }, OFFER);
  const del = await td.ng.request({ command: 'delete', ...keys, 'via-branch': 'foo.1', 'delete-delay': 0 });
  t.equal(del.result, 'ok');
  const answer = await td.ng.request({ command: 'answer', ...keys, 'to-tag': 'tt', 'via-branch': 'foo.0',
    sdp: sdpText('v=0', 'o=- 1 2 IN IP4 192.168.31.106', 's=-', 'c=IN IP4 192.168.31.106', 't=0 0', 'm=audio 63849 RTP/AVP 8', 'a=sendrecv') });
  t.equal(answer.result, 'ok', `answer of the remaining branch (${String(answer['error-reason'] ?? '')})`);
  const q = await td.ng.request({ command: 'query', 'call-id': 'branched' });
  t.same(Object.keys(q.tags as object).sort(), ['ft', 'tt'], 'offerer and the answered branch remain');
});

t.test('delete with the via-branch of the only branch still ends the whole call', async (t) => {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  const keys = { 'call-id': 'one-branch', 'from-tag': 'ft' };
  await ngSdp(t, td, 'offer', { ...keys, 'via-branch': 'foo.0' }, OFFER);
  t.equal((await td.ng.request({ command: 'delete', ...keys, 'via-branch': 'foo.0', 'delete-delay': 0 })).result, 'ok');
  const q = await td.ng.request({ command: 'query', 'call-id': 'one-branch' });
  t.equal(q.result, 'error', 'call gone');
});
