/**
 * Decides each call's media processing and runs the shared mix clock. `sync(call)` is called at
 * signalling time (answer, supervise, mode change, prompt) and re-derives it: a call whose outputs are
 * each exactly one same-codec input stays on the pure relay path (no mixer at all); otherwise the call
 * gets a CallMixer (owned by the Call: `call.mixer`, closed with it) given every participant and the
 * gain matrix (from the `matrixOf` function the composition root passes in). Publishes 'mixerCreated'
 * and 'synced' (typed events) for the services that attach to a call's mixer (DTMF, bleed monitors).
 */
import type { Call } from '../call/Call';
import type { Participant } from '../call/Participant';
import { TypedEmitter } from '../events/TypedEmitter';
import type { Logger } from '../log';
import { CallMixer } from './CallMixer';
import { MixClock } from './MixClock';
import type { CallMedia } from './types';

/** matrix.get(outTag).get(inTag) = gain; missing entries are 0. */
export type Matrix = Map<string, Map<string, number>>;

/** Supplies the matrix of a call (supervision modes); null = the default two-party matrix. */
export type MatrixProvider = (call: Call) => Matrix | null;

export interface MediaEngineEvents {
  [event: string]: unknown[];
  /** A mixer was created for a call (supervision attaches DTMF control). */
  mixerCreated: [call: Call, mixer: CallMedia];
  /** A sync() left the call with a mixer (bleed monitors re-bind to its inputs/outputs). */
  synced: [call: Call, mixer: CallMedia];
}

export class MediaEngine extends TypedEmitter<MediaEngineEvents> {
  readonly clock = new MixClock();

  constructor(
    private readonly log: Logger,
    /** Opus encoder settings for every mixer (config codecs). */
    private readonly opus: { complexity: number; bitrate: number } = { complexity: 5, bitrate: 24000 },
    /** The gain matrix of a call (supervision modes); null = the default two-party matrix. Replaceable by tests (fault injection). */
    public matrixOf: MatrixProvider = () => null,
  ) {
    super();
  }

  mixer(call: Call): CallMedia | undefined {
    return call.mixer ?? undefined;
  }

  /** Calls with a mixer (every mixer is on the clock while it is open). */
  get mixerCount(): number {
    return this.clock.size;
  }

  protected override listenerError(err: unknown, event: string): void {
    this.log.error({ err, event }, 'media engine listener failed');
  }

  /** True when some party hears its peer through a different codec. */
  static needsTranscoding(call: Call): boolean {
    for (const p of call.participants.values()) {
      if (!p.peer || p.role !== 'party') continue;
      const a = p.mixableLeg();
      const b = p.peer.mixableLeg();
      if (a && b && (a.codec!.codec !== b.codec!.codec || a.codec!.pt !== b.codec!.pt)) return true;
    }
    return false;
  }

  static defaultMatrix(call: Call): Matrix {
    const m: Matrix = new Map();
    for (const p of call.participants.values()) {
      if (p.peer) m.set(p.tag, new Map([[p.peer.tag, 1]]));
    }
    return m;
  }

  /** Re-derive media processing for `call` (signalling time). `force` creates a mixer even for a relay-only call. */
  sync(call: Call, force = false): void {
    if (call.closed) {
      // A command that awaited something (audit fsync, socket bind) while the call was deleted must not
      // build a mixer for a dead call: nothing would ever release it.
      this.release(call);
      return;
    }
    const parts: Participant[] = [];
    let wideband = false;
    let hasSupervisor = false;
    for (const p of call.participants.values()) {
      const leg = p.mixableLeg();
      if (!leg) continue;
      parts.push(p);
      if (leg.codec!.codec.clockRate > 8000) wideband = true;
      if (p.role === 'supervisor') hasSupervisor = true;
    }
    let mixer = call.mixer ?? undefined;
    if (!mixer && !force && !hasSupervisor && !MediaEngine.needsTranscoding(call)) return;
    const mixRate = wideband ? 16000 : 8000;
    if (mixer && mixer.mixRate !== mixRate) {
      this.release(call);
      mixer = undefined;
    }
    if (!mixer) {
      mixer = new CallMixer(call.callId, mixRate, this.opus, this.clock);
      call.mixer = mixer;
      this.log.info({ callId: call.callId, mixRate }, 'mixer created');
      this.emit('mixerCreated', call, mixer);
    }
    const keep = new Set<string>();
    for (const p of parts) {
      const leg = p.mixableLeg()!;
      const c = leg.codec!;
      mixer.setParticipant({ tag: p.tag, endpoint: leg.endpoint!, codec: c.codec, pt: c.pt, dtmfPt: c.dtmfPt, peerTag: p.peer?.tag ?? '' });
      if (p.role === 'supervisor') mixer.prewarm(p.tag);
      keep.add(p.tag);
    }
    for (const tag of mixer.tags()) if (!keep.has(tag)) mixer.removeParticipant(tag);
    const matrix = this.matrixOf(call) ?? MediaEngine.defaultMatrix(call);
    for (const out of keep) {
      for (const inp of keep) {
        if (out !== inp) mixer.setGain(out, inp, matrix.get(out)?.get(inp) ?? 0);
      }
    }
    mixer.reconfigure();
    this.emit('synced', call, mixer);
  }

  /**
   * Undo a mixer that a failed command created: released when nothing needs it any more (no supervisor,
   * no transcoding, no prompt playing), so a refused supervise leaves the call on the relay path.
   */
  releaseIfIdle(call: Call): void {
    const mixer = call.mixer;
    if (!mixer) return;
    if (!call.closed) {
      for (const p of call.participants.values()) if (p.role === 'supervisor') return;
      if (MediaEngine.needsTranscoding(call) || mixer.hasPrompts()) return;
    }
    this.release(call);
  }

  /** Drop the call's mixer (its endpoints go back to relaying). */
  release(call: Call): void {
    const mixer = call.mixer;
    if (!mixer) return;
    call.mixer = null;
    mixer.close();
  }

  /** Shutdown: the calls (and their mixers) are closed by the registry first; this stops the clock. */
  close(): void {
    this.clock.close();
  }
}
