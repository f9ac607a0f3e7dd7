/**
 * (i) Packet durations other than the output frame: 10 ms and 40 ms ptime with 20 ms output frames,
 * 20 ms ptime with 10 ms output frames, and 30 ms ptime. Decoded audio carries over between get()s.
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { packetizeL16, prng, rms, simulate, walkExact } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

const pcm = speech8k().subarray(0, 8000 * 12);

for (const c of [
  { ptimeMs: 10, frameMs: 20 },
  { ptimeMs: 40, frameMs: 20 },
  { ptimeMs: 30, frameMs: 20 },
  { ptimeMs: 20, frameMs: 10 },
]) {
  t.test(`ptime ${c.ptimeMs} ms, frames ${c.frameMs} ms`, async (t) => {
    // Clean network: bit-exact after alignment (a quiet start-up frame may be dropped), no concealment.
    const pkts = packetizeL16(pcm, { ptimeMs: c.ptimeMs });
    for (const p of pkts) p.arrivalMs = p.sendMs + 8;
    const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder(), frameMs: c.frameMs });
    const F = jb.frameSamples;
    t.equal(F, c.frameMs * 8);
    const frames = Math.floor((pkts.length * c.ptimeMs) / c.frameMs) - 5;
    const r = simulate(jb, pkts, { frames, startMs: 3 });
    const st = jb.stats;
    t.equal(st.concealedSamples, 0, 'no concealment');
    t.equal(st.insertedSamplesForDeceleration, 0);
    t.ok(r.kinds.every((k) => k !== FrameKind.CONCEALED));
    const w = walkExact(r.out, r.kinds, pcm, F);
    t.equal(w.bad, 0, `${w.normal} decoded frames, all bit-exact input`);
    t.ok(w.normal >= frames - 10, 'nearly every frame decoded');
    t.equal(w.drops * F, st.removedSamplesForAcceleration, 'only counted removals');
    t.ok(w.drops <= 2, `${w.drops} start-up frame(s) dropped`);
    for (const d of w.dropped) t.ok(rms(pcm, d, F) < 100, 'dropped frame was quiet');
    const meanDelay = (st.jitterBufferDelay / st.jitterBufferEmittedCount) * 1000;
    t.ok(meanDelay <= st.targetDelayMs + c.ptimeMs + c.frameMs, `mean buffer delay ${meanDelay.toFixed(1)} ms`);

    // Jitter ±15 ms and 1 % loss: still works, concealment bounded by the loss.
    const rnd = prng(c.ptimeMs * 100 + c.frameMs);
    const all = packetizeL16(pcm, { ptimeMs: c.ptimeMs });
    for (const p of all) p.arrivalMs = p.sendMs + 20 + rnd() * 30;
    const kept = all.filter(() => rnd() >= 0.01);
    const jb2 = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder(), frameMs: c.frameMs });
    let concealedBeforeEnd = 0;
    simulate(jb2, kept, {
      frames: frames + 15, // run past the end so every loss is known; the end itself is an underrun
      startMs: 3,
      onFrame: (j) => {
        if (j === frames - 1) concealedBeforeEnd = jb2.stats.concealedSamples;
      },
    });
    const s2 = jb2.stats;
    const lostMs = (all.length - kept.length) * c.ptimeMs;
    t.equal(s2.packetsLost, all.length - kept.length, 'loss estimated');
    t.ok(concealedBeforeEnd / 8 <= lostMs + 0.005 * frames * c.frameMs, `concealed ${concealedBeforeEnd / 8} ms for ${lostMs} ms lost`);
    t.ok(concealedBeforeEnd > 0, 'losses concealed');
    t.equal(s2.flushes, 0);
  });
}
