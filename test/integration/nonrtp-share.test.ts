/**
 * The media thread's STUN/DTLS ring (native/src/relay.cc PutNonRtp, drained by Node's main thread every
 * 10 ms) is shared by every endpoint on the thread: a STUN flood at one endpoint must not crowd out the
 * STUN (ICE consent, RFC 7675) or DTLS of another call (issue #12: "never another call disturbed"). Each
 * endpoint holds at most its share of the ring; the excess is dropped and counted on THAT endpoint.
 *
 * Real UDP, two relayed pairs on one media thread. Determinism without timing: the main thread spins
 * synchronously (the ring is not drained while it does) until the thread has counted an RTP datagram sent
 * right after the flood on the same socket (so it has handled every flood datagram before it), then sends
 * one STUN + one RTP to the other endpoint and spins until that RTP is counted too; only then is the ring
 * drained.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import { setMediaThreads } from '../../src/media/nativeRelay';
import { enableNativeRelay, openEndpoint } from '../../src/media/openEndpoint';
import { PortPool } from '../../src/media/PortPool';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import { writeRtpHeader } from '../../src/media/rtp';
import { randomPortRange } from '../fixtures/daemon';

setMediaThreads(1);

async function connected(t: Test, port: number): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  s.connect(port, '127.0.0.1');
  await once(s, 'connect');
  t.teardown(() => s.close());
  return s;
}

async function party(t: Test): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  t.teardown(() => s.close());
  return s.address().port;
}

/** A relayed pair a <-> b on the native relay (media thread). */
async function pair(t: Test, pool: PortPool): Promise<RtpEndpoint> {
  const a = await openEndpoint(pool, '127.0.0.1');
  const b = await openEndpoint(pool, '127.0.0.1');
  t.teardown(() => {
    a.close();
    b.close();
  });
  a.setSdpRemote('127.0.0.1', await party(t), 0);
  b.setSdpRemote('127.0.0.1', await party(t), 0);
  a.forwardTo = b;
  b.forwardTo = a;
  return a;
}

function rtp(seq: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xff);
  writeRtpHeader(b, 0, 0, false, seq, seq * 160, 0x5eed);
  return b;
}

/** A STUN Binding request header (first byte 0: RFC 7983 STUN) padded to `len` bytes. */
function stun(len: number, tag: number): Buffer {
  const b = Buffer.alloc(len, 0);
  b.writeUInt16BE(0x0001, 0);
  b.writeUInt16BE(len - 20, 2);
  b.writeUInt32BE(0x2112a442, 4);
  b.writeUInt32BE(tag, 8);
  return b;
}

/** Spin (main thread busy: the non-RTP ring is not drained meanwhile) until cond() holds. */
function spinUntil(what: string, cond: () => boolean): void {
  const deadline = Date.now() + 10_000;
  while (!cond()) if (Date.now() > deadline) throw new Error(`timed out spinning for ${what}`);
}

t.test('a STUN flood at one endpoint does not crowd out another endpoint\'s STUN on the same media thread; the excess is counted on the flooded endpoint', async (t) => {
  const range = randomPortRange(40);
  const pool = new PortPool(range.portMin, range.portMax);
  enableNativeRelay(pool, true);
  const flooded = await pair(t, pool);
  const other = await pair(t, pool);
  t.ok(flooded.mediaThread >= 0 && flooded.mediaThread === other.mediaThread, 'both endpoints on one media thread');
  // What the kernel may queue on the flooded socket while the thread drains it: all of the flood.
  flooded.rtp.setRecvBufferSize(4 << 20);
  const floodedGot: number[] = [];
  const otherGot: number[] = [];
  flooded.nonRtp = { onStun: (m) => floodedGot.push(m.readUInt32BE(8)), onDtls: () => undefined };
  other.nonRtp = { onStun: (m) => otherGot.push(m.readUInt32BE(8)), onDtls: () => undefined };
  const toFlooded = await connected(t, flooded.localPort);
  const toOther = await connected(t, other.localPort);
  // Let the handlers' ids reach the thread (relaySetSrtp is acknowledged: already done) and the ring empty.
  await new Promise((r) => setImmediate(r));

  const N = 1000; // 1000 records of 1 KB (40-byte header + 984): ~4 x the 256 KB ring, which they fill exactly
  const floodErrors = flooded.rtpStats.errors;
  for (let i = 0; i < N; i++) toFlooded.send(stun(984, i));
  toFlooded.send(rtp(1));
  spinUntil('the flood handled by the media thread', () => flooded.rtpStats.packets >= 1);
  toOther.send(stun(100, 0xc0ffee));
  toOther.send(rtp(1));
  spinUntil('the other endpoint\'s STUN handled by the media thread', () => other.rtpStats.packets >= 1);
  const dropped = flooded.rtpStats.errors - floodErrors;
  t.equal(other.rtpStats.errors, 0, 'nothing of the other endpoint dropped');
  t.ok(dropped > 0, `the flood's excess dropped and counted on the flooded endpoint (${dropped})`);

  // Now the main thread drains the ring.
  const deadline = Date.now() + 5000;
  while (otherGot.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  t.same(otherGot, [0xc0ffee], 'the other endpoint\'s STUN reached its handler');
  t.ok(floodedGot.length + dropped <= N, 'every flood datagram queued at most once');
  t.ok(floodedGot.length <= 16384 / 1024, `the flooded endpoint held at most its share of the ring, 1/16 (${floodedGot.length} queued)`);
});
