/**
 * rtpengine 10.5's codec negotiation model (daemon/codec.c "codec_store_*", "codec_tracker_update",
 * "codec_handlers_update"; call.c "codecs_offer_answer"), as pure data: facts carried over, code written
 * for whisperd. Everything here runs at signalling time, never per packet.
 *
 * A CodecStore is the ordered payload-type list of one side of one m= line (rtpengine's call_media
 * codecs): what that side is offered/answered, with per-codec marks
 *  - forTranscoding: added or accepted by whisperd (the side may use it; whisperd converts);
 *  - accepted:       `codec-accept`/`codec-consume`: the preferred codec to transcode into for this side.
 * and a tracker of the clock rates touched by codec operations (supplemental codecs, i.e. telephone-event
 * and CN, are added or removed per clock rate only where something was touched).
 *
 * Handlers (one per payload type a side sends) say, for a receiving side and a sink side, whether a
 * payload passes through unchanged or is transcoded into a sink payload type, with the sink's DTMF and
 * CN payload types. `transcoding` is true when any handler transcodes; then the receiver's codecs
 * whisperd knows nothing about are removed from its list (rtpengine: "Stripping unsupported codec due to
 * active transcoding").
 *
 * Which codecs are "known" (rtpengine: a codec_def with both encoder and decoder) is a parameter
 * (`CodecTable`): see KNOWN_CODECS for rtpengine 10.5's set on Debian bookworm (the suite's environment).
 */
import { staticPayload } from './staticPayloads';
import type { Payload } from './types';

/** What rtpengine's codec_def says about a codec (only the fields negotiation reads). */
export interface CodecInfo {
  name: string;
  clockRate: number;
  channels: number;
  /** Default a=fmtp for a codec whisperd adds, or null. */
  fmtp: string | null;
  /** telephone-event and CN: carried next to a media codec, per clock rate. */
  supplemental: boolean;
  /** Format parameters do not make two payloads of this codec different (opus, telephone-event, CN). */
  ignoreFormat: boolean;
  /** `transcode` may add it as a new payload type (false: whisperd knows it but cannot run it). Default true. */
  addable?: boolean;
  /** Default packetisation, ms (20 unless given). */
  ptime?: number;
}

export type CodecTable = (encoding: string) => CodecInfo | null;

const info = (name: string, clockRate: number, channels: number, fmtp: string | null = null, supplemental = false, ignoreFormat = false, ptime = 20): CodecInfo => ({
  name,
  clockRate,
  channels,
  fmtp,
  supplemental,
  ignoreFormat,
  ptime,
});

/**
 * rtpengine 10.5.3.5 on Debian bookworm (libavcodec 59 + bcg729): the codecs it can both decode and encode.
 * Measured with that daemon: `transcode` adds exactly these (QCELP, iLBC, vorbis, AMR, AMR-WB, EVS, L16,
 * MP3, ... are refused with "not supported").
 */
const RTPENGINE_CODECS: readonly CodecInfo[] = [
  info('PCMA', 8000, 1),
  info('PCMU', 8000, 1),
  info('G723', 8000, 1, null, false, false, 30),
  info('G722', 8000, 1),
  info('G729', 8000, 1, 'annexb=no'),
  info('G729a', 8000, 1),
  info('speex', 16000, 1),
  info('GSM', 8000, 1),
  info('opus', 48000, 2, null, false, true),
  info('telephone-event', 8000, 1, '0-15', true, true),
  info('CN', 8000, 1, null, true, true),
];

/** Codecs whisperd decodes and encodes beyond rtpengine's set (rtpengine's defaults for them). */
const WHISPERD_EXTRA: readonly CodecInfo[] = [
  info('AMR', 8000, 1, 'octet-align=1;mode-change-capability=2'),
  info('AMR-WB', 16000, 1, 'octet-align=1;mode-change-capability=2'),
  info('iLBC', 8000, 1, 'mode=30', false, false, 30),
];

function tableOf(list: readonly CodecInfo[]): CodecTable {
  const m = new Map(list.map((c) => [c.name.toLowerCase(), c]));
  return (encoding) => m.get(encoding.toLowerCase()) ?? null;
}

/** rtpengine's set only (what the rtpengine suite expects). */
export const RTPENGINE_TABLE: CodecTable = tableOf(RTPENGINE_CODECS);

/**
 * whisperd's table: rtpengine's set plus whisperd's own extra codecs when `runs(name)` says whisperd can
 * decode and encode them. A codec of rtpengine's set that whisperd cannot run is known (negotiation treats
 * it as rtpengine does) but never added by `transcode`: whisperd does not offer what it cannot transcode.
 */
export function codecTable(runs: (name: string) => boolean): CodecTable {
  const base = tableOf(RTPENGINE_CODECS.map((c) => ({ ...c, addable: c.supplemental || runs(c.name) })));
  const more = tableOf(WHISPERD_EXTRA.filter((c) => runs(c.name)));
  return (encoding) => base(encoding) ?? more(encoding);
}

/** One payload type in a store (rtpengine's rtp_payload_type). */
export interface StorePT extends Payload {
  forTranscoding: boolean;
  accepted: boolean;
  /** Insertion counter: rtpengine's per-name lists are in insertion order. */
  seq: number;
}

export function withParams(p: Payload): string {
  return p.channels > 1 ? `${p.encoding}/${p.clockRate}/${p.channels}` : `${p.encoding}/${p.clockRate}`;
}

function fullParams(p: Payload): string {
  return `${p.encoding}/${p.clockRate}/${p.channels}`;
}

/** rtpengine rtp_payload_type_cmp_nf: number, clock, channels, name (case-insensitive) differ. */
function differNf(a: Payload, b: Payload): boolean {
  return a.pt !== b.pt || a.clockRate !== b.clockRate || a.channels !== b.channels || a.encoding.toLowerCase() !== b.encoding.toLowerCase();
}

export class CodecStore {
  prefs: StorePT[] = [];
  stripAll = false;
  stripFull = false;
  touched = new Set<number>();
  allTouched = false;
  /** The first supplemental codec added (rtpengine supp_link): ordered adds go before it. */
  private suppLink: StorePT | null = null;
  private counter = 0;

  constructor(readonly table: CodecTable) {}

  static fromPayloads(payloads: readonly Payload[], table: CodecTable): CodecStore {
    const s = new CodecStore(table);
    for (const p of payloads) s.addRaw(fromPayload(p));
    return s;
  }

  clone(): CodecStore {
    const c = new CodecStore(this.table);
    const map = new Map<StorePT, StorePT>();
    for (const p of this.prefs) {
      const q = { ...p };
      map.set(p, q);
      c.prefs.push(q);
    }
    c.stripAll = this.stripAll;
    c.stripFull = this.stripFull;
    c.touched = new Set(this.touched);
    c.allTouched = this.allTouched;
    c.suppLink = this.suppLink ? (map.get(this.suppLink) ?? null) : null;
    c.counter = this.counter;
    return c;
  }

  payloads(): Payload[] {
    return this.prefs.map(({ pt, encoding, clockRate, channels, fmtp }) => ({ pt, encoding, clockRate, channels, fmtp }));
  }

  def(p: Payload): CodecInfo | null {
    return p.encoding === '' ? null : this.table(p.encoding);
  }

  isSupp(p: Payload): boolean {
    return this.def(p)?.supplemental === true;
  }

  byPt(pt: number): StorePT | undefined {
    return this.prefs.find((p) => p.pt === pt);
  }

  /** rtpengine codec_names lookup: by name, name/rate[/ch] or name/rate/ch, case-insensitive, insertion order. */
  byName(name: string): StorePT[] {
    const n = name.toLowerCase();
    return this.prefs
      .filter((p) => p.encoding.toLowerCase() === n || withParams(p).toLowerCase() === n || fullParams(p).toLowerCase() === n)
      .sort((a, b) => a.seq - b.seq);
  }

  touch(p: Payload): void {
    if (this.isSupp(p)) this.allTouched = true;
    else this.touched.add(p.clockRate);
  }

  isTouched(p: Payload): boolean {
    return this.allTouched || this.touched.has(p.clockRate);
  }

  /**
   * Insert a copy before `before` (null: at the end). A payload type number already in the list is not
   * added again (rtpengine's list could then carry one number twice, e.g. CN/8000 13 added by the tracker
   * next to a transcoded CN 13: an m= line must not list a format twice).
   */
  private insert(p: StorePT, before: StorePT | null): void {
    if (this.byPt(p.pt)) return;
    const q: StorePT = { ...p, seq: this.counter++ };
    const i = before ? this.prefs.indexOf(before) : -1;
    if (i < 0) this.prefs.push(q);
    else this.prefs.splice(i, 0, q);
    if (!this.suppLink && this.isSupp(q)) this.suppLink = q;
  }

  addRaw(p: StorePT): void {
    this.insert(p, null);
  }

  /** Append, but before the supplemental codecs (rtpengine codec_store_add_*_order). */
  addOrder(p: StorePT): void {
    this.insert(p, this.suppLink);
  }

  delete(p: StorePT): void {
    const i = this.prefs.indexOf(p);
    if (i < 0) return;
    if (this.suppLink === p) this.suppLink = this.prefs[i + 1] ?? null;
    this.prefs.splice(i, 1);
  }

  private reset(): void {
    this.prefs = [];
    this.stripAll = false;
    this.stripFull = false;
    this.touched = new Set();
    this.allTouched = false;
    this.suppLink = null;
  }

  /**
   * Start fresh from `src` (rtpengine codec_store_populate): payloads already here keep their marks;
   * `answerOnly`: payloads not already here are not added (a stray answer codec).
   */
  populate(src: CodecStore, answerOnly: boolean): void {
    const orig = new Map(this.prefs.map((p) => [p.pt, p]));
    this.reset();
    for (const p of src.prefs) {
      const o = orig.get(p.pt);
      if (answerOnly && !o) continue;
      const q: StorePT = { ...p, forTranscoding: o ? o.forTranscoding : p.forTranscoding, accepted: o ? o.accepted : p.accepted };
      if (o && q.forTranscoding) this.touch(q);
      this.addRaw(q);
    }
  }

  /** `reuse codecs` (rtpengine codec_store_populate_reuse): keep this list and its order; add new ones at the end, drop those gone. */
  populateReuse(src: CodecStore, answerOnly: boolean): void {
    for (const p of src.prefs) {
      if (this.byPt(p.pt)) continue;
      if (!answerOnly) this.addRaw(p);
    }
    for (const p of [...this.prefs]) if (!src.byPt(p.pt)) this.delete(p);
  }

  /** Restore the original list when everything was stripped (rtpengine codec_store_check_empty). */
  checkEmpty(src: CodecStore): void {
    if (this.prefs.length === 0) this.populate(src, false);
  }

  strip(list: readonly string[], except: readonly string[]): void {
    const ex = new Set(except.map((e) => e.toLowerCase()));
    for (const codec of list) {
      if (codec === 'all' || codec === 'full') {
        if (codec === 'all') this.stripAll = true;
        else this.stripFull = true;
        for (const p of [...this.prefs]) {
          if (ex.has(p.encoding.toLowerCase()) || ex.has(withParams(p).toLowerCase()) || ex.has(fullParams(p).toLowerCase())) continue;
          this.touch(p);
          this.delete(p);
        }
        continue;
      }
      for (const p of this.byName(codec)) {
        this.touch(p);
        this.delete(p);
      }
    }
  }

  /** Re-add stripped codecs named in `list` from `orig` (rtpengine codec_store_offer). */
  offer(list: readonly string[], orig: CodecStore): void {
    for (const codec of list) {
      if (this.byName(codec).length > 0) continue;
      this.readd(orig.byName(codec));
    }
  }

  private readd(origList: readonly StorePT[]): void {
    for (const o of origList) {
      if (this.byPt(o.pt)) continue;
      this.touch(o);
      this.addOrder(o);
    }
  }

  /** Make sure each codec is offered, adding new payload types for transcoding (rtpengine codec_store_transcode). */
  transcode(list: readonly string[], orig: CodecStore, warn: (msg: string) => void): void {
    for (const codec of list) {
      if (this.byName(codec).length > 0) continue;
      const origList = orig.byName(codec);
      if (origList.length === 0 || this.stripFull) {
        const p = this.newPayloadType(codec, orig, warn);
        if (!p) continue;
        p.forTranscoding = true;
        this.touch(p);
        this.addOrder(p);
        continue;
      }
      this.readd(origList);
    }
  }

  /** Mark codecs as accepted for transcoding (rtpengine codec_store_accept); `orig` re-adds stripped ones (consume). */
  accept(list: readonly string[], orig: CodecStore | null): void {
    for (const codec of list) {
      let pts: StorePT[];
      if (codec === 'all' || codec === 'full') pts = [...this.prefs];
      else pts = this.byName(codec);
      if (pts.length === 0) {
        const o = orig ? orig.byName(codec) : [];
        if (o.length === 0) continue;
        this.readd(o);
        pts = this.byName(codec);
      }
      for (const p of pts) {
        if (!this.prefs.includes(p)) continue;
        p.forTranscoding = true;
        p.accepted = true;
        this.touch(p);
      }
    }
  }

  /** `mask`: only mark the clock rates as touched (rtpengine codec_store_track). */
  track(list: readonly string[]): void {
    for (const codec of list) {
      if (codec === 'all' || codec === 'full') {
        this.allTouched = true;
        continue;
      }
      for (const p of this.byName(codec)) this.touch(p);
    }
  }

  /**
   * A new payload type for `spec` (`name[/rate[/channels[/bitrate[/ptime[/fmtp]]]]]`, "--" meaning "=")
   * that whisperd knows, numbered as rtpengine does (its RFC 3551 number when free, else 96 upwards,
   * skipping numbers used here or in `extra`). null when unknown (warned) or out of numbers.
   */
  newPayloadType(spec: string, extra: CodecStore | null, warn: (msg: string) => void): StorePT | null {
    const parts = spec.split('/');
    const name = parts[0] ?? '';
    if (name === '') return null;
    const def = this.table(name);
    if (!def || def.addable === false) {
      warn(`Codec '${spec}' requested for transcoding is not supported`);
      return null;
    }
    const num = (s: string | undefined): number => (s !== undefined && /^\d{1,9}$/.test(s) ? Number(s) : 0);
    let clockRate = num(parts[1]);
    let channels = num(parts[2]);
    if (clockRate && !channels) channels = 1;
    if (!clockRate) clockRate = def.clockRate;
    if (!channels) channels = def.channels;
    if (def.name === 'opus') clockRate = 48000;
    const fmtpGiven = parts[5];
    const fmtp = fmtpGiven !== undefined && fmtpGiven !== '' ? fmtpGiven : def.fmtp;
    let rfc = -1;
    for (let n = 0; n < 35; n++) {
      const s = staticPayload(n);
      if (s && s.encoding.toLowerCase() === def.name.toLowerCase() && s.clockRate === clockRate && s.channels === channels) {
        rfc = n;
        break;
      }
    }
    const p: StorePT = { pt: rfc, encoding: name, clockRate, channels, fmtp, forTranscoding: false, accepted: false, seq: 0 };
    let n = rfc >= 0 ? rfc : 96;
    for (;;) {
      const match = this.byPt(n) ?? extra?.byPt(n);
      if (!match) break;
      if (!differNf(p, match)) break;
      n++;
      if (n < 96) n = 96;
      else if (n >= 128) {
        warn(`Ran out of RTP payload type numbers while adding codec '${withParams(p)}' for transcoding`);
        return null;
      }
    }
    p.pt = n;
    return p;
  }

  /** telephone-event / CN per clock rate after codec operations (rtpengine codec_tracker_update). */
  trackerUpdate(): void {
    const clockCount = new Map<number, number>();
    const suppCodecs = new Map<string, { name: string; byRate: Map<number, StorePT[]> }>();
    for (const p of this.prefs) {
      const def = this.def(p);
      if (!def || !def.supplemental) clockCount.set(p.clockRate, (clockCount.get(p.clockRate) ?? 0) + 1);
      else {
        const key = p.encoding.toLowerCase();
        let e = suppCodecs.get(key);
        if (!e) suppCodecs.set(key, (e = { name: p.encoding, byRate: new Map() }));
        const list = e.byRate.get(p.clockRate) ?? [];
        list.push(p);
        e.byRate.set(p.clockRate, list);
      }
    }
    const rates = [...clockCount.keys()].sort((a, b) => a - b);
    // rtpengine walks its supplemental codecs in GLib hash order, which for its two is CN before
    // telephone-event: observed in the order CN/8000 and telephone-event/16000 are added (rtpengine 10.5.3.5).
    const order = [...suppCodecs.entries()].sort(([x], [y]) => (x === 'cn' ? 0 : 1) - (y === 'cn' ? 0 : 1)).map(([, v]) => v);
    for (const { name, byRate } of order) {
      for (const rate of rates) {
        if (byRate.has(rate)) {
          byRate.delete(rate);
          continue;
        }
        if (!this.allTouched && !this.touched.has(rate)) continue;
        const p = this.newPayloadType(`${name}/${rate}`, null, () => undefined);
        if (!p) continue;
        p.forTranscoding = true;
        this.addOrder(p);
      }
      for (const [rate, list] of byRate) {
        if (!this.allTouched && !this.touched.has(rate)) continue;
        for (const p of list) this.delete(p);
      }
    }
  }
}

export function fromPayload(p: Payload): StorePT {
  return { pt: p.pt, encoding: p.encoding, clockRate: p.clockRate, channels: p.channels, fmtp: p.fmtp, forTranscoding: false, accepted: false, seq: 0 };
}

// ---------------------------------------------------------------------------------------------------
// Handlers

/** What whisperd does with one payload type a side sends (rtpengine codec_handler). */
export interface Handler {
  /** The receiving side's payload type. */
  pt: number;
  /** Forwarded as it is (no codec change); else transcoded into `dest`. */
  passthrough: boolean;
  /** The sink's payload type the packets go out with (= the source for passthrough). */
  dest: Payload;
  /** The sink's telephone-event PT at dest's clock rate, -1 if none. */
  dtmfPt: number;
  /** The sink's CN PT at dest's clock rate, -1 if none. */
  cnPt: number;
  /** Audio must be scanned for in-band DTMF to send as telephone-event. */
  pcmDtmfDetect: boolean;
}

export interface HandlerSet {
  handlers: Map<number, Handler>;
  transcoding: boolean;
}

/** Two payloads of known codecs are the same format (rtpengine rtp_payload_type_cmp == 0). */
function sameFormat(store: CodecStore, a: Payload, b: Payload): boolean {
  if (differNf(a, b)) return false;
  const def = store.def(a);
  if (!def) return true;
  if (def.ignoreFormat) return true;
  return (a.fmtp ?? '') === (b.fmtp ?? '');
}

function suppSinks(store: CodecStore): { pref: StorePT | null; supp: Map<string, Map<number, StorePT>> } {
  const supp = new Map<string, Map<number, StorePT>>();
  let pdc: StorePT | null = null;
  let firstAccepted: StorePT | null = null;
  for (const p of store.prefs) {
    const def = store.def(p);
    if (!def) continue;
    if (!pdc && !def.supplemental) pdc = p;
    if (p.accepted && !firstAccepted && !def.supplemental) firstAccepted = p;
    if (def.supplemental) {
      const k = def.name.toLowerCase();
      let m = supp.get(k);
      if (!m) supp.set(k, (m = new Map()));
      if (!m.has(p.clockRate)) m.set(p.clockRate, p);
    }
  }
  return { pref: firstAccepted ?? pdc, supp };
}

/** A side's packetisation (rtpengine media->ptime, 0 = none) and whether ng ptime/ptime-reverse forced one (PTIME_OVERRIDE). */
export interface SidePtime {
  ptime: number;
  override: boolean;
}

export interface SidePtimes {
  receiver: SidePtime;
  sink: SidePtime;
}

const NO_PTIMES: SidePtimes = { receiver: { ptime: 0, override: false }, sink: { ptime: 0, override: false } };

/**
 * Decide every payload type `receiver` sends towards `sink` (rtpengine codec_handlers_update, without
 * DTMF injection/blocking and ptime overrides). When anything is transcoded, the receiver's unknown
 * codecs are removed from its store.
 */
export function updateHandlers(receiver: CodecStore, sink: CodecStore, flagsPresent: boolean, ptimes: SidePtimes = NO_PTIMES): HandlerSet {
  const ptimeOf = (side: SidePtime, def: CodecInfo): number => (side.ptime > 0 ? side.ptime : (def.ptime ?? 20));
  const sinks = suppSinks(sink);
  const recvs = suppSinks(receiver);
  const handlers = new Map<number, Handler>();
  let transcoding = false;
  const suppOf = (m: Map<string, Map<number, StorePT>>, rate: number, name: string): StorePT | null => m.get(name)?.get(rate) ?? null;
  for (const pt of receiver.prefs) {
    const def = receiver.def(pt);
    const passthrough = (dtmf: StorePT | null, cn: StorePT | null): void => {
      handlers.set(pt.pt, { pt: pt.pt, passthrough: true, dest: pt, dtmfPt: dtmf?.pt ?? -1, cnPt: cn?.pt ?? -1, pcmDtmfDetect: false });
    };
    if (!def) {
      passthrough(null, null);
      continue;
    }
    const recvDtmf = suppOf(recvs.supp, pt.clockRate, 'telephone-event');
    const recvCn = suppOf(recvs.supp, pt.clockRate, 'cn');
    let sinkPt: StorePT | null = sink.byPt(pt.pt) ?? null;
    if (sinkPt && !sameFormat(receiver, pt, sinkPt)) sinkPt = null;
    if (!sinkPt) {
      for (const k of sink.byName(pt.encoding)) {
        if (k.clockRate !== pt.clockRate || k.channels !== pt.channels) continue;
        sinkPt = k;
        break;
      }
    }
    if (sinkPt && !def.supplemental && sinks.pref && sinks.pref.forTranscoding) sinkPt = sinks.pref;
    if (!sinkPt) sinkPt = sinks.pref;
    if (!sinkPt) {
      passthrough(recvDtmf, recvCn);
      continue;
    }
    let sinkDtmf = suppOf(sinks.supp, sinkPt.clockRate, 'telephone-event');
    let sinkCn = suppOf(sinks.supp, sinkPt.clockRate, 'cn');
    if (!flagsPresent) {
      if (sinkDtmf && !recvDtmf && !sinkDtmf.forTranscoding) sinkDtmf = null;
      if (sinkCn && !recvCn && !sinkCn.forTranscoding) sinkCn = null;
    }
    const pcmDtmfDetect = !def.supplemental && !recvDtmf && sinkDtmf !== null && sinkDtmf.forTranscoding;
    let transcode = differNf(pt, sinkPt);
    if (!transcode && !def.supplemental) {
      // A packetisation forced with ng ptime / ptime-reverse that differs from the other side's.
      const sinkDef = sink.def(sinkPt);
      const overridden = ptimes.receiver.override || ptimes.sink.override;
      if (overridden && sinkDef && ptimeOf(ptimes.sink, sinkDef) !== ptimeOf(ptimes.receiver, def)) transcode = true;
      else if (pcmDtmfDetect) transcode = true;
      else if (recvDtmf && recvDtmf.forTranscoding && !sinkDtmf) transcode = true;
      else if (!recvCn && sinkCn && sinkCn.forTranscoding) transcode = true;
      else if (recvCn && recvCn.forTranscoding && !sinkCn) transcode = true;
    }
    if (!transcode) {
      passthrough(sinkDtmf, sinkCn);
      continue;
    }
    transcoding = true;
    handlers.set(pt.pt, { pt: pt.pt, passthrough: false, dest: sinkPt, dtmfPt: sinkDtmf?.pt ?? -1, cnPt: sinkCn?.pt ?? -1, pcmDtmfDetect });
  }
  if (transcoding) {
    for (const p of [...receiver.prefs]) {
      if (receiver.def(p)) continue;
      receiver.touch(p);
      receiver.delete(p);
    }
  }
  return { handlers, transcoding };
}

/**
 * The offerer's list for the answer to it, from the answerer's list and its handlers towards the offerer
 * (rtpengine codec_store_answer): passthrough codecs as answered, transcoded ones as the offerer's codec
 * they become, then the offerer's telephone-event/CN those handlers use.
 */
export function answerStore(dst: CodecStore, src: CodecStore, srcHandlers: HandlerSet, singleCodec: boolean): CodecStore {
  const orig = dst;
  const out = new CodecStore(dst.table);
  let numCodecs = 0;
  const suppQueue: StorePT[] = [];
  for (const pt of src.prefs) {
    const addCodec = !(singleCodec && numCodecs >= 1);
    const h = srcHandlers.handlers.get(pt.pt);
    const isSupp = src.isSupp(pt);
    if (!h) {
      if (!pt.forTranscoding && addCodec) {
        if (!isSupp) numCodecs++;
        out.addRaw(pt);
      }
      continue;
    }
    if (isSupp) {
      if (pt.forTranscoding) continue;
      if (out.isTouched(pt) || src.isTouched(pt) || orig.isTouched(pt)) continue;
    }
    if (!addCodec && !isSupp) continue;
    if (!out.byPt(h.dest.pt)) {
      out.addRaw(h.passthrough ? pt : { ...fromPayload(h.dest), forTranscoding: (h.dest as StorePT).forTranscoding ?? false, accepted: (h.dest as StorePT).accepted ?? false });
      if (!isSupp) numCodecs++;
    }
    for (const supp of [h.cnPt, h.dtmfPt]) {
      if (supp < 0) continue;
      const p = orig.byPt(supp);
      if (p) suppQueue.push(p);
    }
  }
  for (const p of suppQueue) {
    if (out.byPt(p.pt)) continue;
    out.addRaw(p);
  }
  return out;
}
