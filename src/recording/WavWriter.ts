/**
 * One recording file: a 16-bit PCM WAV written off the packet path. The media plane's PCM is assembled
 * on Node's thread (StereoAssembler) and handed here in chunks of a few hundred ms; this writer queues
 * them and writes them with one async fs write at a time (libuv's thread pool: the event loop and the
 * media threads never wait for the disk).
 *
 * Failures never reach the call: a write error (ENOSPC on a full disk, EIO...) or a queue longer than
 * `maxQueuedBytes` (a disk slower than real time) makes the writer `failed`: it drops everything after,
 * closes the file (header patched to the bytes that made it to disk, best effort) and calls `onFailed`
 * once. close() patches the RIFF/data sizes, closes, and hashes the file as it is on disk (SHA-256).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { wavHeader } from '../prompts/wav';
import type { OggOpusStream } from './oggOpus';

export type WriterFailure = 'disk-full' | 'write-error' | 'disk-slow';

export interface WavFileInfo {
  name: string;
  path: string;
  bytes: number;
  /** PCM bytes in the data chunk. */
  dataBytes: number;
  durationMs: number;
  sha256: string | null;
  complete: boolean;
}

const HEADER = 44;

/**
 * Test hook (fault injection; null in production): called before each write; an Error fails that write,
 * a promise delays it (a slow disk).
 */
export type WriteFault = (path: string, bytes: number) => Error | Promise<void> | null;
export let writeFault: WriteFault | null = null;
export function setWriteFault(f: WriteFault | null): void {
  writeFault = f;
}

export class WavWriter {
  private fh: FileHandle | null = null;
  private opening: Promise<void>;
  private queue: Buffer[] = [];
  private queued = 0;
  private draining: Promise<void> | null = null;
  private dataBytes = 0;
  private closing: Promise<WavFileInfo> | null = null;
  /** Bytes before the audio data (WAV header, Ogg header pages). */
  private headerBytes: number;
  failed: WriterFailure | null = null;
  failure: string | null = null;

  constructor(
    readonly path: string,
    readonly name: string,
    readonly rate: number,
    readonly channels: number,
    private readonly maxQueuedBytes: number,
    fileMode: number,
    private readonly onFailed: (w: WavWriter, reason: WriterFailure, message: string) => void,
    /** Ogg Opus instead of WAV (recording.format 'ogg-opus'): chunks are encoded into pages, no header patch. */
    private readonly ogg: OggOpusStream | null = null,
  ) {
    this.headerBytes = ogg ? 0 : HEADER;
    this.opening = (async () => {
      try {
        this.fh = await open(path, 'wx', fileMode);
        if (ogg) {
          const h = ogg.head();
          await this.writeAt(h, 0);
          this.headerBytes = h.length;
        } else await this.writeAt(wavHeader(rate, channels, 0), 0);
      } catch (err) {
        this.fail(err);
      }
    })();
  }

  /** Queue PCM (interleaved, little-endian int16). Dropped once failed or closing. */
  write(pcm: Buffer): void {
    if (this.failed !== null || this.closing !== null) return;
    let buf: Buffer | null = pcm;
    if (this.ogg) {
      try {
        buf = this.ogg.push(pcm);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (buf === null) return;
    }
    this.queue.push(buf);
    this.queued += buf.length;
    if (this.queued > this.maxQueuedBytes) {
      this.fail(Object.assign(new Error(`more than ${this.maxQueuedBytes} bytes waiting for the disk`), { code: 'EDISKSLOW' }));
      return;
    }
    this.draining ??= this.drain();
  }

  private async writeAt(buf: Buffer, pos: number): Promise<void> {
    const f = writeFault?.(this.path, buf.length);
    if (f instanceof Error) throw f;
    if (f) await f;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.fh!.write(buf, off, buf.length - off, pos + off);
      if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
      off += bytesWritten;
    }
  }

  private async drain(): Promise<void> {
    await this.opening;
    while (this.queue.length > 0 && this.failed === null) {
      const batch = this.queue;
      this.queue = [];
      const buf = batch.length === 1 ? batch[0]! : Buffer.concat(batch);
      try {
        await this.writeAt(buf, this.headerBytes + this.dataBytes);
        this.dataBytes += buf.length;
        this.queued -= buf.length;
      } catch (err) {
        this.fail(err);
      }
    }
    this.draining = null;
  }

  private fail(err: unknown): void {
    if (this.failed !== null) return;
    const code = (err as { code?: string }).code;
    this.failed = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk-full' : code === 'EDISKSLOW' ? 'disk-slow' : 'write-error';
    this.failure = err instanceof Error ? err.message : String(err);
    this.queue = [];
    this.queued = 0;
    this.onFailed(this, this.failed, this.failure);
  }

  /** Write what is queued, patch the header, close, hash. Idempotent. Never rejects. */
  close(): Promise<WavFileInfo> {
    return (this.closing ??= this.finish());
  }

  private async finish(): Promise<WavFileInfo> {
    await this.opening;
    while (this.draining) await this.draining;
    if (this.ogg && this.fh && this.failed === null) {
      try {
        const tail = this.ogg.end();
        await this.writeAt(tail, this.headerBytes + this.dataBytes);
        this.dataBytes += tail.length;
      } catch (err) {
        this.fail(err);
      }
    }
    const bytesPerSec = this.rate * this.channels * 2;
    const info: WavFileInfo = {
      name: this.name,
      path: this.path,
      bytes: 0,
      dataBytes: this.dataBytes,
      durationMs: this.ogg ? Math.round((this.ogg.samples / this.rate) * 1000) : Math.round((this.dataBytes / bytesPerSec) * 1000),
      sha256: null,
      complete: false,
    };
    if (this.fh) {
      try {
        if (this.ogg) {
          // Pages are complete as written; a failed file is cut after its last whole write (no EOS page).
          if (this.failed !== null) await this.fh.truncate(this.headerBytes + this.dataBytes);
        } else if (this.failed !== null) {
          // A failed write may have left part of a chunk: keep whole frames only, and say so in the header.
          const frame = this.channels * 2;
          const size = (await this.fh.stat()).size;
          this.dataBytes = Math.max(0, Math.floor((size - HEADER) / frame) * frame);
          await this.fh.truncate(HEADER + this.dataBytes);
          info.dataBytes = this.dataBytes;
          info.durationMs = Math.round((this.dataBytes / bytesPerSec) * 1000);
        }
        // The header at offset 0 overwrites blocks the file already has: it succeeds on a full disk too.
        if (!this.ogg) await this.fh.write(wavHeader(this.rate, this.channels, this.dataBytes), 0, HEADER, 0);
        await this.fh.sync().catch(() => undefined);
        info.complete = this.failed === null;
      } catch (err) {
        if (this.failed === null) this.fail(err);
      }
      await this.fh.close().catch(() => undefined);
      this.fh = null;
      try {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of createReadStream(this.path)) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).length;
        }
        info.sha256 = hash.digest('hex');
        info.bytes = bytes;
      } catch {
        // unreadable: no checksum
      }
    }
    return info;
  }
}
