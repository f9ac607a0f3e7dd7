/** ng `query`, `list`, `statistics` and `ping`. */
import { CallNotFoundError } from '../../../errors';
import { requireKey } from '../../../call/offerAnswer';
import { mediaCounters } from '../../../media/counters';
import type { NgDict } from '../bencode';
import { callStats } from '../callStats';
import type { CommandContext } from './context';
import type { NgRequest } from '../NgServer';

export function pingCommand(): NgDict {
  return { result: 'pong' };
}

export function queryCommand(ctx: CommandContext, req: NgRequest): NgDict {
  const callId = requireKey(req.params.callId, 'No call-id in message');
  const call = ctx.registry.get(callId);
  if (!call) throw new CallNotFoundError();
  return { result: 'ok', ...callStats(call, ctx) };
}

export function listCommand(ctx: CommandContext, req: NgRequest): NgDict {
  const limit = req.params.limit ?? 32;
  return { result: 'ok', calls: ctx.registry.list(limit) };
}

export function statisticsCommand(ctx: CommandContext): NgDict {
  const r = ctx.registry;
  const ended = Object.values(r.ended).reduce((a, b) => a + b, 0);
  const control: NgDict = {};
  for (const [cmd, n] of ctx.commandCounts) control[cmd] = n;
  return {
    result: 'ok',
    statistics: {
      currentstatistics: {
        sessionsown: r.size,
        sessionsforeign: 0,
        sessionstotal: r.size,
        portsused: ctx.pool.used,
        portsfree: ctx.pool.free,
      },
      totalstatistics: {
        uptime: Math.floor((Date.now() - ctx.startedMs) / 1000),
        managedsessions: r.totalCreated,
        closedsessions: ended,
        timeoutsessions: r.ended.timeout,
        offertimeoutsessions: r.ended['offer-timeout'],
        finaltimeoutsessions: r.ended['final-timeout'],
        rtppackets: mediaCounters.rtpPacketsIn,
        rtpbytes: mediaCounters.rtpBytesIn,
        rtcppackets: mediaCounters.rtcpPacketsIn,
        rtcpbytes: mediaCounters.rtcpBytesIn,
      },
      controlstatistics: control,
    },
  };
}
