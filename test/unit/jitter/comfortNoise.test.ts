/**
 * RFC 3389 comfort noise in DTX comes out at the signalled level. RFC 3389 §3: the level byte is
 * -dBov, 0 dBov being a full-scale SQUARE wave (RMS 32767 for 16-bit PCM). The jitter buffer's DTX
 * noise is src/codec/comfortNoise.ts's generator (before: a second generator in the Concealer used a
 * full-scale sine as the reference, 3 dB low, while comfortNoise.ts was never used).
 */
import t from 'tap';
import { JitterBuffer } from '../../../src/jitter/JitterBuffer';
import { FrameKind } from '../../../src/jitter/types';
import { L16Decoder } from '../../fixtures/jitter/L16Decoder';
import { packetizeL16, rms, simulate } from '../../fixtures/jitter/sim';
import { speech8k } from '../../fixtures/jitter/speech';

for (const level of [30, 45, 60]) {
  t.test(`CN level ${level} -dBov: DTX noise RMS within 0.5 dB of 32767 * 10^(-${level}/20)`, async (t) => {
    const p1 = packetizeL16(speech8k().subarray(0, 8000), { ptimeMs: 20, seq0: 10, ts0: 5000 });
    const last = p1[p1.length - 1]!;
    const cn = { ...last, seq: last.seq + 1, ts: last.ts + 160, pt: 13, marker: false, payload: Uint8Array.of(level), srcIndex: -1, sendMs: last.sendMs + 20 };
    const pkts = [...p1, cn];
    for (const p of pkts) p.arrivalMs = p.sendMs + 10;
    const jb = new JitterBuffer({ clockRate: 8000, decoder: new L16Decoder() });
    const frames = 100;
    const r = simulate(jb, pkts, { frames: 50 + frames, startMs: 3 });
    const from = 60; // well after the CN packet was played
    for (let j = from; j < 50 + frames; j++) t.equal(r.kinds[j], FrameKind.SILENCE);
    const measured = rms(r.out, from * 160, (50 + frames - from) * 160);
    const expected = 32767 * 10 ** (-level / 20);
    const db = 20 * Math.log10(measured / expected);
    t.ok(Math.abs(db) <= 0.5, `rms ${measured.toFixed(1)}, expected ${expected.toFixed(1)} (${db.toFixed(2)} dB)`);
  });
}
