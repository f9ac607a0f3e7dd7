/**
 * D2 (issue 9): an answer whose SDP names whisperd's own media address and one of its own ports must
 * not make a packet circulate between whisperd's own sockets. Over real UDP with the daemon
 * in-process, on the JS relay path and on the native relay path: one packet is sent, the daemon's
 * forwarded-packet counter stays bounded and the `own_address` drop reason counts what was refused.
 * Also: a packet whose source is one of whisperd's own sockets never latches.
 */
import t from 'tap';
import { latchBoth, metricSample, phoneSdp, relayCall, sdpMediaPort, sleep, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { openPhones, Phone } from '../fixtures/phone';
import type { NgDict } from '../../src/control/ng/bencode';
import { nativeRelayApi } from '../../src/media/nativeRelay';

async function metric(td: TestDaemon, name: string, labels: string): Promise<number> {
  return (await metricSample(td, name, labels)) ?? 0;
}

const forwarded = (td: TestDaemon): Promise<number> => metric(td, 'whisperd_packets_total', 'direction="out",kind="rtp"');
const ownDrops = (td: TestDaemon): Promise<number> => metric(td, 'whisperd_packets_dropped_total', 'reason="own_address"');

/** Wait until `fn` reaches `min` (polling the metrics endpoint), or fail after 5 s. */
async function until(fn: () => Promise<number>, min: number): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await fn();
    if (v >= min || Date.now() > deadline) return v;
    await sleep(20);
  }
}

function streamOf(q: NgDict, tag: string): NgDict {
  return (((q.tags as Record<string, NgDict>)[tag]!.medias as NgDict[])[0]!.streams as NgDict[])[0]!;
}

for (const nativeRelay of [false, true]) {
  const label = nativeRelay ? 'native relay' : 'JS relay';
  t.test(`${label}: an answer naming one of whisperd's own ports does not loop a packet`, async (t) => {
    if (nativeRelay && nativeRelayApi() === null) {
      t.fail('native relay unavailable: the addon must be built (make native)');
      return;
    }
    const td = await startTestDaemon({ media: { nativeRelay } });
    t.teardown(() => td.close());
    const alice = await Phone.open();
    t.teardown(() => alice.close());
    const offer = await td.ng.request({ command: 'offer', 'call-id': 'loop', 'from-tag': 'a', sdp: phoneSdp(alice.port) });
    t.equal(offer.result, 'ok');
    // The socket facing alice (her packets arrive there) is already allocated: the answer names it.
    const q0 = await td.ng.request({ command: 'query', 'call-id': 'loop' });
    const portFacingAlice = streamOf(q0, 'a')['local port'] as number;
    t.ok(portFacingAlice > 0, `whisperd's port facing alice: ${portFacingAlice}`);
    const answer = await td.ng.request({ command: 'answer', 'call-id': 'loop', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(portFacingAlice) });
    t.equal(answer.result, 'ok');
    t.equal(sdpMediaPort(answer.sdp as string), portFacingAlice);
    if (nativeRelay) t.ok(nativeRelayApi()!.live() >= 2, 'the pair is relayed natively');

    const out0 = await forwarded(td);
    const drops0 = await ownDrops(td);
    alice.sendRtp(portFacingAlice, 1, 0xa11ce);
    const drops = await until(() => ownDrops(td), drops0 + 1);
    t.ok(drops > drops0, 'the packet bound for whisperd\'s own socket is dropped and counted as own_address');
    // A loop runs at full speed: in this window it would forward thousands of packets.
    await sleep(300);
    const out = (await forwarded(td)) - out0;
    t.ok(out < 10, `packets forwarded after one packet in: ${out} (bounded)`);
    t.ok((await ownDrops(td)) - drops0 < 10, 'own_address drops stay bounded too');
    const q = await td.ng.request({ command: 'query', 'call-id': 'loop' });
    t.equal(streamOf(q, 'a').endpoint && (streamOf(q, 'a').endpoint as NgDict).port, alice.port, 'alice\'s side stays latched to alice');
  });

  t.test(`${label}: a packet from one of whisperd's own sockets never latches (media handover)`, async (t) => {
    if (nativeRelay && nativeRelayApi() === null) {
      t.fail('native relay unavailable: the addon must be built (make native)');
      return;
    }
    const td = await startTestDaemon({ media: { nativeRelay } });
    t.teardown(() => td.close());
    const [alice, bob] = await openPhones(t, 2);
    // Call 1 alice <-> bob with media-handover (any new source re-latches).
    const handover = { flags: ['media-handover'] };
    const { portForAlice, portForBob } = await relayCall(td, 'h', alice.port, bob.port, { offer: handover, answer: handover });
    if (nativeRelay) t.ok(nativeRelayApi()!.live() >= 2, 'the pair is relayed natively');
    await latchBoth(alice, bob, { portForAlice, portForBob });
    // A socket on a port of whisperd's own range (the pool's last pair, not handed out here) at the
    // media address: what whisperd's own sockets look like as a source.
    const ownPort = td.daemon.pool.first + 2 * (td.daemon.pool.size - 1);
    const own = await Phone.open(ownPort);
    t.teardown(() => own.close());
    const drops0 = await ownDrops(td);
    own.sendRtp(portForAlice, 2, 0xbad);
    await until(() => ownDrops(td), drops0 + 1);
    t.equal(bob.datagrams.length, 1, 'the packet from whisperd\'s own port was not forwarded');
    // Bob's next packet still reaches alice, not whisperd's own socket.
    bob.sendRtp(portForBob, 2, 0xb);
    await alice.waitDatagrams(2);
    t.equal(own.datagrams.length, 0, 'nothing was sent to whisperd\'s own port');
    t.equal(alice.datagrams[1]!.readUInt32BE(8), 0xb, 'alice still receives bob\'s media');
    const q = await td.ng.request({ command: 'query', 'call-id': 'h' });
    t.equal((streamOf(q, 'a').endpoint as NgDict).port, alice.port, 'the endpoint facing alice did not latch to whisperd\'s own port');
  });
}
