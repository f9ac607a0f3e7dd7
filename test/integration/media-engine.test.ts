/**
 * Which engine runs a call's mixer (config media.engine, src/call/MediaEngine.ts): 'native' puts the mix
 * on a media thread (every endpoint of the call attached to it, nothing of the call read by Node), and a
 * whisper works through it (the agent hears customer + supervisor, the customer only the agent, DTMF
 * steers, the bleed monitor is fed); with no media threads, or with 'reference', the TypeScript engine
 * runs it; the choice is visible in whisperd_mixer_engine and counted as a fallback when native was wanted.
 * (Runs whatever WHISPERD_MEDIA_ENGINE says: each case sets media.engine itself.)
 */
import t from 'tap';
import { metricSample, startTestDaemon } from '../fixtures/daemon';
import { closeAll, collect, F_AGENT, F_CUSTOMER, F_SUPERVISOR, heard, peak, startAll, supervisedCall, twoPartyCall } from '../fixtures/supervisedCall';
import { waitFor } from '../fixtures/phone';
import { nativeMixFns } from '../../src/mix/NativeCallMixer';

const nativeMix = nativeMixFns() !== null;

t.test('media.engine=native: the whisper runs on a media thread, audio and DTMF as with the reference engine', async (t) => {
  if (!nativeMix) {
    t.fail('the addon has no native mix functions (make native)');
    return;
  }
  const td = await startTestDaemon({ media: { engine: 'native', threads: 1 } });
  const c = await supervisedCall(td, 'eng-native', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  const call = td.daemon.registry.get('eng-native')!;
  const mixer = td.daemon.engine.mixer(call)!;
  t.equal(mixer.engine, 'native', 'the mixer is native');
  for (const p of call.participants.values()) {
    const ep = p.mixableLeg()!.endpoint!;
    t.ok(ep.isNativeMix, `${p.tag}: endpoint attached to the native mix`);
  }
  startAll(c);
  await collect(c, 60);
  const agent = heard(c, 'agent', 800);
  t.ok(peak(c, 'agent', F_CUSTOMER) > -25, `agent hears the customer (${agent[F_CUSTOMER]!.toFixed(1)} dBFS)`);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -25, `agent hears the supervisor (${agent[F_SUPERVISOR]!.toFixed(1)} dBFS)`);
  const cust = heard(c, 'customer', 800);
  t.ok(cust[F_SUPERVISOR]! < -60, `customer does not hear the supervisor (${cust[F_SUPERVISOR]!.toFixed(1)} dBFS)`);
  t.ok(peak(c, 'customer', F_AGENT) > -25, 'customer hears the agent');
  const out = mixer.output('agent')!;
  t.ok(out.framesMixed > 0, `agent output counters read from the media thread (framesMixed ${out.framesMixed})`);
  t.equal(out.mode, 2, 'agent output mixes');
  t.ok(mixer.input('sup')!.jitterStats !== null && mixer.input('sup')!.jitterStats!.packetsReceived > 0, 'supervisor jitter stats read from the media thread');
  t.equal(await metricSample(td, 'whisperd_mixer_engine', 'engine="native"'), 1, 'whisperd_mixer_engine{engine="native"} 1');
  t.equal(await metricSample(td, 'whisperd_mixers'), 1, 'whisperd_mixers 1');
  t.equal(await metricSample(td, 'whisperd_mix_events_dropped_total'), 0, 'whisperd_mix_events_dropped_total exported, nothing lost');

  // The bleed monitor is fed from the media thread's OBSERVED/MIXED records.
  const m = td.daemon.bleed.monitor(call, 'sup')!;
  await waitFor(() => m.pairedSamples > 8000, 'the bleed monitor to pair agent audio with the whisper', 10_000);
  t.ok(m.pairedSamples > 8000, `bleed monitor paired ${m.pairedSamples} samples`);

  // DTMF from the supervisor (default key 4 = listen) arrives through the event records and steers.
  await c.peers.supervisor.sendDtmf('4');
  await waitFor(() => td.daemon.supervision.session(call, 'sup')?.mode === 'listen', 'DTMF 4 to switch to listen', 10_000);
  t.equal(td.daemon.supervision.session(call, 'sup')!.mode, 'listen', 'DTMF from the native mix switched the mode');
  t.equal(td.daemon.engine.mixer(call), mixer, 'same mixer after the mode change');

  // Releasing the mixer hands the endpoints back: the customer-agent pair returns to the native relay.
  td.daemon.engine.release(call);
  t.ok(mixer.isClosed, 'released mixer closed');
  const ep = (tag: string) => call.participant(tag)!.mixableLeg()!.endpoint!;
  t.notOk(ep('cust').isNativeMix || ep('agent').isNativeMix || ep('sup').isNativeMix, 'no endpoint attached to a mix any more');
  t.ok(ep('cust').isNative && ep('agent').isNative, 'the customer-agent pair relays natively again');
  c.peers.customer.clear();
  await c.peers.customer.waitPackets(20, 0);
  t.ok(peak(c, 'customer', F_AGENT) > -25, 'and the customer hears the agent through it');

  // Deleting the call frees everything.
  const del = await td.ng.request({ command: 'delete', 'call-id': 'eng-native' });
  t.equal(del.result, 'ok');
  t.equal(await metricSample(td, 'whisperd_mixer_engine', 'engine="native"'), 0, 'no native mixer left');
});

t.test('media.threads=0: a call that wants the native engine runs on the reference engine, counted', async (t) => {
  const td = await startTestDaemon({ media: { engine: 'native', threads: 0 } });
  const c = await supervisedCall(td, 'eng-nothreads', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  const mixer = td.daemon.engine.mixer(td.daemon.registry.get('eng-nothreads')!)!;
  t.equal(mixer.engine, 'reference');
  t.equal(td.daemon.engine.counters.fallbacks, 1, 'one fallback counted');
  t.equal(await metricSample(td, 'whisperd_mixer_fallbacks_total'), 1, 'whisperd_mixer_fallbacks_total 1');
  t.equal(await metricSample(td, 'whisperd_mixer_engine', 'engine="reference"'), 1);
  startAll(c);
  await collect(c, 40, ['agent']);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -25, 'the reference engine carries the whisper');
});

t.test('media.engine=reference: the TypeScript engine, no fallback counted', async (t) => {
  const td = await startTestDaemon({ media: { engine: 'reference' } });
  const c = await supervisedCall(td, 'eng-ref', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  const call = td.daemon.registry.get('eng-ref')!;
  t.equal(td.daemon.engine.mixer(call)!.engine, 'reference');
  t.equal(td.daemon.engine.counters.fallbacks, 0);
  for (const p of call.participants.values()) t.notOk(p.mixableLeg()!.endpoint!.isNativeMix, `${p.tag}: read by Node`);
});

/** phoneSdp with an IPv6 connection address (a family the test daemon, IPv4 only, has no interface for). */
function ip6Sdp(port: number, id: number): string {
  return ['v=0', `o=phone ${id} 1 IN IP6 ::1`, 's=-', 'c=IN IP6 ::1', 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}

// Media threads relay and mix IPv6 too (ng-ipv6.test.ts: an IPv6 agent and supervisor stay native). An
// IPv6 address on a daemon with no IPv6 interface is a destination its IPv4 sockets cannot send to: it
// is held like the zero address (packets for it counted as no_destination), and the call stays native.
t.test('a supervisor with an IPv6 address on an IPv4-only daemon: the call stays on the media thread, no fallback', async (t) => {
  const td = await startTestDaemon({ media: { engine: 'native', threads: 1 } });
  const { peers } = await twoPartyCall(td, 'eng-v6sup');
  t.teardown(async () => {
    closeAll({ peers });
    await td.close();
  });
  const r = await td.ng.request({ command: 'supervise', 'call-id': 'eng-v6sup', 'from-tag': 'sup', supervise: 'whisper', 'agent-tag': 'agent', sdp: ip6Sdp(peers.supervisor.port, 3000) });
  t.equal(r.result, 'ok', 'supervise accepted');
  const call = td.daemon.registry.get('eng-v6sup')!;
  t.equal(td.daemon.engine.mixer(call)!.engine, 'native', 'native engine');
  t.equal(td.daemon.engine.counters.fallbacks, 0, 'no fallback');
  for (const p of call.participants.values()) t.ok(p.mixableLeg()!.endpoint!.isNativeMix, `${p.tag}: attached`);
});

t.test('a native call whose party moves to an IPv6 address on an IPv4-only daemon: the mix stays native, the agent still hears the supervisor', async (t) => {
  const td = await startTestDaemon({ media: { engine: 'native', threads: 1 } });
  const c = await supervisedCall(td, 'eng-v6move', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  const call = td.daemon.registry.get('eng-v6move')!;
  const first = td.daemon.engine.mixer(call)!;
  t.equal(first.engine, 'native');
  const r = await td.ng.request({ command: 'offer', 'call-id': 'eng-v6move', 'from-tag': 'cust', sdp: ip6Sdp(c.peers.customer.port, 1000) });
  t.equal(r.result, 'ok', 're-offer accepted');
  t.equal(td.daemon.engine.mixer(call)!.engine, 'native', 'still native');
  t.equal(td.daemon.engine.counters.fallbacks, 0, 'no fallback');
  t.ok(call.participant('agent')!.mixableLeg()!.endpoint!.isNativeMix, 'the agent endpoint stays on the media thread');
  startAll(c);
  await collect(c, 40, ['agent']);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -25, 'the agent hears the supervisor');
});
