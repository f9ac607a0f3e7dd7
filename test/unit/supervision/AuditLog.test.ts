import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { BadRequestError, ConfigError } from '../../../src/errors';
import { setLogLevel } from '../../../src/log';
import { AuditLog, AuditWriteError, type AuditInput } from '../../../src/supervision/AuditLog';
import { auditSchema } from '../../../src/supervision/auditSchema';
import { readJsonLines, spyDatasync, tempAuditPath } from '../../fixtures/supervision/auditFs';

setLogLevel('silent');

const start = (callId: string, extra: Partial<AuditInput> = {}): AuditInput => ({
  event: 'start',
  callId,
  source: 'ng',
  supervisor: 'alice',
  agent: 'bob',
  oldMode: null,
  newMode: 'whisper',
  ...extra,
});

t.test('schema defaults: var/audit.jsonl, 10000 kept; strict', async (t) => {
  t.strictSame(auditSchema.parse(undefined), { file: 'var/audit.jsonl', keepInMemory: 10000 });
  t.equal(auditSchema.safeParse({ fiel: 'x' }).success, false);
  t.equal(auditSchema.safeParse({ keepInMemory: -1 }).success, false);
});

t.test('concurrent appends are written in call order, as valid JSON lines, seq 1..n', async (t) => {
  const file = tempAuditPath(t);
  const log = await AuditLog.open(auditSchema.parse({ file }));
  const spy = await spyDatasync(t);
  const n = 200;
  const events = ['start', 'mode', 'mute', 'prompt', 'denied', 'failsafe', 'stop'] as const;
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => log.append({ event: events[i % events.length]!, callId: `c${i % 5}`, source: 'http', details: { i } })),
  );
  t.strictSame(results.map((r) => r.seq), Array.from({ length: n }, (_, i) => i + 1), 'seq in call order');
  const lines = readJsonLines(file);
  t.equal(lines.length, n);
  t.strictSame(lines.map((l) => (l.details as { i: number }).i), Array.from({ length: n }, (_, i) => i), 'file in call order');
  t.strictSame(lines.map((l) => l.seq), results.map((r) => r.seq));
  t.strictSame(Object.keys(lines[0]!).slice(0, 4), ['time', 'seq', 'event', 'callId'], 'time and seq lead each line');
  t.ok(!Number.isNaN(Date.parse(lines[0]!.time as string)), 'ISO time');
  t.strictSame(results[0], lines[0], 'the resolved record is what is on disk');
  t.ok(spy.calls >= 1 && spy.calls < n, `concurrent appends share syncs (${spy.calls} for ${n})`);
  t.equal(log.counts.start, Math.ceil(n / 7));
  t.equal(log.counts.stop, Math.floor(n / 7));
  await log.close();
});

t.test('append resolves only after the line is on disk and fdatasync has run', async (t) => {
  const file = tempAuditPath(t);
  const log = await AuditLog.open(auditSchema.parse({ file }));
  const spy = await spyDatasync(t);
  let resolved = false;
  let seenAtSync: string | undefined;
  spy.before = () => {
    seenAtSync = readFileSync(file, 'utf8');
    t.equal(resolved, false, 'not resolved before the sync');
  };
  const p = log.append(start('call-1')).then((r) => ((resolved = true), r));
  const rec = await p;
  t.equal(spy.calls, 1);
  t.match(seenAtSync, /"callId":"call-1"/, 'written before the sync');
  t.strictSame(readJsonLines(file), [rec], 'a fresh read of the file has the record');
  await log.close();
});

t.test('a failed sync rejects with AuditWriteError, rolls the bytes back, and the log goes on', async (t) => {
  const file = tempAuditPath(t);
  const log = await AuditLog.open(auditSchema.parse({ file }));
  await log.append(start('ok-1'));
  const spy = await spyDatasync(t);
  spy.before = () => {
    throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
  };
  const failed = log.append(start('lost'));
  await t.rejects(failed, AuditWriteError);
  await failed.catch((e: Error) => t.match(e.message, /audit: appending to .*audit\.jsonl failed: EIO/));
  spy.before = undefined;
  const next = await log.append(start('ok-2'));
  t.equal(next.seq, 3, 'the failed seq is not reused (a gap marks the failure)');
  t.strictSame(readJsonLines(file).map((l) => l.callId), ['ok-1', 'ok-2'], 'no trace of the failed record');
  t.strictSame(log.query().map((r) => r.callId), ['ok-1', 'ok-2']);
  t.equal(log.counts.start, 2);
  await log.close();
});

t.test('reopening loads the newest records and continues seq', async (t) => {
  const file = tempAuditPath(t);
  const a = await AuditLog.open(auditSchema.parse({ file }));
  for (let i = 0; i < 30; i++) await a.append(start(`c${i}`));
  await a.close();
  await t.rejects(a.append(start('late')), AuditWriteError, 'closed log refuses appends');

  const b = await AuditLog.open(auditSchema.parse({ file, keepInMemory: 10 }));
  const q = b.query();
  t.equal(q.length, 10);
  t.strictSame(q.map((r) => r.seq), [21, 22, 23, 24, 25, 26, 27, 28, 29, 30], 'newest kept, newest last');
  t.equal((await b.append(start('after'))).seq, 31);
  t.equal(b.counts.start, 1, 'counts are per process');
  await b.close();
  const seqs = readJsonLines(file).map((l) => l.seq);
  t.strictSame(seqs, Array.from({ length: 31 }, (_, i) => i + 1));
});

t.test('reload of a file spanning many 64 KiB read chunks (lines cut by chunk boundaries)', async (t) => {
  const file = tempAuditPath(t);
  const pad = 'x'.repeat(900);
  const lines = Array.from({ length: 500 }, (_, i) =>
    JSON.stringify({ time: new Date(0).toISOString(), seq: i + 1, event: 'mode', callId: `c${i}`, source: 'ng', reason: pad }),
  );
  writeFileSync(file, lines.join('\n') + '\n');
  const log = await AuditLog.open(auditSchema.parse({ file, keepInMemory: 150 }));
  const q = log.query();
  t.equal(q.length, 150);
  t.equal(q[0]!.seq, 351);
  t.equal(q[149]!.seq, 500);
  t.equal((await log.append(start('x'))).seq, 501);
  await log.close();
  const zero = await AuditLog.open(auditSchema.parse({ file, keepInMemory: 0 }));
  t.strictSame(zero.query(), [], 'keepInMemory 0 keeps nothing');
  t.equal((await zero.append(start('y'))).seq, 502, 'but still continues seq');
  await zero.close();
});

t.test('a torn last line is tolerated: skipped, kept in the file, not glued to the next record', async (t) => {
  const file = tempAuditPath(t);
  const a = await AuditLog.open(auditSchema.parse({ file }));
  await a.append(start('c1'));
  await a.append(start('c2'));
  await a.close();
  appendFileSync(file, '{"time":"2026-01-01T00:00:00.000Z","seq":3,"event":"st'); // crash mid-write
  const b = await AuditLog.open(auditSchema.parse({ file }));
  t.strictSame(b.query().map((r) => r.seq), [1, 2]);
  t.equal((await b.append(start('c3'))).seq, 3);
  await b.close();
  const raw = readFileSync(file, 'utf8').split('\n');
  t.equal(raw.length, 5, 'two records, the torn fragment, the new record, final empty');
  t.match(raw[2], /"event":"st$/, 'torn fragment left as it was');
  t.equal(JSON.parse(raw[3]!).callId, 'c3', 'new record on its own line');

  // a complete last record without its newline counts as a record
  const file2 = tempAuditPath(t);
  writeFileSync(file2, JSON.stringify({ time: new Date(0).toISOString(), seq: 7, event: 'stop', callId: 'z', source: 'ng' }));
  const c = await AuditLog.open(auditSchema.parse({ file: file2 }));
  t.equal(c.query().length, 1);
  t.equal((await c.append(start('after'))).seq, 8);
  await c.close();
  t.strictSame(readJsonLines(file2).map((l) => l.seq), [7, 8]);
});

t.test('query filters: callId, event, since, limit (newest last)', async (t) => {
  let ms = Date.parse('2026-03-01T10:00:00.000Z');
  const log = await AuditLog.open(auditSchema.parse({ file: '' }), { now: () => new Date((ms += 1000)) });
  await log.append(start('A'));
  await log.append({ event: 'mode', callId: 'A', source: 'dtmf', oldMode: 'whisper', newMode: 'barge' });
  await log.append(start('B'));
  await log.append({ event: 'denied', callId: 'C', source: 'ng', reason: 'no initiate rule allows x to page on y' });
  await log.append({ event: 'stop', callId: 'A', source: 'http' });
  const seqs = (f: Parameters<AuditLog['query']>[0]): number[] => log.query(f).map((r) => r.seq);
  t.strictSame(seqs({}), [1, 2, 3, 4, 5]);
  t.strictSame(seqs({ callId: 'A' }), [1, 2, 5]);
  t.strictSame(seqs({ event: 'start' }), [1, 3]);
  t.strictSame(seqs({ callId: 'A', event: 'mode' }), [2]);
  t.strictSame(seqs({ since: '2026-03-01T10:00:03.000Z' }), [3, 4, 5], 'since is inclusive');
  t.strictSame(seqs({ since: '2026-03-01T11:00:03+01:00' }), [3, 4, 5], 'any ISO offset');
  t.strictSame(seqs({ limit: 2 }), [4, 5], 'limit keeps the newest');
  t.strictSame(seqs({ callId: 'A', limit: 2 }), [2, 5]);
  t.strictSame(seqs({ limit: 0 }), []);
  t.strictSame(seqs({ callId: 'nope' }), []);
  t.throws(() => log.query({ since: 'yesterday' }), BadRequestError);
  t.throws(() => log.query({ event: 'strat' }), BadRequestError);
  t.throws(() => log.query({ limit: -1 }), BadRequestError);
  t.throws(() => (log.query()[0] as { callId: string }).callId = 'x', TypeError, 'records are frozen');
  t.equal(log.counts.denied, 1);
  await log.close();
});

t.test('memory-only ring keeps the newest keepInMemory records', async (t) => {
  const log = await AuditLog.open(auditSchema.parse({ file: '', keepInMemory: 3 }));
  for (let i = 0; i < 10; i++) await log.append(start(`c${i}`));
  t.strictSame(log.query().map((r) => r.callId), ['c7', 'c8', 'c9']);
  await log.close();
});

t.test('bad input: unserialisable details reject without consuming a seq; unopenable file is a ConfigError', async (t) => {
  const log = await AuditLog.open(auditSchema.parse({ file: '' }));
  await t.rejects(log.append({ event: 'start', callId: 'x', source: 'ng', details: { n: 1n } }), TypeError);
  t.equal((await log.append(start('ok'))).seq, 1);
  await log.close();
  const file = tempAuditPath(t);
  writeFileSync(file, '');
  await t.rejects(AuditLog.open(auditSchema.parse({ file: `${file}/sub/audit.jsonl` })), ConfigError);
});
