import t from 'tap';
import { startTestDaemon } from '../fixtures/daemon';
import {
  closeAll,
  collect,
  eventuallyHears,
  fmt,
  F_AGENT,
  F_CUSTOMER,
  F_SUPERVISOR,
  heard,
  ROLES,
  setTones,
  startAll,
  supervisedCall,
  type Role,
} from '../fixtures/supervisedCall';

/**
 * The matrix of every mode, measured end to end: each party (customer, agent, supervisor) streams its
 * own tone; each party's received audio must contain exactly the sources the mode says. Then, one
 * source at a time talking (the others digitally silent), every listener that must not hear that
 * source gets it >= 90 dB below its -12 dBFS level (the path is digitally silent), and nobody ever
 * hears themselves.
 */
const FREQ: Record<Role, number> = { customer: F_CUSTOMER, agent: F_AGENT, supervisor: F_SUPERVISOR };

/** hears[mode][listener] = the sources it hears. */
const HEARS: Record<string, Record<Role, Role[]>> = {
  listen: { customer: ['agent'], agent: ['customer'], supervisor: ['customer', 'agent'] },
  whisper: { customer: ['agent'], agent: ['customer', 'supervisor'], supervisor: ['customer', 'agent'] },
  barge: { customer: ['agent', 'supervisor'], agent: ['customer', 'supervisor'], supervisor: ['customer', 'agent'] },
  page: { customer: ['agent'], agent: ['customer', 'supervisor'], supervisor: ['agent'] },
};

const PRESENT = -22;
const ISOLATION = -12 - 90;

for (const mode of Object.keys(HEARS)) {
  t.test(`${mode}: each party hears exactly the sources of the matrix`, async (t) => {
    const td = await startTestDaemon();
    t.teardown(() => td.close()); // also when the call set-up below fails
    const c = await supervisedCall(td, `m-${mode}`, mode);
    t.teardown(async () => {
      closeAll(c);
      await td.close();
    });
    t.equal(c.supervise.mode, mode);
    startAll(c);
    await collect(c, 25); // settle (page tone, jitter buffers)
    await collect(c, 75);
    const expect = HEARS[mode]!;
    for (const listener of ROLES) {
      const want = expect[listener].map((r) => FREQ[r]);
      const l = await eventuallyHears(c, listener, want);
      t.ok(want.every((f) => l[f]! > PRESENT), `all talking: ${listener} hears ${expect[listener].join(' + ')} (${fmt(l)})`);
    }

    for (const talker of ROLES) {
      setTones(c, { customer: 0, agent: 0, supervisor: 0, [talker]: FREQ[talker] });
      await collect(c, 25); // let the previous tones drain (jitter buffers hold at most 200 ms)
      await collect(c, 60);
      const f = FREQ[talker];
      for (const listener of ROLES) {
        if (listener !== talker && expect[listener].includes(talker)) continue;
        const l = heard(c, listener, 1000);
        const what = listener === talker ? `${talker} does not hear itself` : `${listener} does not hear ${talker}`;
        t.ok(l[f]! < ISOLATION, `${what}: ${l[f]!.toFixed(1)} dBFS (source -12 dBFS, must be < ${ISOLATION})`);
      }
      for (const listener of ROLES) {
        if (listener === talker || !expect[listener].includes(talker)) continue;
        const l = await eventuallyHears(c, listener, [f]);
        t.ok(l[f]! > PRESENT, `${listener} hears ${talker} alone (${l[f]!.toFixed(1)} dBFS)`);
      }
    }
  });
}
