/**
 * Codec spec helpers (src/sdp/codecs.ts). The codec list operations (applyCodecOps, whisperd's own
 * semantics) were replaced by rtpengine 10.5's codec store model: see codecStore.test.ts and
 * integration/ng-codec-*.test.ts (those tests asserted behaviour rtpengine does not have, e.g.
 * telephone-event surviving `strip all`, `offer` reordering).
 */
import t from 'tap';
import { isSupplementary, parseCodecSpec, payloadMatches, type Payload } from '../../../src/sdp/index';

const P = (pt: number, encoding: string, clockRate = 8000, channels = 1, fmtp: string | null = null): Payload => ({ pt, encoding, clockRate, channels, fmtp });

t.test('parseCodecSpec', async (t) => {
  t.same(parseCodecSpec('opus/48000/2/32000'), { name: 'opus', pt: null, clockRate: 48000, channels: 2, fmtp: null });
  t.same(parseCodecSpec('PCMU'), { name: 'PCMU', pt: null, clockRate: null, channels: null, fmtp: null });
  t.same(parseCodecSpec('8'), { name: null, pt: 8, clockRate: null, channels: null, fmtp: null });
  t.equal(parseCodecSpec(''), null);
  t.equal(parseCodecSpec('300'), null);
  t.equal(parseCodecSpec('/8000'), null);
});

t.test('payloadMatches: name case-insensitive, given parameters must match, or the PT number', async (t) => {
  t.ok(payloadMatches(P(8, 'PCMA'), parseCodecSpec('pcma')!));
  t.notOk(payloadMatches(P(111, 'opus', 48000, 2), parseCodecSpec('opus/48000/1')!));
  t.ok(payloadMatches(P(111, 'opus', 48000, 2), parseCodecSpec('111')!));
});

t.test('isSupplementary: telephone-event and CN', async (t) => {
  t.same([P(101, 'telephone-event'), P(13, 'CN'), P(0, 'PCMU')].map(isSupplementary), [true, true, false]);
});
