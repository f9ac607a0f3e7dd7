/**
 * Issue 9, "stream pause": a sender pauses 0.5 s and resumes WITHOUT advancing its RTP timestamps
 * (PBX hold/resume, a media-source switch): sequence numbers and timestamps continue as if no time
 * had passed. The resumed packets' timestamps lie behind the playout point; before the fix they were
 * discarded as stale until the packet store overflowed (1.3 s of silence). The buffer must
 * resynchronise at once: the resumed audio is played from its first packet, within 2 frames (40 ms)
 * of its arrival, bit-exact, and the delay estimate follows the new timeline (no lasting time-stretch).
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { frameOf, packetizeL16, simulate } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

const speech = speech8k();
const A = speech.subarray(0, 8000 * 3);
const B = speech.subarray(8000 * 4, 8000 * 8);

for (const marker of [false, true]) {
  for (const pauseMs of [500, 300, 900]) {
    t.test(`pause ${pauseMs} ms with frozen timestamps (marker ${marker}): audio within 2 frames of resumption`, async (t) => {
      for (const phase of [1, 9, 17]) {
        const a = packetizeL16(A, { ptimeMs: 20, seq0: 100, ts0: 1000 });
        const last = a[a.length - 1]!;
        const resumeMs = last.sendMs + 20 + pauseMs;
        // Sequence and timestamp continue from the last packet as if the pause had not happened.
        const b = packetizeL16(B, { ptimeMs: 20, seq0: last.seq + 1, ts0: last.ts + 160, startMs: resumeMs });
        b[0]!.marker = marker;
        for (const p of [...a, ...b]) p.arrivalMs = p.sendMs + 12;
        const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
        const frames = Math.floor((b[b.length - 1]!.arrivalMs + 200) / 20);
        const times: number[] = [];
        const r = simulate(jb, [...a, ...b], { frames, startMs: phase, onFrame: (_j, now) => times.push(now) });
        const firstB = frameOf(r.out, B, 0);
        t.ok(firstB > 0, `phase ${phase}: the first resumed packet is played (frame ${firstB})`);
        const late = times[firstB]! - b[0]!.arrivalMs;
        t.ok(late <= 40, `phase ${phase}: resumed audio out ${late.toFixed(0)} ms after the first resumed packet arrived (<= 40)`);
        // Bit-exact from there on for 2 s: nothing resumed is discarded, stretched or concealed.
        let diff = 0;
        for (let i = 0; i < 100 * 160; i++) if (r.out[firstB * 160 + i] !== B[i]) diff++;
        t.equal(diff, 0, `phase ${phase}: 2 s of resumed audio bit-exact`);
      }
    });
  }
}
