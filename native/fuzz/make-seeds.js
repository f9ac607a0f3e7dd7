#!/usr/bin/env node
// Writes the seed corpora of the libFuzzer harnesses (native/fuzz/corpus/<harness>/) from packets laid
// out as real endpoints send them. Run once after changing it (`node native/fuzz/make-seeds.js`) and
// commit the files: they are also the corpus of the differential test (test/unit/native/rtpParse.test.ts).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function rtp({ pt = 0, marker = false, seq = 1, ts = 160, ssrc = 0x11223344, csrc = [], ext = null, payload = 160, pad = 0 }) {
  const extLen = ext ? 4 + ext.words * 4 : 0;
  const hdr = 12 + csrc.length * 4 + extLen;
  const len = hdr + (Array.isArray(payload) ? payload.length : payload) + pad;
  const b = Buffer.alloc(len, 0xd5); // G.711 A-law silence as payload filler
  b[0] = 0x80 | (pad ? 0x20 : 0) | (ext ? 0x10 : 0) | csrc.length;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  csrc.forEach((c, i) => b.writeUInt32BE(c >>> 0, 12 + i * 4));
  let off = 12 + csrc.length * 4;
  if (ext) {
    b.writeUInt16BE(ext.profile, off);
    b.writeUInt16BE(ext.words, off + 2);
    for (let i = 0; i < ext.words * 4; i++) b[off + 4 + i] = (i * 37) & 0xff;
    off += extLen;
  }
  if (Array.isArray(payload)) Buffer.from(payload).copy(b, off);
  if (pad) {
    b.fill(0, len - pad, len - 1);
    b[len - 1] = pad;
  }
  return b;
}

function event(ev, end, volume, duration) {
  return [ev, (end ? 0x80 : 0) | volume, duration >> 8, duration & 0xff];
}

// RTCP sub-packets (RFC 3550 §6.4-6.6).
function header(pt, count, bodyLen, padding = 0) {
  const len = 4 + bodyLen + padding;
  const b = Buffer.alloc(len);
  b[0] = 0x80 | (padding ? 0x20 : 0) | count;
  b[1] = pt;
  b.writeUInt16BE(len / 4 - 1, 2);
  if (padding) b[len - 1] = padding;
  return b;
}
function reportBlock(b, off, ssrc) {
  b.writeUInt32BE(ssrc, off);
  b[off + 4] = 12; // fraction lost
  b.writeUIntBE(37, off + 5, 3); // cumulative lost
  b.writeUInt32BE(0x0001_2345, off + 8);
  b.writeUInt32BE(42, off + 12);
  b.writeUInt32BE(0xabcd_0000, off + 16);
  b.writeUInt32BE(6554, off + 20);
}
function sr(ssrc, blocks = [], padding = 0) {
  const b = header(200, blocks.length, 24 + 24 * blocks.length, padding);
  b.writeUInt32BE(ssrc, 4);
  b.writeUInt32BE(0xe8a1_2345, 8);
  b.writeUInt32BE(0x8000_0000, 12);
  b.writeUInt32BE(160 * 1000, 16);
  b.writeUInt32BE(1000, 20);
  b.writeUInt32BE(160000, 24);
  blocks.forEach((s, i) => reportBlock(b, 28 + 24 * i, s));
  return b;
}
function rr(ssrc, blocks = [], padding = 0) {
  const b = header(201, blocks.length, 4 + 24 * blocks.length, padding);
  b.writeUInt32BE(ssrc, 4);
  blocks.forEach((s, i) => reportBlock(b, 8 + 24 * i, s));
  return b;
}
function sdes(chunks) {
  const parts = chunks.map(([ssrc, items]) => {
    const body = [];
    for (const [type, text] of items) body.push(type, text.length, ...Buffer.from(text));
    body.push(0);
    while ((body.length + 4) % 4) body.push(0);
    const c = Buffer.alloc(4 + body.length);
    c.writeUInt32BE(ssrc, 0);
    Buffer.from(body).copy(c, 4);
    return c;
  });
  const body = Buffer.concat(parts);
  const b = header(202, chunks.length, body.length);
  body.copy(b, 4);
  return b;
}
function bye(ssrcs, reason = '') {
  let bodyLen = ssrcs.length * 4 + (reason ? 1 + reason.length : 0);
  bodyLen = (bodyLen + 3) & ~3;
  const b = header(203, ssrcs.length, bodyLen);
  ssrcs.forEach((s, i) => b.writeUInt32BE(s, 4 + 4 * i));
  if (reason) {
    b[4 + ssrcs.length * 4] = reason.length;
    Buffer.from(reason).copy(b, 5 + ssrcs.length * 4);
  }
  return b;
}
function app(ssrc, name, data = 4) {
  const b = header(204, 1, 8 + data);
  b.writeUInt32BE(ssrc, 4);
  Buffer.from(name).copy(b, 8);
  return b;
}
function fb(pt, fmt, sender, media, fci = 0) {
  const b = header(pt, fmt, 8 + fci);
  b.writeUInt32BE(sender, 4);
  b.writeUInt32BE(media, 8);
  return b;
}

const A = 0x11223344;
const B = 0x55667788;
const C = 0x0badcafe;
const corpus = {
  rtp: {
    'pcmu-20ms': rtp({ pt: 0, seq: 1000, ts: 160000, payload: 160 }),
    'pcma-marker': rtp({ pt: 8, marker: true, seq: 65535, ts: 0xfffffff0, payload: 160 }),
    'csrc-2': rtp({ pt: 0, csrc: [B, C], payload: 160 }),
    'csrc-15': rtp({ pt: 8, csrc: Array.from({ length: 15 }, (_, i) => 0x1000 + i), payload: 20 }),
    'ext-one-byte': rtp({ pt: 111, ext: { profile: 0xbede, words: 1 }, payload: 60 }),
    'ext-two-byte': rtp({ pt: 111, ext: { profile: 0x1000, words: 3 }, csrc: [C], payload: 40 }),
    'padding-4': rtp({ pt: 0, payload: 160, pad: 4 }),
    'padding-all': rtp({ pt: 18, payload: 0, pad: 12 }),
    'g729-sid': rtp({ pt: 18, payload: 22 }),
    'header-only': rtp({ pt: 13, payload: 0 }),
    'telephone-event': rtp({ pt: 101, marker: true, payload: event(5, false, 10, 160) }),
    'rtcp-mux-rr': rr(A, [B]),
  },
  rtcp: {
    'sr-rr-sdes': Buffer.concat([sr(A, [B]), sdes([[A, [[1, 'whisperd@example.org']]]])]),
    'rr-sdes-bye': Buffer.concat([rr(B, [A, C]), sdes([[B, [[1, 'agent'], [2, 'Agent Smith']]]]), bye([B], 'hang-up')]),
    'sr-only': sr(A),
    'rr-empty': rr(B),
    'sdes-2-chunks': Buffer.concat([rr(A), sdes([[A, [[1, 'a']]], [C, [[1, 'ccc'], [6, 'tool']]]])]),
    'bye-no-reason': Buffer.concat([rr(A), bye([A, C])]),
    'app': Buffer.concat([rr(A), app(A, 'WHSP')]),
    'rtpfb-nack': Buffer.concat([rr(A, [B]), fb(205, 1, A, B, 4)]),
    'psfb-pli': Buffer.concat([rr(A), fb(206, 1, A, B)]),
    'padded-last': Buffer.concat([sr(A, [B]), rr(A, [], 8)]),
    'reduced-size': fb(206, 1, A, B),
  },
  rfc4733: {
    'digit-5-start': Buffer.from(event(5, false, 10, 160)),
    'hash-end': Buffer.from(event(11, true, 0, 1600)),
    'star-max': Buffer.from(event(10, false, 63, 65535)),
    'flash-reserved': Buffer.from([16, 0x7f, 0x03, 0x20]),
    'two-blocks': Buffer.from([...event(1, true, 10, 800), ...event(2, false, 10, 160)]),
    'in-rtp': rtp({ pt: 101, marker: true, payload: event(9, false, 7, 320) }),
  },
};

// fuzz_decode: [decoder][op][len][payload]... (see fuzz_decode.cc); payloads from the real encoders
// (bcg729 through the addon, libopus through @discordjs/opus). Decoder index: 0 PCMU, 1 PCMA, 2 G.729,
// 3/4/5 Opus at 8/16/48 kHz, 6 G.722, 7 GSM, 8-13 AMR / AMR-WB. Ops: 0 decode, 1 conceal 20 ms, 2 recover
// 20 ms (FEC), 3 G.729 CN (else reset), 4 reset.
function tone(rate, n, t0, amp) {
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(amp * Math.sin((2 * Math.PI * 440 * (t0 + i)) / rate) + (amp / 8) * Math.sin((2 * Math.PI * 1870 * (t0 + i)) / rate));
  return pcm;
}
function ops(decoder, list) {
  const out = [decoder];
  for (const [op, payload] of list) {
    out.push(op, payload.length, ...payload);
  }
  return Buffer.from(out);
}
function decodeSeeds() {
  const seeds = {};
  const alaw = Buffer.alloc(160, 0xd5);
  const ulaw = Buffer.from(Array.from({ length: 160 }, (_, i) => (i * 7) & 0xff));
  seeds['pcmu-loss'] = ops(0, [[0, ulaw], [1, []], [0, ulaw], [1, []], [1, []], [0, ulaw.subarray(0, 80)]]);
  seeds['pcma-reset'] = ops(1, [[0, alaw], [4, []], [0, alaw]]);
  const m = require('node-gyp-build')(path.join(__dirname, '..'));
  const g = m.g729EncoderCreate(true);
  const g729 = [];
  for (let f = 0; f < 6; f++) {
    const out = new Uint8Array(64);
    const n = m.g729Encode(g, f < 4 ? tone(8000, 160, f * 160, 8000) : new Int16Array(160), 0, 160, out, 0);
    g729.push(Buffer.from(out.subarray(0, n)));
  }
  seeds['g729-speech-sid-loss'] = ops(2, [[0, g729[0]], [0, g729[1]], [1, []], [0, g729[2]], ...g729.slice(4).filter((p) => p.length > 0).map((p) => [0, p])]);
  seeds['g729-cn'] = ops(2, [[0, g729[0]], [3, [60, 130, 110, 127]], [1, []], [3, [70]]]);
  // Regression: the RFC 3389 payload that made bcg729 divide by zero (test/unit/native/fuzzFindings.test.ts).
  seeds['regress-g729-cn-fpe'] = ops(2, [[3, [60, 0x24, 0x57, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x57]]]);
  const { OpusEncoder } = require('@discordjs/opus');
  for (const [idx, rate] of [[3, 8000], [4, 16000], [5, 48000]]) {
    const enc = new OpusEncoder(rate, 1);
    enc.setBitrate(24000);
    enc.applyEncoderCTL(4012, 1); // OPUS_SET_INBAND_FEC
    enc.applyEncoderCTL(4014, 20); // OPUS_SET_PACKET_LOSS_PERC
    const pk = [];
    for (let f = 0; f < 6; f++) pk.push(enc.encode(Buffer.from(tone(rate, rate / 50, f * (rate / 50), 9000).buffer)));
    seeds[`opus-${rate}-fec`] = ops(idx, [[0, pk[0]], [0, pk[1]], [0, pk[2]], [2, pk[4]], [0, pk[4]], [1, []], [0, pk[5]]]);
  }
  // Issue 11 kernels through the addon's codec binding: 6 G.722, 7 GSM, 8/9 AMR bandwidth-efficient /
  // octet-aligned, 10/11 AMR-WB likewise, 12/13 the octet-aligned ids (kPicks in fuzz_decode.cc).
  const kernels = [
    [6, 'G722', 16000, {}],
    [7, 'GSM', 8000, {}],
    [8, 'AMR', 8000, { octetAlign: false }],
    [9, 'AMR', 8000, { octetAlign: true }],
    [10, 'AMR-WB', 16000, { octetAlign: false }],
    [11, 'AMR-WB', 16000, { octetAlign: true }],
  ];
  for (const [idx, codec, rate, opts] of kernels) {
    const enc = m.codecEncoderCreate(codec, rate, opts);
    const pk = [];
    for (let f = 0; f < 3; f++) {
      const out = new Uint8Array(256);
      const n = m.codecEncode(enc, tone(rate, rate / 50, f * (rate / 50), 9000), 0, rate / 50, out, 0);
      pk.push(Buffer.from(out.subarray(0, n)));
    }
    m.destroy(enc);
    const name = `${codec.toLowerCase()}${opts.octetAlign ? '-octet' : ''}-loss`;
    seeds[name] = ops(idx, [[0, pk[0]], [1, []], [0, pk[1]], [4, []], [0, pk[2]]]);
    if (opts.octetAlign) seeds[`${name}-id`] = ops(idx + 2 + (codec === 'AMR' ? 1 : 0), [[0, pk[0]], [1, []], [0, pk[1]]]);
  }
  return seeds;
}
try {
  corpus.decode = decodeSeeds();
} catch (err) {
  console.error(`decode seeds skipped (needs the built addon and @discordjs/opus): ${err.message}`);
}

const root = path.join(__dirname, 'corpus');
for (const [dir, files] of Object.entries(corpus)) {
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  for (const [name, buf] of Object.entries(files)) fs.writeFileSync(path.join(root, dir, name), buf);
}
module.exports = { corpus };
