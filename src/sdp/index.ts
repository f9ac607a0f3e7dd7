/**
 * SDP handling for whisperd (RFC 4566 / RFC 3264), built on sdp-transform.
 *
 *   parseSdp(text: unknown): ParsedSdp                          parse.ts   (throws SdpParseError only)
 *   rewriteSdp(sdp: ParsedSdp, plan: RewritePlan): string       rewrite.ts (rtpengine-style relay rewrite)
 *   createAnswerSdp(opts: AnswerOptions): string                answer.ts  (whisperd terminates the leg)
 *   applyCodecOps(payloads, ops, supported): CodecOpsResult     codecs.ts  (ng `codec` dictionary)
 *   isOnHold(media), complementDirection(d), isZeroAddress(a)   direction.ts
 *   writeSdp(session): string                                   serialize.ts (CRLF, rtpengine attribute tail)
 */
export type { Direction, MediaSummary, ParsedSdp, Payload, TransformSession } from './types';
export { DIRECTIONS } from './types';
export { parseSdp, isRtpProtocol, MAX_SDP_BYTES } from './parse';
export { rewriteSdp, type RewritePlan, type MediaRewrite } from './rewrite';
export { createAnswerSdp, type AnswerOptions, type AnswerMedia } from './answer';
export { applyCodecOps, parseCodecSpec, payloadMatches, isSupplementary, type CodecOps, type CodecOpsResult, type CodecSpec } from './codecs';
export { isOnHold, complementDirection, isZeroAddress } from './direction';
export { writeSdp, incrementVersion } from './serialize';
export { staticPayload, staticPtFor, type StaticPayload } from './staticPayloads';
