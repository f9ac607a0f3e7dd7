/**
 * Issue 13, session 17: how long one lost frame disturbs each bench codec's decoder. For `--losses` positions in
 * the tuning part's agent speech (the continuous talker's material), one encoder encodes every frame (a phone
 * encodes; the network loses the packet) and two decoders decode its packets — one all of them, the other all
 * but packet k, which it conceals (the decoder's PLC) — and the concealed decode is compared with the lossless
 * one frame by frame after k: SNR = 10 log10(sum clean^2 / sum (clean - lossy)^2) per 20 ms
 * frame. Prints, per codec, the median SNR at a few frames after the loss and the share of losses whose decode is
 * back within 30 dB of the lossless one at the last frame decoded (+frames). (G.711's concealment reaches into the next frame only: Appendix
 * I's overlap-add. A CELP decoder's pitch and gain memories carry the concealed frame on for a while.)
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/codec-loss.ts [--losses=40] [--frames=50]
 */
import { benchCodecs } from './codecs';
import { corpusPools } from './corpus';

const arg = (k: string, d: string): string => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3) ?? d;
const LOSSES = Number(arg('losses', '40'));
const AFTER = Number(arg('frames', '50'));
const AT = [1, 2, 3, 5, 10, 20, 30, 49].filter((a) => a < AFTER);

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`One lost frame, then ${AFTER} frames decoded: SNR of the concealed decode against the lossless one (dB; 99 = identical), ${LOSSES} losses per codec over the tuning part's speech\n`);
console.log(`| codec | ${AT.map((a) => `+${a}`).join(' | ')} | back within 30 dB at +${AFTER} |`);
console.log(`|---|${AT.map(() => '---').join('|')}|---|`);
for (const codec of benchCodecs().codecs) {
  const f = codec.rate / 50;
  const snr: number[][] = AT.map(() => []);
  let back = 0;
  for (let n = 0; n < LOSSES; n++) {
    // Each loss on another voice's speech (seeds pick the voices), 3 s into it (the decoders settled).
    const x = corpusPools('tuning', codec.rate, 1 + n).agent;
    const lossAt = 150 + ((n * 37) % Math.max(1, Math.floor(x.length / f) - 150 - AFTER - 1));
    const enc = codec.encoder();
    const clean = codec.decoder();
    const lossy = codec.decoder();
    const payload = new Uint8Array(1500);
    const oc = new Int16Array(f);
    const ol = new Int16Array(f);
    let last = 0;
    for (let k = 0; k <= lossAt + AFTER; k++) {
      const bytes = enc.encode(x, k * f, f, payload, 0);
      if (bytes <= 0) throw new Error(`${codec.name}: the encoder produced no packet (DTX) at frame ${k}`);
      if (clean.decode(payload, 0, bytes, oc, 0) !== f) throw new Error(`${codec.name}: short decode`);
      if (k === lossAt) lossy.conceal(ol, 0, f);
      else if (lossy.decode(payload, 0, bytes, ol, 0) !== f) throw new Error(`${codec.name}: short decode`);
      const j = k - lossAt;
      if (j <= 0) continue;
      let e = 0;
      let d = 0;
      for (let i = 0; i < f; i++) {
        e += oc[i]! * oc[i]!;
        d += (oc[i]! - ol[i]!) ** 2;
      }
      const s = d === 0 ? 99 : Math.min(99, 10 * Math.log10((e + 1) / d));
      const ai = AT.indexOf(j);
      if (ai >= 0) snr[ai]!.push(s);
      last = s;
    }
    if (last >= 30) back++;
    enc.close();
    clean.close();
    lossy.close();
  }
  console.log(`| ${codec.name} | ${snr.map((v) => median(v).toFixed(1)).join(' | ')} | ${back} of ${LOSSES} |`);
}
