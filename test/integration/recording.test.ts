/**
 * Call recording (issue 15), real UDP phones in PCMU through an in-process whisperd with recording.dir:
 *  - record call on the offer, a whisper supervisor: the call file has the customer (617 Hz) left and the
 *    agent (1019 Hz) right, the supervisor's tone (1433 Hz) >= 90 dB below its level in the coaching
 *    file; the coaching file has the supervisor left and what the agent heard (customer + whisper) right;
 *  - pause recording / start recording: a silent run of about the paused length, the tones after it;
 *  - exact ng replies; metadata (participants, identities, pauses, modes, bleed, sha256 of each file),
 *    'recording' audit records (coaching file names), after delete;
 *  - disk full (a 64 KiB tmpfs): the recording stops with an event, an audit record and a metric, the
 *    call goes on; shutdown closes a running recording with its metadata.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { phoneSdp, sdpMediaPort, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { goertzelDb } from '../fixtures/media';
import { Phone } from '../fixtures/phone';
import { setWriteFault } from '../../src/recording/WavWriter';
import {
  attachSupervisor,
  closeAll,
  collect,
  F_AGENT,
  F_CUSTOMER,
  F_SUPERVISOR,
  peak,
  peakLevel,
  startAll,
  type Role,
  type SupervisedCall,
} from '../fixtures/supervisedCall';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface Wav {
  rate: number;
  channels: number;
  left: Int16Array;
  right: Int16Array;
  riffOk: boolean;
}

function readWav(path: string): Wav {
  const b = readFileSync(path);
  const channels = b.readUInt16LE(22);
  const rate = b.readUInt32LE(24);
  const dataBytes = b.readUInt32LE(40);
  const frames = Math.floor(dataBytes / (2 * channels));
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = b.readInt16LE(44 + i * 2 * channels);
    right[i] = b.readInt16LE(44 + i * 2 * channels + 2);
  }
  return { rate, channels, left, right, riffOk: b.readUInt32LE(4) === b.length - 8 && dataBytes === b.length - 44 };
}

/** Goertzel level over the whole channel (dBFS; -Infinity for digital silence). */
function level(pcm: Int16Array, rate: number, f: number, start = 0, n = pcm.length - start): number {
  return goertzelDb(pcm, rate, f, start, n);
}

/** Hann-windowed single-bin level (dBFS of a full-scale sine = 0) of pcm[start, start+n): no leakage from the other tones. */
function hannDb(pcm: Int16Array, rate: number, f: number, start: number, n: number): number {
  let re = 0;
  let im = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    const x = (pcm[start + i]! / 32768) * w;
    re += x * Math.cos((2 * Math.PI * f * i) / rate);
    im -= x * Math.sin((2 * Math.PI * f * i) / rate);
    wsum += w;
  }
  return 20 * Math.log10((2 * Math.hypot(re, im)) / wsum);
}

/** Longest run of all-zero 20 ms blocks, ms. */
function longestSilenceMs(pcm: Int16Array, rate: number): { ms: number; endAt: number } {
  const blk = rate / 50;
  let best = 0;
  let run = 0;
  let endAt = 0;
  for (let s = 0; s + blk <= pcm.length; s += blk) {
    let zero = true;
    for (let i = s; i < s + blk; i++) if (pcm[i] !== 0) { zero = false; break; }
    run = zero ? run + 1 : 0;
    if (run > best) {
      best = run;
      endAt = s + blk;
    }
  }
  return { ms: best * 20, endAt };
}

async function waitFor<T>(what: string, fn: () => T | undefined | null | false, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function metaOf(dir: string, callId: string): Record<string, any> | null {
  const f = readdirSync(dir).find((n) => n.startsWith(callId) && n.endsWith('.json'));
  if (!f) return null;
  // The daemon rewrites the metadata in place (its space is reserved at start so a full disk cannot stop
  // the final write): a poll can land in the middle of that write and read half a document; poll again.
  try {
    return JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, any>;
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function recordedCall(td: TestDaemon, callId: string, offerExtra: Record<string, unknown>): Promise<{ c: SupervisedCall; offer: Record<string, unknown>; answer: Record<string, unknown> }> {
  const peers: Record<Role, Phone> = { customer: await Phone.open(), agent: await Phone.open(), supervisor: await Phone.open() };
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(peers.customer.port, { codecs: ['0', '101'] }), ...offerExtra });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(peers.agent.port, { codecs: ['0', '101'] }) });
  const c: SupervisedCall = { callId, peers, to: { customer: sdpMediaPort(answer.sdp as string), agent: sdpMediaPort(offer.sdp as string), supervisor: 0 }, supervise: {} };
  return { c, offer, answer };
}

t.test('call and coaching recordings: channels, whisper excluded, pause, metadata, audit', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-rec-'));
  const td = await startTestDaemon({ recording: { dir } });
  const events: Array<Record<string, unknown>> = [];
  td.daemon.events.subscribe((e) => events.push(e));
  const callId = 'rec-call-1';
  const { c, offer } = await recordedCall(td, callId, { 'record call': 'yes', metadata: 'queue:sales|ticket:42' });
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  t.equal(offer.result, 'ok');
  t.equal(offer.warning, undefined, 'record call is taken (no "not supported" warning)');
  const sup = await attachSupervisor(td, callId, 'whisper', c.peers.supervisor.port);
  t.equal(sup.result, 'ok', 'supervise');
  c.to.supervisor = sdpMediaPort(sup.sdp as string);
  startAll(c);
  await collect(c, 100, ['agent']);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -25, 'the agent hears the whisper (it exists)');
  const q = await td.ng.request({ command: 'query', 'call-id': callId });
  t.same(q.recording, { 'call recording': 1, forwarding: 0 }, 'query: recording dict');

  // Pause (PCI) for ~1.5 s, then resume.
  t.same(await td.ng.request({ command: 'pause recording', 'call-id': callId }), { result: 'ok' }, 'pause recording reply');
  const pausedAt = Date.now();
  await sleep(1500);
  t.same(await td.ng.request({ command: 'start recording', 'call-id': callId }), { result: 'ok' }, 'start recording (resume) reply');
  const pausedMs = Date.now() - pausedAt;
  await collect(c, 75, ['agent']);
  // The parties fall silent (digital zero) while the supervisor keeps whispering: the call file's end
  // must be exact silence, the coaching file's the supervisor's tone.
  c.peers.customer.setTone(0, -12);
  c.peers.agent.setTone(0, -12);
  await collect(c, 50, ['agent']);
  t.ok(peak(c, 'agent', F_SUPERVISOR) > -25, 'the agent hears the whisper (parties silent)');
  t.same(await td.ng.request({ command: 'start recording', 'call-id': 'nope' }), { result: 'error', 'error-reason': 'Unknown call-id' }, 'unknown call');
  t.same(await td.ng.request({ command: 'stop recording' }), { result: 'error', 'error-reason': 'No call-id in message' }, 'no call-id');

  t.equal((await td.ng.request({ command: 'delete', 'call-id': callId, 'from-tag': 'cust' })).result, 'ok');
  const meta = await waitFor('metadata', () => {
    const m = metaOf(dir, callId);
    return m && m.state === 'closed' ? m : null;
  });

  const callFile = join(dir, (meta.files as Array<{ name: string }>)[0]!.name);
  const coachName = (meta.supervision as Array<{ coaching: { file: string } }>)[0]!.coaching.file;
  const coachFile = join(dir, coachName);
  t.match(callFile, new RegExp(`/${callId}-[0-9TZ]+\\.wav$`), 'call file name starts with the call-id');
  t.match(coachName, new RegExp(`^${callId}-[0-9TZ]+-coaching-sup-1\\.wav$`), 'coaching file name');
  const w = readWav(callFile);
  const k = readWav(coachFile);
  t.equal(w.channels, 2);
  t.equal(w.rate, 8000);
  t.ok(w.riffOk && k.riffOk, 'headers patched to the file sizes');

  // Best 400 ms window per tone (a whole-file Goertzel would sum segments of arbitrary phase across the pause).
  const L = { cust: peakLevel(w.left, w.rate, F_CUSTOMER), agent: peakLevel(w.left, w.rate, F_AGENT), sup: peakLevel(w.left, w.rate, F_SUPERVISOR) };
  const R = { cust: peakLevel(w.right, w.rate, F_CUSTOMER), agent: peakLevel(w.right, w.rate, F_AGENT), sup: peakLevel(w.right, w.rate, F_SUPERVISOR) };
  const KL = { sup: peakLevel(k.left, k.rate, F_SUPERVISOR), cust: peakLevel(k.left, k.rate, F_CUSTOMER) };
  const KR = { sup: peakLevel(k.right, k.rate, F_SUPERVISOR), cust: peakLevel(k.right, k.rate, F_CUSTOMER) };
  if (process.env.REC_DEBUG) {
    const blocks: string[] = [];
    for (let i = 0; i + 2000 <= w.left.length; i += 2000) blocks.push(level(w.left, w.rate, F_CUSTOMER, i, 2000).toFixed(0));
    t.comment(`left 250 ms blocks at 617 Hz: ${blocks.join(' ')}`);
  }
  t.comment(`call L ${JSON.stringify(L)} R ${JSON.stringify(R)}; coaching L ${JSON.stringify(KL)} R ${JSON.stringify(KR)}`);
  t.ok(L.cust > -25 && L.cust - L.agent > 40, 'left: the customer');
  t.ok(R.agent > -25 && R.agent - R.cust > 40, 'right: the agent');
  t.ok(KL.sup > -25, 'coaching left: the supervisor');
  t.ok(KR.sup > -30 && KR.cust > -30, 'coaching right: what the agent heard (customer + whisper)');
  // The whisper's tone: in 1 s Hann windows over the last 2 s (all tones steady, after the resume).
  const seg = (x: Int16Array): number => hannDb(x, 8000, F_SUPERVISOR, x.length - 4800, 4000);
  const inCoaching = seg(k.left);
  const inCall = Math.max(seg(w.left), seg(w.right));
  t.comment(`supervisor tone: coaching ${inCoaching.toFixed(1)} dBFS, call file ${inCall.toFixed(1)} dBFS`);
  t.ok(inCoaching > -25, 'supervisor tone present in the coaching file (window)');
  t.ok(inCoaching - inCall >= 90, `supervisor tone >= 90 dB below in the call file (${(inCoaching - inCall).toFixed(1)} dB)`);

  // Pause: a silent run of about the paused length in both channels, tones after it.
  const sil = longestSilenceMs(w.left, w.rate);
  t.comment(`paused ${pausedMs} ms on the client, silent run ${sil.ms} ms`);
  t.ok(Math.abs(sil.ms - pausedMs) <= 250, 'pause: silence of the paused length');
  t.ok(longestSilenceMs(w.right, w.rate).ms >= pausedMs - 250, 'pause: right channel silent too');
  t.ok(level(w.left, w.rate, F_CUSTOMER, sil.endAt + 800, 4000) > -30, 'resume: the recording continues');

  // Metadata.
  t.equal(meta.callId, callId);
  t.equal(meta.metadata, 'queue:sales|ticket:42');
  t.match(meta.endReason, /call ended \(deleted\)/);
  t.equal(meta.pauses.length, 1);
  t.ok(Math.abs(meta.pauses[0].durationMs - pausedMs) < 250, 'pause duration in metadata');
  const roles = Object.fromEntries((meta.participants as Array<{ tag: string; role: string }>).map((p) => [p.tag, p.role]));
  t.same(roles, { cust: 'customer', agent: 'agent', sup: 'supervisor' });
  const s0 = meta.supervision[0];
  t.equal(s0.supervisor, 'alice');
  t.equal(s0.agent, 'bob');
  t.equal(s0.modes[0].mode, 'whisper');
  t.ok(s0.bleed && 'last' in s0.bleed, 'bleed measurement section');
  t.comment(`bleed: ${JSON.stringify(s0.bleed)} verdict ${meta.bleedVerdict}`);
  t.equal(meta.bleedVerdict, 'no leak detected', 'bleed verdict (the phones do not leak)');
  t.equal(s0.bleedVerdict, 'no leak detected');
  t.equal(meta.files.length, 2, 'files: the call file and the coaching file');
  t.equal(meta.files[0].sha256, sha256(callFile), 'call file checksum');
  t.equal(meta.files.find((f: { name: string }) => f.name === coachName)?.sha256, sha256(coachFile), 'coaching file listed with its checksum');
  t.equal(s0.coaching.sha256, sha256(coachFile), 'coaching file checksum');
  t.ok(s0.coaching.complete && meta.files[0].complete);

  // Audit + events: the coaching file named in the trail.
  const recs = td.daemon.audit.query({ callId, event: 'recording' });
  const reasons = recs.map((r) => r.reason);
  t.ok(reasons.includes('started') && reasons.includes('paused') && reasons.includes('resumed'), `audit reasons ${reasons.join(', ')}`);
  const cs = recs.find((r) => r.reason === 'coaching started');
  t.equal(cs?.details?.file, coachName, 'coaching start record names the file');
  t.equal(cs?.supervisorTag, 'sup');
  await waitFor('coaching stop record', () => td.daemon.audit.query({ callId, event: 'recording' }).find((r) => r.reason === 'coaching stopped'));
  const start = td.daemon.audit.query({ callId, event: 'start' })[0];
  const stop = td.daemon.audit.query({ callId, event: 'stop' })[0];
  t.equal(start?.details?.coaching, coachName, "the supervisor's start record names the coaching file");
  t.equal(stop?.details?.coaching, coachName, "the supervisor's stop record names the coaching file");
  t.ok(events.some((e) => e.type === 'recording' && e.state === 'started'));
});

t.test('disk full: the recording stops with event, audit record, metric; the call goes on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recfull-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
  const td = await startTestDaemon({ recording: { dir } });
  const events: Array<Record<string, unknown>> = [];
  td.daemon.events.subscribe((e) => events.push(e));
  const callId = 'rec-full-1';
  const { c } = await recordedCall(td, callId, {});
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const r = await td.ng.request({ command: 'start recording', 'call-id': callId });
  t.same(r, { result: 'ok' });
  c.peers.customer.start(c.to.customer, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: 1, dtmfPt: 101 });
  c.peers.agent.start(c.to.agent, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: 2, dtmfPt: 101 });
  // 64 KiB at 32 kB/s: full within ~2 s.
  const ev = await waitFor('failed event', () => events.find((e) => e.type === 'recording' && e.state === 'failed'), 20000);
  t.match(ev.reason, /disk-full/);
  const rec = await waitFor('audit record', () => td.daemon.audit.query({ callId, event: 'recording' }).find((x) => /failed/.test(x.reason ?? '')));
  t.match(rec.reason, /disk-full/);
  const metrics = await td.daemon.metrics.registry.metrics();
  t.match(metrics, /whisperd_recording_failures_total\{reason="disk-full"\} 1/);
  t.equal(td.daemon.recording.active, 0, 'no recording running');
  // The call goes on.
  await collect(c, 50, ['customer', 'agent']);
  t.ok(peak(c, 'customer', F_AGENT) > -25, 'customer still hears the agent');
  t.ok(peak(c, 'agent', F_CUSTOMER) > -25, 'agent still hears the customer');
  const q = await td.ng.request({ command: 'query', 'call-id': callId });
  t.equal(q.result, 'ok');
  t.same(q.recording, { 'call recording': 0, forwarding: 0 });
  // Metadata complete on the full disk (written over the space reserved at start).
  const meta = await waitFor('metadata', () => {
    const m = metaOf(dir, callId);
    return m && m.state !== 'recording' ? m : null;
  });
  t.equal(meta.state, 'failed');
  t.equal(meta.failure.reason, 'disk-full');
  t.match(meta.endReason, /failed \(disk-full\)/);
  const f = join(dir, meta.files[0].name);
  t.equal(meta.files[0].sha256, sha256(f), 'checksum of what reached the disk');
  t.ok(readWav(f).riffOk, 'header patched to the bytes on disk');
  t.equal(meta.files[0].complete, false);
});

t.test('shutdown closes a running recording: header, metadata, checksum', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recsd-'));
  const td = await startTestDaemon({ recording: { dir } });
  const callId = 'rec-sd-1';
  const { c } = await recordedCall(td, callId, {});
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  t.same(await td.ng.request({ command: 'start recording', 'call-id': callId, metadata: 'a:b' }), { result: 'ok' });
  c.peers.customer.start(c.to.customer, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: 1, dtmfPt: 101 });
  c.peers.agent.start(c.to.agent, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: 2, dtmfPt: 101 });
  await sleep(1500);
  await td.close();
  const meta = metaOf(dir, callId);
  t.ok(meta, 'metadata written before close resolved');
  t.equal(meta!.state, 'closed');
  t.equal(meta!.metadata, 'a:b');
  const f = join(dir, meta!.files[0].name);
  t.ok(existsSync(f));
  const w = readWav(f);
  t.ok(w.riffOk, 'header complete');
  t.equal(meta!.files[0].sha256, sha256(f));
  t.ok(level(w.left, w.rate, F_CUSTOMER) > -25 && level(w.right, w.rate, F_AGENT) > -25, 'customer left, agent right (no supervisor: offerer is the customer)');
});

t.test('recording off (recording.dir empty): warnings, nothing recorded', async (t) => {
  const td = await startTestDaemon({});
  const { c, offer } = await recordedCall(td, 'rec-off-1', { 'record call': 'yes' });
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  t.equal(offer.warning, 'Call recording is not enabled (recording.dir is empty)');
  t.same(await td.ng.request({ command: 'start recording', 'call-id': 'rec-off-1' }), { result: 'ok', warning: 'Call recording is not enabled (recording.dir is empty)' });
  t.equal(td.daemon.recording.active, 0);
});

t.test('slow disk (fault injection: every write takes 3 s): stopped as disk-slow, the call goes on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recslow-'));
  const td = await startTestDaemon({ recording: { dir, maxQueuedBytes: 16384 } });
  const events: Array<Record<string, unknown>> = [];
  td.daemon.events.subscribe((e) => events.push(e));
  const callId = 'rec-slow-1';
  const { c } = await recordedCall(td, callId, { 'record call': 'on' });
  t.teardown(async () => {
    setWriteFault(null);
    closeAll(c);
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  setWriteFault(() => new Promise((r) => setTimeout(r, 3000)));
  c.peers.customer.start(c.to.customer, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: 1, dtmfPt: 101 });
  c.peers.agent.start(c.to.agent, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: 2, dtmfPt: 101 });
  const ev = await waitFor('failed event', () => events.find((e) => e.type === 'recording' && e.state === 'failed'), 20000);
  t.match(ev.reason, /disk-slow/);
  t.ok(td.daemon.audit.query({ callId, event: 'recording' }).some((x) => /disk-slow/.test(x.reason ?? '')), 'audit record');
  t.match(await td.daemon.metrics.registry.metrics(), /whisperd_recording_failures_total\{reason="disk-slow"\} 1/);
  await collect(c, 50, ['customer']);
  t.ok(peak(c, 'customer', F_AGENT) > -25, 'customer still hears the agent');
  setWriteFault(null);
  const meta = await waitFor('metadata', () => {
    const m = metaOf(dir, callId);
    return m && m.state !== 'recording' ? m : null;
  });
  t.equal(meta.failure.reason, 'disk-slow');
});

t.test('media timeout ends the call: recording closed with its metadata', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recto-'));
  const td = await startTestDaemon({ recording: { dir }, timeouts: { media: 1 } });
  const callId = 'rec-to-1';
  const { c } = await recordedCall(td, callId, { flags: ['record-call'] });
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const meta = await waitFor('metadata', () => {
    const m = metaOf(dir, callId);
    return m && m.state === 'closed' ? m : null;
  });
  t.match(meta.endReason, /call ended \(timeout\)/);
  const f = join(dir, meta.files[0].name);
  t.ok(readWav(f).riffOk, 'header complete');
  t.equal(meta.files[0].sha256, sha256(f));
});

/** Ogg pages of a file, each checked (capture pattern, CRC); packets reassembled from the lacing. */
function readOgg(path: string): { pages: Array<{ flags: number; granule: bigint; seq: number }>; packets: Buffer[]; crcOk: boolean } {
  const b = readFileSync(path);
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  const pages: Array<{ flags: number; granule: bigint; seq: number }> = [];
  const packets: Buffer[] = [];
  let crcOk = true;
  let off = 0;
  let cur: Buffer[] = [];
  while (off < b.length) {
    if (b.toString('ascii', off, off + 4) !== 'OggS') throw new Error(`no capture pattern at ${off}`);
    const nseg = b[off + 26]!;
    const lacing = b.subarray(off + 27, off + 27 + nseg);
    const bodyLen = lacing.reduce((a, x) => a + x, 0);
    const len = 27 + nseg + bodyLen;
    const page = Buffer.from(b.subarray(off, off + len));
    const want = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    let crc = 0;
    for (let i = 0; i < page.length; i++) crc = ((crc << 8) ^ table[((crc >>> 24) ^ page[i]!) & 0xff]!) >>> 0;
    if (crc !== want) crcOk = false;
    pages.push({ flags: b[off + 5]!, granule: b.readBigInt64LE(off + 6), seq: b.readUInt32LE(off + 18) });
    let p = off + 27 + nseg;
    for (const l of lacing) {
      cur.push(b.subarray(p, p + l));
      p += l;
      if (l < 255) {
        packets.push(Buffer.concat(cur));
        cur = [];
      }
    }
    off += len;
  }
  return { pages, packets, crcOk };
}

t.test('ogg-opus format: a valid stereo Ogg Opus file, customer left, agent right', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recogg-'));
  const td = await startTestDaemon({ recording: { dir, format: 'ogg-opus' } });
  const callId = 'rec-ogg-1';
  const { c } = await recordedCall(td, callId, { 'record call': 'yes' });
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  c.peers.customer.start(c.to.customer, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: 1, dtmfPt: 101 });
  c.peers.agent.start(c.to.agent, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: 2, dtmfPt: 101 });
  await sleep(2000);
  t.same(await td.ng.request({ command: 'stop recording', 'call-id': callId }), { result: 'ok' }, 'stop recording reply');
  const meta = await waitFor('metadata', () => {
    const m = metaOf(dir, callId);
    return m && m.state === 'closed' ? m : null;
  });
  t.equal(meta.endReason, 'stopped');
  t.equal(meta.format.container, 'ogg');
  const f = join(dir, meta.files[0].name);
  t.match(f, /\.opus$/);
  t.equal(meta.files[0].sha256, sha256(f));
  const ogg = readOgg(f);
  t.ok(ogg.crcOk, 'page CRCs');
  t.equal(ogg.pages[0]!.flags & 0x02, 0x02, 'BOS on the first page');
  t.equal(ogg.pages[ogg.pages.length - 1]!.flags & 0x04, 0x04, 'EOS on the last page');
  const head = ogg.packets[0]!;
  t.equal(head.toString('ascii', 0, 8), 'OpusHead');
  t.equal(head[9], 2, 'two channels');
  t.equal(head.readUInt32LE(12), 8000, 'input rate');
  t.equal(ogg.packets[1]!.toString('ascii', 0, 8), 'OpusTags');
  t.equal(head.length, 23, 'OpusHead with a channel mapping table');
  t.same([...head.subarray(18)], [1, 2, 0, 0, 1], 'mapping family 1: 2 streams, 0 coupled, left <- 0, right <- 1');
  // Decode (libopus, one mono decoder per stream) and measure each channel.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OpusEncoder } = require('@discordjs/opus') as typeof import('@discordjs/opus');
  const decL = new OpusEncoder(8000, 1);
  const decR = new OpusEncoder(8000, 1);
  const ls: Buffer[] = [];
  const rs: Buffer[] = [];
  let notCode0 = 0;
  for (const p of ogg.packets.slice(2)) {
    // Stream 0 self-delimited (code 0): TOC, length (1-2 bytes), frame; stream 1: the rest.
    const toc = p[0]!;
    if ((toc & 3) !== 0) notCode0++;
    const [len, hdr] = p[1]! < 252 ? [p[1]!, 2] : [p[1]! + 4 * p[2]!, 3];
    ls.push(decL.decode(Buffer.concat([Buffer.from([toc]), p.subarray(hdr, hdr + len)])));
    rs.push(decR.decode(Buffer.from(p.subarray(hdr + len))));
  }
  t.equal(notCode0, 0, 'every packet: code 0 frames');
  const lb = Buffer.concat(ls);
  const rb = Buffer.concat(rs);
  const n = lb.length >> 1;
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = lb.readInt16LE(i * 2);
    right[i] = rb.readInt16LE(i * 2);
  }
  t.ok(Math.abs(n / 8000 - meta.files[0].durationMs / 1000) < 0.1, 'decoded length = metadata duration');
  const L = { cust: peakLevel(left, 8000, F_CUSTOMER), agent: peakLevel(left, 8000, F_AGENT) };
  const R = { cust: peakLevel(right, 8000, F_CUSTOMER), agent: peakLevel(right, 8000, F_AGENT) };
  t.comment(`ogg L ${JSON.stringify(L)} R ${JSON.stringify(R)}`);
  t.ok(L.cust > -25 && L.cust - L.agent > 40, 'left: the customer');
  t.ok(R.agent > -25 && R.agent - R.cust > 40, 'right: the agent');
  const q = await td.ng.request({ command: 'query', 'call-id': callId });
  t.same(q.recording, { 'call recording': 0, forwarding: 0 }, 'query after stop');
});

t.test('stop recording with discard-recording deletes the files; audit keeps their names', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recdisc-'));
  const td = await startTestDaemon({ recording: { dir } });
  const callId = 'rec-disc-1';
  const { c } = await recordedCall(td, callId, { 'record call': 'yes' });
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  c.peers.customer.start(c.to.customer, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: 1, dtmfPt: 101 });
  await sleep(600);
  t.ok(readdirSync(dir).some((n) => n.endsWith('.wav')), 'recording');
  t.same(await td.ng.request({ command: 'stop recording', 'call-id': callId, flags: ['discard-recording'] }), { result: 'ok' });
  const rec = await waitFor('discard record', () => td.daemon.audit.query({ callId, event: 'recording' }).find((r) => r.reason === 'discarded'));
  t.same(readdirSync(dir), [], 'no files left');
  t.equal((rec.details?.deleted as string[]).length, 2, 'the audit record names the deleted files');
});

t.test('wideband call (G.722): recorded at 16 kHz, a 5 kHz tone kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-recwb-'));
  const td = await startTestDaemon({ recording: { dir } });
  const callId = 'rec-wb-1';
  const cust = await Phone.open();
  const agent = await Phone.open();
  t.teardown(async () => {
    cust.close();
    agent.close();
    await td.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sdp = (port: number): string =>
    `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\na=sendrecv\r\n`;
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: sdp(cust.port), 'record call': 'yes' });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: sdp(agent.port) });
  t.same([offer.result, answer.result, offer.warning], ['ok', 'ok', undefined]);
  cust.start(sdpMediaPort(answer.sdp as string), { codec: 'g722', pt: 9, freq: F_CUSTOMER, dbfs: -12, ssrc: 1 });
  agent.start(sdpMediaPort(offer.sdp as string), { codec: 'g722', pt: 9, freq: 5000, dbfs: -12, ssrc: 2 });
  await sleep(2000);
  t.equal((await td.ng.request({ command: 'delete', 'call-id': callId, 'from-tag': 'cust' })).result, 'ok');
  const meta = await waitFor('metadata', () => {
    const m = metaOf(dir, callId);
    return m && m.state === 'closed' ? m : null;
  });
  t.equal(meta.format.sampleRate, 16000);
  const w = readWav(join(dir, meta.files[0].name));
  t.equal(w.rate, 16000);
  const L = peakLevel(w.left, 16000, F_CUSTOMER);
  const R = peakLevel(w.right, 16000, 5000);
  t.comment(`left 617 Hz ${L.toFixed(1)} dBFS, right 5 kHz ${R.toFixed(1)} dBFS`);
  t.ok(L > -25, 'customer on the left');
  t.ok(R > -25, 'the agent\'s 5 kHz tone on the right (wideband kept)');
});
