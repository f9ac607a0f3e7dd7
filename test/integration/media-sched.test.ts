/**
 * Config media.scheduling / media.priority (rtpengine's `scheduling` / `priority` for its media threads):
 *   - the policy and priority reach each media thread: the kernel's view of the thread
 *     (relayThreadSched, cross-checked with /proc/self/task/<tid>/stat) shows them;
 *   - a setting the OS refuses (SCHED_FIFO without CAP_SYS_NICE: a child process that drops the
 *     capability) is logged once with the reason and the daemon still starts and relays;
 *   - the schema rejects a priority that does not fit the policy.
 * Each case runs in its own child process, since media threads start once per process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadConfig, validateConfig } from '../../src/config/load';
import { mediaThreadSched, nativeRelayApi } from '../../src/media/nativeRelay';
import { latchBoth, relayCall, startTestDaemon } from '../fixtures/daemon';
import { openPhones } from '../fixtures/phone';

const CHILD = path.join(__dirname, '..', 'fixtures', 'sched-child.ts');
const hasSched = nativeRelayApi() !== null;

interface Sched { tid: number; policy: number; rtPriority: number; nice: number; error: number; step: string }
interface ChildOut { result: { sched?: Sched[]; relayed?: boolean; error?: string }; lines: string[]; stat: string[] }

/** Run the child; while it reports, read its media thread's /proc stat (policy #41, rt_priority #40, nice #19). */
function runChild(env: Record<string, string>, prefix: string[] = []): Promise<ChildOut> {
  const argv = [...prefix, process.execPath, ...process.execArgv, CHILD];
  return new Promise((resolve, reject) => {
    const cp = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env, WHISPERD_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    cp.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    cp.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    cp.on('error', reject);
    cp.on('exit', (code) => {
      const lines = out.split('\n').filter((l) => l.length > 0);
      const r = lines.find((l) => l.startsWith('RESULT '));
      if (r === undefined) return reject(new Error(`child exited ${code} without a result: ${out} ${err}`));
      resolve({ result: JSON.parse(r.slice(7)), lines: lines.filter((l) => !l.startsWith('RESULT ')), stat: [] });
    });
  });
}

/** Fields of /proc/<pid>/task/<tid>/stat after the command name: [state(3), ...]; index = field number - 3. */
function statFields(tid: number): string[] {
  const st = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return st.slice(st.lastIndexOf(')') + 2).split(' ');
}

t.test('schema: priority must fit the policy', async (t) => {
  t.equal(validateConfig({ media: { scheduling: 'fifo', priority: 20 } }).media.priority, 20);
  t.equal(validateConfig({ media: { scheduling: 'batch', priority: -5 } }).media.priority, -5);
  t.equal(validateConfig({}).media.scheduling, 'default');
  t.equal(validateConfig({}).media.priority, null);
  // Set from the environment and the command line like every key (it has no numeric default).
  const e = loadConfig({ env: { WHISPERD_MEDIA_SCHEDULING: 'fifo', WHISPERD_MEDIA_PRIORITY: '12' }, argv: [] }).config.media;
  t.match(e, { scheduling: 'fifo', priority: 12 }, 'from WHISPERD_MEDIA_*');
  const c = loadConfig({ env: {}, argv: ['--media.scheduling=batch', '--media.priority=-3'] }).config.media;
  t.match(c, { scheduling: 'batch', priority: -3 }, 'from --media.*');
  t.throws(() => validateConfig({ media: { scheduling: 'fifo', priority: 0 } }), /static priority 1\.\.99/);
  t.throws(() => validateConfig({ media: { scheduling: 'other', priority: 30 } }), /nice value -20\.\.19/);
  t.throws(() => validateConfig({ media: { scheduling: 'idle', priority: 1 } }), /idle takes no priority/);
  t.throws(() => validateConfig({ media: { scheduling: 'deadline' } }));
});

t.test('the policy and priority reach the media thread', { skip: hasSched ? false : 'native addon not loaded' }, async (t) => {
  // In-process: read the thread's /proc entry while it runs.
  const td = await startTestDaemon({ media: { engine: 'native', threads: 1, scheduling: 'batch', priority: 7 } });
  t.teardown(() => td.close());
  const [alice, bob] = await openPhones(t, 2);
  const c = await relayCall(td, 'batch', alice!.port, bob!.port);
  await latchBoth(alice!, bob!, c);
  const s = mediaThreadSched();
  t.equal(s.length, 1, 'one media thread');
  t.match(s[0], { policy: 3, rtPriority: 0, nice: 7, error: 0, step: '' }, 'SCHED_BATCH, nice 7, applied');
  t.not(s[0]!.tid, process.pid, 'a thread of its own');
  const f = statFields(s[0]!.tid);
  t.equal(Number(f[41 - 3]), 3, '/proc policy = SCHED_BATCH');
  t.equal(Number(f[19 - 3]), 7, '/proc nice = 7');
  // The main thread is untouched.
  const m = statFields(process.pid);
  t.not(Number(m[41 - 3]), 3, 'main thread not SCHED_BATCH');
});

t.test('fifo with a static priority, in a child process', { skip: hasSched && process.getuid?.() === 0 ? false : 'needs root and the addon' }, async (t) => {
  const r = await runChild({ SCHED_POLICY: 'fifo', SCHED_PRIORITY: '12' });
  t.equal(r.result.relayed, true, 'relayed');
  t.match(r.result.sched, [{ policy: 1, rtPriority: 12, error: 0 }], 'SCHED_FIFO 12');
  t.same(r.lines.filter((l) => /media threads: scheduling/.test(l)), [], 'nothing logged');
});

t.test('a refused setting is logged once and the daemon still relays', { skip: hasSched ? false : 'native addon not loaded' }, async (t) => {
  // Without CAP_SYS_NICE (and RLIMIT_RTPRIO 0) SCHED_FIFO is refused with EPERM. As root: drop the capability.
  const prefix = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-sys_nice', '--inh-caps=-sys_nice', '--'] : [];
  const r = await runChild({ SCHED_POLICY: 'fifo', SCHED_PRIORITY: '50' }, prefix);
  t.equal(r.result.error, undefined, `no error: ${r.result.error}`);
  t.equal(r.result.relayed, true, 'the call relayed both ways');
  t.match(r.result.sched, [{ error: 1, step: 'policy' }], 'EPERM recorded');
  t.not(r.result.sched?.[0]?.policy, 1, 'the thread is not SCHED_FIFO');
  const warn = r.lines.filter((l) => /media threads: scheduling fifo priority 50 refused/.test(l));
  t.equal(warn.length, 1, 'logged once');
  t.match(warn[0], /EPERM/, 'with the reason');
});
