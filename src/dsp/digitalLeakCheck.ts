/**
 * Digital leak check: does the audio whisperd actually sends to the customer contain the supervisor's
 * input at (almost) zero delay? An acoustic bleed always arrives late (>= ~10 ms: codec frames, jitter
 * buffers, the air); a copy within a few ms can only come from a mixing/routing bug, so any confirmed
 * match trips the check (latched until reset()).
 *
 * Per frame, only while the supervisor talks (reference RMS above `activityFloorDbfs`), for every lag
 * 0..maxSkew samples (sent[t] vs reference[t - lag]):
 * - exact match: every sample of the frame equal to the lagged reference, or
 * - normalised correlation >= `correlationThreshold` (default 0.9) with least-squares gain
 *   sum(s r)/sum(r^2) >= `minGainDb` (default -12 dB), so a routed copy is caught even when the agent's
 *   voice is mixed on top or a gain is applied, while a quiet acoustic path is not.
 * A (non-exact) candidate must also correlate better than every longer lag up to `verifyMs` (default
 * 40 ms): voiced speech is nearly periodic, so a late acoustic copy (>= 10 ms) also correlates at short
 * lags (measured up to 0.95 at 0..2 ms), but it correlates better at its own delay.
 * The check trips after `confirmFrames` (default 2) consecutive talk frames match.
 *
 * Cost: frame x (maxSkew + 1) multiply-adds per talk frame (8 kHz, 2 ms skew: 2.7 k per 20 ms), plus
 * frame/stride x verify lags (8 kHz: 51 k) only for frames with a candidate.
 * No allocation after construction.
 */
export interface DigitalLeakCheckOptions {
  sampleRate: number;
  /** Largest processing skew searched, ms (default 2). */
  maxSkewMs?: number;
  correlationThreshold?: number;
  minGainDb?: number;
  confirmFrames?: number;
  activityFloorDbfs?: number;
  /** A candidate must out-correlate every lag up to this, ms (default 40): rejects late acoustic copies. */
  verifyMs?: number;
  /** Largest frame fed in one call, ms (default 120; longer calls are split). */
  maxFrameMs?: number;
}

export class DigitalLeakCheck {
  private trippedFlag = false;
  private lagAtTrip = -1;
  private lastCorrelation = 0;
  private checked = 0;
  private streak = 0;

  private readonly maxLag: number;
  private readonly maxFrame: number;
  private readonly threshold: number;
  private readonly minGain: number;
  private readonly confirm: number;
  private readonly floorEnergy: number;
  /** Reference history kept across calls: the longest lag verified (verifyMs), samples. */
  private readonly histLen: number;
  /** Sample stride of the verification sums (about 8 kHz worth of samples). */
  private readonly stride: number;
  /** buf[0 .. histLen) = reference tail of earlier calls; buf[histLen ..] = this frame's reference. */
  private readonly buf: Int16Array;

  constructor(opts: DigitalLeakCheckOptions) {
    const rate = opts.sampleRate;
    if (!(rate > 0)) throw new RangeError('DigitalLeakCheck: sampleRate must be > 0');
    this.maxLag = Math.round(((opts.maxSkewMs ?? 2) * rate) / 1000);
    this.maxFrame = Math.round(((opts.maxFrameMs ?? 120) * rate) / 1000);
    this.threshold = opts.correlationThreshold ?? 0.9;
    this.minGain = Math.pow(10, (opts.minGainDb ?? -12) / 20);
    this.confirm = Math.max(1, opts.confirmFrames ?? 2);
    const floorAmp = 32768 * Math.pow(10, (opts.activityFloorDbfs ?? -50) / 20);
    this.floorEnergy = floorAmp * floorAmp;
    this.histLen = Math.max(this.maxLag, Math.round(((opts.verifyMs ?? 40) * rate) / 1000));
    this.stride = Math.max(1, Math.round(rate / 8000));
    this.buf = new Int16Array(this.histLen + this.maxFrame);
  }

  /** True once a routed copy of the supervisor was confirmed (stays true until reset()). */
  get tripped(): boolean {
    return this.trippedFlag;
  }
  /** Lag (samples) of the confirmed match, -1 if none. */
  get matchLag(): number {
    return this.lagAtTrip;
  }
  /** Highest normalised correlation over the lags in the latest talk frame (0 if none checked). */
  get correlation(): number {
    return this.lastCorrelation;
  }
  /** Talk frames examined so far. */
  get framesChecked(): number {
    return this.checked;
  }

  /**
   * reference[refOffset ..] = the supervisor's input for this frame; sent[sentOffset ..] = the audio sent to
   * the customer for the same frame; `samples` each, at the configured rate.
   */
  process(reference: Int16Array, refOffset: number, sent: Int16Array, sentOffset: number, samples: number): void {
    while (samples > 0) {
      const n = samples < this.maxFrame ? samples : this.maxFrame;
      this.processChunk(reference, refOffset, sent, sentOffset, n);
      refOffset += n;
      sentOffset += n;
      samples -= n;
    }
  }

  reset(): void {
    this.buf.fill(0);
    this.trippedFlag = false;
    this.lagAtTrip = -1;
    this.lastCorrelation = 0;
    this.checked = 0;
    this.streak = 0;
  }

  private processChunk(reference: Int16Array, refOffset: number, sent: Int16Array, sentOffset: number, n: number): void {
    const buf = this.buf;
    const H = this.histLen;
    let er = 0;
    for (let i = 0; i < n; i++) {
      const r = reference[refOffset + i];
      buf[H + i] = r;
      er += r * r;
    }
    if (er > this.floorEnergy * n) this.examine(sent, sentOffset, n, er);
    // Keep the last H reference samples for the next call.
    buf.copyWithin(0, n, n + H);
  }

  private examine(sent: Int16Array, sentOffset: number, n: number, er0: number): void {
    const buf = this.buf;
    const H = this.histLen;
    this.checked++;
    let es = 0;
    for (let i = 0; i < n; i++) es += sent[sentOffset + i] * sent[sentOffset + i];
    let bestCorr = 0;
    let matchLag = -1;
    let matchCorr = -1;
    // er = energy of buf[H - lag .. H - lag + n), slid as lag grows.
    let er = er0;
    for (let lag = 0; lag <= this.maxLag; lag++) {
      if (lag > 0) {
        const inV = buf[H - lag];
        const outV = buf[H - lag + n];
        er += inV * inV - outV * outV;
      }
      const base = H - lag;
      let exact = true;
      let sr = 0;
      for (let i = 0; i < n; i++) {
        const s = sent[sentOffset + i];
        const r = buf[base + i];
        if (s !== r) exact = false;
        sr += s * r;
      }
      const denom = Math.sqrt(es * er);
      const corr = exact ? 1 : denom > 0 ? sr / denom : 0;
      if (corr > bestCorr) bestCorr = corr;
      const gain = er > 0 ? sr / er : 0;
      if ((exact || (corr >= this.threshold && gain >= this.minGain)) && corr > matchCorr) {
        matchLag = lag;
        matchCorr = corr;
      }
    }
    this.lastCorrelation = bestCorr;
    // A near-zero-lag candidate must also beat every longer lag up to verifyMs: a late (acoustic) copy
    // of periodic speech shows up at short lags too, but its own delay correlates better.
    if (matchLag >= 0 && matchCorr < 1 && this.laterLagCorrelates(sent, sentOffset, n, es, matchCorr)) matchLag = -1;
    if (matchLag >= 0) {
      this.streak++;
      if (this.streak >= this.confirm && !this.trippedFlag) {
        this.trippedFlag = true;
        this.lagAtTrip = matchLag;
      }
    } else {
      this.streak = 0;
    }
  }

  /** True if some lag in (maxLag, histLen] correlates at least as well as `corr` (sums on every stride-th sample). */
  private laterLagCorrelates(sent: Int16Array, sentOffset: number, n: number, es: number, corr: number): boolean {
    const buf = this.buf;
    const H = this.histLen;
    const stride = this.stride;
    let esS = 0;
    for (let i = 0; i < n; i += stride) esS += sent[sentOffset + i] * sent[sentOffset + i];
    if (esS <= 0 || es <= 0) return false;
    for (let lag = this.maxLag + 1; lag <= H; lag++) {
      const base = H - lag;
      let sr = 0;
      let er = 0;
      for (let i = 0; i < n; i += stride) {
        const r = buf[base + i];
        sr += sent[sentOffset + i] * r;
        er += r * r;
      }
      if (er > 0 && sr / Math.sqrt(esS * er) >= corr) return true;
    }
    return false;
  }
}
