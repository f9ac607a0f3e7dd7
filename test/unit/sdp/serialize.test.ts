/**
 * writeTransform (serialize.ts) is sdp-transform's writer with a fast path for simple sessions: it must
 * give exactly transform.write's text for every session, simple or not. Compared here on the fixture
 * SDPs, on thousands of mutated ones, and on the shapes rewriteSdp hands to the writer.
 */
import * as transform from 'sdp-transform';
import t from 'tap';
import { SdpParseError } from '../../../src/errors';
import { parseSdp, rewriteSdp, type ParsedSdp } from '../../../src/sdp/index';
import { hasFastPath, writeOwnedSdp, writeTransform } from '../../../src/sdp/serialize';
import type { TransformSession } from '../../../src/sdp/types';
import { AUDIO_VIDEO_OFFER, HOLD_OFFER, PHONE_OFFER, SIPP_SDP, WEBRTC_OFFER, mutate, prng, sdp } from '../../fixtures/sdp/sdp';

const SIMPLE = sdp(
  'v=0',
  'o=- 1 1 IN IP4 192.0.2.1',
  's=-',
  'c=IN IP4 192.0.2.1',
  't=0 0',
  'm=audio 4000 RTP/AVP 0 8 101',
  'c=IN IP4 192.0.2.9',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtpmap:96 opus/48000/2',
  'a=rtpmap:97 X',
  'a=fmtp:101 0-16',
  'a=maxptime:40',
  'a=rtcp-mux',
  'a=x-unknown:1',
  'a=sendrecv',
);
const SEEDS = [SIMPLE, SIPP_SDP, PHONE_OFFER, WEBRTC_OFFER, AUDIO_VIDEO_OFFER, HOLD_OFFER];

type T = Pick<typeof t, 'equal' | 'same'>;

/** Both writers on copies of `session`: same text, same defaults filled in. */
function same(t: T, session: TransformSession, what: string): void {
  const a = structuredClone(session);
  const b = structuredClone(session);
  t.equal(writeTransform(a), transform.write(b), what);
  t.same(a, b, `${what}: the same defaults filled in`);
}

/** writeOwnedSdp with the fast path and with transform.write itself: same text. True if the fast path ran. */
function sameOwned(t: T, session: TransformSession, what: string): boolean {
  const fast = hasFastPath(writeOwnedCopy(session));
  t.equal(writeOwnedSdp(structuredClone(session)), writeOwnedSdp(structuredClone(session), transform.write), what);
  return fast;
}

/** The session writeOwnedSdp hands to the writer (origin removed, direction/rtcp/ptime moved into invalid). */
function writeOwnedCopy(session: TransformSession): TransformSession {
  let seen: TransformSession | null = null;
  writeOwnedSdp(structuredClone(session), (s) => {
    seen = structuredClone(s);
    return transform.write(s);
  });
  return seen!;
}

/** Deep equality (tap's t.same is too slow for thousands of rounds). */
function sameShape(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function tryParse(text: string): ParsedSdp | null {
  try {
    return parseSdp(text);
  } catch (err) {
    if (err instanceof SdpParseError) return null;
    throw err;
  }
}

t.test('fixture SDPs: writer and writeOwnedSdp give sdp-transform\'s text; the fast path runs for simple ones', async (t) => {
  let fast = 0;
  for (const text of SEEDS) {
    const s = transform.parse(text) as TransformSession;
    same(t, s, 'parsed');
    same(t, writeOwnedCopy(s), 'as handed to the writer');
    if (sameOwned(t, s, 'writeOwnedSdp')) fast++;
  }
  t.ok(fast >= 3, `fast path for ${fast} of ${SEEDS.length}`);
});

t.test('defaults (no version, no name, no payloads) and odd values', async (t) => {
  const s = transform.parse(SIMPLE) as TransformSession;
  const bare = structuredClone(s) as Partial<TransformSession> & { media: TransformSession['media'] };
  delete bare.version;
  delete bare.name;
  delete (bare.media[0] as { payloads?: string }).payloads;
  same(t, bare as TransformSession, 'defaults');
  const odd = structuredClone(s);
  (odd.media[0] as { port: unknown }).port = '4000';
  (odd.media[0] as { maxptime: unknown }).maxptime = '20.5';
  odd.media[0]!.rtp[0]!.rate = undefined as unknown as number;
  (odd.timing as { start: unknown }).start = 'x';
  same(t, odd, 'strings where numbers are expected, a missing rate');
  const nulls = structuredClone(s) as unknown as Record<string, unknown>;
  nulls['description'] = null;
  nulls['bandwidth'] = undefined;
  same(t, nulls as unknown as TransformSession, 'null and undefined keys are absent for both');
  const extra = structuredClone(s) as unknown as Record<string, unknown>;
  extra['description'] = 'an i= line';
  same(t, extra as unknown as TransformSession, 'a key outside the fast path (i=) goes to sdp-transform');
});

t.test('2000 mutated SDPs: same text as sdp-transform, parsed and rewritten', async (t) => {
  const rnd = prng(0x5d9);
  let compared = 0;
  let fastParsed = 0;
  let fastRewritten = 0;
  for (let i = 0; i < 2000; i++) {
    let text = SEEDS[i % SEEDS.length]!;
    const n = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < n; k++) text = mutate(text, rnd);
    let s: TransformSession;
    try {
      s = transform.parse(text) as TransformSession;
    } catch {
      continue;
    }
    const a = structuredClone(s);
    const b = structuredClone(s);
    let expected: string | Error;
    try {
      expected = transform.write(b);
    } catch (err) {
      expected = err as Error;
    }
    if (expected instanceof Error) {
      t.throws(() => writeTransform(a), `round ${i}: both throw`);
      continue;
    }
    if (writeTransform(a) !== expected) t.fail(`round ${i}: ${JSON.stringify(text)}`);
    compared++;
    const owned = writeOwnedCopy(s);
    if (hasFastPath(owned)) fastParsed++;
    same(t, owned, `round ${i}: as handed to the writer`);
    const p = tryParse(text);
    if (p === null) continue;
    const ports = p.medias.map((m, j) => (m.port !== 0 && (m.payloads.length > 0 || m.formats.length > 0) ? 30000 + 2 * j : 0));
    let out: string;
    const before = structuredClone(p.session);
    try {
      out = rewriteSdp(p, { address: '203.0.113.5', medias: ports.map((port) => ({ port, rtcpPort: port + 1 })), replaceOrigin: true, replaceSessionConnection: true, removeIce: true });
    } catch {
      continue; // a plan that does not fit (rewrite.test covers it)
    }
    if (!sameShape(p.session, before)) t.fail(`round ${i}: rewriteSdp changed the parsed SDP`);
    // What rewriteSdp hands to writeOwnedSdp, re-built from its output, written both ways.
    if (sameOwned(t, transform.parse(out) as TransformSession, `round ${i}: rewritten`)) fastRewritten++;
  }
  t.ok(compared > 1000, `${compared} sessions compared`);
  t.ok(fastParsed > 300, `${fastParsed} parsed sessions took the fast path`);
  t.ok(fastRewritten > 300, `${fastRewritten} rewritten sessions took the fast path`);
});
