/**
 * Interop with a real SDES-SRTP peer (issue #12 "Real peers in tests"): rtpengine 10.5 (Debian
 * rtpengine-daemon) encrypts the customer's plain RTP toward whisperd with SDES (RFC 4568 a=crypto, RFC 3711
 * AES_CM_128_HMAC_SHA1_80 unless negotiated otherwise), whisperd decrypts toward the plain agent and encrypts
 * the agent's audio back; the customer hears the agent and the agent hears the customer (signal levels at the
 * plain endpoints, so only correctly decrypted and authenticated packets count). Then a supervisor whispers on
 * that call: the agent hears it, the customer (behind the encrypted hop) does not.
 * The same chain without encryption on the hop is the control: it shows the chain itself works.
 */
import t from 'tap';
import { F_AGENT, F_CUSTOMER, F_SUPERVISOR, encryptedHop, fmtLevels, joinSupervisor, joinSupervisorOverSdes, listen, rtpengineInstalled, startChain, startTones } from '../fixtures/interop/rtpengineChain';

const HEARD_DB = -30; // a -12 dBFS tone through G.711 and two relays: about -15 dBFS on the best window
const SILENT_DB = -50; // what a party that must not hear a tone may pick up of it, whole window

if (!rtpengineInstalled()) {
  t.fail('rtpengine is not installed (Debian package rtpengine-daemon): this interop test cannot run');
} else {
  t.test('control: plain hop customer -> rtpengine -> whisperd -> agent, tones both ways', async (t) => {
    const c = await startChain(t, 'plain');
    t.match(c.sdp.rtpeOffer, /^m=audio \d+ RTP\/AVP /m, 'rtpengine offers plain RTP/AVP to whisperd');
    startTones(c);
    const agent = await listen(c, 'agent', [F_CUSTOMER]);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent hears the customer (${fmtLevels(agent.peak)}; ${agent.packets} packets)`);
    const customer = await listen(c, 'customer', [F_AGENT]);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer hears the agent (${fmtLevels(customer.peak)}; ${customer.packets} packets)`);
    if (!t.passing()) t.comment(c.log());
  });

  t.test('SDES hop: whisperd answers rtpengine RTP/SAVP offer with one a=crypto line (RFC 4568 §5.1.1) and offers the agent plain RTP/AVP', async (t) => {
    const c = await startChain(t, 'sdes');
    t.match(c.sdp.rtpeOffer, /^m=audio \d+ RTP\/SAVP 0 101\r?$/m, 'rtpengine offers RTP/SAVP');
    t.match(c.sdp.rtpeOffer, /^a=crypto:\d+ \S+ inline:/m, 'rtpengine offers SDES keys');
    t.match(c.sdp.whisperdOffer, /^m=audio \d+ RTP\/AVP 0 101\r?$/m, 'whisperd offers the agent plain RTP/AVP (transport-protocol)');
    t.notMatch(c.sdp.whisperdOffer, /a=crypto/, 'no a=crypto toward the plain agent');
    t.match(c.sdp.whisperdAnswer, /^m=audio \d+ RTP\/SAVP 0 101\r?$/m, 'whisperd answers rtpengine with RTP/SAVP');
    const cryptos = c.sdp.whisperdAnswer.match(/^a=crypto:.*$/gm) ?? [];
    t.equal(cryptos.length, 1, `exactly one a=crypto in the answer (${cryptos.join(' | ')})`);
    // RFC 4568 §5.1.2: the answer's tag is one of the offered tags, with the suite offered under that tag.
    const m = /^a=crypto:(\d+) (\S+) inline:/.exec(cryptos[0] ?? '');
    const offered = m ? new RegExp(`^a=crypto:${m[1]} ${m[2]} inline:`, 'm') : /^$/;
    t.match(c.sdp.rtpeOffer, offered, `the answer's tag and suite were offered (${m ? `${m[1]} ${m[2]}` : 'none'})`);
    t.match(c.sdp.rtpeAnswer, /^m=audio \d+ RTP\/AVP 0 101\r?$/m, 'rtpengine answers the customer plain RTP/AVP');
    if (!t.passing()) t.comment(c.log());
  });

  t.test('SDES hop: the agent hears the customer and the customer hears the agent (SRTP both ways between rtpengine and whisperd)', async (t) => {
    const c = await startChain(t, 'sdes');
    // rtpengine falls back to plain RTP on a plain answer: the levels below only mean something on an SRTP hop.
    if (!encryptedHop(t, c, 'sdes')) return void t.comment(c.log());
    startTones(c);
    const agent = await listen(c, 'agent', [F_CUSTOMER]);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent hears the customer through rtpengine's SRTP, decrypted by whisperd (${fmtLevels(agent.peak)}; ${agent.packets} packets)`);
    const customer = await listen(c, 'customer', [F_AGENT]);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer hears the agent: whisperd's SRTP authenticated and decrypted by rtpengine (${fmtLevels(customer.peak)}; ${customer.packets} packets)`);
    if (!t.passing()) t.comment(c.log());
  });

  t.test('SDES hop with AES_CM_128_HMAC_SHA1_80 only (rtpengine SDES no- every other suite): tones both ways', async (t) => {
    const c = await startChain(t, 'sdes-cm');
    t.equal((c.sdp.rtpeOffer.match(/^a=crypto:.*$/gm) ?? []).map((l) => l.split(' ')[1]).join(' '), 'AES_CM_128_HMAC_SHA1_80', 'rtpengine offers that one suite');
    t.match(c.sdp.whisperdAnswer, /^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:/m, 'whisperd answers with the one suite offered');
    if (!encryptedHop(t, c, 'sdes-cm')) return void t.comment(c.log());
    startTones(c);
    const agent = await listen(c, 'agent', [F_CUSTOMER]);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent hears the customer (${fmtLevels(agent.peak)}; ${agent.packets} packets)`);
    const customer = await listen(c, 'customer', [F_AGENT]);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer hears the agent (${fmtLevels(customer.peak)}; ${customer.packets} packets)`);
    if (!t.passing()) t.comment(c.log());
  });

  t.test('SDES hop: a supervisor whispers on the encrypted call, the agent hears it and the customer does not', async (t) => {
    const c = await startChain(t, 'sdes');
    // rtpengine falls back to plain RTP on a plain answer: the levels below only mean something on an SRTP hop.
    if (!encryptedHop(t, c, 'sdes')) return void t.comment(c.log());
    startTones(c);
    await joinSupervisor(c, 'whisper');
    const agent = await listen(c, 'agent', [F_CUSTOMER, F_SUPERVISOR], 75);
    t.ok(agent.peak[F_SUPERVISOR]! > HEARD_DB, `agent hears the supervisor's whisper (${fmtLevels(agent.peak)})`);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent still hears the customer (${fmtLevels(agent.peak)})`);
    const customer = await listen(c, 'customer', [F_AGENT, F_SUPERVISOR], 75);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer still hears the agent over the encrypted hop (${fmtLevels(customer.peak)}; ${customer.packets} packets)`);
    t.ok(customer.whole[F_SUPERVISOR]! < SILENT_DB, `customer does not hear the whisper (${fmtLevels(customer.whole)})`);
    const sup = await listen(c, 'supervisor', [F_CUSTOMER, F_AGENT], 75);
    t.ok(sup.peak[F_CUSTOMER]! > HEARD_DB && sup.peak[F_AGENT]! > HEARD_DB, `supervisor hears both parties (${fmtLevels(sup.peak)})`);
    if (!t.passing()) t.comment(c.log());
  });

  t.test("SDES hop and an SDES supervisor leg: the supervisor's whisper, encrypted by rtpengine, reaches the agent and never the customer", async (t) => {
    const c = await startChain(t, 'sdes');
    if (!encryptedHop(t, c, 'sdes')) return void t.comment(c.log());
    startTones(c);
    const supAnswer = await joinSupervisorOverSdes(c, 'whisper');
    const cryptos = supAnswer.match(/^a=crypto:\d+ (\S+) inline:.*$/gm) ?? [];
    t.ok(/^m=audio \d+ RTP\/SAVP /m.test(supAnswer) && cryptos.length === 1 && !/ NULL_/.test(cryptos[0]!), `whisperd answers the supervisor's RTP/SAVP offer with one encrypting a=crypto (${cryptos.join(' | ') || 'none'})`);
    const agent = await listen(c, 'agent', [F_CUSTOMER, F_SUPERVISOR], 75);
    t.ok(agent.peak[F_SUPERVISOR]! > HEARD_DB, `agent hears the whisper sent over SRTP (${fmtLevels(agent.peak)})`);
    t.ok(agent.peak[F_CUSTOMER]! > HEARD_DB, `agent still hears the customer (${fmtLevels(agent.peak)})`);
    const customer = await listen(c, 'customer', [F_AGENT, F_SUPERVISOR], 75);
    t.ok(customer.peak[F_AGENT]! > HEARD_DB, `customer hears the agent (${fmtLevels(customer.peak)})`);
    t.ok(customer.whole[F_SUPERVISOR]! < SILENT_DB, `customer does not hear the whisper (${fmtLevels(customer.whole)})`);
    const sup = await listen(c, 'supervisor', [F_CUSTOMER, F_AGENT], 75);
    t.ok(sup.peak[F_CUSTOMER]! > HEARD_DB && sup.peak[F_AGENT]! > HEARD_DB, `the supervisor hears both parties through whisperd's SRTP and rtpengine (${fmtLevels(sup.peak)})`);
    if (!t.passing()) t.comment(c.log());
  });
}
