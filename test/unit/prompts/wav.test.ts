import t, { type Test } from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BadRequestError } from '../../../src/errors';
import { LINEAR_TO_ALAW, LINEAR_TO_ULAW, ULAW_TO_LINEAR, ALAW_TO_LINEAR } from '../../../src/codec/g711';
import { decodeWav, loadPrompt, MAX_WAV_BYTES, wavBytes } from '../../../src/prompts/wav';
import { goertzelDb, rms, tone } from '../../fixtures/codec/signal';
import { buildWav, pcm16Bytes } from '../../fixtures/prompts/wavBuilder';

function unsupported(t: Test, bytes: Uint8Array, reason: string): void {
  try {
    decodeWav(bytes);
  } catch (err) {
    t.ok(err instanceof BadRequestError, `${reason}: is a BadRequestError`);
    t.equal((err as Error).message, `Unsupported audio file: ${reason}`);
    return;
  }
  t.fail(`${reason}: no error`);
}

/** The lag in [-3, 3] output samples (less than half a 1 kHz period at 8 kHz) at which `x` best matches `ref` over [start, start+n). */
function bestLag(x: Int16Array, ref: Int16Array, start: number, n: number): number {
  let best = 0;
  let bestErr = Infinity;
  for (let lag = -3; lag <= 3; lag++) {
    let e = 0;
    for (let i = start; i < start + n; i++) e += (x[i]! - ref[i - lag]!) ** 2;
    if (e < bestErr) [best, bestErr] = [lag, e];
  }
  return best;
}

t.test('wavBytes → decodeWav round trips bit-exact at 8, 16 and 48 kHz', async (t) => {
  for (const rate of [8000, 16000, 48000]) {
    const pcm = tone(rate / 10, rate, 1000, -6);
    pcm[0] = -32768;
    pcm[1] = 32767;
    const bytes = wavBytes(pcm, rate);
    t.equal(bytes.length, 44 + pcm.length * 2);
    const wav = decodeWav(bytes);
    t.equal(wav.sampleRate, rate);
    t.same(Array.from(wav.samples), Array.from(pcm), `${rate} Hz samples identical`);
  }
});

t.test('44.1, 22.05 and 11.025 kHz files are accepted (resampled later)', async (t) => {
  for (const rate of [11025, 22050, 44100]) t.equal(decodeWav(wavBytes(new Int16Array(10), rate)).sampleRate, rate);
});

t.test('stereo is averaged to mono', async (t) => {
  const l = tone(1600, 16000, 500, -6);
  const r = tone(1600, 16000, 2000, -6);
  const wav = decodeWav(buildWav({ format: 1, channels: 2, rate: 16000, bits: 16, data: pcm16Bytes(l, r) }));
  t.equal(wav.samples.length, 1600);
  for (const i of [0, 7, 123, 1599]) t.equal(wav.samples[i], (l[i]! + r[i]!) >> 1, `sample ${i}`);
  t.ok(Math.abs(goertzelDb(wav.samples, 16000, 500) - -12) < 0.5, 'each channel at half amplitude (-6 dB)');
  t.ok(Math.abs(goertzelDb(wav.samples, 16000, 2000) - -12) < 0.5);
  // Opposite-phase channels cancel.
  const inv = l.map((x) => -x);
  const cancel = decodeWav(buildWav({ format: 1, channels: 2, rate: 8000, bits: 16, data: pcm16Bytes(l, Int16Array.from(inv)) }));
  t.ok(rms(cancel.samples) < 1);
});

t.test('8-bit unsigned PCM', async (t) => {
  const data = Uint8Array.from([128, 255, 0, 192, 64]);
  const wav = decodeWav(buildWav({ format: 1, channels: 1, rate: 8000, bits: 8, data }));
  t.same(Array.from(wav.samples), [0, 127 << 8, -128 << 8, 64 << 8, -64 << 8]);
  const st = decodeWav(buildWav({ format: 1, channels: 2, rate: 8000, bits: 8, data: Uint8Array.from([255, 128, 0, 0]) }));
  t.same(Array.from(st.samples), [(127 << 8) >> 1, -128 << 8]);
});

t.test('G.711 μ-law and A-law (format tags 7 and 6), plain and WAVE_FORMAT_EXTENSIBLE', async (t) => {
  const pcm = tone(800, 8000, 1000, -10);
  for (const [format, enc, dec] of [
    [7, LINEAR_TO_ULAW, ULAW_TO_LINEAR],
    [6, LINEAR_TO_ALAW, ALAW_TO_LINEAR],
  ] as const) {
    const codes = Uint8Array.from(pcm, (x) => enc[x & 0xffff]!);
    const expect = Array.from(codes, (c) => dec[c]!);
    t.same(Array.from(decodeWav(buildWav({ format, channels: 1, rate: 8000, bits: 8, data: codes })).samples), expect, `tag ${format}`);
    const ext = buildWav({ format: 0xfffe, subFormat: format, channels: 1, rate: 8000, bits: 8, data: codes });
    t.same(Array.from(decodeWav(ext).samples), expect, `extensible tag ${format}`);
    t.ok(Math.abs(goertzelDb(decodeWav(ext).samples, 8000, 1000) - -10) < 0.5, '1 kHz at -10 dBFS');
  }
});

t.test('tolerates chunks before data, odd padding, a streaming data size and a trailing partial frame', async (t) => {
  const pcm = Int16Array.from([1, -2, 3, -4]);
  const data = pcm16Bytes(pcm);
  const extra = [{ id: 'LIST', body: Uint8Array.from([1, 2, 3]) }, { id: 'fact', body: new Uint8Array(4) }];
  t.same(Array.from(decodeWav(buildWav({ format: 1, channels: 1, rate: 8000, bits: 16, data, extraChunks: extra })).samples), [1, -2, 3, -4]);
  const streaming = buildWav({ format: 1, channels: 1, rate: 8000, bits: 16, data, declaredDataSize: 0xffffffff });
  t.same(Array.from(decodeWav(streaming).samples), [1, -2, 3, -4], '0xffffffff = to end of file');
  const odd = buildWav({ format: 1, channels: 1, rate: 8000, bits: 16, data: Uint8Array.from([...data, 9]) });
  t.same(Array.from(decodeWav(odd).samples), [1, -2, 3, -4], 'half a sample at the end is dropped');
});

t.test('everything else is a BadRequestError with a stable reason', async (t) => {
  const good = wavBytes(tone(80, 8000, 1000, -6), 8000);
  unsupported(t, new Uint8Array(0), 'not a WAV file');
  unsupported(t, Buffer.from('this is not audio, just some text padding it out'), 'not a WAV file');
  unsupported(t, Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'), 'not a WAV file');
  const garbage = new Uint8Array(1000);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 0xff;
  unsupported(t, garbage, 'not a WAV file');
  unsupported(t, good.subarray(0, 30), 'truncated fmt chunk');
  unsupported(t, good.subarray(0, 36), 'missing data chunk');
  unsupported(t, good.subarray(0, good.length - 11), 'truncated data chunk');
  const noFmt = Buffer.concat([good.subarray(0, 12), good.subarray(36)]);
  unsupported(t, noFmt, 'missing fmt chunk');
  unsupported(t, buildWav({ format: 1, channels: 1, rate: 8000, bits: 24, data: new Uint8Array(30) }), '24-bit PCM not supported');
  unsupported(t, buildWav({ format: 1, channels: 1, rate: 8000, bits: 32, data: new Uint8Array(32) }), '32-bit PCM not supported');
  unsupported(t, buildWav({ format: 0xfffe, subFormat: 1, channels: 2, rate: 48000, bits: 24, data: new Uint8Array(60) }), '24-bit PCM not supported');
  unsupported(t, buildWav({ format: 3, channels: 1, rate: 8000, bits: 32, data: new Uint8Array(32) }), 'IEEE float samples not supported');
  unsupported(t, buildWav({ format: 0x55, channels: 1, rate: 8000, bits: 0, data: new Uint8Array(32) }), 'compressed format tag 85 not supported');
  unsupported(t, buildWav({ format: 7, channels: 1, rate: 8000, bits: 16, data: new Uint8Array(32) }), '16-bit G.711 not supported');
  unsupported(t, buildWav({ format: 1, channels: 6, rate: 48000, bits: 16, data: new Uint8Array(120) }), '6 channels not supported');
  unsupported(t, buildWav({ format: 1, channels: 0, rate: 8000, bits: 16, data: new Uint8Array(2) }), '0 channels not supported');
  unsupported(t, buildWav({ format: 1, channels: 1, rate: 12000, bits: 16, data: new Uint8Array(20) }), 'sample rate 12000 Hz not supported');
  unsupported(t, buildWav({ format: 1, channels: 1, rate: 8000, bits: 16, data: new Uint8Array(0) }), 'empty audio');
  unsupported(t, buildWav({ format: 1, channels: 2, rate: 8000, bits: 16, data: new Uint8Array(3) }), 'empty audio');
  const huge = new Uint8Array(MAX_WAV_BYTES + 1);
  huge.set(good.subarray(0, 44));
  unsupported(t, huge, 'larger than 50 MB');
});

t.test('loadPrompt resamples a 1 kHz tone to each mix rate, keeping frequency, level and duration', async (t) => {
  for (const [from, to] of [
    [8000, 48000],
    [48000, 8000],
    [16000, 8000],
    [8000, 16000],
    [44100, 8000],
    [22050, 48000],
    [16000, 16000],
  ] as const) {
    const src = tone(from, from, 1000, -6); // 1 s
    const out = await loadPrompt({ blob: wavBytes(src, from) }, to);
    t.equal(out.length, to, `${from} → ${to}: 1 s stays 1 s`);
    const mid = Math.round(to * 0.25);
    const n = Math.round(to * 0.5);
    t.ok(Math.abs(goertzelDb(out, to, 1000, mid, n) - -6) < 0.5, `${from} → ${to}: 1 kHz at -6 dBFS`);
    for (const f of [900, 1100, 3000]) t.ok(goertzelDb(out, to, f, mid, n) < -50, `${from} → ${to}: nothing at ${f} Hz`);
    // The filter delay is removed: audio from the first ms, and up to the last ms.
    t.ok(rms(out, 0, Math.round(to / 200)) > 2000, `${from} → ${to}: starts at once`);
    t.ok(rms(out, to - Math.round(to / 200), to) > 2000, `${from} → ${to}: tail kept`);
    t.ok(Math.abs(bestLag(out, tone(to, to, 1000, -6), mid, n)) <= 1, `${from} → ${to}: aligned within 1 sample`);
  }
});

t.test('loadPrompt decodes blobs and never opens a file itself (files come through PromptFiles)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisperd-prompt-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'hello.wav');
  const bytes = wavBytes(tone(1600, 16000, 1000, -6), 16000);
  fs.writeFileSync(file, bytes);
  t.equal((await loadPrompt({ blob: bytes }, 8000)).length, 800);
  t.equal((await loadPrompt({ file, blob: bytes }, 8000)).length, 800, 'file is only a label when the blob is given');
  await t.rejects(loadPrompt({ file }, 8000), new BadRequestError('Prompt file not available'), 'a bare path is never read');
  await t.rejects(loadPrompt({ file: '/dev/zero' }, 8000), new BadRequestError('Prompt file not available'));
  await t.rejects(loadPrompt({}, 8000), new BadRequestError('No media file specified'));
  await t.rejects(loadPrompt({ file: '' }, 8000), new BadRequestError('No media file specified'));
  await t.rejects(loadPrompt({ blob: Buffer.from('hello') }, 8000), new BadRequestError('Unsupported audio file: not a WAV file'));
  await t.rejects(loadPrompt({ blob: Buffer.alloc(MAX_WAV_BYTES + 1) }, 8000), new BadRequestError('Unsupported audio file: larger than 50 MB'));
});
