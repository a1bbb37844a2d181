import type { Kysely } from 'kysely';
import type { Database, RegisterEntryRow } from '../../platform/db/schema';

// Queries of receiving that the items repository does not already answer.

type Db = Kysely<Database>;

/** Has this person signed, in KhoMật, for copies of the item passed to them (the envelope is in their hands)? */
export async function hasSignedFor(db: Db, itemId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('custody_events')
    .select('id')
    .where('item_id', '=', itemId)
    .where('to_user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export async function recordSummaryAgreement(tx: Db, itemId: string, by: string, at: string): Promise<void> {
  await tx.updateTable('secret_items').set({ summary_agreed_by: by, summary_agreed_at: at, updated_at: at }).where('id', '=', itemId).execute();
}

export async function writeItemSummary(tx: Db, itemId: string, summary: string, searchText: string, at: string): Promise<void> {
  await tx.updateTable('secret_items').set({ summary, search_text: searchText, updated_at: at }).where('id', '=', itemId).execute();
}

/** The item's live register rows (a completed summary goes into each; cancelled rows stay as they were). */
export async function findLiveEntriesOfItem(db: Db, itemId: string): Promise<RegisterEntryRow[]> {
  return db.selectFrom('register_entries').selectAll().where('item_id', '=', itemId).where('cancelled_at', 'is', null).orderBy('created_at').execute();
}

export async function setEntrySummary(tx: Db, entryId: string, summary: string): Promise<void> {
  await tx.updateTable('register_entries').set({ summary }).where('id', '=', entryId).execute();
}
