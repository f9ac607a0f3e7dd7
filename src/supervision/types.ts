/**
 * Shared vocabulary of call supervision. Modes name what each role hears, never SIP legs:
 *  - listen:  supervisor hears agent and customer; nobody hears the supervisor.
 *  - whisper: agent hears customer + supervisor; customer hears only the agent.
 *  - barge:   everyone hears everyone.
 *  - page:    initiator and agent hear each other; the customer hears neither (PBX "whisper page").
 */

import type { LegOptions } from '../call/legOptions';
import { SUPERVISION_MODES, privateToAgent, type SupervisionMode, type SupervisionSession } from '../call/supervisionSession';
import type { CallMedia, EchoStats } from '../mix/types';
import type { AuditSource } from './AuditLog';

// The session data is call state (the Call owns it), so it is defined in src/call; re-exported here.
export { SUPERVISION_MODES, privateToAgent, type SessionView, type SupervisionMode, type SupervisionSession } from '../call/supervisionSession';

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
  /** Echo canceller for a new session (HTTP / ng `aec`); undefined: the config default. Part of the start record. */
  aec?: boolean;
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

/** The echo canceller running for `s`'s agent (a whisper/page session on a live mixer), with its counters; else null. */
export function aecRunning(mixer: CallMedia | null | undefined, s: SupervisionSession): EchoStats | null {
  return mixer && !mixer.isClosed && privateToAgent(s.mode) ? mixer.echoStats(s.agentTag) : null;
}
