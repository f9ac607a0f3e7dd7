/**
 * In-band DTMF detection for DTMF transcoding towards a side with telephone-event (rtpengine 10.5 runs
 * spandsp's dtmf_rx on the decoded audio and sends RFC 4733 events instead of the tone). whisperd's own
 * Goertzel detector with spandsp's structure and thresholds (facts of spandsp dtmf.c): blocks of 102
 * samples at 8 kHz; a block is a hit for a digit when its strongest row and column tones are each above
 * an absolute energy, within twist limits (column at most 4 dB above the row, at most 8 dB below), each
 * 8 dB above the other tones of its group, and together more than 42x the block's total energy (a pure
 * pair gives 51x); a digit starts after two successive equal hits and ends after two successive blocks
 * that differ from it. The level is the pair's power in dBm0 (0 dBm0 = RMS 16055 of 16-bit PCM).
 * Plain double arithmetic; the native twin (transcode.h DtmfDetector) does the same operations in the
 * same order. Nothing is allocated per sample or block.
 */
import { DTMF_HIGH_HZ as COLS, DTMF_LOW_HZ as ROWS } from '../prompts/tones';

export const DTMF_BLOCK = 102;
/** Digit codes (RFC 4733 events 0..15) by [row][col]. */
const CODES = [
  [1, 2, 3, 12],
  [4, 5, 6, 13],
  [7, 8, 9, 14],
  [10, 0, 11, 15],
];
const THRESHOLD = 8.0e7;
const NORMAL_TWIST = 6.309573; // 8 dB
const REVERSE_TWIST = 2.511886; // 4 dB
const RELATIVE_PEAK = 6.309573; // 8 dB
const TO_TOTAL_ENERGY = 42.0;
const RMS_0DBM0 = 16055.0;

/** Receives state changes: a digit `code` (0..15) started at level `level` (-dBm0), or code -1: it ended. `at`: index in the chunk just after the deciding block. */
export interface DtmfDetectSink {
  onDtmfDetect(code: number, level: number, at: number): void;
}

export class DtmfDetector {
  private readonly coef = new Float64Array(8);
  private readonly s1 = new Float64Array(8);
  private readonly s2 = new Float64Array(8);
  private readonly energy = new Float64Array(8);
  private total = 0;
  private count = 0;
  private lastHit = -1;
  private inDigit = -1;

  constructor() {
    for (let i = 0; i < 8; i++) {
      const f = i < 4 ? ROWS[i]! : COLS[i - 4]!;
      this.coef[i] = 2.0 * Math.cos((2.0 * Math.PI * f) / 8000.0);
    }
  }

  /** Feed n samples at 8 kHz; state changes go to the sink. */
  process(pcm: Int16Array, off: number, n: number, sink: DtmfDetectSink): void {
    const coef = this.coef;
    const s1 = this.s1;
    const s2 = this.s2;
    for (let i = 0; i < n; i++) {
      const x = pcm[off + i]!;
      this.total += x * x;
      for (let k = 0; k < 8; k++) {
        const s = x + coef[k]! * s1[k]! - s2[k]!;
        s2[k] = s1[k]!;
        s1[k] = s;
      }
      if (++this.count < DTMF_BLOCK) continue;
      for (let k = 0; k < 8; k++) {
        this.energy[k] = s1[k]! * s1[k]! + s2[k]! * s2[k]! - coef[k]! * s1[k]! * s2[k]!;
        s1[k] = 0;
        s2[k] = 0;
      }
      const hit = this.classify();
      this.total = 0;
      this.count = 0;
      if (hit !== this.inDigit && this.lastHit !== this.inDigit) {
        // Two successive blocks say something changed.
        const now = hit >= 0 && hit === this.lastHit ? hit : -1;
        if (now !== this.inDigit) {
          this.inDigit = now;
          sink.onDtmfDetect(now < 0 ? -1 : CODES[now >> 2]![now & 3]!, this.level, i + 1);
        }
      }
      this.lastHit = hit;
    }
  }

  private level = 0;

  /** The block's digit as row * 4 + col, or -1. Sets `level` for a hit. */
  private classify(): number {
    const e = this.energy;
    let r = 0;
    for (let k = 1; k < 4; k++) if (e[k]! > e[r]!) r = k;
    let c = 4;
    for (let k = 5; k < 8; k++) if (e[k]! > e[c]!) c = k;
    const re = e[r]!;
    const ce = e[c]!;
    if (re < THRESHOLD || ce < THRESHOLD) return -1;
    if (!(ce < re * REVERSE_TWIST && ce * NORMAL_TWIST > re)) return -1;
    for (let k = 0; k < 4; k++) if (k !== r && e[k]! * RELATIVE_PEAK > re) return -1;
    for (let k = 4; k < 8; k++) if (k !== c && e[k]! * RELATIVE_PEAK > ce) return -1;
    if (!(re + ce > TO_TOTAL_ENERGY * this.total)) return -1;
    // Each tone's amplitude is 2 * sqrt(E) / N; the pair's RMS is sqrt((a1^2 + a2^2) / 2).
    const rms = Math.sqrt((2.0 * (re + ce)) / (DTMF_BLOCK * DTMF_BLOCK));
    const dbm0 = 20.0 * Math.log10(rms / RMS_0DBM0);
    let level = Math.round(-dbm0);
    if (level < 0) level = 0;
    if (level > 63) level = 63;
    this.level = level;
    return r * 4 + (c - 4);
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.total = 0;
    this.count = 0;
    this.lastHit = -1;
    this.inDigit = -1;
  }
}
