import { CLEARANCE_GRANTERS, clearanceApplies, clearanceRank, type Clearance, type PositionKind, type Role } from '@khomat/policy';
import { isAgencyHead } from '../../kit/auth';

// What the clearance page offers on each row — the grant table of packages/policy
// (checkClearanceGrant) read from the granter's side, so that no button is shown that the server
// would refuse, and the row says why instead. The server decides; this only avoids dead buttons.

export type ClearanceAction = 'change' | 'self' | 'not_applicable' | 'inactive' | 'no_own_clearance' | 'above_own' | 'agency_head_only' | 'view_only';

export interface Granter {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  unitId: string;
  /** The position held (issue 13): the agency head is the agency_head position in the root unit. */
  positionKind?: PositionKind | null | undefined;
}

export interface Target {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  unitId: string;
  positionKind?: PositionKind | null | undefined;
  active: boolean;
}

export { isAgencyHead };

/** May `me` decide clearances at all (the security officer or the agency head, per the table)? */
export function mayGrant(me: Granter, rootUnitId: string | undefined): boolean {
  return (CLEARANCE_GRANTERS.securityOfficer && me.roles.includes('security_officer')) || (CLEARANCE_GRANTERS.agencyHead && isAgencyHead(me, rootUnitId));
}

export function clearanceActionFor(me: Granter, target: Target, rootUnitId: string | undefined): ClearanceAction {
  if (!mayGrant(me, rootUnitId)) return 'view_only';
  if (target.id === me.id) return 'self';
  if (!clearanceApplies(target.roles)) return 'not_applicable';
  if (!target.active) return 'inactive';
  // Cleared for nothing, one can grant nothing (and every clearance above none is above one's own).
  if (me.clearance === 'NONE') return 'no_own_clearance';
  // Nobody manages a clearance above their own.
  if (clearanceRank(target.clearance) > clearanceRank(me.clearance)) return 'above_own';
  // The agency head's and a security officer's clearance: the agency head's decision only.
  const protectedTarget = isAgencyHead(target, rootUnitId) || target.roles.includes('security_officer');
  if (protectedTarget && !isAgencyHead(me, rootUnitId)) return 'agency_head_only';
  return 'change';
}

/** The levels `me` may choose in the dialog: none above their own. */
export function levelAllowed(me: Pick<Granter, 'clearance'>, level: Clearance): boolean {
  return clearanceRank(level) <= clearanceRank(me.clearance);
}
