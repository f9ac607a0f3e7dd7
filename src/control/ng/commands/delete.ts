/**
 * ng `delete`. Tags select what ends:
 *  - from-tag (and optional to-tag) of the call's parties: the whole call, after `delete delay`
 *    (default timeouts.deleteDelay; ports stay reserved until then);
 *  - from-tag of a supervisor: only that supervisor leaves, at once; the call goes on.
 * Unknown call or tags: ok + warning "Call-ID not found or tags didn't match" (error with flag `fatal`).
 * The reply carries the same statistics as `query`.
 */
import { CallNotFoundError } from '../../../errors';
import { deleteBranch, findByTags, requireKey } from '../../../call/offerAnswer';
import type { NgDict } from '../bencode';
import { callStats } from '../callStats';
import type { CommandContext } from './context';
import type { NgRequest } from '../NgServer';

export const NOT_FOUND_WARNING = "Call-ID not found or tags didn't match";

export async function deleteCommand(ctx: CommandContext, req: NgRequest): Promise<NgDict> {
  const p = req.params;
  const callId = requireKey(p.callId, 'No call-id in message');
  const call = ctx.registry.get(callId);
  const matched = call ? findByTags(call, p.fromTag, p.toTag) : null;
  if (!call || !matched) {
    if (p.flags.has('fatal')) throw new CallNotFoundError(NOT_FOUND_WARNING);
    return { result: 'ok', warning: NOT_FOUND_WARNING };
  }
  const out: NgDict = { result: 'ok', ...callStats(call, ctx) };
  // A reply that cannot be sent refuses the delete before anything ends.
  req.checkReply?.(out);
  call.touch();
  const supervisor = matched.length === 1 && matched[0]!.role === 'supervisor' ? matched[0]! : null;
  if (supervisor) {
    await ctx.supervision.remove(call, supervisor.tag, 'deleted', 'ng');
    return out;
  }
  // (S) from-tag + via-branch: only that branch's unanswered side ends (rtpengine call_delete_branch)
  if (p.viaBranch && !p.toTag && matched.length === 1 && deleteBranch(ctx, call, matched[0]!, p.viaBranch)) return out;
  const delaySeconds = p.deleteDelay ?? ctx.config.timeouts.deleteDelay;
  ctx.registry.scheduleDelete(call, delaySeconds * 1000, 'deleted');
  // Deleted now: answer once the supervisors' stop records are durable (README, audit contract).
  if (call.closed) await ctx.supervision.stopRecords(call);
  return out;
}
