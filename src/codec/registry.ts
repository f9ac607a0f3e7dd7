/**
 * The codec table: what whisperd can decode and encode, with the SDP names (RFC 3551 rtpmap) and RTP
 * clocks. Built from the native addon's availability: G.729, G.722 and GSM (native frame kernels, see
 * nativeKernel.ts) are available only when the addon loaded.
 * Signalling code resolves a CodecDef once per stream (offer/answer); the media path only uses the
 * decoder/encoder objects created from it.
 */
import { UnsupportedError } from '../errors';
import { G711Decoder, G711Encoder } from './g711';
import { G729Decoder, G729Encoder } from './g729';
import { loadNative, type WhisperdNative } from '../native/addon';
import { hasKernels, KernelDecoder, KernelEncoder, type KernelCodecName } from './nativeKernel';
import { OpusDecoder, OpusEncoder, type OpusBackendName, type OpusEncoderOptions, type OpusRate } from './opus';
import type { AudioDecoder, AudioEncoder, CodecName } from './types';

export interface DecoderOptions {
  /** Opus only: output PCM rate (8000, 16000 or 48000). */
  sampleRate?: OpusRate;
  /** Opus only: force a backend. */
  backend?: OpusBackendName;
  /** AMR / AMR-WB only: RFC 4867 octet-aligned packing (fmtp octet-align=1). */
  octetAlign?: boolean;
}

export interface EncoderOptions extends OpusEncoderOptions {
  /** G.729 only: Annex B VAD/DTX (fmtp annexb=yes). */
  vad?: boolean;
  /** AMR / AMR-WB only: RFC 4867 octet-aligned packing (fmtp octet-align=1). */
  octetAlign?: boolean;
  /** AMR / AMR-WB only: the speech mode sent (AMR 0..7, AMR-WB 0..8; default the highest). */
  amrMode?: number;
}

export interface CodecDef {
  name: CodecName;
  /** SDP a=rtpmap encoding name: 'PCMU', 'PCMA', 'G729', 'opus'. */
  encoding: string;
  /** RTP clock rate (Hz); Opus is always 48000 (RFC 7587); G.722 8000 (RFC 3551 §4.5.2). */
  clockRate: number;
  /**
   * PCM rate of the codec's audio (Hz): G.722 is 16000 on an 8000 RTP clock; Opus 48000 (decoded at the
   * mix rate); the others equal clockRate. Mixers decode/encode at this rate (Opus: at the mix rate) and
   * stamp clockRate / pcmRate timestamp units per sample; a call is wideband when a leg's pcmRate > 8000.
   */
  pcmRate: number;
  /** Channels as written in SDP (Opus: 2, RFC 7587 §7; whisperd decodes and encodes mono). */
  channels: number;
  /** RFC 3551 static payload type, or null for dynamic. */
  staticPt: number | null;
  /** Default packetisation time (ms). */
  frameMs: number;
  /**
   * Codec id of the native media plane (native/src/codec/codec.h CodecId) for this payload format (AMR:
   * one per RFC 4867 packing), -1 if only the reference engine can run it. Absent: by name.
   */
  nativeId?: number;
  /** The table entry this payload-format variant was derived from (codecFormat: AMR octet-align, mode-set). */
  base?: CodecDef;
  /** AMR / AMR-WB: the mode the encoder sends (the highest of fmtp mode-set); absent: the highest. */
  amrMode?: number;
  /** False when the codec's implementation is missing (G.729 without the native addon). */
  available(): boolean;
  /** Throws UnsupportedError when unavailable (signalling time, never per frame). */
  createDecoder(opts?: DecoderOptions): AudioDecoder;
  createEncoder(opts?: EncoderOptions): AudioEncoder;
}

/** Build the codec table for a given addon (null = addon missing). */
export function buildCodecTable(native: WhisperdNative | null): readonly CodecDef[] {
  const g729Available = native !== null;
  const requireNative = (): WhisperdNative => {
    if (native === null) throw new UnsupportedError('G.729 is not available (native addon missing)');
    return native;
  };
  const kernels = hasKernels(native);
  const requireKernels = (name: KernelCodecName): WhisperdNative => {
    if (!hasKernels(native)) throw new UnsupportedError(`${name} is not available (native addon missing or without codec kernels)`);
    return native;
  };
  return Object.freeze([
    {
      name: 'PCMU',
      encoding: 'PCMU',
      clockRate: 8000,
      pcmRate: 8000,
      channels: 1,
      staticPt: 0,
      frameMs: 20,
      available: () => true,
      createDecoder: () => new G711Decoder('ulaw'),
      createEncoder: () => new G711Encoder('ulaw'),
    },
    {
      name: 'PCMA',
      encoding: 'PCMA',
      clockRate: 8000,
      pcmRate: 8000,
      channels: 1,
      staticPt: 8,
      frameMs: 20,
      available: () => true,
      createDecoder: () => new G711Decoder('alaw'),
      createEncoder: () => new G711Encoder('alaw'),
    },
    {
      name: 'G729',
      encoding: 'G729',
      clockRate: 8000,
      pcmRate: 8000,
      channels: 1,
      staticPt: 18,
      frameMs: 20,
      available: () => g729Available,
      createDecoder: () => new G729Decoder(requireNative()),
      createEncoder: (opts?: EncoderOptions) => new G729Encoder(requireNative(), { vad: opts?.vad ?? false }),
    },
    {
      name: 'opus',
      encoding: 'opus',
      clockRate: 48000,
      pcmRate: 48000,
      channels: 2,
      staticPt: null,
      frameMs: 20,
      available: () => true,
      createDecoder: (opts?: DecoderOptions) => new OpusDecoder(opts ?? {}),
      createEncoder: (opts?: EncoderOptions) => new OpusEncoder(opts ?? {}),
    },
    {
      name: 'G722',
      encoding: 'G722',
      clockRate: 8000,
      pcmRate: 16000,
      channels: 1,
      staticPt: 9,
      frameMs: 20,
      available: () => kernels,
      createDecoder: () => new KernelDecoder(requireKernels('G722'), 'G722'),
      createEncoder: () => new KernelEncoder(requireKernels('G722'), 'G722'),
    },
    {
      name: 'GSM',
      encoding: 'GSM',
      clockRate: 8000,
      pcmRate: 8000,
      channels: 1,
      staticPt: 3,
      frameMs: 20,
      available: () => kernels,
      createDecoder: () => new KernelDecoder(requireKernels('GSM'), 'GSM'),
      createEncoder: () => new KernelEncoder(requireKernels('GSM'), 'GSM'),
    },
    // AMR / AMR-WB (RFC 4867): this entry is the default payload format (bandwidth-efficient, every
    // mode); codecFormat() gives the entry for an fmtp (octet-align=1, mode-set) or null for one
    // whisperd cannot code (crc, robust-sorting, interleaving).
    {
      name: 'AMR',
      encoding: 'AMR',
      clockRate: 8000,
      pcmRate: 8000,
      channels: 1,
      staticPt: null,
      frameMs: 20,
      nativeId: 112,
      available: () => kernels,
      createDecoder: (opts?: DecoderOptions) => new KernelDecoder(requireKernels('AMR'), 'AMR', { octetAlign: opts?.octetAlign }),
      createEncoder: (opts?: EncoderOptions) => new KernelEncoder(requireKernels('AMR'), 'AMR', { octetAlign: opts?.octetAlign, mode: opts?.amrMode }),
    },
    {
      name: 'AMR-WB',
      encoding: 'AMR-WB',
      clockRate: 16000,
      pcmRate: 16000,
      channels: 1,
      staticPt: null,
      frameMs: 20,
      nativeId: 113,
      available: () => kernels,
      createDecoder: (opts?: DecoderOptions) => new KernelDecoder(requireKernels('AMR-WB'), 'AMR-WB', { octetAlign: opts?.octetAlign }),
      createEncoder: (opts?: EncoderOptions) => new KernelEncoder(requireKernels('AMR-WB'), 'AMR-WB', { octetAlign: opts?.octetAlign, mode: opts?.amrMode }),
    },
  ] satisfies CodecDef[]);
}

let defaultTable: readonly CodecDef[] | null = null;

/** The process-wide table, built on first use with the process-wide addon. */
export function codecTable(): readonly CodecDef[] {
  return (defaultTable ??= buildCodecTable(loadNative()));
}

/**
 * The codec for an SDP encoding name (case-insensitive) and, if given, RTP clock rate; null if
 * unknown OR unavailable (G.729 without the addon), so negotiation simply never picks it.
 */
export function findCodec(encoding: string, clockRate?: number, table: readonly CodecDef[] = codecTable()): CodecDef | null {
  const wanted = encoding.toLowerCase();
  for (const def of table) {
    if (def.encoding.toLowerCase() === wanted && (clockRate === undefined || def.clockRate === clockRate)) {
      return def.available() ? def : null;
    }
  }
  if (clockRate !== undefined && (wanted === 'pcmu' || wanted === 'pcma')) return g711AtRate(wanted === 'pcmu' ? 'PCMU' : 'PCMA', clockRate, table);
  return null;
}

/**
 * G.711 at a clock rate the SDP names other than 8000 (PCMU/16000: one sample per byte at 16 kHz, 320 bytes
 * a 20 ms frame), as rtpengine runs it (its G.711 codec_def has no fixed rate). The native factory
 * (native/src/codec/factory.cc G711Rate) takes the same rates: 8000..48000, a multiple of 50 (whole
 * samples in 20 ms). One entry per rate (cached), a dynamic payload type, a different codec from the 8 kHz one.
 */
export function isG711Rate(rate: number): boolean {
  return Number.isInteger(rate) && rate >= 8000 && rate <= 48000 && rate % 50 === 0;
}
const g711Rates = new WeakMap<readonly CodecDef[], Map<string, CodecDef>>();
function g711AtRate(name: 'PCMU' | 'PCMA', rate: number, table: readonly CodecDef[]): CodecDef | null {
  if (!isG711Rate(rate)) return null;
  const base = table.find((d) => d.name === name);
  if (!base) return null;
  let cache = g711Rates.get(table);
  if (!cache) g711Rates.set(table, (cache = new Map()));
  const key = `${name}/${rate}`;
  let v = cache.get(key);
  if (!v) {
    const law = name === 'PCMU' ? 'ulaw' : 'alaw';
    v = Object.freeze({
      ...base,
      clockRate: rate,
      pcmRate: rate,
      staticPt: null,
      createDecoder: () => new G711Decoder(law, rate),
      createEncoder: () => new G711Encoder(law, rate),
    } satisfies CodecDef);
    cache.set(key, v);
  }
  return v;
}

/** Highest AMR / AMR-WB speech mode (12.2 / 23.85 kbit/s). */
const AMR_MAX_MODE: Record<string, number> = { AMR: 7, 'AMR-WB': 8 };
/** Native CodecId of the octet-aligned packing (native/src/codec/codec.h AMROctet / AMRWBOctet). */
const AMR_OCTET_NATIVE_ID: Record<string, number> = { AMR: 114, 'AMR-WB': 115 };
const formats = new WeakMap<CodecDef, Map<string, CodecDef>>();

/**
 * The codec for one SDP payload's format parameters: the table entry itself for every codec but AMR /
 * AMR-WB, whose RFC 4867 fmtp decides the payload packing (octet-align=1) and the modes the receiver
 * accepts (mode-set: the encoder sends the highest listed). Returns null for a format whisperd cannot
 * code (crc=1, robust-sorting=1, interleaving: desk phones do not use them) or an unusable mode-set.
 * One object per format (cached), so codecs compare by identity: two legs with the same format share
 * one CodecDef; octet-aligned and bandwidth-efficient AMR are different codecs (the mixer repacks).
 */
export function codecFormat(def: CodecDef | null, fmtp: string | null | undefined): CodecDef | null {
  if (def === null) return null;
  const base = def.base ?? def;
  const maxMode = AMR_MAX_MODE[base.name];
  if (maxMode === undefined) return base;
  const params = new Map<string, string>();
  for (const part of (fmtp ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (params.get('crc') === '1' || params.get('robust-sorting') === '1' || params.has('interleaving')) return null;
  const octetAlign = params.get('octet-align') === '1';
  let mode = maxMode;
  const set = params.get('mode-set');
  if (set !== undefined) {
    const modes = set.split(',').map((m) => Number(m.trim()));
    if (modes.some((m) => !Number.isInteger(m) || m < 0 || m > maxMode)) return null;
    mode = Math.max(...modes);
  }
  if (!octetAlign && mode === maxMode) return base;
  const key = `${octetAlign ? 'oa' : 'be'}:${mode}`;
  let cache = formats.get(base);
  if (!cache) formats.set(base, (cache = new Map()));
  let v = cache.get(key);
  if (!v) {
    v = Object.freeze({
      ...base,
      base,
      nativeId: octetAlign ? AMR_OCTET_NATIVE_ID[base.name]! : base.nativeId!,
      amrMode: mode,
      createDecoder: () => base.createDecoder({ octetAlign }),
      createEncoder: () => base.createEncoder({ octetAlign, amrMode: mode }),
    } satisfies CodecDef);
    cache.set(key, v);
  }
  return v;
}
