import { describe, expect, it } from 'vitest';
import type { Role } from '@khomat/policy';
import { mayReadHoldings } from './holdings';

const OWN = 'unit-a';
const OTHER = 'unit-b';

describe('who is offered a unit’s holdings page', () => {
  it.each<[Role[], string, boolean]>([
    [['security_officer'], OTHER, true],
    [['inspector'], OTHER, true],
    [['clerk'], OWN, true],
    [['clerk'], OTHER, false],
    [['head'], OWN, true],
    [['head'], OTHER, false],
    [['officer'], OWN, false],
    [['admin'], OWN, false],
    [['clerk', 'security_officer'], OTHER, true],
  ])('%j on %s → %s', (roles, unitId, expected) => {
    expect(mayReadHoldings({ roles, unitId: OWN }, unitId, true)).toBe(expected);
  });

  it('never without the permission, whatever the role', () => {
    expect(mayReadHoldings({ roles: ['security_officer'], unitId: OWN }, OWN, false)).toBe(false);
  });
});
