import t from 'tap';
import { parseSdp, rewriteSdp, type ParsedSdp, type RewritePlan } from '../../../src/sdp/index';
import { AUDIO_VIDEO_OFFER, HOLD_OFFER, PHONE_OFFER, SIPP_SDP, WEBRTC_OFFER, mutate, prng, sdp } from '../../fixtures/sdp/sdp';

const ADDR = '127.0.0.1';

/** A plan giving m= line i ports 30000+2i / 30001+2i, other fields from `extra`. */
function plan(p: ParsedSdp, extra: Partial<RewritePlan> = {}, ports?: number[]): RewritePlan {
  return {
    address: ADDR,
    medias: p.medias.map((_, i) => ({ port: ports?.[i] ?? 30000 + 2 * i, rtcpPort: (ports?.[i] ?? 30000 + 2 * i) + 1 })),
    replaceOrigin: false,
    replaceSessionConnection: false,
    removeIce: false,
    ...extra,
  };
}

t.test('SIPp body: session c= rewritten because the m= line relies on it; a=sendrecv and a=rtcp added', async (t) => {
  const p = parseSdp(SIPP_SDP);
  t.equal(
    rewriteSdp(p, plan(p, { replaceOrigin: true })),
    sdp(
      'v=0',
      'o=user1 53655765 2353687637 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 30000 RTP/AVP 0',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:30001',
    ),
  );
});

t.test('phone offer: other lines stay where they were; rtpmap (static PTs too), fmtp, direction, a=rtcp, a=ptime appended (rtpengine order)', async (t) => {
  const p = parseSdp(PHONE_OFFER);
  t.equal(
    rewriteSdp(p, plan(p)),
    sdp(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=audio 30000 RTP/AVP 0 8 101',
      'c=IN IP4 127.0.0.1',
      'a=maxptime:40',
      'a=x-vendor-thing:42',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=sendrecv',
      'a=rtcp:30001',
      'a=ptime:20',
    ),
  );
});

const BOTH_LEVELS = sdp(
  'v=0',
  'o=- 7 7 IN IP4 203.0.113.7',
  's=-',
  'c=IN IP4 203.0.113.7',
  't=0 0',
  'm=audio 4000 RTP/AVP 8',
  'c=IN IP4 198.51.100.7',
  'a=rtpmap:8 PCMA/8000',
);

t.test('session-level c= kept when every m= has its own c= (rtpengine 10.5), replaced with replace-session-connection', async (t) => {
  const p = parseSdp(BOTH_LEVELS);
  const body = ['m=audio 30000 RTP/AVP 8', 'c=IN IP4 127.0.0.1', 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', 'a=rtcp:30001'];
  t.equal(rewriteSdp(p, plan(p)), sdp('v=0', 'o=- 7 7 IN IP4 203.0.113.7', 's=-', 'c=IN IP4 203.0.113.7', 't=0 0', ...body));
  t.equal(
    rewriteSdp(p, plan(p, { replaceSessionConnection: true, replaceOrigin: true, bumpVersion: true })),
    sdp('v=0', 'o=- 7 8 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', ...body),
  );
});

t.test('WebRTC offer: removeIce strips ICE, RTP/AVP strips DTLS, BUNDLE group dropped, a=mid first, rtcp-fb after its codec, rtcp-mux after a=rtcp', async (t) => {
  const p = parseSdp(WEBRTC_OFFER);
  t.equal(
    rewriteSdp(p, plan(p, { removeIce: true, transportProtocol: 'RTP/AVP', replaceOrigin: true })),
    sdp(
      'v=0',
      'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=msid-semantic: WMS stream0',
      'm=audio 30000 RTP/AVP 111 0 8 126',
      'c=IN IP4 127.0.0.1',
      'a=mid:0',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtcp-fb:111 transport-cc',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:126 telephone-event/8000',
      'a=sendrecv',
      'a=rtcp:30001',
      'a=rtcp-mux',
    ),
  );
});

t.test('WebRTC offer without removeIce keeps candidates; rtcpMux:false turns mux off and adds a=rtcp', async (t) => {
  const p = parseSdp(WEBRTC_OFFER);
  const pl = plan(p);
  pl.medias[0]!.rtcpMux = false;
  const out = rewriteSdp(p, pl);
  const lines = out.split('\r\n');
  t.ok(lines.includes('a=candidate:1 1 udp 2122260223 203.0.113.5 54400 typ host generation 0'));
  t.ok(lines.includes('a=ice-ufrag:F7gI'));
  t.ok(lines.includes('a=ice-options:trickle'));
  t.notOk(lines.includes('a=rtcp-mux'));
  t.ok(lines.includes('a=rtcp:30001'));
  t.ok(lines.includes('c=IN IP4 127.0.0.1'), 'ICE placeholder 0.0.0.0 is not hold: replaced');
});

t.test('video m= rejected with port 0: the m= line is kept, its codec and rtcp lines are not (rtpengine GH 1499 control)', async (t) => {
  const p = parseSdp(AUDIO_VIDEO_OFFER);
  t.equal(
    rewriteSdp(p, plan(p, { replaceOrigin: true }, [30000, 0])),
    sdp(
      'v=0',
      'o=alice 2890844526 2890844526 IN IP4 127.0.0.1',
      's=call',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 30000 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=sendrecv',
      'a=rtcp:30001',
      'm=video 0 RTP/AVP 99',
    ),
  );
});

t.test('hold: a=sendonly kept', async (t) => {
  const p = parseSdp(HOLD_OFFER);
  t.equal(
    rewriteSdp(p, plan(p)),
    sdp(
      'v=0',
      'o=- 1545997027 2 IN IP4 198.51.100.1',
      's=tester',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 30000 RTP/AVP 8',
      'a=rtpmap:8 PCMA/8000',
      'a=sendonly',
      'a=rtcp:30001',
    ),
  );
});

t.test('legacy hold c=0.0.0.0 is kept unless replaceZeroAddress; the holder does not receive: a=sendonly', async (t) => {
  const p = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 2000 RTP/AVP 0'));
  const body = ['t=0 0', 'm=audio 30000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendonly', 'a=rtcp:30001'];
  t.equal(rewriteSdp(p, plan(p)), sdp('v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 'c=IN IP4 0.0.0.0', ...body));
  t.equal(
    rewriteSdp(p, plan(p, { replaceZeroAddress: true })),
    sdp('v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 'c=IN IP4 127.0.0.1', ...body),
  );
});

t.test('session-level direction moves to the m= line', async (t) => {
  const p = parseSdp(sdp('v=0', 'c=IN IP4 203.0.113.1', 't=0 0', 'a=inactive', 'm=audio 7000 RTP/AVP 0'));
  t.equal(
    rewriteSdp(p, plan(p)),
    sdp('v=0', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 30000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=inactive', 'a=rtcp:30001'),
  );
});

t.test('plan payloads: exact list and order, rtpmap for static PTs, fmtp, rtcp-fb of dropped PTs removed; direction override', async (t) => {
  const p = parseSdp(WEBRTC_OFFER);
  const pl = plan(p, { removeIce: true, transportProtocol: 'RTP/AVP' });
  pl.medias[0] = {
    port: 30000,
    rtcpPort: 30001,
    direction: 'recvonly',
    rtcpMux: false,
    payloads: [
      { pt: 8, encoding: 'PCMA', clockRate: 8000, channels: 1, fmtp: null },
      { pt: 101, encoding: 'telephone-event', clockRate: 8000, channels: 1, fmtp: '0-15' },
    ],
  };
  t.equal(
    rewriteSdp(p, pl),
    sdp(
      'v=0',
      'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=msid-semantic: WMS stream0',
      'm=audio 30000 RTP/AVP 8 101',
      'c=IN IP4 127.0.0.1',
      'a=mid:0',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=recvonly',
      'a=rtcp:30001',
    ),
  );
});

t.test('LF input gives CRLF output; lines are kept as written (no s= added, as rtpengine)', async (t) => {
  const p = parseSdp('v=0\nc=IN IP4 203.0.113.1\nt=0 0\nm=audio 7000 RTP/AVP 0\n');
  t.equal(
    rewriteSdp(p, plan(p)),
    'v=0\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\na=rtcp:30001\r\n',
  );
});

t.test('bumpVersion handles versions beyond 2^53 exactly', async (t) => {
  const p = parseSdp(sdp('v=0', 'o=- 18446744073709551614 18446744073709551614 IN IP4 203.0.113.1', 's=-', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio 7000 RTP/AVP 0'));
  const out = rewriteSdp(p, plan(p, { bumpVersion: true }));
  t.equal(out.split('\r\n')[1], 'o=- 18446744073709551614 18446744073709551615 IN IP4 203.0.113.1');
});

t.test('IPv6 advertised address', async (t) => {
  const p = parseSdp(SIPP_SDP);
  const out = rewriteSdp(p, { ...plan(p, { replaceOrigin: true }), address: '2001:db8::1' });
  t.same(out.split('\r\n').slice(1, 4), ['o=user1 53655765 2353687637 IN IP6 2001:db8::1', 's=-', 'c=IN IP6 2001:db8::1']);
});

t.test('rewriting does not modify the parsed SDP, and the output parses to the planned ports', async (t) => {
  const p = parseSdp(AUDIO_VIDEO_OFFER);
  const before = JSON.stringify(p);
  const out = rewriteSdp(p, plan(p, { replaceOrigin: true }, [30000, 0]));
  t.equal(JSON.stringify(p), before);
  const again = parseSdp(out);
  t.same(again.medias.map((m) => [m.port, m.rtcpPort, m.connectionAddress]), [[30000, 30001, ADDR], [0, 0, ADDR]]);
});

t.test('a plan that does not fit the SDP is a caller bug (RangeError)', async (t) => {
  const p = parseSdp(AUDIO_VIDEO_OFFER);
  t.throws(() => rewriteSdp(p, { ...plan(p), medias: [{ port: 30000, rtcpPort: 30001 }] }), RangeError);
  t.throws(() => rewriteSdp(p, { ...plan(p), address: 'whisperd.example' }), RangeError);
  t.throws(() => rewriteSdp(p, plan(p, {}, [70000, 0])), RangeError);
  const empty = plan(p);
  empty.medias[0]!.payloads = [];
  t.throws(() => rewriteSdp(p, empty), RangeError);
});

t.test('non-RTP m= line (T.38): port and c= rewritten, no a=rtcp', async (t) => {
  const p = parseSdp(sdp('v=0', 'o=- 3 3 IN IP4 198.51.100.3', 's=-', 't=0 0', 'm=image 5000 udptl t38', 'c=IN IP4 198.51.100.3', 'a=T38FaxVersion:0', 'a=rtcp:5001'));
  t.equal(
    rewriteSdp(p, plan(p)),
    sdp('v=0', 'o=- 3 3 IN IP4 198.51.100.3', 's=-', 't=0 0', 'm=image 30000 udptl t38', 'c=IN IP4 127.0.0.1', 'a=T38FaxVersion:0', 'a=sendrecv'),
  );
});

t.test('every SDP parseSdp accepts is rewritten with a fitting plan without throwing (2000 mutated SDPs)', async (t) => {
  const rnd = prng(11);
  const seeds = [SIPP_SDP, PHONE_OFFER, WEBRTC_OFFER, AUDIO_VIDEO_OFFER, HOLD_OFFER];
  let rewritten = 0;
  for (let i = 0; i < 2000; i++) {
    let text = seeds[i % seeds.length]!;
    for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) text = mutate(text, rnd);
    let p: ParsedSdp;
    try {
      p = parseSdp(text);
    } catch {
      continue;
    }
    const pl = plan(p);
    pl.medias.forEach((m, j) => {
      if (p.medias[j]!.payloads.length === 0) m.payloads = undefined;
    });
    try {
      const out = rewriteSdp(p, pl);
      if (!out.endsWith('\r\n')) t.fail(`round ${i}: no trailing CRLF`);
      rewritten++;
    } catch (err) {
      t.fail(`round ${i}: ${String(err)}\n${JSON.stringify(text)}`);
    }
  }
  t.ok(rewritten > 500, `${rewritten} rewritten`);
});
