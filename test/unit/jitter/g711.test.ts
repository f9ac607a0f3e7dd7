/**
 * The jitter buffer driving the real G.711 decoder (src/codec/g711.ts, Appendix I-style PLC):
 * clean playout is bit-exact, jitter + 1 % loss stays within the concealment budget, and a 5-packet
 * burst is bridged by pitch repetition that fades to silence after 60 ms.
 */
import t from 'tap';
import { G711Decoder, G711Encoder, type G711Law } from '../../../src/codec/g711';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { findLag, prng, rms, simulate, walkExact, type SimPacket } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

const pcm = speech8k().subarray(0, 8000 * 15);

function packetizeG711(law: G711Law): { pkts: SimPacket[]; ref: Int16Array } {
  const enc = new G711Encoder(law);
  const bytes = new Uint8Array(pcm.length);
  enc.encode(pcm, 0, pcm.length, bytes, 0);
  const ref = new Int16Array(pcm.length); // what a perfect receiver decodes
  new G711Decoder(law).decode(bytes, 0, Math.min(bytes.length, 960), ref, 0);
  for (let off = 960; off < bytes.length; off += 960) new G711Decoder(law).decode(bytes, off, Math.min(960, bytes.length - off), ref, off);
  const pkts: SimPacket[] = [];
  for (let k = 0; (k + 1) * 160 <= bytes.length; k++) {
    pkts.push({
      seq: (30000 + k) & 0xffff,
      ts: (k * 160) >>> 0,
      ssrc: 77,
      pt: law === 'ulaw' ? 0 : 8,
      marker: k === 0,
      payload: bytes.slice(k * 160, (k + 1) * 160),
      srcIndex: k * 160,
      sendMs: k * 20,
      arrivalMs: k * 20,
    });
  }
  return { pkts, ref };
}

for (const law of ['ulaw', 'alaw'] as const) {
  t.test(`G.711 ${law}: clean playout is bit-exact`, async (t) => {
    const { pkts, ref } = packetizeG711(law);
    for (const p of pkts) p.arrivalMs = p.sendMs + 9;
    const jb = new JitterBuffer({ clockRate: 8000, decoder: new G711Decoder(law) });
    const r = simulate(jb, pkts, { frames: pkts.length - 2, startMs: 5 });
    const w = walkExact(r.out, r.kinds, ref, 160);
    t.equal(w.bad, 0, `${w.normal} frames bit-exact`);
    t.equal(jb.stats.concealedSamples, 0);
  });
}

t.test('G.711: ±20 ms jitter and 1 % loss', async (t) => {
  const { pkts: all, ref } = packetizeG711('ulaw');
  const rnd = prng(21);
  for (const p of all) p.arrivalMs = p.sendMs + 25 + rnd() * 40 - 20;
  const kept = all.filter(() => rnd() >= 0.01);
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new G711Decoder('ulaw') });
  const r = simulate(jb, kept, { frames: all.length - 3, startMs: 11 });
  const st = jb.stats;
  t.comment(JSON.stringify(st));
  t.ok(st.concealedSamples <= 0.015 * all.length * 160, `concealed ${((100 * st.concealedSamples) / (all.length * 160)).toFixed(2)} %`);
  t.ok(st.concealmentEvents >= 1);
  t.equal(st.flushes, 0);
  const meanDelay = (st.jitterBufferDelay / st.jitterBufferEmittedCount) * 1000;
  const meanTarget = (st.jitterBufferTargetDelay / st.jitterBufferEmittedCount) * 1000;
  t.ok(meanDelay <= meanTarget + 10, `mean delay ${meanDelay.toFixed(1)} ≤ ${meanTarget.toFixed(1)} + 10 ms`);
  const { corr } = findLag(ref, r.out, 16000, 80000, 1600);
  t.ok(corr > 0.97, `output still the speech (corr ${corr.toFixed(3)})`);
});

t.test('G.711: 5-packet burst bridged by pitch repetition, silent after 60 ms', async (t) => {
  const { pkts: all, ref } = packetizeG711('ulaw');
  for (const p of all) p.arrivalMs = p.sendMs + 7;
  let at = 100;
  while (rms(ref, all[at]!.srcIndex - 320, 320) < 2000) at++; // lose during loud, voiced speech
  const kept = all.filter((_, i) => i < at || i >= at + 5);
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new G711Decoder('ulaw') });
  const r = simulate(jb, kept, { frames: all.length - 3, startMs: 5 });
  const st = jb.stats;
  const cf: number[] = [];
  r.kinds.forEach((k, j) => k === FrameKind.CONCEALED && cf.push(j));
  t.same(cf.length, 5, 'five concealed frames');
  t.equal(st.concealedSamples, 800);
  t.equal(st.concealmentEvents, 1);
  t.ok(rms(r.out, cf[0]! * 160, 160) > 300, 'first 20 ms of PLC carries the voice');
  t.equal(rms(r.out, cf[3]! * 160 + 80, 240), 0, 'silent from 70 ms on (App. I mutes after 60 ms)');
  t.ok(st.silentConcealedSamples >= 320, `silentConcealedSamples ${st.silentConcealedSamples}`);
  // PLC continues the waveform: the first 5 ms correlate with what was lost.
  const lostFrom = all[at]!.srcIndex;
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < 40; i++) {
    const x = ref[lostFrom + i]!;
    const y = r.out[cf[0]! * 160 + i]!;
    xy += x * y;
    xx += x * x;
    yy += y * y;
  }
  t.ok(xy / Math.sqrt(xx * yy) > 0.5, `PLC onset correlates with the lost audio (${(xy / Math.sqrt(xx * yy)).toFixed(2)})`);
  // Recovery: 100 ms after the burst the output is bit-exact again.
  const after = cf[4]! + 6;
  let diff = 0;
  const src = all[at + 5]!.srcIndex + 5 * 160;
  for (let i = 0; i < 160 * 50; i++) if (r.out[after * 160 + i] !== ref[src + i]) diff++;
  t.equal(diff, 0, 'bit-exact after recovery');
});
