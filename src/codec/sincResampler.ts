/**
 * Pure-TS sample-rate converter, used by Resampler when the native addon (speexdsp) is missing.
 * Rational polyphase FIR: out/in = L/M (reduced by the GCD), prototype low-pass designed at in·L Hz as a
 * Kaiser-windowed sinc. Stopband ≥ 75 dB from the lower Nyquist frequency up, -6 dB point at 0.92 of
 * it, passband flat (< 0.1 dB) to 0.84 of it. Group delay ≈ 29 samples at the lower rate.
 * Mono int16; all state preallocated; process() allocates nothing.
 */

const STOPBAND_DB = 75;
const TRANSITION = 0.16; // transition width as a fraction of the lower Nyquist frequency
const MAX_INPUT = 5760; // samples per call (120 ms at 48 kHz)

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

export class SincResampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly up: number; // L
  private readonly down: number; // M
  private readonly taps: number; // taps per phase
  /** coeffs[p * taps + k]: phase p, tap k (applied to x[n - k]). */
  private readonly coeffs: Float32Array;
  /** taps-1 samples of history followed by the current input block. */
  private readonly buf: Float32Array;
  /** Block-relative index of the newest input sample of the next output, and its phase. */
  private n = 0;
  private phase = 0;

  constructor(inRate: number, outRate: number) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate < 1000 || outRate < 1000) {
      throw new RangeError(`bad resampler rates ${inRate} → ${outRate}`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    const highRate = inRate * this.up;
    const lowNyquist = Math.min(inRate, outRate) / 2;
    // Kaiser design: length from the stopband attenuation and the transition width.
    const beta = 0.1102 * (STOPBAND_DB - 8.7);
    const deltaOmega = (2 * Math.PI * TRANSITION * lowNyquist) / highRate;
    const length = Math.ceil((STOPBAND_DB - 8) / (2.285 * deltaOmega)) + 1;
    this.taps = Math.ceil(length / this.up);
    const total = this.taps * this.up;
    const fc = (lowNyquist * (1 - TRANSITION / 2)) / highRate; // cycles per high-rate sample
    const proto = new Float64Array(total);
    const mid = (total - 1) / 2;
    for (let i = 0; i < total; i++) {
      const t = i - mid;
      const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
      const r = (2 * i) / (total - 1) - 1;
      proto[i] = (sinc * besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r)))) / besselI0(beta);
    }
    // Polyphase split with gain L (zero-stuffing loses a factor L).
    this.coeffs = new Float32Array(total);
    for (let p = 0; p < this.up; p++) {
      for (let k = 0; k < this.taps; k++) this.coeffs[p * this.taps + k] = proto[k * this.up + p]! * this.up;
    }
    this.buf = new Float32Array(this.taps - 1 + MAX_INPUT);
    this.outputLatency = Math.round((total - 1) / 2 / this.down);
  }

  /** The filter's group delay in output samples. */
  readonly outputLatency: number;

  /** Resample input[inOff .. inOff+inLen) into out[outOff ..]. Returns samples written, -1/-2 on bad args/space. */
  process(input: Int16Array, inOff: number, inLen: number, out: Int16Array, outOff: number): number {
    if (inLen < 0 || inLen > MAX_INPUT || inOff < 0 || inOff + inLen > input.length) return -1;
    const hist = this.taps - 1;
    const buf = this.buf;
    for (let i = 0; i < inLen; i++) buf[hist + i] = input[inOff + i]!;
    const taps = this.taps;
    const c = this.coeffs;
    const up = this.up;
    const down = this.down;
    let n = this.n;
    let p = this.phase;
    let o = outOff;
    const outEnd = out.length;
    while (n < inLen) {
      if (o >= outEnd) return -2;
      const base = p * taps;
      const newest = hist + n;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += c[base + k]! * buf[newest - k]!;
      const v = Math.round(acc);
      out[o++] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      p += down;
      while (p >= up) {
        p -= up;
        n++;
      }
    }
    this.n = n - inLen;
    this.phase = p;
    buf.copyWithin(0, inLen, inLen + hist);
    return o - outOff;
  }

  reset(): void {
    this.buf.fill(0);
    this.n = 0;
    this.phase = 0;
  }
}
