/**
 * Level compensation for the bleed detector by the agent leg's codec (used in both directions).
 *
 * The detector measures the part of the leak that is coherent with the whisper. Waveform codecs (G.711)
 * keep it all; CELP/hybrid codecs add incoherent coding noise on the way to the agent and back, so the
 * measured level reads low although the customer hears the full leak. Values are the median level
 * error measured by bench/bleed.bench.ts on recorded speech (same codec down and up, 0-5 % loss;
 * Opus at 16 kHz / 24 kb/s): pass `levelOffsetDb: bleedLevelOffsetDb(codec)` to BleedDetector.
 */
import type { CodecName } from '../codec/types';

const OFFSETS: Partial<Record<CodecName, number>> = {
  PCMU: 0.5,
  PCMA: 0.5,
  G729: 6,
  opus: 3,
};

/** dB to add to the measured bleed level for an agent leg using `codec` (0 for unknown codecs). */
export function bleedLevelOffsetDb(codec: CodecName): number {
  return OFFSETS[codec] ?? 0;
}
