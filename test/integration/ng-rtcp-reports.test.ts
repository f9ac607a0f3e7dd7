/**
 * RTCP sender reports for a stream whisperd originates, as rtpengine 10.5 sends them (t/auto-daemon-tests.pl
 * 'RTCP player' and 'RTCP player w/ previous SR'; daemon/rtcp.c rtcp_sender_report, media_player.c
 * send_timer_rtcp): right after a prompt's first packet, the party's RTCP socket gets one compound packet —
 * SR (the prompt's SSRC, NTP time, the RTP timestamp of that packet, 1 packet, 172 octets) with one report
 * block about the stream the party sends (its SSRC, nothing lost, extended highest sequence, jitter 0, LSR and
 * DLSR from the party's last SR), then SDES with one CNAME of 12 hex characters.
 */
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { WAV_FILE } from '../fixtures/rtpengine/mediaPlayer';

const blob = WAV_FILE.toString('latin1');

class Sock {
  readonly got: Buffer[] = [];
  private constructor(readonly s: dgram.Socket, readonly port: number) {
    s.on('message', (m) => this.got.push(m));
  }
  static async open(t: Test, port = 0): Promise<Sock> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(port, '127.0.0.1', () => resolve());
    });
    t.teardown(() => s.close());
    return new Sock(s, s.address().port);
  }

  /** An RTP socket and its RTCP socket on the next port (the scenario's 7400/7401). */
  static async pair(t: Test): Promise<[Sock, Sock]> {
    for (;;) {
      const rtp = await Sock.open(t);
      if (rtp.port % 2 !== 0) continue;
      try {
        return [rtp, await Sock.open(t, rtp.port + 1)];
      } catch {
        // taken: try another
      }
    }
  }
  send(port: number, b: Buffer): void {
    this.s.send(b, port, '127.0.0.1');
  }
  async next(what: string, from = 0, timeoutMs = 5000): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.got.length <= from) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.got[from]!;
  }
}

function rtp(pt: number, seq: number, ts: number, ssrc: number): Buffer {
  const b = Buffer.alloc(172);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

function sdp(rtpPort: number, host: string): string {
  return ['v=0', 'o=- 1822058533 1822058533 IN IP4 1.2.3.4', 's=Asterisk', `c=IN IP4 ${host}`, 't=0 0', `m=audio ${rtpPort} RTP/AVP 8`,
    'a=rtpmap:8 PCMA/8000', 'a=sendrecv', ''].join('\r\n');
}
const ports = (s: string): [number, number] => [Number(/m=audio (\d+)/.exec(s)![1]), Number(/a=rtcp:(\d+)/.exec(s)![1])];

interface Call {
  td: TestDaemon;
  a: Sock; ax: Sock; b: Sock; bx: Sock;
  portA: number; portAx: number; portB: number; portBx: number;
}

/** The scenario's call: A offers, B answers, one packet each way is forwarded as sent. */
async function call(t: Test, id: string, overrides: Record<string, Record<string, unknown>> = {}): Promise<Call> {
  const td = await startTestDaemon(overrides);
  t.teardown(() => td.close());
  const [[a, ax], [b, bx]] = [await Sock.pair(t), await Sock.pair(t)];
  const o = await td.ng.request({ command: 'offer', 'call-id': id, 'from-tag': 'A', ICE: 'remove', sdp: sdp(a.port, '127.0.0.1') });
  const [portA, portAx] = ports(String(o.sdp));
  const r = await td.ng.request({ command: 'answer', 'call-id': id, 'from-tag': 'A', 'to-tag': 'B', ICE: 'remove', sdp: sdp(b.port, '127.0.0.1') });
  const [portB, portBx] = ports(String(r.sdp));
  a.send(portB, rtp(8, 1000, 3000, 0x1234));
  await b.next('A -> B');
  b.send(portA, rtp(8, 2000, 4000, 0x3210));
  await a.next('B -> A');
  return { td, a, ax, b, bx, portA, portAx, portB, portBx };
}

/** The SR + SDES layout of the scenario's regex; returns its fields. */
function parseReport(t: Test, p: Buffer) {
  t.equal(p.length, 76, 'SR with one report block (52 bytes) + SDES (24 bytes)');
  t.equal(p.subarray(0, 4).toString('hex'), '81c8000c', 'SR, one report block, length 12');
  t.equal(p.subarray(52, 56).toString('hex'), '81ca0005', 'SDES, one chunk, length 5');
  t.equal(p.readUInt32BE(56), p.readUInt32BE(4), 'the SDES chunk is the sender\'s');
  t.equal(p.subarray(60, 62).toString('hex'), '010c', 'CNAME, 12 characters');
  t.match(p.subarray(62, 74).toString('latin1'), /^[0-9a-f]{12}$/, 'CNAME: 12 hex characters');
  t.equal(p.subarray(74, 76).toString('hex'), '0000', 'end of items, padding');
  return {
    ssrc: p.readUInt32BE(4), ntpMsw: p.readUInt32BE(8), ts: p.readUInt32BE(16), packets: p.readUInt32BE(20), octets: p.readUInt32BE(24),
    blockSsrc: p.readUInt32BE(28), lost: p.readUInt32BE(32), highestSeq: p.readUInt32BE(36), jitter: p.readUInt32BE(40),
    lsr: p.readUInt32BE(44), dlsr: p.readUInt32BE(48),
  };
}

// Both media engines (WHISPERD_MEDIA_ENGINE, `make test-reference-engine`); the party's packets are read by the
// native relay, as deployed; 'RTCP player' also with Node reading the sockets (media.nativeRelay false).
const engine = process.env.WHISPERD_MEDIA_ENGINE ?? 'native';

async function rtcpPlayer(t: Test, overrides: Record<string, Record<string, unknown>> = {}): Promise<void> {
  const c = await call(t, 'rtcp1', overrides);
  const r = await c.td.ng.request({ command: 'play media', 'call-id': 'rtcp1', 'from-tag': 'A', blob });
  t.equal(r.duration, 100);
  const first = await c.a.next('the prompt\'s first packet', 1);
  const sr = parseReport(t, await c.ax.next('the SR'));
  t.equal(sr.ssrc, first.readUInt32BE(8), 'sender SSRC = the prompt\'s SSRC');
  t.equal(sr.ts, first.readUInt32BE(4), 'RTP timestamp = the prompt\'s first packet\'s');
  t.ok(Math.abs(sr.ntpMsw - (Math.floor(Date.now() / 1000) + 2208988800)) <= 2, 'NTP seconds = now');
  t.same({ packets: sr.packets, octets: sr.octets }, { packets: 1, octets: 172 }, 'one packet, 172 octets sent');
  t.same(
    { blockSsrc: sr.blockSsrc, lost: sr.lost, highestSeq: sr.highestSeq, jitter: sr.jitter, lsr: sr.lsr, dlsr: sr.dlsr },
    { blockSsrc: 0x1234, lost: 0, highestSeq: 1000, jitter: 0, lsr: 0, dlsr: 0 },
    'report block: A\'s stream, nothing lost, highest sequence 1000, no SR from A yet',
  );
}

t.test(`a prompt's first packet is followed by an SR about it on the party's RTCP socket ('RTCP player', ${engine})`, async (t) => {
  await rtcpPlayer(t);
});

t.test(`the same with Node reading the party's sockets (media.nativeRelay false; 'RTCP player', ${engine})`, async (t) => {
  await rtcpPlayer(t, { media: { nativeRelay: false } });
});

t.test(`the report block carries LSR/DLSR of the party's previous SR ('RTCP player w/ previous SR', ${engine})`, async (t) => {
  const c = await call(t, 'rtcp2');
  c.ax.send(c.portBx, Buffer.from('80c80006' + '00001234' + '00005678' + '9abc0000' + '00000bb8' + '00000001' + '000000ac', 'hex'));
  // The SR reaches whisperd (it relays it to B's RTCP socket).
  await c.bx.next('A\'s SR relayed to B');
  // The scenario's pause between A's SR and play media (usleep 50 ms): the prompt must start at once for the
  // report's DLSR to stay under 0.1 s (rtpengine's media player sends its first packet right away).
  await new Promise((r) => setTimeout(r, 50));
  await c.td.ng.request({ command: 'play media', 'call-id': 'rtcp2', 'from-tag': 'A', blob });
  const first = await c.a.next('the prompt\'s first packet', 1);
  const sr = parseReport(t, await c.ax.next('the SR'));
  t.equal(sr.ssrc, first.readUInt32BE(8));
  t.equal(sr.ts, first.readUInt32BE(4));
  t.equal(sr.blockSsrc, 0x1234);
  t.equal(sr.highestSeq, 1000);
  t.equal(sr.lsr, 0x56789abc, 'LSR: the middle 32 bits of the NTP time of A\'s SR');
  t.ok(sr.dlsr < 6553, 'DLSR: under 0.1 s (in 1/65536 s) since A\'s SR arrived');
});

t.test(`whisperd's stream to a party is reported again while it runs, its packet count grown (${engine})`, async (t) => {
  const c = await call(t, 'rtcp3');
  // A prompt as long as it takes: reports every 5..7 s (rtpengine send_timer_rtcp).
  await c.td.ng.request({ command: 'play media', 'call-id': 'rtcp3', 'from-tag': 'A', blob, 'repeat-times': 200 });
  const one = parseReport(t, await c.ax.next('the first SR'));
  const two = parseReport(t, await c.ax.next('the second SR', 1, 10000));
  t.equal(two.ssrc, one.ssrc, 'the same stream');
  t.ok(two.packets > one.packets + 200, `its packet count grew (${one.packets} -> ${two.packets})`);
  t.equal(two.octets, two.packets * 172, 'octets: every packet counted whole');
});
