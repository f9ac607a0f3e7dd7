/**
 * The native packet parsers (native/src/rtp/: parse.h, rtcp.h, telephone_event.h — what the relay
 * and the media threads apply to peer bytes) against the TypeScript reference parsers
 * (src/media/rtp.ts, src/codec/telephoneEvent.ts), through the addon's parseProbe. Corpus: the fuzz
 * seeds (native/fuzz/corpus/, packets laid out as endpoints send them) plus seeded random mutations
 * of them; every packet must get the same verdict and the same fields from both. The RTCP compound
 * walker has no TS twin: it is checked on hand-built compounds with known defects, and against
 * isPlausibleRtcp (whatever the walker accepts, the relay's check accepts too).
 */
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadNative } from '../../../src/native/addon';
import { RtpVerdict, RtpView, isPlausibleRtcp, parseRtp } from '../../../src/media/rtp';
import { TelephoneEventView, parseTelephoneEvent } from '../../../src/codec/telephoneEvent';

const native = loadNative();
const probe = native?.parseProbe?.bind(native);
const out = new Float64Array(16 + 6 * 16);

const K_RTP = 0;
const K_PLAUSIBLE = 1;
const K_EVENT = 2;
const K_WALK = 3;
// RtcpVerdict (native/src/rtp/rtcp.h)
const OK = 0, TOO_SHORT = 1, BAD_VERSION = 2, BAD_TYPE = 3, BAD_LENGTH = 4, BAD_PADDING = 5, BAD_BODY = 6;

const corpusRoot = path.join(__dirname, '..', '..', '..', 'native', 'fuzz', 'corpus');
function seeds(): Uint8Array[] {
  const all: Uint8Array[] = [];
  for (const dir of ['rtp', 'rtcp', 'rfc4733'])
    for (const f of fs.readdirSync(path.join(corpusRoot, dir)).sort()) all.push(new Uint8Array(fs.readFileSync(path.join(corpusRoot, dir, f))));
  return all;
}

/** xorshift32: the same mutants every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const INTERESTING = [0, 1, 2, 3, 4, 0x0f, 0x10, 0x1f, 0x20, 0x3f, 0x7f, 0x80, 0x81, 0x9f, 0xa0, 0xbf, 0xc0, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xdf, 0xe0, 0xfe, 0xff];

/** Seeds, then mutants of them: bit flips, interesting bytes in the header area, truncation, extension. */
function corpus(): Uint8Array[] {
  const base = seeds();
  const r = rng(0x5eed);
  const all = [...base];
  for (const s of base) {
    for (let k = 0; k < 400; k++) {
      let m = new Uint8Array(s);
      const ops = 1 + (r() % 3);
      for (let o = 0; o < ops; o++) {
        const op = r() % 5;
        if (op === 0 && m.length > 0) m[r() % m.length]! ^= 1 << r() % 8;
        else if (op === 1 && m.length > 0) m[r() % Math.min(m.length, 32)] = INTERESTING[r() % INTERESTING.length]!;
        else if (op === 2 && m.length > 0) m[m.length - 1] = INTERESTING[r() % INTERESTING.length]!;
        else if (op === 3) m = m.subarray(0, r() % (m.length + 1));
        else {
          const n = new Uint8Array(m.length + 1 + (r() % 8));
          n.set(m);
          m = n;
        }
      }
      all.push(m);
    }
  }
  for (let k = 0; k < 2000; k++) {
    const m = new Uint8Array(r() % 40);
    for (let i = 0; i < m.length; i++) m[i] = r() & 0xff;
    if (m.length > 0 && k % 2 === 0) m[0] = 0x80 | (m[0]! & 0x3f); // version 2 half of the time
    all.push(m);
  }
  return all;
}

t.test('the addon has the parser probe', async (t) => {
  t.ok(probe, 'parseProbe is exported (rebuild the addon with make native)');
  t.equal(probe?.(9, new Uint8Array(4), 4, out), -1, 'unknown parser: bad argument');
  t.equal(probe?.(K_RTP, new Uint8Array(4), 5, out), -1, 'len beyond the buffer: bad argument');
  t.equal(probe?.(K_RTP, new Uint8Array(4), 4, new Float64Array(8)), -1, 'out too small: bad argument');
});

t.test('RTP header: native ParseRtp == parseRtp on every packet of the corpus', async (t) => {
  if (!probe) return t.fail('no parseProbe');
  const v = new RtpView();
  const packets = corpus();
  const verdicts = new Map<number, number>();
  let mismatches = 0;
  for (const p of packets) {
    // The whole buffer, and a shorter len inside a longer buffer (neither side may read past len).
    for (const len of p.length > 12 ? [p.length, p.length - 3] : [p.length]) {
      const ts = parseRtp(p, len, v);
      const nv = probe(K_RTP, p, len, out);
      verdicts.set(ts, (verdicts.get(ts) ?? 0) + 1);
      let same = nv === ts;
      if (same && ts === RtpVerdict.OK) {
        const fields = [+v.marker, v.payloadType, v.sequence, v.timestamp, v.ssrc, v.csrcCount, v.headerLength, v.payloadOffset, v.payloadLength, v.paddingLength];
        same = fields.every((f, i) => f === out[i]);
      }
      if (!same && mismatches++ < 5) t.fail(`differs on ${Buffer.from(p.subarray(0, len)).toString('hex')}: TS ${ts}, native ${nv}`);
    }
  }
  t.equal(mismatches, 0, `${packets.length} packets, no mismatch`);
  // The corpus reaches every verdict, so the comparison covers every branch of the parser.
  for (const verdict of [RtpVerdict.OK, RtpVerdict.TOO_SHORT, RtpVerdict.BAD_VERSION, RtpVerdict.BAD_CSRC, RtpVerdict.BAD_EXTENSION, RtpVerdict.BAD_PADDING, RtpVerdict.RTCP])
    t.ok((verdicts.get(verdict) ?? 0) > 10, `verdict ${verdict} seen ${verdicts.get(verdict) ?? 0} times`);
});

t.test('RTCP plausibility: native PlausibleRtcp == isPlausibleRtcp on every packet', async (t) => {
  if (!probe) return t.fail('no parseProbe');
  let mismatches = 0;
  let plausible = 0;
  const packets = corpus();
  for (const p of packets) {
    const ts = isPlausibleRtcp(p, p.length);
    if (ts) plausible++;
    if (probe(K_PLAUSIBLE, p, p.length, out) !== (ts ? 1 : 0) && mismatches++ < 5) t.fail(`differs on ${Buffer.from(p).toString('hex')}`);
  }
  t.equal(mismatches, 0, `${packets.length} packets, no mismatch`);
  t.ok(plausible > 100 && plausible < packets.length - 100, `both answers seen (${plausible} plausible)`);
});

t.test('RFC 4733: native ParseTelephoneEvent == parseTelephoneEvent, bare and as an RTP payload', async (t) => {
  if (!probe) return t.fail('no parseProbe');
  const ev = new TelephoneEventView();
  const v = new RtpView();
  let mismatches = 0;
  let parsed = 0;
  const check = (buf: Uint8Array, off: number, len: number): void => {
    const ts = parseTelephoneEvent(buf, off, len, ev);
    const payload = buf.subarray(off, off + len);
    const nv = probe(K_EVENT, payload, len, out);
    let same = nv === (ts ? 1 : 0);
    if (same && ts) {
      parsed++;
      same = out[0] === ev.event && out[1] === +ev.end && out[2] === ev.volume && out[3] === ev.duration;
    }
    if (!same && mismatches++ < 5) t.fail(`differs on ${Buffer.from(payload).toString('hex')}`);
  };
  for (const p of corpus()) {
    check(p, 0, p.length);
    if (parseRtp(p, p.length, v) === RtpVerdict.OK) check(p, v.payloadOffset, v.payloadLength);
  }
  t.equal(mismatches, 0, 'no mismatch');
  t.ok(parsed > 1000, `${parsed} events parsed by both`);
  t.equal(probe(K_EVENT, new Uint8Array([11, 0xbf, 0x06, 0x40]), 4, out), 1);
  t.same(Array.from(out.subarray(0, 4)), [11, 1, 63, 1600], "'#', end, reserved bit ignored, volume 63, 200 ms");
  t.equal(probe(K_EVENT, new Uint8Array([11, 0xbf, 0x06]), 3, out), 0, 'three bytes: no event');
});

// --- RTCP compound walker ---------------------------------------------------------------------
function pkt(pt: number, count: number, body: number[], padding = 0): number[] {
  const len = 4 + body.length + padding;
  const words = len / 4 - 1;
  const b = [0x80 | (padding ? 0x20 : 0) | count, pt, words >> 8, words & 0xff, ...body];
  for (let i = 0; i < padding; i++) b.push(i === padding - 1 ? padding : 0);
  return b;
}
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const block = (ssrc: number, lost: number): number[] => [...u32(ssrc), 5, (lost >> 16) & 0xff, (lost >> 8) & 0xff, lost & 0xff, ...u32(1000), ...u32(7), ...u32(0x12340000), ...u32(65536)];
const SR = (ssrc: number, blocks: number[][] = [], padding = 0): number[] =>
  pkt(200, blocks.length, [...u32(ssrc), ...u32(0xe8a10000), ...u32(0x80000000), ...u32(160000), ...u32(1000), ...u32(160000), ...blocks.flat()], padding);
const RR = (ssrc: number, blocks: number[][] = [], padding = 0): number[] => pkt(201, blocks.length, [...u32(ssrc), ...blocks.flat()], padding);
const SDES = (ssrc: number, cname: string): number[] => {
  const items = [1, cname.length, ...Buffer.from(cname), 0];
  while ((items.length + 4) % 4) items.push(0);
  return pkt(202, 1, [...u32(ssrc), ...items]);
};
const BYE = (ssrcs: number[], reason = ''): number[] => {
  const body = [...ssrcs.flatMap(u32), ...(reason ? [reason.length, ...Buffer.from(reason)] : [])];
  while (body.length % 4) body.push(0);
  return pkt(203, ssrcs.length, body);
};
const APP = (ssrc: number): number[] => pkt(204, 0, [...u32(ssrc), ...Buffer.from('WHSP'), 1, 2, 3, 4]);

function walk(bytes: number[]): { verdict: number; head: number[]; packets: number[][] } {
  const buf = new Uint8Array(bytes);
  const verdict = probe!(K_WALK, buf, buf.length, out);
  const n = Math.min(out[0]!, 16);
  const packets = [];
  for (let i = 0; i < n; i++) packets.push(Array.from(out.subarray(16 + 6 * i, 22 + 6 * i)));
  return { verdict, head: Array.from(out.subarray(0, 16)), packets };
}

t.test('RTCP compound walker: every sub-packet by its length field, by type', async (t) => {
  if (!probe) return t.fail('no parseProbe');
  const A = 0x11223344, B = 0x55667788, C = 0x0badcafe;
  const compound = [...SR(A, [block(B, 37), block(C, 0xfffffe)]), ...SDES(A, 'whisperd@example.org'), ...BYE([A, C], 'hang-up'), ...APP(A), ...pkt(206, 1, [...u32(A), ...u32(B)])];
  const w = walk(compound);
  t.equal(w.verdict, OK);
  // packets, sr, rr, sdes, bye, app, other, reportBlocks, firstIsReport, senderSsrc, hasSenderInfo, ntpMsw, ntpLsw, rtpTs, packets, octets
  t.same(w.head, [5, 1, 0, 1, 1, 1, 1, 2, 1, A, 1, 0xe8a10000, 0x80000000, 160000, 1000, 160000]);
  const srLen = 4 + 24 + 48;
  t.same(w.packets[0], [200, 2, 0, srLen, 0, A], 'SR: type, RC, offset, length, padding, SSRC');
  t.same(w.packets[1], [202, 1, srLen, 4 + 4 + 24, 0, A], 'SDES chunk of A (CNAME item + null, padded to 32 bits)');
  t.same(w.packets[2]!.slice(0, 2), [203, 2], 'BYE with two SSRCs');
  t.equal(w.packets[2]![5], A);
  t.same(w.packets[4]!.slice(0, 2), [206, 1], 'PSFB PLI counted as other');
  t.equal(isPlausibleRtcp(new Uint8Array(compound), compound.length), true);

  const padded = walk([...RR(B), ...RR(A, [block(B, 0)], 8)]);
  t.equal(padded.verdict, OK, 'padding on the last sub-packet');
  t.same(padded.packets[1], [201, 1, 8, 4 + 4 + 24 + 8, 8, A]);
  t.same(walk(pkt(206, 1, [...u32(A), ...u32(B)])).head.slice(0, 10), [1, 0, 0, 0, 0, 0, 1, 0, 0, A], 'reduced-size RTCP (RFC 5506): accepted, first is not a report');
  t.same(walk([...RR(A), ...pkt(202, 0, [])]).head.slice(0, 4), [2, 0, 1, 1], 'empty SDES (SC 0, header only)');
  t.same(walk([...RR(A), ...BYE([])]).head.slice(0, 5), [2, 0, 1, 0, 1], 'BYE without SSRC');
  t.equal(walk(pkt(202, 0, [])).verdict, TOO_SHORT, 'a 4-byte datagram is too short, as for isPlausibleRtcp');
});

t.test('RTCP compound walker: each defect is named, and nothing past a defect is walked', async (t) => {
  if (!probe) return t.fail('no parseProbe');
  const A = 0x11223344, B = 0x55667788;
  const good = [...RR(A, [block(B, 1)]), ...SDES(A, 'x')];
  const cases: Array<[string, number[], number, number]> = [
    // name, bytes, verdict, sub-packets walked before the defect
    ['7 bytes', [0x80, 201, 0, 1, 0, 0, 0], TOO_SHORT, 0],
    ['second sub-packet version 1', [...RR(A), ...SDES(A, 'x').map((b, i) => (i === 0 ? (b & 0x3f) | 0x40 : b))], BAD_VERSION, 1],
    ['second sub-packet type 72 (RTP)', [...RR(A), ...pkt(72, 0, u32(A))], BAD_TYPE, 1],
    ['length field one word past the datagram', good.slice(0, good.length - 4), BAD_LENGTH, 1],
    ['2 trailing bytes', [...good, 0x80, 201], BAD_LENGTH, 2],
    ['padding on a sub-packet that is not the last', [...RR(A, [], 4), ...RR(B)], BAD_PADDING, 0],
    ['padding count 0', RR(A, [], 4).map((b, i, a) => (i === a.length - 1 ? 0 : b)), BAD_PADDING, 0],
    ['padding count over the body', RR(A, [], 4).map((b, i, a) => (i === a.length - 1 ? 12 : b)), BAD_PADDING, 0],
    ['RR announcing 2 report blocks, carrying 1', RR(A, [block(B, 1)]).map((b, i) => (i === 0 ? b + 1 : b)), BAD_BODY, 0],
    ['SR without sender info', pkt(200, 0, u32(A)), BAD_BODY, 0],
    ['SDES chunk without a null item', [...RR(A), ...pkt(202, 1, [...u32(A), 1, 2, 0x61, 0x62])], BAD_BODY, 1],
    ['SDES item longer than the packet', [...RR(A), ...pkt(202, 1, [...u32(A), 1, 9, 0x61, 0])], BAD_BODY, 1],
    ['BYE reason longer than the packet', [...RR(A), ...pkt(203, 1, [...u32(A), 7, 0x61, 0x62, 0x63])], BAD_BODY, 1],
    ['BYE announcing 2 SSRCs, carrying 1', [...RR(A), ...pkt(203, 2, u32(A))], BAD_BODY, 1],
    ['APP without its name', [...RR(A), ...pkt(204, 0, u32(A))], BAD_BODY, 1],
  ];
  for (const [name, bytes, verdict, walked] of cases) {
    const w = walk(bytes);
    t.equal(w.verdict, verdict, `${name}: verdict`);
    t.equal(w.head[0], walked, `${name}: sub-packets walked`);
  }
});

t.test('whatever the walker accepts, isPlausibleRtcp (the relay check) accepts too', async (t) => {
  if (!probe) return t.fail('no parseProbe');
  let accepted = 0;
  let violations = 0;
  for (const p of corpus()) {
    if (probe(K_WALK, p, p.length, out) !== OK) continue;
    accepted++;
    if (!isPlausibleRtcp(p, p.length) && violations++ < 5) t.fail(`walker accepts, isPlausibleRtcp refuses: ${Buffer.from(p).toString('hex')}`);
  }
  t.equal(violations, 0);
  t.ok(accepted > 100, `${accepted} compounds accepted`);
});
