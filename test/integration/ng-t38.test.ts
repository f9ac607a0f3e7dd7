/**
 * T.38 fax gateway (ng `T.38` flag), as rtpengine 10.5 (t/auto-daemon-tests.pl, mr10.5.3.5, "T.38
 * signalling scenarios"): `decode` turns an m=image udptl t38 offer into m=audio RTP/AVP for the other
 * side and answers the image side with whisperd's T.38 attributes; `force` turns an audio offer into
 * m=image udptl t38 and answers the audio side with its first G.711 codec; re-INVITEs either way; FEC.
 * Exact reply SDPs (PORT = any port). The media gateway itself — a real fax page through whisperd's
 * sockets — is at the end of this file.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { matchSdp, ngSdp, sdpText, startScenarioDaemon } from '../fixtures/sdpScenario';
import { udpPeer } from '../fixtures/udp';
import { startTestDaemon, type TestDaemon } from '../fixtures/daemon';
import { writeFaxTiff } from '../fixtures/faxTiff';
import { loadNative } from '../../src/native/addon';
import { t38Links } from '../../src/call/t38';
import type { FaxProbeHandle } from '../../native/index';

async function daemon(t: Test): Promise<TestDaemon> {
  const td = await startScenarioDaemon();
  t.teardown(() => td.close());
  return td;
}

t.test('forward T.38 invite without codecs given (rtpengine scenario "forward T.38 invite without codecs given")', async (t) => {
  const td = await daemon(t);
  const call = { 'call-id': 'forward-t-38-invite-without-codecs-given', 'from-tag': 'ft' };
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove', 'T.38': ['decode'] }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=image 6000 udptl t38',
      'c=IN IP4 198.51.100.1',
      'a=sendrecv',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:262',
      'a=T38FaxMaxDatagram:300',
      'a=T38FaxUdpEC:t38UDPRedundancy',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 0 8',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
});

t.test('T.38 forward re-invite (rtpengine scenario "T.38 forward re-invite")', async (t) => {
  const td = await daemon(t);
  const call = { 'call-id': 't-38-forward-re-invite', 'from-tag': 'ft' };
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 8 0',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6002 RTP/AVP 8 0',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'answer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove', 'T.38': ['force'] }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 8 0',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=image PORT udptl t38',
      'c=IN IP4 203.0.113.1',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:1800',
      'a=T38FaxMaxDatagram:512',
      'a=T38FaxUdpEC:t38UDPRedundancy',
      'a=sendrecv',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=image 4018 udptl t38',
      'c=IN IP4 198.51.100.1',
      'a=sendrecv',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:262',
      'a=T38FaxMaxDatagram:300',
      'a=T38FaxUdpEC:t38UDPRedundancy',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'answer',
  );
});

t.test('T.38 reverse re-invite (rtpengine scenario "T.38 reverse re-invite")', async (t) => {
  const td = await daemon(t);
  const call = { 'call-id': 't-38-reverse-re-invite', 'from-tag': 'ft' };
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 8 0',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6002 RTP/AVP 8 0',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'answer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove', 'T.38': ['decode'] }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=image 6000 udptl t38',
      'c=IN IP4 198.51.100.1',
      'a=sendrecv',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:262',
      'a=T38FaxMaxDatagram:300',
      'a=T38FaxUdpEC:t38UDPRedundancy',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6002 RTP/AVP 8',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=image PORT udptl t38',
      'c=IN IP4 203.0.113.1',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:1800',
      'a=T38FaxMaxDatagram:512',
      'a=T38FaxUdpEC:t38UDPRedundancy',
      'a=sendrecv',
    ),
    'answer',
  );
});

t.test('T.38 forward re-invite w/ unsupported codec (rtpengine scenario "T.38 forward re-invite w/ unsupported codec")', async (t) => {
  const td = await daemon(t);
  const call = { 'call-id': 't-38-forward-re-invite-w-unsupported-codec', 'from-tag': 'ft' };
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 96 8 0',
      'c=IN IP4 198.51.100.3',
      'a=rtpmap:96 foobar/8000',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 96 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:96 foobar/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6002 RTP/AVP 96',
      'c=IN IP4 198.51.100.3',
      'a=rtpmap:96 foobar/8000',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 96',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:96 foobar/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'answer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove', 'T.38': ['force'] }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 96 8 0',
      'c=IN IP4 198.51.100.3',
      'a=rtpmap:96 foobar/8000',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=image PORT udptl t38',
      'c=IN IP4 203.0.113.1',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:1800',
      'a=T38FaxMaxDatagram:512',
      'a=T38FaxUdpEC:t38UDPRedundancy',
      'a=sendrecv',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=image 4018 udptl t38',
      'c=IN IP4 198.51.100.1',
      'a=sendrecv',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:262',
      'a=T38FaxMaxDatagram:300',
      'a=T38FaxUdpEC:t38UDPRedundancy',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'answer',
  );
});

t.test('T.38 reverse re-invite w/ unsupported codec (rtpengine scenario "T.38 reverse re-invite w/ unsupported codec")', async (t) => {
  const td = await daemon(t);
  const call = { 'call-id': 't-38-reverse-re-invite-w-unsupported-codec', 'from-tag': 'ft' };
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 96 8 0',
      'c=IN IP4 198.51.100.3',
      'a=rtpmap:96 foobar/8000',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 96 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:96 foobar/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6002 RTP/AVP 96 8 0',
      'c=IN IP4 198.51.100.3',
      'a=rtpmap:96 foobar/8000',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 96 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:96 foobar/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'answer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove', 'T.38': ['decode'] }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=image 6000 udptl t38',
      'c=IN IP4 198.51.100.1',
      'a=sendrecv',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:262',
      'a=T38FaxMaxDatagram:300',
      'a=T38FaxUdpEC:t38UDPRedundancy',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.1',
      's=tester',
      't=0 0',
      'm=audio PORT RTP/AVP 8 0',
      'c=IN IP4 203.0.113.1',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      'a=rtcp:PORT',
    ),
    'offer',
  );
  matchSdp(
    t,
    await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'tt', ICE: 'remove' }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6002 RTP/AVP 8',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=image PORT udptl t38',
      'c=IN IP4 203.0.113.1',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:1800',
      'a=T38FaxMaxDatagram:512',
      'a=T38FaxUdpEC:t38UDPRedundancy',
      'a=sendrecv',
    ),
    'answer',
  );
});

t.test('T.38 FEC invite (rtpengine scenario "T.38 FEC invite")', async (t) => {
  const td = await daemon(t);
  const call = { 'call-id': 't-38-fec-invite', 'from-tag': 'ft' };
  matchSdp(
    t,
    await ngSdp(t, td, 'offer', { ...call, ICE: 'remove', 'T.38': ['force', 'FEC'] }, sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=audio 6000 RTP/AVP 8 0',
      'c=IN IP4 198.51.100.3',
      'a=sendrecv',
    )),
    sdpText(
      'v=0',
      'o=- 1545997027 1 IN IP4 198.51.100.3',
      's=tester',
      't=0 0',
      'm=image PORT udptl t38',
      'c=IN IP4 203.0.113.1',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxBuffer:1800',
      'a=T38FaxMaxDatagram:512',
      'a=T38FaxUdpEC:t38UDPFEC',
      'a=sendrecv',
    ),
    'offer',
  );
});
// ---- the media gateway: a real fax page through whisperd ----

const native = loadNative();

/** One fax party on a real UDP socket: an audio fax machine (G.711 RTP) or a T.38 terminal (UDPTL). */
class FaxPeer {
  readonly sock = dgram.createSocket('udp4');
  private readonly probe: FaxProbeHandle;
  private readonly rtp = Buffer.alloc(12 + 160);
  private readonly udptl = Buffer.alloc(2048);
  private readonly result = new Float64Array(4);
  private seq = 0;
  private ts = 0;
  remotePort = 0;

  constructor(readonly t38: boolean, send: boolean, file: string, private readonly pt = 8) {
    this.probe = native!.faxProbeCreate!({ t38, caller: send, send, file, alaw: pt === 8 });
    this.rtp[0] = 0x80;
    this.rtp[1] = pt;
    this.rtp.writeUInt32BE(0x5eed, 8);
    this.sock.on('message', (msg) => {
      if (this.t38) native!.faxProbeUdptlIn!(this.probe, msg, 0, msg.length);
      else if (msg.length > 12 && (msg[1]! & 0x7f) === this.pt) native!.faxProbeAudioIn!(this.probe, msg, 12, msg.length - 12);
    });
  }

  async bind(t: Test): Promise<number> {
    this.sock.bind(0, '127.0.0.1');
    await once(this.sock, 'listening');
    t.teardown(() => {
      this.sock.close();
      native!.destroy(this.probe);
    });
    return this.sock.address().port;
  }

  /** 20 ms of the party's side of the call, sent to whisperd. */
  step(): void {
    if (this.t38) {
      native!.faxProbeTick!(this.probe);
      let len: number;
      while ((len = native!.faxProbeUdptlOut!(this.probe, this.udptl, 0)) > 0) this.sock.send(this.udptl.subarray(0, len), this.remotePort, '127.0.0.1');
      return;
    }
    native!.faxProbeAudioOut!(this.probe, this.rtp, 12);
    this.rtp.writeUInt16BE(this.seq++ & 0xffff, 2);
    this.rtp.writeUInt32BE((this.ts += 160) >>> 0, 4);
    this.sock.send(Buffer.from(this.rtp), this.remotePort, '127.0.0.1');
  }

  /** [phase E completion code (-1 = not yet), pages]. */
  outcome(): [number, number] {
    native!.faxProbeResult!(this.probe, this.result);
    return [this.result[0]!, this.result[1]!];
  }
}

/** Run both parties on a 20 ms clock until both report phase E (at most 120 s). */
async function runFax(a: FaxPeer, b: FaxPeer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => {
      clearInterval(clock);
      reject(new Error(`no phase E within 120 s: ${JSON.stringify([a.outcome(), b.outcome()])}`));
    }, 120_000);
    const clock = setInterval(() => {
      a.step();
      b.step();
      if (a.outcome()[0] >= 0 && b.outcome()[0] >= 0) {
        clearInterval(clock);
        clearTimeout(deadline);
        resolve();
      }
    }, 20);
  });
}

function faxFiles(t: Test): { input: string; output: string } {
  const d = mkdtempSync(path.join(tmpdir(), 'whisperd-t38-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  const input = path.join(d, 'in.tif');
  writeFaxTiff(input);
  return { input, output: path.join(d, 'out.tif') };
}

const T38_ANSWER = ['a=T38FaxVersion:0', 'a=T38MaxBitRate:14400', 'a=T38FaxRateManagement:transferredTCF', 'a=T38FaxMaxBuffer:262', 'a=T38FaxMaxDatagram:300', 'a=T38FaxUdpEC:t38UDPRedundancy'];

function port(sdp: string, kind: 'audio' | 'image'): number {
  const m = new RegExp(`^m=${kind} (\\d+) `, 'm').exec(sdp.replace(/\r\n/g, '\n'));
  return m ? Number(m[1]) : 0;
}

t.test('T.38 force: a fax page from an audio (PCMA) fax machine arrives at a T.38 terminal through whisperd', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const f = faxFiles(t);
  const machine = new FaxPeer(false, true, f.input, 8);
  const terminal = new FaxPeer(true, false, f.output);
  const mPort = await machine.bind(t);
  const tPort = await terminal.bind(t);
  const call = { 'call-id': 'fax-force', 'from-tag': 'fax-a' };
  const offered = await ngSdp(t, td, 'offer', { ...call, 'T.38': ['force'] }, sdpText(
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${mPort} RTP/AVP 8`, 'c=IN IP4 127.0.0.1', 'a=sendrecv',
  ));
  terminal.remotePort = port(offered, 'image');
  t.ok(terminal.remotePort > 0, 'the T.38 side is offered m=image');
  const answered = await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'fax-b' }, sdpText(
    'v=0', 'o=- 2 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=image ${tPort} udptl t38`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', ...T38_ANSWER,
  ));
  machine.remotePort = port(answered, 'audio');
  t.ok(machine.remotePort > 0, 'the audio side is answered m=audio');
  await runFax(machine, terminal);
  t.same(machine.outcome(), [0, 1], 'sender: T30_ERR_OK, 1 page');
  t.same(terminal.outcome(), [0, 1], 'receiver: T30_ERR_OK, 1 page');
});

t.test('T.38 decode: a fax page from a T.38 terminal arrives at an audio (PCMU) fax machine through whisperd', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const f = faxFiles(t);
  const terminal = new FaxPeer(true, true, f.input);
  const machine = new FaxPeer(false, false, f.output, 0);
  const tPort = await terminal.bind(t);
  const mPort = await machine.bind(t);
  const call = { 'call-id': 'fax-decode', 'from-tag': 'fax-a' };
  const offered = await ngSdp(t, td, 'offer', { ...call, 'T.38': ['decode'] }, sdpText(
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=image ${tPort} udptl t38`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', ...T38_ANSWER,
  ));
  machine.remotePort = port(offered, 'audio');
  const answered = await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'fax-b' }, sdpText(
    'v=0', 'o=- 2 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${mPort} RTP/AVP 0`, 'c=IN IP4 127.0.0.1', 'a=sendrecv',
  ));
  terminal.remotePort = port(answered, 'image');
  t.ok(machine.remotePort > 0 && terminal.remotePort > 0, 'both sides have a port');
  await runFax(terminal, machine);
  t.same(terminal.outcome(), [0, 1], 'sender: T30_ERR_OK, 1 page');
  t.same(machine.outcome(), [0, 1], 'receiver: T30_ERR_OK, 1 page');
});

// ---- lifecycle and bad media ----

/** Wait (event loop turns, at most 5 s) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached within 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A force-translated call between two plain sockets (audio side = `audio`, T.38 side = `image`). */
async function forcedCall(t: Test, td: TestDaemon, callId: string) {
  const audio = await udpPeer(t);
  const image = await udpPeer(t);
  const call = { 'call-id': callId, 'from-tag': 'fa' };
  const offered = await ngSdp(t, td, 'offer', { ...call, 'T.38': ['force'] }, sdpText(
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${audio.port} RTP/AVP 8`, 'c=IN IP4 127.0.0.1', 'a=sendrecv',
  ));
  const answered = await ngSdp(t, td, 'answer', { ...call, 'to-tag': 'fb' }, sdpText(
    'v=0', 'o=- 2 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=image ${image.port} udptl t38`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', ...T38_ANSWER,
  ));
  return { audio, image, call, toImage: port(offered, 'image'), toAudio: port(answered, 'audio') };
}

t.test('the gateway sends the audio side a 20 ms G.711 stream of its own (PCMA, 160 bytes, sequence +1, timestamp +160)', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await forcedCall(t, td, 'fax-stream');
  const p1 = await c.audio.next();
  const p2 = await c.audio.next();
  t.equal(p1.length, 12 + 160, 'RTP header + 20 ms of G.711');
  t.equal(p1[1]! & 0x7f, 8, 'payload type 8 (PCMA, the answered codec)');
  t.equal(p2.readUInt16BE(2), (p1.readUInt16BE(2) + 1) & 0xffff, 'sequence + 1');
  t.equal(p2.readUInt32BE(4), (p1.readUInt32BE(4) + 160) >>> 0, 'timestamp + 160');
  t.equal(p2.readUInt32BE(8), p1.readUInt32BE(8), 'one SSRC');
});

t.test('malformed UDPTL and audio of another payload type are dropped and counted; the gateway keeps running', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await forcedCall(t, td, 'fax-bad');
  const gw = t38Links(td.daemon.registry.get('fax-bad')!)[0]!.media!;
  t.ok(gw, 'the gateway runs once answered');
  for (const bad of [[0, 1], [0, 1, 0x7f, 0], [0, 2, 0xc1, 0, 0], [0, 3, 2, 0, 0]]) c.image.sock.send(Buffer.from(bad), c.toImage, '127.0.0.1');
  const rtp = Buffer.alloc(12 + 4);
  rtp[0] = 0x80;
  rtp[1] = 101; // telephone-event: not the gateway's G.711
  c.audio.sock.send(rtp, c.toAudio, '127.0.0.1');
  await until(() => gw.stats().udptlMalformed === 4 && gw.stats().audioBadPayloadType === 1);
  t.pass('4 malformed datagrams and 1 foreign payload type counted');
  t.equal(gw.stats().ifpDelivered, 0, 'nothing reached the fax stack');
  await c.audio.next();
  t.ok(!gw.closed, 'the gateway still runs (and still sends audio)');
});

t.test('deleting the call closes its gateway (clock stopped, spandsp state freed)', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  await forcedCall(t, td, 'fax-delete');
  const call = td.daemon.registry.get('fax-delete')!;
  const gw = t38Links(call)[0]!.media!;
  t.ok(gw && !gw.closed, 'running');
  const reply = await td.ng.request({ command: 'delete', 'call-id': 'fax-delete', 'from-tag': 'fa' });
  t.equal(reply.result, 'ok');
  await until(() => call.closed);
  t.ok(gw.closed, 'the gateway is closed with the call');
  t.equal(t38Links(call).length, 0, 'no link left');
});

t.test('T.38 stop: the re-INVITE is offered as it is (m=audio again), the gateway is closed and the line relayed', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await forcedCall(t, td, 'fax-stop');
  const call = td.daemon.registry.get('fax-stop')!;
  const gw = t38Links(call)[0]!.media!;
  const offered = await ngSdp(t, td, 'offer', { ...c.call, 'T.38': ['stop'] }, sdpText(
    'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${c.audio.port} RTP/AVP 8`, 'c=IN IP4 127.0.0.1', 'a=sendrecv',
  ));
  t.match(offered, /^m=audio \d+ RTP\/AVP 8\r?$/m, 'the other side is offered audio');
  t.ok(gw.closed, 'gateway closed');
  t.equal(t38Links(call).length, 0, 'no link left');
  const answered = await ngSdp(t, td, 'answer', { ...c.call, 'to-tag': 'fb' }, sdpText(
    'v=0', 'o=- 2 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${c.image.port} RTP/AVP 8`, 'c=IN IP4 127.0.0.1', 'a=sendrecv',
  ));
  t.match(answered, /^m=audio \d+ RTP\/AVP 8\r?$/m, 'the offerer is answered audio');
  const rtp = Buffer.alloc(12 + 160, 0xd5);
  rtp[0] = 0x80;
  rtp[1] = 8;
  c.audio.sock.send(rtp, port(answered, 'audio'), '127.0.0.1');
  t.same(await c.image.next(), rtp, 'RTP relayed untouched again');
});

t.test('a re-INVITE from the T.38 side (no flag) keeps the gateway: the audio side is offered audio, the T.38 side answered m=image', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await forcedCall(t, td, 'fax-reinvite');
  const call = td.daemon.registry.get('fax-reinvite')!;
  const gw = t38Links(call)[0]!.media!;
  // The T.38 side (to-tag fb) re-INVITEs: from-tag fb, to-tag fa.
  const offered = await ngSdp(t, td, 'offer', { 'call-id': 'fax-reinvite', 'from-tag': 'fb', 'to-tag': 'fa' }, sdpText(
    'v=0', 'o=- 2 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=image ${c.image.port} udptl t38`, 'c=IN IP4 127.0.0.1', 'a=sendrecv', ...T38_ANSWER,
  ));
  t.match(offered, /^m=audio \d+ RTP\/AVP 8\r?$/m, 'the audio side is offered its G.711 codec');
  const answered = await ngSdp(t, td, 'answer', { 'call-id': 'fax-reinvite', 'from-tag': 'fb', 'to-tag': 'fa' }, sdpText(
    'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `m=audio ${c.audio.port} RTP/AVP 8`, 'c=IN IP4 127.0.0.1', 'a=sendrecv',
  ));
  t.match(answered, /^m=image \d+ udptl t38\r?$/m, 'the T.38 side is answered m=image');
  t.match(answered, /^a=T38FaxUdpEC:t38UDPRedundancy\r?$/m);
  t.equal(t38Links(call)[0]!.media, gw, 'the same gateway');
  t.notOk(gw.closed, 'still running');
  await c.audio.next();
  t.pass('the audio side still gets the gateway stream');
});

t.test('the audio side may send either G.711 (static PT 0 or 8) whatever was answered; other payload types are dropped', async (t) => {
  const td = await startTestDaemon();
  t.teardown(() => td.close());
  const c = await forcedCall(t, td, 'fax-laws'); // answered PCMA (8)
  const gw = t38Links(td.daemon.registry.get('fax-laws')!)[0]!.media!;
  const rtp = (pt: number, seq: number): Buffer => {
    const b = Buffer.alloc(12 + 160, pt === 0 ? 0xff : 0xd5);
    b[0] = 0x80;
    b[1] = pt;
    b.writeUInt16BE(seq, 2);
    return b;
  };
  c.audio.sock.send(rtp(8, 1), c.toAudio, '127.0.0.1');
  c.audio.sock.send(rtp(0, 2), c.toAudio, '127.0.0.1');
  c.audio.sock.send(rtp(18, 3), c.toAudio, '127.0.0.1');
  await until(() => gw.stats().audioSamplesIn === 320 && gw.stats().audioBadPayloadType === 1);
  t.pass('PCMA and PCMU fed (320 samples), G.729 (18) dropped and counted');
});
