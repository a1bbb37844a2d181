import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { CopyExecutionRow, Database } from '../../platform/db/schema';
import { copyExecutionErrors } from './copy-execution.errors';

// Intention-named queries of carrying out a copy request; the use cases own the transactions.

type Db = Kysely<Database>;

export async function findExecutionOfRequest(db: Db, requestId: string): Promise<CopyExecutionRow | undefined> {
  return db.selectFrom('copy_executions').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** The one execution of a request; a second one (a concurrent double execution) is a conflict. */
export async function insertExecution(tx: Db, row: CopyExecutionRow): Promise<void> {
  try {
    await tx.insertInto('copy_executions').values(row).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw copyExecutionErrors['copy_execution.already_executed']!();
    throw e;
  }
}

/** The original a copy is produced from: the item's oldest live PDF content file (its id and blob). */
export async function findPdfOriginal(db: Db, itemId: string): Promise<{ id: string; blob_id: string; sha256: string } | undefined> {
  const row = await db
    .selectFrom('item_attachments')
    .select(['id', 'blob_id', 'sha256'])
    .where('item_id', '=', itemId)
    .where('purpose', '=', 'content')
    .where('removed_at', 'is', null)
    .where('media_type', '=', 'application/pdf')
    .where('blob_id', 'is not', null)
    .orderBy('uploaded_at')
    .orderBy('id')
    .executeTakeFirst();
  return row ? { id: row.id, blob_id: row.blob_id!, sha256: row.sha256 } : undefined;
}

/** A person who may receive a copy: name, unit, clearance, whether active. */
export async function findPerson(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.full_name', 'users.position', 'users.clearance', 'users.active', 'units.name as unit_name'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export async function findOpenUnit(db: Db, unitId: string) {
  return db.selectFrom('units').select(['id', 'name']).where('id', '=', unitId).where('closed_at', 'is', null).executeTakeFirst();
}

/** The copies made under a request, in number order, with their holder's name. */
export async function findCopiesOfRequest(db: Db, requestId: string) {
  return db
    .selectFrom('copies as c')
    .leftJoin('users as hu', 'hu.id', 'c.holder_user_id')
    .leftJoin('units as hn', 'hn.id', 'c.holder_unit_id')
    .select([
      'c.id',
      'c.item_id',
      'c.seq_no',
      'c.label',
      'c.status',
      'c.holder_kind',
      'c.holder_user_id',
      'c.holder_unit_id',
      'c.holder_outside',
      'c.verification_id',
      'c.file_blob_id',
      'hu.full_name as holder_user_name',
      'hn.name as holder_unit_name',
    ])
    .where('c.request_id', '=', requestId)
    .orderBy('c.seq_no')
    .execute();
}

export async function findCopy(db: Db, copyId: string) {
  return db.selectFrom('copies').selectAll().where('id', '=', copyId).executeTakeFirst();
}

/** An item's extracts (bản trích sao) and, for an extract, its source: both items' pages show the link. */
export async function findExtractsOf(db: Db, itemId: string) {
  return db
    .selectFrom('secret_items')
    .select(['id', 'doc_type', 'number_symbol', 'level'])
    .where('source_item_id', '=', itemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
