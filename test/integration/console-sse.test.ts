/**
 * The console's live bleed level and failsafe notice come from GET /v1/events (Server-Sent Events): read here
 * the way the page reads it (fetch with the bearer token, `data:` lines parsed as JSON), during a real acoustic
 * leak (test/fixtures/bleed: G.711 phones over UDP, recorded speech, the agent's phone leaking what it plays
 * back at -20 dB / 100 ms): the stream carries `bleed` events with the measured level for the supervisor's tag,
 * then the `failsafe` (action listen, level) and the `mode` change to listen the page shows.
 */
import t from 'tap';
import { bleedCall } from '../fixtures/bleed/bleedCall';
import { startTestDaemon } from '../fixtures/daemon';
import { loadSpeechPools, speechAvailable } from '../fixtures/dsp/speech';

const TOKEN = 'sse-token';

/** The page's reader: fetch + stream, blocks split on a blank line, `data:` lines joined and parsed. */
async function readEvents(url: string, signal: AbortSignal, onEvent: (e: Record<string, unknown>) => void): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` }, signal });
  if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('');
        if (data !== '') onEvent(JSON.parse(data) as Record<string, unknown>);
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

if (!speechAvailable()) {
  t.fail('real speech missing: install the Debian package pocketsphinx-testdata (make test installs it)');
} else {
  const speech = loadSpeechPools(8000);
  t.test('SSE with the token: bleed level events, then the failsafe and the mode change to listen, for the supervisor', async (t) => {
    const td = await startTestDaemon({ http: { token: TOKEN } });
    t.teardown(() => td.close());
    const unauth = await fetch(`http://127.0.0.1:${td.httpPort}/v1/events`);
    t.equal(unauth.status, 401, 'no token, no events');
    await unauth.body?.cancel();
    const c = await bleedCall(td, 'leak-sse');
    const ctrl = new AbortController();
    t.teardown(async () => {
      ctrl.abort();
      c.close();
      await td.close();
    });
    const events: Array<Record<string, unknown>> = [];
    const reading = readEvents(`http://127.0.0.1:${td.httpPort}/v1/events?callId=leak-sse`, ctrl.signal, (e) => events.push(e));
    reading.catch(() => undefined);
    while (td.daemon.events.subscribers < 2) await new Promise((r) => setTimeout(r, 20)); // the fixture's + ours
    c.supervisor.signal = { pcm: speech.supervisor };
    c.agent.signal = { pcm: speech.agent, gainDb: -10 };
    c.agent.leak = { gainDb: -20, delayMs: 100 };
    c.start();
    const deadline = Date.now() + 15_000;
    while (!events.some((e) => e.type === 'mode' && e.mode === 'listen') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    ctrl.abort();
    const types = events.map((e) => e.type);
    const bleed = events.find((e) => e.type === 'bleed');
    const fs = events.find((e) => e.type === 'failsafe');
    t.ok(bleed, `a bleed event (events: ${types.join(', ')})`);
    t.ok(fs, 'a failsafe event');
    if (!bleed || !fs) return;
    t.match(bleed, { callId: 'leak-sse', supervisorTag: 'sup', agentTag: 'agent', levelDb: Number, delayMs: Number, confidence: Number });
    t.ok(Math.abs((bleed.levelDb as number) + 20) <= 6, `bleed level ${String(bleed.levelDb)} dB (leak -20 dB)`);
    t.match(fs, { callId: 'leak-sse', supervisorTag: 'sup', action: 'listen', kind: 'acoustic', levelDb: Number, delayMs: Number });
    t.ok(types.indexOf('bleed') < types.indexOf('failsafe'), 'the level came before the failsafe');
    const mode = events.find((e) => e.type === 'mode');
    t.match(mode, { supervisorTag: 'sup', oldMode: 'whisper', mode: 'listen' }, 'then the mode change to listen');
    t.ok(types.lastIndexOf('failsafe') < types.indexOf('mode'), 'after the failsafe');
  });
}
