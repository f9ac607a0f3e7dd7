/**
 * Typed surface of the `whisperd_native` addon (native/build/Release/whisperd_native.node).
 * Loaded only by src/codec/native.ts.
 *
 * Conventions (all frame functions):
 * - One call per RTP payload / 20 ms frame; the caller provides every buffer; nothing is allocated.
 * - Return value >= 0: samples or bytes written; < 0: a NativeError code (never throws).
 * - `*Create` functions throw (RangeError/Error) on bad construction arguments only.
 * - Handles are opaque; `destroy(handle)` frees the native state at once (idempotent). A finalizer
 *   frees it too if a handle is garbage-collected, but that is only a safety net.
 */

/** Negative return codes of the frame functions. */
export declare const enum NativeError {
  /** An argument has the wrong type or range (caller bug). */
  ARG = -1,
  /** The output buffer (from its offset to its end) is too small. */
  SPACE = -2,
  /** The handle was destroyed or is of another kind. */
  CLOSED = -3,
  /** The payload length is impossible for the codec (bad media: drop and count). */
  PAYLOAD = -4,
}

/** Options of jitterProbeCreate: JitterBufferOptions (src/jitter/types.ts) minus clockRate and decoder. */
export interface JitterProbeOptions {
  frameMs?: number;
  maxPackets?: number;
  maxPayloadBytes?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  startDelayMs?: number;
  cnPayloadType?: number;
  maxConcealMs?: number;
  silenceRms?: number;
}

declare const handleBrand: unique symbol;
/** An opaque native handle of kind K. */
export interface NativeHandle<K extends string> {
  readonly [handleBrand]: K;
}
export type G729EncoderHandle = NativeHandle<'g729-encoder'>;
export type G729DecoderHandle = NativeHandle<'g729-decoder'>;
export type ResamplerHandle = NativeHandle<'resampler'>;
export type EchoHandle = NativeHandle<'echo'>;
export type RelayHandle = NativeHandle<'relay'>;
/** A native call mix (handle.h Kind::Mix; mix* functions, relayAttachMix); destroy(h) = mixClose. */
export type MixHandle = NativeHandle<'mix'>;
export type CodecDecoderHandle = NativeHandle<'codec-decoder'>;
export type CodecEncoderHandle = NativeHandle<'codec-encoder'>;
export type JitterProbeHandle = NativeHandle<'jitter-probe'>;
/** A T.38 fax gateway (native/src/t38/t38_binding.cc): spandsp t38_gateway + UDPTL framing. */
export type T38GatewayHandle = NativeHandle<'t38-gateway'>;
/** A spandsp fax terminal (audio or T.38) for tests (native/src/t38/t38_binding.cc). */
export type FaxProbeHandle = NativeHandle<'fax-probe'>;

/** t38GatewayCreate options (rtpengine's T.38 flag options and the peer's SDP T38Fax* attributes). */
export interface T38GatewayOptions {
  /** Audio side in A-law (PCMA, default) or mu-law (PCMU). */
  alaw?: boolean;
  /** T38FaxVersion (0..3, default 0). */
  version?: number;
  /** Redundancy entries, or FEC packets, per UDPTL datagram (0..15; 0 = t38UDPNoEC; default 3). */
  ecEntries?: number;
  /** > 1: t38UDPFEC with this span (1..15; default 1 = redundancy). */
  fecSpan?: number;
  /** The peer's T38FaxMaxDatagram (16..16383, default 512): our datagrams stay below it. */
  maxDatagram?: number;
  noEcm?: boolean;
  noV17?: boolean;
  noV27ter?: boolean;
  noV29?: boolean;
  noV34?: boolean;
  noIaf?: boolean;
  /** localTCF rate management (default transferredTCF). */
  localTcf?: boolean;
}

export interface FaxProbeOptions {
  /** A T.38 terminal (UDPTL) instead of an audio fax terminal (G.711). */
  t38?: boolean;
  caller?: boolean;
  /** Send `file` (a TIFF), else receive into it. */
  send?: boolean;
  file: string;
  alaw?: boolean;
  ecm?: boolean;
  fecSpan?: number;
  ecEntries?: number;
}
/** Codec names of the frame codec kernels (native/src/codec/), in SDP spelling. */
export type NativeCodecName = 'PCMU' | 'PCMA' | 'G729' | 'opus' | 'G722' | 'GSM' | 'AMR' | 'AMR-WB';
export type AnyNativeHandle =
  | G729EncoderHandle
  | G729DecoderHandle
  | ResamplerHandle
  | EchoHandle
  | RelayHandle
  | CodecDecoderHandle
  | CodecEncoderHandle
  | JitterProbeHandle
  | T38GatewayHandle
  | FaxProbeHandle
  | DtlsCertHandle
  | DtlsConnHandle
  | SrtpHandle;

/** The process's DTLS certificate (native/src/dtls/): EC P-256 or RSA 2048 key, self-signed X.509, an SSL_CTX per role. */
export type DtlsCertHandle = NativeHandle<'dtls-cert'>;
/** One DTLS association (native/src/dtls/dtls.h Conn). */
export type DtlsConnHandle = NativeHandle<'dtls-conn'>;

export interface WhisperdNative {
  /** Version of this JS↔C++ contract; bumped on any incompatible change. */
  readonly abiVersion: number;
  /** Free the state behind a handle now. Returns 0 (NativeError.ARG if not a handle). */
  destroy(handle: AnyNativeHandle): number;

  // --- G.729 Annex A/B (bcg729), 8000 Hz, 10 ms = 80 samples = 10 bytes; SID = 2 bytes ---
  /** vad: enable Annex B VAD/DTX (the encoder then emits SID frames and nothing in silence). */
  g729EncoderCreate(vad: boolean): G729EncoderHandle;
  g729DecoderCreate(): G729DecoderHandle;
  /**
   * Encode `samples` (multiple of 80, <= 960) from pcm[pcmOff..] into out[outOff..] as one RTP
   * payload (RFC 3551 §4.5.6: speech frames, then at most one trailing SID). Returns bytes (0 = DTX).
   * out needs room for samples/8 bytes.
   */
  g729Encode(h: G729EncoderHandle, pcm: Int16Array, pcmOff: number, samples: number, out: Uint8Array, outOff: number): number;
  /**
   * Decode one RTP payload (10·n bytes, optionally + 2-byte SID) into out[outOff..]. Returns samples
   * (80 per frame) or NativeError.PAYLOAD for an impossible length.
   */
  g729Decode(h: G729DecoderHandle, payload: Uint8Array, off: number, len: number, out: Int16Array, outOff: number): number;
  /** Frame-erasure concealment (or comfort noise after a SID) for `samples` (multiple of 80). */
  g729Conceal(h: G729DecoderHandle, out: Int16Array, outOff: number, samples: number): number;
  /** Decode an RFC 3389 CN payload with Annex B CNG and continue it for `samples` (multiple of 80). */
  g729DecodeCn(h: G729DecoderHandle, payload: Uint8Array, off: number, len: number, out: Int16Array, outOff: number, samples: number): number;

  // --- speexdsp resampler, mono int16 ---
  /** quality 0..10 (speexdsp scale). Throws RangeError on bad rates. */
  resamplerCreate(inRate: number, outRate: number, quality: number): ResamplerHandle;
  /** Resample in[inOff .. inOff+inLen) into out[outOff..]; all input consumed. Returns samples written. */
  resamplerProcess(h: ResamplerHandle, input: Int16Array, inOff: number, inLen: number, out: Int16Array, outOff: number): number;
  resamplerReset(h: ResamplerHandle): number;
  /** Group delay of the filter, in output samples. */
  resamplerOutputLatency(h: ResamplerHandle): number;

  // --- speexdsp echo canceller (MDF) ---
  /**
   * frameSamples per call, tailSamples = echo path length to model, preprocess = residual echo suppression;
   * suppressActiveDb (-60..0): the residual suppressor's deepest cut while the near end talks, default as the daemon
   * runs it (native/src/mix/aec.h kAecSuppressActiveDb).
   */
  echoCreate(frameSamples: number, tailSamples: number, sampleRate: number, preprocess: boolean, suppressActiveDb?: number): EchoHandle;
  /** out = rec minus the echo of play. Each array holds one frame from its offset. Returns frameSamples. */
  echoCancel(h: EchoHandle, rec: Int16Array, recOff: number, play: Int16Array, playOff: number, out: Int16Array, outOff: number): number;
  echoReset(h: EchoHandle): number;

  // --- native relay fast path (native/src/relay.cc; used only via src/media/nativeRelay.ts) ---
  // Optional: an addon built before relay.cc lacks them, and whisperd then relays in JS.
  /**
   * Once per process: the global counters (mediaCounters.values, 8 slots; mediaCounters.drops, 15
   * slots) the native relay counts into, and performance.now() to align its clock with JS's.
   */
  relayInit?(counters: Float64Array, drops: Float64Array, perfNowMs: number): number;
  /**
   * Native state for one endpoint: dup()s the two udp4 or udp6 socket fds and prepares (does not start)
   * polling them. `state` (21 slots, layout RelaySlot in src/media/nativeRelay.ts) is shared: the
   * native side reads policy/remote from it and writes latching, stats and the last SSRC into it.
   * `own` (optional, OwnSockets.native in src/media/ownSockets.ts: [portMin, portMax, count, addresses…])
   * names whisperd's own sockets: a packet from one is dropped, none is sent to one (drop own_address).
   * `own6` (optional, OwnSockets.native6: [count, 4 words per IPv6 address]) the same for udp6 sockets,
   * whose remote address is state[17..20] (RelaySlot.REMOTE_ADDR6). Throws unless both fds are UDP
   * sockets of one family.
   */
  relayOpen?(rtpFd: number, rtcpFd: number, state: Float64Array, own?: Float64Array, own6?: Float64Array): RelayHandle;
  /**
   * Link two endpoints as each other's forwarding peer and start relaying both: on the least loaded
   * media thread if threads run (synchronous: the thread has added the fds when this returns), else on
   * Node's loop. `thread` (>= 0): that media thread instead (a call and all its legs live on one
   * thread; ignored on Node's loop; ARG if no such thread). 0 or a negative code.
   */
  relayStart?(a: RelayHandle, b: RelayHandle, thread?: number): number;
  /**
   * Change state[slot] (slot < 16) of a relaying endpoint and then set state[16] (APPLIED) = gen: at
   * once on Node's loop, queued to its media thread otherwise (the thread is the only writer of the
   * state array while it relays). slot 17 (REMOTE_ADDR6, udp6 endpoints): the 4 words of `words` in one
   * command. 0 or a negative code.
   */
  relaySet?(h: RelayHandle, slot: number, value: number, gen: number, words?: Float64Array): number;
  /** (issue 12) The endpoint's SRTP contexts, pending keys, and its STUN/DTLS handler id (0 none); synchronous. */
  relaySetSrtp?(h: RelayHandle, rx: SrtpHandle | null, tx: SrtpHandle | null, pending: boolean, nonRtpId: number): number;
  /** (issue 12) Queued STUN/DTLS records of every receive context into buf (relay.cc PutNonRtp): bytes written. */
  relayNonRtp?(buf: Uint8Array): number;
  /**
   * Stop relaying now (on a media thread: waits until the thread has removed and closed the dup fds),
   * unlink the peer (idempotent: CLOSED the second time).
   */
  relayStop?(h: RelayHandle): number;
  /** Native endpoints whose memory is not yet freed (on Node's loop: freed on the loop turn after relayStop). */
  relayLive?(): number;
  /**
   * Start n media threads (each its own epoll loop); thread i counts into counters[23i .. 23i+23)
   * (8 scalar counters, then 15 drop reasons), which only it writes. ringBytes: each thread's mix event
   * ring (default 4 MiB; multiple of 8, >= 4096). policy (0 leave, 1 other, 2 fifo, 3 rr, 4 batch, 5 idle) and
   * priority (fifo/rr: 1..99, else a nice value -20..19) are applied by each thread to itself before this
   * returns; a refusal does not fail the start (relayThreadSched reports it). 0, ARG (bad arguments or
   * already running) or -errno.
   */
  relayThreadsStart?(n: number, counters: Float64Array, ringBytes?: number, policy?: number, priority?: number): number;
  /**
   * Per running media thread: its kernel tid, the scheduling the kernel reports for it (policy: SCHED_OTHER 0,
   * FIFO 1, RR 2, BATCH 3, IDLE 5; rtPriority; nice) and the errno of a setting relayThreadsStart's
   * policy/priority could not apply (0: none; step 'policy' or 'nice').
   */
  relayThreadSched?(): { tid: number; policy: number; rtPriority: number; nice: number; error: number; step: string }[];
  /** Join the media threads. 0; ARG if an endpoint still relays on one (nothing stopped); CLOSED if none run. */
  relayThreadsStop?(): number;
  /** Endpoints relaying on each running media thread. */
  relayThreadLoads?(): number[];
  /** Index of the media thread relaying for h; -1 on Node's loop or not started. */
  relayThreadOf?(h: RelayHandle): number;
  /**
   * (native/src/relay.cc) Endpoint h (relayOpen; not relaying, not attached) feeds input idx of mix m and
   * sends its output idx; its fds move to the mix's media thread. Latching/strict-source/handover/stats/
   * own-socket rules as for a relaying endpoint; once the source is known only its RTP reaches the mix
   * (foreign_source). Its RTCP is relayed out of participant rtcpPeerIdx's endpoint (default -1: none,
   * counted no_destination), as the TS engine relays RTCP to the forwarding peer. 0, CLOSED (h or m
   * closed), ARG (bad index, h busy, idx taken, probe mix) or -errno.
   */
  relayAttachMix?(h: RelayHandle, m: MixHandle, idx: number, rtcpPeerIdx?: number): number;
  /** Synchronous like relayStop: afterwards nothing reads h's sockets (relayStop(h) frees it). 0 (also if not attached), CLOSED, ARG (h relays). */
  relayDetachMix?(h: RelayHandle): number;
  /**
   * Drain media thread `thread`'s event ring into buf: whole records only (format: mixapi, DTMF/OBSERVED/
   * MIXED records); bytes written, 0 = none, SPACE if the next record is larger than buf, ARG.
   */
  mixEvents?(thread: number, buf: Uint8Array): number;
  /** Event records dropped because a thread's ring (4 MiB) was full, since the process started. */
  mixEventsDropped?(): number;

  // --- native mix (native/src/mix_binding.cc; mix/call_mix.h: the C++ twin of src/mix/CallMixer.ts). Codec ids:
  // PCMU 0, GSM 3, PCMA 8, G722 9, G729 18, Opus 111, AMR 112 / AMR-WB 113 (RFC 4867 bandwidth-efficient),
  // AMR 114 / AMR-WB 115 (octet-aligned). Participants are indices 0..15. Configuration calls run on the mix's
  // thread between two packets and return when done: 0 or a negative NativeError (CLOSED: closed/not a mix).
  /** A mix on media thread `thread` (-1: the least loaded). Throws Error(message) if no media thread runs, RangeError on bad args. */
  mixCreate?(thread: number, mixRate: 8000 | 16000, opusComplexity: number, opusBitrate: number): MixHandle;
  /** A probe mix: runs inline on this thread with a capturing host (tests). `seed` fixes the SSRC/seq/ts draw (0/absent: random). */
  mixProbeCreate?(mixRate: 8000 | 16000, opusComplexity: number, opusBitrate: number, seed?: number): MixHandle;
  /** The id carried by event records (CLOSED if closed). */
  mixId?(m: MixHandle): number;
  /** Media thread index, -1 for a probe. */
  mixThreadOf?(m: MixHandle): number;
  /** Add or update participant idx (ParticipantMedia; same codec/clockRate/pt/dtmfPt: only the peer changes). dtmfPt/peerIdx -1: none. 0, ARG. A refused call changes nothing. */
  mixSetParticipant?(m: MixHandle, idx: number, codecId: number, clockRate: number, pt: number, dtmfPt: number, peerIdx: number,
    /** (M) optional: CN payload type (-1 none), ptime to repacketise to (0 none), the SDP's other codecs as [pt, codecId, clockRate] triples. */
    cnPt?: number, ptime?: number, also?: Float64Array, /** (M) 1: its SDP from whisperd carried telephone-event (default), 0: not */ dtmfOffered?: number,
    /** (K) AMR / AMR-WB encoder mode (fmtp mode-set), -1 the highest */ codecMode?: number): number;
  /** (M) TranscodeOptions of the mix: silence threshold (int16, 0 off) and the CN payload a silent frame becomes (1..16 bytes). */
  mixSetTranscodeOptions?(m: MixHandle, silenceThreshold: number, cnPayload: Uint8Array): number;
  /** (M) play DTMF from participant idx into the outputs transcoding it; dryRun 1: only count. Returns the count. */
  mixInjectDtmf?(m: MixHandle, idx: number, code: number, volume: number, toneVolume: number, durationMs: number, pauseMs: number, dryRun: number): number;
  mixRemoveParticipant?(m: MixHandle, idx: number): number;
  /** Gain of input inIdx in output outIdx (missing = 0); takes effect at mixReconfigure. */
  mixSetGain?(m: MixHandle, outIdx: number, inIdx: number, gain: number): number;
  /** CallMixer.reconfigure(): passthrough or mix per output, sources, primary talkers. */
  mixReconfigure?(m: MixHandle): number;
  /** Decode idx on arrival even when passthrough (bleed). */
  mixObserve?(m: MixHandle, idx: number): number;
  /** Run idx's jitter buffer before anyone hears it (supervisors). */
  mixPrewarm?(m: MixHandle, idx: number): number;
  /** Report idx's decoded direct audio (OBSERVED records). */
  mixSetObserved?(m: MixHandle, idx: number, on: boolean): number;
  /** Report output outIdx's mixed frames with source srcIdx's contribution and raw audio (MIXED records); -1 off. */
  mixSetTap?(m: MixHandle, outIdx: number, srcIdx: number): number;
  /** The echo canceller of a mix input (native/src/mix/aec.h): cancel input idx's decoded audio against the contribution of
   *  input refIdx to idx's output, tailMs long (refIdx -1: off). 0 ok, < 0 error. */
  mixSetEchoCanceller?(m: MixHandle, idx: number, refIdx: number, tailMs: number, residual: boolean): number;
  /** Input idx's canceller stats into out[0..5]: tailMs, residual (0/1), blocks, resyncs, underruns, bypassed. 1 when it has one. */
  mixEchoStats?(m: MixHandle, idx: number, out: Float64Array): number;
  /** (takeover) out: Float64Array(3) = {ssrc, next seq, next ts} of idx's own stream. 1, 0 none, negative error. */
  mixStream?(m: MixHandle, idx: number, out: Float64Array): number;
  /** (takeover) Continue another node's stream on idx's output: same SSRC, seq/ts from its anchor. 1, 0 none, negative error. */
  mixSetStream?(m: MixHandle, idx: number, ssrc: number, seq: number, ts: number): number;
  /** Play pcm (mix rate; copied) `repeat` (>= 1) times into output outIdx only (reconfigures). 0, -1 no such output, ARG. */
  mixAddPrompt?(m: MixHandle, outIdx: number, pcm: Int16Array, repeat: number): number;
  /** Stop outIdx's prompts (reconfigures); how many were playing. */
  mixStopPrompts?(m: MixHandle, outIdx: number): number;
  /** True while any output plays a prompt. */
  mixHasPrompts?(m: MixHandle): boolean;
  /** Hold (true) or release the mix's output clocks: no timer frame is sent while held (packets still flow). 0, or an error. */
  mixSetHeld?(m: MixHandle, held: boolean): number;
  mixSetPromptGain?(m: MixHandle, outIdx: number, gain: number): number;
  /** Doubles in mixStats' out: 8 + JITTER stats count. */
  readonly MIX_STATS_SIZE?: number;
  /**
   * out: Float64Array(MIX_STATS_SIZE): [0..6) framesMixed, framesByTimer, framesSkipped, packetsForwarded,
   * encodeErrors, mode (0 idle, 1 passthrough, 2 mix); [6] decodeErrors of input idx; [7] 1 if idx has a
   * jitter buffer; [8..) its JitterStats (src/jitter/JitterStats.ts order). 0, -1 no such participant.
   */
  mixStats?(m: MixHandle, idx: number, out: Float64Array): number;
  /** Idempotent: detaches the site (its thread stops touching the mix), frees the mix. 0, ARG if not a mix handle. */
  mixClose?(m: MixHandle): number;
  /** Probe: parse pkt[0..len) as RTP and feed it from participant idx at arrivalMs. 0, PAYLOAD (not RTP), ARG (not a probe). */
  mixProbeRtp?(m: MixHandle, idx: number, pkt: Uint8Array, len: number, arrivalMs: number, fromLatched: boolean): number;
  /** Probe: the output clocks at nowMs (the media thread's 5 ms tick). */
  mixProbeTick?(m: MixHandle, nowMs: number): number;
  /** Probe: set the probe's clock (its NowMs(), used by configuration calls such as mixReconfigure; packets and ticks set it too). */
  mixProbeSetNow?(m: MixHandle, nowMs: number): number;
  /** Probe: what HasDestination(idx) answers (default true). */
  mixProbeSetDestination?(m: MixHandle, idx: number, has: boolean): number;
  /** Probe: move captured records (SENT, DTMF, OBSERVED, MIXED; mixapi format) into buf, whole records only. Bytes written. */
  mixProbeDrain?(m: MixHandle, buf: Uint8Array): number;
  /** Probe: drops counted by the mix, indexed by DropReason (src/media/counters.ts), into out[0..16). 0. */
  mixProbeDrops?(m: MixHandle, out: Float64Array): number;

  // --- frame codec kernels (native/src/codec/, bound by native/src/codecs.cc): the C++ codecs the native
  // media plane runs (G.711 + Appendix I PLC bit-exact with src/codec/g711*.ts, G.729 via bcg729, Opus
  // via libopus with FEC/DTX, G.722 and GSM via spandsp, AMR / AMR-WB via opencore + vo-amrwbenc). For
  // tests and benchmarks, and the TS reference engine's G.722 / GSM / AMR / AMR-WB (src/codec/nativeKernel.ts).
  // Optional like the relay functions (an older addon lacks them).
  /**
   * sampleRate: 8000 for PCMU/PCMA/G729/GSM/AMR; 16000 for G722/AMR-WB; 8000, 12000, 16000, 24000 or 48000
   * for opus. opts.octetAlign: AMR/AMR-WB RFC 4867 octet-aligned packing (default bandwidth-efficient).
   * Throws RangeError.
   */
  codecDecoderCreate?(codec: NativeCodecName, sampleRate: number, opts?: { octetAlign?: boolean }): CodecDecoderHandle;
  /**
   * opts: complexity 0..10 (5), bitrate 500..512000 bit/s (24000), inbandFec (false), packetLossPerc
   * 0..100 (10 with FEC, else 0), dtx (Opus DTX / G.729 Annex B VAD; false), application 'voip' | 'audio'.
   * Throws RangeError on a bad value.
   */
  codecEncoderCreate?(
    codec: NativeCodecName,
    sampleRate: number,
    opts?: {
      complexity?: number;
      bitrate?: number;
      inbandFec?: boolean;
      packetLossPerc?: number;
      dtx?: boolean;
      application?: 'voip' | 'audio';
      /** AMR / AMR-WB: RFC 4867 octet-aligned packing (default bandwidth-efficient). */
      octetAlign?: boolean;
      /** AMR 0..7, AMR-WB 0..8; -1 (default) = the highest. */
      mode?: number;
    },
  ): CodecEncoderHandle;
  /** Decode one RTP payload into out[outOff..]. Samples, or PAYLOAD (bad media) / SPACE / ARG / CLOSED. */
  codecDecode?(h: CodecDecoderHandle, payload: Uint8Array, off: number, len: number, out: Int16Array, outOff: number): number;
  /** Concealment for exactly `samples` lost samples (Opus: multiple of 2.5 ms; G.729: of 10 ms). */
  codecConceal?(h: CodecDecoderHandle, out: Int16Array, outOff: number, samples: number): number;
  /**
   * A frame of `samples` was lost and the NEXT payload next[off..off+len) is here: recover the lost frame
   * from the next payload's in-band FEC (Opus LBRR; concealment when it has none or the codec has no FEC).
   * Decode `next` normally afterwards.
   */
  codecRecover?(h: CodecDecoderHandle, next: Uint8Array, off: number, len: number, out: Int16Array, outOff: number, samples: number): number;
  /** Encode pcm[pcmOff..pcmOff+samples) into out[outOff..]. Bytes, 0 = nothing to send (DTX), or a NativeError. */
  codecEncode?(h: CodecEncoderHandle, pcm: Int16Array, pcmOff: number, samples: number, out: Uint8Array, outOff: number): number;
  /** Forget the stream state (decoder or encoder). 0 or CLOSED. */
  codecReset?(h: CodecDecoderHandle | CodecEncoderHandle): number;

  // --- parser probe (native/src/parse_probe.cc): the pure parsers of native/src/rtp/ for the
  // differential test against src/media/rtp.ts and src/codec/telephoneEvent.ts. Not used by whisperd.
  /**
   * Run parser `kind` (0 RTP, 1 RTCP plausibility, 2 telephone-event, 3 RTCP compound walk) on
   * buf[0..len) and copy its view into `out` (Float64Array of at least 112 slots; layout in
   * parse_probe.cc). Returns the verdict (RtpVerdict / 1-0 / RtcpVerdict), or -1 for a bad argument.
   */
  parseProbe?(kind: number, buf: Uint8Array, len: number, out: Float64Array): number;

  // --- jitter probe (native/src/jitter_probe.cc): the native jitter buffer (native/src/jitter/, the C++
  // twin of src/jitter/JitterBuffer.ts) with its own decoder, for the differential test
  // (test/unit/native/jitterDiff.test.ts). Not used by whisperd (media threads own their buffers).
  /**
   * codecId: PCMU 0, PCMA 8, G729 18, Opus 111; clockRate: RTP clock (8000..48000); sampleRate: decoder
   * output rate. opts: JitterBufferOptions without the decoder (frameMs 10|20, maxPackets, maxPayloadBytes,
   * minDelayMs, maxDelayMs, startDelayMs, cnPayloadType (-1 none), maxConcealMs, silenceRms), same defaults.
   * Throws RangeError on a bad argument.
   */
  jitterProbeCreate?(codecId: number, clockRate: number, sampleRate: number, opts?: JitterProbeOptions): JitterProbeHandle;
  /** Parse pkt[0..len) as RTP and put() it at arrivalMs. 0 = fed; > 0 = the RtpVerdict that kept it out; ARG; CLOSED. */
  jitterProbePut?(h: JitterProbeHandle, pkt: Uint8Array, len: number, arrivalMs: number): number;
  /** get(): one frame into out[0..frameSamples). FrameKind (0 NORMAL, 1 CONCEALED, 2 SILENCE), SPACE, ARG or CLOSED. */
  jitterProbeGet?(h: JitterProbeHandle, out: Int16Array, nowMs: number): number;
  /** Copy the JitterStats (21 doubles, jitter::kStatsCount, in src/jitter/JitterStats.ts field order) into out. 0, SPACE or CLOSED. */
  jitterProbeStats?(h: JitterProbeHandle, out: Float64Array): number;
  /** reset(): drop buffered packets and playout state (keeps statistics and the learned target). 0 or CLOSED. */
  jitterProbeReset?(h: JitterProbeHandle): number;

  // --- T.38 fax gateway (native/src/t38/t38_binding.cc; driven by src/media/t38Gateway.ts) ---
  /** Throws RangeError on a bad option. */
  t38GatewayCreate?(opts: T38GatewayOptions): T38GatewayHandle;
  /** Feed one G.711 payload buf[off..off+len) (fax modem audio; `alaw`: its law, default the gateway's). Samples fed, ARG or CLOSED. */
  t38GatewayAudioIn?(h: T38GatewayHandle, buf: Uint8Array, off: number, len: number, alaw?: boolean): number;
  /** Write the next 20 ms (160 G.711 bytes) at buf[off..]. 160, SPACE, ARG or CLOSED. */
  t38GatewayAudioOut?(h: T38GatewayHandle, buf: Uint8Array, off: number): number;
  /** Feed one UDPTL datagram. 0 = taken, > 0 = malformed (UdptlVerdict, dropped), ARG or CLOSED. */
  t38GatewayUdptlIn?(h: T38GatewayHandle, buf: Uint8Array, off: number, len: number): number;
  /** Copy the next queued UDPTL datagram to buf[off..]: its length, 0 if none, ARG or CLOSED. */
  t38GatewayUdptlOut?(h: T38GatewayHandle, buf: Uint8Array, off: number): number;
  /** Switch the audio side's law (true = A-law). 0, ARG or CLOSED. */
  t38GatewaySetLaw?(h: T38GatewayHandle, alaw: boolean): number;
  /**
   * out (12): udptl datagrams, malformed, duplicates, recovered IFPs, lost IFPs, IFPs delivered, IFPs
   * sent, queue drops, oversize, audio samples in, audio samples out, samples left unprocessed. 0, ARG or CLOSED.
   */
  t38GatewayStats?(h: T38GatewayHandle, out: Float64Array): number;
  /** Throws on a bad option (tests). */
  faxProbeCreate?(opts: FaxProbeOptions): FaxProbeHandle;
  faxProbeAudioIn?(h: FaxProbeHandle, buf: Uint8Array, off: number, len: number): number;
  faxProbeAudioOut?(h: FaxProbeHandle, buf: Uint8Array, off: number): number;
  faxProbeUdptlIn?(h: FaxProbeHandle, buf: Uint8Array, off: number, len: number): number;
  faxProbeUdptlOut?(h: FaxProbeHandle, buf: Uint8Array, off: number): number;
  /** A T.38 terminal's 20 ms timeout step; non-zero once the session has ended. */
  faxProbeTick?(h: FaxProbeHandle): number;
  /** out (4 or 5): [phase E completion code (-1 = not yet, 0 = T30_ERR_OK), pages, bit rate, T.30 status, ECM used (with 5 slots)]. */
  faxProbeResult?(h: FaxProbeHandle, out: Float64Array): number;

  // --- DTLS-SRTP (native/src/dtls/dtls_binding.cc; driven by src/media/dtls/) ---
  /** keyType 0 = EC P-256, 1 = RSA 2048; valid from a day back to lifetimeSeconds ahead. Throws on failure. */
  dtlsCertCreate?(keyType: 0 | 1, lifetimeSeconds: number, commonName: string): DtlsCertHandle;
  /** hash: sha-1 | sha-224 | sha-256 | sha-384 | sha-512; upper-case hex with colons; null on a bad hash. */
  dtlsCertFingerprint?(cert: DtlsCertHandle, hash: string): string | null;
  /** The certificate (public part) in PEM. */
  dtlsCertPem?(cert: DtlsCertHandle): string | null;
  /** [notBefore, notAfter], Unix seconds. */
  dtlsCertValidity?(cert: DtlsCertHandle): [number, number] | null;
  /** active = DTLS client. mtu: largest datagram sent (256..16384). Throws on failure. */
  dtlsConnCreate?(cert: DtlsCertHandle, active: boolean, mtu: number): DtlsConnHandle;
  /** Feed one received datagram (null: start / pump); the datagrams to send, or < 0 (CLOSED, ARG, PAYLOAD = failed the record check, not fed). */
  dtlsFeed?(h: DtlsConnHandle, buf: Uint8Array | null, off: number, len: number): Buffer[] | number;
  /** Run the retransmission timer: datagrams to resend, or < 0. */
  dtlsTimeout?(h: DtlsConnHandle): Buffer[] | number;
  /** ms until the retransmission timer expires; -1 none; < -1 = NativeError. */
  dtlsNextTimeout?(h: DtlsConnHandle): number;
  /** 0 new, 1 handshaking, 2 connected, 3 failed, 4 closed; < 0 = NativeError. */
  dtlsState?(h: DtlsConnHandle): number;
  dtlsError?(h: DtlsConnHandle): string;
  /** 0 set, 1 the certificate already seen matches, 2 mismatch (the connection failed), < 0 bad hash/value. */
  dtlsSetRemoteFingerprint?(h: DtlsConnHandle, hash: string, value: string): number;
  dtlsPeerFingerprint?(h: DtlsConnHandle, hash: string): string | null;
  /** Once connected and verified: the DTLS-SRTP profile and 2 × (key + salt) bytes of EXTRACTOR-dtls_srtp. */
  dtlsSrtp?(h: DtlsConnHandle): { profile: string; material: Buffer } | null;
  /** close_notify to send (when connected); the connection is closed. */
  dtlsShutdown?(h: DtlsConnHandle): Buffer[] | number;
  /** Record-layer check of a datagram: 0 ok, 1 short, 2 type, 3 version, 4 truncated, 5 length; | 16 when its first record is a ClientHello. */
  dtlsCheck?(buf: Uint8Array, off: number, len: number): number;

  // --- SRTP / SRTCP (native/src/srtp/; src/media/srtp.ts SrtpContext) ---
  /** One direction's SRTP context (suite: index into SRTP_SUITES). Throws RangeError on impossible parameters. */
  srtpCreate?(opts: SrtpCreateOptions): SrtpHandle;
  /** Protect buf[0..len) in place (the buffer's size is the room for the trailer): the protected length, or < 0. */
  srtpProtect?(h: SrtpHandle, buf: Uint8Array, len: number, rtcp: boolean): number;
  /** Unprotect buf[0..len) in place: the plain length, or < 0 (SrtpError; counted in srtpStats). */
  srtpUnprotect?(h: SrtpHandle, buf: Uint8Array, len: number, rtcp: boolean): number;
  /** out[0..4) = authFailures, replays, decrypted, encrypted. 0, or < 0. */
  srtpStats?(h: SrtpHandle, out: Float64Array): number;
  /** (takeover) out: Float64Array(4 * k) = {ssrc, 48-bit SRTP index, SRTCP index, 0} per stream; the count, or < 0. */
  srtpStreams?(h: SrtpHandle, out: Float64Array): number;
  /** (takeover) Continue another node's stream (before any thread uses the context): highest index and SRTCP index. 0, or < 0. */
  srtpSeed?(h: SrtpHandle, ssrc: number, index: number, rtcpIndex: number): number;
  /** RFC 3711 §4.3 AES-CM PRF (kdr 0): `length` bytes for `label` (tests). */
  srtpDeriveKey?(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Uint8Array;

  // --- bleed detector DSP (native/src/dsp/; src/dsp/realFft.ts, src/dsp/decimator.ts) ---
  /** Choose ('auto' | 'baseline') and report the variant of the vector kernels (native/src/dsp/simd.h); < 0 for another mode. */
  dspKernels(mode?: string): 'avx2' | 'baseline' | number;
  /** Real FFT of size n (power of two, 4 .. 2^20; FFTW plans made once per size). Throws RangeError. */
  fftCreate(n: number): FftHandle;
  /** re/im[0..n/2] = unnormalised DFT of x[0..n). 0, or < 0 (NativeError). x is not modified. */
  fftForward(h: FftHandle, x: Float64Array, re: Float64Array, im: Float64Array): number;
  /** x[0..n) = inverse of fftForward (scaled by 1/n); im[0], im[n/2] ignored; re/im not modified. 0, or < 0. */
  fftInverse(h: FftHandle, re: Float64Array, im: Float64Array, x: Float64Array): number;
  /** Decimating FIR, factor 1..64, taps from src/dsp/decimator.ts; hp = [b0, b1, b2, a1, a2] biquad on the output or null. */
  decimatorCreate(factor: number, taps: Float64Array, hp: Float64Array | null): DecimatorHandle;
  /** Filter and decimate input[off .. off+samples) into out[outOff..]: outputs written, or < 0 (SPACE: nothing consumed). */
  decimatorProcess(h: DecimatorHandle, input: Int16Array, off: number, samples: number, out: Float64Array, outOff: number): number;
  /** Clear history, decimation phase and biquad state. 0, or < 0. */
  decimatorReset(h: DecimatorHandle): number;
  /**
   * Lagged cross-products over two rings of mask + 1 (a power of two) samples, t in [start, start + len):
   * num[k] += w sum y[t & mask] x[(t - d0 - k) & mask], den[k] += w sum x[(t - d0 - k) & mask]^2, k < lags.
   * 0, or NativeError.ARG. (For src/dsp/leakLevel.ts; src/dsp/nativeDsp.ts ringXcorr.)
   */
  ringXcorr(x: Float32Array, y: Float32Array, mask: number, start: number, len: number, d0: number, lags: number, w: number, num: Float64Array, den: Float64Array): number;
  /** LeakLevel.accumulate in one call: p = [start, span, chunk, d0, lags, best, gHat, powerFloor, weighted] (src/dsp/nativeDsp.ts ringFit). 0, or < 0. */
  ringFit(x: Float32Array, y: Float32Array, mask: number, num: Float64Array, den: Float64Array, p: Float64Array): number;
  /**
   * GCC-PHAT-beta delay search state (native/src/dsp/gcc.cc; src/dsp/gccPhat.ts). Throws RangeError unless size is a
   * power of two >= window + maxLag, binLo <= binHi <= size/2, 0 <= coherent < 1, beta >= 0, minLag <= maxLag,
   * obsFloor >= 0. obsHalf > 0: observed whitening over +-obsHalf bins instead of PHAT-beta (src/dsp/gccPhat.ts).
   */
  gccCreate(size: number, window: number, maxLag: number, binLo: number, binHi: number, coherent: number, beta: number, minLag: number, excludeAfter: number, excludeBefore: number, obsHalf?: number, obsFloor?: number): GccHandle;
  /** Forget the coherent average and the envelope accumulator. 0, or < 0. */
  gccReset(h: GccHandle): number;
  /**
   * One evaluation over two Float32 rings of mask + 1 samples ending at ring position `end`: out[0] = delay (samples),
   * out[1] = PSR. 0, or < 0 (NativeError).
   */
  gccEvaluate(h: GccHandle, ringX: Float32Array, ringY: Float32Array, mask: number, end: number, smoothing: number, spread: number, out: Float64Array): number;
}

/** A real FFT (native/src/dsp/fft.cc). Freed by GC (no destroy needed: buffers only). */
export type FftHandle = NativeHandle<'fft'>;
/** A decimator (native/src/dsp/decimator.cc). Freed by GC. */
export type DecimatorHandle = NativeHandle<'decimator'>;
/** A GCC-PHAT delay search (native/src/dsp/gcc.cc). Freed by GC. */
export type GccHandle = NativeHandle<'gcc'>;

/** An SRTP context (native/src/srtp/srtp.h); destroy(h) frees it. */
export type SrtpHandle = NativeHandle<'srtp'>;

export interface SrtpCreateOptions {
  suite: number;
  key: Uint8Array;
  salt: Uint8Array;
  mki?: number;
  mkiLength?: number;
  lifetime?: number;
  unencryptedSrtp?: boolean;
  unencryptedSrtcp?: boolean;
  unauthenticatedSrtp?: boolean;
  /** Tests: key/salt/authKey are session keys (RFC vectors), initialRoc the first ROC of a stream. */
  sessionKeys?: boolean;
  authKey?: Uint8Array;
  initialRoc?: number;
}
