/**
 * The supervision state a Call owns (`call.sessions`, by the supervisor's tag): call state, so it is
 * defined here, below src/supervision (which creates and steers sessions and re-exports these types
 * from src/supervision/types.ts).
 */

/** Every supervision mode, in a stable order (config enums, help texts, metrics labels). */
export const SUPERVISION_MODES = ['listen', 'whisper', 'barge', 'page'] as const;

export type SupervisionMode = (typeof SUPERVISION_MODES)[number];

/**
 * Modes in which the agent hears the supervisor and the customer must not (whisper, page): the ones the
 * bleed monitor watches and the echo canceller serves.
 */
export function privateToAgent(mode: SupervisionMode): boolean {
  return mode === 'whisper' || mode === 'page';
}

/** What the mix matrix needs of a session (src/supervision/matrix.ts). */
export interface SessionView {
  tag: string;
  agentTag: string;
  customerTag: string;
  mode: SupervisionMode;
  committed: boolean;
  /** Page mute: the agent speaks only to the initiator. */
  muted: boolean;
}

/** One supervisor's session on a call (owned by the Call: `call.sessions`, by the supervisor's tag). */
export interface SupervisionSession extends SessionView {
  callId: string;
  supervisor: string | undefined;
  agent: string | undefined;
  createdMs: number;
  /** Set by the failsafe: whisper stays closed until the next explicit mode change. */
  failsafeTripped: boolean;
  /**
   * Echo canceller on the agent -> customer path while the session whispers/pages (HTTP/ng `aec`);
   * undefined: config bleed.echoCanceller.enabled decides.
   */
  aec?: boolean;
  /** Latest bleed measurement while a whisper/page is (or was) monitored (src/bleed; live object). */
  bleed?: { levelDb: number; delayMs: number; confidence: number; evaluations: number; digitalTripped: boolean; detected?: boolean };
}
