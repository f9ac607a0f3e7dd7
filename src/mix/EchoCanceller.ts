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
 * Pairing (sample clock, not arrival order): each near-end block is paired with the reference block at
 * `cursor`, which advances one block per near-end block. Until the first reference frame has been pushed
 * the audio passes unchanged (nothing to pair it with; a pairing set against an empty ring would bind
 * the near end to whenever the reference happens to start). Then the cursor is set `target` samples (two
 * blocks) behind the newest reference, so the reference of a frame emitted now precedes its echo (40–300
 * ms path, plus the agent's packetization) and the MDF filter sees a stable delay = echo path − (time
 * since emission). The agent's packets and the frames mixed for the agent run on different clocks and
 * may swap order by a block (the native mix emits on its own thread): two blocks of margin keep such a
 * swap from reaching past the newest reference. A block whose reference has not (all) arrived is paired
 * with silence for the missing part (counted in `underruns`) and the pairing is kept: the late reference
 * lands at its own index and the adapted echo path stays aligned. (Padding the ring and moving its write
 * index instead shifted the reference of every later frame for good; the filter then had to re-adapt:
 * 7–11 dB instead of ~19 dB in test/integration/aec.test.ts on the native engine.) A lag, judged as each
 * reference frame arrives, outside [one block, target + 3 blocks] for RESYNC_BLOCKS frames in a row
 * re-syncs: sustained drift, a run of lost agent packets, or a sync taken in the middle of a catch-up
 * burst (a stalled mix emitting several frames at once; the near end would then sit on the newest
 * reference, paired with silence). Judged per near-end block instead, a burst of 10 queued agent packets
 * after a stall re-synced mid-burst and left the pairing off by the burst. Packets whose length is not a whole number of blocks are not cancelled (counted in
 * `bypassed`; 20 ms multiples are the norm for the mixable codecs).
 *
 * Everything is allocated in the constructor (signalling time); pushReference/process allocate nothing.
 */
import { loadNative, type WhisperdNative } from '../native/addon';
import type { EchoHandle } from '../../native/index';

/** Canceller block length, ms (speexdsp frame; 160 samples at 8 kHz). */
export const AEC_FRAME_MS = 20;
/** Reference history, ms (rounded up to a power of two of samples). */
const REF_RING_MS = 1000;
/** Consecutive reference frames with the lag out of range before re-syncing. */
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
    this.target = 2 * this.frame;
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
    // Drift is judged here, once per reference frame, not per near-end block: a burst of queued agent
    // packets after a stall (or of frames the mix catches up with) moves the lag for a moment only.
    if (this.synced) {
      const lag = this.refW - this.cursor;
      if (lag < this.frame || lag > this.target + 3 * this.frame) this.drift++;
      else this.drift = 0;
    }
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
    if (this.refW === 0) return; // no reference yet (see Pairing)
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
      const c = this.cursor;
      if (lag >= f) {
        for (let i = 0; i < f; i++) play[i] = ring[(c + i) & mask]!;
      } else {
        // The reference of (part of) this block has not arrived: silence for that part, the pairing kept.
        const w = this.refW;
        for (let i = 0; i < f; i++) play[i] = c + i < w ? ring[(c + i) & mask]! : 0;
        this.underruns++;
      }
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
