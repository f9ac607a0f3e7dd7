/**
 * One ICE agent (RFC 8445) per endpoint, over the endpoint's first-byte demux (RFC 7983): the endpoint hands
 * the STUN datagrams it receives to `receive`, and the agent sends through the endpoint's own sockets
 * (`sendRaw`), so checks leave from the very address/port media uses.
 *
 * ICE-lite (our side lite, what a browser talks to; RFC 8445 §2.5): answer Binding requests whose USERNAME is
 * `<our ufrag>:<their ufrag>` and whose MESSAGE-INTEGRITY verifies with our pwd, with a success response
 * (XOR-MAPPED-ADDRESS = the source) signed with our pwd + FINGERPRINT. The first valid check from the
 * controlling side selects its source (media can flow at once), a check with USE-CANDIDATE (nomination)
 * selects its source for good: `onSelected(address, port)` — the caller moves the endpoint's remote there.
 *
 * Full ICE (a full peer such as rtpengine with ICE=force, or a browser when we are not lite): candidate pairs
 * of our socket per component x the peer's candidates (same family, UDP, IP literals; mDNS names are skipped
 * and the peer is learnt from its own checks as peer-reflexive, rtpengine#1366), pair priorities per
 * §6.1.2.3, checks paced every Ta, retransmitted with the RFC 5389 RTO doubling, triggered checks (§7.3.1.4),
 * nomination when controlling (regular: after the first success, the best valid pair per component is
 * checked again with USE-CANDIDATE; or aggressive: every check carries it), role conflicts (§7.3.1.1 /
 * §7.2.5.1, 487), and consent freshness (RFC 7675): a check on the selected pair every ~5 s, and 30 s without
 * a response is consent lost: no more checks, state 'failed' (the caller stops sending media).
 *
 * Cheap things first, so that a flood costs little: STUN framing, FINGERPRINT (one CRC), USERNAME (a byte
 * compare), and only then the HMAC — which is skipped for a source that failed it too often this second
 * (and for all but already verified sources once the agent's budget is spent). Error responses are limited
 * per second. One timer per agent (armed only while something is due), no busy loop; `close()` is
 * idempotent and stops it. Counters: src/media/ice/counters.ts.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { IceCandidate, IceParams, IceState } from '../secure';
import { candidatePriority, randomIceString, TYPE_PREFERENCE } from './candidates';
import { iceInbound, iceOutbound, liveAgents } from './counters';
import { StunAttr, StunClass, StunError, StunRole, StunView, StunWriter, STUN_BINDING, verifyFingerprint, verifyIntegrity } from './stun';

/** What the agent needs of an endpoint (an RtpEndpoint has it). */
export interface IceEndpoint {
  readonly localAddress: string;
  /** The endpoint's raw send out of its RTP socket, or its RTCP socket with rtcp=true (RtpEndpoint.sendRaw). */
  sendRaw(buf: Buffer, address: string, port: number, rtcp?: boolean): void;
}

/** ICE timers (ms). Defaults: rtpengine 10.5's (include/ice.h) and RFC 7675's. */
export interface IceTimers {
  /** Pacing of new connectivity checks (Ta; RFC 8445 §14.2 default 50; rtpengine runs checks every 20). */
  taMs: number;
  /** First retransmission timeout of a check, doubled per retransmission (rtpengine: 100). */
  rtoMs: number;
  /** Retransmissions before a check fails (rtpengine: 7). */
  maxRetransmits: number;
  /** Controlling, regular nomination: wait this long after the first success before nominating (rtpengine: 100). */
  nominationDelayMs: number;
  /** Consent freshness check interval (RFC 7675 §5.1: 5 s, randomised 0.8..1.2). */
  consentIntervalMs: number;
  /** No consent response for this long: consent lost (RFC 7675 §5.1: 30 s). */
  consentTimeoutMs: number;
}

export const ICE_TIMER_DEFAULTS: IceTimers = {
  taMs: 20,
  rtoMs: 100,
  maxRetransmits: 7,
  nominationDelayMs: 100,
  consentIntervalMs: 5000,
  consentTimeoutMs: 30000,
};

export interface IceAgentOptions {
  local: IceParams;
  remote: IceParams | null;
  /** Our role at the start (RFC 8445 §6.1.1); a lite agent is always controlled. */
  controlling: boolean;
  /** Our side is ICE-lite (answers checks only). */
  lite: boolean;
  /** The peer's RTP address was chosen (first valid check / nomination): move the endpoint's remote there. */
  onSelected(address: string, port: number): void;
  /** The same for component 2 (RTCP without rtcp-mux). */
  onSelectedRtcp?(address: string, port: number): void;
  /** Every state change (e.g. 'failed' on consent loss: stop sending media). */
  onStateChange?(state: IceState): void;
  /** Controlling full agent: 'regular' (default) or 'aggressive' nomination (RFC 8445 §8.1.1 / RFC 5245). */
  nomination?: 'regular' | 'aggressive';
  /** Override timers (tests). */
  timers?: Partial<IceTimers>;
}

const enum PairState {
  FROZEN = 0,
  WAITING = 1,
  IN_PROGRESS = 2,
  SUCCEEDED = 3,
  FAILED = 4,
}

interface Pair {
  component: number;
  remote: IceCandidate;
  /** Pair priority (RFC 8445 §6.1.2.3) as two numbers: MIN(G,D), then 2*MAX(G,D) + (G>D ? 1 : 0). */
  prioHi: number;
  prioLo: number;
  state: PairState;
  valid: boolean;
  nominated: boolean;
  /** The controlling peer sent USE-CANDIDATE on this pair (controlled side). */
  peerNominated: boolean;
  triggered: boolean;
  /** Last verified success response on this pair (consent freshness), ms. */
  lastOkMs: number;
}

interface Transaction {
  tid: Buffer;
  pair: Pair;
  msg: Buffer;
  /** Sent with USE-CANDIDATE. */
  nominate: boolean;
  /** A consent freshness check (RFC 7675): not retransmitted, never fails the pair. */
  consent: boolean;
  /** We were controlling when it was sent (487 handling, §7.2.5.1). */
  controlling: boolean;
  retransmits: number;
  nextMs: number;
}

/** Most remote candidates / pairs / outstanding transactions one agent keeps (rtpengine: MAX_ICE_CANDIDATES 100). */
const MAX_CANDIDATES = 100;
const MAX_TRANSACTIONS = 64;
/** Per second: failed integrity checks per source, and per agent, before the HMAC is skipped. */
const FAILS_PER_SOURCE = 5;
const FAILS_PER_AGENT = 50;
/** Per second: error responses (400/401/420/487) per agent. */
const ERROR_RESPONSES = 10;
const WINDOW_MS = 1000;
const MAX_SOURCES = 64;

const now = (): number => performance.now();

/**
 * SOFTWARE (RFC 5389 §15.10), the first attribute of every check and response whisperd sends, as rtpengine
 * puts its software-id ("rtpengine-<version>") there: rtpengine's test suite recognises its checks by it
 * (auto-daemon-tests.pl 'ICE with just peer reflexive': /\x80\x22\x00.rtpengine/).
 */
export const STUN_SOFTWARE = 'rtpengine-compatible-whisperd';

const SHARED_WRITER = new StunWriter();

export class IceAgent {
  private _state: IceState = 'new';
  private readonly endpoint: IceEndpoint;
  private readonly opts: IceAgentOptions;
  private readonly timers: IceTimers;
  private readonly local: IceParams;
  private remote: IceParams | null = null;
  private _controlling: boolean;
  private readonly lite: boolean;
  private readonly aggressive: boolean;
  /** Our tie-breaker (RFC 8445 §7.1.2.2), two unsigned 32-bit halves. */
  private readonly tieHi: number;
  private readonly tieLo: number;
  private readonly localPwd: Buffer;
  private remotePwd: Buffer | null = null;
  private readonly userPrefix: Buffer;
  private fullUser: Buffer | null = null;
  private outUser = '';
  private readonly family: number;
  private readonly components: number[];
  /** Our candidate's priority per component ([0] unused), fixed at construction; its local preference goes into PRIORITY. */
  private readonly localPrio: number[];

  private readonly view = new StunView();
  /** One writer for all agents (finish() copies each message out; Node runs one agent at a time). */
  private readonly writer = SHARED_WRITER;
  private pairs: Pair[] = [];
  private remoteCandidates: IceCandidate[] = [];
  private readonly triggered: Pair[] = [];
  private readonly transactions = new Map<string, Transaction>();
  /** Selected pair (full) per component; [0] unused. */
  private readonly selectedPair: (Pair | null)[] = [null, null, null];
  /** Selected source (what onSelected last said) per component. */
  private readonly selAddress: string[] = ['', '', ''];
  private readonly selPort: number[] = [0, 0, 0];
  private readonly nominatedComp: boolean[] = [false, false, false];
  private nominateAtMs = 0;
  private nominating = false;
  private nextCheckMs = 0;
  private consentNextMs = 0;

  private timer: NodeJS.Timeout | null = null;
  private timerDueMs = Infinity;
  private closed = false;

  // Rate limits (per 1 s window).
  private windowEndMs = 0;
  private agentFails = 0;
  private errorResponses = 0;
  private readonly sourceFails = new Map<string, number>();
  private readonly goodSources = new Set<string>();

  constructor(endpoint: IceEndpoint, opts: IceAgentOptions) {
    this.endpoint = endpoint;
    this.opts = opts;
    this.timers = { ...ICE_TIMER_DEFAULTS, ...opts.timers };
    this.local = opts.local;
    this.lite = opts.lite;
    this._controlling = opts.lite ? false : opts.controlling;
    this.aggressive = opts.nomination === 'aggressive';
    const tie = randomBytes(8);
    this.tieHi = tie.readUInt32BE(0);
    this.tieLo = tie.readUInt32BE(4);
    this.localPwd = Buffer.from(opts.local.pwd, 'utf8');
    this.userPrefix = Buffer.from(`${opts.local.ufrag}:`, 'utf8');
    this.family = isIP(endpoint.localAddress) === 6 ? 6 : 4;
    const comps = new Set<number>([1]);
    for (const c of opts.local.candidates) if (c.component === 2) comps.add(2);
    this.components = [...comps].sort();
    this.localPrio = [0, this.localPriority(1), this.localPriority(2)];
    liveAgents.add(this);
    if (opts.remote !== null) this.setRemote(opts.remote);
  }

  get state(): IceState {
    return this._state;
  }
  get controlling(): boolean {
    return this._controlling;
  }
  /** The selected remote of a component (1 = RTP, 2 = RTCP), or null. */
  selected(component = 1): { address: string; port: number } | null {
    return this.selPort[component] ? { address: this.selAddress[component]!, port: this.selPort[component]! } : null;
  }

  /**
   * The peer's ICE parameters (answer/offer time). New credentials (an ICE restart, RFC 8445 §9) start
   * over; the same credentials add candidates (re-offer, trickle).
   */
  setRemote(remote: IceParams): void {
    if (this.closed) return;
    const restart = this.remote !== null && (this.remote.ufrag !== remote.ufrag || this.remote.pwd !== remote.pwd);
    if (restart) this.restart();
    this.remote = remote;
    this.remotePwd = Buffer.from(remote.pwd, 'utf8');
    this.fullUser = Buffer.from(`${this.local.ufrag}:${remote.ufrag}`, 'utf8');
    this.outUser = `${remote.ufrag}:${this.local.ufrag}`;
    // A full agent facing a lite peer is controlling (RFC 8445 §6.1.1).
    if (!this.lite && remote.lite && !this._controlling) this.switchRole(true);
    if (this.lite) return;
    for (const c of remote.candidates) this.addRemoteCandidate(c);
    if (this.pairs.length > 0 && this._state === 'new') this.setState('checking');
    this.kick();
  }

  /** A STUN datagram the endpoint received from address:port (on its RTCP socket when `rtcp`). Never throws. */
  receive(msg: Buffer, address: string, port: number, rtcp: boolean): void {
    if (this.closed) return;
    const v = this.view;
    if (v.parse(msg) !== StunError.OK || v.method !== STUN_BINDING) {
      iceInbound.malformed++;
      return;
    }
    // RFC 5389 §7.3: a FINGERPRINT that does not verify means this is not STUN.
    if (v.fingerprintOff >= 0 && !verifyFingerprint(msg, v)) {
      iceInbound.malformed++;
      return;
    }
    const component = rtcp ? 2 : 1;
    if (v.cls === StunClass.REQUEST) this.onRequest(msg, address, port, component);
    else if (v.cls === StunClass.SUCCESS || v.cls === StunClass.ERROR) this.onResponse(msg, address, port, component);
    // Indications (keepalives): nothing to do.
  }

  /** Stop everything (idempotent): timer, transactions; no callback afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.transactions.clear();
    this.triggered.length = 0;
    this._state = 'closed';
    liveAgents.delete(this);
  }

  // --- inbound requests ---

  private onRequest(msg: Buffer, address: string, port: number, component: number): void {
    const v = this.view;
    const t = now();
    this.rollWindow(t);
    if (v.usernameOff < 0 || v.integrityOff < 0) {
      iceInbound.bad_request++;
      this.sendError(msg, address, port, component, 400, false);
      return;
    }
    // `<our ufrag>:<their ufrag>`; before the peer's ufrag is known (its checks can arrive before its
    // answer reaches us), `<our ufrag>:` and anything.
    const userOk = this.fullUser !== null ? v.usernameIs(msg, this.fullUser) : v.usernameStartsWith(msg, this.userPrefix) && v.usernameLen > this.userPrefix.length;
    if (!userOk) {
      iceInbound.unauthorized++;
      this.sendError(msg, address, port, component, 401, false);
      return;
    }
    const source = `${address}|${port}`;
    // Past 5 failed checks this second from this source (even one that verified before: a spoofed flood from
    // the peer's own address), or 50 from anywhere for a source that never verified, skip the HMAC.
    if ((this.sourceFails.get(source) ?? 0) >= FAILS_PER_SOURCE || (this.agentFails >= FAILS_PER_AGENT && !this.goodSources.has(source))) {
      iceInbound.rate_limited++;
      return;
    }
    if (!verifyIntegrity(msg, v, this.localPwd)) {
      this.agentFails++;
      if (this.sourceFails.size < MAX_SOURCES || this.sourceFails.has(source)) this.sourceFails.set(source, (this.sourceFails.get(source) ?? 0) + 1);
      iceInbound.unauthorized++;
      this.sendError(msg, address, port, component, 401, false);
      return;
    }
    if (this.goodSources.size < MAX_SOURCES) this.goodSources.add(source);
    if (v.unknownCount > 0) {
      iceInbound.unknown_attribute++;
      this.sendError(msg, address, port, component, 420, true);
      return;
    }
    // Role conflict (RFC 8445 §7.3.1.1); a lite agent is always controlled and does not take part.
    if (!this.lite && v.role !== StunRole.NONE) {
      const weWin = this.tieHi > v.tieHi || (this.tieHi === v.tieHi && this.tieLo >= v.tieLo);
      if (this._controlling && v.role === StunRole.CONTROLLING) {
        if (weWin) {
          iceInbound.role_conflict++;
          this.sendError(msg, address, port, component, 487, true);
          return;
        }
        this.switchRole(false);
      } else if (!this._controlling && v.role === StunRole.CONTROLLED) {
        if (!weWin) {
          iceInbound.role_conflict++;
          this.sendError(msg, address, port, component, 487, true);
          return;
        }
        this.switchRole(true);
      }
    }
    const priority = v.priority;
    const useCandidate = v.useCandidate && v.role !== StunRole.CONTROLLED;
    // The success response (RFC 8445 §7.3.1.2 / RFC 5389 §10.1.2), signed with our pwd.
    const res = this.writer
      .start(STUN_BINDING, StunClass.SUCCESS, msg.subarray(8, 20))
      .text(StunAttr.SOFTWARE, STUN_SOFTWARE)
      .xorAddress(StunAttr.XOR_MAPPED_ADDRESS, address, port)
      .integrity(this.localPwd)
      .fingerprint()
      .finish();
    this.send(res, address, port, component);
    iceInbound.success++;
    if (this.lite) this.liteCheck(address, port, component, useCandidate);
    else this.fullCheck(address, port, component, priority, useCandidate);
  }

  /** ICE-lite: a valid check selects its source if none is yet; USE-CANDIDATE selects it for good. */
  private liteCheck(address: string, port: number, component: number, nominate: boolean): void {
    if (nominate) {
      this.nominatedComp[component] = true;
      this.select(component, address, port);
      this.updateCompletion();
    } else if (this.selPort[component] === 0) {
      this.select(component, address, port);
      this.updateCompletion();
    }
  }

  /** Full ICE, a verified inbound check (RFC 8445 §7.3.1.3 - §7.3.1.5). */
  private fullCheck(address: string, port: number, component: number, priority: number, useCandidate: boolean): void {
    if (this._state === 'failed') return;
    let pair = this.findPair(component, address, port);
    if (pair === null) {
      // Peer-reflexive remote candidate (§7.3.1.3): learnt from the check, priority from its PRIORITY.
      const prio = priority >= 0 ? priority : candidatePriority(TYPE_PREFERENCE.prflx, 65535, component);
      pair = this.addRemoteCandidate({
        foundation: this.learnedFoundation(component, prio),
        component,
        transport: 'UDP',
        priority: prio,
        address,
        port,
        type: 'prflx',
      });
      if (pair === null) return;
    }
    if (useCandidate && !this._controlling) pair.peerNominated = true;
    if (pair.state === PairState.SUCCEEDED) {
      if (pair.peerNominated && !this._controlling) this.nominate(pair);
    } else if (pair.state !== PairState.IN_PROGRESS) {
      this.trigger(pair);
    }
    if (this._state === 'new') this.setState('checking');
    this.kick();
  }

  // --- inbound responses ---

  private onResponse(msg: Buffer, address: string, port: number, component: number): void {
    const v = this.view;
    const key = v.transactionKey(msg);
    const tx = this.transactions.get(key);
    if (tx === undefined || this.remotePwd === null || !verifyIntegrity(msg, v, this.remotePwd)) {
      iceInbound.stray_response++;
      return;
    }
    this.transactions.delete(key);
    const pair = tx.pair;
    const t = now();
    // Non-symmetric response (§7.2.5.2.1): the pair fails.
    if (address !== pair.remote.address || port !== pair.remote.port || component !== pair.component) {
      iceOutbound.error++;
      if (!tx.consent) this.failPair(pair);
      return;
    }
    if (v.cls === StunClass.ERROR) {
      iceOutbound.error++;
      if (v.errorCode === 487 && !tx.consent) {
        // §7.2.5.1: switch to the role opposite to the one the request was sent in, and check again.
        this.switchRole(!tx.controlling);
        this.trigger(pair);
        this.kick();
      } else if (!tx.consent) this.failPair(pair);
      return;
    }
    iceOutbound.succeeded++;
    pair.lastOkMs = t;
    if (tx.consent) return;
    pair.state = PairState.SUCCEEDED;
    pair.valid = true;
    if (tx.nominate || (!this._controlling && pair.peerNominated)) {
      this.nominate(pair);
    } else {
      // Valid pairs are used until some are nominated: the best complete set (one valid pair per component
      // of the same remote foundation, as rtpengine's __get_complete_components), once there is one.
      const set = this.completeSet();
      if (set !== null && set.every((p) => !this.selectedPair[p.component]?.nominated)) {
        for (const p of set) this.selectPair(p);
        this.updateCompletion();
      }
      // Nominate once there is a complete set (rtpengine: 100 ms after the first one).
      if (this._controlling && !this.nominating && this.nominateAtMs === 0 && set !== null) this.nominateAtMs = t + this.timers.nominationDelayMs;
    }
    this.kick();
  }

  // --- checks ---

  private sendCheck(pair: Pair, nominate: boolean, consent: boolean): void {
    if (this.remotePwd === null || this.transactions.size >= MAX_TRANSACTIONS) return;
    const tid = randomBytes(12);
    const w = this.writer.start(STUN_BINDING, StunClass.REQUEST, tid).text(StunAttr.SOFTWARE, STUN_SOFTWARE).text(StunAttr.USERNAME, this.outUser);
    // rtpengine's order (stun.c stun_binding_request): SOFTWARE, USERNAME, ICE-CONTROLLING/-CONTROLLED,
    // PRIORITY, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT (its suite matches the bytes in that order).
    w.u64(this._controlling ? StunAttr.ICE_CONTROLLING : StunAttr.ICE_CONTROLLED, this.tieHi, this.tieLo);
    w.u32(StunAttr.PRIORITY, candidatePriority(TYPE_PREFERENCE.prflx, (this.localPrio[pair.component]! >>> 8) & 0xffff, pair.component));
    if (this._controlling && nominate) w.flag(StunAttr.USE_CANDIDATE);
    const msg = w.integrity(this.remotePwd).fingerprint().finish();
    const t = now();
    const tx: Transaction = { tid, pair, msg, nominate: nominate && this._controlling, consent, controlling: this._controlling, retransmits: 0, nextMs: t + this.timers.rtoMs };
    this.transactions.set(tid.toString('hex'), tx);
    if (!consent) pair.state = PairState.IN_PROGRESS;
    this.send(msg, pair.remote.address, pair.remote.port, pair.component);
    iceOutbound.sent++;
  }

  /** The timer: retransmissions, one new check per Ta, nomination, consent. Re-arms itself for the next due time. */
  private tick(): void {
    this.timer = null;
    this.timerDueMs = Infinity;
    if (this.closed || this._state === 'failed') return;
    const t = now();
    let next = Infinity;
    // Retransmissions (RFC 5389 §7.2.1) and timeouts.
    for (const [key, tx] of this.transactions) {
      if (t < tx.nextMs) {
        next = Math.min(next, tx.nextMs);
        continue;
      }
      if (tx.consent || tx.retransmits >= this.timers.maxRetransmits) {
        this.transactions.delete(key);
        if (!tx.consent) {
          iceOutbound.timeout++;
          this.failPair(tx.pair);
        }
        continue;
      }
      tx.retransmits++;
      tx.nextMs = t + this.timers.rtoMs * 2 ** Math.min(tx.retransmits, 6);
      next = Math.min(next, tx.nextMs);
      this.send(tx.msg, tx.pair.remote.address, tx.pair.remote.port, tx.pair.component);
      iceOutbound.retransmitted++;
    }
    if (this.stopped()) return;
    // Nomination (controlling, regular): the best valid pair of each component, checked with USE-CANDIDATE.
    if (this._controlling && !this.nominating && this.nominateAtMs !== 0 && t >= this.nominateAtMs) {
      this.nominating = true;
      for (const p of this.completeSet() ?? []) this.sendCheck(p, true, false);
    } else if (this._controlling && !this.nominating && this.nominateAtMs !== 0) next = Math.min(next, this.nominateAtMs);
    // One new check per Ta: triggered first, then the best waiting pair (once the peer's credentials are known).
    if (this._state !== 'completed' && this.remotePwd !== null) {
      if (t >= this.nextCheckMs) {
        const pair = this.nextPairToCheck();
        if (pair !== null) {
          this.sendCheck(pair, this._controlling && this.aggressive, false);
          this.nextCheckMs = t + this.timers.taMs;
        }
      }
      if (this.triggered.length > 0 || this.pairs.some((p) => p.state === PairState.WAITING || p.state === PairState.FROZEN)) next = Math.min(next, Math.max(this.nextCheckMs, t + 1));
    }
    // Consent freshness (RFC 7675) on the selected pairs.
    const sel = this.selectedPair[1];
    if (sel !== null && sel.valid) {
      for (const c of this.components) {
        const p = this.selectedPair[c];
        if (p !== null && t - p.lastOkMs > this.timers.consentTimeoutMs) {
          this.consentLost();
          return;
        }
      }
      if (this.consentNextMs === 0) this.consentNextMs = t + this.consentInterval();
      if (t >= this.consentNextMs) {
        for (const c of this.components) {
          const p = this.selectedPair[c];
          if (p !== null) this.sendCheck(p, false, true);
        }
        this.consentNextMs = t + this.consentInterval();
      }
      next = Math.min(next, this.consentNextMs, sel.lastOkMs + this.timers.consentTimeoutMs + 1);
    }
    this.checkFailed();
    // Transactions sent in this run (their first retransmission).
    for (const tx of this.transactions.values()) if (tx.nextMs < next) next = tx.nextMs;
    if (next !== Infinity && !this.stopped()) this.arm(next - t);
  }

  /** Queue a triggered check on the pair (RFC 8445 §7.3.1.4), once. */
  private trigger(pair: Pair): void {
    pair.state = PairState.WAITING;
    if (!pair.triggered) {
      pair.triggered = true;
      this.triggered.push(pair);
    }
  }

  private nextPairToCheck(): Pair | null {
    while (this.triggered.length > 0) {
      const p = this.triggered.shift()!;
      p.triggered = false;
      if (p.state === PairState.WAITING) return p;
    }
    for (const p of this.pairs) if (p.state === PairState.WAITING || p.state === PairState.FROZEN) return p;
    return null;
  }

  private consentInterval(): number {
    return this.timers.consentIntervalMs * (0.8 + 0.4 * Math.random());
  }

  private consentLost(): void {
    this.transactions.clear();
    this.triggered.length = 0;
    this.clearTimer();
    // The caller stops sending (onStateChange 'failed'); a later selection of the same address (after an
    // ICE restart) must be reported again.
    for (let c = 1; c <= 2; c++) {
      this.selAddress[c] = '';
      this.selPort[c] = 0;
    }
    this.setState('failed');
  }

  /** All pairs failed and none valid: ICE failed (§8.1.2 / §7.2.5.4). */
  private checkFailed(): void {
    if (this.pairs.length === 0 || this._state === 'failed' || this.selectedPair[1] !== null) return;
    for (const p of this.pairs) if (p.state !== PairState.FAILED) return;
    this.clearTimer();
    this.setState('failed');
  }

  private failPair(pair: Pair): void {
    pair.state = PairState.FAILED;
    pair.valid = false;
    if (this.selectedPair[pair.component] === pair) {
      // Fall back to the next best valid pair, if any.
      this.selectedPair[pair.component] = null;
      const best = this.bestValid(pair.component);
      if (best !== null) this.selectPair(best);
    }
    this.checkFailed();
  }

  private nominate(pair: Pair): void {
    pair.nominated = true;
    this.nominatedComp[pair.component] = true;
    const cur = this.selectedPair[pair.component];
    if (cur === null || !cur.nominated || cur === pair || higher(pair, cur)) this.selectPair(pair);
    this.updateCompletion();
  }

  private selectPair(pair: Pair): void {
    this.selectedPair[pair.component] = pair;
    this.select(pair.component, pair.remote.address, pair.remote.port);
  }

  private select(component: number, address: string, port: number): void {
    if (this.selAddress[component] === address && this.selPort[component] === port) return;
    this.selAddress[component] = address;
    this.selPort[component] = port;
    try {
      if (component === 1) this.opts.onSelected(address, port);
      else this.opts.onSelectedRtcp?.(address, port);
    } catch {
      // the caller's bug must not stop ICE (nor escape receive(), which never throws)
    }
  }

  private updateCompletion(): void {
    if (this.closed || this._state === 'failed') return;
    const comps = this.requiredComponents();
    if (comps.every((c) => this.nominatedComp[c])) {
      this.setState('completed');
      this.triggered.length = 0;
      // Checks still waiting are not needed any more (consent keeps running on the selected pairs).
      for (const p of this.pairs) if (p.state === PairState.WAITING || p.state === PairState.FROZEN) p.state = PairState.FAILED;
    } else if (this.selPort[1] !== 0) this.setState('connected');
  }

  /** Components that need a selected pair: ours, less RTCP when the peer offers no component 2 (rtcp-mux). */
  private requiredComponents(): number[] {
    if (this.components.length === 1) return this.components;
    const remoteHas2 = this.remoteCandidates.some((c) => c.component === 2) || (this.remote !== null && this.remote.candidates.some((c) => c.component === 2));
    return remoteHas2 ? this.components : [1];
  }

  /**
   * The highest-priority RTP pair that is valid and, for each other required component, the best valid pair
   * whose remote candidate has the same foundation (RFC 8445 §6.1.2.6 / rtpengine __get_complete_components);
   * null if there is no such set yet.
   */
  private completeSet(): Pair[] | null {
    const comps = this.requiredComponents();
    for (const p1 of this.pairs) {
      if (p1.component !== 1 || !p1.valid) continue;
      const set = [p1];
      for (const c of comps) {
        if (c === 1) continue;
        let best: Pair | null = null;
        for (const p of this.pairs) if (p.component === c && p.valid && p.remote.foundation === p1.remote.foundation && (best === null || higher(p, best))) best = p;
        if (best === null) break;
        set.push(best);
      }
      if (set.length === comps.length) return set;
    }
    return null;
  }

  /**
   * Foundation of a learnt peer-reflexive candidate: that of a learnt candidate of another component whose
   * priority differs only by the component (the same transport address family behind it, rtpengine
   * __learned_candidate), so RTP and RTCP learnt from one peer form a complete set; else a new one.
   */
  private learnedFoundation(component: number, priority: number): string {
    for (const c of this.remoteCandidates) {
      if (c.type === 'prflx' && c.component !== component && c.priority + c.component === priority + component) return c.foundation;
    }
    return randomIceString(8);
  }

  private bestValid(component: number): Pair | null {
    let best: Pair | null = null;
    for (const p of this.pairs) if (p.component === component && p.valid && (best === null || higher(p, best))) best = p;
    return best;
  }

  private switchRole(controlling: boolean): void {
    if (this._controlling === controlling) return;
    this._controlling = controlling;
    for (const p of this.pairs) this.computePriority(p);
    this.pairs.sort(byPriority);
    if (controlling && this.nominateAtMs === 0 && this.completeSet() !== null) this.nominateAtMs = now() + this.timers.nominationDelayMs;
  }

  private restart(): void {
    this.transactions.clear();
    this.triggered.length = 0;
    this.pairs = [];
    this.remoteCandidates = [];
    for (let c = 1; c <= 2; c++) {
      this.selectedPair[c] = null;
      this.nominatedComp[c] = false;
    }
    this.nominateAtMs = 0;
    this.nominating = false;
    this.consentNextMs = 0;
    this.goodSources.clear();
    if (this._state !== 'new') this.setState(this.lite ? 'new' : 'checking');
  }

  // --- candidates and pairs ---

  private addRemoteCandidate(c: IceCandidate): Pair | null {
    if (c.transport.toUpperCase() !== 'UDP' || isIP(c.address) !== this.family) return null;
    if (!this.components.includes(c.component) || c.port < 1 || c.port > 65535) return null;
    if (this.remoteCandidates.length >= MAX_CANDIDATES) return null;
    const existing = this.findPair(c.component, c.address, c.port);
    if (existing !== null) return existing;
    this.remoteCandidates.push(c);
    const pair: Pair = {
      component: c.component,
      remote: c,
      prioHi: 0,
      prioLo: 0,
      state: PairState.WAITING,
      valid: false,
      nominated: false,
      peerNominated: false,
      triggered: false,
      lastOkMs: 0,
    };
    this.computePriority(pair);
    this.pairs.push(pair);
    this.pairs.sort(byPriority);
    return pair;
  }

  private findPair(component: number, address: string, port: number): Pair | null {
    for (const p of this.pairs) if (p.component === component && p.remote.port === port && p.remote.address === address) return p;
    return null;
  }

  /** Our candidate's priority on this socket per component (the host candidate we announced on this address, else the first). */
  private localPriority(component: number): number {
    let first = -1;
    for (const c of this.local.candidates) {
      if (c.component !== component) continue;
      if (c.address === this.endpoint.localAddress) return c.priority;
      if (first < 0) first = c.priority;
    }
    return first < 0 ? candidatePriority(TYPE_PREFERENCE.host, 65535, component) : first;
  }

  private computePriority(p: Pair): void {
    const l = this.localPrio[p.component]!;
    const g = this._controlling ? l : p.remote.priority;
    const d = this._controlling ? p.remote.priority : l;
    p.prioHi = Math.min(g, d);
    p.prioLo = 2 * Math.max(g, d) + (g > d ? 1 : 0);
  }

  // --- plumbing ---

  private sendError(req: Buffer, address: string, port: number, component: number, code: number, sign: boolean): void {
    if (this.errorResponses >= ERROR_RESPONSES) return;
    this.errorResponses++;
    const w = this.writer.start(STUN_BINDING, StunClass.ERROR, req.subarray(8, 20)).text(StunAttr.SOFTWARE, STUN_SOFTWARE).errorCode(code);
    if (code === 420) {
      const v = this.view;
      const list = Buffer.alloc(v.unknownCount * 2);
      for (let i = 0; i < v.unknownCount; i++) list.writeUInt16BE(v.unknown[i]!, 2 * i);
      w.bytes(StunAttr.UNKNOWN_ATTRIBUTES, list);
    }
    if (sign) w.integrity(this.localPwd);
    this.send(w.fingerprint().finish(), address, port, component);
  }

  private send(buf: Buffer, address: string, port: number, component: number): void {
    try {
      this.endpoint.sendRaw(buf, address, port, component === 2);
    } catch {
      // socket closed under us: the endpoint is going away
    }
  }

  private rollWindow(t: number): void {
    if (t < this.windowEndMs) return;
    this.windowEndMs = t + WINDOW_MS;
    this.agentFails = 0;
    this.errorResponses = 0;
    this.sourceFails.clear();
  }

  /** Closed, or failed (consent lost / every pair failed): nothing more is sent. */
  private stopped(): boolean {
    return this.closed || this._state === 'failed';
  }

  private setState(s: IceState): void {
    if (this._state === s || this.closed) return;
    this._state = s;
    try {
      this.opts.onStateChange?.(s);
    } catch {
      // as in select()
    }
  }

  /** Run the timer soon (something to send). */
  private kick(): void {
    if (this.closed || this.lite) return;
    this.arm(0);
  }

  private arm(delayMs: number): void {
    const due = now() + Math.max(0, delayMs);
    if (this.timer !== null && this.timerDueMs <= due) return;
    this.clearTimer();
    this.timerDueMs = due;
    this.timer = setTimeout(this.onTimer, Math.max(0, Math.ceil(delayMs)));
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    try {
      this.tick();
    } catch {
      // a bug must not take the process down from a timer; the agent stops
      this.clearTimer();
    }
  };

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerDueMs = Infinity;
  }
}

function higher(a: Pair, b: Pair): boolean {
  return a.prioHi > b.prioHi || (a.prioHi === b.prioHi && a.prioLo > b.prioLo);
}

function byPriority(a: Pair, b: Pair): number {
  return b.prioHi - a.prioHi || b.prioLo - a.prioLo;
}
