import { CLEARANCES, LEVELS, type Clearance, type Level, type Role } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import { checkEnteredDate, checkSummary, type EnteredDateFacts, type SummaryAction, type SummaryFacts } from './dispatch.rules';

describe('dates the clerk enters (checkEnteredDate)', () => {
  const base: EnteredDateFacts = { date: '2026-03-02', today: '2026-03-05', documentDate: '2026-02-27' };
  it.each<[string, Partial<EnteredDateFacts>, string | null]>([
    ['today itself', { date: '2026-03-05' }, null],
    ['an earlier day', { date: '2026-03-02' }, null],
    ['the document date itself', { date: '2026-02-27' }, null],
    ['tomorrow', { date: '2026-03-06' }, 'date.after_today'],
    ['next year', { date: '2027-01-01' }, 'date.after_today'],
    ['the day before the document date', { date: '2026-02-26' }, 'date.before_document_date'],
    ['no document date known', { date: '2020-01-01', documentDate: null }, null],
    [
      'after today and before the document date (a document dated later): after today decides',
      { date: '2026-03-07', documentDate: '2026-03-08' },
      'date.after_today',
    ],
    ['a receipt signed on the day it was sent', { sentOn: '2026-03-02' }, null],
    ['a receipt signed before it was sent', { date: '2026-03-01', sentOn: '2026-03-02' }, 'date.before_sent'],
    ['before the document and before it was sent: the document date decides', { date: '2026-02-20', sentOn: '2026-03-02' }, 'date.before_document_date'],
    ['across a year end', { date: '2025-12-31', today: '2026-01-01', documentDate: '2025-12-30' }, null],
    ['29 February of a leap year', { date: '2028-02-29', today: '2028-03-01', documentDate: '2028-02-28' }, null],
  ])('%s', (_label, over, code) => {
    const r = checkEnteredDate({ ...base, ...over });
    expect(r).toEqual(code === null ? { ok: true } : { ok: false, code });
  });
});

// Summary completion: every combination of who acts, their clearance, the item's level, whether
// it is addressee-only, opened, already summarised or agreed — against an independent formula.
const NAMED = 'u-named';
const UNIT = 'unit-a';
type Who = 'named' | 'item_clerk' | 'agency_clerk' | 'other_unit_clerk' | 'head_of_unit' | 'security_officer' | 'colleague';
const WHO: Record<Who, { id: string; roles: Role[]; unitId: string; isAgencyClerk: boolean }> = {
  named: { id: NAMED, roles: ['officer'], unitId: UNIT, isAgencyClerk: false },
  item_clerk: { id: 'u-clerk', roles: ['clerk'], unitId: UNIT, isAgencyClerk: false },
  agency_clerk: { id: 'u-vt', roles: ['clerk'], unitId: 'root', isAgencyClerk: true },
  other_unit_clerk: { id: 'u-clerk-b', roles: ['clerk'], unitId: 'unit-b', isAgencyClerk: false },
  head_of_unit: { id: 'u-head', roles: ['head'], unitId: UNIT, isAgencyClerk: false },
  security_officer: { id: 'u-so', roles: ['security_officer'], unitId: 'root', isAgencyClerk: false },
  colleague: { id: 'u-col', roles: ['officer'], unitId: UNIT, isAgencyClerk: false },
};
const RANK: Record<Clearance, number> = { NONE: 0, CONFIDENTIAL: 1, SECRET: 2, TOP_SECRET: 3 };

function expected(action: SummaryAction, who: Who, f: SummaryFacts): string {
  if (!f.item.addresseeOnly) return 'summary.not_addressee_only';
  const clerk = who === 'item_clerk' || who === 'agency_clerk';
  if (who !== 'named' && !(action === 'complete' && clerk)) return 'summary.not_named_addressee';
  if (RANK[f.actor.clearance] < RANK[f.item.level]) return 'summary.clearance_below_level';
  if (f.item.level === 'TOP_SECRET') return 'summary.top_secret';
  if (!f.openedByAddressee) return 'summary.envelope_not_opened';
  if (f.item.hasSummary) return 'summary.already_completed';
  if (action === 'agree') return f.item.agreed ? 'summary.already_agreed' : 'ok:named_addressee';
  if (who !== 'named' && !f.item.agreed) return 'summary.no_agreement';
  return who === 'named' ? 'ok:named_addressee' : 'ok:clerk_with_agreement';
}

describe('completing the summary of an addressee-only envelope (checkSummary)', () => {
  const bools = [false, true];
  it('follows the table for every combination', () => {
    let n = 0;
    for (const action of ['agree', 'complete'] as const)
      for (const who of Object.keys(WHO) as Who[])
        for (const clearance of CLEARANCES)
          for (const level of LEVELS as readonly Level[])
            for (const addresseeOnly of bools)
              for (const opened of bools)
                for (const hasSummary of bools)
                  for (const agreed of bools) {
                    const f: SummaryFacts = {
                      actor: { ...WHO[who], clearance },
                      item: { addresseeOnly, namedAddresseeId: addresseeOnly ? NAMED : null, level, unitId: UNIT, hasSummary, agreed },
                      openedByAddressee: opened,
                    };
                    const r = checkSummary(action, f);
                    const got = r.ok ? `ok:${r.via}` : r.code;
                    expect(got, JSON.stringify({ action, who, clearance, level, addresseeOnly, opened, hasSummary, agreed })).toBe(expected(action, who, f));
                    n++;
                  }
    expect(n).toBe(2 * 7 * 4 * 3 * 16);
  });

  it('a stranger is told only that they are not the named person, whatever the state', () => {
    const f: SummaryFacts = {
      actor: { ...WHO.head_of_unit, clearance: 'TOP_SECRET' },
      item: { addresseeOnly: true, namedAddresseeId: NAMED, level: 'TOP_SECRET', unitId: UNIT, hasSummary: true, agreed: false },
      openedByAddressee: false,
    };
    expect(checkSummary('complete', f)).toEqual({ ok: false, code: 'summary.not_named_addressee' });
  });
});
