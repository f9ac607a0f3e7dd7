/**
 * Supervisors of a call, by the supervisor's own tag:
 *   POST   /v1/calls/:callId/supervisors            {tag, sdp, mode, agentTag, supervisor?, agent?, aec?} -> 201 {sdp, mode, aec}
 *   PATCH  /v1/calls/:callId/supervisors/:tag       {mode?, aec?}         -> 200 {mode, aec}
 *   DELETE /v1/calls/:callId/supervisors/:tag                             -> 204
 *   POST   /v1/calls/:callId/supervisors/:tag/mute  {muted: bool|'toggle'} -> 200 {tag, agentTag, muted}
 * Same semantics and error texts as ng `supervise` (SupervisionService does the work, audited with
 * source 'http'). POSTing an existing supervisor tag re-offers its SDP (a re-INVITE), as ng does.
 * The mute route also accepts the agent's tag (page mute from the agent's desktop).
 */
import { z } from 'zod';
import { TagNotFoundError } from '../../../errors';
import { aecState } from '../../../supervision/SupervisionService';
import { SUPERVISION_MODES } from '../../../supervision/types';
import { Reply, type HttpServer } from '../HttpServer';
import type { ApiDeps } from './deps';
import { parseBody, requireCall, requireParticipant } from './validate';

const mode = z.enum(SUPERVISION_MODES, { error: 'expected listen, whisper, barge or page' });
const tag = z.string({ error: 'expected a non-empty string' }).min(1, 'expected a non-empty string');
const identity = z.string({ error: 'expected a string' }).optional();
/** The session's echo canceller (config bleed.echoCanceller): on/off; absent = unchanged (new: the config default). */
const aec = z.boolean({ error: 'expected true or false' }).optional();

export const createSupervisorBody = z
  .object({ tag, sdp: z.string({ error: 'expected an SDP offer (string)' }).min(1, 'expected an SDP offer (string)'), mode, agentTag: tag, supervisor: identity, agent: identity, aec })
  .strict();
export const changeModeBody = z
  .object({ mode: mode.optional(), aec })
  .strict()
  .refine((b) => b.mode !== undefined || b.aec !== undefined, { message: 'expected mode and/or aec' });

export const muteBody = z.object({ muted: z.union([z.boolean(), z.literal('toggle')], { error: "expected true, false or 'toggle'" }) }).strict();

export function registerSupervisorRoutes(http: HttpServer, d: ApiDeps): void {
  http.route('POST', '/v1/calls/:callId/supervisors', async ({ params, body }) => {
    const b = parseBody(createSupervisorBody, body);
    const res = await d.supervision.supervise({
      callId: params.callId,
      supervisorTag: b.tag,
      sdp: b.sdp,
      mode: b.mode,
      agentTag: b.agentTag,
      supervisor: b.supervisor,
      agent: b.agent,
      aec: b.aec,
      source: 'http',
    });
    // A new session took aec with its start record; a supervisor already in the call switches it here.
    if (b.aec !== undefined) await d.supervision.setAec(requireCall(d.registry, params.callId!), res.session, b.aec, 'http');
    return { tag: b.tag, sdp: res.sdp, mode: res.mode, aec: aecState(requireCall(d.registry, params.callId!), res.session) };
  });

  http.route('PATCH', '/v1/calls/:callId/supervisors/:tag', async ({ params, body }) => {
    const b = parseBody(changeModeBody, body);
    const call = requireCall(d.registry, params.callId!);
    if (!d.supervision.session(call, params.tag!)) throw new TagNotFoundError("Call-ID not found or tags didn't match");
    let s = d.supervision.session(call, params.tag!)!;
    if (b.mode !== undefined) s = (await d.supervision.supervise({ callId: call.callId, supervisorTag: params.tag, mode: b.mode, source: 'http' })).session;
    if (b.aec !== undefined) await d.supervision.setAec(call, s, b.aec, 'http');
    return { tag: params.tag, mode: s.mode, aec: aecState(call, s) };
  });

  http.route('DELETE', '/v1/calls/:callId/supervisors/:tag', async ({ params }) => {
    const call = requireCall(d.registry, params.callId!);
    await d.supervision.remove(call, params.tag!, 'http delete', 'http');
    return new Reply(204);
  });

  http.route('POST', '/v1/calls/:callId/supervisors/:tag/mute', async ({ params, body }) => {
    const b = parseBody(muteBody, body);
    const call = requireCall(d.registry, params.callId!);
    requireParticipant(call, params.tag!);
    const s = await d.supervision.setMute(call, params.tag, b.muted, 'http');
    return new Reply(200, { tag: s.tag, agentTag: s.agentTag, muted: s.muted });
  });
}
