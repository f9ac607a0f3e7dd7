/**
 * DtlsSession (src/media/dtls/DtlsSession.ts) between two real RtpEndpoints in one process: the DTLS
 * client (a=setup:active) and server (passive) of RFC 5763 handshake over the endpoints' own sockets,
 * verify each other's certificate by a=fingerprint, and export mirrored SRTP keys (RFC 5764 §4.2:
 * the client's tx is the server's rx). Hostile input (garbage, truncated records, foreign sources,
 * ClientHello floods) is dropped and counted, never thrown.
 */
import t from 'tap';
import type { Test } from 'tap';
import { DTLS_DEFAULTS, dtlsCertificate, dtlsNative, rotateDtlsCertificate, startDtls } from '../../../src/media/dtls/certificate';
import { dtlsCounters } from '../../../src/media/dtls/counters';
import { DtlsSession, isCheckableFingerprint, srtpPairFromExport } from '../../../src/media/dtls/DtlsSession';
import { HandshakeLimiter } from '../../../src/media/dtls/rateLimit';
import type { RtpEndpoint } from '../../../src/media/RtpEndpoint';
import type { DtlsRole, Fingerprint, SrtpPair } from '../../../src/media/secure';
import { dtlsEndpoint, dtlsEndpoint6, routeDtls } from '../../fixtures/dtls';

interface Side {
  ep: RtpEndpoint;
  session: DtlsSession;
  connected: Promise<SrtpPair>;
  failed: Promise<string>;
  fp: Fingerprint;
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function side(t: Test, role: DtlsRole, remote: () => Fingerprint | null, ep = dtlsEndpoint(t)): Side {
  // `connected` rejects with the reason when the session fails, so a test awaiting it fails instead of hanging.
  const c = deferred<SrtpPair>();
  const f = deferred<string>();
  const onFailed = (r: string): void => {
    f.resolve(r);
    c.reject(new Error(`DTLS session failed: ${r}`));
  };
  const session = new DtlsSession(ep, { role, remoteFingerprint: remote(), onConnected: c.resolve, onFailed });
  t.teardown(() => session.close());
  routeDtls(ep, (m, a, p) => session.receive(m, a, p));
  return { ep, session, connected: c.promise, failed: f.promise, fp: session.fingerprint('sha-256') };
}

/** A client and a server on two endpoints, each expecting the other's real fingerprint (unless overridden). */
function pair(t: Test, opts: { clientExpects?: Fingerprint | null; serverExpects?: Fingerprint | null } = {}) {
  // One process certificate serves both: each side's fingerprint is that certificate's.
  const fp = dtlsCertificate().fingerprint('sha-256');
  const client = side(t, 'active', () => (opts.clientExpects === undefined ? fp : opts.clientExpects));
  const server = side(t, 'passive', () => (opts.serverExpects === undefined ? fp : opts.serverExpects));
  return { client, server };
}

function keyHex(k: SrtpPair['rx']): string {
  return k === null ? 'null' : `${k.suite}/${k.masterKey.toString('hex')}/${k.masterSalt.toString('hex')}`;
}

t.test('active and passive sessions complete a handshake and export mirrored SRTP keys (RFC 5764 §4.2)', async (t) => {
  const { client, server } = pair(t);
  server.session.connect('127.0.0.1', client.ep.localPort);
  client.session.connect('127.0.0.1', server.ep.localPort);
  t.equal(client.session.state, 'connecting');
  const [c, s] = await Promise.all([client.connected, server.connected]);
  t.equal(client.session.state, 'connected');
  t.equal(server.session.state, 'connected');
  t.equal(keyHex(c.tx), keyHex(s.rx), "client's tx = server's rx");
  t.equal(keyHex(c.rx), keyHex(s.tx), "client's rx = server's tx");
  t.not(keyHex(c.tx), keyHex(c.rx), 'the two directions differ');
  t.equal(c.tx!.suite, 'AEAD_AES_256_GCM', 'the strongest profile both offer (rtpengine order)');
  t.equal(c.tx!.masterKey.length, 32);
  t.equal(c.tx!.masterSalt.length, 12);
  t.equal(client.session.profile, 'SRTP_AEAD_AES_256_GCM');
  t.equal(client.session.suite, 'AEAD_AES_256_GCM');
});

t.test('a peer certificate that does not match a=fingerprint fails the handshake and is counted', async (t) => {
  const wrong: Fingerprint = { hash: 'sha-256', value: dtlsCertificate().fingerprint('sha-256').value.replace(/^../, (x) => (x === '00' ? '01' : '00')) };
  const before = dtlsCounters.handshakes.failed;
  const { client, server } = pair(t, { clientExpects: wrong });
  server.session.connect('127.0.0.1', client.ep.localPort);
  client.session.connect('127.0.0.1', server.ep.localPort);
  const reason = await client.failed;
  t.match(reason, /fingerprint mismatch/);
  t.equal(client.session.state, 'failed');
  const serverReason = await server.failed;
  t.match(serverReason, /alert|failed/i, `the server learns from the client's alert: ${serverReason}`);
  t.equal(dtlsCounters.handshakes.failed, before + 2, 'both failures counted');
});

t.test('any of sha-1 … sha-512 as the SDP hash verifies the peer', async (t) => {
  for (const hash of ['sha-1', 'sha-224', 'sha-384', 'sha-512']) {
    const fp = dtlsCertificate().fingerprint(hash);
    const { client, server } = pair(t, { clientExpects: fp, serverExpects: fp });
    server.session.connect('127.0.0.1', client.ep.localPort);
    client.session.connect('127.0.0.1', server.ep.localPort);
    await Promise.all([client.connected, server.connected]);
    t.equal(client.session.state, 'connected', hash);
  }
});

t.test('without a fingerprint the keys wait for setRemoteFingerprint (delayed verification)', async (t) => {
  const { client, server } = pair(t, { serverExpects: null });
  let serverKeys: SrtpPair | null = null;
  void server.connected.then(
    (p) => (serverKeys = p),
    () => undefined,
  );
  server.session.connect('127.0.0.1', client.ep.localPort);
  client.session.connect('127.0.0.1', server.ep.localPort);
  await client.connected;
  t.equal(serverKeys, null, 'no keys before the fingerprint is known');
  t.equal(server.session.state, 'connecting');
  t.equal(server.session.peerFingerprint('sha-256')?.value, dtlsCertificate().fingerprint('sha-256').value, 'the peer certificate was seen');
  server.session.setRemoteFingerprint(dtlsCertificate().fingerprint('sha-256'));
  await server.connected;
  t.equal(server.session.state, 'connected');
});

t.test('a late fingerprint that does not match fails the session', async (t) => {
  const { client, server } = pair(t, { serverExpects: null });
  server.session.connect('127.0.0.1', client.ep.localPort);
  client.session.connect('127.0.0.1', server.ep.localPort);
  await client.connected;
  server.session.setRemoteFingerprint({ hash: 'sha-1', value: Array(20).fill('AB').join(':') });
  t.match(await server.failed, /fingerprint mismatch/);
});

t.test('a malformed fingerprint is refused at construction (RangeError)', async (t) => {
  const ep = dtlsEndpoint(t);
  t.throws(() => new DtlsSession(ep, { role: 'active', remoteFingerprint: { hash: 'sha-256', value: 'AB:CD' }, onConnected() {}, onFailed() {} }), RangeError);
  t.throws(() => new DtlsSession(ep, { role: 'active', remoteFingerprint: { hash: 'md5', value: 'AB' }, onConnected() {}, onFailed() {} }), RangeError);
  t.notOk(isCheckableFingerprint({ hash: 'sha-256', value: 'AB:CD' }));
  t.ok(isCheckableFingerprint(dtlsCertificate().fingerprint('sha-512')));
});

t.test('garbage and truncated records are counted and dropped; the handshake still completes', async (t) => {
  const { client, server } = pair(t);
  server.session.connect('127.0.0.1', client.ep.localPort);
  const before = dtlsCounters.dropped.malformed;
  const junk = [
    Buffer.from([22]), // shorter than a record header
    Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 1, 2, 3]), // length 256, 3 bytes follow
    Buffer.from([22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), // TLS, not DTLS, version
    Buffer.from([63, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), // content type 63
    Buffer.concat([Buffer.from([23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 4, 1, 2, 3, 4]), Buffer.from([22, 0xfe])]), // trailing half header
    Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0x48, 0x01, ...Buffer.alloc(20)]), // longer than 2^14 + 2048
  ];
  for (const j of junk) server.session.receive(j, '127.0.0.1', client.ep.localPort);
  t.equal(dtlsCounters.dropped.malformed - before, junk.length, 'each counted');
  t.equal(server.session.stats.malformed, junk.length);
  // Well-formed records with garbage inside reach OpenSSL; what it cannot take as a ClientHello is noise.
  for (let i = 0; i < 50; i++) {
    const body = Buffer.alloc(40 + i);
    for (let k = 0; k < body.length; k++) body[k] = (k * 131 + i * 17) & 255;
    const rec = Buffer.concat([Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, i, 0, body.length]), body]);
    server.session.receive(rec, '127.0.0.1', client.ep.localPort);
  }
  t.not(server.session.state, 'failed', 'noise does not fail the session');
  t.equal(server.session.stats.sent, 0, 'noise is never answered (no alert, no amplification)');
  client.session.connect('127.0.0.1', server.ep.localPort);
  await Promise.all([client.connected, server.connected]);
  t.pass('handshake completed after the noise');
});

t.test('datagrams from a source other than the peer are dropped and counted', async (t) => {
  const { client, server } = pair(t);
  server.session.connect('127.0.0.1', client.ep.localPort);
  const before = dtlsCounters.dropped.foreign;
  const hello = Buffer.from([22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  server.session.receive(hello, '127.0.0.2', client.ep.localPort);
  server.session.receive(hello, '127.0.0.1', client.ep.localPort + 2);
  t.equal(dtlsCounters.dropped.foreign - before, 2);
  t.equal(server.session.state, 'new', 'nothing started');
  client.session.connect('127.0.0.1', server.ep.localPort);
  await Promise.all([client.connected, server.connected]);
});

t.test('a passive session not told its peer takes the first ClientHello source', async (t) => {
  const { client, server } = pair(t);
  client.session.connect('127.0.0.1', server.ep.localPort);
  await Promise.all([client.connected, server.connected]);
  t.equal(server.session.state, 'connected');
});

t.test('ClientHellos over the per-source rate are refused before OpenSSL and counted as refused', async (t) => {
  const stop = startDtls({ ...DTLS_DEFAULTS, handshakesPerSecondPerSource: 2 });
  t.teardown(() => {
    stop();
    startDtls({ ...DTLS_DEFAULTS })();
  });
  // A real ClientHello (from a native client), replayed as a flood from one source address.
  const n = dtlsNative();
  const c = n.dtlsConnCreate(dtlsCertificate().handle, true, 1200);
  const out = n.dtlsFeed(c, null, 0, 0);
  n.destroy(c);
  if (typeof out === 'number') throw new Error('no ClientHello');
  const hello = out[0]!;
  const before = dtlsCounters.handshakes.refused;
  const servers = [0, 1, 2, 3, 4, 5, 6, 7].map(() => side(t, 'passive', () => dtlsCertificate().fingerprint()));
  for (const s of servers) s.session.receive(hello, '127.0.0.9', 40000);
  // Burst of twice the rate (4) admitted, the rest refused.
  t.equal(dtlsCounters.handshakes.refused - before, 4);
  t.same(servers.map((s) => s.session.stats.refused), [0, 0, 0, 0, 1, 1, 1, 1]);
  t.same(servers.map((s) => s.session.stats.sent > 0), [true, true, true, true, false, false, false, false], 'only admitted ClientHellos were answered');
});

t.test('HandshakeLimiter: a token bucket per source address that refills at the rate and forgets the oldest source', async (t) => {
  let now = 0;
  const l = new HandshakeLimiter(5, 3, () => now);
  for (let i = 0; i < 10; i++) t.ok(l.allow('a'), `burst ${i}`);
  t.notOk(l.allow('a'), 'burst of twice the rate used up');
  t.ok(l.allow('b'), 'another source has its own bucket');
  now += 200; // one token at 5/s
  t.ok(l.allow('a'));
  t.notOk(l.allow('a'));
  l.allow('c');
  l.allow('d');
  t.equal(l.size, 3, 'bounded');
});

t.test('an active session whose peer never answers fails after dtls.handshakeTimeout and is counted', async (t) => {
  const stop = startDtls({ ...DTLS_DEFAULTS, handshakeTimeout: 0.3 });
  t.teardown(() => {
    stop();
    startDtls({ ...DTLS_DEFAULTS })();
  });
  const before = dtlsCounters.handshakes.timeout;
  const silent = dtlsEndpoint(t);
  const a = side(t, 'active', () => dtlsCertificate().fingerprint());
  a.session.connect('127.0.0.1', silent.localPort);
  t.match(await a.failed, /not complete after 0.3 s/);
  t.equal(a.session.state, 'failed');
  t.equal(dtlsCounters.handshakes.timeout - before, 1);
});

t.test('a session keeps the certificate it was made with when the process certificate rotates', async (t) => {
  const fp = dtlsCertificate().fingerprint('sha-256');
  const client = side(t, 'active', () => fp);
  rotateDtlsCertificate();
  t.not(dtlsCertificate().fingerprint('sha-256').value, fp.value, 'rotated');
  t.equal(client.session.fingerprint('sha-256').value, fp.value, 'the session presents its own');
  const server = side(t, 'passive', () => fp);
  client.session.fingerprint();
  // The server presents the new certificate: the client must expect that one... so it cannot verify.
  server.session.connect('127.0.0.1', client.ep.localPort);
  client.session.connect('127.0.0.1', server.ep.localPort);
  t.match(await client.failed, /fingerprint mismatch/, 'the client expected the old certificate');
});

t.test('close() is idempotent, sends close_notify when connected, and later datagrams are counted as closed', async (t) => {
  const { client, server } = pair(t);
  let closed = 0;
  let gotAlert: () => void = () => undefined;
  const peerGotClose = new Promise<void>((resolve) => (gotAlert = resolve));
  routeDtls(server.ep, (m, a, p) => {
    if (m[0] === 21) {
      closed++; // alert record (the encrypted close_notify)
      gotAlert();
    }
    server.session.receive(m, a, p);
  });
  client.session.connect('127.0.0.1', server.ep.localPort);
  await Promise.all([client.connected, server.connected]);
  client.session.close();
  client.session.close();
  t.equal(client.session.state, 'closed');
  await peerGotClose;
  t.ok(closed >= 1, 'an alert record went to the peer');
  const before = dtlsCounters.dropped.closed;
  client.session.receive(Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), '127.0.0.1', server.ep.localPort);
  t.equal(dtlsCounters.dropped.closed - before, 1);
});

t.test('srtpPairFromExport splits client key | server key | client salt | server salt by role', async (t) => {
  const m = Buffer.from(Array.from({ length: 60 }, (_, i) => i));
  const active = srtpPairFromExport('SRTP_AES128_CM_SHA1_80', m, 'active')!;
  t.same([...active.tx!.masterKey], Array.from({ length: 16 }, (_, i) => i), 'client key first');
  t.same([...active.rx!.masterKey], Array.from({ length: 16 }, (_, i) => 16 + i), 'server key second');
  t.same([...active.tx!.masterSalt], Array.from({ length: 14 }, (_, i) => 32 + i), 'client salt third');
  t.same([...active.rx!.masterSalt], Array.from({ length: 14 }, (_, i) => 46 + i), 'server salt last');
  const passive = srtpPairFromExport('SRTP_AES128_CM_SHA1_80', m, 'passive')!;
  t.equal(keyHex(passive.tx), keyHex(active.rx));
  t.equal(srtpPairFromExport('SRTP_AES128_CM_SHA1_80', m.subarray(1), 'active'), null, 'wrong length');
  t.equal(srtpPairFromExport('SRTP_NULL_SHA1_80', m, 'active'), null, 'unknown profile');
});

t.test('over IPv6 endpoints (::1) the handshake completes the same way', async (t) => {
  const fp = dtlsCertificate().fingerprint('sha-256');
  const client = side(t, 'active', () => fp, dtlsEndpoint6(t));
  const server = side(t, 'passive', () => fp, dtlsEndpoint6(t));
  client.session.connect('::1', server.ep.localPort);
  const [c, s] = await Promise.all([client.connected, server.connected]);
  t.equal(keyHex(c.tx), keyHex(s.rx));
});

t.test('with rtcp: true a session runs on the RTCP sockets (RFC 5764 §4.1: a non-muxed RTCP component has its own DTLS)', async (t) => {
  const fp = dtlsCertificate().fingerprint('sha-256');
  const mk = (role: DtlsRole) => {
    const ep = dtlsEndpoint(t);
    let done!: (p: SrtpPair) => void;
    const connected = new Promise<SrtpPair>((r) => (done = r));
    const session = new DtlsSession(ep, { role, remoteFingerprint: fp, onConnected: done, onFailed: () => undefined, rtcp: true });
    t.teardown(() => session.close());
    const sockets: boolean[] = [];
    routeDtls(ep, (m, a, p, rtcp) => {
      sockets.push(rtcp);
      session.receive(m, a, p);
    });
    return { ep, session, connected, sockets };
  };
  const client = mk('active');
  const server = mk('passive');
  client.session.connect('127.0.0.1', server.ep.localPort + 1);
  await Promise.all([client.connected, server.connected]);
  t.ok(server.sockets.length > 0 && server.sockets.every((r) => r), 'the server received on its RTCP socket only');
  t.ok(client.sockets.length > 0 && client.sockets.every((r) => r), 'the client received on its RTCP socket only');
});

t.test('a passive session told another peer mid-handshake (ICE re-selection) restarts and completes with the new one', async (t) => {
  const fp = dtlsCertificate().fingerprint('sha-256');
  const server = side(t, 'passive', () => fp, dtlsEndpoint(t, 0));
  const first = side(t, 'active', () => fp, dtlsEndpoint(t, 1));
  let firstHello!: () => void;
  const gotFirst = new Promise<void>((r) => (firstHello = r));
  routeDtls(server.ep, (m, a, p) => {
    server.session.receive(m, a, p);
    firstHello();
  });
  first.session.connect('127.0.0.1', server.ep.localPort);
  await gotFirst;
  t.equal(server.session.state, 'connecting', 'handshaking with the first source');
  const second = side(t, 'active', () => fp, dtlsEndpoint(t, 1));
  server.session.connect('127.0.0.1', second.ep.localPort);
  t.equal(server.session.state, 'new', 'restarted for the named peer');
  second.session.connect('127.0.0.1', server.ep.localPort);
  const [s, c] = await Promise.all([server.connected, second.connected]);
  t.equal(keyHex(s.rx), keyHex(c.tx), 'keys agree with the second peer');
  t.ok(server.session.stats.foreign > 0 || first.session.state !== 'connected', 'the first peer no longer gets through');
});
