/**
 * The o= line as rtpengine 10.5 writes it (t/auto-daemon-tests.pl "SDP version ..." scenarios, mr10.5.3.5):
 * with `replace: ["SDP version"]` each recipient keeps one session version (the first SDP's) and it goes
 * up by one only when the SDP sent to that recipient changes. A sender announcing a new port gets the
 * recipient a new socket pair (rtpengine's endpoint maps; ng flag port-latching keeps the old one), which
 * is one such change.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import type { NgValue } from '../../src/control/ng/bencode';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { udpSocket } from '../fixtures/udp';
import type { TestDaemon } from '../fixtures/daemon';

async function daemon(t: Test): Promise<TestDaemon> {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  return td;
}

const input = (version: number, port: number): string =>
  sdpText('v=0', `o=- 1545997027 ${version} IN IP4 198.51.100.1`, 's=tester', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'c=IN IP4 198.51.100.1');
const output = (version: number): string =>
  sdpText('v=0', `o=- 1545997027 ${version} IN IP4 198.51.100.1`, 's=tester', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT');

t.test('SDP version simple increments: the version stays while the reply is unchanged, + 1 when it changes', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'simple', 'from-tag': 'ft', replace: ['SDP version'] };
  // [offered version, offered port] -> version in the reply
  const steps: Array<[number, number, number]> = [[1, 2000, 1], [1, 2000, 1], [2, 2000, 1], [3, 2000, 1], [1, 2002, 2], [4, 2002, 2]];
  for (const [v, port, expected] of steps) matchSdp(t, await ngSdp(t, td, 'offer', keys, input(v, port)), output(expected), `offer o= version ${v}, port ${port}`);
});

t.test('SDP version multi session: one version for every session part of the body', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'multi', 'from-tag': 'ft', replace: ['SDP version'] };
  const two = (a: number): string => input(999, a) + input(1000, 2002);
  const out = (v: number): string => output(v) + output(v);
  matchSdp(t, await ngSdp(t, td, 'offer', keys, two(2002)), out(999));
  matchSdp(t, await ngSdp(t, td, 'offer', keys, two(2002)), out(999));
  matchSdp(t, await ngSdp(t, td, 'offer', keys, two(2004)), out(1000));
});

t.test('without replace: SDP version the o= line is passed as written', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'plain', 'from-tag': 'ft' };
  matchSdp(t, await ngSdp(t, td, 'offer', keys, input(7, 2000)), output(7));
  matchSdp(t, await ngSdp(t, td, 'offer', keys, input(3, 2002)), output(3));
});

t.test('SDP replace everything: origin, session connection, version', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'all', 'from-tag': 'ft', replace: ['SDP version', 'origin', 'session-connection', 'username', 'session-name'] };
  const body = (v: number): string => sdpText('v=0', `o=- 1545997027 ${v} IN IP4 198.51.100.1`, 's=tester', 'c=IN IP4 198.51.100.1', 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1');
  const expected = sdpText('v=0', 'o=- 1545997027 1 IN IP4 203.0.113.1', 's=tester', 'c=IN IP4 203.0.113.1', 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT');
  for (const v of [1, 1, 2]) matchSdp(t, await ngSdp(t, td, 'offer', keys, body(v)), expected);
});

const port = (sdp: string): number => Number(/^m=audio (\d+)/m.exec(sdp)![1]);

t.test('a re-offer from a new port gives the recipient a new port (the old one is given back); port-latching keeps it', async (t) => {
  const td = await daemon(t);
  const keys: Record<string, NgValue> = { 'call-id': 'newport', 'from-tag': 'ft' };
  const first = port(await ngSdp(t, td, 'offer', keys, input(1, 2000)));
  const used = td.daemon.pool.used;
  t.equal(port(await ngSdp(t, td, 'offer', keys, input(1, 2000))), first, 'same endpoint: same port');
  const moved = port(await ngSdp(t, td, 'offer', keys, input(1, 2002)));
  t.not(moved, first, 'new endpoint: new port');
  t.equal(td.daemon.pool.used, used, 'the old port was given back');
  t.equal(port(await ngSdp(t, td, 'offer', { ...keys, flags: ['port-latching'] }, input(1, 2004))), moved, 'port-latching: same port');
  t.equal(port(await ngSdp(t, td, 'offer', keys, sdpText('v=0', 'o=- 1 1 IN IP4 198.51.100.1', 's=-', 't=0 0', 'm=audio 2004 RTP/AVP 0', 'c=IN IP4 0.0.0.0'))), moved, 'hold (0.0.0.0, same port): same port');
});

t.test('after a re-INVITE from a new port, media flows through the recipient\'s new port', async (t) => {
  const td = await daemon(t);
  const sock = (): Promise<dgram.Socket> => udpSocket(t);
  const alice1 = await sock();
  const alice2 = await sock();
  const bob = await sock();
  const local = (p: number): string => sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${p} RTP/AVP 0`);
  const keys = { 'call-id': 'flow', 'from-tag': 'alice' };
  await ngSdp(t, td, 'offer', keys, local(alice1.address().port));
  const toAlice = port(await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'bob' }, local(bob.address().port)));
  const toBob = port(await ngSdp(t, td, 'offer', { ...keys, 'to-tag': 'bob' }, local(alice2.address().port)));
  await ngSdp(t, td, 'answer', { ...keys, 'to-tag': 'bob' }, local(bob.address().port));
  const rtp = Buffer.from([0x80, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 0xa, 1, 2, 3, 4]);
  const atBob = once(bob, 'message');
  alice2.send(rtp, toAlice, '127.0.0.1');
  t.same(((await atBob) as [Buffer])[0], rtp, 'alice -> bob');
  const atAlice = once(alice2, 'message');
  bob.send(rtp, toBob, '127.0.0.1');
  t.same(((await atAlice) as [Buffer])[0], rtp, 'bob -> alice at her new port, through bob\'s new port');
});

t.test('replace username / session-name: every SDP sent to a party keeps the first one\'s o= username and s=', async (t) => {
  const td = await daemon(t);
  const keys = { 'call-id': 'names', 'from-tag': 'ft', replace: ['username', 'session-name'] };
  const body = (user: string, name: string): string =>
    sdpText('v=0', `o=${user} 1545997027 1 IN IP4 198.51.100.1`, `s=${name}`, 't=0 0', 'm=audio 2000 RTP/AVP 0', 'c=IN IP4 198.51.100.1');
  const out = (user: string, name: string): string =>
    sdpText('v=0', `o=${user} 1545997027 1 IN IP4 198.51.100.1`, `s=${name}`, 't=0 0', 'm=audio PORT RTP/AVP 0', 'c=IN IP4 203.0.113.1', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', 'a=rtcp:PORT');
  matchSdp(t, await ngSdp(t, td, 'offer', keys, body('alice', 'first')), out('alice', 'first'));
  matchSdp(t, await ngSdp(t, td, 'offer', keys, body('bob', 'second')), out('alice', 'first'), 'a later SDP: the first username and s=');
  matchSdp(t, await ngSdp(t, td, 'offer', { 'call-id': 'names', 'from-tag': 'ft' }, body('bob', 'second')), out('bob', 'second'), 'without the flags: as written');
});
