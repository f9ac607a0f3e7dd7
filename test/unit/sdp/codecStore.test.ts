/**
 * rtpengine 10.5's codec store operations (src/sdp/codecStore.ts), one behaviour each. Facts from
 * rtpengine mr10.5.3.5 daemon/codec.c, checked against that daemon where noted.
 */
import t from 'tap';
import { answerStore, codecTable, CodecStore, RTPENGINE_TABLE, updateHandlers } from '../../../src/sdp/codecStore';
import type { Payload } from '../../../src/sdp/types';

const p = (pt: number, encoding: string, clockRate = 8000, channels = 1, fmtp: string | null = null): Payload => ({ pt, encoding, clockRate, channels, fmtp });
const store = (...list: Payload[]): CodecStore => CodecStore.fromPayloads(list, RTPENGINE_TABLE);
const pts = (s: CodecStore): string => s.prefs.map((x) => `${x.pt} ${x.encoding}/${x.clockRate}`).join(', ');
const noWarn = (): void => undefined;

t.test('strip all removes telephone-event too, except protects by name', async (t) => {
  const s = store(p(0, 'PCMU'), p(8, 'PCMA'), p(101, 'telephone-event'));
  s.strip(['all'], ['PCMA']);
  t.equal(pts(s), '8 PCMA/8000');
  t.ok(s.stripAll);
});

t.test('transcode adds a new codec before telephone-event with its RFC 3551 number', async (t) => {
  const src = store(p(0, 'PCMU'), p(101, 'telephone-event'));
  const s = store(p(0, 'PCMU'), p(101, 'telephone-event'));
  s.transcode(['G722', 'PCMA'], src, noWarn);
  t.equal(pts(s), '0 PCMU/8000, 9 G722/8000, 8 PCMA/8000, 101 telephone-event/8000');
  t.ok(s.byPt(9)!.forTranscoding);
});

t.test('transcode numbers a dynamic codec with the lowest free number, before the first telephone-event (as rtpengine 10.5 answers)', async (t) => {
  const src = store(p(96, 'telephone-event'), p(97, 'speex', 16000));
  const s = store(p(96, 'telephone-event'), p(97, 'speex', 16000));
  s.transcode(['opus'], src, noWarn);
  t.equal(pts(s), '98 opus/48000, 96 telephone-event/8000, 97 speex/16000');
  t.equal(s.byPt(98)!.channels, 2);
  s.trackerUpdate();
  t.equal(pts(s), '98 opus/48000, 99 telephone-event/48000, 96 telephone-event/8000, 97 speex/16000', 'telephone-event for the new rate only');
});

t.test('transcode of a codec whisperd does not know adds nothing and warns', async (t) => {
  const warnings: string[] = [];
  const s = store(p(0, 'PCMU'));
  s.transcode(['EVS'], store(p(0, 'PCMU')), (m) => warnings.push(m));
  t.equal(pts(s), '0 PCMU/8000');
  t.same(warnings, ["Codec 'EVS' requested for transcoding is not supported"]);
});

t.test('transcode restores a stripped codec with its own number instead of adding one', async (t) => {
  const src = store(p(0, 'PCMU'), p(8, 'PCMA'));
  const s = store(p(0, 'PCMU'), p(8, 'PCMA'));
  s.strip(['PCMA'], []);
  s.transcode(['PCMA'], src, noWarn);
  t.equal(pts(s), '0 PCMU/8000, 8 PCMA/8000');
  t.notOk(s.byPt(8)!.forTranscoding);
});

t.test('the tracker adds telephone-event for a clock rate that gained a codec', async (t) => {
  const src = store(p(0, 'PCMU'), p(101, 'telephone-event'));
  const s = store(p(0, 'PCMU'), p(101, 'telephone-event'));
  s.transcode(['G7221/16000', 'speex'], src, noWarn);
  s.trackerUpdate();
  t.equal(pts(s), '0 PCMU/8000, 96 speex/16000, 97 telephone-event/16000, 101 telephone-event/8000');
});

t.test('the tracker removes telephone-event of a touched clock rate left without codecs', async (t) => {
  const s = store(p(96, 'opus', 48000, 2), p(8, 'PCMA'), p(97, 'telephone-event', 48000), p(98, 'telephone-event'));
  s.strip(['opus'], []);
  s.trackerUpdate();
  t.equal(pts(s), '8 PCMA/8000, 98 telephone-event/8000');
});

t.test('handlers: a codec the sink has passes through, another is transcoded to the sink first codec', async (t) => {
  const recv = store(p(0, 'PCMU'), p(8, 'PCMA'));
  const sink = store(p(8, 'PCMA'));
  const h = updateHandlers(recv, sink, true);
  t.ok(h.transcoding);
  t.same([h.handlers.get(8)!.passthrough, h.handlers.get(0)!.passthrough, h.handlers.get(0)!.dest.pt], [true, false, 8]);
});

t.test('handlers: once transcoding, codecs whisperd does not know leave the receiver', async (t) => {
  const recv = store(p(96, 'EVS', 16000), p(0, 'PCMU'));
  updateHandlers(recv, store(p(8, 'PCMA')), true);
  t.equal(pts(recv), '0 PCMU/8000');
});

t.test('handlers: no transcoding keeps unknown codecs', async (t) => {
  const recv = store(p(96, 'EVS', 16000), p(0, 'PCMU'));
  t.notOk(updateHandlers(recv, store(p(96, 'EVS', 16000), p(0, 'PCMU')), true).transcoding);
  t.equal(pts(recv), '96 EVS/16000, 0 PCMU/8000');
});

t.test('handlers: an accepted codec is what everything is transcoded into', async (t) => {
  const sink = store(p(0, 'PCMU'), p(8, 'PCMA'));
  sink.accept(['PCMU'], null);
  const h = updateHandlers(store(p(8, 'PCMA')), sink, true);
  t.same([h.handlers.get(8)!.passthrough, h.handlers.get(8)!.dest.pt], [false, 0]);
});

t.test('answer: the offerer gets only its own codecs, in the answer order', async (t) => {
  const offerer = store(p(0, 'PCMU'), p(9, 'G722'), p(8, 'PCMA'));
  const answerer = store(p(0, 'PCMU'), p(9, 'G722'), p(8, 'PCMA'));
  answerer.populate(store(p(8, 'PCMA'), p(101, 'telephone-event')), true);
  const a = answerStore(offerer, answerer, updateHandlers(answerer, offerer, false), false);
  t.equal(pts(a), '8 PCMA/8000');
});

t.test('answer: single-codec answers the first codec only', async (t) => {
  const offerer = store(p(0, 'PCMU'), p(8, 'PCMA'));
  const answerer = store(p(0, 'PCMU'), p(8, 'PCMA'));
  const a = answerStore(offerer, answerer, updateHandlers(answerer, offerer, false), true);
  t.equal(pts(a), '0 PCMU/8000');
});

t.test("whisperd's table: a codec of rtpengine's set whisperd cannot run is known but never added by transcode", async (t) => {
  const table = codecTable((name) => name !== 'speex');
  const warnings: string[] = [];
  const s = CodecStore.fromPayloads([p(0, 'PCMU'), p(97, 'speex', 16000)], table);
  s.transcode(['speex/8000', 'PCMA', 'telephone-event'], CodecStore.fromPayloads([p(0, 'PCMU')], table), (m) => warnings.push(m));
  t.equal(pts(s), '0 PCMU/8000, 97 speex/16000, 8 PCMA/8000, 96 telephone-event/8000', 'speex kept as offered, not added');
  t.same(warnings, ["Codec 'speex/8000' requested for transcoding is not supported"]);
  t.ok(table('speex'), 'still known: no transcoding removes it');
});

t.test('any codec flags on any payload list: no exception, payload types unique and in 0..127, answer within the offer', async (t) => {
  // A seeded generator (xorshift) so a failure replays.
  let seed = 0x2545f491;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const names = ['PCMU', 'PCMA', 'G722', 'G729', 'opus', 'speex', 'telephone-event', 'CN', 'EVS', 'foobar', '', 'pcma', 'AMR-WB'];
  const specs = [...names, 'all', 'full', 'opus/48000/1', 'PCMU/16000', 'telephone-event/48000', 'G729/8000/1//annexb=yes', '8', 'x/y/z'];
  const pick = (n: number): string[] => Array.from({ length: rnd(n) }, () => specs[rnd(specs.length)]!);
  const payloadList = (): Payload[] => {
    const used = new Set<number>();
    const out: Payload[] = [];
    for (let i = rnd(8); i >= 0; i--) {
      const pt = rnd(128);
      if (used.has(pt)) continue;
      used.add(pt);
      out.push(p(pt, names[rnd(names.length)]!, [8000, 16000, 48000, 0][rnd(4)]!, 1 + rnd(2)));
    }
    return out;
  };
  const valid = (s: CodecStore): boolean => {
    const nums = s.prefs.map((x) => x.pt);
    return new Set(nums).size === nums.length && nums.every((n) => Number.isInteger(n) && n >= 0 && n <= 127);
  };
  let bad = 0;
  for (let i = 0; i < 2000; i++) {
    const offer = payloadList();
    const src = store(...offer);
    const a = store(...offer);
    const b = store(...offer);
    a.strip(pick(3), pick(2));
    a.accept(pick(2), null);
    a.accept(pick(2), src);
    a.track(pick(2));
    b.strip(pick(3), pick(2));
    b.offer(pick(2), src);
    b.transcode(pick(4), src, noWarn);
    b.checkEmpty(src);
    b.trackerUpdate();
    updateHandlers(b, a, true);
    b.trackerUpdate();
    const answerer = b.clone();
    answerer.populate(store(...payloadList()), true);
    const offerer = answerStore(a, answerer, updateHandlers(answerer, a, false), rnd(2) === 1);
    const offeredNums = new Set([...a.prefs, ...answerer.prefs].map((x) => x.pt));
    if (!valid(a) || !valid(b) || !valid(offerer) || !offerer.prefs.every((x) => offeredNums.has(x.pt))) bad++;
  }
  t.equal(bad, 0);
});
