/**
 * Two-channel Opus in Ogg (RFC 7845) for recordings (config recording.format 'ogg-opus'): interleaved
 * int16 PCM in, whole Ogg pages out. The channels are two independent mono Opus streams (channel mapping
 * family 1, 2 streams, 0 coupled; src/codec/opus.ts encoders, VOIP, at the mix rate, half the bitrate
 * each): a stereo encoder's joint coding leaks one channel into the other (about -20 dB at 8 kHz, seen
 * in the test), which a per-party recording must not do. Each Ogg packet holds both streams' 20 ms
 * frames, the first self-delimited (RFC 6716 appendix B). About one page per second; EOS on the last.
 *
 * Runs where the recording's chunks are produced (the 100 ms flush timer on Node's thread), never per
 * packet.
 */
import { OpusEncoder } from '../codec/opus';

/** Encoder lookahead of a VOIP encoder in 48 kHz samples (Fs/400 + Fs/250): the OpusHead pre-skip. */
const PRE_SKIP = 312;
const PAGE_PACKETS = 50;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function oggCrc(buf: Buffer): number {
  let crc = 0;
  for (let i = 0; i < buf.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ buf[i]!) & 0xff]!) >>> 0;
  return crc >>> 0;
}

export class OggOpusStream {
  private readonly enc: [OpusEncoder, OpusEncoder];
  private readonly frame: number;
  /** Per channel, samples waiting for a whole frame. */
  private readonly pending: [Int16Array, Int16Array];
  private npending = 0;
  private readonly out = new Uint8Array(2 * 1276 + 4);
  private packets: Buffer[] = [];
  private seq = 0;
  /** Samples (per channel, at the input rate) encoded so far. */
  samples = 0;
  private readonly serial: number;

  constructor(
    readonly rate: number,
    bitrate = 32000,
    complexity = 5,
  ) {
    const opts = { sampleRate: rate as 8000 | 16000, bitrate: Math.round(bitrate / 2), complexity, application: 'voip' as const };
    this.enc = [new OpusEncoder(opts), new OpusEncoder(opts)];
    this.frame = rate / 50;
    this.pending = [new Int16Array(this.frame), new Int16Array(this.frame)];
    this.serial = (Math.random() * 0xffffffff) >>> 0;
  }

  private page(packets: Buffer[], granule: bigint, flags: number): Buffer {
    const lacing: number[] = [];
    for (const p of packets) {
      let n = p.length;
      while (n >= 255) {
        lacing.push(255);
        n -= 255;
      }
      lacing.push(n);
    }
    const h = Buffer.alloc(27 + lacing.length);
    h.write('OggS', 0, 'ascii');
    h[4] = 0;
    h[5] = flags;
    h.writeBigInt64LE(granule, 6);
    h.writeUInt32LE(this.serial, 14);
    h.writeUInt32LE(this.seq++, 18);
    h.writeUInt32LE(0, 22);
    h[26] = lacing.length;
    for (let i = 0; i < lacing.length; i++) h[27 + i] = lacing[i]!;
    const page = Buffer.concat([h, ...packets]);
    page.writeUInt32LE(oggCrc(page), 22);
    return page;
  }

  /** The two header pages (OpusHead with mapping family 1: 2 streams, none coupled; OpusTags). */
  head(): Buffer {
    const oh = Buffer.alloc(23);
    oh.write('OpusHead', 0, 'ascii');
    oh[8] = 1;
    oh[9] = 2;
    oh.writeUInt16LE(PRE_SKIP, 10);
    oh.writeUInt32LE(this.rate, 12);
    oh.writeInt16LE(0, 16);
    oh[18] = 1; // mapping family 1 (Vorbis order: left, right)
    oh[19] = 2; // streams
    oh[20] = 0; // coupled streams
    oh[21] = 0; // left  <- stream 0
    oh[22] = 1; // right <- stream 1
    const vendor = Buffer.from('whisperd', 'ascii');
    const ot = Buffer.alloc(8 + 4 + vendor.length + 4);
    ot.write('OpusTags', 0, 'ascii');
    ot.writeUInt32LE(vendor.length, 8);
    vendor.copy(ot, 12);
    ot.writeUInt32LE(0, 12 + vendor.length);
    return Buffer.concat([this.page([oh], 0n, 0x02), this.page([ot], 0n, 0)]);
  }

  private granule(): bigint {
    return BigInt(PRE_SKIP + Math.round((this.samples * 48000) / this.rate));
  }

  private encodeFrame(): void {
    const out = this.out;
    const a = this.enc[0].encode(this.pending[0], 0, this.frame, out, 0);
    const b = this.enc[1].encode(this.pending[1], 0, this.frame, out, 1276 + 2);
    if (a <= 0 || b <= 0) throw new Error(`Opus encoder failed (${a}, ${b})`);
    if ((out[0]! & 3) !== 0) throw new Error('Opus packet is not a single frame (code 0)');
    // Stream 0 self-delimited (code 0: TOC, frame length, frame), then stream 1 as it is.
    const len = a - 1;
    const lenBytes = len < 252 ? [len] : [252 + (len & 3), (len - (252 + (len & 3))) >> 2];
    const pkt = Buffer.allocUnsafe(1 + lenBytes.length + len + b);
    pkt[0] = out[0]!;
    for (let i = 0; i < lenBytes.length; i++) pkt[1 + i] = lenBytes[i]!;
    pkt.set(out.subarray(1, a), 1 + lenBytes.length);
    pkt.set(out.subarray(1278, 1278 + b), 1 + lenBytes.length + len);
    this.packets.push(pkt);
    this.samples += this.frame;
    this.npending = 0;
  }

  /** Interleaved stereo int16 LE in; complete pages out (null: none yet). */
  push(buf: Buffer): Buffer | null {
    const out: Buffer[] = [];
    const n = buf.length >> 2;
    const [l, r] = this.pending;
    for (let i = 0; i < n; i++) {
      l[this.npending] = buf.readInt16LE(i * 4);
      r[this.npending] = buf.readInt16LE(i * 4 + 2);
      if (++this.npending === this.frame) {
        this.encodeFrame();
        if (this.packets.length >= PAGE_PACKETS) {
          out.push(this.page(this.packets, this.granule(), 0));
          this.packets = [];
        }
      }
    }
    return out.length > 0 ? Buffer.concat(out) : null;
  }

  /** The rest (a partial frame padded with silence) and the EOS page. */
  end(): Buffer {
    if (this.npending > 0) {
      this.pending[0].fill(0, this.npending);
      this.pending[1].fill(0, this.npending);
      this.encodeFrame();
    }
    const last = this.page(this.packets, this.granule(), 0x04);
    this.packets = [];
    this.enc[0].close();
    this.enc[1].close();
    return last;
  }
}
