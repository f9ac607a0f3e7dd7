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

/**
 * writeSdp for a session the caller owns and drops afterwards (a private copy): it is modified.
 * `write` is sdp-transform's writer (tests pass transform.write itself to compare with the fast path).
 */
export function writeOwnedSdp(session: TransformSession, write: (s: TransformSession) => string = writeTransform): string {
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

  const lines = write(session).split('\r\n');
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

// --- sdp-transform's writer, fast path ----------------------------------------------------------
//
// transform.write walks its whole grammar (about 70 attribute rules) for the session and for every m=
// line, which is most of an offer's SDP time. writeTransform gives the same text for the shapes a
// rewritten audio offer/answer usually has (the keys below), writing them in the grammar's order with
// the grammar's formats; any other key present (not null) sends the session to transform.write.
// test/unit/sdp/serialize.test.ts compares both on every SDP the tests use.

const SIMPLE_SESSION_KEYS = new Set(['version', 'name', 'timing', 'connection', 'media']);
const SIMPLE_MEDIA_KEYS = new Set(['type', 'port', 'protocol', 'payloads', 'connection', 'rtp', 'fmtp', 'maxptime', 'rtcpMux', 'invalid']);

type Rec = Record<string, unknown>;

function simple(o: Rec, keys: Set<string>): boolean {
  for (const k in o) if (o[k] != null && !keys.has(k)) return false;
  return true;
}

/** writeTransform writes `session` itself (else it calls transform.write). */
export function hasFastPath(session: TransformSession): boolean {
  const s = session as unknown as Rec;
  const media = s['media'];
  return simple(s, SIMPLE_SESSION_KEYS) && Array.isArray(media) && media.every((m: Rec) => simple(m, SIMPLE_MEDIA_KEYS));
}

/** sdp-transform's format(): %d is Number(x), %s is String(x). */
const d = (x: unknown): string => String(Number(x));
const str = (x: unknown): string => String(x);

/** transform.write(session), also filling in its defaults (version 0, name ' ', payloads ''). */
export function writeTransform(session: TransformSession): string {
  if (!hasFastPath(session)) return transform.write(session);
  const s = session as unknown as Rec;
  const media = s['media'] as Rec[];
  if (s['version'] == null) s['version'] = 0;
  if (s['name'] == null) s['name'] = ' ';
  for (const m of media) if (m['payloads'] == null) m['payloads'] = '';
  const out: string[] = ['v=' + str(s['version']), 's=' + str(s['name'])]; // v= and s= are '%s' in the grammar
  const c = s['connection'] as Rec | undefined;
  if (c != null) out.push(`c=IN IP${d(c['version'])} ${str(c['ip'])}`);
  const t = s['timing'] as Rec | undefined;
  if (t != null) out.push(`t=${d(t['start'])} ${d(t['stop'])}`);
  for (const m of media) {
    out.push(`m=${str(m['type'])} ${d(m['port'])} ${str(m['protocol'])} ${str(m['payloads'])}`);
    const mc = m['connection'] as Rec | undefined;
    if (mc != null) out.push(`c=IN IP${d(mc['version'])} ${str(mc['ip'])}`);
    const rtp = m['rtp'] as Rec[] | undefined;
    if (rtp != null) {
      for (const r of rtp) {
        out.push(
          r['encoding']
            ? `a=rtpmap:${d(r['payload'])} ${str(r['codec'])}/${str(r['rate'])}/${str(r['encoding'])}`
            : r['rate']
              ? `a=rtpmap:${d(r['payload'])} ${str(r['codec'])}/${str(r['rate'])}`
              : `a=rtpmap:${d(r['payload'])} ${str(r['codec'])}`,
        );
      }
    }
    const fmtp = m['fmtp'] as Rec[] | undefined;
    if (fmtp != null) for (const f of fmtp) out.push(`a=fmtp:${d(f['payload'])} ${str(f['config'])}`);
    if (m['maxptime'] != null) out.push('a=maxptime:' + d(m['maxptime']));
    if (m['rtcpMux'] != null) out.push('a=' + str(m['rtcpMux']));
    const invalid = m['invalid'] as Rec[] | undefined;
    if (invalid != null) for (const a of invalid) out.push('a=' + str(a['value']));
  }
  return out.join('\r\n') + '\r\n';
}
