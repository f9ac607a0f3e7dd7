/**
 * Echo canceller benchmark (speexdsp MDF as whisperd runs it: 20 ms blocks at the mix rate, the whisper
 * as delivered to the agent as the reference; native/src/echo.cc, the same speexdsp calls as
 * native/src/mix/aec.h and src/mix/EchoCanceller.ts).
 *
 * Run:   npx tsx bench/aec.bench.ts [--quick] [--seconds=30] [--seeds=2] [--tail=500] [--codecs=G.711u,G.729]
 *
 * Simulation: test/fixtures/dsp/callSim.ts (recorded speech, pocketsphinx-testdata): the agent hears the
 * whisper through the downlink codec, the leak path (-20 dB direct path, bulk delay 40..300 ms, RT60 0..300
 * ms reverberant tail at DRR 3 dB, optionally soft clipping) carries it into the microphone, the agent may
 * talk at the same time (double talk), the uplink codec delivers it. The same seed is run again without the
 * leak: `near` (what the customer should hear). Per cell, after CONVERGE_S:
 *   ERLE  = 10 log10( P(obs - near) / P(out - near) )      over frames where the supervisor talks
 *           (obs - near: the echo as received; out - near: what is left of it, plus any damage to the agent's
 *           voice in double talk, so the double-talk figure is a lower bound);
 *   voice = the agent's voice through the canceller with the whisper playing and no leak:
 *           level change 10 log10(P(out)/P(near)) and distortion SNR 10 log10(P(near)/P(out - near));
 *   CPU   = process CPU time (process.cpuUsage, user+system) of the echoCancel calls per second of audio.
 */
import { loadNative } from '../src/native/addon';
import { CallSim, type CallSimOptions, type LeakOptions } from '../test/fixtures/dsp/callSim';
import { loadSpeechPools, speechAvailable } from '../test/fixtures/dsp/speech';
import type { TalkerOptions } from '../test/fixtures/dsp/talker';
import { benchCodecs } from './bleed/codecs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argNum = (name: string, dflt: number): number => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const argStr = (name: string, dflt: string): string => args.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const SECONDS = argNum('seconds', quick ? 15 : 30);
const SEEDS = argNum('seeds', quick ? 1 : 2);
const TAIL_MS = argNum('tail', 500);
const CONVERGE_S = 5;

const SUPERVISOR: TalkerOptions = { talkMs: [1500, 5000], pauseMs: [500, 2000], gainDb: [-3, 3] };
const AGENT: TalkerOptions = { talkMs: [2000, 6000], pauseMs: [300, 1500], gainDb: [-3, 3] };

interface Cell {
  label: string;
  leak: LeakOptions;
  doubleTalk: boolean;
}

function cells(): Cell[] {
  const out: Cell[] = [];
  const delays = quick ? [80, 300] : [40, 80, 150, 300];
  const rt60s = quick ? [0, 300] : [0, 150, 300];
  for (const delayMs of delays) {
    for (const rt60Ms of rt60s) {
      for (const doubleTalk of [false, true]) {
        out.push({ label: `delay ${delayMs} ms, RT60 ${rt60Ms} ms${doubleTalk ? ', double talk' : ''}`, leak: { levelDb: -20, delayMs, rt60Ms, drrDb: 3 }, doubleTalk });
      }
    }
  }
  out.push({ label: 'delay 80 ms + reflection 7 ms -1 dB, RT60 300 ms', leak: { levelDb: -20, delayMs: 80, rt60Ms: 300, drrDb: 3, reflections: [{ delayMs: 7, levelDb: -1 }] }, doubleTalk: false });
  out.push({ label: 'delay 80 ms, RT60 300 ms, soft clip -12 dBFS', leak: { levelDb: -20, delayMs: 80, rt60Ms: 300, drrDb: 3, softClip: -12 }, doubleTalk: false });
  out.push({ label: 'delay 80 ms, RT60 150 ms, drift 4 ms / 20 s', leak: { levelDb: -20, delayMs: 80, rt60Ms: 150, drrDb: 3, driftMs: 4 }, doubleTalk: false });
  return out;
}

function power(x: Float64Array | Int16Array, mask: Uint8Array, frame: number): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) if (mask[Math.floor(i / frame)]) e += x[i]! * x[i]!;
  return e;
}

function main(): void {
  if (!speechAvailable()) throw new Error('pocketsphinx-testdata missing');
  const native = loadNative();
  if (native === null) throw new Error('native addon missing (make native)');
  const pools = loadSpeechPools(8000);
  const want = argStr('codecs', 'G.711u,G.729').split(',');
  const codecs = benchCodecs().codecs.filter((c) => want.includes(c.name) && c.rate === 8000);
  const frame = 160;
  const frames = SECONDS * 50;
  const startFrame = CONVERGE_S * 50;
  console.log(`# AEC bench: speexdsp MDF, 8 kHz, frame ${frame} (20 ms), tail ${TAIL_MS} ms, ${SECONDS} s per run, ${SEEDS} seed(s), ERLE after ${CONVERGE_S} s`);
  console.log('| codec | condition | residual suppr. | ERLE dB (mean over seeds) | min | agent level change dB | agent distortion SNR dB | CPU us per call-second |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const bc of codecs) {
    for (const cell of cells()) {
      for (const residual of [false, true]) {
        const erles: number[] = [];
        const levels: number[] = [];
        const snrs: number[] = [];
        let cpuUs = 0;
        for (let seed = 1; seed <= SEEDS; seed++) {
          const run = (leak: LeakOptions | null, dt: boolean): { ref: Int16Array; obs: Int16Array; talking: Uint8Array } => {
            const o: CallSimOptions = {
              pools, seed, leak, down: bc.make(), up: bc.make(), lossRate: 0, lossMode: 'plc',
              supervisor: SUPERVISOR, agent: dt ? AGENT : null, customer: null,
            };
            const sim = new CallSim(o);
            const ref = new Int16Array(frames * frame);
            const obs = new Int16Array(frames * frame);
            const talking = new Uint8Array(frames);
            const r = new Int16Array(frame);
            const b = new Int16Array(frame);
            for (let k = 0; k < frames; k++) {
              sim.step(r, b);
              ref.set(r, k * frame);
              obs.set(b, k * frame);
              let e = 0;
              for (let i = 0; i < frame; i++) e += r[i]! * r[i]!;
              talking[k] = k >= startFrame && Math.sqrt(e / frame) > 32768 * Math.pow(10, -45 / 20) ? 1 : 0;
            }
            return { ref, obs, talking };
          };
          const cancel = (ref: Int16Array, obs: Int16Array): Int16Array => {
            const h = native.echoCreate(frame, Math.round((8000 * TAIL_MS) / 1000), 8000, residual);
            const out = new Int16Array(obs.length);
            const c0 = process.cpuUsage();
            for (let off = 0; off + frame <= obs.length; off += frame) native.echoCancel(h, obs, off, ref, off, out, off);
            const c = process.cpuUsage(c0);
            cpuUs += c.user + c.system;
            native.destroy(h);
            return out;
          };
          const withLeak = run(cell.leak, cell.doubleTalk);
          const noLeak = run(null, cell.doubleTalk);
          const out = cancel(withLeak.ref, withLeak.obs);
          const echo = new Float64Array(out.length);
          const resid = new Float64Array(out.length);
          for (let i = 0; i < out.length; i++) {
            echo[i] = withLeak.obs[i]! - noLeak.obs[i]!;
            resid[i] = out[i]! - noLeak.obs[i]!;
          }
          erles.push(10 * Math.log10(power(echo, withLeak.talking, frame) / Math.max(1, power(resid, withLeak.talking, frame))));
          if (cell.doubleTalk) {
            // The agent's voice with the whisper playing and no leak: what the canceller does to it.
            const outNear = cancel(noLeak.ref, noLeak.obs);
            const all = new Uint8Array(frames).fill(0).map((_, k) => (k >= startFrame ? 1 : 0));
            const diff = new Float64Array(outNear.length);
            for (let i = 0; i < diff.length; i++) diff[i] = outNear[i]! - noLeak.obs[i]!;
            const pNear = power(noLeak.obs, all, frame);
            levels.push(10 * Math.log10(power(outNear, all, frame) / pNear));
            snrs.push(10 * Math.log10(pNear / Math.max(1, power(diff, all, frame))));
          }
        }
        const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
        const audioS = (cell.doubleTalk ? 2 : 1) * SEEDS * SECONDS;
        console.log(
          `| ${bc.name} | ${cell.label} | ${residual ? 'on' : 'off'} | ${mean(erles).toFixed(1)} | ${Math.min(...erles).toFixed(1)} | ` +
            `${levels.length ? mean(levels).toFixed(2) : '-'} | ${snrs.length ? mean(snrs).toFixed(1) : '-'} | ${(cpuUs / audioS).toFixed(0)} |`,
        );
      }
    }
  }
}

main();
