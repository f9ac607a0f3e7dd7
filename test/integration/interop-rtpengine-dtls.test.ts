/**
 * Interop with a real DTLS-SRTP + full-ICE peer (issue #12 "Real peers in tests"): rtpengine 10.5 (Debian
 * rtpengine-daemon) is offered the customer's plain SDP with `transport-protocol: UDP/TLS/RTP/SAVPF`,
 * `ICE: force`, `SDES: off`, `rtcp-mux: offer`, so toward whisperd it offers WebRTC's profile: a=fingerprint,
 * a=setup:actpass (RFC 5763 §5), ICE candidates and credentials (RFC 8445), a full ICE agent in the
 * controlling role. whisperd (transport-protocol RTP/AVP toward the plain agent) answers with its certificate's
 * fingerprint and ICE; rtpengine's connectivity checks reach whisperd, the DTLS handshake runs over the same
 * socket (RFC 7983 demultiplexing), the exported keys (RFC 5764 §4.2) protect the media both ways.
 * Tones both ways are measured at the plain endpoints, then a supervisor whispers on that call.
 */
import t from 'tap';
import { metricSample } from '../fixtures/daemon';
import { F_AGENT, F_CUSTOMER, F_SUPERVISOR, encryptedHop, fmtLevels, joinSupervisor, listen, rtpengineInstalled, startChain, startTones } from '../fixtures/interop/rtpengineChain';

const HEARD_DB = -30; // a -12 dBFS tone through G.711 and two relays: about -12 dBFS on the best window
const SILENT_DB = -50;
// ICE checks (rtpengine paces them every 20 ms per pair) and the DTLS handshake (two round trips) come first.
const FIRST_AUDIO_MS = 15_000;

/** whisperd's side of the hop: decrypt toward the plain agent, no ICE and no rtcp-mux toward it. */
const TOWARD_AGENT = { 'transport-protocol': 'RTP/AVP', ICE: 'remove', 'rtcp-mux': ['demux'] };

if (!rtpengineInstalled()) {
  t.fail('rtpengine is not installed (Debian package rtpengine-daemon): this interop test cannot run');
} else {
  t.test('DTLS hop: whisperd answers rtpengine UDP/TLS/RTP/SAVPF actpass offer with a=setup:active, its fingerprint and ICE (RFC 5763 §5, RFC 8839)', async (t) => {
    const c = await startChain(t, 'dtls', { whisperdOffer: TOWARD_AGENT });
    t.match(c.sdp.rtpeOffer, /^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 101\r?$/m, 'rtpengine offers UDP/TLS/RTP/SAVPF');
    t.match(c.sdp.rtpeOffer, /^a=setup:actpass\r?$/m, 'rtpengine offers a=setup:actpass');
    t.match(c.sdp.rtpeOffer, /^a=candidate:/m, 'rtpengine offers ICE candidates (ICE=force)');
    t.match(c.sdp.whisperdOffer, /^m=audio \d+ RTP\/AVP 0 101\r?$/m, 'whisperd offers the agent plain RTP/AVP');
    t.notMatch(c.sdp.whisperdOffer, /^a=(fingerprint|setup|ice-ufrag|candidate|crypto)/m, 'no DTLS, ICE or SDES attributes toward the plain agent');
    t.match(c.sdp.whisperdAnswer, /^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 101\r?$/m, 'whisperd answers UDP/TLS/RTP/SAVPF');
    t.match(c.sdp.whisperdAnswer, /^a=setup:active\r?$/m, 'whisperd takes the active (client) role against actpass');
    t.match(c.sdp.whisperdAnswer, /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r?$/m, 'whisperd gives its sha-256 fingerprint');
    t.match(c.sdp.whisperdAnswer, /^a=ice-ufrag:\S+\r?$/m, 'whisperd gives ICE credentials');
    t.match(c.sdp.whisperdAnswer, /^a=candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 \d+ typ host/m, 'whisperd gives a host candidate');
    t.match(c.sdp.rtpeAnswer, /^m=audio \d+ RTP\/AVP 0 101\r?$/m, 'rtpengine answers the customer plain');
    if (!t.passing()) t.comment(c.log());
  });

  t.test('DTLS hop, whisperd active: ICE completes, DTLS connects, the agent and the customer hear each other', async (t) => {
    const c = await startChain(t, 'dtls', { whisperdOffer: TOWARD_AGENT });
    if (!encryptedHop(t, c, 'dtls')) return void t.comment(c.log());
    startTones(c);
    const agent = await listen(c, 'agent', [F_CUSTOMER], 60, FIRST_AUDIO_MS);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent hears the customer (rtpengine SRTP -> whisperd) (${fmtLevels(agent.peak)}; ${agent.packets} packets)`);
    const customer = await listen(c, 'customer', [F_AGENT], 60, FIRST_AUDIO_MS);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer hears the agent (whisperd SRTP -> rtpengine) (${fmtLevels(customer.peak)}; ${customer.packets} packets)`);
    // whisperd's own account of the hop: the leg facing rtpengine runs an SRTP suite from the DTLS export, and the
    // handshake is counted (D: whisperd_dtls_handshakes_total{result="ok"})
    const q = await c.td.ng.request({ command: 'query', 'call-id': c.callId });
    t.match(JSON.stringify(q), /"crypto suite":"(AEAD_AES_(256|128)_GCM|AES_CM_128_HMAC_SHA1_(80|32))"/, 'query shows the DTLS-SRTP suite on the leg facing rtpengine');
    const ok = await metricSample(c.td, 'whisperd_dtls_handshakes_total', 'result="ok"');
    t.ok(ok !== undefined && ok >= 1, `whisperd counted the completed handshake (whisperd_dtls_handshakes_total{result="ok"} ${ok ?? 'absent'})`);
    if (!t.passing()) t.comment(c.log());
  });

  t.test('DTLS hop, whisperd passive (DTLS=passive in its answer): rtpengine connects, the agent and the customer hear each other', async (t) => {
    const c = await startChain(t, 'dtls', { whisperdOffer: TOWARD_AGENT, whisperdAnswer: { DTLS: 'passive' } });
    t.match(c.sdp.whisperdAnswer, /^a=setup:passive\r?$/m, 'whisperd answers a=setup:passive');
    if (!encryptedHop(t, c, 'dtls')) return void t.comment(c.log());
    startTones(c);
    const agent = await listen(c, 'agent', [F_CUSTOMER], 60, FIRST_AUDIO_MS);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent hears the customer (${fmtLevels(agent.peak)}; ${agent.packets} packets)`);
    const customer = await listen(c, 'customer', [F_AGENT], 60, FIRST_AUDIO_MS);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer hears the agent (${fmtLevels(customer.peak)}; ${customer.packets} packets)`);
    if (!t.passing()) t.comment(c.log());
  });

  t.test('DTLS hop: a supervisor whispers on the call, the agent hears it and the customer does not', async (t) => {
    const c = await startChain(t, 'dtls', { whisperdOffer: TOWARD_AGENT });
    if (!encryptedHop(t, c, 'dtls')) return void t.comment(c.log());
    startTones(c);
    const first = await listen(c, 'customer', [F_AGENT], 30, FIRST_AUDIO_MS);
    t.ok(first.peak[F_AGENT]! > HEARD_DB, `the call is up: customer hears the agent (${fmtLevels(first.peak)})`);
    await joinSupervisor(c, 'whisper');
    const agent = await listen(c, 'agent', [F_CUSTOMER, F_SUPERVISOR], 75);
    t.ok(agent.peak[F_SUPERVISOR]! > HEARD_DB, `agent hears the supervisor's whisper (${fmtLevels(agent.peak)})`);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent still hears the customer (${fmtLevels(agent.peak)})`);
    const customer = await listen(c, 'customer', [F_AGENT, F_SUPERVISOR], 75);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer still hears the agent (${fmtLevels(customer.peak)})`);
    t.ok(customer.whole[F_SUPERVISOR]! < SILENT_DB, `customer does not hear the whisper (${fmtLevels(customer.whole)})`);
    if (!t.passing()) t.comment(c.log());
  });
}
