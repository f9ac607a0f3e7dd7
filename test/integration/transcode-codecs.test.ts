import t, { type Test } from 'tap';
import { phoneSdp, sdpMediaPort, startTestDaemon } from '../fixtures/daemon';
import { spectrumDb } from '../fixtures/codec/signal';
import { levels } from '../fixtures/media';
import { Phone, sdpWith, waitFor, type PeerCodec } from '../fixtures/phone';
import { peakLevel } from '../fixtures/supervisedCall';

/**
 * Transcoding end to end over real UDP: alice offers only Opus (opus/48000/2, dynamic PT 111) or only
 * G.729 (PT 18), bob answers PCMU; each streams a tone in its own codec and must hear the other's
 * tone, in its own codec, at the right frequency (and not its own). PCMA<->PCMU: transcode.test.ts.
 */
const F_ALICE = 1019;
const F_BOB = 617;


async function run(t: Test, codec: PeerCodec, pt: number, offer: Array<{ pt: number; rtpmap?: string; fmtp?: string }>): Promise<void> {
  const td = await startTestDaemon();
  const alice = await Phone.open();
  const bob = await Phone.open();
  t.teardown(async () => {
    alice.close();
    bob.close();
    await td.close();
  });
  const id = `tc-${codec}`;
  const o = await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'a', sdp: sdpWith(alice.port, offer) });
  t.equal(o.result, 'ok', 'offer');
  const a = await td.ng.request({ command: 'answer', 'call-id': id, 'from-tag': 'a', 'to-tag': 'b', sdp: phoneSdp(bob.port, { codecs: ['0', '101'] }) });
  t.equal(a.result, 'ok', 'answer');
  t.match(a.sdp as string, new RegExp(`^m=audio \\d+ RTP/AVP ${pt}(\\r| )`, 'm'), `alice is answered with her own codec (PT ${pt})`);
  alice.start(sdpMediaPort(a.sdp as string), { codec, pt, freq: F_ALICE, dbfs: -12, ssrc: 0xa11ce });
  bob.start(sdpMediaPort(o.sdp as string), { codec: 'pcmu', pt: 0, freq: F_BOB, dbfs: -12, ssrc: 0xb0b });
  await waitFor(() => alice.count(pt) >= 100 && bob.count(0) >= 100, 'both sides to receive 2 s of audio', 15000);
  alice.stop();
  bob.stop();
  t.ok(alice.received.every((p) => p.pt === pt), `alice receives PT ${pt} only`);
  t.ok(bob.received.every((p) => p.pt === 0), 'bob receives PCMU only');
  const atAlice = alice.decode(codec, pt);
  const atBob = bob.decode('pcmu', 0);
  const la = levels(atAlice.pcm, atAlice.rate, [F_ALICE, F_BOB], 1000);
  const lb = levels(atBob.pcm, atBob.rate, [F_ALICE, F_BOB], 1000);
  const pa = peakLevel(atAlice.pcm, atAlice.rate, F_BOB);
  const pb = peakLevel(atBob.pcm, atBob.rate, F_ALICE);
  t.ok(pa > -22, `alice hears bob's ${F_BOB} Hz through ${codec} (${pa.toFixed(1)} dBFS)`);
  t.ok(pb > -22, `bob hears alice's ${F_ALICE} Hz through PCMU (${pb.toFixed(1)} dBFS)`);
  t.ok(la[F_BOB]! - la[F_ALICE]! > 30, `alice does not hear herself (${la[F_ALICE]!.toFixed(1)} vs ${la[F_BOB]!.toFixed(1)})`);
  t.ok(lb[F_ALICE]! - lb[F_BOB]! > 30, `bob does not hear himself (${lb[F_BOB]!.toFixed(1)} vs ${lb[F_ALICE]!.toFixed(1)})`);
  const fa = peakFrequency(atAlice.pcm, atAlice.rate);
  const fb = peakFrequency(atBob.pcm, atBob.rate);
  t.ok(Math.abs(fa - F_BOB) < 5, `the strongest component at alice is ${fa.toFixed(1)} Hz (bob's tone ${F_BOB} Hz)`);
  t.ok(Math.abs(fb - F_ALICE) < 5, `the strongest component at bob is ${fb.toFixed(1)} Hz (alice's tone ${F_ALICE} Hz)`);
  t.equal(td.daemon.engine.mixerCount, 1, 'the call is on the transcoding path');
}

/** Frequency of the largest spectral bin over the last power-of-two block (>= 0.5 s) of pcm. */
function peakFrequency(pcm: Int16Array, rate: number): number {
  let n = 1;
  while (n * 2 <= pcm.length && n * 2 <= rate) n *= 2;
  const spec = spectrumDb(pcm, pcm.length - n, n);
  let k = 1;
  for (let i = 2; i < spec.length; i++) if (spec[i]! > spec[k]!) k = i;
  return (k * rate) / n;
}

t.test('Opus (opus/48000/2, PT 111) <-> PCMU', (t) => run(t, 'opus', 111, [{ pt: 111, rtpmap: 'opus/48000/2', fmtp: 'useinbandfec=1' }]));

t.test('G.729 (PT 18) <-> PCMU', (t) =>
  run(t, 'g729', 18, [{ pt: 18, rtpmap: 'G729/8000', fmtp: 'annexb=no' }]),
);
