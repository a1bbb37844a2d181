import type { Kysely } from 'kysely';
import type { Database, IncidentRow, TakeOutRow } from '../../platform/db/schema';

// Intention-named queries of the take-out module; the use cases own the transactions.

type Db = Kysely<Database>;

export async function insertTakeOut(tx: Db, row: TakeOutRow, copyIds: readonly string[]): Promise<void> {
  await tx.insertInto('take_outs').values(row).execute();
  if (copyIds.length)
    await tx
      .insertInto('take_out_copies')
      .values(copyIds.map((copy_id) => ({ take_out_id: row.id, copy_id })))
      .execute();
}

export async function findTakeOut(db: Db, id: string): Promise<TakeOutRow | undefined> {
  return db.selectFrom('take_outs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTakeOutOfRequest(db: Db, requestId: string): Promise<TakeOutRow | undefined> {
  return db.selectFrom('take_outs').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export async function findCopyIdsOf(db: Db, takeOutId: string): Promise<string[]> {
  return (await db.selectFrom('take_out_copies').select('copy_id').where('take_out_id', '=', takeOutId).orderBy('copy_id').execute()).map((r) => r.copy_id);
}

/** Ends a take-out still out; the answer is whether it moved (a concurrent return got there first otherwise). */
export async function endTakeOut(
  tx: Db,
  id: string,
  f: { status: 'returned' | 'lost'; returned_at: string; returned_by: string; return_report: string | null },
): Promise<boolean> {
  const r = await tx.updateTable('take_outs').set(f).where('id', '=', id).where('status', '=', 'out').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Take-outs still out whose due date is before `today` and not yet told (take_outs_status_due_idx). */
export async function findOverdueNotNotified(db: Db, today: string): Promise<TakeOutRow[]> {
  return db
    .selectFrom('take_outs')
    .selectAll()
    .where('status', '=', 'out')
    .where('due_date', '<', today)
    .where('overdue_notified_at', 'is', null)
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

/** Marks the overdue notice sent, once: the answer is whether this call was the one. */
export async function markOverdueNotified(tx: Db, id: string, at: string): Promise<boolean> {
  const r = await tx.updateTable('take_outs').set({ overdue_notified_at: at }).where('id', '=', id).where('overdue_notified_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ListedTakeOut extends TakeOutRow {
  taken_by_name: string;
  taken_by_unit_id: string;
  request_type: string;
  level: string | null;
  doc_type: string;
  number_symbol: string | null;
}

const listed = (db: Db) =>
  db
    .selectFrom('take_outs')
    .innerJoin('users', 'users.id', 'take_outs.taken_by')
    .innerJoin('requests', 'requests.id', 'take_outs.request_id')
    .innerJoin('secret_items', 'secret_items.id', 'take_outs.item_id')
    .selectAll('take_outs')
    .select([
      'users.full_name as taken_by_name',
      'users.unit_id as taken_by_unit_id',
      'requests.type as request_type',
      'secret_items.level',
      'secret_items.doc_type',
      'secret_items.number_symbol',
    ]);

/** Every take-out still out, soonest due first (take_outs_status_due_idx); the use case picks the viewer's. */
export async function findOut(db: Db): Promise<ListedTakeOut[]> {
  return listed(db).where('take_outs.status', '=', 'out').orderBy('take_outs.due_date').orderBy('take_outs.id').execute() as Promise<ListedTakeOut[]>;
}

/** The unit a person belongs to (for telling the head of the holder's unit). */
export async function findUnitOf(db: Db, userId: string): Promise<string | null> {
  return (await db.selectFrom('users').select('unit_id').where('id', '=', userId).executeTakeFirst())?.unit_id ?? null;
}

/** Active heads of a unit (the holder's unit head is told of an overdue take-out). */
export async function findUnitHeads(db: Db, unitId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.id')
    .where('users.active', '=', 1)
    .where('users.unit_id', '=', unitId)
    .where('user_roles.role', '=', 'head')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertIncident(tx: Db, row: IncidentRow): Promise<void> {
  await tx.insertInto('incidents').values(row).execute();
}

export async function findIncidentsOfTakeOut(db: Db, takeOutId: string): Promise<IncidentRow[]> {
  return db.selectFrom('incidents').selectAll().where('take_out_id', '=', takeOutId).orderBy('reported_at').orderBy('id').execute();
}

/** Who allowed the take-out (the decider, or who recorded an outside decision): told of the return. */
export async function findAllowedBy(db: Db, requestId: string): Promise<string | null> {
  const d = await db.selectFrom('request_decisions').select(['decided_by', 'recorded_by']).where('request_id', '=', requestId).executeTakeFirst();
  return d?.decided_by ?? d?.recorded_by ?? null;
}

/** What a notice may say of the item: its level and number (never its summary). */
export async function findItemMarks(db: Db, itemId: string): Promise<{ level: string | null; number_symbol: string | null } | undefined> {
  return db.selectFrom('secret_items').select(['level', 'number_symbol']).where('id', '=', itemId).executeTakeFirst();
}
