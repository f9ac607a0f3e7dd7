/**
 * rtpengine's media-control commands (call_interfaces.c, rtpengine 10.5), executed on the packet path as
 * plain per-endpoint switches decided here, at command time (the call's switches: src/call/mediaSwitches.ts;
 * src/media/RtpEndpoint.ts MediaPolicy,
 * src/media/dtmfInject.ts):
 *
 *   block DTMF / unblock DTMF      the party's RFC 4733 telephone-event packets are dropped (counted:
 *                                  whisperd_packets_dropped_total{reason="dtmf_blocked"}); DTMF-security
 *                                  `drop` (default) or `off`
 *   block media / unblock media    the party's media packets (not its DTMF) are dropped (media_blocked)
 *   silence media / unsilence media  the party's G.711 audio is replaced by silence
 *   play DTMF                      an event played into the party's outgoing stream (towards its peer)
 *
 * Selection (select.ts): `from-tag`, `label`, `address` -> that participant ("directional": what it
 * sends); only `call-id` -> the whole call. As in rtpengine, a whole-call block and a participant's own
 * block are separate: `unblock` of the whole call keeps participants' own blocks unless flag `all`.
 * Every command computes what it changes, then commits; a failed one changes nothing.
 */
import type { MediaLeg } from '../../../call/MediaLeg';
import { dtmfPtOf } from '../../../call/negotiate';
import { BadRequestError, InvalidStateError } from '../../../errors';
import { DtmfInjector, type DtmfInjectEvent } from '../../../media/dtmfInject';
import { g711PtOf, setMediaSwitch, type MediaSwitch } from '../../../call/mediaSwitches';
import type { NgDict } from '../bencode';
import type { NgParams } from '../params';
import type { CommandContext } from './context';
import type { NgRequest } from '../NgServer';
import { commitLabel, selectedParties, selectParticipant } from './select';

function blockCommand(which: MediaSwitch, on: boolean) {
  return (ctx: CommandContext, req: NgRequest): NgDict => {
    const p = req.params;
    const sel = selectParticipant(ctx, p);
    let value = on;
    let replace = -1;
    if (which === 'blockDtmf' && on) {
      const mode = p.dtmfSecurity ?? 'drop';
      if (mode === 'off') value = false;
      else if (mode === 'zero') replace = 0;
      else if (mode === 'dtmf') replace = p.digit === undefined ? 0 : dtmfCode(p);
      else if (mode !== 'drop') throw new BadRequestError(`DTMF-security mode '${mode}' is not supported (drop, zero, DTMF, off)`);
    }
    setMediaSwitch(sel.call, sel.participant ?? null, which, value, sel.all || p.flags.has('all'), replace);
    commitLabel(sel, p);
    return { result: 'ok' };
  };
}

export const blockDtmfCommand = blockCommand('blockDtmf', true);
export const unblockDtmfCommand = blockCommand('blockDtmf', false);
export const blockMediaCommand = blockCommand('blockMedia', true);
export const unblockMediaCommand = blockCommand('blockMedia', false);
export const silenceMediaCommand = blockCommand('silenceMedia', true);
export const unsilenceMediaCommand = blockCommand('silenceMedia', false);

const DTMF_CHARS = '0123456789*#ABCD';

/** `code`/`digit` as rtpengine reads it: an integer 0..15, one character, or a decimal string; missing = '0'. */
function dtmfCode(p: NgParams): number {
  const d = p.digit;
  let code: number;
  if (d === undefined) code = 0;
  else if (typeof d === 'number') code = d;
  else if (d.length === 1) code = DTMF_CHARS.indexOf(d.toUpperCase());
  else code = /^\s*-?\d+\s*$/.test(d) ? Number(d) : -1;
  if (!Number.isInteger(code) || code < 0 || code > 15) throw new BadRequestError("Out of range 'code' specified");
  return code;
}

function clampMs(v: number | undefined, dflt: number): number {
  if (!v) return dflt;
  return Math.min(5000, Math.max(100, v));
}

export function playDtmfCommand(ctx: CommandContext, req: NgRequest): NgDict {
  const p = req.params;
  const sel = selectParticipant(ctx, p);
  const parties = selectedParties(sel);
  const durationMs = clampMs(p.duration, 250);
  const pauseMs = clampMs(p.pause, 100);
  const code = dtmfCode(p);
  // rtpengine: volume in -dB; positive given as negative; absent = 9999 (its "unset"), which the
  // event field reads as 63 and the tone generator as its 6-bit remainder.
  let vol = p.volume ?? 9999;
  if (vol > 0) vol = -vol;
  const event: DtmfInjectEvent = { code, volume: vol > 0 ? 0 : vol >= -63 ? -vol : 63, toneVolume: -vol & 63, durationMs, pauseMs };
  // Compute every change first: a refused party leaves every other one as it was.
  const plan: Array<{ leg: MediaLeg; injector: DtmfInjector }> = [];
  const viaMix: string[] = []; // (M) parties whose audio a transcode output of the call's mixer carries
  for (const party of parties) {
    const leg = party.liveAudioLeg();
    if (!leg) throw new InvalidStateError('Monologue has no media capable of DTMF injection');
    const sink = party.peer?.liveAudioLeg() ?? null;
    if (!sink) continue; // nobody to hear it (rtpengine: no subscriber, nothing to do)
    const ep = leg.endpoint!;
    if (ep.engine !== null || sel.call.mixer) {
      // (M) A call with a mixer (its endpoints feed it, on Node or a media thread): the mixer's transcode
      // outputs inject it (events or in-band tones); other mixed outputs cannot yet.
      if (!sel.call.mixer?.canInjectDtmf?.(party.tag)) throw new InvalidStateError('DTMF injection into a mixed or transcoded call is not supported');
      viaMix.push(party.tag);
      continue;
    }
    const clockRate = leg.codec?.codec.clockRate ?? 8000;
    const rfcPt = sink.codec?.dtmfPt ?? dtmfPtOf(sink.payloads, clockRate);
    const ulawPt = g711PtOf(leg, 'PCMU');
    const alawPt = g711PtOf(leg, 'PCMA');
    if (rfcPt < 0 && ulawPt < 0 && alawPt < 0) throw new InvalidStateError('No suitable codec handler present');
    let injector = ep.dtmfInjector;
    if (!injector || injector.rfcPt !== rfcPt || injector.clockRate !== clockRate || injector.ulawPt !== ulawPt || injector.alawPt !== alawPt) {
      const fresh = new DtmfInjector(clockRate, rfcPt, ulawPt, alawPt);
      if (injector) fresh.seqOffset = injector.seqOffset;
      injector = fresh;
    }
    if (!injector.canEnqueue) throw new InvalidStateError('Too many DTMF events queued');
    plan.push({ leg, injector });
  }
  for (const tag of viaMix) sel.call.mixer!.injectDtmf!(tag, event.code, event.volume, event.toneVolume, event.durationMs, event.pauseMs);
  for (const { leg, injector } of plan) {
    injector.enqueue(event);
    leg.endpoint!.dtmfInjector = injector; // (re-)set: the endpoint leaves the native relay while it has events
  }
  commitLabel(sel, p);
  return { result: 'ok' };
}
