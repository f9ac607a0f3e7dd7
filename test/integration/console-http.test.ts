/**
 * The supervisor console's HTTP side, without a browser (the page in a real Chromium is
 * test/e2e/chromium-console.test.ts): over real TCP against an in-process daemon,
 *   - the page and its two files are served from fixed paths with Content-Security-Policy `default-src 'self'`
 *     (no inline script, no framing, no referrer), and the page loads nothing but those same-origin files;
 *   - the files hold no data and are served without the token; everything the page asks the API for needs the
 *     bearer token off loopback (the daemon on 0.0.0.0, reached over 127.0.0.1), and the token never reaches the log;
 *   - hostile call ids and tags (HTML, quotes, '/', '%') come back from the API intact, as JSON strings, and
 *     the page's way of building API paths (encodeURIComponent per segment) reaches exactly that call;
 *     the script renders them as text only (no HTML sinks).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import vm from 'node:vm';
import pino from 'pino';
import t from 'tap';
import { consoleDir } from '../../src/control/http/console/assets';
import { validateConfig } from '../../src/config/load';
import { Daemon } from '../../src/Daemon';
import { phoneSdp, randomPortRange, startTestDaemon, NgClient, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request over node:http with exactly these headers (a browser-like GET when none are given). */
function request(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { host: `127.0.0.1:${port}`, ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers: h, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const FILES = [
  { url: '/console', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/console/console.js', file: 'console.js', type: 'text/javascript; charset=utf-8' },
  { url: '/console/console.css', file: 'console.css', type: 'text/css; charset=utf-8' },
];

t.test('the console page and its files are served with CSP default-src self, nosniff, no framing, no referrer', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  for (const f of FILES) {
    const r = await request(td.httpPort, 'GET', f.url);
    t.equal(r.status, 200, `${f.url}: 200`);
    t.equal(r.headers['content-type'], f.type, `${f.url}: content type`);
    t.equal(r.text, fs.readFileSync(path.join(consoleDir()!, f.file), 'utf8'), `${f.url}: the file ${f.file} as is`);
    const csp = String(r.headers['content-security-policy']);
    t.match(csp, /(^|; )default-src 'self'(;|$)/, `${f.url}: default-src 'self'`);
    t.notMatch(csp, /unsafe-inline|unsafe-eval|\*/, `${f.url}: no unsafe-inline / unsafe-eval / wildcard`);
    t.match(csp, /frame-ancestors 'none'/, `${f.url}: not framable`);
    t.equal(r.headers['x-content-type-options'], 'nosniff');
    t.equal(r.headers['x-frame-options'], 'DENY');
    t.equal(r.headers['referrer-policy'], 'no-referrer');
  }
  // Only those fixed paths: nothing under /console is looked up from the request.
  for (const p of ['/console/', '/console/index.html', '/console/../package.json', '/console/%2e%2e%2fpackage.json', '/console/assets.ts', '/console/console.js/x']) {
    t.equal((await request(td.httpPort, 'GET', p)).status, 404, `${p}: 404`);
  }
  t.equal((await request(td.httpPort, 'POST', '/console', { 'content-type': 'application/json' }, '{}')).status, 405, 'POST /console: 405');
});

t.test('the console files are found from any build directory inside the package, from the working directory, or not at all', async (t) => {
  const repoConsole = path.resolve(__dirname, '..', '..', 'src', 'control', 'http', 'console');
  const repo = path.resolve(__dirname, '..', '..');
  t.equal(consoleDir(), repoConsole, 'run from src/: its own directory');
  t.equal(consoleDir(path.join(repo, 'dist', 'src', 'control', 'http', 'console')), repoConsole, 'dist/ (make build)');
  // bench/mix.js builds into bench/results/tmp/wd: nine directories below the package root.
  t.equal(consoleDir(path.join(repo, 'bench', 'results', 'tmp', 'wd', 'src', 'control', 'http', 'console')), repoConsole, 'a deep --outDir build');
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-console-'));
  t.teardown(() => fs.rmSync(outside, { recursive: true, force: true }));
  const cwd = process.cwd();
  t.teardown(() => process.chdir(cwd));
  process.chdir(repo);
  t.equal(consoleDir(outside), repoConsole, 'a build outside the package, started in the package: the working directory');
  process.chdir(outside);
  t.equal(consoleDir(outside), null, 'nowhere: null (the daemon starts; /console answers 404 "Console not installed")');
});

t.test('the page loads only same-origin files: no inline script or style, no event-handler attributes, no foreign URL', async (t) => {
  const html = fs.readFileSync(path.join(consoleDir()!, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  t.same(
    scripts.map((m) => [/\bsrc="([^"]+)"/.exec(m[1]!)?.[1], m[2]!.trim()]),
    [['/console/console.js', '']],
    'one script element, external, same origin, empty body',
  );
  t.notMatch(html, /<style\b/i, 'no <style> element');
  t.notMatch(html, /\sstyle\s*=/i, 'no style attribute');
  t.notMatch(html, /\son[a-z]+\s*=/i, 'no on* event-handler attribute');
  t.notMatch(html, /(?:src|href|action)\s*=\s*"(?!\/console\/)[^"]*"/i, 'every src/href/action is under /console/');
  t.notMatch(html, /https?:\/\//i, 'no absolute URL (no CDN)');
  const css = fs.readFileSync(path.join(consoleDir()!, 'console.css'), 'utf8');
  t.notMatch(css, /url\(|@import/i, 'the style sheet loads nothing');
});

t.test('the script renders API data as text only and builds API paths with encodeURIComponent', async (t) => {
  const js = fs.readFileSync(path.join(consoleDir()!, 'console.js'), 'utf8');
  for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'createContextualFragment', 'setAttribute(\'on', 'srcdoc', 'DOMParser']) {
    t.notOk(js.includes(sink), `no ${sink}`);
  }
  t.notMatch(js, /console\.(log|info|debug|warn|error)\(/, 'logs nothing (the token never reaches the browser console)');
  // Every API path is '/v1/...' + seg(x) pieces: each dynamic segment goes through encodeURIComponent.
  const uses = js.split("'/v1/calls/'").length - 1;
  const paths = [...js.matchAll(/'\/v1\/calls\/'((?: \+ (?:seg\([\w.]+\)|'\/[a-z/]+'))+)\s*([^\s])/g)];
  t.ok(uses >= 6, `${uses} call paths in the script`);
  t.equal(paths.length, uses, 'each is a chain of seg(...) and literal pieces');
  for (const m of paths) t.not(m[2], '+', `'/v1/calls/'${m[1]} ends there (nothing unencoded follows)`);
});

t.test("call ids and tags '.' and '..' cannot be addressed in a URL path: the page's seg() refuses them instead of reaching another route", async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const close = await call(td, '..', 'cust', '.');
  t.teardown(close);
  // What any client's URL parser does (WHATWG, as the browser's fetch): the dot segment collapses, escaped or not.
  for (const p of [`/v1/calls/${encodeURIComponent('..')}`, '/v1/calls/%2e%2e', '/v1/calls/%2E%2E']) {
    const r = await fetch(`http://127.0.0.1:${td.httpPort}${p}`);
    t.equal(new URL(r.url).pathname, '/v1/', `${p} is sent as /v1/`);
    t.equal(r.status, 404, `${p} does not reach call '..'`);
    await r.body?.cancel();
  }
  // The page's seg(), taken from console.js and run as is.
  const js = fs.readFileSync(path.join(consoleDir()!, 'console.js'), 'utf8');
  const src = /const seg = (\(value\) => \{[\s\S]*?\n {2}\});\n/.exec(js);
  t.ok(src, 'seg() found in console.js');
  if (!src) return;
  const seg = vm.runInNewContext(`(${src[1]})`) as (v: unknown) => string;
  for (const dot of ['.', '..']) t.throws(() => seg(dot), { message: `'${dot}' cannot be used in an API path (a dot segment): use the ng protocol for this call` }, `seg('${dot}') refuses`);
  t.equal(seg('...'), '...', "'...' is an ordinary segment");
  t.equal(seg('a/b?c#d%'), 'a%2Fb%3Fc%23d%25', 'everything else is encodeURIComponent');
});

/** A real customer -> agent call (ng offer/answer) with this call id and tags. */
async function call(td: TestDaemon, callId: string, custTag: string, agentTag: string): Promise<() => void> {
  const customer = await Phone.open();
  const agent = await Phone.open();
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': custTag, sdp: phoneSdp(customer.port, { codecs: ['0'] }) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': custTag, 'to-tag': agentTag, sdp: phoneSdp(agent.port, { codecs: ['0'] }) });
  if (offer.result !== 'ok' || answer.result !== 'ok') throw new Error(`call set-up failed: ${JSON.stringify({ offer, answer })}`);
  return () => {
    customer.close();
    agent.close();
  };
}

t.test('hostile call ids and tags come back intact as JSON strings and reach their call through encodeURIComponent paths', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const hostileId = `<img src=x onerror="alert(1)">/..%2F?#&'"</td><script>x</script>`;
  const hostileTag = `<b onmouseover=alert(2)>agent</b>`;
  const close = await call(td, hostileId, `"cust'&<`, hostileTag);
  t.teardown(close);
  const list = await request(td.httpPort, 'GET', '/v1/calls');
  t.equal(list.status, 200);
  t.equal(list.headers['content-type'], 'application/json', 'JSON, never HTML');
  t.same(JSON.parse(list.text).calls.map((c: { callId: string }) => c.callId), [hostileId], 'the call id, byte for byte');
  // The page's path: '/v1/calls/' + encodeURIComponent(callId)
  const detail = await request(td.httpPort, 'GET', `/v1/calls/${encodeURIComponent(hostileId)}`);
  t.equal(detail.status, 200, 'the encoded path reaches the call');
  const d = JSON.parse(detail.text);
  t.equal(d.callId, hostileId);
  t.same(d.participants.map((p: { tag: string }) => p.tag), [`"cust'&<`, hostileTag], 'tags intact');
  const gains = await request(
    td.httpPort, 'PUT', `/v1/calls/${encodeURIComponent(hostileId)}/participants/${encodeURIComponent(hostileTag)}/gains`,
    { 'content-type': 'application/json' }, JSON.stringify({ source: `"cust'&<`, gainDb: -6 }),
  );
  t.equal(gains.status, 200, 'a hostile tag as a path segment and as a JSON value');
  t.same(JSON.parse(gains.text), { tag: hostileTag, source: `"cust'&<`, gainDb: -6 });
});

/** A daemon whose log (at trace level) is kept in `lines`. */
async function daemonWithLog(http: Record<string, unknown>): Promise<{ td: TestDaemon; lines: string[] }> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const config = validateConfig({
    ng: { listen: '127.0.0.1:0' },
    http,
    media: { address: '127.0.0.1', ...randomPortRange(), ...(process.env.WHISPERD_MEDIA_ENGINE ? { engine: process.env.WHISPERD_MEDIA_ENGINE } : {}) },
    timeouts: { deleteDelay: 0 },
    audit: { file: '' },
  });
  const daemon = await Daemon.start(config, pino({ level: 'trace' }, sink));
  const ng = await NgClient.open(daemon.ng.port);
  const td: TestDaemon = {
    daemon, ngPort: daemon.ng.port, httpPort: daemon.http.boundPortNumber, ng,
    async close() {
      ng.close();
      await daemon.close();
    },
  };
  return { td, lines };
}

t.test('off loopback: the page is served without the token, every API call it makes needs it, the token is never logged', async (t) => {
  const token = 'console-secret-7f3a9c';
  // Listening on every address (off loopback: a token is mandatory), reached over 127.0.0.1 only.
  const { td, lines } = await daemonWithLog({ listen: '0.0.0.0:0', token });
  t.teardown(() => td.close());
  const close = await call(td, 'c1', 'cust', 'agent');
  t.teardown(close);
  const port = td.httpPort;
  t.equal((await request(port, 'GET', '/console')).status, 200, 'the page: no token needed (it holds no data)');
  t.equal((await request(port, 'GET', '/console/console.js')).status, 200, 'its script: no token needed');
  const origin = `http://127.0.0.1:${port}`;
  const json = { 'content-type': 'application/json', origin };
  const calls: Array<[string, string, string?]> = [
    ['GET', '/v1/calls'],
    ['GET', '/v1/calls/c1'],
    ['GET', '/v1/events'],
    ['POST', '/v1/calls/c1/supervisors', JSON.stringify({ tag: 'sup', sdp: phoneSdp(9, { codecs: ['0'] }), mode: 'listen', agentTag: 'agent' })],
    ['PATCH', '/v1/calls/c1/supervisors/sup', JSON.stringify({ mode: 'whisper' })],
    ['PUT', '/v1/calls/c1/participants/sup/gains', JSON.stringify({ source: 'cust', gainDb: -6 })],
    ['POST', '/v1/calls/c1/supervisors/sup/mute', JSON.stringify({ muted: 'toggle' })],
    ['DELETE', '/v1/calls/c1/supervisors/sup'],
  ];
  for (const [method, p, body] of calls) {
    for (const auth of [undefined, 'Bearer wrong', `Bearer ${token}x`, token, `bearer ${token}`]) {
      const headers: Record<string, string> = { ...(body !== undefined ? json : { origin }) };
      if (auth !== undefined) headers.authorization = auth;
      const r = await request(port, method, p, headers, body);
      t.equal(r.status, 401, `${method} ${p} with ${auth === undefined ? 'no token' : 'a wrong authorization'}: 401`);
      t.same(JSON.parse(r.text), { error: 'Unauthorized' });
    }
  }
  const ok = await request(port, 'GET', '/v1/calls', { authorization: `Bearer ${token}`, origin });
  t.equal(ok.status, 200, 'with the token: the calls');
  t.equal(JSON.parse(ok.text).calls[0].callId, 'c1');
  const sup = await Phone.open();
  t.teardown(() => sup.close());
  const created = await request(
    port, 'POST', '/v1/calls/c1/supervisors', { ...json, authorization: `Bearer ${token}` },
    JSON.stringify({ tag: 'sup', sdp: phoneSdp(sup.port, { codecs: ['0'] }), mode: 'listen', agentTag: 'agent' }),
  );
  t.equal(created.status, 201, 'with the token: the supervisor joins');
  const foreign = await request(port, 'DELETE', '/v1/calls/c1/supervisors/sup', { authorization: `Bearer ${token}`, origin: 'http://evil.example' });
  t.equal(foreign.status, 403, 'a foreign origin is refused even with the token');
  t.equal((await request(port, 'DELETE', '/v1/calls/c1/supervisors/sup', { authorization: `Bearer ${token}`, origin })).status, 204);
  t.ok(lines.length > 0, `the daemon logged ${lines.length} lines at trace level`);
  t.notOk(lines.some((l) => l.includes(token)), 'no log line holds the token');
});
