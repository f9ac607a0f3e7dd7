/**
 * Signalling latency added by cluster replication, and Redis operations per call (issue 14).
 *
 * Two in-process daemons, one without a cluster and one with cluster.redis on a private redis-server (started
 * here on a free loopback port, no persistence). Each call: offer, answer, delete over real UDP ng; the round
 * trip of each command is timed (wall clock: what Kamailio waits). Blocks of calls alternate between the two
 * daemons so both see the same machine load; per block the process CPU time (process.cpuUsage, user+system) is
 * taken as well. Redis ops = the sum of INFO commandstats calls over the cluster blocks (minus the INFO calls);
 * the heartbeat runs every 10 s here, so its few ops are included and named.
 *
 * Run:  TS_NODE_TRANSPILE_ONLY=1 nice -n 10 node --import=@tapjs/typescript/import bench/cluster/latency.bench.ts [callsPerBlock=100] [blocks=6]
 */
import { phoneSdp, startTestDaemon, type TestDaemon } from '../../test/fixtures/daemon';
import { testRedis } from '../../test/fixtures/redis';

const perBlock = Number(process.argv[2] ?? 100);
const blocks = Number(process.argv[3] ?? 6);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function timed(td: TestDaemon, dict: Record<string, string>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await td.ng.request(dict);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.result !== 'ok') throw new Error(`${dict.command}: ${JSON.stringify(r)}`);
  return ms;
}

async function commandStats(c: { command(a: string[]): Promise<unknown> }): Promise<Map<string, number>> {
  const text = String(await c.command(['INFO', 'commandstats']));
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

async function main(): Promise<void> {
  const teardowns: Array<() => Promise<void>> = [];
  const t = { teardown: (fn: () => Promise<void>) => void teardowns.push(fn) };
  try {
    const redis = await testRedis(t);
    const plain = await startTestDaemon();
    teardowns.push(() => plain.close());
    const clustered = await startTestDaemon({ cluster: { redis: redis.url, node: 'bench', heartbeatMs: 10000, heartbeatExpiryMs: 60000, writeTimeoutMs: 200 } });
    teardowns.push(() => clustered.close());
    const rc = await redis.client();
    await new Promise((r) => setTimeout(r, 300));
    const lat: Record<string, { offer: number[]; answer: number[]; delete: number[]; cpuUs: number; calls: number }> = {
      plain: { offer: [], answer: [], delete: [], cpuUs: 0, calls: 0 },
      cluster: { offer: [], answer: [], delete: [], cpuUs: 0, calls: 0 },
    };
    const opsDelta = new Map<string, number>();
    let n = 0;
    // Warm-up (JIT, sockets) on both, not counted.
    for (const td of [plain, clustered]) {
      for (let i = 0; i < 20; i++) {
        const id = `warm-${td.ngPort}-${i}`;
        await timed(td, { command: 'offer', 'call-id': id, 'from-tag': 'a', sdp: phoneSdp(40000 + i) });
        await timed(td, { command: 'answer', 'call-id': id, 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(41000 + i) });
        await timed(td, { command: 'delete', 'call-id': id, 'from-tag': 'a' });
      }
    }
    for (let b = 0; b < blocks; b++) {
      for (const name of b % 2 === 0 ? ['plain', 'cluster'] : ['cluster', 'plain']) {
        const td = name === 'plain' ? plain : clustered;
        const L = lat[name]!;
        const before = name === 'cluster' ? await commandStats(rc) : null;
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < perBlock; i++) {
          const id = `bench-${name}-${n++}`;
          L.offer.push(await timed(td, { command: 'offer', 'call-id': id, 'from-tag': 'a', sdp: phoneSdp(42000 + (i % 1000)) }));
          L.answer.push(await timed(td, { command: 'answer', 'call-id': id, 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(43000 + (i % 1000)) }));
          L.delete.push(await timed(td, { command: 'delete', 'call-id': id, 'from-tag': 'a' }));
        }
        const cpu = process.cpuUsage(cpu0);
        L.cpuUs += cpu.user + cpu.system;
        L.calls += perBlock;
        if (before) {
          await new Promise((r) => setTimeout(r, 100)); // writes after the last reply (callClosed) land
          const after = await commandStats(rc);
          for (const [k, v] of after) opsDelta.set(k, (opsDelta.get(k) ?? 0) + v - (before.get(k) ?? 0));
          opsDelta.set('info', (opsDelta.get('info') ?? 0) - 1);
        }
      }
    }
    await rc.close();
    const f = (x: number) => x.toFixed(3);
    console.log(`calls per variant: ${lat.plain!.calls} (${blocks} blocks of ${perBlock}, alternating); ng round trip over loopback UDP, wall ms`);
    for (const name of ['plain', 'cluster']) {
      const L = lat[name]!;
      const all = [...L.offer, ...L.answer];
      console.log(
        `${name.padEnd(8)} offer p50 ${f(pct(L.offer, 50))} p99 ${f(pct(L.offer, 99))} | answer p50 ${f(pct(L.answer, 50))} p99 ${f(pct(L.answer, 99))} | offer+answer p50 ${f(pct(all, 50))} p99 ${f(pct(all, 99))} | delete p50 ${f(pct(L.delete, 50))} p99 ${f(pct(L.delete, 99))} | process CPU per call ${(L.cpuUs / L.calls / 1000).toFixed(3)} ms`,
      );
    }
    const ops = [...opsDelta].filter(([k, v]) => k !== 'info' && v > 0);
    const total = ops.reduce((s, [, v]) => s + v, 0);
    console.log(`Redis ops per call (offer+answer+delete): ${(total / lat.cluster!.calls).toFixed(2)}  [${ops.map(([k, v]) => `${k}=${v}`).join(' ')}] over ${lat.cluster!.calls} calls`);
  } finally {
    for (const fn of teardowns.reverse()) await fn().catch(() => undefined);
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
