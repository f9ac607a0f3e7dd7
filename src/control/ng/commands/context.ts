/** What ng command handlers may use. Built once by the daemon (src/Daemon.ts). */
import type { CallRegistry } from '../../../call/CallRegistry';
import type { SignallingContext } from '../../../call/offerAnswer';
import type { Config } from '../../../config/schema';
import type { Logger } from '../../../log';
import type { PortPool } from '../../../media/PortPool';
import type { PromptFiles } from '../../../prompts/promptFiles';
import type { SupervisionService } from '../../../supervision/SupervisionService';
import type { NgDict } from '../bencode';
import type { ParticipantStatsExtender } from '../callStats';
import type { NgRequest } from '../NgServer';

export interface CommandContext {
  config: Config;
  registry: CallRegistry;
  pool: PortPool;
  signalling: SignallingContext;
  log: Logger;
  startedMs: number;
  /** Per-command counters for `statistics` (controlstatistics). */
  commandCounts: Map<string, number>;
  /** Subsystems that add keys to a participant in query/delete replies. */
  statsExtenders: ParticipantStatsExtender[];
  supervision: SupervisionService;
  /** Reads `play media` `file` prompts from prompts.dir (src/prompts/promptFiles.ts). */
  promptFiles: PromptFiles;
}

export type CommandHandler = (ctx: CommandContext, req: NgRequest) => Promise<NgDict> | NgDict;
