/**
 * Writes synthesised audio into the jitter buffer's PCM queue and keeps the W3C concealment counters:
 * codec PLC (AudioDecoder.conceal) and SILENCE (zeros, or RFC 3389
 * comfort noise at the level of the last CN packet while in DTX). The caller decides *what* to
 * synthesise and moves the playout timestamp; this class only produces samples and counts them.
 */
import { ComfortNoiseGenerator } from '../codec/comfortNoise';
import type { AudioDecoder } from '../codec/types';
import type { JitterStats } from './JitterStats';
import { PcmQueue, RANK_CONCEALED, RANK_SILENCE } from './PcmQueue';

export class Concealer {
  /** Consecutive samples of loss concealment since the last decoded packet. */
  private run = 0;
  private active = false;
  /** Level of the last CN packet (-dBov, 0..127), -1 if none: DTX is then digital silence. */
  private cnLevel = -1;
  private readonly noise = new ComfortNoiseGenerator();

  constructor(
    private readonly decoder: AudioDecoder,
    private readonly pcm: PcmQueue,
    private readonly stats: JitterStats,
    /** Longest loss concealment before switching to SILENCE, samples. */
    private readonly maxRunSamples: number,
  ) {}

  /**
   * Append n samples of codec PLC. `forLoss` false = inserted to grow the delay (deceleration): not
   * counted as concealment and not limited by maxRunSamples.
   */
  conceal(n: number, forLoss: boolean): void {
    if (forLoss && this.run >= this.maxRunSamples) {
      this.silence(n, false);
      return;
    }
    const pcm = this.pcm;
    const st = this.stats;
    const w = pcm.reserve(n);
    const got = this.decoder.conceal(pcm.samples, w, n);
    if (got < n) pcm.samples.fill(0, w + (got > 0 ? got : 0), w + n);
    pcm.commit(n, RANK_CONCEALED, -1);
    if (!forLoss) return;
    st.concealedSamples += n;
    if (pcm.meanSquare(w, n) < 1) st.silentConcealedSamples += n;
    if (!this.active) {
      st.concealmentEvents++;
      this.active = true;
    }
    this.run += n;
  }

  /** Append n samples of SILENCE: comfort noise if `dtx` and a CN level is known, else zeros. */
  silence(n: number, dtx: boolean): void {
    const pcm = this.pcm;
    const w = pcm.reserve(n);
    if (dtx && this.cnLevel >= 0) this.noise.generate(this.cnLevel, pcm.samples, w, n);
    else pcm.samples.fill(0, w, w + n);
    pcm.commit(n, RANK_SILENCE, -1);
    this.stats.silenceSamples += n;
  }

  /** The level of a CN packet (parseCnLevel: -dBov 0..127; negative = none) for the DTX that follows. */
  setComfortNoiseLevel(level: number): void {
    this.cnLevel = level;
  }

  /** A packet was decoded: the next concealment is a new event with a fresh run. */
  endRun(): void {
    this.run = 0;
    this.active = false;
  }

  reset(): void {
    this.endRun();
    this.cnLevel = -1;
  }
}
