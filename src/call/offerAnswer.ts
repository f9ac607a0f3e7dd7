/**
 * Offer/answer: where a call's media routing is decided (rtpengine's call.c monologue_offer_answer).
 *
 *   offer(from=A, to=B?)  A's SDP sets A's legs' remote addresses; the reply, for B, carries the
 *                         local ports of B's legs (the sockets facing B), so B sends to whisperd.
 *   answer(from=A, to=B)  B's SDP sets B's legs' remote addresses; the reply, for A, carries A's ports.
 *
 * `from-tag` is always the offerer (Kamailio swaps tags for offers carried in replies), so a re-INVITE
 * from the callee is offer(from=B, to=A) and works the same way. Re-offers reuse existing legs: the
 * ports never change for the life of a participant. Relay wiring (A's endpoint forwards to B's and back)
 * is set here; the packet path only follows `forwardTo`.
 */
import { CallNotFoundError, InvalidStateError, MissingKeyError, SdpParseError } from '../errors';
import type { Logger } from '../log';
import type { NgParams } from '../control/ng/params';
import { Learning } from '../media/RtpEndpoint';
import { openEndpoint } from '../media/openEndpoint';
import type { PortPool } from '../media/PortPool';
import { parseSdp } from '../sdp/parse';
import { rewriteSdp } from '../sdp/rewrite';
import { applyCodecOps } from '../sdp/codecs';
import type { MediaSummary, ParsedSdp, Payload } from '../sdp/types';
import { findCodec } from '../codec/registry';
import type { MediaEngine } from '../mix/MediaEngine';
import { decideAnswer } from './negotiate';
import type { Call } from './Call';
import type { CallRegistry } from './CallRegistry';
import { MediaLeg } from './MediaLeg';
import { Participant } from './Participant';

export interface SignallingContext {
  registry: CallRegistry;
  pool: PortPool;
  log: Logger;
  /** Address sockets bind to. */
  mediaAddress: string;
  /** Address written into SDP. */
  advertisedAddress: string;
  /** Default endpoint learning (config media.endpointLearning). */
  learning: Learning;
  /** The media engine (mixing, transcoding), synced after every answer. */
  engine: MediaEngine;
}

export interface SignallingResult {
  sdp: string;
  warnings: string[];
}

const PENDING_TAG = '';

export function requireKey<T>(value: T | undefined, message: string): T {
  if (value === undefined || value === '') throw new MissingKeyError(message);
  return value;
}

function learningFrom(p: NgParams, fallback: Learning): Learning {
  if (p.flags.has('asymmetric')) return Learning.OFF;
  switch (p.endpointLearning) {
    case 'off':
      return Learning.OFF;
    case 'immediate':
      return Learning.IMMEDIATE;
    case 'delayed':
    case 'heuristic':
      return Learning.DELAYED;
    default:
      return p.flags.has('symmetric') || p.flags.has('port-latching') ? Learning.IMMEDIATE : fallback;
  }
}

function collectWarnings(p: NgParams): string[] {
  const warnings: string[] = [];
  const record = p.recordCall?.toLowerCase();
  if (p.flags.has('record-call') || record === 'yes' || record === 'on') {
    warnings.push('Call recording is not supported; flag ignored');
  }
  return warnings;
}

/** Make sure participant `p` has a leg for every m= line; new audio lines get a socket pair. */
export async function ensureLegs(ctx: SignallingContext, p: Participant, medias: MediaSummary[]): Promise<void> {
  for (let i = p.legs.length; i < medias.length; i++) {
    const m = medias[i]!;
    const wanted = m.type === 'audio' && m.port !== 0;
    const endpoint = wanted ? await openEndpoint(ctx.pool, ctx.mediaAddress) : null;
    p.legs.push(new MediaLeg(i, m.type, m.protocol, endpoint));
  }
}

/** Record what `p`'s own SDP says and point its legs at the addresses it gave. */
export function applyOwnSdp(p: Participant, sdp: ParsedSdp, params: NgParams, fallback: Learning): void {
  const learning = learningFrom(params, fallback);
  const useSipSource = params.flags.has('sip-source-address') && !params.flags.has('trust-address');
  for (let i = 0; i < sdp.medias.length; i++) {
    const m = sdp.medias[i]!;
    const leg = p.legs[i]!;
    leg.type = m.type;
    leg.protocol = m.protocol;
    leg.payloads = m.payloads.map((x) => ({ ...x }));
    leg.direction = m.direction;
    leg.ptime = m.ptime;
    leg.rtcpMux = m.rtcpMux;
    const ep = leg.endpoint;
    if (!ep) continue;
    ep.learning = learning;
    ep.strictSource = params.flags.has('strict-source');
    ep.mediaHandover = params.flags.has('media-handover');
    const address = useSipSource && params.receivedFrom ? params.receivedFrom.address : (m.connectionAddress ?? '0.0.0.0');
    const rtcpPort = m.rtcpMux ? m.port : m.rtcpPort;
    ep.setSdpRemote(address, m.port, rtcpPort);
  }
  p.hasSdp = true;
}

/** Relay wiring for a two-party dialogue: each side's input is forwarded to the other side. */
export function wireRelay(a: Participant, b: Participant): void {
  const n = Math.min(a.legs.length, b.legs.length);
  for (let i = 0; i < n; i++) {
    const ea = a.legs[i]!.endpoint;
    const eb = b.legs[i]!.endpoint;
    if (ea && eb) {
      ea.forwardTo = eb;
      eb.forwardTo = ea;
    }
  }
}

/** The SDP for `to`, built from `sdp` with `to`'s own local ports (and payload lists where decided). */
function rewriteFor(
  ctx: SignallingContext,
  sdp: ParsedSdp,
  to: Participant,
  params: NgParams,
  payloads: Array<Payload[] | undefined> = [],
): string {
  return rewriteSdp(sdp, {
    address: ctx.advertisedAddress,
    medias: sdp.medias.map((_m, i) => {
      const ep = to.legs[i]?.endpoint;
      if (!ep) return { port: 0, rtcpPort: 0 };
      const list = payloads[i];
      return list ? { port: ep.localPort, rtcpPort: ep.localPort + 1, payloads: list } : { port: ep.localPort, rtcpPort: ep.localPort + 1 };
    }),
    replaceOrigin: params.replace.has('origin'),
    replaceSessionConnection: params.replace.has('session-connection'),
    removeIce: params.ice?.toLowerCase() === 'remove',
    ...(params.transportProtocol ? { transportProtocol: params.transportProtocol } : {}),
  });
}

export function parseOrThrow(text: string | undefined): ParsedSdp {
  const sdpText = requireKey(text, 'No SDP body in message');
  try {
    return parseSdp(sdpText);
  } catch (err) {
    if (err instanceof SdpParseError) throw err;
    throw new SdpParseError(String(err));
  }
}

export async function offer(ctx: SignallingContext, params: NgParams): Promise<SignallingResult> {
  const sdp = parseOrThrow(params.sdp);
  const callId = requireKey(params.callId, 'No call-id in message');
  const fromTag = requireKey(params.fromTag, 'No from-tag in message');
  const call = ctx.registry.getOrCreate(callId);
  const isNewCall = call.participants.size === 0;
  try {
    let a = call.participant(fromTag);
    if (!a) {
      a = new Participant(fromTag);
      call.participants.set(fromTag, a);
    }
    if (a.role === 'supervisor') throw new InvalidStateError('Operation not allowed on a supervisor leg');
    if (params.label) a.label = params.label;
    if (params.viaBranch) a.viaBranch = params.viaBranch;
    let b = a.peer ?? (params.toTag ? call.participant(params.toTag) : undefined);
    if (!b) {
      b = new Participant(params.toTag ?? PENDING_TAG);
      call.participants.set(b.tag, b);
    }
    if (params.toLabel) b.label = params.toLabel;
    a.peer = b;
    b.peer = a;
    await ensureLegs(ctx, a, sdp.medias);
    await ensureLegs(ctx, b, sdp.medias);
    applyOwnSdp(a, sdp, params, ctx.learning);
    wireRelay(a, b);
    const advertise = advertisedPayloads(sdp, params);
    for (let i = 0; i < sdp.medias.length; i++) a.legs[i]!.advertised = advertise[i] ?? null;
    call.touch();
    return { sdp: rewriteFor(ctx, sdp, b, params, advertise), warnings: collectWarnings(params) };
  } catch (err) {
    if (isNewCall) ctx.registry.destroy(call, 'error');
    throw err;
  }
}

export async function answer(ctx: SignallingContext, params: NgParams): Promise<SignallingResult> {
  const sdp = parseOrThrow(params.sdp);
  const callId = requireKey(params.callId, 'No call-id in message');
  const fromTag = requireKey(params.fromTag, 'No from-tag in message');
  const toTag = requireKey(params.toTag, 'No to-tag in message');
  const call = ctx.registry.get(callId);
  if (!call) throw new CallNotFoundError();
  const a = call.participant(fromTag);
  const b = a?.peer;
  if (!a || !b) throw new InvalidStateError('Invalid dialogue association');
  if (b.tag !== toTag) {
    // The answerer's tag becomes known now (or a different fork answered: the latest answer wins).
    const clash = call.participant(toTag);
    if (clash && clash !== b) throw new InvalidStateError('Invalid dialogue association');
    call.retag(b, toTag);
  }
  if (params.label) a.label = params.label;
  if (params.toLabel) b.label = params.toLabel;
  await ensureLegs(ctx, b, sdp.medias);
  applyOwnSdp(b, sdp, params, ctx.learning);
  wireRelay(a, b);
  const toOfferer: Array<Payload[] | undefined> = [];
  for (let i = 0; i < sdp.medias.length; i++) {
    const la = a.legs[i];
    const lb = b.legs[i];
    if (!la || !lb || sdp.medias[i]!.type !== 'audio' || sdp.medias[i]!.port === 0) continue;
    const d = decideAnswer(la.payloads, lb.payloads);
    la.codec = d.offerer;
    lb.codec = d.answerer;
    toOfferer[i] = d.answerPayloads;
  }
  call.answered = true;
  call.lastMediaMs = Date.now();
  call.touch();
  ctx.engine.sync(call);
  return { sdp: rewriteFor(ctx, sdp, a, params, toOfferer), warnings: collectWarnings(params) };
}

/** Per m= line, the payload list to offer the other side after the `codec` operations, or undefined. */
function advertisedPayloads(sdp: ParsedSdp, params: NgParams): Array<Payload[] | undefined> {
  const c = params.codec;
  if (c.strip.length + c.offer.length + c.transcode.length + c.mask.length === 0) return [];
  const supported = (encoding: string): boolean => findCodec(encoding) !== null;
  return sdp.medias.map((m) =>
    m.type === 'audio' && m.port !== 0
      ? applyCodecOps(m.payloads, { strip: c.strip, offer: c.offer, transcode: c.transcode, mask: c.mask, except: c.except }, supported).advertise
      : undefined,
  );
}

/** Participants matching a delete's tags, or null if the tags match nobody. */
export function findByTags(call: Call, fromTag?: string, toTag?: string): Participant[] | null {
  const out: Participant[] = [];
  for (const tag of [fromTag, toTag]) {
    if (tag === undefined || tag === '') continue;
    const p = call.participant(tag);
    if (!p) return null;
    out.push(p);
  }
  return out;
}
