import { addDays } from '@khomat/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Holder } from '../copies/copies.rules';
import { checkExecutor, checkLoss, checkReturn, dueDateOf, isOverdue, needsOverdueNotice, TAKE_OUT_STATUSES, type ActorFacts } from './take-out.rules';

// The take-out rules as tables: who carries it out, who returns it, who declares a loss, the
// due-back date and when a take-out is overdue.

const unitA: Holder = { kind: 'unit', id: 'A' };
const person = (id: string, unitId: string, ...roles: string[]): ActorFacts => ({ id, unitId, roles });
const requester = person('req', 'A', 'officer');
const clerkA = person('clerkA', 'A', 'clerk');
const headA = person('headA', 'A', 'head');
const clerkB = person('clerkB', 'B', 'clerk');
const officerA = person('colleague', 'A', 'officer');
const so = person('so', 'R', 'security_officer');

describe('checkExecutor', () => {
  const cases: [label: string, type: string, copies: Holder[], actor: ActorFacts, expected: string][] = [
    ['the unit clerk hands over the unit copy', 'take_out_domestic', [unitA], clerkA, 'ok'],
    ['the unit head too', 'take_out_abroad', [unitA, unitA], headA, 'ok'],
    ['the requester holding it takes it out', 'take_out_domestic', [{ kind: 'user', id: 'req' }], requester, 'ok'],
    ['the requester does not keep the unit copy', 'take_out_domestic', [unitA], requester, 'take_out.not_executor'],
    ['another unit clerk', 'take_out_domestic', [unitA], clerkB, 'take_out.not_executor'],
    ['a colleague of the unit', 'take_out_domestic', [unitA], officerA, 'take_out.not_executor'],
    ['the security officer keeps nothing here', 'take_out_domestic', [unitA], so, 'take_out.not_executor'],
    ['copies kept in two places', 'take_out_domestic', [unitA, { kind: 'user', id: 'req' }], clerkA, 'take_out.mixed_keepers'],
    ['no copies named', 'take_out_domestic', [], clerkA, 'take_out.no_copies'],
    ['a copy request', 'copy', [unitA], clerkA, 'take_out.not_take_out'],
  ];
  it.each(cases)('%s', (_label, type, copies, actor, expected) => {
    const r = checkExecutor({ type, copies, actor, requesterId: 'req' });
    expect(r.ok ? 'ok' : r.code).toBe(expected);
  });
});

describe('checkReturn and checkLoss', () => {
  it('every status × actor × report', () => {
    for (const status of TAKE_OUT_STATUSES) {
      for (const actor of [requester, clerkA, headA, clerkB, officerA, so]) {
        for (const report of ['Báo cáo', '  ', null]) {
          const r = checkReturn({ status, takenBy: 'req', returnTo: unitA, actor, report });
          const expected =
            status !== 'out'
              ? 'take_out.not_out'
              : ![requester, clerkA, headA].includes(actor)
                ? 'take_out.not_returner'
                : report?.trim()
                  ? 'ok'
                  : 'take_out.report_required';
          expect(r.ok ? 'ok' : r.code, `${status} ${actor.id} ${report}`).toBe(expected);
          const l = checkLoss({ status, takenBy: 'req', actor, copyStillOut: true, description: report });
          const lossExpected =
            status !== 'out'
              ? 'take_out.not_out'
              : ![requester, so].includes(actor)
                ? 'take_out.not_loss_reporter'
                : report?.trim()
                  ? 'ok'
                  : 'take_out.description_required';
          expect(l.ok ? 'ok' : l.code, `loss ${status} ${actor.id} ${report}`).toBe(lossExpected);
        }
      }
    }
    const notOut = checkLoss({ status: 'out', takenBy: 'req', actor: requester, copyStillOut: false, description: 'Mất' });
    expect(notOut).toEqual({ ok: false, code: 'take_out.copy_not_out' });
  });
});

describe('due date and overdue', () => {
  const date = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2026-01-01', n));
  it('the due date is the earlier of the requested "to" date and the approval deadline', () => {
    fc.assert(
      fc.property(date, date, (to, deadline) => {
        const due = dueDateOf(to, deadline)!;
        expect(due <= to && due <= deadline).toBe(true);
        expect([to, deadline]).toContain(due);
      }),
    );
    expect(dueDateOf('2026-03-05', null)).toBe('2026-03-05');
    expect(dueDateOf(null, '2026-03-04')).toBe('2026-03-04');
    expect(dueDateOf(null, null)).toBeNull();
  });
  it('overdue only after the due day, only while out; told once', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -5, max: 5 }), fc.constantFrom(...TAKE_OUT_STATUSES), (due, offset, status) => {
        const today = addDays(due, offset);
        expect(isOverdue({ status, dueDate: due }, today)).toBe(status === 'out' && offset > 0);
        expect(needsOverdueNotice({ status, dueDate: due, overdueNotifiedAt: '2026-01-01T00:00:00Z' }, today)).toBe(false);
      }),
    );
  });
});
