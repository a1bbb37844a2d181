import { compareDates, type IsoDate } from '@khomat/policy';
import type { Holder } from '../copies/copies.rules';

// Taking a secret out of its storage place (mang ra khỏi nơi lưu giữ; Luật 29/2018 Đ.14, NĐ 26/2020
// Đ.5 — legal-basis §7) once the request is approved: who may carry it out, return it or declare
// it lost, its due-back date and when it is overdue. Pure rules; the copy's own moves are the
// custody rules' (copies.rules.ts take_out / bring_back / report_lost).

export const TAKE_OUT_STATUSES = ['out', 'returned', 'lost'] as const;
export type TakeOutStatus = (typeof TAKE_OUT_STATUSES)[number];

export const TAKE_OUT_STATUS_LABEL_VI: Record<TakeOutStatus, string> = {
  out: 'Đang mang ra ngoài',
  returned: 'Đã trả lại',
  lost: 'Bị mất khi mang ra ngoài',
};

export const TAKE_OUT_REQUEST_TYPES = ['take_out_domestic', 'take_out_abroad'] as const;
export const isTakeOutType = (t: string) => (TAKE_OUT_REQUEST_TYPES as readonly string[]).includes(t);

/**
 * The due-back date: the request's "to" date, cut short by the approval's deadline when the
 * decider set an earlier one (the approval bounds the whole take-out, not only its start).
 */
export function dueDateOf(requestedTo: IsoDate | null, approvalDeadline: IsoDate | null): IsoDate | null {
  if (requestedTo && approvalDeadline) return compareDates(approvalDeadline, requestedTo) < 0 ? approvalDeadline : requestedTo;
  return requestedTo ?? approvalDeadline;
}

/** Overdue: still out after its due-back date (the due day itself is still on time). */
export function isOverdue(t: { status: TakeOutStatus; dueDate: IsoDate }, today: IsoDate): boolean {
  return t.status === 'out' && compareDates(t.dueDate, today) < 0;
}

/** Told once per overdue take-out: an overdue one not yet told. */
export function needsOverdueNotice(t: { status: TakeOutStatus; dueDate: IsoDate; overdueNotifiedAt: string | null }, today: IsoDate): boolean {
  return isOverdue(t, today) && t.overdueNotifiedAt === null;
}

export interface ActorFacts {
  id: string;
  unitId: string;
  roles: readonly string[];
}

/** A unit's copies are kept by its clerk or head (the same rule as hand-over in copies.usecases). */
export function keepsFor(actor: ActorFacts, holder: Holder): boolean {
  if (holder.kind === 'user') return holder.id === actor.id;
  if (holder.kind === 'unit') return holder.id === actor.unitId && (actor.roles.includes('clerk') || actor.roles.includes('head'));
  return false;
}

export type ExecuteRefusal = 'take_out.not_take_out' | 'take_out.no_copies' | 'take_out.mixed_keepers' | 'take_out.not_executor';

/**
 * Who carries out an approved take-out: [I] the copies go out with the requester (the person the
 * approval names). The keeper of each copy hands it over — the requester themselves when they hold
 * it, else the clerk or head of the unit that keeps it. A copy held by another person is refused by
 * the custody rule (copy.not_holder): that person hands it over first.
 */
export function checkExecutor(input: {
  type: string;
  copies: readonly Holder[];
  actor: ActorFacts;
  requesterId: string;
}): { ok: true } | { ok: false; code: ExecuteRefusal } {
  if (!isTakeOutType(input.type)) return { ok: false, code: 'take_out.not_take_out' };
  if (input.copies.length === 0) return { ok: false, code: 'take_out.no_copies' };
  // [I] One keeper per take-out: the copies go back to one place (take_outs.return_to).
  const [first] = input.copies;
  if (input.copies.some((h) => h.kind !== first!.kind || h.id !== first!.id)) return { ok: false, code: 'take_out.mixed_keepers' };
  return keepsFor(input.actor, first!) ? { ok: true } : { ok: false, code: 'take_out.not_executor' };
}

export type ReturnRefusal = 'take_out.not_out' | 'take_out.not_returner' | 'take_out.report_required';

/** The return: by the person who took it out or by the keeper it goes back to, with the holder's report. */
export function checkReturn(input: {
  status: TakeOutStatus;
  takenBy: string;
  returnTo: Holder;
  actor: ActorFacts;
  report: string | null | undefined;
}): { ok: true } | { ok: false; code: ReturnRefusal } {
  if (input.status !== 'out') return { ok: false, code: 'take_out.not_out' };
  if (input.actor.id !== input.takenBy && !keepsFor(input.actor, input.returnTo)) return { ok: false, code: 'take_out.not_returner' };
  if (!input.report || input.report.trim().length === 0) return { ok: false, code: 'take_out.report_required' };
  return { ok: true };
}

export type LossRefusal = 'take_out.not_out' | 'take_out.not_loss_reporter' | 'take_out.description_required' | 'take_out.copy_not_out';

/**
 * A loss while out is declared by the holder or the security officer (shared/domain rule 7:
 * reported at once); the copy must be one of this take-out's copies still out.
 */
export function checkLoss(input: {
  status: TakeOutStatus;
  takenBy: string;
  actor: ActorFacts;
  copyStillOut: boolean;
  description: string | null | undefined;
}): { ok: true } | { ok: false; code: LossRefusal } {
  if (input.status !== 'out') return { ok: false, code: 'take_out.not_out' };
  if (input.actor.id !== input.takenBy && !input.actor.roles.includes('security_officer')) return { ok: false, code: 'take_out.not_loss_reporter' };
  if (!input.copyStillOut) return { ok: false, code: 'take_out.copy_not_out' };
  if (!input.description || input.description.trim().length === 0) return { ok: false, code: 'take_out.description_required' };
  return { ok: true };
}
