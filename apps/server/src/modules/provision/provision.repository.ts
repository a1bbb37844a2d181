import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { Database, ProvisionRow, RequestLetterRow } from '../../platform/db/schema';

// Intention-named queries of the provision module; the use cases own the transactions.

type Db = Kysely<Database>;

/** Inserts the provision row; false when the request already has one (a concurrent execution got there first). */
export async function insertProvision(tx: Db, row: ProvisionRow): Promise<boolean> {
  const r = await tx
    .insertInto('provisions')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findProvisionOfRequest(db: Db, requestId: string): Promise<ProvisionRow | undefined> {
  return db.selectFrom('provisions').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** The provision an outside receipt closes, if the dispatch was one (not yet closed). */
export async function findOpenProvisionOfEvent(db: Db, custodyEventId: string): Promise<ProvisionRow | undefined> {
  return db.selectFrom('provisions').selectAll().where('custody_event_id', '=', custodyEventId).where('closed_at', 'is', null).executeTakeFirst();
}

export async function closeProvision(tx: Db, id: string, at: string): Promise<boolean> {
  const r = await tx.updateTable('provisions').set({ closed_at: at }).where('id', '=', id).where('closed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The agency itself (the root unit): name, code, the body above it. */
export async function findAgency(db: Db): Promise<{ name: string; code: string; parent_body: string | null } | undefined> {
  return db.selectFrom('units').select(['name', 'code', 'parent_body']).where('parent_id', 'is', null).executeTakeFirst();
}

/** A signer's name and position (the position table's name, else the account's own title). */
export async function findSigner(db: Db, userId: string): Promise<{ name: string; position: string } | undefined> {
  const r = await db
    .selectFrom('users')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .select(['users.full_name', 'users.position', 'positions.name as position_name'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  return r ? { name: r.full_name, position: r.position_name ?? r.position } : undefined;
}

export async function findLetter(db: Db, requestId: string): Promise<RequestLetterRow | undefined> {
  return db.selectFrom('request_letters').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Keeps the letter's number; false when another print numbered it first (the caller rolls back). */
export async function insertLetter(tx: Db, row: RequestLetterRow): Promise<boolean> {
  try {
    const r = await tx
      .insertInto('request_letters')
      .values(row)
      .onConflict((oc) => oc.column('request_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** The outgoing register's line of a provision's dispatch (its number and year, shown on the request's page). */
export async function findOutgoingEntryOfEvent(db: Db, custodyEventId: string): Promise<{ number: number; year: number } | undefined> {
  const r = await db
    .selectFrom('register_entries')
    .select(['number', 'year'])
    .where('custody_event_id', '=', custodyEventId)
    .where('register', '=', 'outgoing')
    .executeTakeFirst();
  return r ? { number: Number(r.number), year: Number(r.year) } : undefined;
}
