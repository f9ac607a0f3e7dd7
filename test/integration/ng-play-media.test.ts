/**
 * `play media` / `stop media` as rtpengine 10.5 answers them (t/auto-daemon-tests.pl, "media playback"
 * scenarios): the participant is selected by `from-tag` or `label` (the key is `label`/`from-label`),
 * hears the prompt as its own RTP stream (PCMA here: exactly rtpengine's bytes for the suite's WAV), and
 * the reply carries `duration`. Errors are rtpengine's texts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone, type PeerPacket } from '../fixtures/phone';
import { PCMA, WAV_FILE } from '../fixtures/rtpengine/mediaPlayer';

const blob = WAV_FILE.toString('latin1');

function sdp(port: number, pt = 8): string {
  return ['v=0', 'o=- 1545997027 1 IN IP4 127.0.0.1', 's=tester', 't=0 0', `m=audio ${port} RTP/AVP ${pt}`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', ''].join('\r\n');
}

/**
 * The five packets of the prompt, each waited for: PT 8, marker on the first (a restarted prompt's too, as
 * rtpengine: "restart media playback"; helper M, issue 11), consecutive seq/ts, one
 * SSRC, and rtpengine's own bytes $pcma_1..5: the WAV's samples as they are (the mix's limiter knee sits
 * above the prompt's peaks), encoded to the nearest A-law level as ffmpeg's encoder does (helper M,
 * issue 11; this test compared only the samples below a -6 dBFS knee, with the G.711 reference encoder).
 */
async function hearsPrompt(t: Test, phone: Phone, from = 0): Promise<PeerPacket[]> {
  await phone.until(() => phone.received.length >= from + 5, 'five prompt packets');
  const p = phone.received.slice(from, from + 5);
  t.same(
    p.map((x) => ({ pt: x.pt, marker: x.marker, seq: (x.seq - p[0]!.seq) & 0xffff, ts: (x.ts - p[0]!.ts) >>> 0, ssrc: x.ssrc, bytes: x.payload.length })),
    PCMA.map((_, i) => ({ pt: 8, marker: i === 0, seq: i, ts: 160 * i, ssrc: p[0]!.ssrc, bytes: 160 })),
    'five PCMA packets: marker on the first, consecutive sequence and timestamps, one SSRC',
  );
  t.same(
    p.map((x) => Buffer.from(x.payload).toString('hex')),
    PCMA.map((x) => Buffer.from(x).toString('hex')),
    'the prompt is the WAV, in order, from its first sample: rtpengine\'s bytes',
  );
  return p;
}

/** A daemon with its audit log on disk, as deployed (a prompt's record is fsync'ed before it plays). */
async function daemon(t: Test, engine?: 'reference'): Promise<TestDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-pm-'));
  const td = await startTestDaemon({ audit: { file: path.join(dir, 'audit.jsonl') }, ...(engine ? { media: { engine } } : {}) });
  t.teardown(async () => {
    await td.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return td;
}

async function phone(t: Test): Promise<Phone> {
  const p = await Phone.open();
  t.teardown(() => p.close());
  return p;
}

t.test('play media to the offerer of a call not answered yet ("media playback, offer only")', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const o = await td.ng.request({ command: 'offer', 'call-id': 'pm1', 'from-tag': 'A', sdp: sdp(a.port) });
  t.equal(o.result, 'ok');
  const r = await td.ng.request({ command: 'play media', 'call-id': 'pm1', 'from-tag': 'A', blob });
  t.same(r, { result: 'ok', duration: 100 });
  await hearsPrompt(t, a);
});

t.test('play media to the offerer of an answered call ("media playback, side A")', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const b = await phone(t);
  await td.ng.request({ command: 'offer', 'call-id': 'pm2', 'from-tag': 'A', sdp: sdp(a.port) });
  await td.ng.request({ command: 'answer', 'call-id': 'pm2', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port) });
  const r = await td.ng.request({ command: 'play media', 'call-id': 'pm2', 'from-tag': 'A', blob });
  t.same(r, { result: 'ok', duration: 100 });
  await hearsPrompt(t, a);
  t.equal(b.received.length, 0, 'the other side hears nothing of it');
});

t.test('play media to the answerer, then again: the stream goes on ("media playback, side B", "restart media playback")', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const b = await phone(t);
  await td.ng.request({ command: 'offer', 'call-id': 'pm3', 'from-tag': 'A', sdp: sdp(a.port) });
  await td.ng.request({ command: 'answer', 'call-id': 'pm3', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port) });
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm3', 'from-tag': 'B', blob }), { result: 'ok', duration: 100 });
  const first = await hearsPrompt(t, b);
  // Restarted before the mixer is released (60 ms after the end: as rtpengine's suite, at once) the
  // stream goes on; a slower restart (a loaded test machine) gets a new stream, as a new prompt would.
  const call = td.daemon.registry.get('pm3')!;
  const before = td.daemon.engine.mixer(call);
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm3', 'from-tag': 'B', blob }), { result: 'ok', duration: 100 });
  const continuing = before !== undefined && td.daemon.engine.mixer(call) === before;
  const second = await hearsPrompt(t, b, 5);
  if (continuing) {
    t.equal(second[0]!.ssrc, first[0]!.ssrc, 'same SSRC');
    t.equal(second[0]!.seq, (first[4]!.seq + 1) & 0xffff, 'the sequence goes on');
  }
  t.equal(a.received.length, 0, 'the other side hears nothing of it');
});

t.test('play media selects the participant by the label it was given in its offer ("media playback, side A, select by label")', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const b = await phone(t);
  await td.ng.request({ command: 'offer', 'call-id': 'pm4', 'from-tag': 'A', sdp: sdp(a.port), label: 'foobar' });
  await td.ng.request({ command: 'answer', 'call-id': 'pm4', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port) });
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm4', label: 'foobar', blob }), { result: 'ok', duration: 100 });
  await hearsPrompt(t, a);
  t.equal(b.received.length, 0, 'the other side hears nothing of it');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm4', 'from-label': 'foobar', blob }), { result: 'ok', duration: 100 }, 'from-label is label');
  await hearsPrompt(t, a, 5);
});

t.test('play media selects the answerer by the label given in the answer ("media playback, side B, select by label")', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const b = await phone(t);
  await td.ng.request({ command: 'offer', 'call-id': 'pm9', 'from-tag': 'A', sdp: sdp(a.port), label: 'quux' });
  await td.ng.request({ command: 'answer', 'call-id': 'pm9', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port), label: 'meh' });
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm9', label: 'meh', blob }), { result: 'ok', duration: 100 });
  await hearsPrompt(t, b);
  t.equal(a.received.length, 0, 'the offerer hears nothing of it');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm9', label: 'quux', blob }), { result: 'ok', duration: 100 }, 'the offerer keeps its own label');
  await hearsPrompt(t, a);
});

t.test('play media and stop media errors are rtpengine\'s', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  await td.ng.request({ command: 'offer', 'call-id': 'pm5', 'from-tag': 'A', sdp: sdp(a.port), label: 'x' });
  const err = (reason: string) => ({ result: 'error', 'error-reason': reason });
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'nope', 'from-tag': 'A', blob }), err('Unknown call-ID'));
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm5', 'from-tag': 'Z', blob }), err('From-tag given, but no such tag exists'));
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm5', label: 'y', blob }), err('No monologue matching the given label'));
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm5', blob }), err('No participant party specified'));
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm5', 'from-tag': 'A' }), err('No media file specified'));
  t.same(await td.ng.request({ command: 'stop media', 'call-id': 'pm5', 'from-tag': 'Z' }), err('From-tag given, but no such tag exists'));
  t.same(await td.ng.request({ command: 'stop media', 'call-id': 'nope', 'from-tag': 'A' }), err('Unknown call-ID'));
});


t.test('the listener\'s first packet is the prompt\'s first, call after call (rtpengine sends nothing before the file; "media playback, offer only", "side A")', async (t) => {
  // With the audit log on disk, a mixer made before the prompt's record was durable sent the listener a
  // frame of silence first (16 of 20 calls before the fix). On the reference engine: on the native one a
  // new output on its media thread can still run one frame between the mixer's set-up and the prompt's
  // arrival (about 1 call in 100; the mix's, reported).
  const td = await daemon(t, 'reference');
  const firsts: string[] = [];
  for (let k = 0; k < 12; k++) {
    const a = await phone(t);
    await td.ng.request({ command: 'offer', 'call-id': `pm7-${k}`, 'from-tag': 'A', sdp: sdp(a.port) });
    await td.ng.request({ command: 'play media', 'call-id': `pm7-${k}`, 'from-tag': 'A', blob });
    await a.until(() => a.received.length >= 1, 'the first packet');
    firsts.push(a.received[0]!.payload.subarray(0, 3).toString('hex')); // below the limiter's knee
  }
  t.same(firsts, Array(12).fill(PCMA[0]!.subarray(0, 3).toString('hex')), 'every call: the first packet starts with the WAV');
});

t.test('after the prompt, the peer\'s packets reach the listener as sent again ("RTCP player w/ previous SR": rtpengine forwards seq 2000 ts 4000)', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const b = await phone(t);
  const off = await td.ng.request({ command: 'offer', 'call-id': 'pm8', 'from-tag': 'A', sdp: sdp(a.port) });
  await td.ng.request({ command: 'answer', 'call-id': 'pm8', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port) });
  const fromB = Number(/^m=audio (\d+)/m.exec(String(off.sdp))![1]);
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pm8', 'from-tag': 'A', blob }), { result: 'ok', duration: 100 });
  await hearsPrompt(t, a);
  const call = td.daemon.registry.get('pm8')!;
  await a.until(() => td.daemon.engine.mixer(call) === undefined, 'the mixer released after the prompt');
  t.equal(a.received.length, 5, 'nothing after the prompt while nobody talks');
  const pkt = Buffer.alloc(12 + 160, 0x2a);
  pkt.writeUInt16BE(0x8008, 0);
  pkt.writeUInt16BE(2000, 2);
  pkt.writeUInt32BE(4000, 4);
  pkt.writeUInt32BE(0x3210, 8);
  b.send(fromB, pkt);
  await a.until(() => a.received.length >= 6, 'B\'s packet');
  const got = a.received[5]!;
  t.same(
    { pt: got.pt, seq: got.seq, ts: got.ts, ssrc: got.ssrc, payload: got.payload.toString('hex') },
    { pt: 8, seq: 2000, ts: 4000, ssrc: 0x3210, payload: '2a'.repeat(160) },
    'B\'s packet, untouched',
  );
});

/** Make the daemon's audit log refuse its `n`th append from now on (1-based) and hold it until `release`d. */
function auditFailsAt(td: TestDaemon, n: number): { called: Promise<void>; release: () => void } {
  const audit = td.daemon.audit as unknown as { append: (rec: unknown) => Promise<void> };
  const real = audit.append.bind(audit);
  let count = 0;
  let release!: () => void;
  let called!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const calledP = new Promise<void>((resolve) => (called = resolve));
  audit.append = async (rec: unknown) => {
    if (++count !== n) return real(rec);
    called();
    await held;
    throw new Error('disk full');
  };
  return { called: calledP, release };
}

t.test('play media to every party (flag all) that fails for the second changes nothing for the first (a failed command changes nothing)', async (t) => {
  for (const engine of [undefined, 'reference'] as const) {
    const td = await daemon(t, engine);
    const a = await phone(t);
    const b = await phone(t);
    await td.ng.request({ command: 'offer', 'call-id': 'pm10', 'from-tag': 'A', sdp: sdp(a.port) });
    await td.ng.request({ command: 'answer', 'call-id': 'pm10', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port) });
    const f = auditFailsAt(td, 2); // party B's prompt record
    f.release();
    const r = await td.ng.request({ command: 'play media', 'call-id': 'pm10', flags: ['all'], blob });
    t.same(r, { result: 'error', 'error-reason': 'Audit log unavailable' }, `${engine ?? 'native'}: the command fails`);
    const call = td.daemon.registry.get('pm10')!;
    t.equal(td.daemon.engine.mixer(call)?.hasPrompts() ?? false, false, `${engine ?? 'native'}: no prompt plays to A (nor B)`);
    t.equal(td.daemon.engine.mixer(call), undefined, `${engine ?? 'native'}: no mixer left behind`);
  }
});

t.test('a play media that fails after an answer decided the codec leaves the answer\'s codec (the provisional one is taken back only while it is still its own)', async (t) => {
  const td = await daemon(t);
  const a = await phone(t);
  const b = await phone(t);
  await td.ng.request({ command: 'offer', 'call-id': 'pm11', 'from-tag': 'A', sdp: sdp(a.port) });
  const f = auditFailsAt(td, 1);
  const play = td.ng.request({ command: 'play media', 'call-id': 'pm11', 'from-tag': 'A', blob });
  await f.called; // the command waits for its audit record, its provisional codec set
  const ans = await td.ng.request({ command: 'answer', 'call-id': 'pm11', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port) });
  t.equal(ans.result, 'ok');
  const leg = td.daemon.registry.get('pm11')!.participant('A')!.legs.find((l) => l.type === 'audio')!;
  const decided = leg.codec;
  t.not(decided, null, 'the answer decided A\'s codec');
  f.release();
  t.same(await play, { result: 'error', 'error-reason': 'Audit log unavailable' });
  t.equal(leg.codec, decided, 'A keeps the codec the answer decided');
});
