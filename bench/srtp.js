#!/usr/bin/env node
'use strict';
// SRTP <-> RTP bridged relay vs the plain relay, whisperd and rtpengine 10.5 side by side in one run (issue #12
// target: the bridged relay reaches >= 0.8x the plain relay's rate per core). See bench/README.md "SRTP".
//
//   node bench/srtp.js [--quick] [--daemons=rtpengine,whisperd] [--modes=plain,srtp] [--rates=...] [--repeats=N]
//        [--warmup=S --duration=S --drain=S] [--pairs=N] [--sched=fifo|nice|none] [--cpus=G,D] [--out=DIR]
//
// Same method as run.js (lib/relay.js, lib/daemons.js, loadgen/rtpgen.c): R/100 two-party PCMU calls set up over
// ng as Kamailio would, the C generator on CPU 0 sends 20 ms packets both ways, the daemon alone on CPU 1.
// Mode 'srtp': party A offers RTP/SAVP with one a=crypto AES_CM_128_HMAC_SHA1_80 key (fresh per call) and the
// offer asks `transport-protocol: RTP/AVP`, so the daemon offers B plain RTP; the daemon's answer to A carries
// its own key. The generator (rtpgen built -DWITH_SRTP, loadgen/srtp.h on OpenSSL) encrypts A's packets and
// decrypts (and authenticates) what the daemon sends A: each packet is decrypted once and encrypted once by
// the daemon, as on an SBC-facing SRTP leg bridged to a plain PBX. Mode 'plain': the same without a=crypto.
// Pass rule per step: run.js's strict rule (loss < 0.01 %, p99 < 5 ms, generator on schedule) and no packet
// failing SRTP authentication at the generator. Max = highest rate passing with every lower step.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { DAEMONS, startDaemon, raiseHelpers, rtpengineVersion, sleep, REPO, killAll } = require('./lib/daemons');
const relay = require('./lib/relay');
const { SDES_KEY_BYTES } = require('./lib/ng');

const NG_PORT = 22390;
const HTTP_PORT = 22392;
const MEDIA_MIN = 10100;
const MEDIA_MAX = 60000;
const GEN_BASE = 4000;
const RCVBUF = 32 << 20;
const STRICT_LOSS_PCT = 0.01; // run.js STRICT_LOSS_PCT / STRICT_P99_US (issue 10's strict rule)
const STRICT_P99_US = 5000;
// the SDES suite of A's leg (--suite): one of lib/ng.js SDES_KEY_BYTES
let SUITE = 'AES_CM_128_HMAC_SHA1_80';

function args(argv) {
  const a = {};
  for (const s of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(s);
    if (!m) throw new Error(`bad argument ${s}`);
    a[m[1]] = m[2] === undefined ? true : m[2];
  }
  const quick = !!a.quick;
  const list = (v, d) => (v === undefined ? d : String(v).split(',').filter(Boolean));
  const o = {
    quick,
    daemons: list(a.daemons, ['rtpengine', 'whisperd']),
    modes: list(a.modes, ['plain', 'srtp']),
    rates: list(a.rates, quick ? ['5000', '20000'] : ['10000', '20000', '40000', '60000', '70000', '80000', '90000', '100000', '110000', '120000', '140000']).map(Number),
    repeats: Number(a.repeats ?? (quick ? 1 : 2)),
    warmup: Number(a.warmup ?? (quick ? 1 : 2)),
    duration: Number(a.duration ?? (quick ? 2 : 5)),
    drain: Number(a.drain ?? (quick ? 1 : 2)),
    pairs: Number(a.pairs ?? 8),
    sched: a.sched ?? 'fifo',
    cpus: String(a.cpus ?? '0,1').split(',').map(Number),
    out: a.out,
    wdArgs: list(a['wd-args'], []),
    from: a.from, // re-write report.md from a saved results.json (no runs)
    suite: a.suite ?? 'AES_CM_128_HMAC_SHA1_80',
  };
  if (!SDES_KEY_BYTES[o.suite]) throw new Error(`--suite: one of ${Object.keys(SDES_KEY_BYTES).join(', ')}`);
  SUITE = o.suite;
  for (const m of o.modes) if (!['plain', 'srtp'].includes(m)) throw new Error('--modes: plain, srtp');
  return o;
}

function sh(cmd, argv) {
  try { return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch { return ''; }
}

/** rtpgen with SRTP (loadgen/srtp.h, OpenSSL libcrypto). */
function buildGenerator() {
  const dir = path.join(__dirname, 'loadgen');
  const src = path.join(dir, 'rtpgen.c');
  const bin = path.join(dir, 'build', 'srtpgen');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const newest = Math.max(fs.statSync(src).mtimeMs, fs.statSync(path.join(dir, 'srtp.h')).mtimeMs);
  if (!fs.existsSync(bin) || fs.statSync(bin).mtimeMs < newest) {
    execFileSync('cc', ['-O2', '-Wall', '-Wno-deprecated-declarations', '-DWITH_SRTP', '-o', bin, src, '-lcrypto'], { stdio: 'inherit' });
  }
  return bin;
}

function judge(r) {
  const validGen = r.gen_rx_drops === 0 && r.send_err === 0 && r.send_short === 0 && r.late_sends_1ms <= 0.01 * r.sent && r.sent_pps >= 0.98 * r.offered_pps;
  const strict = validGen && r.sent > 0 && (100 * r.lost_all) / r.sent < STRICT_LOSS_PCT && r.lat_kernel.n > 0 && r.lat_kernel.p99_us < STRICT_P99_US && r.srtp_auth_fail === 0;
  const usPerPkt = r.daemon_cpu_pct !== undefined && r.delivered_pps > 0 ? (r.daemon_cpu_pct / 100) * 1e6 / r.delivered_pps : NaN;
  return { validGen, strict, usPerPkt };
}

async function step(ctx, daemon, mode, rate, tag) {
  const n = Math.round(rate / 100);
  const shared = ctx.o.pairs;
  const ports = await relay.freePorts(2 * Math.min(shared, n), GEN_BASE);
  const calls = await relay.setupCalls(daemon.ng, n, { tag, ports, shared, sdes: mode === 'srtp' ? SUITE : null });
  const callsFile = path.join(ctx.tmp, `srtp-calls-${tag}.txt`);
  relay.writeCallsFile(callsFile, calls);
  let r;
  try {
    r = await relay.runGenerator({
      bin: ctx.bin, callsFile, warmup: ctx.o.warmup, duration: ctx.o.duration, drain: ctx.o.drain, rcvbuf: RCVBUF,
      daemonPid: daemon.pid, cpu: ctx.o.cpus[0], sched: ctx.o.sched, timeoutMs: (ctx.o.warmup + ctx.o.duration + ctx.o.drain + 30) * 1000,
    });
  } finally {
    await relay.deleteCalls(daemon.ng, calls);
    fs.rmSync(callsFile, { force: true });
  }
  r.rate = rate;
  Object.assign(r, judge(r));
  return r;
}

function line(name, mode, r) {
  const k = r.lat_kernel;
  return `${name.padEnd(10)} ${mode.padEnd(5)} ${String(r.rate).padStart(6)} pps: delivered ${r.delivered_pps.toFixed(0).padStart(6)} lost ${String(r.lost_all).padStart(6)}`
    + ` authfail ${r.srtp_auth_fail} p99 ${k.p99_us.toFixed(0)} us daemonCPU ${r.daemon_cpu_pct ?? '-'}% = ${r.usPerPkt.toFixed(2)} us/pkt genCPU ${r.gen_cpu_pct}%`
    + ` ${r.strict ? 'PASS' : r.validGen ? 'fail' : 'GEN-LATE'}`;
}

async function sweep(ctx, name, mode, rep) {
  const daemon = await startDaemon({
    name, cpu: ctx.o.cpus[1], sched: ctx.o.sched, ngPort: NG_PORT, httpPort: HTTP_PORT, portMin: MEDIA_MIN, portMax: MEDIA_MAX,
    logFile: path.join(ctx.tmp, `srtp-${name}.log`), extraArgs: name === 'whisperd' ? ctx.o.wdArgs : [],
    // the native media plane (relay + SRTP) must be what is measured: refuse a whisperd whose addon does not load
    requireNative: name === 'whisperd',
  });
  const logFrom = fs.statSync(path.join(ctx.tmp, `srtp-${name}.log`)).size;
  ctx.commands[name] = daemon.command;
  const steps = [];
  let fails = 0;
  try {
    for (const rate of ctx.o.rates) {
      if (!daemon.alive()) throw new Error(`${name} died; see ${path.join(ctx.tmp, `srtp-${name}.log`)}`);
      if (ctx.o.sched === 'fifo') raiseHelpers(daemon.pid, 11);
      const r = await step(ctx, daemon, mode, rate, `${name}-${mode}-r${rep}-${rate}`);
      steps.push(r);
      console.log(`  [${rep}] ${line(name, mode, r)}`);
      ctx.genCommand = r.command.replace(/--calls \S+/, '--calls <file>').replace(/--daemon-pid \d+/, '--daemon-pid <pid>');
      fails = r.strict ? 0 : fails + 1;
      if (fails >= 2 && !ctx.o.quick) break;
      await sleep(500);
    }
    daemon.assertNative();
    // whisperd refuses SRTP keys when its addon lacks SRTP (e.g. started mid-rebuild): the leg then drops everything
    const log = fs.readFileSync(path.join(ctx.tmp, `srtp-${name}.log`)).subarray(logFrom).toString('utf8');
    if (/SRTP keys refused/.test(log)) throw new Error(`${name} refused SRTP keys (${(/"err":"([^"]*)"/.exec(log) ?? [])[1] ?? 'see its log'}): not measured`);
  } finally {
    await daemon.stop();
  }
  return steps;
}

const median = (xs) => {
  const a = xs.filter(Number.isFinite).sort((x, y) => x - y);
  if (!a.length) return NaN;
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
function strictMax(steps) {
  let best = 0;
  for (const r of steps) { if (r.strict) best = r.rate; else break; }
  return { max: best, lowerBound: steps.length > 0 && steps[steps.length - 1].strict };
}

function report(ctx, res) {
  const L = [];
  const m = ctx.mach;
  L.push(`# SRTP <-> RTP bridged relay vs plain relay, ${ctx.started.toISOString().slice(0, 16)}Z`);
  L.push('');
  L.push(`Machine: ${m.cpu}, ${m.cpus} CPUs, ${m.kernel}, node ${m.node}, ${m.rtpengine}. whisperd ${ctx.gitRev}.`);
  L.push(`Command: \`node bench/srtp.js ${ctx.argv.join(' ')}\`; generator: \`${ctx.genCommand ?? '?'}\` (CPU ${ctx.o.cpus[0]}); daemon on CPU ${ctx.o.cpus[1]}.`);
  for (const [n, c] of Object.entries(ctx.commands)) L.push(`- ${n}: \`${c}\``);
  L.push('');
  L.push(`SRTP leg: ${SUITE} (SDES, RFC 4568), party A <-> daemon; party B plain RTP/AVP. Each packet is decrypted or encrypted once by the daemon.`);
  L.push('Max = highest offered rate (pps, both directions) passing the strict rule (loss < 0.01 %, p99 < 5 ms, generator on schedule, no SRTP auth failure) with every lower step; `>=` when the sweep\'s last step passed. us/pkt = daemon CPU / delivered packets.');
  L.push('');
  L.push('Per-core capacity = 1e6 / (us/pkt): packets one fully busy core would move at that cost; its SRTP / plain ratio is the');
  L.push('per-core form of the target when both sweeps are still passing at the top rate (the generator, not the daemon, set the limit).');
  L.push('');
  L.push('| daemon | plain max (pps) | SRTP max (pps) | max SRTP / plain (target >= 0.8) | plain us/pkt | SRTP us/pkt | at rate | per-core capacity plain / SRTP (kpps) | capacity SRTP / plain (target >= 0.8) |');
  L.push('|---|---|---|---|---|---|---|---|---|');
  const summary = {};
  // a sweep that did not run (NOT MEASURED, listed below the table) is left out, not counted as max 0
  res = Object.fromEntries(Object.entries(res).map(([n, modes]) => [n, Object.fromEntries(Object.entries(modes).map(([m, sws]) => [m, sws.filter((sw) => sw.length > 0)]))]));
  for (const n of Object.keys(res)) {
    const mx = {};
    for (const mode of ctx.o.modes) {
      const maxes = (res[n][mode] ?? []).map(strictMax);
      mx[mode] = { med: median(maxes.map((x) => x.max)), all: maxes.map((x) => x.max), lb: maxes.some((x) => x.lowerBound) };
    }
    // us/pkt at the highest rate every repeat of both modes passed
    const passedAll = (rate) => ctx.o.modes.every((mode) => (res[n][mode] ?? []).every((sw) => sw.find((r) => r.rate === rate)?.strict));
    const common = ctx.o.rates.filter(passedAll).pop();
    const us = {};
    for (const mode of ctx.o.modes) us[mode] = common ? median((res[n][mode] ?? []).map((sw) => sw.find((r) => r.rate === common)?.usPerPkt)) : NaN;
    const ratio = mx.srtp && mx.plain ? mx.srtp.med / mx.plain.med : NaN;
    let verdict = '';
    if (Number.isFinite(ratio)) {
      if (mx.plain.lb && mx.srtp.lb) verdict = ' (both lower bounds: not determined, extend --rates; see the per-core capacity)';
      else if (mx.plain.lb && !mx.srtp.lb) verdict = ratio >= 0.8 ? ' (plain is a lower bound)' : ' MISS? plain is a lower bound: extend --rates';
      else if (mx.srtp.lb && !mx.plain.lb) verdict = ratio >= 0.8 ? ' pass (SRTP a lower bound)' : ' (SRTP is a lower bound: extend --rates)';
      else verdict = ratio >= 0.8 ? ' pass' : ' MISS';
    }
    summary[n] = { plainMax: mx.plain?.all, srtpMax: mx.srtp?.all, ratio, usPerPkt: us, commonRate: common ?? null };
    const f = (x) => (x ? `${x.lb ? '>=' : ''}${x.med} [${x.all.join(', ')}]` : '-');
    const capP = 1e3 / us.plain, capS = 1e3 / us.srtp, capR = capS / capP;
    summary[n].capacityRatio = capR;
    L.push(`| ${n} | ${f(mx.plain)} | ${f(mx.srtp)} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : '-'}${verdict} | ${Number.isFinite(us.plain) ? us.plain.toFixed(2) : '-'} | ${Number.isFinite(us.srtp) ? us.srtp.toFixed(2) : '-'} | ${common ?? '-'} | ${Number.isFinite(capP) ? `${capP.toFixed(0)} / ${capS.toFixed(0)}` : '-'} | ${Number.isFinite(capR) ? `${capR.toFixed(2)} ${capR >= 0.8 ? 'pass' : 'MISS'}` : '-'} |`);
  }
  for (const [n, e] of Object.entries(ctx.errors)) for (const [mode, msgs] of Object.entries(e)) L.push(`- ${n} ${mode}: NOT MEASURED in ${msgs.length} sweep(s): ${msgs[0]}`);
  L.push('');
  L.push('## Steps');
  L.push('');
  L.push('| daemon | mode | repeat | rate | delivered pps | lost | SRTP auth fail | p99 us | daemon CPU % | us/pkt | generator CPU % | result |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const n of Object.keys(res)) for (const mode of ctx.o.modes) (res[n][mode] ?? []).forEach((sw, i) => sw.forEach((r) => {
    L.push(`| ${n} | ${mode} | ${i + 1} | ${r.rate} | ${r.delivered_pps.toFixed(0)} | ${r.lost_all} | ${r.srtp_auth_fail} | ${r.lat_kernel.p99_us.toFixed(0)} | ${r.daemon_cpu_pct ?? '-'} | ${r.usPerPkt.toFixed(2)} | ${r.gen_cpu_pct} | ${r.strict ? 'pass' : r.validGen ? 'fail' : 'GEN-LATE'} |`);
  }));
  fs.writeFileSync(path.join(ctx.outDir, 'report.md'), `${L.join('\n')}\n`);
  // latency histograms without their buckets (megabytes per run); the quantiles stay
  const slim = JSON.parse(JSON.stringify(res, (k, v) => (k === 'buckets' ? undefined : v)));
  fs.writeFileSync(path.join(ctx.outDir, 'results.json'), JSON.stringify({ options: ctx.o, machine: ctx.mach, commands: ctx.commands, gitRev: ctx.gitRev, started: ctx.started, argv: ctx.argv, genCommand: ctx.genCommand, errors: ctx.errors, summary, res: slim }, null, 1));
  return summary;
}

async function main() {
  const argv = process.argv.slice(2);
  const o = args(argv);
  if (o.from) {
    const file = path.resolve(o.from);
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    SUITE = j.options.suite ?? SUITE;
    const ctx = { o: { ...j.options, from: undefined }, mach: j.machine, commands: j.commands ?? {}, gitRev: j.gitRev, started: new Date(j.started ?? fs.statSync(file).mtime), argv: j.argv ?? [], genCommand: j.genCommand, errors: j.errors ?? {}, outDir: path.dirname(file) };
    report(ctx, j.res);
    console.log(`report: ${path.join(ctx.outDir, 'report.md')}`);
    return;
  }
  const started = new Date();
  const mach = { host: os.hostname(), cpu: (/^Model name:\s*(.*)$/m.exec(sh('lscpu', [])) || [])[1] ?? '?', cpus: os.cpus().length, kernel: `${os.type()} ${os.release()}`, node: process.version, rtpengine: rtpengineVersion() };
  const stamp = started.toISOString().slice(0, 10);
  let outDir = o.out ? path.resolve(o.out) : path.join(__dirname, 'results', o.quick ? 'tmp' : '', `${stamp}-${mach.host}-srtp${o.suite === 'AEAD_AES_128_GCM' ? '-gcm' : ''}${o.quick ? '-quick' : ''}`);
  if (!o.out && !o.quick) for (let i = 2, b = outDir; fs.existsSync(outDir); i++) outDir = `${b}-${i}`; // never overwrite an earlier run
  const tmp = path.join(__dirname, 'results', 'tmp');
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  const dirty = sh('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'native']);
  const ctx = { o, mach, bin: buildGenerator(), tmp, outDir, started, argv, commands: {}, errors: {}, gitRev: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']) + (dirty ? ` + ${dirty.split('\n').length} modified files` : '') };
  for (const n of o.daemons) if (!DAEMONS[n]?.available()) throw new Error(`${n} is not available (rtpengine: Debian rtpengine-daemon; whisperd: npx tsc -p tsconfig.build.json)`);
  console.log(`srtp bench: daemons ${o.daemons.join(', ')}; modes ${o.modes.join(', ')}; rates ${o.rates.join(',')}; repeats ${o.repeats}`);
  const res = {};
  for (let rep = 1; rep <= o.repeats; rep++) {
    for (const n of o.daemons) {
      for (const mode of o.modes) {
        // a sweep that cannot run (e.g. a daemon that does not answer SRTP) is reported, the others still run
        const steps = await sweep(ctx, n, mode, rep).catch((e) => {
          console.log(`  [${rep}] ${n} ${mode}: NOT MEASURED: ${e.message.split('\n')[0]}`);
          ((ctx.errors[n] ??= {})[mode] ??= []).push(e.message.split('\n').slice(0, 3).join(' / '));
          return [];
        });
        ((res[n] ??= {})[mode] ??= []).push(steps);
      }
    }
  }
  const summary = report(ctx, res);
  console.log(`report: ${path.join(outDir, 'report.md')}`);
  for (const [n, s] of Object.entries(summary)) console.log(`${n}: plain max ${JSON.stringify(s.plainMax)} srtp max ${JSON.stringify(s.srtpMax)} ratio ${s.ratio.toFixed(2)} capacity ratio ${s.capacityRatio?.toFixed(2)} us/pkt ${JSON.stringify(s.usPerPkt)} at ${s.commonRate}`);
  if (Object.keys(ctx.errors).length) process.exitCode = 1;
  if (!o.quick && !o.out) fs.copyFileSync(path.join(outDir, 'report.md'), path.join(__dirname, 'results', 'srtp-latest.md'));
}

main().catch((e) => {
  console.error(e.stack || e);
  killAll();
  process.exit(1);
});
