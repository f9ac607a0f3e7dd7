/**
 * How fast could ANY bleed detector tear a leak down on the evaluation's runs? (issue 13's detection targets)
 *
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/oracle.ts [--part=heldout|tuning] [--seeds=6] [--z=5] [--flat]
 *   node_modules/.bin/ts-node-transpile-only bench/bleed/oracle.ts --mode=delay [--part=heldout|tuning] [--seeds=6] [--search=oracle|real] [--det='{...}']
 *
 * --mode=echo (default): the bound below. --mode=delay: whisperd's own BleedDetector on the same runs, with its
 * delay search (GccPhat.evaluate) replaced by the true path delay (bulk delay + both codec passes, at PSR 20) when
 * --search=oracle (default), or left alone (--search=real, the bench's figures): what the rest of the detector
 * (nomination, least-squares fits, their guards) costs once the delay is known, against what the search costs.
 *
 * The same runs as bench/bleed-eval.bench.ts's detect section (conditions x codecs x losses x seeds, the same
 * seeds), each simulated twice in lockstep: with the leak and without it (the same talkers, noise, losses and
 * codecs). Their difference e = obs - obs0 is the echo exactly as it reaches whisperd (after the phone's
 * path, the headset's clipping and the uplink codec). An oracle that knows e — the path, its delay, its
 * drift, everything a real detector must first estimate — decides "leak" by a matched filter whitened by the
 * interference's local spectrum (the agent, the customer's echo, noise: obs0), block by block:
 *
 *   d^2(T) = sum over blocks up to T of (B/n) sum_k |E_b(k)|^2 / S_b(k),   S_b = |OBS0|^2 averaged over the
 *   block's bin and its two neighbours and the block and the 4 before it (n = FFT size, B = block samples),
 *
 * the deflection of its statistic (mean d under a leak, 0 without; variance 1 under Gaussian interference).
 * Blocks of 20 ms and of 40 ms (finer frequency resolution against the agent's harmonics) are both run; a run
 * counts the better of the two. The oracle needs no search over delays, so a threshold of z = 5 (one false alarm
 * in ~3.5 million independent tests) holds the false-alarm target; it detects with 95 % probability once
 * d >= z + 1.645. Reported: seconds of supervisor speech (frames above -45 dBFS, as the bench counts them) until
 * d reaches that, per condition, as the bench reports the detector.
 * This is a bound in one direction only: a run the oracle cannot decide within 2 s is one no detector can
 * decide within 2 s at that false-alarm rate (up to the Gaussian approximation and the whitening's resolution).
 */
import { bleedLevelOffsetDb } from '../../src/dsp/codecLevelOffset';
import { RealFft } from '../../src/dsp/realFft';
import { CallSim } from '../../test/fixtures/dsp/callSim';
import { runScenario, SPEECH_FRAME_ENERGY } from '../../test/fixtures/dsp/runScenario';
import { loadSpeechPools } from '../../test/fixtures/dsp/speech';
import { benchCodecs, codecDelayMs as measureCodecDelayMs } from './codecs';
import { CONDS, detectSeed, evalSim } from './conditions';
import type { CorpusPart } from './corpus';

const args = process.argv.slice(2);
const arg = (n: string, d: string): string => args.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3) ?? d;
const PART = arg('part', 'heldout') as CorpusPart;
const SEEDS = Number(arg('seeds', '6'));
const Z = Number(arg('z', '5'));
/** --flat: whiten in time only (one level per block, no spectral shape): what a time-weighted fit could reach. */
const FLAT = args.includes('--flat');
const MODE = arg('mode', 'echo');
const SEARCH_ORACLE = arg('search', 'oracle') === 'oracle';
const DET = JSON.parse(arg('det', '{}')) as object;
const D_NEEDED = Z + 1.645;
const LOSSES = [0, 0.02, 0.05];
const HORIZON: Record<string, number> = { '-20': 12, '-30': 20 };

/** Deflection accumulator for one block size. */
class Whitened {
  private readonly fft: RealFft;
  private readonly x: Float64Array;
  private readonly er: Float64Array;
  private readonly ei: Float64Array;
  private readonly yr: Float64Array;
  private readonly yi: Float64Array;
  private readonly hist: Float64Array[];
  private pos = 0;
  private filled = 0;
  private readonly eb: Float64Array;
  private readonly yb: Float64Array;
  private fillN = 0;
  d2 = 0;

  constructor(private readonly block: number) {
    let n = 1;
    while (n < block) n <<= 1;
    this.fft = new RealFft(n);
    this.x = new Float64Array(n);
    const h = n / 2 + 1;
    this.er = new Float64Array(h);
    this.ei = new Float64Array(h);
    this.yr = new Float64Array(h);
    this.yi = new Float64Array(h);
    this.hist = Array.from({ length: 5 }, () => new Float64Array(h));
    this.eb = new Float64Array(block);
    this.yb = new Float64Array(block);
  }

  /** Add a frame (e = echo, y0 = everything else as whisperd receives it). */
  push(e: Float64Array, y0: Int16Array): void {
    for (let i = 0; i < e.length; i++) {
      this.eb[this.fillN] = e[i];
      this.yb[this.fillN] = y0[i];
      this.fillN++;
      if (this.fillN === this.block) {
        this.fillN = 0;
        this.blockDone();
      }
    }
  }

  private blockDone(): void {
    const n = this.x.length;
    const h = n / 2 + 1;
    this.x.fill(0);
    this.x.set(this.yb);
    this.fft.forward(this.x, this.yr, this.yi);
    const cur = this.hist[this.pos];
    for (let k = 0; k < h; k++) cur[k] = this.yr[k] * this.yr[k] + this.yi[k] * this.yi[k];
    this.pos = (this.pos + 1) % this.hist.length;
    this.filled = Math.min(this.filled + 1, this.hist.length);
    this.x.fill(0);
    this.x.set(this.eb);
    this.fft.forward(this.x, this.er, this.ei);
    let s = 0;
    let flat = 0;
    if (FLAT) {
      let p = 0;
      for (let j = 0; j < this.filled; j++) for (let k = 0; k < h; k++) p += this.hist[j][k];
      flat = Math.max(p / (this.filled * h), 1e-3 * this.block);
    }
    for (let k = 0; k < h; k++) {
      if (FLAT) {
        const term = (this.er[k] * this.er[k] + this.ei[k] * this.ei[k]) / flat;
        s += k === 0 || k === h - 1 ? term : 2 * term;
        continue;
      }
      let p = 0;
      let c = 0;
      for (let j = 0; j < this.filled; j++) {
        const hk = this.hist[j];
        for (let m = k - 1; m <= k + 1; m++)
          if (m >= 0 && m < h) {
            p += hk[m];
            c++;
          }
      }
      const sk = Math.max(p / c, 1e-3 * this.block);
      const term = (this.er[k] * this.er[k] + this.ei[k] * this.ei[k]) / sk;
      s += k === 0 || k === h - 1 ? term : 2 * term;
    }
    this.d2 += (this.block / n) * s;
  }
}

interface Row {
  cond: string;
  level: number;
  t: number;
}

type CodecT = ReturnType<typeof benchCodecs>['codecs'][number];
const codecs = benchCodecs().codecs;
/** One encode+decode pass of `c`, ms (the path's delay as whisperd sees it adds two); measured once, when the true delay is needed. */
const codecDelay = new Map<string, number>();
function codecDelayMs(c: CodecT): number {
  let d = codecDelay.get(c.name);
  if (d === undefined) {
    d = measureCodecDelayMs(c.make(), loadSpeechPools(c.rate).supervisor, c.rate);
    codecDelay.set(c.name, d);
  }
  return d;
}

/** Seconds of supervisor speech until the echo oracle's deflection reaches D_NEEDED (Infinity: not within the horizon). */
function echoOracleRun(cond: (typeof CONDS)[number], codec: CodecT, loss: number, seed: number, level: number): number {
  const a = evalSim(PART, cond, codec, loss, seed, level).sim;
  const b = evalSim(PART, cond, codec, loss, seed, null).sim;
  const sa = new CallSim(a);
  const sb = new CallSim(b);
  const f = sa.frame;
  const ref = new Int16Array(f);
  const ref0 = new Int16Array(f);
  const obs = new Int16Array(f);
  const obs0 = new Int16Array(f);
  const e = new Float64Array(f);
  const w = [new Whitened(f), new Whitened(2 * f)];
  let speech = 0;
  let t = Infinity;
  for (let i = 0; i < 50 * 600 && speech / 50 < HORIZON[String(level)]; i++) {
    sa.step(ref, obs);
    sb.step(ref0, obs0);
    let en = 0;
    for (let k = 0; k < f; k++) {
      en += ref[k] * ref[k];
      e[k] = obs[k] - obs0[k];
    }
    if (en > SPEECH_FRAME_ENERGY * f) speech++;
    for (const x of w) x.push(e, obs0);
    if (Math.sqrt(Math.max(w[0].d2, w[1].d2)) >= D_NEEDED) {
      t = speech / 50;
      break;
    }
  }
  for (const sim of [a, b]) {
    sim.down.close?.();
    sim.up.close?.();
  }
  return t;
}

/** Seconds of supervisor speech until whisperd's detector alarms, its delay search optionally replaced by the truth. */
function detectorRun(cond: (typeof CONDS)[number], codec: CodecT, loss: number, seed: number, level: number): number {
  const sim = evalSim(PART, cond, codec, loss, seed, level).sim;
  const extra = SEARCH_ORACLE ? 2 * codecDelayMs(codec) : 0;
  const r = runScenario(sim, { sampleRate: codec.rate, thresholdDb: level - 5, levelOffsetDb: bleedLevelOffsetDb(codec.codec), ...DET }, 600, {
    stopAtAlarm: true,
    maxSpeechS: HORIZON[String(level)],
    onStart: SEARCH_ORACLE
      ? (det, cs) => {
          // A diagnostic reaching into the detector: its search answers the true delay (4 kHz samples) at PSR 20.
          const gcc = (det as unknown as { gcc: { evaluate: () => void; delay: number; psr: number } }).gcc;
          gcc.evaluate = function (this: { delay: number; psr: number }): void {
            this.delay = Math.round((cs.leakDelayMs + extra) * 4);
            this.psr = 20;
          };
        }
      : undefined,
  });
  sim.down.close?.();
  sim.up.close?.();
  return r.firstAlarmSpeechS ?? Infinity;
}

const rows: Row[] = [];
const t0 = Date.now();
for (const cond of CONDS)
  for (const codec of codecs)
    for (const loss of LOSSES)
      for (const level of [-20, -30])
        for (let s = 1; s <= SEEDS; s++) {
          const seed = detectSeed(PART, CONDS.indexOf(cond), loss, level, s);
          const t = MODE === 'delay' ? detectorRun(cond, codec, loss, seed, level) : echoOracleRun(cond, codec, loss, seed, level);
          rows.push({ cond: cond.name, level, t });
        }

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const fmt = (x: number): string => (x === Infinity ? 'miss' : x.toFixed(2));
const what =
  MODE === 'delay'
    ? `whisperd's detector, delay search ${SEARCH_ORACLE ? 'replaced by the true delay' : 'as shipped'}${Object.keys(DET).length ? `, options ${JSON.stringify(DET)}` : ''}`
    : `echo oracle${FLAT ? ' (time-only whitening)' : ''}, z = ${Z} (d needed ${D_NEEDED.toFixed(2)})`;
console.log(`# ${what}; ${PART} part, ${SEEDS} seeds per codec x loss cell; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log('| group | -20 dB median (s) | -20 dB p95 (s) | <= 2 s | not in 12 s | -30 dB median (s) | -30 dB p95 (s) | <= 10 s | not in 20 s |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const g of [...CONDS.map((c) => c.name), 'all conditions']) {
  const rs = g === 'all conditions' ? rows : rows.filter((r) => r.cond === g);
  const a = rs.filter((r) => r.level === -20).map((r) => r.t);
  const b = rs.filter((r) => r.level === -30).map((r) => r.t);
  console.log(
    `| ${g} | ${fmt(pct(a, 50))} | ${fmt(pct(a, 95))} | ${a.filter((x) => x <= 2).length}/${a.length} | ${a.filter((x) => x === Infinity).length} | ` +
      `${fmt(pct(b, 50))} | ${fmt(pct(b, 95))} | ${b.filter((x) => x <= 10).length}/${b.length} | ${b.filter((x) => x === Infinity).length} |`,
  );
}
