import t from 'tap';
import { daemonWithPhones, phoneSdp, sdpMediaPort, sleep, startTestDaemon } from '../fixtures/daemon';
import { levels, presence } from '../fixtures/media';

/**
 * A PCMA-only offer answered with PCMU (what SIPp's built-in UAS does): the two sides share no codec,
 * so whisperd transcodes. Each side streams a distinct tone in its own codec; each must receive the
 * other's tone in its own codec.
 */
t.test('PCMA offer answered with PCMU is transcoded both ways', async (t) => {
  const { td, alice, bob } = await daemonWithPhones(t);
  const offer = await td.ng.request({ command: 'offer', 'call-id': 'tc', 'from-tag': 'a', sdp: phoneSdp(alice.port, { codecs: ['8'] }) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': 'tc', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(bob.port, { codecs: ['0'] }) });
  t.equal(answer.result, 'ok');
  t.match(answer.sdp as string, /^m=audio \d+ RTP\/AVP 8\r$/m, 'alice is answered with her own codec (PCMA)');
  const toAlicePort = sdpMediaPort(answer.sdp as string);
  const toBobPort = sdpMediaPort(offer.sdp as string);
  alice.startTone(toAlicePort, 1019, 8);
  bob.startTone(toBobPort, 617, 0);
  const deadline = Date.now() + 8000;
  while ((alice.received.length < 100 || bob.received.length < 100) && Date.now() < deadline) await sleep(100);
  alice.stop();
  bob.stop();
  t.ok(bob.received.length >= 100, `bob received ${bob.received.length} packets`);
  t.ok(alice.received.length >= 100, `alice received ${alice.received.length} packets`);
  t.ok(bob.received.every((p) => p.pt === 0), 'bob receives PCMU only');
  t.ok(alice.received.every((p) => p.pt === 8), 'alice receives PCMA only');
  const atBob = bob.decode('pcmu', 0);
  const atAlice = alice.decode('pcma', 8);
  const lb = levels(atBob.pcm, 8000, [1019, 617]);
  const la = levels(atAlice.pcm, 8000, [1019, 617]);
  lb[1019] = presence(atBob.pcm, 8000, [1019])[1019]!;
  la[617] = presence(atAlice.pcm, 8000, [617])[617]!;
  t.ok(lb[1019]! > -16, `bob hears alice's 1019 Hz tone (${lb[1019]!.toFixed(1)} dBFS)`);
  t.ok(lb[1019]! - lb[617]! > 60, 'bob does not hear his own tone back');
  t.ok(la[617]! > -16, `alice hears bob's 617 Hz tone (${la[617]!.toFixed(1)} dBFS)`);
  t.ok(la[617]! - la[1019]! > 60, `alice does not hear her own tone back (${la[1019]!.toFixed(1)})`);
  // Each output is one continuous stream: one SSRC, consecutive sequence numbers.
  const ssrcs = new Set(bob.received.map((p) => p.ssrc));
  t.equal(ssrcs.size, 1, 'one SSRC towards bob');
  const q = await td.ng.request({ command: 'query', 'call-id': 'tc' });
  t.equal(q.result, 'ok');
  t.equal(td.daemon.engine.mixerCount, 1, 'the call is on the transcoding path');
});

t.test('codec-transcode flag adds a codec to the offer and transcodes when the callee picks it', async (t) => {
  const { td, alice, bob } = await daemonWithPhones(t);
  const offer = await td.ng.request({
    command: 'offer',
    'call-id': 'tc2',
    'from-tag': 'a',
    sdp: phoneSdp(alice.port, { codecs: ['0'] }),
    flags: ['codec-transcode-PCMA'],
  });
  t.match(offer.sdp as string, /^m=audio \d+ RTP\/AVP 0 8\r$/m, 'PCMA added to the offer for bob');
  const answer = await td.ng.request({ command: 'answer', 'call-id': 'tc2', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(bob.port, { codecs: ['8'] }) });
  t.match(answer.sdp as string, /^m=audio \d+ RTP\/AVP 0\r$/m, 'alice keeps PCMU');
  alice.startTone(sdpMediaPort(answer.sdp as string), 1019, 0);
  bob.startTone(sdpMediaPort(offer.sdp as string), 617, 8);
  const deadline = Date.now() + 8000;
  while ((alice.received.length < 100 || bob.received.length < 100) && Date.now() < deadline) await sleep(100);
  alice.stop();
  bob.stop();
  const pb = bob.decode('pcma', 8).pcm;
  const pa = alice.decode('pcmu', 0).pcm;
  const lb = { ...levels(pb, 8000, [617]), ...presence(pb, 8000, [1019]) };
  const la = { ...levels(pa, 8000, [1019]), ...presence(pa, 8000, [617]) };
  t.ok(lb[1019]! > -16 && lb[1019]! - lb[617]! > 60, `bob hears alice in PCMA ${JSON.stringify(lb)}`);
  t.ok(la[617]! > -16 && la[617]! - la[1019]! > 60, 'alice hears bob in PCMU');
});

t.test('same codec on both sides stays on the relay path (no mixer)', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  await td.ng.request({ command: 'offer', 'call-id': 'r', 'from-tag': 'a', sdp: phoneSdp(4000, { codecs: ['8', '0'] }) });
  await td.ng.request({ command: 'answer', 'call-id': 'r', 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(4002, { codecs: ['8'] }) });
  t.equal(td.daemon.engine.mixerCount, 0);
});
