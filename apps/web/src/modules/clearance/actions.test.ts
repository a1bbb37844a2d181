import { describe, expect, it } from 'vitest';
import { clearanceActionFor, isAgencyHead, levelAllowed, mayGrant, type Granter, type Target } from './actions';

const ROOT = 'root';
const so: Granter = { id: 'so', roles: ['security_officer'], clearance: 'SECRET', unitId: 'vp' };
const agencyHead: Granter = { id: 'gd', roles: ['head'], clearance: 'TOP_SECRET', unitId: ROOT, positionKind: 'agency_head' };
const deptHead: Granter = { id: 'tp', roles: ['head'], clearance: 'TOP_SECRET', unitId: 'lsbg' };
const person = (over: Partial<Target>): Target => ({ id: 'x', roles: ['officer'], clearance: 'NONE', unitId: 'lsbg', active: true, ...over });

describe('clearance page actions', () => {
  it('knows the agency head from a department head and a deputy by the position in the agency', () => {
    expect(isAgencyHead(agencyHead, ROOT)).toBe(true);
    expect(isAgencyHead(deptHead, ROOT)).toBe(false);
    // Issue 13: a head in the agency itself who holds the deputy's position is not its head.
    expect(isAgencyHead({ ...agencyHead, positionKind: 'deputy_agency_head' }, ROOT)).toBe(false);
    expect(isAgencyHead({ ...agencyHead, positionKind: null }, ROOT)).toBe(false);
    expect(isAgencyHead(agencyHead, undefined)).toBe(false);
    expect(mayGrant(so, ROOT)).toBe(true);
    expect(mayGrant(agencyHead, ROOT)).toBe(true);
    expect(mayGrant(deptHead, ROOT)).toBe(false);
  });

  it('offers a change only where the grant table allows one', () => {
    expect(clearanceActionFor(so, person({}), ROOT)).toBe('change');
    expect(clearanceActionFor(so, person({ clearance: 'SECRET' }), ROOT)).toBe('change');
    expect(clearanceActionFor(so, person({ clearance: 'TOP_SECRET' }), ROOT)).toBe('above_own');
    expect(clearanceActionFor(so, person({ id: 'so' }), ROOT)).toBe('self');
    expect(clearanceActionFor(so, person({ roles: ['admin'] }), ROOT)).toBe('not_applicable');
    expect(clearanceActionFor(so, person({ roles: ['inspector'] }), ROOT)).toBe('not_applicable');
    expect(clearanceActionFor(so, person({ active: false }), ROOT)).toBe('inactive');
    expect(clearanceActionFor(deptHead, person({}), ROOT)).toBe('view_only');
    expect(clearanceActionFor({ ...so, clearance: 'NONE' }, person({}), ROOT)).toBe('no_own_clearance');
    expect(clearanceActionFor({ ...so, clearance: 'NONE' }, person({ id: 'so' }), ROOT)).toBe('self');
  });

  it('leaves the agency head and security officers to the agency head', () => {
    expect(clearanceActionFor(so, person({ roles: ['security_officer'], clearance: 'NONE' }), ROOT)).toBe('agency_head_only');
    expect(clearanceActionFor(so, person({ roles: ['head'], unitId: ROOT, positionKind: 'agency_head', clearance: 'NONE' }), ROOT)).toBe('agency_head_only');
    expect(clearanceActionFor(so, person({ roles: ['head'], unitId: ROOT, positionKind: 'deputy_agency_head', clearance: 'NONE' }), ROOT)).toBe('change');
    expect(clearanceActionFor(so, person({ roles: ['head'], unitId: 'lsbg', clearance: 'NONE' }), ROOT)).toBe('change');
    expect(clearanceActionFor(agencyHead, person({ roles: ['security_officer'] }), ROOT)).toBe('change');
  });

  it('offers no level above the granter’s own', () => {
    expect(levelAllowed(so, 'SECRET')).toBe(true);
    expect(levelAllowed(so, 'NONE')).toBe(true);
    expect(levelAllowed(so, 'TOP_SECRET')).toBe(false);
  });
});
