import { describe, expect, it } from 'vitest';
import {
  AUTHORITY_OPERATIONS,
  AUTHORITY_TABLE,
  decidingPositionKinds,
  delegableScope,
  decide,
  type AuthorityOperation,
  type AuthorityRow,
  type AuthorityTable,
  type DelegationScope,
} from './authority';
import { LEVELS, type Level } from './levels';
import { POSITION_KINDS, isAgencyHead, defaultPositionKind, newAccountPositionKind, type PositionKind } from './positions';

const TODAY = '2026-06-15';
const FIELD = 'Ngoại giao';

/** What the table says should happen, derived from the row alone (not from decide's code). */
function expected(row: AuthorityRow, c: { kind: PositionKind; delegated: boolean; own: boolean }): string {
  if (row.decidedBy === 'higher_authority') return 'refused:higher_authority';
  if (c.own) return 'refused:self_decision';
  if (row.positions.includes(c.kind)) return 'ok:position';
  if (c.delegated && row.delegable) return 'ok:delegation';
  return 'refused:wrong_authority';
}

const scope = (operation: AuthorityOperation, level: Level, over: Partial<DelegationScope> = {}): DelegationScope => ({
  operations: [operation],
  levels: [level],
  field: FIELD,
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  ...over,
});

function run(table: AuthorityTable, operation: AuthorityOperation, level: Level, kind: PositionKind, delegated: boolean, own: boolean) {
  const r = decide({
    operation,
    level,
    field: FIELD,
    today: TODAY,
    table,
    decider: { id: 'decider', positionKind: kind, isAgencyHead: kind === 'agency_head', delegations: delegated ? [scope(operation, level)] : [] },
    requesterId: own ? 'decider' : 'requester',
  });
  return r.ok ? `ok:${r.via}` : `refused:${r.code}`;
}

describe('authority table: operation × level × position × delegated × own request', () => {
  const cases = AUTHORITY_OPERATIONS.flatMap((op) =>
    LEVELS.flatMap((level) =>
      POSITION_KINDS.flatMap((kind) => [false, true].flatMap((delegated) => [false, true].map((own) => [op, level, kind, delegated, own] as const))),
    ),
  );

  it('enumerates 10 operations × 3 levels × 6 positions × 2 × 2', () => expect(cases.length).toBe(10 * 3 * 6 * 2 * 2));

  it.each(cases)('%s %s by %s (delegated %s, own request %s)', (op, level, kind, delegated, own) => {
    expect(run(AUTHORITY_TABLE, op, level, kind, delegated, own)).toBe(expected(AUTHORITY_TABLE[op][level], { kind, delegated, own }));
  });

  it('changing a row changes behaviour, with no code change', () => {
    // Suppose the legal officer confirms that heads of departments may authorise Mật copies (Đ.11 k.3).
    const row = AUTHORITY_TABLE.copy.CONFIDENTIAL;
    if (row.decidedBy !== 'agency') throw new Error('the Mật copy row is decided in the agency');
    const changed: AuthorityTable = {
      ...AUTHORITY_TABLE,
      copy: { ...AUTHORITY_TABLE.copy, CONFIDENTIAL: { ...row, positions: [...row.positions, 'unit_head'] } },
    };
    expect(run(AUTHORITY_TABLE, 'copy', 'CONFIDENTIAL', 'unit_head', false, false)).toBe('refused:wrong_authority');
    expect(run(changed, 'copy', 'CONFIDENTIAL', 'unit_head', false, false)).toBe('ok:position');
    expect(decidingPositionKinds(changed)).toContain('unit_head');
    // … or that a Tối mật copy must go up: the same request is routed to a higher authority.
    const up: AuthorityTable = {
      ...AUTHORITY_TABLE,
      copy: { ...AUTHORITY_TABLE.copy, SECRET: { decidedBy: 'higher_authority', authorityVi: 'x', article: 'y' } },
    };
    expect(run(AUTHORITY_TABLE, 'copy', 'SECRET', 'agency_head', false, false)).toBe('ok:position');
    expect(run(up, 'copy', 'SECRET', 'agency_head', false, false)).toBe('refused:higher_authority');
    expect(delegableScope(up)).not.toContainEqual({ operation: 'copy', level: 'SECRET' });
  });

  it('every row cites an article; rows decided in the agency name at least one position', () => {
    for (const op of AUTHORITY_OPERATIONS)
      for (const level of LEVELS) {
        const row = AUTHORITY_TABLE[op][level];
        expect(row.article.trim(), `${op} ${level}`).not.toBe('');
        if (row.decidedBy === 'agency') expect(row.positions.length, `${op} ${level}`).toBeGreaterThan(0);
      }
  });

  it('the cases the issue names are routed outside the agency', () => {
    expect(AUTHORITY_TABLE.copy.TOP_SECRET.decidedBy).toBe('higher_authority');
    expect(AUTHORITY_TABLE.provide_foreign.TOP_SECRET).toMatchObject({ decidedBy: 'higher_authority', authorityVi: 'Thủ tướng Chính phủ' });
    expect(AUTHORITY_TABLE.take_out_abroad.CONFIDENTIAL.decidedBy).toBe('higher_authority');
  });

  it('the Phó Giám đốc decides nothing without a delegation', () => {
    for (const op of AUTHORITY_OPERATIONS)
      for (const level of LEVELS) expect(run(AUTHORITY_TABLE, op, level, 'deputy_agency_head', false, false)).not.toMatch(/^ok/);
  });
});

describe('decide: delegations and the agency head', () => {
  const base = { operation: 'classify' as const, level: 'SECRET' as const, field: FIELD, today: TODAY, requesterId: 'requester' };
  const deputy = (delegations: DelegationScope[]) => ({ id: 'deputy', positionKind: 'deputy_agency_head' as const, isAgencyHead: false, delegations });
  it.each<[string, DelegationScope[], string, string?]>([
    ['in force', [scope('classify', 'SECRET')], 'ok:delegation'],
    ['first day', [scope('classify', 'SECRET', { validFrom: TODAY })], 'ok:delegation'],
    ['last day', [scope('classify', 'SECRET', { validTo: TODAY })], 'ok:delegation'],
    ['expired', [scope('classify', 'SECRET', { validTo: '2026-06-14' })], 'refused:delegation_expired'],
    ['not yet valid', [scope('classify', 'SECRET', { validFrom: '2026-06-16' })], 'refused:delegation_expired'],
    ['revoked', [scope('classify', 'SECRET', { revoked: true })], 'refused:delegation_expired'],
    ['expired beside one in force', [scope('classify', 'SECRET', { validTo: '2026-01-31' }), scope('classify', 'SECRET')], 'ok:delegation'],
    ['another field', [scope('classify', 'SECRET', { field: 'Quốc phòng' })], 'refused:wrong_authority'],
    ['another level', [scope('classify', 'CONFIDENTIAL')], 'refused:wrong_authority'],
    ['another operation', [scope('extend', 'SECRET')], 'refused:wrong_authority'],
    ['a nonsense date', [scope('classify', 'SECRET', { validTo: '2026-02-30' })], 'refused:delegation_expired'],
  ])('a deputy with a delegation: %s', (_n, delegations, want) => {
    const r = decide({ ...base, decider: deputy(delegations) });
    expect(r.ok ? `ok:${r.via}` : `refused:${r.code}`).toBe(want);
  });

  it('an agency_head position held outside the agency unit (isAgencyHead false) decides nothing by it', () => {
    const r = decide({ ...base, decider: { id: 'x', positionKind: 'agency_head', isAgencyHead: false, delegations: [] } });
    expect(r).toMatchObject({ ok: false, code: 'wrong_authority' });
  });

  it('a delegation never opens a row that does not allow one', () => {
    const r = decide({ ...base, operation: 'destroy', decider: deputy([scope('destroy', 'SECRET')]) });
    expect(r).toMatchObject({ ok: false, code: 'wrong_authority' });
    expect(delegableScope()).not.toContainEqual({ operation: 'destroy', level: 'SECRET' });
    expect(delegableScope()).toContainEqual({ operation: 'classify', level: 'TOP_SECRET' });
  });

  it('only the agency head position gives authority by itself today', () => {
    expect(decidingPositionKinds()).toEqual(['agency_head']);
  });
});

describe('isAgencyHead (positions)', () => {
  it.each<[string, Parameters<typeof isAgencyHead>[0], boolean]>([
    ['Giám đốc in the agency, head role', { positionKind: 'agency_head', unitId: 'root', roles: ['head'] }, true],
    ['Giám đốc position in a department', { positionKind: 'agency_head', unitId: 'dept', roles: ['head'] }, false],
    ['Giám đốc whose account is held (no head role)', { positionKind: 'agency_head', unitId: 'root', roles: [] }, false],
    ['Phó Giám đốc with the head role in the agency', { positionKind: 'deputy_agency_head', unitId: 'root', roles: ['head'] }, false],
    ['no position', { positionKind: null, unitId: 'root', roles: ['head'] }, false],
  ])('%s → %s', (_n, p, want) => expect(isAgencyHead(p, 'root')).toBe(want));

  it('the default position of an account without one', () => {
    expect(defaultPositionKind(['head'], true)).toBe('agency_head');
    expect(defaultPositionKind(['head', 'clerk'], false)).toBe('unit_head');
    expect(defaultPositionKind(['officer'], true)).toBe('staff');
    // Created by the administrator: never the agency head by default.
    expect(newAccountPositionKind(['head'], true)).toBe('deputy_agency_head');
    expect(newAccountPositionKind(['head'], false)).toBe('unit_head');
    expect(newAccountPositionKind(['clerk'], true)).toBe('staff');
  });
});
