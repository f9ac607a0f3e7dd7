/**
 * The one interface the rest of the daemon uses for a call's media processing (`call.mixer`), whichever
 * engine runs it:
 *
 *   native     src/mix/NativeCallMixer.ts: the mix runs on a media thread in the addon
 *              (native/src/mix/call_mix.h); counters are read from it at query/scrape time, its
 *              events (DTMF, bleed audio) are drained in batches by one main-thread poller;
 *   reference  src/mix/CallMixer.ts: the TypeScript engine on Node's thread (the reference
 *              implementation, and the fallback when the native plane cannot take the call).
 *
 * Everything here is signalling time or read time; nothing is called per packet by the control plane.
 * Participants are addressed by their tag.
 */
import type { CodecDef } from '../codec/registry';
import type { JitterStats } from '../jitter/JitterStats';
import type { RtpView } from '../media/rtp';
import type { RtpEndpoint } from '../media/RtpEndpoint';

import type { EchoCancellerSpec } from './EchoCanceller';

export type { EchoCancellerSpec } from './EchoCanceller';

/** Counters of one echo canceller (blocks of AEC_FRAME_MS). */
export interface EchoStats {
  tailMs: number;
  residual: boolean;
  /** Blocks cancelled. */
  blocks: number;
  /** Times the reference/near-end pairing was re-established. */
  resyncs: number;
  /** Blocks whose reference had (partly) not arrived (padded with silence). */
  underruns: number;
  /** Packets not cancelled (length not a whole number of blocks). */
  bypassed: number;
}

/** A consumer of a mixer's audio taps (CallMedia.setTaps; tapFanout.ts). */
export type TapConsumer = 'bleed' | 'recording';

/** Which implementation runs a call's media (config `media.engine`). */
export type MediaEngineKind = 'native' | 'reference';

/** What a participant sends and accepts, decided at offer/answer time. */
export interface ParticipantMedia {
  tag: string;
  endpoint: RtpEndpoint;
  codec: CodecDef;
  /** Payload type this participant uses for the codec, and for telephone-event (-1: none). */
  pt: number;
  dtmfPt: number;
  /** Tag of its offer/answer peer, '' for none (supervisors). */
  peerTag: string;
  /**
   * Other codecs of its SDP besides `codec`: it may send them (decoded for a listener that lacks
   * them) and accepts them (forwarded to it as they are). Empty/absent: only `codec` at `pt`.
   */
  alsoSends?: ReadonlyArray<{ pt: number; codec: CodecDef }>;
  /**
   * Whether whisperd's SDP to it carried telephone-event (so it may send RFC 4733 events): false turns
   * off DTMF-to-tone transcoding from it. Absent: true.
   */
  dtmfOffered?: boolean;
  /** RFC 3389 comfort noise payload type it negotiated, -1/absent: none. */
  cnPt?: number;
  /**
   * Packetisation whisperd must send to it, ms (the `ptime` / `ptime-reverse` flags, or its own
   * a=ptime when the other side's is forced): 0/absent = as the packets arrive (no repacketising).
   */
  ptime?: number;
}

export interface DtmfListener {
  /** `fromLatched`: the packet came from the participant's latched source (only then may it steer anything). */
  onDtmf(tag: string, buf: Buffer, view: RtpView, fromLatched: boolean): void;
}

/** How an output is produced (same numbers as the native OutputStats `mode`). */
export const enum OutputMode {
  /** Nothing to send yet (no codec/destination). */
  IDLE = 0,
  PASSTHROUGH = 1,
  MIX = 2,
  /**
   * One input, not forwardable as is (another codec, a ptime to repacketise to, comfort noise to make
   * or consume): decoded in sequence order and re-encoded, numbered after the input (rtpengine's
   * transcoding handler); packets the listener accepts as they are, forwarded re-stamped.
   */
  TRANSCODE = 3,
}

/** What one participant hears: its mode and counters (GET /v1/calls/:id `sent`, /metrics). */
export interface MediaOutput {
  readonly tag: string;
  readonly mode: OutputMode;
  /** Linear gain of prompts in this output (HTTP gains API, source 'prompts'). */
  promptGain: number;
  readonly framesMixed: number;
  /** Of framesMixed, those the output clock emitted while the primary talker was silent. */
  readonly framesByTimer: number;
  /** Frames the output clock skipped after a stall (more than 3 frames behind). */
  readonly framesSkipped: number;
  readonly packetsForwarded: number;
  /** Mixed frames the encoder refused (not sent). */
  readonly encodeErrors: number;
}

/** One participant's audio as an input. */
export interface MediaInput {
  readonly tag: string;
  /** Payloads the direct (decode-on-arrival) path's decoder rejected. */
  readonly decodeErrors: number;
  /** Counters of its jitter buffer (buffered path), null when its audio is not decoded through one. */
  readonly jitterStats: JitterStats | null;
}

/**
 * Receives a call's audio for the bleed measurement (src/bleed). Called on Node's thread: by the
 * reference engine from its packet path (each frame as it happens), by the native engine from the
 * event poller (batches, in order, with the media thread's times). Must not keep the arrays.
 */
export interface MixAudioSink {
  /** Input `inTag`'s decoded direct audio (mix rate), pcm[off..off+n), arrived at nowMs. */
  onObserved(inTag: string, pcm: Int16Array, off: number, n: number, nowMs: number): void;
  /**
   * A frame mixed for output `outTag` (final PCM, n samples) at nowMs, with the tapped source `srcTag`'s
   * `contrib` (gain applied, rounded and clamped) and `raw` audio (read for this frame, before gain);
   * both null when that source is not a source of the output (raw also while it has produced nothing).
   */
  onMixed(outTag: string, srcTag: string, pcm: Int16Array, n: number, contrib: Int16Array | null, raw: Int16Array | null, nowMs: number): void;
}

/** A call's mixer, as the control plane sees it. */
export interface CallMedia {
  readonly engine: MediaEngineKind;
  readonly callId: string;
  /** 8000 or 16000. */
  readonly mixRate: number;
  readonly isClosed: boolean;
  /** Where DTMF packets of every participant go (DtmfControl), set when the mixer is created. */
  dtmfListener: DtmfListener | null;

  /**
   * Add or update a participant (signalling time); call reconfigure() afterwards. Returns false when the
   * engine cannot take it (native: its endpoint cannot attach); nothing changed then.
   */
  setParticipant(m: ParticipantMedia): boolean;
  removeParticipant(tag: string): void;
  setGain(outTag: string, inTag: string, gain: number): void;
  /** The matrix gain out <- in (0 when unset). */
  gain(outTag: string, inTag: string): number;
  tags(): string[];
  /**
   * Changes whenever `tag`'s input/output are recreated (new endpoint or codec): consumers that pair
   * streams over time (bleed) restart then. -1 for no such participant.
   */
  generation(tag: string): number;
  output(tag: string): MediaOutput | undefined;
  input(tag: string): MediaInput | undefined;
  /** Decide every output's path (passthrough or mix) from the matrix. Signalling time. */
  reconfigure(): void;
  /**
   * The input an output forwards or is about to forward as is (passthrough), null when it mixes. The
   * structural digital check of the bleed monitor reads it after reconfigure().
   */
  passthroughSource(outTag: string): string | null;
  /** Decode `tag` on arrival even when its outputs are passthrough (bleed observation). */
  observe(tag: string): void;
  /** Run `tag`'s jitter buffer before anyone hears it (supervisors). */
  prewarm(tag: string): void;
  /**
   * Audio taps of one consumer (`bleed`: the bleed monitor; `recording`: src/recording), signalling time,
   * replacing that consumer's previous set (sink null: it stops): report the direct audio of the inputs
   * in `observed`, and every mixed frame of the outputs in `taps` (out tag -> tapped source tag: one source
   * per output, as the native mix reports it). The mixer installs the union of the consumers
   * (tapFanout.ts) and hands each only what it asked for. Observed inputs still need observe(tag).
   */
  setTaps(consumer: TapConsumer, sink: MixAudioSink | null, observed: readonly string[], taps: ReadonlyMap<string, string>): void;
  /**
   * Echo canceller on `tag`'s direct path (a whisper/page session's `aec`; signalling time, applied by
   * the next reconfigure()): `tag`'s audio is cancelled on arrival with `spec.refTag`'s contribution to
   * what `tag` hears as the reference, and every output that carries `tag` alone mixes (decoded,
   * cancelled, re-encoded) instead of forwarding its packets. null turns it off (and frees it). Kept by
   * tag across the participant's re-creation. Returns true when something changed. Throws when the
   * canceller cannot be made (no native addon).
   */
  setEchoCanceller(tag: string, spec: EchoCancellerSpec | null): boolean;
  /** Counters of `tag`'s canceller (null: none runs). Read time. */
  echoStats(tag: string): EchoStats | null;
  /** (takeover) `tag`'s own output stream: SSRC, next seq and timestamp; null: no such output. Signalling time. */
  streamState?(tag: string): { ssrc: number; seq: number; ts: number } | null;
  /** (takeover) Continue another node's stream on `tag`'s output. False: no such output. Signalling time. */
  setStreamState?(tag: string, ssrc: number, seq: number, ts: number): boolean;
  /**
   * (M) `play DTMF` from `fromTag` into the outputs that transcode its audio (events or in-band tones,
   * as the relay's DtmfInjector). False when no output transcodes it.
   */
  injectDtmf?(fromTag: string, code: number, volume: number, toneVolume: number, durationMs: number, pauseMs: number): boolean;
  /** (M) Whether injectDtmf(fromTag, ...) would be taken (some output transcodes its audio). */
  canInjectDtmf?(fromTag: string): boolean;
  /** Play `pcm` (mono, at the mix rate) `repeat` times into `tag`'s ear only. False: no such output. */
  addPrompt(tag: string, pcm: Int16Array, repeat: number): boolean;
  /** Stop `tag`'s prompts; returns how many were playing. */
  stopPrompts(tag: string): number;
  /** True while any output plays a prompt. */
  hasPrompts(): boolean;
  /** Release everything (the endpoints go back to relaying). Idempotent. */
  close(): void;
}
