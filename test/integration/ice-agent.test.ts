/**
 * IceAgent (src/media/ice/IceAgent.ts) on real UDP: whisperd endpoints (RtpEndpoint sockets from the port
 * pool) and plain client sockets on 127.0.0.1. ICE-lite answers and nomination (RFC 8445 §7.3, §8.2), bad
 * credentials (RFC 5389 §10.1.2), flood rate limits, full agents against each other and against a lite one
 * (checks, triggered checks, nomination, role conflict §7.3.1.1, peer-reflexive candidates §7.3.1.3), consent
 * freshness (RFC 7675), close().
 */
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { PortPool } from '../../src/media/PortPool';
import { openEndpointNow } from '../../src/media/openEndpoint';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import { IceAgent, type IceAgentOptions } from '../../src/media/ice/IceAgent';
import { localIceParams, type LocalIceOptions } from '../../src/media/ice/candidates';
import { iceInbound, iceOutbound } from '../../src/media/ice/counters';
import { StunAttr, StunClass, StunError, StunRole, StunView, StunWriter, STUN_BINDING, verifyFingerprint, verifyIntegrity } from '../../src/media/ice/stun';
import type { IceParams, IceState } from '../../src/media/secure';
import { inbox, udpSocket } from '../fixtures/udp';
import { iceEndpoint } from '../fixtures/ice';

const FAST = { taMs: 5, rtoMs: 50, maxRetransmits: 4, nominationDelayMs: 20, consentIntervalMs: 100, consentTimeoutMs: 600 };

/** Two endpoints on pools of their own, and the ICE parameters of each. */
function twoSides(t: Test, optsA: LocalIceOptions = {}, optsB: LocalIceOptions = {}): { epA: RtpEndpoint; epB: RtpEndpoint; la: IceParams; lb: IceParams } {
  const epA = iceEndpoint(t);
  const epB = iceEndpoint(t);
  return { epA, epB, la: localIceParams(epA, optsA), lb: localIceParams(epB, optsB) };
}

/** An agent on `ep`, fed what the endpoint's sockets receive (first byte 0..3: STUN, RFC 7983). */
interface Harness {
  agent: IceAgent;
  states: IceState[];
  selected: Array<[string, number]>;
  selectedRtcp: Array<[string, number]>;
  until(s: IceState, ms?: number): Promise<void>;
}

function agentOn(t: Test, ep: RtpEndpoint, opts: Omit<IceAgentOptions, 'onSelected'>): Harness {
  const states: IceState[] = [];
  const selected: Array<[string, number]> = [];
  const selectedRtcp: Array<[string, number]> = [];
  const waiters: Array<() => void> = [];
  const agent = new IceAgent(ep, {
    ...opts,
    onSelected: (a, p) => selected.push([a, p]),
    onSelectedRtcp: (a, p) => selectedRtcp.push([a, p]),
    onStateChange: (s) => {
      states.push(s);
      for (const w of waiters.splice(0)) w();
    },
  });
  // The endpoint's RFC 7983 demux (helper C's nonRtp) when it has one, else the sockets directly.
  const withDemux = ep as unknown as { nonRtp?: unknown };
  if ('nonRtp' in withDemux) {
    withDemux.nonRtp = {
      onStun: (m: Buffer, address: string, port: number, rtcp: boolean) => agent.receive(m, address, port, rtcp),
      onDtls: () => undefined,
    };
  } else {
    ep.rtp.on('message', (m, r) => {
      if (m.length > 0 && m[0]! < 4) agent.receive(m, r.address, r.port, false);
    });
    ep.rtcp.on('message', (m, r) => {
      if (m.length > 0 && m[0]! < 4) agent.receive(m, r.address, r.port, true);
    });
  }
  t.teardown(() => agent.close());
  const until = async (s: IceState, ms = 5000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (agent.state !== s) {
      if (Date.now() > deadline) throw new Error(`state ${agent.state}, not ${s} (seen ${states.join(',')})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { agent, states, selected, selectedRtcp, until };
}

/** A Binding request as a browser sends it to a lite agent. */
function check(opts: { user: string; pwd: string; useCandidate?: boolean; role?: 'controlling' | 'controlled'; priority?: number; tid?: Buffer }): Buffer {
  const w = new StunWriter().start(STUN_BINDING, StunClass.REQUEST, opts.tid ?? randomBytes(12)).text(StunAttr.USERNAME, opts.user);
  w.u32(StunAttr.PRIORITY, opts.priority ?? 1853824767);
  if (opts.role === 'controlled') w.u64(StunAttr.ICE_CONTROLLED, 1, 2);
  else w.u64(StunAttr.ICE_CONTROLLING, 1, 2);
  if (opts.useCandidate) w.flag(StunAttr.USE_CANDIDATE);
  return w.integrity(Buffer.from(opts.pwd)).fingerprint().finish();
}

function remoteOf(ep: RtpEndpoint, lite: boolean, rtcp = false): IceParams {
  return localIceParams(ep, { lite, rtcp });
}

t.test('ICE-lite: a valid check gets a signed success response with XOR-MAPPED-ADDRESS = its source (RFC 8445 §7.3.1.2)', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  const client = await udpSocket(t);
  const got = inbox(client);
  const tid = randomBytes(12);
  client.send(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd, tid }), ep.localPort, '127.0.0.1');
  const res = (await got()).msg;
  const v = new StunView();
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.cls, StunClass.SUCCESS);
  t.same(res.subarray(8, 20), tid, 'same transaction');
  t.same(v.xorMappedAddress(res), { address: '127.0.0.1', port: client.address().port });
  t.ok(verifyIntegrity(res, v, Buffer.from(local.pwd)), 'signed with our pwd');
  t.ok(verifyFingerprint(res, v), 'FINGERPRINT');
  t.same(h.selected, [['127.0.0.1', client.address().port]], 'first valid check selects its source');
  t.equal(h.agent.state, 'connected');
});

t.test('ICE-lite: a check signed with the wrong pwd gets 401 and selects nothing (RFC 5389 §10.1.2)', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  const client = await udpSocket(t);
  const got = inbox(client);
  const before = iceInbound.unauthorized;
  client.send(check({ user: `${local.ufrag}:abcd`, pwd: 'not-the-password-at-all!!' }), ep.localPort, '127.0.0.1');
  const res = (await got()).msg;
  const v = new StunView();
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.cls, StunClass.ERROR);
  t.equal(v.errorCode, 401);
  t.equal(v.integrityOff, -1, 'not signed (the request did not authenticate)');
  t.same(h.selected, []);
  t.equal(h.agent.state, 'new');
  t.equal(iceInbound.unauthorized, before + 1);
});

t.test('ICE-lite: another ufrag gets 401, no USERNAME gets 400', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  const client = await udpSocket(t);
  const got = inbox(client);
  client.send(check({ user: `zzzz${local.ufrag}:abcd`, pwd: local.pwd }), ep.localPort, '127.0.0.1');
  const v = new StunView();
  let res = (await got()).msg;
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.errorCode, 401);
  const noUser = new StunWriter().start(STUN_BINDING, StunClass.REQUEST, randomBytes(12)).integrity(Buffer.from(local.pwd)).fingerprint().finish();
  client.send(noUser, ep.localPort, '127.0.0.1');
  res = (await got()).msg;
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.errorCode, 400);
  t.same(h.selected, []);
});

t.test('ICE-lite: once the peer ufrag is known, USERNAME must be <ours>:<theirs>', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const remote: IceParams = { ufrag: 'brow', pwd: 'browserpasswordbrowserpw', lite: false, candidates: [] };
  const h = agentOn(t, ep, { local, remote, controlling: false, lite: true });
  const client = await udpSocket(t);
  const got = inbox(client);
  const v = new StunView();
  client.send(check({ user: `${local.ufrag}:other`, pwd: local.pwd }), ep.localPort, '127.0.0.1');
  t.equal(v.parse((await got()).msg), StunError.OK);
  t.equal(v.errorCode, 401, 'another peer ufrag');
  client.send(check({ user: `${local.ufrag}:brow`, pwd: local.pwd }), ep.localPort, '127.0.0.1');
  t.equal(v.parse((await got()).msg), StunError.OK);
  t.equal(v.cls, StunClass.SUCCESS);
  t.equal(h.selected.length, 1);
});

t.test('ICE-lite: USE-CANDIDATE selects that source for good, state completed (RFC 8445 §7.3.1.5)', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  const a = await udpSocket(t);
  const b = await udpSocket(t);
  const gotA = inbox(a);
  const gotB = inbox(b);
  a.send(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd }), ep.localPort, '127.0.0.1');
  await gotA();
  t.same(h.selected, [['127.0.0.1', a.address().port]]);
  b.send(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd, useCandidate: true }), ep.localPort, '127.0.0.1');
  await gotB();
  t.same(h.selected, [['127.0.0.1', a.address().port], ['127.0.0.1', b.address().port]], 'the nominated source replaces the first');
  t.equal(h.agent.state, 'completed');
  a.send(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd }), ep.localPort, '127.0.0.1');
  await gotA();
  t.equal(h.selected.length, 2, 'a later plain check does not move it back');
});

t.test('ICE-lite: a flood with bad integrity costs at most a few HMACs and 10 error responses per second', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  const attacker = await udpSocket(t);
  const answers = inbox(attacker);
  let answered = 0;
  attacker.on('message', () => answered++);
  const limited = iceInbound.rate_limited;
  const unauthorized = iceInbound.unauthorized;
  const bad = check({ user: `${local.ufrag}:abcd`, pwd: 'wrong-password-wrong-pw' });
  // Feed the agent directly (no socket loss): 1000 forged checks within one second window.
  for (let i = 0; i < 1000; i++) h.agent.receive(bad, '127.0.0.1', attacker.address().port, false);
  t.equal(iceInbound.unauthorized - unauthorized, 5, 'the HMAC ran 5 times for that source');
  t.equal(iceInbound.rate_limited - limited, 995, 'the rest dropped before the HMAC');
  // A real peer from another source is still answered.
  const peer = await udpSocket(t);
  const got = inbox(peer);
  peer.send(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd, useCandidate: true }), ep.localPort, '127.0.0.1');
  const v = new StunView();
  t.equal(v.parse((await got()).msg), StunError.OK);
  t.equal(v.cls, StunClass.SUCCESS);
  await answers();
  t.ok(answered <= 10, `error responses to the attacker: ${answered}`);
  t.same(h.selected, [['127.0.0.1', peer.address().port]]);
});

t.test('hostile datagrams (truncated, garbage, bad fingerprint, responses nobody asked for) are dropped and counted', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: false });
  const h = agentOn(t, ep, { local, remote: remoteOf(ep, false), controlling: true, lite: false, timers: FAST });
  const good = check({ user: `${local.ufrag}:abcd`, pwd: local.pwd });
  const malformed = iceInbound.malformed;
  const stray = iceInbound.stray_response;
  for (let n = 0; n < good.length; n++) h.agent.receive(good.subarray(0, n), '127.0.0.1', 9, false);
  const badFp = Buffer.from(good);
  badFp[badFp.length - 1] ^= 1;
  h.agent.receive(badFp, '127.0.0.1', 9, false);
  h.agent.receive(randomBytes(200).fill(0, 0, 1), '127.0.0.1', 9, false);
  t.equal(iceInbound.malformed - malformed, good.length + 2);
  const response = new StunWriter().start(STUN_BINDING, StunClass.SUCCESS, randomBytes(12)).xorAddress(StunAttr.XOR_MAPPED_ADDRESS, '1.2.3.4', 5).integrity(Buffer.from(local.pwd)).fingerprint().finish();
  h.agent.receive(response, '127.0.0.1', 9, false);
  t.equal(iceInbound.stray_response - stray, 1);
  t.same(h.selected, []);
});

t.test('full controlling vs full controlled on two endpoints: checks, nomination, both completed on each other', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const a = agentOn(t, epA, { local: la, remote: null, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  a.agent.setRemote(lb);
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.same(a.selected.at(-1), ['127.0.0.1', epB.localPort]);
  t.same(b.selected.at(-1), ['127.0.0.1', epA.localPort]);
  t.equal(a.agent.controlling, true);
  t.equal(b.agent.controlling, false);
});

t.test('consent freshness: checks keep succeeding on the selected pair, state stays completed (RFC 7675)', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  const ok = iceOutbound.succeeded;
  // Past the consent timeout (600 ms) with consent checks every ~100 ms: still completed.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (iceOutbound.succeeded - ok >= 16) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
  });
  t.equal(a.agent.state, 'completed');
  t.equal(b.agent.state, 'completed');
  t.notOk(a.states.includes('failed') || b.states.includes('failed'));
});

t.test('consent lost: the peer stops answering, the agent goes to failed and stops sending (RFC 7675 §5.1)', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  b.agent.close();
  await a.until('failed', 3000);
  t.same(a.states.slice(-1), ['failed']);
  // Nothing more is sent: count what B's socket gets for a while (B's agent is closed, the socket is open).
  let more = 0;
  epB.rtp.on('message', () => more++);
  await new Promise((r) => setTimeout(r, 300));
  t.equal(more, 0, 'no more checks after consent loss');
});

t.test('full controlling vs ICE-lite: the full agent nominates, the lite one completes', async (t) => {
  const { epA, epB, la, lb } = twoSides(t, {}, { lite: true });
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: false, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: true, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.equal(a.agent.controlling, true, 'a full agent facing a lite peer is controlling (RFC 8445 §6.1.1)');
  t.same(a.selected.at(-1), ['127.0.0.1', epB.localPort]);
  t.same(b.selected.at(-1), ['127.0.0.1', epA.localPort]);
});

t.test('aggressive nomination also converges', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, nomination: 'aggressive', timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.same(b.selected.at(-1), ['127.0.0.1', epA.localPort]);
});

t.test('role conflict: both start controlling, one yields (487 / tie-breaker, RFC 8445 §7.3.1.1) and both complete', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: true, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.not(a.agent.controlling, b.agent.controlling, 'exactly one is controlling');
});

t.test('peer-reflexive: the controlled side knows no usable candidate (mDNS only) and learns the peer from its checks', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const mdnsA: IceParams = { ...la, candidates: la.candidates.map((c) => ({ ...c, address: '5b3c1f0e-0000-4000-8000-000000000001.local' })) };
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: mdnsA, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.same(b.selected.at(-1), ['127.0.0.1', epA.localPort]);
});

t.test('without rtcp-mux both components are checked and nominated: RTP and RTCP selected separately', async (t) => {
  const { epA, epB, la, lb } = twoSides(t, { rtcp: true }, { rtcp: true });
  t.equal(la.candidates.length, 2);
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.same(a.selected.at(-1), ['127.0.0.1', epB.localPort]);
  t.same(a.selectedRtcp.at(-1), ['127.0.0.1', epB.localPort + 1]);
  t.same(b.selectedRtcp.at(-1), ['127.0.0.1', epA.localPort + 1]);
});

t.test('checks to a peer that never answers fail after the retransmissions: state failed', async (t) => {
  const epA = iceEndpoint(t);
  const silent = await udpSocket(t);
  const la = localIceParams(epA);
  const remote: IceParams = { ufrag: 'sile', pwd: 'silentsilentsilentsilent', lite: false, candidates: [{ foundation: 'x', component: 1, transport: 'UDP', priority: 2130706431, address: '127.0.0.1', port: silent.address().port, type: 'host' }] };
  const got = inbox(silent);
  const a = agentOn(t, epA, { local: la, remote, controlling: true, lite: false, timers: FAST });
  const first = (await got()).msg;
  const v = new StunView();
  t.equal(v.parse(first), StunError.OK);
  t.equal(v.role, StunRole.CONTROLLING);
  t.ok(v.usernameIs(first, Buffer.from(`sile:${la.ufrag}`)), 'USERNAME <their ufrag>:<our ufrag>');
  t.ok(verifyIntegrity(first, v, Buffer.from('silentsilentsilentsilent')), 'signed with their pwd');
  await a.until('failed', 5000);
  let n = 1;
  for (;;) {
    try {
      const r = await Promise.race([got(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('none')), 200))]);
      if (r.msg.subarray(8, 20).equals(first.subarray(8, 20))) n++;
    } catch {
      break;
    }
  }
  t.equal(n, 1 + FAST.maxRetransmits, 'sent once and retransmitted maxRetransmits times');
});

t.test('close() is idempotent and stops the timer: nothing is sent afterwards', async (t) => {
  const epA = iceEndpoint(t);
  const silent = await udpSocket(t);
  let received = 0;
  silent.on('message', () => received++);
  const la = localIceParams(epA);
  const remote: IceParams = { ufrag: 'sile', pwd: 'silentsilentsilentsilent', lite: false, candidates: [{ foundation: 'x', component: 1, transport: 'UDP', priority: 2130706431, address: '127.0.0.1', port: silent.address().port, type: 'host' }] };
  const a = agentOn(t, epA, { local: la, remote, controlling: true, lite: false, timers: FAST });
  await new Promise<void>((resolve) => silent.once('message', () => resolve()));
  a.agent.close();
  a.agent.close();
  t.equal(a.agent.state, 'closed');
  const at = received;
  await new Promise((r) => setTimeout(r, 300));
  t.equal(received, at, 'no retransmission after close');
  a.agent.receive(check({ user: `${la.ufrag}:sile`, pwd: la.pwd }), '127.0.0.1', silent.address().port, false);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(received, at, 'a closed agent answers nothing');
});

t.test('IPv6: two full agents on [::1] converge (XOR-MAPPED-ADDRESS v6 on the wire)', async (t) => {
  const first = 30000 + 2 * Math.floor(Math.random() * 10000);
  const epA = openEndpointNow(new PortPool(first, first + 9), '::1');
  const epB = openEndpointNow(new PortPool(first + 10, first + 19), '::1');
  t.teardown(() => {
    epA.close();
    epB.close();
  });
  const la = localIceParams(epA);
  const lb = localIceParams(epB);
  t.equal(la.candidates[0]!.address, '::1');
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.same(a.selected.at(-1), ['::1', epB.localPort]);
  t.same(b.selected.at(-1), ['::1', epA.localPort]);
});

t.test('checks that arrive before the answer are answered; setRemote then completes (offer direction)', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  // B sent the offer (controlling) and has no answer yet; A answered and checks at once.
  const b = agentOn(t, epB, { local: lb, remote: null, controlling: true, lite: false, timers: FAST });
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: false, lite: false, timers: FAST });
  const answered = iceInbound.success;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (iceInbound.success > answered) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  t.equal(b.agent.state, 'checking', 'B answers and learns A (peer-reflexive) before it has A\'s parameters');
  b.agent.setRemote(la);
  await Promise.all([a.until('completed'), b.until('completed')]);
  t.same(b.selected.at(-1), ['127.0.0.1', epA.localPort]);
});

t.test('ICE restart: new peer credentials start over and converge again (RFC 8445 §9)', async (t) => {
  const { epA, epB, la, lb } = twoSides(t);
  const a = agentOn(t, epA, { local: la, remote: lb, controlling: true, lite: false, timers: FAST });
  const b = agentOn(t, epB, { local: lb, remote: la, controlling: false, lite: false, timers: FAST });
  await Promise.all([a.until('completed'), b.until('completed')]);
  // B restarts: new local parameters on a new agent; A gets them with setRemote.
  b.agent.close();
  const lb2 = localIceParams(epB);
  const b2 = agentOn(t, epB, { local: lb2, remote: la, controlling: false, lite: false, timers: FAST });
  a.agent.setRemote(lb2);
  t.equal(a.agent.state, 'checking', 'A starts over');
  await Promise.all([a.until('completed'), b2.until('completed')]);
  t.same(b2.selected.at(-1), ['127.0.0.1', epA.localPort]);
});

t.test('role conflict rules (RFC 8445 §7.3.1.1): a controlling peer with a lower tie-breaker gets 487, a higher one makes us controlled', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep);
  const remote: IceParams = { ufrag: 'peer', pwd: 'peerpasswordpeerpassword', lite: false, candidates: [] };
  const h = agentOn(t, ep, { local, remote, controlling: true, lite: false, timers: FAST });
  const client = await udpSocket(t);
  const got = inbox(client);
  const v = new StunView();
  const req = (hi: number, lo: number): Buffer =>
    new StunWriter()
      .start(STUN_BINDING, StunClass.REQUEST, randomBytes(12))
      .text(StunAttr.USERNAME, `${local.ufrag}:peer`)
      .u32(StunAttr.PRIORITY, 1853824767)
      .u64(StunAttr.ICE_CONTROLLING, hi, lo)
      .integrity(Buffer.from(local.pwd))
      .fingerprint()
      .finish();
  client.send(req(0, 0), ep.localPort, '127.0.0.1');
  let res = (await got()).msg;
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.errorCode, 487, 'our tie-breaker is larger: 487 Role Conflict');
  t.ok(verifyIntegrity(res, v, Buffer.from(local.pwd)), 'signed (the request authenticated)');
  t.equal(h.agent.controlling, true);
  client.send(req(0xffffffff, 0xffffffff), ep.localPort, '127.0.0.1');
  res = (await got()).msg;
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.cls, StunClass.SUCCESS, 'theirs is larger: answered');
  t.equal(h.agent.controlling, false, 'and we switched to controlled');
});

t.test('an unknown comprehension-required attribute gets 420 with UNKNOWN-ATTRIBUTES (RFC 5389 §7.3.1)', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  const client = await udpSocket(t);
  const got = inbox(client);
  const msg = new StunWriter()
    .start(STUN_BINDING, StunClass.REQUEST, randomBytes(12))
    .text(StunAttr.USERNAME, `${local.ufrag}:peer`)
    .bytes(0x7777, Buffer.from([1, 2, 3, 4]))
    .integrity(Buffer.from(local.pwd))
    .fingerprint()
    .finish();
  client.send(msg, ep.localPort, '127.0.0.1');
  const res = (await got()).msg;
  const v = new StunView();
  t.equal(v.parse(res), StunError.OK);
  t.equal(v.errorCode, 420);
  t.ok(res.includes(Buffer.from([0x00, 0x0a, 0x00, 0x02, 0x77, 0x77])), 'UNKNOWN-ATTRIBUTES 0x7777');
  t.same(h.selected, [], 'not a valid check');
});

/** As auto-daemon-tests.pl stun_req: USERNAME, PRIORITY (prflx), ICE-CONTROLLING/CONTROLLED, SOFTWARE 'perltester', MI, FP. */
/** A host candidate of the test peer on 127.0.0.1. */
function cand(component: number, port: number, foundation = '1', priority = 2130706304 - component) {
  return { foundation, component, transport: 'UDP', priority, address: '127.0.0.1', port, type: 'host' as const };
}

/** The suite peer's success response to `req`, signed with its pwd (SOFTWARE perltester unless `software` is false). */
function perlSuccess(req: Buffer, port: number, pwd: string, software = true): Buffer {
  const w = new StunWriter().start(STUN_BINDING, StunClass.SUCCESS, req.subarray(8, 20));
  if (software) w.text(StunAttr.SOFTWARE, 'perltester');
  return w.xorAddress(StunAttr.XOR_MAPPED_ADDRESS, '203.0.113.1', port).integrity(Buffer.from(pwd)).fingerprint().finish();
}

/** Read `got` until both the success response to `tid` and a check matching `check` (the triggered one) came; the check. */
async function successAndTriggered(got: () => Promise<{ msg: Buffer }>, tid: Buffer, check: RegExp): Promise<Buffer> {
  let success = false;
  let triggered: Buffer | null = null;
  while (!success || triggered === null) {
    const m = (await got()).msg;
    if (m[0] === 1 && m[1] === 1 && m.subarray(8, 20).equals(tid)) success = true;
    else if (check.test(m.toString('latin1'))) triggered = m;
  }
  return triggered;
}

/** The suite's peer: an endpoint with RTCP, candidates on sockets A (RTP) and B (RTCP), C and D to check from. */
async function perlPeer(t: Test) {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { rtcp: true });
  const sockA = await udpSocket(t);
  const sockB = await udpSocket(t);
  const sockC = await udpSocket(t);
  const sockD = await udpSocket(t);
  const remote: IceParams = { ufrag: 'q27e93', pwd: 'bd5e8b8d6dd8e1bc6', lite: false, candidates: [cand(1, sockA.address().port), cand(2, sockB.address().port)] };
  return { ep, local, remote, sockC, sockD, gotA: inbox(sockA), gotB: inbox(sockB), gotC: inbox(sockC), gotD: inbox(sockD) };
}

function perlStunReq(controlling: boolean, comp: number, myUfrag: string, otherUfrag: string, otherPwd: string): { packet: Buffer; tid: Buffer } {
  const tid = randomBytes(12);
  const w = new StunWriter()
    .start(STUN_BINDING, StunClass.REQUEST, tid)
    .text(StunAttr.USERNAME, `${otherUfrag}:${myUfrag}`)
    .u32(StunAttr.PRIORITY, (110 << 24) * 1 + (65527 << 8) + (256 - comp))
    .u64(controlling ? StunAttr.ICE_CONTROLLING : StunAttr.ICE_CONTROLLED, 0x12345678, 0x9abcdef0)
    .text(StunAttr.SOFTWARE, 'perltester');
  return { packet: w.integrity(Buffer.from(otherPwd)).fingerprint().finish(), tid };
}

t.test("rtpengine suite 'ICE with just peer reflexive' on the wire: checks to the candidates, a check from another port is answered, triggered back (SOFTWARE rtpengine* first) and selected, RTP and RTCP", async (t) => {
  const { ep, local, remote, sockC, sockD, gotA, gotB, gotC, gotD } = await perlPeer(t);
  // The suite's peer answers one check per component and no consent check: RFC 7675's 30 s, not FAST's 600 ms.
  const h = agentOn(t, ep, { local, remote, controlling: false, lite: false, timers: { ...FAST, consentTimeoutMs: 30_000 } });
  const CHECK = /^\x00\x01\x00.\x21\x12\xa4\x42(.{12})\x80\x22\x00.rtpengine/s;
  // consume STUN checks, but don't respond
  t.match((await gotA()).msg.toString('latin1'), CHECK, 'a check to the RTP candidate');
  t.match((await gotB()).msg.toString('latin1'), CHECK, 'a check to the RTCP candidate');
  for (const [sock, got, port, comp] of [[sockC, gotC, ep.localPort, 1], [sockD, gotD, ep.localPort + 1, 2]] as const) {
    const { packet, tid } = perlStunReq(true, comp, 'q27e93', local.ufrag, local.pwd);
    sock.send(packet, port, '127.0.0.1');
    const triggered = await successAndTriggered(got, tid, CHECK);
    t.pass(`component ${comp}: success response and triggered check`);
    // respond with success, signed with the remote pwd
    sock.send(perlSuccess(triggered, port, 'bd5e8b8d6dd8e1bc6'), port, '127.0.0.1');
  }
  await h.until('connected');
  for (let i = 0; i < 50 && h.selectedRtcp.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.same(h.selected.at(-1), ['127.0.0.1', sockC.address().port], 'the peer-reflexive RTP source is used');
  t.same(h.selectedRtcp.at(-1), ['127.0.0.1', sockD.address().port], 'and the RTCP one');
});

t.test("rtpengine suite 'ICE with just peer reflexive, controlled': we control and nominate both components (USE-CANDIDATE) once both are valid", async (t) => {
  const { ep, local, remote, sockC, sockD, gotA, gotB, gotC, gotD } = await perlPeer(t);
  const h = agentOn(t, ep, { local, remote, controlling: true, lite: false, timers: { ...FAST, consentTimeoutMs: 30_000, consentIntervalMs: 5000 } });
  const CHECK = /^\x00\x01\x00.\x21\x12\xa4\x42(.{12})\x80\x22\x00.rtpengine/s;
  const NOMINATION = /^\x00\x01\x00.\x21\x12\xa4\x42(.{12})\x80\x22\x00.rtpengine.*\x00\x25/s;
  await gotA();
  await gotB();
  for (const [sock, got, port, comp] of [[sockC, gotC, ep.localPort, 1], [sockD, gotD, ep.localPort + 1, 2]] as const) {
    const { packet, tid } = perlStunReq(false, comp, 'q27e93', local.ufrag, local.pwd);
    sock.send(packet, port, '127.0.0.1');
    const triggered = await successAndTriggered(got, tid, CHECK);
    t.notMatch(triggered.toString('latin1'), NOMINATION, `component ${comp}: the triggered check does not nominate yet`);
    sock.send(perlSuccess(triggered, port, 'bd5e8b8d6dd8e1bc6'), port, '127.0.0.1');
  }
  // wait for nominations
  for (const [sock, got, port] of [[sockC, gotC, ep.localPort], [sockD, gotD, ep.localPort + 1]] as const) {
    const m = (await got()).msg;
    t.match(m.toString('latin1'), NOMINATION, 'a nominating check (USE-CANDIDATE)');
    sock.send(perlSuccess(m, port, 'bd5e8b8d6dd8e1bc6', false), port, '127.0.0.1');
  }
  await h.until('completed');
  t.same(h.selected.at(-1), ['127.0.0.1', sockC.address().port]);
  t.same(h.selectedRtcp.at(-1), ['127.0.0.1', sockD.address().port]);
});

t.test("our checks byte for byte as rtpengine's (suite 'ICE offer with DTLS' regex): SOFTWARE, USERNAME (zero padded), ICE-CONTROLLED, PRIORITY 0x6effffff / 0x6efffffe, MESSAGE-INTEGRITY, FINGERPRINT", async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { rtcp: true });
  const sockA = await udpSocket(t);
  const sockB = await udpSocket(t);
  const remote: IceParams = { ufrag: 'q2758e93', pwd: 'bd5e845657ecb8d6dd8e1bc6', lite: false, candidates: [cand(1, sockA.address().port), cand(2, sockB.address().port)] };
  const gotA = inbox(sockA);
  const gotB = inbox(sockB);
  agentOn(t, ep, { local, remote, controlling: false, lite: false, timers: FAST });
  const expect = (prio: string): RegExp =>
    new RegExp(`^\\x00\\x01\\x00.\\x21\\x12\\xa4\\x42(.{12})\\x80\\x22\\x00.rtpengine.*?\\x00\\x06\\x00\\x11q2758e93:(.{8})\\x00\\x00\\x00\\x80\\x29\\x00\\x08.{8}\\x00\\x24\\x00\\x04${prio}\\x00\\x08\\x00\\x14.{20}\\x80\\x28\\x00\\x04.{4}$`, 's');
  const a = (await gotA()).msg.toString('latin1');
  const b = (await gotB()).msg.toString('latin1');
  t.match(a, expect('\\x6e\\xff\\xff\\xff'), 'RTP');
  t.match(b, expect('\\x6e\\xff\\xff\\xfe'), 'RTCP');
  t.equal(expect('\\x6e\\xff\\xff\\xff').exec(a)![2], local.ufrag);
});

t.test("suite 'ICE offer with DTLS': the pair used is the best with every component valid on one foundation (RTP and RTCP of candidate 2), not the best RTP pair alone", async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { rtcp: true });
  const [sockA, sockB, sockC, sockD] = [await udpSocket(t), await udpSocket(t), await udpSocket(t), await udpSocket(t)];
  const [gotA, gotB, gotC, gotD] = [inbox(sockA), inbox(sockB), inbox(sockC), inbox(sockD)];
  const remote: IceParams = {
    ufrag: 'q2758e93',
    pwd: 'bd5e845657ecb8d6dd8e1bc6',
    lite: false,
    candidates: [cand(1, sockA.address().port, '1', 2130706303), cand(2, sockB.address().port, '1', 2130706302), cand(1, sockC.address().port, '2', 2130706301), cand(2, sockD.address().port, '2', 2130706300)],
  };
  const h = agentOn(t, ep, { local, remote, controlling: false, lite: false, timers: { ...FAST, rtoMs: 2000 } });
  const [a, c, , d] = [(await gotA()).msg, (await gotC()).msg, (await gotB()).msg, (await gotD()).msg];
  const succ = (req: Buffer, port: number): Buffer => perlSuccess(req, port, remote.pwd);
  sockA.send(succ(a, ep.localPort), ep.localPort, '127.0.0.1');
  sockC.send(succ(c, ep.localPort), ep.localPort, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 50));
  t.same(h.selected, [], 'no complete set yet (RTCP not valid): nothing used');
  sockD.send(succ(d, ep.localPort + 1), ep.localPort + 1, '127.0.0.1');
  await h.until('connected');
  t.same(h.selected, [['127.0.0.1', sockC.address().port]], 'RTP of foundation 2');
  for (let i = 0; i < 50 && h.selectedRtcp.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.same(h.selectedRtcp, [['127.0.0.1', sockD.address().port]], 'RTCP of foundation 2');
});

t.test('a bad-integrity flood spoofing the verified peer source also stops costing HMACs after 5 per second', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const h = agentOn(t, ep, { local, remote: null, controlling: false, lite: true });
  h.agent.receive(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd }), '127.0.0.1', 5000, false);
  t.same(h.selected, [['127.0.0.1', 5000]], 'the peer verified from 127.0.0.1:5000');
  const unauthorized = iceInbound.unauthorized;
  const limited = iceInbound.rate_limited;
  const bad = check({ user: `${local.ufrag}:abcd`, pwd: 'wrong-password-wrong-pw' });
  for (let i = 0; i < 1000; i++) h.agent.receive(bad, '127.0.0.1', 5000, false);
  t.equal(iceInbound.unauthorized - unauthorized, 5, 'HMAC ran 5 times');
  t.equal(iceInbound.rate_limited - limited, 995);
});

t.test('a callback that throws does not escape receive() and does not stop the agent', async (t) => {
  const ep = iceEndpoint(t);
  const local = localIceParams(ep, { lite: true });
  const agent = new IceAgent(ep, {
    local,
    remote: null,
    controlling: false,
    lite: true,
    onSelected: () => {
      throw new Error('caller bug');
    },
    onStateChange: () => {
      throw new Error('caller bug');
    },
  });
  t.teardown(() => agent.close());
  t.doesNotThrow(() => agent.receive(check({ user: `${local.ufrag}:abcd`, pwd: local.pwd, useCandidate: true }), '127.0.0.1', 5000, false));
  t.equal(agent.state, 'completed');
  t.same(agent.selected(), { address: '127.0.0.1', port: 5000 });
});
