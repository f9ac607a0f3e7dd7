/**
 * Listening gains: how loud a participant hears one source (another tag, or 'prompts').
 *   PUT /v1/calls/:callId/participants/:tag/gains {source, gainDb: -60..+12} -> 200 {tag, source, gainDb}
 */
import { z } from 'zod';
import type { HttpServer } from '../HttpServer';
import type { ApiDeps } from './deps';
import { parseBody, requireCall, requireParticipant } from './validate';

export const setGainBody = z
  .object({
    source: z.string({ error: "expected a participant tag or 'prompts'" }).min(1, "expected a participant tag or 'prompts'"),
    gainDb: z.number({ error: 'expected a number of dB from -60 to 12' }).min(-60, 'expected a number of dB from -60 to 12').max(12, 'expected a number of dB from -60 to 12'),
  })
  .strict();

export function registerGainRoutes(http: HttpServer, d: ApiDeps): void {
  http.route('PUT', '/v1/calls/:callId/participants/:tag/gains', ({ params, body }) => {
    const b = parseBody(setGainBody, body);
    const call = requireCall(d.registry, params.callId!);
    requireParticipant(call, params.tag!);
    d.supervision.setListenGain(call, params.tag!, b.source, b.gainDb);
    return { tag: params.tag, source: b.source, gainDb: b.gainDb };
  });
}
