/**
 * Native relay fast path (native/src/relay.cc via src/media/nativeRelay.ts) against the JS relay of
 * RtpEndpoint: every scenario runs once per mode and the transcripts (what each peer received, byte
 * for byte; endpoint state; per-endpoint stats; global counter and drop-reason deltas) must be equal.
 * Then native<->JS switching under traffic and create/close cycles.
 */
import fs from 'node:fs';
import os from 'node:os';
import t from 'tap';
import { DROP_REASON_NAMES, mediaCounters } from '../../../src/media/counters';
import { ipv4ToU32, nativeRelayApi, setMediaThreads, u32ToIpv4 } from '../../../src/media/nativeRelay';
import { enableNativeRelay, openEndpoint } from '../../../src/media/openEndpoint';
import { PortPool } from '../../../src/media/PortPool';
import { Learning, type RtpEndpoint, type RtpInputSink } from '../../../src/media/RtpEndpoint';
import { writeRtpHeader, type RtpView } from '../../../src/media/rtp';
import { randomPortRange } from '../../fixtures/daemon';
import { Phone } from '../../fixtures/phone';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const api = nativeRelayApi();

/** A phone (test/fixtures/phone.ts) with a name for the transcripts. */
type Peer = Phone & { readonly name: string };
const openPeer = async (name: string): Promise<Peer> => Object.assign(await Phone.open(), { name });

function rtp(seq: number, ssrc: number, fill = 0x11, len = 172): Buffer {
  const b = Buffer.alloc(len, fill);
  writeRtpHeader(b, 0, 8, false, seq, seq * 160, ssrc);
  return b;
}
/** An RTCP SR of 28 bytes (length field 6), or with a lying length field. */
function rtcp(ssrc: number, lengthWords = 6): Buffer {
  const b = Buffer.alloc(28, 0);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(lengthWords, 2);
  b.writeUInt32BE(ssrc, 4);
  return b;
}
const HOSTILE = [
  Buffer.alloc(0),
  Buffer.from([0x80]),
  Buffer.from('hello, this is not rtp'),
  Buffer.from([0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9]), // version 1
  Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]), // 15 CSRCs, none present
  Buffer.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0xff, 0xff]), // extension longer than packet
  Buffer.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde]), // extension header cut
  Buffer.from([0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff]), // padding longer than packet
  Buffer.from([0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x00]), // padding count 0
  Buffer.from([0x80, 0xc8, 0, 40, 0, 0, 0, 1]), // muxed RTCP, length field beyond the datagram
  Buffer.from([0x80, 0xc8, 0, 1]), // muxed RTCP, too short
  Buffer.concat([Buffer.from([0xb1, 0x08, 0, 7, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 3, 4, 0xbe, 0xde, 0, 1, 9, 9, 9, 9]), Buffer.from([7, 7, 0, 3])]), // valid: CSRC+ext+pad
  Buffer.alloc(65000, 0x00),
  (() => {
    const b = Buffer.alloc(60000, 0x22);
    writeRtpHeader(b, 0, 8, false, 99, 99, 0x99);
    return b;
  })(), // a valid, huge RTP packet
];

interface World {
  ea: RtpEndpoint;
  eb: RtpEndpoint;
  alice: Peer;
  aliceRtcp: Peer;
  aliceSdp: Peer;
  aliceSdpRtcp: Peer;
  bob: Peer;
  bobRtcp: Peer;
  intruder: Peer;
  /** Send from a peer to a relay port and give the relay a moment. */
  to(from: Peer, port: number, b: Buffer): Promise<void>;
}

type Setup = (w: World) => void;
type Script = (w: World) => Promise<void>;

/** The media thread of the last native transcript's pair (-1: Node's loop). */
let lastNativeThread = -2;

function counterSnapshot(): number[] {
  return [...mediaCounters.values, ...mediaCounters.drops];
}
const COUNTER_NAMES = ['rtpPacketsIn', 'rtpBytesIn', 'rtpPacketsOut', 'rtpBytesOut', 'rtcpPacketsIn', 'rtcpBytesIn', 'rtcpPacketsOut', 'rtcpBytesOut', ...DROP_REASON_NAMES];

async function transcript(native: boolean, setup: Setup, script: Script): Promise<Record<string, unknown>> {
  const range = randomPortRange(200);
  const pool = new PortPool(range.portMin, range.portMax);
  enableNativeRelay(pool, native);
  const ea = await openEndpoint(pool, '127.0.0.1');
  const eb = await openEndpoint(pool, '127.0.0.1');
  const names = ['alice', 'aliceRtcp', 'aliceSdp', 'aliceSdpRtcp', 'bob', 'bobRtcp', 'intruder'] as const;
  const peers = await Promise.all(names.map((n) => openPeer(n)));
  const byName = Object.fromEntries(names.map((n, i) => [n, peers[i]!])) as Record<(typeof names)[number], Peer>;
  const portName = (p: number): string => {
    const exact = peers.find((x) => x.port === p);
    if (exact) return exact.name;
    const below = peers.find((x) => x.port + 1 === p);
    return below ? `${below.name}+1` : String(p);
  };
  const w: World = {
    ea,
    eb,
    ...byName,
    async to(from, port, b) {
      from.send(port, b);
      await sleep(4);
    },
  };
  try {
    ea.setSdpRemote('127.0.0.1', w.aliceSdp.port, w.aliceSdpRtcp.port);
    eb.setSdpRemote('127.0.0.1', w.bob.port, w.bobRtcp.port);
    setup(w);
    ea.forwardTo = eb;
    eb.forwardTo = ea;
    const wasNative = ea.isNative && eb.isNative;
    if (wasNative) lastNativeThread = ea.mediaThread;
    const before = counterSnapshot();
    await script(w);
    await sleep(30);
    const after = counterSnapshot();
    const delta: Record<string, number> = {};
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) delta[COUNTER_NAMES[i]!] = after[i]! - before[i]!;
    const state = (e: RtpEndpoint) => ({
      remoteAddress: e.remoteAddress,
      remotePort: portName(e.remotePort),
      remoteRtcpPort: portName(e.remoteRtcpPort),
      rtpLatched: e.rtpLatched,
      rtcpLatched: e.rtcpLatched,
      learning: e.learning,
      strictSource: e.strictSource,
      mediaHandover: e.mediaHandover,
      rtpStats: { ...e.rtpStats },
      rtcpStats: { ...e.rtcpStats },
      lastSsrc: e.lastSsrc,
    });
    return {
      native: wasNative,
      received: Object.fromEntries(peers.map((p) => [p.name, p.datagrams.map((b) => b.toString('hex'))])),
      a: state(ea),
      b: state(eb),
      counters: delta,
    };
  } finally {
    ea.close();
    eb.close();
    pool.release(ea.localPort);
    pool.release(eb.localPort);
    for (const p of peers) p.close();
  }
}

const scenarios: Array<[string, Setup, Script]> = [
  [
    'immediate learning + strict source, RTCP on its port and muxed, hostile input',
    (w) => {
      w.ea.strictSource = true;
    },
    async (w) => {
      const A = w.ea.localPort;
      const B = w.eb.localPort;
      await w.to(w.alice, A, rtp(1, 0xa));
      await w.to(w.bob, B, rtp(1, 0xb, 0x22));
      await w.to(w.intruder, A, rtp(2, 0xbad));
      await w.to(w.alice, A, rtp(3, 0xa));
      await w.to(w.aliceRtcp, A + 1, rtcp(0xa));
      await w.to(w.intruder, A + 1, rtcp(0xbad));
      await w.to(w.bobRtcp, B + 1, rtcp(0xb));
      await w.to(w.alice, A, rtcp(0xa1)); // rtcp-mux on the RTP port
      await w.to(w.alice, A + 1, rtp(4, 0xa)); // RTP on the RTCP port: not RTCP
      await w.to(w.alice, A + 1, rtcp(0xa, 99)); // lying length
      for (const j of HOSTILE) await w.to(w.alice, A, j);
      await w.to(w.bob, B, rtp(2, 0xb, 0x22));
    },
  ],
  [
    'media handover follows the new source',
    (w) => {
      w.ea.mediaHandover = true;
    },
    async (w) => {
      const A = w.ea.localPort;
      const B = w.eb.localPort;
      await w.to(w.alice, A, rtp(1, 0xa));
      await w.to(w.bob, B, rtp(1, 0xb));
      await w.to(w.intruder, A, rtp(2, 0xc));
      await w.to(w.bob, B, rtp(2, 0xb));
      await w.to(w.bobRtcp, B + 1, rtcp(0xb));
      await w.to(w.alice, A, rtp(3, 0xa));
      await w.to(w.bob, B, rtp(3, 0xb));
    },
  ],
  [
    'learning off + strict: only the SDP source passes; media goes to the SDP address',
    (w) => {
      w.ea.learning = Learning.OFF;
      w.ea.strictSource = true;
    },
    async (w) => {
      const A = w.ea.localPort;
      const B = w.eb.localPort;
      await w.to(w.alice, A, rtp(1, 0xa));
      await w.to(w.aliceSdp, A, rtp(2, 0xa));
      await w.to(w.aliceSdpRtcp, A + 1, rtcp(0xa));
      await w.to(w.aliceRtcp, A + 1, rtcp(0xa));
      await w.to(w.bob, B, rtp(1, 0xb));
      await w.to(w.bobRtcp, B + 1, rtcp(0xb));
    },
  ],
  [
    'learning off, not strict: anything passes, nothing latches',
    (w) => {
      w.ea.learning = Learning.OFF;
    },
    async (w) => {
      await w.to(w.alice, w.ea.localPort, rtp(1, 0xa));
      await w.to(w.intruder, w.ea.localPort, rtp(2, 0xa));
      await w.to(w.bob, w.eb.localPort, rtp(1, 0xb));
    },
  ],
  [
    'delayed learning: latches at once only on the SDP source',
    (w) => {
      w.ea.learning = Learning.DELAYED;
    },
    async (w) => {
      const A = w.ea.localPort;
      const B = w.eb.localPort;
      await w.to(w.alice, A, rtp(1, 0xa));
      await w.to(w.bob, B, rtp(1, 0xb));
      await w.to(w.aliceSdpRtcp, A + 1, rtcp(0xa));
      await w.to(w.aliceSdp, A, rtp(2, 0xa));
      await w.to(w.alice, A, rtp(3, 0xa));
      await w.to(w.bob, B, rtp(2, 0xb));
    },
  ],
  [
    'peer on hold: no destination for RTP, muxed and plain RTCP',
    (w) => {
      w.eb.setSdpRemote('0.0.0.0', 0, 0);
      w.eb.learning = Learning.OFF;
    },
    async (w) => {
      const A = w.ea.localPort;
      await w.to(w.alice, A, rtp(1, 0xa));
      await w.to(w.alice, A, rtcp(0xa));
      await w.to(w.aliceRtcp, A + 1, rtcp(0xa));
      await w.to(w.bob, w.eb.localPort, rtp(1, 0xb));
    },
  ],
];

if (api === null) {
  t.fail('native relay unavailable: the native addon does not load (make native); these scenarios need it');
} else {
  t.test('address helpers', async (t) => {
    t.equal(ipv4ToU32(''), 0);
    t.equal(ipv4ToU32('127.0.0.1'), 0x7f000001);
    t.equal(ipv4ToU32('0.0.0.0'), -1, '0.0.0.0 is not representable (0 stands for "")');
    t.equal(ipv4ToU32('example.org'), -1);
    t.equal(ipv4ToU32('::1'), -1);
    t.equal(ipv4ToU32('01.2.3.4'), -1);
    t.equal(u32ToIpv4(0xc0a80001), '192.168.0.1');
    t.equal(u32ToIpv4(0), '');
  });

  // Once on media threads (media.threads, default: the cores), once on Node's loop (media.threads = 0).
  for (const threads of [Math.max(1, os.availableParallelism()), 0]) {
    for (const [name, setup, script] of scenarios) {
      t.test(`native (${threads === 0 ? "on Node's loop" : `${threads} media threads`}) == JS: ${name}`, async (t) => {
        setMediaThreads(threads);
        t.teardown(() => setMediaThreads(os.availableParallelism()));
        const js = await transcript(false, setup, script);
        const nat = await transcript(true, setup, script);
        t.equal(js.native, false, 'JS run stayed in JS');
        t.equal(nat.native, true, 'native run was native');
        t.equal(lastNativeThread >= 0, threads > 0, `relayed ${threads > 0 ? 'on a media thread' : "on Node's loop"} (thread ${lastNativeThread})`);
        t.same({ ...nat, native: null }, { ...js, native: null }, 'identical received bytes, state, stats and counters');
      });
    }
  }

  t.test('forwarding is byte-identical both ways, and counted', async (t) => {
    const range = randomPortRange(200);
    const pool = new PortPool(range.portMin, range.portMax);
    enableNativeRelay(pool, true);
    const ea = await openEndpoint(pool, '127.0.0.1');
    const eb = await openEndpoint(pool, '127.0.0.1');
    const alice = await openPeer('alice');
    const bob = await openPeer('bob');
    t.teardown(() => {
      ea.close();
      eb.close();
      alice.close();
      bob.close();
    });
    ea.setSdpRemote('127.0.0.1', alice.port, alice.port + 1);
    eb.setSdpRemote('127.0.0.1', bob.port, bob.port + 1);
    ea.forwardTo = eb;
    eb.forwardTo = ea;
    t.ok(ea.isNative && eb.isNative);
    const before = counterSnapshot();
    const sentA: Buffer[] = [];
    const sentB: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      const a = rtp(i, 0x1111, i & 0xff, 20 + (i % 1400));
      const b = rtp(i, 0x2222, (i * 7) & 0xff, 12 + ((i * 13) % 1400));
      sentA.push(a);
      sentB.push(b);
      alice.send(ea.localPort, a);
      bob.send(eb.localPort, b);
      // Flow control: keep at most ~50 datagrams in flight so the test's own receive buffers (read by
      // this same busy process) never overflow; any loss left is the relay's.
      if (i % 25 === 24) {
        const until = Date.now() + 5000;
        while ((bob.datagrams.length < i - 25 || alice.datagrams.length < i - 25) && Date.now() < until) await sleep(1);
      }
    }
    const deadline = Date.now() + 5000;
    while ((bob.datagrams.length < 500 || alice.datagrams.length < 500) && Date.now() < deadline) await sleep(10);
    t.same(bob.datagrams, sentA, 'bob got alice\'s datagrams byte for byte, in order');
    t.same(alice.datagrams, sentB, 'alice got bob\'s datagrams byte for byte, in order');
    const bytesA = sentA.reduce((s, b) => s + b.length, 0);
    const bytesB = sentB.reduce((s, b) => s + b.length, 0);
    t.same(ea.rtpStats, { packets: 500, bytes: bytesA, errors: 0 });
    t.same(eb.rtpStats, { packets: 500, bytes: bytesB, errors: 0 });
    t.equal(ea.lastSsrc, 0x1111);
    const after = counterSnapshot();
    t.equal(after[0]! - before[0]!, 1000, 'rtp packets in');
    t.equal(after[1]! - before[1]!, bytesA + bytesB, 'rtp bytes in');
    t.equal(after[2]! - before[2]!, 1000, 'rtp packets out');
    t.equal(after[3]! - before[3]!, bytesA + bytesB, 'rtp bytes out');
  });

  t.test('native <-> JS switching under traffic loses nothing and never delivers twice', async (t) => {
    const range = randomPortRange(200);
    const pool = new PortPool(range.portMin, range.portMax);
    enableNativeRelay(pool, true);
    const ea = await openEndpoint(pool, '127.0.0.1');
    const eb = await openEndpoint(pool, '127.0.0.1');
    const alice = await openPeer('alice');
    const bob = await openPeer('bob');
    t.teardown(() => {
      ea.close();
      eb.close();
      alice.close();
      bob.close();
    });
    // The peers are read by this busy process while a media thread forwards to them at full speed
    // (it does not pause when this loop does, e.g. for GC): give their sockets room so that the
    // kernel never drops at the test's own receivers (seen as drops in /proc/net/udp with the default
    // 208 KiB); any loss left is the relay's.
    alice.sock.setRecvBufferSize(4 << 20);
    bob.sock.setRecvBufferSize(4 << 20);
    ea.setSdpRemote('127.0.0.1', alice.port, alice.port + 1);
    eb.setSdpRemote('127.0.0.1', bob.port, bob.port + 1);
    ea.forwardTo = eb;
    eb.forwardTo = ea;
    const toEngine: number[] = [];
    const sink: RtpInputSink = {
      onRtp(_from: RtpEndpoint, _buf: Buffer, view: RtpView) {
        toEngine.push(view.sequence);
      },
    };
    const N = 6000;
    let switches = 0;
    let nativeSamples = 0;
    let jsSamples = 0;
    for (let i = 0; i < N; i++) {
      alice.send(ea.localPort, rtp(i, 0xa));
      bob.send(eb.localPort, rtp(i, 0xb));
      if (i % 20 === 19) {
        await new Promise((r) => setImmediate(r));
        if (ea.isNative) nativeSamples++;
        else jsSamples++;
      }
      if (i % 300 === 299) {
        ea.engine = ea.engine === null ? sink : null; // a mixer attaches / detaches
        switches++;
      }
    }
    ea.engine = null;
    const deadline = Date.now() + 5000;
    while (bob.datagrams.length + toEngine.length < N || alice.datagrams.length < N) {
      if (Date.now() > deadline) break;
      await sleep(10);
    }
    await sleep(50);
    const seqs = [...bob.datagrams.map((b) => b.readUInt16BE(2)), ...toEngine].sort((x, y) => x - y);
    t.equal(seqs.length, N, `every packet of alice delivered once (bob ${bob.datagrams.length}, engine ${toEngine.length})`);
    t.same(seqs, Array.from({ length: N }, (_, i) => i), 'no loss, no duplicate');
    t.ok(toEngine.length > 0 && bob.datagrams.length > 0, 'both paths were used');
    t.equal(alice.datagrams.length, N, 'bob\'s stream reached alice exactly once across the switches');
    t.equal(new Set(alice.datagrams.map((b) => b.readUInt16BE(2))).size, N);
    t.ok(switches >= 10 && nativeSamples > 0 && jsSamples > 0, `switched ${switches} times (native ${nativeSamples}, JS ${jsSamples} samples)`);
    t.equal(ea.rtpStats.packets, N, 'stats carried across modes');
    t.equal(eb.rtpStats.packets, N);
    t.ok(ea.isNative && eb.isNative, 'native again once the engine left');
  });

  t.test('a changed forwarding peer or an unrepresentable address hands the pair back to JS', async (t) => {
    const range = randomPortRange(200);
    const pool = new PortPool(range.portMin, range.portMax);
    enableNativeRelay(pool, true);
    const ea = await openEndpoint(pool, '127.0.0.1');
    const eb = await openEndpoint(pool, '127.0.0.1');
    const ec = await openEndpoint(pool, '127.0.0.1');
    t.teardown(() => {
      ea.close();
      eb.close();
      ec.close();
    });
    ea.forwardTo = eb;
    t.notOk(ea.isNative, 'one-way wiring stays JS');
    eb.forwardTo = ea;
    t.ok(ea.isNative && eb.isNative, 'pair native');
    ea.forwardTo = ec;
    t.notOk(ea.isNative || eb.isNative, 'rewired: both back in JS');
    ec.forwardTo = ea;
    t.ok(ea.isNative && ec.isNative && !eb.isNative, 'new pair native');
    ea.setSdpRemote('example.invalid', 4000, 4001);
    t.notOk(ea.isNative || ec.isNative, 'hostname remote: JS');
    t.equal(ea.remoteAddress, 'example.invalid');
    ea.setSdpRemote('127.0.0.2', 4000, 4001);
    t.ok(ea.isNative, 'IPv4 again: native');
    t.equal(ea.remoteAddress, '127.0.0.2');
    t.equal(ea.remoteRtcpPort, 4001);
    ea.nativeRelay = false;
    t.notOk(ea.isNative || ec.isNative, 'switch off: JS');
    t.equal(ea.remoteAddress, '127.0.0.2', 'state carried back');
    ea.nativeRelay = true;
    t.ok(ea.isNative);
    ec.close();
    t.notOk(ea.isNative, 'peer closed: survivor back in JS');
  });

  t.test('create/close cycles while native-polling leak nothing', async (t) => {
    const range = randomPortRange(200);
    const pool = new PortPool(range.portMin, range.portMax);
    enableNativeRelay(pool, true);
    const alice = await openPeer('alice');
    const bob = await openPeer('bob');
    t.teardown(() => {
      alice.close();
      bob.close();
    });
    await sleep(20);
    const fds0 = fs.readdirSync('/proc/self/fd').length;
    const live0 = api.live();
    const CYCLES = 300;
    for (let i = 0; i < CYCLES; i++) {
      const ea = await openEndpoint(pool, '127.0.0.1');
      const eb = await openEndpoint(pool, '127.0.0.1');
      ea.setSdpRemote('127.0.0.1', alice.port, alice.port + 1);
      eb.setSdpRemote('127.0.0.1', bob.port, bob.port + 1);
      ea.forwardTo = eb;
      eb.forwardTo = ea;
      if (!ea.isNative) t.fail('not native');
      // Traffic in flight at close time, half of the time before it was read.
      alice.send(ea.localPort, rtp(i, 0xa));
      bob.send(eb.localPort, rtp(i, 0xb));
      if (i % 2 === 0) await sleep(1);
      (i % 3 === 0 ? eb : ea).close();
      (i % 3 === 0 ? ea : eb).close();
      pool.release(ea.localPort);
      pool.release(eb.localPort);
    }
    await sleep(50);
    t.equal(api.live(), live0, 'every native endpoint freed');
    t.equal(fs.readdirSync('/proc/self/fd').length, fds0, 'no fd left open (sockets and dups)');
    t.equal(pool.used, 0);
    t.ok(alice.datagrams.length + bob.datagrams.length > 0, 'traffic flowed');
  });
}
