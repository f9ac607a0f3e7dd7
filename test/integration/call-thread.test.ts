/**
 * Issue 10: a call and all its legs live on one media thread, chosen at offer time (Call.mediaThread,
 * pickMediaThread): every relay pair of the call starts on it, and the call's native mix is created on
 * it, so a supervisor joining never moves the call's endpoints to another thread. Consecutive calls are
 * spread over the threads. Real UDP, daemon in-process with media.threads = 2.
 */
import t from 'tap';
import { rawSupervisedCall, sdpMediaPort, startTestDaemon } from '../fixtures/daemon';
import { openPhones } from '../fixtures/phone';
import { nativeRelayApi } from '../../src/media/nativeRelay';
import { loadNative } from '../../src/native/addon';
import { NativeCallMixer } from '../../src/mix/NativeCallMixer';
import type { Call } from '../../src/call/Call';

const api = nativeRelayApi();
const native = loadNative();

/** An SDP with two audio m= lines (two relay pairs per party). */
function twoLineSdp(port1: number, port2: number, id: number): string {
  return [
    'v=0', `o=phone ${id} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port1} RTP/AVP 8`, 'a=sendrecv',
    `m=audio ${port2} RTP/AVP 8`, 'a=sendrecv', '',
  ].join('\r\n');
}

/** Media threads of every endpoint of a call (-1: not relaying on a thread). */
function endpointThreads(call: Call): number[] {
  const out: number[] = [];
  for (const p of call.participants.values()) for (const leg of p.legs) if (leg.endpoint) out.push(leg.endpoint.mediaThread);
  return out;
}

if (api === null || native === null || !native.mixThreadOf) {
  t.fail('native relay and mix unavailable: the addon must be built (make native)');
} else {
  const mixThreadOf = native.mixThreadOf.bind(native);

  t.test('both relay pairs of a two-line call start on the call\'s thread; the next call goes to the other thread', async (t) => {
    const td = await startTestDaemon({ media: { threads: 2 } });
    t.teardown(() => td.close());
    const phones = await openPhones(t, 8);
    const threadsOf: number[][] = [];
    for (const [k, id] of ['one', 'two'].entries()) {
      const [a1, a2, b1, b2] = phones.slice(4 * k, 4 * k + 4);
      const offer = await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'a', sdp: twoLineSdp(a1!.port, a2!.port, 1000) });
      const answer = await td.ng.request({ command: 'answer', 'call-id': id, 'from-tag': 'a', 'to-tag': 'b', sdp: twoLineSdp(b1!.port, b2!.port, 2000) });
      t.equal(answer.result, 'ok', `${id}: answered`);
      // Both lines relay (the packet crosses the pair of each line).
      a1!.sendRtp(sdpMediaPort(answer.sdp as string, 0), 1, 0x1);
      await b1!.waitDatagrams(1);
      a2!.sendRtp(sdpMediaPort(answer.sdp as string, 1), 1, 0x2);
      await b2!.waitDatagrams(1);
      t.equal(sdpMediaPort(offer.sdp as string, 1) > 0, true, `${id}: two lines offered`);
      const call = td.daemon.registry.get(id)!;
      t.ok(call.mediaThread === 0 || call.mediaThread === 1, `${id}: a media thread was chosen at offer time (${call.mediaThread})`);
      const threads = endpointThreads(call);
      t.equal(threads.length, 4, `${id}: four endpoints`);
      t.same(threads, [call.mediaThread, call.mediaThread, call.mediaThread, call.mediaThread], `${id}: every endpoint on the call's thread`);
      threadsOf.push(threads);
    }
    t.not(threadsOf[0]![0], threadsOf[1]![0], 'the second call is on the other thread');
  });

  t.test('a supervisor joining creates the mix on the thread the call already relays on', async (t) => {
    const td = await startTestDaemon({ media: { threads: 2 } });
    t.teardown(() => td.close());
    const mixThreads: number[] = [];
    for (const id of ['w1', 'w2']) {
      const c = await rawSupervisedCall(td, id, 'whisper');
      t.teardown(() => c.close());
      const call = td.daemon.registry.get(id)!;
      const mixer = call.mixer;
      t.ok(mixer instanceof NativeCallMixer, `${id}: the call runs on the native engine`);
      const h = (mixer as NativeCallMixer).mixHandle!;
      t.equal(mixThreadOf(h), call.mediaThread, `${id}: the mix is on the call's thread (${call.mediaThread})`);
      mixThreads.push(mixThreadOf(h));
    }
    t.not(mixThreads[0], mixThreads[1], 'the two supervised calls are on different threads');
  });
}
