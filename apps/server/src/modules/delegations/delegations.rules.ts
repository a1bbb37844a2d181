import { compareDates, isCivilDate, type Role } from '@khomat/policy';

// Recording a delegation (ủy quyền xác định độ mật): the agency head authorises a deputy, in
// writing, for one field and a period (both dates inclusive). Pure: the use case gathers the facts.

export type DelegationRefusal =
  | 'delegation.not_agency_head'
  | 'delegation.self'
  | 'delegation.delegate_not_found'
  | 'delegation.delegate_inactive'
  | 'delegation.delegate_role'
  | 'delegation.invalid_period';

export interface GrantFacts {
  actor: { id: string; roles: readonly Role[]; isAgencyHead: boolean };
  delegate: { id: string; active: boolean; roles: readonly Role[] } | undefined;
  validFrom: string;
  validTo: string;
}

/** Roles that can never decide a classification: they never read content. */
const NEVER_DECIDE: readonly Role[] = ['admin', 'inspector'];

/** The checks in order; the first that fails is the answer. */
export const GRANT_RULES: readonly { code: DelegationRefusal; fails: (f: GrantFacts) => boolean }[] = [
  { code: 'delegation.not_agency_head', fails: (f) => !f.actor.roles.includes('head') || !f.actor.isAgencyHead },
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
