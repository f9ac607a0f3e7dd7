/**
 * The mix* N-API contract (native/src/mix_binding.cc, native/index.d.ts) on the probe site: argument
 * checks with stable codes, a refused command that changes nothing, idempotent close and CLOSED after
 * it, the capture record format (header fields, padding, whole records per drain), stats layout.
 * Behaviour of the mix itself: mixDiff.test.ts (against the TS engine).
 */
import t from 'tap';
import { loadNative } from '../../../src/native/addon';
import { writeRtpHeader } from '../../../src/media/rtp';
import type { MixHandle, WhisperdNative } from '../../../native/index';

const loaded = loadNative();
if (loaded === null || typeof loaded.mixProbeCreate !== 'function') {
  t.fail('the native addon with the mix probe does not load (build it: make native)');
  process.exit(1);
}
type Req<T> = { [K in keyof T]-?: NonNullable<T[K]> };
const n = loaded as Req<WhisperdNative>;
const ARG = -1;
const CLOSED = -3;
const PAYLOAD = -4;

function pkt(pt: number, seq: number, ts: number, payload: Uint8Array, marker = false): Uint8Array {
  const d = new Uint8Array(12 + payload.length);
  writeRtpHeader(d, 0, pt, marker, seq, ts, 0x11223344);
  d.set(payload, 12);
  return d;
}

interface Rec {
  size: number;
  type: number;
  idx: number;
  flags: number;
  id: number;
  n: number;
  at: number;
  payload: Uint8Array;
}
function records(buf: Uint8Array, len: number): Rec[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, len);
  const out: Rec[] = [];
  for (let off = 0; off < len; ) {
    const size = dv.getUint32(off, true);
    const type = dv.getUint16(off + 4, true);
    const cnt = dv.getUint32(off + 12, true);
    out.push({ size, type, idx: buf[off + 6]!, flags: buf[off + 7]!, id: dv.getUint32(off + 8, true), n: cnt, at: dv.getFloat64(off + 16, true), payload: buf.slice(off + 24, off + 24 + (type === 1 || type === 2 ? cnt : 0)) });
    off += size;
  }
  return out;
}

function twoParty(): MixHandle {
  const m = n.mixProbeCreate(8000, 5, 24000);
  t.equal(n.mixSetParticipant(m, 0, 0, 8000, 0, 101, 1), 0);
  t.equal(n.mixSetParticipant(m, 1, 0, 8000, 0, 101, 0), 0);
  n.mixSetGain(m, 0, 1, 1);
  n.mixSetGain(m, 1, 0, 1);
  n.mixReconfigure(m);
  return m;
}

t.test('creation arguments', async (t) => {
  t.throws(() => n.mixProbeCreate(12000 as 8000, 5, 24000), RangeError, 'mix rate 8000 or 16000 only');
  t.throws(() => n.mixProbeCreate(8000, 11, 24000), RangeError, 'opus complexity 0..10');
  t.throws(() => n.mixProbeCreate(8000, 5, 100), RangeError, 'opus bitrate 500..512000');
  t.throws(() => n.mixCreate(-2, 8000, 5, 24000), RangeError, 'thread >= -1');
  const m = n.mixProbeCreate(16000, 5, 24000);
  t.equal(n.mixThreadOf(m), -1, 'a probe has no media thread');
  t.ok(n.mixId(m) > 0, 'an id');
  const m2 = n.mixProbeCreate(16000, 5, 24000);
  t.not(n.mixId(m2), n.mixId(m), 'ids are unique');
  n.mixClose(m);
  n.mixClose(m2);
});

t.test('participant arguments, and a refused update changes nothing', async (t) => {
  const m = twoParty();
  t.equal(n.mixSetParticipant(m, 16, 0, 8000, 0, 101, -1), ARG, 'index 0..15');
  t.equal(n.mixSetParticipant(m, 2, 7, 8000, 0, 101, -1), ARG, 'unknown codec id');
  t.equal(n.mixSetParticipant(m, 2, 0, 8000, 128, 101, -1), ARG, 'pt 0..127');
  t.equal(n.mixSetParticipant(m, 2, 0, 8000, 0, 101, 16), ARG, 'peer -1..15');
  t.equal(n.mixSetParticipant(m, 1, 0, 12345, 0, 101, 0), ARG, 'G.711 at a clock rate that is not a multiple of 50 is refused');
  const stats = new Float64Array(n.MIX_STATS_SIZE);
  t.equal(n.mixStats(m, 1, stats), 0, 'participant 1 is still there');
  t.equal(stats[5], 1, 'and still passthrough');
  const d = pkt(0, 7, 160, new Uint8Array(160).fill(0xd5));
  t.equal(n.mixProbeRtp(m, 0, d, d.length, 1000, true), 0);
  const buf = new Uint8Array(4096);
  const recs = records(buf, n.mixProbeDrain(m, buf));
  t.equal(recs.length, 1, 'one packet forwarded to participant 1');
  t.same([...recs[0]!.payload], [...d], 'as is');
  t.equal(n.mixStats(m, 5, stats), -1, 'stats of a missing participant: -1');
  t.equal(n.mixStats(m, 1, new Float64Array(n.MIX_STATS_SIZE - 1)), ARG, 'a short stats array: ARG');
  t.equal(n.mixAddPrompt(m, 5, new Int16Array(160), 1), -1, 'prompt into a missing output: -1');
  t.equal(n.mixAddPrompt(m, 1, new Int16Array(160), 0), ARG, 'repeat >= 1');
  t.equal(n.mixSetGain(m, 0, 1, Number.NaN), ARG, 'a gain must be finite');
  n.mixClose(m);
});

t.test('capture records: SENT and DTMF headers, padding, whole records per drain', async (t) => {
  const m = twoParty();
  const id = n.mixId(m);
  const audio = pkt(0, 1, 0, new Uint8Array(161).fill(0xff)); // 173 bytes: padded to 200
  const ev = pkt(101, 2, 0, Uint8Array.of(1, 10, 0, 160), true);
  n.mixProbeRtp(m, 0, audio, audio.length, 1234.5, true);
  n.mixProbeRtp(m, 1, ev, ev.length, 1240.25, false);
  t.equal(n.mixProbeRtp(m, 0, new Uint8Array(8), 8, 1250, true), PAYLOAD, 'not RTP: PAYLOAD');
  const small = new Uint8Array(200);
  const first = n.mixProbeDrain(m, small);
  t.equal(first, 200, 'only the first whole record fits');
  const [sent] = records(small, first);
  t.match(sent, { size: 200, type: 1, idx: 1, id, n: 173, at: 1234.5 }, 'SENT: destination, mix id, length, time');
  t.same([...sent!.payload], [...audio]);
  const buf = new Uint8Array(4096);
  const rest = records(buf, n.mixProbeDrain(m, buf));
  t.same(
    rest.map((r) => [r.type, r.idx, r.flags, r.n, r.at, r.size % 8]),
    [
      [1, 0, 0, 16, 1240.25, 0],
      [2, 1, 0, 16, 1240.25, 0],
    ],
    'the event relayed to participant 0, then reported (DTMF, not from the latched source)',
  );
  t.equal(n.mixProbeDrain(m, buf), 0, 'drained');
  n.mixClose(m);
});

t.test('close is idempotent; everything answers CLOSED afterwards', async (t) => {
  const m = twoParty();
  t.equal(n.mixClose(m), 0);
  t.equal(n.mixClose(m), 0, 'again');
  t.equal(n.destroy(m as never), 0, 'destroy of a closed mix');
  t.equal(n.mixSetParticipant(m, 2, 0, 8000, 0, 101, -1), CLOSED);
  t.equal(n.mixSetGain(m, 0, 1, 1), CLOSED);
  t.equal(n.mixReconfigure(m), CLOSED);
  t.equal(n.mixProbeTick(m, 5), CLOSED);
  t.equal(n.mixStats(m, 0, new Float64Array(n.MIX_STATS_SIZE)), CLOSED);
  t.equal(n.mixId(m), CLOSED);
  t.equal(n.mixHasPrompts(m), false);
  const r = n.resamplerCreate(8000, 16000, 6);
  t.equal(n.mixClose(r as unknown as MixHandle), ARG, 'mixClose of another kind of handle: ARG, not freed');
  t.equal(n.resamplerProcess(r, new Int16Array(160), 0, 160, new Int16Array(320), 0), 320, 'the resampler still works');
  n.destroy(r);
  const m2 = twoParty();
  t.equal(n.destroy(m2 as never), 0, 'destroy() closes a mix too');
  t.equal(n.mixReconfigure(m2), CLOSED);
});

t.test('prompts: count, stop, hasPrompts', async (t) => {
  const m = twoParty();
  t.equal(n.mixHasPrompts(m), false);
  t.equal(n.mixAddPrompt(m, 1, new Int16Array(800).fill(1000), 2), 0);
  t.equal(n.mixAddPrompt(m, 1, new Int16Array(800).fill(1000), 1), 0);
  t.equal(n.mixHasPrompts(m), true);
  const stats = new Float64Array(n.MIX_STATS_SIZE);
  n.mixStats(m, 1, stats);
  t.equal(stats[5], 2, 'a prompt makes the output mix');
  t.equal(n.mixStopPrompts(m, 1), 2, 'two were playing');
  t.equal(n.mixHasPrompts(m), false);
  t.equal(n.mixStopPrompts(m, 1), 0);
  // A prompt that plays out is dropped from the output (100 ms, once).
  t.equal(n.mixAddPrompt(m, 0, new Int16Array(800).fill(1000), 1), 0);
  for (let now = 1000; now <= 1200; now += 5) n.mixProbeTick(m, now);
  t.equal(n.mixHasPrompts(m), false, 'played out');
  n.mixClose(m);
});
