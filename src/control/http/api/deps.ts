/** What the JSON API routes may use. Built once by the daemon (src/Daemon.ts → registerApi). */
import type { CallRegistry } from '../../../call/CallRegistry';
import type { MediaEngine } from '../../../call/MediaEngine';
import type { PromptFiles } from '../../../prompts/promptFiles';
import type { AuditLog } from '../../../supervision/AuditLog';
import type { EventBus } from '../../../supervision/EventBus';
import type { SupervisionService } from '../../../supervision/SupervisionService';

export interface ApiDeps {
  registry: CallRegistry;
  supervision: SupervisionService;
  engine: MediaEngine;
  audit: AuditLog;
  events: EventBus;
  /** Reads `{file}` prompts from prompts.dir (the instance ng uses). */
  promptFiles: PromptFiles;
  /** Interval of SSE keep-alive comments, ms (default 15000). */
  sseKeepAliveMs?: number;
}
