/**
 * A ring of PCM samples addressed by absolute sample position (monotonic count of samples written).
 * One writer (an input's decode path) and several readers (outputs), each with its own cursor, so
 * outputs on different clocks read the same decoded audio without pulling the source twice.
 * Reads outside what is held (too old, or not yet written) yield zeros.
 */
export class PcmRing {
  readonly buf: Int16Array;
  private readonly mask: number;
  /** Absolute count of samples written so far. */
  written = 0;

  constructor(minSamples: number) {
    let size = 1;
    while (size < minSamples) size <<= 1;
    this.buf = new Int16Array(size);
    this.mask = size - 1;
  }

  get capacity(): number {
    return this.buf.length;
  }

  write(src: Int16Array, off: number, n: number): void {
    const buf = this.buf;
    const mask = this.mask;
    let w = this.written;
    for (let i = 0; i < n; i++) buf[(w + i) & mask] = src[off + i]!;
    this.written = w + n;
  }

  writeZeros(n: number): void {
    const buf = this.buf;
    const mask = this.mask;
    const w = this.written;
    for (let i = 0; i < n; i++) buf[(w + i) & mask] = 0;
    this.written = w + n;
  }

  /** Copy n samples starting at absolute position pos into dst[off..]. */
  read(pos: number, dst: Int16Array, off: number, n: number): void {
    const buf = this.buf;
    const mask = this.mask;
    const oldest = this.written - buf.length;
    const end = this.written;
    for (let i = 0; i < n; i++) {
      const p = pos + i;
      dst[off + i] = p >= oldest && p < end ? buf[p & mask]! : 0;
    }
  }
}
