/**
 * House rule "no allocation per packet / per frame" for the native mix (native/src/mix/call_mix.cc):
 * native/test/mix_alloc_check.cc is compiled with the mix, the jitter buffer and the codec kernels,
 * interposes malloc/calloc/realloc/memalign (operator new included) and counts every allocation inside
 * CallMix::OnRtp and CallMix::Tick while a whisper call goes through every path (passthrough forwarded and
 * re-stamped, primary decoded on arrival with duplicates and a burst over the budget, jitter-buffered
 * supervisor with loss/reorder/DTX/SSRC change, hold, ramps, mix -> passthrough, prompts ending, DTMF relay,
 * bleed taps, a stall, no destination), for G.711 at 8 and 16 kHz and Opus at 16 kHz. Needs g++ and the
 * -dev packages the addon build needs. A vector planted in MixOutput's emit gives ~900 allocations.
 */
import t from 'tap';
import path from 'node:path';
import { CODEC_SOURCES, JITTER_SOURCES, REPO_ROOT, compileAndRunAllocCheck } from '../../fixtures/native/allocCheck';

t.test('the native mix allocates nothing in OnRtp and Tick', async (t) => {
  const check = compileAndRunAllocCheck(t, 'mix_alloc_check', 'whisperd-malloc-', [path.join(REPO_ROOT, 'native/src/mix/call_mix.cc'), ...JITTER_SOURCES, ...CODEC_SOURCES]);
  if (check === undefined) return;
  const { run, lines, field } = check;
  for (const name of ['PCMU-8000', 'PCMU-16000', 'opus-16000', 'G722-16000', 'GSM-8000', 'AMRWB-octet-16000']) {
    const line = lines.find((l) => l.startsWith(`${name} `));
    if (line === undefined) {
      t.fail(`${name}: no result (output: ${run.stdout} ${run.stderr})`);
      continue;
    }
    t.equal(field(line, 'allocations'), 0, `${name}: 0 allocations over ${field(line, 'packets')} packets and ${field(line, 'ticks')} ticks (${line})`);
    // The call went through the paths it is meant to cover.
    for (const f of ['forwarded', 'mixed', 'timer', 'drops', 'events']) t.ok(field(line, f) > 0, `${name}: ${f} > 0`);
  }
  // (M) The transcode outputs (repacketising, CN, silence detection, DTMF tones and detection, the
  // sequencer) allocate nothing either.
  const tc = lines.find((l) => l.startsWith('PCMU-8000-transcode '));
  t.ok(tc !== undefined && field(tc, 'allocations') === 0 && field(tc, 'sent') > 0, `PCMU-8000-transcode: 0 allocations (${tc})`);
  const probe = lines.find((l) => l.startsWith('probe '));
  t.ok(probe !== undefined && field(probe, 'allocations') > 0, `the counter sees an allocation (${probe})`);
  t.equal(run.status, 0, 'the check program exits 0');
});
