/**
 * The supervisor console in a real browser (issue #12, "Real peers in tests": Chromium headless running the
 * console page): Debian's `chromium`, headless, driven over the DevTools protocol on a pipe
 * (test/fixtures/chromium.ts), its fake microphone playing a 1433 Hz tone from a WAV file, against an
 * in-process whisperd with an API token, everything on 127.0.0.1.
 *
 *   - the page loads with its Content-Security-Policy and raises no CSP violation, takes the token from the
 *     URL fragment (and removes it from the address), and shows hostile call ids as text (no element made);
 *   - joining through the page's own controls (Open, agent, mode, Join): the browser's WebRTC offer goes to
 *     POST /v1/calls/:id/supervisors, whisperd answers as an ICE-lite DTLS-SRTP endpoint; in whisper mode the
 *     agent (a UDP phone, PCMU) hears the browser's tone, the customer does not (>= 40 dB below), and the
 *     browser hears the call (customer 617 Hz and agent 1019 Hz, recorded in the page through WebAudio);
 *     the page's Listen button takes the tone away from the agent, Leave removes the supervisor.
 *
 * It never skips: without Chromium it fails and names the package (scripts/system-deps.sh test installs it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Chromium, recordStreamJs, toneWav, type ChromiumPage } from '../fixtures/chromium';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { goertzelDb, levels } from '../fixtures/media';
import { Phone, waitFor } from '../fixtures/phone';
import { closeAll, F_AGENT, F_CUSTOMER, peakLevel, SSRC, twoPartyCall } from '../fixtures/supervisedCall';

const TOKEN = 'console-e2e-token';
const F_BROWSER = 1433;

interface Call {
  customer: Phone;
  agent: Phone;
  close(): void;
}

/** A customer -> agent PCMU call over ng (supervisedCall.ts twoPartyCall), each phone streaming its tone to whisperd. */
async function toneCall(td: TestDaemon, callId: string): Promise<Call> {
  const c = await twoPartyCall(td, callId);
  const { customer, agent } = c.peers;
  customer.start(c.to.customer!, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: SSRC.customer });
  agent.start(c.to.agent!, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: SSRC.agent });
  return { customer, agent, close: () => closeAll(c) };
}

async function openConsole(t: { teardown(fn: () => Promise<void> | void): void }, td: TestDaemon, wav?: string): Promise<{ browser: Chromium; page: ChromiumPage }> {
  const browser = await Chromium.launch(t, wav ? { audioFile: wav } : {});
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${td.httpPort}/console#token=${TOKEN}`);
  return { browser, page };
}

const cspViolations = (page: ChromiumPage): string[] => page.logs.filter((l) => /Content Security Policy|Refused to/i.test(l.text)).map((l) => l.text);

t.test('chromium: the page loads under its CSP with no violation, takes the token from the fragment and shows hostile call ids as text', async (t) => {
  const td = await startTestDaemon({ http: { token: TOKEN } });
  t.teardown(() => td.close());
  const hostile = `<img src=x onerror="window.pwned=1">"'&</td><script>window.pwned=2</script>`;
  const call = await toneCall(td, hostile);
  t.teardown(call.close);
  const { page } = await openConsole(t, td);
  const cell = await page.waitFor<string>("document.querySelector('#calls tbody td.id')?.textContent", 'a call row');
  t.equal(cell, hostile, 'the call id is shown as text, byte for byte');
  t.equal(await page.evaluate("location.hash"), '', 'the token left the address bar');
  t.equal(await page.evaluate("sessionStorage.getItem('whisperd.console.token')"), TOKEN, 'kept for this tab only');
  t.same(
    await page.evaluate("[...document.querySelectorAll('#calls tbody *')].map((e) => e.tagName).filter((n) => !['TR', 'TD', 'BUTTON'].includes(n))"),
    [],
    'no element made from the call id',
  );
  t.equal(await page.evaluate('window.pwned ?? null'), null, 'nothing ran');
  // Open the call: its hostile tags are listed as text too.
  await page.evaluate("document.querySelector('#calls tbody button').click()");
  const tags = await page.waitFor<string[]>("!document.getElementById('call-section').hidden && [...document.querySelectorAll('#participants tbody td.id')].map((e) => e.textContent)", 'the call details');
  t.same(tags, ['cust', 'agent']);
  t.equal(await page.evaluate("document.getElementById('call-id').textContent"), hostile);
  t.same(cspViolations(page), [], 'no Content-Security-Policy violation');
  t.same(page.logs.filter((l) => l.kind === 'exception'), [], 'no uncaught exception');
});

t.test('chromium: a wrong token shows Unauthorized and lists nothing', async (t) => {
  const td = await startTestDaemon({ http: { token: TOKEN } });
  t.teardown(() => td.close());
  const call = await toneCall(td, 'c-wrong-token');
  t.teardown(call.close);
  const browser = await Chromium.launch(t);
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${td.httpPort}/console#token=not-the-token`);
  const status = await page.waitFor<string>("document.getElementById('status').textContent", 'a status line');
  t.match(status, /Unauthorized/);
  t.equal(await page.evaluate("document.querySelectorAll('#calls tbody tr').length"), 0, 'no call listed');
});

t.test('chromium WebRTC whisper from the console: the agent hears the browser, the customer never does, the browser hears the call', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-console-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const wav = path.join(dir, 'mic.wav');
  toneWav(wav, F_BROWSER, { seconds: 10, dbfs: -12 });
  const td = await startTestDaemon({ http: { token: TOKEN } });
  t.teardown(() => td.close());
  const call = await toneCall(td, 'webrtc-1');
  t.teardown(call.close);
  const { page } = await openConsole(t, td, wav);

  // The page's own controls: Open the call, pick the agent and whisper, Join.
  await page.waitFor("document.querySelector('#calls tbody button')", 'the call listed');
  await page.evaluate("document.querySelector('#calls tbody button').click()");
  await page.waitFor("!document.getElementById('call-section').hidden && document.getElementById('agent').options.length === 2", 'the call details');
  await page.evaluate("document.getElementById('agent').value = 'agent'; document.getElementById('join-mode').value = 'whisper'; document.getElementById('join-form').requestSubmit()");
  const joined = await page.waitFor<string>(
    "(!document.getElementById('session-section').hidden && 'joined') || (/failed/i.test(document.getElementById('status').textContent) && document.getElementById('status').textContent)",
    'the join to finish',
    30_000,
  );
  t.equal(joined, 'joined', 'joined (status line otherwise)');
  const tag = await page.evaluate<string>("document.getElementById('session-tag').textContent");
  const c = td.daemon.registry.get('webrtc-1')!;
  const session = td.daemon.supervision.session(c, tag);
  t.equal(session?.mode, 'whisper', 'whisperd has the browser as a whisper supervisor');
  await page.waitFor("document.getElementById('connection').textContent === '(connected)'", 'the peer connection to connect (ICE + DTLS)', 20_000);

  // The agent hears the browser's tone (PCMU, decoded here).
  const agentHears = (): number => {
    const { pcm, rate } = call.agent.decode(0);
    return pcm.length >= rate ? peakLevel(pcm.subarray(pcm.length - rate), rate, F_BROWSER) : -Infinity;
  };
  call.agent.clear();
  await waitFor(() => agentHears() > -35, 'the agent to hear the browser', 20_000);
  call.agent.clear();
  call.customer.clear();
  await call.agent.waitPackets(100, 0);
  await call.customer.waitPackets(100, 0);
  const a = call.agent.decode(0);
  const cu = call.customer.decode(0);
  const agentLevel = peakLevel(a.pcm, a.rate, F_BROWSER);
  const customerLevel = levels(cu.pcm, cu.rate, [F_BROWSER], 1800)[F_BROWSER]!;
  t.ok(agentLevel > -35, `the agent hears the browser's ${F_BROWSER} Hz at ${agentLevel.toFixed(1)} dBFS`);
  t.ok(customerLevel <= agentLevel - 40, `the customer does not: ${customerLevel.toFixed(1)} dBFS, ${(agentLevel - customerLevel).toFixed(1)} dB below`);
  t.ok(peakLevel(cu.pcm, cu.rate, F_AGENT) > -35, 'the customer still hears the agent');

  // The browser hears the call: 2 s of the remote stream recorded in the page.
  const rec = await page.evaluate<{ rate: number; samples: number[] }>(recordStreamJs("document.getElementById('remote').srcObject", 2));
  const heard = Int16Array.from(rec.samples);
  const lv = (f: number): number => goertzelDb(heard, rec.rate, f, heard.length - rec.rate, rec.rate);
  t.ok(lv(F_CUSTOMER) > -40, `the browser hears the customer (${lv(F_CUSTOMER).toFixed(1)} dBFS at ${F_CUSTOMER} Hz)`);
  t.ok(lv(F_AGENT) > -40, `the browser hears the agent (${lv(F_AGENT).toFixed(1)} dBFS at ${F_AGENT} Hz)`);

  // Listen (the page's button, PATCH): the agent no longer hears the browser.
  await page.evaluate("document.querySelector('#modes button[data-mode=listen]').click()");
  await page.waitFor("document.getElementById('mode').textContent === 'listen'", 'the mode to show listen');
  t.equal(td.daemon.supervision.session(c, tag)?.mode, 'listen', 'whisperd switched to listen');
  call.agent.clear();
  await call.agent.waitPackets(25, 0); // what the agent's stream held from before the switch
  call.agent.clear();
  await call.agent.waitPackets(100, 0);
  const after = call.agent.decode(0);
  const agentAfter = levels(after.pcm, after.rate, [F_BROWSER], 1800)[F_BROWSER]!;
  t.ok(agentAfter <= agentLevel - 40, `in listen the agent hears the browser ${(agentLevel - agentAfter).toFixed(1)} dB less (${agentAfter.toFixed(1)} dBFS)`);

  // Leave (DELETE): the supervisor is gone, the call goes on.
  await page.evaluate("document.getElementById('leave').click()");
  await page.waitFor("document.getElementById('session-section').hidden", 'the session panel to close');
  await waitFor(() => td.daemon.supervision.session(c, tag) === undefined, 'whisperd to remove the supervisor');
  t.notOk(c.closed, 'the call goes on');
  t.same(cspViolations(page), [], 'no Content-Security-Policy violation');
});
