import t from 'tap';
import pino from 'pino';
import { Writable } from 'node:stream';
import { setLogger } from '../../../src/log';
import { buildCodecTable, codecTable, findCodec, type CodecDef } from '../../../src/codec/registry';

/** Encodings available now (G729 needs the addon). */
const supportedEncodings = (table: readonly CodecDef[] = codecTable()): string[] => table.filter((d) => d.available()).map((d) => d.encoding);
import { loadNativeWith } from '../../../src/native/addon';
import { UnsupportedError } from '../../../src/errors';
import { G711Decoder } from '../../../src/codec/g711';
import { tone, goertzelDb } from '../../fixtures/codec/signal';

// Capture log lines to check the "logged once" contract.
const lines: string[] = [];
setLogger(pino({ level: 'info' }, new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } })));

t.test('the default table lists every codec with its RTP facts (RTP clock, PCM rate)', async (t) => {
  t.same(supportedEncodings(), ['PCMU', 'PCMA', 'G729', 'opus', 'G722', 'GSM', 'AMR', 'AMR-WB']);
  const facts = codecTable().map((c) => [c.encoding, c.clockRate, c.pcmRate, c.channels, c.staticPt, c.frameMs]);
  t.same(facts, [
    ['PCMU', 8000, 8000, 1, 0, 20],
    ['PCMA', 8000, 8000, 1, 8, 20],
    ['G729', 8000, 8000, 1, 18, 20],
    ['opus', 48000, 48000, 2, null, 20],
    // RFC 3551 §4.5.2: G.722's RTP clock is 8000 although it samples at 16 kHz.
    ['G722', 8000, 16000, 1, 9, 20],
    ['GSM', 8000, 8000, 1, 3, 20],
    ['AMR', 8000, 8000, 1, null, 20],
    ['AMR-WB', 16000, 16000, 1, null, 20],
  ]);
});

t.test('findCodec is case-insensitive and checks the clock rate', async (t) => {
  t.equal(findCodec('pcmu')?.name, 'PCMU');
  t.equal(findCodec('OPUS', 48000)?.name, 'opus');
  t.equal(findCodec('g729', 8000)?.name, 'G729');
  t.equal(findCodec('opus', 8000), null, 'opus only at 48000');
  t.equal(findCodec('G722', 16000), null, 'G722 only at its RTP clock 8000');
  t.equal(findCodec('iLBC'), null, 'unknown encoding');
});

t.test('codecs created from the table work end to end (PCMA tone)', async (t) => {
  for (const enc of supportedEncodings()) {
    const def = findCodec(enc)!;
    const e = def.createEncoder();
    const d = def.createDecoder();
    const rate = e.sampleRate;
    const frame = (rate * def.frameMs) / 1000;
    const pcm = tone(frame * 25, rate, 1000, -10);
    const payload = new Uint8Array(1500);
    const out = new Int16Array(frame * 25);
    for (let f = 0; f < 25; f++) {
      const n = e.encode(pcm, f * frame, frame, payload, 0);
      d.decode(payload, 0, n, out, f * frame);
    }
    const level = goertzelDb(out, d.sampleRate, 1000, frame * 10, frame * 15);
    t.ok(Math.abs(level + 10) < 3, `${enc}: 1 kHz at ${level.toFixed(1)} dBFS after a round trip`);
    e.close();
    d.close();
  }
});

t.test('without the addon: no G729 / G722 / GSM / AMR, a clear error, and one log line', async (t) => {
  lines.length = 0;
  const loader = (): unknown => {
    throw new Error('libbcg729.so.0: cannot open shared object file: No such file or directory');
  };
  const native = loadNativeWith(loader);
  t.equal(native, null, 'the loader returns null instead of throwing');
  t.equal(loadNativeWith(loader), null);
  t.equal(loadNativeWith(() => ({ abiVersion: 99 })), null, 'a wrong-shaped module is refused too');
  const warned = lines.filter((l) => l.includes('G.729 unavailable: libbcg729.so.0'));
  t.equal(warned.length, 1, 'logged exactly once');
  const table = buildCodecTable(native);
  t.same(supportedEncodings(table), ['PCMU', 'PCMA', 'opus']);
  t.equal(findCodec('G729', undefined, table), null, 'G.729 is not offered');
  t.equal(findCodec('G722', undefined, table), null, 'nor the native kernels (G.722, GSM, AMR)');
  const g729 = table.find((c) => c.name === 'G729')!;
  t.notOk(g729.available());
  t.throws(() => g729.createDecoder(), UnsupportedError);
  t.ok(findCodec('PCMU', 8000, table)!.createDecoder() instanceof G711Decoder, 'G.711 still works');
});
