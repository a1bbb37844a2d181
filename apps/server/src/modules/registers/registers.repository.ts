import { sql, type Kysely } from 'kysely';
import type { Database, RegisterEntryRow } from '../../platform/db/schema';
import { isCheckViolation } from '../../platform/db/dialect';
import { registerErrors } from './registers.errors';

type Db = Kysely<Database>;

export type RegisterKind = 'outgoing' | 'incoming' | 'transfer' | 'copy';

/**
 * The next number of a series (a register, or the agency's document numbers) for a year.
 * Must run inside the transaction that writes the numbered row: the counter row is locked until
 * commit (PostgreSQL row lock; SQLite write transactions are exclusive), and a rollback returns
 * the number, so numbers are gapless and unique under any concurrency.
 */
export async function allocateNumber(tx: Db, name: string, year: number): Promise<number> {
  await tx
    .insertInto('counters')
    .values({ name, year, last_number: 0 })
    .onConflict((oc) => oc.columns(['name', 'year']).doNothing())
    .execute();
  const row = await tx
    .updateTable('counters')
    .set({ last_number: sql`last_number + 1` })
    .where('name', '=', name)
    .where('year', '=', year)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}

export interface RegisterYearState {
  currentVolume: number;
  locked: boolean;
}

export async function registerYearState(tx: Db, register: RegisterKind, year: number): Promise<RegisterYearState> {
  const row = await tx
    .selectFrom('register_years')
    .select(['current_volume', 'locked_at'])
    .where('register', '=', register)
    .where('year', '=', year)
    .executeTakeFirst();
  return { currentVolume: row ? Number(row.current_volume) : 1, locked: !!row?.locked_at };
}

export async function setYearLock(tx: Db, register: RegisterKind, year: number, lock: { at: string; by: string; reason: string } | null): Promise<void> {
  await tx
    .insertInto('register_years')
    .values({ register, year, current_volume: 1, locked_at: null, locked_by: null, lock_reason: null })
    .onConflict((oc) => oc.columns(['register', 'year']).doNothing())
    .execute();
  await tx
    .updateTable('register_years')
    .set({ locked_at: lock?.at ?? null, locked_by: lock?.by ?? null, lock_reason: lock?.reason ?? null })
    .where('register', '=', register)
    .where('year', '=', year)
    .execute();
}

export async function insertEntry(tx: Db, row: RegisterEntryRow): Promise<void> {
  try {
    await tx.insertInto('register_entries').values(row).execute();
  } catch (e) {
    if (isCheckViolation(e) && row.level === 'TOP_SECRET' && row.summary !== null) throw registerErrors.topSecretSummary();
    throw e;
  }
}

/** The item's first live entry in the incoming register (its "số đến"), or undefined. */
export async function findArrivalEntry(db: Db, itemId: string): Promise<{ number: number; year: number } | undefined> {
  return db
    .selectFrom('register_entries')
    .select(['number', 'year'])
    .where('register', '=', 'incoming')
    .where('item_id', '=', itemId)
    .where('cancelled_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
}

/**
 * The register's "ký nhận" column of the entries a custody event wrote: who signed and when it was
 * recorded; for an outside body, also the day they signed as their returned receipt says.
 */
/** The register rows a custody event wrote (its register and year, to check the year is open). */
export async function findEntriesOfEvent(tx: Db, custodyEventId: string): Promise<Pick<RegisterEntryRow, 'register' | 'year'>[]> {
  return tx.selectFrom('register_entries').select(['register', 'year']).where('custody_event_id', '=', custodyEventId).execute();
}

export async function recordEntryReceipt(tx: Db, custodyEventId: string, receivedBy: string, at: string, receivedOn: string | null = null): Promise<void> {
  await tx
    .updateTable('register_entries')
    .set({ received_by: receivedBy, received_at: at, received_on: receivedOn })
    .where('custody_event_id', '=', custodyEventId)
    .execute();
}

export async function findEntry(tx: Db, id: string): Promise<RegisterEntryRow | undefined> {
  return tx.selectFrom('register_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function cancelEntry(tx: Db, id: string, by: string, at: string, reason: string): Promise<void> {
  await tx.updateTable('register_entries').set({ cancelled_at: at, cancelled_by: by, cancel_reason: reason }).where('id', '=', id).execute();
}

export interface EntryFilter {
  register: RegisterKind;
  year: number;
  level?: string | undefined;
  unitId?: string | undefined;
  fromNumber?: number | undefined;
}

/** A register page in number order (keyset on number: the composite index serves it). */
export async function findEntries(db: Db, f: EntryFilter, limit: number): Promise<RegisterEntryRow[]> {
  let q = db.selectFrom('register_entries').selectAll().where('register', '=', f.register).where('year', '=', f.year);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  if (f.fromNumber) q = q.where('number', '>=', f.fromNumber);
  return q.orderBy('number').limit(limit).execute();
}

/** The highest level among a register year's rows (null when empty): who may lock it must be cleared for it. */
export async function highestLevel(db: Db, register: RegisterKind, year: number): Promise<'CONFIDENTIAL' | 'SECRET' | 'TOP_SECRET' | null> {
  for (const level of ['TOP_SECRET', 'SECRET', 'CONFIDENTIAL'] as const) {
    const hit = await db
      .selectFrom('register_entries')
      .select('id')
      .where('register', '=', register)
      .where('year', '=', year)
      .where('level', '=', level)
      .limit(1)
      .executeTakeFirst();
    if (hit) return level;
  }
  return null;
}
