/**
 * (issue 14) CallRegistry's admission: maxSessions first ('sessions'), then the `admit` callback (load limits);
 * only a NEW call-id is asked (an existing call is returned whatever the limits say); every refusal is
 * reported to onRefused with its limit and is a SessionLimitError; a takeover's restore skips the limits.
 */
import pino from 'pino';
import t from 'tap';
import { CallRegistry } from '../../../src/call/CallRegistry';
import { SessionLimitError } from '../../../src/errors';
import { PortPool } from '../../../src/media/PortPool';

t.test('admission order, scope and restore', async (t) => {
  let refusing: string | null = null;
  let asked = 0;
  const refused: string[] = [];
  const reg = new CallRegistry(
    {
      maxSessions: 2,
      mediaTimeoutS: 60,
      offerTimeoutS: 60,
      finalTimeoutS: 0,
      admit: () => {
        asked++;
        return refusing;
      },
      onRefused: (l) => refused.push(l),
    },
    new PortPool(40000, 40009),
    pino({ level: 'silent' }),
  );
  t.teardown(() => reg.close());
  const a = reg.getOrCreate('a');
  t.equal(asked, 1, 'a new call asks admit');
  refusing = 'cpu';
  t.throws(() => reg.getOrCreate('b'), SessionLimitError, 'refused by the load limit');
  t.equal(reg.getOrCreate('a'), a, 'the existing call is returned over the limit');
  t.equal(asked, 2, 'an existing call does not ask admit');
  const b = reg.getOrCreate('b', { restore: true });
  t.ok(b && reg.size === 2, 'a restore (takeover) skips the load limit');
  refusing = null;
  t.throws(() => reg.getOrCreate('c'), SessionLimitError, 'refused by maxSessions');
  t.equal(asked, 2, 'maxSessions decides before admit is asked');
  t.ok(reg.getOrCreate('c', { restore: true }), 'a restore skips maxSessions too');
  t.strictSame(refused, ['cpu', 'sessions'], 'each refusal reported with its limit');
});
