/**
 * The native T.38 gateway (native/src/t38/: spandsp's t38_gateway + whisperd's UDPTL framing), in
 * process, on a simulated 20 ms clock: a real fax transfer between spandsp fax terminals on both sides —
 * an audio (G.711) fax machine on the gateway's audio side, a T.38 terminal on its UDPTL side — in both
 * directions, with UDPTL redundancy or FEC, and with datagrams lost on the way (recovered from the
 * redundancy / FEC of later datagrams). Success is spandsp's own verdict: phase E completion code
 * T30_ERR_OK (0) on both terminals and one page transferred. (rtpengine t/spandsp_*: the same terminals
 * driven through rtpengine's gateway.) The end-to-end transfer through whisperd's sockets is in
 * test/integration/ng-t38.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { loadNative } from '../../../src/native/addon';
import { writeFaxTiff } from '../../fixtures/faxTiff';
import type { T38GatewayOptions } from '../../../native/index';

const native = loadNative();

function dir(t: Test): string {
  const d = mkdtempSync(path.join(tmpdir(), 'whisperd-t38-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

interface Run {
  sender: Float64Array;
  receiver: Float64Array;
  stats: Float64Array;
}

/**
 * Transfer one page: `audioSends` = the audio fax machine sends to the T.38 terminal (else the reverse).
 * `lose(n)` drops the n-th UDPTL datagram (both directions counted together). At most 120 s of fax time.
 */
function transfer(t: Test, audioSends: boolean, gwOpts: T38GatewayOptions, probeFecSpan = 1, lose: (n: number) => boolean = () => false, ecm = false): Run {
  const n = native!;
  const d = dir(t);
  const input = path.join(d, 'in.tif');
  writeFaxTiff(input);
  const output = path.join(d, 'out.tif');
  const audio = n.faxProbeCreate!({ t38: false, caller: audioSends, send: audioSends, file: audioSends ? input : output, alaw: gwOpts.alaw ?? true, ecm });
  const term = n.faxProbeCreate!({ t38: true, caller: !audioSends, send: !audioSends, file: audioSends ? output : input, fecSpan: probeFecSpan, ecm });
  const gw = n.t38GatewayCreate!(gwOpts);
  t.teardown(() => {
    n.destroy(audio);
    n.destroy(term);
    n.destroy(gw);
  });
  const a = new Uint8Array(160);
  const b = new Uint8Array(160);
  const u = new Uint8Array(2048);
  const ra = new Float64Array(5);
  const rt = new Float64Array(5);
  let count = 0;
  for (let i = 0; i < 6000; i++) {
    n.faxProbeAudioOut!(audio, a, 0);
    n.t38GatewayAudioIn!(gw, a, 0, 160);
    n.t38GatewayAudioOut!(gw, b, 0);
    n.faxProbeAudioIn!(audio, b, 0, 160);
    n.faxProbeTick!(term);
    let len: number;
    while ((len = n.t38GatewayUdptlOut!(gw, u, 0)) > 0) if (!lose(count++)) n.faxProbeUdptlIn!(term, u, 0, len);
    while ((len = n.faxProbeUdptlOut!(term, u, 0)) > 0) if (!lose(count++)) n.t38GatewayUdptlIn!(gw, u, 0, len);
    n.faxProbeResult!(audio, ra);
    n.faxProbeResult!(term, rt);
    if (ra[0]! >= 0 && rt[0]! >= 0) break;
  }
  const stats = new Float64Array(12);
  n.t38GatewayStats!(gw, stats);
  return { sender: audioSends ? ra : rt, receiver: audioSends ? rt : ra, stats };
}

function assertPage(t: Test, r: Run): void {
  t.equal(r.sender[0], 0, 'sender: phase E T30_ERR_OK');
  t.equal(r.receiver[0], 0, 'receiver: phase E T30_ERR_OK');
  t.equal(r.receiver[1], 1, 'one page received');
  t.equal(r.sender[1], 1, 'one page sent');
}

t.test('addon has the T.38 gateway and the fax probe', async (t) => {
  t.ok(native, 'addon loads');
  t.type(native?.t38GatewayCreate, 'function');
  t.type(native?.faxProbeCreate, 'function');
});

t.test('a fax page goes from an audio (G.711 A-law) fax machine through the gateway to a T.38 terminal', async (t) => {
  const r = transfer(t, true, { alaw: true });
  assertPage(t, r);
  t.ok(r.stats[0]! > 0 && r.stats[6]! > 0, 'UDPTL both ways');
  t.equal(r.stats[1], 0, 'no malformed datagram');
});

t.test('a fax page goes from a T.38 terminal through the gateway to an audio (G.711 mu-law) fax machine', async (t) => {
  const r = transfer(t, false, { alaw: false });
  assertPage(t, r);
});

t.test('with every 4th UDPTL datagram lost, redundancy recovers the lost IFPs and the page arrives', async (t) => {
  const r = transfer(t, true, { alaw: true }, 1, (n) => n % 4 === 1);
  assertPage(t, r);
  t.ok(r.stats[3]! > 0, `IFPs recovered from redundancy (${r.stats[3]})`);
  t.equal(r.stats[4], 0, 'none lost for good');
});

t.test('with FEC (t38UDPFEC) on both sides and datagrams lost, FEC recovers them and the page arrives', async (t) => {
  const r = transfer(t, false, { alaw: true, fecSpan: 3 }, 3, (n) => n % 5 === 2);
  assertPage(t, r);
  t.ok(r.stats[3]! > 0, `IFPs recovered from FEC (${r.stats[3]})`);
});

t.test('both terminals asking for ECM (T.30 error correction): the page goes through the gateway in ECM, both ways', async (t) => {
  for (const audioSends of [true, false]) {
    const r = transfer(t, audioSends, { alaw: true }, 1, () => false, true);
    assertPage(t, r);
    t.equal(r.receiver[4], 1, `ECM used (${audioSends ? 'audio -> T.38' : 'T.38 -> audio'})`);
  }
});

t.test('T.38 option no-ECM: the gateway does not offer ECM, the page goes through without it', async (t) => {
  const r = transfer(t, true, { alaw: true, noEcm: true }, 1, () => false, true);
  assertPage(t, r);
  t.equal(r.receiver[4], 0, 'no ECM');
});

t.test('malformed UDPTL datagrams are dropped and counted, nothing else happens', async (t) => {
  const n = native!;
  const gw = n.t38GatewayCreate!({});
  t.teardown(() => n.destroy(gw));
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array([0, 1, 2]), 0, 3), 1, 'too short');
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array([0, 1, 9, 1, 0]), 0, 5), 2, 'primary length beyond the datagram');
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array([0, 1, 0xc1, 0, 0]), 0, 5), 3, 'fragmented length refused');
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array([0, 1, 2, 0, 0]), 0, 5), 4, 'no error-recovery byte');
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array([0, 1, 1, 0, 0, 0]), 0, 6), 0, 'a well-formed one is taken');
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array([0, 1, 1, 0, 0, 0]), 0, 6), 0, 'its duplicate is taken (and dropped as a duplicate)');
  const s = new Float64Array(12);
  n.t38GatewayStats!(gw, s);
  t.equal(s[1], 4, '4 malformed counted');
  t.equal(s[2], 1, '1 duplicate counted');
  t.equal(n.t38GatewayUdptlIn!(gw, new Uint8Array(8), 4, 8), -1, 'span beyond the buffer: ARG');
});
