'use strict';
// Audio for the mix benchmark: periodic frame tables (background noise + markers) pre-encoded in
// G.711 / G.729 / Opus for the C generator, and the offline analysis that finds the markers in a
// party's received audio by normalised cross-correlation (latency measured from the audio).
const path = require('node:path');
const REPO = path.resolve(__dirname, '..', '..');

const PERIOD = 50; // frames per table = 1 s at 20 ms
const MARK_LEN_S = 0.03; // 30 ms chirp
const MARK_OFF_S = 0.005; // marker starts 5 ms into its frame
const MARK_FRAME = { customer: 0, supervisor: 25 }; // frame index of the marker in the table
const CODECS = {
  PCMU: { pt: 0, rate: 8000, rtpmap: 'PCMU/8000' },
  PCMA: { pt: 8, rate: 8000, rtpmap: 'PCMA/8000' },
  G729: { pt: 18, rate: 8000, rtpmap: 'G729/8000', fmtp: 'annexb=no' },
  opus: { pt: 111, rate: 48000, rtpmap: 'opus/48000/2', fmtp: 'useinbandfec=0' },
};

// ---- G.711 ----
function linToUlaw(s) {
  const BIAS = 0x84, CLIP = 32635;
  let sign = 0;
  if (s < 0) { s = -s; sign = 0x80; }
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exp = 7;
  for (let m = 0x4000; (s & m) === 0 && exp > 0; m >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}
function ulawToLin(u) {
  u = ~u & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}
function linToAlaw(s) {
  let mask = 0xd5;
  if (s < 0) { mask = 0x55; s = -s - 1; }
  if (s > 32767) s = 32767;
  const seg = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff].findIndex((e) => s <= e);
  let a;
  if (seg < 0) a = 0x7f;
  else { a = seg << 4; a |= seg < 2 ? (s >> 4) & 0x0f : (s >> (seg + 3)) & 0x0f; }
  return (a ^ mask) & 0xff;
}
function alawToLin(a) {
  a ^= 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8; else if (seg === 1) t += 0x108; else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

// ---- signals ----
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}
/** Hann-windowed linear chirp f0 -> f1 over MARK_LEN_S at rate fs, peak amplitude amp. */
function chirp(fs, f0, f1, amp) {
  const n = Math.round(MARK_LEN_S * fs);
  const out = new Float64Array(n);
  const T = MARK_LEN_S;
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const ph = 2 * Math.PI * (f0 * t + ((f1 - f0) / (2 * T)) * t * t);
    out[i] = amp * 0.5 * (1 - Math.cos((2 * Math.PI * i) / (n - 1))) * Math.sin(ph);
  }
  return out;
}
const MARKS = { customer: [400, 3000], supervisor: [3000, 400] };

/** One period of PCM (Int16Array, PERIOD * 20 ms at fs) for a role: noise + its marker. */
function rolePcm(role, fs, seedExtra = 0) {
  const n = PERIOD * fs / 50;
  const pcm = new Int16Array(n);
  // background: low-passed noise, ~ -40 dBFS rms (keeps codecs and the mixer busy like real audio)
  const r = rng({ customer: 11, agent: 22, supervisor: 33, a: 44, b: 55 }[role] + seedExtra);
  let y = 0;
  const a = Math.exp(-2 * Math.PI * 2500 / fs);
  for (let i = 0; i < n; i++) { y = a * y + (1 - a) * (r() - 0.5) * 2400; pcm[i] = Math.round(y * 1.2); }
  if (MARKS[role]) {
    const c = chirp(fs, MARKS[role][0], MARKS[role][1], 12000);
    const start = MARK_FRAME[role] * fs / 50 + Math.round(MARK_OFF_S * fs);
    for (let i = 0; i < c.length; i++) pcm[start + i] = Math.max(-32768, Math.min(32767, pcm[start + i] + Math.round(c[i])));
  }
  return pcm;
}

let opusMod;
function opus() { return (opusMod ??= require(path.join(REPO, 'node_modules', '@discordjs', 'opus'))); }
let nativeMod;
function native() { return (nativeMod ??= require(path.join(REPO, 'node_modules', 'node-gyp-build'))(path.join(REPO, 'native'))); }

/** Encode a periodic PCM signal into PERIOD frames (steady-state: the 2nd pass of a stateful codec). */
function encodeTable(codec, role) {
  const c = CODECS[codec];
  const pcm = rolePcm(role, c.rate);
  const fl = c.rate / 50;
  const frames = [];
  if (codec === 'PCMU' || codec === 'PCMA') {
    const enc = codec === 'PCMU' ? linToUlaw : linToAlaw;
    for (let f = 0; f < PERIOD; f++) {
      const b = Buffer.alloc(fl);
      for (let i = 0; i < fl; i++) b[i] = enc(pcm[f * fl + i]);
      frames.push(b);
    }
  } else if (codec === 'G729') {
    const n = native();
    const h = n.g729EncoderCreate(false);
    for (let pass = 0; pass < 2; pass++) {
      for (let f = 0; f < PERIOD; f++) {
        const out = new Uint8Array(20);
        let o = 0;
        for (let k = 0; k < 2; k++) o += n.g729Encode(h, pcm, f * fl + k * 80, 80, out, o);
        if (pass === 1) frames.push(Buffer.from(out.subarray(0, o)));
      }
    }
    n.destroy(h);
  } else if (codec === 'opus') {
    const e = new (opus().OpusEncoder)(48000, 1);
    e.setBitrate(24000);
    for (let pass = 0; pass < 2; pass++) {
      for (let f = 0; f < PERIOD; f++) {
        const b = Buffer.from(pcm.buffer, pcm.byteOffset + f * fl * 2, fl * 2);
        const pkt = e.encode(b);
        if (pass === 1) frames.push(Buffer.from(pkt));
      }
    }
  } else throw new Error(`codec ${codec}?`);
  return frames;
}

/** Decoder for a received stream: payload Buffer -> Int16Array at 8 kHz (160 samples per 20 ms). */
function makeDecoder(codec) {
  if (codec === 'PCMU' || codec === 'PCMA') {
    const dec = codec === 'PCMU' ? ulawToLin : alawToLin;
    return (p) => { const o = new Int16Array(p.length); for (let i = 0; i < p.length; i++) o[i] = dec(p[i]); return o; };
  }
  if (codec === 'G729') {
    const n = native();
    const h = n.g729DecoderCreate();
    return (p) => {
      const o = new Int16Array(160);
      let w = 0;
      for (let off = 0; off + 10 <= p.length && w < 160; off += 10) w += n.g729Decode(h, p, off, 10, o, w);
      return o;
    };
  }
  if (codec === 'opus') {
    const d = new (opus().OpusEncoder)(8000, 1);
    return (p) => { const b = d.decode(p); return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };
  }
  throw new Error(`codec ${codec}?`);
}

/** Marker templates at 8 kHz (what the correlation looks for). */
function template(role) { return chirp(8000, MARKS[role][0], MARKS[role][1], 1); }

/** Parse the generator's dumps. */
function parseRx(buf) {
  const byParty = new Map();
  let o = 0;
  while (o + 22 <= buf.length) {
    const party = buf.readUInt32LE(o), seq = buf.readUInt16LE(o + 4), pt = buf[o + 6];
    const krx = buf.readBigUInt64LE(o + 12), len = buf.readUInt16LE(o + 20);
    const payload = buf.subarray(o + 22, o + 22 + len);
    o += 22 + len;
    let a = byParty.get(party);
    if (!a) byParty.set(party, (a = []));
    a.push({ seq, pt, krx: Number(krx) / 1e3, payload }); // krx in µs (realtime)
  }
  return byParty;
}
function parseTx(buf) {
  const out = [];
  for (let o = 0; o + 16 <= buf.length; o += 16) out.push({ party: buf.readUInt32LE(o), seq: buf.readUInt32LE(o + 4), tx: Number(buf.readBigUInt64LE(o + 8)) / 1e3 });
  return out;
}

/**
 * Decode one party's received packets into a contiguous 8 kHz signal with the arrival time of each
 * 20 ms frame. Packets ordered by extended sequence; holes become zero frames.
 */
function decodeStream(pkts, codec) {
  if (!pkts.length) return null;
  let ext = pkts[0].seq, last = pkts[0].seq;
  const withExt = pkts.map((p) => { const d = ((p.seq - last + 32768) & 0xffff) - 32768; ext += d; last = p.seq; return { ...p, ext }; });
  withExt.sort((a, b) => a.ext - b.ext);
  const first = withExt[0].ext, nfr = withExt[withExt.length - 1].ext - first + 1;
  if (nfr > 100000) return null;
  const pcm = new Float64Array(nfr * 160);
  const arr = new Float64Array(nfr).fill(NaN);
  const dec = makeDecoder(codec);
  for (const p of withExt) {
    const f = p.ext - first;
    if (!Number.isNaN(arr[f])) continue;
    const s = dec(p.payload);
    for (let i = 0; i < Math.min(160, s.length); i++) pcm[f * 160 + i] = s[i];
    arr[f] = p.krx;
  }
  return { pcm, arr };
}

/**
 * Latency (ms) of each marker: for a marker sent at tx (µs, realtime, frame start) find the best
 * normalised correlation of the role's template in the receiver's audio within [tx - 20 ms, tx + win].
 * Returns {lat: [...ms], missed, weak}. lat = (arrival of the frame holding the peak + offset/8 kHz)
 * - (tx + marker offset in its frame).
 */
function findMarkers(stream, markerTx, role, { winMs = 400, minCorr = 0.5 } = {}) {
  const tpl = template(role);
  const L = tpl.length;
  let tE = 0;
  for (const v of tpl) tE += v * v;
  const res = { lat: [], missed: 0, weak: 0, corr: [] };
  if (!stream) { res.missed = markerTx.length; return res; }
  const { pcm, arr } = stream;
  const nfr = arr.length;
  // frame arrival times are increasing in sequence order except for reordering; find frame range by scan
  for (const tx of markerTx) {
    let f0 = -1, f1 = -1;
    for (let f = 0; f < nfr; f++) {
      const a = arr[f];
      if (Number.isNaN(a)) continue;
      if (a >= tx - 20000 && f0 < 0) f0 = f;
      if (a <= tx + winMs * 1000) f1 = f;
      else if (f0 >= 0) break;
    }
    if (f0 < 0 || f1 < f0) { res.missed++; continue; }
    const s0 = f0 * 160, s1 = Math.min(pcm.length - L, (f1 + 1) * 160);
    let best = -1, bestAt = -1;
    // running energy of the signal window
    let e = 0;
    for (let i = 0; i < L; i++) e += pcm[s0 + i] * pcm[s0 + i];
    for (let s = s0; s <= s1; s++) {
      let c = 0;
      for (let i = 0; i < L; i++) c += pcm[s + i] * tpl[i];
      const nc = e > 0 ? c / Math.sqrt(e * tE) : 0;
      if (nc > best) { best = nc; bestAt = s; }
      e += pcm[s + L] * pcm[s + L] - pcm[s] * pcm[s];
    }
    if (bestAt < 0) { res.missed++; continue; }
    if (best < minCorr) { res.weak++; continue; }
    const f = Math.floor(bestAt / 160), off = bestAt % 160;
    if (Number.isNaN(arr[f])) { res.missed++; continue; }
    const rxUs = arr[f] + (off * 1e6) / 8000;
    const txUs = tx + MARK_OFF_S * 1e6;
    res.lat.push((rxUs - txUs) / 1000);
    res.corr.push(best);
  }
  return res;
}

function quantile(sorted, q) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

module.exports = { PERIOD, MARK_FRAME, CODECS, encodeTable, parseRx, parseTx, decodeStream, findMarkers, quantile, makeDecoder, rolePcm };
