import t from 'tap';
import { CookieCache, MAX_WAITERS } from '../../../src/control/ng/CookieCache';

function clock(): { now: () => number; advance: (s: number) => void } {
  let ms = 1_000_000;
  return { now: () => ms, advance: (s) => (ms += s * 1000) };
}

const reply = (s: string): Buffer => Buffer.from(s, 'latin1');

t.test('a reply is kept at least ttl and gone after 2 ttl', async (t) => {
  const c = clock();
  const cache = new CookieCache({ ttlSeconds: 30, now: c.now });
  c.advance(29); // put late in the first generation
  t.strictSame(cache.put('a', reply('A')), []);
  for (let s = 0; s < 30; s++) {
    t.equal(cache.get('a')?.toString(), 'A', `present ${s} s after put`);
    c.advance(1);
  }
  c.advance(31); // 61 s after put: at most 2 ttl after any swap
  t.equal(cache.get('a'), undefined);
  t.equal(cache.size, 0);
});

t.test('with no lookups in between, an entry lives until 2 ttl after the last swap', async (t) => {
  const c1 = clock();
  const early = new CookieCache({ ttlSeconds: 30, now: c1.now });
  early.put('a', reply('A'));
  c1.advance(59.999);
  t.equal(early.get('a')?.toString(), 'A', 'first lookup just before 2 ttl finds it');
  const c2 = clock();
  const late = new CookieCache({ ttlSeconds: 30, now: c2.now });
  late.put('a', reply('A'));
  c2.advance(60);
  t.equal(late.get('a'), undefined, 'first lookup at 2 ttl: both generations expired');
  t.equal(late.size, 0);
});

t.test('expire() releases idle memory', async (t) => {
  const c = clock();
  const cache = new CookieCache({ ttlSeconds: 30, now: c.now });
  cache.put('a', reply('A'));
  c.advance(30);
  cache.expire();
  t.equal(cache.size, 1, 'moved to the old generation');
  c.advance(30);
  cache.expire();
  t.equal(cache.size, 0);
});

t.test('lookups are keyed by cookie only', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  cache.put('x', reply('X'));
  t.equal(cache.get('x')?.toString(), 'X');
  t.equal(cache.get('y'), undefined);
});

t.test('in-flight duplicates are recorded and returned by put', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  t.equal(cache.begin('c'), true);
  t.equal(cache.isInFlight('c'), true);
  t.equal(cache.begin('c'), false, 'second begin reports in flight');
  t.equal(cache.join('c', { address: '127.0.0.1', port: 1000 }), true);
  t.equal(cache.join('c', { address: '127.0.0.2', port: 1001 }), true);
  t.equal(cache.join('other', { address: '127.0.0.1', port: 1 }), false, 'not in flight');
  t.strictSame(cache.put('c', reply('R')), [
    { address: '127.0.0.1', port: 1000 },
    { address: '127.0.0.2', port: 1001 },
  ]);
  t.equal(cache.isInFlight('c'), false);
  t.equal(cache.inFlightCount, 0);
  t.equal(cache.get('c')?.toString(), 'R');
});

t.test('waiters per cookie are bounded', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  cache.begin('c');
  let accepted = 0;
  for (let i = 0; i < MAX_WAITERS + 10; i++) if (cache.join('c', { address: '127.0.0.1', port: 2000 + i })) accepted++;
  t.equal(accepted, MAX_WAITERS);
  t.equal(cache.put('c', reply('R')).length, MAX_WAITERS);
});

t.test('abandon ends in-flight state without caching', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  cache.begin('c');
  cache.join('c', { address: '127.0.0.1', port: 5 });
  t.strictSame(cache.abandon('c'), [{ address: '127.0.0.1', port: 5 }]);
  t.equal(cache.get('c'), undefined);
  t.equal(cache.begin('c'), true);
});

t.test('entry bound swaps generations early; total stays bounded', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60, maxEntries: 3 });
  for (let i = 0; i < 10; i++) cache.put(`k${i}`, reply('v'));
  t.ok(cache.size <= 6, `size ${cache.size} <= 2 x maxEntries`);
  t.equal(cache.get('k9')?.toString(), 'v', 'newest kept');
  t.equal(cache.get('k0'), undefined, 'oldest dropped');
});

t.test('byte bound swaps generations early', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60, maxBytes: 100 });
  const big = Buffer.alloc(60);
  cache.put('a', big);
  cache.put('b', big); // 122 > 100 -> swap, a moves to old
  cache.put('c', big); // swap again, a dropped
  t.equal(cache.get('a'), undefined);
  t.ok(cache.get('b'));
  t.ok(cache.get('c'));
});

t.test('rejects a non-positive ttl', async (t) => {
  t.throws(() => new CookieCache({ ttlSeconds: 0 }), RangeError);
});
