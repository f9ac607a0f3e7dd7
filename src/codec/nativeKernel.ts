/**
 * The reference engine's codecs that exist only as native frame kernels (native/src/codec/, bound by
 * native/src/codecs.cc): G.722 and GSM 06.10 (spandsp), AMR (opencore-amrnb) and AMR-WB (opencore-amrwb,
 * vo-amrwbenc). The TypeScript engine calls exactly the C++ code the native media plane runs: one
 * native call per RTP payload / frame, with the caller's typed arrays (nothing allocated per call).
 * Created at signalling time; unavailable (findCodec returns null) when the addon is missing or too old.
 */
import type { CodecDecoderHandle, CodecEncoderHandle, NativeCodecName } from '../../native/index';
import type { WhisperdNative } from '../native/addon';
import type { AudioDecoder, AudioEncoder } from './types';
import { CodecError } from './types';

/** The codecs served by this wrapper, in SDP spelling. */
export type KernelCodecName = Extract<NativeCodecName, 'G722' | 'GSM' | 'AMR' | 'AMR-WB'>;

/** PCM rate of each kernel codec (G.722's RTP clock is 8000, its audio 16 kHz: RFC 3551 §4.5.2). */
export const KERNEL_PCM_RATE: Record<KernelCodecName, number> = { G722: 16000, GSM: 8000, AMR: 8000, 'AMR-WB': 16000 };

export interface KernelCodecOptions {
  /** AMR / AMR-WB: RFC 4867 octet-aligned packing (fmtp octet-align=1); default bandwidth-efficient. */
  octetAlign?: boolean;
  /** AMR / AMR-WB encoder mode (AMR 0..7, AMR-WB 0..8); -1 or absent = the highest. */
  mode?: number;
}

/** True if this addon has the generic frame-kernel functions (an older addon lacks them). */
export function hasKernels(native: WhisperdNative | null): native is WhisperdNative {
  return (
    native !== null &&
    typeof native.codecDecoderCreate === 'function' &&
    typeof native.codecEncoderCreate === 'function' &&
    typeof native.codecDecode === 'function' &&
    typeof native.codecConceal === 'function' &&
    typeof native.codecEncode === 'function' &&
    typeof native.codecReset === 'function'
  );
}

export class KernelDecoder implements AudioDecoder {
  readonly sampleRate: number;
  private readonly native: WhisperdNative;
  private handle: CodecDecoderHandle | null;

  constructor(native: WhisperdNative, codec: KernelCodecName, opts: KernelCodecOptions = {}) {
    this.native = native;
    this.sampleRate = KERNEL_PCM_RATE[codec];
    this.handle = native.codecDecoderCreate!(codec, this.sampleRate, { octetAlign: opts.octetAlign ?? false });
  }

  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    if (offset < 0 || length < 0 || offset + length > payload.length) return CodecError.ARG;
    // One subarray view per call would allocate; codecDecode takes (array, off, len) directly.
    return this.native.codecDecode!(this.handle, payload, offset, length, out, outOffset);
  }

  conceal(out: Int16Array, outOffset: number, samples: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    return this.native.codecConceal!(this.handle, out, outOffset, samples);
  }

  reset(): void {
    if (this.handle !== null) this.native.codecReset!(this.handle);
  }

  close(): void {
    if (this.handle === null) return;
    this.native.destroy(this.handle);
    this.handle = null;
  }
}

export class KernelEncoder implements AudioEncoder {
  readonly sampleRate: number;
  private readonly native: WhisperdNative;
  private handle: CodecEncoderHandle | null;

  constructor(native: WhisperdNative, codec: KernelCodecName, opts: KernelCodecOptions = {}) {
    this.native = native;
    this.sampleRate = KERNEL_PCM_RATE[codec];
    this.handle = native.codecEncoderCreate!(codec, this.sampleRate, { octetAlign: opts.octetAlign ?? false, mode: opts.mode ?? -1 });
  }

  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    return this.native.codecEncode!(this.handle, pcm, pcmOffset, samples, out, outOffset);
  }

  close(): void {
    if (this.handle === null) return;
    this.native.destroy(this.handle);
    this.handle = null;
  }
}
