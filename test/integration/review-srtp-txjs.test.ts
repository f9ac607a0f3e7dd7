/**
 * Review (issue #12, SRTP tx contexts across native <-> JS moves): what JS itself sends on an SRTP endpoint
 * (sendOwnRtp: its own SSRC and that stream's SRTCP sender reports) must keep one SRTP/SRTCP index space per
 * SSRC when the endpoint leaves its media thread. Reusing an (SSRC, SRTCP index) with the same key reuses
 * AES-CM keystream (a GCM nonce for AEAD suites) and the party drops the report as a replay (RFC 3711 §3.3.2,
 * §9.2: an index must never be reused under one master key).
 */
import os from 'node:os';
import t from 'tap';
import { setMediaThreads } from '../../src/media/nativeRelay';
import { enableNativeRelay, openEndpoint } from '../../src/media/openEndpoint';
import { PortPool } from '../../src/media/PortPool';
import { writeRtpHeader } from '../../src/media/rtp';
import type { SrtpKey } from '../../src/media/secure';
import { SRTP_SUITES, SrtpContext, SrtpError } from '../../src/media/srtp';
import { randomPortRange } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

function key(fill: number): SrtpKey {
  const i = SRTP_SUITES.AES_CM_128_HMAC_SHA1_80;
  return { suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: Buffer.alloc(i.keyLength, fill), masterSalt: Buffer.alloc(i.saltLength, fill + 1) };
}

function rtpPacket(seq: number, ssrc: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0x55);
  writeRtpHeader(b, 0, 0, false, seq, seq * 160, ssrc);
  return b;
}

t.test('sendOwnRtp on a media thread, then on the JS path: the SRTCP sender reports of that SSRC keep increasing indices (no replay at the party)', async (t) => {
  setMediaThreads(Math.max(1, os.availableParallelism()));
  t.teardown(() => setMediaThreads(os.availableParallelism()));
  const range = randomPortRange(200);
  const pool = new PortPool(range.portMin, range.portMax);
  enableNativeRelay(pool, true);
  const ea = await openEndpoint(pool, '127.0.0.1');
  const eb = await openEndpoint(pool, '127.0.0.1');
  const [alice, aliceRtcp, bob, bobRtcp] = await Promise.all([Phone.open(), Phone.open(), Phone.open(), Phone.open()]);
  t.teardown(() => {
    ea.close();
    eb.close();
    for (const p of [alice, aliceRtcp, bob, bobRtcp]) p.close();
  });
  const kWhisperd = key(0x41);
  ea.setSdpRemote('127.0.0.1', alice.port, aliceRtcp.port);
  eb.setSdpRemote('127.0.0.1', bob.port, bobRtcp.port);
  ea.setSrtp({ rx: key(0x21), tx: kWhisperd });
  ea.forwardTo = eb;
  eb.forwardTo = ea;
  t.ok(ea.mediaThread >= 0, 'the pair runs on a media thread');
  const aliceRx = SrtpContext.create(kWhisperd); // alice's one receive context for whisperd's stream
  t.teardown(() => aliceRx.destroy());
  const SSRC = 0x0e0e0e0e;
  let seq = 1;
  ea.sendOwnRtp(rtpPacket(seq++, SSRC), 172);
  await aliceRtcp.until(() => aliceRtcp.datagrams.length >= 1, 'the first sender report');
  const first = Buffer.from(aliceRtcp.datagrams[0]!);
  t.ok(aliceRx.unprotect(first, first.length, true) > 0, 'the first report decrypts');
  // The endpoint leaves its media thread (its pair is taken apart), JS keeps sending its own stream.
  ea.forwardTo = null;
  eb.forwardTo = null;
  t.equal(ea.isNative, false, 'the endpoint is on the JS path now');
  // The stream's next report is due 5-7 s later (rtcpReport.ts): keep the stream going until it comes.
  while (aliceRtcp.datagrams.length < 2) {
    ea.sendOwnRtp(rtpPacket(seq++, SSRC), 172);
    await new Promise((r) => setTimeout(r, 20));
    if (seq > 600) break;
  }
  t.equal(aliceRtcp.datagrams.length, 2, 'a second sender report came');
  const second = Buffer.from(aliceRtcp.datagrams[1]!);
  const n = aliceRx.unprotect(second, second.length, true);
  t.not(n, SrtpError.REPLAY, 'the second report is not a replay of the first one\'s SRTCP index');
  t.ok(n > 0, 'the second report decrypts');
});
