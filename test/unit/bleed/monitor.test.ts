/**
 * BleedMonitor fed with plain arrays (the MixAudioSink records either engine produces): the reference is
 * the supervisor's int16 contribution per mixed agent frame, the observed stream the agent's decoded
 * audio, the digital check the customer's frame against the supervisor's raw audio; checkRouting reads
 * the customer output's passthrough source.
 */
import t from 'tap';
import { BleedMonitor, type BleedKind, type BleedMonitorHost } from '../../../src/bleed/BleedMonitor';
import { CallSim } from '../../fixtures/dsp/callSim';
import { pcmu } from '../../fixtures/dsp/codecs';
import { loadSpeechPools, speechAvailable } from '../../fixtures/dsp/speech';

function monitor(): { m: BleedMonitor; trips: BleedKind[] } {
  const trips: BleedKind[] = [];
  const host: BleedMonitorHost = { measured: () => undefined, trip: (_m, kind) => trips.push(kind) };
  const m = new BleedMonitor({
    callId: 'c', supervisorTag: 'sup', agentTag: 'agent', customerTag: 'cust', rate: 8000,
    thresholdDb: -25, maxDelayMs: 500, levelOffsetDb: 0, host,
  });
  return { m, trips };
}

/** Drive a simulated whispered call through the monitor: reference at emission, observed 0-8 ms later. */
function drive(m: BleedMonitor, seconds: number, leak: boolean, refIsNull = false): void {
  const sim = new CallSim({
    pools: loadSpeechPools(8000), seed: 3, leak: leak ? { levelDb: -20, delayMs: 120, rt60Ms: 200, drrDb: 6 } : null,
    down: pcmu(), up: pcmu(), lossRate: 0, lossMode: 'plc',
    supervisor: { talkMs: [1500, 4000], pauseMs: [300, 800], gainDb: [-3, 3] },
    agent: null, customer: null,
  });
  const ref = new Int16Array(160);
  const obs = new Int16Array(160);
  for (let i = 0; i < seconds * 50; i++) {
    sim.step(ref, obs);
    const now = 1000 + i * 20;
    m.onReference(refIsNull ? null : ref, 160, now);
    m.onObserved(obs, 0, 160, now + (i % 5) * 2);
  }
}

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  t.test('a -20 dB leak at 120 ms in the observed stream trips the acoustic alarm with its level and delay', async (t) => {
    const { m, trips } = monitor();
    drive(m, 10, true);
    t.same(trips, ['acoustic'], 'tripped once, acoustic');
    t.ok(m.measurement.detected, 'detected');
    t.ok(Math.abs(m.measurement.levelDb + 20) <= 4, `level ${m.measurement.levelDb.toFixed(1)} dB`);
    t.ok(Math.abs(m.measurement.delayMs - 120) <= 10, `delay ${m.measurement.delayMs.toFixed(1)} ms`);
    t.ok(m.pairedSamples > 8000 * 9, `paired ${m.pairedSamples} samples`);
  });

  t.test('no leak: evaluated, never detected', async (t) => {
    const { m, trips } = monitor();
    drive(m, 10, false);
    t.ok(m.measurement.evaluations > 0, `${m.measurement.evaluations} evaluations`);
    t.equal(m.measurement.detected, false);
    t.same(trips, []);
  });

  t.test('a null reference (supervisor not a source of the agent output) is silence: nothing evaluated', async (t) => {
    const { m, trips } = monitor();
    drive(m, 5, true, true);
    t.equal(m.measurement.evaluations, 0, 'no evaluation without whisper');
    t.same(trips, []);
  });
}

t.test('digital check: the customer frame equal to the supervisor raw audio trips once, a null raw never', async (t) => {
  const { m, trips } = monitor();
  const raw = new Int16Array(160);
  const pcm = new Int16Array(160);
  let seed = 1;
  for (let f = 0; f < 50; f++) {
    for (let i = 0; i < 160; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raw[i] = ((seed >>> 16) & 0x3fff) - 0x2000;
      pcm[i] = raw[i]!;
    }
    m.onCustomerMixed(pcm, null, 160);
  }
  t.same(trips, [], 'null raw (supervisor not a source of the customer output): no trip');
  for (let f = 0; f < 50 && trips.length === 0; f++) {
    for (let i = 0; i < 160; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raw[i] = ((seed >>> 16) & 0x3fff) - 0x2000;
      pcm[i] = raw[i]!;
    }
    m.onCustomerMixed(pcm, raw, 160);
  }
  t.same(trips, ['digital'], 'the copy tripped the digital check');
  t.ok(m.measurement.digitalTripped);
});

t.test('checkRouting: only a customer output forwarding the supervisor trips', async (t) => {
  const { m, trips } = monitor();
  m.checkRouting(null);
  m.checkRouting('agent');
  t.same(trips, [], 'mixing, or forwarding the agent: fine');
  m.checkRouting('sup');
  t.same(trips, ['digital'], 'forwarding the supervisor: digital trip');
  m.checkRouting('sup');
  t.same(trips, ['digital'], 'latched: reported once');
});
