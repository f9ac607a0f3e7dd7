/**
 * Decides each call's media processing and runs the shared mix clock. `sync(call)` is called at
 * signalling time (answer, supervise, mode change, prompt) and re-derives it: a call whose outputs are
 * each exactly one same-codec input stays on the pure relay path (no mixer at all); otherwise the call
 * gets a mixer (CallMedia, owned by the Call: `call.mixer`, closed with it) given every participant and
 * the gain matrix (from the `matrixOf` function the composition root passes in). Publishes
 * 'mixerCreated' and 'synced' (typed events) for the services that attach to a call's mixer (DTMF,
 * bleed monitors).
 *
 * Which engine runs a new mixer (config `media.engine`): 'native' (default) puts the mix on a media
 * thread (NativeCallMixer) when the addon has the mix functions, media threads run (media.threads > 0)
 * and every endpoint of the call attaches to it; otherwise — or with 'reference' — the TypeScript
 * engine (CallMixer, on the mix clock) runs it. A native mixer that cannot take a participant (a
 * supervisor joining later, an endpoint that had to leave its thread) is replaced by a reference one:
 * a call keeps one engine for the life of its mixer. Fallbacks are logged once per reason and counted.
 */
import type { Call } from './Call';
import type { Participant } from './Participant';
import { TypedEmitter } from '../events/TypedEmitter';
import type { Logger } from '../log';
import { nativeRelayApi } from '../media/nativeRelay';
import { CallMixer, DEFAULT_TRANSCODE_OPTIONS, needsTranscode, type TranscodeOptions } from '../mix/CallMixer';
import { findCodec, type CodecDef } from '../codec/registry';
import type { MediaLeg } from './MediaLeg';
import { MixClock } from '../mix/MixClock';
import { NativeCallMixer, nativeMixFns } from '../mix/NativeCallMixer';
import type { CallMedia, MediaEngineKind, ParticipantMedia } from '../mix/types';

/**
 * ng `media-echo` (rtpengine MEO_*, call.c __media_init_from_flags): per participant, whether it hears
 * its own media instead of its peer's (ECHO) and whether its media reaches nobody (BLACKHOLE). Set when
 * an offer/answer commits (applyMediaEcho), read when the matrix is built.
 */
const echoFlags = new WeakMap<Participant, { echo: boolean; blackhole: boolean }>();

/**
 * Apply a `media-echo` value of a message from `sender` to `receiver` (signalling commit): `forward`
 * echoes the receiver's media back to it and drops the sender's; `backwards` the other way round;
 * `both` echoes each; `blackhole` drops both. Absent: unchanged.
 */
export function applyMediaEcho(sender: Participant, receiver: Participant, mode: 'blackhole' | 'forward' | 'backwards' | 'both' | undefined): void {
  if (!mode) return;
  const set = (p: Participant, echo: boolean, blackhole: boolean): void => void echoFlags.set(p, { echo, blackhole });
  if (mode === 'forward') {
    set(receiver, true, false);
    set(sender, false, true);
  } else if (mode === 'backwards') {
    set(sender, true, false);
    set(receiver, false, true);
  } else if (mode === 'both') {
    set(sender, true, false);
    set(receiver, true, false);
  } else {
    set(sender, false, true);
    set(receiver, false, true);
  }
}

function echoOf(p: Participant): { echo: boolean; blackhole: boolean } {
  return echoFlags.get(p) ?? { echo: false, blackhole: false };
}

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
  /** Native mixers this engine made (pruned of closed ones when counted). */
  private readonly natives = new Set<NativeCallMixer>();
  /** Fallback reasons already logged (each once). */
  private readonly loggedReasons = new Set<string>();
  /** For /metrics: mixers created per engine, and calls that wanted native but run on the reference engine. */
  readonly counters = { createdNative: 0, createdReference: 0, fallbacks: 0 };

  constructor(
    private readonly log: Logger,
    /** Opus encoder settings for every mixer (config codecs). */
    private readonly opus: { complexity: number; bitrate: number } = { complexity: 5, bitrate: 24000 },
    /** The gain matrix of a call (supervision modes); null = the default two-party matrix. Replaceable by tests (fault injection). */
    public matrixOf: MatrixProvider = () => null,
    /** Config media.engine: the engine new mixers prefer. */
    readonly preferred: MediaEngineKind = 'reference',
    /** Transcoding settings (config media.silenceDetect, media.cnPayload). */
    readonly transcodeOptions: TranscodeOptions = DEFAULT_TRANSCODE_OPTIONS,
  ) {
    super();
  }

  /**
   * Whether a call is being recorded (src/recording, set by the daemon): a recorded call gets a mixer
   * (its parties' audio is decoded on arrival for the files) and keeps it while recorded.
   */
  recordingWanted: ((call: Call) => boolean) | null = null;

  mixer(call: Call): CallMedia | undefined {
    return call.mixer ?? undefined;
  }

  /** Calls with a mixer (reference mixers are on the clock while open; native ones are counted here). */
  get mixerCount(): number {
    return this.clock.size + this.nativeMixerCount;
  }

  /** Open mixers on the native media plane. */
  get nativeMixerCount(): number {
    for (const m of this.natives) if (m.isClosed) this.natives.delete(m);
    return this.natives.size;
  }

  /** Why a native mixer cannot be made now, or null when it can. */
  private nativeUnavailable(): string | null {
    if (nativeMixFns() === null) return 'the native addon has no mix functions';
    const host = nativeRelayApi()?.mix ?? null;
    if (host === null) return 'the native addon cannot host mixes on media threads';
    if (host.ensureThreads() <= 0) return 'no media threads run (media.threads = 0)';
    return null;
  }

  /**
   * (M) The native mix has no TRANSCODE output yet (decode in sequence order, repacketise, comfort
   * noise, numbering after the input): a call that needs one runs on the reference engine.
   */
  private nativeCannotTranscode(call: Call): string | null {
    if (NativeCallMixer.transcodes) return null;
    return MediaEngine.needsTranscoding(call, this.transcodeOptions) ? 'transcoding (codec, ptime, comfort noise) runs on the reference engine' : null;
  }

  private fallback(callId: string, reason: string): void {
    this.counters.fallbacks++;
    if (this.loggedReasons.has(reason)) return;
    this.loggedReasons.add(reason);
    this.log.warn({ callId, reason }, 'native media engine unavailable for a call: it runs on the reference engine (logged once per reason)');
  }

  /** A new mixer for `call`: native when preferred and possible (every participant attached), else reference. */
  private createMixer(call: Call, mixRate: 8000 | 16000, members: ParticipantMedia[], allowNative: boolean): CallMedia {
    if (this.preferred === 'native' && allowNative) {
      const why = this.nativeUnavailable() ?? this.nativeCannotTranscode(call);
      if (why === null) {
        let m: NativeCallMixer | null = null;
        try {
          m = new NativeCallMixer(call.callId, mixRate, this.opus, { fns: nativeMixFns()!, thread: call.mediaThread, transcode: this.transcodeOptions });
        } catch (err) {
          this.fallback(call.callId, `mixCreate failed: ${(err as Error).message}`);
        }
        if (m !== null) {
          if (members.every((p) => m.setParticipant(p))) {
            this.natives.add(m);
            m.onLost = () => this.lost(call, m);
            this.counters.createdNative++;
            return m;
          }
          m.close();
          this.fallback(call.callId, 'an endpoint or codec of the call cannot go to a media thread');
        }
      } else {
        this.fallback(call.callId, why);
      }
    }
    const r = new CallMixer(call.callId, mixRate, this.opus, this.clock, this.transcodeOptions);
    for (const p of members) r.setParticipant(p);
    this.counters.createdReference++;
    return r;
  }

  /** A native mixer lost an endpoint: re-derive the call's media (its mixer is recreated) outside the setter that noticed. */
  private lost(call: Call, m: NativeCallMixer): void {
    setImmediate(() => {
      if (call.mixer === m && !call.closed) this.sync(call);
    });
  }

  protected override listenerError(err: unknown, event: string): void {
    this.log.error({ err, event }, 'media engine listener failed');
  }

  /**
   * What the mixer needs to know of a participant's leg (signalling time): its codec and payload
   * types, the other codecs its SDP lists, comfort noise, and the ptime to repacketise to when the ng
   * `ptime`/`ptime-reverse` flags forced one (S: leg.ptimeForced / leg.ptimeOut; no ptimeOut = the
   * codec's default, 20 ms).
   */
  static mediaOf(p: Participant, leg: MediaLeg): ParticipantMedia {
    const c = leg.codec!;
    const alsoSends: Array<{ pt: number; codec: CodecDef }> = [];
    let cnPt = -1;
    // What it may send: its own SDP's codecs that whisperd's SDP to it also carried (rtpengine only
    // transcodes what it offered or answered). That list is leg.sentPayloads when negotiation records
    // it (N), else: the answerer was sent the offerer's list after codec operations (advertised), and
    // the offerer is assumed to have been answered with the answerer's codecs.
    const sent = MediaEngine.sentTo(p, leg);
    const wasSent = (enc: string, rate: number): boolean =>
      sent === null || sent.some((y) => y.encoding.toLowerCase() === enc && (y.clockRate === rate || y.clockRate === 0 || rate === 0));
    for (const x of leg.payloads) {
      const enc = x.encoding.toLowerCase();
      if (enc === 'cn') {
        if (cnPt < 0 && (x.clockRate === 8000 || x.clockRate === 0) && wasSent('cn', 8000)) cnPt = x.pt;
        continue;
      }
      if (x.pt === c.pt || enc === 'telephone-event' || !wasSent(enc, x.clockRate)) continue;
      const def = findCodec(x.encoding, x.clockRate || undefined);
      if (def) alsoSends.push({ pt: x.pt, codec: def });
    }
    return {
      tag: p.tag,
      endpoint: leg.endpoint!,
      codec: c.codec,
      pt: c.pt,
      dtmfPt: c.dtmfPt,
      peerTag: p.peer?.tag ?? '',
      alsoSends,
      cnPt,
      dtmfOffered: wasSent('telephone-event', 0),
      ptime: leg.ptimeForced ? (leg.ptimeOut ?? c.codec.frameMs) : 0,
    };
  }

  /** The payloads of whisperd's SDP to `p` on this leg's line, null when unknown (see mediaOf). */
  private static sentTo(p: Participant, leg: MediaLeg): ReadonlyArray<{ encoding: string; clockRate: number }> | null {
    const recorded = (leg as { sentPayloads?: ReadonlyArray<{ encoding: string; clockRate: number }> | null }).sentPayloads;
    if (recorded) return recorded;
    const peerLeg = p.peer?.legs[leg.index];
    if (!peerLeg) return null;
    return peerLeg.advertised ?? peerLeg.payloads;
  }

  /** True when some party hears its peer through a transform: another codec, a ptime, comfort noise. */
  static needsTranscoding(call: Call, opts: TranscodeOptions = DEFAULT_TRANSCODE_OPTIONS): boolean {
    for (const p of call.participants.values()) {
      if (!p.peer || p.role !== 'party') continue;
      const a = p.mixableLeg();
      const b = p.peer.mixableLeg();
      if (a && b && needsTranscode(MediaEngine.mediaOf(p.peer, b), MediaEngine.mediaOf(p, a), opts)) return true;
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

  /**
   * ng media-echo over a matrix: an echoing participant hears itself instead of its peer; the media of
   * one that echoes or is a blackhole reaches its peer no more (rtpengine: "media arriving from the
   * opposite side is discarded").
   */
  static withEcho(call: Call, m: Matrix): Matrix {
    for (const p of call.participants.values()) {
      const f = echoOf(p);
      if (!f.echo && !f.blackhole) continue;
      if (p.peer) m.get(p.peer.tag)?.delete(p.tag);
      if (f.echo) {
        if (p.peer) m.get(p.tag)?.delete(p.peer.tag);
        let row = m.get(p.tag);
        if (!row) m.set(p.tag, (row = new Map()));
        row.set(p.tag, 1);
      }
    }
    return m;
  }

  /** True when a party's media is echoed or dropped (ng media-echo): only a mixer does that. */
  static echoes(call: Call): boolean {
    for (const p of call.participants.values()) {
      const f = echoOf(p);
      if (f.echo || f.blackhole) return true;
    }
    return false;
  }

  /** The rate `sync` mixes `call` at: 16 kHz when any participant's mixable leg is wideband. */
  static mixRateOf(call: Call): 8000 | 16000 {
    for (const p of call.participants.values()) {
      const leg = p.mixableLeg();
      if (leg && leg.codec!.codec.pcmRate > 8000) return 16000; // (K) G.722: 16 kHz audio on an 8000 RTP clock
    }
    return 8000;
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
    let hasSupervisor = false;
    for (const p of call.participants.values()) {
      if (!p.mixableLeg()) continue;
      parts.push(p);
      if (p.role === 'supervisor') hasSupervisor = true;
    }
    let mixer = call.mixer ?? undefined;
    if (!mixer && !force && !hasSupervisor && !MediaEngine.needsTranscoding(call, this.transcodeOptions) && !MediaEngine.echoes(call) && !this.recordingWanted?.(call)) return;
    const mixRate = MediaEngine.mixRateOf(call);
    if (mixer && (mixer.mixRate !== mixRate || (mixer instanceof NativeCallMixer && mixer.lost))) {
      this.release(call);
      mixer = undefined;
    }
    const members: ParticipantMedia[] = parts.map((p) => MediaEngine.mediaOf(p, p.mixableLeg()!));
    const keep = new Set<string>(members.map((m) => m.tag));
    let refused = false;
    if (mixer) {
      // Leavers first (their endpoints go back to Node), then the members.
      for (const tag of mixer.tags()) if (!keep.has(tag)) mixer.removeParticipant(tag);
      if (!members.every((m) => mixer!.setParticipant(m))) {
        // The native mixer cannot take a member: the call's mixer is recreated on the reference engine.
        this.fallback(call.callId, 'a participant joining a native mix cannot go to its media thread');
        this.release(call);
        mixer = undefined;
        refused = true;
      }
    }
    if (!mixer) {
      mixer = this.createMixer(call, mixRate, members, !refused);
      call.mixer = mixer;
      this.log.info({ callId: call.callId, mixRate, engine: mixer.engine }, 'mixer created');
      this.emit('mixerCreated', call, mixer);
    }
    for (const p of parts) if (p.role === 'supervisor') mixer.prewarm(p.tag);
    const matrix = MediaEngine.withEcho(call, this.matrixOf(call) ?? MediaEngine.defaultMatrix(call));
    for (const out of keep) {
      for (const inp of keep) {
        // A participant hears itself only by media-echo (the matrix says so explicitly).
        if (out !== inp || mixer.gain(out, inp) !== 0 || matrix.get(out)?.has(inp)) mixer.setGain(out, inp, matrix.get(out)?.get(inp) ?? 0);
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
      if (MediaEngine.needsTranscoding(call, this.transcodeOptions) || MediaEngine.echoes(call) || mixer.hasPrompts()) return;
      if (this.recordingWanted?.(call)) return;
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
