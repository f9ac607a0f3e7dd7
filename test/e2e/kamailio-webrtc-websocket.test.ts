// examples/kamailio/kamailio-webrtc.cfg with its WebSocket listener (the default build of the example): Kamailio
// parses it when its websocket module is installed (Debian kamailio-websocket-modules, in scripts/system-deps.sh),
// and, run for real in front of whisperd, a browser's SIP stack on ws:// (RFC 7118: SIP over WebSocket, RFC 6455
// handshake with the "sip" subprotocol) registers and calls a SIP phone: the example's WebSocket paths (the xhttp
// handshake route, $proto "ws" as the web side, add_contact_alias, the branch's ";rtp=ws" Record-Route parameter, and
// in-dialog requests over the browser's connection) pick the web --> SIP and SIP --> web flags whisperd gets.
// The SIP-only build (WEB_PEER_IP over UDP) and the media through a WebRTC endpoint are in kamailio-webrtc.test.ts.

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import { REPO_ROOT, findExecutable, findKamailioModuleDir, freePort, startKamailio, tail } from '../fixtures/e2e/harness';
import { type SipMessage, SipUa, header, headers, parseSip } from '../fixtures/interop/sipUa';

const CFG = path.join(REPO_ROOT, 'examples', 'kamailio', 'kamailio-webrtc.cfg');
const moduleDir = findKamailioModuleDir();
const missing = !findExecutable('kamailio') ? 'kamailio is not installed' : !moduleDir ? "Kamailio's module directory (rtpengine.so) not found" : undefined;
const hasWebsocket = (): boolean => fs.existsSync(path.join(moduleDir!, 'websocket.so'));
const WS_MODULE = `websocket.so in ${moduleDir} (Debian package kamailio-websocket-modules, scripts/system-deps.sh)`;

t.test('the example parses with the WebSocket listener (kamailio-websocket-modules)', async (t) => {
  if (missing) return void t.fail(missing);
  if (!t.ok(hasWebsocket(), WS_MODULE)) return;
  const r = spawnSync('kamailio', ['-c', '-f', CFG, '-L', moduleDir!], { encoding: 'utf8' });
  t.equal(r.status, 0, `kamailio -c exits 0${r.status ? `:\n${tail(r.stderr, 15)}` : ''}`);
  t.match(r.stderr, /config file ok/, 'kamailio -c: config file ok with the WebSocket listener');
});

/** A browser's SIP stack: one ws:// connection (RFC 6455, masked client frames) carrying SIP text frames (RFC 7118). */
class WsSip {
  readonly received: SipMessage[] = [];
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private closed = false;
  private constructor(private readonly sock: net.Socket, readonly port: number) {}

  /** Connect and upgrade; resolves with the HTTP response head of the handshake. */
  static connect(port: number, timeoutMs = 5000): Promise<{ ws: WsSip; status: number; head: string; accepted: boolean }> {
    const key = randomBytes(16).toString('base64');
    const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      const ws = new WsSip(sock, port);
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no WebSocket handshake reply on 127.0.0.1:${port}`)); }, timeoutMs);
      let head: string | undefined;
      sock.on('error', (e) => { clearTimeout(timer); if (head === undefined) reject(e); });
      sock.on('close', () => { ws.closed = true; ws.wake?.(); });
      sock.on('connect', () =>
        sock.write([`GET / HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: sip', 'Origin: http://127.0.0.1', '', ''].join('\r\n')));
      sock.on('data', (d) => {
        ws.buf = Buffer.concat([ws.buf, d]);
        if (head === undefined) {
          const end = ws.buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          head = ws.buf.subarray(0, end).toString('latin1');
          ws.buf = ws.buf.subarray(end + 4);
          clearTimeout(timer);
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
          const accepted = new RegExp(`^Sec-WebSocket-Accept: ${expected.replace(/[+/]/g, '\\$&')}\\r?$`, 'mi').test(head) && /^Sec-WebSocket-Protocol: sip\r?$/mi.test(head);
          resolve({ ws, status, head, accepted });
        }
        ws.frames();
      });
    });
  }

  private frames(): void {
    for (;;) {
      if (this.buf.length < 2) return;
      const op = this.buf[0]! & 0x0f;
      let len = this.buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) { if (this.buf.length < 4) return; len = this.buf.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (this.buf.length < 10) return; len = Number(this.buf.readBigUInt64BE(2)); off = 10; }
      if (this.buf.length < off + len) return;
      const payload = this.buf.subarray(off, off + len); // (server frames are not masked)
      this.buf = this.buf.subarray(off + len);
      if (op === 1) this.received.push(parseSip(payload.toString('utf8'), { address: '127.0.0.1', port: this.port }));
      else if (op === 9) this.frame(10, payload); // PING (keepalive_mechanism 1) -> PONG
      this.wake?.();
    }
  }

  private frame(op: number, payload: Buffer): void {
    const mask = randomBytes(4);
    const n = payload.length;
    const head = n < 126 ? Buffer.from([0x80 | op, 0x80 | n]) : Buffer.from([0x80 | op, 0x80 | 126, n >> 8, n & 0xff]);
    this.sock.write(Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]));
  }

  send(text: string): void {
    this.frame(1, Buffer.from(text, 'utf8'));
  }

  async next(pred: (m: SipMessage) => boolean, what: string, timeoutMs = 10_000, since = 0): Promise<SipMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.received.slice(since).find(pred);
      if (m) return m;
      if (this.closed) throw new Error(`the WebSocket closed before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} over ws://`);
      await new Promise<void>((r) => { const timer = setTimeout(r, left); this.wake = () => { clearTimeout(timer); r(); }; });
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/** A browser's offer over WebSocket (Chrome's shape: DTLS-SRTP, ICE, rtcp-mux, BUNDLE). */
function browserOffer(port: number): string {
  const fp = Array.from({ length: 32 }, (_, i) => ((i * 53 + 7) & 0xff).toString(16).toUpperCase().padStart(2, '0')).join(':');
  return [
    'v=0', 'o=- 5018816204472811391 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=msid-semantic: WMS stream0',
    `m=audio ${port} UDP/TLS/RTP/SAVPF 111 0 8`, 'c=IN IP4 127.0.0.1', `a=rtcp:${port} IN IP4 127.0.0.1`,
    `a=candidate:2999745851 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0`,
    'a=ice-ufrag:Wk3r', 'a=ice-pwd:pX8wL2mZq9RvT4yB6nC1dF0s', 'a=ice-options:trickle', `a=fingerprint:sha-256 ${fp}`, 'a=setup:actpass',
    'a=mid:0', 'a=sendrecv', 'a=msid:stream0 track0', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=ssrc:2002 cname:browser', '',
  ].join('\r\n');
}

t.test('a browser on ws:// registers and calls a SIP phone through the example: web --> SIP and SIP --> web flags, BYE over the WebSocket', async (t) => {
  if (missing) return void t.fail(missing);
  if (!t.ok(hasWebsocket(), WS_MODULE)) return;
  const td = await startTestDaemon();
  const pbx = await SipUa.open('127.0.0.1');
  t.teardown(async () => {
    pbx.close();
    await td.close();
  });
  const kamPort = await freePort();
  const wsPort = await freePort();
  const kam = await startKamailio(t, { sipPort: kamPort, ngPort: td.ngPort, upstreamUri: `sip:127.0.0.1:${pbx.port}`, cfgFile: CFG, defines: [`WS_LISTEN=tcp:127.0.0.1:${wsPort}`] });
  t.teardown(() => {
    if (!t.passing()) t.comment(`----- kamailio -----\n${tail(kam.proc.output(), 60)}`);
  });

  // ---- the handshake (event_route[xhttp:request] -> ws_handle_handshake)
  const { ws, status, head, accepted } = await WsSip.connect(wsPort);
  t.teardown(() => ws.close());
  t.equal(status, 101, `ws:// upgrade answered 101 Switching Protocols (${head.split('\r\n')[0]})`);
  t.ok(accepted, 'Sec-WebSocket-Accept matches the key (RFC 6455 §4.2.2) and the "sip" subprotocol is selected (RFC 7118)');

  const host = `${randomBytes(5).toString('hex')}.invalid`; // a browser's unroutable Via / Contact host (RFC 7118 §5)
  const user = 'web';
  const tag = randomBytes(4).toString('hex');
  const via = (): string => `Via: SIP/2.0/WS ${host};branch=z9hG4bK${randomBytes(6).toString('hex')}`;
  const contact = `<sip:${user}@${host};transport=ws>`;

  // ---- REGISTER over the WebSocket (registrar save)
  const regCallId = randomBytes(8).toString('hex');
  ws.send([`REGISTER sip:127.0.0.1:${kamPort} SIP/2.0`, via(), 'Max-Forwards: 70', `From: <sip:${user}@127.0.0.1>;tag=${tag}`, `To: <sip:${user}@127.0.0.1>`, `Call-ID: ${regCallId}`, 'CSeq: 1 REGISTER', `Contact: ${contact};expires=600`, 'Content-Length: 0', '', ''].join('\r\n'));
  const reg = await ws.next((m) => header(m, 'call-id') === regCallId && (m.status ?? 0) >= 200, 'the REGISTER reply');
  t.equal(reg.status, 200, 'REGISTER over ws:// answered 200');

  // ---- INVITE from the browser (web --> SIP)
  const callId = `ws-${process.pid}-${Date.now()}`;
  const answered = pbx.answer(() => ['v=0', 'o=pbx 2000 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n'));
  const offer = browserOffer(50100);
  const from = `<sip:${user}@127.0.0.1>;tag=${tag}`;
  ws.send([`INVITE sip:agent100@127.0.0.1:${kamPort} SIP/2.0`, via(), 'Max-Forwards: 70', `From: ${from}`, `To: <sip:agent100@127.0.0.1:${kamPort}>`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', `Contact: ${contact}`, 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(offer)}`, '', offer].join('\r\n'));
  const invite = await answered;
  const toSip = invite.body;
  t.match(toSip, /^m=audio \d+ RTP\/AVP [\d ]*\b0\b/m, `the SIP phone is offered plain RTP/AVP with PCMU (${(/^m=.*$/m.exec(toSip) ?? ['no m='])[0]})`);
  t.notMatch(toSip, /^a=(ice-ufrag|ice-pwd|candidate|fingerprint|setup|crypto|rtcp-mux)/m, 'no ICE, DTLS, SDES or rtcp-mux toward the SIP phone');
  const final = await ws.next((m) => header(m, 'call-id') === callId && header(m, 'cseq') === '1 INVITE' && (m.status ?? 0) >= 200, 'the final response to the INVITE');
  t.equal(final.status, 200, 'the browser gets 200 OK over its WebSocket');
  const toWeb = final.body;
  t.match(toWeb, /^m=audio \d+ RTP\/SAVPF 0\r?$/m, `the browser's answer is RTP/SAVPF with PCMU (${(/^m=.*$/m.exec(toWeb) ?? ['no m='])[0]})`);
  t.match(toWeb, /^a=setup:passive\r?$/m, 'a=setup:passive');
  t.match(toWeb, /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r?$/m, "whisperd's certificate fingerprint");
  t.match(toWeb, /^a=ice-ufrag:\S+\r?$/m, 'ICE credentials');
  t.match(toWeb, /^a=rtcp-mux\r?$/m, 'a=rtcp-mux');
  t.match(toWeb, /^a=mid:0\r?$/m, "the browser's a=mid:0");
  const rr = headers(final, 'record-route').join(',');
  t.match(rr, /;rtp=ws/, `Kamailio marked the dialog as web <-> SIP (Record-Route ;rtp=ws: ${rr})`);
  const out = kam.proc.output();
  t.match(out, new RegExp(`call-id=${callId} INVITE rtpengine_manage: replace-origin replace-session-connection trust-address rtcp-mux-demux DTLS=off SDES-off ICE=remove RTP/AVP`), 'the INVITE from ws:// was offered with the web --> SIP flags');
  t.match(out, new RegExp(`call-id=${callId} reply 200 to INVITE rtpengine_manage: replace-origin replace-session-connection trust-address rtcp-mux-offer generate-mid DTLS=passive SDES-off ICE=force RTP/SAVPF`), "the SIP phone's 200 OK was answered with the SIP --> web flags");

  // ---- ACK and BYE from the browser along the Record-Route set (loose routing over ws:// then UDP)
  const to = header(final, 'to')!;
  const target = /<([^>]+)>/.exec(header(final, 'contact') ?? '')?.[1] ?? `sip:agent100@127.0.0.1:${pbx.port}`;
  const routes = headers(final, 'record-route').flatMap((v) => v.split(/,(?=\s*<)/)).map((v) => v.trim()).reverse();
  const inDialog = (method: string, cseq: number): string =>
    [`${method} ${target} SIP/2.0`, via(), 'Max-Forwards: 70', `From: ${from}`, `To: ${to}`, `Call-ID: ${callId}`, `CSeq: ${cseq} ${method}`, ...routes.map((r) => `Route: ${r}`), 'Content-Length: 0', '', ''].join('\r\n');
  ws.send(inDialog('ACK', 1));
  const since = ws.received.length;
  ws.send(inDialog('BYE', 2));
  const bye = await ws.next((m) => header(m, 'call-id') === callId && header(m, 'cseq') === '2 BYE' && (m.status ?? 0) >= 200, 'the final response to the BYE', 10_000, since);
  t.equal(bye.status, 200, 'BYE from the browser reaches the SIP phone and is answered 200');
  let calls: unknown[] = [1];
  for (let i = 0; i < 50 && calls.length; i++) {
    const l = await td.ng.request({ command: 'list' });
    calls = Array.isArray(l.calls) ? l.calls : [];
    if (calls.length) await new Promise((r) => setTimeout(r, 100));
  }
  t.same(calls, [], 'whisperd has no call left after the BYE (rtpengine_delete)');
  if (!t.passing()) t.comment(`browser <- ${final.raw}\nSIP phone <- ${invite.raw}`);
});
