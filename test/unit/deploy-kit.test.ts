/**
 * (issue 14) The deployment kit is checked against the real daemon:
 *  - a daemon WITH a cluster config (real redis-server on loopback) is scraped; every metric name used in any
 *    PromQL expression of examples/grafana/whisperd-dashboard.json (panels and template queries) and
 *    examples/prometheus/whisperd-alerts.yml must be exported by it (histograms: _bucket/_sum/_count of an
 *    exported histogram); only `up` (made by Prometheus itself) is exempt;
 *  - the dashboard JSON and the rules YAML parse and carry the fields Grafana / Prometheus need, and cover
 *    the failure modes of issue 14 (replication degraded, failsafe trips, load limit, port pool, node down,
 *    standby without an active heartbeat);
 *  - the cluster metric names the kit relies on are the ones src/cluster/metrics.ts declares;
 *  - examples/systemd/whisperd.service passes `systemd-analyze verify` with no warning at all (an unknown key
 *    is a warning), stops later than shutdown.timeoutSeconds, and grants no capability by default.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../../src/config/schema';
import { startTestDaemon } from '../fixtures/daemon';
import { testRedis } from '../fixtures/redis';

const ROOT = path.resolve(__dirname, '../..');
const DASHBOARD = path.join(ROOT, 'examples/grafana/whisperd-dashboard.json');
const ALERTS = path.join(ROOT, 'examples/prometheus/whisperd-alerts.yml');
const UNIT = path.join(ROOT, 'examples/systemd/whisperd.service');

/** Series Prometheus makes itself (not exported by whisperd). */
const PROMETHEUS_MADE = new Set(['up']);
/** The cluster metrics cluster core exports (issue 14's names). */
const CLUSTER_NAMES = [
  'whisperd_cluster_replication_degraded',
  'whisperd_cluster_role',
  'whisperd_cluster_takeovers_total',
  'whisperd_cluster_redis_write_seconds',
  'whisperd_cluster_redis_errors_total',
  'whisperd_cluster_peers',
];
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'Inf', 'NaN']);

/** Metric names in a PromQL expression: identifiers left after strings, label matchers, ranges, grouping clauses and Grafana variables are removed, minus function calls and keywords. */
export function promqlMetricNames(expr: string): string[] {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  s = s.replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const out = new Set<string>();
  for (const m of s.matchAll(/(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const id = m[0];
    if (KEYWORDS.has(id)) continue;
    if (s.slice(m.index! + id.length).trimStart().startsWith('(')) continue; // a function
    out.add(id);
  }
  return [...out];
}

interface Panel {
  type?: string;
  title?: string;
  datasource?: unknown;
  gridPos?: unknown;
  targets?: Array<{ refId?: string; expr?: string }>;
  panels?: Panel[];
}

function dashboardExprs(d: { panels: Panel[]; templating?: { list: Array<{ query?: unknown; definition?: string }> } }): string[] {
  const out: string[] = [];
  const walk = (ps: Panel[]): void => {
    for (const p of ps) {
      for (const tg of p.targets ?? []) if (tg.expr) out.push(tg.expr);
      if (p.panels) walk(p.panels);
    }
  };
  walk(d.panels);
  for (const v of d.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    // label_values(metric, label) names a metric; other template queries are plain values.
    for (const text of [q, v.definition]) {
      const m = text ? /label_values\(\s*([A-Za-z_:][\w:]*)\s*,/.exec(text) : null;
      if (m) out.push(m[1]!);
    }
  }
  return out;
}

/** name -> type, from the `# TYPE` lines of a scrape. */
function exported(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const x = /^# TYPE (\S+) (\S+)/.exec(line);
    if (x) m.set(x[1]!, x[2]!);
  }
  return m;
}

function isExported(name: string, types: Map<string, string>): boolean {
  if (types.has(name)) return true;
  const h = /^(.*)_(bucket|sum|count)$/.exec(name);
  return h !== null && (types.get(h[1]!) === 'histogram' || (h[2] !== 'bucket' && types.get(h[1]!) === 'summary'));
}

t.test('the PromQL name extractor', async (t) => {
  t.strictSame(
    promqlMetricNames('histogram_quantile(0.99, sum by (le, command) (rate(whisperd_ng_command_duration_seconds_bucket{instance=~"$instance"}[$__rate_interval])))'),
    ['whisperd_ng_command_duration_seconds_bucket'],
  );
  t.strictSame(promqlMetricNames('max by (instance) (a_b{role="standby"}) == 1 and on (instance) max by (instance) (c_d) == 0'), ['a_b', 'c_d']);
  t.strictSame(promqlMetricNames('sum(rate(x_total[5m])) * 8 > 1e3 unless y offset 5m'), ['x_total', 'y']);
  t.strictSame(promqlMetricNames('min by (instance) (p / (p + q)) < 0.1'), ['p', 'q']);
});

t.test('dashboard and alert rules name only metrics a clustered daemon exports', async (t) => {
  const redis = await testRedis(t);
  const td = await startTestDaemon({ cluster: { redis: redis.url, node: 'kit-a', heartbeatMs: 100, heartbeatExpiryMs: 1000 } });
  t.teardown(() => td.close());
  t.ok(td.daemon.cluster, 'the daemon runs as a cluster node');
  const types = exported(await (await fetch(`http://127.0.0.1:${td.httpPort}/metrics`)).text());
  t.ok(types.size > 40, `${types.size} metric families exported`);

  const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { title: string; uid: string; schemaVersion: number; panels: Panel[]; templating: { list: Array<{ name: string; query?: unknown; definition?: string }> } };
  const rules = parseYaml(readFileSync(ALERTS, 'utf8')) as { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string; labels: { severity: string }; annotations: { summary: string; description?: string } }> }> };

  const sources: Array<[string, string]> = [
    ...dashboardExprs(dash).map((e): [string, string] => ['dashboard', e]),
    ...rules.groups.flatMap((g) => g.rules.map((r): [string, string] => [`alert ${r.alert}`, r.expr])),
  ];
  const used = new Set<string>();
  for (const [where, expr] of sources) {
    const names = promqlMetricNames(expr);
    t.ok(names.length > 0, `${where}: names a metric: ${expr}`);
    for (const n of names) {
      used.add(n);
      if (!PROMETHEUS_MADE.has(n)) t.ok(isExported(n, types), `${where}: ${n} is exported`);
    }
  }
  // Cover what issue 14 asks the dashboard to show.
  const base = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
  const usedBase = new Set([...used].map(base));
  for (const n of [
    'whisperd_sessions', 'whisperd_ng_commands_total', 'whisperd_ng_command_duration_seconds', 'whisperd_packets_total', 'whisperd_bytes_total',
    'whisperd_packets_dropped_total', 'whisperd_supervision_sessions', 'whisperd_failsafe_total', 'whisperd_recording_failures_total',
    'whisperd_dtls_handshakes_total', 'whisperd_srtp_auth_failures_total', 'whisperd_load_limited', 'whisperd_load_limit_rejections_total',
    'whisperd_ports_free', ...CLUSTER_NAMES,
  ]) {
    t.ok(usedBase.has(n), `the kit shows ${n}`);
  }
  for (const n of CLUSTER_NAMES) t.ok(types.has(n), `clustered daemon exports ${n}`);
  // The six names are the ones cluster core declares (src/cluster/metrics.ts), not just a lucky scrape.
  const declared = readFileSync(path.join(ROOT, 'src/cluster/metrics.ts'), 'utf8');
  for (const n of CLUSTER_NAMES) t.match(declared, new RegExp(`name: '${n}'`), `src/cluster/metrics.ts declares ${n}`);
});

t.test('dashboard JSON: the fields Grafana needs', async (t) => {
  const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { title: string; uid: string; schemaVersion: number; panels: Panel[] };
  t.type(dash.title, 'string');
  t.match(dash.uid, /^[A-Za-z0-9_-]{1,40}$/);
  t.type(dash.schemaVersion, 'number');
  const ids = new Set<number>();
  let graphs = 0;
  for (const p of dash.panels as Array<Panel & { id: number }>) {
    t.notOk(ids.has(p.id), `panel id ${p.id} unique`);
    ids.add(p.id);
    t.ok(p.type && p.title && p.gridPos, `panel ${p.id}: type, title, gridPos`);
    if (p.type === 'row') continue;
    graphs++;
    t.ok(p.datasource, `panel "${p.title}": datasource`);
    t.ok((p.targets ?? []).length > 0 && p.targets!.every((x) => x.refId && x.expr), `panel "${p.title}": targets with refId and expr`);
  }
  t.ok(graphs >= 20, `${graphs} panels`);
});

t.test('alert rules YAML: the fields Prometheus needs; the failure modes of issue 14', async (t) => {
  const doc = parseYaml(readFileSync(ALERTS, 'utf8')) as { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
  t.ok(Array.isArray(doc.groups) && doc.groups.length > 0);
  const names = new Set<string>();
  const exprs: string[] = [];
  for (const g of doc.groups) {
    t.type(g.name, 'string');
    for (const r of g.rules) {
      t.match(r.alert, /^[A-Za-z][A-Za-z0-9]*$/, 'alert name');
      t.notOk(names.has(r.alert as string), `${r.alert} unique`);
      names.add(r.alert as string);
      t.type(r.expr, 'string');
      exprs.push(r.expr as string);
      if (r.for !== undefined) t.match(r.for, /^\d+[smh]$/, `${r.alert}: for`);
      t.ok(['critical', 'warning', 'info'].includes((r.labels as { severity?: string } | undefined)?.severity ?? ''), `${r.alert}: severity`);
      t.type((r.annotations as { summary?: unknown } | undefined)?.summary, 'string', `${r.alert}: summary`);
    }
  }
  const all = exprs.join('\n');
  for (const [mode, re] of [
    ['replication degraded', /whisperd_cluster_replication_degraded/],
    ['failsafe trips', /increase\(whisperd_failsafe_total/],
    ['load limit active', /whisperd_load_limited/],
    ['load limit rejections', /whisperd_load_limit_rejections_total/],
    ['port pool nearly exhausted', /whisperd_ports_free/],
    ['node down', /up\{job="whisperd"\} == 0/],
    ['standby without an active heartbeat', /whisperd_cluster_role\{role="standby"\}[\s\S]*whisperd_cluster_peers/],
  ] as Array<[string, RegExp]>) {
    t.match(all, re, `an alert for ${mode}`);
  }
  const degraded = doc.groups.flatMap((g) => g.rules).find((r) => String(r.expr).includes('replication_degraded'));
  t.equal(degraded?.for, '1m', 'replication degraded for 1m');
});

t.test('systemd unit: systemd-analyze verify, stop timeout, capabilities', async (t) => {
  const out = await new Promise<{ code: number; text: string }>((resolve) => {
    execFile('systemd-analyze', ['verify', UNIT], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, text: `${stdout}${stderr}` });
    });
  });
  t.equal(out.code, 0, 'systemd-analyze verify exits 0 (it must be installed: systemd)');
  t.equal(out.text.trim(), '', 'no warning at all (unknown keys, bad values)');
  const unit = readFileSync(UNIT, 'utf8');
  const key = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(unit)?.[1];
  t.not(key('Type'), 'notify', 'whisperd has no sd_notify');
  t.equal(key('Restart'), 'on-failure');
  const stopS = Number(/^(\d+)s?$/.exec(key('TimeoutStopSec') ?? '')?.[1]);
  const shutdownS = configSchema.parse({}).shutdown.timeoutSeconds;
  t.ok(stopS > shutdownS, `TimeoutStopSec ${stopS} s > shutdown.timeoutSeconds ${shutdownS} s`);
  t.equal(key('CapabilityBoundingSet'), '', 'no capability by default');
  t.equal(key('AmbientCapabilities'), '');
  t.equal(key('NoNewPrivileges'), 'yes');
  t.match(key('ExecStart'), /--config \/etc\/whisperd\/whisperd\.yaml$/);
  const { portMin, portMax } = configSchema.parse({}).media;
  t.ok(Number(key('LimitNOFILE')) >= (portMax - portMin + 1) + 1024, 'LimitNOFILE covers the default port range (a socket per port) plus headroom');
});
