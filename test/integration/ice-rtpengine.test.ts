/**
 * IceAgent against a real full ICE agent: rtpengine 10.5 (Debian rtpengine-daemon, started here, userspace
 * only, 127.0.0.1) with ICE=force. A whisperd endpoint stands in for a SIP party that does ICE: its SDP carries
 * the agent's ufrag/pwd/candidates (localIceParams), rtpengine's SDP gives the agent its remote parameters
 * (parseCandidate). Completion on our side needs rtpengine's checks/responses to verify with the right
 * passwords and its nomination (USE-CANDIDATE) or ours to be accepted — nothing here is mocked.
 *   - we offer, full: controlling (RFC 8445 §6.1.1), we nominate; rtpengine answers as controlled;
 *   - rtpengine offers, we answer full: rtpengine controls and nominates, we are controlled;
 *   - we offer / answer as ICE-lite: rtpengine controls and nominates (rtpengine 10.5 reads a=ice-lite at media level).
 */
import t from 'tap';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import { IceAgent, type IceAgentOptions } from '../../src/media/ice/IceAgent';
import { formatCandidate, localIceParams } from '../../src/media/ice/candidates';
import { iceOutbound } from '../../src/media/ice/counters';
import type { IceParams, IceState } from '../../src/media/secure';
import { iceEndpoint, iceOf } from '../fixtures/ice';
import { findExecutable, ngRequest, startRtpengine, tail, type MediaDaemon } from '../fixtures/e2e/harness';
import type { BValue } from '../fixtures/e2e/bencode';

const str = (v: BValue | undefined): string => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : '');

function partySdp(ep: RtpEndpoint, ice: IceParams | null): string {
  const lines = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${ep.localPort} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp-mux'];
  if (ice !== null) {
    if (ice.lite) lines.push('a=ice-lite');
    lines.push(`a=ice-ufrag:${ice.ufrag}`, `a=ice-pwd:${ice.pwd}`, ...ice.candidates.map((c) => `a=candidate:${formatCandidate(c)}`));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const PLAIN_B = 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9000 RTP/AVP 0\r\na=sendrecv\r\n';

function agentOn(ep: RtpEndpoint, opts: { local: IceParams; remote: IceParams | null; controlling: boolean; lite: boolean; timers?: IceAgentOptions['timers'] }): { agent: IceAgent; selected: Array<[string, number]>; until(s: IceState): Promise<void> } {
  const selected: Array<[string, number]> = [];
  const waiters: Array<() => void> = [];
  const agent = new IceAgent(ep, { ...opts, onSelected: (a, p) => selected.push([a, p]), onStateChange: () => waiters.splice(0).forEach((w) => w()) });
  const withDemux = ep as unknown as { nonRtp?: unknown };
  if ('nonRtp' in withDemux) withDemux.nonRtp = { onStun: (m: Buffer, a: string, p: number, r: boolean) => agent.receive(m, a, p, r), onDtls: () => undefined };
  else ep.rtp.on('message', (m, r) => m[0]! < 4 && agent.receive(m, r.address, r.port, false));
  const until = async (s: IceState): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (agent.state !== s) {
      if (Date.now() > deadline) throw new Error(`ICE state ${agent.state}, not ${s}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { agent, selected, until };
}

async function ng(rtpe: MediaDaemon, msg: Record<string, BValue>): Promise<string> {
  const reply = await ngRequest(rtpe.ng, msg);
  if (str(reply.result) !== 'ok') throw new Error(`rtpengine ${str(msg.command as BValue)}: ${JSON.stringify(reply)}\n${tail(rtpe.proc.output(), 30)}`);
  return str(reply.sdp);
}

if (findExecutable('rtpengine') === undefined) {
  t.fail('rtpengine is not installed (Debian package rtpengine-daemon): this interop test cannot run');
} else {
  t.test('we offer full ICE to rtpengine ICE=force: we control and nominate, rtpengine takes our endpoint as its ICE peer', async (t) => {
    const rtpe = await startRtpengine(t);
    const ep = iceEndpoint(t);
    const local = localIceParams(ep);
    const callId = `ice-a-${process.pid}-${Date.now()}`;
    await ng(rtpe, { command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: partySdp(ep, local), ICE: 'force' });
    const answer = await ng(rtpe, { command: 'answer', 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: PLAIN_B, ICE: 'force' });
    const remote = iceOf(answer);
    t.match(remote.ufrag, /^[0-9a-zA-Z]{8}$/, 'rtpengine answers with ICE');
    t.notOk(remote.lite, 'full ICE');
    const h = agentOn(ep, { local, remote, controlling: true, lite: false });
    t.teardown(() => h.agent.close());
    await h.until('completed');
    const port = remote.candidates.find((c) => c.component === 1)!.port;
    t.same(h.selected.at(-1), ['127.0.0.1', port], 'rtpengine\'s candidate selected');
    t.equal(h.agent.controlling, true);
    // rtpengine logs (INFO) the peer its ICE agent settled on: our endpoint, once our responses verified.
    const negotiated = `ICE negotiated: peer for component 1 is 127.0.0.1:${ep.localPort}`;
    for (let i = 0; i < 40 && !rtpe.proc.output().includes(negotiated); i++) await new Promise((r) => setTimeout(r, 50));
    t.ok(rtpe.proc.output().includes(negotiated), 'rtpengine negotiated our endpoint as its ICE peer');
  });

  t.test('consent freshness against rtpengine: it answers our consent checks after completion (RFC 7675), we stay completed', async (t) => {
    const rtpe = await startRtpengine(t);
    const ep = iceEndpoint(t);
    const local = localIceParams(ep);
    const callId = `ice-e-${process.pid}-${Date.now()}`;
    await ng(rtpe, { command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: partySdp(ep, local), ICE: 'force' });
    const remote = iceOf(await ng(rtpe, { command: 'answer', 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: PLAIN_B, ICE: 'force' }));
    // Consent every ~100 ms, lost after 600 ms without an answer (RFC 7675's 5 s / 30 s, shortened).
    const h = agentOn(ep, { local, remote, controlling: true, lite: false, timers: { consentIntervalMs: 100, consentTimeoutMs: 600 } });
    t.teardown(() => h.agent.close());
    await h.until('completed');
    const ok = iceOutbound.succeeded;
    for (let i = 0; i < 100 && iceOutbound.succeeded - ok < 15 && h.agent.state === 'completed'; i++) await new Promise((r) => setTimeout(r, 50));
    t.ok(iceOutbound.succeeded - ok >= 15, `consent checks answered: ${iceOutbound.succeeded - ok}`);
    t.equal(h.agent.state, 'completed', 'still completed, well past the 600 ms consent timeout');
  });

  t.test('rtpengine ICE=force offers to us, we answer full ICE: rtpengine controls and nominates, we complete', async (t) => {
    const rtpe = await startRtpengine(t);
    const ep = iceEndpoint(t);
    const local = localIceParams(ep);
    const callId = `ice-b-${process.pid}-${Date.now()}`;
    const offer = await ng(rtpe, { command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: PLAIN_B, ICE: 'force' });
    const remote = iceOf(offer);
    t.ok(remote.candidates.length > 0, 'rtpengine offers candidates');
    const h = agentOn(ep, { local, remote, controlling: false, lite: false });
    t.teardown(() => h.agent.close());
    await ng(rtpe, { command: 'answer', 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: partySdp(ep, local), ICE: 'force' });
    await h.until('completed');
    t.equal(h.agent.controlling, false, 'controlled: rtpengine nominated');
    t.same(h.selected.at(-1), ['127.0.0.1', remote.candidates.find((c) => c.component === 1)!.port]);
  });

  t.test('we offer as ICE-lite: rtpengine becomes controlling and nominates, our lite agent completes', async (t) => {
    const rtpe = await startRtpengine(t);
    const ep = iceEndpoint(t);
    const local = localIceParams(ep, { lite: true });
    const callId = `ice-c-${process.pid}-${Date.now()}`;
    await ng(rtpe, { command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: partySdp(ep, local), ICE: 'force' });
    const answer = await ng(rtpe, { command: 'answer', 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: PLAIN_B, ICE: 'force' });
    const h = agentOn(ep, { local, remote: iceOf(answer), controlling: false, lite: true });
    t.teardown(() => h.agent.close());
    await h.until('completed');
    t.equal(h.selected.length >= 1, true, 'rtpengine\'s source selected');
  });

  t.test('rtpengine ICE=force offers to us, we answer ICE-lite: rtpengine nominates, our lite agent completes', async (t) => {
    const rtpe = await startRtpengine(t);
    const ep = iceEndpoint(t);
    const local = localIceParams(ep, { lite: true });
    const callId = `ice-d-${process.pid}-${Date.now()}`;
    const offer = await ng(rtpe, { command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: PLAIN_B, ICE: 'force' });
    const remote = iceOf(offer);
    const h = agentOn(ep, { local, remote, controlling: false, lite: true });
    t.teardown(() => h.agent.close());
    await ng(rtpe, { command: 'answer', 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: partySdp(ep, local), ICE: 'force' });
    await h.until('completed');
    t.same(h.selected.at(-1), ['127.0.0.1', remote.candidates.find((c) => c.component === 1)!.port], 'rtpengine\'s RTP port nominated');
  });
}
