import t from 'tap';
import { daemonWithPhones, sdpMediaPort } from '../fixtures/daemon';
import { sdpWith, waitFor } from '../fixtures/phone';
import { peakLevel } from '../fixtures/supervisedCall';

/**
 * G.722's RTP clock (8000) is not its audio rate (16 kHz, RFC 3551 §4.5.2) when whisperd repacketises:
 * `ptime: 30` on an offer in G.722 (rtpmap G722/8000) regroups alice's 20 ms packets into 30 ms ones
 * towards bob — 240 bytes (480 samples of 16 kHz audio) stamped 240 apart on the 8000 clock, not 480 —
 * and the tone survives at its level. Both engines (`make test` re-runs transcode*.test.ts with
 * WHISPERD_MEDIA_ENGINE=reference). As rtpengine's "default ptime in, ptime=30 out" scenario, in G.722.
 */
t.test('ptime=30 on a G.722 call: 30 ms packets of 240 bytes, timestamps 240 apart, the tone intact', async (t) => {
  const { td, alice, bob } = await daemonWithPhones(t);
  const g722 = [{ pt: 9, rtpmap: 'G722/8000' }];
  const o = await td.ng.request({ command: 'offer', 'call-id': 'p30', 'from-tag': 'a', sdp: sdpWith(alice.port, g722), ptime: 30 });
  const a = await td.ng.request({ command: 'answer', 'call-id': 'p30', 'from-tag': 'a', 'to-tag': 'b', sdp: sdpWith(bob.port, g722) });
  t.same([o.result, a.result], ['ok', 'ok'], 'offer and answer');
  t.match(o.sdp as string, /^a=ptime:30\r$/m, 'bob is offered a=ptime:30');
  alice.start(sdpMediaPort(a.sdp as string), { codec: 'g722', pt: 9, freq: 1019, dbfs: -12, ssrc: 0xa11ce });
  await waitFor(() => bob.count(9) >= 10, 'bob to receive audio', 15000);
  bob.clear();
  await waitFor(() => bob.count(9) >= 40, 'bob to receive 1.2 s', 15000);
  alice.stop();
  const rx = bob.received.filter((p) => p.pt === 9);
  const sizes = new Set(rx.map((p) => p.payload.length));
  t.same([...sizes], [240], 'every packet carries 30 ms of G.722: 240 bytes');
  const steps = rx.slice(1).map((p, i) => (p.ts - rx[i]!.ts) >>> 0);
  t.ok(steps.every((d) => d === 240), `timestamps 240 apart on the 8000 Hz RTP clock (${[...new Set(steps)].join(',')})`);
  const { pcm, rate } = bob.decode('g722', 9);
  t.equal(rate, 16000, 'bob decodes 16 kHz audio');
  const l = peakLevel(pcm, rate, 1019);
  t.ok(l > -14, `alice's 1019 Hz at ${l.toFixed(1)} dBFS`);
});
