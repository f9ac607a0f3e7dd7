import t from 'tap';
import { NgProtocolError } from '../../../src/errors';
import {
  MAX_DEPTH,
  decodeBencode,
  decodeJsonDict,
  encodeBencode,
  encodeJsonDict,
  type NgValue,
} from '../../../src/control/ng/bencode';
import { loadCapture, splitCookie } from '../../fixtures/ng/datagrams';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

t.test('decodes the ng doc ping example', async (t) => {
  t.strictSame({ ...(decodeBencode(b('d7:command4:pinge')) as object) }, { command: 'ping' });
});

t.test('decodes every kind of value', async (t) => {
  const v = decodeBencode(b('d1:ai-42e1:bli0ei7e0:e1:cd1:x1:yee')) as Record<string, NgValue>;
  t.equal(v['a'], -42);
  t.strictSame(v['b'], [0, 7, '']);
  t.equal((v['c'] as Record<string, NgValue>)['x'], 'y');
  t.equal(Object.getPrototypeOf(v), null, 'dicts have no prototype');
});

t.test('encoder sorts keys and skips undefined', async (t) => {
  const enc = encodeBencode({ result: 'pong', b: [1, 'x', { z: 1, a: '' }], a: undefined as unknown as string });
  t.equal(enc.toString('latin1'), 'd1:bli1e1:xd1:a0:1:zi1eee6:result4:ponge');
});

t.test('byte-exact round trip of every byte value', async (t) => {
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  const enc = Buffer.concat([b('d3:bin256:'), all, b('e')]);
  const dec = decodeBencode(enc) as Record<string, string>;
  t.ok(Buffer.from(dec['bin']!, 'latin1').equals(all));
  t.ok(encodeBencode(dec).equals(enc));
});

t.test('non-latin1 strings are encoded as UTF-8', async (t) => {
  t.equal(encodeBencode('€').toString('latin1'), '3:\xe2\x82\xac');
});

t.test('dictionary keys are sorted as raw bytes, latin1 and UTF-8 keys alike', async (t) => {
  // latin1 keys sort as they are; a key with a char above 0xFF is written (and sorted) as its UTF-8
  // bytes: 'z' (7a) < 'ā' (c4 81) < '\xe9' (e9), although by code units '\xe9' (e9) < 'ā' (101).
  t.equal(encodeBencode({ b: 1, a: 2, '\xe9': 3, Z: 4 }).toString('latin1'), 'd1:Zi4e1:ai2e1:bi1e1:\xe9i3ee');
  t.equal(encodeBencode({ '\xe9': 1, z: 2, ā: 3 }).toString('latin1'), 'd1:zi2e2:\xc4\x81i3e1:\xe9i1ee');
  t.equal(encodeBencode({ y: { d: 1, c: [{ f: 'x', e: 'y' }] }, x: 0 }).toString('latin1'), 'd1:xi0e1:yd1:cld1:e1:y1:f1:xee1:di1eee');
});

t.test('encoder rejects values outside NgValue', async (t) => {
  t.throws(() => encodeBencode(1.5), TypeError);
  t.throws(() => encodeBencode(true as unknown as NgValue), TypeError);
  t.throws(() => encodeBencode({ a: null as unknown as NgValue }), TypeError);
});

t.test('"__proto__" is plain data', async (t) => {
  const v = decodeBencode(b('d9:__proto__d1:xi1eee')) as Record<string, NgValue>;
  t.equal(Object.keys(v).length, 1);
  t.equal(({} as Record<string, unknown>)['x'], undefined, 'Object.prototype untouched');
  t.equal(encodeBencode(v).toString('latin1'), 'd9:__proto__d1:xi1eee');
});

t.test('hostile input throws NgProtocolError("Invalid NG data format")', async (t) => {
  const cases: Array<[string, string | Buffer]> = [
    ['empty', ''],
    ['truncated dict', 'd7:command4:ping'],
    ['truncated string', 'd7:command4:pi'],
    ['string length beyond buffer', 'd7:command99999:pinge'],
    ['huge length', '99999999999999999999999:x'],
    ['length without colon', '4ping'],
    ['leading zero length', '04:ping'],
    ['negative length', '-1:x'],
    ['trailing garbage', 'd7:command4:pingeXX'],
    ['two values', 'i1ei2e'],
    ['integer without e', 'i42'],
    ['empty integer', 'ie'],
    ['minus only', 'i-e'],
    ['negative zero', 'i-0e'],
    ['leading zero int', 'i03e'],
    ['non-digit int', 'i4x2e'],
    ['float', 'i1.5e'],
    ['unsafe integer', 'i9007199254740993e'],
    ['integer dict key', 'di1ei2ee'],
    ['list dict key', 'dle1:xe'],
    ['key without value', 'd1:ae'],
    ['unknown type byte', 'x'],
    ['unterminated list', 'li1e'],
    ['bare e', 'e'],
  ];
  for (const [name, input] of cases) {
    t.throws(() => decodeBencode(typeof input === 'string' ? b(input) : input), new NgProtocolError('Invalid NG data format'), name);
  }
});

t.test('nesting limits', async (t) => {
  const ok = 'l'.repeat(MAX_DEPTH) + 'e'.repeat(MAX_DEPTH);
  t.doesNotThrow(() => decodeBencode(b(ok)), `depth ${MAX_DEPTH} accepted`);
  const tooDeep = 'l'.repeat(MAX_DEPTH + 1) + 'e'.repeat(MAX_DEPTH + 1);
  t.throws(() => decodeBencode(b(tooDeep)), NgProtocolError);
  const bomb = 'l'.repeat(100_000) + 'e'.repeat(100_000);
  t.throws(() => decodeBencode(b(bomb)), NgProtocolError, '100k deep nesting bomb');
  const dictBomb = 'd1:a'.repeat(100_000) + 'i1e' + 'e'.repeat(100_000);
  t.throws(() => decodeBencode(b(dictBomb)), NgProtocolError, '100k deep dict bomb');
});

t.test('element limit', async (t) => {
  const big = 'l' + 'i1e'.repeat(100_001) + 'e';
  t.throws(() => decodeBencode(b(big)), NgProtocolError, 'list of 100k+ items');
  const fine = 'l' + 'i1e'.repeat(1000) + 'e';
  t.equal((decodeBencode(b(fine)) as NgValue[]).length, 1000);
});

t.test('JSON form', async (t) => {
  const d = decodeJsonDict(Buffer.from('{"command":"ping","n":3,"f":1.5,"ok":true,"gone":null,"l":["a",2],"u":"é"}', 'utf8'));
  t.strictSame({ ...d }, { command: 'ping', n: 3, f: '1.5', ok: 'true', l: ['a', 2], u: '\xc3\xa9' });
  t.equal(encodeJsonDict({ result: 'pong', u: '\xc3\xa9', raw: '\xe9' }).toString('utf8'), '{"result":"pong","u":"é","raw":"é"}');
  for (const bad of ['{"a":', '[1]', '"x"', '{"a":[null]}', '1']) {
    t.throws(() => decodeJsonDict(Buffer.from(bad)), new NgProtocolError('Invalid NG data format'), bad);
  }
  const deep = '{"a":' + '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH) + '}';
  t.throws(() => decodeJsonDict(Buffer.from(deep)), NgProtocolError, 'JSON nesting limit');
  const bomb = '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  t.throws(() => decodeJsonDict(Buffer.from(bomb)), NgProtocolError, 'JSON nesting bomb');
});

t.test('every captured Kamailio/rtpengine datagram decodes and re-encodes to a dict', async (t) => {
  for (const name of ['kamailio-5.6-offer-answer-delete', 'kamailio-5.6-offer-with-supervise-keys']) {
    const cap = loadCapture(name);
    t.ok(cap.length >= 6, `${name} has datagrams`);
    for (const d of cap) {
      const { body } = splitCookie(d.bytes);
      const v = decodeBencode(body);
      t.equal(typeof v, 'object', `${name} frame ${d.frame} is a dict`);
      // Re-encoding sorts keys, so compare by decoding again.
      t.strictSame(decodeBencode(encodeBencode(v)), v, `${name} frame ${d.frame} round trip`);
    }
  }
});

t.test('captured rtpengine reply re-encodes with sorted keys and identical values', async (t) => {
  const cap = loadCapture('kamailio-5.6-offer-answer-delete');
  const reply = splitCookie(cap.find((d) => d.frame === 2)!.bytes).body;
  // rtpengine writes `sdp` before `result` (unsorted); we write them sorted, bytes otherwise identical.
  const text = reply.toString('latin1');
  t.match(text, /^d3:sdp215:/);
  const sdpField = text.slice(1, text.indexOf('6:result2:ok'));
  t.equal(encodeBencode(decodeBencode(reply)).toString('latin1'), 'd6:result2:ok' + sdpField + 'e');
});
