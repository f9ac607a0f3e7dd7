import t from 'tap';
import { sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { goertzelDb, levels } from '../fixtures/media';
import { spectrumDb } from '../fixtures/codec/signal';
import { Phone, sdpWith, waitFor, type PeerCodec } from '../fixtures/phone';
import { F_AGENT, F_CUSTOMER, F_SUPERVISOR, FREQS, fmt, peakLevel, type Role, ROLES, SSRC } from '../fixtures/supervisedCall';

/**
 * Issue 11, whisper on every call: a customer-agent call in G.722 (PT 9: 16 kHz audio on an 8000 RTP
 * clock), GSM 06.10 (PT 3), AMR-WB (bandwidth-efficient) or AMR (octet-aligned, RFC 4867), a supervisor
 * phone in the same codec; every supervise mode mixes exactly
 * the parties the mode table of README says, each party hearing the others' tones in its own codec at
 * their level (> -22 dBFS for -12 dBFS tones) and not the parties it must not hear (< -45 dBFS). On
 * both engines (`make test` re-runs supervise*.test.ts with WHISPERD_MEDIA_ENGINE=reference).
 */

interface Codec {
  name: string;
  peer: PeerCodec;
  pt: number;
  rtpmap: string;
  fmtp?: string;
}
const G722: Codec = { name: 'G722', peer: 'g722', pt: 9, rtpmap: 'G722/8000' };
const GSM: Codec = { name: 'GSM', peer: 'gsm', pt: 3, rtpmap: 'GSM/8000' };
const AMR_WB: Codec = { name: 'AMR-WB', peer: 'amr-wb', pt: 98, rtpmap: 'AMR-WB/16000' };
const AMR_OA: Codec = { name: 'AMR', peer: 'amr-oa', pt: 96, rtpmap: 'AMR/8000', fmtp: 'octet-align=1' };

const TONE: Record<Role, number> = { customer: F_CUSTOMER, agent: F_AGENT, supervisor: F_SUPERVISOR };

/** README's mode table: whose tone each party hears. */
const HEARS: Record<string, Record<Role, Role[]>> = {
  listen: { agent: ['customer'], customer: ['agent'], supervisor: ['customer', 'agent'] },
  whisper: { agent: ['customer', 'supervisor'], customer: ['agent'], supervisor: ['customer', 'agent'] },
  barge: { agent: ['customer', 'supervisor'], customer: ['agent', 'supervisor'], supervisor: ['customer', 'agent'] },
  page: { agent: ['customer', 'supervisor'], customer: ['agent'], supervisor: ['agent'] },
};

function sdp(port: number, c: Codec, id: number): string {
  return sdpWith(port, [{ pt: c.pt, rtpmap: c.rtpmap, ...(c.fmtp ? { fmtp: c.fmtp } : {}) }, { pt: 101, rtpmap: 'telephone-event/8000', fmtp: '0-15' }], 'sendrecv', id);
}

async function supervisedCall(
  t: { teardown(fn: () => Promise<void>): void },
  c: Codec,
  mode: string,
  sup: Codec = c,
): Promise<{ td: TestDaemon; peers: Record<Role, Phone> }> {
  const td = await startTestDaemon();
  const peers = { customer: await Phone.open(), agent: await Phone.open(), supervisor: await Phone.open() };
  t.teardown(async () => {
    for (const r of ROLES) peers[r].close();
    await td.close();
  });
  const id = `sup-${c.name}-${mode}`;
  const o = await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'cust', sdp: sdp(peers.customer.port, c, 2000) });
  const a = await td.ng.request({ command: 'answer', 'call-id': id, 'from-tag': 'cust', 'to-tag': 'agent', sdp: sdp(peers.agent.port, c, 2001) });
  const s = await td.ng.request({
    command: 'supervise', 'call-id': id, 'from-tag': 'sup', supervise: mode, 'agent-tag': 'agent', supervisor: 'alice', agent: 'bob',
    sdp: sdp(peers.supervisor.port, sup, 3000),
  });
  if (o.result !== 'ok' || a.result !== 'ok' || s.result !== 'ok') throw new Error(`set-up failed: ${JSON.stringify([o, a, s])}`);
  const to: Record<Role, number> = { customer: sdpMediaPort(a.sdp as string), agent: sdpMediaPort(o.sdp as string), supervisor: sdpMediaPort(s.sdp as string) };
  for (const r of ROLES) {
    const x = r === 'supervisor' ? sup : c;
    peers[r].start(to[r], { codec: x.peer, pt: x.pt, freq: TONE[r], dbfs: -12, ssrc: SSRC[r], dtmfPt: 101 });
  }
  return { td, peers };
}

for (const c of [G722, GSM, AMR_WB, AMR_OA]) {
  for (const mode of ['whisper', 'barge', 'listen', 'page']) {
    t.test(`${c.name}${c.fmtp ? ` (${c.fmtp})` : ''} call (PT ${c.pt}): ${mode} mixes exactly the parties of the mode table, in ${c.name}`, async (t) => {
      const { td, peers } = await supervisedCall(t, c, mode);
      t.match(td.daemon.engine.mixer(td.daemon.registry.get(`sup-${c.name}-${mode}`)!)?.engine, process.env.WHISPERD_MEDIA_ENGINE === 'reference' ? 'reference' : 'native', 'mixed on the engine asked for');
      // Let the mix settle (jitter buffers, page tone), then judge 1.5 s of what each party receives.
      await waitFor(() => ROLES.every((r) => peers[r].count(c.pt) >= 25), 'every party to receive 0.5 s', 15000);
      for (const r of ROLES) peers[r].clear();
      await waitFor(() => ROLES.every((r) => peers[r].count(c.pt) >= 75), 'every party to receive 1.5 s', 15000);
      for (const r of ROLES) {
        t.ok(peers[r].received.every((p) => p.pt === c.pt), `${r} receives ${c.name} (PT ${c.pt}) only`);
        const { pcm, rate } = peers[r].decode(c.peer, c.pt);
        t.equal(rate, c.peer === 'g722' || c.peer === 'amr-wb' ? 16000 : 8000, `${r}'s audio decodes at ${rate} Hz`);
        const all = levels(pcm, rate, FREQS, 1200);
        for (const other of ROLES) {
          if (other === r) continue;
          const f = TONE[other];
          if (HEARS[mode]![r].includes(other)) {
            const p = peakLevel(pcm, rate, f);
            t.ok(p > -22, `${r} hears the ${other} (${f} Hz at ${p.toFixed(1)} dBFS)`);
          } else {
            t.ok(all[f]! < -45, `${r} does not hear the ${other} (${fmt(all)})`);
          }
        }
        t.ok(all[TONE[r]]! < -45, `${r} does not hear itself (${TONE[r]} Hz at ${all[TONE[r]]!.toFixed(1)} dBFS)`);
      }
    });
  }
}

const PCMU: Codec = { name: 'PCMU', peer: 'pcmu', pt: 0, rtpmap: 'PCMU/8000' };

t.test('G722 call, a supervisor phone with PCMU only: the whisper reaches the agent at 16 kHz, no image above 4 kHz; the supervisor hears the call in PCMU', async (t) => {
  const { peers } = await supervisedCall(t, G722, 'whisper', PCMU);
  await waitFor(() => peers.agent.count(9) >= 25 && peers.supervisor.count(0) >= 25, 'agent and supervisor to receive 0.5 s', 15000);
  for (const r of ROLES) peers[r].clear();
  await waitFor(() => peers.agent.count(9) >= 75 && peers.supervisor.count(0) >= 75, 'agent and supervisor to receive 1.5 s', 15000);
  const atAgent = peers.agent.decode('g722', 9);
  t.equal(atAgent.rate, 16000, 'the agent hears G.722 (16 kHz)');
  const ps = peakLevel(atAgent.pcm, atAgent.rate, F_SUPERVISOR);
  const pc = peakLevel(atAgent.pcm, atAgent.rate, F_CUSTOMER);
  t.ok(ps > -22 && pc > -22, `the agent hears the supervisor (${ps.toFixed(1)} dBFS) and the customer (${pc.toFixed(1)} dBFS)`);
  // The supervisor's 8 kHz tone, upsampled into the 16 kHz mix: its image at 8000 - 1433 = 6567 Hz absent.
  const n = 16384;
  const spec = spectrumDb(atAgent.pcm, atAgent.pcm.length - n, n);
  const bin = (f: number): number => Math.round((f * n) / 16000);
  const image = Math.max(...Array.from({ length: 11 }, (_, i) => spec[bin(6567) - 5 + i]!));
  t.ok(spec[bin(F_SUPERVISOR)]! - image >= 50, `image at 6567 Hz ${(spec[bin(F_SUPERVISOR)]! - image).toFixed(1)} dB below the tone`);
  const atSup = peers.supervisor.decode('pcmu', 0);
  const l = levels(atSup.pcm, atSup.rate, FREQS, 1200);
  t.ok(peakLevel(atSup.pcm, atSup.rate, F_CUSTOMER) > -22 && peakLevel(atSup.pcm, atSup.rate, F_AGENT) > -22, `the supervisor hears customer and agent in PCMU (${fmt(l)})`);
  t.ok(l[F_SUPERVISOR]! < -45, 'and not itself');
});

for (const c of [G722, GSM, AMR_WB]) {
  t.test(`${c.name} whisper with 10 % of the customer's packets lost: the agent hears the customer throughout (codec concealment)`, async (t) => {
    const { peers } = await supervisedCall(t, c, 'whisper');
    await waitFor(() => peers.agent.count(c.pt) >= 25, 'the agent to receive 0.5 s', 15000);
    // One customer packet in ten lost (every 200 ms), while 1.6 s is collected.
    const lose = setInterval(() => peers.customer.skip(1), 200);
    t.teardown(() => clearInterval(lose));
    peers.agent.clear();
    await waitFor(() => peers.agent.count(c.pt) >= 80, 'the agent to receive 1.6 s', 15000);
    clearInterval(lose);
    const { pcm, rate } = peers.agent.decode(c.peer, c.pt);
    // Every 20 ms frame of the last 1.2 s: the customer's tone (power over the frame, so a concealment's
    // phase jump does not count) within 12 dB of its -12 dBFS; a lost frame left as silence reads < -40.
    const seg = rate / 50;
    const frames: number[] = [];
    for (let s = pcm.length - 60 * seg; s + seg <= pcm.length; s += seg) frames.push(goertzelDb(pcm, rate, F_CUSTOMER, s, seg));
    const worst = Math.min(...frames);
    t.ok(worst > -24, `the customer's ${F_CUSTOMER} Hz in every 20 ms frame, the weakest at ${worst.toFixed(1)} dBFS`);
    t.ok(peakLevel(pcm, rate, F_SUPERVISOR) > -22, 'and the supervisor too');
  });
}
