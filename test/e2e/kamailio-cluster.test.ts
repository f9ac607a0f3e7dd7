// (issue 14) Kamailio 5.6 (stock rtpengine module, examples/kamailio/kamailio-cluster.cfg) with a SET of
// two whisperd nodes, SIPp UAC -> Kamailio -> SIPp UAS, two calls. Node 1 has limits.maxSessions=1 and
// weight 256 against node 2's 1, so Kamailio offers every new call to node 1 first (the 5.6 Call-ID hash
// is at most 255); node 1 takes one call and answers the other `result: "load limit"`; Kamailio moves that
// call to node 2 and keeps each call's answer/query/delete on its node. Checked: each node's HTTP
// /v1/calls holds exactly one of the calls, RTP flows on each node, node 1 counted the refusal under
// limit="sessions" and its /readyz said "load limit: sessions", Kamailio logged the move, both calls
// completed, both nodes are empty after the BYEs.
//
// Daemons: whisperd from dist/ (make build). No skip: a missing tool fails the test.

import t from 'tap';
import type { BValue } from '../fixtures/e2e/bencode';
import {
  HOST,
  REPO_ROOT,
  freePort,
  httpGet,
  ngRequest,
  promSum,
  runSippUac,
  startKamailio,
  startSippUas,
  startWhisperd,
  waitFor,
  type MediaDaemon,
  beginKamailioSipp,
  e2eCannotRun,
} from '../fixtures/e2e/harness';
import path from 'node:path';

const CALLS = 2;
const HOLD_MS = 6000;
const CLUSTER_CFG = path.join(REPO_ROOT, 'examples', 'kamailio', 'kamailio-cluster.cfg');

type Dict = { [key: string]: BValue | undefined };
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

async function callIdsOf(node: MediaDaemon): Promise<string[]> {
  const r = await httpGet(`${node.httpUrl}/v1/calls`);
  if (r.status !== 200) throw new Error(`GET /v1/calls on ${node.httpUrl}: ${r.status} ${r.body}`);
  return (JSON.parse(r.body) as { calls: Array<{ callId: string }> }).calls.map((c) => c.callId).sort();
}

const cannotRun = e2eCannotRun({ tools: ['kamailio', 'sipp'] });

t.test('Kamailio set of two whisperd nodes: "load limit" on node 1 moves the new call to node 2', async (t) => {
  const procs = beginKamailioSipp(t, cannotRun);
  if (!procs) return;

  const node1 = await startWhisperd(t, { extraArgs: ['--limits.maxSessions=1', '--cluster.node=node1'] });
  procs.push(node1.proc);
  const node2 = await startWhisperd(t, { extraArgs: ['--cluster.node=node2'] });
  procs.push(node2.proc);
  t.same(JSON.parse((await httpGet(`${node1.httpUrl}/readyz`)).body), { ready: true }, 'node 1 ready before the calls');

  const uasPort = await freePort();
  const kamPort = await freePort();
  const kam = await startKamailio(t, {
    sipPort: kamPort,
    ngPort: node1.ng.port, // WHISPERD_NG is not used by kamailio-cluster.cfg; the set is WHISPERD_SET
    upstreamUri: `sip:${HOST}:${uasPort}`,
    cfgFile: CLUSTER_CFG,
    defines: [`WHISPERD_SET="udp:${HOST}:${node1.ng.port}=256 udp:${HOST}:${node2.ng.port}=1"`],
  });
  procs.push(kam.proc);

  const uas = await startSippUas(t, { sipPort: uasPort, calls: CALLS });
  procs.push(uas.proc);
  const uac = await runSippUac(t, { target: `${HOST}:${kamPort}`, calls: CALLS, holdMs: HOLD_MS });
  procs.push(uac.proc);
  const callIds = Array.from({ length: CALLS }, (_, i) => uac.callId(i + 1)).sort();

  // ---- during the calls: one call on each node, seen through each node's own HTTP API
  const placed = await waitFor(
    'one call on each node (/v1/calls)',
    async () => {
      if (uac.proc.exitStatus()) throw new Error('SIPp UAC exited before both calls were placed');
      const [a, b] = await Promise.all([callIdsOf(node1), callIdsOf(node2)]);
      return a.length === 1 && b.length === 1 ? { a, b } : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  ).catch((err: Error) => err);
  if (placed instanceof Error) {
    t.fail(placed.message);
    return;
  }
  t.equal(placed.a.length, 1, `node 1 holds one call (${placed.a.join()})`);
  t.equal(placed.b.length, 1, `node 2 holds one call (${placed.b.join()})`);
  t.same([...placed.a, ...placed.b].sort(), callIds, 'together exactly the two SIPp calls');

  const ready1 = await httpGet(`${node1.httpUrl}/readyz`);
  t.equal(ready1.status, 503, 'node 1 not ready while full');
  t.same(JSON.parse(ready1.body), { ready: false, reasons: ['load limit: sessions'] });
  t.equal((await httpGet(`${node2.httpUrl}/readyz`)).status, 200, 'node 2 ready');

  // Media flows on each node for its call (ng query to the node that holds it).
  for (const [node, id] of [[node1, placed.a[0]!], [node2, placed.b[0]!]] as Array<[MediaDaemon, string]>) {
    const q = await waitFor(
      `RTP counted for ${id} on ${node.httpUrl}`,
      async () => {
        const r = await ngRequest(node.ng, { command: 'query', 'call-id': id });
        const totals = isDict(r.totals) && isDict(r.totals.RTP) ? Number(r.totals.RTP.packets) : 0;
        return totals > 0 ? totals : undefined;
      },
      { timeoutMs: HOLD_MS + 5000, intervalMs: 300 },
    ).catch(() => 0);
    t.ok(q > 0, `RTP relayed for ${id} by the node holding it (${q} packets)`);
  }

  // ---- the calls complete
  const res = await uac.done;
  t.equal(res.code, 0, `SIPp UAC exit code 0 (got ${res.code})`);
  t.equal(res.successful, CALLS, `${CALLS} successful calls`);
  t.equal(res.failed, 0, 'no failed call');
  const uasExit = await waitFor('SIPp UAS to exit', () => uas.proc.exitStatus(), { timeoutMs: 20_000 }).catch(() => undefined);
  t.equal(uasExit?.code, 0, 'SIPp UAS exited 0');

  // Kamailio moved the refused call on the load limit reply (its own words), and logged which node took what.
  t.match(kam.proc.output(), /has reached its load limit/, 'Kamailio: "proxy ... has reached its load limit - trying next one"');
  t.match(kam.proc.output(), new RegExp(`media node call-id=${placed.b[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} method=INVITE node=udp:${HOST}:${node2.ng.port}`), 'the moved call\'s INVITE went to node 2');

  // ---- node 1 counted the refusal; both nodes are empty after the BYEs
  const m1 = await httpGet(`${node1.httpUrl}/metrics`);
  t.equal(promSum(m1.body, 'whisperd_load_limit_rejections_total', { limit: 'sessions' }), 1, 'node 1: one new call refused by the session limit');
  t.equal(promSum(m1.body, 'whisperd_sessions_created_total'), 1, 'node 1 created one call');
  const m2 = await httpGet(`${node2.httpUrl}/metrics`);
  t.equal(promSum(m2.body, 'whisperd_sessions_created_total'), 1, 'node 2 created one call');
  t.equal(promSum(m2.body, 'whisperd_load_limit_rejections_total'), 0, 'node 2 refused nothing');
  const empty = await waitFor(
    'both nodes empty after the BYEs',
    async () => ((await callIdsOf(node1)).length === 0 && (await callIdsOf(node2)).length === 0 ? true : undefined),
    { timeoutMs: 15_000, intervalMs: 300 },
  ).catch(() => false);
  t.ok(empty, 'no call left on either node');
});
