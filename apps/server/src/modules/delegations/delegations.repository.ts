import { AUTHORITY_OPERATIONS, LEVELS, type AuthorityOperation, type DelegationScope, type Level } from '@khomat/policy';
import type { Database } from '../../platform/db/schema';

type DelegationRow = Database['delegations'];

const parseList = <T extends string>(json: string, allowed: readonly T[]): T[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is T => (allowed as readonly unknown[]).includes(x)) : [];
  } catch {
    return [];
  }
};

export const operationsOf = (r: Pick<DelegationRow, 'operations'>): AuthorityOperation[] => parseList(r.operations, AUTHORITY_OPERATIONS);
export const levelsOf = (r: Pick<DelegationRow, 'levels'>): Level[] => parseList(r.levels, LEVELS);

/** A stored delegation as the authority rule reads it (packages/policy DelegationScope). */
export function delegationScopeOf(r: DelegationRow): DelegationScope {
  return { operations: operationsOf(r), levels: levelsOf(r), field: r.field, validFrom: r.valid_from, validTo: r.valid_to, revoked: r.revoked_at !== null };
}
