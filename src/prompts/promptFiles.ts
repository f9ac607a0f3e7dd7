/**
 * Prompt files named by a peer (ng `play media` `file`, HTTP `POST …/prompts` `{file}`): read only from
 * the configured prompt directory (`prompts.dir`), never from anywhere else the daemon can open.
 *
 * A name is resolved against the directory (an absolute name must lie inside it), then realpath'ed
 * (symlinks resolved) and refused unless the result is strictly inside the directory's own realpath.
 * The file is opened O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_NOCTTY, so a FIFO or a device never blocks one of
 * libuv's file threads on open, and the OPENED descriptor must be a regular file (fstat) no larger
 * than `prompts.maxFileBytes` — checked before a byte is read; then exactly that many bytes are read.
 * The whole lookup is bounded in time (`prompts.readTimeoutMs`), and at most MAX_IN_FLIGHT lookups use
 * the file threads at once, so a hung filesystem cannot take the threads the audit log needs.
 *
 * Every refusal — file prompts disabled, missing, outside the directory, not a regular file,
 * unreadable, too large, timed out — is the same BadRequestError("Prompt file not available"), so a
 * peer learns nothing about what exists on the host; the real reason is logged. A file that is
 * served but is not a usable WAV keeps decodeWav's own "Unsupported audio file: …" error.
 */
import { constants as fsc } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../errors';
import { infoRateLimited, type Logger } from '../log';
import { TextToSpeech, type TtsConfig } from './tts';

export const PROMPT_NOT_AVAILABLE = 'Prompt file not available';

/** Concurrent prompt-file lookups using libuv's file threads (it has 4; the audit log needs one). */
export const MAX_IN_FLIGHT = 2;

export interface PromptFilesConfig {
  /** The prompt directory; '' = file prompts disabled (blobs still work). */
  dir: string;
  /** Largest prompt file, bytes. */
  maxFileBytes: number;
  /** Longest a lookup (resolve, open, stat, read) may take, ms. */
  readTimeoutMs: number;
  /** Text prompts (`prompts.tts`, src/prompts/tts.ts); defaults when absent. */
  tts?: Partial<TtsConfig>;
}

class Refused extends Error {}

const OPEN_FLAGS = fsc.O_RDONLY | fsc.O_NONBLOCK | fsc.O_NOFOLLOW | fsc.O_NOCTTY;

export class PromptFiles {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** Text prompts: the synthesizer both control edges use (one concurrency limit, one rate limit per call). */
  readonly tts: TextToSpeech;

  constructor(
    private readonly cfg: PromptFilesConfig,
    private readonly log?: Logger,
  ) {
    this.tts = new TextToSpeech(cfg.tts, log);
  }

  /** The bytes of prompt file `name`, or BadRequestError(PROMPT_NOT_AVAILABLE). */
  async read(name: string): Promise<Buffer> {
    const deadline = Date.now() + this.cfg.readTimeoutMs;
    try {
      if (this.cfg.dir === '') throw new Refused('file prompts are disabled (prompts.dir is empty)');
      if (name === '' || name.includes('\0')) throw new Refused('empty name or NUL byte');
      return await this.withTimeout(this.lookup(name, deadline), deadline);
    } catch (err) {
      const reason = err instanceof Refused ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      infoRateLimited(this.log, 'prompts:refused', { file: name.slice(0, 256), reason }, 'prompt file refused');
      throw new BadRequestError(PROMPT_NOT_AVAILABLE);
    }
  }

  private withTimeout<T>(p: Promise<T>, deadline: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Refused('timed out')), Math.max(0, deadline - Date.now()));
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (err) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  /** Wait for a file-thread slot; false if the deadline passed first (the waiter is then abandoned). */
  private async acquire(deadline: number): Promise<boolean> {
    if (this.inFlight < MAX_IN_FLIGHT) {
      this.inFlight++;
      return true;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (Date.now() >= deadline) {
      this.release(); // the slot was handed to us: pass it on
      return false;
    }
    return true;
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  private async lookup(name: string, deadline: number): Promise<Buffer> {
    if (!(await this.acquire(deadline))) throw new Refused('busy: earlier lookups still hold the file threads');
    try {
      const root = await realpath(path.resolve(this.cfg.dir));
      const real = await realpath(path.resolve(root, name));
      if (!real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) throw new Refused(`outside the prompt directory (${real})`);
      const fh = await open(real, OPEN_FLAGS);
      try {
        const st = await fh.stat();
        if (!st.isFile()) throw new Refused('not a regular file');
        if (st.size > this.cfg.maxFileBytes) throw new Refused(`larger than prompts.maxFileBytes (${st.size} bytes)`);
        if (Date.now() >= deadline) throw new Refused('timed out');
        const buf = Buffer.allocUnsafe(st.size);
        let got = 0;
        while (got < st.size) {
          const { bytesRead } = await fh.read(buf, got, st.size - got, got);
          if (bytesRead === 0) break; // truncated under us: decode what is there
          got += bytesRead;
          if (Date.now() >= deadline) throw new Refused('timed out');
        }
        return got === st.size ? buf : buf.subarray(0, got);
      } finally {
        await fh.close();
      }
    } finally {
      this.release();
    }
  }
}
