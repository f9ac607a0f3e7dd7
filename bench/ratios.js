#!/usr/bin/env node
'use strict';
// Issue 10's targets side by side, measured in ONE run on one machine: runs the relay/control benchmark
// (run.js), the whisper/relay/Opus mix benchmark (mix.js), the libopus compute bound (opus-bound.bench.ts)
// and the media-thread scaling runs (mix.js on two cores, 1 vs 2 media threads), then writes one table:
// <out>/ratios.md (+ ratios.json) and, for a full run, bench/results/latest.md. See bench/README.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { REPO } = require('./lib/daemons');

const HELP = `node bench/ratios.js [--quick] [options]
  --quick               smoke run (a few minutes): short windows, few steps; exercises every measurement,
                        its figures are not evidence (results under bench/results/tmp/, latest.md untouched)
  --engine=native|reference|default   whisperd media.engine for every whisperd run (default native);
                        'default' passes nothing (the daemon's own default). Recorded with what the daemon reports.
  --repeats=N           run.js sweeps per daemon (default 3; quick 1)
  --mix-repeats=N       repeats per mix.js step (whisper, relay reference, Opus, threads; default 1): a call
                        count passes when the majority of its repeats pass
  --only=LIST           phases: opus,relay,mix,threads (default all; a partial run reports the rest as not run)
  --out=DIR             result directory (default bench/results/<date>-<host>-ratios)
  --from=DIR            only re-write ratios.md from DIR's saved phase results (no runs)
Needs rtpengine (make deps-bench), the native addon (make native), root (SCHED_FIFO), 2+ CPUs.
Fails (exit 1) when a peer or a phase is missing rather than reporting a figure it did not measure.`;

function parseArgs(argv) {
  const a = {};
  for (const s of argv) {
    if (s === '--help' || s === '-h') { console.log(HELP); process.exit(0); }
    const m = /^--([^=]+)(?:=(.*))?$/.exec(s);
    if (!m) throw new Error(`bad argument ${s}\n${HELP}`);
    a[m[1]] = m[2] === undefined ? true : m[2];
  }
  const quick = !!a.quick;
  const o = {
    quick,
    engine: String(a.engine ?? 'native'),
    repeats: Number(a.repeats ?? (quick ? 1 : 3)),
    mixRepeats: Number(a['mix-repeats'] ?? 1),
    only: a.only ? String(a.only).split(',') : ['opus', 'relay', 'mix', 'threads'],
    out: a.out, from: a.from,
  };
  if (!['native', 'reference', 'default'].includes(o.engine)) throw new Error('--engine must be native, reference or default');
  for (const p of o.only) if (!['opus', 'relay', 'mix', 'threads'].includes(p)) throw new Error(`unknown phase ${p}`);
  return o;
}

const TMP = path.join(__dirname, 'results', 'tmp');
const T0 = Date.now();
const log = (...x) => console.log(`[ratios ${((Date.now() - T0) / 1000).toFixed(0).padStart(4)} s]`, ...x);
const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch { return ''; } };

// ---------- phase settings (full / quick) ----------
function phases(o) {
  const eng = `--engine=${o.engine}`;
  const q = o.quick;
  return {
    relay: ['bench/run.js', '--no-latest', eng, `--repeats=${o.repeats}`,
      ...(q ? ['--quick'] : ['--rates=10000,20000,50000,80000,100000,120000,140000,160000,180000,200000'])],
      // (no step above 200 kpps: at 250 kpps a whisperd on media threads needs more than 20,000 file descriptors — 8 per call plus the previous steps' during delete-delay — and this machine cannot raise its hard limit: the bind fails, "Ran out of ports")
    mix: ['bench/mix.js', '--source=tree', eng, '--scenarios=whisper,relay,opus', `--repeats=${o.mixRepeats}`,
      ...(q ? ['--steps=25,50', '--relay-steps=50,100', '--codec-steps=5,10', '--warmup=2', '--duration=4']
        : ['--steps=25,50,100,150,200,300,400,500,600,700,800,1000', '--relay-steps=50,100,200,400,600,800,1000,1200,1400,1600', '--codec-steps=10,25,40,50,60,70,80,90,100,120,150'])],
    // Two cores for the daemon, the generator shares CPU 0 at a higher FIFO priority (it keeps its schedule;
    // what it uses is taken from the daemon's two cores, so the 2-thread figure is a lower bound on a 2-CPU box).
    threads: (n) => ['bench/mix.js', '--source=tree', '--no-build', eng, '--scenarios=whisper', '--daemon-cpus=0,1', '--gen-prio=20',
      `--wd-args=--media.threads=${n}`, `--repeats=${o.mixRepeats}`,
      ...(q ? ['--steps=25,50', '--warmup=2', '--duration=4'] : ['--steps=50,100,200,300,400,500,600,700,800,1000,1200,1400,1600'])],
    opus: ['--json', ...(q ? ['--iterations=300', '--rounds=2'] : ['--iterations=3000', '--rounds=7'])],
  };
}

// ---------- running sub-benchmarks ----------
function runNode(argv, outDir, logFile) {
  const full = [...argv, `--out=${outDir}`];
  log(`$ node ${full.join(' ')}`);
  return new Promise((resolve, reject) => {
    const lf = fs.openSync(logFile, 'a');
    const p = spawn(process.execPath, full, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const tee = (d) => { process.stdout.write(d); fs.writeSync(lf, d); };
    p.stdout.on('data', tee);
    p.stderr.on('data', tee);
    p.on('exit', (code, sig) => {
      fs.closeSync(lf);
      if (code === 0) resolve(`node ${full.map((x) => (/[\s']/.test(x) ? `'${x}'` : x)).join(' ')}`);
      else reject(new Error(`node ${full.join(' ')} exited ${code ?? sig} (log ${path.relative(REPO, logFile)})`));
    });
  });
}

/** Compile bench/opus-bound.bench.ts alone into bench/results/tmp/ts (dist/ is left alone). */
function buildOpusBench() {
  const outDir = path.join(TMP, 'ts');
  const js = path.join(outDir, 'bench', 'opus-bound.bench.js');
  const args = ['tsc', '--outDir', outDir, '--rootDir', '.', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
    '--strict', '--skipLibCheck', '--types', 'node', '--esModuleInterop', '--resolveJsonModule', 'bench/opus-bound.bench.ts'];
  try { execFileSync('npx', args, { cwd: REPO, stdio: 'pipe' }); } catch (e) {
    if (!fs.existsSync(js)) throw new Error(`opus-bound.bench.ts did not compile: ${String(e.stdout || e.message).slice(0, 400)}`);
  }
  // the addon loader looks for native/binding.gyp a few directories up from the compiled src/native/
  try { fs.symlinkSync(path.join(REPO, 'native'), path.join(outDir, 'native')); } catch { /* exists */ }
  return js;
}

function runOpusBound(js, args) {
  // Plain scheduling on the daemon's CPU: Node started under SCHED_FIFO on one core can starve its own
  // helper threads and spin (bench/README.md, Fairness); best-of-N rounds filters out other load.
  const cmd = ['taskset', '-c', '1', process.execPath, js, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: REPO, encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`opus bound failed (${r.status}): ${r.stderr.slice(-400)}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  const res = JSON.parse(line);
  res.command = cmd.join(' ').replace(REPO + '/', '');
  return res;
}

// ---------- preflight: every peer present, or fail ----------
function preflight(o) {
  const missing = [];
  if (o.only.includes('relay') && spawnSync('sh', ['-c', 'command -v rtpengine']).status !== 0) missing.push('rtpengine (run `make deps-bench`)');
  const addon = spawnSync(process.execPath, ['-e', `const m=require('node-gyp-build')(${JSON.stringify(path.join(REPO, 'native'))}); if (typeof m.codecDecoderCreate!=='function') process.exit(3)`], { cwd: REPO, encoding: 'utf8' });
  if (addon.status !== 0) missing.push(`the native addon with codec kernels (run \`make native\`): ${addon.status === 3 ? 'loaded, but without codecDecoderCreate' : (addon.stderr.split('\n').find((x) => /^\w*Error: /.test(x)) ?? addon.stderr.trim().slice(0, 200))}`);
  if (!sh('git', ['-C', REPO, 'ls-files', 'src/main.ts'])) missing.push('whisperd (src/main.ts not in git)');
  for (const t of ['cc', 'taskset', 'chrt']) if (spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0) missing.push(t);
  if (os.cpus().length < 2) missing.push('a second CPU (daemon and generator are pinned to CPUs 1 and 0)');
  if (missing.length) throw new Error(`ratios: cannot run, missing: ${missing.join('; ')}`);
}

// ---------- evaluation ----------
const median = (xs) => { const a = xs.filter(Number.isFinite).sort((x, y) => x - y); return a.length ? (a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN; };
const f = (v, d = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);

/** Mix sweep: highest N such that it and every lower N passed (majority of repeats); `top` = the last step was passed (a lower bound). */
function mixMax(runs, sweep) {
  const byN = new Map();
  for (const r of runs.filter((x) => x.sweep === sweep)) { if (!byN.has(r.calls)) byN.set(r.calls, []); byN.get(r.calls).push(r); }
  const ns = [...byN.keys()].sort((a, b) => a - b);
  let max = 0, genLimited = false;
  for (const n of ns) {
    const xs = byN.get(n);
    if (xs.filter((x) => x.pass && !x.error).length * 2 > xs.length) { max = n; continue; }
    // the first failing step: if the generator fell behind there, the daemon's limit was not reached
    genLimited = xs.some((x) => !x.error && x.genOk === false);
    break;
  }
  // top: the max is only a lower bound (the last step passed, or the generator limited the step after it)
  return { max, steps: ns.length, top: (ns.length > 0 && max === ns[ns.length - 1]) || genLimited, genLimited, byN };
}

/** One row of the table: status 'pass' | 'MISS' | 'NOT MEASURED' | 'ERROR'. */
function row(target, goal, whisperd, peer, ratio, status, source, note = '') {
  return { target, goal, whisperd, peer, ratio, status, source, note };
}
const judge = (ok) => (ok ? 'pass' : 'MISS');
/**
 * Judge a ratio num/den ≥ goal when either side may be a lower bound only (its sweep passed its last step):
 * num a lower bound → ratio ≥ shown value (a pass is certain, a miss is not); den a lower bound → ratio ≤
 * shown value (a miss is certain); both → nothing is certain.
 */
function judgeBounded(ratio, goal, numLower, denLower) {
  if (!Number.isFinite(ratio)) return 'NOT MEASURED';
  if (numLower && denLower) return 'NOT MEASURED';
  if (numLower) return ratio >= goal ? 'pass' : 'NOT MEASURED';
  if (denLower) return ratio < goal ? 'MISS' : 'NOT MEASURED';
  return judge(ratio >= goal);
}
const boundNote = (numLower, denLower, what) => (numLower && denLower ? `both maxima are lower bounds (the sweep passed its last step, or the generator fell behind at the next one): extend ${what}`
  : numLower ? `the numerator is a lower bound (its sweep passed its last step, or the generator fell behind at the next one): ratio ≥ shown; extend ${what} if it reads NOT MEASURED`
    : denLower ? `the denominator is a lower bound (its sweep passed its last step, or the generator fell behind at the next one): ratio ≤ shown; extend ${what} if it reads NOT MEASURED` : '');

function evaluate(dir, meta) {
  const rows = [];
  const relay = readJson(path.join(dir, 'relay', 'results.json'));
  const mix = readJson(path.join(dir, 'mix', 'results.json'));
  const th1 = readJson(path.join(dir, 'threads-1', 'results.json'));
  const th2 = readJson(path.join(dir, 'threads-2', 'results.json'));
  const opus = readJson(path.join(dir, 'opus-bound.json'));
  const err = (phase) => meta.errors?.[phase];
  const absent = (phase, what) => row(what, '', '–', '–', '–', err(phase) ? 'ERROR' : 'NOT MEASURED', `phase ${phase}`, err(phase) ?? `phase ${phase} not run`);
  const cmd = (phase) => `\`${meta.commands?.[phase] ?? '(not run)'}\``;

  // 1. whisper G.711 vs relay, packet rates in, one generator (mixgen), issue-10 rule at every socket
  if (mix) {
    const w = mixMax(mix.runs, 'whisper-PCMU');
    const r = mixMax(mix.runs, 'relay-PCMU');
    const wp = w.max * 150, rp = r.max * 100;
    const ratio = rp > 0 ? wp / rp : NaN;
    rows.push(row('Whisper G.711 (3 legs, bleed on) vs 2-party relay, packet rate in per core, ≤ 0.1 % missing + ≤ 0.1 % in gaps > 50 ms at every socket', '≥ 0.70',
      `${f(w.max)} calls = ${f(wp)} pps${w.top ? ' (≥)' : ''}`, `relay ${f(r.max)} calls = ${f(rp)} pps${r.top ? ' (≥)' : ''}`, f(ratio, 2),
      w.steps && r.steps ? judgeBounded(ratio, 0.7, w.top, r.top) : 'NOT MEASURED',
      `mix/results.json sweeps whisper-PCMU, relay-PCMU (mix/report.md); ${cmd('mix')}`, boundNote(w.top, r.top, 'mix.js --steps / --relay-steps')));
  } else rows.push(absent('mix', 'Whisper G.711 vs relay, packet rate in'));

  // 2. Opus whisper vs libopus compute bound
  if (mix && opus) {
    const w = mixMax(mix.runs, 'whisper-opus');
    const ratio = w.max / opus.calls_per_core;
    rows.push(row('Opus whisper calls per core (complexity 5, 16 kHz mix) vs the libopus compute bound of the same run', '≥ 0.80',
      `${f(w.max)} calls${w.top ? ' (last step passed: ≥)' : ''}`, `bound ${f(opus.calls_per_core, 1)} calls/core (${opus.decodes} decodes ${f(opus.decode_kernel_ns)} ns + ${opus.encodes} encodes ${f(opus.encode_kernel_ns)} ns per 20 ms)`,
      f(ratio, 2), w.steps ? judgeBounded(ratio, 0.8, w.top, false) : 'NOT MEASURED',
      `mix/results.json sweep whisper-opus; opus-bound.json (best of the runs at start and end): \`${opus.command}\``, boundNote(w.top, false, 'mix.js --codec-steps')));
  } else rows.push(absent(mix ? 'opus' : 'mix', 'Opus whisper vs libopus compute bound'));

  // 3. relay CPU per packet, strict rule, vs rtpengine; p99.9 at half max; isolation
  if (relay && relay.relay?.whisperd && relay.relay?.rtpengine) {
    const agg = {};
    for (const n of ['whisperd', 'rtpengine']) {
      const sweeps = relay.relay[n];
      const rates = [...new Set(sweeps.flat().map((r) => r.rate))].sort((a, b) => a - b);
      // per repeat: highest rate passing the strict rule with every lower rate; gen = the step after it was generator-limited
      const per = sweeps.map((s) => { let b = 0, gen = false, top = true; for (const r of s) { if (r.strict) { b = r.rate; continue; } gen = !r.validGen; top = false; break; } return { b, lower: gen || top }; });
      const strictMax = per.map((x) => x.b);
      const byRate = Object.fromEntries(rates.map((rate) => {
        const rs = sweeps.map((s) => s.find((r) => r.rate === rate)).filter(Boolean);
        return [rate, { all: rs.every((r) => r.strict) && rs.length === sweeps.length, us: median(rs.map((r) => (r.daemon_cpu_pct / 100 / r.delivered_pps) * 1e6)) }];
      }));
      agg[n] = { strictMax, strictMedian: median(strictMax), byRate, rates, lowerBound: per.filter((x) => x.lower).length * 2 > per.length };
    }
    const both = agg.whisperd.rates.filter((rate) => agg.whisperd.byRate[rate]?.all && agg.rtpengine.byRate[rate]?.all);
    const at = both.length ? both[both.length - 1] : null;
    const src = `relay/results.json (relay/report.md); ${cmd('relay')}`;
    if (at) {
      const uw = agg.whisperd.byRate[at].us, ue = agg.rtpengine.byRate[at].us;
      rows.push(row(`Relay CPU per forwarded packet at ${f(at)} pps (highest rate both passed the strict rule — loss < 0.01 %, p99 < 5 ms — in every repeat)`, '≤ 3 µs',
        `${f(uw, 2)} µs`, `rtpengine ${f(ue, 2)} µs`, '', judge(uw <= 3), src));
      rows.push(row('Relay CPU per packet, rtpengine / whisperd (same step)', '≥ 2', `${f(uw, 2)} µs`, `${f(ue, 2)} µs`, f(ue / uw, 2), judge(ue / uw >= 2), src));
    } else rows.push(row('Relay CPU per forwarded packet under the strict rule', '≤ 3 µs; ≥ 2× rtpengine', '–', '–', '–', 'NOT MEASURED', src, 'no rate passed the strict rule for both daemons in every repeat'));
    // a lower bound: the sweep passed its top rate, or the next step was generator-limited (majority of repeats)
    const topW = agg.whisperd.lowerBound;
    const topE = agg.rtpengine.lowerBound;
    const mr = agg.whisperd.strictMedian / agg.rtpengine.strictMedian;
    rows.push(row('Relay max rate per core by the strict rule (median of repeats), whisperd / rtpengine userspace', '≥ 2',
      `${topW ? '≥ ' : ''}${f(agg.whisperd.strictMedian)} pps [${agg.whisperd.strictMax.join(', ')}]`,
      `${topE ? '≥ ' : ''}${f(agg.rtpengine.strictMedian)} pps [${agg.rtpengine.strictMax.join(', ')}]`, f(mr, 2),
      agg.rtpengine.strictMedian > 0 ? judgeBounded(mr, 2, topW, topE) : 'NOT MEASURED', src, boundNote(topW, topE, 'run.js --rates')));
    const ex = relay.extra?.whisperd ?? [];
    const exE = relay.extra?.rtpengine ?? [];
    const halves = ex.filter((x) => x.half);
    const p = (xs, k) => median(xs.map((x) => x[k]?.lat_kernel?.p999_us));
    if (halves.length) {
      const v = p(halves, 'half');
      rows.push(row(`Relay p99.9 at half the strict max rate (${halves.map((x) => f(x.half.rate)).join(', ')} pps)`, '≤ 1 ms', `${f(v)} µs`, exE.some((x) => x.half) ? `rtpengine ${f(p(exE.filter((x) => x.half), 'half'))} µs at its own half max` : '–', '', judge(v <= 1000), `relay/results.json extra.whisperd[].half; ${cmd('relay')}`));
      const isoOk = halves.filter((x) => x.iso && x.cp && !x.cp.error);
      const cpRate = median(isoOk.map((x) => x.cp.cycles_per_s));
      const cpErr = isoOk.reduce((s, x) => s + Object.values(x.cp.errors ?? {}).reduce((a, b) => a + b, 0), 0);
      const vi = p(isoOk, 'iso');
      const valid = isoOk.length && cpRate >= 0.95 * (relay.options?.isoRate ?? 1000) && cpErr === 0;
      rows.push(row(`Isolation: relay p99.9 at the same rate while ${relay.options?.isoRate ?? 1000} offer/answer/delete cycles/s run on the same daemon`, '≤ 1 ms',
        `${f(vi)} µs (control load achieved ${f(cpRate)} cycles/s, ${cpErr} errors)`, exE.some((x) => x.iso) ? `rtpengine ${f(p(exE.filter((x) => x.iso), 'iso'))} µs (${f(median(exE.filter((x) => x.cp).map((x) => x.cp.cycles_per_s)))} cycles/s)` : '–', '',
        isoOk.length ? (valid ? judge(vi <= 1000) : 'MISS') : 'NOT MEASURED', `relay/results.json extra.whisperd[].iso, .cp; load: \`${relay.iso_command ?? '?'}\``,
        valid ? '' : 'the control load did not reach 95 % of its rate without errors, so the isolation condition itself was not met'));
    } else rows.push(row('Relay p99.9 at half max; isolation under 1,000 cycles/s', '≤ 1 ms', '–', '–', '–', 'NOT MEASURED', `relay/results.json extra`, ex[0]?.why ?? 'extras not run'));
    // control plane
    for (const k of relay.options?.cpK ?? [1, 32]) {
      const c = (n) => median((relay.control?.[n] ?? []).map((rep) => rep.find((x) => x.k === k)?.cycles_per_s));
      const cw = c('whisperd'), ce = c('rtpengine');
      rows.push(row(`Control plane offer+answer+delete cycles/s, ${k} in flight`, '≥ 1.0', f(cw), `rtpengine ${f(ce)}`, f(cw / ce, 2),
        Number.isFinite(cw / ce) ? judge(cw / ce >= 1) : 'NOT MEASURED', `relay/results.json control (lib/ctlbench.js), median of repeats: \`${(relay.control_command ?? '?').replace(/ctlbench\.js (\d+) \d+ /, `ctlbench.js $1 ${k} `)}\``));
    }
  } else {
    const why = relay ? `relay/results.json lacks ${['whisperd', 'rtpengine'].filter((n) => !relay.relay?.[n]).join(' and ')}` : null;
    rows.push(why ? row('Relay, isolation, control plane vs rtpengine', '', '–', '–', '–', 'ERROR', 'relay/results.json', why) : absent('relay', 'Relay, isolation, control plane vs rtpengine'));
  }

  // 4. latency: customer through the agent's mix vs relay, up to 80 % load; whisper vs JB target + 5 ms
  if (mix) {
    const w = mixMax(mix.runs, 'whisper-PCMU');
    // steps up to 80 % of the whisper max; when no step is that low (short sweeps), the lowest passing step, noted
    const low = mix.runs.filter((x) => x.sweep === 'whisper-PCMU' && !x.error && x.pass).map((x) => x.calls).sort((a, b) => a - b)[0] ?? 0;
    const lim = mix.runs.some((x) => x.sweep === 'whisper-PCMU' && x.calls <= 0.8 * w.max) ? 0.8 * w.max : low;
    const limNote = lim === 0.8 * w.max ? '' : ` (no step ≤ 80 % of the ${f(w.max)}-call max: the lowest passing step, ${f(low)} calls, is used)`;
    const ws = mix.runs.filter((x) => x.sweep === 'whisper-PCMU' && !x.error && x.calls <= lim && x.lat?.customer?.p99 != null);
    const rel = mix.runs.filter((x) => x.sweep === 'relay-PCMU' && !x.error && x.pass && x.lat?.customer?.p99 != null);
    if (ws.length && rel.length) {
      const d = ws.map((x) => {
        const r = rel.reduce((b, y) => (Math.abs(y.ppsIn - x.ppsIn) < Math.abs(b.ppsIn - x.ppsIn) ? y : b));
        return { N: x.calls, w: x.lat.customer.p99, r: r.lat.customer.p99, rN: r.calls, d: x.lat.customer.p99 - r.lat.customer.p99 };
      });
      const worst = d.reduce((a, b) => (b.d > a.d ? b : a));
      rows.push(row(`Customer → agent through the agent's mix, p99 over the relay path (whisper steps ≤ 80 % of the ${f(w.max)}-call max; relay step of the nearest packet rate)`, '≤ +1 ms',
        `+${f(worst.d, 2)} ms (${f(worst.N)} calls: ${f(worst.w, 2)} ms)`, `relay ${f(worst.r, 2)} ms (${f(worst.rN)} calls)`, '', judge(worst.d <= 1),
        `mix/results.json runs[].lat.customer (audio chirp by cross-correlation); per step: ${d.map((x) => `${x.N}: +${f(x.d, 2)}`).join(', ')}`, limNote));
    } else rows.push(row('Customer → agent p99 over the relay path up to 80 % load', '≤ +1 ms', '–', '–', '–', 'NOT MEASURED', 'mix/results.json', `${ws.length} whisper steps ≤ 80 % load with latency, ${rel.length} passing relay steps with latency`));
    const sup = mix.runs.filter((x) => x.sweep === 'whisper-PCMU' && !x.error && x.calls <= lim && x.lat?.supervisor?.p99 != null);
    const withT = sup.filter((x) => x.metrics?.jbTargetMs != null);
    if (withT.length) {
      const d = withT.map((x) => ({ N: x.calls, p99: x.lat.supervisor.p99, t: x.metrics.jbTargetMs, jb: x.metrics.jbDelayMs, d: x.lat.supervisor.p99 - x.metrics.jbTargetMs }));
      const worst = d.reduce((a, b) => (b.d > a.d ? b : a));
      rows.push(row('Supervisor (whisper) → agent p99 vs the jitter buffer\'s target delay + 5 ms (steps ≤ 80 % load)', '≤ target + 5 ms',
        `${f(worst.p99, 1)} ms at ${f(worst.N)} calls`, `JB target ${f(worst.t, 1)} ms (+5 = ${f(worst.t + 5, 1)})`, `+${f(worst.d, 1)} ms`, judge(worst.d <= 5),
        `mix/results.json runs[].lat.supervisor, metrics.jbTargetMs (whisperd_jitter_target_delay_seconds_total / emitted samples), metrics.jbDelayMs = mean actual JB delay; per step: ${d.map((x) => `${x.N}: +${f(x.d, 1)} (JB delay ${f(x.jb, 1)} ms)`).join(', ')}`, limNote));
    } else rows.push(row('Supervisor (whisper) → agent p99 vs jitter-buffer target + 5 ms', '≤ target + 5 ms', sup.length ? `${f(sup[sup.length - 1].lat.supervisor.p99, 1)} ms` : '–', '–', '–', 'NOT MEASURED', 'mix/results.json',
      sup.length ? 'the daemon exported no jitter-buffer target metric (whisperd_jitter_target_delay_seconds_total) in this run' : 'no whisper step ≤ 80 % load with supervisor latency'));
  }

  // 5. two media threads on two cores vs one thread
  if (th1 && th2) {
    const a = mixMax(th1.runs, 'whisper-PCMU'), b = mixMax(th2.runs, 'whisper-PCMU');
    const ratio = b.max / a.max;
    rows.push(row('Whisper G.711 calls, two media threads on two cores vs one thread (same two cores; generator shares CPU 0 at higher priority: 2-thread figure is a lower bound on a 2-CPU machine)', '≥ 1.7',
      `2 threads: ${f(b.max)} calls${b.top ? ' (≥)' : ''}`, `1 thread: ${f(a.max)} calls${a.top ? ' (≥)' : ''}`, f(ratio, 2), a.max > 0 ? judgeBounded(ratio, 1.7, b.top, a.top) : 'NOT MEASURED',
      `threads-1/results.json, threads-2/results.json; ${cmd('threads-1')}; ${cmd('threads-2')}`, boundNote(b.top, a.top, 'mix.js --steps of the threads runs')));
  } else rows.push(absent('threads', 'Two media threads vs one, whisper calls'));
  return rows;
}

function writeReport(dir, meta, o) {
  const rows = evaluate(dir, meta);
  const relay = readJson(path.join(dir, 'relay', 'results.json'));
  const mix = readJson(path.join(dir, 'mix', 'results.json'));
  const eng = [relay?.engine, mix?.engine].filter(Boolean)[0];
  const L = [];
  L.push(`# whisperd issue-10 targets, side by side${o.quick ? ' (QUICK SMOKE RUN — figures are not evidence)' : ''}`, '');
  L.push(`Date ${meta.started} · wall time ${f(meta.wallS)} s · ${meta.machine.cpu}, ${meta.machine.cpus} CPUs, ${meta.machine.kernel}, Node ${meta.machine.node}`);
  L.push(`whisperd git ${meta.gitRev}; media engine requested: **${o.engine}**; peer: ${meta.machine.rtpengine}`);
  L.push(`loadavg at start ${meta.machine.loadavgStart}; at end ${meta.loadavgEnd ?? '–'}`);
  L.push(`kernel RT throttling (sched_rt_runtime_us): ${meta.rtThrottling ?? 'not recorded'}`, '');
  // which engine actually carried the mixes: whisperd_mixer_engine{engine} at the end of each step's window
  for (const [name, res] of [['mix', mix], ['threads-1', readJson(path.join(dir, 'threads-1', 'results.json'))], ['threads-2', readJson(path.join(dir, 'threads-2', 'results.json'))]]) {
    if (!res) continue;
    const tot = {};
    let fb = 0, steps = 0, none = 0;
    for (const r of res.runs.filter((x) => x.kind === 'whisper' && !x.error)) {
      steps++;
      const e = r.metrics?.engines ?? {};
      if (!Object.keys(e).length) none++;
      for (const [k, v] of Object.entries(e)) tot[k] = (tot[k] ?? 0) + v;
      fb = Math.max(fb, r.metrics?.fallbacks ?? 0); // cumulative over the daemon's life
    }
    if (o.engine !== 'default' && Object.entries(tot).some(([k, v]) => k !== o.engine && v > 0)) L.push(`- **WARNING (${name}): mixers ran on an engine other than the requested ${o.engine}; the whisper figures of this phase are not the ${o.engine} engine's**`);
    L.push(`- ${name}: mixers by engine, summed over ${steps} whisper steps (whisperd_mixer_engine): ${Object.entries(tot).map(([k, v]) => `${k} ${v}`).join(', ') || 'not reported'}${none ? ` (${none} steps without the metric)` : ''}; fallbacks to the reference engine (whisperd_mixer_fallbacks_total, daemon lifetime incl. the warm-up step): ${fb}${fb ? ' **(some calls did not run on the requested engine)**' : ''}`);
  }
  if (eng) L.push(`- at daemon start-up: ${eng.reported ?? eng.reportedBy}`);
  L.push('');
  L.push('Reproduce everything: `' + meta.command + '` (each row also names the sub-command and the results file it comes from).', '');
  L.push('| target | goal | whisperd | peer / reference | ratio | result |');
  L.push('|---|---|---|---|---:|:--:|');
  for (const r of rows) L.push(`| ${r.target} | ${r.goal} | ${r.whisperd} | ${r.peer} | ${r.ratio} | ${r.status === 'pass' ? 'pass' : `**${r.status}**`} |`);
  L.push('', '## Where each number comes from', '');
  rows.forEach((r, i) => L.push(`${i + 1}. ${r.target}: ${r.source}${r.note ? ` — ${r.note}` : ''}`));
  L.push('', '## Phases', '');
  for (const [k, v] of Object.entries(meta.commands ?? {})) L.push(`- ${k}: \`${v}\`${meta.errors?.[k] ? ` — **ERROR** ${meta.errors[k]}` : ''}`);
  for (const [k, v] of Object.entries(meta.errors ?? {})) if (!meta.commands?.[k]) L.push(`- ${k}: **ERROR** ${v}`);
  L.push('', 'Sub-reports: `relay/report.md` (relay, control plane, half-max and isolation steps), `mix/report.md` (whisper, relay reference, Opus whisper), `threads-1/report.md`, `threads-2/report.md`; the libopus bound in `opus-bound.json`.');
  if (o.quick) L.push('', '_Quick mode: one short repeat and a few small steps per sweep. It checks that every measurement runs and produces a number; a pass/miss here says nothing about the targets._');
  L.push('');
  const md = L.join('\n');
  fs.writeFileSync(path.join(dir, 'ratios.md'), md);
  fs.writeFileSync(path.join(dir, 'ratios.json'), JSON.stringify({ meta, options: o, rows }, null, 1));
  if (!o.quick && path.dirname(dir) === path.join(__dirname, 'results')) {
    const rel = path.relative(path.join(__dirname, 'results'), dir);
    fs.writeFileSync(path.join(__dirname, 'results', 'latest.md'), `<!-- generated by bench/ratios.js: copy of ${rel}/ratios.md; sub-reports under ${rel}/ -->\n${md.replace(/`(relay|mix|threads-[12])\/report\.md`/g, `\`${rel}/$1/report.md\``)}`);
  }
  return rows;
}

/**
 * The daemons and generators run SCHED_FIFO, each pinned to one CPU. With the kernel's RT throttling
 * (sched_rt_runtime_us = 950000 by default) a FIFO thread that keeps its CPU busy for 95 % of a second
 * is stopped for the remaining 50 ms: every socket sees a 50 ms hole once per second, so near its limit
 * a daemon would fail the pass rule on the scheduler, not on its own work (both daemons alike). For the
 * run, throttling is switched off (root only; restored at exit, even on failure) and the table says so.
 */
function disableRtThrottling() {
  const f = '/proc/sys/kernel/sched_rt_runtime_us';
  let before;
  try { before = fs.readFileSync(f, 'utf8').trim(); } catch { return 'unknown (cannot read sched_rt_runtime_us)'; }
  if (before === '-1') return 'off (-1) before the run';
  try { fs.writeFileSync(f, '-1'); } catch (e) { return `ON (${before} µs per second; cannot switch it off: ${e.code}) — near a daemon's limit, 50 ms stalls per second are the scheduler's`; }
  const restore = () => { try { fs.writeFileSync(f, before); } catch { /* best effort */ } };
  process.on('exit', restore);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { restore(); process.exit(130); });
  return `off (-1) for the run; ${before} restored at exit`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.from) {
    const dir = path.resolve(o.from);
    const saved = readJson(path.join(dir, 'ratios.json'));
    if (!saved) throw new Error(`${dir}/ratios.json missing`);
    const rows = writeReport(dir, saved.meta, saved.options); // the run's own options (engine, quick), not this command's defaults
    console.log(`re-wrote ${dir}/ratios.md (${rows.length} rows)`);
    return;
  }
  preflight(o);
  const rt = disableRtThrottling();
  const started = new Date();
  const host = os.hostname();
  const stamp = started.toISOString().slice(0, 10);
  const dir = o.out ? path.resolve(o.out) : o.quick ? path.join(TMP, `${stamp}-${host}-ratios-quick`)
    : (() => { const b = path.join(__dirname, 'results', `${stamp}-${host}-ratios`); let d = b; for (let i = 2; fs.existsSync(d); i++) d = `${b}-${i}`; return d; })();
  if (o.quick) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(TMP, { recursive: true });
  const l = sh('lscpu', []);
  const get = (k) => (new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(l) || [])[1] || '?';
  const dirty = sh('git', ['-C', REPO, 'status', '--porcelain', '--', 'src', 'native']);
  const meta = {
    started: started.toISOString(), command: `node bench/ratios.js ${process.argv.slice(2).join(' ')}`.trim(),
    gitRev: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']) + (dirty ? ` + uncommitted changes in ${dirty.split('\n').length} src/native files` : ''),
    machine: { host, cpu: get('Model name'), cpus: get('CPU\\(s\\)'), kernel: `${os.type()} ${os.release()}`, node: process.version,
      rtpengine: (spawnSync('rtpengine', ['--version'], { encoding: 'utf8' }).stderr || '').trim() || 'rtpengine ?', loadavgStart: fs.readFileSync('/proc/loadavg', 'utf8').trim() },
    commands: {}, errors: {}, rtThrottling: rt,
  };
  const P = phases(o);
  const logFile = path.join(dir, 'run.log');
  const phase = async (name, fn) => {
    try { await fn(); } catch (e) { meta.errors[name] = e.message.split('\n')[0]; log(`PHASE ${name} FAILED: ${e.message}`); }
    fs.writeFileSync(path.join(dir, 'ratios.json'), JSON.stringify({ meta, options: o }, null, 1));
  };
  let opusJs = null;
  const opusRuns = [];
  if (o.only.includes('opus')) await phase('opus', async () => { opusJs = buildOpusBench(); opusRuns.push(runOpusBound(opusJs, P.opus)); log(`libopus bound: ${opusRuns[0].calls_per_core.toFixed(1)} calls/core`); });
  if (o.only.includes('relay')) await phase('relay', async () => { meta.commands.relay = await runNode(P.relay, path.join(dir, 'relay'), logFile); });
  if (o.only.includes('mix')) await phase('mix', async () => { meta.commands.mix = await runNode(P.mix, path.join(dir, 'mix'), logFile); });
  if (o.only.includes('threads')) {
    for (const n of [1, 2]) {
      await phase(`threads-${n}`, async () => {
        const argv = P.threads(n);
        if (!o.only.includes('mix')) argv.splice(argv.indexOf('--no-build'), 1); // nothing built the tree yet
        meta.commands[`threads-${n}`] = await runNode(argv, path.join(dir, `threads-${n}`), logFile);
      });
    }
  }
  if (opusJs) await phase('opus', async () => { opusRuns.push(runOpusBound(opusJs, P.opus)); });
  if (opusRuns.length) {
    // the least disturbed run is the tightest bound (the machine may be busier at one end of the run)
    const best = opusRuns.reduce((a, b) => (b.calls_per_core > a.calls_per_core ? b : a));
    best.runs = opusRuns.map((r) => r.calls_per_core);
    fs.writeFileSync(path.join(dir, 'opus-bound.json'), JSON.stringify(best, null, 1));
    meta.commands.opus = best.command;
  }
  meta.wallS = (Date.now() - T0) / 1000;
  meta.loadavgEnd = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  const rows = writeReport(dir, meta, o);
  console.log(fs.readFileSync(path.join(dir, 'ratios.md'), 'utf8'));
  log(`report: ${path.relative(REPO, path.join(dir, 'ratios.md'))}`);
  const notMeasured = rows.filter((r) => r.status === 'NOT MEASURED');
  if (notMeasured.length) console.error(`ratios: WARNING ${notMeasured.length} target(s) NOT MEASURED (see the table's notes): ${notMeasured.map((r) => r.target.slice(0, 70)).join(' | ')}`);
  const bad = rows.filter((r) => r.status === 'ERROR');
  if (Object.keys(meta.errors).length || bad.length) {
    console.error(`ratios: FAILED: ${Object.keys(meta.errors).length} phase(s) failed (${Object.entries(meta.errors).map(([k, v]) => `${k}: ${v}`).join('; ')})`);
    process.exitCode = 1;
  }
}

main().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
