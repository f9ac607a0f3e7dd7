/**
 * House rule "no allocation per frame" for the frame codec kernels (native/src/codec/): the C++ program
 * native/test/codec_alloc_check.cc is compiled with the kernels and counts every malloc/calloc/realloc/
 * memalign (operator new included) while frames are encoded, decoded, concealed, FEC-recovered,
 * resampled and junk payloads refused, after construction. Needs g++ and the -dev packages the addon
 * build needs (scripts/system-deps.sh run).
 */
import t from 'tap';
import { CODEC_SOURCES, compileAndRunAllocCheck } from '../../fixtures/native/allocCheck';

t.test('codec kernels allocate nothing per frame', async (t) => {
  const check = compileAndRunAllocCheck(t, 'codec_alloc_check', 'whisperd-alloc-', CODEC_SOURCES);
  if (check === undefined) return;
  const { run, lines, field } = check;
  const cases = [
    'PCMU', 'PCMA', 'G729', 'G729-annexb', 'opus-8000-fec-dtx', 'opus-16000-fec-dtx', 'opus-48000-fec-dtx',
    'G722', 'GSM', 'AMR', 'AMR-octet-align', 'AMR-WB', 'AMR-WB-octet-align', 'resampler',
  ];
  for (const name of cases) {
    const line = lines.find((l) => l.startsWith(`${name} `));
    if (line === undefined) {
      t.fail(`${name}: no result (output: ${run.stdout} ${run.stderr})`);
      continue;
    }
    t.equal(field(line, 'allocations'), 0, `${name}: 0 allocations over ${field(line, 'frames')} frames (${line})`);
    t.equal(field(line, 'bad'), 0, `${name}: every good frame accepted`);
    // bcg729 and opencore-amr have no reset of their own: a fresh state is made (SSRC change, not per frame).
    if (!name.startsWith('G729') && !name.startsWith('AMR') && name !== 'resampler') t.equal(field(line, 'reset_allocations'), 0, `${name}: reset allocates nothing`);
  }
  const probe = lines.find((l) => l.startsWith('probe '));
  t.ok(probe !== undefined && field(probe, 'allocations') > 0, `the counter sees an allocation (${probe})`);
  t.equal(run.status, 0, 'the check program exits 0');
});
