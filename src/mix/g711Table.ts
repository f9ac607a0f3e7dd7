/**
 * G.711 encoding as rtpengine 10.5 does it when it transcodes (FFmpeg's pcm_mulaw / pcm_alaw encoders):
 * a 16384-entry table indexed by (sample + 32768) >> 2 that picks, for each 14-bit value, the code
 * whose decoded value is nearest (boundaries at the rounded midpoints (v1 + v2 + 4) >> 3 of adjacent
 * codes' decoded values). This rounds where the G.711 reference encoder truncates, so the two differ
 * by one code step on some samples; the transcode path uses this one so its packets match rtpengine's
 * byte for byte. Tables are built once at load; encode() allocates nothing.
 */
import { ALAW_TO_LINEAR, ULAW_TO_LINEAR } from '../codec/g711';
import type { AudioEncoder } from '../codec/types';
import { CodecError } from '../codec/types';

/** `xlaw2linear`: the G.711 decode table of the law (src/codec/g711.ts). */
function buildTable(xlaw2linear: Int16Array, mask: number): Uint8Array {
  const table = new Uint8Array(16384);
  let j = 1;
  table[8192] = mask;
  for (let i = 0; i < 127; i++) {
    const v1 = xlaw2linear[i ^ mask]!;
    const v2 = xlaw2linear[(i + 1) ^ mask]!;
    const v = (v1 + v2 + 4) >> 3;
    for (; j < v; j++) {
      table[8192 - j] = i ^ (mask ^ 0x80);
      table[8192 + j] = i ^ mask;
    }
  }
  for (; j < 8192; j++) {
    table[8192 - j] = 127 ^ (mask ^ 0x80);
    table[8192 + j] = 127 ^ mask;
  }
  table[0] = table[1]!;
  return table;
}

export const LINEAR_TO_ULAW_RTPENGINE = buildTable(ULAW_TO_LINEAR, 0xff);
export const LINEAR_TO_ALAW_RTPENGINE = buildTable(ALAW_TO_LINEAR, 0xd5);

export class RoundingG711Encoder implements AudioEncoder {
  private readonly table: Uint8Array;

  /** `sampleRate`: the clock rate the SDP names (G.711 runs at any, one sample per byte; usually 8000). */
  constructor(law: 'ulaw' | 'alaw', readonly sampleRate = 8000) {
    this.table = law === 'ulaw' ? LINEAR_TO_ULAW_RTPENGINE : LINEAR_TO_ALAW_RTPENGINE;
  }

  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number {
    if (samples < 0 || pcmOffset < 0 || pcmOffset + samples > pcm.length) return CodecError.ARG;
    if (outOffset < 0 || outOffset + samples > out.length) return CodecError.SPACE;
    const t = this.table;
    for (let i = 0; i < samples; i++) out[outOffset + i] = t[(pcm[pcmOffset + i]! + 32768) >> 2]!;
    return samples;
  }

  close(): void {
    // Pure TS: nothing to release.
  }
}
