// End to end with real peers: SIPp UAC -> Kamailio 5.6 (stock rtpengine module,
// examples/kamailio/kamailio-whisperd.cfg) -> SIPp UAS, media anchored in the
// daemon under test over ng/UDP. Both SIPp ends play G.711 A-law from a pcap.
//
// Daemon: whisperd from dist/ (`make build`; make test builds it). Without it
// the test fails: it never substitutes another daemon. WHISPERD_E2E_DAEMON=rtpengine
// runs the same checks against Debian's rtpengine instead (a comparison run,
// named in the test title).
// WHISPERD_E2E_KEEP_TMP=1 keeps the SIPp/Kamailio temp dirs for inspection.

import t from 'tap';
import type { BValue } from '../fixtures/e2e/bencode';
import {
  HOST,
  findExecutable,
  freePort,
  makeTempDir,
  startLoopbackCapture,
  httpGet,
  ngRequest,
  freePortRange,
  promSum,
  readIfExists,
  runSippUac,
  selectDaemon,
  startDaemon,
  startKamailio,
  startSippUas,
  tail,
  waitFor,
  type MediaDaemon,
  beginKamailioSipp,
  e2eCannotRun,
} from '../fixtures/e2e/harness';

const CALLS = 3;
const HOLD_MS = 8000; // the pcap holds ~7 s of audio
const MIN_FORWARDED = 200; // of the pcap's 236 RTP packets, per direction and call

/** The UAC's media ports are reserved before SIPp starts, so the capture filter can name them. */
async function freePortRangeForUac(): Promise<[number, number]> {
  const count = 4 * CALLS + 8;
  const base = await freePortRange(count);
  return [base, base + count - 1];
}

type Dict = { [key: string]: BValue | undefined };
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);

/** packets counted in the streams of one tag of an ng query reply */
function tagPackets(query: Dict, tag: string): number | undefined {
  const tags = query.tags;
  if (!isDict(tags)) return undefined;
  const entry = tags[tag];
  if (!isDict(entry) || !Array.isArray(entry.medias)) return undefined;
  let sum = 0;
  for (const media of entry.medias) {
    if (!isDict(media) || !Array.isArray(media.streams)) continue;
    for (const stream of media.streams) {
      if (isDict(stream) && isDict(stream.stats)) sum += num(stream.stats.packets) || 0;
    }
  }
  return sum;
}

function totalRtpPackets(query: Dict): number {
  const totals = query.totals;
  return isDict(totals) && isDict(totals.RTP) ? num(totals.RTP.packets) : NaN;
}

const selection = selectDaemon();
const cannotRun = e2eCannotRun({
  tools: ['kamailio', 'sipp', 'tshark'],
  debianHint: true,
  needBuiltWhisperd: selection.kind === 'whisperd',
  other: () =>
    selection.kind === 'rtpengine' && !findExecutable('rtpengine')
      ? 'WHISPERD_E2E_DAEMON=rtpengine but rtpengine is not installed (Debian package rtpengine-daemon)'
      : undefined,
});

t.test(`Kamailio + SIPp calls through ${selection.kind} over ng`, async (t) => {
  t.comment(`media daemon under test: ${selection.kind} (${selection.note})`);
  // An end-to-end test that cannot run has not shown that anything works: fail, never skip. On failure,
  // print what each peer said and every ng exchange the test made.
  const procs = beginKamailioSipp(t, cannotRun);
  if (!procs) return;

  const daemon: MediaDaemon = await startDaemon(t, selection.kind);
  procs.push(daemon.proc);
  t.pass(`${daemon.kind} answers ng ping on ${daemon.ng.host}:${daemon.ng.port}`);

  const uasPort = await freePort();
  const kamPort = await freePort();
  const kam = await startKamailio(t, { sipPort: kamPort, ngPort: daemon.ng.port, upstreamUri: `sip:${HOST}:${uasPort}` });
  procs.push(kam.proc);
  t.pass(`Kamailio answers OPTIONS on ${HOST}:${kamPort}`);

  const uas = await startSippUas(t, { sipPort: uasPort, calls: CALLS });
  procs.push(uas.proc);

  const before = await ngRequest(daemon.ng, { command: 'list' });
  t.same(before.calls, [], 'no calls in the daemon before the test');

  // Is the media forwarded, not just received? Capture what the daemon's
  // media ports send to the SIPp media ports (tshark on lo; root is needed
  // for the pcap replay anyway).
  const uacMedia = await freePortRangeForUac();
  const filter =
    `udp and src portrange ${daemon.portMin}-${daemon.portMax} and ` +
    `(dst portrange ${uas.mediaRange[0]}-${uas.mediaRange[1]} or dst portrange ${uacMedia[0]}-${uacMedia[1]})`;
  const capture = await startLoopbackCapture(t, filter, makeTempDir(t, 'capture'));
  procs.push(capture.proc);

  const uac = await runSippUac(t, { target: `${HOST}:${kamPort}`, calls: CALLS, holdMs: HOLD_MS, mediaBase: uacMedia[0] });
  procs.push(uac.proc);
  const callIds = Array.from({ length: CALLS }, (_, i) => uac.callId(i + 1));

  // ---- during the calls: the daemon lists them, and RTP flows both ways through it
  const listed = await waitFor(
    `ng list to show all ${CALLS} calls`,
    async () => {
      if (uac.proc.exitStatus()) throw new Error('SIPp UAC exited before the calls were listed');
      const r = await ngRequest(daemon.ng, { command: 'list', limit: 100 });
      const calls = Array.isArray(r.calls) ? r.calls.map(String) : [];
      return callIds.every((id) => calls.includes(id)) ? calls : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  ).catch((err: Error) => err);
  if (listed instanceof Error) t.fail(listed.message);
  else t.same([...listed].sort(), [...callIds].sort(), 'ng list shows exactly the SIPp calls (Call-IDs from -cid_str)');

  for (let n = 1; n <= CALLS; n++) {
    const callId = uac.callId(n);
    const fromTag = uac.fromTag(n);
    const toTag = uas.toTag(n);
    let last: Dict | undefined;
    const seen = await waitFor(
      `RTP from both parties of ${callId} in ng query`,
      async () => {
        const q = await ngRequest(daemon.ng, { command: 'query', 'call-id': callId });
        last = q;
        if (q.result !== 'ok') throw new Error(`query result ${String(q.result)}: ${String(q['error-reason'])}`);
        const ok = totalRtpPackets(q) > 0 && (tagPackets(q, fromTag) ?? 0) > 0 && (tagPackets(q, toTag) ?? 0) > 0;
        return ok ? q : undefined;
      },
      { timeoutMs: HOLD_MS + 5000, intervalMs: 300 },
    ).catch(() => undefined);
    const q = seen ?? last ?? {};
    t.equal(q.result, 'ok', `query ${callId}: result ok`);
    t.ok(totalRtpPackets(q) > 0, `query ${callId}: totals.RTP.packets > 0 (${totalRtpPackets(q)})`);
    const tags = isDict(q.tags) ? Object.keys(q.tags).sort() : [];
    t.same(tags, [fromTag, toTag].sort(), `query ${callId}: tags are the UAC from-tag and the UAS to-tag`);
    t.ok((tagPackets(q, fromTag) ?? 0) > 0, `query ${callId}: packets received from the caller (${tagPackets(q, fromTag)})`);
    t.ok((tagPackets(q, toTag) ?? 0) > 0, `query ${callId}: packets received from the callee (${tagPackets(q, toTag)})`);
  }

  // ---- the calls complete
  const uacResult = await uac.done;
  t.equal(uacResult.code, 0, `SIPp UAC exit code 0 (got ${uacResult.code}, signal ${uacResult.signal})`);
  t.equal(uacResult.successful, CALLS, `SIPp UAC: ${CALLS} successful calls`);
  t.equal(uacResult.failed, 0, 'SIPp UAC: no failed calls');
  if (uacResult.code !== 0) t.comment(`SIPp UAC errors:\n${tail(readIfExists(`${uac.dir}/errors.log`), 40)}`);

  const uasExit = await waitFor('SIPp UAS to exit', () => uas.proc.exitStatus(), { timeoutMs: 20_000 }).catch(() => undefined);
  t.equal(uasExit?.code, 0, `SIPp UAS handled ${CALLS} calls and exited 0`);

  // ---- Kamailio read the daemon's query reply ($rtpstat at BYE)
  for (const id of callIds) {
    const m = new RegExp(`media stats call-id=${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} RTP: (\\d+) bytes, (\\d+) packets`).exec(kam.proc.output());
    t.ok(m && Number(m[2]) > 0, `Kamailio's $rtpstat for ${id} shows RTP packets (${m ? m[0] : 'no log line'})`);
  }

  // ---- after BYE the calls are gone
  const gone = await waitFor(
    'ng list to be empty after the BYEs',
    async () => {
      const r = await ngRequest(daemon.ng, { command: 'list' });
      return Array.isArray(r.calls) && r.calls.length === 0 ? r : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 300 },
  ).catch((err: Error) => err);
  t.notOk(gone instanceof Error, 'ng list returns no calls after BYE');
  for (const id of callIds) {
    const q = await ngRequest(daemon.ng, { command: 'query', 'call-id': id });
    const unknown = q.result === 'error' && q['error-reason'] === 'Unknown call-id';
    const empty = q.result === 'ok' && (!isDict(q.tags) || Object.keys(q.tags).length === 0);
    t.ok(unknown || empty, `query ${id} after BYE: "Unknown call-id" or empty (got ${JSON.stringify(q)})`);
  }

  // ---- the daemon forwarded each party's RTP to the other (seen on the wire)
  const flows = await capture.stopAndRead();
  await t.test('RTP forwarded by the daemon to both SIPp peers (tshark on lo)', async (t) => {
    const perPort = new Map<number, number>();
    for (const [, dst] of flows) perPort.set(dst, (perPort.get(dst) ?? 0) + 1);
    const inRange = (r: [number, number]): number[] =>
      [...perPort.entries()].filter(([p, n]) => p >= r[0] && p <= r[1] && n >= MIN_FORWARDED).map(([p]) => p);
    const describe = JSON.stringify(Object.fromEntries(perPort));
    t.equal(inRange(uacMedia).length, CALLS, `${CALLS} UAC media ports each got >= ${MIN_FORWARDED} packets from the daemon (per port: ${describe})`);
    t.equal(inRange(uas.mediaRange).length, CALLS, `${CALLS} UAS media ports each got >= ${MIN_FORWARDED} packets from the daemon (per port: ${describe})`);
  });

  // ---- the daemon's Prometheus endpoint
  const metrics = await httpGet(`${daemon.httpUrl}/metrics`).catch((err: Error) => ({ status: 0, body: err.message }));
  t.equal(metrics.status, 200, `GET ${daemon.httpUrl}/metrics answers 200`);
  t.match(metrics.body, new RegExp(`^${daemon.metricPrefix}`, 'm'), `/metrics exposes ${daemon.metricPrefix}* metrics`);
  if (daemon.kind === 'whisperd') {
    const created = promSum(metrics.body, 'whisperd_sessions_created_total');
    const current = promSum(metrics.body, 'whisperd_sessions');
    const out = promSum(metrics.body, 'whisperd_packets_total', { direction: 'out', kind: 'rtp' });
    t.equal(created, CALLS, `whisperd_sessions_created_total = ${CALLS} (${created})`);
    t.equal(current, 0, `whisperd_sessions = 0 after the BYEs (${current})`);
    t.ok((out ?? 0) >= 2 * CALLS * MIN_FORWARDED, `whisperd_packets_total{direction="out",kind="rtp"} >= ${2 * CALLS * MIN_FORWARDED} (${out})`);
  } else {
    t.comment(`rtpengine_packets_total = ${promSum(metrics.body, 'rtpengine_packets_total')}`);
  }
});
