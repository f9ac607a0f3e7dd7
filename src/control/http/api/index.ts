/**
 * The JSON API for contact-center platforms (all under /v1, bearer auth by HttpServer) and
 * GET /openapi.json. One file per resource; this registers them all. (ng `query` builds its own
 * participant extras: src/control/ng/participantExtras.ts.)
 */
import type { HttpServer } from '../HttpServer';
import { openApiDocument } from '../openapi';
import { registerAuditRoutes } from './audit';
import { registerCallRoutes } from './calls';
import { registerConsoleRoutes } from './console';
import type { ApiDeps } from './deps';
import { registerEventRoutes } from './events';
import { registerGainRoutes } from './gains';
import { registerPromptRoutes } from './prompts';
import { registerSupervisorRoutes } from './supervisors';

export type { ApiDeps } from './deps';

export function registerApi(http: HttpServer, d: ApiDeps): void {
  registerCallRoutes(http, d);
  registerSupervisorRoutes(http, d);
  registerPromptRoutes(http, d);
  registerGainRoutes(http, d);
  registerAuditRoutes(http, d);
  registerEventRoutes(http, d);
  http.route('GET', '/openapi.json', () => openApiDocument);
  registerConsoleRoutes(http);
}
