/**
 * Prompt files (issue 9 D1): `play media` `file` (ng) and `POST …/prompts` `{file}` (HTTP) read only
 * regular files inside prompts.dir, no larger than prompts.maxFileBytes, with the same reply for every
 * refused path — so a peer can neither read /dev/zero into memory, nor park libuv's file threads on a
 * FIFO, nor learn which paths exist. A good WAV in the directory (by relative name, by absolute name,
 * through a symlink that stays inside) plays; a file that is readable but not a WAV keeps its own error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { wavBytes } from '../../src/prompts/wav';
import { tone } from '../fixtures/codec/signal';
import { phoneSdp, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

const REFUSED = 'Prompt file not available';
const MAX = 64 * 1024;
/** HTTP client limit. Generous: a refusal must arrive at all (before the fix a FIFO or /dev/zero never answered). */
const REPLY_TIMEOUT_MS = 10000;

async function call(td: TestDaemon, callId: string): Promise<() => void> {
  const a = await Phone.open();
  const b = await Phone.open();
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(a.port, { codecs: ['0'] }) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(b.port, { codecs: ['0'] }) });
  if (offer.result !== 'ok' || answer.result !== 'ok') throw new Error(`call setup failed: ${JSON.stringify({ offer, answer })}`);
  return () => {
    a.close();
    b.close();
  };
}

async function ngPlay(td: TestDaemon, callId: string, file: string): Promise<unknown> {
  return td.ng.request({ command: 'play media', 'call-id': callId, 'from-tag': 'agent', file }); // the client gives up after 5 s
}

async function httpPlay(td: TestDaemon, callId: string, file: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${td.httpPort}/v1/calls/${callId}/participants/agent/prompts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file }),
    signal: AbortSignal.timeout(REPLY_TIMEOUT_MS),
  });
  return { status: res.status, body: await res.json() };
}

/** Unblock any reader still parked in open() on a FIFO (only matters when the daemon is unfixed). */
function unblockFifo(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is reading it — the point of the fix
  }
}

t.test('prompt files: one refusal for every path outside the rules, ng and HTTP; good WAVs in the directory play', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-promptdir-'));
  const dir = path.join(root, 'prompts');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(dir);
  fs.mkdirSync(outside);
  const good = wavBytes(tone(4000, 8000, 1000, -12), 8000); // 500 ms
  fs.writeFileSync(path.join(dir, 'good.wav'), good);
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'nested.wav'), good);
  fs.symlinkSync(path.join(dir, 'good.wav'), path.join(dir, 'alias.wav')); // stays inside: fine
  fs.writeFileSync(path.join(outside, 'secret.wav'), good); // a valid WAV: only the location refuses it
  fs.symlinkSync(path.join(outside, 'secret.wav'), path.join(dir, 'escape.wav'));
  fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd.wav'));
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.wav'));
  execFileSync('mkfifo', [path.join(dir, 'fifo.wav'), path.join(outside, 'fifo.wav')]);
  fs.symlinkSync(path.join(outside, 'fifo.wav'), path.join(dir, 'fifolink.wav'));
  const big = Buffer.concat([good, Buffer.alloc(MAX)]); // a valid WAV header, but over the limit
  fs.writeFileSync(path.join(dir, 'big.wav'), big);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not audio, but a regular file inside the directory');

  const td = await startTestDaemon({ prompts: { dir, maxFileBytes: MAX } });
  const closePeers = await call(td, 'pf');
  t.teardown(async () => {
    closePeers();
    for (const f of [path.join(dir, 'fifo.wav'), path.join(outside, 'fifo.wav')]) unblockFifo(f);
    await td.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const refused = [
    '/dev/zero',
    '/dev/urandom',
    '/etc/shadow',
    '/etc/passwd',
    '/nonexistent/x.wav',
    'missing.wav',
    path.join(dir, 'missing.wav'),
    path.join(outside, 'secret.wav'), // absolute path outside
    '../outside/secret.wav', // traversal
    'sub/../../outside/secret.wav',
    path.join(dir, '..', 'outside', 'secret.wav'),
    'escape.wav', // symlink escaping the directory
    'passwd.wav',
    'zero.wav',
    'fifo.wav', // FIFO inside the directory
    path.join(outside, 'fifo.wav'), // FIFO outside
    'fifolink.wav',
    'big.wav', // too large
    'sub', // a directory
    '.',
    dir,
    '/',
  ];
  const rssBefore = process.memoryUsage().rss;
  for (const file of refused) {
    t.same(await ngPlay(td, 'pf', file), { result: 'error', 'error-reason': REFUSED }, `ng: ${file} refused with the one text`);
    t.same(await httpPlay(td, 'pf', file), { status: 400, body: { error: REFUSED } }, `HTTP: ${file} refused with the one text`);
  }
  const grownMb = (process.memoryUsage().rss - rssBefore) / 1048576;
  t.ok(grownMb < 256, `memory did not grow with the refusals (${grownMb.toFixed(0)} MB)`);

  for (const file of ['good.wav', path.join(dir, 'good.wav'), 'sub/nested.wav', 'sub/../good.wav', 'alias.wav']) {
    t.same(await ngPlay(td, 'pf', file), { result: 'ok', duration: 500 }, `ng: ${file} plays`);
    t.same(await httpPlay(td, 'pf', file), { status: 201, body: { durationMs: 500 } }, `HTTP: ${file} plays`);
  }
  t.same(await ngPlay(td, 'pf', 'notes.txt'), { result: 'error', 'error-reason': 'Unsupported audio file: not a WAV file' }, 'a readable non-WAV keeps its own error');
  const audit = td.daemon.audit.query({ callId: 'pf', event: 'prompt' });
  t.equal(audit.length, 10, 'every played file is audited, no refused one');
  t.equal(audit[0]!.reason, 'good.wav', 'the audit names the file as the peer gave it');
});

t.test('prompt files are disabled by default (prompts.dir = "")', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-promptdir-'));
  fs.writeFileSync(path.join(dir, 'good.wav'), wavBytes(tone(4000, 8000, 1000, -12), 8000));
  const td = await startTestDaemon();
  const closePeers = await call(td, 'pd');
  t.teardown(async () => {
    closePeers();
    await td.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  t.same(await ngPlay(td, 'pd', path.join(dir, 'good.wav')), { result: 'error', 'error-reason': REFUSED }, 'ng: refused');
  t.same(await httpPlay(td, 'pd', path.join(dir, 'good.wav')), { status: 400, body: { error: REFUSED } }, 'HTTP: refused');
  const blob = wavBytes(tone(4000, 8000, 1000, -12), 8000).toString('latin1');
  t.same(await td.ng.request({ command: 'play media', 'call-id': 'pd', 'from-tag': 'agent', blob }), { result: 'ok', duration: 500 }, 'blobs still play');
});
