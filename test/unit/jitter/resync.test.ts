/**
 * (f) SSRC change mid-stream and timestamp jumps; (h) DTX: comfort noise / quiet hangover, then a
 * 2 s gap with a timestamp jump and a marker bit. Neither is loss: no concealment may be counted.
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { frameOf, packetizeL16, rms, simulate, type SimPacket } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

const speech = speech8k();
const A = speech.subarray(0, 8000 * 5);
const B = speech.subarray(8000 * 8, 8000 * 13);

function bitExactRun(out: Int16Array, frame: number, src: Int16Array, from: number, frames: number): number {
  let diff = 0;
  for (let i = 0; i < frames * 160; i++) if (out[frame * 160 + i] !== src[from + i]) diff++;
  return diff;
}

t.test('SSRC change mid-stream: resync within 2 frames', async (t) => {
  for (const phase of [1, 9, 17]) {
    const a = packetizeL16(A, { ptimeMs: 20, ssrc: 0xaaaa, seq0: 100, ts0: 1000 });
    const b = packetizeL16(B, { ptimeMs: 20, ssrc: 0xbbbb, seq0: 40000, ts0: 3_000_000_000, startMs: 5000 });
    for (const p of [...a, ...b]) p.arrivalMs = p.sendMs + 12;
    const dec = new L16Decoder();
    const jb = new JitterBuffer({ clockRate: 8000, decoder: dec });
    const r = simulate(jb, [...a, ...b], { frames: a.length + b.length - 5, startMs: phase });
    const st = jb.stats;
    t.equal(st.ssrcChanges, 1, 'ssrcChanges counted');
    t.ok(dec.resets >= 1, 'decoder reset');
    t.equal(st.concealedSamples, 0, 'no concealment');
    t.equal(st.packetsLost, 0, 'the new sequence space is not loss');
    // The last A frame played and the first B frame: at most 2 frames of silence in between.
    let lastA = -1;
    for (let k = a.length - 1; k >= 0 && lastA < 0; k--) lastA = frameOf(r.out, A, a[k]!.srcIndex);
    const firstB = frameOf(r.out, B, 0);
    t.ok(lastA > 0 && firstB > lastA, `A ends at frame ${lastA}, B starts at ${firstB}`);
    t.ok(firstB - lastA - 1 <= 2, `phase ${phase}: ${firstB - lastA - 1} frame(s) between streams`);
    for (let j = lastA + 1; j < firstB; j++) t.equal(r.kinds[j], FrameKind.SILENCE, 'gap is silence');
    t.equal(bitExactRun(r.out, firstB, B, 0, b.length - 10), 0, 'B plays bit-exact after the change');
  }
});

t.test('timestamp jump on the same SSRC resynchronises', async (t) => {
  const a = packetizeL16(A, { ptimeMs: 20, seq0: 100, ts0: 1000 });
  const b = packetizeL16(B, { ptimeMs: 20, seq0: 100 + a.length, ts0: 2_000_000_000, startMs: 5000 });
  for (const p of [...a, ...b]) p.arrivalMs = p.sendMs + 12;
  const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
  const r = simulate(jb, [...a, ...b], { frames: a.length + b.length - 5, startMs: 3 });
  t.equal(jb.stats.resyncs, 1, 'one resync');
  t.equal(jb.stats.ssrcChanges, 0);
  const firstB = frameOf(r.out, B, 160); // the first packet after the jump confirms it; B's second plays
  t.ok(firstB > 0, 'stream after the jump plays');
  t.equal(bitExactRun(r.out, firstB, B, 160, b.length - 10), 0, 'bit-exact after the resync');
});

/** Talkspurt 1 (3 s), an optional CN packet, 2 s of nothing, then talkspurt 2 with the marker bit. */
function dtxStream(opts: { cn: boolean; hangover: boolean }): { pkts: SimPacket[]; ts2From: number; s2: Int16Array } {
  const s1 = Int16Array.from(speech.subarray(0, 8000 * 3));
  if (opts.hangover) for (let i = s1.length - 1600; i < s1.length; i++) s1[i] = ((i * 7919) % 61) - 30; // quiet tail
  const s2 = speech.subarray(8000 * 4, 8000 * 8);
  const p1 = packetizeL16(s1, { ptimeMs: 20, seq0: 500, ts0: 10_000 });
  const last = p1[p1.length - 1]!;
  const pkts = [...p1];
  let seq = last.seq + 1;
  if (opts.cn) {
    pkts.push({ ...last, seq: seq++, ts: last.ts + 160, pt: 13, marker: false, payload: Uint8Array.of(60), srcIndex: -1, sendMs: last.sendMs + 20, arrivalMs: 0 });
  }
  const gapMs = 2000;
  const p2 = packetizeL16(s2, { ptimeMs: 20, seq0: seq, ts0: last.ts + 160 + gapMs * 8, startMs: last.sendMs + 20 + gapMs });
  pkts.push(...p2); // p2[0] carries the marker bit
  for (const p of pkts) p.arrivalMs = p.sendMs + 15;
  return { pkts, ts2From: p1.length + (opts.cn ? 1 : 0), s2 };
}

for (const variant of [
  { cn: true, hangover: false, name: 'CN packet (RFC 3389)' },
  { cn: false, hangover: true, name: 'quiet hangover, no CN' },
]) {
  t.test(`DTX gap after ${variant.name}: no concealment, speech resumes`, async (t) => {
    const { pkts, s2 } = dtxStream(variant);
    const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
    const frames = Math.round(pkts[pkts.length - 1]!.sendMs / 20) - 5;
    let targetAtResume = 0;
    let delayAtResume = 0;
    const r = simulate(jb, pkts, {
      frames,
      startMs: 6,
      onFrame: (_j, now, kind) => {
        if (kind === FrameKind.NORMAL && now > 5000 && delayAtResume === 0) {
          delayAtResume = jb.stats.currentDelayMs;
          targetAtResume = jb.stats.targetDelayMs;
        }
      },
    });
    const st = jb.stats;
    t.comment(JSON.stringify(st));
    t.equal(st.concealedSamples, 0, 'no concealed samples');
    t.equal(st.concealmentEvents, 0, 'no concealment events');
    t.equal(st.packetsLost, 0);
    t.equal(st.packetsDiscarded, 0);
    t.ok(st.silenceSamples >= 1.9 * 8000, 'the gap is silence');
    const resume = frameOf(r.out, s2, 0);
    t.ok(resume > 0, `talkspurt 2 starts at frame ${resume}`);
    t.equal(bitExactRun(r.out, resume, s2, 0, 150), 0, 'talkspurt 2 bit-exact');
    t.ok(delayAtResume <= targetAtResume + 20, `resumes at the target delay (${delayAtResume} vs ${targetAtResume} ms)`);
    // During the gap: SILENCE frames; with CN they carry comfort noise at about -60 dBov.
    const mid = Math.round((3000 + 1000) / 20);
    t.equal(r.kinds[mid], FrameKind.SILENCE);
    const level = rms(r.out, mid * 160, 160);
    if (variant.cn) t.ok(level > 10 && level < 60, `comfort noise rms ${level.toFixed(1)}`);
    else t.equal(level, 0);
  });
}
