/**
 * Echo canceller benchmark (speexdsp MDF as whisperd runs it: 20 ms blocks at the mix rate, the whisper
 * as delivered to the agent as the reference; native/src/echo.cc, the same speexdsp calls as
 * native/src/mix/aec.h and src/mix/EchoCanceller.ts).
 *
 * Run:   npx tsx bench/aec.bench.ts [--quick] [--seconds=30] [--seeds=2] [--tail=500] [--converge=5] [--codecs=G.711u,G.729,Opus16k]
 *        [--suppress-active=DB] (the residual suppressor's deepest cut while the agent talks; default as the
 *        daemon runs it, native kAecSuppressActiveDb; speexdsp's own default is -15) [--mic-noise=-60] (dBFS)
 * (each codec at its own rate: the canceller runs at the mix rate; Opus16k at 16 kHz; --converge: ERLE from
 * that second on)
 * Comparison: --engine=webrtc-aec2 [--aec2-bin=/tmp/webrtc-aec2] runs WebRTC's AEC2 (Debian
 * webrtc-audio-processing 0.3, bench/aec/webrtc-aec2.cc, built as its header says; extended filter and
 * delay-agnostic mode on) in place of speexdsp: "residual suppr." off = its NLP at low suppression, on = high
 * (AEC2's NLP cannot be switched off); CPU = the harness's process CPU per second of audio.
 *
 * Simulation: test/fixtures/dsp/callSim.ts (recorded speech, pocketsphinx-testdata): the agent hears the
 * whisper through the downlink codec, the leak path (-20 dB direct path, bulk delay 40..300 ms, RT60 0..300
 * ms reverberant tail at DRR 3 dB, optionally soft clipping) carries it into the microphone, the agent may
 * talk at the same time (double talk), the uplink codec delivers it. The same seed is run again without the
 * leak: `near` (what the customer should hear). speexdsp's canceller filters its input even with nothing
 * to cancel (DC notch, pre-/de-emphasis: on pocketsphinx speech the output of a silent far end already
 * differs from its input by ~3.7 dB SNR, -0.76 dB level), so every comparison is made against the
 * canceller's own output with a silent far end, C0(x) (same configuration, reference all zeros):
 *   ERLE  = 10 log10( P(C0(obs) - C0(near)) / P(out - out_v) )   over frames where the supervisor talks:
 *           the echo as it passes the canceller's fixed filters (C0 without residual suppression, linear),
 *           over what is left of it. out_v: the voice-only run (same agent voice and whisper reference, no
 *           leak) through the same canceller (single talk: C0(near), near being silence), so the agent's
 *           voice and what the adaptation does to it cancel out of the residual; in double talk what is
 *           left also holds the difference the echo makes to that adaptation (a lower bound); for double
 *           talk also over the supervisor's frames in the agent's pauses (did the filter converge at all);
 *   voice = the agent's voice through the canceller with the whisper playing and no leak (out_v) against
 *           the same canceller with a silent far end (C0(near)): level change 10 log10(P(out_v)/P(C0))
 *           and distortion SNR 10 log10(P(C0)/P(out_v - C0)) — what the whisper's presence and the
 *           filter's adaptation do to the agent, not speexdsp's fixed input filtering;
 *   CPU   = process CPU time (process.cpuUsage, user+system) of the echoCancel calls with the real
 *           reference per second of audio (not wall time).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNative } from '../src/native/addon';
import { CallSim, type CallSimOptions, type LeakOptions, recordCall } from '../test/fixtures/dsp/callSim';
import { framesFrom, maskedDiffPower, maskedPower, runCanceller, supervisorTalking } from '../test/fixtures/dsp/echoMeasure';
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
const CONVERGE_S = argNum('converge', 5);
const ENGINE = argStr('engine', 'speex');
/** White noise at the agent's microphone, dBFS RMS (callSim's default -60). */
const MIC_NOISE = argNum('mic-noise', -60);
/** Residual suppressor's deepest cut while the agent talks (dB); default: as the daemon runs it (native kAecSuppressActiveDb). */
const SUPPRESS_ACTIVE = args.some((x) => x.startsWith('--suppress-active=')) ? argNum('suppress-active', 0) : undefined;
const AEC2_BIN = argStr('aec2-bin', '/tmp/webrtc-aec2');
if (ENGINE !== 'speex' && ENGINE !== 'webrtc-aec2') throw new Error(`--engine: speex or webrtc-aec2, not ${ENGINE}`);

/** One run through the WebRTC AEC2 harness (bench/aec/webrtc-aec2.cc): the cancelled audio; `cpu` gets its CPU time. */
function webrtcAec2(rate: number, ref: Int16Array, obs: Int16Array, high: boolean, cpu?: { us: number }): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'aec2-'));
  try {
    writeFileSync(join(dir, 'ref.raw'), Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength));
    writeFileSync(join(dir, 'obs.raw'), Buffer.from(obs.buffer, obs.byteOffset, obs.byteLength));
    const r = spawnSync(AEC2_BIN, [String(rate), high ? '2' : '0', '1', '1', '0', join(dir, 'ref.raw'), join(dir, 'obs.raw'), join(dir, 'out.raw')]);
    if (r.status !== 0) throw new Error(`${AEC2_BIN} failed (${String(r.status)}): ${r.stderr?.toString() ?? r.error?.message ?? ''} (build it as bench/aec/webrtc-aec2.cc says)`);
    const m = /cpu_us_per_s (\d+)/.exec(r.stderr.toString());
    if (cpu && m) cpu.us += Number(m[1]) * (obs.length / rate);
    const b = readFileSync(join(dir, 'out.raw'));
    const out = new Int16Array(obs.length);
    out.set(new Int16Array(b.buffer, b.byteOffset, Math.min(obs.length, b.length >> 1)));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

function main(): void {
  if (!speechAvailable()) throw new Error('pocketsphinx-testdata missing');
  const native = loadNative();
  if (native === null) throw new Error('native addon missing (make native)');
  const { codecs: all, missing } = benchCodecs();
  const want = argStr('codecs', all.map((c) => c.name).join(',')).split(',');
  const codecs = all.filter((c) => want.includes(c.name));
  const poolsByRate = new Map<number, ReturnType<typeof loadSpeechPools>>();
  const frames = SECONDS * 50;
  const startFrame = CONVERGE_S * 50;
  const engine = ENGINE === 'speex' ? `speexdsp MDF, 20 ms blocks at the codec's rate, tail ${TAIL_MS} ms, residual suppressor's cut while the agent talks ${SUPPRESS_ACTIVE === undefined ? 'as the daemon runs it' : `${SUPPRESS_ACTIVE} dB`}, mic noise ${MIC_NOISE} dBFS` : 'WebRTC AEC2 (comparison: 10 ms frames at the codec\'s rate, its own filter length)';
  console.log(`# AEC bench: ${engine}, ${SECONDS} s per run, ${SEEDS} seed(s), ERLE after ${CONVERGE_S} s; codecs ${codecs.map((c) => `${c.name} (${c.rate} Hz)`).join(', ')}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
  console.log('| codec | condition | residual suppr. | ERLE dB (mean over seeds) | min | ERLE dB in the agent\'s pauses | agent level change dB | agent distortion SNR dB | preprocessor alone on the agent: level dB / SNR dB | CPU us per call-second |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
  for (const bc of codecs) {
    const rate = bc.rate;
    const frame = rate / 50;
    if (!poolsByRate.has(rate)) poolsByRate.set(rate, loadSpeechPools(rate));
    const pools = poolsByRate.get(rate)!;
    const silent = new Int16Array(frames * frame);
    for (const cell of cells()) {
      const acc = [false, true].map(() => ({ erles: [] as number[], pauseErles: [] as number[], levels: [] as number[], snrs: [] as number[], dnLevels: [] as number[], dnSnrs: [] as number[], cpuUs: 0, audioS: 0 }));
      for (let seed = 1; seed <= SEEDS; seed++) {
        const run = (leak: LeakOptions | null, dt: boolean): { ref: Int16Array; obs: Int16Array; talking: Uint8Array } => {
          const o: CallSimOptions = {
            pools, seed, leak, down: bc.make(), up: bc.make(), lossRate: 0, lossMode: 'plc',
            supervisor: SUPERVISOR, agent: dt ? AGENT : null, customer: null, micNoiseDbfs: MIC_NOISE,
          };
          const { ref, obs } = recordCall(new CallSim(o), frames);
          return { ref, obs, talking: supervisorTalking(ref, frame, startFrame) };
        };
        /** The canceller over a whole run; `cpu` receives the CPU time of its echoCancel calls. */
        const cancel = (ref: Int16Array, obs: Int16Array, residual: boolean, cpu?: { us: number }): Int16Array =>
          ENGINE === 'webrtc-aec2'
            ? webrtcAec2(rate, ref, obs, residual, cpu)
            : runCanceller(native, frame, Math.round((rate * TAIL_MS) / 1000), rate, ref, obs, residual, SUPPRESS_ACTIVE, cpu);
        const withLeak = run(cell.leak, cell.doubleTalk);
        const noLeak = run(null, cell.doubleTalk);
        // The echo as the canceller's fixed input filters pass it (C0 linear: no residual suppression).
        const c0Obs = cancel(silent, withLeak.obs, false);
        const c0Near = cancel(silent, noLeak.obs, false);
        const pEcho = maskedDiffPower(c0Obs, c0Near, withLeak.talking, frame);
        const all = framesFrom(frames, startFrame);
        // Double talk: the supervisor's frames where the agent is silent (its no-leak signal below -45 dBFS):
        // whether the filter converged at all during the call, apart from what double talk leaves.
        const pause = new Uint8Array(frames);
        if (cell.doubleTalk) {
          for (let k = 0; k < frames; k++) {
            let e = 0;
            for (let i = k * frame; i < (k + 1) * frame; i++) e += noLeak.obs[i]! * noLeak.obs[i]!;
            pause[k] = withLeak.talking[k]! && Math.sqrt(e / frame) < 32768 * Math.pow(10, -45 / 20) ? 1 : 0;
          }
        }
        for (const residual of [false, true]) {
          const a = acc[residual ? 1 : 0]!;
          const cpu = { us: 0 };
          const out = cancel(withLeak.ref, withLeak.obs, residual, cpu);
          a.audioS += SECONDS;
          const nearRef = residual ? cancel(silent, noLeak.obs, true) : c0Near;
          // The voice-only run (same agent voice, same whisper as the reference, no leak) through the same
          // canceller: out - outV is what is left of the echo (plus the difference the echo makes to the
          // adaptation's effect on the voice), without speexdsp's fixed filtering of the agent's voice.
          const outV = cell.doubleTalk ? cancel(noLeak.ref, noLeak.obs, residual, cpu) : nearRef;
          if (cell.doubleTalk) a.audioS += SECONDS;
          a.erles.push(10 * Math.log10(pEcho / Math.max(1, maskedDiffPower(out, outV, withLeak.talking, frame))));
          if (cell.doubleTalk) {
            a.pauseErles.push(10 * Math.log10(maskedDiffPower(c0Obs, c0Near, pause, frame) / Math.max(1, maskedDiffPower(out, outV, pause, frame))));
            // The agent's voice with the whisper playing and no leak, against the same canceller with a silent far end.
            const pRef = maskedPower(nearRef, all, frame);
            a.levels.push(10 * Math.log10(maskedPower(outV, all, frame) / pRef));
            a.snrs.push(10 * Math.log10(pRef / Math.max(1, maskedDiffPower(outV, nearRef, all, frame))));
            if (residual) {
              // What the preprocessor alone (its denoiser) does to the agent's voice, whisper or not: the
              // silent-far-end run with it against the same run without it (C0). The preprocessor delays its
              // output (overlap-add): the difference is taken at the lag that minimises it (0..2 frames).
              const pC0 = maskedPower(c0Near, all, frame);
              a.dnLevels.push(10 * Math.log10(pRef / pC0));
              let best = Infinity;
              const dn = new Float64Array(nearRef.length);
              for (let lag = 0; lag <= 2 * frame; lag++) {
                for (let i = 0; i < dn.length; i++) dn[i] = (nearRef[i + lag] ?? 0) - c0Near[i]!;
                best = Math.min(best, maskedPower(dn, all, frame));
              }
              a.dnSnrs.push(10 * Math.log10(pC0 / Math.max(1, best)));
            }
          }
          a.cpuUs += cpu.us;
        }
      }
      for (const residual of [false, true]) {
        const a = acc[residual ? 1 : 0]!;
        console.log(
          `| ${bc.name} | ${cell.label} | ${residual ? 'on' : 'off'} | ${mean(a.erles).toFixed(1)} | ${Math.min(...a.erles).toFixed(1)} | ${a.pauseErles.length ? mean(a.pauseErles).toFixed(1) : '-'} | ` +
            `${a.levels.length ? mean(a.levels).toFixed(2) : '-'} | ${a.snrs.length ? mean(a.snrs).toFixed(1) : '-'} | ${a.dnLevels.length ? `${mean(a.dnLevels).toFixed(2)} / ${mean(a.dnSnrs).toFixed(1)}` : '-'} | ${(a.cpuUs / a.audioS).toFixed(0)} |`,
        );
      }
    }
  }
}

main();
