/**
 * The cluster's state in Redis: key layout and the operations on it. Nothing here runs on the packet path.
 *
 * Keys (p = cluster.keyPrefix):
 *   p:nodes                 SET    every node id that ever started (peer discovery without SCAN)
 *   p:node:<id>             STRING heartbeat JSON {apiUrl, role, started}; SET PX cluster.heartbeatExpiryMs,
 *                                  renewed every cluster.heartbeatMs; deleted on orderly shutdown
 *   p:calls:<id>            HASH   callId -> CallRecord JSON {v, node, updatedMs, summary, snapshot} of node <id>'s calls
 *   p:owner:<callId>        STRING owner node id (EX 86400, rtpengine's default redis-expires)
 *   p:audit:<callId>        LIST   the call's audit records (JSON, each with `node`) in cluster order: RPUSH from
 *                                  whichever node owns the call, so the list stays ordered across a takeover (EX 86400)
 *   p:takeover:<id>         STRING lock: the standby taking node <id> over (SET NX PX 30000)
 */
import type { RedisLike, RespReply } from './redis/RedisClient';

/** What GET /v1/calls shows of a call another node owns (the same fields as a local call's summary). */
export interface CallSummary {
  callId: string;
  created: string;
  participants: number;
  supervisors: Array<{ tag: string; mode: string; agentTag: string; supervisor: string | null }>;
}

/** The value of one field of p:calls:<node>. `snapshot` is whatever snapshotCall() produced (JSON-safe). */
export interface CallRecord {
  v: 1;
  node: string;
  updatedMs: number;
  summary: CallSummary;
  snapshot: unknown;
}

export interface NodeBeat {
  apiUrl: string;
  role: 'active' | 'standby';
  started: string;
}

export const RECORD_TTL_S = 86400;
export const TAKEOVER_LOCK_MS = 30_000;

function str(r: RespReply): string | null {
  if (r === null) return null;
  if (Buffer.isBuffer(r)) return r.toString('utf8');
  if (typeof r === 'string') return r;
  return null;
}

export class ClusterStore {
  constructor(
    readonly redis: RedisLike,
    readonly prefix: string,
  ) {}

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async beat(node: string, beat: NodeBeat, expiryMs: number): Promise<void> {
    await Promise.all([this.redis.command(['SET', this.key('node', node), JSON.stringify(beat), 'PX', String(expiryMs)]), this.redis.command(['SADD', this.key('nodes'), node])]);
  }

  async dropBeat(node: string): Promise<void> {
    await this.redis.command(['DEL', this.key('node', node)]);
  }

  /** Every known node with its heartbeat (null = expired or never beat). */
  async nodes(): Promise<Map<string, NodeBeat | null>> {
    const ids = await this.redis.command(['SMEMBERS', this.key('nodes')]);
    const out = new Map<string, NodeBeat | null>();
    if (!Array.isArray(ids) || ids.length === 0) return out;
    const names = ids.map((x) => str(x)).filter((x): x is string => x !== null);
    const beats = await this.redis.command(['MGET', ...names.map((n) => this.key('node', n))]);
    names.forEach((n, i) => {
      const raw = Array.isArray(beats) ? str(beats[i] ?? null) : null;
      let beat: NodeBeat | null = null;
      if (raw !== null) {
        try {
          beat = JSON.parse(raw) as NodeBeat;
        } catch {
          beat = null;
        }
      }
      out.set(n, beat);
    });
    return out;
  }

  /** Write (replace) one call of `node`, and its owner key when `withOwner`; pipelined. */
  async putCall(node: string, rec: CallRecord, withOwner = true): Promise<void> {
    const callId = rec.summary.callId;
    const hset = this.redis.command(['HSET', this.key('calls', node), callId, JSON.stringify(rec)]);
    if (!withOwner) {
      await hset;
      return;
    }
    await Promise.all([hset, this.redis.command(['SET', this.key('owner', callId), node, 'EX', String(RECORD_TTL_S)])]);
  }

  async deleteCall(node: string, callId: string): Promise<void> {
    await Promise.all([this.redis.command(['HDEL', this.key('calls', node), callId]), this.redis.command(['DEL', this.key('owner', callId)])]);
  }

  async callsOf(node: string): Promise<CallRecord[]> {
    const r = await this.redis.command(['HGETALL', this.key('calls', node)]);
    const out: CallRecord[] = [];
    if (!Array.isArray(r)) return out;
    for (let i = 1; i < r.length; i += 2) {
      const raw = str(r[i]!);
      if (raw === null) continue;
      try {
        out.push(JSON.parse(raw) as CallRecord);
      } catch {
        /* a foreign or torn value: skip */
      }
    }
    return out;
  }

  async owner(callId: string): Promise<string | null> {
    return str(await this.redis.command(['GET', this.key('owner', callId)]));
  }

  /** Remove every call record of `node` (its calls ended with an orderly shutdown, or were taken over). */
  async dropCalls(node: string, callIds: string[]): Promise<void> {
    const cmds: Array<Promise<RespReply>> = [this.redis.command(['DEL', this.key('calls', node)])];
    for (const id of callIds) cmds.push(this.redis.command(['DEL', this.key('owner', id)]));
    await Promise.all(cmds);
  }

  async appendAudit(callId: string, recordJson: string): Promise<void> {
    const k = this.key('audit', callId);
    await Promise.all([this.redis.command(['RPUSH', k, recordJson]), this.redis.command(['EXPIRE', k, String(RECORD_TTL_S)])]);
  }

  async audit(callId: string): Promise<unknown[]> {
    const r = await this.redis.command(['LRANGE', this.key('audit', callId), '0', '-1']);
    if (!Array.isArray(r)) return [];
    const out: unknown[] = [];
    for (const x of r) {
      const raw = str(x);
      if (raw === null) continue;
      try {
        out.push(JSON.parse(raw));
      } catch {
        /* skip */
      }
    }
    return out;
  }

  /** Take the takeover lock of `deadNode` for `me`; false if another node holds it. */
  async lockTakeover(deadNode: string, me: string): Promise<boolean> {
    const r = await this.redis.command(['SET', this.key('takeover', deadNode), me, 'NX', 'PX', String(TAKEOVER_LOCK_MS)]);
    return r === 'OK';
  }

  /** Move `records` from `from` to `to`: rewritten under `to`, owner keys rewritten, removed from `from`. */
  async reown(from: string, to: string, records: CallRecord[]): Promise<void> {
    const now = Date.now();
    const cmds: Array<Promise<unknown>> = [];
    for (const rec of records) cmds.push(this.putCall(to, { ...rec, node: to, updatedMs: now }));
    await Promise.all(cmds);
    await this.redis.command(['DEL', this.key('calls', from)]);
  }
}
