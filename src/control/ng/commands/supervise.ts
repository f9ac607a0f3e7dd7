/**
 * whisperd's ng extensions: `supervise` (also reached by an `offer` carrying a `supervise` key, since
 * stock Kamailio can only send offer/answer/delete with extra key=value pairs). rtpengine's
 * `play media` / `stop media` (prompt mixed into one participant's ear only) are in media.ts.
 *
 *   supervise: call-id, from-tag (the supervisor's own tag), sdp (its phone's offer; required when new),
 *              supervise|mode, agent-tag, supervisor, agent, aec?
 *              ->  { result: ok, sdp?, mode, aec?: { requested: 1|0, active: 1|0 } }  (aec: when asked)
 *   aec (yes/no; true/false, on/off, 1/0 too): the session's echo canceller (config bleed.echoCanceller),
 *   as HTTP `aec`: a new session takes it with its audited start record (details.aec); a supervisor
 *   already in the call switches it with its own audited 'aec' record (nothing when unchanged). The reply
 *   carries `aec` when the request did; `query` always shows it under the supervisor's `supervision`
 *   (`requested` absent = the config default; `active` = a canceller runs now: whisper/page with a mix).
 */
import { legOptionsFromNg } from '../../../call/offerAnswer';
import { aecState } from '../../../supervision/SupervisionService';
import type { NgDict } from '../bencode';
import { aecDict } from '../participantExtras';
import type { CommandContext } from './context';
import type { NgRequest } from '../NgServer';

export async function superviseCommand(ctx: CommandContext, req: NgRequest): Promise<NgDict> {
  const p = req.params;
  const res = await ctx.supervision.supervise({
    callId: p.callId,
    supervisorTag: p.fromTag,
    sdp: p.sdp,
    mode: p.supervise,
    agentTag: p.agentTag,
    supervisor: p.supervisor,
    agent: p.agent,
    leg: legOptionsFromNg(p, ctx.signalling.learning),
    ...(p.aec !== undefined ? { aec: p.aec } : {}),
    source: 'ng',
  });
  // A new session took aec with its start record; a supervisor already in the call switches it here.
  const call = ctx.registry.get(p.callId!);
  if (p.aec !== undefined && call) await ctx.supervision.setAec(call, res.session, p.aec, 'ng');
  const out: NgDict = { result: 'ok', mode: res.mode };
  if (p.aec !== undefined && call) out.aec = aecDict(aecState(call, res.session));
  if (res.sdp !== undefined) out.sdp = res.sdp;
  return out;
}

