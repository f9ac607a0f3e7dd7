/**
 * /metrics: whisperd_ice_checks_total{direction,result} and whisperd_ice_agents{state} read the ICE counters
 * (src/media/ice/counters.ts) at scrape time.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Metrics } from '../../../src/metrics/registry';
import { IceAgent } from '../../../src/media/ice/IceAgent';
import { localIceParams } from '../../../src/media/ice/candidates';
import { StunAttr, StunClass, StunWriter, STUN_BINDING } from '../../../src/media/ice/stun';
import type { CallRegistry } from '../../../src/call/CallRegistry';
import type { PortPool } from '../../../src/media/PortPool';

function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? NaN : Number(line.split(' ').at(-1));
}

t.test('ICE checks and agent states are exported by direction/result and state', async (t) => {
  const metrics = new Metrics({ registry: { size: 0, totalCreated: 0, ended: {} } as unknown as CallRegistry, pool: { used: 0, free: 0 } as unknown as PortPool, ngStats: () => undefined });
  const sent: Buffer[] = [];
  const ep = { localAddress: '127.0.0.1', localPort: 40000, rtp: { send: () => undefined }, rtcp: { send: () => undefined, address: () => ({ port: 40001 }) }, sendRaw: (b: Buffer) => void sent.push(b) };
  const local = localIceParams(ep, { lite: true });
  const before = await metrics.registry.metrics();
  const agent = new IceAgent(ep, { local, remote: null, controlling: false, lite: true, onSelected: () => undefined });
  t.teardown(() => agent.close());
  const req = new StunWriter()
    .start(STUN_BINDING, StunClass.REQUEST, randomBytes(12))
    .text(StunAttr.USERNAME, `${local.ufrag}:peer`)
    .u64(StunAttr.ICE_CONTROLLING, 0, 1)
    .flag(StunAttr.USE_CANDIDATE)
    .integrity(Buffer.from(local.pwd))
    .fingerprint()
    .finish();
  agent.receive(req, '127.0.0.1', 5000, false);
  agent.receive(randomBytes(30).fill(1, 0, 1), '127.0.0.1', 5000, false);
  t.equal(sent.length, 1, 'one success response');
  const after = await metrics.registry.metrics();
  for (const [labels, delta] of [['direction="in",result="success"', 1], ['direction="in",result="malformed"', 1], ['direction="in",result="unauthorized"', 0]] as const) {
    const b = sample(before, 'whisperd_ice_checks_total', labels);
    t.equal(sample(after, 'whisperd_ice_checks_total', labels) - b, delta, labels);
  }
  t.equal(sample(after, 'whisperd_ice_agents', 'state="completed"') - sample(before, 'whisperd_ice_agents', 'state="completed"'), 1, 'the agent is counted as completed');
  agent.close();
  t.equal(sample(await metrics.registry.metrics(), 'whisperd_ice_agents', 'state="completed"'), sample(before, 'whisperd_ice_agents', 'state="completed"'), 'a closed agent is not counted');
});
