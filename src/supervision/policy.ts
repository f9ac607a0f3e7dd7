/**
 * Supervision permission check, PBX style (ShoreTel "Allow initiation" + "Accept: None/All/From"):
 * a request to start `mode` by `initiator` on `target` is permitted iff the policy is disabled, or
 *   - some `initiate` rule has `who` matching the initiator, `mode` in `modes`, and a selector in
 *     `on` matching the target, AND
 *   - some `accept` rule has `who` matching the target, `mode` in `modes`, and a selector in
 *     `from` matching the initiator.
 * A target with no accept rule accepts nothing ("Accept: None"); `from: ["*"]` is "Accept: All".
 *
 * Selector matching: "*" matches anything, including a missing identity (undefined or ""); "user:X"
 * matches identity X exactly; "group:G" matches identities listed under `users` with group G.
 * A missing identity matches only "*".
 *
 * `check` never throws for a denial: it returns `{ permitted, reason }` so the caller can audit the
 * reason and answer NotPermittedError ("Not permitted"). The configuration is validated at
 * construction (ConfigError naming the key path, e.g. "policy.initiate.0.on.1: unknown group").
 */
import { BadRequestError, ConfigError } from '../errors';
import { policySchema, type PolicyConfig } from './policySchema';
import { isSupervisionMode, type SupervisionMode } from './types';

export interface PolicyDecision {
  permitted: boolean;
  /** Why: for the audit log (denials) and debugging (grants name the matching rules). */
  reason: string;
}

interface CompiledRule {
  index: number;
  who: string;
  modes: ReadonlySet<SupervisionMode>;
  peers: readonly string[];
}

export class Policy {
  readonly enabled: boolean;
  private readonly groupsOf: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly initiate: readonly CompiledRule[];
  private readonly accept: readonly CompiledRule[];

  /** @throws ConfigError when `cfg` does not satisfy `policySchema` (the message names the path). */
  constructor(cfg: PolicyConfig) {
    const res = policySchema.safeParse(cfg);
    if (!res.success) {
      throw new ConfigError(
        res.error.issues
          .map((i) => {
            const path = ['policy', ...i.path.map(String)].join('.');
            return i.code === 'unrecognized_keys'
              ? `config: unknown key ${i.keys.map((k) => `"${path}.${k}"`).join(', ')}`
              : `config: ${path}: ${i.message}`;
          })
          .join('; '),
      );
    }
    const c = res.data;
    this.enabled = c.enabled;
    this.groupsOf = new Map(Object.entries(c.users).map(([id, groups]) => [id, new Set(groups)]));
    this.initiate = c.initiate.map((r, index) => ({ index, who: r.who, modes: new Set(r.modes), peers: r.on }));
    this.accept = c.accept.map((r, index) => ({ index, who: r.who, modes: new Set(r.modes), peers: r.from }));
  }

  /**
   * May `initiator` start `mode` on `target`?
   * @throws BadRequestError when `mode` is not a supervision mode (callers pass peer input through).
   */
  check(mode: SupervisionMode, initiator: string | undefined, target: string | undefined): PolicyDecision {
    if (!isSupervisionMode(mode)) throw new BadRequestError(`Unknown supervision mode "${String(mode)}"`);
    if (!this.enabled) return { permitted: true, reason: 'policy disabled' };
    const ini = this.find(this.initiate, mode, initiator, target);
    if (ini === undefined) {
      return { permitted: false, reason: `no initiate rule allows ${name(initiator)} to ${mode} on ${name(target)}` };
    }
    const acc = this.find(this.accept, mode, target, initiator);
    if (acc === undefined) {
      return { permitted: false, reason: `no accept rule lets ${name(target)} accept ${mode} from ${name(initiator)}` };
    }
    return { permitted: true, reason: `initiate rule ${ini.index} and accept rule ${acc.index} allow ${mode}` };
  }

  /** First rule about `subject` that covers `mode` and names `peer`. */
  private find(
    rules: readonly CompiledRule[],
    mode: SupervisionMode,
    subject: string | undefined,
    peer: string | undefined,
  ): CompiledRule | undefined {
    return rules.find(
      (r) => r.modes.has(mode) && this.matches(r.who, subject) && r.peers.some((s) => this.matches(s, peer)),
    );
  }

  private matches(selector: string, identity: string | undefined): boolean {
    if (selector === '*') return true;
    if (identity === undefined || identity === '') return false;
    if (selector.startsWith('user:')) return selector.slice(5) === identity;
    if (selector.startsWith('group:')) return this.groupsOf.get(identity)?.has(selector.slice(6)) ?? false;
    return false; // unreachable: the schema admits only the three forms
  }
}

function name(identity: string | undefined): string {
  return identity === undefined || identity === '' ? '(unidentified)' : identity;
}
