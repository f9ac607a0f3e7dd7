/**
 * PromptFiles (src/prompts/promptFiles.ts) on a real filesystem: what is inside prompts.dir (also when
 * the directory itself is reached through a symlink) is read byte-exact; everything else is the one
 * BadRequestError("Prompt file not available"). The ng/HTTP behaviour is in
 * test/integration/prompt-files.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { BadRequestError } from '../../../src/errors';
import { PROMPT_NOT_AVAILABLE, PromptFiles } from '../../../src/prompts/promptFiles';

const refused = new BadRequestError(PROMPT_NOT_AVAILABLE);

t.test('reads inside the directory, refuses the rest with one error', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-pf-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const real = path.join(root, 'real');
  fs.mkdirSync(real);
  const link = path.join(root, 'link'); // prompts.dir configured through a symlink
  fs.symlinkSync(real, link);
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 0xff));
  fs.writeFileSync(path.join(real, 'a.wav'), bytes);
  fs.writeFileSync(path.join(real, 'exact.wav'), Buffer.alloc(2048, 7));
  fs.writeFileSync(path.join(real, 'over.wav'), Buffer.alloc(2049, 7));
  fs.writeFileSync(path.join(root, 'sibling.wav'), bytes);
  fs.mkdirSync(path.join(root, 'real-evil')); // shares the directory's name as a prefix
  fs.writeFileSync(path.join(root, 'real-evil', 'x.wav'), bytes);

  const pf = new PromptFiles({ dir: link, maxFileBytes: 2048, readTimeoutMs: 5000 });
  const big = new PromptFiles({ dir: link, maxFileBytes: 1 << 20, readTimeoutMs: 5000 });
  t.same(await big.read('a.wav'), bytes, 'relative name: byte-exact');
  t.same(await big.read(path.join(link, 'a.wav')), bytes, 'absolute name through the configured (symlinked) directory');
  t.same(await big.read(path.join(real, 'a.wav')), bytes, 'absolute name through the real directory');
  t.same(await pf.read('exact.wav'), Buffer.alloc(2048, 7), 'exactly maxFileBytes is allowed');
  await t.rejects(pf.read('over.wav'), refused, 'one byte over maxFileBytes');
  for (const name of ['../sibling.wav', path.join(root, 'sibling.wav'), '../real-evil/x.wav', path.join(root, 'real-evil', 'x.wav'), 'a.wav\0.txt', '', 'x/'.repeat(3000) + 'a.wav', link, real]) {
    await t.rejects(big.read(name), refused, `refused: ${JSON.stringify(name.slice(0, 40))}`);
  }
  await t.rejects(new PromptFiles({ dir: '', maxFileBytes: 1 << 20, readTimeoutMs: 5000 }).read(path.join(real, 'a.wav')), refused, 'prompts.dir "" = disabled');
  await t.rejects(new PromptFiles({ dir: path.join(root, 'nope'), maxFileBytes: 1 << 20, readTimeoutMs: 5000 }).read('a.wav'), refused, 'a missing prompts.dir refuses, it does not throw something else');
});

t.test('concurrent reads all complete (the in-flight limit queues, it does not drop)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-pf-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(dir, `${i}.wav`), Buffer.alloc(4096 + i, i));
  const pf = new PromptFiles({ dir, maxFileBytes: 1 << 20, readTimeoutMs: 30000 });
  const got = await Promise.all(Array.from({ length: 8 }, (_, i) => pf.read(`${i}.wav`)));
  t.same(got.map((b) => [b.length, b[0]]), Array.from({ length: 8 }, (_, i) => [4096 + i, i]));
});
