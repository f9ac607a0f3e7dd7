/**
 * Synthesised tones: the "page connected" beeps of a whisper page, and in-band DTMF.
 *
 * Level convention (as in the test fixtures): levelDbfs is the peak of EACH sine component relative
 * to 16-bit full scale, so a 0 dBFS component has peak 32767 (its RMS is 3 dB lower). For G.711
 * a sine of peak -12 dBFS is about -12 dBm0. The sum of components is clamped to int16.
 * Every tone starts and ends with a raised-cosine (Hann) ramp, so it starts and ends at 0: no click.
 */
import { BadRequestError } from '../errors';
import { dtmfEventCode } from '../codec/telephoneEvent';

export interface ToneOptions {
  /** Hz */
  sampleRate: number;
  /** Hz, each in (0, sampleRate/2) */
  frequencies: number[];
  /** ms, ≥ 0 */
  durationMs: number;
  /** peak of each component, dBFS (≤ 0) */
  levelDbfs: number;
  /** ms of raised-cosine fade in and out (default 5; at most half the tone) */
  fadeMs?: number;
}

export const DEFAULT_FADE_MS = 5;

function invalid(reason: string): never {
  throw new BadRequestError(`Invalid tone: ${reason}`);
}

/** Sum of sines with per-component peak levels (dBFS), faded in and out. */
function synth(rate: number, freqs: readonly number[], levels: readonly number[], durationMs: number, fadeMs: number): Int16Array {
  if (!Number.isInteger(rate) || rate <= 0) invalid('sample rate must be a positive integer');
  if (freqs.length === 0) invalid('no frequencies');
  for (const f of freqs) if (!(f > 0 && f < rate / 2)) invalid(`frequency ${f} Hz outside (0, ${rate / 2}) Hz`);
  for (const l of levels) if (!(l <= 0)) invalid('level must be ≤ 0 dBFS');
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) invalid('duration must be ≥ 0 ms');
  if (!(fadeMs >= 0)) invalid('fade must be ≥ 0 ms');

  const n = Math.round((durationMs * rate) / 1000);
  const fade = Math.min(Math.round((fadeMs * rate) / 1000), n >> 1);
  const out = new Int16Array(n);
  const amps = levels.map((l) => 32767 * Math.pow(10, l / 20));
  const omegas = freqs.map((f) => (2 * Math.PI * f) / rate);
  for (let i = 0; i < n; i++) {
    let x = 0;
    for (let k = 0; k < omegas.length; k++) x += amps[k]! * Math.sin(omegas[k]! * i);
    // Hann ramp over `fade` samples each end; gain 0 at the first and the last sample.
    const edge = Math.min(i, n - 1 - i);
    if (edge < fade) x *= 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade);
    const r = Math.round(x);
    out[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
  }
  return out;
}

/** A tone of one or more sine components, all at `levelDbfs`. Throws BadRequestError("Invalid tone: …"). */
export function generateTone(opts: ToneOptions): Int16Array {
  const levels = opts.frequencies.map(() => opts.levelDbfs);
  return synth(opts.sampleRate, opts.frequencies, levels, opts.durationMs, opts.fadeMs ?? DEFAULT_FADE_MS);
}

/**
 * The "page connected" signal played to the initiator and the agent when a whisper page connects:
 * two short 880 Hz beeps (A5: clearly audible through narrow-band codecs, distinct from call-progress
 * tones at 350-620 Hz and from DTMF), 100 ms each with a 50 ms gap, 250 ms in all — short enough not
 * to cover the first words. -12 dBFS peak (≈ -12 dBm0) is about conversational speech level, so it is
 * noticed without startling. 10 ms raised-cosine ramps make it soft-edged.
 */
export const PAGE_TONE = Object.freeze({
  frequencyHz: 880,
  beepMs: 100,
  gapMs: 50,
  beeps: 2,
  levelDbfs: -12,
  fadeMs: 10,
});

/** The PAGE_TONE sequence (beep, gap, beep) at `sampleRate` Hz. */
export function pageTone(sampleRate: number): Int16Array {
  const beep = generateTone({
    sampleRate,
    frequencies: [PAGE_TONE.frequencyHz],
    durationMs: PAGE_TONE.beepMs,
    levelDbfs: PAGE_TONE.levelDbfs,
    fadeMs: PAGE_TONE.fadeMs,
  });
  const gap = Math.round((PAGE_TONE.gapMs * sampleRate) / 1000);
  const out = new Int16Array(PAGE_TONE.beeps * beep.length + (PAGE_TONE.beeps - 1) * gap);
  for (let b = 0; b < PAGE_TONE.beeps; b++) out.set(beep, b * (beep.length + gap));
  return out;
}

/** ITU-T Q.23 row (low group) and column (high group) frequencies, Hz. */
export const DTMF_LOW_HZ: readonly number[] = [697, 770, 852, 941];
export const DTMF_HIGH_HZ: readonly number[] = [1209, 1336, 1477, 1633];
/** Keypad position of each RFC 4733 event code 0..15 ('0'-'9', '*', '#', 'A'-'D') as row·4 + column. */
const DTMF_KEYPAD = [13, 0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 14, 3, 7, 11, 15];

/** In-band DTMF default: low group -10 dBFS, high group 2 dB louder (the usual +2 dB twist). */
export const DTMF_LEVEL_DBFS = -10;
export const DTMF_TWIST_DB = 2;

/**
 * The dual tone of a DTMF digit ('0'-'9', '*', '#', 'A'-'D', case-insensitive) per ITU-T Q.23.
 * `levelDbfs` is the low-group level; the high group is DTMF_TWIST_DB louder. 5 ms fades.
 */
export function dtmfTone(digit: string, rate: number, durationMs: number, levelDbfs: number = DTMF_LEVEL_DBFS): Int16Array {
  const code = digit.length === 1 ? dtmfEventCode(digit) : -1;
  if (code < 0) throw new BadRequestError('Invalid DTMF digit');
  const pos = DTMF_KEYPAD[code]!;
  const freqs = [DTMF_LOW_HZ[pos >> 2]!, DTMF_HIGH_HZ[pos & 3]!];
  return synth(rate, freqs, [levelDbfs, Math.min(0, levelDbfs + DTMF_TWIST_DB)], durationMs, DEFAULT_FADE_MS);
}
