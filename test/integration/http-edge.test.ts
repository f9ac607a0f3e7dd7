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
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';

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
