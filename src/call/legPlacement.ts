/**
 * Which local address a participant's legs use, and which address whisperd writes into the SDP sent to
 * it — decided at offer/answer time, as rtpengine 10.5 does (daemon/call.c `__media_init_from_flags`,
 * `__init_interface`; daemon/sdp.c `replace_network_address`):
 *
 *   offer(from=A, to=B)   A's legs (facing the offerer): interface `direction[0]`, the family of the
 *                         address in A's own SDP; B's legs (facing the recipient): interface
 *                         `direction[1]`, the family `address family` asks for, else the offerer's family;
 *   answer(from=A, to=B)  B's new legs: interface `direction[0]`, the family of B's SDP.
 *
 * A participant's existing legs keep their address (the ports of a participant never change), so new
 * legs of a participant join the interface its first leg is on. The SDP sent to a participant carries
 * the advertised address of the interface address its legs are bound to; ng `media address` overrides
 * it (any family, written as given, zero addresses included).
 */
import { isIP } from 'node:net';
import type { NgParams } from '../control/ng/params';
import { canonicalIp, familyOf, familyOfAddress, type Family, type Interfaces } from '../media/interfaces';
import type { ParsedSdp } from '../sdp/types';
import { infoRateLimited, type Logger } from '../log';
import type { Participant } from './Participant';

export interface PlacementContext {
  interfaces?: Interfaces;
  mediaAddress: string;
  advertisedAddress: string;
  log: Logger;
}

/** The address the legs of `p` are bound to, or undefined when it has no socket yet. */
export function boundAddress(p: Participant): string | undefined {
  for (const leg of p.legs) if (leg.endpoint) return leg.endpoint.localAddress;
  return undefined;
}

/**
 * The family a party's SDP speaks: the address its media comes from (`received from` when the proxy
 * says to use the SIP source, else the first c= address, zero addresses included: 0.0.0.0 is IPv4).
 */
export function sdpFamily(sdp: ParsedSdp, sourceAddress: string | null): Family | undefined {
  if (sourceAddress !== null) return familyOfAddress(sourceAddress);
  for (const m of sdp.medias) if (m.connectionAddress !== null) return familyOfAddress(m.connectionAddress);
  return undefined;
}

/** Bind address for new legs of `p`: its existing legs' address, else interface `name` in `family`. */
export function placeLegs(ctx: PlacementContext, p: Participant, name: string | undefined, family: Family | undefined): string {
  const bound = boundAddress(p);
  if (bound !== undefined) return bound;
  if (ctx.interfaces === undefined) return ctx.mediaAddress;
  const sel = ctx.interfaces.select(name, family);
  if (sel.warning !== undefined) infoRateLimited(ctx.log, `interface:${sel.warning}`, { interface: name, family }, sel.warning);
  return sel.address.bind;
}

/** offer: bind addresses for the offerer's (`a`) and the recipient's (`b`) new legs. */
export function placeOffer(ctx: PlacementContext, params: NgParams, sdp: ParsedSdp, sourceAddress: string | null, a: Participant, b: Participant): { a: string; b: string } {
  const offerer = sdpFamily(sdp, sourceAddress);
  return {
    a: placeLegs(ctx, a, params.direction[0], offerer),
    b: placeLegs(ctx, b, params.direction[1], familyOf(params.addressFamily) ?? offerer),
  };
}

/** answer: bind address for the answerer's (`b`) new legs. */
export function placeAnswer(ctx: PlacementContext, params: NgParams, sdp: ParsedSdp, sourceAddress: string | null, b: Participant): string {
  return placeLegs(ctx, b, params.direction[0], sdpFamily(sdp, sourceAddress));
}

/** The address written into the SDP for `to`: ng `media address`, else the advertised address of its legs. */
export function advertisedFor(ctx: PlacementContext, params: NgParams, to: Participant): string {
  const forced = params.mediaAddress?.trim();
  if (forced !== undefined && isIP(forced) !== 0) return canonicalIp(forced);
  return advertisedOf(ctx, to);
}

/** The advertised address of the interface address `p`'s legs are bound to (default: ctx.advertisedAddress). */
export function advertisedOf(ctx: PlacementContext, p: Participant): string {
  const bound = boundAddress(p);
  if (bound !== undefined && ctx.interfaces !== undefined) {
    const a = ctx.interfaces.ofBind(bound);
    if (a !== undefined) return a.advertised;
  }
  return ctx.advertisedAddress;
}

/** True when ng `media address` is set (it replaces zero addresses too, as rtpengine does). */
export function hasMediaAddress(params: NgParams): boolean {
  const forced = params.mediaAddress?.trim();
  return forced !== undefined && isIP(forced) !== 0;
}
