/**
 * Codec spec helpers for the ng `codec` dictionary. The codec list operations themselves (strip, offer,
 * transcode, mask, accept, consume, ...) are rtpengine 10.5's codec store model in codecStore.ts.
 *
 * A spec is `name[/clockRate[/channels[/bitrate[/ptime[/fmtp]]]]]` (names case-insensitive; given
 * parameters must match) or a payload type number. In the fmtp part "--" stands for "=".
 */
import type { Payload } from './types';

export interface CodecSpec {
  /** Codec name as given, or null when the spec is a payload type number. */
  name: string | null;
  pt: number | null;
  clockRate: number | null;
  channels: number | null;
  fmtp: string | null;
}

const SUPPLEMENTARY = new Set(['telephone-event', 'cn']);

/** telephone-event (RFC 4733) and comfort noise (RFC 3389): carried alongside a primary codec. */
export function isSupplementary(p: Payload): boolean {
  return SUPPLEMENTARY.has(p.encoding.toLowerCase());
}

/** Parse a codec spec; null for an empty or unusable one. */
export function parseCodecSpec(spec: string): CodecSpec | null {
  const s = spec.trim();
  if (s === '') return null;
  if (isDigits(s)) {
    const pt = Number(s);
    return pt <= 127 ? { name: null, pt, clockRate: null, channels: null, fmtp: null } : null;
  }
  const parts = s.split('/');
  const name = parts[0]!;
  if (name === '') return null;
  const num = (x: string | undefined): number | null => (x !== undefined && isDigits(x) ? Number(x) : null);
  const fmtp = parts.length > 5 ? parts.slice(5).join('/').split('--').join('=') : '';
  return { name, pt: null, clockRate: num(parts[1]), channels: num(parts[2]), fmtp: fmtp === '' ? null : fmtp };
}

/** Does the payload match the spec (name case-insensitive; given clock rate/channels must be equal)? */
export function payloadMatches(p: Payload, spec: CodecSpec): boolean {
  if (spec.pt !== null) return p.pt === spec.pt;
  if (spec.name === null || p.encoding.toLowerCase() !== spec.name.toLowerCase()) return false;
  if (spec.clockRate !== null && spec.clockRate !== p.clockRate) return false;
  if (spec.channels !== null && spec.channels !== p.channels) return false;
  return true;
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
