import t from 'tap';
import { DigitalLeakCheck } from '../../../src/dsp/digitalLeakCheck';
import { G711Decoder, G711Encoder } from '../../../src/codec/g711';
import { CallSim, type CallSimOptions } from '../../fixtures/dsp/callSim';
import { pcmu } from '../../fixtures/dsp/codecs';
import { Rng } from '../../fixtures/dsp/rng';
import { loadSpeechPools, speechAvailable } from '../../fixtures/dsp/speech';
import { Talker } from '../../fixtures/dsp/talker';

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  const pools = loadSpeechPools(8000);
  const F = 160;

  /** Feed `frames` 20 ms frames of supervisor + agent speech; `sent` = agent + gain * supervisor delayed by `lag`. */
  function misroute(check: DigitalLeakCheck, opts: { lag: number; gainDb: number; g711: boolean; frames: number; seed: number }): number | null {
    const sup = new Talker(pools.supervisor, 8000, new Rng(opts.seed), { talkMs: [1500, 4000], pauseMs: [300, 1000], gainDb: [-3, 3] });
    const agt = new Talker(pools.agent, 8000, new Rng(opts.seed + 100), { talkMs: [1000, 3000], pauseMs: [500, 3000], gainDb: [-3, 3] });
    const g = Math.pow(10, opts.gainDb / 20);
    const history = new Int16Array(opts.lag + F);
    const ref = new Int16Array(F);
    const a = new Int16Array(F);
    const sent = new Int16Array(F);
    const enc = new G711Encoder('ulaw');
    const dec = new G711Decoder('ulaw');
    const payload = new Uint8Array(F);
    for (let i = 0; i < opts.frames; i++) {
      sup.next(ref, 0, F);
      agt.next(a, 0, F);
      history.copyWithin(0, F);
      history.set(ref, opts.lag);
      for (let k = 0; k < F; k++) {
        const v = a[k] + g * history[k];
        sent[k] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
      }
      if (opts.g711) {
        enc.encode(sent, 0, F, payload, 0);
        dec.decode(payload, 0, F, sent, 0);
      }
      check.process(ref, 0, sent, 0, F);
      if (check.tripped) return i + 1;
    }
    return null;
  }

  t.test('trips on the supervisor routed to the customer at lag 0 (exact copy while the agent is silent)', async (t) => {
    const check = new DigitalLeakCheck({ sampleRate: 8000 });
    const sup = new Talker(pools.supervisor, 8000, new Rng(1), { talkMs: [2000, 3000], pauseMs: [0, 0], gainDb: [0, 0] });
    const ref = new Int16Array(F);
    let frames = 0;
    while (!check.tripped && frames < 100) {
      sup.next(ref, 0, F);
      check.process(ref, 0, ref, 0, F); // the customer gets exactly the whisper
      frames++;
    }
    t.ok(check.tripped, `tripped after ${frames} frames`);
    t.ok(frames <= 30, 'within 0.6 s (allowing for the pauses of real speech)');
    t.equal(check.matchLag, 0);
  });

  t.test('trips on a routed copy mixed with the agent, 3 samples of skew, -6 dB, through G.711', async (t) => {
    for (const seed of [2, 3, 4]) {
      const check = new DigitalLeakCheck({ sampleRate: 8000 });
      const frames = misroute(check, { lag: 3, gainDb: -6, g711: true, frames: 500, seed });
      t.ok(frames !== null && frames <= 250, `seed ${seed}: tripped after ${frames} frames`);
      t.equal(check.matchLag, 3, `seed ${seed}: at the skew`);
    }
  });

  t.test('does not trip on a skew beyond maxSkewMs (that is the acoustic detector\'s job)', async (t) => {
    const check = new DigitalLeakCheck({ sampleRate: 8000, maxSkewMs: 2 });
    t.equal(misroute(check, { lag: 80, gainDb: 0, g711: false, frames: 500, seed: 5 }), null);
    t.ok(check.framesChecked > 100);
  });

  const acoustic = (seed: number, delayMs: number, levelDb: number): CallSimOptions => ({
    pools,
    seed,
    leak: { levelDb, delayMs, rt60Ms: 150, drrDb: 6 },
    down: pcmu(),
    up: pcmu(),
    lossRate: 0.01,
    lossMode: 'plc',
    supervisor: { talkMs: [1500, 4000], pauseMs: [300, 1500], gainDb: [-3, 3] },
    agent: { talkMs: [1000, 3000], pauseMs: [2000, 5000], gainDb: [-3, 3], startSilent: true },
    customer: null,
  });

  t.test('does not trip on acoustic leaks (delay >= 10 ms) from -20 to 0 dB', async (t) => {
    for (const [delayMs, levelDb] of [
      [10, 0],
      [10, -20],
      [12.5, -10],
      [20, -10],
      [120, -20],
    ] as const) {
      const sim = new CallSim(acoustic(11, delayMs, levelDb));
      const check = new DigitalLeakCheck({ sampleRate: 8000 });
      const ref = new Int16Array(F);
      const obs = new Int16Array(F);
      let maxCorr = 0;
      for (let i = 0; i < 1500; i++) {
        sim.step(ref, obs);
        check.process(ref, 0, obs, 0, F);
        if (check.correlation > maxCorr) maxCorr = check.correlation;
      }
      t.ok(check.framesChecked > 500, `${delayMs} ms: ${check.framesChecked} talk frames checked`);
      t.notOk(check.tripped, `${delayMs} ms, ${levelDb} dB: not tripped (max correlation ${maxCorr.toFixed(2)})`);
    }
  });

  t.test('only examines frames where the supervisor talks; reset() clears the trip', async (t) => {
    const check = new DigitalLeakCheck({ sampleRate: 8000 });
    const zero = new Int16Array(F);
    for (let i = 0; i < 50; i++) check.process(zero, 0, zero, 0, F);
    t.equal(check.framesChecked, 0);
    t.notOk(check.tripped);
    const sup = new Talker(pools.supervisor, 8000, new Rng(9), { talkMs: [3000, 3000], pauseMs: [0, 0], gainDb: [0, 0] });
    const ref = new Int16Array(F * 50);
    sup.next(ref, 0, ref.length);
    check.process(ref, 0, ref, 0, ref.length); // one long call, split internally
    t.ok(check.tripped);
    check.reset();
    t.notOk(check.tripped);
    t.equal(check.framesChecked, 0);
    t.equal(check.matchLag, -1);
  });
}
