/**
 * G.729 Annex A (+ Annex B VAD/DTX/CNG) at 8000 Hz on the native addon (bcg729, see native/README.md).
 * RTP payload (RFC 3551 §4.5.6): 10-byte frames of 10 ms, optionally ending with one 2-byte SID frame.
 * Each call below is one native call per RTP payload; PCM and payload buffers belong to the caller.
 */
import type { AudioDecoder, AudioEncoder } from './types';
import { CodecError } from './types';
import type { WhisperdNative } from '../native/addon';
import type { G729DecoderHandle, G729EncoderHandle } from '../../native/index';

export const G729_SAMPLE_RATE = 8000;
/** Samples per G.729 frame (10 ms). */
export const G729_FRAME_SAMPLES = 80;

export interface G729EncoderOptions {
  /** Annex B VAD/DTX: send SID frames and nothing during silence (SDP fmtp `annexb=yes`). Default false. */
  vad?: boolean;
}

export class G729Decoder implements AudioDecoder {
  readonly sampleRate = G729_SAMPLE_RATE;
  private readonly native: WhisperdNative;
  private handle: G729DecoderHandle | null;

  constructor(native: WhisperdNative) {
    this.native = native;
    this.handle = native.g729DecoderCreate();
  }

  /** Decode speech frames and/or a trailing SID. Returns samples (80 per frame) or a CodecError. */
  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    return this.native.g729Decode(this.handle, payload, offset, length, out, outOffset);
  }

  /**
   * Decode an RFC 3389 comfort-noise payload (PT 13 next to G.729) through Annex B CNG, producing
   * `samples` (multiple of 80). Returns samples or a CodecError.
   */
  decodeCn(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number, samples: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    return this.native.g729DecodeCn(this.handle, payload, offset, length, out, outOffset, samples);
  }

  /** bcg729 frame-erasure concealment; after a SID it continues comfort noise. `samples` multiple of 80. */
  conceal(out: Int16Array, outOffset: number, samples: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    return this.native.g729Conceal(this.handle, out, outOffset, samples);
  }

  reset(): void {
    if (this.handle === null) return;
    this.native.destroy(this.handle);
    this.handle = this.native.g729DecoderCreate();
  }

  close(): void {
    if (this.handle === null) return;
    this.native.destroy(this.handle);
    this.handle = null;
  }
}

export class G729Encoder implements AudioEncoder {
  readonly sampleRate = G729_SAMPLE_RATE;
  readonly vad: boolean;
  private readonly native: WhisperdNative;
  private handle: G729EncoderHandle | null;

  constructor(native: WhisperdNative, opts: G729EncoderOptions = {}) {
    this.native = native;
    this.vad = opts.vad ?? false;
    this.handle = native.g729EncoderCreate(this.vad);
  }

  /** `samples` must be a multiple of 80. Returns payload bytes (0 = DTX, send nothing) or a CodecError. */
  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number {
    if (this.handle === null) return CodecError.CLOSED;
    return this.native.g729Encode(this.handle, pcm, pcmOffset, samples, out, outOffset);
  }

  close(): void {
    if (this.handle === null) return;
    this.native.destroy(this.handle);
    this.handle = null;
  }
}
