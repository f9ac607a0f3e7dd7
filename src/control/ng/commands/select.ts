/**
 * Participant selection of rtpengine's media-control commands (`play media`, `stop media`, `play DTMF`,
 * `block DTMF`, `block media`, `silence media` and their `un-` forms; call_interfaces.c
 * media_block_match): `call-id`, then one of `label` (or `from-label`), `address` (the SDP media address
 * a participant announced), `from-tag`; the flag `all` selects the whole call. Errors are rtpengine's
 * texts. `set-label` (or `to-label`) relabels the selected participant — applied by `commitLabel`
 * once the command has succeeded, so a failed command changes nothing.
 */
import net from 'node:net';
import type { Call } from '../../../call/Call';
import type { Participant } from '../../../call/Participant';
import { requireKey } from '../../../call/offerAnswer';
import { BadRequestError, CallNotFoundError, TagNotFoundError } from '../../../errors';
import type { NgParams } from '../params';
import type { CommandContext } from './context';

export interface Selection {
  call: Call;
  /** The selected participant; null when the whole call is meant (only `call-id`, or flag `all`). */
  participant: Participant | null;
  /** Flag `all` was given. */
  all: boolean;
}

export function selectParticipant(ctx: CommandContext, p: NgParams): Selection {
  const callId = requireKey(p.callId, 'No call-id in message');
  const call = ctx.registry.get(callId);
  if (!call || call.closed) throw new CallNotFoundError('Unknown call-ID');
  if (p.flags.has('all')) return { call, participant: null, all: true };
  let participant: Participant | null = null;
  if (p.label !== undefined && p.label !== '') {
    for (const x of call.participants.values()) if (x.label === p.label) participant = x;
    if (!participant) throw new TagNotFoundError('No monologue matching the given label');
  } else if (p.address !== undefined && p.address !== '') {
    if (net.isIP(p.address) === 0) throw new BadRequestError('Failed to parse network address');
    for (const x of call.participants.values()) {
      if (x.legs.some((l) => l.endpoint !== null && l.endpoint.sdpAddress === p.address)) {
        participant = x;
        break;
      }
    }
    if (!participant) throw new TagNotFoundError('Failed to match address to any tag');
  } else if (p.fromTag !== undefined && p.fromTag !== '') {
    participant = call.participant(p.fromTag) ?? null;
    if (!participant) throw new TagNotFoundError('From-tag given, but no such tag exists');
  }
  return { call, participant, all: false };
}

/** The selected participants, or every party of the call with `all`; none -> rtpengine's error. */
export function selectedParties(sel: Selection): Participant[] {
  if (sel.all) return [...sel.call.participants.values()].filter((x) => x.hasSdp);
  if (!sel.participant) throw new BadRequestError('No participant party specified');
  return [sel.participant];
}

/** `set-label` / `to-label`: relabel the selected participant (after the command succeeded). */
export function commitLabel(sel: Selection, p: NgParams): void {
  const label = p.setLabel ?? p.toLabel;
  if (sel.participant && label !== undefined && label !== '') sel.participant.label = label;
}
