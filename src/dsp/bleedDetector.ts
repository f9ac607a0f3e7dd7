/**
 * Whisper bleed detector: how much of the supervisor's whisper (the reference, as delivered to the agent)
 * comes back in the agent's own stream (the observed signal, as received from the agent), through the
 * agent's headset/room (delay 0..maxDelayMs, reverberation), codecs and packet loss, while the agent may
 * be talking at the same time.
 *
 * Method (decided at construction; the per-frame path only decimates, gates and counts):
 * 1. Both streams are decimated to 4 kHz and high-passed at 250 Hz into ring buffers; the reference's
 *    20 ms energy drives an activity gate (absolute floor plus an adaptive noise floor). Nothing is
 *    evaluated unless the supervisor talked for at least half a window within the searched span and at
 *    least a quarter hop of new reference speech arrived since the last evaluation.
 * 2. Every hop, a generalised cross-correlation over the last `windowMs` of observed audio against the reference over
 *    `windowMs + maxDelayMs` (band 250..1900 Hz), see GccPhat: the cross-spectrum is averaged coherently
 *    over a short memory (`coherentSmoothing` per evaluation), each window's bins divided by the observed power
 *    around them (searchWhitening 'observed', session 13: bins and windows where the agent's voice is weak
 *    against the whisper count more; before: PHAT-beta, each window weighted by 1/sqrt(Ex Ey)), and the envelope of its correlation is
 *    accumulated in the lag domain, max-filtered between evaluations by the drift the path may have made
 *    since (`driftMsPerS` x call time, at most `maxSpreadMs`). The accumulator takes in an evaluation, and
 *    forgets, in proportion to the new reference speech since the last evaluation (smoothing^fraction):
 *    sparse words accumulate evidence instead of being diluted by windows that hold little of them.
 *    Session 16 (`searchTimeWhitening`, `searchRefFloor`): the search reads the observed stream scaled to one power
 *    per 20 ms block (a copy; the fits read the stream as it is), so the blocks where the agent is quiet and the leak
 *    stands alone count as much in a window's cross-spectrum as the blocks where the agent talks over it; a block's
 *    power is floored at a fraction of the whisper's level, so a block quieter than any leak could be (microphone and
 *    codec noise) is not lifted with it.
 *    Issue 13: averaging the cross-spectrum's phase over seconds cancelled the peak when the path delay
 *    drifted by a ms or two (a jitter buffer stretching); the envelope does not depend on the fine phase.
 *    The winning delay and its peak z-score (PSR: peak minus mean over the std of the other lags) give
 *    the per-evaluation result; confidence is the PSR mapped linearly from `psrLow` (0) to `psrHigh` (1).
 * 3. Level (LeakLevel): weighted least-squares gain g = sum y x_d / sum x_d^2 over 40 ms chunks, each
 *    weighted by 1/residual power, for every lag within +-clusterMs of the delay (a leak's early
 *    response is a few taps: direct path, reflections, codec shifts), keeping the best-correlated lag (the
 *    strongest tap); re-initialised from the buffered ~1.2 s when the search finds a delay outside that
 *    span, then updated each evaluation. The agent's own speech is uncorrelated with the reference, so
 *    double talk adds variance, not bias. With a reverberant path this is the strongest early tap's
 *    coupling; through G.729/Opus it reads low by the codecs' incoherent noise (levelOffsetDb).
 * 4. False-alarm guard (session 7: evidence mode, the default): a delay is nominated when
 *    `consistency.need` (1) of the last `consistency.of` (4) evaluations have confidence >= minConfidence (0)
 *    and a delay in the same cluster (within `clusterMs`: whichever tap of the early response wins) (or,
 *    fast path, the last two evaluations at PSR >= fastPsr in the same cluster). A nominated delay gets a
 *    least-squares fit (LeakLevel) unless one of the `levelSlots` (2) fits already tracks that cluster; a
 *    new one replaces the least significant fit, so evidence at the true delay is not thrown away when the
 *    search's vote wanders to a noise peak for a while. A fit detects when it is significant
 *    (minSignificance) and reaches half that significance within `tieMs` of a delay the search voted for
 *    with confidence in the last `consistency.of` evaluations: two independent guards that must agree. The fits follow a
 *    drifting delay (levelFollowMs, see LeakLevel). `alarm` = detected && levelDb >= thresholdDb.
 *    Session 12: every evaluation nominates (1 of 4 at confidence 0; before: 2 of 4 at 0.5), so a fit starts at
 *    the first evaluation that hears the leak, and the fits carry the whole false-alarm guard: minSignificance
 *    12 (was 10), and startDetectSignificance 18 (was 13) until a fit has had startDetectUpdates (2, was 1)
 *    updates, calibrated on 100 h of no-leak calls and 50 h with a -50 dB leak
 *    (bench/bleed/eval-results-2026-12-07-session12.md). A fit started by that weak vote is moved when a
 *    confident nomination (confidentNomination: the old 2 of 4 at 0.5) lands in its cluster outside its span.
 *    Session 9 (the 100 h no-leak calibration, bench/bleed/eval-results-2026-12-06-session9.md): a fit starts
 *    with 1 / observed-power chunk weights (fitStartWeights), and a fit that has just started detects only at
 *    startDetectSignificance or once it is still significant after its first update (session 12: second): most no-leak trips
 *    were a second or so of two voices correlating by chance, seen the moment a fit started on it.
 *    Session 16 lowered that threshold to 13; session 17 (the bench's field loss model) added that such a young
 *    fit's search peak must have stood at PSR >= startDetectPsr (4): a chance fit at 14.6 on a peak at PSR 2.3.
 *    (evidence: false = the rule before session 7: one fit, and every detection needs the vote to hold at
 *    that evaluation.)
 * 5. The search starts at `minDelayMs` (20 ms): an acoustic leak passes the agent phone's playout and
 *    capture packetisation; correlation near zero delay (two talkers saying the same words at once, in
 *    the synthetic corpus) is not a leak path, and a digital copy is DigitalLeakCheck's business. The GCC
 *    whitening is PHAT-beta with beta 0.75 (bins keep a little of their strength).
 *    Session 7 tuning (bench/bleed-eval.bench.ts, tuning part only): bench/bleed/eval-results-2026-12-06-session7.md.
 *
 * Units: levelDb is 20 log10 g (dB relative to the whisper level; -120 when nothing is detected),
 * delayMs is the path delay in ms (-1 when nothing is detected), confidence 0..1 of the latest evaluation.
 * Zero allocation per frame.
 */
import { Decimator } from './decimator';
import { GccPhat } from './gccPhat';
import { LeakLevel } from './leakLevel';

export type BleedInputRate = 8000 | 16000 | 48000;

export interface BleedDetectorOptions {
  sampleRate: BleedInputRate;
  /** Longest leak-path delay searched, ms (default 500). */
  maxDelayMs?: number;
  /**
   * Shortest leak-path delay searched, ms (default 20). An acoustic leak comes back through the agent phone's
   * playout (jitter buffer) and capture packetisation, never within a frame or two; a copy at ~0 delay is
   * the digital check's business (DigitalLeakCheck).
   */
  minDelayMs?: number;
  /** Alarm when the measured bleed is at least this loud relative to the whisper, dB (default -25). */
  thresholdDb?: number;
  /**
   * Observed-signal window per evaluation, ms (default 384 since session 14; 512 before). A shorter window makes
   * consecutive evaluations (every hopMs) share less audio and lets the first evaluation come after half of it
   * (192 ms of whisper speech); tuning part: 178 instead of 171 -20 dB runs within 2 s, calibrated clean
   * (bench/bleed/eval-results-2026-12-07-session13.md, step 2). Session 13 held it back for a CPU reading (~0.40 ms
   * per call-second at 48 kHz) that session 14 traced to the machine: the minimum of 40 passes is the same as at
   * 512 ms within 0.01 ms (bench/bleed/eval-results-2026-12-07-session14.md). Below ~300 ms the ring halves and a
   * fit starts on 0.2 s of history, not 1.2 s.
   */
  windowMs?: number;
  /** Time between evaluations while the supervisor talks, ms (default 250). */
  hopMs?: number;
  /** How many of the recent evaluations must agree on the delay (default 1 of 4; 2 of 4 in sessions 7-11, 3 of 4 before). */
  consistency?: { need: number; of: number };
  /** Minimum per-evaluation confidence to count toward consistency (default 0; 0.5 in sessions 7-11). */
  minConfidence?: number;
  /** Least lag span of the level fit and the delay agreement, ms (default 2; clusterMs is used if larger). */
  lagToleranceMs?: number;
  /**
   * Evaluations agree when their delays lie within this many ms (default 10): a leak's early response
   * (direct path and reflections a few ms apart, codec shifts, a drifting delay) is one cluster, whichever
   * of its taps wins an evaluation. The level fit searches the same span around the delay.
   */
  clusterMs?: number;
  /**
   * The least-squares fit searches +-levelSpanMs around the delay where it started (default 4; it restarts
   * only when the search's delay leaves the cluster), and must also reach half minSignificance within
   * tieMs (default 4) of a delay the search voted for.
   */
  levelSpanMs?: number;
  tieMs?: number;
  /**
   * Drift of the path delay the delay search follows, ms per second of call time (default 0.5): the
   * lag-domain evidence is widened by this much times the call time since the last evaluation, capped at
   * maxSpreadMs (default 0.5) per evaluation (wider costs false-alarm margin: noise peaks widen too).
   */
  driftMsPerS?: number;
  maxSpreadMs?: number;
  /**
   * How the delay search weights the cross-spectrum (default 'observed', session 13): 'observed' divides each
   * window's bins by the observed power around them (GccPhat observedHalfBins, +-4 Hz; floor 1 % of the band's
   * mean), so bins and windows count by how much of the whisper they can hold against the agent's voice;
   * 'phat' the PHAT-beta whitening of sessions 7-12 (phatBeta).
   */
  searchWhitening?: 'observed' | 'phat';
  /**
   * Time whitening of the delay search (default true since session 16): the search reads the observed stream with
   * each 20 ms block scaled to one power (1 / sqrt(block power + floor)); false: the stream as received (sessions 7-14).
   * Within a 384 ms window the agent's loud blocks dominated the cross-spectrum and the observed power it is divided
   * by, while the blocks where the agent pauses — where a leak stands alone — counted little; an ideal fit weighting
   * each 40 ms chunk by its power reaches the fits' threshold within 2 s in 264 of 270 held-out -20 dB runs
   * (bench/bleed/fit-bound.ts). Tuning part, without searchRefFloor: 192 instead of 178 runs within 2 s (10 / 40 ms
   * blocks: 191 / 189; bench/bleed/eval-results-2026-12-07-session15.md); held-out with it (0.3): 211 instead of 191,
   * -30 dB p95 7.58 s instead of 8.72 (bench/bleed/eval-results-2026-12-07-session16.md).
   */
  searchTimeWhitening?: boolean;
  /**
   * Floor of a block's power in the time whitening (default 0.3), as a fraction of the whisper's mean power over the
   * searched delays before the block: a block quieter than a leak could be is lifted only down to where a leak could
   * still stand out, instead of to one power with the agent's loud blocks (reasoned, not measured apart: at -30 dB
   * such a block holds mostly microphone and codec noise). 0: the fixed floor only. Tuning part, -20 / -30 dB runs
   * within 2 / 10 s (bench/bleed/diag.ts): 0 192 / 239, 0.3 194 / 252, time whitening off 178 / 251;
   * bench/bleed/eval-results-2026-12-07-session16.md.
   */
  searchRefFloor?: number;
  /** GCC whitening exponent with searchWhitening 'phat' (default 0.75, computed with square roots; 1 = PHAT; see GccPhat beta). */
  phatBeta?: number;
  /** Forgetting factor of the short coherent cross-spectrum average per evaluation (default 0.8). */
  coherentSmoothing?: number;
  /**
   * PSR (a z-score of the lag-domain accumulator's peak) mapped to confidence 0 and 1 (defaults 5 and 9;
   * with minConfidence 0.5 an evaluation counts from PSR 7; no-leak double talk: median ~4, 99th pct ~7.5).
   */
  psrLow?: number;
  psrHigh?: number;
  /** Two consecutive evaluations at or above this PSR, same delay, detect at once (default 1.5 x psrHigh). */
  fastPsr?: number;
  /**
   * Minimum significance of the least-squares fit at the candidate delay (|num|/sqrt(den), see LeakLevel;
   * default 12; 10 in sessions 7-11). Chance lags ~2; two talkers saying the same words (same synthesizer, same text) reached
   * 8.7 once in the tuning corpus; true -20 dB leaks 15..90 (lower while the delay drifts).
   */
  minSignificance?: number;
  /** Lag-domain envelope accumulator forgetting factor per hop of new reference speech (default 0.8). */
  smoothing?: number;
  /** Forgetting factor per evaluation of the fits' sums that their significance and best lag come from (default 0.9). */
  levelSmoothing?: number;
  /**
   * Forgetting factor per evaluation of the sums the level (gain at the best lag) is read from (default 0.5,
   * session 12; before: the same sums as the significance, 0.9). A drifting path smears ~2.5 s of sums over
   * several lags and the level read low (the tuning part's "detected, level too low" misses: 15 with 0.9, 3 with
   * 0.5); the significance keeps the longer memory, so what detects is unchanged. Equal to levelSmoothing: one
   * set of sums, the rule before.
   */
  gainSmoothing?: number;
  /**
   * The short memory's level is used only when its own significance (|num|/sqrt(den) of those sums) reaches
   * this (default 8); below it the long memory's level. Session 12's -50 dB calibration: a quarter second with
   * little whisper gives the short sums a small den and a wild gain (a -50 dB path read at -21.9 dB, its own
   * significance 4.6).
   */
  gainMinSignificance?: number;
  /**
   * Where a fit's gain is interpolated parabolically over the best lag and its neighbours (default 'peak', session
   * 13: only where the gain profile peaks at the best lag; 'always': sessions 7-12). The best lag is the most
   * significant one; where a neighbour's gain is higher the vertex lies outside the three lags and runs away
   * (session 13's -50 dB calibration: a -50 dB path read at -6.4 dB).
   */
  gainInterpolation?: 'peak' | 'always';
  /**
   * Evidence mode (session 7; default true; false = the consistency vote gates every detection). When true, the
   * least-squares fits are the evidence: up to `levelSlots` delays are fitted at once and keep their sums
   * while the search's vote wanders (a new delay replaces the least significant fit), a delay is
   * nominated by the consistency vote or by the search's peak staying in one cluster on two evaluations
   * in a row at PSR >= nominatePsr, and a fit is a detection when it is significant (minSignificance)
   * and ties to a delay the search voted for within the last `consistency.of` evaluations.
   */
  evidence?: boolean;
  /** Evidence mode: a fit may tie to any recent vote (true) or only to confident ones (default false). */
  tieAnyVote?: boolean;
  /** Evidence mode: how many delays are fitted at once (default 2). */
  levelSlots?: number;
  /** Evidence mode: the search's peak nominates a delay at this PSR on two evaluations in a row in one cluster (default: never). */
  nominatePsr?: number;
  /**
   * The level fit follows a drifting path delay by moving its old sums up to this many ms per evaluation
   * (default 0.5; 0 = fixed lags; see LeakLevel).
   */
  levelFollowMs?: number;
  /**
   * Added to the measured level, dB (default 0). Non-waveform codecs in the loop (G.729, Opus) make part
   * of the leak incoherent with the reference, so the measurement reads low; the caller may compensate
   * from the negotiated codecs (bench/bleed.bench.ts measures the offsets).
   */
  levelOffsetDb?: number;
  /** Reference activity floor, dBFS RMS over 20 ms (default -50). */
  activityFloorDbfs?: number;
  /**
   * Chunk weights of a least-squares fit's first pass when it starts at a new delay (see LeakLevel.start):
   * 'observed' (default, session 9) 1 / observed power; 'residual' (before) 1 / the residual of a gain
   * fitted on the same audio, which inflated the significance of chance correlations.
   */
  fitStartWeights?: 'observed' | 'residual';
  /**
   * Evidence mode: a fit that has just started (on the buffered ~1.2 s, no update with new audio yet) detects
   * only at this significance or more (default 13 since session 16; 18 in sessions 12-15, 13 in sessions 9-11); below
   * it, it must still be significant after its first update (~250 ms later). A short stretch of two voices can
   * correlate by chance; a leak keeps correlating. Session 16: with the time-whitened search the most significant
   * chance fit of any age in 100 h of no-leak calls is 11.5 (the search of sessions 14-15: 14.6); at 18
   * an ideal fit at the true path reaches it within 2 s in 240 of 270 held-out runs, at 12 in 264
   * (bench/bleed/fit-bound.ts). (<= minSignificance: no such wait, the rule before session 9.)
   */
  startDetectSignificance?: number;
  /**
   * Evidence mode: a young fit (fewer than startDetectUpdates updates) detects only when the search's peak that
   * started it stood at this PSR or more (default 4; 0: no such condition, the rule before session 17). Session 17,
   * with the bench's field loss model: in 100 h of no-leak calls a young fit reached 14.6 on a peak at PSR 2.3 (a
   * chance correlation of two voices, level read -0.6 dB) and would have alarmed; the young fits that tear a leak down
   * start on peaks at 4 or more (the tuning part's 540 runs: 9 alarm times move later, none across 2 s at -20 dB or
   * 10 s at -30 dB).
   */
  startDetectPsr?: number;
  /**
   * Evidence mode: how many updates with new audio a fit must have had before it detects below
   * startDetectSignificance (default 2; 1 in sessions 9-11). Session 12's 50 h with a -50 dB leak: a fit that
   * started at significance 4.8 reached 13.3 on its first update (a quarter second of two voices correlating
   * by chance) and fell to 10.2 on the next; a leak keeps correlating.
   */
  startDetectUpdates?: number;
  /**
   * Evidence mode: a confident nomination — `need` of the last `consistency.of` evaluations at confidence >=
   * `minConfidence` in one cluster (default 2 at 0.5: the nomination rule of sessions 7-11) — moves a fit that
   * a weaker nomination started in the same cluster when the delay lies outside that fit's span
   * (+-levelSpanMs): the weak vote (default: every evaluation, `consistency` 1 of 4 at confidence 0) starts
   * fits early, often on a reflection a few ms after the direct path, and a fit searches only its own span
   * (session 12). need 0: off.
   */
  confidentNomination?: { need: number; minConfidence: number };
}

/** Decimated working rate. */
const WORK_RATE = 4000;
/** Both streams are high-passed here after decimation (codecs and headsets cut below it). */
const LOW_CUT_HZ = 250;
/** Activity blocks of 20 ms at the working rate. */
const BLOCK = 80;
/** Largest input chunk decimated at once (bounds the scratch buffer). */
const CHUNK_OUT = 1024;
/** Least-squares level chunk (40 ms at 4 kHz) and the power floor of its weight (int16 units squared). */
const LEVEL_CHUNK = 160;
const LEVEL_POWER_FLOOR = 100;
/** Observed whitening of the delay search: the observed power is averaged over +-this many Hz around a bin ... */
const SEARCH_OBSERVED_HALF_HZ = 4;
/** ... plus this fraction of the band's mean observed power (a quiet band's bins are not blown up). */
const SEARCH_OBSERVED_FLOOR = 0.01;
/** Time whitening of the search: each block of the observed copy gets this RMS (int16 units) ... */
const SEARCH_BLOCK_RMS = 1000;
/** ... over its power plus this floor (int16 units squared, like LEVEL_POWER_FLOOR) ... */
const SEARCH_BLOCK_FLOOR = 100;
/** ... plus searchRefFloor times the whisper's mean power over the searched delays (session 16's default). */
const SEARCH_REF_FLOOR = 0.3;
/** That mean reads every 4th reference sample (a level, not a waveform), summed per 20 ms block once. */
const SEARCH_REF_STRIDE = 4;
export const LEVEL_NONE_DB = -120;

export class BleedDetector {
  private readonly st = {
    levelDb: LEVEL_NONE_DB,
    delayMs: -1,
    confidence: 0,
    detected: false,
    alarm: false,
    evaluations: 0,
    alarmEvaluations: 0,
    psr: 0,
  };

  /** Bleed level relative to the whisper, dB (direct path at the detected delay); -120 if none detected. */
  get levelDb(): number {
    return this.st.levelDb;
  }
  /** Delay of the detected leak path, ms; -1 if none detected. */
  get delayMs(): number {
    return this.st.delayMs;
  }
  /** Confidence of the latest evaluation, 0..1 (from its peak-to-noise ratio). */
  get confidence(): number {
    return this.st.confidence;
  }
  /** The consistency rule holds: a leak path is detected (at any level). */
  get detected(): boolean {
    return this.st.detected;
  }
  /** The failsafe condition: detected and levelDb >= thresholdDb (as of the latest evaluation). */
  get alarm(): boolean {
    return this.st.alarm;
  }
  /** Windows evaluated so far (only while the supervisor talks). */
  get evaluations(): number {
    return this.st.evaluations;
  }
  /** Evaluations that ended with the alarm condition true. */
  get alarmEvaluations(): number {
    return this.st.alarmEvaluations;
  }
  /** Significance of the level estimate at the tracked delay (diagnostics; see LeakLevel). */
  get levelSignificance(): number {
    return this.level.significance;
  }
  /** Peak-to-noise ratio of the latest evaluation (diagnostics). */
  get psr(): number {
    return this.st.psr;
  }

  readonly sampleRate: BleedInputRate;
  readonly thresholdDb: number;
  private readonly factor: number;
  private readonly W: number;
  private readonly L: number;
  private readonly hop: number;
  private readonly need: number;
  private readonly of: number;
  private readonly minConfidence: number;
  private readonly cluster: number;
  private readonly tie: number;
  private readonly driftPerSample: number;
  private readonly maxSpread: number;
  /** Working-rate samples of call time since the last evaluation (idle time included). */
  private elapsed = 0;
  private readonly psrLow: number;
  private readonly psrHigh: number;
  private readonly fastPsr: number;
  private readonly minSignificance: number;
  private readonly activityFloor: number;
  private readonly smoothing: number;

  private readonly decRef: Decimator;
  private readonly decObs: Decimator;
  private readonly scratchRef: Float64Array;
  private readonly scratchObs: Float64Array;
  private readonly ringRef: Float32Array;
  private readonly ringObs: Float32Array;
  /** The search's copy of the observed stream, one power per block (searchTimeWhitening); null = off. */
  private readonly ringObsSearch: Float32Array | null;
  /** Observed samples before this position are in ringObsSearch (a whole number of blocks; the partial block after it is redone). */
  private searchScaledTo = 0;
  /** searchRefFloor (0 = off). */
  private readonly refFloor: number;
  /** A block's floor reads the reference blocks [block - refBlocksFrom, block - refBlocksTo): the searched delays in whole blocks. */
  private readonly refBlocksFrom: number;
  private readonly refBlocksTo: number;
  /** The number of reference samples a block's floor is the mean of. */
  private readonly refFloorReads: number;
  /** Reference power per 20 ms block (every SEARCH_REF_STRIDE-th sample), a ring indexed by absolute block number. */
  private readonly refBlockPower: Float64Array;
  /** The next absolute block whose reference power is not yet in refBlockPower. */
  private refPowerNext = 0;
  private readonly mask: number;
  /** Total decimated samples written (ring write position = written & mask). */
  private written = 0;
  private readonly gcc: GccPhat;

  // Activity gate: per-block flags over the searched span.
  private readonly blockFlags: Uint8Array;
  private blockIdx = 0;
  private activeBlocks = 0;
  private blockFill = 0;
  private blockEnergy = 0;
  private noiseFloor = 0;
  private readonly spanBlocks: number;
  private readonly minActiveBlocks: number;
  private sinceHop = 0;
  /** Active reference blocks closed since the last evaluation (evidence-proportional forgetting). */
  private newActive = 0;
  private readonly hopBlocks: number;
  private readonly minNewBlocks: number;
  /** Consecutive quiet reference blocks; after idleBlocks (the searched span and a margin) the detector idles. */
  private quietBlocks = 0;
  private readonly idleBlocks: number;
  private idle = false;
  /** A reference sample beyond this (int16) ends the idle state. */
  private readonly wakeAmp: number;

  // Consistency history.
  private readonly histLag: Int32Array;
  private readonly histOk: Uint8Array;
  /** 1 where the evaluation's confidence reached confidentNomination.minConfidence. */
  private readonly histStrong: Uint8Array;
  private readonly histPsr: Float64Array;
  private histHead = 0;
  // Level accumulators at the current delay.
  private readonly level: LeakLevel;
  /** Evidence mode: all fits (levels[0] === level). */
  private readonly levels: LeakLevel[];
  private readonly evidence: boolean;
  private readonly tieAnyVote: boolean;
  private readonly nominatePsr: number;
  private readonly startDetectSignificance: number;
  private readonly startDetectUpdates: number;
  private readonly startDetectPsr: number;
  /** Per fit: the search's PSR at the evaluation that started it. */
  private readonly startPsr: Float64Array;
  private readonly confidentNeed: number;
  private readonly confidentMin: number;
  /** Per fit: 1 when a confident nomination started it (a weaker one may be moved, see confidentNomination). */
  private readonly startedConfident: Uint8Array;
  private prevLag = -1;
  private readonly levelOffsetDb: number;
  /** Decimated samples not yet used by the level estimate. */
  private sinceLastEval = 0;
  /** Observed samples usable for a level re-initialisation (ring minus the delay span and one chunk), whole level chunks. */
  private readonly historySpan: number;

  constructor(opts: BleedDetectorOptions) {
    const rate = opts.sampleRate;
    if (rate !== 8000 && rate !== 16000 && rate !== 48000) throw new RangeError(`BleedDetector: unsupported rate ${String(rate)}`);
    this.sampleRate = rate;
    this.factor = rate / WORK_RATE;
    const ms = WORK_RATE / 1000;
    this.W = Math.round((opts.windowMs ?? 384) * ms);
    this.L = Math.round((opts.maxDelayMs ?? 500) * ms);
    this.hop = Math.max(BLOCK, Math.round((opts.hopMs ?? 250) * ms));
    this.thresholdDb = opts.thresholdDb ?? -25;
    this.need = opts.consistency?.need ?? 1;
    this.of = opts.consistency?.of ?? 4;
    if (this.need < 1 || this.need > this.of) throw new RangeError('BleedDetector: consistency.need must be 1..of');
    this.minConfidence = opts.minConfidence ?? 0;
    const lagTol = Math.round((opts.lagToleranceMs ?? 2) * ms);
    this.cluster = Math.max(lagTol, Math.round((opts.clusterMs ?? 10) * ms));
    this.tie = (opts.tieMs ?? 4) * ms;
    this.driftPerSample = ((opts.driftMsPerS ?? 0.5) * ms) / WORK_RATE;
    this.maxSpread = (opts.maxSpreadMs ?? 0.5) * ms;
    this.psrLow = opts.psrLow ?? 5;
    this.psrHigh = opts.psrHigh ?? 9;
    this.fastPsr = opts.fastPsr ?? 1.5 * this.psrHigh;
    this.minSignificance = opts.minSignificance ?? 12;
    const floorAmp = 32768 * Math.pow(10, (opts.activityFloorDbfs ?? -50) / 20);
    this.activityFloor = floorAmp * floorAmp;

    // Decimation and the 250 Hz high-pass in one native call per frame (Decimator highPassHz).
    this.decRef = new Decimator(rate, WORK_RATE, { highPassHz: LOW_CUT_HZ });
    this.decObs = new Decimator(rate, WORK_RATE, { highPassHz: LOW_CUT_HZ });
    this.scratchRef = new Float64Array(CHUNK_OUT);
    this.scratchObs = new Float64Array(CHUNK_OUT);
    let ring = 1;
    while (ring < this.W + this.L + CHUNK_OUT) ring <<= 1;
    this.ringRef = new Float32Array(ring);
    this.ringObs = new Float32Array(ring);
    this.ringObsSearch = (opts.searchTimeWhitening ?? true) ? new Float32Array(ring) : null;
    this.mask = ring - 1;
    const minLag = Math.min(this.L, Math.max(0, Math.round((opts.minDelayMs ?? 20) * ms)));
    const refFloor = opts.searchRefFloor ?? SEARCH_REF_FLOOR;
    if (!(refFloor >= 0)) throw new RangeError('BleedDetector: searchRefFloor must be >= 0');
    this.refBlocksFrom = Math.ceil(this.L / BLOCK);
    this.refBlocksTo = Math.ceil(minLag / BLOCK);
    this.refFloorReads = (this.refBlocksFrom - this.refBlocksTo) * (BLOCK / SEARCH_REF_STRIDE);
    this.refFloor = this.refFloorReads > 0 ? refFloor : 0;
    this.refBlockPower = new Float64Array(this.refBlocksFrom + 2);
    const levelSpan = Math.max(lagTol, Math.round((opts.levelSpanMs ?? 4) * ms));
    const historySpan = ring - this.L - CHUNK_OUT - LEVEL_CHUNK - levelSpan;
    this.historySpan = historySpan - (historySpan % LEVEL_CHUNK);
    const newLevel = (): LeakLevel => new LeakLevel(levelSpan, LEVEL_CHUNK, LEVEL_POWER_FLOOR, opts.levelSmoothing ?? 0.9, Math.round((opts.levelFollowMs ?? 0.5) * ms), 4, opts.fitStartWeights ?? 'observed', opts.gainSmoothing ?? 0.5, opts.gainMinSignificance ?? 8, opts.gainInterpolation ?? 'peak');
    this.level = newLevel();
    this.levelOffsetDb = opts.levelOffsetDb ?? 0;
    this.evidence = opts.evidence ?? true;
    this.tieAnyVote = opts.tieAnyVote ?? false;
    this.nominatePsr = opts.nominatePsr ?? Infinity;
    this.startDetectSignificance = opts.startDetectSignificance ?? 13;
    this.startDetectUpdates = opts.startDetectUpdates ?? 2;
    this.startDetectPsr = opts.startDetectPsr ?? 4;
    this.confidentNeed = opts.confidentNomination?.need ?? 2;
    this.confidentMin = opts.confidentNomination?.minConfidence ?? 0.5;
    if (this.confidentNeed < 0 || this.confidentNeed > this.of) throw new RangeError('BleedDetector: confidentNomination.need must be 0..consistency.of');
    const slots = this.evidence ? Math.max(1, opts.levelSlots ?? 2) : 1;
    this.levels = [this.level];
    for (let i = 1; i < slots; i++) this.levels.push(newLevel());
    this.startedConfident = new Uint8Array(slots);
    this.startPsr = new Float64Array(slots);
    let size = 1;
    while (size < this.W + this.L) size <<= 1;
    const binHz = WORK_RATE / size;
    this.gcc = new GccPhat({
      size,
      window: this.W,
      maxLag: this.L,
      binLo: Math.ceil(250 / binHz),
      binHi: Math.floor(1900 / binHz),
      coherent: opts.coherentSmoothing ?? 0.8,
      excludeAfter: Math.round(100 * ms),
      excludeBefore: Math.round(2.5 * ms),
      beta: opts.phatBeta ?? 0.75,
      minLag,
      observedHalfBins: (opts.searchWhitening ?? 'observed') === 'observed' ? Math.max(1, Math.round(SEARCH_OBSERVED_HALF_HZ / binHz)) : 0,
      observedFloor: SEARCH_OBSERVED_FLOOR,
    });
    this.spanBlocks = Math.ceil((this.W + this.L) / BLOCK);
    this.minActiveBlocks = Math.ceil(this.W / BLOCK / 2);
    this.hopBlocks = this.hop / BLOCK;
    this.minNewBlocks = Math.max(1, Math.round(this.hopBlocks / 4));
    this.idleBlocks = this.spanBlocks + 2;
    this.wakeAmp = 2 * floorAmp;
    this.smoothing = opts.smoothing ?? 0.8;
    this.blockFlags = new Uint8Array(this.spanBlocks);
    this.histLag = new Int32Array(this.of);
    this.histOk = new Uint8Array(this.of);
    this.histStrong = new Uint8Array(this.of);
    this.histPsr = new Float64Array(this.of);
  }

  /**
   * Feed one frame (normally 20 ms): reference[refOffset ..] is the supervisor's contribution as delivered
   * to the agent in this frame, observed[obsOffset ..] the audio received from the agent at the same
   * wall-clock time; `samples` at the configured input rate for both.
   */
  process(reference: Int16Array, refOffset: number, observed: Int16Array, obsOffset: number, samples: number): void {
    const maxIn = CHUNK_OUT * this.factor;
    while (samples > 0) {
      if (this.idle) {
        // Idle (the whisper has been silent for longer than the searched span): nothing in the rings can
        // matter to a later evaluation, so neither stream is decimated until a reference sample is loud.
        const wake = this.wakeAmp;
        let i = 0;
        while (i < samples) {
          const v = reference[refOffset + i];
          if (v > wake || v < -wake) break;
          i++;
        }
        refOffset += i;
        obsOffset += i;
        this.elapsed += i / this.factor;
        samples -= i;
        if (samples === 0) break;
        this.idle = false;
        this.quietBlocks = 0;
        this.decRef.reset();
        this.decObs.reset();
      }
      let n = samples < maxIn ? samples : maxIn;
      // Stop at the end of the decimation phase where the detector may go idle (checked per block).
      if (this.quietBlocks >= this.idleBlocks) {
        this.idle = true;
        continue;
      }
      // Inputs until the block that could complete the quiet run closes (exactly: the answer must not
      // depend on how the caller splits the audio).
      const left = ((this.idleBlocks - this.quietBlocks) * BLOCK - this.blockFill) * this.factor - this.decRef.pending;
      if (n > left) n = left;
      const got = this.decRef.process(reference, refOffset, n, this.scratchRef, 0);
      this.decObs.process(observed, obsOffset, n, this.scratchObs, 0);
      this.ingest(got);
      refOffset += n;
      obsOffset += n;
      samples -= n;
    }
  }

  reset(): void {
    this.decRef.reset();
    this.decObs.reset();
    this.ringRef.fill(0);
    this.ringObs.fill(0);
    this.written = 0;
    this.gcc.reset();
    this.ringObsSearch?.fill(0);
    this.searchScaledTo = 0;
    this.refBlockPower.fill(0);
    this.refPowerNext = 0;
    this.blockFlags.fill(0);
    this.blockIdx = 0;
    this.activeBlocks = 0;
    this.blockFill = 0;
    this.blockEnergy = 0;
    this.noiseFloor = 0;
    this.sinceHop = 0;
    this.elapsed = 0;
    this.newActive = 0;
    this.quietBlocks = 0;
    this.idle = false;
    this.histLag.fill(0);
    this.histOk.fill(0);
    this.histStrong.fill(0);
    this.histPsr.fill(0);
    this.histHead = 0;
    for (const l of this.levels) l.reset();
    this.startedConfident.fill(0);
    this.startPsr.fill(0);
    this.prevLag = -1;
    this.sinceLastEval = 0;
    this.st.levelDb = LEVEL_NONE_DB;
    this.st.delayMs = -1;
    this.st.confidence = 0;
    this.st.detected = false;
    this.st.alarm = false;
    this.st.evaluations = 0;
    this.st.alarmEvaluations = 0;
    this.st.psr = 0;
  }

  /**
   * Append `n` decimated samples from the scratch buffers; run the gate and, on a hop, an evaluation.
   * In runs of samples that cannot close a block or start an evaluation (the hop counter or the filled
   * window reaching their mark, or a block closing, end a run; the gate's other inputs change only when a
   * block closes): the same sums in the same order as a per-sample check, with the state in locals.
   */
  private ingest(n: number): void {
    const mask = this.mask;
    const sr = this.scratchRef;
    const so = this.scratchObs;
    const rr = this.ringRef;
    const ro = this.ringObs;
    let i = 0;
    while (i < n) {
      let run = n - i;
      const toBlock = BLOCK - this.blockFill;
      if (run > toBlock) run = toBlock;
      if (this.sinceHop < this.hop && run > this.hop - this.sinceHop) run = this.hop - this.sinceHop;
      if (this.written < this.W && run > this.W - this.written) run = this.W - this.written;
      const end = i + run;
      let w = this.written;
      let e = this.blockEnergy;
      // elapsed may hold a fraction (idle time at the input rate): count it up one by one, as before.
      let el = this.elapsed;
      for (; i < end; i++, w++) {
        const r = sr[i]!;
        rr[w & mask] = r;
        ro[w & mask] = so[i]!;
        e += r * r;
        el++;
      }
      this.written = w;
      this.blockEnergy = e;
      this.elapsed = el;
      this.blockFill += run;
      this.sinceLastEval += run;
      this.sinceHop += run;
      if (this.blockFill === BLOCK) this.closeBlock();
      if (this.sinceHop >= this.hop && this.written >= this.W && this.activeBlocks >= this.minActiveBlocks && this.newActive >= this.minNewBlocks) {
        this.sinceHop = 0;
        this.evaluate();
      }
    }
  }

  /** Classify the finished 20 ms block of reference audio as talk or not. */
  private closeBlock(): void {
    const e = this.blockEnergy / BLOCK;
    this.blockEnergy = 0;
    this.blockFill = 0;
    // Noise floor: follows drops at once, rises by ~2 dB/s.
    if (this.noiseFloor === 0 || e < this.noiseFloor) this.noiseFloor = e > 1 ? e : 1;
    else this.noiseFloor *= 1.01;
    const active = e > this.activityFloor && e > 8 * this.noiseFloor ? 1 : 0;
    this.quietBlocks = active === 1 ? 0 : this.quietBlocks + 1;
    const idx = this.blockIdx;
    this.activeBlocks += active - this.blockFlags[idx];
    this.blockFlags[idx] = active;
    this.newActive += active;
    this.blockIdx = idx + 1 === this.spanBlocks ? 0 : idx + 1;
  }

  private evaluate(): void {
    const mask = this.mask;
    const end = this.written;
    // The window enters the average (and the average forgets) in proportion to the reference speech
    // that arrived since the last evaluation: sparse words accumulate instead of being diluted by
    // windows that hold little of them.
    let fr = this.newActive / this.hopBlocks;
    if (fr > 1) fr = 1;
    this.newActive = 0;
    let spread = this.elapsed * this.driftPerSample;
    if (spread > this.maxSpread) spread = this.maxSpread;
    this.elapsed = 0;
    // x: reference over [end - W - L, end); y: observed over [end - W, end) (GccPhat reads them out of the rings).
    if (this.ringObsSearch !== null) this.whitenSearchInTime(end);
    this.gcc.evaluate(this.ringRef, this.ringObsSearch ?? this.ringObs, mask, end, Math.pow(this.smoothing, fr), spread);
    const lag = this.gcc.delay;
    const psr = this.gcc.psr;
    this.st.psr = psr;
    this.st.evaluations++;
    let conf = (psr - this.psrLow) / (this.psrHigh - this.psrLow);
    conf = conf < 0 ? 0 : conf > 1 ? 1 : conf;
    this.st.confidence = conf;

    // Consistency over the last `of` evaluations, around this evaluation's delay.
    const tol = this.cluster;
    const head = this.histHead;
    this.histLag[head] = lag;
    this.histOk[head] = conf >= this.minConfidence ? 1 : 0;
    this.histStrong[head] = conf >= this.confidentMin ? 1 : 0;
    this.histHead = head + 1 === this.of ? 0 : head + 1;
    const agree = conf >= this.minConfidence ? this.votesNear(this.histOk, lag) : 0;
    // Fast path: the previous and this evaluation both far above any noise peak, at the same delay.
    const prev = head === 0 ? this.of - 1 : head - 1;
    const fast = this.of > 1 && psr >= this.fastPsr && this.histPsr[prev] >= this.fastPsr && Math.abs(this.histLag[prev] - lag) <= tol;
    this.histPsr[head] = psr;
    // A confident nomination (evidence mode) also nominates, and may move a fit a weak one started.
    const confident = this.evidence && this.confidentNeed > 0 && conf >= this.confidentMin && this.votesNear(this.histStrong, lag) >= this.confidentNeed;
    const candidate = agree >= this.need || fast || confident;

    // Level at the candidate delay: re-initialised from all buffered history when a new delay is
    // found, otherwise updated with the whole chunks that arrived since the last evaluation.
    if (this.evidence) {
      this.decideEvidence(lag, psr, candidate, confident, end);
      return;
    }
    const lvl = this.level;
    let fresh = this.sinceLastEval - (this.sinceLastEval % LEVEL_CHUNK);
    if (fresh > this.historySpan) fresh = this.historySpan;
    if (candidate && (lvl.center < 0 || Math.abs(lag - lvl.center) > tol)) {
      lvl.start(this.ringRef, this.ringObs, mask, end, this.historySpan, lag);
      this.sinceLastEval = 0;
    } else {
      // The oldest whole chunks are used now; the newest remainder waits for the next evaluation.
      if (lvl.center >= 0 && fresh > 0) lvl.update(this.ringRef, this.ringObs, mask, end - (this.sinceLastEval - fresh), fresh);
      this.sinceLastEval -= fresh;
    }
    // Second guard: the waveform fit at that delay must be significant, not just the whitened peak.
    // ... and the fit must also hold at the delay the search voted for (within tieMs; half the
    // significance): a leak's taps show in both, while two talkers who happen to say the same words
    // correlate at scattered lags that the whitened search and the waveform fit do not share.
    let tied = false;
    if (candidate && lvl.significance >= this.minSignificance) {
      const half = 0.5 * this.minSignificance;
      if (lvl.scoreNear(lag, this.tie) >= half) tied = true;
      for (let i = 0; i < this.of && !tied; i++) {
        if (this.histOk[i] === 1 && Math.abs(this.histLag[i] - lag) <= tol && lvl.scoreNear(this.histLag[i], this.tie) >= half) tied = true;
      }
    }
    this.report(tied ? lvl : null);
  }

  /**
   * Bring the search's copy of the observed stream up to `end`: each 20 ms block (absolute positions, a multiple of
   * BLOCK) scaled to SEARCH_BLOCK_RMS, the newest partial block by its samples so far (redone at the next evaluation).
   * Only what the next window reads is scaled; ~1000 samples per evaluation.
   */
  private whitenSearchInTime(end: number): void {
    const m = this.mask;
    const ro = this.ringObs;
    const rs = this.ringObsSearch as Float32Array;
    const kRef = this.refFloor;
    let from = this.searchScaledTo;
    const oldest = end - this.W - BLOCK;
    if (from < oldest) from = oldest - (oldest % BLOCK);
    if (from < 0) from = 0;
    for (let b = from; b < end; b += BLOCK) {
      const e1 = b + BLOCK < end ? b + BLOCK : end;
      let en = 0;
      for (let t = b; t < e1; t++) en += ro[t & m] * ro[t & m];
      let fl = SEARCH_BLOCK_FLOOR;
      if (kRef > 0) fl += (kRef * this.refPowerBefore(b / BLOCK)) / this.refFloorReads;
      const sc = Math.pow(en / (e1 - b) + fl, -0.5) * SEARCH_BLOCK_RMS;
      for (let t = b; t < e1; t++) rs[t & m] = ro[t & m] * sc;
    }
    this.searchScaledTo = end - (end % BLOCK);
  }

  /**
   * The whisper's power (every SEARCH_REF_STRIDE-th sample, summed) over the reference blocks a leak heard in block
   * `block` could come from; blocks before the call's start are silence and left out. Each block's sum is taken
   * once: the blocks read end before `block`, so they are complete.
   */
  private refPowerBefore(block: number): number {
    const n = this.refBlockPower.length;
    const lo = Math.max(0, block - this.refBlocksFrom);
    const hi = block - this.refBlocksTo;
    if (this.refPowerNext < lo) this.refPowerNext = lo;
    const rr = this.ringRef;
    const m = this.mask;
    for (; this.refPowerNext < hi; this.refPowerNext++) {
      const j = this.refPowerNext;
      let p = 0;
      for (let t = j * BLOCK; t < (j + 1) * BLOCK; t += SEARCH_REF_STRIDE) p += rr[t & m] * rr[t & m];
      this.refBlockPower[j % n] = p;
    }
    let pr = 0;
    for (let j = lo; j < hi; j++) pr += this.refBlockPower[j % n];
    return pr;
  }

  /** How many of the last `of` evaluations are flagged in `flags` and voted for a delay in the cluster of `lag`. */
  private votesNear(flags: Uint8Array, lag: number): number {
    let n = 0;
    for (let i = 0; i < this.of; i++) {
      if (flags[i] === 1 && Math.abs(this.histLag[i] - lag) <= this.cluster) n++;
    }
    return n;
  }

  /** The evaluation's verdict from the fit that detects (null: none): level, delay, alarm. */
  private report(fit: LeakLevel | null): void {
    this.st.detected = fit !== null;
    if (fit !== null) {
      const g = fit.gain;
      this.st.levelDb = g > 1e-6 ? 20 * Math.log10(g) + this.levelOffsetDb : LEVEL_NONE_DB;
      this.st.delayMs = fit.delay / (WORK_RATE / 1000);
    } else {
      this.st.levelDb = LEVEL_NONE_DB;
      this.st.delayMs = -1;
    }
    this.st.alarm = this.st.detected && this.st.levelDb >= this.thresholdDb;
    if (this.st.alarm) this.st.alarmEvaluations++;
  }

  /** Evidence mode (see the `evidence` option): several persistent fits, each its own significance test. */
  private decideEvidence(lag: number, psr: number, candidate: boolean, confident: boolean, end: number): void {
    const tol = this.cluster;
    const mask = this.mask;
    const levels = this.levels;
    const nominee = candidate || (psr >= this.nominatePsr && this.prevLag >= 0 && Math.abs(lag - this.prevLag) <= tol);
    this.prevLag = lag;
    let fresh = this.sinceLastEval - (this.sinceLastEval % LEVEL_CHUNK);
    if (fresh > this.historySpan) fresh = this.historySpan;
    let near = -1;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i];
      if (l.center < 0) continue;
      // The oldest whole chunks are used now; the newest remainder waits for the next evaluation.
      if (fresh > 0) l.update(this.ringRef, this.ringObs, mask, end - (this.sinceLastEval - fresh), fresh);
      if (near < 0 && Math.abs(lag - l.center) <= tol) near = i;
    }
    this.sinceLastEval -= fresh;
    let k = -1;
    if (confident && near >= 0 && this.startedConfident[near] === 0 && !levels[near].spans(lag)) {
      // A confident delay in the cluster of a fit a weak nomination started, outside its span: move that fit.
      k = near;
    } else if (nominee && near < 0) {
      // A new delay: a free fit, else the least significant one.
      k = 0;
      let kSig = Infinity;
      for (let i = 0; i < levels.length; i++) {
        const sg = levels[i].center < 0 ? -1 : levels[i].significance;
        if (sg < kSig) {
          kSig = sg;
          k = i;
        }
      }
    }
    if (k >= 0) {
      levels[k].start(this.ringRef, this.ringObs, mask, end, this.historySpan, lag);
      this.startedConfident[k] = confident ? 1 : 0;
      this.startPsr[k] = psr;
      // (the other fits skip the < 1 chunk remainder the new one took in)
      this.sinceLastEval = 0;
    }
    // Detection: the most significant fit that is significant and ties to a recent vote of the search.
    const half = 0.5 * this.minSignificance;
    let det: LeakLevel | null = null;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i];
      if (l.center < 0 || l.significance < this.minSignificance || (l.updates < this.startDetectUpdates && (l.significance < this.startDetectSignificance || this.startPsr[i] < this.startDetectPsr))) continue;
      if (det !== null && l.significance <= det.significance) continue;
      let tied = false;
      for (let j = 0; j < this.of && !tied; j++) {
        if (this.tieAnyVote === false && this.histOk[j] !== 1) continue;
        const hl = this.histLag[j];
        if (Math.abs(hl - l.delay) <= tol && l.scoreNear(hl, this.tie) >= half) tied = true;
      }
      if (tied) det = l;
    }
    this.report(det);
  }
}
