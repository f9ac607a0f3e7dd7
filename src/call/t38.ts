/**
 * T.38 fax gateway, signalling side (rtpengine 10.5 `T.38` flag: call.c __update_media_protocol, codec.c
 * __check_t38_gateway, t38.c t38_gateway_pair): which m= lines are translated between an audio fax
 * (G.711 over RTP) and T.38 (m=image udptl t38), what the translated SDP says, and when the media
 * gateway (src/media/t38Gateway.ts, spandsp in the addon) runs.
 *
 *   offer, `T.38: [decode]`, offerer's line m=image udptl t38 -> the recipient is offered m=audio RTP/AVP with
 *       the G.711 codecs it already uses on that line (in its order), else PCMU + PCMA ("0 8");
 *   offer, `T.38: [force]`, offerer's line audio RTP -> the recipient is offered m=image udptl t38 with
 *       whisperd's T.38 attributes (T38FaxVersion, T38MaxBitRate:14400, T38FaxRateManagement,
 *       T38FaxMaxBuffer:1800, T38FaxMaxDatagram:512, T38FaxUdpEC: t38UDPRedundancy, or t38UDPFEC with
 *       `FEC`, t38UDPNoEC when the image side asked for none);
 *   answer: the reverse translation back to the offerer — the image offerer gets m=image with whisperd's
 *       attributes, the audio offerer gets m=audio with its first G.711 codec only;
 *   a gateway once set up keeps translating later offers in the same orientation without the flag;
 *       `T.38: [stop]`, a rejected line (port 0) or a line of another kind ends it.
 *
 * Options from the flag: no-ECM, no-V17, no-V27ter, no-V29, no-V34, no-IAF, FEC; from the image side's
 * SDP (decode): T38FaxVersion, T38FaxUdpEC, T38FaxUdpECDepth, T38FaxUdpFECMaxSpan, T38FaxMaxDatagram,
 * T38FaxRateManagement. Planning happens before the command can fail and changes nothing; `commit`
 * records the link; the media gateway starts once the line is answered (`syncT38Media`, after the relay
 * wiring) and stops with the link or the call. No native gateway (addon missing or too old): an offer
 * asking for one is refused ("T.38 gateway unavailable"), so a fax is never silently broken.
 */
import { BadRequestError } from '../errors';
import type { NgParams } from '../control/ng/params';
import { loadNative } from '../native/addon';
import { isRtpProtocol } from '../sdp/parse';
import type { MediaSummary, ParsedSdp } from '../sdp/types';
import { T38Media } from '../media/t38Gateway';
import type { T38GatewayOptions } from '../../native/index';
import type { Call } from './Call';
import type { Participant } from './Participant';

/** Error text when a T.38 gateway is asked for and the addon has none (exact, stable). */
export const T38_UNAVAILABLE = 'T.38 gateway unavailable (native addon missing)';

interface T38Opts extends T38GatewayOptions {
  version: number;
  ecEntries: number;
  fecSpan: number;
  maxDatagram: number;
  localTcf: boolean;
}

interface Link {
  index: number;
  imageSide: Participant;
  audioSide: Participant;
  opts: T38Opts;
  /** Set by the answer: the audio side's G.711 payload type, and the law. */
  audioPt: number | null;
  alaw: boolean;
  media: T38Media | null;
}

const LINKS = new WeakMap<Call, Map<number, Link>>();

function linksOf(call: Call): Map<number, Link> {
  let m = LINKS.get(call);
  if (!m) {
    const created = new Map<number, Link>();
    LINKS.set(call, created);
    call.on('close', () => {
      for (const l of created.values()) l.media?.close();
      created.clear();
    });
    m = created;
  }
  return m;
}

/** The live gateways of a call (tests, query). */
export function t38Links(call: Call): ReadonlyArray<Readonly<Link>> {
  return [...(LINKS.get(call)?.values() ?? [])];
}

type Kind = 'to-audio' | 'to-image';

interface Step {
  index: number;
  kind: Kind;
  /** to-audio: the payloads written ([pt, name]). */
  payloads: Array<[number, string]>;
  link: Link;
}

export interface T38Plan {
  /** True when m= line `i` is translated (its codec negotiation is skipped). */
  covers(i: number): boolean;
  /** The reply SDP with the translated m= sections. */
  render(sdp: string): string;
  /** Record the decision (after the command can no longer fail). */
  commit(): void;
}

const NONE: T38Plan = { covers: () => false, render: (s) => s, commit: () => undefined };

function isImageT38(m: MediaSummary): boolean {
  return m.type === 'image' && m.protocol.toLowerCase() === 'udptl' && m.formats.some((f) => f.toLowerCase() === 't38');
}
function isAudioRtp(m: MediaSummary): boolean {
  return m.type === 'audio' && isRtpProtocol(m.protocol);
}

/** The G.711 payloads of a list, in its order. */
function g711Of(list: ReadonlyArray<{ pt: number; encoding: string; clockRate: number }>): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const p of list) {
    const enc = p.encoding.toUpperCase();
    if ((enc === 'PCMU' || enc === 'PCMA') && (p.clockRate === 8000 || p.clockRate === 0)) out.push([p.pt, enc]);
  }
  return out;
}

/** The lines of m= section `index` of an SDP text (without the m= line's predecessors). */
function sectionAttrs(text: string, index: number): string[] {
  const lines = text.split(/\r?\n/);
  let k = -1;
  const out: string[] = [];
  for (const l of lines) {
    if (l.startsWith('m=')) k++;
    else if (k === index) out.push(l);
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** rtpengine sdp.c __sdp_t38: the image side's T38Fax* attributes as gateway options. */
function optsFromSdp(sdp: ParsedSdp, index: number, flags: ReadonlySet<string>): T38Opts {
  const o: T38Opts = { ...optsFromFlags(flags), ecEntries: 3, fecSpan: 1 };
  for (const l of sectionAttrs(sdp.text, index)) {
    const m = /^a=(T38[A-Za-z]+):?\s*(.*)$/i.exec(l.trim());
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    const n = Number.parseInt(value, 10);
    switch (name) {
      case 't38faxversion':
        if (Number.isFinite(n)) o.version = clamp(n, 0, 3);
        break;
      case 't38faxudpec':
        if (/^t38UDPFEC$/i.test(value)) (o.ecEntries = 3), (o.fecSpan = 3);
        else if (/^t38UDPRedundancy$/i.test(value)) (o.ecEntries = 3), (o.fecSpan = 1);
        else o.ecEntries = 0;
        break;
      case 't38faxudpecdepth': {
        const [, max] = value.split(/\s+/).map((x) => Number.parseInt(x, 10));
        if (max !== undefined && Number.isFinite(max)) o.ecEntries = clamp(max, 0, 15);
        break;
      }
      case 't38faxudpfecmaxspan':
        if (Number.isFinite(n)) o.fecSpan = clamp(n, 1, 15);
        break;
      case 't38faxmaxdatagram':
        if (Number.isFinite(n) && n > 0) o.maxDatagram = clamp(n, 16, 16383);
        break;
      case 't38faxratemanagement':
        o.localTcf = /^localT[CF][FC]$/i.test(value);
        break;
    }
  }
  return o;
}

/** rtpengine codec.c __check_t38_gateway without stream parameters: options from the flag. */
function optsFromFlags(flags: ReadonlySet<string>): T38Opts {
  return {
    version: 0,
    ecEntries: 3,
    fecSpan: flags.has('fec') ? 3 : 1,
    maxDatagram: 512,
    localTcf: false,
    noEcm: flags.has('no-ecm'),
    noV17: flags.has('no-v17'),
    noV27ter: flags.has('no-v27ter'),
    noV29: flags.has('no-v29'),
    noV34: flags.has('no-v34'),
    noIaf: flags.has('no-iaf'),
  };
}

/** The m=image attributes whisperd writes (rtpengine t38.c t38_gateway_pair). */
function imageAttrs(o: T38Opts): string[] {
  const ec = o.ecEntries === 0 ? 't38UDPNoEC' : o.fecSpan > 1 ? 't38UDPFEC' : 't38UDPRedundancy';
  return [
    `a=T38FaxVersion:${o.version}`,
    'a=T38MaxBitRate:14400',
    `a=T38FaxRateManagement:${o.localTcf ? 'localTCF' : 'transferredTCF'}`,
    'a=T38FaxMaxBuffer:1800',
    'a=T38FaxMaxDatagram:512',
    `a=T38FaxUdpEC:${ec}`,
  ];
}

const DIRECTIONS = new Set(['a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=inactive']);
/** Attributes of the other kind of line that do not carry over. */
const DROPPED = /^a=(rtpmap|fmtp|ptime|maxptime|rtcp|rtcp-mux|rtcp-fb|ssrc|ssrc-group|T38[A-Za-z]*)(:|$)/i;

/** Rewrite m= section `index` of `text` (whisperd's reply) as the translated kind. */
function translateSection(text: string, step: Step): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const trailing = lines.length > 0 && lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  const out: string[] = [];
  let k = -1;
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (!l.startsWith('m=')) {
      out.push(l);
      i++;
      continue;
    }
    k++;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('m=')) end++;
    if (k !== step.index) {
      for (let j = i; j < end; j++) out.push(lines[j]!);
      i = end;
      continue;
    }
    const port = Number.parseInt(l.split(' ')[1] ?? '0', 10) || 0;
    let direction = 'a=sendrecv';
    const kept: string[] = [];
    for (let j = i + 1; j < end; j++) {
      const a = lines[j]!;
      if (DIRECTIONS.has(a)) direction = a;
      else if (!DROPPED.test(a)) kept.push(a);
    }
    if (step.kind === 'to-audio') {
      out.push(`m=audio ${port} RTP/AVP ${step.payloads.map(([pt]) => pt).join(' ')}`);
      out.push(...kept);
      for (const [pt, name] of step.payloads) out.push(`a=rtpmap:${pt} ${name}/8000`);
      out.push(direction);
      out.push(`a=rtcp:${port + 1}`);
    } else {
      out.push(`m=image ${port} udptl t38`);
      out.push(...kept);
      out.push(...imageAttrs(step.link.opts));
      out.push(direction);
    }
    i = end;
  }
  return out.join(eol) + (trailing ? eol : '');
}

function planFrom(steps: Step[], commit: () => void): T38Plan {
  if (steps.length === 0) return { ...NONE, commit };
  return {
    covers: (i) => steps.some((s) => s.index === i),
    render: (sdp) => steps.reduce((text, s) => translateSection(text, s), sdp),
    commit,
  };
}

function requireGateway(): void {
  if (!T38Media.available(loadNative())) throw new BadRequestError(T38_UNAVAILABLE);
}

/** Offer from `from` to `to`: which lines the recipient gets translated. */
export function planT38Offer(call: Call, from: Participant, to: Participant, sdp: ParsedSdp, params: NgParams): T38Plan {
  const flags = params.t38 ?? new Set<string>();
  const existing = LINKS.get(call);
  if (flags.size === 0 && (!existing || existing.size === 0)) return NONE;
  const steps: Step[] = [];
  const ended: number[] = [];
  sdp.medias.forEach((m, i) => {
    const old = existing?.get(i);
    let step: Step | null = null;
    if (m.port !== 0 && !flags.has('stop')) {
      if (isImageT38(m) && (flags.has('decode') || (old && old.imageSide === from && old.audioSide === to))) {
        const same = old && old.imageSide === from && old.audioSide === to;
        const link: Link = same ? old : { index: i, imageSide: from, audioSide: to, opts: optsFromSdp(sdp, i, flags), audioPt: null, alaw: true, media: null };
        const own = g711Of(to.legs[i]?.payloads ?? []);
        step = { index: i, kind: 'to-audio', payloads: own.length > 0 ? own : [[0, 'PCMU'], [8, 'PCMA']], link };
      } else if (isAudioRtp(m) && (flags.has('force') || (old && old.audioSide === from && old.imageSide === to))) {
        const same = old && old.audioSide === from && old.imageSide === to;
        const link: Link = same ? old : { index: i, imageSide: to, audioSide: from, opts: optsFromFlags(flags), audioPt: null, alaw: true, media: null };
        step = { index: i, kind: 'to-image', payloads: [], link };
      }
    }
    if (step) steps.push(step);
    if (old && (!step || step.link !== old)) ended.push(i);
  });
  if (steps.length > 0) requireGateway();
  return planFrom(steps, () => {
    const links = linksOf(call);
    for (const i of ended) {
      links.get(i)?.media?.close();
      links.delete(i);
    }
    for (const s of steps) links.set(s.index, s.link);
  });
}

/** Answer from `answerer` to the offerer `offerer`: the lines translated back. */
export function planT38Answer(call: Call, offerer: Participant, answerer: Participant, sdp: ParsedSdp): T38Plan {
  const links = LINKS.get(call);
  if (!links || links.size === 0) return NONE;
  const steps: Step[] = [];
  const ended: number[] = [];
  const pts = new Map<number, { pt: number; alaw: boolean }>();
  sdp.medias.forEach((m, i) => {
    const link = links.get(i);
    if (!link) return;
    if (m.port === 0) {
      ended.push(i);
      return;
    }
    if (link.imageSide === offerer && link.audioSide === answerer && isAudioRtp(m)) {
      const g = g711Of(m.payloads)[0];
      if (!g) {
        ended.push(i);
        return;
      }
      pts.set(i, { pt: g[0], alaw: g[1] === 'PCMA' });
      steps.push({ index: i, kind: 'to-image', payloads: [], link });
    } else if (link.audioSide === offerer && link.imageSide === answerer && isImageT38(m)) {
      const g = g711Of(offerer.legs[i]?.payloads ?? [])[0] ?? [0, 'PCMU'];
      pts.set(i, { pt: g[0], alaw: g[1] === 'PCMA' });
      steps.push({ index: i, kind: 'to-audio', payloads: [g], link });
    } else {
      ended.push(i);
    }
  });
  const peerDatagram = new Map<number, number>();
  for (const s of steps) {
    if (s.kind !== 'to-audio') continue;
    // The image side answered: our datagrams stay below its T38FaxMaxDatagram.
    const o = optsFromSdp(sdp, s.index, new Set());
    peerDatagram.set(s.index, o.maxDatagram);
  }
  return planFrom(steps, () => {
    for (const i of ended) {
      links.get(i)?.media?.close();
      links.delete(i);
    }
    for (const s of steps) {
      const p = pts.get(s.index)!;
      s.link.audioPt = p.pt;
      s.link.alaw = p.alaw;
      const d = peerDatagram.get(s.index);
      if (d !== undefined) s.link.opts = { ...s.link.opts, maxDatagram: d };
    }
  });
}

/**
 * After the relay wiring of an offer/answer: every answered link's gateway runs on the legs' current
 * endpoints (created, re-attached, or recreated when an endpoint changed); the legs it joins are not
 * mixed (their codec decision is cleared). Never throws (a gateway that cannot start is logged by the caller).
 */
export function syncT38Media(call: Call): void {
  const links = LINKS.get(call);
  if (!links) return;
  const native = loadNative();
  for (const link of links.values()) {
    if (link.audioPt === null) continue;
    const imageLeg = link.imageSide.legs[link.index];
    const audioLeg = link.audioSide.legs[link.index];
    const image = imageLeg?.endpoint ?? null;
    const audio = audioLeg?.endpoint ?? null;
    if (!image || !audio || !T38Media.available(native)) {
      link.media?.close();
      link.media = null;
      continue;
    }
    imageLeg!.codec = null;
    audioLeg!.codec = null;
    if (link.media && (link.media.image !== image || link.media.audio !== audio)) {
      link.media.close();
      link.media = null;
    }
    try {
      if (!link.media) link.media = new T38Media(native, image, audio, link.audioPt, { ...link.opts, alaw: link.alaw });
      else link.media.setAudioPt(link.audioPt, link.alaw);
      link.media.attach();
    } catch {
      // Options are clamped at planning, so the addon does not refuse them; should it, the line is
      // left relayed rather than failing a command that has already committed.
      link.media?.close();
      link.media = null;
    }
  }
}
