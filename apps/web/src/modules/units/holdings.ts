import type { Role } from '@khomat/policy';

// Who may open a unit's holdings page (GET /api/units/:id/holdings, permission unit.holdings.read):
// the security officer and the inspector for any unit, a clerk or head for their own unit only.
// The server decides; this only keeps the UI from offering a page that would be refused.

const ANY_UNIT: readonly Role[] = ['security_officer', 'inspector'];
const OWN_UNIT: readonly Role[] = ['clerk', 'head'];

export function mayReadHoldings(me: { roles: readonly Role[]; unitId: string }, unitId: string, hasPermission: boolean): boolean {
  if (!hasPermission) return false;
  if (me.roles.some((r) => ANY_UNIT.includes(r))) return true;
  return unitId === me.unitId && me.roles.some((r) => OWN_UNIT.includes(r));
}
