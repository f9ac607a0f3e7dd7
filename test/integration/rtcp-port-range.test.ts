/**
 * D9 (issue 9): RTP from source port 65535 must not latch RTCP to port 65536 (RTP + 1 out of range).
 * Before the fix every RTCP packet towards that party threw (JS path: ERR_SOCKET_BAD_PORT out of the
 * socket's message handler, logged with a stack trace each time; native path: a send_error per packet).
 * Now the RTCP destination stays unknown until that party's RTCP itself arrives (no_destination), and
 * then RTCP flows to the latched RTCP source. Over real UDP, JS and native relay.
 */
import dgram from 'node:dgram';
import t from 'tap';
import { latchBoth, relayCall, sleep, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';
import { nativeRelayApi } from '../../src/media/nativeRelay';

async function metrics(td: TestDaemon): Promise<(name: string, labels: string) => number> {
  const text = await (await fetch(`http://127.0.0.1:${td.httpPort}/metrics`)).text();
  return (name, labels) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
}
const drop = (reason: string) => `reason="${reason}"`;

/** A receiver bound to 127.0.0.1:65535 (retried while another process holds it). */
async function bind65535(): Promise<Phone> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await new Promise<Phone>((resolve, reject) => {
        const probe = dgram.createSocket('udp4');
        probe.once('error', (err) => {
          probe.close();
          reject(err);
        });
        probe.bind(65535, '127.0.0.1', () => {
          probe.close(() => Phone.open(65535).then(resolve, reject));
        });
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

/** A minimal RTCP receiver report (8 bytes, length word 1). */
const rtcpRr = (ssrc: number): Buffer => {
  const b = Buffer.alloc(8);
  b[0] = 0x80;
  b[1] = 201;
  b.writeUInt16BE(1, 2);
  b.writeUInt32BE(ssrc, 4);
  return b;
};

for (const nativeRelay of [false, true]) {
  t.test(`${nativeRelay ? 'native' : 'JS'} relay: RTP from port 65535 does not latch RTCP to 65536`, async (t) => {
    if (nativeRelay && nativeRelayApi() === null) {
      t.fail('native relay unavailable: the addon must be built (make native)');
      return;
    }
    const td = await startTestDaemon({ media: { nativeRelay } });
    t.teardown(() => td.close());
    const alice = await bind65535();
    const aliceRtcp = await Phone.open();
    const bob = await Phone.open();
    const bobRtcp = await Phone.open();
    t.teardown(() => {
      for (const p of [alice, aliceRtcp, bob, bobRtcp]) p.close();
    });
    // alice's SDP names other ports: her real RTP source (65535) is learned by latching.
    const { portForAlice, portForBob } = await relayCall(td, 'c', 4000, bob.port);
    await latchBoth(alice, bob, { portForAlice, portForBob });
    t.equal(alice.datagrams[0]!.readUInt32BE(8), 0xb, 'RTP latched to alice\'s port 65535');

    const m0 = await metrics(td);
    // bob's RTCP towards alice: her RTCP port is not known yet (65536 does not exist).
    for (let i = 0; i < 5; i++) bobRtcp.send(portForBob + 1, rtcpRr(0xb));
    const deadline = Date.now() + 5000;
    let m = await metrics(td);
    while (m('whisperd_packets_total', 'direction="in",kind="rtcp"') < m0('whisperd_packets_total', 'direction="in",kind="rtcp"') + 5 && Date.now() < deadline) {
      await sleep(20);
      m = await metrics(td);
    }
    const delta = (name: string, labels: string): number => m(name, labels) - m0(name, labels);
    t.equal(delta('whisperd_packets_total', 'direction="in",kind="rtcp"'), 5, 'the 5 RTCP packets arrived');
    t.equal(delta('whisperd_packets_dropped_total', drop('no_destination')), 5, 'dropped as no_destination (alice\'s RTCP port unknown)');
    t.equal(delta('whisperd_packets_dropped_total', drop('send_error')), 0, 'no send errors');
    t.equal(delta('whisperd_packets_dropped_total', drop('internal_error')), 0, 'nothing threw');

    // alice's own RTCP latches her RTCP port; bob's RTCP then reaches it.
    aliceRtcp.send(portForAlice + 1, rtcpRr(0xa));
    await bobRtcp.waitDatagrams(1);
    bobRtcp.send(portForBob + 1, rtcpRr(0xb));
    await aliceRtcp.waitDatagrams(1);
    t.equal(aliceRtcp.datagrams[0]!.readUInt32BE(4), 0xb, 'RTCP flows once alice\'s RTCP source is latched');
    // RTP still flows both ways.
    bob.sendRtp(portForBob, 2, 0xb);
    await alice.waitDatagrams(2);
  });
}
