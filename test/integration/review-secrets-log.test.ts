/**
 * Review (issue #12, secrets): SDES keys (the parties' and whisperd's own), ICE passwords and the SRTP keys a
 * DTLS handshake exports never reach the log (even at trace level), ng query or the HTTP API, over a whole call: offers/answers with
 * keying, a re-key, junk key parameters, keys the SRTP plane refuses, a DTLS handshake, query, delete.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { validateConfig } from '../../src/config/load';
import { Daemon } from '../../src/Daemon';
import { NgClient, randomPortRange } from '../fixtures/daemon';
import { keyingMaterial, opensslIdentity, opensslPeer } from '../fixtures/dtls';
import { sdpText } from '../fixtures/sdpScenario';
import { udpSocket } from '../fixtures/udp';

const KEY_A = 'Qk0TvVeyfqfjFd/YebnyyklqSEhJntpVKV1KAhHa';
const KEY_A2 = 'Kl3GFJ5Gqz5x07xYkoyHODkVkSpiplZnXsQIw+Q7';
const PWD = 'peerIcePwdSecret0123456789ab';

t.test('at trace level no SDES key, ICE password or DTLS-exported key appears in the log', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const config = validateConfig({
    ng: { listen: '127.0.0.1:0' },
    http: { listen: '127.0.0.1:0' },
    media: { address: '127.0.0.1', advertisedAddress: '127.0.0.1', ...randomPortRange() },
    timeouts: { deleteDelay: 0 },
    audit: { file: '' },
  });
  const daemon = await Daemon.start(config, pino({ level: 'trace' }, sink));
  const ng = await NgClient.open(daemon.ng.port);
  t.teardown(async () => {
    ng.close();
    await daemon.close();
  });
  const a = await udpSocket(t);
  const b = await udpSocket(t);
  const secrets = [KEY_A, KEY_A2, PWD];
  const req = async (d: Record<string, unknown>): Promise<string> => {
    const r = await ng.request(d as never);
    return typeof r.sdp === 'string' ? r.sdp : JSON.stringify(r);
  };
  const o = (v: number, key: string, extra: string[] = []): string => sdpText('v=0', `o=- 1 ${v} IN IP4 127.0.0.1`, 's=-', 't=0 0', `m=audio ${a.address().port} RTP/SAVP 0`, 'c=IN IP4 127.0.0.1',
    `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key}`, 'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:!!!!' + key, `a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:${key}|2^300|1:200`, ...extra);
  const keys = { 'call-id': 'review-secrets', 'from-tag': 'ft', ICE: 'remove' };
  await req({ command: 'offer', ...keys, 'transport-protocol': 'RTP/AVP', sdp: o(1, KEY_A) });
  const answer = await req({ command: 'answer', ...keys, 'to-tag': 'tt', sdp: sdpText('v=0', 'o=- 2 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${b.address().port} RTP/AVP 0`, 'c=IN IP4 127.0.0.1') });
  for (const m of answer.matchAll(/inline:([A-Za-z0-9+/=]+)/g)) secrets.push(m[1]!.slice(0, 40));
  t.ok(secrets.length > 3, 'whisperd answered with its own key');
  await req({ command: 'offer', ...keys, 'transport-protocol': 'RTP/AVP', sdp: o(2, KEY_A2) });
  const query = await req({ command: 'query', 'call-id': 'review-secrets' });
  t.match(query, /AES_CM_128_HMAC_SHA1_80/, 'query shows the SRTP suite');
  // ICE + DTLS leg (whisperd passive): a real handshake, then query and delete.
  const id = await opensslIdentity(t);
  const dk = { 'call-id': 'review-secrets-dtls', 'from-tag': 'ft' };
  await req({ command: 'offer', ...dk, 'transport-protocol': 'RTP/AVP', ICE: 'remove', sdp: sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${a.address().port} UDP/TLS/RTP/SAVP 0`, 'a=setup:active', `a=fingerprint:sha-256 ${id.fingerprint}`) });
  const dAnswer = await req({ command: 'answer', ...dk, 'to-tag': 'tt', sdp: sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${b.address().port} RTP/AVP 0`) });
  const portA = Number(/^m=audio (\d+)/m.exec(dAnswer)![1]);
  const client = opensslPeer(t, ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${portA}`, '-cert', id.cert, '-key', id.key,
    '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60']);
  await client.waitFor(/Keying material:/, 15000);
  const material = keyingMaterial(client.output())!;
  const dQuery = await req({ command: 'query', 'call-id': 'review-secrets-dtls' });
  const api = await fetch(`http://127.0.0.1:${daemon.http.boundPortNumber}/v1/calls/review-secrets`).then((r) => r.text());
  t.match(api, /AES_CM_128_HMAC_SHA1_80/, 'the HTTP API shows the SRTP suite');
  const iceOffer = await req({ command: 'offer', 'call-id': 'review-secrets-ice', 'from-tag': 'ft', ICE: 'force', sdp: sdpText('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${a.address().port} RTP/AVP 0`, 'a=ice-ufrag:peerufrag', `a=ice-pwd:${PWD}`, `a=candidate:1 1 UDP 2130706431 127.0.0.1 ${a.address().port} typ host`) });
  const ourPwd = /a=ice-pwd:(\S+)/.exec(iceOffer)?.[1];
  if (ourPwd) secrets.push(ourPwd);
  for (const c of ['review-secrets', 'review-secrets-dtls', 'review-secrets-ice']) await req({ command: 'delete', 'call-id': c, 'from-tag': 'ft' });
  for (const s of secrets) t.notOk(query.includes(s) || dQuery.includes(s) || api.includes(s), `not in query / the HTTP API: ${s.slice(0, 6)}…`);
  const log = lines.join('');
  t.ok(log.length > 0, `the log has ${lines.length} lines`);
  for (const s of secrets) t.notOk(log.includes(s), `not in the log: ${s.slice(0, 6)}…`);
  const hex = [Buffer.from(KEY_A, 'base64').subarray(0, 16).toString('hex'), material.subarray(0, 16).toString('hex'), material.subarray(16, 32).toString('hex')];
  for (const h of hex) t.notOk(log.toLowerCase().includes(h), `key bytes not in the log as hex: ${h.slice(0, 6)}…`);
});
