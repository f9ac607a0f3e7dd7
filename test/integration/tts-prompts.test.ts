import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { decodeWav } from '../../src/prompts/wav';
import { fixWavSizes } from '../../src/prompts/tts';
import { daemonHttp as http, startTestDaemon } from '../fixtures/daemon';
import { readJsonLines, spyDatasync, tempAuditPath } from '../fixtures/supervision/auditFs';
import { closeAll, collect, startAll, supervisedCall, type SupervisedCall } from '../fixtures/supervisedCall';

/**
 * Whisper from text (issue 15): HTTP `POST …/prompts {text, voice?, rate?}` and ng `play media` `text`
 * are synthesized by the real espeak-ng and played into the agent's ear only: the agent receives
 * speech-band energy (300–3400 Hz) for about the prompt's duration, the customer none (≥ 60 dB below).
 * Refusals (text too long, bad voice, bad rate, rate limit exceeded, missing synthesizer) give their
 * exact errors and change nothing: no audit record, nothing played. The audit record names the text's
 * SHA-256, never the text (prompts.tts.auditText is off by default).
 *
 * Every party sends digital silence, so anything in a listener's speech band is the prompt.
 */

const TEXT = 'Reminder: please read the recording disclosure to the customer now.';
const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** RBJ biquad (Direct Form I) over the whole signal, in place on a float copy. */
function biquad(x: Float64Array, rate: number, f0: number, kind: 'hp' | 'lp'): Float64Array {
  const w = (2 * Math.PI * f0) / rate;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
  const cw = Math.cos(w);
  const b0 = kind === 'hp' ? (1 + cw) / 2 : (1 - cw) / 2;
  const b1 = kind === 'hp' ? -(1 + cw) : 1 - cw;
  const a0 = 1 + alpha;
  const a1 = -2 * cw;
  const a2 = 1 - alpha;
  const y = new Float64Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = (b0 * x[i]! + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1;
    x1 = x[i]!;
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/** 300–3400 Hz band: per-20 ms-frame levels (dBFS) and the whole signal's level. */
function speechBand(pcm: Int16Array, rate: number): { frames: number[]; db: number } {
  const x = Float64Array.from(pcm, (v) => v / 32768);
  const y = biquad(biquad(biquad(biquad(x, rate, 300, 'hp'), rate, 300, 'hp'), rate, 3400, 'lp'), rate, 3400, 'lp');
  const n = rate / 50;
  const frames: number[] = [];
  let total = 0;
  for (let s = 0; s + n <= y.length; s += n) {
    let e = 0;
    for (let i = s; i < s + n; i++) e += y[i]! * y[i]!;
    total += e;
    frames.push(10 * Math.log10(e / n + 1e-30) + 3.01);
  }
  return { frames, db: 10 * Math.log10(total / Math.max(1, y.length) + 1e-30) + 3.01 };
}

/** Speech-band summary of what `role` received since the last clear(). */
function bandOf(c: SupervisedCall, role: 'agent' | 'customer' | 'supervisor'): { db: number; activeMs: number; spanMs: number } {
  const { pcm, rate } = c.peers[role].decode('pcmu', 0);
  const { frames, db } = speechBand(pcm, rate);
  const active = frames.map((f, i) => (f > -50 ? i : -1)).filter((i) => i >= 0);
  const spanMs = active.length > 0 ? (active[active.length - 1]! - active[0]! + 1) * 20 : 0;
  return { db, activeMs: active.length * 20, spanMs };
}

/** The duration `play media` answers for TEXT at 8 kHz: the same synthesis, resampled length, rounded. */
function expectedDurationMs(text: string, voice: string, rate: number): number {
  const r = spawnSync('espeak-ng', ['--stdout', '--stdin', '-b', '1', '-v', voice, '-s', String(rate)], { input: Buffer.from(text, 'utf8') });
  if (r.status !== 0) throw new Error(`espeak-ng failed: ${r.stderr?.toString()}`);
  const wav = decodeWav(fixWavSizes(r.stdout));
  const n = Math.round((wav.samples.length * 8000) / wav.sampleRate);
  return Math.round((n * 1000) / 8000);
}

/** The agent hears nothing in the speech band over the next ~1 s (nothing is playing). */
async function agentSilent(t: Test, c: SupervisedCall, what: string): Promise<void> {
  await collect(c, 50, ['agent', 'customer']);
  const a = bandOf(c, 'agent');
  t.ok(a.db < -90, `${what}: nothing played to the agent (${a.db.toFixed(1)} dBFS)`);
}

t.test('text prompt into the agent ear only; exact errors change nothing; audited by hash', async (t) => {
  const file = tempAuditPath(t);
  const td = await startTestDaemon({ audit: { file }, prompts: { tts: { maxChars: 120, perCallPerMinute: 3 } } });
  t.teardown(() => td.close());
  const c = await supervisedCall(td, 'tts', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c, { customer: 0, agent: 0, supervisor: 0 });
  await collect(c, 10);
  const path = '/v1/calls/tts/participants/agent/prompts';
  const records = (): number => readJsonLines(file).length;
  const before = records();

  // Refusals first, while nothing plays: exact error, no audit record, nothing played.
  const long = 'x'.repeat(121);
  t.same(await http(td, 'POST', path, { text: long }), { status: 400, body: { error: 'Prompt text too long (max 120 characters)' } }, 'HTTP: text too long');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts', 'from-tag': 'agent', text: long }), { result: 'error', 'error-reason': 'Prompt text too long (max 120 characters)' }, 'ng: text too long');
  t.same(await http(td, 'POST', path, { text: TEXT, voice: '../../../etc/passwd' }), { status: 400, body: { error: 'Invalid voice' } }, 'HTTP: a voice that looks like a path');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts', 'from-tag': 'agent', text: TEXT, voice: '--stdout' }), { result: 'error', 'error-reason': 'Invalid voice' }, 'ng: a voice that looks like an option');
  t.same(await http(td, 'POST', path, { text: TEXT, voice: 'xq-zz' }), { status: 400, body: { error: 'Unknown voice' } }, 'HTTP: a well-formed voice espeak-ng does not have');
  t.same(await http(td, 'POST', path, { text: TEXT, rate: 5000 }), { status: 400, body: { error: 'Invalid rate' } }, 'HTTP: rate out of range');
  t.same(await http(td, 'POST', path, { text: TEXT, blobBase64: 'AAAA' }), { status: 400, body: { error: 'text: not with file or blobBase64' } }, 'HTTP: text with a blob');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts', 'from-tag': 'agent', text: TEXT, file: 'x.wav' }), { result: 'error', 'error-reason': 'Only one of file, blob or text' }, 'ng: text with a file');
  t.same(await http(td, 'POST', path, { text: '   ' }), { status: 400, body: { error: 'Prompt text is empty' } }, 'HTTP: empty text');
  t.equal(records(), before, 'no refusal wrote an audit record');
  await agentSilent(t, c, 'after the refusals');

  // HTTP: speech in the agent's ear for about the prompt's duration, none for the customer.
  c.peers.agent.clear();
  c.peers.customer.clear();
  const ok = await http(td, 'POST', path, { text: TEXT });
  t.equal(ok.status, 201, 'HTTP text prompt accepted');
  const durationMs = ok.body.durationMs as number;
  t.ok(durationMs > 2000 && durationMs < 10000, `durationMs ${durationMs} is a spoken sentence's length`);
  const packets = Math.ceil(durationMs / 20) + 40;
  await c.peers.agent.waitPackets(packets, 0, 30000);
  await c.peers.customer.waitPackets(packets, 0, 30000);
  const agent = bandOf(c, 'agent');
  const cust = bandOf(c, 'customer');
  t.ok(agent.db > -40, `the agent receives speech-band energy (${agent.db.toFixed(1)} dBFS)`);
  t.ok(agent.spanMs > 0.7 * durationMs && agent.spanMs < 1.2 * durationMs + 200, `for about the prompt's duration (speech spans ${agent.spanMs} ms of ${durationMs} ms; ${agent.activeMs} ms active)`);
  t.ok(cust.db < agent.db - 60, `the customer receives none (${cust.db.toFixed(1)} dBFS, ${(agent.db - cust.db).toFixed(1)} dB below the agent)`);

  // The audit record: written, with the hash and not the text.
  const recs = readJsonLines(file);
  t.equal(recs.length, before + 1, 'one audit record for the prompt');
  const rec = recs[recs.length - 1]!;
  t.match(rec, { event: 'prompt', callId: 'tts', agentTag: 'agent', source: 'http', reason: `tts:sha256:${sha(TEXT)}` }, 'a prompt record naming the text by its SHA-256');
  const details = rec.details as Record<string, unknown>;
  t.match(details, { textSha256: sha(TEXT), chars: TEXT.length, voice: 'en-us', rate: 175 }, 'details: hash, length, voice, rate');
  t.notOk('text' in details, 'no text in the details (prompts.tts.auditText off)');
  t.notOk(readFileSync(file, 'utf8').includes('disclosure'), 'the text itself is not in the audit log');

  // ng: exact reply (the duration of the same synthesis, resampled to the call's 8 kHz).
  const want = expectedDurationMs('Hold on', 'en-gb', 200);
  const r = await td.ng.request({ command: 'play media', 'call-id': 'tts', 'from-tag': 'agent', text: 'Hold on', voice: 'en-gb', rate: 200 });
  t.same(r, { result: 'ok', duration: want }, `ng play media text: exact reply (duration ${want} ms)`);
  t.equal(readJsonLines(file).length, before + 2, 'audited');
  t.same(await td.ng.request({ command: 'stop media', 'call-id': 'tts', 'from-tag': 'agent' }), { result: 'ok' }, 'stop media');

  // Rate limit: 3 per call per minute; the 4th is refused and changes nothing.
  const third = await http(td, 'POST', path, { text: 'Third.' });
  t.equal(third.status, 201, 'third prompt in the minute accepted');
  await td.ng.request({ command: 'stop media', 'call-id': 'tts', 'from-tag': 'agent' });
  const n = records();
  t.same(await http(td, 'POST', path, { text: 'Fourth.' }), { status: 403, body: { error: 'Text prompt rate limit exceeded' } }, 'HTTP: fourth in the minute refused');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts', 'from-tag': 'agent', text: 'Fourth.' }), { result: 'error', 'error-reason': 'Text prompt rate limit exceeded' }, 'ng: fourth refused');
  t.equal(records(), n, 'the refused prompts wrote no audit record');
  await agentSilent(t, c, 'after the rate-limited requests');
});

t.test('missing synthesizer: exact error, nothing audited or played', async (t) => {
  const file = tempAuditPath(t);
  const td = await startTestDaemon({ audit: { file }, prompts: { tts: { command: '/nonexistent/espeak-ng' } } });
  t.teardown(() => td.close());
  const c = await supervisedCall(td, 'tts-missing', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c, { customer: 0, agent: 0, supervisor: 0 });
  await collect(c, 10);
  const before = readJsonLines(file).length;
  t.same(await http(td, 'POST', '/v1/calls/tts-missing/participants/agent/prompts', { text: TEXT }), { status: 500, body: { error: 'Speech synthesizer not available' } }, 'HTTP: 500');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts-missing', 'from-tag': 'agent', text: TEXT }), { result: 'error', 'error-reason': 'Speech synthesizer not available' }, 'ng: error');
  t.equal(readJsonLines(file).length, before, 'no audit record');
  await agentSilent(t, c, 'missing synthesizer');
  // The refusals were not counted: the call is not rate limited by failures (default 10 per minute).
  for (let i = 0; i < 10; i++) await td.ng.request({ command: 'play media', 'call-id': 'tts-missing', 'from-tag': 'agent', text: TEXT });
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts-missing', 'from-tag': 'agent', text: TEXT }), { result: 'error', 'error-reason': 'Speech synthesizer not available' }, 'failed syntheses do not use up the rate limit');
});

t.test('not audited = not played: a text prompt the audit log cannot record is refused', async (t) => {
  const file = tempAuditPath(t);
  const td = await startTestDaemon({ audit: { file }, prompts: { tts: { perCallPerMinute: 1 } } });
  t.teardown(() => td.close());
  const spy = await spyDatasync(t);
  const c = await supervisedCall(td, 'tts-audit', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c, { customer: 0, agent: 0, supervisor: 0 });
  await collect(c, 10);
  const call = td.daemon.registry.get('tts-audit')!;
  spy.before = () => {
    const e = new Error('EIO: i/o error, fdatasync') as NodeJS.ErrnoException;
    e.code = 'EIO';
    throw e;
  };
  t.same(await http(td, 'POST', '/v1/calls/tts-audit/participants/agent/prompts', { text: TEXT }), { status: 503, body: { error: 'Audit log unavailable' } }, 'HTTP: 503');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'tts-audit', 'from-tag': 'agent', text: TEXT }), { result: 'error', 'error-reason': 'Audit log unavailable' }, 'ng: refused');
  t.equal(td.daemon.engine.mixer(call)?.hasPrompts() ?? false, false, 'no prompt playing');
  await agentSilent(t, c, 'audit down');
  spy.before = undefined;
  const r = await td.ng.request({ command: 'play media', 'call-id': 'tts-audit', 'from-tag': 'agent', text: 'Thank you.' });
  t.equal(r.result, 'ok', 'plays once the log works (the refused ones did not use up the 1-per-minute limit)');
  t.equal(readJsonLines(file).filter((x) => x.event === 'prompt').length, 1, 'exactly one prompt record');
});

t.test('prompts.tts.auditText: the audit record keeps the text itself', async (t) => {
  const file = tempAuditPath(t);
  const td = await startTestDaemon({ audit: { file }, prompts: { tts: { auditText: true } } });
  t.teardown(() => td.close());
  const c = await supervisedCall(td, 'tts-text', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
  });
  startAll(c, { customer: 0, agent: 0, supervisor: 0 });
  await collect(c, 10);
  const r = await http(td, 'POST', '/v1/calls/tts-text/participants/agent/prompts', { text: 'Offer the loyalty discount' });
  t.equal(r.status, 201, 'played');
  const rec = readJsonLines(file).filter((x) => x.event === 'prompt').pop()!;
  t.match(rec.details, { text: 'Offer the loyalty discount', textSha256: sha('Offer the loyalty discount') }, 'text and hash in the record');
});
