/**
 * src/media/dtmfInject.ts on its own: the tone generator and G.711 rounding reproduce rtpengine's bytes
 * (t/auto-daemon-tests.pl "no transcoding, no RFC payload type present": 'C' at volume 5, PCMU; and
 * "transcoding, no RFC payload type present": the same tone in PCMA), and a packet with no room for an
 * event passes as it came instead of breaking the stream.
 */
import t from 'tap';
import { DtmfInjector, dtmfToneSample, NEAREST_ALAW, NEAREST_ULAW, TONE_VOLUME_TABLE } from '../../../src/media/dtmfInject';
import { parseRtp, RtpVerdict, RtpView } from '../../../src/media/rtp';

function toneBytes(table: Uint8Array, code: number, volume: number, n: number): string {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(table[(dtmfToneSample(code, volume, 8000, i) + 32768) >> 2]!);
  return Buffer.from(out).toString('hex');
}

t.test('the first samples of DTMF C at volume 5 are rtpengine\'s, PCMU and PCMA', async (t) => {
  t.equal(toneBytes(NEAREST_ULAW, 14, 5, 16), 'ff9394bc2e56bf2b131ba78e98472541');
  t.equal(toneBytes(NEAREST_ALAW, 14, 5, 16), 'd5b9be970570ea013e3182a5b2630f69');
  t.equal(TONE_VOLUME_TABLE[10], 3.1622648562227136, 'vol_table as rtpengine holds it');
});

t.test('a packet too short for the event passes as it came; the event goes on with the next one', async (t) => {
  const inj = new DtmfInjector(8000, 96, 0, 8);
  inj.enqueue({ code: 1, volume: 10, toneVolume: 10, durationMs: 100, pauseMs: 100 });
  const sent: string[] = [];
  const out = { sendRtp: (b: Uint8Array, len: number) => void sent.push(Buffer.from(b.subarray(0, len)).toString('hex')) };
  const view = new RtpView();
  const pkt = (seq: number, ts: number, payload: number): Buffer => {
    const b = Buffer.alloc(12 + payload);
    b[0] = 0x80;
    b.writeUInt16BE(seq, 2);
    b.writeUInt32BE(ts, 4);
    b.writeUInt32BE(0x1234, 8);
    return b;
  };
  const short = pkt(1, 160, 0);
  t.equal(parseRtp(short, short.length, view), RtpVerdict.OK);
  inj.process(short, view, out);
  const full = pkt(2, 320, 160);
  parseRtp(full, full.length, view);
  inj.process(full, view, out);
  t.same(sent, ['800000010000' + '00a0' + '00001234', '80e00002' + '000000a0' + '00001234' + '010a0140'], 'the short packet untouched, then the event (marker, PT 96) from it');
});
