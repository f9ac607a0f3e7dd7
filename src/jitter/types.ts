/**
 * Public types of the adaptive jitter buffer: what one `get()` produced, and the construction options.
 */
import type { AudioDecoder } from '../codec/types';

/** What the frame returned by `JitterBuffer.get()` contains. */
export enum FrameKind {
  /** Decoded from received packets only. */
  NORMAL = 0,
  /**
   * At least part of the frame was synthesised: codec PLC for a lost or late packet, or
   * a frame inserted to grow the delay (deceleration).
   */
  CONCEALED = 1,
  /**
   * No speech: before the first packet, during DTX/comfort noise (RFC 3389 CN, PT 13) or after a
   * long gap. Zeros or comfort noise; never counted as concealment.
   */
  SILENCE = 2,
}

export interface JitterBufferOptions {
  /** RTP clock rate of the stream in Hz (8000 for G.711/G.729, 48000 for Opus). */
  clockRate: number;
  /** Decoder for the stream's audio payload type; the buffer owns its call sequence. */
  decoder: AudioDecoder;
  /** Output frame length in ms: 20 (default) or 10. */
  frameMs?: number;
  /** Preallocated packet slots (rounded up to a power of two). Default 64. */
  maxPackets?: number;
  /** Largest payload accepted, bytes. Larger packets are dropped and counted. Default 1500. */
  maxPayloadBytes?: number;
  /** Lower clamp of the target delay, ms. Default 20. */
  minDelayMs?: number;
  /** Upper clamp of the target delay, ms; also the most delay an underrun may build up. Default 200. */
  maxDelayMs?: number;
  /** Target delay until ~0.5 s of arrivals has been seen, ms. Default 40. */
  startDelayMs?: number;
  /** Payload type of RFC 3389 comfort-noise packets on this SSRC. Default 13. */
  cnPayloadType?: number;
  /**
   * Longest run of concealment, ms; after it the buffer emits SILENCE instead (not counted as
   * concealment). Default 100 (G.711 Appendix I PLC is silent after 60 ms anyway).
   */
  maxConcealMs?: number;
  /**
   * RMS (16-bit linear units) below which a frame counts as silence: such frames are dropped first
   * when shrinking, and an underrun after one is treated as the start of DTX. Default 100 (≈ -50 dBov).
   */
  silenceRms?: number;
}
