import t from 'tap';
import { TelephoneEventView, dtmfChar, dtmfEventCode, parseTelephoneEvent, writeTelephoneEvent } from '../../../src/codec/telephoneEvent';

t.test('parses the RFC 4733 fields in place', async (t) => {
  // Event '5', end bit, volume 10 (-10 dBm0), duration 1600 (200 ms at 8 kHz).
  const pkt = new Uint8Array([0xff, 0x05, 0x8a, 0x06, 0x40]);
  const v = new TelephoneEventView();
  t.ok(parseTelephoneEvent(pkt, 1, 4, v));
  t.same({ ...v }, { event: 5, end: true, volume: 10, duration: 1600 });
  t.ok(parseTelephoneEvent(new Uint8Array([11, 0x7f, 0xff, 0xff]), 0, 4, v));
  t.same({ ...v }, { event: 11, end: false, volume: 63, duration: 65535 }, 'reserved bit ignored, maxima');
  t.notOk(parseTelephoneEvent(pkt, 2, 3, v), 'shorter than 4 bytes');
  t.notOk(parseTelephoneEvent(pkt, 3, 4, v), 'range past the buffer');
});

t.test('writes event blocks that parse back, clamping volume and duration', async (t) => {
  const buf = new Uint8Array(8);
  t.equal(writeTelephoneEvent(buf, 2, 10, false, 7, 480), 4);
  t.same(Array.from(buf.subarray(2, 6)), [10, 7, 0x01, 0xe0]);
  writeTelephoneEvent(buf, 0, 3, true, 99, 100000);
  const v = new TelephoneEventView();
  parseTelephoneEvent(buf, 0, 4, v);
  t.same({ ...v }, { event: 3, end: true, volume: 63, duration: 65535 });
});

t.test('maps DTMF characters to event codes and back', async (t) => {
  const chars = '0123456789*#ABCD';
  for (let i = 0; i < chars.length; i++) {
    t.equal(dtmfEventCode(chars[i]!), i);
    t.equal(dtmfChar(i), chars[i]);
  }
  t.equal(dtmfEventCode('a'), 12, 'case-insensitive');
  t.equal(dtmfEventCode('x'), -1);
  t.equal(dtmfChar(16), '');
});
