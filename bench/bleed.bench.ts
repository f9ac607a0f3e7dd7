/**
 * Whisper bleed detector benchmark (targets live here, not in tests).
 *
 * Run:   npx tsc -p /work/main && node dist/bench/bleed.bench.js [--quick] [--hours=1] [--seeds=6] [--codecs=G.711u,G.729,Opus16k]
 *        --quick: 2 seeds, fewer cells, 3 min of no-leak audio per codec (< ~1 min run time).
 *        Full run: ~10 min on a busy 2-vCPU VM. G.729 needs the native addon (`make native`).
 *
 * Simulation (test/fixtures/dsp/callSim.ts): real recorded speech (pocketsphinx-testdata; different
 * speakers for supervisor, agent and customer, looped with random offsets and gains). The agent hears
 * customer + supervisor through the downlink codec, the leak path (delay 10..500 ms + exponentially
 * decaying noise tail, RT60 100..400 ms, direct-to-reverberant ratio 0..10 dB) carries it into the
 * agent's microphone, the agent talks too, and the uplink codec (with loss) delivers the observed signal.
 * Loss: 0 %, 2 % (codec concealment) and 5 % (zeroed frames), both directions.
 *
 * Targets: -20 dB leak -> alarm within 2 s of supervisor speech; -30 dB within 10 s (detected, and alarm
 * with the threshold 5 dB below the leak, -35 dB); no alarm in >= 1 hour of audio without a leak (continuous double talk)
 * and with a -50 dB leak; detector CPU <= 1 ms per call-second.
 * "Supervisor speech" = 20 ms reference frames louder than -45 dBFS.
 */
import { BleedDetector } from '../src/dsp/bleedDetector';
import { bleedLevelOffsetDb } from '../src/dsp/codecLevelOffset';
import type { CallSimOptions, LeakOptions } from '../test/fixtures/dsp/callSim';
import { CallSim, recordCall } from '../test/fixtures/dsp/callSim';
import { Rng } from '../test/fixtures/dsp/rng';
import { runScenario } from '../test/fixtures/dsp/runScenario';
import { loadSpeechPools, speechAvailable } from '../test/fixtures/dsp/speech';
import type { TalkerOptions } from '../test/fixtures/dsp/talker';
import { benchCodecs, codecDelayMs, type BenchCodec } from './bleed/codecs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argNum = (name: string, dflt: number): number => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const SEEDS = argNum('seeds', quick ? 2 : 6);
const HOURS = argNum('hours', quick ? 0.05 : 1);
const HORIZON_S = 30;

const SUPERVISOR: TalkerOptions = { talkMs: [1500, 5000], pauseMs: [500, 3000], gainDb: [-4, 4] };
const AGENT_TURNS: TalkerOptions = { talkMs: [1000, 4000], pauseMs: [1000, 4000], gainDb: [-4, 4] };
const AGENT_CONTINUOUS: TalkerOptions = { talkMs: [3000, 8000], pauseMs: [0, 0], gainDb: [-4, 4] };
const CUSTOMER: TalkerOptions = { talkMs: [1000, 4000], pauseMs: [1000, 5000], gainDb: [-4, 4], startSilent: true };

const LOSSES: { label: string; rate: number; mode: CallSimOptions['lossMode'] }[] = [
  { label: '0%', rate: 0, mode: 'plc' },
  { label: '2% PLC', rate: 0.02, mode: 'plc' },
  { label: '5% zeroed', rate: 0.05, mode: 'zero' },
];

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const fmt = (x: number | null, d = 2): string => (x === null || Number.isNaN(x) ? '-' : x.toFixed(d));

function randomLeak(rng: Rng, levelDb: number): LeakOptions {
  return { levelDb, delayMs: rng.uniform(10, 500), rt60Ms: rng.uniform(100, 400), drrDb: rng.uniform(0, 10) };
}

function simOptions(codec: BenchCodec, seed: number, leak: LeakOptions | null, loss: (typeof LOSSES)[number], agent: TalkerOptions): CallSimOptions {
  return {
    pools: loadSpeechPools(codec.rate),
    seed,
    leak,
    down: codec.make(),
    up: codec.make(),
    lossRate: loss.rate,
    lossMode: loss.mode,
    supervisor: SUPERVISOR,
    agent,
    customer: CUSTOMER,
  };
}

function detectionTable(codecs: BenchCodec[], codecDelay: Map<string, number>): void {
  console.log(`\n## Detection (${SEEDS} seeds per cell; random delay 10-500 ms, RT60 100-400 ms, DRR 0-10 dB; agent double talk by turns; horizon ${HORIZON_S} s)`);
  console.log('Times are seconds of supervisor speech. Alarm threshold = leak level - 5 dB (so -25 dB, the default, for the -20 dB rows);');
  console.log('the detector gets levelOffsetDb = bleedLevelOffsetDb(codec), as whisperd would. Detect = consistent delay found (any level).');
  console.log('Delay error excludes the codec round trip (both directions, measured separately). Level error: measured (with offset) - true direct-path level;');
  console.log('raw = without the codec offset.\n');
  console.log('| codec | loss | leak | detect median / max (s) | missed detect | alarm median / max (s) | missed alarm | delay err median / max (ms) | level err median / worst (dB) | raw level err median (dB) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const levels = quick ? [-20, -30] : [-20, -25, -30];
  const losses = quick ? [LOSSES[0], LOSSES[2]] : LOSSES;
  for (const codec of codecs) {
    for (const loss of losses) {
      for (const level of levels) {
        const det: number[] = [];
        const alarm: number[] = [];
        const dErr: number[] = [];
        const lErr: number[] = [];
        let missed = 0;
        const offset = bleedLevelOffsetDb(codec.codec);
        for (let s = 1; s <= SEEDS; s++) {
          const seed = 1000 * s + Math.round(-level) + 7 * LOSSES.indexOf(loss);
          const leak = randomLeak(new Rng(seed), level);
          const r = runScenario(simOptions(codec, seed, leak, loss, AGENT_TURNS), { sampleRate: codec.rate, thresholdDb: level - 5, levelOffsetDb: offset }, HORIZON_S);
          if (r.firstDetectSpeechS !== null) det.push(r.firstDetectSpeechS);
          if (r.firstAlarmSpeechS !== null) alarm.push(r.firstAlarmSpeechS);
          else missed++;
          if (r.detectedDelayMs !== null) dErr.push(Math.abs(r.detectedDelayMs - leak.delayMs - 2 * (codecDelay.get(codec.name) ?? 0)));
          if (r.detectedLevelDb !== null) lErr.push(r.detectedLevelDb - level);
        }
        const worstL = lErr.length ? lErr.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0) : NaN;
        console.log(
          `| ${codec.name} | ${loss.label} | ${level} dB | ${fmt(median(det))} / ${fmt(det.length ? Math.max(...det) : null)} | ${SEEDS - det.length}/${SEEDS} | ${fmt(median(alarm))} / ${fmt(alarm.length ? Math.max(...alarm) : null)} | ${missed}/${SEEDS} | ${fmt(median(dErr), 1)} / ${fmt(dErr.length ? Math.max(...dErr) : null, 1)} | ${fmt(median(lErr), 1)} / ${fmt(worstL, 1)} | ${fmt(median(lErr) - offset, 1)} |`,
        );
      }
    }
  }
}

function falseAlarmTable(codecs: BenchCodec[]): void {
  const seconds = Math.round(HOURS * 3600);
  console.log(`\n## False alarms (${fmt(HOURS, 2)} h of audio per row, continuous agent double talk, 2 % loss with PLC)\n`);
  console.log('| codec | leak | supervisor speech (s) | evaluations | false detections | alarm episodes | alarms per hour | measured level when detected (dB) | max PSR | detector CPU ms / call-s (wall) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const codec of codecs) {
    for (const leak of [null, { levelDb: -50, delayMs: 150, rt60Ms: 250, drrDb: 5 }] as (LeakOptions | null)[]) {
      const r = runScenario(simOptions(codec, 77, leak, LOSSES[1], AGENT_CONTINUOUS), { sampleRate: codec.rate, levelOffsetDb: bleedLevelOffsetDb(codec.codec) }, seconds);
      const falseDet = leak === null ? String(r.detectEpisodes) : `n/a (${r.detectEpisodes} true)`;
      console.log(
        `| ${codec.name} | ${leak ? '-50 dB' : 'none'} | ${fmt(r.supervisorSpeechSeconds, 0)} | ${r.evaluations} | ${falseDet} | ${r.alarmEpisodes} | ${fmt(r.alarmEpisodes / (r.seconds / 3600), 2)} | ${fmt(r.detectedLevelDb, 1)} | ${fmt(r.maxPsr, 1)} | ${fmt(r.cpuMsPerCallSecond, 3)} |`,
      );
    }
  }
}

/** Detector-only CPU (process.cpuUsage, so other processes on the machine do not count). */
function cpuTable(): void {
  console.log('\n## Detector CPU (process CPU time, detector only, audio precomputed; 120 s per row)\n');
  console.log('| input rate | supervisor talking | evaluations / s | CPU ms per call-second |');
  console.log('|---|---|---|---|');
  const seconds = quick ? 40 : 120;
  for (const rate of [8000, 16000, 48000] as const) {
    for (const [label, sup] of [
      ['always', { talkMs: [60000, 60000], pauseMs: [0, 0], gainDb: [0, 0] }],
      ['typical (talk 1.5-5 s, pause 0.5-3 s)', SUPERVISOR],
    ] as [string, TalkerOptions][]) {
      const f = rate / 50;
      const frames = seconds * 50;
      const sim = new CallSim({
        pools: loadSpeechPools(rate),
        seed: 5,
        leak: { levelDb: -40, delayMs: 100, rt60Ms: 200, drrDb: 5 },
        down: { name: 'L16', transcode: (i, o) => o.set(i) },
        up: { name: 'L16', transcode: (i, o) => o.set(i) },
        lossRate: 0,
        lossMode: 'plc',
        supervisor: sup,
        agent: AGENT_TURNS,
        customer: CUSTOMER,
      });
      const { ref, obs } = recordCall(sim, frames);
      const det = new BleedDetector({ sampleRate: rate });
      // warm-up: one whole pass (JIT), then reset and measure a second pass
      for (let i = 0; i < frames; i++) det.process(ref, i * f, obs, i * f, f);
      det.reset();
      const c0 = process.cpuUsage();
      for (let i = 0; i < frames; i++) det.process(ref, i * f, obs, i * f, f);
      const c1 = process.cpuUsage(c0);
      const ms = (c1.user + c1.system) / 1000;
      console.log(`| ${rate} Hz | ${label} | ${fmt(det.evaluations / seconds, 2)} | ${fmt(ms / seconds, 3)} |`);
    }
  }
}

function main(): void {
  if (!speechAvailable()) {
    console.error('needs Debian package pocketsphinx-testdata (real speech)');
    process.exitCode = 1;
    return;
  }
  const t0 = Date.now();
  const all = benchCodecs();
  const only = args.find((x) => x.startsWith('--codecs='))?.slice(9).split(',');
  const codecs = only ? all.codecs.filter((c) => only.includes(c.name)) : all.codecs;
  const missing = all.missing;
  console.log(`# Bleed detector bench${quick ? ' (--quick)' : ''}  node ${process.version}`);
  if (missing.length) console.log(`Skipped codecs: ${missing.join(', ')}`);
  const codecDelay = new Map<string, number>();
  for (const c of codecs) {
    const d = codecDelayMs(c.make(), loadSpeechPools(c.rate).supervisor, c.rate);
    codecDelay.set(c.name, d);
  }
  console.log(`Codec round-trip delay (one direction): ${codecs.map((c) => `${c.name} ${fmt(codecDelay.get(c.name) ?? 0, 2)} ms`).join(', ')}`);
  cpuTable();
  detectionTable(codecs, codecDelay);
  falseAlarmTable(codecs);
  console.log(`\nTotal bench time ${fmt((Date.now() - t0) / 1000, 0)} s`);
}

main();
