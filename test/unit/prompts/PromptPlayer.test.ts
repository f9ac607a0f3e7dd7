import t from 'tap';
import { BadRequestError } from '../../../src/errors';
import { PromptPlayer } from '../../../src/prompts/PromptPlayer';
import { goertzelDb, rms, tone } from '../../fixtures/codec/signal';
import { measureAlloc } from '../../fixtures/prompts/alloc';

const FRAME = 160; // 20 ms at 8 kHz

/** Read the player out frame by frame; returns the concatenated output and the per-frame counts. */
function drain(p: PromptPlayer, frames: number, frame = FRAME): { pcm: Int16Array; counts: number[] } {
  const pcm = new Int16Array(frames * frame);
  const counts: number[] = [];
  for (let f = 0; f < frames; f++) counts.push(p.read(pcm, f * frame, frame));
  return { pcm, counts };
}

t.test('plays the prompt repeatTimes times back to back, then silence', async (t) => {
  const prompt = tone(400, 8000, 1000, -6); // 50 ms: not a whole number of frames
  const p = new PromptPlayer(prompt, 8000, 3);
  t.equal(p.durationMs, 150);
  const { pcm, counts } = drain(p, 10);
  const real = counts.reduce((a, b) => a + b, 0);
  t.equal(real, 1200, 'three plays of 400 samples');
  t.same(counts.slice(0, 9), [160, 160, 160, 160, 160, 160, 160, 80, 0], 'last partial frame then zeros');
  for (let k = 0; k < 3; k++) t.same(Array.from(pcm.subarray(k * 400, k * 400 + 400)), Array.from(prompt), `play ${k + 1} is the prompt`);
  t.equal(rms(pcm, 1200), 0, 'zero-filled after the end');
  t.ok(Math.abs(goertzelDb(pcm, 8000, 1000, 0, 1200) - -6) < 0.5, '1 kHz at -6 dBFS throughout');
  t.ok(p.done);
  t.equal(p.positionMs, 150);
});

t.test('done, positionMs and stop()', async (t) => {
  const p = new PromptPlayer(tone(800, 8000, 500, -6), 8000, 1);
  t.notOk(p.done);
  t.equal(p.positionMs, 0);
  const out = new Int16Array(FRAME).fill(123);
  t.equal(p.read(out, 0, FRAME), FRAME);
  t.equal(p.positionMs, 20);
  p.stop();
  t.ok(p.done, 'done after stop');
  t.equal(p.read(out, 0, FRAME), 0);
  t.equal(rms(out), 0, 'silence after stop');
  t.equal(p.positionMs, 20, 'position stays where it stopped');
});

t.test('read writes at an offset, clamps to the buffer, never touches outside the span', async (t) => {
  const p = new PromptPlayer(Int16Array.from([1, 2, 3]), 8000, 2);
  const out = new Int16Array(10).fill(-1);
  t.equal(p.read(out, 2, 4), 4);
  t.same(Array.from(out), [-1, -1, 1, 2, 3, 1, -1, -1, -1, -1]);
  t.equal(p.read(out, 7, 10), 2, 'clamped to the 3 samples left in out');
  t.same(Array.from(out.subarray(6)), [-1, 2, 3, 0]);
  t.ok(p.done);
  t.equal(p.read(out, 20, 5), 0, 'offset past the end writes nothing');
});

t.test('durationMs and frame sizes at 48 kHz', async (t) => {
  const p = new PromptPlayer(new Int16Array(48000 + 24), 48000, 2); // 1.0005 s
  t.equal(p.durationMs, 2001);
  const { counts } = drain(p, 102, 960);
  t.equal(counts.reduce((a, b) => a + b, 0), 2 * 48024);
  t.equal(counts[99], 960);
  t.equal(counts[100], 48, 'the last 1 ms');
  t.equal(counts[101], 0);
  t.ok(p.done);
});

t.test('an empty prompt is done at once; bad arguments are BadRequestError', async (t) => {
  const p = new PromptPlayer(new Int16Array(0), 8000, 5);
  t.ok(p.done);
  t.equal(p.durationMs, 0);
  const out = new Int16Array(FRAME).fill(7);
  t.equal(p.read(out, 0, FRAME), 0);
  t.equal(rms(out), 0);
  t.throws(() => new PromptPlayer(new Int16Array(8), 8000, 0), new BadRequestError('Invalid repeat-times'));
  t.throws(() => new PromptPlayer(new Int16Array(8), 8000, 1.5), new BadRequestError('Invalid repeat-times'));
  t.throws(() => new PromptPlayer(new Int16Array(8), 0, 1), new BadRequestError('Invalid prompt sample rate'));
});

t.test('read() allocates nothing per frame', async (t) => {
  const p = new PromptPlayer(new Int16Array(8000).fill(100), 8000, 1_000_000);
  const out = new Int16Array(FRAME);
  const frames = 500_000;
  const { bytesPerCall, gcs } = await measureAlloc(() => {
    for (let i = 0; i < frames; i++) p.read(out, 0, FRAME);
  }, frames);
  t.ok(bytesPerCall < 0.1, `${bytesPerCall.toFixed(4)} B/frame of heap growth`);
  t.equal(gcs, 0, 'no GC during the loop');
});
