import t from 'tap';
import { BleedDetector, LEVEL_NONE_DB } from '../../../src/dsp/bleedDetector';
import { CallSim, type CallSimOptions } from '../../fixtures/dsp/callSim';
import { passthrough, pcmu } from '../../fixtures/dsp/codecs';
import { runScenario } from '../../fixtures/dsp/runScenario';
import { loadSpeechPools, speechAvailable } from '../../fixtures/dsp/speech';

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  /** A whispered call at 8 kHz through G.711 with 2 % loss; the agent talks now and then (starts silent). */
  const call = (seed: number, leak: CallSimOptions['leak'], agentContinuous = false): CallSimOptions => ({
    pools: loadSpeechPools(8000),
    seed,
    leak,
    down: pcmu(),
    up: pcmu(),
    lossRate: 0.02,
    lossMode: 'plc',
    supervisor: { talkMs: [1500, 4000], pauseMs: [500, 2000], gainDb: [-3, 3] },
    agent: agentContinuous
      ? { talkMs: [3000, 8000], pauseMs: [0, 0], gainDb: [-3, 3] }
      : { talkMs: [1000, 3000], pauseMs: [2000, 5000], gainDb: [-3, 3], startSilent: true },
    customer: { talkMs: [1000, 3000], pauseMs: [1000, 4000], gainDb: [-3, 3], startSilent: true },
  });

  t.test('-20 dB leak at 120 ms (reverberant): alarm within 2 s of whisper speech, delay and level right', async (t) => {
    for (const seed of [1, 2, 3]) {
      const r = runScenario(call(seed, { levelDb: -20, delayMs: 120, rt60Ms: 200, drrDb: 6 }), { sampleRate: 8000 }, 8);
      t.ok(r.firstAlarmSpeechS !== null && r.firstAlarmSpeechS <= 2, `seed ${seed}: alarm after ${r.firstAlarmSpeechS} s of whisper`);
      t.ok(r.detectedDelayMs !== null && Math.abs(r.detectedDelayMs - 120) <= 5, `seed ${seed}: delay ${r.detectedDelayMs} ms`);
      t.ok(r.detectedLevelDb !== null && Math.abs(r.detectedLevelDb + 20) <= 3, `seed ${seed}: level ${r.detectedLevelDb} dB`);
      t.equal(r.alarmEpisodes, 1, `seed ${seed}: the alarm, once raised, stays up while the whisper goes on`);
    }
  });

  t.test('-30 dB leak at 300 ms: detected within 10 s, level right, below the -25 dB alarm threshold', async (t) => {
    for (const seed of [4, 5]) {
      const r = runScenario(call(seed, { levelDb: -30, delayMs: 300, rt60Ms: 300, drrDb: 3 }), { sampleRate: 8000 }, 14);
      t.ok(r.firstDetectSpeechS !== null && r.firstDetectSpeechS <= 10, `seed ${seed}: detected after ${r.firstDetectSpeechS} s`);
      t.ok(r.detectedDelayMs !== null && Math.abs(r.detectedDelayMs - 300) <= 5, `seed ${seed}: delay ${r.detectedDelayMs} ms`);
      t.ok(r.detectedLevelDb !== null && Math.abs(r.detectedLevelDb + 30) <= 3, `seed ${seed}: level ${r.detectedLevelDb} dB`);
      t.equal(r.alarmEvaluations, 0, `seed ${seed}: no alarm at the default -25 dB threshold`);
    }
    // ...and with the threshold at -35 dB the same leak raises the alarm.
    const r = runScenario(call(4, { levelDb: -30, delayMs: 300, rt60Ms: 300, drrDb: 3 }), { sampleRate: 8000, thresholdDb: -35 }, 14);
    t.ok(r.firstAlarmSpeechS !== null && r.firstAlarmSpeechS <= 10, `alarm at -35 dB threshold after ${r.firstAlarmSpeechS} s`);
  });

  t.test('no leak, continuous double talk for 60 s: never detected, never alarmed', async (t) => {
    const r = runScenario(call(6, null, true), { sampleRate: 8000 }, 60);
    t.ok(r.evaluations > 100, `the supervisor talked: ${r.evaluations} evaluations`);
    t.equal(r.detectEpisodes, 0, `max PSR ${r.maxPsr.toFixed(1)}`);
    t.equal(r.alarmEvaluations, 0);
  });

  t.test('-50 dB leak with double talk for 60 s: no alarm', async (t) => {
    const r = runScenario(call(7, { levelDb: -50, delayMs: 80, rt60Ms: 200, drrDb: 6 }, true), { sampleRate: 8000 }, 60);
    t.ok(r.evaluations > 100);
    t.equal(r.alarmEvaluations, 0);
    if (r.detectedLevelDb !== null) t.ok(r.detectedLevelDb < -40, `if measured, it is measured low: ${r.detectedLevelDb} dB`);
  });

  for (const rate of [16000, 48000] as const) {
    t.test(`input at ${rate} Hz: -20 dB leak at 45 ms detected, delay and level right`, async (t) => {
      const opts: CallSimOptions = {
        ...call(8, { levelDb: -20, delayMs: 45, rt60Ms: 150, drrDb: 6 }),
        pools: loadSpeechPools(rate),
        down: passthrough(),
        up: passthrough(),
        lossRate: 0,
      };
      const r = runScenario(opts, { sampleRate: rate }, 5);
      t.ok(r.firstAlarmSpeechS !== null && r.firstAlarmSpeechS <= 2, `alarm after ${r.firstAlarmSpeechS} s`);
      t.ok(r.detectedDelayMs !== null && Math.abs(r.detectedDelayMs - 45) <= 5, `delay ${r.detectedDelayMs}`);
      t.ok(r.detectedLevelDb !== null && Math.abs(r.detectedLevelDb + 20) <= 3, `level ${r.detectedLevelDb}`);
    });
  }

  t.test('nothing is evaluated while the supervisor is silent, whatever the agent does', async (t) => {
    const sim = new CallSim({ ...call(9, { levelDb: -10, delayMs: 50, rt60Ms: 0, drrDb: 0 }, true) });
    const det = new BleedDetector({ sampleRate: 8000 });
    const ref = new Int16Array(160);
    const obs = new Int16Array(160);
    const silent = new Int16Array(160);
    for (let i = 0; i < 500; i++) {
      sim.step(ref, obs);
      det.process(silent, 0, obs, 0, 160);
    }
    t.equal(det.evaluations, 0);
    t.equal(det.levelDb, LEVEL_NONE_DB);
    t.equal(det.delayMs, -1);
    t.equal(det.alarm, false);
  });

  t.test('results do not depend on how the audio is split into calls; reset() forgets everything', async (t) => {
    const sim = new CallSim(call(10, { levelDb: -20, delayMs: 200, rt60Ms: 0, drrDb: 0 }));
    const frames = 250;
    const ref = new Int16Array(160 * frames);
    const obs = new Int16Array(160 * frames);
    const fr = new Int16Array(160);
    const fo = new Int16Array(160);
    for (let i = 0; i < frames; i++) {
      sim.step(fr, fo);
      ref.set(fr, 160 * i);
      obs.set(fo, 160 * i);
    }
    const a = new BleedDetector({ sampleRate: 8000 });
    for (let i = 0; i < frames; i++) a.process(ref, 160 * i, obs, 160 * i, 160);
    const b = new BleedDetector({ sampleRate: 8000 });
    const sizes = [80, 240, 7, 1000, 33];
    for (let off = 0, k = 0; off < ref.length; k++) {
      const n = Math.min(sizes[k % sizes.length], ref.length - off);
      b.process(ref, off, obs, off, n);
      off += n;
    }
    t.ok(a.alarm, 'the leak is found');
    t.equal(b.evaluations, a.evaluations);
    t.equal(b.levelDb, a.levelDb);
    t.equal(b.delayMs, a.delayMs);
    t.equal(b.alarm, a.alarm);
    a.reset();
    t.equal(a.evaluations, 0);
    t.equal(a.alarm, false);
    t.equal(a.levelDb, LEVEL_NONE_DB);
    // After a reset, the same audio gives the same answer again.
    for (let i = 0; i < frames; i++) a.process(ref, 160 * i, obs, 160 * i, 160);
    t.equal(a.levelDb, b.levelDb);
  });

  t.test('rejects unsupported options', async (t) => {
    t.throws(() => new BleedDetector({ sampleRate: 44100 as 8000 }), RangeError);
    t.throws(() => new BleedDetector({ sampleRate: 8000, consistency: { need: 5, of: 4 } }), RangeError);
  });
}
