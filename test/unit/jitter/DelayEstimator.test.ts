/** DelayEstimator: relative delay against the fastest packet of a 2 s window, and its 95th percentile. */
import t from 'tap';
import { DelayEstimator } from '../../../src/jitter/DelayEstimator';
import { prng } from '../../fixtures/jitter/sim';

t.test('quantile of uniform jitter', async (t) => {
  const e = new DelayEstimator();
  const rnd = prng(3);
  const rels: number[] = [];
  for (let k = 0; k < 500; k++) {
    const media = k * 20;
    const extra = rnd() * 40;
    e.update(media + 50 + extra, media);
    if (k >= 400) rels.push(extra);
  }
  t.ok(e.count >= 98 && e.count <= 102, `${e.count} packets: 2 s of 20 ms packets in the window`);
  const sorted = rels.sort((a, b) => a - b);
  const truth = sorted[94]! - sorted[0]!;
  const q = e.quantileMs();
  t.ok(q >= truth && q <= truth + 2.5, `p95 ${q} vs exact ${truth.toFixed(2)} (2 ms buckets, rounded up)`);
  t.ok(Math.abs(e.minOffsetMs - (50 + sorted[0]!)) < 1e-9, 'min offset is the fastest packet');
});

t.test('window slides: old spikes are forgotten, min follows', async (t) => {
  const e = new DelayEstimator();
  for (let k = 0; k < 100; k++) e.update(k * 20 + 10 + (k % 10 === 0 ? 120 : 0), k * 20);
  t.ok(e.quantileMs() >= 120, `10 % spikes of 120 ms dominate p95 (${e.quantileMs()})`);
  for (let k = 100; k < 250; k++) e.update(k * 20 + 10, k * 20);
  t.ok(e.quantileMs() <= 2, `after 3 s of clean arrivals p95 is ${e.quantileMs()}`);
  // Path gets 30 ms slower for good: once the fast packets leave the window the minimum rises.
  for (let k = 250; k < 400; k++) e.update(k * 20 + 40, k * 20);
  t.equal(e.minOffsetMs, 40, 'minimum rose with the path');
  t.ok(e.quantileMs() <= 2, 'and relative delay is small again');
  // A faster path lowers the minimum at once (histogram rebuilt below its reference).
  const rel = e.update(400 * 20 + 5, 400 * 20);
  t.equal(rel, 0);
  t.equal(e.minOffsetMs, 5);
  t.ok(e.quantileMs() >= 34, 'everyone else is now ~35 ms slower than the fastest');
});

t.test('capacity bound and reset', async (t) => {
  const e = new DelayEstimator({ capacity: 16 });
  for (let k = 0; k < 100; k++) e.update(k * 2.5, k * 2.5);
  t.equal(e.count, 16, 'ring capacity caps the window');
  e.reset();
  t.equal(e.count, 0);
  t.equal(e.quantileMs(), 0);
  t.equal(e.update(1000, 0), 0, 'first packet after reset has zero relative delay');
});
