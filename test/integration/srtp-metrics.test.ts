/**
 * Issue 12 metrics: an SRTP auth failure, a replay and an unhandled STUN datagram on an endpoint show up in
 * the daemon's /metrics as whisperd_srtp_auth_failures_total, whisperd_srtp_replays_total and
 * whisperd_non_rtp_dropped_total (and as whisperd_packets_dropped_total reasons), over real UDP.
 */
import t from 'tap';
import { enableNativeRelay, openEndpoint } from '../../src/media/openEndpoint';
import { PortPool } from '../../src/media/PortPool';
import { writeRtpHeader } from '../../src/media/rtp';
import type { SrtpKey } from '../../src/media/secure';
import { SRTP_MAX_OVERHEAD, SrtpContext } from '../../src/media/srtp';
import { metricSample, randomPortRange, startTestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

const K: SrtpKey = { suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: Buffer.alloc(16, 3), masterSalt: Buffer.alloc(14, 4) };

function srtp(c: SrtpContext, seq: number): Buffer {
  const b = Buffer.alloc(172 + SRTP_MAX_OVERHEAD, 0x55);
  writeRtpHeader(b, 0, 0, false, seq, seq * 160, 0x5157);
  return b.subarray(0, c.protect(b, 172, false));
}

t.test('SRTP auth failures, replays and unhandled STUN are exposed in /metrics', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const range = randomPortRange(20);
  const pool = new PortPool(range.portMin, range.portMax);
  enableNativeRelay(pool, true);
  const ea = await openEndpoint(pool, '127.0.0.1');
  const eb = await openEndpoint(pool, '127.0.0.1');
  const [alice, bob] = await Promise.all([Phone.open(), Phone.open()]);
  const tx = SrtpContext.create(K);
  t.teardown(() => {
    ea.close();
    eb.close();
    alice.close();
    bob.close();
    tx.destroy();
  });
  ea.setSdpRemote('127.0.0.1', alice.port, alice.port + 1);
  eb.setSdpRemote('127.0.0.1', bob.port, bob.port + 1);
  ea.setSrtp({ rx: K, tx: K });
  ea.forwardTo = eb;
  eb.forwardTo = ea;
  const m = async (name: string): Promise<number> => (await metricSample(td, name)) ?? NaN;
  const before = [await m('whisperd_srtp_auth_failures_total'), await m('whisperd_srtp_replays_total'), await m('whisperd_non_rtp_dropped_total')];
  t.ok(before.every((v) => Number.isFinite(v)), `the three series are exposed (${before.join(', ')})`);
  const p1 = srtp(tx, 1);
  const forged = Buffer.from(srtp(tx, 2));
  forged[forged.length - 1]! ^= 0xff;
  alice.send(ea.localPort, p1);
  alice.send(ea.localPort, forged);
  alice.send(ea.localPort, p1);
  alice.send(ea.localPort, Buffer.from('000100002112a442000000000000000000000000', 'hex'));
  alice.send(ea.localPort, srtp(tx, 3));
  await bob.until(() => bob.datagrams.length >= 2, 'packets 1 and 3 relayed');
  const after = [await m('whisperd_srtp_auth_failures_total'), await m('whisperd_srtp_replays_total'), await m('whisperd_non_rtp_dropped_total')];
  t.same(
    after.map((v, i) => v - before[i]!),
    [1, 1, 1],
    'one auth failure, one replay, one unhandled STUN datagram',
  );
  t.equal((await metricSample(td, 'whisperd_packets_dropped_total', 'reason="srtp_auth"'))! >= 1, true, 'also a drop reason');
});
