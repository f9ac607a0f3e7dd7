/**
 * NativeCallMixer (src/mix/NativeCallMixer.ts) over a probe mix (mixProbeCreate: the native mix core run
 * inline, capturing what it sends and reports): tags map to indices and back in the records, a refused
 * attach changes nothing, counters and jitter statistics are read through the CallMedia views, DTMF and
 * the bleed taps are dispatched from the records with the right tags, and the structural passthrough
 * query follows the matrix as CallMixer's does.
 */
import t from 'tap';
import { findCodec } from '../../../src/codec/registry';
import { LINEAR_TO_ULAW } from '../../../src/codec/g711';
import { writeRtpHeader, type RtpView } from '../../../src/media/rtp';
import type { RtpEndpoint } from '../../../src/media/RtpEndpoint';
import { MixRecord, NativeCallMixer, nativeMixFns, type NativeMixAttacher } from '../../../src/mix/NativeCallMixer';
import { OutputMode, type MixAudioSink, type ParticipantMedia } from '../../../src/mix/types';
import { loadNative } from '../../../src/native/addon';
import type { MixHandle, WhisperdNative } from '../../../native/index';

const fns = nativeMixFns();
const native = loadNative() as Required<WhisperdNative> | null;
if (fns === null || native === null) {
  t.fail('the native addon with the mix functions does not load (make native)');
  process.exit(1);
}
const pcmu = findCodec('PCMU')!;

function endpoint(): RtpEndpoint {
  return { forwardTo: null, nativeMixLost: null } as unknown as RtpEndpoint;
}

/** An attacher that records attach/detach and refuses the endpoints in `refuse`. */
function attacher(refuse = new Set<RtpEndpoint>()): NativeMixAttacher & { attached: Map<RtpEndpoint, number> } {
  const attached = new Map<RtpEndpoint, number>();
  return {
    attached,
    attach: (e, _m: MixHandle, idx) => {
      if (refuse.has(e)) return false;
      attached.set(e, idx);
      return true;
    },
    detach: (e) => void attached.delete(e),
  };
}

function member(tag: string, peerTag: string, e = endpoint()): ParticipantMedia {
  return { tag, endpoint: e, codec: pcmu, pt: 0, dtmfPt: 101, peerTag };
}

/** One 20 ms PCMU packet of a tone (amplitude amp, frequency f) at sequence seq. */
function packet(seq: number, ssrc: number, f: number, amp: number, pt = 0): Uint8Array {
  const b = new Uint8Array(12 + 160);
  writeRtpHeader(b, 0, pt, false, seq & 0xffff, (seq * 160) >>> 0, ssrc);
  for (let i = 0; i < 160; i++) {
    const s = Math.round(amp * Math.sin((2 * Math.PI * f * (seq * 160 + i)) / 8000));
    b[12 + i] = LINEAR_TO_ULAW[(s >> 2) & 0x3fff]!;
  }
  return b;
}

function dtmfPacket(seq: number, ssrc: number, event: number, end: boolean): Uint8Array {
  const b = new Uint8Array(16);
  writeRtpHeader(b, 0, 101, false, seq, 5000, ssrc);
  b[12] = event;
  b[13] = (end ? 0x80 : 0) | 10;
  b[14] = 0;
  b[15] = 160;
  return b;
}

/** The drained records: type, participant index and the bytes after the 24-byte header (a SENT record's datagram). */
function records(buf: Uint8Array, len: number): Array<{ type: number; idx: number; body: Uint8Array }> {
  const dv = new DataView(buf.buffer, buf.byteOffset, len);
  const out: Array<{ type: number; idx: number; body: Uint8Array }> = [];
  for (let off = 0; off + 24 <= len; off += dv.getUint32(off, true)) {
    out.push({ type: dv.getUint16(off + 4, true), idx: dv.getUint8(off + 6), body: buf.subarray(off + 24, off + dv.getUint32(off, true)) });
  }
  return out;
}

t.test('tags, attach, whisper matrix, counters, DTMF and bleed taps through a probe mix', async (t) => {
  const att = attacher();
  const m = new NativeCallMixer('probe-1', 8000, { complexity: 5, bitrate: 24000 }, { fns, probe: true, seed: 7, attacher: att });
  t.teardown(() => m.close());
  t.equal(m.engine, 'native');
  // The customer names the agent as its peer before the agent joins: both get indices at once.
  t.ok(m.setParticipant(member('cust', 'agent')), 'customer set');
  t.ok(m.setParticipant(member('agent', 'cust')), 'agent set');
  t.ok(m.setParticipant(member('sup', '')), 'supervisor set');
  t.same([...att.attached.values()].sort(), [0, 1, 2], 'three endpoints attached at indices 0..2');
  t.same(m.tags().sort(), ['agent', 'cust', 'sup']);
  const genAgent = m.generation('agent');
  t.ok(genAgent > 0, 'generation of a participant');
  t.equal(m.generation('nobody'), -1);

  // Whisper: agent hears customer + supervisor, customer hears agent only.
  m.setGain('agent', 'cust', 1);
  m.setGain('agent', 'sup', 1);
  m.setGain('cust', 'agent', 1);
  m.setGain('sup', 'cust', 1);
  m.setGain('sup', 'agent', 1);
  m.prewarm('sup');
  m.observe('agent');
  m.reconfigure();
  t.equal(m.gain('agent', 'sup'), 1);
  t.equal(m.passthroughSource('cust'), 'agent', 'the customer output forwards the agent (one input at gain 1)');
  t.equal(m.passthroughSource('agent'), null, 'the agent output mixes');

  const observed: string[] = [];
  const mixed: Array<{ out: string; src: string; contrib: boolean }> = [];
  const sink: MixAudioSink = {
    onObserved: (tag, pcm, off, n) => {
      if (n === 160 && off + n <= pcm.length) observed.push(tag);
    },
    onMixed: (out, src, _pcm, _n, contrib, raw) => mixed.push({ out, src, contrib: contrib !== null && raw !== null }),
  };
  m.setTaps('bleed', sink, ['agent'], new Map([['agent', 'sup'], ['cust', 'sup']]));
  const dtmf: Array<{ tag: string; event: number; fromLatched: boolean }> = [];
  m.dtmfListener = { onDtmf: (tag: string, buf: Buffer, view: RtpView, fromLatched: boolean) => dtmf.push({ tag, event: buf[view.payloadOffset]!, fromLatched }) };

  const h = m.mixHandle!;
  // (The attacher saw the endpoints in the order cust, agent, sup.)
  const [iCust, iAgent, iSup] = [...att.attached.values()];
  const ix = new Map<string, number>([['cust', iCust!], ['agent', iAgent!], ['sup', iSup!]]);
  const buf = new Uint8Array(1 << 20);
  let sent = 0;
  for (let i = 0; i < 50; i++) {
    const now = 1000 + i * 20;
    native.mixProbeRtp(h, ix.get('cust')!, packet(i, 0xc, 617, 8000), 172, now, true);
    native.mixProbeRtp(h, ix.get('agent')!, packet(i, 0xa, 1019, 8000), 172, now, true);
    native.mixProbeRtp(h, ix.get('sup')!, packet(i, 0x5, 1433, 8000), 172, now, true);
    for (let k = 0; k < 4; k++) native.mixProbeTick(h, now + k * 5);
    const n = m.drainProbe(buf);
    sent += records(buf, n).filter((r) => r.type === MixRecord.SENT).length;
  }
  native.mixProbeRtp(h, ix.get('sup')!, dtmfPacket(60, 0x5, 4, false), 16, 2100, true);
  native.mixProbeRtp(h, ix.get('agent')!, dtmfPacket(61, 0xa, 11, true), 16, 2101, false);
  m.drainProbe(buf);

  t.ok(sent > 100, `the mix sent ${sent} datagrams`);
  const agentOut = m.output('agent')!;
  t.equal(agentOut.mode, OutputMode.MIX, 'agent output mode read from the mix');
  t.ok(agentOut.framesMixed >= 45, `agent framesMixed ${agentOut.framesMixed}`);
  t.equal(m.output('cust')!.mode, OutputMode.PASSTHROUGH);
  t.ok(m.output('cust')!.packetsForwarded >= 45, `customer output forwarded ${m.output('cust')!.packetsForwarded}`);
  const js = m.input('sup')!.jitterStats;
  t.ok(js !== null && js.packetsReceived === 50, `supervisor jitter stats mapped (packetsReceived ${js?.packetsReceived})`);
  t.equal(m.input('sup')!.jitterStats, js, 'the same JitterStats object on every read (metrics key on it)');
  t.equal(m.input('cust')!.decodeErrors, 0);
  t.ok(observed.length >= 45 && observed.every((x) => x === 'agent'), `OBSERVED records (20 ms each) dispatched as the agent's (${observed.length})`);
  const mixedAgent = mixed.filter((x) => x.out === 'agent');
  t.ok(mixedAgent.length >= 45 && mixedAgent.every((x) => x.src === 'sup' && x.contrib), 'MIXED records of the agent output carry the supervisor contribution and raw audio');
  t.same(
    dtmf,
    [
      { tag: 'sup', event: 4, fromLatched: true },
      { tag: 'agent', event: 11, fromLatched: false },
    ],
    'DTMF records dispatched with tag, payload and fromLatched',
  );

  // Prompt gain and prompts into one ear.
  agentOut.promptGain = 0.5;
  t.equal(agentOut.promptGain, 0.5);
  t.equal(m.addPrompt('agent', new Int16Array(1600), 1), true, 'prompt added');
  t.equal(m.hasPrompts(), true);
  t.equal(m.addPrompt('nobody', new Int16Array(160), 1), false, 'no such output');
  t.equal(m.stopPrompts('agent'), 1, 'one prompt stopped');
  t.equal(m.hasPrompts(), false);

  // A supervisor re-set with a new endpoint: new generation, old endpoint detached.
  const oldEp = [...att.attached.keys()][2]!;
  t.ok(m.setParticipant(member('sup', '')), 're-set with a new endpoint');
  t.notOk(att.attached.has(oldEp), 'the old endpoint left the mix');
  t.ok(m.generation('sup') > genAgent, 'new generation');
  m.removeParticipant('sup');
  t.equal(m.output('sup'), undefined, 'removed');
  t.equal(m.gain('agent', 'sup'), 0, 'its gains are gone');

  m.close();
  t.ok(m.isClosed);
  t.equal(att.attached.size, 0, 'every endpoint detached on close');
  t.equal(m.setParticipant(member('x', '')), false, 'a closed mixer takes nobody');
});

t.test('a refused attach changes nothing; a codec the native plane lacks is refused', async (t) => {
  const refused = endpoint();
  const att = attacher(new Set([refused]));
  const m = new NativeCallMixer('probe-2', 8000, { complexity: 5, bitrate: 24000 }, { fns, probe: true, attacher: att });
  t.teardown(() => m.close());
  t.ok(m.setParticipant(member('cust', 'agent')));
  t.equal(m.setParticipant(member('agent', 'cust', refused)), false, 'attach refused');
  t.same(m.tags(), ['cust'], 'the refused participant is not in the mix');
  t.equal(m.output('agent'), undefined);
  // (K) G.722 has a native kernel since issue 11; iLBC has none (no library in Debian).
  const fake = { ...pcmu, name: 'iLBC' } as unknown as typeof pcmu;
  t.equal(m.setParticipant({ ...member('ilbc', ''), codec: fake }), false, 'iLBC cannot go native');
  t.equal(att.attached.size, 1, 'only the customer attached');
});

t.test('a held mix sends nothing on its clock; released, a new listener\'s first packet is its prompt (mixSetHeld)', async (t) => {
  // MediaEngine.sync makes a native mix and SupervisionService.playPrompts then adds the prompt, two calls to the
  // media thread; NativeCallMixer holds a new mix's clock until that JS turn ends (on a loaded machine a tick
  // between the calls sent the listener a silent frame before its prompt: ng-play-media.test.ts, CI).
  const run = (held: boolean): { whileHeld: number; markers: number[]; firstIsPrompt: boolean } => {
    const m = new NativeCallMixer(`probe-held-${held}`, 8000, { complexity: 5, bitrate: 24000 }, { fns, probe: true, seed: 3, attacher: attacher() });
    try {
      t.ok(m.setParticipant(member('a', 'b')), 'a listener joins (nobody to hear yet)');
      m.reconfigure();
      const h = m.mixHandle!;
      const buf = new Uint8Array(1 << 16);
      const sent = (): Uint8Array[] => records(buf, m.drainProbe(buf)).filter((r) => r.type === MixRecord.SENT).map((r) => r.body);
      if (held) native.mixSetHeld(h, true);
      for (let k = 0; k < 8; k++) native.mixProbeTick(h, 1000 + k * 5);
      const whileHeld = sent().length;
      const tone = new Int16Array(800).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
      t.equal(m.addPrompt('a', tone, 1), true, 'prompt added');
      if (held) native.mixSetHeld(h, false);
      for (let k = 0; k < 8; k++) native.mixProbeTick(h, 1040 + k * 5);
      const after = sent();
      const markers = after.map((rtp) => (rtp[1]! & 0x80) >> 7);
      // PCMU silence is 0xff / 0x7f: any other byte in the first packet is the prompt's tone.
      const firstIsPrompt = after.length > 0 && after[0]!.subarray(12).some((b) => b !== 0xff && b !== 0x7f);
      return { whileHeld, markers, firstIsPrompt };
    } finally {
      m.close();
    }
  };
  const free = run(false);
  t.ok(free.whileHeld > 0, `not held, the new output is clocked at once: ${free.whileHeld} frame(s) of silence before the prompt`);
  const held = run(true);
  t.equal(held.whileHeld, 0, 'held: nothing sent on the clock');
  t.ok(held.markers.length >= 2, `released: ${held.markers.length} frames sent`);
  t.equal(held.markers[0], 1, 'the first packet carries the marker');
  t.ok(held.firstIsPrompt, 'the first packet is the prompt (not silence)');
  t.equal(held.markers.slice(1).reduce((a, b) => a + b, 0), 0, 'no other packet carries a marker');
});
