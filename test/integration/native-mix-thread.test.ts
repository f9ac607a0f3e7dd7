/**
 * Issue 10: a call with a whisper runs entirely on one media thread. Three endpoints opened the way the
 * daemon opens them (openEndpoint on a native-relay pool, own-socket table included) are attached to a
 * native mix (mixCreate): the media thread reads their sockets, feeds the mix, ticks it every 5 ms and
 * sends its output out of each endpoint's socket. Over real UDP (three phones on 127.0.0.1), whisper
 * matrix customer<->agent 1, supervisor->agent 1, supervisor->customer 0:
 *   - the agent hears the customer and the supervisor, the customer hears the agent and never the
 *     supervisor (Goertzel levels of what each phone's sound card played);
 *   - a key the customer presses comes out of mixEvents as a DTMF record (from the latched source);
 *   - the customer<->agent pair was relaying natively before: attaching hands it over to the mix;
 *   - detach + close + mixClose leave no native endpoint and no fd behind.
 * And: an attached endpoint's RTCP is relayed to its RTCP peer participant's party; once latched,
 * another source's RTP is dropped as foreign_source; a refused attach changes nothing; a relay pair
 * starts on its call's thread (mediaThreadHint). And the event ring: a full ring drops whole records and
 * counts them; records that wrap around the ring's end come out intact. And the mix keeps mixing and
 * sending while Node's main thread is blocked (phones in a child process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import t from 'tap';
import { loadNative } from '../../src/native/addon';
import { enableNativeRelay, openEndpoint } from '../../src/media/openEndpoint';
import { PortPool } from '../../src/media/PortPool';
import { nativeRelayApi, setMediaThreadRingBytes, setMediaThreads, stopMediaThreads } from '../../src/media/nativeRelay';
import { CounterSlot, DropReason, mediaCounters } from '../../src/media/counters';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import { parseTelephoneEvent } from '../../src/codec/telephoneEvent';
import { goertzelDb, levels, presence } from '../fixtures/media';
import { db, rms } from '../fixtures/codec/signal';
import { openPhones, waitFor } from '../fixtures/phone';
import { randomPortRange, sleep } from '../fixtures/daemon';
import { AGENT, createWhisperMix, CUSTOMER, DTMF_PT, F_AGENT, F_CUSTOMER, F_SUPERVISOR, PCMU, SUPERVISOR } from '../fixtures/native/whisperMix';

const api = nativeRelayApi();
const native = loadNative();

function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

interface DtmfRecord {
  idx: number;
  fromLatched: boolean;
  mixId: number;
  event: number;
  end: boolean;
}

/** The DTMF records (type 2) among event records buf[0..n) (format: native/index.d.ts mixEvents). */
function dtmfRecords(buf: Uint8Array, n: number): DtmfRecord[] {
  const out: DtmfRecord[] = [];
  const dv = new DataView(buf.buffer, buf.byteOffset, n);
  for (let off = 0; off < n; ) {
    const size = dv.getUint32(off, true);
    if (size < 24 || size % 8 !== 0 || off + size > n) throw new Error(`bad record size ${size} at ${off}`);
    const type = dv.getUint16(off + 4, true);
    if (type === 2) {
      const len = dv.getUint32(off + 12, true);
      const pkt = Buffer.from(buf.subarray(off + 24, off + 24 + len));
      const ev = { event: 0, end: false, volume: 0, duration: 0 };
      if (parseTelephoneEvent(pkt, 12, pkt.length - 12, ev)) out.push({ idx: buf[off + 6]!, fromLatched: (buf[off + 7]! & 1) === 1, mixId: dv.getUint32(off + 8, true), event: ev.event, end: ev.end });
    }
    off += size;
  }
  return out;
}

if (api === null || api.mix === null || native === null || !native.mixCreate) {
  t.fail('native mixes unavailable: the addon must be built (make native)');
} else {
  const mixApi = api.mix;
  const n = native as Required<typeof native>;

  t.test('whisper on one media thread: agent hears customer + supervisor, customer never the supervisor', async (t) => {
    const live0 = api.live();
    const [customer, agent, supervisor] = await openPhones(t, 3);
    const fds0 = openFds();
    setMediaThreads(2);
    t.equal(mixApi.ensureThreads(), 2, 'two media threads run');
    const { portMin, portMax } = randomPortRange(40);
    const pool = new PortPool(portMin, portMax);
    enableNativeRelay(pool, true);
    const eps: RtpEndpoint[] = [];
    let m: ReturnType<NonNullable<typeof native.mixCreate>> | null = null;
    const cleanup = (): void => {
      for (const e of eps) {
        e.detachNativeMix();
        e.close();
      }
      eps.length = 0;
      if (m !== null) n.mixClose(m);
      m = null;
    };
    t.teardown(() => {
      cleanup();
      stopMediaThreads();
    });
    const eC = await openEndpoint(pool, '127.0.0.1');
    const eA = await openEndpoint(pool, '127.0.0.1');
    const eS = await openEndpoint(pool, '127.0.0.1');
    eps.push(eC, eA, eS);
    eC.setSdpRemote('127.0.0.1', customer!.port, customer!.port + 1);
    eA.setSdpRemote('127.0.0.1', agent!.port, agent!.port + 1);
    eS.setSdpRemote('127.0.0.1', supervisor!.port, supervisor!.port + 1);
    // The two-party call first: relayed natively as a pair.
    eC.forwardTo = eA;
    eA.forwardTo = eC;
    t.ok(eC.isNative && eA.isNative && !eC.isNativeMix, 'the customer<->agent pair relays natively');

    // Whisper: customer and agent hear each other, the agent hears the supervisor, the customer does not;
    // the supervisor hears both.
    m = createWhisperMix(t, n);
    const thread = n.mixThreadOf(m);
    t.ok(thread === 0 || thread === 1, `the mix lives on media thread ${thread}`);

    t.equal(eC.attachNativeMix(m, CUSTOMER, AGENT), true, 'customer attached');
    t.equal(eA.isNative, false, 'attaching the customer handed the pair back: the agent is in JS until attached');
    t.equal(eA.attachNativeMix(m, AGENT, CUSTOMER), true, 'agent attached');
    t.equal(eS.attachNativeMix(m, SUPERVISOR), true, 'supervisor attached');
    t.same([eC.mediaThread, eA.mediaThread, eS.mediaThread], [thread, thread, thread], 'all three legs on the mix\'s thread');
    t.equal(api.threadLoads()[thread], 3, 'the thread counts the three endpoints');

    const out0 = mediaCounters.values[CounterSlot.RTP_PACKETS_OUT]!;
    customer!.startTone(eC.localPort, F_CUSTOMER, 0, -12, 0xc);
    agent!.startTone(eA.localPort, F_AGENT, 0, -12, 0xa);
    supervisor!.startTone(eS.localPort, F_SUPERVISOR, 0, -12, 0x5);
    // 2 s of call audio at each phone's sound card.
    await waitFor(() => agent!.heardSamples >= 16000 && customer!.heardSamples >= 16000 && supervisor!.heardSamples >= 16000, '2 s heard by each phone', 15000);

    const heardA = agent!.heard();
    const heardC = customer!.heard();
    const heardS = supervisor!.heard();
    const pa = presence(heardA, 8000, [F_CUSTOMER, F_SUPERVISOR]);
    const la = levels(heardA, 8000, [F_AGENT]);
    t.ok(pa[F_CUSTOMER]! > -30, `the agent hears the customer (${pa[F_CUSTOMER]!.toFixed(1)} dB)`);
    t.ok(pa[F_SUPERVISOR]! > -30, `the agent hears the supervisor's whisper (${pa[F_SUPERVISOR]!.toFixed(1)} dB)`);
    t.ok(la[F_AGENT]! < -50, `the agent does not hear itself (${la[F_AGENT]!.toFixed(1)} dB)`);
    const pc = presence(heardC, 8000, [F_AGENT]);
    const lc = levels(heardC, 8000, [F_SUPERVISOR, F_CUSTOMER], 2000);
    t.ok(pc[F_AGENT]! > -30, `the customer hears the agent (${pc[F_AGENT]!.toFixed(1)} dB)`);
    t.ok(lc[F_SUPERVISOR]! < -50, `the customer never hears the supervisor (${lc[F_SUPERVISOR]!.toFixed(1)} dB over the last 2 s)`);
    const ps = presence(heardS, 8000, [F_CUSTOMER, F_AGENT]);
    t.ok(ps[F_CUSTOMER]! > -30 && ps[F_AGENT]! > -30, `the supervisor hears both (${ps[F_CUSTOMER]!.toFixed(1)}, ${ps[F_AGENT]!.toFixed(1)} dB)`);
    t.ok(mediaCounters.values[CounterSlot.RTP_PACKETS_OUT]! - out0 >= 3 * 100, 'the thread counted what the mix sent');
    t.ok(eC.rtpStats.packets >= 100 && eC.rtpLatched, `the customer's endpoint counts its packets and latched (${eC.rtpStats.packets})`);

    // DTMF from the customer: a DTMF record of the mix, from the latched source.
    const buf = new Uint8Array(1 << 20);
    while (mixApi.events(thread, buf) > 0); // drop what came before
    await customer!.sendDtmf('5');
    const mixId = n.mixId(m);
    const got: DtmfRecord[] = [];
    await waitFor(() => {
      const k = mixApi.events(thread, buf);
      if (k > 0) got.push(...dtmfRecords(buf, k));
      return got.some((r) => r.end);
    }, 'the DTMF end record from mixEvents');
    t.ok(got.length >= 2, `DTMF records came out of the ring (${got.length})`);
    t.ok(got.every((r) => r.idx === CUSTOMER && r.mixId === mixId && r.event === 5 && r.fromLatched), 'each names the customer, this mix, key 5, from the latched source');
    t.equal(mixApi.eventsDropped(), 0, 'no record dropped');

    // Detach (synchronous): Node reads the sockets again, with the state the thread latched.
    customer!.stop();
    agent!.stop();
    supervisor!.stop();
    for (const e of eps) e.detachNativeMix();
    t.same([eC.isNativeMix, eA.isNativeMix, eS.isNativeMix, eS.isNative], [false, false, false, false], 'none attached; the supervisor back in JS');
    t.ok(eC.isNative && eA.isNative, 'the customer<->agent pair (forwarding to each other) relays natively again');
    t.ok(eC.rtpLatched && eC.rtpStats.packets >= 100, 'the latched source and the stats came back');
    cleanup();
    t.same(api.threadLoads(), [0, 0], 'no endpoint left on the threads');
    t.equal(api.live(), live0, 'every native endpoint freed');
    t.equal(stopMediaThreads(), true, 'the media threads stop (no mix, no endpoint left)');
    let fds = openFds();
    for (const deadline = Date.now() + 3000; fds > fds0 && Date.now() < deadline; fds = openFds()) await sleep(20);
    t.ok(fds <= fds0, `no fd left open (sockets, dups, epoll, eventfd, timerfd): ${fds} open, ${fds0} before`);
  });

  t.test('attached endpoints: RTCP to the peer, foreign sources dropped, refused attaches change nothing, a pair on its call\'s thread', async (t) => {
    const live0 = api.live();
    setMediaThreads(2);
    t.equal(mixApi.ensureThreads(), 2);
    const { portMin, portMax } = randomPortRange(40);
    const pool = new PortPool(portMin, portMax);
    enableNativeRelay(pool, true);
    const [customer, agent, agentRtcp, intruder, p, q] = await openPhones(t, 6);
    const eps: RtpEndpoint[] = [];
    const mixes: Array<ReturnType<NonNullable<typeof native.mixCreate>>> = [];
    const cleanup = (): void => {
      for (const e of eps) e.close();
      eps.length = 0;
      for (const m of mixes) n.mixClose(m);
      mixes.length = 0;
    };
    t.teardown(() => {
      cleanup();
      stopMediaThreads();
    });
    const [eC, eA, eX, eP, eQ] = [
      await openEndpoint(pool, '127.0.0.1'),
      await openEndpoint(pool, '127.0.0.1'),
      await openEndpoint(pool, '127.0.0.1'),
      await openEndpoint(pool, '127.0.0.1'),
      await openEndpoint(pool, '127.0.0.1'),
    ] as [RtpEndpoint, RtpEndpoint, RtpEndpoint, RtpEndpoint, RtpEndpoint];
    eps.push(eC, eA, eX, eP, eQ);
    eC.setSdpRemote('127.0.0.1', customer!.port, customer!.port + 1);
    eA.setSdpRemote('127.0.0.1', agent!.port, agentRtcp!.port);
    const m = n.mixCreate(1, 8000, 5, 24000);
    mixes.push(m);
    t.equal(n.mixThreadOf(m), 1, 'the mix is on the thread asked for');
    n.mixSetParticipant(m, CUSTOMER, PCMU, 8000, PCMU, DTMF_PT, AGENT);
    n.mixSetParticipant(m, AGENT, PCMU, 8000, PCMU, DTMF_PT, CUSTOMER);
    n.mixSetGain(m, AGENT, CUSTOMER, 1);
    n.mixSetGain(m, CUSTOMER, AGENT, 1);
    n.mixReconfigure(m);

    // Refused attaches change nothing: the endpoint stays in JS, Node still reads it.
    t.equal(eC.attachNativeMix(m, 16), false, 'participant index out of range: refused');
    t.equal(eC.isNative, false);
    customer!.sendRtp(eC.localPort, 1, 0xc, 0xff, PCMU);
    await waitFor(() => eC.rtpStats.packets === 1, 'the JS path to read the customer\'s packet');
    t.equal(eC.attachNativeMix(m, CUSTOMER, AGENT), true, 'customer attached');
    t.equal(eA.attachNativeMix(m, CUSTOMER), false, 'a participant index already attached: refused');
    t.equal(eA.isNative, false, 'the refused endpoint stays in JS');
    const closed = n.mixCreate(0, 8000, 5, 24000);
    n.mixClose(closed);
    t.equal(eX.attachNativeMix(closed, 0), false, 'a closed mix: refused');
    t.equal(eX.isNative, false);
    const probe = n.mixProbeCreate(8000, 5, 24000);
    mixes.push(probe);
    t.equal(eX.attachNativeMix(probe, 0), false, 'a probe mix (no media thread): refused');
    t.equal(eX.isNative, false);
    t.equal(eA.attachNativeMix(m, AGENT, CUSTOMER), true, 'agent attached');
    t.equal(api.threadLoads()[1], 2, 'both on the mix\'s thread');

    // RTCP from the customer goes to the agent's RTCP address, out of the agent's endpoint.
    const sr = Buffer.from([0x80, 200, 0x00, 0x06, 0, 0, 0, 0xc, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 160]);
    customer!.send(eC.localPort + 1, sr);
    await agentRtcp!.waitDatagrams(1);
    t.same(agentRtcp!.datagrams[0], sr, 'the customer\'s RTCP reached the agent\'s RTCP port unchanged');
    t.equal(eC.rtcpStats.packets, 1, 'counted on the customer\'s endpoint');

    // Latched on the customer (its first packet on the thread); another source's RTP is foreign.
    const pkts0 = eC.rtpStats.packets;
    customer!.sendRtp(eC.localPort, 2, 0xc, 0xff, PCMU);
    await waitFor(() => eC.rtpStats.packets === pkts0 + 1 && eC.rtpLatched, 'the customer\'s packet on the thread');
    const foreign0 = mediaCounters.drops[DropReason.FOREIGN_SOURCE]!;
    const errors0 = eC.rtpStats.errors;
    intruder!.sendRtp(eC.localPort, 3, 0xbad, 0xff, PCMU);
    await waitFor(() => mediaCounters.drops[DropReason.FOREIGN_SOURCE]! === foreign0 + 1, 'the intruder\'s packet counted foreign_source');
    t.equal(eC.rtpStats.errors, errors0 + 1, 'an error of the customer\'s endpoint');
    t.equal(eC.rtpStats.packets, pkts0 + 1, 'not one of the customer\'s packets');
    t.equal(eC.remotePort, customer!.port, 'the latch did not move');

    // A relay pair of the same call starts on the call's thread, not the least loaded one (0).
    eP.setSdpRemote('127.0.0.1', p!.port, p!.port + 1);
    eQ.setSdpRemote('127.0.0.1', q!.port, q!.port + 1);
    eP.mediaThreadHint = 1;
    eQ.mediaThreadHint = 1;
    eP.forwardTo = eQ;
    eQ.forwardTo = eP;
    t.same([eP.isNative, eP.mediaThread, eQ.mediaThread], [true, 1, 1], 'the pair relays on thread 1');
    t.same(api.threadLoads(), [0, 4]);

    // mixClose with endpoints still attached: the thread lets go of them at once (mixClose detaches
    // first); the endpoint's own detach then hands it back to Node.
    n.mixClose(m);
    t.same(api.threadLoads(), [0, 2], 'closing the mix took its two endpoints off the thread');
    t.equal(eC.isNativeMix, true, 'the endpoint still thinks it is attached until its owner detaches it');
    eC.detachNativeMix();
    t.equal(eC.isNative, false, 'back in JS');
    const pkts1 = eC.rtpStats.packets;
    customer!.sendRtp(eC.localPort, 4, 0xc, 0xff, PCMU);
    await waitFor(() => eC.rtpStats.packets === pkts1 + 1, 'Node to read the customer\'s socket again');

    cleanup();
    t.same(api.threadLoads(), [0, 0], 'no endpoint left on the threads');
    t.equal(api.live(), live0, 'every native endpoint freed');
  });

  t.test('event ring: overflow drops whole records (counted), wrapped records come out intact', async (t) => {
    const live0 = api.live();
    // A 4 KiB ring: OBSERVED records of 20 ms at 8 kHz are 344 bytes, so it fills in ~11 and wraps mid-record.
    setMediaThreadRingBytes(4096);
    setMediaThreads(1);
    t.teardown(() => setMediaThreadRingBytes(undefined));
    t.equal(mixApi.ensureThreads(), 1);
    const { portMin, portMax } = randomPortRange(20);
    const pool = new PortPool(portMin, portMax);
    enableNativeRelay(pool, true);
    const [customer] = await openPhones(t, 1);
    const eC = await openEndpoint(pool, '127.0.0.1');
    const m = n.mixCreate(0, 8000, 5, 24000);
    t.teardown(() => {
      eC.close();
      n.mixClose(m);
      stopMediaThreads();
    });
    eC.setSdpRemote('127.0.0.1', customer!.port, customer!.port + 1);
    n.mixSetParticipant(m, CUSTOMER, PCMU, 8000, PCMU, DTMF_PT, -1);
    n.mixObserve(m, CUSTOMER);
    n.mixSetObserved(m, CUSTOMER, true);
    n.mixReconfigure(m);
    t.equal(eC.attachNativeMix(m, CUSTOMER), true);
    const dropped0 = mixApi.eventsDropped();
    customer!.startTone(eC.localPort, F_CUSTOMER, 0, -12, 0xc);
    await waitFor(() => mixApi.eventsDropped() > dropped0, 'a record dropped on the full ring');

    const buf = new Uint8Array(64 * 1024);
    const parse = (k: number, into: Array<{ at: number; pcm: Int16Array }>): void => {
      const dv = new DataView(buf.buffer, 0, k);
      for (let off = 0; off < k; ) {
        const size = dv.getUint32(off, true);
        const samples = dv.getUint32(off + 12, true);
        t.ok(size === 344 && dv.getUint16(off + 4, true) === 3 && buf[off + 6] === CUSTOMER && samples === 160 && dv.getUint32(off + 8, true) === n.mixId(m), `a whole OBSERVED record at ${off}`, { diagnostic: false });
        if (size !== 344) throw new Error(`bad record size ${size}`);
        into.push({ at: dv.getFloat64(off + 16, true), pcm: new Int16Array(buf.slice(off + 24, off + 24 + 320).buffer) });
        off += size;
      }
    };
    const first: Array<{ at: number; pcm: Int16Array }> = [];
    const k0 = mixApi.events(0, buf);
    parse(k0, first);
    t.ok(first.length >= 10 && first.length <= 11, `the full ring held ${first.length} whole records`);

    // Drain for a while: ~50 records, the ring wraps mid-record several times. Records drained together
    // are consecutive (a full ring drops every later record until drained: all of one size here), so
    // each batch must be one continuous sine across its record boundaries, and a record torn at the
    // ring's end would jump: for a sine x[i+1] + x[i-1] = 2cos(w)x[i]; what is left is G.711
    // quantisation noise. (A slow machine may drop records between batches: that is allowed here.)
    const batches: Array<Array<{ at: number; pcm: Int16Array }>> = [];
    let count = 0;
    while (count < 50) {
      await sleep(20);
      const k = mixApi.events(0, buf);
      if (k <= 0) continue;
      const b: Array<{ at: number; pcm: Int16Array }> = [];
      parse(k, b);
      batches.push(b);
      count += b.length;
    }
    const recs = batches.flat();
    t.ok(recs.every((r, i) => i === 0 || r.at >= recs[i - 1]!.at), 'arrival times never go back (one time per receive batch)');
    const c2 = 2 * Math.cos((2 * Math.PI * F_CUSTOMER) / 8000);
    let worst = 0;
    let amp = 0;
    for (const b of batches) {
      const all = new Int16Array(b.length * 160);
      b.forEach((r, i) => all.set(r.pcm, i * 160));
      for (let i = 1; i + 1 < all.length; i++) worst = Math.max(worst, Math.abs(all[i + 1]! + all[i - 1]! - c2 * all[i]!));
      const tone = goertzelDb(all, 8000, F_CUSTOMER);
      const level = db((rms(all) * Math.SQRT2) / 32767);
      if (!(tone > -13 && Math.abs(tone - level) < 0.5)) t.fail(`a batch is not the ${F_CUSTOMER} Hz tone: ${tone.toFixed(2)} dB tone, ${level.toFixed(2)} dB overall`);
      amp = Math.max(amp, rms(all) * Math.SQRT2);
    }
    t.ok(amp > 0.2 * 32767, `the records carry the customer's -12 dB tone (amplitude ${amp.toFixed(0)})`);
    t.ok(worst < 0.15 * amp, `continuous within each of ${batches.length} batches (${recs.length} records, ${mixApi.eventsDropped() - dropped0} dropped in all): worst sine residual ${worst.toFixed(0)}`);
    customer!.stop();
    eC.detachNativeMix();
    eC.close();
    t.equal(api.live(), live0, 'every native endpoint freed');
  });

  // Three phones in their own process (a blocked main thread must not block them): customer and
  // supervisor send PCMU every 20 ms once told where, the agent timestamps what it receives.
  // IPC: {ports} out; {start: [portC, portS]} in; {flowing} out after the agent's first arrival;
  // {report} in -> {arrivals} out.
  const PHONES = `
const dgram = require('node:dgram');
const socks = [0, 1, 2].map(() => dgram.createSocket('udp4'));
const [c, a, s] = socks;
const arrivals = [];
let flowing = false;
let timer = null;
a.on('message', () => {
  arrivals.push(performance.timeOrigin + performance.now());
  if (!flowing) { flowing = true; process.send({ flowing: true }); }
});
let bound = 0;
for (const x of socks) x.bind(0, '127.0.0.1', () => { if (++bound === 3) process.send({ ports: socks.map((y) => y.address().port) }); });
process.on('message', (m) => {
  if (m.start) {
    let seq = 0;
    timer = setInterval(() => {
      for (const [sock, port, ssrc] of [[c, m.start[0], 0xc], [s, m.start[1], 0x5]]) {
        const p = Buffer.alloc(172, 0xff);
        p[0] = 0x80; p[1] = 0; p.writeUInt16BE(seq & 0xffff, 2); p.writeUInt32BE(seq * 160, 4); p.writeUInt32BE(ssrc, 8);
        sock.send(p, port, '127.0.0.1');
      }
      seq++;
    }, 20);
  } else if (m.report) {
    clearInterval(timer);
    process.send({ arrivals }, () => { for (const x of socks) x.close(); process.disconnect(); });
  }
});
`;

  function nextMessage<T>(child: ChildProcess, key: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${key}' from the phones' process in 10 s`)), 10_000);
      const on = (msg: Record<string, unknown>): void => {
        if (!(key in msg)) return;
        clearTimeout(timer);
        child.off('message', on);
        resolve(msg[key] as T);
      };
      child.on('message', on);
    });
  }

  t.test('the whisper mix keeps mixing and sending while the main thread is blocked', async (t) => {
    setMediaThreads(2);
    t.equal(mixApi.ensureThreads(), 2);
    const { portMin, portMax } = randomPortRange(20);
    const pool = new PortPool(portMin, portMax);
    enableNativeRelay(pool, true);
    const child = spawn(process.execPath, ['-e', PHONES], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    t.teardown(() => {
      if (child.exitCode === null) child.kill();
    });
    const [portC, portA, portS] = await nextMessage<[number, number, number]>(child, 'ports');
    const eps = [await openEndpoint(pool, '127.0.0.1'), await openEndpoint(pool, '127.0.0.1'), await openEndpoint(pool, '127.0.0.1')];
    const [eC, eA, eS] = eps as [RtpEndpoint, RtpEndpoint, RtpEndpoint];
    const m = n.mixCreate(-1, 8000, 5, 24000);
    t.teardown(() => {
      for (const e of eps) e.close();
      n.mixClose(m);
      stopMediaThreads();
    });
    eC.setSdpRemote('127.0.0.1', portC, portC + 1);
    eA.setSdpRemote('127.0.0.1', portA, portA + 1);
    eS.setSdpRemote('127.0.0.1', portS, portS + 1);
    n.mixSetParticipant(m, CUSTOMER, PCMU, 8000, PCMU, DTMF_PT, AGENT);
    n.mixSetParticipant(m, AGENT, PCMU, 8000, PCMU, DTMF_PT, CUSTOMER);
    n.mixSetParticipant(m, SUPERVISOR, PCMU, 8000, PCMU, DTMF_PT, -1);
    n.mixSetGain(m, AGENT, CUSTOMER, 1);
    n.mixSetGain(m, AGENT, SUPERVISOR, 1);
    n.mixSetGain(m, CUSTOMER, AGENT, 1);
    n.mixReconfigure(m);
    t.ok(eC.attachNativeMix(m, CUSTOMER, AGENT) && eA.attachNativeMix(m, AGENT, CUSTOMER) && eS.attachNativeMix(m, SUPERVISOR), 'attached');
    child.send({ start: [eC.localPort, eS.localPort] });
    await nextMessage(child, 'flowing');
    const stats = new Float64Array(64);
    n.mixStats(m, AGENT, stats);
    t.equal(stats[5], 2, 'the agent\'s output mixes (customer + supervisor)');

    // Block this (the main) thread for 300 ms.
    const nowEpoch = (): number => performance.timeOrigin + performance.now();
    const t0 = nowEpoch();
    let spins = 0;
    while (nowEpoch() - t0 < 300) spins++;
    const t1 = nowEpoch();
    child.send({ report: true });
    const arrivals = await nextMessage<number[]>(child, 'arrivals');
    const during = arrivals.filter((ts) => ts > t0 + 20 && ts < t1 - 20).length;
    t.ok(spins > 0);
    t.ok(during >= 3, `the agent received mixed packets while the main thread was blocked: ${during} in ${(t1 - t0 - 40).toFixed(0)} ms (${arrivals.length} in all)`);
  });
}
