/**
 * (g) Target delay adaptation: a 150 ms delay spike raises the target at once; afterwards target and
 * actual delay come back down no faster than 100 ms per second of audio, dropping quiet frames first.
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { packetizeL16, prng, simulate } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

t.test('delay spike: grow at once, shrink ≤ 100 ms/s', async (t) => {
  const pcm = speech8k();
  const pkts = packetizeL16(pcm, { ptimeMs: 20 });
  const rnd = prng(5);
  const spikeFrom = 250; // 5 s in
  const spikeLen = 10;
  for (const p of pkts) p.arrivalMs = p.sendMs + 20 + rnd() * 4;
  for (let k = spikeFrom; k < spikeFrom + spikeLen; k++) pkts[k]!.arrivalMs += 150;
  const lastSpikeArrival = pkts[spikeFrom + spikeLen - 1]!.arrivalMs;
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
  const target: number[] = [];
  const delay: number[] = [];
  const removed: number[] = [];
  const times: number[] = [];
  const r = simulate(jb, pkts, {
    frames: pkts.length,
    startMs: 2,
    onFrame: (_j, now) => {
      times.push(now);
      target.push(jb.stats.targetDelayMs);
      delay.push(jb.stats.currentDelayMs);
      removed.push(jb.stats.removedSamplesForAcceleration);
    },
  });
  const st = jb.stats;
  t.comment(JSON.stringify(st));
  const before = target[spikeFrom - 5]!;
  t.ok(before <= 30, `target before the spike ${before} ms`);
  const grownAt = target.findIndex((v, j) => j > spikeFrom - 5 && v >= 140);
  t.ok(grownAt > 0, 'target reaches ≥ 140 ms');
  t.ok(times[grownAt]! <= lastSpikeArrival + 20, `target grew during the spike (at ${times[grownAt]} ms, last late packet ${lastSpikeArrival} ms)`);
  const peak = Math.max(...target);
  t.ok(peak >= 150 && peak <= 200, `peak target ${peak} ms`);
  // Shrink rate: over every 1 s window after the peak, target and delay fall by ≤ 100 ms (+1 frame),
  // and at most 100 ms (+1 frame) of audio is removed.
  let worstTarget = 0;
  let worstDelay = 0;
  let worstRemoved = 0;
  for (let j = grownAt; j + 50 < target.length; j++) {
    worstTarget = Math.max(worstTarget, target[j]! - target[j + 50]!);
    worstDelay = Math.max(worstDelay, delay[j]! - delay[j + 50]!);
    worstRemoved = Math.max(worstRemoved, (removed[j + 50]! - removed[j]!) / 8);
  }
  t.ok(worstTarget <= 100, `target falls ≤ ${worstTarget} ms per second`);
  t.ok(worstDelay <= 120, `delay falls ≤ ${worstDelay.toFixed(1)} ms per second`);
  t.ok(worstRemoved <= 120, `≤ ${worstRemoved} ms of audio removed per second`);
  t.ok(st.removedSamplesForAcceleration >= 100 * 8, 'the extra delay was removed by acceleration');
  // Back to normal well before the end.
  const end = target.length - 1;
  t.ok(target[end]! <= 30, `target back to ${target[end]} ms`);
  t.ok(delay[end]! <= target[end]! + 20, `delay back to ${delay[end]!.toFixed(1)} ms`);
  t.equal(st.flushes, 0);
  // Late packets of the spike were played, not dropped.
  t.equal(st.packetsDiscarded, 0, 'spike packets played late rather than discarded');
  t.ok(r.kinds.filter((k) => k === FrameKind.CONCEALED).length <= 9, 'the stall is bridged by at most ~150 ms of PLC/hold');
});

t.test('target follows the jitter level both ways', async (t) => {
  const pcm = speech8k();
  const pkts = packetizeL16(pcm, { ptimeMs: 20 });
  const rnd = prng(9);
  // 0-8 s: ±5 ms; 8-16 s: ±40 ms; after: ±5 ms.
  for (const p of pkts) {
    const j = p.sendMs >= 8000 && p.sendMs < 16000 ? 80 : 10;
    p.arrivalMs = p.sendMs + 20 + rnd() * j;
  }
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
  const target: number[] = [];
  simulate(jb, pkts, { frames: pkts.length, startMs: 2, onFrame: () => target.push(jb.stats.targetDelayMs) });
  const at = (ms: number) => target[Math.round(ms / 20)]!;
  t.ok(at(7500) <= 20, `low jitter: ${at(7500)} ms`);
  t.ok(at(15000) >= 70 && at(15000) <= 90, `high jitter (80 ms range): ${at(15000)} ms`);
  t.ok(at(24000) <= 20, `low again: ${at(24000)} ms`);
  const concealPct = (100 * jb.stats.concealedSamples) / (pkts.length * 160);
  t.ok(concealPct < 2, `concealment ${concealPct.toFixed(2)} % while adapting`);
});
