/**
 * STUN codec (src/media/ice/stun.ts): the RFC 5769 test vectors (§2.1-2.4) parse, verify and rebuild byte
 * for byte; hostile input (every truncation, huge lengths, flipped bits, bad integrity) is an error result,
 * never a throw.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import {
  longTermKey,
  StunAttr,
  StunClass,
  StunError,
  StunRole,
  StunView,
  StunWriter,
  STUN_BINDING,
  verifyFingerprint,
  verifyIntegrity,
} from '../../../src/media/ice/stun';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 5769 (Test Vectors for STUN), sections 2.1-2.4, as printed there.
const SAMPLE_REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
const SAMPLE_IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
const SAMPLE_IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);
const SAMPLE_LONG_TERM_REQUEST = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);
const SHORT_TERM_PWD = Buffer.from('VOkJxbRl1RmTxUk/WvJxBt');
const TID = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae');
const ALL_VECTORS = [SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE, SAMPLE_LONG_TERM_REQUEST];

t.test('RFC 5769 §2.1 sample request: attributes, integrity with the short-term password, fingerprint', async (t) => {
  const v = new StunView();
  t.equal(v.parse(SAMPLE_REQUEST), StunError.OK);
  t.equal(v.method, STUN_BINDING);
  t.equal(v.cls, StunClass.REQUEST);
  t.equal(v.length, SAMPLE_REQUEST.length);
  t.ok(v.usernameIs(SAMPLE_REQUEST, Buffer.from('evtj:h6vY')), 'USERNAME evtj:h6vY (padding bytes 0x20 ignored)');
  t.ok(v.usernameStartsWith(SAMPLE_REQUEST, Buffer.from('evtj:')));
  t.notOk(v.usernameStartsWith(SAMPLE_REQUEST, Buffer.from('h6vY:')));
  t.equal(v.priority, 0x6e0001ff);
  t.equal(v.role, StunRole.CONTROLLED);
  t.equal(v.tieHi, 0x932ff9b1);
  t.equal(v.tieLo, 0x51263b36);
  t.equal(v.useCandidate, false);
  t.equal(v.unknownCount, 0);
  t.equal(verifyIntegrity(SAMPLE_REQUEST, v, SHORT_TERM_PWD), true);
  t.equal(verifyIntegrity(SAMPLE_REQUEST, v, Buffer.from('VOkJxbRl1RmTxUk/WvJxBT')), false, 'one letter off: no');
  t.equal(verifyFingerprint(SAMPLE_REQUEST, v), true);
});

t.test('RFC 5769 §2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, integrity, fingerprint', async (t) => {
  const v = new StunView();
  t.equal(v.parse(SAMPLE_IPV4_RESPONSE), StunError.OK);
  t.equal(v.cls, StunClass.SUCCESS);
  t.same(v.xorMappedAddress(SAMPLE_IPV4_RESPONSE), { address: '192.0.2.1', port: 32853 });
  t.equal(verifyIntegrity(SAMPLE_IPV4_RESPONSE, v, SHORT_TERM_PWD), true);
  t.equal(verifyFingerprint(SAMPLE_IPV4_RESPONSE, v), true);
});

t.test('RFC 5769 §2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', async (t) => {
  const v = new StunView();
  t.equal(v.parse(SAMPLE_IPV6_RESPONSE), StunError.OK);
  t.same(v.xorMappedAddress(SAMPLE_IPV6_RESPONSE), { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
  t.equal(verifyIntegrity(SAMPLE_IPV6_RESPONSE, v, SHORT_TERM_PWD), true);
  t.equal(verifyFingerprint(SAMPLE_IPV6_RESPONSE, v), true);
});

t.test('RFC 5769 §2.4 long-term credentials: key MD5(user:realm:pass), no fingerprint', async (t) => {
  const v = new StunView();
  t.equal(v.parse(SAMPLE_LONG_TERM_REQUEST), StunError.OK);
  t.ok(v.usernameIs(SAMPLE_LONG_TERM_REQUEST, Buffer.from('マトリックス', 'utf8')));
  t.equal(v.fingerprintOff, -1);
  t.equal(verifyFingerprint(SAMPLE_LONG_TERM_REQUEST, v), false);
  // The password after SASLprep (RFC 5769 §2.4: "TheMatrIX").
  const key = longTermKey('マトリックス', 'example.org', 'TheMatrIX');
  t.equal(verifyIntegrity(SAMPLE_LONG_TERM_REQUEST, v, key), true);
  t.equal(verifyIntegrity(SAMPLE_LONG_TERM_REQUEST, v, longTermKey('マトリックス', 'example.org', 'thematrix')), false);
});

t.test('the writer rebuilds the RFC 5769 vectors byte for byte', async (t) => {
  const w = new StunWriter();
  // §2.1 pads SOFTWARE/USERNAME with 0x20 where the writer pads with zeros: compare the parts that do not
  // depend on padding bytes by rebuilding §2.4 (zero padding) and the §2.2 response after its SOFTWARE.
  const lt = w
    .start(STUN_BINDING, StunClass.REQUEST, hex('78 ad 34 33 c6 ad 72 c0 29 da 41 2e'))
    .text(StunAttr.USERNAME, 'マトリックス')
    .text(StunAttr.NONCE, 'f//499k954d6OL34oL9FSTvy64sA')
    .text(StunAttr.REALM, 'example.org')
    .integrity(longTermKey('マトリックス', 'example.org', 'TheMatrIX'))
    .finish();
  t.same(lt, SAMPLE_LONG_TERM_REQUEST, '§2.4');
  // §2.2 with its SOFTWARE value's padding byte as printed (0x20), then the writer's own attributes.
  const v4 = w
    .start(STUN_BINDING, StunClass.SUCCESS, TID)
    .bytes(StunAttr.SOFTWARE, Buffer.from('test vector'))
    .xorAddress(StunAttr.XOR_MAPPED_ADDRESS, '192.0.2.1', 32853);
  const withPad = v4.finish();
  withPad[20 + 4 + 11] = 0x20;
  const v = new StunView();
  t.equal(v.parse(withPad), StunError.OK);
  t.same(withPad, SAMPLE_IPV4_RESPONSE.subarray(0, withPad.length).map((b, i) => (i === 3 ? withPad[3]! : b)), 'header, SOFTWARE, XOR-MAPPED-ADDRESS');
  const v6 = w
    .start(STUN_BINDING, StunClass.SUCCESS, TID)
    .bytes(StunAttr.SOFTWARE, Buffer.from('test vector'))
    .xorAddress(StunAttr.XOR_MAPPED_ADDRESS, '2001:db8:1234:5678:11:2233:4455:6677', 32853)
    .finish();
  t.same(v6.subarray(36, 60), SAMPLE_IPV6_RESPONSE.subarray(36, 60), 'IPv6 XOR-MAPPED-ADDRESS');
});

t.test('built messages verify: integrity with the key used, fingerprint, all ICE attributes', async (t) => {
  const tid = randomBytes(12);
  const msg = new StunWriter()
    .start(STUN_BINDING, StunClass.REQUEST, tid)
    .text(StunAttr.USERNAME, 'abcd:efgh')
    .u32(StunAttr.PRIORITY, 1853824767)
    .u64(StunAttr.ICE_CONTROLLING, 0xdeadbeef, 0x01020304)
    .flag(StunAttr.USE_CANDIDATE)
    .integrity(Buffer.from('0123456789012345678901'))
    .fingerprint()
    .finish();
  const v = new StunView();
  t.equal(v.parse(msg), StunError.OK);
  t.equal(v.priority, 1853824767);
  t.equal(v.role, StunRole.CONTROLLING);
  t.equal(v.tieHi, 0xdeadbeef);
  t.equal(v.tieLo, 0x01020304);
  t.equal(v.useCandidate, true);
  t.equal(v.transactionKey(msg), tid.toString('hex'));
  t.ok(verifyIntegrity(msg, v, Buffer.from('0123456789012345678901')));
  t.notOk(verifyIntegrity(msg, v, Buffer.from('0123456789012345678902')));
  t.ok(verifyFingerprint(msg, v));
  const flipped = Buffer.from(msg);
  flipped[30] ^= 1; // inside USERNAME
  t.equal(v.parse(flipped), StunError.OK);
  t.notOk(verifyIntegrity(flipped, v, Buffer.from('0123456789012345678901')), 'a flipped bit fails integrity');
  t.notOk(verifyFingerprint(flipped, v), 'and the fingerprint');
});

t.test('error responses carry ERROR-CODE class/number and reason', async (t) => {
  const msg = new StunWriter().start(STUN_BINDING, StunClass.ERROR, randomBytes(12)).errorCode(487).fingerprint().finish();
  const v = new StunView();
  t.equal(v.parse(msg), StunError.OK);
  t.equal(v.cls, StunClass.ERROR);
  t.equal(v.errorCode, 487);
  t.equal(Buffer.from(msg.subarray(v.errorReasonOff, v.errorReasonOff + v.errorReasonLen)).toString(), 'Role Conflict');
});

t.test('an unknown comprehension-required attribute is reported (RFC 5389 §7.3.1), an optional one ignored', async (t) => {
  const msg = new StunWriter()
    .start(STUN_BINDING, StunClass.REQUEST, randomBytes(12))
    .bytes(0x7777, Buffer.from([1, 2, 3]))
    .bytes(0xc001, Buffer.from([1]))
    .finish();
  const v = new StunView();
  t.equal(v.parse(msg), StunError.OK);
  t.equal(v.unknownCount, 1);
  t.equal(v.unknown[0], 0x7777);
});

t.test('attributes after MESSAGE-INTEGRITY are ignored; any after FINGERPRINT is an error', async (t) => {
  const key = Buffer.from('k');
  const signed = new StunWriter().start(STUN_BINDING, StunClass.REQUEST, randomBytes(12)).integrity(key).finish();
  const extra = hex('00 25 00 00'); // USE-CANDIDATE appended after MESSAGE-INTEGRITY (not covered by it)
  const tampered = Buffer.concat([signed, extra]);
  tampered.writeUInt16BE(tampered.length - 20, 2);
  const v = new StunView();
  t.equal(v.parse(tampered), StunError.OK);
  t.equal(v.useCandidate, false, 'not taken');
  t.ok(verifyIntegrity(tampered, v, key));
  const fp = new StunWriter().start(STUN_BINDING, StunClass.REQUEST, randomBytes(12)).fingerprint().finish();
  const after = Buffer.concat([fp, extra]);
  after.writeUInt16BE(after.length - 20, 2);
  t.equal(v.parse(after), StunError.BAD_ORDER);
});

t.test('hostile framing: every truncation of every vector is an error, never a throw', async (t) => {
  const v = new StunView();
  let errors = 0;
  for (const vec of ALL_VECTORS) {
    for (let n = 0; n < vec.length; n++) {
      const r = v.parse(vec.subarray(0, n));
      if (r !== StunError.OK) errors++;
    }
    // The same bytes with a shorter len argument (buffer longer than the datagram).
    for (let n = 0; n < vec.length; n++) if (v.parse(vec, n) === StunError.OK) t.fail(`len ${n} parsed`);
  }
  t.equal(errors, ALL_VECTORS.reduce((s, b) => s + b.length, 0), 'every prefix rejected');
  t.equal(v.parse(Buffer.alloc(0)), StunError.TOO_SHORT);
});

t.test('hostile framing: huge and misaligned lengths, bad cookie, top bits, wrong value sizes', async (t) => {
  const v = new StunView();
  const mut = (f: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(SAMPLE_REQUEST);
    f(b);
    return b;
  };
  t.equal(v.parse(mut((b) => b.writeUInt16BE(0xfffc, 2))), StunError.BAD_LENGTH, 'header length past the datagram');
  t.equal(v.parse(mut((b) => b.writeUInt16BE(0x57, 2))), StunError.BAD_LENGTH, 'length not a multiple of 4');
  t.equal(v.parse(mut((b) => (b[4] ^= 1))), StunError.NOT_STUN, 'no magic cookie');
  t.equal(v.parse(mut((b) => (b[0] |= 0x80))), StunError.NOT_STUN, 'top bits set (RTP)');
  t.equal(v.parse(mut((b) => b.writeUInt16BE(0xfff0, 22))), StunError.BAD_ATTRIBUTE, 'attribute length past the message');
  t.equal(v.parse(mut((b) => b.writeUInt16BE(0x10, 2))), StunError.BAD_ATTRIBUTE, 'header length cuts an attribute');
  t.equal(v.parse(mut((b) => b.writeUInt16BE(3, 42))), StunError.BAD_VALUE, 'PRIORITY of 3 bytes');
  const miAt = SAMPLE_REQUEST.length - 8 - 24;
  t.equal(v.parse(mut((b) => b.writeUInt16BE(16, miAt + 2))), StunError.BAD_VALUE, 'MESSAGE-INTEGRITY of 16 bytes');
  const trailing = Buffer.concat([SAMPLE_REQUEST, Buffer.from('trailing')]);
  t.equal(v.parse(trailing), StunError.OK, 'bytes past the header length are not part of the message');
  t.equal(v.length, SAMPLE_REQUEST.length);
  t.ok(verifyFingerprint(trailing, v));
});

t.test('fuzz: random, truncated and bit-flipped input never throws', async (t) => {
  const v = new StunView();
  const key = Buffer.from('x');
  let ok = 0;
  let overrun = 0;
  for (let i = 0; i < 20000; i++) {
    const seed = ALL_VECTORS[i % ALL_VECTORS.length]!;
    let buf: Buffer;
    switch (i % 4) {
      case 0:
        buf = randomBytes(Math.floor(Math.random() * 120));
        break;
      case 1:
        buf = seed.subarray(0, Math.floor(Math.random() * seed.length));
        break;
      case 2:
        buf = Buffer.from(seed);
        for (let k = 0; k <= i % 5; k++) buf[Math.floor(Math.random() * buf.length)] ^= 1 << (i % 8);
        break;
      default: {
        const body = randomBytes(4 * Math.floor(Math.random() * 30));
        buf = Buffer.concat([hex('00 01'), Buffer.from([body.length >> 8, body.length & 255]), hex('21 12 a4 42'), TID, body]);
      }
    }
    if (v.parse(buf) === StunError.OK) {
      ok++;
      verifyIntegrity(buf, v, key);
      verifyFingerprint(buf, v);
      v.xorMappedAddress(buf);
      if (v.length > buf.length) overrun++;
    }
  }
  t.ok(ok > 0, `some inputs parsed (${ok})`);
  t.equal(overrun, 0, 'no parsed message is longer than its datagram');
});
