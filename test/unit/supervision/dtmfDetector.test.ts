import t from 'tap';
import { ConfigError } from '../../../src/errors';
import { writeTelephoneEvent } from '../../../src/codec/telephoneEvent';
import { DtmfDetector, parseKeyMap } from '../../../src/supervision/dtmfDetector';
import { measureAlloc } from '../../fixtures/prompts/alloc';

const pkt = new Uint8Array(4);

/** Feed one telephone-event packet; returns what the detector reported. */
function feed(d: DtmfDetector, event: number, end: boolean, duration: number, ts: number): string {
  writeTelephoneEvent(pkt, 0, event, end, 10, duration);
  return d.feed(pkt, 0, 4, ts);
}

/** A whole key press as a sender emits it: updates every 20 ms (160 units), then E three times. */
function press(d: DtmfDetector, event: number, ts: number, updates = 5): string[] {
  const got: string[] = [];
  for (let k = 1; k <= updates; k++) got.push(feed(d, event, false, k * 160, ts));
  for (let k = 0; k < 3; k++) got.push(feed(d, event, true, (updates + 1) * 160, ts));
  return got.filter((s) => s !== '');
}

t.test('one digit per event despite updates and the triple end packet (reported on start)', async (t) => {
  const d = new DtmfDetector();
  t.equal(feed(d, 5, false, 160, 1000), '5', 'first packet reports the digit');
  t.equal(feed(d, 5, false, 320, 1000), '');
  t.equal(feed(d, 5, true, 480, 1000), '');
  t.equal(feed(d, 5, true, 480, 1000), '');
  t.equal(feed(d, 5, true, 480, 1000), '');
  t.same(press(d, 11, 5000), ['#']);
  t.same(press(d, 10, 9000), ['*']);
  t.same(press(d, 15, 13000), ['D']);
});

t.test('the same key twice (different timestamps) is two digits', async (t) => {
  const d = new DtmfDetector();
  t.same([...press(d, 1, 100), ...press(d, 1, 2100), ...press(d, 1, 4100)], ['1', '1', '1']);
});

t.test('lost packets: a press whose first packets, or whose end packets, were lost still counts once', async (t) => {
  const d = new DtmfDetector();
  t.equal(feed(d, 7, false, 640, 0xfffff000), '7', 'first seen mid-event');
  t.equal(feed(d, 7, false, 800, 0xfffff000), '');
  // No end packets arrive; the next press (same key) starts later, across the 32-bit wrap.
  t.equal(feed(d, 7, true, 480, 0x00000200), '7', 'only the end packets of the next press arrive');
  t.equal(feed(d, 7, true, 480, 0x00000200), '');
});

t.test('late packets of an earlier event do not report again', async (t) => {
  const d = new DtmfDetector();
  t.same(press(d, 2, 8000), ['2']);
  t.equal(feed(d, 3, false, 160, 10000), '3');
  t.equal(feed(d, 2, true, 960, 8000), '', 'reordered end packet of the previous key');
  t.equal(feed(d, 3, true, 320, 10000), '');
});

t.test('a long press sent as segments (RFC 4733 §2.5.1.3) is one digit', async (t) => {
  const d = new DtmfDetector();
  t.equal(feed(d, 9, false, 160, 50000), '9');
  t.equal(feed(d, 9, false, 0xffff, 50000), '');
  t.equal(feed(d, 9, false, 160, 50000 + 0xffff), '', 'second segment');
  t.equal(feed(d, 9, true, 800, 50000 + 0xffff), '');
  t.equal(feed(d, 9, false, 160, 50000 + 2 * 0xffff), '9', 'after an end, the same step is a new press');
});

t.test('non-DTMF events, short payloads and reset()', async (t) => {
  const d = new DtmfDetector();
  t.equal(feed(d, 16, false, 160, 100), '', 'flash (event 16) is not a digit');
  t.equal(feed(d, 16, true, 320, 100), '');
  t.equal(d.feed(pkt, 0, 3, 200), '', 'payload shorter than 4 bytes');
  t.equal(d.feed(pkt, 2, 4, 200), '', 'block past the end of the buffer');
  t.equal(feed(d, 4, false, 160, 300), '4');
  t.equal(feed(d, 4, false, 320, 300), '');
  d.reset();
  t.equal(feed(d, 4, false, 160, 300), '4', 'after reset the same timestamp is a new event');
  const big = new Uint8Array(12);
  writeTelephoneEvent(big, 8, 0, false, 10, 160);
  t.equal(d.feed(big, 8, 4, 900), '0', 'payload at an offset');
});

t.test('parseKeyMap validates digits and actions', async (t) => {
  const m = parseKeyMap({ '1': 'listen', '2': 'whisper', '3': 'barge', '*': 'mute-toggle', '#': 'leave', a: 'listen' });
  t.same([...m.entries()], [
    ['1', 'listen'],
    ['2', 'whisper'],
    ['3', 'barge'],
    ['*', 'mute-toggle'],
    ['#', 'leave'],
    ['A', 'listen'],
  ]);
  t.equal(parseKeyMap({}).size, 0);
  t.throws(() => parseKeyMap({ '1': 'listen', E: 'barge' }), new ConfigError('Invalid DTMF key "E" in key map: must be one of 0-9, *, #, A-D'));
  t.throws(() => parseKeyMap({ '12': 'barge' }), new ConfigError('Invalid DTMF key "12" in key map: must be one of 0-9, *, #, A-D'));
  t.throws(() => parseKeyMap({ '': 'barge' }), ConfigError);
  t.throws(
    () => parseKeyMap({ '5': 'hangup' }),
    new ConfigError('Invalid action for DTMF key "5": must be one of listen, whisper, barge, mute-toggle, leave'),
  );
  t.throws(() => parseKeyMap({ '5': 3 } as unknown as Record<string, string>), ConfigError, 'non-string action');
  t.throws(() => parseKeyMap({ a: 'listen', A: 'barge' }), new ConfigError('Duplicate DTMF key "A" in key map'));
  t.throws(() => parseKeyMap(null as unknown as Record<string, string>), new ConfigError('DTMF key map must be a mapping of key to action'));
});

t.test('feed() allocates nothing per packet', async (t) => {
  const d = new DtmfDetector();
  const p = new Uint8Array(4);
  const n = 800_000;
  let base = 0;
  let digits = 0;
  const { bytesPerCall, gcs } = await measureAlloc(() => {
    digits = 0;
    for (let i = base; i < base + n; i++) {
      writeTelephoneEvent(p, 0, i & 15, (i & 7) === 7, 10, (i & 7) * 160);
      if (d.feed(p, 0, 4, (i >> 3) * 1600) !== '') digits++;
    }
    base += n;
  }, n);
  t.equal(digits, n / 8, 'one digit per 8-packet event');
  t.ok(bytesPerCall < 0.1, `${bytesPerCall.toFixed(4)} B/packet of heap growth`);
  t.equal(gcs, 0, 'no GC during the loop');
});
