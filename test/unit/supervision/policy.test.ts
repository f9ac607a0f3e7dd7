import t from 'tap';
import { z } from 'zod';
import { ConfigError, BadRequestError } from '../../../src/errors';
import { Policy } from '../../../src/supervision/policy';
import { policySchema, type PolicyConfigInput } from '../../../src/supervision/policySchema';
import type { SupervisionMode } from '../../../src/supervision/types';

const policy = (raw: PolicyConfigInput): Policy => new Policy(policySchema.parse(raw));

const example: PolicyConfigInput = {
  enabled: true,
  users: { alice: ['supervisors'], bob: ['agents'], dave: ['agents'], erin: ['supervisors'] },
  initiate: [
    { who: 'group:supervisors', modes: ['listen', 'whisper', 'barge'], on: ['group:agents'] },
    { who: 'user:carol', modes: ['page'], on: ['*'] },
  ],
  accept: [{ who: 'group:agents', modes: ['listen', 'whisper', 'barge', 'page'], from: ['group:supervisors', 'user:carol'] }],
};

t.test('defaults: disabled, empty lists; disabled permits everything, even unidentified parties', async (t) => {
  const cfg = policySchema.parse(undefined);
  t.strictSame(cfg, { enabled: false, users: {}, initiate: [], accept: [] });
  const p = new Policy(cfg);
  for (const m of ['listen', 'whisper', 'barge', 'page'] as const) {
    t.equal(p.check(m, undefined, undefined).permitted, true, m);
    t.equal(p.check(m, 'x', 'y').permitted, true, m);
  }
  t.match(p.check('barge', 'x', 'y').reason, /disabled/);
  // disabled with rules present still permits
  t.equal(policy({ ...example, enabled: false }).check('page', 'nobody', 'bob').permitted, true);
});

t.test('the README example: allow/deny matrix', async (t) => {
  const p = policy(example);
  const cases: [SupervisionMode, string | undefined, string | undefined, boolean][] = [
    ['listen', 'alice', 'bob', true],
    ['whisper', 'alice', 'bob', true],
    ['barge', 'erin', 'dave', true],
    ['page', 'alice', 'bob', false], // supervisors may not page
    ['page', 'carol', 'bob', true], // carol pages anyone who accepts from her
    ['whisper', 'carol', 'bob', false], // carol may only page
    ['whisper', 'bob', 'alice', false], // agents initiate nothing
    ['whisper', 'alice', 'erin', false], // not a target of supervisors
    ['whisper', 'alice', 'mallory', false], // unknown target
    ['whisper', 'mallory', 'bob', false], // unknown initiator
    ['whisper', undefined, 'bob', false], // missing identity matches no group
    ['whisper', '', 'bob', false],
    ['page', 'carol', undefined, false], // carol's "on *" matches, but an unidentified target has no accept rule
  ];
  for (const [mode, ini, tgt, want] of cases) {
    t.equal(p.check(mode, ini, tgt).permitted, want, `${mode} ${String(ini)} -> ${String(tgt)}`);
  }
});

t.test('initiate without accept denies, and the reason says which side', async (t) => {
  const p = policy({
    enabled: true,
    users: { alice: ['sup'] },
    initiate: [{ who: 'user:alice', modes: ['whisper'], on: ['user:bob'] }],
  });
  const d = p.check('whisper', 'alice', 'bob');
  t.equal(d.permitted, false);
  t.equal(d.reason, 'no accept rule lets bob accept whisper from alice');
});

t.test('accept without initiate denies', async (t) => {
  const p = policy({ enabled: true, accept: [{ who: 'user:bob', modes: ['whisper'], from: ['*'] }] });
  const d = p.check('whisper', 'alice', 'bob');
  t.equal(d.permitted, false);
  t.equal(d.reason, 'no initiate rule allows alice to whisper on bob');
  t.equal(p.check('whisper', undefined, 'bob').reason, 'no initiate rule allows (unidentified) to whisper on bob');
});

t.test('both sides needed, modes must match on both', async (t) => {
  const p = policy({
    enabled: true,
    initiate: [{ who: 'user:alice', modes: ['listen', 'whisper'], on: ['user:bob'] }],
    accept: [{ who: 'user:bob', modes: ['listen'], from: ['user:alice'] }],
  });
  t.equal(p.check('listen', 'alice', 'bob').permitted, true);
  t.match(p.check('listen', 'alice', 'bob').reason, /initiate rule 0 and accept rule 0/);
  t.equal(p.check('whisper', 'alice', 'bob').permitted, false, 'bob accepts only listen');
  t.equal(p.check('listen', 'bob', 'alice').permitted, false, 'rules are directional');
});

t.test('wildcards: "*" matches anyone, including unidentified parties', async (t) => {
  const p = policy({
    enabled: true,
    initiate: [{ who: '*', modes: ['listen'], on: ['*'] }],
    accept: [{ who: '*', modes: ['listen'], from: ['*'] }],
  });
  t.equal(p.check('listen', 'anyone', 'else').permitted, true);
  t.equal(p.check('listen', undefined, undefined).permitted, true);
  t.equal(p.check('listen', '', 'x').permitted, true);
  t.equal(p.check('barge', 'anyone', 'else').permitted, false);
  // user selectors never match a missing identity
  const q = policy({
    enabled: true,
    initiate: [{ who: '*', modes: ['page'], on: ['user:bob'] }],
    accept: [{ who: 'user:bob', modes: ['page'], from: ['*'] }],
  });
  t.equal(q.check('page', undefined, 'bob').permitted, true);
  t.equal(q.check('page', 'x', undefined).permitted, false);
  t.equal(q.check('page', 'x', 'bobby').permitted, false, 'exact identity match');
});

t.test('a user in several groups; a later rule can grant what an earlier one does not', async (t) => {
  const p = policy({
    enabled: true,
    users: { alice: ['sup', 'trainers'], bob: ['agents'] },
    initiate: [
      { who: 'group:sup', modes: ['listen'], on: ['group:agents'] },
      { who: 'group:trainers', modes: ['whisper'], on: ['group:agents'] },
    ],
    accept: [{ who: 'group:agents', modes: ['listen', 'whisper'], from: ['group:sup'] }],
  });
  t.equal(p.check('whisper', 'alice', 'bob').permitted, true);
  t.match(p.check('whisper', 'alice', 'bob').reason, /initiate rule 1/);
});

t.test('an unknown mode from a peer is a BadRequestError', async (t) => {
  const p = policy({});
  t.throws(() => p.check('spy' as SupervisionMode, 'a', 'b'), BadRequestError);
});

t.test('bad config: ConfigError naming the key path', async (t) => {
  const bad = (raw: unknown, re: RegExp, msg: string): void => {
    t.throws(() => new Policy(raw as never), ConfigError, msg);
    try {
      new Policy(raw as never);
    } catch (e) {
      t.match((e as Error).message, re, msg);
    }
  };
  bad({ enabled: true, initiate: [{ who: 'group:nope', modes: ['listen'], on: ['*'] }] }, /policy\.initiate\.0\.who: unknown group "nope"/, 'unknown group in who');
  bad(
    { enabled: true, users: { a: ['g'] }, accept: [{ who: '*', modes: ['listen'], from: ['group:g'] }, { who: '*', modes: ['listen'], from: ['*', 'group:x'] }] },
    /policy\.accept\.1\.from\.1: unknown group "x"/,
    'unknown group in from, with the rule index',
  );
  bad({ initiate: [{ who: '*', modes: ['spy'], on: ['*'] }] }, /policy\.initiate\.0\.modes\.0/, 'invalid mode');
  bad({ initiate: [{ who: '*', modes: [], on: ['*'] }] }, /policy\.initiate\.0\.modes/, 'empty modes');
  bad({ initiate: [{ who: 'alice', modes: ['listen'], on: ['*'] }] }, /policy\.initiate\.0\.who: expected "user:<identity>"/, 'bare identity selector');
  bad({ initiate: [{ who: '*', modes: ['listen'], on: ['*'], onn: [] }] }, /unknown key "policy\.initiate\.0\.onn"/, 'typo in a rule');
  bad({ enabeld: true }, /unknown key "policy\.enabeld"/, 'typo at the top');
  bad({ users: { alice: 'supervisors' } }, /policy\.users\.alice/, 'groups must be a list');
});

t.test('plugged into a parent schema, zod reports the full path (what config/load.ts prints)', async (t) => {
  const parent = z.object({ policy: policySchema }).strict();
  t.strictSame(parent.parse({}).policy, { enabled: false, users: {}, initiate: [], accept: [] });
  const res = parent.safeParse({ policy: { initiate: [{ who: 'group:g', modes: ['listen'], on: ['*'] }] } });
  t.equal(res.success, false);
  t.strictSame(res.error?.issues[0]?.path, ['policy', 'initiate', 0, 'who']);
});
