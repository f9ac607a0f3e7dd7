/**
 * Prompts from text (issue 15 "whisper from text"): HTTP `POST …/prompts {text, voice?, rate?}` and ng
 * `play media` key `text` (with `voice`, `rate`). The text is synthesized by a child process (espeak-ng
 * by default, `prompts.tts.command`) into a WAV, which then takes the WAV prompt path unchanged
 * (SupervisionService.playPrompts → loadPrompt: decode, resample to the mix rate with the existing
 * resampler, audit, play into the one participant's ear).
 *
 * Never on the event loop's or the media threads' time: synthesis is `child_process.spawn` (no shell)
 * with the text on stdin (never an argument, so no text becomes an option), a timeout (SIGKILL), an
 * output size cap and a per-process concurrency limit (refused, not queued). The voice must match a
 * strict pattern (and the `prompts.tts.voices` allow-list when set), so nothing a peer sends becomes a
 * file path or an option; the rate is an integer in 80..450 words per minute.
 *
 * Limits: `prompts.tts.maxChars` (code points) and `prompts.tts.perCallPerMinute` (any 60 s window; a
 * request is counted from synthesis on and uncounted if it fails, so a failed request changes nothing).
 *
 * Errors (exact texts; HTTP status in brackets):
 *   "Text prompts are disabled" [422]              "Prompt text is empty" [400]
 *   "Prompt text too long (max N characters)" [400] "Invalid voice" [400]   "Unknown voice" [400]
 *   "Invalid rate" [400]                            "Text prompt rate limit exceeded" [403]
 *   "Speech synthesizer busy" [503]                 "Speech synthesizer not available" [500]
 *   "Speech synthesis timed out" [500]              "Speech synthesis output too large" [500]
 *   "Speech synthesis failed" [500]
 *
 * Audit: the WAV path's 'prompt' record, reason `tts:sha256:<hex>`; the media object also carries
 * `auditDetails` {textSha256, chars, voice, rate[, text when prompts.tts.auditText]} for the record's
 * details (see ttsMedia).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { BadRequestError, NotPermittedError, UnsupportedError, WhisperError } from '../errors';
import { infoRateLimited, type Logger } from '../log';

export interface TtsConfig {
  enabled: boolean;
  command: string;
  maxChars: number;
  perCallPerMinute: number;
  maxConcurrent: number;
  timeoutMs: number;
  maxOutputBytes: number;
  defaultVoice: string;
  defaultRate: number;
  voices: string[];
  auditText: boolean;
}

export const TTS_DEFAULTS: TtsConfig = {
  enabled: true,
  command: 'espeak-ng',
  maxChars: 500,
  perCallPerMinute: 10,
  maxConcurrent: 2,
  timeoutMs: 5000,
  maxOutputBytes: 8 * 1024 * 1024,
  defaultVoice: 'en-us',
  defaultRate: 175,
  voices: [],
  auditText: false,
};

/** espeak-ng voice names: language[-region[-variant…]][+variant], e.g. en-us, en-gb-x-rp, de, en+f3. */
export const VOICE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}(\+[A-Za-z0-9_]{1,16})?$/;
export const MIN_RATE = 80;
export const MAX_RATE = 450;
const WINDOW_MS = 60_000;
/** stderr kept from the child for the log, bytes. */
const STDERR_KEEP = 2048;

/** A synthesis failed on the server side (500; ng error-reason = the message). */
export class SynthesisError extends WhisperError {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

/** Every synthesis slot is taken (503). */
export class SynthesizerBusyError extends WhisperError {
  constructor() {
    super('ERR_SESSION_LIMIT', 'Speech synthesizer busy');
  }
}

export interface TextPromptRequest {
  text: string;
  voice?: string;
  rate?: number;
}

/** What a text prompt hands to SupervisionService.playPrompt(s): the WAV path's media object. */
export interface TtsMedia {
  /** The audit record's reason: `tts:sha256:<hex>` (no text). */
  file: string;
  /** The synthesized WAV image. */
  blob: Buffer;
  /** Details for the 'prompt' audit record. */
  auditDetails: Record<string, unknown>;
}

/** Validated request. */
interface Checked {
  text: string;
  voice: string;
  rate: number;
  chars: number;
  sha256: string;
}

export class TextToSpeech {
  readonly cfg: TtsConfig;
  private running = 0;
  /** callId -> start times (ms) of counted prompts in the last WINDOW_MS, oldest first. */
  private readonly recent = new Map<string, number[]>();
  private sweptAt = Date.now();

  constructor(cfg: Partial<TtsConfig> | undefined, private readonly log?: Logger) {
    this.cfg = { ...TTS_DEFAULTS, ...(cfg ?? {}) };
  }

  /** Validate a request without side effects; throws the exact errors above. */
  check(req: TextPromptRequest): Checked {
    if (!this.cfg.enabled) throw new UnsupportedError('Text prompts are disabled');
    if (typeof req.text !== 'string' || req.text.trim() === '') throw new BadRequestError('Prompt text is empty');
    // Cheap bound before counting code points (a code point is at most 2 UTF-16 units).
    if (req.text.length > 2 * this.cfg.maxChars) throw new BadRequestError(`Prompt text too long (max ${this.cfg.maxChars} characters)`);
    const chars = [...req.text].length;
    if (chars > this.cfg.maxChars) throw new BadRequestError(`Prompt text too long (max ${this.cfg.maxChars} characters)`);
    const voice = req.voice ?? this.cfg.defaultVoice;
    if (typeof voice !== 'string' || !VOICE_PATTERN.test(voice)) throw new BadRequestError('Invalid voice');
    if (this.cfg.voices.length > 0 && !this.cfg.voices.some((v) => v.toLowerCase() === voice.toLowerCase())) throw new BadRequestError('Invalid voice');
    const rate = req.rate ?? this.cfg.defaultRate;
    if (!Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE) throw new BadRequestError('Invalid rate');
    const sha256 = createHash('sha256').update(req.text, 'utf8').digest('hex');
    return { text: req.text, voice, rate, chars, sha256 };
  }

  /**
   * Check, count against the call's rate limit, synthesize, and hand the media to `play` (the WAV
   * prompt path, which audits before it plays). Any failure uncounts the request and changes nothing.
   * Returns what `play` returns (the duration, ms).
   */
  async play(callId: string, req: TextPromptRequest, play: (media: TtsMedia) => Promise<number>): Promise<number> {
    const c = this.check(req);
    const release = this.take(callId);
    try {
      const blob = await this.synthesize(c.text, c.voice, c.rate);
      const auditDetails: Record<string, unknown> = { textSha256: c.sha256, chars: c.chars, voice: c.voice, rate: c.rate };
      if (this.cfg.auditText) auditDetails.text = c.text;
      return await play({ file: `tts:sha256:${c.sha256}`, blob, auditDetails });
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Count one prompt for `callId` now; throws when the window is full. Returns the un-count function. */
  private take(callId: string): () => void {
    const now = Date.now();
    if (now - this.sweptAt >= WINDOW_MS) this.sweep(now); // forget calls idle for a window (at most once a window)
    let times = this.recent.get(callId);
    if (times) while (times.length > 0 && times[0]! <= now - WINDOW_MS) times.shift();
    if (times && times.length >= this.cfg.perCallPerMinute) throw new NotPermittedError('Text prompt rate limit exceeded');
    if (!times) this.recent.set(callId, (times = []));
    times.push(now);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const list = this.recent.get(callId);
      const i = list ? list.lastIndexOf(now) : -1;
      if (list && i >= 0) list.splice(i, 1);
      if (list && list.length === 0) this.recent.delete(callId);
    };
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [id, times] of this.recent) if (times.length === 0 || times[times.length - 1]! <= now - WINDOW_MS) this.recent.delete(id);
  }

  /**
   * Run the synthesizer: `<command> --stdout --stdin -b 1 -v <voice> -s <rate>`, text (UTF-8) on stdin.
   * Returns the WAV image with its RIFF and data sizes set to what was written (espeak-ng streams with
   * placeholder sizes).
   */
  async synthesize(text: string, voice: string, rate: number): Promise<Buffer> {
    if (this.running >= this.cfg.maxConcurrent) throw new SynthesizerBusyError();
    this.running++;
    try {
      const wav = await this.run(text, voice, rate);
      return fixWavSizes(wav);
    } finally {
      this.running--;
    }
  }

  private run(text: string, voice: string, rate: number): Promise<Buffer> {
    // Control characters (bar tab and newline) are read as spaces: nothing but speech reaches the child.
    // eslint-disable-next-line no-control-regex
    const input = Buffer.from(text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' '), 'utf8');
    const args = ['--stdout', '--stdin', '-b', '1', '-v', voice, '-s', String(rate)];
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let bytes = 0;
      let stderr = '';
      let child: ReturnType<typeof spawn>;
      const finish = (err: Error | null, out?: Buffer, why?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          infoRateLimited(this.log, 'tts:failed', { command: this.cfg.command, voice, reason: why ?? err.message, stderr: stderr.slice(0, 512) }, 'speech synthesis failed');
          reject(err);
        } else resolve(out!);
      };
      const timer = setTimeout(() => finish(new SynthesisError('Speech synthesis timed out'), undefined, `no result within ${this.cfg.timeoutMs} ms`), this.cfg.timeoutMs);
      try {
        child = spawn(this.cfg.command, args, { shell: false, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      } catch (err) {
        finish(new SynthesisError('Speech synthesizer not available'), undefined, (err as Error).message);
        return;
      }
      child.on('error', (err: NodeJS.ErrnoException) => {
        const missing = err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'ENOTDIR';
        finish(new SynthesisError(missing ? 'Speech synthesizer not available' : 'Speech synthesis failed'), undefined, `${err.code ?? ''} ${err.message}`);
      });
      child.stdin!.on('error', () => undefined); // EPIPE when the child ends early: its exit says why
      child.stdout!.on('data', (b: Buffer) => {
        bytes += b.length;
        if (bytes > this.cfg.maxOutputBytes) {
          finish(new SynthesisError('Speech synthesis output too large'), undefined, `more than ${this.cfg.maxOutputBytes} bytes`);
          return;
        }
        chunks.push(b);
      });
      child.stderr!.on('data', (b: Buffer) => {
        if (stderr.length < STDERR_KEEP) stderr += b.toString('utf8', 0, Math.min(b.length, STDERR_KEEP));
      });
      child.on('close', (code, signal) => {
        if (code === 0) {
          finish(null, Buffer.concat(chunks, Math.min(bytes, this.cfg.maxOutputBytes)));
          return;
        }
        if (/voice does not exist|failed to read voice/i.test(stderr)) finish(new BadRequestError('Unknown voice'), undefined, 'unknown voice');
        else finish(new SynthesisError('Speech synthesis failed'), undefined, `exit ${code ?? signal}`);
      });
      child.stdin!.end(input);
    });
  }
}

/**
 * Set a streamed WAV's RIFF size and data-chunk size to the bytes actually present; a result that is
 * not a RIFF/WAVE image with a data chunk is a failed synthesis.
 */
export function fixWavSizes(wav: Buffer): Buffer {
  const fail = (): never => {
    throw new SynthesisError('Speech synthesis failed');
  };
  if (wav.length < 12 || wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE') fail();
  let off = 12;
  while (off + 8 <= wav.length) {
    const id = wav.toString('latin1', off, off + 4);
    if (id === 'data') {
      const avail = wav.length - (off + 8);
      const even = avail - (avail & 1);
      if (even === 0) fail();
      wav.writeUInt32LE(even, off + 4);
      wav.writeUInt32LE(off + 8 + even - 8, 4);
      return even === avail ? wav : wav.subarray(0, off + 8 + even);
    }
    const size = wav.readUInt32LE(off + 4);
    off += 8 + size + (size & 1);
  }
  return fail();
}

/** ng request keys of a text prompt (latin1 byte strings as decoded): text and voice are UTF-8. */
export function ngText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') throw new BadRequestError('Invalid value for key "text": expected a string');
  return Buffer.from(v, 'latin1').toString('utf8');
}
