/**
 * (d) reordering and duplicates, (e) sequence-number and timestamp wrap: the output must be identical
 * to the clean in-order run. The target is pinned (minDelayMs) so both runs make the same playout
 * decisions; adaptation itself is tested elsewhere.
 */
import t, { type Test } from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { packetizeL16, prng, simulate, type SimPacket } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

const pcm = speech8k().subarray(0, 8000 * 10);

function run(pkts: SimPacket[], frames: number) {
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder(), minDelayMs: 60, startDelayMs: 60 });
  const r = simulate(jb, pkts, { frames, startMs: 4 });
  return { r, st: jb.stats };
}

function sameOutput(t: Test, a: ReturnType<typeof run>, b: ReturnType<typeof run>, what: string) {
  let diff = 0;
  for (let i = 0; i < a.r.out.length; i++) if (a.r.out[i] !== b.r.out[i]) diff++;
  t.equal(diff, 0, `${what}: output sample-identical to the in-order run`);
  t.same(b.r.kinds, a.r.kinds, `${what}: same frame kinds`);
}

t.test('reordering and duplicates', async (t) => {
  const base = packetizeL16(pcm, { ptimeMs: 20 });
  for (const p of base) p.arrivalMs = p.sendMs + 10;
  const frames = base.length; // stop before the stream ends (its end would be an underrun)
  const ref = run(base, frames);
  t.equal(ref.st.concealedSamples, 0);

  const rnd = prng(7);
  const shuffled = packetizeL16(pcm, { ptimeMs: 20 });
  let swaps = 0;
  for (let k = 1; k + 1 < shuffled.length; k++) {
    shuffled[k]!.arrivalMs = shuffled[k]!.sendMs + 10;
    if (rnd() < 0.1) {
      // packet k overtaken by k+1 and k+2 (arrives up to 40 ms late, still inside the 60 ms target)
      shuffled[k]!.arrivalMs = shuffled[k]!.sendMs + 10 + 25 + rnd() * 15;
      swaps++;
    }
  }
  shuffled[0]!.arrivalMs = shuffled[0]!.sendMs + 10;
  shuffled[shuffled.length - 1]!.arrivalMs = shuffled[shuffled.length - 1]!.sendMs + 10;
  const dups: SimPacket[] = [];
  for (const p of shuffled) {
    if (rnd() < 0.05) dups.push({ ...p, arrivalMs: p.arrivalMs + 1 + rnd() * 150 }); // some after playout
  }
  const re = run([...shuffled, ...dups], frames);
  t.ok(swaps > 20, `${swaps} packets reordered`);
  sameOutput(t, ref, re, 'reordered + duplicated');
  const lastTick = 4 + (frames - 1) * 20;
  const seen = (ps: SimPacket[]) => ps.filter((p) => p.arrivalMs <= lastTick).length;
  t.equal(re.st.packetsDuplicated, seen(dups), `${seen(dups)} duplicates discarded and counted`);
  t.equal(re.st.packetsDiscarded, 0, 'nothing discarded as late');
  t.equal(re.st.packetsLost, 0, 'duplicates do not hide or fake loss');
  t.equal(re.st.packetsReceived, seen(shuffled) + seen(dups));
  t.equal(re.st.concealedSamples, 0);
});

t.test('sequence wrap at 65535 and timestamp wrap at 2^32', async (t) => {
  const mk = (seq0: number, ts0: number) => {
    const p = packetizeL16(pcm, { ptimeMs: 20, seq0, ts0 });
    const rnd = prng(11);
    for (const q of p) q.arrivalMs = q.sendMs + 10 + rnd() * 30;
    return p.filter((_, i) => i !== 120 && i !== 240); // two losses, one right at the wraps
  };
  const frames = Math.floor(pcm.length / 160);
  const ref = run(mk(1000, 5000), frames);
  // Packet 120 has seq 65535 and the timestamp wraps between packets 239 and 240.
  const wrapped = run(mk(65535 - 120, (2 ** 32 - 240 * 160 + 80) >>> 0), frames);
  sameOutput(t, ref, wrapped, 'wrapped');
  t.equal(wrapped.st.packetsLost, 2);
  t.equal(wrapped.st.flushes, 0);
  t.equal(wrapped.st.resyncs, 0);
  t.equal(wrapped.st.packetsDiscarded, ref.st.packetsDiscarded);
  t.equal(wrapped.st.concealedSamples, 2 * 160, 'exactly the two losses concealed');
});
