#!/usr/bin/env node
/*
 * Runs rtpengine 10.5's daemon test suite (t/auto-daemon-tests.pl, tag mr10.5.3.5) against one daemon,
 * one scenario per Perl process, and writes a per-scenario result table. See README.md.
 *
 *   node bench/rtpengine-suite/run.js --daemon=whisperd|rtpengine [--only=12,40-45] [--timeout=20]
 *        [--suite=/path/auto-daemon-tests.pl] [--out=results/<date>-<daemon>.tsv] [--no-start]
 *        [--include=encryption,ice [--no-plain]]
 *
 * Needs root (it makes the suite's test addresses local: `ip route add local 198.51.100.0/24 dev lo`, ...),
 * Perl with the modules listed in README.md, and for --daemon=rtpengine the Debian rtpengine-daemon package.
 * Scenarios run sequentially against one daemon started here (or, with --no-start, one already listening
 * on 127.0.0.1:2223) and it is stopped at the end. A scenario passes when its Perl process exits 0 with
 * every assertion ok.
 */
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const dgram = require('node:dgram');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..', '..');
// rtpengine's suite and Perl client at tag mr10.5.3.5, fetched by fetch-suite.sh (not committed).
const UPSTREAM = path.join(HERE, '.upstream');
const NG_PORT = 2223;
// Exclusion reasons (split.pl) that --include can turn back on: the encrypted-leg and ICE scenarios (issue #12).
const INCLUDABLE = ['encryption', 'ICE'];

function parseArgs(argv) {
  const a = { daemon: 'whisperd', timeout: 20, suite: path.join(UPSTREAM, 't', 'auto-daemon-tests.pl'), only: null, out: null, start: true, include: new Set(), plain: true };
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}`);
    const [, k, v] = m;
    if (k === 'daemon') a.daemon = v;
    else if (k === 'timeout') a.timeout = Number(v);
    else if (k === 'suite') a.suite = path.resolve(v);
    else if (k === 'out') a.out = path.resolve(v);
    else if (k === 'no-start') a.start = false;
    else if (k === 'no-plain') a.plain = false;
    else if (k === 'include') {
      // Exclusion reasons whose scenarios run too (README "Exclusions"): encryption, ICE.
      for (const part of (v ?? '').split(',').filter(Boolean)) {
        const r = INCLUDABLE.find((x) => x.toLowerCase() === part.toLowerCase());
        if (!r) throw new Error(`--include: ${part} is not one of ${INCLUDABLE.join(', ')}`);
        a.include.add(r);
      }
    }
    else if (k === 'only') {
      a.only = new Set();
      for (const part of v.split(',')) {
        const r = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!r) throw new Error(`--only: bad range ${part}`);
        for (let i = Number(r[1]); i <= Number(r[2] ?? r[1]); i++) a.only.add(i);
      }
    } else throw new Error(`unknown option --${k}`);
  }
  if (!a.plain && a.include.size === 0) throw new Error('--no-plain needs --include=...');
  if (!['whisperd', 'rtpengine'].includes(a.daemon)) throw new Error('--daemon must be whisperd or rtpengine');
  return a;
}

/** The suite's peers send from 198.51.100.x / 198.51.101.x and the daemon listens on 203.0.113.1 and
 *  2001:db8:4321::1: make them local addresses (idempotent; `replace` never fails on an existing route). */
function ensureNetwork() {
  const cmds = [
    ['ip', 'route', 'replace', 'local', '198.51.100.0/24', 'dev', 'lo', 'table', 'local'],
    ['ip', 'route', 'replace', 'local', '198.51.101.0/24', 'dev', 'lo', 'table', 'local'],
    ['ip', 'route', 'replace', 'local', '203.0.113.0/24', 'dev', 'lo', 'table', 'local'],
  ];
  for (const c of cmds) execFileSync(c[0], c.slice(1), { stdio: 'inherit' });
  const v6 = execFileSync('ip', ['-6', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' });
  if (!v6.includes('2001:db8:4321::1/')) execFileSync('ip', ['-6', 'addr', 'add', '2001:db8:4321::1/128', 'dev', 'lo', 'nodad'], { stdio: 'inherit' });
}

function ngPing(timeoutMs) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const cookie = `${process.pid}${Date.now()}`;
    const t = setTimeout(() => { s.close(); resolve(false); }, timeoutMs);
    s.on('message', (m) => {
      if (m.toString().startsWith(cookie)) { clearTimeout(t); s.close(); resolve(m.toString().includes('pong')); }
    });
    s.on('error', () => {});
    s.send(`${cookie} d7:command4:pinge`, NG_PORT, '127.0.0.1');
  });
}

async function waitReady(proc, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc && proc.exitCode !== null) return false;
    if (await ngPing(300)) return true;
  }
  return false;
}

/** whisperd's supervision audit log: a fresh file per run, outside the working tree. */
const AUDIT_FILE = path.join(os.tmpdir(), 'whisperd-rtpengine-suite-audit.jsonl');

function daemonCommand(daemon, v6) {
  if (daemon === 'rtpengine') {
    // The suite's own command line (autotest_start in auto-daemon-tests.pl); -t -1 is --table=-1 (no kernel module).
    return ['/usr/bin/rtpengine', ['--config-file=none', '-t', '-1', '-i', '203.0.113.1', '-i', '2001:db8:4321::1',
      '-n', String(NG_PORT), '-c', '12345', '-f', '-L', '7', '-E', '-u', '2222', '--silence-detect=1']];
  }
  const args = [path.join(ROOT, 'dist', 'src', 'main.js'), `--ng.listen=127.0.0.1:${NG_PORT}`, '--http.listen=127.0.0.1:29923',
    '--media.portMin=30000', '--media.portMax=39999', `--audit.file=${AUDIT_FILE}`];
  // rtpengine's --silence-detect=1 from the suite's command line, when this whisperd has the key.
  const schema = path.join(ROOT, 'dist', 'src', 'config', 'schema.js');
  if (fs.existsSync(schema) && fs.readFileSync(schema, 'utf8').includes('silenceDetect')) args.push('--media.silenceDetect=1');
  if (v6) args.push(`--media.interfaces=${JSON.stringify(['203.0.113.1', '2001:db8:4321::1'])}`);
  else args.push('--media.address=203.0.113.1');
  return [process.execPath, args];
}

/** whisperd without its native addon falls back (reference engine, no T.38 gateway, fewer codecs) and
 *  would be measured as something it is not: wait until the addon loads (a rebuild may be under way). */
async function nativeReady() {
  for (let i = 0; i < 90; i++) {
    if (spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-native.js')], { cwd: ROOT, stdio: 'ignore' }).status === 0) return;
    if (i === 0) console.error('# native addon not loadable (being rebuilt?); waiting up to 90 s');
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('native addon does not load (node scripts/check-native.js); run `make native`');
}

async function startDaemon(daemon, logFile) {
  if (await ngPing(300)) throw new Error(`something already answers ng on 127.0.0.1:${NG_PORT}; stop it first (or use --no-start)`);
  if (daemon === 'whisperd' && fs.existsSync(path.join(ROOT, 'scripts', 'check-native.js'))) await nativeReady();
  fs.rmSync(AUDIT_FILE, { force: true });
  for (const v6 of daemon === 'whisperd' ? [true, false] : [true]) {
    const [cmd, args] = daemonCommand(daemon, v6);
    const log = fs.openSync(logFile, 'a');
    fs.writeSync(log, `\n### ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
    const proc = spawn(cmd, args, { stdio: ['ignore', log, log], cwd: ROOT });
    fs.closeSync(log);
    if (await waitReady(proc, 30000)) return { proc, cmdline: `${cmd} ${args.join(' ')}`, v6 };
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    console.error(`daemon did not start with ${v6 ? 'IPv4+IPv6 interfaces' : 'IPv4 only'}; see ${logFile}`);
  }
  throw new Error(`${daemon} did not start; see ${logFile}`);
}

async function stopDaemon(d) {
  if (!d || d.proc.exitCode !== null) return;
  d.proc.kill('SIGTERM');
  const done = new Promise((r) => d.proc.once('exit', r));
  const t = setTimeout(() => d.proc.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(t);
}

/** The first failure of a scenario run, in one line. */
function firstFailure(out, err, status, signal, timedOut) {
  const h = /^H-(SDPDIFF|RTPDIFF|RCVTIMEOUT) (.*)$/m.exec(err);
  const notOk = /^not ok \d+ - (.*)$/m.exec(out);
  const errReason = /Error reason: "([^"]*)"/.exec(err);
  const died = /^(?!#)(.*) at (?:\S+) line (\d+)\.$/m.exec(err);
  if (timedOut) return 'timeout (no reply or scenario hung)';
  // The earliest event wins: a daemon error reply dies before any assertion of that command.
  const cands = [];
  if (errReason) cands.push([err.indexOf(errReason[0]), `error reply: ${errReason[1]}`]);
  if (h) cands.push([err.indexOf(h[0]), `${h[1]}: ${h[2]}`]);
  if (cands.length) return cands.sort((x, y) => x[0] - y[0])[0][1];
  if (notOk) return `not ok: ${notOk[1]}`;
  if (died) return `died: ${died[1]} (line ${died[2]})`;
  if (signal) return `killed by ${signal}`;
  if (status !== 0) {
    const last = err.trim().split('\n').pop() || '';
    return `exit ${status}${last ? `: ${last.slice(0, 200)}` : ''}`;
  }
  return '';
}

/** HEAD's short hash, and how many tracked files differ from it (the run measures the working tree). */
function gitShort() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'native'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n').filter(Boolean).length;
    return dirty ? `${head}+${dirty}-modified-files` : head;
  } catch {
    return '?';
  }
}

/** One run at a time on this machine: the scenarios bind fixed peer ports and the daemon takes ng port 2223.
 *  A second run waits for the first (lock directory holding the owner's pid; a dead owner's lock is taken over). */
const LOCK = path.join(os.tmpdir(), 'whisperd-rtpengine-suite.lock');
async function takeLock() {
  for (let waited = 0; ; waited++) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      process.on('exit', () => fs.rmSync(LOCK, { recursive: true, force: true }));
      for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8')); } catch {}
      let alive = false;
      if (owner > 0) { try { process.kill(owner, 0); alive = true; } catch {} }
      if (!alive && waited > 0) { fs.rmSync(LOCK, { recursive: true, force: true }); continue; }
      if (waited % 30 === 0) console.error(`# waiting for the run of pid ${owner} (${LOCK})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  if (process.getuid && process.getuid() !== 0) throw new Error('run as root (the test addresses are made local with `ip route`)');
  await takeLock();
  const fetched = spawnSync(path.join(HERE, 'fetch-suite.sh'), { stdio: 'inherit' });
  if (fetched.status !== 0) throw new Error('fetch-suite.sh failed: set RTPENGINE_SRC to a clone of github.com/sipwise/rtpengine, or allow network access');
  ensureNetwork();
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rtpe-suite-'));
  // WHISPERD_* variables reach the daemon; they are named in the table's header and the log folder.
  const envNote = Object.keys(process.env).filter((k) => k.startsWith('WHISPERD_')).sort().map((k) => `${k}=${process.env[k]}`).join(' ');
  const envTag = process.env.WHISPERD_MEDIA_ENGINE ? `-engine-${process.env.WHISPERD_MEDIA_ENGINE.replace(/[^a-z0-9]/gi, '')}` : '';
  // --include: its own log folder and table, so the plain run's (the 144 of issue #11) stay as they are.
  const incTag = a.include.size ? `-${[...a.include].map((x) => x.toLowerCase()).join('-')}${a.plain ? '' : '-only'}` : '';
  const logDir = path.join(HERE, 'results', 'logs', `${a.daemon}${envTag}${incTag}${a.only ? '-only' : ''}`);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const split = spawnSync('perl', [path.join(HERE, 'split.pl'), a.suite, work], { encoding: 'utf8' });
  if (split.status !== 0) throw new Error(`split.pl failed: ${split.stderr}`);
  const index = fs.readFileSync(path.join(work, 'index.tsv'), 'utf8').trim().split('\n').map((l) => {
    const [idx, line, reason, name] = l.split('\t');
    return { idx: Number(idx), line: Number(line), reason, name };
  });

  let d = null;
  const daemonLog = path.join(logDir, 'daemon.log');
  if (a.start) d = await startDaemon(a.daemon, daemonLog);
  else if (!(await ngPing(1000))) throw new Error(`--no-start: nothing answers ng on 127.0.0.1:${NG_PORT}`);
  const commit = gitShort();
  console.log(`# ${a.daemon} ${d ? d.cmdline : '(external)'}`);

  const rows = [];
  let pass = 0;
  let fail = 0;
  let excluded = 0;
  const perCat = new Map();
  for (const s of index) {
    const included = a.include.has(s.reason);
    if (s.reason !== '-' && !included) {
      excluded++;
      rows.push([s.idx, s.line, s.name, 'excluded', s.reason]);
      continue;
    }
    if (s.reason === '-' && !a.plain) continue;
    if (a.only && !a.only.has(s.idx)) continue;
    const cat = s.reason === '-' ? 'plain' : s.reason;
    if (d && d.proc.exitCode !== null) {
      console.log(`# daemon exited (${d.proc.exitCode}); restarting`);
      d = await startDaemon(a.daemon, daemonLog);
    }
    const file = path.join(work, `${String(s.idx).padStart(3, '0')}.pl`);
    const r = spawnSync('perl', ['-I', path.join(UPSTREAM, 'perl'), file], {
      encoding: 'utf8', timeout: a.timeout * 1000, killSignal: 'SIGKILL', cwd: work, maxBuffer: 64 * 1024 * 1024,
    });
    const timedOut = r.error && r.error.code === 'ETIMEDOUT';
    const out = r.stdout || '';
    const err = r.stderr || '';
    fs.writeFileSync(path.join(logDir, `${String(s.idx).padStart(3, '0')}.log`), `${out}\n--- stderr ---\n${err}`);
    const failure = firstFailure(out, err, r.status, r.signal, timedOut);
    let ok = !timedOut && r.status === 0 && !/^not ok /m.test(out) && failure === '';
    let detail = failure;
    if (d && d.proc.exitCode !== null) { ok = false; detail = `daemon died (exit ${d.proc.exitCode}) ${detail}`; }
    if (ok) pass++;
    else fail++;
    if (!perCat.has(cat)) perCat.set(cat, [0, 0]);
    perCat.get(cat)[ok ? 0 : 1]++;
    const row = [s.idx, s.line, s.name, ok ? 'pass' : 'fail', detail.replace(/[\t\n]/g, ' ')];
    if (a.include.size) row.push(cat); // sixth column: the scenario's category (plain, encryption, ICE)
    rows.push(row);
    console.log(`${ok ? 'pass' : 'FAIL'} ${s.idx} (line ${s.line}) ${s.name}${ok ? '' : ` -- ${detail.slice(0, 200)}`}`);
  }
  await stopDaemon(d);

  const ran = pass + fail;
  // A partial run (--only) never replaces the full table.
  const out = a.out ?? (a.only ? path.join(logDir, 'results.tsv') : path.join(HERE, 'results', `${stamp.slice(0, 8)}-${a.daemon}${incTag}.tsv`));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const header = [
    `# rtpengine mr10.5.3.5 t/auto-daemon-tests.pl against ${a.daemon}; ${new Date().toISOString()}; whisperd commit ${commit}`,
    `# daemon: ${envNote ? `${envNote} ` : ''}${d ? d.cmdline : '(external)'}`,
    `# scenarios: ${index.length}; excluded: ${excluded}; run: ${ran}; pass: ${pass}; fail: ${fail}${a.only ? ' (--only subset)' : ''}`,
    ...(a.include.size ? [`# included: ${[...a.include].join(', ')}${a.plain ? '' : ' (plain scenarios not run)'}; by category: ${[...perCat].map(([c, [p, f]]) => `${c} ${p}/${p + f}`).join('; ')}`] : []),
    `index\tline\tname\tresult\tfirst failure or exclusion reason${a.include.size ? '\tcategory' : ''}`,
  ];
  fs.writeFileSync(out, `${header.join('\n')}\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`# ${a.daemon}: ${pass}/${ran} passed (${excluded} of ${index.length} excluded); table: ${path.relative(ROOT, out)}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
