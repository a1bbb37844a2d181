import type { AuthorityOperation, Level } from '@khomat/policy';

export interface Delegation {
  id: string;
  delegate: { id: string; name: string };
  /** What is delegated (issue 13); absent from servers before: classification at every level. */
  operations?: AuthorityOperation[];
  levels?: Level[];
  field: string;
  validFrom: string;
  validTo: string;
  decisionRef: string;
  grantedBy: { id: string; name: string };
  createdAt: string;
  revokedAt: string | null;
}

export type DelegationStatus = 'active' | 'pending' | 'expired' | 'revoked';

/** Where a delegation stands on the civil day `today` (YYYY-MM-DD, Vietnam time); bounds included. */
export function delegationStatus(d: Pick<Delegation, 'validFrom' | 'validTo' | 'revokedAt'>, today: string): DelegationStatus {
  if (d.revokedAt) return 'revoked';
  if (d.validTo < today) return 'expired';
  if (d.validFrom > today) return 'pending';
  return 'active';
}
