import fc from 'fast-check';
import { CLEARANCES, LEVELS, ROLES, clearanceCovers, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import { PEOPLE_LIMIT, checkMove, inPeopleDirectory, rolesAreValid, selectPeople, subtreeIds, type PersonCandidate, type UnitNode } from './org.rules';

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

// Clearance changes: the grant table in packages/policy (account-changes.test.ts).

describe('people directory', () => {
  const person = (id: string, fullName: string, unitName: string, over: Partial<PersonCandidate> = {}): PersonCandidate => ({
    id,
    fullName,
    unitId: `u-${unitName}`,
    unitName,
    position: 'Chuyên viên',
    roles: ['officer'],
    clearance: 'SECRET',
    held: false,
    ...over,
  });

  it('exhaustive over role sets: people who work with secrets, never admin or inspector accounts', () => {
    const sets: Role[][] = [[], ...ROLES.map((r) => [r]), ...ROLES.flatMap((a, i) => ROLES.slice(i + 1).map((b) => [a, b]))];
    for (const roles of sets) {
      const expected =
        roles.some((r) => ['clerk', 'officer', 'head', 'security_officer'].includes(r)) && !roles.some((r) => r === 'admin' || r === 'inspector');
      expect(inPeopleDirectory(roles), roles.join('+')).toBe(expected);
      expect(selectPeople([person('p', 'A', 'U', { roles })], {}).length).toBe(expected ? 1 : 0);
    }
  });

  it('matches every word without diacritics or case, đ as d', () => {
    const people = [person('1', 'Nguyễn Thị Đào', 'Văn phòng'), person('2', 'Đặng Văn Nam', 'Văn phòng'), person('3', 'Trần Dũng', 'Văn phòng')];
    const names = (q: string) => selectPeople(people, { q }).map((p) => p.fullName);
    expect(names('nguyen dao')).toEqual(['Nguyễn Thị Đào']);
    expect(names('  ĐÀO  ')).toEqual(['Nguyễn Thị Đào']);
    expect(names('dang nam')).toEqual(['Đặng Văn Nam']);
    expect(names('d')).toEqual(['Đặng Văn Nam', 'Nguyễn Thị Đào', 'Trần Dũng']);
    expect(names('van')).toEqual(['Đặng Văn Nam']);
    expect(names('nam dao')).toEqual([]);
    expect(names('')).toHaveLength(3);
  });

  it('sorts by unit then name in Vietnamese order, and keeps 50', () => {
    const people = [
      person('1', 'Bùi Văn B', 'Phòng Lãnh sự'),
      person('2', 'Đỗ Thị C', 'Phòng Hợp tác'),
      person('3', 'Dương Văn A', 'Phòng Hợp tác'),
      person('4', 'An Văn D', 'Văn phòng'),
      person('5', 'Âu Thị E', 'Phòng Hợp tác'),
    ];
    expect(selectPeople(people, {}).map((p) => p.id)).toEqual(['5', '3', '2', '1', '4']);
    const many = Array.from({ length: 80 }, (_, i) => person(`p${i}`, `Cán bộ ${i}`, 'Văn phòng'));
    const kept = selectPeople(many, {});
    expect(kept).toHaveLength(PEOPLE_LIMIT);
    expect(kept[0]!.fullName).toBe('Cán bộ 0');
    expect(kept[9]!.fullName).toBe('Cán bộ 9');
    expect(kept[10]!.fullName).toBe('Cán bộ 10');
  });

  it('tells whether each person may receive a level now, only when asked; never roles or clearance; a held person never', () => {
    for (const held of [false, true]) {
      for (const clearance of CLEARANCES) {
        const p = person('1', 'A', 'U', { clearance, roles: ['head'], held });
        const plain = selectPeople([p], {})[0]!;
        expect(Object.keys(plain).sort()).toEqual(['fullName', 'held', 'id', 'position', 'unitId', 'unitName']);
        expect(plain.held).toBe(held);
        for (const level of LEVELS) {
          const e = selectPeople([p], { level })[0]!;
          expect(Object.keys(e).sort()).toEqual(['cleared', 'fullName', 'held', 'id', 'position', 'unitId', 'unitName']);
          expect(e.cleared).toBe(!held && clearanceCovers(clearance, level));
        }
      }
    }
  });
});
