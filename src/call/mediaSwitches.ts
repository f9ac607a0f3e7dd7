/**
 * The media-control switches of a call (rtpengine's block DTMF / block media / silence media, per call
 * and per participant), kept with the call and turned into per-endpoint policies
 * (src/media/RtpEndpoint.ts MediaPolicy) with the parties' current payload numbers. The ng commands
 * (src/control/ng/commands/mediaControl.ts) set them; offer/answer re-apply them at commit, since a
 * re-offer may renumber telephone-event / PCMU / PCMA.
 */
import { MediaPolicy } from '../media/RtpEndpoint';
import type { Call } from './Call';
import type { MediaLeg } from './MediaLeg';
import type { Participant } from './Participant';

/** The switches set on the whole call or on one participant. */
export interface Switches {
  blockDtmf: boolean;
  blockMedia: boolean;
  silenceMedia: boolean;
  /** DTMF-security zero / DTMF: the event code written into telephone-event packets, -1 none. */
  dtmfReplace: number;
}

const callSwitches = new WeakMap<Call, Switches>();
const partySwitches = new WeakMap<Participant, Switches>();

function switchesOf<K extends object>(map: WeakMap<K, Switches>, key: K): Switches {
  let s = map.get(key);
  if (!s) {
    s = { blockDtmf: false, blockMedia: false, silenceMedia: false, dtmfReplace: -1 };
    map.set(key, s);
  }
  return s;
}

function isTelephoneEvent(encoding: string): boolean {
  return encoding.toLowerCase() === 'telephone-event';
}

/** The leg's payload type for PCMU or PCMA at 8000 (a static PT listed without rtpmap counts), -1 none. */
export function g711PtOf(leg: MediaLeg, encoding: 'PCMU' | 'PCMA'): number {
  const p = leg.payloads.find((x) => x.encoding.toUpperCase() === encoding && (x.clockRate === 8000 || x.clockRate === 0));
  if (p) return p.pt;
  // static payload types a phone may list without rtpmap
  const staticPt = encoding === 'PCMU' ? 0 : 8;
  return leg.payloads.some((x) => x.pt === staticPt && x.encoding === '') ? staticPt : -1;
}

/**
 * Re-derive and set every endpoint switch of the call (call-wide OR the participant's own), with the
 * parties' current payload numbers: offer/answer call it at commit (a re-offer may renumber
 * telephone-event / PCMU / PCMA). Cheap when no switch is set.
 */
export function reapplyMediaSwitches(call: Call): void {
  applySwitches(call);
}

function applySwitches(call: Call): void {
  const c = callSwitches.get(call);
  for (const p of call.participants.values()) {
    const own = partySwitches.get(p);
    let policy = 0;
    // DTMF: the call's mode when it has one, else the participant's (rtpengine dtmf_get_block_mode).
    const dtmfScope = c && (c.blockDtmf || c.dtmfReplace >= 0) ? c : own;
    const dtmfReplace = dtmfScope?.dtmfReplace ?? -1;
    if (dtmfScope?.blockDtmf) policy |= MediaPolicy.BLOCK_DTMF;
    else if (dtmfReplace >= 0) policy |= MediaPolicy.REPLACE_DTMF;
    if (c?.blockMedia || own?.blockMedia) policy |= MediaPolicy.BLOCK_MEDIA;
    if (c?.silenceMedia || own?.silenceMedia) policy |= MediaPolicy.SILENCE_MEDIA;
    for (const leg of p.legs) {
      const ep = leg.endpoint;
      if (!ep) continue;
      if (policy === 0 && ep.mediaPolicy === 0) continue;
      const te = leg.payloads.filter((x) => isTelephoneEvent(x.encoding)).map((x) => x.pt);
      ep.setMediaPolicy({ policy, dtmfPts: [te[0] ?? -1, te[1] ?? -1], ulawPt: g711PtOf(leg, 'PCMU'), alawPt: g711PtOf(leg, 'PCMA'), dtmfReplace: Math.max(0, dtmfReplace) });
    }
  }
}

export type MediaSwitch = 'blockDtmf' | 'blockMedia' | 'silenceMedia';

/**
 * block/unblock one switch for one participant or, with `participant` null, the whole call (rtpengine:
 * monologue or whole call; `all` on unblock clears every participant's too). For DTMF, `replace` (>= 0)
 * is DTMF-security zero / DTMF instead of drop.
 */
export function setMediaSwitch(call: Call, participant: Participant | null, which: MediaSwitch, on: boolean, all: boolean, replace = -1): void {
  const set = (s: Switches, v: boolean): void => {
    s[which] = v && replace < 0;
    if (which === 'blockDtmf') s.dtmfReplace = v ? replace : -1;
  };
  if (participant) {
    set(switchesOf(partySwitches, participant), on);
  } else {
    set(switchesOf(callSwitches, call), on);
    if (!on && all) for (const p of call.participants.values()) set(switchesOf(partySwitches, p), false);
  }
  applySwitches(call);
}

/** (takeover) The ng media switches of a call, JSON-safe: the call's and each participant's (by tag). */
export interface SwitchesState {
  call: Switches | null;
  parties: Array<[tag: string, switches: Switches]>;
}

/** (takeover) The call's switches (null when none was ever set). */
export function switchesState(call: Call): SwitchesState | null {
  const c = callSwitches.get(call);
  const parties: Array<[string, Switches]> = [];
  for (const p of call.participants.values()) {
    const s = partySwitches.get(p);
    if (s) parties.push([p.tag, { ...s }]);
  }
  return c || parties.length > 0 ? { call: c ? { ...c } : null, parties } : null;
}

/** (takeover) Put a call's switches back (replacing the call-level ones) and apply them to its endpoints. */
export function restoreSwitches(call: Call, state: SwitchesState | null): void {
  callSwitches.set(call, state?.call ? { ...state.call } : { blockDtmf: false, blockMedia: false, silenceMedia: false, dtmfReplace: -1 });
  for (const [tag, s] of state?.parties ?? []) {
    const p = call.participant(tag);
    if (p) partySwitches.set(p, { ...s });
  }
  applySwitches(call);
}
