/** ng `offer` and `answer`: reply { result: ok, sdp [, warning] }. */
import { answer, offer } from '../../../call/offerAnswer';
import type { NgDict } from '../bencode';
import { superviseCommand } from './supervise';
import type { CommandContext } from './context';
import type { NgRequest } from '../NgServer';

function reply(sdp: string, warnings: string[]): NgDict {
  const out: NgDict = { result: 'ok', sdp };
  if (warnings.length > 0) out.warning = warnings.join('; ');
  return out;
}

export async function offerCommand(ctx: CommandContext, req: NgRequest): Promise<NgDict> {
  // Stock Kamailio can only reach `supervise` as an offer with a `supervise` key.
  if (req.params.supervise !== undefined) return superviseCommand(ctx, req);
  let out: NgDict | undefined;
  // The reply is encoded and size-checked before the offer is applied: one that cannot be sent fails
  // the command and leaves the call as it was.
  await offer(ctx.signalling, req.params, (res) => {
    out = reply(res.sdp, res.warnings);
    req.checkReply?.(out);
  });
  return out!;
}

export async function answerCommand(ctx: CommandContext, req: NgRequest): Promise<NgDict> {
  let out: NgDict | undefined;
  await answer(ctx.signalling, req.params, (res) => {
    out = reply(res.sdp, res.warnings);
    req.checkReply?.(out);
  });
  return out!;
}
