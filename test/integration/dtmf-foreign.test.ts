import dgram from 'node:dgram';
import t from 'tap';
import { dtmfEventCode, writeTelephoneEvent } from '../../src/codec/telephoneEvent';
import { writeRtpHeader } from '../../src/media/rtp';
import { waitFor } from '../fixtures/phone';
import { collect, daemonWithSupervisedCall, startAll } from '../fixtures/supervisedCall';

/**
 * D5: DTMF control keys count only from the leg's latched source. Once the supervisor's (or the
 * agent's) phone has latched, a foreign UDP socket sends a complete RFC 4733 key press (start with
 * marker, updates, the end packet three times) to that leg's port: nothing changes and nothing is
 * audited. The phone's own key press afterwards still works (exactly one audited change).
 */

async function foreignSocket(t: { teardown(fn: () => void): void }): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  t.teardown(() => s.close());
  return s;
}

/** One key press as a phone sends it, from `sock` to 127.0.0.1:`port`. */
function sendKey(sock: dgram.Socket, port: number, digit: string, ssrc: number): void {
  const event = dtmfEventCode(digit);
  // Far from the phones' own timestamps (they start at 0), so a foreign press, if it were taken, would
  // not make the phone's next press look like a late packet of it: both would count.
  const startTs = 0x80000000;
  let seq = 500;
  const packet = (end: boolean, duration: number, marker: boolean): Buffer => {
    const b = Buffer.alloc(16);
    writeRtpHeader(b, 0, 101, marker, seq++ & 0xffff, startTs, ssrc);
    writeTelephoneEvent(b, 12, event, end, 10, duration);
    return b;
  };
  const pkts = [packet(false, 160, true), packet(false, 320, false), packet(false, 480, false)];
  for (let i = 0; i < 3; i++) pkts.push(packet(true, 640, false));
  for (const p of pkts) sock.send(p, port, '127.0.0.1');
}

t.test("a foreign source's key press does not switch the supervisor's mode", async (t) => {
  const { td, c } = await daemonWithSupervisedCall(t, 'dtf', 'listen');
  startAll(c);
  await collect(c, 25); // every phone has sent for a while: all legs latched
  const call = td.daemon.registry.get('dtf')!;
  const mode = () => td.daemon.supervision.session(call, 'sup')!.mode;
  const foreign = await foreignSocket(t);

  sendKey(foreign, c.to.supervisor, '6', 0x5050505); // barge, with the supervisor's own SSRC
  // Then the supervisor's own '5' (whisper). Both go to the same socket, the foreign key first.
  await c.peers.supervisor.sendDtmf('5', 6);
  await waitFor(() => mode() === 'whisper', "mode whisper after the supervisor's '5'");
  const modes = td.daemon.audit.query({ callId: 'dtf', event: 'mode' });
  t.same(
    modes.map((r) => [r.source, r.oldMode, r.newMode]),
    [['dtmf', 'listen', 'whisper']],
    'only the latched phone changed the mode: the foreign barge key was never acted on',
  );
  t.ok(td.daemon.supervision.counters.modeChanges === 1, 'one mode change');
});

t.test("a foreign source's key press does not toggle the page mute", async (t) => {
  const { td, c } = await daemonWithSupervisedCall(t, 'dtm', 'page');
  startAll(c);
  await collect(c, 25);
  const call = td.daemon.registry.get('dtm')!;
  const session = td.daemon.supervision.session(call, 'sup')!;
  const foreign = await foreignSocket(t);

  const mutes = () => td.daemon.audit.query({ callId: 'dtm', event: 'mute' });
  const agentEndpoint = call.participant('agent')!.legs[0]!.endpoint!;
  sendKey(foreign, c.to.agent, '#', 0xa0a0a0a);
  await c.peers.agent.sendDtmf('#', 6);
  await waitFor(() => mutes().length >= 1, "a mute record after the agent's '#'");
  // Barrier: ten more of the agent's packets through the same socket, so the foreign packets (sent
  // before the phone's key press) and any action they caused are long done.
  const seen = agentEndpoint.rtpStats.packets;
  await waitFor(() => agentEndpoint.rtpStats.packets >= seen + 10, 'ten more agent packets');
  t.same(mutes().map((r) => r.reason), ['muted'], 'only the agent phone toggled the mute');
  t.equal(session.muted, true, 'muted by the one genuine press');
});

t.test('endpoint learning off: keys count from the SDP address only (nothing latches, the SDP is authoritative)', async (t) => {
  const { td, c } = await daemonWithSupervisedCall(t, 'dto', 'listen', { media: { endpointLearning: 'off' } });
  startAll(c);
  await collect(c, 25);
  const call = td.daemon.registry.get('dto')!;
  const mode = () => td.daemon.supervision.session(call, 'sup')!.mode;
  const foreign = await foreignSocket(t);

  sendKey(foreign, c.to.supervisor, '6', 0x5050505);
  await c.peers.supervisor.sendDtmf('5', 6);
  await waitFor(() => mode() === 'whisper', "mode whisper after the supervisor's '5' from its SDP address");
  t.same(
    td.daemon.audit.query({ callId: 'dto', event: 'mode' }).map((r) => [r.source, r.oldMode, r.newMode]),
    [['dtmf', 'listen', 'whisper']],
    "the phone at the SDP address switched the mode; the foreign barge key was not acted on",
  );
});
