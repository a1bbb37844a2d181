import type { Kysely } from 'kysely';
import type { Dialect } from '../../platform/db/database';
import { forUpdate } from '../../platform/db/dialect';
import type { CopyRow, Database, ItemAttachmentRow, SecretItemRow } from '../../platform/db/schema';
import type { CustodyEventRow } from '../items/items.repository';

// All SQL of attached files. Locks (PostgreSQL row locks; SQLite's writer holds the database)
// serialise a file change with the item's state changes and the copies' movements.

type Db = Kysely<Database>;

export type AttachmentView = ItemAttachmentRow & { uploader_name: string | null };

export async function insertAttachment(tx: Db, row: ItemAttachmentRow): Promise<void> {
  await tx.insertInto('item_attachments').values(row).execute();
}

/** The item, locked against concurrent state changes until the transaction ends. */
export async function lockItem(tx: Db, dialect: Dialect, id: string): Promise<SecretItemRow | undefined> {
  return forUpdate(dialect, tx.selectFrom('secret_items').selectAll().where('id', '=', id)).executeTakeFirst();
}

/** The item's copies, locked against concurrent movements until the transaction ends. */
export async function lockCopiesOfItem(tx: Db, dialect: Dialect, itemId: string): Promise<CopyRow[]> {
  return forUpdate(dialect, tx.selectFrom('copies').selectAll().where('item_id', '=', itemId).orderBy('id')).execute();
}

export async function lockCustodyEvent(tx: Db, dialect: Dialect, id: string): Promise<CustodyEventRow | undefined> {
  return forUpdate(dialect, tx.selectFrom('custody_events').selectAll().where('id', '=', id)).executeTakeFirst();
}

/** Active clerks (văn thư) of a unit. */
export async function findUnitClerkIds(db: Db, unitId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.id')
    .where('users.unit_id', '=', unitId)
    .where('users.active', '=', 1)
    .where('user_roles.role', '=', 'clerk')
    .execute();
  return rows.map((r) => r.id);
}

const withUploader = (db: Db) =>
  db
    .selectFrom('item_attachments')
    .leftJoin('users', 'users.id', 'item_attachments.uploaded_by')
    .selectAll('item_attachments')
    .select('users.full_name as uploader_name');

/** The item's content files not removed, in upload order. */
export async function findLiveContentFiles(db: Db, itemId: string): Promise<AttachmentView[]> {
  return withUploader(db)
    .where('item_attachments.item_id', '=', itemId)
    .where('item_attachments.purpose', '=', 'content')
    .where('item_attachments.removed_at', 'is', null)
    .orderBy('item_attachments.uploaded_at')
    .orderBy('item_attachments.id')
    .execute();
}

export async function countLiveContentFiles(db: Db, itemId: string): Promise<number> {
  const r = await db
    .selectFrom('item_attachments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('item_id', '=', itemId)
    .where('purpose', '=', 'content')
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One content file of the item, if it exists and was not removed. */
export async function findLiveContentFile(db: Db, itemId: string, id: string): Promise<AttachmentView | undefined> {
  return withUploader(db)
    .where('item_attachments.id', '=', id)
    .where('item_attachments.item_id', '=', itemId)
    .where('item_attachments.purpose', '=', 'content')
    .where('item_attachments.removed_at', 'is', null)
    .executeTakeFirst();
}

export async function findAttachmentView(db: Db, id: string): Promise<AttachmentView | undefined> {
  return withUploader(db).where('item_attachments.id', '=', id).executeTakeFirst();
}

export async function findReceiptScan(db: Db, eventId: string): Promise<AttachmentView | undefined> {
  return withUploader(db).where('item_attachments.custody_event_id', '=', eventId).where('item_attachments.purpose', '=', 'receipt_scan').executeTakeFirst();
}

/** Marks a file removed and lets go of its blob (whose row the caller deletes in the same transaction). */
export async function markRemoved(tx: Db, id: string, by: string, at: string): Promise<void> {
  await tx.updateTable('item_attachments').set({ removed_at: at, removed_by: by, blob_id: null }).where('id', '=', id).execute();
}
