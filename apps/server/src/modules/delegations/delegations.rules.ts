import { compareDates, delegableScope, isCivilDate, type AuthorityOperation, type Level, type Role } from '@khomat/policy';

// Recording a delegation (ủy quyền): the agency head authorises a deputy, in writing, for some
// operations × levels of the authority table, one field and a period (both dates inclusive).
// Luật 29/2018 Đ.11 k.5: the holder of the power delegates to a deputy; [I] the deputy cannot
// delegate further. Pure: the use case gathers the facts.

export type DelegationRefusal =
  | 'delegation.not_agency_head'
  | 'delegation.sub_delegation'
  | 'delegation.scope_invalid'
  | 'delegation.self'
  | 'delegation.delegate_not_found'
  | 'delegation.delegate_inactive'
  | 'delegation.delegate_role'
  | 'delegation.invalid_period';

export interface GrantFacts {
  /** `delegated`: the actor holds a delegation of their own (in force or not). */
  actor: { id: string; roles: readonly Role[]; isAgencyHead: boolean; delegated?: boolean };
  delegate: { id: string; active: boolean; roles: readonly Role[] } | undefined;
  operations: readonly AuthorityOperation[];
  levels: readonly Level[];
  validFrom: string;
  validTo: string;
}

/** Every operation × level asked for is one the agency head decides and a deputy may be given (AUTHORITY_TABLE). */
const scopeDelegable = (f: GrantFacts) => {
  const allowed = delegableScope();
  return (
    f.operations.length > 0 &&
    f.levels.length > 0 &&
    f.operations.every((operation) => f.levels.every((level) => allowed.some((a) => a.operation === operation && a.level === level)))
  );
};

/** Roles that can never decide a classification: they never read content. */
const NEVER_DECIDE: readonly Role[] = ['admin', 'inspector'];

/** The checks in order; the first that fails is the answer. */
export const GRANT_RULES: readonly { code: DelegationRefusal; fails: (f: GrantFacts) => boolean }[] = [
  // A delegate cannot pass the power on (no sub-delegation), whatever their role.
  { code: 'delegation.sub_delegation', fails: (f) => !f.actor.isAgencyHead && f.actor.delegated === true },
  { code: 'delegation.not_agency_head', fails: (f) => !f.actor.roles.includes('head') || !f.actor.isAgencyHead },
  { code: 'delegation.scope_invalid', fails: (f) => !scopeDelegable(f) },
  { code: 'delegation.invalid_period', fails: (f) => !isCivilDate(f.validFrom) || !isCivilDate(f.validTo) || compareDates(f.validFrom, f.validTo) > 0 },
  { code: 'delegation.delegate_not_found', fails: (f) => f.delegate === undefined },
  { code: 'delegation.self', fails: (f) => f.delegate?.id === f.actor.id },
  { code: 'delegation.delegate_inactive', fails: (f) => f.delegate?.active === false },
  { code: 'delegation.delegate_role', fails: (f) => !!f.delegate && (f.delegate.roles.length === 0 || f.delegate.roles.some((r) => NEVER_DECIDE.includes(r))) },
];

export function checkGrant(f: GrantFacts): { ok: true } | { ok: false; code: DelegationRefusal } {
  const failed = GRANT_RULES.find((r) => r.fails(f));
  return failed ? { ok: false, code: failed.code } : { ok: true };
}
