'use strict';
// Relay benchmark step: set up N two-party G.711 calls over ng (offer/answer exactly as a proxy
// would), hand the port list to the C generator, run it pinned to its own core, delete the calls.
const { spawn } = require('node:child_process');
const { schedPrefix } = require('./daemons');
const fs = require('node:fs');
const { sdpFor, parseSdpMedia, offerDict, answerDict, deleteDict, sdesKey, savpSdp, sdesKeyOf } = require('./ng');

/** Run fn(i) for i in [0,n) with at most `conc` in flight. */
async function pool(n, conc, fn) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
}

const dgram = require('node:dgram');

/**
 * n even UDP ports on 127.0.0.1 from `base` up that are free right now (probed by binding; the
 * machine may run other software on loopback). The generator binds them moments later.
 */
async function freePorts(n, base) {
  const out = [];
  for (let p = base; out.length < n; p += 2) {
    if (p > 65000) throw new Error(`not enough free UDP ports above ${base}`);
    const ok = await new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => { s.close(); resolve(false); });
      s.bind(p, '127.0.0.1', () => { s.close(); resolve(true); });
    });
    if (ok) out.push(p);
  }
  return out;
}

/** Generator-side ports of call c. shared = 0: a port pair per call; shared = K: K port pairs reused. */
function localPorts(c, ports, shared) {
  const slot = shared > 0 ? c % shared : c;
  return { a: ports[2 * slot], b: ports[2 * slot + 1] };
}

/**
 * Offer/answer n calls. Returns [{callId, fromTag, a, b, relayA, relayB}], relayA = port A must send to.
 * With `sdes` (a suite, bench/srtp.js): A offers RTP/SAVP with a fresh SDES key and asks for a plain B leg
 * (transport-protocol RTP/AVP); each call also carries keyA (A's key) and keyD (the daemon's, from its answer to A).
 */
async function setupCalls(ng, n, { tag, ports, shared, conc = 32, sdes = null }) {
  const calls = new Array(n);
  await pool(n, conc, async (c) => {
    const callId = `${tag}-${c}`;
    const fromTag = `a${c}`;
    const toTag = `b${c}`;
    const { a, b } = localPorts(c, ports, shared);
    const keyA = sdes ? sdesKey(sdes) : null;
    const offer = offerDict(callId, fromTag, keyA ? savpSdp(sdpFor(a, 1000 + c), sdes, keyA) : sdpFor(a, 1000 + c));
    if (keyA) offer['transport-protocol'] = 'RTP/AVP';
    const off = await ng.cmd(offer);
    if (keyA && /^a=crypto/m.test(off.sdp)) throw new Error(`the daemon offered B SRTP (transport-protocol RTP/AVP ignored): ${off.sdp}`);
    const toB = parseSdpMedia(off.sdp); // relay's port facing B
    const ans = await ng.cmd(answerDict(callId, fromTag, toTag, sdpFor(b, 2000 + c)));
    const toA = parseSdpMedia(ans.sdp); // relay's port facing A
    if (toA.addr !== '127.0.0.1' || toB.addr !== '127.0.0.1') throw new Error(`unexpected media address ${toA.addr}/${toB.addr}`);
    calls[c] = { callId, fromTag, a, b, relayA: toA.port, relayB: toB.port };
    if (keyA) {
      const keyD = sdesKeyOf(ans.sdp, sdes);
      if (!keyD) throw new Error(`the daemon's answer to A is not RTP/SAVP with a ${sdes} key:\n${ans.sdp}`);
      Object.assign(calls[c], { keyA, keyD });
    }
  });
  return calls;
}

async function deleteCalls(ng, calls, conc = 32) {
  await pool(calls.length, conc, async (i) => {
    const c = calls[i];
    if (c) await ng.request(deleteDict(c.callId, c.fromTag)).catch(() => {});
  });
}

/** Run the generator; resolves with its JSON result. */
function runGenerator({ bin, callsFile, warmup, duration, drain, tickUs, rcvbuf, daemonPid, cpu, sched, timeoutMs }) {
  const args = ['--calls', callsFile, '--warmup', String(warmup), '--duration', String(duration), '--drain', String(drain)];
  if (tickUs) args.push('--tick-us', String(tickUs));
  if (rcvbuf) args.push('--rcvbuf', String(rcvbuf));
  if (daemonPid) args.push('--daemon-pid', String(daemonPid));
  const pre = [...schedPrefix(sched), 'taskset', '-c', String(cpu)];
  const command = [...pre, bin, ...args];
  return new Promise((resolve, reject) => {
    const p = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { p.kill('SIGTERM'); setTimeout(() => p.kill('SIGKILL'), 2000); }, timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`rtpgen exited ${code}: ${err.trim()}`));
      try {
        const r = JSON.parse(out);
        r.command = command.join(' ');
        resolve(r);
      } catch (e) {
        reject(new Error(`rtpgen output not JSON: ${e.message}: ${out.slice(0, 200)} ${err}`));
      }
    });
  });
}

/** One line per call for the generator: A's and B's ports, the relay's ports facing them, and A's and the daemon's SDES keys if any. */
function writeCallsFile(file, calls) {
  fs.writeFileSync(file, calls.map((c) => `${c.a} ${c.b} ${c.relayA} ${c.relayB}${c.keyA ? ` ${c.keyA} ${c.keyD}` : ''}`).join('\n') + '\n');
}

/** Self-test calls (no relay): A sends straight to B and back. */
function selfCalls(n, ports, shared) {
  return Array.from({ length: n }, (_, c) => {
    const { a, b } = localPorts(c, ports, shared);
    return { a, b, relayA: b, relayB: a };
  });
}

module.exports = { freePorts, setupCalls, deleteCalls, runGenerator, writeCallsFile, selfCalls, pool, localPorts };
