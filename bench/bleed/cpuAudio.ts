/**
 * The audio of a detector CPU row (issue 13): a call of the corpus part with a -40 dB reverberant leak at
 * 120 ms (below the alarm threshold: the fits run, the failsafe does not end the run), the agent talking
 * continuously at the supervisor's level, sparse words or dense speech for the supervisor, no codec, no loss.
 * `leakDb` null: no leak (session 12: the search's delay wanders and every evaluation may start a fit there).
 * Used by bench/bleed-eval.bench.ts (--sections=cpu) and bench/bleed/cpu-prof.ts (profiling).
 */
import { CallSim, recordCall } from '../../test/fixtures/dsp/callSim';
import { CONTINUOUS, CUSTOMER_TURNS, DENSE, SPARSE_WORDS } from '../../test/fixtures/dsp/scenarios';
import { corpusPools, type CorpusPart, type CorpusRate } from './corpus';

export interface CpuAudio {
  /** Reference (the whisper as delivered) and observed (the agent's stream), `frames` frames of `f` samples. */
  ref: Int16Array;
  obs: Int16Array;
  f: number;
  frames: number;
}

export function cpuRowAudio(part: CorpusPart, rate: CorpusRate, sparse: boolean, seconds: number, leakDb: number | null = -40): CpuAudio {
  const f = rate / 50;
  const frames = seconds * 50;
  const L16 = { name: 'L16', transcode: (i: Int16Array, o: Int16Array) => o.set(i) };
  const sim = new CallSim({
    pools: corpusPools(part, rate, 11),
    seed: 11,
    leak: leakDb === null ? null : { levelDb: leakDb, delayMs: 120, rt60Ms: 200, drrDb: 5 },
    down: L16,
    up: L16,
    lossRate: 0,
    lossMode: 'plc',
    supervisor: { ...(sparse ? SPARSE_WORDS : DENSE), levelDbfs: -24 },
    agent: { ...CONTINUOUS, levelDbfs: -24 },
    customer: CUSTOMER_TURNS,
  });
  const { ref, obs } = recordCall(sim, frames);
  return { ref, obs, f, frames };
}
