/**
 * The echo canceller's pairing (src/mix/EchoCanceller.ts; native/src/mix/aec.h follows the same rule):
 * the reference frames (what was mixed for the agent) and the agent's blocks arrive on different clocks,
 * so their order swaps now and then and a stall ends in a burst. The pairing must not move for that:
 * a moved pairing shifts the echo path the adapted filter has learned, and cancellation collapses until
 * it re-converges. Deterministic: recorded speech, a pure -20 dB echo 100 ms after emission, no noise.
 */
import t from 'tap';
import { EchoCanceller } from '../../../src/mix/EchoCanceller';
import { loadSpeechPools, speechAvailable } from '../../fixtures/dsp/speech';

const F = 160;
const D = 800; // echo delay, samples (100 ms at 8 kHz)
const G = 0.1; // -20 dB

type Event = 'push' | 'process';

/** Runs `order` (one 'push' = one reference frame, one 'process' = one agent block); ERLE over blocks [from, to). */
function run(speech: Int16Array, order: Event[], from: number, to: number): { erle: number; underruns: number; resyncs: number } {
  const ec = new EchoCanceller(8000, 300, false);
  const contrib = new Float32Array(F);
  const near = new Int16Array(F);
  let pushed = 0;
  let processed = 0;
  let pe = 0;
  let po = 0;
  for (const ev of order) {
    if (ev === 'push') {
      for (let i = 0; i < F; i++) contrib[i] = speech[(pushed * F + i) % speech.length]!;
      ec.pushReference(contrib, F);
      pushed++;
    } else {
      for (let i = 0; i < F; i++) {
        const n = processed * F + i - D;
        near[i] = n >= 0 ? Math.round(speech[n % speech.length]! * G) : 0;
      }
      let e = 0;
      for (let i = 0; i < F; i++) e += near[i]! * near[i]!;
      ec.process(near, 0, F);
      if (processed >= from && processed < to) {
        pe += e;
        for (let i = 0; i < F; i++) po += near[i]! * near[i]!;
      }
      processed++;
    }
  }
  const r = { erle: 10 * Math.log10(pe / Math.max(1, po)), underruns: ec.underruns, resyncs: ec.resyncs };
  ec.close();
  return r;
}

/** n ticks of push-then-process, with `swapAt` ticks as process-then-push and a stall of `burst` ticks at `burstAt`. */
function schedule(n: number, swapAt: number[], burstAt = -1, burst = 0): Event[] {
  const out: Event[] = [];
  for (let k = 0; k < n; k++) {
    if (k === burstAt) {
      // The mix stalled for `burst` frames: the agent's queued packets are read first, then the mix catches up.
      for (let j = 0; j < burst; j++) out.push('process');
      for (let j = 0; j < burst; j++) out.push('push');
      k += burst - 1;
    } else if (swapAt.includes(k)) out.push('process', 'push');
    else out.push('push', 'process');
  }
  return out;
}

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  const speech = loadSpeechPools(8000).supervisor;
  const N = 500; // 10 s
  const steady = run(speech, schedule(N, []), 300, 400);
  t.ok(steady.erle >= 15, `steady order: ${steady.erle.toFixed(1)} dB over 6-8 s`);
  t.equal(steady.underruns, 0);

  // Swaps after convergence (5 s, then every 0.4 s): each must leave the pairing where it was.
  const swaps = run(speech, schedule(N, [250, 270, 290, 310, 330]), 300, 400);
  t.ok(swaps.erle >= steady.erle - 3, `one-block order swaps at 5-6.6 s: ${swaps.erle.toFixed(1)} dB (steady ${steady.erle.toFixed(1)}; underruns ${swaps.underruns})`);
  t.equal(swaps.resyncs, 0, 'no re-sync for a swap');

  // A stall of 3 frames at 5 s (queued agent packets read before the mix catches up): at most silence for those blocks.
  const burst = run(speech, schedule(N, [], 250, 3), 300, 400);
  t.ok(burst.erle >= steady.erle - 3, `3-frame stall at 5 s: ${burst.erle.toFixed(1)} dB (steady ${steady.erle.toFixed(1)}; underruns ${burst.underruns}, resyncs ${burst.resyncs})`);
  t.equal(burst.resyncs, 0, 'no re-sync for a burst');

  // A stall of 12 frames: still no re-sync (drift is judged per reference frame, not per queued block).
  const long = run(speech, schedule(N, [], 250, 12), 320, 420);
  t.ok(long.erle >= steady.erle - 3, `12-frame stall at 5 s: ${long.erle.toFixed(1)} dB (underruns ${long.underruns}, resyncs ${long.resyncs})`);
  t.equal(long.resyncs, 0, 'no re-sync for a long burst');

  // A start in the middle of a catch-up burst (the first agent block read after 3 queued frames, then 2
  // more queued blocks): the near end would sit on the newest reference; a re-sync puts it back.
  const order: Event[] = ['push', 'push', 'push', 'process', 'process', 'process', ...schedule(N - 3, [])];
  const midBurst = run(speech, order, 300, 400);
  t.ok(midBurst.erle >= steady.erle - 3, `started mid-burst: ${midBurst.erle.toFixed(1)} dB (resyncs ${midBurst.resyncs})`);
}
