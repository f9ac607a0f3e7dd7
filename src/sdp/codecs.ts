/**
 * Codec list operations of the ng `codec` dictionary (and `codec-<op>-<spec>` flags), as pure functions.
 * Semantics follow rtpengine's docs (README.md @ mr10.5.3.5 "codec" section; docs/ng_control_protocol.md):
 *
 *  - strip:     remove the codecs from the outgoing SDP. `all` / `full` = every codec except those in
 *               `except`/`offer`. Stripped codecs are not used towards this side either.
 *  - mask:      like strip for the outgoing SDP, but the codecs stay usable on this side (for transcoding).
 *               `all` / `full` as for strip.
 *  - except:    protects codecs from `strip all` / `mask all` (codecs not in the original list are ignored).
 *  - offer:     like except, and puts the listed codecs first, in the listed order. (It does not strip
 *               anything by itself: rtpengine documents it as "identical to except"; combine it with
 *               strip=all for "offer only these".)
 *  - transcode: make sure the codec is offered. Present and advertised: nothing to do. Removed by
 *               strip/mask `all`: restored (no transcoding). Otherwise (absent, or removed by name or by
 *               `full`): a new instance is appended if `supported(name)`, with a static PT where one is
 *               registered and free (PCMU 0, PCMA 8, G729 18, ...), else the lowest unused dynamic PT 96..127.
 *               Defaults when the spec gives no parameters: opus/48000/2, telephone-event/8000 (fmtp 0-15),
 *               others 8000/1. When something was added, unsupported codecs are dropped from the outgoing list.
 *  - telephone-event and CN survive `all` (they are removed only when named).
 *  - If nothing but telephone-event/CN would be advertised, the original list is returned unchanged
 *    (rtpengine: "it is an error to strip all codecs ... the original list of codecs will be left unchanged").
 *
 * A spec is `name[/clockRate[/channels[/bitrate[/ptime[/fmtp]]]]]` (names case-insensitive; given
 * parameters must match) or a payload type number. In the fmtp part "--" stands for "=".
 */
import { staticPtFor } from './staticPayloads';
import type { Payload } from './types';

export interface CodecOps {
  strip: string[];
  offer: string[];
  transcode: string[];
  mask: string[];
  except: string[];
}

export interface CodecOpsResult {
  /** The payload list for the SDP sent to the other side, in order. */
  advertise: Payload[];
  /** The payloads this side may send to us (its offered list minus stripped codecs; masked ones included). */
  usable: Payload[];
  /** Payloads in `advertise` that this side did not offer: whisperd must transcode to/from them. */
  transcodeAdded: Payload[];
}

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

type Keyword = 'all' | 'full' | null;
type Fate = { kind: 'keep' } | { kind: 'strip' | 'mask'; by: 'name' | 'all' | 'full' };

export function applyCodecOps(payloads: readonly Payload[], ops: CodecOps, supported: (encoding: string) => boolean): CodecOpsResult {
  const strip = specsOf(ops.strip);
  const mask = specsOf(ops.mask);
  const protect = [...specsOf(ops.except).specs, ...specsOf(ops.offer).specs];
  const offerOrder = specsOf(ops.offer).specs;

  const fates: Fate[] = payloads.map((p) => {
    const named = (list: CodecSpec[]): boolean => list.some((s) => payloadMatches(p, s));
    if (named(strip.specs)) return { kind: 'strip', by: 'name' };
    const wildcard = !isSupplementary(p) && !named(protect);
    if (wildcard && strip.keyword !== null) return { kind: 'strip', by: strip.keyword };
    if (named(mask.specs)) return { kind: 'mask', by: 'name' };
    if (wildcard && mask.keyword !== null) return { kind: 'mask', by: mask.keyword };
    return { kind: 'keep' };
  });

  const added: Payload[] = [];
  const usedPts = new Set(payloads.map((p) => p.pt));
  for (const spec of specsOf(ops.transcode).specs) {
    const matching = payloads.map((p, i) => ({ p, i })).filter(({ p }) => payloadMatches(p, spec));
    if (matching.some(({ i }) => fates[i]!.kind === 'keep')) continue;
    const restorable = matching.filter(({ i }) => {
      const f = fates[i]!;
      return f.kind !== 'keep' && f.by === 'all';
    });
    if (restorable.length > 0) {
      for (const { i } of restorable) fates[i] = { kind: 'keep' };
      continue;
    }
    if (spec.name === null || !supported(spec.name)) continue;
    if (added.some((a) => payloadMatches(a, spec))) continue;
    const p = newInstance(spec, usedPts);
    if (p !== null) {
      usedPts.add(p.pt);
      added.push(p);
    }
  }

  let advertise = [...payloads.filter((_, i) => fates[i]!.kind === 'keep'), ...added];
  if (added.length > 0) advertise = advertise.filter((p) => isSupplementary(p) || supported(p.encoding));
  advertise = preferOffered(advertise, offerOrder);
  if (!advertise.some((p) => !isSupplementary(p))) {
    return { advertise: [...payloads], usable: [...payloads], transcodeAdded: [] };
  }
  const usable = payloads.filter((_, i) => fates[i]!.kind !== 'strip');
  return { advertise, usable, transcodeAdded: added.filter((a) => advertise.includes(a)) };
}

function specsOf(list: readonly string[]): { specs: CodecSpec[]; keyword: Keyword } {
  let keyword: Keyword = null;
  const specs: CodecSpec[] = [];
  for (const raw of list) {
    const lower = raw.trim().toLowerCase();
    if (lower === 'full') keyword = 'full';
    else if (lower === 'all') keyword = keyword ?? 'all';
    else {
      const s = parseCodecSpec(raw);
      if (s !== null) specs.push(s);
    }
  }
  return { specs, keyword };
}

/** Stable reorder: payloads matching `order` first (in that order), then the rest as they were. */
function preferOffered(list: Payload[], order: CodecSpec[]): Payload[] {
  const first: Payload[] = [];
  for (const spec of order) {
    for (const p of list) if (!first.includes(p) && payloadMatches(p, spec)) first.push(p);
  }
  return [...first, ...list.filter((p) => !first.includes(p))];
}

const DEFAULTS: Record<string, { encoding: string; clockRate: number; channels: number; fmtp: string | null }> = {
  opus: { encoding: 'opus', clockRate: 48000, channels: 2, fmtp: null },
  'telephone-event': { encoding: 'telephone-event', clockRate: 8000, channels: 1, fmtp: '0-15' },
  pcmu: { encoding: 'PCMU', clockRate: 8000, channels: 1, fmtp: null },
  pcma: { encoding: 'PCMA', clockRate: 8000, channels: 1, fmtp: null },
  g729: { encoding: 'G729', clockRate: 8000, channels: 1, fmtp: null },
  g722: { encoding: 'G722', clockRate: 8000, channels: 1, fmtp: null },
  cn: { encoding: 'CN', clockRate: 8000, channels: 1, fmtp: null },
};

function newInstance(spec: CodecSpec, usedPts: ReadonlySet<number>): Payload | null {
  const name = spec.name!;
  const d = DEFAULTS[name.toLowerCase()];
  const encoding = d?.encoding ?? name;
  const clockRate = spec.clockRate ?? d?.clockRate ?? 8000;
  const channels = spec.channels ?? d?.channels ?? 1;
  const fmtp = spec.fmtp ?? d?.fmtp ?? null;
  const fixed = staticPtFor(encoding, clockRate, channels);
  let pt = fixed !== undefined && !usedPts.has(fixed) ? fixed : -1;
  for (let dyn = 96; pt < 0 && dyn <= 127; dyn++) if (!usedPts.has(dyn)) pt = dyn;
  return pt < 0 ? null : { pt, encoding, clockRate, channels, fmtp };
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
