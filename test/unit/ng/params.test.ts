import t from 'tap';
import { BadRequestError } from '../../../src/errors';
import { decodeBencode, decodeJsonDict, type NgDict } from '../../../src/control/ng/bencode';
import { normaliseParams, supportsLoadLimit } from '../../../src/control/ng/params';
import { loadCapture, splitCookie } from '../../fixtures/ng/datagrams';

const dict = (o: Record<string, unknown>): NgDict => o as NgDict;

t.test('key spelling variants map to the same parameter', async (t) => {
  for (const k of ['call-id', 'call id', 'call-ID', 'Call-Id', 'call_id']) {
    const { params, unknownKeys } = normaliseParams(dict({ [k]: 'C1' }));
    t.equal(params.callId, 'C1', k);
    t.strictSame(unknownKeys, []);
  }
  const { params } = normaliseParams(
    dict({
      'from tag': 'F',
      'to tag': 'T',
      'via branch': 'V',
      'received from': ['IP4', '10.0.0.1'],
      'transport protocol': 'RTP/AVP',
      'delete delay': '0',
      'repeat times': 3,
      'address family': 'IP6',
      'media address': '192.0.2.1',
      'record call': 'yes',
      ICE: 'remove',
      DTLS: 'off',
      SDES: ['off'],
      'rtcp-mux': ['demux'],
      'from-label': 'caller',
      'set-label': 'sup',
      'to-label': 'callee',
      ptime: '20',
      TOS: 184,
      metadata: 'm',
      direction: ['internal', 'external'],
      'endpoint-learning': 'heuristic',
      'from-tags': ['a', 'b'],
      limit: 32,
      sdp: 'v=0\r\n',
    }),
  );
  t.match(params, {
    fromTag: 'F',
    toTag: 'T',
    viaBranch: 'V',
    receivedFrom: { family: 'IP4', address: '10.0.0.1' },
    transportProtocol: 'RTP/AVP',
    deleteDelay: 0,
    repeatTimes: 3,
    addressFamily: 'IP6',
    mediaAddress: '192.0.2.1',
    recordCall: 'yes',
    ice: 'remove',
    dtls: 'off',
    sdes: ['off'],
    rtcpMux: ['demux'],
    label: 'caller',
    setLabel: 'sup',
    toLabel: 'callee',
    ptime: 20,
    tos: 184,
    metadata: 'm',
    direction: ['internal', 'external'],
    endpointLearning: 'heuristic',
    fromTags: ['a', 'b'],
    limit: 32,
    sdp: 'v=0\r\n',
  });
});

t.test('whisperd keys', async (t) => {
  const { params, unknownKeys } = normaliseParams(
    dict({ mode: 'barge', 'agent tag': 'AT', supervisor: 'alice', agent: 'bob', file: '/x.wav', blob: '\x00\xff', 'repeat-times': '2' }),
  );
  t.equal(params.supervise, 'barge', '`mode` is an alias of `supervise`');
  t.equal(params.agentTag, 'AT');
  t.equal(params.supervisor, 'alice');
  t.equal(params.agent, 'bob');
  t.equal(params.file, '/x.wav');
  t.ok(params.blob?.equals(Buffer.from([0x00, 0xff])), 'blob is the raw bytes');
  t.equal(params.repeatTimes, 2);
  t.strictSame(unknownKeys, []);
});

t.test('flags are normalised and list-like flags are moved', async (t) => {
  const { params } = normaliseParams(
    dict({
      flags: [
        'trust address',
        'SIP source address',
        'symmetric',
        'codec-strip-PCMA',
        'codec-offer-opus',
        'codec-mask-G722',
        'codec-transcode-PCMU',
        'transcode-G729',
        'codec-set-opus/48000/2',
        'codec-except-telephone-event',
        'codec-accept-PCMU',
        'codec-consume-CN',
        'codec strip all',
        'replace-origin',
        'replace-session-connection',
        'replace-SDP-version',
        'SDES-no-AES_CM_128_HMAC_SHA1_32',
        'rtcp-mux-demux',
        'endpoint-learning-immediate',
        '',
      ],
      replace: ['session connection', 'username'],
      codec: { strip: ['G729'], 'transcode': 'opus' },
    }),
  );
  t.strictSame([...params.flags].sort(), ['sip-source-address', 'symmetric', 'trust-address']);
  t.strictSame(params.codec, {
    // appended in dictionary order: `flags` came before `codec` here
    strip: ['PCMA', 'all', 'G729'],
    offer: ['opus'],
    transcode: ['PCMU', 'G729', 'opus'],
    mask: ['G722'],
    set: ['opus/48000/2'],
    accept: ['PCMU'],
    consume: ['CN'],
    except: ['telephone-event'],
  });
  t.strictSame([...params.replace].sort(), ['origin', 'sdp-version', 'session-connection', 'username']);
  t.strictSame(params.sdes, ['no-AES_CM_128_HMAC_SHA1_32']);
  t.strictSame(params.rtcpMux, ['demux']);
  t.equal(params.endpointLearning, 'immediate');
});

t.test('unknown keys are reported as spelt', async (t) => {
  const { unknownKeys } = normaliseParams(dict({ command: 'offer', 'sip-message-type': 'sip_request', codec: { ignore: ['x'] } }));
  t.strictSame(unknownKeys, ['sip-message-type', 'codec.ignore']);
});

t.test('wrong value types are BadRequestErrors naming the key', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ 'call-id': ['x'] }, 'Invalid value for key "call-id": expected a string'],
    [{ 'call id': { a: 'b' } }, 'Invalid value for key "call id": expected a string'],
    [{ flags: { a: 'b' } }, 'Invalid value for key "flags": expected a list of strings'],
    [{ flags: [['nested']] }, 'Invalid value for key "flags": expected a list of strings'],
    [{ ptime: 'twenty' }, 'Invalid value for key "ptime": expected a non-negative integer'],
    [{ ptime: -1 }, 'Invalid value for key "ptime": expected a non-negative integer'],
    [{ 'received-from': ['IP4'] }, 'Invalid value for key "received-from": expected a list [family, address]'],
    [{ codec: ['strip'] }, 'Invalid value for key "codec": expected a dictionary'],
    [{ codec: { strip: { a: 1 } } }, 'Invalid value for key "codec.strip": expected a list of strings'],
  ];
  for (const [d, msg] of cases) t.throws(() => normaliseParams(dict(d)), new BadRequestError(msg), msg);
});

t.test('integers are accepted where strings are expected', async (t) => {
  t.equal(normaliseParams(dict({ 'from-tag': 42 })).params.fromTag, '42');
});

t.test('supportsLoadLimit reads the raw dict', async (t) => {
  t.equal(supportsLoadLimit(dict({ supports: ['load limit'] })), true);
  t.equal(supportsLoadLimit(dict({ supports: ['other'] })), false);
  t.equal(supportsLoadLimit(dict({ 'call-id': ['bad'], supports: 'Load Limit' })), true);
  t.equal(supportsLoadLimit(dict({})), false);
});

t.test('JSON requests normalise like bencode ones', async (t) => {
  const d = decodeJsonDict(Buffer.from('{"command":"offer","call-id":"c","ptime":30,"flags":["trust address"]}'));
  const { params } = normaliseParams(d);
  t.equal(params.callId, 'c');
  t.equal(params.ptime, 30);
  t.strictSame([...params.flags], ['trust-address']);
});

const body = (name: string, frame: number): NgDict => {
  const d = loadCapture(name).find((x) => x.frame === frame)!;
  return decodeBencode(splitCookie(d.bytes).body) as NgDict;
};

t.test('Kamailio 5.6 offer/answer/delete capture', async (t) => {
  const cap = 'kamailio-5.6-offer-answer-delete';
  const offer = body(cap, 1);
  t.equal(offer['command'], 'offer');
  const o = normaliseParams(offer);
  t.strictSame(o.unknownKeys, []);
  t.equal(o.params.callId, '1-23075@127.0.0.1');
  t.equal(o.params.fromTag, '23075SIPpTag091');
  t.equal(o.params.toTag, undefined);
  t.strictSame([...o.params.replace], ['origin', 'session-connection']);
  t.strictSame(o.params.receivedFrom, { family: 'IP4', address: '127.0.0.1' });
  t.strictSame([...o.params.supports], ['load limit']);
  t.equal(o.params.sdp?.length, 188);
  t.match(o.params.sdp, /^v=0\r\no=user1 53655765 2353687637 IN IP4 127\.0\.0\.1\r\n/);
  t.match(o.params.sdp, /m=audio 6004 RTP\/AVP 8 101\r\n/);

  const a = normaliseParams(body(cap, 3));
  t.equal(a.params.toTag, '16701SIPpTag018');
  t.equal(a.params.fromTag, '23075SIPpTag091');
  t.equal(a.params.sdp?.length, 129);

  const del = body(cap, 5);
  t.equal(del['command'], 'delete');
  const d = normaliseParams(del);
  t.strictSame(d.unknownKeys, []);
  t.equal(d.params.callId, '1-23075@127.0.0.1');
  t.equal(d.params.sdp, undefined);
});

t.test('Kamailio 5.6 offer with whisperd supervise keys', async (t) => {
  const { params, unknownKeys } = normaliseParams(body('kamailio-5.6-offer-with-supervise-keys', 1));
  t.strictSame(unknownKeys, []);
  t.match(params, {
    callId: 'TARGETCALL',
    fromTag: 'suptag',
    supervise: 'whisper',
    agentTag: 'agenttag',
    supervisor: 'alice',
    agent: 'bob',
  });
  t.equal(params.sdp?.length, 129);
});
