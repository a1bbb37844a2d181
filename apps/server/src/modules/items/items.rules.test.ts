import fc from 'fast-check';
import { CLEARANCES, ITEM_KINDS, LEVELS, ROLES, clearanceRank, LEVEL_TABLE, type Clearance, type Level, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ASSIGNMENT_RULES,
  CONTENT_ACCESS_RULES,
  ITEM_EVENT_DETAILS,
  canReadUnitHoldings,
  checkAssignment,
  checkRevocation,
  isContentAccessAction,
  itemEventDetails,
  itemEventVisible,
  type AssignmentInput,
  type AssignmentItem,
  type Assignee,
  ITEM_EVENTS,
  ITEM_STATUSES,
  ITEM_TRANSITIONS,
  applyItemEvent,
  canReadContent,
  checkApproval,
  checkClassificationProposal,
  delegationCovers,
  levelFromCatalog,
  protectionEndForItem,
  type ClassificationProposal,
  type ContentItem,
  type ContentReader,
  type ItemEvent,
  type ItemStatus,
} from './items.rules';

/** The module folders whose use cases write an item's audit events (the item's stages of life). */
const ITEM_STAGE_MODULES = ['items', 'classification', 'dispatch', 'copies'];

describe('item lifecycle: every status × every event', () => {
  const EXPECTED: Record<ItemStatus, Record<ItemEvent, ItemStatus | '-'>> = {
    draft: { propose: 'proposed', withdraw: '-', approve: '-', return: '-', revise: '-', issue: '-' },
    proposed: { propose: '-', withdraw: 'draft', approve: 'classified', return: 'returned', revise: '-', issue: '-' },
    returned: { propose: '-', withdraw: '-', approve: '-', return: '-', revise: 'draft', issue: '-' },
    classified: { propose: '-', withdraw: '-', approve: '-', return: '-', revise: '-', issue: 'issued' },
    issued: { propose: '-', withdraw: '-', approve: '-', return: '-', revise: '-', issue: '-' },
    received: { propose: '-', withdraw: '-', approve: '-', return: '-', revise: '-', issue: '-' },
  };
  const cases = ITEM_STATUSES.flatMap((s) => ITEM_EVENTS.map((e) => [s, e, EXPECTED[s][e]] as const));

  it('covers 6 × 6 cases', () => expect(cases.length).toBe(36));

  it.each(cases)('%s + %s → %s', (status, event, expected) => {
    expect(applyItemEvent(status, event)).toEqual(expected === '-' ? { ok: false, code: 'item.transition_not_allowed' } : { ok: true, status: expected });
    expect(ITEM_TRANSITIONS[status][event]).toBe(expected === '-' ? undefined : expected);
  });

  it('a returned proposal goes back through draft before it can be proposed again', () => {
    let s: ItemStatus = 'draft';
    for (const e of ['propose', 'return', 'revise', 'propose', 'approve', 'issue'] as const) {
      const r = applyItemEvent(s, e);
      if (!r.ok) throw new Error(`${s} + ${e}`);
      s = r.status;
    }
    expect(s).toBe('issued');
  });
});

describe('classification proposal (NĐ 26/2020 Đ.2 k.1)', () => {
  const today = '2026-03-10';
  const good: ClassificationProposal = {
    kind: 'document',
    level: 'SECRET',
    catalogBasis: [{ catalogItemId: 'qd19-d1-k2', level: 'SECRET' }],
    recipients: [
      { kind: 'unit', id: 'phong-a' },
      { kind: 'outside', id: 'so-noi-vu' },
    ],
    copyCount: 3,
    copyAllowed: false,
  };

  it('accepts a complete proposal', () => {
    expect(checkClassificationProposal(good, today)).toEqual({ ok: true });
    expect(checkClassificationProposal({ ...good, copyAllowed: true, shorterPeriod: { years: 5 } }, today)).toEqual({ ok: true });
  });

  it.each<[string, Partial<ClassificationProposal>, string, string]>([
    ['no catalogue basis', { catalogBasis: [] }, 'item.catalog_basis_required', 'catalogBasis'],
    ['null catalogue basis', { catalogBasis: null }, 'item.catalog_basis_required', 'catalogBasis'],
    ['blank catalogue item id', { catalogBasis: [{ catalogItemId: ' ', level: 'SECRET' }] }, 'item.catalog_basis_required', 'catalogBasis'],
    ['no level', { level: null }, 'item.level_required', 'level'],
    ['unknown level', { level: 'ULTRA' as Level }, 'item.level_required', 'level'],
    ['level below the catalogue', { level: 'CONFIDENTIAL' }, 'item.level_not_from_catalog', 'level'],
    ['level above the catalogue', { level: 'TOP_SECRET' }, 'item.level_not_from_catalog', 'level'],
    [
      'mixed basis: level must be the highest',
      {
        catalogBasis: [
          { catalogItemId: 'a', level: 'SECRET' },
          { catalogItemId: 'b', level: 'TOP_SECRET' },
        ],
      },
      'item.level_not_from_catalog',
      'level',
    ],
    ['no recipients', { recipients: [] }, 'item.recipients_required', 'recipients'],
    [
      'duplicate recipient',
      {
        recipients: [
          { kind: 'unit', id: 'a' },
          { kind: 'unit', id: 'a' },
        ],
      },
      'item.recipient_duplicate',
      'recipients',
    ],
    ['zero copies', { copyCount: 0 }, 'item.copies_required', 'copyCount'],
    ['fractional copies', { copyCount: 1.5 }, 'item.copies_required', 'copyCount'],
    ['copies missing', { copyCount: null }, 'item.copies_required', 'copyCount'],
    ['fewer copies than recipients', { copyCount: 1 }, 'item.copies_fewer_than_recipients', 'copyCount'],
    ['copy permission undecided', { copyAllowed: null }, 'item.copy_permission_required', 'copyAllowed'],
    ['shorter period not shorter', { shorterPeriod: { years: 20 } }, 'period.not_shorter', 'shorterPeriod'],
    ['shorter period zero', { shorterPeriod: { days: 0 } }, 'period.not_positive', 'shorterPeriod'],
    ['shorter period ending before today', { shorterPeriod: { until: '2026-01-01' } }, 'period.not_positive', 'shorterPeriod'],
    ['shorter period for a place', { kind: 'place', shorterPeriod: { years: 1 } }, 'item.period_not_applicable', 'shorterPeriod'],
    ['unknown kind', { kind: 'rumour' as 'document' }, 'item.kind_required', 'kind'],
  ])('%s → %s', (_name, change, code, field) => {
    const r = checkClassificationProposal({ ...good, ...change }, today);
    expect(r).toEqual({ ok: false, code, issues: [{ code, field }] });
  });

  it('reports every problem at once, in field order', () => {
    const r = checkClassificationProposal({ kind: 'document' }, today);
    expect(r).toEqual({
      ok: false,
      code: 'item.level_required',
      issues: [
        { code: 'item.level_required', field: 'level' },
        { code: 'item.catalog_basis_required', field: 'catalogBasis' },
        { code: 'item.recipients_required', field: 'recipients' },
        { code: 'item.copies_required', field: 'copyCount' },
        { code: 'item.copy_permission_required', field: 'copyAllowed' },
      ],
    });
  });

  it('levelFromCatalog takes the highest level', () => {
    expect(levelFromCatalog([])).toBeUndefined();
    expect(
      levelFromCatalog([
        { catalogItemId: 'a', level: 'CONFIDENTIAL' },
        { catalogItemId: 'b', level: 'TOP_SECRET' },
        { catalogItemId: 'c', level: 'SECRET' },
      ]),
    ).toBe('TOP_SECRET');
  });

  it('without a catalogue basis nothing is ever accepted (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ITEM_KINDS),
        fc.constantFrom(...LEVELS),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        fc.constantFrom(null, undefined, [] as const),
        (kind, level, copyCount, copyAllowed, catalogBasis) => {
          const r = checkClassificationProposal({ kind, level, copyCount, copyAllowed, catalogBasis, recipients: [{ kind: 'user', id: 'u' }] }, today);
          return !r.ok && r.issues.some((i) => i.code === 'item.catalog_basis_required');
        },
      ),
    );
  });
});

describe('protection end on approval', () => {
  it.each([
    [
      { kind: 'document', level: 'TOP_SECRET', classifiedOn: '2026-03-10' },
      { ok: true, end: '2056-03-10' },
    ],
    [
      { kind: 'activity', level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { years: 1 } },
      { ok: true, end: '2025-02-28' },
    ],
    [
      { kind: 'place', level: 'SECRET', classifiedOn: '2026-03-10' },
      { ok: true, end: null },
    ],
    [
      { kind: 'place', level: 'SECRET', classifiedOn: '2026-02-30' },
      { ok: false, code: 'period.invalid_date' },
    ],
    [
      { kind: 'place', level: 'SECRET', classifiedOn: '2026-03-10', shorterPeriod: { years: 1 } },
      { ok: false, code: 'item.period_not_applicable' },
    ],
    [
      { kind: 'object', level: 'SECRET', classifiedOn: '2026-03-10', shorterPeriod: { years: 25 } },
      { ok: false, code: 'period.not_shorter' },
    ],
    // A catalogue row that says "3 năm" sets the period, not the level's 10 years.
    [
      { kind: 'document', level: 'CONFIDENTIAL', classifiedOn: '2026-03-10', catalog: { period: { years: 3 }, ref: 'Điều 1, khoản 2 — 19/QĐ-TTg' } },
      { ok: true, end: '2029-03-10', basis: { source: 'catalog', period: { years: 3 }, ref: 'Điều 1, khoản 2 — 19/QĐ-TTg' } },
    ],
    // The shortest applicable period wins: the decided 2 years over the catalogue's 3 …
    [
      { kind: 'document', level: 'CONFIDENTIAL', classifiedOn: '2026-03-10', shorterPeriod: { years: 2 }, catalog: { period: { years: 3 }, ref: 'x' } },
      { ok: true, end: '2028-03-10', basis: { source: 'decision', period: { years: 2 } } },
    ],
    // … the catalogue's 3 over a decided 5; a catalogue period not shorter than the level's does not apply.
    [
      { kind: 'document', level: 'CONFIDENTIAL', classifiedOn: '2026-03-10', shorterPeriod: { years: 5 }, catalog: { period: { years: 3 }, ref: 'x' } },
      { ok: true, end: '2029-03-10', basis: { source: 'catalog' } },
    ],
    [
      { kind: 'document', level: 'CONFIDENTIAL', classifiedOn: '2026-03-10', catalog: { period: { years: 15 }, ref: 'x' } },
      { ok: true, end: '2036-03-10', basis: { source: 'level', level: 'CONFIDENTIAL', years: 10 } },
    ],
    [
      { kind: 'place', level: 'SECRET', classifiedOn: '2026-03-10', catalog: { period: { years: 3 }, ref: 'x' } },
      { ok: true, end: null, basis: null },
    ],
  ] as const)('%j → %j', (input, expected) => {
    expect(protectionEndForItem(input)).toMatchObject(expected);
  });
});

describe('approval by the authority', () => {
  const today = '2026-03-10';
  const item = { status: 'proposed' as const, drafterId: 'drafter', field: 'thong-tin', level: 'SECRET' as const };
  const deleg = { operations: ['classify' as const], levels: LEVELS, field: 'thong-tin', validFrom: '2026-01-01', validTo: '2026-12-31' };
  const approver = (over: Partial<Parameters<typeof checkApproval>[0]['approver']> = {}) => ({
    id: 'boss',
    roles: ['head'] as Role[],
    clearance: 'TOP_SECRET' as Clearance,
    isAgencyHead: true,
    ...over,
  });

  it.each<[string, Parameters<typeof checkApproval>[0], ReturnType<typeof checkApproval>]>([
    ['the head of the agency', { approver: approver(), item, today }, { ok: true, via: 'head' }],
    [
      'the head of a department (trưởng phòng)',
      { approver: approver({ isAgencyHead: false }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'the head of a department under a delegation for the field',
      { approver: approver({ isAgencyHead: false, delegations: [deleg] }), item, today },
      { ok: true, via: 'delegation' },
    ],
    [
      "an officer of the agency's own office (root unit), not a head",
      { approver: approver({ roles: ['officer'] }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'a deputy with a delegation for the field, today',
      { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today },
      { ok: true, via: 'delegation' },
    ],
    [
      'delegation on its first day',
      { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2026-01-01' },
      { ok: true, via: 'delegation' },
    ],
    [
      'delegation on its last day',
      { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2026-12-31' },
      { ok: true, via: 'delegation' },
    ],
    [
      'delegation expired',
      { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2027-01-01' },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'delegation not yet valid',
      { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2025-12-31' },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'delegation for another field',
      { approver: approver({ roles: ['officer'], delegations: [{ ...deleg, field: 'quoc-phong' }] }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    ['an officer without delegation', { approver: approver({ roles: ['officer'] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['a security officer', { approver: approver({ roles: ['security_officer', 'clerk'] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    [
      'an admin, even with a delegation',
      { approver: approver({ roles: ['admin'], delegations: [deleg] }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    ['an inspector', { approver: approver({ roles: ['inspector'] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['the head approving their own proposal', { approver: approver({ id: 'drafter' }), item, today }, { ok: false, code: 'item.self_approval' }],
    [
      'a delegate approving their own proposal',
      { approver: approver({ id: 'drafter', roles: ['officer'], delegations: [deleg] }), item, today },
      { ok: false, code: 'item.self_approval' },
    ],
    [
      'a head not cleared for the level',
      { approver: approver({ clearance: 'CONFIDENTIAL' }), item, today },
      { ok: false, code: 'item.approver_clearance_insufficient' },
    ],
    ['an item not proposed', { approver: approver(), item: { ...item, status: 'draft' }, today }, { ok: false, code: 'item.not_proposed' }],
  ])('%s', (_name, input, expected) => {
    expect(checkApproval(input)).toEqual(expected);
  });

  it('malformed delegation dates never cover', () => {
    expect(delegationCovers({ ...deleg, field: 'f', validFrom: '2026-02-30', validTo: '2026-12-31' }, 'f', today)).toBe(false);
    expect(delegationCovers({ ...deleg, field: 'f', validFrom: '2026-01-01', validTo: '2026-12-31' }, 'f', 'today')).toBe(false);
  });

  // Issue 13: the authority table decides (AUTHORITY_TABLE.classify), and delegations carry
  // operations × levels × field.
  it.each<[string, Parameters<typeof checkApproval>[0], ReturnType<typeof checkApproval>]>([
    [
      'the Phó Giám đốc, head role in the agency, without a delegation',
      { approver: approver({ isAgencyHead: false, positionKind: 'deputy_agency_head' }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'the Phó Giám đốc under a delegation for the field',
      { approver: approver({ roles: ['officer'], isAgencyHead: false, positionKind: 'deputy_agency_head', delegations: [deleg] }), item, today },
      { ok: true, via: 'delegation' },
    ],
    [
      'a delegation for copying only',
      { approver: approver({ roles: ['officer'], isAgencyHead: false, delegations: [{ ...deleg, operations: ['copy'] }] }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'a delegation for Mật only, on a Tối mật proposal',
      { approver: approver({ roles: ['officer'], isAgencyHead: false, delegations: [{ ...deleg, levels: ['CONFIDENTIAL'] }] }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'a revoked delegation',
      { approver: approver({ roles: ['officer'], isAgencyHead: false, delegations: [{ ...deleg, revoked: true }] }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
    [
      'an agency_head position outside the agency (isAgencyHead false)',
      { approver: approver({ isAgencyHead: false, positionKind: 'agency_head' }), item, today },
      { ok: false, code: 'item.approver_not_authorised' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(checkApproval(input)).toEqual(expected);
  });

  it('nobody ever approves their own proposal (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...ROLES]),
        fc.constantFrom(...CLEARANCES),
        fc.constantFrom(...LEVELS),
        fc.boolean(),
        fc.boolean(),
        (roles, clearance, level, delegated, isAgencyHead) => {
          const r = checkApproval({
            approver: { id: 'same', roles, clearance, isAgencyHead, delegations: delegated ? [deleg] : [] },
            item: { ...item, drafterId: 'same', level },
            today,
          });
          return !r.ok && r.code === 'item.self_approval';
        },
      ),
    );
  });
});

describe('only the head of the agency, or a delegate for the field, decides', () => {
  const today = '2026-03-10';
  const deleg = { operations: ['classify' as const], levels: LEVELS, field: 'thong-tin', validFrom: '2026-01-01', validTo: '2026-12-31' };
  it('exhaustive: every role set × agency head or not × delegation (none, this field, other field, expired) × clearance × level', () => {
    const delegationCases = [[], [deleg], [{ ...deleg, field: 'quoc-phong' }], [{ ...deleg, validTo: '2026-03-09' }]];
    const roleSets: Role[][] = [[], ...ROLES.map((r) => [r]), ...ROLES.flatMap((a, i) => ROLES.slice(i + 1).map((b) => [a, b]))];
    let decided = 0;
    for (const roles of roleSets)
      for (const isAgencyHead of [true, false])
        for (const [di, delegations] of delegationCases.entries())
          for (const clearance of CLEARANCES)
            for (const level of LEVELS) {
              const r = checkApproval({
                approver: { id: 'a', roles, clearance, isAgencyHead, delegations },
                item: { status: 'proposed', drafterId: 'd', field: 'thong-tin', level },
                today,
              });
              const metadataOnly = roles.includes('admin') || roles.includes('inspector');
              const authorised = !metadataOnly && ((roles.includes('head') && isAgencyHead) || di === 1);
              const cleared = CLEARANCES.indexOf(clearance) >= CLEARANCES.indexOf(level as Clearance);
              const expected = !authorised
                ? { ok: false, code: 'item.approver_not_authorised' }
                : !cleared
                  ? { ok: false, code: 'item.approver_clearance_insufficient' }
                  : { ok: true, via: roles.includes('head') && isAgencyHead ? 'head' : 'delegation' };
              expect(r, JSON.stringify({ roles, isAgencyHead, di, clearance, level })).toEqual(expected);
              if (r.ok) decided++;
            }
    expect(decided).toBeGreaterThan(0);
  });
});

describe('who may read the content', () => {
  const reader = (over: Partial<ContentReader> = {}): ContentReader => ({
    id: 'me',
    roles: ['officer'],
    clearance: 'SECRET',
    unitId: 'my-unit',
    isHeadOfUnit: false,
    ...over,
  });
  const content = (over: Partial<ContentItem> = {}): ContentItem => ({
    level: 'SECRET',
    addresseeOnly: false,
    namedAddresseeId: null,
    holderIds: [],
    recipientIds: [],
    assignedIds: [],
    ...over,
  });

  // The scenarios of issue 3, spelled out.
  it.each<[string, ContentReader, ContentItem, boolean, string]>([
    ['holder with clearance', reader(), content({ holderIds: ['me'] }), true, 'holds_copy'],
    ['named recipient', reader(), content({ recipientIds: ['me'] }), true, 'named_recipient'],
    ['assigned by the head', reader(), content({ assignedIds: ['me'] }), true, 'assigned'],
    ['head of the unit that holds it', reader({ isHeadOfUnit: true }), content({ holderIds: ['my-unit'] }), true, 'unit_holds_copy'],
    ['head of the recipient unit', reader({ isHeadOfUnit: true }), content({ recipientIds: ['my-unit'] }), true, 'unit_is_recipient'],
    ['member (not head) of the unit that holds it', reader(), content({ holderIds: ['my-unit'] }), false, 'no_need_to_know'],
    ['cleared colleague without need-to-know', reader({ clearance: 'TOP_SECRET' }), content(), false, 'no_need_to_know'],
    ['holder without enough clearance', reader({ clearance: 'CONFIDENTIAL' }), content({ holderIds: ['me'] }), false, 'clearance_below_level'],
    ['holder with no clearance', reader({ clearance: 'NONE' }), content({ level: 'CONFIDENTIAL', holderIds: ['me'] }), false, 'clearance_below_level'],
    ['addressee-only: the named person', reader(), content({ addresseeOnly: true, namedAddresseeId: 'me', recipientIds: ['me'] }), true, 'named_addressee'],
    [
      'addressee-only: a colleague with higher clearance',
      reader({ id: 'colleague', clearance: 'TOP_SECRET' }),
      content({ addresseeOnly: true, namedAddresseeId: 'me' }),
      false,
      'addressee_only',
    ],
    [
      'addressee-only: the clerk holding the envelope',
      reader({ id: 'clerk', roles: ['clerk'] }),
      content({ addresseeOnly: true, namedAddresseeId: 'me', holderIds: ['clerk'] }),
      false,
      'addressee_only',
    ],
    [
      "addressee-only: the named person's head",
      reader({ id: 'boss', roles: ['head'], isHeadOfUnit: true, clearance: 'TOP_SECRET' }),
      content({ addresseeOnly: true, namedAddresseeId: 'me', recipientIds: ['my-unit'], holderIds: ['my-unit'], assignedIds: ['boss'] }),
      false,
      'addressee_only',
    ],
    ['addressee-only with nobody named: nobody', reader(), content({ addresseeOnly: true, holderIds: ['me'] }), false, 'addressee_only'],
    [
      'addressee-only: the named person without clearance',
      reader({ clearance: 'CONFIDENTIAL' }),
      content({ addresseeOnly: true, namedAddresseeId: 'me' }),
      false,
      'clearance_below_level',
    ],
    ['admin holding a copy', reader({ roles: ['admin'], clearance: 'TOP_SECRET' }), content({ holderIds: ['me'] }), false, 'metadata_only_role'],
    [
      'inspector named as addressee',
      reader({ roles: ['inspector'], clearance: 'TOP_SECRET' }),
      content({ addresseeOnly: true, namedAddresseeId: 'me' }),
      false,
      'metadata_only_role',
    ],
    ['account with no roles', reader({ roles: [] }), content({ holderIds: ['me'] }), false, 'no_content_role'],
  ])('%s → %s', (_name, user, item, allowed, reason) => {
    expect(canReadContent({ user, item })).toEqual({ allowed, reason });
  });

  it('the rule list ends with a refusal that always applies', () => {
    const last = CONTENT_ACCESS_RULES[CONTENT_ACCESS_RULES.length - 1]!;
    expect(last).toMatchObject({ reason: 'no_need_to_know', allowed: false });
  });

  /** The rule written independently of the table, as one formula. */
  function oracle(u: ContentReader, i: ContentItem): boolean {
    const role =
      !u.roles.includes('admin') && !u.roles.includes('inspector') && u.roles.some((r) => ['clerk', 'officer', 'head', 'security_officer'].includes(r));
    const cleared = clearanceRank(u.clearance) >= LEVEL_TABLE[i.level].rank;
    const asUnitHead = (ids: readonly string[]) => !!u.isHeadOfUnit && u.unitId !== null && ids.includes(u.unitId);
    const needToKnow = i.addresseeOnly
      ? !!i.namedAddresseeId && i.namedAddresseeId === u.id
      : i.holderIds.includes(u.id) || i.recipientIds.includes(u.id) || i.assignedIds.includes(u.id) || asUnitHead(i.holderIds) || asUnitHead(i.recipientIds);
    return role && cleared && needToKnow;
  }

  it('exhaustive: roles × clearance × level × addressee-only × named × holder × recipient × assigned × head of unit', () => {
    const roleSets: Role[][] = [
      ['officer'],
      ['clerk'],
      ['head'],
      ['security_officer'],
      ['admin'],
      ['inspector'],
      [],
      ['officer', 'admin'],
      ['head', 'inspector'],
    ];
    const who = { none: [], me: ['me'], unit: ['my-unit'], other: ['someone'] } as const;
    let count = 0;
    for (const roles of roleSets)
      for (const clearance of CLEARANCES)
        for (const level of LEVELS)
          for (const addresseeOnly of [false, true])
            for (const named of [null, 'me', 'someone'])
              for (const holders of Object.values(who))
                for (const recipients of Object.values(who))
                  for (const assigned of [who.none, who.me])
                    for (const isHeadOfUnit of [false, true]) {
                      const user = reader({ roles, clearance, isHeadOfUnit });
                      const item = content({
                        level,
                        addresseeOnly,
                        namedAddresseeId: named,
                        holderIds: holders,
                        recipientIds: recipients,
                        assignedIds: assigned,
                      });
                      const r = canReadContent({ user, item });
                      count++;
                      if (r.allowed !== oracle(user, item)) throw new Error(`mismatch: ${JSON.stringify({ user, item, r })}`);
                      if (!r.allowed && (roles.includes('admin') || roles.includes('inspector'))) expect(r.reason).toBe('metadata_only_role');
                    }
    expect(count).toBe(9 * 4 * 3 * 2 * 3 * 4 * 4 * 2 * 2);
  });

  const idArb = fc.constantFrom('me', 'my-unit', 'someone', 'x');
  const readerArb = fc.record({
    id: fc.constantFrom('me', 'someone'),
    roles: fc.subarray([...ROLES]),
    clearance: fc.constantFrom(...CLEARANCES),
    unitId: fc.option(fc.constantFrom('my-unit', 'other-unit'), { nil: null }),
    isHeadOfUnit: fc.boolean(),
  });
  const itemArb = fc.record({
    level: fc.constantFrom(...LEVELS),
    addresseeOnly: fc.boolean(),
    namedAddresseeId: fc.option(idArb, { nil: null }),
    holderIds: fc.uniqueArray(idArb),
    recipientIds: fc.uniqueArray(idArb),
    assignedIds: fc.uniqueArray(idArb),
  });

  it('an admin or an inspector is never allowed, whatever else holds (property)', () => {
    fc.assert(
      fc.property(readerArb, itemArb, fc.constantFrom<Role>('admin', 'inspector'), (user, item, metadataRole) => {
        const r = canReadContent({ user: { ...user, roles: [...user.roles, metadataRole] }, item });
        return !r.allowed && r.reason === 'metadata_only_role';
      }),
    );
  });

  it('allowed implies clearance ≥ level, and for addressee-only the named person only (property)', () => {
    fc.assert(
      fc.property(readerArb, itemArb, (user, item) => {
        const r = canReadContent({ user, item });
        expect(r.allowed).toBe(oracle(user, item));
        if (r.allowed) {
          expect(clearanceRank(user.clearance)).toBeGreaterThanOrEqual(LEVEL_TABLE[item.level].rank);
          if (item.addresseeOnly) expect(item.namedAddresseeId).toBe(user.id);
        }
      }),
    );
  });
});

describe('need-to-know assignment (checkAssignment)', () => {
  const item = (over: Partial<AssignmentItem> = {}): AssignmentItem => ({
    level: 'SECRET',
    addresseeOnly: false,
    holderUnitIds: ['my-unit'],
    holderUserUnitIds: [],
    recipientUnitIds: [],
    ...over,
  });
  const assignee = (over: Partial<Assignee> = {}): Assignee => ({
    id: 'them',
    active: true,
    unitId: 'my-unit',
    roles: ['officer'],
    clearance: 'SECRET',
    ...over,
  });
  const input = (over: Partial<AssignmentInput> = {}): AssignmentInput => ({
    actor: { id: 'me', roles: ['head'], unitId: 'my-unit' },
    item: item(),
    assigneeId: 'them',
    assignee: assignee(),
    alreadyAssigned: false,
    ...over,
  });

  it.each<[string, AssignmentInput, string]>([
    ['head of the unit holding a copy assigns a cleared colleague', input(), 'ok'],
    ['head of the unit of a user holding a copy', input({ item: item({ holderUnitIds: [], holderUserUnitIds: ['my-unit'] }) }), 'ok'],
    ['head of a recipient unit', input({ item: item({ holderUnitIds: [], recipientUnitIds: ['my-unit'] }) }), 'ok'],
    ['a clerk', input({ assignee: assignee({ roles: ['clerk'] }) }), 'ok'],
    ['an officer, not a head', input({ actor: { id: 'me', roles: ['officer'], unitId: 'my-unit' } }), 'item.assign_not_head'],
    ['a head who is also an inspector (never valid)', input({ actor: { id: 'me', roles: ['head', 'inspector'], unitId: 'my-unit' } }), 'item.assign_not_head'],
    ['head of another unit', input({ actor: { id: 'me', roles: ['head'], unitId: 'other-unit' } }), 'item.assign_not_responsible'],
    [
      'head of a unit holding nothing, not a recipient',
      input({ item: item({ holderUnitIds: ['x'], holderUserUnitIds: ['y'], recipientUnitIds: ['z'] }) }),
      'item.assign_not_responsible',
    ],
    ['addressee-only item, even by the responsible head', input({ item: item({ addresseeOnly: true }) }), 'item.assign_addressee_only'],
    ['oneself', input({ assigneeId: 'me', assignee: assignee({ id: 'me' }) }), 'item.assign_self'],
    ['no such user', input({ assignee: null }), 'item.assignee_not_found'],
    ['a deactivated user', input({ assignee: assignee({ active: false }) }), 'item.assignee_inactive'],
    ['a user of another unit', input({ assignee: assignee({ unitId: 'other-unit' }) }), 'item.assignee_other_unit'],
    ['an inspector', input({ assignee: assignee({ roles: ['inspector'] }) }), 'item.assignee_no_content_role'],
    ['an admin', input({ assignee: assignee({ roles: ['admin'] }) }), 'item.assignee_no_content_role'],
    ['no clearance', input({ assignee: assignee({ clearance: 'NONE' }) }), 'item.assignee_clearance_below_level'],
    ['clearance below the level', input({ item: item({ level: 'TOP_SECRET' }) }), 'item.assignee_clearance_below_level'],
    ['twice', input({ alreadyAssigned: true }), 'item.already_assigned'],
  ])('%s → %s', (_name, i, expected) => {
    expect(checkAssignment(i)).toEqual(expected === 'ok' ? { ok: true } : { ok: false, code: expected });
  });

  /** The rule as one formula, written independently of the table. */
  function oracle(i: AssignmentInput): boolean {
    const { actor, item: it, assignee: u } = i;
    const head = actor.roles.includes('head') && !actor.roles.includes('admin') && !actor.roles.includes('inspector');
    const responsible = it.holderUnitIds.includes(actor.unitId) || it.holderUserUnitIds.includes(actor.unitId) || it.recipientUnitIds.includes(actor.unitId);
    if (!head || !responsible || it.addresseeOnly || i.assigneeId === actor.id || !u || i.alreadyAssigned) return false;
    const reads = u.roles.some((r) => ['clerk', 'officer', 'head', 'security_officer'].includes(r)) && !u.roles.some((r) => r === 'admin' || r === 'inspector');
    return u.active && u.unitId === actor.unitId && reads && clearanceRank(u.clearance) >= LEVEL_TABLE[it.level].rank;
  }

  it('exhaustive: actor roles × responsibility × addressee-only × level × assignee (self, missing, active, unit, roles, clearance) × duplicate', () => {
    const actorRoles: Role[][] = [['head'], ['officer'], ['clerk'], ['security_officer'], ['head', 'officer'], ['head', 'inspector'], ['admin'], []];
    const responsibility: Partial<AssignmentItem>[] = [
      { holderUnitIds: ['my-unit'] },
      { holderUserUnitIds: ['my-unit'] },
      { recipientUnitIds: ['my-unit'] },
      { holderUnitIds: ['other-unit'], holderUserUnitIds: ['other-unit'], recipientUnitIds: ['other-unit'] },
    ];
    const assigneeRoles: Role[][] = [['officer'], ['clerk'], ['head'], ['security_officer'], ['inspector'], ['admin'], ['officer', 'admin'], []];
    const assignees: (Assignee | null)[] = [null];
    for (const active of [true, false])
      for (const unitId of ['my-unit', 'other-unit'])
        for (const roles of assigneeRoles) for (const clearance of CLEARANCES) assignees.push(assignee({ active, unitId, roles, clearance }));
    let count = 0;
    const codes = new Set<string>();
    for (const roles of actorRoles)
      for (const resp of responsibility)
        for (const addresseeOnly of [false, true])
          for (const level of LEVELS)
            for (const assigneeId of ['them', 'me'])
              for (const u of assignees)
                for (const alreadyAssigned of [false, true]) {
                  const i = input({
                    actor: { id: 'me', roles, unitId: 'my-unit' },
                    item: item({ level, addresseeOnly, holderUnitIds: [], ...resp }),
                    assigneeId,
                    assignee: u && { ...u, id: assigneeId },
                    alreadyAssigned,
                  });
                  const r = checkAssignment(i);
                  count++;
                  if (r.ok !== oracle(i)) throw new Error(`mismatch: ${JSON.stringify({ i, r })}`);
                  if (!r.ok) codes.add(r.code);
                }
    expect(count).toBe(8 * 4 * 2 * 3 * 2 * (1 + 2 * 2 * 8 * 4) * 2);
    // Every refusal of the table is reachable.
    expect([...codes].sort()).toEqual(ASSIGNMENT_RULES.map((r) => r.code).sort());
  });
});

describe('withdrawing an assignment (checkRevocation)', () => {
  const item: AssignmentItem = { level: 'SECRET', addresseeOnly: false, holderUnitIds: ['my-unit'], holderUserUnitIds: [], recipientUnitIds: [] };
  const elsewhere: AssignmentItem = { ...item, holderUnitIds: ['other-unit'] };

  it("exhaustive: actor roles × responsibility × assignment (none, by me, by another) × the assignee's unit", () => {
    const results: string[] = [];
    for (const roles of [['head'], ['officer'], ['head', 'admin']] as Role[][])
      for (const it of [item, elsewhere])
        for (const assignment of [null, { assignedBy: 'me' }, { assignedBy: 'another-head' }])
          for (const assigneeUnitId of ['my-unit', 'other-unit', null]) {
            const r = checkRevocation({ actor: { id: 'me', roles, unitId: 'my-unit' }, item: it, assignment, assigneeUnitId });
            const head = roles.includes('head') && !roles.includes('admin');
            const responsible = it === item;
            const expected = !head
              ? 'item.assign_not_head'
              : assignment?.assignedBy === 'me' || (responsible && (assignment === null || assigneeUnitId === 'my-unit'))
                ? assignment === null
                  ? 'item.assignment_not_found'
                  : 'ok'
                : 'item.assign_not_responsible';
            expect(r.ok ? 'ok' : r.code, JSON.stringify({ roles, responsible, assignment, assigneeUnitId })).toBe(expected);
            results.push(expected);
          }
    expect(results).toHaveLength(3 * 2 * 3 * 3);
    expect(new Set(results)).toEqual(new Set(['ok', 'item.assign_not_head', 'item.assign_not_responsible', 'item.assignment_not_found']));
  });

  it('a head of an unrelated unit is not told whether an assignment exists', () => {
    const actor = { id: 'me', roles: ['head'] as Role[], unitId: 'my-unit' };
    expect(checkRevocation({ actor, item: elsewhere, assignment: null, assigneeUnitId: null })).toEqual({ ok: false, code: 'item.assign_not_responsible' });
    expect(checkRevocation({ actor, item: elsewhere, assignment: { assignedBy: 'x' }, assigneeUnitId: 'my-unit' })).toEqual({
      ok: false,
      code: 'item.assign_not_responsible',
    });
  });
});

describe('unit holdings: who sees which unit', () => {
  it('exhaustive: every single role and pairs × own / other unit', () => {
    const sets: Role[][] = [...ROLES.map((r) => [r]), ['clerk', 'officer'], ['head', 'officer'], ['clerk', 'security_officer'], []];
    for (const roles of sets)
      for (const own of [true, false]) {
        const expected = roles.some((r) => r === 'security_officer' || r === 'inspector') || (own && roles.some((r) => r === 'clerk' || r === 'head'));
        expect(canReadUnitHoldings({ roles, unitId: 'u1' }, own ? 'u1' : 'u2'), `${roles.join('+')} ${own ? 'own' : 'other'}`).toBe(expected);
      }
  });
});

describe('item page events', () => {
  it.each([
    ['item.content_read', true],
    ['item.content_refused', true],
    ['item.attachment_read', true],
    ['item.attachment_refused', true],
    ['item.attachment_download_refused', true],
    ['item.attachments.file_read', true],
    ['item.attachment_added', false],
    ['item.drafted', false],
    ['item.assignment_granted', false],
    ['custody.receipt_confirmed', false],
  ])('%s is a content access: %s', (action, expected) => {
    expect(isContentAccessAction(action)).toBe(expected);
    for (const role of ROLES) expect(itemEventVisible(action, [role])).toBe(!expected || role === 'security_officer');
  });

  it('details pass through the allow-list only; unknown actions show none', () => {
    expect(itemEventDetails('item.returned', { reason: 'Bổ sung', via: 'head', extra: 'x' })).toEqual({ reason: 'Bổ sung', via: 'head' });
    expect(itemEventDetails('item.received', { registerNumber: 3, summary: 'Nội dung mật' })).toEqual({ registerNumber: 3 });
    expect(itemEventDetails('item.unknown', { a: 1 })).toEqual({});
    expect(itemEventDetails('item.drafted', Object.create({ kind: 'inherited' }) as Record<string, unknown>)).toEqual({});
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(ITEM_EVENT_DETAILS), 'x.y'),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })),
        (action, details) => {
          const out = itemEventDetails(action, details);
          for (const k of Object.keys(out)) expect(ITEM_EVENT_DETAILS[action]).toContain(k);
        },
      ),
    );
  });

  it('no allow-list names a content field, and every item action this module audits has an entry', () => {
    for (const keys of Object.values(ITEM_EVENT_DETAILS))
      for (const k of keys) expect(['summary', 'content', 'message', 'note', 'fileName', 'text']).not.toContain(k);
    // The item's stages live in module folders of their own beside this one.
    const modules = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
    const written = new Set<string>();
    for (const dir of ITEM_STAGE_MODULES.map((m) => path.join(modules, m)).filter((d) => fs.existsSync(d))) {
      for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.usecases.ts'))) {
        for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/action: '([a-z_.]+)',\s*subjectType: 'item'/g)) written.add(m[1]!);
      }
    }
    expect(written).toContain('item.issued');
    expect(written.size).toBeGreaterThan(15);
    for (const action of written) expect(Object.keys(ITEM_EVENT_DETAILS), action).toContain(action);
  });
});
