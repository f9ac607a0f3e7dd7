/**
 * whisperd's ng extensions: `supervise` (also reached by an `offer` carrying a `supervise` key, since
 * stock Kamailio can only send offer/answer/delete with extra key=value pairs). rtpengine's
 * `play media` / `stop media` (prompt mixed into one participant's ear only) are in media.ts.
 *
 *   supervise: call-id, from-tag (the supervisor's own tag), sdp (its phone's offer; required when new),
 *              supervise|mode, agent-tag, supervisor, agent  ->  { result: ok, sdp?, mode }
 */
import { legOptionsFromNg } from '../../../call/offerAnswer';
import type { NgDict } from '../bencode';
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
    source: 'ng',
  });
  const out: NgDict = { result: 'ok', mode: res.mode };
  if (res.sdp !== undefined) out.sdp = res.sdp;
  return out;
}
