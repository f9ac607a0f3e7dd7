import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { startTestDaemon, sdpMediaPort, type TestDaemon } from '../fixtures/daemon';
import type { NgValue } from '../../src/control/ng/bencode';

/**
 * G.711 at a clock rate other than 8000 and telephone-event rescaling between clocks, packet by packet,
 * from rtpengine 10.5's scenario 'DTMF scaling' (t/auto-daemon-tests.pl at mr10.5.3.5, line 14834): the
 * offerer sends PCMU/16000 (320-byte frames) and telephone-event/16000, the answerer has PCMA/8000 and
 * telephone-event/8000 only. whisperd decodes the mu-law at 16 kHz, resamples it to PCMA/8000 and forwards
 * the events with their timestamps on the encoder's clock and their durations rescaled to 8000.
 */

/** A raw RTP endpoint on 127.0.0.1 (the spec's $sock_a / $sock_b). */
class RawPeer {
  readonly queue: Buffer[] = [];
  private waiter: (() => void) | null = null;
  private constructor(readonly sock: dgram.Socket, readonly port: number) {
    sock.on('message', (m) => {
      this.queue.push(m);
      this.waiter?.();
    });
  }
  static async open(): Promise<RawPeer> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    return new RawPeer(sock, sock.address().port);
  }
  snd(port: number, pkt: Buffer): void {
    this.sock.send(pkt, port, '127.0.0.1');
  }
  /** The next packet (waits up to 1 s, as the spec's rcv()). */
  async rcv(): Promise<Rtp> {
    const deadline = Date.now() + 1000;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no packet within 1 s');
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiter = () => {
          clearTimeout(timer);
          r();
        };
      });
      this.waiter = null;
    }
    return parse(this.queue.shift()!);
  }
  close(): void {
    this.sock.close();
  }
}

interface Rtp {
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
}

function rtp(pt: number, seq: number, ts: number, ssrc: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([h, payload]);
}

function parse(b: Buffer): Rtp {
  return { pt: b[1]! & 0x7f, marker: (b[1]! & 0x80) !== 0, seq: b.readUInt16BE(2), ts: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payload: b.subarray(12) };
}

const fill = (byte: number, n: number): Buffer => Buffer.alloc(n, byte);

/** An SDP from a peer at 127.0.0.1:port with these m= formats and extra attribute lines. */
function sdp(port: number, formats: string, attrs: string[] = []): string {
  return ['v=0', 'o=- 1545997027 1 IN IP4 127.0.0.1', 's=tester', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP ${formats}`, ...attrs, 'a=sendrecv', ''].join('\r\n');
}

interface Call {
  td: TestDaemon;
  a: RawPeer;
  b: RawPeer;
  /** whisperd's port A sends to (the spec's $port_b) and B sends to ($port_a). */
  toB: number;
  toA: number;
}

async function call(
  t: Test,
  offer: { formats: string; attrs?: string[]; params?: Record<string, NgValue> },
  answer: { formats: string; attrs?: string[]; params?: Record<string, NgValue> },
  config: Record<string, Record<string, unknown>> = {},
): Promise<Call> {
  const td = await startTestDaemon(config);
  const a = await RawPeer.open();
  const b = await RawPeer.open();
  t.teardown(async () => {
    a.close();
    b.close();
    await td.close();
  });
  const o = await td.ng.request({ command: 'offer', 'call-id': 'c', 'from-tag': 'A', sdp: sdp(a.port, offer.formats, offer.attrs), ...offer.params });
  t.equal(o.result, 'ok', 'offer');
  const r = await td.ng.request({ command: 'answer', 'call-id': 'c', 'from-tag': 'A', 'to-tag': 'B', sdp: sdp(b.port, answer.formats, answer.attrs), ...answer.params });
  t.equal(r.result, 'ok', 'answer');
  return { td, a, b, toA: sdpMediaPort(o.sdp as string), toB: sdpMediaPort(r.sdp as string) };
}

/** Expect exactly this packet (ssrc -1: any, returned). */
async function expectPkt(t: Test, peer: RawPeer, pt: number, seq: number, ts: number, ssrc: number, payload: Buffer, what: string, marker = false): Promise<number> {
  const p = await peer.rcv();
  t.same(
    { pt: p.pt, marker: p.marker, seq: p.seq, ts: p.ts, ssrc: ssrc < 0 ? p.ssrc : ssrc, payload: p.payload.toString('hex') },
    { pt, marker, seq, ts, ssrc: ssrc < 0 ? p.ssrc : ssrc, payload: payload.toString('hex') },
    what,
  );
  return p.ssrc;
}


// Scenario 'DTMF scaling': PCMU/16000 + telephone-event/16000 -> PCMA/8000 + telephone-event/8000.
async function dtmfScalingCall(t: Test): Promise<Call> {
  return call(
    t,
    {
      formats: '100 101',
      attrs: ['a=rtpmap:100 PCMU/16000', 'a=rtpmap:101 telephone-event/16000', 'a=fmtp:101 0-15'],
      params: { ICE: 'remove', codec: { transcode: ['PCMA', 'telephone-event/8000'] }, flags: ['always transcode'] },
    },
    { formats: '8 96', attrs: ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15'] },
  );
}

t.test('PCMU/16000 is decoded at 16 kHz and sent as PCMA/8000, 160 timestamp units a frame from the first packet\'s timestamp (scenario "DTMF scaling", audio)', async (t) => {
  const c = await dtmfScalingCall(t);
  const { a, b } = c;
  // mu-law 0x00 (-32124) resampled to 8 kHz is A-law 0x2a (rtpengine's bytes). The resampler holds the
  // first frame back ("resample buffer is stalling"), so one packet in gives nothing out yet.
  a.snd(c.toB, rtp(100, 1000, 3000, 0x1234, fill(0, 320)));
  a.snd(c.toB, rtp(100, 1001, 3000 + 320, 0x1234, fill(0, 320)));
  const ssrc = await expectPkt(t, b, 8, 1000, 3000, -1, fill(0x2a, 160), 'first PCMA frame, at the first input timestamp');
  a.snd(c.toB, rtp(100, 1002, 3000 + 320 * 2, 0x1234, fill(0, 320)));
  await expectPkt(t, b, 8, 1001, 3000 + 160, ssrc, fill(0x2a, 160), 'second frame 160 units on');
});

t.test('telephone-event/16000 is forwarded as telephone-event/8000: durations halved, timestamp on the PCMA clock, numbering shared with the audio (scenario "DTMF scaling", events)', async (t) => {
  const c = await dtmfScalingCall(t);
  const { a, b } = c;
  a.snd(c.toB, rtp(100, 1000, 3000, 0x1234, fill(0, 320)));
  a.snd(c.toB, rtp(100, 1001, 3000 + 320, 0x1234, fill(0, 320)));
  const ssrc = await expectPkt(t, b, 8, 1000, 3000, -1, fill(0x2a, 160), 'audio 1');
  a.snd(c.toB, rtp(100, 1002, 3000 + 320 * 2, 0x1234, fill(0, 320)));
  await expectPkt(t, b, 8, 1001, 3000 + 160, ssrc, fill(0x2a, 160), 'audio 2');
  const ev = (hex: string): Buffer => Buffer.from(hex, 'hex');
  a.snd(c.toB, rtp(101 | 0x80, 1003, 3000 + 320 * 3, 0x1234, ev('080f0140')));
  await expectPkt(t, b, 96, 1002, 3000 + 160 * 2, ssrc, ev('080f00a0'), 'event start: duration 320 -> 160, marked', true);
  a.snd(c.toB, rtp(101, 1004, 3000 + 320 * 3, 0x1234, ev('080f0280')));
  await expectPkt(t, b, 96, 1003, 3000 + 160 * 2, ssrc, ev('080f0140'), 'event goes on: 640 -> 320');
  for (let i = 0; i < 3; i++) {
    a.snd(c.toB, rtp(101, 1005 + i, 3000 + 320 * 3, 0x1234, ev('088f03c0')));
    await expectPkt(t, b, 96, 1004 + i, 3000 + 160 * 2, ssrc, ev('088f01e0'), `end packet ${i + 1}: 960 -> 480`);
  }
  // Back to audio: the event took the encoder's clock on by its duration.
  a.snd(c.toB, rtp(100, 1008, 3000 + 320 * 6, 0x1234, fill(0, 320)));
  await expectPkt(t, b, 8, 1007, 3000 + 160 * 5, ssrc, fill(0x2a, 160), 'audio after the event');
  t.equal(c.td.daemon.registry.get('c')?.mixer?.engine, process.env.WHISPERD_MEDIA_ENGINE ?? 'native', 'on the configured media engine');
});

t.test('the other way, PCMA/8000 + telephone-event/8000 -> PCMU/16000 + telephone-event/16000: 320 units a frame from the first timestamp, durations doubled (rtpengine codec_add_dtmf_packet, scenario "DTMF scaling" call)', async (t) => {
  const c = await dtmfScalingCall(t);
  const { a, b } = c;
  // A-law 0x2a (-32256) at 8 kHz, resampled to 16 kHz: mu-law 0x00 (-32124), its nearest code.
  b.snd(c.toA, rtp(8, 2000, 4000, 0x5678, fill(0x2a, 160)));
  b.snd(c.toA, rtp(8, 2001, 4000 + 160, 0x5678, fill(0x2a, 160)));
  const ssrc = await expectPkt(t, a, 100, 2000, 4000, -1, fill(0, 320), 'first PCMU/16000 frame at the first input timestamp');
  b.snd(c.toA, rtp(8, 2002, 4000 + 160 * 2, 0x5678, fill(0x2a, 160)));
  await expectPkt(t, a, 100, 2001, 4000 + 320, ssrc, fill(0, 320), 'second frame 320 units on');
  const ev = (hex: string): Buffer => Buffer.from(hex, 'hex');
  b.snd(c.toA, rtp(96 | 0x80, 2003, 4000 + 160 * 3, 0x5678, ev('050a00a0')));
  await expectPkt(t, a, 101, 2002, 4000 + 320 * 2, ssrc, ev('050a0140'), 'event start: duration 160 -> 320', true);
  b.snd(c.toA, rtp(96, 2004, 4000 + 160 * 3, 0x5678, ev('058a01e0')));
  await expectPkt(t, a, 101, 2003, 4000 + 320 * 2, ssrc, ev('058a03c0'), 'event end: 480 -> 960');
  b.snd(c.toA, rtp(8, 2005, 4000 + 160 * 6, 0x5678, fill(0x2a, 160)));
  await expectPkt(t, a, 100, 2004, 4000 + 320 * 2 + 960, ssrc, fill(0, 320), 'audio after the event, on from its end');
});
