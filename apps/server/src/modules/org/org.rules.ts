import { ROLE_TABLE, clearanceCovers, foldForSearch, type Clearance, type Level, type Role } from '@khomat/policy';

// Pure rules of the organisation: the unit tree and role combinations.

export interface UnitNode {
  id: string;
  parentId: string | null;
  closed: boolean;
}

/** Ids of the unit and every unit below it. */
export function subtreeIds(units: readonly UnitNode[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

export type MoveCheck = 'ok' | 'unit_not_found' | 'parent_not_found' | 'root' | 'cycle' | 'unit_closed' | 'parent_closed';

/** May `unitId` be placed under `newParentId`? */
export function checkMove(units: readonly UnitNode[], unitId: string, newParentId: string): MoveCheck {
  const unit = units.find((u) => u.id === unitId);
  if (!unit) return 'unit_not_found';
  const parent = units.find((u) => u.id === newParentId);
  if (!parent) return 'parent_not_found';
  if (unit.parentId === null) return 'root';
  if (unit.closed) return 'unit_closed';
  if (parent.closed) return 'parent_closed';
  if (subtreeIds(units, unitId).has(newParentId)) return 'cycle';
  return 'ok';
}

/** Roles must be known, unique, at least one, and exclusive roles stand alone. */
export function rolesAreValid(roles: readonly Role[]): boolean {
  if (roles.length === 0) return false;
  if (new Set(roles).size !== roles.length) return false;
  if (roles.some((r) => !(r in ROLE_TABLE))) return false;
  return !(roles.length > 1 && roles.some((r) => ROLE_TABLE[r].exclusive));
}

// Clearance changes follow the grant table in packages/policy (checkClearanceGrant).

// ---- people directory ------------------------------------------------------------------------

/** Who appears in the people directory: those who work with secrets (recipients, hand-overs). */
export const PEOPLE_DIRECTORY_ROLES: readonly Role[] = ['clerk', 'officer', 'head', 'security_officer'];
/** Accounts that never hold or read secrets are never offered as a person to send to. */
const NEVER_IN_DIRECTORY: readonly Role[] = ['admin', 'inspector'];

export function inPeopleDirectory(roles: readonly Role[]): boolean {
  return roles.some((r) => PEOPLE_DIRECTORY_ROLES.includes(r)) && !roles.some((r) => NEVER_IN_DIRECTORY.includes(r));
}

export const PEOPLE_LIMIT = 50;

export interface PersonCandidate {
  id: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  roles: readonly Role[];
  clearance: Clearance;
  /** A pending change holds the account (account/roles/unit/identity): no work with secrets now. */
  held: boolean;
}

/** What the directory tells: never the username, the roles or the clearance itself. */
export interface PersonEntry {
  id: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  /**
   * The account is held until a second person confirms a change: the person may be named (they will
   * work again once confirmed) but may not be handed a copy now — nor is anyone cleared while held.
   */
  held: boolean;
  /** Only when a level is asked: whether the person may receive it now (clearance covers it, not held). */
  cleared?: boolean;
}

const vi = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Directory entries matching `q` (every word, without diacritics or case: "nguyen van" finds
 * "Nguyễn Văn An"), sorted by unit then name (Vietnamese order), at most `limit`.
 */
export function selectPeople(
  candidates: readonly PersonCandidate[],
  f: { q?: string | undefined; level?: Level | undefined },
  limit = PEOPLE_LIMIT,
): PersonEntry[] {
  const words = f.q ? foldForSearch(f.q).split(' ').filter(Boolean) : [];
  return candidates
    .filter((c) => inPeopleDirectory(c.roles))
    .filter((c) => {
      const name = foldForSearch(c.fullName);
      return words.every((w) => name.includes(w));
    })
    .sort((a, b) => vi.compare(a.unitName, b.unitName) || byId(a.unitId, b.unitId) || vi.compare(a.fullName, b.fullName) || byId(a.id, b.id))
    .slice(0, limit)
    .map((c) => ({
      id: c.id,
      fullName: c.fullName,
      unitId: c.unitId,
      unitName: c.unitName,
      position: c.position,
      held: c.held,
      ...(f.level ? { cleared: !c.held && clearanceCovers(c.clearance, f.level) } : {}),
    }));
}
