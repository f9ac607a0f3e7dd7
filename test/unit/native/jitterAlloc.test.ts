/**
 * House rule "no allocation per packet / per frame" for the native jitter buffer (native/src/jitter/):
 * native/test/jitter_alloc_check.cc is compiled with the buffer and the codec kernels, interposes
 * malloc/calloc/realloc/memalign (operator new included) and counts every allocation while a trace with
 * every playout path (start, loss, reorder, duplicates, stale packets, DTX with CN, SSRC change,
 * timestamp jump, store overflow, time-stretch, Reset) is put and played after Create, for PCMU and
 * Opus (48 kHz and 16 kHz output). Needs g++ and the -dev packages the addon build needs.
 */
import t from 'tap';
import { CODEC_SOURCES, JITTER_SOURCES, compileAndRunAllocCheck } from '../../fixtures/native/allocCheck';

t.test('the native jitter buffer allocates nothing after Create', async (t) => {
  const check = compileAndRunAllocCheck(t, 'jitter_alloc_check', 'whisperd-jalloc-', [...JITTER_SOURCES, ...CODEC_SOURCES]);
  if (check === undefined) return;
  const { run, lines, field } = check;
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
