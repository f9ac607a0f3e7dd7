import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { decodeWav } from '../../src/prompts/wav';
import { TextToSpeech } from '../../src/prompts/tts';

/**
 * The synthesizer's bounds (src/prompts/tts.ts), with stand-in synthesizers (shell scripts) that hang,
 * flood or fail, and the real espeak-ng: timeout (the child is killed), output cap, per-process
 * concurrency limit, a failing synthesizer, the per-call rate limit and its window, and that the text
 * reaches the synthesizer on stdin only (never as an argument).
 */

const TEXT = 'Please confirm the customer date of birth.';

function scripts(t: { teardown(fn: () => void): void }): Record<'hang' | 'flood' | 'fail' | 'args', string> {
  const dir = mkdtempSync(join(tmpdir(), 'whisperd-tts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const mk = (name: string, body: string): string => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  return {
    hang: mk('hang', `echo $$ > ${dir}/pid; exec sleep 30`),
    flood: mk('flood', 'exec head -c 10000000 /dev/zero'),
    fail: mk('fail', 'echo boom >&2; exit 3'),
    // Writes its argument list and stdin where the test can read them, then a tiny valid WAV.
    args: mk('args', `printf '%s\\n' "$@" > ${dir}/argv; cat > ${dir}/stdin; printf 'RIFF\\044\\0\\0\\0WAVEfmt \\020\\0\\0\\0\\001\\0\\001\\0\\100\\037\\0\\0\\200\\076\\0\\0\\002\\0\\020\\0data\\0\\0\\0\\0\\001\\0\\002\\0'`),
  };
}

t.test('synthesizer bounds: timeout, output cap, concurrency, failure, argv/stdin', async (t) => {
  const s = scripts(t);
  const started = Date.now();
  const hang = new TextToSpeech({ command: s.hang, timeoutMs: 300 });
  await t.rejects(hang.synthesize(TEXT, 'en-us', 175), { message: 'Speech synthesis timed out' }, 'a hung synthesizer times out');
  t.ok(Date.now() - started < 10000, 'and does not wait for the child (killed)');

  const flood = new TextToSpeech({ command: s.flood, maxOutputBytes: 65536 });
  await t.rejects(flood.synthesize(TEXT, 'en-us', 175), { message: 'Speech synthesis output too large' }, 'output over maxOutputBytes');

  const busy = new TextToSpeech({ command: s.hang, timeoutMs: 1500, maxConcurrent: 1 });
  const first = busy.synthesize(TEXT, 'en-us', 175);
  await t.rejects(busy.synthesize(TEXT, 'en-us', 175), { message: 'Speech synthesizer busy' }, 'a second synthesis over maxConcurrent is refused at once');
  await t.rejects(first, { message: 'Speech synthesis timed out' });
  await t.resolves(new TextToSpeech({ command: 'espeak-ng', maxConcurrent: 1 }).synthesize(TEXT, 'en-us', 175), 'the slot is free again afterwards');

  const fail = new TextToSpeech({ command: s.fail });
  await t.rejects(fail.synthesize(TEXT, 'en-us', 175), { message: 'Speech synthesis failed' }, 'a non-zero exit');

  const args = new TextToSpeech({ command: s.args });
  const evil = '-w /tmp/owned; $(touch /tmp/owned) `id` "\'';
  const wav = await args.synthesize(evil, 'en-gb', 120);
  t.equal(decodeWav(wav).samples.length, 2, 'the streamed WAV is read with its sizes fixed');
  const dir = s.args.replace(/\/args$/, '');
  const { readFileSync } = await import('node:fs');
  t.same(readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n'), ['--stdout', '--stdin', '-b', '1', '-v', 'en-gb', '-s', '120'], 'argv: fixed options, the checked voice and rate; no text');
  t.equal(readFileSync(join(dir, 'stdin'), 'utf8'), evil, 'the text arrives on stdin, byte for byte');
});

t.test('request checks and the per-call rate limit', async (t) => {
  const tts = new TextToSpeech({ perCallPerMinute: 2, maxChars: 10, voices: ['en-us', 'de'] });
  t.throws(() => tts.check({ text: 'x'.repeat(11) }), { message: 'Prompt text too long (max 10 characters)' });
  t.doesNotThrow(() => tts.check({ text: 'é'.repeat(10) }), 'characters are code points, not bytes');
  t.throws(() => tts.check({ text: 'hi', voice: 'en-gb' }), { message: 'Invalid voice' }, 'not in prompts.tts.voices');
  for (const v of ['', '../en', 'en us', '-v', 'en/us', 'en-us\n', 'a', 'english-us-long-variant-x']) t.throws(() => tts.check({ text: 'hi', voice: v }), { message: 'Invalid voice' }, `voice ${JSON.stringify(v)}`);
  for (const r of [79, 451, 1.5, NaN]) t.throws(() => tts.check({ text: 'hi', rate: r }), { message: 'Invalid rate' }, `rate ${r}`);
  t.throws(() => new TextToSpeech({ enabled: false }).check({ text: 'hi' }), { message: 'Text prompts are disabled' });

  let played = 0;
  const play = async (): Promise<number> => ++played;
  await tts.play('a', { text: 'one' }, play);
  await tts.play('a', { text: 'two' }, play);
  await t.rejects(tts.play('a', { text: 'three' }, play), { message: 'Text prompt rate limit exceeded' }, 'third in the minute refused');
  await t.resolves(tts.play('b', { text: 'other' }, play), 'per call: another call is not limited');
  await t.rejects(tts.play('b', { text: 'x' }, () => Promise.reject(new Error('audit down'))), { message: 'audit down' });
  await t.resolves(tts.play('b', { text: 'again' }, play), 'a prompt that failed after synthesis is not counted');
  t.equal(played, 4, 'played only the accepted ones');
});
