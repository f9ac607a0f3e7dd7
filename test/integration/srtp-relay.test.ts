/**
 * An SRTP <-> RTP bridged pair of endpoints on real UDP sockets (issue #12; RFC 3711, RFC 7983): the
 * SRTP party's packets reach the plain party decrypted and the plain party's reach the SRTP party
 * encrypted with the endpoint's tx key (RTP and RTCP, both sockets and rtcp-mux); a forged tag and a
 * replay are dropped and counted; STUN and DTLS reach the endpoint's non-RTP handler (or are dropped and
 * counted without one) and never the other party; sendRaw sends as is; pending keys drop both ways.
 * Every scenario runs on the native relay (media threads: SRTP and the demux in native/src/relay.cc) and
 * with the native relay off for the pool (the JS path); the world checks which one relays.
 */
import os from 'node:os';
import t from 'tap';
import { DropReason, mediaCounters } from '../../src/media/counters';
import { setMediaThreads } from '../../src/media/nativeRelay';
import { enableNativeRelay, openEndpoint } from '../../src/media/openEndpoint';
import { PortPool } from '../../src/media/PortPool';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import { writeRtpHeader } from '../../src/media/rtp';
import type { NonRtpHandler, SrtpKey, SrtpSuite } from '../../src/media/secure';
import { SRTP_MAX_OVERHEAD, SRTP_SUITES, SrtpContext } from '../../src/media/srtp';
import { randomPortRange } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

function key(suite: SrtpSuite, fill: number): SrtpKey {
  const i = SRTP_SUITES[suite];
  return { suite, masterKey: Buffer.alloc(i.keyLength, fill), masterSalt: Buffer.alloc(i.saltLength, fill + 1) };
}

function plainRtp(seq: number, ssrc: number, fill: number): Buffer {
  const b = Buffer.alloc(12 + 160, fill);
  writeRtpHeader(b, 0, 8, false, seq & 0xffff, (seq * 160) >>> 0, ssrc);
  for (let i = 0; i < 160; i++) b[12 + i] = (fill + seq + i) & 0xff;
  return b;
}

function plainSr(ssrc: number): Buffer {
  const b = Buffer.alloc(28, 0);
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc, 4);
  for (let i = 8; i < 28; i++) b[i] = i * 3;
  return b;
}

function protect(c: SrtpContext, plain: Buffer, rtcp: boolean): Buffer {
  const b = Buffer.alloc(plain.length + SRTP_MAX_OVERHEAD);
  plain.copy(b);
  const n = c.protect(b, plain.length, rtcp);
  if (n < 0) throw new Error(`protect ${n}`);
  return b.subarray(0, n);
}

function unprotect(c: SrtpContext, wire: Buffer, rtcp: boolean): Buffer | number {
  const b = Buffer.from(wire);
  const n = c.unprotect(b, b.length, rtcp);
  return n < 0 ? n : b.subarray(0, n);
}

interface World {
  ea: RtpEndpoint; // faces alice (SRTP)
  eb: RtpEndpoint; // faces bob (plain)
  alice: Phone;
  aliceRtcp: Phone;
  bob: Phone;
  bobRtcp: Phone;
  /** alice's own SRTP: aliceTx = her key (our rx), aliceRx = our tx key (what she decrypts with). */
  aliceTx: SrtpContext;
  aliceRx: SrtpContext;
}

const SUITE_CASES: SrtpSuite[] = ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM', 'AES_256_CM_HMAC_SHA1_32'];

async function world(t: { teardown(fn: () => void): void }, native: boolean, suite: SrtpSuite, threads: number): Promise<World> {
  setMediaThreads(threads);
  t.teardown(() => setMediaThreads(os.availableParallelism()));
  // A fresh random range per try: another process (a benchmark daemon) may hold most ports of one.
  let oa: RtpEndpoint | null = null;
  let ob: RtpEndpoint | null = null;
  for (let attempt = 0; ob === null; attempt++) {
    const range = randomPortRange(200);
    const pool = new PortPool(range.portMin, range.portMax);
    enableNativeRelay(pool, native);
    try {
      oa = await openEndpoint(pool, '127.0.0.1');
      ob = await openEndpoint(pool, '127.0.0.1');
    } catch (err) {
      oa?.close();
      oa = null;
      if (attempt >= 4) throw err;
    }
  }
  const ea = oa!;
  const eb = ob;
  const [alice, aliceRtcp, bob, bobRtcp] = await Promise.all([Phone.open(), Phone.open(), Phone.open(), Phone.open()]);
  t.teardown(() => {
    ea.close();
    eb.close();
    for (const p of [alice, aliceRtcp, bob, bobRtcp]) p.close();
  });
  const kAlice = key(suite, 0x21);
  const kWhisperd = key(suite, 0x41);
  ea.setSdpRemote('127.0.0.1', alice.port, aliceRtcp.port);
  eb.setSdpRemote('127.0.0.1', bob.port, bobRtcp.port);
  ea.setSrtp({ rx: kAlice, tx: kWhisperd });
  ea.forwardTo = eb;
  eb.forwardTo = ea;
  const aliceTx = SrtpContext.create(kAlice);
  const aliceRx = SrtpContext.create(kWhisperd);
  t.teardown(() => {
    aliceTx.destroy();
    aliceRx.destroy();
  });
  if (native !== (ea.isNative && eb.isNative)) throw new Error(`expected the pair ${native ? 'on' : 'off'} the native relay`);
  if (native && (threads > 0) !== ea.mediaThread >= 0) throw new Error(`expected the pair ${threads > 0 ? 'on a media thread' : "on Node's loop"}`);
  return { ea, eb, alice, aliceRtcp, bob, bobRtcp, aliceTx, aliceRx };
}

const MODES: [string, boolean, number][] = [
  ['media threads', true, Math.max(1, os.availableParallelism())],
  ["native relay on Node's loop", true, 0],
  ['JS path (native relay off)', false, 0],
];
for (const [mode, native, threads] of MODES) {
  for (const suite of SUITE_CASES) {
    t.test(`${mode}, ${suite}: SRTP -> RTP and RTP -> SRTP relay with the payload bytes intact`, async (t) => {
      const w = await world(t, native, suite, threads);
      const sent: Buffer[] = [];
      for (let i = 0; i < 20; i++) {
        const p = plainRtp(100 + i, 0xa11ce, 0x10);
        sent.push(p);
        w.alice.send(w.ea.localPort, protect(w.aliceTx, p, false));
      }
      await w.bob.until(() => w.bob.datagrams.length >= 20, '20 decrypted packets at bob');
      t.same(
        w.bob.datagrams.map((d) => d.toString('hex')),
        sent.map((p) => p.toString('hex')),
        'bob receives alice\'s packets decrypted, byte for byte',
      );
      const back: Buffer[] = [];
      for (let i = 0; i < 20; i++) {
        const p = plainRtp(65530 + i, 0xb0b, 0x30); // across the sequence wrap: ROC 0 -> 1 on our tx
        back.push(p);
        w.bob.send(w.eb.localPort, p);
      }
      await w.alice.until(() => w.alice.datagrams.length >= 20, '20 encrypted packets at alice');
      const decrypted = w.alice.datagrams.map((d) => unprotect(w.aliceRx, d, false));
      t.same(
        decrypted.map((d) => (typeof d === 'number' ? d : d.toString('hex'))),
        back.map((p) => p.toString('hex')),
        'alice decrypts bob\'s packets with whisperd\'s tx key, across the wrap',
      );
      t.ok(w.alice.datagrams.every((d, i) => !d.subarray(12, 172).equals(back[i]!.subarray(12))), 'what alice receives is encrypted');
      t.equal(w.ea.srtpStats.decrypted, 20);
      t.equal(w.ea.srtpStats.encrypted, 20);
      t.equal(w.ea.srtpStats.authFailures, 0);
    });
  }

  t.test(`${mode}: SRTCP <-> RTCP on the RTCP sockets and under rtcp-mux`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    // alice's SRTCP on the RTCP socket -> bob's RTCP port, plain
    w.alice.send(w.ea.localPort, protect(w.aliceTx, plainRtp(1, 0xa11ce, 1), false)); // latch RTP first
    await w.bob.until(() => w.bob.datagrams.length >= 1, 'latching packet');
    const sr = plainSr(0xa11ce);
    w.aliceRtcp.send(w.ea.localPort + 1, protect(w.aliceTx, sr, true));
    await w.bobRtcp.until(() => w.bobRtcp.datagrams.length >= 1, 'RTCP at bob');
    t.same(w.bobRtcp.datagrams[0], sr, 'bob gets alice\'s SR decrypted');
    // rtcp-mux: SRTCP on the RTP port
    const sr2 = plainSr(0xa11ce);
    sr2[27] = 0x77;
    w.alice.send(w.ea.localPort, protect(w.aliceTx, sr2, true));
    await w.bob.until(() => w.bob.datagrams.length >= 2, 'muxed RTCP at bob');
    t.same(w.bob.datagrams[1], sr2, 'muxed SRTCP decrypted and relayed out of bob\'s RTP socket');
    // bob's RTCP -> alice, encrypted with whisperd's tx key
    const bsr = plainSr(0xb0b);
    w.bobRtcp.send(w.eb.localPort + 1, bsr);
    await w.aliceRtcp.until(() => w.aliceRtcp.datagrams.length >= 1, 'SRTCP at alice');
    const got = unprotect(w.aliceRx, w.aliceRtcp.datagrams[0]!, true);
    t.same(got, bsr, 'alice decrypts bob\'s RTCP');
    t.equal(w.aliceRtcp.datagrams[0]!.length, 28 + 4 + 10, 'sent as SRTCP (E+index, 80-bit tag)');
  });

  t.test(`${mode}: a forged tag and a replayed packet are dropped and counted, the stream goes on`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    const auth0 = mediaCounters.drops[DropReason.SRTP_AUTH]!;
    const replay0 = mediaCounters.drops[DropReason.SRTP_REPLAY]!;
    const p1 = protect(w.aliceTx, plainRtp(1, 0xa11ce, 1), false);
    w.alice.send(w.ea.localPort, p1);
    await w.bob.until(() => w.bob.datagrams.length >= 1, 'first packet');
    const forged = Buffer.from(protect(w.aliceTx, plainRtp(2, 0xa11ce, 1), false));
    forged[forged.length - 1]! ^= 1;
    w.alice.send(w.ea.localPort, forged);
    w.alice.send(w.ea.localPort, p1); // replay
    w.alice.send(w.ea.localPort, protect(w.aliceTx, plainRtp(3, 0xa11ce, 1), false));
    await w.bob.until(() => w.bob.datagrams.length >= 2, 'packet 3');
    t.same(
      w.bob.datagrams.map((d) => d.readUInt16BE(2)),
      [1, 3],
      'only the authentic, fresh packets reach bob',
    );
    t.equal(w.ea.srtpStats.authFailures, 1, 'auth failure on the endpoint');
    t.equal(w.ea.srtpStats.replays, 1, 'replay on the endpoint');
    t.equal(mediaCounters.drops[DropReason.SRTP_AUTH]! - auth0, 1, 'srtp_auth drop counted');
    t.equal(mediaCounters.drops[DropReason.SRTP_REPLAY]! - replay0, 1, 'srtp_replay drop counted');
  });

  t.test(`${mode}: STUN and DTLS reach the non-RTP handler (RTP and RTCP socket), never the other party; without a handler they are counted`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    const got: string[] = [];
    const handler: NonRtpHandler = {
      onStun: (m, a, p, rtcp) => got.push(`stun ${m.toString('hex')} ${a} ${p === w.alice.port || p === w.aliceRtcp.port} ${rtcp}`),
      onDtls: (m, a, p, rtcp) => got.push(`dtls ${m.toString('hex')} ${a} ${p === w.alice.port || p === w.aliceRtcp.port} ${rtcp}`),
    };
    w.ea.nonRtp = handler;
    const stun = Buffer.from('000100002112a442000102030405060708090a0b', 'hex'); // Binding request header
    const dtls = Buffer.from('16fefd000000000000000000010001', 'hex'); // a DTLS 1.2 handshake record
    w.alice.send(w.ea.localPort, stun);
    w.alice.send(w.ea.localPort, dtls);
    w.aliceRtcp.send(w.ea.localPort + 1, stun);
    w.alice.send(w.ea.localPort, protect(w.aliceTx, plainRtp(1, 0xa11ce, 1), false));
    await w.bob.until(() => w.bob.datagrams.length >= 1, 'the RTP after them');
    await w.alice.until(() => got.length >= 3, 'three handler calls');
    t.same(got, [
      `stun ${stun.toString('hex')} 127.0.0.1 true false`,
      `dtls ${dtls.toString('hex')} 127.0.0.1 true false`,
      `stun ${stun.toString('hex')} 127.0.0.1 true true`,
    ]);
    t.equal(w.bob.datagrams.length, 1, 'bob got the RTP only');
    t.equal(w.bob.datagrams[0]!.readUInt16BE(2), 1);
    const before = mediaCounters.drops[DropReason.NON_RTP]!;
    w.ea.nonRtp = null;
    w.alice.send(w.ea.localPort, stun);
    w.alice.send(w.ea.localPort, protect(w.aliceTx, plainRtp(2, 0xa11ce, 1), false));
    await w.bob.until(() => w.bob.datagrams.length >= 2, 'RTP after the unhandled STUN');
    t.equal(mediaCounters.drops[DropReason.NON_RTP]! - before, 1, 'dropped as non_rtp');
    t.equal(got.length, 3, 'the handler was not called');
  });

  t.test(`${mode}: what JS itself sends out of an SRTP endpoint (sendRtp, sendOwnRtp) reaches the party encrypted, also while a media thread relays the pair`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    const own = plainRtp(7, 0x70707070, 9);
    const own2 = plainRtp(8, 0x70707070, 9);
    w.ea.sendRtp(Buffer.from(own), own.length);
    w.ea.sendOwnRtp(Buffer.from(own2), own2.length);
    await w.alice.until(() => w.alice.datagrams.length >= 2, 'the two JS packets');
    t.same(unprotect(w.aliceRx, w.alice.datagrams[0]!, false), own, 'sendRtp: decrypts with whisperd\'s tx key');
    t.same(unprotect(w.aliceRx, w.alice.datagrams[1]!, false), own2, 'sendOwnRtp: decrypts with whisperd\'s tx key');
    // The relayed stream goes on alongside.
    w.bob.send(w.eb.localPort, plainRtp(1, 0xb0b, 3));
    await w.alice.until(() => w.alice.datagrams.length >= 3, 'relayed packet');
    t.same(unprotect(w.aliceRx, w.alice.datagrams[2]!, false), plainRtp(1, 0xb0b, 3), 'the relayed stream still decrypts');
  });

  t.test(`${mode}: a 2100-byte datagram JS sends with a 128-byte MKI (RFC 4568 §9.1) is protected and delivered`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    const k: SrtpKey = { ...key('AES_CM_128_HMAC_SHA1_80', 0x41), mki: { value: 9, length: 128 } };
    w.ea.setSrtp({ rx: key('AES_CM_128_HMAC_SHA1_80', 0x21), tx: k });
    const rx = SrtpContext.create(k);
    t.teardown(() => rx.destroy());
    const big = Buffer.alloc(2100, 0x33);
    writeRtpHeader(big, 0, 8, false, 5, 800, 0x1234);
    w.ea.sendRtp(Buffer.from(big), big.length);
    await w.alice.until(() => w.alice.datagrams.length >= 1, 'the large packet');
    t.equal(w.alice.datagrams[0]!.length, 2100 + 128 + 10, 'MKI and tag appended');
    t.same(unprotect(rx, w.alice.datagrams[0]!, false), big, 'decrypts with the MKI key');
  });

  t.test(`${mode}: sendRaw sends the bytes as they are, never protected`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    const msg = Buffer.from('0101000c2112a442aabbccddeeff00112233', 'hex');
    w.ea.sendRaw(msg, '127.0.0.1', w.alice.port);
    w.ea.sendRaw(msg, '127.0.0.1', w.aliceRtcp.port, true);
    await w.alice.until(() => w.alice.datagrams.length >= 1, 'raw on RTP');
    await w.aliceRtcp.until(() => w.aliceRtcp.datagrams.length >= 1, 'raw on RTCP');
    t.same(w.alice.datagrams[0], msg);
    t.same(w.aliceRtcp.datagrams[0], msg);
  });

  t.test(`${mode}: pending keys drop both ways (srtp_no_keys) until keys arrive`, async (t) => {
    const w = await world(t, native, 'AES_CM_128_HMAC_SHA1_80', threads);
    w.ea.setSrtp('pending');
    const before = mediaCounters.drops[DropReason.SRTP_NO_KEYS]!;
    w.alice.send(w.ea.localPort, protect(w.aliceTx, plainRtp(1, 0xa11ce, 1), false));
    w.bob.send(w.eb.localPort, plainRtp(1, 0xb0b, 2));
    await t.resolves(
      (async () => {
        const deadline = Date.now() + 5000;
        while (mediaCounters.drops[DropReason.SRTP_NO_KEYS]! - before < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      })(),
    );
    t.equal(mediaCounters.drops[DropReason.SRTP_NO_KEYS]! - before, 2, 'one drop each way');
    t.equal(w.bob.datagrams.length + w.alice.datagrams.length, 0, 'nothing delivered');
    w.ea.setSrtp({ rx: key('AES_CM_128_HMAC_SHA1_80', 0x21), tx: key('AES_CM_128_HMAC_SHA1_80', 0x41) });
    w.alice.send(w.ea.localPort, protect(w.aliceTx, plainRtp(2, 0xa11ce, 1), false));
    await w.bob.until(() => w.bob.datagrams.length >= 1, 'relayed once keyed');
    t.equal(w.bob.datagrams[0]!.readUInt16BE(2), 2);
  });
}
