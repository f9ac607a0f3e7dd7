/**
 * (issue 14) A new call over a load limit is refused through the real ng dispatch (a daemon on loopback),
 * exactly as limits.maxSessions refuses one: `result: "load limit"` when the request lists "load limit"
 * in `supports` (Kamailio always does), else the error rtpengine's legacy protocol gives for every limit,
 * "Parallel session limit reached". Calls already here keep working: re-offer, answer, supervision
 * join, query, delete. Rejections are counted by limit in /metrics; the gauges show the samples.
 */
import t from 'tap';
import { phoneSdp, startTestDaemon } from '../../fixtures/daemon';
import { FakeSamplers } from '../../fixtures/loadSamplers';

async function metric(port: number, re: RegExp): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return re.exec(text)?.[1] ?? 'absent';
}

for (const which of ['load', 'cpu', 'bandwidth'] as const) {
  t.test(`${which} limit: new calls refused, existing calls work, cleared again`, async (t) => {
    const td = await startTestDaemon({ limits: { maxLoad: 8, maxCpu: 60, maxBandwidth: 1_000_000 } });
    t.teardown(() => td.close());
    const fake = new FakeSamplers();
    const mon = td.daemon.load;
    mon.samplers = fake;
    mon.sample();
    const over = (): void => {
      fake.load = which === 'load' ? 9 : 1;
      fake.step(1000, which === 'cpu' ? 90 : 5, which === 'bandwidth' ? 2_000_000 : 1000);
      mon.sample();
    };
    const under = (): void => {
      fake.load = 1;
      fake.step(1000, 5, 1000);
      mon.sample();
    };
    under();
    // A call set up before the limit is reached.
    t.equal((await td.ng.request({ command: 'offer', 'call-id': 'old', 'from-tag': 'a', sdp: phoneSdp(4000) })).result, 'ok');
    over();
    t.equal(mon.refusing(), which);

    t.same(await td.ng.request({ command: 'offer', 'call-id': 'new1', 'from-tag': 'a', sdp: phoneSdp(4002), supports: ['load limit'] }), {
      result: 'load limit',
      message: 'Parallel session limit reached',
    }, 'supports "load limit": result load limit');
    t.same(await td.ng.request({ command: 'offer', 'call-id': 'new2', 'from-tag': 'a', sdp: phoneSdp(4002) }), {
      result: 'error',
      'error-reason': 'Parallel session limit reached',
    }, 'legacy: the error text proxies fail over on');
    t.equal(td.daemon.registry.size, 1, 'no call made for the refused offers');

    // The existing call is not refused: answer, re-offer (re-INVITE), supervision join, query, delete.
    t.equal((await td.ng.request({ command: 'answer', 'call-id': 'old', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(4010), supports: ['load limit'] })).result, 'ok', 'answer');
    t.equal((await td.ng.request({ command: 'offer', 'call-id': 'old', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(4000, { id: 1001 }), supports: ['load limit'] })).result, 'ok', 're-offer');
    const sup = await td.ng.request({ command: 'supervise', 'call-id': 'old', 'from-tag': 'sup', supervise: 'listen', 'agent-tag': 'b', sdp: phoneSdp(4020), supports: ['load limit'] });
    t.equal(sup.result, 'ok', `supervision join (${JSON.stringify(sup['error-reason'] ?? '')})`);
    t.equal((await td.ng.request({ command: 'query', 'call-id': 'old' })).result, 'ok', 'query');
    t.equal((await td.ng.request({ command: 'delete', 'call-id': 'old', 'from-tag': 'a' })).result, 'ok', 'delete');
    t.equal(td.daemon.registry.size, 0);

    t.equal(await metric(td.httpPort, new RegExp(`whisperd_load_limit_rejections_total\\{limit="${which}"\\} (\\d+)`)), '2', 'two rejections counted');
    t.equal(await metric(td.httpPort, /whisperd_load_limit_rejections_total\{limit="sessions"\} (\d+)/), '0');
    t.equal(await metric(td.httpPort, /^whisperd_load_limited (\d+)/m), '1');
    if (which === 'cpu') t.equal(await metric(td.httpPort, /^whisperd_cpu_usage_percent (\S+)/m), '90');
    if (which === 'bandwidth') t.equal(await metric(td.httpPort, /^whisperd_media_bandwidth_bytes_per_second (\S+)/m), '2000000');
    if (which === 'load') t.equal(await metric(td.httpPort, /^whisperd_load_average (\S+)/m), '9');

    under();
    t.equal((await td.ng.request({ command: 'offer', 'call-id': 'new3', 'from-tag': 'a', sdp: phoneSdp(4002), supports: ['load limit'] })).result, 'ok', 'cleared: a new call is accepted');
    t.equal(await metric(td.httpPort, /^whisperd_load_limited (\d+)/m), '0');
  });
}

t.test('the session limit is counted under limit="sessions"', async (t) => {
  const td = await startTestDaemon({ limits: { maxSessions: 1 } });
  t.teardown(() => td.close());
  t.equal((await td.ng.request({ command: 'offer', 'call-id': 's1', 'from-tag': 'a', sdp: phoneSdp(4000) })).result, 'ok');
  t.equal(await metric(td.httpPort, /^whisperd_load_limited (\d+)/m), '1', 'at the session limit: limited');
  t.same(await td.ng.request({ command: 'offer', 'call-id': 's2', 'from-tag': 'a', sdp: phoneSdp(4002), supports: ['load limit'] }), { result: 'load limit', message: 'Parallel session limit reached' });
  t.equal(await metric(td.httpPort, /whisperd_load_limit_rejections_total\{limit="sessions"\} (\d+)/), '1');
});
