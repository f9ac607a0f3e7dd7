/** What ng command handlers may use. Built once by the daemon (src/Daemon.ts). */
import type { CallRegistry } from '../../../call/CallRegistry';
import type { SignallingContext } from '../../../call/offerAnswer';
import type { Config } from '../../../config/schema';
import type { Logger } from '../../../log';
import type { PortPool } from '../../../media/PortPool';
import type { MediaEngine } from '../../../call/MediaEngine';
import type { PromptFiles } from '../../../prompts/promptFiles';
import type { SupervisionService } from '../../../supervision/SupervisionService';
import type { NgDict } from '../bencode';
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
  supervision: SupervisionService;
  /** The media engine: query/delete report each participant's jitter buffer (participantExtras.ts). */
  engine: MediaEngine;
  /** Reads `play media` `file` prompts from prompts.dir (src/prompts/promptFiles.ts). */
  promptFiles: PromptFiles;
}

export type CommandHandler = (ctx: CommandContext, req: NgRequest) => Promise<NgDict> | NgDict;
