/**
 * media.sparePairs through ng: pairs bound ahead of demand are invisible to `statistics`/metrics,
 * offers get the same ports and errors as without them, and neither delete nor shutdown leaks a port.
 */
import dgram from 'node:dgram';
import t from 'tap';
import { phoneSdp, randomPortRange, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';

async function bindable(port: number): Promise<boolean> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => {
      s.close();
      resolve(true);
    });
  });
}

async function oneCall(td: TestDaemon, id: string): Promise<[number, number]> {
  const offer = await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'a', sdp: phoneSdp(5000) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': id, 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(5002) });
  t.equal(offer.result, 'ok');
  t.equal(answer.result, 'ok');
  return [sdpMediaPort(String(offer.sdp)), sdpMediaPort(String(answer.sdp))];
}

async function portsInUse(td: TestDaemon): Promise<[unknown, unknown]> {
  const s = await td.ng.request({ command: 'statistics' });
  const current = (s as Record<string, Record<string, Record<string, unknown>>>)['statistics']!['currentstatistics']!;
  return [current['portsused'], current['portsfree']];
}

t.test('same ports, same statistics with and without spares; delete and shutdown leak nothing', async (t) => {
  const results: Array<{ ports: number[]; used: unknown[] }> = [];
  for (const sparePairs of [0, 4]) {
    const range = randomPortRange(40);
    const td = await startTestDaemon({ media: { ...range, sparePairs } });
    t.teardown(() => td.close());
    const ports = [...(await oneCall(td, 'c1')), ...(await oneCall(td, 'c2'))];
    const used = [...(await portsInUse(td))];
    t.equal(td.daemon.pool.used, 4, `sparePairs ${sparePairs}: two calls, four pairs in use`);
    for (const id of ['c1', 'c2']) t.equal((await td.ng.request({ command: 'delete', 'call-id': id, 'from-tag': 'a' })).result, 'ok');
    used.push(...(await portsInUse(td)));
    t.equal(td.daemon.pool.used, 0, 'every pair back after delete');
    results.push({ ports: ports.map((p) => p - range.portMin), used });
    await td.close();
    const free: number[] = [];
    for (let p = range.portMin; p <= range.portMax; p++) if (!(await bindable(p))) free.push(p);
    t.same(free, [], `sparePairs ${sparePairs}: no port of the range still bound after shutdown`);
  }
  t.same(results[1], results[0], 'ports (relative to the range) and portsused/portsfree identical');
});

t.test('exhaustion with spares: "Ran out of ports" at the same point, nothing leaked', async (t) => {
  const { portMin } = randomPortRange(8);
  const td = await startTestDaemon({ media: { portMin, portMax: portMin + 5, sparePairs: 4 } }); // 3 pairs
  t.teardown(() => td.close());
  const ok = await td.ng.request({ command: 'offer', 'call-id': 'p1', 'from-tag': 'x', sdp: phoneSdp(5000) });
  t.equal(ok.result, 'ok');
  const fail = await td.ng.request({ command: 'offer', 'call-id': 'p2', 'from-tag': 'x', sdp: phoneSdp(5000) });
  t.same(fail, { result: 'error', 'error-reason': 'Ran out of ports' });
  t.equal(td.daemon.pool.used, 2, 'the failed offer leaked nothing');
  t.equal(td.daemon.registry.size, 1);
  t.equal((await td.ng.request({ command: 'delete', 'call-id': 'p1', 'from-tag': 'x' })).result, 'ok');
  t.equal(td.daemon.pool.used, 0);
  t.equal((await td.ng.request({ command: 'offer', 'call-id': 'p3', 'from-tag': 'x', sdp: phoneSdp(5000) })).result, 'ok', 'the ports serve again');
});
