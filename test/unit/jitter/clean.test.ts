/**
 * (a) A clean network (constant transit, no loss): the buffer reproduces the input bit-exactly after
 * its delay, conceals nothing, and at most trims its start-up delay by dropping quiet frames.
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { findLag, packetizeL16, rms, simulate, walkExact } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

t.test('no jitter: output equals input exactly, zero concealment', async (t) => {
  const pcm = speech8k();
  const pkts = packetizeL16(pcm, { ptimeMs: 20 });
  for (const p of pkts) p.arrivalMs = p.sendMs + 5;
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
  const frames = pkts.length + 10;
  const r = simulate(jb, pkts, { frames, startMs: 7 });
  const st = jb.stats;
  t.comment(JSON.stringify(st));
  t.equal(st.concealedSamples, 0, 'no concealment');
  t.equal(st.concealmentEvents, 0);
  t.equal(st.packetsDiscarded, 0);
  t.equal(st.packetsLost, 0);
  t.equal(st.insertedSamplesForDeceleration, 0);
  t.ok(st.removedSamplesForAcceleration <= 2 * 160, 'start-up delay trimmed by at most 2 quiet frames');
  t.ok(r.kinds.indexOf(FrameKind.CONCEALED) < 0, 'no concealed frame');
  // Alignment by cross-correlation over the last 10 s, then a bit-exact walk through every frame:
  // each NORMAL frame must be the next input frame, or the one after it when a (quiet) frame was dropped.
  const { lag, corr } = findLag(pcm, r.out, pcm.length - 90000, 80000, 2400);
  t.ok(corr > 0.999, `aligned (corr ${corr.toFixed(4)}, lag ${lag} samples)`);
  const F = 160;
  const w = walkExact(r.out, r.kinds, pcm, F);
  t.equal(w.first >= 0 && w.bad === 0 ? 0 : 1, 0, 'first decoded frame is the first input frame');
  for (const d of w.dropped) t.ok(rms(pcm, d, F) < 100, `dropped frame at ${d} was quiet`);
  const { bad, normal, drops } = w;
  t.equal(bad, 0, 'every decoded frame is bit-exact input');
  t.equal(normal + drops, pkts.length, 'every packet played or dropped once');
  t.equal(drops * F, st.removedSamplesForAcceleration, 'drops are exactly the counted removals');
  t.equal(lag, (r.kinds.indexOf(FrameKind.NORMAL) - drops) * F, 'steady-state lag matches start-up silence minus drops');
  t.ok(lag / 8 <= 40, `output lags input by ${lag / 8} ms`);
  t.ok(st.targetDelayMs === 20, `target settles at the 20 ms floor (${st.targetDelayMs})`);
  const meanDelayMs = (st.jitterBufferDelay / st.jitterBufferEmittedCount) * 1000;
  t.ok(meanDelayMs <= st.targetDelayMs + 20, `mean buffer delay ${meanDelayMs.toFixed(1)} ms`);
  t.equal(st.jitterBufferEmittedCount, pkts.length * 160 - st.removedSamplesForAcceleration - (pkts.length * 160 - st.totalSamplesReceived));
});
