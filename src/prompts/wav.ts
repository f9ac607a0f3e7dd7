/**
 * WAV prompts for `play media` (ng keys `file` / `blob`; files are read by promptFiles.ts): decode,
 * downmix to mono, resample to the mix rate. Also writes 16-bit PCM WAV (tests, recordings).
 *
 * Accepted (RIFF/WAVE, little-endian; WAVE_FORMAT_EXTENSIBLE is read through its sub-format):
 *   format tag 1 PCM 16-bit signed or 8-bit unsigned; 7 G.711 μ-law and 6 A-law (8-bit);
 *   1 or 2 channels (stereo is averaged to mono); 8000, 11025, 16000, 22050, 44100 or 48000 Hz.
 * Everything else is refused with BadRequestError("Unsupported audio file: <reason>"); the reasons
 * are fixed texts (see the `fail(...)` calls), so proxies and operators can match on them.
 * blockAlign and byteRate are ignored (recomputed from channels × bits); trailing partial frames
 * are dropped; a data size of 0xFFFFFFFF (streaming writers) means "to the end of the file".
 *
 * Hand-written rather than a library: the npm candidates were unmaintained (wavefile's last release
 * 2020-01, node-wav 0.0.2) and this subset is ~100 lines reusing our G.711 tables.
 */
import { BadRequestError } from '../errors';
import { ALAW_TO_LINEAR, ULAW_TO_LINEAR } from '../codec/g711';
import { Resampler } from '../codec/resampler';
import { PROMPT_NOT_AVAILABLE } from './promptFiles';

/** Largest WAV accepted, in bytes (file or blob): 50 MiB ≈ 27 min of 16 kHz 16-bit mono. */
export const MAX_WAV_BYTES = 50 * 1024 * 1024;

/** Sample rates accepted in a WAV file, Hz. */
export const WAV_SAMPLE_RATES: readonly number[] = [8000, 11025, 16000, 22050, 44100, 48000];

export interface DecodedWav {
  /** Hz, one of WAV_SAMPLE_RATES */
  sampleRate: number;
  /** mono, 16-bit linear */
  samples: Int16Array;
}

const FMT_PCM = 1;
const FMT_FLOAT = 3;
const FMT_ALAW = 6;
const FMT_ULAW = 7;
const FMT_EXTENSIBLE = 0xfffe;
const HEADER_BYTES = 44;
/** Input samples per Resampler.process call (the TS fallback takes at most 5760). */
const RESAMPLE_BLOCK = 4800;

function fail(reason: string): never {
  throw new BadRequestError(`Unsupported audio file: ${reason}`);
}

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
}

/** Decode a WAV file image to mono 16-bit PCM at the file's own rate. Throws BadRequestError. */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  if (bytes.length > MAX_WAV_BYTES) fail('larger than 50 MB');
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') fail('not a WAV file');

  // Walk the chunks: [id 4][size 4 LE][body, padded to even length].
  let fmtOff = -1;
  let fmtLen = 0;
  let dataOff = -1;
  let dataLen = 0;
  let off = 12;
  while (off + 8 <= bytes.length) {
    const id = fourcc(bytes, off);
    const size = u32(bytes, off + 4);
    const body = off + 8;
    if (id === 'fmt ' && fmtOff < 0) {
      if (size < 16 || body + size > bytes.length) fail('truncated fmt chunk');
      fmtOff = body;
      fmtLen = size;
    } else if (id === 'data' && dataOff < 0) {
      const avail = bytes.length - body;
      if (size === 0xffffffff) dataLen = avail;
      else if (size > avail) fail('truncated data chunk');
      else dataLen = size;
      dataOff = body;
    }
    if (fmtOff >= 0 && dataOff >= 0) break;
    off = body + size + (size & 1);
  }
  if (fmtOff < 0) fail('missing fmt chunk');
  if (dataOff < 0) fail('missing data chunk');

  let format = u16(bytes, fmtOff);
  const channels = u16(bytes, fmtOff + 2);
  const sampleRate = u32(bytes, fmtOff + 4);
  const bits = u16(bytes, fmtOff + 14);
  if (format === FMT_EXTENSIBLE) {
    // WAVEFORMATEXTENSIBLE: cbSize 2, validBits 2, channelMask 4, then the sub-format GUID whose
    // first two bytes are the classic format tag.
    if (fmtLen < 40) fail('truncated fmt chunk');
    format = u16(bytes, fmtOff + 24);
  }

  if (format === FMT_FLOAT) fail('IEEE float samples not supported');
  if (format !== FMT_PCM && format !== FMT_ALAW && format !== FMT_ULAW) {
    fail(`compressed format tag ${format} not supported`);
  }
  if (channels !== 1 && channels !== 2) fail(`${channels} channels not supported`);
  if (format === FMT_PCM && bits !== 8 && bits !== 16) fail(`${bits}-bit PCM not supported`);
  if (format !== FMT_PCM && bits !== 8) fail(`${bits}-bit G.711 not supported`);
  if (!WAV_SAMPLE_RATES.includes(sampleRate)) fail(`sample rate ${sampleRate} Hz not supported`);

  const bytesPerSample = bits >> 3;
  const frameBytes = bytesPerSample * channels;
  const frames = Math.floor(dataLen / frameBytes);
  if (frames === 0) fail('empty audio');

  const samples = new Int16Array(frames);
  const table = format === FMT_ULAW ? ULAW_TO_LINEAR : format === FMT_ALAW ? ALAW_TO_LINEAR : null;
  for (let i = 0, p = dataOff; i < frames; i++, p += frameBytes) {
    let acc = 0;
    for (let c = 0, q = p; c < channels; c++, q += bytesPerSample) {
      if (table !== null) acc += table[bytes[q]!]!;
      else if (bytesPerSample === 1) acc += (bytes[q]! - 128) << 8; // 8-bit PCM is unsigned, 128 = 0
      else acc += (u16(bytes, q) << 16) >> 16;
    }
    samples[i] = channels === 2 ? acc >> 1 : acc; // average of L and R (floor)
  }
  return { sampleRate, samples };
}

/** The 44-byte header of a 16-bit PCM WAV with `dataBytes` of interleaved samples (sizes capped at 4 GiB - 1). */
export function wavHeader(rate: number, channels: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(FMT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28); // byte rate
  h.writeUInt16LE(channels * 2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40);
  return h;
}

/** A 16-bit PCM mono WAV image (44-byte header) of `samples` at `rate` Hz. */
export function wavBytes(samples: Int16Array, rate: number): Buffer {
  if (!Number.isInteger(rate) || rate <= 0) throw new BadRequestError('Invalid WAV sample rate');
  const dataLen = samples.length * 2;
  const buf = Buffer.alloc(HEADER_BYTES + dataLen);
  wavHeader(rate, 1, dataLen).copy(buf, 0);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, HEADER_BYTES + 2 * i);
  return buf;
}

/** Cache of resampler delays in output samples, per "inRate:outRate:backend". */
const delayCache = new Map<string, number>();

/**
 * The filter delay of a Resampler between these rates, in output samples: where the peak of its
 * impulse response lands. Measured once per rate pair (the wrapper does not expose the latency).
 */
function resamplerDelay(inRate: number, outRate: number): number {
  const probe = new Resampler(inRate, outRate);
  const key = `${inRate}:${outRate}:${probe.backend}`;
  let delay = delayCache.get(key);
  if (delay === undefined) {
    const n = Math.ceil(inRate / 50); // 20 ms: longer than any filter used here
    const input = new Int16Array(n);
    input[0] = 16384;
    const out = new Int16Array(Math.ceil((n * outRate) / inRate) + 64);
    const got = probe.process(input, 0, n, out, 0);
    let peak = 0;
    for (let i = 1; i < got; i++) if (Math.abs(out[i]!) > Math.abs(out[peak]!)) peak = i;
    delay = peak;
    delayCache.set(key, delay);
  }
  probe.close();
  return delay;
}

/** Input blocks resampled between two yields to the event loop (about 20k samples: a few ms of CPU). */
const BLOCKS_PER_SLICE = 4;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Feed all of `input` through `rs` in blocks, writing at out[w..]; returns the new write index. Yields
 * to the event loop every BLOCKS_PER_SLICE blocks, so a long prompt (a 30 s text prompt is ~650k
 * samples at 22.05 kHz) never holds the loop for more than a few ms at a time.
 */
async function feed(rs: Resampler, input: Int16Array, out: Int16Array, w: number): Promise<number> {
  for (let i = 0, b = 0; i < input.length; i += RESAMPLE_BLOCK, b++) {
    if (b > 0 && b % BLOCKS_PER_SLICE === 0) await yieldToLoop();
    const got = rs.process(input, i, Math.min(RESAMPLE_BLOCK, input.length - i), out, w);
    if (got < 0) throw new BadRequestError('Unsupported audio file: resampling failed');
    w += got;
  }
  return w;
}

/** Resample a whole prompt, with the filter delay removed and the tail flushed; length = round(n·out/in). */
async function resampleAll(pcm: Int16Array, inRate: number, outRate: number): Promise<Int16Array> {
  if (inRate === outRate) return pcm;
  const delay = resamplerDelay(inRate, outRate);
  const want = Math.round((pcm.length * outRate) / inRate);
  const flushIn = Math.ceil(((delay + 8) * inRate) / outRate) + 1; // zeros that push the tail out
  const out = new Int16Array(Math.ceil(((pcm.length + flushIn) * outRate) / inRate) + 64);
  const rs = new Resampler(inRate, outRate);
  try {
    let w = await feed(rs, pcm, out, 0);
    w = await feed(rs, new Int16Array(flushIn), out, w);
    const start = Math.min(delay, Math.max(0, w - want));
    return out.slice(start, start + Math.min(want, w - start));
  } finally {
    rs.close();
  }
}

/**
 * Decode a prompt for `play media` and resample it to `targetRate` Hz. Returns mono 16-bit PCM.
 * `blob` is the WAV image. Files are never opened here: the control edges (ng `play media`, HTTP
 * `POST …/prompts`) read a named file through PromptFiles (the prompt directory, bounded) and pass
 * its bytes as `blob`, with `file` kept as the name for the audit record. A `file` without `blob`
 * is therefore refused ("Prompt file not available"), whoever the caller.
 * Errors (BadRequestError): "No media file specified", "Prompt file not available",
 * "Unsupported audio file: <reason>".
 */
export async function loadPrompt(opts: { file?: string; blob?: Buffer }, targetRate: number): Promise<Int16Array> {
  let bytes: Uint8Array;
  if (opts.blob !== undefined) bytes = opts.blob;
  else if (opts.file !== undefined && opts.file !== '') throw new BadRequestError(PROMPT_NOT_AVAILABLE);
  else throw new BadRequestError('No media file specified');
  const wav = decodeWav(bytes);
  return resampleAll(wav.samples, wav.sampleRate, targetRate);
}
