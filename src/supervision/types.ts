/**
 * Shared vocabulary of call supervision. Modes name what each role hears, never SIP legs:
 *  - listen:  supervisor hears agent and customer; nobody hears the supervisor.
 *  - whisper: agent hears customer + supervisor; customer hears only the agent.
 *  - barge:   everyone hears everyone.
 *  - page:    initiator and agent hear each other; the customer hears neither (PBX "whisper page").
 */

import type { SessionView } from './matrix';

/** Every supervision mode, in a stable order (config enums, help texts, metrics labels). */
export const SUPERVISION_MODES = ['listen', 'whisper', 'barge', 'page'] as const;

export type SupervisionMode = (typeof SUPERVISION_MODES)[number];

/** One supervisor's session on a call (owned by the Call: `call.sessions`, by the supervisor's tag). */
export interface SupervisionSession extends SessionView {
  callId: string;
  supervisor: string | undefined;
  agent: string | undefined;
  createdMs: number;
  /** Set by the failsafe: whisper stays closed until the next explicit mode change. */
  failsafeTripped: boolean;
  /** Latest bleed measurement while a whisper/page is (or was) monitored (src/bleed; live object). */
  bleed?: { levelDb: number; delayMs: number; confidence: number; evaluations: number; digitalTripped: boolean; detected?: boolean };
}

/** Narrowing guard for strings from peers (ng keys, HTTP bodies, config). */
export function isSupervisionMode(s: unknown): s is SupervisionMode {
  return typeof s === 'string' && (SUPERVISION_MODES as readonly string[]).includes(s);
}
