/**
 * The HTTP server's edge against hostile or malformed requests, over real TCP (node:http, so the
 * Host, Origin and Content-Type headers are exactly what a browser or a script would send):
 *   - a malformed %-encoding in a path parameter is a 400, not a 500 (D12);
 *   - cross-site requests (D6): bodies must be application/json (415), a foreign Origin is refused
 *     (403), a Host that is not the listen address / a loopback name is refused (421).
 */
import http from 'node:http';
import net from 'node:net';
import t from 'tap';
import { phoneSdp, startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { Phone } from '../fixtures/phone';

interface RawReply {
  status: number;
  body: unknown;
}

/** One request with exactly these headers (nothing added but Content-Length when there is a body). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: h, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          parsed = text;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function localHost(td: TestDaemon): string {
  return `127.0.0.1:${td.httpPort}`;
}

t.test('D12: a malformed %-encoding in the path is a 400', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const host = localHost(td);
  for (const bad of ['/v1/calls/%E0%A4%A', '/v1/calls/%', '/v1/calls/abc%zz', '/v1/calls/%C0%80']) {
    const r = await raw(td.httpPort, 'GET', bad, { host });
    t.same(r, { status: 400, body: { error: 'Malformed path' } }, `${bad}: 400 Malformed path`);
  }
  const del = await raw(td.httpPort, 'DELETE', '/v1/calls/%E0%A4%A/participants/x/prompts', { host });
  t.same(del, { status: 400, body: { error: 'Malformed path' } }, 'DELETE with a bad escape in a later parameter');
  // An absolute-form request target that is not a URL (node's parser lets it through).
  const sock = net.connect(td.httpPort, '127.0.0.1');
  sock.write(`GET http://[ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  let head = '';
  for await (const chunk of sock) head += (chunk as Buffer).toString('latin1');
  t.match(head, /^HTTP\/1\.1 400 /, 'absolute-form target that is not a URL: 400');
  t.match(head, /\{"error":"Malformed path"\}$/, 'absolute-form target: error text');
  const ok = await raw(td.httpPort, 'GET', '/v1/calls/no%20such%20call', { host });
  t.same(ok, { status: 404, body: { error: 'Unknown call-id' } }, 'a well-formed escape is decoded as before');
});

/** A real two-party call (ng offer/answer, RTP peers) so a supervisor could really be created. */
async function twoParty(td: TestDaemon, callId: string): Promise<() => void> {
  const cust = await Phone.open();
  const agent = await Phone.open();
  const sup = await Phone.open();
  const offer = await td.ng.request({ command: 'offer', 'call-id': callId, 'from-tag': 'cust', sdp: phoneSdp(cust.port, { codecs: ['0'] }) });
  const answer = await td.ng.request({ command: 'answer', 'call-id': callId, 'from-tag': 'cust', 'to-tag': 'agent', sdp: phoneSdp(agent.port, { codecs: ['0'] }) });
  if (offer.result !== 'ok' || answer.result !== 'ok') throw new Error(`call setup failed: ${JSON.stringify({ offer, answer })}`);
  supPort = sup.port;
  return () => {
    cust.close();
    agent.close();
    sup.close();
  };
}
let supPort = 0;

function supervisorJson(tag: string): string {
  return JSON.stringify({ tag, sdp: phoneSdp(supPort, { codecs: ['0'] }), mode: 'listen', agentTag: 'agent' });
}

t.test('D6: cross-site requests are refused (Content-Type, Origin, Host); same-origin and configured ones pass', async (t) => {
  const td = await startTestDaemon({ http: { allowedOrigins: ['https://console.example.com'], allowedHosts: ['whisperd.lan'] } });
  const closePeers = await twoParty(td, 'xs');
  t.teardown(async () => {
    closePeers();
    await td.close();
  });
  const host = localHost(td);
  const path = '/v1/calls/xs/supervisors';
  const supervisors = async (): Promise<unknown> => (await raw(td.httpPort, 'GET', '/v1/calls/xs', { host })).body;
  const tags = async (): Promise<string[]> => ((await supervisors()) as { participants: Array<{ tag: string }> }).participants.map((p) => p.tag).sort();

  // What a page on any site can send without a preflight: text/plain (or form) bodies.
  for (const ct of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const r = await raw(td.httpPort, 'POST', path, { host, 'content-type': ct }, supervisorJson('evil'));
    t.same(r, { status: 415, body: { error: 'Content-Type must be application/json' } }, `${ct} body: 415`);
  }
  const noCt = await raw(td.httpPort, 'POST', path, { host }, supervisorJson('evil'));
  t.same(noCt, { status: 415, body: { error: 'Content-Type must be application/json' } }, 'a body without Content-Type: 415');
  // A foreign Origin, even with a JSON body (a page cannot send one without a preflight, but a plugin or a proxy can).
  for (const origin of ['http://evil.example', 'null', `http://${host}.evil.example`, 'https://console.example.com.evil']) {
    const r = await raw(td.httpPort, 'POST', path, { host, origin, 'content-type': 'application/json' }, supervisorJson('evil'));
    t.same(r, { status: 403, body: { error: 'Cross-origin request refused' } }, `Origin ${origin}: 403`);
  }
  const readBack = await raw(td.httpPort, 'GET', '/v1/calls/xs', { host, origin: 'http://evil.example' });
  t.same(readBack, { status: 403, body: { error: 'Cross-origin request refused' } }, 'GET with a foreign Origin: 403');
  // DNS rebinding: the page's own name resolves to 127.0.0.1, so Host names it.
  for (const h of [`evil.example:${td.httpPort}`, `127.0.0.1.evil.example:${td.httpPort}`, `127.evil.example:${td.httpPort}`, 'evil.example']) {
    const r = await raw(td.httpPort, 'POST', path, { host: h, 'content-type': 'application/json' }, supervisorJson('evil'));
    t.same(r, { status: 421, body: { error: 'Host not allowed' } }, `Host ${h}: 421`);
    const g = await raw(td.httpPort, 'GET', '/v1/calls', { host: h });
    t.same(g.status, 421, `Host ${h}: GET 421 too`);
  }
  t.same(await tags(), ['agent', 'cust'], 'no refused request created a supervisor');

  // Allowed: same origin, a configured origin, loopback names, a configured host, no Origin at all (curl, platforms).
  const ok1 = await raw(td.httpPort, 'POST', path, { host, origin: `http://${host}`, 'content-type': 'application/json; charset=utf-8' }, supervisorJson('s1'));
  t.equal(ok1.status, 201, `same-origin request: ${JSON.stringify(ok1.body)}`);
  const ok2 = await raw(td.httpPort, 'DELETE', `${path}/s1`, { host: `localhost:${td.httpPort}`, origin: 'https://console.example.com' });
  t.equal(ok2.status, 204, `configured origin, Host localhost: ${JSON.stringify(ok2.body)}`);
  const ok3 = await raw(td.httpPort, 'POST', path, { host: `whisperd.lan:${td.httpPort}`, 'content-type': 'application/json' }, supervisorJson('s2'));
  t.equal(ok3.status, 201, `configured host name, no Origin: ${JSON.stringify(ok3.body)}`);
  t.equal((await raw(td.httpPort, 'GET', '/healthz', { host: `127.1.2.3:${td.httpPort}` })).status, 200, 'any 127.x.y.z literal is loopback');
  const emptyPlain = await raw(td.httpPort, 'POST', path, { host, 'content-type': 'text/plain' }, '');
  t.same(emptyPlain, { status: 400, body: { error: 'body: a JSON object is required' } }, 'no body: the Content-Type does not matter');
  t.same(await tags(), ['agent', 'cust', 's2'], 'the allowed requests did their work');
});

t.test('D6: allowedOrigins and allowedHosts are validated at start-up', async (t) => {
  await t.rejects(startTestDaemon({ http: { allowedOrigins: ['console.example.com'] } }), /http\.allowedOrigins/);
  await t.rejects(startTestDaemon({ http: { allowedHosts: ['evil.example:80/x'] } }), /http\.allowedHosts/);
});
