/**
 * StereoAssembler (src/recording): frames placed on a time line by their arrival time. Deterministic
 * clock (nowMs given), 8 kHz, 20 ms frames, hold 300 ms, gap 60 ms.
 */
import t from 'tap';
import { StereoAssembler } from '../../../src/recording/StereoAssembler';

const RATE = 8000;
const N = 160;

function frame(v: number): Int16Array {
  return new Int16Array(N).fill(v);
}

/** Flush everything up to `until` ms; returns left/right arrays. */
function drain(a: StereoAssembler, until: number): { l: number[]; r: number[] } {
  const b = a.flush(until, true);
  const l: number[] = [];
  const r: number[] = [];
  if (b) for (let i = 0; i < b.length; i += 4) {
    l.push(b.readInt16LE(i));
    r.push(b.readInt16LE(i + 2));
  }
  return { l, r };
}

t.test('jittered arrivals stay back to back; channels independent', async (t) => {
  const a = new StereoAssembler(RATE, 0, 2400, 480);
  // Left: 50 frames arriving with +-15 ms jitter; right: silent.
  for (let k = 1; k <= 50; k++) a.push(0, frame(k), 0, N, k * 20 + (k % 2 ? 15 : -15));
  const { l, r } = drain(a, 1000);
  t.equal(l.length, 8000);
  const first = l.indexOf(1);
  let ok = true;
  for (let k = 1; k <= 50; k++) for (let i = 0; i < N; i++) if (l[first + (k - 1) * N + i] !== k) ok = false;
  const values = new Set(l.filter((x) => x !== 0));
  t.equal(values.size, 50, 'every frame written once');
  t.ok(ok, 'in order, back to back (no gaps, no overlaps)');
  t.ok(r.every((x) => x === 0), 'the silent channel is zeros');
});

t.test('a lost stretch (> gap) becomes silence of the real length', async (t) => {
  const a = new StereoAssembler(RATE, 0, 2400, 480);
  for (let k = 1; k <= 10; k++) a.push(0, frame(1), 0, N, k * 20);
  // 500 ms nothing, then frames again on time.
  for (let k = 36; k <= 50; k++) a.push(0, frame(2), 0, N, k * 20);
  const { l } = drain(a, 1000);
  const firstTwo = l.indexOf(2);
  t.equal(firstTwo, 35 * N, 'resumes at its time (700 ms)');
  t.ok(l.slice(10 * N, 35 * N).every((x) => x === 0), 'silence in between');
});

t.test('pause: frames ignored, silence written; resume continues', async (t) => {
  const a = new StereoAssembler(RATE, 0, 2400, 480);
  for (let k = 1; k <= 10; k++) a.push(1, frame(7), 0, N, k * 20);
  a.paused = true;
  for (let k = 11; k <= 30; k++) a.push(1, frame(8), 0, N, k * 20);
  a.paused = false;
  for (let k = 31; k <= 50; k++) a.push(1, frame(9), 0, N, k * 20);
  const { r } = drain(a, 1000);
  t.notOk(r.includes(8), 'nothing of the paused time');
  t.equal(r.indexOf(9), 30 * N, 'resume at its time');
  t.ok(r.slice(10 * N, 30 * N).every((x) => x === 0), '400 ms of silence');
});

t.test('flush holds the last holdMs; a late frame inside the hold is still placed', async (t) => {
  const a = new StereoAssembler(RATE, 0, 2400, 480);
  for (let k = 1; k <= 25; k++) a.push(0, frame(1), 0, N, k * 20);
  const b = a.flush(500);
  t.equal(b!.length / 4, 500 * 8 - 2400, 'up to now - hold');
  a.push(1, frame(5), 0, N, 480); // right channel's frame that ended at 480 ms, delivered late (within the hold)
  const { r } = drain(a, 600);
  t.ok(r.includes(5), 'placed');
  t.equal(a.dropped, 0);
});
