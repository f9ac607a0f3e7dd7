/**
 * whisperd's additions to each participant in ng `query` and `delete` replies, built by the ng side
 * from the domain objects (the call, the supervision service, the media engine):
 *   role:        customer | agent | supervisor | party
 *   jitter:      the W3C webrtc-stats counters of its jitter buffer, when its audio is decoded through
 *                one (integers; the two delay sums are in milliseconds: jitterBufferDelayMs,
 *                jitterBufferTargetDelayMs)
 *   supervision: for a supervisor {mode, agent-tag, customer-tag, supervisor, agent, muted, committed,
 *                aec: {requested?, active} (the echo canceller, as in the supervise reply),
 *                bleed?: {level-db, delay-ms, confidence, evaluations, digital-tripped, detected}};
 *                for an agent {supervised-by: [tags]}
 * Bencode has no floats or booleans: flags are 0/1, dB and confidence are decimal strings.
 * Proxies (Kamailio's $rtpquery) ignore keys they do not know. The HTTP API has its own JSON views
 * (src/control/http/api/views.ts); neither side registers behaviour in the other.
 */
import type { Call } from '../../call/Call';
import type { Participant } from '../../call/Participant';
import { REPORTED_JITTER_FIELDS } from '../../jitter/JitterStats';
import type { MediaEngine } from '../../call/MediaEngine';
import type { SupervisionService, SupervisionSession } from '../../supervision/SupervisionService';
import { aecState } from '../../supervision/SupervisionService';
import { bleedSnapshot, participantRole } from '../../supervision/types';
import type { NgDict } from './bencode';

/** What the extras read. */
export interface ExtrasSources {
  supervision: SupervisionService;
  engine: MediaEngine;
}

/** Sums in seconds, reported in whole milliseconds under `<name>Ms`. */
const SECONDS_FIELDS = new Set<string>(['jitterBufferDelay', 'jitterBufferTargetDelay']);

function jitterDict(call: Call, p: Participant, engine: MediaEngine): NgDict | null {
  const st = engine.mixer(call)?.input(p.tag)?.jitterStats;
  if (!st) return null;
  const out: NgDict = {};
  for (const k of REPORTED_JITTER_FIELDS) {
    if (SECONDS_FIELDS.has(k)) out[`${k}Ms`] = Math.round(st[k] * 1000);
    else out[k] = Math.round(st[k]);
  }
  return out;
}

/** The session's bleed measurement in ng form (bencode: dB and confidence as decimal strings, flags 0/1). */
function bleedDict(s: SupervisionSession): NgDict | null {
  const b = bleedSnapshot(s);
  if (!b) return null;
  const bd: NgDict = {};
  if (b.levelDb !== undefined) bd['level-db'] = b.levelDb.toFixed(1);
  if (b.delayMs !== undefined) bd['delay-ms'] = Math.round(b.delayMs);
  if (b.confidence !== undefined) bd.confidence = b.confidence.toFixed(2);
  if (b.evaluations !== undefined) bd.evaluations = Math.round(b.evaluations);
  if (b.digitalTripped !== undefined) bd['digital-tripped'] = b.digitalTripped ? 1 : 0;
  if (b.detected !== undefined) bd.detected = b.detected ? 1 : 0;
  return bd;
}

/** A session's canceller state in ng form (bencode has no booleans: 1/0; `requested` absent = config default). */
export function aecDict(a: { requested: boolean | null; active: boolean }): NgDict {
  const d: NgDict = {};
  if (a.requested !== null) d.requested = a.requested ? 1 : 0;
  d.active = a.active ? 1 : 0;
  return d;
}

function supervisionDict(call: Call, p: Participant, sessions: readonly SupervisionSession[], supervision: SupervisionService): NgDict | null {
  const s = supervision.session(call, p.tag);
  if (s) {
    const d: NgDict = {
      mode: s.mode,
      'agent-tag': s.agentTag,
      'customer-tag': s.customerTag,
      muted: s.muted ? 1 : 0,
      committed: s.committed ? 1 : 0,
    };
    if (s.supervisor) d.supervisor = s.supervisor;
    if (s.agent) d.agent = s.agent;
    d.aec = aecDict(aecState(call, s));
    const b = bleedDict(s);
    if (b) d.bleed = b;
    return d;
  }
  const by = sessions.filter((x) => x.agentTag === p.tag).map((x) => x.tag);
  return by.length > 0 ? { 'supervised-by': by } : null;
}

/** Add role, jitter and supervision keys to participant `p`'s dictionary `out`. */
export function addParticipantExtras(src: ExtrasSources, call: Call, p: Participant, out: NgDict): void {
  const sessions = src.supervision.sessionsOf(call);
  out.role = participantRole(p, sessions);
  const j = jitterDict(call, p, src.engine);
  if (j) out.jitter = j;
  const s = supervisionDict(call, p, sessions, src.supervision);
  if (s) out.supervision = s;
}
