/**
 * The ng reply cache under a flood (issue 9 D14), over real UDP: a peer flooding whisperd with large
 * replies must not push an earlier reply out of the cache while a retransmission of it can still come,
 * so a retransmitted offer never runs twice; the flood is refused ("Load limit exceeded") instead, and
 * counted. Cookies longer than 64 bytes are dropped and counted.
 */
import t from 'tap';
import { decodeBencode, encodeBencode, type NgDict } from '../../src/control/ng/bencode';
import { phoneSdp, startTestDaemon } from '../fixtures/daemon';

/** An offer whose reply is ~60 kB (a long session attribute is echoed) and that takes no port. */
function bigOffer(callId: string): Buffer {
  const sdp = ['v=0', 'o=x 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `a=x-pad:${'p'.repeat(60_000)}`, 'm=audio 0 RTP/AVP 0', ''].join(
    '\r\n',
  );
  return encodeBencode({ command: 'offer', 'call-id': callId, 'from-tag': 'f', sdp });
}

t.test('a flood of large replies never makes a retransmitted offer run twice', async (t) => {
  // The cache keeps replies 60 s and never evicts one younger than 60 s here (so a slow machine cannot
  // age the victim out of the window during the flood); its budget is the default 64 MiB.
  const td = await startTestDaemon({ ng: { retransmitWindowSeconds: 60 } });
  t.teardown(() => td.close());
  const ng = td.ng;

  const victimCookie = 'victim_offer_1';
  const victimBody = encodeBencode({ command: 'offer', 'call-id': 'victim', 'from-tag': 'alice', sdp: phoneSdp(4000) });
  const first = await ng.rawRequest(victimCookie, victimBody);
  t.equal((decodeBencode(first) as NgDict).result, 'ok');
  t.equal(td.daemon.pool.used, 2, 'the offer took two port pairs');
  // The call ends (another command, another cookie): a second run of the offer would create it again.
  const del = await ng.request({ command: 'delete', 'call-id': 'victim', 'from-tag': 'alice' });
  t.equal(del.result, 'ok');
  t.equal(td.daemon.registry.size, 0);

  // The flood: 64-byte cookies, ~60 kB replies, about twice the budget.
  const results = new Map<string, number>();
  const batch = 2; // ~60 kB datagrams: more in flight would overflow the default socket buffers (UDP drops)
  for (let i = 0; i < 2400; i += batch) {
    const replies = await Promise.all(
      Array.from({ length: batch }, (_, k) => {
        const n = i + k;
        const cookie = `${n}_`.padEnd(64, 'f');
        return ng.rawRequest(cookie, bigOffer(`flood-${n}`), 20_000).then((b) => decodeBencode(b) as NgDict);
      }),
    );
    for (const r of replies) {
      const key = r.result === 'ok' ? 'ok' : `${String(r.result)}: ${String(r['error-reason'] ?? r.message)}`;
      results.set(key, (results.get(key) ?? 0) + 1);
    }
  }
  const refused = results.get('error: Load limit exceeded') ?? 0;
  t.ok(refused > 0, `the flood was refused once the budget was full of young replies: ${JSON.stringify([...results])}`);
  t.equal((results.get('ok') ?? 0) + refused, 2400, 'every flood command was either run or refused');
  t.equal(td.daemon.ng.stats.cacheFull, refused, 'refusals are counted');
  const cs = td.daemon.ng.cacheStats;
  t.ok(cs.bytes <= cs.budget, `the cache stays within its budget (${cs.bytes} <= ${cs.budget})`);
  t.equal(cs.evicted, 0, 'no reply inside the window was evicted');

  // The proxy retransmits the victim offer: the cached reply, byte for byte, and the offer does not run.
  const again = await ng.rawRequest(victimCookie, victimBody);
  t.ok(again.equals(first), 'identical reply bytes');
  t.equal(td.daemon.registry.get('victim'), undefined, 'the offer did not run again (no call re-created)');
  t.equal(td.daemon.pool.used, 0, 'and took no ports');
  t.equal(td.daemon.registry.size, results.get('ok') ?? 0, 'one call per executed flood offer, nothing else');

  const metrics = await fetch(`http://127.0.0.1:${td.httpPort}/metrics`).then((r) => r.text());
  t.match(metrics, new RegExp(`whisperd_ng_datagrams_total\\{outcome="cache_full"\\} ${refused}\\b`));
});

t.test('a refused command answers load limit when the proxy supports it', async (t) => {
  const td = await startTestDaemon({ ng: { cookieCacheBytes: 1024 * 1024, retransmitWindowSeconds: 60 } });
  t.teardown(() => td.close());
  // 1 MiB holds ~16 of these replies plus one command's reservation.
  let last: NgDict = {};
  for (let i = 0; i < 40 && last.result !== 'load limit'; i++) {
    const body = encodeBencode({ ...(decodeBencode(bigOffer(`c${i}`)) as NgDict), supports: ['load limit'] });
    last = decodeBencode(await td.ng.rawRequest(`ll_${i}`, body)) as NgDict;
  }
  t.same(last, { result: 'load limit', message: 'Load limit exceeded' });
  const plain = await td.ng.request({ command: 'ping' });
  t.same(plain, { result: 'error', 'error-reason': 'Load limit exceeded' }, 'without supports: the error text proxies fail over on');
});

t.test('cookies longer than 64 bytes are dropped and counted', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  td.ng.sendRaw(Buffer.from(`${'k'.repeat(65)} d7:command4:pinge`, 'latin1'));
  const ok = await td.ng.rawRequest('k'.repeat(64), Buffer.from('d7:command4:pinge', 'latin1'));
  t.equal(ok.toString('latin1'), 'd6:result4:ponge', 'a 64-byte cookie is served');
  t.equal(td.daemon.ng.stats.longCookie, 1, 'the 65-byte one was dropped and counted');
  t.equal(td.daemon.ng.stats.replies, 1, 'and not answered');
});
