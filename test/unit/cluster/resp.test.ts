/** The RESP2 reply parser: split/fragmented input, errors, nil, nested arrays, limits, garbage. */
import t, { type Test } from 'tap';
import { encodeCommand, RespError, RespParser, RespProtocolError, type RespReply } from '../../../src/cluster/redis/resp';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function feedAll(p: RespParser, chunks: Buffer[]): RespReply[] {
  const out: RespReply[] = [];
  for (const c of chunks) out.push(...p.feed(c));
  return out;
}

const STREAM = '+OK\r\n-ERR wrong type\r\n:42\r\n:-7\r\n$5\r\nhe\r\no\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n';

function check(t: Test, got: RespReply[]): void {
  t.equal(got.length, 10);
  t.equal(got[0], 'OK');
  t.ok(got[1] instanceof RespError);
  t.equal((got[1] as RespError).message, 'ERR wrong type');
  t.equal(got[2], 42);
  t.equal(got[3], -7);
  t.same(got[4], b('he\r\no')); // CRLF inside a bulk string is data
  t.same(got[5], b(''));
  t.equal(got[6], null);
  t.equal(got[7], null);
  t.same(got[8], []);
  t.same(got[9], [1, [b('a'), null], 'x']);
}

t.test('whole stream in one chunk', async (t) => check(t, new RespParser().feed(b(STREAM))));

t.test('every split point, and one byte at a time', async (t) => {
  const all = b(STREAM);
  for (let i = 1; i < all.length; i++) check(t, feedAll(new RespParser(), [all.subarray(0, i), all.subarray(i)]));
  check(t, feedAll(new RespParser(), [...all].map((x) => Buffer.from([x]))));
});

t.test('incomplete input yields nothing and keeps state', async (t) => {
  const p = new RespParser();
  t.same(p.feed(b('*2\r\n$3\r\nfo')), []);
  t.ok(p.buffered > 0);
  t.same(p.feed(b('o\r\n:5\r\n')), [[b('foo'), 5]]);
  t.equal(p.buffered, 0);
});

const BAD: Array<[string, string]> = [
  ['unknown type', '?x\r\n'],
  ['bad integer', ':12a\r\n'],
  ['integer beyond 2^53', ':99999999999999999\r\n'],
  ['bad bulk length', '$abc\r\n'],
  ['negative bulk length other than -1', '$-2\r\n'],
  ['leading zero length', '$05\r\nhello\r\n'],
  ['bulk not terminated by CRLF', '$3\r\nfooXY'],
  ['CR without LF', '+OK\rX'],
  ['empty line', '\r\n'],
  ['bulk over the limit', '$1000001\r\n'],
  ['array over the limit', '*1001\r\n'],
  ['nesting too deep', '*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n'],
  ['huge length', '$99999999999\r\n'],
];

t.test('garbage and oversize lengths are protocol errors, sticky', async (t) => {
  for (const [what, input] of BAD) {
    const p = new RespParser({ maxBulk: 1_000_000, maxArray: 1000, maxDepth: 4 });
    t.throws(() => p.feed(b(input)), RespProtocolError, what);
    t.throws(() => p.feed(b('+OK\r\n')), RespProtocolError, `${what}: stays failed`);
  }
});

t.test('a line without CRLF is refused past 64 KiB instead of buffered forever', async (t) => {
  const p = new RespParser();
  t.same(p.feed(b('+' + 'a'.repeat(1000))), []);
  t.throws(() => p.feed(b('a'.repeat(70 * 1024))), RespProtocolError);
});

t.test('a declared bulk length is not allocated up front', async (t) => {
  const p = new RespParser({ maxBulk: 64 * 1024 * 1024, maxArray: 10, maxDepth: 2 });
  t.same(p.feed(b('$60000000\r\nabc')), []);
  t.ok(p.buffered < 100, 'only what arrived is held');
});

t.test('encodeCommand', async (t) => {
  t.same(encodeCommand(['SET', 'k', Buffer.from([0, 13, 10]), 'é']), Buffer.concat([b('*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n'), Buffer.from([0, 13, 10]), b('\r\n$2\r\n'), Buffer.from('é'), b('\r\n')]));
  // Round trip through the parser (a command is an array of bulk strings).
  t.same(new RespParser().feed(encodeCommand(['a', 'bc'])), [[b('a'), b('bc')]]);
});
