// examples/kamailio/kamailio-webrtc.cfg, the WebRTC <-> SIP gateway example (issue #12): Kamailio 5.6 parses it,
// and, run for real in front of whisperd, its rtpengine_manage() strings (havfo/WEBRTC-to-SIP's, unchanged) give
// the offer/answer a WebRTC gateway needs: a browser's UDP/TLS/RTP/SAVPF offer reaches the SIP side as plain
// RTP/AVP without ICE, DTLS or rtcp-mux ("rtcp-mux-demux DTLS=off SDES-off ICE=remove RTP/AVP"), and the SIP
// side's plain answer reaches the browser as DTLS-SRTP with ICE, rtcp-mux and its a=mid ("rtcp-mux-offer
// generate-mid DTLS=passive SDES-off ICE=force RTP/SAVPF": RFC 5763 §5 a=setup:passive, RFC 8839 ICE, RFC 5761
// rtcp-mux, RFC 8843 §7.3 the answer's a=mid). The browser is a SIP UA on 127.0.0.2 over UDP, marked as the web
// side by the example's WEB_PEER_IP define (WebSocket needs kamailio-websocket-modules; see the parse test).
// WHISPERD_E2E_DAEMON=rtpengine runs the same checks against Debian's rtpengine 10.5 (a comparison run, named in
// the test title): every expectation below is what rtpengine does with the same flags.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { REPO_ROOT, findExecutable, findKamailioModuleDir, freePort, ngRequest, selectDaemon, startKamailio, startRtpengine, tail } from '../fixtures/e2e/harness';
import { SipUa } from '../fixtures/interop/sipUa';
import { Phone } from '../fixtures/phone';
import { F_AGENT, F_CUSTOMER, peakLevel, SSRC } from '../fixtures/supervisedCall';

const CFG = path.join(REPO_ROOT, 'examples', 'kamailio', 'kamailio-webrtc.cfg');
const WEB_IP = '127.0.0.2';

/** A browser's offer (Chrome's shape, candidates gathered before the offer). */
function browserOffer(port: number): string {
  const fp = Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) & 0xff).toString(16).toUpperCase().padStart(2, '0')).join(':');
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS stream0',
    `m=audio ${port} UDP/TLS/RTP/SAVPF 111 0 8`,
    `c=IN IP4 ${WEB_IP}`,
    `a=rtcp:${port} IN IP4 ${WEB_IP}`,
    `a=candidate:1467250027 1 udp 2122260223 ${WEB_IP} ${port} typ host generation 0`,
    'a=ice-ufrag:x8Qf',
    'a=ice-pwd:kq2tU0nNqPZQ6lXbHYmC3sRT',
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fp}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=msid:stream0 track0',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=ssrc:1001 cname:browser',
    '',
  ].join('\r\n');
}

function phoneAnswer(port: number): string {
  return ['v=0', 'o=pbx 2000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
}

const moduleDir = findKamailioModuleDir();
const missing = !findExecutable('kamailio') ? 'kamailio is not installed' : !moduleDir ? "Kamailio's module directory (rtpengine.so) not found" : undefined;

t.test('kamailio -c parses the WebRTC gateway example (SIP-only build: -A WITHOUT_WEBSOCKET)', async (t) => {
  if (missing) return void t.fail(missing);
  const r = spawnSync('kamailio', ['-c', '-f', CFG, '-L', moduleDir!, '-A', 'WITHOUT_WEBSOCKET', '-A', 'WEB_PEER_IP="127.0.0.2"'], { encoding: 'utf8' });
  t.equal(r.status, 0, `kamailio -c exits 0${r.status ? `:\n${tail(r.stderr, 15)}` : ''}`);
  t.match(r.stderr, /config file ok/, 'kamailio -c: config file ok');
});

const selection = selectDaemon();

/** The media daemon under test: whisperd in this process (the source tree), or rtpengine for a comparison run. */
async function mediaDaemon(t: Parameters<typeof startRtpengine>[0]): Promise<{ ngPort: number; calls(): Promise<unknown[]>; query(callId: string): Promise<unknown> }> {
  if (selection.kind === 'rtpengine') {
    const r = await startRtpengine(t);
    return {
      ngPort: r.ng.port,
      calls: async () => { const l = await ngRequest(r.ng, { command: 'list' }); return Array.isArray(l.calls) ? l.calls : []; },
      query: (callId: string) => ngRequest(r.ng, { command: 'query', 'call-id': callId }),
    };
  }
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  return {
    ngPort: td.ngPort,
    calls: async () => { const l = await td.ng.request({ command: 'list' }); return Array.isArray(l.calls) ? l.calls : []; },
    query: (callId: string) => td.ng.request({ command: 'query', 'call-id': callId }),
  };
}

t.test(`a browser's DTLS/ICE offer through the example's flags reaches the SIP side plain, and the SIP answer reaches the browser as WebRTC (${selection.kind})`, async (t) => {
  if (missing) return void t.fail(missing);
  const td = await mediaDaemon(t);
  const web = await SipUa.open(WEB_IP);
  const pbx = await SipUa.open('127.0.0.1');
  t.teardown(() => {
    web.close();
    pbx.close();
  });
  const kamPort = await freePort();
  const kam = await startKamailio(t, {
    sipPort: kamPort,
    ngPort: td.ngPort,
    upstreamUri: `sip:127.0.0.1:${pbx.port}`,
    cfgFile: CFG,
    defines: ['WITHOUT_WEBSOCKET', `WEB_PEER_IP="${WEB_IP}"`],
  });
  t.teardown(() => {
    if (!t.passing()) t.comment(`----- kamailio output -----\n${tail(kam.proc.output(), 60)}`);
  });

  const callId = `webrtc-${process.pid}-${Date.now()}@${WEB_IP}`;
  const answered = pbx.answer((invite) => phoneAnswer(Number(/^m=audio (\d+)/m.exec(invite.body)?.[1] ?? 0) + 1000));
  const call = await web.invite({ host: '127.0.0.1', port: kamPort }, 'agent100', callId, browserOffer(50000));
  const invite = await answered;

  // ---- what the SIP side was offered (web --> SIP flags)
  const toSip = invite.body;
  t.match(toSip, /^m=audio \d+ RTP\/AVP [\d ]*\b0\b/m, `the SIP side is offered plain RTP/AVP with PCMU (${(/^m=.*$/m.exec(toSip) ?? ['no m='])[0]})`);
  t.notMatch(toSip, /^a=(ice-ufrag|ice-pwd|candidate|fingerprint|setup|crypto)/m, 'no ICE, DTLS or SDES attributes toward the SIP side (ICE=remove DTLS=off SDES-off)');
  t.notMatch(toSip, /^a=rtcp-mux/m, 'no a=rtcp-mux toward the SIP side (rtcp-mux-demux)');
  t.match(toSip, /^c=IN IP4 127\.0\.0\.1\r?$/m, "the SIP side sends to whisperd's address");

  // ---- what the browser got back (SIP --> web flags on the 200 OK)
  t.equal(call.final.status, 200, 'the browser gets 200 OK');
  const toWeb = call.final.body;
  // The flag RTP/SAVPF (transport-protocol) names the answer's profile: rtpengine 10.5 answers "RTP/SAVPF" too, and
  // browsers accept it in an answer to their UDP/TLS/RTP/SAVPF offer.
  t.match(toWeb, /^m=audio \d+ RTP\/SAVPF 0\r?$/m, `the browser's answer is RTP/SAVPF (transport-protocol) with the codec the SIP side chose (${(/^m=.*$/m.exec(toWeb) ?? ['no m='])[0]})`);
  t.match(toWeb, /^a=setup:passive\r?$/m, 'a=setup:passive (DTLS=passive: whisperd waits for the browser\'s ClientHello)');
  t.match(toWeb, /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r?$/m, "whisperd's certificate fingerprint (sha-256)");
  t.match(toWeb, /^a=ice-ufrag:\S+\r?$/m, 'ICE credentials (ICE=force)');
  t.match(toWeb, /^a=ice-pwd:\S{22,}\r?$/m, 'an ICE password of at least 22 characters (RFC 8839 §5.4)');
  t.match(toWeb, /^a=candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 \d+ typ host/im, 'a host candidate on whisperd\'s address');
  t.match(toWeb, /^a=rtcp-mux\r?$/m, 'a=rtcp-mux (the browser offered it, rtcp-mux-offer)');
  t.match(toWeb, /^a=mid:0\r?$/m, "the browser's a=mid:0 is echoed (RFC 8843 §7.3)");
  t.notMatch(toWeb, /^a=crypto:/m, 'no SDES keys toward the browser (SDES-off)');

  // ---- Kamailio chose the flag strings by direction
  const out = kam.proc.output();
  t.match(out, / INVITE rtpengine_manage: replace-origin replace-session-connection trust-address rtcp-mux-demux DTLS=off SDES-off ICE=remove RTP\/AVP/, 'the INVITE from the browser was offered with the web --> SIP flags');
  t.match(out, /reply 200 to INVITE rtpengine_manage: replace-origin replace-session-connection trust-address rtcp-mux-offer generate-mid DTLS=passive SDES-off ICE=force RTP\/SAVPF/, "the SIP side's 200 OK was answered with the SIP --> web flags");

  // ---- BYE releases the call in whisperd (rtpengine_delete)
  const bye = await call.bye();
  t.equal(bye.status, 200, 'BYE answered 200');
  let calls: unknown[] = [1];
  for (let i = 0; i < 50 && calls.length; i++) {
    calls = await td.calls();
    if (calls.length) await new Promise((r) => setTimeout(r, 100));
  }
  t.same(calls, [], 'the media daemon has no call left after the BYE');
  if (!t.passing()) t.comment(`browser <- ${call.final.raw}\nSIP side <- ${invite.raw}`);
});

// The gateway with media: the "browser" is rtpengine 10.5 speaking WebRTC's media stack (UDP/TLS/RTP/SAVPF, full
// ICE, DTLS-SRTP, rtcp-mux) for a plain customer Phone; its SDP travels in a SIP INVITE through Kamailio with the
// example config to the media daemon under test, whose plain offer reaches the SIP side (a plain agent Phone). The
// answer goes back the same way. Tones both ways are measured at the two plain Phones: audio passes only if ICE,
// DTLS and SRTP worked between rtpengine and the daemon with the example's flags. (With WHISPERD_E2E_DAEMON=rtpengine
// the gateway's daemon is a second rtpengine: the comparison run.)
t.test(`the gateway carries audio both ways between a WebRTC endpoint (rtpengine, DTLS-SRTP + ICE) and a plain SIP phone (${selection.kind})`, async (t) => {
  if (missing) return void t.fail(missing);
  const td = await mediaDaemon(t);
  const browser = await startRtpengine(t); // the WebRTC endpoint's media stack
  const web = await SipUa.open(WEB_IP);
  const pbx = await SipUa.open('127.0.0.1');
  const customer = await Phone.open();
  const agent = await Phone.open();
  t.teardown(() => {
    web.close();
    pbx.close();
    customer.close();
    agent.close();
  });
  const kamPort = await freePort();
  const kam = await startKamailio(t, { sipPort: kamPort, ngPort: td.ngPort, upstreamUri: `sip:127.0.0.1:${pbx.port}`, cfgFile: CFG, defines: ['WITHOUT_WEBSOCKET', `WEB_PEER_IP="${WEB_IP}"`] });
  t.teardown(() => {
    if (!t.passing()) t.comment(`----- kamailio -----\n${tail(kam.proc.output(), 40)}\n----- browser rtpengine -----\n${tail(browser.proc.output(), 40)}`);
  });

  const callId = `webrtc-media-${process.pid}-${Date.now()}@${WEB_IP}`;
  const plain = (port: number, id: number): string => ['v=0', `o=- ${id} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
  const o = await ngRequest(browser.ng, { command: 'offer', 'call-id': callId, 'from-tag': 'phone', sdp: plain(customer.port, 1), 'transport-protocol': 'UDP/TLS/RTP/SAVPF', ICE: 'force', SDES: ['off'], 'rtcp-mux': ['offer'] });
  t.equal(o.result, 'ok', 'the WebRTC endpoint (rtpengine) makes its offer');
  const webrtcOffer = String(o.sdp);
  const answered = pbx.answer(() => plain(agent.port, 2));
  const call = await web.invite({ host: '127.0.0.1', port: kamPort }, 'agent100', callId, webrtcOffer);
  const invite = await answered;
  t.equal(call.final.status, 200, 'the WebRTC side gets 200 OK');
  t.match(call.final.body, /^a=fingerprint:sha-256 /m, 'the answer carries DTLS (a=fingerprint), so media flows only after a DTLS handshake');
  t.match(call.final.body, /^a=ice-ufrag:/m, 'and ICE');
  const a = await ngRequest(browser.ng, { command: 'answer', 'call-id': callId, 'from-tag': 'phone', 'to-tag': 'gw', sdp: call.final.body });
  t.equal(a.result, 'ok', `the WebRTC endpoint accepts the gateway's answer (${String(a['error-reason'] ?? '')})`);

  const toGateway = Number(/^m=audio (\d+)/m.exec(invite.body)?.[1]);
  const toBrowser = Number(/^m=audio (\d+)/m.exec(String(a.sdp))?.[1]);
  customer.start(toBrowser, { codec: 'pcmu', pt: 0, freq: F_CUSTOMER, dbfs: -12, ssrc: SSRC.customer });
  agent.start(toGateway, { codec: 'pcmu', pt: 0, freq: F_AGENT, dbfs: -12, ssrc: SSRC.agent });
  const hears = async (p: Phone, freq: number): Promise<number> => {
    p.clear();
    await p.waitPackets(60, 0, 15_000).catch(() => undefined);
    const { pcm, rate } = p.decode('pcmu', 0);
    return pcm.length ? peakLevel(pcm, rate, freq) : -Infinity;
  };
  const atAgent = await hears(agent, F_CUSTOMER);
  t.ok(atAgent > -30, `the SIP phone hears the WebRTC side (${atAgent.toFixed(1)} dBFS; ${agent.count(0)} packets)`);
  const atCustomer = await hears(customer, F_AGENT);
  t.ok(atCustomer > -30, `the WebRTC side hears the SIP phone (${atCustomer.toFixed(1)} dBFS; ${customer.count(0)} packets)`);
  const q = await td.query(callId);
  t.match(JSON.stringify(q), /"crypto suite":"[A-Z0-9_]+"/, 'the media daemon reports the DTLS-SRTP suite of the WebRTC leg (query)');
  await call.bye();
});
