'use strict';
// Start/stop the relay under test (rtpengine userspace or whisperd), pinned to one core.
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { NgClient } = require('./ng');

const REPO = path.resolve(__dirname, '..', '..');

/** Processes started by this benchmark, killed on exit whatever happens. */
const live = new Set();
function killAll() {
  for (const p of live) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  live.clear();
}
process.on('exit', killAll);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => { killAll(); process.exit(130); });

/**
 * Scheduling wrapper. The benchmark machine may be shared with other work; under CFS a pinned process
 * still waits behind other runnable tasks on its core (measured: 100 kpps self-test 0 late sends with
 * SCHED_FIFO vs 340k late sends at nice 0). 'fifo' = chrt -f 10 (the kernel's RT throttling still
 * leaves 5 % to others), 'nice' = nice -n -20, 'none' = plain.
 */
function schedPrefix(sched) {
  if (sched === 'fifo') return ['chrt', '-f', '10'];
  if (sched === 'nice') return ['nice', '-n', '-20'];
  return [];
}

function wrap(cmd, args, opts) {
  // nice + taskset exec the command, so the child's pid is the daemon's pid.
  const pre = [...schedPrefix(opts.sched), 'taskset', '-c', String(opts.cpu)];
  return { file: pre[0], argv: [...pre.slice(1), cmd, ...args] };
}

function rtpengineVersion() {
  // 10.5 prints "Version: ..." on stderr
  const r = spawnSync('rtpengine', ['--version'], { encoding: 'utf8' });
  return `${r.stdout || ''}${r.stderr || ''}`.trim() || 'rtpengine not found';
}

const DAEMONS = {
  rtpengine: {
    label: 'rtpengine 10.5 userspace',
    available() {
      try { execFileSync('sh', ['-c', 'command -v rtpengine'], { stdio: 'ignore' }); return true; } catch { return false; }
    },
    command({ ngPort, portMin, portMax }) {
      return {
        cmd: 'rtpengine',
        args: [
          '--config-file=none', '--table=-1', '--interface=127.0.0.1',
          `--listen-ng=127.0.0.1:${ngPort}`, '--foreground', '--log-stderr', '--log-level=3',
          `--port-min=${portMin}`, `--port-max=${portMax}`,
          '--num-threads=1', '--media-num-threads=1', '--delete-delay=0', '--timeout=120',
          '--pidfile=/dev/null',
        ],
      };
    },
  },
  whisperd: {
    label: 'whisperd',
    available() { return fs.existsSync(path.join(REPO, 'dist', 'src', 'main.js')); },
    command({ ngPort, httpPort, portMin, portMax }) {
      return {
        cmd: process.execPath,
        args: [
          path.join(REPO, 'dist', 'src', 'main.js'),
          `--ng.listen=127.0.0.1:${ngPort}`, `--http.listen=127.0.0.1:${httpPort}`,
          `--media.portMin=${portMin}`, `--media.portMax=${portMax}`,
          '--log.level=warn', '--timeouts.deleteDelay=0',
        ],
      };
    },
  },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * whisperd without its native addon (missing, or mid-rebuild when it starts) still runs, all in JS, and says
 * so only in its log, lazily (at the first relay / mixer). A benchmark of the native plane must not measure
 * that: probeNative() loads the addon the way that build's daemon will (its own src/native/addon.js) and
 * throws unless it has the relay and mix functions; nativeLogWarnings() finds the daemon's own warnings.
 */
function probeNative(mainJs) {
  const loader = path.join(path.dirname(mainJs), 'native', 'addon.js');
  const code = `const n=require(${JSON.stringify(loader)}).loadNative(); if(!n) process.exit(3); for (const f of ['relayStart','mixCreate']) if (typeof n[f]!=='function') { console.error('addon lacks '+f); process.exit(4); }`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`whisperd's native addon does not load with the relay and mix functions (${loader}: exit ${r.status}; ${(r.stderr || r.stdout).trim().split('\n').filter((l) => /msg|lacks|Error/.test(l)).slice(0, 2).join(' ')}). Rebuild with \`make native\`, or run with --engine=reference`);
}

function nativeLogWarnings(logFile, fromByte) {
  let text = '';
  try { text = fs.readFileSync(logFile).subarray(fromByte).toString('utf8'); } catch { return []; } // byte offset, not characters
  return text.split('\n').filter((l) => /"level":(4|5|6)0/.test(l) && /native relay unavailable|no mix functions|cannot host mixes on media threads/.test(l))
    .map((l) => { try { const j = JSON.parse(l); return j.reason ? `${j.msg}: ${j.reason}` : j.msg; } catch { return l.slice(0, 200); } });
}

/** Resolves once 127.0.0.1:port can be bound (UDP); throws after timeoutMs naming the port. */
async function waitUdpFree(port, timeoutMs, who) {
  const dgram = require('node:dgram');
  const t0 = Date.now();
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => { s.close(); resolve(false); });
      s.bind(port, '127.0.0.1', () => { s.close(); resolve(true); });
    });
    if (ok) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`cannot start ${who}: UDP 127.0.0.1:${port} still in use after ${timeoutMs / 1000} s (a previous daemon not exited yet, or another program: ss -ulpn | grep ${port})`);
    await sleep(250);
  }
}

/**
 * Helper threads one SCHED_FIFO priority above the main thread: every thread of `pid` except the main
 * one (tid == pid) to FIFO `prio` (default 11; the main thread stays at 10). Node's helper threads
 * (V8 platform workers: concurrent GC / compiler jobs; libuv pool) share the daemon's one core; at the
 * same FIFO priority as the main thread they starve whenever the main thread waits for them without
 * sleeping, and the main thread spins until RT throttling (bench/mix.js notes). Threads created later
 * inherit the creating thread's policy, so callers re-apply this before each measurement. Returns
 * {threads, changed}: the helper count and how many were not yet at `prio`.
 */
function raiseHelpers(pid, prio = 11) {
  let threads = 0, changed = 0;
  let tids = [];
  try { tids = fs.readdirSync(`/proc/${pid}/task`).filter((t) => Number(t) !== pid); } catch { return { threads, changed }; }
  for (const t of tids) {
    let st;
    try { st = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); } catch { continue; } // thread gone
    threads++;
    // fields after the ")": state is #3; rt_priority #40, policy #41 (1 = SCHED_FIFO)
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    if (Number(f[37]) === prio && Number(f[38]) === 1) continue;
    try { execFileSync('chrt', ['-f', '-p', String(prio), t], { stdio: 'ignore' }); changed++; } catch { /* exited meanwhile */ }
  }
  return { threads, changed };
}

/**
 * Start a daemon; resolves once it answers an ng ping. Returns {proc, pid, ng, stop(), logTail()}.
 * opts: {name, cpu, sched, ngPort, httpPort, portMin, portMax, logFile}
 */
async function startDaemon(opts) {
  const d = DAEMONS[opts.name];
  if (!d) throw new Error(`unknown daemon ${opts.name}`);
  // A previous daemon that has not exited yet (e.g. starved of CPU with a SIGKILL pending) still holds the
  // ng port: wait for it rather than start a daemon that fails with EADDRINUSE.
  await waitUdpFree(opts.ngPort, 30000, opts.name);
  const { cmd, args: baseArgs } = d.command(opts);
  if (opts.name === 'whisperd' && opts.requireNative) probeNative(opts.mainJs ?? path.join(REPO, 'dist', 'src', 'main.js'));
  // opts.mainJs: run whisperd from another build (bench/mix.js builds the tree into bench/results/tmp);
  // opts.extraArgs: appended daemon options.
  const args = [...baseArgs, ...(opts.extraArgs ?? [])];
  if (opts.mainJs && opts.name === 'whisperd') args[0] = opts.mainJs;
  if (opts.nodeArgs && opts.name === 'whisperd') args.unshift(...opts.nodeArgs);
  // Start under normal scheduling (pinned) and switch every thread to SCHED_FIFO once it answers
  // ping: whisperd (git 64c2919) never finishes starting when it is SCHED_FIFO on one core from exec
  // (its main thread keeps the event loop spinning while helper threads, starved, would have to run).
  const w = wrap(cmd, args, { ...opts, sched: opts.sched === 'fifo' ? 'none' : opts.sched });
  const logStart = fs.existsSync(opts.logFile) ? fs.statSync(opts.logFile).size : 0;
  const log = fs.openSync(opts.logFile, 'a');
  fs.writeSync(log, `# ${[w.file, ...w.argv].join(' ')}\n`);
  const proc = spawn(w.file, w.argv, { cwd: REPO, stdio: ['ignore', log, log] });
  live.add(proc);
  let exited = null;
  proc.on('exit', (code, sig) => { exited = { code, sig }; live.delete(proc); });
  const ng = new NgClient('127.0.0.1', opts.ngPort, { timeoutMs: 500 });
  await ng.open();
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`${opts.name} exited during start-up (${JSON.stringify(exited)}); see ${opts.logFile}`);
    try {
      const r = await ng.request({ command: 'ping' });
      if (r.result === 'pong') break;
    } catch { /* not up yet */ }
    if (Date.now() - t0 > 15000) {
      try { proc.kill('SIGKILL'); } catch { /* ignore */ }
      throw new Error(`${opts.name} did not answer ng ping within 15 s; see ${opts.logFile}`);
    }
    await sleep(100);
  }
  ng.timeoutMs = 5000;
  let command = [w.file, ...w.argv].join(' ');
  if (opts.sched === 'fifo') {
    const promote = ['chrt', '-a', '-f', '-p', '10', String(proc.pid)];
    execFileSync(promote[0], promote.slice(1), { stdio: 'ignore' });
    command += `   # then, once it answers ng ping: ${promote.slice(0, -1).join(' ')} <pid>`;
  }
  return {
    name: opts.name,
    proc,
    pid: proc.pid,
    ng,
    command,
    /** whisperd's log lines (since this start) saying its native plane is not in use; [] for rtpengine. */
    nativeWarnings: () => (opts.name === 'whisperd' ? nativeLogWarnings(opts.logFile, logStart) : []),
    /** With opts.requireNative: throws if the log says the native plane was not used (call after a measurement). */
    assertNative() {
      const w = this.nativeWarnings();
      if (opts.requireNative && w.length) throw new Error(`whisperd ran without its native media plane (${[...new Set(w)].join('; ')}); see ${opts.logFile}. Rebuild with \`make native\`, or run with --engine=reference`);
    },
    alive: () => !exited,
    async stop() {
      ng.close();
      if (exited) return;
      proc.kill('SIGTERM');
      for (let i = 0; i < 30 && !exited; i++) await sleep(100);
      if (!exited) { proc.kill('SIGKILL'); for (let i = 0; i < 60 && !exited; i++) await sleep(50); }
      if (!exited) {
        // A SCHED_FIFO daemon pinned to a core that a higher- or same-priority spinner holds never runs to
        // act on the pending SIGKILL (seen on a shared box): let it run on every CPU so it can die.
        try { execFileSync('taskset', ['-a', '-p', '-c', `0-${require('node:os').cpus().length - 1}`, String(proc.pid)], { stdio: 'ignore' }); } catch { /* gone */ }
        for (let i = 0; i < 600 && !exited; i++) await sleep(50);
      }
      if (!exited) console.error(`warning: ${opts.name} (pid ${proc.pid}) has not exited 30 s after SIGKILL (starved of CPU?)`);
      fs.closeSync(log);
    },
  };
}

/**
 * Which media engine a running whisperd uses: what was asked (`requested`, passed as --media.engine, or
 * null = not passed, the daemon's default) and what the daemon reports itself, if it does (the first
 * /metrics sample with an engine="..." label). Recorded in every results.json.
 */
async function engineOf(httpPort, requested) {
  const http = require('node:http');
  const text = await new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: httpPort, path: '/metrics', timeout: 3000 }, (res) => {
      let b = '';
      res.on('data', (x) => { b += x; });
      res.on('end', () => resolve(b));
    });
    req.on('error', () => resolve(''));
    req.on('timeout', () => { req.destroy(); resolve(''); });
  });
  // whisperd_mixer_engine{engine} counts calls with a mixer per engine: only non-zero once calls run
  // (bench/mix.js records it per step, results.json runs[].metrics.engines)
  const samples = [...text.matchAll(/^(whisperd_[a-z_]+)\{[^}]*engine="([^"]+)"[^}]*\} ([0-9.eE+-]+)$/gm)];
  const live = samples.filter((x) => Number(x[3]) > 0);
  return {
    requested: requested ?? 'default (media.engine not passed)',
    reported: live.length ? live.map((x) => `${x[2]}: ${x[3]}`).join(', ') : null,
    reportedBy: live.length ? live[0][1] : samples.length ? `${samples[0][1]} exported, no mixer at start-up (see the per-step mixers by engine)` : "not reported by the daemon's /metrics",
  };
}

/** whisperd options selecting the media engine (none for null/'default': the daemon's default). */
const engineArgs = (engine) => (engine && engine !== 'default' ? [`--media.engine=${engine}`] : []);

module.exports = { schedPrefix, DAEMONS, startDaemon, raiseHelpers, rtpengineVersion, killAll, live, sleep, REPO, engineOf, engineArgs };
