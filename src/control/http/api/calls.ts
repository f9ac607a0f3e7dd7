/** GET /v1/calls (list) and GET /v1/calls/:callId (participants, media, jitter, supervision). */
import { BadRequestError, CallNotFoundError } from '../../../errors';
import type { HttpServer } from '../HttpServer';
import type { ApiDeps } from './deps';
import { callDetail, callSummary } from './views';

export function registerCallRoutes(http: HttpServer, d: ApiDeps): void {
  http.route('GET', '/v1/calls', ({ query }) => {
    const raw = query.get('limit');
    const limit = raw === null || raw === '' ? Infinity : Number(raw);
    if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) throw new BadRequestError('limit: expected a non-negative integer');
    const calls: unknown[] = [];
    for (const call of d.registry.all()) {
      if (calls.length >= limit) break;
      if (!call.closed) calls.push(callSummary(call, d.supervision));
    }
    return { calls };
  });

  http.route('GET', '/v1/calls/:callId', ({ params }) => {
    const call = d.registry.get(params.callId!);
    if (!call || call.closed) throw new CallNotFoundError();
    return callDetail(call, d.supervision, d.engine);
  });
}
