/**
 * The ng `query` (and `delete`) extender: adds to each participant's dictionary
 *   role:        customer | agent | supervisor | party
 *   jitter:      the W3C webrtc-stats counters of its jitter buffer, when its audio is decoded through
 *                one (integers; the two delay sums are in milliseconds: jitterBufferDelayMs,
 *                jitterBufferTargetDelayMs)
 *   supervision: for a supervisor {mode, agent-tag, customer-tag, supervisor, agent, muted, committed,
 *                bleed?: {level-db, delay-ms, confidence, evaluations, digital-tripped, detected}};
 *                for an agent {supervised-by: [tags]}
 * Bencode has no floats or booleans: flags are 0/1, dB and confidence are decimal strings.
 * Proxies (Kamailio's $rtpquery) ignore keys they do not know.
 */
import type { Call } from '../../../call/Call';
import type { Participant } from '../../../call/Participant';
import type { MediaEngine } from '../../../mix/MediaEngine';
import type { SupervisionService } from '../../../supervision/SupervisionService';
import type { NgDict } from '../../ng/bencode';
import type { ParticipantStatsExtender } from '../../ng/callStats';
import { bleedOf, JITTER_FIELDS, jitterStatsOf, roleOf } from './views';

const SECONDS_FIELDS = new Set<string>(['jitterBufferDelay', 'jitterBufferTargetDelay']);

function jitterDict(call: Call, p: Participant, engine: MediaEngine): NgDict | null {
  const st = jitterStatsOf(engine.mixer(call), p.tag);
  if (!st) return null;
  const out: NgDict = {};
  for (const k of JITTER_FIELDS) {
    if (SECONDS_FIELDS.has(k)) out[`${k}Ms`] = Math.round(st[k] * 1000);
    else out[k] = Math.round(st[k]);
  }
  return out;
}

function supervisionDict(call: Call, p: Participant, supervision: SupervisionService): NgDict | null {
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
    const b = bleedOf(s);
    if (b) {
      const bd: NgDict = {};
      if (b.levelDb !== undefined) bd['level-db'] = b.levelDb.toFixed(1);
      if (b.delayMs !== undefined) bd['delay-ms'] = Math.round(b.delayMs);
      if (b.confidence !== undefined) bd.confidence = b.confidence.toFixed(2);
      if (b.evaluations !== undefined) bd.evaluations = Math.round(b.evaluations);
      if (b.digitalTripped !== undefined) bd['digital-tripped'] = b.digitalTripped ? 1 : 0;
      if (b.detected !== undefined) bd.detected = b.detected ? 1 : 0;
      d.bleed = bd;
    }
    return d;
  }
  const by = supervision.sessionsOf(call).filter((x) => x.agentTag === p.tag).map((x) => x.tag);
  return by.length > 0 ? { 'supervised-by': by } : null;
}

export function ngQueryStatsExtender(supervision: SupervisionService, engine: MediaEngine): ParticipantStatsExtender {
  return (call, p, out) => {
    out.role = roleOf(p, supervision.sessionsOf(call));
    const j = jitterDict(call, p, engine);
    if (j) out.jitter = j;
    const s = supervisionDict(call, p, supervision);
    if (s) out.supervision = s;
  };
}
