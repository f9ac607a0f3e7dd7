/**
 * The codec contract shared by codecs, the jitter buffer and the mixer. Everything works in
 * caller-provided typed arrays; no method allocates per frame. Return values are counts; a negative
 * return is an error code (bad payload) which callers count and treat as a lost frame.
 */

/** Codec names as they appear in SDP a=rtpmap (upper-cased, except "opus" which SDP writes lower-case). */
export type CodecName = 'PCMU' | 'PCMA' | 'G729' | 'opus' | 'G722' | 'GSM' | 'AMR' | 'AMR-WB' | 'telephone-event' | 'CN';

/**
 * Negative return codes of decode/encode/conceal (the same numbers as the native addon's, see
 * native/index.d.ts). Callers count them and treat the frame as lost; nothing on the frame path throws.
 */
export const enum CodecError {
  /** Bad argument (caller bug: wrong sample count, offset out of range). */
  ARG = -1,
  /** The output buffer is too small. */
  SPACE = -2,
  /** The codec was closed. */
  CLOSED = -3,
  /** Corrupt or impossible payload (bad media). */
  PAYLOAD = -4,
}

export interface AudioDecoder {
  /** Sample rate of the PCM this decoder produces (8000 for G.711/G.729/GSM/AMR; 16000 for G.722/AMR-WB; 48000, 16000 or 8000 for Opus). */
  readonly sampleRate: number;
  /**
   * Decode one RTP payload (payload[offset .. offset+length)) into out[outOffset ..]. Returns the number
   * of samples written, or < 0 if the payload is corrupt. `out` must have room for 120 ms at sampleRate.
   */
  decode(payload: Uint8Array, offset: number, length: number, out: Int16Array, outOffset: number): number;
  /**
   * Produce `samples` of concealment for a lost frame (codec PLC; G.711 uses ITU-T G.711 Appendix I
   * pitch repetition with attenuation). Returns samples written.
   */
  conceal(out: Int16Array, outOffset: number, samples: number): number;
  /** Forget all state (SSRC change). */
  reset(): void;
  /** Release native state. Idempotent. */
  close(): void;
}

export interface AudioEncoder {
  /** Sample rate of the PCM this encoder consumes. */
  readonly sampleRate: number;
  /**
   * Encode `samples` of PCM from pcm[pcmOffset ..] into out[outOffset ..]. Returns bytes written
   * (0 = nothing to send, e.g. DTX), < 0 on error. `out` must have room for 1500 bytes.
   */
  encode(pcm: Int16Array, pcmOffset: number, samples: number, out: Uint8Array, outOffset: number): number;
  /** Release native state. Idempotent. */
  close(): void;
}
