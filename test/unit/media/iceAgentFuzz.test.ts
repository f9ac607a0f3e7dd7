/**
 * Nothing a peer sends may throw out of IceAgent.receive or make it send without bound: random bytes,
 * truncations and bit flips of valid checks and responses (signed with the right passwords), to a lite and a
 * full agent. A fake endpoint collects what the agents send.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { IceAgent } from '../../../src/media/ice/IceAgent';
import { localIceParams } from '../../../src/media/ice/candidates';
import { StunAttr, StunClass, StunView, StunWriter, STUN_BINDING } from '../../../src/media/ice/stun';

function fakeEndpoint(port: number) {
  const sent: Buffer[] = [];
  return { sent, ep: { localAddress: '127.0.0.1', localPort: port, rtp: { send: () => undefined }, rtcp: { send: () => undefined, address: () => ({ port: port + 1 }) }, sendRaw: (b: Buffer) => void sent.push(b) } };
}

t.test('fuzzed checks and responses never throw, and what an agent sends stays bounded', async (t) => {
  const a = fakeEndpoint(40000);
  const b = fakeEndpoint(40002);
  const la = localIceParams(a.ep, { rtcp: true });
  const lb = localIceParams(b.ep, { lite: true });
  const full = new IceAgent(a.ep, { local: la, remote: { ...lb, lite: false }, controlling: true, lite: false, onSelected: () => undefined, timers: { taMs: 1000 } });
  const lite = new IceAgent(b.ep, { local: lb, remote: la, controlling: false, lite: true, onSelected: () => undefined });
  t.teardown(() => {
    full.close();
    lite.close();
  });
  const seeds = [
    new StunWriter().start(STUN_BINDING, StunClass.REQUEST, randomBytes(12)).text(StunAttr.USERNAME, `${la.ufrag}:${lb.ufrag}`).u64(StunAttr.ICE_CONTROLLED, 1, 2).u32(StunAttr.PRIORITY, 5).flag(StunAttr.USE_CANDIDATE).integrity(Buffer.from(la.pwd)).fingerprint().finish(),
    new StunWriter().start(STUN_BINDING, StunClass.REQUEST, randomBytes(12)).text(StunAttr.USERNAME, `${lb.ufrag}:${la.ufrag}`).u64(StunAttr.ICE_CONTROLLED, 1, 2).integrity(Buffer.from(lb.pwd)).fingerprint().finish(),
    new StunWriter().start(STUN_BINDING, StunClass.SUCCESS, randomBytes(12)).xorAddress(StunAttr.XOR_MAPPED_ADDRESS, '::1', 9).integrity(Buffer.from(lb.pwd)).fingerprint().finish(),
    new StunWriter().start(STUN_BINDING, StunClass.ERROR, randomBytes(12)).errorCode(487).integrity(Buffer.from(lb.pwd)).fingerprint().finish(),
  ];
  let thrown = 0;
  const started = Date.now();
  for (let i = 0; i < 20000; i++) {
    const seed = seeds[i % seeds.length]!;
    let buf: Buffer;
    switch (i % 3) {
      case 0:
        buf = randomBytes(1 + Math.floor(Math.random() * 200)).fill(i & 3, 0, 1);
        break;
      case 1:
        buf = seed.subarray(0, Math.floor(Math.random() * (seed.length + 1)));
        break;
      default:
        buf = Buffer.from(seed);
        buf[20 + Math.floor(Math.random() * (buf.length - 20))] ^= 1 << (i % 8);
    }
    const port = 1 + (i % 65535);
    try {
      full.receive(buf, i % 2 ? '127.0.0.1' : '::1', port, i % 5 === 0);
      lite.receive(buf, '127.0.0.1', port, false);
      full.receive(seed, '127.0.0.1', port, false);
      lite.receive(seed, '127.0.0.1', port, false);
    } catch {
      thrown++;
    }
  }
  t.equal(thrown, 0, 'never threw');
  // Error responses are limited to 10 per second per agent; the valid checks were all answered.
  const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
  const v = new StunView();
  for (const [name, sent] of [['full', a.sent], ['lite', b.sent]] as const) {
    const count = [0, 0, 0, 0];
    for (const m of sent) {
      v.parse(m);
      count[v.cls]!++;
    }
    t.ok(count[StunClass.ERROR]! <= 10 * seconds, `${name}: ${count[StunClass.ERROR]} error responses in ${seconds} s`);
    t.ok(count[StunClass.SUCCESS]! >= 5000, `${name}: ${count[StunClass.SUCCESS]} success responses (every valid check)`);
  }
});
