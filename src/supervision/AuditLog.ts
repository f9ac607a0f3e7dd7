/**
 * Durable audit trail of supervision: every start, stop, mode change, mute toggle, prompt, denial and
 * failsafe teardown. Contracts:
 *  - `append` assigns `time` and `seq` synchronously, in call order; records reach the file in `seq`
 *    order even when appends are concurrent (concurrent ones share one write + one fdatasync).
 *  - `append` resolves only after the record's line is written AND fdatasync'ed, so a command can
 *    be answered knowing its audit record survives a crash. It rejects with AuditWriteError when the
 *    write or the sync fails; the bytes of the failed batch are truncated away (best effort) and the
 *    record is neither counted nor queryable. Its `seq` is not reused: a gap in `seq` = a failed append.
 *  - File format: one JSON object per line, keys `time, seq, event, callId, ...`; undefined fields
 *    are omitted. The in-memory copy is exactly what was written (JSON round trip), frozen.
 *  - `open` loads the newest `keepInMemory` records of an existing file and continues `seq` after the
 *    highest one found. Unparseable lines (a torn last line after a crash) are skipped with a warning,
 *    never deleted; a missing final newline is added before the next record.
 *  - `file: ""` = memory only (warned once at open); appends resolve without I/O.
 *  - `counts` counts successful appends per event since this process opened the log (for /metrics).
 */
import { mkdir, open as openFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BadRequestError, ConfigError } from '../errors';
import { logger } from '../log';
import type { AuditConfig } from './auditSchema';

export const AUDIT_EVENTS = ['start', 'stop', 'mode', 'mute', 'prompt', 'denied', 'failsafe', 'aec', 'recording', 'takeover'] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];
/** 'cluster': written by the cluster layer (a takeover, src/cluster/). */
export type AuditSource = 'ng' | 'http' | 'dtmf' | 'failsafe' | 'cluster';

export interface AuditRecord {
  /** ISO 8601, set by `append`. */
  time: string;
  /** Strictly increasing across restarts (continues from the file), set by `append`. */
  seq: number;
  /** The node that wrote it (cluster.node), when the daemon is part of a cluster (issue 14). */
  node?: string;
  event: AuditEvent;
  callId: string;
  supervisorTag?: string;
  agentTag?: string;
  /** Identities as the proxy sent them. */
  supervisor?: string;
  agent?: string;
  oldMode?: string | null;
  newMode?: string | null;
  /** Denial reason, stop cause, failsafe trigger... */
  reason?: string;
  source: AuditSource;
  details?: Record<string, unknown>;
}

export type AuditInput = Omit<AuditRecord, 'time' | 'seq' | 'node'>;

export interface AuditQuery {
  callId?: string;
  event?: string;
  /** ISO 8601: records with `time >= since`. */
  since?: string;
  /** At most this many of the newest matches. */
  limit?: number;
}

export interface AuditOpenOptions {
  /** Clock for `time` (tests). */
  now?: () => Date;
}

/** An append could not be made durable. The message names the file and the system error. */
export class AuditWriteError extends Error {
  constructor(file: string, cause: unknown) {
    super(`audit: appending to ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'AuditWriteError';
  }
}

interface Pending {
  rec: AuditRecord;
  line: string;
  resolve: (r: AuditRecord) => void;
  reject: (e: unknown) => void;
}

const TAIL_CHUNK = 64 * 1024;

export class AuditLog {
  private readonly ring: AuditRecord[] = [];
  private readonly countsByEvent = Object.fromEntries(AUDIT_EVENTS.map((e) => [e, 0])) as Record<AuditEvent, number>;
  private pending: Pending[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Cluster node id stamped on every record (set by the cluster layer; undefined = not clustered). */
  node: string | undefined;
  /** Told about every record once it is durable, in `seq` order (the cluster layer mirrors them to Redis). */
  onAppended: ((rec: AuditRecord) => void) | undefined;

  private constructor(
    private readonly file: string,
    private readonly fh: FileHandle | null,
    /** Bytes of the file known to be good (where a failed batch is truncated back to). */
    private size: number,
    /** The file does not end with '\n' (torn last line, or a failed truncate). */
    private needsNewline: boolean,
    private seq: number,
    private readonly keep: number,
    private readonly now: () => Date,
  ) {}

  /**
   * Opens (creating it and its directory if needed) the audit file and loads its tail.
   * @throws ConfigError when the file cannot be opened or read.
   */
  static async open(cfg: AuditConfig, opts: AuditOpenOptions = {}): Promise<AuditLog> {
    const log = logger.child({ mod: 'audit' });
    const now = opts.now ?? (() => new Date());
    if (cfg.file === '') {
      log.warn('audit.file is empty: audit records are kept in memory only and are lost on restart');
      return new AuditLog('', null, 0, false, 0, cfg.keepInMemory, now);
    }
    let fh: FileHandle | undefined;
    try {
      await mkdir(dirname(cfg.file), { recursive: true });
      fh = await openFile(cfg.file, 'a+');
      await syncDir(dirname(cfg.file)); // a just-created file's directory entry must be durable too
      const size = (await fh.stat()).size;
      const tail = await readTail(fh, size, cfg.keepInMemory);
      if (tail.skipped > 0) log.warn({ file: cfg.file, skipped: tail.skipped }, 'audit: skipped unparseable lines');
      const a = new AuditLog(cfg.file, fh, size, tail.needsNewline, tail.lastSeq, cfg.keepInMemory, now);
      for (const r of tail.records) a.remember(r);
      log.info({ file: cfg.file, loaded: tail.records.length, lastSeq: tail.lastSeq }, 'audit log open');
      return a;
    } catch (err) {
      await fh?.close().catch(() => undefined);
      throw new ConfigError(`audit.file: cannot open "${cfg.file}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Successful appends per event since open. The object is live; do not mutate it. */
  get counts(): Readonly<Record<AuditEvent, number>> {
    return this.countsByEvent;
  }

  /** Highest `seq` assigned so far (0 when none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Appends a record; resolves with it (time and seq set) once it is durable. See the file header. */
  append(input: AuditInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new AuditWriteError(this.file || '(memory)', new Error('audit log is closed')));
    if (!(AUDIT_EVENTS as readonly string[]).includes(input.event)) {
      return Promise.reject(new BadRequestError(`Unknown audit event "${String(input.event)}"`));
    }
    let line: string;
    let rec: AuditRecord;
    try {
      line = JSON.stringify({ time: this.now().toISOString(), seq: this.seq + 1, ...(this.node !== undefined ? { node: this.node } : {}), ...input }) + '\n';
      rec = deepFreeze(JSON.parse(line) as AuditRecord);
    } catch (err) {
      return Promise.reject(err); // e.g. a BigInt or a cycle in details; no seq consumed
    }
    this.seq++;
    return new Promise<AuditRecord>((resolve, reject) => {
      this.pending.push({ rec, line, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.drained = this.drain();
      }
    });
  }

  /** Matching records from memory, oldest first (newest last); `limit` keeps the newest ones. */
  query(filter: AuditQuery = {}): AuditRecord[] {
    let sinceMs: number | undefined;
    if (filter.since !== undefined) {
      sinceMs = Date.parse(filter.since);
      if (Number.isNaN(sinceMs)) throw new BadRequestError('since must be an ISO 8601 time');
    }
    if (filter.event !== undefined && !(AUDIT_EVENTS as readonly string[]).includes(filter.event)) {
      throw new BadRequestError(`Unknown audit event "${filter.event}"`);
    }
    const { limit } = filter;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new BadRequestError('limit must be a non-negative integer');
    }
    const out: AuditRecord[] = [];
    const first = Math.max(0, this.ring.length - this.keep);
    for (let i = this.ring.length - 1; i >= first && (limit === undefined || out.length < limit); i--) {
      const r = this.ring[i]!;
      if (filter.callId !== undefined && r.callId !== filter.callId) continue;
      if (filter.event !== undefined && r.event !== filter.event) continue;
      if (sinceMs !== undefined && !(Date.parse(r.time) >= sinceMs)) continue;
      out.push(r);
    }
    return out.reverse();
  }

  /** Waits for queued appends to settle, then closes the file. Later appends reject. */
  close(): Promise<void> {
    this.closed = true;
    return (this.closing ??= (async () => {
      while (this.draining) await this.drained;
      await this.fh?.close();
    })());
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          await this.write(batch.map((p) => p.line).join(''));
        } catch (err) {
          const e = new AuditWriteError(this.file, err);
          for (const p of batch) p.reject(e);
          continue;
        }
        for (const p of batch) {
          this.remember(p.rec);
          this.countsByEvent[p.rec.event]++;
          try {
            this.onAppended?.(p.rec);
          } catch {
            /* a mirror's failure never fails the append */
          }
          p.resolve(p.rec);
        }
      }
    } finally {
      this.draining = false; // set in the same tick the loop saw an empty queue: no lost wake-up
    }
  }

  /** Appends `text` durably, or rolls the file back to the last good size and throws. */
  private async write(text: string): Promise<void> {
    const fh = this.fh;
    if (fh === null) return;
    const buf = Buffer.from((this.needsNewline ? '\n' : '') + text, 'utf8');
    try {
      for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
      await fh.datasync();
    } catch (err) {
      try {
        await fh.truncate(this.size);
      } catch {
        this.needsNewline = true; // unknown tail: never glue the next record onto it
      }
      throw err;
    }
    this.size += buf.length;
    this.needsNewline = false;
  }

  private remember(r: AuditRecord): void {
    if (this.keep === 0) return;
    this.ring.push(r);
    if (this.ring.length >= 2 * this.keep) this.ring.splice(0, this.ring.length - this.keep); // amortised O(1)
  }
}

interface Tail {
  records: AuditRecord[];
  lastSeq: number;
  skipped: number;
  needsNewline: boolean;
}

/**
 * Reads complete lines backwards from the end of the file until `keep` valid records (at least one,
 * for `seq`) are found or the file start is reached. Only the tail is read, whatever the file size.
 */
async function readTail(fh: FileHandle, size: number, keep: number): Promise<Tail> {
  const newestFirst: AuditRecord[] = [];
  let skipped = 0;
  let needsNewline = false;
  let pos = size;
  let partial = Buffer.alloc(0); // bytes of the line cut by the chunk boundary
  if (size > 0) {
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    needsNewline = last[0] !== 0x0a;
  }
  while (pos > 0 && newestFirst.length < Math.max(keep, 1)) {
    const len = Math.min(TAIL_CHUNK, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    for (let got = 0; got < len; ) got += (await fh.read(chunk, got, len - got, pos + got)).bytesRead;
    let buf = Buffer.concat([chunk, partial]);
    if (pos > 0) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        partial = buf;
        continue;
      }
      partial = buf.subarray(0, nl);
      buf = buf.subarray(nl + 1);
    }
    const lines = buf.toString('utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      if (lines[i]!.trim() === '') continue;
      const rec = parseRecord(lines[i]!);
      if (rec === undefined) skipped++;
      else newestFirst.push(rec);
    }
  }
  const lastSeq = newestFirst.reduce((m, r) => Math.max(m, r.seq), 0);
  return { records: newestFirst.slice(0, keep).reverse(), lastSeq, skipped, needsNewline };
}

async function syncDir(dir: string): Promise<void> {
  const d = await openFile(dir, 'r').catch(() => null);
  if (d === null) return;
  await d.sync().catch(() => undefined); // best effort: not every file system allows it
  await d.close();
}

function parseRecord(line: string): AuditRecord | undefined {
  try {
    const r = JSON.parse(line) as Partial<AuditRecord> | null;
    if (
      r !== null &&
      typeof r === 'object' &&
      typeof r.time === 'string' &&
      Number.isSafeInteger(r.seq) &&
      typeof r.event === 'string' &&
      typeof r.callId === 'string'
    ) {
      return deepFreeze(r as AuditRecord);
    }
  } catch {
    /* torn or foreign line */
  }
  return undefined;
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
