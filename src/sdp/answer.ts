/**
 * createAnswerSdp(opts: AnswerOptions): string
 *
 * whisperd answering an offer itself (RFC 3264 §6), e.g. the supervisor phone's leg. Output:
 *   v=0
 *   o=whisperd <sessionId> <sessionVersion, default 1> IN IP4 <address>
 *   s=whisperd
 *   c=IN IP4 <address>
 *   t=0 0
 * then one m= line per offered m= line, same order and protocol (RFC 3264 §6):
 *  - rejected (null): m=<type> 0 <protocol> <offer's first fmt>, nothing else;
 *  - accepted: m=<type> <port> <protocol> <PTs>, a=rtpmap for every payload (static ones too), a=fmtp
 *    where fmtp != null, a=rtcp-mux when the offer has it (unless rtcpMux: false), the direction
 *    (override, else the complement of the offer's: sendonly→recvonly, recvonly→sendonly), a=rtcp:<rtcpPort>
 *    unless rtcp-mux, a=ptime from the offer if it has one.
 * The caller picks the payloads (a subset of the offer's, same PT numbers) and refuses what whisperd cannot
 * terminate (e.g. SRTP profiles) by passing null.
 * Throws RangeError on a caller bug: media count mismatch, bad port, empty payload list, non-IP address.
 */
import { isIP } from 'node:net';
import { complementDirection } from './direction';
import { setPayloads, type TransformMedia } from './mediaAttributes';
import { writeSdp } from './serialize';
import type { Direction, ParsedSdp, Payload, TransformSession } from './types';

export interface AnswerMedia {
  /** whisperd's RTP port (1..65535). */
  port: number;
  /** whisperd's RTCP port (written as a=rtcp unless rtcp-mux). */
  rtcpPort: number;
  /** Payloads to answer with, in preference order. */
  payloads: Payload[];
  /** Direction override; default the complement of the offer's. */
  direction?: Direction;
  /** Accept the offer's rtcp-mux (default true when offered); false refuses it. */
  rtcpMux?: boolean;
  /** (S) m= protocol to answer with (default the offer's). */
  protocol?: string;
  /** (S) a= values appended to this m= section (keying and ICE, src/call/legSecurity.ts). */
  lines?: string[];
}

export interface AnswerOptions {
  offer: ParsedSdp;
  /** whisperd's advertised media address (IPv4, or IPv6). */
  address: string;
  /** o= sess-id (decimal digits). */
  sessionId: number | string;
  /** o= sess-version; default 1. */
  sessionVersion?: number | string;
  /** One entry per offered m= line; null rejects it. */
  medias: Array<AnswerMedia | null>;
  /** (S) a= values written after the session part (a=ice-lite, a=group:BUNDLE). */
  sessionLines?: string[];
}

export function createAnswerSdp(opts: AnswerOptions): string {
  const ipVer = isIP(opts.address);
  if (ipVer === 0) throw new RangeError(`createAnswerSdp: address ${opts.address} is not an IP literal`);
  const offered = opts.offer.medias;
  if (opts.medias.length !== offered.length) {
    throw new RangeError(`createAnswerSdp: ${opts.medias.length} answers for ${offered.length} offered medias`);
  }
  const media: TransformMedia[] = offered.map((o, i) => {
    const a = opts.medias[i];
    if (a === null || a === undefined) {
      return { type: o.type, port: 0, protocol: o.protocol, payloads: o.formats[0] ?? '', rtp: [], fmtp: [] };
    }
    if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) throw new RangeError(`createAnswerSdp: media ${i} port ${a.port}`);
    if (a.payloads.length === 0) throw new RangeError(`createAnswerSdp: media ${i} has no payloads`);
    const m: TransformMedia = { type: o.type, port: a.port, protocol: a.protocol ?? o.protocol, rtp: [], fmtp: [] };
    setPayloads(m, a.payloads);
    m.direction = a.direction ?? complementDirection(o.direction);
    if (o.rtcpMux && a.rtcpMux !== false) {
      m.rtcpMux = 'rtcp-mux';
    } else {
      if (!Number.isInteger(a.rtcpPort) || a.rtcpPort < 1 || a.rtcpPort > 65535) {
        throw new RangeError(`createAnswerSdp: media ${i} rtcpPort ${a.rtcpPort}`);
      }
      m.rtcp = { port: a.rtcpPort };
    }
    if (o.ptime !== null) m.ptime = o.ptime;
    return m;
  });

  const session: TransformSession = {
    version: 0,
    origin: {
      username: 'whisperd',
      sessionId: opts.sessionId,
      sessionVersion: (opts.sessionVersion ?? 1) as number,
      netType: 'IN',
      ipVer,
      address: opts.address,
    },
    name: 'whisperd',
    connection: { version: ipVer, ip: opts.address },
    timing: { start: 0, stop: 0 },
    media,
  };
  const text = writeSdp(session);
  if (!opts.sessionLines?.length && !opts.medias.some((x) => x?.lines?.length)) return text;
  return withLines(text, opts.sessionLines ?? [], opts.medias.map((x) => x?.lines ?? []));
}

/** Insert a= lines at the end of the session part and of each m= section (CRLF text). */
function withLines(text: string, session: string[], medias: string[][]): string {
  const lines = text.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  let media = -1;
  const flush = (): void => {
    for (const v of media < 0 ? session : (medias[media] ?? [])) out.push('a=' + v);
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      flush();
      media++;
    }
    out.push(line);
  }
  flush();
  return out.join('\r\n') + '\r\n';
}
