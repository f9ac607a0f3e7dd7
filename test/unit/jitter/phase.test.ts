/**
 * Playout phase: the buffer is pulled on another clock (a mix output's, set by another talker's arrivals),
 * so a packet can arrive at any phase of it. On a clean 20 ms stream with a 20 ms target, the steady
 * arrival-to-emission delay must stay in the buffer's on-target band [target − frame/4, target + frame·3/4)
 * at every phase — in particular when each packet arrives just AFTER a pull (µs late: the supervisor's
 * packet sent in the same tick as the customer's, whose arrival clocks the agent's output). Before the fix
 * that phase settled at target + 20 ms (40 ms): placement required delay ≥ target exactly, and a frame was
 * only dropped when the delay was a whole frame over target.
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { packetizeL16, simulate } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

for (const phase of [0, 0.001, 5, 10, 15, 19.999]) {
  t.test(`pulls ${phase} ms after each arrival`, async (t) => {
    const pcm = speech8k();
    const pkts = packetizeL16(pcm, { ptimeMs: 20 });
    for (const p of pkts) p.arrivalMs = p.sendMs + 5;
    const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
    const frames = pkts.length + 10;
    const half = Math.floor(pkts.length / 2);
    let d0 = 0;
    let n0 = 0;
    simulate(jb, pkts, {
      frames,
      startMs: 5 + phase,
      onFrame(j) {
        if (j === half) {
          d0 = jb.stats.jitterBufferDelay;
          n0 = jb.stats.jitterBufferEmittedCount;
        }
      },
    });
    const st = jb.stats;
    t.equal(st.targetDelayMs, 20, 'target at the 20 ms floor');
    const steady = ((st.jitterBufferDelay - d0) / (st.jitterBufferEmittedCount - n0)) * 1000;
    t.ok(steady >= 15 && steady < 35, `steady arrival-to-emission delay ${steady.toFixed(3)} ms in [15, 35)`);
    t.equal(st.concealedSamples, 0, 'no concealment');
    t.equal(st.insertedSamplesForDeceleration, 0, 'nothing inserted');
  });
}
