/**
 * Packet-loss concealment for G.711 (and any 8 kHz PCM), after the method of ITU-T G.711 Appendix I
 * ("A high quality low-complexity algorithm for packet loss concealment with G.711"). Own
 * implementation from the published description; no reference code was used.
 *
 * Method (all lengths in samples at 8000 Hz; 10 ms = 80 samples):
 * - History: the last 390 output samples (3 × max pitch + 30) are kept.
 * - At the start of an erasure the pitch period P ∈ [40, 120] (200..66 Hz) is found by normalised
 *   cross-correlation of the last 20 ms with the history (coarse search on every 2nd lag and sample,
 *   then refined ±1 at full resolution).
 * - Synthesis repeats the last P samples; from the 2nd erased 10 ms it cycles over the last 2 P, from
 *   the 3rd over the last 3 P (less "buzz"), with a P/4 cross-fade at each switch.
 * - Gain: 1.0 during the first 10 ms, then falls linearly by 20 % per 10 ms (per sample), reaching 0
 *   at 60 ms; after 60 ms of erasure the output is silence.
 * - Recovery: the first good samples are cross-faded with the continued synthetic signal over
 *   P/4 + 4 ms per extra erased 10 ms (at most 10 ms).
 *
 * Latency choice: Appendix I delays all output by 3.75 ms (30 samples) so it can blend the end of the
 * real signal into the first repeated period. whisperd adds NO delay: instead the join at the erasure
 * start is made continuous by adding the sample-value mismatch between the last real sample and the
 * sample preceding the repeated period, decaying linearly to 0 over P/4 samples. Because P maximises
 * the correlation between the last period and the one before it, this mismatch is small for voiced
 * speech; the test suite checks the continuation quality (correlation with the true signal).
 *
 * Hot path: `conceal` and `goodFrame` allocate nothing; all buffers are preallocated.
 */

const FRAME_10MS = 80; // samples per 10 ms at 8 kHz
const PITCH_MIN = 40; // samples (200 Hz)
const PITCH_MAX = 120; // samples (66.7 Hz)
const CORR_LEN = 160; // samples (20 ms) correlated in the pitch search
const HISTORY_LEN = 3 * PITCH_MAX + 30; // 390 samples = 48.75 ms
const ATTENUATION_PER_SAMPLE = 0.2 / FRAME_10MS; // 20 % per 10 ms, linear
const SILENCE_AFTER = 6 * FRAME_10MS; // 60 ms
const RECOVERY_INCREMENT = 32; // samples (4 ms) of extra recovery cross-fade per extra erased 10 ms
const RECOVERY_MAX = FRAME_10MS; // 10 ms

export class G711Plc {
  /** Most recent output samples; history[HISTORY_LEN - 1] is the newest. */
  private readonly history = new Int16Array(HISTORY_LEN);
  /** Snapshot of the history at the erasure start, the source of the synthetic signal. */
  private readonly pitchBuf = new Int16Array(HISTORY_LEN);
  /** Samples of history that hold real signal (0..HISTORY_LEN), so a fresh stream conceals with silence. */
  private filled = 0;
  /** Samples concealed in the current erasure; 0 = not erasing. */
  private erasedSamples = 0;
  private pitch = PITCH_MIN;
  /** Cross-fade length at period switches and the start-of-erasure join, P/4 samples. */
  private joinLen = PITCH_MIN >> 2;
  /** history[last] - pitchBuf[last - P]: the value mismatch corrected at the erasure start. */
  private joinOffset = 0;

  /** Total samples concealed (for metrics). */
  concealedSamples = 0;

  /** Forget everything (SSRC change). */
  reset(): void {
    this.history.fill(0);
    this.filled = 0;
    this.erasedSamples = 0;
  }

  /** True while an erasure is in progress (conceal() was called since the last good frame). */
  get concealing(): boolean {
    return this.erasedSamples > 0;
  }

  /**
   * Report decoded samples pcm[off .. off+n): if an erasure just ended, the first samples are
   * cross-faded in place with the synthetic continuation; then they enter the history.
   */
  goodFrame(pcm: Int16Array, off: number, n: number): void {
    if (this.erasedSamples > 0) {
      const erased10ms = Math.ceil(this.erasedSamples / FRAME_10MS);
      let len = this.joinLen + RECOVERY_INCREMENT * (erased10ms - 1);
      if (len > RECOVERY_MAX) len = RECOVERY_MAX;
      if (len > n) len = n;
      const pos0 = this.erasedSamples;
      for (let i = 0; i < len; i++) {
        const w = (i + 1) / (len + 1);
        const synth = this.synthAt(pos0 + i);
        pcm[off + i] = Math.round((1 - w) * synth + w * pcm[off + i]!);
      }
      this.erasedSamples = 0;
    }
    this.pushHistory(pcm, off, n);
  }

  /** Write `n` samples of concealment to out[off ..]. Returns n. */
  conceal(out: Int16Array, off: number, n: number): number {
    if (this.erasedSamples === 0) this.startErasure();
    const start = this.erasedSamples;
    for (let i = 0; i < n; i++) out[off + i] = this.synthAt(start + i);
    this.erasedSamples = start + n;
    this.concealedSamples += n;
    this.pushHistory(out, off, n);
    return n;
  }

  /** Synthetic sample at erasure position `pos` (0 = first concealed sample), gain and fades applied. */
  private synthAt(pos: number): number {
    if (pos >= SILENCE_AFTER || this.filled === 0) return 0;
    const periods = pos < FRAME_10MS ? 1 : pos < 2 * FRAME_10MS ? 2 : 3;
    let v = this.cycle(periods, pos);
    const intoSwitch = pos - (periods - 1) * FRAME_10MS; // samples since this period count began
    if (periods > 1 && intoSwitch < this.joinLen) {
      // Cross-fade from the previous period count to the new one (P/4 samples).
      const w = (intoSwitch + 1) / (this.joinLen + 1);
      v = (1 - w) * this.cycle(periods - 1, pos) + w * v;
    }
    if (pos < this.joinLen) {
      // Continuity at the erasure start: remove the value step, decaying linearly.
      v += this.joinOffset * (1 - pos / this.joinLen);
    }
    if (pos >= FRAME_10MS) v *= 1 - ATTENUATION_PER_SAMPLE * (pos - FRAME_10MS);
    const r = Math.round(v);
    return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
  }

  /** Sample `pos` of the periodic extension over the last `periods` pitch periods of the snapshot. */
  private cycle(periods: number, pos: number): number {
    const span = periods * this.pitch;
    return this.pitchBuf[HISTORY_LEN - span + (pos % span)]!;
  }

  private startErasure(): void {
    this.pitchBuf.set(this.history);
    this.pitch = this.findPitch();
    this.joinLen = this.pitch >> 2;
    const last = HISTORY_LEN - 1;
    this.joinOffset = this.pitchBuf[last]! - this.pitchBuf[last - this.pitch]!;
  }

  /** Pitch period (samples) maximising the normalised cross-correlation of the last 20 ms. */
  private findPitch(): number {
    const h = this.pitchBuf;
    const end = HISTORY_LEN;
    let best = PITCH_MIN;
    let bestScore = -Infinity;
    // Coarse: every 2nd lag, every 2nd sample.
    for (let lag = PITCH_MIN; lag <= PITCH_MAX; lag += 2) {
      const score = this.ncc(h, end, lag, 2);
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    // Fine: ±1 around the coarse maximum at full resolution.
    const coarse = best;
    bestScore = -Infinity;
    for (let lag = coarse - 1; lag <= coarse + 1; lag++) {
      if (lag < PITCH_MIN || lag > PITCH_MAX) continue;
      const score = this.ncc(h, end, lag, 1);
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    return best;
  }

  /** Σ x[n]·x[n-lag] / sqrt(Σ x[n-lag]²) over the last CORR_LEN samples, stepping by `step`. */
  private ncc(h: Int16Array, end: number, lag: number, step: number): number {
    let cross = 0;
    let energy = 1; // avoids 0/0 on silence
    for (let n = end - CORR_LEN; n < end; n += step) {
      const past = h[n - lag]!;
      cross += h[n]! * past;
      energy += past * past;
    }
    return cross / Math.sqrt(energy);
  }

  private pushHistory(pcm: Int16Array, off: number, n: number): void {
    const h = this.history;
    if (n >= HISTORY_LEN) {
      for (let i = 0; i < HISTORY_LEN; i++) h[i] = pcm[off + n - HISTORY_LEN + i]!;
    } else {
      h.copyWithin(0, n);
      for (let i = 0; i < n; i++) h[HISTORY_LEN - n + i] = pcm[off + i]!;
    }
    this.filled = Math.min(HISTORY_LEN, this.filled + n);
  }
}
