/**
 * (b) uniform ±20 ms jitter with 1 % random loss, and (c) a burst of 5 lost packets, on real speech.
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { findLag, packetizeL16, prng, rms, simulate } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

t.test('uniform ±20 ms jitter, 1 % loss', async (t) => {
  for (const seed of [1, 2, 3]) {
    const rnd = prng(seed);
    const pcm = speech8k();
    const all = packetizeL16(pcm, { ptimeMs: 20 });
    for (const p of all) p.arrivalMs = p.sendMs + 30 + (rnd() * 40 - 20);
    const pkts = all.filter(() => rnd() >= 0.01);
    const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
    let targetSum = 0;
    let n = 0;
    const r = simulate(jb, pkts, {
      frames: all.length + 10,
      startMs: 3,
      onFrame: (j) => {
        if (j >= 50 && j < all.length) {
          targetSum += jb.stats.targetDelayMs;
          n++;
        }
      },
    });
    const st = jb.stats;
    const played = all.length * 160;
    t.comment(`seed ${seed}: lost ${all.length - pkts.length}`, JSON.stringify(st));
    const concealedPct = (100 * st.concealedSamples) / played;
    t.ok(concealedPct <= 1.5, `seed ${seed}: concealed ${concealedPct.toFixed(2)} % ≤ 1.5 %`);
    t.ok(st.concealedSamples >= 0.5 * (all.length - pkts.length) * 160 * 0.5, 'losses were concealed (speech ones at least)');
    const meanDelay = (st.jitterBufferDelay / st.jitterBufferEmittedCount) * 1000;
    const meanTarget = (st.jitterBufferTargetDelay / st.jitterBufferEmittedCount) * 1000;
    t.ok(meanDelay <= meanTarget + 10, `seed ${seed}: mean delay ${meanDelay.toFixed(1)} ms ≤ target ${meanTarget.toFixed(1)} + 10 ms`);
    t.ok(targetSum / n >= 30 && targetSum / n <= 60, `seed ${seed}: target ${(targetSum / n).toFixed(1)} ms tracks the 40 ms jitter range`);
    t.equal(st.flushes, 0, 'no flushes');
    t.equal(st.packetsLost, all.length - pkts.length, 'lost packets estimated exactly');
    t.ok(st.jitter > 0.005 && st.jitter < 0.02, `RFC 3550 jitter ${(st.jitter * 1000).toFixed(1)} ms`);
    // The audio is still the speech: high correlation with the input at the buffer delay.
    const { corr } = findLag(pcm, r.out, 40000, 80000, 1600);
    t.ok(corr > 0.97, `seed ${seed}: output/input correlation ${corr.toFixed(3)}`);
  }
});

t.test('burst loss of 5 packets during speech', async (t) => {
  const pcm = speech8k();
  const all = packetizeL16(pcm, { ptimeMs: 20 });
  for (const p of all) p.arrivalMs = p.sendMs + 10;
  // Find a loud stretch after 3 s to lose.
  let at = 150;
  while (rms(pcm, all[at]!.srcIndex, 800) < 1500) at++;
  const pkts = all.filter((_, i) => i < at || i >= at + 5);
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
  const r = simulate(jb, pkts, { frames: all.length + 10, startMs: 1 });
  const st = jb.stats;
  t.comment(JSON.stringify(st));
  t.equal(st.concealmentEvents, 1, 'one concealment event');
  t.equal(st.concealedSamples, 5 * 160, '100 ms concealed');
  t.equal(st.packetsLost, 5);
  t.equal(st.packetsDiscarded, 0);
  // Recovery: the frames after the burst are bit-exact input again, at the same delay as before.
  const concealedFrames: number[] = [];
  r.kinds.forEach((k, j) => k === FrameKind.CONCEALED && concealedFrames.push(j));
  t.equal(concealedFrames.length, 5, 'five concealed frames');
  const afterFrame = concealedFrames[4]! + 1;
  const lag = afterFrame * 160 - all[at + 5]!.srcIndex;
  let diff = 0;
  for (let i = 0; i < 50 * 160; i++) if (r.out[afterFrame * 160 + i] !== pcm[all[at + 5]!.srcIndex + i]) diff++;
  t.equal(diff, 0, 'first second after the burst is bit-exact');
  const before = concealedFrames[0]! * 160 - all[at]!.srcIndex;
  t.equal(lag, before, 'delay unchanged by the burst');
  t.ok(rms(r.out, afterFrame * 160 - 160, 160) < rms(r.out, concealedFrames[0]! * 160, 160), 'concealment fades');
});
