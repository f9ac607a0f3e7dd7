'use strict';
// Tiny rtpengine "ng" client for the benchmark: "<cookie> <bencoded dict>" over UDP, replies matched by
// cookie. Own bencode encoder/decoder (strings are returned as JS strings, latin1-safe for SDP).
const dgram = require('node:dgram');

function bencode(v) {
  const parts = [];
  const enc = (x) => {
    if (typeof x === 'number') {
      if (!Number.isInteger(x)) throw new TypeError('bencode: non-integer number');
      parts.push(Buffer.from(`i${x}e`));
    } else if (typeof x === 'string' || Buffer.isBuffer(x)) {
      const b = Buffer.isBuffer(x) ? x : Buffer.from(x, 'utf8');
      parts.push(Buffer.from(`${b.length}:`), b);
    } else if (Array.isArray(x)) {
      parts.push(Buffer.from('l'));
      x.forEach(enc);
      parts.push(Buffer.from('e'));
    } else if (x && typeof x === 'object') {
      parts.push(Buffer.from('d'));
      for (const k of Object.keys(x).sort()) {
        if (x[k] === undefined) continue;
        enc(k);
        enc(x[k]);
      }
      parts.push(Buffer.from('e'));
    } else throw new TypeError(`bencode: unsupported ${typeof x}`);
  };
  enc(v);
  return Buffer.concat(parts);
}

function bdecode(buf, start = 0) {
  let i = start;
  const dec = () => {
    const c = buf[i];
    if (c === 0x69) { // i
      const e = buf.indexOf(0x65, i);
      const n = Number(buf.toString('latin1', i + 1, e));
      i = e + 1;
      return n;
    }
    if (c === 0x6c) { // l
      i++;
      const out = [];
      while (buf[i] !== 0x65) out.push(dec());
      i++;
      return out;
    }
    if (c === 0x64) { // d
      i++;
      const out = {};
      while (buf[i] !== 0x65) {
        const k = dec();
        out[k] = dec();
      }
      i++;
      return out;
    }
    if (c >= 0x30 && c <= 0x39) {
      const colon = buf.indexOf(0x3a, i);
      const len = Number(buf.toString('latin1', i, colon));
      const s = buf.toString('utf8', colon + 1, colon + 1 + len);
      i = colon + 1 + len;
      return s;
    }
    throw new Error(`bdecode: bad byte 0x${(c ?? 0).toString(16)} at ${i}`);
  };
  const v = dec();
  return { value: v, end: i };
}

class NgClient {
  constructor(host, port, { timeoutMs = 2000 } = {}) {
    this.host = host;
    this.port = port;
    this.timeoutMs = timeoutMs;
    this.pending = new Map();
    this.seq = 0;
    this.prefix = `b${process.pid}_`;
    this.sock = dgram.createSocket('udp4');
    this.sock.on('message', (msg) => this.onMessage(msg));
    this.sock.on('error', () => {});
  }

  async open() {
    await new Promise((res) => this.sock.bind(0, '127.0.0.1', res));
    this.sock.connect(this.port, this.host);
    await new Promise((res) => this.sock.once('connect', res));
    try { this.sock.setRecvBufferSize(4 << 20); this.sock.setSendBufferSize(4 << 20); } catch { /* ignore */ }
  }

  onMessage(msg) {
    const sp = msg.indexOf(0x20);
    if (sp <= 0) return;
    const cookie = msg.toString('latin1', 0, sp);
    const p = this.pending.get(cookie);
    if (!p) return;
    this.pending.delete(cookie);
    clearTimeout(p.timer);
    try {
      p.resolve(bdecode(msg, sp + 1).value);
    } catch (e) {
      p.reject(e);
    }
  }

  /** Send one command; resolves with the reply dict (any result), rejects on timeout. */
  request(dict) {
    const cookie = this.prefix + (this.seq++).toString(36);
    const body = Buffer.concat([Buffer.from(cookie + ' '), bencode(dict)]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cookie);
        reject(new Error(`ng ${dict.command}: no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(cookie, { resolve, reject, timer });
      this.sock.send(body);
    });
  }

  /** Like request() but throws unless result is ok/pong. */
  async cmd(dict) {
    const r = await this.request(dict);
    if (r.result !== 'ok' && r.result !== 'pong') {
      throw new Error(`ng ${dict.command}: ${r.result} ${r['error-reason'] ?? r.message ?? ''}`);
    }
    return r;
  }

  close() {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    try { this.sock.close(); } catch { /* ignore */ }
  }
}

function sdpFor(port, sessId) {
  return [
    'v=0',
    `o=- ${sessId} 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=ptime:20',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** Media port of the first audio m= line and the connection address of an SDP. */
function parseSdpMedia(sdp) {
  const m = /^m=audio (\d+) /m.exec(sdp);
  const c = /^c=IN IP[46] (\S+)/m.exec(sdp);
  if (!m) throw new Error('no m=audio line in SDP reply');
  return { port: Number(m[1]), addr: c ? c[1] : null };
}

// What Kamailio 5.6's rtpengine_offer("replace-origin replace-session-connection ICE=remove") sends.
function offerDict(callId, fromTag, sdp) {
  return {
    command: 'offer', 'call-id': callId, 'from-tag': fromTag, sdp,
    supports: ['load limit'], replace: ['origin', 'session-connection'], ICE: 'remove',
    'received-from': ['IP4', '127.0.0.1'],
  };
}
function answerDict(callId, fromTag, toTag, sdp) {
  return {
    command: 'answer', 'call-id': callId, 'from-tag': fromTag, 'to-tag': toTag, sdp,
    supports: ['load limit'], replace: ['origin', 'session-connection'], ICE: 'remove',
    'received-from': ['IP4', '127.0.0.1'],
  };
}
function deleteDict(callId, fromTag) {
  return { command: 'delete', 'call-id': callId, 'from-tag': fromTag, supports: ['load limit'], 'received-from': ['IP4', '127.0.0.1'] };
}

// SDES (RFC 4568) on party A's leg, as bench/srtp.js and mix.js's whisper-srtp offer it: master key + salt bytes per suite.
const SDES_KEY_BYTES = { AES_CM_128_HMAC_SHA1_80: 30, AEAD_AES_128_GCM: 28 };
/** A fresh a=crypto inline key for `suite` (base64, no padding). */
function sdesKey(suite) {
  return require('node:crypto').randomBytes(SDES_KEY_BYTES[suite]).toString('base64').replace(/=+$/, '');
}
/** A plain RTP/AVP SDP made RTP/SAVP with one a=crypto line (tag 1) carrying `key`. */
function savpSdp(sdp, suite, key) {
  return sdp.replace(/^m=audio (\d+) RTP\/AVP /m, 'm=audio $1 RTP/SAVP ').replace('a=sendrecv\r\n', `a=sendrecv\r\na=crypto:1 ${suite} inline:${key}\r\n`);
}
/** The daemon's key for `suite` in its RTP/SAVP SDP, or null when the SDP is not RTP/SAVP with such a key. */
function sdesKeyOf(sdp, suite) {
  const m = new RegExp(`^a=crypto:\\d+ ${suite} inline:([A-Za-z0-9+/]+={0,2})`, 'm').exec(sdp);
  return m && /^m=audio \d+ RTP\/SAVP /m.test(sdp) ? m[1] : null;
}

module.exports = { bencode, bdecode, NgClient, sdpFor, parseSdpMedia, offerDict, answerDict, deleteDict, SDES_KEY_BYTES, sdesKey, savpSdp, sdesKeyOf };
