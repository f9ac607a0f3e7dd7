/**
 * The cluster-wide HTTP API (issue 14), active when cluster.redis is set:
 *
 *   clusterAwareHttp(http, cluster, registry) wraps route registration so that the ordinary API (api/index.ts)
 *   becomes cluster-wide without changing its files:
 *   - GET /v1/calls: this node's calls (each with `owner`: this node) plus every other node's calls from Redis
 *     (`owner`, `ownerAlive`); `partial: true` when Redis could not be read.
 *   - every route with a :callId for a call this node does not hold is forwarded to the owner node's API
 *     (its apiUrl from the heartbeat), with the same method, body and Authorization header; the owner's status
 *     and JSON body are returned as they are. Forwarding is by proxy (one hop, header x-whisperd-forwarded
 *     prevents loops; 502 when the owner does not answer within 5 s). A client that prefers to go to the owner
 *     itself sends `x-whisperd-redirect: 1` and gets a 307 with Location on the owner's API.
 *   - after a state-changing route (POST/PUT/PATCH/DELETE) on a local call, the call's Redis write is waited for
 *     at most cluster.writeTimeoutMs, as for ng.
 *   - GET /v1/audit?callId=X answers from the cluster's ordered per-call trail in Redis (records of every node,
 *     each with `node`), falling back to this node's log when Redis cannot be read.
 *
 *   Own routes: GET /v1/cluster (this node, role, degraded, peers), POST /v1/cluster/takeover {node, force?}.
 */
import { z } from 'zod';
import type { CallRegistry } from '../../../call/CallRegistry';
import type { ClusterNode } from '../../../cluster/ClusterNode';
import { BadRequestError } from '../../../errors';
import { Reply, type HttpRequestContext, type HttpServer, type RouteHandler } from '../HttpServer';
import { parseBody } from './validate';

const FORWARDED = 'x-whisperd-forwarded';
const FORWARD_TIMEOUT_MS = 5000;

const takeoverBody = z.object({ node: z.string({ error: 'expected a node id' }).min(1, 'expected a node id'), force: z.boolean().optional() }).strict();

function localCall(registry: CallRegistry, callId: string): boolean {
  const c = registry.get(callId);
  return c !== undefined && !c.closed;
}

async function forward(ctx: HttpRequestContext, cluster: ClusterNode, owner: string, apiUrl: string): Promise<Reply> {
  const url = apiUrl.replace(/\/$/, '') + ctx.req.url;
  if (ctx.req.headers['x-whisperd-redirect'] === '1') {
    ctx.res.setHeader('location', url);
    return new Reply(307, { owner, location: url });
  }
  const headers: Record<string, string> = { [FORWARDED]: cluster.nodeId };
  if (ctx.req.headers.authorization) headers.authorization = ctx.req.headers.authorization;
  let body: string | undefined;
  if (ctx.body !== undefined) {
    body = JSON.stringify(ctx.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, { method: ctx.method, headers, body, signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
  } catch (err) {
    return new Reply(502, { error: `Owner node ${owner} did not answer: ${err instanceof Error ? err.message : String(err)}` });
  }
  const text = await res.text();
  ctx.res.setHeader('x-whisperd-owner', owner);
  if (text === '') return new Reply(res.status);
  try {
    return new Reply(res.status, JSON.parse(text));
  } catch {
    return new Reply(502, { error: `Owner node ${owner} answered with non-JSON (status ${res.status})` });
  }
}

function wrap(method: string, path: string, handler: RouteHandler, cluster: ClusterNode, registry: CallRegistry): RouteHandler {
  if (method === 'GET' && path === '/v1/calls') {
    return async (ctx) => {
      const local = (await handler(ctx)) as { calls: Array<Record<string, unknown>> };
      const calls = local.calls.map((c) => ({ ...c, owner: cluster.nodeId }));
      const raw = ctx.query.get('limit');
      const limit = raw === null || raw === '' ? Infinity : Number(raw);
      try {
        for (const c of await cluster.remoteCalls()) {
          if (calls.length >= limit) break;
          calls.push(c);
        }
      } catch {
        return { calls, partial: true };
      }
      return { calls };
    };
  }
  if (method === 'GET' && path === '/v1/audit') {
    return async (ctx) => {
      const callId = ctx.query.get('callId');
      if (!callId) return handler(ctx);
      let records: Array<Record<string, unknown>>;
      try {
        records = (await cluster.store.audit(callId)) as Array<Record<string, unknown>>;
      } catch {
        return handler(ctx);
      }
      const local = (await handler(ctx)) as { records: unknown[] };
      if (records.length < local.records.length) return local; // the mirror is behind (Redis was down)
      const event = ctx.query.get('event');
      const since = ctx.query.get('since');
      const limit = ctx.query.get('limit');
      if (event) records = records.filter((r) => r.event === event);
      if (since) records = records.filter((r) => typeof r.time === 'string' && Date.parse(r.time) >= Date.parse(since));
      if (limit !== null && limit !== '') records = records.slice(Math.max(0, records.length - Number(limit)));
      return { records };
    };
  }
  if (!path.includes(':callId')) return handler;
  const mutating = method !== 'GET';
  return async (ctx) => {
    const callId = ctx.params.callId!;
    if (!localCall(registry, callId) && ctx.req.headers[FORWARDED] === undefined) {
      let owner: string | null = null;
      try {
        owner = await cluster.store.owner(callId);
      } catch {
        owner = null; // Redis unreachable: answer from this node (404 for a call it does not hold)
      }
      if (owner !== null && owner !== cluster.nodeId) {
        const peer = cluster.peer(owner);
        if (peer?.apiUrl) return forward(ctx, cluster, owner, peer.apiUrl);
        return new Reply(503, { error: `Call is owned by node ${owner}, whose API is unknown` });
      }
    }
    const out = await handler(ctx);
    if (mutating) await cluster.settle(callId);
    return out;
  };
}

/** `http` with route registration wrapped for the cluster (see the file comment), plus the /v1/cluster routes. */
export function clusterAwareHttp(http: HttpServer, cluster: ClusterNode, registry: CallRegistry): HttpServer {
  const wrapped = Object.create(http) as HttpServer;
  wrapped.route = (method: string, path: string, handler: RouteHandler, auth = true) => http.route(method, path, wrap(method, path, handler, cluster, registry), auth);
  registerClusterRoutes(http, cluster, cluster.nodeId);
  return wrapped;
}

/**
 * GET /v1/cluster and POST /v1/cluster/takeover. Registered on every daemon (the API's shape does not depend on
 * the configuration): without a cluster, GET answers `clustered: false` and a takeover is 409 "Not clustered".
 */
export function registerClusterRoutes(http: HttpServer, cluster: ClusterNode | undefined, nodeId: string): void {
  http.route('GET', '/v1/cluster', async () => {
    if (!cluster) return { node: nodeId, clustered: false, role: 'active', degraded: false, redisConnected: false, apiUrl: null, peers: [] };
    try {
      await cluster.refreshPeers();
    } catch {
      /* answer with what is known */
    }
    return {
      node: cluster.nodeId,
      clustered: true,
      role: cluster.role,
      degraded: cluster.degraded,
      redisConnected: cluster.redisConnected,
      apiUrl: cluster.apiUrl,
      peers: cluster.peerList().filter((p) => p.node !== cluster.nodeId),
    };
  });
  http.route('POST', '/v1/cluster/takeover', async ({ body }) => {
    const b = parseBody(takeoverBody, body);
    if (!cluster) return new Reply(409, { error: 'Not clustered (cluster.redis is empty)' });
    if (b.node === cluster.nodeId) throw new BadRequestError('node: this node cannot take itself over');
    await cluster.refreshPeers();
    const p = cluster.peer(b.node);
    if (!p) return new Reply(404, { error: `Unknown node ${b.node}` });
    if (p.alive && !b.force) return new Reply(409, { error: `Node ${b.node} is alive (heartbeat current); send force: true to take it over anyway` });
    const r = await cluster.takeOver(b.node, 'http takeover');
    if (!r.locked) return new Reply(409, { error: `Another node is taking ${b.node} over` });
    return new Reply(200, { node: cluster.nodeId, from: b.node, calls: r.calls, role: cluster.role });
  });
}
