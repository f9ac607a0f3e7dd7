/**
 * Offer/answer: where a call's media routing is decided (rtpengine's call.c monologue_offer_answer).
 *
 *   offer(from=A, to=B?)  A's SDP sets A's legs' remote addresses; the reply, for B, carries the
 *                         local ports of B's legs (the sockets facing B), so B sends to whisperd.
 *   answer(from=A, to=B)  B's SDP sets B's legs' remote addresses; the reply, for A, carries A's ports.
 *
 * `from-tag` is always the offerer (Kamailio swaps tags for offers carried in replies), so a re-INVITE
 * from the callee is offer(from=B, to=A) and works the same way. Re-offers reuse existing legs; as in
 * rtpengine, a re-offer announcing another address:port for a line gives the recipient a new socket
 * pair for it (renewLegs; not with ng flag port-latching). Relay wiring (A's endpoint forwards to B's
 * and back) is set here; the packet path only follows `forwardTo`. What the reply SDP says beyond
 * ports and codecs (rtcp-mux, ptime, a=mid, o= version) is decided in src/call/sdpOut.ts.
 */
import { BadRequestError, CallNotFoundError, InvalidStateError, MissingKeyError, SdpParseError } from '../errors';
import type { Logger } from '../log';
import type { NgParams } from '../control/ng/params';
import { Learning, type RtpEndpoint } from '../media/RtpEndpoint';
import { openEndpoint } from '../media/openEndpoint';
import { pickMediaThread } from '../media/nativeRelay';
import type { PortPool } from '../media/PortPool';
import { isRtpProtocol, parseSdp } from '../sdp/parse';
import { isZeroAddress } from '../sdp/direction';
import { rewriteSdp, type RewritePlan } from '../sdp/rewrite';
import { alreadyProcessed, commitMedias, commitSession, decideMedias, mediaRewriteFor, renderWithVersion, sessionOptions, type MediaDecision, type SdpSessionState } from './sdpOut';
import type { MediaSummary, ParsedSdp, Payload } from '../sdp/types';
import { applyMediaEcho, type MediaEngine } from './MediaEngine';
import { negotiateAnswer, negotiateOffer } from './negotiate';
import type { Call } from './Call';
import type { LegOptions } from './legOptions';
import type { CallRegistry } from './CallRegistry';
import { MediaLeg } from './MediaLeg';
import { advertisedFor, boundAddress, hasMediaAddress, placeAnswer, placeOffer } from './legPlacement';
import type { Interfaces } from '../media/interfaces';
import { Participant } from './Participant';
import { planT38Answer, planT38Offer, syncT38Media } from './t38';
import { reapplyMediaSwitches } from './mediaSwitches';
import './legDtls'; // (S) DTLS for the legs (helper D's src/media/dtls)
import { applyLegSecurity, commitSecurity, decideSecurity, iceAddressesFor, iceLines, iceLiteLine, recipientTalksIce, type SecurityPlan } from './legSecurity';

export interface SignallingContext {
  registry: CallRegistry;
  pool: PortPool;
  log: Logger;
  /** Address sockets bind to (the default interface's; supervisor legs, and legs when `interfaces` is unset). */
  mediaAddress: string;
  /** Address written into SDP (with mediaAddress). */
  advertisedAddress: string;
  /** Logical interfaces (config media.interfaces): legs are placed per participant (src/call/legPlacement.ts). */
  interfaces?: Interfaces;
  /** Default endpoint learning (config media.endpointLearning). */
  learning: Learning;
  /** The media engine (mixing, transcoding), synced after every answer. */
  engine: MediaEngine;
  /** Most m= lines one SDP may carry (config limits.maxMediaPerOffer); more: TOO_MANY_MEDIA. */
  maxMediaPerOffer: number;
  /**
   * Takeover replay only (src/cluster/restore.ts): opens each leg's socket pair on the port the lost node
   * had (in the order the original commands opened them) instead of the pool's next free pair.
   */
  replayOpen?: (address: string) => Promise<RtpEndpoint>;
}

/** A socket pair for a leg: the next free pair, or during a takeover replay the recorded port. */
async function openLegEndpoint(ctx: SignallingContext, address: string, undo?: Undo): Promise<RtpEndpoint> {
  const endpoint = ctx.replayOpen ? await ctx.replayOpen(address) : await openEndpoint(ctx.pool, address);
  undo?.opened.push(endpoint.localPort);
  return endpoint;
}

/**
 * Called with the result of offer/answer after everything is computed and before any of it is applied
 * to the call: throwing here (e.g. the ng reply would not fit in a datagram) fails the command, and the
 * call is left exactly as it was.
 */
export type ResultCheck = (result: SignallingResult) => void;

/** Error text when an SDP has more m= lines than limits.maxMediaPerOffer (exact, stable). */
export const TOO_MANY_MEDIA = 'Too many media lines in SDP';

/**
 * Most parties (not supervisors) signalling may create in one call: offerers, answerers, forked branches
 * (via-branch) and to-tags nobody has yet each get a participant with sockets, kept until the call ends.
 * Without a bound, offers carrying ever new tags would take the port pool from every other call.
 */
export const MAX_PARTIES_PER_CALL = 32;
/** Error text when an offer would add a party beyond MAX_PARTIES_PER_CALL (exact, stable). */
export const TOO_MANY_PARTIES = 'Too many participants in call';

function checkPartyCount(call: Call): void {
  let n = 0;
  for (const p of call.participants.values()) if (p.role !== 'supervisor') n++;
  if (n >= MAX_PARTIES_PER_CALL) throw new BadRequestError(TOO_MANY_PARTIES);
}

export interface SignallingResult {
  sdp: string;
  warnings: string[];
}

const PENDING_TAG = '';
/**
 * Tag of a not-yet-answered other side while '' is taken (another offerer's, or another via-branch of
 * the same offer): each untagged participant keeps its own entry (and its sockets) until answered.
 */
const BRANCH_PREFIX = '\u0000branch:';

/** The participant has not answered yet (it has no SIP tag of its own). */
function untagged(p: Participant): boolean {
  return p.tag === PENDING_TAG || p.tag.startsWith(BRANCH_PREFIX);
}

function pendingTag(call: Call, viaBranch: string | undefined): string {
  if (!call.participants.has(PENDING_TAG)) return PENDING_TAG;
  const base = BRANCH_PREFIX + (viaBranch ?? '');
  let tag = base;
  for (let n = 1; call.participants.has(tag); n++) tag = `${base}#${n}`;
  return tag;
}

/** The untagged other side `a` offered on via-branch `viaBranch` (rtpengine call->viabranches). */
function branchOf(call: Call, a: Participant, viaBranch: string): Participant | undefined {
  for (const x of call.participants.values()) if (x.peer === a && untagged(x) && x.branch === viaBranch) return x;
  return undefined;
}

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

/**
 * The undo log of one command: what a command changed before it could fail, as inverse actions run
 * newest first when it fails (a failed command changes nothing). Each action runs at most once.
 */
export class Undo {
  private readonly steps: Array<() => void> = [];
  /** RTP ports this command opened, in order (Call.signalLog: a standby replays them). */
  readonly opened: number[] = [];

  push(step: () => void): void {
    this.steps.push(step);
  }

  run(): void {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        step();
      } catch {
        // An inverse action must not stop the others (each only closes or restores what was made).
      }
    }
  }
}

/** Refuse an SDP with more m= lines than the configured bound, before anything is allocated. */
export function checkMediaCount(ctx: SignallingContext, medias: readonly MediaSummary[]): void {
  if (medias.length > ctx.maxMediaPerOffer) throw new BadRequestError(TOO_MANY_MEDIA);
}

/**
 * Close and give back the legs of `p` from index `from` on (ports released at once). A socket already
 * closed (its call was closed meanwhile, which gave its port back) is not released a second time: the
 * port may belong to another call by now.
 */
export function dropLegs(ctx: SignallingContext, p: Participant, from: number): void {
  while (p.legs.length > from) {
    const leg = p.legs.pop()!;
    const ep = leg.endpoint;
    if (ep && !ep.isClosed) {
      leg.close();
      ctx.pool.release(ep.localPort);
    }
  }
}

/**
 * Make sure participant `p` has a leg for every m= line; new audio lines get a socket pair. On failure
 * (e.g. "Ran out of ports") the legs added by this call are closed and their ports released; with
 * `undo`, they are also closed when the command fails later.
 */
export async function ensureLegs(ctx: SignallingContext, call: Call, p: Participant, medias: MediaSummary[], undo?: Undo, bind?: string): Promise<void> {
  checkMediaCount(ctx, medias);
  const before = p.legs.length;
  // Every m= line with a port gets a socket pair and is relayed (audio, video, T.38 image, BFCP
  // application, ...), as rtpengine does; only m=message (MSRP over TCP) is passed through untouched.
  // A supervisor's phone (whisperd answers it itself) only gets its audio line.
  const wanted = (m: MediaSummary): boolean => m.port !== 0 && m.type !== 'message' && (p.role !== 'supervisor' || m.type === 'audio');
  const open = async (): Promise<RtpEndpoint> => {
    const endpoint = await openLegEndpoint(ctx, bind ?? boundAddress(p) ?? ctx.mediaAddress, undo);
    if (endpoint.nativeRelay) {
      // A call and all its legs live on one media thread, chosen here, at offer time.
      if (call.mediaThread < 0) call.mediaThread = pickMediaThread();
      endpoint.mediaThreadHint = call.mediaThread;
    }
    return endpoint;
  };
  // A line rejected earlier (port 0: no sockets) and offered again with a port (RFC 3264 §8.2 re-uses
  // its slot) gets its socket pair now.
  const reopened: MediaLeg[] = [];
  const unopen = (): void => {
    for (const leg of reopened) {
      const ep = leg.endpoint;
      leg.endpoint = null;
      if (ep && !ep.isClosed) {
        ep.close();
        ctx.pool.release(ep.localPort);
      }
    }
  };
  try {
    for (let i = 0; i < Math.min(before, medias.length); i++) {
      const leg = p.legs[i]!;
      if (leg.endpoint !== null || !wanted(medias[i]!)) continue;
      reopened.push(leg);
      leg.endpoint = await open();
    }
    for (let i = p.legs.length; i < medias.length; i++) {
      const m = medias[i]!;
      p.legs.push(new MediaLeg(i, m.type, m.protocol, wanted(m) ? await open() : null));
    }
  } catch (err) {
    dropLegs(ctx, p, before);
    unopen();
    throw err;
  }
  if (undo && reopened.length > 0) undo.push(unopen);
  if (undo && p.legs.length > before) undo.push(() => dropLegs(ctx, p, before));
}

/** Remove a participant this command created (its ports released at once). */
function dropParticipant(ctx: SignallingContext, call: Call, p: Participant): void {
  ctx.registry.releasePorts(call.removeParticipant(p));
}

/** After an await: the call may have been deleted meanwhile (a delete racing this command): "Unknown call-id". */
export function requireAlive(call: Call): void {
  if (call.closed) throw new CallNotFoundError();
}

/** The ng flags and keys that steer a leg, as the call layer's LegOptions. */
export function legOptionsFromNg(params: NgParams, fallback: Learning): LegOptions {
  const useSipSource = params.flags.has('sip-source-address') && !params.flags.has('trust-address');
  return {
    learning: learningFrom(params, fallback),
    strictSource: params.flags.has('strict-source'),
    mediaHandover: params.flags.has('media-handover'),
    sourceAddress: useSipSource && params.receivedFrom ? params.receivedFrom.address : null,
  };
}

/** Record what `p`'s own SDP says and point its legs at the addresses it gave, with the leg options decided (legOptionsFromNg). */
export function applyLegSdp(p: Participant, sdp: ParsedSdp, opts: LegOptions): void {
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
    // Only a changed policy is written: on a natively relayed endpoint each write is a command to its
    // media thread (and a wake-up of that thread), so re-writing the same value costs without effect.
    if (ep.learning !== opts.learning) ep.learning = opts.learning;
    if (ep.strictSource !== opts.strictSource) ep.strictSource = opts.strictSource;
    if (ep.mediaHandover !== opts.mediaHandover) ep.mediaHandover = opts.mediaHandover;
    const address = opts.sourceAddress ?? m.connectionAddress ?? '0.0.0.0';
    const rtcpPort = m.rtcpMux ? m.port : m.rtcpPort;
    leg.sdpRemote = { address, port: m.port, rtcpPort };
    ep.setSdpRemote(address, m.port, rtcpPort);
  }
  p.hasSdp = true;
}

/**
 * Relay wiring for a two-party dialogue: each side's input is forwarded to the other side. A line that
 * is not RTP (m=image udptl, BFCP, ...) is relayed datagram by datagram, unparsed (RtpEndpoint.rawMedia).
 */
export function wireRelay(a: Participant, b: Participant): void {
  const n = Math.min(a.legs.length, b.legs.length);
  for (let i = 0; i < n; i++) {
    const ea = a.legs[i]!.endpoint;
    const eb = b.legs[i]!.endpoint;
    if (ea && eb) {
      const raw = !isRtpProtocol(a.legs[i]!.protocol);
      ea.rawMedia = raw;
      eb.rawMedia = raw;
      ea.forwardTo = eb;
      eb.forwardTo = ea;
    }
  }
}

/** The SDP for `to` and the per-leg / per-participant SDP state to commit with it. */
interface Rendered {
  sdp: string;
  medias: MediaDecision[];
  session: SdpSessionState;
  /** (S) protocols, SDES / DTLS / ICE decisions per m= line (src/call/legSecurity.ts). */
  security: SecurityPlan;
}

/**
 * The SDP for `to`, built from `from`'s `sdp` with `to`'s own local ports (and payload lists where
 * decided), rtcp-mux / ptime / o= version decided as rtpengine does (src/call/sdpOut.ts). Nothing is
 * applied: `commitRendered` does that once the command cannot fail.
 */
function rewriteFor(
  ctx: SignallingContext,
  sdp: ParsedSdp,
  from: Participant,
  to: Participant,
  params: NgParams,
  op: 'offer' | 'answer',
  payloads: Array<Payload[] | undefined> = [],
): Rendered {
  const medias = decideMedias(sdp, from, to, params, op);
  const security = decideSecurity(sdp, from, to, params, op, { from: iceAddressesFor(ctx, params, from), to: iceAddressesFor(ctx, params, to) });
  const plan: RewritePlan = {
    address: advertisedFor(ctx, params, to),
    medias: sdp.medias.map((_m, i) => {
      const r = mediaRewriteFor(to.legs[i], medias[i]);
      const sec = security.medias[i];
      if (sec) {
        if (sec.protocol !== null) r.protocol = sec.protocol;
        if (sec.keying.length > 0) r.keying = sec.keying;
        const rec = sec.recipient;
        if (rec?.passthru) r.passthru = true;
        if (r.port !== 0) {
          const ice = iceLines(rec, medias[i]?.muxOnly ?? false, sec.passthruCandidates);
          if (ice.length > 0) r.ice = ice;
        }
        if ((rec?.trickle && rec.ice && rec.iceLocal !== null) || sec.endOfCandidates) r.endOfCandidates = true;
      }
      const list = payloads[i];
      return list && r.port !== 0 ? { ...r, payloads: list } : r;
    }),
    security: { ice: security.flags.ice, sessionLines: iceLiteLine(security), sessionPassthru: security.medias[0]?.recipient?.passthru === true },
    ...(params.transportProtocol ? { transportProtocol: params.transportProtocol } : {}),
    replaceOrigin: false,
    replaceSessionConnection: false,
    ...sessionOptions(params, to),
  };
  if (hasMediaAddress(params)) plan.replaceZeroAddress = true;
  const { text, state } = renderWithVersion(params, to, sdp, (v) => rewriteSdp(sdp, v === undefined ? plan : { ...plan, sdpVersion: v }));
  return { sdp: text, medias, session: state, security };
}

function commitRendered(from: Participant, to: Participant, r: Rendered): void {
  commitMedias(from, to, r.medias);
  commitSession(to, r.session);
  commitSecurity(from, to, r.security);
}

/** ng loop-protect: an SDP this daemon already rewrote is answered as it is, and nothing else happens. */
function unchanged(sdp: ParsedSdp, check?: ResultCheck): SignallingResult {
  const result: SignallingResult = { sdp: sdp.text, warnings: [] };
  check?.(result);
  return result;
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

/** A socket pair replaced because the other party announced a new endpoint (applied at commit). */
interface Renewal {
  leg: MediaLeg;
  old: RtpEndpoint;
  fresh: RtpEndpoint;
}

/** "address port" of what an m= line announces; a zero address (hold) compares by port only. */
function announcedEndpoint(m: MediaSummary): string {
  return `${isZeroAddress(m.connectionAddress) ? '*' : (m.connectionAddress ?? '*')} ${m.port}`;
}

function sameEndpoint(a: string, b: string): boolean {
  if (a === b) return true;
  const [aa, ap] = a.split(' ');
  const [ba, bp] = b.split(' ');
  return ap === bp && (aa === '*' || ba === '*');
}

/**
 * rtpengine call.c `__get_endpoint_map`: the recipient's socket pair for an m= line belongs to the
 * sender's announced endpoint; when the sender announces another address or port (a re-INVITE from a
 * new port), the recipient gets a new socket pair, so the SDP it is sent changes (and, with replace:
 * SDP-version, its version). ng flag port-latching keeps the ports; so does ICE. The new sockets are
 * put in place now (the reply SDP needs their ports) and swapped back by `undo` if the command fails.
 */
async function renewLegs(ctx: SignallingContext, call: Call, to: Participant, sdp: ParsedSdp, params: NgParams, undo: Undo): Promise<Renewal[]> {
  if (params.flags.has('port-latching')) return [];
  const wanted: Array<{ leg: MediaLeg; old: RtpEndpoint }> = [];
  sdp.medias.forEach((m, i) => {
    const leg = to.legs[i];
    // (S) rtpengine __get_endpoint_map: a recipient talking ICE keeps its sockets (unless no-port-latching)
    const ice = m.hasIce || (recipientTalksIce(leg, m, params) && !params.flags.has('no-port-latching'));
    if (!leg?.endpoint || m.port === 0 || ice || leg.peerEndpoint === null) return;
    if (!sameEndpoint(leg.peerEndpoint, announcedEndpoint(m))) wanted.push({ leg, old: leg.endpoint });
  });
  const out: Renewal[] = [];
  for (const w of wanted) {
    const fresh = await openLegEndpoint(ctx, w.old.localAddress, undo);
    undo.push(() => {
      fresh.close();
      ctx.pool.release(fresh.localPort);
    });
    out.push({ ...w, fresh });
  }
  requireAlive(call);
  for (const r of out) {
    r.leg.endpoint = r.fresh;
    undo.push(() => {
      r.leg.endpoint = r.old;
    });
  }
  return out;
}

/** Commit renewed socket pairs: the new pair takes the old one's policy and destination. */
function commitRenewals(call: Call, renewals: Renewal[]): void {
  for (const { fresh, old, leg } of renewals) {
    if (fresh.nativeRelay && call.mediaThread >= 0) fresh.mediaThreadHint = call.mediaThread;
    fresh.learning = old.learning;
    fresh.strictSource = old.strictSource;
    fresh.mediaHandover = old.mediaHandover;
    // ng block/silence media, block DTMF belong to the party, not to its socket (rtpengine: the monologue's).
    if (old.mediaPolicy !== 0) fresh.setMediaPolicy(old.mediaPolicySettings);
    if (leg.sdpRemote) fresh.setSdpRemote(leg.sdpRemote.address, leg.sdpRemote.port, leg.sdpRemote.rtcpPort);
    // (D) play DTMF: the party's renumbering (and any event still queued) goes on on the new pair.
    if (old.dtmfInjector) fresh.dtmfInjector = old.dtmfInjector;
  }
}

/** After the relay (and the media engine) moved to the new socket pairs: close the old ones, ports back. */
function closeRenewed(ctx: SignallingContext, renewals: Renewal[]): void {
  for (const r of renewals) {
    if (r.old.isClosed) continue;
    r.old.close();
    ctx.pool.release(r.old.localPort);
  }
}

/** A mixer moves to the new socket pairs first (they replace the old ones in it), then the old ones close. */
function afterRenewal(ctx: SignallingContext, call: Call, renewals: Renewal[]): void {
  try {
    if (call.mixer) ctx.engine.sync(call);
  } catch (err) {
    ctx.log.error({ err, callId: call.callId }, 'media engine sync after new ports failed');
  } finally {
    closeRenewed(ctx, renewals);
  }
}

/** The recipient's legs now belong to the sender's announced endpoints. */
function keyLegs(to: Participant, sdp: ParsedSdp): void {
  sdp.medias.forEach((m, i) => {
    const leg = to.legs[i];
    if (leg?.endpoint && m.port !== 0) leg.peerEndpoint = announcedEndpoint(m);
  });
}

/**
 * The other side of an offer from `a` (rtpengine call.c `call_get_dialogue`): without a to-tag, a's
 * current peer; with a to-tag, the participant of that tag (the dialogue is re-paired), or a's peer
 * while that one has no tag yet; a to-tag nobody has is a new branch: a new participant, so it gets
 * ports of its own (rtpengine 're-invite re-tag w/ via-branch': "new port").
 */
function dialoguePeer(call: Call, a: Participant, toTag: string | undefined, viaBranch?: string): Participant | undefined {
  // A to-tag equal to the from-tag names nobody else: as none (a new participant of that tag would replace
  // `a` in the call, its sockets then owned by no one).
  if (toTag === undefined || toTag === '' || toTag === a.tag) {
    // An offer forked by the proxy: each via-branch has its own other side (rtpengine
    // call_get_monologue_new); the first one takes the branch of the first offer that names one.
    const p = a.peer ?? undefined;
    if (!p || !viaBranch || !untagged(p) || p.branch === '' || p.branch === viaBranch) return p;
    return branchOf(call, a, viaBranch);
  }
  const named = call.participant(toTag);
  if (named && named !== a) {
    if (named.role === 'supervisor') throw new InvalidStateError('Operation not allowed on a supervisor leg');
    return named;
  }
  if (a.peer && untagged(a.peer)) return a.peer;
  return undefined;
}

/**
 * Offer from `from-tag`. Everything that can fail happens before the call is changed: parse, bound
 * the m= lines, find or make the participants, open sockets for new m= lines, build the reply SDP
 * and run `check`; only then is the offerer's SDP applied (addresses, payloads, relay wiring). On any
 * failure what this command made (the call, participants, sockets) is removed and nothing else moves.
 */
export async function offer(ctx: SignallingContext, params: NgParams, check?: ResultCheck): Promise<SignallingResult> {
  const sdp = parseOrThrow(params.sdp);
  if (alreadyProcessed(params, sdp.text)) return unchanged(sdp, check);
  checkMediaCount(ctx, sdp.medias);
  const callId = requireKey(params.callId, 'No call-id in message');
  const fromTag = requireKey(params.fromTag, 'No from-tag in message');
  // A call pending deletion (re-INVITE racing a BYE) is revived only when the offer succeeds.
  const existing = ctx.registry.get(callId);
  const call = existing ?? ctx.registry.getOrCreate(callId);
  const undo = new Undo();
  if (call.participants.size === 0) undo.push(() => ctx.registry.destroy(call, 'error'));
  try {
    let a = call.participant(fromTag);
    if (a && a.role === 'supervisor') throw new InvalidStateError('Operation not allowed on a supervisor leg');
    if (!a) {
      checkPartyCount(call);
      const created = new Participant(fromTag);
      call.participants.set(fromTag, created);
      undo.push(() => dropParticipant(ctx, call, created));
      a = created;
    }
    let b = dialoguePeer(call, a, params.toTag, params.viaBranch);
    if (!b) {
      checkPartyCount(call);
      const created = new Participant(params.toTag !== undefined && params.toTag !== a.tag ? params.toTag : pendingTag(call, params.viaBranch));
      call.participants.set(created.tag, created);
      undo.push(() => dropParticipant(ctx, call, created));
      b = created;
    }
    const legOpts = legOptionsFromNg(params, ctx.learning);
    const place = placeOffer(ctx, params, sdp, legOpts.sourceAddress, a, b);
    await ensureLegs(ctx, call, a, sdp.medias, undo, place.a);
    requireAlive(call);
    await ensureLegs(ctx, call, b, sdp.medias, undo, place.b);
    requireAlive(call);
    const renewed = await renewLegs(ctx, call, b, sdp, params, undo);
    const codecs = negotiateOffer(a, b, sdp, params, (msg) => ctx.log.warn({ callId }, msg));
    const advertise = codecs.payloads;
    const rendered = rewriteFor(ctx, sdp, a, b, params, 'offer', advertise);
    const t38 = planT38Offer(call, a, b, sdp, params); // (T) T.38 gateway: translated m= lines
    rendered.sdp = t38.render(rendered.sdp);
    const result: SignallingResult = { sdp: rendered.sdp, warnings: [] };
    check?.(result);
    // Commit: nothing below can fail.
    if (existing) ctx.registry.getOrCreate(callId); // cancels a pending delete, as rtpengine does
    if (params.label) a.label = params.label;
    if (params.viaBranch) a.viaBranch = params.viaBranch;
    if (params.viaBranch && untagged(b) && b.branch === '') b.branch = params.viaBranch;
    if (params.toLabel) b.label = params.toLabel;
    a.peer = b;
    b.peer = a;
    applyLegSdp(a, sdp, legOpts);
    commitRendered(a, b, rendered);
    commitRenewals(call, renewed);
    reapplyMediaSwitches(call); // (D) block/silence switches with the new payload numbers
    keyLegs(b, sdp);
    wireRelay(a, b);
    applyMediaEcho(a, b, params.mediaEcho); // (M) ng media-echo
    applyLegSecurity(a, ctx.log); // (S) SRTP keys / DTLS / ICE on the endpoints
    applyLegSecurity(b, ctx.log);
    for (let i = 0; i < sdp.medias.length; i++) a.legs[i]!.advertised = advertise[i] ?? null;
    codecs.commit();
    t38.commit(); // (T)
    syncT38Media(call); // (T) after the relay wiring
    call.signalLog.push({ op: 'offer', params, ports: undo.opened });
    call.touch();
    if (renewed.length > 0) afterRenewal(ctx, call, renewed);
    return result;
  } catch (err) {
    undo.run();
    throw err;
  }
}

/**
 * Answer from the callee (`to-tag`). As offer: the answerer's sockets are opened and the reply SDP is
 * built and checked before anything about the call changes (tags, addresses, codecs, mixer).
 */
export async function answer(ctx: SignallingContext, params: NgParams, check?: ResultCheck): Promise<SignallingResult> {
  const sdp = parseOrThrow(params.sdp);
  if (alreadyProcessed(params, sdp.text)) return unchanged(sdp, check);
  checkMediaCount(ctx, sdp.medias);
  const callId = requireKey(params.callId, 'No call-id in message');
  const fromTag = requireKey(params.fromTag, 'No from-tag in message');
  const toTag = requireKey(params.toTag, 'No to-tag in message');
  const call = ctx.registry.get(callId);
  if (!call) throw new CallNotFoundError();
  const a = call.participant(fromTag);
  // A forked offer: the answer's via-branch names the other side it answers for.
  const b = (a && params.viaBranch ? branchOf(call, a, params.viaBranch) : undefined) ?? a?.peer;
  if (!a || !b) throw new InvalidStateError('Invalid dialogue association');
  const undo = new Undo();
  const legOpts = legOptionsFromNg(params, ctx.learning);
  let result: SignallingResult;
  try {
    await ensureLegs(ctx, call, b, sdp.medias, undo, placeAnswer(ctx, params, sdp, legOpts.sourceAddress, b));
    requireAlive(call);
    if (b.peer !== a || call.participant(a.tag) !== a) throw new InvalidStateError('Invalid dialogue association');
    // The answerer's tag becomes known now (or a different fork answered: the latest answer wins).
    const clash = call.participant(toTag);
    if (b.tag !== toTag && clash && clash !== b) throw new InvalidStateError('Invalid dialogue association');
    // rtpengine codecs_offer_answer (answer): the offerer is answered only codecs it offered.
    const codecs = negotiateAnswer(a, b, sdp, params);
    const toOfferer = codecs.payloads;
    const rendered = rewriteFor(ctx, sdp, b, a, params, 'answer', toOfferer);
    const t38 = planT38Answer(call, a, b, sdp); // (T) T.38 gateway: translated m= lines
    rendered.sdp = t38.render(rendered.sdp);
    result = { sdp: rendered.sdp, warnings: [] };
    check?.(result);
    // Commit: nothing below can fail.
    if (b.tag !== toTag) call.retag(b, toTag);
    a.peer = b;
    // rtpengine labels the monologue whose SDP this is: in an answer, the answerer (call.c
    // monologue_offer_answer -> __call_monologue_init_from_flags(dialogue[0])).
    if (params.toLabel) b.label = params.toLabel;
    if (params.label) b.label = params.label;
    applyLegSdp(b, sdp, legOpts);
    commitRendered(b, a, rendered);
    reapplyMediaSwitches(call); // (D) block/silence switches with the new payload numbers
    keyLegs(a, sdp);
    wireRelay(a, b);
    applyMediaEcho(b, a, params.mediaEcho); // (M) ng media-echo
    applyLegSecurity(a, ctx.log); // (S) SRTP keys / DTLS / ICE on the endpoints
    applyLegSecurity(b, ctx.log);
    codecs.commit();
    t38.commit(); // (T)
    syncT38Media(call); // (T) after the relay wiring
    call.answered = true;
    call.lastMediaMs = Date.now();
    call.signalLog.push({ op: 'answer', params, ports: undo.opened });
    call.touch();
  } catch (err) {
    undo.run();
    throw err;
  }
  ctx.engine.sync(call);
  syncT38Media(call); // (T) a mixer that gave endpoints back must not take the gateway's
  return result;
}

/**
 * ng delete with from-tag and via-branch (no to-tag), rtpengine call_delete_branch: only the not yet
 * answered other side of that forked offer ends (its sockets at once), when another branch remains; the
 * offerer's dialogue moves to a remaining branch. Returns false when there is no such branch to end alone.
 */
export function deleteBranch(ctx: Pick<SignallingContext, 'registry'>, call: Call, a: Participant, viaBranch: string): boolean {
  const x = branchOf(call, a, viaBranch);
  if (!x) return false;
  let other: Participant | undefined;
  for (const y of call.participants.values()) if (y !== x && y.peer === a && untagged(y)) other = other ?? y;
  if (!other) return false;
  ctx.registry.releasePorts(call.removeParticipant(x));
  if (a.peer === x) a.peer = other;
  call.signalLog.push({ op: 'deleteBranch', fromTag: a.tag, viaBranch });
  return true;
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
