#!/usr/bin/env node
'use strict';
// Relay + control-plane benchmark, whisperd side by side with rtpengine 10.5 userspace.
// See bench/README.md. Usage: node bench/run.js [--quick] [options]   (--help for options)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { DAEMONS, startDaemon, raiseHelpers, rtpengineVersion, killAll, sleep, REPO, schedPrefix, engineOf, engineArgs } = require('./lib/daemons');
const relay = require('./lib/relay');
const { linePlot } = require('./lib/svg');

const HELP = `node bench/run.js [--quick] [options]
  --quick               CI smoke run (< 2 min): 2 rates, 1 repeat, short windows; asserts only that relaying works
  --daemons=a,b         daemons to run (default: every available of rtpengine,whisperd)
  --rates=r1,r2,...     offered total packet rates, pps (each call = 100 pps: 50 pps per direction)
  --repeats=N           sweeps per daemon (default 3)
  --warmup=S --duration=S --drain=S   per-step windows (default 2 / 5 / 2 s)
  --ports=shared|per-call   generator sockets: 'shared' = --pairs port pairs reused by all calls (default),
                        'per-call' = one port pair per call (costs the generator ~2x more per packet)
  --pairs=N             port pairs in shared mode (default 8)
  --sched=fifo|nice|none    scheduling of daemon + generator + control client (default fifo)
  --helpers=above|same  with fifo: daemon threads other than the main one at FIFO 11, main at 10 (default
                        'above', both daemons, re-applied before every step), or all at 10 ('same', the old way)
  --cp-seconds=S        control-plane window per run (default 5)   --cp-k=1,32  outstanding cycles
  --cp-warmup=S         cycles run before the window, not counted, both daemons alike (default 5; quick 1)
  --engine=native|reference|default   whisperd --media.engine (default: not passed); recorded in results.json
  --no-extras           skip the issue-10 extra steps run after each sweep: one step at half of the sweep's max
                        rate by the strict rule (loss < 0.01 %, p99 < 5 ms), then the same step again while
                        lib/cpload.js runs --iso-rate offer/answer/delete cycles/s on the same daemon (isolation)
  --iso-rate=N          control-plane cycles/s during the isolation step (default 1000)
  --cpus=G,D            CPU of the generator + control client, CPU of the daemon (default 0,1)
  --no-selftest --no-control --no-relay
  --out=DIR             result directory (default bench/results/<date>-<host>)
  --from=results.json   only re-write report.md/plots from a saved results.json (no runs)
  --no-latest           do not update bench/results/relay-latest.md (quick runs never do)`;

function parseArgs(argv) {
  const a = {};
  for (const s of argv) {
    if (s === '--help' || s === '-h') { console.log(HELP); process.exit(0); }
    const m = /^--([^=]+)(?:=(.*))?$/.exec(s);
    if (!m) throw new Error(`bad argument ${s}\n${HELP}`);
    a[m[1]] = m[2] === undefined ? true : m[2];
  }
  const quick = !!a.quick;
  const list = (v, d) => (v === undefined ? d : String(v).split(',').filter(Boolean));
  const o = {
    quick,
    daemons: list(a.daemons, null),
    rates: list(a.rates, quick ? ['10000', '50000'] : ['10000', '20000', '50000', '80000', '90000', '100000', '110000', '120000', '140000', '160000', '200000']).map(Number),
    repeats: Number(a.repeats ?? (quick ? 1 : 3)),
    warmup: Number(a.warmup ?? (quick ? 1 : 2)),
    duration: Number(a.duration ?? (quick ? 2 : 5)),
    drain: Number(a.drain ?? (quick ? 1 : 2)),
    ports: a.ports ?? 'shared',
    pairs: Number(a.pairs ?? 8),
    sched: a.sched ?? 'fifo',
    helpers: a.helpers ?? 'above',
    cpSeconds: Number(a['cp-seconds'] ?? (quick ? 2 : 5)),
    // Cycles run but not counted before the window, both daemons alike: a daemon serves for days, so the
    // steady state is what counts (a fresh Node process needs ~5 s of load before its JIT has settled).
    cpWarmup: Number(a['cp-warmup'] ?? (quick ? 1 : 5)),
    cpK: list(a['cp-k'], ['1', '32']).map(Number),
    selftest: !a['no-selftest'],
    control: !a['no-control'],
    relay: !a['no-relay'],
    out: a.out,
    noLatest: !!a['no-latest'],
    from: a.from,
    engine: a.engine === undefined || a.engine === 'default' ? null : String(a.engine),
    extras: !a['no-extras'],
    isoRate: Number(a['iso-rate'] ?? 1000),
    cpus: String(a.cpus ?? '0,1').split(',').map(Number),
  };
  if (o.cpus.length !== 2 || !o.cpus.every((c) => Number.isInteger(c) && c >= 0)) throw new Error('--cpus must be GEN,DAEMON CPU numbers');
  [GEN_CPU, DAEMON_CPU] = o.cpus;
  if (o.engine !== null && !['native', 'reference'].includes(o.engine)) throw new Error('--engine must be native, reference or default');
  for (const r of o.rates) if (!(r >= 100 && r <= 300000)) throw new Error(`rate ${r} out of range 100..300000`);
  if (!['shared', 'per-call'].includes(o.ports)) throw new Error('--ports must be shared or per-call');
  if (!['above', 'same'].includes(o.helpers)) throw new Error('--helpers must be above or same');
  return o;
}

// --cpus=GEN,DAEMON (default 0,1) sets these before anything runs
let GEN_CPU = 0;
let DAEMON_CPU = 1;
const NG_PORT = 22290;
const HTTP_PORT = 22292;
const MEDIA_MIN = 10100; // 300 kpps = 3,000 calls = 12,000 ports, and a deleted call keeps its ports for delete-delay (30 s, both daemons): the previous steps' too; above the generator's 4000..10000
const MEDIA_MAX = 60000;
const GEN_BASE = 4000; // generator ports 4000.. (outside the relay range and the ephemeral range)
const RCVBUF = 32 << 20;
const LATE_LIMIT_MS = 20; // a packet later than one ptime is useless to a jitter buffer
// Issue 10's strict rule: loss < 0.01 % and p99 < 5 ms (generator on schedule)
const STRICT_LOSS_PCT = 0.01;
const STRICT_P99_US = 5000;

function sh(cmd, args) {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch { return ''; }
}

function machine() {
  const l = sh('lscpu', []);
  const get = (k) => (new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(l) || [])[1] || '?';
  return {
    host: os.hostname(),
    cpu: get('Model name'),
    cpus: get('CPU\\(s\\)'),
    threadsPerCore: get('Thread\\(s\\) per core'),
    hypervisor: get('Hypervisor vendor'),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    rtpengine: rtpengineVersion(),
    cc: sh('cc', ['--version']).split('\n')[0],
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    loadavgStart: fs.readFileSync('/proc/loadavg', 'utf8').trim(),
  };
}

function buildGenerator() {
  const dir = path.join(__dirname, 'loadgen');
  const src = path.join(dir, 'rtpgen.c');
  const bin = path.join(dir, 'build', 'rtpgen');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  if (!fs.existsSync(bin) || fs.statSync(bin).mtimeMs < fs.statSync(src).mtimeMs) {
    execFileSync('cc', ['-O2', '-Wall', '-o', bin, src], { stdio: 'inherit' });
  }
  return bin;
}

function whisperdBuildable() {
  // whisperd counts as landed once src/main.ts is committed; then build it like `make build` does
  if (!sh('git', ['-C', REPO, 'ls-files', 'src/main.ts'])) return { ok: false, why: 'src/main.ts not in git yet (whisperd not landed)' };
  let warn = '';
  try {
    execFileSync('npx', ['tsc', '-p', REPO], { cwd: REPO, stdio: 'pipe' });
  } catch (e) {
    // tsc still emits JS on type errors (noEmitOnError is off); errors elsewhere in the tree must not block the bench
    warn = `npx tsc -p reported errors: ${String(e.stdout || e.message).split('\n').slice(0, 2).join(' ')}`;
    console.log(`warning: ${warn}`);
  }
  return DAEMONS.whisperd.available() ? { ok: true, warn } : { ok: false, why: `dist/src/main.js missing after build; ${warn}` };
}

const median = (xs) => {
  const a = xs.filter((v) => Number.isFinite(v)).sort((x, y) => x - y);
  if (!a.length) return NaN;
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const spread = (xs) => {
  const a = xs.filter((v) => Number.isFinite(v));
  return a.length ? [Math.min(...a), Math.max(...a)] : [NaN, NaN];
};

/** A step is valid when the generator kept its schedule and dropped nothing itself. */
function judge(r) {
  const validGen = r.gen_rx_drops === 0 && r.send_err === 0 && r.send_short === 0
    && r.late_sends_1ms <= 0.01 * r.sent && r.sent_pps >= 0.98 * r.offered_pps;
  const zeroLoss = r.lost_measure === 0 && r.lost_all === 0;
  const timely = r.lat_kernel.n > 0 && r.lat_kernel.p999_us <= LATE_LIMIT_MS * 1000;
  const strict = validGen && r.sent > 0 && (100 * r.lost_all) / r.sent < STRICT_LOSS_PCT && r.lat_kernel.n > 0 && r.lat_kernel.p99_us < STRICT_P99_US;
  return { validGen, zeroLoss, pass: validGen && zeroLoss && timely, strict };
}

async function relayStep(ctx, daemon, rate, tag, hooks = {}) {
  const n = Math.round(rate / 100);
  const shared = ctx.o.ports === 'shared' ? ctx.o.pairs : 0;
  let calls;
  const ports = await relay.freePorts(2 * (shared > 0 ? Math.min(shared, n) : n), GEN_BASE);
  const t0 = Date.now();
  if (daemon) calls = await relay.setupCalls(daemon.ng, n, { tag, ports, shared });
  else calls = relay.selfCalls(n, ports, shared);
  const setupMs = Date.now() - t0;
  const callsFile = path.join(ctx.tmp, `calls-${tag}.txt`);
  relay.writeCallsFile(callsFile, calls);
  const loadavg = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  let r;
  let hooked = null;
  try {
    if (hooks.beforeGen) hooked = await hooks.beforeGen(); // e.g. start the isolation step's control load
    r = await relay.runGenerator({
      bin: ctx.bin, callsFile, warmup: ctx.o.warmup, duration: ctx.o.duration, drain: ctx.o.drain,
      rcvbuf: RCVBUF, daemonPid: daemon ? daemon.pid : 0, cpu: GEN_CPU, sched: ctx.o.sched,
      timeoutMs: (ctx.o.warmup + ctx.o.duration + ctx.o.drain + 30) * 1000,
    });
  } finally {
    if (hooks.afterGen) await hooks.afterGen(hooked);
    if (daemon) await relay.deleteCalls(daemon.ng, calls);
    fs.rmSync(callsFile, { force: true });
  }
  r.setup_ms = setupMs;
  r.loadavg = loadavg;
  r.rate = rate;
  Object.assign(r, judge(r));
  return r;
}

function stepLine(name, r) {
  const k = r.lat_kernel;
  return `${name.padEnd(10)} ${String(r.rate).padStart(6)} pps: delivered ${r.delivered_pps.toFixed(0).padStart(6)} lost ${String(r.lost_all).padStart(6)}`
    + ` lat p50/p99/p99.9 ${k.p50_us.toFixed(0)}/${k.p99_us.toFixed(0)}/${k.p999_us.toFixed(0)} us`
    + ` daemonCPU ${r.daemon_cpu_pct ?? '-'}% genCPU ${r.gen_cpu_pct}% ${r.pass ? 'PASS' : r.validGen ? 'fail' : 'GEN-LATE'}${r.strict ? ' strict-pass' : ''}`;
}

/** With --sched=fifo --helpers=above: the daemon's non-main threads one FIFO priority above its main thread. */
function helpersUp(ctx, daemon) {
  if (!daemon || ctx.o.sched !== 'fifo' || ctx.o.helpers !== 'above') return null;
  return raiseHelpers(daemon.pid, 11);
}
const HELPERS_NOTE = '; then chrt -f -p 11 <each non-main thread> (re-applied before every step)';

async function runSweep(ctx, name, rep) {
  const steps = [];
  let daemon = null;
  if (name !== 'selftest') {
    daemon = await startDaemon({
      name, cpu: DAEMON_CPU, sched: ctx.o.sched, ngPort: NG_PORT, httpPort: HTTP_PORT,
      portMin: MEDIA_MIN, portMax: MEDIA_MAX, logFile: path.join(ctx.tmp, `${name}.log`),
      extraArgs: name === 'whisperd' ? engineArgs(ctx.o.engine) : [], requireNative: ctx.o.engine === 'native',
    });
    if (name === 'whisperd') ctx.engine = await engineOf(HTTP_PORT, ctx.o.engine);
    const h = helpersUp(ctx, daemon);
    ctx.commands[name] = daemon.command + (h ? HELPERS_NOTE : '');
    if (h) console.log(`  [${rep}] ${name}: ${h.threads} non-main threads raised to SCHED_FIFO 11 (main thread ${daemon.pid} at 10)`);
  }
  let fails = 0;
  try {
    for (const rate of ctx.o.rates) {
      if (daemon && !daemon.alive()) throw new Error(`${name} died; see ${path.join(ctx.tmp, `${name}.log`)}`);
      const h = helpersUp(ctx, daemon);
      if (h && h.changed) console.log(`  [${rep}] ${name}: ${h.changed} new thread(s) raised to SCHED_FIFO 11`);
      const r = await relayStep(ctx, daemon, rate, `${name}-r${rep}-${rate}`);
      if (h) r.helper_threads = h.threads;
      steps.push(r);
      console.log(`  [${rep}] ${stepLine(name, r)}`);
      ctx.genCommand = r.command.replace(/--calls \S+/, '--calls <file>').replace(/--daemon-pid \d+/, '--daemon-pid <pid>');
      fails = r.pass ? 0 : fails + 1;
      if (fails >= 2 && !ctx.o.quick) break; // two failing steps in a row: past saturation
      await sleep(500);
    }
    if (daemon && ctx.o.extras) (ctx.extra[name] ??= []).push(await extraSteps(ctx, daemon, name, rep, steps));
    if (daemon) daemon.assertNative(); // --engine=native: the log must not say the daemon fell back to JS
  } finally {
    if (daemon) await daemon.stop();
  }
  return steps;
}

/** Highest rate of a sweep such that it and every lower step passed the strict rule (0 = none). */
function strictMax(steps) {
  let best = 0;
  for (const r of steps) { if (r.strict) best = r.rate; else break; }
  return best;
}

/**
 * Issue-10 extra steps on the same (warm) daemon after its sweep: (a) one step at half of the sweep's max
 * rate by the strict rule (target: p99.9 <= 1 ms there), (b) the same rate again while lib/cpload.js runs
 * --iso-rate offer/answer/delete cycles/s against the same daemon (isolation: p99.9 <= 1 ms).
 */
async function extraSteps(ctx, daemon, name, rep, steps) {
  const max = strictMax(steps);
  const out = { rep, strictMax: max, half: null, iso: null, cp: null, why: null, error: null };
  try {
    await extraStepsIn(ctx, daemon, name, rep, max, out);
  } catch (e) {
    out.error = e.message;
    console.log(`  [${rep}] ${name}: extra steps FAILED: ${e.message}`);
  }
  return out;
}

async function extraStepsIn(ctx, daemon, name, rep, max, out) {
  if (max === 0 && !ctx.o.quick) { out.why = 'no step passed the strict rule, so there is no half-max rate'; console.log(`  [${rep}] ${name}: extras skipped: ${out.why}`); return; }
  // quick (smoke) mode exercises the steps even when nothing passed: at the lowest rate, marked
  if (max === 0) out.why = `quick mode: no step passed the strict rule; extras ran at the lowest rate instead of half the max`;
  const rate = max === 0 ? ctx.o.rates[0] : Math.max(1000, Math.round(max / 2 / 1000) * 1000);
  helpersUp(ctx, daemon);
  out.half = await relayStep(ctx, daemon, rate, `${name}-r${rep}-half-${rate}`);
  console.log(`  [${rep}] ${stepLine(`${name} ½max`, out.half)}`);
  await sleep(500);
  // isolation: paced control-plane load (on the generator's core) from after the relay calls are set up
  // until the generator is done, i.e. over its warm-up, measurement window and drain. Normal scheduling:
  // at SCHED_FIFO, a cpload that falls behind a slow daemon spins and starves the (FIFO) packet generator
  // on the same CPU — the step then never ends (seen against whisperd on 2 vCPUs). Its achieved rate is
  // reported, and the row counts only at >= 95 % of --iso-rate.
  const argv = ['taskset', '-c', String(GEN_CPU), process.execPath,
    path.join(__dirname, 'lib', 'cpload.js'), String(NG_PORT), String(ctx.o.isoRate), `iso${rep}`];
  ctx.isoCommand = argv.join(' ').replace(/iso\d+$/, '<tag>');
  const { spawn } = require('node:child_process');
  const startLoad = async () => {
    const cp = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const st = { cp, out: '', err: '' };
    cp.stdout.on('data', (d) => { st.out += d; });
    st.exited = new Promise((resolve) => cp.on('exit', (code) => resolve(code)));
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => { cp.kill('SIGKILL'); reject(new Error(`cpload did not start within 15 s: ${st.err}`)); }, 15000);
      cp.stderr.on('data', (d) => { st.err += d; if (/ready/.test(st.err)) { clearTimeout(t); resolve(); } });
      cp.on('exit', (code) => { clearTimeout(t); reject(new Error(`cpload exited ${code}: ${st.err}`)); });
    });
    return st;
  };
  const stopLoad = async (st) => {
    if (!st) return;
    st.cp.kill('SIGTERM');
    const code = await st.exited;
    try { out.cp = JSON.parse(st.out); } catch { out.cp = { error: `cpload exited ${code}, output not JSON: ${st.out.slice(0, 200)} ${st.err.slice(0, 200)}` }; }
  };
  helpersUp(ctx, daemon);
  out.iso = await relayStep(ctx, daemon, rate, `${name}-r${rep}-iso-${rate}`, { beforeGen: startLoad, afterGen: stopLoad });
  console.log(`  [${rep}] ${stepLine(`${name} iso`, out.iso)}; control ${out.cp?.cycles_per_s?.toFixed(0)} of ${ctx.o.isoRate} cycles/s (errors ${JSON.stringify(out.cp?.errors ?? out.cp?.error)})`);
}

function runControl(ctx, name, rep) {
  return (async () => {
    const daemon = await startDaemon({
      name, cpu: DAEMON_CPU, sched: ctx.o.sched, ngPort: NG_PORT, httpPort: HTTP_PORT,
      portMin: MEDIA_MIN, portMax: MEDIA_MAX, logFile: path.join(ctx.tmp, `${name}-cp.log`),
      extraArgs: name === 'whisperd' ? engineArgs(ctx.o.engine) : [], requireNative: ctx.o.engine === 'native',
    });
    const out = [];
    try {
      for (const k of ctx.o.cpK) {
        helpersUp(ctx, daemon);
        const argv = [...schedPrefix(ctx.o.sched), 'taskset', '-c', String(GEN_CPU), process.execPath,
          path.join(__dirname, 'lib', 'ctlbench.js'), String(NG_PORT), String(k), String(ctx.o.cpSeconds), `cp${rep}k${k}`, String(ctx.o.cpWarmup)];
        ctx.cpCommand = argv.join(' ').replace(/cp\d+k\d+ /, '<tag> ');
        const txt = execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: (ctx.o.cpSeconds + ctx.o.cpWarmup + 30) * 1000 });
        const r = JSON.parse(txt);
        out.push(r);
        daemon.assertNative();
        console.log(`  [${rep}] ${name.padEnd(10)} control K=${k}: ${r.cycles_per_s.toFixed(0)} cycles/s, command p50 ${r.all.p50_ms?.toFixed(3)} ms p99 ${r.all.p99_ms?.toFixed(3)} ms, errors ${JSON.stringify(r.errors)}`);
      }
    } finally {
      await daemon.stop();
    }
    return out;
  })();
}

// ---------- aggregation and report ----------

function aggregateRelay(sweeps, rates) {
  // sweeps: [[step...], ...] per repeat
  const rows = [];
  for (const rate of rates) {
    const rs = sweeps.map((s) => s.find((r) => r.rate === rate)).filter(Boolean);
    if (!rs.length) continue;
    const f = (g) => rs.map(g);
    rows.push({
      rate, n: rs.length,
      delivered: median(f((r) => r.delivered_pps)), deliveredSpread: spread(f((r) => r.delivered_pps)),
      lost: median(f((r) => r.lost_all)), lostSpread: spread(f((r) => r.lost_all)),
      lossPct: median(f((r) => (r.sent ? (100 * r.lost_all) / r.sent : NaN))),
      p50: median(f((r) => r.lat_kernel.p50_us)), p99: median(f((r) => r.lat_kernel.p99_us)),
      p999: median(f((r) => r.lat_kernel.p999_us)), p99Spread: spread(f((r) => r.lat_kernel.p99_us)),
      p999Spread: spread(f((r) => r.lat_kernel.p999_us)),
      app99: median(f((r) => r.lat_app.p99_us)),
      cpuUsPerPkt: median(f((r) => (r.daemon_cpu_pct / 100 / r.delivered_pps) * 1e6)),
      cpu: median(f((r) => r.daemon_cpu_pct)), rss: median(f((r) => r.daemon_rss_max_kb)),
      genCpu: median(f((r) => r.gen_cpu_pct)),
      passes: rs.filter((r) => r.pass).length, zeroLoss: rs.filter((r) => r.zeroLoss).length, strictPasses: rs.filter((r) => r.strict).length,
      genLimited: rs.filter((r) => !r.validGen).length,
      lateFrac: median(f((r) => r.late_sends_1ms / Math.max(1, r.sent))), maxLateMs: Math.max(...f((r) => r.max_send_late_us / 1000)),
    });
  }
  // max rate per repeat: highest step with pass (no loss, p99.9 <= 20 ms, generator on schedule) and all lower steps passing
  const maxPass = sweeps.map((s) => {
    let best = 0;
    for (const r of s) { if (r.pass) best = r.rate; else break; }
    return best;
  });
  const maxZeroLoss = sweeps.map((s) => {
    let best = 0;
    for (const r of s) { if (r.zeroLoss && r.validGen) best = r.rate; else break; }
    return best;
  });
  const maxStrict = sweeps.map(strictMax);
  return { rows, maxPass, maxZeroLoss, maxStrict, maxPassMedian: median(maxPass), maxZeroLossMedian: median(maxZeroLoss), maxStrictMedian: median(maxStrict) };
}

/** Re-bin a generator histogram ([lo_us, width_us, count], 1/100/10000 us resolution) to 20 buckets per decade. */
function rebin(buckets) {
  const m = new Map();
  for (const [lo, w, c] of buckets) {
    const mid = Math.max(lo + w / 2, 0.5);
    const k = Math.floor(Math.log10(mid) * 20);
    m.set(k, (m.get(k) ?? 0) + c);
  }
  return [...m.entries()].sort((a, b) => a[0] - b[0])
    .map(([k, c]) => { const lo = Number((10 ** (k / 20)).toPrecision(4)); return [lo, Number((10 ** ((k + 1) / 20) - lo).toPrecision(4)), c]; });
}
function slim(res) {
  const s = (r) => ({ ...r, lat_kernel: { ...r.lat_kernel, buckets: rebin(r.lat_kernel.buckets) }, lat_app: { ...r.lat_app, buckets: rebin(r.lat_app.buckets) } });
  return {
    selftest: res.selftest && res.selftest.map(s),
    relay: Object.fromEntries(Object.entries(res.relay).map(([n, sw]) => [n, sw.map((steps) => steps.map(s))])),
    control: res.control,
    extra: Object.fromEntries(Object.entries(res.extra ?? {}).map(([n, xs]) => [n, xs.map((x) => ({ ...x, half: x.half && s(x.half), iso: x.iso && s(x.iso) }))])),
  };
}

function mergeHist(steps) {
  const m = new Map();
  for (const r of steps) for (const [lo, w, c] of r.lat_kernel.buckets) {
    const k = `${lo},${w}`;
    m.set(k, (m.get(k) ?? 0) + c);
  }
  const b = [...m.entries()].map(([k, c]) => { const [lo, w] = k.split(',').map(Number); return [lo, w, c]; }).sort((x, y) => x[0] - y[0]);
  const total = b.reduce((s, x) => s + x[2], 0);
  // complementary CDF points: P(latency > x), thinned to >= 2 % steps in x
  const pts = [];
  let acc = 0;
  for (let i = 0; i < b.length; i++) {
    const [lo, w, c] = b[i];
    acc += c;
    const x = Math.max(lo + w, 1);
    const pt = [x, Math.max((total - acc) / total, 0.5 / total)];
    if (!pts.length || x >= pts[pts.length - 1][0] * 1.02 || i === b.length - 1) pts.push(pt);
    else pts[pts.length - 1] = pt;
  }
  return { total, pts };
}

const fmtN = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '–');
const fmtR = ([a, b], d = 0) => (Number.isFinite(a) ? (a === b ? fmtN(a, d) : `${fmtN(a, d)}–${fmtN(b, d)}`) : '–');

function writeReport(ctx, res) {
  const { o, mach } = ctx;
  const dir = ctx.outDir;
  const L = [];
  const names = Object.keys(res.relay);
  const agg = Object.fromEntries(names.map((n) => [n, aggregateRelay(res.relay[n], o.rates)]));
  L.push(`# whisperd relay + control-plane benchmark${o.quick ? ' (quick mode)' : ''}`);
  L.push('');
  L.push(`Date: ${ctx.started.toISOString()}${ctx.regenerated ? (ctx.wallS ? `  ·  wall time ${ctx.wallS} s` : '') : `  ·  wall time ${((Date.now() - ctx.started.getTime()) / 1000).toFixed(0)} s`}`);
  L.push('');
  L.push('## Machine');
  L.push('');
  L.push(`- CPU: ${mach.cpu}, ${mach.cpus} CPUs (${mach.threadsPerCore} thread/core), hypervisor ${mach.hypervisor}, ${mach.memGiB} GiB RAM`);
  L.push(`- Kernel: ${mach.kernel}; Node ${mach.node}; ${mach.cc}`);
  L.push(`- rtpengine: ${mach.rtpengine}`);
  L.push(`- whisperd: ${ctx.whisperd.ok ? `git ${ctx.gitRev}${ctx.whisperd.warn ? ` (build: ${ctx.whisperd.warn})` : ''}` : `not run — ${ctx.whisperd.why}`}`);
  if (ctx.engine) L.push(`- whisperd media engine: requested ${ctx.engine.requested}; reported by the daemon: ${ctx.engine.reported ?? ctx.engine.reportedBy}`);
  if (!ctx.regenerated) mach.loadavgEnd = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  L.push(`- loadavg at start: ${mach.loadavgStart}; at end: ${mach.loadavgEnd ?? '(not recorded)'} (the machine may be shared with other work; daemon and generator run SCHED_${o.sched === 'fifo' ? 'FIFO' : 'OTHER'} to isolate them)`);
  L.push('');
  L.push('## How it was run');
  L.push('');
  L.push('```');
  L.push(`node bench/run.js ${ctx.argv.join(' ')}`.trim());
  for (const [n, c] of Object.entries(ctx.commands)) L.push(`# ${n}: ${c}`);
  if (ctx.genCommand) L.push(`# generator: ${ctx.genCommand}`);
  if (ctx.cpCommand) L.push(`# control plane: ${ctx.cpCommand}`);
  if (ctx.isoCommand) L.push(`# isolation control load (open loop, during the isolation step): ${ctx.isoCommand}`);
  L.push('```');
  L.push('');
  L.push(`Relay under test pinned to CPU ${DAEMON_CPU} (rtpengine: --num-threads=1 --media-num-threads=1, table=-1 userspace; whisperd: one Node process); `
    + `generator (C, sendmmsg/recvmmsg, one thread) and the control-plane client pinned to CPU ${GEN_CPU}. `
    + `Each step: N = rate/100 two-party PCMU calls set up with ng offer+answer (Kamailio-style keys), 172-byte RTP every 20 ms per direction, `
    + `${o.warmup} s warm-up, ${o.duration} s measurement window, up to ${o.drain} s drain, then ng delete. Generator sockets: ${o.ports === 'shared' ? `${o.pairs} shared port pairs (calls told apart by SSRC)` : 'one port pair per call'}. `
    + `Latency = kernel receive timestamp of the relayed packet at the generator (SO_TIMESTAMPNS, i.e. the relay's egress on loopback) minus the instant the generator's sendmmsg delivered it to the relay's socket (ingress), matched by SSRC + sequence; measurement-window packets only. `
    + `A step PASSES when nothing is lost after draining, p99.9 ≤ ${LATE_LIMIT_MS} ms (later than one ptime is lost to a jitter buffer), and the generator kept its schedule (no generator drops, ≤ 1 % sends > 1 ms late; otherwise the step is GEN-LATE and never passes). `
    + `Repeats: ${o.repeats}; tables show medians with min–max across repeats. `
    + (o.sched === 'fifo' ? (o.helpers === 'same' ? 'Every daemon thread at SCHED_FIFO 10 (--helpers=same). ' : 'Both daemons: main thread at SCHED_FIFO 10, every other thread at 11 (Node\'s V8/libuv helpers; rtpengine\'s poller/timer threads), re-applied before every step; same core, same RT budget. ') : '')
    + (o.sched === 'fifo' ? `With SCHED_FIFO the kernel's RT throttling (sched_rt_runtime_us ${sh('cat', ['/proc/sys/kernel/sched_rt_runtime_us'])} of ${sh('cat', ['/proc/sys/kernel/sched_rt_period_us'])}) caps each side at ~95 % of its core, which is why saturated daemons read ~95 % CPU. ` : '')
    + 'CPU µs/pkt = daemon CPU time / packets delivered (each delivered packet was received and sent once by the relay). '
    + `Issue 10's strict rule (column "strict"): loss < ${STRICT_LOSS_PCT} % and p99 < ${STRICT_P99_US / 1000} ms with the generator on schedule.`);
  L.push('');

  if (res.selftest) {
    const a = aggregateRelay([res.selftest], o.rates);
    L.push('## Generator self-test (no relay: A sends straight to B)');
    L.push('');
    L.push('Shows the generator is not the bottleneck and the measurement floor.');
    L.push('');
    L.push('| offered pps | delivered pps | lost | p50 µs | p99 µs | p99.9 µs | generator CPU % | sends > 1 ms late | max send lateness ms | on schedule |');
    L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|');
    for (const r of a.rows) L.push(`| ${r.rate} | ${fmtN(r.delivered)} | ${fmtN(r.lost)} | ${fmtN(r.p50, 1)} | ${fmtN(r.p99, 1)} | ${fmtN(r.p999, 1)} | ${fmtN(r.genCpu)} | ${fmtN(100 * r.lateFrac, 2)} % | ${fmtN(r.maxLateMs, 1)} | ${r.genLimited ? 'no' : 'yes'} |`);
    L.push('');
    L.push('Send lateness well below the generator\'s CPU limit (e.g. several ms at 10–50 % generator CPU) means the core was taken away from a SCHED_FIFO task (interrupts/softirq of other work, or the hypervisor); the relay sees the same kind of stall, which is where most of the ms-scale p99.9 values at low load come from on a shared VM.');
    L.push('');
  }

  if (names.length) {
    L.push('## Relay: 2-party G.711, one core');
    L.push('');
    L.push('| daemon | max passing rate (pps) median [per repeat] | max zero-loss rate, latency ignored (pps) | max rate by the strict rule (loss < 0.01 %, p99 < 5 ms) |');
    L.push('|---|---:|---:|---:|');
    const top = Math.max(...o.rates);
    const lb = (v) => (v >= top ? `≥ ${fmtN(v)}` : fmtN(v));
    for (const n of names) L.push(`| ${n} | **${lb(agg[n].maxPassMedian)}** [${agg[n].maxPass.join(', ')}] | ${lb(agg[n].maxZeroLossMedian)} [${agg[n].maxZeroLoss.join(', ')}] | ${lb(agg[n].maxStrictMedian)} [${agg[n].maxStrict.join(', ')}] |`);
    L.push('');
    for (const n of names) {
      L.push(`### ${n}`);
      L.push('');
      L.push('| offered pps | delivered pps | lost pkts (loss %) | p50 µs | p99 µs | p99.9 µs | daemon CPU % | CPU µs/pkt | daemon RSS MiB | gen CPU % | pass/runs | strict |');
      L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|:--:|');
      for (const r of agg[n].rows) {
        L.push(`| ${r.rate} | ${fmtN(r.delivered)} (${fmtR(r.deliveredSpread)}) | ${fmtN(r.lost)} (${fmtN(r.lossPct, 3)} %) | ${fmtN(r.p50, 1)} | ${fmtN(r.p99, 1)} (${fmtR(r.p99Spread, 1)}) | ${fmtN(r.p999, 1)} (${fmtR(r.p999Spread, 1)}) | ${fmtN(r.cpu)} | ${fmtN(r.cpuUsPerPkt, 2)} | ${fmtN(r.rss / 1024, 1)} | ${fmtN(r.genCpu)} | ${r.passes}/${r.n}${r.genLimited ? ` (${r.genLimited} gen-late)` : ''} | ${r.strictPasses}/${r.n} |`);
      }
      L.push('');
    }
    L.push('![throughput](throughput.svg)');
    L.push('');
    L.push('![latency](latency.svg)');
    L.push('');
    L.push('![latency vs load](latency-vs-load.svg)');
    L.push('');
  }

  const exNames = Object.keys(res.extra ?? {});
  if (exNames.length) {
    L.push('## Issue-10 extra steps: half of the strict max rate, and isolation from the control plane');
    L.push('');
    L.push(`After each sweep, on the same daemon: one step at half of that sweep's max rate by the strict rule, then the same step while \`lib/cpload.js\` starts ${o.isoRate} offer+answer+delete cycles/s (open loop, up to 256 in flight) on the same daemon. Targets (whisperd): p99.9 ≤ 1 ms in both.`);
    L.push('');
    L.push('| daemon | repeat | strict max pps | step pps | p50 / p99 / p99.9 µs quiet | p50 / p99 / p99.9 µs with control load | lost quiet / loaded | control cycles/s achieved (target) | control errors | command p99 ms |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of exNames) for (const x of res.extra[n]) {
      if (!x.half) { L.push(`| ${n} | ${x.rep} | ${fmtN(x.strictMax)} | – | ${x.why} | | | | | |`); continue; }
      const k = (r) => (r ? `${fmtN(r.lat_kernel.p50_us, 0)} / ${fmtN(r.lat_kernel.p99_us, 0)} / ${fmtN(r.lat_kernel.p999_us, 0)}` : '–');
      const errs = x.cp && x.cp.errors ? Object.values(x.cp.errors).reduce((a, b) => a + b, 0) : (x.cp?.error ?? '–');
      L.push(`| ${n} | ${x.rep} | ${fmtN(x.strictMax)} | ${x.half.rate} | ${k(x.half)} | ${k(x.iso)} | ${x.half.lost_all} / ${x.iso?.lost_all ?? '–'} | ${fmtN(x.cp?.cycles_per_s)} (${o.isoRate}) | ${errs} | ${fmtN(x.cp?.command?.p99_ms, 2)} |`);
    }
    L.push('');
  }

  const cpNames = Object.keys(res.control);
  const cpAgg = {};
  if (cpNames.length) {
    L.push('## Control plane: offer + answer + delete cycles');
    L.push('');
    L.push(`Node client (one UDP socket, cookie-matched replies), K cycles in flight, ${o.cpSeconds} s window after ${o.cpWarmup} s of warm-up (both daemons); latency = request sent → reply parsed, all three commands.`);
    L.push('');
    L.push('| daemon | K | cycles/s median (min–max) | commands/s | offer p50/p99 ms | answer p50/p99 ms | delete p50/p99 ms | all p50 / p99 / p99.9 ms | errors |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const n of cpNames) {
      cpAgg[n] = {};
      for (const k of o.cpK) {
        const rs = res.control[n].map((rep) => rep.find((r) => r.k === k)).filter(Boolean);
        const m = (g) => median(rs.map(g));
        const errs = rs.reduce((s, r) => s + Object.values(r.errors).reduce((x, y) => x + y, 0), 0);
        cpAgg[n][k] = m((r) => r.cycles_per_s);
        L.push(`| ${n} | ${k} | ${fmtN(m((r) => r.cycles_per_s))} (${fmtR(spread(rs.map((r) => r.cycles_per_s)))}) | ${fmtN(m((r) => r.commands_per_s))} | ${fmtN(m((r) => r.offer.p50_ms), 3)} / ${fmtN(m((r) => r.offer.p99_ms), 3)} | ${fmtN(m((r) => r.answer.p50_ms), 3)} / ${fmtN(m((r) => r.answer.p99_ms), 3)} | ${fmtN(m((r) => r.delete.p50_ms), 3)} / ${fmtN(m((r) => r.delete.p99_ms), 3)} | ${fmtN(m((r) => r.all.p50_ms), 3)} / ${fmtN(m((r) => r.all.p99_ms), 3)} / ${fmtN(m((r) => r.all.p999_ms), 3)} | ${errs} |`);
      }
    }
    L.push('');
  }

  // ratios and targets
  L.push('## Targets and ratios');
  L.push('');
  const w = agg.whisperd;
  const e = agg.rtpengine;
  if (w && e) {
    L.push(`- Relay throughput ratio whisperd / rtpengine (max passing rate, one core each): **${fmtN(w.maxPassMedian / e.maxPassMedian, 2)}** (${fmtN(w.maxPassMedian)} / ${fmtN(e.maxPassMedian)} pps)`);
    L.push(`- Relay ratio by zero-loss rate (latency ignored): **${fmtN(w.maxZeroLossMedian / e.maxZeroLossMedian, 2)}** (${fmtN(w.maxZeroLossMedian)} / ${fmtN(e.maxZeroLossMedian)} pps)`);
    const both = o.rates.filter((rate) => [w, e].every((a) => { const r = a.rows.find((x) => x.rate === rate); return r && r.passes === r.n; }));
    const rr = both.length ? both[both.length - 1] : null;
    if (rr) {
      const cw = w.rows.find((x) => x.rate === rr).cpuUsPerPkt;
      const ce = e.rows.find((x) => x.rate === rr).cpuUsPerPkt;
      L.push(`- CPU cost per relayed packet at ${rr} pps (highest rate both passed in every repeat): whisperd ${fmtN(cw, 2)} µs, rtpengine ${fmtN(ce, 2)} µs → throughput-per-core ratio from CPU cost **${fmtN(ce / cw, 2)}** (less noisy than the pass/fail boundary)`);
    }
    if (cpAgg.whisperd && cpAgg.rtpengine) for (const k of o.cpK) L.push(`- Control-plane ratio whisperd / rtpengine at K=${k}: **${fmtN(cpAgg.whisperd[k] / cpAgg.rtpengine[k], 2)}** (${fmtN(cpAgg.whisperd[k])} / ${fmtN(cpAgg.rtpengine[k])} cycles/s)`);
  } else L.push('- Ratio whisperd / rtpengine: not available (only ' + (names.join(', ') || 'no daemon') + ' ran).');
  const tgt = [];
  for (const n of o.quick ? [] : names) {
    const a = agg[n];
    const at100 = a.rows.find((r) => r.rate === 100000);
    const thr = a.maxPassMedian >= 100000;
    tgt.push(`| ${n} | relay ≥ 100k pps/core at zero loss | ${thr ? 'met' : 'not met'} (${fmtN(a.maxPassMedian)} pps) |`);
    if (at100) tgt.push(`| ${n} | p99 added latency ≤ 1 ms at 100k pps | ${at100.p99 <= 1000 && at100.lost === 0 ? 'met' : 'not met'} (p99 ${fmtN(at100.p99, 1)} µs, lost ${fmtN(at100.lost)}) |`);
    else tgt.push(`| ${n} | p99 added latency ≤ 1 ms at 100k pps | not measured (100k not in the sweep) |`);
  }
  if (w && e && !o.quick) tgt.push(`| whisperd | relay throughput/core ≥ rtpengine userspace | ${w.maxPassMedian >= e.maxPassMedian ? 'met' : 'not met'} |`);
  if (tgt.length) {
    L.push('');
    L.push('| daemon | target | result |');
    L.push('|---|---|---|');
    L.push(...tgt);
  }
  L.push('');
  if (o.quick) L.push('_Quick mode: one short repeat, two rates; targets are not evaluated and nothing machine-dependent is asserted; figures are indicative only._\n');
  L.push('Raw per-step results (including latency histograms): `results.json` in this directory.');
  L.push('');
  fs.writeFileSync(path.join(dir, 'report.md'), L.join('\n'));

  // plots
  if (names.length) {
    const series = [];
    for (const n of names) series.push({ name: `${n} delivered`, points: agg[n].rows.map((r) => [r.rate, r.delivered]) });
    if (res.selftest) series.push({ name: 'generator self-test', dash: true, points: aggregateRelay([res.selftest], o.rates).rows.map((r) => [r.rate, r.delivered]) });
    series.push({ name: 'ideal (= offered)', dash: true, color: '#aaa', markers: false, points: [[0, 0], [Math.max(...o.rates), Math.max(...o.rates)]] });
    fs.writeFileSync(path.join(dir, 'throughput.svg'), linePlot(series, {
      title: 'Relay throughput vs offered load (one core, median of repeats)', xLabel: 'offered packets/s (total, both directions)', yLabel: 'delivered packets/s in window', xMin: 0, yMin: 0,
    }));
    // latency distribution at the highest rate every daemon passed (else the lowest rate)
    const common = o.rates.filter((rate) => names.every((n) => agg[n].rows.find((r) => r.rate === rate && r.passes > 0)));
    const rate = common.length ? common[common.length - 1] : o.rates[0];
    const ls = [];
    for (const n of names) {
      const steps = res.relay[n].map((s) => s.find((r) => r.rate === rate)).filter(Boolean);
      if (steps.length) ls.push({ name: `${n} @ ${rate / 1000}k pps`, markers: false, points: mergeHist(steps).pts });
    }
    if (res.selftest) {
      const st = res.selftest.find((r) => r.rate === rate);
      if (st) ls.push({ name: `self-test @ ${rate / 1000}k`, dash: true, markers: false, points: mergeHist([st]).pts });
    }
    fs.writeFileSync(path.join(dir, 'latency.svg'), linePlot(ls, {
      title: `Added latency distribution (ingress→egress) at ${rate} pps`, xLabel: 'latency µs (log)', yLabel: 'fraction of packets slower (log)', xLog: true, yLog: true,
    }));
    const lv = [];
    for (const n of names) {
      lv.push({ name: `${n} p50`, points: agg[n].rows.map((r) => [r.rate, r.p50]) });
      lv.push({ name: `${n} p99`, points: agg[n].rows.map((r) => [r.rate, r.p99]) });
      lv.push({ name: `${n} p99.9`, dash: true, points: agg[n].rows.map((r) => [r.rate, r.p999]) });
    }
    fs.writeFileSync(path.join(dir, 'latency-vs-load.svg'), linePlot(lv, {
      title: 'Added latency vs offered load (median of repeats)', xLabel: 'offered packets/s', yLabel: 'latency µs (log)', yLog: true, xMin: 0,
    }));
  }
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify({
    options: o, machine: mach, commands: ctx.commands, generator: ctx.genCommand, control_command: ctx.cpCommand, iso_command: ctx.isoCommand, engine: ctx.engine, gitRev: ctx.gitRev, wall_s: Math.round((Date.now() - ctx.started.getTime()) / 1000),
    histogramBuckets: '[lo_us, width_us, count], 20 log-spaced buckets per decade', started: ctx.started.toISOString(), argv: ctx.argv, ...slim(res),
  }));
  // bench/results/relay-latest.md: copy with image links pointing into the run directory (latest.md is bench/ratios.js's summary)
  const rel = path.relative(path.join(__dirname, 'results'), dir);
  const latest = L.join('\n').replace(/\]\(([\w.-]+\.(?:svg|json))\)/g, `](${rel}/$1)`).replace('`results.json` in this directory', `\`${rel}/results.json\``);
  if (!o.quick && !o.noLatest && names.length && path.dirname(dir) === path.join(__dirname, 'results')) fs.writeFileSync(path.join(__dirname, 'results', 'relay-latest.md'), latest);
  return { agg, cpAgg };
}

function regenerate(o) {
  const file = path.resolve(o.from);
  const d = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fix = (r) => {
    if (String(d.histogramBuckets).startsWith('[lo_us, hi_us')) for (const h of [r.lat_kernel, r.lat_app]) h.buckets = h.buckets.map(([lo, hi, c]) => [lo, hi - lo, c]);
    return r;
  };
  const res = {
    selftest: d.selftest && d.selftest.map(fix),
    relay: Object.fromEntries(Object.entries(d.relay).map(([n, sw]) => [n, sw.map((st) => st.map(fix))])),
    control: d.control,
    extra: d.extra ?? {},
  };
  const opts = { ...d.options, out: path.dirname(file), noLatest: o.noLatest };
  if (Array.isArray(opts.cpus)) [GEN_CPU, DAEMON_CPU] = opts.cpus;
  const started = d.started ? new Date(d.started) : fs.statSync(file).mtime;
  const ctx = {
    o: opts, mach: d.machine, outDir: path.dirname(file), started, argv: d.argv ?? ['(argv not recorded)'], commands: d.commands,
    genCommand: d.generator, cpCommand: d.control_command ?? d.control, whisperd: { ok: !!res.relay.whisperd, why: 'not run' },
    gitRev: d.gitRev ?? '(see git log)', regenerated: true, wallS: d.wall_s, engine: d.engine, isoCommand: d.iso_command,
  };
  if (typeof ctx.cpCommand !== 'string') ctx.cpCommand = undefined;
  writeReport(ctx, res);
  console.log(`re-wrote ${path.join(path.dirname(file), 'report.md')}`);
}

async function main() {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  if (o.from) return regenerate(o);
  const started = new Date();
  const mach = machine();
  const stamp = started.toISOString().slice(0, 10);
  // quick (CI) runs write under results/tmp/ (git-ignored); full runs under results/<date>-<host>/
  const outDir = o.out ? path.resolve(o.out) : o.quick ? path.join(__dirname, 'results', 'tmp', `${stamp}-${mach.host}-quick`)
    : (() => {
      const b = path.join(__dirname, 'results', `${stamp}-${mach.host}`);
      let d = b;
      for (let i = 2; fs.existsSync(d); i++) d = `${b}-${i}`; // never overwrite an earlier run
      return d;
    })();
  const tmp = path.join(__dirname, 'results', 'tmp');
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  const bin = buildGenerator();
  const whisperd = o.daemons && !o.daemons.includes('whisperd') ? { ok: false, why: 'not selected' } : whisperdBuildable();
  let daemons = o.daemons ?? ['rtpengine', 'whisperd'];
  daemons = daemons.filter((n) => {
    if (!DAEMONS[n]) throw new Error(`unknown daemon ${n}`);
    if (n === 'whisperd' && !whisperd.ok) { console.log(`whisperd skipped: ${whisperd.why}`); return false; }
    if (!DAEMONS[n].available()) { console.log(`${n} skipped: not installed`); return false; }
    return true;
  });
  const ctx = { o, mach, bin, tmp, outDir, started, argv, commands: {}, whisperd, extra: {}, gitRev: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'])
    + (sh('git', ['-C', REPO, 'status', '--porcelain', '--', 'src', 'native']) ? ` + uncommitted changes: ${sh('git', ['-C', REPO, 'status', '--porcelain', '--', 'src', 'native']).split('\n').map((l) => l.slice(3)).join(', ')}` : '') };
  console.log(`machine: ${mach.cpu}, ${mach.cpus} CPUs, ${mach.kernel}, node ${mach.node}, ${mach.rtpengine}`);
  console.log(`daemons: ${daemons.join(', ') || 'none'}; rates ${o.rates.join(',')}; repeats ${o.repeats}; ports ${o.ports}; sched ${o.sched}`);
  const res = { relay: {}, control: {}, selftest: null, extra: ctx.extra };
  if (o.selftest && o.relay) {
    console.log('generator self-test:');
    res.selftest = await runSweep(ctx, 'selftest', 0);
  }
  for (let rep = 1; rep <= o.repeats; rep++) {
    for (const n of daemons) {
      if (o.relay) {
        (res.relay[n] ??= []).push(await runSweep(ctx, n, rep));
      }
      if (o.control) (res.control[n] ??= []).push(await runControl(ctx, n, rep));
    }
  }
  const { agg } = writeReport(ctx, res);
  console.log(`report: ${path.join(outDir, 'report.md')}`);
  for (const n of Object.keys(agg)) console.log(`${n}: max passing rate median ${agg[n].maxPassMedian} pps [${agg[n].maxPass.join(', ')}]`);
  // quick mode: only check that relaying works at all (nothing machine-dependent)
  if (o.quick) {
    let ok = true;
    for (const n of Object.keys(res.relay)) {
      const first = res.relay[n][0]?.[0];
      if (!first || first.recv_all === 0) { console.error(`FAIL: ${n} relayed nothing`); ok = false; }
    }
    for (const n of Object.keys(res.control)) {
      const c = res.control[n][0]?.[0];
      if (!c || c.cycles === 0) { console.error(`FAIL: ${n} completed no offer/answer/delete cycle`); ok = false; }
    }
    if (!ok) process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e.stack || e);
  killAll();
  process.exit(1);
});
