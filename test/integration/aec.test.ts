/**
 * Echo canceller on the agent -> customer path (bleed.echoCanceller, HTTP `aec`), end to end: real UDP
 * G.711 phones through an in-process whisperd (the engine of WHISPERD_MEDIA_ENGINE: make test runs both),
 * recorded speech for the supervisor, the agent's phone returning what it plays with a -20 dB leak 80 ms
 * later (plus its playout buffer). Bounds are CI-tolerant; ERLE on the corpus is bench/aec.bench.ts.
 */
import t from 'tap';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import type { Phone } from '../fixtures/phone';
import { goertzelDb } from '../fixtures/media';
import { bleedCall, rmsDbfs, waitForEvent, type BleedCall } from '../fixtures/bleed/bleedCall';
import { loadSpeechPools, speechAvailable } from '../fixtures/dsp/speech';

const F_AGENT = 1019;

async function patch(td: TestDaemon, callId: string, tag: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/v1/calls/${encodeURIComponent(callId)}/supervisors/${tag}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function getCall(td: TestDaemon, callId: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/v1/calls/${encodeURIComponent(callId)}`);
  return (await res.json()) as Record<string, unknown>;
}

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  const speech = loadSpeechPools(8000);
  /** Wait until `p` has played out `ms` more audio; returns the sample index where that audio starts. */
  const hear = async (p: Phone, ms: number): Promise<Int16Array> => {
    const from = p.heardSamples;
    const target = from + ms * 8;
    await p.until(() => p.heardSamples >= target, `${ms} ms more audio at port ${p.port}`, 20_000 + 3 * ms);
    return p.heard(from).slice(0, ms * 8);
  };

  const setup = async (t: { teardown(fn: () => unknown): void }, callId: string, config: Record<string, Record<string, unknown>>): Promise<{ td: TestDaemon; c: BleedCall }> => {
    const td = await startTestDaemon(config);
    t.teardown(() => td.close());
    const c = await bleedCall(td, callId);
    t.teardown(() => c.close());
    c.supervisor.signal = { pcm: speech.supervisor };
    c.agent.leak = { gainDb: -20, delayMs: 80 };
    c.agent.playoutFrames = 2; // a phone's jitter buffer
    c.agent.soundClock = 'playout'; // its DAC and ADC on one clock: the test process's scheduling does not move the leak path
    return { td, c };
  };

  t.test('AEC attenuates a -20 dB / 80 ms leak before the customer hears it; the agent keeps its level', async (t) => {
    // The failsafe would end the whisper with AEC off: the bleed monitor is off for this measurement.
    const { td, c } = await setup(t, 'aec1', { bleed: { enabled: false } });
    c.start();
    await hear(c.customer, 1000);
    // Levels as the median of three 2 s windows: a stall of the loaded test machine that moves the agent
    // phone's playout (and so the leak path) costs the canceller one window, not the measurement.
    const median3 = async (measure: (pcm: Int16Array) => number): Promise<number> => {
      const w: number[] = [];
      for (let i = 0; i < 3; i++) w.push(measure(await hear(c.customer, 2000)));
      return w.sort((x, y) => x - y)[1]!;
    };
    const level = (): Promise<number> => median3(rmsDbfs);
    const off = await level();
    const playout0 = { ...c.agent.playout };
    const on1 = await patch(td, 'aec1', 'sup', { aec: true });
    t.equal(on1.status, 200);
    t.match(on1.json, { mode: 'whisper', aec: { requested: true, active: true } });
    await hear(c.customer, 4000); // convergence
    const on = await level();
    const att = off - on;
    const stats = JSON.stringify(td.daemon.engine.mixer(td.daemon.registry.get('aec1')!)!.echoStats('agent'));
    // The fixture's own leak-path moves since AEC went on (Phone.playout): non-zero means the test process
    // was starved and the agent phone's leak path changed under the converging canceller.
    const moved = `agent phone playout since AEC on: ${c.agent.playout.dry - playout0.dry} dry frames, ${c.agent.playout.cut - playout0.cut} cuts`;
    // Both engines give 13-19 dB with two test files in parallel on 2 cores (test/unit/mix/echoPairing.test.ts
    // holds the pairing to its mechanism: before, one order swap of the agent's packet and its reference frame
    // cost it). The agent phone's microphone is clocked by its playout (soundClock 'playout'): on the 20 ms
    // timer of the test process, a stall of that process ran its FIFO dry, moved the leak path for good and
    // the canceller re-converged during the measurement (2.6-3.0 dB in 3 of 9 loaded runs here, canceller
    // underruns/resyncs 0). Since: 16.3-20.9 dB under the same load and with a CPU burner beside it; only with
    // everything pinned to one core under a burner of higher priority did it fail (3.4 dB), with the fixture's
    // path unmoved and the canceller's own underruns at 19.
    t.ok(att >= 12, `leak at the customer: ${off.toFixed(1)} dBFS without AEC, ${on.toFixed(1)} dBFS with: ${att.toFixed(1)} dB attenuation (>= 12; canceller ${stats}; ${moved})`);
    const detail = await getCall(td, 'aec1');
    const sess = (detail.supervision as Array<Record<string, unknown>>)[0]!;
    t.match(sess.aec, { requested: true, active: true, stats: { tailMs: 500, blocks: Number } });
    const parts = detail.participants as Array<{ tag: string; output: string }>;
    t.equal(parts.find((p) => p.tag === 'cust')?.output, 'mix', "the customer's output mixes (decode, cancel, encode) instead of relaying the agent");

    // Double talk: the agent's own voice (a tone) reaches the customer at the same level with and without AEC.
    c.agent.signal = { toneHz: F_AGENT, gainDb: -20 };
    await hear(c.customer, 1000);
    // Median of three 2 s windows as for the leak level. With single windows a clean-clone run saw -25.1 dB with
    // AEC against -20.0 without, once, on the reference engine (it mixes on the test process's event loop, so a
    // stall of that process reaches the customer's mix too); the re-run of the file passed.
    const agentTone = (): Promise<number> => median3((pcm) => goertzelDb(pcm, 8000, F_AGENT));
    const toneOn = await agentTone();
    const off1 = await patch(td, 'aec1', 'sup', { aec: false });
    t.match(off1.json, { aec: { requested: false, active: false } });
    await hear(c.customer, 500);
    const toneOff = await agentTone();
    t.ok(Math.abs(toneOn - toneOff) <= 1, `agent's voice at the customer: ${toneOn.toFixed(2)} dB with AEC, ${toneOff.toFixed(2)} dB without (within 1 dB)`);
    const recs = td.daemon.audit.query({ callId: 'aec1', event: 'aec' });
    t.same(recs.map((r) => [r.reason, r.details?.aec]), [['aec on', true], ['aec off', false]], 'each switch audited');
  });

  t.test('with AEC on the bleed monitor measures what is left; it trips once the canceller is turned off', async (t) => {
    const { td, c } = await setup(t, 'aec2', { bleed: { echoCanceller: { enabled: true } } });
    const call = td.daemon.registry.get('aec2')!;
    c.start();
    await hear(c.customer, 6000);
    const s = td.daemon.supervision.session(call, 'sup')!;
    t.equal(s.mode, 'whisper', 'no failsafe while the leak is cancelled');
    t.ok(s.bleed && s.bleed.evaluations > 0, `the monitor evaluated (${JSON.stringify(s.bleed)})`);
    t.ok(td.daemon.engine.mixer(call)!.echoStats('agent') !== null, 'canceller runs (config default)');
    const t0 = Date.now();
    const r = await patch(td, 'aec2', 'sup', { aec: false });
    t.equal(r.status, 200);
    const fs = await waitForEvent(c, 'failsafe', 10_000);
    t.ok(fs, `failsafe ${Date.now() - t0} ms after the canceller was turned off`);
    t.equal(s.mode, 'listen');
  });
}
