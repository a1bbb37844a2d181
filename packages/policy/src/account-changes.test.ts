import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CHANGE_KINDS,
  ACCOUNT_CHANGE_WARNINGS,
  HOLDING_KINDS,
  changeMakesAgencyHead,
  checkClearanceGrant,
  positionChangeNeedsConfirmation,
  checkConfirmer,
  clearanceChangeIsRaise,
  clearanceRaiseWaits,
  rolesWhileHeld,
  type ClearanceGrantCheck,
  type ConfirmerCheck,
  type ConfirmerInput,
  type Person,
} from './account-changes';
import { AUTHORITY_TABLE } from './authority';
import { CLEARANCES, type Clearance } from './levels';
import type { PositionKind } from './positions';
import type { Role } from './roles';

const person = (id: string, roles: Role[], clearance: Clearance = 'TOP_SECRET', isAgencyHead = false): Person => ({ id, roles, clearance, isAgencyHead });

describe('held accounts', () => {
  it('keep only the roles that never work with secrets', () => {
    expect(rolesWhileHeld(['clerk', 'officer', 'head', 'security_officer'])).toEqual([]);
    expect(rolesWhileHeld(['admin'])).toEqual(['admin']);
    expect(rolesWhileHeld(['inspector'])).toEqual(['inspector']);
  });
  it('are held by account, roles, unit, identity and position changes, not by a pending clearance', () => {
    expect([...HOLDING_KINDS]).toEqual(['account', 'roles', 'unit', 'identity', 'position']);
    expect(ACCOUNT_CHANGE_KINDS).toContain('clearance');
  });
  it.each(CLEARANCES.flatMap((a) => CLEARANCES.map((b) => [a, b] as const)))('%s → %s is a raise only when higher', (a, b) => {
    expect(clearanceChangeIsRaise(a, b)).toBe(CLEARANCES.indexOf(b) > CLEARANCES.indexOf(a));
  });
});

describe('who confirms an account change (checkConfirmer): every confirmer × every requester/target', () => {
  // Confirmers (columns of the table below).
  const CONFIRMERS: Record<string, ConfirmerInput['confirmer']> = {
    so: { ...person('so2', ['security_officer']), active: true, held: false },
    soHeld: { ...person('so2', ['security_officer']), active: true, held: true },
    soInactive: { ...person('so2', ['security_officer']), active: false, held: false },
    agencyHead: { ...person('gd2', ['head'], 'TOP_SECRET', true), active: true, held: false },
    agencyHeadHeld: { ...person('gd2', ['head'], 'TOP_SECRET', true), active: true, held: true },
    deptHead: { ...person('tp', ['head']), active: true, held: false },
    officer: { ...person('cb', ['officer']), active: true, held: false },
    clerk: { ...person('vt', ['clerk']), active: true, held: false },
    admin2: { ...person('qt2', ['admin']), active: true, held: false },
    inspector: { ...person('tt', ['inspector']), active: true, held: false },
  };
  const REQUESTERS = {
    admin: { id: 'qt', roles: ['admin'] as Role[], isAgencyHead: false },
    agencyHead: { id: 'gd', roles: ['head'] as Role[], isAgencyHead: true },
    so: { id: 'so', roles: ['security_officer'] as Role[], isAgencyHead: false },
  };
  const TARGETS = {
    officer: { id: 't', roles: ['officer'] as Role[] },
    so: { id: 't', roles: ['security_officer'] as Role[] },
    head: { id: 't', roles: ['head'] as Role[] },
  };
  // ok · self · no (not_confirmer)
  const EXPECTED: Record<string, Record<string, 'ok' | 'no'>> = {
    //                 so    soHeld soInact agHead agHeld deptH officer clerk admin2 inspector
    'admin→officer': {
      so: 'ok',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'no',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'admin→head': {
      so: 'ok',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'no',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'admin→so': {
      so: 'no',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'ok',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'agencyHead→officer': {
      so: 'ok',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'no',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'agencyHead→so': {
      so: 'ok',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'ok',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'so→officer': {
      so: 'no',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'ok',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'so→head': {
      so: 'no',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'ok',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
    'so→so': {
      so: 'no',
      soHeld: 'no',
      soInactive: 'no',
      agencyHead: 'ok',
      agencyHeadHeld: 'no',
      deptHead: 'no',
      officer: 'no',
      clerk: 'no',
      admin2: 'no',
      inspector: 'no',
    },
  };
  const cases = Object.entries(EXPECTED).flatMap(([scenario, row]) =>
    Object.entries(row).flatMap(([confirmer, expected]) => ACCOUNT_CHANGE_KINDS.map((kind) => [scenario, confirmer, kind, expected] as const)),
  );

  it('covers 8 scenarios × 10 confirmers × 6 kinds', () => expect(cases.length).toBe(480));

  it.each(cases)('%s, confirmed by %s, kind %s → %s', (scenario, confirmer, kind, expected) => {
    const [req, tgt] = scenario.split('→') as [keyof typeof REQUESTERS, keyof typeof TARGETS];
    const input: ConfirmerInput = { kind, confirmer: CONFIRMERS[confirmer]!, requester: REQUESTERS[req], target: TARGETS[tgt], clearance: 'SECRET' };
    expect(checkConfirmer(input)).toBe<ConfirmerCheck>(expected === 'ok' ? 'ok' : 'not_confirmer');
  });

  // A head placed in the agency itself becomes a second agency head: only the agency head vouches for it.
  const MAKES_AGENCY_HEAD: Record<string, 'ok' | 'no'> = {
    so: 'no',
    soHeld: 'no',
    soInactive: 'no',
    agencyHead: 'ok',
    agencyHeadHeld: 'no',
    deptHead: 'no',
    officer: 'no',
    clerk: 'no',
    admin2: 'no',
    inspector: 'no',
  };
  const headCases = Object.entries(MAKES_AGENCY_HEAD).flatMap(([confirmer, expected]) =>
    (['account', 'roles', 'unit'] as const).flatMap((kind) => (['head', 'so'] as const).map((tgt) => [confirmer, kind, tgt, expected] as const)),
  );
  it.each(headCases)('a change making an agency head, confirmed by %s, kind %s, target %s → %s', (confirmer, kind, tgt, expected) => {
    const input: ConfirmerInput = { kind, confirmer: CONFIRMERS[confirmer]!, requester: REQUESTERS.admin, target: TARGETS[tgt], makesAgencyHead: true };
    expect(checkConfirmer(input)).toBe<ConfirmerCheck>(expected === 'ok' ? 'ok' : 'not_confirmer');
    // Without it, the ordinary rule: the agency head for a security officer, the security officer otherwise.
    const ordinary = tgt === 'so' ? confirmer === 'agencyHead' : confirmer === 'so';
    expect(checkConfirmer({ ...input, makesAgencyHead: false })).toBe(ordinary ? 'ok' : 'not_confirmer');
  });

  it.each<[string, Parameters<typeof changeMakesAgencyHead>[0], boolean]>([
    ['a head account created in the agency', { kind: 'account', targetHeadsAgency: true }, true],
    ['an account created in a department', { kind: 'account', targetHeadsAgency: false }, false],
    ['the head role given in the agency', { kind: 'roles', added: ['head'], targetHeadsAgency: true }, true],
    ['another role given to a head of the agency', { kind: 'roles', added: ['clerk'], targetHeadsAgency: true }, false],
    ['the head role given in a department', { kind: 'roles', added: ['head'], targetHeadsAgency: false }, false],
    ['a head moved into the agency', { kind: 'unit', targetHeadsAgency: true }, true],
    ['a head moved into a department', { kind: 'unit', targetHeadsAgency: false }, false],
    ["the agency head's password reset", { kind: 'identity', targetHeadsAgency: true }, false],
    ["the agency head's clearance raised", { kind: 'clearance', targetHeadsAgency: true }, false],
    ["the agency head's position given to a head in the agency", { kind: 'position', targetHeadsAgency: true }, true],
    ["the agency head's position given to someone without the head role", { kind: 'position', targetHeadsAgency: false }, false],
  ])('changeMakesAgencyHead: %s → %s', (_name, input, expected) => {
    expect(changeMakesAgencyHead(input)).toBe(expected);
  });

  it.each<[PositionKind | null, PositionKind, boolean]>([
    ['staff', 'agency_head', true],
    [null, 'agency_head', true],
    ['deputy_agency_head', 'agency_head', true],
    ['agency_head', 'agency_head', false],
    ['staff', 'deputy_agency_head', false],
    ['staff', 'unit_head', false],
    ['agency_head', 'staff', false],
  ])('a position change %s → %s waits for a second person: %s', (from, to, expected) => {
    expect(positionChangeNeedsConfirmation(from, to)).toBe(expected);
  });

  it('a position that the authority table makes decide waits too (the table, not the code)', () => {
    const row = AUTHORITY_TABLE.copy.CONFIDENTIAL;
    if (row.decidedBy !== 'agency') throw new Error('decided in the agency');
    const table = { ...AUTHORITY_TABLE, copy: { ...AUTHORITY_TABLE.copy, CONFIDENTIAL: { ...row, positions: [...row.positions, 'unit_head' as const] } } };
    expect(positionChangeNeedsConfirmation('staff', 'unit_head', table)).toBe(true);
  });

  it('every warning has its Vietnamese text', () => {
    for (const text of Object.values(ACCOUNT_CHANGE_WARNINGS)) expect(text).toMatch(/^Cơ quan hiện không có .+\.$/);
  });

  it.each<[string, Partial<ConfirmerInput>, ConfirmerCheck]>([
    ['the requester confirming their own request', { confirmer: { ...CONFIRMERS.so!, id: 'qt' } }, 'self'],
    ['the target confirming their own change', { confirmer: { ...CONFIRMERS.so!, id: 't' } }, 'self'],
    [
      'the agency head confirming the SO they asked about',
      { requester: REQUESTERS.agencyHead, target: TARGETS.so, confirmer: { ...CONFIRMERS.agencyHead!, id: 'gd' } },
      'self',
    ],
    [
      "the SO target confirming the agency head's request about themselves",
      { requester: REQUESTERS.agencyHead, target: { id: 'so2', roles: ['security_officer'] } },
      'self',
    ],
  ])('%s → %s', (_name, over, expected) => {
    const input: ConfirmerInput = { kind: 'account', confirmer: CONFIRMERS.so!, requester: REQUESTERS.admin, target: TARGETS.officer, ...over };
    expect(checkConfirmer(input)).toBe(expected);
  });

  it.each(CLEARANCES.flatMap((own) => CLEARANCES.map((level) => [own, level] as const)))('a confirmer cleared %s confirming a raise to %s', (own, level) => {
    const input: ConfirmerInput = {
      kind: 'clearance',
      confirmer: { ...CONFIRMERS.so!, clearance: own },
      requester: REQUESTERS.agencyHead,
      target: TARGETS.officer,
      clearance: level,
    };
    expect(checkConfirmer(input)).toBe(CLEARANCES.indexOf(own) >= CLEARANCES.indexOf(level) ? 'ok' : 'clearance_insufficient');
    // Other kinds do not look at the confirmer's clearance.
    expect(checkConfirmer({ ...input, kind: 'identity' })).toBe('ok');
  });
});

describe('clearance grant table (checkClearanceGrant): every granter × every target, a raise and a lowering', () => {
  const GRANTERS: Record<string, Person> = {
    soTS: person('so', ['security_officer'], 'TOP_SECRET'),
    soS: person('so', ['security_officer'], 'SECRET'),
    soNone: person('so', ['security_officer'], 'NONE'),
    agencyHead: person('gd', ['head'], 'TOP_SECRET', true),
    deptHead: person('tp', ['head'], 'TOP_SECRET'),
    officer: person('cb', ['officer'], 'TOP_SECRET'),
    admin: person('qt', ['admin'], 'NONE'),
  };
  const TARGETS: Record<string, Person & { active: boolean }> = {
    officerNone: { ...person('t', ['officer'], 'NONE'), active: true },
    officerS: { ...person('t', ['officer'], 'SECRET'), active: true },
    officerTS: { ...person('t', ['officer'], 'TOP_SECRET'), active: true },
    so: { ...person('t', ['security_officer'], 'SECRET'), active: true },
    agencyHead: { ...person('t', ['head'], 'SECRET', true), active: true },
    admin: { ...person('t', ['admin'], 'NONE'), active: true },
    inactive: { ...person('t', ['officer'], 'NONE'), active: false },
  };
  type Code = ClearanceGrantCheck;
  const ng = 'not_granter' as const;
  // Per granter: [target] → [result of "→ TOP_SECRET", result of "→ CONFIDENTIAL", result of "→ NONE"].
  const EXPECTED: Record<string, Record<string, [Code, Code, Code]>> = {
    soTS: {
      officerNone: ['ok', 'ok', 'unchanged'],
      officerS: ['ok', 'ok', 'ok'],
      officerTS: ['unchanged', 'ok', 'ok'],
      so: ['protected_target', 'protected_target', 'protected_target'],
      agencyHead: ['protected_target', 'protected_target', 'protected_target'],
      admin: ['not_applicable', 'not_applicable', 'unchanged'],
      inactive: ['inactive', 'inactive', 'inactive'],
    },
    soS: {
      officerNone: ['above_own', 'ok', 'unchanged'],
      officerS: ['above_own', 'ok', 'ok'],
      officerTS: ['unchanged', 'above_own', 'above_own'],
      so: ['above_own', 'protected_target', 'protected_target'],
      agencyHead: ['above_own', 'protected_target', 'protected_target'],
      admin: ['not_applicable', 'not_applicable', 'unchanged'],
      inactive: ['inactive', 'inactive', 'inactive'],
    },
    soNone: {
      officerNone: ['above_own', 'above_own', 'unchanged'],
      officerS: ['above_own', 'above_own', 'above_own'],
      officerTS: ['unchanged', 'above_own', 'above_own'],
      so: ['above_own', 'above_own', 'above_own'],
      agencyHead: ['above_own', 'above_own', 'above_own'],
      admin: ['not_applicable', 'not_applicable', 'unchanged'],
      inactive: ['inactive', 'inactive', 'inactive'],
    },
    agencyHead: {
      officerNone: ['ok', 'ok', 'unchanged'],
      officerS: ['ok', 'ok', 'ok'],
      officerTS: ['unchanged', 'ok', 'ok'],
      so: ['ok', 'ok', 'ok'],
      agencyHead: ['ok', 'ok', 'ok'],
      admin: ['not_applicable', 'not_applicable', 'unchanged'],
      inactive: ['inactive', 'inactive', 'inactive'],
    },
    deptHead: Object.fromEntries(Object.keys(TARGETS).map((k) => [k, [ng, ng, ng]])),
    officer: Object.fromEntries(Object.keys(TARGETS).map((k) => [k, [ng, ng, ng]])),
    admin: Object.fromEntries(Object.keys(TARGETS).map((k) => [k, [ng, ng, ng]])),
  };
  const NEXT: Clearance[] = ['TOP_SECRET', 'CONFIDENTIAL', 'NONE'];
  const cases = Object.entries(EXPECTED).flatMap(([g, row]) =>
    Object.entries(row).flatMap(([tg, results]) => NEXT.map((next, i) => [g, tg, next, results[i]!] as const)),
  );
  const base = { reason: 'Được giao nhiệm vụ', decisionRef: 'QĐ 12/QĐ-SNV', commitmentCovers: () => true };

  it('covers 7 granters × 7 targets × 3 levels', () => expect(cases.length).toBe(147));

  it.each(cases)('%s changing %s to %s → %s', (g, tg, next, expected) => {
    expect(checkClearanceGrant({ ...base, granter: GRANTERS[g]!, target: TARGETS[tg]!, next })).toBe(expected);
  });

  it.each<[string, Partial<Parameters<typeof checkClearanceGrant>[0]>, ClearanceGrantCheck]>([
    ['nobody for themselves (SO)', { granter: GRANTERS.soTS!, target: { ...TARGETS.so!, id: 'so' } }, 'self'],
    ['nobody for themselves (agency head)', { granter: GRANTERS.agencyHead!, target: { ...TARGETS.agencyHead!, id: 'gd' } }, 'self'],
    ['a reason is required', { reason: '  ' }, 'reason_required'],
    ['a decision reference is required', { decisionRef: ' ' }, 'decision_ref_required'],
    ["the person's commitment must cover the level (people module hook)", { commitmentCovers: () => false }, 'commitment_missing'],
  ])('%s', (_name, over, expected) => {
    expect(checkClearanceGrant({ ...base, granter: GRANTERS.soTS!, target: TARGETS.officerNone!, next: 'SECRET', ...over })).toBe(expected);
  });
});

describe('clearanceRaiseWaits: which clearance changes wait for a second person', () => {
  const agencyHead = { roles: ['head'] as Role[], isAgencyHead: true };
  const deptHead = { roles: ['head'] as Role[], isAgencyHead: false };
  const so = { roles: ['security_officer'] as Role[], isAgencyHead: false };
  const headAndSo = { roles: ['head', 'security_officer'] as Role[], isAgencyHead: true };
  const officer = { roles: ['officer'] as Role[] };
  const soTarget = { roles: ['security_officer'] as Role[] };
  for (const from of CLEARANCES) {
    for (const to of CLEARANCES) {
      const raise = CLEARANCES.indexOf(to) > CLEARANCES.indexOf(from);
      it(`${from} → ${to}`, () => {
        // A lowering or no change never waits.
        expect(clearanceRaiseWaits({ from, to, granter: so, target: officer })).toBe(raise);
        expect(clearanceRaiseWaits({ from, to, granter: agencyHead, target: officer })).toBe(raise);
        expect(clearanceRaiseWaits({ from, to, granter: deptHead, target: soTarget })).toBe(raise);
        expect(clearanceRaiseWaits({ from, to, granter: so, target: soTarget })).toBe(raise);
        // An agency head who is also a security officer does not decide alone for a colleague.
        expect(clearanceRaiseWaits({ from, to, granter: headAndSo, target: soTarget })).toBe(raise);
        // The agency head's own decision for a security officer: the second person the table names.
        expect(clearanceRaiseWaits({ from, to, granter: agencyHead, target: soTarget })).toBe(false);
      });
    }
  }
});
