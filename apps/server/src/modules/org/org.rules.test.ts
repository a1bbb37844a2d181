import fc from 'fast-check';
import { ROLES, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import { checkClearanceChange, checkMove, rolesAreValid, subtreeIds, type UnitNode } from './org.rules';

const tree: UnitNode[] = [
  { id: 'root', parentId: null, closed: false },
  { id: 'a', parentId: 'root', closed: false },
  { id: 'a1', parentId: 'a', closed: false },
  { id: 'a11', parentId: 'a1', closed: false },
  { id: 'b', parentId: 'root', closed: false },
  { id: 'x', parentId: 'root', closed: true },
];

describe('unit tree rules', () => {
  it('subtree includes the unit and all descendants', () => {
    expect([...subtreeIds(tree, 'a')].sort()).toEqual(['a', 'a1', 'a11']);
  });
  it.each([
    ['a', 'b', 'ok'],
    ['a1', 'root', 'ok'],
    ['a', 'a', 'cycle'],
    ['a', 'a11', 'cycle'],
    ['root', 'a', 'root'],
    ['a', 'x', 'parent_closed'],
    ['x', 'a', 'unit_closed'],
    ['nope', 'a', 'unit_not_found'],
    ['a', 'nope', 'parent_not_found'],
  ] as const)('move %s under %s → %s', (unit, parent, expected) => {
    expect(checkMove(tree, unit, parent)).toBe(expected);
  });
  it('no accepted move ever creates a cycle (property)', () => {
    const ids = tree.map((u) => u.id);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: 30 }), (moves) => {
        const units = tree.map((u) => ({ ...u }));
        for (const [u, p] of moves) {
          if (checkMove(units, u, p) === 'ok') units.find((x) => x.id === u)!.parentId = p;
        }
        // Every unit reaches the root by following parents without revisiting.
        for (const u of units) {
          const seen = new Set<string>();
          let cur: UnitNode | undefined = u;
          while (cur && cur.parentId) {
            if (seen.has(cur.id)) return false;
            seen.add(cur.id);
            cur = units.find((x) => x.id === cur!.parentId);
          }
          if (cur?.id !== 'root') return false;
        }
        return true;
      }),
    );
  });
});

describe('role combinations', () => {
  it('admin and inspector stand alone; others combine', () => {
    expect(rolesAreValid(['clerk', 'officer'])).toBe(true);
    expect(rolesAreValid(['head', 'security_officer', 'officer'])).toBe(true);
    expect(rolesAreValid(['admin'])).toBe(true);
    expect(rolesAreValid(['admin', 'officer'])).toBe(false);
    expect(rolesAreValid(['inspector', 'clerk'])).toBe(false);
    expect(rolesAreValid([])).toBe(false);
    expect(rolesAreValid(['clerk', 'clerk'])).toBe(false);
  });
  it('every subset containing admin with another role is refused (property)', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES] as Role[], { minLength: 2 }), (roles) => {
        if (roles.includes('admin') || roles.includes('inspector')) return !rolesAreValid(roles);
        return rolesAreValid(roles);
      }),
    );
  });
});

describe('clearance change', () => {
  const target = { id: 't', roles: ['officer'] as Role[], clearance: 'NONE' as const, active: true };
  it.each([
    ['actor', target, 'CONFIDENTIAL', 'ok'],
    ['t', target, 'SECRET', 'self'],
    ['actor', { ...target, active: false }, 'SECRET', 'inactive'],
    ['actor', { ...target, roles: ['admin'] as Role[] }, 'SECRET', 'not_applicable'],
    ['actor', { ...target, roles: ['inspector'] as Role[] }, 'CONFIDENTIAL', 'not_applicable'],
    ['actor', { ...target, roles: ['admin'] as Role[] }, 'NONE', 'unchanged'],
    ['actor', target, 'NONE', 'unchanged'],
  ] as const)('actor %s → %o to %s is %s', (actor, t, next, expected) => {
    expect(checkClearanceChange(actor, t, next)).toBe(expected);
  });
});
