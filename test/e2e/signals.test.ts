/**
 * Process signals of the built daemon (dist/src/main.js, `make build`), spawned as a real process:
 *   - SIGHUP (D8) reloads log.level from the configuration, names the other changed keys, survives an
 *     invalid file, and never stops the daemon: it keeps answering ng ping;
 *   - SIGTERM writes the audit `stop` record of a supervisor whose call is closed by the shutdown,
 *     then exits 0;
 *   - SIGTERM is bounded (D13): with the audit log's file thread stuck in a write to a full pipe, the
 *     process still ends after shutdown.timeoutSeconds, with a log line, and not with status 0.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  freePort,
  freePortRange,
  HOST,
  makeTempDir,
  ngRequest,
  REPO_ROOT,
  spawnProc,
  tail,
  waitFor,
  waitWhileRunning,
  WHISPERD_MAIN,
  type NgAddress,
  type Proc,
} from '../fixtures/e2e/harness';
import { phoneSdp } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

interface Started {
  proc: Proc;
  ng: NgAddress;
}

async function start(tt: Parameters<typeof makeTempDir>[0], args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  if (!fs.existsSync(WHISPERD_MAIN)) throw new Error(`${WHISPERD_MAIN} does not exist (build it: make build)`);
  const ngPort = await freePort();
  const httpPort = await freePort();
  const portMin = await freePortRange(20);
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WHISPERD_')));
  const proc = spawnProc(tt, 'whisperd', process.execPath, [
    WHISPERD_MAIN,
    `--ng.listen=${HOST}:${ngPort}`,
    `--http.listen=${HOST}:${httpPort}`,
    `--media.portMin=${portMin}`,
    `--media.portMax=${portMin + 19}`,
    '--timeouts.deleteDelay=0',
    ...args,
  ], { cwd: REPO_ROOT, env: { ...base, ...env } });
  const ng = { host: HOST, port: ngPort };
  await waitWhileRunning(proc, 'whisperd ng pong', async () => (await ngRequest(ng, { command: 'ping' }, { timeoutMs: 500, tries: 2 }).catch(() => undefined))?.result === 'pong', { timeoutMs: 30_000 });
  return { proc, ng };
}

/** A customer/agent call and a listening supervisor, over ng. Returns the peers' closer. */
async function supervisedCall(ng: NgAddress, callId: string): Promise<{ close(): void; superviseReply: Promise<unknown> }> {
  const peers = await Promise.all([Phone.open(), Phone.open(), Phone.open()]);
  const [cust, agent, sup] = peers as [Phone, Phone, Phone];
  const offer = await ngRequest(ng, { command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(cust.port, { codecs: ['0'] }) });
  const answer = await ngRequest(ng, { command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs: ['0'] }) });
  if (offer.result !== 'ok' || answer.result !== 'ok') throw new Error(`call setup failed: ${JSON.stringify({ offer, answer })}`);
  const superviseReply = ngRequest(ng, { command: 'supervise', 'call-id': callId, 'from-tag': 'sup', 'agent-tag': 'agent', supervise: 'listen', supervisor: 'alice', agent: 'bob', sdp: phoneSdp(sup.port, { codecs: ['0'] }) }, { timeoutMs: 2000, tries: 3 }).catch((err: Error) => ({ error: err.message }));
  return { close: () => peers.forEach((p) => p.close()), superviseReply };
}

function lines(proc: Proc): Array<Record<string, unknown>> {
  return proc
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

const logged = (proc: Proc, msg: string): Record<string, unknown> | undefined => lines(proc).find((l) => l.msg === msg);

t.test('SIGHUP reloads log.level and keeps the daemon serving', async (t) => {
  const dir = makeTempDir(t, 'whisperd-hup-');
  const cfg = path.join(dir, 'whisperd.yaml');
  fs.writeFileSync(cfg, 'log: { level: info }\naudit: { file: "" }\n');
  const { proc, ng } = await start(t, [], { WHISPERD_CONFIG: cfg });

  t.notOk(lines(proc).some((l) => l.msg === 'ng request'), 'at info, the readiness pings were not logged');
  fs.writeFileSync(cfg, 'log: { level: debug }\naudit: { file: "" }\ntimeouts: { media: 30 }\n');
  proc.child.kill('SIGHUP');
  const reload = await waitWhileRunning(proc, 'reload log line', () => logged(proc, 'reload: configuration read, log.level applied'), { timeoutMs: 10_000 });
  t.equal(reload.logLevel, 'debug', 'the new log.level is applied');
  const restart = await waitWhileRunning(proc, 'restart-keys warning', () => logged(proc, 'reload: these changed keys take effect at the next restart'), { timeoutMs: 10_000 });
  t.same(restart.keys, ['timeouts.media'], 'other changed keys are named');
  t.same(await ngRequest(ng, { command: 'ping' }), { result: 'pong' }, 'still answers ng ping after SIGHUP');
  // debug is now on: an ng request is logged at debug level (pino level 20); before the reload it was not
  await ngRequest(ng, { command: 'list' });
  t.ok(await waitWhileRunning(proc, 'a debug line for the list request', () => lines(proc).some((l) => l.level === 20 && l.msg === 'ng request' && l.command === 'list'), { timeoutMs: 10_000 }), 'debug lines appear after the reload');

  fs.writeFileSync(cfg, 'log: { level: loud }\n');
  proc.child.kill('SIGHUP');
  const bad = await waitWhileRunning(proc, 'invalid-config log line', () => logged(proc, 'reload: configuration invalid, keeping the running one'), { timeoutMs: 10_000 });
  t.match(String(bad.err), /log\.level/, 'the invalid key is named');
  t.same(await ngRequest(ng, { command: 'ping' }), { result: 'pong' }, 'still answers ng ping after a SIGHUP with a bad file');
  t.equal(proc.exitStatus(), undefined, 'the process is still running');
});

t.test('SIGTERM: the supervisor of a call closed by the shutdown gets its audit stop record; exit 0', async (t) => {
  const dir = makeTempDir(t, 'whisperd-term-');
  const audit = path.join(dir, 'audit.jsonl');
  const { proc, ng } = await start(t, [`--audit.file=${audit}`, '--log.level=info']);
  const call = await supervisedCall(ng, 'term-1');
  t.teardown(() => call.close());
  t.match(await call.superviseReply, { result: 'ok', mode: 'listen' }, 'supervisor started');
  proc.child.kill('SIGTERM');
  const status = await proc.exited;
  t.same(status, { code: 0, signal: null }, `orderly exit\n${tail(proc.output(), 20)}`);
  const records = fs.readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(records.map((r) => [r.event, r.callId, r.supervisorTag]), [['start', 'term-1', 'sup'], ['stop', 'term-1', 'sup']], 'start, then stop');
  t.match(records.at(-1), { event: 'stop', reason: 'call ended (shutdown)' }, 'the stop names the shutdown');
});

/** A daemon whose audit log's file thread is stuck in a write to a full FIFO (with a supervised call). */
async function stuckDaemon(t: Parameters<typeof makeTempDir>[0] & { teardown(fn: () => unknown): void }, timeoutS: number): Promise<Started> {
  const dir = makeTempDir(t, 'whisperd-deadline-');
  const fifo = path.join(dir, 'audit.fifo');
  execFileSync('mkfifo', [fifo]);
  // Hold the pipe open and full: the daemon opens it (a+ never blocks on a FIFO, size 0: nothing to
  // load), and its first audit write then blocks a libuv file thread for good.
  const hold = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  t.teardown(() => fs.closeSync(hold));
  try {
    for (;;) fs.writeSync(hold, Buffer.alloc(4096, 0x20));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
  }
  const started = await start(t, [`--audit.file=${fifo}`, `--shutdown.timeoutSeconds=${timeoutS}`, '--log.level=info']);
  const call = await supervisedCall(started.ng, 'stuck-1'); // its start record is the write that sticks
  t.teardown(() => call.close());
  const { proc } = started;
  await waitFor('a daemon thread blocked writing to the pipe', () => {
    for (const task of fs.readdirSync(`/proc/${proc.pid}/task`)) {
      const wchan = fs.readFileSync(`/proc/${proc.pid}/task/${task}/wchan`, 'utf8');
      if (/pipe_write/.test(wchan)) return true;
    }
    return undefined;
  }, { timeoutMs: 15_000 });
  return started;
}

/** The exit status, or 'hung' if the process is still running after ms. */
function exitedWithin(proc: Proc, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'hung'> {
  return Promise.race([proc.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref())]);
}

t.test('SIGTERM is bounded by shutdown.timeoutSeconds even with a file thread stuck', async (t) => {
  const timeoutS = 1;
  const { proc } = await stuckDaemon(t, timeoutS);
  proc.child.kill('SIGTERM');
  // generous margin: this checks that it ends at all, not how fast
  const status = await exitedWithin(proc, timeoutS * 1000 + 30_000);
  t.not(status, 'hung', `the process ended after SIGTERM\n${tail(proc.output(), 20)}`);
  if (status !== 'hung') t.not(status.code, 0, `not a clean exit: ${JSON.stringify(status)}`);
  t.ok(logged(proc, 'shutdown deadline passed: exiting without finishing shutdown'), 'the deadline is logged');
});

t.test('a second SIGTERM during a stuck shutdown ends the process at once', async (t) => {
  const timeoutS = 600; // the deadline is not what ends it here
  const { proc } = await stuckDaemon(t, timeoutS);
  proc.child.kill('SIGTERM');
  await waitWhileRunning(proc, 'shutting down', () => logged(proc, 'shutting down'), { timeoutMs: 10_000 });
  proc.child.kill('SIGTERM');
  const status = await exitedWithin(proc, 60_000);
  t.not(status, 'hung', `the process ended after the second SIGTERM\n${tail(proc.output(), 20)}`);
  if (status !== 'hung') t.not(status.code, 0, `not a clean exit: ${JSON.stringify(status)}`);
  t.ok(logged(proc, 'second signal during shutdown: exiting now'), 'logged');
});
