/**
 * RFC 7675 §5.1 (consent freshness) on a whisperd leg: whisperd runs a full ICE agent towards a party that
 * offered ICE (ng ICE=force); when the party stops answering whisperd's consent checks, consent expires
 * after the (here shortened) consent timeout and whisperd MUST stop sending media on that 5-tuple. Real UDP:
 * the party is an RtpEndpoint of our own with our own full IceAgent (rtpengine cannot be told to stop
 * answering consent checks), the other party a plain socket sending RTP. An ICE restart (new ufrag/pwd in a
 * re-offer, RFC 8445 §9) establishes consent again and media flows again. rtpengine 10.5 (daemon/ice.c at
 * mr10.5.3.5) has no consent expiry at all: it keeps sending to a selected pair whose checks go unanswered.
 */
import t, { type Test } from 'tap';
import type dgram from 'node:dgram';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import { IceAgent } from '../../src/media/ice/IceAgent';
import { formatCandidate, localIceParams } from '../../src/media/ice/candidates';
import type { IceParams, IceState } from '../../src/media/secure';
import { iceEndpoint, iceOf } from '../fixtures/ice';
import { mediaCounters, DropReason } from '../../src/media/counters';
import { setLegIceTimers } from '../../src/call/legSecurity';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { udpSocket } from '../fixtures/udp';

const FAST = { taMs: 5, rtoMs: 50, maxRetransmits: 4, nominationDelayMs: 20, consentIntervalMs: 100, consentTimeoutMs: 600 };

function partySdp(ep: RtpEndpoint, ice: IceParams, version: number): string {
  const lines = ['v=0', `o=- 1 ${version} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${ep.localPort} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp-mux'];
  lines.push(`a=ice-ufrag:${ice.ufrag}`, `a=ice-pwd:${ice.pwd}`, ...ice.candidates.map((c) => `a=candidate:${formatCandidate(c)}`));
  return `${lines.join('\r\n')}\r\n`;
}

function plainSdp(port: number, version: number): string {
  return `v=0\r\no=- 2 ${version} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
}

const mPort = (sdp: string): number => Number(/m=audio (\d+)/.exec(sdp)![1]);

/** The party's agent, fed by the endpoint's RFC 7983 demux. */
function partyAgent(t: Test, ep: RtpEndpoint, local: IceParams, remote: IceParams): { agent: IceAgent; until(s: IceState): Promise<void> } {
  const waiters: Array<() => void> = [];
  const agent = new IceAgent(ep, { local, remote, controlling: true, lite: false, timers: FAST, onSelected: () => undefined, onStateChange: () => waiters.splice(0).forEach((w) => w()) });
  ep.nonRtp = { onStun: (m, a, p, r) => agent.receive(m, a, p, r), onDtls: () => undefined };
  t.teardown(() => agent.close());
  const until = async (s: IceState): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (agent.state !== s) {
      if (Date.now() > deadline) throw new Error(`party ICE state ${agent.state}, not ${s}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { agent, until };
}

/** whisperd's ICE state towards `tag` (ng query). */
async function iceState(td: TestDaemon, callId: string, tag: string): Promise<string> {
  const q = await td.ng.request({ command: 'query', 'call-id': callId });
  const tags = q.tags as Record<string, { medias: Array<{ ICE?: { state: string } }> }>;
  return tags[tag]?.medias[0]?.ICE?.state ?? '';
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let seq = 0;
function rtp(): Buffer {
  const b = Buffer.alloc(172, 0xff);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq++ & 0xffff, 2);
  b.writeUInt32BE(seq * 160, 4);
  b.writeUInt32BE(0x1234abcd, 8);
  return b;
}

t.test('consent lost on a full-ICE leg: whisperd stops sending RTP to that party, drops are counted; an ICE restart resumes (RFC 7675 §5.1, RFC 8445 §9)', async (t) => {
  setLegIceTimers(FAST);
  t.teardown(() => setLegIceTimers({}));
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const epP = iceEndpoint(t);
  const b: dgram.Socket = await udpSocket(t);
  const bPort = b.address().port;
  let atP = 0;
  epP.rtp.on('message', (m) => {
    if (m.length >= 12 && m[0]! >= 128) atP++;
  });
  const keys = { 'call-id': 'consent-lost', 'from-tag': 'party' };

  // Offer from the ICE party, answer from the plain one; the party's agent gets whisperd's ICE from the answer.
  const lp = localIceParams(epP);
  const offer = await td.ng.request({ command: 'offer', ...keys, ICE: 'force', sdp: partySdp(epP, lp, 1) });
  t.equal(offer.result, 'ok');
  const toB = mPort(String(offer.sdp));
  const answer = await td.ng.request({ command: 'answer', ...keys, 'to-tag': 'plain', sdp: plainSdp(bPort, 1) });
  t.equal(answer.result, 'ok');
  let p = partyAgent(t, epP, lp, iceOf(String(answer.sdp)));
  await p.until('completed');
  await waitFor('whisperd completed', async () => (await iceState(td, 'consent-lost', 'party')) === 'completed');

  // Media flows from B through whisperd to the party.
  b.send(rtp(), toB, '127.0.0.1');
  await waitFor('RTP at the party', () => atP >= 1);

  // The party stops answering (its agent is gone, its socket stays open and counts).
  p.agent.close();
  epP.nonRtp = null;
  await waitFor('whisperd failed (consent lost)', async () => (await iceState(td, 'consent-lost', 'party')) === 'failed');
  const before = atP;
  const drops = mediaCounters.drops[DropReason.NO_DESTINATION]!;
  for (let i = 0; i < 20; i++) b.send(rtp(), toB, '127.0.0.1');
  // Awaited on the count, not a sleep: each of the 20 is dropped as no_destination either by whisperd or,
  // once it arrived, by the party's own endpoint (in this process too, it forwards nowhere).
  await waitFor('20 packets dropped', () => mediaCounters.drops[DropReason.NO_DESTINATION]! - drops >= 20);
  t.equal(atP - before, 0, 'no RTP leaves whisperd towards the party after consent is lost');
  t.equal(mediaCounters.drops[DropReason.NO_DESTINATION]! - drops - (atP - before), 20, 'whisperd counts each packet it did not send (no_destination)');

  // ICE restart: the party re-offers with new credentials, whisperd answers with its own, checks run again.
  const lp2 = localIceParams(epP);
  t.not(lp2.ufrag, lp.ufrag);
  const reoffer = await td.ng.request({ command: 'offer', ...keys, ICE: 'force', sdp: partySdp(epP, lp2, 2) });
  t.equal(reoffer.result, 'ok');
  const reanswer = await td.ng.request({ command: 'answer', ...keys, 'to-tag': 'plain', sdp: plainSdp(bPort, 2) });
  t.equal(reanswer.result, 'ok');
  p = partyAgent(t, epP, lp2, iceOf(String(reanswer.sdp)));
  await p.until('completed');
  await waitFor('whisperd completed again', async () => (await iceState(td, 'consent-lost', 'party')) === 'completed');
  const resumed = atP;
  const toB2 = mPort(String(reoffer.sdp));
  b.send(rtp(), toB2, '127.0.0.1');
  await waitFor('RTP at the party after the ICE restart', () => atP > resumed);
  t.pass('media flows again after the ICE restart');
});
