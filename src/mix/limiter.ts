/**
 * Soft limiter from the 32-bit mix accumulator to 16-bit PCM. Below the knee (0.9 of full scale,
 * -0.9 dBFS) samples pass unchanged; above it they are compressed smoothly toward full scale (a
 * rational curve, continuous in value and slope at the knee), so a loud sum never wraps and never
 * hard-clips audibly. The knee sits high so that a single source that fits in 16 bits — a prompt, one
 * talker — comes out sample for sample (rtpengine plays a prompt's samples as they are; issue 11 moved it
 * up from -6 dBFS, which reshaped a prompt's peaks). Int16Array stores wrap, so every value is bounded
 * explicitly before the store.
 */
const KNEE = 29491;
const HEADROOM = 32767 - KNEE;

export function softLimit(acc: Float32Array, out: Int16Array, outOff: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = acc[i]!;
    const a = x < 0 ? -x : x;
    let y: number;
    if (a <= KNEE) {
      y = a;
    } else {
      const over = a - KNEE;
      y = KNEE + (HEADROOM * over) / (over + HEADROOM);
    }
    const v = x < 0 ? -y : y;
    out[outOff + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v | 0;
  }
}
