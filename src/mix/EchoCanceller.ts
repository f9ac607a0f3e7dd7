/**
 * The reference engine's echo canceller of one input (the agent's direct path while a whisper/page runs
 * with the session's `aec` on): speexdsp's MDF canceller (native/src/echo.cc) with the whisper as the
 * far end. Native twin: native/src/mix/call_mix.cc `Aec`, same rule.
 *
 *   reference  the tapped supervisor's contribution (gain applied, rounded, clamped to int16) in each
 *              frame mixed for the agent, appended at emission time (pushReference) to `ring`;
 *   near end   the agent's decoded audio, at the mix rate, cancelled in place on arrival (process), in
 *              blocks of AEC_FRAME_MS, before it goes into the input's ring: every listener of the direct
 *              path (the customer) and the bleed monitor's observer get what is left after cancellation.
 *
 * Pairing: each near-end block is paired with the reference block at `cursor`, which advances one block
 * per near-end block; at (re)sync the cursor is set `target` samples (one block + half a block) behind the
 * newest reference, so the reference of a frame emitted now precedes its echo (40–300 ms later) and the
 * MDF filter sees a stable delay = echo path − (time since emission). Jitter between the agent's output
 * clock and its input does not move the pairing; a lag outside [0, target + 3 blocks] for RESYNC_BLOCKS
 * blocks re-syncs (the filter then re-adapts). A reference that has not arrived in time is padded with
 * silence (the whisper was not playing). Packets whose length is not a whole number of blocks are not
 * cancelled (counted in `bypassed`; 20 ms multiples are the norm for the mixable codecs).
 *
 * Everything is allocated in the constructor (signalling time); pushReference/process allocate nothing.
 */
import { loadNative, type WhisperdNative } from '../native/addon';
import type { EchoHandle } from '../../native/index';

/** Canceller block length, ms (speexdsp frame; 160 samples at 8 kHz). */
export const AEC_FRAME_MS = 20;
/** Reference history, ms (rounded up to a power of two of samples). */
const REF_RING_MS = 1000;
/** Consecutive blocks with the lag out of range before re-syncing. */
const RESYNC_BLOCKS = 10;

/** What a session's canceller is configured with (signalling time). */
export interface EchoCancellerSpec {
  /** Tag of the supervisor whose contribution to this input's own output is the reference. */
  refTag: string;
  /** MDF filter length, ms: must cover the echo path delay plus its reverberation. */
  tailMs: number;
  /** speexdsp preprocessor residual echo suppression (and its denoiser) after the MDF. */
  residual: boolean;
}

export function sameSpec(a: EchoCancellerSpec | null | undefined, b: EchoCancellerSpec | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.refTag === b.refTag && a.tailMs === b.tailMs && a.residual === b.residual;
}

export class EchoCanceller {
  readonly frame: number;
  readonly tailMs: number;
  readonly residual: boolean;
  private readonly native: WhisperdNative;
  private handle: EchoHandle | null;
  private readonly ring: Int16Array;
  private readonly mask: number;
  private readonly target: number;
  private refW = 0;
  private cursor = 0;
  private synced = false;
  private drift = 0;
  private readonly play: Int16Array;
  private readonly out: Int16Array;
  /** Blocks cancelled, re-syncs, blocks whose reference was (partly) padded, packets left uncancelled. */
  blocks = 0;
  resyncs = 0;
  underruns = 0;
  bypassed = 0;

  /** Throws when the native addon (speexdsp) is not available. */
  constructor(mixRate: number, tailMs: number, residual: boolean) {
    const native = loadNative();
    if (native === null) throw new Error('the echo canceller needs the native addon (speexdsp)');
    this.native = native;
    this.frame = (mixRate * AEC_FRAME_MS) / 1000;
    this.tailMs = tailMs;
    this.residual = residual;
    const tail = Math.max(this.frame, Math.round((mixRate * tailMs) / 1000));
    this.handle = native.echoCreate(this.frame, tail, mixRate, residual);
    let size = 1;
    while (size < (mixRate * REF_RING_MS) / 1000) size <<= 1;
    this.ring = new Int16Array(size);
    this.mask = size - 1;
    this.target = this.frame + this.frame / 2;
    this.play = new Int16Array(this.frame);
    this.out = new Int16Array(this.frame);
  }

  /** One frame mixed for the agent: the reference's contribution (null: not a source, silence). Hot path. */
  pushReference(contrib: Float32Array | null, n: number): void {
    const ring = this.ring;
    const mask = this.mask;
    const w = this.refW;
    if (contrib === null) {
      for (let i = 0; i < n; i++) ring[(w + i) & mask] = 0;
    } else {
      for (let i = 0; i < n; i++) {
        const v = Math.round(contrib[i]!);
        ring[(w + i) & mask] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    this.refW = w + n;
  }

  /** Cancel the echo in pcm[off..off+n) (the agent's audio at the mix rate) in place. Hot path. */
  process(pcm: Int16Array, off: number, n: number): void {
    const h = this.handle;
    const f = this.frame;
    if (h === null) return;
    if (n % f !== 0) {
      this.bypassed++;
      return;
    }
    const ring = this.ring;
    const mask = this.mask;
    const play = this.play;
    const out = this.out;
    for (let b = off; b < off + n; b += f) {
      let lag = this.refW - this.cursor;
      if (!this.synced || this.drift >= RESYNC_BLOCKS) {
        if (this.synced) this.resyncs++;
        this.synced = true;
        this.drift = 0;
        this.cursor = this.refW - this.target;
        lag = this.target;
      }
      if (lag < 0 || lag > this.target + 3 * f) this.drift++;
      else this.drift = 0;
      if (lag < f) {
        // The reference for this block has not (all) arrived: the whisper was not playing then.
        for (let p = this.refW; p < this.cursor + f; p++) ring[p & mask] = 0;
        if (this.refW < this.cursor + f) this.refW = this.cursor + f;
        this.underruns++;
      }
      const c = this.cursor;
      for (let i = 0; i < f; i++) play[i] = ring[(c + i) & mask]!;
      this.cursor = c + f;
      this.native.echoCancel(h, pcm, b, play, 0, out, 0);
      for (let i = 0; i < f; i++) pcm[b + i] = out[i]!;
      this.blocks++;
    }
  }

  /** Forget the adapted echo path and the pairing (signalling time). */
  reset(): void {
    if (this.handle !== null) this.native.echoReset(this.handle);
    this.synced = false;
    this.drift = 0;
  }

  close(): void {
    if (this.handle === null) return;
    this.native.destroy(this.handle);
    this.handle = null;
  }
}
