/**
 * D9 (issue 9), "rate-limit error logging on the media path": a packet handler that throws on every
 * packet (here: an engine that throws) drops and counts each packet as internal_error and logs one
 * line with its stack, not one per packet; the socket keeps working. Likewise a native relay take-over
 * that fails on every call. Real UDP sockets.
 */
import dgram from 'node:dgram';
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { logger, setLogger } from '../../../src/log';
import { DropReason, mediaCounters } from '../../../src/media/counters';
import { nativeRelayApi } from '../../../src/media/nativeRelay';
import { RtpEndpoint } from '../../../src/media/RtpEndpoint';
import { writeRtpHeader } from '../../../src/media/rtp';

async function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return s;
}

t.test('a throwing packet path is counted per packet and logged once', async (t) => {
  const lines: string[] = [];
  const saved = logger;
  setLogger(pino({ level: 'info' }, new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } })));
  t.teardown(() => setLogger(saved));

  const rtp = await bound();
  const rtcp = await bound();
  const ep = new RtpEndpoint('127.0.0.1', rtp.address().port, rtp, rtcp);
  t.teardown(() => ep.close());
  let calls = 0;
  ep.engine = {
    onRtp() {
      calls++;
      throw new Error('boom in the engine');
    },
  };
  const sender = await bound();
  t.teardown(() => sender.close());
  const before = mediaCounters.drops[DropReason.INTERNAL]!;
  const pkt = Buffer.alloc(172);
  for (let i = 0; i < 50; i++) {
    writeRtpHeader(pkt, 0, 0, false, i, i * 160, 0x1234);
    sender.send(pkt, rtp.address().port, '127.0.0.1');
  }
  const deadline = Date.now() + 5000;
  while (calls < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  t.equal(calls, 50, 'every packet reached the (throwing) engine: the socket kept working');
  t.equal(mediaCounters.drops[DropReason.INTERNAL]! - before, 50, 'each one counted as internal_error');
  const errors = lines.filter((l) => l.includes('boom in the engine'));
  t.equal(errors.length, 1, 'logged once, not once per packet');
  t.match(errors[0], /"stack"/, 'the one line carries the stack');
});

t.test('a native relay take-over that fails on every call is logged once per 15 s, not per call', async (t) => {
  if (nativeRelayApi() === null) {
    t.fail('native relay unavailable: the addon must be built (make native)');
    return;
  }
  const lines: string[] = [];
  const saved = logger;
  setLogger(pino({ level: 'info' }, new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } })));
  t.teardown(() => setLogger(saved));
  // An RTP socket of one family with an RTCP socket of the other: the addon refuses the pair (relayOpen
  // throws "RTCP fd is not a UDP socket of the RTP fd's family"), so every pair stays on the JS path.
  const bound = async (type: 'udp4' | 'udp6', host: string): Promise<dgram.Socket> => {
    const s = dgram.createSocket(type);
    await new Promise<void>((r) => s.bind(0, host, r));
    return s;
  };
  const eps: RtpEndpoint[] = [];
  t.teardown(() => eps.forEach((e) => e.close()));
  for (let i = 0; i < 20; i++) {
    const a = new RtpEndpoint('127.0.0.1', 0, await bound('udp4', '127.0.0.1'), await bound('udp6', '::1'), { nativeRelay: true });
    const b = new RtpEndpoint('127.0.0.1', 0, await bound('udp4', '127.0.0.1'), await bound('udp6', '::1'), { nativeRelay: true });
    eps.push(a, b);
    a.setSdpRemote('127.0.0.1', 4000, 4001);
    b.setSdpRemote('127.0.0.1', 4002, 4003);
    a.forwardTo = b;
    b.forwardTo = a;
    t.notOk(a.isNative, 'the pair stays on the JS path');
  }
  const warned = lines.filter((l) => l.includes('native relay: cannot take over'));
  t.equal(warned.length, 1, `20 refused take-overs, ${warned.length} log line(s)`);
});
