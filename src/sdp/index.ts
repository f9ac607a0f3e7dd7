/**
 * SDP handling for whisperd (RFC 4566 / RFC 3264), built on sdp-transform.
 *
 *   parseSdp(text: unknown): ParsedSdp                          parse.ts   (throws SdpParseError only)
 *   rewriteSdp(sdp: ParsedSdp, plan: RewritePlan): string       rewrite.ts (rtpengine-style relay rewrite)
 *   createAnswerSdp(opts: AnswerOptions): string                answer.ts  (whisperd terminates the leg)
 *   CodecStore, updateHandlers, answerStore                       codecStore.ts (ng `codec` dictionary, rtpengine's model)
 *   isOnHold(media), complementDirection(d), isZeroAddress(a)   direction.ts
 *   writeSdp(session): string                                   serialize.ts (CRLF, rtpengine attribute tail)
 */
export type { Direction, MediaSummary, ParsedSdp, Payload, TransformSession } from './types';
export { DIRECTIONS } from './types';
export { parseSdp, isRtpProtocol, MAX_SDP_BYTES } from './parse';
export { rewriteSdp, type RewritePlan, type MediaRewrite } from './rewrite';
export { createAnswerSdp, type AnswerOptions, type AnswerMedia } from './answer';
export { parseCodecSpec, payloadMatches, isSupplementary, type CodecSpec } from './codecs';
export { CodecStore, updateHandlers, answerStore, RTPENGINE_TABLE, codecTable, type CodecInfo, type CodecTable, type Handler, type HandlerSet, type StorePT } from './codecStore';
export { isOnHold, complementDirection, isZeroAddress } from './direction';
export { writeSdp, incrementVersion } from './serialize';
export { staticPayload, staticPtFor, type StaticPayload } from './staticPayloads';
