/**
 * Counters of one jitter buffer, as plain number fields that the metrics exporter reads at scrape time.
 * Names and units follow W3C webrtc-stats `RTCInboundRtpStreamStats` where one exists (NetEq exports the
 * same set); the rest are whisperd's own. All counters are cumulative over the buffer's life (SSRC
 * changes and `reset()` do not clear them); the `*Ms` gauges are the state at the last `get()`.
 */
export class JitterStats {
  /** RTP packets handed to put(), including duplicates, late and dropped ones. */
  packetsReceived = 0;
  /** Packets dropped for arriving too late (or too early/oversized), W3C semantics. Excludes duplicates. */
  packetsDiscarded = 0;
  /** Estimated lost packets (RFC 3550 §6.4.1 cumulative lost: expected − received, duplicates excluded). */
  packetsLost = 0;
  /** Packets whose sequence number was already buffered or played. */
  packetsDuplicated = 0;
  /** Samples (at the decoder rate) decoded from packets. */
  totalSamplesReceived = 0;
  /** Samples synthesised for lost or late packets (PLC), at the decoder rate. Excludes DTX. */
  concealedSamples = 0;
  /** Of concealedSamples, those that came out silent (all-zero 10 ms blocks or PLC already muted). */
  silentConcealedSamples = 0;
  /** Times concealment started after non-concealed audio. */
  concealmentEvents = 0;
  /** Samples synthesised to grow the delay (not for loss). */
  insertedSamplesForDeceleration = 0;
  /** Decoded samples dropped to shrink the delay. */
  removedSamplesForAcceleration = 0;
  /** Samples of SILENCE emitted (start-up, DTX, comfort noise, long gaps). */
  silenceSamples = 0;
  /** Σ over emitted decoded samples of (emission time − packet arrival time), seconds. */
  jitterBufferDelay = 0;
  /** Σ over the same samples of the target delay at emission, seconds. */
  jitterBufferTargetDelay = 0;
  /** Decoded samples that left the buffer (the divisor of the two sums above). */
  jitterBufferEmittedCount = 0;
  /** RFC 3550 §6.4.1 interarrival jitter, seconds. */
  jitter = 0;
  /** Playout delay relative to the fastest packet of the last ~2 s, ms, at the last get(). */
  currentDelayMs = 0;
  /** Target playout delay, ms, at the last get(). */
  targetDelayMs = 0;
  /** Buffer overflows that discarded every buffered packet. */
  flushes = 0;
  /** SSRC changes (each one resets playout and resynchronises). */
  ssrcChanges = 0;
  /** Timestamp discontinuities on the same SSRC that forced a resynchronisation. */
  resyncs = 0;
  /** Payloads the decoder rejected (treated as lost). */
  decodeErrors = 0;
}

/** The counters reported per jitter buffer (ng query, HTTP API): W3C webrtc-stats names plus whisperd's packet counters. */
export const REPORTED_JITTER_FIELDS = [
  'concealedSamples',
  'concealmentEvents',
  'insertedSamplesForDeceleration',
  'removedSamplesForAcceleration',
  'jitterBufferDelay',
  'jitterBufferTargetDelay',
  'jitterBufferEmittedCount',
  'packetsDiscarded',
  'packetsReceived',
  'packetsLost',
] as const satisfies ReadonlyArray<keyof JitterStats>;
