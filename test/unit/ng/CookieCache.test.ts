import t from 'tap';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CookieCache, ENTRY_OVERHEAD, IN_FLIGHT_RESERVE, MAX_WAITERS } from '../../../src/control/ng/CookieCache';

function clock(): { now: () => number; advance: (s: number) => void } {
  let ms = 1_000_000;
  return { now: () => ms, advance: (s) => (ms += s * 1000) };
}

const reply = (s: string): Buffer => Buffer.from(s, 'latin1');

/** begin + put, as NgServer does for every executed command. */
function run(cache: CookieCache, cookie: string, r: Buffer): string {
  const b = cache.begin(cookie);
  if (b === 'new') cache.put(cookie, r);
  return b;
}

t.test('a reply is kept ttl seconds after it was stored, then dropped', async (t) => {
  const c = clock();
  const cache = new CookieCache({ ttlSeconds: 30, now: c.now });
  c.advance(29);
  t.strictSame(cache.put('a', reply('A')), []);
  for (let s = 0; s < 30; s++) {
    t.equal(cache.get('a')?.toString(), 'A', `present ${s} s after put`);
    c.advance(1);
  }
  t.equal(cache.get('a'), undefined, 'gone at ttl');
  t.equal(cache.size, 0);
  t.equal(cache.bytes, 0, 'its bytes are released');
});

t.test('expire() releases idle memory, oldest first', async (t) => {
  const c = clock();
  const cache = new CookieCache({ ttlSeconds: 30, now: c.now });
  cache.put('a', reply('A'));
  c.advance(20);
  cache.put('b', reply('B'));
  c.advance(10);
  cache.expire();
  t.equal(cache.size, 1, 'a expired, b kept');
  t.equal(cache.get('b')?.toString(), 'B');
  c.advance(20);
  cache.expire();
  t.equal(cache.size, 0);
  t.equal(cache.bytes, 0);
});

t.test('lookups are keyed by cookie only', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  cache.put('x', reply('X'));
  t.equal(cache.get('x')?.toString(), 'X');
  t.equal(cache.get('y'), undefined);
});

t.test('every byte of the reply comes back as stored', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  const bytes = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  cache.put('all', bytes);
  t.ok(cache.get('all')!.equals(bytes));
});

t.test('in-flight duplicates are recorded and returned by put', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  t.equal(cache.begin('c'), 'new');
  t.equal(cache.isInFlight('c'), true);
  t.equal(cache.begin('c'), 'in-flight', 'second begin reports in flight');
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

t.test('abandon ends in-flight state without caching and releases its reservation', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  cache.begin('c');
  t.equal(cache.bytes, IN_FLIGHT_RESERVE, 'a command in flight reserves room for its reply');
  cache.join('c', { address: '127.0.0.1', port: 5 });
  t.strictSame(cache.abandon('c'), [{ address: '127.0.0.1', port: 5 }]);
  t.equal(cache.bytes, 0);
  t.equal(cache.get('c'), undefined);
  t.equal(cache.begin('c'), 'new');
});

t.test('the count is cookie + reply + per-entry overhead', async (t) => {
  const cache = new CookieCache({ ttlSeconds: 60 });
  run(cache, 'cookie1', Buffer.alloc(100));
  t.equal(cache.bytes, 7 + 100 + ENTRY_OVERHEAD);
  run(cache, 'c2', Buffer.alloc(1));
  t.equal(cache.bytes, 7 + 100 + 2 + 1 + 2 * ENTRY_OVERHEAD);
});

t.test('under pressure replies older than the window are evicted, oldest first', async (t) => {
  const c = clock();
  const entry = 1000 + 2 + ENTRY_OVERHEAD;
  // Three entries fit; a fourth command's reservation on top of them does not.
  const cache = new CookieCache({ ttlSeconds: 60, windowSeconds: 5, maxBytes: IN_FLIGHT_RESERVE + Math.floor(2.5 * entry), now: c.now });
  const r = Buffer.alloc(1000);
  for (const k of ['k0', 'k1', 'k2']) {
    t.equal(run(cache, k, r), 'new');
    c.advance(2);
  }
  t.equal(cache.size, 3);
  // k0 is 6 s old (> window): it may go; k1 (4 s) may not.
  t.equal(run(cache, 'k3', r), 'new');
  t.equal(cache.get('k0'), undefined, 'the oldest reply outside the window was evicted');
  t.ok(cache.get('k1') && cache.get('k2') && cache.get('k3'));
  t.equal(cache.evicted, 1);
  t.ok(cache.bytes <= cache.budget);
});

t.test('a budget full of replies inside the window refuses new work and evicts nothing', async (t) => {
  const c = clock();
  const entry = 1000 + 2 + ENTRY_OVERHEAD;
  const cache = new CookieCache({ ttlSeconds: 60, windowSeconds: 10, maxBytes: IN_FLIGHT_RESERVE + Math.floor(2.5 * entry), now: c.now });
  const r = Buffer.alloc(1000);
  for (const k of ['k0', 'k1', 'k2']) t.equal(run(cache, k, r), 'new');
  c.advance(9.999);
  t.equal(cache.begin('k3'), 'full', 'no room without evicting a reply inside the window');
  t.equal(cache.isInFlight('k3'), false);
  for (const k of ['k0', 'k1', 'k2']) t.ok(cache.get(k), `${k} still answers its retransmissions`);
  t.equal(cache.evicted, 0);
  c.advance(0.001);
  t.equal(cache.begin('k3'), 'new', 'once the oldest leaves the window there is room again');
});

t.test('a flood of large cookies never pushes out a reply inside the window', async (t) => {
  const c = clock();
  const cache = new CookieCache({ ttlSeconds: 60, windowSeconds: 10, maxBytes: 4 * 1024 * 1024, now: c.now });
  cache.begin('victim');
  cache.put('victim', reply('the offer reply'));
  let refused = 0;
  for (let i = 0; i < 20_000; i++) {
    const cookie = `${i}_`.padEnd(64, 'x');
    if (run(cache, cookie, Buffer.alloc(1400)) === 'full') refused++;
    if (i % 1000 === 0) c.advance(0.4); // 20 000 commands over 8 s: all inside the window
  }
  t.ok(refused > 0, `the flood was refused once the budget was full (${refused})`);
  t.equal(cache.get('victim')?.toString(), 'the offer reply');
  t.ok(cache.bytes <= cache.budget, `${cache.bytes} <= ${cache.budget}`);
  t.equal(cache.evicted, 0);
});

t.test('the counted bytes cover the memory the cache really holds', async (t) => {
  // Measured with V8's own GC: the heap and external memory a full cache keeps alive must not exceed
  // what it counts against its budget (cookie + reply + ENTRY_OVERHEAD).
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const mem = (): number => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  const cache = new CookieCache({ ttlSeconds: 600, maxBytes: 1024 * 1024 * 1024 });
  const before = mem();
  // Replies built the way NgServer builds them (small Buffer.concat results from the pool), with
  // garbage allocated in between, as a busy daemon does.
  let garbage: Buffer[] = [];
  for (let i = 0; i < 50_000; i++) {
    const cookie = `${process.pid}_${i}_${(i * 7919) % 100000}`;
    const head = Buffer.from(`${cookie} `, 'latin1');
    const body = Buffer.from(`d6:result2:ok3:sdp${200 + (i % 300)}:${'v'.repeat(200 + (i % 300))}e`, 'latin1');
    garbage.push(Buffer.alloc(64), body);
    if (garbage.length > 64) garbage = [];
    cache.begin(cookie);
    cache.put(cookie, Buffer.concat([head, body]));
  }
  garbage = [];
  const held = mem() - before;
  t.equal(cache.size, 50_000);
  t.ok(held <= cache.bytes, `memory held ${held} <= bytes counted ${cache.bytes}`);
  t.ok(held >= cache.bytes * 0.5, `and the count is not wildly above it (${held} vs ${cache.bytes})`);
  cache.clear();
});

t.test('rejects a non-positive ttl and a budget below one reservation', async (t) => {
  t.throws(() => new CookieCache({ ttlSeconds: 0 }), RangeError);
  t.throws(() => new CookieCache({ ttlSeconds: 60, maxBytes: 1000 }), RangeError);
});
