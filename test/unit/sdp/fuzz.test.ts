import t from 'tap';
import { SdpParseError } from '../../../src/errors';
import { createAnswerSdp, parseSdp, rewriteSdp, type ParsedSdp } from '../../../src/sdp/index';
import { AUDIO_VIDEO_OFFER, HOLD_OFFER, PHONE_OFFER, SIPP_SDP, WEBRTC_OFFER, mutate, prng } from '../../fixtures/sdp/sdp';

const SEEDS = [SIPP_SDP, PHONE_OFFER, WEBRTC_OFFER, AUDIO_VIDEO_OFFER, HOLD_OFFER];
const ROUNDS = 3000;

/** Parse; anything thrown must be SdpParseError. Returns null when rejected. */
function tryParse(text: unknown): ParsedSdp | null {
  try {
    return parseSdp(text);
  } catch (err) {
    if (!(err instanceof SdpParseError) || err.message !== 'Failed to parse SDP') throw err;
    return null;
  }
}

t.test(`${ROUNDS} mutated SDPs: parse throws only SdpParseError; accepted ones rewrite, re-parse and answer`, async (t) => {
  const rnd = prng(0x5eed);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < ROUNDS; i++) {
    let text = SEEDS[i % SEEDS.length]!;
    const n = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < n; k++) text = mutate(text, rnd);
    let p: ParsedSdp | null;
    try {
      p = tryParse(text);
    } catch (err) {
      t.fail(`round ${i}: parse threw ${String(err)} for ${JSON.stringify(text)}`);
      continue;
    }
    if (p === null) {
      rejected++;
      continue;
    }
    accepted++;
    const usable = p.medias.map((m) => m.port !== 0 && (m.payloads.length > 0 || m.formats.length > 0));
    const ports = p.medias.map((_, j) => (usable[j] ? 30000 + 2 * j : 0));
    try {
      const out = rewriteSdp(p, {
        address: '127.0.0.1',
        medias: ports.map((port) => ({ port, rtcpPort: port + 1 })),
        replaceOrigin: true,
        replaceSessionConnection: rnd() < 0.5,
        removeIce: rnd() < 0.5,
        bumpVersion: true,
      });
      const again = parseSdp(out);
      const got = again.medias.map((m) => m.port);
      if (JSON.stringify(got) !== JSON.stringify(ports)) t.fail(`round ${i}: ports ${JSON.stringify(got)} != ${JSON.stringify(ports)}`);
      createAnswerSdp({
        offer: p,
        address: '127.0.0.1',
        sessionId: i,
        medias: p.medias.map((m, j) => (usable[j] && m.payloads.length > 0 ? { port: 40000 + 2 * j, rtcpPort: 40001 + 2 * j, payloads: [m.payloads[0]!] } : null)),
      });
    } catch (err) {
      t.fail(`round ${i}: rewrite/answer failed: ${String(err)} for ${JSON.stringify(text)}`);
    }
  }
  t.equal(accepted + rejected, ROUNDS);
  t.ok(accepted > ROUNDS / 10, `a fair share of mutants still parse (${accepted})`);
  t.ok(rejected > ROUNDS / 10, `a fair share of mutants are rejected (${rejected})`);
});

t.test('random garbage and odd inputs never throw anything but SdpParseError', async (t) => {
  const rnd = prng(42);
  const odd: unknown[] = [undefined, null, 0, NaN, {}, [], Symbol('x'), () => 'v=0', new Uint8Array(4), 'v=0', 'v=0\r\n', 'v=0\r\nm=', 'v=0\r\nm=audio'];
  for (let i = 0; i < 1000; i++) {
    const len = Math.floor(rnd() * 300);
    let s = rnd() < 0.5 ? 'v=0\r\n' : '';
    for (let k = 0; k < len; k++) s += String.fromCharCode(Math.floor(rnd() * (rnd() < 0.9 ? 128 : 0x10000)));
    odd.push(s);
  }
  let threwOther = 0;
  for (const x of odd) {
    try {
      tryParse(x);
    } catch {
      threwOther++;
    }
  }
  t.equal(threwOther, 0);
});
