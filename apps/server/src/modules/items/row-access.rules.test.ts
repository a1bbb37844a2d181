import { CLEARANCES, LEVELS, LEVEL_TABLE, clearanceRank, type Clearance, type Level, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import {
  HANDLING_ACTIONS,
  HANDLING_RULES,
  ROW_ACCESS_RULES,
  canReadContent,
  checkHandling,
  readsAnySummary,
  rowContentAccess,
  summaryShown,
  type ContentRow,
  type HandlingAction,
  type RowViewer,
} from './items.rules';

// The one content decision for rows (register lines, search hits, printed registers, the item
// page) and the handling table: each checked against a formula written independently of the table.

describe('rowContentAccess: one rule per row', () => {
  /** The rule as one formula: role, clearance, then keeper or need-to-know or the proposal's people. */
  function oracle(u: RowViewer, r: ContentRow): boolean {
    const role =
      !u.roles.includes('admin') && !u.roles.includes('inspector') && u.roles.some((x) => ['clerk', 'officer', 'head', 'security_officer'].includes(x));
    const cleared = clearanceRank(u.clearance) >= LEVEL_TABLE[r.level].rank;
    const keeper = r.keeperUnitId !== undefined && u.roles.includes('clerk') && (!!u.isAgencyClerk || (r.keeperUnitId !== null && r.keeperUnitId === u.unitId));
    const asHead = (ids: readonly string[]) => !!u.isHeadOfUnit && u.unitId !== null && ids.includes(u.unitId);
    const needToKnow = r.addresseeOnly
      ? !!r.namedAddresseeId && r.namedAddresseeId === u.id
      : r.holderIds.includes(u.id) || r.recipientIds.includes(u.id) || r.assignedIds.includes(u.id) || asHead(r.holderIds) || asHead(r.recipientIds);
    const proposal = !!r.proposalPhase && ((!!r.drafterId && r.drafterId === u.id) || !!r.viewerDecides);
    return role && cleared && (keeper || needToKnow || proposal);
  }

  it('exhaustive: roles × clearance × level × keeper unit × agency clerk × head × need-to-know facts × proposal', () => {
    const roleSets: Role[][] = [['clerk'], ['officer'], ['head'], ['security_officer'], ['inspector'], ['admin'], [], ['clerk', 'admin']];
    const holders = [[], ['me'], ['my-unit'], ['other']];
    let count = 0;
    for (const roles of roleSets)
      for (const clearance of CLEARANCES)
        for (const level of LEVELS)
          for (const keeperUnitId of [undefined, null, 'my-unit', 'other-unit'])
            for (const isAgencyClerk of [false, true])
              for (const isHeadOfUnit of [false, true])
                for (const holderIds of holders)
                  for (const recipientIds of [[], ['me'], ['my-unit']])
                    for (const addresseeOnly of [false, true])
                      for (const proposal of ['none', 'drafter', 'decider'] as const) {
                        const u: RowViewer = { id: 'me', roles, clearance, unitId: 'my-unit', isHeadOfUnit, isAgencyClerk };
                        const r: ContentRow = {
                          level,
                          addresseeOnly,
                          namedAddresseeId: addresseeOnly ? 'me' : null,
                          holderIds,
                          recipientIds,
                          assignedIds: [],
                          keeperUnitId,
                          proposalPhase: proposal !== 'none',
                          drafterId: proposal === 'drafter' ? 'me' : 'someone',
                          viewerDecides: proposal === 'decider',
                        };
                        expect(rowContentAccess(u, r).allowed, JSON.stringify({ u, r })).toBe(oracle(u, r));
                        count++;
                      }
    expect(count).toBeGreaterThan(100_000);
  });

  it('agrees with canReadContent on every item outside a register and outside the proposal phase', () => {
    for (const roles of [['clerk'], ['officer'], ['head'], ['inspector']] as Role[][])
      for (const clearance of CLEARANCES)
        for (const level of LEVELS)
          for (const holderIds of [[], ['me'], ['my-unit']]) {
            const user = { id: 'me', roles, clearance, unitId: 'my-unit', isHeadOfUnit: roles.includes('head') };
            const item = { level, addresseeOnly: false, holderIds, recipientIds: [], assignedIds: [] };
            expect(rowContentAccess(user, item)).toEqual(canReadContent({ user, item }));
          }
  });

  it('the keeper never sees above their clearance, and a clerk of another unit is not the keeper', () => {
    const clerk: RowViewer = { id: 'c', roles: ['clerk'], clearance: 'CONFIDENTIAL', unitId: 'B' };
    const row = (level: Level, keeperUnitId: string): ContentRow => ({
      level,
      addresseeOnly: false,
      holderIds: [],
      recipientIds: [],
      assignedIds: [],
      keeperUnitId,
    });
    expect(rowContentAccess(clerk, row('CONFIDENTIAL', 'B'))).toEqual({ allowed: true, reason: 'register_keeper' });
    expect(rowContentAccess(clerk, row('SECRET', 'B'))).toEqual({ allowed: false, reason: 'clearance_below_level' });
    expect(rowContentAccess(clerk, row('CONFIDENTIAL', 'A'))).toEqual({ allowed: false, reason: 'no_need_to_know' });
    expect(rowContentAccess({ ...clerk, isAgencyClerk: true }, row('CONFIDENTIAL', 'A'))).toEqual({ allowed: true, reason: 'register_keeper' });
  });

  it('starts with the refusals that hold whatever else is true and ends with a refusal that always applies', () => {
    expect(ROW_ACCESS_RULES.slice(0, 3).map((r) => [r.reason, r.allowed])).toEqual([
      ['metadata_only_role', false],
      ['no_content_role', false],
      ['clearance_below_level', false],
    ]);
    expect(ROW_ACCESS_RULES.at(-1)).toMatchObject({ reason: 'no_need_to_know', allowed: false });
  });

  it('readsAnySummary is false exactly when no row could ever be shown', () => {
    for (const roles of [['clerk'], ['officer'], ['head'], ['security_officer'], ['inspector'], ['admin'], ['head', 'admin']] as Role[][])
      for (const clearance of CLEARANCES as readonly Clearance[]) {
        const any = LEVELS.some(
          (level) =>
            rowContentAccess(
              { id: 'me', roles, clearance, unitId: 'u', isAgencyClerk: true },
              { level, addresseeOnly: false, holderIds: ['me'], recipientIds: [], assignedIds: [], keeperUnitId: 'u' },
            ).allowed,
        );
        expect(readsAnySummary({ roles, clearance }), `${roles} ${clearance}`).toBe(any);
      }
  });

  it('summaryShown: hidden whether or not a summary was written; Tuyệt mật keeps its own "no summary"', () => {
    expect(summaryShown({ summary: 'Kế hoạch', level: 'SECRET' }, { allowed: true })).toEqual({ summary: 'Kế hoạch', hidden: false });
    expect(summaryShown({ summary: 'Kế hoạch', level: 'SECRET' }, { allowed: false })).toEqual({ summary: null, hidden: true });
    expect(summaryShown({ summary: null, level: 'CONFIDENTIAL' }, { allowed: false })).toEqual({ summary: null, hidden: true });
    expect(summaryShown({ summary: null, level: 'CONFIDENTIAL' }, { allowed: true })).toEqual({ summary: null, hidden: false });
    expect(summaryShown({ summary: null, level: 'TOP_SECRET' }, { allowed: false })).toEqual({ summary: null, hidden: false });
  });
});

describe('checkHandling: clearance and place, every action', () => {
  const PLACE: Record<HandlingAction, 'own' | 'unit' | 'agency'> = {
    draft: 'own',
    propose: 'own',
    issue: 'unit',
    print_envelopes: 'unit',
    receive: 'own',
    record_receipt: 'unit',
    hand_over: 'own',
    cancel_entry: 'unit',
    lock_register: 'agency',
  };

  it('the table covers every action with the expected place', () => {
    expect(Object.keys(HANDLING_RULES).sort()).toEqual([...HANDLING_ACTIONS].sort());
    for (const a of HANDLING_ACTIONS) expect(HANDLING_RULES[a].place).toBe(PLACE[a]);
  });

  it('exhaustive: action × clearance × level (or empty register) × actor unit × agency clerk × at agency', () => {
    let n = 0;
    for (const action of HANDLING_ACTIONS)
      for (const clearance of CLEARANCES)
        for (const level of [...LEVELS, null] as (Level | null)[])
          for (const unitId of ['mine', 'other', null])
            for (const isAgencyClerk of [false, true])
              for (const atAgency of [false, true]) {
                const r = checkHandling({ action, actor: { clearance, unitId: 'mine', isAgencyClerk, atAgency }, level, unitId });
                const cleared = level === null || clearanceRank(clearance) >= LEVEL_TABLE[level].rank;
                const place = PLACE[action];
                const placeOk = place === 'own' || (place === 'agency' ? atAgency : isAgencyClerk || unitId === 'mine');
                const drafting = action === 'draft' || action === 'propose';
                const expected = !cleared
                  ? { ok: false, code: drafting ? 'item.level_above_clearance' : 'handling.clearance_below_level' }
                  : placeOk
                    ? { ok: true }
                    : { ok: false, code: 'handling.not_your_unit' };
                expect(r, JSON.stringify({ action, clearance, level, unitId, isAgencyClerk, atAgency })).toEqual(expected);
                n++;
              }
    expect(n).toBe(HANDLING_ACTIONS.length * 4 * 4 * 3 * 2 * 2);
  });
});
