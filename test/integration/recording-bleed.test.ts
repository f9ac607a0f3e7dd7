/**
 * Recording + bleed (issue 15): the call file holds each party as sent, so an acoustic leak of the
 * whisper into the agent's microphone would reach it — the metadata carries the session's bleed verdict.
 * Real UDP G.711 phones, real speech (pocketsphinx-testdata), the agent's phone leaking what it plays
 * (-20 dB, 100 ms): the failsafe trips; the metadata says 'leak detected' with the failsafe's measurement
 * and the mode change to listen.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { bleedCall, waitForEvent } from '../fixtures/bleed/bleedCall';
import { loadSpeechPools, speechAvailable } from '../fixtures/dsp/speech';

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  const speech = loadSpeechPools(8000);
  t.test('a leak trips the failsafe: the recording metadata says leak detected', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'whisperd-recbleed-'));
    const td = await startTestDaemon({ recording: { dir } });
    t.teardown(async () => {
      await td.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const c = await bleedCall(td, 'recleak1');
    t.teardown(() => c.close());
    t.same(await td.ng.request({ command: 'start recording', 'call-id': 'recleak1' }), { result: 'ok' });
    c.supervisor.signal = { pcm: speech.supervisor };
    c.agent.signal = { pcm: speech.agent, gainDb: -10 };
    c.agent.leak = { gainDb: -20, delayMs: 100 };
    c.start();
    const fs = await waitForEvent(c, 'failsafe', 15000);
    t.ok(fs, 'failsafe event');
    t.same(await td.ng.request({ command: 'delete', 'call-id': 'recleak1', 'from-tag': 'cust' }).then((r) => r.result), 'ok');
    let meta: Record<string, any> | null = null;
    for (let i = 0; i < 200 && !(meta && meta.state === 'closed'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const f = readdirSync(dir).find((n) => n.startsWith('recleak1') && n.endsWith('.json'));
      meta = f ? (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, any>) : null;
    }
    t.equal(meta?.state, 'closed');
    t.equal(meta!.bleedVerdict, 'leak detected');
    const s0 = meta!.supervision[0];
    t.equal(s0.bleedVerdict, 'leak detected');
    t.equal(s0.bleed.failsafe.length, 1, 'the failsafe trip with its measurement');
    t.equal(s0.bleed.failsafe[0].kind, 'acoustic');
    t.ok(s0.bleed.detected);
    t.ok((s0.modes as Array<{ mode: string }>).some((m) => m.mode === 'listen'), `mode changes ${JSON.stringify(s0.modes)}`);
  });
}
