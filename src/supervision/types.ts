/**
 * Shared vocabulary of call supervision. Modes name what each role hears, never SIP legs:
 *  - listen:  supervisor hears agent and customer; nobody hears the supervisor.
 *  - whisper: agent hears customer + supervisor; customer hears only the agent.
 *  - barge:   everyone hears everyone.
 *  - page:    initiator and agent hear each other; the customer hears neither (PBX "whisper page").
 */

import type { LegOptions } from '../call/legOptions';
import type { AuditSource } from './AuditLog';
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

/**
 * Start supervising, or change an existing supervisor's mode: supervision's own request type. The ng
 * `supervise` command, the HTTP API and DTMF keys each translate into it at their edge.
 */
export interface SuperviseRequest {
  callId?: string;
  /** The supervisor's own participant tag (ng from-tag). */
  supervisorTag?: string;
  /** The supervisor phone's SDP offer (required for a new supervisor). */
  sdp?: string;
  mode?: string;
  agentTag?: string;
  /** Identities for policy and audit. */
  supervisor?: string;
  agent?: string;
  /** How the supervisor phone's leg latches (from the edge's flags); default: the configured learning. */
  leg?: LegOptions;
  source: AuditSource;
}

export interface SuperviseResult {
  /** whisperd's SDP answer for the supervisor's phone (when an offer was given). */
  sdp?: string;
  mode: SupervisionMode;
  session: SupervisionSession;
}

/** Narrowing guard for strings from peers (ng keys, HTTP bodies, config). */
export function isSupervisionMode(s: unknown): s is SupervisionMode {
  return typeof s === 'string' && (SUPERVISION_MODES as readonly string[]).includes(s);
}

export type ParticipantRole = 'customer' | 'agent' | 'supervisor' | 'party';

/**
 * Role of a participant: supervisors are 'supervisor'; on a supervised call the agent (a session's
 * agent-tag) and the customer (its peer); on a call without supervisors, 'party'.
 */
export function participantRole(p: { role: string; tag: string }, sessions: readonly SupervisionSession[]): ParticipantRole {
  if (p.role === 'supervisor') return 'supervisor';
  for (const s of sessions) {
    if (s.agentTag === p.tag) return 'agent';
    if (s.customerTag === p.tag) return 'customer';
  }
  return 'party';
}

/** A copy of a session's latest bleed measurement: only the fields that hold a finite number / a flag. */
export interface BleedSnapshot {
  levelDb?: number;
  delayMs?: number;
  confidence?: number;
  evaluations?: number;
  digitalTripped?: boolean;
  detected?: boolean;
}

const BLEED_NUMBERS = ['levelDb', 'delayMs', 'confidence', 'evaluations'] as const;
const BLEED_FLAGS = ['digitalTripped', 'detected'] as const;

/** The session's bleed measurement (a live object owned by src/bleed), copied; undefined while none. */
export function bleedSnapshot(s: SupervisionSession): BleedSnapshot | undefined {
  const b = s.bleed;
  if (!b) return undefined;
  const out: BleedSnapshot = {};
  for (const k of BLEED_NUMBERS) if (Number.isFinite(b[k])) out[k] = b[k];
  for (const k of BLEED_FLAGS) if (typeof b[k] === 'boolean') out[k] = b[k];
  return out;
}
