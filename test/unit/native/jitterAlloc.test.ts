/**
 * House rule "no allocation per packet / per frame" for the native jitter buffer (native/src/jitter/):
 * native/test/jitter_alloc_check.cc is compiled with the buffer and the codec kernels, interposes
 * malloc/calloc/realloc/memalign (operator new included) and counts every allocation while a trace with
 * every playout path (start, loss, reorder, duplicates, stale packets, DTX with CN, SSRC change,
 * timestamp jump, store overflow, time-stretch, Reset) is put and played after Create, for PCMU and
 * Opus (48 kHz and 16 kHz output). Needs g++ and the -dev packages the addon build needs.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

t.test('the native jitter buffer allocates nothing after Create', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-jalloc-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const exe = path.join(dir, 'jitter_alloc_check');
  const sources = [
    ...['jitter_buffer', 'parts'].map((k) => path.join(root, 'native/src/jitter', `${k}.cc`)),
    ...['factory', 'g711', 'g729', 'opus', 'resampler'].map((k) => path.join(root, 'native/src/codec', `${k}.cc`)),
  ];
  const build = spawnSync(
    'g++',
    ['-std=c++17', '-O2', '-ffp-contract=off', path.join(root, 'native/test/jitter_alloc_check.cc'), ...sources, '-lopus', '-lbcg729', '-lspeexdsp', '-o', exe],
    { encoding: 'utf8' },
  );
  if (build.status !== 0) {
    t.fail(`g++ failed (needs build-essential, libopus-dev, libbcg729-dev, libspeexdsp-dev): ${build.error?.message ?? build.stderr}`);
    return;
  }
  const run = spawnSync(exe, [], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  const field = (line: string, key: string): number => Number(new RegExp(`${key}=(-?\\d+)`).exec(line)?.[1] ?? NaN);
  for (const name of ['PCMU', 'opus-48000', 'opus-16000']) {
    const line = lines.find((l) => l.startsWith(`${name} `));
    if (line === undefined) {
      t.fail(`${name}: no result (output: ${run.stdout} ${run.stderr})`);
      continue;
    }
    t.equal(field(line, 'allocations'), 0, `${name}: 0 allocations over ${field(line, 'puts')} puts and ${field(line, 'gets')} gets (${line})`);
    // The trace went through the paths it is meant to cover.
    for (const f of ['concealed', 'silence', 'resyncs', 'ssrc', 'flushes', 'stretch']) t.ok(field(line, f) > 0, `${name}: ${f} > 0`);
  }
  const probe = lines.find((l) => l.startsWith('probe '));
  t.ok(probe !== undefined && field(probe, 'allocations') > 0, `the counter sees an allocation (${probe})`);
  t.equal(run.status, 0, 'the check program exits 0');
});
