/**
 * The ng command table: command name -> handler. Errors thrown by handlers are typed (src/errors.ts)
 * and turned into ng replies in one place (NgServer via toNgError). Unknown keys are debug-logged.
 */
import { UnknownCommandError } from '../../errors';
import type { NgDict } from './bencode';
import { answerCommand, offerCommand } from './commands/offerAnswer';
import type { CommandContext, CommandHandler } from './commands/context';
import { deleteCommand } from './commands/delete';
import { listCommand, pingCommand, queryCommand, statisticsCommand } from './commands/query';
import type { NgRequest } from './NgServer';
import { superviseCommand } from './commands/supervise';
import { playMediaCommand, stopMediaCommand } from './commands/media';
import {
  blockDtmfCommand,
  blockMediaCommand,
  playDtmfCommand,
  silenceMediaCommand,
  unblockDtmfCommand,
  unblockMediaCommand,
  unsilenceMediaCommand,
} from './commands/mediaControl';

const BASE_COMMANDS: Array<[string, CommandHandler]> = [
  ['ping', pingCommand],
  ['offer', offerCommand],
  ['answer', answerCommand],
  ['delete', deleteCommand],
  ['query', queryCommand],
  ['list', listCommand],
  ['statistics', statisticsCommand],
  ['supervise', superviseCommand],
  ['play media', playMediaCommand],
  ['stop media', stopMediaCommand],
  ['play dtmf', playDtmfCommand],
  ['block dtmf', blockDtmfCommand],
  ['unblock dtmf', unblockDtmfCommand],
  ['block media', blockMediaCommand],
  ['unblock media', unblockMediaCommand],
  ['silence media', silenceMediaCommand],
  ['unsilence media', unsilenceMediaCommand],
];

/** The dispatcher over the base commands plus `extra` ones (supervision, media playback). */
export function createDispatcher(
  ctx: CommandContext,
  extra: Array<[string, CommandHandler]> = [],
): (req: NgRequest) => Promise<NgDict> | NgDict {
  const commands = new Map<string, CommandHandler>([...BASE_COMMANDS, ...extra]);
  return (req) => {
    const handler = commands.get(req.command);
    if (!handler) throw new UnknownCommandError();
    if (req.unknownKeys.length > 0) ctx.log.debug({ command: req.command, keys: req.unknownKeys }, 'ignoring unknown ng keys');
    ctx.commandCounts.set(req.command, (ctx.commandCounts.get(req.command) ?? 0) + 1);
    return handler(ctx, req);
  };
}
