import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { wavBytes } from '../../src/prompts/wav';
import { startTestDaemon } from '../fixtures/daemon';
import { tone } from '../fixtures/codec/signal';
import { closeAll, collect, eventuallyHears, fmt, F_CUSTOMER, F_SUPERVISOR, heard, setTones, startAll, supervisedCall } from '../fixtures/supervisedCall';

/**
 * `play media` into one ear: the prompt (an 1801 Hz tone) is heard by the agent only, never by the
 * customer or the supervisor, and is mixed over the agent's other audio (it does not replace it);
 * `duration` = WAV length x repeat-times; `stop media` ends it; bad files get clear errors.
 */
const F_PROMPT = 1801;

t.test('play media: blob and file, one ear only, stop media', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-prompts-'));
  const td = await startTestDaemon({ prompts: { dir } });
  t.teardown(() => td.close()); // also when the call set-up below fails
  const c = await supervisedCall(td, 'pm', 'whisper');
  t.teardown(async () => {
    closeAll(c);
    await td.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  startAll(c, { customer: 0, agent: 0, supervisor: 0 });
  await collect(c, 10);

  // blob: 1 s at 8 kHz, 8 times -> 8000 ms.
  const blob = wavBytes(tone(8000, 8000, F_PROMPT, -12), 8000).toString('latin1');
  const r = await td.ng.request({ command: 'play media', 'call-id': 'pm', 'from-tag': 'agent', blob, 'repeat-times': 8 });
  t.same(r, { result: 'ok', duration: 8000 }, 'duration = 1000 ms x 8');
  await collect(c, 60);
  const cust = heard(c, 'customer', 1000, [F_PROMPT]);
  const sup = heard(c, 'supervisor', 1000, [F_PROMPT]);
  t.ok(cust[F_PROMPT]! < -102, `the customer never hears the prompt (${cust[F_PROMPT]!.toFixed(1)} dBFS)`);
  t.ok(sup[F_PROMPT]! < -102, `the supervisor never hears the prompt (${sup[F_PROMPT]!.toFixed(1)} dBFS)`);
  let agent = await eventuallyHears(c, 'agent', [F_PROMPT]);
  t.ok(agent[F_PROMPT]! > -22, `the agent hears the prompt (${fmt(agent)})`);

  setTones(c, { customer: F_CUSTOMER, supervisor: F_SUPERVISOR });
  await collect(c, 25);
  agent = await eventuallyHears(c, 'agent', [F_PROMPT, F_CUSTOMER, F_SUPERVISOR]);
  t.ok(agent[F_PROMPT]! > -22 && agent[F_CUSTOMER]! > -22 && agent[F_SUPERVISOR]! > -22, `the prompt is mixed over the call: the agent hears prompt, customer and supervisor (${fmt(agent)})`);

  setTones(c, { customer: 0, supervisor: 0 });
  const stop = await td.ng.request({ command: 'stop media', 'call-id': 'pm', 'from-tag': 'agent' });
  t.same(stop, { result: 'ok' }, 'stop media');
  await collect(c, 25);
  await collect(c, 50);
  const after = heard(c, 'agent', 800, [F_PROMPT]);
  t.ok(after[F_PROMPT]! < -102, `after stop media the prompt is gone (${after[F_PROMPT]!.toFixed(1)} dBFS)`);

  // file: 500 ms at 16 kHz, twice -> 1000 ms.
  const file = path.join(dir, 'p.wav');
  fs.writeFileSync(file, wavBytes(tone(8000, 16000, F_PROMPT, -12), 16000));
  const rf = await td.ng.request({ command: 'play media', 'call-id': 'pm', 'from-tag': 'agent', file, 'repeat-times': 2 });
  t.same(rf, { result: 'ok', duration: 1000 }, 'file: duration = 500 ms x 2');
  await collect(c, 40, ['agent']);
  agent = await eventuallyHears(c, 'agent', [F_PROMPT], -22, 1);
  t.ok(agent[F_PROMPT]! > -22, `the agent hears the file prompt (${fmt(agent)})`);

  const missing = await td.ng.request({ command: 'play media', 'call-id': 'pm', 'from-tag': 'agent', file: path.join(dir, 'nope.wav') });
  t.same(missing, { result: 'error', 'error-reason': 'Prompt file not available' }, 'missing file (the one text for every refused path: prompt-files.test.ts)');
  const junk = path.join(dir, 'junk.wav');
  fs.writeFileSync(junk, 'this is not a wav file at all');
  const bad = await td.ng.request({ command: 'play media', 'call-id': 'pm', 'from-tag': 'agent', file: junk });
  t.same(bad, { result: 'error', 'error-reason': 'Unsupported audio file: not a WAV file' }, 'not a WAV');
  const none = await td.ng.request({ command: 'play media', 'call-id': 'pm', 'from-tag': 'agent' });
  t.same(none, { result: 'error', 'error-reason': 'No media file specified' }, 'no file or blob');
});
