import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadNative } from '../../../src/native/addon';
import { KernelDecoder, KernelEncoder } from '../../../src/codec/nativeKernel';
import { goertzelDb, tone } from '../../fixtures/codec/signal';

/**
 * Interoperability of the codec kernels with an independent implementation: SoX (the `test` packages of
 * scripts/system-deps.sh) reads and writes GSM 06.10 (.gsm: 33-byte frames, the RTP payload of RFC 3551)
 * and AMR / AMR-WB files (RFC 4867 §5 storage format: a ToC byte (FT, Q) then the speech bits, which is
 * the octet-aligned RTP payload without its CMR byte). A tone encoded by one side must decode on the
 * other at its frequency and level. G.722: no independent coder is installed (SoX has none).
 */
const native = loadNative();
if (native === null) {
  t.fail('the native addon must be built for this test (make native)');
  process.exit(1);
}

function sox(args: string[]): void {
  const r = spawnSync('sox', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

function tmp(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-interop-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const raw = (rate: number): string[] => ['-t', 'raw', '-r', String(rate), '-e', 'signed', '-b', '16', '-c', '1'];

function level(pcm: Int16Array, rate: number): number {
  return goertzelDb(pcm, rate, 1000, rate / 5, rate / 2);
}

t.test('GSM: SoX-encoded frames decode to the tone; whisperd-encoded frames decode in SoX', async (t) => {
  const dir = tmp(t);
  const pcm = tone(8000, 8000, 1000, -10);
  fs.writeFileSync(path.join(dir, 'in.raw'), Buffer.from(pcm.buffer));
  sox([...raw(8000), path.join(dir, 'in.raw'), '-t', 'gsm', path.join(dir, 'sox.gsm')]);
  const file = fs.readFileSync(path.join(dir, 'sox.gsm'));
  t.equal(file.length, 50 * 33, '50 frames of 33 bytes');
  const dec = new KernelDecoder(native!, 'GSM');
  const out = new Int16Array(8000);
  let frames = 0;
  for (let f = 0; f < 50; f++) if (dec.decode(file, f * 33, 33, out, f * 160) === 160) frames++;
  t.equal(frames, 50, 'every frame decodes to 160 samples');
  dec.close();
  const a = level(out, 8000);
  t.ok(Math.abs(a + 10) <= 1, `whisperd decodes SoX's GSM: 1 kHz at ${a.toFixed(2)} dBFS`);

  const enc = new KernelEncoder(native!, 'GSM');
  const payload = new Uint8Array(50 * 33);
  for (let f = 0; f < 50; f++) enc.encode(pcm, f * 160, 160, payload, f * 33);
  enc.close();
  fs.writeFileSync(path.join(dir, 'ours.gsm'), payload);
  sox(['-t', 'gsm', path.join(dir, 'ours.gsm'), ...raw(8000), path.join(dir, 'ours.raw')]);
  const back = new Int16Array(new Uint8Array(fs.readFileSync(path.join(dir, 'ours.raw'))).buffer);
  const b = level(back, 8000);
  t.ok(Math.abs(b + 10) <= 1, `SoX decodes whisperd's GSM: 1 kHz at ${b.toFixed(2)} dBFS`);
});

t.test("AMR: SoX's storage-format frames (4.75 kbit/s) decode as octet-aligned RTP payloads", async (t) => {
  const dir = tmp(t);
  const pcm = tone(8000, 8000, 1000, -10);
  fs.writeFileSync(path.join(dir, 'in.raw'), Buffer.from(pcm.buffer));
  sox([...raw(8000), path.join(dir, 'in.raw'), '-t', 'amr-nb', path.join(dir, 'sox.amr')]);
  const file = fs.readFileSync(path.join(dir, 'sox.amr'));
  t.equal(file.subarray(0, 6).toString('latin1'), '#!AMR\n', 'the AMR file magic');
  const bytesPerFrame = [13, 14, 16, 18, 20, 21, 27, 32]; // ToC + speech bytes per mode
  const dec = new KernelDecoder(native!, 'AMR', { octetAlign: true });
  const out = new Int16Array(8000);
  const payload = new Uint8Array(64);
  let pos = 6;
  let n = 0;
  while (pos < file.length && n + 160 <= out.length) {
    const ft = (file[pos]! >> 3) & 15;
    const len = bytesPerFrame[ft]!;
    payload[0] = 0xf0; // CMR 15
    payload.set(file.subarray(pos, pos + len), 1); // ToC (F = 0) + speech bytes
    const got = dec.decode(payload, 0, len + 1, out, n);
    if (got !== 160) break;
    n += got;
    pos += len;
  }
  dec.close();
  t.equal(n, 8000, 'every frame decoded');
  const a = level(out, 8000);
  t.ok(Math.abs(a + 10) <= 2, `1 kHz at ${a.toFixed(2)} dBFS`);
});

t.test("AMR / AMR-WB: whisperd's octet-aligned payloads minus the CMR byte are files SoX decodes", async (t) => {
  for (const [codec, rate, magic, type] of [['AMR', 8000, '#!AMR\n', 'amr-nb'], ['AMR-WB', 16000, '#!AMR-WB\n', 'amr-wb']] as const) {
    const dir = tmp(t);
    const pcm = tone(rate, rate, 1000, -10);
    const enc = new KernelEncoder(native!, codec, { octetAlign: true });
    const f = rate / 50;
    const chunks: Buffer[] = [Buffer.from(magic, 'latin1')];
    const payload = new Uint8Array(100);
    for (let off = 0; off + f <= pcm.length; off += f) {
      const n = enc.encode(pcm, off, f, payload, 0);
      chunks.push(Buffer.from(payload.subarray(1, n)));
    }
    enc.close();
    fs.writeFileSync(path.join(dir, 'ours'), Buffer.concat(chunks));
    sox(['-t', type, path.join(dir, 'ours'), ...raw(rate), path.join(dir, 'ours.raw')]);
    const back = new Int16Array(new Uint8Array(fs.readFileSync(path.join(dir, 'ours.raw'))).buffer);
    t.ok(back.length >= rate * 0.9, `${codec}: SoX decodes ${back.length} samples`);
    const b = level(back, rate);
    t.ok(Math.abs(b + 10) <= 2, `${codec}: SoX hears whisperd's 1 kHz at ${b.toFixed(2)} dBFS`);
  }
});
