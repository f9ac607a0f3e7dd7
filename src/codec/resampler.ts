/**
 * Mono 16-bit sample-rate conversion for the mix path (8 ↔ 16 ↔ 48 kHz).
 *
 * Backends: speexdsp's resampler in the native addon (default quality 6: windowed sinc, stopband
 * ≥ 60 dB, measured in test/unit/codec/resampler.test.ts), or — when the addon is missing — the pure-TS
 * polyphase filter in sincResampler.ts (≥ 75 dB stopband, same interface, roughly 10x the CPU).
 * Equal rates are an identity copy. process() allocates nothing and makes one native call.
 *
 * Output count: all input is consumed on every call; for 20 ms frames between these rates the output
 * is exactly 20 ms. The filter delay stays in the stream (no skipped leading zeros).
 */
import { loadNative, type WhisperdNative } from '../native/addon';
import { SincResampler } from './sincResampler';
import { CodecError } from './types';
import type { ResamplerHandle } from '../../native/index';

/** speexdsp quality (0..10) used unless the caller chooses one. */
export const DEFAULT_RESAMPLER_QUALITY = 6;

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Which implementation runs: 'identity', 'speexdsp' or 'ts'. */
  readonly backend: 'identity' | 'speexdsp' | 'ts';
  private readonly native: WhisperdNative | null;
  private handle: ResamplerHandle | null = null;
  private readonly fallback: SincResampler | null = null;
  private closed = false;

  /** `native`: the addon to use (default: the process-wide one; pass null to force the TS fallback). */
  constructor(inRate: number, outRate: number, quality: number = DEFAULT_RESAMPLER_QUALITY, native: WhisperdNative | null = loadNative()) {
    this.inRate = inRate;
    this.outRate = outRate;
    this.native = native;
    if (inRate === outRate) {
      this.backend = 'identity';
    } else if (native !== null) {
      this.backend = 'speexdsp';
      this.handle = native.resamplerCreate(inRate, outRate, quality);
    } else {
      this.backend = 'ts';
      this.fallback = new SincResampler(inRate, outRate);
    }
  }

  /** Resample input[inOff .. inOff+inLen) into out[outOff ..]. Returns samples written or a CodecError. */
  process(input: Int16Array, inOff: number, inLen: number, out: Int16Array, outOff: number): number {
    if (this.closed) return CodecError.CLOSED;
    if (this.handle !== null) return this.native!.resamplerProcess(this.handle, input, inOff, inLen, out, outOff);
    if (this.fallback !== null) return this.fallback.process(input, inOff, inLen, out, outOff);
    if (inOff < 0 || inLen < 0 || inOff + inLen > input.length) return CodecError.ARG;
    if (outOff < 0 || outOff + inLen > out.length) return CodecError.SPACE;
    for (let i = 0; i < inLen; i++) out[outOff + i] = input[inOff + i]!; // identity
    return inLen;
  }

  /** The filter's group delay in output samples (0 for equal rates). */
  outputLatency(): number {
    if (this.handle !== null) return this.native!.resamplerOutputLatency(this.handle);
    if (this.fallback !== null) return this.fallback.outputLatency;
    return 0;
  }

  /** Clear the filter history (stream discontinuity). */
  reset(): void {
    if (this.handle !== null) this.native!.resamplerReset(this.handle);
    if (this.fallback !== null) this.fallback.reset();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handle !== null) this.native!.destroy(this.handle);
    this.handle = null;
  }
}
