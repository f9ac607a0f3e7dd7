/**
 * The evaluation conditions of bench/bleed-eval.bench.ts (issue 13), importable to reproduce one run:
 *   const { sim } = evalSim('heldout', CONDS[1], codec, 0.02, seed, -20);   // codec from benchCodecs()
 *   runScenario(sim, { sampleRate: codec.rate, thresholdDb: -25, levelOffsetDb: bleedLevelOffsetDb(codec.codec) }, 600);
 * The bench prints seed, condition index, codec and loss of every failing run.
 */
import type { CallSimOptions, LeakOptions } from '../../test/fixtures/dsp/callSim';
import { Rng } from '../../test/fixtures/dsp/rng';
import { CONTINUOUS, CUSTOMER_TURNS, DENSE, issueCase, SPARSE_WORDS } from '../../test/fixtures/dsp/scenarios';
import type { TalkerOptions } from '../../test/fixtures/dsp/talker';
import type { BenchCodec } from './codecs';
import { corpusPools, type CorpusPart } from './corpus';

export interface Cond {
  name: string;
  sparse: boolean;
  agentRelDb: number;
  issue: boolean;
}
export const CONDS: Cond[] = [
  { name: 'issue case', sparse: true, agentRelDb: 0, issue: true },
  { name: 'sparse, agent equal', sparse: true, agentRelDb: 0, issue: false },
  { name: 'sparse, agent +6 dB', sparse: true, agentRelDb: 6, issue: false },
  { name: 'dense, agent equal', sparse: false, agentRelDb: 0, issue: false },
  { name: 'dense, agent +6 dB', sparse: false, agentRelDb: 6, issue: false },
];

export interface Field {
  supDbfs: number;
  leak: LeakOptions;
}
export function fieldPath(rng: Rng, levelDb: number): Field {
  const supDbfs = rng.uniform(-35, -10);
  return {
    supDbfs,
    leak: {
      levelDb,
      delayMs: rng.uniform(40, 300),
      rt60Ms: rng.uniform(0, 300),
      drrDb: rng.uniform(0, 10),
      reflections: [{ delayMs: rng.uniform(2, 15), levelDb: rng.uniform(-6, -1) }],
      softClip: supDbfs + rng.uniform(8, 14),
      driftMs: rng.uniform(0, 5),
      driftPeriodS: rng.uniform(4, 30),
    },
  };
}

/**
 * The seed of a detection run of bleed-eval.bench.ts (condition index, loss, leak level, seed number s = 1..N):
 * one formula for every tool that must run the bench's own runs (oracle.ts, diag.ts).
 */
export function detectSeed(part: CorpusPart, condIndex: number, loss: number, levelDb: number, s: number): number {
  return 100003 * s + 1009 * condIndex + 97 * Math.round(loss * 100) + (part === 'heldout' ? 7 : 0) - levelDb;
}

/** Ablation: keep only some of the field path's impairments (undefined = all). */
export type Keep = { tail?: boolean; reflection?: boolean; clip?: boolean; drift?: boolean; level?: boolean };

export function evalSim(part: CorpusPart, cond: Cond, codec: BenchCodec, loss: number, seed: number, levelDb: number | null, keep?: Keep): { sim: CallSimOptions; supDbfs: number } {
  const pools = corpusPools(part, codec.rate, seed);
  if (cond.issue) {
    const s = issueCase(pools, seed, codec.make(), codec.make(), loss);
    if (levelDb === null) s.leak = null;
    else if (s.leak) s.leak = { ...s.leak, levelDb };
    return { sim: s, supDbfs: -24 };
  }
  const f = fieldPath(new Rng(seed * 7919 + 13), levelDb ?? -120);
  if (keep) {
    if (!keep.tail) f.leak.rt60Ms = 0;
    if (!keep.reflection) delete f.leak.reflections;
    if (!keep.clip) delete f.leak.softClip;
    if (!keep.drift) delete f.leak.driftMs;
    if (!keep.level) f.supDbfs = -24;
  }
  const sup: TalkerOptions = { ...(cond.sparse ? SPARSE_WORDS : DENSE), levelDbfs: f.supDbfs };
  const agent: TalkerOptions = { ...CONTINUOUS, levelDbfs: f.supDbfs + cond.agentRelDb };
  const customer: TalkerOptions = { ...CUSTOMER_TURNS, levelDbfs: f.supDbfs };
  return {
    sim: { pools, seed, leak: levelDb === null ? null : f.leak, down: codec.make(), up: codec.make(), lossRate: loss, lossMode: 'plc', supervisor: sup, agent, customer },
    supDbfs: f.supDbfs,
  };
}

/**
 * The k-th ten-minute call of a part's false-alarm set (bleed-eval.bench.ts's fa section, fa-diag.ts, trace.ts,
 * test/unit/dsp/bleedFitStart.test.ts): condition 1 + k % 4 (the field conditions), codec k % codecs, 2 % loss,
 * seed 5000 + 31 k (+ 1 on the held-out part). `faCallOfSeed` finds the call of a seed the tools printed.
 */
export interface FaCall {
  k: number;
  cond: Cond;
  codec: BenchCodec;
  seed: number;
}
export function faCall(part: CorpusPart, k: number, codecs: BenchCodec[]): FaCall {
  return { k, cond: CONDS[1 + (k % 4)], codec: codecs[k % codecs.length], seed: 5000 + k * 31 + (part === 'heldout' ? 1 : 0) };
}
export function faCallOfSeed(part: CorpusPart, seed: number, codecs: BenchCodec[]): FaCall {
  const k = (seed - 5000 - (part === 'heldout' ? 1 : 0)) / 31;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`seed ${seed} is not a ${part} false-alarm call`);
  return faCall(part, k, codecs);
}
/** The simulation of a false-alarm call (2 % loss; leakDb null = no leak). */
export function faSim(part: CorpusPart, c: FaCall, leakDb: number | null): { sim: CallSimOptions; supDbfs: number } {
  return evalSim(part, c.cond, c.codec, 0.02, c.seed, leakDb);
}
