/**
 * writeSdp(session: TransformSession): string — the one place SDP text is produced.
 *
 * Uses sdp-transform's writer (RFC 4566 line order: v o s i u e p c b t r z a, then per media m i c b a),
 * with three adjustments:
 *  - the o= line is written here, so session ids/versions beyond 2^53 survive unchanged (sdp-transform
 *    would print them through Number());
 *  - per media, a=<direction>, a=rtcp and a=ptime are written last, in that order, as rtpengine does;
 *    all other attributes keep sdp-transform's order (a=rtpmap, a=fmtp first; unknown a= lines last);
 *  - an m= line without formats gets no trailing space.
 * Output uses CRLF line endings with a trailing CRLF (RFC 4566 §5). The input object is not modified.
 */
import * as transform from 'sdp-transform';
import type { TransformSession } from './types';

export function writeSdp(input: TransformSession): string {
  return writeOwnedSdp(structuredClone(input));
}

/** writeSdp for a session the caller owns and drops afterwards (a private copy): it is modified. */
export function writeOwnedSdp(session: TransformSession): string {
  const origin = session.origin;
  delete (session as Partial<TransformSession>).origin;

  for (const m of session.media) {
    const tail: Array<{ value: string }> = [];
    if (m.direction !== undefined) tail.push({ value: m.direction });
    if (m.rtcp !== undefined) {
      const r = m.rtcp;
      tail.push({ value: r.address != null ? `rtcp:${r.port} ${r.netType ?? 'IN'} IP${r.ipVer ?? 4} ${r.address}` : `rtcp:${r.port}` });
    }
    if (m.ptime !== undefined) tail.push({ value: `ptime:${m.ptime}` });
    delete m.direction;
    delete m.rtcp;
    delete m.ptime;
    if (tail.length > 0) m.invalid = [...(m.invalid ?? []), ...tail];
  }

  const lines = transform.write(session).split('\r\n');
  lines.pop(); // the writer ends with CRLF
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('m=')) lines[i] = l.trimEnd();
  }
  if (origin !== undefined) {
    const o = `o=${origin.username} ${origin.sessionId} ${origin.sessionVersion} ${origin.netType} IP${origin.ipVer} ${origin.address}`;
    lines.splice(1, 0, o); // right after v=
  }
  return lines.join('\r\n') + '\r\n';
}

/** Decimal string + 1 for an o= session version of any size ("" counts as 0). */
export function incrementVersion(v: string | number): string {
  const s = String(v);
  let n: bigint;
  try {
    n = BigInt(s === '' ? '0' : s);
  } catch {
    n = 0n;
  }
  return (n + 1n).toString();
}
