/**
 * Takeover time (issue 14): kill -9 of the active node during a whisper -> first RTP packet from the
 * standby at the agent phone, over several runs of the real-process scenario of
 * test/fixtures/takeoverScenario.ts (redis-server, daemons A and B as processes on loopback, same media
 * ports). Wall time here IS the quantity measured (an outage as the phones see it), not CPU.
 *
 * Run:   TS_NODE_TRANSPILE_ONLY=1 nice -n 10 node --import=@tapjs/typescript/import bench/cluster/takeover-time.bench.ts [--runs=5] [--expiry=600] [--beat=100]
 *
 * The figure is dominated by the heartbeat expiry (cluster.heartbeatExpiryMs) plus the standby's watch
 * period (cluster.heartbeatMs); the restore itself (replay, port binding, supervisor, mixer) is printed
 * separately, from B's takeover audit record (details.restoreMs).
 */
import { runTakeover } from '../../test/fixtures/takeoverScenario';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}

async function main(): Promise<void> {
  const runs = arg('runs', 5);
  const expiry = arg('expiry', 600);
  const beat = arg('beat', 100);
  const times: number[] = [];
  const restores: number[] = [];
  for (let i = 0; i < runs; i++) {
    const downs: Array<() => unknown> = [];
    const t = { teardown: (fn: () => unknown) => void downs.push(fn), comment: (...m: unknown[]) => console.log(...m) };
    try {
      const o = await runTakeover(t, { heartbeatExpiryMs: expiry, heartbeatMs: beat, callId: `bench-${i}` });
      const ok = o.after.agentHearsSupervisor > -22 && o.after.agentHearsCustomer > -22 && o.after.customerHearsSupervisor < -72 && o.agentSsrcKept;
      times.push(o.takeoverMs);
      const rec = o.audit.find((r) => r.event === 'takeover') as { details?: { restoreMs?: number } } | undefined;
      restores.push(rec?.details?.restoreMs ?? NaN);
      console.log(`run ${i + 1}: ${o.takeoverMs.toFixed(0)} ms (customer ${o.customerMs.toFixed(0)} ms), restore ${rec?.details?.restoreMs?.toFixed(1) ?? '?'} ms, whisper restored ${ok ? 'yes' : 'NO'}, seq +${o.agentSeqForward}`);
    } finally {
      for (const fn of downs.reverse()) await fn();
    }
  }
  const s = [...times].sort((a, b) => a - b);
  const p50 = s[Math.floor((s.length - 1) / 2)]!;
  console.log(`takeover (kill -9 -> first packet from B at the agent), heartbeatMs ${beat}, heartbeatExpiryMs ${expiry}, ${runs} runs: p50 ${p50.toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms, min ${s[0]!.toFixed(0)} ms; restore of the call on B (replay + bind + whisper) p50 ${[...restores].sort((a, b) => a - b)[Math.floor((restores.length - 1) / 2)]!.toFixed(1)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
