/**
 * DTLS-SRTP (RFC 5763 / RFC 5764) between a DtlsSession on a real RtpEndpoint and the openssl command-line
 * tool as the independent peer, in both roles: `openssl s_server -dtls` when whisperd is active (DTLS
 * client), `openssl s_client -dtls` when whisperd is passive. The negotiated use_srtp profile and the
 * keying material ("EXTRACTOR-dtls_srtp", printed by openssl's -keymatexport) must be exactly what the
 * session hands to SRTP, split as RFC 5764 §4.2 says. Then: fingerprint mismatch, a dropped flight
 * (retransmission), garbage on the wire; and two sessions in one process carrying SRTP both ways.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import t from 'tap';
import type { Test } from 'tap';
import { dtlsCertificate } from '../../src/media/dtls/certificate';
import { dtlsCounters } from '../../src/media/dtls/counters';
import { DtlsSession } from '../../src/media/dtls/DtlsSession';
import type { RtpEndpoint } from '../../src/media/RtpEndpoint';
import type { DtlsRole, Fingerprint, SrtpKey, SrtpPair } from '../../src/media/secure';
import { SrtpContext } from '../../src/media/srtp';
import { dtlsEndpoint, keyingMaterial, opensslIdentity, opensslPeer, routeDtls, run } from '../fixtures/dtls';

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const port = s.address().port;
  s.close();
  return port;
}

interface Sess {
  ep: RtpEndpoint;
  session: DtlsSession;
  connected: Promise<SrtpPair>;
  failed: Promise<string>;
}

function session(t: Test, role: DtlsRole, remote: Fingerprint | null, route?: (s: DtlsSession, m: Buffer, a: string, p: number) => void): Sess {
  const ep = dtlsEndpoint(t);
  let onC!: (p: SrtpPair) => void;
  let notC!: (e: Error) => void;
  let onF!: (r: string) => void;
  // `connected` rejects with the reason when the session fails, so a test awaiting it fails instead of hanging.
  const connected = new Promise<SrtpPair>((resolve, reject) => {
    onC = resolve;
    notC = reject;
  });
  connected.catch(() => undefined);
  const failed = new Promise<string>((r) => (onF = r));
  const s = new DtlsSession(ep, {
    role,
    remoteFingerprint: remote,
    onConnected: onC,
    onFailed: (r) => {
      onF(r);
      notC(new Error(`DTLS session failed: ${r}`));
    },
  });
  t.teardown(() => s.close());
  routeDtls(ep, (m, a, p) => (route ? route(s, m, a, p) : s.receive(m, a, p)));
  return { ep, session: s, connected, failed };
}

/** The exporter output as RFC 5764 §4.2 lays it out, rebuilt from this side's keys. */
function material(pair: SrtpPair, role: DtlsRole): Buffer {
  const client = (role === 'active' ? pair.tx : pair.rx) as SrtpKey;
  const server = (role === 'active' ? pair.rx : pair.tx) as SrtpKey;
  return Buffer.concat([client.masterKey, server.masterKey, client.masterSalt, server.masterSalt]);
}

async function sServer(t: Test, profile: string, len: number) {
  const id = await opensslIdentity(t);
  const port = await freeUdpPort();
  const srv = opensslPeer(t, ['s_server', '-dtls', '-accept', `127.0.0.1:${port}`, '-cert', id.cert, '-key', id.key, '-use_srtp', profile, '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', String(len), '-verify', '1']);
  await srv.waitFor(/ACCEPT/);
  return { id, port, srv };
}

t.test('active whisperd vs openssl s_server: SRTP_AES128_CM_SHA1_80 and the exported keys match what openssl prints', async (t) => {
  const { id, port, srv } = await sServer(t, 'SRTP_AES128_CM_SHA1_80', 60);
  const okBefore = dtlsCounters.handshakes.ok;
  const a = session(t, 'active', { hash: 'sha-256', value: id.fingerprint });
  a.session.connect('127.0.0.1', port);
  const pair = await a.connected;
  await srv.waitFor(/Keying material: [0-9A-F]+/);
  t.match(srv.output(), /SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80/);
  t.equal(a.session.profile, 'SRTP_AES128_CM_SHA1_80');
  t.equal(pair.tx!.suite, 'AES_CM_128_HMAC_SHA1_80');
  t.equal(pair.rx!.suite, 'AES_CM_128_HMAC_SHA1_80');
  t.equal(material(pair, 'active').toString('hex'), keyingMaterial(srv.output())!.toString('hex'), 'client key | server key | client salt | server salt');
  t.match(srv.output(), /subject=CN = whisperd/, 'openssl got our certificate');
  t.equal(dtlsCounters.handshakes.ok - okBefore, 1, 'counted ok');
});

t.test('passive whisperd vs openssl s_client: the client picks AEAD_AES_256_GCM and the keys match', async (t) => {
  const id = await opensslIdentity(t);
  const p = session(t, 'passive', { hash: 'sha-256', value: id.fingerprint });
  const cli = opensslPeer(t, ['s_client', '-dtls', '-connect', `127.0.0.1:${p.ep.localPort}`, '-cert', id.cert, '-key', id.key, '-use_srtp', 'SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '88']);
  const pair = await p.connected;
  await cli.waitFor(/Keying material: [0-9A-F]+/);
  t.match(cli.output(), /SRTP Extension negotiated, profile=SRTP_AEAD_AES_256_GCM/);
  t.equal(p.session.suite, 'AEAD_AES_256_GCM');
  t.equal(pair.rx!.masterKey.length, 32);
  t.equal(pair.rx!.masterSalt.length, 12);
  t.equal(material(pair, 'passive').toString('hex'), keyingMaterial(cli.output())!.toString('hex'));
  // s_client checked our certificate: it is the process certificate (its a=fingerprint).
  const pem = cli.output().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
  t.ok(pem, 'openssl printed the server certificate');
  t.equal(pem![0].replace(/\s/g, ''), dtlsCertificate().pem.replace(/\s/g, ''));
});

t.test('active whisperd vs s_server offering only AEAD_AES_128_GCM: 16-byte keys, 12-byte salts', async (t) => {
  const { id, port, srv } = await sServer(t, 'SRTP_AEAD_AES_128_GCM', 56);
  const a = session(t, 'active', { hash: 'sha-1', value: (await fingerprintOf(id.cert, 'sha1')) });
  a.session.connect('127.0.0.1', port);
  const pair = await a.connected;
  await srv.waitFor(/Keying material: [0-9A-F]+/);
  t.equal(pair.tx!.suite, 'AEAD_AES_128_GCM');
  t.equal(material(pair, 'active').toString('hex'), keyingMaterial(srv.output())!.toString('hex'));
});

async function fingerprintOf(cert: string, alg: string): Promise<string> {
  return (await run('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', `-${alg}`])).trim().replace(/^.*=/, '');
}

t.test("s_server's certificate not matching a=fingerprint: the session fails, counted, and openssl gets an alert", async (t) => {
  const { port, srv } = await sServer(t, 'SRTP_AES128_CM_SHA1_80', 60);
  const before = dtlsCounters.handshakes.failed;
  const a = session(t, 'active', dtlsCertificate().fingerprint('sha-256')); // not openssl's certificate
  a.session.connect('127.0.0.1', port);
  t.match(await a.failed, /fingerprint mismatch/);
  t.equal(a.session.state, 'failed');
  t.equal(dtlsCounters.handshakes.failed - before, 1);
  await srv.waitFor(/alert|error/i);
  t.notMatch(srv.output(), /Keying material/, 'no keys on the openssl side either');
});

t.test('a peer without use_srtp (s_server with no -use_srtp): DTLS completes but the session fails, no keys, counted', async (t) => {
  const id = await opensslIdentity(t);
  const port = await freeUdpPort();
  const srv = opensslPeer(t, ['s_server', '-dtls', '-accept', `127.0.0.1:${port}`, '-cert', id.cert, '-key', id.key]);
  await srv.waitFor(/ACCEPT/);
  const before = dtlsCounters.handshakes.failed;
  let keys: SrtpPair | null = null;
  const a = session(t, 'active', { hash: 'sha-256', value: id.fingerprint });
  void a.connected.then(
    (p) => (keys = p),
    () => undefined,
  );
  a.session.connect('127.0.0.1', port);
  t.match(await a.failed, /no DTLS-SRTP protection profile/);
  t.equal(keys, null);
  t.equal(dtlsCounters.handshakes.failed - before, 1);
});

t.test('a dropped flight is retransmitted: the first datagram from s_server is lost, the session resends and completes', async (t) => {
  const { id, port, srv } = await sServer(t, 'SRTP_AES128_CM_SHA1_80', 60);
  let dropped = 0;
  const a = session(t, 'active', { hash: 'sha-256', value: id.fingerprint }, (s, m, ad, p) => {
    if (dropped === 0) {
      dropped++;
      return;
    }
    s.receive(m, ad, p);
  });
  a.session.connect('127.0.0.1', port);
  const pair = await a.connected;
  t.equal(dropped, 1);
  t.ok(a.session.stats.retransmissions >= 1, `retransmitted ${a.session.stats.retransmissions}`);
  await srv.waitFor(/Keying material: [0-9A-F]+/);
  t.equal(material(pair, 'active').toString('hex'), keyingMaterial(srv.output())!.toString('hex'));
});

t.test('garbage and truncated records from the peer address and junk from elsewhere: counted, no crash, handshake completes', async (t) => {
  const id = await opensslIdentity(t);
  const malformedBefore = dtlsCounters.dropped.malformed;
  const foreignBefore = dtlsCounters.dropped.foreign;
  let injected = false;
  const p = session(t, 'passive', { hash: 'sha-256', value: id.fingerprint }, (s, m, a, port) => {
    s.receive(m, a, port);
    if (injected) return;
    injected = true;
    // Mid-handshake, as if from the peer: a truncated record, a record cut in its header, random bytes
    // in the DTLS first-byte range.
    s.receive(m.subarray(0, m.length - 5), a, port);
    s.receive(m.subarray(0, 7), a, port);
    s.receive(Buffer.from([23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0xff, 0xff, 1, 2]), a, port);
  });
  const junk = dgram.createSocket('udp4');
  junk.bind(0, '127.0.0.1');
  await once(junk, 'listening');
  t.teardown(() => junk.close());
  const cli = opensslPeer(t, ['s_client', '-dtls', '-connect', `127.0.0.1:${p.ep.localPort}`, '-cert', id.cert, '-key', id.key, '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60']);
  await p.connected;
  await cli.waitFor(/Keying material/);
  t.equal(dtlsCounters.dropped.malformed - malformedBefore, 3, 'the three bad records');
  for (let i = 0; i < 5; i++) junk.send(Buffer.from([22, 0xfe, 0xfd, i, 1, 2, 3, 4, 5, 6, 7, 0, 1, 9]), p.ep.localPort, '127.0.0.1');
  await waitUntil(() => dtlsCounters.dropped.foreign - foreignBefore >= 5);
  t.equal(dtlsCounters.dropped.foreign - foreignBefore, 5, 'datagrams from another source');
  t.equal(p.session.state, 'connected', 'still connected');
});

async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('two sessions in one process handshake, then SRTP and SRTCP pass both ways with the exported keys (SrtpContext)', async (t) => {
  const fp = dtlsCertificate().fingerprint('sha-256');
  const client = session(t, 'active', fp);
  const server = session(t, 'passive', fp);
  client.session.connect('127.0.0.1', server.ep.localPort);
  const [c, s] = await Promise.all([client.connected, server.connected]);
  const ctx = (k: SrtpKey | null): SrtpContext => {
    const x = SrtpContext.create(k!);
    t.teardown(() => x.destroy());
    return x;
  };
  const cTx = ctx(c.tx), cRx = ctx(c.rx), sTx = ctx(s.tx), sRx = ctx(s.rx);
  for (const [from, to, name] of [[cTx, sRx, 'client -> server'], [sTx, cRx, 'server -> client']] as const) {
    for (let seq = 0; seq < 3; seq++) {
      const buf = Buffer.alloc(172 + 32);
      buf[0] = 0x80;
      buf.writeUInt16BE(1000 + seq, 2);
      buf.writeUInt32BE(160 * seq, 4);
      buf.writeUInt32BE(0x1234abcd, 8);
      for (let i = 12; i < 172; i++) buf[i] = (i * 7 + seq) & 255;
      const plain = Buffer.from(buf.subarray(0, 172));
      const n = from.protect(buf, 172, false);
      t.ok(n > 172, `${name}: protected (${n} bytes)`);
      t.not(buf.subarray(12, 172).toString('hex'), plain.subarray(12).toString('hex'), 'payload encrypted');
      t.equal(to.unprotect(buf, n, false), 172, `${name}: authenticated and decrypted`);
      t.equal(buf.subarray(0, 172).toString('hex'), plain.toString('hex'));
    }
    const rtcp = Buffer.alloc(28 + 64);
    rtcp.set([0x80, 200, 0, 6]);
    rtcp.writeUInt32BE(0x1234abcd, 4);
    const plainRtcp = Buffer.from(rtcp.subarray(0, 28));
    const n = from.protect(rtcp, 28, true);
    t.ok(n > 28, `${name}: SRTCP`);
    t.equal(to.unprotect(rtcp, n, true), 28);
    t.equal(rtcp.subarray(0, 28).toString('hex'), plainRtcp.toString('hex'));
  }
});

t.test('a ClientHello flood from one address is refused past the per-source rate; a handshake from another address is not disturbed', async (t) => {
  // The flooder: a real ClientHello (from openssl's s_client, captured) replayed from 127.0.0.2 at a passive session.
  const id = await opensslIdentity(t);
  let hello: Buffer | null = null;
  const capture = session(t, 'passive', { hash: 'sha-256', value: id.fingerprint }, (s, m, a, p) => {
    if (hello === null) hello = Buffer.from(m);
    s.receive(m, a, p);
  });
  const cli = opensslPeer(t, ['s_client', '-dtls', '-connect', `127.0.0.1:${capture.ep.localPort}`, '-cert', id.cert, '-key', id.key, '-use_srtp', 'SRTP_AES128_CM_SHA1_80']);
  await capture.connected;
  cli.proc.kill('SIGKILL');
  const victim = session(t, 'passive', { hash: 'sha-256', value: id.fingerprint });
  const flooder = dgram.createSocket('udp4');
  flooder.bind(0, '127.0.0.2');
  await once(flooder, 'listening');
  t.teardown(() => flooder.close());
  const refusedBefore = dtlsCounters.handshakes.refused;
  const N = 400;
  for (let i = 0; i < N; i++) flooder.send(hello!, victim.ep.localPort, '127.0.0.1');
  // Meanwhile another call's handshake (from 127.0.0.1) completes.
  const fp = dtlsCertificate().fingerprint('sha-256');
  const a = session(t, 'active', fp);
  const b = session(t, 'passive', fp);
  a.session.connect('127.0.0.1', b.ep.localPort);
  await Promise.all([a.connected, b.connected]);
  await waitUntil(() => victim.session.stats.received + victim.session.stats.refused >= N);
  // Burst of twice the rate (100 at the default 50/s) plus what refilled while the flood ran.
  t.ok(victim.session.stats.refused >= N - 150, `refused ${victim.session.stats.refused} of ${N}`);
  t.equal(dtlsCounters.handshakes.refused - refusedBefore, victim.session.stats.refused, 'counted as refused handshakes');
  t.ok(victim.session.stats.sent <= victim.session.stats.received, 'at most one answer per admitted datagram');
});

t.test("the passive session's last flight is lost: s_client retransmits its Finished and the connected session sends its flight again", async (t) => {
  const id = await opensslIdentity(t);
  const p = session(t, 'passive', { hash: 'sha-256', value: id.fingerprint });
  // Lose the first datagram of whisperd's last flight (it opens with the ChangeCipherSpec record, type 20).
  const ep = p.ep as RtpEndpoint & { sendRaw(buf: Buffer, address: string, port: number, rtcp?: boolean): void };
  const realSend = ep.sendRaw.bind(ep);
  let lost = 0;
  let resent = 0;
  ep.sendRaw = (buf, address, port, rtcp) => {
    if (buf[0] === 20) {
      if (lost === 0) {
        lost++;
        return;
      }
      resent++;
    }
    realSend(buf, address, port, rtcp);
  };
  const cli = opensslPeer(t, ['s_client', '-dtls', '-connect', `127.0.0.1:${p.ep.localPort}`, '-cert', id.cert, '-key', id.key, '-use_srtp', 'SRTP_AES128_CM_SHA1_80', '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60']);
  const pair = await p.connected;
  t.equal(lost, 1, 'the final flight was lost');
  await cli.waitFor(/Keying material: [0-9A-F]+/, 15000);
  t.ok(resent >= 1, `sent again after the peer's retransmission (${resent})`);
  t.equal(material(pair, 'passive').toString('hex'), keyingMaterial(cli.output())!.toString('hex'));
});
