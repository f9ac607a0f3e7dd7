/**
 * House rule "no allocation per frame" for the frame codec kernels (native/src/codec/): the C++ program
 * native/test/codec_alloc_check.cc is compiled with the kernels and counts every malloc/calloc/realloc/
 * memalign (operator new included) while frames are encoded, decoded, concealed, FEC-recovered,
 * resampled and junk payloads refused, after construction. Needs g++ and the -dev packages the addon
 * build needs (scripts/system-deps.sh run).
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

t.test('codec kernels allocate nothing per frame', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-alloc-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const exe = path.join(dir, 'codec_alloc_check');
  const kernels = ['factory', 'g711', 'g729', 'opus', 'resampler'].map((k) => path.join(root, 'native/src/codec', `${k}.cc`));
  const build = spawnSync(
    'g++',
    ['-std=c++17', '-O2', '-ffp-contract=off', path.join(root, 'native/test/codec_alloc_check.cc'), ...kernels, '-lopus', '-lbcg729', '-lspeexdsp', '-o', exe],
    { encoding: 'utf8' },
  );
  if (build.status !== 0) {
    t.fail(`g++ failed (needs build-essential, libopus-dev, libbcg729-dev, libspeexdsp-dev): ${build.error?.message ?? build.stderr}`);
    return;
  }
  const run = spawnSync(exe, [], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  const field = (line: string, key: string): number => Number(new RegExp(`${key}=(-?\\d+)`).exec(line)?.[1] ?? NaN);
  const cases = ['PCMU', 'PCMA', 'G729', 'G729-annexb', 'opus-8000-fec-dtx', 'opus-16000-fec-dtx', 'opus-48000-fec-dtx', 'resampler'];
  for (const name of cases) {
    const line = lines.find((l) => l.startsWith(`${name} `));
    if (line === undefined) {
      t.fail(`${name}: no result (output: ${run.stdout} ${run.stderr})`);
      continue;
    }
    t.equal(field(line, 'allocations'), 0, `${name}: 0 allocations over ${field(line, 'frames')} frames (${line})`);
    t.equal(field(line, 'bad'), 0, `${name}: every good frame accepted`);
    if (!name.startsWith('G729') && name !== 'resampler') t.equal(field(line, 'reset_allocations'), 0, `${name}: reset allocates nothing`);
  }
  const probe = lines.find((l) => l.startsWith('probe '));
  t.ok(probe !== undefined && field(probe, 'allocations') > 0, `the counter sees an allocation (${probe})`);
  t.equal(run.status, 0, 'the check program exits 0');
});
