/**
 * Issue 10, first step: the native relay runs on media threads (config media.threads), off Node's
 * event loop. Over real UDP, daemon in-process:
 *   - while the main thread is blocked in a busy loop for ~300 ms, a peer's packets are still
 *     forwarded to the other peer during that window. Both peers live in a child process, which sends
 *     every 5 ms and timestamps arrivals with its own clock, so neither the sending nor the measuring
 *     is blocked by the busy main thread;
 *   - with media.threads = 2, two calls land on different threads; deleting them empties the threads,
 *     and Daemon.close joins them (no thread, no native endpoint, no fd left);
 *   - media.threads = 0 keeps the earlier relay on Node's loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import t from 'tap';
import { latchBoth, relayCall, sleep, startTestDaemon } from '../fixtures/daemon';
import { openPhones, Phone } from '../fixtures/phone';
import { nativeRelayApi } from '../../src/media/nativeRelay';

const api = nativeRelayApi();

/** Epoch ms with sub-ms resolution, comparable across processes. */
const nowEpoch = (): number => performance.timeOrigin + performance.now();

// The two peers, in their own process: alice sends RTP every 5 ms from socket A once told where,
// bob (socket B) timestamps every arrival. IPC: {ports} out; {start: port} in; {flowing} out after
// bob's first arrival; {report} in -> {arrivals} out.
const PEERS = `
const dgram = require('node:dgram');
const a = dgram.createSocket('udp4');
const b = dgram.createSocket('udp4');
const arrivals = [];
let flowing = false;
let timer = null;
b.on('message', () => {
  arrivals.push(performance.timeOrigin + performance.now());
  if (!flowing) { flowing = true; process.send({ flowing: true }); }
});
a.bind(0, '127.0.0.1', () => b.bind(0, '127.0.0.1', () => process.send({ ports: [a.address().port, b.address().port] })));
process.on('message', (m) => {
  if (m.start) {
    let seq = 0;
    timer = setInterval(() => {
      const p = Buffer.alloc(172, 0x55);
      p[0] = 0x80; p[1] = 8; p.writeUInt16BE(seq & 0xffff, 2); p.writeUInt32BE(seq * 160, 4); p.writeUInt32BE(0xa11ce, 8);
      seq++;
      a.send(p, m.start, '127.0.0.1');
    }, 5);
  } else if (m.report) {
    clearInterval(timer);
    process.send({ arrivals }, () => { a.close(); b.close(); process.disconnect(); });
  }
});
`;

function nextMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${key}' from the peer process in 10 s`)), 10_000);
    const on = (m: Record<string, unknown>): void => {
      if (!(key in m)) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m[key] as T);
    };
    child.on('message', on);
  });
}

function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

if (api === null) {
  t.fail('native relay unavailable: the addon must be built (make native)');
} else {
  t.test('media.threads = 2: two calls on different threads; delete and close leave nothing', async (t) => {
    const fds0 = openFds();
    const live0 = api.live();
    const td = await startTestDaemon({ media: { threads: 2 } });
    let closed = false;
    t.teardown(() => (closed ? undefined : td.close()));
    const peers = await Promise.all([Phone.open(), Phone.open(), Phone.open(), Phone.open()]);
    let peersClosed = false;
    const closePeers = (): void => {
      if (peersClosed) return;
      peersClosed = true;
      for (const p of peers) p.close();
    };
    t.teardown(closePeers);
    const c1 = await relayCall(td, 'one', peers[0]!.port, peers[1]!.port);
    const c2 = await relayCall(td, 'two', peers[2]!.port, peers[3]!.port);
    t.same(api.threadLoads(), [2, 2], 'each call (a pair of endpoints) on its own thread');

    // Both calls relay (the second one on the other thread).
    peers[0]!.sendRtp(c1.portForAlice, 1, 0x1);
    await peers[1]!.waitDatagrams(1);
    peers[2]!.sendRtp(c2.portForAlice, 1, 0x2);
    await peers[3]!.waitDatagrams(1);
    peers[3]!.sendRtp(c2.portForBob, 1, 0x3);
    await peers[2]!.waitDatagrams(1);

    await td.ng.request({ command: 'delete', 'call-id': 'one', 'from-tag': 'a', flags: ['no-delay'] });
    await td.ng.request({ command: 'delete', 'call-id': 'two', 'from-tag': 'a', flags: ['no-delay'] });
    // A third call goes to the least loaded thread again.
    const c3 = await relayCall(td, 'three', peers[0]!.port, peers[1]!.port);
    t.equal(api.threadLoads().reduce((s, n) => s + n, 0) >= 2, true, 'the third call relays on a thread');
    peers[0]!.sendRtp(c3.portForAlice, 2, 0x1);
    await peers[1]!.waitDatagrams(2);

    await td.close();
    closed = true;
    t.same(api.threadLoads(), [], 'Daemon.close joined the media threads');
    t.equal(api.live(), live0, 'every native endpoint freed');
    closePeers();
    // Sockets close on the next turns of the loop: wait for the count to settle.
    let fds = openFds();
    for (const deadline = Date.now() + 3000; fds > fds0 && Date.now() < deadline; fds = openFds()) await sleep(20);
    t.ok(fds <= fds0, `no fd left open (sockets, dups, epoll and eventfd of the threads): ${fds} open, ${fds0} before`);
  });

  t.test('media is forwarded while the main thread is blocked', async (t) => {
    const td = await startTestDaemon({ media: { threads: 2 } });
    t.teardown(() => td.close());
    const child = spawn(process.execPath, ['-e', PEERS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    t.teardown(() => {
      if (child.exitCode === null) child.kill();
    });
    const [alicePort, bobPort] = await nextMessage<[number, number]>(child, 'ports');
    const { portForAlice } = await relayCall(td, 'busy', alicePort, bobPort);
    child.send({ start: portForAlice });
    await nextMessage(child, 'flowing');
    t.ok(api.threadLoads().reduce((s, n) => s + n, 0) >= 2, 'the pair relays on a media thread');

    // Block this (the main) thread: Node's loop, and a relay on it, cannot run meanwhile.
    const t0 = nowEpoch();
    let spins = 0;
    while (nowEpoch() - t0 < 300) spins++;
    const t1 = nowEpoch();

    child.send({ report: true });
    const arrivals = await nextMessage<number[]>(child, 'arrivals');
    // Strictly inside the window (a margin at each end for clock reading and scheduling).
    const during = arrivals.filter((ts) => ts > t0 + 20 && ts < t1 - 20).length;
    t.ok(spins > 0);
    t.ok(during >= 3, `packets reached bob while the main thread was blocked: ${during} in ${(t1 - t0 - 40).toFixed(0)} ms (${arrivals.length} in all)`);
  });

  t.test('media timeout: a call relayed on a media thread stays up while media flows, and ends when it stops', async (t) => {
    const td = await startTestDaemon({ media: { threads: 2 }, timeouts: { media: 1 } });
    t.teardown(() => td.close());
    const [alice, bob] = await openPhones(t, 2);
    const c = await relayCall(td, 'flowing', alice.port, bob.port);
    t.ok(api.threadLoads().reduce((s, n) => s + n, 0) >= 2, 'relayed on a media thread');
    // 2.5 s of media, one packet each way every 50 ms: the sweep (every 1 s, 1 s timeout) must see it
    // through the counters the thread writes.
    for (let i = 0; i < 50; i++) {
      alice.sendRtp(c.portForAlice, i, 0xa);
      bob.sendRtp(c.portForBob, i, 0xb);
      await bob.waitDatagrams(i + 1);
      await sleep(50);
    }
    t.equal(td.daemon.registry.size, 1, 'the call is still up after 2.5 s of media with a 1 s media timeout');
    // Silence: the sweep deletes it.
    for (const deadline = Date.now() + 5000; td.daemon.registry.size > 0 && Date.now() < deadline; ) await sleep(50);
    t.equal(td.daemon.registry.size, 0, 'deleted once the media stopped');
    t.equal(td.daemon.registry.ended.timeout, 1, 'counted as media timeout');
  });

  t.test('media.threads = 0: the relay runs on Node\'s loop as before', async (t) => {
    const td = await startTestDaemon({ media: { threads: 0 } });
    t.teardown(() => td.close());
    const [alice, bob] = await openPhones(t, 2);
    // On Node's loop an endpoint is freed in its poll handles' close callbacks: let earlier ones finish.
    let live0 = api.live();
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (api.live() === live0) break;
      live0 = api.live();
    }
    const c = await relayCall(td, 'loop', alice.port, bob.port);
    t.ok(api.live() >= live0 + 2, 'the pair is relayed natively');
    t.same(api.threadLoads(), [], 'no media thread');
    await latchBoth(alice, bob, c);
  });
}
