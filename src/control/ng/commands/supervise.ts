/**
 * whisperd's ng extensions: `supervise` (also reached by an `offer` carrying a `supervise` key, since
 * stock Kamailio can only send offer/answer/delete with extra key=value pairs), and rtpengine's
 * `play media` / `stop media` (prompt mixed into one participant's ear only).
 *
 *   supervise: call-id, from-tag (the supervisor's own tag), sdp (its phone's offer; required when new),
 *              supervise|mode, agent-tag, supervisor, agent  ->  { result: ok, sdp?, mode }
 */
import { CallNotFoundError, MissingKeyError } from '../../../errors';
import { legOptionsFromNg, requireKey } from '../../../call/offerAnswer';
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

export async function playMediaCommand(ctx: CommandContext, req: NgRequest): Promise<NgDict> {
  const p = req.params;
  const callId = requireKey(p.callId, 'No call-id in message');
  const call = ctx.registry.get(callId);
  if (!call) throw new CallNotFoundError();
  const tag = requireKey(p.fromTag, 'No from-tag in message');
  if (p.file === undefined && p.blob === undefined) throw new MissingKeyError('No media file specified');
  // A named file comes only from the prompt directory (PromptFiles: bounded, one error for every refusal).
  const media = p.blob !== undefined ? { blob: p.blob } : { file: p.file!, blob: await ctx.promptFiles.read(p.file!) };
  const duration = await ctx.supervision.playPrompt(call, tag, media, p.repeatTimes ?? 1, 'ng');
  return { result: 'ok', duration };
}

export function stopMediaCommand(ctx: CommandContext, req: NgRequest): NgDict {
  const p = req.params;
  const callId = requireKey(p.callId, 'No call-id in message');
  const call = ctx.registry.get(callId);
  if (!call) throw new CallNotFoundError();
  const tag = requireKey(p.fromTag, 'No from-tag in message');
  ctx.supervision.stopPrompt(call, tag);
  return { result: 'ok' };
}
