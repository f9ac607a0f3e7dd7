/**
 * This daemon as a member of a cluster (config `cluster.*`, issue 14): heartbeat, role, peers, the replication
 * of every call's signalling state to Redis, and the takeover of a dead node's calls.
 *
 * Replication (rtpengine's anchor: a call is written after every ng command that changes it; `no-redis-required`
 * lets it run without Redis): `changed(callId)` marks a call dirty in a coalescing queue (one entry per call; the
 * snapshot is taken when the write starts, so the latest state wins and a burst of changes costs one write).
 * The ng dispatcher and the HTTP API (clusterApi.ts) wait for that write at most cluster.writeTimeoutMs, then
 * answer anyway. When Redis is down or slow the daemon keeps serving: replication is marked degraded (metric
 * whisperd_cluster_replication_degraded, one log line per transition), dirty calls stay queued, and when Redis
 * is back every live call is rewritten (catch-up) before degraded clears. Nothing here runs on the packet path.
 *
 * Takeover: a standby watches the heartbeats of the active nodes and of members with none (a node that crashed
 * before this standby started is taken over at its first look). When an active node's heartbeat
 * key expires (it is written with PX heartbeatExpiryMs every heartbeatMs; checked every heartbeatMs) — or on
 * POST /v1/cluster/takeover — the standby takes the lock p:takeover:<node> (SET NX PX: one standby only), reads
 * the node's call records, hands them to the takeover handler (src/cluster/restore.ts restores and binds),
 * re-owns them in Redis (records and owner keys rewritten under this node) and becomes active.
 *
 * Orderly shutdown (Daemon.close, SIGTERM): the node's calls end with it ('shutdown'), so their records, its
 * heartbeat and its membership are removed: a standby does NOT take over calls the node ended on purpose.
 * Only a node that disappears without that (crash, kill -9, network loss) is taken over.
 */
import type { Call } from '../call/Call';
import type { CallRegistry } from '../call/CallRegistry';
import type { Config } from '../config/schema';
import type { Logger } from '../log';
import type { AuditLog, AuditRecord } from '../supervision/AuditLog';
import type { EventBus } from '../supervision/EventBus';
import type { SupervisionService } from '../supervision/SupervisionService';
import { ClusterStore, type CallRecord, type CallSummary, type NodeBeat } from './ClusterStore';
import type { ClusterMetrics, ClusterStats } from './metrics';
import { parseRedisUrl, RedisClient, type RedisLike } from './redis/RedisClient';

export type ClusterConfig = Config['cluster'];

/** Restores `records` (another node's calls) on this node; resolves when they are live here. */
export type TakeoverHandler = (fromNode: string, records: CallRecord[]) => Promise<void>;

export interface ClusterDeps {
  config: ClusterConfig;
  /** This node's HTTP API URL as bound (the default apiUrl); called at start. */
  httpUrl: () => string;
  registry: CallRegistry;
  supervision: SupervisionService;
  events: EventBus;
  audit: AuditLog;
  log: Logger;
  /** The JSON-safe snapshot of a call (src/cluster/snapshot.ts snapshotCall). */
  snapshot: (call: Call) => unknown;
  /** Asked about every call about once a second: rewrite it now without a signalling change (snapshot.ts wantsRefresh: stream anchors, SRTP rollover counters). */
  refreshDue: (call: Call) => boolean;
}

export interface PeerInfo {
  node: string;
  alive: boolean;
  role: 'active' | 'standby' | null;
  apiUrl: string | null;
}

/** Most audit records kept for Redis while it is unreachable (oldest dropped beyond; counted as errors). */
const MAX_PENDING_AUDIT = 10_000;
/** Most call writes in flight at once. */
const MAX_PARALLEL_WRITES = 64;

export class ClusterNode implements ClusterStats {
  readonly nodeId: string;
  apiUrl: string;
  readonly store: ClusterStore;
  readonly redis: RedisLike;
  private _role: 'active' | 'standby';
  private _degraded = false;
  private degradedLogged = false;
  takeovers = 0;
  redisErrors = 0;
  writes = 0;
  private peers = new Map<string, PeerInfo>();
  /** Nodes seen alive and active by this node (candidates for takeover when their heartbeat expires). */
  private readonly seenActive = new Set<string>();
  /** Members without a heartbeat not seen alive by this node (crashed before it looked). */
  private readonly orphans = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly inflight = new Set<string>();
  /** Calls this node has written (deleted from Redis when they end). */
  private readonly written = new Set<string>();
  /** Calls whose owner key this node wrote since Redis last (re)connected. */
  private readonly ownerWritten = new Set<string>();
  private pendingAudit: AuditRecord[] = [];
  private auditFlushing = false;
  private catchUpPending = false;
  private hbTimer: NodeJS.Timeout | null = null;
  private ticking = false;
  /** start() ran (the API URL is known): heartbeats may be written. */
  private running = false;
  private lastAnchorMs = 0;
  private ownerRefreshMs = Date.now();
  /** close() began: no heartbeat is written any more (one in flight must not put the membership back). */
  private closing = false;
  private closed = false;
  private readonly started = new Date().toISOString();
  private readonly unsub: Array<() => void> = [];
  private takeoverHandler: TakeoverHandler | undefined;
  private readonly snapshotOf: (call: Call) => unknown;
  private metrics: ClusterMetrics | undefined;
  private readonly log: Logger;

  constructor(private readonly d: ClusterDeps) {
    const c = d.config;
    this.nodeId = c.node;
    this.apiUrl = c.apiUrl;
    this._role = c.standby ? 'standby' : 'active';
    this.log = d.log;
    this.snapshotOf = d.snapshot;
    this.redis = new RedisClient(parseRedisUrl(c.redis), {
        connectTimeoutMs: 1000,
        commandTimeoutMs: Math.max(1000, c.heartbeatExpiryMs),
        maxBackoffMs: Math.min(2000, c.heartbeatExpiryMs),
        onState: (up, err) => this.onRedisState(up, err),
      });
    this.store = new ClusterStore(this.redis, c.keyPrefix);
    // Not connected yet: degraded until the first catch-up succeeds (logged only if it has to be retried).
    this._degraded = true;
    this.catchUpPending = true;
    d.audit.node = this.nodeId;
    d.audit.onAppended = (rec) => this.mirrorAudit(rec);
    this.unsub.push(d.registry.on('callClosed', (call) => this.changed(call.callId)));
    this.unsub.push(d.events.subscribe((e) => this.changed(e.callId)));
  }

  /** Starts the heartbeat loop (does not wait for Redis: the daemon serves without it). */
  start(): void {
    if (this.apiUrl === '') this.apiUrl = this.d.httpUrl();
    this.running = true;
    this.hbTimer = setInterval(() => void this.tick(), this.d.config.heartbeatMs);
    this.hbTimer.unref();
    if (this.redis.connected) this.onRedisState(true);
  }

  attachMetrics(m: ClusterMetrics): void {
    this.metrics = m;
    m.stats = this;
  }

  get role(): 'active' | 'standby' {
    return this._role;
  }

  isStandby(): boolean {
    return this._role === 'standby';
  }

  get degraded(): boolean {
    return this._degraded;
  }

  get redisConnected(): boolean {
    return this.redis.connected;
  }

  get peerCount(): number {
    let n = 0;
    for (const p of this.peers.values()) if (p.alive && p.node !== this.nodeId) n++;
    return n;
  }

  get queueDepth(): number {
    return this.dirty.size + this.inflight.size;
  }

  peerList(): PeerInfo[] {
    return [...this.peers.values()];
  }

  peer(node: string): PeerInfo | undefined {
    return this.peers.get(node);
  }

  /** Register what restores another node's calls here (src/cluster/restore.ts). */
  onTakeover(fn: TakeoverHandler): void {
    this.takeoverHandler = fn;
  }

  // ---- replication -------------------------------------------------------------------------------------

  /**
   * A signalling change of `callId` (offer/answer/delete, supervision, prompts, timeouts...). Resolves when the
   * write that includes it is done or failed — at once when this node does not replicate (standby) or Redis
   * is unreachable. Callers bound the wait with `settle`.
   */
  changed(callId: string): Promise<void> {
    if (this.closed || this._role === 'standby') return Promise.resolve();
    this.dirty.add(callId);
    if (!this.redis.connected) {
      this.setDegraded(true, 'Redis unreachable');
      return Promise.resolve();
    }
    const p = new Promise<void>((resolve) => {
      let list = this.waiters.get(callId);
      if (!list) this.waiters.set(callId, (list = []));
      list.push(resolve);
    });
    this.pump();
    return p;
  }

  /** `changed(callId)`, waited for at most cluster.writeTimeoutMs (then replication is marked degraded). */
  async settle(callId: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.changed(callId).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.d.config.writeTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) this.setDegraded(true, `a write took longer than cluster.writeTimeoutMs (${this.d.config.writeTimeoutMs} ms)`);
  }

  private pump(): void {
    if (!this.redis.connected || this.closed) return;
    for (const callId of this.dirty) {
      if (this.inflight.size >= MAX_PARALLEL_WRITES) break;
      if (this.inflight.has(callId)) continue;
      this.dirty.delete(callId);
      const waiters = this.waiters.get(callId) ?? [];
      this.waiters.delete(callId);
      this.inflight.add(callId);
      const t0 = process.hrtime.bigint();
      void this.writeCall(callId).then(
        () => {
          this.writes++;
          this.metrics?.writeSeconds.observe(Number(process.hrtime.bigint() - t0) / 1e9);
          this.writeDone(callId, waiters, true);
        },
        (err: unknown) => {
          this.redisErrors++;
          this.dirty.add(callId); // retried on the next pump / catch-up
          this.setDegraded(true, `Redis write failed: ${err instanceof Error ? err.message : String(err)}`);
          this.writeDone(callId, waiters, false);
        },
      );
    }
  }

  private writeDone(callId: string, waiters: Array<() => void>, ok: boolean): void {
    this.inflight.delete(callId);
    for (const w of waiters) w();
    if (ok && this.redis.connected) this.pump();
    if (ok && this.dirty.size === 0 && this.inflight.size === 0 && !this.catchUpPending) this.setDegraded(false);
  }

  private async writeCall(callId: string): Promise<void> {
    const call = this.d.registry.get(callId);
    if (!call || call.closed) {
      // Nothing of it in Redis (never written, or already removed): no command.
      if (!this.written.delete(callId)) return;
      this.ownerWritten.delete(callId);
      await this.store.deleteCall(this.nodeId, callId);
      return;
    }
    const rec: CallRecord = { v: 1, node: this.nodeId, updatedMs: Date.now(), summary: this.summary(call), snapshot: this.snapshotOf(call) };
    this.written.add(callId);
    // The owner key is written with the first record (and again after Redis came back), not on every change.
    const withOwner = !this.ownerWritten.has(callId);
    await this.store.putCall(this.nodeId, rec, withOwner);
    if (withOwner) this.ownerWritten.add(callId);
  }

  summary(call: Call): CallSummary {
    const sessions = this.d.supervision.sessionsOf(call);
    return {
      callId: call.callId,
      created: new Date(call.createdMs).toISOString(),
      participants: call.participants.size,
      supervisors: sessions.map((s) => ({ tag: s.tag, mode: s.mode, agentTag: s.agentTag, supervisor: s.supervisor ?? null })),
    };
  }

  private mirrorAudit(rec: AuditRecord): void {
    if (this.pendingAudit.length >= MAX_PENDING_AUDIT) {
      this.pendingAudit.shift();
      this.redisErrors++;
    }
    this.pendingAudit.push(rec);
    void this.flushAudit();
  }

  /** Pushes queued audit records in order (one at a time: a failure keeps the order for the retry). */
  private async flushAudit(): Promise<void> {
    if (this.auditFlushing) return;
    this.auditFlushing = true;
    try {
      while (this.pendingAudit.length > 0 && this.redis.connected && !this.closed) {
        const batch = this.pendingAudit.slice(0, 256);
        // Pipelined in order on one connection: Redis applies them in this order.
        await Promise.all(batch.map((r) => this.store.appendAudit(r.callId, JSON.stringify(r))));
        this.pendingAudit.splice(0, batch.length);
      }
    } catch {
      this.redisErrors++;
    } finally {
      this.auditFlushing = false;
    }
  }

  private onRedisState(up: boolean, err?: Error): void {
    if (this.closed) return;
    if (!up) {
      this.redisErrors++;
      this.catchUpPending = true;
      this.setDegraded(true, err ? `Redis: ${err.message}` : 'Redis connection lost');
      // Nobody waits for a write that cannot happen.
      for (const [id, list] of this.waiters) {
        this.waiters.delete(id);
        for (const w of list) w();
      }
      return;
    }
    if (this.running) void this.catchUp();
  }

  /** Redis is (back) up: heartbeat, rewrite every live call, flush the audit mirror; then degraded clears. */
  private async catchUp(): Promise<void> {
    this.catchUpPending = true;
    try {
      await this.beat();
      if (this._role === 'active') {
        this.ownerWritten.clear(); // Redis may have lost them (restart without persistence)
        for (const call of this.d.registry.all()) if (!call.closed) this.dirty.add(call.callId);
        await Promise.all([...this.dirty].map((id) => this.changed(id)));
      }
      await this.flushAudit();
      if (this.dirty.size === 0 && this.inflight.size === 0 && this.redis.connected) {
        this.catchUpPending = false;
        this.setDegraded(false);
      }
    } catch (err) {
      this.redisErrors++;
      this.log.debug({ err }, 'cluster catch-up failed; retried on the next heartbeat');
    }
  }

  /** One log line per transition (the silent start-up state is logged when something actually fails). */
  private setDegraded(on: boolean, reason?: string): void {
    if (on === this._degraded && (!on || this.degradedLogged)) return;
    this._degraded = on;
    if (on) {
      this.degradedLogged = true;
      this.log.warn({ node: this.nodeId, reason }, 'cluster replication degraded: calls continue, their state is not (all) in Redis');
    } else {
      if (this.degradedLogged) this.log.info({ node: this.nodeId }, 'cluster replication restored: every live call is in Redis');
      this.degradedLogged = false;
    }
  }

  // ---- heartbeat, peers, takeover ----------------------------------------------------------------------

  private beat(): Promise<void> {
    if (this.closing) return Promise.resolve();
    const beat: NodeBeat = { apiUrl: this.apiUrl, role: this._role, started: this.started };
    return this.store.beat(this.nodeId, beat, this.d.config.heartbeatExpiryMs);
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.closed || !this.redis.connected) return;
    this.ticking = true;
    try {
      await this.beat();
      if (this.catchUpPending) await this.catchUp();
      else {
        this.refreshAnchors();
        // Owner keys expire after RECORD_TTL_S: rewritten with each call's next change after an hour.
        if (Date.now() - this.ownerRefreshMs > 3_600_000) {
          this.ownerRefreshMs = Date.now();
          this.ownerWritten.clear();
        }
        if (this.dirty.size > 0) this.pump();
      }
      await this.refreshPeers();
      if (this._role === 'standby') await this.watch();
    } catch (err) {
      this.redisErrors++;
      this.log.debug({ err }, 'cluster heartbeat failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Every ~1 s: the calls refreshDue() names are rewritten (stream anchors of a mixer, SDES rollover counters). */
  private refreshAnchors(): void {
    const now = Date.now();
    if (this._role !== 'active' || now - this.lastAnchorMs < 1000) return;
    this.lastAnchorMs = now;
    for (const call of this.d.registry.all()) if (!call.closed && this.d.refreshDue(call)) this.dirty.add(call.callId);
  }

  async refreshPeers(): Promise<void> {
    const nodes = await this.store.nodes();
    const peers = new Map<string, PeerInfo>();
    for (const [node, beat] of nodes) {
      peers.set(node, { node, alive: beat !== null, role: beat?.role ?? null, apiUrl: beat?.apiUrl ?? this.peers.get(node)?.apiUrl ?? null });
      if (beat && beat.role === 'active' && node !== this.nodeId) this.seenActive.add(node);
      // A member with no heartbeat crashed (an orderly shutdown leaves the set), perhaps before this standby
      // started and saw it alive: taken over too if it left calls (watch()).
      if (beat === null && node !== this.nodeId) this.orphans.add(node);
    }
    // A node that left the membership set shut down in order: never take it over.
    for (const n of [...this.seenActive]) if (!nodes.has(n)) this.seenActive.delete(n);
    for (const n of [...this.orphans]) if (!nodes.has(n) || peers.get(n)?.alive) this.orphans.delete(n);
    this.peers = peers;
  }

  private async watch(): Promise<void> {
    for (const n of [...this.seenActive]) {
      const p = this.peers.get(n);
      if (p && !p.alive) {
        this.seenActive.delete(n);
        // refreshPeers read the membership (SMEMBERS) and the heartbeats (MGET) one round trip apart: an
        // orderly shutdown between the two reads looks like an expired heartbeat. It leaves the membership
        // before it drops its heartbeat (close()), so a member whose heartbeat is still gone now crashed.
        if (!(await this.crashed(n))) continue;
        this.log.warn({ node: this.nodeId, dead: n }, 'cluster: heartbeat of an active node expired; taking it over');
        await this.takeOver(n, 'heartbeat expired');
        if (this._role === 'active') return;
      }
    }
    const withCalls: string[] = [];
    for (const n of [...this.orphans]) {
      this.orphans.delete(n);
      if (this.seenActive.has(n)) continue;
      if ((await this.store.callsOf(n)).length > 0) withCalls.push(n);
      // Nothing to take: forget the member (it adds itself again with its next heartbeat if it lives).
      else await this.redis.command(['SREM', this.store.key('nodes'), n]);
    }
    for (const n of withCalls) {
      this.log.warn({ node: this.nodeId, dead: n }, 'cluster: a member without a heartbeat left calls; taking it over');
      await this.takeOver(n, 'heartbeat expired');
      if (this._role === 'active') return;
    }
  }

  /** `node` is still a member and has no heartbeat: it did not shut down in order (close() leaves the set first). */
  private async crashed(node: string): Promise<boolean> {
    const [member, beat] = await Promise.all([this.redis.command(['SISMEMBER', this.store.key('nodes'), node]), this.redis.command(['EXISTS', this.store.key('node', node)])]);
    return member === 1 && beat === 0;
  }

  /**
   * Take `deadNode`'s calls over: lock, read, restore (handler), re-own, become active. Returns the calls taken
   * (0 when another standby holds the lock). Explicit callers (HTTP) check liveness first.
   */
  async takeOver(deadNode: string, reason: string): Promise<{ calls: number; locked: boolean }> {
    if (deadNode === this.nodeId) throw new Error('a node cannot take itself over');
    if (!(await this.store.lockTakeover(deadNode, this.nodeId))) {
      this.log.info({ node: this.nodeId, dead: deadNode }, 'cluster: another node is taking this node over');
      return { calls: 0, locked: false };
    }
    const records = await this.store.callsOf(deadNode);
    const t0 = Date.now();
    if (this.takeoverHandler) {
      try {
        await this.takeoverHandler(deadNode, records);
      } catch (err) {
        this.log.error({ err, dead: deadNode }, 'cluster: restoring the calls of a dead node failed (partly)');
      }
    } else if (records.length > 0) {
      this.log.warn({ dead: deadNode, calls: records.length }, 'cluster: no takeover handler: calls re-owned but not restored');
    }
    await this.store.reown(deadNode, this.nodeId, records);
    for (const r of records) this.written.add(r.summary.callId);
    await this.redis.command(['SREM', this.store.key('nodes'), deadNode]);
    this.takeovers++;
    const wasStandby = this._role === 'standby';
    this._role = 'active';
    await this.beat().catch(() => undefined);
    // The restored calls are this node's now: write fresh snapshots of everything it holds.
    for (const call of this.d.registry.all()) if (!call.closed) void this.changed(call.callId);
    // With a handler, restore.ts writes the takeover record of each call (with what it restored).
    for (const r of this.takeoverHandler ? [] : records) {
      this.d.audit
        .append({ event: 'takeover', callId: r.summary.callId, source: 'cluster', reason, details: { from: deadNode, to: this.nodeId } })
        .catch((err: unknown) => this.log.error({ err }, 'audit: takeover record failed'));
    }
    this.log.warn({ node: this.nodeId, dead: deadNode, calls: records.length, ms: Date.now() - t0, wasStandby, reason }, 'cluster: took over a node');
    return { calls: records.length, locked: true };
  }

  /** Every call of the cluster that this node does not hold locally, with its owner. */
  async remoteCalls(): Promise<Array<CallSummary & { owner: string; ownerAlive: boolean }>> {
    const nodes = await this.store.nodes();
    const out: Array<CallSummary & { owner: string; ownerAlive: boolean }> = [];
    for (const [node, beat] of nodes) {
      if (node === this.nodeId) continue;
      for (const rec of await this.store.callsOf(node)) {
        if (this.d.registry.get(rec.summary.callId)) continue;
        out.push({ ...rec.summary, owner: node, ownerAlive: beat !== null });
      }
    }
    return out;
  }

  /** Orderly shutdown: this node's calls ended; remove their records, its heartbeat and membership. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    if (this.hbTimer) clearInterval(this.hbTimer);
    for (const u of this.unsub) u();
    this.d.audit.onAppended = undefined;
    try {
      if (this.redis.connected) {
        await this.flushAudit();
        const ids = [...this.written];
        // Membership and records first, the heartbeat after them: a standby that finds the heartbeat gone
        // then also finds the node out of the set (watch() checks) and does not take an orderly exit over.
        const leave = async (): Promise<void> => {
          await Promise.all([this.store.dropCalls(this.nodeId, ids), this.redis.command(['SREM', this.store.key('nodes'), this.nodeId])]);
          await this.store.dropBeat(this.nodeId);
        };
        await Promise.race([leave(), new Promise((r) => setTimeout(r, 1000))]);
      }
    } catch {
      /* best effort */
    }
    this.closed = true;
    for (const list of this.waiters.values()) for (const w of list) w();
    this.waiters.clear();
    await this.redis.close();
  }
}
