import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { angleDiffDeg, framePhases, headerGaps, maxStep, maxStepBound, ssrcSegments } from '../fixtures/clicks';
import { waitFor } from '../fixtures/phone';
import { closeAll, SSRC, startAll, supervisedCall } from '../fixtures/supervisedCall';

/**
 * Mode switches mid-call (listen -> whisper -> barge -> listen over ng) as heard by the agent.
 * Low tones (customer 317 Hz, supervisor 443 Hz, -12 dBFS) so that a click stands out against the
 * largest sample-to-sample step the tones themselves can produce.
 *
 * Documented behaviour at passthrough <-> mix switches (src/mix/MixOutput.ts): while an output has
 * never been mixed it is the customer's own stream relayed (the customer's SSRC and numbering); the
 * first switch to mixing starts whisperd's own stream (new SSRC, marker bit), and from then on the
 * output stays that one stream, forwarded packets re-stamped into it, through every later switch.
 */
const F_C = 317;
const F_S = 443;
const DBFS = -12;

t.test('listen -> whisper -> barge -> listen: one continuous, click-free stream at the agent', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await supervisedCall(td, 'sw', 'listen');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c, { customer: F_C, supervisor: F_S, agent: 1019 }, DBFS);
  const agent = c.peers.agent;
  const customer = c.peers.customer;
  await agent.waitPackets(25, 0);
  agent.clear();
  const sentBefore = customer.sent;
  const sendStart = customer.sentAt.length;

  const steps: string[] = ['whisper', 'barge', 'listen'];
  await agent.waitPackets(40, 0);
  const agentOut = () => td.daemon.engine.mixer(td.daemon.registry.get('sw')!)!.output('agent')!;
  for (const mode of steps) {
    const fb = agentOut().framesByTimer;
    const t0 = performance.now();
    const r = await td.ng.request({ command: 'supervise', 'call-id': 'sw', 'from-tag': 'sup', mode });
    t.same(r, { result: 'ok', mode }, `switched to ${mode}`);
    const n = agent.count(0);
    await agent.waitPackets(n + 5, 0);
    // The output clock must not emit a frame of its own while the customer (the agent's primary
    // talker) is sending regularly: that inserts 20 ms of concealment into the customer's audio.
    const t1 = performance.now();
    const sends = customer.sentAt.filter((x) => x >= t0 - 60 && x <= t1);
    let gap = 0;
    for (let i = 1; i < sends.length; i++) gap = Math.max(gap, sends[i]! - sends[i - 1]!);
    const timerFrames = agentOut().framesByTimer - fb;
    if (gap < 60) {
      t.equal(timerFrames, 0, `switch to ${mode}: no timer frame inserted into the customer's audio (customer sending every ${gap.toFixed(0)} ms at most)`);
    } else {
      t.comment(`switch to ${mode}: inconclusive (customer send gap ${gap.toFixed(0)} ms on a loaded machine), ${timerFrames} timer frames`);
    }
    await agent.waitPackets(n + 40, 0);
  }
  // Stop the customer and let in-flight packets arrive, so "sent" and "received" cover the same frames.
  customer.stop();
  const sentDuring = customer.sent - sentBefore;
  await waitFor(() => agent.received.length > 0 && performance.now() - agent.received[agent.received.length - 1]!.at > 300, 'the agent stream to settle', 5000);
  const call = td.daemon.registry.get('sw')!;
  const out = td.daemon.engine.mixer(call)!.output('agent')!;

  const pkts = agent.received.filter((p) => p.pt === 0);
  const segs = ssrcSegments(pkts);
  t.comment(`agent stream: ${segs.map((s) => `ssrc ${s.ssrc.toString(16)} x${s.packets.length}`).join(', ')}; framesByTimer ${out.framesByTimer}`);
  t.ok(segs.length <= 2, `at most one SSRC change (the first switch to mixing): ${segs.length} runs`);
  if (segs.length === 2) {
    t.equal(segs[0]!.ssrc, SSRC.customer, 'before the first mix the customer stream is relayed as is');
    t.ok(segs[1]!.packets[0]!.marker, "whisperd's own stream starts with the marker bit");
  }
  t.not(segs[segs.length - 1]!.ssrc, SSRC.customer, 'after mixing once, back in listen the stream stays whisperd\'s (re-stamped)');
  for (const s of segs) {
    const gaps = headerGaps(s.packets);
    t.same(gaps, [], `ssrc ${s.ssrc.toString(16)}: sequence +1 and timestamp +160 on every packet`);
  }

  // Frames: the agent got exactly the customer's frames, none lost, none added (+1: one in flight at clear()).
  const extraTimerFrames = pkts.length - sentDuring;
  const sendGaps = customer.sentAt.slice(sendStart);
  let maxGap = 0;
  for (let i = 1; i < sendGaps.length; i++) maxGap = Math.max(maxGap, sendGaps[i]! - sendGaps[i - 1]!);
  t.comment(`customer sent ${sentDuring} (largest send gap ${maxGap.toFixed(0)} ms), agent received ${pkts.length}`);
  const loaded = maxGap >= 60;
  if (loaded) t.comment('frame-count and phase checks inconclusive: the customer itself paused >= 60 ms (loaded machine)');
  t.ok(loaded || (extraTimerFrames >= 0 && extraTimerFrames <= 1), `no frame lost or inserted: agent received ${pkts.length}, customer sent ${sentDuring}`);

  // Audio: the customer's tone keeps its phase (an inserted/lost frame would shift it by 2π·317·0.02 = 122°).
  const { pcm } = agent.decode('pcmu', 0, pkts);
  const ph = framePhases(pcm, 8000, F_C, 160);
  let worst = 0;
  let worstAt = -1;
  for (let i = 1; i < ph.length; i++) {
    const d = Math.abs(angleDiffDeg(ph[i]!.phase, ph[0]!.phase));
    if (d > worst) {
      worst = d;
      worstAt = i;
    }
  }
  t.ok(loaded || worst < 30, `customer tone phase constant through the switches (worst drift ${worst.toFixed(1)}° at frame ${worstAt} of ${ph.length})`);

  // Clicks: no sample step beyond what the two tones (+ G.711 quantisation, ±512 at this level) can make.
  const bound = maxStepBound([{ freq: F_C, dbfs: DBFS }, { freq: F_S, dbfs: DBFS }], 8000, 1100);
  const m = maxStep(pcm);
  t.ok(m.step <= bound, `largest sample step ${m.step} at sample ${m.at} (frame ${Math.floor(m.at / 160)}) <= bound ${bound.toFixed(0)}`);
});
