import type { Kysely } from 'kysely';
import type { BlobRow, Database } from '../db/schema';

// All SQL of the blob store. Each function is one statement, named for what the caller means.

export async function insertBlob(db: Kysely<Database>, row: BlobRow): Promise<void> {
  await db.insertInto('blobs').values(row).execute();
}

export async function findBlob(db: Kysely<Database>, id: string): Promise<BlobRow | undefined> {
  return db.selectFrom('blobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when a row was deleted. */
export async function deleteBlob(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('blobs').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function countBlobsWithOldKeys(db: Kysely<Database>, currentVersion: number): Promise<number> {
  const r = await db
    .selectFrom('blobs')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('key_version', '<>', currentVersion)
    .executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a string (bigint); SQLite as a number.
  return Number(r.n);
}

export type BlobKeyRow = Pick<BlobRow, 'id' | 'wrapped_key' | 'key_version'>;

/**
 * One page of blobs whose data key is wrapped under another master version than `currentVersion`,
 * in id order after `afterId` (keyset paging: a row that cannot be re-wrapped is not fetched again).
 */
export async function findBlobsWithOldKeys(db: Kysely<Database>, currentVersion: number, afterId: string, limit: number): Promise<BlobKeyRow[]> {
  return db
    .selectFrom('blobs')
    .select(['id', 'wrapped_key', 'key_version'])
    .where('key_version', '<>', currentVersion)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Replaces a blob's wrapped data key, only if it is still wrapped under `fromVersion`: two
 * rotations running at once then cannot overwrite each other's newer wrapping with an older one.
 * True when the row was updated.
 */
export async function updateWrappedKey(db: Kysely<Database>, id: string, fromVersion: number, wrappedKey: string, toVersion: number): Promise<boolean> {
  const r = await db
    .updateTable('blobs')
    .set({ wrapped_key: wrappedKey, key_version: toVersion })
    .where('id', '=', id)
    .where('key_version', '=', fromVersion)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Which of `ids` have a row (one query; callers keep the list to a few hundred). */
export async function findRegisteredBlobIds(db: Kysely<Database>, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('blobs').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
}

/** Ids of stored files after `afterId`, in id order (keyset pages for a full check). */
export async function findBlobIdsAfter(db: Kysely<Database>, afterId: string, limit: number): Promise<string[]> {
  return (await db.selectFrom('blobs').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute()).map((r) => r.id);
}

export async function countBlobs(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('blobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
