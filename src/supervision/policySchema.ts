/**
 * Config schema of the supervision policy (section `policy`), in the PBX two-sided style: an
 * `initiate` rule lets a supervisor start modes on targets ("allow initiation"), an `accept` rule
 * lets a target accept modes from initiators ("accept from"). Both must match (see policy.ts).
 *
 *   policy:
 *     enabled: true            # false (default): everything is permitted (still audited)
 *     users:                   # identity -> groups; identities are the supervisor/agent strings proxies send
 *       alice: [supervisors]
 *       bob: [agents]
 *     initiate:
 *       - { who: "group:supervisors", modes: [listen, whisper, barge], on: ["group:agents"] }
 *       - { who: "user:carol", modes: [page], on: ["*"] }
 *     accept:
 *       - { who: "group:agents", modes: [listen, whisper, barge, page], from: ["group:supervisors", "user:carol"] }
 *
 * Selectors: "user:<identity>" (exact, case-sensitive), "group:<name>", "*" (anyone, including an
 * initiator or target the proxy did not identify). Every object is `.strict()`; a group named by a
 * rule but held by no user is an error at the rule's path (e.g. `initiate.0.on.1`), since it is
 * almost always a typo and would silently deny.
 */
import { z } from 'zod';
import { SUPERVISION_MODES } from './types';

/** "user:<id>", "group:<name>" or "*". */
export const selectorSchema = z
  .string()
  .regex(/^(\*|user:.+|group:.+)$/, 'expected "user:<identity>", "group:<name>" or "*"');

const modesSchema = z.array(z.enum(SUPERVISION_MODES)).min(1, 'at least one mode');

const initiateRuleSchema = z
  .object({
    /** The initiator (supervisor side) this rule is about. */
    who: selectorSchema,
    /** Modes it may start. */
    modes: modesSchema,
    /** Targets (agents) it may start them on. */
    on: z.array(selectorSchema).min(1, 'at least one target selector'),
  })
  .strict();

const acceptRuleSchema = z
  .object({
    /** The target (agent side) this rule is about. */
    who: selectorSchema,
    /** Modes it accepts. */
    modes: modesSchema,
    /** Initiators it accepts them from. */
    from: z.array(selectorSchema).min(1, 'at least one initiator selector'),
  })
  .strict();

export const policySchema = z
  .object({
    /** false: every request is permitted (and still audited). */
    enabled: z.boolean().default(false),
    /** identity -> group names. */
    users: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
    /** Who may start which modes on whom. */
    initiate: z.array(initiateRuleSchema).default([]),
    /** Whom a target accepts which modes from. */
    accept: z.array(acceptRuleSchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const known = new Set(Object.values(cfg.users).flat());
    const check = (sel: string, path: (string | number)[]): void => {
      if (sel.startsWith('group:') && !known.has(sel.slice(6))) {
        ctx.addIssue({ code: 'custom', path, message: `unknown group "${sel.slice(6)}" (no user in policy.users has it)` });
      }
    };
    cfg.initiate.forEach((r, i) => {
      check(r.who, ['initiate', i, 'who']);
      r.on.forEach((s, j) => check(s, ['initiate', i, 'on', j]));
    });
    cfg.accept.forEach((r, i) => {
      check(r.who, ['accept', i, 'who']);
      r.from.forEach((s, j) => check(s, ['accept', i, 'from', j]));
    });
  })
  .prefault({});

export type PolicyConfig = z.infer<typeof policySchema>;
export type PolicyConfigInput = z.input<typeof policySchema>;
