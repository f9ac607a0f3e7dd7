/**
 * DTLS in the daemon (issue #12): the process certificate is made at start from the `dtls` config
 * section (lifetime, key type), the dtls keys are validated like every other key, and handshakes are
 * counted on /metrics (whisperd_dtls_handshakes_total{result}, whisperd_dtls_datagrams_dropped_total{reason}).
 */
import t from 'tap';
import { validateConfig } from '../../src/config/load';
import { dtlsCertificate, dtlsSettings } from '../../src/media/dtls/certificate';
import { DtlsSession } from '../../src/media/dtls/DtlsSession';
import type { SrtpPair } from '../../src/media/secure';
import { startTestDaemon } from '../fixtures/daemon';
import { dtlsEndpoint, routeDtls } from '../fixtures/dtls';

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function metric(text: string, name: string, label: string): number {
  const m = text.match(new RegExp(`^${name}\\{${label}\\} (\\d+)`, 'm'));
  return m ? Number(m[1]) : NaN;
}

t.test('the daemon makes the certificate at start with dtls.certificateLifetime and dtls.cipher', async (t) => {
  const td = await startTestDaemon({ dtls: { certificateLifetime: 2 * 86400, cipher: 'rsa2048', mtu: 1000, handshakeTimeout: 12 } });
  t.teardown(async () => {
    await td.close();
    const back = await startTestDaemon({});
    await back.close();
  });
  const now = Date.now() / 1000;
  const [, notAfter] = dtlsCertificate().validity;
  t.ok(Math.abs(notAfter - (now + 2 * 86400)) < 30, 'valid for the configured lifetime');
  t.equal(dtlsCertificate().cipher, 'rsa2048');
  t.equal(dtlsSettings().mtu, 1000);
  t.equal(dtlsSettings().handshakeTimeout, 12);
});

t.test('dtls keys are validated: defaults, and out-of-range values refused with the key named', async (t) => {
  const c = validateConfig({});
  t.same(c.dtls, { certificateLifetime: 2592000, cipher: 'prime256v1', mtu: 1200, handshakeTimeout: 30, handshakesPerSecondPerSource: 50 });
  t.throws(() => validateConfig({ dtls: { mtu: 100 } }), /dtls\.mtu/);
  t.throws(() => validateConfig({ dtls: { cipher: 'dsa' } }), /dtls\.cipher/);
  t.throws(() => validateConfig({ dtls: { certificateLifetime: 10 } }), /dtls\.certificateLifetime/);
  t.throws(() => validateConfig({ dtls: { bogus: 1 } }), /bogus|dtls/);
});

t.test('/metrics counts DTLS handshakes by result and dropped DTLS datagrams by reason', async (t) => {
  const td = await startTestDaemon({});
  t.teardown(() => td.close());
  const before = await scrape(td.httpPort);
  const okBefore = metric(before, 'whisperd_dtls_handshakes_total', 'result="ok"');
  const malformedBefore = metric(before, 'whisperd_dtls_datagrams_dropped_total', 'reason="malformed"');
  t.ok(Number.isFinite(okBefore), 'the counter is exported');
  const fp = dtlsCertificate().fingerprint();
  const made = [0, 1].map((i) => {
    const ep = dtlsEndpoint(t);
    let done!: (p: SrtpPair) => void;
    const connected = new Promise<SrtpPair>((r) => (done = r));
    const s = new DtlsSession(ep, { role: i === 0 ? 'active' : 'passive', remoteFingerprint: fp, onConnected: done, onFailed: () => undefined });
    t.teardown(() => s.close());
    routeDtls(ep, (m, a, p) => s.receive(m, a, p));
    return { ep, s, connected };
  });
  made[1]!.s.receive(Buffer.from([22, 0xfe, 0xfd]), '127.0.0.1', made[0]!.ep.localPort);
  made[0]!.s.connect('127.0.0.1', made[1]!.ep.localPort);
  await Promise.all(made.map((m) => m.connected));
  const after = await scrape(td.httpPort);
  t.equal(metric(after, 'whisperd_dtls_handshakes_total', 'result="ok"') - okBefore, 2, 'both ends counted ok');
  t.equal(metric(after, 'whisperd_dtls_datagrams_dropped_total', 'reason="malformed"') - malformedBefore, 1, 'the truncated record');
  for (const r of ['failed', 'timeout', 'refused']) t.ok(Number.isFinite(metric(after, 'whisperd_dtls_handshakes_total', `result="${r}"`)), r);
});
