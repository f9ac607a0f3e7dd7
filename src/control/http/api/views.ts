/**
 * JSON views of calls, participants and supervision sessions for the HTTP API (ng `query` has its own,
 * src/control/ng/participantExtras.ts). Read-only: nothing here changes state. Fields other engineers may add later
 * (the session's `bleed`) are read defensively.
 */
import type { Call } from '../../../call/Call';
import type { Participant } from '../../../call/Participant';
import { legSecurityState } from '../../../call/legSecurity';
import { REPORTED_JITTER_FIELDS, type JitterStats } from '../../../jitter/JitterStats';
import type { EndpointStats } from '../../../media/RtpEndpoint';
import type { MediaEngine } from '../../../call/MediaEngine';
import { OutputMode, type CallMedia } from '../../../mix/types';
import type { SupervisionService, SupervisionSession } from '../../../supervision/SupervisionService';
import { aecRunning, bleedSnapshot, participantRole, type BleedSnapshot } from '../../../supervision/types';

export type JitterView = Record<(typeof REPORTED_JITTER_FIELDS)[number], number>;

export type BleedView = BleedSnapshot;

export function jitterView(st: JitterStats): JitterView {
  const out = {} as JitterView;
  for (const k of REPORTED_JITTER_FIELDS) out[k] = st[k];
  return out;
}

/** The jitter buffer statistics of a participant's decoded (buffered) input, if it has one. */
export function jitterStatsOf(mixer: CallMedia | undefined, tag: string): JitterStats | null {
  return mixer?.input(tag)?.jitterStats ?? null;
}

/** The bleed measurement a session carries, if any (the HTTP view is the domain snapshot as is). */
export const bleedOf = bleedSnapshot;

export function sessionView(s: SupervisionSession): Record<string, unknown> {
  const out: Record<string, unknown> = {
    tag: s.tag,
    mode: s.mode,
    agentTag: s.agentTag,
    customerTag: s.customerTag,
    supervisor: s.supervisor ?? null,
    agent: s.agent ?? null,
    muted: s.muted,
    committed: s.committed,
    failsafeTripped: s.failsafeTripped,
    created: new Date(s.createdMs).toISOString(),
  };
  const bleed = bleedOf(s);
  if (bleed) out.bleed = bleed;
  return out;
}

/** sessionView plus the session's echo canceller (requested: HTTP/ng `aec`, null = config default; active: running now, with its counters). */
function sessionDetail(s: SupervisionSession, mixer: CallMedia | undefined): Record<string, unknown> {
  const out = sessionView(s);
  const running = aecRunning(mixer, s);
  out.aec = { requested: s.aec ?? null, active: running !== null, ...(running ? { stats: running } : {}) };
  return out;
}

function outputModeName(mixer: CallMedia | undefined, tag: string): 'passthrough' | 'mix' | 'idle' {
  if (!mixer) return 'passthrough'; // no mixer: the call is on the pure relay path
  const out = mixer.output(tag);
  if (!out) return 'passthrough';
  if (out.mode === OutputMode.MIX) return 'mix';
  if (out.mode === OutputMode.PASSTHROUGH) return 'passthrough';
  return 'idle';
}

function statsView(s: EndpointStats): EndpointStats {
  return { packets: s.packets, bytes: s.bytes, errors: s.errors };
}

function participantView(p: Participant, sessions: readonly SupervisionSession[], mixer: CallMedia | undefined): Record<string, unknown> {
  const leg = p.mixableLeg() ?? p.legs.find((l) => l.endpoint !== null) ?? p.legs[0] ?? null;
  const ep = leg?.endpoint ?? null;
  const codec = leg?.codec
    ? { encoding: leg.codec.codec.encoding, clockRate: leg.codec.codec.clockRate, payloadType: leg.codec.pt, dtmfPayloadType: leg.codec.dtmfPt }
    : leg?.payloads[0]
      ? { encoding: leg.payloads[0].encoding, clockRate: leg.payloads[0].clockRate, payloadType: leg.payloads[0].pt, dtmfPayloadType: -1 }
      : null;
  const out = mixer?.output(p.tag);
  const input = mixer?.input(p.tag);
  const jitter = jitterStatsOf(mixer, p.tag);
  return {
    tag: p.tag,
    role: participantRole(p, sessions),
    label: p.label,
    peerTag: p.peer?.tag ?? null,
    codec,
    media: ep
      ? {
          local: { address: ep.localAddress, port: ep.localPort },
          remote: { address: ep.remoteAddress, port: ep.remotePort },
          direction: leg!.direction,
          // Counted on packets received from this participant.
          received: { rtp: statsView(ep.rtpStats), rtcp: statsView(ep.rtcpStats) },
          // What whisperd sent to this participant, when its audio goes through the mixer.
          sent: out ? { framesMixed: out.framesMixed, framesByTimer: out.framesByTimer, packetsForwarded: out.packetsForwarded } : null,
          decodeErrors: input?.decodeErrors ?? 0,
          // Transport protocol, SRTP suite and keying, DTLS role/state, ICE state (as ng query shows them; issue #12).
          security: legSecurityState(leg!),
        }
      : null,
    output: outputModeName(mixer, p.tag),
    jitter: jitter ? jitterView(jitter) : null,
  };
}

/** One line of GET /v1/calls. */
export function callSummary(call: Call, supervision: SupervisionService): Record<string, unknown> {
  const sessions = supervision.sessionsOf(call);
  return {
    callId: call.callId,
    created: new Date(call.createdMs).toISOString(),
    participants: call.participants.size,
    supervisors: sessions.map((s) => ({ tag: s.tag, mode: s.mode, agentTag: s.agentTag, supervisor: s.supervisor ?? null })),
  };
}

/** GET /v1/calls/:callId. */
export function callDetail(call: Call, supervision: SupervisionService, engine: MediaEngine): Record<string, unknown> {
  const sessions = supervision.sessionsOf(call);
  const mixer = engine.mixer(call);
  return {
    callId: call.callId,
    created: new Date(call.createdMs).toISOString(),
    lastSignal: new Date(call.lastSignalMs).toISOString(),
    answered: call.answered,
    deleting: call.deleteTimer !== null,
    mixer: mixer ? { mixRate: mixer.mixRate } : null,
    participants: [...call.participants.values()].map((p) => participantView(p, sessions, mixer)),
    supervision: sessions.map((s) => sessionDetail(s, mixer)),
  };
}
