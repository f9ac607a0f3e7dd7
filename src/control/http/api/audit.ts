/** GET /v1/audit?callId=&event=&since=&limit= -> {records} (oldest first; `limit` keeps the newest). */
import { BadRequestError } from '../../../errors';
import type { AuditQuery } from '../../../supervision/AuditLog';
import type { HttpServer } from '../HttpServer';
import type { ApiDeps } from './deps';

function opt(q: URLSearchParams, key: string): string | undefined {
  const v = q.get(key);
  return v === null || v === '' ? undefined : v;
}

export function registerAuditRoutes(http: HttpServer, d: ApiDeps): void {
  http.route('GET', '/v1/audit', ({ query }) => {
    const filter: AuditQuery = {};
    const callId = opt(query, 'callId');
    const event = opt(query, 'event');
    const since = opt(query, 'since');
    const limit = opt(query, 'limit');
    if (callId !== undefined) filter.callId = callId;
    if (event !== undefined) filter.event = event;
    if (since !== undefined) filter.since = since;
    if (limit !== undefined) {
      if (!/^\d+$/.test(limit)) throw new BadRequestError('limit must be a non-negative integer');
      filter.limit = Number(limit);
    }
    return { records: d.audit.query(filter) };
  });
}
