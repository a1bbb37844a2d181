import { LEVEL_TABLE, type IsoDate, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { CopyRow, TakeOutRow } from '../../platform/db/schema';
import { isDomainError } from '../../platform/errors';
import { applyCustodyEvent, type CustodyEvent, type Holder } from '../copies/copies.rules';
import { custodyStateOf, rowWithState } from '../items/custody-mapping';
import { holderLabel, today } from '../items/item-steps';
import { itemErrors, ruleError } from '../items/items.errors';
import * as items from '../items/items.repository';
import { insertNotifications } from '../notifications/notifications.repository';
import { findAgencyHeads, isActorAgencyHead } from '../org/org.repository';
import { requestErrors } from '../requests/requests.errors';
import { findRequest, findSecurityOfficers, moveStatus } from '../requests/requests.repository';
import { requireExecutable } from '../requests/requests.usecases';
import { takeOutErrors } from './take-out.errors';
import * as repo from './take-out.repository';
import { checkExecutor, checkLoss, checkReturn, dueDateOf, isOverdue, keepsFor, type ActorFacts, type TakeOutStatus } from './take-out.rules';

// Taking out (mang ra khỏi nơi lưu giữ; Luật 29/2018 Đ.14, NĐ 26/2020 Đ.5, NĐ 63/2026 Đ.7): an
// approved request is carried out (the copies go out with the requester until the due-back date),
// the return is recorded with the holder's report, an overdue take-out is told once to the head of
// the holder's unit and the security officers, a loss while out marks the copy lost and opens an
// incident. Each change is one transaction with its custody events and audit event; each refusal is
// audited in its own transaction, then thrown. Notices and audit details never carry the item's
// summary, the purpose, the holder's report or the loss description.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Db = AppDeps['dbh']['db'];

const facts = (a: Actor): ActorFacts => ({ id: a.userId, unitId: a.unitId, roles: a.roles });
const holderOfTakeOut = (t: TakeOutRow): Holder => ({ kind: t.return_to_kind as 'user' | 'unit', id: t.return_to_id });
const levelVi = (level: string | null) => (level ? LEVEL_TABLE[level as Level].labelVi : '');

/** Codes that name nothing to keep (an id that does not exist says nothing about anyone's attempt). */
const NOT_A_REFUSAL = new Set(['take_out.not_found', 'request.not_found', 'copy.not_found']);

async function auditingRefusal<T>(
  deps: Pick<Deps, 'dbh' | 'audit'>,
  actor: Actor | null,
  verb: 'execute' | 'return' | 'report_loss',
  subject: { type: 'request' | 'take_out'; id: string },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (actor && isDomainError(e) && /^(take_out|request|copy)\./.test(e.code) && !NOT_A_REFUSAL.has(e.code)) {
      await deps.dbh.db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: `take_out.${verb}_refused`,
          subjectType: subject.type,
          subjectId: subject.id,
          details: { reason: e.code },
        }),
      );
    } else if (actor && isDomainError(e) && e.code === 'auth.forbidden') {
      await deps.dbh.db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: `take_out.${verb}_refused`,
          subjectType: subject.type,
          subjectId: subject.id,
          details: { reason: e.code },
        }),
      );
    }
    throw e;
  }
}

async function loadTakeOut(db: Db, id: string): Promise<TakeOutRow> {
  const t = await repo.findTakeOut(db, id);
  if (!t) throw takeOutErrors['take_out.not_found']!();
  return t;
}

const parseJson = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

/** One custody event per copy, confirmed at once (a take-out is not a transfer awaiting a signature). */
async function custodyEvent(
  tx: Db,
  deps: Deps,
  actor: Actor,
  c: CopyRow,
  kind: CustodyEvent['type'],
  from: Holder,
  to: Holder | null,
  note: string | null,
  now: string,
) {
  const id = deps.ids();
  await items.insertCustodyEvent(
    tx,
    {
      id,
      item_id: c.item_id,
      kind,
      occurred_at: now,
      actor_id: actor.userId,
      from_label: await holderLabel(tx, from),
      to_label: to ? await holderLabel(tx, to) : null,
      to_user_id: to?.kind === 'user' ? to.id : null,
      to_unit_id: to?.kind === 'unit' ? to.id : null,
      envelope_state: null,
      note,
      confirmed_at: now,
      confirmed_by: actor.userId,
    },
    [c.id],
  );
  return id;
}

// ---------------------------------------------------------------------------------------------
// Execute
// ---------------------------------------------------------------------------------------------

/**
 * Carries out an approved take-out request: the keeper of the copies (the requester when they hold
 * them, else the clerk or head of the unit that keeps them) gives them to the requester; each copy
 * moves to taken_out (custody rule), the request becomes executed.
 */
export async function executeTakeOut(deps: Deps, actor: Actor | null, requestId: string) {
  return auditingRefusal(deps, actor, 'execute', { type: 'request', id: requestId }, async () => {
    requirePermission(actor, 'take_out.act');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const { request: r, decision } = await requireExecutable(tx, deps, requestId);
      const copyIds = parseJson<string[]>(r.copy_ids, []);
      const copies = await items.findCopiesByIds(tx, copyIds);
      if (copies.length !== copyIds.length) throw itemErrors.copyNotFound();
      const holders = copies.map((c) => custodyStateOf(c).holder);
      const may = checkExecutor({ type: r.type, copies: holders, actor: facts(actor), requesterId: r.requester_id });
      if (!may.ok) throw takeOutErrors[may.code]!();
      if (await repo.findTakeOutOfRequest(tx, r.id)) throw takeOutErrors['take_out.already_executed']!();
      const details = parseJson<{ to?: IsoDate }>(r.details, {});
      const due = dueDateOf(details.to ?? null, decision.deadline);
      if (!due) throw takeOutErrors['take_out.no_due_date']!();
      const now = deps.clock.now().toISOString();
      const by: Holder = { kind: 'user', id: r.requester_id };
      const keeper = holders[0]!;
      for (const c of copies) {
        const moved = applyCustodyEvent(custodyStateOf(c), { type: 'take_out', by });
        if (!moved.ok) throw ruleError(moved.code, { copy: c.label });
        await items.saveCopyCustody(tx, rowWithState(c, moved.state, now));
        await custodyEvent(tx, deps, actor, c, 'take_out', keeper, by, null, now);
      }
      if (!(await moveStatus(tx, r.id, 'approved', 'executed', { updated_at: now }))) throw requestErrors['request.transition_not_allowed']!();
      const row: TakeOutRow = {
        id: deps.ids(),
        request_id: r.id,
        item_id: r.item_id,
        taken_by: r.requester_id,
        executed_by: actor.userId,
        return_to_kind: keeper.kind,
        return_to_id: keeper.id,
        due_date: due,
        status: 'out',
        taken_at: now,
        returned_at: null,
        returned_by: null,
        return_report: null,
        overdue_notified_at: null,
      };
      await repo.insertTakeOut(
        tx,
        row,
        copies.map((c) => c.id),
      );
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'take_out.executed',
        subjectType: 'request',
        subjectId: r.id,
        details: { takeOutId: row.id, itemId: r.item_id, copies: copies.length, takenBy: r.requester_id, dueDate: due },
      });
      return row.id;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Return
// ---------------------------------------------------------------------------------------------

/** Copies of the take-out still out, with the custody state that knows where they go back to. */
async function copiesStillOut(tx: Db, t: TakeOutRow) {
  const copies = await items.findCopiesByIds(tx, await repo.findCopyIdsOf(tx, t.id));
  return copies.filter((c) => c.status === 'taken_out').map((c) => ({ c, state: { ...custodyStateOf(c), returnTo: holderOfTakeOut(t) } }));
}

/**
 * The return, with the holder's report on protecting it while out (NĐ 26/2020 Đ.5: report to the
 * person who allowed it and return the item): the copies go back to their keeper, the request is
 * closed, the person who allowed it is told (the report itself stays on the take-out).
 */
export async function returnTakeOut(deps: Deps, actor: Actor | null, id: string, input: { report: string }) {
  return auditingRefusal(deps, actor, 'return', { type: 'take_out', id }, async () => {
    requirePermission(actor, 'take_out.act');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const t = await loadTakeOut(tx, id);
      const check = checkReturn({
        status: t.status as TakeOutStatus,
        takenBy: t.taken_by,
        returnTo: holderOfTakeOut(t),
        actor: facts(actor),
        report: input.report,
      });
      if (!check.ok) throw takeOutErrors[check.code]!();
      const now = deps.clock.now().toISOString();
      const out = await copiesStillOut(tx, t);
      for (const { c, state } of out) {
        const moved = applyCustodyEvent(state, { type: 'bring_back' });
        if (!moved.ok) throw ruleError(moved.code, { copy: c.label });
        await items.saveCopyCustody(tx, rowWithState(c, moved.state, now));
        await custodyEvent(tx, deps, actor, c, 'bring_back', state.holder, moved.state.holder, null, now);
      }
      if (!(await repo.endTakeOut(tx, id, { status: 'returned', returned_at: now, returned_by: actor.userId, return_report: input.report.trim() })))
        throw takeOutErrors['take_out.not_out']!();
      await moveStatus(tx, t.request_id, 'executed', 'closed', { closed_at: now, updated_at: now });
      const allowedBy = await repo.findAllowedBy(tx, t.request_id);
      if (allowedBy && allowedBy !== actor.userId) {
        const name = (await items.findActiveUserName(tx, t.taken_by)) ?? '';
        const item = await repo.findItemMarks(tx, t.item_id);
        const message = `${name} đã trả lại tài liệu (${levelVi(item?.level ?? null)}) mang ra khỏi nơi lưu giữ và nộp báo cáo việc bảo vệ khi mang ra ngoài.`;
        await insertNotifications(tx, [
          { id: deps.ids(), userId: allowedBy, kind: 'take_out_returned', subjectType: 'request', subjectId: t.request_id, message, createdAt: now },
        ]);
      }
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'take_out.returned',
        subjectType: 'request',
        subjectId: t.request_id,
        details: { takeOutId: id, copies: out.length, late: isOverdue({ status: 'out', dueDate: t.due_date }, today(deps)) },
      });
      return t.request_id;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Loss while out
// ---------------------------------------------------------------------------------------------

/**
 * A loss while out (Luật 29/2018 Đ.14 k.4: reported at once to the head of the managing agency):
 * the copy becomes lost (custody rule), an incident record is opened, the security officers and
 * the agency head are told. When no copy of the take-out is left out, the take-out ends as lost and
 * the request is closed.
 */
export async function reportLoss(deps: Deps, actor: Actor | null, id: string, input: { copyId: string; description: string }) {
  return auditingRefusal(deps, actor, 'report_loss', { type: 'take_out', id }, async () => {
    requirePermission(actor, 'take_out.act');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const t = await loadTakeOut(tx, id);
      const out = await copiesStillOut(tx, t);
      const lost = out.find((o) => o.c.id === input.copyId);
      const check = checkLoss({
        status: t.status as TakeOutStatus,
        takenBy: t.taken_by,
        actor: facts(actor),
        copyStillOut: !!lost,
        description: input.description,
      });
      if (!check.ok) throw takeOutErrors[check.code]!();
      const now = deps.clock.now().toISOString();
      const moved = applyCustodyEvent(lost!.state, { type: 'report_lost' });
      if (!moved.ok) throw ruleError(moved.code, { copy: lost!.c.label });
      await items.saveCopyCustody(tx, rowWithState(lost!.c, moved.state, now));
      await custodyEvent(tx, deps, actor, lost!.c, 'report_lost', lost!.state.holder, null, null, now);
      const told = [...new Set([...(await findSecurityOfficers(tx)), ...(await findAgencyHeads(tx)).map((u) => u.id)])].filter((u) => u !== actor.userId);
      const incidentId = deps.ids();
      await repo.insertIncident(tx, {
        id: incidentId,
        type: 'loss',
        item_id: t.item_id,
        copy_id: lost!.c.id,
        take_out_id: t.id,
        reported_by: actor.userId,
        reported_at: now,
        description: input.description.trim(),
        notified: JSON.stringify(told),
      });
      const item = await repo.findItemMarks(tx, t.item_id);
      const reporter = (await items.findActiveUserName(tx, actor.userId)) ?? '';
      const message = `Báo mất ${lost!.c.label} của tài liệu ${levelVi(item?.level ?? null)}${item?.number_symbol ? ` số ${item.number_symbol}` : ''} khi mang ra khỏi nơi lưu giữ, do ${reporter} báo. Cần xử lý ngay.`;
      await insertNotifications(
        tx,
        told.map((userId) => ({ id: deps.ids(), userId, kind: 'incident_loss', subjectType: 'request', subjectId: t.request_id, message, createdAt: now })),
      );
      if (out.length === 1) {
        await repo.endTakeOut(tx, id, { status: 'lost', returned_at: now, returned_by: actor.userId, return_report: null });
        await moveStatus(tx, t.request_id, 'executed', 'closed', { closed_at: now, updated_at: now });
      }
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'incident.opened',
        subjectType: 'item',
        subjectId: t.item_id,
        details: { incidentId, type: 'loss', takeOutId: t.id, copyId: lost!.c.id, notified: told.length },
      });
      return incidentId;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Overdue — run periodically (app/jobs.ts)
// ---------------------------------------------------------------------------------------------

/**
 * Tells the head(s) of the holder's unit and the security officers of each take-out past its
 * due-back date and not returned — once: the take-out records that it was told, so the next tick
 * passes it by. Returns how many take-outs were told about.
 */
export async function notifyOverdueTakeOuts(deps: Deps): Promise<number> {
  const d = today(deps);
  let told = 0;
  for (const t of await repo.findOverdueNotNotified(deps.dbh.db, d)) {
    const done = await deps.dbh.db.transaction().execute(async (tx) => {
      const now = deps.clock.now().toISOString();
      if (!(await repo.markOverdueNotified(tx, t.id, now))) return false; // another process got there first
      const unit = await repo.findUnitOf(tx, t.taken_by);
      const who = [...new Set([...(unit ? await repo.findUnitHeads(tx, unit) : []), ...(await findSecurityOfficers(tx))])];
      const name = (await items.findActiveUserName(tx, t.taken_by)) ?? '';
      const item = await repo.findItemMarks(tx, t.item_id);
      const message = `Tài liệu ${levelVi(item?.level ?? null)} do ${name} mang ra khỏi nơi lưu giữ đã quá hạn trả (hạn ngày ${t.due_date}) mà chưa được trả lại.`;
      await insertNotifications(
        tx,
        who.map((userId) => ({ id: deps.ids(), userId, kind: 'take_out_overdue', subjectType: 'request', subjectId: t.request_id, message, createdAt: now })),
      );
      await deps.audit.append(tx, {
        actorId: null,
        action: 'take_out.overdue_notified',
        subjectType: 'request',
        subjectId: t.request_id,
        details: { takeOutId: t.id, dueDate: t.due_date, notified: who.length },
      });
      return true;
    });
    if (done) told += 1;
  }
  return told;
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface TakeOutListRow {
  id: string;
  requestId: string;
  requestType: string;
  item: { id: string; docType: string; numberSymbol: string | null; level: string | null };
  takenBy: { id: string; name: string };
  takenAt: string;
  dueDate: string;
  overdue: boolean;
}

/**
 * "Đang mang ra ngoài / Quá hạn": the security officer and the agency head see every take-out
 * still out; a unit head those of their unit's people.
 */
export async function listTakeOuts(deps: Deps, actor: Actor | null): Promise<{ items: TakeOutListRow[]; total: number }> {
  requirePermission(actor, 'take_out.oversee');
  const db = deps.dbh.db;
  const all = actor.roles.includes('security_officer') || (await isActorAgencyHead(db, actor));
  const d = today(deps);
  const rows = (await repo.findOut(db)).filter((t) => all || t.taken_by_unit_id === actor.unitId);
  const items = rows.map((t) => ({
    id: t.id,
    requestId: t.request_id,
    requestType: t.request_type,
    item: { id: t.item_id, docType: t.doc_type, numberSymbol: t.number_symbol, level: t.level },
    takenBy: { id: t.taken_by, name: t.taken_by_name },
    takenAt: t.taken_at,
    dueDate: t.due_date,
    overdue: isOverdue({ status: 'out', dueDate: t.due_date }, d),
  }));
  return { items, total: items.length };
}

/**
 * The take-out side of a request's page: the take-out if executed, and what this person may do now.
 * Seen by the requester, the keeper of its copies, the security officer, the agency head and the
 * head of the requester's unit; anyone else learns nothing (not found).
 */
export async function takeOutOfRequest(deps: Deps, actor: Actor | null, requestId: string) {
  requirePermission(actor, 'take_out.act');
  const db = deps.dbh.db;
  const r = await findRequest(db, requestId);
  if (!r) throw requestErrors['request.not_found']!();
  const t = await repo.findTakeOutOfRequest(db, requestId);
  const copies = t ? await items.findCopiesByIds(db, await repo.findCopyIdsOf(db, t.id)) : await items.findCopiesByIds(db, parseJson<string[]>(r.copy_ids, []));
  const me = facts(actor);
  const keeper = t ? keepsFor(me, holderOfTakeOut(t)) : copies.some((c) => keepsFor(me, custodyStateOf(c).holder));
  // Overseers: the security officer, the agency head, the head of the requester's unit (who is told when it is overdue).
  const oversees =
    actor.roles.includes('security_officer') ||
    (await isActorAgencyHead(db, actor)) ||
    (actor.roles.includes('head') && (await repo.findUnitOf(db, r.requester_id)) === actor.unitId);
  if (r.requester_id !== actor.userId && !keeper && !oversees) throw requestErrors['request.not_found']!();
  let canExecute = false;
  if (!t) {
    try {
      await requireExecutable(db, deps, requestId);
      canExecute = checkExecutor({ type: r.type, copies: copies.map((c) => custodyStateOf(c).holder), actor: me, requesterId: r.requester_id }).ok;
    } catch {
      canExecute = false;
    }
  }
  const d = today(deps);
  const status = (t?.status ?? null) as TakeOutStatus | null;
  return {
    takeOut: t
      ? {
          id: t.id,
          status: status!,
          takenBy: { id: t.taken_by, name: (await items.findActiveUserName(db, t.taken_by)) ?? '' },
          takenAt: t.taken_at,
          dueDate: t.due_date,
          overdue: isOverdue({ status: status!, dueDate: t.due_date }, d),
          returnedAt: t.returned_at,
          // The report is shown to those involved and to overseers only (this view's audience).
          returnReport: t.return_report,
          copies: copies.map((c) => ({ id: c.id, label: c.label, status: c.status })),
        }
      : null,
    can: {
      execute: canExecute,
      return: t ? checkReturn({ status: status!, takenBy: t.taken_by, returnTo: holderOfTakeOut(t), actor: me, report: 'x' }).ok : false,
      reportLoss: t ? status === 'out' && (t.taken_by === actor.userId || actor.roles.includes('security_officer')) : false,
    },
  };
}
