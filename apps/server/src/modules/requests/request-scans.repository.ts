import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../../platform/db/database';
import { forUpdate } from '../../platform/db/dialect';
import type { Database, RequestRow, RequestScansTable } from '../../platform/db/schema';

// Queries of the scans kept with a request; the use cases own the transactions.

type Db = Kysely<Database>;
export type RequestScanRow = Selectable<RequestScansTable>;

/** The request, locked (PostgreSQL) so a scan's upload is serialised with its status changes. */
export async function lockRequest(tx: Db, dialect: Dialect, id: string): Promise<RequestRow | undefined> {
  return forUpdate(dialect, tx.selectFrom('requests').selectAll().where('id', '=', id)).executeTakeFirst();
}

export async function findScan(db: Db, requestId: string, kind: string): Promise<RequestScanRow | undefined> {
  return db.selectFrom('request_scans').selectAll().where('request_id', '=', requestId).where('kind', '=', kind).executeTakeFirst();
}

export async function findScans(db: Db, requestId: string): Promise<RequestScanRow[]> {
  return db.selectFrom('request_scans').selectAll().where('request_id', '=', requestId).orderBy('kind').execute();
}

export async function insertScan(tx: Db, row: RequestScanRow): Promise<void> {
  await tx.insertInto('request_scans').values(row).execute();
}

/** Replaces the file of a scan (the row keeps its id). */
export async function replaceScan(
  tx: Db,
  id: string,
  f: Pick<RequestScanRow, 'blob_id' | 'file_name' | 'content_type' | 'size' | 'uploaded_by' | 'uploaded_at'>,
): Promise<void> {
  await tx.updateTable('request_scans').set(f).where('id', '=', id).execute();
}
