/**
 * Bleed failsafe bench through whisperd's BleedMonitor (src/bleed): the same call simulation as
 * bench/bleed.bench.ts (real speech, leak path, codecs both ways, loss, double talk), but fed the way the
 * daemon feeds it — reference = the supervisor's contribution of each mixed agent frame, observed = the
 * agent's decoded frames, each with its own arrival/emission time (uniform +-8 ms jitter, and every
 * ~5 s a 60-100 ms event-loop stall that delivers frames late in a burst) — so the stream pairing,
 * digital check and trip logic are measured, not only the detector.
 *
 * Run:  npx tsc -p /work/main && node dist/bench/bleed-e2e.bench.js [--quick] [--hours=1] [--seeds=4]
 * Writes the markdown table to bench/results/bleed-latest.md (not with --quick).
 * Targets: -20 dB leak tripped within 2 s of supervisor speech, -30 dB within 10 s (threshold -35 dB for
 * those rows, as in bench/bleed.bench.ts); no trip in >= 1 h without a leak (continuous double talk)
 * nor with a -50 dB leak (default threshold -25 dB); monitor CPU <= 1 ms per call-second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BleedMonitor, type BleedMonitorHost } from '../src/bleed/BleedMonitor';
import { bleedLevelOffsetDb } from '../src/dsp/codecLevelOffset';
import { CallSim, type CallSimOptions, type LeakOptions } from '../test/fixtures/dsp/callSim';
import { Rng } from '../test/fixtures/dsp/rng';
import { loadSpeechPools, speechAvailable } from '../test/fixtures/dsp/speech';
import type { TalkerOptions } from '../test/fixtures/dsp/talker';
import { benchCodecs, type BenchCodec } from './bleed/codecs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argNum = (name: string, dflt: number): number => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const SEEDS = argNum('seeds', quick ? 2 : 4);
const HOURS = argNum('hours', quick ? 0.05 : 1);
const HORIZON_S = 30;
const SPEECH_FRAME_ENERGY = (32768 * Math.pow(10, -45 / 20)) ** 2;

const SUPERVISOR: TalkerOptions = { talkMs: [1500, 5000], pauseMs: [500, 3000], gainDb: [-4, 4] };
const AGENT_TURNS: TalkerOptions = { talkMs: [1000, 4000], pauseMs: [1000, 4000], gainDb: [-4, 4] };
const AGENT_CONTINUOUS: TalkerOptions = { talkMs: [3000, 8000], pauseMs: [0, 0], gainDb: [-4, 4] };
const CUSTOMER: TalkerOptions = { talkMs: [1000, 4000], pauseMs: [1000, 5000], gainDb: [-4, 4], startSilent: true };

interface RunResult {
  tripSpeechS: number | null;
  tripCallS: number | null;
  kind: string | null;
  levelDb: number;
  delayMs: number;
  seconds: number;
  cpuMs: number;
  evaluations: number;
  resyncs: number;
}

function run(codec: BenchCodec, seed: number, leak: LeakOptions | null, loss: number, agent: TalkerOptions, thresholdDb: number, seconds: number, stopAtTrip: boolean): RunResult {
  const rate = codec.rate;
  const sim = new CallSim({
    pools: loadSpeechPools(rate), seed, leak, down: codec.make(), up: codec.make(), lossRate: loss, lossMode: loss > 0.03 ? 'zero' : 'plc',
    supervisor: SUPERVISOR, agent, customer: CUSTOMER,
  } as CallSimOptions);
  let tripped: string | null = null;
  const host: BleedMonitorHost = { measured: () => undefined, trip: (_m, kind) => { if (tripped === null) tripped = kind; } };
  const m = new BleedMonitor({
    callId: 'b', supervisorTag: 'sup', agentTag: 'agent', customerTag: 'cust', rate, thresholdDb,
    maxDelayMs: 500, levelOffsetDb: bleedLevelOffsetDb(codec.codec), host,
  });
  const f = rate / 50;
  const ref = new Int16Array(f);
  const obs = new Int16Array(f);
  const rng = new Rng(seed * 7 + 1);
  const frames = Math.round(seconds * 50);
  // Per-stream pending frames: [due time], delivered in time order (the event loop).
  let refDue = 0;
  let obsDue = 0;
  let stallUntil = -1;
  let speechFrames = 0;
  let cpuNs = 0n;
  let tripSpeech: number | null = null;
  let tripCall: number | null = null;
  const pendRef: Int16Array[] = [];
  const pendObs: Int16Array[] = [];
  const pendRefT: number[] = [];
  const pendObsT: number[] = [];
  for (let i = 0; i < frames; i++) {
    const t = i * 20;
    sim.step(ref, obs);
    let e = 0;
    for (let k = 0; k < f; k++) e += ref[k]! * ref[k]!;
    if (e > SPEECH_FRAME_ENERGY * f) speechFrames++;
    if (rng.uniform(0, 1) < 1 / 250) stallUntil = t + rng.uniform(60, 100);
    refDue = Math.max(refDue, t + rng.uniform(-8, 8));
    obsDue = Math.max(obsDue, t + rng.uniform(-8, 8));
    pendRef.push(Int16Array.from(ref));
    pendRefT.push(Math.max(refDue, stallUntil));
    pendObs.push(Int16Array.from(obs));
    pendObsT.push(Math.max(obsDue, stallUntil));
    // Deliver everything due by t (in time order across both streams).
    const c0 = process.hrtime.bigint();
    for (;;) {
      const rt = pendRefT.length ? pendRefT[0]! : Infinity;
      const ot = pendObsT.length ? pendObsT[0]! : Infinity;
      if (Math.min(rt, ot) > t) break;
      if (rt <= ot) {
        const fr = pendRef.shift()!;
        pendRefT.shift();
        m.onReference(fr, f, rt);
      } else {
        const fo = pendObs.shift()!;
        pendObsT.shift();
        m.onObserved(fo, 0, f, ot);
      }
    }
    cpuNs += process.hrtime.bigint() - c0;
    if (tripped !== null && tripSpeech === null) {
      tripSpeech = speechFrames / 50;
      tripCall = (i + 1) / 50;
      if (stopAtTrip) return { tripSpeechS: tripSpeech, tripCallS: tripCall, kind: tripped, levelDb: m.measurement.levelDb, delayMs: m.measurement.delayMs, seconds: (i + 1) / 50, cpuMs: Number(cpuNs) / 1e6, evaluations: m.detector.evaluations, resyncs: m.resyncs };
    }
  }
  return { tripSpeechS: tripSpeech, tripCallS: tripCall, kind: tripped, levelDb: m.measurement.levelDb, delayMs: m.measurement.delayMs, seconds, cpuMs: Number(cpuNs) / 1e6, evaluations: m.detector.evaluations, resyncs: m.resyncs };
}

const fmt = (x: number | null | undefined, d = 2): string => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const median = (xs: number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function main(): void {
  if (!speechAvailable()) {
    console.error('needs Debian package pocketsphinx-testdata (real speech)');
    process.exitCode = 1;
    return;
  }
  const t0 = Date.now();
  const { codecs, missing } = benchCodecs();
  const out: string[] = [];
  const say = (s: string): void => {
    console.log(s);
    out.push(s);
  };
  say(`# Bleed failsafe through BleedMonitor${quick ? ' (--quick)' : ''}  node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  if (missing.length) say(`Skipped codecs: ${missing.join(', ')}`);
  // JIT warm-up (not reported).
  for (const codec of codecs) run(codec, 1, null, 0, AGENT_TURNS, -25, 20, false);
  say(`\n## Time to trip (${SEEDS} seeds per cell; leak delay 10-500 ms, RT60 100-400 ms, DRR 0-10 dB; agent double talk by turns; frame jitter +-8 ms and 60-100 ms stalls)`);
  say('Seconds of supervisor speech before the monitor requested the failsafe (call seconds in brackets); threshold -25 dB for -20 dB leaks, -35 dB for -30 dB leaks.\n');
  say('| codec | loss | leak | trip median / max (s speech) | call s median | missed (30 s) | level at trip median (dB) | monitor CPU ms / call-s |');
  say('|---|---|---|---|---|---|---|---|');
  for (const codec of codecs) {
    for (const loss of [0, 0.05]) {
      for (const level of [-20, -30]) {
        const trips: number[] = [];
        const calls: number[] = [];
        const lv: number[] = [];
        let cpu = 0;
        let secs = 0;
        let missed = 0;
        for (let s = 1; s <= SEEDS; s++) {
          const seed = 1000 * s + Math.round(-level) + (loss > 0 ? 7 : 0);
          const rng = new Rng(seed);
          const leak = { levelDb: level, delayMs: rng.uniform(10, 500), rt60Ms: rng.uniform(100, 400), drrDb: rng.uniform(0, 10) };
          const r = run(codec, seed, leak, loss, AGENT_TURNS, level === -20 ? -25 : -35, HORIZON_S, true);
          cpu += r.cpuMs;
          secs += r.seconds;
          if (r.tripSpeechS === null) missed++;
          else {
            trips.push(r.tripSpeechS);
            calls.push(r.tripCallS!);
            lv.push(r.levelDb);
          }
        }
        say(`| ${codec.name} | ${loss * 100}% | ${level} dB | ${fmt(median(trips))} / ${fmt(trips.length ? Math.max(...trips) : null)} | ${fmt(median(calls))} | ${missed}/${SEEDS} | ${fmt(median(lv), 1)} | ${fmt(cpu / secs, 3)} |`);
      }
    }
  }
  const seconds = Math.round(HOURS * 3600);
  say(`\n## False trips (${fmt(HOURS, 2)} h of audio per row, continuous agent double talk, 2 % loss with PLC, default threshold -25 dB)\n`);
  say('| codec | leak | evaluations | trips | trips per hour | stream re-syncs | monitor CPU ms / call-s |');
  say('|---|---|---|---|---|---|---|');
  for (const codec of codecs) {
    for (const leak of [null, { levelDb: -50, delayMs: 150, rt60Ms: 250, drrDb: 5 }] as (LeakOptions | null)[]) {
      const r = run(codec, 77, leak, 0.02, AGENT_CONTINUOUS, -25, seconds, false);
      const trips = r.tripSpeechS === null ? 0 : 1;
      say(`| ${codec.name} | ${leak ? '-50 dB' : 'none'} | ${r.evaluations} | ${trips}${trips ? ` (${r.kind} after ${fmt(r.tripCallS, 0)} s)` : ''} | ${fmt(trips / (r.seconds / 3600), 2)} | ${r.resyncs} | ${fmt(r.cpuMs / r.seconds, 3)} |`);
    }
  }
  say(`\nTotal bench time ${fmt((Date.now() - t0) / 1000, 0)} s`);
  if (!quick) {
    const file = path.join(__dirname, '..', '..', 'bench', 'results', 'bleed-latest.md');
    fs.writeFileSync(file, out.join('\n') + '\n');
    console.log(`\nwritten ${file}`);
  }
}

main();
