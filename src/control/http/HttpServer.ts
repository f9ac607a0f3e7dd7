/**
 * The HTTP server: /metrics (Prometheus text), /healthz, and the JSON API routes registered by other
 * modules. Security by default: binds to loopback unless configured; off loopback a bearer token is
 * required (start-up refuses without one) and every route but /healthz checks it.
 * Errors thrown by routes are mapped to HTTP statuses in one place (errors.ts httpStatusOf).
 *
 * Cross-site requests (a browser page on any site talking to a loopback daemon that has no token):
 *   - a request carrying a body must say `Content-Type: application/json` (415 otherwise), so a page
 *     cannot send one without a CORS preflight, which this server never grants;
 *   - a request with an `Origin` header is refused (403 "Cross-origin request refused") unless the
 *     origin is this server itself (`http://<Host>`) or listed in http.allowedOrigins;
 *   - on a loopback listen address the `Host` header must name a loopback address, `localhost`, the
 *     listen address or an http.allowedHosts entry (421 "Host not allowed"): DNS rebinding.
 * Off loopback the bearer token (mandatory there) is what keeps browsers out.
 */
import http from 'node:http';
import { ConfigError, httpStatusOf, WhisperError } from '../../errors';
import { infoRateLimited, type Logger } from '../../log';

export interface HttpRequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  req: http.IncomingMessage;
  res: http.ServerResponse;
}

/** A route's answer with an explicit status (e.g. 200 to a POST, 204 with no body). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

/**
 * A route returns a JSON-able value (200, or 201 to a POST), a Reply (explicit status), or
 * `undefined` if it wrote the response itself (SSE, text).
 */
export type RouteHandler = (ctx: HttpRequestContext) => Promise<unknown> | unknown;

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
  auth: boolean;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** True if the request carries a body (a non-zero Content-Length, or chunked). */
function hasBody(req: http.IncomingMessage): boolean {
  const len = req.headers['content-length'];
  if (len !== undefined) return len.trim() !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';
}

export interface HttpEdgeOptions {
  /** Origins (e.g. "https://console.example.com") allowed besides the server's own. */
  allowedOrigins?: readonly string[];
  /** Host names accepted on a loopback listen address besides loopback names and `localhost`. */
  allowedHosts?: readonly string[];
}

/** An IPv4 loopback literal (127.0.0.0/8): any of them names this host. */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The host name of a Host header value, lower-case, without port ("[::1]:80" -> "[::1]"). */
function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    return end < 0 ? v : v.slice(0, end + 1);
  }
  const colon = v.indexOf(':');
  return colon < 0 ? v : v.slice(0, colon);
}

export class HttpServer {
  private readonly server: http.Server;
  private readonly routes: Route[] = [];
  private boundPort = 0;
  private readonly allowedOrigins: Set<string>;
  /** Host names accepted (lower-case, no port) when listening on loopback; null = no Host check. */
  private readonly allowedHosts: Set<string> | null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly token: string,
    private readonly log: Logger,
    edge: HttpEdgeOptions = {},
  ) {
    this.allowedOrigins = new Set((edge.allowedOrigins ?? []).map((o) => o.toLowerCase().replace(/\/+$/, '')));
    // A loopback listen address is itself 'localhost', '[::1]' or a 127.x literal (LOOPBACK_V4).
    this.allowedHosts = isLoopback(host) ? new Set(['localhost', '[::1]', ...(edge.allowedHosts ?? []).map(hostName)]) : null;
    if (!isLoopback(host) && token === '') {
      throw new ConfigError(`http.token: a token is required when http.listen (${host}) is not a loopback address`);
    }
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.log.error({ err }, 'http handler failed');
        if (!res.headersSent) this.sendJson(res, 500, { error: 'Internal error' });
        else res.end();
      });
    });
  }

  get boundPortNumber(): number {
    return this.boundPort;
  }

  /** Register a route. Path parameters are written `:name`. `auth: false` only for health checks. */
  route(method: string, path: string, handler: RouteHandler, auth = true): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/\//g, '\\/').replace(/:([a-zA-Z]+)/g, (_m, k: string) => {
        keys.push(k);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, path, pattern, keys, handler, auth });
  }

  /** The registered routes, in registration order (the OpenAPI document is checked against it). */
  routeTable(): Array<{ method: string; path: string; auth: boolean }> {
    return this.routes.map((r) => ({ method: r.method, path: r.path, auth: r.auth }));
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host.replace(/^\[(.*)\]$/, '$1'), () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : this.port;
        this.log.info({ host: this.host, port: this.boundPort }, 'http listening');
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }

  private authorised(req: http.IncomingMessage): boolean {
    if (this.token === '') return true;
    const h = req.headers.authorization ?? '';
    return h === `Bearer ${this.token}`;
  }

  sendJson(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new WhisperError('ERR_BAD_REQUEST', 'Request body too large');
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return undefined;
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw new WhisperError('ERR_BAD_REQUEST', 'Request body is not valid JSON');
    }
  }

  /** The refusal for a request from a foreign site, or null. */
  private crossSite(req: http.IncomingMessage): { status: number; error: string } | null {
    const host = req.headers.host;
    if (this.allowedHosts !== null && host !== undefined) {
      const name = hostName(host);
      if (!this.allowedHosts.has(name) && !LOOPBACK_V4.test(name)) return { status: 421, error: 'Host not allowed' };
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const o = origin.trim().toLowerCase();
      const same = host !== undefined && o === `http://${host.trim().toLowerCase()}`;
      if (!same && !this.allowedOrigins.has(o)) return { status: 403, error: 'Cross-origin request refused' };
    }
    return null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const refused = this.crossSite(req);
    if (refused) {
      const fields = { host: req.headers.host, origin: req.headers.origin, url: req.url?.slice(0, 256) };
      infoRateLimited(this.log, 'http:cross-site', fields, 'cross-site request refused');
      this.sendJson(res, refused.status, { error: refused.error });
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      this.sendJson(res, 400, { error: 'Malformed path' }); // e.g. an absolute-form target `http://[`
      return;
    }
    const method = req.method ?? 'GET';
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      if (route.auth && !this.authorised(req)) {
        res.setHeader('www-authenticate', 'Bearer');
        this.sendJson(res, 401, { error: 'Unauthorized' });
        return;
      }
      const params: Record<string, string> = {};
      try {
        route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
      } catch {
        // URIError: a truncated or invalid %-escape (or one that is not UTF-8) — the client's fault.
        this.sendJson(res, 400, { error: 'Malformed path' });
        return;
      }
      if (hasBody(req) && !isJson(req.headers['content-type'])) {
        this.sendJson(res, 415, { error: 'Content-Type must be application/json' });
        return;
      }
      try {
        const body = method === 'GET' || method === 'DELETE' ? undefined : await this.readBody(req);
        const out = await route.handler({ method, path: url.pathname, params, query: url.searchParams, body, req, res });
        if (res.headersSent) return;
        if (out instanceof Reply) {
          if (out.body === undefined) {
            res.writeHead(out.status);
            res.end();
          } else this.sendJson(res, out.status, out.body);
        } else if (out !== undefined) this.sendJson(res, method === 'POST' ? 201 : 200, out);
      } catch (err) {
        const status = httpStatusOf(err);
        if (status >= 500) this.log.error({ err, path: url.pathname }, 'http route failed');
        this.sendJson(res, status, { error: err instanceof WhisperError ? err.message : 'Internal error' });
      }
      return;
    }
    this.sendJson(res, pathMatched ? 405 : 404, { error: pathMatched ? 'Method not allowed' : 'Not found' });
  }
}
