import fc from 'fast-check';
import { CLEARANCES, ITEM_KINDS, LEVELS, ROLES, clearanceRank, LEVEL_TABLE, type Clearance, type Level, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_ACCESS_RULES,
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
    ['mixed basis: level must be the highest', { catalogBasis: [{ catalogItemId: 'a', level: 'SECRET' }, { catalogItemId: 'b', level: 'TOP_SECRET' }] }, 'item.level_not_from_catalog', 'level'],
    ['no recipients', { recipients: [] }, 'item.recipients_required', 'recipients'],
    ['duplicate recipient', { recipients: [{ kind: 'unit', id: 'a' }, { kind: 'unit', id: 'a' }] }, 'item.recipient_duplicate', 'recipients'],
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
    expect(levelFromCatalog([{ catalogItemId: 'a', level: 'CONFIDENTIAL' }, { catalogItemId: 'b', level: 'TOP_SECRET' }, { catalogItemId: 'c', level: 'SECRET' }])).toBe('TOP_SECRET');
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
    [{ kind: 'document', level: 'TOP_SECRET', classifiedOn: '2026-03-10' }, { ok: true, end: '2056-03-10' }],
    [{ kind: 'activity', level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { years: 1 } }, { ok: true, end: '2025-02-28' }],
    [{ kind: 'place', level: 'SECRET', classifiedOn: '2026-03-10' }, { ok: true, end: null }],
    [{ kind: 'place', level: 'SECRET', classifiedOn: '2026-02-30' }, { ok: false, code: 'period.invalid_date' }],
    [{ kind: 'place', level: 'SECRET', classifiedOn: '2026-03-10', shorterPeriod: { years: 1 } }, { ok: false, code: 'item.period_not_applicable' }],
    [{ kind: 'object', level: 'SECRET', classifiedOn: '2026-03-10', shorterPeriod: { years: 25 } }, { ok: false, code: 'period.not_shorter' }],
  ] as const)('%j → %j', (input, expected) => {
    expect(protectionEndForItem(input)).toEqual(expected);
  });
});

describe('approval by the authority', () => {
  const today = '2026-03-10';
  const item = { status: 'proposed' as const, drafterId: 'drafter', field: 'thong-tin', level: 'SECRET' as const };
  const deleg = { field: 'thong-tin', validFrom: '2026-01-01', validTo: '2026-12-31' };
  const approver = (over: Partial<Parameters<typeof checkApproval>[0]['approver']> = {}) => ({ id: 'boss', roles: ['head'] as Role[], clearance: 'TOP_SECRET' as Clearance, ...over });

  it.each<[string, Parameters<typeof checkApproval>[0], ReturnType<typeof checkApproval>]>([
    ['the head', { approver: approver(), item, today }, { ok: true, via: 'head' }],
    ['a deputy with a delegation for the field, today', { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today }, { ok: true, via: 'delegation' }],
    ['delegation on its first day', { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2026-01-01' }, { ok: true, via: 'delegation' }],
    ['delegation on its last day', { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2026-12-31' }, { ok: true, via: 'delegation' }],
    ['delegation expired', { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2027-01-01' }, { ok: false, code: 'item.approver_not_authorised' }],
    ['delegation not yet valid', { approver: approver({ roles: ['officer'], delegations: [deleg] }), item, today: '2025-12-31' }, { ok: false, code: 'item.approver_not_authorised' }],
    ['delegation for another field', { approver: approver({ roles: ['officer'], delegations: [{ ...deleg, field: 'quoc-phong' }] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['an officer without delegation', { approver: approver({ roles: ['officer'] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['a security officer', { approver: approver({ roles: ['security_officer', 'clerk'] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['an admin, even with a delegation', { approver: approver({ roles: ['admin'], delegations: [deleg] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['an inspector', { approver: approver({ roles: ['inspector'] }), item, today }, { ok: false, code: 'item.approver_not_authorised' }],
    ['the head approving their own proposal', { approver: approver({ id: 'drafter' }), item, today }, { ok: false, code: 'item.self_approval' }],
    ['a delegate approving their own proposal', { approver: approver({ id: 'drafter', roles: ['officer'], delegations: [deleg] }), item, today }, { ok: false, code: 'item.self_approval' }],
    ['a head not cleared for the level', { approver: approver({ clearance: 'CONFIDENTIAL' }), item, today }, { ok: false, code: 'item.approver_clearance_insufficient' }],
    ['an item not proposed', { approver: approver(), item: { ...item, status: 'draft' }, today }, { ok: false, code: 'item.not_proposed' }],
  ])('%s', (_name, input, expected) => {
    expect(checkApproval(input)).toEqual(expected);
  });

  it('malformed delegation dates never cover', () => {
    expect(delegationCovers({ field: 'f', validFrom: '2026-02-30', validTo: '2026-12-31' }, 'f', today)).toBe(false);
    expect(delegationCovers({ field: 'f', validFrom: '2026-01-01', validTo: '2026-12-31' }, 'f', 'today')).toBe(false);
  });

  it('nobody ever approves their own proposal (property)', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES]), fc.constantFrom(...CLEARANCES), fc.constantFrom(...LEVELS), fc.boolean(), (roles, clearance, level, delegated) => {
        const r = checkApproval({
          approver: { id: 'same', roles, clearance, delegations: delegated ? [deleg] : [] },
          item: { ...item, drafterId: 'same', level },
          today,
        });
        return !r.ok && r.code === 'item.self_approval';
      }),
    );
  });
});

describe('who may read the content', () => {
  const reader = (over: Partial<ContentReader> = {}): ContentReader => ({ id: 'me', roles: ['officer'], clearance: 'SECRET', unitId: 'my-unit', isHeadOfUnit: false, ...over });
  const content = (over: Partial<ContentItem> = {}): ContentItem => ({ level: 'SECRET', addresseeOnly: false, namedAddresseeId: null, holderIds: [], recipientIds: [], assignedIds: [], ...over });

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
    ['addressee-only: a colleague with higher clearance', reader({ id: 'colleague', clearance: 'TOP_SECRET' }), content({ addresseeOnly: true, namedAddresseeId: 'me' }), false, 'addressee_only'],
    ['addressee-only: the clerk holding the envelope', reader({ id: 'clerk', roles: ['clerk'] }), content({ addresseeOnly: true, namedAddresseeId: 'me', holderIds: ['clerk'] }), false, 'addressee_only'],
    ['addressee-only: the named person\'s head', reader({ id: 'boss', roles: ['head'], isHeadOfUnit: true, clearance: 'TOP_SECRET' }), content({ addresseeOnly: true, namedAddresseeId: 'me', recipientIds: ['my-unit'], holderIds: ['my-unit'], assignedIds: ['boss'] }), false, 'addressee_only'],
    ['addressee-only with nobody named: nobody', reader(), content({ addresseeOnly: true, holderIds: ['me'] }), false, 'addressee_only'],
    ['addressee-only: the named person without clearance', reader({ clearance: 'CONFIDENTIAL' }), content({ addresseeOnly: true, namedAddresseeId: 'me' }), false, 'clearance_below_level'],
    ['admin holding a copy', reader({ roles: ['admin'], clearance: 'TOP_SECRET' }), content({ holderIds: ['me'] }), false, 'metadata_only_role'],
    ['inspector named as addressee', reader({ roles: ['inspector'], clearance: 'TOP_SECRET' }), content({ addresseeOnly: true, namedAddresseeId: 'me' }), false, 'metadata_only_role'],
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
    const role = !u.roles.includes('admin') && !u.roles.includes('inspector') && u.roles.some((r) => ['clerk', 'officer', 'head', 'security_officer'].includes(r));
    const cleared = clearanceRank(u.clearance) >= LEVEL_TABLE[i.level].rank;
    const asUnitHead = (ids: readonly string[]) => !!u.isHeadOfUnit && u.unitId !== null && ids.includes(u.unitId);
    const needToKnow = i.addresseeOnly
      ? !!i.namedAddresseeId && i.namedAddresseeId === u.id
      : i.holderIds.includes(u.id) || i.recipientIds.includes(u.id) || i.assignedIds.includes(u.id) || asUnitHead(i.holderIds) || asUnitHead(i.recipientIds);
    return role && cleared && needToKnow;
  }

  it('exhaustive: roles × clearance × level × addressee-only × named × holder × recipient × assigned × head of unit', () => {
    const roleSets: Role[][] = [['officer'], ['clerk'], ['head'], ['security_officer'], ['admin'], ['inspector'], [], ['officer', 'admin'], ['head', 'inspector']];
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
                      const item = content({ level, addresseeOnly, namedAddresseeId: named, holderIds: holders, recipientIds: recipients, assignedIds: assigned });
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
