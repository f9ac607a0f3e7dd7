/**
 * Opus (RFC 6716; RTP payload RFC 7587: clock 48000, one Opus packet per RTP payload) through
 * @discordjs/opus (native libopus), falling back to opusscript (libopus compiled to WebAssembly)
 * when the native module cannot load. Force the fallback with WHISPERD_OPUS_BACKEND=opusscript, or
 * per instance with `backend` (tests). The fallback is announced once in the log.
 *
 * Buffers: both libraries take a Node Buffer and return a new Buffer per call (their allocation).
 * We add none: input goes through one module-level scratch Buffer (views per length, created once)
 * and the returned bytes are copied into the caller's arrays.
 *
 * Packet loss: `conceal()` feeds the decoder a 1-byte packet (the last TOC with frame count code 0,
 * i.e. a frame of zero length), which libopus treats as lost and conceals (PLC / DTX CNG) for exactly
 * that frame's duration. In-band FEC DECODING is NOT available: neither binding exposes
 * opus_decode(..., decode_fec = 1) (@discordjs/opus hard-codes 0; opusscript's decode takes no such
 * flag), so losses are concealed by PLC. The encoder side (inbandFec + packetLossPerc) still works,
 * for peers that can use it.
 */
import { logger } from '../log';
import type { AudioDecoder, AudioEncoder } from './types';
import { CodecError } from './types';

export type OpusBackendName = 'native' | 'opusscript';
export type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;

/** libopus CTL request numbers (opus_defines.h). */
const CTL = {
  SET_APPLICATION: 4000,
  SET_BITRATE: 4002,
  SET_COMPLEXITY: 4010,
  SET_INBAND_FEC: 4012,
  SET_PACKET_LOSS_PERC: 4014,
  SET_DTX: 4016,
  SET_SIGNAL: 4024,
  RESET_STATE: 4028,
} as const;
const APPLICATION_VOIP = 2048;
const APPLICATION_AUDIO = 2049;
const SIGNAL_VOICE = 3001;
const MAX_PACKET = 3 * 1276; // bytes, libopus maximum for one packet
const MAX_FRAME = 5760; // samples per channel (120 ms at 48 kHz)

export interface OpusEncoderOptions {
  /** PCM input rate (Hz). Default 48000. */
  sampleRate?: OpusRate;
  /** 0..10 (CPU vs quality). Default 5. */
  complexity?: number;
  /** Target bitrate in bit/s (500..512000). Default 32000. */
  bitrate?: number;
  /** Send in-band FEC (LBRR) for the previous frame. Default false. Needs packetLossPerc > 0. */
  inbandFec?: boolean;
  /** Expected loss 0..100 %, tunes FEC. Default 0 (10 if inbandFec and unset). */
  packetLossPerc?: number;
  /** Discontinuous transmission: silent frames return 0 bytes (nothing to send). Default false. */
  dtx?: boolean;
  /** 'voip' (default) favours speech intelligibility; 'audio' favours fidelity. */
  application?: 'voip' | 'audio';
  /** Override the process-wide backend (tests). */
  backend?: OpusBackendName;
}

export interface OpusDecoderOptions {
  /** Output PCM rate (Hz). Default 48000. */
  sampleRate?: OpusRate;
  backend?: OpusBackendName;
}

/** The minimal surface both libraries offer, one object per encoder or decoder. */
interface OpusLib {
  encode(pcm: Buffer, samples: number): Buffer;
  decode(packet: Buffer): Buffer;
  encoderCtl(ctl: number, value: number): void;
  decoderCtl(ctl: number, value: number): void;
  destroy(): void;
}

type NativeModule = typeof import('@discordjs/opus');
type ScriptCtor = typeof import('opusscript');

let nativeModule: NativeModule | null | undefined;
let scriptCtor: ScriptCtor | undefined;
let announced = false;

function loadNativeOpus(): NativeModule | null {
  if (nativeModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      nativeModule = require('@discordjs/opus') as NativeModule;
    } catch (err) {
      nativeModule = null;
      announce(`native @discordjs/opus unavailable (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    }
  }
  return nativeModule;
}

function announce(reason: string): void {
  if (announced) return;
  announced = true;
  logger.warn({ mod: 'codec' }, `Opus: ${reason}; using opusscript (WebAssembly, about 2x slower)`);
}

/** The backend new Opus instances use by default: 'opusscript' if forced by env or native is missing. */
export function opusBackend(): OpusBackendName {
  if (process.env.WHISPERD_OPUS_BACKEND === 'opusscript') {
    announce('WHISPERD_OPUS_BACKEND=opusscript');
    return 'opusscript';
  }
  return loadNativeOpus() === null ? 'opusscript' : 'native';
}

function createLib(backend: OpusBackendName, rate: OpusRate, application: number): OpusLib {
  if (backend === 'native') {
    const mod = loadNativeOpus();
    if (mod === null) throw new Error('@discordjs/opus is not available');
    const o = new mod.OpusEncoder(rate, 1);
    return {
      encode: (pcm) => o.encode(pcm),
      decode: (packet) => o.decode(packet),
      encoderCtl: (ctl, value) => o.applyEncoderCTL(ctl, value),
      decoderCtl: (ctl, value) => o.applyDecoderCTL(ctl, value),
      destroy: () => undefined, // freed by its C++ destructor on GC; the binding has no explicit free
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  scriptCtor ??= require('opusscript') as ScriptCtor;
  const s = new scriptCtor(rate, 1, application);
  return {
    encode: (pcm, samples) => s.encode(pcm, samples),
    decode: (packet) => s.decode(packet),
    encoderCtl: (ctl, value) => s.encoderCTL(ctl, value),
    decoderCtl: (ctl, value) => s.decoderCTL(ctl, value),
    destroy: () => s.delete(),
  };
}

// Module-level scratch (single-threaded, both libraries copy synchronously): exact-length views are
// created once per length and reused, so no per-frame object is made here.
const packetScratch = Buffer.alloc(MAX_PACKET);
const packetViews: (Buffer | undefined)[] = [];
const pcmScratch = Buffer.alloc(MAX_FRAME * 2);
const pcmScratch16 = new Int16Array(pcmScratch.buffer, pcmScratch.byteOffset, MAX_FRAME);
const pcmViews: (Buffer | undefined)[] = [];

function packetView(len: number): Buffer {
  return (packetViews[len] ??= packetScratch.subarray(0, len));
}

function pcmView(samples: number): Buffer {
  return (pcmViews[samples] ??= pcmScratch.subarray(0, samples * 2));
}

function checkRate(rate: number): OpusRate {
  if (rate !== 8000 && rate !== 12000 && rate !== 16000 && rate !== 24000 && rate !== 48000) {
    throw new RangeError(`Opus sample rate must be 8000, 12000, 16000, 24000 or 48000 (got ${rate})`);
  }
  return rate;
}

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`Opus ${name} must be an integer in ${min}..${max} (got ${v})`);
  return v;
}

/** Copy little-endian int16 bytes into out[outOffset..]; returns samples or CodecError.SPACE. */
function copyPcm(src: Buffer, out: Int16Array, outOffset: number): number {
  const n = src.length >> 1;
  if (outOffset < 0 || outOffset + n > out.length) return CodecError.SPACE;
  for (let i = 0; i < n; i++) {
    const v = src[2 * i]! | (src[2 * i + 1]! << 8);
    out[outOffset + i] = (v << 16) >> 16;
  }
  return n;
}

/**
 * True if `samples` is an Opus frame size at `rate`: 2.5, 5, 10, 20, 40 or 60 ms. Checked before
 * every encode because @discordjs/opus aborts the process (napi fatal error) when opus_encode fails.
 */
function validFrame(samples: number, rate: number): boolean {
  const quarterMs = (samples * 400) / rate; // in units of 2.5 ms
  return quarterMs === 1 || quarterMs === 2 || quarterMs === 4 || quarterMs === 8 || quarterMs === 16 || quarterMs === 24;
}

/** Frame duration in 48 kHz samples of a TOC byte (RFC 6716 §3.1). */
function tocFrameSamples48(toc: number): number {
  const config = toc >> 3;
  if (config < 12) return [480, 960, 1920, 2880][config & 3]!; // SILK-only: 10, 20, 40, 60 ms
  if (config < 16) return (config & 1) === 0 ? 480 : 960; // hybrid: 10, 20 ms
  return [120, 240, 480, 960][config & 3]!; // CELT-only: 2.5, 5, 10, 20 ms
}

/** CELT-only fullband TOC bytes (code 0, mono) for 20, 10, 5 and 2.5 ms: configs 31, 30, 29, 28. */
const CELT_TOC = [31 << 3, 30 << 3, 29 << 3, 28 << 3] as const;

export class OpusDecoder implements AudioDecoder {
  readonly sampleRate: OpusRate;
  readonly backend: OpusBackendName;
  private lib: OpusLib | null;
  /** TOC byte of the last decoded packet; -1 before the first. */
  private lastToc = -1;

  constructor(opts: OpusDecoderOptions = {}) {
    this.sampleRate = checkRate(opts.sampleRate ?? 48000);
    this.backend = opts.backend ?? opusBackend();
    this.lib = createLib(this.backend, this.sampleRate, APPLICATION_VOIP);
  }

  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number): number {
    if (this.lib === null) return CodecError.CLOSED;
    if (length <= 0 || length > MAX_PACKET || offset < 0 || offset + length > payload.length) return CodecError.PAYLOAD;
    for (let i = 0; i < length; i++) packetScratch[i] = payload[offset + i]!;
    let pcm: Buffer;
    try {
      pcm = this.lib.decode(packetView(length));
    } catch {
      return CodecError.PAYLOAD; // corrupt: the caller counts it as a decode error
    }
    this.lastToc = payload[offset]!;
    return copyPcm(pcm, out, outOffset);
  }

  /** Codec PLC for `samples` (a multiple of 2.5 ms at sampleRate). Silence before the first packet. */
  conceal(out: Int16Array, outOffset: number, samples: number): number {
    if (this.lib === null) return CodecError.CLOSED;
    const quantum = this.sampleRate / 400; // 2.5 ms
    if (samples <= 0 || samples % quantum !== 0) return CodecError.ARG;
    if (outOffset < 0 || outOffset + samples > out.length) return CodecError.SPACE;
    if (this.lastToc < 0) {
      out.fill(0, outOffset, outOffset + samples);
      return samples;
    }
    const scale = 48000 / this.sampleRate;
    const lastFrame = tocFrameSamples48(this.lastToc) / scale;
    let done = 0;
    while (done < samples) {
      const left = samples - done;
      let toc: number;
      if (left >= lastFrame) {
        toc = this.lastToc & 0xfc; // same mode and duration, one frame of zero length = lost
      } else {
        let k = 0;
        while (tocFrameSamples48(CELT_TOC[k]!) / scale > left) k++;
        toc = CELT_TOC[k]!;
      }
      packetScratch[0] = toc;
      let pcm: Buffer;
      try {
        pcm = this.lib.decode(packetView(1));
      } catch {
        return CodecError.PAYLOAD;
      }
      const n = copyPcm(pcm, out, outOffset + done);
      if (n <= 0) return n < 0 ? n : CodecError.PAYLOAD;
      done += n;
    }
    return done;
  }

  reset(): void {
    if (this.lib === null) return;
    this.lib.decoderCtl(CTL.RESET_STATE, 0);
    this.lastToc = -1;
  }

  close(): void {
    if (this.lib === null) return;
    this.lib.destroy();
    this.lib = null;
  }
}

export class OpusEncoder implements AudioEncoder {
  readonly sampleRate: OpusRate;
  readonly backend: OpusBackendName;
  readonly complexity: number;
  readonly dtx: boolean;
  private lib: OpusLib | null;

  constructor(opts: OpusEncoderOptions = {}) {
    this.sampleRate = checkRate(opts.sampleRate ?? 48000);
    this.backend = opts.backend ?? opusBackend();
    this.complexity = checkInt('complexity', opts.complexity ?? 5, 0, 10);
    const bitrate = checkInt('bitrate', opts.bitrate ?? 32000, 500, 512000);
    const fec = opts.inbandFec ?? false;
    const loss = checkInt('packetLossPerc', opts.packetLossPerc ?? (fec ? 10 : 0), 0, 100);
    this.dtx = opts.dtx ?? false;
    const application = opts.application === 'audio' ? APPLICATION_AUDIO : APPLICATION_VOIP;
    const lib = createLib(this.backend, this.sampleRate, application);
    lib.encoderCtl(CTL.SET_APPLICATION, application); // @discordjs/opus creates AUDIO; allowed before the 1st frame
    lib.encoderCtl(CTL.SET_SIGNAL, SIGNAL_VOICE);
    lib.encoderCtl(CTL.SET_COMPLEXITY, this.complexity);
    lib.encoderCtl(CTL.SET_BITRATE, bitrate);
    lib.encoderCtl(CTL.SET_INBAND_FEC, fec ? 1 : 0);
    lib.encoderCtl(CTL.SET_PACKET_LOSS_PERC, loss);
    lib.encoderCtl(CTL.SET_DTX, this.dtx ? 1 : 0);
    this.lib = lib;
  }

  /** `samples`: 2.5/5/10/20/40/60 ms at sampleRate. Returns bytes, 0 for a DTX frame, or a CodecError. */
  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number {
    if (this.lib === null) return CodecError.CLOSED;
    if (!validFrame(samples, this.sampleRate) || pcmOffset < 0 || pcmOffset + samples > pcm.length) return CodecError.ARG;
    for (let i = 0; i < samples; i++) pcmScratch16[i] = pcm[pcmOffset + i]!;
    let packet: Buffer;
    try {
      packet = this.lib.encode(pcmView(samples), samples);
    } catch {
      return CodecError.ARG;
    }
    const n = packet.length;
    if (this.dtx && n <= 2) return 0; // libopus: packets of <= 2 bytes need not be transmitted
    if (outOffset < 0 || outOffset + n > out.length) return CodecError.SPACE;
    for (let i = 0; i < n; i++) out[outOffset + i] = packet[i]!;
    return n;
  }

  close(): void {
    if (this.lib === null) return;
    this.lib.destroy();
    this.lib = null;
  }
}
